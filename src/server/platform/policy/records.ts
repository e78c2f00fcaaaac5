import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { SECRECY_LEVELS } from '../../../common/enums.js';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/types.js';
import type { Actor, Ctx } from '../context.js';
import {
  ARCHIVE_STATS_OVERSEERS,
  SEES_ALL_CASES,
  SEES_ALL_CUSTOMERS,
  SR_OVERSEERS,
  SURVEY_MANAGERS,
} from './rules.js';
import { loadPolicySettings } from './settings.js';

// Record-level visibility as SQL, so that lists, searches, counts and exports leave out what a
// reader may not see, in the query itself (R-P1, R-P2).

export interface ActorScope {
  /** The actor's department and every department below it. */
  departmentIds: string[];
  /** R-P2 `own_department_requires_approval`: the department's customer archives (and the
   * documents in them) are not open to the actor by department alone — only to their owners,
   * the department's managers and through an approved request. */
  archivesNeedApproval?: boolean;
}

/** Loads the actor's department subtree (departments are few; one recursive query). */
export async function actorScope(ctx: Ctx & { actor: Actor }): Promise<ActorScope> {
  const root = ctx.actor.departmentId;
  if (!root) return { departmentIds: [] };
  // The department manager is the one who approves: his department stays open to him.
  const archivesNeedApproval =
    !ctx.actor.roles.includes('department_manager') &&
    !seesAllCustomers(ctx.actor) &&
    (await loadPolicySettings(ctx.db)).ownDepartmentRequiresApproval;
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
  return { departmentIds: rows.map((r) => r.id), ...(archivesNeedApproval ? { archivesNeedApproval } : {}) };
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
    if (scope.departmentIds.length > 0 && !scope.archivesNeedApproval)
      ors.push(eb('c.department_id', 'in', scope.departmentIds));
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
    // A document in a customer archive is then open as its archive is (below); others by department.
    if (scope.departmentIds.length > 0)
      ors.push(
        scope.archivesNeedApproval
          ? eb.and([eb('d.department_id', 'in', scope.departmentIds), eb('d.customer_id', 'is', null)])
          : eb('d.department_id', 'in', scope.departmentIds),
      );
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
 * Only the clearance part of a document's visibility (aliased `d`): its effective secrecy is
 * within the actor's clearance. Registers that people sign or appraise (the appraisal list, the
 * destruction register) show their items to every reader of the register under this predicate:
 * nothing above a reader's clearance, whatever the department.
 */
export function documentWithinClearance(actor: Actor): CustomerPredicate {
  // Nothing to hide from the top clearance; otherwise the document's own level first (indexable,
  // and it rules most rows out without the archive lookup), then the effective one.
  const predicate = (): Expression<SqlBool> =>
    actor.clearance >= TOP_SECRECY
      ? sql<SqlBool>`1 = 1`
      : sql<SqlBool>`(d.secrecy <= ${actor.clearance} and ${documentSecrecy('d')} <= ${actor.clearance})`;
  return predicate as unknown as CustomerPredicate;
}

// Archive statistics (篇八 第五十条) ----------------------------------------------------------------
//
// What the archive statistics count for a reader. The overseers (archivist, general manager,
// auditor) count every record within their clearance by its effective secrecy, as they follow the
// retention and lending registers; anyone else (a department or deputy general manager) counts
// what they may see without a time-limited grant — a grant to read one record does not make it
// part of what their departments hold — and the use (reads, requests) of people in their
// departments only.

export function seesAllArchiveStatistics(actor: Actor): boolean {
  return actor.roles.some((r) => ARCHIVE_STATS_OVERSEERS.includes(r));
}

/** Documents (aliased `d`) the archive statistics count for the reader. */
export function statisticsDocumentCounted(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  return seesAllArchiveStatistics(actor)
    ? documentWithinClearance(actor)
    : documentVisible(actor, scope, now, { grants: false });
}

/** Customer archives (aliased `c`) the archive statistics count for the reader. */
export function statisticsCustomerCounted(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  if (!seesAllArchiveStatistics(actor)) return customerVisible(actor, scope, now, { grants: false });
  const clearance = actor.clearance;
  return ((eb: CustomerEb) => eb('c.secrecy', '<=', clearance)) as unknown as CustomerPredicate;
}

