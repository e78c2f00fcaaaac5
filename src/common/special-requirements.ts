import type { Label } from './enums.js';

// Customer special requirements (顾客特殊要求, IATF 16949, R-S1 … R-S5, R-D9): each customer's
// list of requirements taken from the documents it sends (quality manual, quality assurance
// agreement, technical agreement, contract, e-mail), reviewed by the departments concerned,
// flowed down into controlled documents, communicated with acknowledgement, its special
// characteristics marked with the customer's symbols, and re-checked yearly against the
// customer's current versions. Seeds: 000 顾客特殊要求管理规范, 003 顾客特殊要求程序 and
// 客户特定要求管理程序 (盾牌 S, 钻石 D, 五角星), 003 IATF 办法 (量产后 1 天内传达项目组).

/** Default categories (configurable lookup 'sr_category'). */
export const DEFAULT_SR_CATEGORIES: { code: string; label: Label }[] = [
  { code: 'qms', label: { zh: '质量体系', en: 'Quality system' } },
  { code: 'ppap', label: { zh: 'PPAP/产品批准', en: 'PPAP / product approval' } },
  { code: 'change', label: { zh: '变更管理', en: 'Change management' } },
  { code: 'packaging', label: { zh: '包装与标识', en: 'Packaging and labelling' } },
  { code: 'delivery', label: { zh: '交付与物流', en: 'Delivery and logistics' } },
  { code: 'traceability', label: { zh: '追溯', en: 'Traceability' } },
  { code: 'special_char', label: { zh: '特殊特性', en: 'Special characteristics' } },
  { code: 'targets', label: { zh: '质量目标/PPM', en: 'Quality targets / PPM' } },
  { code: 'complaints', label: { zh: '投诉与8D', en: 'Complaints and 8D' } },
  { code: 'other', label: { zh: '其他', en: 'Other' } },
];

/**
 * pending_review 待评审 (registered, not yet sent to departments) → in_review 评审中 (departments
 * asked) → implemented 已落实 (every action done, every linked document's implementing version
 * current, confirmed) or not_applicable 不适用 → obsolete 已废止 (withdrawn by the customer).
 */
