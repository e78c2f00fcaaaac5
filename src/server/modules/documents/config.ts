import { DEFAULT_RETENTION_PERIODS } from '../../../common/documents.js';
import type {
  DocumentCategory,
  DocumentSettings,
  PutCategoryInput,
} from '../../../common/schemas/documents.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { FieldErrors } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';
import { departmentProblem } from '../org/service.js';

// Document categories (R-D2): owning department, default retention, 档号 class, and whether
// they are external documents, customer-supplied documents, or shared across the company.

export async function loadCategories(db: Db): Promise<DocumentCategory[]> {
  const rows = await db
    .selectFrom('document_categories as k')
    .leftJoin('departments as dep', 'dep.id', 'k.department_id')
    .selectAll('k')
    .select('dep.name as department_name')
    .orderBy('k.sort_order')
    .orderBy('k.code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    external: r.external === 1,
    customerDocuments: r.customer_documents === 1,
    shared: r.shared === 1,
    controlled: r.controlled === 1,
    archiveClass: r.archive_class,
    retention: r.retention as DocumentCategory['retention'],
    departmentId: r.department_id,
    departmentName: r.department_name,
    distribution: JSON.parse(r.distribution) as string[],
    sortOrder: Number(r.sort_order),
    active: r.active === 1,
  }));
}

export async function listCategories(ctx: Ctx): Promise<DocumentCategory[]> {
  authorize(ctx, 'document_config.read');
  return loadCategories(ctx.db);
}

export async function putCategory(
  ctx: Ctx,
  code: string,
  input: PutCategoryInput,
): Promise<DocumentCategory> {
  authorize(ctx, 'document.configure', { type: 'document_category', id: code });
  return tx(ctx, async (t) => {
    const settings = await loadDocumentSettings(t.db);
    const problems = (
      await Promise.all([
        retentionProblem(settings, input.retention),
        ...(input.departmentId ? [departmentProblem(t.db, 'departmentId', input.departmentId)] : []),
        ...input.distribution.map((id, i) => departmentProblem(t.db, `distribution.${i}`, id)),
      ])
    ).filter((p) => p !== null);
    if (problems.length) throw new FieldErrors(problems);
    const values = {
      name: input.name,
      name_en: input.nameEn,
      external: input.external ? 1 : 0,
      customer_documents: input.customerDocuments ? 1 : 0,
      shared: input.shared ? 1 : 0,
      controlled: input.controlled ? 1 : 0,
      archive_class: input.archiveClass,
      retention: input.retention,
      department_id: input.departmentId ?? null,
      distribution: JSON.stringify([...new Set(input.distribution)]),
      sort_order: input.sortOrder,
      active: input.active ? 1 : 0,
    };
    await t.db
      .insertInto('document_categories')
      .values({ code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute();
    await appendAudit(t, {
      action: 'document_config.category',
      targetType: 'document_category',
      targetId: code,
      targetLabel: input.name,
      details: { ...input },
    });
    const saved = (await loadCategories(t.db)).find((c) => c.code === code);
    if (!saved) throw new Error('category vanished');
    return saved;
  });
}

// Settings: 档号 (R-D7) and the retention periods in use ----------------------------------------

export const DEFAULT_DOCUMENT_SETTINGS: DocumentSettings = {
  fondsCode: 'Z001',
  archiveNoPattern: '{fonds}-{class}·{yyyy}-{retention}-{dept}-{seq:4}',
  retentionPeriods: DEFAULT_RETENTION_PERIODS,
};
const PREFIX = 'document.';

export async function loadDocumentSettings(db: Db): Promise<DocumentSettings> {
  return readSettings(db, PREFIX, DEFAULT_DOCUMENT_SETTINGS);
}

export async function getDocumentSettings(ctx: Ctx): Promise<DocumentSettings> {
  authorize(ctx, 'document_config.read');
  return loadDocumentSettings(ctx.db);
}

export async function putDocumentSettings(
  ctx: Ctx,
  input: Partial<DocumentSettings>,
): Promise<DocumentSettings> {
  authorize(ctx, 'document.configure', { type: 'document_config' });
  await tx(ctx, async (t) => {
    const before = await loadDocumentSettings(t.db);
    await writeSettings(t, PREFIX, input);
    await appendAudit(t, {
      action: 'document_config.settings',
      targetType: 'document_config',
      details: { before, input },
    });
  });
  return loadDocumentSettings(ctx.db);
}

/** A problem for the retention field unless the company uses that period. */
export function retentionProblem(settings: DocumentSettings, code: string | undefined) {
  return code && !settings.retentionPeriods.includes(code)
    ? { field: 'retention', key: 'lookup' as const, params: { value: code } }
    : null;
}
