import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { MONTH_PATTERN, type SalesImportKind } from '../../../common/analysis.js';
import { errorMessage } from '../../../common/errors.js';
import type { ImportResult, Job } from '../../../common/schemas/jobs.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob, getJob, type JobContext, registerJobHandler } from '../../platform/jobs.js';
import { authorize } from '../../platform/policy/index.js';
import { seesAllCustomers } from '../../platform/policy/records.js';
import {
  commitSheetImport,
  errorLine,
  type SheetImportPayload,
  type SheetProblem,
  sheetImportErrors,
} from '../../platform/sheet-import.js';
import { excel, sheetDate, sheetRows } from '../../platform/xlsx-read.js';
import { fixed, scaled } from '../orders/decimal.js';
import { analysisReader, visibleCustomer } from './reader.js';
import { forgetSales } from './summary.js';

// Sales ledgers and stock levels from an ERP (.xlsx, or CSV in UTF-8 or GBK): a dry run checks
// every row and says which months the file covers (1990 up to this month); the real run, started
// from a finished dry run, replaces those months — not the range between them: a month missing
// from the file stays as it was — the sales of the archives the importer sees in them, or the
// company's stock of them (the general managers'), with the file's rows, in one transaction, or writes
// nothing when any row fails: a period half imported would skew every analysis. A customer is
// named by archive code or unified social credit code (统一社会信用代码) among the archives the
// importer sees (one they may not see reads as unknown, R-P1); a merged archive's sales go to the
// archive it was merged into. Amounts may be negative (returns, credit notes).

export const SALES_IMPORT_JOB = 'sales_import';
const MAX_ROWS = 300_000;
const MAX_PROBLEMS_IN_RESULT = 500;
const ROWS_PER_INSERT = 500;

type Key = 'customer' | 'date' | 'product' | 'productName' | 'quantity' | 'amount' | 'margin';

interface Column {
  key: Key;
  zh: string;
  en: string;
  required?: boolean;
  width: number;
  help: string;
}

const COLUMNS: Record<SalesImportKind, readonly Column[]> = {
  sales: [
    {
      key: 'customer',
      zh: '客户编号或信用代码',
      en: 'Customer code or credit code',
      required: true,
      width: 24,
      help: '客户档案编号（如 KH202605）或统一社会信用代码（18 位）',
    },
    {
      key: 'date',
      zh: '日期或月份',
      en: 'Date or month',
      required: true,
      width: 14,
      help: '销售日期（2026-03-02）或月份（2026-03、2026年3月）',
    },
    { key: 'product', zh: '产品编码', en: 'Product code', required: true, width: 16, help: '料号/产品编码' },
    { key: 'productName', zh: '产品名称', en: 'Product name', width: 20, help: '可不填' },
    { key: 'quantity', zh: '数量', en: 'Quantity', width: 10, help: '可不填；退货为负数' },
    {
      key: 'amount',
      zh: '销售额',
      en: 'Amount',
      required: true,
      width: 14,
      help: '不含税销售额（元），最多两位小数；退货、折让为负数',
    },
    { key: 'margin', zh: '毛利', en: 'Gross margin', width: 12, help: '可不填；填写后用于产品贡献分析' },
  ],
  stock: [
    { key: 'product', zh: '产品编码', en: 'Product code', required: true, width: 16, help: '料号/产品编码' },
    { key: 'date', zh: '月份', en: 'Month', required: true, width: 12, help: '月末库存所属月份（2026-03）' },
    { key: 'productName', zh: '产品名称', en: 'Product name', width: 20, help: '可不填' },
    { key: 'quantity', zh: '库存数量', en: 'Stock quantity', width: 12, help: '可不填' },
    {
      key: 'amount',
      zh: '库存金额',
      en: 'Stock amount',
      required: true,
      width: 14,
      help: '月末库存金额（元）',
    },
  ],
};

/** Other headers ERP exports use for the same columns. */
const ALIASES: Record<string, Key> = {
  客户编号: 'customer',
  客户档案编号: 'customer',
  统一社会信用代码: 'customer',
  信用代码: 'customer',
  日期: 'date',
  月份: 'date',
  销售日期: 'date',
  料号: 'product',
  产品: 'product',
  金额: 'amount',
  销售金额: 'amount',
  不含税金额: 'amount',
};

