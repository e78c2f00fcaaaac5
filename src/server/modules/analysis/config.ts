import type { AnalysisSettings } from '../../../common/schemas/analysis.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { FieldErrors } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Analysis settings (`analysis.*`): the ABC boundaries and how a straddling customer is graded
// (R-A1: A the first ~75 % of cumulative sales, B the next ~20 %), and where sales come from.

const PREFIX = 'analysis.';
export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  abcA: 75,
  abcB: 95,
  // The customer whose sales carry the cumulative share across 75 % is still an A customer: the
  // seed counts the customers that make up the first 75 %, and that one is among them.
  abcStraddle: 'upper',
  salesSource: 'ledger',
};

export async function loadAnalysisSettings(db: Db): Promise<AnalysisSettings> {
  return readSettings(db, PREFIX, DEFAULT_ANALYSIS_SETTINGS);
}

export async function getAnalysisSettings(ctx: Ctx): Promise<AnalysisSettings> {
  authorize(ctx, 'analysis.read');
  return loadAnalysisSettings(ctx.db);
}

export async function putAnalysisSettings(
  ctx: Ctx,
  input: Partial<AnalysisSettings>,
): Promise<AnalysisSettings> {
  authorize(ctx, 'analysis.configure');
  return tx(ctx, async (t) => {
    const before = await loadAnalysisSettings(t.db);
    const after = { ...before, ...input };
    if (after.abcA >= after.abcB) throw new FieldErrors([{ field: 'abcB', key: 'abc_thresholds' }]);
    await writeSettings(t, PREFIX, input);
    await appendAudit(t, {
      action: 'analysis.configure',
      targetType: 'analysis_config',
      details: { before, after },
    });
    return after;
  });
}
