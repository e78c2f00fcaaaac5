import fs from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CARRIER_LABELS,
  CARRIERS,
  type Carrier,
  REGISTER_LABELS,
  type Register,
} from '../../../common/documents.js';
import { type Lang, secrecyRank } from '../../../common/enums.js';
import { errorMessage } from '../../../common/errors.js';
import { type RegisterDocumentInput, registerDocumentBody } from '../../../common/schemas/documents.js';
import type { ImportResult, Job } from '../../../common/schemas/jobs.js';
import { isValidIsoDate, localizeIssue, withToday } from '../../../common/validation.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { enqueueJob, getJob, type JobContext, registerJobHandler } from '../../platform/jobs.js';
import { authorize, can } from '../../platform/policy/index.js';
import { customerVisible } from '../../platform/policy/records.js';
import {
  commitSheetImport,
  errorLine,
  type SheetImportPayload,
  type SheetProblem,
  sheetImportErrors,
} from '../../platform/sheet-import.js';
import { sheetDate, sheetGrid } from '../../platform/xlsx-read.js';
import { loadCategories, loadDocumentSettings } from './config.js';
import {
  archiveNoExample,
  archiveNoShape,
  findLayout,
  HEADER_NAMES,
  HEADER_SEARCH,
  type Key,
  REQUIRED,
  secrecyOf,
  splitIssueOrVersion,
} from './register-sheet.js';
import {
  insertDocument,
  obsoleteCurrentVersion,
  type Reader,
  reader,
  recordEvent,
  refreshRetention,
  reindex,
} from './service.js';

// Importing the registers a company kept by hand before Kedang (R-D3, R-W3): 外来文件清单,
// 客户提供资料一览表 and 归档文件目录 from .xlsx or CSV (UTF-8 or GBK). The header row is found by
// its names — full-width or half-width, with a title row above it, merged over several columns or
// split into two header rows — and each row is checked as the registration form checks it: the
// category fits the register, the customer archive is one the importer sees (a hidden archive
// reads like a missing one, R-P1), the department exists, the secrecy is not above the
// importer's clearance, the dates are dates. An existing 档号 is kept: it must have the shape of
// the configured pattern and be used neither elsewhere in the file nor in the database; its
// counter is raised so that the next number issued does not collide. A dry run checks and writes
// nothing; the real run writes every row in one transaction, or nothing when any row fails.

export const REGISTER_IMPORT_JOB = 'document_register_import';
const MAX_ROWS = 20_000;
const MAX_PROBLEMS_IN_RESULT = 500;

export interface RegisterImportPayload extends SheetImportPayload {
  register: Register;
  /** The category for rows that name none. */
  category: string | null;
}

const msg = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

interface Row {
  rowNumber: number;
  cells: string[];
  problems: SheetProblem[];
  input?: RegisterDocumentInput;
  archiveNo?: { text: string; seq: number; counter: string };
  obsolete?: string;
}

type Category = Awaited<ReturnType<typeof loadCategories>>[number];

function fitsRegister(register: Register, c: Category): boolean {
  if (register === 'customer') return c.customerDocuments;
  if (register === 'external') return c.external && !c.customerDocuments;
  return true;
}

