// Customer special requirements at scale (顾客特殊要求, R-S1 … R-S5): N requirements (default
// 200,000) over 20,000 customer archives in six departments and four secrecy levels — most
// archives keep about ten, a hundred large customers about fifteen times as many — written straight
// into the database in batches with what the workflow would have left: each customer's list row,
// the source documents (customer documents) and their versions, the reviews of five departments,
// the actions decided in them (corrective_actions), the internal documents they flow into (links
// to a version, now and then an old one), distributions of a requirement or of a whole list with a
// few recipients each and their acknowledgements, the customer's default symbols and the special
// characteristics of its part numbers (default 2.5 a requirement: 500,000).
// Then the cross-customer list with its filters, the exports, a customer's list, the applicable
// requirements of a part number, the distributions (who has not acknowledged), the
// characteristics of a part number and the to-do counts through HTTP (app.inject), p50/p95, for a
// quality engineer who sees every requirement (SR overseer, cleared for 绝密) and for a 普通 sales
// clerk of one department who sees their department's customers, next to the nearest plain query.
//
//   npx tsx bench/special-requirements.ts                                  200,000 on SQLite
//   npx tsx bench/special-requirements.ts --requirements 2000 --samples 3  the tiny run CI does
//   npx tsx bench/special-requirements.ts --pg postgres://postgres@127.0.0.1:5432/postgres
//                                                       PostgreSQL (a scratch database on that server)
//
// Results are printed and written to bench/out/special-requirements-<db>-<n>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type RawBuilder, sql } from 'kysely';
import { DEFAULT_SR_CATEGORIES, DEFAULT_SR_SYMBOLS } from '../src/common/special-requirements.js';
import { todayInShanghai } from '../src/common/time.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import type {
  CorrectiveActionTable,
  CustomerTable,
  Database,
  DocumentTable,
  DocumentVersionTable,
  SrAcknowledgementTable,
  SrCharacteristicTable,
  SrDistributionTable,
  SrDocumentLinkTable,
  SrHistoryTable,
  SrListTable,
  SrRequirementTable,
  SrReviewTable,
  SrSymbolTable,
} from '../src/server/db/types.js';
import { createDepartment, createUser } from '../src/server/modules/org/service.js';
import { loadCalendar } from '../src/server/platform/calendar.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { createPgDatabase, signIn } from '../src/server/test-support/app.js';

const { values: args } = parseArgs({
  options: {
    requirements: { type: 'string', default: '200000' },
    customers: { type: 'string' },
    characteristics: { type: 'string' },
    pg: { type: 'string' },
    samples: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    // SQLite: keep the database in this folder; when it already holds one, measure it again
    // (after the code changed or a migration was added) instead of generating anew.
    data: { type: 'string' },
    // Only the queries whose name contains this text (e.g. --only export).
    only: { type: 'string' },
    // Only this reader (qa or clerk).
    reader: { type: 'string' },
  },
});
const N = Number(args.requirements);
const CUSTOMERS = Number(args.customers ?? Math.min(20_000, Math.max(200, Math.round(N / 10))));
const CHARACTERISTICS = Number(args.characteristics ?? Math.round(N * 2.5));
const SAMPLES = Number(args.samples);
/** Exports take seconds: fewer samples of them. */
const EXPORT_SAMPLES = Math.min(SAMPLES, 5);
const PASSWORD = 'Bench-pass-2026';
const DAY = 24 * 3_600_000;

// A seeded generator: the same data every run.
let seed = 20261215;
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
/** k distinct items of the list. */
function some<T>(list: readonly T[], k: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < k && copy.length) out.push(copy.splice(Math.floor(random() * copy.length), 1)[0] as T);
  return out;
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

// 销售部 registers the requirements; the five others review them.
const DEPARTMENTS = [
  ['销售部', 'XS', 6],
  ['品质部', 'ZL', 3],
  ['生产部', 'SC', 3],
  ['技术部', 'engineering', 2],
  ['物流部', 'WL', 2],
  ['采购部', 'CG', 2],
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
const PRODUCTS = ['汽车', '电子', '电器', '照明', '精密', '机电', '动力', '传动'];
const CATEGORY_WEIGHTS: [string, number][] = [
  ['qms', 14],
  ['ppap', 12],
  ['change', 10],
  ['packaging', 14],
  ['delivery', 10],
  ['traceability', 10],
  ['special_char', 10],
  ['targets', 6],
  ['complaints', 8],
  ['other', 6],
];
const CATEGORY_LABELS = new Map(DEFAULT_SR_CATEGORIES.map((c) => [c.code, c.label.zh]));
// Requirement wording by category; 防静电 (the search word) is in about 1 of 40 requirements.
const PHRASES: Record<string, string[]> = {
  qms: ['须通过IATF 16949认证', '每年提交过程审核报告', '二级供应商须纳入管理', '内审须覆盖顾客特殊要求'],
  ppap: ['新零件须按PPAP 3级提交', '年度全尺寸检验报告', '初始过程能力Ppk≥1.67', '样件须附材料证明'],
  change: [
    '过程变更须提前90天通知',
    '设计变更须经顾客书面批准',
    '换线须重新提交PPAP',
    '分供方变更须通知顾客',
  ],
  packaging: ['包装须使用防静电袋', '每箱须贴顾客条码标签', '包装须使用可回收周转箱', '防锈包装有效期6个月'],
  delivery: ['准时交付率≥98%', '须按VMI方式补货', '紧急订单24小时内发货', '提前3天发送ASN'],
  traceability: ['零件须激光刻印批次号', '追溯记录保存15年', '每批附出货检验报告', '原材料须可追溯至炉号'],
  special_char: ['特殊特性须100%检测', 'CC特性Cpk≥1.67', 'SC特性须SPC控制', '特殊特性须在图纸上标识'],
  targets: ['来料PPM≤50', '年度降本3%', '零公里PPM≤10', '质量问题月度报告'],
  complaints: ['投诉须24小时内回复', '8D报告5个工作日内提交', '退货须附分析报告', '重复问题须升级处理'],
  other: ['须遵守顾客行为准则', '禁用物质须符合RoHS', '须参加年度供应商大会', '防静电工作台须每日点检'],
};
const CHAR_NAMES = [
  ['外径', 'Φ12.00±0.02'],
  ['长度', '45.0±0.1'],
  ['硬度', 'HRC 58-62'],
  ['扭矩', '8±0.5 N·m'],
  ['焊点拉力', '≥350 N'],
  ['孔位置度', '0.05'],
  ['表面粗糙度', 'Ra≤0.8'],
  ['涂层厚度', '8-15 μm'],
  ['气密性', '泄漏≤2 ml/min'],
  ['电阻', '10±0.5 Ω'],
] as const;

const dataDir = args.data ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bench-sr-'));
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
  `Kedang special-requirements benchmark: ${N.toLocaleString()} requirements, ${CUSTOMERS.toLocaleString()} customers, ${CHARACTERISTICS.toLocaleString()} characteristics on ${database.dialect}`,
);

