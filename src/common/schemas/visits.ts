import { z } from 'zod';
import { CASE_KINDS } from '../cases.js';
import { INTERACTION_KINDS } from '../customers.js';
import { dateField, nameText, optionalText, trimmedText } from '../validation.js';
import { DAY_KINDS, VISIT_CANCEL_REASONS, VISIT_STATUSES, VISIT_TRIGGERS, VISIT_WAYS } from '../visits.js';
import { pageQuery, secrecySchema } from './platform.js';

// Follow-up visits API shapes (回访, R-V1, R-V2).

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();

// Settings ---------------------------------------------------------------------------------

export const visitRuleBody = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  name: nameText(50),
  trigger: z.enum(VISIT_TRIGGERS),
  caseKind: z.enum(CASE_KINDS).nullable(),
  interactionKind: z.enum(INTERACTION_KINDS).nullable(),
  /** Days after the trigger, one visit task each. */
  offsets: z.array(z.number().int().min(0).max(3650)).min(1).max(12),
  dayKind: z.enum(DAY_KINDS),
  way: z.enum(VISIT_WAYS),
  /** Who visits; null: the archive's owner. */
  assigneeId: id.nullable(),
  active: z.boolean(),
});
/** As stored and answered (no transforms: responses are encoded with it). */
export const visitRuleSchema = visitRuleBody.extend({ name: z.string() });
export const visitSettingsSchema = z.object({ rules: z.array(visitRuleSchema) });
export type VisitSettings = z.infer<typeof visitSettingsSchema>;
export const putVisitSettingsBody = z.strictObject({ rules: z.array(visitRuleBody).max(50) });

// Tasks ------------------------------------------------------------------------------------

export const visitTaskSchema = z.object({
  id: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  trigger: z.enum([...VISIT_TRIGGERS, 'manual']),
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  /** What set the plan off when it is not the archive itself (a case, an interaction). */
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  /** 1-based position in its plan, and the offset it was given. */
  step: z.number(),
  offsetDays: z.number(),
  dayKind: z.enum(DAY_KINDS),
  baseDate: z.string(),
  dueDate: z.string(),
  way: z.enum(VISIT_WAYS),
  assignee: person,
  status: z.enum(VISIT_STATUSES),
  /** For open tasks: overdue, due today or upcoming. */
  dueState: z.enum(['overdue', 'today', 'upcoming']).nullable(),
  secrecy: secrecySchema,
  note: z.string().nullable(),
  createdAt: z.string(),
  visit: z
    .object({
      visitedOn: z.string(),
      way: z.enum(VISIT_WAYS),
      contact: z.string().nullable(),
      content: z.string(),
      feedback: z.string().nullable(),
      nextStep: z.string().nullable(),
      nextStepDue: z.string().nullable(),
      by: person,
      at: z.string(),
      interactionId: z.string().nullable(),
    })
    .nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.enum(VISIT_CANCEL_REASONS).nullable(),
  cancelNote: z.string().nullable(),
  can: z.object({ complete: z.boolean(), cancel: z.boolean(), reassign: z.boolean() }),
});
export type VisitTask = z.infer<typeof visitTaskSchema>;

export const listVisitsQuery = z.object({
  /** mine: assigned to the reader; department: archives of the reader's departments (managers);
   * all: every task the reader may see. */
  view: z.enum(['mine', 'department', 'all']).default('all'),
  status: z.enum(VISIT_STATUSES).optional(),
  /** Open tasks only: overdue, due today, or not yet due. */
  due: z.enum(['overdue', 'today', 'upcoming']).optional(),
  customerId: id.optional(),
  assigneeId: id.optional(),
  ...pageQuery,
});
export type VisitFilter = z.output<typeof listVisitsQuery>;

export const createVisitBody = z.strictObject({
  customerId: id,
  dueDate: dateField({ zh: '回访日期', en: 'Due date' }),
  way: z.enum(VISIT_WAYS),
  /** Default: the archive's owner. */
  assigneeId: id.nullish(),
  note: optionalText(500),
});
export type CreateVisitInput = z.output<typeof createVisitBody>;

export const updateVisitBody = z.strictObject({
  assigneeId: id.optional(),
  dueDate: dateField({ zh: '回访日期', en: 'Due date' }).optional(),
  way: z.enum(VISIT_WAYS).optional(),
});

export const completeVisitBody = z.strictObject({
  way: z.enum(VISIT_WAYS),
  visitedOn: dateField({ zh: '回访日期', en: 'Date of the visit' }, 'tomorrow'),
  contact: optionalText(100),
  content: trimmedText(5000),
  feedback: optionalText(2000),
  nextStep: optionalText(1000),
  nextStepDue: dateField({ zh: '下一步期限', en: 'Next step due' }).nullish(),
});
export type CompleteVisitInput = z.output<typeof completeVisitBody>;

export const cancelVisitBody = z.strictObject({ note: optionalText(500) });

const counts = z.object({ open: z.number(), dueToday: z.number(), overdue: z.number() });
export const visitTodoSchema = z.object({
  /** Tasks assigned to the reader. */
  mine: counts,
  /** Tasks of archives of the reader's departments (department managers), else null. */
  department: counts.nullable(),
});
export type VisitTodo = z.infer<typeof visitTodoSchema>;
