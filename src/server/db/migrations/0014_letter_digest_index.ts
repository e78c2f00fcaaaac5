import type { Kysely } from 'kysely';

// Electronic destruction keeps content that a borrower's letter of introduction also holds (the
// same bytes are stored once): the lookup by digest needs an index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('access_requests_letter_idx')
    .on('access_requests')
    .column('letter_sha256')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
