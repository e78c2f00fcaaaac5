import { z } from 'zod';
import { HOLIDAY_RULES, ON_TIME_BASES } from '../order-deliveries.js';
import {
  CHECKLIST_ANSWERS,
  ORDER_APPROVAL_DECISIONS,
  ORDER_CHANNELS,
  ORDER_CLASS_REASONS,
  ORDER_CLASSES,
  ORDER_FILE_KINDS,
  ORDER_KINDS,
  ORDER_REVIEW_DECISIONS,
  ORDER_ROUTES,
  ORDER_SIGNER_ROLES,
  ORDER_STATUSES,
} from '../orders.js';
import { dateField, nameText, optionalText, trimmedText } from '../validation.js';
import { amendmentDepartmentsSchema, amendmentSchema } from './order-amendments.js';
import { priceText, quantityText } from './order-values.js';
import { pageQuery, roleSchema, secrecySchema } from './platform.js';

// Orders and contract review API shapes (订单与合同评审, R-K1 … R-K3). Routes:
//   GET   /api/orders                       the list (keyset, newest first; filters)
//   GET   /api/orders/export.xlsx|.csv      the same list as a register (订单/合同台帐)
//   GET   /api/orders/todo                  counts for 我的待办 (reviews, signatures)
//   GET   /api/orders/config, PUT …         settings: lead time, departments, checklist, prices
//   POST  /api/orders                       register (draft; the class is proposed at once)
//   GET   /api/orders/:id                   one, with lines, reasons, reviews, history
//   PATCH /api/orders/:id                   change a draft (history kept; class proposed again)
//   PUT   /api/orders/:id/class             override the class with a reason
//   POST  /api/orders/:id/submit            submit for review (route chosen, reviews opened)
//   PUT   /api/orders/:id/reviews/:deptId   a department's review (会签)
//   POST  /api/orders/:id/approve           the signer accepts or rejects
//   POST  /api/orders/:id/cancel            cancel with a reason

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const department = z.object({ id: z.string(), name: z.string() });

/** An instant as ISO-8601 with its offset (2026-09-30T16:00:00+08:00); stored in UTC. */
const instant = z.iso.datetime({ offset: true });

export const orderLineBody = z.strictObject({
  partNumber: nameText(100),
  product: nameText(200),
  specification: optionalText(500),
  quantity: quantityText,
  unit: nameText(20),
  unitPrice: priceText.nullish(),
  requestedOn: dateField({ zh: '要求交期', en: 'Requested delivery' }),
  promisedOn: dateField({ zh: '承诺交期', en: 'Promised delivery' }).nullish(),
});
export type OrderLineInput = z.output<typeof orderLineBody>;

/** 电话纪要: who called, when, what was agreed (received by phone, R-K2). */
export const phoneMemoBody = z.strictObject({
  caller: nameText(100),
  calledAt: instant,
  agreed: trimmedText(2000),
});

const orderFields = {
  customerPo: optionalText(100),
  kind: z.enum(ORDER_KINDS),
  receivedVia: z.enum(ORDER_CHANNELS),
  receivedOn: dateField({ zh: '接单日期', en: 'Received on' }, 'tomorrow'),
  phoneMemo: phoneMemoBody.nullish(),
  /** The customer must still confirm in writing (a phone order, usually). */
  confirmationNeeded: z.boolean(),
  confirmationReceivedOn: dateField({ zh: '书面确认日期', en: 'Confirmed on' }, 'tomorrow').nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  paymentTerms: optionalText(500),
  deliveryMethod: optionalText(200),
  deliveryPlace: optionalText(200),
  packaging: optionalText(500),
  remarks: optionalText(2000),
  lines: z.array(orderLineBody).min(1).max(500),
  /** 项目档案: a project of the order's customer archive, or none. */
  projectId: z.string().max(64).nullish(),
};

export const createOrderBody = z.strictObject({
  customerId: id,
  ...orderFields,
  confirmationNeeded: orderFields.confirmationNeeded.default(false),
  currency: orderFields.currency.default('CNY'),
});
export type CreateOrderInput = z.output<typeof createOrderBody>;

