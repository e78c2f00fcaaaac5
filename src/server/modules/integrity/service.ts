import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from '../../../common/errors.js';
import type {
  IntegrityFinding,
  IntegrityReport,
  IntegrityTrigger,
  StoredIntegrityReport,
} from '../../../common/schemas/integrity.js';
import type { Job } from '../../../common/schemas/jobs.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { verifyAnchored } from '../../platform/audit/anchor.js';
import { describeBreak } from '../../platform/audit/chain.js';
import { documentHolders } from '../../platform/blob-references.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { GRACE_MS, PART_FILE } from '../../platform/housekeeping.js';
import { enqueueJob, registerJobHandler } from '../../platform/jobs.js';
import { authorize } from '../../platform/policy/index.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import { BlobStore, detectType } from '../../platform/storage.js';
import { missingCondition } from '../customers/reports.js';
import { archiveSequences } from '../documents/filing.js';
import { storeReport } from './reports.js';

// The integrity check (四性检测, R-L2, DA/T 70), run from `kedang check` or as a background job:
// - authenticity (fixity): every stored blob re-hashed against its recorded SHA-256;
// - completeness: electronic records have their files, file counts match, 档号 have no gaps;
// - usability: the content is of the recorded type and PDFs parse;
// - security: the audit chain verifies, and no file sits in the store that no record knows.
// It reads everything and changes nothing.

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

const PARSE_PDF_MAX_BYTES = 100 * 1024 * 1024;
const BATCH = 500;

async function pdfParses(file: string): Promise<boolean> {
  const { PDFDocument } = await import('pdf-lib');
  try {
    await PDFDocument.load(fs.readFileSync(file), { ignoreEncryption: true, updateMetadata: false });
    return true;
  } catch {
    return false;
  }
}

/** Every file under the store, as digests (names) — to find the ones no record knows. */
function* storedNames(root: string): Generator<{ name: string; file: string }> {
  if (!fs.existsSync(root)) return;
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    // An encrypted blob is <digest>.enc with its envelope <digest>.key; ENCRYPTED marks the store.
    if (entry.isFile() && !(entry.name === 'ENCRYPTED' && entry.parentPath === root))
      yield {
        name: path.basename(entry.name).replace(/^([0-9a-f]{64})\.(enc|key)$/, '$1'),
        file: path.join(entry.parentPath, entry.name),
      };
  }
}

const DIGEST = /^[0-9a-f]{64}$/;

