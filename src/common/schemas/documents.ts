import { z } from 'zod';
import {
  APPROVAL_STATES,
  APPROVAL_STEPS,
  CARRIERS,
  COPY_MARKS,
  DOCUMENT_EVENT_KINDS,
  DOCUMENT_SOURCES,
  DOCUMENT_STATUSES,
  DOCUMENT_FIELD_LABELS as LABELS,
  RECALL_STATUSES,
  REGISTERS,
  RETENTION_CODE,
  VERSION_STATUSES,
} from '../documents.js';
import type { Label } from '../enums.js';
import { parseSecrecyTerm, SECRECY_TERM_KINDS } from '../secrecy-term.js';
import {
  type DateLimit,
  dateField,
  fileNameParam,
  nameText,
  optionalText,
  plainName,
  trimmedText,
} from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';
import { activeHoldSchema } from './retention.js';

// Documents and records API shapes (R-D1 … R-D8).

const code = z.string().trim().min(1).max(40);
/** A date a record may carry, or none; what has happened (issued, received) is not after tomorrow. */
const optionalDate = (field: keyof typeof LABELS, latest: DateLimit = 'century') =>
  dateField(LABELS[field] as Label, latest)
    .nullish()
    .transform((v) => v ?? null);
/** 保密期限 (R-P1): n years (from a start date; default: the issue date, else the received date,
 * else today), an end date, or 长期 — or as people write it (10年, 长期, 2030-12-31). */
const secrecyTermObject = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('years'),
    years: z.number().int().min(1).max(99),
    from: dateField(LABELS.secrecyTerm as Label).nullish(),
  }),
  z.strictObject({ kind: z.literal('until'), until: dateField(LABELS.secrecyTerm as Label) }),
  z.strictObject({ kind: z.literal('long') }),
]);
export type SecrecyTermInput =
  | { kind: 'years'; years: number; from: string | null }
  | { kind: 'until'; until: string }
  | { kind: 'long' };
const secrecyTermField = z
  .union([z.string().max(50), secrecyTermObject])
  .nullish()
  .transform((v, ctx): SecrecyTermInput | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') return v.kind === 'years' ? { ...v, from: v.from ?? null } : v;
    if (v.trim() === '') return null;
    const parsed = parseSecrecyTerm(v);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', params: { key: 'secrecy_term' }, input: v });
      return z.NEVER;
    }
    return parsed.kind === 'years' ? { ...parsed, from: null } : parsed;
  });

/** Y or D with years; whether the company uses it is checked against the settings. */
const retentionCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((s) => RETENTION_CODE.test(s), { params: { key: 'retention' } });

const documentFields = {
  title: nameText(500),
  docNumber: optionalText(100),
  responsibleParty: optionalText(200),
  source: z.enum(DOCUMENT_SOURCES),
  category: code,
  carrier: z.enum(CARRIERS),
  pages: z.number().int().min(0).max(1_000_000).nullish(),
  location: optionalText(200),
  secrecy: secrecySchema,
  /** 保密期限 (secret records, R-P1). */
  secrecyTerm: secrecyTermField,
  /** Default: the category's retention. */
  retention: retentionCode,
  /** L<n> retention (contract review records): when the part's production and service ended. */
  lifeEndDate: optionalDate('lifeEndDate'),
  /** 受控档案 (R-P2); default: the category's. */
  controlled: z.boolean(),
  customerId: z.string().max(64).nullish(),
  /** 项目档案: a project of the same customer archive, or none. */
  projectId: z.string().max(64).nullish(),
  /** Default: the category's owning department, else the registrant's. */
  departmentId: z.string().max(64),
  /** 客户提供资料: which internal documents it changes (PFMEA, control plan, BOM, SOP …). */
  changesInternal: optionalText(500),
  /** A customer document used for production or inspection: the customer's signatory (R-D5). */
  customerAuthorizedBy: optionalText(100),
  customerAuthorizedOn: optionalDate('customerAuthorizedOn', 'tomorrow'),
  /** 用于生产/检验: a customer document used directly for production or inspection; a 受控 copy
   * of it is issued only with the customer's signed authorisation attached (R-D5). */
  productionUse: z.boolean(),
  remarks: optionalText(2000),
};

