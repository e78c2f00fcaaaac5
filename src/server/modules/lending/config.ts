import { DEFAULT_APPROVAL_RULES } from '../../../common/lending.js';
import type { LendingSettings } from '../../../common/schemas/lending.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { authorize } from '../../platform/policy/index.js';
import { loadPolicySettings, writePolicySettings } from '../../platform/policy/settings.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Lending settings: the default and longest period (R-P3: 7 days, two weeks), when a loan
// counts as due soon, and the approval rules (R-P2).

const PREFIX = 'lending.';
export const DEFAULT_LENDING_SETTINGS: Omit<LendingSettings, 'ownDepartmentRequiresApproval'> = {
  defaultDays: 7,
  maxDays: 14,
  dueSoonDays: 2,
  rules: DEFAULT_APPROVAL_RULES,
};

/** The lending settings, with the policy's own-department rule (R-P2), which lives with the
 * policy (platform/policy/settings.ts) because visibility reads it. */
export async function loadLendingSettings(db: Db): Promise<LendingSettings> {
  const [lending, policy] = await Promise.all([
    readSettings(db, PREFIX, DEFAULT_LENDING_SETTINGS),
    loadPolicySettings(db),
  ]);
  return { ...lending, ownDepartmentRequiresApproval: policy.ownDepartmentRequiresApproval };
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
    const { ownDepartmentRequiresApproval, ...lending } = input;
    await writeSettings(t, PREFIX, lending);
    await writePolicySettings(t, { ownDepartmentRequiresApproval });
    const after = await loadLendingSettings(t.db);
    await appendAudit(t, {
      action: 'lending_config.settings',
      targetType: 'lending_config',
      details: { before, after },
    });
    return after;
  });
}
