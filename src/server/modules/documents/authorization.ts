import type { Readable } from 'node:stream';
import { AUTHORIZATION_PART_LABELS, authorizationMissing } from '../../../common/documents.js';
import type { AuthorizationInput, Document } from '../../../common/schemas/documents.js';
import type { DocumentTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { recordBlob } from '../../platform/uploads.js';
import { applyEncryptionFor } from './encryption.js';
import { SCAN_TYPES } from './receipts.js';
import { documentFor, findVisible, reader, recordEvent } from './service.js';

// The customer's signed authorisation (R-D5, 外来文件控制程序 4.4: 客户提供的文件需直接用于
// 生产/质量检验用，需要客户进行签名授权). A customer document flagged 用于生产/检验 is issued as a
// 受控 copy only once the authorisation is attached: the signed file (kept in the blob store like
// any file), who signed it and when. The archivist attaches it; reading it is audited.

type AuthorizationRow = Pick<
  DocumentTable,
  'production_use' | 'customer_authorization_sha256' | 'customer_authorized_by' | 'customer_authorized_on'
>;

/** Refuses a 受控 copy of a customer document used for production or inspection while its
 * authorisation lacks anything, naming what (409). */
export function assertAuthorized(t: Pick<Ctx, 'lang'>, row: AuthorizationRow, mark: string): void {
  if (mark !== 'controlled') return;
  const missing = authorizationMissing({
    productionUse: row.production_use === 1,
    file: row.customer_authorization_sha256,
    signatory: row.customer_authorized_by,
    date: row.customer_authorized_on,
  });
  if (missing.length === 0) return;
  const missingText = missing
    .map((p) => AUTHORIZATION_PART_LABELS[p][t.lang])
    .join(t.lang === 'en' ? ', ' : '、');
  throw new DomainError('customer_authorization_missing', 409, { missing: missingText });
}

/** Checked before the upload is streamed: the archivist, on a document they see, not destroyed. */
export async function assertMayAttach(ctx: Ctx, documentId: string): Promise<void> {
  const r = await reader(ctx);
  const row = await findVisible(r, documentId);
  authorize(ctx, 'document.distribute', { type: 'document', id: documentId });
  if (row.status === 'destroyed') throw new DomainError('document_destroyed', 409);
  // Any customer document may hold it: one with 受控 copies out is marked for production only
  // once it is attached (service.ts).
  if (row.source !== 'customer') throw new DomainError('authorization_not_needed', 409);
}

/** Attaches (or replaces) the signed authorisation with its signatory and date. */
export async function attachAuthorization(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  blob: StoredBlob,
  input: AuthorizationInput & { name: string },
): Promise<Document> {
  const r = await reader(ctx);
  // A signed paper: its scan or a PDF, like a copy's signed receipt.
  if (!SCAN_TYPES.includes(blob.mime)) throw new DomainError('authorization_type', 422, {}, 'file');
  await tx(ctx, async (t: TxCtx) => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.distribute', { type: 'document', id: documentId });
    if (row.status === 'destroyed') throw new DomainError('document_destroyed', 409);
    // Any customer document may hold it: one with 受控 copies out is marked for production only
    // once it is attached (service.ts).
    if (row.source !== 'customer') throw new DomainError('authorization_not_needed', 409);
    const now = nowIso(t);
    await recordBlob(t.db, blob, now);
    await t.db
      .updateTable('documents')
      .set({
        customer_authorization_sha256: blob.sha256,
        customer_authorization_name: input.name,
        customer_authorized_by: input.signedBy,
        customer_authorized_on: input.signedOn,
        updated_at: now,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', documentId)
      .execute();
    // The authorisation of a classified record is stored encrypted like its files (encryption.ts).
    await applyEncryptionFor(t, store, [documentId]);
    const details = {
      name: input.name,
      sha256: blob.sha256,
      signedBy: input.signedBy,
      signedOn: input.signedOn,
      replaced: row.customer_authorization_sha256,
    };
    await recordEvent(t, documentId, 'authorize', details);
    await appendAudit(t, {
      action: 'document.authorization',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Number(row.effective_secrecy),
      details,
    });
  });
  return documentFor(r, documentId);
}

/** The signed authorisation's file, for whoever sees the document; the read is audited. */
export async function openAuthorization(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
): Promise<{ name: string; mime: string; size: number; sha256: string; stream: Readable }> {
  const r = await reader(ctx);
  const row = await findVisible(r, documentId);
  if (!row.customer_authorization_sha256) throw new DomainError('not_found', 404);
  if (row.status === 'destroyed') throw new DomainError('document_destroyed', 410);
  const blob = await ctx.db
    .selectFrom('blobs')
    .select(['sha256', 'size', 'mime', 'destroyed_at'])
    .where('sha256', '=', row.customer_authorization_sha256)
    .executeTakeFirst();
  if (!blob || blob.destroyed_at) throw new DomainError('content_destroyed', 410);
  if (!store.has(blob.sha256)) throw new DomainError('file_missing', 410);
  await appendAudit(ctx, {
    action: 'document.authorization_read',
    targetType: 'document',
    targetId: documentId,
    targetLabel: row.title,
    secrecy: Number(row.effective_secrecy),
    details: { name: row.customer_authorization_name, sha256: blob.sha256 },
  });
  return {
    name: row.customer_authorization_name ?? 'authorization',
    mime: blob.mime,
    size: Number(blob.size),
    sha256: blob.sha256,
    stream: store.open(blob.sha256),
  };
}
