import type { Label } from './enums.js';

// Orders and contract review (订单与合同评审, R-K1 … R-K5). Seed 003 顾客要求与合同评审控制程序:
// 常规合同 (stock or repeat products within capacity) are signed by sales; when the lead time may
// exceed capacity PMC, purchasing and production review; 非常规合同 (new products, special
// requirements, annual contracts) are reviewed by every department concerned against the
// checklist a)–i), finance prices new products, R&D assesses feasibility, and annual contracts
// are signed by the general manager.

/** 订单 / 合同 / 招标 / 年度合同. An annual contract (整车厂配套的年度购销合同) is a kind of its own:
 * it is always 非常规 and always signed by the general manager (seed 003 A5). */
export const ORDER_KINDS = ['order', 'contract', 'tender', 'annual'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
export const ORDER_KIND_LABELS: Record<OrderKind, Label> = {
  order: { zh: '订单', en: 'Order' },
  contract: { zh: '合同', en: 'Contract' },
  tender: { zh: '招标', en: 'Tender' },
  annual: { zh: '年度合同', en: 'Annual contract' },
};

export const ORDER_CHANNELS = ['written', 'email', 'phone', 'fax', 'portal'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
export const ORDER_CHANNEL_LABELS: Record<OrderChannel, Label> = {
  written: { zh: '书面', en: 'Written' },
  email: { zh: '邮件', en: 'E-mail' },
  phone: { zh: '电话', en: 'Phone' },
  fax: { zh: '传真', en: 'Fax' },
  portal: { zh: '平台', en: 'Portal' },
};

export const ORDER_CLASSES = ['regular', 'non_regular'] as const;
export type OrderClass = (typeof ORDER_CLASSES)[number];
export const ORDER_CLASS_LABELS: Record<OrderClass, Label> = {
  regular: { zh: '常规', en: 'Regular' },
  non_regular: { zh: '非常规', en: 'Non-regular' },
};

/**
 * draft 草稿 → in_review 评审中 (submitted: reviews opened, or straight to the signer) →
 * accepted 已接受 / rejected 不接受 (signed); cancelled 已取消 from draft or in review.
 */
export const ORDER_STATUSES = ['draft', 'in_review', 'accepted', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_STATUS_LABELS: Record<OrderStatus, Label> = {
  draft: { zh: '草稿', en: 'Draft' },
  in_review: { zh: '评审中', en: 'In review' },
  accepted: { zh: '已接受', en: 'Accepted' },
  rejected: { zh: '不接受', en: 'Rejected' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

/** Why the system proposes a class (R-K1); `lead_time` alone keeps an order regular but sends
 * it to PMC, purchasing and production (R-K2). */
export const ORDER_CLASS_REASONS = ['new_part', 'special_requirements', 'annual', 'lead_time'] as const;
export type OrderClassReason = (typeof ORDER_CLASS_REASONS)[number];
export const ORDER_CLASS_REASON_LABELS: Record<OrderClassReason, Label> = {
  new_part: {
    zh: '新产品：该客户从未订过的料号',
    en: 'New product: a part number this customer never ordered',
  },
  special_requirements: {
    zh: '适用已落实的顾客特殊要求',
    en: 'Implemented customer special requirements apply',
  },
  annual: { zh: '年度合同', en: 'Annual contract' },
  lead_time: {
    zh: '交期风险：承诺交期早于接单日加标准交期（工作日）',
    en: 'Lead time at risk: promised earlier than received plus the standard lead time (working days)',
  },
};

/**
 * sales: regular within capacity, sales signs alone; capacity: regular but the lead time is at
 * risk, PMC, purchasing and production review; full: non-regular, every configured department
 * reviews the checklist (R-K2, R-K3).
 */
export const ORDER_ROUTES = ['sales', 'capacity', 'full'] as const;
export type OrderRoute = (typeof ORDER_ROUTES)[number];
export const ORDER_ROUTE_LABELS: Record<OrderRoute, Label> = {
  sales: { zh: '常规：业务员直接签署', en: 'Regular: sales signs' },
  capacity: {
    zh: '常规（交期风险）：PMC、采购、生产评审',
    en: 'Regular, lead time at risk: PMC, purchasing, production',
  },
  full: { zh: '非常规：各部门会签', en: 'Non-regular: every department reviews' },
};

/** Who signs: the salesperson (archive owner, the order's registrant, or their manager), the
 * sales department manager, or the general manager. */
export const ORDER_SIGNER_ROLES = ['sales', 'sales_manager', 'general_manager'] as const;
export type OrderSignerRole = (typeof ORDER_SIGNER_ROLES)[number];
export const ORDER_SIGNER_LABELS: Record<OrderSignerRole, Label> = {
  sales: { zh: '业务员', en: 'Salesperson' },
  sales_manager: { zh: '销售部经理', en: 'Sales manager' },
  general_manager: { zh: '总经理', en: 'General manager' },
};

export const ORDER_REVIEW_DECISIONS = ['accept', 'conditional', 'reject'] as const;
export type OrderReviewDecision = (typeof ORDER_REVIEW_DECISIONS)[number];
export const ORDER_REVIEW_DECISION_LABELS: Record<OrderReviewDecision, Label> = {
  accept: { zh: '可接受', en: 'Acceptable' },
  conditional: { zh: '有条件接受', en: 'Acceptable on condition' },
  reject: { zh: '不接受', en: 'Not acceptable' },
};

export const ORDER_APPROVAL_DECISIONS = ['accept', 'reject'] as const;
export type OrderApprovalDecision = (typeof ORDER_APPROVAL_DECISIONS)[number];

/** A checklist answer: 满足 / 有问题 / 不适用. */
export const CHECKLIST_ANSWERS = ['ok', 'issue', 'na'] as const;
export type ChecklistAnswer = (typeof CHECKLIST_ANSWERS)[number];
export const CHECKLIST_ANSWER_LABELS: Record<ChecklistAnswer, Label> = {
  ok: { zh: '明确并满足', en: 'Clear and met' },
  issue: { zh: '有问题', en: 'Issue' },
  na: { zh: '不适用', en: 'Not applicable' },
};

/** The review checklist of seed 003 (评审内容 a–i), the default of setting `orders.checklist`. */
export const DEFAULT_ORDER_CHECKLIST: { code: string; label: string }[] = [
  { code: 'capacity', label: '采购/生产能力的要求是否明确并满足（产能）' },
  { code: 'price', label: '价格是否明确并可接受' },
  { code: 'product', label: '结构、外观、功能、材质要求是否明确并满足' },
  { code: 'delivery', label: '交付方式、地点是否明确' },
  { code: 'packaging', label: '包装要求是否明确并能满足' },
  { code: 'transport', label: '运输方式及费用是否明确' },
  { code: 'feasibility', label: '制造可行性及风险分析（新产品）' },
  { code: 'legal', label: '合同条款是否符合国家法律法规' },
  { code: 'other', label: '其它条款是否明确' },
];

export const ORDER_NUMBER_PATTERN = 'HT{yyyy}{mm}-{seq:4}';

/** Files attached to an order: the customer's PO scan, the written confirmation of a phone
 * order, R&D's 可行性分析报告 on its review (seed 003 B g), anything else. */
export const ORDER_FILE_KINDS = ['po', 'confirmation', 'feasibility', 'other'] as const;
export type OrderFileKind = (typeof ORDER_FILE_KINDS)[number];
export const ORDER_FILE_KIND_LABELS: Record<OrderFileKind, Label> = {
  po: { zh: '客户订单扫描件', en: 'Customer PO scan' },
  confirmation: { zh: '客户书面确认', en: 'Written confirmation' },
  feasibility: { zh: '可行性分析报告', en: 'Feasibility report' },
  other: { zh: '其他', en: 'Other' },
};
