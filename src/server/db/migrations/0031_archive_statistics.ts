import type { Kysely } from 'kysely';

// Archive statistics (modules/statistics): the year's reads (查阅) are the audit trail's read
// entries of a few actions in a range of time. The trail holds every entry of every kind, so the
// index by time alone reads a whole year of entries to keep the reads; by action and then time the
// database reads only the reads of the year, one range per action.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_action_at_idx').on('audit_log').columns(['action', 'at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
