import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';

const run = promisify(execFile);
type Json = Record<string, unknown>;

describe('integrity check (R-L2)', () => {
  const app = companyApp();
  const docs: Record<string, { id: string; sha256: string }> = {};

  const check = async () => {
    const queued = await app.co.as.archivist.post('/api/integrity/checks');
    expect(queued.statusCode).toBe(202);
    await drainJobs();
    // The job page the web app polls shows the report's summary too.
    const job = await app.co.as.archivist.get(`/api/jobs/${queued.json().job.id}`);
    expect(job.json()).toMatchObject({ status: 'succeeded', result: { ok: expect.any(Boolean) } });
    return (await app.co.as.archivist.get('/api/integrity/checks/latest')).json();
  };
  const blobPath = (sha: string) => path.join(app.t.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);

  it('passes on a healthy archive', async () => {
    const { co } = app;
    await co.as.admin.patch(`/api/departments/${co.quality}`, { code: 'ZL' });
    for (const [title, name, content] of [
      ['采购合同', '合同.pdf', CONTRACT_PDF],
      ['检验记录', '记录.txt', Buffer.from('来料检验合格')],
      ['图纸说明', '说明.txt', Buffer.from('图纸第二版')],
    ] as const) {
      const id = (await co.as.qa1.post('/api/documents', { title, category: 'records' })).json().id as string;
      const file = (await uploadFile(co.as.qa1, id, name, content)).json();
      await co.as.archivist.post(`/api/documents/${id}/file`);
      docs[title] = { id, sha256: file.sha256 };
    }
    const report = await check();
    expect(report).toMatchObject({ ok: true, findings: [], counts: { documents: 3, blobs: 3 } });
    expect((await co.as.sales1.post('/api/integrity/checks')).statusCode).toBe(403);
  });

  it('tells nobody when nothing is wrong', async () => {
    for (const who of ['admin', 'archivist', 'qa1'] as const)
      expect((await app.co.as[who].get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
  });

  it('names exactly the record whose stored file was changed on disk', async () => {
    const target = docs.检验记录 as { id: string; sha256: string };
    const file = blobPath(target.sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, '来料检验不合格');
    app.t.clock.advance(60_000);
    const report = await check();
    expect(report.ok).toBe(false);
    expect(report).toMatchObject({ trigger: 'manual', actor: { name: 'archivist' }, fixityFailures: 1 });
    expect(report.findings).toEqual([
      expect.objectContaining({
        aspect: 'fixity',
        problem: 'digest_mismatch',
        documentId: target.id,
        title: '检验记录',
        fileName: '记录.txt',
        sha256: target.sha256,
      }),
    ]);
  });

  it('notifies every active administrator and archivist, with a link to the report', async () => {
    const { co } = app;
    const latest = (await co.as.archivist.get('/api/integrity/checks/latest')).json();
    for (const who of ['admin', 'archivist'] as const) {
      const items = (await co.as[who].get('/api/notifications')).json().items as Json[];
      expect(items).toEqual([
        expect.objectContaining({
          kind: 'integrity.fixity',
          title: '完整性检查发现 1 个文件被改变或缺失',
          link: `/admin/integrity?report=${latest.id}`,
          readAt: null,
        }),
      ]);
    }
    for (const who of ['qa1', 'gm', 'sales1'] as const)
      expect((await co.as[who].get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
  });

  it('keeps every report: the history lists them newest first and opens an old one', async () => {
    const { co } = app;
    const list = await co.as.archivist.get('/api/integrity/checks?limit=1');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ ok: false, findings: 1, fixityFailures: 1, trigger: 'manual' }),
    ]);
    const older = (
      await co.as.archivist.get(`/api/integrity/checks?cursor=${list.json().nextCursor}`)
    ).json();
    expect(older).toMatchObject({
      nextCursor: null,
      items: [{ ok: true, findings: 0, actor: { name: 'archivist' } }],
    });
    const first = await co.as.admin.get(`/api/integrity/checks/${older.items[0].id}`);
    expect(first.json()).toMatchObject({ ok: true, findings: [], counts: { documents: 3 } });
    expect((await co.as.sales1.get('/api/integrity/checks')).statusCode).toBe(403);
    expect((await co.as.admin.get('/api/integrity/checks/nope')).statusCode).toBe(404);
  });

  it("shows a finding about a record above the reader's clearance without naming it (R-P1)", async () => {
    const { co } = app;
    const id = (
      await co.as.qa1.post('/api/documents', {
        title: '绝密工艺',
        category: 'records',
        secrecy: 'top_secret',
        secrecyTerm: '10年',
      })
    ).json().id as string;
    const file = (await uploadFile(co.as.qa1, id, '工艺.txt', Buffer.from('绝密工艺参数'))).json();
    fs.chmodSync(blobPath(file.sha256), 0o644);
    fs.writeFileSync(blobPath(file.sha256), '被改过');
    const report = await check();
    // The archivist's clearance is 机密: the finding is there, its record is not named, nor its digest.
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        problem: 'digest_mismatch',
        title: null,
        documentId: null,
        fileName: null,
        sha256: null,
      }),
    );
    expect(JSON.stringify(report)).not.toContain(file.sha256);
    const full = (await co.as.admin.get(`/api/integrity/checks/${report.id}`)).json();
    expect((full.findings as Json[]).find((f) => f.sha256 === file.sha256)).toMatchObject({
      title: '绝密工艺',
      documentId: id,
    });
    // Put back as it was, for the tests below.
    fs.writeFileSync(blobPath(file.sha256), '绝密工艺参数');
  });

  it('reports a 档号 gap, a missing file, an unknown file and a broken audit chain', async () => {
    const { t } = app;
    await t.database.db
      .updateTable('documents')
      .set({ archive_no: null })
      .where('id', '=', (docs.采购合同 as { id: string }).id)
      .execute();
    fs.rmSync(blobPath((docs.图纸说明 as { sha256: string }).sha256), { force: true });
    fs.writeFileSync(path.join(t.dataDir, 'blobs', 'stray.bin'), 'x');
    await t.database.db.updateTable('audit_log').set({ target_label: '改过' }).where('seq', '=', 3).execute();
    const report = await check();
    const problems = (report.findings as Json[]).map((f) => [f.problem, f.title ?? f.detail]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['blob_missing', '图纸说明'],
        ['blob_orphan', '存储中有未登记的文件：stray.bin'],
        ['archive_gap', expect.stringContaining('漏号：1')],
        ['audit_chain', '审计日志：第 #3 条记录被修改'],
      ]),
    );
  });

  it('`kedang check` prints the findings and exits 1', async () => {
    const err = await run(process.execPath, ['bin/kedang.js', 'check'], { env: app.t.env }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    const out = (err as { stdout: string }).stdout;
    expect(out).toContain('Integrity check FAILED');
    expect(out).toContain('[fixity/digest_mismatch] 「检验记录」 记录.txt');
  });
});

