import { clockRuleFor, OUTCOME_LABELS, type Severity } from '../../../common/cases.js';
import { secrecyRank } from '../../../common/enums.js';
import type { Case } from '../../../common/schemas/cases.js';
import type { CaseTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import type { Action } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { projectLinkProblem } from '../customers/project-links.js';
import { visitsOnCaseClosed } from '../visits/plans.js';
import { type Archived, afterArchive, archiveCase } from './archive.js';
import { dueOf, meetClock } from './clocks.js';
import { loadCaseSettings } from './config.js';
import { reindexCase } from './repo.js';
import {
  assertStatus,
  assertType,
  authorizeStep,
  findVisible,
  getCase,
  type Reader,
  reader,
  recordEvent,
  resourceOf,
  stepInstant,
} from './service.js';

// The steps of a case (R-Q2 … R-Q5): triage of a complaint (成立 → assigned; 不成立 → the
// customer answered and the case closed), dispatch of a service request (派工), investigation,
// resolution, the reply to the customer and the revisit, which files the case's record in the
// customer's archive. Each step checks the case's status, the one policy rule for it, and stops
// the clock it meets; each is an event on the case's timeline and an audit entry.

type Row = Awaited<ReturnType<typeof findVisible>>;

/** Loads the case for a step, locked against a concurrent step on PostgreSQL. */
async function stepOn(r: Reader, t: TxCtx, id: string, action: Action): Promise<Row> {
  const row = await findVisible(r, id, t.db);
  await t.db
    .updateTable('cases')
    .set({ updated_at: nowIso(t) })
    .where('id', '=', id)
    .execute();
  authorizeStep(r, action, row, await resourceOf(r, row, t.db));
  return row;
}

async function audit(t: TxCtx, row: Row, action: string, details: Record<string, unknown> = {}) {
  await appendAudit(t, {
    action,
    targetType: 'case',
    targetId: row.id,
    targetLabel: row.number,
    secrecy: Number(row.effective_secrecy),
    details,
  });
}

/** A handler is an active member of the department (or one below it), cleared for the case,
 * and not the person the complaint is about. */
async function assertHandler(t: TxCtx, row: Row, departmentId: string, handlerId: string): Promise<void> {
  const tree = await t.db
    .withRecursive('tree(id)', (qb) =>
      qb
        .selectFrom('departments')
        .select('id')
        .where('id', '=', departmentId)
        .unionAll((q) =>
          q.selectFrom('departments as d').innerJoin('tree', 'tree.id', 'd.parent_id').select('d.id'),
        ),
    )
    .selectFrom('tree')
    .select('id')
    .execute();
  if (tree.length === 0) throw new DomainError('not_found', 404, {}, 'departmentId');
  if (row.responsible_user_id === handlerId)
    throw new DomainError('case_handler_responsible', 422, {}, 'handlerId');
  const user = await t.db
    .selectFrom('users')
    .select(['id', 'clearance'])
    .where('id', '=', handlerId)
    .where('active', '=', 1)
    .where(
      'department_id',
      'in',
      tree.map((d) => d.id),
    )
    .executeTakeFirst();
  if (!user || Number(user.clearance) < Number(row.effective_secrecy))
    throw new DomainError('case_handler_invalid', 422, {}, 'handlerId');
}

async function assign(
  t: TxCtx,
  row: Row,
  input: { departmentId: string; handlerId: string; note: string | null },
  outcome: 'justified' | null,
): Promise<void> {
  await assertHandler(t, row, input.departmentId, input.handlerId);
  await t.db
    .updateTable('cases')
    .set({
      status: 'in_progress',
      outcome,
      triaged_by: t.actor?.id ?? null,
      triaged_at: nowIso(t),
      triage_note: input.note,
      handling_department_id: input.departmentId,
      handler_id: input.handlerId,
    })
    .where('id', '=', row.id)
    .execute();
  await notify(t, [input.handlerId], {
    kind: 'case.assigned',
    title: `${row.number} ${row.customer_name} 的${row.kind === 'complaint' ? '投诉' : '服务请求'}已分派给您处理`,
    body: row.content.slice(0, 200),
    link: `/cases/${row.id}`,
    secrecy: Number(row.effective_secrecy),
  });
}

export async function triage(
  ctx: Ctx,
  store: BlobStore,
  id: string,
  input:
    | { justified: true; departmentId: string; handlerId: string; note: string | null }
    | {
        justified: false;
        note: string | null;
        reply: { text: string; way: string; repliedAt?: string | undefined };
      },
): Promise<Case> {
  const r = await reader(ctx);
  const archived = await tx(ctx, async (t): Promise<Archived | null> => {
    const row = await stepOn(r, t, id, 'case.triage');
    if (row.kind !== 'complaint') throw new DomainError('case_not_complaint', 409);
    assertStatus(row, 'new');
    const calendar = await loadCalendar(t);
    const at = nowIso(t);
    if (input.justified) {
      await assign(t, row, input, 'justified');
      await recordEvent(t, id, 'triaged_justified', input.note);
      await audit(t, row, 'case.triage', { outcome: OUTCOME_LABELS.justified.zh, handler: input.handlerId });
      return null;
    }
    // 不成立: the customer is answered politely and the case closes (R-Q2).
    const repliedAt = stepInstant(t, input.reply.repliedAt, 'reply.repliedAt');
    await t.db
      .updateTable('cases')
      .set({
        status: 'closed',
        outcome: 'unjustified',
        triaged_by: t.actor?.id ?? null,
        triaged_at: at,
        triage_note: input.note,
        reply_text: input.reply.text,
        reply_way: input.reply.way,
        reply_by: t.actor?.id ?? null,
        replied_at: repliedAt,
        resolved_at: at,
        resolved_by: t.actor?.id ?? null,
        closed_at: at,
      })
      .where('id', '=', id)
      .execute();
    for (const clock of ['investigate', 'resolve'] as const)
      await meetClock(t, calendar, id, clock, row.received_at, at);
    await meetClock(t, calendar, id, 'reply', row.received_at, repliedAt);
    await recordEvent(t, id, 'triaged_unjustified', input.note);
    await audit(t, row, 'case.triage', { outcome: OUTCOME_LABELS.unjustified.zh, replyWay: input.reply.way });
    await visitsOnCaseClosed(t, { caseId: id, customerId: row.customer_id, kind: row.kind });
    return archiveCase(t, store, id);
  });
  await afterArchive(ctx, store, archived);
  return getCase(ctx, id, { audit: false });
}

/** 派工: a service request goes straight to a handler (R-Q7). */
export async function dispatch(
  ctx: Ctx,
  id: string,
  input: { departmentId: string; handlerId: string; note: string | null },
): Promise<Case> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.triage');
    if (row.kind === 'complaint' && row.status === 'new') throw new DomainError('case_needs_triage', 409);
    assertStatus(row, 'new', 'in_progress');
    const reassign = row.status === 'in_progress';
    await assign(t, row, input, row.kind === 'complaint' ? 'justified' : null);
    await recordEvent(t, id, reassign ? 'reassigned' : 'dispatched', input.note);
    await audit(t, row, reassign ? 'case.reassign' : 'case.dispatch', { handler: input.handlerId });
  });
  return getCase(ctx, id, { audit: false });
}

