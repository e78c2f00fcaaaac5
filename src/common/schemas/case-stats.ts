import { z } from 'zod';
import { CASE_KINDS, CASE_STATUSES, CAUSE_CATEGORIES, CLOCKS, OUTCOMES, SEVERITIES } from '../cases.js';
import { caseMonth } from './cases.js';

// Complaint statistics (R-Q6): GET /api/cases/stats and the 客户投诉报表 (stats.xlsx).
//
// Shaped for Apache ECharts: every bucket is an ECharts data item `{ name, value }` (a pie's
// `series.data` takes the array as it is; a bar chart takes `xAxis.data = buckets.map(b => b.name)`
// and `series.data = buckets`). Each bucket also carries `query`: the `GET /api/cases` filter
// that lists exactly the cases it counts (the click handler gets it as `params.data.query`);
// `null` only for 其他, the rest beyond the top 20, which no single filter names.
//
// Definitions (docs/case-statistics.md says the same for people):
// - The period is by the month a case was received (Asia/Shanghai); the filter selects cases
//   exactly as the case list does, and only cases the reader may see are counted anywhere.
// - justified rate = 成立 / triaged (成立 + 不成立), complaints only; null when none is triaged.
// - A clock's state now: met (met by its due time), late (met after it), breached (still open and
//   past due), open (still open, not yet due). on-time rate = met / (met + late + breached):
//   an open clock past due counts as late, an open clock not yet due is left out.
// - median and p90 are nearest-rank percentiles over met clocks (met and late): the smallest
//   value that at least 50 % (90 %) of them do not exceed. Working days (`met_days`: working days
//   from the day the clock started — received, or replied for the revisit — to the day it was
//   met; 0 = the same day) are exact; hours are rounded to 0.1 h before ranking.
// - rate = cases in the period per 100 active customer archives (待备案 and 已备案, not 已停用 or
//   已合并) the reader may see now — for a reader who sees every case (quality, the general
//   managers), every active archive within their clearance — whatever the case filter; null when
//   there are none.

/** A month YYYY-MM; the period is from … to, both included. */
export const caseStatsQuery = z.object({
  /** Default: eleven months before `to`. */
  from: caseMonth.optional(),
  /** Default: this month. */
  to: caseMonth.optional(),
  /** Default complaint (投诉); service for service requests. */
  kind: z.enum(CASE_KINDS).default('complaint'),
  type: z.string().min(1).max(40).optional(),
  /** The handling department (处理部门). */
  departmentId: z.string().min(1).max(64).optional(),
  customerId: z.string().min(1).max(64).optional(),
  product: z.string().trim().min(1).max(200).optional(),
});
export type CaseStatsFilter = z.output<typeof caseStatsQuery>;

/** The `GET /api/cases` filter behind a number (the same names as its query string). */
export const caseListFilterSchema = z.object({
  kind: z.enum(CASE_KINDS).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  type: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  departmentId: z.string().optional(),
  customerId: z.string().optional(),
  product: z.string().optional(),
  /** Received on or after / on or before, YYYY-MM-DD. */
  from: z.string().optional(),
  to: z.string().optional(),
  month: z.string().optional(),
  cause: z.enum(CAUSE_CATEGORIES).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  unset: z.enum(['cause', 'department', 'product']).optional(),
  clock: z.enum(CLOCKS).optional(),
  clockState: z.enum(['met', 'late', 'breached', 'open']).optional(),
});
export type CaseListFilter = z.infer<typeof caseListFilterSchema>;

export const statsBucketSchema = z.object({
  /** The code or id counted by (cause code, department id, product, customer id); null for 未确定 /
   * 未分派 / 未填写 and for 其他. */
  key: z.string().nullable(),
  /** What to show (Chinese label, department or customer name, product). */
  name: z.string(),
  /** The number of cases. */
  value: z.number(),
  /** The case list filter listing exactly these cases; null for 其他 (the rest beyond the top 20). */
  query: caseListFilterSchema.nullable(),
});
export type StatsBucket = z.infer<typeof statsBucketSchema>;

export const statsMonthSchema = z.object({
  /** YYYY-MM; every month of the period is listed, with 0 where nothing was received. */
  month: z.string(),
  name: z.string(),
  /** Cases received that month. */
  value: z.number(),
  /** Of those, complaints judged 成立. */
  justified: z.number(),
  query: caseListFilterSchema,
  justifiedQuery: caseListFilterSchema,
});

const percentiles = z.object({
  /** Met clocks ranked (met + late). */
  count: z.number(),
  /** Nearest-rank median; null without met clocks. */
  median: z.number().nullable(),
  /** Nearest-rank 90th percentile; null without met clocks. */
  p90: z.number().nullable(),
});

export const statsClockSchema = z.object({
  clock: z.enum(CLOCKS),
  name: z.string(),
  /** Met by the due time. */
  met: z.number(),
  /** Met after the due time. */
  late: z.number(),
  /** Still open and past the due time now (counts as late). */
  breached: z.number(),
  /** Still open and not yet due (left out of the rate). */
  open: z.number(),
  /** met / (met + late + breached); null when that is 0. */
  onTimeRate: z.number().nullable(),
  /** Working days to meet the clock (met clocks only). */
  days: percentiles,
  /** Hours to meet the clock, rounded to 0.1 h (met clocks only). */
  hours: percentiles,
  queries: z.object({
    met: caseListFilterSchema,
    late: caseListFilterSchema,
    breached: caseListFilterSchema,
    open: caseListFilterSchema,
  }),
});

export const caseStatsSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), months: z.array(z.string()) }),
  filter: caseStatsQuery.partial(),
  /** Every case the filter selects in the period. */
  total: z.object({ value: z.number(), query: caseListFilterSchema }),
  months: z.array(statsMonthSchema),
  /** Per cause category (原因类别) in the fixed order 设计 … 其他, then 未确定 if any. */
  causes: z.array(statsBucketSchema),
  /** Per handling department, most first, then 未分派 if any. */
  departments: z.array(statsBucketSchema),
  /** The 20 products with most cases, then 其他 (the rest) and 未填写 if any. */
  products: z.array(statsBucketSchema),
  /** The 20 customers with most cases, then 其他 (the rest) if any. */
  customers: z.array(statsBucketSchema),
  /** 成立率 (complaints): justified / (justified + unjustified). */
  justified: z.object({
    justified: z.number(),
    unjustified: z.number(),
    triaged: z.number(),
    rate: z.number().nullable(),
    queries: z.object({ justified: caseListFilterSchema, unjustified: caseListFilterSchema }),
  }),
  /** investigate, reply, resolve, revisit: on-time rate and time to meet. */
  clocks: z.array(statsClockSchema),
  /** 投诉率: cases per 100 active customer archives the reader may see now. */
  rate: z.object({ cases: z.number(), activeCustomers: z.number(), per100: z.number().nullable() }),
});
export type CaseStats = z.infer<typeof caseStatsSchema>;