export const SR_STATUSES = [
  'pending_review',
  'in_review',
  'implemented',
  'not_applicable',
  'obsolete',
] as const;
export type SrStatus = (typeof SR_STATUSES)[number];
export const SR_STATUS_LABELS: Record<SrStatus, Label> = {
  pending_review: { zh: '待评审', en: 'Awaiting review' },
  in_review: { zh: '评审中', en: 'In review' },
  implemented: { zh: '已落实', en: 'Implemented' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
  obsolete: { zh: '已废止', en: 'Withdrawn' },
};

/** Departments asked to review by default, by their department code when they have one. */
export const SR_REVIEW_DEPARTMENTS: { key: string; label: Label }[] = [
  { key: 'quality', label: { zh: '品质部', en: 'Quality' } },
  { key: 'engineering', label: { zh: '工程部', en: 'Engineering' } },
  { key: 'production', label: { zh: '生产部', en: 'Production' } },
  { key: 'purchasing', label: { zh: '采购部', en: 'Purchasing' } },
  { key: 'logistics', label: { zh: '物流部', en: 'Logistics' } },
];

/** What a review says: the requirement applies to that department, or not. */
export const SR_REVIEW_DECISIONS = ['applicable', 'not_applicable'] as const;
export type SrReviewDecision = (typeof SR_REVIEW_DECISIONS)[number];
export const SR_REVIEW_DECISION_LABELS: Record<SrReviewDecision, Label> = {
  applicable: { zh: '适用', en: 'Applicable' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
};

/** Internal documents a requirement flows into (the linked document's category says which). */
export const SR_DOCUMENT_ROLES = [
  'control_plan',
  'pfmea',
  'work_instruction',
  'inspection',
  'other',
] as const;
export type SrDocumentRole = (typeof SR_DOCUMENT_ROLES)[number];
export const SR_DOCUMENT_ROLE_LABELS: Record<SrDocumentRole, Label> = {
  control_plan: { zh: '控制计划', en: 'Control plan' },
  pfmea: { zh: 'PFMEA', en: 'PFMEA' },
  work_instruction: { zh: '作业指导书', en: 'Work instruction' },
  inspection: { zh: '检验标准', en: 'Inspection standard' },
  other: { zh: '其他文件', en: 'Other document' },
};

/** How a recipient acknowledges a distributed requirement (R-S3). */
export const SR_ACK_KINDS = ['read', 'trained'] as const;
export type SrAckKind = (typeof SR_ACK_KINDS)[number];
export const SR_ACK_KIND_LABELS: Record<SrAckKind, Label> = {
  read: { zh: '已阅', en: 'Read' },
  trained: { zh: '已培训', en: 'Trained' },
};

/** Internal classes of special characteristics (IATF 16949 §8.3.3.3). */
export const SR_CHAR_CLASSES = ['CC', 'SC'] as const;
export type SrCharClass = (typeof SR_CHAR_CLASSES)[number];
export const SR_CHAR_CLASS_LABELS: Record<SrCharClass, Label> = {
  CC: { zh: '关键特性 CC', en: 'Critical characteristic (CC)' },
  SC: { zh: '重要特性 SC', en: 'Significant characteristic (SC)' },
};

/** Shapes Kedang can draw itself (SVG), for customers who send no symbol image. */
export const SR_SYMBOL_SHAPES = ['shield', 'diamond', 'star', 'circle', 'triangle', 'none'] as const;
export type SrSymbolShape = (typeof SR_SYMBOL_SHAPES)[number];

/** A customer's symbol set starts with these (003 客户特定要求管理程序 5.1.1.1). */
export const DEFAULT_SR_SYMBOLS: {
  code: string;
  name: string;
  meaning: string;
  shape: SrSymbolShape;
  charClass: SrCharClass;
}[] = [
  { code: 'S', name: '盾牌', meaning: '安全特性', shape: 'shield', charClass: 'CC' },
  { code: 'D', name: '钻石', meaning: '关键功能特性', shape: 'diamond', charClass: 'SC' },
  { code: 'STAR', name: '五角星', meaning: '关键工装特性', shape: 'star', charClass: 'SC' },
];

/** A requirement received after mass production reaches the project team within this many
 * working days (003 IATF 办法 4.1.2: 1 天之内). */
export const SR_PROJECT_DAYS = 1;
/** The list is checked against the customer's current versions at least this often (R-S5). */
export const SR_CHECK_MONTHS = 12;
/** Reminders of the yearly check start this many days before it is due. */
export const SR_CHECK_REMIND_DAYS = 30;

/** Columns of the paper 顾客特殊要求清单, in order (the .xlsx and CSV keep them). */
export const SR_LIST_COLUMNS: Label[] = [
  { zh: '序号', en: 'No.' },
  { zh: '要求编号', en: 'Requirement' },
  { zh: '来源文件及条款', en: 'Source document and clause' },
  { zh: '类别', en: 'Category' },
  { zh: '要求内容', en: 'Requirement text' },
  { zh: '适用产品', en: 'Applies to' },
  { zh: '责任部门', en: 'Owner department' },
  { zh: '落实措施', en: 'Actions' },
  { zh: '相关文件及版本', en: 'Documents and versions' },
  { zh: '状态', en: 'Status' },
  { zh: '评审日期', en: 'Reviewed on' },
  { zh: '确认人', en: 'Confirmed by' },
];

/** `CSR-<archive code>-001`: the requirement's number within its customer's list. */
export function srNumber(archiveCode: string, seq: number): string {
  return `CSR-${archiveCode}-${String(seq).padStart(3, '0')}`;
}
