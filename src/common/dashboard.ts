import { CASE_STATUS_LABELS, type CaseStatus } from './cases.js';
import type { Label } from './enums.js';

// Names of the dashboard's fixed chart elements and figures (data-driven ones, such as customer
// categories, come with their own names).

export const DASHBOARD_ITEM_LABELS: Record<string, Label> = {
  A: { zh: 'A 类', en: 'Grade A' },
  B: { zh: 'B 类', en: 'Grade B' },
  C: { zh: 'C 类', en: 'Grade C' },
  none: { zh: '未分级', en: 'Ungraded' },
  dueToday: { zh: '今日到期', en: 'Due today' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  late: { zh: '超时未办', en: 'Past their deadline' },
  delayed: { zh: '掉期订单行', en: 'Delayed order lines' },
  onTimeRate: { zh: '本月准时交付率', en: 'On-time delivery this month' },
  open: { zh: '进行中', en: 'Open' },
  pending: { zh: '待确认', en: 'To acknowledge' },
  index: { zh: '本年满意度指数', en: 'Satisfaction index this year' },
  out: { zh: '借出未还', en: 'Out on loan' },
  filingOverdue: { zh: '逾期未备案', en: 'Filing overdue' },
  creditNear: { zh: '接近信用限度', en: 'Near the credit limit' },
  creditOver: { zh: '超过信用限度', en: 'Over the credit limit' },
  appraisalDue: { zh: '到期待鉴定', en: 'Due for appraisal' },
  secrecyReviews: { zh: '保密期限届满待审查', en: 'Secrecy term ended, to review' },
  ...(Object.fromEntries(Object.entries(CASE_STATUS_LABELS)) as Record<CaseStatus, Label>),
};
