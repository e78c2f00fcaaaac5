import type { Readable } from 'node:stream';
import { type SqlBool, sql } from 'kysely';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import { DELAY_VIA_LABELS } from '../../../common/order-deliveries.js';
import type { DelayedFilter, DelayedLine } from '../../../common/schemas/order-deliveries.js';
import { formatDateTime, todayInShanghai } from '../../../common/time.js';
import type { OrderDelayTable } from '../../db/types.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import { loadActor } from '../../platform/auth.js';
import { addDays, loadCalendar, type WorkCalendar } from '../../platform/calendar.js';
import { type Ctx, tx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import { type OrderReader, orderReader, visibleOrder } from './access.js';
import { loadOrderSettings } from './config.js';
import { fixed, plain, scaled } from './decimal.js';
import { delayOf, dueSql, effectiveDue, lateBefore } from './deliveries.js';
import * as repo from './repo.js';

// Delayed orders (掉期订单, R-K5): the lines of accepted orders not yet complete whose due date
// has passed (by the holiday rule) or for which a delay was recorded (predicted to miss it).
// The list is the agenda of the daily order review (每日订单评审会议): oldest due date first,
// keyset on (due date, line id); as .xlsx/CSV it is the 掉期订单跟踪表. Every Monday the
// production deputy (setting delaySummaryRoles / delaySummaryUsers) gets the week's summary as a
// notification, which platform/mail.ts sends by e-mail when SMTP is configured.

const deliveredSql = sql<string>`(select coalesce(sum(dd.quantity), 0) from order_deliveries dd where dd.line_id = l.id)`;

type Row = {
  line_id: string;
  order_id: string;
  number: string;
  customer_po: string | null;
  customer_id: string;
  customer_name: string;
  customer_secrecy: number;
  line_no: number;
  part_number: string;
  product: string;
  unit: string;
  quantity: string | number;
  delivered: string | number;
  due: string;
};

/** Open lines of accepted orders the reader may see (orders aliased o, archives c, lines l). */
function openLines(r: OrderReader, f: Pick<DelayedFilter, 'customerId'>) {
  let q = r.ctx.db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .where('o.status', '=', 'accepted')
    .where(visibleOrder(r) as never)
    .where(sql<SqlBool>`${deliveredSql} < l.quantity`);
  if (f.customerId) q = q.where('o.customer_id', '=', f.customerId);
  return q;
}

const hasDelay = sql<SqlBool>`exists (select 1 from order_delays dl where dl.line_id = l.id)`;

/** Delayed lines the reader may see: past due, or with a delay recorded. */
function delayedLines(r: OrderReader, calendar: WorkCalendar, f: Pick<DelayedFilter, 'customerId'>) {
  const before = lateBefore(calendar, r.settings.holidayRule, r.today);
  return openLines(r, f).where(sql<SqlBool>`(${dueSql} < ${before} or ${hasDelay})`);
}

/** How many lines the delayed list shows the reader (the dashboard's 掉期). */
export async function countDelayed(ctx: Ctx): Promise<number> {
  const r = await orderReader(ctx);
  const calendar = await loadCalendar(ctx);
  const row = await delayedLines(r, calendar, {})
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function toLines(r: OrderReader, calendar: WorkCalendar, rows: Row[]): Promise<DelayedLine[]> {
  const ids = rows.map((x) => x.line_id);
  const delays: OrderDelayTable[] = [];
  for (let i = 0; i < ids.length; i += 500)
    delays.push(
      ...(await r.ctx.db
        .selectFrom('order_delays')
        .selectAll()
        .where('line_id', 'in', ids.slice(i, i + 500))
        .orderBy('created_at')
        .orderBy('id')
        .execute()),
    );
  const latest = new Map(delays.map((d) => [d.line_id, d]));
  const names = await repo.namesOf(
    r.ctx.db,
    delays.map((d) => d.created_by),
  );
  return rows.map((x) => {
    const eff = effectiveDue(calendar, r.settings.holidayRule, x.due);
    const need = scaled(x.quantity, 4);
    const got = scaled(x.delivered, 4);
    const d = latest.get(x.line_id);
    return {
      lineId: x.line_id,
      orderId: x.order_id,
      orderNumber: x.number,
      customerPo: x.customer_po,
      customer: { id: x.customer_id, name: x.customer_name },
      lineNo: Number(x.line_no),
      partNumber: x.part_number,
      product: x.product,
      unit: x.unit,
      quantity: plain(x.quantity) ?? '0',
      delivered: plain(x.delivered) ?? '0',
      open: plain(fixed(need - got, 4)) ?? '0',
      dueOn: x.due,
      daysLate: eff < r.today ? calendar.workingDaysBetween(eff, r.today) : 0,
      delay: d ? delayOf(d, names) : null,
      secrecy: secrecyFromRank(Number(x.customer_secrecy)),
    };
  });
}

function selectRows(q: ReturnType<typeof delayedLines>) {
  return q.select([
    'l.id as line_id',
    'o.id as order_id',
    'o.number',
    'o.customer_po',
    'c.id as customer_id',
    'c.name as customer_name',
    'c.secrecy as customer_secrecy',
    'l.line_no',
    'l.part_number',
    'l.product',
    'l.unit',
    'l.quantity',
    deliveredSql.as('delivered'),
    dueSql.as('due'),
  ]);
}

async function page(
  r: OrderReader,
  calendar: WorkCalendar,
  f: Pick<DelayedFilter, 'customerId'>,
  after: [string, string] | null,
  limit: number,
): Promise<Row[]> {
  // Two queries merged rather than one with `past due or has a delay`: the past-due lines walk
  // the index (due date, id) in order and stop at the page's end; the few lines with a delay
  // recorded whose date is still ahead are found through order_delays.
  const before = lateBefore(calendar, r.settings.holidayRule, r.today);
  const run = async (q: ReturnType<typeof selectRows>) => {
    if (after) {
      const [due, id] = after;
      q = q.where(sql<SqlBool>`(${dueSql} > ${due} or (${dueSql} = ${due} and l.id > ${id}))`);
    }
    return (await q.orderBy(dueSql).orderBy('l.id').limit(limit).execute()) as unknown as Row[];
  };
  const [past, predicted] = await Promise.all([
    run(selectRows(openLines(r, f).where(sql<SqlBool>`${dueSql} < ${before}`))),
    run(selectRows(openLines(r, f).where(sql<SqlBool>`${dueSql} >= ${before}`).where(hasDelay))),
  ]);
  return [...past, ...predicted]
    .sort((a, b) => (a.due === b.due ? (a.line_id < b.line_id ? -1 : 1) : a.due < b.due ? -1 : 1))
    .slice(0, limit);
}

/** 每日订单评审: delayed lines, oldest due date first, a page at a time. */
export async function listDelayed(
  ctx: Ctx,
  f: DelayedFilter,
): Promise<{ items: DelayedLine[]; nextCursor: string | null }> {
  const r = await orderReader(ctx);
  const calendar = await loadCalendar(r.ctx);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  const rows = await page(r, calendar, f, after, f.limit + 1);
  const items = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? items.at(-1) : undefined;
  await appendAudit(r.ctx, {
    action: 'order.delayed.read',
    targetType: 'order',
    secrecy: Math.max(0, ...items.map((x) => Number(x.customer_secrecy))),
    details: { filter: { customerId: f.customerId ?? null }, rows: items.length },
  });
  return {
    items: await toLines(r, calendar, items),
    nextCursor: last ? encodeCursor([last.due, last.line_id]) : null,
  };
}

const COLUMNS: [string, number][] = [
  ['序号', 6],
  ['订单编号', 16],
  ['客户', 24],
  ['客户订单号', 16],
  ['行号', 6],
  ['料号', 14],
  ['产品', 20],
  ['订购数量', 10],
  ['已交付', 10],
  ['未交数量', 10],
  ['单位', 6],
  ['承诺交期', 12],
  ['逾期工作日', 10],
  ['掉期原因', 30],
  ['新交期', 12],
  ['通知客户人', 10],
  ['通知日期', 12],
  ['通知方式', 8],
  ['登记时间', 18],
  ['密级', 8],
];

function cells(x: DelayedLine, i: number): (string | number)[] {
  return [
    i,
    x.orderNumber,
    x.customer.name,
    x.customerPo ?? '',
    x.lineNo,
    x.partNumber,
    x.product,
    Number(x.quantity),
    Number(x.delivered),
    Number(x.open),
    x.unit,
    x.dueOn,
    x.daysLate,
    x.delay?.reason ?? '',
    x.delay?.newDate ?? '',
    x.delay?.informedBy ?? '',
    x.delay?.informedOn ?? '',
    x.delay?.informedVia ? DELAY_VIA_LABELS[x.delay.informedVia].zh : '',
    x.delay ? formatDateTime(x.delay.createdAt) : '',
    SECRECY_LABELS[x.secrecy].zh,
  ];
}

async function* pages(r: OrderReader, calendar: WorkCalendar, f: Pick<DelayedFilter, 'customerId'>) {
  let after: [string, string] | null = null;
  for (;;) {
    const rows = await page(r, calendar, f, after, 1000);
    if (rows.length) yield await toLines(r, calendar, rows);
    if (rows.length < 1000) return;
    const last = rows.at(-1) as Row;
    after = [last.due, last.line_id];
  }
}

async function begin(ctx: Ctx, f: Pick<DelayedFilter, 'customerId'>, format: 'xlsx' | 'csv') {
  const r = await orderReader(ctx);
  const calendar = await loadCalendar(r.ctx);
  const totals = await delayedLines(r, calendar, f)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max<number>(sql.ref('c.secrecy')).as('s')])
    .executeTakeFirstOrThrow();
  const n = Number(totals.n);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(r.ctx, {
    action: 'order.delayed.export',
    targetType: 'order',
    secrecy: exportSecrecy(r.ctx.actor, f, totals.s),
    details: { rows: n, format, filter: f },
  });
  return { r, calendar };
}

