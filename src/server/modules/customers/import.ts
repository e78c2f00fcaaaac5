import { once } from 'node:events';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { type Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { CUSTOMER_COLUMNS } from '../../../common/customer-columns.js';
import { CREDIT_CLASS_LABELS, CREDIT_CLASSES } from '../../../common/customers.js';
import { SECRECY_LABELS, SECRECY_LEVELS, secrecyRank } from '../../../common/enums.js';
import { errorMessage, formatMessage } from '../../../common/errors.js';
import {
  type CreateCustomerInput,
  createCustomerBody,
  type UpdateCustomerInput,
} from '../../../common/schemas/customers.js';
import type { ImportResult, Job } from '../../../common/schemas/jobs.js';
import { FIELD_MESSAGES, localizeIssue } from '../../../common/validation.js';
import type { CustomerTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Ctx, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob, getJob, type JobContext, registerJobHandler } from '../../platform/jobs.js';
import { counterKey, formatCode, reserveSequence } from '../../platform/numbering.js';
import { authorize, can } from '../../platform/policy/index.js';
import { excel, streamWorkbook, xlsxRows } from '../../platform/xlsx.js';
import {
  type CustomValues,
  checkCustomValues,
  loadCustomFields,
  loadLookups,
  loadSettings,
} from './config.js';
import * as repo from './repo.js';
import { customerIndex, type Reader, reader, resourceOf, updateCustomer, visibleTo } from './service.js';

// Excel/CSV import of customer archives (R-W3): the sheet is read as a stream, each row is
// checked with the same rules as the form (schemas, lists, custom fields, credit codes), and
// rows are created in batches or, when they match an archive by credit code or archive code,
// applied as an update. A dry run does every check and writes nothing. Failed rows go to an
// error sheet on disk: the original cells with a column saying what is wrong.

export const IMPORT_JOB = 'customer_import';
const BATCH = 500;
const MAX_PROBLEMS_IN_RESULT = 500;

export interface ImportPayload {
  path: string;
  fileName: string;
  errorsPath: string;
  dryRun: boolean;
  /** Rows the dry run counted, so the real run can show a percentage. */
  expectedRows?: number;
}

// Reading ------------------------------------------------------------------------------------------

/** UTF-8 (with or without BOM) or, when the bytes are not valid UTF-8, GBK (Excel's default in China). */
function decoder(): Transform {
  let dec: TextDecoder | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!dec) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, 65536), { stream: true });
          dec = new TextDecoder('utf-8');
        } catch {
          dec = new TextDecoder('gbk');
        }
      }
      done(null, dec.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, dec?.decode() ?? '');
    },
  });
}

async function* csvRows(path: string): AsyncGenerator<string[]> {
  const parser = fs
    .createReadStream(path)
    .pipe(decoder())
    .pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: true }));
  for await (const record of parser) yield (record as string[]).map((c) => c.trim());
}

function rows(path: string, fileName: string): AsyncGenerator<string[]> {
  return /\.csv$/i.test(fileName) ? csvRows(path) : xlsxRows(path);
}

// Mapping a row to the customer form -------------------------------------------------------------

/** A row checked field by field; whether name, category and kind are needed depends on
 * whether it creates an archive or updates one, which is known only later. */
const importRowSchema = createCustomerBody.partial();
type ImportRow = Partial<CreateCustomerInput> & { filedAt: string | null };
const REQUIRED_FOR_CREATE = ['name', 'category', 'kind'] as const;

interface Column {
  key: string;
  header: string;
  custom?: boolean;
}

interface RowOutcome {
  rowNumber: number;
  cells: string[];
  problems: { column: string; message: string }[];
  archiveCode?: string;
  input?: ImportRow;
  /** Given (non-empty) columns, for updates: only what the sheet says changes. */
  given: Set<string>;
}