/** The departments whose people's use the reader counts; null for all (the overseers). */
export function statisticsUseDepartments(actor: Actor, scope: ActorScope): string[] | null {
  return seesAllArchiveStatistics(actor) ? null : scope.departmentIds;
}

// Effective secrecy (R-P9) ----------------------------------------------------------------------
//
// A record is at least as secret as what it belongs to: a 普通 document in a 机密 customer archive
// is 机密 for every reader. What shows or stores something about a record — lists, counts, audit
// entries, findings, notifications, approval steps — compares the reader's clearance with the
// effective level, computed here and nowhere else. It is computed when read, from the levels as
// they are now, so raising an archive takes everything already written about its documents with
// it (audit entries cannot be rewritten: the hash chain covers their stored level).

/** The highest rank: a reader holding it is cleared for every record. */
type CaseEb = ExpressionBuilder<Database & { k: Database['cases']; c: Database['customers'] }, 'k' | 'c'>;

export function seesAllCases(actor: Actor): boolean {
  return actor.roles.some((r) => SEES_ALL_CASES.includes(r));
}

/**
 * A complaint or service request (aliased `k`, its customer archive joined as `c`) is visible
 * within the actor's clearance — by the higher of its own and its archive's secrecy — to
 * quality, the general manager and the deputy, to whoever may see its customer archive, and to
 * its handler, receiver and the departments that received or handle it (R-Q*, R-P1).
 */
export function caseVisible(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  const customerSeen = customerVisible(actor, scope, now);
  const predicate = (eb: CaseEb): Expression<SqlBool> => {
    const clearance = eb.and([
      eb('k.secrecy', '<=', actor.clearance),
      eb('c.secrecy', '<=', actor.clearance),
    ]);
    if (seesAllCases(actor)) return clearance;
    const ors: Expression<SqlBool>[] = [
      eb('k.handler_id', '=', actor.id),
      eb('k.receiver_id', '=', actor.id),
    ];
    if (scope.departmentIds.length > 0)
      ors.push(
        eb('k.handling_department_id', 'in', scope.departmentIds),
        eb('k.department_id', 'in', scope.departmentIds),
      );
    ors.push(customerSeen(eb as never));
    return eb.and([clearance, eb.or(ors)]);
  };
  return predicate as unknown as CustomerPredicate;
}

/**
 * The same visibility as `caseVisible`, written on the case (aliased `k`) alone, for a reader who
 * sees every case: then only clearance matters, and the archive's level is asked of the few
 * archives above the reader's clearance instead of joining every case to its archive (statistics
 * and counts over hundreds of thousands of cases read an index of the cases only). Nothing at all
 * for a reader cleared for every level. Null when the reader's visibility needs the archive
 * (department, owners, grants): use `caseVisible` with the join.
 */
export function caseVisibleAlone(actor: Actor): CustomerPredicate | null {
  if (!seesAllCases(actor)) return null;
  const clearance = actor.clearance;
  const predicate = (): Expression<SqlBool> =>
    clearance >= TOP_SECRECY
      ? sql<SqlBool>`1 = 1`
      : sql<SqlBool>`(k.secrecy <= ${clearance} and k.customer_id not in (select es_c.id from customers es_c where es_c.secrecy > ${clearance}))`;
  return predicate as unknown as CustomerPredicate;
}

type VisitEb = ExpressionBuilder<
  Database & { v: Database['visit_tasks']; c: Database['customers'] },
  'v' | 'c'
>;

/**
 * A visit task (aliased `v`, its customer archive joined as `c`) is visible exactly where its
 * archive is, and to its assignee within their clearance (R-V2, R-P1): the archive's secrecy is
 * the task's.
 */
export function visitVisible(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  const customerSeen = customerVisible(actor, scope, now);
  const predicate = (eb: VisitEb): Expression<SqlBool> =>
    eb.or([
      customerSeen(eb as never),
      eb.and([eb('c.secrecy', '<=', actor.clearance), eb('v.assignee_id', '=', actor.id)]),
    ]);
  return predicate as unknown as CustomerPredicate;
}

