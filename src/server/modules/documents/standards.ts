import type { Readable } from 'node:stream';
import { type SqlBool, sql } from 'kysely';
import {
  type ConfirmStandardInput,
  STANDARD_CHECK_OUTCOME_LABELS,
  type StandardCheck,
  type StandardCheckOutcome,
  type StandardDue,
  type StandardDueFilter,
  type StandardSettings,
} from '../../../common/schemas/standard-checks.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Actor, Ctx, TxCtx } from '../../platform/context.js';
import { nowIso, tx } from '../../platform/context.js';
import { type CsvEncoding, csvStream } from '../../platform/csv.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy/index.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import { readSettings, writeSettings } from '../../platform/settings.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import * as repo from './repo.js';
import {
  assertEditable,
  filteredDocuments,
  findVisible,
  type Reader,
  reader,
  resourceOf,
} from './service.js';

// 查新 (standards currency; 000 外来文件控制程序: 定期对产品的相关标准的版本进行核查). External standards
// and laws — the external categories that are not customer documents — are checked every
// `checkMonths` months (12 by default) from the last check, else from their receipt: a check
// confirms the edition in force (with its date), or the new edition is registered as a new
// version through the usual flow (versions.ts releaseVersion: the old one 作废, its copies
// recalled), which records the check itself. The owning department is reminded once per due date;
// the checks are the 查新记录. Both lists page by keyset and export as .xlsx and CSV; only what the
// reader sees is listed, counted or exported.

const PREFIX = 'document.standards.';
export const DEFAULT_STANDARD_SETTINGS: StandardSettings = { checkMonths: 12 };

export async function loadStandardSettings(db: Db): Promise<StandardSettings> {
  return readSettings(db, PREFIX, DEFAULT_STANDARD_SETTINGS);
}

export async function getStandardSettings(ctx: Ctx): Promise<StandardSettings> {
  authorize(ctx, 'document_config.read');
  return loadStandardSettings(ctx.db);
}

export async function putStandardSettings(ctx: Ctx, input: StandardSettings): Promise<StandardSettings> {
  authorize(ctx, 'document.configure', { type: 'document_config' });
  await tx(ctx, async (t) => {
    const before = await loadStandardSettings(t.db);
    await writeSettings(t, PREFIX, input);
    await appendAudit(t, {
      action: 'document_config.settings',
      targetType: 'document_config',
      details: { before, input },
    });
  });
  return loadStandardSettings(ctx.db);
}

/** `date` plus `months` calendar months (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The standards and laws among the documents of a query: external, not customer-supplied, current. */
function standardsOnly<Q extends repo.DocumentQuery>(q: Q): Q {
  return q
    .where('d.status', '=', 'current')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('document_categories as sk')
          .select('sk.code')
          .whereRef('sk.code', '=', 'd.category')
          .where('sk.external', '=', 1)
          .where('sk.customer_documents', '=', 0),
      ),
    ) as Q;
}

/** When a standard was last confirmed, else received, else registered. */
const BASE = sql<string>`coalesce(sc.confirmed, d.received_date, substr(d.created_at, 1, 10))`;

function withLastCheck(q: repo.DocumentQuery) {
  return q.leftJoin(
    (eb) =>
      eb
        .selectFrom('standard_checks')
        .select((e) => ['document_id', e.fn.max('checked_on').as('confirmed')])
        .groupBy('document_id')
        .as('sc'),
    (join) => join.onRef('sc.document_id', '=', 'd.id'),
  );
}

/** The standards of the 查新 list the reader sees (with the names a list shows, unless counted). */
function dueQuery(r: Reader, filter: StandardDueFilter, cutoff: string, names = true) {
  const base = filteredDocuments(r, { departmentId: filter.departmentId });
  let q = withLastCheck(standardsOnly(names ? repo.withNames(base) : base));
  if (filter.view === 'due') q = q.where(BASE, '<=', cutoff);
  return q;
}

type DueRow = repo.DocumentRow & { confirmed: string | null; base: string };

/** One keyset page of the 查新 list, earliest due first, by (base date, id). */
async function duePage(
  r: Reader,
  filter: StandardDueFilter,
  checkMonths: number,
  after: readonly [string, string] | null,
  limit: number,
): Promise<{ items: StandardDue[]; last: DueRow | undefined; more: boolean }> {
  let q = dueQuery(r, filter, addMonths(r.today, -checkMonths));
  if (after)
    q = q.where(
      sql<SqlBool>`(${BASE} > ${after[0]} or (${BASE} = ${after[0]} and ${sql.ref('d.id')} > ${after[1]}))`,
    );
  const rows = (await q
    .select(['sc.confirmed', BASE.as('base')])
    .orderBy(BASE)
    .orderBy('d.id')
    .limit(limit + 1)
    .execute()) as DueRow[];
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const items = page.map((row) => {
    const dueOn = addMonths(row.base, checkMonths);
    return {
      id: row.id,
      title: row.title,
      docNumber: row.doc_number,
      edition: row.version_label,
      categoryName: row.category_name,
      departmentId: row.department_id,
      departmentName: row.department_name,
      confirmedOn: row.confirmed ?? null,
      dueOn,
      overdue: dueOn < r.today,
    };
  });
  return { items, last: page.at(-1), more };
}

