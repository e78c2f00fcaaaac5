import { z } from 'zod';
import {
  SR_ACK_KINDS,
  SR_CHAR_CLASSES,
  SR_DOCUMENT_ROLES,
  SR_REVIEW_DECISIONS,
  SR_STATUSES,
  SR_SYMBOL_SHAPES,
} from '../special-requirements.js';
import { dateField, nameText, optionalText, trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';

// Customer special requirements API shapes (顾客特殊要求, R-S1 … R-S5, R-D9). Routes:
//   GET   /api/special-requirements                      the cross-customer list (keyset, filters)
//   GET   /api/special-requirements/export.xlsx|.csv     顾客特殊要求清单 (same filters)
//   GET   /api/special-requirements/todo                 counts for 我的待办
//   POST  /api/special-requirements                      register one (sales)
//   GET   /api/special-requirements/:id                  one, with reviews, actions, links, history
//   PATCH /api/special-requirements/:id                  change fields (history kept)
//   POST  /api/special-requirements/:id/reviews          ask departments to review (→ 评审中)
//   PUT   /api/special-requirements/:id/reviews/:deptId  a department's review
//   POST  /api/special-requirements/:id/links            link an internal document version
//   DELETE /api/special-requirements/:id/links/:linkId
//   POST  /api/special-requirements/:id/implemented      confirm 已落实 (refused while open work)
//   POST  /api/special-requirements/:id/not-applicable   不适用 with a reason
//   POST  /api/special-requirements/:id/obsolete         已废止 with a reason
//   POST  /api/special-requirements/:id/rechecked        clear 需复核 with a note
//   POST  /api/special-requirements/:id/informed         the project team has it (1-day clock)
//   (actions of a requirement: the actions module, /api/special-requirements/:id/actions)
//   GET   /api/customers/:id/special-requirements        the customer's list + list state
//   POST  /api/customers/:id/special-requirements/revisions   a list revision: PDF filed
//   POST  /api/special-requirements/distributions        distribute a requirement or a revision
//   GET   /api/special-requirements/distributions/:id    recipients and who has not acknowledged
//   POST  /api/special-requirements/distributions/:id/acknowledge   the reader acknowledges
//   POST  /api/special-requirements/distributions/:id/remind        remind those who have not
//   GET   /api/special-requirements/distributions/:id/record.pdf    as a training record
//   GET   /api/special-requirements/acknowledgements/mine           the reader's open items
//   GET/POST /api/customers/:id/sr-symbols, PATCH/DELETE /api/sr-symbols/:id, PUT …/:id/image
//   GET   /api/sr-symbols/:id/image                      the symbol (uploaded, or drawn SVG)
//   DELETE /api/sr-symbols/:id/image                     back to the drawn shape
//   GET/POST /api/customers/:id/characteristics, GET/PATCH/DELETE /api/characteristics/:id
//   GET   /api/customers/:id/characteristics/parts       part numbers with characteristics
//   GET   /api/customers/:id/characteristics/export.xlsx|.pdf?partNumber=  with the symbols
//   GET   /api/customers/:id/sr-checks, POST …           the yearly check (R-S5)
//   GET   /api/customers/:id/applicable-requirements?partNumber=   for contract review

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const department = z.object({ id: z.string(), name: z.string() }).nullable();
const partNumber = z.string().trim().min(1).max(100);

// Requirements --------------------------------------------------------------------------------

export const createRequirementBody = z.strictObject({
  customerId: id,
  /** A registered document of the customer's archive (its current version unless told). */
  sourceDocumentId: id.nullish(),
  sourceVersionId: id.nullish(),
  sourceClause: optionalText(200),
  category: z.string().min(1).max(64),
  title: nameText(200),
  text: trimmedText(5000),
  receivedOn: dateField({ zh: '接收日期', en: 'Received on' }, 'tomorrow'),
  /** Default: the person registering it. */
  receiverId: id.nullish(),
  /** Empty: every product of the customer (全部). */
  partNumbers: z.array(partNumber).max(200).default([]),
  ownerDepartmentId: id.nullish(),
  afterMassProduction: z.boolean().default(false),
  secrecy: secrecySchema.optional(),
  /** 项目档案: a project of the customer's archive, or none. */
  projectId: id.nullish(),
});
export type CreateRequirementInput = z.output<typeof createRequirementBody>;

export const updateRequirementBody = z.strictObject({
  sourceDocumentId: id.nullable().optional(),
  sourceVersionId: id.nullable().optional(),
  sourceClause: optionalText(200).optional(),
  category: z.string().min(1).max(64).optional(),
  title: nameText(200).optional(),
  text: trimmedText(5000).optional(),
  receivedOn: dateField({ zh: '接收日期', en: 'Received on' }, 'tomorrow').optional(),
  partNumbers: z.array(partNumber).max(200).optional(),
  ownerDepartmentId: id.nullable().optional(),
  afterMassProduction: z.boolean().optional(),
  secrecy: secrecySchema.optional(),
  /** 项目档案: a project of the customer's archive, or none. */
  projectId: id.nullable().optional(),
  /** Why it changed, kept in the history. */
  note: optionalText(500),
});

export const requestReviewsBody = z.strictObject({
  departmentIds: z.array(id).min(1).max(20),
  /** The department that owns carrying it out (责任部门); absent: unchanged, else the first
   * department to answer 适用 becomes it. */
  ownerDepartmentId: id.nullish(),
  note: optionalText(1000),
});

export const reviewBody = z.strictObject({
  decision: z.enum(SR_REVIEW_DECISIONS),
  note: optionalText(2000),
  /** Who in the department carries it out (applicable only). */
  ownerId: id.nullish(),
});

export const linkDocumentBody = z.strictObject({
  documentId: id,
  /** The version that implements the requirement (default: the document's newest version). */
  versionId: id.nullish(),
  role: z.enum(SR_DOCUMENT_ROLES),
  note: optionalText(500),
});

export const reasonBody = z.strictObject({ reason: trimmedText(1000) });
export const noteBody = z.strictObject({ note: optionalText(1000) });

const source = z
  .object({
    documentId: z.string(),
    title: z.string(),
    docNumber: z.string().nullable(),
    versionId: z.string().nullable(),
    versionLabel: z.string().nullable(),
    clause: z.string().nullable(),
  })
  .nullable();

export const requirementSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  category: z.string(),
  title: z.string(),
  text: z.string(),
  source,
  partNumbers: z.array(z.string()),
  /** No part numbers: every product (全部). */
  appliesToAll: z.boolean(),
  status: z.enum(SR_STATUSES),
  ownerDepartment: department,
  receivedOn: z.string(),
  receiver: person,
  afterMassProduction: z.boolean(),
  /** The 1-working-day clock for a requirement received after mass production. */
  projectDueOn: z.string().nullable(),
  projectInformedAt: z.string().nullable(),
  projectOverdue: z.boolean(),
  needsRecheck: z.boolean(),
  recheckReason: z.string().nullable(),
  reviewedOn: z.string().nullable(),
  confirmedBy: person,
  confirmedAt: z.string().nullable(),
  /** Open actions and links whose implementing version is not current (block 已落实). */
  openActions: z.number(),
  pendingDocuments: z.number(),
  secrecy: secrecySchema,
  updatedAt: z.string(),
});
export type RequirementSummary = z.infer<typeof requirementSummarySchema>;

