import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Complaints and service requests (R-Q1 … R-Q7): numbered cases against a customer archive,
// their clocks on the working-day calendar, their step history and attachments, and corrective
// and preventive actions (纠正预防措施) — a table of its own, because surveys and audits will
// raise them too. Written with the schema builder only (no live code), like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('search_key', 'bigint', (c) => c.notNull().unique())
    // complaint 投诉 | service 服务
    .addColumn('kind', 'text', (c) => c.notNull())
    // A code of the lookup list complaint_type or service_type.
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subtype', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contact_id', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('product', 'text')
    .addColumn('part_number', 'text')
    .addColumn('order_ref', 'text')
    .addColumn('quantity', 'integer')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('demand', 'text')
    .addColumn('receiver_id', 'text', (c) => c.notNull())
    // The receiving department: its manager triages.
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    // Shanghai calendar month of received_at (YYYY-MM): statistics group by it without date functions.
    .addColumn('received_month', 'text', (c) => c.notNull())
    // normal 一般 | serious 严重 | major 重大
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('secrecy', 'integer', (c) => c.notNull().defaultTo(0))
    // new 待分派 | in_progress 处理中 | to_reply 待回复 | to_revisit 待回访 | closed 已关闭
    .addColumn('status', 'text', (c) => c.notNull())
    // justified 成立 | unjustified 不成立 (complaints, once triaged)
    .addColumn('outcome', 'text')
    // The person the complaint names as responsible (or found responsible): never triages,
    // handles or closes it.
    .addColumn('responsible_user_id', 'text')
    .addColumn('responsible_department_id', 'text')
    .addColumn('triaged_by', 'text')
    .addColumn('triaged_at', 'text')
    .addColumn('triage_note', 'text')
    .addColumn('handling_department_id', 'text')
    .addColumn('handler_id', 'text')
    .addColumn('cause_category', 'text')
    .addColumn('analysis', 'text')
    .addColumn('containment', 'text')
    .addColumn('solution', 'text')
    .addColumn('verification', 'text')
    .addColumn('verified_by', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('return_quantity', 'integer')
    // return 退货 | exchange 换货 | rework 返工 | scrap 报废
    .addColumn('return_disposition', 'text')
    .addColumn('return_received_on', 'text')
    .addColumn('return_note', 'text')
    .addColumn('reply_text', 'text')
    .addColumn('reply_way', 'text')
    .addColumn('reply_by', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('revisit_role', 'text')
    .addColumn('revisit_due', 'text')
    .addColumn('revisited_by', 'text')
    .addColumn('revisited_at', 'text')
    .addColumn('revisit_way', 'text')
    // very_satisfied 非常满意 | satisfied 满意 | fair 一般 | poor 较差
    .addColumn('revisit_opinion', 'text')
    .addColumn('revisit_comment', 'text')
    .addColumn('closed_at', 'text')
    // The 客户投诉记录表 filed into the customer's archive when the case closed.
    .addColumn('document_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Lists are newest first by (received_at, id); each filter walks its own index in that order.
  const indexes: [string, string[]][] = [
    ['received', ['received_at', 'id']],
    ['customer', ['customer_id', 'received_at', 'id']],
    ['status', ['status', 'received_at', 'id']],
    ['handler', ['handler_id', 'status']],
    ['handling_department', ['handling_department_id', 'status']],
    ['department', ['department_id', 'received_at']],
    ['month', ['received_month', 'kind']],
  ];
  for (const [name, columns] of indexes)
    await db.schema.createIndex(`cases_${name}_idx`).on('cases').columns(columns).execute();

  // One row per clock of a case: investigate (start), reply, resolve, revisit.
  await db.schema
    .createTable('case_clocks')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('clock', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('met_at', 'text')
    // Working days from the day received to the day met (0 = the same day), and hours.
    .addColumn('met_days', 'integer')
    .addColumn('met_hours', 'real')
    .addColumn('on_time', 'integer')
    .addColumn('due_notified_at', 'text')
    .addColumn('breach_notified_at', 'text')
    .addColumn('escalated_at', 'text')
    .addPrimaryKeyConstraint('case_clocks_pk', ['case_id', 'clock'])
    .execute();
  // Open clocks by due date: the to-do list and the daily reminders.
  await db.schema
    .createIndex('case_clocks_open_idx')
    .on('case_clocks')
    .columns(['met_at', 'due_date'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'at']).execute();

  await db.schema
    .createTable('case_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_files_case_idx')
    .on('case_files')
    .columns(['case_id', 'created_at'])
    .execute();
  await db.schema.createIndex('case_files_sha_idx').on('case_files').column('sha256').execute();

  // 纠正预防措施: raised from a source record (a complaint now; surveys and audits later).
  await db.schema
    .createTable('corrective_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('secrecy', 'integer', (c) => c.notNull().defaultTo(0))
    // containment 临时措施 | corrective 纠正措施 | preventive 预防措施
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('due_days', 'integer', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    // open 进行中 | done 已完成 | verified 已验证 | ineffective 验证无效
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addColumn('verification', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('verified_by', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('corrective_actions_source_idx')
    .on('corrective_actions')
    .columns(['source_type', 'source_id'])
    .execute();
  await db.schema
    .createIndex('corrective_actions_owner_idx')
    .on('corrective_actions')
    .columns(['owner_id', 'status', 'due_date'])
    .execute();

  // Configurable type lists (lookups), with the seeds' defaults.
  const lookups = db as unknown as Kysely<{
    lookups: {
      list: string;
      code: string;
      label: string;
      label_en: string | null;
      prefix: string | null;
      sort_order: number;
      active: number;
    };
  }>;
  const types: [string, string, string, string][] = [
    ['complaint_type', 'quality', '质量', 'Quality'],
    ['complaint_type', 'delivery', '交付', 'Delivery'],
    ['complaint_type', 'service', '服务', 'Service'],
    ['complaint_type', 'price', '价格', 'Price'],
    ['complaint_type', 'other', '其他', 'Other'],
    ['service_type', 'consult', '咨询', 'Enquiry'],
    ['service_type', 'repair', '报修', 'Repair'],
    ['service_type', 'suggestion', '建议', 'Suggestion'],
    ['service_type', 'return', '退换货', 'Return or exchange'],
  ];
  await lookups
    .insertInto('lookups')
    .values(
      types.map(([list, code, label, labelEn], i) => ({
        list,
        code,
        label,
        label_en: labelEn,
        prefix: null,
        sort_order: i,
        active: 1,
      })),
    )
    .execute();

  // The case search index (same layout as platform/search creates; written out here because a
  // migration never imports live code).
  if (dialect === 'sqlite') {
    await sql
      .raw(
        "create virtual table cases_fts using fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')",
      )
      .execute(db);
  } else {
    await sql.raw('create table cases_search (key bigint primary key, tokens tsvector not null)').execute(db);
    await sql.raw('create index cases_search_gin on cases_search using gin (tokens)').execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
