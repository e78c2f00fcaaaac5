import { type SqlBool, sql } from 'kysely';
import { secrecyFromRank } from '../../../common/enums.js';
import type {
  CompleteVisitInput,
  CreateVisitInput,
  VisitFilter,
  VisitTask,
  VisitTodo,
} from '../../../common/schemas/visits.js';
import { todayInShanghai } from '../../../common/time.js';
import {
  type DayKind,
  VISIT_INTERACTION_KIND,
  VISIT_STATUS_LABELS,
  VISIT_WAY_LABELS,
  type VisitCancelReason,
  type VisitStatus,
  type VisitWay,
  visitDueState,
} from '../../../common/visits.js';
import type { Db } from '../../db/index.js';
import type { VisitTaskTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { type Action, authorize, can } from '../../platform/policy/index.js';
import { type ActorScope, actorScope, customerVisible, visitVisible } from '../../platform/policy/records.js';
import type { VisitResource } from '../../platform/policy/rules.js';
import { recordInteraction } from '../customers/contacts.js';
import { ownersOf } from '../customers/repo.js';

// Visit tasks (回访任务, R-V1, R-V2) as people work them: 我的回访, the department view, the
// archive's 回访 tab, the to-do counts; a task planned by hand, reassigned, cancelled or done. A
// task is seen where its archive is, and by its assignee (policy/records.ts `visitVisible`); its
// secrecy is its archive's. Reads of the lists are not audited, every change is.

export interface Reader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
  today: string;
}

export async function reader(ctx: Ctx): Promise<Reader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const c = ctx as Ctx & { actor: Actor };
  return { ctx: c, scope: await actorScope(c), today: todayInShanghai(ctx.now()) };
}

function tasksFrom(db: Db) {
  return db.selectFrom('visit_tasks as v').innerJoin('customers as c', 'c.id', 'v.customer_id');
}

type TaskRow = VisitTaskTable & {
  customer_name: string;
  customer_code: string;
  customer_secrecy: number;
  customer_department_id: string;
};

function withCustomer(q: ReturnType<typeof tasksFrom>) {
  return q
    .selectAll('v')
    .select([
      'c.name as customer_name',
      'c.archive_code as customer_code',
      'c.secrecy as customer_secrecy',
      'c.department_id as customer_department_id',
    ]);
}

function visible(r: Reader) {
  return visitVisible(r.ctx.actor, r.scope, r.ctx.now());
}

