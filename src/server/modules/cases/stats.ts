import { sql } from 'kysely';
import {
  CAUSE_CATEGORIES,
  CAUSE_LABELS,
  type CauseCategory,
  CLOCK_LABELS,
  CLOCKS,
  type Clock,
} from '../../../common/cases.js';
import type {
  CaseListFilter,
  CaseStats,
  CaseStatsFilter,
  StatsBucket,
} from '../../../common/schemas/case-stats.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import { type Ctx, nowIso } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { seesAllCases } from '../../platform/policy/records.js';
import { countCustomers } from '../customers/service.js';
import * as repo from './repo.js';
import { countedCases, type Reader, reader } from './service.js';

// Complaint statistics (R-Q6): complaints per month, cause, handling department, product and
// customer; the justified rate; for each clock the on-time rate and the median and p90 time to
// meet it; the complaint rate. The definitions are in common/schemas/case-stats.ts and
// docs/case-statistics.md.
//
// Only cases the reader may see are counted (`countedCases` carries the visibility and clearance
// predicate, on the case alone for a reader who sees every case), and every number comes with the
// case-list filter that lists the cases behind it. Four GROUP BYs over the period's cases, which
// `cases_stats_idx` (migration 0018) holds with every column they read; the percentiles come from
// a count per distinct value (working days are few; hours are rounded to 0.1 h, a few thousand
// values at most), cumulated here, so both databases compute them alike. bench/cases.ts measures
// them at a million cases.

/** The longest period asked for at once (ten years of months). */
export const STATS_MAX_MONTHS = 120;
const TOP = 20;

export interface Period {
  from: string;
  to: string;
  months: string[];
  /** The same period as case-list dates. */
  firstDay: string;
  lastDay: string;
}

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function periodOf(f: Pick<CaseStatsFilter, 'from' | 'to'>, now: Date): Period {
  const to = f.to ?? todayInShanghai(now).slice(0, 7);
  const from = f.from ?? addMonths(to, -11);
  if (from > to) throw new FieldErrors([{ field: 'to', key: 'date_order', params: { date: from } }]);
  const months: string[] = [];
  for (let m = from; m <= to && months.length <= STATS_MAX_MONTHS; m = addMonths(m, 1)) months.push(m);
  if (months.length > STATS_MAX_MONTHS)
    throw new DomainError('case_stats_period', 422, { max: STATS_MAX_MONTHS }, 'from');
  const [y, m] = to.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from, to, months, firstDay: `${from}-01`, lastDay: `${to}-${String(last).padStart(2, '0')}` };
}

/** The cases the statistics count: the filter, the period's months, what the reader may see. */
export function statsCases(r: Reader, f: CaseStatsFilter, p: Period) {
  return countedCases(r, {
    kind: f.kind,
    type: f.type,
    departmentId: f.departmentId,
    customerId: f.customerId,
    product: f.product,
  })
    .where('k.received_month', '>=', p.from)
    .where('k.received_month', '<=', p.to);
}

/** Nearest-rank percentile (`percent` of 100) of a distribution given as value → count. */
export function nearestRank(counts: Map<number, number>, percent: number): number | null {
  let n = 0;
  for (const c of counts.values()) n += c;
  if (n === 0) return null;
  // Integer arithmetic: 0.9 * 70 is 63.00000000000001 in floating point, and its ceiling 64.
  const rank = Math.max(1, Math.ceil((percent * n) / 100));
  let seen = 0;
  for (const value of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(value) as number;
    if (seen >= rank) return value;
  }
  return null;
}

const num = (v: unknown) => Number(v ?? 0);
const add = (m: Map<number, number>, key: number, n: number) => m.set(key, (m.get(key) ?? 0) + n);

/** Hours met, in tenths, rounded half up from the stored hundredths (the same on both databases:
 * integer arithmetic after one round of a value that is a whole number of hundredths). */
const HOURS_TENTHS = sql<number>`(cast(round(kc.met_hours * 100) as integer) + 5) / 10`;

export interface StatsResult {
  stats: CaseStats;
  /** The highest effective secrecy of a case counted (for the audit entry). */
  secrecy: number;
}

