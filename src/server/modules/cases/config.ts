import { CASE_TYPE_LISTS, type CaseKind, DEFAULT_CLOCK_RULES } from '../../../common/cases.js';
import type { CaseSettings } from '../../../common/schemas/cases.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { putListEntry } from '../../platform/lookups.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Case settings: the clock rules per kind, type and severity (R-Q3), when a due day ends, who
// revisits (R-Q5), escalation to the deputy general manager (R-Q4), and where the record of a
// closed case is filed. The type lists are lookups (complaint_type, service_type).

const PREFIX = 'cases.';
export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  clocks: DEFAULT_CLOCK_RULES,
  dayEnds: '18:00',
  revisitRole: 'quality',
  escalate: true,
  archiveCategory: 'records',
};

export async function loadCaseSettings(db: Db): Promise<CaseSettings> {
  return readSettings(db, PREFIX, DEFAULT_CASE_SETTINGS);
}

export async function getCaseSettings(ctx: Ctx): Promise<CaseSettings> {
  authorize(ctx, 'case_config.read');
  return loadCaseSettings(ctx.db);
}

export async function putCaseSettings(ctx: Ctx, input: Partial<CaseSettings>): Promise<CaseSettings> {
  authorize(ctx, 'case.configure', { type: 'case_config' });
  return tx(ctx, async (t) => {
    if (input.archiveCategory) {
      const category = await t.db
        .selectFrom('document_categories')
        .select('code')
        .where('code', '=', input.archiveCategory)
        .where('active', '=', 1)
        .executeTakeFirst();
      if (!category)
        throw new DomainError(
          'case_archive_category',
          422,
          { category: input.archiveCategory },
          'archiveCategory',
        );
    }
    const before = await loadCaseSettings(t.db);
    await writeSettings(t, PREFIX, input);
    const after = await loadCaseSettings(t.db);
    await appendAudit(t, {
      action: 'case_config.settings',
      targetType: 'case_config',
      details: { before, after },
    });
    return after;
  });
}

export interface CaseType {
  list: string;
  code: string;
  label: string;
  active: boolean;
}

export async function loadCaseTypes(db: Db): Promise<CaseType[]> {
  const rows = await db
    .selectFrom('lookups')
    .select(['list', 'code', 'label', 'active'])
    .where('list', 'in', Object.values(CASE_TYPE_LISTS))
    .orderBy('list')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ list: r.list, code: r.code, label: r.label, active: r.active === 1 }));
}

export async function getCaseTypes(ctx: Ctx): Promise<CaseType[]> {
  authorize(ctx, 'case_config.read');
  return loadCaseTypes(ctx.db);
}

/** Adds or renames a type of a kind; a type in use is deactivated, never deleted. */
export async function putCaseType(
  ctx: Ctx,
  kind: CaseKind,
  code: string,
  input: { label: string; active: boolean },
): Promise<CaseType[]> {
  authorize(ctx, 'case.configure', { type: 'case_config' });
  const list = CASE_TYPE_LISTS[kind];
  await tx(ctx, (t) =>
    putListEntry(t, list, code, input, { action: 'case_config.type', targetType: 'case_config' }),
  );
  return loadCaseTypes(ctx.db);
}
