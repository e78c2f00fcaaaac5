import { z } from 'zod';
import {
  ABC_STRADDLE,
  COMPOSITION_DIMENSIONS,
  MONTH_PATTERN,
  SALES_IMPORT_KINDS,
  SALES_SOURCES,
} from '../analysis.js';
import { CUSTOMER_GRADES } from '../customers.js';

// Customer analysis (R-A1 … R-A3, R-A5): settings, queries and results. Amounts are decimal
// strings with two places, and null for readers who may not see prices (shares stay).

const month = z.string().refine((s) => MONTH_PATTERN.test(s), { params: { key: 'month' } });
const code = z.string().min(1).max(64);

export const analysisSettingsSchema = z.object({
  /** Cumulative share (per cent) up to which customers are A, then B (R-A1: ~75 / ~95). */
  abcA: z.number(),
  abcB: z.number(),
  abcStraddle: z.enum(ABC_STRADDLE),
  salesSource: z.enum(SALES_SOURCES),
});
export type AnalysisSettings = z.infer<typeof analysisSettingsSchema>;
export const analysisSettingsBody = z
  .strictObject({
    abcA: z.number().min(1).max(99),
    abcB: z.number().min(1).max(99.99),
    abcStraddle: z.enum(ABC_STRADDLE),
    salesSource: z.enum(SALES_SOURCES),
  })
  .partial()
  .refine((s) => s.abcA === undefined || s.abcB === undefined || s.abcA < s.abcB, {
    params: { key: 'abc_thresholds' },
    path: ['abcB'],
  });

/** A period of whole months. */
const period = { from: month, to: month };

export const abcQuery = z.object({
  ...period,
  /** Grade within one customer category (R-A1 per category); all customers when absent. */
  category: code.optional(),
  grade: z.enum(CUSTOMER_GRADES).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AbcQuery = z.output<typeof abcQuery>;

export const abcRowSchema = z.object({
  rank: z.number(),
  customerId: z.string(),
  archiveCode: z.string(),
  name: z.string(),
  category: z.string(),
  amount: z.string().nullable(),
  /** Per cent of the period's sales, and cumulative up to and including this customer. */
  share: z.number(),
  cumulativeShare: z.number(),
  grade: z.enum(CUSTOMER_GRADES),
  /** The grade the archive has now. */
  currentGrade: z.string().nullable(),
});
export type AbcRow = z.infer<typeof abcRowSchema>;

export const abcResultSchema = z.object({
  from: z.string(),
  to: z.string(),
  category: z.string().nullable(),
  source: z.enum(SALES_SOURCES),
  thresholds: z.object({ a: z.number(), b: z.number(), straddle: z.enum(ABC_STRADDLE) }),
  /** Customers with sales in the period, and those in scope without (graded C). */
  customers: z.number(),
  withoutSales: z.number(),
  total: z.string().nullable(),
  grades: z.array(
    z.object({
      grade: z.enum(CUSTOMER_GRADES),
      customers: z.number(),
      share: z.number(),
      amount: z.string().nullable(),
    }),
  ),
  /** The Pareto curve: cumulative share of sales by cumulative share of customers (≤ 201 points). */
  pareto: z.array(z.object({ customers: z.number(), share: z.number() })),
  /** Archives whose grade the run would change. */
  changes: z.number(),
  rows: z.array(abcRowSchema),
  /** Rows matching the grade filter, for paging. */
  rowCount: z.number(),
  pricesVisible: z.boolean(),
});
export type AbcResult = z.infer<typeof abcResultSchema>;

export const abcApplyBody = z.strictObject({
  ...period,
  category: code.nullish(),
});
export const abcRunSchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  category: z.string().nullable(),
  thresholdA: z.number(),
  thresholdB: z.number(),
  straddle: z.enum(ABC_STRADDLE),
  source: z.enum(SALES_SOURCES),
  customers: z.number(),
  changed: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
});
export type AbcRun = z.infer<typeof abcRunSchema>;

export const compositionQuery = z.object({
  ...period,
  dimension: z.enum(COMPOSITION_DIMENSIONS).default('category'),
  /** Drill-down: only the sales of this category / product / region / salesperson. */
  category: code.optional(),
  product: code.optional(),
  region: z.string().max(100).optional(),
  salesperson: code.optional(),
});
export type CompositionQuery = z.output<typeof compositionQuery>;
export const compositionSchema = z.object({
  from: z.string(),
  to: z.string(),
  dimension: z.enum(COMPOSITION_DIMENSIONS),
  total: z.string().nullable(),
  rows: z.array(
    z.object({
      /** The value to drill down with (category code, product code, region, user id; '' = none
       * given); null for the rest (其他) beyond the rows shown. */
      key: z.string().nullable(),
      label: z.string(),
      amount: z.string().nullable(),
      share: z.number(),
      customers: z.number(),
    }),
  ),
  pricesVisible: z.boolean(),
});
export type Composition = z.infer<typeof compositionSchema>;

export const seasonalQuery = z.object({
  /** The last year of the three (default: last year). */
  year: z.coerce.number().int().min(1990).max(2200).optional(),
  years: z.coerce.number().int().min(1).max(10).default(3),
  category: code.optional(),
  product: code.optional(),
  /** The annual target to spread over the months by the index. */
  target: z
    .string()
    .refine((s) => /^\d{1,13}(\.\d{1,2})?$/.test(s), { params: { key: 'amount' } })
    .optional(),
});
export type SeasonalQuery = z.output<typeof seasonalQuery>;
export const seasonalSchema = z.object({
  years: z.array(z.number()),
  category: z.string().nullable(),
  product: z.string().nullable(),
  /** Per month 1–12: sales per year, their average, the index (per cent) and the target. */
  months: z.array(
    z.object({
      month: z.number(),
      byYear: z.array(z.string().nullable()),
      average: z.string().nullable(),
      index: z.number().nullable(),
      target: z.string().nullable(),
    }),
  ),
  /** The average of all months (the denominator). */
  overallAverage: z.string().nullable(),
  pricesVisible: z.boolean(),
});
export type Seasonal = z.infer<typeof seasonalSchema>;

export const productAnalysisQuery = z.object({ ...period });
export const productAnalysisSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      productCode: z.string(),
      productName: z.string().nullable(),
      sales: z.string().nullable(),
      grossMargin: z.string().nullable(),
      /** Gross margin ÷ sales (0–1). */
      marginRate: z.number().nullable(),
      averageStock: z.string().nullable(),
      /** Sales ÷ average stock. */
      turnover: z.number().nullable(),
      /** Margin rate × turnover. */
      crossRatio: z.number().nullable(),
      /** Share of the period's sales (0–1). */
      share: z.number(),
      /** Cross ratio × share. */
      contribution: z.number().nullable(),
    }),
  ),
});
export type ProductAnalysis = z.infer<typeof productAnalysisSchema>;

export const salesImportSchema = z.object({
  id: z.string(),
  kind: z.enum(SALES_IMPORT_KINDS),
  fileName: z.string(),
  from: z.string(),
  to: z.string(),
  rows: z.number(),
  replaced: z.number(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type SalesImport = z.infer<typeof salesImportSchema>;
