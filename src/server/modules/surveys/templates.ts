import type { NewTemplateVersionInput, SurveyTemplate } from '../../../common/schemas/surveys.js';
import {
  DEFAULT_LEVEL_SCORES,
  DEFAULT_SURVEY_TEMPLATES,
  type SurveyLevel,
  type SurveyPeriod,
  type SurveyQuestion,
} from '../../../common/surveys.js';
import type { Db } from '../../db/index.js';
import type { SurveyTemplateTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { namesOf } from './service.js';

// Survey forms (调查问卷, R-V3) in versions: the two forms the seeds name are created as version 1
// the first time anyone asks for the forms; a change is a new version that becomes current,
// while the campaigns already prepared keep the exact version they were made with.

/** Creates the default forms as version 1 if they are not there yet (idempotent, race-safe:
 * the unique (key, version) index lets one of two concurrent callers insert, the other skips). */
export async function ensureDefaultTemplates(ctx: Ctx): Promise<void> {
  const existing = await ctx.db
    .selectFrom('survey_templates')
    .select('key')
    .where(
      'key',
      'in',
      DEFAULT_SURVEY_TEMPLATES.map((d) => d.key),
    )
    .where('version', '=', 1)
    .execute();
  const have = new Set(existing.map((x) => x.key));
  const missing = DEFAULT_SURVEY_TEMPLATES.filter((d) => !have.has(d.key));
  if (missing.length === 0) return;
  await tx(ctx, async (t) => {
    const now = nowIso(t);
    for (const d of missing) {
      const inserted = await t.db
        .insertInto('survey_templates')
        .values({
          id: newId(),
          key: d.key,
          version: 1,
          name: d.name,
          description: d.description,
          period: d.period,
          questions: JSON.stringify(d.questions),
          level_scores: JSON.stringify(DEFAULT_LEVEL_SCORES),
          current: 1,
          created_at: now,
          created_by: null,
        })
        .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted)
        await appendAudit(t, {
          action: 'survey.template_seed',
          targetType: 'survey_template',
          targetId: d.key,
          targetLabel: `${d.name} v1`,
          details: { key: d.key },
        });
    }
  });
}

async function campaignCounts(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('survey_campaigns')
    .select(['template_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('template_id', 'in', [...ids])
    .groupBy('template_id')
    .execute();
  for (const r of rows) out.set(r.template_id, Number(r.n));
  return out;
}

async function toTemplates(db: Db, rows: SurveyTemplateTable[]): Promise<SurveyTemplate[]> {
  const counts = await campaignCounts(
    db,
    rows.map((r) => r.id),
  );
  const names = await namesOf(
    db,
    rows.map((r) => r.created_by),
  );
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    version: Number(r.version),
    name: r.name,
    description: r.description,
    period: r.period as SurveyPeriod,
    questions: JSON.parse(r.questions) as SurveyQuestion[],
    levelScores: JSON.parse(r.level_scores) as Record<SurveyLevel, number>,
    current: Number(r.current) === 1,
    createdAt: r.created_at,
    createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? r.created_by } : null,
    campaigns: counts.get(r.id) ?? 0,
  }));
}

/** The current version of each form (for survey managers and department managers). */
export async function listTemplates(ctx: Ctx): Promise<{ items: SurveyTemplate[] }> {
  authorize(ctx, 'survey.read', { type: 'survey_template' });
  await ensureDefaultTemplates(ctx);
  const rows = await ctx.db
    .selectFrom('survey_templates')
    .selectAll()
    .where('current', '=', 1)
    .orderBy('key')
    .execute();
  return { items: await toTemplates(ctx.db, rows) };
}

/** Every version of a form, newest first (the old ones stay readable for their campaigns). */
export async function templateVersions(ctx: Ctx, key: string): Promise<{ items: SurveyTemplate[] }> {
  authorize(ctx, 'survey.read', { type: 'survey_template' });
  // The defaults are made on first use of one of them; an unknown key writes nothing (404).
  if (DEFAULT_SURVEY_TEMPLATES.some((t) => t.key === key)) await ensureDefaultTemplates(ctx);
  const rows = await ctx.db
    .selectFrom('survey_templates')
    .selectAll()
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw notFound();
  return { items: await toTemplates(ctx.db, rows) };
}

/**
 * One version, current or old. Every signed-in person may read a blank form: whoever types in
 * a customer's answer needs its questions (forms hold no customer data).
 */
export async function getTemplate(ctx: Ctx, id: string): Promise<SurveyTemplate> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  // No seeding here: an id can only name a form that exists (and a 404 writes nothing).
  const row = await ctx.db.selectFrom('survey_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  const [template] = await toTemplates(ctx.db, [row]);
  return template as SurveyTemplate;
}

/** Rules zod cannot say: keys unique, at least one rating question, at most one overall. */
export function checkQuestions(questions: readonly SurveyQuestion[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.key))
      problems.push({ field: `questions.${i}.key`, key: 'survey_question_keys', params: { key: q.key } });
    seen.add(q.key);
  });
  if (!questions.some((q) => q.type === 'rating'))
    problems.push({ field: 'questions', key: 'survey_rating_needed' });
  const overall = questions.map((q, i) => [q, i] as const).filter(([q]) => q.type === 'overall');
  for (const [, i] of overall.slice(1))
    problems.push({ field: `questions.${i}.type`, key: 'survey_overall_once' });
  return problems;
}

/** A new version of a form becomes current; the older ones stay for the campaigns that use them. */
export async function newTemplateVersion(
  ctx: Ctx,
  key: string,
  input: NewTemplateVersionInput,
): Promise<SurveyTemplate> {
  authorize(ctx, 'survey.manage', { type: 'survey_template', id: key });
  const problems = checkQuestions(input.questions);
  if (problems.length > 0) throw new FieldErrors(problems, 'validation_failed', {}, 400);
  if (DEFAULT_SURVEY_TEMPLATES.some((t) => t.key === key)) await ensureDefaultTemplates(ctx);
  const id = newId();
  await tx(ctx, async (t: TxCtx) => {
    // Takes the rows' locks on PostgreSQL, so that two new versions at once queue.
    const locked = await t.db
      .updateTable('survey_templates')
      .set({ current: (eb) => eb.ref('current') })
      .where('key', '=', key)
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) throw notFound();
    const last = await t.db
      .selectFrom('survey_templates')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    const version = Number(last.v) + 1;
    await t.db.updateTable('survey_templates').set({ current: 0 }).where('key', '=', key).execute();
    await t.db
      .insertInto('survey_templates')
      .values({
        id,
        key,
        version,
        name: input.name,
        description: input.description,
        period: input.period,
        questions: JSON.stringify(input.questions),
        level_scores: JSON.stringify(input.levelScores),
        current: 1,
        created_at: nowIso(t),
        created_by: t.actor?.id ?? null,
      })
      .execute();
    await appendAudit(t, {
      action: 'survey.template_version',
      targetType: 'survey_template',
      targetId: id,
      targetLabel: `${input.name} v${version}`,
      details: { key, version, questions: input.questions.map((q) => q.key) },
    });
  });
  return getTemplate(ctx, id);
}
