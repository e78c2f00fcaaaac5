import type { SelectQueryBuilder } from 'kysely';
import {
  type CreditClass,
  type CustomerGrade,
  type CustomerStatus,
  type InteractionKind,
  normalizeCustomerName,
} from '../../../common/customers.js';
import { secrecyFromRank } from '../../../common/enums.js';
import type {
  Contact,
  CustomerListItem,
  HistoryEntry,
  Interaction,
} from '../../../common/schemas/customers.js';
import type { Db } from '../../db/index.js';
import type { ContactTable, CustomerTable, Database, InteractionTable } from '../../db/types.js';
import { indexTokens, type SearchField } from '../../platform/search-tokens.js';

// SQL of the customer archive. No rules here: visibility predicates and permission checks
// come from the service, which passes them in.

export type CustomerRow = CustomerTable & { department_name: string | null };

/** API field → column of the master record; history, filing checks and reports share it. */
export const FIELD_COLUMNS = {
  name: 'name',
  creditCode: 'credit_code',
  category: 'category',
  kind: 'kind',
  nature: 'nature',
  legalRepresentative: 'legal_representative',
  registeredAddress: 'registered_address',
  phone: 'phone',
  email: 'email',
  website: 'website',
  industry: 'industry',
  region: 'region',
  businessScope: 'business_scope',
  registeredCapital: 'registered_capital',
  staffCount: 'staff_count',
  source: 'source',
  grade: 'grade',
  creditClass: 'credit_class',
  departmentId: 'department_id',
  firstContactDate: 'first_contact_date',
  firstPurchaseDate: 'first_purchase_date',
} as const satisfies Record<string, keyof CustomerTable>;

export type MasterField = keyof typeof FIELD_COLUMNS;

/** The row of a new archive: the form's fields (absent ones empty) and the system's. */
export function newCustomerRow(
  input: Partial<Record<MasterField, string | number | null | undefined>> & {
    name: string;
    category: string;
    kind: string;
  },
  system: Pick<
    CustomerTable,
    | 'id'
    | 'search_key'
    | 'archive_code'
    | 'department_id'
    | 'secrecy'
    | 'status'
    | 'first_contact_date'
    | 'filing_due_date'
    | 'filed_at'
    | 'custom_fields'
    | 'created_at'
    | 'created_by'
  >,
): CustomerTable {
  // Spelled out rather than mapped from FIELD_COLUMNS: imports build 100,000 of these.
  return {
    id: system.id,
    search_key: system.search_key,
    archive_code: system.archive_code,
    name: input.name,
    name_norm: normalizeCustomerName(input.name),
    credit_code: (input.creditCode ?? null) as string | null,
    category: input.category,
    kind: input.kind,
    nature: (input.nature ?? null) as string | null,
    legal_representative: (input.legalRepresentative ?? null) as string | null,
    registered_address: (input.registeredAddress ?? null) as string | null,
    phone: (input.phone ?? null) as string | null,
    email: (input.email ?? null) as string | null,
    website: (input.website ?? null) as string | null,
    industry: (input.industry ?? null) as string | null,
    region: (input.region ?? null) as string | null,
    business_scope: (input.businessScope ?? null) as string | null,
    registered_capital: (input.registeredCapital ?? null) as string | null,
    staff_count: (input.staffCount ?? null) as number | null,
    source: (input.source ?? null) as string | null,
    grade: (input.grade ?? null) as string | null,
    credit_class: (input.creditClass ?? null) as string | null,
    department_id: system.department_id,
    secrecy: system.secrecy,
    status: system.status,
    first_contact_date: system.first_contact_date,
    first_purchase_date: (input.firstPurchaseDate ?? null) as string | null,
    filing_due_date: system.filing_due_date,
    filed_at: system.filed_at,
    custom_fields: system.custom_fields,
    merged_into_id: null,
    created_at: system.created_at,
    created_by: system.created_by,
    updated_at: system.created_at,
    updated_by: system.created_by,
  };
}

export type CustomerQuery = SelectQueryBuilder<Database & { c: CustomerTable }, 'c', object>;

export function customersFrom(db: Db): CustomerQuery {
  return db.selectFrom('customers as c') as unknown as CustomerQuery;
}