export interface SalesImportPayload extends SheetImportPayload {
  kind: SalesImportKind;
}

interface Row {
  n: number;
  cells: string[];
  problems: SheetProblem[];
  customer?: string;
  month?: string;
  soldOn?: string | null;
  product?: string;
  productName?: string | null;
  quantity?: string | null;
  amount?: string;
  margin?: string | null;
}

function columnsOf(kind: SalesImportKind, header: string[]) {
  const index = new Map<Key, number>();
  header.forEach((h, i) => {
    const name = h.replace(/[*＊]\s*$/, '').trim();
    const col = COLUMNS[kind].find((c) => c.zh === name || c.en.toLowerCase() === name.toLowerCase());
    const key = col?.key ?? ALIASES[name];
    if (key && !index.has(key)) index.set(key, i);
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !index.has(c.key)).map((c) => c.zh);
  return { index, missing };
}

/** A month as people write it: 2026-03, 2026/3, 2026.03, 202603, 2026年3月. */
function sheetMonth(text: string): string | null {
  const m = text.match(/^(\d{4})(?:[-/.年]\s*(\d{1,2})月?|(\d{2}))$/);
  if (!m) return null;
  const month = `${m[1]}-${(m[2] ?? m[3] ?? '').padStart(2, '0')}`;
  return MONTH_PATTERN.test(month) ? month : null;
}

/** A decimal as an ERP writes it (1,234.50, ¥1234.5, -20) with at most `scale` places. */
function sheetDecimal(text: string, scale: number, intDigits = 13): string | null {
  const t = text.replace(/[,，\s¥￥]/g, '');
  const re = new RegExp(`^-?\\d{1,${intDigits}}(\\.\\d{1,${scale}})?$`);
  return re.test(t) ? fixed(scaled(t, scale), scale) : null;
}

const validDay = (d: string) => {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, day));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === day;
};

function checkRow(
  kind: SalesImportKind,
  row: Row,
  index: Map<Key, number>,
  lang: 'zh' | 'en',
  thisMonth: string,
) {
  const header = (k: Key) => (COLUMNS[kind].find((c) => c.key === k) as Column)[lang];
  const cell = (k: Key) => {
    const i = index.get(k);
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  const problem = (k: Key, zh: string, en: string) =>
    row.problems.push({ column: header(k), message: lang === 'en' ? en : zh });
  for (const c of COLUMNS[kind])
    if (c.required && cell(c.key) === '') problem(c.key, '此项为必填', 'Required');
  if (kind === 'sales') row.customer = cell('customer');
  const date = cell('date');
  if (date) {
    const day = sheetDate(date);
    if (kind === 'sales' && day && validDay(day)) {
      row.soldOn = day;
      row.month = day.slice(0, 7);
    } else {
      const month = sheetMonth(date);
      if (month) {
        row.month = month;
        row.soldOn = null;
      } else
        problem(
          'date',
          '日期或月份无法识别（如 2026-03-02 或 2026-03）',
          'Not a date or month (2026-03-02 or 2026-03)',
        );
    }
  }
  // A stray year would widen nothing (only the months in the file are replaced) but would put
  // sales where nobody looks: months from 1990 up to this one.
  if (row.month && (row.month < '1990-01' || row.month > thisMonth)) {
    problem(
      'date',
      `月份须在 1990-01 至本月（${thisMonth}）之间`,
      `The month must be between 1990-01 and this month (${thisMonth})`,
    );
    row.month = undefined;
  }
  row.product = cell('product').slice(0, 64);
  if (cell('product').length > 64) problem('product', '产品编码最长 64 个字符', 'At most 64 characters');
  row.productName = cell('productName').slice(0, 200) || null;
  const amount = cell('amount');
  if (amount) {
    const v = sheetDecimal(amount, 2);
    if (v === null || (kind === 'stock' && v.startsWith('-')))
      problem('amount', '金额须为数字，最多两位小数', 'A number with at most two decimals');
    else row.amount = v;
  }
  const quantity = cell('quantity');
  row.quantity = null;
  if (quantity) {
    const v = sheetDecimal(quantity, 4, 12);
    if (v === null) problem('quantity', '数量须为数字，最多四位小数', 'A number with at most four decimals');
    else row.quantity = v;
  }
  const margin = kind === 'sales' ? cell('margin') : '';
  row.margin = null;
  if (margin) {
    const v = sheetDecimal(margin, 2);
    if (v === null) problem('margin', '毛利须为数字，最多两位小数', 'A number with at most two decimals');
    else row.margin = v;
  }
}

/** The archives named (archive code or credit code) among those the importer sees; merged
 * archives lead to the archive they were merged into. */
async function resolveCustomers(
  ctx: JobContext['ctx'],
  rows: Row[],
  lang: 'zh' | 'en',
): Promise<Map<string, { id: string; secrecy: number }>> {
  const r = await analysisReader(ctx);
  const wanted = [...new Set(rows.map((x) => x.customer).filter((c): c is string => !!c))];
  const found = new Map<string, { id: string; secrecy: number }>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const upper = chunk.map((c) => c.toUpperCase());
    const rowsFound = await r.ctx.db
      .selectFrom('customers as c')
      .leftJoin('customers as m', 'm.id', 'c.merged_into_id')
      .where(visibleCustomer(r) as never)
      .where((w) => w.or([w('c.archive_code', 'in', chunk), w('c.credit_code', 'in', upper)]))
      .select([
        'c.archive_code',
        'c.credit_code',
        sql<string>`coalesce(m.id, c.id)`.as('id'),
        sql<number>`coalesce(m.secrecy, c.secrecy)`.as('secrecy'),
      ])
      .execute();
    for (const c of rowsFound) {
      found.set(c.archive_code, { id: c.id, secrecy: Number(c.secrecy) });
      if (c.credit_code) found.set(c.credit_code, { id: c.id, secrecy: Number(c.secrecy) });
    }
  }
  const byCode = new Map<string, { id: string; secrecy: number }>();
  for (const x of rows) {
    if (!x.customer) continue;
    const hit = found.get(x.customer) ?? found.get(x.customer.toUpperCase());
    if (hit) byCode.set(x.customer, hit);
    else
      x.problems.push({
        column: (COLUMNS.sales[0] as Column)[lang],
        message:
          lang === 'en'
            ? `No customer archive "${x.customer}" (or you may not see it)`
            : `客户“${x.customer}”不存在或无权查看`,
      });
  }
  return byCode;
}

