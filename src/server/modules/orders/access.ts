import type { OrderSettings } from '../../../common/schemas/orders.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { type ActorScope, actorScope, orderVisible } from '../../platform/policy/records.js';
import type { OrderResource } from '../../platform/policy/rules.js';
import { ownersOf } from '../customers/repo.js';
import { loadOrderSettings } from './config.js';
import { sameCode } from './repo.js';

// Who a reader is for orders: their department subtree (visibility, reviews), today, the
// settings, and whether prices are shown to them (settings `priceRoles`, `priceDepartments`; else
// only on the orders they registered or whose archive they keep).
// Visibility itself is SQL: `orderVisible` (an order aliased `o` with its archive `c`).

export interface OrderReader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
  today: string;
  settings: OrderSettings;
  /** Unit prices and amounts of every order are returned to this reader (by role or department);
   * otherwise only those of orders the reader registered or whose archive they keep. */
  pricesVisible: boolean;
  /** The reader may see prices of some orders at least (the register has an amount column). */
  somePrices: boolean;
}

/** Prices of one order: to readers who see all prices, to its registrant and to the salespeople
 * who keep its archive — not to every staff member who may see the order (a production reviewer). */
export function seesPrices(r: OrderReader, createdBy: string, ownerIds: readonly string[]): boolean {
  return r.pricesVisible || createdBy === r.ctx.actor.id || ownerIds.includes(r.ctx.actor.id);
}

/** Whether the actor sees every price and amount (orders settings `priceRoles`,
 * `priceDepartments`): also who sees sales amounts in the customer analysis. */
export async function seesAllPrices(
  ctx: Ctx & { actor: Actor },
  settings: Pick<OrderSettings, 'priceRoles' | 'priceDepartments'>,
): Promise<boolean> {
  if (ctx.actor.roles.some((r) => settings.priceRoles.includes(r))) return true;
  if (!ctx.actor.departmentId || !settings.priceDepartments.length) return false;
  const d = await ctx.db
    .selectFrom('departments')
    .select('code')
    .where('id', '=', ctx.actor.departmentId)
    .executeTakeFirst();
  return settings.priceDepartments.some((code) => sameCode(d?.code, code));
}

export async function orderReader(ctx: Ctx): Promise<OrderReader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const c = ctx as Ctx & { actor: Actor };
  const [scope, settings] = await Promise.all([actorScope(c), loadOrderSettings(c.db)]);
  const pricesVisible = await seesAllPrices(c, settings);
  const somePrices = pricesVisible || c.actor.roles.includes('staff');
  return { ctx: c, scope, today: todayInShanghai(ctx.now()), settings, pricesVisible, somePrices };
}

/** SQL on `orders as o` joined with `customers as c`: the reader sees the order. */
export function visibleOrder(r: OrderReader) {
  return orderVisible(r.ctx.actor, r.scope, r.ctx.now());
}

export interface OrderSubject {
  customerId: string;
  customerDepartmentId: string;
  createdBy?: string | null;
  /** review: the department whose review it is. */
  reviewDepartmentId?: string | null;
  signerRole?: string | null;
  /** Who submitted it for review (withdraw). */
  submittedBy?: string | null;
}

/** The flags of `OrderResource`, given the archive's owners. */
export function orderResourceWith(
  r: OrderReader,
  s: OrderSubject,
  ownerIds: readonly string[],
): OrderResource {
  const me = r.ctx.actor;
  const inScope = (id: string | null | undefined) => !!id && r.scope.departmentIds.includes(id);
  return {
    owner: ownerIds.includes(me.id),
    managesArchive: inScope(s.customerDepartmentId),
    registrant: !!s.createdBy && s.createdBy === me.id,
    inReviewDepartment:
      !!me.departmentId && !!s.reviewDepartmentId && me.departmentId === s.reviewDepartmentId,
    managesReviewDepartment: inScope(s.reviewDepartmentId),
    signerRole: s.signerRole ?? null,
    submitter: !!s.submittedBy && s.submittedBy === me.id,
  };
}

/** The flags of `OrderResource` for one archive, loading its owners. */
export async function orderResource(
  r: OrderReader,
  s: OrderSubject,
  db: Db = r.ctx.db,
): Promise<OrderResource> {
  const owners = ((await ownersOf(db, [s.customerId])).get(s.customerId) ?? []).map((o) => o.id);
  return orderResourceWith(r, s, owners);
}
