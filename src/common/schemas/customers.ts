import { z } from 'zod';
import {
  CREDIT_CLASSES,
  CUSTOM_FIELD_TYPES,
  CUSTOMER_FIELD_LABELS,
  CUSTOMER_GRADES,
  CUSTOMER_STATUSES,
  INTERACTION_KINDS,
  LOOKUP_LISTS,
} from '../customers.js';
import type { Label } from '../enums.js';
import { normalizeUscc, usccProblem } from '../uscc.js';
import { dateField, optionalText, plainName, trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';
import { activeHoldSchema } from './retention.js';

// Customer archive API shapes (R-C1 … R-C11).

/** 统一社会信用代码: normalized (full-width, spaces, case), then the GB 32100 check. */
export const creditCode = z
  .string()
  .max(40)
  .transform(normalizeUscc)
  .superRefine((code, ctx) => {
    if (code === '') return;
    const problem = usccProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', params: { key: `uscc_${problem}` } });
  })
  .transform((c) => (c === '' ? null : c));

const phoneText = z
  .string()
  .trim()
  .max(60)
  .refine((s) => /^[0-9+\-() 转#,，/、ext.]*$/i.test(s), { params: { key: 'phone' } })
  .transform((s) => (s === '' ? null : s));

const emailText = z
  .string()
  .trim()
  .max(200)
  .refine((s) => s === '' || z.email().safeParse(s).success, { params: { key: 'email' } })
  .transform((s) => (s === '' ? null : s));

/** Money in 万元 as a decimal string, so that no float rounding creeps in. */
const decimalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((s) => s === '' || /^\d{1,13}(\.\d{1,2})?$/.test(s), { params: { key: 'decimal' } })
  .transform((s) => (s === '' ? null : s));

const code = z.string().trim().max(40);

export const customFieldValue = z.union([
  z.string().max(2000),
  z.number(),
  z.array(z.string().max(200)).max(50),
  z.null(),
]);

const customerFields = {
  name: plainName(200),
  creditCode: creditCode.nullish(),
  category: code,
  kind: code,
  nature: code.nullish(),
  legalRepresentative: optionalText(50),
  registeredAddress: optionalText(300),
  phone: phoneText.nullish(),
  email: emailText.nullish(),
  website: optionalText(300),
  industry: optionalText(100),
  region: optionalText(100),
  businessScope: optionalText(2000),
  registeredCapital: decimalText.nullish(),
  staffCount: z.number().int().min(0).max(10_000_000).nullish(),
  source: code.nullish(),
  grade: z.enum(CUSTOMER_GRADES).nullish(),
  creditClass: z.enum(CREDIT_CLASSES).nullish(),
  departmentId: z.string().max(64),
  ownerIds: z.array(z.string().max(64)).min(1).max(20),
  secrecy: secrecySchema,
  firstContactDate: dateField(CUSTOMER_FIELD_LABELS.firstContactDate as Label, 'tomorrow'),
  /** Setting it the first time starts the buyers' visit plan (R-V1). */
  firstPurchaseDate: dateField(CUSTOMER_FIELD_LABELS.firstPurchaseDate as Label, 'tomorrow').nullish(),
  customFields: z.record(z.string().max(64), customFieldValue),
};

export const contactBody = z.strictObject({
  name: plainName(50),
  title: optionalText(50),
  role: code.nullish(),
  phone: phoneText.nullish(),
  mobile: phoneText.nullish(),
  email: emailText.nullish(),
  wechat: optionalText(50),
  isPrimary: z.boolean().default(false),
  notes: optionalText(1000),
});
export type ContactInput = z.output<typeof contactBody>;

export const createCustomerBody = z.strictObject({
  ...customerFields,
  nature: customerFields.nature,
  departmentId: customerFields.departmentId.optional(),
  ownerIds: customerFields.ownerIds.optional(),
  secrecy: customerFields.secrecy.default('normal'),
  firstContactDate: customerFields.firstContactDate.optional(),
  customFields: customerFields.customFields.default({}),
  contacts: z.array(contactBody).max(50).default([]),
  /** File (备案) at once when every field required for filing is present. */
  file: z.boolean().default(false),
  /** Create even though an archive with a near-identical name exists. */
  allowSimilarName: z.boolean().default(false),
});
export type CreateCustomerInput = z.output<typeof createCustomerBody>;

export const updateCustomerBody = z.strictObject({
  name: customerFields.name.optional(),
  creditCode: customerFields.creditCode,
  category: code.optional(),
  kind: code.optional(),
  nature: customerFields.nature,
  legalRepresentative: customerFields.legalRepresentative.optional(),
  registeredAddress: customerFields.registeredAddress.optional(),
  phone: customerFields.phone,
  email: customerFields.email,
  website: customerFields.website.optional(),
  industry: customerFields.industry.optional(),
  region: customerFields.region.optional(),
  businessScope: customerFields.businessScope.optional(),
  registeredCapital: customerFields.registeredCapital,
  staffCount: customerFields.staffCount,
  source: customerFields.source,
  grade: customerFields.grade,
  creditClass: customerFields.creditClass,
  departmentId: customerFields.departmentId.optional(),
  ownerIds: customerFields.ownerIds.optional(),
  secrecy: customerFields.secrecy.optional(),
  firstContactDate: customerFields.firstContactDate.optional(),
  firstPurchaseDate: customerFields.firstPurchaseDate,
  customFields: customerFields.customFields.optional(),
  /** When the change happened (变动日期); changes must be recorded within 5 working days (R-C5). */
  /** When the change happened (R-C5: recorded within 5 working days of it). */
  changeDate: dateField({ zh: '变动日期', en: 'Date of the change' }, 'tomorrow').optional(),
  /** Why (变更说明), kept with the history entries. */
  note: optionalText(500),
  allowSimilarName: z.boolean().default(false),
});
export type UpdateCustomerInput = z.output<typeof updateCustomerBody>;

const person = z.object({ id: z.string(), name: z.string(), login: z.string() });

export const customerSchema = z.object({
  id: z.string(),
  archiveCode: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  category: z.string(),
  kind: z.string(),
  nature: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  registeredAddress: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  industry: z.string().nullable(),
  region: z.string().nullable(),
  businessScope: z.string().nullable(),
  registeredCapital: z.string().nullable(),
  staffCount: z.number().nullable(),
  source: z.string().nullable(),
  grade: z.enum(CUSTOMER_GRADES).nullable(),
  creditClass: z.enum(CREDIT_CLASSES).nullable(),
  departmentId: z.string(),
  departmentName: z.string().nullable(),
  secrecy: secrecySchema,
  status: z.enum(CUSTOMER_STATUSES),
  firstContactDate: z.string(),
  firstPurchaseDate: z.string().nullable(),
  filingDueDate: z.string(),
  filedAt: z.string().nullable(),
  filingOverdue: z.boolean(),
  /** 备案审批: the draft waits for the sales director (submitted), or came back with a reason. */
  filing: z.object({
    submittedAt: z.string().nullable(),
    submittedBy: z.string().nullable(),
    returnedAt: z.string().nullable(),
    returnedBy: z.string().nullable(),
    returnReason: z.string().nullable(),
  }),
  customFields: z.record(z.string(), customFieldValue),
  owners: z.array(person),
  mergedInto: z.object({ id: z.string(), archiveCode: z.string() }).nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  /** What the reader may do with this archive, for showing buttons. */
  can: z.object({
    update: z.boolean(),
    deactivate: z.boolean(),
    merge: z.boolean(),
    grant: z.boolean(),
    hold: z.boolean(),
    /** 备案, or 提交备案 when filing needs approval. */
    file: z.boolean(),
    /** Approve or return a submitted filing. */
    decideFiling: z.boolean(),
  }),
  /** Holds (冻结) in force on the archive (R-X5): none of its records may be destroyed. */
  holds: z.array(activeHoldSchema),
  /** Key customers need at least two responsible employees (R-C8). */
  warnings: z.array(z.string()),
});
export type Customer = z.infer<typeof customerSchema>;

export const customerListItemSchema = z.object({
  id: z.string(),
  archiveCode: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  category: z.string(),
  kind: z.string(),
  grade: z.enum(CUSTOMER_GRADES).nullable(),
  creditClass: z.enum(CREDIT_CLASSES).nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  departmentName: z.string().nullable(),
  owners: z.array(z.string()),
  primaryContact: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
  secrecy: secrecySchema,
  status: z.enum(CUSTOMER_STATUSES),
  filingDueDate: z.string(),
  filingOverdue: z.boolean(),
  /** Submitted for filing approval, not decided yet. */
  filingPending: z.boolean(),
  updatedAt: z.string(),
});
export type CustomerListItem = z.infer<typeof customerListItemSchema>;

/** `relevance`: newest matching archives first; the default when searching, because it lets
 * the database stop after the first page however common the searched word is. `name`: by the
 * normalised name (full-width letters, case, brackets and 有限责任公司 folded), as the
 * duplicate check compares names. */
export const CUSTOMER_SORTS = ['archiveCode', 'name', 'updatedAt', 'filingDueDate', 'relevance'] as const;

export const customerFilter = {
  q: z.string().trim().max(100).optional(),
  category: code.optional(),
  kind: code.optional(),
  /** A grade, or `none`: archives without one (the dashboard's 未分级). */
  grade: z.enum([...CUSTOMER_GRADES, 'none']).optional(),
  creditClass: z.enum(CREDIT_CLASSES).optional(),
  region: z.string().trim().max(100).optional(),
  industry: z.string().trim().max(100).optional(),
  ownerId: z.string().max(64).optional(),
  departmentId: z.string().max(64).optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** 待审批备案: `pending` every submitted draft the reader sees; `mine` those the reader may
   * approve. */
  filing: z.enum(['pending', 'mine']).optional(),
};

export const listCustomersQuery = z.object({
  ...customerFilter,
  /** Default: relevance when searching (q), else archive code. */
  sort: z.enum(CUSTOMER_SORTS).optional(),
  /** Default: descending for relevance, else ascending. */
  order: z.enum(['asc', 'desc']).optional(),
  ...pageQuery,
});
export type CustomerListQuery = z.output<typeof listCustomersQuery>;
export const countCustomersQuery = z.object(customerFilter);
export type CustomerFilter = z.output<typeof countCustomersQuery>;

export const contactSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  role: z.string().nullable(),
  phone: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  isPrimary: z.boolean(),
  notes: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof contactSchema>;
// No defaults here: a change names only what changes (a missing isPrimary keeps the flag).
export const updateContactBody = contactBody
  .omit({ isPrimary: true })
  .partial()
  .extend({ isPrimary: z.boolean().optional(), active: z.boolean().optional() });

export const interactionBody = z.strictObject({
  kind: z.enum(INTERACTION_KINDS),
  occurredOn: dateField({ zh: '往来日期', en: 'Date' }, 'tomorrow'),
  participants: optionalText(500),
  summary: trimmedText(5000),
  nextStep: optionalText(1000),
  nextStepDue: dateField({ zh: '下一步期限', en: 'Next step due' }).nullish(),
});
export const interactionSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.enum(INTERACTION_KINDS),
  occurredOn: z.string(),
  participants: z.string().nullable(),
  summary: z.string(),
  nextStep: z.string().nullable(),
  nextStepDue: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Interaction = z.infer<typeof interactionSchema>;

export const historyEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  kind: z.string(),
  field: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  changeDate: z.string().nullable(),
  late: z.boolean(),
  note: z.string().nullable(),
  originArchiveCode: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const timelineItemSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('history'), at: z.string(), entry: historyEntrySchema }),
  z.object({ type: z.literal('interaction'), at: z.string(), interaction: interactionSchema }),
]);
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const handoverBody = z.strictObject({
  fromUserId: z.string().min(1).max(64),
  /** Successors: all customers go to `toUserId`, or each listed customer to its own successor. */
  toUserId: z.string().min(1).max(64).optional(),
  assignments: z
    .array(z.strictObject({ customerId: z.string().min(1).max(64), toUserId: z.string().min(1).max(64) }))
    .max(100_000)
    .optional(),
  reason: optionalText(500),
});

