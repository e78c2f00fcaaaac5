import { z } from 'zod';
import {
  CASE_EVENT_KINDS,
  CASE_KINDS,
  CASE_STATUSES,
  CAUSE_CATEGORIES,
  CHANNELS,
  CLOCKS,
  DISPOSITIONS,
  OPINIONS,
  OUTCOMES,
  REPLY_WAYS,
  SEVERITIES,
} from '../cases.js';
import { ROLES } from '../enums.js';
import { clockTime, dateField, nameText, optionalText, trimmedText } from '../validation.js';
import { actionItemSchema } from './actions.js';
import { pageQuery, secrecySchema } from './platform.js';

// Complaints and service requests API shapes (R-Q1 … R-Q7).

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const code = z.string().min(1).max(40);
/** An instant as ISO-8601 with its offset (2026-09-30T16:00:00+08:00); stored in UTC. */
const instant = z.iso.datetime({ offset: true });

// Settings ---------------------------------------------------------------------------------

const days = z.number().int().min(0).max(365);
export const clockRuleSchema = z.strictObject({
  kind: z.enum(CASE_KINDS),
  type: code.nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  investigate: days,
  reply: days,
  resolve: days,
  revisit: days,
});
export const caseSettingsSchema = z.object({
  /** Clock rules, most specific wins (R-Q3). */
  clocks: z.array(clockRuleSchema),
  /** A clock due on a day is due by this time of that day (Asia/Shanghai). */
  dayEnds: z.string(),
  /** Who revisits closed cases (R-Q5). */
  revisitRole: z.enum(ROLES),
  /** Breaches of 严重/重大 complaints go to the deputy general manager (R-Q4). */
  escalate: z.boolean(),
  /** The document category the 客户投诉记录表 is filed under. */
  archiveCategory: z.string(),
});
export type CaseSettings = z.infer<typeof caseSettingsSchema>;
export const putCaseSettingsBody = z.strictObject({
  clocks: z.array(clockRuleSchema).min(1).max(100).optional(),
  dayEnds: clockTime.optional(),
  revisitRole: z.enum(ROLES).optional(),
  escalate: z.boolean().optional(),
  archiveCategory: code.optional(),
});

// Cases ------------------------------------------------------------------------------------

export const createCaseBody = z.strictObject({
  kind: z.enum(CASE_KINDS),
  type: code,
  subtype: optionalText(100),
  customerId: id,
  contactId: id.nullish().transform((v) => v ?? null),
  contactName: optionalText(100),
  contactPhone: optionalText(50),
  channel: z.enum(CHANNELS),
  product: optionalText(200),
  partNumber: optionalText(100),
  orderRef: optionalText(100),
  quantity: z
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .nullish()
    .transform((v) => v ?? null),
  content: trimmedText(5000),
  demand: optionalText(2000),
  /** When the customer called or wrote; default now. Never in the future. */
  receivedAt: instant.optional(),
  severity: z.enum(SEVERITIES).default('normal'),
  secrecy: secrecySchema.default('normal'),
  /** The person the complaint names (被投诉人), if any. */
  responsibleUserId: id.nullish().transform((v) => v ?? null),
  /** 项目档案: a project of the customer's archive, or none. */
  projectId: id.nullish(),
});
export type CreateCaseInput = z.output<typeof createCaseBody>;

export const updateCaseBody = z.strictObject({
  type: code.optional(),
  subtype: optionalText(100),
  contactName: optionalText(100),
  contactPhone: optionalText(50),
  product: optionalText(200),
  partNumber: optionalText(100),
  orderRef: optionalText(100),
  quantity: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
  demand: optionalText(2000),
  severity: z.enum(SEVERITIES).optional(),
  secrecy: secrecySchema.optional(),
  responsibleUserId: id.nullable().optional(),
  /** 项目档案: a project of the customer's archive, or none. */
  projectId: id.nullable().optional(),
});

