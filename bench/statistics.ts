// Archive statistics at scale (篇八 第五十、五十一条): N documents (default 1,000,000) over ten years
// in six departments and four secrecy levels, three in ten in one of 20,000 customer archives (so
// that effective secrecy has archives to look up), 2 % destroyed; and R read entries in the audit
// trail (default 2,000,000 document.read over the last two years) among as many entries of other
// actions. Written straight into the database; then a year's holdings and use through HTTP
// (app.inject), p50/p95, for the archivist (every record within 机密) and a department manager (秘密,
// what he may see), next to the plain GROUP BY on the database.
//
//   npx tsx bench/statistics.ts                                 1,000,000 documents on SQLite
//   npx tsx bench/statistics.ts --documents 2000 --reads 2000 --samples 3   the tiny run
//   npx tsx bench/statistics.ts --pg postgres://postgres@127.0.0.1:5432/postgres
//
// Results are printed and written to bench/out/statistics-<db>-<n>.json.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { AuditLogTable, DocumentTable } from '../src/server/db/types.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { documentSecrecy } from '../src/server/platform/policy/records.js';
import { signIn } from '../src/server/test-support/app.js';
import {
  benchUser,
  customerRow,
  DAY,
  departmentsWithStaff,
  generator,
  type Measured,
  measure,
  openBench,
  PASSWORD,
  writeResults,
} from './support.js';

