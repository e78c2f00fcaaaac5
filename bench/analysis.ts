// Customer analysis at scale (R-A1 … R-A3, R-A5): C customer archives (default 100,000) in two
// departments and four secrecy levels, each with a sales ledger row per month for 36 months
// (3.6 million rows by default; a product of fifty each, amounts skewed so that a few customers
// buy most), and stock levels of the fifty products. Then through HTTP (app.inject), p50/p95, for
// the general manager (sees every archive, 绝密) and a sales department manager (his department,
// 秘密): ABC over a year and over three years, the seasonal index of three years, the composition
// by category and by product, product contribution, and the home page's dashboard — next to the
// plain aggregate on the database.
//
//   npx tsx bench/analysis.ts                          100,000 customers × 36 months on SQLite
//   npx tsx bench/analysis.ts --customers 500 --samples 3   the tiny run CI does
//   npx tsx bench/analysis.ts --pg postgres://postgres@127.0.0.1:5432/postgres
//   npx tsx bench/analysis.ts --customers 1000000 --months 1 --only dashboard
//                                                      the home page at a million archives
//
// Results are printed and written to bench/out/analysis-<db>-<n>.json.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { SalesRecordTable } from '../src/server/db/types.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { signIn } from '../src/server/test-support/app.js';
import {
  benchUser,
  customerRow,
  departmentsWithStaff,
  generator,
  type Measured,
  measure,
  openBench,
  PASSWORD,
  writeResults,
} from './support.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    months: { type: 'string', default: '36' },
    pg: { type: 'string' },
    samples: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    data: { type: 'string' },
    only: { type: 'string' },
    reader: { type: 'string' },
  },
});
const CUSTOMERS = Number(args.customers);
const MONTHS = Number(args.months);
const SAMPLES = Number(args.samples);
const { random, pick, weighted } = generator(20261207);
const DEPARTMENTS = [
  ['销售部', 'XS', 5],
  ['华南销售部', 'HN', 5],
] as const;
const CATEGORIES = ['key', 'general', 'target', 'potential'];
const PRODUCTS = Array.from({ length: 50 }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);

// The last MONTHS whole months up to last month.
const now = new Date();
const monthAt = (back: number) => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const MONTH_LIST = Array.from({ length: MONTHS }, (_, i) => monthAt(MONTHS - i));
const lastMonth = MONTH_LIST.at(-1) as string;
const yearFrom = MONTH_LIST.at(-12) ?? MONTH_LIST[0];
const lastYear = Number(lastMonth.slice(0, 4)) - (lastMonth.endsWith('-12') ? 0 : 1);

const bench = await openBench('analysis', { pg: args.pg, data: args.data });
const { db, database } = bench;
console.log(
  `Kedang analysis benchmark: ${CUSTOMERS.toLocaleString()} customers × ${MONTHS} months = ${(CUSTOMERS * MONTHS).toLocaleString()} sales rows on ${database.dialect}`,
);

async function generate(): Promise<number> {
  const departments = await departmentsWithStaff(bench, DEPARTMENTS, 1);
  const sales = departments[0] as (typeof departments)[number];
  await benchUser(bench, 'gm', '总经理', sales.id, ['general_manager'], 'top_secret');
  await benchUser(bench, 'mgr', '销售部经理', sales.id, ['department_manager'], 'secret');
  const start = performance.now();
  const nowIso = now.toISOString();
  const importId = 'bench-import';
  await db
    .insertInto('sales_imports')
    .values({
      id: importId,
      kind: 'sales',
      file_name: 'bench.xlsx',
      month_from: MONTH_LIST[0] as string,
      month_to: lastMonth,
      rows: CUSTOMERS * MONTHS,
      replaced: 0,
      job_id: null,
      created_at: nowIso,
      created_by: SYSTEM_ACTOR.id,
    })
    .execute();
  const ids: string[] = [];
  for (let from = 0; from < CUSTOMERS; from += 500) {
    const rows = [];
    for (let i = from; i < Math.min(CUSTOMERS, from + 500); i++) {
      const row = customerRow(
        i,
        `分析客户${i}有限公司`,
        (i % 2 ? departments[1] : sales)?.id as string,
        weighted([
          [0, 950],
          [1, 30],
          [2, 15],
          [3, 5],
        ]),
        nowIso,
      );
      row.category = pick(CATEGORIES);
      row.region = pick(['江苏', '浙江', '广东', '山东']);
      ids.push(row.id);
      rows.push(row);
    }
    await db.insertInto('customers').values(rows).execute();
  }
  // Ten columns a row: 3,000 rows a statement stay under SQLite's 32,766 parameters.
  let batch: SalesRecordTable[] = [];
  let n = 0;
  const flush = async () => {
    if (batch.length) await db.insertInto('sales_records').values(batch).execute();
    batch = [];
  };
  for (const [i, customer] of ids.entries()) {
    const size = 1000 * (1 / (1 + i / 50)) + random() * 50;
    for (const [m, month] of MONTH_LIST.entries()) {
      const season = 1 + 0.3 * Math.sin(((m % 12) / 12) * 2 * Math.PI);
      const amount = (size * season * (0.5 + random())).toFixed(2);
      batch.push({
        id: `s${n++}`,
        customer_id: customer,
        month,
        sold_on: null,
        product_code: pick(PRODUCTS),
        product_name: null,
        quantity: null,
        amount,
        gross_margin: (Number(amount) * 0.25).toFixed(2),
        import_id: importId,
      });
      if (batch.length === 3000) await flush();
    }
  }
  await flush();
  for (const product of PRODUCTS)
    await db
      .insertInto('stock_levels')
      .values(
        MONTH_LIST.map((month) => ({
          product_code: product,
          month,
          product_name: null,
          quantity: null,
          amount: (10_000 + random() * 5_000).toFixed(2),
          import_id: importId,
        })),
      )
      .execute();
  if (database.dialect === 'postgres') await sql`analyze`.execute(db);
  else await sql`analyze`.execute(db);
  return (performance.now() - start) / 1000;
}

