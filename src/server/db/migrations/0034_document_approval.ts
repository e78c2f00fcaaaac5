import { type Kysely, sql } from 'kysely';

// Approval of internal documents (编制 → 审核 → 会签 → 批准, 生效日期) and signed receipt of
// distributed copies (谁接收谁签字), issue 18.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A category whose internal documents are drawn up, reviewed and approved before they are in
  // force, and the departments that countersign (会签) them: a JSON array of department ids.
  await db.schema
    .alterTable('document_categories')
    .addColumn('approval', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('document_categories')
    .addColumn('countersign', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await sql`insert into document_categories (code, name, name_en, external, customer_documents, shared, controlled, archive_class, retention, distribution, sort_order, active, approval, countersign)
    values ('procedures', '程序文件与作业指导书', 'Procedures and work instructions', 0, 0, 1, 0, 'WS', 'D10', '[]', 6, 1, 1, '[]')`.execute(
    db,
  );

  // A version under approval: where it stands (null: not under approval — external and
  // customer documents, records, and everything registered before), the round (a return starts
  // a new one) and, once approved, the day it comes into force.
  await db.schema.alterTable('document_versions').addColumn('approval', 'text').execute();
  await db.schema
    .alterTable('document_versions')
    .addColumn('approval_round', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('document_versions').addColumn('effective_date', 'text').execute();
  await db.schema
    .createIndex('document_versions_effective_idx')
    .on('document_versions')
    .columns(['approval', 'effective_date'])
    .execute();

  // Each signature (or return) on a version: step, round, the countersigning department, who,
  // when, the reason of a return and the effective date an approval set.
  await db.schema
    .createTable('document_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('document_versions.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('signer_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('effective_date', 'text')
    .execute();
  // Signed receipt of a distributed copy (谁接收谁签字): who signed for it and when, in the app
  // or on paper (the scanned receipt's digest, and who recorded it); the holder's signature when
  // a recalled copy is handed back (交回); when the holder was last reminded.
  for (const column of [
    'received_at',
    'received_by',
    'received_by_name',
    'receipt_sha256',
    'receipt_name',
    'receipt_recorded_by',
    'returned_at',
    'returned_by',
    'returned_by_name',
    'return_sha256',
    'return_name',
    'return_recorded_by',
    'reminded_at',
  ])
    await db.schema.alterTable('document_copies').addColumn(column, 'text').execute();
  await db.schema
    .createIndex('document_copies_receipt_idx')
    .on('document_copies')
    .columns(['received_at', 'distributed_at'])
    .execute();

  await db.schema
    .createIndex('document_signatures_version_idx')
    .on('document_signatures')
    .columns(['version_id', 'round'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
