import { sql } from 'kysely';
import { addCalendarDays, CONDITION_LABELS, type Condition } from '../../../common/lending.js';
import type { Incident, Loan, ToIssue } from '../../../common/schemas/lending.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Actor, type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { authorize, can } from '../../platform/policy/index.js';
import { recordSecrecy, secrecyOfTarget } from '../../platform/policy/records.js';
import { loadLendingSettings } from './config.js';
import { notifyManagement } from './notices.js';
import {
  destroyedItems,
  itemWithinClearance,
  readableRequest,
  recordEvent,
  requestWithinClearance,
  statusError,
} from './requests.js';

// Physical lending (R-P3 … R-P6): the archivist issues the items of an approved request (who,
// what, when, due date, condition), an item out cannot go to anyone else (one open loan per
// item, enforced by a unique key), and on return the archivist checks it — 完好, 缺损 or 丢失 —
// before it is back on the shelf; loss or damage is reported to the general manager. Overdue
// loans are chased on the due day and each working day after (reminders.ts).

const outKey = (type: string, id: string) => `${type}:${id}`;

/** Approved physical requests with items not issued yet (the archivist's desk). */
export async function toIssue(ctx: Ctx): Promise<ToIssue[]> {
  authorize(ctx, 'lending.desk', { type: 'loan' });
  const actor = ctx.actor;
  const requests = await ctx.db
    .selectFrom('access_requests as a')
    .innerJoin('users as u', 'u.id', 'a.requester_id')
    .select(['a.id', 'a.number', 'a.days', 'a.external_org', 'u.name'])
    .where('a.status', '=', 'approved')
    .where('a.mode', '=', 'physical')
    .where('a.renewal_of', 'is', null)
    .where(requestWithinClearance(actor) as never)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('access_request_items as i')
          .select('i.id')
          .whereRef('i.request_id', '=', 'a.id')
          .where((w) =>
            w.not(w.exists(w.selectFrom('loans as l').select('l.id').whereRef('l.item_id', '=', 'i.id'))),
          ),
      ),
    )
    .orderBy('a.decided_at')
    .limit(200)
    .execute();
  if (requests.length === 0) return [];
  const items = await ctx.db
    .selectFrom('access_request_items as i')
    .leftJoin('loans as l', 'l.item_id', 'i.id')
    .leftJoin('loans as o', (j) => j.on(sql<boolean>`o.out_key = i.target_type || ':' || i.target_id`))
    .leftJoin('users as ou', 'ou.id', 'o.borrower_id')
    .select(['i.id', 'i.request_id', 'i.label', 'i.code', 'ou.name as out_to'])
    .where(
      'i.request_id',
      'in',
      requests.map((r) => r.id),
    )
    .where('l.id', 'is', null)
    .execute();
  return requests.map((r) => ({
    requestId: r.id,
    number: r.number,
    requester: r.name,
    external: r.external_org,
    days: Number(r.days),
    items: items
      .filter((i) => i.request_id === r.id)
      .map((i) => ({ id: i.id, label: i.label, code: i.code, outTo: i.out_to ?? null })),
  }));
}

export async function issue(
  ctx: Ctx,
  requestId: string,
  input: { itemIds: string[]; conditionOut: string; note: string | null },
): Promise<Loan[]> {
  authorize(ctx, 'lending.desk', { type: 'loan' });
  const actor = ctx.actor;
  const ids = await tx(ctx, async (t) => {
    const { row } = await readableRequest(ctx, requestId, t.db, 'lending.desk');
    if (row.mode !== 'physical' || row.status !== 'approved' || row.renewal_of)
      throw statusError(row, ctx.lang);
    const items = await t.db
      .selectFrom('access_request_items')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('id', 'in', input.itemIds)
      .execute();
    if (items.length !== new Set(input.itemIds).size) throw new DomainError('not_found', 404, {}, 'itemIds');
    const destroyed = await destroyedItems(t.db, items);
    const gone = items.find((i) => destroyed.has(i.target_id));
    if (gone) throw new DomainError('item_destroyed', 409, { label: gone.label }, 'itemIds');
    const today = todayInShanghai(t.now());
    const due = addCalendarDays(today, Number(row.days));
    const now = nowIso(t);
    const created: string[] = [];
    for (const i of items) {
      const issued = await t.db
        .selectFrom('loans')
        .select('id')
        .where('item_id', '=', i.id)
        .executeTakeFirst();
      if (issued) throw new DomainError('item_issued', 409, { label: i.label });
      const out = await t.db
        .selectFrom('loans as l')
        .innerJoin('users as u', 'u.id', 'l.borrower_id')
        .select(['u.name', 'l.due_date'])
        .where('l.out_key', '=', outKey(i.target_type, i.target_id))
        .executeTakeFirst();
      // Not to anyone else while it is out, and never passed on (R-P4).
      if (out)
        throw new DomainError('item_out', 409, { label: i.label, borrower: out.name, due: out.due_date });
      const loanId = newId();
      await t.db
        .insertInto('loans')
        .values({
          id: loanId,
          request_id: requestId,
          item_id: i.id,
          mode: 'physical',
          target_type: i.target_type,
          target_id: i.target_id,
          borrower_id: row.requester_id,
          issued_at: now,
          issued_by: actor.id,
          due_date: due,
          condition_out: input.conditionOut,
          note_out: input.note,
          out_key: outKey(i.target_type, i.target_id),
          returned_at: null,
          received_by: null,
          condition_in: null,
          note_in: null,
        })
        .execute();
      created.push(loanId);
      await recordEvent(t, requestId, 'issue', null, `${i.label}（${input.conditionOut}）应还 ${due}`);
      await appendAudit(t, {
        action: 'lending.issue',
        targetType: i.target_type,
        targetId: i.target_id,
        targetLabel: i.label,
        secrecy: Number(i.secrecy),
        details: { number: row.number, loanId, due, condition: input.conditionOut },
      });
    }
    await t.db
      .updateTable('access_requests')
      .set({ start_date: row.start_date ?? today, end_date: due, updated_at: now })
      .where('id', '=', requestId)
      .execute();
    return created;
  });
  return loansByIds(ctx, ids);
}