const DATE_FORMATS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})(\d{2})(\d{2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];

function normalizeDate(text: string): string | null {
  for (const re of DATE_FORMATS) {
    const m = text.match(re);
    if (m) return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  }
  return null;
}

async function buildMapper(r: Reader, header: string[]) {
  const db = r.ctx.db;
  const lang = r.ctx.lang;
  const [lookups, customFields, departments, users] = await Promise.all([
    loadLookups(db),
    loadCustomFields(db),
    db.selectFrom('departments').select(['id', 'name', 'code']).where('active', '=', 1).execute(),
    db.selectFrom('users').select(['id', 'name', 'login']).where('active', '=', 1).execute(),
  ]);
  const columns: (Column | undefined)[] = header.map((raw) => {
    const h = raw.replace(/[*＊\s]/g, '');
    const builtin = CUSTOMER_COLUMNS.find(
      (c) => !c.exportOnly && (c.header.zh === h || c.header.en.replace(/\s/g, '') === h || c.key === h),
    );
    if (builtin) return { key: builtin.key, header: raw.trim() };
    const custom = customFields.find((f) => f.active && (f.label === h || f.key === h));
    return custom ? { key: custom.key, header: raw.trim(), custom: true } : undefined;
  });
  const missing = CUSTOMER_COLUMNS.filter(
    (c) => c.required && !columns.some((col) => col?.key === c.key),
  ).map((c) => c.header[lang]);

  const fieldMessage = (key: keyof typeof FIELD_MESSAGES, params?: Record<string, unknown>) =>
    formatMessage(FIELD_MESSAGES[key][lang], params);
  const lookupCode = (list: string, text: string) =>
    lookups.find(
      (l) => l.list === list && l.active && (l.label === text || l.labelEn === text || l.code === text),
    )?.code;
  const headerOf = (key: string) => columns.find((c) => c?.key === key)?.header ?? key;
  const FIELD_TO_COLUMN: Record<string, string> = {
    'contacts.0.name': 'contactName',
    'contacts.0.mobile': 'contactPhone',
    ownerIds: 'owners',
    departmentId: 'department',
  };

  function map(rowNumber: number, cells: string[]): RowOutcome {
    const out: RowOutcome = { rowNumber, cells, problems: [], given: new Set() };
    const problem = (key: string, message: string) => out.problems.push({ column: headerOf(key), message });
    const values: Record<string, string> = {};
    const custom: CustomValues = {};
    columns.forEach((col, i) => {
      const text = (cells[i] ?? '').trim();
      if (!col || text === '') return;
      out.given.add(col.custom ? `customFields.${col.key}` : col.key);
      if (col.custom) custom[col.key] = text;
      else values[col.key] = text;
    });
    if (values.archiveCode) out.archiveCode = values.archiveCode.toUpperCase();
    const input: Record<string, unknown> = {};
    for (const key of [
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
    ]) {
      if (values[key] !== undefined) input[key] = values[key];
    }
    for (const [key, list] of [
      ['category', 'category'],
      ['kind', 'kind'],
      ['nature', 'nature'],
      ['source', 'source'],
    ] as const) {
      const text = values[key];
      if (text === undefined) continue;
      const code = lookupCode(list, text);
      if (code) input[key] = code;
      else problem(key, fieldMessage('lookup', { value: text }));
    }
    if (values.staffCount !== undefined) {
      const n = Number(values.staffCount.replace(/[,，]/g, ''));
      if (Number.isInteger(n) && n >= 0) input.staffCount = n;
      else problem('staffCount', fieldMessage('number'));
    }
    if (values.grade !== undefined) {
      const g = values.grade.toUpperCase();
      if (['A', 'B', 'C'].includes(g)) input.grade = g;
      else problem('grade', fieldMessage('lookup', { value: values.grade }));
    }
    if (values.creditClass !== undefined) {
      const c = CREDIT_CLASSES.find(
        (k) => k === values.creditClass || CREDIT_CLASS_LABELS[k].zh === values.creditClass,
      );
      if (c) input.creditClass = c;
      else problem('creditClass', fieldMessage('lookup', { value: values.creditClass }));
    }
    if (values.secrecy !== undefined) {
      const s = SECRECY_LEVELS.find(
        (k) =>
          k === values.secrecy ||
          SECRECY_LABELS[k].zh === values.secrecy ||
          SECRECY_LABELS[k].en === values.secrecy,
      );
      if (!s) problem('secrecy', fieldMessage('lookup', { value: values.secrecy }));
      else if (secrecyRank(s) > r.ctx.actor.clearance)
        problem('secrecy', errorMessage('secrecy_above_own', lang));
      else input.secrecy = s;
    }
    for (const key of ['firstContactDate', 'filedAt'] as const) {
      if (values[key] === undefined) continue;
      const d = normalizeDate(values[key] as string);
      if (!d || d > r.today) problem(key, fieldMessage(d ? 'future_date' : 'date'));
      else input[key] = d;
    }
    if (values.department !== undefined) {
      const matches = departments.filter((d) => d.name === values.department || d.code === values.department);
      if (matches.length === 1) input.departmentId = matches[0]?.id;
      else
        problem(
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
        else problem('owners', fieldMessage('lookup', { value: part }));
      }
      if (ids.length) input.ownerIds = ids;
    }
    if (values.contactName !== undefined) {
      input.contacts = [{ name: values.contactName, mobile: values.contactPhone ?? null, isPrimary: true }];
    }
    if (Object.keys(custom).length) input.customFields = custom;

    // Each check the form does, with the same messages.
    const { filedAt, ...fields } = input;
    const parsed = importRowSchema.safeParse(fields, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const fe = localizeIssue(issue, lang);
        problem(FIELD_TO_COLUMN[fe.field] ?? fe.field.replace(/^customFields\./, ''), fe.message);
      }
    } else {
      out.input = { ...parsed.data, filedAt: (filedAt as string | undefined) ?? null };
    }
    return out;
  }

  return { map, missing, columns, customFields, headerOf, lookups };
}

