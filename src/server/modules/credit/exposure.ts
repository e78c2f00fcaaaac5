import { type Expression, type RawBuilder, sql } from 'kysely';
import { CREDIT_LEVELS, type CreditLevel, creditLevel, yuan } from '../../../common/credit.js';
import type { CreditSettings } from '../../../common/schemas/credit.js';
import type { Db } from '../../db/index.js';
import type { CustomerCreditTable } from '../../db/types.js';
import { type Ctx, nowIso, type TxCtx } from '../../platform/context.js';
import { notify } from '../../platform/notify.js';
import { scaled } from '../orders/decimal.js';
import { openOrderAmount } from '../orders/open-amount.js';
import { managersAbove } from '../orders/workflow.js';
import { loadCreditSettings } from './config.js';

// Exposure (R-A4, seed 004 第八条: 赊销款与未结算票据余额之和): the newest dated balance of the
// customer — receivables plus unsettled bills — and, when the setting says so, what its accepted
// orders still hold. Against the limit it gives a level: ok, warn (at or past the warning share),
// over (past the limit). The owners and the managers of the archive's department are told when the
// level rises — once per crossing: the level told is kept, and falling back re-arms it.

/** SQL: receivables + unsettled bills of the newest balance of the customer (null: none). */
export function balanceSql(customerId: Expression<unknown>): RawBuilder<string | number | null> {
  return sql<
    string | number | null
  >`(select b.receivables + b.unsettled_bills from credit_balances b where b.customer_id = ${customerId} order by b.as_of desc, b.created_at desc, b.id desc limit 1)`;
}

/** SQL: the exposure of the customer as the settings define it. */
export function exposureSql(customerId: Expression<unknown>, s: CreditSettings): RawBuilder<string | number> {
  const balance = sql`coalesce(${balanceSql(customerId)}, 0)`;
  return s.includeOpenOrders
    ? sql<string | number>`(${balance} + ${openOrderAmount(customerId)})`
    : sql<string | number>`${balance}`;
}

export const toCents = (v: string | number | null | undefined): bigint | null =>
  v === null || v === undefined ? null : scaled(v, 2);

export interface CreditState {
  credit: CustomerCreditTable | null;
  limit: bigint | null;
  receivables: bigint | null;
  unsettled: bigint | null;
  open: bigint | null;
  exposure: bigint;
  asOf: string | null;
  overdueDays: number | null;
  level: CreditLevel;
}

