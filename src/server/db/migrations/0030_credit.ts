import type { Kysely } from 'kysely';

// Credit management and admission (R-A4, issue 17; seed 004 客户信息管理制度): the dated balances
// of each customer (赊销款 and 未结算票据, entered or imported; the newest by date counts), the
// customer's credit state (limit in force, 暂停供货, the warning level last told), credit
// investigations (信用调查: 日常/紧急/定期) with attachments, requests for a credit limit or a credit
// class with their approval, admissions of new customers (客户交易卡) approved by the sales
// director, and 危险客户报告. Money is numeric(18, 2) as orders keep it. Schema builder only; no
// live code imported.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credit_balances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('receivables', 'numeric(18, 2)', (c) => c.notNull())
    .addColumn('unsettled_bills', 'numeric(18, 2)', (c) => c.notNull())
    // The oldest overdue receivable in days on that date (payment history, class criteria).
    .addColumn('overdue_days', 'integer', (c) => c.notNull())
    // entry | import
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The balance in force: the newest row per customer.
  await db.schema
    .createIndex('credit_balances_customer_idx')
    .on('credit_balances')
    .columns(['customer_id', 'as_of', 'created_at'])
    .execute();

  await db.schema
    .createTable('customer_credit')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id'))
    .addColumn('credit_limit', 'numeric(18, 2)')
    .addColumn('limit_approved_at', 'text')
    .addColumn('limit_approved_by', 'text')
    .addColumn('suspended', 'integer', (c) => c.notNull())
    .addColumn('suspended_at', 'text')
    .addColumn('suspended_by', 'text')
    .addColumn('suspend_reason', 'text')
    // The warning level people were last told of: null | warn (share reached) | over (limit
    // passed); a notification goes out when it rises, once per crossing.
    .addColumn('warning_level', 'text')
    .addColumn('warned_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credit_investigations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // daily 日常 | urgent 紧急 | periodic 定期
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('investigated_on', 'text', (c) => c.notNull())
    // bank | agency | trade | colleagues | press | visit (seed 004 第五条), comma-free JSON list
    .addColumn('sources', 'text', (c) => c.notNull())
    // Seed 004 第六条: 经营者, 企业内部状况, 资金筹措, 支付情况; and the conclusion.
    .addColumn('management', 'text')
    .addColumn('internal', 'text')
    .addColumn('funding', 'text')
    .addColumn('payment', 'text')
    .addColumn('conclusion', 'text', (c) => c.notNull())
    // Facts the class criteria read (null: not established).
    .addColumn('founded_on', 'text')
    .addColumn('staff_count', 'integer')
    .addColumn('wholesaler', 'integer')
    .addColumn('past_default', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('credit_investigations_customer_idx')
    .on('credit_investigations')
    .columns(['customer_id', 'investigated_on'])
    .execute();

  await db.schema
    .createTable('credit_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('credit_investigations.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credit_files_inv_idx').on('credit_files').column('investigation_id').execute();
  await db.schema.createIndex('credit_files_sha_idx').on('credit_files').column('sha256').execute();

  await db.schema
    .createTable('credit_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // limit 信用限度 | class 信用等级
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('credit_limit', 'numeric(18, 2)')
    .addColumn('credit_class', 'text')
    // The class the criteria proposed and why (JSON), at the request.
    .addColumn('proposal', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    // department_manager | general_manager
    .addColumn('approver_role', 'text', (c) => c.notNull())
    // pending | approved | rejected | withdrawn
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_comment', 'text')
    .execute();
  await db.schema
    .createIndex('credit_requests_customer_idx')
    .on('credit_requests')
    .columns(['customer_id', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('credit_requests_status_idx')
    .on('credit_requests')
    .columns(['status', 'approver_role'])
    .execute();

  await db.schema
    .createTable('credit_admissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // The 客户交易卡 (seed 004 第十条 (6)) as JSON: headquarters, trading site, address, website,
    // opened, capital, staff, managers, equipment and property, managers' ages.
    .addColumn('card', 'text', (c) => c.notNull())
    // The trading conditions: payment terms, settlement, and the 附加条件 (guarantees).
    .addColumn('payment_terms', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text')
    .addColumn('requested_limit', 'numeric(18, 2)', (c) => c.notNull())
    // pending | approved | rejected
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_comment', 'text')
    .execute();
  await db.schema
    .createIndex('credit_admissions_customer_idx')
    .on('credit_admissions')
    .columns(['customer_id', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('credit_admissions_status_idx')
    .on('credit_admissions')
    .column('status')
    .execute();

  // 危险客户报告 (seed 004 第十一条): bills refused or delayed, credit deteriorated.
  await db.schema
    .createTable('credit_danger_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('measures', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('credit_danger_customer_idx')
    .on('credit_danger_reports')
    .columns(['customer_id', 'reported_on'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