/**
 * A survey invitation or answered form (its customer archive joined as `c`) is visible where its
 * archive is (R-V3, R-P1), and to those who run surveys (quality, the general managers) on every
 * archive within their clearance — as they see every complaint: the index is over all customers.
 * Its secrecy is the archive's. The system (the customer's one-time page, daily mail jobs) acts
 * on every invitation.
 */
export function surveyVisible(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  if (actor.via === 'system') return (() => sql<SqlBool>`1 = 1`) as unknown as CustomerPredicate;
  if (actor.roles.some((r) => SURVEY_MANAGERS.includes(r))) {
    const clearance = actor.clearance;
    return ((eb: ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>) =>
      eb('c.secrecy', '<=', clearance)) as unknown as CustomerPredicate;
  }
  return customerVisible(actor, scope, now);
}

type SrEb = ExpressionBuilder<
  Database & { r: Database['sr_requirements']; c: Database['customers'] },
  'r' | 'c'
>;

/**
 * A customer special requirement (aliased `r`, its customer archive joined as `c`) is visible
 * within the actor's clearance — by the higher of its own and its archive's secrecy — to whoever
 * may see its archive, and to the people it was given to: the departments asked to review it or
 * owning it (members, and managers above them) and the recipients of a distribution of it or of
 * its whole list (R-S2, R-S3, R-P1, R-P9) — as a visit task is to its assignee.
 */
export function requirementVisible(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  const customerSeen = customerVisible(actor, scope, now);
  const predicate = (eb: SrEb): Expression<SqlBool> => {
    const clearance = eb.and([
      eb('r.secrecy', '<=', actor.clearance),
      eb('c.secrecy', '<=', actor.clearance),
    ]);
    if (seesAllCustomers(actor) || seesAllRequirements(actor)) return clearance;
    const ors: Expression<SqlBool>[] = [customerSeen(eb as never)];
    if (scope.departmentIds.length > 0)
      ors.push(
        eb('r.owner_department_id', 'in', scope.departmentIds),
        eb.exists(
          eb
            .selectFrom('sr_reviews as srv')
            .select(sql`1`.as('one'))
            .whereRef('srv.requirement_id', '=', 'r.id')
            .where('srv.department_id', 'in', scope.departmentIds),
        ),
      );
    ors.push(
      eb.exists(
        eb
          .selectFrom('sr_acknowledgements as sak')
          .innerJoin('sr_distributions as sds', 'sds.id', 'sak.distribution_id')
          .select(sql`1`.as('one'))
          .where('sak.user_id', '=', actor.id)
          .whereRef('sds.customer_id', '=', 'r.customer_id')
          .where((w) =>
            w.or([w('sds.requirement_id', 'is', null), w.eb('sds.requirement_id', '=', w.ref('r.id'))]),
          ),
      ),
    );
    return eb.and([clearance, eb.or(ors)]);
  };
  return predicate as unknown as CustomerPredicate;
}

/**
 * A customer's special-requirement records as a whole — its list, revisions, yearly checks,
 * symbols and characteristics — on the archive aliased `c`: where the archive is visible (R-P2),
 * and for quality and the general managers on every archive within their clearance. A
 * department given one requirement to review sees that requirement, not the list.
 */
export function srCustomerVisible(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  if (seesAllRequirements(actor)) {
    const clearance = actor.clearance;
    return ((eb: ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>) =>
      eb('c.secrecy', '<=', clearance)) as unknown as CustomerPredicate;
  }
  return customerVisible(actor, scope, now);
}

/** Quality keeps the customer-specific requirements matrix of every customer (IATF 16949), and
 * the general managers oversee it: within their clearance they see every list and requirement. */
export function seesAllRequirements(actor: Actor): boolean {
  return actor.roles.some((r) => SR_OVERSEERS.includes(r));
}

type OrderEb = ExpressionBuilder<Database & { o: Database['orders']; c: Database['customers'] }, 'o' | 'c'>;

/**
 * An order (aliased `o`, its customer archive joined as `c`) is visible where its archive is
 * (R-P2), and to the departments asked to review it (members, and managers above them) — as a
 * special requirement is — always within the archive's secrecy, which is the order's (R-P9).
 */
