import { sql } from 'kysely';
import { CARRIER_LABELS, type Carrier, retentionLabel } from '../../../common/documents.js';
import { SECRECY_LABELS, SECRECY_LEVELS } from '../../../common/enums.js';
import {
  endOfDayShanghai,
  LENDING_MODE_LABELS,
  type LendingMode,
  PURPOSE_LABELS,
  type Purpose,
} from '../../../common/lending.js';
import type {
  Holdings,
  ServiceSummary,
  StatisticsBucket,
  StatisticsQuery,
  StatisticsTable,
  UseStatistics,
} from '../../../common/schemas/statistics.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { authorize } from '../../platform/policy/index.js';
import {
  type ActorScope,
  actorScope,
  documentSecrecy,
  statisticsCustomerCounted,
  statisticsDocumentCounted,
  statisticsUseDepartments,
} from '../../platform/policy/records.js';
import * as cases from '../cases/service.js';
import { computeStats } from '../cases/stats.js';
import { itemWithinClearance, requestWithinClearance } from '../lending/requests.js';
import { orderReader } from '../orders/access.js';
import { compute as deliveryStats } from '../orders/performance.js';
import { periodIndex } from '../surveys/results.js';
import { visitCounts } from '../visits/service.js';

// Archive statistics (档案统计, 篇八 第五十、五十一条; 002 档案利用统计): holdings by category, year,
// retention, carrier and secrecy; use (查阅 from the audit trail, 借阅 from the access requests) by
// department, purpose, mode and category; and a service summary that asks the owning modules for
// their own figures. The definitions are in common/schemas/statistics.ts.
//
// Every count is a GROUP BY with the reader's predicate from policy/records.ts in the query
// (statisticsDocumentCounted …), so nothing above a reader's clearance — by effective secrecy —
// and nothing outside a department manager's scope is ever counted, in a chart, a total or an
// export. A few group rows come back (categories × years × retention × carrier × secrecy) and
// are summed here into the tables.

export interface StatsReader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
  year: number;
  /** The year's bounds as instants: [start, end). */
  start: string;
  end: string;
  /** The day counted at: 12-31, or today for the current (or a future) year. */
  asOf: string;
}

export async function statsReader(ctx: Ctx, q: StatisticsQuery): Promise<StatsReader> {
  authorize(ctx, 'statistics.read', { type: 'statistics' });
  const today = todayInShanghai(ctx.now());
  const year = q.year ?? Number(today.slice(0, 4));
  const last = `${year}-12-31`;
  return {
    ctx,
    scope: await actorScope(ctx),
    year,
    start: endOfDayShanghai(`${year - 1}-12-31`),
    end: endOfDayShanghai(last),
    asOf: last < today ? last : today,
  };
}

const num = (v: unknown) => Number(v ?? 0);

/** Adds n to the bucket of key (kept in first-seen order; sorted by the caller). */
function tally(m: Map<string | null, number>, key: string | number | null, n: number) {
  const k = key === null ? null : String(key);
  m.set(k, (m.get(k) ?? 0) + n);
}

function table(
  code: string,
  title: string,
  dimension: string,
  list: StatisticsTable['list'],
  buckets: StatisticsBucket[],
): StatisticsTable {
  return { code, title, dimension, list, buckets, total: buckets.reduce((s, b) => s + b.value, 0) };
}

async function namesOf(
  r: StatsReader,
  kind: 'departments' | 'document_categories',
  keys: (string | null)[],
): Promise<Map<string, string>> {
  const ids = keys.filter((k): k is string => k !== null);
  if (ids.length === 0) return new Map();
  const rows =
    kind === 'departments'
      ? await r.ctx.db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute()
      : await r.ctx.db
          .selectFrom('document_categories')
          .select(['code as id', 'name'])
          .where('code', 'in', ids)
          .execute();
  return new Map(rows.map((x) => [x.id, x.name]));
}

