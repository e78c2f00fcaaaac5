import { sql } from 'kysely';
import type { ResultsQuery, SurveyResults } from '../../../common/schemas/surveys.js';
import { SURVEY_LEVELS, type SurveyLevel, type SurveyQuestion } from '../../../common/surveys.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy/index.js';
import { type ActorScope, actorScope, surveyVisible } from '../../platform/policy/records.js';

// Survey results (R-V3): the index of the answered forms by customer, category, department,
// salesperson or period; how many answered each level of each question; and the index of each
// campaign over time. Only the forms whose customer archive the reader may see are counted, in
// the query itself (R-P1), so that a count never gives away a hidden archive. The index of a
// group is the mean of its forms' indexes, each form once, rounded to 0.1 (`groupIndex`).
// Everything is SQL aggregates over survey_responses (indexes of migration 0020).

export interface ResultsReader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
}

export async function resultsReader(ctx: Ctx): Promise<ResultsReader> {
  authorize(ctx, 'survey.read', { type: 'survey' });
  const c = ctx as Ctx & { actor: Actor };
  return { ctx: c, scope: await actorScope(c) };
}

export type ResultsFilter = Pick<ResultsQuery, 'campaignId' | 'period' | 'templateKey'>;

/**
 * The answered forms the reader may see that the filter selects: responses `r` with their
 * archive `c`, campaign `k` and template version `tp`.
 */
