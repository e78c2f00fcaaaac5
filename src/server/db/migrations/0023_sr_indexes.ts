import type { Kysely } from 'kysely';

// Customer special requirements at 200,000 (bench/special-requirements.ts). The cross-customer
// list and its exports go by requirement number: a status filter walks (status, number) and stops
// after the page (or resumes at the export's next batch) instead of sorting every requirement of
// the status (26,000 in review: 190 ms → 10 ms on SQLite). With a customer too, (customer_id,
// status, number) reads that customer's only: without it SQLite, which has no statistics unless
// someone runs ANALYZE, walked the status index up to the customer (300 ms). The 1-working-day
// clock of requirements received after mass production (我的待办) reads the few of them not yet
// with the project team, not every requirement whose project_informed_at is null (all the others).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('sr_requirements_status_number_idx')
    .on('sr_requirements')
    .columns(['status', 'number'])
    .execute();
  await db.schema
    .createIndex('sr_requirements_customer_status_idx')
    .on('sr_requirements')
    .columns(['customer_id', 'status', 'number'])
    .execute();
  await db.schema
    .createIndex('sr_requirements_mass_production_idx')
    .on('sr_requirements')
    .columns(['after_mass_production', 'project_informed_at', 'project_due_on'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