export async function runIntegrityCheck(
  db: Db,
  store: BlobStore,
  now: Date,
  onProgress?: (done: number, total: number) => Promise<void> | void,
): Promise<IntegrityReport> {
  const findings: IntegrityFinding[] = [];
  // Which records a digest belongs to, so that a finding names the record, not just a hash: those
  // that still hold the content. A destroyed record whose file a kept record shares holds nothing
  // any more (R-X4); it is named only where its destroyed content is what was found.
  // Every place a record holds a file: its versions, the customer's authorisation, the scans.
  const holders = (sha256: string, destroyed: boolean) =>
    documentHolders(db, sha256, documentSecrecy, destroyed);
  const report = async (
    aspect: IntegrityFinding['aspect'],
    problem: IntegrityFinding['problem'],
    sha256: string,
    detail: string,
  ) => {
    const rows = await holders(sha256, problem === 'destroyed_present');
    if (rows.length === 0)
      findings.push({ aspect, problem, documentId: null, title: null, fileName: null, sha256, detail });
    for (const r of rows)
      findings.push({
        aspect,
        problem,
        documentId: r.id,
        title: r.title,
        fileName: r.name,
        sha256,
        detail,
        secrecy: r.secrecy,
      });
  };

  const { n: blobTotal } = await db
    .selectFrom('blobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const known = new Set<string>();
  // Stored files as a backup counts them: destroyed content is not part of the archive any more.
  let stored = 0;
  let bytes = 0;
  let done = 0;
  let after = '';
  for (;;) {
    const blobs = await db
      .selectFrom('blobs')
      .select(['sha256', 'size', 'mime', 'destroyed_at'])
      .where('sha256', '>', after)
      .orderBy('sha256')
      .limit(BATCH)
      .execute();
    for (const b of blobs) {
      known.add(b.sha256);
      // Destroyed content (R-X4) must be gone from the store, not intact.
      if (b.destroyed_at) {
        if (store.has(b.sha256))
          await report(
            'security',
            'destroyed_present',
            b.sha256,
            `内容已于 ${todayInShanghai(new Date(b.destroyed_at))} 销毁，文件仍在存储中`,
          );
        continue;
      }
      stored += 1;
      bytes += Number(b.size);
      if (!store.has(b.sha256)) {
        await report('fixity', 'blob_missing', b.sha256, '存储中找不到该文件');
        continue;
      }
      // The digest is of the plaintext (R-D6): an encrypted file is hashed while it is decrypted,
      // and its GCM tag must hold as well.
      let actual: string;
      try {
        actual = await hashStream(store.open(b.sha256));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        await report(
          'fixity',
          err.code === 'encrypted_damaged' ? 'digest_mismatch' : 'encrypted_unreadable',
          b.sha256,
          err.code === 'encrypted_damaged'
            ? '加密存储的文件校验失败：内容被篡改或损坏'
            : `加密存储的文件无法解密：${errorMessage(err.code, 'zh')}`,
        );
        continue;
      }
      if (actual !== b.sha256) {
        await report('fixity', 'digest_mismatch', b.sha256, `内容已改变：现在的 SHA-256 为 ${actual}`);
        continue;
      }
      await store.withPlainFile(b.sha256, async (file) => {
        const type = await detectType(file);
        if (type !== b.mime)
          await report('usability', 'type_mismatch', b.sha256, `登记为 ${b.mime}，内容是 ${type}`);
        else if (
          b.mime === 'application/pdf' &&
          Number(b.size) <= PARSE_PDF_MAX_BYTES &&
          !(await pdfParses(file))
        )
          await report('usability', 'unreadable', b.sha256, 'PDF 无法解析');
      });
    }
    done += blobs.length;
    await onProgress?.(done, Number(blobTotal));
    if (blobs.length < BATCH) break;
    after = blobs.at(-1)?.sha256 ?? after;
  }
  for (const { name, file } of storedNames(store.root)) {
    if (known.has(name)) continue;
    // A content-named file younger than the grace period may be an upload another server is
    // committing right now, a half-written form one whose form is changing; older ones are left
    // behind by a crash (and swept at the next start).
    if (
      (DIGEST.test(name) || PART_FILE.test(name)) &&
      Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < GRACE_MS
    )
      continue;
    findings.push({
      aspect: 'security',
      problem: 'blob_orphan',
      documentId: null,
      title: null,
      fileName: null,
      sha256: DIGEST.test(name) ? name : null,
      detail: `存储中有未登记的文件：${name}`,
    });
  }

  // Completeness: electronic records without files, and file counts that do not match.
  const incomplete = await db
    .selectFrom('documents as d')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('document_files as f')
          .innerJoin('document_versions as v', 'v.id', 'f.version_id')
          .select(['f.document_id', (e) => e.fn.countAll<number>().as('n')])
          .where('f.removed_at', 'is', null)
          // A draft's files are not the record's yet (an electronic record whose only file is in
          // a draft has none).
          .where('v.status', '!=', 'draft')
          .groupBy('f.document_id')
          .as('c'),
      (join) => join.onRef('c.document_id', '=', 'd.id'),
    )
    .select(['d.id', 'd.title', documentSecrecy('d').as('secrecy'), 'd.carrier', 'd.file_count', 'c.n'])
    .where('d.status', '!=', 'destroyed')
    .where((eb) =>
      eb.or([
        eb.and([eb('d.carrier', '!=', 'paper'), eb('c.n', 'is', null)]),
        eb('d.file_count', '!=', eb.fn.coalesce('c.n', eb.lit(0))),
      ]),
    )
    .execute();
  for (const d of incomplete) {
    const count = Number(d.n ?? 0);
    const problem = Number(d.file_count) !== count ? 'file_count' : 'no_files';
    findings.push({
      aspect: 'completeness',
      problem,
      documentId: d.id,
      title: d.title,
      fileName: null,
      sha256: null,
      detail:
        problem === 'no_files' ? '电子文件没有上传任何文件' : `登记 ${d.file_count} 个文件，实有 ${count} 个`,
      secrecy: Number(d.secrecy),
    });
  }
  for (const s of await archiveSequences(db)) {
    if (s.missing.length)
      findings.push({
        aspect: 'completeness',
        problem: 'archive_gap',
        documentId: null,
        title: null,
        fileName: null,
        sha256: null,
        detail: `档号 ${s.sequence} 漏号：${s.missing.join('、')}`,
      });
  }

  // Completeness of the description: a filed archive lacks what filing requires (the fields
  // may have been emptied, or the requirement added, after it was filed).
  const filing = await missingCondition(db);
  const unfiled = await db
    .selectFrom('customers as c')
    .select(['c.id', 'c.archive_code', 'c.name', 'c.secrecy'])
    .where('c.status', '=', 'filed')
    .where(filing.where)
    .execute();
  for (const c of unfiled)
    findings.push({
      aspect: 'completeness',
      problem: 'filing_fields_missing',
      documentId: null,
      customerId: c.id,
      title: `${c.archive_code} ${c.name}`,
      fileName: null,
      sha256: null,
      detail: '已备案的客户档案缺少备案所需的信息（客户档案定期检查列出所缺字段）',
      secrecy: Number(c.secrecy),
    });

  const chain = await verifyAnchored(db, store.dataDir, now);
  if (!chain.ok)
    findings.push({
      aspect: 'security',
      problem: 'audit_chain',
      documentId: null,
      title: null,
      fileName: null,
      sha256: null,
      detail: `审计日志：${describeBreak(chain, 'zh')}`,
    });
  const { n: documents } = await db
    .selectFrom('documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    checkedAt: now.toISOString(),
    ok: findings.length === 0,
    counts: { documents: Number(documents), blobs: stored, bytes, auditEntries: chain.checked },
    findings,
  };
}

