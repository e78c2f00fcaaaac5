import type { Readable } from 'node:stream';
import { type SqlBool, sql } from 'kysely';
import { DELIVERY_GROUP_LABELS, ON_TIME_BASIS_LABELS } from '../../../common/order-deliveries.js';
import type {
  DeliveryStats,
  DeliveryStatsQuery,
  DeliveryStatsRow,
} from '../../../common/schemas/order-deliveries.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import { addDays, loadCalendar } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { streamWorkbook } from '../../platform/xlsx.js';
import { type OrderReader, orderReader, visibleOrder } from './access.js';
import { fixed, plain, scaled } from './decimal.js';
import { dueSql, effectiveDueSql } from './deliveries.js';

// 准时交付率 (R-K5): of the lines of accepted orders due in a period (due date from..to), grouped
// by month, customer, product or the archive's department. A line counts once it is complete or
// its effective date has passed (a line not complete past its date is late); a line whose date
// is still ahead and not complete is pending and left out. By line: lines whose deliveries up
// to the effective date reach the quantity ordered / lines counted — so a line delivered in
// parts is on time when the completing delivery is. By quantity: quantity delivered up to the
// effective date (at most the line's) / quantity of the lines counted. One aggregate query over
// the lines the reader may see (orderVisible), with each line's deliveries summed through the
// index order_deliveries_line_idx.

const MAX_YEARS = 5;

type Raw = {
  k: string | null;
  label: string | null;
  lines: number | string;
  on_time: number | string;
  quantity: number | string | null;
  quantity_on_time: number | string | null;
  pending: number | string;
  secrecy: number | string | null;
};

function checkPeriod(from: string, to: string): void {
  if (to < from || to > addDays(from, MAX_YEARS * 366))
    throw new DomainError('order_period_too_long', 422, { years: MAX_YEARS }, 'to');
}

function groupColumns(groupBy: DeliveryStatsQuery['groupBy']) {
  switch (groupBy) {
    case 'month':
      return { k: sql<string>`substr(${dueSql}, 1, 7)`, label: sql<string>`substr(${dueSql}, 1, 7)` };
    case 'customer':
      return { k: sql<string>`c.id`, label: sql<string>`c.name` };
    case 'product':
      return { k: sql<string>`l.part_number`, label: sql<string>`l.product` };
    case 'department':
      return {
        k: sql<string>`c.department_id`,
        label: sql<string>`(select dp.name from departments dp where dp.id = c.department_id)`,
      };
  }
}

async function aggregate(r: OrderReader, q: DeliveryStatsQuery): Promise<{ rows: Raw[] }> {
  checkPeriod(q.from, q.to);
  const calendar = await loadCalendar(r.ctx);
  const eff = effectiveDueSql(calendar, r.settings.holidayRule, q.from, q.to);
  const g = groupColumns(q.groupBy);
  let inner = r.ctx.db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .where('o.status', '=', 'accepted')
    .where(sql<SqlBool>`${dueSql} >= ${q.from}`)
    .where(sql<SqlBool>`${dueSql} <= ${q.to}`)
    .where(visibleOrder(r) as never)
    .select([
      g.k.as('k'),
      g.label.as('label'),
      'l.quantity as qty',
      'c.secrecy as secrecy',
      eff.as('eff'),
      sql<string>`(select coalesce(sum(d.quantity), 0) from order_deliveries d where d.line_id = l.id and d.delivered_on <= ${eff})`.as(
        'by_due',
      ),
      sql<string>`(select coalesce(sum(d.quantity), 0) from order_deliveries d where d.line_id = l.id)`.as(
        'total',
      ),
    ]);
  if (q.customerId) inner = inner.where('o.customer_id', '=', q.customerId);
  const counted = sql<SqlBool>`(x.total >= x.qty or x.eff < ${r.today})`;
  // Materialized: each line's two sums are computed once, not once per use in the outer sums
  // (SQLite would otherwise flatten the derived table and run the subqueries again).
  const rows = await r.ctx.db
    .with(
      (wb) => wb('x').materialized(),
      () => inner,
    )
    .selectFrom('x')
    .select([
      sql<string>`x.k`.as('k'),
      sql<string>`max(x.label)`.as('label'),
      sql<number>`sum(case when ${counted} then 1 else 0 end)`.as('lines'),
      sql<number>`sum(case when x.by_due >= x.qty then 1 else 0 end)`.as('on_time'),
      sql<string>`sum(case when ${counted} then x.qty else 0 end)`.as('quantity'),
      sql<string>`sum(case when ${counted} then (case when x.by_due > x.qty then x.qty else x.by_due end) else 0 end)`.as(
        'quantity_on_time',
      ),
      sql<number>`sum(case when ${counted} then 0 else 1 end)`.as('pending'),
      sql<number>`max(x.secrecy)`.as('secrecy'),
    ])
    .groupBy(sql`x.k`)
    .execute();
  return { rows: rows as unknown as Raw[] };
}

