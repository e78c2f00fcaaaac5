import type { Kysely } from 'kysely';

// The dashboard counts the archives a reader sees by grade and by category: with the status,
// secrecy and department beside the grouped column, each count is an index-only scan in group
// order (no table rows read, no sort), which at a million archives is the difference between a
// fraction of a second and most of one.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['grade', 'category'])
    await db.schema
      .createIndex(`customers_${column}_group_idx`)
      .on('customers')
      .columns([column, 'status', 'secrecy', 'department_id'])
      .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
