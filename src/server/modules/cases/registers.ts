import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { type SqlBool, sql } from 'kysely';
import {
  CASE_KIND_LABELS,
  CASE_STATUS_LABELS,
  CASE_TYPE_LISTS,
  CAUSE_LABELS,
  type CaseKind,
  type CaseStatus,
  type CauseCategory,
  CHANNEL_LABELS,
  type Channel,
  CLOCK_LABELS,
  CLOCKS,
  OPINION_LABELS,
  type Opinion,
  OUTCOME_LABELS,
  type Outcome,
  SEVERITY_LABELS,
  type Severity,
} from '../../../common/cases.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { CaseStatsFilter } from '../../../common/schemas/case-stats.js';
import type { CaseClock, CaseFilter } from '../../../common/schemas/cases.js';
import { formatDateTime } from '../../../common/time.js';
import type { CaseClockTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import { clockView } from './clocks.js';
import { loadCaseTypes } from './config.js';
import * as repo from './repo.js';
import { filteredCases, type Reader, reader } from './service.js';
import { computeStats, statsAuditSecrecy } from './stats.js';

// The registers of cases (R-W3) as .xlsx and CSV: 服务登记簿 (every case the filter selects) and
// 投诉处理追踪表 (the open ones with their clocks: due, state, time left), oldest first, streamed in
// keyset batches so that memory stays flat; and the 客户投诉报表 (the statistics of stats.ts as
// sheets). Only what the reader may see is listed; every export is audited as `case.export`.

const BATCH = 1000;
const OPEN_STATUSES: CaseStatus[] = ['new', 'in_progress', 'to_reply', 'to_revisit'];

export const CASE_REGISTERS = ['register', 'tracking'] as const;
export type CaseRegister = (typeof CASE_REGISTERS)[number];
export const CASE_REGISTER_NAMES: Record<CaseRegister, string> = {
  register: '服务登记簿',
  tracking: '投诉处理追踪表',
};

type Cell = string | number | null;
type Filter = Partial<CaseFilter>;

const CLOCK_STATE_TEXT: Record<CaseClock['state'], string> = {
  met: '按时完成',
  late: '超期完成',
  open: '未到期',
  breached: '已超期',
};

/** 剩余 3 个工作日 / 剩余 2.5 小时 / 已超期 1 个工作日, as the case list's clock tags say it. */
export function timeLeftText(c: CaseClock): string {
  if (c.state === 'met' || c.state === 'late') return '';
  if (c.state === 'breached')
    return c.workingDaysLeft && c.workingDaysLeft < 0 ? `已超期 ${-c.workingDaysLeft} 个工作日` : '已超期';
  if (c.hoursLeft !== null) return `剩余 ${c.hoursLeft} 小时`;
  return `剩余 ${c.workingDaysLeft} 个工作日`;
}

const COLUMNS: Record<CaseRegister, [string, number][]> = {
  register: [
    ['序号', 6],
    ['编号', 16],
    ['类别', 6],
    ['类型', 8],
    ['客户', 28],
    ['联系人', 10],
    ['渠道', 6],
    ['产品', 18],
    ['内容', 40],
    ['诉求', 30],
    ['受理人', 10],
    ['受理时间', 19],
    ['严重程度', 8],
    ['状态', 8],
    ['判定', 8],
    ['处理部门', 12],
    ['处理人', 10],
    ['原因类别', 8],
    ['答复时间', 19],
    ['关闭时间', 19],
    ['回访意见', 24],
    ...CLOCKS.flatMap((c): [string, number][] => [
      [`${CLOCK_LABELS[c].zh}期限`, 19],
      [`${CLOCK_LABELS[c].zh}完成时间`, 19],
    ]),
    ['密级', 6],
  ],
  tracking: [
    ['序号', 6],
    ['编号', 16],
    ['类别', 6],
    ['类型', 8],
    ['客户', 28],
    ['产品', 18],
    ['严重程度', 8],
    ['状态', 8],
    ['处理部门', 12],
    ['处理人', 10],
    ['受理时间', 19],
    ...CLOCKS.flatMap((c): [string, number][] => [
      [`${CLOCK_LABELS[c].zh}期限`, 19],
      [`${CLOCK_LABELS[c].zh}状态`, 10],
      [`${CLOCK_LABELS[c].zh}剩余时间`, 16],
    ]),
    ['密级', 6],
  ],
};

/** The register's query: the filter, and for the tracking table only open cases. */
function selection(r: Reader, register: CaseRegister, f: Filter) {
  const q = filteredCases(r, register === 'tracking' ? { ...f, status: undefined } : f);
  return register === 'tracking' ? q.where('k.status', 'in', OPEN_STATUSES) : q;
}

/** The rows of a register as cells, a batch at a time, oldest first by (received_at, id). */
async function* registerBatches(r: Reader, register: CaseRegister, f: Filter): AsyncGenerator<Cell[][]> {
  const db = r.ctx.db;
  const [types, calendar] = await Promise.all([loadCaseTypes(db), loadCalendar(r.ctx)]);
  const now = r.ctx.now();
  const typeLabel = (kind: string, code: string) =>
    types.find((t) => t.list === CASE_TYPE_LISTS[kind as CaseKind] && t.code === code)?.label ?? code;
  let index = 0;
  let after: [string, string] | null = null;
  for (;;) {
    let q = repo.withCustomer(selection(r, register, f));
    if (after) {
      const [at, id] = after;
      q = q.where(sql<SqlBool>`(k.received_at > ${at} or (k.received_at = ${at} and k.id > ${id}))`);
    }
    const rows = (await q.orderBy('k.received_at').orderBy('k.id').limit(BATCH).execute()) as repo.CaseRow[];
    const [clocks, names] = await Promise.all([
      repo.clocksOf(
        db,
        rows.map((x) => x.id),
      ),
      repo.namesOf(
        db,
        rows.flatMap((x) => [x.receiver_id, x.handler_id]),
        rows.map((x) => x.handling_department_id),
      ),
    ]);
    const user = (id: string | null) => (id ? (names.users.get(id) ?? '') : '');
    const dept = (id: string | null) => (id ? (names.departments.get(id) ?? '') : '');
    const batch = rows.map((row): Cell[] => {
      const own = new Map((clocks.get(row.id) ?? []).map((c) => [c.clock, c] as [string, CaseClockTable]));
      const common = {
        number: row.number,
        kind: CASE_KIND_LABELS[row.kind as CaseKind]?.zh ?? row.kind,
        type: typeLabel(row.kind, row.type),
        customer: row.customer_name,
        severity: SEVERITY_LABELS[row.severity as Severity]?.zh ?? row.severity,
        status: CASE_STATUS_LABELS[row.status as CaseStatus]?.zh ?? row.status,
        secrecy: SECRECY_LABELS[secrecyFromRank(Number(row.effective_secrecy))].zh,
      };
      if (register === 'tracking')
        return [
          ++index,
          common.number,
          common.kind,
          common.type,
          common.customer,
          row.product,
          common.severity,
          common.status,
          dept(row.handling_department_id),
          user(row.handler_id),
          formatDateTime(row.received_at),
          ...CLOCKS.flatMap((name): Cell[] => {
            const c = own.get(name);
            if (!c) return ['', '', ''];
            const view = clockView(calendar, c, now);
            return [formatDateTime(c.due_at), CLOCK_STATE_TEXT[view.state], timeLeftText(view)];
          }),
          common.secrecy,
        ];
      const opinion = row.revisit_opinion ? OPINION_LABELS[row.revisit_opinion as Opinion]?.zh : null;
      return [
        ++index,
        common.number,
        common.kind,
        common.type,
        common.customer,
        row.contact_name,
        CHANNEL_LABELS[row.channel as Channel]?.zh ?? row.channel,
        row.product,
        row.content,
        row.demand,
        user(row.receiver_id),
        formatDateTime(row.received_at),
        common.severity,
        common.status,
        row.outcome ? (OUTCOME_LABELS[row.outcome as Outcome]?.zh ?? row.outcome) : '',
        dept(row.handling_department_id),
        user(row.handler_id),
        row.cause_category ? (CAUSE_LABELS[row.cause_category as CauseCategory]?.zh ?? '') : '',
        formatDateTime(row.replied_at),
        formatDateTime(row.closed_at),
        [opinion, row.revisit_comment].filter(Boolean).join('：'),
        ...CLOCKS.flatMap((name): Cell[] => {
          const c = own.get(name);
          return c ? [formatDateTime(c.due_at), formatDateTime(c.met_at)] : ['', ''];
        }),
        common.secrecy,
      ];
    });
    yield batch;
    if (rows.length < BATCH) return;
    const last = rows.at(-1) as repo.CaseRow;
    after = [last.received_at, last.id];
  }
}

/** 服务登记簿 or 投诉处理追踪表 as .xlsx or CSV; the export is audited before it starts. */
export async function exportRegister(
  ctx: Ctx,
  register: CaseRegister,
  format: 'xlsx' | 'csv',
  f: Filter,
): Promise<Readable> {
  authorize(ctx, 'case.export', { type: 'case' });
  const r = await reader(ctx);
  const { n, caseSecrecy, customerSecrecy } = await selection(r, register, f)
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('k.secrecy').as('caseSecrecy'),
      eb.fn.max('c.secrecy').as('customerSecrecy'),
    ])
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  // The entry names the filter (a product or customer may be telling): as secret as what it lists.
  await appendAudit(ctx, {
    action: 'case.export',
    targetType: 'case',
    secrecy: statsAuditSecrecy(r, { ...f }, Math.max(Number(caseSecrecy ?? 0), Number(customerSecrecy ?? 0))),
    details: { register: CASE_REGISTER_NAMES[register], format, filter: { ...f }, rows: Number(n) },
  });
  const header = COLUMNS[register].map(([h]) => h);
  if (format === 'csv') return csvStream(header, registerBatches(r, register, f));
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(CASE_REGISTER_NAMES[register]);
    sheet.columns = COLUMNS[register].map(([h, width]) => ({ header: h, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of registerBatches(r, register, f))
      for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  });
}

