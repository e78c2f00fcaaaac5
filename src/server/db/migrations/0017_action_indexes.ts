import type { Kysely } from 'kysely';

// The company-wide list of corrective and preventive actions (纠正预防措施) is ordered by due date;
// each of its filters walks an index in that order (the owner's list has corrective_actions_owner_idx).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('corrective_actions_due_idx')
    .on('corrective_actions')
    .columns(['due_date', 'id'])
    .execute();
  await db.schema
    .createIndex('corrective_actions_status_idx')
    .on('corrective_actions')
    .columns(['status', 'due_date', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
