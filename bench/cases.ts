// Complaints and service requests at scale (R-Q6, R-W3): N cases (default 1,000,000; complaints
// ≈ 80%, service requests ≈ 20%) over the three years up to now, across 20,000 customer archives
// in six departments and four secrecy levels, written straight into the database in batches with
// their clocks (met or open, on time or late, on the working-day calendar) and search tokens.
// Then the case list, its filters, the status counts, the statistics and a register export through
// HTTP (app.inject), p50/p95, for a quality user who sees every case (cleared for everything) and
// for a 普通 staff member of one department, next to the nearest plain query on the database.
//
//   npx tsx bench/cases.ts                              1,000,000 cases on SQLite
//   npx tsx bench/cases.ts --cases 2000 --samples 3     the tiny run CI does
//   npx tsx bench/cases.ts --pg postgres://postgres@127.0.0.1:5432/postgres
//                                                       PostgreSQL (a scratch database on that server)
//
// Results are printed and written to bench/out/cases-<db>-<n>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type RawBuilder, sql } from 'kysely';
import { clockRuleFor, DEFAULT_CLOCK_RULES } from '../src/common/cases.js';
import { todayInShanghai } from '../src/common/time.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import type { CaseClockTable, CaseTable, CustomerTable } from '../src/server/db/types.js';
import { caseTokens } from '../src/server/modules/cases/repo.js';
import { createDepartment, createUser } from '../src/server/modules/org/service.js';
import { loadCalendar } from '../src/server/platform/calendar.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { queryTerms, searchIndex } from '../src/server/platform/search.js';
import { createPgDatabase, signIn } from '../src/server/test-support/app.js';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    customers: { type: 'string' },
    pg: { type: 'string' },
    samples: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    // SQLite: keep the database in this folder; when it already holds one, measure it again
    // (after the code changed or a migration was added) instead of generating anew.
    data: { type: 'string' },
    // Only the queries whose name contains this text (e.g. --only statistics).
    only: { type: 'string' },
    // Only this reader (qa or clerk).
    reader: { type: 'string' },
  },
});
const N = Number(args.cases);
const CUSTOMERS = Number(args.customers ?? Math.min(20_000, Math.max(200, Math.round(N / 50))));
const SAMPLES = Number(args.samples);
const PASSWORD = 'Bench-pass-2026';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// A seeded generator: the same data every run.
let seed = 20261201;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
/** Picks by weight: [[value, weight], …]. */
function weighted<T>(choices: readonly [T, number][]): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let x = random() * total;
  for (const [v, w] of choices) {
    x -= w;
    if (x < 0) return v;
  }
  return (choices.at(-1) as [T, number])[0];
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
  return { p50: at(50), p95: at(95) };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const DEPARTMENTS = [
  ['销售部', 'XS', 6],
  ['品质部', 'ZL', 3],
  ['生产部', 'SC', 3],
  ['技术部', 'JS', 2],
  ['物流部', 'WL', 2],
  ['客服部', 'KF', 2],
] as const;
const CITIES = [
  '深圳',
  '广州',
  '东莞',
  '佛山',
  '苏州',
  '无锡',
  '宁波',
  '厦门',
  '青岛',
  '成都',
  '武汉',
  '天津',
];
const WORDS = [
  '华盛',
  '精工',
  '宏达',
  '鑫源',
  '永兴',
  '泰和',
  '恒通',
  '金辉',
  '顺发',
  '联创',
  '新科',
  '瑞丰',
];
const PRODUCTS = [
  '散热片',
  '支架',
  '外壳',
  '线束',
  '端子',
  '齿轮',
  '轴承',
  '面板',
  '铜套',
  '弹簧',
  '垫片',
  '卡扣',
  '导轨',
  '法兰',
  '铰链',
  '把手',
  '底座',
  '盖板',
  '连接器',
  '滤网',
];
// 20 products × 12 series: 240 distinct products, a few much more common than the rest.
const SERIES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M'];
const COMPLAINTS = [
  ['quality', ['尺寸超差', '表面划伤', '毛刺', '变形', '氧化发黑', '螺纹不良', '装配不上']],
  ['delivery', ['交货延迟', '数量短少', '包装破损', '错发型号']],
  ['service', ['回复不及时', '态度不好', '联系不上业务员']],
  ['price', ['价格上涨', '发票有误']],
  ['other', ['资料不全', '标签错误']],
] as const;
const SERVICES = [
  ['consult', ['询问交期', '索取图纸', '咨询材质']],
  ['repair', ['设备故障', '模具损坏']],
  ['suggestion', ['建议改进包装', '建议增加规格']],
  ['return', ['申请退货', '申请换货']],
] as const;
const CAUSES = ['design', 'manufacturing', 'material', 'transport', 'usage', 'other'] as const;
const CHANNELS = ['phone', 'email', 'letter', 'fax', 'web', 'visit'] as const;