const versionFields = {
  /** As printed on the document (A/0, V2.1, 2024版); empty for an unnumbered first issue. */
  versionLabel: optionalText(50),
  issueDate: optionalDate('issueDate', 'tomorrow'),
  receivedDate: optionalDate('receivedDate', 'tomorrow'),
};

export const registerDocumentBody = z.strictObject({
  ...documentFields,
  source: documentFields.source.default('internal'),
  carrier: documentFields.carrier.default('electronic'),
  secrecy: documentFields.secrecy.default('normal'),
  retention: documentFields.retention.optional(),
  controlled: documentFields.controlled.optional(),
  departmentId: documentFields.departmentId.optional(),
  productionUse: documentFields.productionUse.default(false),
  ...versionFields,
});
export type RegisterDocumentInput = z.output<typeof registerDocumentBody>;

export const updateDocumentBody = z
  .strictObject({ ...documentFields, ...versionFields })
  .partial()
  .extend({ note: optionalText(500) });
export type UpdateDocumentInput = z.output<typeof updateDocumentBody>;

/** A new version is drawn up as a draft: its label, or `unnumbered` said explicitly (R-D4). */
export const newVersionBody = z.strictObject({
  ...versionFields,
  unnumbered: z.boolean().default(false),
  note: optionalText(500),
});
export type NewVersionInput = z.output<typeof newVersionBody>;

/** Corrects a draft, or a current version nobody holds a copy of yet. */
export const updateVersionBody = z.strictObject({
  versionLabel: versionFields.versionLabel.optional(),
  unnumbered: z.boolean().optional(),
  issueDate: versionFields.issueDate.optional(),
  receivedDate: versionFields.receivedDate.optional(),
  note: optionalText(500).optional(),
});
export type UpdateVersionInput = z.output<typeof updateVersionBody>;

/** Makes a draft current. `recallCopyIds` are the copies of the current version the person
 * confirmed will be recalled; they must be exactly the copies in use. */
export const releaseVersionBody = z.strictObject({
  recallCopyIds: z.array(z.string().max(64)).max(1000),
});

/** The customer's signed authorisation (R-D5): who signed it and when; the file is the body. */
export const authorizationQuery = z.strictObject({
  name: fileNameParam,
  signedBy: nameText(100),
  signedOn: dateField(LABELS.customerAuthorizedOn as Label, 'tomorrow'),
});
export type AuthorizationInput = Omit<z.output<typeof authorizationQuery>, 'name'>;

export const withdrawVersionBody = z.strictObject({ reason: trimmedText(500) });

/** 会签 for one department: the one the signer heads when they head only one pending. */
export const countersignBody = z.strictObject({ departmentId: z.string().max(64).nullish() });
/** 批准 with the day the version comes into force (生效日期): today or later. */
export const approveVersionBody = z.strictObject({
  effectiveDate: dateField({ zh: '生效日期', en: 'Effective date' }),
});
/** 退回: back to the author, with the reason. */
export const returnVersionBody = z.strictObject({ reason: trimmedText(500) });

export const obsoleteDocumentBody = z.strictObject({ reason: trimmedText(500) });

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const documentFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  /** Detected from the content, not from the name. */
  mime: z.string(),
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: person,
  /** Text extraction for search: pending, done, failed, unsupported (null: not asked). */
  textStatus: z.enum(['pending', 'done', 'failed', 'unsupported', 'withheld']).nullable(),
});
export type DocumentFile = z.infer<typeof documentFileSchema>;

