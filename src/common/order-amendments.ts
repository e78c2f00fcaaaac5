import type { Label } from './enums.js';

// Amendments of accepted orders (合同更改, R-K4; seed 003: 修订后的合同应再次评审，并通知相关部门).
// A changed field belongs to a category; setting `orders.amendmentDepartments` names the
// departments (by code) that review a change of each category.

export const AMENDMENT_CATEGORIES = ['quantity', 'date', 'specification', 'price', 'terms'] as const;
export type AmendmentCategory = (typeof AMENDMENT_CATEGORIES)[number];
export const AMENDMENT_CATEGORY_LABELS: Record<AmendmentCategory, Label> = {
  quantity: { zh: '数量', en: 'Quantity' },
  date: { zh: '交期', en: 'Delivery dates' },
  specification: { zh: '规格', en: 'Specification' },
  price: { zh: '价格', en: 'Price' },
  terms: { zh: '条款', en: 'Terms' },
};

/** The fields an amendment may change: those of a line, then those of the order (its terms). */
export const AMENDMENT_LINE_FIELDS = [
  'quantity',
  'requestedOn',
  'promisedOn',
  'specification',
  'unitPrice',
] as const;
export const AMENDMENT_TERM_FIELDS = [
  'paymentTerms',
  'deliveryMethod',
  'deliveryPlace',
  'packaging',
  'currency',
] as const;
export type AmendmentLineField = (typeof AMENDMENT_LINE_FIELDS)[number];
export type AmendmentTermField = (typeof AMENDMENT_TERM_FIELDS)[number];
export type AmendmentField = AmendmentLineField | AmendmentTermField;
export const AMENDMENT_FIELDS = [...AMENDMENT_LINE_FIELDS, ...AMENDMENT_TERM_FIELDS] as const;

export const AMENDMENT_FIELD_CATEGORY: Record<AmendmentField, AmendmentCategory> = {
  quantity: 'quantity',
  requestedOn: 'date',
  promisedOn: 'date',
  specification: 'specification',
  unitPrice: 'price',
  paymentTerms: 'terms',
  deliveryMethod: 'terms',
  deliveryPlace: 'terms',
  packaging: 'terms',
  currency: 'terms',
};

export const AMENDMENT_FIELD_LABELS: Record<AmendmentField, Label> = {
  quantity: { zh: '数量', en: 'Quantity' },
  requestedOn: { zh: '要求交期', en: 'Requested delivery' },
  promisedOn: { zh: '承诺交期', en: 'Promised delivery' },
  specification: { zh: '规格', en: 'Specification' },
  unitPrice: { zh: '单价', en: 'Unit price' },
  paymentTerms: { zh: '付款条件', en: 'Payment terms' },
  deliveryMethod: { zh: '交付方式', en: 'Delivery method' },
  deliveryPlace: { zh: '交付地点', en: 'Delivery place' },
  packaging: { zh: '包装要求', en: 'Packaging' },
  currency: { zh: '币种', en: 'Currency' },
};

/** in_review 评审中 (reviews open or the signature due) → accepted 已生效 (signed, applied, the
 * notice issued) / rejected 未通过 (the order unchanged). */
export const AMENDMENT_STATUSES = ['in_review', 'accepted', 'rejected'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];
export const AMENDMENT_STATUS_LABELS: Record<AmendmentStatus, Label> = {
  in_review: { zh: '评审中', en: 'In review' },
  accepted: { zh: '已生效', en: 'In force' },
  rejected: { zh: '未通过', en: 'Rejected' },
};

/** Default reviewers per category (department codes). */
export const DEFAULT_AMENDMENT_DEPARTMENTS: Record<AmendmentCategory, string[]> = {
  quantity: ['pmc', 'production'],
  date: ['pmc', 'production', 'purchasing'],
  specification: ['rd', 'quality', 'production'],
  price: ['finance'],
  terms: ['finance'],
};

/** 第 N 次变更. */
export const amendmentTitle = (seq: number) => `第${seq}次变更`;
