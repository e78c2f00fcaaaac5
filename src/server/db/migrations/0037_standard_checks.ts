import type { Kysely } from 'kysely';

// 查新 (standards currency, 000 外来文件控制程序 “定期对产品的相关标准的版本进行核查”): each check of an
// external standard or law — confirmed current on a date, or found superseded and registered as a
// new version — and which due check the owning department was last reminded of.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('standard_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text')
    /** current: still the edition in force; new_edition: a new version was registered. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('checked_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('checked_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('standard_checks_document_idx')
    .on('standard_checks')
    .columns(['document_id', 'checked_on'])
    .execute();
  await db.schema
    .createIndex('standard_checks_checked_idx')
    .on('standard_checks')
    .columns(['checked_on', 'id'])
    .execute();
  await db.schema
    .createTable('standard_reminders')
    .addColumn('document_id', 'text', (c) => c.primaryKey())
    /** The due date the owning department was reminded of. */
    .addColumn('due_on', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
