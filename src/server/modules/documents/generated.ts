import { Readable } from 'node:stream';
import { type SecrecyLevel, secrecyRank } from '../../../common/enums.js';
import type { DocumentFile } from '../../../common/schemas/documents.js';
import { type Actor, type Ctx, SYSTEM_ACTOR, systemTriggeredBy, type TxCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import * as files from './files.js';
import { assignArchiveNo } from './filing.js';
import * as documents from './service.js';

// A paper Kedang produced (a closed complaint's 客户投诉记录表, a signed order's 评审记录表) filed
// into a customer's archive: the PDF stored, registered as an electronic internal record of the
// given category, its file attached and a 档号 given — by the system acting as archivist, on
// behalf of whoever caused it (the record exists because the work was done, whoever may or may
// not file records themselves). After the commit, `afterFiling` extracts the text for search.

/** The system as archivist (it files the paper) and as quality (it reads every record to print it). */
export const ARCHIVING_ACTOR: Actor = { ...SYSTEM_ACTOR, roles: ['archivist', 'quality'] };

/** The transaction as the archiving system, triggered by the person acting (or the system). */
export function archivingCtx(t: TxCtx): TxCtx {
  return { ...systemTriggeredBy(t, t.actor ?? SYSTEM_ACTOR), actor: ARCHIVING_ACTOR };
}

export interface GeneratedRecord {
  bytes: Uint8Array;
  title: string;
  docNumber: string;
  fileName: string;
  customerId: string;
  category: string;
  /** The archive's (effective) secrecy: the record is as secret as what it is about. */
  secrecy: SecrecyLevel;
  responsibleParty: string | null;
  remarks: string | null;
  issueDate: string;
  versionLabel?: string | null;
  /** A retention code (L1, D30 …); the category's when undefined. */
  retention?: string;
  lifeEndDate?: string | null;
}

export interface Filed {
  documentId: string;
  /** Null when the department has no code: the record is there, the archivist gives the 档号. */
  archiveNo: string | null;
  file: DocumentFile;
  blob: StoredBlob;
}

/** Inside the caller's transaction; `sys` from `archivingCtx`. */
export async function fileGeneratedRecord(
  sys: TxCtx,
  store: BlobStore,
  rec: GeneratedRecord,
  today: string,
): Promise<Filed> {
  const blob = await store.put(Readable.from([Buffer.from(rec.bytes)]));
  const documentId = await documents.registerPaper(sys, {
    title: rec.title,
    docNumber: rec.docNumber,
    responsibleParty: rec.responsibleParty,
    source: 'internal',
    category: rec.category,
    carrier: 'electronic',
    secrecy: rec.secrecy,
    secrecyTerm: null,
    retention: rec.retention,
    lifeEndDate: rec.lifeEndDate ?? null,
    location: null,
    pages: null,
    changesInternal: null,
    customerAuthorizedBy: null,
    customerAuthorizedOn: null,
    productionUse: false,
    remarks: rec.remarks?.slice(0, 2000) ?? null,
    versionLabel: rec.versionLabel ?? null,
    issueDate: rec.issueDate,
    receivedDate: null,
    customerId: rec.customerId,
    departmentId: undefined,
  });
  const file = await files.attachBlob(
    sys,
    store,
    { id: documentId, title: rec.title, secrecy: secrecyRank(rec.secrecy) },
    blob,
    rec.fileName,
  );
  const doc = await sys.db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  let archiveNo: string | null = null;
  try {
    archiveNo = await assignArchiveNo(sys, doc, today);
  } catch (err) {
    // A department without a code cannot make a 档号: the record is there, the archivist files it.
    if (!(err instanceof DomainError) || err.code !== 'department_code_missing') throw err;
  }
  return { documentId, archiveNo, file, blob };
}

/** After the commit: the record's text is extracted so that a search finds it by its words. */
export async function afterFiling(
  ctx: Ctx,
  store: BlobStore,
  filed: Filed | null | undefined,
): Promise<void> {
  if (filed) await files.afterAttach(ctx, store, filed.blob, filed.file);
}
