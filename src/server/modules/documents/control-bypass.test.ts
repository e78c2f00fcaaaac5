import { describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';

// An edit of a record's metadata may not do what document control decides by its own step
// (issue 18): lower a record's effective level by moving it to a less secret archive, switch
// approval off by a change of category, mark a customer document for production while 受控
// copies are out without the customer's authorisation, or rewrite that authorisation's signatory.

type Json = Record<string, unknown>;

describe('documents: metadata edits cannot bypass document control', () => {
  const app = companyApp();
  const customer = async (name: string, secrecy: string) => {
    const res = await app.co.as.gm.post('/api/customers', {
      name,
      category: 'general',
      kind: 'business',
      secrecy,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const refused = (res: { statusCode: number; json: () => Json }, code: string, field: string) => {
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code, errors: [expect.objectContaining({ field })] });
  };

  it('a move into a less secret archive lowers the level: refused; into an equally secret one, allowed', async () => {
    const { as } = app.co;
    const secret1 = await customer('机密客户甲', 'confidential');
    const secret2 = await customer('机密客户乙', 'confidential');
    const plain = await customer('普通客户丙', 'normal');
    const doc = await as.gm.post('/api/documents', {
      title: '机密客户图纸',
      source: 'customer',
      category: 'customer_supplied',
      customerId: secret1,
    });
    expect(doc.statusCode, doc.body).toBe(201);
    const id = doc.json().id as string;
    const moved = await as.gm.patch(`/api/documents/${id}`, { customerId: plain });
    refused(moved, 'secrecy_move_needs_approval', 'customerId');
    expect(moved.json().title).toBe(
      '移入密级较低的客户档案会降低文件的密级，须先提出密级变更申请，经总经理批准',
    );
    expect((await as.gm.get(`/api/documents/${id}`)).json()).toMatchObject({
      customer: expect.objectContaining({ id: secret1 }),
      effectiveSecrecy: 'confidential',
    });
    const ok = await as.gm.patch(`/api/documents/${id}`, { customerId: secret2 });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('an internal document cannot move between a category with approval and one without', async () => {
    const { as } = app.co;
    const wi = await as.qa1.post('/api/documents', {
      title: '焊接作业指导书',
      category: 'procedures',
      versionLabel: 'A/0',
    });
    expect(wi.statusCode, wi.body).toBe(201);
    const id = wi.json().id as string;
    const moved = await as.qa1.patch(`/api/documents/${id}`, { category: 'records' });
    refused(moved, 'category_approval_switch', 'category');
    const record = await as.qa1.post('/api/documents', { title: '会议纪要', category: 'records' });
    const back = await as.qa1.patch(`/api/documents/${record.json().id}`, { category: 'procedures' });
    refused(back, 'category_approval_switch', 'category');
    expect((await as.qa1.get(`/api/documents/${id}`)).json()).toMatchObject({ category: 'procedures' });
  });

  it('keeps the register entry of a document whose new version is being signed as it was submitted', async () => {
    const { as } = app.co;
    const wi = await as.qa1.post('/api/documents', {
      title: '装配作业指导书',
      category: 'procedures',
      versionLabel: 'A/0',
    });
    const id = wi.json().id as string;
    expect((await uploadFile(as.qa1, id, '装配.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const versionId = ((await as.qa1.get(`/api/documents/${id}`)).json().versions as Json[])[0]?.id as string;
    expect((await as.qa1.post(`/api/documents/${id}/versions/${versionId}/submit`)).statusCode).toBe(200);
    const renamed = await as.qa1.patch(`/api/documents/${id}`, { title: '改过的标题' });
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json()).toMatchObject({
      code: 'approval_locked',
      title: '文件的新版本正在审批（待审核），登记信息须退回后才能修改',
    });
    expect((await as.qa1.patch(`/api/documents/${id}`, { remarks: '审批中补充说明' })).statusCode).toBe(200);
  });

  it('a customer document with 受控 copies out is marked for production only with the authorisation; its signatory comes with the file', async () => {
    const { as, ids } = app.co;
    const owner = await customer('华星电子', 'normal');
    const doc = await as.gm.post('/api/documents', {
      title: '来料检验图',
      source: 'customer',
      category: 'customer_supplied',
      customerId: owner,
      productionUse: false,
    });
    const id = doc.json().id as string;
    expect((await uploadFile(as.gm, id, '检验图.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.sales1 }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const marked = await as.gm.patch(`/api/documents/${id}`, { productionUse: true });
    refused(marked, 'production_use_copies_out', 'productionUse');
    expect((await as.gm.get(`/api/documents/${id}`)).json()).toMatchObject({ productionUse: false });
    // The authorisation is attached first (to any customer document), then it is marked.
    const attach = (as2: Client, docId: string) =>
      as2.inject({
        method: 'POST',
        url: `/api/documents/${docId}/authorization?${new URLSearchParams({ name: '授权书.pdf', signedBy: '客户王总', signedOn: '2026-03-01' })}`,
        payload: CONTRACT_PDF,
        headers: { 'content-type': 'application/octet-stream' },
      });
    const internal = (await as.qa1.post('/api/documents', { title: '内部记录', category: 'records' })).json()
      .id;
    const notNeeded = await attach(as.archivist, internal);
    expect(notNeeded.statusCode).toBe(409);
    expect(notNeeded.json().title).toBe('只有客户提供的文件才需要附客户签字授权');
    expect((await attach(as.archivist, id)).statusCode).toBe(201);
    const now = await as.gm.patch(`/api/documents/${id}`, { productionUse: true });
    expect(now.statusCode, now.body).toBe(200);
    const rewritten = await as.gm.patch(`/api/documents/${id}`, { customerAuthorizedBy: '别人' });
    refused(rewritten, 'authorization_fields_with_file', 'customerAuthorizedBy');
    expect((await as.gm.get(`/api/documents/${id}`)).json()).toMatchObject({
      customerAuthorizedBy: '客户王总',
    });
  });
});