export const handoverPreviewQuery = z.object({
  fromUserId: z.string().max(64),
  /** Successors being chosen, comma-separated: which archives each could not open. */
  toUserIds: z
    .string()
    .max(2000)
    .optional()
    .transform((v) => (v ? [...new Set(v.split(',').filter(Boolean))].slice(0, 50) : [])),
});
export const HANDOVER_MODULES = [
  'visits',
  'cases',
  'sr_reviews',
  'sr_acknowledgements',
  'document_copies',
  'loans',
] as const;
export type HandoverModule = (typeof HANDOVER_MODULES)[number];
export const handoverPreviewSchema = z.object({
  /** The person's archives within the reader's clearance: what a handover by the reader moves. */
  customers: z.number(),
  /**
   * Everything else open that the person holds, module by module (within the reader's clearance):
   * `moves` when the handover gives it to the successor; loans are not moved (they are returned;
   * lending has no transfer of a loan) and keep the person from being deactivated.
   */
  openItems: z.array(
    z.object({
      module: z.enum(HANDOVER_MODULES),
      count: z.number(),
      moves: z.boolean(),
      /** The first few, for the page. */
      items: z.array(z.object({ id: z.string(), label: z.string() })),
    }),
  ),
  /**
   * What each archive's customer will be told: a mail to the primary contact, or a call task —
   * for the archives the reader may open (the others are counted in `customers` only).
   */
  notices: z.array(
    z.object({
      customerId: z.string(),
      archiveCode: z.string(),
      customerName: z.string(),
      contactName: z.string().nullable(),
      email: z.string().nullable(),
      channel: z.enum(['mail', 'call']),
    }),
  ),
  /** With `toUserIds`: for each active successor, those archives above their clearance. */
  successors: z
    .array(
      z.object({
        userId: z.string(),
        uncleared: z.array(
          z.object({ customerId: z.string(), archiveCode: z.string(), secrecy: secrecySchema }),
        ),
      }),
    )
    .optional(),
});
export type HandoverPreview = z.infer<typeof handoverPreviewSchema>;

