import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { CUSTOMER_COLUMNS } from '../../../common/customer-columns.js';
import { CUSTOMER_STATUS_LABELS, type CustomerStatus } from '../../../common/customers.js';
import { SECRECY_LEVELS } from '../../../common/enums.js';
import { errorMessage, formatMessage } from '../../../common/errors.js';
import type { UpdateCustomerInput } from '../../../common/schemas/customers.js';
import type { ImportResult, Job } from '../../../common/schemas/jobs.js';
import { FIELD_MESSAGES } from '../../../common/validation.js';
import { bulkWrites } from '../../db/index.js';
import type { CustomerTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadOverrides } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { enqueueJob, getJob, type JobContext, registerJobHandler } from '../../platform/jobs.js';
import { authorize, can } from '../../platform/policy/index.js';
import {
  commitSheetImport,
  errorLine,
  type SheetImportPayload,
  sheetImportErrors,
} from '../../platform/sheet-import.js';
import { BlobStore } from '../../platform/storage.js';
import { startThread } from '../../platform/threads.js';
import { excel } from '../../platform/xlsx.js';
import {
  type CustomValues,
  checkCustomValues,
  loadCustomFields,
  loadLookups,
  loadSettings,
} from './config.js';
import {
  type ImportReference,
  type NewArchive,
  type Problem,
  type RowBatch,
  type RowDetails,
  type RowResult,
  rowChecker,
} from './import-rows.js';
import type { ImportJobMessage, ImportWorkerData, ImportWorkerMessage } from './import-worker.js';
import { createArchives } from './import-write.js';
import * as repo from './repo.js';
import { type Reader, reader, resourceOf, updateCustomer, visibleTo } from './service.js';

// Excel/CSV import of customer archives (R-W3). A worker thread reads the sheet and checks each
// row with the same rules as the form (import-rows.ts); this job takes its rows in batches,
// decides against the database whether each creates an archive or updates the one it matches
// by credit code or archive code, and writes the batch (import-write.ts) while the worker
// checks the next one. A dry run does every check and writes nothing. Failed rows go to an
// error sheet on disk: the original cells with a column saying what is wrong.

export const IMPORT_JOB = 'customer_import';
/** Rows per batch: one transaction and one audit entry each. Larger batches write fewer pages
 * per row; a batch holds the database for ~0.2 s, which other requests wait for. */
export const IMPORT_BATCH = 2000;
/** Batches the worker may check ahead of the one being written. */
const AHEAD = 2;
const MAX_PROBLEMS_IN_RESULT = 500;

export type ImportPayload = SheetImportPayload;

/** What the worker needs to check rows as the form would, loaded once per import. */
async function importReference(r: Reader, filingDays: number, fileName: string): Promise<ImportReference> {
  const db = r.ctx.db;
  const [lookups, customFields, departments, users, calendarOverrides] = await Promise.all([
    loadLookups(db),
    loadCustomFields(db),
    db.selectFrom('departments').select(['id', 'name', 'code']).where('active', '=', 1).execute(),
    db.selectFrom('users').select(['id', 'name', 'login']).where('active', '=', 1).execute(),
    loadOverrides(r.ctx),
  ]);
  const { id, name, departmentId, clearance } = r.ctx.actor;
  return {
    lang: r.ctx.lang,
    today: r.today,
    fileName,
    actor: { id, name, departmentId, clearance },
    lookups,
    customFields,
    departments,
    users,
    filingDays,
    calendarOverrides,
  };
}

/** The worker's messages in order; asking for batches is what lets it read on. */
class WorkerRows {
  private readonly queue: ImportWorkerMessage[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly detailWaiters = new Map<
    number,
    { resolve: (details: RowDetails[]) => void; reject: (err: Error) => void }
  >();

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: ImportWorkerMessage) => {
      if (m.type === 'details') {
        this.detailWaiters.get(m.batch)?.resolve(m.details);
        this.detailWaiters.delete(m.batch);
        return;
      }
      this.queue.push(m);
      this.waiter?.();
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`import worker stopped (exit code ${code})`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiter?.();
    for (const w of this.detailWaiters.values()) w.reject(err);
    this.detailWaiters.clear();
  }

  private send(m: ImportJobMessage): void {
    this.worker.postMessage(m);
  }

  async next(): Promise<ImportWorkerMessage> {
    for (;;) {
      const m = this.queue.shift();
      if (m?.type === 'error') throw new Error(`import worker: ${m.message}`);
      if (m) return m;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
  }

  ask(batches: number): void {
    for (let i = 0; i < batches; i++) this.send({ type: 'more' });
  }

  /** The details of some good rows of a batch (by their index in it). */
  details(batch: number, rows: number[]): Promise<RowDetails[]> {
    if (rows.length === 0) return Promise.resolve([]);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.detailWaiters.set(batch, { resolve, reject });
      this.send({ type: 'details', batch, rows });
    });
  }

  done(batch: number): void {
    this.send({ type: 'done', batch });
  }

  close(): void {
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }
}