// Running -----------------------------------------------------------------------------------------

export async function runImport(job: JobContext, raw: unknown): Promise<ImportResult> {
  const payload = raw as ImportPayload;
  const r = await reader(job.ctx);
  const ctx = r.ctx;
  const lang = ctx.lang;
  const settings = await loadSettings(ctx.db);
  const calendar = await loadCalendar(ctx);
  const result: ImportResult = {
    dryRun: payload.dryRun,
    fileName: payload.fileName,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    problems: [],
  };
  const errors = fs.createWriteStream(payload.errorsPath, { encoding: 'utf8' });
  const iterator = rows(payload.path, payload.fileName);
  const first = await iterator.next();
  const header = first.done ? [] : first.value;
  const mapper = await buildMapper(r, header);
  if (mapper.missing.length) {
    errors.end();
    throw new DomainError('validation_failed', 422, {
      message: `缺少必需的列：${mapper.missing.join('、')}（请使用导入模板）`,
    });
  }
  errors.write(`${JSON.stringify([...header, lang === 'en' ? 'Errors' : '错误说明'])}\n`);
  const seenCredit = new Map<string, number>();
  const seenArchive = new Map<string, number>();
  let rowNumber = 1;
  let pending: RowOutcome[] = [];

  const fail = (row: RowOutcome) => {
    result.failed++;
    for (const p of row.problems) {
      if (result.problems.length < MAX_PROBLEMS_IN_RESULT)
        result.problems.push({ row: row.rowNumber, column: p.column, message: p.message });
    }
    errors.write(
      `${JSON.stringify([...row.cells, row.problems.map((p) => (p.column ? `${p.column}：${p.message}` : p.message)).join('；')])}\n`,
    );
  };

  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const creates: RowOutcome[] = [];
    const updates: { row: RowOutcome; existing: CustomerTable }[] = [];
    const credits = batch.map((b) => b.input?.creditCode).filter((c): c is string => !!c);
    const codes = batch.map((b) => b.archiveCode).filter((c): c is string => !!c);
    const existing =
      credits.length || codes.length
        ? await ctx.db
            .selectFrom('customers')
            .selectAll()
            .where((eb) =>
              eb.or([
                ...(credits.length ? [eb('credit_code', 'in', credits)] : []),
                ...(codes.length ? [eb('archive_code', 'in', codes)] : []),
              ]),
            )
            .execute()
        : [];
    const visible = new Set(
      existing.length
        ? (
            await repo
              .customersFrom(ctx.db)
              .select('c.id')
              .where(
                'c.id',
                'in',
                existing.map((e) => e.id),
              )
              .where(visibleTo(r))
              .execute()
          ).map((v) => v.id)
        : [],
    );
    const owners = await repo.ownersOf(
      ctx.db,
      existing.map((e) => e.id),
    );
    for (const row of batch) {
      const byCredit = row.input?.creditCode
        ? existing.find((e) => e.credit_code === row.input?.creditCode)
        : undefined;
      const byCode = row.archiveCode ? existing.find((e) => e.archive_code === row.archiveCode) : undefined;
      const match = byCredit ?? byCode;
      const problem = (column: string, message: string) =>
        row.problems.push({ column: mapper.headerOf(column), message });
      if (row.archiveCode && !byCode) problem('archiveCode', errorMessage('not_found', lang));
      else if (byCredit && byCode && byCredit.id !== byCode.id)
        problem('creditCode', `该信用代码属于档案 ${byCredit.archive_code}，与档案编号不一致`);
      else if (match && !visible.has(match.id)) {
        problem(
          byCredit ? 'creditCode' : 'archiveCode',
          errorMessage('credit_code_taken_hidden', lang, {
            creditCode: row.input?.creditCode ?? row.archiveCode,
          }),
        );
      } else if (match && (match.status === 'inactive' || match.status === 'merged')) {
        problem(
          'archiveCode',
          `${match.archive_code}：${errorMessage('customer_not_editable', lang, { status: match.status === 'merged' ? '已合并' : '已停用' })}`,
        );
      } else if (
        match &&
        !can(
          ctx.actor,
          'customer.update',
          resourceOf(
            r,
            match,
            (owners.get(match.id) ?? []).map((o) => o.id),
          ),
        )
      ) {
        problem('archiveCode', `${match.archive_code}：${errorMessage('forbidden', lang)}`);
      }
      if (!match) {
        for (const key of REQUIRED_FOR_CREATE) {
          if (!row.input?.[key]) problem(key, formatMessage(FIELD_MESSAGES.required[lang]));
        }
      }
      // Custom fields depend on the kind: the row's, else the archive's.
      const kind = row.input?.kind ?? match?.kind;
      if (kind && row.problems.length === 0) {
        const previous = match ? (JSON.parse(match.custom_fields) as CustomValues) : undefined;
        const checked = checkCustomValues(
          mapper.customFields,
          kind,
          row.input?.customFields ?? {},
          previous ? { previous } : {},
        );
        for (const p of checked.problems)
          problem(
            p.field.replace(/^customFields\./, ''),
            formatMessage(FIELD_MESSAGES[p.key][lang], p.params),
          );
      }
      if (row.problems.length) fail(row);
      else if (match) updates.push({ row, existing: match });
      else creates.push(row);
    }
    if (payload.dryRun) {
      result.created += creates.length;
      for (const u of updates) {
        if (changesOf(u.row, u.existing, owners.get(u.existing.id) ?? []).length) result.updated++;
        else result.unchanged++;
      }
      return;
    }
    if (creates.length)
      await bulkCreate(r, creates, { settings, calendar, fileName: payload.fileName, jobId: job.id });
    result.created += creates.length;
    for (const u of updates) {
      const changes = changesOf(u.row, u.existing, owners.get(u.existing.id) ?? []);
      if (changes.length === 0) {
        result.unchanged++;
        continue;
      }
      try {
        await updateCustomer(ctx, u.existing.id, updateInputOf(u.row, changes));
        result.updated++;
      } catch (err) {
        u.row.problems.push(...problemsOf(err, lang, mapper.headerOf));
        fail(u.row);
      }
    }
  };

  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    rowNumber++;
    const cells = next.value;
    if (cells.every((c) => c === '')) continue;
    result.rows++;
    const row = mapper.map(rowNumber, cells);
    // The same archive twice in one file: the later row is an error, not a silent overwrite.
    const credit = row.input?.creditCode;
    if (credit) {
      const earlier = seenCredit.get(credit);
      if (earlier)
        row.problems.push({
          column: mapper.headerOf('creditCode'),
          message: `与第 ${earlier} 行的统一社会信用代码重复`,
        });
      else seenCredit.set(credit, row.rowNumber);
    }
    if (row.archiveCode) {
      const earlier = seenArchive.get(row.archiveCode);
      if (earlier)
        row.problems.push({
          column: mapper.headerOf('archiveCode'),
          message: `与第 ${earlier} 行的档案编号重复`,
        });
      else seenArchive.set(row.archiveCode, row.rowNumber);
    }
    if (row.problems.length) fail(row);
    else pending.push(row);
    if (pending.length >= BATCH) await flush();
    await job.progress(result.rows, payload.expectedRows ?? null);
  }
  await flush();
  errors.end();
  await once(errors, 'finish');
  await job.progress(result.rows, result.rows, true);
  // Rows that fail only against the database are found a batch later; show them in sheet order.
  result.problems.sort((a, b) => a.row - b.row);
  await appendAudit(ctx, {
    action: payload.dryRun ? 'customer.import_check' : 'customer.import',
    targetType: 'customer',
    details: { jobId: job.id, ...result, problems: result.problems.length },
  });
  return result;
}