export const handoverSchema = z.object({
  id: z.string(),
  fromUser: person,
  byUser: z.string().nullable(),
  at: z.string(),
  reason: z.string().nullable(),
  customerCount: z.number(),
  successors: z.array(z.object({ user: person, customers: z.number() })),
  /** The customers told (R-C9): mails queued or sent, call tasks made. */
  notices: z.object({ mail: z.number(), sent: z.number(), call: z.number() }),
});
export type Handover = z.infer<typeof handoverSchema>;

export const grantBody = z
  .strictObject({
    userId: z.string().max(64).nullish(),
    departmentId: z.string().max(64).nullish(),
    expiresOn: dateField({ zh: '授权有效期', en: 'Access until' }).nullish(),
    reason: optionalText(500),
  })
  .refine((g) => !!g.userId !== !!g.departmentId, { params: { key: 'grant_target' }, path: ['userId'] });

export const grantSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  user: person.nullable(),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  reason: z.string().nullable(),
  grantedBy: z.string().nullable(),
  grantedAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Grant = z.infer<typeof grantSchema>;

export const mergeBody = z.strictObject({ sourceId: z.string().max(64), note: optionalText(500) });

// Configuration ----------------------------------------------------------------------------

export const lookupSchema = z.object({
  list: z.enum(LOOKUP_LISTS),
  code: z.string(),
  label: z.string(),
  labelEn: z.string().nullable(),
  prefix: z.string().nullable(),
  sortOrder: z.number(),
  active: z.boolean(),
});
export type Lookup = z.infer<typeof lookupSchema>;

