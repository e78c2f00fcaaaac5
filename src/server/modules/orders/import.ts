import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { type ErrorCode, errorMessage, formatMessage } from '../../../common/errors.js';
import {
  ORDER_CHANNEL_LABELS,
  ORDER_CHANNELS,
  ORDER_CLASS_LABELS,
  ORDER_KIND_LABELS,
  ORDER_KINDS,
  ORDER_NUMBER_PATTERN,
  type OrderChannel,
  type OrderKind,
} from '../../../common/orders.js';
import type { ImportResult, Job } from '../../../common/schemas/jobs.js';
import { createOrderBody, type OrderLineInput, orderLineBody } from '../../../common/schemas/orders.js';
import { todayInShanghai } from '../../../common/time.js';
import { FIELD_MESSAGES, localizeIssue, withToday } from '../../../common/validation.js';
import type { OrderHistoryTable, OrderLineTable, OrderTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob, getJob, type JobContext, registerJobHandler } from '../../platform/jobs.js';
import { codeFormatter, counterKey, reserveSequence } from '../../platform/numbering.js';
import { can } from '../../platform/policy/index.js';
import { customerVisible } from '../../platform/policy/records.js';
import {
  commitSheetImport,
  errorLine,
  type SheetImportPayload,
  type SheetProblem,
  sheetImportErrors,
} from '../../platform/sheet-import.js';
import { excel, sheetDate, sheetRows } from '../../platform/xlsx-read.js';
import { ownersOf } from '../customers/repo.js';
import { type OrderReader, orderReader, orderResourceWith } from './access.js';
import { type ClassFacts, classFrom, type Proposal, requirementsByPart } from './classify.js';
import { sumMoney } from './decimal.js';
import * as repo from './repo.js';
import { checkOrder, draftRow, lineRows, reasonNote } from './service.js';

// Importing orders from an ERP export (.xlsx or .csv, R-K1): one row per order line; rows with
// the same customer (archive code or name) and customer PO are one order. A dry run checks every
// row — the fields as the order form does (the same schemas and rules), the customer archive
// (unknown and unseen archives read alike, R-P1), the right to register orders for it (policy
// `order.create`), a PO already registered — and says what would be created; the real run,
// started from a finished dry run, checks again and writes every order in one transaction, or
// nothing at all when any row fails: an ERP order is never half there. (The customer import
// writes the good rows and lists the rest; orders are all or nothing because a missing line
// changes the order.) Imported orders are drafts, classed by the same rule as one registered by
// hand (classify.ts), with the archive's facts read once per customer, not per order.

export const ORDER_IMPORT_JOB = 'order_import';
/** As many lines as the order form takes. */
const MAX_LINES = 500;
const MAX_PROBLEMS_IN_RESULT = 500;
const MAX_ORDERS_IN_RESULT = 200;
/** Rows per insert statement: within SQLite's 32,766 parameters for the widest table (orders). */
const ROWS_PER_INSERT = 500;

type Key =
  | 'customer'
  | 'customerPo'
  | 'kind'
  | 'receivedVia'
  | 'receivedOn'
  | 'partNumber'
  | 'product'
  | 'specification'
  | 'quantity'
  | 'unit'
  | 'unitPrice'
  | 'requestedOn'
  | 'promisedOn'
  | 'currency'
  | 'paymentTerms'
  | 'deliveryMethod'
  | 'deliveryPlace'
  | 'packaging'
  | 'remarks'
  | 'phoneCaller'
  | 'phoneCalledAt'
  | 'phoneAgreed';

interface Column {
  key: Key;
  zh: string;
  en: string;
  required?: boolean;
  /** Belongs to the order: every row of the order gives the same value or leaves it empty. */
  order?: boolean;
  width: number;
  help: string;
}

const kinds = ORDER_KINDS.map((k) => ORDER_KIND_LABELS[k].zh).join('、');
const channels = ORDER_CHANNELS.map((c) => ORDER_CHANNEL_LABELS[c].zh).join('、');

