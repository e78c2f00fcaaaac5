import { type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import {
  CASE_EVENT_LABELS,
  CASE_NUMBER_PATTERNS,
  CASE_STATUS_LABELS,
  CASE_TYPE_LISTS,
  type CaseEventKind,
  type CaseKind,
  type CaseStatus,
  clockRuleFor,
  type Severity,
} from '../../../common/cases.js';
import { type SecrecyLevel, secrecyFromRank, secrecyRank } from '../../../common/enums.js';
import type {
  Case,
  CaseFilter,
  CaseSummary,
  CaseTodo,
  CreateCaseInput,
} from '../../../common/schemas/cases.js';
import { todayInShanghai } from '../../../common/time.js';
import type { CaseTable, Database } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar, type WorkCalendar } from '../../platform/calendar.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextCode, nextSequence } from '../../platform/numbering.js';
import { type Action, authorize, can } from '../../platform/policy/index.js';
import {
  type ActorScope,
  actorScope,
  caseVisible,
  caseVisibleAlone,
  customerVisible,
} from '../../platform/policy/records.js';
import type { CaseResource } from '../../platform/policy/rules.js';
import { itemOf as actionItem, actionsOfSource } from '../actions/repo.js';
import { projectLinkProblem } from '../customers/project-links.js';
import { clockOrder, clockView, receiptClocks } from './clocks.js';
import { loadCaseSettings, loadCaseTypes } from './config.js';
import * as repo from './repo.js';

// Complaints and service requests (R-Q1, R-Q7): intake, the case as a reader sees it, lists and
// the to-do counts. The steps a case goes through are in workflow.ts, attachments in files.ts.

export interface Reader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
}

export async function reader(ctx: Ctx): Promise<Reader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const c = ctx as Ctx & { actor: Actor };
  return { ctx: c, scope: await actorScope(c) };
}

export function visibleTo(r: Reader) {
  return caseVisible(r.ctx.actor, r.scope, r.ctx.now());
}

