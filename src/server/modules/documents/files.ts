import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DocumentFile } from '../../../common/schemas/documents.js';
import type { DocumentTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize, can } from '../../platform/policy/index.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { applyEncryptionFor } from './encryption.js';
import { markOf } from './secrecy-marks.js';
import {
  assertEditable,
  findVisible,
  grantBehind,
  loanRefusal,
  type Reader,
  reader,
  recordEvent,
  reindex,
  resourceOf,
} from './service.js';
import { loanCopy } from './stamp.js';
import { queueExtraction } from './text.js';
import { assertOpen } from './versions.js';

// Files of a document version (R-D6): uploads go to the content-addressed store; the register
// points at the digest. Downloads are audited with the document, version and digest.

/** The version an upload goes into: the given one if it is a draft or the current version
 * (a new version's file, or one more file of the version in force), else the current one —
 * and only while it is open: a file is added where one could be taken out (not to a version
 * handed out or filed, versions.ts). */
async function uploadTarget(
  ctx: Pick<Ctx, 'db' | 'lang'>,
  documentId: string,
  versionId: string | undefined,
) {
  // Without a version: the current one, or the draft of a document not in force yet (its first
  // version under approval).
  const q = ctx.db
    .selectFrom('document_versions')
    .select(['id', 'seq', 'label', 'status', 'approval'])
    .where('document_id', '=', documentId);
  const version = versionId
    ? await q.where('id', '=', versionId).executeTakeFirst()
    : ((await q.where('status', '=', 'current').executeTakeFirst()) ??
      (await q.where('status', '=', 'draft').executeTakeFirst()));
  if (!version) throw notFound();
  const row = await ctx.db
    .selectFrom('documents')
    .select('archive_no')
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  await assertOpen(ctx, row, version);
  return version;
}

/** Checked before an upload is streamed, so that nobody fills the disk with refused files. */
export async function assertMayUpload(ctx: Ctx, documentId: string, versionId?: string): Promise<void> {
  const r = await reader(ctx);
  const row = await findVisible(r, documentId);
  authorize(ctx, 'document.update', { type: 'document', id: documentId, resource: resourceOf(r, row) });
  assertEditable(row);
  await uploadTarget(ctx, documentId, versionId);
}

/** Adds a stored blob as a file of the document's current version, or of the given draft. */
export async function addFile(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  blob: StoredBlob,
  name: string,
  versionId?: string,
): Promise<DocumentFile> {
  const r = await reader(ctx);
  const file = await tx(ctx, async (t): Promise<DocumentFile> => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.update', { type: 'document', id: documentId, resource: resourceOf(r, row) });
    assertEditable(row);
    return attachBlob(t, store, row, blob, name, versionId);
  });
  return afterAttach(ctx, store, blob, file);
}

/**
 * Inside the caller's transaction, after its permission checks: the blob becomes a file of the
 * document's current version (or of the given draft), with its history entry, search tokens
 * and audit entry.
 */