export function orderVisible(actor: Actor, scope: ActorScope, now: Date): CustomerPredicate {
  const customerSeen = customerVisible(actor, scope, now);
  const predicate = (eb: OrderEb): Expression<SqlBool> => {
    const clearance = eb('c.secrecy', '<=', actor.clearance);
    if (seesAllCustomers(actor)) return clearance;
    const ors: Expression<SqlBool>[] = [customerSeen(eb as never)];
    if (scope.departmentIds.length > 0)
      ors.push(
        eb.exists(
          eb
            .selectFrom('order_reviews as orv')
            .select(sql`1`.as('one'))
            .whereRef('orv.order_id', '=', 'o.id')
            .where('orv.department_id', 'in', scope.departmentIds),
        ),
      );
    // The departments asked to review an amendment and those its 合同更改通知单 went to (R-K4).
    if (scope.departmentIds.length > 0)
      ors.push(
        eb.exists(
          eb
            .selectFrom('order_amendment_reviews as oar')
            .select(sql`1`.as('one'))
            .whereRef('oar.order_id', '=', 'o.id')
            .where('oar.department_id', 'in', scope.departmentIds),
        ),
        eb.exists(
          eb
            .selectFrom('order_amendment_notices as oan')
            .select(sql`1`.as('one'))
            .whereRef('oan.order_id', '=', 'o.id')
            .where('oan.department_id', 'in', scope.departmentIds),
        ),
      );
    return eb.and([clearance, eb.or(ors)]);
  };
  return predicate as unknown as CustomerPredicate;
}

/** SQL: the effective secrecy of the requirement row aliased `alias` (the higher of its own and its archive's). */
export function requirementSecrecy(alias = 'r'): RawBuilder<number> {
  const own = sql.ref(`${alias}.secrecy`);
  return sql<number>`coalesce((select es_c.secrecy from customers es_c where es_c.id = ${sql.ref(`${alias}.customer_id`)} and es_c.secrecy > ${own}), ${own})`;
}

/** SQL: the effective secrecy of the case row aliased `alias` (the higher of its own and its archive's). */
export function caseSecrecy(alias = 'k'): RawBuilder<number> {
  const own = sql.ref(`${alias}.secrecy`);
  return sql<number>`coalesce((select es_c.secrecy from customers es_c where es_c.id = ${sql.ref(`${alias}.customer_id`)} and es_c.secrecy > ${own}), ${own})`;
}

export const TOP_SECRECY = SECRECY_LEVELS.length - 1;

/**
 * SQL: the effective secrecy of the document row aliased `alias` — the higher of its own level
 * and its customer archive's. One primary-key lookup, and only for documents in an archive.
 */
export function documentSecrecy(alias = 'd'): RawBuilder<number> {
  const own = sql.ref(`${alias}.secrecy`);
  return sql<number>`coalesce((select es_c.secrecy from customers es_c where es_c.id = ${sql.ref(`${alias}.customer_id`)} and es_c.secrecy > ${own}), ${own})`;
}

/** SQL: the effective secrecy of the document or customer archive a (type, id) pair names, else 0. */
export function recordSecrecy(type: Expression<unknown>, id: Expression<unknown>): RawBuilder<number> {
  return sql<number>`coalesce(case ${type}
    when 'document' then (select ${documentSecrecy('es_d')} from documents es_d where es_d.id = ${id})
    when 'customer' then (select es_k.secrecy from customers es_k where es_k.id = ${id})
    end, 0)`;
}

/** What an audit entry may name (its target type) whose secrecy is known here. */
export const SECRET_TARGETS = [
  'document',
  'customer',
  'access_request',
  'appraisal',
  'disposal',
  'case',
  'corrective_action',
  'visit_task',
  'survey_invitation',
  'survey_response',
  'special_requirement',
  'sr_list',
  'order',
] as const;

/**
 * SQL: the effective secrecy, now, of what an audit entry's target names: a document or customer
 * archive, or the most secret record an access request, appraisal batch or destruction register
 * lists (their item tables are indexed by the owner's id). Anything else is 0.
 */