const { values: args } = parseArgs({
  options: {
    documents: { type: 'string', default: '1000000' },
    reads: { type: 'string', default: '2000000' },
    customers: { type: 'string', default: '20000' },
    pg: { type: 'string' },
    samples: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.documents);
const READS = Number(args.reads);
const CUSTOMERS = Math.min(Number(args.customers), Math.max(10, Math.floor(N / 10)));
const SAMPLES = Number(args.samples);
const YEAR = new Date().getUTCFullYear();

const bench = await openBench('statistics', { ...(args.pg ? { pg: args.pg } : {}) });
const { db } = bench;
const g = generator(2026);
const departments = await departmentsWithStaff(bench, [
  ['销售部', 'XS', 4],
  ['品质部', 'PZ', 2],
  ['技术部', 'JS', 2],
  ['生产部', 'SC', 1],
  ['采购部', 'CG', 1],
  ['综合办', 'ZH', 1],
]);
const sales = departments[0] as (typeof departments)[number];
await benchUser(bench, 'archivist', '档案员', sales.id, ['archivist'], 'confidential');
await benchUser(bench, 'manager', '销售经理', sales.id, ['department_manager'], 'secret');
const pickDepartment = () => g.weighted(departments.map((d) => [d, d.weight] as const));
const secrecy = () =>
  g.weighted([
    [0, 90],
    [1, 7],
    [2, 2],
    [3, 1],
  ] as const);

const started = performance.now();
const now = Date.now();
const customerIds: string[] = [];
for (let from = 0; from < CUSTOMERS; from += 500) {
  const rows = [];
  for (let i = from; i < Math.min(from + 500, CUSTOMERS); i++) {
    const row = customerRow(
      i,
      `基准客户${i}`,
      pickDepartment().id,
      secrecy(),
      new Date(now - 3000 * DAY).toISOString(),
    );
    rows.push(row);
    customerIds.push(row.id);
  }
  await db.insertInto('customers').values(rows).execute();
}
const categories = ['laws', 'product_standards', 'customer_supplied', 'agreements', 'records', 'books'];
const retention: Record<string, string> = {
  laws: 'D30',
  product_standards: 'D30',
  customer_supplied: 'D30',
  agreements: 'Y',
  records: 'D10',
  books: 'D10',
};
const docIds: string[] = [];
for (let from = 0; from < N; from += 500) {
  const rows: DocumentTable[] = [];
  for (let i = from; i < Math.min(from + 500, N); i++) {
    const created = new Date(now - Math.floor(g.random() * 3650) * DAY);
    const category = g.pick(categories);
    const inArchive = category === 'customer_supplied' || g.random() < 0.2;
    const destroyed = g.random() < 0.02 ? new Date(created.getTime() + 200 * DAY) : null;
    const dept = pickDepartment();
    const id = `bench-d-${String(i).padStart(8, '0')}`;
    docIds.push(id);
    rows.push({
      id,
      search_key: i + 1,
      title: `基准文件${i}`,
      doc_number: null,
      responsible_party: null,
      source: 'internal',
      category,
      carrier: g.weighted([
        ['electronic', 6],
        ['paper', 3],
        ['both', 1],
      ] as const),
      pages: null,
      location: null,
      secrecy: secrecy(),
      secrecy_term: null,
      retention: retention[category] as string,
      customer_id: inArchive ? g.pick(customerIds) : null,
      department_id: dept.id,
      status: destroyed && destroyed.getTime() < now ? 'destroyed' : 'current',
      obsolete_reason: null,
      archive_no: null,
      filed_at: null,
      filed_by: null,
      version_label: null,
      issue_date: null,
      received_date: null,
      version_count: 1,
      file_count: 0,
      changes_internal: null,
      customer_authorized_by: null,
      customer_authorized_on: null,
      remarks: null,
      created_at: created.toISOString(),
      created_by: SYSTEM_ACTOR.id,
      updated_at: created.toISOString(),
      updated_by: SYSTEM_ACTOR.id,
      retention_due: null,
      record_year: created.getUTCFullYear(),
      life_end_date: null,
      withdrawn_at: null,
      extended_due: null,
      destroyed_at: destroyed && destroyed.getTime() < now ? destroyed.toISOString() : null,
      disposal_id: null,
      controlled: 0,
      production_use: 0,
      secrecy_term_kind: null,
      secrecy_term_years: null,
      secrecy_term_from: null,
      secrecy_term_until: null,
      customer_authorization_sha256: null,
      customer_authorization_name: null,
    });
  }
  await db.insertInto('documents').values(rows).execute();
}
// Reads and other entries alternate over the last two years, in time order as the trail is.
const staff = departments.flatMap((d) => d.staff);
const entries = READS * 2;
const first = Number((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq) + 1;
const span = 730 * DAY;
for (let from = 0; from < entries; from += 1000) {
  const batch: AuditLogTable[] = [];
  for (let k = from; k < Math.min(from + 1000, entries); k++) {
    const read = k % 2 === 0;
    batch.push({
      seq: first + k,
      at: new Date(now - span + Math.floor((k * span) / entries)).toISOString(),
      actor_id: g.pick(staff),
      actor_login: null,
      action: read ? 'document.read' : g.pick(['customer.update', 'auth.login', 'document.update']),
      target_type: read ? 'document' : 'user',
      target_id: read ? g.pick(docIds) : 'u',
      target_label: null,
      secrecy: 0,
      ip: null,
      outcome: 'success',
      request_id: null,
      details: null,
      prev_hash: '0',
      hash: '0',
    });
  }
  await db.insertInto('audit_log').values(batch).execute();
}
await db
  .updateTable('audit_head')
  .set({ seq: first + entries - 1 })
  .execute();
if (bench.database.dialect === 'postgres') await sql`analyze`.execute(db);
const writeSeconds = (performance.now() - started) / 1000;
console.log(
  `${bench.database.dialect}: ${N.toLocaleString()} documents, ${entries.toLocaleString()} audit entries in ${writeSeconds.toFixed(0)} s`,
);

const archivist = await signIn(bench.app, 'archivist', PASSWORD);
const manager = await signIn(bench.app, 'manager', PASSWORD);
const start = new Date(`${YEAR - 1}-12-31T16:00:00Z`).toISOString();
const end = new Date(`${YEAR}-12-31T16:00:00Z`).toISOString();
const SECRECY = documentSecrecy('d');
const queries: Measured[] = [
  {
    name: 'holdings this year',
    url: `/api/statistics/holdings?year=${YEAR}`,
    // The plain GROUP BY within 机密, without the year-end bounds.
    raw: () =>
      db
        .selectFrom('documents as d')
        .where('d.status', '!=', 'destroyed')
        .where(SECRECY, '<=', 2)
        .select((eb) => [
          'd.category',
          'd.record_year',
          'd.retention',
          'd.carrier',
          SECRECY.as('s'),
          eb.fn.countAll().as('n'),
        ])
        .groupBy(['d.category', 'd.record_year', 'd.retention', 'd.carrier', SECRECY])
        .execute(),
  },
  {
    name: 'use this year',
    url: `/api/statistics/use?year=${YEAR}`,
    raw: () =>
      db
        .selectFrom('audit_log as al')
        .innerJoin('documents as d', 'd.id', 'al.target_id')
        .leftJoin('users as u', 'u.id', 'al.actor_id')
        .where('al.action', '=', 'document.read')
        .where('al.at', '>=', start)
        .where('al.at', '<', end)
        .select((eb) => ['u.department_id', 'd.category', eb.fn.countAll().as('n')])
        .groupBy(['u.department_id', 'd.category'])
        .execute(),
  },
];
const results = await measure(
  [
    ['arch', archivist],
    ['mgr', manager],
  ],
  queries,
  { samples: SAMPLES },
);
writeResults(bench, 'statistics', N, {
  documents: N,
  auditEntries: entries,
  customers: CUSTOMERS,
  writeSeconds,
  queries: results,
});
await bench.close(args.keep);
