import type { Label } from './enums.js';

// Access requests and borrowing (查阅、借阅, R-P1 … R-P8): codes, labels and the pure rules —
// which approvals a request needs, and the dates of a loan.

export const LENDING_MODES = ['electronic', 'physical'] as const;
export type LendingMode = (typeof LENDING_MODES)[number];
export const LENDING_MODE_LABELS: Record<LendingMode, Label> = {
  electronic: { zh: '电子查阅', en: 'Electronic access' },
  physical: { zh: '实物借阅', en: 'Physical loan' },
};

export const PURPOSES = ['read', 'borrow', 'copy', 'print'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PURPOSE_LABELS: Record<Purpose, Label> = {
  read: { zh: '查阅', en: 'Read' },
  borrow: { zh: '借阅', en: 'Borrow' },
  copy: { zh: '复制/摘抄', en: 'Copy or excerpt' },
  print: { zh: '打印', en: 'Print' },
};
/** Purposes that let a reader download (stamped) copies under an electronic grant (R-P4). */
export const DOWNLOAD_PURPOSES: Purpose[] = ['copy', 'print'];

export const REQUEST_STATUSES = [
  'pending',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
  'closed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, Label> = {
  pending: { zh: '审批中', en: 'Awaiting approval' },
  returned: { zh: '退回修改', en: 'Returned for changes' },
  approved: { zh: '已批准', en: 'Approved' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  closed: { zh: '已结束', en: 'Closed' },
};

export const CONDITIONS = ['intact', 'damaged', 'lost'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const CONDITION_LABELS: Record<Condition, Label> = {
  intact: { zh: '完好', en: 'Intact' },
  damaged: { zh: '缺损', en: 'Damaged' },
  lost: { zh: '丢失', en: 'Lost' },
};

export const REQUEST_EVENT_KINDS = [
  'submit',
  'approve',
  'reject',
  'return',
  'resubmit',
  'withdraw',
  'issue',
  'receive',
  'renew',
  'expire',
] as const;
export type RequestEventKind = (typeof REQUEST_EVENT_KINDS)[number];
export const REQUEST_EVENT_LABELS: Record<RequestEventKind, Label> = {
  submit: { zh: '提交申请', en: 'Submitted' },
  approve: { zh: '同意', en: 'Approved' },
  reject: { zh: '驳回', en: 'Rejected' },
  return: { zh: '退回修改', en: 'Returned for changes' },
  resubmit: { zh: '重新提交', en: 'Resubmitted' },
  withdraw: { zh: '撤回', en: 'Withdrawn' },
  issue: { zh: '借出', en: 'Issued' },
  receive: { zh: '归还', en: 'Returned' },
  renew: { zh: '申请续借', en: 'Renewal requested' },
  expire: { zh: '到期关闭', en: 'Access ended' },
};

/** Who approves a step, in the order steps are taken. */
export const APPROVER_ROLES = ['department_manager', 'archivist', 'general_manager'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];
export const APPROVER_LABELS: Record<ApproverRole, Label> = {
  department_manager: { zh: '部门经理审批', en: 'Department manager' },
  archivist: { zh: '档案管理员审核', en: 'Archivist' },
  general_manager: { zh: '总经理审批', en: 'General manager' },
};

/**
 * The approval rules (R-P2, configurable): the approvers each condition asks for. A request
 * needs every approver any of its conditions asks for, in the order of APPROVER_ROLES.
 */
export interface ApprovalRules {
  /** Every request: the requester's own department's records. */
  ownDepartment: ApproverRole[];
  /** Any item of another department. */
  otherDepartment: ApproverRole[];
  /** Any 受控 record. */
  controlled: ApproverRole[];
  /** Any item at or above `secretFrom` (2 = 机密). */
  secret: ApproverRole[];
  secretFrom: number;
  /** A borrower from outside the company (with a letter of introduction). */
  external: ApproverRole[];
  /** A renewal that takes the total beyond the maximum period. */
  beyondMaximum: ApproverRole[];
}

export const DEFAULT_APPROVAL_RULES: ApprovalRules = {
  ownDepartment: ['department_manager'],
  otherDepartment: ['department_manager', 'general_manager'],
  controlled: ['department_manager', 'general_manager'],
  secret: ['department_manager', 'general_manager'],
  secretFrom: 2,
  external: ['general_manager'],
  beyondMaximum: ['general_manager'],
};

export interface ChainItem {
  /** The item's department is the requester's or one below it. */
  ownDepartment: boolean;
  controlled: boolean;
  /** The higher of the record's and its customer's secrecy rank. */
  secrecy: number;
}

export interface ChainInput {
  items: ChainItem[];
  external: boolean;
  /** Days of this request and the ones it renews, against the maximum. */
  totalDays: number;
  maxDays: number;
  /** Roles the requester holds: nobody approves their own request, so a department manager's
   * own request goes to the general manager instead. */
  requesterRoles: readonly string[];
  /**
   * Roles none of whose holders is cleared for the most secret item (R-P1) — for the department
   * manager, none of the requester's department or above: such a step goes to the general
   * manager too, so that no request waits for an approver who may not open it.
   */
  uncleared?: readonly ApproverRole[];
}

export function approvalChain(
  input: ChainInput,
  rules: ApprovalRules = DEFAULT_APPROVAL_RULES,
): ApproverRole[] {
  const wanted = new Set<ApproverRole>(rules.ownDepartment);
  const add = (roles: ApproverRole[]) => {
    for (const r of roles) wanted.add(r);
  };
  if (input.items.some((i) => !i.ownDepartment)) add(rules.otherDepartment);
  if (input.items.some((i) => i.controlled)) add(rules.controlled);
  if (input.items.some((i) => i.secrecy >= rules.secretFrom)) add(rules.secret);
  if (input.external) add(rules.external);
  if (input.totalDays > input.maxDays) add(rules.beyondMaximum);
  // Someone who holds a step's role cannot take their own step, and nobody takes a step for
  // records above their clearance: such a step goes to the general manager.
  for (const role of [...wanted]) {
    if (
      role !== 'general_manager' &&
      (input.requesterRoles.includes(role) || input.uncleared?.includes(role))
    ) {
      wanted.delete(role);
      wanted.add('general_manager');
    }
  }
  if (wanted.size === 0) wanted.add('general_manager');
  return APPROVER_ROLES.filter((r) => wanted.has(r));
}

/** A calendar date `days` after `date` (R-P3 counts calendar days). */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The instant a grant ending on `endDate` (inclusive, Asia/Shanghai) expires. */
export function endOfDayShanghai(endDate: string): string {
  return new Date(`${addCalendarDays(endDate, 1)}T00:00:00+08:00`).toISOString();
}

/**
 * How a request's records are named in one line: the first, and when there are more the total —
 * 「2015年检验记录 等 2 件」 (等 N 件 counts all of them; 「等 1 件」 for two would read as one).
 */
export function itemsLabel(first: string, count: number, lang: 'zh' | 'en' = 'zh'): string {
  if (count <= 1) return first;
  return lang === 'en' ? `${first} (${count} items)` : `${first} 等 ${count} 件`;
}
