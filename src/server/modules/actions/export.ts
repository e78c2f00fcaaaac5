import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import {
  ACTION_KIND_LABELS,
  ACTION_SOURCE_LABELS,
  ACTION_STATUS_LABELS,
  type ActionKind,
  type ActionStatus,
} from '../../../common/actions.js';
import { SECRECY_LABELS } from '../../../common/enums.js';
import type { ActionFilter, CorrectiveAction } from '../../../common/schemas/actions.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { targetSecrecy } from '../../platform/policy/records.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import type * as repo from './repo.js';
import { filteredActions, toActionsPage } from './service.js';
import type { Reader } from './sources.js';

// 纠正预防措施一览表 as .xlsx and CSV: the list's filter, every column, streamed page by page so that
// memory stays flat. Only what the reader may see is exported, and the export is audited as secret
// as the most secret row it holds.

export type ExportFilter = Omit<ActionFilter, 'cursor' | 'limit'>;

const COLUMNS: [string, number][] = [
  ['序号', 6],
  ['来源', 14],
  ['来源编号', 16],
  ['客户', 24],
  ['类别', 10],
  ['措施内容', 40],
  ['责任人', 10],
  ['责任部门', 12],
  ['期限（工作日）', 10],
  ['完成期限', 12],
  ['状态', 10],
  ['是否超期', 8],
  ['完成情况', 30],
  ['完成人', 10],
  ['完成时间', 18],
  ['效果验证', 30],
  ['验证人', 10],
  ['验证时间', 18],
  ['密级', 8],
];

function cells(a: CorrectiveAction, index: number): (string | number)[] {
  return [
    index,
    ACTION_SOURCE_LABELS[a.source.type].zh,
    a.source.label,
    a.customer?.name ?? '',
    ACTION_KIND_LABELS[a.kind as ActionKind].zh,
    a.description,
    a.owner?.name ?? '',
    a.department?.name ?? '',
    a.dueDays,
    a.dueDate,
    ACTION_STATUS_LABELS[a.status as ActionStatus].zh,
    a.overdue ? '超期' : '',
    a.result ?? '',
    a.doneBy?.name ?? '',
    formatDateTime(a.doneAt),
    a.verification ?? '',
    a.verifiedBy?.name ?? '',
    formatDateTime(a.verifiedAt),
    SECRECY_LABELS[a.secrecy].zh,
  ];
}

/** Pages of the filtered actions in list order, 1000 rows at a time. */
async function* pages(r: Reader, f: ExportFilter): AsyncIterable<CorrectiveAction[]> {
  let after: [string, string] | null = null;
  for (;;) {
    let q = await filteredActions(r, f);
    if (after) {
      const [due, id] = after;
      q = q.where((eb) =>
        eb.or([eb('a.due_date', '>', due), eb.and([eb('a.due_date', '=', due), eb('a.id', '>', id)])]),
      );
    }
    const rows = (await q.orderBy('a.due_date').orderBy('a.id').limit(1000).execute()) as repo.ActionRow[];
    if (rows.length) yield await toActionsPage(r, rows);
    if (rows.length < 1000) return;
    const last = rows.at(-1) as repo.ActionRow;
    after = [last.due_date, last.id];
  }
}

/** Checks the size, audits the export (before any row goes out) and returns the reader. */
async function begin(ctx: Ctx, f: ExportFilter, format: 'xlsx' | 'csv'): Promise<Reader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const r = ctx as Reader;
  const totals = await (await filteredActions(r, f))
    .clearSelect()
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      // The export is as secret as its most secret row.
      eb.fn.max<number>(targetSecrecy(sql.lit('corrective_action'), sql.ref('a.id'))).as('s'),
    ])
    .executeTakeFirstOrThrow();
  const n = Number(totals.n);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(r, {
    action: 'action.export',
    targetType: 'corrective_action',
    secrecy: exportSecrecy(r.actor, f, totals.s),
    details: { rows: n, format, filter: f },
  });
  return r;
}

export async function exportXlsx(ctx: Ctx, f: ExportFilter): Promise<Readable> {
  const r = await begin(ctx, f, 'xlsx');
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('纠正预防措施');
    sheet.columns = COLUMNS.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let index = 0;
    for await (const page of pages(r, f)) for (const a of page) sheet.addRow(cells(a, ++index)).commit();
    sheet.commit();
  });
}

export async function exportCsv(ctx: Ctx, f: ExportFilter): Promise<Readable> {
  const r = await begin(ctx, f, 'csv');
  let index = 0;
  async function* rows() {
    for await (const page of pages(r, f)) yield page.map((a) => cells(a, ++index));
  }
  return csvStream(
    COLUMNS.map(([header]) => header),
    rows(),
  );
}
