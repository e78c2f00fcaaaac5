import { type SqlBool, sql } from 'kysely';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { CaseClockTable, CaseTable } from '../../db/types.js';
import { caseSecrecy } from '../../platform/policy/records.js';
import { indexTokens, searchIndex } from '../../platform/search.js';

// The SQL of the cases module; no rules here.

/** Cases (aliased `k`) with their customer archive (`c`), the join every visibility check needs. */
export function casesFrom(db: Db) {
  return db.selectFrom('cases as k').innerJoin('customers as c', 'c.id', 'k.customer_id');
}
export type CaseQuery = ReturnType<typeof casesFrom>;

export type CaseRow = CaseTable & {
  customer_name: string;
  customer_code: string;
  effective_secrecy: number;
};

export function withCustomer<Q extends CaseQuery>(q: Q) {
  return q
    .selectAll('k')
    .select([
      'c.name as customer_name',
      'c.archive_code as customer_code',
      caseSecrecy('k').as('effective_secrecy'),
    ]);
}

export async function clocksOf(db: Db, caseIds: readonly string[]): Promise<Map<string, CaseClockTable[]>> {
  const out = new Map<string, CaseClockTable[]>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db
      .selectFrom('case_clocks')
      .selectAll()
      .where('case_id', 'in', caseIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const list = out.get(r.case_id) ?? [];
      list.push(r);
      out.set(r.case_id, list);
    }
  }
  return out;
}

/** Names of people and departments by id, for one page of rows (one query each). */
export async function namesOf(
  db: Db,
  userIds: Iterable<string | null | undefined>,
  departmentIds: Iterable<string | null | undefined> = [],
): Promise<{ users: Map<string, string>; departments: Map<string, string> }> {
  const u = [...new Set([...userIds].filter((x): x is string => !!x))];
  const d = [...new Set([...departmentIds].filter((x): x is string => !!x))];
  const users = new Map<string, string>();
  const departments = new Map<string, string>();
  for (let i = 0; i < u.length; i += 500)
    for (const r of await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', u.slice(i, i + 500))
      .execute())
      users.set(r.id, r.name);
  for (let i = 0; i < d.length; i += 500)
    for (const r of await db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('id', 'in', d.slice(i, i + 500))
      .execute())
      departments.set(r.id, r.name);
  return { users, departments };
}

export function caseIndex(db: Db) {
  return searchIndex(dialectOf(db as never), 'cases');
}

/** The words a case is found by: its number, the customer's words and demand, product and part. */
export function caseTokens(
  r: Pick<CaseTable, 'number' | 'content' | 'demand' | 'product' | 'part_number' | 'order_ref' | 'subtype'>,
): string {
  return indexTokens([
    { text: r.number, code: true },
    { text: r.content },
    { text: r.demand },
    { text: r.product },
    { text: r.part_number, code: true },
    { text: r.order_ref, code: true },
    { text: r.subtype },
  ]);
}

export async function reindexCase(db: Db, id: string): Promise<void> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  await caseIndex(db).put(db, Number(row.search_key), caseTokens(row));
}

/** SQL: the case (aliased `k`) has a clock past due that is not met. */
export function breachedClock(nowIso: string) {
  return sql<SqlBool>`exists (select 1 from case_clocks kc where kc.case_id = k.id and kc.met_at is null and kc.due_at < ${nowIso})`;
}

/** The column a list's `unset` filter looks at. */
export const UNSET_COLUMNS = {
  cause: 'k.cause_category',
  department: 'k.handling_department_id',
  product: 'k.product',
} as const;

/**
 * SQL: the case (aliased `k`) has the clock (any clock when null) in this state at `nowIso`:
 * met on time, late (met after its due time), breached (open and past due), open (not yet due).
 * The same states as `clockView` and the statistics.
 */
export function clockInState(
  clock: string | null,
  state: 'met' | 'late' | 'breached' | 'open',
  nowIso: string,
) {
  const which = clock === null ? sql`` : sql` and kc.clock = ${clock}`;
  const condition = {
    met: sql`kc.met_at is not null and kc.on_time = 1`,
    late: sql`kc.met_at is not null and kc.on_time = 0`,
    breached: sql`kc.met_at is null and kc.due_at < ${nowIso}`,
    open: sql`kc.met_at is null and kc.due_at >= ${nowIso}`,
  }[state];
  return sql<SqlBool>`exists (select 1 from case_clocks kc where kc.case_id = k.id${which} and ${condition})`;
}
