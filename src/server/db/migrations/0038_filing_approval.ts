import type { Kysely } from 'kysely';

// 备案审批 (R-C5, seed 001 篇五: 新建档案由销售总监进行审批确认): when the setting asks for it, filing a
// new archive submits it; the archive stays a draft until the sales director approves it, or is
// returned with a reason. The submission stops the filing clock; the return is shown to the owner.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('filing_submitted_at', 'text').execute();
  await db.schema.alterTable('customers').addColumn('filing_submitted_by', 'text').execute();
  await db.schema.alterTable('customers').addColumn('filing_returned_at', 'text').execute();
  await db.schema.alterTable('customers').addColumn('filing_returned_by', 'text').execute();
  await db.schema.alterTable('customers').addColumn('filing_return_reason', 'text').execute();
  // The approver's list and to-do count: archives waiting, by department.
  await db.schema
    .createIndex('customers_filing_pending_idx')
    .on('customers')
    .columns(['filing_submitted_at', 'department_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
