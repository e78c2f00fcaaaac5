import { type SqlBool, sql } from 'kysely';
import { secrecyFromRank } from '../../../common/enums.js';
import type { StaffResponseInput, SurveyResponse } from '../../../common/schemas/surveys.js';
import type { SurveyChannel, SurveyLevel, SurveyQuestion } from '../../../common/surveys.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy/index.js';
import {
  type ActorScope,
  actorScope,
  customerVisible,
  surveyVisible,
} from '../../platform/policy/records.js';
import type { SurveyResource } from '../../platform/policy/rules.js';
import type { BlobStore } from '../../platform/storage.js';
import { ownersOf } from '../customers/repo.js';
import { afterFileResponse } from './archive.js';
import { recordResponse } from './responses.js';

// Satisfaction surveys as people read them (R-V3): who reads, what they may see, the answered
// forms. An invitation or an answered form is seen exactly where its customer archive is, and is
// as secret as the archive (policy/records.ts `surveyVisible`); what a reader may not see is 404
// and absent from every list and count. Reading a record is audited, as every change is.

export interface Reader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
  today: string;
}

export async function reader(ctx: Ctx): Promise<Reader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const c = ctx as Ctx & { actor: Actor };
  return { ctx: c, scope: await actorScope(c), today: todayInShanghai(ctx.now()) };
}

/** SQL on the customer archive aliased `c`: the reader sees it, so its surveys too. */
export function visible(r: Reader) {
  return surveyVisible(r.ctx.actor, r.scope, r.ctx.now());
}

/** What 'survey.respond' looks at for this reader and archive. */
export function respondResource(
  r: Reader,
  archive: { department_id: string },
  ownerIds: readonly string[],
): SurveyResource {
  return {
    owner: ownerIds.includes(r.ctx.actor.id),
    managesArchive: r.scope.departmentIds.includes(archive.department_id),
  };
}

/** Names of the given people, one query a page. */
export async function namesOf(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const people = [...new Set(ids.filter((x): x is string => !!x && x !== 'system'))];
  const out = new Map<string, string>();
  for (let i = 0; i < people.length; i += 500)
    for (const u of await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', people.slice(i, i + 500))
      .execute())
      out.set(u.id, u.name);
  return out;
}

// Answered forms ------------------------------------------------------------------------------