/** The columns of the import, in the template's order. */
export const ORDER_IMPORT_COLUMNS: readonly Column[] = [
  {
    key: 'customer',
    zh: '客户编号或名称',
    en: 'Customer code or name',
    required: true,
    order: true,
    width: 24,
    help: '客户档案编号（如 GY202605）或客户名称；同名客户有多个时须填编号',
  },
  {
    key: 'customerPo',
    zh: '客户订单号',
    en: 'Customer PO',
    required: true,
    order: true,
    width: 16,
    help: '同一客户、同一订单号的各行合并为一个订单',
  },
  { key: 'kind', zh: '类型', en: 'Kind', order: true, width: 10, help: `可选：${kinds}；留空为订单` },
  {
    key: 'receivedVia',
    zh: '接收方式',
    en: 'Received via',
    order: true,
    width: 10,
    help: `可选：${channels}；留空为书面。电话订单须填来电人、来电时间和约定内容（电话纪要）`,
  },
  {
    key: 'receivedOn',
    zh: '接单日期',
    en: 'Received on',
    required: true,
    order: true,
    width: 12,
    help: 'YYYY-MM-DD',
  },
  { key: 'partNumber', zh: '料号', en: 'Part number', required: true, width: 14, help: '必填' },
  { key: 'product', zh: '产品名称', en: 'Product', required: true, width: 20, help: '必填' },
  { key: 'specification', zh: '规格', en: 'Specification', width: 20, help: '' },
  { key: 'quantity', zh: '数量', en: 'Quantity', required: true, width: 10, help: '大于 0，最多 4 位小数' },
  { key: 'unit', zh: '单位', en: 'Unit', required: true, width: 8, help: '如 只、件、套' },
  { key: 'unitPrice', zh: '单价', en: 'Unit price', width: 10, help: '最多 4 位小数；可留空' },
  {
    key: 'requestedOn',
    zh: '要求交期',
    en: 'Requested delivery',
    required: true,
    width: 12,
    help: 'YYYY-MM-DD',
  },
  {
    key: 'promisedOn',
    zh: '承诺交期',
    en: 'Promised delivery',
    width: 12,
    help: 'YYYY-MM-DD；不早于接单日期',
  },
  {
    key: 'currency',
    zh: '币种',
    en: 'Currency',
    order: true,
    width: 8,
    help: '三位代码，如 CNY、USD；留空为 CNY',
  },
  { key: 'paymentTerms', zh: '付款条件', en: 'Payment terms', order: true, width: 16, help: '' },
  { key: 'deliveryMethod', zh: '交付方式', en: 'Delivery method', order: true, width: 12, help: '' },
  { key: 'deliveryPlace', zh: '交付地点', en: 'Delivery place', order: true, width: 16, help: '' },
  { key: 'packaging', zh: '包装要求', en: 'Packaging', order: true, width: 14, help: '' },
  { key: 'remarks', zh: '备注', en: 'Remarks', order: true, width: 20, help: '' },
  { key: 'phoneCaller', zh: '来电人', en: 'Caller', order: true, width: 10, help: '电话订单必填' },
  {
    key: 'phoneCalledAt',
    zh: '来电时间',
    en: 'Called at',
    order: true,
    width: 16,
    help: 'YYYY-MM-DD HH:mm（北京时间）；电话订单必填',
  },
  {
    key: 'phoneAgreed',
    zh: '电话约定内容',
    en: 'Agreed by phone',
    order: true,
    width: 24,
    help: '电话订单必填',
  },
];

const ORDER_KEYS = ORDER_IMPORT_COLUMNS.filter((c) => c.order).map((c) => c.key);
const orderHeadBody = createOrderBody.omit({ customerId: true, lines: true });
/** Schema fields whose column is another name. */
const FIELD_COLUMN: Record<string, Key> = {
  phoneMemo: 'receivedVia',
  'phoneMemo.caller': 'phoneCaller',
  'phoneMemo.calledAt': 'phoneCalledAt',
  'phoneMemo.agreed': 'phoneAgreed',
};

