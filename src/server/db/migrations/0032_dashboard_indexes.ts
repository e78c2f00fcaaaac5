import type { Kysely } from 'kysely';

// The dashboard's holdings growth counts documents per 年度 of the last five years, and the
// document list filters by 年度 when a bar is clicked: an index on the year (then the id, the
// list's tie) reads those years only instead of every document.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('documents_record_year_idx')
    .on('documents')
    .columns(['record_year', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