/** Only what is sent changes; `lines`, when sent, replaces every line. */
export const updateOrderBody = z.strictObject({
  ...orderFields,
  customerPo: orderFields.customerPo.optional(),
  phoneMemo: phoneMemoBody.nullable().optional(),
  paymentTerms: orderFields.paymentTerms.optional(),
  deliveryMethod: orderFields.deliveryMethod.optional(),
  deliveryPlace: orderFields.deliveryPlace.optional(),
  packaging: orderFields.packaging.optional(),
  remarks: orderFields.remarks.optional(),
  kind: orderFields.kind.optional(),
  receivedVia: orderFields.receivedVia.optional(),
  receivedOn: orderFields.receivedOn.optional(),
  confirmationNeeded: orderFields.confirmationNeeded.optional(),
  confirmationReceivedOn: orderFields.confirmationReceivedOn.optional(),
  currency: orderFields.currency.optional(),
  lines: orderFields.lines.optional(),
  /** Why it changed, kept in the history. */
  note: optionalText(500),
});
export type UpdateOrderInput = z.output<typeof updateOrderBody>;

export const classOverrideBody = z.strictObject({
  class: z.enum(ORDER_CLASSES),
  reason: trimmedText(1000),
});

export const orderNoteBody = z.strictObject({ note: optionalText(1000) });
export const orderReasonBody = z.strictObject({ reason: trimmedText(1000) });

export const orderReviewBody = z.strictObject({
  decision: z.enum(ORDER_REVIEW_DECISIONS),
  /** Required for 有条件接受. */
  condition: optionalText(1000),
  comment: optionalText(2000),
  /** Per checklist item (its code): the answer and a note. Every item, on a non-regular order. */
  checklist: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
      z.strictObject({ answer: z.enum(CHECKLIST_ANSWERS), note: optionalText(500) }),
    )
    .default({}),
  /** Finance's price for each new product's line (R-K3 财务部核价). */
  pricing: z
    .array(z.strictObject({ lineNo: z.number().int().min(1).max(500), unitPrice: priceText }))
    .max(500)
    .default([]),
});
export type OrderReviewInput = z.output<typeof orderReviewBody>;

export const approveBody = z.strictObject({
  decision: z.enum(ORDER_APPROVAL_DECISIONS),
  comment: optionalText(2000),
  /** Required when accepting over a department's 不接受 (the general manager signs). */
  overruleReason: optionalText(1000),
});

const classReason = z.object({
  code: z.enum(ORDER_CLASS_REASONS),
  label: z.string(),
  /** new_part: the part numbers; lead_time: the lines at risk; special_requirements: the ones the
   * reader may see (number and title). */
  partNumbers: z.array(z.string()),
  lines: z.array(z.object({ lineNo: z.number(), promisedOn: z.string(), earliestOn: z.string() })),
  requirements: z.array(z.object({ id: z.string(), number: z.string(), title: z.string() })),
});

export const orderLineSchema = z.object({
  id: z.string(),
  lineNo: z.number(),
  partNumber: z.string(),
  product: z.string(),
  specification: z.string().nullable(),
  quantity: z.string(),
  unit: z.string(),
  /** Null for readers the price setting leaves out (and for lines not priced yet). */
  unitPrice: z.string().nullable(),
  amount: z.string().nullable(),
  requestedOn: z.string(),
  promisedOn: z.string().nullable(),
});

export const orderSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  customerPo: z.string().nullable(),
  kind: z.enum(ORDER_KINDS),
  receivedVia: z.enum(ORDER_CHANNELS),
  receivedOn: z.string(),
  currency: z.string(),
  /** Null for readers the price setting leaves out. */
  totalAmount: z.string().nullable(),
  proposedClass: z.enum(ORDER_CLASSES),
  class: z.enum(ORDER_CLASSES),
  overridden: z.boolean(),
  leadTimeAtRisk: z.boolean(),
  status: z.enum(ORDER_STATUSES),
  route: z.enum(ORDER_ROUTES).nullable(),
  signerRole: z.enum(ORDER_SIGNER_ROLES).nullable(),
  reviewsOpen: z.number(),
  lineCount: z.number(),
  /** The customer archive's (R-P9). */
  secrecy: secrecySchema,
  createdAt: z.string(),
  createdBy: person,
  updatedAt: z.string(),
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

