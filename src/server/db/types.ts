// Table types for Kysely. Columns are portable between SQLite and PostgreSQL: ids are text
// (UUIDv7), instants are ISO-8601 UTC text, calendar dates are `YYYY-MM-DD`, flags are 0/1.

export interface DepartmentTable {
  id: string;
  parent_id: string | null;
  name: string;
  code: string | null;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  login: string;
  name: string;
  email: string | null;
  phone: string | null;
  department_id: string | null;
  /** Clearance rank 0..3 (普通/秘密/机密/绝密). */
  clearance: number;
  active: number;
  password_hash: string;
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  password_changed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie value; the raw value exists only in the browser. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** First characters of the token so people can tell tokens apart. */
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_login: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  /** Secrecy rank of the target, so readers below it never see the entry. */
  secrecy: number;
  ip: string | null;
  outcome: string;
  request_id: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface CounterTable {
  key: string;
  value: number;
}

export interface CalendarOverrideTable {
  date: string;
  working: number;
  note: string | null;
  updated_by: string | null;
  updated_at: string;
}

export interface SettingTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface LookupTable {
  list: string;
  code: string;
  label: string;
  label_en: string | null;
  prefix: string | null;
  sort_order: number;
  active: number;
}

export interface CustomFieldTable {
  id: string;
  key: string;
  label: string;
  type: string;
  /** JSON array of option labels for select types. */
  options: string | null;
  required: number;
  /** JSON array of customer kind codes; null for every kind. */
  kinds: string | null;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerTable {
  id: string;
  search_key: number;
  archive_code: string;
  name: string;
  name_norm: string;
  credit_code: string | null;
  category: string;
  kind: string;
  nature: string | null;
  legal_representative: string | null;
  registered_address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  industry: string | null;
  region: string | null;
  business_scope: string | null;
  registered_capital: string | null;
  staff_count: number | null;
  source: string | null;
  grade: string | null;
  credit_class: string | null;
  department_id: string;
  secrecy: number;
  status: string;
  first_contact_date: string;
  /** The first purchase (首次购买日期); setting it starts the buyers' visit plan (R-V1). */
  first_purchase_date: string | null;
  filing_due_date: string;
  filed_at: string | null;
  /** 备案审批 (R-C5): a draft submitted for the sales director's approval, and by whom; the
   * submission stops the filing clock. Cleared when approved or returned. */
  filing_submitted_at?: string | null;
  filing_submitted_by?: string | null;
  /** The last return of a submission, with its reason, shown to the owner until filed. */
  filing_returned_at?: string | null;
  filing_returned_by?: string | null;
  filing_return_reason?: string | null;
  /** JSON object of custom field values by key. */
  custom_fields: string;
  merged_into_id: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface CustomerOwnerTable {
  customer_id: string;
  user_id: string;
  assigned_at: string;
}

export interface CustomerGrantTable {
  id: string;
  customer_id: string;
  user_id: string | null;
  department_id: string | null;
  reason: string | null;
  granted_by: string;
  granted_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  /** The access request whose approval made the grant (R-P7), if any. */
  request_id: string | null;
}

export interface ContactTable {
  id: string;
  customer_id: string;
  name: string;
  title: string | null;
  role: string | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  wechat: string | null;
  is_primary: number;
  notes: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface InteractionTable {
  id: string;
  customer_id: string;
  kind: string;
  occurred_on: string;
  participants: string | null;
  summary: string;
  next_step: string | null;
  next_step_due: string | null;
  created_by: string;
  created_at: string;
}

export interface CustomerHistoryTable {
  id: string;
  customer_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  kind: string;
  field: string | null;
  /** JSON. */
  old_value: string | null;
  /** JSON. */
  new_value: string | null;
  change_date: string | null;
  late: number;
  note: string | null;
  origin_customer_id: string | null;
}

export interface HandoverTable {
  id: string;
  from_user_id: string;
  by_user_id: string;
  at: string;
  reason: string | null;
  customer_count: number;
}

export interface HandoverItemTable {
  handover_id: string;
  customer_id: string;
  to_user_id: string;
}

/** The customer told of a handover (R-C9): a mail from the outbox, or a call task. */
export interface HandoverNoticeTable {
  id: string;
  handover_id: string;
  customer_id: string;
  contact_id: string | null;
  contact_name: string | null;
  to_user_id: string;
  /** mail | call */
  channel: string;
  email: string | null;
  subject: string;
  body: string;
  visit_task_id: string | null;
  interaction_id: string | null;
  created_at: string;
  mailed_at: string | null;
  mail_attempts: number;
  mail_retry_at: string | null;
  mail_error: string | null;
  sent_at: string | null;
}

export interface JobTable {
  id: string;
  kind: string;
  /** queued, running, succeeded, failed */
  status: string;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress_done: number;
  progress_total: number | null;
  /** JSON given when the job was queued. */
  payload: string;
  /** JSON the handler returned. */
  result: string | null;
  error: string | null;
  /** `host:pid` of the process running it, and when that process last said it still is. */
  server: string | null;
  heartbeat_at: string | null;
}

export interface DocumentCategoryTable {
  code: string;
  name: string;
  name_en: string | null;
  external: number;
  customer_documents: number;
  shared: number;
  archive_class: string;
  retention: string;
  department_id: string | null;
  /** JSON array of department ids */
  distribution: string;
  sort_order: number;
  active: number;
  controlled: number;
  /** 1: internal documents of it are drawn up, reviewed and approved (编制/审核/批准). */
  approval: number;
  /** JSON array of the department ids that countersign (会签) them */
  countersign: string;
}

/** A stored content, addressed by its SHA-256 (R-D6). */
export interface BlobTable {
  sha256: string;
  size: number;
  mime: string;
  created_at: string;
  /** Removed by electronic destruction (R-X4); the row stays for the files' metadata. */
  destroyed_at: string | null;
}

export interface DocumentTable {
  id: string;
  search_key: number;
  title: string;
  doc_number: string | null;
  responsible_party: string | null;
  source: string;
  category: string;
  carrier: string;
  pages: number | null;
  location: string | null;
  secrecy: number;
  secrecy_term: string | null;
  retention: string;
  customer_id: string | null;
  department_id: string;
  /** current, obsolete, destroyed */
  status: string;
  obsolete_reason: string | null;
  archive_no: string | null;
  filed_at: string | null;
  filed_by: string | null;
  version_label: string | null;
  issue_date: string | null;
  received_date: string | null;
  version_count: number;
  file_count: number;
  changes_internal: string | null;
  customer_authorized_by: string | null;
  customer_authorized_on: string | null;
  remarks: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** Due for appraisal (R-X1), YYYY-MM-DD; null: never (Y) or not yet known (L before the life ends). */
  retention_due: string | null;
  record_year: number | null;
  life_end_date: string | null;
  withdrawn_at: string | null;
  extended_due: string | null;
  destroyed_at: string | null;
  disposal_id: string | null;
  /** 受控档案: reading it needs the general manager (R-P2). */
  controlled: number;
  /** A customer document used directly for production or inspection (用于生产/检验, R-D5). */
  production_use: number;
  /** The customer's signed authorisation: its stored file (R-D5). */
  customer_authorization_sha256: string | null;
  customer_authorization_name: string | null;
  /** 保密期限 (R-P1): years (from secrecy_term_from), until (a date) or long (长期); null: none,
   * or free text of an earlier release that could not be read (kept in secrecy_term). */
  secrecy_term_kind: string | null;
  secrecy_term_years: number | null;
  secrecy_term_from: string | null;
  /** The day the term ends (null: 长期 or none). */
  secrecy_term_until: string | null;
  /** 项目档案: the project of its own customer archive it belongs to. */
  project_id?: string | null;
}

/** 项目档案 (seed 002): a project inside a customer archive, with its own catalogue. */
export interface ProjectTable {
  id: string;
  customer_id: string;
  name: string;
  /** Unique within the archive. */
  code: string;
  start_date: string | null;
  end_date: string | null;
  owner_id: string | null;
  /** A retention code of the document settings. */
  retention: string | null;
  /** active | closed */
  status: string;
  remarks: string | null;
  closed_at: string | null;
  closed_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** 密级变更/解除: a request and its decision (R-P10). */
export interface DocumentSecrecyChangeTable {
  id: string;
  number: string;
  document_id: string;
  from_level: number;
  from_term: string | null;
  to_level: number;
  to_term: string | null;
  to_term_kind: string | null;
  to_term_years: number | null;
  to_term_from: string | null;
  to_term_until: string | null;
  reason: string;
  requested_by: string;
  requested_at: string;
  /** pending, approved, rejected */
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export interface DocumentCopyTable {
  id: string;
  document_id: string;
  version_id: string;
  copy_no: number;
  mark: string;
  department_id: string | null;
  user_id: string | null;
  recipient: string;
  distributed_at: string;
  distributed_by: string;
  note: string | null;
  /** none, pending, recalled */
  recall_status: string;
  recalled_at: string | null;
  recalled_by: string | null;
  recall_note: string | null;
  /** 签收: who signed for the copy (in the app, or on a scanned paper receipt) and when. */
  received_at: string | null;
  received_by: string | null;
  received_by_name: string | null;
  receipt_sha256: string | null;
  receipt_name: string | null;
  receipt_recorded_by: string | null;
  /** 交回签字: the holder's signature when a copy to recall is handed back. */
  returned_at: string | null;
  returned_by: string | null;
  returned_by_name: string | null;
  return_sha256: string | null;
  return_name: string | null;
  return_recorded_by: string | null;
  reminded_at: string | null;
}

export interface DocumentVersionTable {
  id: string;
  document_id: string;
  seq: number;
  label: string | null;
  issue_date: string | null;
  received_date: string | null;
  status: string;
  note: string | null;
  created_at: string;
  created_by: string;
  obsoleted_at: string | null;
  obsoleted_by: string | null;
  /** null (not under approval), drafting, reviewing, countersigning, approving, approved */
  approval: string | null;
  approval_round: number;
  effective_date: string | null;
}

/** A signature (or a return) on a version under approval. */
export interface DocumentSignatureTable {
  id: string;
  document_id: string;
  version_id: string;
  round: number;
  /** draft (编制), review (审核), countersign (会签), approve (批准) */
  step: string;
  department_id: string | null;
  /** signed, returned */
  decision: string;
  signer_id: string;
  signer_name: string;
  signed_at: string;
  reason: string | null;
  effective_date: string | null;
}

export interface DocumentFileTable {
  id: string;
  document_id: string;
  version_id: string;
  sha256: string;
  name: string;
  created_at: string;
  created_by: string;
  /** Taken out of its version (a draft's, or a version not yet distributed); the content stays. */
  removed_at: string | null;
  removed_by: string | null;
}

/** Extracted text of a content: pending, done, failed, unsupported. */
export interface DocumentTextTable {
  sha256: string;
  status: string;
  content: string | null;
  chars: number;
  error: string | null;
  extracted_at: string | null;
}

export interface DocumentEventTable {
  id: string;
  document_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  kind: string;
  version_id: string | null;
  /** JSON */
  details: string;
}

export interface HoldTable {
  id: string;
  /** customer, document */
  target_type: string;
  target_id: string;
  kind: string;
  reason: string;
  placed_at: string;
  placed_by: string;
  lifted_at: string | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

export interface AppraisalTable {
  id: string;
  number: string;
  title: string;
  /** open, concluded */
  status: string;
  note: string | null;
  created_at: string;
  created_by: string;
  concluded_at: string | null;
  concluded_by: string | null;
  report_document_id: string | null;
}

export interface AppraisalMemberTable {
  appraisal_id: string;
  user_id: string;
  /** archive, business */
  side: string;
}

export interface AppraisalItemTable {
  id: string;
  appraisal_id: string;
  document_id: string;
  seq: number;
  due: string | null;
  retention: string;
  /** keep, destroy; null while the batch is open */
  outcome: string | null;
  new_retention: string | null;
  new_due: string | null;
  reason: string | null;
  disposal_id: string | null;
}

export interface AppraisalOpinionTable {
  item_id: string;
  user_id: string;
  appraisal_id: string;
  decision: string;
  retention: string | null;
  due: string | null;
  reason: string | null;
  at: string;
}

export interface DisposalTable {
  id: string;
  number: string;
  title: string;
  /** draft, signing, approved, rejected, destroyed, completed */
  status: string;
  note: string | null;
  signer_steps: string;
  witness_ids: string;
  created_at: string;
  created_by: string;
  submitted_at: string | null;
  rejected_reason: string | null;
  destruction_date: string | null;
  executed_at: string | null;
  executed_by: string | null;
  completed_at: string | null;
  register_document_id: string | null;
}

export interface DisposalItemTable {
  id: string;
  disposal_id: string;
  document_id: string;
  appraisal_item_id: string;
  seq: number;
  archive_no: string | null;
  doc_number: string | null;
  responsible_party: string | null;
  title: string;
  date_formed: string | null;
  record_year: number;
  retention: string;
  carrier: string;
  secrecy: number;
  /** listed, blocked, destroyed */
  status: string;
  blocked_reason: string | null;
  destroyed_at: string | null;
}

export interface DisposalSignatureTable {
  id: string;
  disposal_id: string;
  /** leader, witness */
  kind: string;
  step: number;
  label: string;
  user_id: string;
  user_name: string;
  /** approve, reject */
  decision: string;
  opinion: string | null;
  signed_at: string;
}

export interface AccessRequestTable {
  id: string;
  number: string;
  requester_id: string;
  requester_department_id: string | null;
  /** electronic, physical */
  mode: string;
  /** read, borrow, copy, print */
  purpose: string;
  days: number;
  reason: string;
  external_org: string | null;
  external_person: string | null;
  letter_sha256: string | null;
  letter_name: string | null;
  /** pending, returned, approved, rejected, withdrawn, closed */
  status: string;
  /** JSON: the approval chain */
  steps: string;
  current_step: number;
  pending_role: string | null;
  pending_department_id: string | null;
  renewal_of: string | null;
  secrecy: number;
  start_date: string | null;
  end_date: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccessRequestItemTable {
  id: string;
  request_id: string;
  target_type: string;
  target_id: string;
  label: string;
  code: string | null;
  department_id: string | null;
  secrecy: number;
  controlled: number;
}

export interface AccessRequestEventTable {
  id: string;
  request_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  kind: string;
  step: number | null;
  comment: string | null;
}

export interface DocumentGrantTable {
  id: string;
  document_id: string;
  user_id: string;
  request_id: string;
  can_download: number;
  granted_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface LoanTable {
  id: string;
  request_id: string;
  item_id: string;
  /** physical, electronic */
  mode: string;
  target_type: string;
  target_id: string;
  borrower_id: string;
  issued_at: string;
  issued_by: string;
  due_date: string;
  condition_out: string;
  note_out: string | null;
  out_key: string | null;
  returned_at: string | null;
  received_by: string | null;
  condition_in: string | null;
  note_in: string | null;
}

export interface LoanIncidentTable {
  id: string;
  loan_id: string;
  kind: string;
  description: string;
  reported_at: string;
  reported_by: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolution: string | null;
}

export interface LoanReminderTable {
  loan_id: string;
  day: string;
  sent_at: string;
}

/** An in-app message to one person (R-W2). */
export interface NotificationTable {
  id: string;
  user_id: string;
  /** What it is about, e.g. `integrity.fixity`; the web app may show an icon for it. */
  kind: string;
  title: string;
  body: string | null;
  /** A path in the web app, e.g. `/admin/integrity?report=…`. */
  link: string | null;
  created_at: string;
  read_at: string | null;
  /** Sent by e-mail (R-W2), when SMTP is configured. */
  mailed_at: string | null;
  mail_error: string | null;
  /** Tries so far; a message refused for now is tried again at `mail_retry_at`. */
  mail_attempts: number;
  mail_retry_at: string | null;
}

/** A claimed run of a scheduled task: running, succeeded, failed. */
export interface ScheduleRunTable {
  id: string;
  task: string;
  /** The Shanghai calendar date the run is for (`YYYY-MM-DD`). */
  slot: string;
  status: string;
  /** Which server process claimed it (host and pid). */
  server: string;
  started_at: string;
  /** Renewed while the run is alive; a stale one was interrupted. */
  heartbeat_at: string;
  finished_at: string | null;
  /** JSON. */
  summary: string | null;
  error: string | null;
}

/** A stored integrity report (R-L2). */
export interface IntegrityReportTable {
  id: string;
  checked_at: string;
  /** manual, scheduled, command */
  trigger: string;
  actor_id: string | null;
  actor_name: string | null;
  ok: number;
  findings: number;
  /** Findings of digest mismatches and missing files. */
  fixity_failures: number;
  /** JSON: the whole report. */
  report: string;
}

/** Failed sign-ins with a login no account has (migration 0015). */
export interface LoginFailureTable {
  login: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

export interface CaseTable {
  id: string;
  number: string;
  search_key: number;
  kind: string;
  type: string;
  subtype: string | null;
  customer_id: string;
  contact_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  channel: string;
  product: string | null;
  part_number: string | null;
  order_ref: string | null;
  quantity: number | null;
  content: string;
  demand: string | null;
  receiver_id: string;
  department_id: string;
  received_at: string;
  received_month: string;
  severity: string;
  secrecy: number;
  status: string;
  outcome: string | null;
  responsible_user_id: string | null;
  responsible_department_id: string | null;
  triaged_by: string | null;
  triaged_at: string | null;
  triage_note: string | null;
  handling_department_id: string | null;
  handler_id: string | null;
  cause_category: string | null;
  analysis: string | null;
  containment: string | null;
  solution: string | null;
  verification: string | null;
  verified_by: string | null;
  verified_at: string | null;
  return_quantity: number | null;
  return_disposition: string | null;
  return_received_on: string | null;
  return_note: string | null;
  reply_text: string | null;
  reply_way: string | null;
  reply_by: string | null;
  replied_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  revisit_role: string | null;
  revisit_due: string | null;
  revisited_by: string | null;
  revisited_at: string | null;
  revisit_way: string | null;
  revisit_opinion: string | null;
  revisit_comment: string | null;
  closed_at: string | null;
  document_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** 项目档案: the project of its own customer archive it belongs to. */
  project_id?: string | null;
}

export interface CaseClockTable {
  case_id: string;
  clock: string;
  due_date: string;
  due_at: string;
  met_at: string | null;
  met_days: number | null;
  met_hours: number | null;
  on_time: number | null;
  due_notified_at: string | null;
  breach_notified_at: string | null;
  escalated_at: string | null;
}

export interface CaseEventTable {
  id: string;
  case_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  kind: string;
  note: string | null;
}

export interface CaseFileTable {
  id: string;
  case_id: string;
  sha256: string;
  name: string;
  size: number;
  mime: string;
  created_by: string;
  created_at: string;
}

export interface CorrectiveActionTable {
  id: string;
  source_type: string;
  source_id: string;
  customer_id: string | null;
  secrecy: number;
  kind: string;
  description: string;
  owner_id: string;
  department_id: string | null;
  due_days: number;
  due_date: string;
  status: string;
  result: string | null;
  done_at: string | null;
  done_by: string | null;
  verification: string | null;
  verified_at: string | null;
  verified_by: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** 查新: a check of an external standard or law (0037). */
export interface StandardCheckTable {
  id: string;
  document_id: string;
  version_id: string | null;
  outcome: string;
  checked_on: string;
  note: string | null;
  checked_by: string;
  checked_by_name: string;
  created_at: string;
}

export interface StandardReminderTable {
  document_id: string;
  due_on: string;
}

export interface Database {
  login_failures: LoginFailureTable;
  departments: DepartmentTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  counters: CounterTable;
  calendar_overrides: CalendarOverrideTable;
  settings: SettingTable;
  lookups: LookupTable;
  custom_fields: CustomFieldTable;
  customers: CustomerTable;
  customer_owners: CustomerOwnerTable;
  customer_grants: CustomerGrantTable;
  contacts: ContactTable;
  interactions: InteractionTable;
  customer_history: CustomerHistoryTable;
  handovers: HandoverTable;
  handover_items: HandoverItemTable;
  handover_notices: HandoverNoticeTable;
  jobs: JobTable;
  document_categories: DocumentCategoryTable;
  blobs: BlobTable;
  documents: DocumentTable;
  projects: ProjectTable;
  standard_checks: StandardCheckTable;
  standard_reminders: StandardReminderTable;
  document_versions: DocumentVersionTable;
  document_files: DocumentFileTable;
  document_texts: DocumentTextTable;
  document_copies: DocumentCopyTable;
  document_secrecy_changes: DocumentSecrecyChangeTable;
  document_events: DocumentEventTable;
  document_signatures: DocumentSignatureTable;
  holds: HoldTable;
  appraisals: AppraisalTable;
  appraisal_members: AppraisalMemberTable;
  appraisal_items: AppraisalItemTable;
  appraisal_opinions: AppraisalOpinionTable;
  disposals: DisposalTable;
  disposal_items: DisposalItemTable;
  disposal_signatures: DisposalSignatureTable;
  access_requests: AccessRequestTable;
  access_request_items: AccessRequestItemTable;
  access_request_events: AccessRequestEventTable;
  document_grants: DocumentGrantTable;
  loans: LoanTable;
  loan_incidents: LoanIncidentTable;
  loan_reminders: LoanReminderTable;
  notifications: NotificationTable;
  schedule_runs: ScheduleRunTable;
  integrity_reports: IntegrityReportTable;
  cases: CaseTable;
  case_clocks: CaseClockTable;
  case_events: CaseEventTable;
  case_files: CaseFileTable;
  corrective_actions: CorrectiveActionTable;
  visit_tasks: VisitTaskTable;
  survey_templates: SurveyTemplateTable;
  survey_campaigns: SurveyCampaignTable;
  survey_invitations: SurveyInvitationTable;
  survey_responses: SurveyResponseTable;
  survey_answers: SurveyAnswerTable;
  sr_lists: SrListTable;
  sr_requirements: SrRequirementTable;
  sr_history: SrHistoryTable;
  sr_reviews: SrReviewTable;
  sr_document_links: SrDocumentLinkTable;
  sr_distributions: SrDistributionTable;
  sr_acknowledgements: SrAcknowledgementTable;
  sr_symbols: SrSymbolTable;
  sr_characteristics: SrCharacteristicTable;
  sr_checks: SrCheckTable;
  sr_check_sources: SrCheckSourceTable;
  orders: OrderTable;
  order_lines: OrderLineTable;
  order_reviews: OrderReviewTable;
  order_history: OrderHistoryTable;
  order_files: OrderFileTable;
  order_amendments: OrderAmendmentTable;
  order_amendment_reviews: OrderAmendmentReviewTable;
  order_amendment_notices: OrderAmendmentNoticeTable;
  order_deliveries: OrderDeliveryTable;
  order_delays: OrderDelayTable;
  credit_balances: CreditBalanceTable;
  customer_credit: CustomerCreditTable;
  credit_investigations: CreditInvestigationTable;
  credit_files: CreditFileTable;
  credit_requests: CreditRequestTable;
  credit_admissions: CreditAdmissionTable;
  credit_danger_reports: CreditDangerReportTable;
  sales_imports: SalesImportTable;
  sales_records: SalesRecordTable;
  stock_levels: StockLevelTable;
  abc_runs: AbcRunTable;
}

/** A version of a survey form (R-V3); questions and level scores as JSON. */
export interface SurveyTemplateTable {
  id: string;
  key: string;
  version: number;
  name: string;
  description: string | null;
  period: string;
  questions: string;
  level_scores: string;
  current: number;
  created_at: string;
  created_by: string | null;
}

/** A satisfaction survey sent to customers chosen by filters (顾客满意度调查). */
export interface SurveyCampaignTable {
  id: string;
  number: string;
  name: string;
  template_id: string;
  status: string;
  filters: string;
  period_label: string;
  closes_on: string;
  remind_after_days: number;
  low_index: number;
  intro: string | null;
  created_at: string;
  created_by: string | null;
  sent_at: string | null;
  sent_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
  updated_at: string;
}

/** One customer (contact) invited to a campaign, with its one-time link and mail state. */
export interface SurveyInvitationTable {
  id: string;
  campaign_id: string;
  customer_id: string;
  contact_id: string | null;
  contact_name: string | null;
  email: string | null;
  token_key: string | null;
  department_id: string | null;
  owner_id: string | null;
  mail_due_at: string | null;
  mailed_at: string | null;
  mail_attempts: number;
  mail_retry_at: string | null;
  mail_error: string | null;
  sent_at: string | null;
  reminders: number;
  reminded_at: string | null;
  opened_at: string | null;
  answered_at: string | null;
  response_id: string | null;
  created_at: string;
}

/** An answered form: scored, with the customer as it was when it answered. */
export interface SurveyResponseTable {
  id: string;
  campaign_id: string;
  invitation_id: string | null;
  customer_id: string;
  contact_name: string | null;
  channel: string;
  entered_by: string | null;
  answered_on: string;
  answered_at: string;
  period_label: string;
  index_score: number | null;
  overall: string | null;
  any_poor: number;
  category: string | null;
  grade: string | null;
  department_id: string | null;
  owner_id: string | null;
  document_id: string | null;
  action_id: string | null;
  created_at: string;
}

export interface SurveyAnswerTable {
  response_id: string;
  question_key: string;
  level: string | null;
  score: number | null;
  text: string | null;
}

/** A follow-up visit (回访任务, R-V1, R-V2): planned by a rule from a trigger, or by hand. */
export interface VisitTaskTable {
  id: string;
  customer_id: string;
  /** filed | first_purchase | case_closed | interaction | manual */
  trigger: string;
  rule_id: string | null;
  rule_name: string | null;
  /** What set the plan off when it is not the archive itself: case | interaction. */
  source_type: string | null;
  source_id: string | null;
  /** Same key on one archive = the same visit of the same plan (merges keep one of them). */
  plan_key: string;
  step: number;
  offset_days: number;
  /** calendar | working */
  day_kind: string;
  base_date: string;
  due_date: string;
  /** phone | onsite */
  way: string;
  assignee_id: string | null;
  /** open | done | cancelled */
  status: string;
  note: string | null;
  visited_on: string | null;
  visit_way: string | null;
  contact: string | null;
  content: string | null;
  feedback: string | null;
  next_step: string | null;
  next_step_due: string | null;
  interaction_id: string | null;
  done_by: string | null;
  done_at: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  cancel_note: string | null;
  reminded_at: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}

/** A customer's special-requirements list (顾客特殊要求清单, R-S3, R-S5). */
export interface SrListTable {
  customer_id: string;
  revision: number;
  revised_at: string | null;
  revised_by: string | null;
  next_check_on: string;
  last_checked_on: string | null;
  check_reminded_at: string | null;
  document_id: string | null;
  last_seq: number;
  created_at: string;
  updated_at: string;
}

/** A customer special requirement (R-S1, R-S2). */
export interface SrRequirementTable {
  id: string;
  customer_id: string;
  seq: number;
  number: string;
  source_document_id: string | null;
  source_version_id: string | null;
  source_clause: string | null;
  category: string;
  title: string;
  text: string;
  received_on: string;
  receiver_id: string | null;
  applies_to_all: number;
  /** JSON array of part numbers. */
  part_numbers: string;
  status: string;
  owner_department_id: string | null;
  after_mass_production: number;
  project_due_on: string | null;
  project_informed_at: string | null;
  needs_recheck: number;
  /** The source version whose release set 需复核 (withdrawing it takes the mark back). */
  recheck_version_id: string | null;
  recheck_reason: string | null;
  reviewed_on: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
  secrecy: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** 项目档案: the project of its own customer archive it belongs to. */
  project_id?: string | null;
}

export interface SrHistoryTable {
  id: string;
  requirement_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  note: string | null;
}

export interface SrReviewTable {
  id: string;
  requirement_id: string;
  department_id: string;
  requested_at: string;
  requested_by: string;
  decision: string | null;
  note: string | null;
  owner_id: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

export interface SrDocumentLinkTable {
  id: string;
  requirement_id: string;
  department_id: string | null;
  document_id: string;
  version_id: string;
  role: string;
  note: string | null;
  linked_at: string;
  linked_by: string;
}

export interface SrDistributionTable {
  id: string;
  customer_id: string;
  requirement_id: string | null;
  list_revision: number | null;
  ack_kind: string;
  note: string | null;
  distributed_at: string;
  distributed_by: string;
}

export interface SrAcknowledgementTable {
  id: string;
  distribution_id: string;
  user_id: string;
  department_id: string | null;
  acknowledged_at: string | null;
  kind: string | null;
  note: string | null;
  reminded_at: string | null;
}

export interface SrSymbolTable {
  id: string;
  customer_id: string;
  code: string;
  name: string;
  meaning: string | null;
  shape: string;
  image_sha256: string | null;
  image_mime: string | null;
  char_class: string;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface SrCharacteristicTable {
  id: string;
  customer_id: string;
  part_number: string;
  seq: number;
  name: string;
  specification: string;
  char_class: string;
  symbol_id: string | null;
  control_plan_ref: string | null;
  inspection_method: string | null;
  requirement_id: string | null;
  active: number;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface SrCheckTable {
  id: string;
  customer_id: string;
  checked_on: string;
  checked_by: string;
  note: string | null;
  created_at: string;
}

export interface SrCheckSourceTable {
  check_id: string;
  document_id: string;
  published_version: string;
  registered_version: string | null;
  matches: number;
  confirmed_on: string;
}

/** An order, contract, tender or annual contract under review (订单与合同评审, R-K1 … R-K3). */
export interface OrderTable {
  id: string;
  number: string;
  customer_id: string;
  customer_po: string | null;
  kind: string;
  received_via: string;
  received_on: string;
  phone_caller: string | null;
  phone_called_at: string | null;
  phone_agreed: string | null;
  confirmation_needed: number;
  confirmation_received_on: string | null;
  currency: string;
  payment_terms: string | null;
  delivery_method: string | null;
  delivery_place: string | null;
  packaging: string | null;
  remarks: string | null;
  /** numeric(18,2): a string on PostgreSQL, a number on SQLite. */
  total_amount: string | number | null;
  proposed_class: string;
  /** JSON [{code, params}]. */
  class_reasons: string;
  lead_time_at_risk: number;
  class: string;
  class_override_reason: string | null;
  class_overridden_by: string | null;
  class_overridden_at: string | null;
  status: string;
  route: string | null;
  submitted_at: string | null;
  submitted_by: string | null;
  signer_role: string | null;
  approval_decision: string | null;
  approved_role: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
  overrule_reason: string | null;
  credit_verdict: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** The 评审记录表 filed into the archive at the signature (0028). */
  record_document_id?: string | null;
  /** 项目档案: the project of its own customer archive it belongs to. */
  project_id?: string | null;
}

export interface OrderLineTable {
  id: string;
  order_id: string;
  line_no: number;
  part_number: string;
  product: string;
  specification: string | null;
  quantity: string | number;
  unit: string;
  unit_price: string | number | null;
  amount: string | number | null;
  requested_on: string;
  promised_on: string | null;
}

export interface OrderReviewTable {
  id: string;
  order_id: string;
  department_id: string;
  requested_at: string;
  requested_by: string;
  decision: string | null;
  condition: string | null;
  comment: string | null;
  checklist: string | null;
  pricing: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

export interface OrderHistoryTable {
  id: string;
  order_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  note: string | null;
}

/** A file attached to an order (0028): the PO scan, a phone order's written confirmation, R&D's
 * 可行性分析报告 (department_id: the review it belongs to), other. Content in the blob store. */
export interface OrderFileTable {
  id: string;
  order_id: string;
  kind: string;
  department_id: string | null;
  sha256: string;
  name: string;
  size: number;
  mime: string;
  created_by: string;
  created_at: string;
}

/** An amendment of an accepted order (合同更改, R-K4). */
export interface OrderAmendmentTable {
  id: string;
  order_id: string;
  seq: number;
  status: string;
  reason: string;
  /** JSON [{field, lineNo?, before, after}]. */
  changes: string;
  /** JSON ['quantity' | 'date' | 'specification' | 'price' | 'terms']. */
  categories: string;
  signer_role: string;
  decision: string | null;
  signed_role: string | null;
  signed_by: string | null;
  signed_at: string | null;
  sign_comment: string | null;
  overrule_reason: string | null;
  created_at: string;
  created_by: string;
}

export interface OrderDeliveryTable {
  id: string;
  order_id: string;
  line_id: string;
  delivered_on: string;
  quantity: string | number;
  delivery_note_no: string | null;
  remarks: string | null;
  created_at: string;
  created_by: string;
}

export interface OrderAmendmentReviewTable {
  id: string;
  amendment_id: string;
  order_id: string;
  department_id: string;
  requested_at: string;
  decision: string | null;
  condition: string | null;
  comment: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

/** One department's copy of a 合同更改通知单 and its acknowledgement. */
export interface OrderAmendmentNoticeTable {
  id: string;
  amendment_id: string;
  order_id: string;
  department_id: string;
  issued_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface OrderDelayTable {
  id: string;
  order_id: string;
  line_id: string;
  promised_on: string | null;
  predicted: number;
  reason: string;
  new_date: string;
  informed_by: string | null;
  informed_on: string | null;
  informed_via: string | null;
  created_at: string;
  created_by: string;
}

// Credit management and admission (R-A4, migration 0030). Money: numeric(18, 2), a string on
// PostgreSQL and a number on SQLite.
type Money = string | number;

export interface CreditBalanceTable {
  id: string;
  customer_id: string;
  as_of: string;
  receivables: Money;
  unsettled_bills: Money;
  overdue_days: number;
  source: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface CustomerCreditTable {
  customer_id: string;
  credit_limit: Money | null;
  limit_approved_at: string | null;
  limit_approved_by: string | null;
  suspended: number;
  suspended_at: string | null;
  suspended_by: string | null;
  suspend_reason: string | null;
  warning_level: string | null;
  warned_at: string | null;
  updated_at: string;
}

export interface CreditInvestigationTable {
  id: string;
  customer_id: string;
  kind: string;
  investigated_on: string;
  /** JSON list of source codes. */
  sources: string;
  management: string | null;
  internal: string | null;
  funding: string | null;
  payment: string | null;
  conclusion: string;
  founded_on: string | null;
  staff_count: number | null;
  wholesaler: number | null;
  past_default: number | null;
  created_by: string;
  created_at: string;
}

export interface CreditFileTable {
  id: string;
  investigation_id: string;
  sha256: string;
  name: string;
  size: number | string;
  mime: string;
  created_by: string;
  created_at: string;
}

export interface CreditRequestTable {
  id: string;
  customer_id: string;
  kind: string;
  credit_limit: Money | null;
  credit_class: string | null;
  /** JSON: the class the criteria proposed and its reasons. */
  proposal: string | null;
  reason: string;
  approver_role: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

export interface CreditAdmissionTable {
  id: string;
  customer_id: string;
  /** JSON: the 客户交易卡. */
  card: string;
  payment_terms: string;
  conditions: string | null;
  requested_limit: Money;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

export interface CreditDangerReportTable {
  id: string;
  customer_id: string;
  reported_on: string;
  cause: string;
  details: string;
  measures: string | null;
  created_by: string;
  created_at: string;
}

export interface SalesImportTable {
  id: string;
  /** sales | stock */
  kind: string;
  file_name: string;
  month_from: string;
  month_to: string;
  rows: number;
  replaced: number;
  job_id: string | null;
  created_at: string;
  created_by: string;
}

export interface SalesRecordTable {
  id: string;
  customer_id: string;
  /** YYYY-MM */
  month: string;
  sold_on: string | null;
  product_code: string;
  product_name: string | null;
  quantity: string | number | null;
  amount: string | number;
  gross_margin: string | number | null;
  import_id: string;
}

export interface StockLevelTable {
  product_code: string;
  month: string;
  product_name: string | null;
  quantity: string | number | null;
  amount: string | number;
  import_id: string;
}

export interface AbcRunTable {
  id: string;
  month_from: string;
  month_to: string;
  category: string | null;
  threshold_a: string | number;
  threshold_b: string | number;
  /** upper | lower: the grade of a customer whose sales straddle a boundary. */
  straddle: string;
  source: string;
  customers: number;
  changed: number;
  total: string | number;
  created_at: string;
  created_by: string;
}
