import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { ACTION_STATUS_LABELS, type ActionStatus } from '../../../common/actions.js';
import type { ResultsQuery } from '../../../common/schemas/surveys.js';
import {
  SURVEY_CHANNEL_LABELS,
  SURVEY_LEVEL_LABELS,
  type SurveyChannel,
  type SurveyLevel,
} from '../../../common/surveys.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import {
  checkCampaign,
  count,
  distribution,
  groups,
  indexOf,
  questionsOf,
  type ResultsFilter,
  type ResultsReader,
  resultsReader,
  sum10,
  visibleResponses,
} from './results.js';

// The survey registers (R-V3, R-W3) as .xlsx and CSV: the 顾客满意度调查汇总表 (one row per answered
// form, one column per question, with a sheet of the index per department and per question), and
// the index per salesperson and per department for staff appraisal. Only the forms whose archive
// the reader may see; streamed in keyset batches; every export is audited as `survey.export`, as
// secret as the most secret archive it lists.

const BATCH = 1000;
type Cell = string | number | null;
export type ExportFilter = Pick<ResultsQuery, 'campaignId' | 'period' | 'templateKey'>;

export const SURVEY_REGISTERS = ['summary', 'appraisal'] as const;
export type SurveyRegister = (typeof SURVEY_REGISTERS)[number];
export const SURVEY_REGISTER_NAMES: Record<SurveyRegister, string> = {
  summary: '顾客满意度调查汇总表',
  appraisal: '满意度考核表',
};

const level = (v: string | null | undefined) => (v ? (SURVEY_LEVEL_LABELS[v as SurveyLevel]?.zh ?? v) : '');
const filterOf = (f: ExportFilter): ResultsFilter => ({
  campaignId: f.campaignId,
  period: f.period,
  templateKey: f.templateKey,
});

/** Checks the size, audits the export before any row goes out, and returns the reader. */
async function begin(ctx: Ctx, register: SurveyRegister, format: 'xlsx' | 'csv', f: ResultsFilter) {
  const r = await resultsReader(ctx);
  await checkCampaign(r.ctx.db, f.campaignId);
  const totals = await visibleResponses(r, f)
    .select([sql<number | string>`count(*)`.as('n'), sql<number | null>`max(c.secrecy)`.as('s')])
    .executeTakeFirstOrThrow();
  const n = Number(totals.n);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'survey.export',
    targetType: 'survey',
    secrecy: exportSecrecy(r.ctx.actor, { ...f }, totals.s),
    details: { register: SURVEY_REGISTER_NAMES[register], format, filter: { ...f }, rows: n },
  });
  return r;
}

// 顾客满意度调查汇总表 ----------------------------------------------------------------------------

const FIXED: [string, number][] = [
  ['序号', 6],
  ['调查活动', 24],
  ['调查期间', 10],
  ['客户', 28],
  ['客户编号', 14],
  ['客户类别', 10],
  ['所属部门', 12],
  ['业务员', 10],
  ['联系人', 10],
  ['调查方式', 12],
  ['调查日期', 12],
];

/**
 * The columns: the form's details, a column per rating question (its level), 满意度指数, 总体评价
 * (the overall question), a column per free-text question, and the corrective action.
 */
async function summaryColumns(r: ResultsReader, f: ResultsFilter) {
  const all = await questionsOf(r, f);
  const rated = all.filter((q) => q.type === 'rating');
  const texts = all.filter((q) => q.type === 'text');
  const columns: [string, number][] = [
    ...FIXED,
    ...rated.map((q): [string, number] => [q.label, 10]),
    ['满意度指数', 10],
    ['总体评价', 10],
    ...texts.map((q): [string, number] => [q.label, 30]),
    ['纠正措施', 20],
  ];
  return { rated, texts, columns };
}