/** The case if the reader may see it; otherwise 404, as if it did not exist (R-P1). */
export async function findVisible(r: Reader, id: string, db = r.ctx.db): Promise<repo.CaseRow> {
  const row = await repo
    .withCustomer(repo.casesFrom(db))
    .where('k.id', '=', id)
    .where(visibleTo(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as repo.CaseRow;
}

/** What the case rules look at for this reader and case. */
export async function resourceOf(r: Reader, row: CaseTable, db = r.ctx.db): Promise<CaseResource> {
  const settings = await loadCaseSettings(db);
  const manager = r.ctx.actor.roles.includes('department_manager');
  let responsibleIsManager = false;
  if (row.kind === 'complaint' && row.responsible_user_id) {
    const roles = await db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', row.responsible_user_id)
      .where('role', '=', 'department_manager')
      .executeTakeFirst();
    responsibleIsManager = !!roles;
  }
  return {
    responsible: row.responsible_user_id === r.ctx.actor.id,
    responsibleIsManager,
    managesReceiving: manager && r.scope.departmentIds.includes(row.department_id),
    handler: row.handler_id === r.ctx.actor.id,
    receiver: row.receiver_id === r.ctx.actor.id,
    managesHandling:
      manager && !!row.handling_department_id && r.scope.departmentIds.includes(row.handling_department_id),
    revisitRole: row.revisit_role ?? settings.revisitRole,
  };
}

/** Throws 403 unless the reader may take this step on a case they can see. */
export function authorizeStep(r: Reader, action: Action, row: CaseTable, resource: CaseResource): void {
  authorize(r.ctx, action, { type: 'case', id: row.id, resource });
}

export async function recordEvent(t: TxCtx, caseId: string, kind: CaseEventKind, note: string | null = null) {
  await t.db
    .insertInto('case_events')
    .values({
      id: newId(),
      case_id: caseId,
      at: nowIso(t),
      actor_id: t.actor?.id ?? null,
      actor_name: t.actor?.name ?? null,
      kind,
      note,
    })
    .execute();
}

export function assertStatus(row: Pick<CaseTable, 'status'>, ...allowed: CaseStatus[]): void {
  if (!allowed.includes(row.status as CaseStatus))
    throw new DomainError('case_wrong_status', 409, {
      status: CASE_STATUS_LABELS[row.status as CaseStatus]?.zh ?? row.status,
    });
}

export async function assertType(t: Pick<Ctx, 'db'>, kind: CaseKind, type: string): Promise<void> {
  const found = await t.db
    .selectFrom('lookups')
    .select('code')
    .where('list', '=', CASE_TYPE_LISTS[kind])
    .where('code', '=', type)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!found) throw new DomainError('case_type_unknown', 422, { type }, 'type');
}

/** The instant a step happened: as given (never in the future), else now. */
export function stepInstant(t: Pick<Ctx, 'now'>, given: string | undefined, field: string): string {
  if (!given) return nowIso(t);
  const at = new Date(given);
  if (at.getTime() > t.now().getTime() + 60_000)
    throw new DomainError('case_received_future', 422, {}, field);
  return at.toISOString();
}

// Intake ------------------------------------------------------------------------------------

export async function createCase(ctx: Ctx, input: CreateCaseInput): Promise<Case> {
  authorize(ctx, 'case.create', { type: 'case' });
  const r = await reader(ctx);
  const id = await tx(ctx, async (t) => {
    // The customer archive must be one the receiver can see (R-P1): otherwise it is absent.
    const customer = await t.db
      .selectFrom('customers as c')
      .select(['c.id', 'c.name', 'c.department_id', 'c.secrecy'])
      .where('c.id', '=', input.customerId)
      .where(caseVisibleCustomer(r) as never)
      .executeTakeFirst();
    if (!customer) throw new DomainError('not_found', 404, {}, 'customerId');
    await assertType(t, input.kind, input.type);
    let contactName = input.contactName;
    let contactPhone = input.contactPhone;
    if (input.contactId) {
      const contact = await t.db
        .selectFrom('contacts')
        .select(['name', 'phone', 'mobile'])
        .where('id', '=', input.contactId)
        .where('customer_id', '=', customer.id)
        .executeTakeFirst();
      if (!contact) throw new DomainError('case_contact_invalid', 422, {}, 'contactId');
      contactName ??= contact.name;
      contactPhone ??= contact.mobile ?? contact.phone;
    }
    const secrecy = secrecyRank(input.secrecy as SecrecyLevel);
    if (secrecy > r.ctx.actor.clearance) throw new DomainError('forbidden', 403, {}, 'secrecy');
    if (input.projectId) {
      const problem = await projectLinkProblem(t.db, input.projectId, customer.id, true);
      if (problem) throw new FieldErrors([problem]);
    }
    const receivedAt = stepInstant(t, input.receivedAt, 'receivedAt');
    const settings = await loadCaseSettings(t.db);
    const calendar = await loadCalendar(t);
    const received = new Date(receivedAt);
    const number = await nextCode(t, `case_${input.kind}`, CASE_NUMBER_PATTERNS[input.kind], {
      date: todayInShanghai(received),
    });
    const id = newId();
    const now = nowIso(t);
    const row: CaseTable = {
      id,
      number,
      search_key: await nextSequence(t, 'case_search_key'),
      kind: input.kind,
      type: input.type,
      subtype: input.subtype,
      customer_id: customer.id,
      contact_id: input.contactId,
      contact_name: contactName,
      contact_phone: contactPhone,
      channel: input.channel,
      product: input.product,
      part_number: input.partNumber,
      order_ref: input.orderRef,
      quantity: input.quantity,
      content: input.content,
      demand: input.demand,
      receiver_id: r.ctx.actor.id,
      department_id: r.ctx.actor.departmentId ?? customer.department_id,
      received_at: receivedAt,
      received_month: todayInShanghai(received).slice(0, 7),
      severity: input.severity,
      secrecy,
      status: 'new',
      outcome: null,
      responsible_user_id: input.kind === 'complaint' ? input.responsibleUserId : null,
      project_id: input.projectId ?? null,
      responsible_department_id: null,
      triaged_by: null,
      triaged_at: null,
      triage_note: null,
      handling_department_id: null,
      handler_id: null,
      cause_category: null,
      analysis: null,
      containment: null,
      solution: null,
      verification: null,
      verified_by: null,
      verified_at: null,
      return_quantity: null,
      return_disposition: null,
      return_received_on: null,
      return_note: null,
      reply_text: null,
      reply_way: null,
      reply_by: null,
      replied_at: null,
      resolved_at: null,
      resolved_by: null,
      revisit_role: null,
      revisit_due: null,
      revisited_by: null,
      revisited_at: null,
      revisit_way: null,
      revisit_opinion: null,
      revisit_comment: null,
      closed_at: null,
      document_id: null,
      created_by: r.ctx.actor.id,
      created_at: now,
      updated_at: now,
    };
    await t.db.insertInto('cases').values(row).execute();
    const rule = clockRuleFor(settings.clocks, {
      kind: input.kind,
      type: input.type,
      severity: input.severity as Severity,
    });
    await t.db
      .insertInto('case_clocks')
      .values(receiptClocks(calendar, id, receivedAt, rule, settings.dayEnds))
      .execute();
    await repo.caseIndex(t.db).put(t.db, Number(row.search_key), repo.caseTokens(row));
    await recordEvent(t, id, 'received');
    await appendAudit(t, {
      action: 'case.create',
      targetType: 'case',
      targetId: id,
      targetLabel: number,
      secrecy: Math.max(secrecy, customer.secrecy),
      details: { kind: input.kind, type: input.type, customer: customer.name, severity: input.severity },
    });
    return id;
  });
  return getCase(ctx, id, { audit: false });
}

/** SQL on customers `c`: the reader may record a case for this archive (they can see it). */
function caseVisibleCustomer(r: Reader) {
  return customerVisible(r.ctx.actor, r.scope, r.ctx.now());
}

// Reading -------------------------------------------------------------------------------------

export async function getCase(ctx: Ctx, id: string, opts: { audit?: boolean } = {}): Promise<Case> {
  const r = await reader(ctx);
  const row = await findVisible(r, id);
  if (opts.audit !== false)
    await appendAudit(ctx, {
      action: 'case.read',
      targetType: 'case',
      targetId: row.id,
      targetLabel: row.number,
      secrecy: Number(row.effective_secrecy),
    });
  return toCase(r, row);
}

export async function toCase(r: Reader, row: repo.CaseRow): Promise<Case> {
  const db = r.ctx.db;
  const [clocks, files, events, types, calendar, resource, actions] = await Promise.all([
    repo.clocksOf(db, [row.id]),
    db.selectFrom('case_files').selectAll().where('case_id', '=', row.id).orderBy('created_at').execute(),
    db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', row.id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    loadCaseTypes(db),
    loadCalendar(r.ctx),
    resourceOf(r, row),
    actionsOfSource(db, 'case', row.id),
  ]);
  const names = await repo.namesOf(
    db,
    [
      row.handler_id,
      row.receiver_id,
      row.responsible_user_id,
      row.triaged_by,
      row.verified_by,
      row.reply_by,
      row.revisited_by,
      ...files.map((f) => f.created_by),
    ],
    [row.department_id, row.handling_department_id, row.responsible_department_id],
  );
  const person = (id: string | null) => (id ? { id, name: names.users.get(id) ?? id } : null);
  const dept = (id: string | null) => (id ? { id, name: names.departments.get(id) ?? id } : null);
  const document = row.document_id
    ? await db
        .selectFrom('documents')
        .select(['id', 'archive_no'])
        .where('id', '=', row.document_id)
        .executeTakeFirst()
    : undefined;
  const may = (action: Action) => can(r.ctx.actor, action, resource);
  const status = row.status as CaseStatus;
  return {
    ...summaryOf(row, clocks.get(row.id) ?? [], types, calendar, r.ctx.now(), person),
    projectId: row.project_id ?? null,
    subtype: row.subtype,
    contact: { id: row.contact_id, name: row.contact_name, phone: row.contact_phone },
    channel: row.channel as Case['channel'],
    partNumber: row.part_number,
    orderRef: row.order_ref,
    quantity: row.quantity === null ? null : Number(row.quantity),
    demand: row.demand,
    receiver: person(row.receiver_id),
    department: dept(row.department_id),
    ownSecrecy: secrecyFromRank(Number(row.secrecy)),
    responsible: person(row.responsible_user_id),
    responsibleDepartment: dept(row.responsible_department_id),
    triage: { by: person(row.triaged_by), at: row.triaged_at, note: row.triage_note },
    handlingDepartment: dept(row.handling_department_id),
    investigation: {
      causeCategory: row.cause_category as Case['investigation']['causeCategory'],
      analysis: row.analysis,
      containment: row.containment,
      solution: row.solution,
      verification: row.verification,
      verifiedBy: person(row.verified_by),
      verifiedAt: row.verified_at,
    },
    return: {
      quantity: row.return_quantity === null ? null : Number(row.return_quantity),
      disposition: row.return_disposition as Case['return']['disposition'],
      receivedOn: row.return_received_on,
      note: row.return_note,
    },
    reply: {
      text: row.reply_text,
      way: row.reply_way as Case['reply']['way'],
      by: person(row.reply_by),
      at: row.replied_at,
    },
    resolvedAt: row.resolved_at,
    revisit: {
      role: row.revisit_role,
      due: row.revisit_due,
      by: person(row.revisited_by),
      at: row.revisited_at,
      way: row.revisit_way as Case['revisit']['way'],
      opinion: row.revisit_opinion as Case['revisit']['opinion'],
      comment: row.revisit_comment,
    },
    closedAt: row.closed_at,
    document: document ? { id: document.id, archiveNo: document.archive_no } : null,
    files: files.map((f) => ({
      id: f.id,
      name: f.name,
      size: Number(f.size),
      mime: f.mime,
      sha256: f.sha256,
      createdAt: f.created_at,
      createdBy: person(f.created_by),
    })),
    events: events.map((e) => ({
      at: e.at,
      kind: e.kind as CaseEventKind,
      label: CASE_EVENT_LABELS[e.kind as CaseEventKind]?.zh ?? e.kind,
      actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? e.actor_id } : null,
      note: e.note,
    })),
    actions: actions.map((a) => actionItem(a, todayInShanghai(r.ctx.now()))),
    can: {
      update: status !== 'closed' && may('case.update'),
      triage: status === 'new' && row.kind === 'complaint' && may('case.triage'),
      dispatch: status === 'new' && row.kind === 'service' && may('case.triage'),
      reassign: status === 'in_progress' && may('case.triage'),
      handle: status === 'in_progress' && may('case.handle'),
      reply: (status === 'in_progress' || status === 'to_reply') && may('case.handle'),
      resolve: status === 'in_progress' && may('case.handle'),
      revisit: status === 'to_revisit' && may('case.revisit'),
    },
  };
}