/** Archive rows with their department's name, as lists and pages show them. */
export function withDepartment(q: CustomerQuery) {
  return q
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name');
}

/** Archives with any of these credit codes or archive codes (imports match rows by them). */
export async function customersByCodes(
  db: Db,
  creditCodes: string[],
  archiveCodes: string[],
): Promise<CustomerTable[]> {
  if (creditCodes.length === 0 && archiveCodes.length === 0) return [];
  return db
    .selectFrom('customers')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(creditCodes.length ? [eb('credit_code', 'in', creditCodes)] : []),
        ...(archiveCodes.length ? [eb('archive_code', 'in', archiveCodes)] : []),
      ]),
    )
    .execute();
}

export interface Person {
  id: string;
  name: string;
  login: string;
}

/** Owners of several customers in one query (no N+1 on lists). */
export async function ownersOf(db: Db, customerIds: string[]): Promise<Map<string, Person[]>> {
  const out = new Map<string, Person[]>();
  if (customerIds.length === 0) return out;
  const rows = await db
    .selectFrom('customer_owners as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['o.customer_id', 'u.id', 'u.name', 'u.login'])
    .where('o.customer_id', 'in', customerIds)
    .orderBy('o.assigned_at')
    .execute();
  for (const r of rows) {
    const list = out.get(r.customer_id) ?? [];
    list.push({ id: r.id, name: r.name, login: r.login });
    out.set(r.customer_id, list);
  }
  return out;
}

/** The primary (else the first active) contact of several customers in one query. */
export async function primaryContactsOf(
  db: Db,
  customerIds: string[],
): Promise<Map<string, { name: string; phone: string | null }>> {
  const out = new Map<string, { name: string; phone: string | null }>();
  if (customerIds.length === 0) return out;
  const rows = await db
    .selectFrom('contacts')
    .select(['customer_id', 'name', 'phone', 'mobile', 'is_primary', 'created_at'])
    .where('customer_id', 'in', customerIds)
    .where('active', '=', 1)
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .execute();
  for (const r of rows) {
    if (!out.has(r.customer_id)) out.set(r.customer_id, { name: r.name, phone: r.mobile ?? r.phone });
  }
  return out;
}

export async function setOwners(
  db: Db,
  customerId: string,
  userIds: readonly string[],
  now: string,
): Promise<void> {
  await db.deleteFrom('customer_owners').where('customer_id', '=', customerId).execute();
  const unique = [...new Set(userIds)];
  if (unique.length) {
    await db
      .insertInto('customer_owners')
      .values(unique.map((user_id) => ({ customer_id: customerId, user_id, assigned_at: now })))
      .execute();
  }
}

export function toListItem(
  r: CustomerRow,
  today: string,
  owners: Person[],
  contact: { name: string; phone: string | null } | undefined,
): CustomerListItem {
  return {
    id: r.id,
    archiveCode: r.archive_code,
    name: r.name,
    creditCode: r.credit_code,
    category: r.category,
    kind: r.kind,
    grade: r.grade as CustomerGrade | null,
    creditClass: r.credit_class as CreditClass | null,
    region: r.region,
    industry: r.industry,
    departmentName: r.department_name,
    owners: owners.map((o) => o.name),
    primaryContact: contact ?? null,
    secrecy: secrecyFromRank(r.secrecy),
    status: r.status as CustomerStatus,
    filingDueDate: r.filing_due_date,
    filingOverdue: isFilingOverdue(r, today),
    filingPending: r.status === 'draft' && !!r.filing_submitted_at,
    updatedAt: r.updated_at,
  };
}

/** A draft past its filing date (R-C5); a submission for approval stops the clock. */
export function isFilingOverdue(
  r: Pick<CustomerTable, 'status' | 'filing_due_date' | 'filing_submitted_at'>,
  today: string,
): boolean {
  return r.status === 'draft' && !r.filing_submitted_at && r.filing_due_date < today;
}

// Contacts and interactions -------------------------------------------------------------------

export function toContact(r: ContactTable): Contact {
  return {
    id: r.id,
    customerId: r.customer_id,
    name: r.name,
    title: r.title,
    role: r.role,
    phone: r.phone,
    mobile: r.mobile,
    email: r.email,
    wechat: r.wechat,
    isPrimary: r.is_primary === 1,
    notes: r.notes,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function contactsOf(db: Db, customerId: string): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('active', 'desc')
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .execute();
  return rows.map(toContact);
}

export function toInteraction(r: InteractionTable & { created_by_name: string | null }): Interaction {
  return {
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind as InteractionKind,
    occurredOn: r.occurred_on,
    participants: r.participants,
    summary: r.summary,
    nextStep: r.next_step,
    nextStepDue: r.next_step_due,
    createdBy: r.created_by_name,
    createdAt: r.created_at,
  };
}

export function interactionsQuery(db: Db) {
  return db
    .selectFrom('interactions as i')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .selectAll('i')
    .select('u.name as created_by_name');
}

// History ---------------------------------------------------------------------------------------

export interface HistoryInsert {
  customerId: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  kind: string;
  field?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  changeDate?: string | null;
  late?: boolean;
  note?: string | null;
}

export async function insertHistory(db: Db, entries: (HistoryInsert & { id: string })[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('customer_history')
    .values(
      entries.map((e) => ({
        id: e.id,
        customer_id: e.customerId,
        at: e.at,
        actor_id: e.actorId,
        actor_name: e.actorName,
        kind: e.kind,
        field: e.field ?? null,
        old_value: e.oldValue === undefined ? null : JSON.stringify(e.oldValue),
        new_value: e.newValue === undefined ? null : JSON.stringify(e.newValue),
        change_date: e.changeDate ?? null,
        late: e.late ? 1 : 0,
        note: e.note ?? null,
        origin_customer_id: null,
      })),
    )
    .execute();
}

export function historyQuery(db: Db) {
  return db
    .selectFrom('customer_history as h')
    .leftJoin('customers as oc', 'oc.id', 'h.origin_customer_id')
    .selectAll('h')
    .select('oc.archive_code as origin_archive_code');
}

export function toHistoryEntry(
  r: Database['customer_history'] & { origin_archive_code: string | null },
): HistoryEntry {
  return {
    id: r.id,
    at: r.at,
    actorName: r.actor_name,
    kind: r.kind,
    field: r.field,
    oldValue: r.old_value === null ? null : JSON.parse(r.old_value),
    newValue: r.new_value === null ? null : JSON.parse(r.new_value),
    changeDate: r.change_date,
    late: r.late === 1,
    note: r.note,
    originArchiveCode: r.origin_archive_code,
  };
}

// Search ---------------------------------------------------------------------------------------

/** What the search box finds a customer by: codes, name, phone, contacts, custom text. */
export async function customerTokens(db: Db, customerId: string): Promise<string> {
  const c = await db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  const contacts = await db
    .selectFrom('contacts')
    .select(['name', 'phone', 'mobile', 'email'])
    .where('customer_id', '=', customerId)
    .where('active', '=', 1)
    .execute();
  return tokensFor(c, contacts);
}

export function tokensFor(
  c: Pick<CustomerTable, 'archive_code' | 'credit_code' | 'name' | 'phone' | 'custom_fields'>,
  contacts: { name: string; phone: string | null; mobile: string | null; email: string | null }[],
): string {
  return indexTokens(searchFields(c, contacts));
}

/** The fields tokensFor indexes, the archive code first; `customValues` when already parsed. */
export function searchFields(
  c: Pick<CustomerTable, 'archive_code' | 'credit_code' | 'name' | 'phone' | 'custom_fields'>,
  contacts: { name: string; phone: string | null; mobile: string | null; email: string | null }[],
  customValues: Record<string, unknown> = JSON.parse(c.custom_fields),
): SearchField[] {
  const custom = Object.values(customValues)
    .flat()
    .filter((v): v is string => typeof v === 'string');
  return [
    { text: c.archive_code, code: true },
    { text: c.credit_code, code: true },
    { text: c.name },
    { text: c.phone, code: true },
    ...contacts.flatMap((k) => [
      { text: k.name },
      { text: k.phone, code: true },
      { text: k.mobile, code: true },
      { text: k.email },
    ]),
    ...custom.map((text) => ({ text })),
  ];
}
