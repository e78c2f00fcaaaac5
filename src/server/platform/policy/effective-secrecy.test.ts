import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDepartment } from '../../modules/org/service.js';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { uploadFile } from '../../test-support/documents.js';
import { readXlsx } from '../../test-support/sheets.js';
import { drainJobs } from '../jobs.js';

// Effective secrecy (R-P1, R-P9): a record is at least as secret as the archive it belongs to.
// A 普通 document in a 机密 customer archive is 机密 for every reader — in the audit log and its
// export, the integrity report, notifications and approval steps, the 档号 gap counts and the
// lending catalogue. A customer raised later takes what was written about its documents with it.

type Json = Record<string, unknown>;

describe('effective secrecy: a 普通 document in a 机密 customer archive (R-P1, R-P9)', () => {
  const app = companyApp();
  const as = {} as Record<'lowAuditor' | 'highAuditor' | 'devmgr' | 'dev1' | 'lowArchivist', Client>;
  const ids = {} as Record<'devmgr' | 'dev1' | 'lowArchivist', string>;
  // The secret: what a 普通 reader must never learn.
  const SECRET = {
    customer: '宝山机密特钢集团',
    title: '特钢报价附件甲',
    file: '特钢底价清单.txt',
    text: '特钢底价每吨四千二百元',
    reason: '宝山特钢索赔诉讼保全',
  };
  let customerId: string;
  let documentId: string;
  let sha256: string;
  let archiveNo: string;

  const auditText = async (who: Client) => {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const res = await who.get(
        `/api/audit?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      items.push(...(res.json().items as Json[]));
      cursor = res.json().nextCursor;
    } while (cursor);
    return JSON.stringify(items);
  };
  const exportText = async (who: Client) => {
    const res = await who.get('/api/audit/export.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    return JSON.stringify(await readXlsx(res.rawPayload));
  };
  const leaks = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));
  /** A customer archive made by the general manager (cleared for everything). */
  const archive = async (name: string, secrecy = 'normal') => {
    const res = await app.co.as.gm.post('/api/customers', {
      name,
      category: 'general',
      kind: 'business',
      secrecy,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const register = async (who: Client, body: Json) => {
    const res = await who.post('/api/documents', { category: 'agreements', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Json & { id: string };
  };
  const ask = (who: Client, documentId: string, body: Json = {}) =>
    who.post('/api/access-requests', {
      mode: 'electronic',
      purpose: 'read',
      reason: '工作需要',
      items: [{ targetType: 'document', targetId: documentId }],
      ...body,
    });

  it('sets the scene: a 机密 archive holding a 普通 document with a file, a 档号 and a hold', async () => {
    const { t, co } = app;
    await co.as.admin.patch(`/api/departments/${co.sales}`, { code: 'XS' });
    const dev = (
      await createDepartment(t.system, { name: '研发部', code: 'YF', parentId: null, sortOrder: 0 })
    ).id;
    ids.devmgr = (await seedUser(t, 'devmgr', ['department_manager'], { departmentId: dev })).id;
    ids.dev1 = (await seedUser(t, 'dev1', ['staff'], { departmentId: dev, clearance: 'secret' })).id;
    ids.lowArchivist = (await seedUser(t, 'lowarchivist', ['archivist'], { departmentId: co.quality })).id;
    await seedUser(t, 'lowauditor', ['auditor'], { departmentId: co.quality });
    await seedUser(t, 'highauditor', ['auditor'], { departmentId: co.quality, clearance: 'top_secret' });
    as.devmgr = await signIn(t.app, 'devmgr');
    as.dev1 = await signIn(t.app, 'dev1');
    as.lowArchivist = await signIn(t.app, 'lowarchivist');
    as.lowAuditor = await signIn(t.app, 'lowauditor');
    as.highAuditor = await signIn(t.app, 'highauditor');

    customerId = await archive(SECRET.customer, 'confidential');
    const doc = await register(co.as.gm, { title: SECRET.title, customerId, issueDate: '2026-01-05' });
    expect(doc.secrecy).toBe('normal');
    documentId = doc.id;
    const file = await uploadFile(co.as.gm, documentId, SECRET.file, Buffer.from(SECRET.text));
    expect(file.statusCode, file.body).toBe(201);
    sha256 = file.json().sha256;
    await drainJobs();
    const filed = await co.as.archivist.post(`/api/documents/${documentId}/file`);
    expect(filed.statusCode, filed.body).toBe(200);
    archiveNo = filed.json().archiveNo;
    const hold = await co.as.archivist.post('/api/holds', {
      targetType: 'document',
      targetId: documentId,
      kind: 'litigation',
      reason: SECRET.reason,
    });
    expect(hold.statusCode, hold.body).toBe(201);
    // Someone cleared reads it all: the secrets are really there to be leaked.
    const high = await auditText(as.highAuditor);
    expect(leaks(high, [SECRET.title, SECRET.file, sha256, SECRET.reason])).toHaveLength(4);
  });

  it('keeps it out of the audit log and its export for a 普通 auditor', async () => {
    const secrets = [SECRET.title, SECRET.file, sha256, SECRET.reason, documentId];
    expect(leaks(await auditText(as.lowAuditor), secrets)).toEqual([]);
    expect(leaks(await exportText(as.lowAuditor), secrets)).toEqual([]);
    // What is the auditor's to see is still there.
    expect(await auditText(as.lowAuditor)).toContain('lowauditor');
    expect(leaks(await exportText(as.highAuditor), secrets)).toHaveLength(secrets.length);
  });

  it('records exports searched by its title or its archive as secret as what they exported', async () => {
    const { co } = app;
    const q = encodeURIComponent(SECRET.title);
    expect((await co.as.gm.get(`/api/documents/registers/filed.xlsx?q=${q}`)).statusCode).toBe(200);
    expect(
      (await co.as.gm.get(`/api/documents/registers/filed.xlsx?customerId=${customerId}`)).statusCode,
    ).toBe(200);
    const byName = encodeURIComponent(SECRET.customer);
    expect((await co.as.gm.get(`/api/customers/export.xlsx?q=${byName}`)).statusCode).toBe(200);
    const low = await auditText(as.lowAuditor);
    expect(leaks(low, [SECRET.title, SECRET.customer, customerId])).toEqual([]);
    expect(leaks(await auditText(as.highAuditor), [SECRET.title, SECRET.customer, customerId])).toHaveLength(
      3,
    );
  });

  it('records exports whose search found nothing, and audit exports by a target, as secret as their exporter', async () => {
    const { co } = app;
    // A search for a name that is not on the register (yet) is as telling as one that found it.
    const probe = '机密并购对象某某集团';
    expect(
      (await co.as.gm.get(`/api/documents/registers/filed.xlsx?q=${encodeURIComponent(probe)}`)).statusCode,
    ).toBe(200);
    expect(
      (await as.highAuditor.get(`/api/audit/export.xlsx?target=${encodeURIComponent(SECRET.customer)}`))
        .statusCode,
    ).toBe(200);
    expect((await as.highAuditor.get(`/api/audit/export.xlsx?target=${customerId}`)).statusCode).toBe(200);
    const low = await auditText(as.lowAuditor);
    expect(leaks(low, [probe, SECRET.customer, customerId])).toEqual([]);
    expect(leaks(await auditText(as.highAuditor), [probe, SECRET.customer, customerId])).toHaveLength(3);
  });

  it('hides old entries about a document once its customer archive is raised above the reader', async () => {
    const { co } = app;
    const customer = await archive('先普通后机密客户');
    const doc = (await register(co.as.gm, { title: '升级前登记的图纸', customerId: customer })).id;
    await co.as.gm.get(`/api/documents/${doc}`);
    expect(await auditText(as.lowAuditor)).toContain('升级前登记的图纸');
    const raised = await co.as.gm.patch(`/api/customers/${customer}`, { secrecy: 'confidential' });
    expect(raised.statusCode, raised.body).toBe(200);
    // Entries written before the change cannot be rewritten (the hash chain covers them): they are
    // filtered by the document's level now.
    expect(await auditText(as.lowAuditor)).not.toContain('升级前登记的图纸');
    expect(await exportText(as.lowAuditor)).not.toContain('升级前登记的图纸');
    expect(await auditText(as.highAuditor)).toContain('升级前登记的图纸');
  });

  it('shows integrity findings about it without title, id, file name or digest, in old reports too', async () => {
    const { co, t } = app;
    // An electronic record without its file, in an archive that is 普通 at the time of the check.
    const later = await archive('检查后升级客户');
    const empty = (await register(co.as.gm, { title: '缺文件的电子协议', customerId: later })).id;
    const file = path.join(t.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, '被改过的内容');
    t.clock.advance(60_000);
    expect((await co.as.archivist.post('/api/integrity/checks')).statusCode).toBe(202);
    await drainJobs();
    fs.writeFileSync(file, SECRET.text);
    const secrets = [SECRET.title, SECRET.file, sha256, documentId];
    const high = await as.highAuditor.get('/api/integrity/checks/latest');
    expect(leaks(high.body, secrets)).toHaveLength(secrets.length);
    const low = await as.lowAuditor.get('/api/integrity/checks/latest');
    expect(low.statusCode).toBe(200);
    const findings = low.json().findings as Json[];
    expect(findings).toContainEqual(
      expect.objectContaining({ problem: 'digest_mismatch', documentId: null, title: null, sha256: null }),
    );
    expect(leaks(low.body, secrets)).toEqual([]);
    // Not even the digest the content has now (the detail names it for those cleared).
    expect(low.body).not.toMatch(/[0-9a-f]{64}/);
    expect(low.body).toContain('缺文件的电子协议');
    // The report is kept as it was written; raising the archive hides the finding in it now.
    await co.as.gm.patch(`/api/customers/${later}`, { secrecy: 'secret' });
    const again = await as.lowAuditor.get(`/api/integrity/checks/${low.json().id}`);
    expect(again.body).not.toContain('缺文件的电子协议');
    expect(again.body).not.toContain(empty);
    expect((await as.highAuditor.get(`/api/integrity/checks/${low.json().id}`)).body).toContain(
      '缺文件的电子协议',
    );
  });

  it('leaves the 档号 it took out of the gap counts of a 普通 reader', async () => {
    const { co } = app;
    // A 普通 record of the same sequence (class, year, retention, department).
    const open = await archive('普通五金客户');
    const doc = (
      await register(co.as.gm, { title: '普通采购协议', customerId: open, issueDate: '2026-01-06' })
    ).id;
    const filed = await co.as.archivist.post(`/api/documents/${doc}/file`);
    expect(filed.json().archiveNo.slice(0, -4)).toBe(archiveNo.slice(0, -4));
    const sequence = (who: Client) =>
      who
        .get('/api/documents/archive-check')
        .then((r) => (r.json().sequences as Json[]).find((s) => archiveNo.startsWith(String(s.sequence))));
    expect(await sequence(as.highAuditor)).toMatchObject({ issued: 2, used: 2, missing: [] });
    expect(await sequence(as.lowAuditor)).toMatchObject({ issued: 1, used: 1, missing: [] });
  });

  it('finds nothing in the catalogue by the text of a file the reader cannot open', async () => {
    const { co } = app;
    // A 普通 quality record another department may ask for but not open.
    const doc = (await register(co.as.qa1, { title: '来料检验规程', category: 'records' })).id;
    await uploadFile(co.as.qa1, doc, '规程.txt', Buffer.from('铝型材硬度抽检青龙偃月标准'));
    await drainJobs();
    const catalogue = async (who: Client, q: string) =>
      ((await who.get(`/api/lending/catalogue?q=${encodeURIComponent(q)}`)).json() as Json[]).map(
        (i) => i.targetId,
      );
    // Its metadata is in the catalogue; its text only for those who may open it.
    expect(await catalogue(co.as.sales1, '来料检验规程')).toEqual([doc]);
    expect(await catalogue(co.as.qamgr, '青龙偃月')).toEqual([doc]);
    expect(await catalogue(co.as.sales1, '青龙偃月')).toEqual([]);
    // Nothing of the 机密 archive's document, by its title or by its text.
    expect(await catalogue(co.as.sales1, SECRET.title)).toEqual([]);
    expect(await catalogue(co.as.sales1, '四千二百')).toEqual([]);
  });

  it('routes an approval step to someone cleared, and tells no one uncleared the title', async () => {
    const { co } = app;
    // A 秘密 sales document asked for by a 秘密 developer, whose own manager is 普通.
    const doc = (
      await register(co.as.salesmgr, { title: '秘密销售策略草案', category: 'records', secrecy: 'secret' })
    ).id;
    const res = await ask(as.dev1, doc);
    expect(res.statusCode, res.body).toBe(201);
    const request = res.json();
    // No cleared department manager above the requester: the general manager takes the step.
    expect((request.steps as Json[]).map((s) => s.role)).toEqual(['general_manager']);
    const notes = async (who: Client) => JSON.stringify((await who.get('/api/notifications')).json().items);
    for (const who of [as.devmgr, co.as.lowgm]) expect(await notes(who)).not.toContain('秘密销售策略草案');
    expect(await notes(co.as.gm)).toContain('秘密销售策略草案');
    const queue = async (who: Client) =>
      ((await who.get('/api/access-requests?view=approvals')).json().items as Json[]).map((r) => r.id);
    expect(await queue(co.as.gm)).toContain(request.id);
    const approved = await co.as.gm.post(`/api/access-requests/${request.id}/decisions`, {
      decision: 'approve',
    });
    expect(approved.json()).toMatchObject({ status: 'approved' });
    expect((await as.dev1.get(`/api/documents/${doc}`)).statusCode).toBe(200);
    // The only general manager cleared for a 绝密 record asks for it himself: nobody could decide
    // the request, so it is refused rather than left waiting.
    const topSecret = (
      await register(co.as.qa1, { title: '绝密配方', category: 'records', secrecy: 'top_secret' })
    ).id;
    const refused = await ask(co.as.gm, topSecret);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'no_cleared_approver',
      title: expect.stringContaining('总经理'),
    });
  });

  it('tells the desk work only to archivists cleared for the record', async () => {
    const { co } = app;
    const doc = (
      await register(co.as.salesmgr, {
        title: '秘密客户走访纸质记录',
        category: 'records',
        secrecy: 'secret',
        carrier: 'paper',
      })
    ).id;
    const res = await ask(co.as.salesmgr, doc, { mode: 'physical', purpose: 'borrow' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect(
      (await co.as.gm.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' })).json(),
    ).toMatchObject({
      status: 'approved',
    });
    const desk = async (who: Client) =>
      ((await who.get('/api/notifications')).json().items as Json[]).filter((n) => n.kind === 'lending.desk');
    expect(JSON.stringify(await desk(co.as.archivist))).toContain('秘密客户走访纸质记录');
    // Not even a neutral note: it would tell that a record above them is lent (R-P1).
    expect(await desk(as.lowArchivist)).toEqual([]);
  });

  it('takes access requests out of sight when a record on them is raised above the reader', async () => {
    const { co } = app;
    const raisedLater = await archive('申请后升级客户');
    const doc = (
      await register(co.as.gm, {
        title: '申请后升级的质量协议',
        customerId: raisedLater,
        departmentId: co.quality,
      })
    ).id;
    const res = await ask(co.as.sales1, doc);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const listed = async (who: Client, view: string) =>
      JSON.stringify((await who.get(`/api/access-requests?view=${view}`)).json().items);
    expect(await listed(co.as.sales1, 'mine')).toContain(id);
    expect(await listed(co.as.salesmgr, 'approvals')).toContain(id);
    await co.as.gm.patch(`/api/customers/${raisedLater}`, { secrecy: 'confidential' });
    // The requester (普通) and the waiting approver (秘密) are both below it now.
    expect(await listed(co.as.sales1, 'mine')).not.toContain(id);
    expect(await listed(co.as.salesmgr, 'approvals')).not.toContain(id);
    expect((await co.as.sales1.get(`/api/access-requests/${id}`)).statusCode).toBe(404);
    expect(
      (await co.as.salesmgr.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' })).statusCode,
    ).toBe(404);
    expect(await listed(co.as.gm, 'all')).toContain(id);
  });

  it('counts only the items a reader may see on appraisal batches and destruction registers', async () => {
    const { co, t } = app;
    const old = async (title: string, extra: Json = {}) =>
      (await register(co.as.gm, { title, issueDate: '2010-03-01', retention: 'D10', ...extra })).id;
    const open = await old('2010年普通协议');
    const inSecret = await old('2010年机密客户协议', { customerId });
    await travel(t, co, new Date('2027-01-05T02:00:00Z').toISOString());
    as.lowAuditor = await signIn(t.app, 'lowauditor');
    as.highAuditor = await signIn(t.app, 'highauditor');
    const appraisal = await co.as.archivist.post('/api/appraisals', {
      title: '2027年到期鉴定',
      memberIds: [co.ids.archivist, co.ids.qamgr],
      documentIds: [open, inSecret],
    });
    expect(appraisal.statusCode, appraisal.body).toBe(201);
    const { id, items } = appraisal.json() as { id: string; items: { id: string }[] };
    const itemIds = items.map((i) => i.id);
    for (const who of [co.as.archivist, co.as.qamgr])
      await who.put(`/api/appraisals/${id}/opinions`, {
        opinions: itemIds.map((itemId) => ({ itemId, decision: 'destroy' })),
      });
    expect((await co.as.archivist.post(`/api/appraisals/${id}/conclude`)).statusCode).toBe(200);
    const disposal = await co.as.archivist.post('/api/disposals', { title: '2027年销毁', itemIds });
    expect(disposal.statusCode, disposal.body).toBe(201);
    const count = async (who: Client, list: string) =>
      ((await who.get(`/api/${list}`)).json().items as Json[]).find(
        (x) => x.title === `2027年${list === 'appraisals' ? '到期鉴定' : '销毁'}`,
      )?.itemCount;
    expect(await count(as.highAuditor, 'appraisals')).toBe(2);
    expect(await count(as.lowAuditor, 'appraisals')).toBe(1);
    expect(await count(as.highAuditor, 'disposals')).toBe(2);
    expect(await count(as.lowAuditor, 'disposals')).toBe(1);
  });
});
