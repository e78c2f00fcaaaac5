import type { Kysely } from 'kysely';

// Failed sign-ins with a login nobody has: counted and locked like an account's, so that the
// lockout answer does not tell which logins exist. Old rows are swept by the daily clean-up.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('login', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_failures_updated_idx')
    .on('login_failures')
    .column('updated_at')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
