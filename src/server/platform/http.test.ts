import { STATUS_CODES } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import {
  type Client,
  createTestApp,
  seedUser,
  signIn,
  type TestApp,
  tableCounts,
} from '../test-support/app.js';

describe('bad input is refused with problem+json and changes nothing', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp({}, (app) => {
      app.get('/api/test/boom', async () => {
        const err = new Error('relation "users" failed: select password_hash from users');
        throw err;
      });
    });
    admin = await signIn(t.app, 'admin');
  });
  afterAll(() => t.close());

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status,
      code,
      title: expect.any(String),
      type: `urn:kedang:error:${code}`,
    });
  };

  it('refuses a 10 MB JSON body with 413', async () => {
    const before = await tableCounts(t);
    const res = await admin.inject({
      method: 'POST',
      url: '/api/departments',
      payload: JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 413, 'body_too_large');
    expect(await tableCounts(t)).toEqual(before);
  });

  it('refuses malformed JSON, a wrong content type and unknown fields', async () => {
    const before = await tableCounts(t);
    const malformed = await admin.inject({
      method: 'POST',
      url: '/api/departments',
      payload: '{"name": "销售部",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(malformed, 400, 'malformed_json');
    const xml = await admin.inject({
      method: 'POST',
      url: '/api/departments',
      payload: '<name>x</name>',
      headers: { 'content-type': 'application/xml' },
    });
    expectProblem(xml, 415, 'unsupported_media_type');
    const extra = await admin.post('/api/departments', { name: '销售部', isAdmin: true });
    expectProblem(extra, 400, 'validation_failed');
    expect((extra.json() as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({ field: 'isAdmin', code: 'unknown_field', message: '不允许的字段：isAdmin' }),
    ]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('names each field with the wrong type', async () => {
    const res = await admin.post('/api/departments', { name: 42, sortOrder: 'first', parentId: ['a'] });
    expectProblem(res, 400, 'validation_failed');
    const errors = (res.json() as { errors: { field: string; message: string }[] }).errors;
    expect(errors.map((e) => e.field).sort()).toEqual(['name', 'parentId', 'sortOrder']);
    expect(errors.find((e) => e.field === 'sortOrder')?.message).toContain('期望 数字');
    const missing = await admin.post('/api/departments', {});
    expect((missing.json() as { errors: unknown[] }).errors).toEqual([
      { field: 'name', code: 'required', message: '此项为必填' },
    ]);
  });

  it('refuses SQL and HTML in names, and treats them as plain text in searches', async () => {
    const before = await tableCounts(t);
    for (const [name, code] of [
      ["x'; DROP TABLE users; --", 'plain_text'],
      ['<script>alert(1)</script>', 'plain_text'],
      // Control characters are refused before any schema, like everywhere else.
      ['销售部\u0000', 'ill_formed_text'],
    ]) {
      const res = await admin.post('/api/departments', { name });
      expectProblem(res, 400, 'validation_failed');
      expect((res.json() as { errors: { field: string; code: string }[] }).errors[0]).toMatchObject({
        field: 'name',
        code,
      });
    }
    const sqlLogin = await admin.post('/api/users', {
      login: "admin' --",
      name: '注入',
      departmentId: 'x',
      roles: ['staff'],
    });
    expectProblem(sqlLogin, 400, 'validation_failed');

    const search = await admin.get(`/api/users?q=${encodeURIComponent("' OR 1=1 --")}`);
    expect(search.statusCode).toBe(200);
    expect((search.json() as { items: unknown[] }).items).toEqual([]);
    const wildcard = await admin.get(`/api/users?q=${encodeURIComponent('%')}`);
    expect((wildcard.json() as { items: unknown[] }).items).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('answers unknown API routes with 404 problem+json, signed in or not', async () => {
    expectProblem(await admin.get('/api/no-such-thing'), 404, 'route_not_found');
    expectProblem(await t.app.inject({ method: 'DELETE', url: '/api/users' }), 404, 'route_not_found');
    expectProblem(await admin.get('/api/users/no-such-id'), 404, 'not_found');
  });

  it("answers Fastify's own errors (a malformed or overlong URL) with problem+json and the security headers", async () => {
    const cases: [string, number, string][] = [
      ['/api/customers/%E0%A4%A', 400, 'malformed_url'],
      ['/api/documents/%ED%A0%80/events', 400, 'malformed_url'],
      [`/api/users/${'x'.repeat(101)}`, 414, 'url_too_long'],
    ];
    for (const [url, status, code] of cases) {
      for (const res of [await admin.get(url), await t.app.inject({ method: 'POST', url })]) {
        expectProblem(res, status, code);
        expect(res.json().requestId).toMatch(/^[0-9a-f]{12}$/);
        for (const header of ['x-content-type-options', 'x-frame-options', 'content-security-policy'])
          expect(res.headers[header], `${header} on ${url}`).toBeDefined();
      }
    }
    const english = await t.app.inject({
      method: 'GET',
      url: '/api/customers/%E0%A4%A',
      headers: { 'accept-language': 'en' },
    });
    expect(english.json().title).toBe('The request URL is malformed');
    for (const res of [await admin.get(cases[0]?.[0] as string)])
      expect(res.headers['cache-control']).toBe('no-store');
  });

  it("answers what Node's HTTP parser refuses (a bad header byte, a huge request line) the same way", async () => {
    // These never reach Fastify's routing: a real socket is needed.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
        let data = '';
        socket.on('data', (chunk) => {
          data += chunk.toString('utf8');
        });
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
    const cases: [string, number, string][] = [
      ['GET /api/health HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u007fb\r\n\r\n', 400, 'malformed_request'],
      [`GET /api/customers?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'headers_too_large'],
    ];
    for (const [request, status, code] of cases) {
      const answer = await raw(request);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head.split('\r\n')[0], answer).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
      expect(head).toContain('content-type: application/problem+json');
      expect(head).toContain('cache-control: no-store');
      for (const header of ['x-content-type-options', 'x-frame-options', 'content-security-policy'])
        expect(head.toLowerCase(), header).toContain(`${header}:`);
      expect(JSON.parse(body)).toMatchObject({ status, code, title: expect.any(String) });
    }
  });

  it('speaks English when asked', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { 'accept-language': 'en' },
    });
    expect(res.json()).toMatchObject({ code: 'unauthenticated', title: 'Please sign in first' });
  });

  it('never shows stack traces or SQL, only a request id', async () => {
    const res = await admin.get('/api/test/boom');
    expectProblem(res, 500, 'internal_error');
    expect(res.body).not.toMatch(/select|password_hash|\s+at \S+:\d+|Error: /);
    expect((res.json() as { requestId: string }).requestId).toMatch(/^[0-9a-f]{12}$/);
    expect((res.json() as { title: string }).title).toContain(
      (res.json() as { requestId: string }).requestId,
    );
  });
});

describe('health and API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports ok with the database kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: t.database.dialect,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('answers 503 when the database cannot be reached', async () => {
    const database = openDatabase({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/unreachable',
      dataDir: t.dataDir,
    });
    const app = await buildApp({
      config: { ...loadConfig({}), webDir: undefined, logLevel: 'silent' },
      database,
      logger: false,
    });
    try {
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', database: 'postgres' });
      const api = await app.inject({ method: 'GET', url: '/api/users', cookies: { kedang_session: 'x' } });
      expect(api.statusCode).toBe(503);
      expect(api.json().code).toBe('database_unavailable');
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('publishes the OpenAPI document generated from the schemas, and its browser', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/users',
        '/api/auth/login',
        '/api/audit/verify',
        '/api/calendar/working-days',
      ]),
    );
    const createUser = spec.paths['/api/users'].post.requestBody.content['application/json'].schema;
    expect(createUser.required).toEqual(expect.arrayContaining(['login', 'name', 'departmentId', 'roles']));
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});

describe('every paged route checks its cursor by shape and type', () => {
  let t: TestApp;
  let callers: Client[];
  let customerId: string;
  let projectId: string;
  const campaignId = 'http-test-campaign';
  const forged = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
  const FORGED = [
    forged([{}, []]),
    forged([true, false]),
    forged([null, null]),
    forged([1e308, { a: 1 }]),
    forged(['x', 'y', 'z']),
    forged([]),
    forged({ a: 1 }),
    forged(['2026-03-02T01:00:00.000Z\u0000', 'x\u0000']),
    forged(['\ud800', '\ud800']),
    forged([12, 'x'.repeat(1000)]),
  ];

  beforeAll(async () => {
    t = await createTestApp();
    await seedUser(t, 'arch', ['archivist'], { clearance: 'top_secret' });
    const archivist = await signIn(t.app, 'arch');
    callers = [await signIn(t.app, 'admin'), archivist];
    const customer = await archivist.post('/api/customers', {
      name: '游标测试客户',
      category: 'general',
      kind: 'business',
    });
    expect(customer.statusCode, customer.body).toBe(201);
    customerId = customer.json().id;
    // A project of it, for its catalogue (项目档案).
    projectId = (
      await archivist.post(`/api/customers/${customerId}/projects`, { name: '游标项目', code: 'YB-1' })
    ).json().id;
    // A survey campaign, for the list of its invitations (written directly: one needs filed archives).
    // Quality runs surveys: it reads the forms and the campaign's invitations.
    await seedUser(t, 'quality', ['quality']);
    const quality = await signIn(t.app, 'quality');
    callers.push(quality);
    const forms = (await quality.get('/api/surveys/templates')).json().items as { id: string }[];
    const at = t.clock.now().toISOString();
    await t.database.db
      .insertInto('survey_campaigns')
      .values({
        id: campaignId,
        number: 'MY2026-99',
        name: '游标测试调查',
        template_id: forms[0]?.id as string,
        status: 'draft',
        filters: '{}',
        period_label: '2026',
        closes_on: '2026-12-31',
        remind_after_days: 0,
        low_index: 60,
        intro: null,
        created_at: at,
        created_by: null,
        sent_at: null,
        sent_by: null,
        closed_at: null,
        closed_by: null,
        updated_at: at,
      })
      .execute();
  });
  afterAll(() => t.close());

  it('answers 400 invalid_cursor, never 500, to a hand-made cursor on each of them', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    // Every GET with a cursor parameter, so that a new paged route is covered without listing it.
    const paged = Object.entries(spec.paths as Record<string, { get?: { parameters?: { name: string }[] } }>)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'cursor'))
      .map(([path]) => path.replace('/surveys/campaigns/{id}', `/surveys/campaigns/${campaignId}`))
      .map((path) => path.replace('/projects/{id}', `/projects/${projectId}`))
      .map((path) => path.replace('{id}', customerId));
    expect(paged.length).toBeGreaterThanOrEqual(15);
    // The customer list's cursor differs with the sort order.
    paged.push(
      ...['name', 'relevance', 'updatedAt', 'filingDueDate'].map(
        (sort) => `/api/customers?sort=${sort}&q=游标`,
      ),
      '/api/documents?sort=archiveNo',
      '/api/loans?state=returned',
    );
    const failures: string[] = [];
    for (const url of paged) {
      const caller = await (async () => {
        for (const c of callers) if ((await c.get(url)).statusCode === 200) return c;
        return null;
      })();
      expect(caller, `nobody may read ${url}`).not.toBeNull();
      for (const cursor of FORGED) {
        const res = await (caller as Client).get(`${url}${url.includes('?') ? '&' : '?'}cursor=${cursor}`);
        if (res.statusCode !== 400 || res.json().code !== 'invalid_cursor')
          failures.push(
            `${url} ${Buffer.from(cursor, 'base64url').toString().slice(0, 60)} → ${res.statusCode} ${res.json().code}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });
});
