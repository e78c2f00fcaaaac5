import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import {
  type CreditClass,
  CUSTOMER_FIELD_LABELS,
  CUSTOMER_STATUS_LABELS,
  type CustomerGrade,
  type CustomerStatus,
  normalizeCustomerName,
} from '../../../common/customers.js';
import { type SecrecyLevel, secrecyFromRank, secrecyRank } from '../../../common/enums.js';
import type {
  CreateCustomerInput,
  Customer,
  CustomerFilter,
  CustomerListItem,
  CustomerListQuery,
  UpdateCustomerInput,
} from '../../../common/schemas/customers.js';
import { todayInShanghai } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { CustomerTable, Database } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextCode, nextSequence } from '../../platform/numbering.js';
import { activeGrant } from '../../platform/policy/grants.js';
import { authorize, can } from '../../platform/policy/index.js';
import {
  type ActorScope,
  actorScope,
  type CustomerPredicate,
  customerVisible,
} from '../../platform/policy/records.js';
import type { CustomerResource } from '../../platform/policy/rules.js';
import { searchIndex } from '../../platform/search.js';
import type { SearchRefresher } from '../../platform/search-refresh.js';
import type { BlobStore } from '../../platform/storage.js';
import {
  afterEncryptionChange,
  applyEncryptionFor,
  documentsOfCustomers,
  type EncryptionChange,
} from '../documents/encryption.js';
import { departmentProblem } from '../org/service.js';
import { activeHolds } from '../retention/hold-query.js';
import {
  visitsOnDeactivated,
  visitsOnFiled,
  visitsOnFirstPurchase,
  visitsOnOwnersChanged,
  visitsOnReactivated,
} from '../visits/plans.js';
import {
  type CustomValues,
  checkCustomValues,
  loadCustomFields,
  loadLookups,
  loadSettings,
} from './config.js';
import { submitFiling } from './filing-submit.js';
import * as repo from './repo.js';

// The customer archive (客户档案, R-C1 … R-C10): one archive per customer, with its code, master
// record, owners and history. Contacts, interactions, handover, merge and reports build on the
// functions exported here.

/** Who reads, with the department subtree that the visibility rules need. */
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

export function visibleTo(r: Reader): CustomerPredicate {
  return customerVisible(r.ctx.actor, r.scope, r.ctx.now());
}

export function resourceOf(
  r: Reader,
  row: Pick<CustomerTable, 'department_id'>,
  ownerIds: string[],
): CustomerResource {
  return { ownerIds, inActorDepartments: r.scope.departmentIds.includes(row.department_id) };
}

export function customerIndex(db: Db) {
  return searchIndex(dialectOf(db as never), 'customers');
}

/** The archive if the reader may see it; otherwise 404 — as if it did not exist (R-P1). */
export async function findVisible(r: Reader, id: string, db: Db = r.ctx.db): Promise<repo.CustomerRow> {
  const row = await repo
    .withDepartment(repo.customersFrom(db))
    .where('c.id', '=', id)
    .where(visibleTo(r))
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as repo.CustomerRow;
}

/** An entry in the archive's history written by another module (holds, R-X5). */
export async function recordCustomerEvent(
  t: TxCtx,
  customerId: string,
  entry: {
    kind: string;
    field?: string | null;
    oldValue?: unknown;
    newValue?: unknown;
    note?: string | null;
  },
): Promise<void> {
  await repo.insertHistory(t.db, [
    {
      id: newId(),
      customerId,
      at: nowIso(t),
      actorId: t.actor?.id ?? null,
      actorName: t.actor?.name ?? null,
      ...entry,
    },
  ]);
}

export async function reindex(db: Db, customerId: string): Promise<void> {
  const row = await db
    .selectFrom('customers')
    .select(['search_key', 'status'])
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  const index = customerIndex(db);
  if (row.status === 'merged') await index.remove(db, Number(row.search_key));
  else await index.put(db, Number(row.search_key), await repo.customerTokens(db, customerId));
}

/** Indexes archives again after the token code changed (platform/search-refresh.ts), and
 * computes their normalised names again. Rows are locked on PostgreSQL so that a concurrent
 * change cannot be overwritten with tokens of the old values. */
