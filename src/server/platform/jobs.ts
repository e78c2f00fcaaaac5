import os from 'node:os';
import { ERROR_MESSAGES, type ErrorCode, errorMessage } from '../../common/errors.js';
import type { Job } from '../../common/schemas/jobs.js';
import type { Db } from '../db/index.js';
import type { JobTable } from '../db/types.js';
import { loadActor } from './auth.js';
import type { Actor, Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';
import { assertReadable } from './policy/index.js';

// Background jobs: work that takes longer than a request (imports of 100,000 rows). A job is
// a row in `jobs`; it runs in the process that queued it, right after the request returns,
// acting as the person who queued it, and writes its progress so that any server can report
// it. The row names its process (`host:pid`) and carries a heartbeat renewed every 30 seconds.
// A job whose process died is marked failed: at once by a server starting on the same host
// (which can see that the process is gone), otherwise by any server once the heartbeat is two
// minutes old.

export interface JobContext {
  ctx: Ctx & { actor: Actor };
  id: string;
  /** Throttled to one write per 500 ms, unless `force` (the last report). */
  progress(done: number, total?: number | null, force?: boolean): Promise<void>;
}

export type JobHandler = (job: JobContext, payload: unknown) => Promise<unknown>;

const handlers = new Map<string, JobHandler>();
const running = new Set<Promise<void>>();

const HOST = os.hostname();
/** This process in `jobs.server`. */
const SERVER = `${HOST}:${process.pid}`;
const HEARTBEAT_MS = 30_000;
/** A heartbeat older than this: the process running the job is gone. */
export const JOB_STALE_MS = 2 * 60_000;
const INTERRUPTED = '任务中断（服务停止或重启），请重新提交';

export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

function toJob(r: JobTable): Job {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as Job['status'],
    progress: { done: r.progress_done, total: r.progress_total },
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result ? (JSON.parse(r.result) as Job['result']) : null,
    error: r.error,
  };
}

/** Queues a job for the context's actor and starts it once the current request is done. */
export async function enqueueJob(ctx: Ctx, kind: string, payload: unknown): Promise<Job> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  if (!handlers.has(kind)) throw new Error(`no job handler for ${kind}`);
  const row: JobTable = {
    id: newId(),
    kind,
    status: 'queued',
    created_by: ctx.actor.id,
    created_at: ctx.now().toISOString(),
    started_at: null,
    finished_at: null,
    progress_done: 0,
    progress_total: null,
    payload: JSON.stringify(payload),
    result: null,
    error: null,
    server: SERVER,
    heartbeat_at: ctx.now().toISOString(),
  };
  await ctx.db.insertInto('jobs').values(row).execute();
  const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
    runJob({ ...ctx, db: ctx.db }, row.id),
  );
  running.add(run);
  void run.finally(() => running.delete(run));
  return toJob(row);
}

async function runJob(base: Ctx, id: string): Promise<void> {
  const db = base.db;
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const handler = handlers.get(row.kind);
  const actor = await loadActor(db, row.created_by, 'system');
  const finish = (status: 'succeeded' | 'failed', result: unknown, error: string | null) =>
    db
      .updateTable('jobs')
      .set({
        status,
        finished_at: base.now().toISOString(),
        result: result === undefined ? null : JSON.stringify(result),
        error,
      })
      .where('id', '=', id)
      .execute();
  if (!handler || !actor) {
    await finish('failed', undefined, handler ? '提交任务的用户已停用' : `未知任务类型 ${row.kind}`);
    return;
  }
  await db
    .updateTable('jobs')
    .set({ status: 'running', started_at: base.now().toISOString(), heartbeat_at: base.now().toISOString() })
    .where('id', '=', id)
    .execute();
  const beat = setInterval(() => {
    db.updateTable('jobs')
      .set({ heartbeat_at: base.now().toISOString() })
      .where('id', '=', id)
      .execute()
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref();
  let last = 0;
  const progress = async (done: number, total?: number | null, force = false) => {
    const now = Date.now();
    if (!force && now - last < 500) return;
    last = now;
    await db
      .updateTable('jobs')
      .set({ progress_done: done, ...(total === undefined ? {} : { progress_total: total }) })
      .where('id', '=', id)
      .execute();
  };
  try {
    const ctx = { ...base, actor, requestId: `job:${id.slice(-12)}` };
    const result = await handler({ ctx, id, progress }, JSON.parse(row.payload));
    await finish('succeeded', result, null);
  } catch (err) {
    // Expected failures (a file without the needed columns) carry a message for people.
    const message =
      err instanceof DomainError
        ? String(
            err.params.message ??
              (err.code in ERROR_MESSAGES
                ? errorMessage(err.code as ErrorCode, base.lang, err.params)
                : err.code),
          )
        : '任务执行出错，请联系管理员';
    if (!(err instanceof DomainError)) console.error(`job ${id} (${row.kind}) failed`, err);
    await finish('failed', undefined, message).catch(() => undefined);
  } finally {
    clearInterval(beat);
  }
}

/** Waits for the jobs this process is running (tests, graceful shutdown). */
export async function drainJobs(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}

/** Whether a process of this host is gone (`kill 0` only asks; EPERM means it exists). */
function goneHere(server: string | null): boolean {
  const at = server?.lastIndexOf(':') ?? -1;
  if (!server || at < 0 || server.slice(0, at) !== HOST) return false;
  const pid = Number(server.slice(at + 1));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Marks failed the jobs that will never finish: their heartbeat is older than JOB_STALE_MS, or
 * they belong to a process of this host that is gone (a restart). Run at start and every
 * minute by `kedang serve`; returns how many.
 */
export async function failInterruptedJobs(db: Db, now: Date): Promise<number> {
  const stale = new Date(now.getTime() - JOB_STALE_MS).toISOString();
  const open = await db
    .selectFrom('jobs')
    .select(['id', 'server', 'heartbeat_at'])
    .where('status', 'in', ['queued', 'running'])
    .execute();
  const ids = open
    .filter((j) => !j.heartbeat_at || j.heartbeat_at < stale || goneHere(j.server))
    .map((j) => j.id);
  if (ids.length === 0) return 0;
  const res = await db
    .updateTable('jobs')
    .set({ status: 'failed', finished_at: now.toISOString(), error: INTERRUPTED })
    .where('id', 'in', ids)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A job, for the person who queued it (or an administrator). */
export async function getJob(ctx: Ctx, id: string): Promise<Job & { createdBy: string; payload: unknown }> {
  const row = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  // Someone else's job does not exist for the caller (R-P1): its id tells nothing.
  assertReadable(ctx, { type: 'job', id, resource: { createdBy: row.created_by }, read: 'job.read' });
  return { ...toJob(row), createdBy: row.created_by, payload: JSON.parse(row.payload) };
}