export function targetSecrecy(type: Expression<unknown>, id: Expression<unknown>): RawBuilder<number> {
  const listed = (table: string, owner: string) =>
    sql`(select max(${documentSecrecy('es_d')}) from ${sql.table(table)} es_l inner join documents es_d on es_d.id = es_l.document_id where ${sql.ref(`es_l.${owner}`)} = ${id})`;
  return sql<number>`coalesce(case ${type}
    when 'document' then ${recordSecrecy(sql.lit('document'), id)}
    when 'customer' then ${recordSecrecy(sql.lit('customer'), id)}
    when 'access_request' then (select max(${recordSecrecy(sql.ref('es_i.target_type'), sql.ref('es_i.target_id'))}) from access_request_items es_i where es_i.request_id = ${id})
    when 'appraisal' then ${listed('appraisal_items', 'appraisal_id')}
    when 'disposal' then ${listed('disposal_items', 'disposal_id')}
    when 'case' then (select ${caseSecrecy('es_k')} from cases es_k where es_k.id = ${id})
    when 'visit_task' then (select es_vc.secrecy from visit_tasks es_v inner join customers es_vc on es_vc.id = es_v.customer_id where es_v.id = ${id})
    when 'survey_invitation' then (select es_sc.secrecy from survey_invitations es_si inner join customers es_sc on es_sc.id = es_si.customer_id where es_si.id = ${id})
    when 'survey_response' then (select es_sc.secrecy from survey_responses es_sr inner join customers es_sc on es_sc.id = es_sr.customer_id where es_sr.id = ${id})
    when 'corrective_action' then (select case when es_a.source_type = 'case' then (select ${caseSecrecy('es_k')} from cases es_k where es_k.id = es_a.source_id) when es_a.source_type = 'survey_response' then (select es_sc.secrecy from survey_responses es_sr inner join customers es_sc on es_sc.id = es_sr.customer_id where es_sr.id = es_a.source_id) when es_a.source_type = 'special_requirement' then (select ${requirementSecrecy('es_r')} from sr_requirements es_r where es_r.id = es_a.source_id) else es_a.secrecy end from corrective_actions es_a where es_a.id = ${id})
    when 'special_requirement' then (select ${requirementSecrecy('es_r')} from sr_requirements es_r where es_r.id = ${id})
    when 'sr_list' then ${recordSecrecy(sql.lit('customer'), id)}
    when 'order' then (select es_oc.secrecy from orders es_o inner join customers es_oc on es_oc.id = es_o.customer_id where es_o.id = ${id})
    end, 0)`;
}

/**
 * SQL predicate: the target (type and id, columns or values) is within the actor's clearance now.
 * For a reader cleared for everything it is plain true, so their queries pay nothing.
 */
export function targetWithinClearance(
  actor: Actor,
  type: Expression<unknown>,
  id: Expression<unknown>,
): RawBuilder<SqlBool> {
  if (actor.clearance >= TOP_SECRECY) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${targetSecrecy(type, id)} <= ${actor.clearance}`;
}

/** SQL predicate: the document or customer archive named by the two columns is within clearance. */
export function recordWithinClearance(
  actor: Actor,
  typeColumn: string,
  idColumn: string,
): RawBuilder<SqlBool> {
  if (actor.clearance >= TOP_SECRECY) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${recordSecrecy(sql.ref(typeColumn), sql.ref(idColumn))} <= ${actor.clearance}`;
}

/** The effective secrecy, now, of one audit target (0 for what has no secrecy). */
export async function secrecyOfTarget(db: Db, type: string, id: string): Promise<number> {
  if (!(SECRET_TARGETS as readonly string[]).includes(type)) return 0;
  const row = await db
    .selectNoFrom(targetSecrecy(sql`cast(${type} as text)`, sql`cast(${id} as text)`).as('s'))
    .executeTakeFirst();
  return Number(row?.s ?? 0);
}

/** The effective secrecy of each of the given documents (absent ids are left out). */
export async function secrecyOfDocuments(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('documents as d')
      .select(['d.id', documentSecrecy('d').as('s')])
      .where('d.id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, Number(r.s));
  }
  return out;
}
