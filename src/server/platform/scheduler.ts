import os from 'node:os';
import { errorMessage } from '../../common/errors.js';
import { todayInShanghai } from '../../common/time.js';
import type { Db } from '../db/index.js';
import type { ScheduleRunTable } from '../db/types.js';
import { type Actor, type Ctx, SYSTEM_ACTOR } from './context.js';
import { DomainError } from './errors.js';
import { newId } from './ids.js';

// A small in-process scheduler for daily tasks (the integrity check at 02:00, the backup at
// 03:00, Asia/Shanghai). `kedang serve` starts one; tests build one with their own clock and
// call tick(). Several servers may share a database: each run is claimed by inserting its
// (task, slot) row — the slot is the Shanghai date — and only the server whose insert
// succeeds runs it. The row then holds the outcome, start and end and a summary. A day's
// run that was missed (the server was down at that time, or the task was just switched on)
// is made up the same day, at the next look. A run whose server died stops renewing its
// heartbeat and is marked failed by whichever server looks next.

export interface TaskSchedule {
  enabled: boolean;
  /** HH:MM, Asia/Shanghai. */
  time: string;
}

export interface ScheduledTask {
  name: string;
  /** Read at every look, so changed settings apply without a restart. */
  schedule(db: Db): Promise<TaskSchedule>;
  /** Does the work as the system; returns a summary kept with the run. */
  run(ctx: Ctx & { actor: Actor }, slot: string): Promise<Record<string, unknown>>;
}

export interface SchedulerOptions {
  db: Db;
  tasks: ScheduledTask[];
  now?: () => Date;
  /** How often to look at the clock. */
  intervalMs?: number;
  /** How often a running task renews its heartbeat, and how old one may get before the run
   * counts as interrupted. */
  heartbeatMs?: number;
  staleMs?: number;
  /** Names this process in schedule_runs. */
  server?: string;
  log?: (message: string) => void;
}

/** The instant a slot (a Shanghai date) is due at the given time of day. */
export function dueAt(slot: string, time: string): Date {
  return new Date(`${slot}T${time}:00+08:00`);
}

/** The next time a daily task at `time` comes round, from `now` on. */
export function nextRun(now: Date, time: string): Date {
  const today = dueAt(todayInShanghai(now), time);
  return today.getTime() >= now.getTime() ? today : new Date(today.getTime() + 86_400_000);
}

const live = new Set<Scheduler>();

/** Settings of a task changed: the schedulers of this process look again now (others within
 * their interval). */
export function scheduleChanged(): void {
  for (const s of live) s.wake();
}

export class Scheduler {
  private readonly opts: Required<Omit<SchedulerOptions, 'log'>> & Pick<SchedulerOptions, 'log'>;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(opts: SchedulerOptions) {
    this.opts = {
      now: () => new Date(),
      intervalMs: 30_000,
      heartbeatMs: 60_000,
      staleMs: 5 * 60_000,
      server: `${os.hostname()}:${process.pid}`,
      ...opts,
    };
  }

  /** Looks at the clock every interval until stop(). */
  start(): void {
    this.stopped = false;
    live.add(this);
    this.wake();
  }

  /** Looks now (or right after the current look). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.tick().finally(() => {
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.opts.intervalMs);
          this.timer.unref();
        }
      });
    }, 0);
    this.timer.unref();
  }

  /** Stops looking. A run still going is not waited for (a backup may take hours): it is
   * marked failed now, as the process is about to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    live.delete(this);
    clearTimeout(this.timer);
    if (!this.ticking) return;
    const at = this.opts.now().toISOString();
    await this.opts.db
      .updateTable('schedule_runs')
      .set({ status: 'failed', finished_at: at, error: '服务停止，本次运行未完成' })
      .where('server', '=', this.opts.server)
      .where('status', '=', 'running')
      .execute()
      .catch(() => undefined);
  }

  /** One look: marks dead runs failed, then claims and runs what is due. */
  tick(): Promise<void> {
    if (!this.ticking) {
      this.ticking = this.look().finally(() => {
        this.ticking = null;
      });
    }
    return this.ticking;
  }

  private async look(): Promise<void> {
    const { db, now } = this.opts;
    try {
      await this.failStale();
      for (const task of this.opts.tasks) {
        const schedule = await task.schedule(db);
        if (!schedule.enabled) continue;
        const at = now();
        const slot = todayInShanghai(at);
        if (at.getTime() < dueAt(slot, schedule.time).getTime()) continue;
        const run = await this.claim(task.name, slot);
        if (run) await this.runClaimed(task, run);
      }
    } catch (err) {
      // The database was away for a moment: look again next time.
      this.opts.log?.(`scheduler: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async failStale(): Promise<void> {
    const now = this.opts.now();
    await this.opts.db
      .updateTable('schedule_runs')
      .set({
        status: 'failed',
        finished_at: now.toISOString(),
        error: '运行中断（服务停止或重启），本次未完成',
      })
      .where('status', '=', 'running')
      .where('heartbeat_at', '<', new Date(now.getTime() - this.opts.staleMs).toISOString())
      .execute();
  }

  /** The claim: of several servers, the one whose insert succeeds runs the slot. */
  private async claim(task: string, slot: string): Promise<ScheduleRunTable | null> {
    const { db } = this.opts;
    const taken = await db
      .selectFrom('schedule_runs')
      .select('id')
      .where('task', '=', task)
      .where('slot', '=', slot)
      .executeTakeFirst();
    if (taken) return null;
    const at = this.opts.now().toISOString();
    const row: ScheduleRunTable = {
      id: newId(),
      task,
      slot,
      status: 'running',
      server: this.opts.server,
      started_at: at,
      heartbeat_at: at,
      finished_at: null,
      summary: null,
      error: null,
    };
    const inserted = await db
      .insertInto('schedule_runs')
      .values(row)
      .onConflict((oc) => oc.columns(['task', 'slot']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted ? row : null;
  }

  private async runClaimed(task: ScheduledTask, run: ScheduleRunTable): Promise<void> {
    const { db, now } = this.opts;
    const beat = setInterval(() => {
      db.updateTable('schedule_runs')
        .set({ heartbeat_at: now().toISOString() })
        .where('id', '=', run.id)
        .execute()
        .catch(() => undefined);
    }, this.opts.heartbeatMs);
    beat.unref();
    const ctx = {
      db,
      actor: SYSTEM_ACTOR,
      now,
      requestId: `schedule:${task.name}`,
      ip: null,
      lang: 'zh' as const,
    };
    const finish = (status: 'succeeded' | 'failed', summary: unknown, error: string | null) =>
      db
        .updateTable('schedule_runs')
        .set({
          status,
          finished_at: now().toISOString(),
          heartbeat_at: now().toISOString(),
          summary: summary === undefined ? null : JSON.stringify(summary),
          error,
        })
        .where('id', '=', run.id)
        .execute();
    this.opts.log?.(`scheduler: ${task.name} for ${run.slot} started`);
    try {
      const summary = await task.run(ctx, run.slot);
      clearInterval(beat);
      await finish('succeeded', summary, null);
      this.opts.log?.(`scheduler: ${task.name} for ${run.slot} succeeded`);
    } catch (err) {
      clearInterval(beat);
      const message =
        err instanceof DomainError
          ? String(err.params.message ?? errorMessage(err.code, 'zh', err.params))
          : err instanceof Error
            ? err.message
            : String(err);
      this.opts.log?.(`scheduler: ${task.name} for ${run.slot} failed: ${message}`);
      await finish('failed', undefined, message.slice(0, 2000)).catch(() => undefined);
    }
  }
}
