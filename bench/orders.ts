// Orders and contract review at scale (R-K1 … R-K5): N order lines (default 1,000,000; about four
// lines an order, so ≈ 250,000 orders) over the three years up to now, across 20,000 customer
// archives in six departments and four secrecy levels, written straight into the database in
// batches as the workflow would have left them: most orders accepted, some rejected or
// cancelled, the recent ones in draft or in review with their departments' reviews; the lines of
// accepted orders due by today delivered (one or two deliveries, some late), one in ten still
// open, half of those with a recorded delay (掉期).
// Then the order list and its filters, a PO search, the to-do counts, a customer's register, a
// year's 准时交付率 by month and by customer and the delayed-order list (每日订单评审) through HTTP
// (app.inject), p50/p95, for the general manager (sees every order, 绝密) and for a 普通 sales
// clerk of one department, next to the nearest plain query on the database.
//
//   npx tsx bench/orders.ts                              1,000,000 lines on SQLite
//   npx tsx bench/orders.ts --lines 2000 --samples 3     the tiny run CI does
//   npx tsx bench/orders.ts --pg postgres://postgres@127.0.0.1:5432/postgres
//                                                        PostgreSQL (a scratch database on that server)
//
// Results are printed and written to bench/out/orders-<db>-<n>.json.
import { parseArgs } from 'node:util';
import { type RawBuilder, sql } from 'kysely';
import { ORDER_NUMBER_PATTERN } from '../src/common/orders.js';
import { todayInShanghai } from '../src/common/time.js';
import type {
  OrderDelayTable,
  OrderDeliveryTable,
  OrderLineTable,
  OrderReviewTable,
  OrderTable,
} from '../src/server/db/types.js';
import { loadCalendar } from '../src/server/platform/calendar.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { counterKey } from '../src/server/platform/numbering.js';
import { signIn } from '../src/server/test-support/app.js';
import {
  benchUser,
  customerRow,
  DAY,
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
    lines: { type: 'string', default: '1000000' },
    customers: { type: 'string' },
    pg: { type: 'string' },
    samples: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    // SQLite: keep the database in this folder; when it already holds one, measure it again.
    data: { type: 'string' },
    // Only the queries whose name contains this text (e.g. --only delayed).
    only: { type: 'string' },
    // Only this reader (gm or clerk).
    reader: { type: 'string' },
  },
});
const N = Number(args.lines);
const ORDERS = Math.max(1, Math.round(N / 4));
const CUSTOMERS = Number(args.customers ?? Math.min(20_000, Math.max(200, Math.round(ORDERS / 12))));
const SAMPLES = Number(args.samples);
const { random, pick, weighted } = generator(20261207);

// 销售部 keeps most archives; the review departments by the codes of the default settings.
const DEPARTMENTS = [
  ['销售部', 'XS', 6],
  ['计划部', 'pmc', 0],
  ['采购部', 'purchasing', 0],
  ['生产部', 'production', 0],
  ['财务部', 'finance', 0],
  ['研发部', 'rd', 0],
  ['品质部', 'quality', 1],
] as const;
const CITIES = ['深圳', '广州', '东莞', '佛山', '苏州', '无锡', '宁波', '厦门', '青岛', '成都'];
const WORDS = ['华盛', '精工', '宏达', '鑫源', '永兴', '泰和', '恒通', '金辉', '顺发', '联创'];
const PRODUCTS = ['散热片', '支架', '外壳', '线束', '端子', '齿轮', '轴承', '面板', '铜套', '弹簧'];
const KINDS: [string, number][] = [
  ['order', 80],
  ['contract', 15],
  ['tender', 3],
  ['annual', 2],
];
const VIA = ['written', 'email', 'phone', 'fax', 'portal'] as const;

const bench = await openBench('orders', { pg: args.pg, data: args.data });
const { db, database } = bench;
console.log(
  `Kedang orders benchmark: ${N.toLocaleString()} lines, ${ORDERS.toLocaleString()} orders, ${CUSTOMERS.toLocaleString()} customers on ${database.dialect}`,
);
const now = new Date();
const nowIso = now.toISOString();
const dayOf = (ms: number) => todayInShanghai(new Date(ms));

