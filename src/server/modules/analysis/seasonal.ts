import { sql } from 'kysely';
import type { Seasonal, SeasonalQuery } from '../../../common/schemas/analysis.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { seesAllCustomers } from '../../platform/policy/records.js';
import { fixed, scaled } from '../orders/decimal.js';
import type { ReadOptions } from './abc.js';
import { ANALYSED_STATUSES, analysisReader, salesFacts, visibleCustomer } from './reader.js';

// Seasonal index (R-A3): from the monthly sales of three years (by default the last three whole
// years), each calendar month's average over the years ÷ the average of all months × 100 %.
// A monthly target is the annual target × that month's share of the years' sales (its index ÷
// 1200), to the cent. A month without sales counts as 0: a quiet month is part of the season.

export async function seasonalIndex(ctx: Ctx, q: SeasonalQuery, opts: ReadOptions = {}): Promise<Seasonal> {
  const r = await analysisReader(ctx);
  const last = q.year ?? Number(todayInShanghai(r.ctx.now()).slice(0, 4)) - 1;
  const years = Array.from({ length: q.years }, (_, i) => last - q.years + 1 + i);
  // Joined row by row and grouped by month (36 groups): summing per archive and month first
  // would sort as many groups as there are rows in a ledger of monthly totals.
  // A reader who sees part of the archives: the visible archives are found once (an IN list the
  // database builds first), not tested again on each of the period's rows.
  const db = r.ctx.db;
  let base = db
    .selectFrom(salesFacts(r, `${years[0]}-01`, `${last}-12`))
    .innerJoin('customers as c', 'c.id', 'f.customer_id')
    .where('c.status', 'in', ANALYSED_STATUSES)
    .where(
      (seesAllCustomers(r.ctx.actor)
        ? visibleCustomer(r)
        : sql<boolean>`f.customer_id in (${db
            .selectFrom('customers as c')
            .select('c.id')
            .where(visibleCustomer(r) as never)})`) as never,
    );
  if (q.category) base = base.where('c.category', '=', q.category);
  if (q.product) base = base.where('f.product_code', '=', q.product);
  const rows = await base
    .groupBy('f.month')
    .select([
      'f.month as month',
      sql<string | number>`sum(f.amount)`.as('total'),
      sql<number>`max(c.secrecy)`.as('secrecy'),
    ])
    .execute();
  const cents = new Map(rows.map((x) => [x.month, scaled(x.total ?? 0, 2)]));
  const monthSum = (m: number) =>
    years.reduce((s, y) => s + (cents.get(`${y}-${String(m).padStart(2, '0')}`) ?? 0n), 0n);
  const grand = Array.from({ length: 12 }, (_, i) => monthSum(i + 1)).reduce((s, v) => s + v, 0n);
  const n = BigInt(years.length);
  const money = (v: bigint) => (r.pricesVisible ? fixed(v, 2) : null);
  // Averages to the cent, half up: sum ÷ years, and grand ÷ (12 × years).
  const avg = (sum: bigint, by: bigint) => (sum * 2n + by) / (2n * by);
  const target = q.target ? scaled(q.target, 2) : null;
  const months = Array.from({ length: 12 }, (_, i) => {
    const m = i + 1;
    const sum = monthSum(m);
    return {
      month: m,
      byYear: years.map((y) => money(cents.get(`${y}-${String(m).padStart(2, '0')}`) ?? 0n)),
      average: money(avg(sum, n)),
      // index = (sum ÷ n) ÷ (grand ÷ 12n) × 100 = sum × 1200 ÷ grand; in hundredths, half up.
      index: grand > 0n ? Number(avg(sum * 120_000n, grand)) / 100 : null,
      target: target !== null && grand > 0n ? fixed(avg(target * sum, grand), 2) : null,
    };
  });
  await appendAudit(r.ctx, {
    action: opts.action ?? 'analysis.read',
    targetType: 'analysis',
    targetLabel: 'seasonal',
    secrecy: rows.reduce((m, x) => Math.max(m, Number(x.secrecy ?? 0)), 0),
    details: { analysis: 'seasonal', years, category: q.category ?? null, product: q.product ?? null },
  });
  return {
    years,
    category: q.category ?? null,
    product: q.product ?? null,
    months,
    overallAverage: money(avg(grand, 12n * n)),
    pricesVisible: r.pricesVisible,
  };
}
