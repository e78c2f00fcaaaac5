// Documents at scale (R-D6, R-D8):
//
// 1. Upload: a large file (default 2 GB) through HTTP multipart into a real `kedang serve`,
//    timed against `sha256sum` on the same file (target ≥ 0.7×), while the server's resident
//    memory is sampled (target: under 200 MB for any size, because uploads stream).
// 2. Search: N documents (default 2,000,000) written straight into the register with their
//    search tokens, then lists and searches through HTTP (app.inject), p50/p95, next to the
//    same queries on the database (target: search p95 under 100 ms on SQLite).
//
//   npx tsx bench/documents.ts                          2 GB upload, 2,000,000 documents
//   npx tsx bench/documents.ts --upload-mb 50 --documents 20000
//
// Results are printed and written to bench/out/documents-<n>.json.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { api, seedManager, startServer } from '../e2e/support.js';
import { retentionDue } from '../src/common/retention.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import type { DocumentTable } from '../src/server/db/types.js';
import { createDepartment, createUser } from '../src/server/modules/org/service.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { indexTokens, queryTerms, searchIndex } from '../src/server/platform/search.js';
import { signIn } from '../src/server/test-support/app.js';

const { values: args } = parseArgs({
  options: {
    'upload-mb': { type: 'string', default: '2048' },
    documents: { type: 'string', default: '2000000' },
    samples: { type: 'string', default: '40' },
  },
});
const UPLOAD_BYTES = Number(args['upload-mb']) * 1024 * 1024;
const N = Number(args.documents);
const SAMPLES = Number(args.samples);
const PASSWORD = 'Bench-pass-2026';

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
  return { p50: at(50), p95: at(95) };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bench-documents-'));

// 1. Upload ------------------------------------------------------------------------------------

