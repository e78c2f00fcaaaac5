import type { Label } from './enums.js';

// What each audit `action` means, for the audit log page and its Excel export. Denied
// attempts are recorded under the policy action that was refused (e.g. `user.manage`).
export const AUDIT_ACTION_LABELS: Record<string, Label> = {
  'auth.login': { zh: '登录', en: 'Sign in' },
  'auth.logout': { zh: '退出登录', en: 'Sign out' },
  'auth.lockout': { zh: '账号锁定', en: 'Account locked' },
  'auth.password_change': { zh: '修改密码', en: 'Password changed' },
  'auth.token_create': { zh: '创建 API 令牌', en: 'API token created' },
  'auth.token_revoke': { zh: '吊销 API 令牌', en: 'API token revoked' },
  'user.create': { zh: '新建用户', en: 'User created' },
  'user.update': { zh: '修改用户', en: 'User changed' },
  'user.password_reset': { zh: '重置密码', en: 'Password reset' },
  'user.unlock': { zh: '解除锁定', en: 'Account unlocked' },
  'department.create': { zh: '新建部门', en: 'Department created' },
  'department.update': { zh: '修改部门', en: 'Department changed' },
  'calendar.override_set': { zh: '设置日历例外日', en: 'Calendar override set' },
  'calendar.override_delete': { zh: '删除日历例外日', en: 'Calendar override removed' },
  'audit.verify': { zh: '校验审计链', en: 'Audit chain verified' },
  'audit.export': { zh: '导出审计日志', en: 'Audit log exported' },
  'system.init': { zh: '系统初始化', en: 'System initialised' },
  // Policy actions, under which denied attempts are recorded.
  'user.manage': { zh: '管理用户', en: 'Manage users' },
  'department.manage': { zh: '管理部门', en: 'Manage departments' },
  'calendar.manage': { zh: '管理工作日历', en: 'Manage the calendar' },
  'audit.read': { zh: '查看审计日志', en: 'Read the audit log' },
};

export const AUDIT_TARGET_LABELS: Record<string, Label> = {
  user: { zh: '用户', en: 'User' },
  department: { zh: '部门', en: 'Department' },
  session: { zh: '会话', en: 'Session' },
  api_token: { zh: 'API 令牌', en: 'API token' },
  calendar_day: { zh: '日历日期', en: 'Calendar day' },
  audit_log: { zh: '审计日志', en: 'Audit log' },
};
