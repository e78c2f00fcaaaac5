import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { companyName } from '../../platform/organisation.js';
import { caseRecordPdf, eightDPdf } from './pdf.js';
import { findVisible, reader, toCase } from './service.js';

// Printing a case (R-Q4, R-Q5): the 8D report with the case's corrective and preventive actions,
// and the 客户投诉记录表 as it stands (before closing; the revisit files the final one). Each print is
// a read of the case's content, audited; whoever may not see the case gets 404, as if absent.

export interface Printed {
  number: string;
  bytes: Uint8Array;
}

async function printed(ctx: Ctx, id: string, action: 'case.print_8d' | 'case.print_record') {
  const r = await reader(ctx);
  const row = await findVisible(r, id);
  const c = await toCase(r, row);
  await appendAudit(ctx, {
    action,
    targetType: 'case',
    targetId: row.id,
    targetLabel: row.number,
    secrecy: Number(row.effective_secrecy),
  });
  return c;
}

export async function print8D(ctx: Ctx, id: string): Promise<Printed> {
  const c = await printed(ctx, id, 'case.print_8d');
  const actions = c.actions.map((a) => ({
    kind: a.kind,
    description: a.description,
    owner: a.owner?.name ?? null,
    dueDate: a.dueDate,
    status: a.status,
    result: a.result,
    verification: a.verification,
  }));
  return {
    number: c.number,
    bytes: await eightDPdf(c, actions, { printedAt: ctx.now(), company: await companyName(ctx.db) }),
  };
}

export async function printRecord(ctx: Ctx, id: string): Promise<Printed> {
  const c = await printed(ctx, id, 'case.print_record');
  return {
    number: c.number,
    bytes: await caseRecordPdf(c, { printedAt: ctx.now(), company: await companyName(ctx.db) }),
  };
}
