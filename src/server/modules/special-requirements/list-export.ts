import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { ACTION_STATUS_LABELS, type ActionStatus } from '../../../common/actions.js';
import type { RequirementFilter } from '../../../common/schemas/special-requirements.js';
import { SR_LIST_COLUMNS } from '../../../common/special-requirements.js';
import type { Db } from '../../db/index.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { requirementSecrecy } from '../../platform/policy/records.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import type { SrReader } from './access.js';
import * as repo from './repo.js';
import { filtered, srReader, versionName } from './service.js';

// 顾客特殊要求清单 (R-S3) as the paper list has it — 序号, 要求编号, 来源文件及条款, 类别, 要求内容,
// 适用产品, 责任部门, 落实措施, 相关文件及版本, 状态, 评审日期, 确认人 — for the .xlsx and CSV exports
// (the list's filters, only what the reader may see, by requirement number, streamed in keyset
// batches, audited as secret as the most secret row) and for the PDF filed at each list revision.

export type ExportFilter = Omit<RequirementFilter, 'cursor' | 'limit'>;
export type ListRow = string[];

const BATCH = 1000;
/** Column widths of the .xlsx, in the order of SR_LIST_COLUMNS. */
const WIDTHS = [6, 18, 30, 12, 50, 20, 12, 40, 36, 10, 12, 10];
export const LIST_HEADER = SR_LIST_COLUMNS.map((c) => c.zh);

/** The actions of the requirements (落实措施): description, owner, due date, status. */
async function actionsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('corrective_actions as a')
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .select(['a.source_id', 'a.description', 'a.due_date', 'a.status', 'u.name as owner_name'])
    .where('a.source_type', '=', 'special_requirement')
    .where('a.source_id', 'in', ids)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  for (const a of rows) {
    const status = ACTION_STATUS_LABELS[a.status as ActionStatus]?.zh ?? a.status;
    const who = [a.owner_name, `${a.due_date}前`, status].filter(Boolean).join('，');
    out.set(a.source_id, [...(out.get(a.source_id) ?? []), `${a.description}（${who}）`]);
  }
  return out;
}

/** What the reviews decided, for requirements without actions: 品质部：note. */
async function reviewsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('sr_reviews as w')
    .innerJoin('departments as dep', 'dep.id', 'w.department_id')
    .select(['w.requirement_id', 'dep.name', 'w.note'])
    .where('w.requirement_id', 'in', ids)
    .where('w.decision', '=', 'applicable')
    .where('w.note', 'is not', null)
    .orderBy('dep.name')
    .execute();
  for (const w of rows)
    out.set(w.requirement_id, [...(out.get(w.requirement_id) ?? []), `${w.name}：${w.note}`]);
  return out;
}

/** The internal documents each requirement flows into, with the implementing version. */
async function linksOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('sr_document_links as l')
    .innerJoin('documents as d', 'd.id', 'l.document_id')
    .leftJoin('document_versions as v', 'v.id', 'l.version_id')
    .select(['l.requirement_id', 'd.title', 'd.doc_number', 'v.label', 'v.seq', 'v.status'])
    .where('l.requirement_id', 'in', ids)
    .orderBy('l.linked_at')
    .execute();
  for (const l of rows) {
    const version = versionName(l.label, l.seq);
    const text = [l.doc_number, l.title, version].filter(Boolean).join(' ');
    const pending = l.status && l.status !== 'current' && l.status !== 'obsolete' ? '（未生效）' : '';
    const old = l.status === 'obsolete' ? '（已作废）' : '';
    out.set(l.requirement_id, [...(out.get(l.requirement_id) ?? []), `${text}${pending}${old}`]);
  }
  return out;
}

/** Rows of the list (the 12 columns) for requirement rows, numbered from `start`. */
export async function listRows(db: Db, rows: repo.RequirementRow[], start: number): Promise<ListRow[]> {
  const ids = rows.map((x) => x.id);
  const [actions, reviews, links, categories] = await Promise.all([
    actionsOf(db, ids),
    reviewsOf(db, ids),
    linksOf(db, ids),
    repo.categories(db),
  ]);
  return rows.map((row, i) => {
    const source = row.source_title
      ? [
          [row.source_doc_number, row.source_title].filter(Boolean).join(' '),
          versionName(row.source_version_label, row.source_version_seq),
          row.source_clause,
        ]
          .filter(Boolean)
          .join('，')
      : (row.source_clause ?? '');
    const parts = repo.parseParts(row.part_numbers);
    const status = repo.statusText(row.status) ?? row.status;
    return [
      String(start + i),
      row.number,
      source,
      categories.find((c) => c.code === row.category)?.label ?? row.category,
      row.title === row.text ? row.text : `${row.title}：${row.text}`,
      Number(row.applies_to_all) === 1 || !parts.length ? '全部' : parts.join('、'),
      row.owner_department_name ?? '',
      (actions.get(row.id) ?? reviews.get(row.id) ?? []).join('；'),
      (links.get(row.id) ?? []).join('；'),
      Number(row.needs_recheck) === 1 ? `${status}（需复核）` : status,
      row.reviewed_on ?? '',
      row.confirmed_by_name ?? '',
    ];
  });
}

/** The rows a filter selects for the reader, a batch at a time, by requirement number. */
export async function* listBatches(r: SrReader, f: ExportFilter): AsyncGenerator<ListRow[]> {
  let after: string | null = null;
  let index = 0;
  for (;;) {
    let q = repo.withDetails(filtered(r, f));
    if (after) q = q.where('r.number', '>', after);
    const rows = (await q.orderBy('r.number').limit(BATCH).execute()) as unknown as repo.RequirementRow[];
    yield await listRows(r.ctx.db, rows, index + 1);
    index += rows.length;
    if (rows.length < BATCH) return;
    after = (rows.at(-1) as repo.RequirementRow).number;
  }
}

/** Checks the size and audits the export before any row goes out. */
async function begin(ctx: Ctx, f: ExportFilter, format: 'xlsx' | 'csv'): Promise<SrReader> {
  authorize(ctx, 'sr.export', { type: 'special_requirement' });
  const r = await srReader(ctx);
  const totals = await filtered(r, f)
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max<number>(sql<number>`${requirementSecrecy('r')}`).as('s'),
    ])
    .executeTakeFirstOrThrow();
  const n = Number(totals.n);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(r.ctx, {
    action: 'sr.export',
    targetType: 'special_requirement',
    // As secret as its most secret row, and a filter naming a customer or part is a clue too.
    secrecy: exportSecrecy(r.ctx.actor, { ...f }, totals.s),
    details: { register: '顾客特殊要求清单', format, filter: { ...f }, rows: n },
  });
  return r;
}

export async function exportList(ctx: Ctx, f: ExportFilter, format: 'xlsx' | 'csv'): Promise<Readable> {
  const r = await begin(ctx, f, format);
  if (format === 'csv') return csvStream(LIST_HEADER, listBatches(r, f));
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('顾客特殊要求清单');
    sheet.columns = LIST_HEADER.map((header, i) => ({ header, width: WIDTHS[i] ?? 12 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of listBatches(r, f))
      for (const row of rows) {
        const added = sheet.addRow(row);
        added.alignment = { vertical: 'top', wrapText: true };
        added.commit();
      }
    sheet.commit();
  });
}
