import { z } from 'zod';
import { clockTime } from '../validation.js';
import { pageQuery } from './platform.js';

// Operations: notifications (R-W2), the schedule of daily tasks, backups (R-L3) and the runs
// the scheduler made.

// Notifications -------------------------------------------------------------------------------

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  /** A path in the web app. */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationQuery = z.object({
  /** Only the unread ones. */
  unread: z.enum(['true', 'false']).default('false'),
  ...pageQuery,
});

// Schedule ----------------------------------------------------------------------------------------

export const SCHEDULED_TASKS = [
  'integrity_check',
  'backup',
  'housekeeping',
  'lending_reminders',
  'audit_anchor',
  'case_clocks',
  'visit_reminders',
  'survey_reminders',
  'sr_reminders',
  'order_delay_summary',
  'standard_reminders',
  'document_control',
] as const;
export type ScheduledTaskName = (typeof SCHEDULED_TASKS)[number];

const serverPath = z
  .string()
  .trim()
  .max(500)
  .refine((s) => /^(\/|[A-Za-z]:[\\/])/.test(s) && !s.includes('\0'), { params: { key: 'absolute_path' } });

/** What an administrator sets (stored as `system.*` settings). Times are Asia/Shanghai. */
export const scheduleSettingsSchema = z.object({
  integrityEnabled: z.boolean(),
  integrityTime: z.string(),
  backupEnabled: z.boolean(),
  backupTime: z.string(),
  /** null: `backups/` in the data directory. */
  backupDir: z.string().nullable(),
  /** Complete backups kept; older ones are deleted after a new one completed. */
  backupKeep: z.number(),
});
export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;

export const scheduleSchema = scheduleSettingsSchema.extend({
  /** Where backups go, with the default resolved. */
  effectiveBackupDir: z.string(),
  /** The next run of each task, or null when it is switched off. */
  next: z.object({ integrity_check: z.string().nullable(), backup: z.string().nullable() }),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export const putScheduleBody = z.strictObject({
  integrityEnabled: z.boolean().optional(),
  integrityTime: clockTime.optional(),
  backupEnabled: z.boolean().optional(),
  backupTime: clockTime.optional(),
  backupDir: z
    .union([serverPath, z.literal('').transform(() => null)])
    .nullable()
    .optional(),
  backupKeep: z.number().int().min(1).max(365).optional(),
});

export const SCHEDULE_RUN_STATUSES = ['running', 'succeeded', 'failed'] as const;

export const scheduleRunSchema = z.object({
  id: z.string(),
  task: z.string(),
  slot: z.string(),
  status: z.enum(SCHEDULE_RUN_STATUSES),
  server: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});
export type ScheduleRun = z.infer<typeof scheduleRunSchema>;

export const scheduleRunQuery = z.object({
  task: z.enum(SCHEDULED_TASKS).optional(),
  ...pageQuery,
});

// Backups -------------------------------------------------------------------------------------------

export const backupCountsSchema = z.object({
  users: z.number(),
  customers: z.number(),
  documents: z.number(),
  files: z.number(),
  auditEntries: z.number(),
});
export type BackupCounts = z.infer<typeof backupCountsSchema>;

export const backupEntrySchema = z.object({
  /** The directory's name in the target, e.g. `20260302-030000`. */
  name: z.string(),
  createdAt: z.string().nullable(),
  /** false: a backup that never finished (no manifest.json); it is never deleted automatically. */
  complete: z.boolean(),
  dialect: z.string().nullable(),
  /** Database snapshot and stored files, bytes. */
  bytes: z.number().nullable(),
  blobs: z.number().nullable(),
  /** Record counts of the snapshot; null in backups written before they were recorded. */
  counts: backupCountsSchema.nullable(),
  /** Whether the backup was read back and checked after writing; null when not recorded. */
  verified: z.boolean().nullable(),
  /** What the check found: stored files that were damaged, a broken audit chain. */
  problems: z.array(z.string()),
});
export type BackupEntry = z.infer<typeof backupEntrySchema>;

export const backupListSchema = z.object({
  dir: z.string(),
  /** The target directory exists and can be read. */
  readable: z.boolean(),
  items: z.array(backupEntrySchema),
});
export type BackupList = z.infer<typeof backupListSchema>;
