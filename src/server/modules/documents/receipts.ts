import type { Readable } from 'node:stream';
import {
  COPY_MARK_LABELS,
  copyNumber,
  RECALL_STATUS_LABELS,
  type RecallStatus,
} from '../../../common/documents.js';
import type { Copy, ReceiptQuery } from '../../../common/schemas/documents.js';
import { formatDateTime } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { type CsvEncoding, csvStream } from '../../platform/csv.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { notify } from '../../platform/notify.js';
import { authorize, can } from '../../platform/policy/index.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { recordBlob } from '../../platform/uploads.js';
import { EXPORT_MAX_ROWS, secrecyPageHeader, streamWorkbook } from '../../platform/xlsx.js';
import { type CopyRow, copiesFrom, isRecipient, toCopy } from './copies.js';
import { applyEncryptionFor } from './encryption.js';
import { findVisible, type Reader, reader, recordEvent, visibleTo } from './service.js';

// Signed receipt of distributed copies (谁接收谁签字, issue 18): whoever receives a copy signs for
// it — the person it was issued to, or a manager of the department it was issued to (who keeps
// the department's copy) — in the app, with the date; for paper the archivist records the
// scanned signed receipt (签收单) with who signed and when. A copy to recall is signed back the
// same way (交回签字) before or as the archivist confirms its recall. Copies nobody signed for are
// listed (the recipient's own, or all for the archivist), their recipients are told when the copy
// is issued and reminded daily, and the 文件发放/回收登记表 shows who signed when.

/** Scanned receipts are PDF or images, as a scanner makes them. */
export const SCAN_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
export const SCAN_MAX_BYTES = 20 * 1024 * 1024;
/** A copy nobody signed for is reminded after this many days, and again every as many. */
const REMIND_AFTER_DAYS = 2;

async function copyOf(t: Pick<Ctx, 'db'>, documentId: string, copyId: string): Promise<CopyRow> {
  const row = await copiesFrom(t.db)
    .where('p.id', '=', copyId)
    .where('p.document_id', '=', documentId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

const label = (c: Pick<CopyRow, 'recipient' | 'copy_no'>) =>
  `${c.recipient}（${copyNumber(Number(c.copy_no))}）`;

async function audited(
  t: TxCtx,
  doc: { id: string; title: string; effective_secrecy: number | string },
  action: string,
  c: CopyRow,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(t, {
    action,
    targetType: 'document',
    targetId: doc.id,
    targetLabel: doc.title,
    secrecy: Number(doc.effective_secrecy),
    details: { copyId: c.id, copy: label(c), ...details },
  });
}

/** The recipient signs for their copy (签收), with today's date; nobody else may. */
export async function acknowledge(ctx: Ctx, documentId: string, copyId: string): Promise<Copy> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const doc = await findVisible(r, documentId, t.db);
    const c = await copyOf(t, documentId, copyId);
    if (!isRecipient(r, c))
      throw new DomainError('copy_not_recipient', 403, {}, undefined, {
        action: 'document.copy_sign',
        targetType: 'document',
        targetId: documentId,
      });
    if (c.received_at) throw new DomainError('copy_signed', 409, { name: c.received_by_name ?? '' });
    if (c.recall_status === 'recalled') throw new DomainError('copy_not_pending', 409);
    const now = nowIso(t);
    await t.db
      .updateTable('document_copies')
      .set({ received_at: now, received_by: r.ctx.actor.id, received_by_name: r.ctx.actor.name })
      .where('id', '=', c.id)
      .where('received_at', 'is', null)
      .execute();
    await recordEvent(t, documentId, 'receipt', { copy: label(c), via: 'app' }, c.version_id);
    await audited(t, doc, 'document.copy_acknowledge', c, { via: 'app' });
  });
  return toCopy(r, await copyOf(ctx, documentId, copyId));
}

/** The holder signs a copy to recall back (交回签字), with today's date. */
export async function signReturn(ctx: Ctx, documentId: string, copyId: string): Promise<Copy> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const doc = await findVisible(r, documentId, t.db);
    const c = await copyOf(t, documentId, copyId);
    if (!isRecipient(r, c))
      throw new DomainError('copy_not_recipient', 403, {}, undefined, {
        action: 'document.copy_sign',
        targetType: 'document',
        targetId: documentId,
      });
    if (c.recall_status !== 'pending' || c.returned_at) throw new DomainError('copy_not_pending', 409);
    await t.db
      .updateTable('document_copies')
      .set({ returned_at: nowIso(t), returned_by: r.ctx.actor.id, returned_by_name: r.ctx.actor.name })
      .where('id', '=', c.id)
      .execute();
    await recordEvent(t, documentId, 'return_sign', { copy: label(c), via: 'app' }, c.version_id);
    await audited(t, doc, 'document.copy_return', c, { via: 'app' });
  });
  return toCopy(r, await copyOf(ctx, documentId, copyId));
}