export const putLookupBody = z.strictObject({
  label: plainName(50),
  labelEn: optionalText(100),
  prefix: z
    .string()
    .trim()
    .toUpperCase()
    .refine((s) => /^[A-Z]{1,6}$/.test(s), { params: { key: 'prefix' } })
    .nullish(),
  sortOrder: z.number().int().min(0).max(10000).default(0),
  active: z.boolean().default(true),
});
export const lookupParams = z.object({
  list: z.enum(LOOKUP_LISTS),
  code: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .refine((s) => /^[a-z0-9_]+$/.test(s), { params: { key: 'lookup_code' } }),
});

export const customFieldSchema = z.object({
  id: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()),
  required: z.boolean(),
  kinds: z.array(z.string()).nullable(),
  sortOrder: z.number(),
  active: z.boolean(),
});
export type CustomField = z.infer<typeof customFieldSchema>;

export const customFieldBody = z.strictObject({
  key: z
    .string()
    .trim()
    .refine((s) => /^[a-z][a-z0-9_]{0,39}$/.test(s), { params: { key: 'field_key' } }),
  label: plainName(50),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(plainName(100)).max(200).default([]),
  required: z.boolean().default(false),
  kinds: z.array(code).max(50).nullish(),
  sortOrder: z.number().int().min(0).max(10000).default(0),
  active: z.boolean().default(true),
});
export const updateCustomFieldBody = customFieldBody.omit({ key: true, type: true }).partial();