function rowOf(r: OrderReader, raw: Omit<Raw, 'secrecy'>): DeliveryStatsRow {
  const lines = Number(raw.lines);
  const linesOnTime = Number(raw.on_time);
  const quantity = plain(raw.quantity ?? 0) ?? '0';
  const quantityOnTime = plain(raw.quantity_on_time ?? 0) ?? '0';
  const rate =
    r.settings.onTimeBasis === 'line'
      ? lines
        ? linesOnTime / lines
        : null
      : Number(quantity)
        ? Number(quantityOnTime) / Number(quantity)
        : null;
  return {
    key: raw.k ?? '',
    label: raw.label ?? raw.k ?? '',
    lines,
    linesOnTime,
    quantity,
    quantityOnTime,
    pending: Number(raw.pending),
    rate: rate === null ? null : Math.round(rate * 10000) / 10000,
  };
}

/** The on-time delivery statistics for the reader, not audited (the callers write their entry). */
export async function compute(
  r: OrderReader,
  q: DeliveryStatsQuery,
): Promise<DeliveryStats & { secrecy: number }> {
  const { rows } = await aggregate(r, q);
  const sum = (f: (x: Raw) => number | string | null, scale: number) =>
    fixed(
      rows.reduce((s, x) => s + scaled(f(x) ?? 0, scale), 0n),
      scale,
    );
  const total = rowOf(r, {
    k: 'total',
    label: '合计',
    lines: sum((x) => x.lines, 0),
    on_time: sum((x) => x.on_time, 0),
    quantity: sum((x) => x.quantity, 4),
    quantity_on_time: sum((x) => x.quantity_on_time, 4),
    pending: sum((x) => x.pending, 0),
  });
  const out = rows.map((x) => rowOf(r, x));
  if (q.groupBy === 'month') out.sort((a, b) => a.key.localeCompare(b.key));
  else out.sort((a, b) => b.lines - a.lines || a.label.localeCompare(b.label, 'zh'));
  return {
    basis: r.settings.onTimeBasis,
    holidayRule: r.settings.holidayRule,
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    rows: out,
    total,
    secrecy: Math.max(0, ...rows.map((x) => Number(x.secrecy ?? 0))),
  };
}

async function audit(r: OrderReader, q: DeliveryStatsQuery, s: { secrecy: number }, format: string) {
  await appendAudit(r.ctx, {
    action: format === 'json' ? 'order.delivery_stats.read' : 'order.delivery_stats.export',
    targetType: 'order',
    secrecy: format === 'json' ? s.secrecy : exportSecrecy(r.ctx.actor, q, s.secrecy),
    details: { ...q, format, basis: r.settings.onTimeBasis, holidayRule: r.settings.holidayRule },
  });
}

/** The totals of a period for the dashboard: the same figures as the page, without its rows. */
export async function deliveryTotal(ctx: Ctx, q: Pick<DeliveryStatsQuery, 'from' | 'to'>) {
  const r = await orderReader(ctx);
  return (await compute(r, { ...q, groupBy: 'month' })).total;
}

export async function deliveryStats(ctx: Ctx, q: DeliveryStatsQuery): Promise<DeliveryStats> {
  const r = await orderReader(ctx);
  const { secrecy, ...stats } = await compute(r, q);
  await audit(r, q, { secrecy }, 'json');
  return stats;
}

const pct = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(2)}%`);
const HEADERS = (q: DeliveryStatsQuery) => [
  DELIVERY_GROUP_LABELS[q.groupBy].zh,
  '到期行数',
  '准时行数',
  '到期数量',
  '准时数量',
  '未到期未完成行数',
  '准时交付率',
];
const cells = (x: DeliveryStatsRow) => [
  x.label,
  x.lines,
  x.linesOnTime,
  Number(x.quantity),
  Number(x.quantityOnTime),
  x.pending,
  pct(x.rate),
];

async function prepared(ctx: Ctx, q: DeliveryStatsQuery, format: 'xlsx' | 'csv') {
  const r = await orderReader(ctx);
  const s = await compute(r, q);
  await audit(r, q, s, format);
  return s;
}

export async function statsXlsx(ctx: Ctx, q: DeliveryStatsQuery): Promise<Readable> {
  const s = await prepared(ctx, q, 'xlsx');
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(`准时交付率（${ON_TIME_BASIS_LABELS[s.basis].zh}）`);
    const head = sheet.addRow(HEADERS(q));
    head.font = { bold: true };
    head.commit();
    for (const x of s.rows) sheet.addRow(cells(x)).commit();
    sheet.addRow(cells(s.total)).commit();
    sheet.commit();
  });
}

export async function statsCsv(ctx: Ctx, q: DeliveryStatsQuery): Promise<Readable> {
  const s = await prepared(ctx, q, 'csv');
  async function* rows() {
    yield [...s.rows, s.total].map(cells);
  }
  return csvStream(HEADERS(q), rows());
}
