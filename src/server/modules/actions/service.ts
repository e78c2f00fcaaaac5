import { type SqlBool, sql } from 'kysely';
import {
  ACTION_KIND_LABELS,
  ACTION_STATUS_LABELS,
  type ActionKind,
  type ActionSourceType,
  type ActionStatus,
} from '../../../common/actions.js';
import { secrecyFromRank } from '../../../common/enums.js';
import type {
  ActionFilter,
  ActionTodo,
  CorrectiveAction,
  CreateActionInput,
} from '../../../common/schemas/actions.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadActor } from '../../platform/auth.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { actionVerifyRefusal, authorize, can } from '../../platform/policy/index.js';
import * as repo from './repo.js';
import { actionsVisible, type Reader, SOURCES, type SourceLabel, type SourceView } from './sources.js';

// Corrective and preventive actions (纠正预防措施, R-Q4): raised on a source record by whoever
// handles it, with an owner and a due date in working days; done by the owner (or the source's
// handler) with the result; verified effective or not by quality, the general manager or the
// deputy — never by the action's own owner. An action is visible exactly when its source is, and
// every step is an audit entry and an event on the source's timeline.

function readerOf(ctx: Ctx): Reader {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  return ctx as Reader;
}

const kindLabel = (kind: string) => ACTION_KIND_LABELS[kind as ActionKind]?.zh ?? kind;
const today = (ctx: Pick<Ctx, 'now'>) => todayInShanghai(ctx.now());

function toAction(
  ctx: Reader,
  row: repo.ActionRow,
  source: SourceLabel | undefined,
  editsSource: boolean,
): CorrectiveAction {
  const resource = { ownerId: row.owner_id, editsSource };
  const status = row.status as ActionStatus;
  return {
    ...repo.itemOf(row, today(ctx)),
    source: {
      type: row.source_type as ActionSourceType,
      id: row.source_id,
      label: source?.label ?? row.source_id,
      link: source?.link ?? '/',
    },
    customer:
      source?.customerId && source.customerName ? { id: source.customerId, name: source.customerName } : null,
    department: row.department_id
      ? { id: row.department_id, name: row.department_name ?? row.department_id }
      : null,
    secrecy: secrecyFromRank(Number(row.effective_secrecy)),
    can: {
      complete: status === 'open' && can(ctx.actor, 'action.complete', resource),
      verify: status === 'done' && can(ctx.actor, 'action.verify', resource),
    },
  };
}

/** One page of rows as the reader sees them: source labels and who may edit, one query a source kind. */
export async function toActionsPage(ctx: Reader, rows: repo.ActionRow[]): Promise<CorrectiveAction[]> {
  const byType = new Map<ActionSourceType, string[]>();
  for (const row of rows) {
    const type = row.source_type as ActionSourceType;
    byType.set(type, [...(byType.get(type) ?? []), row.source_id]);
  }
  const labels = new Map<string, SourceLabel>();
  const editable = new Set<string>();
  for (const [type, ids] of byType) {
    const kind = SOURCES[type];
    if (!kind) continue;
    const unique = [...new Set(ids)];
    for (const [id, label] of await kind.labels(ctx.db, unique)) labels.set(`${type}:${id}`, label);
    for (const id of await kind.editable(ctx, unique)) editable.add(`${type}:${id}`);
  }
  return rows.map((row) => {
    const key = `${row.source_type}:${row.source_id}`;
    return toAction(ctx, row, labels.get(key), editable.has(key));
  });
}

function sourceKind(type: string) {
  const kind = SOURCES[type as ActionSourceType];
  if (!kind) throw notFound();
  return kind;
}

/** The action if the reader may see its source; otherwise 404, as if it did not exist. */
async function findVisible(ctx: Reader, id: string, db = ctx.db): Promise<repo.ActionRow> {
  const row = (await repo
    .actionsFrom(db)
    .where('a.id', '=', id)
    .where((await actionsVisible(ctx)) as never)
    .executeTakeFirst()) as repo.ActionRow | undefined;
  if (!row) throw notFound();
  return row;
}

async function audit(
  t: Ctx,
  action: string,
  row: Pick<repo.ActionRow, 'id' | 'kind'>,
  source: Pick<SourceView, 'label' | 'secrecy' | 'type' | 'id'>,
  details: Record<string, unknown> = {},
) {
  await appendAudit(t, {
    action,
    targetType: 'corrective_action',
    targetId: row.id,
    targetLabel: `${source.label} ${kindLabel(row.kind)}`,
    secrecy: source.secrecy,
    details: { source: source.label, sourceType: source.type, ...details },
  });
}

// Raising -----------------------------------------------------------------------------------

/** The source, for a change to its actions: visible (else 404), editable by the reader (else 403). */
async function editableSource(t: TxCtx & Reader, type: string, id: string): Promise<SourceView> {
  const source = await sourceKind(type).open(t, id, t.db);
  if (!source.mayEdit)
    throw new DomainError('forbidden', 403, {}, undefined, {
      action: source.editAction,
      targetType: type,
      targetId: id,
      secrecy: source.secrecy,
    });
  return source;
}

