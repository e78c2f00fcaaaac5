import {
  COPY_MARK_LABELS,
  copyNumber,
  RECALL_STATUS_LABELS,
  secrecyText,
} from '../../../common/documents.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { FieldErrors, notFound } from '../../platform/errors.js';
import { companyName } from '../../platform/organisation.js';
import { type FormField, formPdf } from '../../platform/pdf-form.js';
import { authorize } from '../../platform/policy/index.js';
import { listCopies } from './copies.js';
import * as repo from './repo.js';
import { filteredDocuments, findVisible, reader } from './service.js';

// The paper forms the documents module replaces, printed from their records (R-L4): the
// 文件发放/回收登记表 of a document (every copy with its version, mark, recipient, who issued it
// and when, and its recall), and the 档案移交清单 of filed records chosen by the archivist (the
// 归档文件目录's columns with lines for the signatures of handover). Both carry the highest
// effective secrecy of what they name on every page; printing is audited.

const MAX_TRANSFER = 2000;

const row = (...fields: [string, string | null | undefined][]): FormField[] =>
  fields.map(([label, value]) => ({ label, value: value ?? '' }));
const day = (iso: string | null) => (iso ? formatDateTime(iso).slice(0, 10) : '');
const mark = (secrecy: number) => {
  const level = secrecyFromRank(secrecy);
  return level === 'normal' ? null : SECRECY_LABELS[level].zh;
};
const printedAt = (ctx: Ctx) => `打印时间：${formatDateTime(ctx.now().toISOString()).slice(0, 16)}`;

/** 文件发放/回收登记表 of one document, from its copies. */
export async function copiesFormPdf(
  ctx: Ctx,
  documentId: string,
): Promise<{ pdf: Uint8Array; name: string }> {
  const r = await reader(ctx);
  const doc = await findVisible(r, documentId);
  const copies = await listCopies(ctx, documentId);
  const secrecy = Number(doc.effective_secrecy);
  const title = '文件发放/回收登记表';
  const pdf = await formPdf({
    title,
    company: await companyName(ctx.db),
    meta: { left: `文件编号：${doc.doc_number ?? '—'}`, right: printedAt(ctx) },
    mark: mark(secrecy),
    sections: [
      {
        heading: '文件',
        blocks: [
          {
            fields: [
              row(['文件名称', doc.title]),
              row(
                ['文件编号', doc.doc_number],
                ['现行版本', doc.version_label ?? '—'],
                ['类别', doc.category_name],
              ),
              row(
                ['归口部门', doc.department_name],
                ['密级', secrecyText(secrecyFromRank(Number(doc.secrecy)), secrecyFromRank(secrecy), 'zh')],
                ['档号', doc.archive_no ?? '—'],
              ),
            ],
          },
        ],
      },
      {
        heading: '发放与回收',
        blocks: [
          {
            table: {
              columns: [
                { header: '份号', width: 0.6 },
                { header: '版本', width: 0.9 },
                { header: '标识', width: 0.9 },
                { header: '领用部门/人', width: 2 },
                { header: '发放日期', width: 1.2 },
                { header: '发放人', width: 0.9 },
                { header: '回收日期', width: 1.2 },
                { header: '回收人', width: 0.9 },
                { header: '状态', width: 0.9 },
                { header: '签收', width: 0.9 },
              ],
              rows: copies.map((c) => [
                copyNumber(c.copyNo),
                c.versionLabel,
                COPY_MARK_LABELS[c.versionStatus === 'obsolete' ? 'obsolete' : c.mark].zh,
                c.recipient,
                day(c.distributedAt),
                c.distributedBy ?? '',
                day(c.recalledAt),
                c.recalledBy ?? '',
                RECALL_STATUS_LABELS[c.recallStatus].zh,
                '',
              ]),
              empty: '尚未发放副本',
            },
          },
        ],
      },
    ],
    runningHead: `${title} ${doc.title}`,
    footer: `${title} · ${doc.doc_number ?? doc.title}`,
  });
  await appendAudit(ctx, {
    action: 'document.print',
    targetType: 'document',
    targetId: doc.id,
    targetLabel: doc.title,
    secrecy,
    details: { form: title, copies: copies.length },
  });
  return { pdf, name: `${title}-${doc.doc_number ?? doc.title}.pdf`.replaceAll('/', '-') };
}

/** 档案移交清单 of filed records chosen by the archivist, in 档号 order. */
export async function transferListPdf(ctx: Ctx, ids: string[]): Promise<{ pdf: Uint8Array; name: string }> {
  authorize(ctx, 'document.file', { type: 'document' });
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) throw new FieldErrors([{ field: 'ids', key: 'required' }]);
  if (wanted.length > MAX_TRANSFER)
    throw new FieldErrors([{ field: 'ids', key: 'too_many', params: { max: MAX_TRANSFER } }]);
  const r = await reader(ctx);
  const rows: repo.DocumentRow[] = [];
  for (let i = 0; i < wanted.length; i += 500)
    rows.push(
      ...((await repo
        .withNames(filteredDocuments(r, { register: 'filed' }))
        .where('d.id', 'in', wanted.slice(i, i + 500))
        .execute()) as repo.DocumentRow[]),
    );
  // A record not filed, or not visible, is refused like one that does not exist.
  if (rows.length !== wanted.length) throw notFound();
  rows.sort((a, b) => String(a.archive_no).localeCompare(String(b.archive_no)));
  const secrecy = Math.max(0, ...rows.map((d) => Number(d.effective_secrecy)));
  const pages = rows.reduce((sum, d) => sum + Number(d.pages ?? 0), 0);
  const title = '档案移交清单';
  const pdf = await formPdf({
    title,
    company: await companyName(ctx.db),
    meta: { left: `共 ${rows.length} 件，${pages} 页`, right: printedAt(ctx) },
    mark: mark(secrecy),
    sections: [
      {
        heading: '移交档案',
        blocks: [
          {
            table: {
              columns: [
                { header: '序号', width: 0.5 },
                { header: '档号', width: 3.2 },
                { header: '文号', width: 1.3 },
                { header: '责任者', width: 1 },
                { header: '题名', width: 2.2 },
                { header: '日期', width: 1.3 },
                { header: '密级', width: 0.7 },
                { header: '页数', width: 0.5 },
                { header: '备注', width: 0.7 },
              ],
              rows: rows.map((d, i) => [
                String(i + 1),
                d.archive_no ?? '',
                d.doc_number ?? '',
                d.responsible_party ?? '',
                d.title,
                (d.issue_date ?? d.received_date ?? '').replaceAll('-', ''),
                SECRECY_LABELS[secrecyFromRank(Number(d.effective_secrecy))].zh,
                d.pages === null ? '' : String(d.pages),
                d.remarks ?? '',
              ]),
            },
          },
        ],
      },
      {
        heading: '交接',
        blocks: [
          {
            fields: [
              row(
                ['移交部门', [...new Set(rows.map((d) => d.department_name ?? ''))].join('、')],
                ['移交人', ''],
              ),
              row(['接收人', ''], ['交接日期', '']),
            ],
          },
        ],
      },
    ],
    runningHead: title,
    footer: `${title} · 共 ${rows.length} 件`,
  });
  await appendAudit(ctx, {
    action: 'document.print',
    targetType: 'document',
    secrecy,
    details: { form: title, documents: rows.map((d) => d.archive_no) },
  });
  return { pdf, name: `${title}.pdf` };
}