/** The handler starts investigating: the first clock stops (R-Q3). */
export async function startInvestigation(ctx: Ctx, id: string): Promise<Case> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.handle');
    assertStatus(row, 'in_progress');
    await meetClock(t, await loadCalendar(t), id, 'investigate', row.received_at, nowIso(t));
    await recordEvent(t, id, 'investigation_started');
    await audit(t, row, 'case.investigate');
  });
  return getCase(ctx, id, { audit: false });
}

export interface InvestigationInput {
  causeCategory?: string | null | undefined;
  analysis?: string | null | undefined;
  containment?: string | null | undefined;
  solution?: string | null | undefined;
  responsibleDepartmentId?: string | null | undefined;
  responsibleUserId?: string | null | undefined;
  verification?: string | null | undefined;
  returnQuantity?: number | null | undefined;
  returnDisposition?: string | null | undefined;
  returnReceivedOn?: string | null | undefined;
  returnNote?: string | null | undefined;
}

const INVESTIGATION_COLUMNS: [keyof InvestigationInput, keyof CaseTable][] = [
  ['causeCategory', 'cause_category'],
  ['analysis', 'analysis'],
  ['containment', 'containment'],
  ['solution', 'solution'],
  ['responsibleDepartmentId', 'responsible_department_id'],
  ['responsibleUserId', 'responsible_user_id'],
  ['verification', 'verification'],
  ['returnQuantity', 'return_quantity'],
  ['returnDisposition', 'return_disposition'],
  ['returnReceivedOn', 'return_received_on'],
  ['returnNote', 'return_note'],
];

