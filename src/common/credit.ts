import type { CreditClass } from './customers.js';
import type { Label } from './enums.js';

// Credit management (R-A4, seed 004 客户信息管理制度 第五条–第十一条): the kinds of 信用调查, the
// criteria that propose a class 甲/乙/丙, and the exposure against the limit. Pure rules, shared
// by server and web.

export const INVESTIGATION_KINDS = ['daily', 'urgent', 'periodic'] as const;
export type InvestigationKind = (typeof INVESTIGATION_KINDS)[number];
export const INVESTIGATION_KIND_LABELS: Record<InvestigationKind, Label> = {
  daily: { zh: '日常报告', en: 'Routine' },
  urgent: { zh: '紧急报告', en: 'Urgent' },
  periodic: { zh: '定期报告', en: 'Periodic' },
};

/** Where the facts came from (第五条: 外部机构 and 内部调查). */
export const INVESTIGATION_SOURCES = ['bank', 'agency', 'trade', 'colleagues', 'press', 'visit'] as const;
export type InvestigationSource = (typeof INVESTIGATION_SOURCES)[number];
export const INVESTIGATION_SOURCE_LABELS: Record<InvestigationSource, Label> = {
  bank: { zh: '金融机构', en: 'Bank' },
  agency: { zh: '资信调查机构', en: 'Credit agency' },
  trade: { zh: '客户或同行业组织', en: 'Customers or trade bodies' },
  colleagues: { zh: '同事', en: 'Colleagues' },
  press: { zh: '新闻报道', en: 'Press' },
  visit: { zh: '实地走访', en: 'Visit' },
};

export const CREDIT_REQUEST_KINDS = ['limit', 'class'] as const;
export type CreditRequestKind = (typeof CREDIT_REQUEST_KINDS)[number];
export const CREDIT_REQUEST_KIND_LABELS: Record<CreditRequestKind, Label> = {
  limit: { zh: '信用限度', en: 'Credit limit' },
  class: { zh: '信用等级', en: 'Credit class' },
};

export const CREDIT_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type CreditRequestStatus = (typeof CREDIT_REQUEST_STATUSES)[number];
export const CREDIT_REQUEST_STATUS_LABELS: Record<CreditRequestStatus, Label> = {
  pending: { zh: '待审批', en: 'Pending' },
  approved: { zh: '已批准', en: 'Approved' },
  rejected: { zh: '未批准', en: 'Rejected' },
};

/** Who approves: the sales department's manager, or the general manager (a limit above the
 * configured amount). */
export const CREDIT_APPROVERS = ['department_manager', 'general_manager'] as const;
export type CreditApprover = (typeof CREDIT_APPROVERS)[number];
export const CREDIT_APPROVER_LABELS: Record<CreditApprover, Label> = {
  department_manager: { zh: '销售部经理', en: 'Sales manager' },
  general_manager: { zh: '总经理', en: 'General manager' },
};

/** How far the exposure is: below the warning share, at or past it, past the limit. */
export const CREDIT_LEVELS = ['ok', 'warn', 'over'] as const;
export type CreditLevel = (typeof CREDIT_LEVELS)[number];
export const CREDIT_LEVEL_LABELS: Record<CreditLevel, Label> = {
  ok: { zh: '正常', en: 'Within' },
  warn: { zh: '接近限度', en: 'Near the limit' },
  over: { zh: '超出限度', en: 'Over the limit' },
};

/** The criteria of 第九条 (configurable). Amounts in the company's currency. */
export interface CreditCriteria {
  /** 甲: a large firm (staff at least), trading for years, paying on time. */
  jiaMinStaff: number;
  jiaMinYears: number;
  jiaMaxOverdueDays: number;
  /** 丙: small firms (staff below), new firms (founded less than N years ago), a balance at or
   * above the amount (a non-甲 customer), payments overdue N days, wholesalers, past defaults. */
  bingMaxStaff: number;
  bingNewFirmYears: number;
  bingBalance: string;
  bingOverdueDays: number;
  bingWholesaler: boolean;
  bingPastDefault: boolean;
}

export const DEFAULT_CREDIT_CRITERIA: CreditCriteria = {
  jiaMinStaff: 300,
  jiaMinYears: 3,
  jiaMaxOverdueDays: 0,
  bingMaxStaff: 100,
  bingNewFirmYears: 2,
  // 10 万美元 in the seed, in yuan.
  bingBalance: '700000',
  bingOverdueDays: 60,
  bingWholesaler: true,
  bingPastDefault: true,
};