/** Categories in their configured order (then unknown codes), as the documents list shows them. */
async function categoryOrder(r: StatsReader): Promise<Map<string, number>> {
  const rows = await r.ctx.db
    .selectFrom('document_categories')
    .select(['code', 'sort_order'])
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return new Map(rows.map((x, i) => [x.code, i]));
}

// Holdings ---------------------------------------------------------------------------------------

/** Documents the reader counts. */
function counted(r: StatsReader) {
  return r.ctx.db
    .selectFrom('documents as d')
    .where(statisticsDocumentCounted(r.ctx.actor, r.scope, r.ctx.now()) as never);
}

export async function computeHoldings(r: StatsReader): Promise<Holdings & { secrecy: number }> {
  const SECRECY = documentSecrecy('d');
  const [groups, flow] = await Promise.all([
    counted(r)
      .where('d.created_at', '<', r.end)
      .where((eb) => eb.or([eb('d.destroyed_at', 'is', null), eb('d.destroyed_at', '>=', r.end)]))
      .select((eb) => [
        'd.category',
        'd.record_year',
        'd.retention',
        'd.carrier',
        SECRECY.as('secrecy'),
        eb.fn.countAll<number>().as('n'),
      ])
      .groupBy(['d.category', 'd.record_year', 'd.retention', 'd.carrier', SECRECY])
      .execute(),
    counted(r)
      .select([
        sql<number>`sum(case when d.created_at >= ${r.start} and d.created_at < ${r.end} then 1 else 0 end)`.as(
          'added',
        ),
        sql<number>`sum(case when d.destroyed_at >= ${r.start} and d.destroyed_at < ${r.end} then 1 else 0 end)`.as(
          'destroyed',
        ),
        sql<number>`max(case when (d.created_at >= ${r.start} and d.created_at < ${r.end}) or (d.destroyed_at >= ${r.start} and d.destroyed_at < ${r.end}) then ${SECRECY} else 0 end)`.as(
          'secrecy',
        ),
      ])
      .where((eb) =>
        eb.or([
          eb.and([eb('d.created_at', '>=', r.start), eb('d.created_at', '<', r.end)]),
          eb.and([eb('d.destroyed_at', '>=', r.start), eb('d.destroyed_at', '<', r.end)]),
        ]),
      )
      .executeTakeFirstOrThrow(),
  ]);
  const category = new Map<string | null, number>();
  const year = new Map<string | null, number>();
  const retention = new Map<string | null, number>();
  const carrier = new Map<string | null, number>();
  const secrecy = new Map<string | null, number>();
  let total = 0;
  let top = num(flow.secrecy);
  for (const g of groups) {
    const n = num(g.n);
    total += n;
    tally(category, g.category, n);
    tally(year, g.record_year, n);
    tally(retention, g.retention, n);
    tally(carrier, g.carrier, n);
    tally(secrecy, num(g.secrecy), n);
    top = Math.max(top, num(g.secrecy));
  }
  const [names, order] = await Promise.all([
    namesOf(r, 'document_categories', [...category.keys()]),
    categoryOrder(r),
  ]);
  // The documents list shows records as they are now: only the current year's buckets open it.
  const current = r.asOf === todayInShanghai(r.ctx.now());
  const listed = (q: Record<string, string>) => (current ? { held: 'true', ...q } : null);
  const byCategory = [...category]
    .sort(
      ([a], [b]) =>
        (order.get(a ?? '') ?? 1e9) - (order.get(b ?? '') ?? 1e9) || String(a).localeCompare(String(b)),
    )
    .map(([key, value]) => ({
      key,
      name: names.get(key ?? '') ?? key ?? '',
      value,
      query: key ? listed({ category: key }) : null,
    }));
  // Years oldest first; a record without a year (none registered so) last.
  const byYear = [...year]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : Number(a) - Number(b)))
    .map(([key, value]) => ({
      key,
      name: key ?? '未定',
      value,
      query: key ? listed({ recordYear: key }) : null,
    }));
  // Permanent first, then the longest terms.
  const weight = (code: string | null) => (code === 'Y' ? -1e6 : -Number(/\d+/.exec(code ?? '')?.[0] ?? 0));
  const byRetention = [...retention]
    .sort(([a], [b]) => weight(a) - weight(b) || String(a).localeCompare(String(b)))
    .map(([key, value]) => ({
      key,
      name: key ? retentionLabel(key, 'zh') : '未定',
      value,
      query: key ? listed({ retention: key }) : null,
    }));
  const byCarrier = (['paper', 'electronic', 'both'] as Carrier[])
    .filter((c) => carrier.has(c))
    .map((key) => ({
      key,
      name: CARRIER_LABELS[key].zh,
      value: carrier.get(key) ?? 0,
      query: listed({ carrier: key }),
    }));
  const bySecrecy = SECRECY_LEVELS.map((level, rank) => ({
    key: String(rank),
    name: SECRECY_LABELS[level].zh,
    value: secrecy.get(String(rank)) ?? 0,
    query: listed({ secrecy: level }),
  })).filter((b) => b.value > 0 || b.key === '0');
  return {
    year: r.year,
    asOf: r.asOf,
    total,
    added: num(flow.added),
    destroyed: num(flow.destroyed),
    tables: [
      table('holdings_category', '馆藏·按门类', '门类', 'documents', byCategory),
      table('holdings_year', '馆藏·按年度', '年度', 'documents', byYear),
      table('holdings_retention', '馆藏·按保管期限', '保管期限', 'documents', byRetention),
      table('holdings_carrier', '馆藏·按载体', '载体', 'documents', byCarrier),
      table('holdings_secrecy', '馆藏·按密级', '密级', 'documents', bySecrecy),
    ],
    secrecy: top,
  };
}