async function checkRows(r: Reader, payload: RegisterImportPayload, grid: string[][]) {
  const lang = r.ctx.lang;
  const layout = findLayout(grid);
  const register = payload.register;
  if (!layout)
    throw new DomainError('validation_failed', 422, {
      message: msg(
        lang,
        '未找到表头行（如 文件名称、文件编号）',
        'No header row found (e.g. 文件名称, 文件编号)',
      ),
    });
  const missing = REQUIRED[register].filter((k) => !layout.index.has(k));
  if (missing.length)
    throw new DomainError('validation_failed', 422, {
      message: msg(lang, '缺少列：', 'Missing columns: ') + missing.map((k) => HEADER_NAMES[k][0]).join('、'),
    });
  const db = r.ctx.db;
  const [categories, settings, departments] = await Promise.all([
    loadCategories(db),
    loadDocumentSettings(db),
    db.selectFrom('departments').select(['id', 'name', 'code']).where('active', '=', 1).execute(),
  ]);
  const shape = archiveNoShape(settings.archiveNoPattern, settings.fondsCode);
  const defaultCategory =
    payload.category ??
    (register === 'customer'
      ? categories.filter((c) => c.active && c.customerDocuments).length === 1
        ? categories.find((c) => c.active && c.customerDocuments)?.code
        : undefined
      : undefined) ??
    null;
  const headerOf = (k: Key) => layout.header[layout.index.get(k) as number] ?? HEADER_NAMES[k][0] ?? k;
  const first = (layout.headerRows.at(-1) as number) + 1;
  const rows: Row[] = [];
  for (let n = first; n <= grid.length; n++) {
    const cells = grid[n - 1] ?? [];
    if (!cells.some((c) => c.trim() !== '')) continue;
    rows.push({ rowNumber: n, cells, problems: [] });
  }
  const value = (row: Row, k: Key) => {
    const i = layout.index.get(k);
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  const problem = (row: Row, k: Key | '', message: string) =>
    row.problems.push({ column: k ? headerOf(k) : '', message });

  // Customers named in the file, among the archives the importer sees.
  const customerTexts = [...new Set(rows.map((x) => value(x, 'customer')).filter(Boolean))];
  const wanted = [
    ...new Set(customerTexts.flatMap((t) => [t, t.match(/[（(]([^（）()]+)[）)]\s*$/)?.[1] ?? t])),
  ];
  type Found = { id: string; name: string; archive_code: string };
  const found: Found[] = [];
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    found.push(
      ...((await db
        .selectFrom('customers as c')
        .select(['c.id', 'c.name', 'c.archive_code'])
        .where((eb) => eb.or([eb('c.archive_code', 'in', chunk), eb('c.name', 'in', chunk)]))
        .where(customerVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
        .execute()) as Found[]),
    );
  }
  const byCode = new Map(found.map((c) => [c.archive_code, c]));
  const byName = new Map<string, Found[]>();
  for (const c of found) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);

  // 档号 already used, in the file and in the database (any record: a number is unique).
  const archiveTexts = [...new Set(rows.map((x) => value(x, 'archiveNo').normalize('NFKC')).filter(Boolean))];
  const taken = new Set<string>();
  for (let i = 0; i < archiveTexts.length; i += 500)
    for (const d of await db
      .selectFrom('documents')
      .select('archive_no')
      .where('archive_no', 'in', archiveTexts.slice(i, i + 500))
      .execute())
      if (d.archive_no) taken.add(d.archive_no);
  const seen = new Map<string, number>();
  const mayFile = can(r.ctx.actor, 'document.file', { type: 'document' });

  for (const row of rows) {
    const title = value(row, 'title');
    // Category: the row's, by code or name, else the one chosen for the file.
    const categoryText = value(row, 'category');
    const category = categoryText
      ? categories.find((c) => c.active && (c.code === categoryText || c.name === categoryText))
      : categories.find((c) => c.active && c.code === defaultCategory);
    if (!category)
      problem(
        row,
        categoryText ? 'category' : '',
        categoryText
          ? msg(lang, `“${categoryText}”不是在用的文件类别`, `“${categoryText}” is no category in use`)
          : msg(
              lang,
              '类别：未选择默认类别，表中也没有“类别”列',
              'Category: choose a default or add a 类别 column',
            ),
      );
    else if (!fitsRegister(register, category))
      problem(
        row,
        categoryText ? 'category' : '',
        msg(
          lang,
          `类别“${category.name}”不属于${REGISTER_LABELS[register].zh}`,
          `Category “${category.name}” does not belong to the ${REGISTER_LABELS[register].en}`,
        ),
      );
    // Customer: code, name, or 名称（编号） as Kedang exports it.
    let customerId: string | null = null;
    const customerText = value(row, 'customer');
    if (customerText) {
      const code = customerText.match(/[（(]([^（）()]+)[）)]\s*$/)?.[1];
      const named = byName.get(customerText) ?? [];
      const c =
        (code ? byCode.get(code) : undefined) ??
        byCode.get(customerText) ??
        (named.length === 1 ? named[0] : undefined);
      if (c) customerId = c.id;
      else if (named.length > 1)
        problem(
          row,
          'customer',
          msg(
            lang,
            `有 ${named.length} 个客户名为“${customerText}”，请填档案编号`,
            `${named.length} customers are named “${customerText}”: give the archive code`,
          ),
        );
      else
        problem(
          row,
          'customer',
          msg(
            lang,
            `客户“${customerText}”不存在或无权查看`,
            `Customer “${customerText}” does not exist or is not visible to you`,
          ),
        );
    } else if (category?.customerDocuments) problem(row, 'customer', msg(lang, '必填', 'Required'));
    // Department: by name or code.
    let departmentId: string | undefined;
    const deptText = value(row, 'department');
    if (deptText) {
      const d = departments.find((x) => x.name === deptText || x.code === deptText);
      if (d) departmentId = d.id;
      else problem(row, 'department', msg(lang, `部门“${deptText}”不存在`, `No department “${deptText}”`));
    }
    // Dates and version.
    const date = (k: Key) => {
      const text = value(row, k).normalize('NFKC');
      if (!text) return null;
      const found = sheetDate(text);
      const d = found && isValidIsoDate(found) ? found : null;
      if (!d)
        problem(
          row,
          k,
          msg(lang, `“${text}”不是日期（如 2026-03-02）`, `“${text}” is no date (e.g. 2026-03-02)`),
        );
      return d;
    };
    let issueDate = date('issueDate');
    let versionLabel = value(row, 'versionLabel') || null;
    if (layout.index.has('issueOrVersion')) {
      const split = splitIssueOrVersion(value(row, 'issueOrVersion'));
      issueDate ??= split.date;
      versionLabel ??= split.label;
    }
    const receivedDate = date('receivedDate');
    const secrecyText = value(row, 'secrecy');
    const secrecy = secrecyOf(secrecyText);
    if (!secrecy)
      problem(
        row,
        'secrecy',
        msg(
          lang,
          `“${secrecyText}”不是密级（普通、秘密、机密、绝密）`,
          `“${secrecyText}” is no secrecy level`,
        ),
      );
    else if (secrecyRank(secrecy.level) > r.ctx.actor.clearance)
      problem(row, 'secrecy', errorMessage('secrecy_above_own', lang, {}));
    const pagesText = value(row, 'pages').normalize('NFKC');
    if (pagesText && !/^\d{1,6}$/.test(pagesText))
      problem(row, 'pages', msg(lang, '页数须为正整数', 'Pages must be a positive whole number'));
    const carrierText = value(row, 'carrier');
    const carrier = carrierText
      ? CARRIERS.find((c) => CARRIER_LABELS[c].zh === carrierText || CARRIER_LABELS[c].en === carrierText)
      : ('paper' as Carrier);
    if (!carrier)
      problem(
        row,
        'carrier',
        msg(lang, '载体应为 纸质、电子 或 纸质+电子', 'Carrier: 纸质, 电子 or 纸质+电子'),
      );
    // 档号: kept as it is, if it has the configured shape and is used nowhere else.
    const archiveText = value(row, 'archiveNo').normalize('NFKC');
    let retention = value(row, 'retention').normalize('NFKC').toUpperCase() || undefined;
    if (archiveText) {
      const m = shape(archiveText);
      const earlier = seen.get(archiveText);
      if (!mayFile) problem(row, 'archiveNo', errorMessage('forbidden', lang, {}));
      else if (!m)
        problem(
          row,
          'archiveNo',
          msg(
            lang,
            `“${archiveText}”不符合本单位的档号格式，应形如 ${archiveNoExample(settings.archiveNoPattern, settings.fondsCode)}`,
            `“${archiveText}” does not have this company's archive number shape, e.g. ${archiveNoExample(settings.archiveNoPattern, settings.fondsCode)}`,
          ),
        );
      else if (earlier)
        problem(row, 'archiveNo', msg(lang, `与第 ${earlier} 行重复`, `Same as row ${earlier}`));
      else if (taken.has(archiveText))
        problem(
          row,
          'archiveNo',
          msg(lang, `档号 ${archiveText} 已被使用`, `Archive number ${archiveText} is in use`),
        );
      else {
        row.archiveNo = { text: archiveText, seq: m.seq, counter: m.counter };
        if (m.parts.retention) {
          if (retention && retention !== m.parts.retention)
            problem(
              row,
              'retention',
              msg(
                lang,
                `与档号中的保管期限 ${m.parts.retention} 不一致`,
                `Differs from the archive number's ${m.parts.retention}`,
              ),
            );
          retention = m.parts.retention;
        }
      }
      if (!earlier) seen.set(archiveText, row.rowNumber);
    }
    const statusText = value(row, 'status');
    if (statusText.startsWith('作废')) row.obsolete = statusText;
    else if (statusText && statusText !== '现行' && statusText !== '有效')
      problem(row, 'status', msg(lang, '状态应为 现行 或 作废', 'Status: 现行 or 作废'));
    const remarks = [
      value(row, 'remarks'),
      value(row, 'distribution') ? `分发范围：${value(row, 'distribution')}` : '',
    ]
      .filter(Boolean)
      .join('；');
    const changes = value(row, 'changesInternal');
    const candidate = {
      title: title || undefined,
      docNumber: value(row, 'docNumber') || null,
      responsibleParty: value(row, 'responsibleParty') || null,
      source: category?.customerDocuments ? 'customer' : category?.external ? 'standards_body' : 'internal',
      category: category?.code ?? 'x',
      carrier: carrier ?? 'paper',
      pages: pagesText && /^\d+$/.test(pagesText) ? Number(pagesText) : null,
      location: value(row, 'location') || null,
      secrecy: secrecy?.level ?? 'normal',
      secrecyTerm: secrecy?.term ?? null,
      retention,
      customerId,
      departmentId,
      changesInternal: changes && changes !== '否' && changes !== '无' ? changes : null,
      remarks: remarks || null,
      versionLabel,
      issueDate,
      receivedDate,
    };
    const parsed = withToday(r.today, () => registerDocumentBody.safeParse(candidate));
    if (parsed.success) {
      row.input = parsed.data;
      if (receivedDate && receivedDate > r.today)
        problem(row, 'receivedDate', msg(lang, `不能晚于今天（${r.today}）`, `Not after today (${r.today})`));
      if (parsed.data.retention && !settings.retentionPeriods.includes(parsed.data.retention))
        problem(
          row,
          archiveText ? 'archiveNo' : 'retention',
          msg(
            lang,
            `保管期限 ${parsed.data.retention} 未启用`,
            `Retention ${parsed.data.retention} is not in use`,
          ),
        );
    } else {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const key = (
          field === 'title' ? 'title' : (Object.keys(HEADER_NAMES) as Key[]).find((k) => k === field)
        ) as Key | undefined;
        const column = key && layout.index.has(key) ? key : '';
        if (!row.problems.some((p) => p.column === (column ? headerOf(column) : '')))
          problem(row, column, localizeIssue(issue, lang).message);
      }
    }
  }
  return { layout, rows };
}

