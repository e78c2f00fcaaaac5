import { DEFAULT_APPROVAL_RULES } from '../../../common/lending.js';
import type { LendingSettings } from '../../../common/schemas/lending.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Lending settings: the default and longest period (R-P3: 7 days, two weeks), when a loan
// counts as due soon, and the approval rules (R-P2).

const PREFIX = 'lending.';
export const DEFAULT_LENDING_SETTINGS: LendingSettings = {
  defaultDays: 7,
  maxDays: 14,
  dueSoonDays: 2,
  rules: DEFAULT_APPROVAL_RULES,
};

export async function loadLendingSettings(db: Db): Promise<LendingSettings> {
  return readSettings(db, PREFIX, DEFAULT_LENDING_SETTINGS);
}

export async function getLendingSettings(ctx: Ctx): Promise<LendingSettings> {
  authorize(ctx, 'lending_config.read');
  return loadLendingSettings(ctx.db);
}

export async function putLendingSettings(
  ctx: Ctx,
  input: Partial<LendingSettings>,
): Promise<LendingSettings> {
  authorize(ctx, 'lending.configure', { type: 'lending_config' });
  return tx(ctx, async (t) => {
    const before = await loadLendingSettings(t.db);
    await writeSettings(t, PREFIX, input);
    const after = await loadLendingSettings(t.db);
    await appendAudit(t, {
      action: 'lending_config.settings',
      targetType: 'lending_config',
      details: { before, after },
    });
    return after;
  });
}
