import { sql } from 'kysely';
import type { Composition, CompositionQuery } from '../../../common/schemas/analysis.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { loadLookups } from '../customers/config.js';
import { fixed, scaled } from '../orders/decimal.js';
import type { ReadOptions } from './abc.js';
import { percent } from './abc.js';
import {
  ANALYSED_STATUSES,
  type AnalysisReader,
  analysisReader,
  checkPeriod,
  salesFacts,
  visibleCustomer,
} from './reader.js';

// Composition (R-A2): the period's sales by customer category, product, region, salesperson or
// customer, each as a share of the whole, over the archives the reader sees; a drill-down filter
// (a category, a product, a region, a salesperson) narrows the sales first. A customer's sales
// count for its first salesperson (the archive's earliest owner), so that the shares add up to
// the whole. Sums per customer (or per product) come from one grouped scan; the breakdown by
// customer facts is then done on those sums.

const MAX_ROWS = 30;

type Sum = {
  key: string | null;
  label: string | null;
  cents: bigint;
  customers: Set<string> | number;
  secrecy: number;
};

/** The earliest owner of the archive `c` (its salesperson for the composition). */
const firstOwner = sql<
  string | null
>`(select o.user_id from customer_owners o where o.customer_id = c.id order by o.assigned_at, o.user_id limit 1)`;

async function sums(r: AnalysisReader, q: CompositionQuery): Promise<Sum[]> {
  const db = r.ctx.db;
  // Summed per archive (and product) first, then joined to the archives: the visibility test and
  // the salesperson run once per archive, not once per ledger row.
  let facts = db.selectFrom(salesFacts(r, q.from, q.to));
  if (q.product) facts = facts.where('f.product_code', '=', q.product);
  const agg =
    q.dimension === 'product'
      ? facts
          .groupBy(['f.customer_id', 'f.product_code'])
          .select([
            'f.customer_id as customer_id',
            'f.product_code as product_code',
            sql<string | null>`max(f.product_name)`.as('product_name'),
            sql<string | number>`sum(f.amount)`.as('total'),
          ])
      : facts
          .groupBy('f.customer_id')
          .select([
            'f.customer_id as customer_id',
            sql<string>`''`.as('product_code'),
            sql<string | null>`null`.as('product_name'),
            sql<string | number>`sum(f.amount)`.as('total'),
          ]);
  let base = db
    .selectFrom(agg.as('t'))
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .where(visibleCustomer(r) as never)
    .where('c.status', 'in', ANALYSED_STATUSES);
  if (q.category) base = base.where('c.category', '=', q.category);
  if (q.region !== undefined)
    base = q.region ? base.where('c.region', '=', q.region) : base.where('c.region', 'is', null);
  if (q.salesperson) base = base.where(sql<boolean>`${firstOwner} = ${q.salesperson}`);
  if (q.dimension === 'product') {
    const rows = await base
      .groupBy('t.product_code')
      .select([
        't.product_code as key',
        sql<string | null>`max(t.product_name)`.as('label'),
        sql<string | number>`sum(t.total)`.as('total'),
        sql<number>`count(*)`.as('customers'),
        sql<number>`max(c.secrecy)`.as('secrecy'),
      ])
      .execute();
    return rows.map((x) => ({
      key: x.key,
      label: x.label ? `${x.key} ${x.label}` : x.key,
      cents: scaled(x.total ?? 0, 2),
      customers: Number(x.customers),
      secrecy: Number(x.secrecy ?? 0),
    }));
  }
  const perCustomer = await base
    .select([
      'c.id as id',
      'c.secrecy as secrecy',
      'c.name as name',
      'c.category as category',
      'c.region as region',
      firstOwner.as('owner'),
      't.total as total',
    ])
    .execute();
  const by = new Map<string, Sum>();
  for (const x of perCustomer) {
    const key =
      q.dimension === 'category'
        ? x.category
        : q.dimension === 'region'
          ? (x.region ?? '')
          : q.dimension === 'salesperson'
            ? (x.owner ?? '')
            : x.id;
    const s = by.get(key) ?? {
      key,
      label: q.dimension === 'customer' ? x.name : null,
      cents: 0n,
      customers: new Set(),
      secrecy: 0,
    };
    s.cents += scaled(x.total ?? 0, 2);
    s.secrecy = Math.max(s.secrecy, Number(x.secrecy));
    (s.customers as Set<string>).add(x.id);
    by.set(key, s);
  }
  return [...by.values()];
}

async function labels(r: AnalysisReader, q: CompositionQuery, rows: Sum[]): Promise<void> {
  const en = r.ctx.lang === 'en';
  if (q.dimension === 'category') {
    const lookups = (await loadLookups(r.ctx.db)).filter((l) => l.list === 'category');
    for (const x of rows) {
      const l = lookups.find((y) => y.code === x.key);
      x.label = l ? (en ? (l.labelEn ?? l.label) : l.label) : (x.key ?? '');
    }
  } else if (q.dimension === 'region') {
    for (const x of rows) x.label = x.key || (en ? '(no region)' : '（未填地区）');
  } else if (q.dimension === 'salesperson') {
    const ids = rows.map((x) => x.key).filter((k): k is string => !!k);
    const users = ids.length
      ? await r.ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
      : [];
    for (const x of rows)
      x.label = users.find((u) => u.id === x.key)?.name ?? (en ? '(no salesperson)' : '（无业务员）');
  }
}

export async function composition(
  ctx: Ctx,
  q: CompositionQuery,
  opts: ReadOptions = {},
): Promise<Composition> {
  const r = await analysisReader(ctx);
  checkPeriod(q.from, q.to);
  // Groups whose returns exceed their sales are left out: a share below 0 or above 100 % is no
  // composition (ABC grades such customers C for the same reason).
  const all = (await sums(r, q)).filter((x) => x.cents > 0n);
  all.sort((a, b) =>
    b.cents > a.cents ? 1 : b.cents < a.cents ? -1 : String(a.key).localeCompare(String(b.key)),
  );
  const grand = all.reduce((s, x) => s + x.cents, 0n);
  const shown = all.length > MAX_ROWS ? all.slice(0, MAX_ROWS - 1) : all;
  if (all.length > MAX_ROWS) {
    const rest = all.slice(MAX_ROWS - 1);
    shown.push({
      key: null,
      label: r.ctx.lang === 'en' ? `Others (${rest.length})` : `其他（${rest.length} 项）`,
      cents: rest.reduce((s, x) => s + x.cents, 0n),
      customers: rest.reduce(
        (n, x) => n + (typeof x.customers === 'number' ? x.customers : x.customers.size),
        0,
      ),
      secrecy: rest.reduce((m, x) => Math.max(m, x.secrecy), 0),
    });
  }
  await labels(r, q, shown);
  await appendAudit(r.ctx, {
    action: opts.action ?? 'analysis.read',
    targetType: 'analysis',
    targetLabel: 'composition',
    secrecy: all.reduce((m, x) => Math.max(m, x.secrecy), 0),
    details: { analysis: 'composition', ...q },
  });
  return {
    from: q.from,
    to: q.to,
    dimension: q.dimension,
    total: r.pricesVisible ? fixed(grand, 2) : null,
    rows: shown.map((x) => ({
      key: x.key,
      label: x.label ?? '',
      amount: r.pricesVisible ? fixed(x.cents, 2) : null,
      share: percent(x.cents, grand),
      customers: typeof x.customers === 'number' ? x.customers : x.customers.size,
    })),
    pricesVisible: r.pricesVisible,
  };
}