export const customerSearchRefresher: SearchRefresher = {
  name: 'customers',
  batch: async (db, after, limit) => {
    let q = db
      .selectFrom('customers')
      .select([
        'id',
        'search_key',
        'status',
        'archive_code',
        'credit_code',
        'name',
        'name_norm',
        'phone',
        'custom_fields',
      ])
      .where('search_key', '>', after)
      .orderBy('search_key')
      .limit(limit);
    if (dialectOf(db as never) === 'postgres') q = q.forUpdate();
    const rows = await q.execute();
    const last = rows.at(-1);
    if (!last) return null;
    const contacts = await db
      .selectFrom('contacts')
      .select(['customer_id', 'name', 'phone', 'mobile', 'email'])
      .where(
        'customer_id',
        'in',
        rows.map((r) => r.id),
      )
      .where('active', '=', 1)
      .execute();
    const index = customerIndex(db);
    for (const c of rows) {
      const key = Number(c.search_key);
      if (c.status === 'merged') await index.remove(db, key);
      else
        await index.put(
          db,
          key,
          repo.tokensFor(
            c,
            contacts.filter((x) => x.customer_id === c.id),
          ),
        );
      const norm = normalizeCustomerName(c.name);
      if (norm !== c.name_norm)
        await db.updateTable('customers').set({ name_norm: norm }).where('id', '=', c.id).execute();
    }
    return { last: Number(last.search_key), count: rows.length };
  },
};

const label = (status: string, ctx: Ctx) =>
  CUSTOMER_STATUS_LABELS[status as CustomerStatus]?.[ctx.lang] ?? status;

export function assertEditable(ctx: Ctx, row: Pick<CustomerTable, 'status'>): void {
  if (row.status === 'inactive' || row.status === 'merged') {
    throw new DomainError('customer_not_editable', 409, { status: label(row.status, ctx) });
  }
}

// Reading ---------------------------------------------------------------------------------------

export async function toCustomer(r: Reader, row: repo.CustomerRow): Promise<Customer> {
  const owners = (await repo.ownersOf(r.ctx.db, [row.id])).get(row.id) ?? [];
  const names = await r.ctx.db
    .selectFrom('users')
    .select(['id', 'name'])
    .where(
      'id',
      'in',
      [row.created_by, row.updated_by, row.filing_submitted_by, row.filing_returned_by].filter(
        (x): x is string => !!x,
      ),
    )
    .execute();
  const merged = row.merged_into_id
    ? await r.ctx.db
        .selectFrom('customers')
        .select(['id', 'archive_code'])
        .where('id', '=', row.merged_into_id)
        .executeTakeFirst()
    : undefined;
  const resource = resourceOf(
    r,
    row,
    owners.map((o) => o.id),
  );
  const holds = await activeHolds(r.ctx.db, null, row.id);
  const warnings: string[] = [];
  if (row.category === 'key' && owners.length < 2 && row.status !== 'merged')
    warnings.push('key_customer_owners');
  return {
    id: row.id,
    archiveCode: row.archive_code,
    name: row.name,
    creditCode: row.credit_code,
    category: row.category,
    kind: row.kind,
    nature: row.nature,
    legalRepresentative: row.legal_representative,
    registeredAddress: row.registered_address,
    phone: row.phone,
    email: row.email,
    website: row.website,
    industry: row.industry,
    region: row.region,
    businessScope: row.business_scope,
    registeredCapital: row.registered_capital,
    staffCount: row.staff_count,
    source: row.source,
    grade: row.grade as CustomerGrade | null,
    creditClass: row.credit_class as CreditClass | null,
    departmentId: row.department_id,
    departmentName: row.department_name,
    secrecy: secrecyFromRank(row.secrecy),
    status: row.status as CustomerStatus,
    firstContactDate: row.first_contact_date,
    firstPurchaseDate: row.first_purchase_date,
    filingDueDate: row.filing_due_date,
    filedAt: row.filed_at,
    filingOverdue: repo.isFilingOverdue(row, r.today),
    filing: {
      submittedAt: row.filing_submitted_at ?? null,
      submittedBy: names.find((n) => n.id === row.filing_submitted_by)?.name ?? null,
      returnedAt: row.filing_returned_at ?? null,
      returnedBy: names.find((n) => n.id === row.filing_returned_by)?.name ?? null,
      returnReason: row.filing_return_reason ?? null,
    },
    customFields: JSON.parse(row.custom_fields) as CustomValues,
    owners,
    mergedInto: merged ? { id: merged.id, archiveCode: merged.archive_code } : null,
    createdAt: row.created_at,
    createdBy: names.find((n) => n.id === row.created_by)?.name ?? null,
    updatedAt: row.updated_at,
    updatedBy: names.find((n) => n.id === row.updated_by)?.name ?? null,
    can: {
      update:
        can(r.ctx.actor, 'customer.update', resource) && row.status !== 'merged' && row.status !== 'inactive',
      deactivate: can(r.ctx.actor, 'customer.deactivate', resource) && row.status !== 'merged',
      merge: can(r.ctx.actor, 'customer.merge') && row.status !== 'merged',
      grant: can(r.ctx.actor, 'customer.grant'),
      hold: can(r.ctx.actor, 'hold.manage') && row.status !== 'merged',
      file:
        row.status === 'draft' && !row.filing_submitted_at && can(r.ctx.actor, 'customer.update', resource),
      decideFiling:
        row.status === 'draft' &&
        !!row.filing_submitted_at &&
        can(r.ctx.actor, 'customer.file_approve', {
          ...resource,
          submittedBy: row.filing_submitted_by ?? null,
        }),
    },
    holds,
    warnings,
  };
}

