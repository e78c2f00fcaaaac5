// Reading the audit log at scale with effective secrecy (R-P9): the newest page, a filtered page
// and the export's capped count, for a reader cleared for everything (no target check) and for a
// 普通 auditor (each entry's target looked up at its level now), against the same queries with
// the stored level only.
//   npx tsx bench/audit-read.ts [entries]      (SQLite in a temp directory; default 1,000,000)
//   BENCH_PG=postgres://postgres@127.0.0.1:5432/test npx tsx bench/audit-read.ts [entries]
// The entries are inserted directly (not hash-chained): what is measured is reading them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCustomerBody } from '../src/common/schemas/customers.js';
import { registerDocumentBody } from '../src/common/schemas/documents.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import type { AuditLogTable, DocumentTable } from '../src/server/db/types.js';
import { search } from '../src/server/modules/audit/service.js';
import { createCustomer } from '../src/server/modules/customers/service.js';
import { registerDocument } from '../src/server/modules/documents/service.js';
import { createDepartment, createUser } from '../src/server/modules/org/service.js';
import { type Actor, type Ctx, SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { withinClearance } from '../src/server/platform/policy/index.js';
import { createPgDatabase } from '../src/server/test-support/app.js';

const n = Number(process.argv[2] ?? 1_000_000);
const DOCUMENTS = 20_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bench-'));
const scratch = process.env.BENCH_PG ? await createPgDatabase(process.env.BENCH_PG) : undefined;
const database = openDatabase({ databaseUrl: scratch?.url, dataDir });
const db = database.db;
await migrateToLatest(db);
const system: Ctx = { db, actor: SYSTEM_ACTOR, now: () => new Date(), requestId: null, ip: null, lang: 'zh' };
const reader = (clearance: number): Ctx => ({
  ...system,
  actor: {
    ...SYSTEM_ACTOR,
    id: `auditor${clearance}`,
    login: 'auditor',
    roles: ['auditor'],
    clearance,
  } as Actor,
});

// Documents: a fifth in a 机密 customer archive, the rest in a 普通 one.
const dept = await createDepartment(system, { name: '档案室', code: 'DA', parentId: null, sortOrder: 0 });
const { user: gm } = await createUser(system, {
  login: 'gm',
  name: '总经理',
  email: null,
  phone: null,
  departmentId: dept.id,
  roles: ['general_manager'],
  clearance: 'top_secret',
  password: 'Bench-passw0rd-long',
  mustChangePassword: false,
});
const manager: Ctx = {
  ...system,
  actor: { ...SYSTEM_ACTOR, id: gm.id, login: 'gm', roles: ['general_manager'], departmentId: dept.id },
};
const customer = async (name: string, secrecy: 'normal' | 'confidential') =>
  (
    await createCustomer(
      manager,
      createCustomerBody.parse({
        name,
        category: 'general',
        kind: 'business',
        secrecy,
        departmentId: dept.id,
      }),
    )
  ).id;
const open = await customer('普通客户', 'normal');
const secret = await customer('机密客户', 'confidential');
const template = await registerDocument(
  manager,
  registerDocumentBody.parse({
    title: '模板',
    category: 'agreements',
    customerId: open,
    departmentId: dept.id,
  }),
);
const row = (await db
  .selectFrom('documents')
  .selectAll()
  .where('id', '=', template.id)
  .executeTakeFirstOrThrow()) as DocumentTable;
const docIds: string[] = [];
for (let i = 0; i < DOCUMENTS; i += 500) {
  const batch = Array.from({ length: 500 }, (_, j) => {
    const k = i + j;
    const id = `bench-doc-${k}`;
    docIds.push(id);
    return {
      ...row,
      id,
      search_key: 1_000_000 + k,
      title: `文件${k}`,
      customer_id: k % 5 === 0 ? secret : open,
    };
  });
  await db.insertInto('documents').values(batch).execute();
}

// Entries: 40% about a document, 10% about a customer, the rest about users and settings.
const started = performance.now();
const first = Number((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq) + 1;
const last = first + n - 1;
for (let seq = first; seq <= last; seq += 1000) {
  const batch: AuditLogTable[] = [];
  for (let s = seq; s < Math.min(seq + 1000, last + 1); s++) {
    const r = s % 10;
    const [type, id] =
      r < 4
        ? ['document', docIds[(s * 7919) % DOCUMENTS] as string]
        : r === 4
          ? ['customer', s % 2 ? open : secret]
          : ['user', `user-${s % 500}`];
    batch.push({
      seq: s,
      at: new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString(),
      actor_id: 'u',
      actor_login: `user${s % 50}`,
      action: type === 'document' ? 'document.read' : type === 'customer' ? 'customer.read' : 'auth.login',
      target_type: type,
      target_id: id,
      target_label: `对象${s}`,
      secrecy: 0,
      ip: '127.0.0.1',
      outcome: 'success',
      request_id: null,
      details: null,
      prev_hash: '0',
      hash: '0',
    });
  }
  await db.insertInto('audit_log').values(batch).execute();
}
await db.updateTable('audit_head').set({ seq: last }).execute();
console.log(
  `${database.dialect}: ${n} entries inserted in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);

async function p(label: string, fn: () => Promise<unknown>, runs = 20): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.floor(q * (times.length - 1))] as number).toFixed(1);
  console.log(`${label.padEnd(58)} p50 ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms`);
}
/** The same page with the stored level only (what the log did before effective secrecy). */
const storedOnly = (clearance: number, action?: string) => {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .where(withinClearance(reader(clearance).actor as Actor, 'secrecy'));
  if (action) q = q.where('action', '=', action);
  return q.orderBy('seq', 'desc').limit(51).execute();
};
for (const clearance of [3, 0]) {
  const ctx = reader(clearance);
  await p(`newest 50, clearance ${clearance}`, () => search(ctx, { limit: 50 }));
  await p(`newest 50, clearance ${clearance}, stored level only`, () => storedOnly(clearance));
  await p(`newest 50 document.read, clearance ${clearance}`, () =>
    search(ctx, { limit: 50, action: 'document.read' }),
  );
  await p(`newest 50 document.read, clearance ${clearance}, stored level only`, () =>
    storedOnly(clearance, 'document.read'),
  );
  await p(
    `50 of one document's entries, clearance ${clearance}`,
    () => search(ctx, { limit: 50, target: docIds[1] as string }),
    5,
  );
}
await database.close();
await scratch?.drop();
fs.rmSync(dataDir, { recursive: true, force: true });
