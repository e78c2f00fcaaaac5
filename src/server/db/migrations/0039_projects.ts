import type { Kysely } from 'kysely';

// 项目档案 (seed 002: 同一客户的不同项目档案应分别整理，但需建立关联索引): projects inside a customer
// archive, each with its own catalogue. A document (and an order, a special requirement or a
// complaint case) links to at most one project of its own archive; the 关联索引 counts per
// project what is linked and what is not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Unique within the archive (the index below).
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('owner_id', 'text')
    // A retention code of the document settings (Y, D30, D10 …).
    .addColumn('retention', 'text')
    // active | closed
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('remarks', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('projects_customer_code_idx')
    .on('projects')
    .columns(['customer_id', 'code'])
    .unique()
    .execute();

  // The links: nullable, and indexed for the catalogue and the 关联索引's counts.
  for (const table of ['documents', 'orders', 'sr_requirements', 'cases']) {
    await db.schema.alterTable(table).addColumn('project_id', 'text').execute();
    await db.schema.createIndex(`${table}_project_id_idx`).on(table).columns(['project_id']).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