/** A file as a version lists it, with what the reader may do with it (for the buttons). */
export const versionFileSchema = documentFileSchema.extend({
  can: z.object({
    /** Shown in the browser (PDF and images; under a loan, as its stamped copy). */
    preview: z.boolean(),
    /** Downloaded: not under a loan for reading only (R-P4), and under a loan only what can
     * carry its stamp (R-P7). */
    download: z.boolean(),
    /** A stamped copy (PDF and images of a version in force or superseded): a copy too. */
    stamp: z.boolean(),
  }),
});
export type VersionFile = z.infer<typeof versionFileSchema>;

export const signatureSchema = z.object({
  id: z.string(),
  round: z.number(),
  step: z.enum(APPROVAL_STEPS),
  decision: z.enum(['signed', 'returned']),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  signerName: z.string(),
  signedAt: z.string(),
  reason: z.string().nullable(),
  effectiveDate: z.string().nullable(),
});
export type Signature = z.infer<typeof signatureSchema>;

/** An internal document's version under approval (编制 → 审核 → 会签 → 批准). */
export const versionApprovalSchema = z.object({
  state: z.enum(APPROVAL_STATES),
  round: z.number(),
  /** 生效日期, once approved. */
  effectiveDate: z.string().nullable(),
  /** Who signed each step of this round (null: not yet). */
  drafter: z.string().nullable(),
  reviewer: z.string().nullable(),
  approver: z.string().nullable(),
  /** The departments the category names for 会签, and who signed for each in this round. */
  countersign: z.array(
    z.object({
      departmentId: z.string(),
      departmentName: z.string(),
      signerName: z.string().nullable(),
      signedAt: z.string().nullable(),
    }),
  ),
  /** Every signature and return, of all rounds, oldest first. */
  signatures: z.array(signatureSchema),
});
export type VersionApproval = z.infer<typeof versionApprovalSchema>;

/** A version waiting for the reader's signature (their to-do). */
/** 我的待办 of document control (GET /documents/todo): what waits for the reader. */
export const documentTodoSchema = z.object({
  /** Versions waiting for the reader's 审核, 会签 or 批准. */
  approvals: z.number(),
  /** Copies waiting for the reader's signature: 签收, or 交回签字 of a copy being recalled. */
  copies: z.number(),
  /** 查新: standards and laws of the reader's departments due for a check (for their managers and
   * quality staff, whom the daily reminder tells), within the reader's clearance. */
  standardChecks: z.number(),
});
export type DocumentTodo = z.infer<typeof documentTodoSchema>;

export const pendingApprovalSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  versionId: z.string(),
  versionLabel: z.string(),
  state: z.enum(APPROVAL_STATES),
  step: z.enum(['review', 'countersign', 'approve']),
  drafter: z.string().nullable(),
});
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;

export const documentVersionSchema = z.object({
  id: z.string(),
  seq: z.number(),
  label: z.string().nullable(),
  issueDate: z.string().nullable(),
  receivedDate: z.string().nullable(),
  status: z.enum(VERSION_STATUSES),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: person,
  obsoletedAt: z.string().nullable(),
  obsoletedBy: person,
  files: z.array(versionFileSchema),
  /** Numbered copies of this version handed out (distributed versions are fixed). */
  copies: z.number(),
  /** Approval of an internal document's version; null when it needs none. */
  approval: versionApprovalSchema.nullable(),
  /** What the reader may do with this version, for the buttons; every request is checked. */
  can: z.object({
    /** Change label, dates and files: a draft, or the current version before any copy. */
    correct: z.boolean(),
    release: z.boolean(),
    withdraw: z.boolean(),
    /** 提交审核, 审核通过, 会签 (the departments the reader may sign for), 批准, 退回. */
    submit: z.boolean(),
    review: z.boolean(),
    countersign: z.array(z.string()),
    approve: z.boolean(),
    return: z.boolean(),
  }),
});
export type DocumentVersion = z.infer<typeof documentVersionSchema>;

const customerRef = z.object({ id: z.string(), archiveCode: z.string(), name: z.string() }).nullable();

