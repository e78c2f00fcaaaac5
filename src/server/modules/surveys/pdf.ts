import { SECRECY_LABELS, type SecrecyLevel, secrecyFromRank } from '../../../common/enums.js';
import {
  SURVEY_CHANNEL_LABELS,
  SURVEY_LEVEL_LABELS,
  SURVEY_LEVELS,
  type SurveyChannel,
  type SurveyLevel,
  type SurveyQuestion,
} from '../../../common/surveys.js';
import { formatDateTime } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { companyName } from '../../platform/organisation.js';
import { type FormField, type FormSection, formPdf } from '../../platform/pdf-form.js';
import { findVisibleResponse, reader } from './service.js';

// The filled satisfaction form (顾客满意度调查表, R-V3) as a PDF: filed in the customer's archive
// when the answer is recorded (archive.ts), and downloaded from the response. `filledFormPdf` is
// pure (a form in, PDF bytes out); `loadFilledForm` reads one response as the form prints it.

export interface FilledForm {
  responseId: string;
  /** The template's name, the form's title (顾客满意度调查表). */
  title: string;
  templateVersion: number;
  campaign: { number: string; name: string; periodLabel: string };
  customer: { id: string; name: string; code: string };
  contactName: string | null;
  channel: SurveyChannel;
  enteredBy: string | null;
  department: string | null;
  owner: string | null;
  answeredOn: string;
  answeredAt: string;
  questions: SurveyQuestion[];
  answers: Map<string, { level: SurveyLevel | null; score: number | null; text: string | null }>;
  index: number | null;
  overall: SurveyLevel | null;
  secrecy: SecrecyLevel;
}

const TICK = '√';
const row = (...fields: [string, string | null | undefined][]): FormField[] =>
  fields.map(([label, value]) => ({ label, value }));
const at = (v: string) => formatDateTime(v).slice(0, 16);
const score = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** Loads one response with its campaign, template version, customer and answers; no policy. */
export async function loadFilledForm(db: Db, responseId: string): Promise<FilledForm> {
  const r = await db
    .selectFrom('survey_responses as r')
    .innerJoin('survey_campaigns as k', 'k.id', 'r.campaign_id')
    .innerJoin('survey_templates as t', 't.id', 'k.template_id')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('users as o', 'o.id', 'r.owner_id')
    .leftJoin('users as e', 'e.id', 'r.entered_by')
    .select([
      'r.id',
      'r.contact_name',
      'r.channel',
      'r.answered_on',
      'r.answered_at',
      'r.index_score',
      'r.overall',
      'k.number as campaign_number',
      'k.name as campaign_name',
      'k.period_label',
      't.name as template_name',
      't.version as template_version',
      't.questions',
      'c.id as customer_id',
      'c.name as customer_name',
      'c.archive_code',
      'c.secrecy',
      'd.name as department_name',
      'o.name as owner_name',
      'e.name as entered_by_name',
    ])
    .where('r.id', '=', responseId)
    .executeTakeFirst();
  if (!r) throw notFound();
  const answers = await db
    .selectFrom('survey_answers')
    .select(['question_key', 'level', 'score', 'text'])
    .where('response_id', '=', responseId)
    .execute();
  return {
    responseId: r.id,
    title: r.template_name,
    templateVersion: r.template_version,
    campaign: { number: r.campaign_number, name: r.campaign_name, periodLabel: r.period_label },
    customer: { id: r.customer_id, name: r.customer_name, code: r.archive_code },
    contactName: r.contact_name,
    channel: r.channel as SurveyChannel,
    enteredBy: r.entered_by_name,
    department: r.department_name,
    owner: r.owner_name,
    answeredOn: r.answered_on,
    answeredAt: r.answered_at,
    questions: JSON.parse(r.questions) as SurveyQuestion[],
    answers: new Map(
      answers.map((a) => [
        a.question_key,
        {
          level: (a.level as SurveyLevel | null) ?? null,
          score: a.score === null ? null : Number(a.score),
          text: a.text,
        },
      ]),
    ),
    index: r.index_score === null ? null : Number(r.index_score),
    overall: (r.overall as SurveyLevel | null) ?? null,
    secrecy: secrecyFromRank(Number(r.secrecy)),
  };
}

