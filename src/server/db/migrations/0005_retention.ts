import { type Kysely, sql } from 'kysely';
import { recordYear, retentionDue } from '../../../common/retention.js';

// Retention, appraisal and destruction (R-X1 … R-X5): each document's due-for-appraisal date,
// holds, appraisal batches with their members' opinions, destruction registers with their
// signatures, and what electronic destruction removed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('documents').addColumn('retention_due', 'text').execute();
  // The record's year (年度): of its issue, else receipt, else registration — the appraisal
  // list filters on it.
  await db.schema.alterTable('documents').addColumn('record_year', 'integer').execute();
  // L<n> retention: the day the part's production and service ended.
  await db.schema.alterTable('documents').addColumn('life_end_date', 'text').execute();
  await db.schema.alterTable('documents').addColumn('withdrawn_at', 'text').execute();
  // Set by an appraisal that kept the record with a new term.
  await db.schema.alterTable('documents').addColumn('extended_due', 'text').execute();
  await db.schema.alterTable('documents').addColumn('destroyed_at', 'text').execute();
  await db.schema.alterTable('documents').addColumn('disposal_id', 'text').execute();
  await db.schema
    .createIndex('documents_retention_due_idx')
    .on('documents')
    .columns(['retention_due', 'search_key'])
    .execute();
  // Content removed by electronic destruction (R-X4): the row stays for the files' metadata.
  await db.schema.alterTable('blobs').addColumn('destroyed_at', 'text').execute();

  await db.schema
    .createTable('holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .addColumn('lifted_by', 'text')
    .addColumn('lift_reason', 'text')
    .execute();
  await db.schema
    .createIndex('holds_target_idx')
    .on('holds')
    .columns(['target_type', 'target_id', 'lifted_at'])
    .execute();
  await db.schema.createIndex('holds_active_idx').on('holds').columns(['lifted_at', 'placed_at']).execute();

  await db.schema
    .createTable('appraisals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('concluded_at', 'text')
    .addColumn('concluded_by', 'text')
    .addColumn('report_document_id', 'text')
    .execute();
  await db.schema.createIndex('appraisals_created_idx').on('appraisals').columns(['created_at']).execute();

  await db.schema
    .createTable('appraisal_members')
    .addColumn('appraisal_id', 'text', (c) => c.notNull().references('appraisals.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // archive: the archive's people; business: the departments whose records they are.
    .addColumn('side', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('appraisal_members_pk', ['appraisal_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('appraisal_members_user_idx')
    .on('appraisal_members')
    .columns(['user_id'])
    .execute();

  await db.schema
    .createTable('appraisal_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appraisal_id', 'text', (c) => c.notNull().references('appraisals.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('due', 'text')
    .addColumn('retention', 'text', (c) => c.notNull())
    // The group's decision once the batch is concluded.
    .addColumn('outcome', 'text')
    .addColumn('new_retention', 'text')
    .addColumn('new_due', 'text')
    .addColumn('reason', 'text')
    .addColumn('disposal_id', 'text')
    .addUniqueConstraint('appraisal_items_uq', ['appraisal_id', 'document_id'])
    .execute();
  await db.schema
    .createIndex('appraisal_items_document_idx')
    .on('appraisal_items')
    .columns(['document_id'])
    .execute();
  await db.schema
    .createIndex('appraisal_items_outcome_idx')
    .on('appraisal_items')
    .columns(['outcome', 'disposal_id'])
    .execute();

  await db.schema
    .createTable('appraisal_opinions')
    .addColumn('item_id', 'text', (c) => c.notNull().references('appraisal_items.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('appraisal_id', 'text', (c) => c.notNull().references('appraisals.id'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('retention', 'text')
    .addColumn('due', 'text')
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('appraisal_opinions_pk', ['item_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('appraisal_opinions_member_idx')
    .on('appraisal_opinions')
    .columns(['appraisal_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('disposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // The signing steps as configured when the register was submitted (JSON).
    .addColumn('signer_steps', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('witness_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('rejected_reason', 'text')
    .addColumn('destruction_date', 'text')
    .addColumn('executed_at', 'text')
    .addColumn('executed_by', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('register_document_id', 'text')
    .execute();
  await db.schema.createIndex('disposals_created_idx').on('disposals').columns(['created_at']).execute();

  await db.schema
    .createTable('disposal_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('disposal_id', 'text', (c) => c.notNull().references('disposals.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('appraisal_item_id', 'text', (c) => c.notNull().references('appraisal_items.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // What the register lists (R-X3), as it stood when the item was listed.
    .addColumn('archive_no', 'text')
    .addColumn('doc_number', 'text')
    .addColumn('responsible_party', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date_formed', 'text')
    .addColumn('record_year', 'integer', (c) => c.notNull())
    .addColumn('retention', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('secrecy', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('blocked_reason', 'text')
    .addColumn('destroyed_at', 'text')
    .addUniqueConstraint('disposal_items_uq', ['disposal_id', 'document_id'])
    .execute();
  await db.schema
    .createIndex('disposal_items_document_idx')
    .on('disposal_items')
    .columns(['document_id'])
    .execute();

  await db.schema
    .createTable('disposal_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('disposal_id', 'text', (c) => c.notNull().references('disposals.id'))
    // leader: a signing step before destruction; witness: 监销人 after it.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('opinion', 'text')
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('disposal_signatures_uq', ['disposal_id', 'kind', 'step'])
    .execute();

  // Appraisal reports and destruction registers are records themselves, kept permanently.
  await sql`insert into document_categories (code, name, name_en, external, customer_documents, shared, archive_class, retention, distribution, sort_order, active)
    values ('archive_work', '档案鉴定与销毁记录', 'Appraisal and destruction records', 0, 0, 0, 'WS', 'Y', '[]', 100, 1)`.execute(
    db,
  );

  // Documents withdrawn before this migration: their withdrawal is their last version's.
  await sql`update documents set withdrawn_at = (
      select max(v.obsoleted_at) from document_versions v where v.document_id = documents.id
    ) where status = 'obsolete'`.execute(db);
  await backfillDue(db);
}

async function backfillDue(db: Kysely<unknown>): Promise<void> {
  type Row = {
    id: string;
    search_key: number;
    retention: string;
    issue_date: string | null;
    received_date: string | null;
    created_at: string;
    withdrawn_at: string | null;
    archive_no: string | null;
  };
  let after = -1;
  for (;;) {
    const { rows } = await sql<Row>`select id, search_key, retention, issue_date, received_date, created_at,
        withdrawn_at, archive_no from documents where search_key > ${after} order by search_key limit 1000`.execute(
      db,
    );
    for (const r of rows) {
      const subject = {
        retention: r.retention,
        issueDate: r.issue_date,
        receivedDate: r.received_date,
        createdAt: r.created_at,
        lifeEndDate: null,
        withdrawnAt: r.withdrawn_at,
        filed: r.archive_no !== null,
        extendedDue: null,
      };
      await sql`update documents set retention_due = ${retentionDue(subject)}, record_year = ${recordYear(subject)}
        where id = ${r.id}`.execute(db);
    }
    if (rows.length < 1000) break;
    after = Number(rows.at(-1)?.search_key);
  }
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
