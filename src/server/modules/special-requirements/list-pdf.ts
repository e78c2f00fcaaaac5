import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { CustomerSrList, Distribution } from '../../../common/schemas/special-requirements.js';
import { SR_ACK_KIND_LABELS } from '../../../common/special-requirements.js';
import { formatDateTime, todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { companyName } from '../../platform/organisation.js';
import { type PdfColumn, reportPdf } from '../../platform/pdf.js';
import { formPdf } from '../../platform/pdf-form.js';
import { authorizeRecord } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { afterFiling, archivingCtx, type Filed, fileGeneratedRecord } from '../documents/generated.js';
import type { SrReader } from './access.js';
import { loadSrSettings } from './config.js';
import { listResource, type RecordInput, srCustomer } from './distributions.js';
import { LIST_HEADER, type ListRow, listRows } from './list-export.js';
import * as repo from './repo.js';
import { customerList, filtered, srReader } from './service.js';

// The papers of customer special requirements (R-S3, R-L4):
// - 顾客特殊要求清单, the customer's list with the paper list's columns (A4 landscape), filed into
//   the customer's archive as a record at each list revision, the way a closed complaint's record
//   is filed (cases/archive.ts): registered by the system on behalf of quality, the PDF attached,
//   a 档号 assigned, its text extracted after the commit;
// - 培训记录, a distribution's acknowledgement record as a training record: what was distributed,
//   when and by whom, and each recipient with department, kind and date, with a column to sign.
// The company's name above the titles is the 公司名称 setting (platform/organisation.ts); the
// category the list is filed under is `sr.listArchiveCategory` (default 内部文件与记录).

export interface SrPaperSettings {
  companyName: string;
  listArchiveCategory: string;
}
export const loadPaperSettings = async (db: Db): Promise<SrPaperSettings> => ({
  listArchiveCategory: (await loadSrSettings(db)).listArchiveCategory,
  companyName: await companyName(db),
});

const LIST_COLUMNS: PdfColumn[] = LIST_HEADER.map((header, i) => ({
  header,
  width: [3, 15, 12, 6, 19, 8, 6, 12, 11, 5, 6, 5][i] ?? 6,
  ...(i === 0 ? { align: 'right' as const } : {}),
}));

export interface ListPaper {
  company: string | null;
  customer: { name: string; code: string };
  revision: number;
  /** The revision's date (YYYY-MM-DD). */
  date: string;
  rows: ListRow[];
  /** 机密 etc., printed on every page; null for 普通. */
  mark: string | null;
  note?: string | null;
}

/** 顾客特殊要求清单 as a PDF: company, customer, revision and date above the table. */
export async function srListPdf(p: ListPaper): Promise<Uint8Array> {
  return reportPdf({
    title: '顾客特殊要求清单',
    meta: [
      ...(p.company ? [p.company] : []),
      `客户：${p.customer.name}（${p.customer.code}）    版次：第 ${p.revision} 版    日期：${p.date}${p.mark ? `    密级：${p.mark}` : ''}`,
      ...(p.note ? [`修订说明：${p.note}`] : []),
    ],
    columns: LIST_COLUMNS,
    rows: p.rows,
    after: [{ lines: [`共 ${p.rows.length} 项。`, '编制：                审核：                批准：'] }],
    footer: [p.mark, p.company || '客档 Kedang', `顾客特殊要求清单 ${p.customer.code} 第 ${p.revision} 版`]
      .filter(Boolean)
      .join(' · '),
  });
}

/** 培训记录: the distribution's acknowledgement record, to print and sign. */
export async function trainingRecordPdf(
  input: RecordInput & { company: string | null; printedAt: Date },
): Promise<Uint8Array> {
  const d: Distribution = input.distribution;
  const subject = d.requirement
    ? `${d.requirement.number} ${d.requirement.title}`
    : `顾客特殊要求清单 第 ${d.listRevision ?? 0} 版`;
  const acknowledged = d.recipients.filter((x) => x.acknowledgedAt).length;
  return formPdf({
    title: '培训记录',
    ...(input.company ? { company: input.company } : {}),
    meta: {
      left: `顾客特殊要求传达 · ${d.customer.name}（${d.customer.code}）`,
      right: `打印时间：${formatDateTime(input.printedAt).slice(0, 16)}`,
    },
    mark: input.secrecyText,
    sections: [
      {
        heading: '一、培训内容',
        blocks: [
          {
            fields: [
              [{ label: '培训主题', value: `顾客特殊要求：${subject}` }],
              [
                { label: '客户', value: `${d.customer.name}（${d.customer.code}）` },
                { label: '确认方式', value: SR_ACK_KIND_LABELS[d.ackKind].zh },
              ],
              [
                { label: '日期', value: todayInShanghai(new Date(d.distributedAt)) },
                { label: '培训人/传达人', value: d.distributedBy?.name ?? '' },
              ],
              [{ label: '说明', value: d.note ?? '' }],
            ],
          },
          {
            table: {
              columns: [
                { header: '要求编号', width: 16 },
                { header: '类别', width: 10 },
                { header: '要求', width: 40 },
              ],
              rows: input.requirements.map((x) => [x.number, x.category, x.title]),
              empty: '无',
            },
          },
        ],
      },
      {
        heading: '二、参加人员及确认',
        blocks: [
          {
            table: {
              columns: [
                { header: '序号', width: 5, align: 'right' },
                { header: '姓名', width: 11 },
                { header: '部门', width: 13 },
                { header: '确认', width: 8 },
                { header: '确认日期', width: 11 },
                { header: '备注', width: 14 },
                { header: '签名', width: 13 },
              ],
              rows: d.recipients.map((x, i) => [
                String(i + 1),
                x.user.name,
                x.department?.name ?? '',
                x.kind ? SR_ACK_KIND_LABELS[x.kind].zh : '未确认',
                x.acknowledgedAt ? todayInShanghai(new Date(x.acknowledgedAt)) : '',
                x.note ?? '',
                '',
              ]),
              empty: '无',
            },
          },
          {
            fields: [
              [
                { label: '应到人数', value: String(d.recipients.length) },
                { label: '已确认', value: String(acknowledged) },
                { label: '未确认', value: String(d.pending) },
              ],
            ],
          },
        ],
      },
    ],
    runningHead: `培训记录 · ${subject}`,
    footer: `${input.company || '客档 Kedang'} · 培训记录`,
  });
}

// Filing the list at a revision ----------------------------------------------------------------

export type FiledList = Filed;

/** The list's rows as filed: every requirement in force (not withdrawn), in number order. */
async function filedRows(sys: SrReader, customerId: string): Promise<repo.RequirementRow[]> {
  return (await repo
    .withDetails(filtered(sys, { customerId }).where('r.status', '!=', 'obsolete'))
    .orderBy('r.seq')
    .limit(5000)
    .execute()) as unknown as repo.RequirementRow[];
}

/**
 * A new revision of the customer's list: the revision number goes up and the list is filed as a
 * PDF record in the customer's archive (its document id kept on the list). Quality revises.
 */
export async function reviseList(
  ctx: Ctx,
  store: BlobStore,
  customerId: string,
  input: { note: string | null },
): Promise<CustomerSrList> {
  const r = await srReader(ctx);
  const filed = await tx(r.ctx, async (t): Promise<FiledList> => {
    const c = await srCustomer(r, customerId, t.db);
    authorizeRecord(r.ctx, 'sr.revise', {
      type: 'sr_list',
      id: c.id,
      resource: await listResource(r, c, t.db),
      read: true,
      secrecy: c.secrecy,
    });
    const sysCtx = archivingCtx(t);
    const sys: SrReader = { ...r, ctx: sysCtx as SrReader['ctx'], scope: { departmentIds: [] } };
    const rows = await filedRows(sys, c.id);
    // The list's secrecy: its archive's, or a more secret requirement's on it.
    const secrecy = Math.max(c.secrecy, ...rows.map((x) => Number(x.effective_secrecy)));
    const now = nowIso(t);
    const list = await t.db
      .updateTable('sr_lists')
      .set({
        revision: (eb) => eb('revision', '+', 1),
        revised_at: now,
        revised_by: r.ctx.actor.id,
        updated_at: now,
      })
      .where('customer_id', '=', c.id)
      .returning('revision')
      .executeTakeFirst();
    // A list exists from its first requirement on: nothing in force, nothing to revise.
    if (!list || !rows.length) throw new DomainError('sr_list_empty', 409);
    const revision = Number(list.revision);
    const settings = await loadPaperSettings(t.db);
    const today = todayInShanghai(t.now());
    const mark = secrecy > 0 ? SECRECY_LABELS[secrecyFromRank(secrecy)].zh : null;
    const bytes = await srListPdf({
      company: settings.companyName || null,
      customer: { name: c.name, code: c.archive_code },
      revision,
      date: today,
      rows: await listRows(t.db, rows, 1),
      mark,
      note: input.note,
    });
    const title = `顾客特殊要求清单 ${c.archive_code} ${c.name} 第${revision}版`;
    const docNumber = `CSR-${c.archive_code}-L${String(revision).padStart(2, '0')}`;
    const filed = await fileGeneratedRecord(
      sysCtx,
      store,
      {
        bytes,
        title,
        docNumber,
        fileName: `${docNumber}.pdf`,
        customerId: c.id,
        category: settings.listArchiveCategory,
        secrecy: secrecyFromRank(secrecy),
        responsibleParty: '品质部',
        remarks: input.note ?? `共 ${rows.length} 项要求`,
        versionLabel: `第${revision}版`,
        issueDate: today,
      },
      today,
    );
    const { documentId, archiveNo } = filed;
    await t.db
      .updateTable('sr_lists')
      .set({ document_id: documentId })
      .where('customer_id', '=', c.id)
      .execute();
    await appendAudit(t, {
      action: 'sr.revise',
      targetType: 'sr_list',
      targetId: c.id,
      targetLabel: `${c.archive_code} 顾客特殊要求清单`,
      secrecy,
      details: { revision, documentId, archiveNo, requirements: rows.length, note: input.note },
    });
    return filed;
  });
  // After the commit: the record's text is extracted so that a search finds it by its words.
  await afterFiling(r.ctx, store, filed);
  return customerList(r.ctx, customerId);
}

/** The training record of a distribution, with the company's name. */
export async function recordPdf(ctx: Ctx, input: RecordInput): Promise<Uint8Array> {
  const settings = await loadPaperSettings(ctx.db);
  return trainingRecordPdf({ ...input, company: settings.companyName || null, printedAt: ctx.now() });
}
