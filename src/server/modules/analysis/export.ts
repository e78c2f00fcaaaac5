import type { Readable } from 'node:stream';
import { COMPOSITION_DIMENSION_LABELS } from '../../../common/analysis.js';
import type { AbcQuery, CompositionQuery, SeasonalQuery } from '../../../common/schemas/analysis.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { streamWorkbook } from '../../platform/xlsx.js';
import { abcAnalysis } from './abc.js';
import { composition } from './composition.js';
import { productAnalysis } from './products.js';
import { seasonalIndex } from './seasonal.js';

// The analysis tables as .xlsx and CSV (R-W3), Chinese headers, computed as the page shows them
// (the same visibility, amounts left empty for readers who do not see prices), audited as exports.

type Cell = string | number | null;
interface Table {
  title: string;
  headers: string[];
  rows: Cell[][];
}

const pct = (v: number | null) => (v === null ? null : `${v.toFixed(2)}%`);
const num = (v: string | null) => (v === null ? null : Number(v));

export async function abcTable(ctx: Ctx, q: AbcQuery): Promise<Table> {
  const a = await abcAnalysis(ctx, q, { action: 'analysis.export', all: true });
  return {
    title: `ABC分析 ${a.from}～${a.to}`,
    headers: [
      '排名',
      '客户编号',
      '客户名称',
      '客户类别',
      '销售额',
      '占比',
      '累计占比',
      'ABC 等级',
      '档案现等级',
    ],
    rows: a.rows.map((x) => [
      x.rank,
      x.archiveCode,
      x.name,
      x.category,
      num(x.amount),
      pct(x.share),
      pct(x.cumulativeShare),
      x.grade,
      x.currentGrade,
    ]),
  };
}

export async function compositionTable(ctx: Ctx, q: CompositionQuery): Promise<Table> {
  const c = await composition(ctx, q, { action: 'analysis.export' });
  return {
    title: `销售构成 ${c.from}～${c.to}`,
    headers: [COMPOSITION_DIMENSION_LABELS[c.dimension].zh, '销售额', '占比', '客户数'],
    rows: c.rows.map((x) => [x.label, num(x.amount), pct(x.share), x.customers]),
  };
}

export async function seasonalTable(ctx: Ctx, q: SeasonalQuery): Promise<Table> {
  const s = await seasonalIndex(ctx, q, { action: 'analysis.export' });
  return {
    title: `季节指数 ${s.years[0]}～${s.years.at(-1)}`,
    headers: ['月份', ...s.years.map((y) => `${y} 年`), '月平均', '季节指数', '月度目标'],
    rows: s.months.map((m) => [
      `${m.month} 月`,
      ...m.byYear.map(num),
      num(m.average),
      pct(m.index),
      num(m.target),
    ]),
  };
}

export async function productTable(ctx: Ctx, q: { from: string; to: string }): Promise<Table> {
  const p = await productAnalysis(ctx, q, { action: 'analysis.export' });
  const four = (v: number | null) => (v === null ? null : Number(v.toFixed(4)));
  return {
    title: `产品贡献 ${p.from}～${p.to}`,
    headers: [
      '产品编码',
      '产品名称',
      '销售额',
      '毛利',
      '毛利率',
      '平均库存',
      '周转率',
      '交叉比率',
      '销售占比',
      '贡献度',
    ],
    rows: p.rows.map((x) => [
      x.productCode,
      x.productName,
      num(x.sales),
      num(x.grossMargin),
      x.marginRate === null ? null : pct(x.marginRate * 100),
      num(x.averageStock),
      four(x.turnover),
      four(x.crossRatio),
      pct(x.share * 100),
      four(x.contribution),
    ]),
  };
}

export function tableXlsx(t: Table): Readable {
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(t.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
    const head = sheet.addRow(t.headers);
    head.font = { bold: true };
    head.commit();
    for (const r of t.rows) sheet.addRow(r).commit();
    sheet.commit();
  });
}

export function tableCsv(t: Table): Readable {
  async function* rows() {
    yield t.rows;
  }
  return csvStream(t.headers, rows());
}
