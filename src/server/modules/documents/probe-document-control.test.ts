import { describe, expect, it } from 'vitest';
import { excel } from '../../platform/xlsx.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';
import { multipart } from '../../test-support/sheets.js';

// Found by probing issue 18 (document control) against a running server: a scanned receipt
// keeps only its file name (as every other upload), and refused choices name their field.

type Json = Record<string, unknown>;

describe('probe: document control input', () => {
  const app = companyApp();

  it('keeps only the file name of a scanned receipt, not a path', async () => {
    const { as, ids } = app.co;
    const created = await as.qa1.post('/api/documents', {
      title: '外观检验标准',
      category: 'product_standards',
      versionLabel: 'A',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await uploadFile(as.qa1, id, '外观检验标准.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.sales1 }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const copy = (sent.json() as Json[])[0] as Json;
    const name = encodeURIComponent('..\\..\\scans/../../etc/签收单.pdf');
    const recorded = await as.archivist.inject({
      method: 'POST',
      url: `/api/documents/${id}/copies/${copy.id}/scans?name=${name}&kind=receipt&signedBy=${encodeURIComponent('李经理')}&signedOn=2026-03-02`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: CONTRACT_PDF,
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().receiptScan).toBe('签收单.pdf');
    const scan = await as.archivist.get(`/api/documents/${id}/copies/${copy.id}/scans/receipt`);
    expect(scan.statusCode).toBe(200);
    expect(scan.headers['content-disposition']).not.toContain('..');
    expect(scan.rawPayload.equals(CONTRACT_PDF)).toBe(true);
  });

  it('refuses a person’s copy under a department that is not theirs', async () => {
    const { as, ids, quality } = app.co;
    const created = await as.qa1.post('/api/documents', {
      title: '包装规范',
      category: 'product_standards',
      versionLabel: 'A',
    });
    const id = created.json().id as string;
    expect((await uploadFile(as.qa1, id, '包装规范.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const mixed = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.sales1, departmentId: quality }],
    });
    expect(mixed.statusCode, mixed.body).toBe(422);
    expect(mixed.json().errors).toEqual([
      {
        field: 'recipients.0.departmentId',
        code: 'recipient_department',
        message: 'sales1不属于所选部门；分发给个人时部门即其本人所在部门，可不填',
      },
    ]);
    expect((await as.archivist.get(`/api/documents/${id}/copies`)).json()).toEqual([]);
    const own = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.sales1 }],
    });
    expect(own.statusCode, own.body).toBe(201);
    expect((own.json() as Json[])[0]).toMatchObject({
      userId: ids.sales1,
      recipient: expect.stringContaining('sales1'),
    });
  });

  it('heads every printed page of a register export with the highest level it holds', async () => {
    const { as } = app.co;
    const header = async (url: string) => {
      const res = await as.qa1.get(url);
      expect(res.statusCode).toBe(200);
      const workbook = new (await excel()).Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return workbook.worksheets[0]?.headerFooter?.oddHeader ?? null;
    };
    // 普通 records only: no mark.
    expect(await header('/api/documents/registers/external.xlsx')).toBeNull();
    const created = await as.qa1.post('/api/documents', {
      title: '军品检验标准',
      category: 'product_standards',
      versionLabel: 'A',
      secrecy: 'confidential',
      secrecyTerm: '10年',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await header('/api/documents/registers/external.xlsx')).toBe('&C机密');
    // Who cannot see it gets no mark either (nor the record).
    const low = await app.co.as.sales1.get('/api/documents/registers/external.xlsx');
    const workbook = new (await excel()).Workbook();
    await workbook.xlsx.load(low.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]?.headerFooter?.oddHeader ?? null).toBeNull();

    // The distribution register and the 解密/降密 review list likewise.
    const id = created.json().id as string;
    expect((await uploadFile(as.qa1, id, '军品检验标准.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: app.co.ids.qamgr }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const ending = await as.qa1.post('/api/documents', {
      title: '到期的秘密记录',
      category: 'records',
      secrecy: 'secret',
      secrecyTerm: '2026-03-10',
    });
    expect(ending.statusCode, ending.body).toBe(201);
    const sheetHeader = async (url: string) => {
      const res = await as.archivist.get(url);
      expect(res.statusCode, res.body).toBe(200);
      const book = new (await excel()).Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return book.worksheets[0]?.headerFooter?.oddHeader ?? null;
    };
    expect(await sheetHeader('/api/documents/copies/register.xlsx')).toBe('&C机密');
    expect(await sheetHeader('/api/documents/secrecy-reviews/export?format=xlsx')).toBe('&C秘密');
  });

  it('does not let a manager review a version they drew up because a colleague submitted it', async () => {
    const { as } = app.co;
    const created = await as.qamgr.post('/api/documents', {
      title: '来料检验作业指导书',
      category: 'procedures',
      versionLabel: 'A/0',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const versionId = (created.json().versions as Json[])[0]?.id as string;
    const up = await as.qamgr.inject({
      method: 'POST',
      url: `/api/documents/${id}/files?name=${encodeURIComponent('来料检验.pdf')}&versionId=${versionId}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: CONTRACT_PDF,
    });
    expect(up.statusCode, up.body).toBe(201);
    const submitted = await as.qa1.post(`/api/documents/${id}/versions/${versionId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    // The page offers the manager no 审核, the to-do does not list it, and the route refuses.
    const page = (await as.qamgr.get(`/api/documents/${id}`)).json();
    expect((page.versions as Json[])[0]?.can).toMatchObject({ review: false, return: false });
    const todo = (await as.qamgr.get('/api/documents/approvals/pending')).json() as Json[];
    expect(todo.map((p) => p.documentId)).not.toContain(id);
    const own = await as.qamgr.post(`/api/documents/${id}/versions/${versionId}/review`);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({
      code: 'approval_author',
      title: '编制人不能审核、会签或批准自己编制的文件',
    });
    // Someone who did not write it reviews it.
    const reviewed = await as.gm.post(`/api/documents/${id}/versions/${versionId}/review`);
    expect(reviewed.statusCode, reviewed.body).toBe(200);
  });

  it('names the category when a register import is given one that does not exist', async () => {
    const { as } = app.co;
    const { payload, headers } = multipart('x.csv', Buffer.from('文件名称,文件编号\n标准,GB 1\n'));
    const res = await as.qa1.inject({
      method: 'POST',
      url: '/api/documents/registers/external/imports?category=no_such_category',
      payload,
      headers,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'category', code: 'lookup', message: '“no_such_category”不是有效的选项' },
    ]);
  });

  it('names the ids when a transfer list is asked for no record', async () => {
    const { as } = app.co;
    const res = await as.archivist.get('/api/documents/transfer-list.pdf?ids=,,');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'ids', code: 'required', message: '此项为必填' }]);
    const many = Array.from({ length: 2001 }, (_, i) => `x${i}`).join(',');
    const tooMany = await as.archivist.get(`/api/documents/transfer-list.pdf?ids=${many}`);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors).toEqual([{ field: 'ids', code: 'too_many', message: '最多选择 2000 项' }]);
  });
});
