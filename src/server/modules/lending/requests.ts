import { type ExpressionBuilder, sql } from 'kysely';
import { secrecyFromRank } from '../../../common/enums.js';
import {
  APPROVER_LABELS,
  APPROVER_ROLES,
  type ApproverRole,
  approvalChain,
  itemsLabel,
  type LendingMode,
  REQUEST_STATUS_LABELS,
  type RequestStatus,
} from '../../../common/lending.js';
import type { AccessRequest, CreateRequestInput, RequestSummary } from '../../../common/schemas/lending.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { AccessRequestTable, Database } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextCode } from '../../platform/numbering.js';
import { type Action, assertReadable, authorize, can } from '../../platform/policy/index.js';
import {
  type ActorScope,
  actorScope,
  recordWithinClearance,
  secrecyOfTarget,
  targetWithinClearance,
} from '../../platform/policy/records.js';
import { destroyedDocuments } from '../retention/destroyed-query.js';
import { assertFound, resolveRequestable } from './catalogue.js';
import { loadLendingSettings } from './config.js';
import { approversOf, notifyStep } from './notices.js';

// Access requests (查阅、借阅申请, R-P2/R-P3): a requester picks records within their clearance,
// states purpose and period; the approval chain follows from the configured rules (own or
// other department, 受控, 机密 and above, outside borrower) and is fixed when submitted. Each
// step is taken by its role — a department manager for the requester's department — never by
// the requester, and only by someone cleared for every item: a step nobody cleared can take goes
// to the general manager, and a request no cleared general manager could decide is refused, so
// none waits for an approver who cannot open it (R-P1). Approval, rejection and return for
// changes are in approvals.ts.

const NUMBER_PATTERN = 'JY{yyyy}{mm}-{seq:4}';
const LETTER_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

export interface Step {
  role: ApproverRole;
  label: string;
  /** For a department manager's step: the requester's department. */
  departmentId: string | null;
}

export const stepsOf = (row: Pick<AccessRequestTable, 'steps'>) => JSON.parse(row.steps) as Step[];

/**
 * The request's effective secrecy now (R-P9): what was stored when it was made, or more if one of
 * its records has been raised since (a document's archive made 机密 later).
 */
export async function requestSecrecy(
  db: Db,
  row: Pick<AccessRequestTable, 'id' | 'secrecy'>,
): Promise<number> {
  return Math.max(Number(row.secrecy), await secrecyOfTarget(db, 'access_request', row.id));
}

/** SQL: the request (aliased `a`) is within the actor's clearance, by its items' levels now. */
export function requestWithinClearance(actor: Actor) {
  return (eb: ExpressionBuilder<Database & { a: AccessRequestTable }, 'a'>) =>
    eb.and([
      eb('a.secrecy', '<=', actor.clearance),
      targetWithinClearance(actor, sql.lit('access_request'), sql.ref('a.id')),
    ]);
}

/** SQL: the request item (aliased `i`) is within the actor's clearance, by its record's level now. */
export function itemWithinClearance(actor: Actor) {
  return (eb: ExpressionBuilder<Database & { i: Database['access_request_items'] }, 'i'>) =>
    eb.and([
      eb('i.secrecy', '<=', actor.clearance),
      recordWithinClearance(actor, 'i.target_type', 'i.target_id'),
    ]);
}

