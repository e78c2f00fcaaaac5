import fs from 'node:fs';
import type { PDFDocument } from 'pdf-lib';
import { COPY_MARK_LABELS, type CopyMark, copyNumber } from '../../../common/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { cjkFontBytes } from '../../platform/pdf.js';
import { authorize } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { assertFileReadable, findFile } from './files.js';
import { findVisible, reader } from './service.js';

// Stamped copies (R-D5): a PDF of the file with a visible mark — 受控 / 只供参考 / 正本 /
// 客户文件, or 作废 for an obsolete version — the copy number, the recipient and the date, on
// every page. Images become a one-page PDF with the same stamp. The stored original is never
// touched. The Chinese font is Noto Sans SC from an npm package, embedded as a subset.

const MAX_STAMP_BYTES = 100 * 1024 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg'];
const RED = { r: 0.78, g: 0.07, b: 0.07 };

export interface StampedCopy {
  name: string;
  bytes: Uint8Array;
}

/**
 * A stamped PDF of a file. With `copyId` (the archivist printing a distributed copy) the stamp
 * carries that copy's mark, number and recipient; otherwise the reader gets a 只供参考 copy in
 * their own name (作废 when the version is obsolete).
 */
export async function stampedCopy(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  fileId: string,
  copyId?: string,
): Promise<StampedCopy> {
  const r = await reader(ctx);
  const doc = await findVisible(r, documentId);
  const file = await findFile(ctx, store, documentId, fileId);
  assertFileReadable(r, doc, file);
  // A copy is of a version in force (or superseded, marked 作废), never of a draft.
  if (file.version_status === 'draft') throw new DomainError('stamp_draft', 409);
  const isPdf = file.mime === 'application/pdf';
  if (!isPdf && !IMAGE_TYPES.includes(file.mime)) throw new DomainError('stamp_unsupported', 422);
  if (Number(file.size) > MAX_STAMP_BYTES) throw new DomainError('stamp_too_large', 422, { limit: '100 MB' });

  let mark: CopyMark | 'obsolete' = file.version_status === 'obsolete' ? 'obsolete' : 'reference';
  let copyNo: number | null = null;
  let recipient = r.ctx.actor.name;
  if (copyId) {
    authorize(ctx, 'document.distribute', { type: 'document', id: documentId });
    const copy = await ctx.db
      .selectFrom('document_copies')
      .selectAll()
      .where('id', '=', copyId)
      .where('document_id', '=', documentId)
      .where('version_id', '=', file.version_id)
      .executeTakeFirst();
    if (!copy) throw notFound();
    mark = file.version_status === 'obsolete' ? 'obsolete' : (copy.mark as CopyMark);
    copyNo = Number(copy.copy_no);
    recipient = copy.recipient;
  }
  const date = todayInShanghai(ctx.now());
  const markText = COPY_MARK_LABELS[mark].zh;
  const line = [markText, copyNo ? `份号 ${copyNumber(copyNo)}` : null, recipient, date]
    .filter(Boolean)
    .join(' · ');

  const bytes = await stampPdf(fs.readFileSync(store.pathOf(file.sha256)), file.mime, line, markText);
  await appendAudit(ctx, {
    action: 'document.stamped_copy',
    targetType: 'document',
    targetId: documentId,
    targetLabel: doc.title,
    secrecy: Number(doc.secrecy),
    details: { fileId, sha256: file.sha256, mark, copyNo, recipient, copyId: copyId ?? null },
  });
  const base = file.name.replace(/\.[^.]+$/, '');
  return { name: `${base}-${markText}${copyNo ? `-${copyNumber(copyNo)}` : ''}.pdf`, bytes };
}

/** Whether a file of this type and size can be stamped. */
export function stampable(mime: string, size: number): boolean {
  return (mime === 'application/pdf' || IMAGE_TYPES.includes(mime)) && size <= MAX_STAMP_BYTES;
}

/**
 * The file as a PDF with `line` across the top of every page, `markText` boxed top right and
 * faintly across the page. Images become a one-page PDF. The original bytes are only read.
 */
export async function stampPdf(
  original: Buffer,
  mime: string,
  line: string,
  markText: string,
): Promise<Uint8Array> {
  const { PDFDocument: Pdf, degrees, rgb } = await import('pdf-lib');
  const fontkit = (await import('@pdf-lib/fontkit')).default;
  let pdf: PDFDocument;
  if (mime === 'application/pdf') {
    try {
      pdf = await Pdf.load(original);
    } catch {
      throw new DomainError('stamp_unsupported', 422);
    }
  } else {
    pdf = await Pdf.create();
    const image = mime === 'image/png' ? await pdf.embedPng(original) : await pdf.embedJpg(original);
    const page = pdf.addPage([image.width * 0.75, image.height * 0.75 + 24]);
    page.drawImage(image, { x: 0, y: 0, width: image.width * 0.75, height: image.height * 0.75 });
  }
  pdf.registerFontkit(fontkit);
  const cjk = await pdf.embedFont(cjkFontBytes(), { subset: true });
  const red = rgb(RED.r, RED.g, RED.b);
  for (const page of pdf.getPages()) {
    const { width, height } = page.getSize();
    const size = Math.max(7, Math.min(10, width / 60));
    page.drawText(line, { x: 12, y: height - 6 - size, size, font: cjk, color: red });
    // The mark in a box, top right, as a rubber stamp would put it.
    const big = Math.max(12, Math.min(24, width / 25));
    const w = cjk.widthOfTextAtSize(markText, big);
    const x = width - w - 24;
    const y = height - big - 22;
    page.drawRectangle({
      x: x - 6,
      y: y - 6,
      width: w + 12,
      height: big + 10,
      borderColor: red,
      borderWidth: 1.5,
    });
    page.drawText(markText, { x, y, size: big, font: cjk, color: red });
    // A faint diagonal watermark across the page, so that a cut-off header still shows.
    const wm = Math.min(width, height) / 6;
    page.drawText(markText, {
      x: width * 0.25,
      y: height * 0.35,
      size: wm,
      font: cjk,
      color: red,
      opacity: 0.12,
      rotate: degrees(35),
    });
  }
  return pdf.save();
}
