import type { Readable } from 'node:stream';
import type {
  Holdings,
  ServiceSummary,
  StatisticsQuery,
  StatisticsTable,
  StatisticsTableCode,
  UseStatistics,
} from '../../../common/schemas/statistics.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { reportPdf } from '../../platform/pdf.js';
import { streamWorkbook } from '../../platform/xlsx.js';
import { computeHoldings, computeService, computeUse, type StatsReader, statsReader } from './service.js';

// The yearly statistical report (统计年报, 篇八 第五十一条) as .xlsx (one sheet a table, Chinese
// headers) and PDF (one table of sections), and each table as CSV. Computed once per download with
// the same functions as the page, so the report and the charts agree; each download is audited.

interface Report {
  holdings: Holdings;
  use: UseStatistics;
  service: ServiceSummary;
  secrecy: number;
}

async function compute(r: StatsReader): Promise<Report> {
  const [h, u, s] = await Promise.all([computeHoldings(r), computeUse(r), computeService(r)]);
  const { secrecy: hs, ...holdings } = h;
  const { secrecy: us, ...use } = u;
  const { secrecy: ss, ...service } = s;
  return { holdings, use, service, secrecy: Math.max(hs, us, ss) };
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`;
const share = (value: number, total: number) => (total ? pct(value / total) : '—');

/** 概况: the year's totals. */
function overview(x: Report): [string, string | number][] {
  return [
    ['统计年度', x.holdings.year],
    ['统计截止日', x.holdings.asOf],
    ['馆藏文件总数（件）', x.holdings.total],
    ['本年新增（件）', x.holdings.added],
    ['本年销毁（件）', x.holdings.destroyed],
    ['查阅人次', x.use.reads],
    ['借阅申请（已批准）', x.use.requests],
    ['借阅档案（件次）', x.use.items],
  ];
}

/** 服务指标: a row per figure; — where the reader may not read the owning module's figures. */
function serviceRows(s: ServiceSummary): [string, string | number][] {
  const dash = '—';
  return [
    ['客户投诉（件）', s.complaints?.received ?? dash],
    ['投诉超期处理（件）', s.complaints?.late ?? dash],
    ['投诉按时处理率', s.complaints ? pct(s.complaints.onTimeRate) : dash],
    ['到期回访（次）', s.visits?.due ?? dash],
    ['已完成回访（次）', s.visits?.done ?? dash],
    ['未完成回访（次）', s.visits?.open ?? dash],
    ['满意度调查（份）', s.satisfaction?.responses ?? dash],
    ['顾客满意度指数', s.satisfaction?.index ?? dash],
    ['到期订单行', s.delivery?.lines ?? dash],
    ['准时交付行', s.delivery?.onTime ?? dash],
    ['准时交付率', s.delivery ? pct(s.delivery.rate) : dash],
  ];
}

function tablesOf(x: Report): StatisticsTable[] {
  return [...x.holdings.tables, ...x.use.tables];
}

async function prepared(ctx: Ctx, q: StatisticsQuery, format: string, table?: string): Promise<Report> {
  const r = await statsReader(ctx, q);
  const x = await compute(r);
  await appendAudit(ctx, {
    action: 'statistics.export',
    targetType: 'statistics',
    secrecy: x.secrecy,
    details: { year: r.year, format, ...(table ? { table } : {}) },
  });
  return x;
}

/** 统计年报 as .xlsx: 概况, each table with 数量 and 占比, 服务指标. */
export async function reportXlsx(ctx: Ctx, q: StatisticsQuery): Promise<{ year: number; body: Readable }> {
  const x = await prepared(ctx, q, 'xlsx');
  const body = streamWorkbook(async (workbook) => {
    const sheet = (name: string, columns: [string, number][], rows: (string | number)[][]) => {
      const s = workbook.addWorksheet(name);
      s.columns = columns.map(([header, width]) => ({ header, width }));
      s.getRow(1).font = { bold: true };
      s.getRow(1).commit();
      for (const row of rows) s.addRow(row).commit();
      s.commit();
    };
    sheet(
      '概况',
      [
        ['项目', 24],
        ['数值', 16],
      ],
      overview(x),
    );
    for (const t of tablesOf(x))
      sheet(
        t.title,
        [
          [t.dimension, 24],
          ['数量', 10],
          ['占比', 10],
        ],
        [
          ...t.buckets.map((b) => [b.name, b.value, share(b.value, t.total)]),
          ['合计', t.total, t.total ? '100%' : '—'],
        ],
      );
    sheet(
      '服务指标',
      [
        ['指标', 24],
        ['数值', 16],
      ],
      serviceRows(x.service),
    );
  });
  return { year: x.holdings.year, body };
}

/** One table as CSV (the service summary's figures for `service`). */
export async function tableCsv(
  ctx: Ctx,
  q: StatisticsQuery,
  code: StatisticsTableCode,
): Promise<{ year: number; title: string; body: Readable }> {
  const x = await prepared(ctx, q, 'csv', code);
  const year = x.holdings.year;
  if (code === 'service') {
    async function* rows() {
      yield serviceRows(x.service).map(([k, v]) => [k, v]);
    }
    return { year, title: '服务指标', body: csvStream(['指标', '数值'], rows()) };
  }
  const t = tablesOf(x).find((y) => y.code === code) as StatisticsTable;
  async function* rows() {
    yield [
      ...t.buckets.map((b) => [b.name, b.value, share(b.value, t.total)]),
      ['合计', t.total, t.total ? '100%' : '—'],
    ];
  }
  return { year, title: t.title, body: csvStream([t.dimension, '数量', '占比'], rows()) };
}

/** 统计年报 as PDF: one table of sections (表, 项目, 数量, 占比), the service figures after it. */
export async function reportPdfOf(
  ctx: Ctx,
  q: StatisticsQuery,
): Promise<{ year: number; bytes: Uint8Array }> {
  const x = await prepared(ctx, q, 'pdf');
  const rows: string[][] = [];
  for (const t of tablesOf(x)) {
    t.buckets.forEach((b, i) => {
      rows.push([i === 0 ? t.title : '', b.name, String(b.value), share(b.value, t.total)]);
    });
    rows.push([t.buckets.length ? '' : t.title, '合计', String(t.total), t.total ? '100%' : '—']);
  }
  const bytes = await reportPdf({
    title: `${x.holdings.year}年度档案统计年报`,
    meta: [
      overview(x)
        .slice(1)
        .map(([k, v]) => `${k}：${v}`)
        .join('    '),
      `制表：${ctx.actor?.name ?? ''}    制表时间：${formatDateTime(ctx.now())}`,
    ],
    columns: [
      { header: '统计表', width: 14 },
      { header: '项目', width: 20 },
      { header: '数量', width: 8, align: 'right' },
      { header: '占比', width: 8, align: 'right' },
    ],
    rows,
    after: [{ heading: '服务指标', lines: serviceRows(x.service).map(([k, v]) => `${k}：${v}`) }],
    footer: `客档 · ${x.holdings.year}年度档案统计年报`,
  });
  return { year: x.holdings.year, bytes };
}
