import type { InteractionKind } from '../../../common/customers.js';
import {
  type ScoredAnswer,
  SURVEY_CAMPAIGN_STATUS_LABELS,
  SURVEY_LEVEL_LABELS,
  type SurveyAnswerInput,
  type SurveyCampaignStatus,
  type SurveyChannel,
  type SurveyLevel,
  type SurveyQuestion,
  scoreResponse,
} from '../../../common/surveys.js';
import { todayInShanghai } from '../../../common/time.js';
import type { FieldMessageKey } from '../../../common/validation.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { nowIso, SYSTEM_ACTOR, systemTriggeredBy, type TxCtx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { BlobStore } from '../../platform/storage.js';
import { raiseAction } from '../actions/service.js';
import { recordInteraction } from '../customers/contacts.js';
import { ownersOf } from '../customers/repo.js';
import { type FiledResponse, fileResponse } from './archive.js';

// Answered forms (R-V3): one answer per invitation, by the customer's one-time link or typed in
// by staff from a phone call or a paper form. Recording one scores it against the campaign's
// template version, claims the invitation (so two submissions at once store one answer, on SQLite
// and PostgreSQL), keeps the customer as it was, notes it in the archive's timeline, files the
// form in the archive and, when the customer is unhappy (any 较差, or an index below the
// campaign's threshold), opens a corrective action for the archive's owner's manager.

/** Working days the owner of a low-satisfaction action is given. */
export const SURVEY_ACTION_DUE_DAYS = 10;

const INTERACTION_OF: Record<SurveyChannel, InteractionKind> = {
  link: 'other',
  phone: 'call',
  paper: 'letter',
};

/** scoreResponse's messages → field message keys. */
const ANSWER_PROBLEMS: Record<string, FieldMessageKey> = {
  重复的答案: 'survey_answer_duplicate',
  问卷中没有此题: 'survey_answer_unknown',
  '此题填写文字，不选等级': 'survey_answer_text',
  此题为必填: 'required',
  请选择满意程度: 'survey_answer_level',
  '此题选择等级，不填文字': 'survey_answer_level_only',
};

export interface RecordResponseInput {
  invitationId: string;
  channel: SurveyChannel;
  /** Staff who typed it in; null when the customer answered by link. */
  enteredBy: string | null;
  contactName: string | null;
  /** YYYY-MM-DD. */
  answeredOn: string;
  answers: SurveyAnswerInput[];
}

/** The invitation with what answering it needs: campaign, template version, archive. */
export async function invitationForAnswer(t: TxCtx, invitationId: string) {
  const row = await t.db
    .selectFrom('survey_invitations as i')
    .innerJoin('survey_campaigns as k', 'k.id', 'i.campaign_id')
    .innerJoin('survey_templates as tp', 'tp.id', 'k.template_id')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select([
      'i.id',
      'i.customer_id',
      'i.answered_at',
      'i.contact_name',
      'k.id as campaign_id',
      'k.number as campaign_number',
      'k.name as campaign_name',
      'k.status as campaign_status',
      'k.closes_on',
      'k.low_index',
      'k.period_label',
      'tp.questions',
      'tp.level_scores',
      'c.name as customer_name',
      'c.archive_code',
      'c.secrecy',
      'c.category',
      'c.grade',
      'c.department_id',
    ])
    .where('i.id', '=', invitationId)
    .executeTakeFirst();
  return row;
}

/** Refuses answers unless the campaign is running and its closing day has not passed. */
export function assertAnswerable(t: TxCtx, campaign: { campaign_status: string; closes_on: string }): void {
  if (campaign.campaign_status !== 'running')
    throw new DomainError('survey_not_running', 409, {
      status:
        SURVEY_CAMPAIGN_STATUS_LABELS[campaign.campaign_status as SurveyCampaignStatus]?.[t.lang] ??
        campaign.campaign_status,
    });
  if (todayInShanghai(t.now()) > campaign.closes_on)
    throw new DomainError('survey_expired', 409, { date: campaign.closes_on });
}

/** Who follows up an unhappy customer: the manager of the owner's department (or of the nearest
 * department above it that has one), else the owner, else the manager over the archive's
 * department; always an active person cleared for the archive. */
async function actionOwner(
  t: TxCtx,
  ownerId: string | null,
  archiveDepartmentId: string,
  secrecy: number,
): Promise<string | null> {
  const managerOver = async (departmentId: string | null) => {
    let at = departmentId;
    for (let depth = 0; at && depth < 20; depth++) {
      const m = await t.db
        .selectFrom('users as u')
        .innerJoin('user_roles as r', 'r.user_id', 'u.id')
        .select('u.id')
        .where('u.department_id', '=', at)
        .where('r.role', '=', 'department_manager')
        .where('u.active', '=', 1)
        .where('u.clearance', '>=', secrecy)
        .orderBy('u.created_at')
        .orderBy('u.id')
        .executeTakeFirst();
      if (m) return m.id;
      const parent = await t.db
        .selectFrom('departments')
        .select('parent_id')
        .where('id', '=', at)
        .executeTakeFirst();
      at = parent?.parent_id ?? null;
    }
    return null;
  };
  if (ownerId) {
    const owner = await t.db
      .selectFrom('users')
      .select(['id', 'department_id', 'active', 'clearance'])
      .where('id', '=', ownerId)
      .executeTakeFirst();
    const manager = await managerOver(owner?.department_id ?? null);
    if (manager) return manager;
    if (owner && Number(owner.active) === 1 && Number(owner.clearance) >= secrecy) return owner.id;
  }
  return managerOver(archiveDepartmentId);
}