/** Computes the statistics for the reader; no audit entry (the callers write theirs). */
export async function computeStats(r: Reader, f: CaseStatsFilter): Promise<StatsResult> {
  const db = r.ctx.db;
  const p = periodOf(f, r.ctx.now());
  const now = nowIso(r.ctx);
  const cases = () => statsCases(r, f, p);
  // The case-list filter of the whole selection; a bucket adds its own dimension to it.
  const base: CaseListFilter = {
    kind: f.kind,
    ...(f.type ? { type: f.type } : {}),
    ...(f.departmentId ? { departmentId: f.departmentId } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
    ...(f.product ? { product: f.product } : {}),
  };
  const inPeriod: CaseListFilter = { ...base, from: p.firstDay, to: p.lastDay };

  // Four passes over the period's cases: the dimensions with few values together (month,
  // outcome, cause, handling department, whether a product is named), the products, the customers
  // (their names and levels looked up once a customer, not once a case) and the clocks.
  const NO_PRODUCT = sql<number>`case when k.product is null then 1 else 0 end`;
  const OPEN = sql<number>`case when kc.met_at is null then 1 else 0 end`;
  const [dimensionRows, productRows, customerRows, clockRows] = await Promise.all([
    cases()
      .select((eb) => [
        'k.received_month as month',
        'k.outcome',
        'k.cause_category as cause',
        'k.handling_department_id as department',
        NO_PRODUCT.as('no_product'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.max('k.secrecy').as('case_secrecy'),
      ])
      .groupBy(['k.received_month', 'k.outcome', 'k.cause_category', 'k.handling_department_id', NO_PRODUCT])
      .execute(),
    cases()
      .where('k.product', 'is not', null)
      .select((eb) => ['k.product as key', eb.fn.countAll<number>().as('n')])
      .groupBy('k.product')
      .orderBy('n', 'desc')
      .orderBy('k.product')
      .limit(TOP)
      .execute(),
    db
      .selectFrom(
        cases()
          .select((eb) => ['k.customer_id as key', eb.fn.countAll<number>().as('n')])
          .groupBy('k.customer_id')
          .as('t'),
      )
      .innerJoin('customers as c', 'c.id', 't.key')
      .select([
        't.key',
        'c.name',
        't.n',
        // Over every customer counted, before the limit: the audit entry's level.
        sql<number>`max(c.secrecy) over ()`.as('customer_secrecy'),
      ])
      .orderBy('t.n', 'desc')
      .orderBy('c.name')
      .orderBy('t.key')
      .limit(TOP)
      .execute(),
    cases()
      .innerJoin('case_clocks as kc', 'kc.case_id', 'k.id')
      .select((eb) => [
        'kc.clock',
        OPEN.as('open'),
        'kc.on_time',
        'kc.met_days',
        HOURS_TENTHS.as('tenths'),
        eb.fn.countAll<number>().as('n'),
        sql<number>`sum(case when kc.met_at is null and kc.due_at < ${now} then 1 else 0 end)`.as('breached'),
      ])
      .groupBy(['kc.clock', OPEN, 'kc.on_time', 'kc.met_days', HOURS_TENTHS])
      .execute(),
  ]);

  // Months, and the totals they add up to.
  const byMonth = new Map<string, { n: number; justified: number }>();
  const causeCounts = new Map<string | null, number>();
  const departmentCounts = new Map<string | null, number>();
  let total = 0;
  let justified = 0;
  let unjustified = 0;
  let noProduct = 0;
  let secrecy = num(customerRows[0]?.customer_secrecy);
  for (const d of dimensionRows) {
    const n = num(d.n);
    total += n;
    if (d.outcome === 'justified') justified += n;
    if (d.outcome === 'unjustified') unjustified += n;
    if (num(d.no_product) === 1) noProduct += n;
    secrecy = Math.max(secrecy, num(d.case_secrecy));
    const m = byMonth.get(d.month) ?? { n: 0, justified: 0 };
    m.n += n;
    if (d.outcome === 'justified') m.justified += n;
    byMonth.set(d.month, m);
    causeCounts.set(d.cause, (causeCounts.get(d.cause) ?? 0) + n);
    departmentCounts.set(d.department, (departmentCounts.get(d.department) ?? 0) + n);
  }
  const departmentRows = [...departmentCounts].map(([key, n]) => ({ key, n }));
  const metRows = clockRows.filter((x) => num(x.open) === 0);
  const openRows = clockRows.filter((x) => num(x.open) === 1);
  const months = p.months.map((month) => {
    const row = byMonth.get(month);
    return {
      month,
      name: month,
      value: num(row?.n),
      justified: num(row?.justified),
      query: { ...base, month },
      justifiedQuery: { ...base, month, outcome: 'justified' as const },
    };
  });

  const bucket = (key: string | null, name: string, value: number, query: CaseListFilter | null) => ({
    key,
    name,
    value,
    query,
  });

  const causes: StatsBucket[] = CAUSE_CATEGORIES.map((cause: CauseCategory) =>
    bucket(cause, CAUSE_LABELS[cause].zh, causeCounts.get(cause) ?? 0, { ...inPeriod, cause }),
  );
  if (causeCounts.get(null))
    causes.push(bucket(null, '未确定', causeCounts.get(null) as number, { ...inPeriod, unset: 'cause' }));

  const names = await repo.namesOf(
    db,
    [],
    departmentRows.map((d) => d.key),
  );
  const departments: StatsBucket[] = departmentRows
    .filter((d) => d.key !== null)
    .map((d) =>
      bucket(d.key, names.departments.get(d.key as string) ?? (d.key as string), num(d.n), {
        ...inPeriod,
        departmentId: d.key as string,
      }),
    )
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'zh'));
  const unassigned = num(departmentRows.find((d) => d.key === null)?.n);
  if (unassigned) departments.push(bucket(null, '未分派', unassigned, { ...inPeriod, unset: 'department' }));

  const products: StatsBucket[] = productRows.map((x) =>
    bucket(x.key, x.key as string, num(x.n), { ...inPeriod, product: x.key as string }),
  );
  const otherProducts = total - noProduct - products.reduce((s, b) => s + b.value, 0);
  if (otherProducts > 0) products.push(bucket(null, '其他', otherProducts, null));
  if (noProduct > 0) products.push(bucket(null, '未填写', noProduct, { ...inPeriod, unset: 'product' }));

  const customers: StatsBucket[] = customerRows.map((x) =>
    bucket(x.key, x.name, num(x.n), { ...inPeriod, customerId: x.key }),
  );
  const otherCustomers = total - customers.reduce((s, b) => s + b.value, 0);
  if (otherCustomers > 0) customers.push(bucket(null, '其他', otherCustomers, null));

  const clocks = CLOCKS.map((clock: Clock) => {
    const days = new Map<number, number>();
    const tenths = new Map<number, number>();
    let met = 0;
    let late = 0;
    for (const row of metRows.filter((x) => x.clock === clock)) {
      const n = num(row.n);
      if (num(row.on_time) === 1) met += n;
      else late += n;
      add(days, num(row.met_days), n);
      add(tenths, num(row.tenths), n);
    }
    let openCount = 0;
    let breached = 0;
    for (const row of openRows.filter((x) => x.clock === clock)) {
      openCount += num(row.n);
      breached += num(row.breached);
    }
    const rated = met + late + breached;
    const hours = (v: number | null) => (v === null ? null : v / 10);
    const q = (clockState: 'met' | 'late' | 'breached' | 'open') => ({ ...inPeriod, clock, clockState });
    return {
      clock,
      name: CLOCK_LABELS[clock].zh,
      met,
      late,
      breached,
      open: openCount - breached,
      onTimeRate: rated > 0 ? met / rated : null,
      days: { count: met + late, median: nearestRank(days, 50), p90: nearestRank(days, 90) },
      hours: {
        count: met + late,
        median: hours(nearestRank(tenths, 50)),
        p90: hours(nearestRank(tenths, 90)),
      },
      queries: { met: q('met'), late: q('late'), breached: q('breached'), open: q('open') },
    };
  });

  // Active archives now (待备案 and 已备案), as the customer list counts them for this reader; a
  // reader who sees every complaint (quality, the general managers) rates them against every
  // active archive within their clearance — a number only, no archive is shown.
  const activeCustomers = seesAllCases(r.ctx.actor)
    ? Number(
        (
          await r.ctx.db
            .selectFrom('customers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', 'in', ['draft', 'filed'])
            .where('secrecy', '<=', r.ctx.actor.clearance)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : (
        await Promise.all([
          countCustomers(r.ctx, { status: 'draft' }),
          countCustomers(r.ctx, { status: 'filed' }),
        ])
      ).reduce((a, b) => a + b, 0);

  return {
    secrecy,
    stats: {
      period: { from: p.from, to: p.to, months: p.months },
      filter: { ...f },
      total: { value: total, query: inPeriod },
      months,
      causes,
      departments,
      products,
      customers,
      justified: {
        justified,
        unjustified,
        triaged: justified + unjustified,
        rate: justified + unjustified > 0 ? justified / (justified + unjustified) : null,
        queries: {
          justified: { ...inPeriod, outcome: 'justified' },
          unjustified: { ...inPeriod, outcome: 'unjustified' },
        },
      },
      clocks,
      rate: {
        cases: total,
        activeCustomers,
        per100: activeCustomers > 0 ? (total * 100) / activeCustomers : null,
      },
    },
  };
}

/** The secrecy of the audit entry of a statistics read or export: as secret as what it counted,
 * and the reader's clearance when the filter holds typed text (a customer id, a product). */
export function statsAuditSecrecy(r: Reader, f: Record<string, unknown>, counted: number): number {
  const typed = typeof f.product === 'string' && f.product !== '' ? r.ctx.actor.clearance : 0;
  return Math.max(exportSecrecy(r.ctx.actor, f, counted), typed);
}

/** GET /api/cases/stats: the statistics, audited as a read. */
export async function caseStatistics(ctx: Ctx, f: CaseStatsFilter): Promise<CaseStats> {
  const r = await reader(ctx);
  const { stats, secrecy } = await computeStats(r, f);
  await appendAudit(ctx, {
    action: 'case.statistics',
    targetType: 'case',
    secrecy: statsAuditSecrecy(r, { ...f }, secrecy),
    details: {
      filter: { ...f },
      period: `${stats.period.from}…${stats.period.to}`,
      cases: stats.total.value,
    },
  });
  return stats;
}
