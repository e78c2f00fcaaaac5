// What the benchmarks written straight into the database share: a seeded generator, timing and
// percentiles, the app on a scratch SQLite folder or PostgreSQL database, the departments with
// their people, customer archive rows, and the measuring loop that prints HTTP p50/p95 next to
// the plain query and writes bench/out/<name>-<db>-<n>.json. (bench/orders.ts uses it; the older
// benchmarks still carry their own copies.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import type { CustomerTable } from '../src/server/db/types.js';
import { createDepartment, createUser } from '../src/server/modules/org/service.js';
import { SYSTEM_ACTOR } from '../src/server/platform/context.js';
import { createPgDatabase, type signIn } from '../src/server/test-support/app.js';

export const PASSWORD = 'Bench-pass-2026';
export const DAY = 24 * 3_600_000;

/** A seeded generator: the same data every run. */
export function generator(start: number) {
  let seed = start;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  /** Picks by weight: [[value, weight], …]. */
  const weighted = <T>(choices: readonly [T, number][]): T => {
    let total = 0;
    for (const [, w] of choices) total += w;
    let x = random() * total;
    for (const [v, w] of choices) {
      x -= w;
      if (x < 0) return v;
    }
    return (choices.at(-1) as [T, number])[0];
  };
  return { random, pick, weighted };
}

export function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
  return { p50: at(50), p95: at(95) };
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The app on a scratch database: a SQLite folder (kept and measured again when `data` names
 * one that holds a database) or a scratch database on the PostgreSQL server `pg`. */
