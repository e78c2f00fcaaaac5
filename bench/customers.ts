// Customer archive at scale: generates N customers through the real import (a CSV upload
// through HTTP, as a user does it), then measures lists, filters, searches and counts through
// HTTP (app.inject) against the same queries run directly on the database.
//
//   npm run bench                                  1,000,000 customers on SQLite
//   npm run bench -- --customers 20000             a smaller run
//   npm run bench -- --pg postgres://postgres@127.0.0.1:5432/test
//                                                  PostgreSQL (a scratch database on that server)
//
// Results are printed and written to bench/out/customers-<db>-<n>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { createDepartment, createUser } from '../src/server/modules/org/service.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { queryTerms } from '../src/server/platform/search.js';
import { createPgDatabase, signIn } from '../src/server/test-support/app.js';
import { multipart } from '../src/server/test-support/sheets.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    pg: { type: 'string' },
    samples: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.customers);
const SAMPLES = Number(args.samples);

const CITIES = [
  '深圳',
  '广州',
  '东莞',
  '佛山',
  '中山',
  '珠海',
  '惠州',
  '苏州',
  '无锡',
  '宁波',
  '温州',
  '厦门',
  '青岛',
  '天津',
  '成都',
  '武汉',
];
const WORDS = [
  '华盛',
  '精工',
  '宏达',
  '鑫源',
  '永兴',
  '泰和',
  '恒通',
  '金辉',
  '顺发',
  '联创',
  '新科',
  '长城',
  '东方',
  '瑞丰',
  '国泰',
  '中天',
  '万通',
  '海鸿',
];
const TRADES = [
  '电子',
  '五金',
  '照明',
  '塑胶',
  '机械',
  '模具',
  '包装',
  '化工',
  '纺织',
  '汽车配件',
  '医疗器械',
  '家具',
];
const SUFFIX = ['有限公司', '科技有限公司', '实业有限公司', '制品有限公司', '股份有限公司'];
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function uscc(i: number): string {
  const body = `9144${String(1000 + (i % 9000)).slice(0, 4)}${String(i).padStart(9, '0')}`;
  const sum = [...body].reduce((s, ch, k) => s + ALPHABET.indexOf(ch) * (WEIGHTS[k] as number), 0);
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}

function pick<T>(list: T[], i: number): T {
  return list[i % list.length] as T;
}

