import { type Kysely, sql } from 'kysely';

// Access requests and borrowing (R-P1 … R-P8): requests with their items and approval steps,
// time-limited electronic grants on documents (customer archives use customer_grants, now
// linked to the request), physical loans with their condition out and back, incidents
// (loss or damage reported to the general manager), and the reminders sent for overdue loans.
export async function up(db: Kysely<unknown>): Promise<void> {
  // 受控档案 need the general manager's approval (R-P2); a category sets the default.
  await db.schema
    .alterTable('document_categories')
    .addColumn('controlled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('documents')
    .addColumn('controlled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update document_categories set controlled = 1 where code in ('customer_supplied', 'agreements')`.execute(
    db,
  );
  await sql`update documents set controlled = 1 where category in ('customer_supplied', 'agreements')`.execute(
    db,
  );

  await db.schema.alterTable('customer_grants').addColumn('request_id', 'text').execute();

  await db.schema
    .createTable('access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('requester_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requester_department_id', 'text')
    // electronic: time-limited access; physical: the archivist issues the items.
    .addColumn('mode', 'text', (c) => c.notNull())
    // read 查阅, borrow 借阅, copy 复制/摘抄, print 打印
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('external_org', 'text')
    .addColumn('external_person', 'text')
    .addColumn('letter_sha256', 'text')
    .addColumn('letter_name', 'text')
    // pending, returned, approved, rejected, withdrawn, closed
    .addColumn('status', 'text', (c) => c.notNull())
    // The approval chain as derived when submitted (JSON): [{ role, label, departmentId }].
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('current_step', 'integer', (c) => c.notNull().defaultTo(0))
    // Who must act now (the current step's role and, for a department manager, the department),
    // so that each approver's queue is an index lookup.
    .addColumn('pending_role', 'text')
    .addColumn('pending_department_id', 'text')
    .addColumn('renewal_of', 'text')
    .addColumn('secrecy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_requests_requester_idx')
    .on('access_requests')
    .columns(['requester_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('access_requests_status_idx')
    .on('access_requests')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('access_requests_pending_idx')
    .on('access_requests')
    .columns(['pending_role', 'pending_department_id'])
    .execute();

  await db.schema
    .createTable('access_request_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('department_id', 'text')
    .addColumn('secrecy', 'integer', (c) => c.notNull())
    .addColumn('controlled', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_request_items_request_idx')
    .on('access_request_items')
    .columns(['request_id'])
    .execute();
  await db.schema
    .createIndex('access_request_items_target_idx')
    .on('access_request_items')
    .columns(['target_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('access_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    // submit, approve, reject, return, resubmit, withdraw, issue, receive, renew, expire
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('step', 'integer')
    .addColumn('comment', 'text')
    .execute();
  await db.schema
    .createIndex('access_request_events_request_idx')
    .on('access_request_events')
    .columns(['request_id', 'at'])
    .execute();

  await db.schema
    .createTable('document_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('can_download', 'integer', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('document_grants_user_idx')
    .on('document_grants')
    .columns(['user_id', 'document_id'])
    .execute();
  await db.schema
    .createIndex('document_grants_document_idx')
    .on('document_grants')
    .columns(['document_id'])
    .execute();

  await db.schema
    .createTable('loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('access_request_items.id'))
    // physical: the archivist issued the item; electronic: access granted until the due date.
    // Both are lines of the lending register (借阅登记簿).
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('borrower_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('condition_out', 'text', (c) => c.notNull())
    .addColumn('note_out', 'text')
    // Set while the item is out; cleared on return, so that one item is out once at most.
    .addColumn('out_key', 'text')
    .addColumn('returned_at', 'text')
    .addColumn('received_by', 'text')
    // intact 完好, damaged 缺损, lost 丢失
    .addColumn('condition_in', 'text')
    .addColumn('note_in', 'text')
    .execute();
  await db.schema.createIndex('loans_out_uq').on('loans').column('out_key').unique().execute();
  await db.schema.createIndex('loans_due_idx').on('loans').columns(['returned_at', 'due_date']).execute();
  await db.schema
    .createIndex('loans_borrower_idx')
    .on('loans')
    .columns(['borrower_id', 'returned_at'])
    .execute();
  await db.schema.createIndex('loans_target_idx').on('loans').columns(['target_type', 'target_id']).execute();
  await db.schema.createIndex('loans_request_idx').on('loans').columns(['request_id']).execute();

  await db.schema
    .createTable('loan_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    // damaged, lost
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('loan_incidents_loan_idx').on('loan_incidents').columns(['loan_id']).execute();

  // One reminder per loan and day (催还, R-P5), whichever server sends it.
  await db.schema
    .createTable('loan_reminders')
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('loan_reminders_pk', ['loan_id', 'day'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
