import { type Kysely, sql } from 'kysely';

// Deliveries, on-time delivery and delayed orders (R-K5): each delivery of an order line (date,
// quantity, delivery note), and each delay recorded against a line (掉期: reason, new date, who
// told the customer, when and how). Completion and lateness are computed from these rows at
// query time, not stored, so an amended quantity or promised date needs no recalculation.
// Schema builder only; no live code imported.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('line_id', 'text', (c) => c.notNull().references('order_lines.id'))
    .addColumn('delivered_on', 'text', (c) => c.notNull())
    .addColumn('quantity', 'numeric(18, 4)', (c) => c.notNull())
    .addColumn('delivery_note_no', 'text')
    .addColumn('remarks', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  // The statistics sum a line's deliveries up to a date: one range scan per line.
  await db.schema
    .createIndex('order_deliveries_line_idx')
    .on('order_deliveries')
    .columns(['line_id', 'delivered_on', 'quantity'])
    .execute();
  await db.schema
    .createIndex('order_deliveries_order_idx')
    .on('order_deliveries')
    .columns(['order_id', 'delivered_on'])
    .execute();

  await db.schema
    .createTable('order_delays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('line_id', 'text', (c) => c.notNull().references('order_lines.id'))
    // The promised date the delay was recorded against, and whether it was still ahead (预计掉期).
    .addColumn('promised_on', 'text')
    .addColumn('predicted', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('new_date', 'text', (c) => c.notNull())
    // Who told the customer (a name as said), when (YYYY-MM-DD) and how (phone|email|written|visit|other).
    .addColumn('informed_by', 'text')
    .addColumn('informed_on', 'text')
    .addColumn('informed_via', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_delays_line_idx')
    .on('order_delays')
    .columns(['line_id', 'created_at'])
    .execute();
  // The weekly summary: delays recorded in a week.
  await db.schema
    .createIndex('order_delays_created_idx')
    .on('order_delays')
    .columns(['created_at'])
    .execute();

  // Lines due in a period (statistics) and the delayed list in its order (due date, line id):
  // by the promised date, else the requested one, as classify.ts reads them.
  await db.schema
    .createIndex('order_lines_due_idx')
    .on('order_lines')
    .expression(sql`coalesce(promised_on, requested_on), id`)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
