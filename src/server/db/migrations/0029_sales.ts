import type { Kysely } from 'kysely';

// Sales data for customer analysis (R-A1 … R-A3, R-A5): the lines of imported sales ledgers
// (an ERP's sales by customer, month or date and product), stock levels per product and month
// for turnover, the imports that brought them (a period re-imported replaces what an earlier
// import brought for it), and the ABC runs that were applied to the archives' grades.
// Schema builder only; no live code imported.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sales_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // sales | stock
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('month_from', 'text', (c) => c.notNull())
    .addColumn('month_to', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('replaced', 'integer', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sales_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // YYYY-MM; the day too when the ledger gives one.
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('sold_on', 'text')
    .addColumn('product_code', 'text', (c) => c.notNull())
    .addColumn('product_name', 'text')
    .addColumn('quantity', 'numeric(18, 4)')
    .addColumn('amount', 'numeric(18, 2)', (c) => c.notNull())
    .addColumn('gross_margin', 'numeric(18, 2)')
    .addColumn('import_id', 'text', (c) => c.notNull().references('sales_imports.id'))
    .execute();
  // ABC, composition and the seasonal index sum a period's amounts by customer: one range scan
  // of this index answers them without reading the table.
  await db.schema
    .createIndex('sales_records_month_idx')
    .on('sales_records')
    .columns(['month', 'customer_id', 'amount'])
    .execute();
  await db.schema
    .createIndex('sales_records_customer_idx')
    .on('sales_records')
    .columns(['customer_id', 'month'])
    .execute();
  await db.schema
    .createIndex('sales_records_product_idx')
    .on('sales_records')
    .columns(['product_code', 'month'])
    .execute();
  await db.schema
    .createIndex('sales_records_import_idx')
    .on('sales_records')
    .columns(['import_id'])
    .execute();

  await db.schema
    .createTable('stock_levels')
    .addColumn('product_code', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('product_name', 'text')
    .addColumn('quantity', 'numeric(18, 4)')
    .addColumn('amount', 'numeric(18, 2)', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull().references('sales_imports.id'))
    .addPrimaryKeyConstraint('stock_levels_pk', ['product_code', 'month'])
    .execute();
  await db.schema.createIndex('stock_levels_month_idx').on('stock_levels').columns(['month']).execute();

  await db.schema
    .createTable('abc_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('month_from', 'text', (c) => c.notNull())
    .addColumn('month_to', 'text', (c) => c.notNull())
    // A customer category when the run grades within one category; null for all customers.
    .addColumn('category', 'text')
    // Cumulative shares in per cent (A up to a, B up to b) and how a customer straddling a
    // boundary is graded (upper: the grade above; lower: the grade below).
    .addColumn('threshold_a', 'numeric(5, 2)', (c) => c.notNull())
    .addColumn('threshold_b', 'numeric(5, 2)', (c) => c.notNull())
    .addColumn('straddle', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('customers', 'integer', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull())
    .addColumn('total', 'numeric(18, 2)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('abc_runs_created_idx').on('abc_runs').columns(['created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
