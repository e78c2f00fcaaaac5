import type { Kysely } from 'kysely';

// Background jobs say which server runs them and renew a heartbeat while they do, so that a
// server starting up fails only the jobs whose process is gone, not the ones another server is
// still running.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('server', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('heartbeat_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
