import { sql } from 'kysely';
import type { SrCheck, SrCheckResult, SrChecks } from '../../../common/schemas/special-requirements.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { addDays } from '../../platform/calendar.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { FieldErrors, type FieldProblem } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorizeRecord, can } from '../../platform/policy/index.js';
import { documentWithinClearance } from '../../platform/policy/records.js';
import { type SrReader, srReader, visibleRequirement, visibleSrCustomer } from './access.js';
import { loadSrSettings } from './config.js';
import { listResource, srCustomer } from './distributions.js';

// The yearly check of a customer's list (R-S5, 003 客户特定要求管理程序: the team confirms the
// latest versions at least once a year): per source document its requirements cite, the version
// label the customer publishes now (portal, latest mail) and the date confirmed, compared with
// our registered current version. A mismatch answers which documents need a new version
// registered in the documents module (which then marks the requirements citing them 需复核). The
// list's next check is the check date plus 12 months; reminders start 30 days before it
// (sr-notices.ts). Quality and the archive's owners check; everyone who sees the list reads it.

/** `date` plus `months` calendar months; the 29th–31st fall back to the month's last day. */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/** Version labels compare without case and white space (`Rev. B` is `rev.b`). */
export const sameVersion = (a: string | null, b: string | null) =>
  !!a && !!b && a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

/** SQL on `documents as d`: within the reader's clearance. Seeing a requirement is what lets one
 * see the title of the document it cites (quality checks every customer's list it oversees, with
 * or without the archive), so the document's clearance is the part to check (R-P9). */
const visibleDocument = (r: SrReader) => documentWithinClearance(r.ctx.actor);

/**
 * The documents the customer's requirements cite (not withdrawn), with our current version, as
 * the reader sees them: only documents they may see, cited by requirements they may see, and
 * counting only those requirements (R-P1, R-P9) — a document cited by nothing the reader sees is
 * not listed, and cannot be checked by them.
 */
