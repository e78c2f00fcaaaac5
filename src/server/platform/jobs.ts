import type { Job } from '../../common/schemas/jobs.js';
import type { Db } from '../db/index.js';
import type { JobTable } from '../db/types.js';
import { loadActor } from './auth.js';
import type { Actor, Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';
import { authorize } from './policy/index.js';

// Background jobs: work that takes longer than a request (imports of 100,000 rows). A job is
// a row in `jobs`; it runs in the process that queued it, right after the request returns,
// acting as the person who queued it, and writes its progress so that any server can report
// it. A job that was running when its process died is marked failed at the next start.

export interface JobContext {
  ctx: Ctx & { actor: Actor };
  id: string;
  /** Throttled to one write per 500 ms, unless `force` (the last report). */
  progress(done: number, total?: number | null, force?: boolean): Promise<void>;
}

export type JobHandler = (job: JobContext, payload: unknown) => Promise<unknown>;

const handlers = new Map<string, JobHandler>();
const running = new Set<Promise<void>>();

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
    .set({ status: 'running', started_at: base.now().toISOString() })
    .where('id', '=', id)
    .execute();
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
      err instanceof DomainError ? String(err.params.message ?? err.code) : '任务执行出错，请联系管理员';
    if (!(err instanceof DomainError)) console.error(`job ${id} (${row.kind}) failed`, err);
    await finish('failed', undefined, message).catch(() => undefined);
  }
}

/** Waits for the jobs this process is running (tests, graceful shutdown). */
export async function drainJobs(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}

/** At start: jobs left queued or running by a stopped process will never finish. */
export async function failInterruptedJobs(db: Db, now: Date): Promise<number> {
  const res = await db
    .updateTable('jobs')
    .set({ status: 'failed', finished_at: now.toISOString(), error: '服务重启，任务被中断，请重新提交' })
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A job, for the person who queued it (or an administrator). */
export async function getJob(ctx: Ctx, id: string): Promise<Job & { createdBy: string; payload: unknown }> {
  const row = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  authorize(ctx, 'job.read', { type: 'job', id, resource: { createdBy: row.created_by } });
  return { ...toJob(row), createdBy: row.created_by, payload: JSON.parse(row.payload) };
}
