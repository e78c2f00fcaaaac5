import type { Label } from './enums.js';

// Documents and records (文件与档案, R-D1 … R-D8): the codes stored in the database and the
// labels people read.

/** Where a document comes from (R-D1). */
export const DOCUMENT_SOURCES = ['internal', 'customer', 'supplier', 'government', 'standards_body'] as const;
export type DocumentSource = (typeof DOCUMENT_SOURCES)[number];
export const DOCUMENT_SOURCE_LABELS: Record<DocumentSource, Label> = {
  internal: { zh: '内部', en: 'Internal' },
  customer: { zh: '客户', en: 'Customer' },
  supplier: { zh: '供应商', en: 'Supplier' },
  government: { zh: '政府机关', en: 'Government' },
  standards_body: { zh: '标准化机构', en: 'Standards body' },
};

/** The carrier (载体): paper, electronic, or both. */
export const CARRIERS = ['paper', 'electronic', 'both'] as const;
export type Carrier = (typeof CARRIERS)[number];
export const CARRIER_LABELS: Record<Carrier, Label> = {
  paper: { zh: '纸质', en: 'Paper' },
  electronic: { zh: '电子', en: 'Electronic' },
  both: { zh: '纸质+电子', en: 'Paper and electronic' },
};

/** Retention periods (保管期限, DA/T 13): permanent, 30 years, 10 years. */
export const RETENTION_PERIODS = ['Y', 'D30', 'D10'] as const;
export type RetentionPeriod = (typeof RETENTION_PERIODS)[number];
export const RETENTION_LABELS: Record<RetentionPeriod, Label> = {
  Y: { zh: '永久', en: 'Permanent' },
  D30: { zh: '定期30年', en: '30 years' },
  D10: { zh: '定期10年', en: '10 years' },
};

/** A document is current until it is withdrawn; each version is current until superseded. */
export const DOCUMENT_STATUSES = ['current', 'obsolete'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, Label> = {
  current: { zh: '现行', en: 'Current' },
  obsolete: { zh: '作废', en: 'Obsolete' },
};

/** What happened to a document, for its history tab. */
export const DOCUMENT_EVENT_KINDS = ['register', 'update', 'version', 'upload', 'obsolete'] as const;
export type DocumentEventKind = (typeof DOCUMENT_EVENT_KINDS)[number];
export const DOCUMENT_EVENT_LABELS: Record<DocumentEventKind, Label> = {
  register: { zh: '登记', en: 'Registered' },
  update: { zh: '修改著录', en: 'Metadata changed' },
  version: { zh: '新版本', en: 'New version' },
  upload: { zh: '上传文件', en: 'File uploaded' },
  obsolete: { zh: '作废', en: 'Withdrawn' },
};

/** The metadata fields of a document, as the form and the history name them. */
export const DOCUMENT_FIELD_LABELS: Record<string, Label> = {
  title: { zh: '题名', en: 'Title' },
  docNumber: { zh: '文号/编号', en: 'Document number' },
  responsibleParty: { zh: '责任者', en: 'Responsible party' },
  source: { zh: '来源', en: 'Source' },
  category: { zh: '类别', en: 'Category' },
  carrier: { zh: '载体', en: 'Carrier' },
  pages: { zh: '页数', en: 'Pages' },
  location: { zh: '存放位置', en: 'Location' },
  secrecy: { zh: '密级', en: 'Secrecy' },
  secrecyTerm: { zh: '保密期限', en: 'Secrecy term' },
  retention: { zh: '保管期限', en: 'Retention' },
  customerId: { zh: '客户', en: 'Customer' },
  departmentId: { zh: '部门', en: 'Department' },
  versionLabel: { zh: '版本', en: 'Version' },
  issueDate: { zh: '发文日期', en: 'Issue date' },
  receivedDate: { zh: '接收日期', en: 'Received date' },
  changesInternal: { zh: '引起内部文件变更', en: 'Changes internal documents' },
  remarks: { zh: '备注', en: 'Remarks' },
};

/** Content types a browser may show inline (preview); everything else is downloaded. */
export const PREVIEW_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'];