function summaryOf(
  row: repo.CaseRow,
  clocks: import('../../db/types.js').CaseClockTable[],
  types: { list: string; code: string; label: string }[],
  calendar: WorkCalendar,
  now: Date,
  person: (id: string | null) => { id: string; name: string } | null,
): CaseSummary {
  const list = CASE_TYPE_LISTS[row.kind as CaseKind];
  return {
    id: row.id,
    number: row.number,
    kind: row.kind as CaseKind,
    type: row.type,
    typeLabel: types.find((t) => t.list === list && t.code === row.type)?.label ?? row.type,
    status: row.status as CaseStatus,
    outcome: row.outcome as CaseSummary['outcome'],
    severity: row.severity as Severity,
    customer: { id: row.customer_id, name: row.customer_name, code: row.customer_code },
    content: row.content,
    product: row.product,
    receivedAt: row.received_at,
    handler: person(row.handler_id),
    secrecy: secrecyFromRank(Number(row.effective_secrecy)),
    clocks: clocks
      .slice()
      .sort(clockOrder)
      .map((c) => clockView(calendar, c, now)),
  };
}

/** The cases a filter selects, within what the reader may see (lists, counts, exports). */
export function filteredCases(r: Reader, f: Partial<CaseFilter>) {
  return narrowed(r, repo.casesFrom(r.ctx.db).where(visibleTo(r) as never), f);
}

