import type { Label } from './enums.js';
import { todayInShanghai } from './time.js';

// Retention, appraisal and destruction (保管期限、鉴定、销毁, R-X1 … R-X5): the pure rules and the
// codes stored in the database, shared by server and web.
//
// The retention clock starts on 1 January of the year after the record's year (R-X1):
// a D10 record of 2016 is due for appraisal on 2027-01-01. Y (永久) is never due. L<n> is
// "the part's active production and service life + n calendar years" (contract review
// records): due once the life has ended, on 1 January of the year after end + n. An obsolete
// original (a withdrawn document that was never filed under an 档号) is due once it has been
// kept `obsoleteKeepYears` (≥ 1) after its withdrawal. An appraisal that keeps a record sets
// its next due date, which then stands until the next appraisal. Expiry never destroys
// anything: it only puts the record on the appraisal list.

export interface RetentionSubject {
  /** Y, D<years> or L<years>. */
  retention: string;
  issueDate: string | null;
  receivedDate: string | null;
  /** ISO instant of registration. */
  createdAt: string;
  /** L<n>: the day the part's production and service ended (YYYY-MM-DD). */
  lifeEndDate: string | null;
  /** ISO instant the document was withdrawn (作废), if it was. */
  withdrawnAt: string | null;
  /** Filed under an 档号: a record of the archive, not a controlled copy in use. */
  filed: boolean;
  /** The next appraisal date an earlier appraisal set (keep with a new term). */
  extendedDue: string | null;
}

export interface RetentionRules {
  /** How many calendar years an obsolete original is kept after its withdrawal (≥ 1). */
  obsoleteKeepYears: number;
}

export const DEFAULT_RETENTION_RULES: RetentionRules = { obsoleteKeepYears: 1 };

const yearOf = (isoDateOrInstant: string) =>
  Number(
    (isoDateOrInstant.length === 10 ? isoDateOrInstant : todayInShanghai(new Date(isoDateOrInstant))).slice(
      0,
      4,
    ),
  );

const januaryFirst = (year: number) => `${String(year).padStart(4, '0')}-01-01`;

/** The record's year: of its issue, else of its receipt, else of its registration. */
export function recordYear(s: Pick<RetentionSubject, 'issueDate' | 'receivedDate' | 'createdAt'>): number {
  return yearOf(s.issueDate ?? s.receivedDate ?? s.createdAt);
}

/** Years of a D or L code; null for Y and anything else. */
export function termYears(code: string): number | null {
  const m = /^[DL](\d+)$/.exec(code);
  return m ? Number(m[1]) : null;
}

/** The day the record is due for appraisal (YYYY-MM-DD), or null when it never is (yet). */
export function retentionDue(
  s: RetentionSubject,
  rules: RetentionRules = DEFAULT_RETENTION_RULES,
): string | null {
  if (s.retention === 'Y') return null;
  if (s.extendedDue) return s.extendedDue;
  const years = termYears(s.retention);
  if (years === null) return null;
  if (s.withdrawnAt && !s.filed)
    return januaryFirst(yearOf(s.withdrawnAt) + 1 + Math.max(1, rules.obsoleteKeepYears));
  if (s.retention.startsWith('L'))
    return s.lifeEndDate ? januaryFirst(yearOf(s.lifeEndDate) + 1 + years) : null;
  return januaryFirst(recordYear(s) + 1 + years);
}

/**
 * The next due date when an appraisal keeps a record with a new term, counted from the
 * appraisal (延长保管期限): D10 chosen in 2027 → 2038-01-01; Y → never; L<n> → from the life's end.
 */
export function extendedDue(code: string, appraisedOn: string, lifeEndDate: string | null): string | null {
  if (code === 'Y') return null;
  const years = termYears(code);
  if (years === null) return null;
  if (code.startsWith('L')) return lifeEndDate ? januaryFirst(yearOf(lifeEndDate) + 1 + years) : null;
  return januaryFirst(yearOf(appraisedOn) + 1 + years);
}

/** Whole years kept, from the start of the retention clock to `on` (the destruction date). */
export function yearsKept(year: number, on: string): number {
  const start = `${year + 1}-01-01`;
  if (on < start) return 0;
  return Number(on.slice(0, 4)) - (year + 1);
}

/** Which of two due dates keeps a record longer (null: never due, the longest). */
export function laterDue(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return a > b ? a : b;
}

// Holds (冻结, R-X5) ---------------------------------------------------------------------------

export const HOLD_KINDS = ['dispute', 'audit', 'litigation', 'other'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];
export const HOLD_KIND_LABELS: Record<HoldKind, Label> = {
  dispute: { zh: '争议', en: 'Dispute' },
  audit: { zh: '审计', en: 'Audit' },
  litigation: { zh: '诉讼', en: 'Litigation' },
  other: { zh: '其他', en: 'Other' },
};

export const HOLD_TARGETS = ['customer', 'document'] as const;
export type HoldTarget = (typeof HOLD_TARGETS)[number];

// Appraisal (鉴定, R-X2) ---------------------------------------------------------------------

export const APPRAISAL_STATUSES = ['open', 'concluded'] as const;
export type AppraisalStatus = (typeof APPRAISAL_STATUSES)[number];
export const APPRAISAL_STATUS_LABELS: Record<AppraisalStatus, Label> = {
  open: { zh: '鉴定中', en: 'In appraisal' },
  concluded: { zh: '已结束', en: 'Concluded' },
};

export const APPRAISAL_DECISIONS = ['keep', 'destroy'] as const;
export type AppraisalDecision = (typeof APPRAISAL_DECISIONS)[number];
export const APPRAISAL_DECISION_LABELS: Record<AppraisalDecision, Label> = {
  keep: { zh: '继续保存', en: 'Keep' },
  destroy: { zh: '销毁', en: 'Destroy' },
};

