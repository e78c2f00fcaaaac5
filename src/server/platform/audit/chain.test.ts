import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, resetAuditChain, signIn, type TestApp } from '../../test-support/app.js';
import { appendAudit, canonicalJson, describeBreak, verifyChain } from './chain.js';

const run = promisify(execFile);

describe('audit chain (R-L1)', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
  });
  afterAll(() => t.close());

  // Each test works on a chain of its own: a fresh log of 10 entries after the sign-in ones.
  beforeEach(async () => {
    await resetAuditChain(t);
    for (let i = 1; i <= 10; i++) {
      await appendAudit(t.system, {
        action: 'test.entry',
        targetType: 'test',
        targetId: String(i),
        details: { i },
      });
    }
  });

  it('verifies an untouched chain', async () => {
    expect(await verifyChain(t.database.db)).toMatchObject({
      ok: true,
      checked: 10,
      headSeq: 10,
      firstBroken: null,
      repaired: [],
    });
  });

  it('names the entry whose content was edited in the database', async () => {
    await t.database.db
      .updateTable('audit_log')
      .set({ actor_login: 'someone-else' })
      .where('seq', '=', 4)
      .execute();
    const r = await verifyChain(t.database.db);
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ seq: 4, reason: 'edited' });
    expect(r.checked).toBe(3);
  });

  it('detects every column edited, one at a time', async () => {
    const columns = [
      'at',
      'actor_id',
      'action',
      'target_type',
      'target_id',
      'target_label',
      'ip',
      'outcome',
      'request_id',
      'details',
    ];
    for (const column of columns) {
      const original = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 6)
        .executeTakeFirstOrThrow();
      await sql`update audit_log set ${sql.ref(column)} = ${'tampered'} where seq = 6`.execute(t.database.db);
      expect((await verifyChain(t.database.db)).firstBroken, column).toMatchObject({ seq: 6 });
      await t.database.db.updateTable('audit_log').set(original).where('seq', '=', 6).execute();
    }
    await sql`update audit_log set secrecy = 2 where seq = 6`.execute(t.database.db);
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 6, reason: 'edited' });
  });

  it('names a deleted entry', async () => {
    await t.database.db.deleteFrom('audit_log').where('seq', '=', 7).execute();
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 7, reason: 'missing' });
  });

  it('notices when the newest entries were removed', async () => {
    await t.database.db.deleteFrom('audit_log').where('seq', '>=', 9).execute();
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 9, reason: 'truncated' });
  });

  it('names the first removed entry and the last kept one when the tail is cut off', async () => {
    await t.database.db.deleteFrom('audit_log').where('seq', '=', 10).execute();
    const r = await verifyChain(t.database.db);
    expect(r.firstBroken).toMatchObject({ seq: 10, reason: 'truncated' });
    expect(describeBreak(r, 'en')).toBe('entries from #10 on were removed (the last kept is #9)');
    const err = await run(process.execPath, ['bin/kedang.js', 'audit', 'verify'], { env: t.env }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stdout: string }).stdout).toContain(
      'Audit chain BROKEN: entries from #10 on were removed (the last kept is #9).',
    );
  });

  it('notices reordered entries', async () => {
    const a = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    const b = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();
    // Swap the contents of #3 and #5 (keeping their hashes with them).
    await t.database.db
      .updateTable('audit_log')
      .set({ ...b, seq: 3 })
      .where('seq', '=', 3)
      .execute();
    await t.database.db
      .updateTable('audit_log')
      .set({ ...a, seq: 5 })
      .where('seq', '=', 5)
      .execute();
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 3 });
  });

  it('notices an entry rewritten with a recomputed hash at the entry after it', async () => {
    // Someone who knows the algorithm can recompute one entry's hash; the next entry still
    // points at the old hash.
    const { entryHash } = await import('./chain.js');
    const row = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();
    const forged = { ...row, actor_login: 'forger' };
    await t.database.db
      .updateTable('audit_log')
      .set({ actor_login: 'forger', hash: entryHash(row.prev_hash, forged) })
      .where('seq', '=', 5)
      .execute();
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 6, reason: 'relinked' });
  });

  it('reports through the API and records the verification itself', async () => {
    await t.database.db.updateTable('audit_log').set({ outcome: 'failure' }).where('seq', '=', 2).execute();
    const res = await admin.post('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: false,
      checked: 1,
      firstBroken: { seq: 2, reason: 'edited', action: 'test.entry' },
    });
    const log = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(log).toMatchObject({ action: 'audit.verify', outcome: 'failure', actor_login: 'admin' });
  });

  it('`kedang audit verify` exits 1 and names the edited entry', async () => {
    const cli = ['bin/kedang.js', 'audit', 'verify'];
    const ok = await run(process.execPath, cli, { env: t.env });
    expect(ok.stdout).toContain('Audit chain intact: 10 entries verified');
    await t.database.db.updateTable('audit_log').set({ target_id: '999' }).where('seq', '=', 8).execute();
    const err = await run(process.execPath, cli, { env: t.env }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stdout: string }).stdout).toContain('entry #8 was edited');
  });

  it('keeps the chain linear under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.database.db
          .transaction()
          .execute((trx) =>
            appendAudit({ ...t.system, db: trx }, { action: 'test.concurrent', details: { i } }),
          ),
      ),
    );
    const r = await verifyChain(t.database.db);
    expect(r).toMatchObject({ ok: true, checked: 60, headSeq: 60 });
  });

  it('rolls the entry back with the change it belongs to', async () => {
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await appendAudit({ ...t.system, db: trx }, { action: 'test.rolled_back' });
        throw new Error('change failed');
      })
      .catch(() => undefined);
    const r = await verifyChain(t.database.db);
    expect(r).toMatchObject({ ok: true, headSeq: 10 });
  });

  it('hashes canonical JSON independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});