export async function findRequest(db: Db, id: string): Promise<AccessRequestTable> {
  const row = await db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function recordEvent(
  t: TxCtx,
  requestId: string,
  kind: string,
  step: number | null = null,
  comment: string | null = null,
): Promise<void> {
  await t.db
    .insertInto('access_request_events')
    .values({
      id: newId(),
      request_id: requestId,
      at: nowIso(t),
      actor_id: t.actor?.id ?? null,
      actor_name: t.actor?.name ?? null,
      kind,
      step,
      comment,
    })
    .execute();
}

/** Sets who must act next, or nobody. */
export function pendingOf(
  steps: Step[],
  index: number,
): { pending_role: string | null; pending_department_id: string | null } {
  const s = steps[index];
  return { pending_role: s?.role ?? null, pending_department_id: s?.departmentId ?? null };
}

/** The chain of a request for these items, as the rules say (R-P2). */
async function chainFor(
  t: TxCtx,
  actor: Actor,
  scope: ActorScope,
  items: { departmentId: string | null; controlled: boolean; secrecy: number }[],
  external: boolean,
  totalDays: number,
): Promise<Step[]> {
  const settings = await loadLendingSettings(t.db);
  const secrecy = Math.max(0, ...items.map((i) => i.secrecy));
  const requester = { requester_id: actor.id, requester_department_id: actor.departmentId };
  const approvers = new Map<ApproverRole, string[]>();
  for (const role of APPROVER_ROLES) approvers.set(role, await approversOf(t.db, role, requester, secrecy));
  const roles = approvalChain(
    {
      items: items.map((i) => ({
        ownDepartment: !!i.departmentId && scope.departmentIds.includes(i.departmentId),
        controlled: i.controlled,
        secrecy: i.secrecy,
      })),
      external,
      totalDays,
      maxDays: settings.maxDays,
      // Without a department there is no department manager to ask.
      requesterRoles: actor.departmentId ? actor.roles : [...actor.roles, 'department_manager'],
      uncleared: APPROVER_ROLES.filter((role) => approvers.get(role)?.length === 0),
    },
    // R-P2 own_department_requires_approval: the department manager approves own-department reading.
    settings.ownDepartmentRequiresApproval && !settings.rules.ownDepartment.includes('department_manager')
      ? { ...settings.rules, ownDepartment: [...settings.rules.ownDepartment, 'department_manager'] }
      : settings.rules,
  );
  // Only the general manager's step can be left without anyone cleared for it.
  if (roles.some((role) => approvers.get(role)?.length === 0))
    throw new DomainError('no_cleared_approver', 422, {}, 'items');
  return roles.map((role) => ({
    role,
    label: APPROVER_LABELS[role].zh,
    departmentId: role === 'department_manager' ? actor.departmentId : null,
  }));
}

/** Stores an uploaded letter of introduction (a scan: PDF or image) and returns its digest. */
export async function storeLetter(
  ctx: Ctx,
  blob: { sha256: string; size: number; mime: string },
): Promise<{ sha256: string; size: number; mime: string }> {
  authorize(ctx, 'lending.request', { type: 'access_request' });
  if (!LETTER_TYPES.includes(blob.mime)) throw new DomainError('letter_type', 422, {}, 'file');
  await tx(ctx, async (t) => {
    await t.db
      .insertInto('blobs')
      .values({ sha256: blob.sha256, size: blob.size, mime: blob.mime, created_at: nowIso(t) })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    await appendAudit(t, {
      action: 'lending.letter_upload',
      targetType: 'access_request',
      details: { sha256: blob.sha256, size: blob.size, mime: blob.mime },
    });
  });
  return blob;
}

/** The request's letter of introduction, for whoever may read the request; the read is audited. */
export async function openLetter(
  ctx: Ctx,
  store: { has(sha256: string): boolean },
  id: string,
): Promise<{ sha256: string; mime: string; name: string }> {
  const { row } = await readableRequest(ctx, id);
  if (!row.letter_sha256 || !store.has(row.letter_sha256)) throw notFound();
  const blob = await ctx.db
    .selectFrom('blobs')
    .select(['mime'])
    .where('sha256', '=', row.letter_sha256)
    .executeTakeFirstOrThrow();
  await appendAudit(ctx, {
    action: 'lending.letter_download',
    targetType: 'access_request',
    targetId: id,
    targetLabel: row.number,
    details: { sha256: row.letter_sha256, name: row.letter_name },
  });
  return { sha256: row.letter_sha256, mime: blob.mime, name: row.letter_name ?? 'letter' };
}

export async function createRequest(
  ctx: Ctx,
  input: CreateRequestInput,
  renewalOf: AccessRequestTable | null = null,
): Promise<AccessRequest> {
  authorize(ctx, 'lending.request', { type: 'access_request' });
  const actor = ctx.actor;
  const scope = await actorScope({ ...ctx, actor });
  const id = await tx(ctx, async (t) => {
    const settings = await loadLendingSettings(t.db);
    const days = input.days ?? settings.defaultDays;
    if (!renewalOf && days > settings.maxDays)
      throw new DomainError('period_too_long', 422, { max: settings.maxDays }, 'days');
    const found = await resolveRequestable(t.db, actor, input.items);
    assertFound(found, input.items);
    const items = input.items.map(
      (i) => found.get(`${i.targetType}:${i.targetId}`) as NonNullable<ReturnType<typeof found.get>>,
    );
    if (input.mode === 'physical') {
      const digital = items.find((i) => !i.paper);
      if (digital) throw new DomainError('item_not_physical', 422, { label: digital.label }, 'items');
    }
    if (input.letter) {
      const blob = await t.db
        .selectFrom('blobs')
        .select('sha256')
        .where('sha256', '=', input.letter.sha256)
        .executeTakeFirst();
      if (!blob) throw new DomainError('letter_missing', 422, {}, 'letter');
    }
    const totalDays = days + (renewalOf ? await daysSoFar(t.db, renewalOf) : 0);
    const steps = await chainFor(t, actor, scope, items, !!input.external, totalDays);
    const today = todayInShanghai(t.now());
    const requestId = newId();
    const number = await nextCode(t, 'access_request', NUMBER_PATTERN, { date: today });
    const now = nowIso(t);
    const secrecy = Math.max(0, ...items.map((i) => i.secrecy));
    await t.db
      .insertInto('access_requests')
      .values({
        id: requestId,
        number,
        requester_id: actor.id,
        requester_department_id: actor.departmentId,
        mode: input.mode,
        purpose: input.purpose,
        days,
        reason: input.reason,
        external_org: input.external?.organisation ?? null,
        external_person: input.external?.person ?? null,
        letter_sha256: input.letter?.sha256 ?? null,
        letter_name: input.letter?.name ?? null,
        status: 'pending',
        steps: JSON.stringify(steps),
        current_step: 0,
        ...pendingOf(steps, 0),
        renewal_of: renewalOf?.id ?? null,
        secrecy,
        start_date: null,
        end_date: null,
        decided_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db
      .insertInto('access_request_items')
      .values(
        items.map((i) => ({
          id: newId(),
          request_id: requestId,
          target_type: i.targetType,
          target_id: i.targetId,
          label: i.label,
          code: i.code,
          department_id: i.departmentId,
          secrecy: i.secrecy,
          controlled: i.controlled ? 1 : 0,
        })),
      )
      .execute();
    await recordEvent(t, requestId, renewalOf ? 'renew' : 'submit', null, input.reason);
    await notifyStep(
      t,
      { id: requestId, number, requester_id: actor.id, requester_department_id: actor.departmentId },
      steps[0],
      await itemsText(t.db, requestId),
      secrecy,
    );
    await appendAudit(t, {
      action: 'lending.request',
      targetType: 'access_request',
      targetId: requestId,
      targetLabel: number,
      secrecy,
      details: {
        number,
        mode: input.mode,
        purpose: input.purpose,
        days,
        items: items.map((i) => ({ type: i.targetType, id: i.targetId })),
        steps: steps.map((s) => s.role),
        external: input.external,
        renewalOf: renewalOf?.number ?? null,
      },
    });
    return requestId;
  });
  return getRequest(ctx, id);
}

/** Days approved so far in a chain of renewals, from the first request on. */
async function daysSoFar(db: Db, row: AccessRequestTable): Promise<number> {
  let total = 0;
  let current: AccessRequestTable | undefined = row;
  while (current) {
    if (!['rejected', 'withdrawn'].includes(current.status)) total += Number(current.days);
    current = current.renewal_of ? await findRequest(db, current.renewal_of) : undefined;
  }
  return total;
}

// Reading --------------------------------------------------------------------------------------

interface Involvement {
  scope: ActorScope;
  decidedBy: Set<string>;
}

function resourceOf(row: AccessRequestTable, actor: Actor, inv: Involvement) {
  const step = stepsOf(row)[Number(row.current_step)];
  const inScope =
    !!row.requester_department_id && inv.scope.departmentIds.includes(row.requester_department_id);
  const mayDecide =
    row.status === 'pending' &&
    can(actor, 'lending.decide', { stepRole: step?.role, inScope, requesterId: row.requester_id });
  return {
    requesterId: row.requester_id,
    stepRole: step?.role,
    inScope,
    involved: mayDecide || inv.decidedBy.has(actor.id),
    mayDecide,
  };
}

function summary(
  row: AccessRequestTable & { requester_name: string; requester_department: string | null },
  items: { label: string }[],
  today: string,
): RequestSummary {
  const step = stepsOf(row)[Number(row.current_step)];
  return {
    id: row.id,
    number: row.number,
    requester: { id: row.requester_id, name: row.requester_name, departmentName: row.requester_department },
    mode: row.mode as LendingMode,
    purpose: row.purpose as RequestSummary['purpose'],
    days: Number(row.days),
    status: row.status as RequestStatus,
    waitingFor: row.status === 'pending' ? (step?.label ?? null) : null,
    itemCount: items.length,
    firstItem: items[0]?.label ?? '',
    external: row.external_org ? `${row.external_org} ${row.external_person ?? ''}`.trim() : null,
    startDate: row.start_date,
    endDate: row.end_date,
    expired: row.mode === 'electronic' && row.status === 'approved' && !!row.end_date && row.end_date < today,
    createdAt: row.created_at,
  };
}

function withRequester(db: Db) {
  return db
    .selectFrom('access_requests as a')
    .innerJoin('users as u', 'u.id', 'a.requester_id')
    .leftJoin('departments as dep', 'dep.id', 'a.requester_department_id')
    .selectAll('a')
    .select(['u.name as requester_name', 'dep.name as requester_department']);
}

/**
 * A request the actor may read: the requester, its approvers, the overseers — and never one
 * naming records above the reader's clearance. For anyone else it does not exist (404, R-P1),
 * whatever they then try to do with it.
 */
export async function readableRequest(
  ctx: Ctx,
  id: string,
  db: Db = ctx.db,
  /** What the caller came to do, for the audit entry of a refusal. */
  attempt: Action = 'lending.read',
): Promise<{ row: AccessRequestTable; res: ReturnType<typeof resourceOf>; actor: Actor }> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const row = await findRequest(db, id);
  const deciders = await db
    .selectFrom('access_request_events')
    .select('actor_id')
    .where('request_id', '=', id)
    .where('kind', 'in', ['approve', 'reject', 'return'])
    .execute();
  // On the caller's connection: inside a transaction, SQLite has only the one.
  const scope = await actorScope({ ...ctx, db, actor });
  const res = resourceOf(row, actor, { scope, decidedBy: new Set(deciders.map((e) => e.actor_id ?? '')) });
  assertReadable(
    ctx,
    {
      type: 'access_request',
      id,
      resource: res,
      read: 'lending.read',
      secrecy: await requestSecrecy(db, row),
    },
    attempt,
  );
  return { row, res, actor };
}

export async function getRequest(ctx: Ctx, id: string): Promise<AccessRequest> {
  const { res, actor } = await readableRequest(ctx, id);
  const row = await withRequester(ctx.db).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  const events = await ctx.db
    .selectFrom('access_request_events')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const items = await ctx.db
    .selectFrom('access_request_items as i')
    .leftJoin('loans as l', (j) => j.onRef('l.item_id', '=', 'i.id').on('l.mode', '=', 'physical'))
    .select([
      'i.id',
      'i.target_type',
      'i.target_id',
      'i.label',
      'i.code',
      'i.secrecy',
      'i.controlled',
      'l.id as loan_id',
      'l.due_date',
      'l.returned_at',
      'l.condition_in',
    ])
    .where('i.request_id', '=', id)
    .orderBy('i.label')
    .execute();
  const today = todayInShanghai(ctx.now());
  const destroyed = await destroyedItems(ctx.db, items);
  const steps = stepsOf(row);
  const stepEvents = events.filter(
    (e) => e.step !== null && ['approve', 'reject', 'return'].includes(e.kind),
  );
  const renewal = row.renewal_of
    ? await ctx.db
        .selectFrom('access_requests')
        .select(['id', 'number'])
        .where('id', '=', row.renewal_of)
        .executeTakeFirst()
    : undefined;
  const mine = row.requester_id === actor.id;
  const active = row.status === 'approved' && (!row.end_date || row.end_date >= today);
  return {
    ...summary(row, items, today),
    reason: row.reason,
    externalPerson: row.external_person,
    letterName: row.letter_name,
    renewalOf: renewal ?? null,
    steps: steps.map((s, i) => {
      // The last decision on the step (a returned request starts its chain again).
      const e = stepEvents.filter((x) => Number(x.step) === i + 1).at(-1);
      const current = row.status === 'pending' && i === Number(row.current_step);
      return {
        step: i + 1,
        role: s.role,
        label: s.label,
        decision: e && !current ? (e.kind as 'approve' | 'reject' | 'return') : null,
        by: e && !current ? { id: e.actor_id ?? '', name: e.actor_name ?? '' } : null,
        at: e && !current ? e.at : null,
        comment: e && !current ? e.comment : null,
      };
    }),
    items: items.map((i) => ({
      id: i.id,
      targetType: i.target_type as 'customer' | 'document',
      targetId: i.target_id,
      label: i.label,
      code: i.code,
      secrecy: secrecyFromRank(Number(i.secrecy)),
      controlled: i.controlled === 1,
      destroyed: destroyed.has(i.target_id),
      loan: i.loan_id
        ? {
            id: i.loan_id,
            dueDate: i.due_date as string,
            returnedAt: i.returned_at,
            conditionIn: (i.condition_in as 'intact' | 'damaged' | 'lost' | null) ?? null,
            overdue: !i.returned_at && (i.due_date as string) < today,
          }
        : null,
    })),
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      actorName: e.actor_name,
      kind: e.kind as AccessRequest['events'][number]['kind'],
      step: e.step === null ? null : Number(e.step),
      comment: e.comment,
    })),
    can: {
      decide: res.mayDecide,
      // A destroyed record is granted to nobody (R-X4): such a request can only be rejected.
      approve: res.mayDecide && destroyed.size === 0,
      withdraw: mine && (row.status === 'pending' || row.status === 'returned'),
      resubmit: mine && row.status === 'returned',
      renew: mine && active && !row.external_org,
      issue: row.mode === 'physical' && row.status === 'approved' && can(actor, 'lending.desk'),
    },
  };
}