export const requirementSchema = requirementSummarySchema.extend({
  /** 项目档案: the project of its customer archive it belongs to. */
  projectId: z.string().nullable(),
  reviews: z.array(
    z.object({
      id: z.string(),
      department: z.object({ id: z.string(), name: z.string() }),
      requestedAt: z.string(),
      requestedBy: person,
      decision: z.enum(SR_REVIEW_DECISIONS).nullable(),
      note: z.string().nullable(),
      owner: person,
      reviewedAt: z.string().nullable(),
      reviewedBy: person,
      /** The reader may record this department's review. */
      canReview: z.boolean(),
    }),
  ),
  links: z.array(
    z.object({
      id: z.string(),
      department: department,
      document: z.object({ id: z.string(), title: z.string(), docNumber: z.string().nullable() }),
      version: z.object({ id: z.string(), label: z.string().nullable(), status: z.string() }),
      /** The implementing version is the document's current one (else 已落实 is refused). */
      current: z.boolean(),
      role: z.enum(SR_DOCUMENT_ROLES),
      note: z.string().nullable(),
      linkedAt: z.string(),
      linkedBy: person,
    }),
  ),
  history: z.array(
    z.object({
      at: z.string(),
      actor: person,
      field: z.string(),
      oldValue: z.string().nullable(),
      newValue: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  can: z.object({
    update: z.boolean(),
    requestReviews: z.boolean(),
    link: z.boolean(),
    confirm: z.boolean(),
    obsolete: z.boolean(),
    distribute: z.boolean(),
    raiseAction: z.boolean(),
  }),
});
export type Requirement = z.infer<typeof requirementSchema>;

export const listRequirementsQuery = z.object({
  customerId: id.optional(),
  category: z.string().max(64).optional(),
  status: z.enum(SR_STATUSES).optional(),
  /** Owner department, or a department asked to review. */
  departmentId: id.optional(),
  /** Overdue: the project clock ran out, or an action is past its due date. */
  overdue: z.enum(['true', 'false']).optional(),
  needsRecheck: z.enum(['true', 'false']).optional(),
  partNumber: z.string().max(100).optional(),
  q: z.string().max(100).optional(),
  ...pageQuery,
});
export type RequirementFilter = z.output<typeof listRequirementsQuery>;

export const srTodoSchema = z.object({
  /** Reviews waiting for one of the reader's departments (managers) or the reader. */
  toReview: z.number(),
  /** Requirements received after mass production not yet with the project team. */
  projectDue: z.number(),
  projectOverdue: z.number(),
  needsRecheck: z.number(),
  /** Distributions the reader has not acknowledged. */
  toAcknowledge: z.number(),
  /** Lists whose yearly check is due within 30 days or overdue (quality, sales owners). */
  checksDue: z.number(),
});
export type SrTodo = z.infer<typeof srTodoSchema>;

export const customerListSchema = z.object({
  customerId: z.string(),
  /** The archive, for a page outside it (quality and the managers may see the list only). */
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  revision: z.number(),
  revisedAt: z.string().nullable(),
  nextCheckOn: z.string().nullable(),
  lastCheckedOn: z.string().nullable(),
  checkOverdue: z.boolean(),
  /** The PDF of the current revision filed in the archive. */
  document: z.object({ id: z.string(), archiveNo: z.string().nullable() }).nullable(),
  items: z.array(requirementSummarySchema),
  can: z.object({ create: z.boolean(), revise: z.boolean(), check: z.boolean(), distribute: z.boolean() }),
});
export type CustomerSrList = z.infer<typeof customerListSchema>;

export const reviseListBody = z.strictObject({ note: optionalText(1000) });

// Communication (R-S3) ------------------------------------------------------------------------

export const distributeBody = z
  .strictObject({
    customerId: id,
    /** One requirement; absent: the customer's whole list at its current revision. */
    requirementId: id.nullish(),
    ackKind: z.enum(SR_ACK_KINDS),
    departmentIds: z.array(id).max(50).default([]),
    userIds: z.array(id).max(500).default([]),
    note: optionalText(1000),
  })
  .refine((b) => b.departmentIds.length + b.userIds.length > 0, {
    message: '请至少选择一个部门或人员',
    path: ['userIds'],
  });

export const acknowledgeBody = z.strictObject({
  kind: z.enum(SR_ACK_KINDS),
  note: optionalText(500),
});

export const distributionSchema = z.object({
  id: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  requirement: z.object({ id: z.string(), number: z.string(), title: z.string() }).nullable(),
  listRevision: z.number().nullable(),
  ackKind: z.enum(SR_ACK_KINDS),
  note: z.string().nullable(),
  distributedAt: z.string(),
  distributedBy: person,
  recipients: z.array(
    z.object({
      user: z.object({ id: z.string(), name: z.string() }),
      department: department,
      acknowledgedAt: z.string().nullable(),
      kind: z.enum(SR_ACK_KINDS).nullable(),
      note: z.string().nullable(),
      remindedAt: z.string().nullable(),
    }),
  ),
  pending: z.number(),
  secrecy: secrecySchema,
  can: z.object({ acknowledge: z.boolean(), remind: z.boolean() }),
});
export type Distribution = z.infer<typeof distributionSchema>;

/** The answer to a distribution: it, and who was left out (not cleared for its effective
 * secrecy, or no longer active) — they get no notification and are not recipients. */
export const distributeResultSchema = distributionSchema.extend({
  skipped: z.array(
    z.object({
      user: z.object({ id: z.string(), name: z.string() }),
      department: department,
      reason: z.enum(['clearance', 'inactive']),
    }),
  ),
});
export type DistributeResult = z.infer<typeof distributeResultSchema>;

/** One of the reader's open acknowledgements (我的待办, GET …/acknowledgements/mine). */
export const myAcknowledgementSchema = z.object({
  distributionId: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  requirement: z.object({ id: z.string(), number: z.string(), title: z.string() }).nullable(),
  listRevision: z.number().nullable(),
  ackKind: z.enum(SR_ACK_KINDS),
  note: z.string().nullable(),
  distributedAt: z.string(),
  distributedBy: person,
  remindedAt: z.string().nullable(),
  /** Working days since it was distributed (reminders start after 3). */
  workingDaysOpen: z.number(),
});
export type MyAcknowledgement = z.infer<typeof myAcknowledgementSchema>;

// Special characteristics (R-S4) --------------------------------------------------------------

const symbolFields = {
  code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/),
  name: nameText(50),
  meaning: optionalText(200),
  shape: z.enum(SR_SYMBOL_SHAPES),
  charClass: z.enum(SR_CHAR_CLASSES),
  sortOrder: z.number().int().min(0).max(1000),
  active: z.boolean(),
};
export const symbolBody = z.strictObject({
  ...symbolFields,
  sortOrder: symbolFields.sortOrder.default(0),
  active: symbolFields.active.default(true),
});
/** Only what is sent changes (no defaults: a rename must not reactivate or reorder). */
export const updateSymbolBody = z.strictObject(symbolFields).partial();

export const symbolSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  code: z.string(),
  name: z.string(),
  meaning: z.string().nullable(),
  shape: z.enum(SR_SYMBOL_SHAPES),
  /** The customer's own image was uploaded (else the shape is drawn). */
  hasImage: z.boolean(),
  imageUrl: z.string(),
  charClass: z.enum(SR_CHAR_CLASSES),
  sortOrder: z.number(),
  active: z.boolean(),
});
export type SrSymbol = z.infer<typeof symbolSchema>;

