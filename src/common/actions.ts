import type { Label } from './enums.js';

// Corrective and preventive actions (纠正预防措施): the codes stored and shown. An action is raised
// from a source record — a complaint now, satisfaction surveys and audits later — and is done by
// its owner, then verified by quality (R-Q4).

export const ACTION_KINDS = ['containment', 'corrective', 'preventive'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ACTION_KIND_LABELS: Record<ActionKind, Label> = {
  containment: { zh: '临时措施', en: 'Containment' },
  corrective: { zh: '纠正措施', en: 'Corrective action' },
  preventive: { zh: '预防措施', en: 'Preventive action' },
};

export const ACTION_STATUSES = ['open', 'done', 'verified', 'ineffective'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, Label> = {
  open: { zh: '进行中', en: 'Open' },
  done: { zh: '已完成', en: 'Done' },
  verified: { zh: '已验证', en: 'Verified' },
  ineffective: { zh: '验证无效', en: 'Not effective' },
};

/** What an action can be raised from; each has a source kind in modules/actions/sources.ts. */
export const ACTION_SOURCE_TYPES = ['case', 'survey_response', 'special_requirement'] as const;
export type ActionSourceType = (typeof ACTION_SOURCE_TYPES)[number];
export const ACTION_SOURCE_LABELS: Record<ActionSourceType, Label> = {
  case: { zh: '客户投诉与服务', en: 'Complaint or service request' },
  survey_response: { zh: '顾客满意度调查', en: 'Satisfaction survey' },
  special_requirement: { zh: '顾客特殊要求', en: 'Customer special requirement' },
};

/** Working days an owner may be given, counted from the day the action is raised. */
export const ACTION_MAX_DUE_DAYS = 250;

/** Open and past its due date (a calendar date; due today is not overdue yet). */
export function actionOverdue(a: { status: string; dueDate: string }, today: string): boolean {
  return a.status === 'open' && a.dueDate < today;
}
