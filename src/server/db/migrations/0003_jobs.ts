import type { Kysely } from 'kysely';

// Background jobs (imports and other long work), kept in the database so that any server can
// report their progress.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_total', 'integer')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('jobs_creator_idx').on('jobs').columns(['created_by', 'created_at']).execute();
  await db.schema.createIndex('jobs_status_idx').on('jobs').columns(['status']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