// Use --------------------------------------------------------------------------------------------

const READ_ACTIONS = ['document.read', 'document.preview', 'document.download'];
/** The category key of customer archives in the use tables (not a document category code). */
const CUSTOMER_KEY = '__customer';
/** An item's category; a literal, not a parameter, so PostgreSQL sees the GROUP BY as the SELECT. */
const ITEM_CATEGORY = sql<
  string | null
>`case when i.target_type = 'customer' then ${sql.lit(CUSTOMER_KEY)} else d.category end`;

export async function computeUse(r: StatsReader): Promise<UseStatistics & { secrecy: number }> {
  const { actor } = r.ctx;
  const now = r.ctx.now();
  const departments = statisticsUseDepartments(actor, r.scope);
  const inScope = <T extends { where: (...a: never[]) => T }>(q: T, column: string): T =>
    departments === null
      ? q
      : departments.length
        ? (q.where as (c: string, op: string, v: unknown) => T)(column, 'in', departments)
        : (q.where as (c: unknown) => T)(sql`1 = 0`);
  const inYear = (column: string) => sql`${sql.ref(column)} >= ${r.start} and ${sql.ref(column)} < ${r.end}`;

  // By action and time only (audit_action_at_idx): the actions name the target's type, and a
  // condition on it lets SQLite choose the index by type, which holds every read ever made.
  const readsFrom = () =>
    r.ctx.db
      .selectFrom('audit_log as al')
      .leftJoin('users as u', 'u.id', 'al.actor_id')
      .where('al.outcome', '=', 'success')
      .where(inYear('al.at') as never);
  const SECRECY = documentSecrecy('d');
  const [documentReads, customerReads, requests, items] = await Promise.all([
    inScope(
      readsFrom()
        .innerJoin('documents as d', 'd.id', 'al.target_id')
        .where('al.action', 'in', READ_ACTIONS)
        .where(statisticsDocumentCounted(actor, r.scope, now) as never),
      'u.department_id',
    )
      .select((eb) => [
        'u.department_id as department',
        'd.category',
        eb.fn.countAll<number>().as('n'),
        sql<number>`max(${SECRECY})`.as('secrecy'),
      ])
      .groupBy(['u.department_id', 'd.category'])
      .execute(),
    inScope(
      readsFrom()
        .innerJoin('customers as c', 'c.id', 'al.target_id')
        .where('al.action', '=', 'customer.read')
        .where(statisticsCustomerCounted(actor, r.scope, now) as never),
      'u.department_id',
    )
      .select((eb) => [
        'u.department_id as department',
        eb.fn.countAll<number>().as('n'),
        eb.fn.max('c.secrecy').as('secrecy'),
      ])
      .groupBy('u.department_id')
      .execute(),
    inScope(
      r.ctx.db
        .selectFrom('access_requests as a')
        .where('a.status', 'in', ['approved', 'closed'])
        .where(inYear('a.created_at') as never)
        .where(requestWithinClearance(actor) as never),
      'a.requester_department_id',
    )
      .select((eb) => [
        'a.requester_department_id as department',
        'a.purpose',
        'a.mode',
        eb.fn.countAll<number>().as('n'),
        eb.fn.max('a.secrecy').as('secrecy'),
      ])
      .groupBy(['a.requester_department_id', 'a.purpose', 'a.mode'])
      .execute(),
    inScope(
      r.ctx.db
        .selectFrom('access_requests as a')
        .innerJoin('access_request_items as i', 'i.request_id', 'a.id')
        .leftJoin('documents as d', (j) =>
          j.onRef('d.id', '=', 'i.target_id').on('i.target_type', '=', 'document'),
        )
        .where('a.status', 'in', ['approved', 'closed'])
        .where(inYear('a.created_at') as never)
        .where(requestWithinClearance(actor) as never)
        .where(itemWithinClearance(actor) as never),
      'a.requester_department_id',
    )
      .select((eb) => [ITEM_CATEGORY.as('category'), eb.fn.countAll<number>().as('n')])
      .groupBy(ITEM_CATEGORY)
      .execute(),
  ]);

  const readDepartment = new Map<string | null, number>();
  const readCategory = new Map<string | null, number>();
  const lendDepartment = new Map<string | null, number>();
  const purpose = new Map<string | null, number>();
  const mode = new Map<string | null, number>();
  const lendCategory = new Map<string | null, number>();
  let top = 0;
  for (const x of documentReads) {
    tally(readDepartment, x.department, num(x.n));
    tally(readCategory, x.category, num(x.n));
    top = Math.max(top, num(x.secrecy));
  }
  for (const x of customerReads) {
    tally(readDepartment, x.department, num(x.n));
    tally(readCategory, CUSTOMER_KEY, num(x.n));
    top = Math.max(top, num(x.secrecy));
  }
  for (const x of requests) {
    tally(lendDepartment, x.department, num(x.n));
    tally(purpose, x.purpose, num(x.n));
    tally(mode, x.mode, num(x.n));
    top = Math.max(top, num(x.secrecy));
  }
  for (const x of items) tally(lendCategory, x.category, num(x.n));

  const [departmentNames, categoryNames, order] = await Promise.all([
    namesOf(r, 'departments', [...readDepartment.keys(), ...lendDepartment.keys()]),
    namesOf(r, 'document_categories', [...readCategory.keys(), ...lendCategory.keys()]),
    categoryOrder(r),
  ]);
  const byDepartment = (m: Map<string | null, number>) =>
    [...m]
      .map(([key, value]) => ({
        key,
        name: key === null ? '无部门' : (departmentNames.get(key) ?? key),
        value,
        query: null,
      }))
      .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'zh'));
  // Customer archives first (the archive's own records), then the categories in their order.
  const byCategory = (m: Map<string | null, number>) =>
    [...m]
      .sort(
        ([a], [b]) =>
          (a === CUSTOMER_KEY ? -1 : (order.get(a ?? '') ?? 1e9)) -
            (b === CUSTOMER_KEY ? -1 : (order.get(b ?? '') ?? 1e9)) || String(a).localeCompare(String(b)),
      )
      .map(([key, value]) => ({
        key,
        name: key === CUSTOMER_KEY ? '客户档案' : (categoryNames.get(key ?? '') ?? key ?? '未定'),
        value,
        query: null,
      }));
  const sum = (m: Map<string | null, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    year: r.year,
    reads: sum(readDepartment),
    requests: sum(purpose),
    items: sum(lendCategory),
    tables: [
      table('reads_department', '查阅·按部门', '部门', null, byDepartment(readDepartment)),
      table('reads_category', '查阅·按门类', '门类', null, byCategory(readCategory)),
      table('lending_department', '借阅·按部门', '部门', null, byDepartment(lendDepartment)),
      table(
        'lending_purpose',
        '借阅·按用途',
        '用途',
        null,
        (Object.keys(PURPOSE_LABELS) as Purpose[])
          .filter((p) => purpose.has(p))
          .map((key) => ({ key, name: PURPOSE_LABELS[key].zh, value: purpose.get(key) ?? 0, query: null })),
      ),
      table(
        'lending_mode',
        '借阅·按方式',
        '方式',
        null,
        (Object.keys(LENDING_MODE_LABELS) as LendingMode[])
          .filter((p) => mode.has(p))
          .map((key) => ({ key, name: LENDING_MODE_LABELS[key].zh, value: mode.get(key) ?? 0, query: null })),
      ),
      table('lending_category', '借阅·按门类（件）', '门类', null, byCategory(lendCategory)),
    ],
    secrecy: top,
  };
}

