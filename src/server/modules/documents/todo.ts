import type { DocumentTodo } from '../../../common/schemas/documents.js';
import type { Ctx } from '../../platform/context.js';
import { pendingApprovals } from './approval.js';
import { unsignedCopies } from './receipts.js';
import { standardsToCheck } from './standards.js';

// 我的待办 of document control: the counts the to-do tiles show, each from the list it opens (so a
// count never names a record the list would not show): versions to sign, copies to sign for, and
// the standards the reader's departments must check (查新).

export async function documentTodo(ctx: Ctx): Promise<DocumentTodo> {
  const [approvals, copies, standardChecks] = await Promise.all([
    pendingApprovals(ctx),
    unsignedCopies(ctx),
    standardsToCheck(ctx),
  ]);
  return {
    approvals: approvals.length,
    // The archivist's list holds everyone's copies; only those the reader signs are theirs to do.
    copies: copies.filter((c) => c.can.acknowledge || c.can.signReturn).length,
    standardChecks,
  };
}
