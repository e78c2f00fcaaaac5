import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';

type Json = Record<string, unknown>;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The customer's signed authorisation, sent as the web app sends it: the file as the body. */
function attach(as: Client, id: string, query: Record<string, string>, body: Buffer = CONTRACT_PDF) {
  return as.inject({
    method: 'POST',
    url: `/api/documents/${id}/authorization?${new URLSearchParams(query)}`,
    payload: body,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

describe('documents: a customer document used for production needs its signed authorisation (R-D5)', () => {
  const app = companyApp();
  let customerId: string;
  let drawing: string;
  let reference: string;
  beforeAll(async () => {
    const { co } = app;
    customerId = (
      await co.as.sales1.post('/api/customers', {
        name: '深圳华星电子有限公司',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    const register = async (title: string, productionUse: boolean) => {
      const res = await co.as.sales1.post('/api/documents', {
        title,
        source: 'customer',
        category: 'customer_supplied',
        customerId,
        versionLabel: 'A/0',
        productionUse,
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      expect((await uploadFile(co.as.sales1, id, '图纸.pdf', CONTRACT_PDF)).statusCode).toBe(201);
      return id;
    };
    drawing = await register('产品图纸 HX-100', true);
    reference = await register('产品样本 HX-100', false);
  });

  it('marks only customer documents as used for production or inspection', async () => {
    const { co } = app;
    const doc = (await co.as.sales1.get(`/api/documents/${drawing}`)).json();
    expect(doc).toMatchObject({
      productionUse: true,
      customerAuthorization: null,
      authorizationMissing: ['file', 'signatory', 'date'],
    });
    const internal = await co.as.qa1.post('/api/documents', {
      title: '作业指导书',
      category: 'records',
      productionUse: true,
    });
    expect(internal.statusCode).toBe(422);
    expect(internal.json()).toMatchObject({
      code: 'production_use_customer_only',
      title: '只有客户提供的文件才能标为“用于生产/检验”',
    });
  });

  it('refuses a controlled copy without the authorisation, naming what is missing, and stores nothing', async () => {
    const { co } = app;
    const body = { mark: 'controlled', recipients: [{ departmentId: co.quality }] };
    const refused = await co.as.archivist.post(`/api/documents/${drawing}/copies`, body);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'customer_authorization_missing',
      title:
        '该客户文件用于生产/检验，须附上客户签字授权后才能发放受控副本；尚缺：客户签字授权文件、授权签字人、授权日期',
    });
    const english = await co.as.archivist.inject({
      method: 'POST',
      url: `/api/documents/${drawing}/copies`,
      payload: body,
      headers: { 'accept-language': 'en' },
    });
    expect(english.json().title).toContain('missing: the signed authorisation file, the signatory, the date');
    // A signatory and date typed in the form are not the signed paper itself.
    const patched = await co.as.sales1.patch(`/api/documents/${drawing}`, {
      customerAuthorizedBy: '华星 质量部 李工',
      customerAuthorizedOn: '2026-02-20',
    });
    expect(patched.json().authorizationMissing).toEqual(['file']);
    const still = await co.as.archivist.post(`/api/documents/${drawing}/copies`, body);
    expect(still.statusCode).toBe(409);
    expect(still.json().title).toMatch(/尚缺：客户签字授权文件$/);
    expect((await co.as.archivist.get(`/api/documents/${drawing}/copies`)).json()).toEqual([]);
    // A reference copy, and a controlled copy of a document not used for production, go out.
    const info = await co.as.archivist.post(`/api/documents/${drawing}/copies`, {
      ...body,
      mark: 'reference',
    });
    expect(info.statusCode).toBe(201);
    const sample = await co.as.archivist.post(`/api/documents/${reference}/copies`, body);
    expect(sample.statusCode).toBe(201);
  });

  it('lets the archivist attach the signed authorisation, then issues the controlled copy', async () => {
    const { co } = app;
    const query = { name: '客户授权书.pdf', signedBy: '华星 质量部 李工', signedOn: '2026-02-25' };
    expect((await attach(co.as.sales1, drawing, query)).statusCode).toBe(403);
    // A signed paper: a PDF or a scan, not a web page.
    const html = await attach(
      co.as.archivist,
      drawing,
      query,
      Buffer.from('<!doctype html><html><body>授权</body></html>'),
    );
    expect(html.statusCode).toBe(422);
    expect(html.json()).toMatchObject({
      code: 'authorization_type',
      title: '客户签字授权须为 PDF 或扫描图片（PNG、JPEG）',
    });
    const bad = await attach(co.as.archivist, drawing, { ...query, signedOn: '2026-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      field: 'querystring.signedOn',
      message: '日期格式应为 YYYY-MM-DD，且须是有效日期',
    });
    const res = await attach(co.as.archivist, drawing, query);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      customerAuthorizedBy: '华星 质量部 李工',
      customerAuthorizedOn: '2026-02-25',
      customerAuthorization: { name: '客户授权书.pdf', sha256: sha256(CONTRACT_PDF) },
      authorizationMissing: [],
    });
    const copy = await co.as.archivist.post(`/api/documents/${drawing}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: co.quality }],
    });
    expect(copy.statusCode, copy.body).toBe(201);
    expect(copy.json()[0]).toMatchObject({ mark: 'controlled', copyNo: 2 });
    // Whoever sees the document reads the signed paper; the read is audited.
    const file = await co.as.sales1.get(`/api/documents/${drawing}/authorization/content`);
    expect(file.statusCode).toBe(200);
    expect(sha256(file.rawPayload)).toBe(sha256(CONTRACT_PDF));
    expect((await co.as.qa1.get(`/api/documents/${drawing}/authorization/content`)).statusCode).toBe(404);
    const events = (await co.as.sales1.get(`/api/documents/${drawing}/events`)).json() as Json[];
    expect(events.find((e) => e.kind === 'authorize')).toMatchObject({
      actorName: 'archivist',
      details: { name: '客户授权书.pdf', signedBy: '华星 质量部 李工', signedOn: '2026-02-25' },
    });
    const audit = (await co.as.admin.get('/api/audit?action=document.authorization')).json().items as Json[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: drawing });
    const reads = (await co.as.admin.get('/api/audit?action=document.authorization_read')).json()
      .items as Json[];
    expect(reads).toHaveLength(1);
  });
});
