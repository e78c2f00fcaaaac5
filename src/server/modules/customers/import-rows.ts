import { CUSTOMER_COLUMNS } from '../../../common/customer-columns.js';
import { CREDIT_CLASS_LABELS, CREDIT_CLASSES } from '../../../common/customers.js';
import { type Lang, SECRECY_LABELS, SECRECY_LEVELS, secrecyRank } from '../../../common/enums.js';
import { errorMessage, formatMessage } from '../../../common/errors.js';
import {
  type CreateCustomerInput,
  type CustomField,
  createCustomerBody,
  type Lookup,
} from '../../../common/schemas/customers.js';
import { textFault } from '../../../common/text.js';
import { dateBoundProblem, FIELD_MESSAGES, localizeIssue, withToday } from '../../../common/validation.js';
import type { ContactTable, CustomerHistoryTable, CustomerTable } from '../../db/types.js';
import { type Override, WorkCalendar } from '../../platform/calendar.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { indexTokens } from '../../platform/search-tokens.js';
import type { SheetProblem } from '../../platform/sheet-import.js';
import { sheetDate } from '../../platform/xlsx-read.js';
import { type CustomValues, checkCustomValues } from './custom-values.js';
import * as repo from './repo.js';

// Reading and checking the rows of a customer import (R-W3) without the database, so that it
// can run in a worker thread (import-worker.ts) while the previous batch is written. Each row
// is checked with the same rules as the form (schemas, lists, custom fields, credit codes);
// what a row would create is built here too, down to the values of each inserted row. What
// needs the database (does the row match an archive? may the reader change it?) is decided
// by the job in import.ts.

/** What checking needs from the database, loaded once by the job. */
export interface ImportReference {
  lang: Lang;
  today: string;
  fileName: string;
  actor: { id: string; name: string; departmentId: string | null; clearance: number };
  lookups: Lookup[];
  customFields: CustomField[];
  departments: { id: string; name: string; code: string | null }[];
  users: { id: string; name: string; login: string }[];
  filingDays: number;
  calendarOverrides: [string, Override][];
}

// Checking -----------------------------------------------------------------------------------------

/** A row checked field by field; whether name, category and kind are needed depends on
 * whether it creates an archive or updates one, which is known only later. */
const importRowSchema = createCustomerBody.partial();
export type ImportRow = Partial<CreateCustomerInput> & { filedAt: string | null };
const REQUIRED_FOR_CREATE = ['name', 'category', 'kind'] as const;

export type Problem = SheetProblem;

/** A row as read from the sheet; `checked` when its fields are right. */
export interface RowResult {
  rowNumber: number;
  cells: string[];
  problems: Problem[];
  /** The keys that make two rows of one file the same archive. */
  creditCode: string | null;
  archiveCode: string | null;
  checked?: CheckedRow;
}

/**
 * The rows of a batch as the worker sends them (import-worker.ts): `rows` counts the non-blank
 * rows, of which `failed` (JSON of RowResult[]) failed their own checks and the others are
 * good, given by row number, their keys (credit code, archive code) and what each creates
 * (JSON of a NewArchive, or null). Their details the job asks for when it needs them.
 */
export interface RowBatch {
  type: 'batch';
  id: number;
  rows: number;
  failed: string;
  rowNumbers: number[];
  keys: (string | null)[];
  creates: (string | null)[];
}

export type RowDetails = Pick<RowResult, 'cells'> & Omit<CheckedRow, 'create'>;

/** A row whose fields are right; whether it creates or updates is decided against the database. */
export interface CheckedRow {
  input: ImportRow;
  /** Given (non-empty) columns: an update changes only what the sheet says. */
  given: string[];
  /** Why the row cannot create an archive: required fields; for a row without archive code
   * also its custom fields and the calendar. */
  createProblems: Problem[];
  /** What the row creates when it matches no archive (rows without archive code only). */
  create: NewArchive | null;
}

/**
 * The rows a new archive inserts, as values in the order of the column lists below. The
 * writer fills in what only the transaction knows: search key, archive code, the time.
 */
export interface NewArchive {
  /** The type code of the archive code (GY in GY20260005). */
  prefix: string;
  customer: unknown[];
  /** Search tokens of everything but the archive code, which is not known yet. */
  tokens: string;
  ownerIds: string[];
  contacts: unknown[][];
  history: unknown[];
}