/** Fields an update row changes: given in the sheet and different from the archive. Contacts in
 * an update row are not added (the archive's contacts are kept on its page). */
function changesOf(row: RowOutcome, existing: CustomerTable, owners: repo.Person[]): string[] {
  const input = row.input as Record<string, unknown> | undefined;
  if (!input) return [];
  const current: Record<string, unknown> = {
    ...Object.fromEntries(
      Object.entries(repo.FIELD_COLUMNS).map(([field, column]) => [field, existing[column]]),
    ),
    secrecy: SECRECY_LEVELS[existing.secrecy],
  };
  const customNow = JSON.parse(existing.custom_fields) as CustomValues;
  const changes: string[] = [];
  for (const key of row.given) {
    if (key.startsWith('customFields.')) {
      const k = key.slice('customFields.'.length);
      const next = (input.customFields as CustomValues | undefined)?.[k];
      if (JSON.stringify(next ?? null) !== JSON.stringify(customNow[k] ?? null)) changes.push(key);
    } else if (key === 'owners') {
      const next = [...new Set(input.ownerIds as string[])].sort();
      if (JSON.stringify(next) !== JSON.stringify(owners.map((o) => o.id).sort())) changes.push('ownerIds');
    } else if (key === 'department') {
      if (input.departmentId !== current.departmentId) changes.push('departmentId');
    } else if (key in current && input[key] !== current[key]) {
      changes.push(key);
    }
  }
  return changes;
}

