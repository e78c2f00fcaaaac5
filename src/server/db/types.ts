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

export interface Database {
  departments: DepartmentTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  counters: CounterTable;
  calendar_overrides: CalendarOverrideTable;
}