export type OrderImportPayload = SheetImportPayload;

/** A row of the sheet: its cells, values by column and what is wrong with it. */
interface Row {
  rowNumber: number;
  cells: string[];
  values: Record<Key, string>;
  problems: SheetProblem[];
  line?: OrderLineInput;
}

/** The rows of one order (same customer and PO), the first row's order fields. */
interface Group {
  key: string;
  rows: Row[];
  head?: z.output<typeof orderHeadBody>;
  customer?: { id: string; name: string; archiveCode: string; secrecy: number };
  proposal?: Proposal;
}

const labelIndex = <T extends string>(codes: readonly T[], labels: Record<T, { zh: string; en: string }>) => {
  const out = new Map<string, T>();
  for (const c of codes) {
    out.set(c.toLowerCase(), c);
    out.set(labels[c].zh, c);
    out.set(labels[c].en.toLowerCase(), c);
  }
  return out;
};
const KIND_OF = labelIndex<OrderKind>(ORDER_KINDS, ORDER_KIND_LABELS);
const CHANNEL_OF = labelIndex<OrderChannel>(ORDER_CHANNELS, ORDER_CHANNEL_LABELS);
// ERP exports say 年度 or 电子邮件 as often as the labels.
KIND_OF.set('年度', 'annual');
CHANNEL_OF.set('电子邮件', 'email');
CHANNEL_OF.set('email', 'email');

/** The column of each header (with or without the * of required columns; Chinese or English). */
function columnsOf(header: string[]): { index: Map<Key, number>; missing: string[] } {
  const index = new Map<Key, number>();
  header.forEach((h, i) => {
    const name = h.replace(/[*＊]\s*$/, '').trim();
    const col = ORDER_IMPORT_COLUMNS.find((c) => c.zh === name || c.en.toLowerCase() === name.toLowerCase());
    if (col && !index.has(col.key)) index.set(col.key, i);
  });
  const missing = ORDER_IMPORT_COLUMNS.filter((c) => c.required && !index.has(c.key)).map((c) => c.zh);
  return { index, missing };
}

