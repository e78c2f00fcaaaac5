import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.js';
import * as m0002 from './0002_customers.js';
import * as m0003 from './0003_jobs.js';
import * as m0004 from './0004_documents.js';
import * as m0005 from './0005_retention.js';
import * as m0006 from './0006_customer_import.js';
import * as m0007 from './0007_operations.js';
import * as m0008 from './0008_lending.js';
import * as m0009 from './0009_mail.js';
import * as m0010 from './0010_customer_bulk_writes.js';
import * as m0011 from './0011_mail_retry.js';
import * as m0012 from './0012_job_heartbeat.js';
import * as m0013 from './0013_version_drafts.js';
import * as m0014 from './0014_letter_digest_index.js';
import * as m0015 from './0015_login_failures.js';
import * as m0016 from './0016_cases.js';
import * as m0017 from './0017_action_indexes.js';
import * as m0018 from './0018_case_stats_indexes.js';
import * as m0019 from './0019_visits.js';
import * as m0020 from './0020_surveys.js';
import * as m0021 from './0021_special_requirements.js';
import * as m0022 from './0022_sr_settings.js';
import * as m0023 from './0023_sr_indexes.js';
import * as m0024 from './0024_orders.js';
import * as m0025 from './0025_sr_todo_indexes.js';
import * as m0026 from './0026_order_amendments.js';
import * as m0027 from './0027_order_deliveries.js';
import * as m0028 from './0028_order_records.js';
import * as m0029 from './0029_sales.js';
import * as m0030 from './0030_credit.js';
import * as m0031 from './0031_archive_statistics.js';
import * as m0032 from './0032_dashboard_indexes.js';
import * as m0033 from './0033_customer_group_indexes.js';
import * as m0034 from './0034_document_approval.js';
import * as m0035 from './0035_document_secrecy.js';
import * as m0037 from './0037_standard_checks.js';
import * as m0038 from './0038_filing_approval.js';
import * as m0039 from './0039_projects.js';
import * as m0040 from './0040_handover_notice.js';

// Migrations in order. A migration, once released, never changes; add a new one instead.
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_customers': m0002,
  '0003_jobs': m0003,
  '0004_documents': m0004,
  '0005_retention': m0005,
  '0006_customer_import': m0006,
  '0007_operations': m0007,
  '0008_lending': m0008,
  '0009_mail': m0009,
  '0010_customer_bulk_writes': m0010,
  '0011_mail_retry': m0011,
  '0012_job_heartbeat': m0012,
  '0013_version_drafts': m0013,
  '0014_letter_digest_index': m0014,
  '0015_login_failures': m0015,
  '0016_cases': m0016,
  '0017_action_indexes': m0017,
  '0018_case_stats_indexes': m0018,
  '0019_visits': m0019,
  '0020_surveys': m0020,
  '0021_special_requirements': m0021,
  '0022_sr_settings': m0022,
  '0023_sr_indexes': m0023,
  '0024_orders': m0024,
  '0025_sr_todo_indexes': m0025,
  '0026_order_amendments': m0026,
  '0027_order_deliveries': m0027,
  '0028_order_records': m0028,
  '0029_sales': m0029,
  '0030_credit': m0030,
  '0031_archive_statistics': m0031,
  '0032_dashboard_indexes': m0032,
  '0033_customer_group_indexes': m0033,
  '0034_document_approval': m0034,
  '0035_document_secrecy': m0035,
  '0037_standard_checks': m0037,
  '0038_filing_approval': m0038,
  '0039_projects': m0039,
  '0040_handover_notice': m0040,
};