// Service summary ----------------------------------------------------------------------------------

/** Complaints, visits, satisfaction and on-time delivery of the year, each from its own module. */
export async function computeService(r: StatsReader): Promise<ServiceSummary & { secrecy: number }> {
  const { ctx, year } = r;
  const [complaints, visits, satisfaction, delivery] = await Promise.all([
    cases
      .reader(ctx)
      .then((cr) => computeStats(cr, { from: `${year}-01`, to: `${year}-12`, kind: 'complaint' })),
    visitCounts(ctx, `${year}-01-01`, `${year}-12-31`),
    periodIndex(ctx, String(year)),
    orderReader(ctx).then((or) =>
      deliveryStats(or, { from: `${year}-01-01`, to: `${year}-12-31`, groupBy: 'month' }),
    ),
  ]);
  const resolve = complaints.stats.clocks.find((c) => c.clock === 'resolve');
  return {
    year,
    complaints: {
      received: complaints.stats.total.value,
      late: (resolve?.late ?? 0) + (resolve?.breached ?? 0),
      onTimeRate: resolve?.onTimeRate ?? null,
    },
    visits: { due: visits.due, done: visits.done, open: visits.open },
    satisfaction: satisfaction ? { responses: satisfaction.responses, index: satisfaction.index } : null,
    delivery: { lines: delivery.total.lines, onTime: delivery.total.linesOnTime, rate: delivery.total.rate },
    secrecy: Math.max(complaints.secrecy, visits.secrecy, satisfaction?.secrecy ?? 0, delivery.secrecy),
  };
}

// Reads, audited -------------------------------------------------------------------------------------

async function audited<T extends { secrecy: number }>(
  r: StatsReader,
  part: string,
  result: T,
): Promise<Omit<T, 'secrecy'>> {
  const { secrecy, ...rest } = result;
  await appendAudit(r.ctx, {
    action: 'statistics.read',
    targetType: 'statistics',
    secrecy,
    details: { part, year: r.year },
  });
  return rest;
}

export async function holdings(ctx: Ctx, q: StatisticsQuery): Promise<Holdings> {
  const r = await statsReader(ctx, q);
  return audited(r, 'holdings', await computeHoldings(r));
}

export async function use(ctx: Ctx, q: StatisticsQuery): Promise<UseStatistics> {
  const r = await statsReader(ctx, q);
  return audited(r, 'use', await computeUse(r));
}

export async function service(ctx: Ctx, q: StatisticsQuery): Promise<ServiceSummary> {
  const r = await statsReader(ctx, q);
  return audited(r, 'service', await computeService(r));
}