export async function runSalesImport(job: JobContext, raw: unknown): Promise<ImportResult> {
  const payload = raw as SalesImportPayload;
  const ctx = job.ctx;
  const lang = ctx.lang;
  authorize(ctx, payload.kind === 'stock' ? 'analysis.import_stock' : 'analysis.import');
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
  let header: string[] = [];
  const rows: Row[] = [];
  let n = 0;
  for await (const cells of sheetRows(payload.path, payload.fileName)) {
    n++;
    if (n === 1) header = cells;
    else if (cells.some((c) => c !== '')) {
      if (rows.length === MAX_ROWS)
        throw new DomainError('validation_failed', 422, {
          message:
            lang === 'en' ? `At most ${MAX_ROWS} rows per file` : `每个文件最多 ${MAX_ROWS} 行，请按期间拆分`,
        });
      rows.push({ n, cells, problems: [] });
    }
  }
  const { index, missing } = columnsOf(payload.kind, header);
  if (missing.length)
    throw new DomainError('validation_failed', 422, {
      message: errorMessage('sales_import_columns', lang, { columns: missing.join('、') }),
    });
  result.rows = rows.length;
  const total = payload.expectedRows ?? rows.length;
  await job.progress(0, total, true);
  const thisMonth = todayInShanghai(ctx.now()).slice(0, 7);
  for (const row of rows) checkRow(payload.kind, row, index, lang, thisMonth);
  const customers = payload.kind === 'sales' ? await resolveCustomers(ctx, rows, lang) : new Map();
  if (payload.kind === 'stock') {
    // A product's stock is one amount per month: a second row for it is a mistake in the file.
    const seen = new Map<string, number>();
    for (const row of rows) {
      if (!row.product || !row.month) continue;
      const key = `${row.product}#${row.month}`;
      const first = seen.get(key);
      if (first !== undefined)
        row.problems.push({
          column: '',
          message:
            lang === 'en' ? `Same product and month as row ${first}` : `与第 ${first} 行的产品和月份重复`,
        });
      else seen.set(key, row.n);
    }
  }
  await job.progress(Math.round(total / 3), total);
  const failed = rows.filter((x) => x.problems.length);
  result.failed = failed.length;
  for (const row of failed)
    for (const p of row.problems)
      if (result.problems.length < MAX_PROBLEMS_IN_RESULT)
        result.problems.push({ row: row.n, column: p.column, message: p.message });
  const errors = fs.createWriteStream(payload.errorsPath, { encoding: 'utf8' });
  errors.write(`${JSON.stringify([...header, lang === 'en' ? 'Errors' : '错误说明'])}\n`);
  for (const row of failed) errors.write(errorLine(row.cells, row.problems));
  errors.end();
  await new Promise<void>((resolve, reject) => errors.on('finish', resolve).on('error', reject));

  const months = [...new Set(rows.map((x) => x.month).filter((m): m is string => !!m))].sort();
  const from = months.reduce((a, b) => (b < a ? b : a), months[0] ?? '');
  const to = months.reduce((a, b) => (b > a ? b : a), months[0] ?? '');
  result.period = from ? { from, to } : null;
  if (failed.length === 0 && rows.length > 0) {
    result.created = rows.length;
    if (payload.dryRun) result.replaced = await replacedCount(ctx, payload.kind, months);
    else {
      result.replaced = await writeRows(job, payload, rows, customers, months);
      forgetSales();
    }
  }
  await job.progress(total, total, true);
  await appendAudit(ctx, {
    action: payload.dryRun ? 'analysis.import_check' : 'analysis.import',
    targetType: 'sales_import',
    secrecy: [...customers.values()].reduce((m, c) => Math.max(m, c.secrecy), 0),
    details: {
      jobId: job.id,
      kind: payload.kind,
      fileName: payload.fileName,
      rows: result.rows,
      failed: result.failed,
      period: result.period,
      replaced: result.replaced ?? 0,
      written: !payload.dryRun && failed.length === 0 && rows.length > 0,
    },
  });
  return result;
}