export async function runRegisterImport(job: JobContext, raw: unknown): Promise<ImportResult> {
  const payload = raw as RegisterImportPayload;
  const ctx = job.ctx;
  authorize(ctx, 'document.create', { type: 'document' });
  const r = await reader(ctx);
  const lang = ctx.lang;
  const grid = await sheetGrid(payload.path, payload.fileName, MAX_ROWS + HEADER_SEARCH);
  if (grid.length > MAX_ROWS + HEADER_SEARCH)
    throw new DomainError('validation_failed', 422, {
      message: msg(lang, `每次最多导入 ${MAX_ROWS} 行`, `At most ${MAX_ROWS} rows at a time`),
    });
  const { layout, rows } = await checkRows(r, payload, grid);
  const total = payload.expectedRows ?? rows.length;
  await job.progress(Math.round(total / 4), total, true);
  const result: ImportResult = {
    dryRun: payload.dryRun,
    fileName: payload.fileName,
    rows: rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    problems: [],
  };
  const failed = rows.filter((x) => x.problems.length);
  result.failed = failed.length;
  for (const row of failed)
    for (const p of row.problems)
      if (result.problems.length < MAX_PROBLEMS_IN_RESULT)
        result.problems.push({ row: row.rowNumber, column: p.column, message: p.message });
  const errors = fs.createWriteStream(payload.errorsPath, { encoding: 'utf8' });
  errors.write(`${JSON.stringify([...layout.header, lang === 'en' ? 'Errors' : '错误说明'])}\n`);
  for (const row of failed) errors.write(errorLine(row.cells, row.problems));
  errors.end();
  await new Promise<void>((resolve, reject) => errors.on('finish', resolve).on('error', reject));
  if (failed.length === 0) {
    result.created = rows.length;
    if (!payload.dryRun) {
      await writeRows(r, job, rows, payload);
      // Written: the checked file cannot be committed a second time (commitSheetImport needs it).
      fs.rmSync(payload.path, { force: true });
    }
  }
  await job.progress(total, total, true);
  await appendAudit(ctx, {
    action: payload.dryRun ? 'document.import_check' : 'document.import',
    targetType: 'document',
    details: {
      jobId: job.id,
      register: payload.register,
      fileName: payload.fileName,
      rows: result.rows,
      failed: result.failed,
      written: !payload.dryRun && failed.length === 0,
    },
  });
  return result;
}

