import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../platform/scheduler.js';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { approveThrough, CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { operationsTasks } from '../operations/schedule.js';

// Approval of internal documents (issue 18): a work instruction is drawn up (编制), reviewed by
// its department's manager (审核), countersigned by the departments its category names (会签)
// and approved by the general manager (批准) with its effective date (生效日期). Until then it is
// not in force: it cannot be distributed, stamped or made current.

type Json = Record<string, unknown>;
interface Approval {
  state: string;
  round: number;
  effectiveDate: string | null;
  drafter: string | null;
  reviewer: string | null;
  approver: string | null;
  countersign: { departmentName: string; signerName: string | null }[];
  signatures: Json[];
}
type Version = { id: string; status: string; label: string | null; approval: Approval | null; can: Json };

describe('approval of internal documents: 编制 → 审核 → 会签 → 批准, 生效日期', () => {
  const app = companyApp();
  const doc = async (as: Client, id: string) => (await as.get(`/api/documents/${id}`)).json();
  const versionsOf = async (as: Client, id: string) => (await doc(as, id)).versions as Version[];
  const draftOf = async (as: Client, id: string) =>
    (await versionsOf(as, id)).find((v) => v.status === 'draft') as Version;
  const step = (as: Client, id: string, versionId: string, name: string, body?: Json) =>
    as.post(`/api/documents/${id}/versions/${versionId}/${name}`, body);

  /** Work instructions are countersigned by sales and quality. */
  async function configure() {
    const { as, sales, quality } = app.co;
    const categories = (await as.admin.get('/api/document-config/categories')).json() as Json[];
    const procedures = categories.find((c) => c.code === 'procedures') as Json;
    expect(procedures).toMatchObject({ name: '程序文件与作业指导书', approval: true, external: false });
    const { code: _code, departmentName: _d, ...body } = procedures;
    const saved = await as.admin.put('/api/document-config/categories/procedures', {
      ...body,
      countersign: [sales, quality],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().countersign).toEqual([sales, quality]);
  }

  /** A work instruction drawn up by `author`, with its file. */
  async function drafted(author: Client, title: string) {
    const res = await author.post('/api/documents', { title, category: 'procedures', versionLabel: 'A/0' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect(res.json()).toMatchObject({ status: 'draft', source: 'internal' });
    expect((await uploadFile(author, id, `${title}.pdf`, CONTRACT_PDF)).statusCode).toBe(201);
    return { id, versionId: (await draftOf(author, id)).id };
  }

  it('keeps a work instruction out of force until approved: no distribution, stamp or release (409)', async () => {
    await configure();
    const { as, quality } = app.co;
    const { id, versionId } = await drafted(as.qa1, '注塑作业指导书');
    const page = await doc(as.qa1, id);
    expect(page.can.distribute).toBe(false);
    const v = page.versions[0] as Version;
    expect(v.approval).toMatchObject({ state: 'drafting', round: 1, drafter: null });
    expect(v.can).toMatchObject({ submit: true, release: false, review: false });
    const file = (page.versions[0].files as Json[])[0] as Json;

    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: quality }],
    });
    expect(sent.statusCode).toBe(409);
    expect(sent.json()).toMatchObject({
      code: 'document_not_effective',
      title: '该文件尚未批准生效，不能分发、盖章或作为现行版本使用',
    });
    const stamped = await as.qa1.get(`/api/documents/${id}/files/${file.id}/stamped`);
    expect(stamped.statusCode).toBe(409);
    expect(stamped.json().code).toBe('document_not_effective');
    const released = await step(as.qa1, id, versionId, 'release', { recallCopyIds: [] });
    expect(released.statusCode).toBe(409);
    expect(released.json()).toMatchObject({ code: 'version_not_approved' });
    expect(released.json().title).toContain('编制中');
    // Not listed as current.
    const current = (await as.qa1.get('/api/documents?status=current&category=procedures')).json().items;
    expect(current.map((d: Json) => d.id)).not.toContain(id);
    // Submitted, it still is not in force, and what was submitted no longer changes.
    expect((await step(as.qa1, id, versionId, 'submit')).statusCode).toBe(200);
    const again = await step(as.qa1, id, versionId, 'release', { recallCopyIds: [] });
    expect(again.json().title).toContain('待审核');
    const upload = await uploadFile(as.qa1, id, '改动.pdf', CONTRACT_PDF, versionId);
    expect(upload.statusCode).toBe(409);
    expect(upload.json().code).toBe('approval_state');
  });

  it('returns a version to its author with a reason; the author corrects and submits again', async () => {
    const { as } = app.co;
    const { id, versionId } = await drafted(as.qa1, '来料检验规程');
    expect((await step(as.qa1, id, versionId, 'submit')).statusCode).toBe(200);
    // The author does not review; a staff member of sales neither.
    const own = await step(as.qa1, id, versionId, 'review');
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('approval_signer_role');
    expect((await step(as.sales1, id, versionId, 'return', { reason: 'x' })).statusCode).toBe(403);
    // An empty reason is refused.
    expect((await step(as.qamgr, id, versionId, 'return', { reason: ' ' })).statusCode).toBe(400);
    const back = await step(as.qamgr, id, versionId, 'return', { reason: '抽样数量未写明' });
    expect(back.statusCode, back.body).toBe(200);
    const v = (await draftOf(as.qa1, id)).approval as Approval;
    expect(v).toMatchObject({ state: 'drafting', round: 2, drafter: null, reviewer: null });
    expect(v.signatures.map((s) => [s.step, s.decision, s.signerName, s.reason])).toEqual([
      ['draft', 'signed', 'qa1', null],
      ['review', 'returned', 'qamgr', '抽样数量未写明'],
    ]);
    const events = (await as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({ kind: 'approval_return', actorName: 'qamgr' });
    expect((events[0] as { details: Json }).details.reason).toBe('抽样数量未写明');
    const notes = (await as.qa1.get('/api/notifications')).json().items as Json[];
    expect(notes.some((n) => String(n.title).startsWith('文件被退回：来料检验规程'))).toBe(true);
    // Drawing up again: files change, then it is submitted a second time.
    expect((await uploadFile(as.qa1, id, '来料检验规程-修订.pdf', CONTRACT_PDF, versionId)).statusCode).toBe(
      201,
    );
    expect((await step(as.qa1, id, versionId, 'submit')).statusCode).toBe(200);
    expect((await draftOf(as.qamgr, id)).approval?.state).toBe('reviewing');
    const audit = (await as.admin.get('/api/audit?action=document.approval_return')).json().items as Json[];
    expect(audit.length).toBeGreaterThan(0);
  });

  it('is countersigned by both departments the category names before the general manager approves', async () => {
    const { as, ids } = app.co;
    const { id, versionId } = await drafted(as.qa1, '包装作业指导书');
    expect((await step(as.qa1, id, versionId, 'submit')).statusCode).toBe(200);
    // The quality manager reviews (the document is quality's); the sales manager may not.
    expect((await step(as.salesmgr, id, versionId, 'review')).statusCode).toBe(403);
    const reviewed = await step(as.qamgr, id, versionId, 'review');
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect((await draftOf(as.gm, id)).approval?.state).toBe('countersigning');
    // The general manager cannot approve before both countersignatures.
    const early = await step(as.gm, id, versionId, 'approve', { effectiveDate: '2026-03-02' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('approval_state');
    // A staff member does not countersign; the sales manager signs for sales.
    expect((await step(as.sales1, id, versionId, 'countersign', {})).statusCode).toBe(403);
    const salesSigned = await step(as.salesmgr, id, versionId, 'countersign', {});
    expect(salesSigned.statusCode, salesSigned.body).toBe(200);
    expect((await step(as.salesmgr, id, versionId, 'countersign', {})).json().code).toBe(
      'countersign_not_pending',
    );
    expect((await draftOf(as.gm, id)).approval?.state).toBe('countersigning');
    // The sales manager's to-do no longer lists it; the quality manager's does.
    const todoOf = async (c: Client) => (await c.get('/api/documents/approvals/pending')).json() as Json[];
    expect((await todoOf(as.salesmgr)).map((x) => x.documentId)).not.toContain(id);
    expect((await todoOf(as.qamgr)).map((x) => x.documentId)).toContain(id);
    expect((await step(as.qamgr, id, versionId, 'countersign', {})).statusCode).toBe(200);
    const v = (await draftOf(as.gm, id)).approval as Approval;
    expect(v.state).toBe('approving');
    expect(v.countersign.map((c) => [c.departmentName, c.signerName])).toEqual([
      ['销售部', 'salesmgr'],
      ['品质部', 'qamgr'],
    ]);
    expect((await todoOf(as.gm)).map((x) => x.documentId)).toContain(id);
    // An effective date in the past is refused with the field named.
    const past = await step(as.gm, id, versionId, 'approve', { effectiveDate: '2026-03-01' });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0]).toMatchObject({ field: 'effectiveDate', message: '日期不能早于今天' });
    const approved = await step(as.gm, id, versionId, 'approve', { effectiveDate: '2026-03-02' });
    expect(approved.statusCode, approved.body).toBe(200);
    const page = approved.json();
    expect(page.status).toBe('current');
    expect(page.versions[0]).toMatchObject({ status: 'current', label: 'A/0' });
    expect(page.versions[0].approval).toMatchObject({
      state: 'approved',
      drafter: 'qa1',
      reviewer: 'qamgr',
      approver: 'gm',
      effectiveDate: '2026-03-02',
    });
    expect(ids.gm).toBeTruthy();
  });

  it('never lets the author approve their own document, nor the reviewer approve what they reviewed', async () => {
    const { as } = app.co;
    // The general manager drafts (in sales), the sales manager reviews.
    const { id, versionId } = await drafted(as.gm, '销售合同评审规程');
    expect((await step(as.gm, id, versionId, 'submit')).statusCode).toBe(200);
    expect((await step(as.salesmgr, id, versionId, 'review')).statusCode).toBe(200);
    expect((await step(as.salesmgr, id, versionId, 'countersign', {})).statusCode).toBe(200);
    expect((await step(as.qamgr, id, versionId, 'countersign', {})).statusCode).toBe(200);
    const own = await step(as.gm, id, versionId, 'approve', { effectiveDate: '2026-03-02' });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({
      code: 'approval_author',
      title: '编制人不能审核、会签或批准自己编制的文件',
    });
    // Another general manager approves.
    expect((await step(as.lowgm, id, versionId, 'approve', { effectiveDate: '2026-03-02' })).statusCode).toBe(
      200,
    );
    // A version reviewed by a general manager is approved by someone else.
    const second = await drafted(as.qa1, '量具管理规程');
    const res = await approveThrough(
      { author: as.qa1, reviewer: as.gm, countersigners: [as.salesmgr, as.qamgr], approver: as.gm },
      second.id,
      second.versionId,
      '2026-03-02',
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('approval_reviewer_approves');
  });

  it('stamps the approved copy with 编制/审核/批准 and 生效日期, read back from the printed page', async (ctx) => {
    const { as, quality, sales } = app.co;
    const { id, versionId } = await drafted(as.qa1, '焊接作业指导书');
    const res = await approveThrough(
      { author: as.qa1, reviewer: as.qamgr, countersigners: [as.salesmgr, as.qamgr], approver: as.gm },
      id,
      versionId,
      '2026-03-02',
    );
    expect(res.statusCode, res.body).toBe(200);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: quality }, { departmentId: sales }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const copy = (sent.json() as Json[])[0] as Json;
    const file = ((res.json().versions[0] as { files: Json[] }).files[0] as Json).id;
    const stamped = await as.archivist.get(`/api/documents/${id}/files/${file}/stamped?copyId=${copy.id}`);
    expect(stamped.statusCode, stamped.body.slice(0, 200)).toBe(200);
    await expectGlyphsDrawn(stamped.rawPayload);
    const [page] = await ocrPdf(ctx, stamped.rawPayload);
    // OCR reads the 1 of qa1 as l at times: a name may have one misread, the date none.
    expectRead(page as string, '编制qa1', 1);
    expectRead(page as string, '审核qamgr');
    expectRead(page as string, '批准gm');
    expectRead(page as string, '生效日期2026-03-02');
  });

  it('puts a version approved for a later day in force on that day, recalling the copies of the old one', async () => {
    const { t, co } = app;
    const { as, quality } = co;
    const { id, versionId } = await drafted(as.qa1, '喷涂作业指导书');
    const signers = {
      author: as.qa1,
      reviewer: as.qamgr,
      countersigners: [as.salesmgr, as.qamgr],
      approver: as.gm,
    };
    expect((await approveThrough(signers, id, versionId, '2026-03-02')).statusCode).toBe(200);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: quality }],
    });
    expect(sent.statusCode).toBe(201);
    // Version B, approved to come into force on the 4th.
    const drawn = await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B/0' });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const b = await draftOf(as.qa1, id);
    expect(b.approval?.state).toBe('drafting');
    expect((await uploadFile(as.qa1, id, '喷涂B.pdf', CONTRACT_PDF, b.id)).statusCode).toBe(201);
    const approved = await approveThrough(signers, id, b.id, '2026-03-04');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().versionLabel).toBe('A/0');
    const early = await step(as.qa1, id, b.id, 'release', {
      recallCopyIds: (sent.json() as Json[]).map((c) => c.id),
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'version_not_effective',
      title: '该版本的生效日期是 2026-03-04，尚未生效',
    });
    const scheduler = new Scheduler({
      db: t.database.db,
      tasks: operationsTasks(t.config, t.database).filter((x) => x.name === 'document_control'),
      now: t.clock.now,
    });
    // On the 3rd nothing changes; on the 4th (after 06:00 Shanghai) B is in force.
    await travel(t, co, '2026-03-02T23:00:00.000Z');
    await scheduler.tick();
    expect((await doc(co.as.qa1, id)).versionLabel).toBe('A/0');
    await travel(t, co, '2026-03-03T22:30:00.000Z');
    await scheduler.tick();
    const after = await doc(co.as.qa1, id);
    expect(after.versionLabel).toBe('B/0');
    expect((after.versions as Version[]).map((v) => [v.label, v.status])).toEqual([
      ['B/0', 'current'],
      ['A/0', 'obsolete'],
    ]);
    const copies = (await co.as.archivist.get(`/api/documents/${id}/copies`)).json() as Json[];
    expect(copies.map((c) => [c.versionLabel, c.recallStatus])).toEqual([['A/0', 'pending']]);
    const events = (await co.as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({ kind: 'version', actorName: '系统' });
  });

  it('refuses to send round a version a countersigning department has no manager cleared for', async () => {
    const { as } = app.co;
    // 机密: the sales manager is cleared to 秘密 only, so 销售部 could never countersign it.
    const res = await as.qa1.post('/api/documents', {
      title: '机密工艺作业指导书',
      category: 'procedures',
      versionLabel: 'A/0',
      secrecy: 'confidential',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect((await uploadFile(as.qa1, id, '机密工艺.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const versionId = (await draftOf(as.qa1, id)).id;
    const refused = await step(as.qa1, id, versionId, 'submit');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'countersign_no_manager',
      title:
        '会签部门销售部没有涉密等级足以会签本文件的在职部门经理；请先调整该部门经理的涉密等级，或修改文件类别的会签部门',
    });
    expect((await draftOf(as.qa1, id)).approval).toMatchObject({ state: 'drafting', drafter: null });
  });

  it('leaves external documents as they were: registered current, no approval', async () => {
    const { as } = app.co;
    const res = await as.qa1.post('/api/documents', { title: '外来标准', category: 'product_standards' });
    expect(res.json()).toMatchObject({ status: 'current' });
    expect(res.json().versions[0]).toMatchObject({ status: 'current', approval: null });
  });
});
