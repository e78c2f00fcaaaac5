import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.js';
import { Scheduler } from '../../platform/scheduler.js';
import { signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { uploadFile } from '../../test-support/documents.js';
import { operationsTasks } from './schedule.js';

type Json = Record<string, unknown>;

describe('the schedule of daily tasks', () => {
  const app = companyApp();
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-sched-'));
  afterAll(() => fs.rmSync(target, { recursive: true, force: true }));

  const scheduler = () =>
    new Scheduler({
      db: app.t.database.db,
      tasks: operationsTasks(app.t.config, app.t.database),
      now: app.t.clock.now,
    });
  /** Shanghai wall-clock time; signs people in again, as sessions end after 12 idle hours. */
  const at = async (local: string) => {
    app.t.clock.set(new Date(`${local}+08:00`).toISOString());
    for (const who of ['admin', 'archivist', 'qa1'] as const) app.co.as[who] = await signIn(app.t.app, who);
  };
  const runs = async (query = '') =>
    ((await app.co.as.admin.get(`/api/system/schedule/runs${query}`)).json().items as Json[]).map((r) => [
      r.task,
      r.slot,
      r.status,
    ]);

  it('starts with the defaults: check at 02:00, backup at 03:00 keeping 7, Asia/Shanghai', async () => {
    await at('2026-03-02T09:00:00');
    const res = await app.co.as.admin.get('/api/system/schedule');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      integrityEnabled: true,
      integrityTime: '02:00',
      backupEnabled: true,
      backupTime: '03:00',
      backupDir: null,
      backupKeep: 7,
      effectiveBackupDir: path.join(app.t.dataDir, 'backups'),
      next: { integrity_check: '2026-03-02T18:00:00.000Z', backup: '2026-03-02T19:00:00.000Z' },
    });
    for (const who of ['archivist', 'gm', 'sales1'] as const)
      expect((await app.co.as[who].get('/api/system/schedule')).statusCode).toBe(403);
  });

  it('lets the administrator change it, checked and audited', async () => {
    const { co } = app;
    const bad = await co.as.admin.put('/api/system/schedule', { integrityTime: '25:00', backupKeep: 0 });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: Json) => e.field)
        .sort(),
    ).toEqual(['backupKeep', 'integrityTime']);
    const inside = await co.as.admin.put('/api/system/schedule', {
      backupDir: path.join(app.t.dataDir, 'blobs', 'x'),
    });
    expect(inside.json()).toMatchObject({ status: 422, code: 'backup_dir_invalid' });
    const relative = await co.as.admin.put('/api/system/schedule', { backupDir: 'backups' });
    expect(relative.statusCode).toBe(400);
    fs.writeFileSync(path.join(target, 'a-file'), 'x');
    const unwritable = await co.as.admin.put('/api/system/schedule', {
      backupDir: path.join(target, 'a-file', 'sub'),
    });
    expect(unwritable.json()).toMatchObject({ status: 422, code: 'backup_dir_unwritable' });
    fs.rmSync(path.join(target, 'a-file'));
    expect((await co.as.archivist.put('/api/system/schedule', { backupKeep: 3 })).statusCode).toBe(403);

    const ok = await co.as.admin.put('/api/system/schedule', { backupDir: target, backupKeep: 3 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ backupDir: target, backupKeep: 3, effectiveBackupDir: target });
    const audit = (await co.as.admin.get('/api/audit?action=system.schedule')).json().items[0];
    expect(audit.details.input).toEqual({ backupDir: target, backupKeep: 3 });
  });

  it('runs nothing before its time, and each task once its time has come', async () => {
    const s = scheduler();
    await at('2026-03-03T00:05:00');
    await s.tick();
    expect(await runs()).toEqual([]);
    await at('2026-03-03T02:05:00');
    await s.tick();
    expect((await runs()).sort()).toEqual([
      ['audit_anchor', '2026-03-03', 'succeeded'],
      ['housekeeping', '2026-03-03', 'succeeded'],
      ['integrity_check', '2026-03-03', 'succeeded'],
    ]);
    await s.tick();
    expect(await runs()).toHaveLength(3);
    await at('2026-03-03T03:00:00');
    await s.tick();
    expect(await runs('?task=backup')).toEqual([['backup', '2026-03-03', 'succeeded']]);
    const backup = (await app.co.as.admin.get('/api/system/schedule/runs?task=backup')).json().items[0];
    expect(backup.summary).toMatchObject({ name: '20260303-030000', verified: true, deleted: [] });
    expect(fs.existsSync(path.join(target, '20260303-030000', 'manifest.json'))).toBe(true);
    // The scheduled check's report is in the history, as the scheduler's.
    const checks = (await app.co.as.admin.get('/api/integrity/checks')).json().items;
    expect(checks[0]).toMatchObject({ trigger: 'scheduled', actor: null, ok: true });
  });

  it('makes up a run missed that day, but not one of an earlier day', async () => {
    // The server was down from before 02:00 until 11:00 on the 4th.
    const s = scheduler();
    await at('2026-03-04T11:00:00');
    await s.tick();
    expect(await runs('?task=integrity_check')).toEqual([
      ['integrity_check', '2026-03-04', 'succeeded'],
      ['integrity_check', '2026-03-03', 'succeeded'],
    ]);
  });

  it('skips a task that is switched off', async () => {
    await app.co.as.admin.put('/api/system/schedule', { backupEnabled: false });
    await at('2026-03-05T12:00:00');
    await scheduler().tick();
    expect((await runs()).filter((r) => r[1] === '2026-03-05').sort()).toEqual([
      ['audit_anchor', '2026-03-05', 'succeeded'],
      ['case_clocks', '2026-03-05', 'succeeded'],
      ['document_control', '2026-03-05', 'succeeded'],
      ['housekeeping', '2026-03-05', 'succeeded'],
      ['integrity_check', '2026-03-05', 'succeeded'],
      ['lending_reminders', '2026-03-05', 'succeeded'],
      ['order_delay_summary', '2026-03-05', 'succeeded'],
      ['sr_reminders', '2026-03-05', 'succeeded'],
      ['standard_reminders', '2026-03-05', 'succeeded'],
      ['survey_reminders', '2026-03-05', 'succeeded'],
      ['visit_reminders', '2026-03-05', 'succeeded'],
    ]);
    await app.co.as.admin.put('/api/system/schedule', { backupEnabled: true });
  });

  it('lets only one of several servers on the database run a slot', async () => {
    const second = openDatabase({ dataDir: app.t.dataDir, databaseUrl: app.t.config.databaseUrl });
    try {
      const tasks = operationsTasks(app.t.config, app.t.database);
      const servers = [app.t.database.db, second.db, app.t.database.db].map(
        (db, i) => new Scheduler({ db, tasks, now: app.t.clock.now, server: `server-${i}` }),
      );
      await at('2026-03-06T04:00:00');
      await Promise.all(servers.map((s) => s.tick()));
      const day = (await runs()).filter((r) => r[1] === '2026-03-06');
      expect(day.map((r) => r[0]).sort()).toEqual([
        'audit_anchor',
        'backup',
        'housekeeping',
        'integrity_check',
      ]);
      expect(day.every((r) => r[2] === 'succeeded')).toBe(true);
      // And the work itself was done once: one backup, one integrity report.
      expect(fs.readdirSync(target).filter((n) => n.startsWith('20260306'))).toEqual(['20260306-040000']);
      const reports = await app.t.database.db
        .selectFrom('integrity_reports')
        .select('id')
        .where('checked_at', '=', app.t.clock.now().toISOString())
        .execute();
      expect(reports).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('marks a run whose server died as failed', async () => {
    const { db } = app.t.database;
    await db
      .insertInto('schedule_runs')
      .values({
        id: 'dead-run',
        task: 'backup',
        slot: '2026-03-01',
        status: 'running',
        server: 'gone:1',
        started_at: '2026-03-01T19:00:00.000Z',
        heartbeat_at: '2026-03-01T19:01:00.000Z',
        finished_at: null,
        summary: null,
        error: null,
      })
      .execute();
    await at('2026-03-06T05:00:00');
    await scheduler().tick();
    const row = await db
      .selectFrom('schedule_runs')
      .selectAll()
      .where('id', '=', 'dead-run')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', error: expect.stringContaining('中断') });
  });

  it('records a failed run with its reason and keeps the earlier backups', async () => {
    const { db } = app.t.database;
    const before = fs.readdirSync(target).sort();
    // A target that cannot be made (set behind the page's check, as a disk that went away).
    fs.writeFileSync(path.join(target, 'blocker'), 'x');
    await db
      .updateTable('settings')
      .set({ value: JSON.stringify(path.join(target, 'blocker', 'sub')) })
      .where('key', '=', 'system.backupDir')
      .execute();
    await at('2026-03-07T03:30:00');
    await scheduler().tick();
    const run = (await app.co.as.admin.get('/api/system/schedule/runs?task=backup&limit=1')).json().items[0];
    expect(run).toMatchObject({
      slot: '2026-03-07',
      status: 'failed',
      error: expect.stringMatching(/ENOTDIR|EEXIST/),
    });
    expect(fs.readdirSync(target).sort()).toEqual([...before, 'blocker'].sort());
    await app.co.as.admin.put('/api/system/schedule', { backupDir: target });
    fs.rmSync(path.join(target, 'blocker'));
  });

  it('tells administrators and archivists when the scheduled check finds a changed file', async () => {
    const { co } = app;
    const id = (await co.as.qa1.post('/api/documents', { title: '检验报告', category: 'records' })).json().id;
    const file = (await uploadFile(co.as.qa1, id, '报告.txt', Buffer.from('合格'))).json();
    const blob = path.join(
      app.t.dataDir,
      'blobs',
      file.sha256.slice(0, 2),
      file.sha256.slice(2, 4),
      file.sha256,
    );
    fs.chmodSync(blob, 0o644);
    fs.writeFileSync(blob, '不合格');
    await at('2026-03-08T02:00:00');
    await scheduler().tick();
    const report = (await co.as.admin.get('/api/integrity/checks')).json().items[0];
    expect(report).toMatchObject({ trigger: 'scheduled', ok: false, fixityFailures: 1 });
    for (const who of ['admin', 'archivist'] as const) {
      const [n] = (await co.as[who].get('/api/notifications')).json().items;
      expect(n).toMatchObject({ kind: 'integrity.fixity', link: `/admin/integrity?report=${report.id}` });
      expect(n.body).toContain('定时检查');
    }
    expect((await co.as.qa1.get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
    fs.writeFileSync(blob, '合格');
  });
});
