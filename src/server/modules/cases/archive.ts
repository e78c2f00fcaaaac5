import { Readable } from 'node:stream';
import { secrecyRank } from '../../../common/enums.js';
import type { DocumentFile } from '../../../common/schemas/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { type Actor, type Ctx, SYSTEM_ACTOR, systemTriggeredBy, type TxCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { companyName } from '../../platform/organisation.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import * as files from '../documents/files.js';
import { assignArchiveNo } from '../documents/filing.js';
import * as documents from '../documents/service.js';
import { loadCaseSettings } from './config.js';
import { caseRecordPdf } from './pdf.js';
import { findVisible, reader, recordEvent, toCase } from './service.js';

// R-Q5: a closed case is summarised and filed in the customer's archive — its 客户投诉记录表 (every
// field, the clocks and the history) as a PDF record of the configured category, with its 档号,
// searchable like any record. The system files it, on behalf of whoever closed the case: the
// record exists because the case closed, whoever may or may not file records themselves.

/** The system as archivist (it files the paper) and as quality (it reads every case to print it). */
const ARCHIVING_ACTOR: Actor = { ...SYSTEM_ACTOR, roles: ['archivist', 'quality'] };

export interface Archived {
  documentId: string;
  file: DocumentFile;
  blob: StoredBlob;
}

export async function archiveCase(t: TxCtx, store: BlobStore, id: string): Promise<Archived> {
  const person = t.actor ?? SYSTEM_ACTOR;
  const sys: TxCtx = { ...systemTriggeredBy(t, person), actor: ARCHIVING_ACTOR };
  const r = await reader(sys);
  const c = await toCase(r, await findVisible(r, id, t.db));
  const bytes = await caseRecordPdf(c, { printedAt: t.now(), company: await companyName(t.db) });
  const blob = await store.put(Readable.from([Buffer.from(bytes)]));
  const settings = await loadCaseSettings(t.db);
  const today = todayInShanghai(t.now());
  const title = `${c.kind === 'complaint' ? '客户投诉记录表' : '客户服务记录表'} ${c.number} ${c.customer.name}`;
  const secrecy = c.secrecy;
  const documentId = await documents.registerPaper(sys, {
    title,
    docNumber: c.number,
    responsibleParty: c.handlingDepartment?.name ?? c.department?.name ?? null,
    source: 'internal',
    category: settings.archiveCategory,
    carrier: 'electronic',
    secrecy,
    secrecyTerm: null,
    retention: undefined,
    lifeEndDate: null,
    location: null,
    pages: null,
    changesInternal: null,
    customerAuthorizedBy: null,
    customerAuthorizedOn: null,
    remarks: c.content.slice(0, 2000),
    versionLabel: null,
    issueDate: today,
    receivedDate: null,
    customerId: c.customer.id,
    departmentId: undefined,
  });
  const file = await files.attachBlob(
    sys,
    store,
    { id: documentId, title, secrecy: secrecyRank(secrecy) },
    blob,
    `${c.number}.pdf`,
  );
  const doc = await sys.db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  let note: string;
  try {
    note = `档号 ${await assignArchiveNo(sys, doc, today)}`;
  } catch (err) {
    // A department without a code cannot make a 档号: the record is there, the archivist files it.
    if (!(err instanceof DomainError) || err.code !== 'department_code_missing') throw err;
    note = '待档案管理员编档号（部门未设代码）';
  }
  await t.db.updateTable('cases').set({ document_id: documentId }).where('id', '=', id).execute();
  await recordEvent(t, id, 'archived', note);
  return { documentId, file, blob };
}

/** After the commit: the record's text is extracted so that a search finds it by its words. */
export async function afterArchive(ctx: Ctx, store: BlobStore, archived: Archived | null): Promise<void> {
  if (archived) await files.afterAttach(ctx, store, archived.blob, archived.file);
}