async function generate(): Promise<number> {
  const departments = await departmentsWithStaff(bench, DEPARTMENTS);
  const sales = departments[0] as (typeof departments)[number];
  const reviewers = departments.slice(1, 6);
  await benchUser(bench, 'gm', '总经理', sales.id, ['general_manager'], 'top_secret');
  await benchUser(bench, 'clerk', '销售文员', sales.id, ['staff'], 'normal');
  const archiveDepartments = departments
    .filter((d) => d.weight > 0)
    .map((d) => [d, d.weight] as [typeof d, number]);

  const start = performance.now();
  const customers: string[] = [];
  for (let from = 0; from < CUSTOMERS; from += 500) {
    const rows = [];
    for (let i = from; i < Math.min(CUSTOMERS, from + 500); i++) {
      const name = `${pick(CITIES)}${pick(WORDS)}${pick(WORDS)}${pick(PRODUCTS)}有限公司${i}`;
      const secrecy = weighted([
        [0, 950],
        [1, 30],
        [2, 15],
        [3, 5],
      ]);
      const row = customerRow(i, name, weighted(archiveDepartments).id, secrecy, nowIso);
      customers.push(row.id);
      rows.push(row);
    }
    await db.insertInto('customers').values(rows).execute();
  }
  // A few customers order far more than the rest.
  const customerOf = () =>
    random() < 0.3 ? (customers[Math.floor(random() ** 3 * 100)] ?? pick(customers)) : pick(customers);
  // Each customer's parts: repeat orders reuse them.
  const partOf = (customer: string) => `P-${customer.slice(-4)}-${Math.floor(random() ** 2 * 30)}`;

  const calendar = await loadCalendar({ db });
  const addDays = new Map<string, string>();
  const workingDaysAfter = (day: string, n: number) => {
    const key = `${day}+${n}`;
    let d = addDays.get(key);
    if (!d) {
      d = calendar.addWorkingDays(day, n);
      addDays.set(key, d);
    }
    return d;
  };
  const SPAN = 3 * 365 * DAY;
  const counters = new Map<string, number>();
  const BATCH = database.dialect === 'sqlite' ? 250 : 500;
  let lines = 0;
  for (let from = 0; from < ORDERS; from += BATCH) {
    const orders: OrderTable[] = [];
    const orderLines: OrderLineTable[] = [];
    const reviews: OrderReviewTable[] = [];
    const deliveries: OrderDeliveryTable[] = [];
    const delays: OrderDelayTable[] = [];
    for (let i = from; i < Math.min(ORDERS, from + BATCH); i++) {
      const received = now.getTime() - SPAN + Math.floor(((i + random()) / ORDERS) * SPAN);
      const receivedOn = dayOf(received);
      const at = new Date(received).toISOString();
      const month = receivedOn.slice(0, 7);
      const seq = (counters.get(month) ?? 0) + 1;
      counters.set(month, seq);
      const id = `bench-o-${String(i).padStart(8, '0')}`;
      const kind = weighted(KINDS);
      const customer = customerOf();
      const nonRegular = kind === 'annual' || random() < 0.2;
      const atRisk = !nonRegular && random() < 0.1;
      const route = nonRegular ? 'full' : atRisk ? 'capacity' : 'sales';
      const age = (now.getTime() - received) / DAY;
      const status =
        age > 20
          ? weighted([
              ['accepted', 93],
              ['rejected', 2],
              ['cancelled', 5],
            ] as const)
          : weighted([
              ['draft', 15],
              ['in_review', 35],
              ['accepted', 50],
            ] as const);
      const submitted = status !== 'draft';
      const decided = status === 'accepted' || status === 'rejected';
      const signer = kind === 'annual' ? 'general_manager' : route === 'full' ? 'sales_manager' : 'sales';
      // Lines: 1–7 (four on average), every order at least one, exactly N in all.
      const left = N - lines - (ORDERS - i - 1);
      const count = i === ORDERS - 1 ? left : Math.max(1, Math.min(left, 1 + Math.floor(random() * 7)));
      let total = 0;
      const today = dayOf(now.getTime());
      for (let l = 1; l <= count; l++) {
        const quantity = 100 * (1 + Math.floor(random() * 50));
        const price = Math.round((1 + random() * 99) * 100) / 100;
        const amount = Math.round(quantity * price * 100) / 100;
        total += amount;
        const requested = workingDaysAfter(receivedOn, 10 + Math.floor(random() * 30));
        orderLines.push({
          id: `${id}-${l}`,
          order_id: id,
          line_no: l,
          part_number: partOf(customer),
          product: `${pick(PRODUCTS)}${l}`,
          specification: null,
          quantity,
          unit: '件',
          unit_price: price,
          amount,
          requested_on: requested,
          promised_on: submitted ? requested : null,
        });
        if (status !== 'accepted' || requested > today) continue;
        const lineId = `${id}-${l}`;
        const due = Date.parse(`${requested}T00:00:00+08:00`);
        if (random() < 0.1) {
          // Still open past its date: a delayed line, half of them with the reason recorded.
          if (random() < 0.5)
            delays.push({
              id: `${lineId}-x`,
              order_id: id,
              line_id: lineId,
              promised_on: requested,
              predicted: 0,
              reason: pick(['原材料延迟到货', '设备故障', '模具维修', '插单']),
              new_date: dayOf(Math.min(now.getTime() + 10 * DAY, due + 20 * DAY)),
              informed_by: pick(sales.staff),
              informed_on: dayOf(due),
              informed_via: pick(['phone', 'email']),
              created_at: new Date(due).toISOString(),
              created_by: pick(sales.staff),
            });
          continue;
        }
        const late = random() < 0.08 ? 1 + Math.floor(random() * 10) : -Math.floor(random() * 3);
        const parts = random() < 0.3 ? [quantity / 2, quantity / 2] : [quantity];
        for (const [p, q] of parts.entries()) {
          const on = Math.min(now.getTime(), due + (late - (parts.length - 1 - p) * 3) * DAY);
          deliveries.push({
            id: `${lineId}-d${p}`,
            order_id: id,
            line_id: lineId,
            delivered_on: dayOf(on),
            quantity: q,
            delivery_note_no: `SH${String(i).padStart(7, '0')}${l}${p}`,
            remarks: null,
            created_at: new Date(on).toISOString(),
            created_by: pick(sales.staff),
          });
        }
      }
      lines += count;
      orders.push({
        id,
        number: `HT${month.replace('-', '')}-${String(seq).padStart(4, '0')}`,
        customer_id: customer,
        customer_po: `PO${receivedOn.replaceAll('-', '')}${String(i % 1000).padStart(3, '0')}`,
        kind,
        received_via: pick(VIA),
        received_on: receivedOn,
        phone_caller: null,
        phone_called_at: null,
        phone_agreed: null,
        confirmation_needed: 0,
        confirmation_received_on: null,
        currency: 'CNY',
        payment_terms: '月结60天',
        delivery_method: '送货',
        delivery_place: '客户仓库',
        packaging: null,
        remarks: null,
        total_amount: Math.round(total * 100) / 100,
        proposed_class: nonRegular ? 'non_regular' : 'regular',
        class_reasons: nonRegular ? '[{"code":"new_product","params":{}}]' : '[]',
        lead_time_at_risk: atRisk ? 1 : 0,
        class: nonRegular ? 'non_regular' : 'regular',
        class_override_reason: null,
        class_overridden_by: null,
        class_overridden_at: null,
        status,
        route: submitted ? route : null,
        submitted_at: submitted ? at : null,
        submitted_by: submitted ? pick(sales.staff) : null,
        signer_role: submitted && status !== 'cancelled' ? signer : null,
        approval_decision: decided ? (status === 'accepted' ? 'accept' : 'reject') : null,
        approved_role: decided ? signer : null,
        approved_by: decided ? pick(sales.staff) : null,
        approved_at: decided ? new Date(received + 2 * DAY).toISOString() : null,
        approval_comment: null,
        overrule_reason: null,
        credit_verdict: decided ? 'ok' : null,
        cancelled_at: status === 'cancelled' ? at : null,
        cancelled_by: status === 'cancelled' ? SYSTEM_ACTOR.id : null,
        cancel_reason: status === 'cancelled' ? '客户取消' : null,
        created_at: at,
        created_by: pick(sales.staff),
        updated_at: at,
        updated_by: SYSTEM_ACTOR.id,
      });
      if (submitted && route !== 'sales') {
        const asked = route === 'full' ? reviewers : reviewers.slice(0, 3);
        for (const d of asked) {
          const answered = status !== 'in_review' || random() < 0.5;
          reviews.push({
            id: `${id}-r-${d.code}`,
            order_id: id,
            department_id: d.id,
            requested_at: at,
            requested_by: SYSTEM_ACTOR.id,
            decision: answered
              ? weighted([
                  ['accept', 90],
                  ['conditional', 9],
                  ['reject', 1],
                ] as const)
              : null,
            condition: null,
            comment: null,
            checklist: null,
            pricing: null,
            reviewed_at: answered ? new Date(received + DAY).toISOString() : null,
            reviewed_by: answered ? pick(d.staff) : null,
          });
        }
      }
    }
    await db.transaction().execute(async (t) => {
      await t.insertInto('orders').values(orders).execute();
      for (let c = 0; c < orderLines.length; c += BATCH)
        await t
          .insertInto('order_lines')
          .values(orderLines.slice(c, c + BATCH))
          .execute();
      for (let c = 0; c < reviews.length; c += BATCH)
        await t
          .insertInto('order_reviews')
          .values(reviews.slice(c, c + BATCH))
          .execute();
      for (let c = 0; c < deliveries.length; c += BATCH)
        await t
          .insertInto('order_deliveries')
          .values(deliveries.slice(c, c + BATCH))
          .execute();
      for (let c = 0; c < delays.length; c += BATCH)
        await t
          .insertInto('order_delays')
          .values(delays.slice(c, c + BATCH))
          .execute();
    });
    if (from % 50_000 === 0 && from > 0)
      console.log(
        `  wrote ${from.toLocaleString()} orders… ${((performance.now() - start) / 1000).toFixed(0)} s`,
      );
  }
  for (const [month, n] of counters)
    await db
      .insertInto('counters')
      .values({ key: counterKey('order', ORDER_NUMBER_PATTERN, { date: `${month}-01` }), value: n })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: n }))
      .execute();
  await sql`analyze`.execute(db);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `wrote ${ORDERS.toLocaleString()} orders, ${lines.toLocaleString()} lines in ${seconds.toFixed(0)} s`,
  );
  return seconds;
}