/** Cases (aliased `k`) without their archive: what counts and statistics select from. */
export type CasesAlone = SelectQueryBuilder<Database & { k: Database['cases'] }, 'k', object>;

/**
 * The same cases as `filteredCases`, for counting: without the join to the customer archive when
 * the reader's visibility does not need it (a reader who sees every case), so that counts and
 * statistics read an index of the cases only. Only the case's columns (`k`) may be used.
 */
export function countedCases(r: Reader, f: Partial<CaseFilter>): CasesAlone {
  const alone = caseVisibleAlone(r.ctx.actor);
  if (!alone) return filteredCases(r, f) as unknown as CasesAlone;
  const q = r.ctx.db.selectFrom('cases as k').where(alone as never);
  return narrowed(r, q as unknown as repo.CaseQuery, f) as unknown as CasesAlone;
}

/** The filter's conditions; they look at the case (`k`) and its clocks only. */
function narrowed(r: Reader, query: repo.CaseQuery, f: Partial<CaseFilter>) {
  let q = query;
  if (f.kind) q = q.where('k.kind', '=', f.kind);
  if (f.status) q = q.where('k.status', '=', f.status);
  if (f.customerId) q = q.where('k.customer_id', '=', f.customerId);
  if (f.type) q = q.where('k.type', '=', f.type);
  if (f.severity) q = q.where('k.severity', '=', f.severity);
  if (f.cause) q = q.where('k.cause_category', '=', f.cause);
  if (f.departmentId) q = q.where('k.handling_department_id', '=', f.departmentId);
  if (f.from) q = q.where('k.received_at', '>=', new Date(`${f.from}T00:00:00+08:00`).toISOString());
  if (f.to)
    q = q.where(
      'k.received_at',
      '<',
      new Date(Date.parse(`${f.to}T00:00:00+08:00`) + 86_400_000).toISOString(),
    );
  if (f.view === 'mine') {
    const me = r.ctx.actor.id;
    q = q.where((eb) => eb.or([eb('k.handler_id', '=', me), eb('k.receiver_id', '=', me)]));
  }
  if (f.view === 'breached') q = q.where(repo.breachedClock(nowIso(r.ctx)) as never);
  if (f.month) q = q.where('k.received_month', '=', f.month);
  if (f.product) q = q.where('k.product', '=', f.product);
  if (f.outcome) q = q.where('k.outcome', '=', f.outcome);
  if (f.unset) q = q.where(repo.UNSET_COLUMNS[f.unset], 'is', null);
  if (f.clockState) q = q.where(repo.clockInState(f.clock ?? null, f.clockState, nowIso(r.ctx)) as never);
  if (f.q) {
    const keys = repo.caseIndex(r.ctx.db).matchKeys(f.q);
    q = keys ? q.where('k.search_key', 'in', keys) : q.where(sql<SqlBool>`1 = 0`);
  }
  return q;
}

