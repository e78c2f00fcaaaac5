import { z } from 'zod';

// Background jobs (imports and other long work): the web polls GET /api/jobs/:id for progress.

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

export const importProblemSchema = z.object({
  /** Row number in the sheet as people see it (the header is row 1). */
  row: z.number(),
  /** Column header, e.g. 统一社会信用代码; empty when the problem is the whole row. */
  column: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const importResultSchema = z.object({
  dryRun: z.boolean(),
  fileName: z.string(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  failed: z.number(),
  /** The first problems (all of them are in the downloadable error sheet). */
  problems: z.array(importProblemSchema),
  /** Order imports: the lines read into `created` orders, and the first orders it creates
   * (or would create, in a dry run) with the class the system proposes. */
  lines: z.number().optional(),
  orders: z
    .array(
      z.object({
        row: z.number(),
        customer: z.string(),
        customerPo: z.string(),
        lines: z.number(),
        proposedClass: z.enum(['regular', 'non_regular']),
        number: z.string().nullable(),
      }),
    )
    .optional(),
  /** Sales ledger and stock imports: the months the file covers, and the rows already there
   * for them that the import replaces (a dry run: would replace). */
  period: z.object({ from: z.string(), to: z.string() }).nullable().optional(),
  replaced: z.number().optional(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.object({ done: z.number(), total: z.number().nullable() }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** What the job produced: an import's counts and problems, or another kind's own summary
   * (the integrity report, a text extraction's status). */
  result: z.union([importResultSchema, z.record(z.string(), z.unknown())]).nullable(),
  /** Why a failed job failed, for people. */
  error: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;
