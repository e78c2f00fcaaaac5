import type { PDFDocument, PDFImage } from 'pdf-lib';
import {
  COPY_MARK_LABELS,
  type CopyMark,
  copyNumber,
  MAX_STAMP_BYTES,
  STAMP_TYPES,
} from '../../../common/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { embedCjkFont, wrapText } from '../../platform/pdf.js';
import type { ActiveGrant } from '../../platform/policy/grants.js';
import { authorize } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { assertFileReadable, findFile } from './files.js';
import { markOf } from './secrecy-marks.js';
import { findVisible, grantBehind, loanRefusal, loanUntil, reader } from './service.js';

// Stamped copies (R-D5): a PDF of the file with a visible mark — 受控 / 只供参考 / 正本 /
// 客户文件, or 作废 for an obsolete version — the copy number, the recipient and the date, on
// every page. Images become a one-page PDF with the same stamp. The stored original is never
// touched. The text is set in Noto Sans SC, cut to the stamp's characters (platform/pdf.ts).

const RED = { r: 0.78, g: 0.07, b: 0.07 };
/** A6 width in points: an image page is never narrower, so that the stamp fits. */
const MIN_IMAGE_PAGE_WIDTH = 298;

export interface StampedCopy {
  name: string;
  bytes: Uint8Array;
}

/**
 * A stamped PDF of a file. With `copyId` (the archivist printing a distributed copy) the stamp
 * carries that copy's mark, number and recipient; a reader who sees the record through a loan
 * gets the loan's stamp, and nothing when the loan is for reading only (R-P4); otherwise the
 * reader gets a 只供参考 copy in their own name (作废 when the version is obsolete).
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
  if (file.version_status === 'draft')
    throw new DomainError(file.version_approval !== null ? 'document_not_effective' : 'stamp_draft', 409);
  if (!STAMP_TYPES.includes(file.mime)) throw new DomainError('stamp_unsupported', 422);
  if (Number(file.size) > MAX_STAMP_BYTES) throw new DomainError('stamp_too_large', 422, { limit: '100 MB' });
  const audit = (details: Record<string, unknown>) =>
    appendAudit(ctx, {
      action: 'document.stamped_copy',
      targetType: 'document',
      targetId: documentId,
      targetLabel: doc.title,
      secrecy: Number(doc.secrecy),
      details: { fileId, sha256: file.sha256, ...details },
    });

  // A classified record's copy carries its mark, 机密★10年, on every page (R-P10).
  const secrecy = markOf(doc);
  const grant = copyId ? null : await grantBehind(r, doc);
  if (grant) {
    const refusal = loanRefusal(grant, file, true);
    if (refusal) throw refusal;
    const copy = await loanCopy(r.ctx, store, grant, file, secrecy);
    await audit({
      mark: 'loan',
      copyNo: null,
      recipient: r.ctx.actor.name,
      copyId: null,
      grant: grant.number,
    });
    return copy;
  }

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
  const signed = await approvalLine(ctx, file.version_id);
  const line = [markText, copyNo ? `份号 ${copyNumber(copyNo)}` : null, recipient, date, signed]
    .filter(Boolean)
    .join(' · ');

  const bytes = await stampPdf(await store.read(file.sha256), file.mime, line, markText, secrecy);
  await audit({ mark, copyNo, recipient, copyId: copyId ?? null, secrecyMark: secrecy });
  const base = file.name.replace(/\.[^.]+$/, '');
  return { name: `${base}-${markText}${copyNo ? `-${copyNumber(copyNo)}` : ''}.pdf`, bytes };
}

/**
 * Who drew up, reviewed and approved the version and since when it is in force (编制/审核/批准,
 * 生效日期), for the stamp of a version that went through approval; null for one that did not.
 */
async function approvalLine(ctx: Ctx, versionId: string): Promise<string | null> {
  const v = await ctx.db
    .selectFrom('document_versions')
    .select(['approval', 'approval_round', 'effective_date'])
    .where('id', '=', versionId)
    .executeTakeFirst();
  if (v?.approval !== 'approved') return null;
  const signatures = await ctx.db
    .selectFrom('document_signatures')
    .select(['step', 'signer_name'])
    .where('version_id', '=', versionId)
    .where('round', '=', Number(v.approval_round))
    .where('decision', '=', 'signed')
    .orderBy('signed_at')
    .execute();
  const who = (step: string) => signatures.find((s) => s.step === step)?.signer_name ?? '';
  return `编制 ${who('draft')} · 审核 ${who('review')} · 批准 ${who('approve')} · 生效日期 ${v.effective_date ?? ''}`;
}

/**
 * The copy a reader takes away under a loan (R-P7): the file stamped 借阅 with the request, the
 * borrower, the loan's last day and today. The caller checked that the loan allows it.
 */
export async function loanCopy(
  ctx: Ctx & { actor: Actor },
  store: BlobStore,
  grant: ActiveGrant,
  file: { name: string; mime: string; sha256: string },
  secrecy: string | null,
): Promise<StampedCopy> {
  const line = `借阅 ${grant.number} · ${ctx.actor.name} · 至 ${loanUntil(grant)} · ${todayInShanghai(ctx.now())}`;
  const bytes = await stampPdf(await store.read(file.sha256), file.mime, line, '借阅', secrecy);
  return { name: `${file.name.replace(/\.[^.]+$/, '')}-借阅-${grant.number}.pdf`, bytes };
}