/** `2026-03-02 09:30` (Asia/Shanghai) as an instant with its offset; a bare date is 00:00. */
function calledAtOf(text: string): string | null {
  const m = text.match(/^(\S+?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/);
  const day = m ? sheetDate(m[1] as string) : null;
  if (!m || !day) return null;
  const hh = (m[2] ?? '0').padStart(2, '0');
  return `${day}T${hh}:${m[3] ?? '00'}:${m[4] ?? '00'}+08:00`;
}

/** Reads and checks the fields of each row as the order form does; groups rows into orders. */
function checkRows(
  lang: 'zh' | 'en',
  today: string,
  header: string[],
  all: { n: number; cells: string[] }[],
) {
  const { index } = columnsOf(header);
  const headerOf = (key: Key) => {
    const i = index.get(key);
    const col = ORDER_IMPORT_COLUMNS.find((c) => c.key === key) as Column;
    return i === undefined ? col[lang] : (header[i] as string);
  };
  const problem = (row: Row, key: Key | '', code: ErrorCode, params?: Record<string, unknown>) =>
    row.problems.push({ column: key ? headerOf(key) : '', message: errorMessage(code, lang, params) });
  /** A schema's problem in the column of its field; one problem a column is enough. */
  const fieldProblem = (row: Row, field: string, message: string) => {
    const key = (FIELD_COLUMN[field] ?? field.split('.').at(-1)) as Key;
    const column = ORDER_IMPORT_COLUMNS.some((c) => c.key === key) ? headerOf(key) : '';
    if (!row.problems.some((p) => p.column === column)) row.problems.push({ column, message });
  };
  const groups = new Map<string, Group>();
  const rows: Row[] = [];
  for (const { n, cells } of all) {
    const values = {} as Record<Key, string>;
    for (const c of ORDER_IMPORT_COLUMNS) {
      const i = index.get(c.key);
      values[c.key] = i === undefined ? '' : (cells[i] ?? '').trim();
    }
    const row: Row = { rowNumber: n, cells, values, problems: [] };
    rows.push(row);
    const date = (key: Key) => {
      if (!values[key]) return undefined;
      const d = sheetDate(values[key]);
      if (!d) problem(row, key, 'order_import_date');
      return d ?? undefined;
    };
    const text = (key: Key) => values[key] || undefined;
    const line = {
      partNumber: text('partNumber'),
      product: text('product'),
      specification: values.specification,
      quantity: text('quantity'),
      unit: text('unit'),
      unitPrice: text('unitPrice'),
      requestedOn: date('requestedOn'),
      promisedOn: date('promisedOn'),
    };
    const parsedLine = withToday(today, () => orderLineBody.safeParse(line));
    if (parsedLine.success) row.line = parsedLine.data;
    else
      for (const issue of parsedLine.error.issues)
        fieldProblem(row, issue.path.map(String).join('.'), localizeIssue(issue, lang).message);
    if (!values.customer) fieldProblem(row, 'customer', FIELD_MESSAGES.required[lang]);
    if (!values.customerPo) fieldProblem(row, 'customerPo', FIELD_MESSAGES.required[lang]);
    if (!values.customer || !values.customerPo) continue;
    const key = `${values.customer}\u0000${values.customerPo}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, rows: [] };
      groups.set(key, group);
    }
    const first = group.rows[0];
    group.rows.push(row);
    if (group.rows.length === MAX_LINES + 1) problem(row, '', 'order_import_lines', { max: MAX_LINES });
    if (first) {
      // Order fields: a later row repeats them or leaves them empty.
      for (const k of ORDER_KEYS)
        if (
          values[k] &&
          values[k] !== first.values[k] &&
          // A first row whose value is wrong is reported itself, not each row after it.
          !first.problems.some((p) => p.column === headerOf(k))
        )
          problem(row, k, 'order_import_differs', {
            row: first.rowNumber,
            value: first.values[k] || '（空）',
          });
      continue;
    }
    const kind = values.kind ? KIND_OF.get(values.kind.toLowerCase()) : 'order';
    if (!kind) problem(row, 'kind', 'order_import_choice', { value: values.kind, options: kinds });
    const via = values.receivedVia ? CHANNEL_OF.get(values.receivedVia.toLowerCase()) : 'written';
    if (!via)
      problem(row, 'receivedVia', 'order_import_choice', { value: values.receivedVia, options: channels });
    const calledAt = values.phoneCalledAt ? calledAtOf(values.phoneCalledAt) : null;
    if (values.phoneCalledAt && !calledAt) problem(row, 'phoneCalledAt', 'order_import_called_at');
    const memoGiven = !!(values.phoneCaller || values.phoneCalledAt || values.phoneAgreed);
    const head = {
      customerPo: values.customerPo,
      kind: kind ?? 'order',
      receivedVia: via ?? 'written',
      receivedOn: date('receivedOn'),
      phoneMemo: memoGiven
        ? {
            caller: text('phoneCaller'),
            calledAt: calledAt ?? undefined,
            agreed: values.phoneAgreed,
          }
        : null,
      currency: values.currency ? values.currency.toUpperCase() : undefined,
      paymentTerms: values.paymentTerms,
      deliveryMethod: values.deliveryMethod,
      deliveryPlace: values.deliveryPlace,
      packaging: values.packaging,
      remarks: values.remarks,
    };
    const parsed = withToday(today, () => orderHeadBody.safeParse(head));
    if (parsed.success) group.head = parsed.data;
    else
      for (const issue of parsed.error.issues)
        fieldProblem(row, issue.path.map(String).join('.'), localizeIssue(issue, lang).message);
  }
  return { rows, groups: [...groups.values()], headerOf, problem, fieldProblem };
}

export async function runOrderImport(job: JobContext, raw: unknown): Promise<ImportResult> {
  const payload = raw as OrderImportPayload;
  const r = await orderReader(job.ctx);
  const ctx = r.ctx;
  const lang = ctx.lang;
  const result: ImportResult = {
    dryRun: payload.dryRun,
    fileName: payload.fileName,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    problems: [],
    lines: 0,
    orders: [],
  };
  // The whole file is read first: an order's rows may be anywhere in it, and 10,000 rows of
  // text are a few megabytes.
  let header: string[] = [];
  const all: { n: number; cells: string[] }[] = [];
  let n = 0;
  for await (const cells of sheetRows(payload.path, payload.fileName)) {
    n++;
    if (n === 1) header = cells;
    else if (cells.some((c) => c !== '')) all.push({ n, cells });
  }
  const { missing } = columnsOf(header);
  if (missing.length)
    throw new DomainError('validation_failed', 422, {
      message: errorMessage('order_import_columns', lang, { columns: missing.join('、') }),
    });
  result.rows = all.length;
  const total = payload.expectedRows ?? all.length;
  await job.progress(0, total, true);
  const { rows, groups, problem, fieldProblem } = checkRows(lang, r.today, header, all);
  const good = groups.filter((g) => g.head && g.rows.every((x) => x.line));
  await resolveCustomers(r, good, problem);
  for (const g of good) {
    if (!g.customer || !g.head) continue;
    try {
      checkOrder(ctx, { ...g.head, lines: g.rows.map((x) => x.line as OrderLineInput) });
    } catch (err) {
      if (!(err instanceof FieldErrors)) throw err;
      for (const p of err.problems) {
        const at = p.field.match(/^lines\.(\d+)\./);
        const row = at ? (g.rows[Number(at[1])] as Row) : (g.rows[0] as Row);
        fieldProblem(row, p.field, formatMessage(FIELD_MESSAGES[p.key][lang], p.params ?? {}));
      }
    }
  }
  await job.progress(Math.round(total / 4), total);
  const failed = rows.filter((x) => x.problems.length);
  const ready = good.filter((g) => g.customer && g.rows.every((x) => x.problems.length === 0));
  if (failed.length === 0) await classify(r, ready);
  await job.progress(Math.round(total / 2), total);

  result.failed = failed.length;
  for (const row of failed)
    for (const p of row.problems)
      if (result.problems.length < MAX_PROBLEMS_IN_RESULT)
        result.problems.push({ row: row.rowNumber, column: p.column, message: p.message });
  const errors = fs.createWriteStream(payload.errorsPath, { encoding: 'utf8' });
  errors.write(`${JSON.stringify([...header, lang === 'en' ? 'Errors' : '错误说明'])}\n`);
  for (const row of failed) errors.write(errorLine(row.cells, row.problems));
  errors.end();
  await new Promise<void>((resolve, reject) => errors.on('finish', resolve).on('error', reject));

  let numbers: string[] = [];
  if (failed.length === 0) {
    result.created = ready.length;
    result.lines = ready.reduce((sum, g) => sum + g.rows.length, 0);
    // Progress is written outside the transaction: on SQLite the job's own connection waits
    // for the transaction's, so writing it inside would wait forever.
    if (!payload.dryRun) numbers = await writeOrders(r, job, ready, payload);
  }
  result.orders = (failed.length ? [] : ready).slice(0, MAX_ORDERS_IN_RESULT).map((g, i) => ({
    row: (g.rows[0] as Row).rowNumber,
    customer: g.customer?.name ?? '',
    customerPo: g.head?.customerPo ?? '',
    lines: g.rows.length,
    proposedClass: g.proposal?.proposedClass ?? 'regular',
    number: numbers[i] ?? null,
  }));
  await job.progress(total, total, true);
  await appendAudit(ctx, {
    action: payload.dryRun ? 'order.import_check' : 'order.import',
    targetType: 'order',
    details: {
      jobId: job.id,
      fileName: payload.fileName,
      rows: result.rows,
      orders: result.created,
      lines: result.lines,
      failed: result.failed,
      written: !payload.dryRun && failed.length === 0,
    },
  });
  return result;
}

/**
 * The archive of each order: by archive code, else by name, among the archives the importer
 * sees — an archive they may not see is reported as one that does not exist (R-P1). Then the
 * archive must take orders and the importer must be allowed to register them (policy), and the
 * customer's PO must not be registered yet (a file imported twice).
 */
async function resolveCustomers(
  r: OrderReader,
  groups: Group[],
  problem: (row: Row, key: Key | '', code: ErrorCode, params?: Record<string, unknown>) => void,
): Promise<void> {
  const db = r.ctx.db;
  const wanted = [...new Set(groups.map((g) => (g.rows[0] as Row).values.customer))];
  type Archive = {
    id: string;
    name: string;
    archive_code: string;
    status: string;
    secrecy: number;
    department_id: string;
  };
  const found: Archive[] = [];
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    found.push(
      ...((await db
        .selectFrom('customers as c')
        .select(['c.id', 'c.name', 'c.archive_code', 'c.status', 'c.secrecy', 'c.department_id'])
        .where((eb) => eb.or([eb('c.archive_code', 'in', chunk), eb('c.name', 'in', chunk)]))
        .where(customerVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
        .execute()) as Archive[]),
    );
  }
  const byCode = new Map(found.map((c) => [c.archive_code, c]));
  const byName = new Map<string, Archive[]>();
  for (const c of found) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const ids = [...new Set(found.map((c) => c.id))];
  const owners = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 500)
    for (const [id, list] of await ownersOf(db, ids.slice(i, i + 500)))
      owners.set(
        id,
        list.map((o) => o.id),
      );
  const allowed = new Map<string, boolean>();
  for (const g of groups) {
    const first = g.rows[0] as Row;
    const key = first.values.customer;
    const named = byName.get(key) ?? [];
    const archive = byCode.get(key) ?? (named.length === 1 ? named[0] : undefined);
    if (!archive) {
      if (named.length > 1)
        problem(first, 'customer', 'order_import_customer_ambiguous', { customer: key, count: named.length });
      else problem(first, 'customer', 'order_import_customer', { customer: key });
      continue;
    }
    let may = allowed.get(archive.id);
    if (may === undefined) {
      may = can(
        r.ctx.actor,
        'order.create',
        orderResourceWith(
          r,
          { customerId: archive.id, customerDepartmentId: archive.department_id },
          owners.get(archive.id) ?? [],
        ),
      );
      allowed.set(archive.id, may);
    }
    if (!may) {
      problem(first, 'customer', 'order_import_forbidden', { archiveCode: archive.archive_code });
      continue;
    }
    if (archive.status !== 'draft' && archive.status !== 'filed') {
      problem(first, 'customer', 'order_archive_inactive');
      continue;
    }
    g.customer = {
      id: archive.id,
      name: archive.name,
      archiveCode: archive.archive_code,
      secrecy: Number(archive.secrecy),
    };
  }
  // A PO the customer already has an order for (not cancelled): the file was imported before.
  const withCustomer = groups.filter((g) => g.customer && g.head?.customerPo);
  const taken = new Map<string, string>();
  for (let i = 0; i < withCustomer.length; i += 500) {
    const chunk = withCustomer.slice(i, i + 500);
    for (const o of await db
      .selectFrom('orders')
      .select(['customer_id', 'customer_po', 'number'])
      .where(
        'customer_id',
        'in',
        chunk.map((g) => g.customer?.id as string),
      )
      .where(
        'customer_po',
        'in',
        chunk.map((g) => g.head?.customerPo as string),
      )
      .where('status', '!=', 'cancelled')
      .execute())
      taken.set(`${o.customer_id}\u0000${o.customer_po}`, o.number);
  }
  for (const g of withCustomer) {
    const number = taken.get(`${g.customer?.id}\u0000${g.head?.customerPo}`);
    if (number)
      problem(g.rows[0] as Row, 'customerPo', 'order_import_po_taken', {
        customerPo: g.head?.customerPo,
        number,
      });
  }
}

/** The class of every order (R-K1) by the rule of one registered by hand, reading each
 * customer's accepted parts and special requirements once. */
async function classify(r: OrderReader, groups: Group[]): Promise<void> {
  const db = r.ctx.db;
  const calendar = await loadCalendar({ db });
  const byCustomer = new Map<string, Group[]>();
  for (const g of groups) {
    const id = g.customer?.id as string;
    byCustomer.set(id, [...(byCustomer.get(id) ?? []), g]);
  }
  for (const [customerId, list] of byCustomer) {
    const parts = [...new Set(list.flatMap((g) => g.rows.map((x) => (x.line as OrderLineInput).partNumber)))];
    const before = await repo.partsOrderedBefore(db, customerId, parts, null);
    const requirementsOf = await requirementsByPart(r.ctx, db, customerId);
    for (const g of list) {
      const facts: ClassFacts = {
        orderId: null,
        customerId,
        kind: g.head?.kind as OrderKind,
        receivedOn: g.head?.receivedOn as string,
        lines: g.rows.map((x, i) => ({
          lineNo: i + 1,
          partNumber: (x.line as OrderLineInput).partNumber,
          requestedOn: (x.line as OrderLineInput).requestedOn,
          promisedOn: (x.line as OrderLineInput).promisedOn ?? null,
        })),
        leadTimeDays: r.settings.leadTimeDays,
      };
      const requirementIds = [...new Set(facts.lines.flatMap((l) => requirementsOf(l.partNumber)))];
      g.proposal = classFrom(facts, { before, requirementIds, calendar });
    }
  }
}

/** Writes every order of the import in one transaction: numbers reserved as a block, multi-row
 * inserts, one audit entry per customer archive (with its secrecy) naming its new orders. */
async function writeOrders(
  r: OrderReader,
  job: JobContext,
  groups: Group[],
  payload: OrderImportPayload,
): Promise<string[]> {
  return tx(r.ctx, async (t: TxCtx) => {
    const now = nowIso(t);
    const date = todayInShanghai(t.now());
    const first = await reserveSequence(
      t,
      counterKey('order', ORDER_NUMBER_PATTERN, { date }),
      groups.length,
    );
    const format = codeFormatter(ORDER_NUMBER_PATTERN, { date });
    const numbers = groups.map((_, i) => format(first + i));
    const orders: OrderTable[] = [];
    const lines: OrderLineTable[] = [];
    const history: OrderHistoryTable[] = [];
    const me = r.ctx.actor;
    groups.forEach((g, i) => {
      const head = g.head as NonNullable<Group['head']>;
      const proposal = g.proposal as Proposal;
      const id = newId();
      const rows = lineRows(
        id,
        g.rows.map((x) => x.line as OrderLineInput),
      );
      lines.push(...rows);
      orders.push(
        draftRow({
          id,
          number: numbers[i] as string,
          customerId: g.customer?.id as string,
          input: head,
          calledAt: head.phoneMemo ? new Date(head.phoneMemo.calledAt).toISOString() : null,
          totalAmount: sumMoney(rows.map((l) => (l.amount === null ? null : String(l.amount)))),
          proposal,
          now,
          actorId: me.id,
        }),
      );
      const entry = (field: string, newValue: string, note: string | null): OrderHistoryTable => ({
        id: newId(),
        order_id: id,
        at: now,
        actor_id: me.id,
        actor_name: me.name,
        field,
        old_value: null,
        new_value: newValue,
        note,
      });
      history.push(
        entry(
          'status',
          repo.statusText('draft') as string,
          `导入：${payload.fileName} 第 ${(g.rows[0] as Row).rowNumber} 行`,
        ),
        entry('class', ORDER_CLASS_LABELS[proposal.proposedClass].zh, reasonNote(proposal.reasons)),
      );
    });
    for (let i = 0; i < orders.length; i += ROWS_PER_INSERT)
      await t.db
        .insertInto('orders')
        .values(orders.slice(i, i + ROWS_PER_INSERT))
        .execute();
    for (let i = 0; i < lines.length; i += ROWS_PER_INSERT * 2)
      await t.db
        .insertInto('order_lines')
        .values(lines.slice(i, i + ROWS_PER_INSERT * 2))
        .execute();
    for (let i = 0; i < history.length; i += ROWS_PER_INSERT * 2)
      await t.db
        .insertInto('order_history')
        .values(history.slice(i, i + ROWS_PER_INSERT * 2))
        .execute();
    // One entry per archive: who imported which orders of it, at the archive's secrecy.
    const byCustomer = new Map<string, { group: Group; numbers: string[] }>();
    groups.forEach((g, i) => {
      const id = g.customer?.id as string;
      const entry = byCustomer.get(id) ?? { group: g, numbers: [] };
      entry.numbers.push(numbers[i] as string);
      byCustomer.set(id, entry);
    });
    for (const [customerId, { group, numbers: created }] of byCustomer)
      await appendAudit(t, {
        action: 'order.import_create',
        targetType: 'customer',
        targetId: customerId,
        targetLabel: `${group.customer?.archiveCode} ${group.customer?.name}`,
        secrecy: group.customer?.secrecy,
        details: { jobId: job.id, fileName: payload.fileName, orders: created },
      });
    return numbers;
  });
}

registerJobHandler(ORDER_IMPORT_JOB, runOrderImport);

// Starting, committing and reporting ------------------------------------------------------------

/** Who may import at all: anyone signed in; each archive is checked row by row (policy). */
export function assertMayImport(ctx: Ctx): void {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
}

export async function queueOrderImport(ctx: Ctx, payload: OrderImportPayload): Promise<Job> {
  assertMayImport(ctx);
  return enqueueJob(ctx, ORDER_IMPORT_JOB, payload);
}

async function importJob(ctx: Ctx, jobId: string) {
  assertMayImport(ctx);
  const job = await getJob(ctx, jobId);
  if (job.kind !== ORDER_IMPORT_JOB) throw notFound();
  return job;
}

/** Runs the real import of a finished dry run, from the same file (it writes nothing when
 * any row fails). */
export async function commitOrderImport(ctx: Ctx, jobId: string): Promise<Job> {
  return commitSheetImport(ctx, await importJob(ctx, jobId));
}

/** The failed rows as uploaded plus a column saying what is wrong. */
export async function orderErrorSheet(ctx: Ctx, jobId: string): Promise<Readable> {
  return sheetImportErrors(ctx, await importJob(ctx, jobId));
}

/** The template: the columns (required ones marked *), an example row and how to fill them in. */
export async function orderImportTemplate(ctx: Ctx): Promise<Buffer> {
  assertMayImport(ctx);
  const lang = ctx.lang;
  const workbook = new (await excel()).Workbook();
  const sheet = workbook.addWorksheet(lang === 'en' ? 'Order lines' : '订单明细');
  sheet.columns = ORDER_IMPORT_COLUMNS.map((c) => ({
    header: `${c[lang]}${c.required ? '*' : ''}`,
    key: c.key,
    width: c.width,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  // Codes, dates and times as text, so that Excel keeps them as typed.
  for (const key of [
    'customer',
    'customerPo',
    'partNumber',
    'receivedOn',
    'requestedOn',
    'promisedOn',
    'phoneCalledAt',
  ])
    sheet.getColumn(key).numFmt = '@';
  const help = workbook.addWorksheet(lang === 'en' ? 'How to fill in' : '填写说明');
  help.columns = [
    { header: lang === 'en' ? 'Column' : '列', key: 'column', width: 18 },
    { header: lang === 'en' ? 'How to fill in' : '填写方法', key: 'how', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRow({
    column: '',
    how: '每行一个订单明细；同一客户、同一客户订单号的行合并为一个订单，订单信息填在第一行即可',
  });
  help.addRow({ column: '', how: '有任何一行错误时不导入任何订单；请按错误清单改正后重新上传' });
  for (const c of ORDER_IMPORT_COLUMNS)
    help.addRow({ column: `${c.zh}${c.required ? '*' : ''}`, how: `${c.required ? '必填。' : ''}${c.help}` });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
