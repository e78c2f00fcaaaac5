import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createPgDatabase,
  createTestApp,
  PASSWORD,
  seedUser,
  signIn,
  type TestApp,
  usesPostgres,
} from '../test-support/app.js';
import { multipart } from '../test-support/sheets.js';
import { appendAudit, verifyChain } from './audit/chain.js';

// No ill-formed text enters the system (R-L1): a lone surrogate, NUL or another control
// character is refused with 400 naming its field, from whichever part of the request it
// comes; names refuse bidirectional controls. The audit chain stays verifiable whatever
// reaches it.

const run = promisify(execFile);

type Json = Record<string, unknown>;

async function dbCounts(t: TestApp) {
  const n = async (
    table: 'customers' | 'documents' | 'document_files' | 'api_tokens' | 'sessions' | 'users',
  ) =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    customers: await n('customers'),
    documents: await n('documents'),
    files: await n('document_files'),
    tokens: await n('api_tokens'),
    sessions: await n('sessions'),
    users: await n('users'),
  };
}

describe('the reproducer of issue 12 (R-L1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the reproducer: a lone surrogate in an anonymous sign-in is refused and the chain, check, backup and restore pass', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      // Written as JSON writes it: the escape, which JSON.parse turns into a lone surrogate.
      payload: '{"login":"\\ud800","password":"whatever1"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'login', code: 'ill_formed_text' })]);

    expect(await verifyChain(t.database.db)).toMatchObject({ ok: true });
    const kedang = (args: string[], env = t.env) =>
      run(process.execPath, ['bin/kedang.js', ...args], { env });
    expect((await kedang(['audit', 'verify'])).stdout).toContain('Audit chain intact');
    expect((await kedang(['check'])).stdout).toContain('Integrity check passed');
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-input-backup-'));
    const restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-input-restore-'));
    const target = usesPostgres ? await createPgDatabase() : undefined;
    try {
      fs.rmSync(backupDir, { recursive: true });
      expect((await kedang(['backup', backupDir])).stdout).toContain('read back and checked');
      const restored = await kedang(['restore', backupDir], {
        ...t.env,
        KEDANG_DATA_DIR: restoreDir,
        DATABASE_URL: target?.url ?? '',
      });
      expect(restored.stdout).toContain('Audit chain intact');
    } finally {
      await target?.drop();
      fs.rmSync(backupDir, { recursive: true, force: true });
      fs.rmSync(restoreDir, { recursive: true, force: true });
    }
  });
});

