import type { Kysely } from 'kysely';
import { createSearchIndex } from '../../platform/search.js';
import { dialectOf } from '../dialect.js';

// Documents and records (R-D1 … R-D7): categories, the register, versions, files as
// content-addressed blobs, and each document's history.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('external', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_documents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archive_class', 'text', (c) => c.notNull())
    .addColumn('retention', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    // JSON array of department ids that receive a copy by default (R-D2).
    .addColumn('distribution', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  // One row per distinct content; files of any document point here (R-D6).
  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('search_key', 'bigint', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('responsible_party', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().references('document_categories.code'))
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer')
    .addColumn('location', 'text')
    .addColumn('secrecy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('secrecy_term', 'text')
    .addColumn('retention', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('obsolete_reason', 'text')
    .addColumn('archive_no', 'text', (c) => c.unique())
    .addColumn('filed_at', 'text')
    .addColumn('filed_by', 'text')
    // The current version's label and dates, kept here so that lists and registers need no join.
    .addColumn('version_label', 'text')
    .addColumn('issue_date', 'text')
    .addColumn('received_date', 'text')
    .addColumn('version_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('file_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changes_internal', 'text')
    // A customer document used directly for production or inspection: who signed the
    // customer's authorisation, and when (R-D5).
    .addColumn('customer_authorized_by', 'text')
    .addColumn('customer_authorized_on', 'text')
    .addColumn('remarks', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  // Lists are newest first (search_key order); each filter walks its own index in that order.
  for (const column of ['category', 'customer_id', 'department_id', 'status', 'retention', 'secrecy']) {
    await db.schema
      .createIndex(`documents_${column}_idx`)
      .on('documents')
      .columns([column, 'search_key'])
      .execute();
  }
  await db.schema.createIndex('documents_issue_idx').on('documents').columns(['issue_date']).execute();
  await db.schema.createIndex('documents_received_idx').on('documents').columns(['received_date']).execute();

  await db.schema
    .createTable('document_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('issue_date', 'text')
    .addColumn('received_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('obsoleted_at', 'text')
    .addColumn('obsoleted_by', 'text')
    .addUniqueConstraint('document_versions_seq_uq', ['document_id', 'seq'])
    .execute();

  await db.schema
    .createTable('document_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('document_versions.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_files_version_idx')
    .on('document_files')
    .columns(['version_id'])
    .execute();
  await db.schema
    .createIndex('document_files_document_idx')
    .on('document_files')
    .columns(['document_id'])
    .execute();
  await db.schema.createIndex('document_files_sha_idx').on('document_files').columns(['sha256']).execute();

  // Controlled distribution (R-D5): each copy of a version, its mark, recipient and recall.
  await db.schema
    .createTable('document_copies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('document_versions.id'))
    .addColumn('copy_no', 'integer', (c) => c.notNull())
    .addColumn('mark', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('distributed_at', 'text', (c) => c.notNull())
    .addColumn('distributed_by', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // none: in use; pending: its version was superseded, to be recalled; recalled.
    .addColumn('recall_status', 'text', (c) => c.notNull())
    .addColumn('recalled_at', 'text')
    .addColumn('recalled_by', 'text')
    .addColumn('recall_note', 'text')
    .addUniqueConstraint('document_copies_no_uq', ['version_id', 'copy_no'])
    .execute();
  await db.schema
    .createIndex('document_copies_document_idx')
    .on('document_copies')
    .columns(['document_id'])
    .execute();
  await db.schema
    .createIndex('document_copies_recall_idx')
    .on('document_copies')
    .columns(['recall_status', 'distributed_at'])
    .execute();

  // The text of a content (PDF, DOCX, XLSX, TXT), extracted once in a background job.
  await db.schema
    .createTable('document_texts')
    .addColumn('sha256', 'text', (c) => c.primaryKey().references('blobs.sha256'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('chars', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('extracted_at', 'text')
    .execute();

  await db.schema
    .createTable('document_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('document_events_document_idx')
    .on('document_events')
    .columns(['document_id', 'at'])
    .execute();

  await createSearchIndex(db, dialectOf(db), 'documents', { prefixIndex: true });

  // Default categories (R-D2). Administrators name the owning departments once they exist.
  const categories = db as Kysely<{
    document_categories: {
      code: string;
      name: string;
      name_en: string | null;
      external: number;
      customer_documents: number;
      shared: number;
      archive_class: string;
      retention: string;
      sort_order: number;
      active: number;
    };
  }>;
  const rows: [string, string, string, number, number, number, string, string][] = [
    ['laws', '法律法规、政府发文', 'Laws, regulations and government notices', 1, 0, 1, 'WS', 'D30'],
    ['product_standards', '产品标准', 'Product standards', 1, 0, 1, 'KJ', 'D30'],
    ['test_standards', '量具校准与产品测试标准', 'Calibration and test standards', 1, 0, 1, 'KJ', 'D30'],
    ['customer_supplied', '客户提供资料', 'Customer-supplied documents', 1, 1, 0, 'KH', 'D30'],
    ['books', '技术类图书文献', 'Technical books and literature', 1, 0, 1, 'KJ', 'D10'],
    ['agreements', '合同与协议', 'Contracts and agreements', 0, 0, 0, 'KH', 'D30'],
    ['records', '内部文件与记录', 'Internal documents and records', 0, 0, 0, 'WS', 'D10'],
  ];
  await categories
    .insertInto('document_categories')
    .values(
      rows.map(([code, name, nameEn, external, customer, shared, archiveClass, retention], i) => ({
        code,
        name,
        name_en: nameEn,
        external,
        customer_documents: customer,
        shared,
        archive_class: archiveClass,
        retention,
        sort_order: i,
        active: 1,
      })),
    )
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
