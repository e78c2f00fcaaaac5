import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../../../common/errors.js';
import type { Job } from '../../../common/schemas/jobs.js';
import type { BackupCounts, BackupEntry, BackupList } from '../../../common/schemas/operations.js';
import { formatDateTime } from '../../../common/time.js';
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { backup, readManifest } from '../../platform/backup.js';
import { type Ctx, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { enqueueJob, registerJobHandler } from '../../platform/jobs.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy/index.js';
import { backupDirOf, loadSchedule } from './config.js';

// Backups into the configured target (R-L3): each one in `<target>/<timestamp>/`, written as
// `<timestamp>.partial/` and renamed once its manifest is written, so a directory with a
// manifest is always complete. After a new backup completed, complete backups beyond the
// number to keep are deleted, oldest first — and only directories holding a Kedang manifest:
// nothing else in the target is ever touched. Stored files already in the newest backup are
// hard-linked rather than copied (they never change), so daily backups cost little space.

export const BACKUP_JOB = 'backup';

export interface BackupSummary {
  name: string;
  dir: string;
  blobs: number;
  bytes: number;
  copied: number;
  linked: number;
  counts: BackupCounts | null;
  verified: boolean | null;
  /** What the check found (a damaged stored file, a broken audit chain). */
  problems: string[];
  deleted: string[];
}

interface Found {
  name: string;
  dir: string;
  createdAt: string;
}

/** Complete Kedang backups directly in the target, newest first. */
function completeBackups(target: string): Found[] {
  if (!fs.existsSync(target)) return [];
  const out: Found[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.endsWith('.partial')) continue;
    const dir = path.join(target, entry.name);
    const manifest = readManifest(dir);
    if (manifest) out.push({ name: entry.name, dir, createdAt: manifest.createdAt });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
}

/** `20260302-030000`: the Shanghai time the backup was taken. */
function stamp(now: Date): string {
  return formatDateTime(now).replace(/[-:]/g, '').replace(' ', '-');
}

/** The instant a backup directory's name stands for, if it is one of ours. */
function stampTime(name: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(name);
  if (!m) return null;
  const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

export async function runBackup(
  ctx: Ctx,
  config: Config,
  database: DatabaseHandle,
  trigger: 'scheduled' | 'manual',
  onProgress?: (done: number, total: number) => Promise<void> | void,
): Promise<BackupSummary> {
  const settings = await loadSchedule(ctx.db);
  const target = backupDirOf(config, settings);
  fs.mkdirSync(target, { recursive: true });
  const now = ctx.now();
  let name = stamp(now);
  for (
    let n = 2;
    fs.existsSync(path.join(target, name)) || fs.existsSync(path.join(target, `${name}.partial`));
    n++
  )
    name = `${stamp(now)}-${n}`;
  const dir = path.join(target, name);
  const partial = `${dir}.partial`;
  let manifest: Awaited<ReturnType<typeof backup>>;
  try {
    manifest = await backup(database, config, partial, now, {
      linkFrom: completeBackups(target)[0]?.dir ?? null,
      onProgress,
    });
    fs.renameSync(partial, dir);
  } catch (err) {
    // Made in this run, never finished: nothing else refers to it.
    fs.rmSync(partial, { recursive: true, force: true });
    const reason = err instanceof Error ? err.message : String(err);
    await appendAudit(ctx, {
      action: 'system.backup',
      targetType: 'system',
      targetLabel: name,
      outcome: 'failure',
      details: { trigger, dir, error: reason },
    });
    await tx(ctx, async (t) =>
      notify(t, await activeUsersWithRoles(t.db, ['admin']), {
        kind: 'backup.failed',
        title: `备份失败：${name}`,
        body: reason,
        link: '/admin/backups',
        secrecy: 0,
      }),
    );
    // The reason is for the administrator who reads the run or the job.
    throw new DomainError('backup_failed', 500, {
      reason,
      message: errorMessage('backup_failed', 'zh', { reason }),
    });
  }
  // Only now that a new one is complete and checked: the oldest beyond the number kept go. A
  // backup with problems (a damaged file, a broken audit chain) deletes nothing: the older
  // ones may hold what it lacks.
  const deleted: string[] = [];
  const prune = manifest.verified?.ok ? completeBackups(target).slice(settings.backupKeep) : [];
  for (const old of prune) {
    if (old.dir === dir || !readManifest(old.dir)) continue;
    fs.rmSync(old.dir, { recursive: true, force: true });
    deleted.push(old.name);
  }
  const summary: BackupSummary = {
    name,
    dir,
    blobs: manifest.blobs.length,
    bytes: manifest.bytes ?? 0,
    copied: manifest.stats.copied,
    linked: manifest.stats.linked,
    counts: manifest.counts ?? null,
    verified: manifest.verified?.ok ?? null,
    problems: manifest.verified?.problems ?? [],
    deleted,
  };
  await tx(ctx, async (t) => {
    await appendAudit(t, {
      action: 'system.backup',
      targetType: 'system',
      targetLabel: name,
      outcome: summary.verified === false ? 'failure' : 'success',
      details: { trigger, ...summary },
    });
    if (manifest.verified && !manifest.verified.ok)
      await notify(t, await activeUsersWithRoles(t.db, ['admin']), {
        kind: 'backup.unverified',
        title: `备份 ${name} 校验未通过`,
        body: `${manifest.verified.problems.join('；')}。旧备份未删除。`,
        link: '/admin/backups',
        secrecy: 0,
      });
    if (deleted.length)
      await appendAudit(t, {
        action: 'system.backup_prune',
        targetType: 'system',
        targetLabel: target,
        details: { deleted, keep: settings.backupKeep },
      });
  });
  return summary;
}

/** The backups found in the target, newest first, with what their manifests say. */
export async function listBackups(ctx: Ctx, config: Config): Promise<BackupList> {
  authorize(ctx, 'system.backup', { type: 'system' });
  const target = backupDirOf(config, await loadSchedule(ctx.db));
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(target, { withFileTypes: true });
  } catch {
    return { dir: target, readable: false, items: [] };
  }
  const items: BackupEntry[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(target, entry.name);
    const m = readManifest(dir);
    if (m) {
      items.push({
        name: entry.name,
        createdAt: m.createdAt,
        complete: true,
        dialect: m.dialect,
        bytes: m.bytes ?? null,
        blobs: m.blobs.length,
        counts: m.counts ?? null,
        verified: m.verified ? m.verified.ok : null,
        problems: m.verified?.problems ?? [],
      });
    } else if (entry.name.endsWith('.partial')) {
      items.push({
        name: entry.name,
        createdAt: stampTime(entry.name) ?? fs.statSync(dir).mtime.toISOString(),
        complete: false,
        dialect: null,
        bytes: null,
        blobs: null,
        counts: null,
        verified: null,
        problems: [],
      });
    }
  }
  items.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.name.localeCompare(a.name));
  return { dir: target, readable: true, items };
}

/** The job behind 立即备份; registered with the server's database and configuration. */
export function registerBackupJob(config: Config, database: DatabaseHandle): void {
  registerJobHandler(BACKUP_JOB, async (job) => ({
    ...(await runBackup(job.ctx, config, database, 'manual', (done, total) =>
      job.progress(done, total, done === total),
    )),
  }));
}

/** Starts a backup now, in the background; one at a time. */
export async function startBackup(ctx: Ctx): Promise<Job> {
  authorize(ctx, 'system.backup', { type: 'system' });
  const job = await ctx.db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', BACKUP_JOB)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  const scheduled = await ctx.db
    .selectFrom('schedule_runs')
    .select('id')
    .where('task', '=', 'backup')
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (job || scheduled) throw new DomainError('backup_running', 409);
  return enqueueJob(ctx, BACKUP_JOB, {});
}