export async function raiseAction(
  ctx: Ctx,
  sourceType: ActionSourceType,
  sourceId: string,
  input: CreateActionInput,
): Promise<CorrectiveAction> {
  const r = readerOf(ctx);
  const id = await tx(r, async (t) => {
    const tr = t as TxCtx & Reader;
    const source = await editableSource(tr, sourceType, sourceId);
    if (source.closed) throw new DomainError('action_source_closed', 409, { source: source.label });
    // The owner works on the source: an active person who may see it, cleared for its secrecy.
    const owner = await loadActor(t.db, input.ownerId, 'session');
    if (
      !owner ||
      owner.clearance < source.secrecy ||
      !(await sourceKind(sourceType).visibleTo(t, owner, sourceId))
    )
      throw new DomainError('action_owner_invalid', 422, { source: source.label }, 'ownerId');
    const calendar = await loadCalendar(t);
    const dueDate = calendar.addWorkingDays(today(t), input.dueDays);
    const now = nowIso(t);
    const id = newId();
    await t.db
      .insertInto('corrective_actions')
      .values({
        id,
        source_type: sourceType,
        source_id: sourceId,
        customer_id: source.customerId,
        secrecy: source.secrecy,
        kind: input.kind,
        description: input.description,
        owner_id: owner.id,
        department_id: owner.departmentId,
        due_days: input.dueDays,
        due_date: dueDate,
        status: 'open',
        result: null,
        done_at: null,
        done_by: null,
        verification: null,
        verified_at: null,
        verified_by: null,
        created_by: tr.actor.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await sourceKind(sourceType).recordEvent(
      t,
      sourceId,
      'raised',
      `${kindLabel(input.kind)}：${input.description.slice(0, 200)}（责任人 ${owner.name}，${dueDate} 前完成）`,
    );
    await audit(t, 'action.create', { id, kind: input.kind }, source, {
      kind: input.kind,
      owner: owner.name,
      dueDays: input.dueDays,
      dueDate,
    });
    await notify(t, [owner.id], {
      kind: 'action.assigned',
      title: `${source.label} 的${kindLabel(input.kind)}已指派给您，${dueDate} 前完成`,
      body: input.description.slice(0, 200),
      link: source.link,
      secrecy: source.secrecy,
    });
    return id;
  });
  return getAction(r, id, { audit: false });
}

// Reading -------------------------------------------------------------------------------------

export async function getAction(
  ctx: Ctx,
  id: string,
  opts: { audit?: boolean } = {},
): Promise<CorrectiveAction> {
  const r = readerOf(ctx);
  const row = await findVisible(r, id);
  const [action] = await toActionsPage(r, [row]);
  if (!action) throw notFound();
  if (opts.audit !== false)
    await appendAudit(r, {
      action: 'action.read',
      targetType: 'corrective_action',
      targetId: row.id,
      targetLabel: `${action.source.label} ${kindLabel(row.kind)}`,
      secrecy: Number(row.effective_secrecy),
    });
  return action;
}

/** The actions of one source, and whether the reader may raise more (404 if they may not see it). */
export async function actionsOfSource(
  ctx: Ctx,
  sourceType: ActionSourceType,
  sourceId: string,
): Promise<{ items: CorrectiveAction[]; canRaise: boolean }> {
  const r = readerOf(ctx);
  const source = await sourceKind(sourceType).open(r, sourceId);
  const rows = await repo.actionsOfSource(r.db, sourceType, sourceId);
  const label: SourceLabel = source;
  return {
    items: rows.map((row) => toAction(r, row, label, source.mayEdit)),
    canRaise: source.mayEdit && !source.closed,
  };
}

/** The actions a filter selects, within what the reader may see (lists, exports). */
export async function filteredActions(ctx: Reader, f: Omit<ActionFilter, 'cursor' | 'limit'>) {
  if (f.view === 'all') authorize(ctx, 'action.oversee', { type: 'corrective_action' });
  let q = repo.actionsFrom(ctx.db).where((await actionsVisible(ctx)) as never);
  if (f.view === 'mine') q = q.where('a.owner_id', '=', ctx.actor.id);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.overdue === 'true') q = q.where('a.status', '=', 'open').where('a.due_date', '<', today(ctx));
  return q;
}

/** How many actions the list shows for a filter. */
export async function countActions(ctx: Ctx, f: Omit<ActionFilter, 'cursor' | 'limit'>): Promise<number> {
  const q = await filteredActions(readerOf(ctx), f);
  const row = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listActions(
  ctx: Ctx,
  f: ActionFilter,
): Promise<{ items: CorrectiveAction[]; nextCursor: string | null }> {
  const r = readerOf(ctx);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  let q = await filteredActions(r, f);
  if (after)
    q = q.where(
      sql<SqlBool>`(a.due_date > ${after[0]} or (a.due_date = ${after[0]} and a.id > ${after[1]}))`,
    );
  const rows = (await q
    .orderBy('a.due_date')
    .orderBy('a.id')
    .limit(f.limit + 1)
    .execute()) as repo.ActionRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return {
    items: await toActionsPage(r, page),
    nextCursor: last ? encodeCursor([last.due_date, last.id]) : null,
  };
}

/** 我的待办 for actions: my open ones, those past due, and what waits for my verification. */
export async function actionTodo(ctx: Ctx): Promise<ActionTodo> {
  const r = readerOf(ctx);
  const visible = await actionsVisible(r);
  const count = async (q: { executeTakeFirstOrThrow: () => Promise<{ n: number | string | bigint }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n);
  const base = () =>
    r.db
      .selectFrom('corrective_actions as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(visible as never);
  const mineOpen = () => base().where('a.owner_id', '=', r.actor.id).where('a.status', '=', 'open');
  return {
    open: await count(mineOpen()),
    overdue: await count(mineOpen().where('a.due_date', '<', today(r))),
    toVerify: can(r.actor, 'action.oversee')
      ? await count(base().where('a.status', '=', 'done').where('a.owner_id', '!=', r.actor.id))
      : 0,
  };
}

// Completing and verifying ------------------------------------------------------------------------

/** Loads an action for a step, locked against a concurrent step on PostgreSQL. */
async function stepOn(t: TxCtx & Reader, id: string) {
  const row = await findVisible(t, id, t.db);
  await t.db
    .updateTable('corrective_actions')
    .set({ updated_at: nowIso(t) })
    .where('id', '=', id)
    .execute();
  const source = await sourceKind(row.source_type).open(t, row.source_id, t.db);
  return { row, source };
}

function assertStatus(row: repo.ActionRow, status: ActionStatus): void {
  if (row.status !== status)
    throw new DomainError('action_wrong_status', 409, {
      status: ACTION_STATUS_LABELS[row.status as ActionStatus]?.zh ?? row.status,
    });
}

export async function completeAction(
  ctx: Ctx,
  id: string,
  input: { result: string },
): Promise<CorrectiveAction> {
  const r = readerOf(ctx);
  await tx(r, async (t) => {
    const tr = t as TxCtx & Reader;
    const { row, source } = await stepOn(tr, id);
    authorize(t, 'action.complete', {
      type: 'corrective_action',
      id,
      resource: { ownerId: row.owner_id, editsSource: source.mayEdit },
    });
    assertStatus(row, 'open');
    const now = nowIso(t);
    await t.db
      .updateTable('corrective_actions')
      .set({ status: 'done', result: input.result, done_at: now, done_by: tr.actor.id, updated_at: now })
      .where('id', '=', id)
      .execute();
    await sourceKind(row.source_type).recordEvent(
      t,
      row.source_id,
      'done',
      `${kindLabel(row.kind)}：${row.description.slice(0, 100)} —— ${input.result.slice(0, 200)}`,
    );
    await audit(t, 'action.complete', row, source, { result: input.result.slice(0, 500) });
  });
  return getAction(r, id, { audit: false });
}

export async function verifyAction(
  ctx: Ctx,
  id: string,
  input: { effective: boolean; verification: string },
): Promise<CorrectiveAction> {
  const r = readerOf(ctx);
  await tx(r, async (t) => {
    const tr = t as TxCtx & Reader;
    const { row, source } = await stepOn(tr, id);
    const resource = { ownerId: row.owner_id };
    const refusal = actionVerifyRefusal(tr.actor, resource);
    if (refusal)
      throw new DomainError(refusal, 403, {}, undefined, {
        action: 'action.verify',
        targetType: 'corrective_action',
        targetId: id,
        secrecy: source.secrecy,
      });
    authorize(t, 'action.verify', { type: 'corrective_action', id, resource });
    assertStatus(row, 'done');
    const now = nowIso(t);
    const status: ActionStatus = input.effective ? 'verified' : 'ineffective';
    await t.db
      .updateTable('corrective_actions')
      .set({
        status,
        verification: input.verification,
        verified_at: now,
        verified_by: tr.actor.id,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await sourceKind(row.source_type).recordEvent(
      t,
      row.source_id,
      input.effective ? 'verified' : 'ineffective',
      `${kindLabel(row.kind)}：${row.description.slice(0, 100)} —— ${input.verification.slice(0, 200)}`,
    );
    await audit(t, 'action.verify', row, source, {
      effective: input.effective,
      verification: input.verification.slice(0, 500),
    });
    if (!input.effective)
      await notify(t, [row.owner_id], {
        kind: 'action.ineffective',
        title: `${source.label} 的${kindLabel(row.kind)}验证无效，请与品质部确认后续措施`,
        body: input.verification.slice(0, 200),
        link: source.link,
        secrecy: source.secrecy,
      });
  });
  return getAction(r, id, { audit: false });
}
