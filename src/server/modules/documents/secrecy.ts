import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { SecrecyReviewItem, SecrecyReviews } from '../../../common/schemas/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { authorize } from '../../platform/policy/index.js';
import { secrecyPageHeader, streamWorkbook } from '../../platform/xlsx.js';
import * as repo from './repo.js';
import { markOf } from './secrecy-marks.js';
import { type Reader, reader, visibleTo } from './service.js';

// The 解密/降密 review list (R-P10): a classified record whose secrecy term has ended waits here
// until its level is decided (密级变更/解除); nothing changes by itself. Records whose term ends
// within the notice period (working days of the company calendar, platform/calendar) are shown
// beside them so that the review can be prepared. Only records the reader may see are listed
// (R-P1): a record above their clearance is absent, not counted.

/** Working days before a term ends that a record shows as 即将到期. */
export const REVIEW_NOTICE_WORKING_DAYS = 20;
const MAX_ROWS = 5000;

async function window(ctx: Ctx): Promise<{ today: string; soonUntil: string }> {
  const today = todayInShanghai(ctx.now());
  const calendar = await loadCalendar(ctx);
  return { today, soonUntil: calendar.addWorkingDays(today, REVIEW_NOTICE_WORKING_DAYS) };
}

function reviewQuery(r: Reader, until: string) {
  return repo
    .withNames(repo.documentsFrom(r.ctx.db).where(visibleTo(r)))
    .where('d.secrecy', '>', 0)
    .where('d.status', '!=', 'destroyed')
    .where('d.secrecy_term_until', 'is not', null)
    .where('d.secrecy_term_until', '<=', until);
}

async function rows(ctx: Ctx) {
  const r = await reader(ctx);
  authorize(ctx, 'document.secrecy_review', { type: 'document' });
  const w = await window(ctx);
  const found = (await reviewQuery(r, w.soonUntil)
    .orderBy('d.secrecy_term_until')
    .orderBy('d.search_key')
    .limit(MAX_ROWS)
    .execute()) as repo.DocumentRow[];
  const items: SecrecyReviewItem[] = found.map((row) => ({
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
    secrecy: secrecyFromRank(Number(row.secrecy)),
    effectiveSecrecy: secrecyFromRank(Number(row.effective_secrecy)),
    secrecyTerm: row.secrecy_term,
    secrecyMark: markOf(row),
    termFrom: row.secrecy_term_from,
    termUntil: row.secrecy_term_until as string,
    state: (row.secrecy_term_until as string) <= w.today ? 'ended' : 'soon',
  }));
  const secrecy = Math.max(0, ...found.map((x) => Number(x.effective_secrecy)));
  return { ...w, items, secrecy };
}

/** The review list; reading it is audited (as secret as the most secret record listed). */
export async function secrecyReviews(ctx: Ctx): Promise<SecrecyReviews> {
  const { items, secrecy, today, soonUntil } = await rows(ctx);
  await appendAudit(ctx, {
    action: 'document.secrecy_reviews',
    targetType: 'document',
    secrecy,
    details: { ended: items.filter((i) => i.state === 'ended').length, soon: items.length },
  });
  return { items, today, soonUntil };
}

/** How many records the reader sees whose term ended (the to-do on the home page). */
export async function countEnded(ctx: Ctx): Promise<number> {
  const r = await reader(ctx);
  const row = await reviewQuery(r, todayInShanghai(ctx.now()))
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const COLUMNS: [string, string, number][] = [
  ['序号', 'No.', 6],
  ['题名', 'Title', 40],
  ['文号', 'Document number', 18],
  ['档号', 'Archive number', 24],
  ['类别', 'Category', 16],
  ['部门', 'Department', 14],
  ['密级', 'Secrecy', 10],
  ['标志', 'Mark', 18],
  ['保密期限起算', 'Term from', 14],
  ['保密期限届满', 'Term ends', 14],
  ['状态', 'State', 10],
];

function cells(items: SecrecyReviewItem[], lang: 'zh' | 'en'): (string | number | null)[][] {
  return items.map((i, n) => [
    n + 1,
    i.title,
    i.docNumber,
    i.archiveNo,
    i.categoryName,
    i.departmentName,
    SECRECY_LABELS[i.effectiveSecrecy][lang],
    i.secrecyMark,
    i.termFrom,
    i.termUntil,
    i.state === 'ended'
      ? lang === 'en'
        ? 'Term ended'
        : '已届满'
      : lang === 'en'
        ? 'Ends soon'
        : '即将届满',
  ]);
}

/** The list as .xlsx or CSV (UTF-8 with BOM); the export is audited like the list. */
export async function exportSecrecyReviews(ctx: Ctx, format: 'xlsx' | 'csv') {
  const { items, secrecy } = await rows(ctx);
  await appendAudit(ctx, {
    action: 'document.secrecy_reviews_export',
    targetType: 'document',
    secrecy,
    details: { format, rows: items.length },
  });
  const lang = ctx.lang;
  const header = COLUMNS.map(([zh, en]) => (lang === 'en' ? en : zh));
  if (format === 'csv') {
    return csvStream(
      header,
      (async function* () {
        yield cells(items, lang);
      })(),
    );
  }
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(
      lang === 'en' ? 'Secrecy review' : '解密降密审查清单',
      secrecyPageHeader(Number(secrecy ?? 0), lang),
    );
    sheet.columns = COLUMNS.map(([zh, en, width]) => ({ header: lang === 'en' ? en : zh, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of cells(items, lang)) sheet.addRow(row).commit();
  });
}