/** Checked before a scan is stored: the archivist, a visible document, a copy still to sign. */
export async function assertMayRecordScan(ctx: Ctx, documentId: string, copyId: string, q: ReceiptQuery) {
  const r = await reader(ctx);
  await findVisible(r, documentId);
  authorize(ctx, 'document.distribute', { type: 'document', id: documentId });
  const c = await copyOf(ctx, documentId, copyId);
  assertScanOpen(c, q);
}

function assertScanOpen(c: CopyRow, q: ReceiptQuery): void {
  if (q.kind === 'receipt' && c.received_at)
    throw new DomainError('copy_signed', 409, { name: c.received_by_name ?? '' });
  if (q.kind === 'return' && (c.recall_status !== 'pending' || c.returned_at))
    throw new DomainError('copy_not_pending', 409);
}

/**
 * The archivist records a paper copy's signed receipt (or its signed return) from its scan: who
 * signed and on which day, as the paper says; the scan is kept (content-addressed, never changed).
 */
export async function recordScan(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  copyId: string,
  blob: StoredBlob,
  q: ReceiptQuery,
): Promise<Copy> {
  const r = await reader(ctx);
  if (!SCAN_TYPES.includes(blob.mime)) throw new DomainError('receipt_type', 422, {}, 'file');
  await tx(ctx, async (t) => {
    const doc = await findVisible(r, documentId, t.db);
    authorize(t, 'document.distribute', { type: 'document', id: documentId });
    const c = await copyOf(t, documentId, copyId);
    assertScanOpen(c, q);
    const now = nowIso(t);
    await recordBlob(t.db, blob, now);
    // The day the paper was signed, at noon in Shanghai: the time of day is not on the paper.
    const at = new Date(`${q.signedOn}T12:00:00+08:00`).toISOString();
    await t.db
      .updateTable('document_copies')
      .set(
        q.kind === 'receipt'
          ? {
              received_at: at,
              received_by: null,
              received_by_name: q.signedBy,
              receipt_sha256: blob.sha256,
              receipt_name: q.name,
              receipt_recorded_by: r.ctx.actor.id,
            }
          : {
              returned_at: at,
              returned_by: null,
              returned_by_name: q.signedBy,
              return_sha256: blob.sha256,
              return_name: q.name,
              return_recorded_by: r.ctx.actor.id,
            },
      )
      .where('id', '=', c.id)
      .execute();
    // The scan of a classified record's copy is stored encrypted like its files (encryption.ts).
    await applyEncryptionFor(t, store, [documentId]);
    const details = { copy: label(c), via: 'scan', signedBy: q.signedBy, signedOn: q.signedOn, name: q.name };
    await recordEvent(t, documentId, q.kind === 'receipt' ? 'receipt' : 'return_sign', details, c.version_id);
    await audited(t, doc, q.kind === 'receipt' ? 'document.copy_acknowledge' : 'document.copy_return', c, {
      ...details,
      sha256: blob.sha256,
    });
  });
  return toCopy(r, await copyOf(ctx, documentId, copyId));
}

