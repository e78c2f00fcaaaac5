import { sql } from 'kysely';
import { secrecyFromRank } from '../../../common/enums.js';
import type { CatalogueItem } from '../../../common/schemas/lending.js';
import type { Db } from '../../db/index.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { customerVisible, documentVisible, documentWithinClearance } from '../../platform/policy/records.js';
import { matchesTerms, type QueryTerm, queryTerms, type SearchField } from '../../platform/search.js';
import * as customerRepo from '../customers/repo.js';
import { customerIndex, reader } from '../customers/service.js';
import * as documentRepo from '../documents/repo.js';
import { isDestroyed } from '../retention/destroyed-query.js';

// What may be asked for (R-P1/R-P2): the archive's catalogue, across departments, but never
// above the reader's clearance — such records cannot be requested and are not shown to pick.
// Each entry says whether the reader can already open it and whether its paper original is out.

export interface Requestable {
  targetType: 'customer' | 'document';
  targetId: string;
  label: string;
  code: string | null;
  departmentId: string | null;
  departmentName: string | null;
  /** The higher of the record's and its customer's secrecy. */
  secrecy: number;
  controlled: boolean;
  paper: boolean;
  /** Destroyed, or on a destruction register carried out: nothing to read or lend any more. */
  destroyed: boolean;
}

function customers(db: Db, actor: Actor) {
  return customerRepo
    .withDepartment(customerRepo.customersFrom(db))
    .where('c.secrecy', '<=', actor.clearance)
    .where('c.status', '!=', 'merged');
}

function documents(db: Db, actor: Actor) {
  return documentRepo
    .withNames(documentRepo.documentsFrom(db))
    .select('cu.secrecy as customer_secrecy')
    .select((eb) => sql<number>`case when ${isDestroyed(eb)} then 1 else 0 end`.as('destroyed'))
    .where(documentWithinClearance(actor));
}

const fromCustomer = (c: customerRepo.CustomerRow): Requestable => ({
  targetType: 'customer',
  targetId: c.id,
  label: `${c.archive_code} ${c.name}`,
  code: c.archive_code,
  departmentId: c.department_id,
  departmentName: c.department_name,
  secrecy: Number(c.secrecy),
  controlled: false,
  paper: true,
  destroyed: false,
});

const fromDocument = (
  d: documentRepo.DocumentRow & { customer_secrecy: number | null; destroyed: number },
): Requestable => ({
  targetType: 'document',
  targetId: d.id,
  label: d.title,
  code: d.archive_no ?? d.doc_number,
  departmentId: d.department_id,
  departmentName: d.department_name,
  secrecy: Math.max(Number(d.secrecy), Number(d.customer_secrecy ?? 0)),
  controlled: d.controlled === 1,
  paper: d.carrier !== 'electronic',
  destroyed: !!Number(d.destroyed),
});

/** The records asked for, as the requester may ask for them; absent ones are not returned.
 * Destroyed ones are, marked, so that the refusal can name them (their titles stay in the
 * catalogue's metadata for whoever is cleared for them). */
export async function resolveRequestable(
  db: Db,
  actor: Actor,
  items: { targetType: 'customer' | 'document'; targetId: string }[],
): Promise<Map<string, Requestable>> {
  const out = new Map<string, Requestable>();
  const ids = (type: string) => items.filter((i) => i.targetType === type).map((i) => i.targetId);
  const cs = ids('customer');
  const ds = ids('document');
  if (cs.length)
    for (const c of await customers(db, actor).where('c.id', 'in', cs).execute())
      out.set(`customer:${c.id}`, fromCustomer(c as customerRepo.CustomerRow));
  if (ds.length)
    for (const d of await documents(db, actor).where('d.id', 'in', ds).execute())
      out.set(`document:${d.id}`, fromDocument(d as never));
  return out;
}

/** How many index matches the catalogue reads at most for one query (in pages), so a word found
 * in the text of many records the reader cannot open does not make it read them all. */
const SCAN_MAX = 2000;

/**
 * The first `limit` index matches (newest first) the reader may be shown as found: those they
 * can open, by anything indexed; the others only by what the catalogue shows of them (R-P1) —
 * never by the extracted text of a file they cannot open, or a contact of an archive they
 * cannot read.
 */
