// Audit-chain cost against plain inserts on the same database.
//   npx tsx bench/audit.ts [entries]            (SQLite in a temp directory)
//   BENCH_PG=postgres://postgres@127.0.0.1:5432/test npx tsx bench/audit.ts [entries]
//     (PostgreSQL: a scratch database is created on that server and dropped afterwards)
// Prints entries/second for: plain inserts (one transaction each), chained appends (one
// transaction each), chained appends from 8 concurrent writers, and verification.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { appendAudit, verifyChain } from '../src/server/platform/audit/chain.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { createPgDatabase } from '../src/server/test-support/app.js';

const n = Number(process.argv[2] ?? 2000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bench-'));
const scratch = process.env.BENCH_PG ? await createPgDatabase(process.env.BENCH_PG) : undefined;
const database = openDatabase({ databaseUrl: scratch?.url, dataDir });
const db = database.db;
await migrateToLatest(db);
const ctx = {
  db,
  actor: SYSTEM_ACTOR,
  now: () => new Date(),
  requestId: 'bench',
  ip: '127.0.0.1',
  lang: 'zh' as const,
};

async function time(label: string, count: number, fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  const secs = (performance.now() - start) / 1000;
  const rate = count / secs;
  console.log(`${label.padEnd(40)} ${rate.toFixed(0).padStart(8)} /s  (${count} in ${secs.toFixed(2)} s)`);
  return rate;
}

await sql`create table bench_plain (id integer primary key, at text, action text, details text)`.execute(db);
const plain = await time('plain insert, 1 per transaction', n, async () => {
  for (let i = 0; i < n; i++) {
    await db
      .transaction()
      .execute((trx) =>
        sql`insert into bench_plain (id, at, action, details) values (${i}, ${new Date().toISOString()}, ${'bench'}, ${'{"i":1}'})`.execute(
          trx,
        ),
      );
  }
});
const chained = await time('audit append, 1 per transaction', n, async () => {
  for (let i = 0; i < n; i++) await appendAudit(ctx, { action: 'bench.entry', details: { i } });
});
await time('audit append, 8 concurrent writers', n, async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const i = next++;
        await appendAudit(ctx, { action: 'bench.concurrent', details: { i } });
      }
    }),
  );
});
const result = await time('verify chain', 2 * n, async () => {
  const r = await verifyChain(db);
  if (!r.ok) throw new Error('chain broken');
});
console.log(
  `\n${database.dialect}: chained append costs ${(plain / chained).toFixed(2)}× a plain insert; verify ${result.toFixed(0)} entries/s`,
);
await database.close();
await scratch?.drop();
fs.rmSync(dataDir, { recursive: true, force: true });