/** The 查新 list: standards due by today (or all of them), earliest due first, per department, a keyset page at a time. */
export async function standardsDue(
  ctx: Ctx,
  query: StandardDueFilter & { cursor?: string; limit: number },
): Promise<{ items: StandardDue[]; nextCursor: string | null }> {
  authorize(ctx, 'document.export', { type: 'document' });
  const r = await reader(ctx);
  const { checkMonths } = await loadStandardSettings(ctx.db);
  const after = decodeCursor(query.cursor, cursorValue.text, cursorValue.text);
  const { items, last, more } = await duePage(r, query, checkMonths, after, query.limit);
  return { items, nextCursor: more && last ? encodeCursor([last.base, last.id]) : null };
}

/**
 * 查新 to-do (我的待办): the standards of the reader's departments due by today, counted for those the
 * daily reminder tells (department managers and quality staff), within what the reader sees.
 */
export async function standardsToCheck(ctx: Ctx): Promise<number> {
  const r = await reader(ctx);
  const roles = r.ctx.actor.roles;
  if (!roles.includes('department_manager') && !roles.includes('quality')) return 0;
  if (r.scope.departmentIds.length === 0) return 0;
  const { checkMonths } = await loadStandardSettings(ctx.db);
  const row = await dueQuery(r, { view: 'due' }, addMonths(r.today, -checkMonths), false)
    .where('d.department_id', 'in', r.scope.departmentIds)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Records that a standard is still the edition in force, checked on a date. */
export async function confirmStandard(
  ctx: Ctx,
  id: string,
  input: ConfirmStandardInput,
): Promise<StandardCheck> {
  const r = await reader(ctx);
  const checkId = newId();
  await tx(ctx, async (t) => {
    const row = await findVisible(r, id, t.db);
    authorize(ctx, 'document.update', { type: 'document', id, resource: resourceOf(r, row) });
    assertEditable(row);
    const isStandard = await standardsOnly(repo.documentsFrom(t.db).where('d.id', '=', id))
      .select('d.id')
      .executeTakeFirst();
    if (!isStandard) throw new DomainError('standard_check_not_standard', 422);
    if (input.checkedOn > r.today) throw new FieldErrors([{ field: 'checkedOn', key: 'future_date' }]);
    // Checked for currency no earlier than the edition held was issued.
    if (row.issue_date && input.checkedOn < row.issue_date)
      throw new FieldErrors([{ field: 'checkedOn', key: 'date_order', params: { date: row.issue_date } }]);
    const version = await t.db
      .selectFrom('document_versions')
      .select('id')
      .where('document_id', '=', id)
      .where('status', '=', 'current')
      .executeTakeFirst();
    await insertCheck(t, {
      id: checkId,
      documentId: id,
      versionId: version?.id ?? null,
      outcome: 'current',
      checkedOn: input.checkedOn,
      note: input.note,
    });
    await appendAudit(t, {
      action: 'document.standard_check',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Number(row.effective_secrecy),
      details: {
        outcome: 'current',
        checkedOn: input.checkedOn,
        edition: row.version_label,
        note: input.note,
      },
    });
  });
  const [check] = await checkRows(r, { id: checkId }, 1);
  return check as StandardCheck;
}

async function insertCheck(
  t: TxCtx,
  c: {
    id: string;
    documentId: string;
    versionId: string | null;
    outcome: StandardCheckOutcome;
    checkedOn: string;
    note: string | null;
  },
) {
  await t.db
    .insertInto('standard_checks')
    .values({
      id: c.id,
      document_id: c.documentId,
      version_id: c.versionId,
      outcome: c.outcome,
      checked_on: c.checkedOn,
      note: c.note,
      checked_by: t.actor?.id ?? 'system',
      checked_by_name: t.actor?.name ?? '系统',
      created_at: nowIso(t),
    })
    .execute();
  // A new due date: the department is reminded again when it comes.
  await t.db.deleteFrom('standard_reminders').where('document_id', '=', c.documentId).execute();
}

/** A new version of a standard or law made current (versions.ts): the check that found it. */
export async function standardOnNewVersion(t: TxCtx, documentId: string, versionId: string, today: string) {
  const isStandard = await standardsOnly(repo.documentsFrom(t.db).where('d.id', '=', documentId))
    .select('d.id')
    .executeTakeFirst();
  if (!isStandard) return;
  await insertCheck(t, {
    id: newId(),
    documentId,
    versionId,
    outcome: 'new_edition',
    checkedOn: today,
    note: null,
  });
}

type CheckRow = repo.DocumentRow & {
  check_id: string;
  outcome: StandardCheckOutcome;
  checked_on: string;
  note: string | null;
  checked_by_name: string;
  edition: string | null;
};

/** The 查新记录: checks of the standards the reader sees, newest first by (date, id) (or one by id). */
async function checkRows(
  r: Reader,
  f: { id?: string; documentId?: string },
  limit: number,
  after: readonly [string, string] | null = null,
) {
  let q = repo
    .withNames(filteredDocuments(r, {}))
    .innerJoin('standard_checks as c', 'c.document_id', 'd.id')
    .leftJoin('document_versions as v', 'v.id', 'c.version_id')
    .select([
      'c.id as check_id',
      'c.outcome',
      'c.checked_on',
      'c.note',
      'c.checked_by_name',
      'v.label as edition',
    ]);
  if (f.id) q = q.where('c.id', '=', f.id);
  if (f.documentId) q = q.where('d.id', '=', f.documentId);
  if (after) {
    const [on, id] = after;
    q = q.where((eb) =>
      eb.or([eb('c.checked_on', '<', on), eb.and([eb('c.checked_on', '=', on), eb('c.id', '<', id)])]),
    );
  }
  const rows = (await q
    .orderBy('c.checked_on', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()) as unknown as CheckRow[];
  return rows.map(
    (row): StandardCheck => ({
      id: row.check_id,
      documentId: row.id,
      title: row.title,
      docNumber: row.doc_number,
      edition: row.edition,
      departmentName: row.department_name,
      outcome: row.outcome,
      checkedOn: row.checked_on,
      checkedBy: row.checked_by_name,
      note: row.note,
    }),
  );
}

/** The 查新记录, a keyset page at a time (of one document, or of all the reader sees). */
export async function standardChecks(
  ctx: Ctx,
  query: { documentId?: string; cursor?: string; limit: number },
): Promise<{ items: StandardCheck[]; nextCursor: string | null }> {
  authorize(ctx, 'document.export', { type: 'document' });
  const r = await reader(ctx);
  const after = decodeCursor(query.cursor, cursorValue.text, cursorValue.text);
  const rows = await checkRows(r, { documentId: query.documentId }, query.limit + 1, after);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.checkedOn, last.id]) : null,
  };
}