const writeSeconds = bench.reuse ? null : await generate();
if (writeSeconds !== null) console.log(`written in ${writeSeconds.toFixed(1)} s`);
const gm = await signIn(bench.app, 'gm', PASSWORD);
const mgr = await signIn(bench.app, 'mgr', PASSWORD);

const sum = (from: string, to: string, group: string) => () =>
  sql`select ${sql.raw(group)} as k, sum(s.amount) from sales_records s join customers c on c.id = s.customer_id
      where s.month between ${from} and ${to} group by ${sql.raw(group)}`.execute(db);
const threeYears = [MONTH_LIST.at(-36) ?? MONTH_LIST[0], lastMonth] as const;
const queries: Measured[] = [
  {
    name: 'ABC, a year',
    url: `/api/analysis/abc?from=${yearFrom}&to=${lastMonth}`,
    raw: sum(yearFrom as string, lastMonth, 's.customer_id'),
  },
  {
    name: 'ABC, three years',
    url: `/api/analysis/abc?from=${threeYears[0]}&to=${threeYears[1]}`,
    raw: sum(threeYears[0] as string, threeYears[1], 's.customer_id'),
  },
  {
    name: 'seasonal index, three years',
    url: `/api/analysis/seasonal?year=${lastYear}`,
    raw: sum(`${lastYear - 2}-01`, `${lastYear}-12`, 's.month'),
  },
  {
    name: 'composition by category, a year',
    url: `/api/analysis/composition?from=${yearFrom}&to=${lastMonth}&dimension=category`,
    raw: sum(yearFrom as string, lastMonth, 'c.category'),
  },
  {
    name: 'composition by product, a year',
    url: `/api/analysis/composition?from=${yearFrom}&to=${lastMonth}&dimension=product`,
    raw: sum(yearFrom as string, lastMonth, 's.product_code'),
  },
  {
    name: 'product contribution, a year',
    url: `/api/analysis/products?from=${yearFrom}&to=${lastMonth}`,
    raw: sum(yearFrom as string, lastMonth, 's.product_code'),
  },
];
// The home page (工作台) of each reader: its panels' counts (grades, categories, visits, filings,
// complaints, orders, sales by grade), next to the plain count of archives by grade.
queries.push({
  name: 'dashboard',
  url: '/api/dashboard',
  raw: () => sql`select grade, count(*) from customers group by grade`.execute(db),
});
const results = await measure(
  [
    ['gm', gm],
    ['mgr', mgr],
  ],
  queries,
  { samples: SAMPLES, only: args.only, reader: args.reader },
);
// A database measured again holds what it was written with, whatever the arguments say.
const held = bench.reuse
  ? Number(
      (await sql<{ n: number }>`select count(*) as n from customers`.execute(db)).rows[0]?.n ?? CUSTOMERS,
    )
  : CUSTOMERS;
const rows = bench.reuse
  ? Number((await sql<{ n: number }>`select count(*) as n from sales_records`.execute(db)).rows[0]?.n ?? 0)
  : CUSTOMERS * MONTHS;
writeResults(bench, 'analysis', held, {
  customers: held,
  rows,
  writeSeconds,
  queries: results,
});
await bench.close(args.keep);
