import type { Kysely } from 'kysely';

// Customer special requirements (顾客特殊要求, R-S1 … R-S5, R-D9): the per-customer list, the
// departments' reviews, the documents each requirement flows into, distributions with their
// acknowledgements, the customer's special-characteristic symbols and characteristics, and the
// yearly check against the customer's current versions. Actions decided in a review are
// corrective_actions with source_type 'special_requirement'. Schema builder only.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per customer whose list exists: its revision, next yearly check, last filed PDF.
  await db.schema
    .createTable('sr_lists')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('revised_at', 'text')
    .addColumn('revised_by', 'text')
    // The next yearly check (R-S5), YYYY-MM-DD.
    .addColumn('next_check_on', 'text', (c) => c.notNull())
    .addColumn('last_checked_on', 'text')
    .addColumn('check_reminded_at', 'text')
    // The PDF of the list filed into the customer's archive at the last revision.
    .addColumn('document_id', 'text')
    // Last requirement sequence used in CSR-<code>-NNN.
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sr_lists_check_idx').on('sr_lists').columns(['next_check_on']).execute();

  await db.schema
    .createTable('sr_requirements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    // The registered customer document (and version) it comes from, with clause/page.
    .addColumn('source_document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('source_version_id', 'text')
    .addColumn('source_clause', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('receiver_id', 'text')
    // 1: every product of the customer; else part_numbers (JSON array of strings).
    .addColumn('applies_to_all', 'integer', (c) => c.notNull())
    .addColumn('part_numbers', 'text', (c) => c.notNull())
    // pending_review | in_review | implemented | not_applicable | obsolete
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_department_id', 'text')
    // Received after mass production: the project team must have it within 1 working day.
    .addColumn('after_mass_production', 'integer', (c) => c.notNull())
    .addColumn('project_due_on', 'text')
    .addColumn('project_informed_at', 'text')
    // A newer version of the source document was registered: the requirement needs re-checking.
    .addColumn('needs_recheck', 'integer', (c) => c.notNull())
    .addColumn('recheck_reason', 'text')
    .addColumn('reviewed_on', 'text')
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('secrecy', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sr_requirements_customer_idx')
    .on('sr_requirements')
    .columns(['customer_id', 'seq'])
    .unique()
    .execute();
  // The cross-customer list by status (keyset on id).
  await db.schema
    .createIndex('sr_requirements_status_idx')
    .on('sr_requirements')
    .columns(['status', 'id'])
    .execute();
  // A new version of a source document marks its requirements 需复核.
  await db.schema
    .createIndex('sr_requirements_source_idx')
    .on('sr_requirements')
    .columns(['source_document_id'])
    .execute();
  // The 1-working-day clock on 我的待办.
  await db.schema
    .createIndex('sr_requirements_project_idx')
    .on('sr_requirements')
    .columns(['project_informed_at', 'project_due_on'])
    .execute();

  // Field-by-field history of a requirement.
  await db.schema
    .createTable('sr_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requirement_id', 'text', (c) => c.notNull().references('sr_requirements.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('sr_history_requirement_idx')
    .on('sr_history')
    .columns(['requirement_id', 'at'])
    .execute();

  // One review per department asked (R-S2).
  await db.schema
    .createTable('sr_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requirement_id', 'text', (c) => c.notNull().references('sr_requirements.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    // applicable | not_applicable; null while not reviewed.
    .addColumn('decision', 'text')
    .addColumn('note', 'text')
    // Who in the department carries it out.
    .addColumn('owner_id', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .execute();
  await db.schema
    .createIndex('sr_reviews_requirement_idx')
    .on('sr_reviews')
    .columns(['requirement_id', 'department_id'])
    .unique()
    .execute();
  // A department's open reviews on 我的待办.
  await db.schema
    .createIndex('sr_reviews_department_idx')
    .on('sr_reviews')
    .columns(['department_id', 'reviewed_at'])
    .execute();

  // The internal documents a requirement flows into, with the version that implements it.
  await db.schema
    .createTable('sr_document_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requirement_id', 'text', (c) => c.notNull().references('sr_requirements.id'))
    .addColumn('department_id', 'text')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    // control_plan | pfmea | work_instruction | inspection | other
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sr_document_links_requirement_idx')
    .on('sr_document_links')
    .columns(['requirement_id'])
    .execute();
  await db.schema
    .createIndex('sr_document_links_document_idx')
    .on('sr_document_links')
    .columns(['document_id'])
    .execute();

  // Communication (R-S3): a requirement, or a whole list revision, sent to people.
  await db.schema
    .createTable('sr_distributions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // Null: the whole list at `list_revision`.
    .addColumn('requirement_id', 'text')
    .addColumn('list_revision', 'integer')
    // read | trained: what each recipient must confirm.
    .addColumn('ack_kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('distributed_at', 'text', (c) => c.notNull())
    .addColumn('distributed_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sr_distributions_customer_idx')
    .on('sr_distributions')
    .columns(['customer_id', 'distributed_at'])
    .execute();
  await db.schema
    .createTable('sr_acknowledgements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('distribution_id', 'text', (c) => c.notNull().references('sr_distributions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('department_id', 'text')
    .addColumn('acknowledged_at', 'text')
    // read | trained, as confirmed.
    .addColumn('kind', 'text')
    .addColumn('note', 'text')
    .addColumn('reminded_at', 'text')
    .execute();
  await db.schema
    .createIndex('sr_acknowledgements_distribution_idx')
    .on('sr_acknowledgements')
    .columns(['distribution_id', 'user_id'])
    .unique()
    .execute();
  // A person's unacknowledged items on 我的待办.
  await db.schema
    .createIndex('sr_acknowledgements_user_idx')
    .on('sr_acknowledgements')
    .columns(['user_id', 'acknowledged_at'])
    .execute();

  // Special characteristics (R-S4): the customer's symbols and the characteristics per part.
  await db.schema
    .createTable('sr_symbols')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('meaning', 'text')
    // shield | diamond | star | circle | triangle | none: drawn by Kedang when no image.
    .addColumn('shape', 'text', (c) => c.notNull())
    // The customer's own image (SVG or PNG) in the blob store.
    .addColumn('image_sha256', 'text')
    .addColumn('image_mime', 'text')
    // CC | SC
    .addColumn('char_class', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sr_symbols_customer_idx')
    .on('sr_symbols')
    .columns(['customer_id', 'code'])
    .unique()
    .execute();
  await db.schema
    .createTable('sr_characteristics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('part_number', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('specification', 'text', (c) => c.notNull())
    .addColumn('char_class', 'text', (c) => c.notNull())
    .addColumn('symbol_id', 'text')
    .addColumn('control_plan_ref', 'text')
    .addColumn('inspection_method', 'text')
    .addColumn('requirement_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sr_characteristics_part_idx')
    .on('sr_characteristics')
    .columns(['customer_id', 'part_number', 'seq'])
    .execute();

  // The yearly check (R-S5): per source document, the version the customer publishes now.
  await db.schema
    .createTable('sr_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('checked_on', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sr_checks_customer_idx')
    .on('sr_checks')
    .columns(['customer_id', 'checked_on'])
    .execute();
  await db.schema
    .createTable('sr_check_sources')
    .addColumn('check_id', 'text', (c) => c.notNull().references('sr_checks.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    // The version label the customer currently publishes (its portal), and ours when checked.
    .addColumn('published_version', 'text', (c) => c.notNull())
    .addColumn('registered_version', 'text')
    .addColumn('matches', 'integer', (c) => c.notNull())
    .addColumn('confirmed_on', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sr_check_sources_pk', ['check_id', 'document_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