export const characteristicBody = z.strictObject({
  partNumber,
  name: nameText(200),
  specification: trimmedText(500),
  charClass: z.enum(SR_CHAR_CLASSES),
  symbolId: id.nullish(),
  controlPlanRef: optionalText(200),
  inspectionMethod: optionalText(200),
  requirementId: id.nullish(),
});
export const updateCharacteristicBody = characteristicBody.partial();

export const characteristicSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  partNumber: z.string(),
  seq: z.number(),
  name: z.string(),
  specification: z.string(),
  charClass: z.enum(SR_CHAR_CLASSES),
  symbol: z.object({ id: z.string(), code: z.string(), name: z.string(), imageUrl: z.string() }).nullable(),
  controlPlanRef: z.string().nullable(),
  inspectionMethod: z.string().nullable(),
  requirement: z.object({ id: z.string(), number: z.string() }).nullable(),
});
export type Characteristic = z.infer<typeof characteristicSchema>;

export const characteristicsQuery = z.object({
  partNumber: z.string().max(100).optional(),
  /** Keyset paging over (part number, seq); the exports take every row of the filter. */
  ...pageQuery,
});

/** A customer's symbol set (the defaults are created on first use). */
export const symbolListSchema = z.object({
  items: z.array(symbolSchema),
  can: z.object({ manage: z.boolean() }),
});

