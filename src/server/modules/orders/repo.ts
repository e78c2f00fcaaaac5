import { sql } from 'kysely';
import { departmentCodeKey, sameDepartmentCode } from '../../../common/departments.js';
import { ORDER_STATUS_LABELS, type OrderStatus } from '../../../common/orders.js';
import type { Db } from '../../db/index.js';
import type { OrderLineTable, OrderTable } from '../../db/types.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';

// The SQL of orders; no rules here. An order row comes with its archive and the counts a list
// shows as sub-selects, so a page of the list is one query.

/** Orders (aliased `o`) with their customer archive (aliased `c`). */
export function ordersFrom(db: Db) {
  return db.selectFrom('orders as o').innerJoin('customers as c', 'c.id', 'o.customer_id');
}
export type OrderQuery = ReturnType<typeof ordersFrom>;

/** Reviews asked and not yet given, of the order aliased `o`. */
export const openReviewsSql = sql<number>`(select count(*) from order_reviews ow where ow.order_id = o.id and ow.decision is null)`;
const lineCountSql = sql<number>`(select count(*) from order_lines ol where ol.order_id = o.id)`;

export function withDetails(q: OrderQuery) {
  return q
    .leftJoin('users as uc', 'uc.id', 'o.created_by')
    .selectAll('o')
    .select([
      'c.name as customer_name',
      'c.archive_code as customer_code',
      'c.secrecy as customer_secrecy',
      'c.department_id as customer_department_id',
      'c.status as customer_status',
      'uc.name as created_by_name',
      openReviewsSql.as('open_reviews'),
      lineCountSql.as('line_count'),
    ]);
}

export type OrderRow = OrderTable & {
  customer_name: string;
  customer_code: string;
  customer_secrecy: number;
  customer_department_id: string;
  customer_status: string;
  created_by_name: string | null;
  open_reviews: number | string;
  line_count: number | string;
};

export async function linesOf(db: Db, orderId: string): Promise<OrderLineTable[]> {
  return db
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();
}

export async function reviewsOf(db: Db, orderId: string) {
  return db
    .selectFrom('order_reviews as v')
    .innerJoin('departments as d', 'd.id', 'v.department_id')
    .selectAll('v')
    .select(['d.name as department_name', 'd.sort_order as department_sort'])
    .where('v.order_id', '=', orderId)
    .orderBy('d.sort_order')
    .orderBy('d.name')
    .execute();
}

export interface HistoryEntry {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  note?: string | null;
}

/** Field-by-field history of an order, written in the change's transaction. */
export async function writeHistory(t: TxCtx, orderId: string, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = nowIso(t);
  await t.db
    .insertInto('order_history')
    .values(
      entries.map((e) => ({
        id: newId(),
        order_id: orderId,
        at,
        actor_id: t.actor?.id ?? null,
        actor_name: t.actor?.name ?? null,
        field: e.field,
        old_value: e.oldValue,
        new_value: e.newValue,
        note: e.note ?? null,
      })),
    )
    .execute();
}

export const statusText = (s: string | null) => (s ? (ORDER_STATUS_LABELS[s as OrderStatus]?.zh ?? s) : null);

/** Names of people, one query. */
export async function namesOf(
  db: Db,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 500)
    for (const u of await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', unique.slice(i, i + 500))
      .execute())
      out.set(u.id, u.name);
  return out;
}

/** Active departments by code. Codes compare without case (common/departments.ts): the
 * departments API stores them in upper case (PMC) while the settings name them as typed (pmc). */
export async function departmentsByCode(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'code'])
    .where((eb) => eb(eb.fn('upper', ['code']), 'in', codes.map(departmentCodeKey)))
    .where('active', '=', 1)
    .execute();
}

/** Part numbers among `parts` that an accepted order of the customer (other than `exceptOrderId`)
 * already carried: repeat products (R-K1). */
export async function partsOrderedBefore(
  db: Db,
  customerId: string,
  parts: readonly string[],
  exceptOrderId: string | null,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < parts.length; i += 500) {
    let q = db
      .selectFrom('order_lines as l')
      .innerJoin('orders as po', 'po.id', 'l.order_id')
      .select('l.part_number')
      .distinct()
      .where('po.customer_id', '=', customerId)
      .where('po.status', '=', 'accepted')
      .where('l.part_number', 'in', parts.slice(i, i + 500));
    if (exceptOrderId) q = q.where('po.id', '!=', exceptOrderId);
    for (const r of await q.execute()) out.add(r.part_number);
  }
  return out;
}

/** Two department codes name the same department: common/departments.ts, kept under this name for
 * the module's callers. */
export const sameCode = sameDepartmentCode;
