import { type SqlBool, sql } from 'kysely';
import { SECRECY_LABELS, type SecrecyLevel, secrecyFromRank, secrecyRank } from '../../../common/enums.js';
import type {
  CreateRequirementInput,
  CustomerSrList,
  Requirement,
  RequirementFilter,
  RequirementSummary,
  SrTodo,
} from '../../../common/schemas/special-requirements.js';
import type { SrDocumentRole, SrReviewDecision, SrStatus } from '../../../common/special-requirements.js';
import type { Db } from '../../db/index.js';
import type { SrRequirementTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadActor } from '../../platform/auth.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { type Action, authorize, can } from '../../platform/policy/index.js';
import { documentSecrecy, documentVisible } from '../../platform/policy/records.js';
import { projectLabel, projectLinkProblem } from '../customers/project-links.js';
import { ownersOf } from '../customers/repo.js';
import { type SrReader, srReader, srResourceWith, visibleRequirement, visibleSrCustomer } from './access.js';
import { checksTodo } from './checks.js';
import { isProjectOverdue, nextCheckOn, projectDueOn } from './clocks.js';
import { loadSrSettings } from './config.js';
import { ackTodo } from './distributions.js';
import * as repo from './repo.js';

// The customer special requirements register (顾客特殊要求, R-S1, R-S2, R-S5): registering a
// requirement from a customer document, changing it with field-by-field history, reading one or
// a page of them, the customer's list, the to-do counts, and the applicable implemented
// requirements for contract review. A requirement is seen as policy/records.ts
// `requirementVisible` says; its effective secrecy is the higher of its own and its archive's.
// The review, links and status changes are in workflow.ts.

export type { SrReader } from './access.js';
export { srReader } from './access.js';

/** The requirement if the reader may see it; otherwise 404, as if it did not exist (R-P1). */
export async function findVisible(r: SrReader, id: string, db: Db = r.ctx.db): Promise<repo.RequirementRow> {
  const row = await repo
    .withDetails(repo.requirementsFrom(db))
    .where('r.id', '=', id)
    .where(visibleRequirement(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as unknown as repo.RequirementRow;
}

/** A requirement row as the summary needs it, without visibility (after a checked change). */
export async function loadRow(db: Db, id: string): Promise<repo.RequirementRow> {
  const row = await repo.withDetails(repo.requirementsFrom(db)).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row as unknown as repo.RequirementRow;
}

/** The departments asked to review each of the requirements (one query). */
export async function reviewDepartmentsOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) break;
    for (const row of await db
      .selectFrom('sr_reviews')
      .select(['requirement_id', 'department_id'])
      .where('requirement_id', 'in', chunk)
      .execute())
      out.set(row.requirement_id, [...(out.get(row.requirement_id) ?? []), row.department_id]);
  }
  return out;
}

export function subjectOf(row: repo.RequirementRow, reviewDepartmentIds: readonly string[] = []) {
  return {
    customerId: row.customer_id,
    customerDepartmentId: row.customer_department_id,
    ownerDepartmentId: row.owner_department_id,
    reviewDepartmentIds,
  };
}

/** The resource the 'sr.*' rules read for one requirement, loading owners and reviews. */
export async function resourceOf(r: SrReader, row: repo.RequirementRow, db: Db = r.ctx.db) {
  const owners = ((await ownersOf(db, [row.customer_id])).get(row.customer_id) ?? []).map((o) => o.id);
  const depts = (await reviewDepartmentsOf(db, [row.id])).get(row.id) ?? [];
  return srResourceWith(r, subjectOf(row, depts), owners);
}

const CLOSED: readonly string[] = ['implemented', 'not_applicable', 'obsolete'];

function summaryOf(r: SrReader, row: repo.RequirementRow): RequirementSummary {
  const parts = repo.parseParts(row.part_numbers);
  const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);
  return {
    id: row.id,
    number: row.number,
    customer: { id: row.customer_id, name: row.customer_name, code: row.customer_code },
    category: row.category,
    title: row.title,
    text: row.text,
    source: row.source_document_id
      ? {
          documentId: row.source_document_id,
          title: row.source_title ?? row.source_document_id,
          docNumber: row.source_doc_number,
          versionId: row.source_version_id,
          versionLabel: versionName(row.source_version_label, row.source_version_seq),
          clause: row.source_clause,
        }
      : null,
    partNumbers: parts,
    appliesToAll: row.applies_to_all === 1,
    status: row.status as SrStatus,
    ownerDepartment: row.owner_department_id
      ? { id: row.owner_department_id, name: row.owner_department_name ?? row.owner_department_id }
      : null,
    receivedOn: row.received_on,
    receiver: person(row.receiver_id, row.receiver_name),
    afterMassProduction: row.after_mass_production === 1,
    projectDueOn: row.project_due_on,
    projectInformedAt: row.project_informed_at,
    projectOverdue: isProjectOverdue(row, r.today),
    needsRecheck: row.needs_recheck === 1,
    recheckReason: row.recheck_reason,
    reviewedOn: row.reviewed_on,
    confirmedBy: person(row.confirmed_by, row.confirmed_by_name),
    confirmedAt: row.confirmed_at,
    openActions: Number(row.open_actions),
    pendingDocuments: Number(row.pending_documents),
    secrecy: secrecyFromRank(Number(row.effective_secrecy)),
    updatedAt: row.updated_at,
  };
}

