import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../db/index.js';
import { createPgDatabase, usesPostgres } from '../test-support/app.js';
import { companyApp } from '../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../test-support/documents.js';
import { verifyChain } from './audit/chain.js';

const run = promisify(execFile);
const TABLES = [
  'users',
  'departments',
  'customers',
  'contacts',
  'customer_history',
  'documents',
  'document_versions',
  'document_files',
  'blobs',
  'audit_log',
  'counters',
] as const;

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

function digests(dataDir: string): string[] {
  const root = path.join(dataDir, 'blobs');
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      createHash('sha256')
        .update(fs.readFileSync(path.join(e.parentPath, e.name)))
        .digest('hex'),
    )
    .sort();
}

describe('backup and restore (R-L3)', () => {
  const app = companyApp();

  it('restores the same records, the same files and a verifying audit chain', async () => {
    const { co, t } = app;
    await co.as.sales1.post('/api/customers', {
      name: '备份测试客户',
      category: 'general',
      kind: 'business',
      contacts: [{ name: '张三', mobile: '13800000000', isPrimary: true }],
    });
    for (const [title, content] of [
      ['采购合同', CONTRACT_PDF],
      ['检验记录', Buffer.from('来料检验合格')],
    ] as const) {
      const id = (await co.as.sales1.post('/api/documents', { title, category: 'records' })).json().id;
      await uploadFile(co.as.sales1, id, `${title}.bin`, content);
    }
    const before = await counts(t.database.db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-backup-'));
    const out = await run(process.execPath, ['bin/kedang.js', 'backup', dir], { env: t.env });
    expect(out.stdout).toContain('2 stored files');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.blobs).toHaveLength(2);
    // What the snapshot holds, and that it was read back.
    expect(manifest.counts).toEqual({
      users: before.users,
      customers: before.customers,
      documents: before.documents,
      files: before.document_files,
      auditEntries: before.audit_log,
    });
    expect(manifest.verified).toMatchObject({ ok: true, problems: [] });
    expect(manifest.bytes).toBeGreaterThan(CONTRACT_PDF.length);

    // Into a new, empty installation.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-restored-'));
    const pg = usesPostgres ? await createPgDatabase() : undefined;
    try {
      const env = { ...t.env, KEDANG_DATA_DIR: dataDir, DATABASE_URL: pg?.url ?? '' };
      const restored = await run(process.execPath, ['bin/kedang.js', 'restore', dir], { env });
      expect(restored.stdout).toContain('Audit chain intact');
      const database = openDatabase({ dataDir, databaseUrl: pg?.url });
      try {
        expect(await counts(database.db)).toEqual(before);
        expect((await verifyChain(database.db)).ok).toBe(true);
      } finally {
        await database.close();
      }
      expect(digests(dataDir)).toEqual(digests(t.dataDir));
      // A second restore into the same place is refused: nothing is overwritten.
      const again = await run(process.execPath, ['bin/kedang.js', 'restore', dir], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(again).toMatchObject({ code: 1 });
      expect((again as { stderr: string }).stderr).toMatch(/already holds data|not empty/);
    } finally {
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a backup into a directory that is not empty', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-backup-'));
    fs.writeFileSync(path.join(dir, 'x'), 'x');
    const err = await run(process.execPath, ['bin/kedang.js', 'backup', dir], { env: app.t.env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('is not empty');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
