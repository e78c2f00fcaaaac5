import {
  DEFAULT_RETENTION_RULES,
  DEFAULT_SIGNER_STEPS,
  type RetentionRules,
} from '../../../common/retention.js';
import type { RetentionSettings } from '../../../common/schemas/retention.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Retention settings: who signs a destruction register, in order (R-X3), and how long an
// obsolete original is kept after its withdrawal (R-X1).

const PREFIX = 'retention.';
export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  signerSteps: DEFAULT_SIGNER_STEPS,
  obsoleteKeepYears: DEFAULT_RETENTION_RULES.obsoleteKeepYears,
};

export async function loadRetentionSettings(db: Db): Promise<RetentionSettings> {
  return readSettings(db, PREFIX, DEFAULT_RETENTION_SETTINGS);
}

/** What the due-date computation needs (documents call it on every change). */
export async function loadRetentionRules(db: Db): Promise<RetentionRules> {
  const s = await loadRetentionSettings(db);
  return { obsoleteKeepYears: s.obsoleteKeepYears };
}

export async function getRetentionSettings(ctx: Ctx): Promise<RetentionSettings> {
  authorize(ctx, 'document_config.read');
  return loadRetentionSettings(ctx.db);
}

export async function putRetentionSettings(
  ctx: Ctx,
  input: Partial<RetentionSettings>,
  /** Recomputes the due dates of withdrawn documents when the keep period changes. */
  onRulesChanged: (ctx: Ctx) => Promise<void>,
): Promise<RetentionSettings> {
  authorize(ctx, 'retention.configure', { type: 'retention_config' });
  return tx(ctx, async (t) => {
    const before = await loadRetentionSettings(t.db);
    await writeSettings(t, PREFIX, input);
    const after = await loadRetentionSettings(t.db);
    if (after.obsoleteKeepYears !== before.obsoleteKeepYears) await onRulesChanged(t);
    await appendAudit(t, {
      action: 'retention_config.settings',
      targetType: 'retention_config',
      details: { before, after },
    });
    return after;
  });
}
