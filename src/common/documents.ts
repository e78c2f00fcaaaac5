import { type Label, type Lang, SECRECY_LABELS, type SecrecyLevel } from './enums.js';

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

/** Retention periods (保管期限, DA/T 13): Y 永久, or D with the years (D30, D10, a company's D5);
 * L with years is the part's active life plus that many years (contract review records, R-X1).
 * Which ones may be chosen is a setting; these are the defaults. */
export const DEFAULT_RETENTION_PERIODS = ['Y', 'D30', 'D10', 'L1'];
export const RETENTION_CODE = /^(Y|D[1-9]\d{0,2}|L[1-9]\d?)$/;

export function retentionLabel(code: string, lang: Lang): string {
  if (code === 'Y') return lang === 'en' ? 'Permanent' : '永久';
  const m = /^([DL])(\d+)$/.exec(code);
  if (!m) return code;
  if (m[1] === 'L') return lang === 'en' ? `Product life + ${m[2]} year(s)` : `产品寿命期+${m[2]}年`;
  return lang === 'en' ? `${m[2]} years` : `定期${m[2]}年`;
}

/** A document is current until it is withdrawn, and destroyed at the end of its retention
 * (R-X3/R-X4: its metadata stays); each version is current until superseded. */
/** An internal document under approval is `draft` (未生效) until its first version is in force. */
export const DOCUMENT_STATUSES = ['current', 'obsolete', 'destroyed', 'draft'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, Label> = {
  draft: { zh: '未生效', en: 'Not in force' },
  current: { zh: '现行', en: 'Current' },
  obsolete: { zh: '作废', en: 'Obsolete' },
  destroyed: { zh: '已销毁', en: 'Destroyed' },
};
/** A new version is a draft (with its label, dates and files) until it is made current; a
 * draft discarded, or a current version taken back before anyone got a copy, is withdrawn. */
export const VERSION_STATUSES = ['draft', 'current', 'obsolete', 'withdrawn'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export const VERSION_STATUS_LABELS: Record<VersionStatus, Label> = {
  draft: { zh: '草稿，未生效', en: 'Draft, not in force' },
  current: { zh: '现行', en: 'Current' },
  obsolete: { zh: '作废', en: 'Obsolete' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** What happened to a document, for its history tab. */
export const DOCUMENT_EVENT_KINDS = [
  'register',
  'update',
  'version',
  'version_draft',
  'version_edit',
  'version_withdraw',
  'upload',
  'file_remove',
  'obsolete',
  'file',
  'distribute',
  'recall',
  'hold',
  'hold_lift',
  'appraise',
  'destroy',
  'approval_submit',
  'approval_review',
  'approval_countersign',
  'approval_approve',
  'approval_return',
  'effective',
  'receipt',
  'return_sign',
  'authorize',
  'secrecy_request',
  'secrecy_change',
  'secrecy_reject',
  'secrecy_withdraw',
  'handover',
] as const;
export type DocumentEventKind = (typeof DOCUMENT_EVENT_KINDS)[number];
export const DOCUMENT_EVENT_LABELS: Record<DocumentEventKind, Label> = {
  register: { zh: '登记', en: 'Registered' },
  update: { zh: '修改著录', en: 'Metadata changed' },
  version: { zh: '新版本生效', en: 'New version in force' },
  version_draft: { zh: '起草新版本', en: 'New version drafted' },
  version_edit: { zh: '更正版本', en: 'Version corrected' },
  version_withdraw: { zh: '撤回版本', en: 'Version withdrawn' },
  upload: { zh: '上传文件', en: 'File uploaded' },
  file_remove: { zh: '移除文件', en: 'File taken out' },
  obsolete: { zh: '作废', en: 'Withdrawn' },
  file: { zh: '归档', en: 'Filed' },
  distribute: { zh: '分发', en: 'Distributed' },
  recall: { zh: '回收', en: 'Recalled' },
  hold: { zh: '冻结', en: 'Put on hold' },
  hold_lift: { zh: '解除冻结', en: 'Hold lifted' },
  appraise: { zh: '鉴定', en: 'Appraised' },
  destroy: { zh: '销毁', en: 'Destroyed' },
  approval_submit: { zh: '编制，提交审核', en: 'Drawn up, submitted for review' },
  approval_review: { zh: '审核通过', en: 'Reviewed' },
  approval_countersign: { zh: '会签', en: 'Countersigned' },
  approval_approve: { zh: '批准', en: 'Approved' },
  approval_return: { zh: '退回编制', en: 'Returned to the author' },
  effective: { zh: '生效', en: 'In force' },
  receipt: { zh: '签收', en: 'Copy signed for' },
  return_sign: { zh: '交回签字', en: 'Copy signed back' },
  authorize: { zh: '附客户授权', en: 'Customer authorisation attached' },
  secrecy_request: { zh: '申请密级变更', en: 'Secrecy change requested' },
  secrecy_change: { zh: '密级变更（已批准）', en: 'Secrecy changed (approved)' },
  secrecy_reject: { zh: '密级变更未批准', en: 'Secrecy change rejected' },
  secrecy_withdraw: { zh: '撤回密级变更申请', en: 'Secrecy change withdrawn' },
  handover: { zh: '交接', en: 'Handed over' },
};

/**
 * Approval of an internal document's version (编制 → 审核 → 会签 → 批准): where it stands. A
 * version not under approval (external and customer documents, records) has none.
 */
export const APPROVAL_STATES = ['drafting', 'reviewing', 'countersigning', 'approving', 'approved'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export const APPROVAL_STATE_LABELS: Record<ApprovalState, Label> = {
  drafting: { zh: '编制中', en: 'Being drawn up' },
  reviewing: { zh: '待审核', en: 'Awaiting review' },
  countersigning: { zh: '待会签', en: 'Awaiting countersignature' },
  approving: { zh: '待批准', en: 'Awaiting approval' },
  approved: { zh: '已批准，待生效', en: 'Approved, not yet in force' },
};
export const APPROVAL_STEPS = ['draft', 'review', 'countersign', 'approve'] as const;
export type ApprovalStep = (typeof APPROVAL_STEPS)[number];
export const APPROVAL_STEP_LABELS: Record<ApprovalStep, Label> = {
  draft: { zh: '编制', en: 'Drawn up by' },
  review: { zh: '审核', en: 'Reviewed by' },
  countersign: { zh: '会签', en: 'Countersigned by' },
  approve: { zh: '批准', en: 'Approved by' },
};

/** The mark on a distributed copy (R-D5); a copy of an obsolete version reads 作废. */
export const COPY_MARKS = ['controlled', 'reference', 'original', 'customer'] as const;
export type CopyMark = (typeof COPY_MARKS)[number];
export const COPY_MARK_LABELS: Record<CopyMark | 'obsolete', Label> = {
  controlled: { zh: '受控', en: 'Controlled' },
  reference: { zh: '只供参考', en: 'Reference only' },
  original: { zh: '正本', en: 'Original' },
  customer: { zh: '客户文件', en: 'Customer document' },
  obsolete: { zh: '作废', en: 'Obsolete' },
};

export const RECALL_STATUSES = ['none', 'pending', 'recalled'] as const;
export type RecallStatus = (typeof RECALL_STATUSES)[number];
export const RECALL_STATUS_LABELS: Record<RecallStatus, Label> = {
  none: { zh: '在用', en: 'In use' },
  pending: { zh: '待回收', en: 'To recall' },
  recalled: { zh: '已回收', en: 'Recalled' },
};

/** Copy numbers (份号) as printed: two digits at least. */
export const copyNumber = (n: number) => String(n).padStart(2, '0');

/** A copy as lists and the history name it: 品质部（受控 01）. */
export const copyLabel = (recipient: string, mark: string, copyNo: number) =>
  `${recipient}（${COPY_MARK_LABELS[mark as CopyMark]?.zh ?? mark} ${copyNumber(copyNo)}）`;

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
  lifeEndDate: { zh: '产品停产及服务终止日期', en: 'End of production and service' },
  controlled: { zh: '受控档案', en: 'Controlled record' },
  customerId: { zh: '客户', en: 'Customer' },
  departmentId: { zh: '部门', en: 'Department' },
  versionLabel: { zh: '版本', en: 'Version' },
  issueDate: { zh: '发文日期', en: 'Issue date' },
  receivedDate: { zh: '接收日期', en: 'Received date' },
  changesInternal: { zh: '引起内部文件变更', en: 'Changes internal documents' },
  customerAuthorizedBy: { zh: '客户授权签字人', en: 'Customer authorisation signed by' },
  customerAuthorizedOn: { zh: '客户授权日期', en: 'Customer authorisation date' },
  productionUse: { zh: '用于生产/检验', en: 'Used for production or inspection' },
  remarks: { zh: '备注', en: 'Remarks' },
};

/** What a 受控 copy of a customer document used for production or inspection still lacks
 * (R-D5): the signed authorisation's file, its signatory and its date. */
export const AUTHORIZATION_PARTS = ['file', 'signatory', 'date'] as const;
export type AuthorizationPart = (typeof AUTHORIZATION_PARTS)[number];
export const AUTHORIZATION_PART_LABELS: Record<AuthorizationPart, Label> = {
  file: { zh: '客户签字授权文件', en: 'the signed authorisation file' },
  signatory: { zh: '授权签字人', en: 'the signatory' },
  date: { zh: '授权日期', en: 'the date' },
};

export function authorizationMissing(d: {
  productionUse: boolean;
  file: string | null;
  signatory: string | null;
  date: string | null;
}): AuthorizationPart[] {
  if (!d.productionUse) return [];
  return AUTHORIZATION_PARTS.filter(
    (p) => !(p === 'file' ? d.file : p === 'signatory' ? d.signatory : d.date),
  );
}

/** Content types a browser may show inline (preview); everything else is downloaded. */
export const PREVIEW_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** A register's 密级 cell: the record's own level, and the level it is handled at when its
 * customer archive's is higher (R-P9), e.g. 普通（按所属档案：机密）. */
export function secrecyText(own: SecrecyLevel, effective: SecrecyLevel, lang: Lang): string {
  const text = SECRECY_LABELS[own][lang];
  if (own === effective) return text;
  const level = SECRECY_LABELS[effective][lang];
  return lang === 'en' ? `${text} (as its archive: ${level})` : `${text}（按所属档案：${level}）`;
}

/** Content types a stamped copy (R-D5) can be made of, and the largest file it is made of. */
export const STAMP_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
export const MAX_STAMP_BYTES = 100 * 1024 * 1024;

/** Whether a file of this type and size can be stamped. */
export function stampable(mime: string, size: number): boolean {
  return STAMP_TYPES.includes(mime) && size <= MAX_STAMP_BYTES;
}

/** The registers of R-D3, kept by the system and exported to Excel. */
export const REGISTERS = ['external', 'customer', 'filed'] as const;
export type Register = (typeof REGISTERS)[number];
export const REGISTER_LABELS: Record<Register, Label> = {
  external: { zh: '外来文件清单', en: 'External documents register' },
  customer: { zh: '客户提供资料一览表', en: 'Customer-supplied documents register' },
  filed: { zh: '归档文件目录', en: 'Catalogue of filed records' },
};

export interface RegisterColumn {
  key: string;
  header: Label;
  width: number;
}

const col = (key: string, zh: string, en: string, width: number): RegisterColumn => ({
  key,
  header: { zh, en },
  width,
});

/** The columns of each register, in the order of the paper forms (R-D3). */
export const REGISTER_COLUMNS: Record<Register, RegisterColumn[]> = {
  external: [
    col('index', '序号', 'No.', 6),
    col('title', '文件名称', 'Title', 40),
    col('docNumber', '文件编号', 'Number', 20),
    col('issueOrVersion', '发布日期/版本', 'Issue date / version', 18),
    col('receivedDate', '接收日期', 'Received', 12),
    col('department', '归口部门', 'Owning department', 14),
    col('distribution', '分发范围', 'Distribution', 24),
    col('status', '状态', 'Status', 18),
  ],
  customer: [
    col('index', '序号', 'No.', 6),
    col('customer', '客户', 'Customer', 28),
    col('title', '文件名称', 'Title', 36),
    col('docNumber', '文件编号', 'Number', 20),
    col('issueOrVersion', '发布日期/版本', 'Issue date / version', 18),
    col('receivedDate', '接收日期', 'Received', 12),
    col('department', '归口部门', 'Owning department', 14),
    col('distribution', '分发范围', 'Distribution', 24),
    col(
      'changesInternal',
      '是否引起内部文件变更（PFMEA、控制计划、BOM、SOP）',
      'Changes internal documents',
      30,
    ),
    col('status', '状态', 'Status', 18),
  ],
  // DA/T 22 归档文件目录: 序号 first.
  filed: [
    col('index', '序号', 'No.', 6),
    col('archiveNo', '档号', 'Archive no.', 28),
    col('docNumber', '文号', 'Document number', 20),
    col('responsibleParty', '责任者', 'Responsible party', 20),
    col('title', '题名', 'Title', 40),
    col('date', '日期', 'Date', 10),
    col('secrecy', '密级', 'Secrecy', 8),
    col('pages', '页数', 'Pages', 6),
    col('remarks', '备注', 'Remarks', 24),
  ],
};

interface RegisterSource {
  title: string;
  docNumber: string | null;
  versionLabel: string | null;
  issueDate: string | null;
  receivedDate: string | null;
  departmentName: string | null;
  customer: { archiveCode: string; name: string } | null;
  changesInternal: string | null;
  archiveNo: string | null;
  responsibleParty: string | null;
  secrecyLabel: string;
  pages: number | null;
  remarks: string | null;
  /** Who received copies; empty until distribution is recorded. */
  distribution: string;
  /** 现行, or 作废 with the date. */
  statusText: string;
}

/** One register row as cells keyed by column; dates in the 归档文件目录 as YYYYMMDD (DA/T 22). */
export function registerCells(source: RegisterSource, index: number): Record<string, string | number> {
  const s = source;
  return {
    index,
    title: s.title,
    docNumber: s.docNumber ?? '',
    issueOrVersion: [s.issueDate, s.versionLabel].filter(Boolean).join(' / '),
    receivedDate: s.receivedDate ?? '',
    department: s.departmentName ?? '',
    distribution: s.distribution,
    customer: s.customer ? `${s.customer.name}（${s.customer.archiveCode}）` : '',
    changesInternal: s.changesInternal ?? '否',
    archiveNo: s.archiveNo ?? '',
    responsibleParty: s.responsibleParty ?? '',
    date: (s.issueDate ?? s.receivedDate ?? '').replaceAll('-', ''),
    secrecy: s.secrecyLabel,
    pages: s.pages ?? '',
    remarks: s.remarks ?? '',
    status: s.statusText,
  };
}

/** A superseded version, as a register lists it below its document (R-D4: the register shows both). */
export interface ObsoleteVersion {
  label: string | null;
  seq: number;
  issueDate: string | null;
  receivedDate: string | null;
  /** YYYY-MM-DD (Asia/Shanghai) */
  obsoletedOn: string | null;
}

/** The register source of an obsolete version: its document's fields with the version's. */
export function obsoleteVersionSource<T extends Omit<RegisterSource, 'statusText'>>(
  document: T,
  version: ObsoleteVersion,
): T & { statusText: string } {
  return {
    ...document,
    versionLabel: version.label ?? `#${version.seq}`,
    issueDate: version.issueDate,
    receivedDate: version.receivedDate,
    distribution: '',
    statusText: `作废 ${version.obsoletedOn ?? ''}`.trim(),
  };
}