/**
 * Runs the check, keeps its report and records it in the audit trail; files that changed or
 * went missing are told to the administrators and archivists in the app. The page's job, the
 * scheduler and `kedang check` all come through here.
 */
export async function checkAndRecord(
  ctx: Ctx,
  store: BlobStore,
  trigger: IntegrityTrigger,
  onProgress?: (done: number, total: number) => Promise<void> | void,
): Promise<StoredIntegrityReport> {
  const report = await runIntegrityCheck(ctx.db, store, ctx.now(), onProgress);
  return storeReport(ctx, report, trigger);
}

export const INTEGRITY_JOB = 'integrity_check';

// The job's result is the report's summary; the report itself is kept in integrity_reports.
registerJobHandler(INTEGRITY_JOB, async (job, payload) => {
  const report = await checkAndRecord(
    job.ctx,
    new BlobStore((payload as { dataDir: string }).dataDir),
    'manual',
    (done, total) => job.progress(done, total),
  );
  return {
    reportId: report.id,
    ok: report.ok,
    findings: report.findings.length,
    checkedAt: report.checkedAt,
  };
});

/** Queues a check in the background, for the person who asked (admin, archivist, auditor). */
export async function startCheck(ctx: Ctx, dataDir: string): Promise<Job> {
  authorize(ctx, 'integrity.run', { type: 'system' });
  return enqueueJob(ctx, INTEGRITY_JOB, { dataDir });
}
