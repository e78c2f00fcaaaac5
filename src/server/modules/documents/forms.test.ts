import { beforeAll, describe, expect, it } from 'vitest';
import { companyApp } from '../../test-support/customers.js';
import { supersede } from '../../test-support/documents.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';

// The paper forms of the documents module printed from their records (R-L4), read back from the
// rendered pages: the 文件发放/回收登记表 of a document's copies (issued, superseded and recalled),
// and the 档案移交清单 of filed records the archivist chose, marked with the highest secrecy.

describe('documents: printable forms', () => {
  const app = companyApp();
  const ids: Record<'manual' | 'report' | 'audit' | 'secret', string> = {
    manual: '',
    report: '',
    audit: '',
    secret: '',
  };

  beforeAll(async () => {
    const { co } = app;
    await co.as.admin.patch(`/api/departments/${co.quality}`, { code: 'ZL' });
    const register = async (body: Record<string, unknown>) =>
      (await co.as.qa1.post('/api/documents', { carrier: 'paper', category: 'records', ...body })).json()
        .id as string;
    ids.manual = await register({ title: '来料检验作业指导书', docNumber: 'WI-QA-012', versionLabel: 'A/0' });
    ids.report = await register({
      title: '2025年内部审核报告',
      docNumber: 'ZL-2025-08',
      issueDate: '2025-11-20',
      pages: 14,
    });
    ids.audit = await register({
      title: '2025年管理评审报告',
      docNumber: 'ZL-2025-11',
      issueDate: '2025-12-10',
      pages: 9,
    });
    ids.secret = await register({
      title: '供应商审核记录',
      docNumber: 'ZL-2025-12',
      issueDate: '2025-12-15',
      pages: 3,
      secrecy: 'secret',
    });
    for (const id of [ids.report, ids.audit, ids.secret])
      expect((await co.as.archivist.post(`/api/documents/${id}/file`)).statusCode).toBe(200);
  });

  it('prints the 文件发放/回收登记表 of a document from its copies', async (ctx) => {
    const { co } = app;
    await co.as.archivist.post(`/api/documents/${ids.manual}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: co.quality }, { departmentId: co.sales }],
    });
    // A new version: both copies of A/0 are to be recalled; one comes back.
    expect((await supersede(co.as.qa1, ids.manual, { versionLabel: 'B/0' })).statusCode).toBe(200);
    const copies = (await co.as.archivist.get(`/api/documents/${ids.manual}/copies`)).json() as {
      id: string;
    }[];
    await co.as.archivist.post(`/api/documents/${ids.manual}/copies/${copies[0]?.id}/recall`, {
      note: '已收回',
    });
    const res = await co.as.qa1.get(`/api/documents/${ids.manual}/copies/register.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    await expectGlyphsDrawn(res.rawPayload);
    const text = (await ocrPdf(ctx, res.rawPayload)).join('');
    expectRead(text, '文件发放/回收登记表', 1);
    expectRead(text, '来料检验作业指导书', 1);
    expectRead(text, 'WI-QA-012');
    expectRead(text, '品质部', 0);
    expectRead(text, '已回收', 0);
    expectRead(text, '待回收', 0);
    // Someone who may not see the document gets no form of it either.
    expect((await co.as.sales1.get(`/api/documents/${ids.secret}/copies/register.pdf`)).statusCode).toBe(404);
  });

  it('prints the 档案移交清单 of chosen filed records in 档号 order, marked with their highest level', async (ctx) => {
    const { co } = app;
    const url = `/api/documents/transfer-list.pdf?ids=${ids.audit},${ids.secret},${ids.report}`;
    expect((await co.as.qa1.get(url)).statusCode).toBe(403);
    // A record that is not filed is refused like one that does not exist.
    expect((await co.as.archivist.get(`/api/documents/transfer-list.pdf?ids=${ids.manual}`)).statusCode).toBe(
      404,
    );
    const res = await co.as.archivist.get(url);
    expect(res.statusCode, res.body).toBe(200);
    await expectGlyphsDrawn(res.rawPayload);
    const text = (await ocrPdf(ctx, res.rawPayload)).join('');
    expectRead(text, '档案移交清单', 1);
    expectRead(text, 'Z001-WS·2025-D10-ZL-0001', 2);
    expectRead(text, '2025年内部审核报告', 1);
    expectRead(text, '供应商审核记录', 1);
    expectRead(text, '共3件，26页', 1);
    expectRead(text, '秘密', 0);
    expectRead(text, '接收人', 0);
    expectRead(text, '20251120', 1);
    // 档号 order: the 内审 report was filed first.
    expect(text.indexOf('内部审核')).toBeLessThan(text.indexOf('管理评审'));
    const audit = (await co.as.admin.get('/api/audit?action=document.print')).json().items as {
      details: unknown;
    }[];
    expect(audit).toHaveLength(2);
  });
});
