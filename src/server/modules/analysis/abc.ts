import { sql } from 'kysely';
import type { CustomerGrade } from '../../../common/customers.js';
import type { AbcQuery, AbcResult, AbcRow, AbcRun } from '../../../common/schemas/analysis.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { seesAllCustomers } from '../../platform/policy/records.js';
import { insertHistory } from '../customers/repo.js';
import { fixed, scaled } from '../orders/decimal.js';
import {
  ANALYSED_STATUSES,
  type AnalysisReader,
  analysisReader,
  checkPeriod,
  salesFacts,
  visibleCustomer,
} from './reader.js';
import { forgetSales } from './summary.js';

// ABC analysis (R-A1): the archives the reader sees (within one category, or all), ranked by
// their sales in the period, largest first (ties by archive code). A customer is A while the
// cumulative share stays within the A boundary (75 %), B within the B boundary (95 %), else C;
// whether the customer whose sales carry the share across a boundary takes the grade above or
// below is the setting `abcStraddle`. Archives without sales (or with returns exceeding them)
// are C. The sums come from SQL (one grouped scan of the period); the ranking and the boundaries
// are exact integer arithmetic on cents, so a customer ending exactly at 75.00 % is graded by
// the rule and not by a rounding error.
//
// Applying a run writes each changed grade with a history entry naming the run, the period and
// the boundaries (R-C6): a grade never changes silently, and applying the same data again
// changes nothing.

interface Ranked {
  id: string;
  archiveCode: string;
  name: string;
  category: string;
  currentGrade: string | null;
  secrecy: number;
  cents: bigint;
  cumulative: bigint;
  grade: CustomerGrade;
}

interface Ranking {
  ranked: Ranked[];
  grand: bigint;
  /** Archives in scope without positive sales, and of them those not graded C yet. */
  withoutSales: number;
  withoutSalesToChange: number;
  /** Archives in scope the reader sees, and the highest secrecy among them. */
  inScope: number;
  secrecy: number;
}

const BASIS = 10_000n; // shares in hundredths of a per cent

/** A boundary in per cent (75, 95.5) in hundredths of a per cent. */
const hundredths = (percent: number) => BigInt(Math.round(percent * 100));

/** Per cent with two decimals of part / whole. */
export function percent(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * BASIS * 10n) / whole / 10n) / 100;
}

export function gradeOf(
  before: bigint,
  after: bigint,
  grand: bigint,
  a: number,
  b: number,
  straddle: 'upper' | 'lower',
): CustomerGrade {
  const at = straddle === 'upper' ? before : after;
  // upper: graded by where the customer starts (strictly inside the band); lower: where it ends.
  const inside = (limit: bigint) =>
    straddle === 'upper' ? at * BASIS < limit * grand : at * BASIS <= limit * grand;
  if (inside(hundredths(a))) return 'A';
  if (inside(hundredths(b))) return 'B';
  return 'C';
}