export const triageBody = z.discriminatedUnion('justified', [
  z.strictObject({
    justified: z.literal(true),
    departmentId: id,
    handlerId: id,
    note: optionalText(1000),
  }),
  z.strictObject({
    justified: z.literal(false),
    note: optionalText(1000),
    /** The polite answer to the customer (R-Q2). */
    reply: z.strictObject({
      text: trimmedText(3000),
      way: z.enum(REPLY_WAYS),
      repliedAt: instant.optional(),
    }),
  }),
]);
export const dispatchBody = z.strictObject({ departmentId: id, handlerId: id, note: optionalText(1000) });

export const investigationBody = z.strictObject({
  causeCategory: z.enum(CAUSE_CATEGORIES).nullable().optional(),
  analysis: optionalText(5000),
  containment: optionalText(3000),
  solution: optionalText(5000),
  responsibleDepartmentId: id.nullable().optional(),
  responsibleUserId: id.nullable().optional(),
  verification: optionalText(3000),
  returnQuantity: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
  returnDisposition: z.enum(DISPOSITIONS).nullable().optional(),
  returnReceivedOn: dateField({ zh: '退货收货日期', en: 'Return received on' }, 'tomorrow')
    .nullable()
    .optional(),
  returnNote: optionalText(1000),
});
export const replyBody = z.strictObject({
  text: trimmedText(3000),
  way: z.enum(REPLY_WAYS),
  repliedAt: instant.optional(),
});
export const revisitBody = z.strictObject({
  opinion: z.enum(OPINIONS),
  comment: optionalText(2000),
  way: z.enum(REPLY_WAYS),
  revisitedAt: instant.optional(),
});

/** A calendar month YYYY-MM (Asia/Shanghai), 1900-01 … 2199-12. */
export const caseMonth = z.string().regex(/^(19|20|21)\d\d-(0[1-9]|1[0-2])$/);

export const listCasesQuery = z.object({
  kind: z.enum(CASE_KINDS).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  customerId: id.optional(),
  type: code.optional(),
  severity: z.enum(SEVERITIES).optional(),
  cause: z.enum(CAUSE_CATEGORIES).optional(),
  departmentId: id.optional(),
  /** Received on or after / before (calendar dates in Shanghai). */
  from: dateField({ zh: '开始日期', en: 'From' }).optional(),
  to: dateField({ zh: '结束日期', en: 'To' }).optional(),
  /** mine: cases I handle or received; breached: with a clock past due. */
  view: z.enum(['all', 'mine', 'breached']).default('all'),
  q: z.string().trim().max(100).optional(),
  // The filters a statistics bucket names, so that each number opens the cases behind it.
  /** Received in this Shanghai calendar month (YYYY-MM). */
  month: caseMonth.optional(),
  /** The product exactly as recorded. */
  product: z.string().trim().min(1).max(200).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  /** Cases with this field not recorded: cause 原因未确定, department 未分派, product 未填写. */
  unset: z.enum(['cause', 'department', 'product']).optional(),
  /** With clockState: cases whose clock is in that state now; without it, any clock. */
  clock: z.enum(CLOCKS).optional(),
  /** met (on time), late (met after its due time), breached (open, past due), open (not yet due). */
  clockState: z.enum(['met', 'late', 'breached', 'open']).optional(),
  ...pageQuery,
});
export type CaseFilter = z.output<typeof listCasesQuery>;

export const clockSchema = z.object({
  clock: z.enum(CLOCKS),
  dueDate: z.string(),
  dueAt: z.string(),
  metAt: z.string().nullable(),
  /** met (on time), late (met after the due time), open, breached (open and past due). */
  state: z.enum(['met', 'late', 'open', 'breached']),
  /** Open clocks: working days left (0 = due today), negative when breached. */
  workingDaysLeft: z.number().int().nullable(),
  /** Open clocks due today: hours left until the due time. */
  hoursLeft: z.number().nullable(),
});
export type CaseClock = z.infer<typeof clockSchema>;

