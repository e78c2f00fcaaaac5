import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import { scaled } from '../orders/decimal.js';
import {
  ANALYSED_STATUSES,
  type AnalysisReader,
  analysisReader,
  salesFacts,
  visibleCustomer,
} from './reader.js';

// The sales of a period by the archives' current grade (A/B/C, '' for none), over the archives
// the reader sees — of one salesperson's archives when `ownerId` is given — for the dashboard's
// "sales by grade" (R-A1): whether the A customers still carry the sales the grade says.

//
// The home page asks on every visit, and a year of a large ledger takes a second to sum; sales
// change with an import and grades with an ABC run. So the answer is kept per reader (and
// clearance) and query for at most five minutes, and forgotten at once when this process imports
// sales, applies grades or merges archives (`forgetSales`).

const KEEP_MS = 5 * 60_000;
const kept = new Map<string, { at: number; value: Map<string, bigint> }>();

export function forgetSales(): void {
  kept.clear();
}

export async function salesByGrade(
  ctx: Ctx,
  q: { from: string; to: string; ownerId?: string },
): Promise<Map<string, bigint>> {
  const r = await analysisReader(ctx);
  const key = JSON.stringify([r.ctx.actor.id, r.ctx.actor.clearance, r.settings.salesSource, q]);
  const now = r.ctx.now().getTime();
  const hit = kept.get(key);
  if (hit && now - hit.at < KEEP_MS) return hit.value;
  const value = await sumByGrade(r, q);
  if (kept.size > 1000) kept.clear();
  kept.set(key, { at: now, value });
  return value;
}

async function sumByGrade(
  r: AnalysisReader,
  q: { from: string; to: string; ownerId?: string },
): Promise<Map<string, bigint>> {
  const perCustomer = r.ctx.db
    .selectFrom(salesFacts(r, q.from, q.to))
    .groupBy('f.customer_id')
    .select(['f.customer_id as customer_id', sql<string | number>`sum(f.amount)`.as('total')])
    .as('t');
  let rows = r.ctx.db
    .selectFrom(perCustomer)
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .where(visibleCustomer(r) as never)
    .where('c.status', 'in', ANALYSED_STATUSES)
    .groupBy('c.grade')
    .select([sql<string>`coalesce(c.grade, '')`.as('grade'), sql<string | number>`sum(t.total)`.as('total')]);
  if (q.ownerId) {
    const ownerId = q.ownerId;
    rows = rows.where((eb) =>
      eb.exists(
        eb
          .selectFrom('customer_owners as o')
          .select(sql`1`.as('one'))
          .whereRef('o.customer_id', '=', 'c.id')
          .where('o.user_id', '=', ownerId),
      ),
    );
  }
  return new Map((await rows.execute()).map((x) => [x.grade, scaled(x.total ?? 0, 2)]));
}
