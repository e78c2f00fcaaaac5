import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import { loadActor } from '../../platform/auth.js';
import type { Ctx } from '../../platform/context.js';
import { enqueueJob, registerJobHandler } from '../../platform/jobs.js';
import { BlobStore, type StoredBlob } from '../../platform/storage.js';
import { XLSX_TYPE, xlsxRows } from '../../platform/xlsx.js';
import { reindex } from './service.js';

// Full text of PDF, DOCX, XLSX and TXT files (R-D8), extracted in a background job after the
// upload, once per content (identical files share it), then added to the search index of
// every document holding that content. Content stored encrypted (a classified record's file,
// encryption.ts) keeps no text: a plaintext copy of its words in the database would undo the
// encryption (密级制度: 机密文件应当加密存储). Its status is `withheld` and only the record's
// metadata are searchable; if the content is decrypted again, its text is extracted anew.

export const TEXT_JOB = 'document_text';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Enough for any real document's words; keeps index rows and memory bounded. */
export const MAX_TEXT_CHARS = 1_000_000;
/** pdf.js reads the whole file into memory; larger files are not read. */
const MAX_PDF_BYTES = 200 * 1024 * 1024;

export type TextStatus = 'pending' | 'done' | 'failed' | 'unsupported' | 'withheld';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