/** One archive, for someone who may see it; the view is recorded in the audit trail (R-P8). */
export async function getCustomer(ctx: Ctx, id: string): Promise<Customer> {
  const r = await reader(ctx);
  const row = await findVisible(r, id);
  // Read under a time-limited grant (R-P7): the trail names the request.
  const own = await repo
    .customersFrom(ctx.db)
    .select('c.id')
    .where('c.id', '=', id)
    .where(customerVisible(r.ctx.actor, r.scope, ctx.now(), { grants: false }))
    .executeTakeFirst();
  const grant = own ? null : await activeGrant(r.ctx, { customerId: id });
  await appendAudit(ctx, {
    action: 'customer.read',
    targetType: 'customer',
    targetId: row.id,
    targetLabel: `${row.archive_code} ${row.name}`,
    secrecy: row.secrecy,
    ...(grant ? { details: { grant: grant.number } } : {}),
  });
  return toCustomer(r, row);
}

// Lists ------------------------------------------------------------------------------------------

// Each sort walks one index from the cursor on: the sort key, then a unique key to break ties
// (none where the sort key is unique). By name means by the normalised name (full-width
// folded, brackets and 有限责任公司 unified), the order people read, on the index the duplicate
// check by name also uses; its tie-breaker is the small search key, which keeps that index
// small (an import writes into it at random places, bench/README.md).
const SORTS = {
  archiveCode: { column: 'c.archive_code', tie: null },
  name: { column: 'c.name_norm', tie: 'c.search_key' },
  updatedAt: { column: 'c.updated_at', tie: 'c.id' },
  filingDueDate: { column: 'c.filing_due_date', tie: 'c.id' },
  relevance: { column: 'c.search_key', tie: null },
} as const;

/** The visible archives matching a filter: one query builder for lists, counts and exports. */
export function filteredCustomers(r: Reader, f: CustomerFilter): repo.CustomerQuery {
  let q = repo.customersFrom(r.ctx.db).where(visibleTo(r));
  if (f.q) {
    const keys = customerIndex(r.ctx.db).matchKeys(f.q);
    // A query with nothing searchable in it (only punctuation) matches nothing.
    q = keys ? q.where('c.search_key', 'in', keys as never) : q.where('c.id', '=', '');
  }
  if (f.category) q = q.where('c.category', '=', f.category);
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  if (f.grade === 'none') q = q.where('c.grade', 'is', null);
  else if (f.grade) q = q.where('c.grade', '=', f.grade);
  if (f.creditClass) q = q.where('c.credit_class', '=', f.creditClass);
  if (f.region) q = q.where('c.region', '=', f.region);
  if (f.industry) q = q.where('c.industry', '=', f.industry);
  if (f.departmentId) q = q.where('c.department_id', '=', f.departmentId);
  if (f.ownerId) {
    const ownerId = f.ownerId;
    // As an IN list, so that the databases start from the person's few archives (the index on
    // customer_owners.user_id) rather than test every archive the reader sees.
    q = q.where('c.id', 'in', (eb) =>
      eb.selectFrom('customer_owners as fo').select('fo.customer_id').where('fo.user_id', '=', ownerId),
    );
  }
  // Merged archives only show up when asked for: they are pointers now.
  if (f.status) q = q.where('c.status', '=', f.status);
  else q = q.where('c.status', '!=', 'merged');
  // A draft submitted for filing approval has met its deadline (R-C5): the clock stops there.
  if (f.overdue === 'true')
    q = q
      .where('c.status', '=', 'draft')
      .where('c.filing_submitted_at', 'is', null)
      .where('c.filing_due_date', '<', r.today);
  if (f.overdue === 'false') {
    q = q.where((eb) =>
      eb.or([
        eb('c.status', '!=', 'draft'),
        eb('c.filing_submitted_at', 'is not', null),
        eb('c.filing_due_date', '>=', r.today),
      ]),
    );
  }
  if (f.filing) {
    q = q.where('c.status', '=', 'draft').where('c.filing_submitted_at', 'is not', null);
    if (f.filing === 'mine') q = q.where(filingApprovable(r));
  }
  return q;
}