function responsesFrom(db: Db) {
  return db
    .selectFrom('survey_responses as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('survey_campaigns as k', 'k.id', 'r.campaign_id')
    .innerJoin('survey_templates as tp', 'tp.id', 'k.template_id')
    .selectAll('r')
    .select([
      'c.name as customer_name',
      'c.archive_code as customer_code',
      'c.secrecy as customer_secrecy',
      'c.department_id as customer_department_id',
      'k.number as campaign_number',
      'k.name as campaign_name',
      'k.period_label as campaign_period',
      'tp.id as template_id',
      'tp.name as template_name',
      'tp.version as template_version',
      'tp.questions as template_questions',
    ]);
}
type ResponseRow = Awaited<ReturnType<ReturnType<typeof responsesFrom>['executeTakeFirstOrThrow']>>;

/** The answered form if the reader may see its archive; otherwise 404, as if it did not exist. */
export async function findVisibleResponse(r: Reader, id: string, db: Db = r.ctx.db): Promise<ResponseRow> {
  const row = await responsesFrom(db)
    .where('r.id', '=', id)
    .where(visible(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

async function toResponses(r: Reader, rows: ResponseRow[]): Promise<SurveyResponse[]> {
  const db = r.ctx.db;
  const ids = rows.map((x) => x.id);
  const answers = new Map<
    string,
    { question_key: string; level: string | null; score: number | null; text: string | null }[]
  >();
  const documents = new Map<string, string | null>();
  const actions = new Map<string, { id: string; number: string; status: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const a of await db
      .selectFrom('survey_answers')
      .selectAll()
      .where('response_id', 'in', chunk)
      .execute())
      answers.set(a.response_id, [...(answers.get(a.response_id) ?? []), a]);
  }
  const docIds = rows.map((x) => x.document_id).filter((x): x is string => !!x);
  for (let i = 0; i < docIds.length; i += 500)
    for (const d of await db
      .selectFrom('documents')
      .select(['id', 'archive_no'])
      .where('id', 'in', docIds.slice(i, i + 500))
      .execute())
      documents.set(d.id, d.archive_no);
  const actionIds = rows.map((x) => x.action_id).filter((x): x is string => !!x);
  for (let i = 0; i < actionIds.length; i += 500)
    for (const a of await db
      .selectFrom('corrective_actions')
      .select(['id', 'status'])
      .where('id', 'in', actionIds.slice(i, i + 500))
      .execute())
      actions.set(a.id, { id: a.id, number: '', status: a.status });
  const names = await namesOf(
    db,
    rows.map((x) => x.entered_by),
  );
  return rows.map((row) => {
    const questions = JSON.parse(row.template_questions) as SurveyQuestion[];
    const given = new Map((answers.get(row.id) ?? []).map((a) => [a.question_key, a]));
    const action = row.action_id ? actions.get(row.action_id) : undefined;
    return {
      id: row.id,
      campaign: {
        id: row.campaign_id,
        number: row.campaign_number,
        name: row.campaign_name,
        periodLabel: row.campaign_period,
      },
      template: { id: row.template_id, name: row.template_name, version: Number(row.template_version) },
      customer: { id: row.customer_id, name: row.customer_name, code: row.customer_code },
      contactName: row.contact_name,
      channel: row.channel as SurveyChannel,
      enteredBy: row.entered_by
        ? { id: row.entered_by, name: names.get(row.entered_by) ?? row.entered_by }
        : null,
      answeredOn: row.answered_on,
      answeredAt: row.answered_at,
      index: row.index_score === null ? null : Number(row.index_score),
      overall: row.overall as SurveyLevel | null,
      anyPoor: Number(row.any_poor) === 1,
      answers: questions.map((q) => {
        const a = given.get(q.key);
        return {
          key: q.key,
          label: q.label,
          type: q.type,
          level: (a?.level ?? null) as SurveyLevel | null,
          score: a?.score === null || a?.score === undefined ? null : Number(a.score),
          text: a?.text ?? null,
        };
      }),
      document: row.document_id
        ? { id: row.document_id, archiveNo: documents.get(row.document_id) ?? null }
        : null,
      // Actions have no number of their own: the campaign's number labels them.
      action: action ? { ...action, number: row.campaign_number } : null,
      secrecy: secrecyFromRank(Number(row.customer_secrecy)),
    };
  });
}

export async function getResponse(ctx: Ctx, id: string): Promise<SurveyResponse> {
  const r = await reader(ctx);
  const row = await findVisibleResponse(r, id);
  const [response] = await toResponses(r, [row]);
  await appendAudit(r.ctx, {
    action: 'survey.response_read',
    targetType: 'survey_response',
    targetId: row.id,
    targetLabel: `${row.customer_code} ${row.customer_name} ${row.campaign_number}`,
    secrecy: Number(row.customer_secrecy),
  });
  return response as SurveyResponse;
}

/** The archive's 满意度调查 tab: its answered forms, newest first (404 if the archive is unseen). */
export async function customerSurveys(ctx: Ctx, customerId: string): Promise<{ items: SurveyResponse[] }> {
  const r = await reader(ctx);
  const archive = await r.ctx.db
    .selectFrom('customers as c')
    .select(['c.id', 'c.name', 'c.archive_code', 'c.secrecy'])
    .where('c.id', '=', customerId)
    .where(customerVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
    .executeTakeFirst();
  if (!archive) throw notFound();
  const rows = await responsesFrom(r.ctx.db)
    .where('r.customer_id', '=', customerId)
    .orderBy('r.answered_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(500)
    .execute();
  await appendAudit(r.ctx, {
    action: 'survey.customer_read',
    targetType: 'customer',
    targetId: archive.id,
    targetLabel: `${archive.archive_code} ${archive.name}`,
    secrecy: Number(archive.secrecy),
    details: { responses: rows.length },
  });
  return { items: await toResponses(r, rows) };
}

// Staff entry ---------------------------------------------------------------------------------

/**
 * An answer taken by phone or on a paper form, typed in by the archive's owner, its
 * department's manager or quality: 404 unless the reader sees the archive, 403 unless they may.
 */
export async function enterResponse(
  ctx: Ctx,
  store: BlobStore,
  invitationId: string,
  input: StaffResponseInput,
): Promise<SurveyResponse> {
  const r = await reader(ctx);
  if (input.answeredOn > r.today)
    throw new FieldErrors([{ field: 'answeredOn', key: 'future_date' }], 'validation_failed', {}, 400);
  const { id, filed } = await tx(r.ctx, async (t: TxCtx) => {
    const inv = await t.db
      .selectFrom('survey_invitations as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .select(['i.id', 'i.customer_id', 'c.department_id', 'c.secrecy'])
      .where('i.id', '=', invitationId)
      .where(visible(r) as never)
      .executeTakeFirst();
    if (!inv) throw notFound();
    const owners = ((await ownersOf(t.db, [inv.customer_id])).get(inv.customer_id) ?? []).map((o) => o.id);
    authorize(r.ctx, 'survey.respond', {
      type: 'survey_invitation',
      id: inv.id,
      resource: respondResource(r, inv, owners),
    });
    return recordResponse(
      t,
      {
        invitationId: inv.id,
        channel: input.channel,
        enteredBy: r.ctx.actor.id,
        contactName: input.contactName,
        answeredOn: input.answeredOn,
        answers: input.answers,
      },
      store,
    );
  });
  await afterFileResponse(r.ctx, store, filed);
  const [response] = await toResponses(r, [await findVisibleResponse(r, id)]);
  return response as SurveyResponse;
}

// For the actions module (actions/sources.ts) -------------------------------------------------

/** An answered form as a source of corrective actions, for one reader (404 if unseen). */
export async function responseAsSource(ctx: Ctx & { actor: Actor }, id: string, db: Db = ctx.db) {
  const r = await reader(ctx);
  const row = await findVisibleResponse(r, id, db);
  const owners = ((await ownersOf(db, [row.customer_id])).get(row.customer_id) ?? []).map((o) => o.id);
  const mayEdit =
    ctx.actor.via === 'system' ||
    can(
      ctx.actor,
      'survey.respond',
      respondResource(r, { department_id: row.customer_department_id }, owners),
    );
  return { row, mayEdit };
}

/** Which of the given answered forms the reader may raise and edit actions on (one query a page). */
export async function editableResponses(
  ctx: Ctx & { actor: Actor },
  ids: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  if (ids.length === 0) return out;
  const r = await reader(ctx);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('survey_responses as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.id', 'r.customer_id', 'c.department_id'])
      .where('r.id', 'in', ids.slice(i, i + 500))
      .execute();
    const owners = await ownersOf(ctx.db, [...new Set(rows.map((x) => x.customer_id))]);
    for (const row of rows) {
      const ownerIds = (owners.get(row.customer_id) ?? []).map((o) => o.id);
      if (ctx.actor.via === 'system' || can(ctx.actor, 'survey.respond', respondResource(r, row, ownerIds)))
        out.add(row.id);
    }
  }
  return out;
}

/** Labels of answered forms for action lists: `<campaign number> <customer>`. */
export async function responseLabels(db: Db, ids: readonly string[]) {
  const out = new Map<string, { label: string; link: string; customerId: string; customerName: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) break;
    const rows = await db
      .selectFrom('survey_responses as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .innerJoin('survey_campaigns as k', 'k.id', 'r.campaign_id')
      .select(['r.id', 'r.customer_id', 'c.name', 'k.number'])
      .where('r.id', 'in', chunk)
      .execute();
    for (const row of rows)
      out.set(row.id, {
        label: `${row.number} ${row.name}`,
        link: `/surveys/responses/${row.id}`,
        customerId: row.customer_id,
        customerName: row.name,
      });
  }
  return out;
}

export const noRows = sql<SqlBool>`1 = 0`;
