import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { BlobStore } from '../../platform/storage.js';
import { type Client, createTestApp, type TestApp } from '../../test-support/app.js';
import { type Company, companyApp, seedCompany } from '../../test-support/customers.js';
import { CONTRACT_PDF, docx, png, supersede, uploadFile } from '../../test-support/documents.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { gbk, multipart, readXlsx, xlsx } from '../../test-support/sheets.js';
import { extractText, requeueInterruptedExtractions } from './text.js';

type Json = Record<string, unknown>;

/** A tiny but real PDF (one empty page). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const upload = uploadFile;

function blobFiles(dir: string): string[] {
  const root = path.join(dir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('documents: registration, files and versions (R-D1, R-D4, R-D6)', () => {
  let t: TestApp;
  let co: Company;
  let customerId: string;
  beforeAll(async () => {
    t = await createTestApp({ uploadMaxBytes: 64 * 1024 });
    co = await seedCompany(t);
    customerId = (
      await co.as.sales1.post('/api/customers', {
        name: '深圳华星电子有限公司',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
  });
  afterAll(() => t.close());

  it('registers a document with every field of R-D1 and the category defaults', async () => {
    const res = await co.as.sales1.post('/api/documents', {
      title: '　产品图纸 HX-100 ',
      docNumber: 'HX-DWG-0012',
      responsibleParty: '深圳华星电子有限公司',
      source: 'customer',
      category: 'customer_supplied',
      carrier: 'both',
      pages: 12,
      location: 'A柜-03盒',
      secrecy: 'normal',
      customerId,
      versionLabel: 'A/0',
      issueDate: '2026-02-20',
      receivedDate: '2026-03-01',
      changesInternal: 'PFMEA、控制计划',
      remarks: '客户工程部提供',
    });
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      title: '产品图纸 HX-100',
      categoryName: '客户提供资料',
      retention: 'D30',
      status: 'current',
      versionLabel: 'A/0',
      customer: { id: customerId, name: '深圳华星电子有限公司' },
      departmentId: co.sales,
      can: { update: true, obsolete: false },
    });
    expect(doc.versions).toHaveLength(1);
    expect(doc.versions[0]).toMatchObject({ seq: 1, label: 'A/0', status: 'current', files: [] });
  });

  it('refuses bad input with field messages in Chinese and stores nothing', async () => {
    const before = (await co.as.sales1.get('/api/documents/count')).json().count;
    const noCustomer = await co.as.sales1.post('/api/documents', {
      title: '图纸',
      category: 'customer_supplied',
    });
    expect(noCustomer.statusCode).toBe(422);
    expect(noCustomer.json().errors).toEqual([
      expect.objectContaining({ field: 'customerId', message: '此项为必填' }),
    ]);
    const unknown = await co.as.sales1.post('/api/documents', { title: '图纸', category: 'nonsense' });
    expect(unknown.json().errors[0]).toMatchObject({ field: 'category' });
    const secret = await co.as.sales1.post('/api/documents', {
      title: '图纸',
      category: 'records',
      secrecy: 'secret',
    });
    expect(secret.statusCode).toBe(422);
    expect(secret.json().title).toContain('涉密等级');
    const future = await co.as.sales1.post('/api/documents', {
      title: '图纸',
      category: 'records',
      receivedDate: '2099-01-01',
    });
    expect(future.json().errors[0]).toMatchObject({ field: 'receivedDate' });
    const blank = await co.as.sales1.post('/api/documents', { title: '　', category: 'records' });
    expect(blank.json().errors[0]).toMatchObject({ field: 'title' });
    expect((await co.as.sales1.get('/api/documents/count')).json().count).toBe(before);
  });

  it('stores an upload under its SHA-256 once, detects the type from the content, and downloads it', async () => {
    const doc = (
      await co.as.sales1.post('/api/documents', { title: '采购合同评审记录', category: 'records' })
    ).json();
    const first = await upload(co.as.sales1, doc.id, '采购合同.pdf', PDF);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      name: '采购合同.pdf',
      size: PDF.length,
      sha256: sha256(PDF),
      mime: 'application/pdf',
    });
    // The same content under another name, and a PDF pretending to be text.
    const again = await upload(co.as.sales1, doc.id, '副本.txt', PDF);
    expect(again.json()).toMatchObject({ sha256: sha256(PDF), mime: 'application/pdf' });
    const text = await upload(co.as.sales1, doc.id, '说明.pdf', Buffer.from('这不是 PDF，是文字。\n'));
    expect(text.json().mime).toBe('text/plain');
    expect(blobFiles(t.dataDir).filter((f) => f === sha256(PDF))).toHaveLength(1);
    const blobRows = await t.database.db
      .selectFrom('blobs')
      .selectAll()
      .where('sha256', '=', sha256(PDF))
      .execute();
    expect(blobRows).toHaveLength(1);

    const got = await co.as.sales1.get(`/api/documents/${doc.id}/files/${first.json().id}/content`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('采购合同.pdf')}`,
    );
    expect(got.headers['content-disposition']).toMatch(/^attachment;/);
    const inline = await co.as.sales1.get(
      `/api/documents/${doc.id}/files/${text.json().id}/content?inline=true`,
    );
    // Text is not one of the types shown inline.
    expect(inline.headers['content-disposition']).toMatch(/^attachment;/);
    const audit = (await co.as.admin.get('/api/audit?action=document.download')).json().items as Json[];
    expect(audit[0]).toMatchObject({ targetId: doc.id, actorLogin: 'sales1' });
    expect(JSON.stringify(audit[0]?.details)).toContain(sha256(PDF));

    const detail = (await co.as.sales1.get(`/api/documents/${doc.id}`)).json();
    expect(detail.versions[0].files.map((f: Json) => f.name)).toEqual([
      '采购合同.pdf',
      '副本.txt',
      '说明.pdf',
    ]);
  });

  it('never changes a stored blob: it is read-only on disk', async () => {
    const content = Buffer.from('不可更改的内容');
    const doc = (
      await co.as.sales1.post('/api/documents', { title: '只读测试', category: 'records' })
    ).json();
    await upload(co.as.sales1, doc.id, 'a.txt', content);
    const digest = sha256(content);
    const file = path.join(t.dataDir, 'blobs', digest.slice(0, 2), digest.slice(2, 4), digest);
    expect(fs.statSync(file).mode & 0o222).toBe(0);
  });

  it('refuses a file above the configured limit and keeps nothing of it', async () => {
    const doc = (await co.as.sales1.post('/api/documents', { title: '大文件', category: 'records' })).json();
    const res = await upload(co.as.sales1, doc.id, 'big.bin', Buffer.alloc(100 * 1024, 7));
    expect(res.statusCode).toBe(413);
    expect(res.json().title).toBe('文件超过 64 KB 的上限');
    expect((await co.as.sales1.get(`/api/documents/${doc.id}`)).json().versions[0].files).toEqual([]);
    expect(fs.readdirSync(path.join(t.dataDir, 'tmp', 'uploads'))).toEqual([]);
  });

  it('takes the file itself as the request body, as the web app sends it', async () => {
    const doc = (
      await co.as.sales1.post('/api/documents', { title: '原始上传', category: 'records' })
    ).json();
    const raw = (url: string, payload: Buffer) =>
      co.as.sales1.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/octet-stream' },
      });
    const res = await raw(`/api/documents/${doc.id}/files?name=${encodeURIComponent('检验报告.pdf')}`, PDF);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '检验报告.pdf', sha256: sha256(PDF), mime: 'application/pdf' });
    expect((await raw(`/api/documents/${doc.id}/files`, PDF)).statusCode).toBe(400);
    const big = await raw(`/api/documents/${doc.id}/files?name=big.bin`, Buffer.alloc(100 * 1024, 1));
    expect(big.statusCode).toBe(413);
    expect((await co.as.sales1.get(`/api/documents/${doc.id}`)).json().versions[0].files).toHaveLength(1);
  });

  it('answers 400/415 problem+json to an upload without a usable body, and keeps nothing of it', async () => {
    const doc = (
      await co.as.sales1.post('/api/documents', {
        title: '空上传',
        category: 'records',
        carrier: 'electronic',
      })
    ).json();
    const url = `/api/documents/${doc.id}/files?name=${encodeURIComponent('合同.pdf')}`;
    const blobsBefore = blobFiles(t.dataDir);
    const send = (payload: string | Buffer | undefined, contentType?: string) =>
      co.as.sales1.inject({
        method: 'POST',
        url,
        ...(payload === undefined ? {} : { payload }),
        headers: contentType ? { 'content-type': contentType } : {},
      });
    const form = multipart('合同.pdf', PDF);
    const type = form.headers['content-type'] as string;
    const boundary = type.split('boundary=')[1];
    const empty = multipart('合同.pdf', Buffer.alloc(0));
    const cases: [string, () => ReturnType<typeof send>, number, string][] = [
      ['no body', () => send(undefined), 400, 'file_required'],
      ['an empty file', () => send(Buffer.alloc(0), 'application/octet-stream'), 400, 'file_empty'],
      ['JSON', () => send('{"file":"x"}', 'application/json'), 415, 'unsupported_media_type'],
      ['text', () => send('hello', 'text/plain'), 415, 'unsupported_media_type'],
      [
        'multipart without a boundary',
        () => send(form.payload, 'multipart/form-data'),
        400,
        'upload_malformed',
      ],
      ['truncated multipart', () => send(form.payload.subarray(0, 200), type), 400, 'upload_malformed'],
      [
        'multipart without a file',
        () =>
          send(
            `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--${boundary}--\r\n`,
            type,
          ),
        400,
        'file_required',
      ],
      [
        'multipart with an empty file',
        () => send(empty.payload, empty.headers['content-type']),
        400,
        'file_empty',
      ],
    ];
    const wrong: string[] = [];
    for (const [what, sendIt, status, code] of cases) {
      const res = await sendIt();
      const got = res.json() as Json;
      if (res.statusCode !== status || got.code !== code)
        wrong.push(`${what}: ${res.statusCode} ${got.code}`);
    }
    expect(wrong).toEqual([]);
    await drainJobs();
    expect((await co.as.sales1.get(`/api/documents/${doc.id}`)).json().versions[0].files).toEqual([]);
    expect(blobFiles(t.dataDir)).toEqual(blobsBefore);
    expect(fs.readdirSync(path.join(t.dataDir, 'tmp', 'uploads'))).toEqual([]);
  });

  it('makes the previous version obsolete when a new one arrives, and keeps its files readable', async () => {
    const doc = (
      await co.as.sales1.post('/api/documents', {
        title: '质量协议',
        category: 'agreements',
        versionLabel: 'V1',
        issueDate: '2025-01-10',
      })
    ).json();
    const v1file = (await upload(co.as.sales1, doc.id, '质量协议V1.pdf', PDF)).json();
    t.clock.advance(60_000);
    const res = await supersede(
      co.as.sales2,
      doc.id,
      { versionLabel: 'V2', issueDate: '2026-02-01', receivedDate: '2026-03-01', note: '客户修订付款条款' },
      { name: '质量协议V2.pdf', content: Buffer.from('%PDF-1.4\nV2') },
    );
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ versionLabel: 'V2', issueDate: '2026-02-01', status: 'current' });
    expect(after.versions.map((v: Json) => [v.label, v.status])).toEqual([
      ['V2', 'current'],
      ['V1', 'obsolete'],
    ]);
    expect(after.versions[1]).toMatchObject({ obsoletedBy: { id: co.ids.sales2, name: 'sales2' } });
    expect(after.versions[1].obsoletedAt).toBeTruthy();
    // The new version came with its file; the old file stays readable; new uploads go to the
    // current version.
    const v3file = (
      await upload(co.as.sales1, doc.id, '质量协议V2附件.pdf', Buffer.from('%PDF-1.4\nV2+'))
    ).json();
    const detail = (await co.as.sales1.get(`/api/documents/${doc.id}`)).json();
    expect(detail.versions[0].files.map((f: Json) => f.name)).toEqual([
      '质量协议V2.pdf',
      '质量协议V2附件.pdf',
    ]);
    expect(detail.versions[0].files[1].id).toBe(v3file.id);
    expect(detail.versions[1].files.map((f: Json) => f.id)).toEqual([v1file.id]);
    expect((await co.as.sales1.get(`/api/documents/${doc.id}/files/${v1file.id}/content`)).statusCode).toBe(
      200,
    );
    const events = (await co.as.sales1.get(`/api/documents/${doc.id}/events`)).json() as Json[];
    expect(events.map((e) => e.kind)).toEqual([
      'upload',
      'version',
      'upload',
      'version_draft',
      'upload',
      'register',
    ]);
  });

  it('keeps a history of changed metadata and refuses changes to a withdrawn document', async () => {
    const doc = (
      await co.as.sales1.post('/api/documents', { title: '作业指导书', category: 'records', pages: 3 })
    ).json();
    const changed = await co.as.sales1.patch(`/api/documents/${doc.id}`, {
      pages: 5,
      location: 'B柜',
      note: '补页',
    });
    expect(changed.json()).toMatchObject({ pages: 5, location: 'B柜' });
    const events = (await co.as.sales1.get(`/api/documents/${doc.id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({
      kind: 'update',
      actorName: 'sales1',
      details: {
        note: '补页',
        changes: [
          { field: 'pages', label: '页数', from: 3, to: 5 },
          { field: 'location', label: '存放位置', from: null, to: 'B柜' },
        ],
      },
    });
    // Staff may not withdraw; their department manager may.
    expect(
      (await co.as.sales1.post(`/api/documents/${doc.id}/obsolete`, { reason: '停用' })).statusCode,
    ).toBe(403);
    const gone = await co.as.salesmgr.post(`/api/documents/${doc.id}/obsolete`, { reason: '工艺停用' });
    expect(gone.json()).toMatchObject({ status: 'obsolete', obsoleteReason: '工艺停用' });
    expect(gone.json().versions[0].status).toBe('obsolete');
    const edit = await co.as.sales1.patch(`/api/documents/${doc.id}`, { pages: 6 });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().title).toBe('文件已作废，不能修改或上传');
    expect((await upload(co.as.sales1, doc.id, 'x.txt', Buffer.from('x'))).statusCode).toBe(409);
  });
});

describe('documents: who sees what (R-P1, R-P2)', () => {
  let t: TestApp;
  let co: Company;
  let secretId: string;
  let secretFile: string;
  let recordsId: string;
  let customerId: string;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    // A 机密 product standard of the quality department, with a file.
    const secret = await co.as.qa1.post('/api/documents', {
      title: '机密工艺标准 合同附件',
      docNumber: 'Q/HX 001-2026',
      category: 'product_standards',
      secrecy: 'confidential',
      secrecyTerm: '10年',
    });
    secretId = secret.json().id;
    secretFile = (await upload(co.as.qa1, secretId, '工艺.pdf', PDF)).json().id;
    // Ordinary documents: a shared national standard, a quality record, a sales customer file.
    await co.as.qa1.post('/api/documents', {
      title: '电子档案管理规范',
      docNumber: 'GB/T 18894-2016',
      category: 'product_standards',
      source: 'standards_body',
    });
    recordsId = (
      await co.as.qa1.post('/api/documents', { title: '来料检验记录', category: 'records' })
    ).json().id;
    customerId = (
      await co.as.sales1.post('/api/customers', {
        name: '东莞精密模具厂',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    await co.as.sales1.post('/api/documents', {
      title: '模具图纸',
      category: 'customer_supplied',
      customerId,
    });
  });
  afterAll(() => t.close());

  const titles = async (as: Client, query = '') =>
    ((await as.get(`/api/documents?limit=200${query}`)).json().items as Json[]).map((d) => d.title).sort();

  it('hides a 机密 document from a 普通 user in lists, search, counts and the customer file', async () => {
    expect(await titles(co.as.sales1)).toEqual(['模具图纸', '电子档案管理规范']);
    expect(await titles(co.as.sales1, `&q=${encodeURIComponent('合同')}`)).toEqual([]);
    expect(await titles(co.as.sales1, `&q=${encodeURIComponent('Q/HX')}`)).toEqual([]);
    expect((await co.as.sales1.get('/api/documents/count?category=product_standards')).json().count).toBe(1);
    expect((await co.as.sales1.get(`/api/documents/${secretId}`)).statusCode).toBe(404);
    expect(
      (await co.as.sales1.get(`/api/documents/${secretId}/files/${secretFile}/content`)).statusCode,
    ).toBe(404);
    expect((await co.as.sales1.get(`/api/documents/${secretId}/events`)).statusCode).toBe(404);
    // The department manager with 秘密 clearance neither; the quality manager (绝密) does.
    expect((await co.as.salesmgr.get(`/api/documents/${secretId}`)).statusCode).toBe(404);
    expect(await titles(co.as.qamgr, `&q=${encodeURIComponent('合同')}`)).toEqual(['机密工艺标准 合同附件']);
  });

  it('shows department records to the department and customer files to those who see the customer', async () => {
    // sales1 sees neither the quality record nor anything of quality's own.
    expect((await co.as.sales1.get(`/api/documents/${recordsId}`)).statusCode).toBe(404);
    expect(await titles(co.as.qamgr)).toEqual(['机密工艺标准 合同附件', '来料检验记录', '电子档案管理规范']);
    // The archivist sees everything up to 机密.
    expect(await titles(co.as.archivist)).toHaveLength(4);
    expect(await titles(co.as.lowgm)).toEqual(['来料检验记录', '模具图纸', '电子档案管理规范']);
    // The customer's 文件 tab.
    expect(await titles(co.as.sales2, `&customerId=${customerId}`)).toEqual(['模具图纸']);
    expect(await titles(co.as.qa1, `&customerId=${customerId}`)).toEqual([]);
  });

  it('finds documents by two-character words and by mixed codes', async () => {
    const find = (q: string) => titles(co.as.archivist, `&q=${encodeURIComponent(q)}`);
    expect(await find('档案')).toEqual(['电子档案管理规范']);
    expect(await find('GB/T 18894')).toEqual(['电子档案管理规范']);
    expect(await find('gbt18894')).toEqual(['电子档案管理规范']);
    expect(await find('18894-2016')).toEqual(['电子档案管理规范']);
    expect(await find('Q/HX 001-2026')).toEqual(['机密工艺标准 合同附件']);
    expect(await find('图纸')).toEqual(['模具图纸']);
    // Customer name and file names are searchable too.
    expect(await find('精密模具')).toEqual(['模具图纸']);
    expect(await find('工艺')).toEqual(['机密工艺标准 合同附件']);
  });

  it('filters by category, secrecy, status and dates, and pages with a cursor', async () => {
    expect(await titles(co.as.archivist, '&secrecy=confidential')).toEqual(['机密工艺标准 合同附件']);
    expect(await titles(co.as.archivist, '&category=records')).toEqual(['来料检验记录']);
    const first = (await co.as.archivist.get('/api/documents?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await co.as.archivist.get(`/api/documents?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await co.as.archivist.get('/api/documents?issuedFrom=2026-13-01')).statusCode).toBe(400);
  });

  it('audits each view of a document', async () => {
    await co.as.qamgr.get(`/api/documents/${recordsId}`);
    const audit = (await co.as.admin.get('/api/audit?action=document.read')).json().items as Json[];
    expect(audit[0]).toMatchObject({ targetId: recordsId, actorLogin: 'qamgr' });
  });
});

describe('documents: full text of PDF, DOCX, XLSX and TXT files (R-D8)', () => {
  const app = companyApp();

  const register = async (title: string) =>
    (await app.co.as.sales1.post('/api/documents', { title, category: 'records' })).json().id as string;
  const search = async (q: string) =>
    ((await app.co.as.sales1.get(`/api/documents?q=${encodeURIComponent(q)}`)).json().items as Json[]).map(
      (d) => [d.title, d.snippet],
    );

  it('finds a document by a word in its files, with a snippet around it', async () => {
    const pdfDoc = await register('年度文件甲');
    const res = await upload(app.co.as.sales1, pdfDoc, '扫描件.pdf', CONTRACT_PDF);
    expect(res.json().textStatus).toBe('pending');
    const wordDoc = await register('年度文件乙');
    await upload(
      app.co.as.sales1,
      wordDoc,
      '技术协议.docx',
      await docx(['第一章 总则', '本协议约定模具图纸的交付要求。']),
    );
    const sheetDoc = await register('年度文件丙');
    await upload(
      app.co.as.sales1,
      sheetDoc,
      '清单.xlsx',
      await xlsx([
        ['零件号', '名称'],
        ['HX-0042', '散热片投诉批次'],
      ]),
    );
    const textDoc = await register('年度文件丁');
    await upload(app.co.as.sales1, textDoc, '记录.txt', gbk('客户来电：包装破损，要求补发。'));
    await drainJobs();

    expect(await search('合同')).toEqual([['年度文件甲', expect.stringContaining('采购合同')]]);
    expect(await search('付款方式')).toEqual([['年度文件甲', expect.stringContaining('付款方式')]]);
    expect(await search('图纸')).toEqual([['年度文件乙', expect.stringContaining('模具图纸')]]);
    expect(await search('投诉')).toEqual([['年度文件丙', expect.stringContaining('散热片投诉批次')]]);
    expect(await search('HX-0042')).toEqual([['年度文件丙', expect.stringContaining('HX-0042')]]);
    expect(await search('包装破损')).toEqual([['年度文件丁', expect.stringContaining('包装破损')]]);
    // A title match has no text snippet.
    expect(await search('文件甲')).toEqual([['年度文件甲', null]]);
    const detail = (await app.co.as.sales1.get(`/api/documents/${pdfDoc}`)).json();
    expect(detail.versions[0].files[0].textStatus).toBe('done');
  });

  it('extracts a content once, however many documents hold it, and marks other types unsupported', async () => {
    const a = await register('副本一');
    const b = await register('副本二');
    await upload(app.co.as.sales1, a, 'a.pdf', CONTRACT_PDF);
    await upload(app.co.as.sales1, b, 'b.pdf', CONTRACT_PDF);
    await drainJobs();
    const jobs = await app.t.database.db
      .selectFrom('jobs')
      .select('kind')
      .where('kind', '=', 'document_text')
      .execute();
    expect(jobs).toHaveLength(4); // the four contents above; this PDF is the first one again
    expect((await search('采购合同')).map((r) => r[0]).sort()).toEqual(['副本一', '副本二', '年度文件甲']);
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636400010000050001e9fa0de10000000049454e44ae426082',
      'hex',
    );
    const c = await register('图片');
    await upload(app.co.as.sales1, c, 'x.png', png);
    await drainJobs();
    const file = (await app.co.as.sales1.get(`/api/documents/${c}`)).json().versions[0].files[0];
    expect(file).toMatchObject({ mime: 'image/png', textStatus: 'unsupported' });
  });

  it('extracts again what a restart interrupted', async () => {
    const { t, co } = app;
    const id = await register('重启后的文件');
    const file = (await upload(co.as.sales1, id, '重启.docx', await docx(['停机维修记录']))).json();
    await drainJobs();
    // As if the process had died while the job ran.
    await t.database.db
      .updateTable('document_texts')
      .set({ status: 'pending', content: null })
      .where('sha256', '=', file.sha256)
      .execute();
    // Its text is gone: no snippet (the index still holds the earlier tokens).
    expect(await search('维修')).toEqual([['重启后的文件', null]]);
    const queued = await requeueInterruptedExtractions(t.database.db, new BlobStore(t.dataDir), t.clock.now);
    expect(queued).toBe(1);
    await drainJobs();
    expect(await search('维修')).toEqual([['重启后的文件', expect.stringContaining('停机维修记录')]]);
  });

  it('never shows text snippets of documents the reader may not see', async () => {
    const secret = (
      await app.co.as.qa1.post('/api/documents', {
        title: '品质记录',
        category: 'records',
        secrecy: 'secret',
      })
    ).json().id;
    await upload(app.co.as.qa1, secret, '合同.pdf', CONTRACT_PDF);
    await drainJobs();
    const found = await search('采购合同');
    expect(found.map((r) => r[0])).not.toContain('品质记录');
    const qa = (
      (await app.co.as.qamgr.get(`/api/documents?q=${encodeURIComponent('采购合同')}`)).json().items as Json[]
    ).map((d) => d.title);
    expect(qa).toEqual(['品质记录']);
  });
});

describe('documents: retention periods the company uses (R-D1, R-X1)', () => {
  const app = companyApp();

  it('offers Y, D30 and D10, and the periods an administrator adds', async () => {
    const { co } = app;
    const register = (retention: string) =>
      co.as.sales1.post('/api/documents', { title: '保管期限测试', category: 'records', retention });
    const unknown = await register('D5');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'retention', message: '“D5”不是有效的选项' });
    const malformed = await register('5年');
    expect(malformed.json().errors[0]).toMatchObject({ field: 'retention' });
    const saved = await co.as.admin.put('/api/document-config/settings', {
      retentionPeriods: ['Y', 'D30', 'D10', 'd5'],
    });
    expect(saved.json().retentionPeriods).toEqual(['Y', 'D30', 'D10', 'D5']);
    const ok = await register('D5');
    expect(ok.statusCode).toBe(201);
    expect(ok.json().retention).toBe('D5');
    const listed = (await co.as.sales1.get('/api/documents?retention=D5')).json().items as Json[];
    expect(listed.map((d) => d.title)).toEqual(['保管期限测试']);
  });
});

describe('documents: 档号 for filed records (R-D7)', () => {
  const app = companyApp();
  const create = async (title: string, extra: Json = {}) =>
    (
      await app.co.as.qa1.post('/api/documents', {
        title,
        category: 'product_standards',
        issueDate: '2025-06-01',
        ...extra,
      })
    ).json().id as string;

  it('needs a department code, then numbers records per class, year, retention and department', async () => {
    const first = await create('标准甲');
    const refused = await app.co.as.archivist.post(`/api/documents/${first}/file`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().title).toContain('品质部');
    expect(
      (await app.co.as.admin.patch(`/api/departments/${app.co.quality}`, { code: 'ZL' })).statusCode,
    ).toBe(200);
    // Only the archivist files.
    expect((await app.co.as.qamgr.post(`/api/documents/${first}/file`)).statusCode).toBe(403);
    const filed = await app.co.as.archivist.post(`/api/documents/${first}/file`);
    expect(filed.json()).toMatchObject({ archiveNo: 'Z001-KJ·2025-D30-ZL-0001', can: { file: false } });
    expect(filed.json().filedAt).toBeTruthy();
    const again = await app.co.as.archivist.post(`/api/documents/${first}/file`);
    expect(again.statusCode).toBe(409);
    expect(again.json().title).toBe('该文件已归档，档号 Z001-KJ·2025-D30-ZL-0001');
    const second = (await app.co.as.archivist.post(`/api/documents/${await create('标准乙')}/file`)).json();
    expect(second.archiveNo).toBe('Z001-KJ·2025-D30-ZL-0002');
    const tenYears = await create('记录丙', {
      category: 'records',
      retention: 'D10',
      issueDate: '2026-01-05',
    });
    expect((await app.co.as.archivist.post(`/api/documents/${tenYears}/file`)).json().archiveNo).toBe(
      'Z001-WS·2026-D10-ZL-0001',
    );
    // The 档号 is searchable, in part too.
    const found = (
      await app.co.as.archivist.get(`/api/documents?q=${encodeURIComponent('D30-ZL-0002')}`)
    ).json();
    expect(found.items.map((d: Json) => d.title)).toEqual(['标准乙']);
  });

  it('gives parallel filings unique, gapless, well-formed numbers', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await create(`并行标准${i}`, { issueDate: '2024-03-01' }));
    const results = await Promise.all(ids.map((id) => app.co.as.archivist.post(`/api/documents/${id}/file`)));
    expect(results.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
    const numbers = results.map((r) => r.json().archiveNo as string).sort();
    expect(numbers).toEqual(
      Array.from({ length: 30 }, (_, i) => `Z001-KJ·2024-D30-ZL-${String(i + 1).padStart(4, '0')}`),
    );
    const check = (await app.co.as.archivist.get('/api/documents/archive-check')).json();
    expect(check.sequences).toContainEqual({
      sequence: 'Z001-KJ·2024-D30-ZL-',
      issued: 30,
      used: 30,
      missing: [],
    });
  });

  it('reports a number issued but on no record (漏号)', async () => {
    const id = await create('将被改号的标准', { issueDate: '2023-02-01' });
    await app.co.as.archivist.post(`/api/documents/${id}/file`);
    await app.co.as.archivist.post(
      `/api/documents/${await create('另一份', { issueDate: '2023-02-01' })}/file`,
    );
    // Someone edits the database behind Kedang's back.
    await app.t.database.db.updateTable('documents').set({ archive_no: null }).where('id', '=', id).execute();
    const report = (await app.co.as.gm.get('/api/documents/archive-check')).json();
    expect(report.sequences).toContainEqual({
      sequence: 'Z001-KJ·2023-D30-ZL-',
      issued: 2,
      used: 1,
      missing: [1],
    });
    expect((await app.co.as.sales1.get('/api/documents/archive-check')).statusCode).toBe(403);
  });

  it('follows a configured pattern, and refuses a pattern without a 件号', async () => {
    const bad = await app.co.as.admin.put('/api/document-config/settings', {
      archiveNoPattern: '{fonds}-{yyyy}',
    });
    expect(bad.statusCode).toBe(400);
    const ok = await app.co.as.admin.put('/api/document-config/settings', {
      fondsCode: 'J025',
      archiveNoPattern: '{fonds}-{class}-{yyyy}-{retention}-{seq:3}',
    });
    expect(ok.json()).toEqual({
      fondsCode: 'J025',
      archiveNoPattern: '{fonds}-{class}-{yyyy}-{retention}-{seq:3}',
      retentionPeriods: ['Y', 'D30', 'D10', 'L1'],
      encryptionThreshold: 'secret',
    });
    const id = await create('新规则标准', { issueDate: '2022-08-08', retention: 'Y' });
    expect((await app.co.as.archivist.post(`/api/documents/${id}/file`)).json().archiveNo).toBe(
      'J025-KJ-2022-Y-001',
    );
    expect((await app.co.as.qa1.put('/api/document-config/settings', { fondsCode: 'X1' })).statusCode).toBe(
      403,
    );
  });
});

describe('documents: the registers of R-D3 as pages and .xlsx', () => {
  const app = companyApp();
  beforeAll(async () => {
    const { co } = app;
    await co.as.admin.patch(`/api/departments/${co.quality}`, { code: 'ZL' });
    const customer = (
      await co.as.qamgr.post('/api/customers', {
        name: '佛山精工五金厂',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    await co.as.qa1.post('/api/documents', {
      title: '冷轧钢板标准',
      docNumber: 'GB/T 708-2019',
      category: 'product_standards',
      issueDate: '2019-05-10',
      receivedDate: '2026-01-08',
      versionLabel: '2019版',
    });
    await co.as.qa1.post('/api/documents', {
      title: '机密外来标准',
      category: 'product_standards',
      secrecy: 'confidential',
    });
    await co.as.qa1.post('/api/documents', {
      title: '支架图纸',
      docNumber: 'FS-001',
      category: 'customer_supplied',
      customerId: customer,
      receivedDate: '2026-02-02',
      changesInternal: 'PFMEA、控制计划',
    });
    const record = (
      await co.as.qa1.post('/api/documents', {
        title: '2026年内审报告',
        docNumber: 'ZL-2026-01',
        responsibleParty: '品质部',
        category: 'records',
        issueDate: '2026-02-14',
        pages: 12,
        remarks: '附整改清单',
      })
    ).json().id;
    await co.as.archivist.post(`/api/documents/${record}/file`);
  });

  const titles = async (as: Client, register: string) =>
    ((await as.get(`/api/documents?register=${register}`)).json().items as Json[]).map((d) => d.title);

  it('lists each register, within clearance', async () => {
    expect(await titles(app.co.as.qamgr, 'external')).toEqual(['机密外来标准', '冷轧钢板标准']);
    expect(await titles(app.co.as.sales1, 'external')).toEqual(['冷轧钢板标准']);
    expect(await titles(app.co.as.qamgr, 'customer')).toEqual(['支架图纸']);
    expect(await titles(app.co.as.qamgr, 'filed')).toEqual(['2026年内审报告']);
    const byNumber = (await app.co.as.qamgr.get('/api/documents?sort=archiveNo')).json();
    expect(byNumber.items.map((d: Json) => d.archiveNo)).toEqual(['Z001-WS·2026-D10-ZL-0001']);
  });

  it('exports 外来文件清单 with its columns, leaving out what the reader may not see', async () => {
    const res = await app.co.as.sales1.get('/api/documents/registers/external.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('外来文件清单'));
    const rows = await readXlsx(res.rawPayload);
    expect(rows).toEqual([
      ['序号', '文件名称', '文件编号', '发布日期/版本', '接收日期', '归口部门', '分发范围', '状态'],
      ['1', '冷轧钢板标准', 'GB/T 708-2019', '2019-05-10 / 2019版', '2026-01-08', '品质部', '', '现行'],
    ]);
  });

  it('lists superseded versions below their document when asked (R-D4)', async () => {
    const { co } = app;
    const id = ((await co.as.qa1.get('/api/documents?register=external')).json().items as Json[]).find(
      (d) => d.title === '冷轧钢板标准',
    )?.id as string;
    await supersede(
      co.as.qa1,
      id,
      { versionLabel: '2024版', issueDate: '2024-03-01', receivedDate: '2026-02-20' },
      { name: 'GB-T-708-2024.pdf', content: PDF },
    );
    const rows = await readXlsx(
      (await co.as.sales1.get('/api/documents/registers/external.xlsx?obsolete=true')).rawPayload,
    );
    expect(rows.slice(1)).toEqual([
      ['1', '冷轧钢板标准', 'GB/T 708-2019', '2024-03-01 / 2024版', '2026-02-20', '品质部', '', '现行'],
      [
        '2',
        '冷轧钢板标准',
        'GB/T 708-2019',
        '2019-05-10 / 2019版',
        '2026-01-08',
        '品质部',
        '',
        '作废 2026-03-02',
      ],
    ]);
    const plain = await readXlsx(
      (await co.as.sales1.get('/api/documents/registers/external.xlsx')).rawPayload,
    );
    expect(plain).toHaveLength(2);
    const versions = (await co.as.sales1.get(`/api/documents/obsolete-versions?ids=${id},nope`)).json();
    expect(versions).toEqual({
      [id]: [
        {
          label: '2019版',
          seq: 1,
          issueDate: '2019-05-10',
          receivedDate: '2026-01-08',
          obsoletedOn: '2026-03-02',
        },
      ],
    });
    // Only for documents the reader may see.
    const secret = ((await co.as.qamgr.get('/api/documents?register=external')).json().items as Json[]).find(
      (d) => d.title === '机密外来标准',
    )?.id as string;
    await supersede(co.as.qamgr, secret, { versionLabel: 'B' }, { name: 'B.pdf', content: PDF });
    expect((await co.as.sales1.get(`/api/documents/obsolete-versions?ids=${secret}`)).json()).toEqual({});
  });

  it('exports 客户提供资料一览表 and 归档文件目录 with 8-digit dates', async () => {
    const customer = await readXlsx(
      (await app.co.as.qamgr.get('/api/documents/registers/customer.xlsx')).rawPayload,
    );
    expect(customer[0]).toEqual([
      '序号',
      '客户',
      '文件名称',
      '文件编号',
      '发布日期/版本',
      '接收日期',
      '归口部门',
      '分发范围',
      '是否引起内部文件变更（PFMEA、控制计划、BOM、SOP）',
      '状态',
    ]);
    expect(customer[1]).toEqual([
      '1',
      expect.stringMatching(/^佛山精工五金厂（KH2026\d{4}）$/),
      '支架图纸',
      'FS-001',
      '',
      '2026-02-02',
      '品质部',
      '',
      'PFMEA、控制计划',
      '现行',
    ]);
    const filed = await readXlsx(
      (await app.co.as.qamgr.get('/api/documents/registers/filed.xlsx')).rawPayload,
    );
    // DA/T 22 order: 序号 first.
    expect(filed).toEqual([
      ['序号', '档号', '文号', '责任者', '题名', '日期', '密级', '页数', '备注'],
      [
        '1',
        'Z001-WS·2026-D10-ZL-0001',
        'ZL-2026-01',
        '品质部',
        '2026年内审报告',
        '20260214',
        '普通',
        '12',
        '附整改清单',
      ],
    ]);
    const audit = (await app.co.as.admin.get('/api/audit?action=document.export')).json().items as Json[];
    expect(audit).toHaveLength(5);
  });

  it('exports every register as CSV too: UTF-8 with a BOM, or GBK on request (R-W3)', async () => {
    const { as } = app.co;
    const utf8 = await as.qamgr.get('/api/documents/registers/filed.csv');
    expect(utf8.statusCode).toBe(200);
    expect(utf8.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(utf8.headers['content-disposition']).toContain(encodeURIComponent('归档文件目录-'));
    expect([...utf8.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(utf8.rawPayload.toString('utf8').slice(1).split('\r\n')).toEqual([
      '序号,档号,文号,责任者,题名,日期,密级,页数,备注',
      '1,Z001-WS·2026-D10-ZL-0001,ZL-2026-01,品质部,2026年内审报告,20260214,普通,12,附整改清单',
      '',
    ]);
    const gbkRes = await as.qamgr.get('/api/documents/registers/customer.csv?encoding=gbk');
    expect(gbkRes.statusCode).toBe(200);
    expect(gbkRes.headers['content-type']).toBe('text/csv; charset=gbk');
    // No BOM, and the bytes are GBK: 序号 is D0 F2 BA C5.
    expect([...gbkRes.rawPayload.subarray(0, 4)]).toEqual([0xd0, 0xf2, 0xba, 0xc5]);
    expect(gbkRes.rawPayload.equals(gbk(new TextDecoder('gbk').decode(gbkRes.rawPayload)))).toBe(true);
    const lines = new TextDecoder('gbk').decode(gbkRes.rawPayload).split('\r\n');
    expect(lines[0]).toBe(
      '序号,客户,文件名称,文件编号,发布日期/版本,接收日期,归口部门,分发范围,是否引起内部文件变更（PFMEA、控制计划、BOM、SOP）,状态',
    );
    expect(lines[1]).toMatch(
      /^1,佛山精工五金厂（KH2026\d{4}）,支架图纸,FS-001,,2026-02-02,品质部,,PFMEA、控制计划,现行$/,
    );
    expect(lines).toHaveLength(3);
    // A reader below a record's level does not get it in CSV either.
    const external = (await as.sales1.get('/api/documents/registers/external.csv')).rawPayload.toString(
      'utf8',
    );
    expect(external).toContain('冷轧钢板标准');
    expect(external).not.toContain('机密外来标准');
    expect(
      (await as.qamgr.get('/api/documents/registers/external.csv')).rawPayload.toString('utf8'),
    ).toContain('机密外来标准');
    expect((await as.qamgr.get('/api/documents/registers/filed.csv?encoding=big5')).statusCode).toBe(400);
  });
});

describe('documents: controlled distribution, recall and stamped copies (R-D5)', () => {
  const app = companyApp();
  let id: string;
  let fileId: string;
  const extra: Record<string, string> = {};
  const textOf = async (pdf: Buffer) => {
    const file = path.join(app.t.dataDir, `stamped-${Math.random()}.pdf`);
    fs.writeFileSync(file, pdf);
    return (await extractText(file, 'application/pdf')) ?? '';
  };
  beforeAll(async () => {
    const { co } = app;
    id = (
      await co.as.qa1.post('/api/documents', {
        title: '来料检验规范',
        docNumber: 'QW-IQC-001',
        category: 'records',
        versionLabel: 'A/0',
        customerAuthorizedBy: '客户质量部 王工',
        customerAuthorizedOn: '2026-02-01',
      })
    ).json().id;
    fileId = (await upload(co.as.qa1, id, '检验规范.pdf', CONTRACT_PDF)).json().id;
    // The files stamped below are part of the version before any copy of it goes out: a version
    // that was handed out takes no further file.
    const { PDFDocument, concatTransformationMatrix, degrees } = await import('pdf-lib');
    const odd = await PDFDocument.create();
    odd.addPage([595, 842]).setRotation(degrees(90));
    odd.addPage([700, 900]).setCropBox(50, 100, 595, 700);
    // Some scanners leave their page transformation in force after the page's content.
    odd.addPage([595, 842]).pushOperators(concatTransformationMatrix(0.5, 0, 0, -0.5, 0, 842));
    const tiny = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636400010000050001e9fa0de10000000049454e44ae426082',
      'hex',
    );
    for (const [key, name, content] of [
      ['tiny', '照片.png', tiny],
      ['text', '说明.txt', Buffer.from('文字')],
      ['photo', '现场照片.png', png(800, 600)],
      ['thumb', '缩略图.png', png(40, 30)],
      ['scan', '扫描件.pdf', Buffer.from(await odd.save())],
    ] as const)
      extra[key] = (await upload(co.as.qa1, id, name, content)).json().id;
  });

  it('keeps a default distribution per category, configured by the administrator (R-D2)', async () => {
    const { co } = app;
    const body = {
      name: '内部文件与记录',
      archiveClass: 'WS',
      retention: 'D10',
      departmentId: co.quality,
      distribution: [co.quality, co.sales],
    };
    expect((await co.as.archivist.put('/api/document-config/categories/records', body)).statusCode).toBe(403);
    const bad = await co.as.admin.put('/api/document-config/categories/records', {
      ...body,
      distribution: ['x'],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ field: 'distribution.0' });
    const saved = await co.as.admin.put('/api/document-config/categories/records', body);
    expect(saved.json()).toMatchObject({ departmentName: '品质部', distribution: [co.quality, co.sales] });
    const added = await co.as.admin.put('/api/document-config/categories/drawings', {
      name: '图样',
      archiveClass: 'kj',
      retention: 'Y',
    });
    expect(added.json()).toMatchObject({
      code: 'drawings',
      archiveClass: 'KJ',
      external: false,
      distribution: [],
    });
    const listed = (await co.as.sales1.get('/api/document-config/categories')).json() as Json[];
    expect(listed.map((c) => c.code)).toContain('drawings');
  });

  it('numbers one copy per recipient and shows them as the distribution', async () => {
    const { co } = app;
    const body = {
      mark: 'controlled',
      recipients: [{ departmentId: co.quality }, { userId: co.ids.sales1 }],
    };
    expect((await co.as.qamgr.post(`/api/documents/${id}/copies`, body)).statusCode).toBe(403);
    const res = await co.as.archivist.post(`/api/documents/${id}/copies`, body);
    expect(res.statusCode).toBe(201);
    expect(
      res.json().map((c: Json) => [c.copyNo, c.mark, c.recipient, c.versionLabel, c.recallStatus]),
    ).toEqual([
      [1, 'controlled', '品质部', 'A/0', 'none'],
      [2, 'controlled', '销售部 sales1', 'A/0', 'none'],
    ]);
    const more = await co.as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'reference',
      recipients: [{ departmentId: co.sales }],
    });
    expect(more.json()[0].copyNo).toBe(3);
    const bad = await co.as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: 'nope' }],
    });
    expect(bad.statusCode).toBe(422);
    const listed = (await co.as.qa1.get('/api/documents?category=records')).json().items[0];
    expect(listed.distribution).toBe('品质部（受控 01）、销售部 sales1（受控 02）、销售部（只供参考 03）');
    const doc = (await co.as.qa1.get(`/api/documents/${id}`)).json();
    expect(doc).toMatchObject({
      customerAuthorizedBy: '客户质量部 王工',
      customerAuthorizedOn: '2026-02-01',
      pendingRecalls: 0,
    });
  });

  it('stamps a PDF copy with the mark, copy number, recipient and date, leaving the original alone', async () => {
    const { co } = app;
    const copies = (await co.as.archivist.get(`/api/documents/${id}/copies`)).json() as Json[];
    const first = copies.find((c) => c.copyNo === 1) as Json;
    const stamped = await co.as.archivist.get(
      `/api/documents/${id}/files/${fileId}/stamped?copyId=${first.id}`,
    );
    expect(stamped.statusCode).toBe(200);
    expect(stamped.headers['content-type']).toBe('application/pdf');
    const text = await textOf(stamped.rawPayload);
    expect(text).toContain('受控 · 份号 01 · 品质部 · 2026-03-02');
    expect(text).toContain('采购合同'); // the original page is still there
    // Anyone who may read it gets a reference copy in their own name; only the archivist prints numbered copies.
    const mine = await co.as.qa1.get(`/api/documents/${id}/files/${fileId}/stamped`);
    expect(await textOf(mine.rawPayload)).toContain('只供参考 · qa1 · 2026-03-02');
    expect(
      (await co.as.qa1.get(`/api/documents/${id}/files/${fileId}/stamped?copyId=${first.id}`)).statusCode,
    ).toBe(403);
    expect((await co.as.sales2.get(`/api/documents/${id}/files/${fileId}/stamped`)).statusCode).toBe(404);
    const original = await co.as.qa1.get(`/api/documents/${id}/files/${fileId}/content`);
    expect(sha256(original.rawPayload)).toBe(sha256(CONTRACT_PDF));
    const audit = (await co.as.admin.get('/api/audit?action=document.stamped_copy')).json().items as Json[];
    expect(audit).toHaveLength(2);
  });

  it('stamps images into a PDF, and refuses other types', async () => {
    const { co } = app;
    const res = await co.as.qa1.get(`/api/documents/${id}/files/${extra.tiny}/stamped`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(await textOf(res.rawPayload)).toContain('只供参考');
    const refused = await co.as.qa1.get(`/api/documents/${id}/files/${extra.text}/stamped`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().title).toBe('只能为 PDF 和图片（PNG、JPEG）生成盖章副本');
  });

  it('prints stamped copies of a PDF and of a photograph legibly (R-L4)', async (ctx) => {
    const { co } = app;
    const copies = (await co.as.archivist.get(`/api/documents/${id}/copies`)).json() as Json[];
    const first = copies.find((c) => c.copyNo === 1) as Json;
    const photo = extra.photo;
    const stamped = {
      pdf: await co.as.archivist.get(`/api/documents/${id}/files/${fileId}/stamped?copyId=${first.id}`),
      photo: await co.as.archivist.get(`/api/documents/${id}/files/${photo}/stamped?copyId=${first.id}`),
      reference: await co.as.qa1.get(`/api/documents/${id}/files/${photo}/stamped`),
    };
    for (const res of Object.values(stamped)) {
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      await expectGlyphsDrawn(res.rawPayload);
    }
    for (const res of [stamped.pdf, stamped.photo]) {
      const [page] = await ocrPdf(ctx, res.rawPayload);
      expectRead(page as string, '受控'); // the header line and the boxed mark
      expectRead(page as string, '份号01');
      expectRead(page as string, '品质部');
      expectRead(page as string, '2026-03-02');
    }
    const [reference] = await ocrPdf(ctx, stamped.reference.rawPayload);
    expectRead(reference as string, '只供参考');
    expectRead(reference as string, '2026-03-02');
    // A thumbnail-sized image still gets a page the stamp fits on.
    const thumb = extra.thumb;
    const small = await co.as.archivist.get(`/api/documents/${id}/files/${thumb}/stamped?copyId=${first.id}`);
    const [smallPage] = await ocrPdf(ctx, small.rawPayload);
    expectRead(smallPage as string, '份号01');
    expectRead(smallPage as string, '2026-03-02');
  });

  it('stamps each page upright and in view: rotated, cropped, or leaving its drawing flipped', async (ctx) => {
    const { co } = app;
    const file = extra.scan;
    const copies = (await co.as.archivist.get(`/api/documents/${id}/copies`)).json() as Json[];
    const first = copies.find((c) => c.copyNo === 1) as Json;
    const res = await co.as.archivist.get(`/api/documents/${id}/files/${file}/stamped?copyId=${first.id}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    await expectGlyphsDrawn(res.rawPayload);
    const pages = await ocrPdf(ctx, res.rawPayload);
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expectRead(page, '受控');
      expectRead(page, '份号01');
      expectRead(page, '品质部');
      expectRead(page, '2026-03-02');
    }
  });

  it('lists every copy of a superseded version for recall until the archivist confirms it', async () => {
    const { co } = app;
    await supersede(
      co.as.qa1,
      id,
      { versionLabel: 'B/0', note: '修订抽样方案' },
      { name: '来料检验规范B0.pdf', content: CONTRACT_PDF },
    );
    const doc = (await co.as.qa1.get(`/api/documents/${id}`)).json();
    expect(doc.pendingRecalls).toBe(3);
    const pending = (await co.as.archivist.get('/api/documents/recalls')).json() as Json[];
    expect(pending.map((c) => [c.documentTitle, c.copyNo, c.recallStatus])).toEqual([
      ['来料检验规范', 1, 'pending'],
      ['来料检验规范', 2, 'pending'],
      ['来料检验规范', 3, 'pending'],
    ]);
    expect((await co.as.qa1.get('/api/documents/recalls')).statusCode).toBe(403);
    // The old version's file now stamps as 作废.
    const old = await co.as.qa1.get(`/api/documents/${id}/files/${fileId}/stamped`);
    expect(await textOf(old.rawPayload)).toContain('作废 · qa1');
    const done = await co.as.archivist.post(`/api/documents/${id}/copies/${pending[0]?.id}/recall`, {
      note: '完好',
    });
    expect(done.json()).toMatchObject({
      recallStatus: 'recalled',
      recalledBy: 'archivist',
      recallNote: '完好',
    });
    expect(
      (await co.as.archivist.post(`/api/documents/${id}/copies/${pending[0]?.id}/recall`, {})).statusCode,
    ).toBe(409);
    expect((await co.as.qa1.get(`/api/documents/${id}`)).json().pendingRecalls).toBe(2);
    // The distribution column only shows copies of the current version.
    expect((await co.as.qa1.get('/api/documents?category=records')).json().items[0].distribution).toBe('');
    const events = (await co.as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({ kind: 'recall', details: { copy: '品质部（01）', note: '完好' } });
  });
});