function updateInputOf(row: RowOutcome, changes: string[]): UpdateCustomerInput {
  const input = row.input as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { note: `导入更新（第 ${row.rowNumber} 行）`, allowSimilarName: true };
  const custom: CustomValues = {};
  for (const key of changes) {
    if (key.startsWith('customFields.')) {
      const k = key.slice('customFields.'.length);
      custom[k] = (input.customFields as CustomValues)[k] ?? null;
    } else out[key] = input[key];
  }
  if (Object.keys(custom).length) out.customFields = custom;
  return out as UpdateCustomerInput;
}

function problemsOf(
  err: unknown,
  lang: 'zh' | 'en',
  headerOf: (key: string) => string,
): { column: string; message: string }[] {
  if (err instanceof FieldErrors) {
    return err.problems.map((p) => ({
      column: headerOf(p.field.replace(/^customFields\./, '')),
      message: formatMessage(FIELD_MESSAGES[p.key][lang], p.params),
    }));
  }
  if (err instanceof DomainError)
    return [
      { column: err.field ? headerOf(err.field) : '', message: errorMessage(err.code, lang, err.params) },
    ];
  throw err;
}

/**
 * Creates a batch of archives in one transaction: codes and search keys reserved in blocks,
 * multi-row inserts, one history entry per archive and one audit entry for the batch.
 */
