import type { Readable } from 'node:stream';
import { retentionLabel } from '../../../common/documents.js';
import { type Lang, secrecyFromRank } from '../../../common/enums.js';
import {
  APPRAISAL_DECISION_LABELS,
  DISPOSAL_COLUMNS,
  DISPOSAL_ITEM_STATUS_LABELS,
  DISPOSAL_STATUS_LABELS,
  disposalCountText,
} from '../../../common/retention.js';
import type { DocumentFile } from '../../../common/schemas/documents.js';
import type { AppraisalItem, Disposal } from '../../../common/schemas/retention.js';
import { formatDateTime } from '../../../common/time.js';
import type { AppraisalTable } from '../../db/types.js';
import type { TxCtx } from '../../platform/context.js';
import { reportPdf } from '../../platform/pdf.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { streamWorkbook } from '../../platform/xlsx.js';
import * as files from '../documents/files.js';
import * as documents from '../documents/service.js';

// The papers of appraisal and destruction: the appraisal report (鉴定报告) and the destruction
// register (销毁清册) as PDF for signing and keeping, and the register as .xlsx.

export async function storeReport(store: BlobStore, bytes: Uint8Array): Promise<StoredBlob> {
  const { Readable: R } = await import('node:stream');
  return store.put(R.from([Buffer.from(bytes)]));
}

/**
 * Files a paper of appraisal or destruction as a permanent record (档案鉴定与销毁记录, 永久) with
 * its PDF, in the caller's transaction. The caller runs `files.afterAttach` after the commit.
 */
export async function fileReport(
  t: TxCtx,
  store: BlobStore,
  paper: {
    title: string;
    number: string;
    responsibleParty: string;
    secrecy: number;
    remarks: string;
    issueDate: string | null;
    departmentId?: string | undefined;
    blob: StoredBlob;
    fileName: string;
  },
): Promise<{ documentId: string; file: DocumentFile }> {
  const documentId = await documents.registerPaper(t, {
    title: paper.title,
    docNumber: paper.number,
    responsibleParty: paper.responsibleParty,
    source: 'internal',
    category: 'archive_work',
    carrier: 'electronic',
    secrecy: secrecyFromRank(paper.secrecy),
    secrecyTerm: null,
    retention: 'Y',
    lifeEndDate: null,
    location: null,
    pages: null,
    changesInternal: null,
    customerAuthorizedBy: null,
    customerAuthorizedOn: null,
    productionUse: false,
    remarks: paper.remarks,
    versionLabel: null,
    issueDate: paper.issueDate,
    receivedDate: null,
    customerId: null,
    departmentId: paper.departmentId,
  });
  const file = await files.attachBlob(
    t,
    store,
    { id: documentId, title: paper.title, secrecy: paper.secrecy },
    paper.blob,
    paper.fileName,
  );
  return { documentId, file };
}

const date = (iso: string | null) => (iso ? formatDateTime(iso).slice(0, 16) : '');

export async function appraisalReport(input: {
  appraisal: AppraisalTable;
  members: { userId: string; name: string; departmentName: string | null; side: 'archive' | 'business' }[];
  items: AppraisalItem[];
  concludedOn: string;
  by: string;
}): Promise<Uint8Array> {
  const { appraisal: a, members, items } = input;
  const keep = items.filter((i) => i.outcome === 'keep').length;
  const destroy = items.filter((i) => i.outcome === 'destroy').length;
  const side = (s: 'archive' | 'business') => (s === 'archive' ? '档案部门' : '业务部门');
  return reportPdf({
    title: '档案鉴定报告',
    meta: [
      `鉴定编号：${a.number}    名称：${a.title}`,
      `开始：${date(a.created_at)}    结束：${input.concludedOn}    结束人：${input.by}`,
      `鉴定小组：${members.map((m) => `${m.name}（${side(m.side)}${m.departmentName ? `·${m.departmentName}` : ''}）`).join('、')}`,
      ...(a.note ? [`说明：${a.note}`] : []),
    ],
    columns: [
      { header: '序号', width: 4, align: 'right' },
      { header: '档号', width: 14 },
      { header: '文号', width: 11 },
      { header: '题名', width: 24 },
      { header: '年度', width: 5, align: 'center' },
      { header: '原保管期限', width: 8 },
      { header: '到期日期', width: 8 },
      { header: '鉴定结论', width: 7 },
      { header: '新保管期限', width: 10 },
      { header: '理由', width: 16 },
    ],
    rows: items.map((i) => [
      String(i.seq),
      i.archiveNo ?? '',
      i.docNumber ?? '',
      i.title,
      i.recordYear ? String(i.recordYear) : '',
      retentionLabel(i.retention, 'zh'),
      i.due ?? '',
      i.outcome ? APPRAISAL_DECISION_LABELS[i.outcome].zh : '',
      i.outcome === 'keep' && i.newRetention
        ? `${retentionLabel(i.newRetention, 'zh')}${i.newDue ? `（至 ${i.newDue}）` : ''}`
        : '',
      i.reason ?? '',
    ]),
    after: [
      {
        heading: '鉴定结论',
        lines: [`共鉴定 ${items.length} 件：继续保存 ${keep} 件，拟销毁 ${destroy} 件。`],
      },
      {
        heading: '鉴定小组成员意见',
        lines: members.map((m) => {
          const mine = items.flatMap((i) => i.opinions.filter((o) => o.userId === m.userId));
          const last =
            mine
              .map((o) => o.at)
              .sort()
              .at(-1) ?? null;
          const d = mine.filter((o) => o.decision === 'destroy').length;
          return `${m.name}（${side(m.side)}）：同意销毁 ${d} 件，继续保存 ${mine.length - d} 件；电子签署于 ${date(last)}`;
        }),
      },
      {
        heading: '决定规则',
        lines: [
          '全体成员一致同意销毁的，列入销毁清册，经负责人签批并监销后方可销毁；其余继续保存，保管期限取成员提出的最长期限，自鉴定之年的次年1月1日起算。',
        ],
      },
    ],
    footer: `客档 Kedang · ${a.number}`,
  });
}