const now = new Date();
const nowIso = now.toISOString();
const today = todayInShanghai(now);
const dayOf = (ms: number) => todayInShanghai(new Date(ms));
const iso = (ms: number) => new Date(ms).toISOString();

// The measured customer: the first archive, a large one of 销售部, 普通, filed (the clerk sees it).
const CUSTOMER = 'bench-c-000000';
const codeOf = (i: number) => `KH${String(i + 1).padStart(7, '0')}`;
const partOf = (i: number, k: number) => `${codeOf(i).slice(2)}-${String(k + 1).padStart(3, '0')}`;
const PART = partOf(0, 0);
/** The customer's whole-list distribution (its recipients: who has not acknowledged). */
const DISTRIBUTION = 'bench-d-l-000000';

/** Inserts rows in as many statements as the database's parameter limit needs. */
async function insertAll<T extends keyof Database>(
  t: typeof db,
  table: T,
  rows: readonly Database[T][],
): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0] as object).length;
  const per = Math.max(1, Math.floor((database.dialect === 'sqlite' ? 30_000 : 60_000) / columns));
  for (let i = 0; i < rows.length; i += per)
    await t
      .insertInto(table)
      .values(rows.slice(i, i + per) as never)
      .execute();
}

interface Counts {
  requirements: number;
  reviews: number;
  actions: number;
  links: number;
  distributions: number;
  acknowledgements: number;
  characteristics: number;
  documents: number;
}