// Running -----------------------------------------------------------------------------------------

export async function runImport(job: JobContext, raw: unknown): Promise<ImportResult> {
  const payload = raw as ImportPayload;
  const r = await reader(job.ctx);
  const ctx = r.ctx;
  const lang = ctx.lang;
  const settings = await loadSettings(ctx.db);
  const reference = await importReference(r, settings.filingDays, payload.fileName);
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
  const workerData: ImportWorkerData = {
    path: payload.path,
    fileName: payload.fileName,
    batchSize: IMPORT_BATCH,
    reference,
  };
  const rows = new WorkerRows(startThread(new URL('./import-worker.ts', import.meta.url), workerData));

  const fail = (row: { rowNumber: number; cells: string[]; problems: Problem[] }) => {
    result.failed++;
    for (const p of row.problems) {
      if (result.problems.length < MAX_PROBLEMS_IN_RESULT)
        result.problems.push({ row: row.rowNumber, column: p.column, message: p.message });
    }
    errors.write(errorLine(row.cells, row.problems));
  };

  const endBulkWrites = payload.dryRun ? undefined : bulkWrites(ctx.db);
  try {
    const first = await rows.next();
    if (first.type !== 'header') throw new Error(`import worker sent ${first.type} first`);
    if (first.missing.length) {
      throw new DomainError('validation_failed', 422, {
        message: `缺少必需的列：${first.missing.join('、')}（请使用导入模板）`,
      });
    }
    const { headerOf } = rowChecker(reference, first.header);
    errors.write(`${JSON.stringify([...first.header, lang === 'en' ? 'Errors' : '错误说明'])}\n`);
    rows.ask(AHEAD);
    for (let m = await rows.next(); m.type === 'batch'; m = await rows.next()) {
      rows.ask(1);
      result.rows += m.rows;
      for (const row of JSON.parse(m.failed) as RowResult[]) fail(row);
      await applyBatch(r, m, rows, {
        payload,
        jobId: job.id,
        pattern: settings.archiveCodePattern,
        result,
        fail,
        headerOf,
        customFields: reference.customFields,
      });
      rows.done(m.id);
      await job.progress(result.rows, payload.expectedRows ?? null);
      // Let requests in between batches: with the worker ahead, the next batch is already
      // queued, and awaiting it would not give the event loop a turn for the whole import.
      await yieldToRequests();
    }
  } finally {
    endBulkWrites?.();
    rows.close();
    errors.end();
  }
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

/** A good row of a batch, its details read from the worker's JSON when first needed. */
interface BatchRow {
  rowNumber: number;
  creditCode: string | null;
  archiveCode: string | null;
  details: RowDetails;
  problems: Problem[];
}

/**
 * The good rows of a batch: each matches an archive (by credit code, else by archive code) and
 * updates it, or creates one. A dry run only counts.
 */
async function applyBatch(
  r: Reader,
  batch: RowBatch,
  source: WorkerRows,
  opts: {
    payload: ImportPayload;
    jobId: string;
    pattern: string;
    result: ImportResult;
    fail: (row: { rowNumber: number; cells: string[]; problems: Problem[] }) => void;
    headerOf: (key: string) => string;
    customFields: ImportReference['customFields'];
  },
): Promise<void> {
  const { ctx, today } = r;
  const { lang } = ctx;
  const { result, fail, headerOf } = opts;
  const creates: NewArchive[] = [];
  const updates: { row: BatchRow; existing: CustomerTable }[] = [];
  const { keys } = batch;
  const credits: string[] = [];
  const codes: string[] = [];
  for (let i = 0; i < keys.length; i += 2) {
    if (keys[i]) credits.push(keys[i] as string);
    if (keys[i + 1]) codes.push(keys[i + 1] as string);
  }
  const existing = await repo.customersByCodes(ctx.db, credits, codes);
  const byCreditCode = new Map(existing.filter((e) => e.credit_code).map((e) => [e.credit_code, e]));
  const byArchiveCode = new Map(existing.map((e) => [e.archive_code, e]));
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
  // Most rows of a large import create an archive: nothing more to read or check for them.
  const others: number[] = [];
  for (let i = 0; i < batch.rowNumbers.length; i++) {
    const creditCode = keys[2 * i];
    const archiveCode = keys[2 * i + 1];
    const matched =
      (creditCode && byCreditCode.has(creditCode)) || (archiveCode && byArchiveCode.has(archiveCode));
    const create = batch.creates[i];
    if (!matched && create) creates.push(JSON.parse(create) as NewArchive);
    else others.push(i);
  }
  const details = await source.details(batch.id, others);
  others.forEach((i, n) => {
    const creditCode = keys[2 * i] ?? null;
    const archiveCode = keys[2 * i + 1] ?? null;
    const byCredit = creditCode ? byCreditCode.get(creditCode) : undefined;
    // An archive the importer may not see is, by its archive code, one that does not exist (R-P1).
    const found = archiveCode ? byArchiveCode.get(archiveCode) : undefined;
    const byCode = found && visible.has(found.id) ? found : undefined;
    const match = byCode ?? byCredit;
    // The column whose value found the archive: its problems are that column's.
    const matchedBy = byCode ? 'archiveCode' : 'creditCode';
    const row: BatchRow = {
      rowNumber: batch.rowNumbers[i] as number,
      creditCode,
      archiveCode,
      details: details[n] as RowDetails,
      problems: [],
    };
    const { input, createProblems } = row.details;
    const problem = (column: string, message: string) =>
      row.problems.push({ column: headerOf(column), message });
    // A credit code is unique (R-C1): one held by an archive the importer may not see is
    // reported as on the form — taken — naming neither that archive nor anything of it.
    const hiddenCredit = () =>
      problem('creditCode', errorMessage('credit_code_taken_hidden', lang, { creditCode }));
    if (archiveCode && !byCode) problem('archiveCode', errorMessage('not_found', lang));
    else if (byCode && byCredit && byCredit.id !== byCode.id) {
      if (visible.has(byCredit.id))
        problem(
          'creditCode',
          errorMessage('credit_code_other_archive', lang, { archiveCode: byCredit.archive_code }),
        );
      else hiddenCredit();
    } else if (match && !visible.has(match.id)) hiddenCredit();
    else if (match && (match.status === 'inactive' || match.status === 'merged')) {
      const status = CUSTOMER_STATUS_LABELS[match.status as CustomerStatus][lang];
      problem(matchedBy, `${match.archive_code}：${errorMessage('customer_not_editable', lang, { status })}`);
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
      problem(matchedBy, `${match.archive_code}：${errorMessage('forbidden', lang)}`);
    }
    // Required fields and, for a new archive, custom fields of its kind were checked with the row.
    if (!match) row.problems.push(...createProblems);
    // Custom fields of an update depend on the kind: the row's, else the archive's.
    const kind = input.kind ?? match?.kind;
    if (match && kind && row.problems.length === 0) {
      const checked = checkCustomValues(opts.customFields, kind, input.customFields ?? {}, {
        previous: JSON.parse(match.custom_fields) as CustomValues,
        today,
      });
      for (const p of checked.problems)
        problem(p.field.replace(/^customFields\./, ''), formatMessage(FIELD_MESSAGES[p.key][lang], p.params));
    }
    if (row.problems.length || !match) fail({ ...row, cells: row.details.cells });
    else updates.push({ row, existing: match });
  });
  if (opts.payload.dryRun) {
    result.created += creates.length;
    for (const u of updates) {
      if (changesOf(u.row.details, u.existing, owners.get(u.existing.id) ?? []).length) result.updated++;
      else result.unchanged++;
    }
    return;
  }
  if (creates.length)
    await createArchives(r, { pattern: opts.pattern, today, jobId: opts.jobId, archives: creates });
  result.created += creates.length;
  for (const u of updates) {
    const changes = changesOf(u.row.details, u.existing, owners.get(u.existing.id) ?? []);
    if (changes.length === 0) {
      result.unchanged++;
      continue;
    }
    try {
      // The sheet lies in <data dir>/tmp/imports/<id>/ (receiveSheet): the store of that data
      // directory takes a customer archive's files to its new secrecy level.
      const store = new BlobStore(path.resolve(path.dirname(opts.payload.path), '../../..'));
      await updateCustomer(ctx, u.existing.id, updateInputOf(u.row, changes), store);
      result.updated++;
    } catch (err) {
      u.row.problems.push(...problemsOf(err, lang, headerOf));
      fail({ ...u.row, cells: u.row.details.cells });
    }
  }
}

/** Fields an update row changes: given in the sheet and different from the archive. Contacts in
 * an update row are not added (the archive's contacts are kept on its page). */
function changesOf(row: RowDetails, existing: CustomerTable, owners: repo.Person[]): string[] {
  const input = row.input as Record<string, unknown>;
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

function updateInputOf(row: BatchRow, changes: string[]): UpdateCustomerInput {
  const input = row.details.input as unknown as Record<string, unknown>;
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

registerJobHandler(IMPORT_JOB, runImport);

// Starting, committing and reporting imports ---------------------------------------------------

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
  return commitSheetImport(ctx, await importJob(ctx, jobId));
}

/** The failed rows of an import as the original sheet plus an error column. */
export async function errorSheet(ctx: Ctx, jobId: string): Promise<Readable> {
  return sheetImportErrors(ctx, await importJob(ctx, jobId));
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