export async function delayedXlsx(ctx: Ctx, f: Pick<DelayedFilter, 'customerId'>): Promise<Readable> {
  const { r, calendar } = await begin(ctx, f, 'xlsx');
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('掉期订单跟踪表');
    sheet.columns = COLUMNS.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let i = 0;
    for await (const p of pages(r, calendar, f)) for (const x of p) sheet.addRow(cells(x, ++i)).commit();
    sheet.commit();
  });
}

export async function delayedCsv(ctx: Ctx, f: Pick<DelayedFilter, 'customerId'>): Promise<Readable> {
  const { r, calendar } = await begin(ctx, f, 'csv');
  let i = 0;
  async function* rows() {
    for await (const p of pages(r, calendar, f)) yield p.map((x) => cells(x, ++i));
  }
  return csvStream(
    COLUMNS.map(([h]) => h),
    rows(),
  );
}

/**
 * The scheduler's daily `order_delay_summary`: on Mondays (Asia/Shanghai) each recipient is told
 * how many delayed lines they can see, and how many became delayed or were reported in the past
 * week — counted with their own visibility, so the message names nothing they may not see.
 */
export async function delaySummaryDaily(ctx: Ctx): Promise<{ sent: number; skipped?: string }> {
  const today = todayInShanghai(ctx.now());
  if (new Date(`${today}T00:00:00Z`).getUTCDay() !== 1) return { sent: 0, skipped: 'not_monday' };
  const settings = await loadOrderSettings(ctx.db);
  const ids = new Set([
    ...(await activeUsersWithRoles(ctx.db, settings.delaySummaryRoles)),
    ...settings.delaySummaryUsers,
  ]);
  const weekAgo = addDays(today, -7);
  let sent = 0;
  for (const id of ids) {
    const actor = await loadActor(ctx.db, id, 'system');
    if (!actor) continue;
    const r = await orderReader({ ...ctx, actor });
    const calendar = await loadCalendar(r.ctx);
    const all = delayedLines(r, calendar, {});
    const count = async (q: typeof all) =>
      Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const total = await count(all);
    const week = await count(
      all.where(
        sql<SqlBool>`((${dueSql} >= ${weekAgo} and ${dueSql} < ${today}) or exists (select 1 from order_delays dw where dw.line_id = l.id and dw.created_at >= ${`${weekAgo}T00:00:00`}))`,
      ),
    );
    if (total === 0) continue;
    await tx(ctx, async (t) => {
      sent += await notify(t, [id], {
        kind: 'order.delay_summary',
        title: `掉期订单周报：本周新增或通报 ${week} 行，当前未完成的掉期订单行共 ${total} 行`,
        body: `截至 ${today}，请查看掉期订单跟踪表并在每日订单评审会议上跟进。`,
        link: '/orders/delayed',
        secrecy: 0,
      });
    });
  }
  return { sent };
}
