import type { CreditSettings } from '../../../common/schemas/credit.js';
import type { Db } from '../../db/index.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { type ActorScope, customerVisible } from '../../platform/policy/records.js';
import type { CreditResource } from '../../platform/policy/rules.js';
import { ownersOf } from '../customers/repo.js';
import { orderReader, seesPrices } from '../orders/access.js';
import { loadCreditSettings } from './config.js';

// Who a reader is for credit (R-A4): the customer's credit is seen wherever the archive is
// (`customerVisible`); amounts only by whom the orders' price settings allow (orders/access.ts
// `orderReader` and `seesPrices`: the price roles and departments, and the archive's owners).

export interface CreditReader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
  today: string;
  settings: CreditSettings;
  /** Every customer's amounts are shown to this reader (orders' priceRoles/priceDepartments). */
  amountsAll: boolean;
  /** For `seesPrices`. */
  order: Awaited<ReturnType<typeof orderReader>>;
}

export async function creditReader(ctx: Ctx): Promise<CreditReader> {
  const order = await orderReader(ctx);
  const settings = await loadCreditSettings(ctx.db);
  return {
    ctx: order.ctx,
    scope: order.scope,
    today: order.today,
    settings,
    amountsAll: order.pricesVisible,
    order,
  };
}

/** SQL on `customers as c`: the reader sees the archive. */
export function visibleCustomer(r: CreditReader) {
  return customerVisible(r.ctx.actor, r.scope, r.ctx.now());
}

export interface CreditCustomer {
  id: string;
  name: string;
  archive_code: string;
  department_id: string;
  secrecy: number;
  status: string;
  credit_class: string | null;
  staff_count: number | null;
  first_purchase_date: string | null;
  ownerIds: string[];
}

/** The archive's columns credit reads (customers aliased `c`). */
export const CUSTOMER_COLUMNS = [
  'c.id',
  'c.name',
  'c.archive_code',
  'c.department_id',
  'c.secrecy',
  'c.status',
  'c.credit_class',
  'c.staff_count',
  'c.first_purchase_date',
] as const;

/** The archive as the reader sees it (404 otherwise), with its owners. */
export async function loadCustomer(r: CreditReader, id: string, db: Db = r.ctx.db): Promise<CreditCustomer> {
  const row = await db
    .selectFrom('customers as c')
    .select(CUSTOMER_COLUMNS)
    .where('c.id', '=', id)
    .where('c.status', '!=', 'merged')
    .where(visibleCustomer(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  const owners = ((await ownersOf(db, [id])).get(id) ?? []).map((o) => o.id);
  return { ...row, secrecy: Number(row.secrecy), ownerIds: owners };
}

/** The reader sees this customer's amounts. */
export function seesAmounts(r: CreditReader, c: Pick<CreditCustomer, 'ownerIds'>): boolean {
  return seesPrices(r.order, '', c.ownerIds);
}

export function creditResource(
  r: CreditReader,
  c: Pick<CreditCustomer, 'ownerIds' | 'department_id'>,
  extra: Pick<CreditResource, 'approverRole' | 'requester'> = {},
): CreditResource {
  return {
    owner: c.ownerIds.includes(r.ctx.actor.id),
    managesArchive: r.scope.departmentIds.includes(c.department_id),
    amounts: r.amountsAll,
    ...extra,
  };
}
