import { z } from 'zod';
import {
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
import { type DateLimit, dateField, nameText, optionalText, plainName, trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';
import { activeHoldSchema } from './retention.js';

// Documents and records API shapes (R-D1 … R-D8).

const code = z.string().trim().min(1).max(40);
/** A date a record may carry, or none; what has happened (issued, received) is not after tomorrow. */
const optionalDate = (field: keyof typeof LABELS, latest: DateLimit = 'century') =>
  dateField(LABELS[field] as Label, latest)
    .nullish()
    .transform((v) => v ?? null);
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
  /** 保密期限, e.g. 10年 (secret records, R-P1). */
  secrecyTerm: optionalText(50),
  /** Default: the category's retention. */
  retention: retentionCode,
  /** L<n> retention (contract review records): when the part's production and service ended. */
  lifeEndDate: optionalDate('lifeEndDate'),
  /** 受控档案 (R-P2); default: the category's. */
  controlled: z.boolean(),
  customerId: z.string().max(64).nullish(),
  /** Default: the category's owning department, else the registrant's. */
  departmentId: z.string().max(64),
  /** 客户提供资料: which internal documents it changes (PFMEA, control plan, BOM, SOP …). */
  changesInternal: optionalText(500),
  /** A customer document used for production or inspection: the customer's signatory (R-D5). */
  customerAuthorizedBy: optionalText(100),
  customerAuthorizedOn: optionalDate('customerAuthorizedOn', 'tomorrow'),
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

export const withdrawVersionBody = z.strictObject({ reason: trimmedText(500) });

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
  textStatus: z.enum(['pending', 'done', 'failed', 'unsupported']).nullable(),
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
  /** What the reader may do with this version, for the buttons; every request is checked. */
  can: z.object({
    /** Change label, dates and files: a draft, or the current version before any copy. */
    correct: z.boolean(),
    release: z.boolean(),
    withdraw: z.boolean(),
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
  secrecyTerm: z.string().nullable(),
  retention: z.string(),
  customer: customerRef,
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
  departmentId: z.string().max(64).optional(),
  secrecy: secrecySchema.optional(),
  retention: retentionCode.optional(),
  status: z.enum(DOCUMENT_STATUSES).optional(),
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

export const documentSettingsSchema = z.object({
  /** 全宗号, assigned by the archives bureau. */
  fondsCode: z.string(),
  /** DA/T 13 item-level pattern; `{seq:4}` is the 件号. */
  archiveNoPattern: z.string(),
  /** The retention periods the company uses (Y, D30, D10, …). */
  retentionPeriods: z.array(z.string()),
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
});
export type Copy = z.infer<typeof copySchema>;

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
