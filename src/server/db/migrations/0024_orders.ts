import type { Kysely } from 'kysely';

// Orders and contract review (订单与合同评审, R-K1 … R-K3): orders, contracts, tenders and annual
// contracts with their lines, the class the system proposes (常规/非常规) with its reasons and an
// override, the departments' reviews (会签) with their checklist answers, the approval (who
// signed in which role) and a field-by-field history. Amendments, deliveries and delayed orders
// come later in their own migration. Schema builder only; no live code imported.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // HT202612-0001, per month (platform/numbering).
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // The customer's own purchase order / contract number.
    .addColumn('customer_po', 'text')
    // order | contract | tender | annual
    .addColumn('kind', 'text', (c) => c.notNull())
    // written | email | phone | fax | portal
    .addColumn('received_via', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    // 电话纪要 (received via phone): who called, when, what was agreed.
    .addColumn('phone_caller', 'text')
    .addColumn('phone_called_at', 'text')
    .addColumn('phone_agreed', 'text')
    // The customer's written confirmation: needed (0/1), received on (YYYY-MM-DD).
    .addColumn('confirmation_needed', 'integer', (c) => c.notNull())
    .addColumn('confirmation_received_on', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('payment_terms', 'text')
    .addColumn('delivery_method', 'text')
    .addColumn('delivery_place', 'text')
    .addColumn('packaging', 'text')
    .addColumn('remarks', 'text')
    // Sum of the lines' amounts (null while a line has no price).
    .addColumn('total_amount', 'numeric(18, 2)')
    // regular | non_regular: what the facts say, with the reasons (JSON [{code, params}]).
    .addColumn('proposed_class', 'text', (c) => c.notNull())
    .addColumn('class_reasons', 'text', (c) => c.notNull())
    .addColumn('lead_time_at_risk', 'integer', (c) => c.notNull())
    // The class in force: the proposed one unless overridden with a reason.
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('class_override_reason', 'text')
    .addColumn('class_overridden_by', 'text')
    .addColumn('class_overridden_at', 'text')
    // draft | in_review | accepted | rejected | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    // sales | capacity | full: the review route chosen when submitted.
    .addColumn('route', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text')
    // Who must sign now: sales | sales_manager | general_manager.
    .addColumn('signer_role', 'text')
    // The approval: accept | reject, in which role, who, when, why a 不接受 was overruled.
    .addColumn('approval_decision', 'text')
    .addColumn('approved_role', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('approval_comment', 'text')
    .addColumn('overrule_reason', 'text')
    // What creditCheck answered at the approval (ok | general_manager | suspended).
    .addColumn('credit_verdict', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  // The list: newest first, alone or by customer, status, class or kind.
  await db.schema.createIndex('orders_created_idx').on('orders').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('orders_customer_idx')
    .on('orders')
    .columns(['customer_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('orders_status_idx')
    .on('orders')
    .columns(['status', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('orders_class_idx')
    .on('orders')
    .columns(['class', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('orders_kind_idx').on('orders').columns(['kind', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_po_idx').on('orders').columns(['customer_po']).execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('part_number', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('specification', 'text')
    .addColumn('quantity', 'numeric(18, 4)', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('unit_price', 'numeric(18, 4)')
    .addColumn('amount', 'numeric(18, 2)')
    .addColumn('requested_on', 'text', (c) => c.notNull())
    .addColumn('promised_on', 'text')
    .execute();
  await db.schema
    .createIndex('order_lines_order_idx')
    .on('order_lines')
    .columns(['order_id', 'line_no'])
    .unique()
    .execute();
  // "A part this customer never ordered before" (R-K1) looks lines up by part number.
  await db.schema
    .createIndex('order_lines_part_idx')
    .on('order_lines')
    .columns(['part_number', 'order_id'])
    .execute();

  // One review per department asked (会签, R-K2, R-K3).
  await db.schema
    .createTable('order_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    // accept 可接受 | conditional 有条件接受 | reject 不接受; null while not reviewed.
    .addColumn('decision', 'text')
    .addColumn('condition', 'text')
    .addColumn('comment', 'text')
    // JSON {itemCode: {answer: ok|issue|na, note}} against the configured checklist.
    .addColumn('checklist', 'text')
    // Finance's pricing of new products: JSON [{lineNo, unitPrice}].
    .addColumn('pricing', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .execute();
  await db.schema
    .createIndex('order_reviews_order_idx')
    .on('order_reviews')
    .columns(['order_id', 'department_id'])
    .unique()
    .execute();
  // A department's open reviews on 我的待办.
  await db.schema
    .createIndex('order_reviews_department_idx')
    .on('order_reviews')
    .columns(['department_id', 'decision'])
    .execute();

  // Field-by-field history of an order (as sr_history).
  await db.schema
    .createTable('order_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('order_history_order_idx')
    .on('order_history')
    .columns(['order_id', 'at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