describe('ill-formed text is refused at the edge (R-L1)', () => {
  let t: TestApp;
  let admin: Client;
  let documentId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedUser(t, 'archivist1', ['archivist'], { clearance: 'top_secret' });
    // The archivist registers customers and documents; admin only manages users and tokens.
    admin = await signIn(t.app, 'archivist1');
    const doc = await admin.post('/api/documents', {
      title: '质量协议',
      category: 'records',
    });
    expect(doc.statusCode, doc.body).toBe(201);
    documentId = doc.json().id;
  });
  afterAll(() => t.close());

  // One case per part of a request a value can come from. Each must be refused naming the
  // field, and store nothing.
  const cases: {
    what: string;
    send: () => Promise<{ statusCode: number; json: () => Json }>;
    field: string;
    code?: string;
  }[] = [
    {
      what: 'JSON body: lone surrogate in a customer name',
      send: () =>
        admin.inject({
          method: 'POST',
          url: '/api/customers',
          headers: { 'content-type': 'application/json' },
          payload: '{"name":"上海\\udc00宝钢","category":"general","kind":"business"}',
        }),
      field: 'name',
    },
    {
      what: 'JSON body: NUL in an API token name',
      send: () => admin.post('/api/auth/tokens', { name: 'ERP\u0000接口' }),
      field: 'name',
    },
    {
      what: 'JSON body: escape character in a nested contact',
      send: () =>
        admin.post('/api/customers', {
          name: '苏州精密机械有限公司',
          category: 'general',
          kind: 'business',
          contacts: [{ name: '王\u001b[31m工', isPrimary: true }],
        }),
      field: 'contacts.0.name',
    },
    {
      what: 'JSON body: an object key with a lone surrogate',
      send: () =>
        admin.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: { 'content-type': 'application/json' },
          payload: '{"name":"ok","\\ud83d":1}',
        }),
      field: '(key)',
    },
    {
      what: 'query string: NUL in a file name',
      send: () =>
        admin.inject({
          method: 'POST',
          url: `/api/documents/${documentId}/files?name=${encodeURIComponent('a\u0000.pdf')}`,
          headers: { 'content-type': 'application/octet-stream' },
          payload: Buffer.from('%PDF-1.4\n'),
        }),
      field: 'querystring.name',
    },
    {
      what: 'query string: a C1 control character in a search',
      send: () => admin.get(`/api/customers?q=${encodeURIComponent('宝钢\u0085')}`),
      field: 'querystring.q',
    },
    {
      what: 'path: NUL in an id',
      send: () => admin.get('/api/customers/abc%00def'),
      field: 'params.id',
    },
    {
      what: 'multipart file name: a control character',
      send: () => {
        const { payload, headers } = multipart('合同\u0007.pdf', Buffer.from('%PDF-1.4\n'));
        return admin.inject({ method: 'POST', url: `/api/documents/${documentId}/files`, payload, headers });
      },
      field: 'file',
    },
    {
      what: 'multipart file name: a right-to-left override',
      send: () => {
        const { payload, headers } = multipart('invoice\u202Efdp.exe', Buffer.from('%PDF-1.4\n'));
        return admin.inject({ method: 'POST', url: `/api/documents/${documentId}/files`, payload, headers });
      },
      field: 'file',
      code: 'bidi_text',
    },
    {
      what: 'query file name: a right-to-left override',
      send: () =>
        admin.inject({
          method: 'POST',
          url: `/api/documents/${documentId}/files?name=${encodeURIComponent('invoice\u202Efdp.exe')}`,
          headers: { 'content-type': 'application/octet-stream' },
          payload: Buffer.from('%PDF-1.4\n'),
        }),
      field: 'querystring.name',
      code: 'bidi_text',
    },
    {
      what: 'header: a control character in the user agent of a sign-in',
      send: () =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'user-agent': 'Mozilla/5.0\u0001' },
          payload: { login: 'admin', password: PASSWORD },
        }),
      field: 'header.user-agent',
    },
    {
      what: 'names: a bidirectional isolate in a customer name',
      send: () =>
        admin.post('/api/customers', { name: '上海\u2067宝钢\u2069', category: 'general', kind: 'business' }),
      field: 'name',
      code: 'bidi_text',
    },
    {
      what: 'free text: an override in the remarks of a document, which would reverse what a reader sees',
      send: () =>
        admin.post('/api/documents', {
          title: '质量保证协议',
          category: 'records',
          remarks: '协议\u202E字制控',
        }),
      field: 'remarks',
      code: 'bidi_text',
    },
    {
      what: 'names: a line break in a document title',
      send: () => admin.post('/api/documents', { title: '图纸\r\n第二行', category: 'records' }),
      field: 'title',
      code: 'single_line',
    },
    {
      what: 'names: an override in a document title',
      send: () =>
        admin.post('/api/documents', {
          title: '图纸\u202E纸图',
          category: 'records',
        }),
      field: 'title',
      code: 'bidi_text',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.what}`, async () => {
      const before = await dbCounts(t);
      const res = await c.send();
      expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
      expect(res.json().errors).toEqual([
        expect.objectContaining({ field: c.field, code: c.code ?? 'ill_formed_text' }),
      ]);
      expect(await dbCounts(t)).toEqual(before);
      expect(await verifyChain(t.database.db)).toMatchObject({ ok: true });
    });
  }

  it('drops invisible characters from names, so that they make no look-alikes', async () => {
    const res = await admin.post('/api/customers', {
      name: '\ufeff宁波\u200b港务\u200d集团',
      category: 'general',
      kind: 'business',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe('宁波港务集团');
  });

  it('keeps the chain verifiable when ill-formed text reaches the audit trail from elsewhere', async () => {
    // Text from files, sheets or the network does not pass the HTTP check: the audit entry
    // stores and hashes its canonical form.
    await appendAudit(
      { ...t.system, ip: '10.0.0.1\u0000', requestId: 'r\udfff' },
      {
        action: 'test.ill_formed',
        targetType: 'document',
        targetId: documentId,
        targetLabel: '图纸\ud800\u0000A',
        actor: { id: null, login: 'x\udbff' },
        details: { name: 'a\ud800b\u0000' },
      },
    );
    expect(await verifyChain(t.database.db)).toMatchObject({ ok: true });
    const row = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'test.ill_formed')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      target_label: '图纸\ufffd\ufffdA',
      actor_login: 'x\ufffd',
      ip: '10.0.0.1\ufffd',
    });
  });
});