export const orderSchema = orderSummarySchema.extend({
  /** 项目档案: the project of its customer archive it belongs to. */
  projectId: z.string().nullable(),
  phoneMemo: z.object({ caller: z.string(), calledAt: z.string(), agreed: z.string() }).nullable(),
  confirmationNeeded: z.boolean(),
  confirmationReceivedOn: z.string().nullable(),
  paymentTerms: z.string().nullable(),
  deliveryMethod: z.string().nullable(),
  deliveryPlace: z.string().nullable(),
  packaging: z.string().nullable(),
  remarks: z.string().nullable(),
  lines: z.array(orderLineSchema),
  classReasons: z.array(classReason),
  classOverride: z.object({ reason: z.string(), by: person, at: z.string() }).nullable(),
  /** Whether the reader is shown prices. */
  pricesVisible: z.boolean(),
  submittedAt: z.string().nullable(),
  submittedBy: person,
  reviews: z.array(
    z.object({
      id: z.string(),
      department: department,
      requestedAt: z.string(),
      decision: z.enum(ORDER_REVIEW_DECISIONS).nullable(),
      condition: z.string().nullable(),
      comment: z.string().nullable(),
      checklist: z.array(
        z.object({
          code: z.string(),
          label: z.string(),
          answer: z.enum(CHECKLIST_ANSWERS).nullable(),
          note: z.string().nullable(),
        }),
      ),
      /** Finance's prices of new products (null for readers who may not see prices). */
      pricing: z.array(z.object({ lineNo: z.number(), unitPrice: z.string() })).nullable(),
      reviewedAt: z.string().nullable(),
      reviewedBy: person,
      canReview: z.boolean(),
    }),
  ),
  approval: z
    .object({
      decision: z.enum(ORDER_APPROVAL_DECISIONS),
      role: z.enum(ORDER_SIGNER_ROLES),
      by: person,
      at: z.string(),
      comment: z.string().nullable(),
      overruleReason: z.string().nullable(),
      creditVerdict: z.string().nullable(),
    })
    .nullable(),
  cancelled: z.object({ at: z.string(), by: person, reason: z.string() }).nullable(),
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
    overrideClass: z.boolean(),
    submit: z.boolean(),
    approve: z.boolean(),
    cancel: z.boolean(),
    /** Back to draft: the submitter or an owner, while no department has answered. */
    withdraw: z.boolean(),
    /** Propose an amendment (an accepted order without one in review, R-K4). */
    amend: z.boolean(),
  }),
  /** Amendments, oldest first (R-K4). */
  amendments: z.array(amendmentSchema),
});
export type Order = z.infer<typeof orderSchema>;

export const listOrdersQuery = z.object({
  customerId: id.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  class: z.enum(ORDER_CLASSES).optional(),
  kind: z.enum(ORDER_KINDS).optional(),
  /** Order number or the customer's PO number (part of it). */
  q: z.string().max(100).optional(),
  ...pageQuery,
});
export type OrderFilter = z.output<typeof listOrdersQuery>;
export const exportOrdersQuery = listOrdersQuery.omit({ cursor: true, limit: true });

export const orderTodoSchema = z.object({
  /** Reviews waiting for the reader's department (a manager: their departments). */
  toReview: z.number(),
  /** Orders whose reviews are in and whose signature is the reader's to give. */
  toSign: z.number(),
  /** Amendments whose review is the reader's department's to give (R-K4). */
  amendmentsToReview: z.number(),
  /** Amendments reviewed and waiting for the reader's signature. */
  amendmentsToSign: z.number(),
  /** 合同更改通知单 the reader's department has not acknowledged. */
  noticesToAcknowledge: z.number(),
});
export type OrderTodo = z.infer<typeof orderTodoSchema>;

