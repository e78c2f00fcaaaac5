import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { companyApp } from '../test-support/customers.js';
import { loadActor } from './auth.js';
import { drainJobs, enqueueJob, failInterruptedJobs, JOB_STALE_MS, registerJobHandler } from './jobs.js';

// Background jobs of several servers: a job names its process and renews a heartbeat; a server
// fails only the jobs whose process is gone (same host: at once; elsewhere: once the heartbeat
// is stale), never one another server is still running.

describe('background jobs and interrupted servers', () => {
  const app = companyApp();

  it('records the process running a job and its heartbeat', async () => {
    const { db } = app.t.database;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    registerJobHandler('test.wait', async () => {
      await held;
      return { ok: true };
    });
    const actor = await loadActor(db, app.co.ids.salesmgr, 'session');
    const job = await enqueueJob({ ...app.t.system, actor }, 'test.wait', {});
    await new Promise((r) => setTimeout(r, 50));
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'running', server: `${os.hostname()}:${process.pid}` });
    expect(row.heartbeat_at).toBe(app.t.clock.now().toISOString());
    // This process is alive and its heartbeat fresh: a starting server leaves the job alone.
    expect(await failInterruptedJobs(db, app.t.clock.now())).toBe(0);
    release();
    await drainJobs();
    expect(
      (await db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('succeeded');
  });

  it('fails the jobs of a process that is gone, and of any server whose heartbeat is stale', async () => {
    const { db } = app.t.database;
    const now = app.t.clock.now();
    const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
    // A process id of this host that no longer exists: a child that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid as number;
    const jobs = {
      otherHostFresh: { server: 'elsewhere:4242', heartbeat_at: at(10_000) },
      otherHostStale: { server: 'elsewhere:4242', heartbeat_at: at(JOB_STALE_MS + 1_000) },
      hereGone: { server: `${os.hostname()}:${deadPid}`, heartbeat_at: at(10_000) },
      hereAlive: { server: `${os.hostname()}:${process.ppid}`, heartbeat_at: at(10_000) },
      beforeHeartbeats: { server: null, heartbeat_at: null },
    };
    for (const [kind, j] of Object.entries(jobs))
      await db
        .insertInto('jobs')
        .values({
          id: `job-${kind}`,
          kind,
          status: 'running',
          created_by: app.co.ids.salesmgr,
          created_at: at(60_000),
          started_at: at(60_000),
          finished_at: null,
          progress_done: 0,
          progress_total: null,
          payload: '{}',
          result: null,
          error: null,
          ...j,
        })
        .execute();
    expect(await failInterruptedJobs(db, now)).toBe(3);
    const rows = await db
      .selectFrom('jobs')
      .select(['kind', 'status', 'error'])
      .where('id', 'like', 'job-%')
      .orderBy('kind')
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.status]))).toEqual({
      beforeHeartbeats: 'failed',
      hereAlive: 'running',
      hereGone: 'failed',
      otherHostFresh: 'running',
      otherHostStale: 'failed',
    });
    expect(rows.find((r) => r.kind === 'hereGone')?.error).toContain('请重新提交');
  });
});