export function versionName(label: string | null, seq: number | string | null): string | null {
  if (label) return label;
  return seq === null || seq === undefined ? null : `第${Number(seq)}版`;
}

export async function toSummaries(r: SrReader, rows: repo.RequirementRow[]): Promise<RequirementSummary[]> {
  return rows.map((row) => summaryOf(r, row));
}

/** One requirement with its reviews, links, history and what the reader may do. */
export async function getRequirement(
  ctx: Ctx,
  id: string,
  opts: { audit?: boolean } = {},
): Promise<Requirement> {
  const r = await srReader(ctx);
  const row = await findVisible(r, id);
  const db = r.ctx.db;
  const [reviews, links, history] = await Promise.all([
    db
      .selectFrom('sr_reviews as v')
      .innerJoin('departments as d', 'd.id', 'v.department_id')
      .selectAll('v')
      .select('d.name as department_name')
      .where('v.requirement_id', '=', id)
      .orderBy('v.requested_at')
      .orderBy('d.sort_order')
      .orderBy('d.name')
      .execute(),
    db
      .selectFrom('sr_document_links as l')
      .innerJoin('documents as d', 'd.id', 'l.document_id')
      .innerJoin('document_versions as v', 'v.id', 'l.version_id')
      .leftJoin('departments as dep', 'dep.id', 'l.department_id')
      .selectAll('l')
      .select([
        'd.title',
        'd.doc_number',
        'v.label as version_label',
        'v.seq as version_seq',
        'v.status as version_status',
        'dep.name as department_name',
      ])
      .where('l.requirement_id', '=', id)
      .orderBy('l.linked_at')
      .orderBy('l.id')
      .execute(),
    db
      .selectFrom('sr_history')
      .selectAll()
      .where('requirement_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  const owners = ((await ownersOf(db, [row.customer_id])).get(row.customer_id) ?? []).map((o) => o.id);
  const deptIds = reviews.map((v) => v.department_id);
  const resource = srResourceWith(r, subjectOf(row, deptIds), owners);
  const names = await repo.namesOf(db, [
    ...reviews.flatMap((v) => [v.requested_by, v.owner_id, v.reviewed_by]),
    ...links.map((l) => l.linked_by),
    ...history.map((h) => h.actor_id),
  ]);
  const person = (pid: string | null, fallback?: string | null) =>
    pid ? { id: pid, name: names.get(pid) ?? fallback ?? pid } : null;
  const may = (action: Action, res: object = resource) => can(r.ctx.actor, action, res);
  const status = row.status as SrStatus;
  const working = status === 'pending_review' || status === 'in_review';
  const out: Requirement = {
    ...summaryOf(r, row),
    projectId: row.project_id ?? null,
    reviews: reviews.map((v) => ({
      id: v.id,
      department: { id: v.department_id, name: v.department_name },
      requestedAt: v.requested_at,
      requestedBy: person(v.requested_by),
      decision: (v.decision as SrReviewDecision | null) ?? null,
      note: v.note,
      owner: person(v.owner_id),
      reviewedAt: v.reviewed_at,
      reviewedBy: person(v.reviewed_by),
      canReview:
        status === 'in_review' &&
        may('sr.review', srResourceWith(r, subjectOf(row, [v.department_id]), owners)),
    })),
    links: links.map((l) => ({
      id: l.id,
      department: l.department_id
        ? { id: l.department_id, name: l.department_name ?? l.department_id }
        : null,
      document: { id: l.document_id, title: l.title, docNumber: l.doc_number },
      version: {
        id: l.version_id,
        label: versionName(l.version_label, l.version_seq),
        status: l.version_status,
      },
      current: l.version_status === 'current',
      role: l.role as SrDocumentRole,
      note: l.note,
      linkedAt: l.linked_at,
      linkedBy: person(l.linked_by),
    })),
    history: history.map((h) => ({
      at: h.at,
      actor: person(h.actor_id, h.actor_name),
      field: h.field,
      oldValue: h.old_value,
      newValue: h.new_value,
      note: h.note,
    })),
    can: {
      update: status !== 'obsolete' && may('sr.update'),
      requestReviews: working && may('sr.requestReview'),
      link: working && may('sr.link'),
      confirm: status === 'in_review' && may('sr.confirm'),
      obsolete: status !== 'obsolete' && may('sr.obsolete'),
      distribute: status !== 'obsolete' && may('sr.distribute'),
      raiseAction: !CLOSED.includes(status) && may('sr.raiseAction'),
    },
  };
  if (opts.audit !== false)
    await appendAudit(r.ctx, {
      action: 'sr.read',
      targetType: 'special_requirement',
      targetId: row.id,
      targetLabel: labelOf(row),
      secrecy: Number(row.effective_secrecy),
    });
  return out;
}

export const labelOf = (row: Pick<repo.RequirementRow, 'number' | 'title'>) => `${row.number} ${row.title}`;

// Lists -----------------------------------------------------------------------------------------

function likeNeedle(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The requirements a filter selects within what the reader may see (lists, exports, counts). */
export function filtered(r: SrReader, f: Partial<RequirementFilter>) {
  let q = repo.requirementsFrom(r.ctx.db).where(visibleRequirement(r) as never);
  if (f.customerId) q = q.where('r.customer_id', '=', f.customerId);
  if (f.category) q = q.where('r.category', '=', f.category);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.departmentId) {
    const dept = f.departmentId;
    q = q.where((eb) =>
      eb.or([
        eb('r.owner_department_id', '=', dept),
        eb.exists(
          eb
            .selectFrom('sr_reviews as fv')
            .select(sql`1`.as('one'))
            .whereRef('fv.requirement_id', '=', 'r.id')
            .where('fv.department_id', '=', dept),
        ),
      ]),
    );
  }
  if (f.needsRecheck) q = q.where('r.needs_recheck', '=', f.needsRecheck === 'true' ? 1 : 0);
  if (f.overdue) {
    const overdue = sql<SqlBool>`((r.after_mass_production = 1 and r.project_informed_at is null and r.status not in ('obsolete', 'not_applicable') and r.project_due_on < ${r.today}) or ${repo.overdueActionsSql(r.today)} > 0)`;
    q = q.where(f.overdue === 'true' ? overdue : sql<SqlBool>`not ${overdue}`);
  }
  if (f.partNumber) {
    const needle = `%${likeNeedle(JSON.stringify(f.partNumber.trim()))}%`;
    q = q.where((eb) =>
      eb.or([eb('r.applies_to_all', '=', 1), sql<SqlBool>`r.part_numbers like ${needle} escape '\\'`]),
    );
  }
  if (f.q?.trim()) {
    const needle = `%${likeNeedle(f.q.trim())}%`;
    q = q.where(
      sql<SqlBool>`(r.number like ${needle} escape '\\' or r.title like ${needle} escape '\\' or r.text like ${needle} escape '\\')`,
    );
  }
  return q;
}

/** The cross-customer list (顾客特殊要求清单 across customers), by requirement number. */
export async function listRequirements(
  ctx: Ctx,
  f: RequirementFilter,
): Promise<{ items: RequirementSummary[]; nextCursor: string | null }> {
  const r = await srReader(ctx);
  const after = decodeCursor(f.cursor, cursorValue.text);
  let q = repo.withDetails(filtered(r, f));
  if (after) q = q.where('r.number', '>', after[0]);
  const rows = (await q
    .orderBy('r.number')
    .limit(f.limit + 1)
    .execute()) as unknown as repo.RequirementRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return { items: await toSummaries(r, page), nextCursor: last ? encodeCursor([last.number]) : null };
}

/** A customer's list: its requirements in number order and the list's state (R-S3, R-S5). */
export async function customerList(ctx: Ctx, customerId: string): Promise<CustomerSrList> {
  const r = await srReader(ctx);
  const customer = await r.ctx.db
    .selectFrom('customers as c')
    .leftJoin('sr_lists as l', 'l.customer_id', 'c.id')
    .select([
      'c.id',
      'c.name',
      'c.archive_code',
      'c.secrecy',
      'c.department_id',
      'c.status as customer_status',
      'l.revision',
      'l.revised_at',
      'l.next_check_on',
      'l.last_checked_on',
      'l.document_id',
    ])
    .where('c.id', '=', customerId)
    .where(visibleSrCustomer(r) as never)
    .executeTakeFirst();
  if (!customer) throw notFound();
  const rows = (await repo
    .withDetails(filtered(r, { customerId }))
    .orderBy('r.seq')
    .limit(5000)
    .execute()) as unknown as repo.RequirementRow[];
  const doc = customer.document_id
    ? await r.ctx.db
        .selectFrom('documents')
        .select(['id', 'archive_no'])
        .where('id', '=', customer.document_id)
        .executeTakeFirst()
    : undefined;
  const owners = ((await ownersOf(r.ctx.db, [customerId])).get(customerId) ?? []).map((o) => o.id);
  const resource = srResourceWith(r, { customerId, customerDepartmentId: customer.department_id }, owners);
  const active = customer.customer_status === 'draft' || customer.customer_status === 'filed';
  await appendAudit(r.ctx, {
    action: 'sr.list_read',
    targetType: 'customer',
    targetId: customerId,
    targetLabel: `${customer.archive_code} ${customer.name}`,
    secrecy: Number(customer.secrecy),
    details: { count: rows.length },
  });
  return {
    customerId,
    customer: { id: customer.id, name: customer.name, code: customer.archive_code },
    revision: Number(customer.revision ?? 0),
    revisedAt: customer.revised_at ?? null,
    nextCheckOn: customer.next_check_on ?? null,
    lastCheckedOn: customer.last_checked_on ?? null,
    checkOverdue: !!customer.next_check_on && customer.next_check_on < r.today,
    document: doc ? { id: doc.id, archiveNo: doc.archive_no } : null,
    items: await toSummaries(r, rows),
    can: {
      create: active && can(r.ctx.actor, 'sr.create', resource),
      revise: rows.length > 0 && can(r.ctx.actor, 'sr.revise', resource),
      check: rows.length > 0 && can(r.ctx.actor, 'sr.check', resource),
      distribute: rows.length > 0 && can(r.ctx.actor, 'sr.distribute', resource),
    },
  };
}

/**
 * The implemented requirements of a customer that apply to a part number (every product's, and
 * those listing it): what contract review checks an order against. Without a part number, the
 * ones for every product. 404 for a customer the reader may not see.
 */
export async function applicableRequirements(
  ctx: Ctx,
  customerId: string,
  partNumber: string | undefined,
): Promise<{ customerId: string; partNumber: string | null; items: RequirementSummary[] }> {
  const r = await srReader(ctx);
  const customer = await r.ctx.db
    .selectFrom('customers as c')
    .select(['c.id'])
    .where('c.id', '=', customerId)
    .where(visibleSrCustomer(r) as never)
    .executeTakeFirst();
  if (!customer) throw notFound();
  const pn = partNumber?.trim() || undefined;
  let q = filtered(r, { customerId, status: 'implemented', ...(pn ? { partNumber: pn } : {}) });
  if (!pn) q = q.where('r.applies_to_all', '=', 1);
  const rows = (await repo
    .withDetails(q)
    .orderBy('r.seq')
    .limit(5000)
    .execute()) as unknown as repo.RequirementRow[];
  return { customerId, partNumber: pn ?? null, items: await toSummaries(r, rows) };
}

/** 我的待办 for special requirements (R-W1): what waits for the reader. */
export async function srTodo(ctx: Ctx): Promise<SrTodo> {
  const r = await srReader(ctx);
  const me = r.ctx.actor;
  const manager = me.roles.includes('department_manager');
  // Reviews asked of the reader's department (a manager: of their departments).
  const reviewDepts = manager ? r.scope.departmentIds : me.departmentId ? [me.departmentId] : [];
  const toReview = reviewDepts.length
    ? await filtered(r, { status: 'in_review' })
        .innerJoin('sr_reviews as tv', 'tv.requirement_id', 'r.id')
        .where('tv.department_id', 'in', reviewDepts)
        .where('tv.decision', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    : { n: 0 };
  // Requirements the reader looks after: quality all it sees; others their archives (owners,
  // managers) and their owner departments.
  const lookedAfter = (q: ReturnType<typeof filtered>) => {
    if (me.roles.includes('quality')) return q;
    return q.where((eb) => {
      const ors = [
        eb.exists(
          eb
            .selectFrom('customer_owners as to')
            .select(sql`1`.as('one'))
            .whereRef('to.customer_id', '=', 'r.customer_id')
            .where('to.user_id', '=', me.id),
        ),
      ];
      if (r.scope.departmentIds.length) {
        ors.push(eb('r.owner_department_id', 'in', r.scope.departmentIds));
        if (manager) ors.push(eb('c.department_id', 'in', r.scope.departmentIds));
      }
      return eb.or(ors);
    });
  };
  const project = await lookedAfter(filtered(r, {}))
    .where('r.after_mass_production', '=', 1)
    .where('r.project_informed_at', 'is', null)
    .where('r.status', 'not in', ['obsolete', 'not_applicable'])
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(sql`case when r.project_due_on < ${r.today} then 1 else 0 end`).as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  const recheck = await lookedAfter(filtered(r, { needsRecheck: 'true' }))
    .where('r.status', '!=', 'obsolete')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    toReview: Number(toReview.n),
    projectDue: Number(project.due),
    projectOverdue: Number(project.overdue ?? 0),
    needsRecheck: Number(recheck.n),
    toAcknowledge: await ackTodo(ctx),
    checksDue: await checksTodo(ctx),
  };
}

// Registering and changing -------------------------------------------------------------------

/** Whoever sees a requirement sees the titles of the documents it cites and links (lists,
 * exports, notifications, audit), so none of them may be more secret than the requirement (the
 * higher of its own level and its archive's). Returns those of `ids` that are. */
export async function documentsAbove(db: Db, ids: readonly string[], level: number): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom('documents as d')
    .select('d.id')
    .where('d.id', 'in', wanted)
    .where(sql<SqlBool>`${documentSecrecy('d')} > ${level}`)
    .execute();
  return rows.map((x) => x.id);
}

const aboveProblem = (field: string, level: number): FieldProblem => ({
  field,
  key: 'sr_document_secrecy',
  params: { level: SECRECY_LABELS[secrecyFromRank(level)].zh },
});

/** The source document: of this customer's archive, a customer document, seen by the reader. */
async function checkSource(
  r: SrReader,
  t: TxCtx,
  customerId: string,
  documentId: string | null | undefined,
  versionId: string | null | undefined,
  level: number,
): Promise<{ documentId: string | null; versionId: string | null; label: string | null }> {
  if (!documentId) {
    if (versionId) throw new FieldErrors([{ field: 'sourceVersionId', key: 'sr_source_version' }]);
    return { documentId: null, versionId: null, label: null };
  }
  const doc = await t.db
    .selectFrom('documents as d')
    .innerJoin('document_categories as k', 'k.code', 'd.category')
    .select(['d.id', 'd.title', 'd.doc_number'])
    .where('d.id', '=', documentId)
    .where('d.customer_id', '=', customerId)
    .where('d.status', '!=', 'destroyed')
    .where((eb) =>
      eb.or([
        eb('d.source', '=', 'customer'),
        eb('k.customer_documents', '=', 1),
        eb('k.external', '=', 1),
        eb('d.category', '=', 'agreements'),
      ]),
    )
    .where(documentVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
    .executeTakeFirst();
  if (!doc) throw new FieldErrors([{ field: 'sourceDocumentId', key: 'sr_source_document' }]);
  if ((await documentsAbove(t.db, [doc.id], level)).length)
    throw new FieldErrors([aboveProblem('sourceDocumentId', level)]);
  let q = t.db
    .selectFrom('document_versions')
    .select(['id', 'label', 'seq'])
    .where('document_id', '=', documentId);
  q = versionId
    ? q.where('id', '=', versionId).where('status', 'in', ['current', 'obsolete'])
    : q.where('status', '=', 'current');
  const v = await q.executeTakeFirst();
  if (!v) throw new FieldErrors([{ field: 'sourceVersionId', key: 'sr_source_version' }]);
  const version = versionName(v.label, v.seq);
  return {
    documentId,
    versionId: v.id,
    label: `${doc.doc_number ? `${doc.doc_number} ` : ''}${doc.title}${version ? `（${version}）` : ''}`,
  };
}

async function checkCategory(db: Db, code: string): Promise<string> {
  const found = (await repo.categories(db)).find((c) => c.code === code && c.active);
  if (!found) throw new FieldErrors([{ field: 'category', key: 'sr_category', params: { value: code } }]);
  return found.label;
}

async function checkPerson(db: Db, field: string, id: string, secrecy: number): Promise<string> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('active', '=', 1)
    .where('clearance', '>=', secrecy)
    .executeTakeFirst();
  if (!u) throw new FieldErrors([{ field, key: 'sr_person' }]);
  return u.name;
}

export async function checkDepartment(db: Db, field: string, id: string): Promise<string> {
  const d = await db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!d) throw new FieldErrors([{ field, key: 'sr_department' }]);
  return d.name;
}

/** Department managers of the given departments (active), the usual recipients. */
export async function managersOf(db: Db, departmentIds: readonly string[]): Promise<string[]> {
  if (departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ro', 'ro.user_id', 'u.id')
    .select('u.id')
    .distinct()
    .where('u.active', '=', 1)
    .where('ro.role', '=', 'department_manager')
    .where('u.department_id', 'in', [...departmentIds])
    .execute();
  return rows.map((x) => x.id);
}

/** Those of the people who may see the requirement now: a notification naming it goes to them
 * only (R-P1). One visibility query per person; recipients are few. */
export async function whoSees(t: TxCtx, userIds: readonly string[], id: string): Promise<string[]> {
  const out: string[] = [];
  for (const uid of new Set(userIds)) {
    if (!uid || uid === 'system') continue;
    const actor = await loadActor(t.db, uid, 'session');
    if (!actor) continue;
    const reader = await srReader({ ...t, actor });
    const seen = await repo
      .requirementsFrom(t.db)
      .select('r.id')
      .where('r.id', '=', id)
      .where(visibleRequirement(reader) as never)
      .executeTakeFirst();
    if (seen) out.push(uid);
  }
  return out;
}

export async function qualityUsers(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ro', 'ro.user_id', 'u.id')
    .select('u.id')
    .distinct()
    .where('u.active', '=', 1)
    .where('ro.role', '=', 'quality')
    .execute();
  return rows.map((x) => x.id);
}

const yesNo = (b: boolean) => (b ? '是' : '否');
const partsText = (parts: readonly string[]) => (parts.length ? parts.join('、') : '全部');

/** Registers a requirement received from a customer (R-S1): 待评审, numbered in its list. */
export async function createRequirement(ctx: Ctx, input: CreateRequirementInput): Promise<Requirement> {
  const r = await srReader(ctx);
  const id = newId();
  const secrecy = input.secrecy ? secrecyRank(input.secrecy) : 0;
  if (secrecy > r.ctx.actor.clearance) throw new DomainError('secrecy_above_own', 422, {}, 'secrecy');
  await tx(ctx, async (t) => {
    const archive = await t.db
      .selectFrom('customers as c')
      .select(['c.id', 'c.status', 'c.secrecy', 'c.department_id', 'c.archive_code', 'c.name'])
      .where('c.id', '=', input.customerId)
      .where(visibleSrCustomer(r) as never)
      .executeTakeFirst();
    if (!archive) throw new DomainError('not_found', 404, {}, 'customerId');
    const owners = ((await ownersOf(t.db, [archive.id])).get(archive.id) ?? []).map((o) => o.id);
    authorize(r.ctx, 'sr.create', {
      type: 'customer',
      id: archive.id,
      resource: srResourceWith(
        r,
        { customerId: archive.id, customerDepartmentId: archive.department_id },
        owners,
      ),
    });
    if (archive.status !== 'draft' && archive.status !== 'filed')
      throw new DomainError('sr_archive_inactive', 409);
    const effective = Math.max(secrecy, Number(archive.secrecy));
    const problems: FieldProblem[] = [];
    const collect = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        if (err instanceof FieldErrors) problems.push(...err.problems);
        else throw err;
      }
    };
    let source = {
      documentId: null as string | null,
      versionId: null as string | null,
      label: null as string | null,
    };
    await collect(async () => {
      source = await checkSource(r, t, archive.id, input.sourceDocumentId, input.sourceVersionId, effective);
    });
    await collect(() => checkCategory(t.db, input.category));
    const receiverId = input.receiverId ?? r.ctx.actor.id;
    await collect(() => checkPerson(t.db, 'receiverId', receiverId, effective));
    if (input.ownerDepartmentId) {
      const dept = input.ownerDepartmentId;
      await collect(() => checkDepartment(t.db, 'ownerDepartmentId', dept));
    }
    if (input.projectId) {
      const problem = await projectLinkProblem(t.db, input.projectId, archive.id, true);
      if (problem) problems.push(problem);
    }
    if (problems.length) throw new FieldErrors(problems);
    const calendar = await loadCalendar(t);
    const { checkMonths } = await loadSrSettings(t.db);
    const seq = await repo.nextSeq(t, archive.id, nextCheckOn(r.today, checkMonths));
    const number = srNumberOf(archive.archive_code, seq);
    const now = nowIso(t);
    const parts = [...new Set(input.partNumbers)];
    const row: SrRequirementTable = {
      id,
      customer_id: archive.id,
      project_id: input.projectId ?? null,
      seq,
      number,
      source_document_id: source.documentId,
      source_version_id: source.versionId,
      source_clause: input.sourceClause,
      category: input.category,
      title: input.title,
      text: input.text,
      received_on: input.receivedOn,
      receiver_id: receiverId,
      applies_to_all: parts.length === 0 ? 1 : 0,
      part_numbers: JSON.stringify(parts),
      status: 'pending_review',
      owner_department_id: input.ownerDepartmentId ?? null,
      after_mass_production: input.afterMassProduction ? 1 : 0,
      project_due_on: input.afterMassProduction ? projectDueOn(calendar, input.receivedOn) : null,
      project_informed_at: null,
      needs_recheck: 0,
      recheck_version_id: null,
      recheck_reason: null,
      reviewed_on: null,
      confirmed_by: null,
      confirmed_at: null,
      secrecy,
      created_at: now,
      created_by: r.ctx.actor.id,
      updated_at: now,
      updated_by: r.ctx.actor.id,
    };
    await t.db.insertInto('sr_requirements').values(row).execute();
    await repo.writeHistory(t, id, [
      { field: 'status', oldValue: null, newValue: repo.statusText('pending_review'), note: '登记' },
    ]);
    await appendAudit(t, {
      action: 'sr.create',
      targetType: 'special_requirement',
      targetId: id,
      targetLabel: `${number} ${input.title}`,
      secrecy: effective,
      details: {
        customerId: archive.id,
        number,
        category: input.category,
        source: source.label,
        afterMassProduction: input.afterMassProduction,
      },
    });
    if (row.project_due_on) await notifyProject(t, row, archive.name, effective);
  });
  return getRequirement(ctx, id, { audit: false });
}