export function visibleResponses(r: ResultsReader, f: ResultsFilter) {
  let q = r.ctx.db
    .selectFrom('survey_responses as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('survey_campaigns as k', 'k.id', 'r.campaign_id')
    .innerJoin('survey_templates as tp', 'tp.id', 'k.template_id')
    .where(surveyVisible(r.ctx.actor, r.scope, r.ctx.now()));
  if (f.campaignId) q = q.where('r.campaign_id', '=', f.campaignId);
  // The period is a prefix: 2026 takes 2026, 2026-Q1…Q4 and 2026-01…12 (the regex admits no
  // wildcard characters).
  if (f.period) q = q.where('r.period_label', 'like', `${f.period}%`);
  if (f.templateKey) q = q.where('tp.key', '=', f.templateKey);
  return q;
}

/**
 * SQL: the sum of the indexes ×10 and how many there are. A stored index has one decimal, so
 * ×10 rounded is an exact integer on both databases (PostgreSQL keeps `real` as float4); the
 * group index is then round(sum10 / n) / 10, which is `groupIndex` without float drift.
 */
export const sum10 = (column: string) => sql<number | string | null>`sum(round(${sql.ref(column)} * 10))`;
export const count = (column: string) => sql<number | string>`count(${sql.ref(column)})`;

/** `groupIndex` from the SQL sums: mean of the indexes rounded to 0.1; null when none. */
export function indexOf(sum: number | string | null | undefined, n: number | string | null | undefined) {
  const k = Number(n ?? 0);
  if (!k) return null;
  return Math.round(Number(sum ?? 0) / k) / 10;
}

/**
 * The satisfaction index of the forms answered for a period (a year, 2026, takes its quarters and
 * months) that the reader may see; null for a reader who may not read survey results.
 */
export async function periodIndex(
  ctx: Ctx,
  period: string,
): Promise<{ responses: number; index: number | null; secrecy: number } | null> {
  if (!can(ctx.actor, 'survey.read')) return null;
  const r = await resultsReader(ctx);
  const row = await visibleResponses(r, { period } as ResultsFilter)
    .select((eb) => [
      sum10('r.index_score').as('s'),
      count('r.index_score').as('n'),
      eb.fn.countAll<number>().as('responses'),
      eb.fn.max('c.secrecy').as('secrecy'),
    ])
    .executeTakeFirstOrThrow();
  return {
    responses: Number(row.responses),
    index: indexOf(row.s, row.n),
    secrecy: Number(row.secrecy ?? 0),
  };
}

const NONE: Record<ResultsQuery['groupBy'], string> = {
  customer: '（无）',
  category: '（未分类）',
  department: '（无部门）',
  owner: '（无业务员）',
  period: '（无）',
};

export async function groups(r: ResultsReader, f: ResultsFilter, groupBy: ResultsQuery['groupBy']) {
  const base = visibleResponses(r, f);
  const agg = [
    sql<number | string>`count(*)`.as('n'),
    sum10('r.index_score').as('s'),
    count('r.index_score').as('m'),
  ];
  let rows: { key: string | null; label: string | null; n: number | string; s: unknown; m: unknown }[];
  switch (groupBy) {
    case 'customer':
      rows = await base
        .select(['r.customer_id as key', 'c.name as label', ...agg])
        .groupBy(['r.customer_id', 'c.name'])
        .execute();
      break;
    case 'category':
      rows = await base
        .leftJoin('lookups as l', (j) => j.onRef('l.code', '=', 'r.category').on('l.list', '=', 'category'))
        .select(['r.category as key', 'l.label as label', ...agg])
        .groupBy(['r.category', 'l.label'])
        .execute();
      break;
    case 'department':
      rows = await base
        .leftJoin('departments as d', 'd.id', 'r.department_id')
        .select(['r.department_id as key', 'd.name as label', ...agg])
        .groupBy(['r.department_id', 'd.name'])
        .execute();
      break;
    case 'owner':
      rows = await base
        .leftJoin('users as u', 'u.id', 'r.owner_id')
        .select(['r.owner_id as key', 'u.name as label', ...agg])
        .groupBy(['r.owner_id', 'u.name'])
        .execute();
      break;
    case 'period':
      rows = await base
        .select(['r.period_label as key', 'r.period_label as label', ...agg])
        .groupBy('r.period_label')
        .execute();
      break;
  }
  const out = rows.map((x) => ({
    key: x.key ?? null,
    label: x.label ?? (x.key === null ? NONE[groupBy] : x.key),
    responses: Number(x.n),
    index: indexOf(x.s as number | null, x.m as number),
  }));
  // Periods in time order; otherwise the best index first (the ranking people read), then by name.
  if (groupBy === 'period') return out.sort((a, b) => a.label.localeCompare(b.label));
  return out.sort(
    (a, b) =>
      (b.index ?? Number.NEGATIVE_INFINITY) - (a.index ?? Number.NEGATIVE_INFINITY) ||
      a.label.localeCompare(b.label, 'zh-CN') ||
      String(a.key).localeCompare(String(b.key)),
  );
}

/** The rating and overall questions of the selected forms' template versions, newest first. */
export async function questionsOf(
  r: ResultsReader,
  f: ResultsFilter,
): Promise<Pick<SurveyQuestion, 'key' | 'label' | 'type'>[]> {
  const versions = await visibleResponses(r, f)
    .select(['tp.id', 'tp.questions', 'tp.created_at'])
    .distinct()
    .orderBy('tp.created_at', 'desc')
    .orderBy('tp.id', 'desc')
    .execute();
  const seen = new Map<string, Pick<SurveyQuestion, 'key' | 'label' | 'type'>>();
  for (const v of versions)
    for (const q of JSON.parse(v.questions) as SurveyQuestion[])
      if (!seen.has(q.key)) seen.set(q.key, { key: q.key, label: q.label, type: q.type });
  return [...seen.values()];
}

export async function distribution(
  r: ResultsReader,
  f: ResultsFilter,
): Promise<SurveyResults['distribution']> {
  const questions = (await questionsOf(r, f)).filter((q) => q.type !== 'text');
  if (!questions.length) return [];
  const rows = await visibleResponses(r, f)
    .innerJoin('survey_answers as a', 'a.response_id', 'r.id')
    .where('a.level', 'is not', null)
    .select([
      'a.question_key as key',
      'a.level as level',
      sql<number | string>`count(*)`.as('n'),
      sum10('a.score').as('s'),
      count('a.score').as('m'),
    ])
    .groupBy(['a.question_key', 'a.level'])
    .execute();
  return questions.map((q) => {
    const counts = Object.fromEntries(SURVEY_LEVELS.map((l) => [l, 0])) as Record<SurveyLevel, number>;
    let s = 0;
    let m = 0;
    for (const x of rows)
      if (x.key === q.key && SURVEY_LEVELS.includes(x.level as SurveyLevel)) {
        counts[x.level as SurveyLevel] += Number(x.n);
        s += Number(x.s ?? 0);
        m += Number(x.m);
      }
    return { key: q.key, label: q.label, counts, index: indexOf(s, m) };
  });
}

/** The index of each campaign (of the template key, else of the chosen campaign's), oldest first. */
async function trend(
  r: ResultsReader,
  f: ResultsFilter,
): Promise<{ items: SurveyResults['trend']; secrecy: number }> {
  let templateKey = f.templateKey;
  if (!templateKey && f.campaignId) {
    const k = await r.ctx.db
      .selectFrom('survey_campaigns as k')
      .innerJoin('survey_templates as tp', 'tp.id', 'k.template_id')
      .select('tp.key')
      .where('k.id', '=', f.campaignId)
      .executeTakeFirst();
    templateKey = k?.key;
  }
  const rows = await visibleResponses(r, templateKey ? { templateKey } : {})
    .select([
      'k.id',
      'k.number',
      'k.name',
      'k.period_label',
      'k.created_at',
      sql<number | string>`count(*)`.as('n'),
      sum10('r.index_score').as('s'),
      count('r.index_score').as('m'),
      sql<number | null>`max(c.secrecy)`.as('secrecy'),
    ])
    .groupBy(['k.id', 'k.number', 'k.name', 'k.period_label', 'k.created_at'])
    .orderBy('k.period_label')
    .orderBy('k.created_at')
    .orderBy('k.id')
    .execute();
  return {
    items: rows.map((x) => ({
      campaignId: x.id,
      number: x.number,
      name: x.name,
      periodLabel: x.period_label,
      responses: Number(x.n),
      index: indexOf(x.s, x.m),
    })),
    secrecy: Math.max(0, ...rows.map((x) => Number(x.secrecy ?? 0))),
  };
}

/** Refuses an unknown campaign (400 naming the field), rather than answering with zeros. */
export async function checkCampaign(db: Db, campaignId: string | undefined): Promise<void> {
  if (!campaignId) return;
  const k = await db
    .selectFrom('survey_campaigns')
    .select('id')
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!k) throw new DomainError('not_found', 404, {}, 'campaignId');
}

