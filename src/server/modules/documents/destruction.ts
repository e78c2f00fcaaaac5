import { appendAudit } from '../../platform/audit/chain.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { obsoleteCurrentVersion, recordEvent, reindex } from './service.js';

// Destruction of a record (R-X3/R-X4), called by the destruction register once it is signed:
// the electronic content goes — every version's files whose content no kept record shares,
// their extracted text and their search tokens — while the metadata, the files' names and
// digests, the history and the audit trail stay and show 已销毁. The stored files themselves
// are removed by the caller after the commit (a rollback must not lose content).

export interface DisposalRef {
  id: string;
  number: string;
}

/**
 * Marks the document's content destroyed and returns the digests whose stored files are to be
 * removed (`purged`) and those kept because a record that stays shares them (`shared`).
 * Documents listed on the same register (and not blocked) do not count as keeping a content.
 */
export async function destroyContent(
  t: TxCtx,
  documentId: string,
  disposal: DisposalRef,
): Promise<{ purged: string[]; shared: string[] }> {
  const files = await t.db
    .selectFrom('document_files')
    .select('sha256')
    .distinct()
    .where('document_id', '=', documentId)
    .execute();
  const purged: string[] = [];
  const shared: string[] = [];
  const now = nowIso(t);
  for (const { sha256 } of files) {
    const keeper = await t.db
      .selectFrom('document_files as f')
      .innerJoin('documents as d', 'd.id', 'f.document_id')
      .select('d.id')
      .where('f.sha256', '=', sha256)
      .where('f.document_id', '!=', documentId)
      // A file taken out of another record's version keeps its content until that record goes.
      .where('d.status', '!=', 'destroyed')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('disposal_items as di')
              .select('di.id')
              .whereRef('di.document_id', '=', 'd.id')
              .where('di.disposal_id', '=', disposal.id)
              .where('di.status', '!=', 'blocked'),
          ),
        ),
      )
      .limit(1)
      .executeTakeFirst();
    // The same bytes may also be a borrower's letter of introduction, which stays.
    const letter = keeper
      ? undefined
      : await t.db
          .selectFrom('access_requests')
          .select('id')
          .where('letter_sha256', '=', sha256)
          .limit(1)
          .executeTakeFirst();
    if (keeper || letter) {
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
  const row = await t.db
    .selectFrom('documents')
    .select(['title', 'secrecy'])
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
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
  const row = await t.db
    .selectFrom('documents')
    .select(['title', 'secrecy'])
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  await appendAudit(t, {
    action: 'document.destroyed',
    targetType: 'document',
    targetId: documentId,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: { disposal: disposal.number, disposalId: disposal.id },
  });
}