export const documentSchema = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  responsibleParty: z.string().nullable(),
  source: z.enum(DOCUMENT_SOURCES),
  category: z.string(),
  categoryName: z.string(),
  carrier: z.enum(CARRIERS),
  pages: z.number().nullable(),
  location: z.string().nullable(),
  /** Its own level, as registered (and changed). */
  secrecy: secrecySchema,
  /** The level it is handled at (R-P9): its own, or its customer archive's when higher. */
  effectiveSecrecy: secrecySchema,
  /** The term as the mark writes it (10年, 长期, 2030年12月31日), or an earlier release's free
   * text that could not be read, as written. */
  secrecyTerm: z.string().nullable(),
  secrecyTermDetail: z
    .object({
      kind: z.enum(SECRECY_TERM_KINDS),
      years: z.number().nullable(),
      from: z.string().nullable(),
      until: z.string().nullable(),
    })
    .nullable(),
  /** 机密★10年 at its effective level (R-P10); null for 普通. */
  secrecyMark: z.string().nullable(),
  /** Its term has ended: it is on the 解密/降密 review list until its level is decided. */
  secrecyTermEnded: z.boolean(),
  retention: z.string(),
  customer: customerRef,
  /** 项目档案: the project of its customer archive it belongs to. */
  project: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  departmentId: z.string(),
  departmentName: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  archiveNo: z.string().nullable(),
  filedAt: z.string().nullable(),
  versionLabel: z.string().nullable(),
  issueDate: z.string().nullable(),
  receivedDate: z.string().nullable(),
  changesInternal: z.string().nullable(),
  customerAuthorizedBy: z.string().nullable(),
  customerAuthorizedOn: z.string().nullable(),
  /** 用于生产/检验 (R-D5). */
  productionUse: z.boolean(),
  /** The customer's signed authorisation file, when attached. */
  customerAuthorization: z.object({ name: z.string(), sha256: z.string() }).nullable(),
  /** What a 受控 copy still lacks (R-D5): file, signatory, date; empty when nothing. */
  authorizationMissing: z.array(z.enum(['file', 'signatory', 'date'])),
  remarks: z.string().nullable(),
  obsoleteReason: z.string().nullable(),
  lifeEndDate: z.string().nullable(),
  controlled: z.boolean(),
  /** Due for appraisal (R-X1); null: never (永久) or not yet known. */
  retentionDue: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  destroyedAt: z.string().nullable(),
  /** The destruction register that destroyed it. */
  disposal: z.object({ id: z.string(), number: z.string() }).nullable(),
  /** Holds (冻结) in force on the document or its customer archive (R-X5). */
  holds: z.array(activeHoldSchema),
  /** Copies of superseded versions not yet recalled. */
  pendingRecalls: z.number(),
  versions: z.array(documentVersionSchema),
  /** The reader's own access request through which they see it (R-P7), when they would not
   * otherwise: its number, whether it allows copies, and its last day. */
  loan: z
    .object({ requestId: z.string(), number: z.string(), download: z.boolean(), until: z.string() })
    .nullable(),
  createdAt: z.string(),
  createdBy: person,
  updatedAt: z.string(),
  /** What the reader may do, for showing buttons; every request is still checked. */
  can: z.object({
    update: z.boolean(),
    obsolete: z.boolean(),
    file: z.boolean(),
    distribute: z.boolean(),
    hold: z.boolean(),
    /** Ask for a change of level (密级变更/解除, R-P10). */
    secrecyRequest: z.boolean(),
  }),
});
export type Document = z.infer<typeof documentSchema>;

