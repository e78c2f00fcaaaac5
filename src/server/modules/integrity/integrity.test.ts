import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
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

  it('names exactly the record whose stored file was changed on disk', async () => {
    const target = docs.检验记录 as { id: string; sha256: string };
    const file = blobPath(target.sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, '来料检验不合格');
    const report = await check();
    expect(report.ok).toBe(false);
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
        ['audit_chain', expect.stringContaining('第 3 条')],
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
