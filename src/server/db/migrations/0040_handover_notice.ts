import type { Kysely } from 'kysely';

// The customer told of a handover (R-C9, seed 001 篇一: 交接应由公司及时通知有关客户): each archive
// handed over gets a notice to its primary contact — an e-mail from this outbox when SMTP is
// configured and the contact has an address, else a phone task for the successor. The mail is
// claimed (`mailed_at`) and retried like the other outboxes; the interaction it becomes is
// recorded when it has gone out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('handover_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('handover_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('to_user_id', 'text', (c) => c.notNull())
    /** mail | call */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('visit_task_id', 'text')
    .addColumn('interaction_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('mailed_at', 'text')
    .addColumn('mail_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mail_retry_at', 'text')
    .addColumn('mail_error', 'text')
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('handover_notices_handover_idx')
    .on('handover_notices')
    .columns(['handover_id', 'customer_id'])
    .execute();
  // The outbox's look: unsent mail, oldest first.
  await db.schema
    .createIndex('handover_notices_outbox_idx')
    .on('handover_notices')
    .columns(['channel', 'mailed_at', 'created_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
