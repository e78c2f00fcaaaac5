import type { Label } from './enums.js';

// Customer archive (客户档案) enumerations and pure rules shared by server and web.

/** 待备案 → 已备案; 停用 keeps the archive read-only; 已合并 points at the surviving archive. */
export const CUSTOMER_STATUSES = ['draft', 'filed', 'inactive', 'merged'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export const CUSTOMER_STATUS_LABELS: Record<CustomerStatus, Label> = {
  draft: { zh: '待备案', en: 'To be filed' },
  filed: { zh: '已备案', en: 'Filed' },
  inactive: { zh: '已停用', en: 'Inactive' },
  merged: { zh: '已合并', en: 'Merged' },
};

/** ABC grade from sales analysis (R-A1); set by hand until the analysis exists. */
export const CUSTOMER_GRADES = ['A', 'B', 'C'] as const;
export type CustomerGrade = (typeof CUSTOMER_GRADES)[number];

/** Credit class (R-A4): 甲 large and reliable, 乙 most customers, 丙 watch closely. */
export const CREDIT_CLASSES = ['jia', 'yi', 'bing'] as const;
export type CreditClass = (typeof CREDIT_CLASSES)[number];
export const CREDIT_CLASS_LABELS: Record<CreditClass, Label> = {
  jia: { zh: '甲', en: 'A (甲)' },
  yi: { zh: '乙', en: 'B (乙)' },
  bing: { zh: '丙', en: 'C (丙)' },
};

/** Correspondence, visits and receptions recorded in the archive (R-C7). */
export const INTERACTION_KINDS = [
  'call',
  'letter',
  'fax',
  'email',
  'visit',
  'reception',
  'meeting',
  'other',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export const INTERACTION_KIND_LABELS: Record<InteractionKind, Label> = {
  call: { zh: '电话', en: 'Call' },
  letter: { zh: '信函', en: 'Letter' },
  fax: { zh: '传真', en: 'Fax' },
  email: { zh: '电子邮件', en: 'E-mail' },
  visit: { zh: '拜访', en: 'Visit' },
  reception: { zh: '来访接待', en: 'Reception' },
  meeting: { zh: '会议', en: 'Meeting' },
  other: { zh: '其他', en: 'Other' },
};

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const CUSTOM_FIELD_TYPE_LABELS: Record<CustomFieldType, Label> = {
  text: { zh: '文本', en: 'Text' },
  number: { zh: '数字', en: 'Number' },
  date: { zh: '日期', en: 'Date' },
  select: { zh: '单选', en: 'Single choice' },
  multiselect: { zh: '多选', en: 'Multiple choice' },
};

/** Configurable lists (R-C4) and what each is called. */
export const LOOKUP_LISTS = ['category', 'kind', 'nature', 'source', 'contact_role'] as const;
export type LookupList = (typeof LOOKUP_LISTS)[number];
export const LOOKUP_LIST_LABELS: Record<LookupList, Label> = {
  category: { zh: '客户类别', en: 'Category' },
  kind: { zh: '客户种类', en: 'Kind' },
  nature: { zh: '企业性质', en: 'Nature of business' },
  source: { zh: '客户来源', en: 'Source' },
  contact_role: { zh: '联系人角色', en: 'Contact role' },
};

/** Master-record fields people read, for messages, history and reports. */
export const CUSTOMER_FIELD_LABELS: Record<string, Label> = {
  archiveCode: { zh: '档案编号', en: 'Archive code' },
  name: { zh: '客户名称', en: 'Name' },
  creditCode: { zh: '统一社会信用代码', en: 'Credit code' },
  category: { zh: '客户类别', en: 'Category' },
  kind: { zh: '客户种类', en: 'Kind' },
  nature: { zh: '企业性质', en: 'Nature of business' },
  legalRepresentative: { zh: '法定代表人', en: 'Legal representative' },
  registeredAddress: { zh: '注册地址', en: 'Registered address' },
  phone: { zh: '电话', en: 'Phone' },
  email: { zh: '邮箱', en: 'E-mail' },
  website: { zh: '网址', en: 'Website' },
  industry: { zh: '行业', en: 'Industry' },
  region: { zh: '地区', en: 'Region' },
  businessScope: { zh: '经营范围', en: 'Business scope' },
  registeredCapital: { zh: '注册资本（万元）', en: 'Registered capital (10k CNY)' },
  staffCount: { zh: '员工人数', en: 'Staff' },
  source: { zh: '客户来源', en: 'Source' },
  grade: { zh: '客户等级', en: 'Grade' },
  creditClass: { zh: '信用等级', en: 'Credit class' },
  departmentId: { zh: '所属部门', en: 'Department' },
  owners: { zh: '负责人', en: 'Responsible' },
  secrecy: { zh: '密级', en: 'Secrecy' },
  firstContactDate: { zh: '首次接触日期', en: 'First contact' },
  firstPurchaseDate: { zh: '首次购买日期', en: 'First purchase' },
  contacts: { zh: '联系人', en: 'Contacts' },
  status: { zh: '状态', en: 'Status' },
};

/** Fields that may be required before an archive is filed (R-C5); `contacts` means at least one. */
export const FILING_FIELDS = [
  'creditCode',
  'nature',
  'legalRepresentative',
  'registeredAddress',
  'phone',
  'email',
  'website',
  'industry',
  'region',
  'businessScope',
  'registeredCapital',
  'staffCount',
  'source',
  'contacts',
] as const;

/**
 * The key of a customer name for duplicate detection (R-C10): full/half width and case
 * folded, spaces (U+3000 and every other), zero-width characters and brackets dropped,
 * 有限责任公司 and 有限公司 treated alike. A change here must raise TOKENS_VERSION
 * (server/platform/search-tokens.ts) so that stored keys are computed again.
 */
export function normalizeCustomerName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Cf}()（）[\]【】{}<>《》「」'"“”‘’.,，。·・-]/gu, '')
    .replace(/有限责任公司$/, '有限公司')
    .replace(/股份有限公司$/, '有限公司');
}