/** The archivist receives an item back and records its condition (R-P6). */
export async function receive(
  ctx: Ctx,
  loanId: string,
  input: { condition: Condition; note: string | null },
): Promise<Loan> {
  authorize(ctx, 'lending.desk', { type: 'loan', id: loanId });
  const actor = ctx.actor;
  await tx(ctx, async (t) => {
    const loan = await t.db
      .selectFrom('loans as l')
      .innerJoin('access_request_items as i', 'i.id', 'l.item_id')
      .innerJoin('access_requests as a', 'a.id', 'l.request_id')
      .select([
        'l.id',
        'l.returned_at',
        'l.mode',
        'l.request_id',
        'i.label',
        'i.secrecy',
        'a.number',
        'l.target_type',
        'l.target_id',
      ])
      .where('l.id', '=', loanId)
      .executeTakeFirst();
    if (loan?.mode !== 'physical') throw notFound();
    // The item's effective secrecy now (R-P9): its archive may have been raised since the request.
    const secrecy = Math.max(
      Number(loan.secrecy),
      await secrecyOfTarget(t.db, loan.target_type, loan.target_id),
    );
    if (secrecy > actor.clearance) throw notFound();
    if (loan.returned_at) throw new DomainError('loan_returned', 409);
    const now = nowIso(t);
    await t.db
      .updateTable('loans')
      .set({
        returned_at: now,
        received_by: actor.id,
        condition_in: input.condition,
        note_in: input.note,
        out_key: null,
      })
      .where('id', '=', loanId)
      .execute();
    await recordEvent(
      t,
      loan.request_id,
      'receive',
      null,
      `${loan.label}（${CONDITION_LABELS[input.condition].zh}）${input.note ?? ''}`,
    );
    await appendAudit(t, {
      action: 'lending.receive',
      targetType: loan.target_type,
      targetId: loan.target_id,
      targetLabel: loan.label,
      secrecy: Number(loan.secrecy),
      details: { number: loan.number, loanId, condition: input.condition, note: input.note },
    });
    if (input.condition !== 'intact') {
      // Loss or damage is reported to the general manager (R-P5).
      const incidentId = newId();
      await t.db
        .insertInto('loan_incidents')
        .values({
          id: incidentId,
          loan_id: loanId,
          kind: input.condition,
          description: input.note ?? CONDITION_LABELS[input.condition].zh,
          reported_at: now,
          reported_by: actor.id,
          acknowledged_at: null,
          acknowledged_by: null,
          resolution: null,
        })
        .execute();
      await notifyManagement(
        t,
        {
          title: `档案${CONDITION_LABELS[input.condition].zh}：${loan.label}`,
          body: `${loan.number} ${input.note ?? ''}`.trim(),
        },
        '/lending/desk?tab=incidents',
        secrecy,
      );
      await appendAudit(t, {
        action: 'lending.incident',
        targetType: loan.target_type,
        targetId: loan.target_id,
        targetLabel: loan.label,
        secrecy: Number(loan.secrecy),
        outcome: 'failure',
        details: { number: loan.number, loanId, incidentId, kind: input.condition, note: input.note },
      });
    }
    // Everything back: the request (and any renewal of it) is done.
    const open = await t.db
      .selectFrom('loans')
      .select('id')
      .where('request_id', '=', loan.request_id)
      .where('returned_at', 'is', null)
      .executeTakeFirst();
    const unissued = await t.db
      .selectFrom('access_request_items as i')
      .select('i.id')
      .where('i.request_id', '=', loan.request_id)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('loans as l').select('l.id').whereRef('l.item_id', '=', 'i.id'))),
      )
      .executeTakeFirst();
    if (!open && !unissued)
      await t.db
        .updateTable('access_requests')
        .set({ status: 'closed', updated_at: now })
        .where((eb) => eb.or([eb('id', '=', loan.request_id), eb('renewal_of', '=', loan.request_id)]))
        .where('status', '=', 'approved')
        .execute();
  });
  return (await loansByIds(ctx, [loanId]))[0] as Loan;
}

