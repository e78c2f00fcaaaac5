import type { ArchiveCheck, ArchiveGap, Document } from '../../../common/schemas/documents.js';
import { escapeRegExp } from '../../../common/text.js';
import type { Db } from '../../db/index.js';
import type { DocumentTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { nextCode } from '../../platform/numbering.js';
import { authorize } from '../../platform/policy/index.js';
import { documentSecrecy, TOP_SECRECY } from '../../platform/policy/records.js';
import { prefixPattern } from '../../platform/sql.js';
import { loadCategories, loadDocumentSettings } from './config.js';
import {
  assertEditable,
  findVisible,
  getDocument,
  reader,
  recordEvent,
  refreshRetention,
  reindex,
} from './service.js';

// 档号 (R-D7): when a record is filed it gets an archive number in the DA/T 13 item-level
// shape 全宗号-门类代码·年度-保管期限-机构代码-件号, the 件号 running per fonds, class, year,
// retention and department, taken from platform numbering (gapless, never reused). The check
// lists sequences whose issued numbers are not all on a record (漏号).

const SCOPE = 'archive_no';

/** The record's year (年度): when it was issued, else received, else filed. */
function recordYear(row: { issue_date: string | null; received_date: string | null }, today: string): string {
  return (row.issue_date ?? row.received_date ?? today).slice(0, 4);
}

/** Files a record: gives it its 档号 (unique, gapless per sequence) and records who and when. */
export async function fileDocument(ctx: Ctx, id: string): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await findVisible(r, id, t.db);
    authorize(ctx, 'document.file', { type: 'document', id });
    assertEditable(row);
    if (row.archive_no) throw new DomainError('document_filed', 409, { archiveNo: row.archive_no });
    await assignArchiveNo(t, row, r.today);
  });
  return getDocument(ctx, id);
}

/**
 * Gives a record its 档号 in the caller's transaction, after the caller's own checks: the archivist
 * filing it (above), or the system filing a paper it produced (a closed complaint's record).
 */
export async function assignArchiveNo(
  t: TxCtx,
  row: Pick<
    DocumentTable,
    'id' | 'title' | 'secrecy' | 'department_id' | 'category' | 'retention' | 'issue_date' | 'received_date'
  >,
  today: string,
): Promise<string> {
  const [settings, categories, dept] = await Promise.all([
    loadDocumentSettings(t.db),
    loadCategories(t.db),
    t.db
      .selectFrom('departments')
      .select(['name', 'code'])
      .where('id', '=', row.department_id)
      .executeTakeFirstOrThrow(),
  ]);
  if (!dept.code) throw new DomainError('department_code_missing', 422, { name: dept.name }, 'departmentId');
  const category = categories.find((c) => c.code === row.category);
  const year = recordYear(row, today);
  const archiveNo = await nextCode(t, SCOPE, settings.archiveNoPattern, {
    values: {
      fonds: settings.fondsCode,
      class: category?.archiveClass ?? 'WS',
      retention: row.retention,
      dept: dept.code,
    },
    date: `${year}-01-01`,
  });
  const now = nowIso(t);
  const by = t.actor?.id ?? 'system';
  await t.db
    .updateTable('documents')
    .set({ archive_no: archiveNo, filed_at: now, filed_by: by, updated_at: now, updated_by: by })
    .where('id', '=', row.id)
    .execute();
  await recordEvent(t, row.id, 'file', { archiveNo });
  await refreshRetention(t, [row.id]);
  await reindex(t.db, row.id);
  await appendAudit(t, {
    action: 'document.file',
    targetType: 'document',
    targetId: row.id,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: { archiveNo },
  });
  return archiveNo;
}

/**
 * Every 档号 sequence: how many 件号 were issued, how many are on a record, and which are
 * missing. The counters know what was issued; the register knows what is used. The numbers of
 * records above the reader's clearance (by their effective secrecy, R-P9) are counted neither as
 * issued nor as used, so the counts tell nothing of them, and a sequence holding only such
 * records is not listed; a missing number is on no record at all and is shown to everyone.
 */
export async function archiveCheck(ctx: Ctx): Promise<ArchiveCheck> {
  authorize(ctx, 'document.report', { type: 'document' });
  return {
    checkedAt: ctx.now().toISOString(),
    sequences: await archiveSequences(ctx.db, ctx.actor.clearance),
  };
}

/**
 * Every 档号 sequence with its issued, used and missing numbers (also the integrity check's,
 * which counts every record). With a clearance, records above it are left out of the counts.
 */
export async function archiveSequences(db: Db, clearance = TOP_SECRECY): Promise<ArchiveGap[]> {
  const counters = await db
    .selectFrom('counters')
    .select(['key', 'value'])
    .where('key', 'like', `${SCOPE}:%`)
    .orderBy('key')
    .execute();
  const sequences: ArchiveGap[] = [];
  for (const c of counters) {
    const [prefix = '', suffix = ''] = c.key.slice(SCOPE.length + 1).split('#');
    const rows = await db
      .selectFrom('documents as d')
      .select(['d.archive_no', documentSecrecy('d').as('secrecy')])
      .where('d.archive_no', 'like', prefixPattern(prefix))
      .execute();
    const shape = new RegExp(`^${escapeRegExp(prefix)}(\\d+)${escapeRegExp(suffix)}$`);
    const used = new Set<number>();
    const hidden = new Set<number>();
    for (const r of rows) {
      const m = r.archive_no?.match(shape);
      if (m) (Number(r.secrecy) > clearance ? hidden : used).add(Number(m[1]));
    }
    const issued = Number(c.value);
    const missing: number[] = [];
    for (let n = 1; n <= issued; n++) if (!used.has(n) && !hidden.has(n)) missing.push(n);
    if (used.size === 0 && missing.length === 0 && hidden.size > 0) continue;
    sequences.push({
      sequence: suffix ? `${prefix}…${suffix}` : prefix,
      issued: issued - hidden.size,
      used: used.size,
      missing,
    });
  }
  return sequences;
}
