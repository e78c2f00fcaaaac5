import type { Readable } from 'node:stream';
import { CARRIER_LABELS, retentionLabel } from '../../../common/documents.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { DueFilter, DueItem, ListDueQuery } from '../../../common/schemas/retention.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { authorize } from '../../platform/policy/index.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import * as documentRepo from '../documents/repo.js';
import * as documents from '../documents/service.js';
import { isHeld } from './hold-query.js';

// The appraisal list (R-X1/R-X2): records whose retention term has run out and that no open
// appraisal or pending destruction covers yet. Expiry only puts a record here; people decide.

/** Due records the reader may see, on or before `today`, with the list's filters. */
export function dueDocuments(r: documents.Reader, f: DueFilter, today: string) {
  let q = documents
    .filteredDocuments(r, { category: f.category, customerId: f.customerId, departmentId: f.departmentId })
    .where('d.retention_due', '<=', today)
    .where('d.status', '!=', 'destroyed')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('appraisal_items as ai')
            .innerJoin('appraisals as a', 'a.id', 'ai.appraisal_id')
            .select('ai.id')
            .whereRef('ai.document_id', '=', 'd.id')
            // In an open appraisal, or decided for destruction and not destroyed yet.
            .where((w) => w.or([w('a.status', '=', 'open'), w('ai.outcome', '=', 'destroy')])),
        ),
      ),
    );
  if (f.year) q = q.where('d.record_year', '=', f.year);
  return q;
}

type DueRow = documentRepo.DocumentRow & { held: number | boolean };

function toDueItem(row: DueRow): DueItem {
  return {
    id: row.id,
    title: row.title,
    docNumber: row.doc_number,
    archiveNo: row.archive_no,
    categoryName: row.category_name,
    departmentName: row.department_name,
    customer:
      row.customer_id && row.customer_code
        ? { id: row.customer_id, archiveCode: row.customer_code, name: row.customer_name ?? '' }
        : null,
    retention: row.retention,
    retentionDue: row.retention_due,
    recordYear: row.record_year === null ? null : Number(row.record_year),
    secrecy: secrecyFromRank(Number(row.secrecy)),
    effectiveSecrecy: secrecyFromRank(Number(row.effective_secrecy)),
    carrier: row.carrier as DueItem['carrier'],
    status: row.status as DueItem['status'],
    held: !!Number(row.held),
  };
}

function withHeld(q: ReturnType<typeof dueDocuments>) {
  return documentRepo.withNames(q).select((eb) => isHeld(eb).as('held'));
}

/** Oldest due first; keyset pages on (due date, search key). */
export async function listDue(
  ctx: Ctx,
  query: ListDueQuery,
): Promise<{ items: DueItem[]; nextCursor: string | null }> {
  authorize(ctx, 'retention.due', { type: 'document' });
  const r = await documents.reader(ctx);
  const after = decodeCursor(query.cursor, cursorValue.text, cursorValue.key);
  let q = dueDocuments(r, query, r.today);
  if (after) {
    const [due, key] = after;
    q = q.where((eb) =>
      eb.or([
        eb('d.retention_due', '>', due),
        eb.and([eb('d.retention_due', '=', due), eb('d.search_key', '>', key)]),
      ]),
    );
  }
  const rows = (await withHeld(q)
    .orderBy('d.retention_due')
    .orderBy('d.search_key')
    .limit(query.limit + 1)
    .execute()) as DueRow[];
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map(toDueItem),
    nextCursor: more && last ? encodeCursor([last.retention_due, Number(last.search_key)]) : null,
  };
}

export async function countDue(ctx: Ctx, f: DueFilter): Promise<number> {
  authorize(ctx, 'retention.due', { type: 'document' });
  const r = await documents.reader(ctx);
  const row = await dueDocuments(r, f, r.today)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const COLUMNS = [
  ['序号', 6],
  ['档号', 26],
  ['文号', 18],
  ['题名', 40],
  ['类别', 18],
  ['部门', 14],
  ['客户', 26],
  ['年度', 8],
  ['保管期限', 12],
  ['到期日期', 12],
  ['密级', 8],
  ['载体', 10],
  ['冻结', 8],
] as const;

/** 到期档案鉴定清单 as .xlsx: what is due, for the appraisal group to prepare. */
export async function exportDue(ctx: Ctx, f: DueFilter): Promise<Readable> {
  authorize(ctx, 'retention.due', { type: 'document' });
  const r = await documents.reader(ctx);
  const today = r.today;
  const { n, secrecy } = await dueDocuments(r, f, today)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max(documentSecrecy('d')).as('secrecy')])
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  // As secret as what it exported (R-P9): the filter may name a 机密 archive.
  await appendAudit(ctx, {
    action: 'retention.due_export',
    targetType: 'document',
    secrecy: exportSecrecy(r.ctx.actor, { ...f }, secrecy),
    details: { filter: { ...f }, rows: Number(n) },
  });
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('到期档案鉴定清单');
    sheet.columns = COLUMNS.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let index = 0;
    let after: [string, number] | null = null;
    for (;;) {
      let q = dueDocuments(r, f, today);
      if (after) {
        const [due, key] = after;
        q = q.where((eb) =>
          eb.or([
            eb('d.retention_due', '>', due),
            eb.and([eb('d.retention_due', '=', due), eb('d.search_key', '>', key)]),
          ]),
        );
      }
      const rows = (await withHeld(q)
        .orderBy('d.retention_due')
        .orderBy('d.search_key')
        .limit(1000)
        .execute()) as DueRow[];
      for (const row of rows) {
        const item = toDueItem(row);
        sheet
          .addRow([
            ++index,
            item.archiveNo ?? '',
            item.docNumber ?? '',
            item.title,
            item.categoryName,
            item.departmentName ?? '',
            item.customer ? `${item.customer.name}（${item.customer.archiveCode}）` : '',
            item.recordYear ?? '',
            retentionLabel(item.retention, 'zh'),
            item.retentionDue ?? '',
            SECRECY_LABELS[item.secrecy].zh,
            CARRIER_LABELS[item.carrier].zh,
            item.held ? '是' : '',
          ])
          .commit();
      }
      if (rows.length < 1000) break;
      const last = rows.at(-1) as DueRow;
      after = [String(last.retention_due), Number(last.search_key)];
    }
    sheet.commit();
  });
}
