// Enumerations shared by server and web. Codes are stable ASCII identifiers stored in the
// database and used in the API; labels are what people read.

export type Lang = 'zh' | 'en';
export type Label = { zh: string; en: string };

export const ROLES = [
  'admin',
  'general_manager',
  'department_manager',
  'archivist',
  'quality',
  'staff',
  'auditor',
  'deputy_general_manager',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, Label> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  general_manager: { zh: '总经理', en: 'General manager' },
  department_manager: { zh: '部门经理', en: 'Department manager' },
  archivist: { zh: '档案管理员', en: 'Archivist' },
  quality: { zh: '品质部', en: 'Quality' },
  staff: { zh: '业务员', en: 'Staff' },
  auditor: { zh: '审计员', en: 'Auditor' },
  deputy_general_manager: { zh: '副总经理', en: 'Deputy general manager' },
};

/** Secrecy levels (密级, R-P1) in ascending order; a user's clearance uses the same scale. */
export const SECRECY_LEVELS = ['normal', 'secret', 'confidential', 'top_secret'] as const;
export type SecrecyLevel = (typeof SECRECY_LEVELS)[number];

export const SECRECY_LABELS: Record<SecrecyLevel, Label> = {
  normal: { zh: '普通', en: 'Normal' },
  secret: { zh: '秘密', en: 'Secret' },
  confidential: { zh: '机密', en: 'Confidential' },
  top_secret: { zh: '绝密', en: 'Top secret' },
};

/** Numeric rank stored in the database so that clearance filters are a single comparison. */
export function secrecyRank(level: SecrecyLevel): number {
  return SECRECY_LEVELS.indexOf(level);
}

export function secrecyFromRank(rank: number): SecrecyLevel {
  const level = SECRECY_LEVELS[rank];
  if (!level) throw new Error(`unknown secrecy rank ${rank}`);
  return level;
}

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, Label> = {
  success: { zh: '成功', en: 'Success' },
  failure: { zh: '失败', en: 'Failure' },
  denied: { zh: '拒绝', en: 'Denied' },
};
