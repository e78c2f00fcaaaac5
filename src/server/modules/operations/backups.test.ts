import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { Scheduler } from '../../platform/scheduler.js';
import { createPgDatabase, signIn, usesPostgres } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';
import { operationsTasks } from './schedule.js';

const run = promisify(execFile);
type Json = Record<string, unknown>;

describe('scheduled backups and the backup page (R-L3)', () => {
  const app = companyApp();
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-backups-'));
  afterAll(() => fs.rmSync(target, { recursive: true, force: true }));

  const day = async (date: string) => {
    app.t.clock.set(new Date(`${date}T03:30:00+08:00`).toISOString());
    app.co.as.admin = await signIn(app.t.app, 'admin');
    const tasks = operationsTasks(app.t.config, app.t.database).filter((t) => t.name === 'backup');
    await new Scheduler({ db: app.t.database.db, tasks, now: app.t.clock.now }).tick();
  };
  const list = async () => (await app.co.as.admin.get('/api/system/backups')).json();

  it('shows an empty target before the first backup', async () => {
    const { co } = app;
    expect(
      (await co.as.admin.put('/api/system/schedule', { backupDir: target, backupKeep: 2 })).statusCode,
    ).toBe(200);
    expect(await list()).toEqual({ dir: target, readable: true, items: [] });
    for (const who of ['archivist', 'gm', 'sales1'] as const) {
      expect((await co.as[who].get('/api/system/backups')).statusCode).toBe(403);
      expect((await co.as[who].post('/api/system/backups')).statusCode).toBe(403);
    }
  });

  it('lists each backup with its time, size, record counts, files and check', async () => {
    const { co } = app;
    await co.as.sales1.post('/api/customers', {
      name: '华南电机有限公司',
      category: 'general',
      kind: 'business',
    });
    const id = (await co.as.sales1.post('/api/documents', { title: '供货合同', category: 'records' })).json()
      .id;
    await uploadFile(co.as.sales1, id, '合同.pdf', CONTRACT_PDF);
    await day('2026-03-10');
    const { items } = await list();
    expect(items).toEqual([
      {
        name: '20260310-033000',
        createdAt: '2026-03-09T19:30:00.000Z',
        complete: true,
        dialect: usesPostgres ? 'postgres' : 'sqlite',
        bytes: expect.any(Number),
        blobs: 1,
        counts: { users: 10, customers: 1, documents: 1, files: 1, auditEntries: expect.any(Number) },
        verified: true,
        problems: [],
      },
    ]);
    expect(items[0].bytes).toBeGreaterThan(CONTRACT_PDF.length);
    const audit = (await co.as.admin.get('/api/audit?action=system.backup')).json().items[0];
    expect(audit).toMatchObject({ actorLogin: 'system', targetLabel: '20260310-033000', outcome: 'success' });
    expect(audit.details).toMatchObject({ trigger: 'scheduled', copied: 1, linked: 0 });
  });

  it('hard-links stored files already in the previous backup instead of copying them', async () => {
    await day('2026-03-11');
    const [newest, previous] = (await list()).items as Json[];
    expect([newest?.name, previous?.name]).toEqual(['20260311-033000', '20260310-033000']);
    const runs = (await app.co.as.admin.get('/api/system/schedule/runs?task=backup')).json().items;
    expect(runs[0].summary).toMatchObject({ copied: 0, linked: 1 });
    const blob = (name: string) => {
      const dir = path.join(target, name, 'blobs');
      const file = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).find((e) => e.isFile());
      return fs.statSync(path.join(file?.parentPath as string, file?.name as string));
    };
    expect(blob('20260311-033000').ino).toBe(blob('20260310-033000').ino);
  });

  it('keeps the newest complete backups and never deletes what is not a Kedang backup', async () => {
    fs.mkdirSync(path.join(target, '照片'));
    fs.writeFileSync(path.join(target, '照片', 'a.jpg'), 'x');
    fs.mkdirSync(path.join(target, '20260101-000000'));
    fs.writeFileSync(path.join(target, '20260101-000000', 'kedang.db'), 'no manifest: not ours to judge');
    fs.mkdirSync(path.join(target, '20260309-033000.partial'));
    fs.writeFileSync(path.join(target, 'notes.txt'), 'x');
    await day('2026-03-12');
    expect(fs.readdirSync(target).sort()).toEqual([
      '20260101-000000',
      '20260309-033000.partial',
      '20260311-033000',
      '20260312-033000',
      'notes.txt',
      '照片',
    ]);
    const { items } = await list();
    expect(items.map((i: Json) => [i.name, i.complete])).toEqual([
      ['20260312-033000', true],
      ['20260311-033000', true],
      ['20260309-033000.partial', false],
    ]);
    // The file both kept backups share survived the deletion of the oldest.
    expect(items[1]).toMatchObject({ verified: true, blobs: 1 });
    const prune = (await app.co.as.admin.get('/api/audit?action=system.backup_prune')).json().items[0];
    expect(prune.details).toEqual({ deleted: ['20260310-033000'], keep: 2 });
  });

  it('backs up now in the background with progress, one at a time', async () => {
    const { co } = app;
    app.t.clock.set('2026-03-12T06:00:00.000Z');
    co.as.admin = await signIn(app.t.app, 'admin');
    const res = await co.as.admin.post('/api/system/backups');
    expect(res.statusCode).toBe(202);
    expect((await co.as.admin.post('/api/system/backups')).json()).toMatchObject({
      status: 409,
      code: 'backup_running',
    });
    await drainJobs();
    const job = (await co.as.admin.get(`/api/jobs/${res.json().job.id}`)).json();
    expect(job).toMatchObject({
      kind: 'backup',
      status: 'succeeded',
      progress: { done: 2, total: 2 },
      result: { name: '20260312-140000', verified: true, deleted: ['20260311-033000'] },
    });
    const audit = (await co.as.admin.get('/api/audit?action=system.backup')).json().items[0];
    expect(audit).toMatchObject({
      actorLogin: 'admin',
      details: expect.objectContaining({ trigger: 'manual' }),
    });
  });

  it('a scheduled backup restores into an empty installation', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-restored-'));
    const pg = usesPostgres ? await createPgDatabase() : undefined;
    try {
      const env = { ...app.t.env, KEDANG_DATA_DIR: dataDir, DATABASE_URL: pg?.url ?? '' };
      const out = await run(
        process.execPath,
        ['bin/kedang.js', 'restore', path.join(target, '20260312-033000')],
        {
          env,
        },
      );
      expect(out.stdout).toContain('1 stored files, digests checked');
      expect(out.stdout).toContain('Audit chain intact');
    } finally {
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const blobPath = (sha256: string) =>
    path.join(app.t.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  const damage = (sha256: string, content: string) => {
    fs.chmodSync(blobPath(sha256), 0o644);
    fs.writeFileSync(blobPath(sha256), content);
  };

  it('takes a damaged stored file from the previous backup, which still has it right', async () => {
    const sha = (await app.t.database.db.selectFrom('blobs').select('sha256').executeTakeFirstOrThrow())
      .sha256;
    damage(sha, 'damaged on disk');
    await day('2026-03-13');
    const runs = (await app.co.as.admin.get('/api/system/schedule/runs?task=backup&limit=1')).json().items;
    expect(runs[0]).toMatchObject({ status: 'succeeded', summary: { verified: true, problems: [] } });
    expect((await list()).items[0]).toMatchObject({ name: '20260313-033000', verified: true, blobs: 1 });
    fs.writeFileSync(blobPath(sha), CONTRACT_PDF);
  });

  it('backs up the rest when a stored file is damaged with no good copy, deletes nothing and says so', async () => {
    const { co } = app;
    co.as.sales1 = await signIn(app.t.app, 'sales1');
    const id = (await co.as.sales1.post('/api/documents', { title: '质量协议', category: 'records' })).json()
      .id;
    const file = (await uploadFile(co.as.sales1, id, '协议.txt', Buffer.from('质量协议正文'))).json();
    damage(file.sha256, '被改过');
    const before = fs
      .readdirSync(target)
      .filter((n) => /^\d{8}-\d{6}$/.test(n))
      .sort();
    await day('2026-03-14');
    const { items } = await list();
    expect(items[0]).toMatchObject({
      name: '20260314-033000',
      complete: true,
      verified: false,
      blobs: 1,
      problems: [expect.stringContaining(`1 个存储文件内容已损坏，未能备份：${file.sha256.slice(0, 12)}`)],
    });
    const manifest = JSON.parse(
      fs.readFileSync(path.join(target, '20260314-033000', 'manifest.json'), 'utf8'),
    );
    expect(manifest.missing).toEqual([{ sha256: file.sha256, size: expect.any(Number) }]);
    // Nothing older was deleted: they may hold what this one lacks.
    expect(
      fs
        .readdirSync(target)
        .filter((n) => /^\d{8}-\d{6}$/.test(n))
        .sort(),
    ).toEqual([...before, '20260314-033000']);
    const [n] = (await co.as.admin.get('/api/notifications')).json().items;
    expect(n).toMatchObject({
      kind: 'backup.unverified',
      title: '备份 20260314-033000 校验未通过',
      link: '/admin/backups',
    });
    fs.writeFileSync(blobPath(file.sha256), '质量协议正文');
  });
});
