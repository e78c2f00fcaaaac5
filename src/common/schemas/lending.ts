import { z } from 'zod';
import {
  APPROVER_ROLES,
  CONDITIONS,
  LENDING_MODES,
  PURPOSES,
  REQUEST_EVENT_KINDS,
  REQUEST_STATUSES,
} from '../lending.js';
import { optionalText, trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';

// Access requests and borrowing API shapes (R-P1 … R-P8).

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const target = z.enum(['customer', 'document']);

// Settings ---------------------------------------------------------------------------------

const approvers = z.array(z.enum(APPROVER_ROLES)).max(3);
export const approvalRulesSchema = z.object({
  ownDepartment: approvers,
  otherDepartment: approvers,
  controlled: approvers,
  secret: approvers,
  secretFrom: z.number().int().min(0).max(3),
  external: approvers,
  beyondMaximum: approvers,
});
export const lendingSettingsSchema = z.object({
  /** A request's period when none is given (R-P3: 7 days). */
  defaultDays: z.number().int(),
  /** The longest period without the general manager (R-P3: two weeks). */
  maxDays: z.number().int(),
  /** Loans due within this many days are listed as due soon. */
  dueSoonDays: z.number().int(),
  rules: approvalRulesSchema,
  /** R-P2 (seed 001 篇一): even one's own department's customer archives are read only with the
   * department manager's approval (owners and the managers excepted). Default off. */
  ownDepartmentRequiresApproval: z.boolean(),
});
export type LendingSettings = z.infer<typeof lendingSettingsSchema>;
export const putLendingSettingsBody = z.strictObject({
  defaultDays: z.number().int().min(1).max(60).optional(),
  maxDays: z.number().int().min(1).max(365).optional(),
  dueSoonDays: z.number().int().min(0).max(30).optional(),
  rules: approvalRulesSchema.optional(),
  ownDepartmentRequiresApproval: z.boolean().optional(),
});

// Catalogue: what may be asked for ----------------------------------------------------------

export const catalogueQuery = z.object({
  q: z.string().trim().min(1).max(100),
  type: target.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const catalogueItemSchema = z.object({
  targetType: target,
  targetId: z.string(),
  label: z.string(),
  /** 档案编号 or 档号/文号. */
  code: z.string().nullable(),
  departmentName: z.string().nullable(),
  secrecy: secrecySchema,
  controlled: z.boolean(),
  /** The reader may already open it without a request. */
  readable: z.boolean(),
  /** A physical item out on loan now. */
  out: z.boolean(),
  paper: z.boolean(),
});
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;

// Requests -----------------------------------------------------------------------------------

export const createRequestBody = z
  .strictObject({
    mode: z.enum(LENDING_MODES),
    purpose: z.enum(PURPOSES),
    /** Default: the setting (7); at most the maximum (14) without a renewal. */
    days: z.number().int().min(1).max(365).optional(),
    reason: trimmedText(1000),
    items: z
      .array(z.strictObject({ targetType: target, targetId: id }))
      .min(1)
      .max(100),
    /** An outside borrower (R-P3): organisation and person, with the letter of introduction. */
    external: z
      .strictObject({ organisation: trimmedText(200), person: trimmedText(100) })
      .nullish()
      .transform((v) => v ?? null),
    /** The uploaded letter of introduction (POST /access-requests/letters). */
    letter: z
      .strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), name: trimmedText(255) })
      .nullish()
      .transform((v) => v ?? null),
  })
  .refine((b) => !b.external || b.letter, { path: ['letter'], params: { key: 'letter_required' } });
export type CreateRequestInput = z.output<typeof createRequestBody>;

export const decideBody = z.strictObject({
  decision: z.enum(['approve', 'reject', 'return']),
  comment: optionalText(500),
});
export const renewBody = z.strictObject({ days: z.number().int().min(1).max(365), reason: trimmedText(500) });
export const listRequestsQuery = z.object({
  /** mine: my own; approvals: waiting for me; all: the archivist's and overseers' view. */
  view: z.enum(['mine', 'approvals', 'all']).default('mine'),
  status: z.enum(REQUEST_STATUSES).optional(),
  ...pageQuery,
});

export const requestItemSchema = z.object({
  id: z.string(),
  targetType: target,
  targetId: z.string(),
  label: z.string(),
  code: z.string().nullable(),
  secrecy: secrecySchema,
  controlled: z.boolean(),
  /** Destroyed (or on a destruction register carried out): granted and lent to nobody. */
  destroyed: z.boolean(),
  /** The current or last loan of the item under this request (physical). */
  loan: z
    .object({
      id: z.string(),
      dueDate: z.string(),
      returnedAt: z.string().nullable(),
      conditionIn: z.enum(CONDITIONS).nullable(),
      overdue: z.boolean(),
    })
    .nullable(),
});

