import { formatMessage } from '../../../common/errors.js';
import { deliveryBody } from '../../../common/schemas/order-deliveries.js';
import type { OrderLineTable } from '../../db/types.js';
import type { Ctx } from '../../platform/context.js';
import { tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { can } from '../../platform/policy/index.js';
import { sheetTable } from '../../platform/sheet-import.js';
import { cellText, excel } from '../../platform/xlsx-read.js';
import { orderReader, orderResourceWith, visibleOrder } from './access.js';
import { fixed, plain, scaled } from './decimal.js';
import { writeDelivery } from './deliveries.js';
import * as repo from './repo.js';
import { changing, ownerIdsOf, subjectOf } from './service.js';

// Deliveries from Excel (R-K5, R-W3): one sheet, a header row naming 订单编号, 行号, 交付日期,
// 数量 and optionally 送货单号, 备注; each row is matched by order number and line number. Every
// row is checked first (the order is visible, accepted and the reader's to deliver; the line
// exists; the date is real and not after today; the quantity is positive and, with the rows
// before it, not beyond the quantity ordered). With any row in error nothing is written; a dry
// run only checks. The rows are then written in one transaction, each as a delivery entered by
// hand would be (history, audit).

export const IMPORT_MAX_ROWS = 20_000;
const HEADERS = {
  number: '订单编号',
  lineNo: '行号',
  deliveredOn: '交付日期',
  quantity: '数量',
  note: '送货单号',
  remarks: '备注',
} as const;

export interface DeliveryImportResult {
  dryRun: boolean;
  rows: number;
  imported: number;
  errors: { row: number; message: string }[];
}

async function sheetRows(body: Buffer): Promise<string[][]> {
  const Excel = await excel();
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('file_type', 422, { types: '.xlsx' }, 'file');
  }
  const sheet = workbook.worksheets[0];
  const out: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row, n) => {
    while (out.length < n - 1) out.push([]);
    out.push((row.values as unknown[]).slice(1).map(cellText));
  });
  return out;
}

export async function importDeliveries(
  ctx: Ctx,
  body: Buffer,
  dryRun: boolean,
): Promise<DeliveryImportResult> {
  const r = await orderReader(ctx);
  const rows = await sheetRows(body);
  const errors: DeliveryImportResult['errors'] = [];
  const table = sheetTable(rows, HEADERS, ['number', 'lineNo', 'deliveredOn', 'quantity'], IMPORT_MAX_ROWS);
  if (!('data' in table))
    return { dryRun, rows: table.rows, imported: 0, errors: [{ row: 1, message: table.message }] };
  const { data, cell } = table;

  // The orders named, within what the reader sees, with their lines and deliveries so far.
  const numbers = [...new Set(data.map((x) => cell(x.cells, 'number')).filter(Boolean))];
  const orders = new Map<string, repo.OrderRow>();
  for (let i = 0; i < numbers.length; i += 500)
    for (const o of await repo
      .withDetails(repo.ordersFrom(r.ctx.db))
      .where('o.number', 'in', numbers.slice(i, i + 500))
      .where(visibleOrder(r) as never)
      .execute())
      orders.set(o.number, o as unknown as repo.OrderRow);
  const orderIds = [...orders.values()].map((o) => o.id);
  const lines = new Map<string, OrderLineTable>();
  const delivered = new Map<string, bigint>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const chunk = orderIds.slice(i, i + 500);
    for (const l of await r.ctx.db
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', 'in', chunk)
      .execute())
      lines.set(`${l.order_id}#${l.line_no}`, l);
    for (const d of await r.ctx.db
      .selectFrom('order_deliveries')
      .select(['line_id', 'delivered_on', 'quantity'])
      .where('order_id', 'in', chunk)
      .execute())
      delivered.set(d.line_id, (delivered.get(d.line_id) ?? 0n) + scaled(d.quantity, 4));
  }
  const owners = new Map<string, string[]>();
  for (const o of orders.values())
    if (!owners.has(o.customer_id)) owners.set(o.customer_id, await ownerIdsOf(r.ctx.db, o.customer_id));

  const planned: {
    order: repo.OrderRow;
    line: OrderLineTable;
    input: ReturnType<typeof deliveryBody.parse>;
  }[] = [];
  for (const { n, cells } of data) {
    const fail = (message: string) => errors.push({ row: n, message });
    const number = cell(cells, 'number');
    const order = orders.get(number);
    if (!order) {
      fail(`订单编号“${number}”不存在或无权查看`);
      continue;
    }
    if (order.status !== 'accepted') {
      fail(`订单 ${number} 未接受，不能登记交付`);
      continue;
    }
    const resource = orderResourceWith(r, subjectOf(order), owners.get(order.customer_id) ?? []);
    if (!can(r.ctx.actor, 'order.deliver', resource)) {
      fail(`无权登记订单 ${number} 的交付`);
      continue;
    }
    const line = lines.get(`${order.id}#${Number(cell(cells, 'lineNo'))}`);
    if (!line) {
      fail(`订单 ${number} 没有第 ${cell(cells, 'lineNo')} 行`);
      continue;
    }
    const parsed = deliveryBody.safeParse({
      lineId: line.id,
      deliveredOn: cell(cells, 'deliveredOn'),
      quantity: cell(cells, 'quantity'),
      deliveryNoteNo: cell(cells, 'note'),
      remarks: cell(cells, 'remarks'),
    });
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? '');
      // The column as the sheet names it, not the field's code (deliveryNoteNo).
      const column: Record<string, string> = {
        deliveredOn: HEADERS.deliveredOn,
        deliveryNoteNo: HEADERS.note,
        remarks: HEADERS.remarks,
      };
      fail(
        field === 'quantity' ? '数量须为大于 0 的数字，最多四位小数' : `${column[field] ?? '该行内容'}无效`,
      );
      continue;
    }
    if (parsed.data.deliveredOn > r.today) {
      fail(`交付日期不能晚于今天（${r.today}）`);
      continue;
    }
    if (parsed.data.deliveredOn < order.received_on) {
      fail(`交付日期不能早于接单日期（${order.received_on}）`);
      continue;
    }
    const so = (delivered.get(line.id) ?? 0n) + scaled(parsed.data.quantity, 4);
    if (so > scaled(line.quantity, 4)) {
      fail(
        formatMessage('第 {lineNo} 行订购 {ordered}，连同已交付将达 {total}，超过订单数量', {
          lineNo: line.line_no,
          ordered: plain(line.quantity),
          total: plain(fixed(so, 4)),
        }),
      );
      continue;
    }
    delivered.set(line.id, so);
    planned.push({ order, line, input: parsed.data });
  }
  if (errors.length || dryRun) return { dryRun, rows: data.length, imported: 0, errors };
  await tx(r.ctx, async (t) => {
    const locked = new Map<string, repo.OrderRow>();
    for (const p of planned) {
      let row = locked.get(p.order.id);
      if (!row) {
        row = await changing(r, t, p.order.id, 'order.deliver');
        if (row.status !== 'accepted') throw new DomainError('order_state', 409, { status: row.status });
        locked.set(p.order.id, row);
      }
      await writeDelivery(r, t, row, p.line, p.input, 'import');
    }
  });
  return { dryRun, rows: data.length, imported: planned.length, errors };
}