export function srNumberOf(code: string, seq: number): string {
  return `CSR-${code}-${String(seq).padStart(3, '0')}`;
}

/** A requirement received after mass production: the owner department's manager and quality
 * must get it to the project team by its due day (R-S5, 003 IATF 办法 4.1.2). */
async function notifyProject(
  t: TxCtx,
  row: Pick<SrRequirementTable, 'id' | 'number' | 'title' | 'owner_department_id' | 'project_due_on'>,
  customerName: string,
  secrecy: number,
): Promise<void> {
  const recipients = [
    ...(row.owner_department_id ? await managersOf(t.db, [row.owner_department_id]) : []),
    ...(await qualityUsers(t.db)),
  ];
  await notify(t, await whoSees(t, recipients, row.id), {
    kind: 'sr.project',
    title: `量产后顾客特殊要求 ${row.number}（${customerName}）须于 ${row.project_due_on} 前传达项目组`,
    body: row.title,
    link: `/special-requirements/${row.id}`,
    secrecy,
  });
}

/** Loads a requirement for a change, locked: 404 if unseen, 403 unless the rule allows. */
export async function changing(
  r: SrReader,
  t: TxCtx,
  id: string,
  action: Action,
  opts: { reviewDepartmentIds?: readonly string[] } = {},
): Promise<repo.RequirementRow> {
  const row = await findVisible(r, id, t.db);
  // Takes the row's lock on PostgreSQL before anything is decided on it.
  await t.db
    .updateTable('sr_requirements')
    .set({ updated_at: nowIso(t) })
    .where('id', '=', id)
    .execute();
  const owners = ((await ownersOf(t.db, [row.customer_id])).get(row.customer_id) ?? []).map((o) => o.id);
  const depts = opts.reviewDepartmentIds ?? (await reviewDepartmentsOf(t.db, [row.id])).get(row.id) ?? [];
  authorize(r.ctx, action, {
    type: 'special_requirement',
    id,
    resource: srResourceWith(r, subjectOf(row, depts), owners),
  });
  return row;
}