async function ranking(r: AnalysisReader, q: Pick<AbcQuery, 'from' | 'to' | 'category'>): Promise<Ranking> {
  checkPeriod(q.from, q.to);
  const db = r.ctx.db;
  // Summed per archive first, then joined to the archives: the visibility test runs once per
  // archive with sales, not once per ledger row.
  const perCustomer = db
    .selectFrom(salesFacts(r, q.from, q.to))
    .groupBy('f.customer_id')
    .select(['f.customer_id as customer_id', sql<string | number>`sum(f.amount)`.as('total')])
    .as('t');
  let sums = db
    .selectFrom(perCustomer)
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .where(visibleCustomer(r) as never)
    .where('c.status', 'in', ANALYSED_STATUSES)
    .select([
      't.customer_id as id',
      't.total as total',
      'c.archive_code',
      'c.name',
      'c.category',
      'c.grade',
      'c.secrecy',
    ]);
  if (q.category) sums = sums.where('c.category', '=', q.category);
  // The database sorts (in C); its float sums on SQLite may order two equal amounts by a rounding
  // error, which the insertion pass below puts right in one sweep over the nearly sorted list.
  const totals = await sums.orderBy('t.total', 'desc').orderBy('c.archive_code').execute();
  const facts: Omit<Ranked, 'cumulative' | 'grade'>[] = [];
  for (const t of totals) {
    const cents = scaled(t.total ?? 0, 2);
    if (cents <= 0n) continue;
    facts.push({
      id: t.id,
      archiveCode: t.archive_code,
      name: t.name,
      category: t.category,
      currentGrade: t.grade,
      secrecy: Number(t.secrecy),
      cents,
    });
  }
  const before = (x: (typeof facts)[number], y: (typeof facts)[number]) =>
    x.cents > y.cents || (x.cents === y.cents && x.archiveCode < y.archiveCode);
  for (let i = 1; i < facts.length; i++) {
    const x = facts[i] as (typeof facts)[number];
    let j = i - 1;
    while (j >= 0 && before(x, facts[j] as (typeof facts)[number])) {
      facts[j + 1] = facts[j] as (typeof facts)[number];
      j--;
    }
    facts[j + 1] = x;
  }
  let grand = 0n;
  for (const f of facts) grand += f.cents;
  let cumulative = 0n;
  const { abcA, abcB, abcStraddle } = r.settings;
  const ranked = facts.map((f): Ranked => {
    const before = cumulative;
    cumulative += f.cents;
    return { ...f, cumulative, grade: gradeOf(before, cumulative, grand, abcA, abcB, abcStraddle) };
  });

  // The archives in scope without sales: graded C.
  let scope = db
    .selectFrom('customers as c')
    .where(visibleCustomer(r) as never)
    .where('c.status', 'in', ANALYSED_STATUSES)
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when c.grade is null or c.grade <> 'C' then 1 else 0 end)`.as('not_c'),
      sql<number>`max(c.secrecy)`.as('secrecy'),
    ]);
  if (q.category) scope = scope.where('c.category', '=', q.category);
  const all = await scope.executeTakeFirstOrThrow();
  const rankedNotC = ranked.filter((x) => x.currentGrade !== 'C').length;
  return {
    ranked,
    grand,
    withoutSales: Number(all.n) - ranked.length,
    withoutSalesToChange: Number(all.not_c ?? 0) - rankedNotC,
    inScope: Number(all.n),
    secrecy: Number(all.secrecy ?? 0),
  };
}

const PARETO_POINTS = 200;

export interface ReadOptions {
  /** analysis.export for a download. */
  action?: 'analysis.read' | 'analysis.export';
  /** Every row, not a page (the export). */
  all?: boolean;
}

export async function abcAnalysis(ctx: Ctx, q: AbcQuery, opts: ReadOptions = {}): Promise<AbcResult> {
  const r = await analysisReader(ctx);
  const { ranked, grand, withoutSales, withoutSalesToChange } = await ranking(r, q);
  const money = (cents: bigint) => (r.pricesVisible ? fixed(cents, 2) : null);
  const grades = (['A', 'B', 'C'] as const).map((grade) => {
    const of = ranked.filter((x) => x.grade === grade);
    const cents = of.reduce((s, x) => s + x.cents, 0n);
    return {
      grade,
      customers: of.length + (grade === 'C' ? withoutSales : 0),
      share: percent(cents, grand),
      amount: money(cents),
    };
  });
  const n = ranked.length;
  const pareto = [{ customers: 0, share: 0 }];
  for (let k = 1; k <= Math.min(PARETO_POINTS, n); k++) {
    const i = Math.round((k * n) / Math.min(PARETO_POINTS, n)) - 1;
    const row = ranked[i] as Ranked;
    pareto.push({
      customers: Math.round(((i + 1) / n) * 10_000) / 100,
      share: percent(row.cumulative, grand),
    });
  }
  const rankOf = new Map(ranked.map((x, i) => [x.id, i + 1]));
  const matching = q.grade ? ranked.filter((x) => x.grade === q.grade) : ranked;
  const page = opts.all ? matching : matching.slice(q.offset, q.offset + q.limit);
  const rows: AbcRow[] = page.map((x) => ({
    rank: rankOf.get(x.id) as number,
    customerId: x.id,
    archiveCode: x.archiveCode,
    name: x.name,
    category: x.category,
    amount: money(x.cents),
    share: percent(x.cents, grand),
    cumulativeShare: percent(x.cumulative, grand),
    grade: x.grade,
    currentGrade: x.currentGrade,
  }));
  await appendAudit(r.ctx, {
    action: opts.action ?? 'analysis.read',
    targetType: 'analysis',
    targetLabel: 'ABC',
    // The totals and the curve include every archive ranked, not only the page shown.
    secrecy: ranked.reduce((m, x) => Math.max(m, x.secrecy), 0),
    details: { analysis: 'abc', from: q.from, to: q.to, category: q.category ?? null },
  });
  return {
    from: q.from,
    to: q.to,
    category: q.category ?? null,
    source: r.settings.salesSource,
    thresholds: { a: r.settings.abcA, b: r.settings.abcB, straddle: r.settings.abcStraddle },
    customers: n,
    withoutSales,
    total: money(grand),
    grades,
    pareto,
    changes: ranked.filter((x) => x.grade !== x.currentGrade).length + withoutSalesToChange,
    rows,
    rowCount: matching.length,
    pricesVisible: r.pricesVisible,
  };
}

const BATCH = 500;

/** Applies a run: the grades it names are written, each change with its history entry. */
export async function applyAbc(
  ctx: Ctx,
  q: { from: string; to: string; category?: string | null },
): Promise<AbcRun> {
  authorize(ctx, 'analysis.apply');
  const r = await analysisReader(ctx);
  const category = q.category ?? undefined;
  return tx(r.ctx, async (t) => {
    const rt = { ...r, ctx: t as AnalysisReader['ctx'] };
    const { ranked, grand, inScope, secrecy } = await ranking(rt, { from: q.from, to: q.to, category });
    if (grand === 0n) throw new DomainError('abc_nothing_to_apply', 409);
    // A grade is the company's: ranked among part of the archives it would be another grade. Only
    // a reader who sees every archive in scope applies a run (a manager of the only department).
    let everyone = t.db
      .selectFrom('customers as c')
      .where('c.status', 'in', ANALYSED_STATUSES)
      .select(sql<number>`count(*)`.as('n'));
    if (category) everyone = everyone.where('c.category', '=', category);
    const hidden = Number((await everyone.executeTakeFirstOrThrow()).n) - inScope;
    if (hidden > 0) throw new DomainError('abc_partial_scope', 403);
    const { abcA, abcB, abcStraddle, salesSource } = r.settings;
    const runId = newId();
    const at = nowIso(t);
    const label = `ABC ${q.from}～${q.to}${category ? `（${category}）` : ''}：A ≤ ${abcA}%，B ≤ ${abcB}%`;
    const changes: { id: string; old: string | null; grade: CustomerGrade; secrecy: number }[] = [];
    for (const x of ranked)
      if (x.grade !== x.currentGrade)
        changes.push({ id: x.id, old: x.currentGrade, grade: x.grade, secrecy: x.secrecy });
    // The archives in scope without sales that are not C yet.
    const withSales = new Set(ranked.map((x) => x.id));
    let rest = t.db
      .selectFrom('customers as c')
      .where(visibleCustomer(rt) as never)
      .where('c.status', 'in', ANALYSED_STATUSES)
      .where((w) => w.or([w('c.grade', 'is', null), w('c.grade', '<>', 'C')]))
      .select(['c.id', 'c.grade', 'c.secrecy']);
    if (category) rest = rest.where('c.category', '=', category);
    for (const c of await rest.execute())
      if (!withSales.has(c.id))
        changes.push({ id: c.id, old: c.grade, grade: 'C', secrecy: Number(c.secrecy) });

    for (const grade of ['A', 'B', 'C'] as const) {
      const ids = changes.filter((c) => c.grade === grade).map((c) => c.id);
      for (let i = 0; i < ids.length; i += BATCH)
        await t.db
          .updateTable('customers')
          .set({ grade, updated_at: at, updated_by: r.ctx.actor.id })
          .where('id', 'in', ids.slice(i, i + BATCH))
          .execute();
    }
    for (let i = 0; i < changes.length; i += BATCH)
      await insertHistory(
        t.db,
        changes.slice(i, i + BATCH).map((c) => ({
          id: newId(),
          customerId: c.id,
          at,
          actorId: r.ctx.actor.id,
          actorName: r.ctx.actor.name,
          kind: 'update',
          field: 'grade',
          oldValue: c.old,
          newValue: c.grade,
          note: `${label}（运行 ${runId}）`,
        })),
      );
    const customers = ranked.length + (await countWithoutSales(rt, category, withSales.size));
    await t.db
      .insertInto('abc_runs')
      .values({
        id: runId,
        month_from: q.from,
        month_to: q.to,
        category: category ?? null,
        threshold_a: abcA,
        threshold_b: abcB,
        straddle: abcStraddle,
        source: salesSource,
        customers,
        changed: changes.length,
        total: fixed(grand, 2),
        created_at: at,
        created_by: r.ctx.actor.id,
      })
      .execute();
    await appendAudit(t, {
      action: 'analysis.abc_apply',
      targetType: 'abc_run',
      targetId: runId,
      targetLabel: label,
      // The run's counts are about every archive in scope, not only those it changed.
      secrecy,
      details: { from: q.from, to: q.to, category: category ?? null, customers, changed: changes.length },
    });
    forgetSales();
    return {
      id: runId,
      from: q.from,
      to: q.to,
      category: category ?? null,
      thresholdA: abcA,
      thresholdB: abcB,
      straddle: abcStraddle,
      source: salesSource,
      customers,
      changed: changes.length,
      createdAt: at,
      createdBy: r.ctx.actor.id,
      createdByName: r.ctx.actor.name,
    };
  });
}

async function countWithoutSales(r: AnalysisReader, category: string | undefined, withSales: number) {
  let q = r.ctx.db
    .selectFrom('customers as c')
    .where(visibleCustomer(r) as never)
    .where('c.status', 'in', ANALYSED_STATUSES)
    .select(sql<number>`count(*)`.as('n'));
  if (category) q = q.where('c.category', '=', category);
  const { n } = await q.executeTakeFirstOrThrow();
  return Number(n) - withSales;
}

/** The runs applied, newest first. */
export async function abcRuns(ctx: Ctx): Promise<AbcRun[]> {
  const r = await analysisReader(ctx);
  // A run's counts are of every archive in its scope: only readers who see all archives (the
  // ones who may apply a run) read them; the others see their own runs, if any.
  const all = seesAllCustomers(r.ctx.actor) && r.ctx.actor.clearance >= 3;
  const rows = await r.ctx.db
    .selectFrom('abc_runs as a')
    .leftJoin('users as u', 'u.id', 'a.created_by')
    .selectAll('a')
    .select('u.name as by_name')
    .$if(!all, (qb) => qb.where('a.created_by', '=', r.ctx.actor.id))
    .orderBy('a.created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((a) => ({
    id: a.id,
    from: a.month_from,
    to: a.month_to,
    category: a.category,
    thresholdA: Number(a.threshold_a),
    thresholdB: Number(a.threshold_b),
    straddle: a.straddle as AbcRun['straddle'],
    source: a.source as AbcRun['source'],
    customers: a.customers,
    changed: a.changed,
    createdAt: a.created_at,
    createdBy: a.created_by,
    createdByName: a.by_name,
  }));
}
