import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { BlobStore } from '../../platform/storage.js';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel as travelTo } from '../../test-support/customers.js';
import { CONTRACT_PDF, png, uploadFile } from '../../test-support/documents.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { appraisedToDestroy } from '../../test-support/retention.js';
import { readXlsx } from '../../test-support/sheets.js';
import { extractText } from '../documents/text.js';

// Retention, appraisal and witnessed destruction end to end (R-X1 … R-X5): due dates with the
// injected clock, an appraisal group's opinions, a destruction register signed in order, holds
// that block destruction at every step, electronic destruction that removes content and keeps
// metadata, and an audit trail that still verifies.

type Json = Record<string, unknown>;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Midnight in Shanghai on the given day. */
const shanghai = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

describe('retention: due dates, appraisal, destruction register, holds (R-X1 … R-X5)', () => {
  const app = companyApp();
  // A second archivist signs as 档案部门负责人: the one who draws a register up may not (R-X3).
  beforeAll(async () => {
    await seedUser(app.t, 'archivist2', ['archivist'], { departmentId: app.co.quality, clearance: 'secret' });
  });
  const archivist2 = () => signIn(app.t.app, 'archivist2');
  const register = async (as: Client, body: Json) => {
    const res = await as.post('/api/documents', { category: 'records', source: 'internal', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Json & { id: string; retentionDue: string | null };
  };
  const travel = (iso: string) => travelTo(app.t, app.co, iso);
  const dueIds = async (as: Client, query = '') =>
    ((await as.get(`/api/retention/due?limit=200${query}`)).json().items as { id: string }[]).map(
      (i) => i.id,
    );

  it('puts a D10 record of 2016 on the appraisal list on 2027-01-01, not before; Y never', async () => {
    const { as } = app.co;
    const d10 = await register(as.archivist, {
      title: '2016年度质量记录',
      issueDate: '2016-05-01',
      retention: 'D10',
    });
    const y = await register(as.archivist, { title: '公司章程', issueDate: '1990-01-01', retention: 'Y' });
    expect(d10.retentionDue).toBe('2027-01-01');
    expect(y.retentionDue).toBeNull();

    await travel(new Date(Date.parse(shanghai('2027-01-01')) - 1000).toISOString());
    expect(await dueIds(as.archivist)).not.toContain(d10.id);
    await travel(shanghai('2027-01-01'));
    expect(await dueIds(as.archivist)).toContain(d10.id);
    expect(await dueIds(as.archivist)).not.toContain(y.id);
    // Fifty years later the permanent record is still not due.
    await travel(shanghai('2077-01-01'));
    expect(await dueIds(as.archivist)).not.toContain(y.id);
    expect((await as.archivist.get('/api/retention/due/count')).json().count).toBeGreaterThan(0);

    // Expiry alone destroys nothing: the record is still current with its content.
    expect((await as.archivist.get(`/api/documents/${d10.id}`)).json().status).toBe('current');
    // Who may see the list: archivists, the general manager and auditors.
    expect((await as.sales1.get('/api/retention/due')).statusCode).toBe(403);
    expect((await as.gm.get('/api/retention/due')).statusCode).toBe(200);
    await travel('2026-03-02T01:00:00.000Z');
  });

  it('keeps records above the reader’s clearance out of the due list, its count and its export', async () => {
    const { as } = app.co;
    const secret = await register(as.gm, {
      title: '机密技术协议2010',
      issueDate: '2010-01-01',
      retention: 'D10',
      secrecy: 'secret',
    });
    await travel(shanghai('2027-01-05'));
    expect(await dueIds(as.gm)).toContain(secret.id);
    expect(await dueIds(as.lowgm)).not.toContain(secret.id);
    const all = (await as.gm.get('/api/retention/due/count')).json().count;
    expect((await as.lowgm.get('/api/retention/due/count')).json().count).toBe(all - 1);
    const sheet = await readXlsx((await as.lowgm.get('/api/retention/due.xlsx')).rawPayload);
    expect(sheet.flat()).not.toContain('机密技术协议2010');
    const gmSheet = await readXlsx((await as.gm.get('/api/retention/due.xlsx')).rawPayload);
    expect(gmSheet[0]).toContain('到期日期');
    expect(gmSheet.flat()).toContain('机密技术协议2010');
    // A group member cleared below it cannot be given the record to appraise.
    const res = await as.archivist.post('/api/appraisals', {
      title: '不应成立的鉴定',
      memberIds: [app.co.ids.archivist, app.co.ids.lowgm],
      documentIds: [secret.id],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('appraisal_member_clearance');
    await travel('2026-03-02T01:00:00.000Z');
  });

  it('runs appraisal → register → signatures → witnessed destruction, with holds blocking every step', async () => {
    const { as, ids } = app.co;
    const customer = (
      await as.sales1.post('/api/customers', {
        name: '杭州远航机械有限公司',
        category: 'general',
        kind: 'business',
      })
    ).json().id as string;
    // A: electronic, its own content plus a file it shares with a record that is kept (E).
    const a = await register(as.sales1, {
      title: '2015年采购合同',
      docNumber: 'HT-2015-018',
      issueDate: '2015-04-01',
      retention: 'D10',
    });
    const shared = Buffer.from('共用附件：付款条件与交货期确认单 2015');
    await uploadFile(as.sales1, a.id, '采购合同.pdf', CONTRACT_PDF);
    await uploadFile(as.sales1, a.id, '附件.txt', shared);
    const e = await register(as.sales1, {
      title: '现行交货确认单',
      issueDate: '2026-01-01',
      retention: 'D30',
    });
    await uploadFile(as.sales1, e.id, '附件.txt', shared);
    // A also holds a scan whose bytes are an outside borrower's letter of introduction, which stays.
    const scan = png(40, 30);
    await uploadFile(as.sales1, a.id, '介绍信扫描件.png', scan);
    const letter = await as.sales2.inject({
      method: 'POST',
      url: `/api/access-requests/letters?name=${encodeURIComponent('介绍信.png')}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: scan,
    });
    expect(letter.statusCode, letter.body).toBe(201);
    const outside = await as.sales2.post('/api/access-requests', {
      mode: 'electronic',
      purpose: 'read',
      reason: '认证审核',
      items: [{ targetType: 'document', targetId: e.id }],
      external: { organisation: '上海质量认证中心', person: '周审核员' },
      letter: { sha256: letter.json().sha256, name: '介绍信.png' },
    });
    expect(outside.statusCode, outside.body).toBe(201);
    // B: paper only. C: electronic in a customer's file. D: electronic, the group will keep it.
    const b = await register(as.sales1, {
      title: '2015年纸质发货单',
      issueDate: '2015-06-01',
      retention: 'D10',
      carrier: 'paper',
      location: 'B柜-02盒',
    });
    const c = await register(as.sales1, {
      title: '2015年客户图纸',
      issueDate: '2015-07-01',
      retention: 'D10',
      category: 'customer_supplied',
      source: 'customer',
      customerId: customer,
    });
    await uploadFile(as.sales1, c.id, '图纸说明.txt', Buffer.from('远航机械 图纸 HX-2015 说明'));
    const d = await register(as.sales1, {
      title: '2015年工艺验证报告',
      issueDate: '2015-08-01',
      retention: 'D10',
    });
    await drainJobs();
    const searchTitles = async (q: string) =>
      ((await as.gm.get(`/api/documents?q=${encodeURIComponent(q)}`)).json().items as Json[]).map((i) => [
        i.title,
        i.status,
      ]);
    expect(await searchTitles('付款方式')).toEqual([['2015年采购合同', 'current']]);

    await travel(shanghai('2027-01-05'));
    const batch = await as.archivist.post('/api/appraisals', {
      title: '2015年到期档案鉴定',
      memberIds: [ids.archivist, ids.salesmgr],
      documentIds: [a.id, b.id, c.id, d.id],
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const appraisal = batch.json();
    expect(appraisal.number).toMatch(/^JD2027-\d{3}$/);
    expect(appraisal.memberDetails.map((m: Json) => m.side).sort()).toEqual(['archive', 'business']);
    const item = (docId: string) => appraisal.items.find((i: Json) => i.documentId === docId).id as string;
    // Records in an open appraisal leave the due list; a second batch cannot take them.
    expect(await dueIds(as.archivist)).not.toContain(a.id);
    const twice = await as.archivist.post('/api/appraisals', {
      title: '重复',
      memberIds: [ids.archivist, ids.salesmgr],
      documentIds: [a.id],
    });
    expect(twice.json().code).toBe('appraisal_not_due');
    // Only members and overseers see the batch; for anyone else it does not exist (R-P1).
    expect((await as.sales1.get(`/api/appraisals/${appraisal.id}`)).statusCode).toBe(404);
    expect((await as.salesmgr.get(`/api/appraisals/${appraisal.id}`)).statusCode).toBe(200);

    const conclude = () => as.archivist.post(`/api/appraisals/${appraisal.id}/conclude`);
    const early = await conclude();
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('appraisal_incomplete');

    const opinions = (as: Client, list: Json[]) =>
      as.put(`/api/appraisals/${appraisal.id}/opinions`, { opinions: list });
    const noReason = await opinions(as.archivist, [
      { itemId: item(d.id), decision: 'keep', retention: 'D10' },
    ]);
    expect(noReason.json().code).toBe('keep_needs_term');
    // Not a member: the batch does not exist for them (R-P1).
    expect((await opinions(as.sales1, [{ itemId: item(a.id), decision: 'destroy' }])).statusCode).toBe(404);
    const destroyAll = [a, b, c].map((x) => ({ itemId: item(x.id), decision: 'destroy' }));
    expect(
      (
        await opinions(as.archivist, [
          ...destroyAll,
          { itemId: item(d.id), decision: 'keep', retention: 'D10', reason: '工艺仍在使用' },
        ])
      ).statusCode,
    ).toBe(200);
    expect(
      (await opinions(as.salesmgr, [...destroyAll, { itemId: item(d.id), decision: 'destroy' }])).statusCode,
    ).toBe(200);
    const concluded = await conclude();
    expect(concluded.statusCode, concluded.body).toBe(200);
    const result = concluded.json();
    expect(result.status).toBe('concluded');
    expect(result.counts).toEqual({ keep: 1, destroy: 3 });
    // Not unanimous: kept, ten more years counted from the appraisal.
    const kept = (await as.archivist.get(`/api/documents/${d.id}`)).json();
    expect(kept).toMatchObject({ retention: 'D10', retentionDue: '2038-01-01', status: 'current' });
    // The appraisal report is a permanent record with its PDF.
    const report = (await as.archivist.get(`/api/documents/${result.reportDocumentId}`)).json();
    expect(report).toMatchObject({ category: 'archive_work', retention: 'Y', docNumber: result.number });
    const reportFile = report.versions[0].files[0];
    const reportPdf = await as.archivist.get(`/api/documents/${report.id}/files/${reportFile.id}/content`);
    expect(reportPdf.statusCode, reportPdf.body.slice(0, 300)).toBe(200);
    expect(reportFile.mime).toBe('application/pdf');
    const reportPath = path.join(os.tmpdir(), `kedang-report-${Date.now()}.pdf`);
    fs.writeFileSync(reportPath, reportPdf.rawPayload);
    const reportText = (await extractText(reportPath, 'application/pdf')) ?? '';
    expect(reportText).toContain('档案鉴定报告');
    expect(reportText).toContain('2015年工艺验证报告');
    fs.rmSync(reportPath);

    const byDoc = (reg: Json, id: string) => (reg.items as Json[]).find((i) => i.documentId === id) as Json;
    const candidates = (await as.archivist.get('/api/disposals/candidates')).json() as Json[];
    expect(candidates.map((x) => x.documentId).sort()).toEqual([a.id, b.id, c.id].sort());
    const itemIds = candidates.map((x) => x.appraisalItemId as string);

    // A held record cannot enter a register.
    const holdOnB = async (reason: string) => {
      const res = await as.archivist.post('/api/holds', {
        targetType: 'document',
        targetId: b.id,
        kind: 'dispute',
        reason,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const hold = await holdOnB('客户对发货数量有争议');
    expect(
      (
        await as.sales1.post('/api/holds', {
          targetType: 'document',
          targetId: b.id,
          kind: 'audit',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const refused = await as.archivist.post('/api/disposals', { title: '2015年档案销毁', itemIds });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('disposal_items_held');
    expect((await as.archivist.post(`/api/holds/${hold}/lift`, { reason: '争议已解决' })).statusCode).toBe(
      200,
    );

    const created = await as.archivist.post('/api/disposals', {
      title: '2015年档案销毁',
      note: '经鉴定无保存价值',
      itemIds,
    });
    expect(created.statusCode, created.body).toBe(201);
    const disposal = created.json();
    expect(disposal.number).toMatch(/^XH2027-\d{3}$/);
    expect(disposal.status).toBe('draft');
    // A hold placed while the register is drawn up shows on it at once, with its reason, to every
    // reader of the register (not only when destruction finds it).
    const again = await holdOnB('客户再次对数量提出异议');
    for (const reader of [as.archivist, as.salesmgr]) {
      const seen = (await reader.get(`/api/disposals/${disposal.id}`)).json();
      expect(byDoc(seen, b.id)).toMatchObject({
        status: 'listed',
        heldReason: '争议：客户再次对数量提出异议',
      });
      expect(byDoc(seen, a.id).heldReason).toBeNull();
      expect(seen.counts).toEqual({ total: 3, held: 1, destroyed: 0, blocked: 0, pending: 0 });
    }
    expect((await as.archivist.post(`/api/disposals/${disposal.id}/submit`)).json().code).toBe(
      'disposal_items_held',
    );
    expect((await as.archivist.post(`/api/holds/${again}/lift`, { reason: '异议已撤回' })).statusCode).toBe(
      200,
    );
    expect(
      byDoc((await as.archivist.get(`/api/disposals/${disposal.id}`)).json(), b.id).heldReason,
    ).toBeNull();
    const destroy = () =>
      as.archivist.post(`/api/disposals/${disposal.id}/destroy`, { witnessIds: [ids.qa1, ids.sales2] });
    expect((await destroy()).json().code).toBe('disposal_not_approved');
    expect((await as.archivist.post(`/api/disposals/${disposal.id}/submit`)).json().status).toBe('signing');
    expect((await destroy()).json().code).toBe('disposal_not_approved');

    // Signatures in order: archive head, business department head, general manager.
    const sign = (as: Client) =>
      as.post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve', opinion: '同意销毁' });
    expect((await sign(as.salesmgr)).json().code).toBe('disposal_signer_role'); // the archive head's step
    expect((await sign(as.archivist)).json().code).toBe('disposal_signer_drafter');
    const archiveHead = await archivist2();
    expect((await sign(archiveHead)).json().steps[0].signature.userName).toBe('archivist2');
    expect((await sign(archiveHead)).json().code).toBe('disposal_already_signed');
    expect((await sign(as.archivist)).json().code).toBe('disposal_signer_drafter');
    expect((await sign(as.salesmgr)).statusCode).toBe(200);
    expect((await destroy()).json().code).toBe('disposal_not_approved');
    const approved = await sign(as.gm);
    expect(approved.json().status).toBe('approved');

    // A hold placed after signing blocks its item at destruction time: here on C's customer archive.
    expect(
      (
        await as.gm.post('/api/holds', {
          targetType: 'customer',
          targetId: customer,
          kind: 'litigation',
          reason: '合同纠纷诉讼中',
        })
      ).statusCode,
    ).toBe(201);
    // The signed register shows the hold before anyone carries it out.
    const signed = (await as.salesmgr.get(`/api/disposals/${disposal.id}`)).json();
    expect(byDoc(signed, c.id)).toMatchObject({ status: 'listed', heldReason: '诉讼：合同纠纷诉讼中' });
    expect(
      (
        await as.archivist.post(`/api/disposals/${disposal.id}/destroy`, {
          witnessIds: [ids.qa1, ids.archivist],
        })
      ).json().code,
    ).toBe('witnesses_invalid');
    const executed = await destroy();
    expect(executed.statusCode, executed.body).toBe(200);
    // The witnesses are told to come and sign.
    const told = await app.t.database.db
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'retention.witness')
      .execute();
    expect(told.map((n) => n.user_id).sort()).toEqual([ids.qa1, ids.sales2].sort());
    const afterDestroy = executed.json();
    expect(afterDestroy.status).toBe('destroyed');
    expect(afterDestroy.destructionDate).toBe('2027-01-05');
    expect(byDoc(afterDestroy, a.id)).toMatchObject({ status: 'destroyed', yearsKept: 11 });
    expect(byDoc(afterDestroy, c.id)).toMatchObject({
      status: 'blocked',
      blockedReason: expect.stringContaining('诉讼'),
    });
    expect(byDoc(afterDestroy, b.id).status).toBe('listed'); // paper: destroyed when the witnesses confirm
    expect(afterDestroy.counts).toEqual({ total: 3, held: 0, destroyed: 1, blocked: 1, pending: 1 });

    // Electronic destruction: A's own content, its text and its search hits are gone…
    const store = new BlobStore(app.t.dataDir);
    const own = sha256(CONTRACT_PDF);
    expect(fs.existsSync(store.pathOf(own))).toBe(false);
    const blob = await app.t.database.db
      .selectFrom('blobs')
      .selectAll()
      .where('sha256', '=', own)
      .executeTakeFirst();
    expect(blob?.destroyed_at).toBeTruthy();
    expect(
      await app.t.database.db
        .selectFrom('document_texts')
        .select('sha256')
        .where('sha256', '=', own)
        .execute(),
    ).toEqual([]);
    expect(await searchTitles('付款方式')).toEqual([]);
    // …while its metadata, its register row and its history stay, shown as destroyed.
    const destroyedDoc = (await as.gm.get(`/api/documents/${a.id}`)).json();
    expect(destroyedDoc).toMatchObject({ status: 'destroyed', disposal: { number: disposal.number } });
    expect(destroyedDoc.versions.flatMap((v: Json) => v.files as Json[])).toHaveLength(3);
    // (The appraisal report, which lists it, is found too.)
    expect(await searchTitles('2015年采购合同')).toContainEqual(['2015年采购合同', 'destroyed']);
    const file = destroyedDoc.versions[0].files.find((f: Json) => f.name === '采购合同.pdf');
    const gone = await as.gm.get(`/api/documents/${a.id}/files/${file.id}/content`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('document_destroyed');
    expect((await as.sales1.patch(`/api/documents/${a.id}`, { title: '改名' })).json().code).toBe(
      'document_destroyed',
    );
    // Content shared with a kept record stays for that record, and a letter with it.
    expect(fs.existsSync(store.pathOf(sha256(shared)))).toBe(true);
    const letterFile = await as.sales2.get(`/api/access-requests/${outside.json().id}/letter`);
    expect(letterFile.statusCode, letterFile.body).toBe(200);
    expect(letterFile.rawPayload.equals(scan)).toBe(true);
    const eFile = (await as.sales1.get(`/api/documents/${e.id}`)).json().versions[0].files[0];
    expect(
      (await as.sales1.get(`/api/documents/${e.id}/files/${eFile.id}/content`)).rawPayload.equals(shared),
    ).toBe(true);
    // The held record is untouched.
    const heldDoc = (await as.gm.get(`/api/documents/${c.id}`)).json();
    expect(heldDoc.status).toBe('current');
    expect(heldDoc.holds.map((h: Json) => h.targetType)).toEqual(['customer']);

    // Witnesses check item by item, then sign.
    const witness = (as: Client, checked: string[]) =>
      as.post(`/api/disposals/${disposal.id}/witness`, { checkedItemIds: checked });
    const toCheck = (afterDestroy.items as Json[])
      .filter((i) => i.status !== 'blocked')
      .map((i) => i.id as string);
    // Neither witness nor a reader of registers: for them it does not exist (R-P1).
    expect((await witness(as.sales1, toCheck)).statusCode).toBe(404);
    expect((await witness(as.qa1, toCheck.slice(0, 1))).json().code).toBe('witness_unchecked');
    expect((await witness(as.qa1, toCheck)).json().status).toBe('destroyed');
    expect((await witness(as.qa1, toCheck)).json().code).toBe('witness_already_signed');
    const done = (await witness(as.sales2, toCheck)).json();
    expect(done.status).toBe('completed');
    expect(byDoc(done, b.id).status).toBe('destroyed');
    expect(done.counts).toEqual({ total: 3, held: 0, destroyed: 2, blocked: 1, pending: 0 });
    expect((await as.gm.get(`/api/documents/${b.id}`)).json().status).toBe('destroyed');
    expect(done.witnesses.every((w: Json) => w.signature)).toBe(true);

    // The register is kept as a permanent record and exports to Excel and PDF.
    const kept2 = (await as.gm.get(`/api/documents/${done.registerDocumentId}`)).json();
    expect(kept2).toMatchObject({ category: 'archive_work', retention: 'Y', docNumber: disposal.number });
    const sheet = await readXlsx((await as.gm.get(`/api/disposals/${disposal.id}/register.xlsx`)).rawPayload);
    expect(sheet[0]).toEqual([
      '序号',
      '档号',
      '文号',
      '责任者',
      '题名',
      '形成日期',
      '保管期限',
      '已保管年限',
      '销毁日期',
      '状态',
    ]);
    expect(sheet.find((r) => r[4] === '2015年采购合同')).toEqual(
      expect.arrayContaining(['2015-04-01', '定期10年', '11', '2027-01-05', '已销毁']),
    );
    expect(sheet.find((r) => r[4] === '2015年客户图纸')?.[9]).toContain('冻结');
    const pdf = await as.gm.get(`/api/disposals/${disposal.id}/register.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pdfPath = path.join(os.tmpdir(), `kedang-register-${Date.now()}.pdf`);
    fs.writeFileSync(pdfPath, pdf.rawPayload);
    const pdfText = (await extractText(pdfPath, 'application/pdf')) ?? '';
    fs.rmSync(pdfPath);
    expect(pdfText).toContain('档案销毁清册');
    expect(pdfText).toContain(disposal.number);
    expect(pdfText).toContain('监销人');
    // The header says what was destroyed and what was held back, not only how many were listed.
    expect(pdfText.replace(/\s+/g, '')).toContain('共3件：已销毁2件，冻结未销毁1件');

    // The audit trail records the destruction with the digests and still verifies.
    const entries = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', a.id)
      .execute();
    const purge = entries.find((x) => x.action === 'document.content_destroyed');
    expect(JSON.parse(purge?.details ?? '{}').purged).toEqual([own]);
    expect(entries.map((x) => x.action)).toContain('document.destroyed');
    expect((await as.admin.post('/api/audit/verify')).json().ok).toBe(true);
    // The integrity check knows destroyed content is meant to be gone.
    expect((await as.admin.post('/api/integrity/checks')).statusCode).toBe(202);
    await drainJobs();
    const check = (await as.admin.get('/api/integrity/checks/latest')).json();
    // (Records registered without their files are findings of their own, not of destruction.)
    expect((check.findings as Json[]).filter((f) => f.problem !== 'no_files')).toEqual([]);
    expect((check.findings as Json[]).map((f) => f.documentId)).not.toContain(a.id);
    // A destroyed record cannot be put on hold.
    expect(
      (
        await as.gm.post('/api/holds', {
          targetType: 'document',
          targetId: a.id,
          kind: 'audit',
          reason: '审计',
        })
      ).json().code,
    ).toBe('hold_target_destroyed');
    await travel('2026-03-02T01:00:00.000Z');
  });

  it('prints the destruction register and the appraisal report legibly (R-L4)', async (ctx) => {
    const { as, ids } = app.co;
    // The witness's name as people here are named; the register shows witnesses' current names.
    expect((await as.admin.patch(`/api/users/${ids.sales2}`, { name: '孙建国' })).statusCode).toBe(200);
    const disposal = ((await as.gm.get('/api/disposals')).json().items as Json[]).find(
      (d) => d.title === '2015年档案销毁',
    ) as Json;
    const pdf = await as.gm.get(`/api/disposals/${disposal.id}/register.pdf`);
    expect(pdf.statusCode).toBe(200);
    await expectGlyphsDrawn(pdf.rawPayload);
    const kept = (
      await as.gm.get(
        `/api/documents/${(await as.gm.get(`/api/disposals/${disposal.id}`)).json().registerDocumentId}`,
      )
    ).json();
    const filed = await as.gm.get(`/api/documents/${kept.id}/files/${kept.versions[0].files[0].id}/content`);
    await expectGlyphsDrawn(filed.rawPayload);

    const appraisal = ((await as.archivist.get('/api/appraisals')).json().items as Json[]).find(
      (a) => a.title === '2015年到期档案鉴定',
    ) as Json;
    const report = (
      await as.archivist.get(
        `/api/documents/${(await as.archivist.get(`/api/appraisals/${appraisal.id}`)).json().reportDocumentId}`,
      )
    ).json();
    const reportPdf = await as.archivist.get(
      `/api/documents/${report.id}/files/${report.versions[0].files[0].id}/content`,
    );
    await expectGlyphsDrawn(reportPdf.rawPayload);

    const [register] = await ocrPdf(ctx, pdf.rawPayload);
    expectRead(register as string, '档案销毁清册', 1);
    expectRead(register as string, `清册编号：${disposal.number}`);
    expectRead(register as string, '销毁日期：2027-01-05');
    expectRead(register as string, '2015年采购合同');
    expectRead(register as string, 'HT-2015-018'); // Latin and digits without CJK, too
    expectRead(register as string, '定期10年');
    expectRead(register as string, '监销人：孙建国');
    const [appraisalPage] = await ocrPdf(ctx, reportPdf.rawPayload);
    expectRead(appraisalPage as string, '档案鉴定报告', 1);
    expectRead(appraisalPage as string, `鉴定编号：${appraisal.number}`);
    expectRead(appraisalPage as string, '结束：2027-01-05');
    expectRead(appraisalPage as string, '2015年工艺验证报告');
    expectRead(appraisalPage as string, '2026-01-01');
    expectRead(appraisalPage as string, '品质部');
  });

  it('lets the administrator set the signers and the keep period of obsolete originals', async () => {
    const { as } = app.co;
    const initial = await as.archivist.get('/api/retention/settings');
    expect(initial.statusCode).toBe(200);
    expect(initial.json().signerSteps.map((s: Json) => s.label)).toEqual([
      '档案部门负责人',
      '业务部门负责人',
      '总经理',
    ]);
    expect((await as.archivist.put('/api/retention/settings', { obsoleteKeepYears: 2 })).statusCode).toBe(
      403,
    );
    const withdrawn = await register(as.archivist, { title: '作废的作业指导书', issueDate: '2020-01-01' });
    await as.archivist.post(`/api/documents/${withdrawn.id}/obsolete`, { reason: '被新版替代' });
    expect((await as.archivist.get(`/api/documents/${withdrawn.id}`)).json().retentionDue).toBe('2028-01-01');
    const saved = await as.admin.put('/api/retention/settings', {
      signerSteps: [
        { label: ' 档案室主任 ', role: 'archivist' },
        { label: '总经理', role: 'general_manager' },
      ],
      obsoleteKeepYears: 3,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().signerSteps[0].label).toBe('档案室主任');
    // Withdrawn originals are kept longer at once.
    expect((await as.archivist.get(`/api/documents/${withdrawn.id}`)).json().retentionDue).toBe('2030-01-01');
    await as.admin.put('/api/retention/settings', {
      signerSteps: [
        { label: '档案部门负责人', role: 'archivist' },
        { label: '业务部门负责人', role: 'department_manager' },
        { label: '总经理', role: 'general_manager' },
      ],
      obsoleteKeepYears: 1,
    });
  });

  it('takes an item off a register being drawn up; it waits for the next register', async () => {
    const { as } = app.co;
    const docs = [];
    for (const title of ['2013年来料检验记录', '2013年出货检验记录', '2013年巡检记录'])
      docs.push(await register(as.archivist, { title, issueDate: '2013-05-01', retention: 'D10' }));
    await travel(shanghai('2027-02-01'));
    const itemIds = await appraisedToDestroy(
      app.co,
      docs.map((d) => d.id),
      '2013年检验记录鉴定',
    );
    const disposal = (
      await as.archivist.post('/api/disposals', { title: '2013年检验记录销毁', itemIds })
    ).json();
    expect(disposal.can.removeItems).toBe(true);
    const [first, second, third] = disposal.items as (Json & { id: string; documentId: string })[];
    const remove = (who: Client, itemId: string) =>
      who.inject({ method: 'DELETE', url: `/api/disposals/${disposal.id}/items/${itemId}` });

    expect((await remove(as.sales1, second?.id as string)).statusCode).toBe(403);
    const after = await remove(as.archivist, second?.id as string);
    expect(after.statusCode, after.body).toBe(200);
    expect((after.json().items as Json[]).map((i) => [i.seq, i.documentId])).toEqual([
      [1, first?.documentId],
      [2, third?.documentId],
    ]);
    const candidates = (await as.archivist.get('/api/disposals/candidates')).json() as Json[];
    expect(candidates.map((c) => c.documentId)).toContain(second?.documentId);
    expect((await remove(as.archivist, 'no-such-item')).statusCode).toBe(404);
    expect((await remove(as.archivist, third?.id as string)).statusCode).toBe(200);
    const last = await remove(as.archivist, first?.id as string);
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('disposal_last_item');
    expect((await as.archivist.get(`/api/disposals/${disposal.id}`)).json().can.removeItems).toBe(false);

    const entries = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', disposal.id)
      .where('action', '=', 'disposal.remove_item')
      .execute();
    expect(entries.map((e) => JSON.parse(e.details ?? '{}').documentId)).toEqual([
      second?.documentId,
      third?.documentId,
    ]);
    // Once submitted, the register's items are fixed.
    await as.archivist.post(`/api/disposals/${disposal.id}/submit`);
    expect((await remove(as.archivist, first?.id as string)).json().code).toBe('disposal_status');
    await travel('2026-03-02T01:00:00.000Z');
  });

  it('ends a register rejected by a leader; its items can go on a new one', async () => {
    const { as } = app.co;
    const x = await register(as.archivist, {
      title: '2014年会议记录',
      issueDate: '2014-03-01',
      retention: 'D10',
    });
    await travel(shanghai('2027-02-01'));
    const [itemId] = await appraisedToDestroy(app.co, [x.id], '2014年鉴定');
    const disposal = (
      await as.archivist.post('/api/disposals', { title: '2014年销毁', itemIds: [itemId] })
    ).json();
    await as.archivist.post(`/api/disposals/${disposal.id}/submit`);
    await (await archivist2()).post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve' });
    const noReason = await as.qamgr.post(`/api/disposals/${disposal.id}/signatures`, { decision: 'reject' });
    expect(noReason.statusCode).toBe(422);
    const rejected = await as.qamgr.post(`/api/disposals/${disposal.id}/signatures`, {
      decision: 'reject',
      opinion: '该记录仍需用于客户审核',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectedReason: '该记录仍需用于客户审核' });
    expect((await as.archivist.post(`/api/disposals/${disposal.id}/submit`)).json().code).toBe(
      'disposal_status',
    );
    const candidates = (await as.archivist.get('/api/disposals/candidates')).json() as Json[];
    expect(candidates.map((c) => c.documentId)).toContain(x.id);
    expect((await as.archivist.get(`/api/documents/${x.id}`)).json().status).toBe('current');
    await travel('2026-03-02T01:00:00.000Z');
  });
});
