import { type Kysely, sql } from 'kysely';

// Operations (R-W2, R-L2, R-L3): in-app notifications, the scheduler's claimed runs, and the
// stored reports of integrity checks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('link', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  // A user's list, newest first; and, partial, their unread ones (the bell's count and list).
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .where(sql.ref('read_at'), 'is', null)
    .execute();

  // One row per run of a scheduled task. The unique (task, slot) key is the claim: of several
  // servers on one database, the one whose insert succeeds runs the slot.
  await db.schema
    .createTable('schedule_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text')
    .addColumn('error', 'text')
    .addUniqueConstraint('schedule_runs_slot_key', ['task', 'slot'])
    .execute();
  await db.schema
    .createIndex('schedule_runs_task_idx')
    .on('schedule_runs')
    .columns(['task', 'started_at', 'id'])
    .execute();
  await db.schema.createIndex('schedule_runs_status_idx').on('schedule_runs').columns(['status']).execute();

  // Reports of integrity checks (R-L2), kept: the history of 四性检测.
  await db.schema
    .createTable('integrity_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('findings', 'integer', (c) => c.notNull())
    .addColumn('fixity_failures', 'integer', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('integrity_reports_checked_idx')
    .on('integrity_reports')
    .columns(['checked_at', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