export async function openBench(name: string, opts: { pg?: string; data?: string }) {
  const dataDir = opts.data ?? fs.mkdtempSync(path.join(os.tmpdir(), `kedang-bench-${name}-`));
  fs.mkdirSync(dataDir, { recursive: true });
  const reuse = !opts.pg && fs.existsSync(path.join(dataDir, 'kedang.db'));
  const scratch = opts.pg ? await createPgDatabase(opts.pg) : undefined;
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: scratch?.url,
    webDir: undefined,
    logLevel: 'silent',
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
  const close = async (keep: boolean) => {
    await app.close();
    await database.close();
    if (keep || opts.data) {
      console.log(`kept the data in ${scratch?.url ?? dataDir}`);
    } else {
      await scratch?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
  return { app, database, db: database.db, system, dataDir, reuse, close };
}
export type Bench = Awaited<ReturnType<typeof openBench>>;

/** Departments ([name, code, weight]) with `people` 普通 staff each (login code0, code1, …). */
export async function departmentsWithStaff(
  bench: Bench,
  list: readonly (readonly [string, string, number])[],
  people = 2,
) {
  const out: { id: string; code: string; weight: number; staff: string[] }[] = [];
  for (const [i, [name, code, weight]] of list.entries()) {
    const dept = await createDepartment(bench.system, { name, code, parentId: null, sortOrder: i });
    const staff: string[] = [];
    for (let h = 0; h < people; h++) {
      const { user } = await createUser(bench.system, {
        login: `${code.toLowerCase()}${h}`,
        name: `${name}员工${h + 1}`,
        email: null,
        phone: null,
        departmentId: dept.id,
        roles: ['staff'],
        clearance: 'normal',
        password: PASSWORD,
        mustChangePassword: false,
      });
      staff.push(user.id);
    }
    out.push({ id: dept.id, code, weight, staff });
  }
  return out;
}

/** A user who signs in as `login` with PASSWORD. */
export async function benchUser(
  bench: Bench,
  login: string,
  name: string,
  departmentId: string,
  roles: string[],
  clearance: 'normal' | 'secret' | 'confidential' | 'top_secret',
) {
  const { user } = await createUser(bench.system, {
    login,
    name,
    email: null,
    phone: null,
    departmentId,
    roles: roles as never,
    clearance,
    password: PASSWORD,
    mustChangePassword: false,
  });
  return user.id;
}

/** A filed customer archive row as the archive module would have left it. */
export function customerRow(
  i: number,
  name: string,
  departmentId: string,
  secrecy: number,
  atIso: string,
): CustomerTable {
  return {
    id: `bench-c-${String(i).padStart(6, '0')}`,
    search_key: i + 1,
    archive_code: `KH${String(i + 1).padStart(7, '0')}`,
    name,
    name_norm: name,
    credit_code: null,
    category: 'general',
    kind: 'business',
    nature: null,
    legal_representative: null,
    registered_address: null,
    phone: null,
    email: null,
    website: null,
    industry: null,
    region: null,
    business_scope: null,
    registered_capital: null,
    staff_count: null,
    source: null,
    grade: null,
    credit_class: null,
    department_id: departmentId,
    secrecy,
    status: 'filed',
    first_contact_date: '2022-01-01',
    filing_due_date: '2022-02-01',
    filed_at: atIso,
    first_purchase_date: null,
    custom_fields: '{}',
    merged_into_id: null,
    created_at: atIso,
    created_by: SYSTEM_ACTOR.id,
    updated_at: atIso,
    updated_by: SYSTEM_ACTOR.id,
  };
}

type Client = Awaited<ReturnType<typeof signIn>>;
export interface Measured {
  name: string;
  url: string;
  raw: () => Promise<unknown>;
  /** A file (export): its size is reported instead of its items. */
  body?: boolean;
}

/** Each query through HTTP as each reader (one warm-up, then `samples`), and the plain query
 * (measured with the first reader, or with the one reader chosen). Prints a table. */
export async function measure(
  readers: readonly (readonly [string, Client])[],
  queries: Measured[],
  opts: { samples: number; only?: string; reader?: string },
) {
  const results: Record<string, unknown>[] = [];
  console.log(
    `\n${'reader'.padEnd(6)} ${'query'.padEnd(34)} ${'HTTP p50'.padStart(9)} ${'HTTP p95'.padStart(9)} ${'DB p50'.padStart(8)} ${'DB p95'.padStart(8)}  ratio p95`,
  );
  const first = readers[0]?.[0];
  for (const [who, client] of readers) {
    if (opts.reader && opts.reader !== who) continue;
    const measuresRaw = who === first || Boolean(opts.reader);
    for (const c of queries.filter((x) => !opts.only || x.name.includes(opts.only as string))) {
      const httpMs: number[] = [];
      const rawMs: number[] = [];
      let bytes = 0;
      let items = 0;
      await client.get(c.url);
      for (let i = 0; i < opts.samples; i++) {
        httpMs.push(
          await time(async () => {
            const res = await client.get(c.url);
            if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
            bytes = res.rawPayload.length;
            if (!c.body) {
              const json = res.json() as { items?: unknown[] } & Record<string, unknown>;
              items =
                json.items?.length ??
                Object.values(json).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
            }
          }),
        );
        if (measuresRaw) rawMs.push(await time(c.raw));
      }
      const h = stats(httpMs);
      const d = measuresRaw
        ? stats(rawMs)
        : (results.find((x) => x.query === c.name && x.reader === first)?.db as ReturnType<typeof stats>);
      results.push({
        reader: who,
        query: c.name,
        url: c.url,
        http: h,
        db: d,
        ratioP95: h.p95 / d.p95,
        items,
        bytes,
      });
      console.log(
        `${who.padEnd(6)} ${c.name.padEnd(34)} ${h.p50.toFixed(1).padStart(7)}ms ${h.p95.toFixed(1).padStart(7)}ms ${d.p50.toFixed(1).padStart(6)}ms ${d.p95.toFixed(1).padStart(6)}ms  ${(h.p95 / d.p95).toFixed(1)}×  (${c.body ? `${(bytes / 1048576).toFixed(1)} MB` : `${items.toLocaleString()}`})`,
      );
    }
  }
  return results;
}

/** bench/out/<name>-<dialect>-<n>.json with the machine's load next to the numbers. */
export function writeResults(bench: Bench, name: string, n: number, extra: Record<string, unknown>) {
  fs.mkdirSync('bench/out', { recursive: true });
  const out = `bench/out/${name}-${bench.database.dialect}-${n}.json`;
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        dialect: bench.database.dialect,
        ...extra,
        databaseBytes:
          bench.database.dialect === 'sqlite'
            ? fs.statSync(path.join(bench.dataDir, 'kedang.db'), { throwIfNoEntry: false })?.size
            : null,
        loadAverage: os.loadavg(),
        cpu: os.cpus()[0]?.model,
        at: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten to ${out}`);
}