/**
 * The file as a PDF with `line` across the top of every page, `markText` boxed top right and
 * faintly across the page; a classified record's `secrecy` mark (机密★10年) heads the lines, top
 * left, on every page (R-P10). Images become a one-page PDF. The original bytes are only read.
 * The stamp is placed as the page is seen: inside its crop box, upright on a rotated page, and
 * outside any transformation the page's own content leaves behind.
 */
export async function stampPdf(
  original: Buffer,
  mime: string,
  line: string,
  markText: string,
  secrecy: string | null = null,
): Promise<Uint8Array> {
  const { PDFDocument: Pdf, degrees, rgb, popGraphicsState, pushGraphicsState } = await import('pdf-lib');
  let pdf: PDFDocument;
  let image: PDFImage | undefined;
  if (mime === 'application/pdf') {
    try {
      pdf = await Pdf.load(original);
    } catch {
      throw new DomainError('stamp_unsupported', 422);
    }
    for (const page of pdf.getPages()) {
      // Wrapped in q … Q: a page that leaves a scale or a flip in force would carry the stamp off.
      page.node.normalize();
      page.node.wrapContentStreams(
        pdf.context.register(pdf.context.contentStream([pushGraphicsState()])),
        pdf.context.register(pdf.context.contentStream([popGraphicsState()])),
      );
    }
  } else {
    pdf = await Pdf.create();
    image = mime === 'image/png' ? await pdf.embedPng(original) : await pdf.embedJpg(original);
  }
  const { font, printable } = await embedCjkFont(pdf, [line, markText, secrecy ?? '']);
  const header = printable(line);
  const mark = printable(markText);
  const secrecyLine = secrecy ? printable(secrecy) : null;

  /** Where the stamp goes on a page `width` wide as seen, measured from its top left. */
  const layout = (width: number) => {
    const big = Math.max(12, Math.min(24, width / 25));
    const markWidth = font.widthOfTextAtSize(mark, big);
    const markX = width - markWidth - 24;
    // The header as large as fits left of the box (7–10 pt), on more lines if it must.
    const room = Math.max(60, markX - 6 - 8 - 12);
    const size = Math.max(7, Math.min(10, room / font.widthOfTextAtSize(header, 1)));
    const lines = wrapText(header, font, size, room);
    // The secrecy mark first, larger, top left as on a classified paper (GB/T 9704).
    const secrecySize = secrecyLine
      ? Math.max(9, Math.min(big * 0.75, room / font.widthOfTextAtSize(secrecyLine, 1)))
      : 0;
    const top = secrecyLine ? secrecySize + 4 : 0;
    return {
      big,
      markWidth,
      markX,
      size,
      lines,
      secrecySize,
      top,
      headerDepth: 6 + top + lines.length * (size + 2),
    };
  };

  if (image) {
    // A photo on a page of its own, below the header; at least A6 wide so the stamp fits.
    const [w, h] = [image.width * 0.75, image.height * 0.75];
    const width = Math.max(w, MIN_IMAGE_PAGE_WIDTH);
    const l = layout(width);
    const band = Math.max(24, l.headerDepth + 6);
    const height = Math.max(h + band, 22 + l.big + 16);
    pdf
      .addPage([width, height])
      .drawImage(image, { x: (width - w) / 2, y: height - band - h, width: w, height: h });
  }

  const red = rgb(RED.r, RED.g, RED.b);
  for (const page of pdf.getPages()) {
    const box = page.getCropBox();
    const turn = (((Math.round(page.getRotation().angle / 90) * 90) % 360) + 360) % 360;
    const [width, height] = turn % 180 ? [box.height, box.width] : [box.width, box.height];
    // (u, v) as seen, from the bottom left of the visible page, to the page's own coordinates.
    const at = (u: number, v: number) =>
      turn === 0
        ? { x: box.x + u, y: box.y + v }
        : turn === 90
          ? { x: box.x + box.width - v, y: box.y + u }
          : turn === 180
            ? { x: box.x + box.width - u, y: box.y + box.height - v }
            : { x: box.x + v, y: box.y + box.height - u };
    const upright = (angle = 0) => degrees(turn + angle);
    const l = layout(width);
    if (secrecyLine)
      page.drawText(secrecyLine, {
        ...at(12, height - 6 - l.secrecySize),
        size: l.secrecySize,
        font,
        color: red,
        rotate: upright(),
      });
    l.lines.forEach((text, i) => {
      page.drawText(text, {
        ...at(12, height - 6 - l.top - l.size - i * (l.size + 2)),
        size: l.size,
        font,
        color: red,
        rotate: upright(),
      });
    });
    // The mark in a box, top right, as a rubber stamp would put it.
    const y = height - l.big - 22;
    page.drawRectangle({
      ...at(l.markX - 6, y - 6),
      width: l.markWidth + 12,
      height: l.big + 10,
      borderColor: red,
      borderWidth: 1.5,
      rotate: upright(),
    });
    page.drawText(mark, { ...at(l.markX, y), size: l.big, font, color: red, rotate: upright() });
    // A faint diagonal watermark across the page, so that a cut-off header still shows.
    page.drawText(mark, {
      ...at(width * 0.25, height * 0.35),
      size: Math.min(width, height) / 6,
      font,
      color: red,
      opacity: 0.12,
      rotate: upright(35),
    });
  }
  return pdf.save();
}