function csvFor(n: number, file: string): void {
  const out = fs.openSync(file, 'w');
  const header = '客户名称,统一社会信用代码,客户类别,客户种类,电话,地区,行业,主要联系人,联系人电话\n';
  fs.writeSync(out, header);
  let buf = '';
  for (let i = 0; i < n; i++) {
    const city = pick(CITIES, i * 7);
    const trade = pick(TRADES, Math.floor(i / 7));
    const name = `${city}${pick(WORDS, i)}${pick(WORDS, Math.floor(i / 18))}${trade}${pick(SUFFIX, Math.floor(i / 3))}${i}`;
    const category = pick(['一般客户', '重点客户', '潜在客户', '目标客户'], i);
    const kind = pick(['业务客户', '业务客户', '供应商', '合作伙伴'], i >> 2);
    buf += `${name},${uscc(i + 1)},${category},${kind},0${755 + (i % 200)}-${String(10000000 + i).slice(-8)},${city},${trade},联系人${i % 5000},1${String(3800000000 + i).slice(-10)}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
}

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

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bench-customers-'));
const scratch = args.pg ? await createPgDatabase(args.pg) : undefined;
const config = {
  ...loadConfig({}),
  dataDir,
  databaseUrl: scratch?.url,
  webDir: undefined,
  logLevel: 'silent',
  importMaxBytes: 2 ** 31,
};
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
const dept = await createDepartment(system, { name: '销售部', code: 'XS', parentId: null, sortOrder: 0 });
for (const [login, roles] of [
  ['manager', ['department_manager']],
  ['clerk', ['staff']],
] as const) {
  await createUser(system, {
    login,
    name: login,
    email: null,
    phone: null,
    departmentId: dept.id,
    roles: [...roles],
    clearance: 'normal',
    password: 'Bench-pass-2026',
    mustChangePassword: false,
  });
}
const manager = await signIn(app, 'manager', 'Bench-pass-2026');
const clerk = await signIn(app, 'clerk', 'Bench-pass-2026');

console.log(`Kedang customer benchmark: ${N.toLocaleString()} customers on ${database.dialect}`);
const csv = path.join(dataDir, 'customers.csv');
let start = performance.now();
csvFor(N, csv);
console.log(
  `generated CSV (${(fs.statSync(csv).size / 1048576).toFixed(1)} MB) in ${((performance.now() - start) / 1000).toFixed(1)} s`,
);

// The server's memory while it imports: this process is also the client, whose copy of the
// upload is let go once sent, so the peak during the job is the server's. Anonymous memory
// (heaps, SQLite's page cache) is what could grow with the file; the database file mapped
// into memory (mmap_size) counts as resident too but is the page cache of the file.
const mb = (bytes: number) => Math.round(bytes / 1048576);
const anonymous = () => {
  const status = fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '';
  const kb = status.match(/RssAnon:\s+(\d+)/)?.[1];
  return kb ? Number(kb) * 1024 : process.memoryUsage().rss;
};
const rssBefore = anonymous();
let rssPeak = 0;
// CPU of every thread of this process (the server's and the import's worker), which, unlike
// the elapsed time, does not depend on what else the machine runs.
// Bytes the process wrote (Linux): the database, its write-ahead log and the upload's copy.
const written = () => {
  const io = fs.existsSync('/proc/self/io') ? fs.readFileSync('/proc/self/io', 'utf8') : '';
  return Number(io.match(/wchar:\s+(\d+)/)?.[1] ?? Number.NaN);
};
const writtenBefore = written();
const cpuBefore = process.cpuUsage();
start = performance.now();
const queued = await (async () => {
  const { payload, headers } = multipart('customers.csv', fs.readFileSync(csv));
  return manager.inject({ method: 'POST', url: '/api/customers/imports?dryRun=false', payload, headers });
})();
if (queued.statusCode !== 202) throw new Error(queued.body);
// With node --expose-gc the client's copies of the upload are collected now, not mid-import.
(globalThis as { gc?: () => void }).gc?.();
const rssQueued = anonymous();
const jobId = queued.json().job.id as string;
let job: {
  status: string;
  progress: { done: number };
  result: { created: number; failed: number } | null;
  error: string | null;
};
let lastLog = 0;
for (;;) {
  job = (await manager.get(`/api/jobs/${jobId}`)).json();
  if (job.status === 'succeeded' || job.status === 'failed') break;
  if (performance.now() - lastLog > 10_000) {
    lastLog = performance.now();
    console.log(`  importing… ${job.progress.done.toLocaleString()} rows`);
  }
  rssPeak = Math.max(rssPeak, anonymous());
  await new Promise((r) => setTimeout(r, 200));
}
const importSeconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const writtenGb = (written() - writtenBefore) / 1e9;
if (job.status !== 'succeeded' || job.result?.created !== N)
  throw new Error(`import failed: ${JSON.stringify(job)}`);
const importRate = N / importSeconds;
console.log(
  `import: ${N.toLocaleString()} rows in ${importSeconds.toFixed(1)} s = ${Math.round(importRate).toLocaleString()} rows/s`,
);
console.log(
  `import CPU (all threads): ${cpuSeconds.toFixed(1)} s = ${Math.round((cpuSeconds / N) * 1e6)} µs a row; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (Number.isFinite(writtenGb)) console.log(`written to disk during the import: ${writtenGb.toFixed(1)} GB`);
console.log(
  `resident anonymous memory: ${mb(rssBefore)} MB before the upload, ${mb(rssQueued)} MB once queued, ${mb(rssPeak)} MB peak during the import`,
);
if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);

// What a person does on the list page, through HTTP as the clerk (department rules apply),
// and the nearest plain query on the database.
const mid = Math.floor(N / 2);
const code =
  (
    await database.db
      .selectFrom('customers')
      .select('archive_code')
      .where('search_key', '=', mid)
      .executeTakeFirst()
  )?.archive_code ?? 'KH';
const fts = (q: string) =>
  database.dialect === 'sqlite'
    ? sql`select c.id from customers c where c.search_key in (select rowid from customers_fts where customers_fts match ${queryTerms(
        q,
      )
        .map((t) => `"${t.token}"${t.prefix ? '*' : ''}`)
        .join(' AND ')}) order by c.search_key desc limit 50`
    : sql`select c.id from customers c where c.search_key in (select key from customers_search where tokens @@ ${queryTerms(
        q,
      )
        .map((t) => `'${t.token}'${t.prefix ? ':*' : ''}`)
        .join(' & ')}::tsquery) order by c.search_key desc limit 50`;
const cases: { name: string; url: string; raw: ReturnType<typeof sql> }[] = [
  {
    name: 'list, first page',
    url: '/api/customers?limit=50',
    raw: sql`select * from customers order by archive_code limit 50`,
  },
  {
    name: 'list, deep page (keyset)',
    url: `/api/customers?limit=50&cursor=${Buffer.from(JSON.stringify([code, ''])).toString('base64url')}`,
    raw: sql`select * from customers where archive_code > ${code} order by archive_code limit 50`,
  },
  {
    name: 'list sorted by name',
    url: '/api/customers?limit=50&sort=name',
    raw: sql`select * from customers where status != 'merged' order by name_norm, id limit 50`,
  },
  {
    name: 'filter region + category',
    url: `/api/customers?limit=50&region=${encodeURIComponent('佛山')}&category=key`,
    raw: sql`select * from customers where region = ${'佛山'} and category = ${'key'} order by archive_code limit 50`,
  },
  {
    name: 'search 2-character word (照明)',
    url: `/api/customers?limit=50&q=${encodeURIComponent('照明')}`,
    raw: fts('照明'),
  },
  {
    name: 'search company name part',
    url: `/api/customers?limit=50&q=${encodeURIComponent('宏达精工')}`,
    raw: fts('宏达精工'),
  },
  {
    name: 'search partial archive code',
    url: `/api/customers?limit=50&q=${code.slice(-6)}`,
    raw: fts(code.slice(-6)),
  },
  {
    name: 'search phone number',
    url: `/api/customers?limit=50&q=${String(10000000 + mid).slice(-8)}`,
    raw: fts(String(10000000 + mid).slice(-8)),
  },
  {
    name: 'count with filter',
    url: `/api/customers/count?region=${encodeURIComponent('深圳')}`,
    raw: sql`select count(*) from customers where region = ${'深圳'}`,
  },
];

const results: Record<string, unknown>[] = [];
console.log(
  `\n${'query'.padEnd(34)} ${'HTTP p50'.padStart(9)} ${'HTTP p95'.padStart(9)} ${'DB p50'.padStart(8)} ${'DB p95'.padStart(8)}  ratio p95`,
);
for (const c of cases) {
  const http: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    http.push(
      await time(async () => {
        const res = await clerk.get(c.url);
        if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
      }),
    );
    raw.push(await time(() => c.raw.execute(database.db)));
  }
  const h = stats(http);
  const d = stats(raw);
  results.push({ query: c.name, http: h, db: d, ratioP95: h.p95 / d.p95 });
  console.log(
    `${c.name.padEnd(34)} ${h.p50.toFixed(1).padStart(7)}ms ${h.p95.toFixed(1).padStart(7)}ms ${d.p50.toFixed(1).padStart(6)}ms ${d.p95.toFixed(1).padStart(6)}ms  ${(h.p95 / d.p95).toFixed(1)}×`,
  );
}

fs.mkdirSync('bench/out', { recursive: true });
const out = `bench/out/customers-${database.dialect}-${N}.json`;
fs.writeFileSync(
  out,
  JSON.stringify(
    {
      customers: N,
      dialect: database.dialect,
      importRowsPerSecond: Math.round(importRate),
      importCpuMicrosecondsPerRow: Math.round((cpuSeconds / N) * 1e6),
      importWrittenGigabytes: Number.isFinite(writtenGb) ? Number(writtenGb.toFixed(2)) : null,
      loadAverage: os.loadavg(),
      anonymousResidentMb: {
        beforeUpload: mb(rssBefore),
        queued: mb(rssQueued),
        peakDuringImport: mb(rssPeak),
      },
      queries: results,
      at: new Date().toISOString(),
    },
    null,
    2,
  ),
);
console.log(`\nwritten to ${out}`);
await app.close();
await database.close();
if (args.keep) {
  console.log(`kept the data in ${scratch?.url ?? dataDir}`);
} else {
  await scratch?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