export const characteristicListSchema = z.object({
  items: z.array(characteristicSchema),
  nextCursor: z.string().nullable(),
  can: z.object({ manage: z.boolean() }),
});

/** The part numbers that have characteristics, with how many (GET …/characteristics/parts). */
export const characteristicPartsSchema = z.object({
  items: z.array(z.object({ partNumber: z.string(), count: z.number() })),
});

// Yearly check (R-S5) -------------------------------------------------------------------------

export const checkBody = z.strictObject({
  checkedOn: dateField({ zh: '核查日期', en: 'Checked on' }, 'tomorrow'),
  note: optionalText(1000),
  sources: z
    .array(
      z.strictObject({
        documentId: id,
        /** The version label the customer publishes today (portal, latest mail). */
        publishedVersion: z.string().trim().min(1).max(50),
        confirmedOn: dateField({ zh: '确认日期', en: 'Confirmed on' }, 'tomorrow'),
      }),
    )
    .max(200),
});

export const checkSchema = z.object({
  id: z.string(),
  checkedOn: z.string(),
  checkedBy: person,
  note: z.string().nullable(),
  sources: z.array(
    z.object({
      document: z.object({ id: z.string(), title: z.string(), docNumber: z.string().nullable() }),
      publishedVersion: z.string(),
      registeredVersion: z.string().nullable(),
      /** Our registered current version is the one the customer publishes. */
      matches: z.boolean(),
      confirmedOn: z.string(),
    }),
  ),
});
export type SrCheck = z.infer<typeof checkSchema>;