/** GET /api/surveys/results, audited as a read of the results. */
export async function surveyResults(ctx: Ctx, q: ResultsQuery): Promise<SurveyResults> {
  const r = await resultsReader(ctx);
  const f: ResultsFilter = { campaignId: q.campaignId, period: q.period, templateKey: q.templateKey };
  await checkCampaign(r.ctx.db, f.campaignId);
  const total = await visibleResponses(r, f)
    .select([
      sql<number | string>`count(*)`.as('n'),
      sum10('r.index_score').as('s'),
      count('r.index_score').as('m'),
      sql<number | null>`max(c.secrecy)`.as('secrecy'),
    ])
    .executeTakeFirstOrThrow();
  const [byGroup, dist, campaigns] = await Promise.all([
    groups(r, f, q.groupBy),
    distribution(r, f),
    trend(r, f),
  ]);
  await appendAudit(ctx, {
    action: 'survey.results',
    targetType: 'survey',
    // As secret as the most secret archive counted (the trend may count beyond the filter).
    secrecy: Math.max(Number(total.secrecy ?? 0), campaigns.secrecy),
    details: { filter: { ...f }, groupBy: q.groupBy, responses: Number(total.n) },
  });
  return {
    responses: Number(total.n),
    index: indexOf(total.s, total.m),
    groups: byGroup,
    distribution: dist,
    trend: campaigns.items,
  };
}
