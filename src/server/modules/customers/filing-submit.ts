import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { CustomerTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import * as repo from './repo.js';

// 备案审批 (R-C5, seed 001 篇五 新建档案由销售总监进行审批确认), the submission: with the setting on,
// 备案 hands the draft to the sales director. Kedang has no sales-director role: as for credit
// admissions, the sales director is the manager of the archive's department (or of one above it);
// the general manager may decide too. The submission meets the filing deadline — the clock stops
// (repo.isFilingOverdue) — and the archive stays a draft, so every module that takes drafts still
// does. Decisions are in filing.ts.

type Archive = Pick<
  CustomerTable,
  'id' | 'archive_code' | 'name' | 'department_id' | 'secrecy' | 'filing_due_date'
>;

export const filingLink = (id: string) => `/customers/${id}`;

/** Who decides a submitted filing: the managers of the archive's department and those above it;
 * the general managers when the department has none. Never the submitter nor an owner. */
export async function filingApprovers(db: Db, departmentId: string, exclude: string[]): Promise<string[]> {
  const chain: string[] = [];
  let at: string | null = departmentId;
  for (let i = 0; at && i < 20; i++) {
    chain.push(at);
    const d: { parent_id: string | null } | undefined = await db
      .selectFrom('departments')
      .select('parent_id')
      .where('id', '=', at)
      .executeTakeFirst();
    at = d?.parent_id ?? null;
  }
  const managers = (
    await db
      .selectFrom('users as u')
      .innerJoin('user_roles as ro', 'ro.user_id', 'u.id')
      .select('u.id')
      .distinct()
      .where('u.active', '=', 1)
      .where('u.department_id', 'in', chain)
      .where('ro.role', '=', 'department_manager')
      .execute()
  )
    .map((x) => x.id)
    .filter((id) => !exclude.includes(id));
  if (managers.length) return managers;
  return (await activeUsersWithRoles(db, ['general_manager'])).filter((id) => !exclude.includes(id));
}

/** Submits a complete draft for filing approval, in the caller's transaction (history, audit and
 * the approvers' notification with it). */
export async function submitFiling(t: TxCtx, c: Archive, ownerIds: string[]): Promise<void> {
  // Submitted once: of two submissions at the same moment, the second is told it waits already.
  const actor = t.actor;
  if (!actor) throw new Error('a filing is submitted by someone');
  const now = nowIso(t);
  const today = todayInShanghai(t.now());
  const updated = await t.db
    .updateTable('customers')
    .set({
      filing_submitted_at: now,
      filing_submitted_by: actor.id,
      filing_returned_at: null,
      filing_returned_by: null,
      filing_return_reason: null,
      updated_at: now,
      updated_by: actor.id,
    })
    .where('id', '=', c.id)
    .where('status', '=', 'draft')
    .where('filing_submitted_at', 'is', null)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new DomainError('filing_pending', 409);
  await repo.insertHistory(t.db, [
    {
      id: newId(),
      customerId: c.id,
      at: now,
      actorId: actor.id,
      actorName: actor.name,
      kind: 'filing',
      field: 'filing_submitted',
      late: c.filing_due_date < today,
      note: null,
    },
  ]);
  await appendAudit(t, {
    action: 'customer.file_submit',
    targetType: 'customer',
    targetId: c.id,
    targetLabel: `${c.archive_code} ${c.name}`,
    secrecy: c.secrecy,
    details: { filingDueDate: c.filing_due_date, late: c.filing_due_date < today },
  });
  const approvers = await filingApprovers(t.db, c.department_id, [actor.id, ...ownerIds]);
  await notify(t, approvers, {
    kind: 'customer.filing',
    title: `待审批备案：${c.archive_code} ${c.name}`,
    body: `${actor.name} 提交了客户档案备案，请审批确认或退回。`,
    link: filingLink(c.id),
    secrecy: c.secrecy,
    neutral: { title: '有一份客户档案等待您审批备案', body: null, link: '/customers?filing=mine' },
  });
}