/** The group's decision on one item: destroyed only when every member says so; otherwise
 * kept with the term that keeps it longest (when in doubt, keep). */
export function groupDecision(
  opinions: { decision: AppraisalDecision; due: string | null; retention: string | null }[],
): { decision: AppraisalDecision; retention: string | null; due: string | null } {
  const keeps = opinions.filter((o) => o.decision === 'keep');
  if (opinions.length > 0 && keeps.length === 0) return { decision: 'destroy', retention: null, due: null };
  let best = keeps[0] ?? { retention: null, due: null };
  for (const k of keeps.slice(1)) if (laterDue(best.due, k.due) !== best.due) best = k;
  return { decision: 'keep', retention: best.retention, due: best.due };
}

// Destruction register (销毁清册, R-X3) -------------------------------------------------------

export const DISPOSAL_STATUSES = [
  'draft',
  'signing',
  'approved',
  'rejected',
  'destroyed',
  'completed',
] as const;
export type DisposalStatus = (typeof DISPOSAL_STATUSES)[number];
export const DISPOSAL_STATUS_LABELS: Record<DisposalStatus, Label> = {
  draft: { zh: '草稿', en: 'Draft' },
  signing: { zh: '签批中', en: 'Being signed' },
  approved: { zh: '已批准，待销毁', en: 'Approved, to destroy' },
  rejected: { zh: '已退回', en: 'Rejected' },
  destroyed: { zh: '已销毁，待监销签字', en: 'Destroyed, awaiting witnesses' },
  completed: { zh: '销毁完成', en: 'Completed' },
};

export const DISPOSAL_ITEM_STATUSES = ['listed', 'blocked', 'destroyed'] as const;
export type DisposalItemStatus = (typeof DISPOSAL_ITEM_STATUSES)[number];
export const DISPOSAL_ITEM_STATUS_LABELS: Record<DisposalItemStatus, Label> = {
  listed: { zh: '待销毁', en: 'To destroy' },
  blocked: { zh: '冻结，未销毁', en: 'On hold, not destroyed' },
  destroyed: { zh: '已销毁', en: 'Destroyed' },
};

export interface DisposalCounts {
  total: number;
  /** Listed and under a hold now, before destruction (blocked then, unless lifted). */
  held: number;
  destroyed: number;
  /** Held when the register was carried out: not destroyed. */
  blocked: number;
  /** Carried out, awaiting the witnesses' confirmation (paper). */
  pending: number;
}

/** What became of a register's items (the reader's, R-P1), for its header and page. */
export function disposalCounts(
  status: DisposalStatus,
  items: { status: DisposalItemStatus; heldReason: string | null }[],
): DisposalCounts {
  const n = (p: (i: (typeof items)[number]) => boolean) => items.filter(p).length;
  return {
    total: items.length,
    held: n((i) => i.status === 'listed' && !!i.heldReason),
    destroyed: n((i) => i.status === 'destroyed'),
    blocked: n((i) => i.status === 'blocked'),
    pending: status === 'destroyed' ? n((i) => i.status === 'listed') : 0,
  };
}

/** 「共 3 件：已销毁 2 件，冻结未销毁 1 件」: how many are listed and, once carried out (or while
 * some are held), what became of them. */
export function disposalCountText(c: DisposalCounts, lang: 'zh' | 'en'): string {
  const parts: [number, string, string][] = [
    [c.destroyed, '已销毁 {n} 件', '{n} destroyed'],
    [c.pending, '待监销确认 {n} 件', '{n} awaiting the witnesses'],
    [c.blocked, '冻结未销毁 {n} 件', '{n} on hold, not destroyed'],
    [c.held, '冻结中 {n} 件', '{n} on hold now'],
  ];
  const said = parts
    .filter(([n]) => n > 0)
    .map(([n, zh, en]) => (lang === 'zh' ? zh : en).replace('{n}', String(n)));
  if (lang === 'en') return `${c.total} in all${said.length ? `: ${said.join(', ')}` : ''}`;
  return `共 ${c.total} 件${said.length ? `：${said.join('，')}` : ''}`;
}

/** One signing step of a destruction register: who signs, by role (R-X3, configurable). */
export interface SignerStep {
  label: string;
  role: 'archivist' | 'department_manager' | 'general_manager' | 'quality' | 'admin';
}

export const DEFAULT_SIGNER_STEPS: SignerStep[] = [
  { label: '档案部门负责人', role: 'archivist' },
  { label: '业务部门负责人', role: 'department_manager' },
  { label: '总经理', role: 'general_manager' },
];

/** How many witnesses (监销人) sign after the destruction. */
export const WITNESSES = 2;

export interface DisposalColumn {
  key: string;
  header: Label;
  width: number;
}

const col = (key: string, zh: string, en: string, width: number): DisposalColumn => ({
  key,
  header: { zh, en },
  width,
});

/** The columns of the destruction register, as R-X3 lists them. */
export const DISPOSAL_COLUMNS: DisposalColumn[] = [
  col('index', '序号', 'No.', 6),
  col('archiveNo', '档号', 'Archive no.', 26),
  col('docNumber', '文号', 'Document no.', 18),
  col('responsibleParty', '责任者', 'Responsible party', 18),
  col('title', '题名', 'Title', 36),
  col('dateFormed', '形成日期', 'Date formed', 12),
  col('retention', '保管期限', 'Retention', 10),
  col('yearsKept', '已保管年限', 'Years kept', 10),
  col('destructionDate', '销毁日期', 'Destroyed on', 12),
  col('status', '状态', 'Status', 14),
];
