import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './db/index.js';
import { IMPORT_BATCH } from './modules/customers/import.js';
import { createPgDatabase, usesPostgres } from './test-support/app.js';
import { uscc } from './test-support/customers.js';
import { type Call, commandEnv, type Served, serve, signInOver } from './test-support/serve.js';

// Crash consistency (issue 6): `kedang serve` is killed with SIGKILL in the middle of a large
// customer import and in the middle of a document upload, then started again on the same
// data. What must hold afterwards: the database is consistent and its audit chain verifies;
// every imported archive that exists is complete (each batch all or nothing); the interrupted
// job is failed; the interrupted upload left no rows, no stored file and no temporary file;
// and the integrity check passes.

const run = promisify(execFile);
const ROWS = 30_000;
// New archives are written in whole batches of this many rows.
const BATCH = IMPORT_BATCH;
const ADMIN_PASSWORD = 'Admin-crash-2026';
const PASSWORD = 'Importer-Canal-2026';

describe('a server killed mid-work starts again consistent', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let drop: (() => Promise<void>) | undefined;
  let importer: Call;

  // Every server started, so that a failed assertion mid-test does not leave one running.
  const started: Served[] = [];
  const start = async () => {
    const server = await serve(env);
    started.push(server);
    importer = await signInOver(server.url, 'importer', PASSWORD);
    return server;
  };
  const kedang = (...args: string[]) =>
    run(process.execPath, ['bin/kedang.js', ...args], { env }).catch(
      (e: { code: number; stdout: string }) => e,
    );
  const withDatabase = async <T>(fn: (d: DatabaseHandle) => Promise<T>): Promise<T> => {
    const d = openDatabase({ dataDir, databaseUrl: env.DATABASE_URL || undefined });
    try {
      return await fn(d);
    } finally {
      await d.close();
    }
  };
  const count = async (d: DatabaseHandle, table: 'customers' | 'blobs' | 'document_files') =>
    Number(
      (
        await d.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-crash-'));
    const scratch = usesPostgres ? await createPgDatabase() : undefined;
    drop = scratch?.drop;
    env = commandEnv(dataDir, scratch?.url, { KEDANG_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const first = await serve(env);
    const admin = await signInOver(first.url, 'admin', ADMIN_PASSWORD);
    const dept = (await admin('POST', '/api/departments', { name: '销售部', code: 'XS' })).json;
    await admin('POST', '/api/users', {
      login: 'importer',
      name: '导入员',
      departmentId: dept.id,
      roles: ['department_manager'],
      password: 'Initial-pass-2026',
    });
    const pending = await signInOver(first.url, 'importer', 'Initial-pass-2026');
    await pending('POST', '/api/auth/password', {
      currentPassword: 'Initial-pass-2026',
      newPassword: PASSWORD,
    });
    await first.stop();
  });
  afterAll(async () => {
    for (const s of started) await s.stop();
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps each import batch whole when killed in the middle of a 30,000-row import', async () => {
    const srv = await start();
    const lines = ['客户名称*,客户类别*,客户种类*,统一社会信用代码,地区,主要联系人,联系人电话'];
    for (let i = 1; i <= ROWS; i++)
      lines.push(`压测客户${i}有限公司,一般客户,业务客户,${uscc(i)},东莞,联系人${i},13800000000`);
    const form = new FormData();
    form.append('file', new Blob([`${lines.join('\n')}\n`]), '客户.csv');
    const res = await fetch(`${srv.url}/api/customers/imports?dryRun=false`, {
      method: 'POST',
      headers: importer.headers,
      body: form,
    });
    expect(res.status).toBe(202);
    const jobId = ((await res.json()) as { job: { id: string } }).job.id;
    // Kill once a few batches are in, long before the end.
    let done = 0;
    for (let i = 0; i < 1200 && done < 3 * BATCH; i++) {
      await new Promise((r) => setTimeout(r, 50));
      done = (await importer('GET', `/api/jobs/${jobId}`)).json.progress.done;
    }
    expect(done).toBeGreaterThanOrEqual(3 * BATCH);
    await srv.kill();

    const again = await start();
    const job = (await importer('GET', `/api/jobs/${jobId}`)).json;
    expect(job).toMatchObject({ status: 'failed', error: expect.stringContaining('任务中断') });
    await withDatabase(async (d) => {
      if (d.dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(d.db);
        expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
        expect((await sql`pragma foreign_key_check`.execute(d.db)).rows).toEqual([]);
      }
      const n = await count(d, 'customers');
      // Whole batches only, and the import did not finish.
      expect(n % BATCH).toBe(0);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(ROWS);
      const search =
        d.dialect === 'sqlite' ? sql`customers_fts f where f.rowid` : sql`customers_search f where f.key`;
      const incomplete = await sql<{ id: string }>`
        select c.id from customers c
        where not exists (select 1 from customer_owners o where o.customer_id = c.id)
           or not exists (select 1 from customer_history h where h.customer_id = c.id and h.kind = 'create')
           or not exists (select 1 from contacts k where k.customer_id = c.id)
           or not exists (select 1 from ${search} = c.search_key)`.execute(d.db);
      expect(incomplete.rows).toEqual([]);
      // One audit entry per batch, naming exactly the archives that exist.
      const batches = await d.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'customer.import_batch')
        .execute();
      const codes = batches.flatMap(
        (b) => (JSON.parse(b.details as string) as { created: string[] }).created,
      );
      expect(batches).toHaveLength(n / BATCH);
      expect(new Set(codes).size).toBe(n);
      const found = await d.db.selectFrom('customers').select('archive_code').execute();
      expect(new Set(found.map((f) => f.archive_code))).toEqual(new Set(codes));
      // And the search finds each of them.
      expect(
        (await importer('GET', `/api/customers/count?q=${encodeURIComponent('压测客户')}`)).json,
      ).toEqual({
        count: n,
      });
    });
    await again.stop();
    const verify = await kedang('audit', 'verify');
    expect(verify.stdout).toMatch(/Audit chain intact/);
    const check = await kedang('check');
    expect(check.stdout).toContain('Integrity check passed');
  });

  it('leaves no rows, no stored file and no temporary file when killed in the middle of an upload', async () => {
    const srv = await start();
    const doc = (await importer('POST', '/api/documents', { title: '大图纸', category: 'records' })).json;
    const tmp = path.join(dataDir, 'tmp', 'uploads');
    const before = await withDatabase(async (d) => ({ blobs: await count(d, 'blobs') }));
    // 300 MB announced, 24 MB sent, then the server dies.
    const req = http.request(
      `${srv.url}/api/documents/${doc.id}/files?name=${encodeURIComponent('大图纸.bin')}`,
      {
        method: 'POST',
        headers: {
          ...importer.headers,
          'content-type': 'application/octet-stream',
          'content-length': String(300 * 1024 * 1024),
        },
      },
    );
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 24; i++) await new Promise((r) => req.write(chunk, r));
    const partial = async () => {
      for (let i = 0; i < 200; i++) {
        const files = fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
        const size = files.reduce(
          (s, f) => s + (fs.statSync(path.join(tmp, f), { throwIfNoEntry: false })?.size ?? 0),
          0,
        );
        if (size >= 8 * 1024 * 1024) return files;
        await new Promise((r) => setTimeout(r, 50));
      }
      return [];
    };
    expect(await partial()).toHaveLength(1);
    await srv.kill();
    req.destroy();

    const again = await start();
    expect(again.output()).toContain('Removed 1 stale temporary file(s)');
    expect(fs.readdirSync(tmp)).toEqual([]);
    const after = (await importer('GET', `/api/documents/${doc.id}`)).json;
    expect(after.versions.flatMap((v: { files: unknown[] }) => v.files)).toEqual([]);
    await withDatabase(async (d) => {
      expect(await count(d, 'blobs')).toBe(before.blobs);
      expect(await count(d, 'document_files')).toBe(0);
    });
    const stored = fs.existsSync(path.join(dataDir, 'blobs'))
      ? fs
          .readdirSync(path.join(dataDir, 'blobs'), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
      : [];
    expect(stored).toEqual([]);
    // And the same document takes a file as usual.
    const ok = await fetch(`${again.url}/api/documents/${doc.id}/files?name=a.txt`, {
      method: 'POST',
      headers: { ...importer.headers, 'content-type': 'application/octet-stream' },
      body: '图纸说明',
    });
    expect(ok.status).toBe(201);
    await again.stop();
    expect((await kedang('check')).stdout).toContain('Integrity check passed');
    expect((await kedang('audit', 'verify')).stdout).toMatch(/Audit chain intact/);
  });
});
