import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Role, SecrecyLevel } from '../../common/enums.js';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../db/index.js';
import { createDepartment, createUser } from '../modules/org/service.js';
import { type Ctx, SYSTEM_ACTOR } from '../platform/context.js';

// A real application on a real database for each test file: a fresh SQLite file in a temp
// directory, or with KEDANG_TEST_DB=postgres a freshly created PostgreSQL database.

export const usesPostgres = process.env.KEDANG_TEST_DB === 'postgres';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const PASSWORD = 'Quiet-Harbor-Lamp-73';

export interface TestClock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start = '2026-03-02T01:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  clock: TestClock;
  dataDir: string;
  /** Env for running the CLI against this test's database. */
  env: NodeJS.ProcessEnv;
  system: Ctx;
  close(): Promise<void>;
}

/** A new, empty PostgreSQL database on the server of `serverUrl`, dropped by `drop()`. */
export async function createPgDatabase(
  serverUrl = TEST_DATABASE_URL,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kedang_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  // C.UTF-8 collation keeps Chinese text matching (trigrams) working.
  await admin.query(
    `CREATE DATABASE ${name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0`,
  );
  // A throwaway database need not wait for the disk at each commit; the suite runs faster.
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestApp(
  overrides: Partial<Config> = {},
  /** Extra routes for a test, registered before the app is ready. */
  configure?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-test-'));
  const pgDb = usesPostgres ? await createPgDatabase() : undefined;
  const config: Config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: pgDb?.url,
    webDir: undefined,
    logLevel: 'silent',
    loginRateLimit: 1000,
    ...overrides,
  };
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const clock = testClock();
  const app = await buildApp({ config, database, now: clock.now, logger: false });
  configure?.(app);
  await app.ready();
  const system: Ctx = {
    db: database.db,
    actor: SYSTEM_ACTOR,
    now: clock.now,
    requestId: null,
    ip: null,
    lang: 'zh',
  };
  await createUser(system, {
    login: 'admin',
    name: '管理员',
    email: null,
    phone: null,
    departmentId: null,
    roles: ['admin'],
    clearance: 'top_secret',
    password: PASSWORD,
    mustChangePassword: false,
  });
  return {
    app,
    database,
    config,
    clock,
    dataDir,
    system,
    env: { ...process.env, KEDANG_DATA_DIR: dataDir, DATABASE_URL: pgDb?.url ?? '' },
    close: async () => {
      await app.close();
      await database.close();
      await pgDb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A signed-in browser: sends the session cookie and the CSRF token on writes. */
export interface Client {
  login: string;
  cookie: string;
  csrf: string;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'kedang_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return c.value;
}

export async function signIn(app: FastifyInstance, login: string, password = PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login ${login} failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookie(res);
  const csrf = res.json().csrfToken as string;
  const inject = (opts: InjectOptions) =>
    app.inject({
      ...opts,
      cookies: { kedang_session: cookie, ...(opts.cookies ?? {}) },
      headers: { 'x-csrf-token': csrf, ...(opts.headers ?? {}) },
    });
  return {
    login,
    cookie,
    csrf,
    inject,
    get: (url, headers) => inject({ method: 'GET', url, headers: headers ?? {} }),
    post: (url, body) =>
      inject({ method: 'POST', url, ...(body === undefined ? {} : { payload: body as object }) }),
    patch: (url, body) => inject({ method: 'PATCH', url, payload: body as object }),
    put: (url, body) => inject({ method: 'PUT', url, payload: body as object }),
    delete: (url) => inject({ method: 'DELETE', url }),
  };
}

let deptCounter = 0;

/** Creates a department and a user in it directly through the services, ready to sign in. */
export async function seedUser(
  t: TestApp,
  login: string,
  roles: Role[],
  opts: { clearance?: SecrecyLevel; departmentId?: string; mustChangePassword?: boolean } = {},
): Promise<{ id: string; departmentId: string }> {
  const departmentId =
    opts.departmentId ??
    (
      await createDepartment(t.system, {
        name: `测试部门${++deptCounter}`,
        code: null,
        parentId: null,
        sortOrder: 0,
      })
    ).id;
  const { user } = await createUser(t.system, {
    login,
    name: login,
    email: null,
    phone: null,
    departmentId,
    roles,
    clearance: opts.clearance ?? 'normal',
    password: PASSWORD,
    mustChangePassword: opts.mustChangePassword ?? false,
  });
  return { id: user.id, departmentId };
}

/** Row counts of every table, to prove a refused request changed nothing. */
export async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = [
    'departments',
    'users',
    'user_roles',
    'sessions',
    'api_tokens',
    'audit_log',
    'counters',
    'calendar_overrides',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Empties the audit trail and sets its head back to the start, for tests of the chain itself. */
export async function resetAuditChain(t: TestApp): Promise<void> {
  await t.database.db.deleteFrom('audit_log').execute();
  await t.database.db
    .updateTable('audit_head')
    .set({ seq: 0, hash: '0'.repeat(64) })
    .execute();
}
