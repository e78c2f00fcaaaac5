import {
  type CustomFieldType,
  DEFAULT_HANDOVER_TEMPLATE,
  FILING_FIELDS,
  HANDOVER_PLACEHOLDERS,
  LOOKUP_LISTS,
  type LookupList,
  unknownHandoverPlaceholders,
} from '../../../common/customers.js';
import type {
  CustomerConfig,
  CustomerSettings,
  CustomField,
  Lookup,
} from '../../../common/schemas/customers.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { conflict, FieldErrors, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Configuration of the customer archive: the lists (R-C4), custom fields (R-C3) and settings
// (archive code pattern R-C2, deadlines R-C5, staleness R-C11).

export const DEFAULT_SETTINGS: CustomerSettings = {
  archiveCodePattern: '{type}{yyyy}{seq:4}',
  filingDays: 5,
  changeDays: 5,
  staleMonths: 6,
  filingRequiredFields: ['registeredAddress', 'industry', 'region', 'contacts'],
  filingApproval: false,
  handoverNoticeTemplate: DEFAULT_HANDOVER_TEMPLATE,
};

const SETTING_PREFIX = 'customer.';

export async function loadSettings(db: Db): Promise<CustomerSettings> {
  return readSettings(db, SETTING_PREFIX, DEFAULT_SETTINGS);
}

export async function loadLookups(db: Db): Promise<Lookup[]> {
  const rows = await db
    .selectFrom('lookups')
    .selectAll()
    .orderBy('list')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows
    .filter((r) => (LOOKUP_LISTS as readonly string[]).includes(r.list))
    .map((r) => ({
      list: r.list as LookupList,
      code: r.code,
      label: r.label,
      labelEn: r.label_en,
      prefix: r.prefix,
      sortOrder: r.sort_order,
      active: r.active === 1,
    }));
}

export async function loadCustomFields(db: Db): Promise<CustomField[]> {
  const rows = await db
    .selectFrom('custom_fields')
    .selectAll()
    .orderBy('sort_order')
    .orderBy('key')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    label: r.label,
    type: r.type as CustomFieldType,
    options: r.options ? (JSON.parse(r.options) as string[]) : [],
    required: r.required === 1,
    kinds: r.kinds ? (JSON.parse(r.kinds) as string[]) : null,
    sortOrder: r.sort_order,
    active: r.active === 1,
  }));
}

/** Everything a customer form needs; readable by every signed-in user. */
export async function getConfig(ctx: Ctx): Promise<CustomerConfig> {
  authorize(ctx, 'customer_config.read');
  const [lookups, customFields, settings] = await Promise.all([
    loadLookups(ctx.db),
    loadCustomFields(ctx.db),
    loadSettings(ctx.db),
  ]);
  return { lookups, customFields, settings };
}

export async function putSettings(ctx: Ctx, input: Partial<CustomerSettings>): Promise<CustomerSettings> {
  authorize(ctx, 'customer.configure', { type: 'customer_config' });
  const unknown = (input.filingRequiredFields ?? []).filter(
    (f) => !(FILING_FIELDS as readonly string[]).includes(f),
  );
  if (unknown.length) {
    throw new FieldErrors([
      { field: 'filingRequiredFields', key: 'lookup', params: { value: unknown.join(', ') } },
    ]);
  }
  // 交接告知 (R-C9): only the placeholders the notice knows how to fill.
  const strange =
    input.handoverNoticeTemplate === undefined
      ? []
      : unknownHandoverPlaceholders(input.handoverNoticeTemplate);
  if (strange.length) {
    throw new FieldErrors([
      {
        field: 'handoverNoticeTemplate',
        key: 'handover_placeholder',
        params: {
          value: strange.map((p) => `{${p}}`).join('、'),
          known: HANDOVER_PLACEHOLDERS.map((p) => `{${p}}`).join(' '),
        },
      },
    ]);
  }
  await tx(ctx, async (t) => {
    const before = await loadSettings(t.db);
    await writeSettings(t, SETTING_PREFIX, input);
    const changes = Object.fromEntries(
      Object.entries(input)
        .filter(
          ([k, v]) =>
            v !== undefined && JSON.stringify(v) !== JSON.stringify(before[k as keyof CustomerSettings]),
        )
        .map(([k, v]) => [k, { from: before[k as keyof CustomerSettings], to: v }]),
    );
    await appendAudit(t, {
      action: 'customer_config.settings',
      targetType: 'customer_config',
      details: { changes },
    });
  });
  return loadSettings(ctx.db);
}

