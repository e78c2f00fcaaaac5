import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor, Ctx } from '../context.js';
import { SEES_ALL_CUSTOMERS } from './rules.js';

// Record-level visibility as SQL, so that lists, searches, counts and exports leave out what a
// reader may not see, in the query itself (R-P1, R-P2).

export interface ActorScope {
  /** The actor's department and every department below it. */
  departmentIds: string[];
}

/** Loads the actor's department subtree (departments are few; one recursive query). */
export async function actorScope(ctx: Ctx & { actor: Actor }): Promise<ActorScope> {
  const root = ctx.actor.departmentId;
  if (!root) return { departmentIds: [] };
  const rows = await ctx.db
    .withRecursive('tree(id)', (qb) =>
      qb
        .selectFrom('departments')
        .select('id')
        .where('id', '=', root)
        .unionAll((q) =>
          q.selectFrom('departments as d').innerJoin('tree', 'tree.id', 'd.parent_id').select('d.id'),
        ),
    )
    .selectFrom('tree')
    .select('id')
    .execute();
  return { departmentIds: rows.map((r) => r.id) };
}

export function seesAllCustomers(actor: Actor): boolean {
  return actor.roles.some((r) => SEES_ALL_CUSTOMERS.includes(r));
}

type CustomerEb = ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>;

/** A where-clause factory usable in any query that has the customers table aliased `c`. */
export type CustomerPredicate = <DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
) => Expression<SqlBool>;

/**
 * A customer archive (aliased `c`) is visible when its secrecy is within the actor's
 * clearance and the actor sees all archives (general manager, archivist), owns it, belongs to
 * its department (or one above it), or holds an unexpired access grant (personal or for
 * their department).
 */
/** Whether time-limited grants (R-P7) count: they do, except when asking whether a reader
 * would see a record without one (downloads under a grant are stamped). */
export interface VisibilityOptions {
  grants?: boolean;
}

export function customerVisible(
  actor: Actor,
  scope: ActorScope,
  now: Date,
  options: VisibilityOptions = {},
): CustomerPredicate {
  const predicate = (eb: CustomerEb): Expression<SqlBool> => {
    const clearance = eb('c.secrecy', '<=', actor.clearance);
    if (seesAllCustomers(actor)) return clearance;
    const nowIso = now.toISOString();
    // Cheapest first: most visible archives belong to the reader's departments.
    const ors: Expression<SqlBool>[] = [];
    if (scope.departmentIds.length > 0) ors.push(eb('c.department_id', 'in', scope.departmentIds));
    ors.push(
      eb.exists(
        eb
          .selectFrom('customer_owners as o')
          .select(sql`1`.as('one'))
          .whereRef('o.customer_id', '=', 'c.id')
          .where('o.user_id', '=', actor.id),
      ),
    );
    if (options.grants === false) return eb.and([clearance, eb.or(ors)]);
    ors.push(
      eb.exists(
        eb
          .selectFrom('customer_grants as g')
          .select(sql`1`.as('one'))
          .whereRef('g.customer_id', '=', 'c.id')
          .where('g.revoked_at', 'is', null)
          .where((w) => w.or([w('g.expires_at', 'is', null), w('g.expires_at', '>', nowIso)]))
          .where((w) =>
            actor.departmentId
              ? w.or([w('g.user_id', '=', actor.id), w('g.department_id', '=', actor.departmentId)])
              : w('g.user_id', '=', actor.id),
          ),
      ),
    );
    return eb.and([clearance, eb.or(ors)]);
  };
  return predicate as unknown as CustomerPredicate;
}

type DocumentEb = ExpressionBuilder<Database & { d: Database['documents'] }, 'd'>;

/**
 * A document (aliased `d`) is visible when its secrecy is within the actor's clearance, its
 * customer (if any) is too, and the actor sees all records (general manager, archivist),
 * belongs to its department (or one above it), registered it, reads a category shared across
 * the company (laws, standards, books), or may see the customer archive it belongs to.
 */
export function documentVisible(
  actor: Actor,
  scope: ActorScope,
  now: Date,
  options: VisibilityOptions = {},
): CustomerPredicate {
  const customerSeen = customerVisible(actor, scope, now, options);
  const withinClearance = documentWithinClearance(actor);
  const predicate = (eb: DocumentEb): Expression<SqlBool> => {
    const clearance = withinClearance(eb);
    if (seesAllCustomers(actor)) return clearance;
    const ors: Expression<SqlBool>[] = [];
    if (scope.departmentIds.length > 0) ors.push(eb('d.department_id', 'in', scope.departmentIds));
    ors.push(
      eb('d.created_by', '=', actor.id),
      eb.and([
        eb('d.customer_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('document_categories as k')
            .select(sql`1`.as('one'))
            .whereRef('k.code', '=', 'd.category')
            .where('k.shared', '=', 1),
        ),
      ]),
      eb.exists(
        (eb as unknown as CustomerEb)
          .selectFrom('customers as c')
          .select(sql`1`.as('one'))
          .whereRef('c.id', '=', 'd.customer_id' as never)
          .where(customerSeen as never),
      ),
    );
    if (options.grants !== false)
      ors.push(
        eb.exists(
          eb
            .selectFrom('document_grants as dg')
            .select(sql`1`.as('one'))
            .whereRef('dg.document_id', '=', 'd.id')
            .where('dg.user_id', '=', actor.id)
            .where('dg.revoked_at', 'is', null)
            .where('dg.expires_at', '>', now.toISOString()),
        ),
      );
    return eb.and([clearance, eb.or(ors)]);
  };
  return predicate as unknown as CustomerPredicate;
}

/**
 * Only the clearance part of a document's visibility (aliased `d`): its secrecy and its
 * customer's are within the actor's clearance. Registers that people sign or appraise (the
 * appraisal list, the destruction register) show their items to every reader of the register
 * under this predicate: nothing above a reader's clearance, whatever the department.
 */
export function documentWithinClearance(actor: Actor): CustomerPredicate {
  const predicate = (eb: DocumentEb): Expression<SqlBool> =>
    eb.and([
      eb('d.secrecy', '<=', actor.clearance),
      eb.or([
        eb('d.customer_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('customers as dc')
            .select(sql`1`.as('one'))
            .whereRef('dc.id', '=', 'd.customer_id')
            .where('dc.secrecy', '<=', actor.clearance),
        ),
      ]),
    ]);
  return predicate as unknown as CustomerPredicate;
}