/** Lists: my requests, those waiting for me, or (overseers) all; newest first, keyset paged. */
export async function listRequests(
  ctx: Ctx,
  q: {
    view: 'mine' | 'approvals' | 'all';
    status?: RequestStatus | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: RequestSummary[]; nextCursor: string | null }> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  let query = withRequester(ctx.db).where(requestWithinClearance(actor) as never);
  if (q.view === 'mine') query = query.where('a.requester_id', '=', actor.id);
  else if (q.view === 'approvals') query = query.where((await waitingFor(ctx)) as never);
  else authorize(ctx, 'lending.oversee', { type: 'access_request' });
  if (q.status) query = query.where('a.status', '=', q.status);
  const after = decodeCursor(q.cursor, cursorValue.text, cursorValue.text);
  if (after) {
    const [at, id] = after;
    query = query.where((eb) =>
      eb.or([eb('a.created_at', '<', at), eb.and([eb('a.created_at', '=', at), eb('a.id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const items = page.length
    ? await ctx.db
        .selectFrom('access_request_items')
        .select(['request_id', 'label'])
        .where(
          'request_id',
          'in',
          page.map((p) => p.id),
        )
        .orderBy('label')
        .execute()
    : [];
  const today = todayInShanghai(ctx.now());
  const last = page.at(-1);
  return {
    items: page.map((row) =>
      summary(
        row,
        items.filter((i) => i.request_id === row.id),
        today,
      ),
    ),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/** SQL: pending requests whose current step is the actor's to take (never their own). */
export async function waitingFor(ctx: Ctx) {
  const actor = ctx.actor as Actor;
  const scope = await actorScope({ ...ctx, actor });
  const roles = actor.roles.filter((r): r is ApproverRole => r === 'archivist' || r === 'general_manager');
  const managing = actor.roles.includes('department_manager') ? scope.departmentIds : [];
  return (eb: ExpressionBuilder<Database & { a: AccessRequestTable }, 'a'>) =>
    eb.and([
      eb('a.status', '=', 'pending'),
      eb('a.requester_id', '!=', actor.id),
      eb.or([
        ...(roles.length ? [eb('a.pending_role', 'in', roles)] : []),
        ...(managing.length
          ? [
              eb.and([
                eb('a.pending_role', '=', 'department_manager'),
                eb('a.pending_department_id', 'in', managing),
              ]),
            ]
          : []),
        eb.lit(false),
      ]),
    ]);
}

export async function withdrawRequest(ctx: Ctx, id: string): Promise<AccessRequest> {
  await tx(ctx, async (t) => {
    const { row } = await readableRequest(ctx, id, t.db, 'lending.own');
    authorize(ctx, 'lending.own', {
      type: 'access_request',
      id,
      resource: { requesterId: row.requester_id },
    });
    if (row.status !== 'pending' && row.status !== 'returned') throw statusError(row, ctx.lang);
    await t.db
      .updateTable('access_requests')
      .set({ status: 'withdrawn', pending_role: null, pending_department_id: null, updated_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await recordEvent(t, id, 'withdraw');
    await appendAudit(t, {
      action: 'lending.withdraw',
      targetType: 'access_request',
      targetId: id,
      targetLabel: row.number,
      secrecy: Number(row.secrecy),
    });
  });
  return getRequest(ctx, id);
}

/** A returned request goes through its chain again from the first step, with the reason changed. */
export async function resubmitRequest(ctx: Ctx, id: string, reason: string): Promise<AccessRequest> {
  await tx(ctx, async (t) => {
    const { row } = await readableRequest(ctx, id, t.db, 'lending.own');
    authorize(ctx, 'lending.own', {
      type: 'access_request',
      id,
      resource: { requesterId: row.requester_id },
    });
    if (row.status !== 'returned') throw statusError(row, ctx.lang);
    await t.db
      .updateTable('access_requests')
      .set({
        status: 'pending',
        reason,
        current_step: 0,
        ...pendingOf(stepsOf(row), 0),
        updated_at: nowIso(t),
      })
      .where('id', '=', id)
      .execute();
    await recordEvent(t, id, 'resubmit', null, reason);
    await notifyStep(t, row, stepsOf(row)[0], await itemsText(t.db, id), await requestSecrecy(t.db, row));
    await appendAudit(t, {
      action: 'lending.resubmit',
      targetType: 'access_request',
      targetId: id,
      targetLabel: row.number,
      secrecy: Number(row.secrecy),
      details: { reason },
    });
  });
  return getRequest(ctx, id);
}

/** 续借: a new request for the same items, through the same chain — with the general manager
 * when the total goes beyond the maximum period (R-P3). */
export async function renewRequest(
  ctx: Ctx,
  id: string,
  input: { days: number; reason: string },
): Promise<AccessRequest> {
  const { row } = await readableRequest(ctx, id, ctx.db, 'lending.own');
  authorize(ctx, 'lending.own', { type: 'access_request', id, resource: { requesterId: row.requester_id } });
  const today = todayInShanghai(ctx.now());
  if (row.status !== 'approved' || (row.end_date && row.end_date < today) || row.external_org)
    throw new DomainError('renew_not_active', 409);
  const items = await ctx.db
    .selectFrom('access_request_items')
    .select(['target_type', 'target_id'])
    .where('request_id', '=', id)
    .execute();
  return createRequest(
    ctx,
    {
      mode: row.mode as LendingMode,
      purpose: row.purpose as CreateRequestInput['purpose'],
      days: input.days,
      reason: input.reason,
      items: items.map((i) => ({
        targetType: i.target_type as 'customer' | 'document',
        targetId: i.target_id,
      })),
      external: null,
      letter: null,
    },
    row,
  );
}

/** How notifications name the request's records: the first by title and the total (等 N 件). */
export async function itemsText(db: Db, requestId: string): Promise<string> {
  const items = await db
    .selectFrom('access_request_items')
    .select('label')
    .where('request_id', '=', requestId)
    .orderBy('label')
    .execute();
  return itemsLabel(items[0]?.label ?? '', items.length);
}

/** The request's items (documents) that are destroyed or being destroyed. */
export async function destroyedItems(
  db: Db,
  items: { target_type: string; target_id: string }[],
): Promise<Set<string>> {
  return destroyedDocuments(
    db,
    items.filter((i) => i.target_type === 'document').map((i) => i.target_id),
  );
}

export function statusError(row: Pick<AccessRequestTable, 'status'>, lang: 'zh' | 'en') {
  return new DomainError('request_status', 409, {
    status: REQUEST_STATUS_LABELS[row.status as RequestStatus]?.[lang] ?? row.status,
  });
}
