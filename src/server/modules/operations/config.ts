import fs from 'node:fs';
import path from 'node:path';
import type { Schedule, ScheduleSettings } from '../../../common/schemas/operations.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { nextRun, scheduleChanged } from '../../platform/scheduler.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// When the daily tasks run (R-L2, R-L3), as settings `system.*`: the integrity check and the
// backup, each on or off at a time of day (Asia/Shanghai), where backups go and how many
// complete backups are kept.

const PREFIX = 'system.';

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  integrityEnabled: true,
  integrityTime: '02:00',
  backupEnabled: true,
  backupTime: '03:00',
  backupDir: null,
  backupKeep: 7,
};

/** Stale temporary files and unknown stored files are cleared daily, before the check. */
export const HOUSEKEEPING_TIME = '01:30';
/** When the audit chain's head is copied to the data directory each day (R-L1). */
export const AUDIT_ANCHOR_TIME = '00:10';
/** Approved internal documents whose effective date has come are put in force before the working
 * day starts (and the copies nobody signed for are reminded then). */
export const DOCUMENT_CONTROL_TIME = '06:00';
/** When overdue loans are chased (R-P5), each day; the reminder itself skips non-working days. */
export const LENDING_REMINDER_TIME = '08:30';
/** When complaint and service clocks due today or breached are notified (R-Q3), each day. */
export const CASE_CLOCK_TIME = '08:00';
/** When visits due today (or overdue and not yet told) are notified (R-V2), each day. */
export const VISIT_REMINDER_TIME = '08:15';
/** When unanswered survey invitations are reminded by e-mail (R-V3), each day. */
export const SURVEY_REMINDER_TIME = '09:00';
/** When customer special requirements not acknowledged after 3 working days, and lists whose
 * yearly check is due, are reminded (R-S3, R-S5), each day. */
export const SR_REMINDER_TIME = '08:20';
export const STANDARD_REMINDER_TIME = '08:25';
/** The weekly summary of delayed orders (Mondays) to the production deputy (R-K5). */
export const ORDER_DELAY_SUMMARY_TIME = '08:30';

export function loadSchedule(db: Db): Promise<ScheduleSettings> {
  return readSettings(db, PREFIX, DEFAULT_SCHEDULE);
}

export function backupDirOf(config: Pick<Config, 'dataDir'>, settings: ScheduleSettings): string {
  return settings.backupDir ?? path.join(config.dataDir, 'backups');
}

function describe(config: Config, s: ScheduleSettings, now: Date): Schedule {
  return {
    ...s,
    effectiveBackupDir: backupDirOf(config, s),
    next: {
      integrity_check: s.integrityEnabled ? nextRun(now, s.integrityTime).toISOString() : null,
      backup: s.backupEnabled ? nextRun(now, s.backupTime).toISOString() : null,
    },
  };
}

export async function getSchedule(ctx: Ctx, config: Config): Promise<Schedule> {
  authorize(ctx, 'system.schedule', { type: 'system' });
  return describe(config, await loadSchedule(ctx.db), ctx.now());
}

/** A backup directory must not be where the data itself lives, and the server must write there. */
function checkBackupDir(config: Config, dir: string): string {
  const resolved = path.resolve(dir);
  const data = path.resolve(config.dataDir);
  const inside = (root: string) => resolved === root || resolved.startsWith(`${root}${path.sep}`);
  if (resolved === data || inside(path.join(data, 'blobs')) || inside(path.join(data, 'tmp')))
    throw new DomainError('backup_dir_invalid', 422, {}, 'backupDir');
  try {
    fs.mkdirSync(resolved, { recursive: true });
    fs.accessSync(resolved, fs.constants.W_OK);
  } catch {
    throw new DomainError('backup_dir_unwritable', 422, { dir: resolved }, 'backupDir');
  }
  return resolved;
}

export async function putSchedule(
  ctx: Ctx,
  config: Config,
  input: Partial<ScheduleSettings>,
): Promise<Schedule> {
  authorize(ctx, 'system.schedule', { type: 'system' });
  if (input.backupDir) input = { ...input, backupDir: checkBackupDir(config, input.backupDir) };
  await tx(ctx, async (t) => {
    const before = await loadSchedule(t.db);
    await writeSettings(t, PREFIX, input);
    await appendAudit(t, { action: 'system.schedule', targetType: 'system', details: { before, input } });
  });
  scheduleChanged();
  return describe(config, await loadSchedule(ctx.db), ctx.now());
}