const dataDir = args.data ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bench-cases-'));
fs.mkdirSync(dataDir, { recursive: true });
const reuse = !args.pg && fs.existsSync(path.join(dataDir, 'kedang.db'));
const scratch = args.pg ? await createPgDatabase(args.pg) : undefined;
const config = {
  ...loadConfig({}),
  dataDir,
  databaseUrl: scratch?.url,
  webDir: undefined,
  logLevel: 'silent',
};
const database = openDatabase(config);
const db = database.db;
await migrateToLatest(db);
const app = await buildApp({ config, database, logger: false });
await app.ready();
const system = {
  db,
  actor: SYSTEM_ACTOR,
  now: () => new Date(),
  requestId: null,
  ip: null,
  lang: 'zh' as const,
};
console.log(
  `Kedang case benchmark: ${N.toLocaleString()} cases, ${CUSTOMERS.toLocaleString()} customers on ${database.dialect}`,
);

const now = new Date();
const nowIso = now.toISOString();
const dayOf = (ms: number) => todayInShanghai(new Date(ms));

async function generate(): Promise<{ complaints: number; writeSeconds: number }> {
  // Departments, two handlers each, and the two readers measured.
  const departments: { id: string; weight: number; handlers: string[] }[] = [];
  for (const [i, [name, code, weight]] of DEPARTMENTS.entries()) {
    const dept = await createDepartment(system, { name, code, parentId: null, sortOrder: i });
    const handlers: string[] = [];
    for (let h = 0; h < 2; h++) {
      const { user } = await createUser(system, {
        login: `${code.toLowerCase()}${h}`,
        name: `${name}处理人${h + 1}`,
        email: null,
        phone: null,
        departmentId: dept.id,
        roles: ['staff'],
        clearance: 'normal',
        password: PASSWORD,
        mustChangePassword: false,
      });
      handlers.push(user.id);
    }
    departments.push({ id: dept.id, weight, handlers });
  }
  const sales = departments[0] as (typeof departments)[number];
  const quality = departments[1] as (typeof departments)[number];
  // 品质部's quality engineer sees every case and is cleared for 绝密; the clerk is 普通 staff of 销售部.
  await createUser(system, {
    login: 'qa',
    name: '品质工程师',
    email: null,
    phone: null,
    departmentId: quality.id,
    roles: ['quality'],
    clearance: 'top_secret',
    password: PASSWORD,
    mustChangePassword: false,
  });
  await createUser(system, {
    login: 'clerk',
    name: '销售文员',
    email: null,
    phone: null,
    departmentId: sales.id,
    roles: ['staff'],
    clearance: 'normal',
    password: PASSWORD,
    mustChangePassword: false,
  });
  const deptWeights = departments.map((d) => [d, d.weight] as [(typeof departments)[number], number]);

  // Customer archives: most 普通, a few 秘密, 机密 and 绝密.
  const start = performance.now();
  const customers: { id: string; department: (typeof departments)[number] }[] = [];
  for (let from = 0; from < CUSTOMERS; from += 500) {
    const rows: CustomerTable[] = [];
    for (let i = from; i < Math.min(CUSTOMERS, from + 500); i++) {
      const department = weighted(deptWeights);
      const name = `${pick(CITIES)}${pick(WORDS)}${pick(WORDS)}${pick(PRODUCTS)}有限公司${i}`;
      const id = `bench-c-${String(i).padStart(6, '0')}`;
      customers.push({ id, department });
      rows.push({
        id,
        search_key: i + 1,
        archive_code: `KH${String(i + 1).padStart(7, '0')}`,
        name,
        name_norm: name,
        credit_code: null,
        category: 'general',
        kind: 'business',
        nature: null,
        legal_representative: null,
        registered_address: null,
        phone: null,
        email: null,
        website: null,
        industry: null,
        region: null,
        business_scope: null,
        registered_capital: null,
        staff_count: null,
        source: null,
        grade: null,
        credit_class: null,
        department_id: department.id,
        secrecy: weighted([
          [0, 950],
          [1, 30],
          [2, 15],
          [3, 5],
        ]),
        status: i % 40 === 0 ? 'inactive' : i % 5 === 0 ? 'draft' : 'filed',
        first_contact_date: '2022-01-01',
        filing_due_date: '2022-02-01',
        filed_at: null,
        first_purchase_date: null,
        custom_fields: '{}',
        merged_into_id: null,
        created_at: nowIso,
        created_by: SYSTEM_ACTOR.id,
        updated_at: nowIso,
        updated_by: SYSTEM_ACTOR.id,
      });
    }
    await db.insertInto('customers').values(rows).execute();
  }
  // A few customers get many cases (the statistics' top customers are not all alike).
  const customerOf = () =>
    random() < 0.3 ? (customers[Math.floor(random() ** 3 * 200)] ?? pick(customers)) : pick(customers);

  // Cases over the three years before now, with their clocks as the workflow would have left them.
  const calendar = await loadCalendar({ db });
  const dueCache = new Map<string, { due_date: string; due_at: string }>();
  const dueOf = (day: string, days: number) => {
    const key = `${day}+${days}`;
    let due = dueCache.get(key);
    if (!due) {
      const dueDate = calendar.addWorkingDays(day, days);
      due = { due_date: dueDate, due_at: new Date(`${dueDate}T18:00:00+08:00`).toISOString() };
      dueCache.set(key, due);
    }
    return due;
  };
  const daysCache = new Map<string, number>();
  const workingDays = (a: string, b: string) => {
    const key = `${a}${b}`;
    let n = daysCache.get(key);
    if (n === undefined) {
      n = calendar.workingDaysBetween(a, b);
      daysCache.set(key, n);
    }
    return n;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const SPAN = 3 * 365 * DAY;
  const index = searchIndex(database.dialect, 'cases');
  const counters = { complaint: new Map<string, number>(), service: new Map<string, number>() };
  const BATCH = database.dialect === 'sqlite' ? 400 : 800;
  let complaints = 0;
  for (let from = 0; from < N; from += BATCH) {
    const rows: CaseTable[] = [];
    const clocks: CaseClockTable[] = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) {
      // Evenly over the span, in order (ids and numbers grow with time, as they do in use).
      const received = now.getTime() - SPAN + Math.floor(((i + random()) / N) * SPAN);
      const receivedAt = iso(received);
      const day = dayOf(received);
      const month = day.slice(0, 7);
      const kind = random() < 0.8 ? 'complaint' : 'service';
      if (kind === 'complaint') complaints++;
      const [type, words] = kind === 'complaint' ? pick(COMPLAINTS) : pick(SERVICES);
      const severity =
        kind === 'complaint'
          ? weighted([
              ['normal', 85],
              ['serious', 12],
              ['major', 3],
            ] as const)
          : 'normal';
      const rule = clockRuleFor(DEFAULT_CLOCK_RULES, { kind, type, severity });
      const age = (now.getTime() - received) / DAY;
      const customer = customerOf();
      const department = random() < 0.7 ? customer.department : weighted(deptWeights);
      const counter = counters[kind];
      const seq = (counter.get(month) ?? 0) + 1;
      counter.set(month, seq);
      const id = `bench-k-${String(i).padStart(8, '0')}`;
      const productName = `${pick(PRODUCTS)}${SERIES[Math.floor(random() ** 2 * SERIES.length)]}`;
      // How far the case got: old cases are mostly closed; recent ones at every step.
      const status =
        age > 45
          ? weighted([
              ['closed', 94],
              ['to_revisit', 3],
              ['in_progress', 2],
              ['to_reply', 1],
            ] as const)
          : weighted([
              ['new', age < 2 ? 40 : 5],
              ['in_progress', 30],
              ['to_reply', 10],
              ['to_revisit', 10],
              ['closed', age < 5 ? 5 : 45],
            ] as const);
      const triaged = status !== 'new';
      const unjustified = kind === 'complaint' && triaged && status === 'closed' && random() < 0.2;
      const handling = triaged && !unjustified ? weighted(deptWeights) : null;
      const cause = kind === 'complaint' && handling && status !== 'in_progress' ? pick(CAUSES) : null;
      const word = pick(words);
      // Steps, each after the one before (hours; some late).
      const triageAt = received + (random() < 0.85 ? random() * 6 : 6 + random() * 60) * HOUR;
      const replyAt = triageAt + (random() < 0.8 ? random() * 20 : 20 + random() * 100) * HOUR;
      const resolveAt = replyAt + (1 + random() * (random() < 0.85 ? 10 : 40)) * DAY;
      const revisitAt = resolveAt + (random() < 0.8 ? 1 + random() * 5 : 6 + random() * 20) * DAY;
      const stepsDone = { new: 0, in_progress: 1, to_reply: 1, to_revisit: 3, closed: 4 }[status];
      const done = (n: number, at: number) => (unjustified ? n <= 3 : stepsDone >= n) && at < now.getTime();
      const met = (clock: string, n: number, at: number, dueFrom: string, days: number) => {
        const due = dueOf(dueFrom, days);
        const ok = done(n, at);
        clocks.push({
          case_id: id,
          clock,
          ...due,
          met_at: ok ? iso(at) : null,
          met_days: ok ? workingDays(day, dayOf(at)) : null,
          met_hours: ok ? Math.round(((at - received) / HOUR) * 100) / 100 : null,
          on_time: ok ? (iso(at) <= due.due_at ? 1 : 0) : null,
          due_notified_at: null,
          breach_notified_at: null,
          escalated_at: null,
        });
      };
      const ended = unjustified ? triageAt : resolveAt;
      met('investigate', 1, triageAt, day, rule.investigate);
      met(
        'reply',
        unjustified ? 1 : status === 'to_reply' ? 9 : 2,
        unjustified ? triageAt : replyAt,
        day,
        rule.reply,
      );
      met('resolve', unjustified ? 1 : 3, ended, day, rule.resolve);
      if (!unjustified && stepsDone >= 3) met('revisit', 4, revisitAt, dayOf(ended), rule.revisit);
      const handler = handling ? pick(handling.handlers) : null;
      rows.push({
        id,
        number: `${kind === 'complaint' ? 'TS' : 'FW'}${month.replace('-', '')}-${String(seq).padStart(5, '0')}`,
        search_key: i + 1,
        kind,
        type,
        subtype: null,
        customer_id: customer.id,
        contact_id: null,
        contact_name: '联系人',
        contact_phone: '13800000000',
        channel: pick(CHANNELS),
        product: random() < 0.9 ? productName : null,
        part_number: `P-${1000 + (i % 9000)}`,
        order_ref: null,
        quantity: 1 + Math.floor(random() * 500),
        content: `客户反映${productName}${word}，批次${i % 1000}`,
        demand: random() < 0.5 ? '要求退换货并提交8D报告' : null,
        receiver_id: pick(department.handlers),
        department_id: department.id,
        received_at: receivedAt,
        received_month: month,
        severity,
        secrecy: random() < 0.02 ? 1 : 0,
        status: unjustified ? 'closed' : status,
        outcome: kind === 'complaint' && triaged ? (unjustified ? 'unjustified' : 'justified') : null,
        responsible_user_id: null,
        responsible_department_id: handling?.id ?? null,
        triaged_by: triaged ? pick(department.handlers) : null,
        triaged_at: triaged ? iso(Math.min(triageAt, now.getTime())) : null,
        triage_note: null,
        handling_department_id: handling?.id ?? null,
        handler_id: handler,
        cause_category: cause,
        analysis: cause ? '原因分析' : null,
        containment: null,
        solution: null,
        verification: null,
        verified_by: null,
        verified_at: null,
        return_quantity: null,
        return_disposition: null,
        return_received_on: null,
        return_note: null,
        reply_text: done(2, replyAt) || unjustified ? '已答复客户' : null,
        reply_way: done(2, replyAt) || unjustified ? 'phone' : null,
        reply_by: done(2, replyAt) ? handler : null,
        replied_at: done(2, replyAt) ? iso(replyAt) : unjustified ? iso(triageAt) : null,
        resolved_at: done(3, resolveAt) && !unjustified ? iso(resolveAt) : null,
        resolved_by: done(3, resolveAt) && !unjustified ? handler : null,
        revisit_role: null,
        revisit_due: stepsDone >= 3 && !unjustified ? dueOf(dayOf(ended), rule.revisit).due_date : null,
        revisited_by: status === 'closed' && !unjustified ? handler : null,
        revisited_at: status === 'closed' && !unjustified ? iso(Math.min(revisitAt, now.getTime())) : null,
        revisit_way: status === 'closed' && !unjustified ? 'phone' : null,
        revisit_opinion:
          status === 'closed' && !unjustified ? pick(['very_satisfied', 'satisfied', 'fair', 'poor']) : null,
        revisit_comment: null,
        closed_at:
          status === 'closed' || unjustified
            ? iso(Math.min(unjustified ? triageAt : revisitAt, now.getTime()))
            : null,
        document_id: null,
        created_by: SYSTEM_ACTOR.id,
        created_at: receivedAt,
        updated_at: receivedAt,
      });
    }
    await db.transaction().execute(async (t) => {
      await t.insertInto('cases').values(rows).execute();
      for (let c = 0; c < clocks.length; c += BATCH)
        await t
          .insertInto('case_clocks')
          .values(clocks.slice(c, c + BATCH))
          .execute();
      await index.insertMany(
        t,
        rows.map((r) => ({ key: Number(r.search_key), tokens: caseTokens(r) })),
      );
    });
    if (from % 100_000 === 0 && from > 0)
      console.log(
        `  wrote ${from.toLocaleString()} cases… ${((performance.now() - start) / 1000).toFixed(0)} s`,
      );
  }
  await db
    .insertInto('counters')
    .values({ key: 'case_search_key', value: N })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: N }))
    .execute();
  await sql`analyze`.execute(db);
  const writeSeconds = (performance.now() - start) / 1000;
  console.log(
    `wrote ${N.toLocaleString()} cases (${complaints.toLocaleString()} complaints) in ${writeSeconds.toFixed(0)} s`,
  );
  return { complaints, writeSeconds };
}

