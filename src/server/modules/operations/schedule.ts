import type { ScheduledTaskName, ScheduleRun } from '../../../common/schemas/operations.js';
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/index.js';
import type { ScheduleRunTable } from '../../db/types.js';
import { anchorHead } from '../../platform/audit/anchor.js';
import type { Ctx } from '../../platform/context.js';
import { housekeeping } from '../../platform/housekeeping.js';
import { authorize } from '../../platform/policy/index.js';
import type { ScheduledTask } from '../../platform/scheduler.js';
import { newestFirst } from '../../platform/sql.js';
import { BlobStore } from '../../platform/storage.js';
import { caseDaily } from '../cases/notices.js';
import { documentControlDaily } from '../documents/approval.js';
import { remindStandards } from '../documents/standards.js';
import { checkAndRecord } from '../integrity/service.js';
import { lendingDaily } from '../lending/notices.js';
import { delaySummaryDaily } from '../orders/delayed.js';
import { srDaily } from '../special-requirements/sr-notices.js';
import { surveyDaily } from '../surveys/notices.js';
import { visitDaily } from '../visits/notices.js';
import { runBackup } from './backups.js';
import {
  AUDIT_ANCHOR_TIME,
  CASE_CLOCK_TIME,
  DOCUMENT_CONTROL_TIME,
  HOUSEKEEPING_TIME,
  LENDING_REMINDER_TIME,
  loadSchedule,
  ORDER_DELAY_SUMMARY_TIME,
  SR_REMINDER_TIME,
  STANDARD_REMINDER_TIME,
  SURVEY_REMINDER_TIME,
  VISIT_REMINDER_TIME,
} from './config.js';

// The daily tasks `kedang serve` schedules (R-L2, R-L3) and the list of their runs. When they
// run is in config.ts; the scheduler (platform/scheduler.ts) reads it at every look, so a
// change applies without a restart.

function toRun(r: ScheduleRunTable): ScheduleRun {
  return {
    id: r.id,
    task: r.task,
    slot: r.slot,
    status: r.status as ScheduleRun['status'],
    server: r.server,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    summary: r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null,
    error: r.error,
  };
}

/** The scheduler's runs, newest first. */
export async function listRuns(
  ctx: Ctx,
  q: { task?: ScheduledTaskName | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: ScheduleRun[]; nextCursor: string | null }> {
  authorize(ctx, 'system.schedule', { type: 'system' });
  let query = ctx.db.selectFrom('schedule_runs').selectAll();
  if (q.task) query = query.where('task', '=', q.task);
  const { rows, nextCursor } = await newestFirst(query, 'started_at', q);
  return { items: rows.map(toRun), nextCursor };
}

/** The tasks `kedang serve` schedules. */
export function operationsTasks(config: Config, database: DatabaseHandle): ScheduledTask[] {
  const store = new BlobStore(config.dataDir);
  return [
    {
      name: 'housekeeping',
      schedule: async () => ({ enabled: true, time: HOUSEKEEPING_TIME }),
      run: async (ctx) => housekeeping(ctx.db, store, config.dataDir, { atStart: false }),
    },
    {
      name: 'integrity_check',
      schedule: async (db) => {
        const s = await loadSchedule(db);
        return { enabled: s.integrityEnabled, time: s.integrityTime };
      },
      run: async (ctx) => {
        const report = await checkAndRecord(ctx, store, 'scheduled');
        return {
          reportId: report.id,
          ok: report.ok,
          findings: report.findings.length,
          fixityFailures: report.fixityFailures,
        };
      },
    },
    {
      // The audit head, copied daily to the data directory (platform/audit/anchor.ts).
      name: 'audit_anchor',
      schedule: async () => ({ enabled: true, time: AUDIT_ANCHOR_TIME }),
      run: async (ctx) => anchorHead(ctx.db, config.dataDir, ctx.now()),
    },
    {
      // 催还 (R-P5): overdue loans are chased each working morning; expired access is closed.
      // Complaint and service clocks due today or breached (R-Q3); breached 严重/重大 complaints
      // go to the deputy general manager (R-Q4).
      name: 'case_clocks',
      schedule: async () => ({ enabled: true, time: CASE_CLOCK_TIME }),
      run: async (ctx) => caseDaily(ctx),
    },
    {
      // Approved internal documents whose effective date (生效日期) has come are put in force.
      name: 'document_control',
      schedule: async () => ({ enabled: true, time: DOCUMENT_CONTROL_TIME }),
      run: async (ctx) => documentControlDaily(ctx),
    },
    {
      // Visits due today (R-V2): their visitor is told once.
      name: 'visit_reminders',
      schedule: async () => ({ enabled: true, time: VISIT_REMINDER_TIME }),
      run: async (ctx) => visitDaily(ctx),
    },
    {
      // Survey invitations not answered after the campaign's remind_after_days (R-V3): mailed again.
      name: 'survey_reminders',
      schedule: async () => ({ enabled: true, time: SURVEY_REMINDER_TIME }),
      run: async (ctx) => surveyDaily(ctx),
    },
    {
      // Customer special requirements (R-S3, R-S5): recipients who have not acknowledged a
      // distribution after 3 working days (once a day), lists whose yearly check is due within
      // 30 days or overdue (once a week, to quality and the archive's owners).
      name: 'sr_reminders',
      schedule: async () => ({ enabled: true, time: SR_REMINDER_TIME }),
      run: async (ctx) => srDaily(ctx),
    },
    {
      // 查新 (外来文件控制程序): standards and laws that came due, once per due date to the owning
      // department's managers and quality staff.
      name: 'standard_reminders',
      schedule: async () => ({ enabled: true, time: STANDARD_REMINDER_TIME }),
      run: async (ctx) => remindStandards(ctx),
    },
    {
      // 掉期订单周报 (R-K5): on Mondays, the delayed lines to the production deputy.
      name: 'order_delay_summary',
      schedule: async () => ({ enabled: true, time: ORDER_DELAY_SUMMARY_TIME }),
      run: async (ctx) => delaySummaryDaily(ctx),
    },
    {
      name: 'lending_reminders',
      schedule: async () => ({ enabled: true, time: LENDING_REMINDER_TIME }),
      run: async (ctx) => lendingDaily(ctx),
    },
    {
      name: 'backup',
      schedule: async (db) => {
        const s = await loadSchedule(db);
        return { enabled: s.backupEnabled, time: s.backupTime };
      },
      run: async (ctx) => ({ ...(await runBackup(ctx, config, database, 'scheduled')) }),
    },
  ];
}