export const documentListItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  category: z.string(),
  categoryName: z.string(),
  versionLabel: z.string().nullable(),
  versionCount: z.number(),
  issueDate: z.string().nullable(),
  receivedDate: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  secrecy: secrecySchema,
  /** The level it is handled at (R-P9): its own, or its customer archive's when higher. */
  effectiveSecrecy: secrecySchema,
  retention: z.string(),
  customer: customerRef,
  departmentName: z.string().nullable(),
  archiveNo: z.string().nullable(),
  responsibleParty: z.string().nullable(),
  pages: z.number().nullable(),
  changesInternal: z.string().nullable(),
  remarks: z.string().nullable(),
  fileCount: z.number(),
  retentionDue: z.string().nullable(),
  createdAt: z.string(),
  /** Who holds copies of the current version (分发范围), e.g. 品质部（受控 01）. */
  distribution: z.string(),
  /** When searching: where the first word of the query occurs in the files' text. */
  snippet: z.string().nullable(),
});
export type DocumentListItem = z.infer<typeof documentListItemSchema>;

const dateFilter = (zh: string, en: string) => dateField({ zh, en }).optional();
const documentFilter = {
  q: z.string().trim().max(200).optional(),
  category: z.string().max(40).optional(),
  customerId: z.string().max(64).optional(),
  /** 项目档案: the documents of one project. */
  projectId: z.string().max(64).optional(),
  departmentId: z.string().max(64).optional(),
  secrecy: secrecySchema.optional(),
  retention: retentionCode.optional(),
  status: z.enum(DOCUMENT_STATUSES).optional(),
  /** Held (not destroyed), the record year (年度) and the carrier: the archive statistics' filters. */
  held: z.enum(['true']).optional(),
  recordYear: z
    .string()
    .regex(/^\d{4}$/)
    .transform(Number)
    .optional(),
  carrier: z.enum(CARRIERS).optional(),
  issuedFrom: dateFilter('发文日期（起）', 'Issued from'),
  issuedTo: dateFilter('发文日期（止）', 'Issued until'),
  receivedFrom: dateFilter('接收日期（起）', 'Received from'),
  receivedTo: dateFilter('接收日期（止）', 'Received until'),
  /** Only what one register (R-D3) lists. */
  register: z.enum(REGISTERS).optional(),
};
export const listDocumentsQuery = z.object({
  ...documentFilter,
  /** Registration order (newest first by default) or 档号 order (ascending by default). */
  sort: z.enum(['registered', 'archiveNo']).default('registered'),
  order: z.enum(['asc', 'desc']).optional(),
  ...pageQuery,
});
export type DocumentListQuery = z.output<typeof listDocumentsQuery>;
export const countDocumentsQuery = z.object(documentFilter);
export type DocumentFilter = z.output<typeof countDocumentsQuery>;

export const documentEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  kind: z.enum(DOCUMENT_EVENT_KINDS),
  versionLabel: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type DocumentEvent = z.infer<typeof documentEventSchema>;

// Categories (R-D2) ---------------------------------------------------------------------------

export const documentCategorySchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  /** 外来文件: listed in the external documents register. */
  external: z.boolean(),
  /** 客户提供资料: listed in the customer documents register; a customer is required. */
  customerDocuments: z.boolean(),
  /** Readable by everyone in the company up to their clearance (laws, standards, books). */
  shared: z.boolean(),
  /** 受控档案 by default: reading them needs the general manager (R-P2). */
  controlled: z.boolean(),
  /** 门类代码 of the 档号 (WS 文书, KJ 科技, KH 客户). */
  archiveClass: z.string(),
  retention: z.string(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  /** Departments that receive a copy by default (分发范围). */
  distribution: z.array(z.string()),
  /** Internal documents of it are drawn up, reviewed and approved before they are in force. */
  approval: z.boolean(),
  /** Departments that countersign (会签) them. */
  countersign: z.array(z.string()),
  sortOrder: z.number(),
  active: z.boolean(),
});
export type DocumentCategory = z.infer<typeof documentCategorySchema>;