const { complaints, writeSeconds } = reuse
  ? {
      complaints: Number(
        (
          await db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('kind', '=', 'complaint')
            .executeTakeFirstOrThrow()
        ).n,
      ),
      writeSeconds: 0,
    }
  : await generate();
if (reuse) console.log(`measuring the cases already in ${dataDir}`);

// The measured pages, through HTTP as each reader and as the nearest plain query on the database.
const qa = await signIn(app, 'qa', PASSWORD);
const staff = await signIn(app, 'clerk', PASSWORD);
const month = dayOf(now.getTime() - 60 * DAY).slice(0, 7);
const lastYear = Number(dayOf(now.getTime()).slice(0, 4)) - 1;
const monthEnd = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return `${m}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
};
const instant = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString();
const monthFrom = instant(`${month}-01`);
const monthTo = new Date(Date.parse(instant(monthEnd(month))) + DAY).toISOString();
const search = '划伤';
const fts =
  database.dialect === 'sqlite'
    ? sql`(select rowid from cases_fts where cases_fts match ${queryTerms(search)
        .map((t) => `"${t.token}"${t.prefix ? '*' : ''}`)
        .join(' AND ')})`
    : sql`(select key from cases_search where tokens @@ ${queryTerms(search)
        .map((t) => `'${t.token}'${t.prefix ? ':*' : ''}`)
        .join(' & ')}::tsquery)`;
const page = (where: RawBuilder<unknown>) =>
  sql`select k.*, c.name, c.archive_code from cases k join customers c on c.id = k.customer_id where ${where} order by k.received_at desc, k.id desc limit 51`;
const yes = sql`1 = 1`;
/** The statistics' GROUP BYs without visibility: the database's own share of the work. */
const rawStats = (fromMonth: string, toMonth: string) => async () => {
  const w = sql`k.kind = 'complaint' and k.received_month >= ${fromMonth} and k.received_month <= ${toMonth}`;
  await Promise.all([
    sql`select k.received_month, count(*), sum(case when k.outcome = 'justified' then 1 else 0 end) from cases k where ${w} group by k.received_month`.execute(
      db,
    ),
    sql`select k.cause_category, count(*) from cases k where ${w} group by k.cause_category`.execute(db),
    sql`select k.handling_department_id, count(*) from cases k where ${w} group by k.handling_department_id`.execute(
      db,
    ),
    sql`select k.product, count(*) as n from cases k where ${w} and k.product is not null group by k.product order by n desc limit 20`.execute(
      db,
    ),
    sql`select k.customer_id, count(*) as n from cases k where ${w} group by k.customer_id order by n desc limit 20`.execute(
      db,
    ),
    sql`select kc.clock, kc.on_time, kc.met_days, round(kc.met_hours, 1), count(*) from cases k join case_clocks kc on kc.case_id = k.id where ${w} and kc.met_at is not null group by kc.clock, kc.on_time, kc.met_days, round(kc.met_hours, 1)`.execute(
      db,
    ),
    sql`select kc.clock, count(*) from cases k join case_clocks kc on kc.case_id = k.id where ${w} and kc.met_at is null group by kc.clock`.execute(
      db,
    ),
  ]);
};
const measured: { name: string; url: string; raw: () => Promise<unknown>; body?: boolean }[] = [
  { name: 'list, first page', url: '/api/cases?limit=50', raw: () => page(yes).execute(db) },
  {
    name: 'list, status 处理中',
    url: '/api/cases?limit=50&status=in_progress',
    raw: () => page(sql`k.status = 'in_progress'`).execute(db),
  },
  {
    name: 'list, view=breached',
    url: '/api/cases?limit=50&view=breached',
    raw: () =>
      page(
        sql`exists (select 1 from case_clocks kc where kc.case_id = k.id and kc.met_at is null and kc.due_at < ${nowIso})`,
      ).execute(db),
  },
  {
    name: `search ${search}`,
    url: `/api/cases?limit=50&q=${encodeURIComponent(search)}`,
    raw: () => page(sql`k.search_key in ${fts}`).execute(db),
  },
  {
    name: 'counts per status',
    url: '/api/cases/counts',
    raw: () => sql`select status, count(*) from cases group by status`.execute(db),
  },
  {
    name: `statistics, year ${lastYear}`,
    url: `/api/cases/stats?from=${lastYear}-01&to=${lastYear}-12`,
    raw: rawStats(`${lastYear}-01`, `${lastYear}-12`),
  },
  {
    name: `statistics, month ${month}`,
    url: `/api/cases/stats?from=${month}&to=${month}`,
    raw: rawStats(month, month),
  },
  {
    name: `register CSV, month ${month}`,
    url: `/api/cases/register.csv?from=${month}-01&to=${monthEnd(month)}`,
    raw: () =>
      sql`select k.*, c.name from cases k join customers c on c.id = k.customer_id where k.received_at >= ${monthFrom} and k.received_at < ${monthTo} order by k.received_at desc, k.id desc`.execute(
        db,
      ),
    body: true,
  },
];

const results: Record<string, unknown>[] = [];
console.log(
  `\n${'reader'.padEnd(6)} ${'query'.padEnd(30)} ${'HTTP p50'.padStart(9)} ${'HTTP p95'.padStart(9)} ${'DB p50'.padStart(8)} ${'DB p95'.padStart(8)}  ratio p95`,
);
for (const [who, client] of [
  ['qa', qa],
  ['clerk', staff],
] as const) {
  if (args.reader && args.reader !== who) continue;
  for (const c of measured.filter((x) => !args.only || x.name.includes(args.only))) {
    const httpMs: number[] = [];
    const rawMs: number[] = [];
    let bytes = 0;
    let items = 0;
    // One warm-up each, not counted.
    await client.get(c.url);
    for (let i = 0; i < SAMPLES; i++) {
      httpMs.push(
        await time(async () => {
          const res = await client.get(c.url);
          if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
          bytes = res.rawPayload.length;
          if (!c.body) {
            const json = res.json() as { items?: unknown[]; total?: { value: number } } & Record<
              string,
              unknown
            >;
            items =
              json.items?.length ??
              json.total?.value ??
              Object.values(json).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
          }
        }),
      );
      if (who === 'qa' || args.reader) rawMs.push(await time(c.raw));
    }
    const h = stats(httpMs);
    const d =
      who === 'qa' || args.reader
        ? stats(rawMs)
        : (results.find((x) => x.query === c.name && x.reader === 'qa')?.db as ReturnType<typeof stats>);
    results.push({
      reader: who,
      query: c.name,
      url: c.url,
      http: h,
      db: d,
      ratioP95: h.p95 / d.p95,
      items,
      bytes,
    });
    console.log(
      `${who.padEnd(6)} ${c.name.padEnd(30)} ${h.p50.toFixed(1).padStart(7)}ms ${h.p95.toFixed(1).padStart(7)}ms ${d.p50.toFixed(1).padStart(6)}ms ${d.p95.toFixed(1).padStart(6)}ms  ${(h.p95 / d.p95).toFixed(1)}×  (${c.body ? `${(bytes / 1048576).toFixed(1)} MB` : `${items.toLocaleString()}`})`,
    );
  }
}

fs.mkdirSync('bench/out', { recursive: true });
const out = `bench/out/cases-${database.dialect}-${N}.json`;
fs.writeFileSync(
  out,
  JSON.stringify(
    {
      cases: N,
      complaints,
      customers: CUSTOMERS,
      dialect: database.dialect,
      writeSeconds: Math.round(writeSeconds),
      databaseBytes:
        database.dialect === 'sqlite'
          ? fs.statSync(path.join(dataDir, 'kedang.db'), { throwIfNoEntry: false })?.size
          : null,
      loadAverage: os.loadavg(),
      cpu: os.cpus()[0]?.model,
      queries: results,
      at: new Date().toISOString(),
    },
    null,
    2,
  ),
);
console.log(`\nwritten to ${out}`);
await app.close();
await database.close();
if (args.keep || args.data) {
  console.log(`kept the data in ${scratch?.url ?? dataDir}`);
} else {
  await scratch?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