// The customer told of a handover (R-C9) ------------------------------------------------------

/** The placeholders a handover notice template may use, and what each stands for. */
export const HANDOVER_PLACEHOLDERS = [
  '客户名称',
  '联系人',
  '新负责人',
  '新负责人电话',
  '新负责人邮箱',
  '原负责人',
  '公司名称',
] as const;
export type HandoverPlaceholder = (typeof HANDOVER_PLACEHOLDERS)[number];

export const DEFAULT_HANDOVER_TEMPLATE = [
  '{联系人}，您好：',
  '',
  '感谢贵司（{客户名称}）一直以来对{公司名称}的支持与信任。',
  '因工作调整，原负责贵司业务的{原负责人}不再负责贵司的相关事务，自即日起由{新负责人}接手，负责贵司的日常联络与服务。',
  '',
  '新负责人：{新负责人}',
  '联系电话：{新负责人电话}',
  '电子邮箱：{新负责人邮箱}',
  '',
  '如有任何需要，请直接与{新负责人}联系。给您带来不便，敬请谅解。',
  '',
  '{公司名称}',
].join('\n');

/** The placeholders in a template that are not known, each once, in order. */
export function unknownHandoverPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] as string);
  return [...new Set(found.filter((p) => !(HANDOVER_PLACEHOLDERS as readonly string[]).includes(p)))];
}

/** The template filled in; a value not known reads as '—' (a contact without a name: 尊敬的客户). */
export function renderHandoverNotice(
  template: string,
  values: Partial<Record<HandoverPlaceholder, string | null>>,
): string {
  return template.replace(/\{([^{}]*)\}/g, (all, key: string) => {
    if (!(HANDOVER_PLACEHOLDERS as readonly string[]).includes(key)) return all;
    const v = values[key as HandoverPlaceholder];
    if (v) return v;
    return key === '联系人' ? '尊敬的客户' : '—';
  });
}