const RECORD_COLUMNS: [string, number][] = [
  ['序号', 6],
  ['文件名称', 36],
  ['文件编号', 20],
  ['版本', 12],
  ['归口部门', 14],
  ['查新日期', 12],
  ['查新结论', 14],
  ['查新人', 10],
  ['备注', 30],
];

const DUE_COLUMNS: [string, number][] = [
  ['序号', 6],
  ['文件名称', 36],
  ['文件编号', 20],
  ['版本', 12],
  ['类别', 14],
  ['归口部门', 14],
  ['上次查新', 12],
  ['应查日期', 12],
  ['是否逾期', 10],
];

const BATCH = 1000;
type Cells = (string | number)[];

/** A list as .xlsx or CSV, written a batch at a time as the keyset pages come. */
function sheetOf(
  name: string,
  columns: [string, number][],
  batches: () => AsyncIterable<Cells[]>,
  format: 'xlsx' | 'csv',
  encoding: CsvEncoding,
): Readable {
  if (format === 'csv')
    return csvStream(
      columns.map(([h]) => h),
      batches(),
      encoding,
    );
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = columns.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of batches()) for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  });
}

/** 查新记录 as .xlsx or CSV: the checks the reader sees, as the list shows them. */
export async function exportChecks(
  ctx: Ctx,
  format: 'xlsx' | 'csv',
  encoding: CsvEncoding = 'utf8',
): Promise<Readable> {
  authorize(ctx, 'document.export', { type: 'document' });
  const r = await reader(ctx);
  const totals = await filteredDocuments(r, {})
    .innerJoin('standard_checks as c', 'c.document_id', 'd.id')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max(documentSecrecy('d')).as('s')])
    .executeTakeFirstOrThrow();
  if (Number(totals.n) > EXPORT_MAX_ROWS)
    throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'document.export',
    targetType: 'document',
    secrecy: Number(totals.s ?? 0),
    details: { register: 'standard_checks', format, rows: Number(totals.n) },
  });
  const lang = ctx.lang;
  async function* batches(): AsyncGenerator<Cells[]> {
    let after: [string, string] | null = null;
    let index = 0;
    for (;;) {
      const rows = await checkRows(r, {}, BATCH, after);
      yield rows.map((c) => [
        ++index,
        c.title,
        c.docNumber ?? '',
        c.edition ?? '',
        c.departmentName ?? '',
        c.checkedOn,
        STANDARD_CHECK_OUTCOME_LABELS[c.outcome][lang],
        c.checkedBy,
        c.note ?? '',
      ]);
      const last = rows.at(-1);
      if (rows.length < BATCH || !last) return;
      after = [last.checkedOn, last.id];
    }
  }
  return sheetOf('查新记录', RECORD_COLUMNS, batches, format, encoding);
}

