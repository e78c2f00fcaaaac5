import type { LightMyRequestResponse } from 'fastify';
import type { Role as UserRole } from '../../src/common/enums.js';
import { createDepartment } from '../../src/server/modules/org/service.js';
import { hashPassword } from '../../src/server/platform/auth.js';
import { drainJobs } from '../../src/server/platform/jobs.js';
import { PASSWORD, seedUser, signIn, type TestApp } from '../../src/server/test-support/app.js';
import { CONTRACT_PDF, uploadFile } from '../../src/server/test-support/documents.js';
import { type Fingerprint, type Fingerprinter, fingerprinter } from './fingerprint.js';
import { describeRequest, excerpt, type FuzzRequest, type Role } from './requests.js';

type Caller = Exclude<Role, 'anon'>;
const CALLERS: Caller[] = ['admin', 'low', 'archivist'];

import type { Pool } from './schema.js';

// The seeded company the fuzzer works on, the three callers, and the checks made on every
// response. The callers are kept usable: a fuzzed request may sign one out, lock, deactivate or
// demote them, or reset their password; they are then put back directly in the database (outside
// the audited API, as a test fixture) and signed in again, so every operation meets all three.

interface Person {
  login: string;
  roles: UserRole[];
  clearance: number;
  departmentId: string | null;
}

interface Session {
  cookie: string;
  csrf: string;
}

/** Headers @fastify/helmet sets; every response must carry them, errors included. */
export const SECURITY_HEADERS = [
  'x-content-type-options',
  'x-frame-options',
  'content-security-policy',
  'referrer-policy',
  'cross-origin-resource-policy',
];

const POOL_TABLES = [
  'departments',
  'users',
  'customers',
  'contacts',
  'interactions',
  'customer_grants',
  'custom_fields',
  'documents',
  'document_files',
  'document_versions',
  'document_copies',
  'holds',
  'appraisals',
  'appraisal_items',
  'disposals',
  'disposal_items',
  'access_requests',
  'loans',
  'jobs',
  'notifications',
  'integrity_reports',
  'api_tokens',
  'cases',
  'case_files',
  'corrective_actions',
  'visit_tasks',
  'orders',
] as const;

export class Harness {
  private sessions = new Map<Role, Session | null>();
  private last: Fingerprint | null = null;
  readonly people: Record<Caller, Person>;

  private constructor(
    readonly t: TestApp,
    private readonly fp: Fingerprinter,
    people: Record<Caller, Person>,
  ) {
    this.people = people;
  }