const departmentCode = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const departmentCodes = z.array(departmentCode).max(30);
/** The reviewers of a route: none would let a new product or a lead time at risk be signed unreviewed. */
const reviewerCodes = departmentCodes.refine((codes) => codes.length > 0, {
  params: { key: 'order_review_departments' },
});
export const orderSettingsSchema = z.object({
  /** Standard lead time in working days: a promised date earlier than received + this is at risk. */
  leadTimeDays: z.number(),
  /** Departments (by code) that review a regular order whose lead time is at risk. */
  capacityDepartments: z.array(z.string()),
  /** Departments (by code) that review a non-regular order. */
  reviewDepartments: z.array(z.string()),
  /** The department (code) that prices new products on its review. */
  financeDepartment: z.string(),
  /** Roles that see prices, and departments (codes) whose members see them. */
  priceRoles: z.array(roleSchema),
  priceDepartments: z.array(z.string()),
  /** The review checklist (seed 003 a–i). */
  checklist: z.array(z.object({ code: z.string(), label: z.string() })),
  /** The department (code) whose review needs the 可行性分析报告 for a new product. */
  rdDepartment: z.string(),
  /** The document category the signed 评审记录表 is filed under in the customer's archive. */
  recordArchiveCategory: z.string(),
  /** Departments (codes) that review an amendment, per category of the fields changed (R-K4). */
  amendmentDepartments: amendmentDepartmentsSchema,
  /** R-K5: 准时交付率 by order line or by quantity. */
  onTimeBasis: z.enum(ON_TIME_BASES),
  /** R-K5: a promised date on a non-working day counts as given or as the next working day. */
  holidayRule: z.enum(HOLIDAY_RULES),
  /** R-K5: the weekly summary of delayed orders goes to these roles and these people. */
  delaySummaryRoles: z.array(roleSchema),
  delaySummaryUsers: z.array(z.string()),
});
export type OrderSettings = z.infer<typeof orderSettingsSchema>;
export const orderSettingsBody = z
  .strictObject({
    leadTimeDays: z.number().int().min(0).max(365),
    capacityDepartments: reviewerCodes,
    reviewDepartments: reviewerCodes,
    financeDepartment: departmentCode,
    priceRoles: z.array(roleSchema).max(10),
    priceDepartments: departmentCodes,
    checklist: z
      .array(z.strictObject({ code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), label: nameText(200) }))
      .min(1)
      .max(30),
    rdDepartment: departmentCode,
    recordArchiveCategory: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    amendmentDepartments: z.strictObject({
      quantity: departmentCodes,
      date: departmentCodes,
      specification: departmentCodes,
      price: departmentCodes,
      terms: departmentCodes,
    }),
    onTimeBasis: z.enum(ON_TIME_BASES),
    holidayRule: z.enum(HOLIDAY_RULES),
    delaySummaryRoles: z.array(roleSchema).max(10),
    delaySummaryUsers: z.array(z.string().min(1).max(64)).max(50),
  })
  .partial();

// The review record (评审记录表) and attachments (0028_order_records). Routes:
//   GET   /api/orders/:id/review-record.pdf         the 订单/合同评审记录表 as it stands (a reader)
//   GET   /api/orders/:id/files                     the attachments and the filed record
//   POST  /api/orders/:id/files?kind=&name=[&departmentId=]   attach a file (body: the file)
//   GET   /api/orders/:id/files/:fileId             download an attachment

export const orderFileSchema = z.object({
  id: z.string(),
  kind: z.enum(ORDER_FILE_KINDS),
  /** feasibility: the review (department) it belongs to. */
  department: department.nullable(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: person,
});
export type OrderFile = z.infer<typeof orderFileSchema>;

export const orderFilesSchema = z.object({
  items: z.array(orderFileSchema),
  /** The 评审记录表 filed into the customer's archive at the signature, when the reader sees it. */
  record: z
    .object({
      documentId: z.string(),
      title: z.string(),
      archiveNo: z.string().nullable(),
      retention: z.string(),
    })
    .nullable(),
  /** The order was signed and its record filed, but the reader may not see the archive's record. */
  recordFiled: z.boolean(),
  can: z.object({
    /** Attach a PO scan, a confirmation or another file (sales). */
    attach: z.boolean(),
    /** The departments whose 可行性分析报告 the reader may attach (R&D reviewing). */
    feasibilityDepartments: z.array(department),
  }),
});
export type OrderFiles = z.infer<typeof orderFilesSchema>;

export const orderFileQuery = z.object({
  kind: z.enum(ORDER_FILE_KINDS),
  name: nameText(255),
  departmentId: id.optional(),
});