export async function listCases(
  ctx: Ctx,
  f: CaseFilter,
): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  let q = repo.withCustomer(filteredCases(r, f));
  if (after)
    q = q.where(
      sql<SqlBool>`(k.received_at < ${after[0]} or (k.received_at = ${after[0]} and k.id < ${after[1]}))`,
    );
  const rows = (await q
    .orderBy('k.received_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(f.limit + 1)
    .execute()) as repo.CaseRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return {
    items: await summaries(r, page),
    nextCursor: last ? encodeCursor([last.received_at, last.id]) : null,
  };
}

export async function summaries(r: Reader, rows: repo.CaseRow[]): Promise<CaseSummary[]> {
  const db = r.ctx.db;
  const [clocks, types, calendar] = await Promise.all([
    repo.clocksOf(
      db,
      rows.map((x) => x.id),
    ),
    loadCaseTypes(db),
    loadCalendar(r.ctx),
  ]);
  const names = await repo.namesOf(
    db,
    rows.map((x) => x.handler_id),
  );
  const person = (id: string | null) => (id ? { id, name: names.users.get(id) ?? id } : null);
  const now = r.ctx.now();
  return rows.map((row) => summaryOf(row, clocks.get(row.id) ?? [], types, calendar, now, person));
}

/** How many cases of each status the filter selects (the list's tabs). */
export async function countCases(ctx: Ctx, f: Partial<CaseFilter>): Promise<Record<CaseStatus, number>> {
  const r = await reader(ctx);
  const rows = await countedCases(r, { ...f, status: undefined })
    .select(['k.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('k.status')
    .execute();
  const out = { new: 0, in_progress: 0, to_reply: 0, to_revisit: 0, closed: 0 };
  for (const row of rows) out[row.status as CaseStatus] = Number(row.n);
  return out;
}

/** 我的待办 for cases (R-W1): what waits for the reader, what is due today and what is breached. */
export async function caseTodo(ctx: Ctx): Promise<CaseTodo> {
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  const settings = await loadCaseSettings(ctx.db);
  const today = todayInShanghai(ctx.now());
  const count = async (q: { executeTakeFirstOrThrow: () => Promise<{ n: number | string | bigint }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n);
  const visible = () => repo.casesFrom(ctx.db).where(visibleTo(r) as never);
  const mine = (q: ReturnType<typeof visible>) =>
    q.where((eb) => {
      const ors = [eb('k.handler_id', '=', actor.id)];
      if (actor.roles.includes('department_manager') && r.scope.departmentIds.length > 0)
        ors.push(eb('k.handling_department_id', 'in', r.scope.departmentIds));
      return eb.or(ors);
    });
  const triager = actor.roles.some((x) => x === 'quality' || x === 'general_manager');
  const toTriage =
    triager || actor.roles.includes('department_manager')
      ? await count(
          visible()
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('k.status', '=', 'new')
            .$if(!triager, (q) =>
              q.where('k.department_id', 'in', r.scope.departmentIds.length ? r.scope.departmentIds : ['-']),
            ),
        )
      : 0;
  const toHandle = await count(
    mine(visible())
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('k.status', 'in', ['in_progress', 'to_reply']),
  );
  const openClocks = (due: 'today' | 'breached') =>
    mine(visible())
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('case_clocks as kc')
            .select(sql`1`.as('one'))
            .whereRef('kc.case_id', '=', 'k.id')
            .where('kc.met_at', 'is', null)
            .where('kc.clock', '!=', 'revisit')
            .$if(due === 'today', (w) =>
              w.where('kc.due_date', '=', today).where('kc.due_at', '>=', nowIso(ctx)),
            )
            .$if(due === 'breached', (w) => w.where('kc.due_at', '<', nowIso(ctx))),
        ),
      );
  const toRevisit = actor.roles.includes(settings.revisitRole as never)
    ? await count(
        visible()
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('k.status', '=', 'to_revisit'),
      )
    : 0;
  return {
    toTriage,
    toHandle,
    dueToday: await count(openClocks('today')),
    breached: await count(openClocks('breached')),
    toRevisit,
  };
}
