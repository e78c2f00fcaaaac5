import { todayInShanghai } from '../../../common/time.js';
import type { Ctx, TxCtx } from '../../platform/context.js';
import { companyName } from '../../platform/organisation.js';
import type { BlobStore } from '../../platform/storage.js';
import { afterFiling, archivingCtx, type Filed, fileGeneratedRecord } from '../documents/generated.js';
import { loadCaseSettings } from './config.js';
import { caseRecordPdf } from './pdf.js';
import { findVisible, reader, recordEvent, toCase } from './service.js';

// R-Q5: a closed case is summarised and filed in the customer's archive — its 客户投诉记录表 (every
// field, the clocks and the history) as a PDF record of the configured category, with its 档号,
// searchable like any record. The system files it, on behalf of whoever closed the case: the
// record exists because the case closed, whoever may or may not file records themselves
// (documents/generated.ts).

export type Archived = Filed;

export async function archiveCase(t: TxCtx, store: BlobStore, id: string): Promise<Archived> {
  const sys = archivingCtx(t);
  const r = await reader(sys);
  const c = await toCase(r, await findVisible(r, id, t.db));
  const bytes = await caseRecordPdf(c, { printedAt: t.now(), company: await companyName(t.db) });
  const settings = await loadCaseSettings(t.db);
  const today = todayInShanghai(t.now());
  const filed = await fileGeneratedRecord(
    sys,
    store,
    {
      bytes,
      title: `${c.kind === 'complaint' ? '客户投诉记录表' : '客户服务记录表'} ${c.number} ${c.customer.name}`,
      docNumber: c.number,
      fileName: `${c.number}.pdf`,
      customerId: c.customer.id,
      category: settings.archiveCategory,
      secrecy: c.secrecy,
      responsibleParty: c.handlingDepartment?.name ?? c.department?.name ?? null,
      remarks: c.content,
      issueDate: today,
    },
    today,
  );
  await t.db.updateTable('cases').set({ document_id: filed.documentId }).where('id', '=', id).execute();
  await recordEvent(
    t,
    id,
    'archived',
    filed.archiveNo ? `档号 ${filed.archiveNo}` : '待档案管理员编档号（部门未设代码）',
  );
  return filed;
}

/** After the commit: the record's text is extracted so that a search finds it by its words. */
export async function afterArchive(ctx: Ctx, store: BlobStore, archived: Archived | null): Promise<void> {
  await afterFiling(ctx, store, archived);
}
