import type { Label } from './enums.js';

// Complaints and service requests (R-Q1 … R-Q7): the codes stored and shown, and the pure rules
// both server and web use (which clocks a case has, what they are due by, which step is next).

export const CASE_KINDS = ['complaint', 'service'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_KIND_LABELS: Record<CaseKind, Label> = {
  complaint: { zh: '投诉', en: 'Complaint' },
  service: { zh: '服务', en: 'Service request' },
};
/** Number prefixes: TS202612-0001 (投诉), FW202612-0001 (服务). */
export const CASE_NUMBER_PATTERNS: Record<CaseKind, string> = {
  complaint: 'TS{yyyy}{mm}-{seq:4}',
  service: 'FW{yyyy}{mm}-{seq:4}',
};
/** The lookup list that holds each kind's types. */
export const CASE_TYPE_LISTS: Record<CaseKind, 'complaint_type' | 'service_type'> = {
  complaint: 'complaint_type',
  service: 'service_type',
};

export const CHANNELS = ['phone', 'email', 'letter', 'fax', 'web', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  email: { zh: '邮件', en: 'E-mail' },
  letter: { zh: '信函', en: 'Letter' },
  fax: { zh: '传真', en: 'Fax' },
  web: { zh: '网站', en: 'Website' },
  visit: { zh: '来访', en: 'Visit' },
};

export const SEVERITIES = ['normal', 'serious', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Record<Severity, Label> = {
  normal: { zh: '一般', en: 'Normal' },
  serious: { zh: '严重', en: 'Serious' },
  major: { zh: '重大', en: 'Major' },
};

export const CASE_STATUSES = ['new', 'in_progress', 'to_reply', 'to_revisit', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, Label> = {
  new: { zh: '待分派', en: 'To assign' },
  in_progress: { zh: '处理中', en: 'In progress' },
  to_reply: { zh: '待回复', en: 'To reply' },
  to_revisit: { zh: '待回访', en: 'To revisit' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export const OUTCOMES = ['justified', 'unjustified'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, Label> = {
  justified: { zh: '成立', en: 'Justified' },
  unjustified: { zh: '不成立', en: 'Not justified' },
};

export const CAUSE_CATEGORIES = ['design', 'manufacturing', 'incoming', 'transport', 'use', 'other'] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];
export const CAUSE_LABELS: Record<CauseCategory, Label> = {
  design: { zh: '设计', en: 'Design' },
  manufacturing: { zh: '制造', en: 'Manufacturing' },
  incoming: { zh: '来料', en: 'Incoming material' },
  transport: { zh: '运输', en: 'Transport' },
  use: { zh: '使用', en: 'Use' },
  other: { zh: '其他', en: 'Other' },
};

export const DISPOSITIONS = ['return', 'exchange', 'rework', 'scrap'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, Label> = {
  return: { zh: '退货', en: 'Return' },
  exchange: { zh: '换货', en: 'Exchange' },
  rework: { zh: '返工', en: 'Rework' },
  scrap: { zh: '报废', en: 'Scrap' },
};

/** How a reply or revisit reached the customer. */
export const REPLY_WAYS = ['phone', 'email', 'letter', 'fax', 'visit', 'meeting'] as const;
export type ReplyWay = (typeof REPLY_WAYS)[number];
export const REPLY_WAY_LABELS: Record<ReplyWay, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  email: { zh: '邮件', en: 'E-mail' },
  letter: { zh: '信函', en: 'Letter' },
  fax: { zh: '传真', en: 'Fax' },
  visit: { zh: '上门', en: 'On site' },
  meeting: { zh: '面谈', en: 'Meeting' },
};

export const OPINIONS = ['very_satisfied', 'satisfied', 'fair', 'poor'] as const;
export type Opinion = (typeof OPINIONS)[number];
export const OPINION_LABELS: Record<Opinion, Label> = {
  very_satisfied: { zh: '非常满意', en: 'Very satisfied' },
  satisfied: { zh: '满意', en: 'Satisfied' },
  fair: { zh: '一般', en: 'Fair' },
  poor: { zh: '较差', en: 'Poor' },
};

/** The clocks of a case (R-Q3): investigation started, customer replied to, resolved, revisited. */
export const CLOCKS = ['investigate', 'reply', 'resolve', 'revisit'] as const;
export type Clock = (typeof CLOCKS)[number];
export const CLOCK_LABELS: Record<Clock, Label> = {
  investigate: { zh: '开始调查', en: 'Investigation started' },
  reply: { zh: '答复客户', en: 'Customer replied to' },
  resolve: { zh: '处理完成', en: 'Resolved' },
  revisit: { zh: '回访', en: 'Revisited' },
};

export const CASE_EVENT_KINDS = [
  'received',
  'updated',
  'triaged_justified',
  'triaged_unjustified',
  'dispatched',
  'reassigned',
  'investigation_started',
  'investigation_saved',
  'resolved',
  'replied',
  'revisited',
  'archived',
  'file_added',
  'escalated',
  'action_raised',
  'action_done',
  'action_verified',
  'action_ineffective',
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];
export const CASE_EVENT_LABELS: Record<CaseEventKind, Label> = {
  received: { zh: '受理登记', en: 'Received' },
  updated: { zh: '修改登记信息', en: 'Details changed' },
  triaged_justified: { zh: '判定成立，分派处理', en: 'Justified and assigned' },
  triaged_unjustified: { zh: '判定不成立，已答复客户', en: 'Not justified; customer answered' },
  dispatched: { zh: '派工', en: 'Dispatched' },
  reassigned: { zh: '改派', en: 'Reassigned' },
  investigation_started: { zh: '开始调查', en: 'Investigation started' },
  investigation_saved: { zh: '记录调查与措施', en: 'Investigation recorded' },
  resolved: { zh: '处理完成', en: 'Resolved' },
  replied: { zh: '答复客户', en: 'Customer replied to' },
  revisited: { zh: '回访，客户意见已记录', en: 'Revisited; opinion recorded' },
  archived: { zh: '归档至客户档案', en: 'Filed in the customer archive' },
  file_added: { zh: '添加附件', en: 'Attachment added' },
  escalated: { zh: '超期上报', en: 'Escalated' },
  action_raised: { zh: '新增纠正预防措施', en: 'Corrective action raised' },
  action_done: { zh: '措施完成', en: 'Corrective action done' },
  action_verified: { zh: '措施验证有效', en: 'Corrective action verified' },
  action_ineffective: { zh: '措施验证无效', en: 'Corrective action not effective' },
};

/** Working days allowed per clock; `revisit` counts from closing, the others from receipt. */
export interface ClockDays {
  investigate: number;
  reply: number;
  resolve: number;
  revisit: number;
}

/** A clock rule: applies to a kind, and optionally only to one type and/or severity. */
export interface ClockRule extends ClockDays {
  kind: CaseKind;
  type: string | null;
  severity: Severity | null;
}

/** R-Q3 defaults: investigation within 1 working day, a reply within 2, revisit within 5 of closing. */
export const DEFAULT_CLOCK_RULES: ClockRule[] = [
  { kind: 'complaint', type: null, severity: null, investigate: 1, reply: 2, resolve: 10, revisit: 5 },
  { kind: 'complaint', type: null, severity: 'major', investigate: 1, reply: 2, resolve: 7, revisit: 5 },
  { kind: 'service', type: null, severity: null, investigate: 1, reply: 2, resolve: 5, revisit: 5 },
];

/**
 * The rule for a case: the most specific one that matches (type and severity beat either, either
 * beats none); later rules win ties, so an administrator's added rule overrides a default.
 */
export function clockRuleFor(
  rules: readonly ClockRule[],
  c: { kind: CaseKind; type: string; severity: Severity },
): ClockDays {
  let best: ClockRule | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (r.kind !== c.kind) continue;
    if (r.type !== null && r.type !== c.type) continue;
    if (r.severity !== null && r.severity !== c.severity) continue;
    const score = (r.type !== null ? 2 : 0) + (r.severity !== null ? 1 : 0);
    if (score >= bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best ?? { investigate: 1, reply: 2, resolve: 10, revisit: 5 };
}

/** Severities whose breached clocks go to the deputy general manager (R-Q4). */
export const ESCALATED_SEVERITIES: readonly Severity[] = ['serious', 'major'];
