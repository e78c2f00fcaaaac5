import type { Kysely } from 'kysely';

// E-mail notifications that a mail server refused for now (a 4xx reply, no connection) are
// tried again later: how often they were tried, and when the next try is due.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('notifications')
    .addColumn('mail_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('notifications').addColumn('mail_retry_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
