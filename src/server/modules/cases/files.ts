import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { can } from '../../platform/policy/index.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { recordBlob } from '../../platform/uploads.js';
import { authorizeStep, findVisible, reader, recordEvent, resourceOf } from './service.js';

// Attachments of a case (photos of the defect, the customer's letter, a 5D/7D report): files in
// the blob store addressed by SHA-256. Whoever may update or handle the case adds them; every
// download is audited at the case's effective secrecy.

export async function addCaseFile(ctx: Ctx, id: string, blob: StoredBlob, name: string) {
  const r = await reader(ctx);
  return tx(ctx, async (t) => {
    const row = await findVisible(r, id, t.db);
    const resource = await resourceOf(r, row, t.db);
    authorizeStep(
      r,
      can(r.ctx.actor, 'case.handle', resource) ? 'case.handle' : 'case.update',
      row,
      resource,
    );
    if (row.status === 'closed') throw new DomainError('case_wrong_status', 409, { status: '已关闭' });
    const now = nowIso(t);
    await recordBlob(t.db, blob, now);
    const fileId = newId();
    await t.db
      .insertInto('case_files')
      .values({
        id: fileId,
        case_id: id,
        sha256: blob.sha256,
        name,
        size: blob.size,
        mime: blob.mime,
        created_by: r.ctx.actor.id,
        created_at: now,
      })
      .execute();
    await recordEvent(t, id, 'file_added', name);
    await appendAudit(t, {
      action: 'case.file_upload',
      targetType: 'case',
      targetId: id,
      targetLabel: row.number,
      secrecy: Number(row.effective_secrecy),
      details: { fileId, name, sha256: blob.sha256, size: blob.size },
    });
    return {
      id: fileId,
      name,
      size: blob.size,
      mime: blob.mime,
      sha256: blob.sha256,
      createdAt: now,
      createdBy: { id: r.ctx.actor.id, name: r.ctx.actor.name },
    };
  });
}

/** A file of a case the reader may see; the download is audited. 404 otherwise. */
export async function openCaseFile(ctx: Ctx, store: BlobStore, id: string, fileId: string) {
  const r = await reader(ctx);
  const row = await findVisible(r, id);
  const file = await ctx.db
    .selectFrom('case_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('case_id', '=', id)
    .executeTakeFirst();
  if (!file) throw notFound();
  if (!store.has(file.sha256)) throw new DomainError('file_missing', 410);
  await appendAudit(ctx, {
    action: 'case.file_download',
    targetType: 'case',
    targetId: id,
    targetLabel: row.number,
    secrecy: Number(row.effective_secrecy),
    details: { fileId, name: file.name, sha256: file.sha256 },
  });
  return file;
}