/** The task if the reader may see it; otherwise 404, as if it did not exist (R-P1). */
async function findVisible(r: Reader, id: string, db: Db = r.ctx.db): Promise<TaskRow> {
  const row = await withCustomer(tasksFrom(db))
    .where('v.id', '=', id)
    .where(visible(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as TaskRow;
}

function resourceOf(r: Reader, row: TaskRow, owners: readonly string[]): VisitResource {
  return {
    assignee: row.assignee_id === r.ctx.actor.id,
    owner: owners.includes(r.ctx.actor.id),
    managesArchive: r.scope.departmentIds.includes(row.customer_department_id),
  };
}

async function toTasks(r: Reader, rows: TaskRow[]): Promise<VisitTask[]> {
  const db = r.ctx.db;
  const owners = await ownersOf(db, [...new Set(rows.map((x) => x.customer_id))]);
  const people = [
    ...new Set(rows.flatMap((x) => [x.assignee_id, x.done_by]).filter((x): x is string => !!x)),
  ];
  const names = new Map<string, string>();
  for (let i = 0; i < people.length; i += 500)
    for (const u of await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', people.slice(i, i + 500))
      .execute())
      names.set(u.id, u.name);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
  return rows.map((row) => {
    const resource = resourceOf(
      r,
      row,
      (owners.get(row.customer_id) ?? []).map((o) => o.id),
    );
    const may = (action: Action) => can(r.ctx.actor, action, resource);
    const open = row.status === 'open';
    return {
      id: row.id,
      customer: { id: row.customer_id, name: row.customer_name, code: row.customer_code },
      trigger: row.trigger as VisitTask['trigger'],
      ruleId: row.rule_id,
      ruleName: row.rule_name,
      sourceType: row.source_type,
      sourceId: row.source_id,
      step: Number(row.step),
      offsetDays: Number(row.offset_days),
      dayKind: row.day_kind as DayKind,
      baseDate: row.base_date,
      dueDate: row.due_date,
      way: row.way as VisitWay,
      assignee: person(row.assignee_id),
      status: row.status as VisitStatus,
      dueState: open ? visitDueState(row.due_date, r.today) : null,
      secrecy: secrecyFromRank(Number(row.customer_secrecy)),
      note: row.note,
      createdAt: row.created_at,
      visit:
        row.status === 'done' && row.visited_on
          ? {
              visitedOn: row.visited_on,
              way: (row.visit_way ?? row.way) as VisitWay,
              contact: row.contact,
              content: row.content ?? '',
              feedback: row.feedback,
              nextStep: row.next_step,
              nextStepDue: row.next_step_due,
              by: person(row.done_by),
              at: row.done_at ?? row.updated_at,
              interactionId: row.interaction_id,
            }
          : null,
      cancelledAt: row.cancelled_at,
      cancelReason: row.cancel_reason as VisitCancelReason | null,
      cancelNote: row.cancel_note,
      can: {
        complete: open && may('visit.complete'),
        cancel: open && may('visit.manage'),
        reassign: open && may('visit.manage'),
      },
    };
  });
}

/** The tasks a filter selects within what the reader may see (lists and counts). */
function filtered(r: Reader, f: Partial<VisitFilter>) {
  let q = tasksFrom(r.ctx.db).where(visible(r) as never);
  if (f.view === 'mine') q = q.where('v.assignee_id', '=', r.ctx.actor.id);
  if (f.view === 'department')
    q = r.scope.departmentIds.length
      ? q.where('c.department_id', 'in', r.scope.departmentIds)
      : q.where(sql<SqlBool>`1 = 0`);
  if (f.due) {
    q = q.where('v.status', '=', 'open');
    if (f.due === 'overdue') q = q.where('v.due_date', '<', r.today);
    if (f.due === 'today') q = q.where('v.due_date', '=', r.today);
    if (f.due === 'upcoming') q = q.where('v.due_date', '>', r.today);
  }
  if (f.status) q = q.where('v.status', '=', f.status);
  if (f.customerId) q = q.where('v.customer_id', '=', f.customerId);
  if (f.assigneeId) q = q.where('v.assignee_id', '=', f.assigneeId);
  return q;
}

/**
 * Follow-up visits due from … to (YYYY-MM-DD) that the reader may see, cancelled ones left out:
 * how many were due, done and are still open (the archive statistics' service summary), and the
 * highest archive secrecy counted.
 */
export async function visitCounts(
  ctx: Ctx,
  from: string,
  to: string,
): Promise<{ due: number; done: number; open: number; secrecy: number }> {
  const r = await reader(ctx);
  const row = await filtered(r, {})
    .where('v.due_date', '>=', from)
    .where('v.due_date', '<=', to)
    .where('v.status', '!=', 'cancelled')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      sql<number>`sum(case when v.status = 'done' then 1 else 0 end)`.as('done'),
      eb.fn.max('c.secrecy').as('secrecy'),
    ])
    .executeTakeFirstOrThrow();
  const due = Number(row.due);
  const done = Number(row.done ?? 0);
  return { due, done, open: due - done, secrecy: Number(row.secrecy ?? 0) };
}

export async function listVisits(
  ctx: Ctx,
  f: VisitFilter,
): Promise<{ items: VisitTask[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  let q = withCustomer(filtered(r, f));
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('v.due_date', '>', after[0]),
        eb.and([eb('v.due_date', '=', after[0]), eb('v.id', '>', after[1])]),
      ]),
    );
  const rows = (await q
    .orderBy('v.due_date')
    .orderBy('v.id')
    .limit(f.limit + 1)
    .execute()) as TaskRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return {
    items: await toTasks(r, page),
    nextCursor: last ? encodeCursor([last.due_date, last.id]) : null,
  };
}

export async function getVisit(ctx: Ctx, id: string): Promise<VisitTask> {
  const r = await reader(ctx);
  const [task] = await toTasks(r, [await findVisible(r, id)]);
  return task as VisitTask;
}