export const requestStepSchema = z.object({
  step: z.number(),
  role: z.enum(APPROVER_ROLES),
  label: z.string(),
  decision: z.enum(['approve', 'reject', 'return']).nullable(),
  by: person,
  at: z.string().nullable(),
  comment: z.string().nullable(),
});

export const requestSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  requester: z.object({ id: z.string(), name: z.string(), departmentName: z.string().nullable() }),
  mode: z.enum(LENDING_MODES),
  purpose: z.enum(PURPOSES),
  days: z.number(),
  status: z.enum(REQUEST_STATUSES),
  /** The step waiting now, e.g. 总经理审批. */
  waitingFor: z.string().nullable(),
  itemCount: z.number(),
  firstItem: z.string(),
  external: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  /** Electronic access past its end date. */
  expired: z.boolean(),
  createdAt: z.string(),
});
export type RequestSummary = z.infer<typeof requestSummarySchema>;

export const requestSchema = requestSummarySchema.extend({
  reason: z.string(),
  externalPerson: z.string().nullable(),
  letterName: z.string().nullable(),
  renewalOf: z.object({ id: z.string(), number: z.string() }).nullable(),
  steps: z.array(requestStepSchema),
  items: z.array(requestItemSchema),
  events: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actorName: z.string().nullable(),
      kind: z.enum(REQUEST_EVENT_KINDS),
      step: z.number().nullable(),
      comment: z.string().nullable(),
    }),
  ),
  can: z.object({
    /** Reject or return (and approve, unless `approve` says otherwise). */
    decide: z.boolean(),
    /** Approve: not while an item is destroyed. */
    approve: z.boolean(),
    withdraw: z.boolean(),
    resubmit: z.boolean(),
    renew: z.boolean(),
    issue: z.boolean(),
  }),
});
export type AccessRequest = z.infer<typeof requestSchema>;

// Loans ----------------------------------------------------------------------------------------

export const issueBody = z.strictObject({
  itemIds: z.array(id).min(1).max(100),
  /** The state the items leave in (完好, 共 32 页 …). */
  conditionOut: trimmedText(200),
  note: optionalText(500),
});
export const returnBody = z.strictObject({
  condition: z.enum(CONDITIONS),
  note: optionalText(1000),
});
export const exportLoansQuery = z.object({
  /** out: everything out; due_soon; overdue; returned. */
  state: z.enum(['out', 'due_soon', 'overdue', 'returned']).default('out'),
});
export const listLoansQuery = exportLoansQuery.extend(pageQuery);

export const loanSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  requestNumber: z.string(),
  targetType: target,
  targetId: z.string(),
  label: z.string(),
  code: z.string().nullable(),
  borrower: z.object({ id: z.string(), name: z.string(), departmentName: z.string().nullable() }),
  external: z.string().nullable(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  dueDate: z.string(),
  conditionOut: z.string(),
  returnedAt: z.string().nullable(),
  receivedBy: z.string().nullable(),
  conditionIn: z.enum(CONDITIONS).nullable(),
  noteIn: z.string().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
});
export type Loan = z.infer<typeof loanSchema>;

/** Approved physical requests with items not issued yet (the archivist's desk). */
export const toIssueSchema = z.object({
  requestId: z.string(),
  number: z.string(),
  requester: z.string(),
  external: z.string().nullable(),
  days: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      code: z.string().nullable(),
      outTo: z.string().nullable(),
    }),
  ),
});
export type ToIssue = z.infer<typeof toIssueSchema>;

export const incidentSchema = z.object({
  id: z.string(),
  loanId: z.string(),
  kind: z.enum(['damaged', 'lost']),
  description: z.string(),
  label: z.string(),
  borrower: z.string(),
  requestNumber: z.string(),
  reportedAt: z.string(),
  reportedBy: z.string(),
});
export type Incident = z.infer<typeof incidentSchema>;

// Register and history ---------------------------------------------------------------------------

export const registerQuery = z.object({
  targetType: target.optional(),
  targetId: z.string().max(64).optional(),
  ...pageQuery,
});
export const registerRowSchema = z.object({
  id: z.string(),
  mode: z.enum(LENDING_MODES),
  requestId: z.string(),
  requestNumber: z.string(),
  borrower: z.string(),
  department: z.string().nullable(),
  external: z.string().nullable(),
  targetType: target,
  targetId: z.string(),
  label: z.string(),
  code: z.string().nullable(),
  purpose: z.enum(PURPOSES),
  out: z.string(),
  due: z.string().nullable(),
  returned: z.string().nullable(),
  approvers: z.string(),
  condition: z.string().nullable(),
});
export type RegisterRow = z.infer<typeof registerRowSchema>;

export const todoSchema = z.object({
  /** Requests waiting for my decision. */
  approvals: z.number(),
  /** Items I borrowed that are out. */
  toReturn: z.number(),
  /** Approved physical items waiting to be issued (archivists). */
  toIssue: z.number(),
  /** Loans past their due date (archivists: all; others: mine). */
  overdue: z.number(),
});
export type Todo = z.infer<typeof todoSchema>;
