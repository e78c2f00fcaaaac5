import type { Kysely } from 'kysely';
import { createSearchIndex } from '../../platform/search.js';
import { dialectOf } from '../dialect.js';

// Customer archive (R-C1 … R-C11): configuration lists, custom fields, the archive itself,
// owners, access grants, contacts, interactions, field-by-field history, handovers.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('lookups')
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text')
    /** For customer kinds: the type code in archive codes (GY in GY20260005). */
    .addColumn('prefix', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('lookups_pk', ['list', 'code'])
    .execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text')
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of customer kinds the field applies to; null for all kinds. */
    .addColumn('kinds', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('search_key', 'bigint', (c) => c.notNull().unique())
    .addColumn('archive_code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_norm', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.unique())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('nature', 'text')
    .addColumn('legal_representative', 'text')
    .addColumn('registered_address', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('industry', 'text')
    .addColumn('region', 'text')
    .addColumn('business_scope', 'text')
    .addColumn('registered_capital', 'text')
    .addColumn('staff_count', 'integer')
    .addColumn('source', 'text')
    .addColumn('grade', 'text')
    .addColumn('credit_class', 'text')
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('secrecy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_contact_date', 'text', (c) => c.notNull())
    .addColumn('filing_due_date', 'text', (c) => c.notNull())
    .addColumn('filed_at', 'text')
    .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('merged_into_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  // Each list filter walks an index in archive-code order, so keyset pages stay cheap.
  for (const column of [
    'category',
    'kind',
    'grade',
    'credit_class',
    'region',
    'industry',
    'status',
    'department_id',
  ]) {
    await db.schema
      .createIndex(`customers_${column}_idx`)
      .on('customers')
      .columns([column, 'archive_code'])
      .execute();
  }
  await db.schema.createIndex('customers_name_norm_idx').on('customers').columns(['name_norm']).execute();
  await db.schema
    .createIndex('customers_filing_idx')
    .on('customers')
    .columns(['status', 'filing_due_date'])
    .execute();
  await db.schema
    .createIndex('customers_updated_idx')
    .on('customers')
    .columns(['updated_at', 'id'])
    .execute();
  await db.schema.createIndex('customers_name_idx').on('customers').columns(['name', 'id']).execute();
  await db.schema
    .createIndex('customers_due_idx')
    .on('customers')
    .columns(['filing_due_date', 'id'])
    .execute();

  await db.schema
    .createTable('customer_owners')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_owners_pk', ['customer_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('customer_owners_user_idx')
    .on('customer_owners')
    .columns(['user_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('customer_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('reason', 'text')
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema
    .createIndex('customer_grants_user_idx')
    .on('customer_grants')
    .columns(['user_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_grants_dept_idx')
    .on('customer_grants')
    .columns(['department_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_grants_customer_idx')
    .on('customer_grants')
    .columns(['customer_id'])
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('role', 'text')
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('email', 'text')
    .addColumn('wechat', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_customer_idx').on('contacts').columns(['customer_id']).execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('participants', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('next_step', 'text')
    .addColumn('next_step_due', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('interactions_customer_idx')
    .on('interactions')
    .columns(['customer_id', 'occurred_on'])
    .execute();

  await db.schema
    .createTable('customer_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    /** create, update, contact, owners, status, merge, handover, grant */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    /** When the change happened in reality (变动日期), for the 5-working-day rule. */
    .addColumn('change_date', 'text')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text')
    /** Archive the entry was first written in, when a merge moved it here. */
    .addColumn('origin_customer_id', 'text')
    .execute();
  await db.schema
    .createIndex('customer_history_customer_idx')
    .on('customer_history')
    .columns(['customer_id', 'at'])
    .execute();
  await db.schema
    .createIndex('customer_history_late_idx')
    .on('customer_history')
    .columns(['late', 'at'])
    .execute();

  await db.schema
    .createTable('handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('by_user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('customer_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('handover_items')
    .addColumn('handover_id', 'text', (c) => c.notNull().references('handovers.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('to_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('handover_items_pk', ['handover_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('handover_items_customer_idx')
    .on('handover_items')
    .columns(['customer_id'])
    .execute();

  await createSearchIndex(db, dialectOf(db), 'customers');

  // Default lists (R-C4). Administrators change them on the configuration page.
  const lookups = db as Kysely<{
    lookups: {
      list: string;
      code: string;
      label: string;
      label_en: string | null;
      prefix: string | null;
      sort_order: number;
      active: number;
    };
  }>;
  const rows: [string, string, string, string, string | null][] = [
    ['category', 'target', '目标客户', 'Target', null],
    ['category', 'general', '一般客户', 'General', null],
    ['category', 'key', '重点客户', 'Key', null],
    ['category', 'potential', '潜在客户', 'Potential', null],
    ['kind', 'business', '业务客户', 'Business customer', 'KH'],
    ['kind', 'supplier', '供应商', 'Supplier', 'GS'],
    ['kind', 'partner', '合作伙伴', 'Partner', 'HZ'],
    ['nature', 'state', '国有企业', 'State-owned', null],
    ['nature', 'private', '民营企业', 'Private', null],
    ['nature', 'foreign', '外资企业', 'Foreign-owned', null],
    ['nature', 'joint', '合资企业', 'Joint venture', null],
    ['nature', 'individual', '个体工商户', 'Sole proprietor', null],
    ['nature', 'institution', '事业单位', 'Public institution', null],
    ['nature', 'other', '其他', 'Other', null],
    ['source', 'exhibition', '展会', 'Trade fair', null],
    ['source', 'web', '网络', 'Internet', null],
    ['source', 'referral', '转介绍', 'Referral', null],
    ['source', 'tender', '招投标', 'Tender', null],
    ['source', 'visit', '上门拜访', 'Sales visit', null],
    ['source', 'other', '其他', 'Other', null],
    ['contact_role', 'decision', '决策人', 'Decision maker', null],
    ['contact_role', 'purchasing', '采购', 'Purchasing', null],
    ['contact_role', 'technical', '技术', 'Engineering', null],
    ['contact_role', 'quality', '质量', 'Quality', null],
    ['contact_role', 'finance', '财务', 'Finance', null],
    ['contact_role', 'other', '其他', 'Other', null],
  ];
  await lookups
    .insertInto('lookups')
    .values(
      rows.map(([list, code, label, labelEn, prefix], i) => ({
        list,
        code,
        label,
        label_en: labelEn,
        prefix,
        sort_order: i,
        active: 1,
      })),
    )
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
