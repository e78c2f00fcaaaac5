import {
  addCalendarDays,
  DOWNLOAD_PURPOSES,
  endOfDayShanghai,
  type Purpose,
} from '../../../common/lending.js';
import type { AccessRequest } from '../../../common/schemas/lending.js';
import { todayInShanghai } from '../../../common/time.js';
import type { AccessRequestTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { notifyArchivists, notifyRequester, notifyStep } from './notices.js';
import {
  destroyedItems,
  findRequest,
  getRequest,
  itemsText,
  pendingOf,
  readableRequest,
  recordEvent,
  requestSecrecy,
  statusError,
  stepsOf,
} from './requests.js';

// Deciding a step (R-P2): approve, reject with a reason (the request ends), or return for
// changes (the requester may resubmit, and the chain starts again). The last approval of an
// electronic request opens access on exactly its items until the end date (R-P7): grants the
// policy's visibility predicate reads, so lists, search, pages and downloads open and close
// with them. A physical request waits for the archivist to issue its items (loans.ts).

export async function decide(
  ctx: Ctx,
  id: string,
  input: { decision: 'approve' | 'reject' | 'return'; comment: string | null },
): Promise<AccessRequest> {
  await tx(ctx, async (t) => {
    // Whoever may not read the request (above their clearance, or not theirs to follow) learns
    // nothing about it, not even its status (R-P1).
    const { row, res: seen } = await readableRequest(ctx, id, t.db, 'lending.decide');
    const steps = stepsOf(row);
    const index = Number(row.current_step);
    const step = steps[index];
    const secrecy = await requestSecrecy(t.db, row);
    if (row.status !== 'pending' || !step) throw statusError(row, ctx.lang);
    authorize(ctx, 'lending.decide', {
      type: 'access_request',
      id,
      resource: { stepRole: step.role, inScope: seen.inScope, requesterId: row.requester_id },
    });
    if (input.decision !== 'approve' && !input.comment)
      throw new FieldErrors([{ field: 'comment', key: 'required' }]);
    // A record destroyed since the request was made is granted to nobody (R-X4): the approver
    // is told which, and rejects.
    if (input.decision === 'approve') {
      const items = await t.db
        .selectFrom('access_request_items')
        .select(['target_type', 'target_id', 'label'])
        .where('request_id', '=', id)
        .orderBy('label')
        .execute();
      const destroyed = await destroyedItems(t.db, items);
      const gone = items.find((i) => destroyed.has(i.target_id));
      if (gone) throw new DomainError('request_item_destroyed', 409, { label: gone.label });
    }
    const last = index === steps.length - 1;
    const now = nowIso(t);
    const next =
      input.decision === 'reject'
        ? { status: 'rejected', current_step: index, ...pendingOf(steps, -1), decided_at: now }
        : input.decision === 'return'
          ? { status: 'returned', current_step: 0, ...pendingOf(steps, -1) }
          : last
            ? { status: 'approved', current_step: index + 1, ...pendingOf(steps, -1), decided_at: now }
            : { status: 'pending', current_step: index + 1, ...pendingOf(steps, index + 1) };
    // Two approvers of one step at once: only the first one's decision counts.
    const res = await t.db
      .updateTable('access_requests')
      .set({ ...next, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('current_step', '=', index)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new DomainError('request_decided', 409);
    await recordEvent(t, id, input.decision, index + 1, input.comment);
    await appendAudit(t, {
      action: `lending.${input.decision}`,
      targetType: 'access_request',
      targetId: id,
      targetLabel: row.number,
      secrecy: Number(row.secrecy),
      details: { number: row.number, step: index + 1, role: step.role, comment: input.comment },
    });
    if (input.decision === 'approve' && last) await onApproved(t, row);
    const what = await itemsText(t.db, id);
    if (input.decision === 'approve' && !last) await notifyStep(t, row, steps[index + 1], what, secrecy);
    else if (input.decision === 'approve') {
      await notifyRequester(
        t,
        row,
        `已批准：${what}`,
        row.mode === 'physical' ? '请到档案室办理借出' : null,
        secrecy,
      );
      if (row.mode === 'physical' && !row.renewal_of)
        await notifyArchivists(
          t,
          {
            title: `待借出：${row.number} ${what}`,
          },
          '/lending/desk?tab=issue',
          secrecy,
        );
    } else
      await notifyRequester(
        t,
        row,
        `${input.decision === 'reject' ? '已驳回' : '退回修改'}：${what}`,
        input.comment,
        secrecy,
      );
  });
  return getRequest(ctx, id);
}

/** The request is approved: electronic access opens now; a renewal extends what it renews. */
async function onApproved(t: TxCtx, row: AccessRequestTable): Promise<void> {
  const today = todayInShanghai(t.now());
  const renewed = row.renewal_of ? await findRequest(t.db, row.renewal_of) : null;
  const items = await t.db
    .selectFrom('access_request_items')
    .selectAll()
    .where('request_id', '=', row.id)
    .execute();
  if (row.mode === 'physical') {
    if (!renewed) return;
    // A renewal moves the due date of what is still out under the renewed request.
    const out = await t.db
      .selectFrom('loans')
      .select(['id', 'due_date'])
      .where('request_id', '=', renewed.id)
      .where('returned_at', 'is', null)
      .execute();
    let end = today;
    for (const l of out) {
      const due = addCalendarDays(l.due_date > today ? l.due_date : today, Number(row.days));
      if (due > end) end = due;
      await t.db.updateTable('loans').set({ due_date: due }).where('id', '=', l.id).execute();
    }
    await t.db
      .updateTable('access_requests')
      .set({ start_date: today, end_date: end })
      .where('id', 'in', [row.id, renewed.id])
      .execute();
    return;
  }
  // Electronic: from the end of the renewed period (if any), for the request's days.
  const from = renewed?.end_date && renewed.end_date >= today ? renewed.end_date : today;
  const end = addCalendarDays(from, Number(row.days));
  const expires = endOfDayShanghai(end);
  const now = nowIso(t);
  const canDownload = DOWNLOAD_PURPOSES.includes(row.purpose as Purpose);
  for (const i of items) {
    if (i.target_type === 'document')
      await t.db
        .insertInto('document_grants')
        .values({
          id: newId(),
          document_id: i.target_id,
          user_id: row.requester_id,
          request_id: row.id,
          can_download: canDownload ? 1 : 0,
          granted_at: now,
          expires_at: expires,
          revoked_at: null,
        })
        .execute();
    else
      await t.db
        .insertInto('customer_grants')
        .values({
          id: newId(),
          customer_id: i.target_id,
          user_id: row.requester_id,
          department_id: null,
          reason: `借阅 ${row.number}`,
          granted_by: t.actor?.id ?? 'system',
          granted_at: now,
          expires_at: expires,
          revoked_at: null,
          revoked_by: null,
          request_id: row.id,
        })
        .execute();
    // The lending register lists electronic access too.
    await t.db
      .insertInto('loans')
      .values({
        id: newId(),
        request_id: row.id,
        item_id: i.id,
        mode: 'electronic',
        target_type: i.target_type,
        target_id: i.target_id,
        borrower_id: row.requester_id,
        issued_at: now,
        issued_by: t.actor?.id ?? 'system',
        due_date: end,
        condition_out: '',
        note_out: null,
        out_key: null,
        returned_at: null,
        received_by: null,
        condition_in: null,
        note_in: null,
      })
      .execute();
  }
  await t.db
    .updateTable('access_requests')
    .set({ start_date: today, end_date: end })
    .where('id', '=', row.id)
    .execute();
}

/**
 * Electronic access past its end date has already closed by itself (the grants expire); once a
 * day the requests are closed and the end is written to their history and the audit trail.
 */
export async function closeExpired(ctx: Ctx): Promise<{ closed: number }> {
  const today = todayInShanghai(ctx.now());
  const rows = await ctx.db
    .selectFrom('access_requests')
    .selectAll()
    .where('mode', '=', 'electronic')
    .where('status', '=', 'approved')
    .where('end_date', '<', today)
    .limit(1000)
    .execute();
  let closed = 0;
  for (const row of rows) {
    await tx(ctx, async (t) => {
      const res = await t.db
        .updateTable('access_requests')
        .set({ status: 'closed', updated_at: nowIso(t) })
        .where('id', '=', row.id)
        .where('status', '=', 'approved')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return;
      closed++;
      await recordEvent(t, row.id, 'expire', null, `借阅期至 ${row.end_date}`);
      await appendAudit(t, {
        action: 'lending.expire',
        targetType: 'access_request',
        targetId: row.id,
        targetLabel: row.number,
        secrecy: Number(row.secrecy),
        details: { number: row.number, endDate: row.end_date },
      });
    });
  }
  return { closed };
}