async function firstFound<R extends { search_key: number | bigint; readable: number }>(
  page: (before: number | null, size: number) => Promise<R[]>,
  shown: (row: R) => SearchField[],
  terms: QueryTerm[],
  limit: number,
): Promise<R[]> {
  const out: R[] = [];
  const size = Math.min(200, limit * 4);
  let before: number | null = null;
  for (let scanned = 0; out.length < limit && scanned < SCAN_MAX; scanned += size) {
    const rows = await page(before, size);
    for (const r of rows)
      if (out.length < limit && (Number(r.readable) || matchesTerms(shown(r), terms))) out.push(r);
    if (rows.length < size) break;
    before = Number(rows.at(-1)?.search_key);
  }
  return out;
}

/** GET /lending/catalogue: search the catalogue for items to request. */
export async function searchCatalogue(
  ctx: Ctx,
  q: { q: string; type?: 'customer' | 'document' | undefined; limit: number },
): Promise<CatalogueItem[]> {
  authorize(ctx, 'lending.request', { type: 'access_request' });
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  const terms = queryTerms(q.q);
  const found: Requestable[] = [];
  const readable = new Set<string>();
  if (q.type !== 'document') {
    const keys = customerIndex(ctx.db).matchKeys(q.q);
    if (keys) {
      const rows = await firstFound(
        (before, size) => {
          let query = customers(ctx.db, actor)
            .where('c.search_key', 'in', keys as never)
            .select((eb) =>
              sql<number>`case when ${customerVisible(actor, r.scope, ctx.now())(eb)} then 1 else 0 end`.as(
                'readable',
              ),
            );
          if (before !== null) query = query.where('c.search_key', '<', before);
          return query.orderBy('c.search_key', 'desc').limit(size).execute();
        },
        (c) => [{ text: c.archive_code, code: true }, { text: c.name }],
        terms,
        q.limit,
      );
      for (const c of rows) {
        found.push(fromCustomer(c as unknown as customerRepo.CustomerRow));
        if (Number(c.readable)) readable.add(`customer:${c.id}`);
      }
    }
  }
  if (q.type !== 'customer') {
    const keys = documentRepo.documentIndex(ctx.db).matchKeys(q.q);
    if (keys) {
      const rows = await firstFound(
        (before, size) => {
          // A destroyed record is no longer offered (R-X4).
          let query = documents(ctx.db, actor)
            .where((eb) => eb.not(isDestroyed(eb)))
            .where('d.search_key', 'in', keys as never)
            .select((eb) =>
              sql<number>`case when ${documentVisible(actor, r.scope, ctx.now())(eb)} then 1 else 0 end`.as(
                'readable',
              ),
            );
          if (before !== null) query = query.where('d.search_key', '<', before);
          return query.orderBy('d.search_key', 'desc').limit(size).execute();
        },
        (d) => [{ text: d.title }, { text: d.doc_number, code: true }, { text: d.archive_no, code: true }],
        terms,
        q.limit,
      );
      for (const d of rows) {
        found.push(fromDocument(d as never));
        if (Number(d.readable)) readable.add(`document:${d.id}`);
      }
    }
  }
  const out = await outNow(
    ctx.db,
    found.map((f) => `${f.targetType}:${f.targetId}`),
  );
  return found.map((f) => ({
    targetType: f.targetType,
    targetId: f.targetId,
    label: f.label,
    code: f.code,
    departmentName: f.departmentName,
    secrecy: secrecyFromRank(f.secrecy),
    controlled: f.controlled,
    readable: readable.has(`${f.targetType}:${f.targetId}`),
    out: out.has(`${f.targetType}:${f.targetId}`),
    paper: f.paper,
  }));
}

/** Which of the given items (`type:id`) are out on a physical loan now. */
export async function outNow(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('loans').select('out_key').where('out_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.out_key as string));
}

export function assertFound(
  found: Map<string, Requestable>,
  items: { targetType: string; targetId: string }[],
): void {
  const missing = items.findIndex((i) => !found.has(`${i.targetType}:${i.targetId}`));
  if (missing >= 0) throw new DomainError('not_found', 404, {}, `items.${missing}.targetId`);
  const gone = items.findIndex((i) => found.get(`${i.targetType}:${i.targetId}`)?.destroyed);
  if (gone >= 0) {
    const label = found.get(`${items[gone]?.targetType}:${items[gone]?.targetId}`)?.label;
    throw new DomainError('item_destroyed', 422, { label }, `items.${gone}.targetId`);
  }
}