async function generate(): Promise<{ counts: Counts; writeSeconds: number }> {
  const counts: Counts = {
    requirements: 0,
    reviews: 0,
    actions: 0,
    links: 0,
    distributions: 0,
    acknowledgements: 0,
    characteristics: 0,
    documents: 0,
  };
  // Departments with three members each, and the two readers measured.
  const departments: { id: string; code: string; weight: number; members: string[] }[] = [];
  for (const [i, [name, code, weight]] of DEPARTMENTS.entries()) {
    const dept = await createDepartment(system, { name, code, parentId: null, sortOrder: i });
    const members: string[] = [];
    for (let h = 0; h < 3; h++) {
      const { user } = await createUser(system, {
        login: `${code.slice(0, 2).toLowerCase()}${h}`,
        name: `${name}员工${h + 1}`,
        email: null,
        phone: null,
        departmentId: dept.id,
        roles: ['staff'],
        // The first of each department may receive what is secret.
        clearance: h === 0 ? 'top_secret' : 'normal',
        password: PASSWORD,
        mustChangePassword: false,
      });
      members.push(user.id);
    }
    departments.push({ id: dept.id, code, weight, members });
  }
  const sales = departments[0] as (typeof departments)[number];
  const quality = departments[1] as (typeof departments)[number];
  const reviewers = departments.slice(1);
  const { user: qa } = await createUser(system, {
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
  const { user: clerk } = await createUser(system, {
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
  const reviewerWeights: [(typeof departments)[number], number][] = [
    [quality, 6],
    ...reviewers.slice(1).map((d) => [d, d.weight] as [(typeof departments)[number], number]),
  ];
  const calendar = await loadCalendar({ db });
  const nextDay = new Map<string, string>();
  const workingDayAfter = (day: string) => {
    let d = nextDay.get(day);
    if (!d) {
      d = calendar.addWorkingDays(day, 1);
      nextDay.set(day, d);
    }
    return d;
  };

  const start = performance.now();
  // Customer archives: most 普通, a few 秘密, 机密 and 绝密. The first TOP are large customers.
  const TOP = Math.max(1, Math.round(CUSTOMERS / 200));
  const customers: { id: string; code: string; department: (typeof departments)[number]; secrecy: number }[] =
    [];
  for (let from = 0; from < CUSTOMERS; from += 500) {
    const rows: CustomerTable[] = [];
    for (let i = from; i < Math.min(CUSTOMERS, from + 500); i++) {
      const department = i === 0 ? sales : weighted(deptWeights);
      const secrecy =
        i === 0
          ? 0
          : weighted([
              [0, 950],
              [1, 30],
              [2, 15],
              [3, 5],
            ]);
      const name = `${pick(CITIES)}${pick(WORDS)}${pick(PRODUCTS)}有限公司${i}`;
      const id = `bench-c-${String(i).padStart(6, '0')}`;
      customers.push({ id, code: codeOf(i), department, secrecy });
      rows.push({
        id,
        search_key: i + 1,
        archive_code: codeOf(i),
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
        secrecy,
        status: i === 0 ? 'filed' : i % 40 === 0 ? 'inactive' : i % 5 === 0 ? 'draft' : 'filed',
        first_contact_date: '2020-01-01',
        filing_due_date: '2020-02-01',
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
  await db
    .insertInto('counters')
    .values({ key: 'customer_search_key', value: CUSTOMERS })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: CUSTOMERS }))
    .execute();

  // How many requirements and characteristics each customer keeps: a large customer 15 times as
  // many as the others (largest remainder, so that the totals are exact).
  const weights = customers.map((_, i) => (i < TOP ? 15 : 0.5 + random()));
  const total = weights.reduce((s, w) => s + w, 0);
  const share = (n: number) => {
    const exact = weights.map((w) => (n * w) / total);
    const out = exact.map(Math.floor);
    let left = n - out.reduce((s, x) => s + x, 0);
    const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
    for (const [, i] of order) {
      if (left-- <= 0) break;
      out[i] = (out[i] as number) + 1;
    }
    return out;
  };
  const reqCounts = share(N);
  const charCounts = share(CHARACTERISTICS);

  // Internal documents the requirements flow into (control plans, PFMEAs, work instructions):
  // one per 40 requirements, each with an old (obsolete) and a current version.
  const INTERNAL = Math.max(20, Math.round(N / 40));
  let searchKey = 0;
  const docRow = (
    id: string,
    title: string,
    docNumber: string,
    category: string,
    customerId: string | null,
    departmentId: string,
    secrecy: number,
    versions: number,
  ): DocumentTable => ({
    id,
    search_key: ++searchKey,
    title,
    doc_number: docNumber,
    responsible_party: null,
    source: customerId ? 'customer' : 'internal',
    category,
    carrier: 'electronic',
    pages: null,
    location: null,
    secrecy,
    secrecy_term: null,
    retention: category === 'records' ? 'D10' : 'D30',
    customer_id: customerId,
    department_id: departmentId,
    status: 'current',
    obsolete_reason: null,
    archive_no: null,
    filed_at: null,
    filed_by: null,
    version_label: `V${versions}`,
    issue_date: '2024-01-01',
    received_date: null,
    version_count: versions,
    file_count: 0,
    changes_internal: null,
    customer_authorized_by: null,
    customer_authorized_on: null,
    remarks: null,
    created_at: nowIso,
    created_by: SYSTEM_ACTOR.id,
    updated_at: nowIso,
    updated_by: SYSTEM_ACTOR.id,
    retention_due: null,
    record_year: 2024,
    life_end_date: null,
    withdrawn_at: null,
    extended_due: null,
    destroyed_at: null,
    disposal_id: null,
    controlled: 0,
    production_use: 0,
    secrecy_term_kind: null,
    secrecy_term_years: null,
    secrecy_term_from: null,
    secrecy_term_until: null,
    customer_authorization_sha256: null,
    customer_authorization_name: null,
  });
  const versionRows = (docId: string, n: number): DocumentVersionTable[] =>
    Array.from({ length: n }, (_, k) => ({
      id: `${docId}-v${k + 1}`,
      document_id: docId,
      seq: k + 1,
      label: `V${k + 1}`,
      issue_date: '2024-01-01',
      received_date: null,
      status: k === n - 1 ? 'current' : 'obsolete',
      note: null,
      created_at: nowIso,
      created_by: SYSTEM_ACTOR.id,
      obsoleted_at: k === n - 1 ? null : nowIso,
      obsoleted_by: k === n - 1 ? null : SYSTEM_ACTOR.id,
      approval: null,
      approval_round: 0,
      effective_date: null,
    }));
  const ROLES = ['control_plan', 'pfmea', 'work_instruction', 'inspection', 'other'] as const;
  const internal: { id: string; department: (typeof departments)[number] }[] = [];
  for (let from = 0; from < INTERNAL; from += 500) {
    const docs: DocumentTable[] = [];
    const versions: DocumentVersionTable[] = [];
    for (let i = from; i < Math.min(INTERNAL, from + 500); i++) {
      const department = pick(reviewers);
      const id = `bench-doc-i-${String(i).padStart(6, '0')}`;
      const role = ROLES[i % ROLES.length] as string;
      docs.push(
        docRow(id, `${role}-${i}`, `QP-${department.code}-${i}`, 'records', null, department.id, 0, 2),
      );
      versions.push(...versionRows(id, 2));
      internal.push({ id, department });
    }
    await db.transaction().execute(async (t) => {
      await insertAll(t, 'documents', docs);
      await insertAll(t, 'document_versions', versions);
    });
  }
  counts.documents += INTERNAL;

  // Per customer, in batches: source documents, the list, its requirements with their reviews,
  // actions, links, history and distributions, the symbols and the characteristics.
  const recipientsPool = departments.flatMap((d) => d.members.map((id, h) => ({ id, department: d, h })));
  let reqIndex = 0;
  let actionIndex = 0;
  let linkIndex = 0;
  let reviewIndex = 0;
  let ackIndex = 0;
  let charIndex = 0;
  let distIndex = 0;
  const SPAN = 4 * 365 * DAY;
  const BATCH_CUSTOMERS = database.dialect === 'sqlite' ? 100 : 200;
  let lastReport = 0;
  for (let from = 0; from < CUSTOMERS; from += BATCH_CUSTOMERS) {
    const docs: DocumentTable[] = [];
    const versions: DocumentVersionTable[] = [];
    const lists: SrListTable[] = [];
    const requirements: SrRequirementTable[] = [];
    const history: SrHistoryTable[] = [];
    const reviews: SrReviewTable[] = [];
    const actions: CorrectiveActionTable[] = [];
    const links: SrDocumentLinkTable[] = [];
    const distributions: SrDistributionTable[] = [];
    const acks: SrAcknowledgementTable[] = [];
    const symbols: SrSymbolTable[] = [];
    const characteristics: SrCharacteristicTable[] = [];
    const recipients = (
      distributionId: string,
      at: number,
      kind: string,
      secrecy: number,
      owner: (typeof departments)[number],
      n: number,
      salesArchive: boolean,
    ) => {
      const chosen = new Set<string>();
      const out: SrAcknowledgementTable[] = [];
      const add = (u: { id: string; department: (typeof departments)[number] }) => {
        if (chosen.has(u.id)) return;
        chosen.add(u.id);
        const done = random() < (now.getTime() - at > 14 * DAY ? 0.92 : 0.5);
        out.push({
          id: `bench-a-${String(ackIndex++).padStart(8, '0')}`,
          distribution_id: distributionId,
          user_id: u.id,
          department_id: u.department.id,
          acknowledged_at: done ? iso(Math.min(now.getTime(), at + random() * 10 * DAY)) : null,
          kind: done ? kind : null,
          note: null,
          reminded_at: !done && random() < 0.5 ? iso(Math.min(now.getTime(), at + 4 * DAY)) : null,
        });
      };
      // The owner department's first member, then others; only people cleared for it.
      add({ id: owner.members[0] as string, department: owner });
      for (let tries = 0; out.length < n && tries < 20; tries++) {
        const u = pick(recipientsPool);
        if (secrecy > 0 && u.h !== 0) continue;
        add(u);
      }
      // The clerk receives one in twenty of the distributions of 销售部's archives.
      if (secrecy === 0 && salesArchive && random() < 0.05) add({ id: clerk.id, department: sales });
      return out;
    };
    for (let ci = from; ci < Math.min(CUSTOMERS, from + BATCH_CUSTOMERS); ci++) {
      const customer = customers[ci] as (typeof customers)[number];
      const nReq = reqCounts[ci] as number;
      const nChar = charCounts[ci] as number;
      // Part numbers: about six characteristics each, at least as many as requirements need.
      const nParts = Math.max(1, Math.ceil(nChar / 6), Math.ceil(nReq / 4));
      const parts = Array.from({ length: nParts }, (_, k) => partOf(ci, k));
      // Two customer documents (the customer's CSR manual and its quality agreement).
      const sources: { id: string; version: string }[] = [];
      for (let k = 0; k < 2; k++) {
        const id = `bench-doc-c-${String(ci).padStart(6, '0')}-${k}`;
        const nv = 1 + Math.floor(random() * 3);
        docs.push(
          docRow(
            id,
            k === 0 ? '顾客特殊要求手册' : '质量协议',
            `${customer.code}-CSR-${k}`,
            k === 0 ? 'customer_supplied' : 'agreements',
            customer.id,
            customer.department.id,
            0,
            nv,
          ),
        );
        versions.push(...versionRows(id, nv));
        sources.push({ id, version: `${id}-v${nv}` });
      }
      const nextCheck = now.getTime() + (random() * 400 - 35) * DAY;
      lists.push({
        customer_id: customer.id,
        revision: 1 + Math.floor(random() * 4),
        revised_at: iso(nextCheck - 365 * DAY),
        revised_by: qa.id,
        next_check_on: dayOf(nextCheck),
        last_checked_on: dayOf(nextCheck - 365 * DAY),
        check_reminded_at: null,
        document_id: null,
        last_seq: nReq,
        created_at: iso(now.getTime() - SPAN),
        updated_at: nowIso,
      });
      const specialChar: string[] = [];
      for (let s = 1; s <= nReq; s++) {
        const id = `bench-r-${String(reqIndex++).padStart(7, '0')}`;
        // Older first: the list grows over the four years.
        const received = now.getTime() - SPAN + Math.floor(((s - 1 + random()) / nReq) * SPAN);
        const receivedOn = dayOf(received);
        const age = (now.getTime() - received) / DAY;
        const category = weighted(CATEGORY_WEIGHTS);
        if (category === 'special_char') specialChar.push(id);
        const phrase = pick(PHRASES[category] as string[]);
        const status =
          age < 30
            ? weighted([
                ['pending_review', 40],
                ['in_review', 50],
                ['implemented', 10],
              ] as const)
            : weighted([
                ['pending_review', 2],
                ['in_review', 12],
                ['implemented', 70],
                ['not_applicable', 10],
                ['obsolete', 6],
              ] as const);
        const owner = weighted(reviewerWeights);
        const amp = random() < 0.1;
        const projectDue = amp ? workingDayAfter(receivedOn) : null;
        const informed = amp && (status !== 'pending_review' || random() < 0.5) && random() < 0.95;
        const secrecy = random() < 0.02 ? 1 : 0;
        const effective = Math.max(secrecy, customer.secrecy);
        const listed = random() < 0.4 ? [] : some(parts, 1 + Math.floor(random() * 3));
        const decided = status !== 'pending_review' && status !== 'in_review';
        const reviewedAt = received + (3 + random() * 20) * DAY;
        requirements.push({
          id,
          customer_id: customer.id,
          seq: s,
          number: `CSR-${customer.code}-${String(s).padStart(3, '0')}`,
          source_document_id: random() < 0.9 ? (sources[s % 2] as (typeof sources)[number]).id : null,
          source_version_id: null,
          source_clause: `${1 + (s % 12)}.${1 + (s % 7)}`,
          category,
          title: `${CATEGORY_LABELS.get(category) ?? category}：${phrase}`,
          text: `${phrase}（${customer.code}第${s}条，适用于${listed.length ? listed.join('、') : '全部产品'}）`,
          received_on: receivedOn,
          receiver_id: pick(sales.members),
          applies_to_all: listed.length ? 0 : 1,
          part_numbers: JSON.stringify(listed),
          status,
          owner_department_id: owner.id,
          after_mass_production: amp ? 1 : 0,
          project_due_on: projectDue,
          project_informed_at: informed ? iso(received + random() * DAY) : null,
          needs_recheck: status !== 'obsolete' && random() < 0.02 ? 1 : 0,
          recheck_version_id: null,
          recheck_reason: null,
          reviewed_on: decided ? dayOf(reviewedAt) : null,
          confirmed_by: decided ? qa.id : null,
          confirmed_at: decided ? iso(reviewedAt) : null,
          secrecy,
          created_at: iso(received),
          created_by: pick(sales.members),
          updated_at: iso(decided ? reviewedAt : received),
          updated_by: qa.id,
        });
        const req = requirements.at(-1) as SrRequirementTable;
        if (req.source_document_id)
          req.source_version_id = (
            sources.find((x) => x.id === req.source_document_id) as { version: string }
          ).version;
        history.push({
          id: `${id}-h1`,
          requirement_id: id,
          at: iso(received),
          actor_id: req.created_by,
          actor_name: null,
          field: 'status',
          old_value: null,
          new_value: '待评审',
          note: '登记',
        });
        if (status === 'pending_review') continue;
        // Reviews of two to five departments; in review, half of them still open.
        const asked = some(reviewers, 2 + Math.floor(random() * 4));
        if (!asked.includes(owner)) asked[0] = owner;
        const applicable: (typeof departments)[number][] = [];
        for (const dept of asked) {
          const open = status === 'in_review' && random() < 0.5;
          const decision = open ? null : random() < 0.8 ? 'applicable' : 'not_applicable';
          if (decision === 'applicable') applicable.push(dept);
          const at = received + (1 + random() * 15) * DAY;
          reviews.push({
            id: `bench-v-${String(reviewIndex++).padStart(8, '0')}`,
            requirement_id: id,
            department_id: dept.id,
            requested_at: iso(received + DAY),
            requested_by: pick(sales.members),
            decision,
            note: decision === 'applicable' && random() < 0.5 ? `${dept.code}：更新作业文件` : null,
            owner_id: decision ? pick(dept.members) : null,
            reviewed_at: decision ? iso(Math.min(now.getTime(), at)) : null,
            reviewed_by: decision ? pick(dept.members) : null,
          });
        }
        // Actions decided in the reviews; open ones of requirements in review, some past due.
        for (const dept of applicable) {
          if (random() >= 0.35) continue;
          const open = status === 'in_review' ? random() < 0.8 : random() < 0.03;
          const created = received + (2 + random() * 10) * DAY;
          const due = created + (5 + random() * 60) * DAY;
          actions.push({
            id: `bench-act-${String(actionIndex++).padStart(7, '0')}`,
            source_type: 'special_requirement',
            source_id: id,
            customer_id: customer.id,
            secrecy: effective,
            kind: 'corrective',
            description: `${dept.code}落实：${phrase}`,
            owner_id: pick(dept.members),
            department_id: dept.id,
            due_days: Math.round((due - created) / DAY),
            due_date: dayOf(due),
            status: open ? 'open' : random() < 0.7 ? 'verified' : 'done',
            result: open ? null : '已落实',
            done_at: open ? null : iso(Math.min(now.getTime(), due - DAY)),
            done_by: open ? null : pick(dept.members),
            verification: null,
            verified_at: null,
            verified_by: null,
            created_by: qa.id,
            created_at: iso(created),
            updated_at: iso(created),
          });
        }
        // Documents it flows into: one or two, now and then an old version.
        if (status === 'implemented' || (status === 'in_review' && random() < 0.5)) {
          const n = 1 + Math.floor(random() * 2);
          for (let k = 0; k < n; k++) {
            const doc = pick(internal);
            links.push({
              id: `bench-l-${String(linkIndex++).padStart(7, '0')}`,
              requirement_id: id,
              department_id: doc.department.id,
              document_id: doc.id,
              version_id: `${doc.id}-v${random() < 0.05 ? 1 : 2}`,
              role: ROLES[(linkIndex + k) % ROLES.length] as string,
              note: null,
              linked_at: iso(received + (5 + random() * 20) * DAY),
              linked_by: pick(doc.department.members),
            });
          }
        }
        // One in six requirements is sent on its own to a few people.
        if (status !== 'obsolete' && random() < 1 / 6) {
          const at = Math.min(now.getTime() - DAY, received + (10 + random() * 30) * DAY);
          const did = `bench-d-r-${String(distIndex++).padStart(7, '0')}`;
          const kind = random() < 0.3 ? 'trained' : 'read';
          distributions.push({
            id: did,
            customer_id: customer.id,
            requirement_id: id,
            list_revision: null,
            ack_kind: kind,
            note: null,
            distributed_at: iso(at),
            distributed_by: qa.id,
          });
          acks.push(
            ...recipients(
              did,
              at,
              kind,
              effective,
              owner,
              2 + Math.floor(random() * 4),
              customer.department === sales,
            ),
          );
        }
      }
      // The whole list, sent at its revision to four to eight people.
      {
        const at = nextCheck - 365 * DAY;
        const did = `bench-d-l-${String(ci).padStart(6, '0')}`;
        const kind = random() < 0.3 ? 'trained' : 'read';
        distributions.push({
          id: did,
          customer_id: customer.id,
          requirement_id: null,
          list_revision: 1,
          ack_kind: kind,
          note: '清单修订',
          distributed_at: iso(Math.min(at, now.getTime() - DAY)),
          distributed_by: qa.id,
        });
        acks.push(
          ...recipients(
            did,
            at,
            kind,
            customer.secrecy,
            quality,
            4 + Math.floor(random() * 5),
            customer.department === sales,
          ),
        );
      }
      // The customer's default symbols and the characteristics of its part numbers.
      const symbolIds = DEFAULT_SR_SYMBOLS.map((s, k) => {
        const sid = `${customer.id}-sym-${k}`;
        symbols.push({
          id: sid,
          customer_id: customer.id,
          code: s.code,
          name: s.name,
          meaning: s.meaning,
          shape: s.shape,
          image_sha256: null,
          image_mime: null,
          char_class: s.charClass,
          sort_order: (k + 1) * 10,
          active: 1,
          created_at: nowIso,
          updated_at: nowIso,
        });
        return { id: sid, charClass: s.charClass };
      });
      for (let k = 0; k < nChar; k++) {
        const part = parts[k % nParts] as string;
        const seqInPart = Math.floor(k / nParts) + 1;
        const [name, spec] = pick(CHAR_NAMES);
        const symbol = random() < 0.7 ? pick(symbolIds) : null;
        characteristics.push({
          id: `bench-k-${String(charIndex++).padStart(8, '0')}`,
          customer_id: customer.id,
          part_number: part,
          seq: seqInPart,
          name,
          specification: spec,
          char_class: symbol?.charClass ?? (random() < 0.3 ? 'CC' : 'SC'),
          symbol_id: symbol?.id ?? null,
          control_plan_ref: `CP-${part}-${seqInPart}`,
          inspection_method: random() < 0.5 ? '三坐标' : '卡尺',
          requirement_id: specialChar.length && random() < 0.3 ? pick(specialChar) : null,
          // One in fifty was removed (deactivated).
          active: random() < 0.02 ? 0 : 1,
          created_at: nowIso,
          created_by: qa.id,
          updated_at: nowIso,
        });
      }
    }
    await db.transaction().execute(async (t) => {
      await insertAll(t, 'documents', docs);
      await insertAll(t, 'document_versions', versions);
      await insertAll(t, 'sr_lists', lists);
      await insertAll(t, 'sr_requirements', requirements);
      await insertAll(t, 'sr_history', history);
      await insertAll(t, 'sr_reviews', reviews);
      await insertAll(t, 'corrective_actions', actions);
      await insertAll(t, 'sr_document_links', links);
      await insertAll(t, 'sr_distributions', distributions);
      await insertAll(t, 'sr_acknowledgements', acks);
      await insertAll(t, 'sr_symbols', symbols);
      await insertAll(t, 'sr_characteristics', characteristics);
    });
    counts.documents += docs.length;
    counts.requirements += requirements.length;
    counts.reviews += reviews.length;
    counts.actions += actions.length;
    counts.links += links.length;
    counts.distributions += distributions.length;
    counts.acknowledgements += acks.length;
    counts.characteristics += characteristics.length;
    if (counts.requirements - lastReport >= 50_000) {
      lastReport = counts.requirements;
      console.log(
        `  wrote ${counts.requirements.toLocaleString()} requirements… ${((performance.now() - start) / 1000).toFixed(0)} s`,
      );
    }
  }
  await db
    .insertInto('counters')
    .values({ key: 'document_search_key', value: searchKey })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: searchKey }))
    .execute();
  await sql`analyze`.execute(db);
  const writeSeconds = (performance.now() - start) / 1000;
  console.log(`wrote ${JSON.stringify(counts)} in ${writeSeconds.toFixed(0)} s`);
  return { counts, writeSeconds };
}

async function countsOf(): Promise<Counts> {
  const n = async (table: keyof Database) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    requirements: await n('sr_requirements'),
    reviews: await n('sr_reviews'),
    actions: await n('corrective_actions'),
    links: await n('sr_document_links'),
    distributions: await n('sr_distributions'),
    acknowledgements: await n('sr_acknowledgements'),
    characteristics: await n('sr_characteristics'),
    documents: await n('documents'),
  };
}

const { counts, writeSeconds } = reuse ? { counts: await countsOf(), writeSeconds: 0 } : await generate();
if (reuse) console.log(`measuring the requirements already in ${dataDir}: ${JSON.stringify(counts)}`);

// The measured pages, through HTTP as each reader and as the nearest plain query on the database.
const qa = await signIn(app, 'qa', PASSWORD);
const staff = await signIn(app, 'clerk', PASSWORD);
const userId = async (login: string) =>
  (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
const readers = { qa: await userId('qa'), clerk: await userId('clerk') };
const deptId = async (code: string) =>
  (await db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
const engineering = await deptId('engineering');
const qualityDept = await deptId('ZL');
const salesDept = await deptId('XS');
const search = '防静电';
const like = `%${search}%`;
const details = sql`r.*, c.name, c.archive_code, c.secrecy as customer_secrecy,
  (select count(*) from corrective_actions sa where sa.source_type = 'special_requirement' and sa.source_id = r.id and sa.status = 'open') as open_actions`;
const page = (where: RawBuilder<unknown>) =>
  sql`select ${details} from sr_requirements r join customers c on c.id = r.customer_id where ${where} order by r.number limit 51`;
const all = (where: RawBuilder<unknown>) =>
  sql`select ${details} from sr_requirements r join customers c on c.id = r.customer_id where ${where} order by r.number`;
const yes = sql`1 = 1`;
const overdue = sql`((r.after_mass_production = 1 and r.project_informed_at is null and r.status not in ('obsolete', 'not_applicable') and r.project_due_on < ${today}) or exists (select 1 from corrective_actions sa where sa.source_type = 'special_requirement' and sa.source_id = r.id and sa.status = 'open' and sa.due_date < ${today}))`;
const inDepartment = sql`(r.owner_department_id = ${engineering} or exists (select 1 from sr_reviews fv where fv.requirement_id = r.id and fv.department_id = ${engineering}))`;
const applicable = sql`r.customer_id = ${CUSTOMER} and r.status = 'implemented' and (r.applies_to_all = 1 or r.part_numbers like ${`%"${PART}"%`})`;
const CROSS = 'category=packaging&status=implemented';
const cross = sql`r.category = 'packaging' and r.status = 'implemented'`;

interface Measured {
  name: string;
  url: string;
  /** The plain query; given the reader's id when it depends on who reads. */
  raw: (reader: string) => Promise<unknown>;
  perReader?: boolean;
  body?: boolean;
}
const measured: Measured[] = [
  { name: 'list, first page', url: '/api/special-requirements?limit=50', raw: () => page(yes).execute(db) },
  {
    name: 'list, category ppap',
    url: '/api/special-requirements?limit=50&category=ppap',
    raw: () => page(sql`r.category = 'ppap'`).execute(db),
  },
  {
    name: 'list, status in_review',
    url: '/api/special-requirements?limit=50&status=in_review',
    raw: () => page(sql`r.status = 'in_review'`).execute(db),
  },
  {
    name: 'list, department 技术部',
    url: `/api/special-requirements?limit=50&departmentId=${engineering}`,
    raw: () => page(inDepartment).execute(db),
  },
  {
    name: 'list, overdue',
    url: '/api/special-requirements?limit=50&overdue=true',
    raw: () => page(overdue).execute(db),
  },
  {
    name: 'list, one customer',
    url: `/api/special-requirements?limit=50&customerId=${CUSTOMER}`,
    raw: () => page(sql`r.customer_id = ${CUSTOMER}`).execute(db),
  },
  {
    name: `list, search ${search}`,
    url: `/api/special-requirements?limit=50&q=${encodeURIComponent(search)}`,
    raw: () =>
      page(
        sql`(r.number like ${like} escape '\\' or r.title like ${like} escape '\\' or r.text like ${like} escape '\\')`,
      ).execute(db),
  },
  {
    name: 'list, needsRecheck',
    url: '/api/special-requirements?limit=50&needsRecheck=true',
    raw: () => page(sql`r.needs_recheck = 1`).execute(db),
  },
  {
    name: "a customer's list (archive tab)",
    url: `/api/customers/${CUSTOMER}/special-requirements`,
    raw: () => all(sql`r.customer_id = ${CUSTOMER}`).execute(db),
  },
  {
    name: `applicable, part ${PART}`,
    url: `/api/customers/${CUSTOMER}/applicable-requirements?partNumber=${PART}`,
    raw: () => all(applicable).execute(db),
  },
  {
    name: 'export CSV, one customer',
    url: `/api/special-requirements/export.csv?customerId=${CUSTOMER}`,
    raw: () => all(sql`r.customer_id = ${CUSTOMER}`).execute(db),
    body: true,
  },
  {
    name: 'export xlsx, one customer',
    url: `/api/special-requirements/export.xlsx?customerId=${CUSTOMER}`,
    raw: () => all(sql`r.customer_id = ${CUSTOMER}`).execute(db),
    body: true,
  },
  {
    name: 'export CSV, packaging implemented',
    url: `/api/special-requirements/export.csv?${CROSS}`,
    raw: () => all(cross).execute(db),
    body: true,
  },
  {
    name: 'export xlsx, packaging implemented',
    url: `/api/special-requirements/export.xlsx?${CROSS}`,
    raw: () => all(cross).execute(db),
    body: true,
  },
  {
    name: "a customer's distributions",
    url: `/api/special-requirements/distributions?customerId=${CUSTOMER}`,
    raw: async () => {
      const ds = await sql<{
        id: string;
      }>`select d.*, r.number from sr_distributions d left join sr_requirements r on r.id = d.requirement_id where d.customer_id = ${CUSTOMER} order by d.distributed_at desc, d.id desc limit 100`.execute(
        db,
      );
      const ids = ds.rows.map((x) => x.id);
      if (ids.length)
        await sql`select a.*, u.name from sr_acknowledgements a join users u on u.id = a.user_id where a.distribution_id in (${sql.join(ids)})`.execute(
          db,
        );
    },
  },
  {
    name: 'one distribution (not acknowledged)',
    url: `/api/special-requirements/distributions/${DISTRIBUTION}`,
    raw: () =>
      sql`select a.*, u.name from sr_acknowledgements a join users u on u.id = a.user_id left join departments dep on dep.id = a.department_id where a.distribution_id = ${DISTRIBUTION} order by dep.name, u.name, a.user_id`.execute(
        db,
      ),
  },
  {
    name: 'my open acknowledgements',
    url: '/api/special-requirements/acknowledgements/mine',
    perReader: true,
    raw: (reader) =>
      sql`select d.*, a.reminded_at from sr_acknowledgements a join sr_distributions d on d.id = a.distribution_id where a.user_id = ${reader} and a.acknowledged_at is null order by d.distributed_at, d.id limit 500`.execute(
        db,
      ),
  },
  {
    name: `characteristics, part ${PART}`,
    url: `/api/customers/${CUSTOMER}/characteristics?limit=50&partNumber=${PART}`,
    raw: () =>
      sql`select k.*, s.code from sr_characteristics k left join sr_symbols s on s.id = k.symbol_id where k.customer_id = ${CUSTOMER} and k.part_number = ${PART} and k.active = 1 order by k.part_number, k.seq, k.id limit 51`.execute(
        db,
      ),
  },
  {
    name: 'characteristics, first page',
    url: `/api/customers/${CUSTOMER}/characteristics?limit=50`,
    raw: () =>
      sql`select k.*, s.code from sr_characteristics k left join sr_symbols s on s.id = k.symbol_id where k.customer_id = ${CUSTOMER} and k.active = 1 order by k.part_number, k.seq, k.id limit 51`.execute(
        db,
      ),
  },
  {
    name: 'characteristics, part numbers',
    url: `/api/customers/${CUSTOMER}/characteristics/parts`,
    raw: () =>
      sql`select part_number, count(*) from sr_characteristics where customer_id = ${CUSTOMER} and active = 1 group by part_number order by part_number`.execute(
        db,
      ),
  },
  {
    name: 'characteristics xlsx, a customer',
    url: `/api/customers/${CUSTOMER}/characteristics/export.xlsx`,
    raw: () =>
      sql`select k.*, s.code from sr_characteristics k left join sr_symbols s on s.id = k.symbol_id where k.customer_id = ${CUSTOMER} and k.active = 1 order by k.part_number, k.seq, k.id`.execute(
        db,
      ),
    body: true,
  },
  {
    name: 'to-do counts',
    url: '/api/special-requirements/todo',
    perReader: true,
    raw: async (reader) => {
      const dept = reader === readers.qa ? qualityDept : salesDept;
      await sql`select count(*) from sr_requirements r join sr_reviews v on v.requirement_id = r.id where r.status = 'in_review' and v.department_id = ${dept} and v.decision is null`.execute(
        db,
      );
      await sql`select count(*), sum(case when r.project_due_on < ${today} then 1 else 0 end) from sr_requirements r where r.after_mass_production = 1 and r.project_informed_at is null and r.status not in ('obsolete', 'not_applicable')`.execute(
        db,
      );
      await sql`select count(*) from sr_requirements r where r.needs_recheck = 1 and r.status != 'obsolete'`.execute(
        db,
      );
      await sql`select count(*) from sr_acknowledgements a where a.user_id = ${reader} and a.acknowledged_at is null`.execute(
        db,
      );
      await sql`select count(*) from sr_lists l where l.next_check_on <= ${dayOf(now.getTime() + 30 * DAY)}`.execute(
        db,
      );
    },
  },
];

const results: Record<string, unknown>[] = [];
console.log(
  `\n${'reader'.padEnd(6)} ${'query'.padEnd(36)} ${'HTTP p50'.padStart(9)} ${'HTTP p95'.padStart(9)} ${'DB p50'.padStart(8)} ${'DB p95'.padStart(8)}  ratio p95`,
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
    const ownRaw = who === 'qa' || !!args.reader || !!c.perReader;
    // One warm-up each, not counted.
    await client.get(c.url);
    for (let i = 0; i < (c.body ? EXPORT_SAMPLES : SAMPLES); i++) {
      httpMs.push(
        await time(async () => {
          const res = await client.get(c.url);
          if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
          bytes = res.rawPayload.length;
          if (!c.body) {
            const json = res.json() as unknown;
            const list = Array.isArray(json)
              ? json
              : ((json as { items?: unknown[]; recipients?: unknown[] }).items ??
                (json as { recipients?: unknown[] }).recipients);
            items = list
              ? list.length
              : Object.values(json as Record<string, unknown>).reduce<number>(
                  (s, v) => s + (typeof v === 'number' ? v : 0),
                  0,
                );
          }
        }),
      );
      if (ownRaw) rawMs.push(await time(() => c.raw(readers[who])));
    }
    const h = stats(httpMs);
    const d = ownRaw
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
      `${who.padEnd(6)} ${c.name.padEnd(36)} ${h.p50.toFixed(1).padStart(7)}ms ${h.p95.toFixed(1).padStart(7)}ms ${d.p50.toFixed(1).padStart(6)}ms ${d.p95.toFixed(1).padStart(6)}ms  ${(h.p95 / d.p95).toFixed(1)}×  (${c.body ? `${(bytes / 1024).toFixed(0)} KB` : `${items.toLocaleString()}`})`,
    );
  }
}

fs.mkdirSync('bench/out', { recursive: true });
const out = `bench/out/special-requirements-${database.dialect}-${N}.json`;
fs.writeFileSync(
  out,
  JSON.stringify(
    {
      requirements: N,
      customers: CUSTOMERS,
      counts,
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
