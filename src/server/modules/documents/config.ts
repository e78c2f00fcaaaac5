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
import type { BlobStore } from '../../platform/storage.js';
import { departmentProblem } from '../org/service.js';
import {
  afterEncryptionChange,
  applyEncryptionFor,
  documentsWithFiles,
  type EncryptionChange,
} from './encryption.js';

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
    approval: r.approval === 1,
    countersign: JSON.parse(r.countersign) as string[],
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
        ...input.countersign.map((id, i) => departmentProblem(t.db, `countersign.${i}`, id)),
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
      approval: input.approval ? 1 : 0,
      countersign: JSON.stringify([...new Set(input.countersign)]),
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

/**
 * Whether a document's new versions go through approval (编制 → 审核 → 会签 → 批准): internal
 * documents of a category that asks for it. External and customer documents keep registration
 * and review of applicability; internal records (minutes, contracts) are kept as they are.
 */
export async function approvalApplies(db: Db, row: { source: string; category: string }): Promise<boolean> {
  if (row.source !== 'internal') return false;
  const k = await db
    .selectFrom('document_categories')
    .select(['approval', 'external'])
    .where('code', '=', row.category)
    .executeTakeFirst();
  return !!k && k.approval === 1 && k.external === 0;
}

/** The departments that countersign a category's documents (会签), active ones, in order. */
export async function countersignDepartments(
  db: Db,
  category: string,
): Promise<{ id: string; name: string }[]> {
  const k = await db
    .selectFrom('document_categories')
    .select('countersign')
    .where('code', '=', category)
    .executeTakeFirst();
  const ids = k ? (JSON.parse(k.countersign) as string[]) : [];
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute();
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

// Settings: 档号 (R-D7) and the retention periods in use ----------------------------------------

export const DEFAULT_DOCUMENT_SETTINGS: DocumentSettings = {
  fondsCode: 'Z001',
  archiveNoPattern: '{fonds}-{class}·{yyyy}-{retention}-{dept}-{seq:4}',
  retentionPeriods: DEFAULT_RETENTION_PERIODS,
  encryptionThreshold: 'secret',
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
  store: BlobStore,
  input: Partial<DocumentSettings>,
): Promise<DocumentSettings> {
  authorize(ctx, 'document.configure', { type: 'document_config' });
  let encryption: EncryptionChange | undefined;
  await tx(ctx, async (t) => {
    const before = await loadDocumentSettings(t.db);
    await writeSettings(t, PREFIX, input);
    // A new threshold: every record's files take the form it now needs (encryption at rest).
    if (input.encryptionThreshold && input.encryptionThreshold !== before.encryptionThreshold)
      encryption = await applyEncryptionFor(t, store, await documentsWithFiles(t.db));
    await appendAudit(t, {
      action: 'document_config.settings',
      targetType: 'document_config',
      details: { before, input },
    });
  });
  if (encryption) await afterEncryptionChange(ctx, store, encryption);
  return loadDocumentSettings(ctx.db);
}

/** A problem for the retention field unless the company uses that period. */
export function retentionProblem(settings: DocumentSettings, code: string | undefined) {
  return code && !settings.retentionPeriods.includes(code)
    ? { field: 'retention', key: 'lookup' as const, params: { value: code } }
    : null;
}