/** Records cause, analysis, containment, solution, responsibility, verification, returns (R-Q4). */
export async function saveInvestigation(ctx: Ctx, id: string, input: InvestigationInput): Promise<Case> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.handle');
    assertStatus(row, 'in_progress', 'to_reply');
    const set: Record<string, unknown> = {};
    for (const [field, column] of INVESTIGATION_COLUMNS)
      if (input[field] !== undefined) set[column] = input[field];
    if (input.responsibleUserId) {
      const user = await t.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', input.responsibleUserId)
        .executeTakeFirst();
      if (!user) throw new DomainError('not_found', 404, {}, 'responsibleUserId');
    }
    if (input.responsibleDepartmentId) {
      const dept = await t.db
        .selectFrom('departments')
        .select('id')
        .where('id', '=', input.responsibleDepartmentId)
        .executeTakeFirst();
      if (!dept) throw new DomainError('not_found', 404, {}, 'responsibleDepartmentId');
    }
    if (input.verification !== undefined) {
      set.verified_by = input.verification ? (t.actor?.id ?? null) : null;
      set.verified_at = input.verification ? nowIso(t) : null;
    }
    if (Object.keys(set).length > 0) await t.db.updateTable('cases').set(set).where('id', '=', id).execute();
    // Recording findings is investigating: the first clock stops if it has not already.
    await meetClock(t, await loadCalendar(t), id, 'investigate', row.received_at, nowIso(t));
    await recordEvent(t, id, 'investigation_saved');
    await audit(t, row, 'case.investigation', { fields: Object.keys(set) });
  });
  return getCase(ctx, id, { audit: false });
}

/** Handling is finished: the resolution clock stops and the outcome is to be told (R-Q4). */
export async function resolve(ctx: Ctx, id: string): Promise<Case> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.handle');
    assertStatus(row, 'in_progress');
    const missing: { field: string; key: 'required' }[] = [];
    if (row.kind === 'complaint') {
      if (!row.cause_category) missing.push({ field: 'causeCategory', key: 'required' });
      if (!row.analysis) missing.push({ field: 'analysis', key: 'required' });
    }
    if (!row.solution) missing.push({ field: 'solution', key: 'required' });
    if (missing.length > 0) throw new FieldErrors(missing);
    const at = nowIso(t);
    const calendar = await loadCalendar(t);
    await meetClock(t, calendar, id, 'investigate', row.received_at, at);
    await meetClock(t, calendar, id, 'resolve', row.received_at, at);
    await t.db
      .updateTable('cases')
      .set({ status: 'to_reply', resolved_at: at, resolved_by: t.actor?.id ?? null })
      .where('id', '=', id)
      .execute();
    await recordEvent(t, id, 'resolved');
    await audit(t, row, 'case.resolve');
  });
  return getCase(ctx, id, { audit: false });
}

/**
 * The reply to the customer (R-Q3, R-Q4). Before resolution it is an interim answer (it stops the
 * reply clock); after it, it tells the outcome and the case waits for its revisit (R-Q5).
 */
export async function reply(
  ctx: Ctx,
  id: string,
  input: { text: string; way: string; repliedAt?: string | undefined },
): Promise<Case> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.handle');
    assertStatus(row, 'in_progress', 'to_reply');
    const repliedAt = stepInstant(t, input.repliedAt, 'repliedAt');
    const calendar = await loadCalendar(t);
    await meetClock(t, calendar, id, 'reply', row.received_at, repliedAt);
    const set: Partial<CaseTable> = {
      reply_text: input.text,
      reply_way: input.way,
      reply_by: t.actor?.id ?? null,
      replied_at: repliedAt,
    };
    const final = row.status === 'to_reply';
    if (final) {
      const settings = await loadCaseSettings(t.db);
      const rule = clockRuleFor(settings.clocks, {
        kind: row.kind as 'complaint' | 'service',
        type: row.type,
        severity: row.severity as Severity,
      });
      const due = dueOf(calendar, nowIso(t), rule.revisit, settings.dayEnds);
      Object.assign(set, {
        status: 'to_revisit',
        revisit_role: settings.revisitRole,
        revisit_due: due.dueDate,
      });
      await t.db
        .insertInto('case_clocks')
        .values({
          case_id: id,
          clock: 'revisit',
          due_date: due.dueDate,
          due_at: due.dueAt,
          met_at: null,
          met_days: null,
          met_hours: null,
          on_time: null,
          due_notified_at: null,
          breach_notified_at: null,
          escalated_at: null,
        })
        .onConflict((oc) => oc.columns(['case_id', 'clock']).doNothing())
        .execute();
      const revisitors = (await activeUsersWithRoles(t.db, [settings.revisitRole as never])).filter(
        (u) => u !== row.responsible_user_id,
      );
      await notify(t, revisitors, {
        kind: 'case.revisit',
        title: `${row.number} ${row.customer_name} 已答复，请于 ${due.dueDate} 前回访`,
        link: `/cases/${row.id}`,
        secrecy: Number(row.effective_secrecy),
      });
    }
    await t.db.updateTable('cases').set(set).where('id', '=', id).execute();
    await recordEvent(t, id, 'replied', final ? '告知处理结果' : '阶段答复');
    await audit(t, row, 'case.reply', { way: input.way, final });
  });
  return getCase(ctx, id, { audit: false });
}