export const putCategoryBody = z.strictObject({
  name: plainName(100),
  nameEn: optionalText(100),
  external: z.boolean().default(false),
  customerDocuments: z.boolean().default(false),
  shared: z.boolean().default(false),
  controlled: z.boolean().default(false),
  archiveClass: z
    .string()
    .trim()
    .toUpperCase()
    .refine((s) => /^[A-Z]{1,4}$/.test(s), { params: { key: 'archive_class' } }),
  retention: retentionCode,
  departmentId: z.string().max(64).nullish(),
  distribution: z.array(z.string().max(64)).max(100).default([]),
  approval: z.boolean().default(false),
  countersign: z.array(z.string().max(64)).max(50).default([]),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
});
export type PutCategoryInput = z.output<typeof putCategoryBody>;
export const categoryParams = z.object({
  code: z
    .string()
    .trim()
    .refine((s) => /^[a-z][a-z0-9_]{0,39}$/.test(s), { params: { key: 'lookup_code' } }),
});

// 档号 (R-D7) ------------------------------------------------------------------------------------

/** The levels from which files are stored encrypted (普通 never is). */
export const ENCRYPTION_THRESHOLDS = ['secret', 'confidential', 'top_secret'] as const;

export const documentSettingsSchema = z.object({
  /** 全宗号, assigned by the archives bureau. */
  fondsCode: z.string(),
  /** DA/T 13 item-level pattern; `{seq:4}` is the 件号. */
  archiveNoPattern: z.string(),
  /** The retention periods the company uses (Y, D30, D10, …). */
  retentionPeriods: z.array(z.string()),
  /** Files of records at this secrecy level and above are stored encrypted (encryption at rest). */
  encryptionThreshold: z.enum(ENCRYPTION_THRESHOLDS),
});
export type DocumentSettings = z.infer<typeof documentSettingsSchema>;
export const putDocumentSettingsBody = z.strictObject({
  fondsCode: z
    .string()
    .trim()
    .refine((s) => /^[A-Za-z0-9]{1,12}$/.test(s), { params: { key: 'code' } })
    .optional(),
  archiveNoPattern: z
    .string()
    .trim()
    .max(80)
    .refine((p) => (p.match(/\{seq(:\d+)?\}/g) ?? []).length === 1 && p.includes('{yyyy}'), {
      params: { key: 'archive_no_pattern' },
    })
    .optional(),
  retentionPeriods: z.array(retentionCode).min(1).max(20).optional(),
  encryptionThreshold: z.enum(ENCRYPTION_THRESHOLDS).optional(),
});

export const archiveGapSchema = z.object({
  /** The sequence: the 档号 without its 件号, e.g. Z001-WS·2026-D30-XS- */
  sequence: z.string(),
  /** Highest 件号 handed out. */
  issued: z.number(),
  /** 件号 in use. */
  used: z.number(),
  /** 件号 handed out but on no record (漏号). */
  missing: z.array(z.number()),
});
export type ArchiveGap = z.infer<typeof archiveGapSchema>;
export const archiveCheckSchema = z.object({
  checkedAt: z.string(),
  sequences: z.array(archiveGapSchema),
});
export type ArchiveCheck = z.infer<typeof archiveCheckSchema>;

// Controlled distribution (R-D5) -----------------------------------------------------------------

export const copySchema = z.object({
  id: z.string(),
  documentId: z.string(),
  documentTitle: z.string(),
  versionId: z.string(),
  versionLabel: z.string(),
  versionStatus: z.enum(VERSION_STATUSES),
  copyNo: z.number(),
  mark: z.enum(COPY_MARKS),
  departmentId: z.string().nullable(),
  userId: z.string().nullable(),
  recipient: z.string(),
  distributedAt: z.string(),
  distributedBy: z.string().nullable(),
  note: z.string().nullable(),
  recallStatus: z.enum(RECALL_STATUSES),
  recalledAt: z.string().nullable(),
  recalledBy: z.string().nullable(),
  recallNote: z.string().nullable(),
  /** 签收 (谁接收谁签字): who signed for it and when; `receiptScan` when signed on paper. */
  receivedAt: z.string().nullable(),
  receivedBy: z.string().nullable(),
  receiptScan: z.string().nullable(),
  /** 交回签字: the holder signed the recalled copy back. */
  returnedAt: z.string().nullable(),
  returnedBy: z.string().nullable(),
  returnScan: z.string().nullable(),
  /** What the reader may do: sign for it (签收), sign it back (交回). */
  can: z.object({ acknowledge: z.boolean(), signReturn: z.boolean() }),
});
export type Copy = z.infer<typeof copySchema>;

