import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, seedUser, signIn, type TestApp } from '../test-support/app.js';
import { CONTRACT_PDF, uploadFile } from '../test-support/documents.js';

// Nothing the API answers may be kept by a browser, a proxy or a shared computer's cache: record
// data, errors, downloads and exports all carry `Cache-Control: no-store`. The web app's own
// files keep their caching (content-hashed assets for a year, index.html revalidated).

describe('Cache-Control: no-store on every API response', () => {
  let t: TestApp;
  let admin: Client;
  let webDir: string;
  let documentPath: string;

  beforeAll(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-web-'));
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>客档</title>');
    fs.writeFileSync(path.join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await createTestApp({ webDir });
    admin = await signIn(t.app, 'admin');
    await seedUser(t, 'keeper', ['archivist']);
    const keeper = await signIn(t.app, 'keeper');
    const id = (await keeper.post('/api/documents', { title: '合同', category: 'records' })).json().id;
    const file = await uploadFile(keeper, id, '合同.pdf', CONTRACT_PDF);
    expect(file.statusCode).toBe(201);
    documentPath = `/api/documents/${id}/files/${file.json().id}/content`;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  const api: [string, (c: Client) => Promise<{ statusCode: number; headers: Record<string, unknown> }>][] = [
    ['a public route', () => t.app.inject({ method: 'GET', url: '/api/health' })],
    ['the OpenAPI document', () => t.app.inject({ method: 'GET', url: '/api/openapi.json' })],
    ['a JSON answer', (c) => c.get('/api/auth/me')],
    ['a list', (c) => c.get('/api/users')],
    [
      'a failed sign-in (401)',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { login: 'admin', password: 'wrong-password-1' },
        } as InjectOptions),
    ],
    ['no session (401)', () => t.app.inject({ method: 'GET', url: '/api/auth/me' })],
    ['a validation error (400)', (c) => c.get('/api/users?limit=0')],
    ['an unknown record (404)', (c) => c.get('/api/users/01a24d1d-0000-7000-8000-000000000000')],
    ['an unknown API route (404)', (c) => c.get('/api/no-such-thing')],
    ['a write', (c) => c.post('/api/departments', { name: '质量部' })],
    ['an Excel export', (c) => c.get('/api/customers/export.xlsx')],
    ['the audit export', (c) => c.get('/api/audit/export.xlsx')],
    ['a file download', () => signIn(t.app, 'keeper').then((k) => k.get(documentPath))],
    ['a file preview', () => signIn(t.app, 'keeper').then((k) => k.get(`${documentPath}?inline=true`))],
  ];

  for (const [name, call] of api) {
    it(`${name}`, async () => {
      const res = await call(admin);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(String(res.headers['cache-control']), name).toContain('no-store');
    });
  }

  it('leaves the web app’s own caching alone', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/customers/123']) {
      const page = await t.app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
  });
});