/** How many visits the list shows for a filter. */
export async function countVisits(ctx: Ctx, f: Partial<VisitFilter>): Promise<number> {
  const r = await reader(ctx);
  const row = await filtered(r, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** 我的待办 for visits (R-W1): open, due today and overdue — the reader's own and, for a
 * department manager, those of their departments' archives. */
export async function visitTodo(ctx: Ctx): Promise<VisitTodo> {
  const r = await reader(ctx);
  const counts = async (view: 'mine' | 'department') => {
    const row = await filtered(r, { view, status: 'open' })
      .select((eb) => [
        eb.fn.countAll<number>().as('open'),
        eb.fn.sum<number>(sql`case when v.due_date = ${r.today} then 1 else 0 end`).as('today'),
        eb.fn.sum<number>(sql`case when v.due_date < ${r.today} then 1 else 0 end`).as('overdue'),
      ])
      .executeTakeFirstOrThrow();
    return { open: Number(row.open), dueToday: Number(row.today ?? 0), overdue: Number(row.overdue ?? 0) };
  };
  const manager = r.ctx.actor.roles.includes('department_manager') && r.scope.departmentIds.length > 0;
  return { mine: await counts('mine'), department: manager ? await counts('department') : null };
}

// Changes ---------------------------------------------------------------------------------------

async function audit(t: TxCtx, row: TaskRow, action: string, details: Record<string, unknown>) {
  await appendAudit(t, {
    action,
    targetType: 'visit_task',
    targetId: row.id,
    targetLabel: `${row.customer_code} ${row.customer_name} ${row.due_date}`,
    secrecy: Number(row.customer_secrecy),
    details,
  });
}

/** Loads a task for a change: 404 if unseen, 403 if the reader may not, 409 unless open. */
async function changing(r: Reader, t: TxCtx, id: string, action: Action): Promise<TaskRow> {
  const row = await findVisible(r, id, t.db);
  // Takes the row's lock on PostgreSQL before anything is decided on it.
  await t.db
    .updateTable('visit_tasks')
    .set({ updated_at: nowIso(t) })
    .where('id', '=', id)
    .execute();
  const owners = ((await ownersOf(t.db, [row.customer_id])).get(row.customer_id) ?? []).map((o) => o.id);
  authorize(r.ctx, action, { type: 'visit_task', id, resource: resourceOf(r, row, owners) });
  if (row.status !== 'open')
    throw new DomainError('visit_not_open', 409, {
      status: VISIT_STATUS_LABELS[row.status as VisitStatus]?.[r.ctx.lang] ?? row.status,
    });
  return row;
}

/** The visitor must be an active person cleared for the archive (R-P1). */
async function checkAssignee(t: TxCtx, userId: string, secrecy: number): Promise<void> {
  const user = await t.db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('active', '=', 1)
    .where('clearance', '>=', secrecy)
    .executeTakeFirst();
  if (!user) throw new FieldErrors([{ field: 'assigneeId', key: 'visit_assignee' }]);
}

/** A visit planned by hand for an archive the reader looks after. */
export async function createVisit(ctx: Ctx, input: CreateVisitInput): Promise<VisitTask> {
  const r = await reader(ctx);
  const id = newId();
  await tx(ctx, async (t) => {
    const archive = await t.db
      .selectFrom('customers as c')
      .select(['c.id', 'c.status', 'c.secrecy', 'c.department_id', 'c.archive_code', 'c.name'])
      .where('c.id', '=', input.customerId)
      .where(customerVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
      .executeTakeFirst();
    if (!archive) throw new DomainError('not_found', 404, {}, 'customerId');
    const owners = ((await ownersOf(t.db, [archive.id])).get(archive.id) ?? []).map((o) => o.id);
    authorize(r.ctx, 'visit.manage', {
      type: 'customer',
      id: archive.id,
      resource: {
        assignee: false,
        owner: owners.includes(r.ctx.actor.id),
        managesArchive: r.scope.departmentIds.includes(archive.department_id),
      } satisfies VisitResource,
    });
    if (archive.status !== 'draft' && archive.status !== 'filed')
      throw new DomainError('visit_archive_inactive', 409);
    if (input.dueDate < r.today)
      throw new FieldErrors([{ field: 'dueDate', key: 'date_order', params: { date: r.today } }]);
    const assignee = input.assigneeId ?? owners[0] ?? r.ctx.actor.id;
    await checkAssignee(t, assignee, Number(archive.secrecy));
    const now = nowIso(t);
    await t.db
      .insertInto('visit_tasks')
      .values({
        id,
        customer_id: archive.id,
        trigger: 'manual',
        rule_id: null,
        rule_name: null,
        source_type: null,
        source_id: null,
        plan_key: `manual:${id}`,
        step: 1,
        offset_days: 0,
        day_kind: 'calendar',
        base_date: r.today,
        due_date: input.dueDate,
        way: input.way,
        assignee_id: assignee,
        status: 'open',
        note: input.note,
        visited_on: null,
        visit_way: null,
        contact: null,
        content: null,
        feedback: null,
        next_step: null,
        next_step_due: null,
        interaction_id: null,
        done_by: null,
        done_at: null,
        cancelled_at: null,
        cancelled_by: null,
        cancel_reason: null,
        cancel_note: null,
        reminded_at: null,
        created_at: now,
        created_by: r.ctx.actor.id,
        updated_at: now,
      })
      .execute();
    await appendAudit(t, {
      action: 'visit.create',
      targetType: 'visit_task',
      targetId: id,
      targetLabel: `${archive.archive_code} ${archive.name} ${input.dueDate}`,
      secrecy: Number(archive.secrecy),
      details: { customerId: archive.id, dueDate: input.dueDate, way: input.way, assigneeId: assignee },
    });
  });
  return getVisit(ctx, id);
}

/** Another visitor, day or way for an open task. */
export async function updateVisit(
  ctx: Ctx,
  id: string,
  input: { assigneeId?: string | undefined; dueDate?: string | undefined; way?: VisitWay | undefined },
): Promise<VisitTask> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'visit.manage');
    const set: Partial<VisitTaskTable> = {};
    if (input.assigneeId !== undefined && input.assigneeId !== row.assignee_id) {
      await checkAssignee(t, input.assigneeId, Number(row.customer_secrecy));
      set.assignee_id = input.assigneeId;
      set.reminded_at = null;
    }
    if (input.dueDate !== undefined && input.dueDate !== row.due_date) {
      if (input.dueDate < r.today)
        throw new FieldErrors([{ field: 'dueDate', key: 'date_order', params: { date: r.today } }]);
      set.due_date = input.dueDate;
      set.reminded_at = null;
    }
    if (input.way !== undefined && input.way !== row.way) set.way = input.way;
    if (Object.keys(set).length === 0) return;
    await t.db.updateTable('visit_tasks').set(set).where('id', '=', id).execute();
    await audit(t, row, 'visit.update', {
      changes: Object.fromEntries(
        Object.entries(set)
          .filter(([k]) => k !== 'reminded_at')
          .map(([k, v]) => [k, { from: row[k as keyof VisitTaskTable], to: v }]),
      ),
    });
  });
  return getVisit(ctx, id);
}

