import { DEFAULT_CREDIT_CRITERIA } from '../../../common/credit.js';
import type { CreditSettings } from '../../../common/schemas/credit.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Credit settings (`credit.*`, R-A4): the warning at a share of the limit (80 %), the amount above
// which a limit needs the general manager, whether accepted orders not yet delivered count in the
// exposure, and the class criteria of seed 004 第九条.

const PREFIX = 'credit.';
export const DEFAULT_CREDIT_SETTINGS: CreditSettings = {
  warnPercent: 80,
  gmAmount: '500000',
  includeOpenOrders: false,
  criteria: DEFAULT_CREDIT_CRITERIA,
};

export async function loadCreditSettings(db: Db): Promise<CreditSettings> {
  return readSettings(db, PREFIX, DEFAULT_CREDIT_SETTINGS);
}

export async function getCreditSettings(ctx: Ctx): Promise<CreditSettings> {
  authorize(ctx, 'credit_config.read');
  return loadCreditSettings(ctx.db);
}

export async function putCreditSettings(ctx: Ctx, input: Partial<CreditSettings>): Promise<CreditSettings> {
  authorize(ctx, 'credit.configure', { type: 'credit_config' });
  return tx(ctx, async (t) => {
    const before = await loadCreditSettings(t.db);
    await writeSettings(t, PREFIX, input);
    const after = await loadCreditSettings(t.db);
    await appendAudit(t, {
      action: 'credit_config.settings',
      targetType: 'credit_config',
      details: { before, after },
    });
    return after;
  });
}
