import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operationsTasks } from '../../modules/operations/schedule.js';
import {
  type Client,
  createPgDatabase,
  createTestApp,
  resetAuditChain,
  signIn,
  type TestApp,
  usesPostgres,
} from '../../test-support/app.js';
import { ANCHOR_FILE, readAnchorFile } from './anchor.js';
import { appendAudit, entryHash, verifyChain } from './chain.js';

// Someone who can write the database could delete the newest audit entries and set the head
// back: the chain alone would still verify. Copies of the head kept outside the table — the
// anchor file in the data directory and each backup's manifest — tell (R-L1).

const run = promisify(execFile);

describe('audit head anchors (R-L1)', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    fs.rmSync(path.join(t.dataDir, ANCHOR_FILE), { force: true });
    await resetAuditChain(t);
    for (let i = 1; i <= 10; i++)
      await appendAudit(t.system, { action: 'test.entry', targetType: 'test', targetId: String(i) });
  });

  /** Deletes the entries after `keep` and sets the head back to it, as an intruder would. */
  async function cutTail(keep: number) {
    const db = t.database.db;
    await db.deleteFrom('audit_log').where('seq', '>', keep).execute();
    const last = await db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', keep)
      .executeTakeFirstOrThrow();
    await db.updateTable('audit_head').set({ seq: keep, hash: last.hash }).where('id', '=', 1).execute();
  }

  const kedang = (...args: string[]) =>
    run(process.execPath, ['bin/kedang.js', ...args], { env: t.env }).catch(
      (e: { code: number; stdout: string }) => e,
    );

  it('finds a tail cut off with the head set back, which the chain alone cannot show', async () => {
    const first = await admin.post('/api/audit/verify');
    expect(first.json()).toMatchObject({ ok: true, headSeq: 10 });
    // The verified head (#10) was anchored; the verification's own entry is #11.
    expect(readAnchorFile(t.dataDir)).toEqual([expect.objectContaining({ seq: 10 })]);

    await cutTail(7);
    expect((await verifyChain(t.database.db)).ok).toBe(true);

    const res = await admin.post('/api/audit/verify');
    expect(res.json()).toMatchObject({
      ok: false,
      firstBroken: { seq: 8, reason: 'truncated', anchor: { seq: 10, source: ANCHOR_FILE } },
    });
    // That verification is itself entry #8 now.
    const cli = await kedang('audit', 'verify');
    expect(cli).toMatchObject({ code: 1 });
    expect(cli.stdout).toContain(
      `entries from #9 on were removed (the last kept is #8); the copy of the head in ${ANCHOR_FILE}`,
    );
    expect(cli.stdout).toContain('knows entry #10');
    // The integrity check reports it too.
    const check = await kedang('check');
    expect(check).toMatchObject({ code: 1 });
    expect(check.stdout).toContain('自第 #9 条起的记录被删除');
  });

  it('finds a chain rewritten from an anchored entry on, head and all', async () => {
    const cli = await kedang('audit', 'verify');
    expect(cli.stdout).toContain('Audit chain intact: 10 entries verified.');
    // Rewrite #4 and recompute every hash after it and the head: consistent, but not the chain
    // that was anchored.
    const db = t.database.db;
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', 4).orderBy('seq').execute();
    let prev = rows[0]?.prev_hash as string;
    for (const row of rows) {
      const changed = Number(row.seq) === 4 ? { ...row, target_id: 'forged' } : row;
      const hash = entryHash(prev, changed);
      await db
        .updateTable('audit_log')
        .set({ target_id: changed.target_id, prev_hash: prev, hash })
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
    }
    await db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
    expect((await verifyChain(db)).ok).toBe(true);

    const again = await kedang('audit', 'verify');
    expect(again).toMatchObject({ code: 1 });
    expect(again.stdout).toContain('entry #10 differs from the copy of the head');
    const res = await admin.post('/api/audit/verify');
    expect(res.json().firstBroken).toMatchObject({ seq: 10, reason: 'rewritten' });
  });

  it('warns when there is no copy of the head to compare with', async () => {
    const first = await kedang('audit', 'verify');
    expect(first.stdout).toContain('Warning: no copy of the head was found');
    const second = await kedang('audit', 'verify');
    expect(second.stdout).toContain('1 anchored head(s) matched.');
    expect(second.stdout).not.toContain('Warning');
  });

  it('anchors the head daily', async () => {
    const task = operationsTasks(t.config, t.database).find((x) => x.name === 'audit_anchor');
    expect(await task?.schedule(t.database.db)).toEqual({ enabled: true, time: '00:10' });
    const system = t.system as Parameters<NonNullable<typeof task>['run']>[0];
    await task?.run(system, '2026-03-02');
    expect(readAnchorFile(t.dataDir)).toEqual([expect.objectContaining({ seq: 10 })]);
    // The same head is not written twice.
    await task?.run(system, '2026-03-03');
    expect(readAnchorFile(t.dataDir)).toHaveLength(1);
  });

  it('records the head in every backup, anchors it, and a restore must reach it', async () => {
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-anchor-backup-'));
    const restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-anchor-restore-'));
    const target = usesPostgres ? await createPgDatabase() : undefined;
    try {
      fs.rmSync(backupDir, { recursive: true });
      expect((await kedang('backup', backupDir)).stdout).toContain('read back and checked');
      const manifestFile = path.join(backupDir, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      expect(manifest.auditHead).toMatchObject({ seq: 10 });
      expect(readAnchorFile(t.dataDir).at(-1)).toMatchObject({ seq: 10, hash: manifest.auditHead.hash });

      // A backup whose database lost entries its manifest knows of does not restore clean.
      fs.writeFileSync(
        manifestFile,
        JSON.stringify({ ...manifest, auditHead: { ...manifest.auditHead, seq: 12 } }),
      );
      const restored = await run(process.execPath, ['bin/kedang.js', 'restore', backupDir], {
        env: { ...t.env, KEDANG_DATA_DIR: restoreDir, DATABASE_URL: target?.url ?? '' },
      }).catch((e: { code: number; stdout: string }) => e);
      expect(restored).toMatchObject({ code: 1 });
      expect(restored.stdout).toContain('entries from #11 on were removed (the last kept is #10)');
    } finally {
      await target?.drop();
      fs.rmSync(backupDir, { recursive: true, force: true });
      fs.rmSync(restoreDir, { recursive: true, force: true });
    }
  });
});
