import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { SECRECY_LABELS } from '../../../common/enums.js';
import {
  ORDER_CHANNEL_LABELS,
  ORDER_CLASS_LABELS,
  ORDER_KIND_LABELS,
  ORDER_ROUTE_LABELS,
  ORDER_STATUS_LABELS,
} from '../../../common/orders.js';
import type { OrderFilter, OrderSummary } from '../../../common/schemas/orders.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import { type OrderReader, orderReader } from './access.js';
import type * as repo from './repo.js';
import { withDetails } from './repo.js';
import { filtered, toSummaries } from './service.js';

// 订单/合同台帐 as .xlsx and CSV (R-W3): the list's filter, newest first, streamed page by page.
// Only what the reader may see is exported; the amount column is there only for readers who see
// prices. The export is audited as secret as the most secret archive among its rows.

export type ExportFilter = Omit<OrderFilter, 'cursor' | 'limit'>;

const COLUMNS: [string, number][] = [
  ['序号', 6],
  ['订单编号', 16],
  ['客户', 24],
  ['档案编号', 12],
  ['客户订单号', 16],
  ['类型', 10],
  ['接单方式', 8],
  ['接单日期', 12],
  ['行数', 6],
  ['币种', 6],
  ['金额', 14],
  ['系统建议分类', 10],
  ['分类', 10],
  ['交期风险', 8],
  ['评审路径', 24],
  ['状态', 8],
  ['待评审部门数', 8],
  ['登记人', 10],
  ['登记时间', 18],
  ['密级', 8],
];

function cells(o: OrderSummary, index: number, prices: boolean): (string | number)[] {
  return [
    index,
    o.number,
    o.customer.name,
    o.customer.code,
    o.customerPo ?? '',
    ORDER_KIND_LABELS[o.kind].zh,
    ORDER_CHANNEL_LABELS[o.receivedVia].zh,
    o.receivedOn,
    o.lineCount,
    o.currency,
    prices ? (o.totalAmount ?? '') : '',
    ORDER_CLASS_LABELS[o.proposedClass].zh,
    ORDER_CLASS_LABELS[o.class].zh + (o.overridden ? '（人工调整）' : ''),
    o.leadTimeAtRisk ? '是' : '',
    o.route ? ORDER_ROUTE_LABELS[o.route].zh : '',
    ORDER_STATUS_LABELS[o.status].zh,
    o.reviewsOpen,
    o.createdBy?.name ?? '',
    formatDateTime(o.createdAt),
    SECRECY_LABELS[o.secrecy].zh,
  ];
}

const columnsFor = (prices: boolean) => COLUMNS.filter(([h]) => prices || h !== '金额');
const cellsFor = (o: OrderSummary, i: number, prices: boolean) => {
  const all = cells(o, i, prices);
  return prices ? all : all.filter((_, k) => COLUMNS[k]?.[0] !== '金额');
};

async function* pages(r: OrderReader, f: ExportFilter): AsyncIterable<OrderSummary[]> {
  let after: [string, string] | null = null;
  for (;;) {
    let q = withDetails(filtered(r, f));
    if (after) {
      const [at, id] = after;
      q = q.where((eb) =>
        eb.or([eb('o.created_at', '<', at), eb.and([eb('o.created_at', '=', at), eb('o.id', '<', id)])]),
      );
    }
    const rows = (await q
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(1000)
      .execute()) as unknown as repo.OrderRow[];
    if (rows.length) yield await toSummaries(r, rows);
    if (rows.length < 1000) return;
    const last = rows.at(-1) as repo.OrderRow;
    after = [last.created_at, last.id];
  }
}

async function begin(ctx: Ctx, f: ExportFilter, format: 'xlsx' | 'csv'): Promise<OrderReader> {
  const r = await orderReader(ctx);
  const totals = await filtered(r, f)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max<number>(sql.ref('c.secrecy')).as('s')])
    .executeTakeFirstOrThrow();
  const n = Number(totals.n);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(r.ctx, {
    action: 'order.export',
    targetType: 'order',
    secrecy: exportSecrecy(r.ctx.actor, f, totals.s),
    details: { rows: n, format, filter: f, prices: r.somePrices },
  });
  return r;
}

export async function exportXlsx(ctx: Ctx, f: ExportFilter): Promise<Readable> {
  const r = await begin(ctx, f, 'xlsx');
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('订单合同台帐');
    sheet.columns = columnsFor(r.somePrices).map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let index = 0;
    for await (const page of pages(r, f))
      for (const o of page) sheet.addRow(cellsFor(o, ++index, r.somePrices)).commit();
    sheet.commit();
  });
}

export async function exportCsv(ctx: Ctx, f: ExportFilter): Promise<Readable> {
  const r = await begin(ctx, f, 'csv');
  let index = 0;
  async function* rows() {
    for await (const page of pages(r, f)) yield page.map((o) => cellsFor(o, ++index, r.somePrices));
  }
  return csvStream(
    columnsFor(r.somePrices).map(([h]) => h),
    rows(),
  );
}
