import type { Kysely } from 'kysely';

// Customer authorisation, structured secrecy terms and level changes (R-D5, R-P1, R-P10).
// - A customer document used directly for production or inspection (用于生产/检验) carries the
//   flag, and the customer's signed authorisation as a stored file beside its signatory and date.
// - 保密期限 becomes structured: a number of years from a start date, an end date, or 长期. The
//   free text of earlier releases is read once here: 「10年」「十年」, 「长期」, a date
//   (2030-12-31, 2030年12月31日, 2030.12.31); the start of a term in years is the record's issue
//   date, else its received date, else the day it was registered. What cannot be read stays in
//   `secrecy_term` as it was, shown as written, with no kind (and so on no review list).
// This migration never imports live code: the small parser below is its own.

const CN_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 「十」「十五」「二十」「三十」 and plain digits, up to 99. */
function years(text: string): number | null {
  if (/^\d{1,3}$/.test(text)) return Number(text);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return null;
  if (!m[2]) return m[1] && !m[3] ? (CN_DIGITS[m[1]] ?? null) : null;
  return (m[1] ? (CN_DIGITS[m[1]] ?? 0) : 1) * 10 + (m[3] ? (CN_DIGITS[m[3]] ?? 0) : 0);
}

function validDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function addYears(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February plus years that are not leap years: the term ends on 28 February.
  return validDate(y + n, m, d) ?? validDate(y + n, m, d - 1) ?? date;
}

type Parsed = { kind: 'long' } | { kind: 'years'; years: number } | { kind: 'until'; until: string } | null;

export function parseLegacyTerm(raw: string): Parsed {
  const text = raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^(?:保密期限|期限)[:：]?/, '')
    .replace(/^[^★]*★/, '');
  if (/^(?:长期|永久)$/.test(text)) return { kind: 'long' };
  const y = /^(.+?)年$/.exec(text);
  if (y?.[1]) {
    const n = years(y[1]);
    if (n !== null && n >= 1 && n <= 99) return { kind: 'years', years: n };
  }
  const d = /^(\d{4})(?:[-./]|年)(\d{1,2})(?:[-./]|月)(\d{1,2})日?$/.exec(text);
  if (d) {
    const until = validDate(Number(d[1]), Number(d[2]), Number(d[3]));
    if (until) return { kind: 'until', until };
  }
  return null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('documents')
    .addColumn('production_use', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('documents').addColumn('customer_authorization_sha256', 'text').execute();
  await db.schema.alterTable('documents').addColumn('customer_authorization_name', 'text').execute();
  // years: n years from `secrecy_term_from`; until: to `secrecy_term_until`; long: 长期.
  await db.schema.alterTable('documents').addColumn('secrecy_term_kind', 'text').execute();
  await db.schema.alterTable('documents').addColumn('secrecy_term_years', 'integer').execute();
  await db.schema.alterTable('documents').addColumn('secrecy_term_from', 'text').execute();
  // The last day of the term, whichever way it was given (null: 长期 or none).
  await db.schema.alterTable('documents').addColumn('secrecy_term_until', 'text').execute();
  await db.schema
    .createIndex('documents_secrecy_term_idx')
    .on('documents')
    .columns(['secrecy_term_until', 'secrecy'])
    .execute();

  // 密级变更/解除 (R-P10, 机关档案管理规定 第五十二条): a request to change a record's level (and
  // term), decided by the approver the policy names; approved, it changes the record.
  await db.schema
    .createTable('document_secrecy_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('from_level', 'integer', (c) => c.notNull())
    .addColumn('from_term', 'text')
    .addColumn('to_level', 'integer', (c) => c.notNull())
    .addColumn('to_term', 'text')
    .addColumn('to_term_kind', 'text')
    .addColumn('to_term_years', 'integer')
    .addColumn('to_term_from', 'text')
    .addColumn('to_term_until', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    // pending, approved, rejected
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema
    .createIndex('document_secrecy_changes_document_idx')
    .on('document_secrecy_changes')
    .columns(['document_id', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('document_secrecy_changes_status_idx')
    .on('document_secrecy_changes')
    .columns(['status', 'requested_at'])
    .execute();

  await readLegacyTerms(db);
}

/** Reads the free-text terms of earlier releases into the structured columns (see above). */
export async function readLegacyTerms(db: Kysely<unknown>): Promise<void> {
  const docs = db as Kysely<{
    documents: {
      id: string;
      secrecy_term: string | null;
      issue_date: string | null;
      received_date: string | null;
      created_at: string;
      secrecy_term_kind: string | null;
      secrecy_term_years: number | null;
      secrecy_term_from: string | null;
      secrecy_term_until: string | null;
    };
  }>;
  let after = '';
  for (;;) {
    const rows = await docs
      .selectFrom('documents')
      .select(['id', 'secrecy_term', 'issue_date', 'received_date', 'created_at'])
      .where('secrecy_term', 'is not', null)
      .where('secrecy_term_kind', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    for (const r of rows) {
      const parsed = parseLegacyTerm(r.secrecy_term ?? '');
      if (!parsed) continue;
      let set: Record<string, unknown>;
      if (parsed.kind === 'long') set = { secrecy_term_kind: 'long', secrecy_term: '长期' };
      else if (parsed.kind === 'until') {
        const [y, m, d] = parsed.until.split('-').map(Number);
        set = {
          secrecy_term_kind: 'until',
          secrecy_term_until: parsed.until,
          secrecy_term: `${y}年${m}月${d}日`,
        };
      } else {
        // The created_at instant is UTC; its Shanghai day is 8 hours later.
        const created = new Date(Date.parse(r.created_at) + 8 * 3600_000).toISOString().slice(0, 10);
        const from = r.issue_date ?? r.received_date ?? created;
        set = {
          secrecy_term_kind: 'years',
          secrecy_term_years: parsed.years,
          secrecy_term_from: from,
          secrecy_term_until: addYears(from, parsed.years),
          secrecy_term: `${parsed.years}年`,
        };
      }
      await docs.updateTable('documents').set(set).where('id', '=', r.id).execute();
    }
    if (rows.length < 500) break;
    after = rows.at(-1)?.id ?? after;
  }
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