export const CLASS_REASONS = [
  'jia_criteria',
  'wholesaler',
  'small',
  'new_firm',
  'past_default',
  'overdue',
  'balance',
  'default',
] as const;
export type ClassReason = (typeof CLASS_REASONS)[number];
export const CLASS_REASON_LABELS: Record<ClassReason, Label> = {
  jia_criteria: { zh: '规模较大、交易多年、付款及时', en: 'Large, trading for years, pays on time' },
  wholesaler: { zh: '中间批发商', en: 'Wholesaler' },
  small: { zh: '员工人数少的小企业', en: 'Small firm' },
  new_firm: { zh: '新成立企业', en: 'New firm' },
  past_default: { zh: '出现过不守信用问题', en: 'Past default' },
  overdue: { zh: '货款逾期', en: 'Payments overdue' },
  balance: { zh: '债权余额较高', en: 'High balance' },
  default: { zh: '信誉良好，信用状况一般', en: 'Most customers' },
};

/** The facts the criteria read; null where nobody has established them. */
export interface CreditFacts {
  staffCount: number | null;
  /** Whole years since the first purchase (null: never bought). */
  yearsTrading: number | null;
  /** Whole years since the firm was founded (null: unknown). */
  yearsFounded: number | null;
  overdueDays: number;
  /** Receivables + unsettled bills (cents). */
  balanceCents: bigint;
  wholesaler: boolean;
  pastDefault: boolean;
}

export interface ClassProposal {
  proposed: CreditClass;
  reasons: ClassReason[];
}

/** Cents of a decimal text (two decimals at most; larger scales are cut, not rounded). */
export function cents(text: string | number): bigint {
  const s = typeof text === 'number' ? text.toFixed(2) : text.trim();
  const negative = s.startsWith('-');
  const [whole = '0', frac = ''] = s.replace(/^[-+]/, '').split('.');
  const n = BigInt(whole || '0') * 100n + BigInt((frac.padEnd(2, '0').slice(0, 2) || '0') as string);
  return negative ? -n : n;
}

/** Cents as a decimal text with two decimals. */
export function yuan(n: bigint): string {
  const negative = n < 0n;
  const s = (negative ? -n : n).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/**
 * The class the criteria propose (第九条): 丙 for a wholesaler, a small or new firm, a past
 * default, payments overdue; 甲 for a large firm trading for years and paying on time with none of
 * those; 丙 also for a non-甲 customer whose balance is at or above the amount; else 乙.
 */
export function proposeClass(f: CreditFacts, c: CreditCriteria): ClassProposal {
  const bing: ClassReason[] = [];
  if (c.bingWholesaler && f.wholesaler) bing.push('wholesaler');
  if (f.staffCount !== null && f.staffCount < c.bingMaxStaff) bing.push('small');
  if (f.yearsFounded !== null && f.yearsFounded < c.bingNewFirmYears) bing.push('new_firm');
  if (c.bingPastDefault && f.pastDefault) bing.push('past_default');
  if (f.overdueDays >= c.bingOverdueDays) bing.push('overdue');
  const jia =
    bing.length === 0 &&
    f.staffCount !== null &&
    f.staffCount >= c.jiaMinStaff &&
    (f.yearsTrading ?? 0) >= c.jiaMinYears &&
    f.overdueDays <= c.jiaMaxOverdueDays;
  if (jia) return { proposed: 'jia', reasons: ['jia_criteria'] };
  if (f.balanceCents >= cents(c.bingBalance)) bing.push('balance');
  if (bing.length) return { proposed: 'bing', reasons: bing };
  return { proposed: 'yi', reasons: ['default'] };
}

/** The level of an exposure against a limit (cents) at a warning share in per cent. */
export function creditLevel(exposure: bigint, limit: bigint | null, warnPercent: number): CreditLevel {
  if (limit === null) return 'ok';
  if (exposure > limit) return 'over';
  if (exposure <= 0n) return 'ok';
  // exposure ≥ limit × share, in integers: exposure × 100 ≥ limit × percent.
  if (exposure * 100n >= limit * BigInt(warnPercent)) return 'warn';
  return 'ok';
}
