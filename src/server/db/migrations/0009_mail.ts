import type { Kysely } from 'kysely';

// Notifications by e-mail (R-W2): when a notification's message went out, or why it could not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('mailed_at', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('mail_error', 'text').execute();
  await db.schema
    .createIndex('notifications_mail_idx')
    .on('notifications')
    .columns(['mailed_at', 'created_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