export async function putLookup(
  ctx: Ctx,
  list: LookupList,
  code: string,
  input: {
    label: string;
    labelEn: string | null;
    prefix?: string | null | undefined;
    sortOrder: number;
    active: boolean;
  },
): Promise<Lookup> {
  authorize(ctx, 'customer.configure', { type: 'customer_config' });
  if (list === 'kind' && !input.prefix) {
    throw new FieldErrors([{ field: 'prefix', key: 'required' }]);
  }
  await tx(ctx, async (t) => {
    const row = {
      label: input.label,
      label_en: input.labelEn,
      prefix: list === 'kind' ? (input.prefix ?? null) : null,
      sort_order: input.sortOrder,
      active: input.active ? 1 : 0,
    };
    await t.db
      .insertInto('lookups')
      .values({ list, code, ...row })
      .onConflict((oc) => oc.columns(['list', 'code']).doUpdateSet(row))
      .execute();
    await appendAudit(t, {
      action: 'customer_config.lookup',
      targetType: 'customer_config',
      targetId: `${list}:${code}`,
      targetLabel: input.label,
      details: { list, code, ...input },
    });
  });
  return (await loadLookups(ctx.db)).find((l) => l.list === list && l.code === code) as Lookup;
}

export async function createCustomField(
  ctx: Ctx,
  input: Omit<CustomField, 'id' | 'kinds'> & { kinds?: string[] | null | undefined },
): Promise<CustomField> {
  authorize(ctx, 'customer.configure', { type: 'customer_config' });
  const id = newId();
  await tx(ctx, async (t) => {
    const taken = await t.db
      .selectFrom('custom_fields')
      .select('id')
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (taken) throw conflict('custom_field_taken', { key: input.key }, 'key');
    checkOptions(input.type, input.options);
    const now = nowIso(t);
    await t.db
      .insertInto('custom_fields')
      .values({
        id,
        key: input.key,
        label: input.label,
        type: input.type,
        options: input.options.length ? JSON.stringify(input.options) : null,
        required: input.required ? 1 : 0,
        kinds: input.kinds?.length ? JSON.stringify(input.kinds) : null,
        sort_order: input.sortOrder,
        active: input.active ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(t, {
      action: 'customer_config.custom_field',
      targetType: 'customer_config',
      targetId: id,
      targetLabel: input.label,
      details: { ...input },
    });
  });
  return (await loadCustomFields(ctx.db)).find((f) => f.id === id) as CustomField;
}

export async function updateCustomField(
  ctx: Ctx,
  id: string,
  input: Partial<Pick<CustomField, 'label' | 'options' | 'required' | 'kinds' | 'sortOrder' | 'active'>>,
): Promise<CustomField> {
  authorize(ctx, 'customer.configure', { type: 'customer_config' });
  await tx(ctx, async (t) => {
    const before = (await loadCustomFields(t.db)).find((f) => f.id === id);
    if (!before) throw notFound();
    if (input.options) checkOptions(before.type, input.options);
    await t.db
      .updateTable('custom_fields')
      .set({
        label: input.label ?? before.label,
        options: input.options
          ? JSON.stringify(input.options)
          : before.options.length
            ? JSON.stringify(before.options)
            : null,
        required: (input.required ?? before.required) ? 1 : 0,
        kinds:
          input.kinds === undefined
            ? before.kinds
              ? JSON.stringify(before.kinds)
              : null
            : input.kinds?.length
              ? JSON.stringify(input.kinds)
              : null,
        sort_order: input.sortOrder ?? before.sortOrder,
        active: (input.active ?? before.active) ? 1 : 0,
        updated_at: nowIso(t),
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(t, {
      action: 'customer_config.custom_field',
      targetType: 'customer_config',
      targetId: id,
      targetLabel: before.label,
      details: { changes: input },
    });
  });
  return (await loadCustomFields(ctx.db)).find((f) => f.id === id) as CustomField;
}

function checkOptions(type: CustomFieldType, options: string[]): void {
  if ((type === 'select' || type === 'multiselect') && options.length === 0) {
    throw new FieldErrors([{ field: 'options', key: 'required' }]);
  }
}

export { type CustomValues, checkCustomValues, fieldsForKind } from './custom-values.js';
