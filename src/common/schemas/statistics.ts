import { z } from 'zod';

// Archive statistics (档案统计, 篇八 第五十、五十一条; seed 002 档案利用统计) and the yearly
// statistical report (统计年报): GET /api/statistics/{holdings,use,service}, the report as .xlsx and
// PDF, and each table as CSV.
//
// Shaped for Apache ECharts as the complaint statistics are: a table is a list of `{ name, value }`
// data items; `query` is the filter of the list behind a number (`list` names which list), null
// where that list has no such filter.
//
// Definitions (docs/architecture.md, Archive statistics, says the same for people):
// - Holdings (馆藏) at the end of the year (today for the current year): documents registered by
//   then and not destroyed by then; by category (门类), record year (年度), retention (保管期限),
//   carrier (载体) and effective secrecy (the higher of the document's and its archive's, R-P9).
// - 查阅: reads of a document's page, previews and downloads (the audit trail's document.read,
//   document.preview, document.download) and of a customer archive's page (customer.read) in the
//   year, by the reader's department and by category (客户档案 for archives).
// - 借阅: access requests (查阅、借阅申请) submitted in the year and granted (已批准, 已结束), by
//   the requester's department, purpose and mode; their items (records asked for) by category.
// - Service: complaints received in the year and those late on the resolve clock, follow-up visits
//   due in the year and done, the satisfaction index of the forms answered for the year's periods,
//   the on-time delivery rate of order lines due in the year — each computed by its own module,
//   null when the reader may not read that module's figures.

export const statisticsQuery = z.object({
  /** Default: this year (Asia/Shanghai). */
  year: z
    .string()
    .regex(/^20\d\d$/)
    .transform(Number)
    .optional(),
});
export type StatisticsQuery = z.output<typeof statisticsQuery>;

export const STATISTICS_LISTS = ['documents', 'lending'] as const;

export const statisticsBucketSchema = z.object({
  /** The code counted by (category code, year, retention code, carrier, secrecy rank, department
   * id, purpose); null for 未定 / 无部门. */
  key: z.string().nullable(),
  name: z.string(),
  value: z.number(),
  /** The list filter (query string of `list`) behind the number; null when none names it. */
  query: z.record(z.string(), z.string()).nullable(),
});
export type StatisticsBucket = z.infer<typeof statisticsBucketSchema>;

export const statisticsTableSchema = z.object({
  /** Stable code of the table (holdings_category …), also the CSV's name. */
  code: z.string(),
  /** 馆藏·按门类 …, the sheet and section title. */
  title: z.string(),
  /** The first column's heading (门类, 年度 …). */
  dimension: z.string(),
  /** Which list a bucket's query opens; null when none. */
  list: z.enum(STATISTICS_LISTS).nullable(),
  buckets: z.array(statisticsBucketSchema),
  total: z.number(),
});
export type StatisticsTable = z.infer<typeof statisticsTableSchema>;

export const holdingsSchema = z.object({
  year: z.number(),
  /** The day the holdings are counted at: 12-31 of the year, or today for the current year. */
  asOf: z.string(),
  total: z.number(),
  /** Registered during the year and destroyed during the year. */
  added: z.number(),
  destroyed: z.number(),
  tables: z.array(statisticsTableSchema),
});
export type Holdings = z.infer<typeof holdingsSchema>;

export const useSchema = z.object({
  year: z.number(),
  reads: z.number(),
  requests: z.number(),
  items: z.number(),
  tables: z.array(statisticsTableSchema),
});
export type UseStatistics = z.infer<typeof useSchema>;

const rate = z.number().nullable();
export const serviceSummarySchema = z.object({
  year: z.number(),
  complaints: z.object({ received: z.number(), late: z.number(), onTimeRate: rate }).nullable(),
  visits: z.object({ due: z.number(), done: z.number(), open: z.number() }).nullable(),
  satisfaction: z.object({ responses: z.number(), index: rate }).nullable(),
  delivery: z.object({ lines: z.number(), onTime: z.number(), rate }).nullable(),
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

/** The tables of the report, in its order; each is one CSV. */
export const STATISTICS_TABLES = [
  'holdings_category',
  'holdings_year',
  'holdings_retention',
  'holdings_carrier',
  'holdings_secrecy',
  'reads_department',
  'reads_category',
  'lending_department',
  'lending_purpose',
  'lending_mode',
  'lending_category',
  'service',
] as const;
export type StatisticsTableCode = (typeof STATISTICS_TABLES)[number];
