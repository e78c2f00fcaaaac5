import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Amendments of accepted orders (合同更改, R-K4): the proposed change as a field-by-field
// difference, reviewed again by the departments configured for the fields changed (会签), signed,
// then applied to the order; and the 合同更改通知单 to every department concerned, each
// acknowledging it. Schema builder only; no live code imported.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_amendments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    // 第 N 次变更, per order.
    .addColumn('seq', 'integer', (c) => c.notNull())
    // in_review | accepted | rejected
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // JSON [{field, lineNo?, before, after}]: what changes (raw values; prices hidden on reading).
    .addColumn('changes', 'text', (c) => c.notNull())
    // JSON ['quantity', 'date', …]: the categories of the fields changed (amendmentDepartments).
    .addColumn('categories', 'text', (c) => c.notNull())
    // Who must sign now: sales | sales_manager | general_manager (as orders.signer_role).
    .addColumn('signer_role', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('signed_role', 'text')
    .addColumn('signed_by', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('sign_comment', 'text')
    .addColumn('overrule_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_amendments_order_idx')
    .on('order_amendments')
    .columns(['order_id', 'seq'])
    .unique()
    .execute();
  // 我的待办: amendments waiting for a signature are few among many.
  await db.schema
    .createIndex('order_amendments_open_idx')
    .on('order_amendments')
    .columns(['order_id'])
    .where(sql.ref('status'), '=', 'in_review')
    .execute();

  await db.schema
    .createTable('order_amendment_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('amendment_id', 'text', (c) => c.notNull().references('order_amendments.id'))
    // The order's id again: who sees an order is asked by department without the amendment.
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    // accept | conditional | reject; null while not reviewed.
    .addColumn('decision', 'text')
    .addColumn('condition', 'text')
    .addColumn('comment', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .execute();
  await db.schema
    .createIndex('order_amendment_reviews_idx')
    .on('order_amendment_reviews')
    .columns(['amendment_id', 'department_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('order_amendment_reviews_order_idx')
    .on('order_amendment_reviews')
    .columns(['order_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('order_amendment_reviews_open_idx')
    .on('order_amendment_reviews')
    .columns(['department_id', 'amendment_id'])
    .where(sql.ref('decision'), 'is', null)
    .execute();

  // 合同更改通知单: one row per department concerned, acknowledged by one of its members.
  await db.schema
    .createTable('order_amendment_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('amendment_id', 'text', (c) => c.notNull().references('order_amendments.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .execute();
  await db.schema
    .createIndex('order_amendment_notices_idx')
    .on('order_amendment_notices')
    .columns(['amendment_id', 'department_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('order_amendment_notices_order_idx')
    .on('order_amendment_notices')
    .columns(['order_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('order_amendment_notices_open_idx')
    .on('order_amendment_notices')
    .columns(['department_id', 'amendment_id'])
    .where(sql.ref('acknowledged_at'), 'is', null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
