import { z } from 'zod';

// 工作台 (R-W1, issue 17): the home page's panels. Every figure carries the address of the list
// that shows exactly the records counted (`to`), built on the server next to the query that
// counts them, so that a number and its drill-down cannot drift apart.

export const DASHBOARD_PANELS = ['sales', 'quality', 'archive', 'management'] as const;
export type DashboardPanelKey = (typeof DASHBOARD_PANELS)[number];

export const dashboardItemSchema = z.object({
  key: z.string(),
  /** What the element is (a grade, a category, a status), in the reader's language. */
  label: z.string(),
  /** A count, or for percent/index blocks the figure; null when there is nothing to measure. */
  value: z.number().nullable(),
  /** The web address of the filtered list behind the figure. */
  to: z.string(),
});
export type DashboardItem = z.infer<typeof dashboardItemSchema>;

export const dashboardBlockSchema = z.object({
  /** Stable key; the web labels the block `dashboard.block.<key>`. */
  key: z.string(),
  /** number: one figure per item (tiles); pie / bar: a chart whose every element is an item. */
  kind: z.enum(['number', 'pie', 'bar']),
  /** count; percent (0–100); index (the survey satisfaction index, 0–100). */
  unit: z.enum(['count', 'percent', 'index']),
  /** Colours a count that is not zero (numbers only). */
  tone: z.enum(['warning', 'danger']).nullable(),
  items: z.array(dashboardItemSchema),
});
export type DashboardBlock = z.infer<typeof dashboardBlockSchema>;

export const dashboardSchema = z.object({
  /** Today in Shanghai: the day the figures were counted for. */
  today: z.string(),
  panels: z.array(z.object({ key: z.enum(DASHBOARD_PANELS), blocks: z.array(dashboardBlockSchema) })),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