  /**
   * Two departments; the callers — an administrator, a low-clearance staff member (`low`) and an
   * archivist (business routes are closed to the administrator) — a department manager and a
   * general manager; the low caller's customer archive with a contact and
   * a document with a PDF; a hold on the document and the manager's access request for it.
   */
  static async seed(t: TestApp): Promise<Harness> {
    const dept = (name: string) =>
      createDepartment(t.system, { name, code: null, parentId: null, sortOrder: 0 }).then((d) => d.id);
    const sales = await dept('销售部');
    const quality = await dept('品质部');
    const low = await seedUser(t, 'fuzzlow', ['staff'], { departmentId: sales, clearance: 'normal' });
    await seedUser(t, 'fuzzmgr', ['department_manager'], { departmentId: quality, clearance: 'secret' });
    await seedUser(t, 'fuzzarch', ['archivist'], { departmentId: quality, clearance: 'confidential' });
    // Requests across departments go to the general manager, who must be there to decide them.
    await seedUser(t, 'fuzzgm', ['general_manager'], { departmentId: quality, clearance: 'top_secret' });
    const admin = await signIn(t.app, 'admin');
    const lowClient = await signIn(t.app, 'fuzzlow');
    const manager = await signIn(t.app, 'fuzzmgr');
    const archivist = await signIn(t.app, 'fuzzarch');
    const expectStatus = (res: LightMyRequestResponse, status: number, what: string) => {
      if (res.statusCode !== status) throw new Error(`fixture: ${what} gave ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const customer = expectStatus(
      await lowClient.post('/api/customers', {
        name: '深圳华星电子有限公司',
        category: 'general',
        kind: 'business',
        departmentId: sales,
        ownerIds: [low.id],
        contacts: [{ name: '王经理', mobile: '013800138000', isPrimary: true }],
      }),
      201,
      'customer',
    );
    const document = expectStatus(
      await lowClient.post('/api/documents', {
        title: '质量保证协议',
        category: 'customer_supplied',
        customerId: customer.id,
        carrier: 'electronic',
        issueDate: '2026-02-20',
      }),
      201,
      'document',
    );
    expectStatus(await uploadFile(lowClient, document.id, '质量保证协议.pdf', CONTRACT_PDF), 201, 'upload');
    expectStatus(
      await archivist.post('/api/holds', {
        targetType: 'document',
        targetId: document.id,
        kind: 'audit',
        reason: '年度审核',
      }),
      201,
      'hold',
    );
    expectStatus(
      await manager.post('/api/access-requests', {
        mode: 'electronic',
        purpose: 'read',
        reason: '客户审核需要',
        items: [{ targetType: 'document', targetId: document.id }],
      }),
      201,
      'access request',
    );
    // A complaint on the low caller's archive, with an attachment and a corrective action.
    const complaint = expectStatus(
      await lowClient.post('/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId: customer.id,
        channel: 'phone',
        content: '支架孔位偏移',
      }),
      201,
      'case',
    );
    expectStatus(
      await lowClient.inject({
        method: 'POST',
        url: `/api/cases/${complaint.id}/files?name=${encodeURIComponent('照片.pdf')}`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: CONTRACT_PDF,
      }),
      201,
      'case file',
    );
    // Two visit tasks on the low caller's archive: one to do, one done.
    for (const done of [false, true]) {
      const visit = expectStatus(
        await lowClient.post('/api/visits', {
          customerId: customer.id,
          dueDate: '2026-12-01',
          way: 'phone',
          note: '年度回访',
        }),
        201,
        'visit',
      );
      if (done)
        expectStatus(
          await lowClient.post(`/api/visits/${visit.id}/complete`, {
            way: 'phone',
            visitedOn: '2026-03-02',
            content: '电话回访',
          }),
          200,
          'visit done',
        );
    }
    // An order on the low caller's archive, a draft (no department carries the review codes here).
    expectStatus(
      await lowClient.post('/api/orders', {
        customerId: customer.id,
        customerPo: 'PO-FUZZ-1',
        kind: 'order',
        receivedVia: 'email',
        receivedOn: '2026-03-02',
        lines: [
          {
            partNumber: 'FZ-1',
            product: '支架',
            quantity: '100',
            unit: '件',
            unitPrice: '1.25',
            requestedOn: '2026-06-01',
          },
        ],
      }),
      201,
      'order',
    );
    await drainJobs();
    const person = async (login: string): Promise<Person> => {
      const row = await t.database.db
        .selectFrom('users')
        .select(['id', 'clearance', 'department_id'])
        .where('login', '=', login)
        .executeTakeFirstOrThrow();
      const roles = await t.database.db
        .selectFrom('user_roles')
        .select('role')
        .where('user_id', '=', row.id)
        .execute();
      return {
        login,
        roles: roles.map((r) => r.role as UserRole).sort(),
        clearance: row.clearance,
        departmentId: row.department_id,
      };
    };
    const h = new Harness(t, await fingerprinter(t), {
      admin: await person('admin'),
      low: await person('fuzzlow'),
      archivist: await person('fuzzarch'),
    });
    h.sessions.set('admin', { cookie: admin.cookie, csrf: admin.csrf });
    h.sessions.set('low', { cookie: lowClient.cookie, csrf: lowClient.csrf });
    h.sessions.set('archivist', { cookie: archivist.cookie, csrf: archivist.csrf });
    return h;
  }

  /** Real ids to put into paths and bodies: the newest few of every kind of record. */
  async pool(): Promise<Pool> {
    const ids: Record<string, string[]> = {};
    for (const table of POOL_TABLES) {
      const rows = await this.t.database.db
        .selectFrom(table)
        .select('id')
        .orderBy('id', 'desc')
        .limit(3)
        .execute();
      ids[table] = rows.map((r) => String(r.id));
    }
    return { ids, logins: ['admin', 'fuzzlow', 'fuzzmgr', 'fuzzarch'], password: PASSWORD };
  }

  /** Puts a caller back as seeded (active, roles, clearance, password) and signs it in. */
  private async restore(role: Caller): Promise<void> {
    const p = this.people[role];
    const db = this.t.database.db;
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', p.login)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('users')
      .set({
        active: 1,
        must_change_password: 0,
        failed_logins: 0,
        locked_until: null,
        clearance: p.clearance,
        department_id: p.departmentId,
        password_hash: await hashPassword(PASSWORD),
      })
      .where('id', '=', user.id)
      .execute();
    await db.deleteFrom('user_roles').where('user_id', '=', user.id).execute();
    await db
      .insertInto('user_roles')
      .values(p.roles.map((r) => ({ user_id: user.id, role: r })))
      .execute();
    const client = await signIn(this.t.app, p.login);
    this.sessions.set(role, { cookie: client.cookie, csrf: client.csrf });
  }

  /** Whether the caller's session still works with its seeded powers. */
  private async healthy(role: Caller): Promise<boolean> {
    const s = this.sessions.get(role);
    if (!s) return false;
    const res = await this.t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { kedang_session: s.cookie },
    });
    if (res.statusCode !== 200) return false;
    const me = (res.json() as { user: { roles: string[]; mustChangePassword: boolean } }).user;
    return !me.mustChangePassword && [...me.roles].sort().join() === this.people[role].roles.join();
  }

  /** Before each operation: both callers signed in and as seeded; the fingerprint taken anew. */
  async ready(): Promise<void> {
    await drainJobs();
    for (const role of CALLERS) if (!(await this.healthy(role))) await this.restore(role);
    this.last = await this.fp.take();
  }

  /** Sends one request and checks the response; throws a readable error on any violation. */
  async check(req: FuzzRequest): Promise<void> {
    if (req.role !== 'anon' && this.sessions.get(req.role) === null) {
      await this.restore(req.role);
      this.last = await this.fp.take();
    }
    const before = this.last ?? (await this.fp.take());
    this.t.clock.advance(1000);
    const session = req.role === 'anon' ? undefined : this.sessions.get(req.role);
    const started = Date.now();
    const res = await this.t.app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: {
        ...req.headers,
        ...(session && !req.dropCsrf ? { 'x-csrf-token': session.csrf } : {}),
      },
      ...(session ? { cookies: { kedang_session: session.cookie } } : {}),
      ...(req.payload === undefined ? {} : { payload: req.payload }),
    });
    await drainJobs();
    const after = await this.fp.take();
    this.last = after;
    if (process.env.FUZZ_VERBOSE)
      console.log(
        `${res.statusCode} ${Date.now() - started}ms ${describeRequest(req).split('\n')[0]} [${req.body}]` +
          (res.statusCode >= 400 ? ` → ${res.body.slice(0, 300)}` : ''),
      );
    const problems: string[] = [];
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode >= 500) problems.push(`status ${res.statusCode}`);
    if (res.statusCode >= 400) {
      if (!type.startsWith('application/problem+json'))
        problems.push(`error content-type ${type || '(none)'}`);
      else {
        const body = safeJson(res.body) as { code?: unknown; status?: unknown } | null;
        if (typeof body?.code !== 'string') problems.push('problem without a code');
        else if (body.status !== res.statusCode)
          problems.push(`problem status ${body.status} ≠ ${res.statusCode}`);
      }
      if (/\bat \S+:\d+|select .* from|SQLITE_|syntax error/i.test(res.body))
        problems.push('internals in the body');
    }
    const missing = SECURITY_HEADERS.filter((h) => res.headers[h] === undefined);
    if (missing.length) problems.push(`missing headers: ${missing.join(', ')}`);
    problems.push(...(await this.fp.brokenAudit(before)));
    if (res.statusCode >= 400 && res.statusCode < 500) {
      const written = await this.fp.unexpected(before, after);
      if (written.length) problems.push(`wrote on a ${res.statusCode}:\n    ${written.join('\n    ')}`);
    }
    // A caller signed out, locked or demoted by this request is put back before the next one.
    const caller = req.role === 'anon' ? null : req.role;
    if (caller && (res.statusCode === 401 || res.statusCode === 403 || req.url.startsWith('/api/auth/')))
      if (!(await this.healthy(caller))) this.sessions.set(caller, null);
    if (problems.length)
      throw new Error(
        `${problems.join('; ')}\n  request: ${describeRequest(req)}\n  response: ${res.statusCode} ${type}\n  ${excerpt(res.body, 600)}`,
      );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
