import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { companyApp } from '../test-support/customers.js';
import { uploadFile } from '../test-support/documents.js';
import {
  cleanPartFiles,
  cleanTempUploads,
  GRACE_MS,
  sweepOrphanBlobs,
  tempUploadName,
} from './housekeeping.js';
import { drainJobs } from './jobs.js';
import { BlobStore } from './storage.js';

type Json = Record<string, unknown>;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('what a failed or killed upload leaves behind', () => {
  const app = companyApp();
  const store = () => new BlobStore(app.t.dataDir);
  const storedFiles = () => {
    const root = path.join(app.t.dataDir, 'blobs');
    return fs.existsSync(root)
      ? fs
          .readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort()
      : [];
  };
  const failInserts = async (on: boolean) => {
    const db = app.t.database.db;
    if (app.t.database.dialect === 'sqlite') {
      await sql`drop trigger if exists kd_fail`.execute(db);
      if (on)
        await sql`create trigger kd_fail before insert on document_files begin select raise(abort, 'simulated'); end`.execute(
          db,
        );
    } else {
      await sql`drop trigger if exists kd_fail on document_files`.execute(db);
      if (on) {
        await sql
          .raw(
            `create or replace function kd_fail() returns trigger language plpgsql as $$ begin raise exception 'simulated'; end $$`,
          )
          .execute(db);
        await sql`create trigger kd_fail before insert on document_files for each row execute function kd_fail()`.execute(
          db,
        );
      }
    }
  };
  const newDocument = async (title: string) =>
    (await app.co.as.qa1.post('/api/documents', { title, category: 'records' })).json().id as string;

  it('removes a file it just stored when the database insert fails', async () => {
    const id = await newDocument('图纸A');
    await failInserts(true);
    const res = await uploadFile(app.co.as.qa1, id, 'a.txt', Buffer.from('新内容'));
    expect(res.statusCode).toBe(500);
    expect(storedFiles()).toEqual([]);
    expect(fs.readdirSync(path.join(app.t.dataDir, 'tmp', 'uploads'))).toEqual([]);
    const rows = await app.t.database.db.selectFrom('blobs').select('sha256').execute();
    expect(rows).toEqual([]);
    await failInserts(false);
  });

  it('keeps content another record already holds when a second insert fails', async () => {
    const a = await newDocument('图纸B');
    const b = await newDocument('图纸C');
    expect((await uploadFile(app.co.as.qa1, a, 'b.txt', Buffer.from('共用内容'))).statusCode).toBe(201);
    await failInserts(true);
    expect((await uploadFile(app.co.as.qa1, b, 'b.txt', Buffer.from('共用内容'))).statusCode).toBe(500);
    await failInserts(false);
    expect(storedFiles()).toEqual([sha('共用内容')]);
    await drainJobs();
    await app.co.as.archivist.post('/api/integrity/checks');
    await drainJobs();
    // Only the two documents still waiting for their files are reported, nothing about content.
    const report = (await app.co.as.archivist.get('/api/integrity/checks/latest')).json();
    expect((report.findings as Json[]).map((f) => [f.problem, f.title]).sort()).toEqual([
      ['no_files', '图纸A'],
      ['no_files', '图纸C'],
    ]);
  });

  it('sweeps stored files nobody knows only once they are older than the grace period', async () => {
    const s = store();
    const put = (text: string, ageMs: number) => {
      const file = s.pathOf(sha(text));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(file, t, t);
      return sha(text);
    };
    const old = put('崩溃留下的', GRACE_MS + 60_000);
    const young = put('正在上传的', 60_000);
    fs.writeFileSync(path.join(s.root, 'notes.txt'), 'not named by a digest: not ours to remove');
    const known = sha('共用内容');
    const t = new Date(Date.now() - 2 * GRACE_MS);
    fs.utimesSync(s.pathOf(known), t, t);

    // The integrity check does not count a young one (it may be committing right now).
    const queued = await app.co.as.archivist.post('/api/integrity/checks');
    await drainJobs();
    expect(queued.statusCode).toBe(202);
    const report = (await app.co.as.archivist.get('/api/integrity/checks/latest')).json();
    const orphans = (report.findings as Json[])
      .filter((f) => f.problem === 'blob_orphan')
      .map((f) => f.detail);
    expect(orphans.sort()).toEqual([`存储中有未登记的文件：${old}`, '存储中有未登记的文件：notes.txt']);

    expect(await sweepOrphanBlobs(app.t.database.db, s)).toBe(1);
    expect(fs.existsSync(s.pathOf(old))).toBe(false);
    expect(fs.existsSync(s.pathOf(young))).toBe(true);
    expect(fs.existsSync(s.pathOf(known))).toBe(true);
    expect(fs.existsSync(path.join(s.root, 'notes.txt'))).toBe(true);
    // The claim it took on each key is given back.
    expect(await app.t.database.db.selectFrom('blobs').select('sha256').execute()).toEqual([
      { sha256: known },
    ]);
    fs.rmSync(s.pathOf(young));
    fs.rmSync(path.join(s.root, 'notes.txt'));
  });

  it('removes half-written forms of a stored file (a killed encryption) once older than the grace period', async () => {
    const s = store();
    const known = sha('共用内容');
    const beside = (suffix: string, ageMs: number) => {
      const file = `${s.pathOf(known)}${suffix}`;
      fs.writeFileSync(file, 'half');
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(file, t, t);
      return file;
    };
    const oldEnc = beside('.enc.0190a1b2-0000-7000-8000-00000000000a.part', GRACE_MS + 60_000);
    const oldKey = beside('.key.0190a1b2-0000-7000-8000-00000000000b.part', GRACE_MS + 60_000);
    const young = beside('.0190a1b2-0000-7000-8000-00000000000c.part', 60_000);
    // The integrity check names the old leftovers, not the one that may be being written now.
    await app.co.as.archivist.post('/api/integrity/checks');
    await drainJobs();
    const report = (await app.co.as.archivist.get('/api/integrity/checks/latest')).json();
    const orphans = (report.findings as Json[])
      .filter((f) => f.problem === 'blob_orphan')
      .map((f) => f.detail);
    expect(orphans.sort()).toEqual(
      [oldEnc, oldKey].map((f) => `存储中有未登记的文件：${path.basename(f)}`).sort(),
    );
    expect(cleanPartFiles(s)).toBe(2);
    expect([oldEnc, oldKey, young].map((f) => fs.existsSync(f))).toEqual([false, false, true]);
    expect(fs.existsSync(s.pathOf(known))).toBe(true);
    fs.rmSync(young);
  });

  it('clears temporary uploads of dead processes at once and of other hosts after the grace period', () => {
    const dir = path.join(app.t.dataDir, 'tmp', 'uploads');
    fs.mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid as number;
    const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '_');
    const files = {
      mine: tempUploadName('0190a1b2-0000-7000-8000-000000000001'),
      dead: `${host}_${dead}_0190a1b2-0000-7000-8000-000000000002`,
      otherYoung: 'elsewhere_12_0190a1b2-0000-7000-8000-000000000003',
      otherOld: 'elsewhere_13_0190a1b2-0000-7000-8000-000000000004',
    };
    for (const name of Object.values(files)) fs.writeFileSync(path.join(dir, name), 'x');
    const t = new Date(Date.now() - GRACE_MS - 60_000);
    fs.utimesSync(path.join(dir, files.otherOld), t, t);

    expect(cleanTempUploads(app.t.dataDir, { atStart: false })).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual([files.otherYoung, files.mine].sort());
    // At start, before any upload of its own, this process's pid is a predecessor's.
    expect(cleanTempUploads(app.t.dataDir, { atStart: true })).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([files.otherYoung]);
    fs.rmSync(path.join(dir, files.otherYoung));
  });
});
