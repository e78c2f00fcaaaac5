import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalText } from '../../../common/text.js';
import { createTestApp, resetAuditChain, type TestApp } from '../../test-support/app.js';
import { appendAudit, entryHash, verifyChain } from './chain.js';
import { proveLegacyEntry } from './legacy.js';

// Chains written by an earlier version may hold entries whose hash covered a lone surrogate
// that the database stored as U+FFFD. Such an entry is proven and accepted by a recorded
// repair, never re-hashed; any later edit of it is still found.

const run = promisify(execFile);

describe('audit repair of entries an earlier version hashed with lone surrogates (R-L1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await resetAuditChain(t);
    for (let i = 1; i <= 8; i++)
      await appendAudit(t.system, {
        action: 'auth.login_failed',
        targetType: 'user',
        targetLabel: `user${i}`,
        actor: { id: null, login: `user${i}` },
      });
  });

  /** Makes entry `seq` look as the earlier version wrote it: hashed over `original`, stored with
   * U+FFFD in place of each lone surrogate; every later entry and the head link to it. */
  async function writeAsEarlierVersion(seq: number, field: 'actor_login' | 'target_label', original: string) {
    const db = t.database.db;
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', seq)
      .orderBy('seq')
      .execute();
    let prev = rows[0]?.prev_hash as string;
    for (const row of rows) {
      const stored = Number(row.seq) === seq ? { ...row, [field]: canonicalText(original) } : row;
      const hashedOver = Number(row.seq) === seq ? { ...row, [field]: original } : row;
      const hash = entryHash(prev, hashedOver);
      await db
        .updateTable('audit_log')
        .set({ [field]: stored[field], prev_hash: prev, hash })
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
    }
    await db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
  }

  const kedang = (...args: string[]) =>
    run(process.execPath, ['bin/kedang.js', ...args], { env: t.env }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('reads such an entry as edited, proves what it held and accepts it once the repair is recorded', async () => {
    await writeAsEarlierVersion(3, 'actor_login', '\ud800');
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 3, reason: 'edited' });

    const row = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    expect(row.actor_login).toBe('\ufffd');
    expect(proveLegacyEntry(row)).toEqual({ actor_login: '\\ud800' });

    // Listing changes nothing.
    const listed = await kedang('audit', 'repair');
    expect(listed).toMatchObject({ code: 1 });
    expect(listed.stdout).toContain('entry #3');
    expect(listed.stdout).toContain('proven: held actor_login=\\ud800');
    expect(listed.stdout).toContain('run again with --apply');
    expect((await verifyChain(t.database.db)).ok).toBe(false);

    const applied = await kedang('audit', 'repair', '--apply');
    expect(applied.stdout).toContain('Recorded in audit entry #9');
    const repair = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 9)
      .executeTakeFirstOrThrow();
    expect(repair).toMatchObject({ action: 'audit.repair' });
    expect(JSON.parse(repair.details ?? '{}')).toMatchObject({
      entries: [{ seq: 3, hash: row.hash, original: { actor_login: '\\ud800' } }],
    });

    const verified = await verifyChain(t.database.db);
    expect(verified).toMatchObject({ ok: true, checked: 9, repaired: [{ seq: 3, by: 9 }] });
    const cli = await kedang('audit', 'verify');
    expect(cli.stdout).toContain('entry #3 accepted by the repair in entry #9, proven again');
    expect(cli.stdout).toContain('Audit chain intact: 9 entries verified');
    // Nothing is left to repair.
    expect((await kedang('audit', 'repair')).stdout).toContain('No entry needs a repair.');
  });

  it('still finds an edit of a repaired entry', async () => {
    await writeAsEarlierVersion(5, 'target_label', 'user5\udc01');
    await kedang('audit', 'repair', '--apply');
    expect((await verifyChain(t.database.db)).ok).toBe(true);
    await t.database.db
      .updateTable('audit_log')
      .set({ target_label: 'other\ufffd' })
      .where('seq', '=', 5)
      .execute();
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 5, reason: 'edited' });
  });

  it('does not accept an edited entry that no lone surrogate explains', async () => {
    // Content changed after hashing: U+FFFD is there, but no surrogate gives the stored hash.
    await writeAsEarlierVersion(4, 'target_label', 'user4\ud800');
    await t.database.db
      .updateTable('audit_log')
      .set({ target_label: 'forged\ufffd' })
      .where('seq', '=', 4)
      .execute();
    const refused = await kedang('audit', 'repair', '--apply');
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stdout).toContain('entry #4');
    expect(refused.stdout).toContain('NOT proven');
    expect((await verifyChain(t.database.db)).firstBroken).toMatchObject({ seq: 4, reason: 'edited' });
  });

  it('is not fooled by a repair entry someone wrote into the table', async () => {
    // An edit of an ordinary entry, and an `audit.repair` entry appended after it (with a chain
    // recomputed to the head) that names the edited entry's hashes: verification proves again.
    const db = t.database.db;
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    const edited = { ...row, target_label: 'other\ufffd' };
    await db
      .updateTable('audit_log')
      .set({ target_label: edited.target_label })
      .where('seq', '=', 3)
      .execute();
    await appendAudit(t.system, {
      action: 'audit.repair',
      targetType: 'audit_log',
      details: {
        reason: 'legacy encoding of lone surrogates',
        entries: [{ seq: 3, hash: row.hash, contentHash: entryHash(row.prev_hash, edited), original: {} }],
      },
    });
    expect((await verifyChain(db)).firstBroken).toMatchObject({ seq: 3, reason: 'edited' });
  });

  it('proves entries with several lone surrogates', async () => {
    await writeAsEarlierVersion(2, 'actor_login', '\udc00x\ud800');
    const row = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    expect(proveLegacyEntry(row)).toEqual({ actor_login: '\\udc00x\\ud800' });
    await writeAsEarlierVersion(6, 'actor_login', '\ud801\ud801\ud801\ud801');
    const same = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 6)
      .executeTakeFirstOrThrow();
    expect(proveLegacyEntry(same)).toEqual({ actor_login: '\\ud801\\ud801\\ud801\\ud801' });
  });

  it('refuses to record anything while the chain is broken in another way', async () => {
    await writeAsEarlierVersion(3, 'actor_login', '\ud800');
    await t.database.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
    const res = await kedang('audit', 'repair', '--apply');
    expect(res).toMatchObject({ code: 1 });
    expect(res.stdout).toContain('also broken at entry #6 (missing)');
    const repairs = await t.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'audit.repair')
      .execute();
    expect(repairs).toEqual([]);
  });
});
