import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runIntegrityCheck } from '../src/server/modules/integrity/service.js';
import { verifyChain } from '../src/server/platform/audit/chain.js';
import { drainJobs } from '../src/server/platform/jobs.js';
import { BlobStore } from '../src/server/platform/storage.js';
import { createTestApp } from '../src/server/test-support/app.js';
import { Harness } from './support/harness.js';
import { operationsOf, requestArb } from './support/requests.js';

// The fuzz suite (issue 12): every operation of the OpenAPI document, requests generated from
// its own schemas — valid and broken — as an anonymous caller, a low-clearance staff member, an
// archivist and an administrator. Every response: no 5xx; errors are problem+json with a code;
// security headers on every response; every audit entry written re-hashes to its stored hash; a
// refused request (4xx) writes nothing beyond the allowlist in support/fingerprint.ts. At the
// end the audit chain verifies, the integrity check finds nothing and no stray file is left.
// See DEVELOPERS.md ("Fuzz suite") for running and replaying.

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31 - 1);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const ONLY = process.env.FUZZ_ONLY;
/** Requests spent on shrinking a failure to a smaller one (the state moves on, so keep it short). */
const SHRINK = Number(process.env.FUZZ_SHRINK ?? 100);
/** Small limits, so that "too large" is cheap to send. */
const LIMIT = 64 * 1024;

const t = await createTestApp({ bodyLimitBytes: LIMIT, uploadMaxBytes: LIMIT, importMaxBytes: LIMIT });
const harness = await Harness.seed(t);
const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
const all = operationsOf(doc);
// One operation by its exact key (a replay), or every operation whose key contains the text.
const operations = all.some((op) => op.key === ONLY)
  ? all.filter((op) => op.key === ONLY)
  : all.filter((op) => !ONLY || op.key.includes(ONLY));
afterAll(() => t.close());

const replay = (op?: string) =>
  `FUZZ_SEED=${SEED}${op ? ` FUZZ_ONLY='${op}'` : ''}${process.env.FUZZ_RUNS ? ` FUZZ_RUNS=${RUNS}` : ''} npm run test:fuzz`;
console.log(
  `fuzz: seed ${SEED}, ${RUNS} runs on each of ${operations.length} operations (${t.database.dialect}); replay: ${replay()}`,
);

/** A seed per operation, so that one operation replays alone with FUZZ_ONLY. */
function seedOf(key: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

describe(`fuzz (seed ${SEED})`, () => {
  it('covers every operation of the OpenAPI document', () => {
    if (!ONLY) expect(operations.length).toBeGreaterThan(100);
  });

  for (const op of operations) {
    it(op.key, async () => {
      await harness.ready();
      const pool = await harness.pool();
      let failed = false;
      let shrinks = 0;
      const out = await fc.check(
        fc.asyncProperty(requestArb(op, pool, LIMIT), async (req) => {
          // Past the budget every candidate "passes", so fast-check keeps the smallest so far.
          if (failed && ++shrinks > SHRINK) return;
          try {
            await harness.check(req);
          } catch (err) {
            failed = true;
            throw err;
          }
        }),
        { seed: seedOf(op.key), numRuns: RUNS },
      );
      if (out.failed) {
        const error =
          out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
        throw new Error(
          `${op.key}: failed after ${out.numRuns} request(s), shrunk ${out.numShrinks} time(s)\n${error}\n\nReplay: ${replay(op.key)}`,
        );
      }
    }, 600_000);
  }

  it('leaves an audit chain that verifies and nothing for the integrity check to find', async () => {
    await drainJobs();
    const chain = await verifyChain(t.database.db);
    const broken = chain.firstBroken;
    expect(
      chain.ok,
      `audit chain broken at #${broken?.seq} (${broken?.reason}, ${broken?.action}); replay: ${replay()}`,
    ).toBe(true);
    const report = await runIntegrityCheck(t.database.db, new BlobStore(t.dataDir), t.clock.now());
    // An electronic record registered without its file yet is a finding by design, not damage.
    const findings = report.findings.filter((f) => f.problem !== 'no_files');
    expect(findings, `integrity findings; replay: ${replay()}`).toEqual([]);
    // The check passes over unknown files younger than an hour (uploads in flight); here nothing
    // is in flight, so every stored file must have its row and no temporary upload may be left.
    const rows = await t.database.db.selectFrom('blobs').select('sha256').execute();
    const known = new Set(rows.map((r) => r.sha256));
    const under = (dir: string) =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
        : [];
    expect(
      under(path.join(t.dataDir, 'blobs'))
        .filter((e) => !known.has(e.name))
        .map((e) => e.name),
    ).toEqual([]);
    expect(under(path.join(t.dataDir, 'tmp', 'uploads')).map((e) => e.name)).toEqual([]);
  }, 600_000);
});