export const customerSettingsSchema = z.object({
  /** Archive code pattern (R-C2), e.g. `{type}{yyyy}{seq:4}` → GY20260005. */
  archiveCodePattern: z.string(),
  /** Working days after first contact by which a customer must be filed (R-C5). */
  filingDays: z.number().int(),
  /** Working days after a change by which it must be recorded (R-C5). */
  changeDays: z.number().int(),
  /** Months without an update after which an archive counts as stale (R-C11). */
  staleMonths: z.number().int(),
  /** Master-record fields that must be filled before an archive can be filed. */
  filingRequiredFields: z.array(z.string()),
  /** 备案审批 (seed 001 篇五): filing a new archive submits it for the sales director's approval. */
  filingApproval: z.boolean(),
  /** 交接告知 (R-C9): the text sent to a handed-over customer's primary contact, with placeholders. */
  handoverNoticeTemplate: z.string(),
});
export type CustomerSettings = z.infer<typeof customerSettingsSchema>;
export const putCustomerSettingsBody = z.strictObject({
  archiveCodePattern: z
    .string()
    .trim()
    .max(60)
    .refine((p) => (p.match(/\{seq(:\d+)?\}/g) ?? []).length === 1 && p.includes('{type}'), {
      params: { key: 'pattern' },
    })
    .optional(),
  filingDays: z.number().int().min(1).max(60).optional(),
  changeDays: z.number().int().min(1).max(60).optional(),
  staleMonths: z.number().int().min(1).max(120).optional(),
  filingRequiredFields: z.array(z.string().max(40)).max(30).optional(),
  filingApproval: z.boolean().optional(),
  handoverNoticeTemplate: z.string().trim().min(1).max(4000).optional(),
});

export const customerConfigSchema = z.object({
  lookups: z.array(lookupSchema),
  customFields: z.array(customFieldSchema),
  settings: customerSettingsSchema,
});
export type CustomerConfig = z.infer<typeof customerConfigSchema>;

// Reports --------------------------------------------------------------------------------------

const section = <T extends z.ZodType>(item: T) => z.object({ count: z.number(), items: z.array(item) });

export const checkReportSchema = z.object({
  generatedAt: z.string(),
  staleMonths: z.number(),
  staleBefore: z.string(),
  overdueFilings: section(customerListItemSchema),
  missingFields: section(customerListItemSchema.extend({ missing: z.array(z.string()) })),
  stale: section(customerListItemSchema),
  lateChanges: section(
    z.object({
      customerId: z.string(),
      archiveCode: z.string(),
      name: z.string(),
      field: z.string().nullable(),
      changeDate: z.string().nullable(),
      recordedAt: z.string(),
      actorName: z.string().nullable(),
    }),
  ),
});
export type CheckReport = z.infer<typeof checkReportSchema>;

export const duplicateGroupSchema = z.object({ key: z.string(), customers: z.array(customerListItemSchema) });
export const statusNoteBody = z.strictObject({ note: optionalText(500) });
/** 退回备案: the reason is required and shown to the owner. */
export const returnFilingBody = z.strictObject({ reason: trimmedText(500) });
export const filingTodoSchema = z.object({ pending: z.number() });