const cells = (d: Disposal, lang: Lang) =>
  d.items.map((i, n) => ({
    index: n + 1,
    archiveNo: i.archiveNo ?? '',
    docNumber: i.docNumber ?? '',
    responsibleParty: i.responsibleParty ?? '',
    title: i.title,
    dateFormed: i.dateFormed ?? String(i.recordYear),
    retention: retentionLabel(i.retention, lang),
    yearsKept: i.yearsKept ?? '',
    destructionDate: i.destructionDate ?? '',
    status: i.blockedReason
      ? `${DISPOSAL_ITEM_STATUS_LABELS[i.status][lang]}：${i.blockedReason}`
      : i.heldReason
        ? `${DISPOSAL_ITEM_STATUS_LABELS[i.status][lang]}（${lang === 'zh' ? '冻结中' : 'on hold'}：${i.heldReason}）`
        : DISPOSAL_ITEM_STATUS_LABELS[i.status][lang],
  }));

function signatureLines(d: Disposal): string[] {
  const lines = d.steps.map((s) =>
    s.signature
      ? `${s.label}：${s.signature.userName}  ${s.signature.decision === 'approve' ? '同意' : '不同意'}${s.signature.opinion ? `（${s.signature.opinion}）` : ''}  ${date(s.signature.signedAt)}`
      : `${s.label}：（未签）`,
  );
  return d.rejectedReason ? [...lines, `退回理由：${d.rejectedReason}`] : lines;
}

export async function disposalPdf(d: Disposal): Promise<Uint8Array> {
  const rows = cells(d, 'zh');
  return reportPdf({
    title: '档案销毁清册',
    meta: [
      `清册编号：${d.number}    名称：${d.title}    状态：${DISPOSAL_STATUS_LABELS[d.status].zh}`,
      `编制：${d.createdBy?.name ?? ''} ${date(d.createdAt)}    销毁日期：${d.destructionDate ?? '—'}`,
      disposalCountText(d.counts, 'zh'),
      ...(d.note ? [`说明：${d.note}`] : []),
    ],
    columns: DISPOSAL_COLUMNS.map((c) => ({
      header: c.header.zh,
      width: c.width,
      ...(c.key === 'index' || c.key === 'yearsKept' ? { align: 'right' as const } : {}),
    })),
    rows: rows.map((r) => DISPOSAL_COLUMNS.map((c) => String(r[c.key as keyof typeof r] ?? ''))),
    after: [
      { heading: '负责人签批', lines: signatureLines(d) },
      {
        heading: '监销',
        lines: d.witnesses.length
          ? [
              `执行销毁：${d.executedBy?.name ?? ''} ${date(d.executedAt)}`,
              ...d.witnesses.map(
                (w) =>
                  `监销人：${w.name}  ${w.signature ? `已逐件核对并签字 ${date(w.signature.signedAt)}` : '（未签）'}`,
              ),
            ]
          : ['（尚未执行销毁）'],
      },
      { lines: ['本清册永久保存。'] },
    ],
    footer: `客档 Kedang · ${d.number}`,
  });
}

export function disposalXlsx(d: Disposal, lang: Lang): Readable {
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(lang === 'en' ? 'Destruction register' : '销毁清册');
    sheet.columns = DISPOSAL_COLUMNS.map((c) => ({ header: c.header[lang], key: c.key, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of cells(d, lang)) sheet.addRow(row).commit();
    sheet.addRow([]).commit();
    sheet.addRow([`${d.number} ${d.title}`]).commit();
    for (const line of signatureLines(d)) sheet.addRow([line]).commit();
    for (const w of d.witnesses)
      sheet.addRow([`监销人：${w.name} ${w.signature ? date(w.signature.signedAt) : '（未签）'}`]).commit();
    sheet.commit();
  });
}
