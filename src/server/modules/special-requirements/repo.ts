import { sql } from 'kysely';
import { SR_STATUS_LABELS, type SrStatus } from '../../../common/special-requirements.js';
import type { Db } from '../../db/index.js';
import type { SrRequirementTable } from '../../db/types.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { requirementSecrecy } from '../../platform/policy/records.js';

// The SQL of customer special requirements; no rules here. A requirement row comes with its
// archive, the names it shows and the two counts that block 已落实 (open actions, linked
// documents whose implementing version is no longer current) as sub-selects, so a page of the
// list is one query.

/** Requirements (aliased `r`) with their customer archive (aliased `c`). */
export function requirementsFrom(db: Db) {
  return db.selectFrom('sr_requirements as r').innerJoin('customers as c', 'c.id', 'r.customer_id');
}
export type RequirementQuery = ReturnType<typeof requirementsFrom>;

/** Open actions of the requirement aliased `r`. */
export const openActionsSql = sql<number>`(select count(*) from corrective_actions sa where sa.source_type = 'special_requirement' and sa.source_id = r.id and sa.status = 'open')`;
/** Linked documents whose implementing version is not the document's current one. */
export const pendingDocumentsSql = sql<number>`(select count(*) from sr_document_links sl where sl.requirement_id = r.id and not exists (select 1 from document_versions sv where sv.id = sl.version_id and sv.status = 'current'))`;
/** Reviews asked and not yet given. */
export const missingReviewsSql = sql<number>`(select count(*) from sr_reviews sw where sw.requirement_id = r.id and sw.decision is null)`;
/** Actions past their due date (a calendar date) and still open. */
export const overdueActionsSql = (today: string) =>
  sql<number>`(select count(*) from corrective_actions sa where sa.source_type = 'special_requirement' and sa.source_id = r.id and sa.status = 'open' and sa.due_date < ${today})`;

/** Everything a summary shows, one row per requirement. */
export function withDetails(q: RequirementQuery) {
  return q
    .leftJoin('departments as od', 'od.id', 'r.owner_department_id')
    .leftJoin('users as ur', 'ur.id', 'r.receiver_id')
    .leftJoin('users as uc', 'uc.id', 'r.confirmed_by')
    .leftJoin('documents as sd', 'sd.id', 'r.source_document_id')
    .leftJoin('document_versions as sv', 'sv.id', 'r.source_version_id')
    .selectAll('r')
    .select([
      'c.name as customer_name',
      'c.archive_code as customer_code',
      'c.secrecy as customer_secrecy',
      'c.department_id as customer_department_id',
      'od.name as owner_department_name',
      'ur.name as receiver_name',
      'uc.name as confirmed_by_name',
      'sd.title as source_title',
      'sd.doc_number as source_doc_number',
      'sv.label as source_version_label',
      'sv.seq as source_version_seq',
      requirementSecrecy('r').as('effective_secrecy'),
      openActionsSql.as('open_actions'),
      pendingDocumentsSql.as('pending_documents'),
    ]);
}

export type RequirementRow = SrRequirementTable & {
  customer_name: string;
  customer_code: string;
  customer_secrecy: number;
  customer_department_id: string;
  owner_department_name: string | null;
  receiver_name: string | null;
  confirmed_by_name: string | null;
  source_title: string | null;
  source_doc_number: string | null;
  source_version_label: string | null;
  source_version_seq: number | null;
  effective_secrecy: number | string;
  open_actions: number | string;
  pending_documents: number | string;
};

/** Takes the next number of a customer's list, creating the list (next check in 12 months)
 * with its first requirement. An upsert on the list row: concurrent registrations queue on it
 * (PostgreSQL row lock, SQLite's single writer), a rolled-back one gives its number back. */
export async function nextSeq(t: TxCtx, customerId: string, nextCheckOn: string): Promise<number> {
  const now = nowIso(t);
  const row = await t.db
    .insertInto('sr_lists')
    .values({
      customer_id: customerId,
      revision: 0,
      revised_at: null,
      revised_by: null,
      next_check_on: nextCheckOn,
      last_checked_on: null,
      check_reminded_at: null,
      document_id: null,
      last_seq: 1,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('customer_id').doUpdateSet({ last_seq: sql`sr_lists.last_seq + 1`, updated_at: now }),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

export interface HistoryEntry {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  note?: string | null;
}

/** Field-by-field history of a requirement, written in the change's transaction. */
export async function writeHistory(t: TxCtx, requirementId: string, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = nowIso(t);
  await t.db
    .insertInto('sr_history')
    .values(
      entries.map((e) => ({
        id: newId(),
        requirement_id: requirementId,
        at,
        actor_id: t.actor?.id ?? null,
        actor_name: t.actor?.name ?? null,
        field: e.field,
        old_value: e.oldValue,
        new_value: e.newValue,
        note: e.note ?? null,
      })),
    )
    .execute();
}

export const statusText = (s: string | null) => (s ? (SR_STATUS_LABELS[s as SrStatus]?.zh ?? s) : null);

/** The configured categories (lookup 'sr_category', seeded with the defaults by migration 0022). */
export async function categories(db: Db): Promise<{ code: string; label: string; active: boolean }[]> {
  const rows = await db
    .selectFrom('lookups')
    .select(['code', 'label', 'active'])
    .where('list', '=', 'sr_category')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, label: r.label, active: r.active === 1 }));
}

/** Names of people, one query. */
export async function namesOf(
  db: Db,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 500)
    for (const u of await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', unique.slice(i, i + 500))
      .execute())
      out.set(u.id, u.name);
  return out;
}

export function parseParts(json: string): string[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