/** A scanned signed paper receipt for a copy (签收单) or its return (交回): who signed, and when. */
export const receiptQuery = z.object({
  name: nameText(255),
  kind: z.enum(['receipt', 'return']),
  signedBy: z.string().trim().min(1).max(100),
  signedOn: dateField({ zh: '签字日期', en: 'Signed on' }, 'tomorrow'),
});
export type ReceiptQuery = z.output<typeof receiptQuery>;

export const copiesRegisterQuery = z.object({
  /** Only copies nobody signed for yet (待签收). */
  unacknowledged: z.enum(['true']).optional(),
});

export const distributeBody = z.strictObject({
  mark: z.enum(COPY_MARKS),
  /** One copy per recipient: a department, or a person (with their department). */
  recipients: z
    .array(
      z.strictObject({
        departmentId: z.string().max(64).nullish(),
        userId: z.string().max(64).nullish(),
      }),
    )
    .min(1)
    .max(100),
  note: optionalText(500),
});
export type DistributeInput = z.output<typeof distributeBody>;
export const recallBody = z.strictObject({ note: optionalText(500) });

export const obsoleteVersionSchema = z.object({
  label: z.string().nullable(),
  seq: z.number(),
  issueDate: z.string().nullable(),
  receivedDate: z.string().nullable(),
  obsoletedOn: z.string().nullable(),
});

/** A record on the 解密/降密 review list (R-P10): its term ended (`ended`) or ends within the
 * notice period in working days (`soon`). Nothing about it changes until a level change is
 * decided. */
export const secrecyReviewItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  archiveNo: z.string().nullable(),
  categoryName: z.string(),
  departmentName: z.string().nullable(),
  customer: customerRef,
  secrecy: secrecySchema,
  effectiveSecrecy: secrecySchema,
  secrecyTerm: z.string().nullable(),
  secrecyMark: z.string().nullable(),
  termFrom: z.string().nullable(),
  termUntil: z.string(),
  state: z.enum(['ended', 'soon']),
});
export type SecrecyReviewItem = z.infer<typeof secrecyReviewItemSchema>;

export const secrecyReviewsSchema = z.object({
  items: z.array(secrecyReviewItemSchema),
  /** The last day of the notice period (working days, company calendar). */
  soonUntil: z.string(),
  today: z.string(),
});
export type SecrecyReviews = z.infer<typeof secrecyReviewsSchema>;

/** 密级变更/解除 (R-P10): the level (and term) asked for, and why. `normal` declassifies. */
export const secrecyChangeBody = z.strictObject({
  toLevel: secrecySchema,
  toTerm: secrecyTermField,
  reason: trimmedText(500),
});
export type SecrecyChangeInput = z.output<typeof secrecyChangeBody>;

export const decideSecrecyChangeBody = z.strictObject({
  approve: z.boolean(),
  note: optionalText(500),
});

export const secrecyChangeSchema = z.object({
  id: z.string(),
  number: z.string(),
  documentId: z.string(),
  documentTitle: z.string(),
  fromLevel: secrecySchema,
  fromTerm: z.string().nullable(),
  fromMark: z.string().nullable(),
  toLevel: secrecySchema,
  toTerm: z.string().nullable(),
  toMark: z.string().nullable(),
  /** A term in years: the day it starts. */
  toTermFrom: z.string().nullable(),
  /** 解除: to 普通. */
  declassify: z.boolean(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** withdrawn: by its requester, before a decision (decidedBy/At say who and when). */
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  can: z.object({ decide: z.boolean(), withdraw: z.boolean() }),
});
export type SecrecyChange = z.infer<typeof secrecyChangeSchema>;
