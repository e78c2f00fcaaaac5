import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLegacyTerms } from '../../db/migrations/0035_document_secrecy.js';
import { companyApp } from '../../test-support/customers.js';
import { uploadFile } from '../../test-support/documents.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';

type Json = Record<string, unknown>;
const run = promisify(execFile);

/** A PDF of `pages` A4 pages, each saying which page it is. */
async function pagesPdf(pages: number): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++)
    pdf.addPage([595, 842]).drawText(`Process standard page ${i}`, { x: 72, y: 400, size: 18, font });
  return Buffer.from(await pdf.save());
}

describe('documents: secrecy terms, marks and the 解密/降密 review list (R-P1, R-P10)', () => {
  const app = companyApp();
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const { co } = app;
    const register = async (key: string, body: Json) => {
      const res = await co.as.qa1.post('/api/documents', { category: 'product_standards', ...body });
      expect(res.statusCode, res.body).toBe(201);
      ids[key] = res.json().id;
    };
    // Today is 2026-03-02 (the test clock).
    await register('ended', {
      title: '机密工艺标准',
      secrecy: 'confidential',
      secrecyTerm: '10年',
      issueDate: '2016-01-15',
    });
    await register('soon', {
      title: '秘密检验规程',
      secrecy: 'secret',
      secrecyTerm: { kind: 'until', until: '2026-03-20' },
    });
    await register('top', {
      title: '绝密工艺方案',
      secrecy: 'top_secret',
      secrecyTerm: '5年',
      issueDate: '2020-01-01',
    });
    await register('long', { title: '机密配方', secrecy: 'confidential', secrecyTerm: '长期' });
    await register('later', {
      title: '秘密图样',
      secrecy: 'secret',
      secrecyTerm: { kind: 'years', years: 3, from: '2025-06-01' },
    });
  });

  it('stores the term structured and writes the mark as the standard does', async () => {
    const { co } = app;
    const get = async (key: string) => (await co.as.qa1.get(`/api/documents/${ids[key]}`)).json();
    expect(await get('ended')).toMatchObject({
      secrecyTerm: '10年',
      secrecyTermDetail: { kind: 'years', years: 10, from: '2016-01-15', until: '2026-01-15' },
      secrecyMark: '机密★10年',
      secrecyTermEnded: true,
    });
    expect(await get('soon')).toMatchObject({
      secrecyMark: '秘密★2026年3月20日',
      secrecyTermDetail: { kind: 'until', until: '2026-03-20' },
      secrecyTermEnded: false,
    });
    expect(await get('long')).toMatchObject({
      secrecyMark: '机密★长期',
      secrecyTermDetail: { kind: 'long', until: null },
    });
    expect(await get('later')).toMatchObject({
      secrecyMark: '秘密★3年',
      secrecyTermDetail: { until: '2028-06-01' },
    });
    const bad = await co.as.qa1.post('/api/documents', {
      title: '机密文件',
      category: 'records',
      secrecy: 'confidential',
      secrecyTerm: '直到项目结束',
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      field: 'secrecyTerm',
      message: '保密期限应写作年数（如 10年）、解密日期（如 2030-12-31）或“长期”',
    });
    // A classified record's term changes only as its level does: by an approved 密级变更 (R-P10).
    const changed = await co.as.qa1.patch(`/api/documents/${ids.later}`, { secrecyTerm: '2030-12-31' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({
      code: 'secrecy_change_needs_approval',
      errors: [expect.objectContaining({ field: 'secrecyTerm' })],
    });
    expect((await co.as.qa1.get(`/api/documents/${ids.later}`)).json()).toMatchObject({
      secrecyMark: '秘密★3年',
    });
  });

  it('lists an ended term for review and changes nothing else; the reading is audited', async () => {
    const { co } = app;
    const before = (await co.as.qa1.get(`/api/documents/${ids.ended}`)).json();
    const eventsBefore = (await co.as.qa1.get(`/api/documents/${ids.ended}/events`)).json();
    const auditOf = async () =>
      ((await co.as.admin.get(`/api/audit?target=${ids.ended}&limit=200`)).json().items as Json[]).length;
    const targetAudit = await auditOf();
    expect((await co.as.sales1.get('/api/documents/secrecy-reviews')).statusCode).toBe(403);
    const res = await co.as.archivist.get('/api/documents/secrecy-reviews');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    expect(list.today).toBe('2026-03-02');
    // The 绝密 record is above the archivist's clearance: not listed, not counted.
    expect(list.items.map((i: Json) => [i.title, i.state, i.secrecyMark, i.termUntil])).toEqual([
      ['机密工艺标准', 'ended', '机密★10年', '2026-01-15'],
      ['秘密检验规程', 'soon', '秘密★2026年3月20日', '2026-03-20'],
    ]);
    const gm = (await co.as.gm.get('/api/documents/secrecy-reviews')).json();
    expect(gm.items.map((i: Json) => i.title)).toEqual(['绝密工艺方案', '机密工艺标准', '秘密检验规程']);
    // Nothing about the record changed: level, term, history, its own audit trail.
    const after = (await co.as.qa1.get(`/api/documents/${ids.ended}`)).json();
    expect(after).toMatchObject({
      secrecy: 'confidential',
      secrecyTerm: '10年',
      updatedAt: before.updatedAt,
    });
    expect((await co.as.qa1.get(`/api/documents/${ids.ended}/events`)).json()).toEqual(eventsBefore);
    // Its own audit trail gained only the document.read of the page read just above.
    expect(await auditOf()).toBe(targetAudit + 1);
    const reads = (await co.as.admin.get('/api/audit?action=document.secrecy_reviews')).json()
      .items as Json[];
    expect(reads).toHaveLength(2);
    // The home page's to-do counts the ended terms the reader sees.
    const home = (await co.as.archivist.get('/api/dashboard?panel=archive')).json();
    expect(JSON.stringify(home)).toContain('"secrecyReviews"');
  });

  it('exports the review list as CSV and .xlsx, within clearance', async () => {
    const { co } = app;
    const csv = await co.as.archivist.get('/api/documents/secrecy-reviews/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFF序号,题名')).toBe(true);
    expect(csv.body).toContain('机密工艺标准');
    expect(csv.body).not.toContain('绝密工艺方案');
    const xlsx = await co.as.archivist.get('/api/documents/secrecy-reviews/export');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('prints 机密★10年 on every page of a stamped copy, with the level in the header', async (ctx) => {
    const { co } = app;
    const fileId = (
      await uploadFile(co.as.qa1, ids.ended as string, '工艺标准.pdf', await pagesPdf(3))
    ).json().id;
    const copy = await co.as.archivist.post(`/api/documents/${ids.ended}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: co.quality }],
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const stamped = await co.as.archivist.get(
      `/api/documents/${ids.ended}/files/${fileId}/stamped?copyId=${copy.json()[0].id}`,
    );
    expect(stamped.statusCode).toBe(200);
    await expectGlyphsDrawn(stamped.rawPayload);
    const file = path.join(app.t.dataDir, 'stamped-secret.pdf');
    fs.writeFileSync(file, stamped.rawPayload);
    for (let page = 1; page <= 3; page++) {
      const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), file, '-']);
      expect(stdout, `page ${page}`).toContain('机密★10年');
      expect(stdout).toContain(`Process standard page ${page}`);
    }
    const pages = await ocrPdf(ctx, stamped.rawPayload);
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expectRead(page, '机密');
      expectRead(page, '10年');
      expectRead(page, '受控');
    }
    // A reader's own reference copy carries the mark too.
    const mine = await co.as.qa1.get(`/api/documents/${ids.ended}/files/${fileId}/stamped`);
    fs.writeFileSync(file, mine.rawPayload);
    const { stdout } = await run('pdftotext', [file, '-']);
    expect(stdout.split('机密★10年').length - 1).toBe(3);
  });
});

describe('documents: 密级变更/解除 is a recorded decision (R-P10)', () => {
  const app = companyApp();
  let id: string;
  beforeAll(async () => {
    const { co } = app;
    const res = await co.as.qa1.post('/api/documents', {
      title: '机密技术协议',
      docNumber: 'JS-2016-003',
      category: 'product_standards',
      secrecy: 'confidential',
      secrecyTerm: '10年',
      issueDate: '2016-01-15',
    });
    id = res.json().id;
  });

  it('changes a level only through a request the general manager approves, in history and audit', async () => {
    const { co } = app;
    const patched = await co.as.qa1.patch(`/api/documents/${id}`, { secrecy: 'secret' });
    expect(patched.statusCode).toBe(409);
    expect(patched.json().code).toBe('secrecy_change_needs_approval');
    const body = {
      toLevel: 'secret',
      toTerm: '5年',
      reason: '协议部分内容已公开，降为秘密',
    };
    expect((await co.as.sales1.post(`/api/documents/${id}/secrecy-changes`, body)).statusCode).toBe(404);
    expect((await co.as.qa1.post(`/api/documents/${id}/secrecy-changes`, body)).statusCode).toBe(403);
    const asked = await co.as.archivist.post(`/api/documents/${id}/secrecy-changes`, body);
    expect(asked.statusCode, asked.body).toBe(201);
    const change = asked.json();
    expect(change).toMatchObject({
      number: 'MJBG-2026-0001',
      fromLevel: 'confidential',
      fromMark: '机密★10年',
      toLevel: 'secret',
      toMark: '秘密★5年',
      status: 'pending',
      requestedBy: 'archivist',
    });
    const again = await co.as.archivist.post(`/api/documents/${id}/secrecy-changes`, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().title).toBe('该文件已有待审批的密级变更申请（MJBG-2026-0001），请先审批');
    // Asked is not decided: the record keeps its level.
    expect((await co.as.qa1.get(`/api/documents/${id}`)).json()).toMatchObject({ secrecy: 'confidential' });
    const decide = `/api/documents/${id}/secrecy-changes/${change.id}/decide`;
    expect((await co.as.archivist.post(decide, { approve: true })).statusCode).toBe(403);
    const approved = await co.as.gm.post(decide, { approve: true, note: '同意降为秘密' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: 'gm',
      decisionNote: '同意降为秘密',
    });
    expect((await co.as.gm.post(decide, { approve: false })).json().code).toBe('secrecy_change_decided');
    const doc = (await co.as.qa1.get(`/api/documents/${id}`)).json();
    expect(doc).toMatchObject({
      secrecy: 'secret',
      secrecyMark: '秘密★5年',
      // The new term runs from the day it was asked for, not from the issue date.
      secrecyTermDetail: { from: '2026-03-02', until: '2031-03-02' },
      secrecyTermEnded: false,
    });
    const events = (await co.as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events.slice(0, 2).map((e) => e.kind)).toEqual(['secrecy_change', 'secrecy_request']);
    expect(events[0]).toMatchObject({
      actorName: 'gm',
      details: { number: 'MJBG-2026-0001', from: '机密', to: '秘密', toTerm: '5年', note: '同意降为秘密' },
    });
    const audit = (await co.as.admin.get('/api/audit?action=document.secrecy_change')).json().items as Json[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: id });
    // No longer on the review list: its new term runs to 2031.
    const list = (await co.as.gm.get('/api/documents/secrecy-reviews')).json();
    expect(list.items.map((i: Json) => i.id)).not.toContain(id);
  });

  it('never lets the general manager decide their own request; 解除 declassifies', async () => {
    const { co } = app;
    const own = await co.as.gm.post(`/api/documents/${id}/secrecy-changes`, {
      toLevel: 'normal',
      reason: '保密期限内已无保密必要，解除密级',
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ declassify: true, toMark: null, toTerm: null });
    const decide = `/api/documents/${id}/secrecy-changes/${own.json().id}/decide`;
    const refused = await co.as.gm.post(decide, { approve: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().title).toBe('不能审批自己提出的密级变更申请');
    const rejected = await co.as.lowgm.post(decide, { approve: false });
    // The other general manager is cleared only for 普通: the 秘密 record is not there for them.
    expect(rejected.statusCode).toBe(404);
    expect((await co.as.qa1.get(`/api/documents/${id}`)).json()).toMatchObject({ secrecy: 'secret' });
  });

  it('prints the 密级变更审批表 like the paper form, readable', async (ctx) => {
    const { co } = app;
    const [, change] = (await co.as.gm.get(`/api/documents/${id}/secrecy-changes`)).json() as Json[];
    const res = await co.as.gm.get(`/api/documents/${id}/secrecy-changes/${change?.id}/form.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    await expectGlyphsDrawn(res.rawPayload);
    const file = path.join(app.t.dataDir, 'form.pdf');
    fs.writeFileSync(file, res.rawPayload);
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    for (const text of [
      '密级变更审批表',
      'MJBG-2026-0001',
      '机密技术协议',
      '机密★10年',
      '秘密★5年',
      '同意降为秘密',
    ])
      expect(stdout).toContain(text);
    const [page] = await ocrPdf(ctx, res.rawPayload);
    expectRead(page as string, '密级变更审批表');
    expectRead(page as string, 'MJBG-2026-0001');
    expectRead(page as string, '协议部分内容已公开，降为秘密', 1);
    expectRead(page as string, '同意降为秘密', 1);
    const audit = (await co.as.admin.get('/api/audit?action=document.secrecy_form')).json().items as Json[];
    expect(audit).toHaveLength(1);
  });
  it("lets the requester withdraw a request nobody decided yet (the general manager's own), and only them", async () => {
    const { co } = app;
    // The general manager's own request above waits for a decision nobody cleared may make.
    const pending = ((await co.as.gm.get(`/api/documents/${id}/secrecy-changes`)).json() as Json[]).find(
      (c) => c.status === 'pending',
    ) as Json;
    expect(pending.can).toEqual({ decide: false, withdraw: true });
    const blocked = await co.as.archivist.post(`/api/documents/${id}/secrecy-changes`, {
      toLevel: 'confidential',
      toTerm: '10年',
      reason: '恢复为机密',
    });
    expect(blocked.statusCode).toBe(409);
    const url = `/api/documents/${id}/secrecy-changes/${pending.id}/withdraw`;
    const other = await co.as.archivist.post(url);
    expect(other.statusCode).toBe(403);
    expect(other.json().title).toBe('只有申请人本人可以撤回密级变更申请');
    const done = await co.as.gm.post(url);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'withdrawn',
      decidedBy: 'gm',
      can: { withdraw: false, decide: false },
    });
    expect((await co.as.gm.post(url)).statusCode).toBe(409);
    // Nothing changed on the record; the withdrawal is history and audit; a new request may be made.
    expect((await co.as.qa1.get(`/api/documents/${id}`)).json()).toMatchObject({ secrecy: 'secret' });
    const events = (await co.as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({ kind: 'secrecy_withdraw' });
    const audit = (await co.as.admin.get('/api/audit?action=document.secrecy_withdraw')).json()
      .items as Json[];
    expect(audit).toHaveLength(1);
    const again = await co.as.archivist.post(`/api/documents/${id}/secrecy-changes`, {
      toLevel: 'confidential',
      toTerm: '10年',
      reason: '恢复为机密',
    });
    expect(again.statusCode, again.body).toBe(201);
  });
});

describe('migration 0035: the free-text 保密期限 of earlier releases', () => {
  const app = companyApp();

  it('reads what it can into the structured term and keeps the rest as written', async () => {
    const { co, t } = app;
    const make = async (title: string, issueDate: string | null) =>
      (
        await co.as.qa1.post('/api/documents', { title, category: 'records', secrecy: 'secret', issueDate })
      ).json().id as string;
    const rows: [string, string, string | null][] = [
      ['十年', await make('旧记录一', '2018-05-20'), '2018-05-20'],
      ['长期', await make('旧记录二', null), null],
      ['2027.6.30', await make('旧记录三', null), null],
      ['项目结束后解密', await make('旧记录四', '2020-01-01'), null],
    ];
    // As an earlier release stored them: free text, no structure.
    const db = t.database.db;
    for (const [text, id] of rows)
      await db
        .updateTable('documents')
        .set({ secrecy_term: text, secrecy_term_kind: null, secrecy_term_until: null })
        .where('id', '=', id)
        .execute();
    await readLegacyTerms(db as never);
    const get = async (id: string) => (await co.as.qa1.get(`/api/documents/${id}`)).json();
    expect(await get(rows[0]?.[1] as string)).toMatchObject({
      secrecyTerm: '10年',
      secrecyMark: '秘密★10年',
      secrecyTermDetail: { kind: 'years', years: 10, from: '2018-05-20', until: '2028-05-20' },
    });
    expect(await get(rows[1]?.[1] as string)).toMatchObject({ secrecyMark: '秘密★长期' });
    expect(await get(rows[2]?.[1] as string)).toMatchObject({
      secrecyMark: '秘密★2027年6月30日',
      secrecyTermDetail: { kind: 'until', until: '2027-06-30' },
    });
    // Unreadable: shown as written, no structure, on no review list.
    expect(await get(rows[3]?.[1] as string)).toMatchObject({
      secrecyTerm: '项目结束后解密',
      secrecyMark: '秘密★项目结束后解密',
      secrecyTermDetail: null,
      secrecyTermEnded: false,
    });
  });
});
