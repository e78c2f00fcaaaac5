import type { Readable } from 'node:stream';
import type { DocumentFile } from '../../../common/schemas/documents.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import * as repo from './repo.js';
import { assertEditable, findVisible, reader, recordEvent, reindex, resourceOf } from './service.js';
import { queueExtraction } from './text.js';

// Files of a document version (R-D6): uploads go to the content-addressed store; the register
// points at the digest. Downloads are audited with the document, version and digest.

/** Checked before an upload is streamed, so that nobody fills the disk with refused files. */
export async function assertMayUpload(ctx: Ctx, documentId: string): Promise<void> {
  const r = await reader(ctx);
  const row = await findVisible(r, documentId);
  authorize(ctx, 'document.update', { type: 'document', id: documentId, resource: resourceOf(r, row) });
  assertEditable(row);
}

/** Adds a stored blob as a file of the document's current version. */
export async function addFile(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  blob: StoredBlob,
  name: string,
): Promise<DocumentFile> {
  const r = await reader(ctx);
  const file = await tx(ctx, async (t): Promise<DocumentFile> => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.update', { type: 'document', id: documentId, resource: resourceOf(r, row) });
    assertEditable(row);
    const version = await repo.currentVersion(t.db, documentId);
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
        created_by: r.ctx.actor.id,
      })
      .execute();
    await t.db
      .updateTable('documents')
      .set((eb) => ({ file_count: eb('file_count', '+', 1), updated_at: now, updated_by: r.ctx.actor.id }))
      .where('id', '=', documentId)
      .execute();
    await recordEvent(t, documentId, 'upload', { name, sha256: blob.sha256, size: blob.size }, version.id);
    await reindex(t.db, documentId);
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
      createdBy: { id: r.ctx.actor.id, name: r.ctx.actor.name },
      textStatus: null,
    };
  });
  // After the commit: the job runs on its own connection and must see the new rows.
  await queueExtraction(ctx, store, blob);
  const text = await ctx.db
    .selectFrom('document_texts')
    .select('status')
    .where('sha256', '=', blob.sha256)
    .executeTakeFirst();
  return { ...file, textStatus: (text?.status as DocumentFile['textStatus']) ?? null };
}

/** A file of a document, with its content's size and type and its version's status; 404 when
 * the document has no such file, 410 when its content is missing from the store. */
export async function findFile(ctx: Ctx, store: BlobStore, documentId: string, fileId: string) {
  const file = await ctx.db
    .selectFrom('document_files as f')
    .innerJoin('blobs as b', 'b.sha256', 'f.sha256')
    .innerJoin('document_versions as v', 'v.id', 'f.version_id')
    .select(['f.id', 'f.name', 'f.version_id', 'f.sha256', 'b.size', 'b.mime', 'v.status as version_status'])
    .where('f.id', '=', fileId)
    .where('f.document_id', '=', documentId)
    .executeTakeFirst();
  if (!file) throw notFound();
  if (!store.has(file.sha256)) throw new DomainError('file_missing', 410);
  return file;
}

export interface OpenedFile {
  name: string;
  size: number;
  mime: string;
  sha256: string;
  stream: Readable;
}

/** A file of a document the reader may see (404 otherwise); the read is audited. */
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
  await appendAudit(ctx, {
    action: purpose === 'preview' ? 'document.preview' : 'document.download',
    targetType: 'document',
    targetId: documentId,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: { versionId: file.version_id, fileId: file.id, name: file.name, sha256: file.sha256 },
  });
  return {
    name: file.name,
    size: Number(file.size),
    mime: file.mime,
    sha256: file.sha256,
    stream: store.open(file.sha256),
  };
}
