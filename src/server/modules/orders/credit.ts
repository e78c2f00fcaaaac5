import type { Ctx } from '../../platform/context.js';

// The credit hook of contract review (R-A4, issue 17): asked before an order is accepted. Until
// the analysis and credit module gives it a body it allows everything. Whichever lands second
// wires it: `general_manager` (over the credit limit) makes the general manager the signer,
// `suspended` (暂停供货) refuses acceptance.

export type CreditVerdict = 'ok' | 'general_manager' | 'suspended';

export interface CreditAnswer {
  verdict: CreditVerdict;
  /** Why, for the signer and the audit trail (e.g. the exposure against the limit). */
  reason: string | null;
}

export async function creditCheck(
  _ctx: Ctx,
  _customer: { id: string },
  _amount: string | null,
): Promise<CreditAnswer> {
  return { verdict: 'ok', reason: null };
}
