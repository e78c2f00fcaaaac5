import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// 我的待办 of special requirements counts the reviews a department has not given and the
// requirements marked 需复核: both are a few rows among many, which partial indexes find without
// reading the rest (bench/special-requirements.ts, "to-do counts").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('sr_reviews_open_idx')
    .on('sr_reviews')
    .columns(['department_id', 'requirement_id'])
    .where(sql.ref('decision'), 'is', null)
    .execute();
  await db.schema
    .createIndex('sr_requirements_recheck_idx')
    .on('sr_requirements')
    .columns(['customer_id', 'status'])
    .where(sql.ref('needs_recheck'), '=', 1)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