/** 回访: the customer's final opinion closes the case and files its record (R-Q5). */
export async function revisit(
  ctx: Ctx,
  store: BlobStore,
  id: string,
  input: { opinion: string; comment: string | null; way: string; revisitedAt?: string | undefined },
): Promise<Case> {
  const r = await reader(ctx);
  const archived = await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.revisit');
    assertStatus(row, 'to_revisit');
    const at = stepInstant(t, input.revisitedAt, 'revisitedAt');
    const closedAt = nowIso(t);
    await meetClock(t, await loadCalendar(t), id, 'revisit', row.replied_at ?? row.received_at, at);
    await t.db
      .updateTable('cases')
      .set({
        status: 'closed',
        revisit_opinion: input.opinion,
        revisit_comment: input.comment,
        revisit_way: input.way,
        revisited_by: t.actor?.id ?? null,
        revisited_at: at,
        closed_at: closedAt,
      })
      .where('id', '=', id)
      .execute();
    await recordEvent(t, id, 'revisited', input.comment);
    await audit(t, row, 'case.revisit', { opinion: input.opinion });
    await visitsOnCaseClosed(t, { caseId: id, customerId: row.customer_id, kind: row.kind });
    return archiveCase(t, store, id);
  });
  await afterArchive(ctx, store, archived);
  return getCase(ctx, id, { audit: false });
}

/** Changes what was recorded at intake (not once closed). */
export async function updateCase(
  ctx: Ctx,
  id: string,
  input: {
    type?: string | undefined;
    subtype?: string | null | undefined;
    contactName?: string | null | undefined;
    contactPhone?: string | null | undefined;
    product?: string | null | undefined;
    partNumber?: string | null | undefined;
    orderRef?: string | null | undefined;
    quantity?: number | null | undefined;
    demand?: string | null | undefined;
    severity?: string | undefined;
    secrecy?: string | undefined;
    responsibleUserId?: string | null | undefined;
    projectId?: string | null | undefined;
  },
): Promise<Case> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await stepOn(r, t, id, 'case.update');
    assertStatus(row, 'new', 'in_progress', 'to_reply', 'to_revisit');
    if (input.type) await assertType(t, row.kind as 'complaint' | 'service', input.type);
    const set: Partial<CaseTable> = {};
    const map: [keyof typeof input, keyof CaseTable][] = [
      ['type', 'type'],
      ['subtype', 'subtype'],
      ['contactName', 'contact_name'],
      ['contactPhone', 'contact_phone'],
      ['product', 'product'],
      ['partNumber', 'part_number'],
      ['orderRef', 'order_ref'],
      ['quantity', 'quantity'],
      ['demand', 'demand'],
      ['severity', 'severity'],
      ['responsibleUserId', 'responsible_user_id'],
    ];
    for (const [field, column] of map)
      if (input[field] !== undefined) (set as Record<string, unknown>)[column] = input[field];
    if (input.secrecy !== undefined) {
      const rank = secrecyRank(input.secrecy as never);
      if (rank > r.ctx.actor.clearance) throw new DomainError('forbidden', 403, {}, 'secrecy');
      set.secrecy = rank;
    }
    if (input.responsibleUserId && input.responsibleUserId === row.handler_id)
      throw new DomainError('case_handler_responsible', 422, {}, 'responsibleUserId');
    // 项目档案: a project of the case's own archive (customers/projects.ts).
    if (input.projectId !== undefined && input.projectId !== (row.project_id ?? null)) {
      if (input.projectId) {
        const problem = await projectLinkProblem(t.db, input.projectId, row.customer_id, true);
        if (problem) throw new FieldErrors([problem]);
      }
      set.project_id = input.projectId;
    }
    if (Object.keys(set).length === 0) return;
    await t.db.updateTable('cases').set(set).where('id', '=', id).execute();
    await reindexCase(t.db, id);
    await recordEvent(t, id, 'updated', Object.keys(set).join(', '));
    await audit(t, row, 'case.update', { fields: Object.keys(set) });
  });
  return getCase(ctx, id, { audit: false });
}