function loansQuery(db: Db) {
  return db
    .selectFrom('loans as l')
    .innerJoin('access_request_items as i', 'i.id', 'l.item_id')
    .innerJoin('access_requests as a', 'a.id', 'l.request_id')
    .innerJoin('users as u', 'u.id', 'l.borrower_id')
    .leftJoin('departments as dep', 'dep.id', 'a.requester_department_id')
    .leftJoin('users as iu', 'iu.id', 'l.issued_by')
    .leftJoin('users as ru', 'ru.id', 'l.received_by')
    .selectAll('l')
    .select([
      'i.label',
      'i.code',
      'i.secrecy',
      'a.number',
      'a.external_org',
      'u.name as borrower_name',
      'dep.name as department_name',
      'iu.name as issued_by_name',
      'ru.name as received_by_name',
    ]);
}

type LoanRow = Awaited<ReturnType<ReturnType<typeof loansQuery>['execute']>>[number];

function toLoan(r: LoanRow, today: string, dueSoonDays: number): Loan {
  const out = !r.returned_at;
  return {
    id: r.id,
    requestId: r.request_id,
    requestNumber: r.number,
    targetType: r.target_type as Loan['targetType'],
    targetId: r.target_id,
    label: r.label,
    code: r.code,
    borrower: { id: r.borrower_id, name: r.borrower_name, departmentName: r.department_name },
    external: r.external_org,
    issuedAt: r.issued_at,
    issuedBy: r.issued_by_name ?? r.issued_by,
    dueDate: r.due_date,
    conditionOut: r.condition_out,
    returnedAt: r.returned_at,
    receivedBy: r.received_by_name,
    conditionIn: (r.condition_in as Condition | null) ?? null,
    noteIn: r.note_in,
    overdue: out && r.due_date < today,
    dueSoon: out && r.due_date >= today && r.due_date <= addCalendarDays(today, dueSoonDays),
  };
}

async function loansByIds(ctx: Ctx, ids: string[]): Promise<Loan[]> {
  if (ids.length === 0) return [];
  const today = todayInShanghai(ctx.now());
  const { dueSoonDays } = await loadLendingSettings(ctx.db);
  const rows = await loansQuery(ctx.db).where('l.id', 'in', ids).execute();
  return rows.map((r) => toLoan(r, today, dueSoonDays));
}

/** The physical loans of one of the desk's tabs the reader may see (loans `l`). */
export type LoanState = 'out' | 'due_soon' | 'overdue' | 'returned';

function loansIn(ctx: Ctx, state: LoanState, today: string, dueSoonDays: number) {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor: Actor = ctx.actor;
  let query = loansQuery(ctx.db)
    .where('l.mode', '=', 'physical')
    .where(itemWithinClearance(actor) as never);
  if (!can(actor, 'lending.oversee')) query = query.where('l.borrower_id', '=', actor.id);
  if (state === 'returned') query = query.where('l.returned_at', 'is not', null);
  else query = query.where('l.returned_at', 'is', null);
  if (state === 'overdue') query = query.where('l.due_date', '<', today);
  if (state === 'due_soon')
    query = query
      .where('l.due_date', '>=', today)
      .where('l.due_date', '<=', addCalendarDays(today, dueSoonDays));
  return query;
}

/** How many loans a tab of the desk lists (the dashboard's 借出 and 逾期未还). */
export async function countLoans(ctx: Ctx, state: LoanState): Promise<number> {
  const { dueSoonDays } = await loadLendingSettings(ctx.db);
  const row = await loansIn(ctx, state, todayInShanghai(ctx.now()), dueSoonDays)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many loans a tab lists and the highest secrecy among their items, for its export's audit. */
export async function loanTotals(ctx: Ctx, state: LoanState): Promise<{ n: number; secrecy: number }> {
  const { dueSoonDays } = await loadLendingSettings(ctx.db);
  const row = await loansIn(ctx, state, todayInShanghai(ctx.now()), dueSoonDays)
    .clearSelect()
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('i.secrecy').as('s')])
    .executeTakeFirstOrThrow();
  return { n: Number(row.n), secrecy: Number(row.s ?? 0) };
}