export async function attachBlob(
  t: TxCtx,
  store: BlobStore,
  row: Pick<DocumentTable, 'id' | 'title' | 'secrecy'>,
  blob: StoredBlob,
  name: string,
  versionId?: string,
): Promise<DocumentFile> {
  const actor = t.actor as NonNullable<TxCtx['actor']>;
  const documentId = row.id;
  const version = await uploadTarget(t, documentId, versionId);
  const now = nowIso(t);
  await t.db
    .insertInto('blobs')
    .values({ sha256: blob.sha256, size: blob.size, mime: blob.mime, created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  // Checked after taking the key: a sweep of unknown files that removed this content first
  // is noticed here, and the upload fails instead of pointing at nothing.
  if (!store.has(blob.sha256)) throw new DomainError('upload_lost', 409);
  const stored = await t.db
    .selectFrom('blobs')
    .select(['size', 'mime'])
    .where('sha256', '=', blob.sha256)
    .executeTakeFirstOrThrow();
  const id = newId();
  await t.db
    .insertInto('document_files')
    .values({
      id,
      document_id: documentId,
      version_id: version.id,
      sha256: blob.sha256,
      name,
      created_at: now,
      created_by: actor.id,
      removed_at: null,
      removed_by: null,
    })
    .execute();
  // The register counts the files of the record, not of a draft nobody may see yet: a draft's
  // files count when it is made current (versions.ts).
  const counted = version.status === 'draft' ? 0 : 1;
  await t.db
    .updateTable('documents')
    .set((eb) => ({ file_count: eb('file_count', '+', counted), updated_at: now, updated_by: actor.id }))
    .where('id', '=', documentId)
    .execute();
  await recordEvent(t, documentId, 'upload', { name, sha256: blob.sha256, size: blob.size }, version.id);
  await reindex(t.db, documentId);
  // A file of a classified record is stored encrypted (encryption.ts).
  await applyEncryptionFor(t, store, [documentId]);
  await appendAudit(t, {
    action: 'document.upload',
    targetType: 'document',
    targetId: documentId,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: { versionId: version.id, fileId: id, name, sha256: blob.sha256, size: blob.size },
  });
  return {
    id,
    name,
    size: Number(stored.size),
    mime: stored.mime,
    sha256: blob.sha256,
    createdAt: now,
    createdBy: { id: actor.id, name: actor.name },
    textStatus: null,
  };
}

/** After the commit of an attachBlob: the text extraction job runs on its own connection and
 * must see the new rows. */
export async function afterAttach(
  ctx: Ctx,
  store: BlobStore,
  blob: StoredBlob,
  file: DocumentFile,
): Promise<DocumentFile> {
  await queueExtraction(ctx, store, blob);
  const text = await ctx.db
    .selectFrom('document_texts')
    .select('status')
    .where('sha256', '=', blob.sha256)
    .executeTakeFirst();
  return { ...file, textStatus: (text?.status as DocumentFile['textStatus']) ?? null };
}

/** A file of a document, with its content's size and type and its version's status; 404 when
 * the document has no such file, 410 when its content was destroyed or is missing from the store. */
export async function findFile(ctx: Ctx, store: BlobStore, documentId: string, fileId: string) {
  const file = await ctx.db
    .selectFrom('document_files as f')
    .innerJoin('blobs as b', 'b.sha256', 'f.sha256')
    .innerJoin('document_versions as v', 'v.id', 'f.version_id')
    .innerJoin('documents as d', 'd.id', 'f.document_id')
    .select([
      'f.id',
      'f.name',
      'f.version_id',
      'f.sha256',
      'b.size',
      'b.mime',
      'b.destroyed_at',
      'v.status as version_status',
      'v.approval as version_approval',
      'd.status as document_status',
    ])
    .where('f.id', '=', fileId)
    .where('f.document_id', '=', documentId)
    .where('f.removed_at', 'is', null)
    .executeTakeFirst();
  if (!file) throw notFound();
  // A destroyed record's content is gone for good, even where a kept record shares it (R-X4).
  if (file.document_status === 'destroyed') throw new DomainError('document_destroyed', 410);
  if (file.destroyed_at) throw new DomainError('content_destroyed', 410);
  if (!store.has(file.sha256)) throw new DomainError('file_missing', 410);
  return file;
}

/** A draft's files are for those who may change the document, until it is made current. */
export function assertFileReadable(
  r: Reader,
  row: Pick<DocumentTable, 'department_id' | 'created_by'>,
  file: { version_status: string; version_approval: string | null },
): void {
  if (
    file.version_status === 'draft' &&
    !can(r.ctx.actor, 'document.update', resourceOf(r, row)) &&
    !(file.version_approval !== null && can(r.ctx.actor, 'document.approval_read'))
  )
    throw notFound();
}

export interface OpenedFile {
  name: string;
  size: number;
  mime: string;
  sha256: string;
  stream: Readable;
}

/** A file of a document the reader may see (404 otherwise); the read is audited — once it is
 * allowed: a refused download is audited as refused, not as a download. */
export async function openFile(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  fileId: string,
  purpose: 'download' | 'preview',
): Promise<OpenedFile> {
  const r = await reader(ctx);
  const row = await findVisible(r, documentId);
  const file = await findFile(ctx, store, documentId, fileId);
  assertFileReadable(r, row, file);
  const grant = await grantBehind(r, row);
  const audit = () =>
    appendAudit(ctx, {
      action: purpose === 'preview' ? 'document.preview' : 'document.download',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: {
        versionId: file.version_id,
        fileId: file.id,
        name: file.name,
        sha256: file.sha256,
        ...(grant ? { grant: grant.number } : {}),
      },
    });
  if (grant) {
    // Under a loan the reader gets a copy stamped with their name and the request (R-P7).
    const refusal = loanRefusal(grant, file, purpose === 'download');
    if (refusal) throw refusal;
    const copy = await loanCopy(r.ctx, store, grant, file, markOf(row));
    await audit();
    return {
      name: copy.name,
      size: copy.bytes.length,
      mime: 'application/pdf',
      sha256: createHash('sha256').update(copy.bytes).digest('hex'),
      stream: Readable.from([Buffer.from(copy.bytes)]),
    };
  }
  await audit();
  return {
    name: file.name,
    size: Number(file.size),
    mime: file.mime,
    sha256: file.sha256,
    stream: store.open(file.sha256),
  };
}