/** The 查新 list (due, or every standard) as .xlsx or CSV, with the filter of the page. */
export async function exportDue(
  ctx: Ctx,
  filter: StandardDueFilter,
  format: 'xlsx' | 'csv',
  encoding: CsvEncoding = 'utf8',
): Promise<Readable> {
  authorize(ctx, 'document.export', { type: 'document' });
  const r = await reader(ctx);
  const { checkMonths } = await loadStandardSettings(ctx.db);
  const totals = await dueQuery(r, filter, addMonths(r.today, -checkMonths), false)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max(documentSecrecy('d')).as('s')])
    .executeTakeFirstOrThrow();
  if (Number(totals.n) > EXPORT_MAX_ROWS)
    throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'document.export',
    targetType: 'document',
    secrecy: Number(totals.s ?? 0),
    details: { register: 'standards_due', format, filter: { ...filter }, rows: Number(totals.n) },
  });
  const yes = ctx.lang === 'en' ? 'Overdue' : '逾期';
  async function* batches(): AsyncGenerator<Cells[]> {
    let after: [string, string] | null = null;
    let index = 0;
    for (;;) {
      const { items, last, more } = await duePage(r, filter, checkMonths, after, BATCH);
      yield items.map((d) => [
        ++index,
        d.title,
        d.docNumber ?? '',
        d.edition ?? '',
        d.categoryName,
        d.departmentName ?? '',
        d.confirmedOn ?? '',
        d.dueOn,
        d.overdue ? yes : '',
      ]);
      if (!more || !last) return;
      after = [last.base, last.id];
    }
  }
  return sheetOf(
    filter.view === 'due' ? '查新清单' : '外来标准法规查新',
    DUE_COLUMNS,
    batches,
    format,
    encoding,
  );
}

/**
 * The daily reminder: for each owning department, the standards that came due and were not yet
 * reminded of, told to its managers and quality staff (at the level of the records it names).
 */
export async function remindStandards(
  ctx: Ctx & { actor: Actor },
): Promise<{ documents: number; departments: number }> {
  const { checkMonths } = await loadStandardSettings(ctx.db);
  const today = todayInShanghai(ctx.now());
  const cutoff = addMonths(today, -checkMonths);
  const rows = (await withLastCheck(standardsOnly(repo.documentsFrom(ctx.db)))
    .leftJoin('standard_reminders as sr', 'sr.document_id', 'd.id')
    .select(['d.id', 'd.department_id', BASE.as('base'), 'sr.due_on', documentSecrecy('d').as('secrecy')])
    .where(BASE, '<=', cutoff)
    .execute()) as {
    id: string;
    department_id: string;
    base: string;
    due_on: string | null;
    secrecy: number;
  }[];
  const fresh = rows.filter((row) => row.due_on !== addMonths(row.base, checkMonths));
  const byDepartment = new Map<string, typeof fresh>();
  for (const row of fresh)
    byDepartment.set(row.department_id, [...(byDepartment.get(row.department_id) ?? []), row]);
  await tx(ctx, async (t) => {
    for (const [departmentId, list] of byDepartment) {
      const people = await t.db
        .selectFrom('users as u')
        .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
        .select('u.id')
        .distinct()
        .where('u.active', '=', 1)
        .where('u.department_id', '=', departmentId)
        .where('ur.role', 'in', ['department_manager', 'quality'])
        .execute();
      await notify(
        t,
        people.map((p) => p.id),
        {
          kind: 'document.standard_check',
          title: `${list.length} 份外来标准、法规到期需查新`,
          body: '请核查是否仍为现行有效版本：现行的确认查新日期，已换版的登记新版本。',
          link: `/documents/standard-checks?departmentId=${departmentId}`,
          secrecy: Math.max(0, ...list.map((x) => Number(x.secrecy))),
        },
      );
      for (const row of list) {
        await t.db.deleteFrom('standard_reminders').where('document_id', '=', row.id).execute();
        await t.db
          .insertInto('standard_reminders')
          .values({ document_id: row.id, due_on: addMonths(row.base, checkMonths) })
          .execute();
      }
    }
  });
  return { documents: fresh.length, departments: byDepartment.size };
}
