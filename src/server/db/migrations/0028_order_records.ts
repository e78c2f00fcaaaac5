import type { Kysely } from 'kysely';

// Orders (issue 16): files attached to an order — the customer's PO scan, the written
// confirmation of a phone order, R&D's 可行性分析报告 on its review, other — stored in the blob
// store by SHA-256 like a case's files; and the 评审记录表 filed into the customer's archive when the
// order is signed (the document's id on the order).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    // po 订单扫描件 | confirmation 书面确认 | feasibility 可行性分析报告 | other
    .addColumn('kind', 'text', (c) => c.notNull())
    // feasibility: the department whose review it belongs to.
    .addColumn('department_id', 'text')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_files_order_idx')
    .on('order_files')
    .columns(['order_id', 'created_at'])
    .execute();
  await db.schema.createIndex('order_files_sha_idx').on('order_files').column('sha256').execute();
  await db.schema.alterTable('orders').addColumn('record_document_id', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