/** A copy's scanned receipt, for whoever may see the copies of the document; the read is audited. */
export async function openScan(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  copyId: string,
  kind: 'receipt' | 'return',
): Promise<{ name: string; mime: string; size: number; stream: Readable }> {
  const r = await reader(ctx);
  const doc = await findVisible(r, documentId);
  const c = await copyOf(ctx, documentId, copyId);
  const sha256 = kind === 'receipt' ? c.receipt_sha256 : c.return_sha256;
  const name = kind === 'receipt' ? c.receipt_name : c.return_name;
  if (!sha256 || !name) throw notFound();
  // The archivist who records them, those who read the distribution register (the general
  // manager, auditors) and the copy's own recipient.
  if (!can(r.ctx.actor, 'document.distribute') && !can(r.ctx.actor, 'document.report') && !isRecipient(r, c))
    throw notFound();
  // A destroyed record's scans went with it (R-X4), as its files did (files.ts findFile).
  if (doc.status === 'destroyed') throw new DomainError('document_destroyed', 410);
  const blob = await ctx.db
    .selectFrom('blobs')
    .select(['size', 'mime', 'destroyed_at'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (blob?.destroyed_at) throw new DomainError('content_destroyed', 410);
  if (!blob || !store.has(sha256)) throw new DomainError('file_missing', 410);
  await appendAudit(ctx, {
    action: 'document.copy_scan_read',
    targetType: 'document',
    targetId: documentId,
    targetLabel: doc.title,
    secrecy: Number(doc.effective_secrecy),
    details: { copyId, kind, sha256 },
  });
  return { name, mime: blob.mime, size: Number(blob.size), stream: store.open(sha256) };
}

/** Copies waiting for a signature: for the archivist every one they see, for a recipient their
 * own — not signed for yet, or to recall and not signed back. */
export async function unsignedCopies(ctx: Ctx): Promise<Copy[]> {
  const r = await reader(ctx);
  let q = copiesFrom(ctx.db)
    .where(visibleTo(r) as never)
    .where((eb) =>
      eb.or([
        eb.and([eb('p.received_at', 'is', null), eb('p.recall_status', '!=', 'recalled')]),
        eb.and([eb('p.recall_status', '=', 'pending'), eb('p.returned_at', 'is', null)]),
      ]),
    );
  if (!can(r.ctx.actor, 'document.distribute')) {
    const departments = r.ctx.actor.roles.includes('department_manager') ? r.scope.departmentIds : [];
    q = q.where((eb) =>
      eb.or([
        eb('p.user_id', '=', r.ctx.actor.id),
        eb.and([eb('p.user_id', 'is', null), eb('p.department_id', 'in', ['', ...departments])]),
      ]),
    );
  }
  const rows = await q.orderBy('p.distributed_at').orderBy('p.copy_no').limit(1000).execute();
  return rows.map((row) => toCopy(r, row)).filter((c) => !!c);
}

/** Who signs for a copy: its person, or the active managers of its department. */
async function holdersOf(db: Db, c: Pick<CopyRow, 'user_id' | 'department_id'>): Promise<string[]> {
  if (c.user_id) return [c.user_id];
  if (!c.department_id) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .select('u.id')
    .where('u.active', '=', 1)
    .where('ur.role', '=', 'department_manager')
    .where('u.department_id', '=', c.department_id)
    .execute();
  return rows.map((x) => x.id);
}

/** Tells each recipient of new copies to sign for them (in the distribution's transaction). */
export async function askToSign(
  t: TxCtx,
  doc: { id: string; title: string; effective_secrecy: number | string },
  copies: { user_id: string | null; department_id: string | null; copy_no: number }[],
): Promise<void> {
  for (const c of copies) {
    const holders = await holdersOf(t.db, c);
    if (holders.length === 0) continue;
    await notify(t, holders, {
      kind: 'document.receipt',
      title: `请签收受控文件：${doc.title}（${copyNumber(c.copy_no)}）`,
      link: '/documents/copies/unsigned',
      secrecy: Number(doc.effective_secrecy),
    });
  }
}

/** The daily reminder: copies nobody signed for after REMIND_AFTER_DAYS, once every as many days. */
export async function remindUnsigned(ctx: Ctx): Promise<{ reminded: number }> {
  const now = ctx.now();
  const before = new Date(now.getTime() - REMIND_AFTER_DAYS * 86_400_000).toISOString();
  const rows = await ctx.db
    .selectFrom('document_copies as p')
    .innerJoin('documents as d', 'd.id', 'p.document_id')
    .select(['p.id', 'p.user_id', 'p.department_id', 'p.copy_no', 'd.title'])
    .select(documentSecrecy('d').as('secrecy'))
    .where('p.received_at', 'is', null)
    .where('p.recall_status', '=', 'none')
    .where('p.distributed_at', '<=', before)
    .where((eb) => eb.or([eb('p.reminded_at', 'is', null), eb('p.reminded_at', '<=', before)]))
    .where('d.status', '!=', 'destroyed')
    .limit(5000)
    .execute();
  if (rows.length === 0) return { reminded: 0 };
  await tx(ctx, async (t) => {
    for (const c of rows) {
      const holders = await holdersOf(t.db, c);
      if (holders.length)
        await notify(t, holders, {
          kind: 'document.receipt',
          title: `受控文件尚未签收：${c.title}（${copyNumber(Number(c.copy_no))}）`,
          link: '/documents/copies/unsigned',
          secrecy: Number(c.secrecy),
        });
      await t.db
        .updateTable('document_copies')
        .set({ reminded_at: nowIso(t) })
        .where('id', '=', c.id)
        .execute();
    }
  });
  return { reminded: rows.length };
}

// 文件发放/回收登记表 ---------------------------------------------------------------------------

const COLUMNS: [string, number][] = [
  ['序号', 6],
  ['文件名称', 30],
  ['文件编号', 16],
  ['版本', 8],
  ['份号', 6],
  ['标识', 8],
  ['接收方', 20],
  ['发放日期', 18],
  ['发放人', 10],
  ['签收人', 10],
  ['签收日期', 18],
  ['签收方式', 10],
  ['回收状态', 10],
  ['交回签字人', 10],
  ['交回签字日期', 18],
  ['回收确认人', 10],
  ['回收日期', 18],
];

function cells(c: CopyRow, index: number): (string | number | null)[] {
  return [
    index,
    c.document_title,
    c.document_number ?? '',
    c.version_label ?? `#${c.version_seq}`,
    copyNumber(Number(c.copy_no)),
    COPY_MARK_LABELS[c.mark as keyof typeof COPY_MARK_LABELS]?.zh ?? c.mark,
    c.recipient,
    formatDateTime(c.distributed_at),
    c.distributed_by_name ?? '',
    c.received_by_name ?? '',
    formatDateTime(c.received_at),
    c.received_at ? (c.receipt_sha256 ? '纸质签收单' : '系统签收') : '未签收',
    RECALL_STATUS_LABELS[c.recall_status as RecallStatus]?.zh ?? c.recall_status,
    c.returned_by_name ?? '',
    formatDateTime(c.returned_at),
    c.recalled_by_name ?? '',
    formatDateTime(c.recalled_at),
  ];
}

/** Which copies an export lists: the whole 发放/回收登记表, those nobody signed for (待签收), or
 * those waiting to be recalled (待回收副本, as GET /documents/recalls lists them). */
export type CopyList = 'all' | 'unsigned' | 'recalls';

async function* registerPages(r: Reader, list: CopyList): AsyncIterable<CopyRow[]> {
  let after: [string, string] | null = null;
  for (;;) {
    let q = copiesFrom(r.ctx.db).where(visibleTo(r) as never);
    if (list === 'unsigned')
      q = q.where('p.received_at', 'is', null).where('p.recall_status', '!=', 'recalled');
    if (list === 'recalls') q = q.where('p.recall_status', '=', 'pending');
    if (after) {
      const [at, id] = after;
      q = q.where((eb) =>
        eb.or([
          eb('p.distributed_at', '>', at),
          eb.and([eb('p.distributed_at', '=', at), eb('p.id', '>', id)]),
        ]),
      );
    }
    const rows = await q.orderBy('p.distributed_at').orderBy('p.id').limit(1000).execute();
    if (rows.length) yield rows;
    if (rows.length < 1000) return;
    const last = rows.at(-1) as CopyRow;
    after = [last.distributed_at, last.id];
  }
}

/** Audits the export before any row goes out, at the secrecy of its most secret row. */
async function beginRegister(
  ctx: Ctx,
  list: CopyList,
  format: 'xlsx' | 'csv',
): Promise<Reader & { secrecy: number }> {
  const r = await reader(ctx);
  authorize(ctx, 'document.distribute', { type: 'document' });
  let q = r.ctx.db
    .selectFrom('document_copies as p')
    .innerJoin('documents as d', 'd.id', 'p.document_id')
    .where(visibleTo(r) as never);
  if (list === 'unsigned')
    q = q.where('p.received_at', 'is', null).where('p.recall_status', '!=', 'recalled');
  if (list === 'recalls') q = q.where('p.recall_status', '=', 'pending');
  const totals = await q
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max(documentSecrecy('d')).as('s')])
    .executeTakeFirstOrThrow();
  if (Number(totals.n) > EXPORT_MAX_ROWS)
    throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'document.copy_register_export',
    targetType: 'document',
    secrecy: Number(totals.s ?? 0),
    details: { rows: Number(totals.n), format, list, unsigned: list === 'unsigned' },
  });
  return Object.assign(r, { secrecy: Number(totals.s ?? 0) });
}

const SHEET_NAMES: Record<CopyList, string> = {
  all: '文件发放回收登记表',
  unsigned: '待签收副本',
  recalls: '待回收副本',
};

export async function registerXlsx(ctx: Ctx, list: CopyList): Promise<Readable> {
  const r = await beginRegister(ctx, list, 'xlsx');
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(
      list === 'unsigned' ? SHEET_NAMES.all : SHEET_NAMES[list],
      secrecyPageHeader(r.secrecy, ctx.lang),
    );
    sheet.columns = COLUMNS.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let index = 0;
    for await (const page of registerPages(r, list))
      for (const c of page) sheet.addRow(cells(c, ++index)).commit();
    sheet.commit();
  });
}

export async function registerCsv(
  ctx: Ctx,
  list: CopyList,
  encoding: CsvEncoding = 'utf8',
): Promise<Readable> {
  const r = await beginRegister(ctx, list, 'csv');
  let index = 0;
  async function* rows() {
    for await (const page of registerPages(r, list)) yield page.map((c) => cells(c, ++index));
  }
  return csvStream(
    COLUMNS.map(([header]) => header),
    rows(),
    encoding,
  );
}