/** The answered forms as rows, oldest first by (answered_at, id), a batch at a time. */
async function* summaryBatches(
  r: ResultsReader,
  f: ResultsFilter,
  rated: { key: string }[],
  texts: { key: string }[],
): AsyncGenerator<Cell[][]> {
  const db = r.ctx.db;
  let index = 0;
  let after: [string, string] | null = null;
  for (;;) {
    let q = visibleResponses(r, f)
      .leftJoin('lookups as l', (j) => j.onRef('l.code', '=', 'r.category').on('l.list', '=', 'category'))
      .leftJoin('departments as d', 'd.id', 'r.department_id')
      .leftJoin('users as u', 'u.id', 'r.owner_id')
      .leftJoin('corrective_actions as a', 'a.id', 'r.action_id')
      .select([
        'r.id',
        'r.answered_at',
        'r.answered_on',
        'r.channel',
        'r.contact_name',
        'r.category',
        'r.index_score',
        'r.overall',
        'r.action_id',
        'k.number as campaign_number',
        'k.name as campaign_name',
        'k.period_label',
        'c.name as customer_name',
        'c.archive_code',
        'l.label as category_label',
        'd.name as department_name',
        'u.name as owner_name',
        'a.status as action_status',
      ]);
    if (after) {
      const [at, id] = after;
      q = q.where((eb) =>
        eb.or([eb('r.answered_at', '>', at), eb.and([eb('r.answered_at', '=', at), eb('r.id', '>', id)])]),
      );
    }
    const rows = await q.orderBy('r.answered_at').orderBy('r.id').limit(BATCH).execute();
    const answers = new Map<string, Map<string, { level: string | null; text: string | null }>>();
    if (rows.length)
      for (const a of await db
        .selectFrom('survey_answers')
        .select(['response_id', 'question_key', 'level', 'text'])
        .where(
          'response_id',
          'in',
          rows.map((x) => x.id),
        )
        .execute()) {
        const m =
          answers.get(a.response_id) ?? new Map<string, { level: string | null; text: string | null }>();
        answers.set(a.response_id, m);
        m.set(a.question_key, { level: a.level, text: a.text });
      }
    yield rows.map((x): Cell[] => {
      const own = answers.get(x.id);
      return [
        ++index,
        `${x.campaign_number} ${x.campaign_name}`,
        x.period_label,
        x.customer_name,
        x.archive_code,
        x.category_label ?? x.category ?? '',
        x.department_name ?? '',
        x.owner_name ?? '',
        x.contact_name ?? '',
        SURVEY_CHANNEL_LABELS[x.channel as SurveyChannel]?.zh ?? x.channel,
        x.answered_on,
        ...rated.map((qq) => level(own?.get(qq.key)?.level)),
        x.index_score === null ? '' : Math.round(Number(x.index_score) * 10) / 10,
        level(x.overall),
        ...texts.map((qq) => own?.get(qq.key)?.text ?? ''),
        x.action_id
          ? `${x.campaign_number}（${x.action_status ? (ACTION_STATUS_LABELS[x.action_status as ActionStatus]?.zh ?? x.action_status) : ''}）`
          : '',
      ];
    });
    if (rows.length < BATCH) return;
    const last = rows.at(-1) as (typeof rows)[number];
    after = [last.answered_at, last.id];
  }
}

function addSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: [string, number][],
  rows: Cell[][],
) {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = columns.map(([header, width]) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
}

/** 顾客满意度调查汇总表 as .xlsx (with its 汇总 sheet) or CSV (the forms only). */
export async function exportSummary(ctx: Ctx, format: 'xlsx' | 'csv', q: ExportFilter): Promise<Readable> {
  const f = filterOf(q);
  const r = await begin(ctx, 'summary', format, f);
  const { rated, texts, columns } = await summaryColumns(r, f);
  if (format === 'csv')
    return csvStream(
      columns.map(([h]) => h),
      summaryBatches(r, f, rated, texts),
    );
  const [departments, dist] = await Promise.all([groups(r, f, 'department'), distribution(r, f)]);
  const total = await visibleResponses(r, f)
    .select([
      sql<number | string>`count(*)`.as('n'),
      sum10('r.index_score').as('s'),
      count('r.index_score').as('m'),
    ])
    .executeTakeFirstOrThrow();
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(SURVEY_REGISTER_NAMES.summary);
    sheet.columns = columns.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of summaryBatches(r, f, rated, texts))
      for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
    addSheet(
      workbook,
      '汇总',
      [
        ['项目', 24],
        ['答卷数', 10],
        ['满意度指数', 12],
        ['非常满意', 10],
        ['满意', 10],
        ['一般', 10],
        ['较差', 10],
      ],
      [
        ['全部', Number(total.n), indexOf(total.s, total.m) ?? '', '', '', '', ''],
        ...departments.map((g): Cell[] => [`部门：${g.label}`, g.responses, g.index ?? '', '', '', '', '']),
        ...dist.map((d): Cell[] => [
          `题目：${d.label}`,
          d.counts.very_satisfied + d.counts.satisfied + d.counts.average + d.counts.poor,
          d.index ?? '',
          d.counts.very_satisfied,
          d.counts.satisfied,
          d.counts.average,
          d.counts.poor,
        ]),
      ],
    );
  });
}

// 满意度考核表 -------------------------------------------------------------------------------------

const APPRAISAL: [string, number][] = [
  ['类别', 8],
  ['名称', 16],
  ['所属部门', 14],
  ['答卷数', 10],
  ['满意度指数', 12],
  ['有较差的答卷', 14],
];

/** Index per salesperson (with their department) and per department, best first. */
async function appraisalRows(
  r: ResultsReader,
  f: ResultsFilter,
): Promise<{ owners: Cell[][]; departments: Cell[][] }> {
  const agg = [
    sql<number | string>`count(*)`.as('n'),
    sum10('r.index_score').as('s'),
    count('r.index_score').as('m'),
    sql<number | string | null>`sum(r.any_poor)`.as('poor'),
  ];
  const [owners, departments] = await Promise.all([
    visibleResponses(r, f)
      .leftJoin('users as u', 'u.id', 'r.owner_id')
      .leftJoin('departments as d', 'd.id', 'u.department_id')
      .select(['r.owner_id as key', 'u.name as label', 'd.name as department', ...agg])
      .groupBy(['r.owner_id', 'u.name', 'd.name'])
      .execute(),
    visibleResponses(r, f)
      .leftJoin('departments as d', 'd.id', 'r.department_id')
      .select(['r.department_id as key', 'd.name as label', 'd.name as department', ...agg])
      .groupBy(['r.department_id', 'd.name'])
      .execute(),
  ]);
  const rank = (rows: typeof owners, kind: string, none: string, withDepartment: boolean) =>
    rows
      .map((x) => ({
        label: x.label ?? none,
        department: withDepartment ? (x.department ?? '') : (x.label ?? none),
        n: Number(x.n),
        index: indexOf(x.s, x.m),
        poor: Number(x.poor ?? 0),
      }))
      .sort(
        (a, b) =>
          (b.index ?? Number.NEGATIVE_INFINITY) - (a.index ?? Number.NEGATIVE_INFINITY) ||
          a.label.localeCompare(b.label, 'zh-CN'),
      )
      .map((x): Cell[] => [kind, x.label, x.department, x.n, x.index ?? '', x.poor]);
  return {
    owners: rank(owners, '业务员', '（无业务员）', true),
    departments: rank(departments, '部门', '（无部门）', false),
  };
}

/** 满意度考核表: per salesperson and per department; .xlsx has a sheet of each. */
export async function exportAppraisal(ctx: Ctx, format: 'xlsx' | 'csv', q: ExportFilter): Promise<Readable> {
  const f = filterOf(q);
  const r = await begin(ctx, 'appraisal', format, f);
  const { owners, departments } = await appraisalRows(r, f);
  if (format === 'csv')
    return csvStream(
      APPRAISAL.map(([h]) => h),
      (async function* () {
        yield [...owners, ...departments];
      })(),
    );
  return streamWorkbook(async (workbook) => {
    addSheet(workbook, '按业务员', APPRAISAL, owners);
    addSheet(workbook, '按部门', APPRAISAL, departments);
  });
}
