import type { SrCategory, SrConfig, SrSettings } from '../../../common/schemas/special-requirements.js';
import { SR_CHECK_MONTHS, SR_CHECK_REMIND_DAYS } from '../../../common/special-requirements.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { putListEntry } from '../../platform/lookups.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';
import * as repo from './repo.js';

// Configuration of the special requirements, kept by quality (or the administrator): the
// categories (lookup 'sr_category', R-S1), the departments asked to review by default (R-S2), the
// yearly check's interval and reminder lead (R-S5), and where the list's PDF is filed.

const PREFIX = 'sr.';
export const DEFAULT_SR_SETTINGS: SrSettings = {
  reviewDepartmentIds: [],
  checkMonths: SR_CHECK_MONTHS,
  remindDays: SR_CHECK_REMIND_DAYS,
  listArchiveCategory: 'records',
};

export async function loadSrSettings(db: Db): Promise<SrSettings> {
  return readSettings(db, PREFIX, DEFAULT_SR_SETTINGS);
}

/** Readable by every signed-in user: the forms need the categories and the default reviewers. */
export async function getSrConfig(ctx: Ctx): Promise<SrConfig> {
  authorize(ctx, 'sr_config.read');
  return { categories: await repo.categories(ctx.db), settings: await loadSrSettings(ctx.db) };
}

export async function putSrSettings(ctx: Ctx, input: Partial<SrSettings>): Promise<SrConfig> {
  authorize(ctx, 'sr.configure', { type: 'sr_config' });
  await tx(ctx, async (t) => {
    if (input.listArchiveCategory) {
      const category = await t.db
        .selectFrom('document_categories')
        .select('code')
        .where('code', '=', input.listArchiveCategory)
        .where('active', '=', 1)
        .executeTakeFirst();
      if (!category)
        throw new DomainError(
          'case_archive_category',
          422,
          { category: input.listArchiveCategory },
          'listArchiveCategory',
        );
    }
    if (input.reviewDepartmentIds) {
      const wanted = [...new Set(input.reviewDepartmentIds)];
      const found = new Set(
        wanted.length
          ? (
              await t.db
                .selectFrom('departments')
                .select('id')
                .where('id', 'in', wanted)
                .where('active', '=', 1)
                .execute()
            ).map((d) => d.id)
          : [],
      );
      const problems = wanted
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => !found.has(d))
        .map(({ i }) => ({ field: `reviewDepartmentIds.${i}`, key: 'sr_department' as const }));
      if (problems.length) throw new FieldErrors(problems);
      input = { ...input, reviewDepartmentIds: wanted };
    }
    const before = await loadSrSettings(t.db);
    await writeSettings(t, PREFIX, input);
    await appendAudit(t, {
      action: 'sr_config.settings',
      targetType: 'sr_config',
      details: { before, after: await loadSrSettings(t.db) },
    });
  });
  return getSrConfig(ctx);
}

/** Adds or renames a category; one in use is deactivated, never deleted (its name stays on the
 * requirements and lists that carry it). */
export async function putSrCategory(
  ctx: Ctx,
  code: string,
  input: { label: string; active: boolean },
): Promise<SrCategory[]> {
  authorize(ctx, 'sr.configure', { type: 'sr_config' });
  await tx(ctx, (t) =>
    putListEntry(t, 'sr_category', code, input, { action: 'sr_config.category', targetType: 'sr_config' }),
  );
  return repo.categories(ctx.db);
}