export async function cancelVisit(ctx: Ctx, id: string, note: string | null): Promise<VisitTask> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'visit.manage');
    const now = nowIso(t);
    await t.db
      .updateTable('visit_tasks')
      .set({
        status: 'cancelled',
        cancelled_at: now,
        cancelled_by: r.ctx.actor.id,
        cancel_reason: 'manual',
        cancel_note: note,
      })
      .where('id', '=', id)
      .execute();
    await audit(t, row, 'visit.cancel', { note });
  });
  return getVisit(ctx, id);
}

/**
 * 回访: the visit is recorded on its task and, as a call or visit, in the archive's timeline
 * (R-V2). The customer's feedback and the next step go with it.
 */
export async function completeVisit(ctx: Ctx, id: string, input: CompleteVisitInput): Promise<VisitTask> {
  const r = await reader(ctx);
  if (input.visitedOn > r.today) throw new FieldErrors([{ field: 'visitedOn', key: 'future_date' }]);
  if (input.nextStepDue && input.nextStepDue < input.visitedOn)
    throw new FieldErrors([{ field: 'nextStepDue', key: 'date_order', params: { date: input.visitedOn } }]);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'visit.complete');
    const summary = [
      `回访（${VISIT_WAY_LABELS[input.way].zh}）：${input.content}`,
      input.feedback ? `客户意见：${input.feedback}` : null,
    ]
      .filter(Boolean)
      .join('\n');
    const interactionId = await recordInteraction(
      t,
      row.customer_id,
      {
        kind: VISIT_INTERACTION_KIND[input.way],
        occurredOn: input.visitedOn,
        participants: input.contact,
        summary,
        nextStep: input.nextStep,
        nextStepDue: input.nextStepDue ?? null,
      },
      { visitTaskId: id },
    );
    const now = nowIso(t);
    await t.db
      .updateTable('visit_tasks')
      .set({
        status: 'done',
        visited_on: input.visitedOn,
        visit_way: input.way,
        contact: input.contact,
        content: input.content,
        feedback: input.feedback,
        next_step: input.nextStep,
        next_step_due: input.nextStepDue ?? null,
        interaction_id: interactionId,
        done_by: r.ctx.actor.id,
        done_at: now,
      })
      .where('id', '=', id)
      .execute();
    await audit(t, row, 'visit.complete', {
      way: input.way,
      visitedOn: input.visitedOn,
      dueDate: row.due_date,
      interactionId,
    });
  });
  return getVisit(ctx, id);
}