const writeSeconds = bench.reuse ? 0 : await generate();
if (bench.reuse) console.log(`measuring the orders already in ${bench.dataDir}`);

const gm = await signIn(bench.app, 'gm', PASSWORD);
const clerk = await signIn(bench.app, 'clerk', PASSWORD);
const big = (
  await db
    .selectFrom('orders')
    .select(['customer_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('customer_id')
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
).customer_id;
const po = `PO${dayOf(now.getTime() - 30 * DAY).replaceAll('-', '')}`;
const page = (where: RawBuilder<unknown>) =>
  sql`select o.*, c.name, c.archive_code from orders o join customers c on c.id = o.customer_id where ${where} order by o.created_at desc, o.id desc limit 51`;
const queries: Measured[] = [
  { name: 'list, first page', url: '/api/orders?limit=50', raw: () => page(sql`1 = 1`).execute(db) },
  {
    name: 'list, status 评审中',
    url: '/api/orders?limit=50&status=in_review',
    raw: () => page(sql`o.status = 'in_review'`).execute(db),
  },
  {
    name: 'list, one customer',
    url: `/api/orders?limit=50&customerId=${big}`,
    raw: () => page(sql`o.customer_id = ${big}`).execute(db),
  },
  {
    name: `search PO ${po}`,
    url: `/api/orders?limit=50&q=${po}`,
    raw: () => page(sql`(o.number like ${`%${po}%`} or o.customer_po like ${`%${po}%`})`).execute(db),
  },
  {
    name: 'to-do counts',
    url: '/api/orders/todo',
    raw: () =>
      sql`select count(*) from orders o join order_reviews r on r.order_id = o.id where o.status = 'in_review' and r.decision is null`.execute(
        db,
      ),
  },
  {
    name: 'register CSV, one customer',
    url: `/api/orders/export.csv?customerId=${big}`,
    raw: () =>
      sql`select o.*, l.* from orders o join order_lines l on l.order_id = o.id where o.customer_id = ${big} order by o.created_at desc`.execute(
        db,
      ),
    body: true,
  },
];

// A year of 准时交付率: the lines due in it with what was delivered by their date (the plain
// query, without visibility or the holiday rule), and the open lines past their date.
const today = dayOf(now.getTime());
const yearFrom = dayOf(now.getTime() - 365 * DAY);
const due = sql`coalesce(l.promised_on, l.requested_on)`;
const rawRate = (group: RawBuilder<unknown>) => () =>
  sql`select ${group} as k, count(*), sum(l.quantity), sum(case when x.done_on <= ${due} then 1 else 0 end)
      from order_lines l join orders o on o.id = l.order_id
      left join (select line_id, max(delivered_on) as done_on, sum(quantity) as q from order_deliveries group by line_id) x on x.line_id = l.id
      where o.status = 'accepted' and ${due} between ${yearFrom} and ${today} group by ${group}`.execute(db);
queries.push(
  {
    name: 'on-time rate, a year by month',
    url: `/api/orders/delivery-stats?from=${yearFrom}&to=${today}&groupBy=month`,
    raw: rawRate(sql`substr(${due}, 1, 7)`),
  },
  {
    name: 'on-time rate, a year by customer',
    url: `/api/orders/delivery-stats?from=${yearFrom}&to=${today}&groupBy=customer`,
    raw: rawRate(sql`o.customer_id`),
  },
  {
    name: 'delayed orders, first page',
    url: '/api/orders/delayed?limit=50',
    raw: () =>
      sql`select l.*, o.number from order_lines l join orders o on o.id = l.order_id
          where o.status = 'accepted' and ${due} < ${today}
            and coalesce((select sum(d.quantity) from order_deliveries d where d.line_id = l.id), 0) < l.quantity
          order by ${due}, l.id limit 51`.execute(db),
  },
);

const results = await measure(
  [
    ['gm', gm],
    ['clerk', clerk],
  ],
  queries,
  { samples: SAMPLES, only: args.only, reader: args.reader },
);
writeResults(bench, 'orders', N, {
  lines: N,
  orders: ORDERS,
  customers: CUSTOMERS,
  writeSeconds,
  queries: results,
});
await bench.close(args.keep);