/** What the file's months hold now: the rows a real run would replace. */
async function replacedCount(ctx: Ctx, kind: SalesImportKind, months: string[]): Promise<number> {
  if (kind === 'stock') {
    const { n } = await ctx.db
      .selectFrom('stock_levels')
      .where('month', 'in', months)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }
  const r = await analysisReader(ctx);
  const { n } = await r.ctx.db
    .selectFrom('sales_records as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .where('s.month', 'in', months)
    .where(visibleCustomer(r) as never)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function writeRows(
  job: JobContext,
  payload: SalesImportPayload,
  rows: Row[],
  customers: Map<string, { id: string; secrecy: number }>,
  months: string[],
): Promise<number> {
  const from = months[0] as string;
  const to = months.at(-1) as string;
  const ctx = job.ctx;
  const r = await analysisReader(ctx);
  return tx(ctx, async (t) => {
    const importId = newId();
    let replaced: number;
    if (payload.kind === 'stock') {
      const del = await t.db.deleteFrom('stock_levels').where('month', 'in', months).executeTakeFirst();
      replaced = Number(del.numDeletedRows);
    } else {
      // Only the sales of archives the importer sees: another department's ledger stays.
      const del = await t.db
        .deleteFrom('sales_records')
        .where('month', 'in', months)
        .where('customer_id', 'in', (eb) =>
          eb
            .selectFrom('customers as c')
            .select('c.id')
            .where(visibleCustomer(r) as never),
        )
        .executeTakeFirst();
      replaced = Number(del.numDeletedRows);
    }
    await t.db
      .insertInto('sales_imports')
      .values({
        id: importId,
        kind: payload.kind,
        file_name: payload.fileName,
        month_from: from,
        month_to: to,
        rows: rows.length,
        replaced,
        job_id: job.id,
        created_at: nowIso(t),
        created_by: ctx.actor?.id ?? 'system',
      })
      .execute();
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      if (payload.kind === 'stock')
        await t.db
          .insertInto('stock_levels')
          .values(
            chunk.map((x) => ({
              product_code: x.product as string,
              month: x.month as string,
              product_name: x.productName ?? null,
              quantity: x.quantity ?? null,
              amount: x.amount as string,
              import_id: importId,
            })),
          )
          .execute();
      else
        await t.db
          .insertInto('sales_records')
          .values(
            chunk.map((x) => ({
              id: newId(),
              customer_id: (customers.get(x.customer as string) as { id: string }).id,
              month: x.month as string,
              sold_on: x.soldOn ?? null,
              product_code: x.product as string,
              product_name: x.productName ?? null,
              quantity: x.quantity ?? null,
              amount: x.amount as string,
              gross_margin: x.margin ?? null,
              import_id: importId,
            })),
          )
          .execute();
    }
    return replaced;
  });
}

registerJobHandler(SALES_IMPORT_JOB, runSalesImport);

// Starting, committing and reporting ------------------------------------------------------------

/** Refused before the file is received: only those who may import upload. */
export async function assertMayImport(ctx: Ctx): Promise<void> {
  authorize(ctx, 'analysis.import');
}

export async function queueSalesImport(ctx: Ctx, payload: SalesImportPayload): Promise<Job> {
  authorize(ctx, payload.kind === 'stock' ? 'analysis.import_stock' : 'analysis.import');
  return enqueueJob(ctx, SALES_IMPORT_JOB, payload);
}

async function importJob(ctx: Ctx, jobId: string) {
  authorize(ctx, 'analysis.import');
  const job = await getJob(ctx, jobId);
  if (job.kind !== SALES_IMPORT_JOB) throw notFound();
  return job;
}

export async function commitSalesImport(ctx: Ctx, jobId: string): Promise<Job> {
  return commitSheetImport(ctx, await importJob(ctx, jobId));
}

export async function salesErrorSheet(ctx: Ctx, jobId: string): Promise<Readable> {
  return sheetImportErrors(ctx, await importJob(ctx, jobId));
}

export async function salesImportTemplate(ctx: Ctx, kind: SalesImportKind): Promise<Buffer> {
  authorize(ctx, 'analysis.import');
  const lang = ctx.lang;
  const workbook = new (await excel()).Workbook();
  const sheet = workbook.addWorksheet(
    kind === 'stock' ? (lang === 'en' ? 'Stock' : '月末库存') : lang === 'en' ? 'Sales' : '销售台账',
  );
  sheet.columns = COLUMNS[kind].map((c) => ({
    header: `${c[lang]}${c.required ? '*' : ''}`,
    key: c.key,
    width: c.width,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const key of ['customer', 'date', 'product'] as const)
    if (COLUMNS[kind].some((c) => c.key === key)) sheet.getColumn(key).numFmt = '@';
  const help = workbook.addWorksheet(lang === 'en' ? 'How to fill in' : '填写说明');
  help.columns = [
    { header: lang === 'en' ? 'Column' : '列', key: 'column', width: 18 },
    { header: lang === 'en' ? 'How to fill in' : '填写方法', key: 'how', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRow({
    column: '',
    how:
      kind === 'stock'
        ? '每行一个产品一个月的月末库存；导入后，文件所含月份的库存以本文件为准（原有数据被替换）'
        : '每行一笔销售（或一个客户一个产品一个月的合计）；导入后，文件所含月份中您可查看的客户的销售数据以本文件为准（原有数据被替换）',
  });
  help.addRow({ column: '', how: '有任何一行错误时不导入任何数据；请按错误清单改正后重新上传' });
  for (const c of COLUMNS[kind])
    help.addRow({ column: `${c.zh}${c.required ? '*' : ''}`, how: `${c.required ? '必填。' : ''}${c.help}` });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The imports made, newest first. */
export async function salesImports(ctx: Ctx) {
  authorize(ctx, 'analysis.import');
  // Another importer's file name and counts may be about archives this one cannot see: readers
  // who see every archive get the whole list, the others their own imports.
  const actor = ctx.actor as NonNullable<Ctx['actor']>;
  const all = seesAllCustomers(actor) && actor.clearance >= 3;
  const rows = await ctx.db
    .selectFrom('sales_imports as i')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .selectAll('i')
    .select('u.name as by_name')
    .$if(!all, (qb) => qb.where('i.created_by', '=', actor.id))
    .orderBy('i.created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((i) => ({
    id: i.id,
    kind: i.kind as SalesImportKind,
    fileName: i.file_name,
    from: i.month_from,
    to: i.month_to,
    rows: i.rows,
    replaced: i.replaced,
    createdAt: i.created_at,
    createdByName: i.by_name,
  }));
}