export const caseSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(CASE_KINDS),
  type: z.string(),
  typeLabel: z.string(),
  status: z.enum(CASE_STATUSES),
  outcome: z.enum(OUTCOMES).nullable(),
  severity: z.enum(SEVERITIES),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  content: z.string(),
  product: z.string().nullable(),
  receivedAt: z.string(),
  handler: person,
  secrecy: secrecySchema,
  clocks: z.array(clockSchema),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: person,
});
export const caseEventSchema = z.object({
  at: z.string(),
  kind: z.enum(CASE_EVENT_KINDS),
  label: z.string(),
  actor: person,
  note: z.string().nullable(),
});

export const caseSchema = caseSummarySchema.extend({
  /** 项目档案: the project of its customer archive it belongs to (absent in older fixtures). */
  projectId: z.string().nullish(),
  subtype: z.string().nullable(),
  contact: z.object({ id: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable() }),
  channel: z.enum(CHANNELS),
  partNumber: z.string().nullable(),
  orderRef: z.string().nullable(),
  quantity: z.number().nullable(),
  demand: z.string().nullable(),
  receiver: person,
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Own secrecy; `secrecy` is the effective one (the higher of this and the archive's). */
  ownSecrecy: secrecySchema,
  responsible: person,
  responsibleDepartment: z.object({ id: z.string(), name: z.string() }).nullable(),
  triage: z.object({ by: person, at: z.string().nullable(), note: z.string().nullable() }),
  handlingDepartment: z.object({ id: z.string(), name: z.string() }).nullable(),
  investigation: z.object({
    causeCategory: z.enum(CAUSE_CATEGORIES).nullable(),
    analysis: z.string().nullable(),
    containment: z.string().nullable(),
    solution: z.string().nullable(),
    verification: z.string().nullable(),
    verifiedBy: person,
    verifiedAt: z.string().nullable(),
  }),
  return: z.object({
    quantity: z.number().nullable(),
    disposition: z.enum(DISPOSITIONS).nullable(),
    receivedOn: z.string().nullable(),
    note: z.string().nullable(),
  }),
  reply: z.object({
    text: z.string().nullable(),
    way: z.enum(REPLY_WAYS).nullable(),
    by: person,
    at: z.string().nullable(),
  }),
  resolvedAt: z.string().nullable(),
  revisit: z.object({
    role: z.string().nullable(),
    due: z.string().nullable(),
    by: person,
    at: z.string().nullable(),
    way: z.enum(REPLY_WAYS).nullable(),
    opinion: z.enum(OPINIONS).nullable(),
    comment: z.string().nullable(),
  }),
  closedAt: z.string().nullable(),
  document: z.object({ id: z.string(), archiveNo: z.string().nullable() }).nullable(),
  files: z.array(caseFileSchema),
  events: z.array(caseEventSchema),
  /** Its corrective and preventive actions (纠正预防措施), oldest first. */
  actions: z.array(actionItemSchema),
  /** What the reader may do now (buttons). */
  can: z.object({
    update: z.boolean(),
    triage: z.boolean(),
    dispatch: z.boolean(),
    /** 改派 while 处理中: whoever may triage (or dispatch) the case. */
    reassign: z.boolean(),
    handle: z.boolean(),
    reply: z.boolean(),
    resolve: z.boolean(),
    revisit: z.boolean(),
  }),
});
export type Case = z.infer<typeof caseSchema>;

export const caseTodoSchema = z.object({
  toTriage: z.number(),
  toHandle: z.number(),
  dueToday: z.number(),
  breached: z.number(),
  toRevisit: z.number(),
});
export type CaseTodo = z.infer<typeof caseTodoSchema>;

export const caseCountsSchema = z.object({
  new: z.number(),
  in_progress: z.number(),
  to_reply: z.number(),
  to_revisit: z.number(),
  closed: z.number(),
});

export const caseTypeSchema = z.object({
  list: z.string(),
  code: z.string(),
  label: z.string(),
  active: z.boolean(),
});
export const putCaseTypeBody = z.strictObject({ label: nameText(50), active: z.boolean().default(true) });
