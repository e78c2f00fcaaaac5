import { todayInShanghai } from '../../../common/time.js';
import type { Ctx, TxCtx } from '../../platform/context.js';
import { companyName } from '../../platform/organisation.js';
import type { BlobStore } from '../../platform/storage.js';
import { afterFiling, archivingCtx, type Filed, fileGeneratedRecord } from '../documents/generated.js';
import { filledFormPdf, loadFilledForm } from './pdf.js';

// R-V3: an answered satisfaction form is filed in the customer's archive — the filled 顾客满意度
// 调查表 as a PDF record (内部文件与记录), with its 档号, searchable like any record — the way a
// closed case files its 客户投诉记录表 (cases/archive.ts). The system files it, on behalf of
// whoever recorded the answer (staff typing it in, or nobody when the customer answered by link).

/** The document category the forms are filed under (the one closed cases default to). */
export const SURVEY_ARCHIVE_CATEGORY = 'records';

export type FiledResponse = Filed;

/**
 * Inside the transaction that records the response (after its answers are inserted): renders
 * the filled form, stores the PDF, registers it as a record of the customer's archive with a
 * 档号, and sets `survey_responses.document_id`. After the commit, pass what it returns to
 * `afterFileResponse` so that the form's text is extracted for search (as cases do).
 */
export async function fileResponse(t: TxCtx, responseId: string, store: BlobStore): Promise<FiledResponse> {
  const sys = archivingCtx(t);
  const form = await loadFilledForm(t.db, responseId);
  const today = todayInShanghai(t.now());
  const bytes = await filledFormPdf(form, { company: await companyName(t.db), printedAt: t.now() });
  const filed = await fileGeneratedRecord(
    sys,
    store,
    {
      bytes,
      title: `${form.title} ${form.campaign.number} ${form.customer.name}`,
      docNumber: form.campaign.number,
      fileName: `${form.campaign.number}-${form.customer.code}.pdf`,
      customerId: form.customer.id,
      category: SURVEY_ARCHIVE_CATEGORY,
      secrecy: form.secrecy,
      responsibleParty: form.department,
      remarks: `${form.campaign.name}（${form.campaign.periodLabel}）满意度指数 ${form.index ?? '无'}`,
      issueDate: form.answeredOn <= today ? form.answeredOn : today,
    },
    today,
  );
  await t.db
    .updateTable('survey_responses')
    .set({ document_id: filed.documentId })
    .where('id', '=', responseId)
    .execute();
  return filed;
}

/** After the commit: the form's text is extracted so that a search finds it by its words. */
export async function afterFileResponse(
  ctx: Ctx,
  store: BlobStore,
  filed: FiledResponse | null | undefined,
): Promise<void> {
  await afterFiling(ctx, store, filed);
}
