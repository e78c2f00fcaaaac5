import type { Ctx, TxCtx } from '../../platform/context.js';
import { orderVerdict, reassess } from '../credit/exposure.js';

// The credit hook of contract review (R-A4, seed 004 第九条 3): asked when an order is registered,
// submitted and signed. `general_manager` — the customer's exposure (receivables + unsettled bills,
// and accepted orders not yet delivered when the credit settings say so) with this order's amount
// passes the credit limit — makes the general manager the signer; `suspended` (暂停供货 on the
// archive) refuses the order. A customer without a limit is not under credit control.

export type CreditVerdict = 'ok' | 'general_manager' | 'suspended';

export interface CreditAnswer {
  verdict: CreditVerdict;
  /** Why, for the signer and the audit trail (e.g. the exposure against the limit). */
  reason: string | null;
}

export async function creditCheck(
  ctx: Ctx,
  customer: { id: string },
  amount: string | null,
): Promise<CreditAnswer> {
  return orderVerdict(ctx, customer.id, amount);
}

/** After an acceptance: open orders may count in the exposure, so the warning is looked at again. */
export async function creditAfterAcceptance(
  t: TxCtx,
  customer: { id: string; name: string; archive_code: string; department_id: string; secrecy: number },
): Promise<void> {
  await reassess(t, customer);
}
