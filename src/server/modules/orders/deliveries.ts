import { type RawBuilder, sql } from 'kysely';
import type { DelayVia, HolidayRule } from '../../../common/order-deliveries.js';
import type {
  Delay,
  DelayInput,
  DeliveryInput,
  OrderDeliveries,
} from '../../../common/schemas/order-deliveries.js';
import type { Db } from '../../db/index.js';
import type { OrderDelayTable, OrderDeliveryTable, OrderLineTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { addDays, loadCalendar, type WorkCalendar } from '../../platform/calendar.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { can } from '../../platform/policy/index.js';
import { type OrderReader, orderReader, orderResourceWith } from './access.js';
import { fixed, plain, scaled } from './decimal.js';
import * as repo from './repo.js';
import { auditChange, changing, findVisible, labelOf, ownerIdsOf, stateError, subjectOf } from './service.js';

// Deliveries and delays of order lines (R-K5). A line is due on its promised date (its requested
// date while none is promised, as classify.ts reads it); setting `holidayRule` says whether a
// date on a non-working day of the company calendar counts as given or as the next working day.
// A line is complete once its deliveries add up to the quantity ordered; the delivery that
// completes it dates it. A line not complete is delayed (掉期) once its date has passed, or as
// soon as a delay is recorded for it (predicted to miss it). Only accepted orders are delivered.

const Q = 4; // quantity scale

/** The date a line is due: promised, else requested. */
export const dueOf = (l: Pick<OrderLineTable, 'promised_on' | 'requested_on'>) =>
  l.promised_on ?? l.requested_on;
/** SQL: the due date of the line aliased `l` (matches the index order_lines_due_idx). */
export const dueSql = sql<string>`coalesce(l.promised_on, l.requested_on)`;

/** The date a due date counts as under the holiday rule. */
export function effectiveDue(calendar: WorkCalendar, rule: HolidayRule, due: string): string {
  if (rule === 'as_promised' || calendar.isWorkingDay(due)) return due;
  return calendar.addWorkingDays(due, 1);
}

/**
 * SQL: the effective due date of `due` for due dates within [from, to] — the non-working days of
 * the period mapped to their next working day by the calendar (a few dozen literals a year), so
 * the statistics stay one query on both databases.
 */
export function effectiveDueSql(
  calendar: WorkCalendar,
  rule: HolidayRule,
  from: string,
  to: string,
  due: RawBuilder<string> = dueSql,
): RawBuilder<string> {
  if (rule === 'as_promised') return due;
  const whens: RawBuilder<unknown>[] = [];
  for (let d = from; d <= to; d = addDays(d, 1))
    if (!calendar.isWorkingDay(d))
      whens.push(sql`when ${sql.lit(d)} then ${sql.lit(calendar.addWorkingDays(d, 1))}`);
  if (whens.length === 0) return due;
  return sql<string>`(case ${due} ${sql.join(whens, sql` `)} else ${due} end)`;
}

/**
 * Lines due before this date are late (their effective date has passed): today, or under
 * `next_working_day` the first of the non-working days just before today (a line due on them
 * counts as due today).
 */
export function lateBefore(calendar: WorkCalendar, rule: HolidayRule, today: string): string {
  if (rule === 'as_promised') return today;
  let d = today;
  // Bounded: no run of non-working days is longer than a few weeks (a company shutdown).
  for (let i = 0; i < 90 && !calendar.isWorkingDay(addDays(d, -1)); i++) d = addDays(d, -1);
  return d;
}

export function delayOf(d: OrderDelayTable, names: Map<string, string>): Delay {
  return {
    id: d.id,
    lineId: d.line_id,
    promisedOn: d.promised_on,
    predicted: d.predicted === 1,
    reason: d.reason,
    newDate: d.new_date,
    informedBy: d.informed_by,
    informedOn: d.informed_on,
    informedVia: (d.informed_via as DelayVia | null) ?? null,
    createdAt: d.created_at,
    createdBy: { id: d.created_by, name: names.get(d.created_by) ?? d.created_by },
  };
}

async function deliveriesOf(db: Db, orderId: string): Promise<OrderDeliveryTable[]> {
  return db
    .selectFrom('order_deliveries')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('delivered_on')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Quantity delivered, and the date of the delivery that reached `quantity` (null if none did). */
export function completion(
  quantity: string | number,
  deliveries: readonly Pick<OrderDeliveryTable, 'delivered_on' | 'quantity'>[],
): { delivered: bigint; completedOn: string | null } {
  const need = scaled(quantity, Q);
  let delivered = 0n;
  let completedOn: string | null = null;
  for (const d of [...deliveries].sort((a, b) => a.delivered_on.localeCompare(b.delivered_on))) {
    delivered += scaled(d.quantity, Q);
    if (completedOn === null && delivered >= need) completedOn = d.delivered_on;
  }
  return { delivered, completedOn };
}

/** An order's lines with what was ordered, delivered and is open, their deliveries and delays. */
export async function getDeliveries(ctx: Ctx, orderId: string): Promise<OrderDeliveries> {
  const r = await orderReader(ctx);
  const row = await findVisible(r, orderId);
  const db = r.ctx.db;
  const [lines, deliveries, delays, owners, calendar] = await Promise.all([
    repo.linesOf(db, orderId),
    deliveriesOf(db, orderId),
    db
      .selectFrom('order_delays')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    ownerIdsOf(db, row.customer_id),
    loadCalendar(r.ctx),
  ]);
  const names = await repo.namesOf(db, [
    ...deliveries.map((d) => d.created_by),
    ...delays.map((d) => d.created_by),
  ]);
  const rule = r.settings.holidayRule;
  const may = can(r.ctx.actor, 'order.deliver', orderResourceWith(r, subjectOf(row), owners));
  const accepted = row.status === 'accepted';
  const out: OrderDeliveries = {
    orderId,
    status: row.status,
    lines: lines.map((l) => {
      const mine = deliveries.filter((d) => d.line_id === l.id);
      const lineDelays = delays.filter((d) => d.line_id === l.id);
      const { delivered, completedOn } = completion(l.quantity, mine);
      const due = dueOf(l);
      const eff = effectiveDue(calendar, rule, due);
      const need = scaled(l.quantity, Q);
      const open = need > delivered ? need - delivered : 0n;
      return {
        lineId: l.id,
        lineNo: Number(l.line_no),
        partNumber: l.part_number,
        product: l.product,
        unit: l.unit,
        quantity: plain(l.quantity) ?? '0',
        dueOn: due,
        effectiveDueOn: eff,
        delivered: plain(fixed(delivered, Q)) ?? '0',
        open: plain(fixed(open, Q)) ?? '0',
        completedOn,
        onTime: completedOn ? completedOn <= eff : eff < r.today ? false : null,
        delayed: accepted && !completedOn && (eff < r.today || lineDelays.length > 0),
        deliveries: mine.map((d) => ({
          id: d.id,
          lineId: d.line_id,
          deliveredOn: d.delivered_on,
          quantity: plain(d.quantity) ?? '0',
          deliveryNoteNo: d.delivery_note_no,
          remarks: d.remarks,
          createdAt: d.created_at,
          createdBy: { id: d.created_by, name: names.get(d.created_by) ?? d.created_by },
        })),
        delays: lineDelays.map((d) => delayOf(d, names)),
      };
    }),
    can: { deliver: accepted && may, delay: accepted && may },
  };
  await auditRead(r, row, 'order.deliveries.read');
  return out;
}

async function auditRead(r: OrderReader, row: repo.OrderRow, action: string) {
  await appendAudit(r.ctx, {
    action,
    targetType: 'order',
    targetId: row.id,
    targetLabel: labelOf(row),
    secrecy: Number(row.customer_secrecy),
  });
}

/** The line of an accepted order, in the change's transaction (404 when not on the order). */
async function lineOf(t: TxCtx, row: repo.OrderRow, lineId: string): Promise<OrderLineTable> {
  if (row.status !== 'accepted') throw stateError(row.status);
  const line = await t.db
    .selectFrom('order_lines')
    .selectAll()
    .where('id', '=', lineId)
    .where('order_id', '=', row.id)
    .executeTakeFirst();
  if (!line) throw notFound();
  return line;
}

/**
 * Checks a delivery against the line (date not after today nor before the order was received; not
 * beyond the quantity ordered
 * unless over-delivery is allowed) and writes it with its history and audit entry.
 */
export async function writeDelivery(
  r: OrderReader,
  t: TxCtx,
  row: repo.OrderRow,
  line: OrderLineTable,
  input: DeliveryInput,
  how: 'form' | 'import',
): Promise<string> {
  if (input.deliveredOn > r.today)
    throw new DomainError('order_delivery_future', 400, { today: r.today }, 'deliveredOn');
  // Nothing is delivered against an order before it was received (a typo in the year, usually).
  if (input.deliveredOn < row.received_on)
    throw new DomainError('order_delivery_early', 400, { receivedOn: row.received_on }, 'deliveredOn');
  const before = await t.db
    .selectFrom('order_deliveries')
    .select(['delivered_on', 'quantity'])
    .where('line_id', '=', line.id)
    .execute();
  const { delivered } = completion(line.quantity, before);
  const quantity = scaled(input.quantity, Q);
  if (delivered + quantity > scaled(line.quantity, Q) && !input.allowOverDelivery)
    throw new DomainError(
      'order_over_delivery',
      400,
      {
        lineNo: line.line_no,
        ordered: plain(line.quantity),
        delivered: plain(fixed(delivered, Q)),
        quantity: plain(input.quantity),
      },
      'quantity',
    );
  const id = newId();
  await t.db
    .insertInto('order_deliveries')
    .values({
      id,
      order_id: row.id,
      line_id: line.id,
      delivered_on: input.deliveredOn,
      quantity: plain(input.quantity) ?? '0',
      delivery_note_no: input.deliveryNoteNo ?? null,
      remarks: input.remarks ?? null,
      created_at: nowIso(t),
      created_by: r.ctx.actor.id,
    })
    .execute();
  const text = `第 ${line.line_no} 行 ${input.deliveredOn} 交付 ${plain(input.quantity)}${line.unit}${
    input.deliveryNoteNo ? `（送货单 ${input.deliveryNoteNo}）` : ''
  }`;
  await repo.writeHistory(t, row.id, [
    { field: 'delivery', oldValue: null, newValue: text, note: how === 'import' ? 'Excel 导入' : null },
  ]);
  await auditChange(t, row, 'order.delivery', {
    deliveryId: id,
    lineNo: line.line_no,
    deliveredOn: input.deliveredOn,
    quantity: plain(input.quantity),
    deliveryNoteNo: input.deliveryNoteNo ?? null,
    overDelivery: delivered + quantity > scaled(line.quantity, Q),
    via: how,
  });
  return id;
}

export async function recordDelivery(
  ctx: Ctx,
  orderId: string,
  input: DeliveryInput,
): Promise<OrderDeliveries> {
  const r = await orderReader(ctx);
  await tx(r.ctx, async (t) => {
    const row = await changing(r, t, orderId, 'order.deliver');
    const line = await lineOf(t, row, input.lineId);
    await writeDelivery(r, t, row, line, input, 'form');
  });
  return getDeliveries(ctx, orderId);
}

/** Removes a wrong entry; the history and the audit trail keep what it said. */
export async function deleteDelivery(
  ctx: Ctx,
  orderId: string,
  deliveryId: string,
): Promise<OrderDeliveries> {
  const r = await orderReader(ctx);
  await tx(r.ctx, async (t) => {
    const row = await changing(r, t, orderId, 'order.deliver');
    const d = await t.db
      .selectFrom('order_deliveries as d')
      .innerJoin('order_lines as l', 'l.id', 'd.line_id')
      .selectAll('d')
      .select(['l.line_no', 'l.unit'])
      .where('d.id', '=', deliveryId)
      .where('d.order_id', '=', orderId)
      .executeTakeFirst();
    if (!d) throw notFound();
    await t.db.deleteFrom('order_deliveries').where('id', '=', deliveryId).execute();
    const text = `第 ${d.line_no} 行 ${d.delivered_on} 交付 ${plain(d.quantity)}${d.unit}${
      d.delivery_note_no ? `（送货单 ${d.delivery_note_no}）` : ''
    }`;
    await repo.writeHistory(t, row.id, [
      { field: 'delivery', oldValue: text, newValue: null, note: '删除错误记录' },
    ]);
    await auditChange(t, row, 'order.delivery.delete', {
      deliveryId,
      lineNo: d.line_no,
      deliveredOn: d.delivered_on,
      quantity: plain(d.quantity),
      deliveryNoteNo: d.delivery_note_no,
      createdBy: d.created_by,
      createdAt: d.created_at,
    });
  });
  return getDeliveries(ctx, orderId);
}

/** Records a delay (掉期) of a line: reason, new date, who told the customer, when and how. */
export async function recordDelay(ctx: Ctx, orderId: string, input: DelayInput): Promise<OrderDeliveries> {
  const r = await orderReader(ctx);
  await tx(r.ctx, async (t) => {
    const row = await changing(r, t, orderId, 'order.deliver');
    const line = await lineOf(t, row, input.lineId);
    const due = dueOf(line);
    // A delay moves the date later, on a line with something left to deliver.
    if (input.newDate <= due) throw new DomainError('order_delay_date', 400, { dueOn: due }, 'newDate');
    const before = await t.db
      .selectFrom('order_deliveries')
      .select(['delivered_on', 'quantity'])
      .where('line_id', '=', line.id)
      .execute();
    const done = completion(line.quantity, before).completedOn;
    if (done) throw new DomainError('order_delay_complete', 409, { lineNo: line.line_no, completedOn: done });
    const calendar = await loadCalendar(t);
    const predicted = effectiveDue(calendar, r.settings.holidayRule, due) >= r.today;
    await t.db
      .insertInto('order_delays')
      .values({
        id: newId(),
        order_id: row.id,
        line_id: line.id,
        promised_on: due,
        predicted: predicted ? 1 : 0,
        reason: input.reason,
        new_date: input.newDate,
        informed_by: input.informedBy ?? null,
        informed_on: input.informedOn ?? null,
        informed_via: input.informedVia ?? null,
        created_at: nowIso(t),
        created_by: r.ctx.actor.id,
      })
      .execute();
    await repo.writeHistory(t, row.id, [
      {
        field: 'delay',
        oldValue: due,
        newValue: input.newDate,
        note: `第 ${line.line_no} 行${predicted ? '预计' : ''}掉期：${input.reason}`,
      },
    ]);
    await auditChange(t, row, 'order.delay', {
      lineNo: line.line_no,
      dueOn: due,
      newDate: input.newDate,
      predicted,
      reason: input.reason,
      informedBy: input.informedBy ?? null,
      informedOn: input.informedOn ?? null,
      informedVia: input.informedVia ?? null,
    });
  });
  return getDeliveries(ctx, orderId);
}