/** Every row in one transaction: registered as by hand, then filed under its own 档号 or
 * marked 作废 as the old register said; the 档号 counters raised past the numbers kept. */
async function writeRows(r: Reader, job: JobContext, rows: Row[], payload: RegisterImportPayload) {
  await tx(r.ctx, async (t: TxCtx) => {
    const now = nowIso(t);
    const by = r.ctx.actor.id;
    const counters = new Map<string, number>();
    for (const row of rows) {
      const input = row.input as RegisterDocumentInput;
      const id = await insertDocument(r, t, input, {
        approval: false,
        registered: { imported: `${payload.fileName} 第 ${row.rowNumber} 行`, jobId: job.id },
      });
      if (row.archiveNo) {
        const archiveNo = row.archiveNo.text;
        await t.db
          .updateTable('documents')
          .set({ archive_no: archiveNo, filed_at: now, filed_by: by, updated_at: now, updated_by: by })
          .where('id', '=', id)
          .execute();
        await recordEvent(t, id, 'file', { archiveNo, imported: true });
        await appendAudit(t, {
          action: 'document.file',
          targetType: 'document',
          targetId: id,
          targetLabel: input.title,
          secrecy: secrecyRank(input.secrecy),
          details: { archiveNo, imported: true },
        });
        counters.set(
          row.archiveNo.counter,
          Math.max(counters.get(row.archiveNo.counter) ?? 0, row.archiveNo.seq),
        );
      }
      if (row.obsolete) {
        await obsoleteCurrentVersion(t, id, now);
        await t.db
          .updateTable('documents')
          .set({ status: 'obsolete', obsolete_reason: `原登记簿：${row.obsolete}`, withdrawn_at: now })
          .where('id', '=', id)
          .execute();
        await recordEvent(t, id, 'obsolete', { reason: `原登记簿：${row.obsolete}` });
      }
      if (row.archiveNo || row.obsolete) {
        await refreshRetention(t, [id]);
        await reindex(t.db, id);
      }
    }
    for (const [key, value] of counters) {
      const current = await t.db
        .selectFrom('counters')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      if (!current) await t.db.insertInto('counters').values({ key, value }).execute();
      else if (Number(current.value) < value)
        await t.db.updateTable('counters').set({ value }).where('key', '=', key).execute();
    }
  });
}

