import type { Customer } from '../../../common/schemas/customers.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy/index.js';
import { visitsOnFiled } from '../visits/plans.js';
import { filingLink } from './filing-submit.js';
import * as repo from './repo.js';
import { countCustomers, findVisible, reader, resourceOf, toCustomer } from './service.js';

// 备案审批 (R-C5, seed 001 篇五), the decision: the sales director (the manager of the archive's
// department, or the general manager; rules.ts `customer.file_approve`) approves a submitted
// draft — it is filed, as a direct 备案 would have filed it — or returns it with a reason, which
// the owners are told and see on the archive until they submit again. An archive the approver
// may not see (department, clearance) is absent as everywhere.

type Decision = { kind: 'approve' } | { kind: 'return'; reason: string };

async function decide(ctx: Ctx, id: string, d: Decision): Promise<Customer> {
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  await tx(ctx, async (t) => {
    const before = await findVisible(r, id, t.db);
    const ownerIds = ((await repo.ownersOf(t.db, [id])).get(id) ?? []).map((o) => o.id);
    authorize(ctx, 'customer.file_approve', {
      type: 'customer',
      id,
      resource: { ...resourceOf(r, before, ownerIds), submittedBy: before.filing_submitted_by ?? null },
    });
    if (before.status !== 'draft' || !before.filing_submitted_at)
      throw new DomainError('filing_not_pending', 409);
    const now = nowIso(t);
    const submitter = before.filing_submitted_by;
    const label = `${before.archive_code} ${before.name}`;
    // Decided once: of two approvers at the same moment, the second finds nothing waiting.
    const stillPending = (n: { numUpdatedRows: bigint }) => {
      if (n.numUpdatedRows !== 1n) throw new DomainError('filing_not_pending', 409);
    };
    if (d.kind === 'approve') {
      const updated = await t.db
        .updateTable('customers')
        .set({
          status: 'filed',
          filed_at: now,
          filing_submitted_at: null,
          filing_submitted_by: null,
          filing_returned_at: null,
          filing_returned_by: null,
          filing_return_reason: null,
          updated_at: now,
          updated_by: actor.id,
        })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .where('filing_submitted_at', '=', before.filing_submitted_at)
        .executeTakeFirst();
      stillPending(updated);
      await repo.insertHistory(t.db, [
        {
          id: newId(),
          customerId: id,
          at: now,
          actorId: actor.id,
          actorName: actor.name,
          kind: 'status',
          field: 'status',
          oldValue: 'draft',
          newValue: 'filed',
          note: '备案审批通过',
        },
      ]);
      await appendAudit(t, {
        action: 'customer.file_approve',
        targetType: 'customer',
        targetId: id,
        targetLabel: label,
        secrecy: before.secrecy,
        details: {
          from: 'draft',
          to: 'filed',
          submittedAt: before.filing_submitted_at,
          submittedBy: submitter,
        },
      });
      await visitsOnFiled(t, id);
      await notify(t, [...ownerIds, submitter ?? ''], {
        kind: 'customer.filing',
        title: `备案已批准：${label}`,
        body: `${actor.name} 批准了客户档案备案。`,
        link: filingLink(id),
        secrecy: before.secrecy,
      });
      return;
    }
    const updated = await t.db
      .updateTable('customers')
      .set({
        filing_submitted_at: null,
        filing_submitted_by: null,
        filing_returned_at: now,
        filing_returned_by: actor.id,
        filing_return_reason: d.reason,
        updated_at: now,
        updated_by: actor.id,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('filing_submitted_at', '=', before.filing_submitted_at)
      .executeTakeFirst();
    stillPending(updated);
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId: id,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'filing',
        field: 'filing_returned',
        note: d.reason,
      },
    ]);
    await appendAudit(t, {
      action: 'customer.file_return',
      targetType: 'customer',
      targetId: id,
      targetLabel: label,
      secrecy: before.secrecy,
      details: { reason: d.reason, submittedAt: before.filing_submitted_at, submittedBy: submitter },
    });
    await notify(t, [...ownerIds, submitter ?? ''], {
      kind: 'customer.filing',
      title: `备案被退回：${label}`,
      body: `${actor.name} 退回了客户档案备案，原因：${d.reason}`,
      link: filingLink(id),
      secrecy: before.secrecy,
    });
  });
  return toCustomer(r, await findVisible(r, id));
}

/** 批准备案: the submitted draft is filed. */
export const approveFiling = (ctx: Ctx, id: string) => decide(ctx, id, { kind: 'approve' });
/** 退回备案: back to the owners as a draft, with the reason. */
export const returnFiling = (ctx: Ctx, id: string, reason: string) =>
  decide(ctx, id, { kind: 'return', reason });

/** 我的待办 (R-W1): submitted filings the reader may decide, among the archives they see. */
export async function filingTodo(ctx: Ctx): Promise<{ pending: number }> {
  return { pending: await countCustomers(ctx, { filing: 'mine' }) };
}
