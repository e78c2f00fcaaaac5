import { sql } from 'kysely';
import type { ProductAnalysis } from '../../../common/schemas/analysis.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { fixed, scaled } from '../orders/decimal.js';
import type { ReadOptions } from './abc.js';
import { ANALYSED_STATUSES, analysisReader, checkPeriod, salesFacts, visibleCustomer } from './reader.js';

// Product contribution (R-A5), per product over a period: turnover = sales ÷ average stock (the
// mean of the imported month-end stock amounts in the period), cross ratio = gross margin rate ×
// turnover (交叉比率), contribution = cross ratio × the product's share of sales. Sales are those
// of the archives the reader sees; stock is the company's. Ratios to four decimals.

const ratio = (num: bigint, den: bigint): number | null =>
  den === 0n ? null : Number((num * 20_000n + den) / (2n * den)) / 10_000;

export async function productAnalysis(
  ctx: Ctx,
  q: { from: string; to: string },
  opts: ReadOptions = {},
): Promise<ProductAnalysis> {
  const r = await analysisReader(ctx);
  checkPeriod(q.from, q.to);
  // Per archive and product first, then the archives' visibility once per archive and product.
  const perCustomer = r.ctx.db
    .selectFrom(salesFacts(r, q.from, q.to))
    .groupBy(['f.customer_id', 'f.product_code'])
    .select([
      'f.customer_id as customer_id',
      'f.product_code as product_code',
      sql<string | null>`max(f.product_name)`.as('product_name'),
      sql<string | number>`sum(f.amount)`.as('sales'),
      sql<string | number | null>`sum(f.margin)`.as('margin'),
    ])
    .as('t');
  const sales = await r.ctx.db
    .selectFrom(perCustomer)
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .where(visibleCustomer(r) as never)
    .where('c.status', 'in', ANALYSED_STATUSES)
    .groupBy('t.product_code')
    .select([
      't.product_code as code',
      sql<string | null>`max(t.product_name)`.as('name'),
      sql<string | number>`sum(t.sales)`.as('sales'),
      sql<string | number | null>`sum(t.margin)`.as('margin'),
      sql<number>`max(c.secrecy)`.as('secrecy'),
    ])
    .execute();
  const stock = await r.ctx.db
    .selectFrom('stock_levels')
    .where('month', '>=', q.from)
    .where('month', '<=', q.to)
    .groupBy('product_code')
    .select([
      'product_code as code',
      sql<string | number>`sum(amount)`.as('total'),
      sql<number>`count(*)`.as('months'),
    ])
    .execute();
  const stockOf = new Map(
    stock.map((s) => [s.code, { total: scaled(s.total ?? 0, 2), months: BigInt(s.months) }]),
  );
  const grand = sales.reduce((s, x) => s + scaled(x.sales ?? 0, 2), 0n);
  const money = (v: bigint | null) => (v === null || !r.pricesVisible ? null : fixed(v, 2));
  const rows = sales
    .map((x) => {
      const cents = scaled(x.sales ?? 0, 2);
      const margin = x.margin === null ? null : scaled(x.margin, 2);
      const s = stockOf.get(x.code);
      // The average stock to the cent, half up.
      const average = s && s.months > 0n ? (s.total * 2n + s.months) / (2n * s.months) : null;
      const marginRate = margin === null ? null : ratio(margin, cents);
      const turnover = average === null ? null : ratio(cents, average);
      const crossRatio =
        marginRate === null || turnover === null ? null : Math.round(marginRate * turnover * 10_000) / 10_000;
      const share = ratio(cents, grand) ?? 0;
      // Without prices, ratios would give the amounts back (sales = turnover × a stock someone
      // knows): only the share is shown.
      if (!r.pricesVisible)
        return {
          productCode: x.code,
          productName: x.name,
          sales: null,
          grossMargin: null,
          marginRate: null,
          averageStock: null,
          turnover: null,
          crossRatio: null,
          share,
          contribution: null,
          cents,
        };
      return {
        productCode: x.code,
        productName: x.name,
        sales: money(cents),
        grossMargin: money(margin),
        marginRate,
        averageStock: money(average),
        turnover,
        crossRatio,
        share,
        contribution: crossRatio === null ? null : Math.round(crossRatio * share * 10_000) / 10_000,
        cents,
      };
    })
    .sort((a, b) => (b.contribution ?? -1) - (a.contribution ?? -1) || (b.cents > a.cents ? 1 : -1));
  await appendAudit(r.ctx, {
    action: opts.action ?? 'analysis.read',
    targetType: 'analysis',
    targetLabel: 'products',
    secrecy: sales.reduce((m, x) => Math.max(m, Number(x.secrecy ?? 0)), 0),
    details: { analysis: 'products', from: q.from, to: q.to },
  });
  return { from: q.from, to: q.to, rows: rows.map(({ cents: _cents, ...x }) => x) };
}