export async function filledFormPdf(
  form: FilledForm,
  opts: { company?: string | undefined; printedAt: Date; archiveNo?: string | null },
): Promise<Uint8Array> {
  const rated = form.questions.filter((q) => q.type !== 'text');
  const texts = form.questions.filter((q) => q.type === 'text');
  const sections: FormSection[] = [
    {
      heading: '一、调查信息',
      blocks: [
        {
          fields: [
            row(['调查活动', form.campaign.name], ['活动编号', form.campaign.number]),
            row(['调查期间', form.campaign.periodLabel], ['问卷版本', `第 ${form.templateVersion} 版`]),
            row(['客户名称', form.customer.name], ['客户编号', form.customer.code]),
            row(
              ['联系人', form.contactName],
              ['调查日期', form.answeredOn],
              ['调查方式', SURVEY_CHANNEL_LABELS[form.channel]?.zh ?? form.channel],
            ),
            row(['所属部门', form.department], ['业务员', form.owner], ['录入人', form.enteredBy]),
          ],
        },
      ],
    },
    {
      heading: '二、满意度评价',
      blocks: [
        {
          table: {
            columns: [
              { header: '序号', width: 3, align: 'center' },
              { header: '评价项目', width: 12 },
              ...SURVEY_LEVELS.map((l) => ({
                header: SURVEY_LEVEL_LABELS[l].zh,
                width: 5,
                align: 'center' as const,
              })),
              { header: '评价', width: 5, align: 'center' },
              { header: '得分', width: 4, align: 'right' },
            ],
            rows: rated.map((q, i) => {
              const a = form.answers.get(q.key);
              const level = a?.level ?? null;
              return [
                String(i + 1),
                q.type === 'overall' ? `${q.label}（不计入指数）` : q.label,
                ...SURVEY_LEVELS.map((l) => (l === level ? TICK : '')),
                level ? SURVEY_LEVEL_LABELS[level].zh : '未答',
                q.type === 'rating' ? score(a?.score) : '',
              ];
            }),
            empty: '无',
          },
        },
        {
          fields: [
            row(
              ['满意度指数', score(form.index)],
              ['总体评价', form.overall ? SURVEY_LEVEL_LABELS[form.overall].zh : ''],
            ),
          ],
        },
      ],
    },
  ];
  if (texts.length)
    sections.push({
      heading: '三、意见与建议',
      blocks: [{ fields: texts.map((q) => row([q.label, form.answers.get(q.key)?.text ?? '无'])) }],
    });
  sections.push({
    heading: texts.length ? '四、记录' : '三、记录',
    blocks: [
      {
        fields: [
          row(
            ['提交时间', at(form.answeredAt)],
            ['密级', SECRECY_LABELS[form.secrecy].zh],
            ['档号', opts.archiveNo ?? ''],
          ),
        ],
      },
    ],
  });
  return formPdf({
    title: form.title,
    ...(opts.company ? { company: opts.company } : {}),
    meta: { left: `编号：${form.campaign.number}`, right: `打印时间：${at(opts.printedAt.toISOString())}` },
    mark: form.secrecy === 'normal' ? null : SECRECY_LABELS[form.secrecy].zh,
    sections,
    runningHead: `${form.title} ${form.customer.name}`,
    footer: `${opts.company ?? '客档 Kedang'} · ${form.campaign.number}`,
  });
}

/**
 * GET /api/surveys/responses/:id/form.pdf: the filled form as filed, for whoever may see the
 * customer archive (404 otherwise, as if absent); the download is audited.
 */
export async function printFilledForm(ctx: Ctx, id: string): Promise<{ name: string; bytes: Uint8Array }> {
  const r = await reader(ctx);
  const row = await findVisibleResponse(r, id);
  await appendAudit(r.ctx, {
    action: 'survey.response_print',
    targetType: 'survey_response',
    targetId: row.id,
    targetLabel: `${row.customer_code} ${row.customer_name} ${row.campaign_number}`,
    secrecy: Number(row.customer_secrecy),
  });
  const form = await loadFilledForm(ctx.db, row.id);
  const doc = row.document_id
    ? await ctx.db
        .selectFrom('documents')
        .select('archive_no')
        .where('id', '=', row.document_id)
        .executeTakeFirst()
    : undefined;
  const bytes = await filledFormPdf(form, {
    company: await companyName(ctx.db),
    printedAt: ctx.now(),
    archiveNo: doc?.archive_no ?? null,
  });
  return { name: `${form.campaign.number}-${form.customer.code}.pdf`, bytes };
}