async function bulkCreate(
  r: Reader,
  batch: RowOutcome[],
  opts: {
    settings: Awaited<ReturnType<typeof loadSettings>>;
    calendar: Awaited<ReturnType<typeof loadCalendar>>;
    fileName: string;
    jobId: string;
  },
): Promise<void> {
  const actor = r.ctx.actor;
  const lookups = await loadLookups(r.ctx.db);
  const customFields = await loadCustomFields(r.ctx.db);
  await tx(r.ctx, async (t: TxCtx) => {
    const now = t.now().toISOString();
    const prefixOf = (kind: string) =>
      lookups.find((l) => l.list === 'kind' && l.code === kind)?.prefix ?? 'KH';
    const pattern = opts.settings.archiveCodePattern;
    // One block of numbers per counter (kind and year).
    const byKey = new Map<string, RowOutcome[]>();
    for (const row of batch) {
      const key = counterKey('customer', pattern, {
        values: { type: prefixOf(row.input?.kind as string) },
        date: r.today,
      });
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const codes = new Map<RowOutcome, string>();
    for (const [key, rows] of byKey) {
      const first = await reserveSequence(t, key, rows.length);
      for (const [i, row] of rows.entries()) {
        const type = prefixOf(row.input?.kind as string);
        codes.set(row, formatCode(pattern, { values: { type }, date: r.today }, first + i));
      }
    }
    const firstKey = await reserveSequence(t, 'customer_search_key', batch.length);
    const records: CustomerTable[] = [];
    const contacts: Parameters<typeof repo.tokensFor>[1][] = [];
    for (const [i, row] of batch.entries()) {
      const input = row.input as ImportRow & Pick<CreateCustomerInput, 'name' | 'category' | 'kind'>;
      const firstContact = input.firstContactDate ?? r.today;
      const custom = checkCustomValues(customFields, input.kind, input.customFields ?? {});
      records.push(
        repo.newCustomerRow(input, {
          id: newId(),
          search_key: firstKey + i,
          archive_code: codes.get(row) as string,
          department_id: input.departmentId ?? (actor.departmentId as string),
          secrecy: secrecyRank(input.secrecy ?? 'normal'),
          status: input.filedAt ? 'filed' : 'draft',
          first_contact_date: firstContact,
          filing_due_date: opts.calendar.addWorkingDays(firstContact, opts.settings.filingDays),
          filed_at: input.filedAt ? new Date(`${input.filedAt}T00:00:00+08:00`).toISOString() : null,
          custom_fields: JSON.stringify(custom.values),
          created_at: now,
          created_by: actor.id,
        }),
      );
      contacts.push(
        (input.contacts ?? []).map((c) => ({
          name: c.name,
          phone: c.phone ?? null,
          mobile: c.mobile ?? null,
          email: c.email ?? null,
        })),
      );
    }
    await t.db.insertInto('customers').values(records).execute();
    await t.db
      .insertInto('customer_owners')
      .values(
        records.flatMap((rec, i) =>
          [...new Set((batch[i]?.input?.ownerIds as string[] | undefined) ?? [actor.id])].map((user_id) => ({
            customer_id: rec.id,
            user_id,
            assigned_at: now,
          })),
        ),
      )
      .execute();
    const contactRows = records.flatMap((rec, i) =>
      ((batch[i]?.input?.contacts ?? []) as CreateCustomerInput['contacts']).map((c) => ({
        id: newId(),
        customer_id: rec.id,
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
        created_at: now,
        updated_at: now,
      })),
    );
    if (contactRows.length) await t.db.insertInto('contacts').values(contactRows).execute();
    await repo.insertHistory(
      t.db,
      records.map((rec, i) => ({
        id: newId(),
        customerId: rec.id,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'create',
        newValue: { archiveCode: rec.archive_code, name: rec.name, status: rec.status },
        note: `导入：${opts.fileName} 第 ${batch[i]?.rowNumber} 行`,
      })),
    );
    await customerIndex(t.db).insertMany(
      t.db,
      records.map((rec, i) => ({ key: rec.search_key, tokens: repo.tokensFor(rec, contacts[i] ?? []) })),
    );
    await appendAudit(t, {
      action: 'customer.import_batch',
      targetType: 'customer',
      secrecy: Math.max(...records.map((rec) => rec.secrecy)),
      details: { jobId: opts.jobId, created: records.map((rec) => rec.archive_code) },
    });
  });
}

registerJobHandler(IMPORT_JOB, runImport);

// Starting, committing and reporting imports ---------------------------------------------------

const KEEP_UPLOADS_DAYS = 7;

/** Removes uploaded sheets older than a week: they hold customer data nobody needs any more. */
export function cleanUploads(dir: string, now: Date): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const full = `${dir}/${entry}`;
    if (now.getTime() - fs.statSync(full).mtimeMs > KEEP_UPLOADS_DAYS * 86_400_000)
      fs.rmSync(full, { recursive: true, force: true });
  }
}

/** Checked before an upload is even saved. */
export function assertMayImport(ctx: Ctx): void {
  authorize(ctx, 'customer.import', { type: 'customer' });
}

export async function queueImport(ctx: Ctx, payload: ImportPayload): Promise<Job> {
  authorize(ctx, 'customer.import', { type: 'customer' });
  return enqueueJob(ctx, IMPORT_JOB, payload);
}

async function importJob(ctx: Ctx, jobId: string) {
  authorize(ctx, 'customer.import', { type: 'customer' });
  const job = await getJob(ctx, jobId);
  if (job.kind !== IMPORT_JOB) throw notFound();
  return job;
}

