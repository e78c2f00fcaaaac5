import { type SqlBool, sql } from 'kysely';
import { appendAudit } from '../../platform/audit/chain.js';
import { blobHolder, documentBlobs } from '../../platform/blob-references.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import { obsoleteCurrentVersion, recordEvent, reindex } from './service.js';

// Destruction of a record (R-X3/R-X4), called by the destruction register once it is signed:
// the electronic content goes — every version's files, the customer's signed authorisation and
// the scanned receipts of its copies (signed for and handed back), each unless something that
// stays holds the same content (blob-references.ts), with their extracted text and search
// tokens — while the metadata, the files' names and digests, the history and the audit trail
// stay and show 已销毁. The stored files themselves are removed by the caller after the commit
// (a rollback must not lose content).

export interface DisposalRef {
  id: string;
  number: string;
}

/**
 * Marks the document's content destroyed and returns the digests whose stored files are to be
 * removed (`purged`) and those kept because something that stays holds them (`shared`).
 * Documents listed on the same register (and not blocked) do not count as keeping a content.
 */
export async function destroyContent(
  t: TxCtx,
  documentId: string,
  disposal: DisposalRef,
): Promise<{ purged: string[]; shared: string[] }> {
  const purged: string[] = [];
  const shared: string[] = [];
  const now = nowIso(t);
  // Another record holds a content while it stays: not this one, not one destroyed before, not
  // one listed on the same register (and not blocked). A file taken out of another record's
  // version keeps its content until that record goes.
  const stays = (d: string) =>
    sql<SqlBool>`${sql.ref(`${d}.id`)} <> ${documentId} and ${sql.ref(`${d}.status`)} <> 'destroyed'
      and not exists (select 1 from disposal_items di where di.document_id = ${sql.ref(`${d}.id`)}
        and di.disposal_id = ${disposal.id} and di.status <> 'blocked')`;
  for (const sha256 of await documentBlobs(t.db, documentId)) {
    // The same bytes may be held elsewhere — another record, a borrower's letter of
    // introduction, a case's file —, which keeps them.
    if (await blobHolder(t.db, sha256, stays)) {
      shared.push(sha256);
      continue;
    }
    const res = await t.db
      .updateTable('blobs')
      .set({ destroyed_at: now })
      .where('sha256', '=', sha256)
      .where('destroyed_at', 'is', null)
      .executeTakeFirst();
    await t.db.deleteFrom('document_texts').where('sha256', '=', sha256).execute();
    if (Number(res.numUpdatedRows) > 0) purged.push(sha256);
  }
  await reindex(t.db, documentId);
  const row = await titleAndSecrecy(t, documentId);
  await appendAudit(t, {
    action: 'document.content_destroyed',
    targetType: 'document',
    targetId: documentId,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: { disposal: disposal.number, disposalId: disposal.id, purged, shared },
  });
  return { purged, shared };
}

/** The record's title and effective secrecy (the higher of its own and its customer archive's). */
function titleAndSecrecy(t: TxCtx, documentId: string) {
  return t.db
    .selectFrom('documents as d')
    .select('d.title')
    .select(documentSecrecy('d').as('secrecy'))
    .where('d.id', '=', documentId)
    .executeTakeFirstOrThrow();
}

/** The record is destroyed: status 已销毁 with the register, its current version obsolete and
 * any copy still out to be recalled. Its metadata stays searchable; its content does not. */
export async function markDestroyed(t: TxCtx, documentId: string, disposal: DisposalRef): Promise<void> {
  const now = nowIso(t);
  await obsoleteCurrentVersion(t, documentId, now);
  // A draft that never came into force goes with the record.
  await t.db
    .updateTable('document_versions')
    .set({ status: 'withdrawn', obsoleted_at: now, obsoleted_by: t.actor?.id ?? null })
    .where('document_id', '=', documentId)
    .where('status', '=', 'draft')
    .execute();
  await t.db
    .updateTable('documents')
    .set({ status: 'destroyed', destroyed_at: now, disposal_id: disposal.id, updated_at: now })
    .where('id', '=', documentId)
    .execute();
  await recordEvent(t, documentId, 'destroy', { disposal: disposal.number, disposalId: disposal.id });
  await reindex(t.db, documentId);
  const row = await titleAndSecrecy(t, documentId);
  await appendAudit(t, {
    action: 'document.destroyed',
    targetType: 'document',
    targetId: documentId,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: { disposal: disposal.number, disposalId: disposal.id },
  });
}