async function pdfText(file: string): Promise<string> {
  if (fs.statSync(file).size > MAX_PDF_BYTES) throw new Error('PDF 文件过大，未提取文字');
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({
    data: new Uint8Array(fs.readFileSync(file)),
    // Chinese PDFs use the Adobe CJK character maps shipped with pdf.js.
    cMapUrl: `${pdfjsRoot}/cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    let text = '';
    for (let i = 1; i <= pdf.numPages && text.length < MAX_TEXT_CHARS; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      }
      text += '\n';
      page.cleanup();
    }
    return text;
  } finally {
    await pdf.destroy();
  }
}

async function xlsxText(file: string): Promise<string> {
  let text = '';
  for await (const row of xlsxRows(file, 'all')) {
    if (row.length) text += `${row.filter(Boolean).join(' ')}\n`;
    if (text.length >= MAX_TEXT_CHARS) break;
  }
  return text;
}

/** UTF-8, or GBK when the bytes are not valid UTF-8 (Windows Notepad in China). */
function plainText(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(fs.fstatSync(fd).size, MAX_TEXT_CHARS * 3));
    fs.readSync(fd, buf, 0, buf.length, 0);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      return new TextDecoder('gbk').decode(buf);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The text of a stored file; null when its type has no text we read. */
export async function extractText(file: string, mime: string): Promise<string | null> {
  let text: string;
  if (mime === 'application/pdf') text = await pdfText(file);
  else if (mime === DOCX_TYPE) {
    const mammoth = (await import('mammoth')).default;
    text = (await mammoth.extractRawText({ path: file })).value;
  } else if (mime === XLSX_TYPE) text = await xlsxText(file);
  else if (mime === 'text/plain') text = plainText(file);
  else return null;
  // NUL characters (unmapped glyphs in some PDFs) are not text and PostgreSQL refuses them.
  return text.replaceAll('\u0000', '').slice(0, MAX_TEXT_CHARS);
}

interface TextPayload {
  sha256: string;
  mime: string;
  file: string;
}

registerJobHandler(TEXT_JOB, async (job, raw) => {
  const p = raw as TextPayload;
  const db = job.ctx.db;
  let status: TextStatus = 'done';
  let content: string | null = null;
  let error: string | null = null;
  // p.file is <data dir>/blobs/ab/cd/<digest>.
  const store = new BlobStore(path.resolve(p.file, '../../../..'));
  if (store.isEncrypted(p.sha256)) status = 'withheld';
  else {
    try {
      content = await store.withPlainFile(p.sha256, (file) => extractText(file, p.mime));
      if (content === null) status = 'unsupported';
    } catch (err) {
      status = 'failed';
      error = err instanceof Error ? err.message.slice(0, 500) : String(err);
    }
  }
  await db.transaction().execute(async (t) => {
    const documents = await t
      .selectFrom('document_files')
      .select('document_id')
      .distinct()
      .where('sha256', '=', p.sha256)
      .orderBy('document_id')
      .execute();
    // The records holding this content first, in one order: the jobs of several files of one
    // record finishing together then index it one after the other, each reading what the one
    // before committed (else the last to commit may index without the others' text).
    if (documents.length && dialectOf(t as never) === 'postgres')
      await t
        .selectFrom('documents')
        .select('id')
        .where(
          'id',
          'in',
          documents.map((d) => d.document_id),
        )
        .orderBy('id')
        .forUpdate()
        .execute();
    // Encrypted while the text was read: the text is not kept.
    if (status === 'done' && store.isEncrypted(p.sha256)) {
      status = 'withheld';
      content = null;
    }
    await t
      .updateTable('document_texts')
      .set({
        status,
        content,
        chars: content?.length ?? 0,
        error,
        extracted_at: job.ctx.now().toISOString(),
      })
      .where('sha256', '=', p.sha256)
      .execute();
    if (status !== 'done') return;
    for (const d of documents) await reindex(t, d.document_id);
  });
  return { status, chars: content?.length ?? 0 };
});

/** After an upload: extract the content's text unless that was done (or is under way) already;
 * content stored encrypted is marked `withheld` instead. */
export async function queueExtraction(ctx: Ctx, store: BlobStore, blob: StoredBlob): Promise<void> {
  const withheld = store.isEncrypted(blob.sha256);
  const inserted = await ctx.db
    .insertInto('document_texts')
    .values({
      sha256: blob.sha256,
      status: withheld ? 'withheld' : 'pending',
      content: null,
      chars: 0,
      error: null,
      extracted_at: withheld ? ctx.now().toISOString() : null,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .executeTakeFirst();
  if (withheld || Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
  await enqueueJob(ctx, TEXT_JOB, {
    sha256: blob.sha256,
    mime: blob.mime,
    file: store.pathOf(blob.sha256),
  } satisfies TextPayload);
}

/**
 * At start: text extractions whose job died with the previous process are queued again, as
 * the person who uploaded the content (or marked failed when that person is gone). With `only`:
 * those contents, after a commit that decrypted them (encryption.ts).
 */
export async function requeueInterruptedExtractions(
  db: Db,
  store: BlobStore,
  now: () => Date,
  only?: readonly string[],
): Promise<number> {
  const query = () =>
    db
      .selectFrom('document_texts as x')
      .innerJoin('blobs as b', 'b.sha256', 'x.sha256')
      .select(['x.sha256', 'b.mime', 'b.size'])
      .where('x.status', '=', 'pending');
  const pending = only ? [] : await query().execute();
  for (let i = 0; only && i < only.length; i += 500)
    pending.push(
      ...(await query()
        .where('x.sha256', 'in', only.slice(i, i + 500))
        .execute()),
    );
  let queued = 0;
  for (const p of pending) {
    const uploader = await db
      .selectFrom('document_files')
      .select('created_by')
      .where('sha256', '=', p.sha256)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    const actor = uploader ? await loadActor(db, uploader.created_by, 'system') : null;
    if (!actor) {
      await db
        .updateTable('document_texts')
        .set({ status: 'failed', error: '上传人已停用，未能重新提取', extracted_at: now().toISOString() })
        .where('sha256', '=', p.sha256)
        .execute();
      continue;
    }
    const ctx = { db, actor, now, requestId: null, ip: null, lang: 'zh' as const };
    await enqueueJob(ctx, TEXT_JOB, {
      sha256: p.sha256,
      mime: p.mime,
      file: store.pathOf(p.sha256),
    } satisfies TextPayload);
    queued++;
  }
  return queued;
}