/** The customer's credit now, exactly (one customer). */
export async function creditState(db: Db, customerId: string, s: CreditSettings): Promise<CreditState> {
  const credit =
    (await db
      .selectFrom('customer_credit')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst()) ?? null;
  const balance = await db
    .selectFrom('credit_balances')
    .select(['receivables', 'unsettled_bills', 'as_of', 'overdue_days'])
    .where('customer_id', '=', customerId)
    .orderBy('as_of', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let open: bigint | null = null;
  if (s.includeOpenOrders) {
    const row = await db.selectNoFrom(openOrderAmount(sql`${customerId}`).as('open')).executeTakeFirst();
    open = toCents(row?.open ?? 0);
  }
  const receivables = toCents(balance?.receivables);
  const unsettled = toCents(balance?.unsettled_bills);
  const exposure = (receivables ?? 0n) + (unsettled ?? 0n) + (open ?? 0n);
  const limit = toCents(credit?.credit_limit);
  return {
    credit,
    limit,
    receivables,
    unsettled,
    open,
    exposure,
    asOf: balance?.as_of ?? null,
    overdueDays: balance ? Number(balance.overdue_days) : null,
    level: creditLevel(exposure, limit, s.warnPercent),
  };
}

/** Exposure ÷ limit in per cent, one decimal (null without a limit or with a zero limit). */
export function sharePercent(exposure: bigint, limit: bigint | null): number | null {
  if (limit === null || limit === 0n) return null;
  return Number((exposure * 1000n + limit / 2n) / limit) / 10;
}

/** Makes sure the customer has its credit row (limit none, not suspended). */
export async function ensureCredit(t: TxCtx, customerId: string): Promise<void> {
  await t.db
    .insertInto('customer_credit')
    .values({
      customer_id: customerId,
      credit_limit: null,
      limit_approved_at: null,
      limit_approved_by: null,
      suspended: 0,
      suspended_at: null,
      suspended_by: null,
      suspend_reason: null,
      warning_level: null,
      warned_at: null,
      updated_at: nowIso(t),
    })
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
}

/**
 * After anything that moves the exposure or the limit: the level now against the level told. A
 * rise tells the owners and the managers of the archive's department (the share, not the amounts:
 * a notification is no place for figures a reader may not be shown); a fall re-arms the warning.
 */
export async function reassess(
  t: TxCtx,
  customer: { id: string; name: string; archive_code: string; department_id: string; secrecy: number },
  s?: CreditSettings,
): Promise<CreditLevel> {
  const settings = s ?? (await loadCreditSettings(t.db));
  const state = await creditState(t.db, customer.id, settings);
  const told = (state.credit?.warning_level as CreditLevel | null) ?? 'ok';
  if (state.level === told) return state.level;
  await ensureCredit(t, customer.id);
  const rose = CREDIT_LEVELS.indexOf(state.level) > CREDIT_LEVELS.indexOf(told);
  await t.db
    .updateTable('customer_credit')
    .set({
      warning_level: state.level === 'ok' ? null : state.level,
      warned_at: rose ? nowIso(t) : (state.credit?.warned_at ?? null),
      updated_at: nowIso(t),
    })
    .where('customer_id', '=', customer.id)
    .execute();
  if (!rose) return state.level;
  const owners = (
    await t.db
      .selectFrom('customer_owners')
      .select('user_id')
      .where('customer_id', '=', customer.id)
      .execute()
  ).map((o) => o.user_id);
  const people = [...owners, ...(await managersAbove(t.db, customer.department_id))];
  const share = sharePercent(state.exposure, state.limit);
  await notify(t, people, {
    kind: 'credit.warning',
    title:
      state.level === 'over'
        ? `客户 ${customer.name}（${customer.archive_code}）信用余额已超出信用限度（${share}%）`
        : `客户 ${customer.name}（${customer.archive_code}）信用余额已达信用限度的 ${share}%（预警线 ${settings.warnPercent}%）`,
    body:
      state.level === 'over'
        ? '超出信用限度的订单须总经理签批；如信用恶化，请提交危险客户报告'
        : '请关注赊销款与未结算票据的变化，事先向主管上司汇报',
    link: `/customers/${customer.id}?tab=credit`,
    secrecy: customer.secrecy,
  });
  return state.level;
}

/** Verdict for contract review (orders/credit.ts): 暂停供货 refuses, an exposure with this order
 * beyond the limit asks the general manager. */
export async function orderVerdict(
  ctx: Ctx,
  customerId: string,
  amount: string | null,
): Promise<{ verdict: 'ok' | 'general_manager' | 'suspended'; reason: string | null }> {
  const settings = await loadCreditSettings(ctx.db);
  const state = await creditState(ctx.db, customerId, settings);
  if (state.credit?.suspended === 1)
    return { verdict: 'suspended', reason: state.credit.suspend_reason ?? '暂停供货' };
  if (state.limit === null) return { verdict: 'ok', reason: null };
  const total = state.exposure + (amount === null ? 0n : scaled(amount, 2));
  if (total > state.limit)
    return {
      verdict: 'general_manager',
      reason: `信用余额 ${yuan(state.exposure)} + 本单 ${yuan(total - state.exposure)} = ${yuan(total)}，超过信用限度 ${yuan(state.limit)}`,
    };
  return { verdict: 'ok', reason: null };
}
