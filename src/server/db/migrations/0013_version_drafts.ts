import type { Kysely } from 'kysely';

// A file taken out of a version (a draft's, or one of a version nobody holds a copy of yet,
// R-D4) keeps its row with who took it out and when: the content stays stored, named in the
// audit trail, and goes only with the record's destruction (R-D6, R-X4). Versions themselves
// need no new column: a draft and a withdrawn version are new values of `status`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('document_files').addColumn('removed_at', 'text').execute();
  await db.schema.alterTable('document_files').addColumn('removed_by', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