export function stateError(status: string): DomainError {
  return new DomainError('sr_state', 409, { status: repo.statusText(status) ?? status });
}

export async function auditChange(
  t: TxCtx,
  row: repo.RequirementRow,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(t, {
    action,
    targetType: 'special_requirement',
    targetId: row.id,
    targetLabel: labelOf(row),
    secrecy: Number(row.effective_secrecy),
    details,
  });
}

/** Changes fields of a requirement; every changed field is a history entry (R-S1). */
export async function updateRequirement(
  ctx: Ctx,
  id: string,
  input: {
    sourceDocumentId?: string | null | undefined;
    sourceVersionId?: string | null | undefined;
    sourceClause?: string | null | undefined;
    category?: string | undefined;
    title?: string | undefined;
    text?: string | undefined;
    receivedOn?: string | undefined;
    partNumbers?: string[] | undefined;
    ownerDepartmentId?: string | null | undefined;
    afterMassProduction?: boolean | undefined;
    secrecy?: SecrecyLevel | undefined;
    projectId?: string | null | undefined;
    note?: string | null | undefined;
  },
): Promise<Requirement> {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.update');
    if (row.status === 'obsolete') throw stateError(row.status);
    const set: Partial<SrRequirementTable> = {};
    const history: repo.HistoryEntry[] = [];
    const note = input.note ?? null;
    const change = (field: string, oldValue: string | null, newValue: string | null) => {
      if (oldValue !== newValue) history.push({ field, oldValue, newValue, note });
    };
    // Source document and version.
    if (input.sourceDocumentId !== undefined || input.sourceVersionId !== undefined) {
      const docId = input.sourceDocumentId !== undefined ? input.sourceDocumentId : row.source_document_id;
      const versionId =
        input.sourceVersionId !== undefined
          ? input.sourceVersionId
          : input.sourceDocumentId !== undefined && input.sourceDocumentId !== row.source_document_id
            ? null
            : row.source_version_id;
      const level = Math.max(
        input.secrecy !== undefined ? secrecyRank(input.secrecy) : row.secrecy,
        row.customer_secrecy,
      );
      const source = await checkSource(r, t, row.customer_id, docId, versionId, level);
      if (source.documentId !== row.source_document_id || source.versionId !== row.source_version_id) {
        const old = row.source_document_id
          ? `${row.source_doc_number ? `${row.source_doc_number} ` : ''}${row.source_title ?? ''}${
              versionName(row.source_version_label, row.source_version_seq)
                ? `（${versionName(row.source_version_label, row.source_version_seq)}）`
                : ''
            }`
          : null;
        change('source', old, source.label);
        set.source_document_id = source.documentId;
        set.source_version_id = source.versionId;
      }
    }
    if (input.sourceClause !== undefined && input.sourceClause !== row.source_clause) {
      change('sourceClause', row.source_clause, input.sourceClause);
      set.source_clause = input.sourceClause;
    }
    if (input.category !== undefined && input.category !== row.category) {
      await checkCategory(t.db, input.category);
      change('category', row.category, input.category);
      set.category = input.category;
    }
    // 项目档案: a project of the requirement's own archive (customers/projects.ts).
    if (input.projectId !== undefined && input.projectId !== (row.project_id ?? null)) {
      if (input.projectId) {
        const problem = await projectLinkProblem(t.db, input.projectId, row.customer_id, true);
        if (problem) throw new FieldErrors([problem]);
      }
      change(
        'projectId',
        await projectLabel(t.db, row.project_id),
        await projectLabel(t.db, input.projectId),
      );
      set.project_id = input.projectId;
    }
    if (input.title !== undefined && input.title !== row.title) {
      change('title', row.title, input.title);
      set.title = input.title;
    }
    if (input.text !== undefined && input.text !== row.text) {
      change('text', row.text, input.text);
      set.text = input.text;
    }
    if (input.partNumbers !== undefined) {
      const parts = [...new Set(input.partNumbers)];
      const old = repo.parseParts(row.part_numbers);
      if (JSON.stringify(parts) !== JSON.stringify(old)) {
        change('partNumbers', partsText(old), partsText(parts));
        set.part_numbers = JSON.stringify(parts);
        set.applies_to_all = parts.length === 0 ? 1 : 0;
      }
    }
    if (input.ownerDepartmentId !== undefined && input.ownerDepartmentId !== row.owner_department_id) {
      const name = input.ownerDepartmentId
        ? await checkDepartment(t.db, 'ownerDepartmentId', input.ownerDepartmentId)
        : null;
      change('ownerDepartment', row.owner_department_name, name);
      set.owner_department_id = input.ownerDepartmentId;
    }
    if (input.secrecy !== undefined) {
      const rank = secrecyRank(input.secrecy);
      if (rank > r.ctx.actor.clearance) throw new DomainError('secrecy_above_own', 422, {}, 'secrecy');
      if (rank !== row.secrecy) {
        // Lowered: the documents it cites and links may not end up above it.
        const level = Math.max(rank, row.customer_secrecy);
        const linked = await t.db
          .selectFrom('sr_document_links')
          .select('document_id')
          .where('requirement_id', '=', id)
          .execute();
        const above = await documentsAbove(
          t.db,
          [
            ...((set.source_document_id ?? row.source_document_id)
              ? [set.source_document_id ?? (row.source_document_id as string)]
              : []),
            ...linked.map((l) => l.document_id),
          ],
          level,
        );
        if (above.length) throw new FieldErrors([aboveProblem('secrecy', level)]);
        change('secrecy', SECRECY_LABELS[secrecyFromRank(row.secrecy)].zh, SECRECY_LABELS[input.secrecy].zh);
        set.secrecy = rank;
      }
    }
    // Received date and the after-mass-production clock (not once the team has it).
    const receivedOn = input.receivedOn ?? row.received_on;
    if (receivedOn !== row.received_on) {
      change('receivedOn', row.received_on, receivedOn);
      set.received_on = receivedOn;
    }
    const amp = input.afterMassProduction ?? row.after_mass_production === 1;
    if (amp !== (row.after_mass_production === 1)) {
      change('afterMassProduction', yesNo(row.after_mass_production === 1), yesNo(amp));
      set.after_mass_production = amp ? 1 : 0;
    }
    let clockStarted = false;
    if (!row.project_informed_at) {
      const due = amp ? projectDueOn(await loadCalendar(t), receivedOn) : null;
      if (due !== row.project_due_on) {
        change('projectDueOn', row.project_due_on, due);
        set.project_due_on = due;
        clockStarted = !!due && !row.project_due_on;
      }
    }
    // What was implemented is not what is asked any more: the owners re-check it (R-S5).
    const changedContent = ['category', 'title', 'text', 'part_numbers'].filter((k) => k in set);
    if (row.status === 'implemented' && changedContent.length && row.needs_recheck !== 1) {
      const reason = '已落实后修改了要求内容，请复核落实情况';
      set.needs_recheck = 1;
      set.recheck_reason = reason;
      set.recheck_version_id = null;
      history.push({ field: 'needsRecheck', oldValue: '否', newValue: '是', note: reason });
    }
    if (Object.keys(set).length === 0) return;
    await t.db
      .updateTable('sr_requirements')
      .set({ ...set, updated_at: nowIso(t), updated_by: r.ctx.actor.id })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, history);
    const after = await loadRow(t.db, id);
    await auditChange(t, after, 'sr.update', {
      changes: Object.fromEntries(history.map((h) => [h.field, { from: h.oldValue, to: h.newValue }])),
      note,
    });
    if (clockStarted) await notifyProject(t, after, after.customer_name, Number(after.effective_secrecy));
  });
  return getRequirement(ctx, id, { audit: false });
}