// 客户投诉报表 -----------------------------------------------------------------------------------

const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 1000) / 10}%`);

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

/** The statistics as a workbook: 概况, 按月, 按原因, 按部门, 按产品, 按客户, 时限. */
export async function exportStats(ctx: Ctx, f: CaseStatsFilter): Promise<Readable> {
  authorize(ctx, 'case.export', { type: 'case' });
  const r = await reader(ctx);
  const { stats, secrecy } = await computeStats(r, f);
  await appendAudit(ctx, {
    action: 'case.export',
    targetType: 'case',
    secrecy: statsAuditSecrecy(r, { ...f }, secrecy),
    details: { register: '客户投诉报表', format: 'xlsx', filter: { ...f }, rows: stats.total.value },
  });
  const share = (v: number) => (stats.total.value ? pct(v / stats.total.value) : '');
  const buckets = (list: typeof stats.causes): Cell[][] => list.map((b) => [b.name, b.value, share(b.value)]);
  const kind = CASE_KIND_LABELS[f.kind].zh;
  return streamWorkbook(async (workbook) => {
    addSheet(
      workbook,
      '概况',
      [
        ['项目', 24],
        ['数值', 24],
      ],
      [
        ['统计期间', `${stats.period.from} 至 ${stats.period.to}`],
        ['类别', kind],
        [`${kind}数`, stats.total.value],
        ['成立', stats.justified.justified],
        ['不成立', stats.justified.unjustified],
        ['成立率（成立/已判定）', pct(stats.justified.rate)],
        ['在用客户数（待备案+已备案）', stats.rate.activeCustomers],
        [
          `${kind}率（每百家客户）`,
          stats.rate.per100 === null ? '' : Math.round(stats.rate.per100 * 100) / 100,
        ],
      ],
    );
    addSheet(
      workbook,
      '按月',
      [
        ['月份', 10],
        [`${kind}数`, 10],
        ['成立', 10],
      ],
      stats.months.map((m) => [m.month, m.value, m.justified]),
    );
    const dimension: [string, number][] = [
      ['', 28],
      [`${kind}数`, 10],
      ['占比', 10],
    ];
    const named = (title: string) => dimension.map(([h, w], i): [string, number] => [i === 0 ? title : h, w]);
    addSheet(workbook, '按原因', named('原因类别'), buckets(stats.causes));
    addSheet(workbook, '按部门', named('处理部门'), buckets(stats.departments));
    addSheet(workbook, '按产品', named('产品'), buckets(stats.products));
    addSheet(workbook, '按客户', named('客户'), buckets(stats.customers));
    addSheet(
      workbook,
      '时限',
      [
        ['时限', 12],
        ['按时完成', 10],
        ['超期完成', 10],
        ['超期未完成', 10],
        ['未到期', 10],
        ['按时率', 10],
        ['中位数（工作日）', 16],
        ['P90（工作日）', 14],
        ['中位数（小时）', 14],
        ['P90（小时）', 12],
      ],
      stats.clocks.map((c) => [
        c.name,
        c.met,
        c.late,
        c.breached,
        c.open,
        pct(c.onTimeRate),
        c.days.median,
        c.days.p90,
        c.hours.median,
        c.hours.p90,
      ]),
    );
  });
}
