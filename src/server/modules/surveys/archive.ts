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
import { filledFormPdf, loadFilledForm } from './pdf.js';

// R-V3: an answered satisfaction form is filed in the customer's archive — the filled 顾客满意度
// 调查表 as a PDF record (内部文件与记录), with its 档号, searchable like any record — the way a
// closed case files its 客户投诉记录表 (cases/archive.ts). The system files it, on behalf of
// whoever recorded the answer (staff typing it in, or nobody when the customer answered by link).

/** The system as archivist (it files the paper and reads every archive to print it). */
const ARCHIVING_ACTOR: Actor = { ...SYSTEM_ACTOR, roles: ['archivist', 'quality'] };
/** The document category the forms are filed under (the one closed cases default to). */
export const SURVEY_ARCHIVE_CATEGORY = 'records';

export interface FiledResponse {
  documentId: string;
  file: DocumentFile;
  blob: StoredBlob;
}

/**
 * Inside the transaction that records the response (after its answers are inserted): renders
 * the filled form, stores the PDF, registers it as a record of the customer's archive with a
 * 档号, and sets `survey_responses.document_id`. After the commit, pass what it returns to
 * `afterFileResponse` so that the form's text is extracted for search (as cases do).
 */
export async function fileResponse(t: TxCtx, responseId: string, store: BlobStore): Promise<FiledResponse> {
  const person = t.actor ?? SYSTEM_ACTOR;
  const sys: TxCtx = { ...systemTriggeredBy(t, person), actor: ARCHIVING_ACTOR };
  const form = await loadFilledForm(t.db, responseId);
  const today = todayInShanghai(t.now());
  const bytes = await filledFormPdf(form, { company: await companyName(t.db), printedAt: t.now() });
  const blob = await store.put(Readable.from([Buffer.from(bytes)]));
  const title = `${form.title} ${form.campaign.number} ${form.customer.name}`;
  const documentId = await documents.registerPaper(sys, {
    title,
    docNumber: form.campaign.number,
    responsibleParty: form.department,
    source: 'internal',
    category: SURVEY_ARCHIVE_CATEGORY,
    carrier: 'electronic',
    secrecy: form.secrecy,
    secrecyTerm: null,
    retention: undefined,
    lifeEndDate: null,
    location: null,
    pages: null,
    changesInternal: null,
    customerAuthorizedBy: null,
    customerAuthorizedOn: null,
    remarks: `${form.campaign.name}（${form.campaign.periodLabel}）满意度指数 ${form.index ?? '无'}`.slice(
      0,
      2000,
    ),
    versionLabel: null,
    issueDate: form.answeredOn <= today ? form.answeredOn : today,
    receivedDate: null,
    customerId: form.customer.id,
    departmentId: undefined,
  });
  const file = await files.attachBlob(
    sys,
    store,
    { id: documentId, title, secrecy: secrecyRank(form.secrecy) },
    blob,
    `${form.campaign.number}-${form.customer.code}.pdf`,
  );
  const doc = await sys.db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  try {
    await assignArchiveNo(sys, doc, today);
  } catch (err) {
    // A department without a code cannot make a 档号: the record is there, the archivist files it.
    if (!(err instanceof DomainError) || err.code !== 'department_code_missing') throw err;
  }
  await t.db
    .updateTable('survey_responses')
    .set({ document_id: documentId })
    .where('id', '=', responseId)
    .execute();
  return { documentId, file, blob };
}

/** After the commit: the form's text is extracted so that a search finds it by its words. */
export async function afterFileResponse(
  ctx: Ctx,
  store: BlobStore,
  filed: FiledResponse | null | undefined,
): Promise<void> {
  if (filed) await files.afterAttach(ctx, store, filed.blob, filed.file);
}