describe('integrity check after a destruction (R-L2, R-X4)', () => {
  const app = companyApp();
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-integrity-backups-'));
  afterAll(() => fs.rmSync(target, { recursive: true, force: true }));
  const blobPath = (sha: string) => path.join(app.t.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
  const check = async () => {
    expect((await app.co.as.archivist.post('/api/integrity/checks')).statusCode).toBe(202);
    await drainJobs();
    return (await app.co.as.admin.get('/api/integrity/checks/latest')).json();
  };

  it('names only the records that still hold a changed file, and counts stored files as the backup does', async () => {
    const { as, ids, quality } = app.co;
    const register = async (title: string, body: Json = {}) => {
      const res = await as.qa1.post('/api/documents', { title, category: 'records', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // A record of 2015, due for appraisal since 2026, shares its drawing with a record that stays.
    const old = await register('2015年来料检验记录', { issueDate: '2015-03-01', retention: 'D10' });
    const kept = await register('来料检验标准图', { retention: 'Y' });
    const drawing = Buffer.from('来料检验标准图第三版');
    const shared = (await uploadFile(as.qa1, old, '标准图.txt', drawing)).json().sha256 as string;
    await uploadFile(as.qa1, old, '原始记录.txt', Buffer.from('2015年来料检验原始记录'));
    await uploadFile(as.qa1, kept, '标准图.txt', drawing);

    // Appraised, listed, signed and destroyed: its own content goes, the shared drawing stays.
    const appraisal = (
      await as.archivist.post('/api/appraisals', {
        title: '2015年记录鉴定',
        memberIds: [ids.archivist, ids.qamgr],
        documentIds: [old],
      })
    ).json();
    const items = (appraisal.items as Json[]).map((i) => ({ itemId: i.id, decision: 'destroy' }));
    for (const who of [as.archivist, as.qamgr]) {
      const res = await who.put(`/api/appraisals/${appraisal.id}/opinions`, { opinions: items });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await as.archivist.post(`/api/appraisals/${appraisal.id}/conclude`)).statusCode).toBe(200);
    const disposal = (
      await as.archivist.post('/api/disposals', {
        title: '2015年记录销毁',
        itemIds: (appraisal.items as Json[]).map((i) => i.id),
      })
    ).json();
    // The archivist who drew it up may not sign it: another archivist heads the archive.
    await seedUser(app.t, 'archivist2', ['archivist'], { departmentId: quality, clearance: 'secret' });
    const submitted = await as.archivist.post(`/api/disposals/${disposal.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    for (const who of [await signIn(app.t.app, 'archivist2'), as.qamgr, as.gm]) {
      const signed = await who.post(`/api/disposals/${disposal.id}/signatures`, {
        decision: 'approve',
        opinion: '同意',
      });
      expect(signed.statusCode, signed.body).toBe(200);
    }
    const destroyed = await as.archivist.post(`/api/disposals/${disposal.id}/destroy`, {
      witnessIds: [ids.qa1, ids.sales2],
    });
    expect(destroyed.statusCode, destroyed.body).toBe(200);
    expect((await as.qa1.get(`/api/documents/${old}`)).json().status).toBe('destroyed');
    expect(fs.existsSync(blobPath(shared))).toBe(true);

    // Healthy: the check counts the stored files the backup copies, not destroyed content.
    const healthy = await check();
    expect(healthy).toMatchObject({ ok: true, findings: [] });
    expect((await as.admin.put('/api/system/schedule', { backupDir: target })).statusCode).toBe(200);
    expect((await as.admin.post('/api/system/backups')).statusCode).toBe(202);
    await drainJobs();
    const [backup] = (await as.admin.get('/api/system/backups')).json().items as Json[];
    expect(backup).toMatchObject({ complete: true, verified: true });
    expect(healthy.counts.blobs).toBe(backup?.blobs);

    // The shared drawing altered on disk: the finding names the record that holds it, not the
    // destroyed one (its content is gone; it holds nothing any more).
    fs.chmodSync(blobPath(shared), 0o644);
    fs.writeFileSync(blobPath(shared), '被改过的标准图');
    const report = await check();
    expect(report.findings).toEqual([
      expect.objectContaining({ problem: 'digest_mismatch', documentId: kept, title: '来料检验标准图' }),
    ]);
    fs.writeFileSync(blobPath(shared), drawing);
  });

  it("names the record and the file when a customer's authorisation is missing from the store", async () => {
    const { co } = app;
    const customerId = (
      await co.as.sales1.post('/api/customers', {
        name: '核查授权客户',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    const id = (
      await co.as.sales1.post('/api/documents', {
        title: '客户图纸 HZ-2',
        source: 'customer',
        category: 'customer_supplied',
        customerId,
        productionUse: true,
      })
    ).json().id as string;
    const letter = Buffer.from('%PDF-1.4\n授权书 HZ-2\n%%EOF\n');
    const attached = await co.as.archivist.inject({
      method: 'POST',
      url: `/api/documents/${id}/authorization?${new URLSearchParams({ name: '授权书.pdf', signedBy: '客户李总', signedOn: '2026-03-01' })}`,
      payload: letter,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const sha = createHash('sha256').update(letter).digest('hex');
    fs.rmSync(blobPath(sha));
    const report = await check();
    expect(report.findings.filter((f: Json) => f.sha256 === sha)).toEqual([
      expect.objectContaining({
        problem: 'blob_missing',
        documentId: id,
        title: '客户图纸 HZ-2',
        fileName: '授权书.pdf',
      }),
    ]);
    fs.writeFileSync(blobPath(sha), letter);
  });

  it('names a filed customer archive that lacks what filing requires, hidden from a reader below its level', async () => {
    const { co } = app;
    const created = await co.as.gm.post('/api/customers', {
      name: '绝密备案客户',
      category: 'general',
      kind: 'business',
      secrecy: 'top_secret',
      registeredAddress: '广州市天河区',
      industry: '照明',
      region: '广州',
      contacts: [{ name: '李工', phone: '020-88886666' }],
      file: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json().status).toBe('filed');
    // Emptied after filing: the archive no longer holds what filing asks for.
    expect((await co.as.gm.patch(`/api/customers/${id}`, { industry: '' })).statusCode).toBe(200);
    await check();
    const found = async (as: Client) =>
      ((await as.get('/api/integrity/checks/latest')).json().findings as Json[]).filter(
        (f) => f.problem === 'filing_fields_missing',
      );
    // The administrator (绝密) sees which archive; the archivist (机密) that there is one.
    expect(await found(co.as.admin)).toEqual([
      expect.objectContaining({
        aspect: 'completeness',
        customerId: id,
        title: expect.stringMatching(/^KH\d+ 绝密备案客户$/),
      }),
    ]);
    expect(await found(co.as.archivist)).toEqual([
      expect.objectContaining({
        customerId: null,
        title: null,
        detail: '该记录的密级高于您的涉密等级，详情不显示',
      }),
    ]);
  });
});