/** Insert order of the customer row; `satisfies` below checks that no column is missing. */
export const CUSTOMER_INSERT = [
  'id',
  'search_key',
  'archive_code',
  'name',
  'name_norm',
  'credit_code',
  'category',
  'kind',
  'nature',
  'legal_representative',
  'registered_address',
  'phone',
  'email',
  'website',
  'industry',
  'region',
  'business_scope',
  'registered_capital',
  'staff_count',
  'source',
  'grade',
  'credit_class',
  'department_id',
  'secrecy',
  'status',
  'first_contact_date',
  'first_purchase_date',
  'filing_due_date',
  'filed_at',
  'custom_fields',
  'merged_into_id',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const satisfies readonly (keyof CustomerTable)[];
export const CONTACT_INSERT = [
  'id',
  'customer_id',
  'name',
  'title',
  'role',
  'phone',
  'mobile',
  'email',
  'wechat',
  'is_primary',
  'notes',
  'active',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ContactTable)[];
export const HISTORY_INSERT = [
  'id',
  'customer_id',
  'at',
  'actor_id',
  'actor_name',
  'kind',
  'field',
  'old_value',
  'new_value',
  'change_date',
  'late',
  'note',
  'origin_customer_id',
] as const satisfies readonly (keyof CustomerHistoryTable)[];

type Complete<List extends readonly string[], Table> =
  Exclude<keyof Table, List[number]> extends never ? true : never;
const complete: [
  // An imported archive is never waiting for filing approval: those columns stay null.
  Complete<
    typeof CUSTOMER_INSERT,
    Omit<
      CustomerTable,
      | 'filing_submitted_at'
      | 'filing_submitted_by'
      | 'filing_returned_at'
      | 'filing_returned_by'
      | 'filing_return_reason'
    >
  >,
  Complete<typeof CONTACT_INSERT, ContactTable>,
  Complete<typeof HISTORY_INSERT, CustomerHistoryTable>,
] = [true, true, true];
void complete;

/** Where the writer puts what only it knows. */
export const SLOT = {
  searchKey: CUSTOMER_INSERT.indexOf('search_key'),
  archiveCode: CUSTOMER_INSERT.indexOf('archive_code'),
  createdAt: CUSTOMER_INSERT.indexOf('created_at'),
  updatedAt: CUSTOMER_INSERT.indexOf('updated_at'),
  contactCreatedAt: CONTACT_INSERT.indexOf('created_at'),
  contactUpdatedAt: CONTACT_INSERT.indexOf('updated_at'),
  historyAt: HISTORY_INSERT.indexOf('at'),
  historyValue: HISTORY_INSERT.indexOf('new_value'),
} as const;

interface Column {
  key: string;
  header: string;
  custom?: boolean;
  /** How `given` names the column: the field, or customFields.<key>. */
  given: string;
}

const FIELD_TO_COLUMN: Record<string, string> = {
  'contacts.0.name': 'contactName',
  'contacts.0.mobile': 'contactPhone',
  ownerIds: 'owners',
  departmentId: 'department',
};

const TEXT_FIELDS = [
  'name',
  'creditCode',
  'legalRepresentative',
  'registeredAddress',
  'phone',
  'email',
  'website',
  'industry',
  'region',
  'businessScope',
  'registeredCapital',
] as const;

const LOOKUP_FIELDS = [
  ['category', 'category'],
  ['kind', 'kind'],
  ['nature', 'nature'],
  ['source', 'source'],
] as const;

/** Checks the rows of a sheet with this header; `missing` names required columns it lacks. */
export function rowChecker(ref: ImportReference, header: string[]) {
  const { lang, lookups, customFields, departments, users, actor } = ref;
  const calendar = new WorkCalendar(new Map(ref.calendarOverrides));
  const columns: (Column | undefined)[] = header.map((raw) => {
    const h = raw.replace(/[*＊\s]/g, '');
    const builtin = CUSTOMER_COLUMNS.find(
      (c) => !c.exportOnly && (c.header.zh === h || c.header.en.replace(/\s/g, '') === h || c.key === h),
    );
    if (builtin) return { key: builtin.key, header: raw.trim(), given: builtin.key };
    const custom = customFields.find((f) => f.active && (f.label === h || f.key === h));
    return custom
      ? { key: custom.key, header: raw.trim(), custom: true, given: `customFields.${custom.key}` }
      : undefined;
  });
  const missing = CUSTOMER_COLUMNS.filter(
    (c) => c.required && !columns.some((col) => col?.key === c.key),
  ).map((c) => c.header[lang]);

  const fieldMessage = (key: keyof typeof FIELD_MESSAGES, params?: Record<string, unknown>) =>
    formatMessage(FIELD_MESSAGES[key][lang], params);
  // Lists are short, but they are asked for on every row: the first active entry whose label,
  // English label or code is the text.
  const lookupCodes = new Map<string, string>();
  for (const l of lookups) {
    if (!l.active) continue;
    for (const text of [l.label, l.labelEn, l.code]) {
      const key = `${l.list}\u0000${text}`;
      if (text && !lookupCodes.has(key)) lookupCodes.set(key, l.code);
    }
  }
  const lookupCode = (list: string, text: string) => lookupCodes.get(`${list}\u0000${text}`);
  const prefixes = new Map(lookups.filter((l) => l.list === 'kind').map((l) => [l.code, l.prefix ?? 'KH']));
  const headerOf = (key: string) => columns.find((c) => c?.key === key)?.header ?? key;
  // Functions declared once, not per row: rows are checked ten thousand a second.
  const addProblem = (problems: Problem[], key: string, message: string) =>
    problems.push({ column: headerOf(key), message });

  /** The sheet's values as the form's input; problems name the column. */
  function read(cells: string[], problems: Problem[]) {
    const given: string[] = [];
    const values: Record<string, string> = {};
    let custom: CustomValues | undefined;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i];
      if (!col) continue;
      const text = (cells[i] ?? '').trim();
      if (text === '') continue;
      // A sheet is text input like a form: control characters, broken Unicode and direction
      // controls are refused.
      const fault = textFault(text);
      if (fault) {
        addProblem(problems, col.key, fieldMessage(fault));
        continue;
      }
      given.push(col.given);
      if (!col.custom) values[col.key] = text;
      else {
        custom ??= {};
        custom[col.key] = text;
      }
    }
    const input: Record<string, unknown> = {};
    for (const key of TEXT_FIELDS) if (values[key] !== undefined) input[key] = values[key];
    for (const [key, list] of LOOKUP_FIELDS) {
      const text = values[key];
      if (text === undefined) continue;
      const code = lookupCode(list, text);
      if (code) input[key] = code;
      else addProblem(problems, key, fieldMessage('lookup', { value: text }));
    }
    if (values.staffCount !== undefined) {
      const n = Number(values.staffCount.replace(/[,，]/g, ''));
      if (Number.isInteger(n) && n >= 0) input.staffCount = n;
      else addProblem(problems, 'staffCount', fieldMessage('number'));
    }
    if (values.grade !== undefined) {
      const g = values.grade.toUpperCase();
      if (['A', 'B', 'C'].includes(g)) input.grade = g;
      else addProblem(problems, 'grade', fieldMessage('lookup', { value: values.grade }));
    }
    if (values.creditClass !== undefined) {
      const c = CREDIT_CLASSES.find(
        (k) => k === values.creditClass || CREDIT_CLASS_LABELS[k].zh === values.creditClass,
      );
      if (c) input.creditClass = c;
      else addProblem(problems, 'creditClass', fieldMessage('lookup', { value: values.creditClass }));
    }
    if (values.secrecy !== undefined) {
      const s = SECRECY_LEVELS.find(
        (k) =>
          k === values.secrecy ||
          SECRECY_LABELS[k].zh === values.secrecy ||
          SECRECY_LABELS[k].en === values.secrecy,
      );
      if (!s) addProblem(problems, 'secrecy', fieldMessage('lookup', { value: values.secrecy }));
      else if (secrecyRank(s) > actor.clearance)
        addProblem(problems, 'secrecy', errorMessage('secrecy_above_own', lang));
      else input.secrecy = s;
    }
    for (const key of ['firstContactDate', 'filedAt'] as const) {
      if (values[key] === undefined) continue;
      const d = sheetDate(values[key] as string);
      const label = CUSTOMER_COLUMNS.find((c) => c.key === key)?.header;
      const early = d && label ? dateBoundProblem(d, 'century', label, ref.today) : null;
      if (!d || d > ref.today) addProblem(problems, key, fieldMessage(d ? 'future_date' : 'date'));
      else if (early) addProblem(problems, key, fieldMessage(early.key, early.params));
      else input[key] = d;
    }
    if (values.department !== undefined) {
      const matches = departments.filter((d) => d.name === values.department || d.code === values.department);
      if (matches.length === 1) input.departmentId = matches[0]?.id;
      else
        addProblem(
          problems,
          'department',
          matches.length
            ? '部门名称不唯一，请填写部门编码'
            : fieldMessage('lookup', { value: values.department }),
        );
    }
    if (values.owners !== undefined) {
      const ids: string[] = [];
      for (const part of values.owners.split(/[、,，;；\s]+/).filter(Boolean)) {
        const byLogin = users.find((u) => u.login === part.toLowerCase());
        const byName = users.filter((u) => u.name === part);
        const user = byLogin ?? (byName.length === 1 ? byName[0] : undefined);
        if (user) ids.push(user.id);
        else addProblem(problems, 'owners', fieldMessage('lookup', { value: part }));
      }
      if (ids.length) input.ownerIds = ids;
    }
    if (values.contactName !== undefined) {
      input.contacts = [{ name: values.contactName, mobile: values.contactPhone ?? null, isPrimary: true }];
    }
    if (custom) input.customFields = custom;
    return { input, given, archiveCode: values.archiveCode?.toUpperCase() ?? null };
  }

  /** The archive the row creates, or why it cannot create one. */
  function creation(
    rowNumber: number,
    input: ImportRow,
    problems: Problem[],
    requiredOnly: boolean,
  ): NewArchive | null {
    for (const key of REQUIRED_FOR_CREATE) {
      if (!input[key]) addProblem(problems, key, formatMessage(FIELD_MESSAGES.required[lang]));
    }
    if (problems.length || requiredOnly) return null;
    const kind = input.kind as string;
    const custom = checkCustomValues(customFields, kind, input.customFields ?? {}, { today: ref.today });
    for (const p of custom.problems) {
      const message = formatMessage(FIELD_MESSAGES[p.key][lang], p.params);
      addProblem(problems, p.field.replace(/^customFields\./, ''), message);
    }
    const firstContact = input.firstContactDate ?? ref.today;
    let filingDue: string;
    try {
      filingDue = calendar.addWorkingDays(firstContact, ref.filingDays);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      addProblem(problems, 'firstContactDate', errorMessage(err.code, lang, err.params));
      return null;
    }
    if (problems.length) return null;
    const status = input.filedAt ? 'filed' : 'draft';
    const row = repo.newCustomerRow(input as Parameters<typeof repo.newCustomerRow>[0], {
      id: newId(),
      search_key: 0,
      archive_code: '',
      department_id: input.departmentId ?? (actor.departmentId as string),
      secrecy: secrecyRank(input.secrecy ?? 'normal'),
      status,
      first_contact_date: firstContact,
      filing_due_date: filingDue,
      filed_at: input.filedAt ? new Date(`${input.filedAt}T00:00:00+08:00`).toISOString() : null,
      custom_fields: JSON.stringify(custom.values),
      created_at: '',
      created_by: actor.id,
    });
    const contacts = (input.contacts ?? []).map((c) => ({
      id: newId(),
      customer_id: row.id,
      name: c.name,
      title: c.title ?? null,
      role: c.role ?? null,
      phone: c.phone ?? null,
      mobile: c.mobile ?? null,
      email: c.email ?? null,
      wechat: c.wechat ?? null,
      is_primary: 1,
      notes: c.notes ?? null,
      active: 1,
      created_at: '',
      updated_at: '',
    }));
    const history: CustomerHistoryTable = {
      id: newId(),
      customer_id: row.id,
      at: '',
      actor_id: actor.id,
      actor_name: actor.name,
      kind: 'create',
      field: null,
      old_value: null,
      // The writer puts the archive code in front: {"archiveCode":…,"name":…,"status":…}.
      new_value: JSON.stringify({ name: row.name, status }).slice(1),
      change_date: null,
      late: 0,
      note: `导入：${ref.fileName} 第 ${rowNumber} 行`,
      origin_customer_id: null,
    };
    const customer: unknown[] = new Array(CUSTOMER_INSERT.length);
    for (let i = 0; i < CUSTOMER_INSERT.length; i++)
      customer[i] = row[CUSTOMER_INSERT[i] as keyof CustomerTable];
    return {
      prefix: prefixes.get(kind) ?? 'KH',
      customer,
      tokens: indexTokens(repo.searchFields(row, contacts, custom.values).slice(1)),
      ownerIds: input.ownerIds ? [...new Set(input.ownerIds)] : [actor.id],
      contacts: contacts.map((c) => CONTACT_INSERT.map((k) => c[k])),
      history: HISTORY_INSERT.map((k) => history[k]),
    };
  }

  function check(rowNumber: number, cells: string[]): RowResult {
    const problems: Problem[] = [];
    const { input, given, archiveCode } = read(cells, problems);
    // Each check the form does, with the same messages.
    const { filedAt, ...fields } = input;
    const parsed = withToday(ref.today, () => importRowSchema.safeParse(fields, { reportInput: true }));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const fe = localizeIssue(issue, lang);
        addProblem(
          problems,
          FIELD_TO_COLUMN[fe.field] ?? fe.field.replace(/^customFields\./, ''),
          fe.message,
        );
      }
      return { rowNumber, cells, problems, creditCode: null, archiveCode };
    }
    const row: ImportRow = { ...parsed.data, filedAt: (filedAt as string | undefined) ?? null };
    const out: RowResult = { rowNumber, cells, problems, creditCode: row.creditCode ?? null, archiveCode };
    if (problems.length) return out;
    const createProblems: Problem[] = [];
    const create = creation(rowNumber, row, createProblems, archiveCode !== null);
    out.checked = { input: row, given, createProblems, create };
    return out;
  }

  return { check, missing, headerOf };
}
