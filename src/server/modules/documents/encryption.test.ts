import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.js';
import { drainJobs } from '../../platform/jobs.js';
import { BlobStore } from '../../platform/storage.js';
import { createPgDatabase, usesPostgres } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';
import { extractText } from './text.js';

// Encryption at rest of classified files (issue 18; 密级制度: 对于机密文件应当加密存储).

const run = promisify(execFile);
type Json = Record<string, unknown>;

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('hex');
const KEY_WRONG = randomBytes(32).toString('base64');
// Read by the store at each use; set before the app (and t.env for the CLI) is made.
process.env.KEDANG_MASTER_KEY = KEY_A;
delete process.env.KEDANG_MASTER_KEY_FILE;
delete process.env.KEDANG_OLD_MASTER_KEY;
delete process.env.KEDANG_OLD_MASTER_KEY_FILE;
afterAll(() => {
  delete process.env.KEDANG_MASTER_KEY;
  delete process.env.KEDANG_OLD_MASTER_KEY;
});

const KNOWN = '独一无二的机密配方：钛合金比例七比三 HX-9000';
const NOTE = Buffer.from(`${KNOWN}\n第二行：热处理工艺参数\n`);
const LATER = Buffer.from('后来补充的说明：喷涂颜色潘通蓝\n');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under the store (relative name → bytes). */
function snapshot(dataDir: string): Map<string, string> {
  const root = path.join(dataDir, 'blobs');
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out.set(path.relative(root, file), sha256(fs.readFileSync(file)));
    }
  return out;
}

function anyFileContains(dir: string, needle: Buffer): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && fs.readFileSync(path.join(e.parentPath, e.name)).includes(needle))
    .map((e) => e.name);
}