function fieldErrors(errors: { key: string; message: string }[]): FieldErrors {
  return new FieldErrors(
    errors.map((e) => ({ field: `answers.${e.key}`, key: ANSWER_PROBLEMS[e.message] ?? 'required' })),
    'validation_failed',
    {},
    400,
  );
}

/**
 * Records one answered form in the caller's transaction (the public page and staff entry both
 * call this). 404 for an unknown invitation, 409 when the campaign takes no answers or the
 * invitation was answered already, 400 naming `answers.<key>` for a wrong form. The filled form
 * is filed in the archive with `store` (archive.ts `fileResponse`); after the transaction
 * commits, the caller passes `filed` to `afterFileResponse(ctx, store, filed)` so its text is
 * searchable.
 */
export async function recordResponse(
  t: TxCtx,
  input: RecordResponseInput,
  store: BlobStore,
): Promise<{ id: string; filed: FiledResponse }> {
  const inv = await invitationForAnswer(t, input.invitationId);
  if (!inv) throw notFound();
  assertAnswerable(t, inv);
  const questions = JSON.parse(inv.questions) as SurveyQuestion[];
  const scores = JSON.parse(inv.level_scores) as Record<SurveyLevel, number>;
  const scored = scoreResponse(questions, scores, input.answers);
  if (!scored.ok) throw fieldErrors(scored.errors);
  const now = nowIso(t);
  const id = newId();
  // The claim: of two submissions at once, one updates the row, the other finds it answered
  // (on PostgreSQL it waits for the first one's commit and then matches no row).
  const claimed = await t.db
    .updateTable('survey_invitations')
    .set({ answered_at: now, response_id: id })
    .where('id', '=', inv.id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) throw new DomainError('survey_answered', 409);

  const owners = (await ownersOf(t.db, [inv.customer_id])).get(inv.customer_id) ?? [];
  const ownerId = owners[0]?.id ?? null;
  const secrecy = Number(inv.secrecy);
  const { value } = scored;
  const contactName = input.contactName?.trim() || inv.contact_name || null;
  await t.db
    .insertInto('survey_responses')
    .values({
      id,
      campaign_id: inv.campaign_id,
      invitation_id: inv.id,
      customer_id: inv.customer_id,
      contact_name: contactName,
      channel: input.channel,
      entered_by: input.enteredBy,
      answered_on: input.answeredOn,
      answered_at: now,
      period_label: inv.period_label,
      index_score: value.index,
      overall: value.overall,
      any_poor: value.anyPoor ? 1 : 0,
      category: inv.category,
      grade: inv.grade,
      department_id: inv.department_id,
      owner_id: ownerId,
      document_id: null,
      action_id: null,
      created_at: now,
    })
    .execute();
  await t.db
    .insertInto('survey_answers')
    .values(
      value.answers.map((a: ScoredAnswer) => ({
        response_id: id,
        question_key: a.key,
        level: a.level,
        score: a.score,
        text: a.text,
      })),
    )
    .execute();

  const label = `${inv.archive_code} ${inv.customer_name} ${inv.campaign_number}`;
  await appendAudit(t, {
    action: 'survey.respond',
    targetType: 'survey_response',
    targetId: id,
    targetLabel: label,
    secrecy,
    details: {
      campaign: inv.campaign_number,
      invitationId: inv.id,
      channel: input.channel,
      enteredBy: input.enteredBy,
      index: value.index,
      overall: value.overall,
      anyPoor: value.anyPoor,
    },
  });

  const overall = value.overall ? `，总体评价${SURVEY_LEVEL_LABELS[value.overall].zh}` : '';
  const text = value.answers
    .filter((a) => a.text)
    .map((a) => `${questions.find((q) => q.key === a.key)?.label ?? a.key}：${a.text}`)
    .join('\n');
  await recordInteraction(
    t,
    inv.customer_id,
    {
      kind: INTERACTION_OF[input.channel],
      occurredOn: input.answeredOn,
      participants: contactName,
      summary: [
        `满意度调查 ${inv.campaign_number}《${inv.campaign_name}》：满意度指数 ${value.index ?? '—'}${overall}`,
        text || null,
      ]
        .filter(Boolean)
        .join('\n'),
      nextStep: null,
    },
    { surveyResponseId: id },
  );

  if (value.anyPoor || (value.index !== null && value.index < Number(inv.low_index))) {
    const owner = await actionOwner(t, ownerId, inv.department_id, secrecy);
    if (owner) {
      const sys = t.actor ? systemTriggeredBy(t, t.actor) : { ...t, actor: SYSTEM_ACTOR };
      const poor = value.answers
        .filter((a) => a.level === 'poor')
        .map((a) => questions.find((q) => q.key === a.key)?.label ?? a.key);
      const action = await raiseAction(sys, 'survey_response', id, {
        kind: 'corrective',
        description: [
          `客户 ${inv.customer_name} 在满意度调查 ${inv.campaign_number} 中满意度偏低（指数 ${value.index ?? '—'}，低于 ${Number(inv.low_index)} 或有“较差”）。`,
          poor.length ? `评为“较差”的项目：${poor.join('、')}。` : null,
          text ? `客户意见：${text.slice(0, 500)}` : null,
          '请分析原因并采取纠正措施。',
        ]
          .filter(Boolean)
          .join('\n'),
        ownerId: owner,
        dueDays: SURVEY_ACTION_DUE_DAYS,
      });
      await t.db.updateTable('survey_responses').set({ action_id: action.id }).where('id', '=', id).execute();
    }
  }

  const filed = await fileResponse(t, id, store);
  return { id, filed };
}