async function citedSources(r: SrReader, db: Db, customerId: string) {
  const rows = await db
    .selectFrom('sr_requirements as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('documents as d', 'd.id', 'r.source_document_id')
    .select((eb) => [
      'd.id',
      'd.title',
      'd.doc_number',
      'd.version_label',
      eb.fn.countAll<number>().as('n'),
      eb
        .selectFrom('document_versions as v')
        .select('v.label')
        .whereRef('v.document_id', '=', 'd.id')
        .where('v.status', '=', 'current')
        .orderBy('v.seq', 'desc')
        .limit(1)
        .as('current_label'),
    ])
    .where('r.customer_id', '=', customerId)
    .where('r.status', '!=', 'obsolete')
    .where(visibleRequirement(r) as never)
    .where(visibleDocument(r) as never)
    .groupBy(['d.id', 'd.title', 'd.doc_number', 'd.version_label'])
    .orderBy('d.title')
    .orderBy('d.id')
    .execute();
  return rows.map((x) => ({
    document: { id: x.id, title: x.title, docNumber: x.doc_number },
    registeredVersion: x.current_label ?? x.version_label ?? null,
    requirements: Number(x.n),
  }));
}

/** The customer's checks, newest first; of each, only the documents the reader may see. */
async function checksOf(r: SrReader, db: Db, customerId: string): Promise<SrCheck[]> {
  const checks = await db
    .selectFrom('sr_checks as k')
    .leftJoin('users as u', 'u.id', 'k.checked_by')
    .select(['k.id', 'k.checked_on', 'k.checked_by', 'u.name as checked_by_name', 'k.note'])
    .where('k.customer_id', '=', customerId)
    .orderBy('k.checked_on', 'desc')
    .orderBy('k.created_at', 'desc')
    .execute();
  const sources = checks.length
    ? await db
        .selectFrom('sr_check_sources as s')
        .innerJoin('documents as d', 'd.id', 's.document_id')
        .select([
          's.check_id',
          'd.id',
          'd.title',
          'd.doc_number',
          's.published_version',
          's.registered_version',
          's.matches',
          's.confirmed_on',
        ])
        .where(
          's.check_id',
          'in',
          checks.map((k) => k.id),
        )
        .where(visibleDocument(r) as never)
        .orderBy('d.title')
        .execute()
    : [];
  return checks.map((k) => ({
    id: k.id,
    checkedOn: k.checked_on,
    checkedBy: { id: k.checked_by, name: k.checked_by_name ?? '' },
    note: k.note,
    sources: sources
      .filter((s) => s.check_id === k.id)
      .map((s) => ({
        document: { id: s.id, title: s.title, docNumber: s.doc_number },
        publishedVersion: s.published_version,
        registeredVersion: s.registered_version,
        matches: Number(s.matches) === 1,
        confirmedOn: s.confirmed_on,
      })),
  }));
}

const dueWithin = async (db: Db, today: string) => addDays(today, (await loadSrSettings(db)).remindDays);

export async function getChecks(ctx: Ctx, customerId: string): Promise<SrChecks> {
  const r = await srReader(ctx);
  const c = await srCustomer(r, customerId);
  const db = r.ctx.db;
  const list = await db
    .selectFrom('sr_lists')
    .select(['next_check_on', 'last_checked_on'])
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  const next = list?.next_check_on ?? null;
  await appendAudit(r.ctx, {
    action: 'sr.check_read',
    targetType: 'sr_list',
    targetId: customerId,
    targetLabel: `${c.archive_code} 顾客特殊要求清单`,
  });
  return {
    customerId,
    nextCheckOn: next,
    lastCheckedOn: list?.last_checked_on ?? null,
    checkDue: !!next && next <= (await dueWithin(db, r.today)),
    checkOverdue: !!next && next < r.today,
    sources: await citedSources(r, db, customerId),
    checks: await checksOf(r, db, customerId),
    can: { check: can(r.ctx.actor, 'sr.check', await listResource(r, c)) },
  };
}

export interface CheckInput {
  checkedOn: string;
  note: string | null;
  sources: { documentId: string; publishedVersion: string; confirmedOn: string }[];
}

export async function recordCheck(ctx: Ctx, customerId: string, input: CheckInput): Promise<SrCheckResult> {
  const r = await srReader(ctx);
  return tx(r.ctx, async (t) => {
    const c = await srCustomer(r, customerId, t.db);
    authorizeRecord(r.ctx, 'sr.check', {
      type: 'sr_list',
      id: c.id,
      resource: await listResource(r, c, t.db),
      read: true,
      secrecy: c.secrecy,
    });
    const cited = await citedSources(r, t.db, c.id);
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    input.sources.forEach((s, i) => {
      if (seen.has(s.documentId))
        problems.push({
          field: `sources.${i}.documentId`,
          key: 'duplicate',
          params: { value: s.documentId },
        });
      seen.add(s.documentId);
      // Only the documents the list cites are checked against the customer's versions — of
      // them, those the reader sees (one they may not see is refused as if it were not cited).
      if (!cited.some((x) => x.document.id === s.documentId))
        problems.push({ field: `sources.${i}.documentId`, key: 'option', params: { value: s.documentId } });
    });
    if (problems.length) throw new FieldErrors(problems);

    const id = newId();
    const now = nowIso(t);
    await t.db
      .insertInto('sr_checks')
      .values({
        id,
        customer_id: c.id,
        checked_on: input.checkedOn,
        checked_by: r.ctx.actor.id,
        note: input.note,
        created_at: now,
      })
      .execute();
    const results = input.sources.map((s) => {
      const ours = cited.find((x) => x.document.id === s.documentId) as (typeof cited)[number];
      return { ...s, ours, matches: sameVersion(s.publishedVersion, ours.registeredVersion) };
    });
    if (results.length)
      await t.db
        .insertInto('sr_check_sources')
        .values(
          results.map((s) => ({
            check_id: id,
            document_id: s.documentId,
            published_version: s.publishedVersion,
            registered_version: s.ours.registeredVersion,
            matches: s.matches ? 1 : 0,
            confirmed_on: s.confirmedOn,
          })),
        )
        .execute();

    // The list's dates: the latest check counts (a check entered late does not pull them back).
    const list = await t.db
      .selectFrom('sr_lists')
      .select(['last_checked_on', 'next_check_on'])
      .where('customer_id', '=', c.id)
      .executeTakeFirst();
    const latest = !list?.last_checked_on || input.checkedOn >= list.last_checked_on;
    const { checkMonths } = await loadSrSettings(t.db);
    const nextCheckOn = latest
      ? addMonths(input.checkedOn, checkMonths)
      : (list?.next_check_on ?? addMonths(input.checkedOn, checkMonths));
    if (!list)
      await t.db
        .insertInto('sr_lists')
        .values({
          customer_id: c.id,
          revision: 0,
          revised_at: null,
          revised_by: null,
          next_check_on: nextCheckOn,
          last_checked_on: input.checkedOn,
          check_reminded_at: null,
          document_id: null,
          last_seq: 0,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('customer_id').doNothing())
        .execute();
    else if (latest)
      await t.db
        .updateTable('sr_lists')
        .set({
          last_checked_on: input.checkedOn,
          next_check_on: nextCheckOn,
          check_reminded_at: null,
          updated_at: now,
        })
        .where('customer_id', '=', c.id)
        .execute();

    const mismatched = results.filter((s) => !s.matches);
    await appendAudit(t, {
      action: 'sr.check',
      targetType: 'sr_list',
      targetId: c.id,
      targetLabel: `${c.archive_code} 顾客特殊要求清单`,
      details: {
        checkId: id,
        checkedOn: input.checkedOn,
        nextCheckOn,
        sources: results.map((s) => ({
          documentId: s.documentId,
          published: s.publishedVersion,
          registered: s.ours.registeredVersion,
          matches: s.matches,
        })),
      },
    });
    const check = (await checksOf(r, t.db, c.id)).find((k) => k.id === id) as SrCheck;
    return {
      ...check,
      nextCheckOn,
      needsNewVersion: mismatched.map((s) => ({
        ...s.ours.document,
        publishedVersion: s.publishedVersion,
        registeredVersion: s.ours.registeredVersion,
      })),
    };
  });
}

/** Lists whose yearly check is due within the reminder lead (30 days by default) or overdue, of
 * active archives, that the reader may check: quality for every list it sees, an owner for their
 * archives' lists. */
function dueLists(r: SrReader, dueBy: string) {
  const actor = r.ctx.actor;
  let q = r.ctx.db
    .selectFrom('sr_lists as l')
    .innerJoin('customers as c', 'c.id', 'l.customer_id')
    .where('l.next_check_on', '<=', dueBy)
    .where('c.status', 'in', ['draft', 'filed'])
    .where(visibleSrCustomer(r));
  if (!actor.roles.includes('quality'))
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('customer_owners as o')
          .select(sql`1`.as('one'))
          .whereRef('o.customer_id', '=', 'c.id')
          .where('o.user_id', '=', actor.id),
      ),
    );
  return q;
}

/** Lists whose yearly check is due within the reminder lead or overdue that the reader may check. */
export async function checksTodo(ctx: Ctx): Promise<number> {
  if (!ctx.actor) return 0;
  const r = await srReader(ctx);
  const row = await dueLists(r, await dueWithin(r.ctx.db, r.today))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
