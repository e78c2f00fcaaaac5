import type { Kysely } from 'kysely';

// Complaint statistics at a million cases (bench/cases.ts). Each statistic groups the cases of a
// period (a kind and a range of received months) by one of its dimensions; with every column
// they read in one index the database reads that index's range and never the case rows (a case row
// carries the customer's words and is wide). The filters the statistics take (type, handling
// department, product, customer) and the case's own secrecy are in it too, and the id last, for
// the join to the clocks. The clocks' own index then answers that join without the clock rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('cases_stats_idx')
    .on('cases')
    .columns([
      'kind',
      'received_month',
      'outcome',
      'cause_category',
      'handling_department_id',
      'type',
      'product',
      'customer_id',
      'secrecy',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('case_clocks_stats_idx')
    .on('case_clocks')
    .columns(['case_id', 'clock', 'met_at', 'on_time', 'met_days', 'met_hours', 'due_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
