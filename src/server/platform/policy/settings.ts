import type { Db } from '../../db/index.js';
import type { TxCtx } from '../context.js';
import { readSettings, writeSettings } from '../settings.js';

// Settings of the policy itself (rows `policy.*` of the settings table), read where visibility is
// decided. `own_department_requires_approval` (R-P2, seed 001 篇一 本部门的档案经部门经理批准后可以
//查阅): off, people read their own department's customer archives freely; on, only the archive's
// owners and the department's managers do — anyone else asks through an access request, which
// the department manager approves (lending/requests.ts). Edited with the lending settings, where
// the other approval rules are.

const PREFIX = 'policy.';

interface StoredPolicySettings {
  own_department_requires_approval: boolean;
}

export interface PolicySettings {
  ownDepartmentRequiresApproval: boolean;
}

export async function loadPolicySettings(db: Db): Promise<PolicySettings> {
  const s = await readSettings<StoredPolicySettings>(db, PREFIX, { own_department_requires_approval: false });
  return { ownDepartmentRequiresApproval: s.own_department_requires_approval === true };
}

export async function writePolicySettings(t: TxCtx, input: Partial<PolicySettings>): Promise<void> {
  await writeSettings(t, PREFIX, { own_department_requires_approval: input.ownDepartmentRequiresApproval });
}
