import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { BlobStore } from '../../platform/storage.js';
import type { Client } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { uploadFile } from '../../test-support/documents.js';

// Versions (R-D4/R-D5): a new version supersedes the current one only once it has its label
// (or is explicitly unnumbered) and, for an electronic record, its file, and only when the
// copies to be recalled were confirmed. A version nobody holds a copy of yet can be corrected
// or withdrawn, which makes the previous one current again with its copies back in use.

type Json = Record<string, unknown>;
type Version = Json & { id: string; seq: number; label: string | null; status: string; files: Json[] };

const pdf = (text: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('document versions: drafts, confirmed supersession, correction and withdrawal (R-D4)', () => {
  const app = companyApp();
  const get = async (as: Client, id: string) => (await as.get(`/api/documents/${id}`)).json();
  const versions = async (as: Client, id: string) => (await get(as, id)).versions as Version[];
  const copies = async (id: string) =>
    ((await app.co.as.archivist.get(`/api/documents/${id}/copies`)).json() as Json[]).map((c) => [
      c.recipient,
      c.versionLabel,
      c.recallStatus,
    ]);

  /** A product standard of the quality department (shared: everyone reads it, the quality
   * department keeps it), version A with its file, distributed to quality and sales. */
  async function distributed(title: string, carrier = 'electronic') {
    const { as, quality, sales } = app.co;
    const res = await as.qa1.post('/api/documents', {
      title,
      category: 'product_standards',
      versionLabel: 'A',
      carrier,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect((await uploadFile(as.qa1, id, `${title}A版.pdf`, pdf(`${title} A`))).statusCode).toBe(201);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: quality }, { departmentId: sales }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    return { id, copyIds: (sent.json() as Json[]).map((c) => c.id as string) };
  }

  it('lines up changes made at the same moment: one draft, one release, never a 500', async () => {
    const { as } = app.co;
    const { id, copyIds } = await distributed('并发换版标准');
    const drafts = await Promise.all(
      ['B', 'C', 'D'].map((versionLabel) => as.qa1.post(`/api/documents/${id}/versions`, { versionLabel })),
    );
    expect(drafts.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(drafts.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual([
      'version_draft_exists',
      'version_draft_exists',
    ]);
    const draft = (await versions(as.qa1, id)).find((v) => v.status === 'draft') as Version;
    await uploadFile(as.qa1, id, '并发换版标准B.pdf', pdf('并发 B'), draft.id);
    const releases = await Promise.all(
      [1, 2].map(() =>
        as.qa1.post(`/api/documents/${id}/versions/${draft.id}/release`, { recallCopyIds: copyIds }),
      ),
    );
    expect(releases.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const doc = await get(as.qa1, id);
    expect(doc.versionCount ?? (doc.versions as Version[]).length).toBe(2);
    const events = (await as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events.filter((e) => e.kind === 'version')).toHaveLength(1);
  });

  it('supersedes nothing on an empty 新版本: the label (or 无版本号) is required', async () => {
    const { as } = app.co;
    const { id } = await distributed('来料检验规范');
    const empty = await as.qa1.post(`/api/documents/${id}/versions`, {});
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([
      expect.objectContaining({ field: 'versionLabel', message: '请填写新版本的版本号，或选择“无版本号”' }),
    ]);
    const both = await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B', unnumbered: true });
    expect(both.statusCode).toBe(422);
    const taken = await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: ' A ' });
    expect(taken.json().errors).toEqual([
      expect.objectContaining({ field: 'versionLabel', message: '本文件已有版本“A”' }),
    ]);
    // Nothing changed: A is current, its copies in use.
    expect((await versions(as.qa1, id)).map((v) => [v.label, v.status])).toEqual([['A', 'current']]);
    expect(await copies(id)).toEqual([
      ['品质部', 'A', 'none'],
      ['销售部', 'A', 'none'],
    ]);
  });

  it('keeps a new version a draft until it has its file and the recall is confirmed', async () => {
    const { as } = app.co;
    const { id, copyIds } = await distributed('出货检验规范');
    const created = await as.qa1.post(`/api/documents/${id}/versions`, {
      versionLabel: 'B',
      issueDate: '2026-02-20',
      note: '增加外观检验项目',
    });
    expect(created.statusCode, created.body).toBe(201);
    const doc = created.json();
    // A draft: the register, the current version and the copies are untouched.
    expect(doc).toMatchObject({ versionLabel: 'A', status: 'current', pendingRecalls: 0 });
    const draft = (doc.versions as Version[]).find((v) => v.status === 'draft') as Version;
    expect(draft).toMatchObject({ label: 'B', seq: 2, issueDate: '2026-02-20', note: '增加外观检验项目' });
    expect(await copies(id)).toEqual([
      ['品质部', 'A', 'none'],
      ['销售部', 'A', 'none'],
    ]);
    expect((await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'C' })).json().code).toBe(
      'version_draft_exists',
    );
    // Readers who may not change the document do not see an unreleased draft.
    expect((await versions(as.qamgr, id)).map((v) => v.status)).toContain('draft');
    expect((await versions(as.sales1, id)).map((v) => v.status)).toEqual(['current']);

    const release = (recallCopyIds: string[]) =>
      as.qa1.post(`/api/documents/${id}/versions/${draft.id}/release`, { recallCopyIds });
    const noFile = await release(copyIds);
    expect(noFile.statusCode).toBe(422);
    expect(noFile.json()).toMatchObject({
      code: 'version_file_required',
      title: '电子文件的新版本须先上传文件，才能替代现行版本',
    });
    const file = await uploadFile(as.qa1, id, '出货检验规范B版.pdf', pdf('出货 B'), draft.id);
    expect(file.statusCode, file.body).toBe(201);
    // A draft's file is not for readers, nor counted in the register.
    expect((await as.sales1.get(`/api/documents/${id}/files/${file.json().id}/content`)).statusCode).toBe(
      404,
    );
    const listed = async () =>
      (
        (await as.qa1.get(`/api/documents?q=${encodeURIComponent('出货检验规范')}`)).json().items as Json[]
      )[0];
    expect(await listed()).toMatchObject({ fileCount: 1 });
    // The confirmation must name exactly the copies that will be recalled.
    const unconfirmed = await release([]);
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json()).toMatchObject({ code: 'recall_list_changed' });
    expect((await versions(as.qa1, id)).find((v) => v.label === 'A')?.status).toBe('current');

    const done = await release(copyIds);
    expect(await listed()).toMatchObject({ fileCount: 2 });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ versionLabel: 'B', issueDate: '2026-02-20', pendingRecalls: 2 });
    expect(done.json().versions.map((v: Version) => [v.label, v.status, v.files.length])).toEqual([
      ['B', 'current', 1],
      ['A', 'obsolete', 1],
    ]);
    expect(await copies(id)).toEqual([
      ['品质部', 'A', 'pending'],
      ['销售部', 'A', 'pending'],
    ]);
    const audit = (await as.admin.get(`/api/audit?target=${id}`)).json().items as Json[];
    const entry = audit.find((e) => e.action === 'document.version') as Json;
    expect(entry).toMatchObject({ actorLogin: 'qa1' });
    expect((entry.details as Json).recalled).toEqual(['品质部（受控 01）', '销售部（受控 02）']);
    expect((await as.sales1.get(`/api/documents/${id}/files/${file.json().id}/content`)).statusCode).toBe(
      200,
    );
  });

  it('lets a paper record and an explicitly unnumbered version supersede without a file', async () => {
    const { as } = app.co;
    const { id, copyIds } = await distributed('纸质作业指导书', 'paper');
    const created = await as.qa1.post(`/api/documents/${id}/versions`, { unnumbered: true });
    expect(created.statusCode, created.body).toBe(201);
    const draft = (created.json().versions as Version[]).find((v) => v.status === 'draft') as Version;
    expect(draft).toMatchObject({ label: null, seq: 2 });
    const done = await as.qa1.post(`/api/documents/${id}/versions/${draft.id}/release`, {
      recallCopyIds: copyIds,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().versionLabel).toBeNull();
  });

  it('corrects a version nobody holds a copy of, and replaces its file', async () => {
    const { as } = app.co;
    const { id, copyIds } = await distributed('巡检记录表');
    const draft = (
      (await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B' })).json().versions as Version[]
    ).find((v) => v.status === 'draft') as Version;
    const wrong = (await uploadFile(as.qa1, id, '错误文件.pdf', pdf('错误'), draft.id)).json();
    // A draft is corrected freely: its label, dates and files.
    const fixed = await as.qa1.patch(`/api/documents/${id}/versions/${draft.id}`, {
      versionLabel: 'B/0',
      issueDate: '2026-01-15',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((fixed.json().versions as Version[]).find((v) => v.id === draft.id)).toMatchObject({
      label: 'B/0',
      issueDate: '2026-01-15',
    });
    const removed = await as.qa1.delete(`/api/documents/${id}/files/${wrong.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    await uploadFile(as.qa1, id, '巡检记录表B版.pdf', pdf('巡检 B'), draft.id);
    await as.qa1.post(`/api/documents/${id}/versions/${draft.id}/release`, { recallCopyIds: copyIds });

    // The current version B, not yet distributed: corrected, and its file replaced.
    const patched = await as.qa1.patch(`/api/documents/${id}/versions/${draft.id}`, {
      versionLabel: 'B/1',
      receivedDate: '2026-02-01',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ versionLabel: 'B/1', receivedDate: '2026-02-01' });
    // 修改著录 follows the same rules: no label another version has.
    const taken = await as.qa1.patch(`/api/documents/${id}`, { versionLabel: 'A' });
    expect(taken.json()).toMatchObject({ status: 422 });
    expect(taken.json().errors).toEqual([
      expect.objectContaining({ field: 'versionLabel', code: 'version_label_taken' }),
    ]);
    const current = (patched.json().versions as Version[])[0] as Version;
    const only = current.files[0] as Json;
    const last = await as.qa1.delete(`/api/documents/${id}/files/${only.id}`);
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('file_remove_last');
    await uploadFile(as.qa1, id, '巡检记录表B1版.pdf', pdf('巡检 B1'), draft.id);
    expect((await as.qa1.delete(`/api/documents/${id}/files/${only.id}`)).statusCode).toBe(200);
    expect(((await versions(as.qa1, id))[0] as Version).files.map((f) => f.name)).toEqual([
      '巡检记录表B1版.pdf',
    ]);
    // The file taken out stays stored (it goes only with the record's destruction) and is audited.
    const store = new BlobStore(app.t.dataDir);
    expect(fs.existsSync(store.pathOf(sha256(pdf('巡检 B'))))).toBe(true);
    expect((await as.qa1.get(`/api/documents/${id}/files/${only.id}/content`)).statusCode).toBe(404);
    const audit = (await as.admin.get(`/api/audit?target=${id}`)).json().items as Json[];
    expect(
      audit.filter((e) => e.action === 'document.file_remove').map((e) => (e.details as Json).name),
    ).toEqual(['巡检记录表B版.pdf', '错误文件.pdf']);
    expect(audit.find((e) => e.action === 'document.version_edit')).toBeTruthy();

    // Once a copy of it is out, it is fixed: a further change is a new version.
    await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: app.co.quality }],
    });
    const late = await as.qa1.patch(`/api/documents/${id}/versions/${draft.id}`, { versionLabel: 'B/2' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'version_distributed' });
    // Nor through the register entry (修改著录): its label and dates are the version's.
    for (const change of [{ versionLabel: 'B/2' }, { issueDate: '2026-01-20' }]) {
      const viaDocument = await as.qa1.patch(`/api/documents/${id}`, change);
      expect(viaDocument.json(), JSON.stringify(change)).toMatchObject({
        status: 409,
        code: 'version_distributed',
      });
    }
    expect((await as.qa1.patch(`/api/documents/${id}`, { remarks: '巡检用' })).statusCode).toBe(200);
    const file = ((await versions(as.qa1, id))[0] as Version).files[0] as Json;
    expect((await as.qa1.delete(`/api/documents/${id}/files/${file.id}`)).json().code).toBe(
      'version_distributed',
    );
    expect((await as.admin.post('/api/audit/verify')).json().ok).toBe(true);
    // The register's file counts still agree with the files in use.
    expect((await as.admin.post('/api/integrity/checks')).statusCode).toBe(202);
    await drainJobs();
    const check = (await as.admin.get('/api/integrity/checks/latest')).json();
    expect((check.findings as Json[]).filter((f) => f.problem === 'file_count')).toEqual([]);
  });

  it('adds a file only where one could be taken out: not to a distributed or a filed version', async () => {
    const { as } = app.co;
    const store = new BlobStore(app.t.dataDir);
    const { id } = await distributed('焊接工艺规范');
    const current = (await versions(as.qa1, id))[0] as Version;
    expect(current.can).toMatchObject({ correct: false });
    // Into the version in force, by default or by name: it was handed out as it is.
    for (const versionId of [undefined, current.id]) {
      const late = await uploadFile(as.qa1, id, 'late.pdf', pdf('焊接 late'), versionId);
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json()).toMatchObject({
        code: 'version_distributed',
        title: '该版本已分发副本，不能再更正、增删文件或撤回；如有变更请登记新版本',
      });
    }
    expect(((await versions(as.qa1, id))[0] as Version).files.map((f) => f.name)).toEqual([
      '焊接工艺规范A版.pdf',
    ]);
    expect(fs.existsSync(store.pathOf(sha256(pdf('焊接 late'))))).toBe(false);
    // A draft stays open.
    const draft = (
      (await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B' })).json().versions as Version[]
    ).find((v) => v.status === 'draft') as Version;
    expect((await uploadFile(as.qa1, id, '焊接工艺规范B版.pdf', pdf('焊接 B'), draft.id)).statusCode).toBe(
      201,
    );

    // A filed record nobody holds a copy of: its version in force is what was filed.
    const paper = await as.qa1.post('/api/documents', { title: '焊接检验记录', category: 'records' });
    const paperId = paper.json().id as string;
    expect((await uploadFile(as.qa1, paperId, '记录.pdf', pdf('焊接记录'))).statusCode).toBe(201);
    await as.admin.patch(`/api/departments/${app.co.quality}`, { code: 'PZ' });
    expect((await as.archivist.post(`/api/documents/${paperId}/file`)).statusCode).toBe(200);
    const filed = await uploadFile(as.qa1, paperId, '补充.pdf', pdf('焊接补充'));
    expect(filed.statusCode).toBe(409);
    expect(filed.json()).toMatchObject({
      code: 'version_filed',
      title: '文件已归档（编档号），现行版本不能再更正、增删文件或撤回',
    });
    expect(fs.existsSync(store.pathOf(sha256(pdf('焊接补充'))))).toBe(false);
  });

  it('withdraws a version nobody holds a copy of: the previous one is current again, its copies back in use', async () => {
    const { as } = app.co;
    const { id, copyIds } = await distributed('首件检验规范');
    const draft = (
      (await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B' })).json().versions as Version[]
    ).find((v) => v.status === 'draft') as Version;
    await uploadFile(as.qa1, id, '首件检验规范B版.pdf', pdf('首件 B'), draft.id);
    await as.qa1.post(`/api/documents/${id}/versions/${draft.id}/release`, { recallCopyIds: copyIds });
    // One of A's copies already came back; the other is still out.
    await as.archivist.post(`/api/documents/${id}/copies/${copyIds[0]}/recall`, { note: '完好' });

    const withdraw = (who: Client, versionId: string, reason = '发布错误') =>
      who.post(`/api/documents/${id}/versions/${versionId}/withdraw`, { reason });
    expect((await withdraw(as.sales1, draft.id)).statusCode).toBe(403);
    const back = await withdraw(as.qa1, draft.id, '发错了版本');
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ versionLabel: 'A', pendingRecalls: 0 });
    expect((back.json().versions as Version[]).map((v) => [v.label, v.status])).toEqual([['A', 'current']]);
    expect(await copies(id)).toEqual([
      ['品质部', 'A', 'recalled'],
      ['销售部', 'A', 'none'],
    ]);
    expect((await as.qa1.get('/api/documents?q=首件检验规范')).json().items[0]).toMatchObject({
      versionLabel: 'A',
      versionCount: 1,
    });
    const events = (await as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({
      kind: 'version_withdraw',
      versionLabel: 'B',
      details: { reason: '发错了版本', restored: 'A', backInUse: ['销售部（受控 02）'] },
    });
    const audit = (await as.admin.get(`/api/audit?target=${id}`)).json().items as Json[];
    expect(audit.find((e) => e.action === 'document.version_withdraw')).toMatchObject({
      actorLogin: 'qa1',
      details: expect.objectContaining({ versionId: draft.id, restored: 'A' }),
    });
    // A is out again; and a first version is never withdrawn (that is withdrawing the document).
    const first = (back.json().versions as Version[])[0] as Version;
    expect((await withdraw(as.qa1, first.id)).json().code).toBe('version_distributed');
    const fresh = (
      await as.qa1.post('/api/documents', { title: '新登记的标准', category: 'product_standards' })
    ).json();
    const only = await as.qa1.post(`/api/documents/${fresh.id}/versions/${fresh.versions[0].id}/withdraw`, {
      reason: '登记错了',
    });
    expect(only.json()).toMatchObject({
      code: 'version_first',
      title: '首个版本不能撤回；如需停用，请作废文件',
    });

    // A distributed version, a held record and a filed record's current version stay.
    const next = (
      (await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'C' })).json().versions as Version[]
    ).find((v) => v.status === 'draft') as Version;
    await uploadFile(as.qa1, id, '首件检验规范C版.pdf', pdf('首件 C'), next.id);
    const left = ((await as.archivist.get(`/api/documents/${id}/copies`)).json() as Json[])
      .filter((c) => c.recallStatus === 'none')
      .map((c) => c.id as string);
    await as.qa1.post(`/api/documents/${id}/versions/${next.id}/release`, { recallCopyIds: left });
    const hold = await as.archivist.post('/api/holds', {
      targetType: 'document',
      targetId: id,
      kind: 'audit',
      reason: '外审抽查',
    });
    expect(hold.statusCode, hold.body).toBe(201);
    expect((await withdraw(as.qa1, next.id)).json().code).toBe('document_held');
    await as.archivist.post(`/api/holds/${hold.json().id}/lift`, { reason: '抽查结束' });
    expect((await as.admin.patch(`/api/departments/${app.co.quality}`, { code: 'PZ' })).statusCode).toBe(200);
    const filed = await as.archivist.post(`/api/documents/${id}/file`);
    expect(filed.statusCode, filed.body).toBe(200);
    expect((await withdraw(as.qa1, next.id)).json().code).toBe('version_filed');
    expect((await as.admin.post('/api/audit/verify')).json().ok).toBe(true);
  });

  it('discards a draft, keeping the current version and its copies as they were', async () => {
    const { as } = app.co;
    const { id } = await distributed('包装规范');
    const draft = (
      (await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B' })).json().versions as Version[]
    ).find((v) => v.status === 'draft') as Version;
    const f = (await uploadFile(as.qa1, id, '包装规范B版草稿.pdf', pdf('包装 B'), draft.id)).json();
    const gone = await as.qa1.post(`/api/documents/${id}/versions/${draft.id}/withdraw`, {
      reason: '暂不换版',
    });
    expect(gone.statusCode, gone.body).toBe(200);
    expect((gone.json().versions as Version[]).map((v) => [v.label, v.status])).toEqual([['A', 'current']]);
    expect(await copies(id)).toEqual([
      ['品质部', 'A', 'none'],
      ['销售部', 'A', 'none'],
    ]);
    expect((await as.qa1.get(`/api/documents/${id}/files/${f.id}/content`)).statusCode).toBe(404);
    // A new draft may be drawn up again, and takes the next number.
    const again = await as.qa1.post(`/api/documents/${id}/versions`, { versionLabel: 'B' });
    expect((again.json().versions as Version[]).find((v) => v.status === 'draft')?.seq).toBe(3);
  });
});