async function uploadBench() {
  const file = path.join(tmp, 'large.bin');
  const block = randomBytes(1024 * 1024);
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < UPLOAD_BYTES; written += block.length)
    fs.writeSync(fd, block, 0, Math.min(block.length, UPLOAD_BYTES - written));
  fs.closeSync(fd);
  const start = performance.now();
  execFileSync('sha256sum', [file]);
  const shaSeconds = (performance.now() - start) / 1000;

  const server = await startServer({ KEDANG_UPLOAD_MAX_MB: String(Math.ceil(UPLOAD_BYTES / 1048576) + 1) });
  try {
    await seedManager(server, 'manager', PASSWORD);
    const manager = await api(server, 'manager', PASSWORD);
    const doc = (await manager('POST', '/api/documents', { title: '大文件基准', category: 'records' })) as {
      id: string;
    };
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'manager', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const rss = () =>
      Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) * 1024;
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss());
    }, 50);
    // The web app sends the file as the body; API clients may use multipart. Both are timed.
    const send = async (multipart: boolean) => {
      const boundary = '----kedangbench';
      const head = multipart
        ? Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          )
        : Buffer.alloc(0);
      const tail = multipart ? Buffer.from(`\r\n--${boundary}--\r\n`) : Buffer.alloc(0);
      const started = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${server.url}/api/documents/${doc.id}/files${multipart ? '' : '?name=large.bin'}`,
          {
            method: 'POST',
            headers: {
              cookie,
              'x-csrf-token': csrfToken,
              'content-type': multipart
                ? `multipart/form-data; boundary=${boundary}`
                : 'application/octet-stream',
              'content-length': head.length + UPLOAD_BYTES + tail.length,
            },
          },
        );
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.write(head);
        const stream = fs.createReadStream(file);
        stream.pipe(req, { end: false });
        stream.on('end', () => req.end(tail));
      });
      if (status !== 201) throw new Error(`upload failed: ${status}\n${server.output()}`);
      return (performance.now() - started) / 1000;
    };
    const uploadSeconds = await send(false);
    const multipartSeconds = await send(true);
    clearInterval(sampler);
    const mb = UPLOAD_BYTES / 1048576;
    const result = {
      megabytes: mb,
      sha256sumMBs: mb / shaSeconds,
      uploadMBs: mb / uploadSeconds,
      ratio: shaSeconds / uploadSeconds,
      multipartMBs: mb / multipartSeconds,
      multipartRatio: shaSeconds / multipartSeconds,
      serverRssBeforeMB: before / 1048576,
      serverRssPeakMB: peak / 1048576,
    };
    console.log(
      `upload ${mb.toLocaleString()} MB: ${result.uploadMBs.toFixed(0)} MB/s vs sha256sum ${result.sha256sumMBs.toFixed(0)} MB/s = ${result.ratio.toFixed(2)}× (target ≥ 0.7×; multipart ${result.multipartRatio.toFixed(2)}×); server RSS ${result.serverRssBeforeMB.toFixed(0)} → peak ${result.serverRssPeakMB.toFixed(0)} MB (target < 200 MB)`,
    );
    return result;
  } finally {
    await server.stop();
    fs.rmSync(file, { force: true });
  }
}

// 2. Search ------------------------------------------------------------------------------------

const TOPICS = [
  '采购合同',
  '产品图纸',
  '检验规范',
  '投诉处理记录',
  '质量协议',
  '作业指导书',
  '校准证书',
  '会议纪要',
];
const PRODUCTS = ['散热片', '支架', '外壳', '线束', '端子', '齿轮', '轴承', '面板', '模具', '包装箱'];
const CUSTOMERS = ['华星', '精工', '宏达', '鑫源', '永兴', '泰和', '恒通', '金辉', '顺发', '联创'];

async function searchBench() {
  const dataDir = path.join(tmp, 'search');
  const config = { ...loadConfig({}), dataDir, webDir: undefined, logLevel: 'silent' };
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const system = {
    db: database.db,
    actor: SYSTEM_ACTOR,
    now: () => new Date(),
    requestId: null,
    ip: null,
    lang: 'zh' as const,
  };
  const dept = await createDepartment(system, { name: '品质部', code: 'ZL', parentId: null, sortOrder: 0 });
  const { user: clerk } = await createUser(system, {
    login: 'clerk',
    name: 'clerk',
    email: null,
    phone: null,
    departmentId: dept.id,
    roles: ['quality'],
    clearance: 'normal',
    password: PASSWORD,
    mustChangePassword: false,
  });
  // The archivist reads the appraisal list (R-X1): records whose retention ran out.
  await createUser(system, {
    login: 'keeper',
    name: 'keeper',
    email: null,
    phone: null,
    departmentId: dept.id,
    roles: ['archivist'],
    clearance: 'normal',
    password: PASSWORD,
    mustChangePassword: false,
  });
  const index = searchIndex(database.dialect, 'documents');
  const now = new Date().toISOString();
  const start = performance.now();
  const BATCH = 500;
  for (let from = 0; from < N; from += BATCH) {
    const rows: DocumentTable[] = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) {
      const title = `${CUSTOMERS[i % 10]}${PRODUCTS[Math.floor(i / 10) % 10]}${TOPICS[Math.floor(i / 100) % 8]}${i}`;
      rows.push({
        id: `bench-${i}`,
        search_key: i + 1,
        title,
        doc_number: `Q/ABC ${i}-2024`,
        responsible_party: null,
        source: 'internal',
        category: i % 3 === 0 ? 'agreements' : 'records',
        carrier: 'electronic',
        pages: null,
        location: null,
        secrecy: i % 50 === 0 ? 1 : 0,
        secrecy_term: null,
        retention: 'D10',
        customer_id: null,
        department_id: dept.id,
        status: 'current',
        obsolete_reason: null,
        archive_no: null,
        filed_at: null,
        filed_by: null,
        version_label: null,
        issue_date: `20${String(10 + (i % 15))}-0${1 + (i % 9)}-1${i % 10}`,
        received_date: null,
        version_count: 1,
        file_count: 0,
        changes_internal: null,
        customer_authorized_by: null,
        customer_authorized_on: null,
        remarks: null,
        created_at: now,
        created_by: clerk.id,
        updated_at: now,
        updated_by: clerk.id,
        retention_due: null,
        record_year: 2010 + (i % 15),
        life_end_date: null,
        withdrawn_at: null,
        extended_due: null,
        destroyed_at: null,
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
      const row = rows.at(-1) as DocumentTable;
      row.retention_due = retentionDue({
        retention: row.retention,
        issueDate: row.issue_date,
        receivedDate: null,
        createdAt: now,
        lifeEndDate: null,
        withdrawnAt: null,
        filed: false,
        extendedDue: null,
      });
    }
    await database.db.transaction().execute(async (t) => {
      await t.insertInto('documents').values(rows).execute();
      await index.insertMany(
        t,
        rows.map((r) => ({
          key: r.search_key,
          tokens: indexTokens([{ text: r.title }, { text: r.doc_number, code: true }]),
        })),
      );
    });
    if (from % 200_000 === 0 && from > 0) console.log(`  registered ${from.toLocaleString()} documents…`);
  }
  await database.db
    .insertInto('counters')
    .values({ key: 'document_search_key', value: N })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: N }))
    .execute();
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
  console.log(
    `wrote ${N.toLocaleString()} documents in ${((performance.now() - start) / 1000).toFixed(0)} s`,
  );

  const as = await signIn(app, 'clerk', PASSWORD);
  const keeper = await signIn(app, 'keeper', PASSWORD);
  const today = new Date().toISOString().slice(0, 10);
  const fts = (q: string) =>
    sql`select d.id from documents d where d.search_key in (select rowid from documents_fts where documents_fts match ${queryTerms(
      q,
    )
      .map((t) => `"${t.token}"${t.prefix ? '*' : ''}`)
      .join(' AND ')}) order by d.search_key desc limit 50`;
  const mid = Math.floor(N / 2);
  const cases = [
    {
      name: 'list, first page',
      url: '/api/documents?limit=50',
      raw: sql`select * from documents order by search_key desc limit 50`,
    },
    {
      name: 'filter category',
      url: '/api/documents?limit=50&category=agreements',
      raw: sql`select * from documents where category = 'agreements' order by search_key desc limit 50`,
    },
    {
      name: 'search 2-character word (合同)',
      url: `/api/documents?limit=50&q=${encodeURIComponent('合同')}`,
      raw: fts('合同'),
    },
    {
      name: 'search words (支架 投诉)',
      url: `/api/documents?limit=50&q=${encodeURIComponent('支架 投诉')}`,
      raw: fts('支架 投诉'),
    },
    {
      name: 'search document number',
      url: `/api/documents?limit=50&q=${encodeURIComponent(`Q/ABC ${mid}`)}`,
      raw: fts(`Q/ABC ${mid}`),
    },
    {
      name: 'due for appraisal, first page',
      url: '/api/retention/due?limit=50',
      who: keeper,
      raw: sql`select * from documents where retention_due <= ${today} and status != 'destroyed' order by retention_due, search_key limit 50`,
    },
    {
      name: 'due for appraisal, year filter',
      url: '/api/retention/due?limit=50&year=2015',
      who: keeper,
      raw: sql`select * from documents where retention_due <= ${today} and status != 'destroyed' and record_year = 2015 order by retention_due, search_key limit 50`,
    },
    {
      name: 'count with filter',
      url: '/api/documents/count?category=agreements',
      raw: sql`select count(*) from documents where category = 'agreements'`,
    },
  ];
  const results: Record<string, unknown>[] = [];
  console.log(
    `\n${'query'.padEnd(34)} ${'HTTP p50'.padStart(9)} ${'HTTP p95'.padStart(9)} ${'DB p50'.padStart(8)} ${'DB p95'.padStart(8)}`,
  );
  for (const c of cases) {
    const httpMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      httpMs.push(
        await time(async () => {
          const res = await ('who' in c && c.who ? c.who : as).get(c.url);
          if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
        }),
      );
      if (database.dialect === 'sqlite' || !c.name.startsWith('search'))
        rawMs.push(await time(() => c.raw.execute(database.db)));
    }
    const h = stats(httpMs);
    const d = stats(rawMs.length ? rawMs : [0]);
    results.push({ query: c.name, http: h, db: d });
    console.log(
      `${c.name.padEnd(34)} ${h.p50.toFixed(1).padStart(7)}ms ${h.p95.toFixed(1).padStart(7)}ms ${d.p50.toFixed(1).padStart(6)}ms ${d.p95.toFixed(1).padStart(6)}ms`,
    );
  }
  await app.close();
  await database.close();
  return results;
}

const upload = await uploadBench();
const search = await searchBench();
fs.mkdirSync('bench/out', { recursive: true });
const out = `bench/out/documents-${N}.json`;
fs.writeFileSync(
  out,
  JSON.stringify({ documents: N, upload, search, at: new Date().toISOString() }, null, 2),
);
console.log(`\nwritten to ${out}`);
fs.rmSync(tmp, { recursive: true, force: true });
