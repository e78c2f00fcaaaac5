import type { Kysely } from 'kysely';

// Satisfaction surveys (顾客满意度调查, R-V3): versioned templates, campaigns that invite the
// customers chosen by filters, one-time links sent by e-mail, and the answered forms with their
// answers. A response keeps what the customer was when it answered (category, grade, owning
// department and salesperson), so an index per department or salesperson stays what it was
// after a handover. Schema builder only, like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('survey_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Stable across versions, e.g. 'satisfaction'; a new version is a new row.
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // yearly | quarterly | once
    .addColumn('period', 'text', (c) => c.notNull())
    // JSON: [{ key, label, type: rating|overall|text, required }]
    .addColumn('questions', 'text', (c) => c.notNull())
    // JSON: { very_satisfied, satisfied, average, poor } → score
    .addColumn('level_scores', 'text', (c) => c.notNull())
    // The newest version of a key is current; older ones stay for the campaigns that use them.
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('survey_templates_key_version_idx')
    .on('survey_templates')
    .columns(['key', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('survey_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    // The exact template version; a running campaign keeps it when the template changes.
    .addColumn('template_id', 'text', (c) => c.notNull().references('survey_templates.id'))
    // draft | running | closed
    .addColumn('status', 'text', (c) => c.notNull())
    // JSON: the customer filters the invitations were chosen by.
    .addColumn('filters', 'text', (c) => c.notNull())
    // The period the answers count for in trends, e.g. '2026' or '2026-Q4'.
    .addColumn('period_label', 'text', (c) => c.notNull())
    // Links expire at the end of this day (Asia/Shanghai); answers are refused after it.
    .addColumn('closes_on', 'text', (c) => c.notNull())
    // Reminder to those who have not answered after this many days (0: none).
    .addColumn('remind_after_days', 'integer', (c) => c.notNull())
    // An answered form whose index is below this opens a corrective action (as does any 较差).
    .addColumn('low_index', 'real', (c) => c.notNull())
    .addColumn('intro', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('sent_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('survey_campaigns_created_idx')
    .on('survey_campaigns')
    .columns(['created_at', 'id'])
    .execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('survey_campaigns.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contact_id', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('email', 'text')
    // The public half of the one-time link; the link's proof is derived from it with the
    // server's secret, so no usable link is stored. Null for customers surveyed by phone only.
    .addColumn('token_key', 'text', (c) => c.unique())
    // Who owned the archive when invited (progress by department).
    .addColumn('department_id', 'text')
    .addColumn('owner_id', 'text')
    // Mail outbox: due → claimed (mailed_at) → sent, retried like notifications.
    .addColumn('mail_due_at', 'text')
    .addColumn('mailed_at', 'text')
    .addColumn('mail_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mail_retry_at', 'text')
    .addColumn('mail_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('reminders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminded_at', 'text')
    .addColumn('opened_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('response_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('survey_invitations_campaign_idx')
    .on('survey_invitations')
    .columns(['campaign_id', 'customer_id'])
    .execute();
  // The outbox scan: invitations whose mail is due and not yet claimed.
  await db.schema
    .createIndex('survey_invitations_mail_idx')
    .on('survey_invitations')
    .columns(['mailed_at', 'mail_due_at'])
    .execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('survey_campaigns.id'))
    .addColumn('invitation_id', 'text', (c) => c.unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contact_name', 'text')
    // link | phone | paper
    .addColumn('channel', 'text', (c) => c.notNull())
    // Staff who typed it in (phone, paper); null when the customer answered by link.
    .addColumn('entered_by', 'text')
    .addColumn('answered_on', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addColumn('period_label', 'text', (c) => c.notNull())
    // Mean score of the rating questions (null: none answered).
    .addColumn('index_score', 'real')
    .addColumn('overall', 'text')
    .addColumn('any_poor', 'integer', (c) => c.notNull())
    // The customer as it was when it answered.
    .addColumn('category', 'text')
    .addColumn('grade', 'text')
    .addColumn('department_id', 'text')
    .addColumn('owner_id', 'text')
    // The filled form as a PDF in the customer's archive, and the action low satisfaction opened.
    .addColumn('document_id', 'text')
    .addColumn('action_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('survey_responses_campaign_idx')
    .on('survey_responses')
    .columns(['campaign_id', 'answered_at', 'id'])
    .execute();
  await db.schema
    .createIndex('survey_responses_customer_idx')
    .on('survey_responses')
    .columns(['customer_id', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('survey_responses_department_idx')
    .on('survey_responses')
    .columns(['department_id', 'period_label'])
    .execute();
  await db.schema
    .createIndex('survey_responses_owner_idx')
    .on('survey_responses')
    .columns(['owner_id', 'period_label'])
    .execute();

  await db.schema
    .createTable('survey_answers')
    .addColumn('response_id', 'text', (c) => c.notNull().references('survey_responses.id'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('score', 'real')
    .addColumn('text', 'text')
    .addPrimaryKeyConstraint('survey_answers_pk', ['response_id', 'question_key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