/** 借出清单: physical loans out, due soon, overdue or returned — all for the archivist and
 * overseers, one's own for everyone else. Oldest due first; keyset paged. */
export async function listLoans(
  ctx: Ctx,
  q: { state: LoanState; cursor?: string | undefined; limit: number },
): Promise<{ items: Loan[]; nextCursor: string | null }> {
  const today = todayInShanghai(ctx.now());
  const { dueSoonDays } = await loadLendingSettings(ctx.db);
  let query = loansIn(ctx, q.state, today, dueSoonDays);
  const byReturn = q.state === 'returned';
  const after = decodeCursor(q.cursor, cursorValue.text, cursorValue.text);
  if (after) {
    const [k, id] = after;
    query = byReturn
      ? query.where((eb) =>
          eb.or([eb('l.returned_at', '<', k), eb.and([eb('l.returned_at', '=', k), eb('l.id', '<', id)])]),
        )
      : query.where((eb) =>
          eb.or([eb('l.due_date', '>', k), eb.and([eb('l.due_date', '=', k), eb('l.id', '>', id)])]),
        );
  }
  const rows = await (byReturn
    ? query.orderBy('l.returned_at', 'desc').orderBy('l.id', 'desc')
    : query.orderBy('l.due_date').orderBy('l.id')
  )
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((r) => toLoan(r, today, dueSoonDays)),
    nextCursor:
      more && last ? encodeCursor([byReturn ? (last.returned_at as string) : last.due_date, last.id]) : null,
  };
}

/** Loss and damage reports, newest first (the general manager's list). */
export async function listIncidents(ctx: Ctx): Promise<Incident[]> {
  authorize(ctx, 'lending.incidents', { type: 'loan' });
  const rows = await ctx.db
    .selectFrom('loan_incidents as x')
    .innerJoin('loans as l', 'l.id', 'x.loan_id')
    .innerJoin('access_request_items as i', 'i.id', 'l.item_id')
    .innerJoin('access_requests as a', 'a.id', 'l.request_id')
    .innerJoin('users as u', 'u.id', 'l.borrower_id')
    .leftJoin('users as r', 'r.id', 'x.reported_by')
    .select([
      'x.id',
      'x.loan_id',
      'x.kind',
      'x.description',
      'x.reported_at',
      'i.label',
      'a.number',
      'u.name',
      'r.name as reporter',
    ])
    .where(itemWithinClearance(ctx.actor) as never)
    .orderBy('x.reported_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    loanId: r.loan_id,
    kind: r.kind as Incident['kind'],
    description: r.description,
    label: r.label,
    borrower: r.name,
    requestNumber: r.number,
    reportedAt: r.reported_at,
    reportedBy: r.reporter ?? '',
  }));
}

/**
 * 催还 (R-P5): loans out whose due date has come are chased on the due day and on each working
 * day after it (the company calendar: holidays and 调休 count). Each loan gets one reminder per
 * day, whichever server sends it. Returns the loans reminded today; `notify` delivers them.
 */
export async function chaseOverdue(
  ctx: Ctx,
  notify: (loan: Loan & { secrecy: number }, overdueDays: number) => Promise<void>,
): Promise<Loan[]> {
  const today = todayInShanghai(ctx.now());
  const calendar = await loadCalendar(ctx);
  const { dueSoonDays } = await loadLendingSettings(ctx.db);
  const due = await loansQuery(ctx.db)
    .where('l.mode', '=', 'physical')
    .where('l.returned_at', 'is', null)
    .where('l.due_date', '<=', today)
    .select(recordSecrecy(sql.ref('l.target_type'), sql.ref('l.target_id')).as('now_secrecy'))
    .orderBy('l.due_date')
    .execute();
  const sent: Loan[] = [];
  for (const r of due) {
    if (r.due_date !== today && !calendar.isWorkingDay(today)) continue;
    const res = await ctx.db
      .insertInto('loan_reminders')
      .values({ loan_id: r.id, day: today, sent_at: nowIso(ctx) })
      .onConflict((oc) => oc.columns(['loan_id', 'day']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    const loan = toLoan(r, today, dueSoonDays);
    const secrecy = Math.max(Number(r.secrecy), Number(r.now_secrecy));
    await notify({ ...loan, secrecy }, calendar.workingDaysBetween(r.due_date, today));
    sent.push(loan);
  }
  return sent;
}