describe('encryption at rest of classified files', () => {
  const app = companyApp();
  let id: string;
  let noteId: string;
  let pdfId: string;
  const store = () => new BlobStore(app.t.dataDir);
  const NOTE_SHA = sha256(NOTE);
  const PDF_SHA = sha256(CONTRACT_PDF);
  const pdfText = async (pdf: Buffer) => {
    const file = path.join(app.t.dataDir, `stamped-${Math.random()}.pdf`);
    fs.writeFileSync(file, pdf);
    return (await extractText(file, 'application/pdf')) ?? '';
  };
  // A level changes only by a 密级变更 the general manager approves (secrecy-changes.ts): the
  // archivist asks, and the decision is the request that changes the files' form.
  const askLevel = async (docId: string, level: string) => {
    const asked = await app.co.as.archivist.post(`/api/documents/${docId}/secrecy-changes`, {
      toLevel: level,
      toTerm: level === 'normal' ? null : '10年',
      reason: '测试密级变更',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    return `/api/documents/${docId}/secrecy-changes/${asked.json().id}/decide`;
  };
  let lowerDecision = '';
  const setLevel = async (docId: string, level: string) =>
    app.co.as.gm.post(await askLevel(docId, level), { approve: true });
  const integrity = async () => {
    const { co } = app;
    expect((await co.as.archivist.post('/api/integrity/checks')).statusCode).toBe(202);
    await drainJobs();
    return (await co.as.archivist.get('/api/integrity/checks/latest')).json() as {
      findings: { problem: string; sha256: string | null; detail: string }[];
    };
  };

  it('raising a record to 机密 encrypts its files on disk; every read path still works', async () => {
    const { co, t } = app;
    id = (
      await co.as.qa1.post('/api/documents', {
        title: '钛合金支架工艺',
        category: 'records',
        secrecy: 'normal',
      })
    ).json().id;
    noteId = (await uploadFile(co.as.qa1, id, '工艺说明.txt', NOTE)).json().id;
    pdfId = (await uploadFile(co.as.qa1, id, '合同.pdf', CONTRACT_PDF)).json().id;
    await drainJobs();
    // 普通: stored as they came.
    expect(fs.readFileSync(store().pathOf(NOTE_SHA)).includes(Buffer.from(KNOWN))).toBe(true);
    expect(store().isEncrypted(NOTE_SHA)).toBe(false);

    const raised = await setLevel(id, 'confidential');
    expect(raised.statusCode).toBe(200);
    for (const sha of [NOTE_SHA, PDF_SHA]) {
      expect(fs.existsSync(store().pathOf(sha))).toBe(false);
      expect(store().isEncrypted(sha)).toBe(true);
    }
    // The bytes on disk no longer hold the plaintext anywhere in the store.
    expect(anyFileContains(path.join(t.dataDir, 'blobs'), Buffer.from(KNOWN))).toEqual([]);
    expect(anyFileContains(path.join(t.dataDir, 'blobs'), Buffer.from('%PDF-'))).toEqual([]);
    const audit = (await co.as.admin.get('/api/audit?action=document.files_encrypted')).json()
      .items as Json[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: id });

    // Download and preview: the plaintext, its digest unchanged (R-D6).
    const down = await co.as.qa1.get(`/api/documents/${id}/files/${noteId}/content`);
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(NOTE)).toBe(true);
    expect(down.headers.etag).toBe(`"${NOTE_SHA}"`);
    const preview = await co.as.qa1.get(`/api/documents/${id}/files/${pdfId}/content?inline=true`);
    expect(sha256(preview.rawPayload)).toBe(PDF_SHA);
    // A stamped copy is made from the decrypted original.
    const stamped = await co.as.qa1.get(`/api/documents/${id}/files/${pdfId}/stamped`);
    expect(stamped.statusCode).toBe(200);
    const text = await pdfText(stamped.rawPayload);
    expect(text).toContain('只供参考 · qa1');
    expect(text).toContain('采购合同');

    // The text of encrypted content is not kept: a plaintext copy of its words in the database
    // would undo the encryption. The earlier text of the raised record's files is gone as well.
    await drainJobs();
    const textOf = async (sha: string) =>
      t.database.db
        .selectFrom('document_texts')
        .select(['status', 'content'])
        .where('sha256', '=', sha)
        .executeTakeFirst();
    expect(await textOf(NOTE_SHA)).toEqual({ status: 'withheld', content: null });
    // A file added to the 机密 record is encrypted at once, and no text is extracted from it.
    await uploadFile(co.as.qa1, id, '补充说明.txt', LATER);
    expect(store().isEncrypted(sha256(LATER))).toBe(true);
    expect(anyFileContains(path.join(t.dataDir, 'blobs'), Buffer.from('潘通蓝'))).toEqual([]);
    await drainJobs();
    expect(await textOf(sha256(LATER))).toEqual({ status: 'withheld', content: null });
    const search = async (q: string) =>
      ((await co.as.qa1.get(`/api/documents?q=${encodeURIComponent(q)}`)).json().items as Json[]).map(
        (d) => d.id,
      );
    expect(await search('潘通蓝')).toEqual([]);
    expect(await search('热处理工艺')).toEqual([]);
    // The record is still found by its metadata, and its files say why their text is not searchable.
    expect(await search('钛合金支架')).toEqual([id]);
    const detail = (await co.as.qa1.get(`/api/documents/${id}`)).json() as { versions: { files: Json[] }[] };
    expect(detail.versions[0]?.files.map((f) => f.textStatus)).toEqual(['withheld', 'withheld', 'withheld']);
    // No decrypted temporary copy is left behind.
    expect(anyFileContains(path.join(t.dataDir, 'tmp'), Buffer.from('潘通蓝'))).toEqual([]);
  });

  it('the integrity check verifies the plaintext digest while decrypting, and names a tampered file', async () => {
    const clean = await integrity();
    expect(clean.findings.filter((f) => f.sha256 === NOTE_SHA || f.sha256 === PDF_SHA)).toEqual([]);
    expect(clean.findings.filter((f) => f.problem === 'blob_orphan')).toEqual([]);
    const enc = store().encPathOf(NOTE_SHA);
    const original = fs.readFileSync(enc);
    const tampered = Buffer.from(original);
    tampered[5] = (tampered[5] as number) ^ 1;
    fs.chmodSync(enc, 0o644);
    fs.writeFileSync(enc, tampered);
    try {
      const report = await integrity();
      expect(report.findings).toContainEqual(
        expect.objectContaining({ problem: 'digest_mismatch', sha256: NOTE_SHA }),
      );
    } finally {
      fs.writeFileSync(enc, original);
      fs.chmodSync(enc, 0o444);
    }
    // The GCM tag alone: with only the envelope's tag changed, the content decrypts to the right
    // bytes, yet the check names the file, and a download does not end normally.
    const keyFile = store().keyPathOf(NOTE_SHA);
    const envelope = fs.readFileSync(keyFile, 'utf8');
    const parsed = JSON.parse(envelope);
    const tag = Buffer.from(parsed.tag, 'base64');
    tag[0] = (tag[0] as number) ^ 1;
    fs.writeFileSync(keyFile, JSON.stringify({ ...parsed, tag: tag.toString('base64') }));
    try {
      const report = await integrity();
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          problem: 'digest_mismatch',
          sha256: NOTE_SHA,
          detail: expect.stringContaining('加密存储的文件校验失败'),
        }),
      );
      const res = await app.co.as.qa1.get(`/api/documents/${id}/files/${noteId}/content`).catch((e) => e);
      // Before the first byte: a problem response; a larger file would be cut short instead.
      expect(res instanceof Error ? 'cut' : res.json()).toMatchObject({ code: 'encrypted_damaged' });
    } finally {
      fs.writeFileSync(keyFile, envelope);
    }
    expect((await integrity()).findings.filter((f) => f.sha256 === NOTE_SHA)).toEqual([]);
  });

  it('a backup holds no plaintext of classified files, and restores them readable', async () => {
    const { t } = app;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-backup-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-restored-'));
    const pg = usesPostgres ? await createPgDatabase() : undefined;
    try {
      fs.rmSync(dir, { recursive: true });
      // Taking a backup needs no key: the encrypted files are copied as they are.
      const out = await run(process.execPath, ['bin/kedang.js', 'backup', dir], {
        env: { ...t.env, KEDANG_MASTER_KEY: '' },
      });
      expect(out.stdout).toContain('every file matches its digest');
      expect(anyFileContains(path.join(dir, 'blobs'), Buffer.from(KNOWN))).toEqual([]);
      expect(anyFileContains(path.join(dir, 'blobs'), Buffer.from('%PDF-'))).toEqual([]);
      // Nor does the database in it: no text was extracted from the file added while 机密.
      expect(anyFileContains(dir, Buffer.from('潘通蓝'))).toEqual([]);
      const env = { ...t.env, KEDANG_DATA_DIR: dataDir, DATABASE_URL: pg?.url ?? '' };
      const restored = await run(process.execPath, ['bin/kedang.js', 'restore', dir], { env });
      expect(restored.stdout).toContain('Audit chain intact');
      expect(restored.stdout).not.toContain('Warning');
      const back = new BlobStore(dataDir);
      expect(back.isEncrypted(NOTE_SHA)).toBe(true);
      expect((await back.read(NOTE_SHA)).equals(NOTE)).toBe(true);
      expect(sha256(await back.read(PDF_SHA))).toBe(PDF_SHA);
      const database = openDatabase({ dataDir, databaseUrl: pg?.url });
      try {
        const files = await database.db
          .selectFrom('document_files')
          .select('sha256')
          .where('document_id', '=', id)
          .execute();
        expect(files.map((f) => f.sha256).sort()).toEqual([NOTE_SHA, PDF_SHA, sha256(LATER)].sort());
      } finally {
        await database.close();
      }
      // Restored where the key is not set: the files come back, and the restore says what they need.
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-restored-'));
      const pg2 = usesPostgres ? await createPgDatabase() : undefined;
      try {
        const keyless = await run(process.execPath, ['bin/kedang.js', 'restore', dir], {
          env: { ...env, KEDANG_DATA_DIR: elsewhere, DATABASE_URL: pg2?.url ?? '', KEDANG_MASTER_KEY: '' },
        });
        expect(keyless.stdout).toMatch(/Warning: encrypted files need master key [0-9a-f]{16}/);
        expect(new BlobStore(elsewhere).isEncrypted(NOTE_SHA)).toBe(true);
      } finally {
        await pg2?.drop();
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    } finally {
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`kedang keys rotate` re-wraps every data key without rewriting a file; the old key can then go', async () => {
    const { t, co } = app;
    const encBefore = fs.readFileSync(store().encPathOf(NOTE_SHA));
    const keyBefore = fs.readFileSync(store().keyPathOf(NOTE_SHA), 'utf8');
    const env = { ...t.env, KEDANG_MASTER_KEY: KEY_B, KEDANG_OLD_MASTER_KEY: KEY_A };
    const out = await run(process.execPath, ['bin/kedang.js', 'keys', 'rotate'], { env });
    expect(out.stdout).toContain('Re-wrapped 3 data key(s)');
    expect(fs.readFileSync(store().encPathOf(NOTE_SHA)).equals(encBefore)).toBe(true);
    expect(fs.readFileSync(store().keyPathOf(NOTE_SHA), 'utf8')).not.toBe(keyBefore);
    const status = await run(process.execPath, ['bin/kedang.js', 'keys', 'status'], {
      env: { ...t.env, KEDANG_MASTER_KEY: KEY_B },
    });
    expect(status.stdout).toMatch(/3 encrypted file\(s\) under key [0-9a-f]{16} \(current\)/);
    // Only the new key from now on.
    process.env.KEDANG_MASTER_KEY = KEY_B;
    const down = await co.as.qa1.get(`/api/documents/${id}/files/${noteId}/content`);
    expect(down.rawPayload.equals(NOTE)).toBe(true);
  });

  it('a wrong or missing key fails clearly and touches no file and no row', async () => {
    const { t, co } = app;
    const rows = async () => ({
      document: await t.database.db
        .selectFrom('documents')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst(),
      events: (
        await t.database.db.selectFrom('document_events').select('id').where('document_id', '=', id).execute()
      ).length,
      blobs: await t.database.db
        .selectFrom('blobs')
        .selectAll()
        .where('sha256', 'in', [NOTE_SHA, PDF_SHA, sha256(LATER)])
        .orderBy('sha256')
        .execute(),
    });
    const filesBefore = snapshot(t.dataDir);
    // Asked now, decided (in vain) without the key, and decided for good in the next test.
    lowerDecision = await askLevel(id, 'normal');
    const rowsBefore = await rows();
    try {
      process.env.KEDANG_MASTER_KEY = KEY_WRONG;
      const down = await co.as.qa1.get(`/api/documents/${id}/files/${noteId}/content`);
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 'master_key_wrong' });
      expect(down.json().title).toContain('主密钥');
      const lower = await co.as.gm.post(lowerDecision, { approve: true });
      expect(lower.statusCode).toBe(503);
      expect(lower.json()).toMatchObject({ code: 'master_key_wrong' });
      const stamped = await co.as.qa1.get(`/api/documents/${id}/files/${pdfId}/stamped`);
      expect(stamped.json()).toMatchObject({ code: 'master_key_wrong' });
      // The command line says so in words, without a stack trace.
      const rotate = await run(process.execPath, ['bin/kedang.js', 'keys', 'rotate'], {
        env: {
          ...t.env,
          KEDANG_MASTER_KEY: randomBytes(32).toString('base64'),
          KEDANG_OLD_MASTER_KEY: KEY_WRONG,
        },
      }).catch((e: { code: number; stderr: string }) => e);
      expect(rotate).toMatchObject({ code: 1 });
      expect((rotate as { stderr: string }).stderr).toContain('主密钥无法解密');
      expect((rotate as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
      const bad = await run(process.execPath, ['bin/kedang.js', 'keys', 'status'], {
        env: { ...t.env, KEDANG_MASTER_KEY: 'not-a-key' },
      }).catch((e: { code: number; stderr: string }) => e);
      expect((bad as { stderr: string }).stderr).toContain('KEDANG_MASTER_KEY is not a master key');

      delete process.env.KEDANG_MASTER_KEY;
      const missing = await co.as.qa1.get(`/api/documents/${id}/files/${noteId}/content`);
      expect(missing.statusCode).toBe(503);
      expect(missing.json()).toMatchObject({ code: 'master_key_missing' });
      expect(missing.json().title).toContain('未配置主密钥');
      // Raising another record needs the key as well, once files were ever encrypted.
      const other = (
        await co.as.qa1.post('/api/documents', { title: '普通记录', category: 'records' })
      ).json().id;
      await uploadFile(co.as.qa1, other, '记录.txt', Buffer.from('普通内容'));
      const otherDecision = await askLevel(other, 'secret');
      const otherBefore = snapshot(t.dataDir);
      const raise = await co.as.gm.post(otherDecision, { approve: true });
      expect(raise.json()).toMatchObject({ code: 'master_key_missing' });
      expect(snapshot(t.dataDir)).toEqual(otherBefore);
      expect((await co.as.qa1.get(`/api/documents/${other}`)).json().secrecy).toBe('normal');
    } finally {
      process.env.KEDANG_MASTER_KEY = KEY_B;
    }
    const after = snapshot(t.dataDir);
    for (const [name, digest] of filesBefore) expect(after.get(name)).toBe(digest);
    expect(await rows()).toEqual(rowsBefore);
  });

  it('lowering the record below the threshold decrypts its files', async () => {
    const { co } = app;
    const lowered = await co.as.gm.post(lowerDecision, { approve: true });
    expect(lowered.statusCode).toBe(200);
    for (const sha of [NOTE_SHA, PDF_SHA, sha256(LATER)]) {
      expect(store().isEncrypted(sha)).toBe(false);
      expect(fs.existsSync(store().encPathOf(sha))).toBe(false);
      expect(fs.existsSync(store().keyPathOf(sha))).toBe(false);
    }
    expect(fs.readFileSync(store().pathOf(NOTE_SHA)).equals(NOTE)).toBe(true);
    const down = await co.as.qa1.get(`/api/documents/${id}/files/${pdfId}/content`);
    expect(sha256(down.rawPayload)).toBe(PDF_SHA);
    const audit = (await co.as.admin.get('/api/audit?action=document.files_decrypted')).json()
      .items as Json[];
    expect(audit).toHaveLength(1);
    // Decrypted content has its text extracted again and is found by its words.
    await drainJobs();
    const found = (await co.as.qa1.get(`/api/documents?q=${encodeURIComponent('潘通蓝')}`)).json()
      .items as Json[];
    expect(found.map((d) => d.id)).toEqual([id]);
  });

  it('a customer archive raised to 秘密 encrypts the files of its documents (R-P9); shared content stays encrypted while one holder needs it', async () => {
    const { co } = app;
    const customerId = (
      await co.as.gm.post('/api/customers', {
        name: '绝密客户有限公司',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    const drawing = Buffer.from('客户图纸：外形尺寸 120×80，公差 ±0.05');
    const docId = (
      await co.as.gm.post('/api/documents', { title: '客户图纸', category: 'customer_supplied', customerId })
    ).json().id;
    expect((await uploadFile(co.as.gm, docId, '图纸.txt', drawing)).statusCode).toBe(201);
    // The same content in an ordinary record.
    const plainDoc = (
      await co.as.qa1.post('/api/documents', { title: '图纸抄件', category: 'records' })
    ).json().id;
    const copyId = (await uploadFile(co.as.qa1, plainDoc, '抄件.txt', drawing)).json().id;
    expect(store().isEncrypted(sha256(drawing))).toBe(false);
    const raised = await co.as.gm.patch(`/api/customers/${customerId}`, { secrecy: 'secret' });
    expect(raised.statusCode).toBe(200);
    expect(store().isEncrypted(sha256(drawing))).toBe(true);
    // The ordinary record reads the shared content through the same decrypting store.
    const down = await co.as.qa1.get(`/api/documents/${plainDoc}/files/${copyId}/content`);
    expect(down.rawPayload.equals(drawing)).toBe(true);
    const lowered = await co.as.gm.patch(`/api/customers/${customerId}`, { secrecy: 'normal' });
    expect(lowered.statusCode).toBe(200);
    expect(store().isEncrypted(sha256(drawing))).toBe(false);
  });

  it("a classified record's customer authorisation and scanned receipts are encrypted like its files", async () => {
    const { co, t } = app;
    const customerId = (
      await co.as.gm.post('/api/customers', {
        name: '精密模具有限公司',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    const docId = (
      await co.as.gm.post('/api/documents', {
        title: '模具图纸',
        source: 'customer',
        category: 'customer_supplied',
        customerId,
        productionUse: true,
      })
    ).json().id;
    expect((await uploadFile(co.as.gm, docId, '模具图纸.txt', Buffer.from('模具图纸正文'))).statusCode).toBe(
      201,
    );
    // Paper-like PDFs, each with words found nowhere else.
    const letter = Buffer.from('%PDF-1.4\n授权书：同意用于生产 独有标记 SQ-4417\n%%EOF\n');
    const receipt = Buffer.from('%PDF-1.4\n签收单：王主任签收 独有标记 QS-7713\n%%EOF\n');
    const post = (url: string, body: Buffer) =>
      co.as.archivist.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': 'application/octet-stream' },
      });
    const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
    const attached = await post(
      `/api/documents/${docId}/authorization?${q({ name: '授权书.pdf', signedBy: '客户张总', signedOn: '2026-03-01' })}`,
      letter,
    );
    expect(attached.statusCode, attached.body).toBe(201);
    const sent = await co.as.archivist.post(`/api/documents/${docId}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: co.ids.sales1 }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const copyId = (sent.json() as Json[])[0]?.id as string;
    const scanned = await post(
      `/api/documents/${docId}/copies/${copyId}/scans?${q({ name: '签收单.pdf', kind: 'receipt', signedBy: '王主任', signedOn: '2026-03-02' })}`,
      receipt,
    );
    expect(scanned.statusCode, scanned.body).toBe(201);
    const blobs = path.join(t.dataDir, 'blobs');
    expect(anyFileContains(blobs, Buffer.from('SQ-4417'))).toHaveLength(1);
    // The archive becomes 秘密: every file of its record is encrypted, not only the versions'.
    expect((await co.as.gm.patch(`/api/customers/${customerId}`, { secrecy: 'secret' })).statusCode).toBe(
      200,
    );
    for (const content of [letter, receipt]) expect(store().isEncrypted(sha256(content))).toBe(true);
    expect(anyFileContains(blobs, Buffer.from('SQ-4417'))).toEqual([]);
    expect(anyFileContains(blobs, Buffer.from('QS-7713'))).toEqual([]);
    // Both still download as they were signed.
    const letterBack = await co.as.archivist.get(`/api/documents/${docId}/authorization/content`);
    expect(letterBack.statusCode).toBe(200);
    expect(letterBack.rawPayload.equals(letter)).toBe(true);
    const receiptBack = await co.as.archivist.get(`/api/documents/${docId}/copies/${copyId}/scans/receipt`);
    expect(receiptBack.rawPayload.equals(receipt)).toBe(true);
    // A scan added while 秘密 is encrypted as it is stored.
    const returned = Buffer.from('%PDF-1.4\n交回单 独有标记 RT-5520\n%%EOF\n');
    expect(store().isEncrypted(sha256(returned))).toBe(false);
    const again = await post(
      `/api/documents/${docId}/authorization?${q({ name: '授权书（补）.pdf', signedBy: '客户张总', signedOn: '2026-03-03' })}`,
      returned,
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(store().isEncrypted(sha256(returned))).toBe(true);
    expect(anyFileContains(blobs, Buffer.from('RT-5520'))).toEqual([]);
  });

  it('the threshold is a setting: moving it decrypts or encrypts what it no longer or now covers', async () => {
    const { co } = app;
    const content = Buffer.from('秘密级记录：供应商报价单');
    const docId = (
      await co.as.qa1.post('/api/documents', { title: '供应商报价', category: 'records', secrecy: 'secret' })
    ).json().id;
    const fileId = (await uploadFile(co.as.qa1, docId, '报价.txt', content)).json().id;
    expect(store().isEncrypted(sha256(content))).toBe(true);
    const up = await co.as.admin.put('/api/document-config/settings', {
      encryptionThreshold: 'confidential',
    });
    expect(up.json()).toMatchObject({ encryptionThreshold: 'confidential' });
    expect(store().isEncrypted(sha256(content))).toBe(false);
    expect(fs.readFileSync(store().pathOf(sha256(content))).equals(content)).toBe(true);
    const bad = await co.as.admin.put('/api/document-config/settings', { encryptionThreshold: 'normal' });
    expect(bad.statusCode).toBe(400);
    await co.as.admin.put('/api/document-config/settings', { encryptionThreshold: 'secret' });
    expect(store().isEncrypted(sha256(content))).toBe(true);
    const down = await co.as.qa1.get(`/api/documents/${docId}/files/${fileId}/content`);
    expect(down.rawPayload.equals(content)).toBe(true);
  });
});
