import type { Kysely } from 'kysely';

// Follow-up visits (回访, R-V1, R-V2): visit tasks planned from events on a customer archive
// (filed, first purchase, a case closed, an interaction) or by hand, and the visit recorded on
// the task when it is done. The archive gains its first purchase date, which starts the buyers'
// plan. Schema builder only, like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('first_purchase_date', 'text').execute();

  await db.schema
    .createTable('visit_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // filed | first_purchase | case_closed | interaction | manual
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('rule_name', 'text')
    .addColumn('source_type', 'text')
    .addColumn('source_id', 'text')
    .addColumn('plan_key', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('offset_days', 'integer', (c) => c.notNull())
    // calendar | working
    .addColumn('day_kind', 'text', (c) => c.notNull())
    .addColumn('base_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    // phone 电话 | onsite 上门
    .addColumn('way', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    // open | done | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('visited_on', 'text')
    .addColumn('visit_way', 'text')
    .addColumn('contact', 'text')
    .addColumn('content', 'text')
    .addColumn('feedback', 'text')
    .addColumn('next_step', 'text')
    .addColumn('next_step_due', 'text')
    .addColumn('interaction_id', 'text')
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancel_note', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The archive's 回访 tab and the moves on merge, handover and deactivation.
  await db.schema
    .createIndex('visit_tasks_customer_idx')
    .on('visit_tasks')
    .columns(['customer_id', 'status', 'due_date'])
    .execute();
  // 我的回访 and the to-do counts, in due order.
  await db.schema
    .createIndex('visit_tasks_assignee_idx')
    .on('visit_tasks')
    .columns(['assignee_id', 'status', 'due_date', 'id'])
    .execute();
  // The department view, the company list and the daily reminders, in due order.
  await db.schema
    .createIndex('visit_tasks_due_idx')
    .on('visit_tasks')
    .columns(['status', 'due_date', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