/** Runs the real import of a finished dry run, from the same uploaded file. */
export async function commitImport(ctx: Ctx, jobId: string): Promise<Job> {
  const dry = await importJob(ctx, jobId);
  const payload = dry.payload as ImportPayload;
  const result = dry.result as ImportResult | null;
  if (dry.status !== 'succeeded' || !result?.dryRun || !fs.existsSync(payload.path)) {
    throw new DomainError('import_not_ready', 409);
  }
  return enqueueJob(ctx, IMPORT_JOB, {
    ...payload,
    errorsPath: payload.errorsPath.replace(/check-errors\.jsonl$/, 'errors.jsonl'),
    dryRun: false,
    expectedRows: result.rows,
  } satisfies ImportPayload);
}

/** The failed rows of an import as the original sheet plus an error column. */
export async function errorSheet(ctx: Ctx, jobId: string): Promise<Readable> {
  const job = await importJob(ctx, jobId);
  const payload = job.payload as ImportPayload;
  if (job.status !== 'succeeded' || !fs.existsSync(payload.errorsPath)) throw notFound();
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(ctx.lang === 'en' ? 'Errors' : '错误清单');
    const lines = createInterface({
      input: fs.createReadStream(payload.errorsPath, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let first = true;
    for await (const line of lines) {
      if (!line) continue;
      const row = sheet.addRow(JSON.parse(line) as string[]);
      if (first) {
        row.font = { bold: true };
        first = false;
      } else {
        const last = row.getCell(row.cellCount);
        last.font = { color: { argb: 'FFC00000' } };
      }
      row.commit();
    }
    sheet.commit();
  });
}

/** The import template: the register's columns (required ones marked *) and how to fill them in. */
export async function importTemplate(ctx: Ctx): Promise<Buffer> {
  authorize(ctx, 'customer.import', { type: 'customer' });
  const lang = ctx.lang;
  const [lookups, customFields] = await Promise.all([loadLookups(ctx.db), loadCustomFields(ctx.db)]);
  const workbook = new (await excel()).Workbook();
  const sheet = workbook.addWorksheet(lang === 'en' ? 'Customers' : '客户档案');
  const columns = [
    ...CUSTOMER_COLUMNS.filter((c) => !c.exportOnly).map((c) => ({
      header: `${c.header[lang]}${c.required ? '*' : ''}`,
      key: c.key,
      width: c.width,
    })),
    ...customFields
      .filter((f) => f.active)
      .map((f) => ({ header: `${f.label}${f.required ? '*' : ''}`, key: `custom.${f.key}`, width: 14 })),
  ];
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  // Codes and phone numbers as text, so that Excel keeps their leading zeros.
  for (const key of ['archiveCode', 'creditCode', 'phone', 'contactPhone']) sheet.getColumn(key).numFmt = '@';
  const labels = (list: string) =>
    lookups
      .filter((l) => l.list === list && l.active)
      .map((l) => (lang === 'en' ? (l.labelEn ?? l.label) : l.label));
  const help = workbook.addWorksheet(lang === 'en' ? 'How to fill in' : '填写说明');
  help.columns = [
    { header: lang === 'en' ? 'Column' : '列', key: 'column', width: 18 },
    { header: lang === 'en' ? 'How to fill in' : '填写方法', key: 'how', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  const notes: Record<string, string> = {
    archiveCode: '留空则新建档案；填写已有档案编号则更新该档案',
    name: '必填',
    creditCode: '18 位统一社会信用代码；与已有档案相同时更新该档案',
    category: `必填，可选：${labels('category').join('、')}`,
    kind: `必填，可选：${labels('kind').join('、')}`,
    nature: `可选：${labels('nature').join('、')}`,
    source: `可选：${labels('source').join('、')}`,
    grade: 'A、B 或 C',
    creditClass: '甲、乙或丙',
    department: '部门名称或编码；留空为导入人的部门',
    owners: '登录名或姓名，多人用顿号分隔；留空为导入人',
    secrecy: '普通、秘密、机密或绝密；不能高于导入人的涉密等级',
    firstContactDate: 'YYYY-MM-DD；留空为今天。备案期限从此日起算',
    filedAt: '已备案的老档案填写备案日期；留空则为待备案',
    registeredCapital: '数字，单位万元',
  };
  for (const c of CUSTOMER_COLUMNS.filter((x) => !x.exportOnly))
    help.addRow({ column: c.header[lang], how: notes[c.key] ?? '' });
  for (const f of customFields.filter((x) => x.active)) {
    help.addRow({
      column: f.label,
      how: `${f.required ? '必填；' : ''}${f.options.length ? `可选：${f.options.join('、')}` : ''}${f.type === 'date' ? 'YYYY-MM-DD' : ''}`,
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
