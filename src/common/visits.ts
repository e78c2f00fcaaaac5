import type { InteractionKind } from './customers.js';
import type { Label } from './enums.js';

// Follow-up visits (回访, R-V1, R-V2): what sets a plan off, how a visit is made, the states of a
// visit task, and the default plans (001 篇十: buyers visited within 3, 30 and 60 days, customers
// who have not bought within 3 and 15 days).

/**
 * What creates visit tasks: the archive filed (备案) without a purchase; the first purchase
 * recorded (or an archive filed with one); a complaint or service request closed; an
 * interaction of a chosen kind recorded.
 */
export const VISIT_TRIGGERS = ['filed', 'first_purchase', 'case_closed', 'interaction'] as const;
export type VisitTrigger = (typeof VISIT_TRIGGERS)[number];
export const VISIT_TRIGGER_LABELS: Record<VisitTrigger, Label> = {
  filed: { zh: '建档（未购买）', en: 'Filed without a purchase' },
  first_purchase: { zh: '首次购买', en: 'First purchase' },
  case_closed: { zh: '投诉/服务关闭', en: 'Complaint or service closed' },
  interaction: { zh: '记录往来', en: 'Interaction recorded' },
};

export const VISIT_WAYS = ['phone', 'onsite'] as const;
export type VisitWay = (typeof VISIT_WAYS)[number];
export const VISIT_WAY_LABELS: Record<VisitWay, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  onsite: { zh: '上门', en: 'On site' },
};
/** The interaction a visit records in the archive's timeline. */
export const VISIT_INTERACTION_KIND: Record<VisitWay, InteractionKind> = { phone: 'call', onsite: 'visit' };

export const DAY_KINDS = ['calendar', 'working'] as const;
export type DayKind = (typeof DAY_KINDS)[number];
export const DAY_KIND_LABELS: Record<DayKind, Label> = {
  calendar: { zh: '自然日', en: 'Calendar days' },
  working: { zh: '工作日', en: 'Working days' },
};

export const VISIT_STATUSES = ['open', 'done', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const VISIT_STATUS_LABELS: Record<VisitStatus, Label> = {
  open: { zh: '待回访', en: 'Open' },
  done: { zh: '已回访', en: 'Done' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

/** Why an open task was cancelled (or moved). */
export const VISIT_CANCEL_REASONS = ['manual', 'deactivated', 'merged_duplicate', 'purchased'] as const;
export type VisitCancelReason = (typeof VISIT_CANCEL_REASONS)[number];
export const VISIT_CANCEL_REASON_LABELS: Record<VisitCancelReason, Label> = {
  manual: { zh: '手动取消', en: 'Cancelled by hand' },
  deactivated: { zh: '档案已停用', en: 'Archive deactivated' },
  merged_duplicate: { zh: '合并后重复', en: 'Duplicate after a merge' },
  purchased: { zh: '客户已首次购买，改按购买后计划', en: 'Superseded by the purchase plan' },
};

export interface VisitRule {
  id: string;
  name: string;
  trigger: VisitTrigger;
  /** case_closed: only this kind of case (null: either). */
  caseKind: 'complaint' | 'service' | null;
  /** interaction: the kind of interaction that sets it off. */
  interactionKind: InteractionKind | null;
  /** Days after the trigger, one task each. */
  offsets: number[];
  dayKind: DayKind;
  way: VisitWay;
  /** Who visits: null for the archive's owner (the first of its owners). */
  assigneeId: string | null;
  active: boolean;
}

export const DEFAULT_VISIT_RULES: VisitRule[] = [
  {
    id: 'buyer',
    name: '购买后回访',
    trigger: 'first_purchase',
    caseKind: null,
    interactionKind: null,
    offsets: [3, 30, 60],
    dayKind: 'calendar',
    way: 'phone',
    assigneeId: null,
    active: true,
  },
  {
    id: 'non_buyer',
    name: '未购买客户回访',
    trigger: 'filed',
    caseKind: null,
    interactionKind: null,
    offsets: [3, 15],
    dayKind: 'calendar',
    way: 'phone',
    assigneeId: null,
    active: true,
  },
];

/** Whether an open task due on `dueDate` is overdue, due today or upcoming on `today`. */
export function visitDueState(dueDate: string, today: string): 'overdue' | 'today' | 'upcoming' {
  if (dueDate < today) return 'overdue';
  return dueDate === today ? 'today' : 'upcoming';
}
