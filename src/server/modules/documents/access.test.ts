import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';
import { readXlsx } from '../../test-support/sheets.js';
import { extractText } from './text.js';

// How a record is handled, as the people who read it see it: a loan that allows reading only
// gives no copy of any kind (R-P4), one that allows copies stamps every copy with the loan
// (R-P7); copies go only to people cleared for the record's effective secrecy, and that level
// is what the document's page and lists show (R-P9).

type Json = Record<string, unknown>;
type FileJson = Json & { id: string; can: Json };
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

async function pdfText(bytes: Buffer): Promise<string> {
  const file = path.join(os.tmpdir(), `kedang-access-${process.pid}-${Math.random()}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    return (await extractText(file, 'application/pdf')) ?? '';
  } finally {
    fs.rmSync(file);
  }
}

describe('documents: what a reader may take away, and at which level it is handled', () => {
  const app = companyApp();
  const doc = async (as: Client, body: Json) => {
    const res = await as.post('/api/documents', { category: 'records', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  /** sales1 asks for the quality department's document; the managers approve. */
  const lend = async (documentId: string, purpose: string) => {
    const { as } = app.co;
    const res = await as.sales1.post('/api/access-requests', {
      mode: 'electronic',
      purpose,
      reason: '客户审核需要',
      days: 7,
      items: [{ targetType: 'document', targetId: documentId }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect(
      (await as.salesmgr.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' })).statusCode,
    ).toBe(200);
    const approved = (
      await as.gm.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' })
    ).json();
    expect(approved.status).toBe('approved');
    return approved as { id: string; number: string; endDate: string };
  };
  const firstFile = (d: Json) =>
    ((d.versions as Json[])[0] as Json & { files: FileJson[] }).files[0] as FileJson;

  it('gives no stamped copy under a loan for reading, and stamps the loan on copies under one for copying (R-P4, R-P7)', async () => {
    const { as, ids } = app.co;
    await travel(app.t, app.co, shanghai('2026-03-10'));
    const readOnly = await doc(as.qa1, { title: '品质月报2026' });
    await uploadFile(as.qa1, readOnly, '月报.pdf', CONTRACT_PDF);
    const copyable = await doc(as.qa1, { title: '供应商审核报告2026' });
    await uploadFile(as.qa1, copyable, '审核报告.pdf', CONTRACT_PDF);
    const read = await lend(readOnly, 'read');
    const copy = await lend(copyable, 'copy');

    // Reading only: the page says so and offers neither download nor stamped copy, and both
    // routes refuse alike — a stamped copy is a copy (copying and printing need approval).
    const roDoc = (await as.sales1.get(`/api/documents/${readOnly}`)).json();
    expect(roDoc.loan).toEqual({
      requestId: read.id,
      number: read.number,
      download: false,
      until: read.endDate,
    });
    const roFile = firstFile(roDoc);
    expect(roFile.can).toEqual({ preview: true, download: false, stamp: false });
    for (const route of ['content', 'stamped']) {
      const res = await as.sales1.get(`/api/documents/${readOnly}/files/${roFile.id}/${route}`);
      expect(res.statusCode, route).toBe(403);
      expect(res.json(), route).toMatchObject({
        code: 'grant_no_download',
        title: `本次借阅（${read.number}）只批准查阅，不能下载；复制或打印须另行申请`,
      });
    }
    // The inline view stays open to her.
    expect(
      (await as.sales1.get(`/api/documents/${readOnly}/files/${roFile.id}/content?inline=true`)).statusCode,
    ).toBe(200);
    // A refused copy is audited as refused, never as a download or a copy that was made.
    const made = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('target_id', '=', readOnly)
      .where('actor_id', '=', ids.sales1)
      .where('action', 'in', ['document.download', 'document.stamped_copy'])
      .execute();
    expect(made.filter((a) => a.outcome === 'success')).toEqual([]);

    // Copying allowed: the stamped copy carries the loan — 借阅, the request, the borrower, the
    // end date — like the download does, not a plain 只供参考.
    const cpDoc = (await as.sales1.get(`/api/documents/${copyable}`)).json();
    expect(cpDoc.loan).toMatchObject({ number: copy.number, download: true });
    const cpFile = firstFile(cpDoc);
    expect(cpFile.can).toEqual({ preview: true, download: true, stamp: true });
    const stamped = await as.sales1.get(`/api/documents/${copyable}/files/${cpFile.id}/stamped`);
    expect(stamped.statusCode, stamped.body).toBe(200);
    expect(stamped.headers['content-disposition']).toContain(
      encodeURIComponent(`审核报告-借阅-${copy.number}.pdf`),
    );
    const text = await pdfText(stamped.rawPayload);
    expect(text).toContain(`借阅 ${copy.number} · sales1 · 至 ${copy.endDate}`);
    expect(text).not.toContain('只供参考');
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('target_id', '=', copyable)
      .where('action', '=', 'document.stamped_copy')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details ?? '{}')).toMatchObject({ grant: copy.number, mark: 'loan' });

    // Whoever reads the record without a loan is offered everything, as before.
    const own = (await as.qa1.get(`/api/documents/${readOnly}`)).json();
    expect(own.loan).toBeNull();
    expect(firstFile(own).can).toEqual({ preview: true, download: true, stamp: true });
  });

  it('distributes a copy only to people cleared for the effective secrecy (R-P1, R-P9)', async () => {
    const { as, ids, quality, sales } = app.co;
    const customer = await as.qamgr.post('/api/customers', {
      name: '宁波精密模具有限公司',
      category: 'key',
      kind: 'business',
      secrecy: 'confidential',
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const id = await doc(as.qa1, {
      title: '模具图纸HX-7',
      category: 'customer_supplied',
      source: 'customer',
      customerId: customer.json().id,
      controlled: true,
    });
    await uploadFile(as.qa1, id, '模具图纸.pdf', CONTRACT_PDF);
    const distribute = (recipients: Json[]) =>
      as.archivist.post(`/api/documents/${id}/copies`, { mark: 'controlled', recipients });

    // A 普通 salesperson cannot hold a copy of what is 机密 through its archive.
    const person = await distribute([{ departmentId: quality }, { userId: ids.sales1 }]);
    expect(person.statusCode).toBe(422);
    expect(person.json().errors).toEqual([
      expect.objectContaining({
        field: 'recipients.1',
        message: 'sales1的涉密等级低于本文件的密级“机密”，不能接收副本',
      }),
    ]);
    // A department's copy is kept by its manager: 销售部's (秘密) is not cleared for 机密.
    const department = await distribute([{ departmentId: sales }]);
    expect(department.statusCode).toBe(422);
    expect(department.json().errors).toEqual([
      expect.objectContaining({
        field: 'recipients.0',
        message: '销售部的部门经理涉密等级低于本文件的密级“机密”，不能代部门接收副本；可分发给具体人员',
      }),
    ]);
    // A department without a manager has nobody to keep it.
    const office = await as.admin.post('/api/departments', { name: '总经办', code: 'ZJ' });
    const noManager = await distribute([{ departmentId: office.json().id }]);
    expect(noManager.json().errors).toEqual([
      expect.objectContaining({
        field: 'recipients.0',
        message: '总经办没有部门经理，不能代部门接收密级为“机密”的文件副本；可分发给具体人员',
      }),
    ]);
    expect((await as.archivist.get(`/api/documents/${id}/copies`)).json()).toEqual([]);
    // Cleared people and departments receive theirs.
    // One uncleared recipient refuses the whole distribution: 销售部's manager is 秘密.
    const mixed = await distribute([{ departmentId: quality }, { userId: ids.salesmgr }, { userId: ids.gm }]);
    expect(mixed.json().errors).toEqual([expect.objectContaining({ field: 'recipients.1' })]);
    const cleared = await distribute([{ departmentId: quality }, { userId: ids.gm }]);
    expect(cleared.statusCode, cleared.body).toBe(201);
    expect((cleared.json() as Json[]).map((c) => c.recipient)).toEqual(['品质部', '销售部 gm']);
  });

  it('shows the effective secrecy of a document in a 机密 archive wherever it is read (R-P9)', async () => {
    const { as } = app.co;
    const customer = (
      await as.qamgr.post('/api/customers', {
        name: '苏州恒达精工有限公司',
        category: 'general',
        kind: 'business',
        secrecy: 'confidential',
      })
    ).json().id as string;
    const id = await doc(as.qa1, {
      title: '恒达来料检验记录2010',
      customerId: customer,
      issueDate: '2010-05-01',
      retention: 'D10',
    });
    const plain = await doc(as.qa1, { title: '普通检验记录2010', issueDate: '2010-05-01', retention: 'D10' });

    const detail = (await as.qa1.get(`/api/documents/${id}`)).json();
    // Its own level stays what was registered (and editable); the effective one is the archive's.
    expect(detail).toMatchObject({ secrecy: 'normal', effectiveSecrecy: 'confidential' });
    expect((await as.qa1.get(`/api/documents/${plain}`)).json()).toMatchObject({
      secrecy: 'normal',
      effectiveSecrecy: 'normal',
    });
    const listed = (await as.qa1.get(`/api/documents?customerId=${customer}`)).json().items as Json[];
    expect(listed.map((d) => [d.title, d.secrecy, d.effectiveSecrecy])).toEqual([
      ['恒达来料检验记录2010', 'normal', 'confidential'],
    ]);
    const search = (await as.qa1.get(`/api/documents?q=${encodeURIComponent('检验记录2010')}`)).json()
      .items as Json[];
    expect(search.map((d) => [d.title, d.effectiveSecrecy]).sort()).toEqual([
      ['恒达来料检验记录2010', 'confidential'],
      ['普通检验记录2010', 'normal'],
    ]);
    // Filtering by 密级 finds what is handled at that level.
    const byLevel = async (level: string) =>
      (
        (await as.qa1.get(`/api/documents?secrecy=${level}&q=${encodeURIComponent('检验记录2010')}`)).json()
          .items as Json[]
      ).map((d) => d.title);
    expect(await byLevel('confidential')).toEqual(['恒达来料检验记录2010']);
    expect(await byLevel('normal')).toEqual(['普通检验记录2010']);
    // The 归档文件目录 names both, on the page and in its export.
    await as.admin.patch(`/api/departments/${app.co.quality}`, { code: 'PZ' });
    expect((await as.archivist.post(`/api/documents/${id}/file`)).statusCode).toBe(200);
    const catalogue = await readXlsx(
      (await as.archivist.get('/api/documents/registers/filed.xlsx')).rawPayload,
    );
    const header = catalogue[0] as string[];
    const row = catalogue.find((cells) => cells.includes('恒达来料检验记录2010')) as string[];
    expect(row[header.indexOf('密级')]).toBe('普通（按所属档案：机密）');
    // The retention lists carry it too: the 到期鉴定 list and the 待编入清册 candidates.
    const due = (await as.archivist.get('/api/retention/due')).json().items as Json[];
    expect(
      due.filter((d) => d.id === id || d.id === plain).map((d) => [d.title, d.effectiveSecrecy]),
    ).toEqual(
      expect.arrayContaining([
        ['恒达来料检验记录2010', 'confidential'],
        ['普通检验记录2010', 'normal'],
      ]),
    );
    const appraisal = (
      await as.archivist.post('/api/appraisals', {
        title: '2010年到期档案鉴定',
        memberIds: [app.co.ids.archivist, app.co.ids.qamgr],
        documentIds: [id, plain],
      })
    ).json();
    const items = (appraisal.items as Json[]).map((i) => ({ itemId: i.id, decision: 'destroy' }));
    for (const who of [as.archivist, as.qamgr])
      expect(
        (await who.put(`/api/appraisals/${appraisal.id}/opinions`, { opinions: items })).statusCode,
      ).toBe(200);
    expect((await as.archivist.post(`/api/appraisals/${appraisal.id}/conclude`)).statusCode).toBe(200);
    const candidates = (await as.archivist.get('/api/disposals/candidates')).json() as Json[];
    expect(candidates.map((c) => [c.title, c.secrecy, c.effectiveSecrecy]).sort()).toEqual([
      ['恒达来料检验记录2010', 'normal', 'confidential'],
      ['普通检验记录2010', 'normal', 'normal'],
    ]);
  });

  it('names exported files by the date in Shanghai, not in UTC', async () => {
    const { as } = app.co;
    // 06:18 on 7 December in Shanghai is still 6 December in UTC.
    await travel(app.t, app.co, shanghai('2026-12-07', '06:18'));
    const res = await as.archivist.get('/api/documents/registers/filed.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('归档文件目录-20261207.xlsx'));
    expect(res.headers['content-disposition']).toContain('filed-20261207.xlsx');
  });
});
