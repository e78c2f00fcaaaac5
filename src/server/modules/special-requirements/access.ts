import { sameDepartmentCode } from '../../../common/departments.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import {
  type ActorScope,
  actorScope,
  requirementVisible,
  srCustomerVisible,
} from '../../platform/policy/records.js';
import type { SrResource } from '../../platform/policy/rules.js';
import { ownersOf } from '../customers/repo.js';

// Who a reader is for customer special requirements, and the flags the 'sr.*' rules look at
// (policy/rules.ts `SrResource`). The special-requirements files (register, communication,
// characteristics) all build their resources here, so that one reader is judged the same way
// everywhere. Visibility itself is SQL: `requirementVisible` (a requirement aliased `r` with
// its archive `c`) and `srCustomerVisible` (a customer's list, symbols, characteristics, checks,
// distributions: the archive aliased `c`).

/** The department code whose members keep special characteristics with quality (R-S4); compared
 * without case, as the departments API stores codes in upper case. */
export const ENGINEERING_CODE = 'engineering';

export interface SrReader {
  ctx: Ctx & { actor: Actor };
  /** The actor's department and every department below it. */
  scope: ActorScope;
  /** Today in Asia/Shanghai. */
  today: string;
  /** The actor belongs to the engineering department (code 'engineering'). */
  engineering: boolean;
}

export async function srReader(ctx: Ctx): Promise<SrReader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const c = ctx as Ctx & { actor: Actor };
  const scope = await actorScope(c);
  let engineering = false;
  if (c.actor.departmentId) {
    const d = await c.db
      .selectFrom('departments')
      .select('code')
      .where('id', '=', c.actor.departmentId)
      .executeTakeFirst();
    engineering = sameDepartmentCode(d?.code, ENGINEERING_CODE);
  }
  return { ctx: c, scope, today: todayInShanghai(ctx.now()), engineering };
}

/** SQL on `sr_requirements as r` joined with `customers as c`: the reader sees the requirement. */
export function visibleRequirement(r: SrReader) {
  return requirementVisible(r.ctx.actor, r.scope, r.ctx.now());
}

/** SQL on `customers as c`: the reader sees the customer's special-requirement records. */
export function visibleSrCustomer(r: SrReader) {
  return srCustomerVisible(r.ctx.actor, r.scope, r.ctx.now());
}

/** What a resource is built from: the archive, and optionally one requirement's departments. */
export interface SrSubject {
  customerId: string;
  /** The archive's department. */
  customerDepartmentId: string;
  /** The requirement's owner department. */
  ownerDepartmentId?: string | null;
  /** The departments concerned: for sr.review the one reviewing; for sr.link / sr.raiseAction
   * every department asked to review. */
  reviewDepartmentIds?: readonly string[];
  /** The reader is a recipient of the distribution concerned. */
  recipient?: boolean;
}

/** The flags of `SrResource`, given the archive's owners (one query per call otherwise). */
export function srResourceWith(r: SrReader, s: SrSubject, ownerIds: readonly string[]): SrResource {
  const me = r.ctx.actor;
  const depts = s.reviewDepartmentIds ?? [];
  const inScope = (id: string | null | undefined) => !!id && r.scope.departmentIds.includes(id);
  return {
    owner: ownerIds.includes(me.id),
    managesArchive: inScope(s.customerDepartmentId),
    inReviewDepartment: !!me.departmentId && depts.includes(me.departmentId),
    managesReviewDepartment: depts.some((d) => inScope(d)),
    inOwnerDepartment: inScope(s.ownerDepartmentId),
    engineering: r.engineering,
    recipient: !!s.recipient,
  };
}

/** The flags of `SrResource` for one archive (and requirement): loads the archive's owners. */
export async function srResource(r: SrReader, s: SrSubject, db: Db = r.ctx.db): Promise<SrResource> {
  const owners = ((await ownersOf(db, [s.customerId])).get(s.customerId) ?? []).map((o) => o.id);
  return srResourceWith(r, s, owners);
}
