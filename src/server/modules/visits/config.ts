import type { VisitSettings } from '../../../common/schemas/visits.js';
import { DEFAULT_VISIT_RULES } from '../../../common/visits.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { FieldErrors, type FieldProblem } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Visit plan rules (R-V1): what sets a plan off, its offsets in calendar or working days, the
// way and who visits. A change applies to triggers from then on: tasks already planned keep the
// due dates they were given.

const PREFIX = 'visits.';
export const DEFAULT_VISIT_SETTINGS: VisitSettings = { rules: DEFAULT_VISIT_RULES };

export async function loadVisitSettings(db: Db): Promise<VisitSettings> {
  return readSettings(db, PREFIX, DEFAULT_VISIT_SETTINGS);
}

export async function getVisitSettings(ctx: Ctx): Promise<VisitSettings> {
  authorize(ctx, 'visit_config.read');
  return loadVisitSettings(ctx.db);
}

export async function putVisitSettings(ctx: Ctx, input: VisitSettings): Promise<VisitSettings> {
  authorize(ctx, 'visit.configure', { type: 'visit_config' });
  return tx(ctx, async (t) => {
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    const assignees = [...new Set(input.rules.map((r) => r.assigneeId).filter((x): x is string => !!x))];
    const active = assignees.length
      ? (
          await t.db
            .selectFrom('users')
            .select('id')
            .where('id', 'in', assignees)
            .where('active', '=', 1)
            .execute()
        ).map((u) => u.id)
      : [];
    input.rules.forEach((rule, i) => {
      const at = (field: string) => `rules.${i}.${field}`;
      if (seen.has(rule.id)) problems.push({ field: at('id'), key: 'duplicate', params: { value: rule.id } });
      seen.add(rule.id);
      if (rule.trigger === 'interaction' && !rule.interactionKind)
        problems.push({ field: at('interactionKind'), key: 'required' });
      if (rule.trigger !== 'interaction' && rule.interactionKind)
        problems.push({ field: at('interactionKind'), key: 'visit_rule_field' });
      if (rule.trigger !== 'case_closed' && rule.caseKind)
        problems.push({ field: at('caseKind'), key: 'visit_rule_field' });
      if (rule.assigneeId && !active.includes(rule.assigneeId))
        problems.push({ field: at('assigneeId'), key: 'lookup', params: { value: rule.assigneeId } });
    });
    if (problems.length) throw new FieldErrors(problems);
    const before = await loadVisitSettings(t.db);
    await writeSettings(t, PREFIX, { rules: input.rules });
    const after = await loadVisitSettings(t.db);
    await appendAudit(t, {
      action: 'visit_config.settings',
      targetType: 'visit_config',
      details: { before, after },
    });
    return after;
  });
}