registerJobHandler(REGISTER_IMPORT_JOB, runRegisterImport);

// Starting, committing and reporting ------------------------------------------------------------

export function assertMayImport(ctx: Ctx, register: Register): void {
  authorize(ctx, 'document.create', { type: 'document' });
  // The 归档文件目录 carries 档号: filing is the archivist's (R-D7).
  if (register === 'filed') authorize(ctx, 'document.file', { type: 'document' });
}

/** Before the upload is received (a refused request leaves nothing behind): the importer may,
 * and the default category chosen belongs to the register. */
export async function assertMayImportInto(
  ctx: Ctx,
  register: Register,
  category: string | null,
): Promise<void> {
  assertMayImport(ctx, register);
  if (!category) return;
  const found = (await loadCategories(ctx.db)).find((c) => c.code === category && c.active);
  // Named as the field it came in (the query's category), like any other refused choice.
  if (!found || !fitsRegister(register, found))
    throw new FieldErrors([{ field: 'category', key: 'lookup', params: { value: category } }]);
}

export async function queueRegisterImport(ctx: Ctx, payload: RegisterImportPayload): Promise<Job> {
  await assertMayImportInto(ctx, payload.register, payload.category);
  return enqueueJob(ctx, REGISTER_IMPORT_JOB, payload);
}

async function importJob(ctx: Ctx, jobId: string) {
  authorize(ctx, 'document.create', { type: 'document' });
  const job = await getJob(ctx, jobId);
  if (job.kind !== REGISTER_IMPORT_JOB) throw notFound();
  return job;
}

export async function commitRegisterImport(ctx: Ctx, jobId: string): Promise<Job> {
  return commitSheetImport(ctx, await importJob(ctx, jobId));
}

export async function registerImportErrors(ctx: Ctx, jobId: string): Promise<Readable> {
  return sheetImportErrors(ctx, await importJob(ctx, jobId));
}