const checkDocument = z.object({ id: z.string(), title: z.string(), docNumber: z.string().nullable() });

/** GET /api/customers/:id/sr-checks: the list's check dates, the source documents its
 * requirements cite (with our registered current version) and the checks made, newest first. */
export const srChecksSchema = z.object({
  customerId: z.string(),
  nextCheckOn: z.string().nullable(),
  lastCheckedOn: z.string().nullable(),
  /** Due within 30 days or overdue. */
  checkDue: z.boolean(),
  checkOverdue: z.boolean(),
  sources: z.array(
    z.object({
      document: checkDocument,
      registeredVersion: z.string().nullable(),
      /** Requirements citing it (not withdrawn). */
      requirements: z.number(),
    }),
  ),
  checks: z.array(checkSchema),
  can: z.object({ check: z.boolean() }),
});
export type SrChecks = z.infer<typeof srChecksSchema>;

/** The answer to a check: it, the next date, and which documents need a new version registered
 * (the customer publishes a version we have not registered as current). */
export const checkResultSchema = checkSchema.extend({
  nextCheckOn: z.string(),
  needsNewVersion: z.array(
    checkDocument.extend({ publishedVersion: z.string(), registeredVersion: z.string().nullable() }),
  ),
});
export type SrCheckResult = z.infer<typeof checkResultSchema>;

// For contract review ------------------------------------------------------------------------

export const applicableQuery = z.object({ partNumber: z.string().max(100).optional() });

/** GET /api/customers/:id/applicable-requirements: the implemented requirements that apply to the
 * part number (every product's and those listing it); without one, every product's only. */
export const applicableSchema = z.object({
  customerId: z.string(),
  partNumber: z.string().nullable(),
  items: z.array(requirementSummarySchema),
});
export type ApplicableRequirements = z.infer<typeof applicableSchema>;

/** Settings of the special requirements (R-S2, R-S5): who is asked to review by default, how
 * often each list is checked and how early reminders start, where the list's PDF is filed. */
export const srSettingsSchema = z.object({
  /** Departments preselected when sales asks for reviews; empty: 品质/工程/生产/采购/物流 by name. */
  reviewDepartmentIds: z.array(z.string()),
  /** Months from one yearly check (R-S5) to the next. */
  checkMonths: z.number().int(),
  /** Reminders of a check start this many days before it is due. */
  remindDays: z.number().int(),
  /** The document category the 顾客特殊要求清单 PDF is filed under. */
  listArchiveCategory: z.string(),
});
export type SrSettings = z.infer<typeof srSettingsSchema>;
export const putSrSettingsBody = z.strictObject({
  reviewDepartmentIds: z.array(id).max(20).optional(),
  checkMonths: z.number().int().min(1).max(36).optional(),
  remindDays: z.number().int().min(1).max(180).optional(),
  listArchiveCategory: z.string().min(1).max(40).optional(),
});

export const srCategorySchema = z.object({ code: z.string(), label: z.string(), active: z.boolean() });
export type SrCategory = z.infer<typeof srCategorySchema>;
/** PUT /api/special-requirements/categories/:code: add or rename a category, or (de)activate it. */
export const putSrCategoryBody = z.strictObject({ label: nameText(50), active: z.boolean().default(true) });

/** GET /api/special-requirements/config: the categories (lookup 'sr_category') and the settings. */
export const srConfigSchema = z.object({
  categories: z.array(srCategorySchema),
  settings: srSettingsSchema,
});
export type SrConfig = z.infer<typeof srConfigSchema>;