export async function listCustomers(
  ctx: Ctx,
  query: CustomerListQuery,
): Promise<{ items: CustomerListItem[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  const sort = query.sort ?? (query.q ? 'relevance' : 'archiveCode');
  const { column, tie } = SORTS[sort];
  const dir = query.order ?? (sort === 'relevance' ? 'desc' : 'asc');
  // Search keys are integers, the rest text; the second value is the tie, else the id.
  const kind = (c: string) => (c === 'c.search_key' ? cursorValue.key : cursorValue.text);
  const after = decodeCursor(query.cursor, kind(column), kind(tie ?? 'c.id'));
  let q = repo.withDepartment(filteredCustomers(r, query));
  if (after) {
    const [value, tieValue] = after;
    const op = dir === 'asc' ? '>' : '<';
    // Row values let both databases walk the (key, tie) index from the cursor on.
    q = tie
      ? q.where(sql<SqlBool>`(${sql.ref(column)}, ${sql.ref(tie)}) ${sql.raw(op)} (${value}, ${tieValue})`)
      : q.where(column, op, value);
  }
  let ordered = q.orderBy(column, dir);
  if (tie) ordered = ordered.orderBy(tie, dir);
  const rows = (await ordered.limit(query.limit + 1).execute()) as repo.CustomerRow[];
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const ids = page.map((p) => p.id);
  const [owners, contacts] = await Promise.all([
    repo.ownersOf(ctx.db, ids),
    repo.primaryContactsOf(ctx.db, ids),
  ]);
  const items = page.map((p) => repo.toListItem(p, r.today, owners.get(p.id) ?? [], contacts.get(p.id)));
  const last = page.at(-1);
  const cursorOf = (row: repo.CustomerRow) =>
    ({
      archiveCode: [row.archive_code, row.id],
      name: [row.name_norm, Number(row.search_key)],
      updatedAt: [row.updated_at, row.id],
      filingDueDate: [row.filing_due_date, row.id],
      relevance: [Number(row.search_key), row.id],
    })[sort];
  return { items, nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}

/** SQL (archives aliased `c`): a submitted filing the reader may approve — the rule
 * `customer.file_approve` as a predicate, for the approver's list and to-do count. */
function filingApprovable(r: Reader): CustomerPredicate {
  const actor = r.ctx.actor;
  const gm = actor.roles.includes('general_manager');
  const manager = actor.roles.includes('department_manager') && r.scope.departmentIds.length > 0;
  const predicate = (eb: ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>) => {
    const mine = [
      eb.or([eb('c.filing_submitted_by', 'is', null), eb('c.filing_submitted_by', '!=', actor.id)]),
      eb.not(
        eb.exists(
          eb
            .selectFrom('customer_owners as fo')
            .select(sql`1`.as('one'))
            .whereRef('fo.customer_id', '=', 'c.id')
            .where('fo.user_id', '=', actor.id),
        ),
      ),
    ];
    if (gm) return eb.and(mine);
    if (manager) return eb.and([...mine, eb('c.department_id', 'in', r.scope.departmentIds)]);
    return sql<SqlBool>`1 = 0`;
  };
  return predicate as unknown as CustomerPredicate;
}

export async function countCustomers(ctx: Ctx, f: CustomerFilter): Promise<number> {
  const r = await reader(ctx);
  const row = await filteredCustomers(r, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Validation shared by create and update ---------------------------------------------------------

type MasterFields = Partial<Omit<CreateCustomerInput, 'contacts' | 'file' | 'allowSimilarName'>>;

async function checkReferences(t: TxCtx, input: MasterFields, problems: FieldProblem[]): Promise<void> {
  const lookups = await loadLookups(t.db);
  const active = (list: string, code: string) =>
    lookups.some((l) => l.list === list && l.code === code && l.active);
  for (const [field, list] of [
    ['category', 'category'],
    ['kind', 'kind'],
    ['nature', 'nature'],
    ['source', 'source'],
  ] as const) {
    const value = input[field];
    if (value && !active(list, value)) problems.push({ field, key: 'lookup', params: { value } });
  }
  if (input.departmentId) {
    const problem = await departmentProblem(t.db, 'departmentId', input.departmentId);
    if (problem) problems.push(problem);
  }
  if (input.ownerIds) {
    const users = await t.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', input.ownerIds)
      .where('active', '=', 1)
      .execute();
    const missing = input.ownerIds.filter((id) => !users.some((u) => u.id === id));
    if (missing.length)
      problems.push({ field: 'ownerIds', key: 'lookup', params: { value: missing.join(', ') } });
  }
  if (input.firstContactDate && input.firstContactDate > todayInShanghai(t.now())) {
    problems.push({ field: 'firstContactDate', key: 'future_date' });
  }
  if (input.firstPurchaseDate && input.firstPurchaseDate > todayInShanghai(t.now())) {
    problems.push({ field: 'firstPurchaseDate', key: 'future_date' });
  }
}

async function checkSecrecy(t: TxCtx & { actor: Actor }, secrecy: SecrecyLevel | undefined): Promise<void> {
  // Nobody creates or moves a record out of their own sight.
  if (secrecy && secrecyRank(secrecy) > t.actor.clearance)
    throw new DomainError('secrecy_above_own', 422, {}, 'secrecy');
}

/** Credit codes are unique (409, naming the archive when the reader may see it). */
async function checkCreditCode(r: Reader, t: TxCtx, creditCode: string, exceptId?: string): Promise<void> {
  let q = t.db
    .selectFrom('customers')
    .select(['id', 'archive_code', 'name'])
    .where('credit_code', '=', creditCode);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const existing = await q.executeTakeFirst();
  if (!existing) return;
  const visible = await repo
    .customersFrom(t.db)
    .select('c.id')
    .where('c.id', '=', existing.id)
    .where(visibleTo(r))
    .executeTakeFirst();
  if (visible) {
    throw new DomainError(
      'credit_code_taken',
      409,
      { creditCode, archiveCode: existing.archive_code, name: existing.name, id: existing.id },
      'creditCode',
    );
  }
  throw new DomainError('credit_code_taken_hidden', 409, { creditCode }, 'creditCode');
}

/** Near-identical names (R-C10) stop a save until the user confirms it is another customer. */
async function checkSimilarName(r: Reader, t: TxCtx, name: string, exceptId?: string): Promise<void> {
  let q = repo
    .customersFrom(t.db)
    .select(['c.id', 'c.archive_code', 'c.name'])
    .where('c.name_norm', '=', normalizeCustomerName(name))
    .where('c.status', '!=', 'merged')
    .where(visibleTo(r));
  if (exceptId) q = q.where('c.id', '!=', exceptId);
  const matches = await q.limit(5).execute();
  if (matches.length) {
    throw new DomainError('possible_duplicate', 409, {
      matches: matches.map((m) => `${m.archive_code} ${m.name}`).join('；'),
      ids: matches.map((m) => m.id),
    });
  }
}

/** 422 naming, in the reader's language, each field still missing; one field error for each. */
async function filingIncomplete(t: TxCtx, missing: string[]): Promise<FieldErrors> {
  const custom = await loadCustomFields(t.db);
  const labelOf = (field: string) =>
    field.startsWith('customFields.')
      ? (custom.find((f) => `customFields.${f.key}` === field)?.label ?? field)
      : (CUSTOMER_FIELD_LABELS[field]?.[t.lang] ?? field);
  return new FieldErrors(
    missing.map((field) => ({ field, key: 'required' })),
    'filing_incomplete',
    { fields: missing.map(labelOf).join(t.lang === 'en' ? ', ' : '、') },
  );
}

/** Which filing requirements (R-C5) an archive does not meet yet. */
export async function missingForFiling(db: Db, row: CustomerTable, required: string[]): Promise<string[]> {
  const missing: string[] = [];
  const columns: Record<string, keyof CustomerTable> = repo.FIELD_COLUMNS;
  for (const field of required) {
    if (field === 'contacts') {
      const one = await db
        .selectFrom('contacts')
        .select('id')
        .where('customer_id', '=', row.id)
        .where('active', '=', 1)
        .executeTakeFirst();
      if (!one) missing.push('contacts');
      continue;
    }
    const column = columns[field];
    if (column && (row[column] === null || row[column] === '')) missing.push(field);
  }
  const { problems } = checkCustomValues(
    await loadCustomFields(db),
    row.kind,
    {},
    { previous: JSON.parse(row.custom_fields) },
  );
  for (const p of problems) missing.push(p.field);
  return missing;
}

// Create -------------------------------------------------------------------------------------------

export async function createCustomer(ctx: Ctx, input: CreateCustomerInput): Promise<Customer> {
  authorize(ctx, 'customer.create', { type: 'customer' });
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  const created = await tx(ctx, async (t) => {
    const departmentId = input.departmentId ?? actor.departmentId;
    const ownerIds = input.ownerIds ?? [actor.id];
    const firstContactDate = input.firstContactDate ?? r.today;
    const problems: FieldProblem[] = [];
    if (!departmentId) problems.push({ field: 'departmentId', key: 'required' });
    await checkReferences(
      t,
      { ...input, departmentId: departmentId ?? undefined, ownerIds, firstContactDate },
      problems,
    );
    const fields = await loadCustomFields(t.db);
    const custom = checkCustomValues(fields, input.kind, input.customFields, { today: r.today });
    problems.push(...custom.problems);
    if (problems.length) throw new FieldErrors(problems);
    await checkSecrecy({ ...t, actor }, input.secrecy);
    if (input.creditCode) await checkCreditCode(r, t, input.creditCode);
    if (!input.allowSimilarName) await checkSimilarName(r, t, input.name);

    const settings = await loadSettings(t.db);
    const kind = (await loadLookups(t.db)).find((l) => l.list === 'kind' && l.code === input.kind);
    const calendar = await loadCalendar(t);
    const now = nowIso(t);
    const id = newId();
    const archiveCode = await nextCode(t, 'customer', settings.archiveCodePattern, {
      values: { type: kind?.prefix ?? 'KH' },
      date: r.today,
    });
    const searchKey = await nextSequence(t, 'customer_search_key');
    const row = repo.newCustomerRow(input, {
      id,
      search_key: searchKey,
      archive_code: archiveCode,
      department_id: departmentId as string,
      secrecy: secrecyRank(input.secrecy),
      status: 'draft',
      first_contact_date: firstContactDate,
      filing_due_date: calendar.addWorkingDays(firstContactDate, settings.filingDays),
      filed_at: null,
      custom_fields: JSON.stringify(custom.values),
      created_at: now,
      created_by: actor.id,
    });
    await t.db.insertInto('customers').values(row).execute();
    await repo.setOwners(t.db, id, ownerIds, now);
    let primarySet = false;
    for (const contact of input.contacts) {
      const isPrimary: boolean = contact.isPrimary && !primarySet;
      primarySet ||= isPrimary;
      await t.db
        .insertInto('contacts')
        .values({
          id: newId(),
          customer_id: id,
          name: contact.name,
          title: contact.title,
          role: contact.role ?? null,
          phone: contact.phone ?? null,
          mobile: contact.mobile ?? null,
          email: contact.email ?? null,
          wechat: contact.wechat,
          is_primary: isPrimary ? 1 : 0,
          notes: contact.notes,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    // With 备案审批 on, 'file at once' submits the new archive for approval instead.
    const fileNow = input.file && !settings.filingApproval;
    if (input.file) {
      const missing = await missingForFiling(t.db, row, settings.filingRequiredFields);
      if (missing.length) throw await filingIncomplete(t, missing);
      if (fileNow)
        await t.db
          .updateTable('customers')
          .set({ status: 'filed', filed_at: now })
          .where('id', '=', id)
          .execute();
    }
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId: id,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'create',
        newValue: { archiveCode, name: input.name, status: fileNow ? 'filed' : 'draft' },
      },
    ]);
    await reindex(t.db, id);
    // Filed at once: its visit plan starts now (R-V1).
    if (fileNow) await visitsOnFiled(t, id);
    await appendAudit(t, {
      action: 'customer.create',
      targetType: 'customer',
      targetId: id,
      targetLabel: `${archiveCode} ${input.name}`,
      secrecy: row.secrecy,
      details: {
        archiveCode,
        status: fileNow ? 'filed' : 'draft',
        ownerIds,
        contacts: input.contacts.length,
      },
    });
    if (input.file && !fileNow) await submitFiling(t, row, ownerIds);
    return id;
  });
  return toCustomer(r, await findVisible(r, created));
}

// Update -------------------------------------------------------------------------------------------

const COLUMNS = repo.FIELD_COLUMNS;

export async function updateCustomer(
  ctx: Ctx,
  id: string,
  input: UpdateCustomerInput,
  store: BlobStore,
): Promise<Customer> {
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  let encryption: EncryptionChange | undefined;
  await tx(ctx, async (t) => {
    const before = await findVisible(r, id, t.db);
    const owners = (await repo.ownersOf(t.db, [id])).get(id) ?? [];
    authorize(ctx, 'customer.update', {
      type: 'customer',
      id,
      resource: resourceOf(
        r,
        before,
        owners.map((o) => o.id),
      ),
    });
    assertEditable(ctx, before);
    const problems: FieldProblem[] = [];
    await checkReferences(t, input, problems);
    const kind = input.kind ?? before.kind;
    const fields = await loadCustomFields(t.db);
    const previousCustom = JSON.parse(before.custom_fields) as CustomValues;
    const custom =
      input.customFields !== undefined || input.kind !== undefined
        ? checkCustomValues(fields, kind, input.customFields ?? {}, {
            previous: previousCustom,
            today: r.today,
          })
        : { values: previousCustom, problems: [] };
    problems.push(...custom.problems);
    if (problems.length) throw new FieldErrors(problems);
    await checkSecrecy({ ...t, actor }, input.secrecy);
    if (input.creditCode && input.creditCode !== before.credit_code)
      await checkCreditCode(r, t, input.creditCode, id);
    if (input.name && normalizeCustomerName(input.name) !== before.name_norm && !input.allowSimilarName) {
      await checkSimilarName(r, t, input.name, id);
    }

    const settings = await loadSettings(t.db);
    const calendar = await loadCalendar(t);
    const now = nowIso(t);
    const changeDate = input.changeDate ?? r.today;
    if (changeDate > r.today) throw new FieldErrors([{ field: 'changeDate', key: 'future_date' }]);
    // Changes must be recorded within N working days of happening (R-C5).
    const late = calendar.addWorkingDays(changeDate, settings.changeDays) < r.today;
    const set: Partial<CustomerTable> = {};
    const history: repo.HistoryInsert[] = [];
    const entry = (field: string, oldValue: unknown, newValue: unknown) =>
      history.push({
        customerId: id,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'update',
        field,
        oldValue,
        newValue,
        changeDate,
        late,
        note: input.note,
      });
    for (const [field, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, keyof CustomerTable][]) {
      const value = input[field];
      if (value === undefined) continue;
      const normalized = value === '' ? null : value;
      if (normalized === before[column]) continue;
      (set as Record<string, unknown>)[column] = normalized;
      entry(field, before[column], normalized);
    }
    if (input.secrecy !== undefined && secrecyRank(input.secrecy) !== before.secrecy) {
      // 降密/解密 of an archive lowers every record in it (R-P9): the general manager's decision,
      // as a record's own 密级变更 is (R-P10); raising it is open to whoever edits the archive.
      if (secrecyRank(input.secrecy) < before.secrecy && !can(actor, 'customer.secrecy_lower'))
        throw new DomainError('customer_secrecy_lower', 403, {}, 'secrecy');
      set.secrecy = secrecyRank(input.secrecy);
      entry('secrecy', secrecyFromRank(before.secrecy), input.secrecy);
    }
    if (set.name) set.name_norm = normalizeCustomerName(set.name);
    if (set.first_contact_date)
      set.filing_due_date = calendar.addWorkingDays(set.first_contact_date, settings.filingDays);
    const customJson = JSON.stringify(custom.values);
    if (customJson !== before.custom_fields) {
      set.custom_fields = customJson;
      for (const key of new Set([...Object.keys(previousCustom), ...Object.keys(custom.values)])) {
        if (JSON.stringify(previousCustom[key] ?? null) !== JSON.stringify(custom.values[key] ?? null)) {
          entry(`customFields.${key}`, previousCustom[key] ?? null, custom.values[key] ?? null);
        }
      }
    }
    let removedOwners: string[] = [];
    if (input.ownerIds) {
      const old = owners.map((o) => o.id).sort();
      const next = [...new Set(input.ownerIds)].sort();
      if (JSON.stringify(old) !== JSON.stringify(next)) {
        await repo.setOwners(t.db, id, next, now);
        removedOwners = old.filter((o) => !next.includes(o));
        const people = await t.db
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', 'in', next)
          .execute();
        entry(
          'owners',
          owners.map((o) => o.name),
          next.map((n) => people.find((p) => p.id === n)?.name ?? n),
        );
      }
    }
    if (history.length === 0) return;
    await t.db
      .updateTable('customers')
      .set({ ...set, updated_at: now, updated_by: actor.id })
      .where('id', '=', id)
      .execute();
    await repo.insertHistory(
      t.db,
      history.map((h) => ({ ...h, id: newId() })),
    );
    await reindex(t.db, id);
    // The archive's documents are as secret as it is (R-P9): their files take the form the new
    // level needs (encryption at rest).
    if (set.secrecy !== undefined)
      encryption = await applyEncryptionFor(t, store, await documentsOfCustomers(t.db, [id]));
    // The first purchase starts the buyers' visit plan; visits of people no longer owners move.
    if (set.first_purchase_date && !before.first_purchase_date) await visitsOnFirstPurchase(t, id);
    await visitsOnOwnersChanged(t, id, removedOwners);
    await appendAudit(t, {
      action: 'customer.update',
      targetType: 'customer',
      targetId: id,
      targetLabel: `${before.archive_code} ${set.name ?? before.name}`,
      secrecy: Math.max(before.secrecy, set.secrecy ?? 0),
      details: {
        changes: Object.fromEntries(history.map((h) => [h.field, { from: h.oldValue, to: h.newValue }])),
        changeDate,
        late,
      },
    });
  });
  if (encryption) await afterEncryptionChange(ctx, store, encryption);
  return toCustomer(r, await findVisible(r, id));
}

// Status -----------------------------------------------------------------------------------------

async function changeStatus(
  ctx: Ctx,
  id: string,
  action: 'file' | 'deactivate' | 'reactivate',
  note: string | null,
): Promise<Customer> {
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  await tx(ctx, async (t) => {
    const before = await findVisible(r, id, t.db);
    const ownerIds = ((await repo.ownersOf(t.db, [id])).get(id) ?? []).map((o) => o.id);
    const resource = resourceOf(r, before, ownerIds);
    let next: CustomerStatus;
    const set: Partial<CustomerTable> = {};
    const now = nowIso(t);
    if (action === 'file') {
      authorize(ctx, 'customer.update', { type: 'customer', id, resource });
      if (before.status !== 'draft') throw new DomainError('already_filed', 409);
      const settings = await loadSettings(t.db);
      const missing = await missingForFiling(t.db, before, settings.filingRequiredFields);
      if (missing.length) throw await filingIncomplete(t, missing);
      // 备案审批 (seed 001 篇五): the archive waits for the sales director; still a draft.
      if (settings.filingApproval) {
        if (before.filing_submitted_at) throw new DomainError('filing_pending', 409);
        await submitFiling(t, before, ownerIds);
        return;
      }
      next = 'filed';
      set.filed_at = now;
    } else {
      authorize(ctx, 'customer.deactivate', { type: 'customer', id, resource });
      if (before.status === 'merged')
        throw new DomainError('customer_not_editable', 409, { status: label('merged', ctx) });
      if (action === 'deactivate') {
        if (before.status === 'inactive') return;
        next = 'inactive';
        // A submission waiting for approval lapses: filing starts over after reactivation.
        set.filing_submitted_at = null;
        set.filing_submitted_by = null;
      } else {
        if (before.status !== 'inactive') return;
        next = before.filed_at ? 'filed' : 'draft';
      }
    }
    await t.db
      .updateTable('customers')
      .set({ ...set, status: next, updated_at: now, updated_by: actor.id })
      .where('id', '=', id)
      .execute();
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId: id,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'status',
        field: 'status',
        oldValue: before.status,
        newValue: next,
        note,
      },
    ]);
    await appendAudit(t, {
      action: `customer.${action}`,
      targetType: 'customer',
      targetId: id,
      targetLabel: `${before.archive_code} ${before.name}`,
      secrecy: before.secrecy,
      details: { from: before.status, to: next, note },
    });
    if (next === 'filed' && action === 'file') await visitsOnFiled(t, id);
    if (next === 'inactive') await visitsOnDeactivated(t, id);
    if (action === 'reactivate') await visitsOnReactivated(t, id);
  });
  return toCustomer(r, await findVisible(r, id));
}

/** 备案 (R-C5): the archive is complete and confirmed. */
export const fileCustomer = (ctx: Ctx, id: string) => changeStatus(ctx, id, 'file', null);
/** Never a deletion: the archive stays, read-only, with everything in it. */
export const deactivateCustomer = (ctx: Ctx, id: string, note: string | null) =>
  changeStatus(ctx, id, 'deactivate', note);
export const reactivateCustomer = (ctx: Ctx, id: string, note: string | null) =>
  changeStatus(ctx, id, 'reactivate', note);

/** Archives a user is responsible for; a user who still has some cannot leave (R-C9). */
export async function countOwnedCustomers(db: Db, userId: string, maxSecrecy?: number): Promise<number> {
  const row = await db
    .selectFrom('customer_owners as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('o.user_id', '=', userId)
    .where('c.status', '!=', 'merged')
    .$if(maxSecrecy !== undefined, (q) => q.where('c.secrecy', '<=', maxSecrecy as number))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
