import { z } from 'zod';
import { ACTION_KINDS, ACTION_MAX_DUE_DAYS, ACTION_SOURCE_TYPES, ACTION_STATUSES } from '../actions.js';
import { trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';

// Corrective and preventive actions API shapes (纠正预防措施).

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const createActionBody = z.strictObject({
  kind: z.enum(ACTION_KINDS),
  description: trimmedText(2000),
  ownerId: id,
  /** Working days from today (0 = today) on the company calendar. */
  dueDays: z.number().int().min(0).max(ACTION_MAX_DUE_DAYS),
});
export type CreateActionInput = z.output<typeof createActionBody>;

export const completeActionBody = z.strictObject({ result: trimmedText(3000) });
export const verifyActionBody = z.strictObject({
  effective: z.boolean(),
  verification: trimmedText(3000),
});

export const listActionsQuery = z.object({
  /** mine: the reader's own actions; all: every action the reader may see (quality, GM, deputy). */
  view: z.enum(['mine', 'all']).default('mine'),
  status: z.enum(ACTION_STATUSES).optional(),
  /** Only open actions past their due date. */
  overdue: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});
export type ActionFilter = z.output<typeof listActionsQuery>;
export const exportActionsQuery = listActionsQuery.omit({ cursor: true, limit: true });

/** An action as a case detail lists it (and the 8D report prints it). */
export const actionItemSchema = z.object({
  id: z.string(),
  kind: z.enum(ACTION_KINDS),
  description: z.string(),
  owner: person,
  dueDays: z.number(),
  dueDate: z.string(),
  status: z.enum(ACTION_STATUSES),
  overdue: z.boolean(),
  result: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: person,
  verification: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  verifiedBy: person,
  createdAt: z.string(),
  createdBy: person,
});
export type ActionItem = z.infer<typeof actionItemSchema>;

export const actionSchema = actionItemSchema.extend({
  source: z.object({
    type: z.enum(ACTION_SOURCE_TYPES),
    id: z.string(),
    /** The source's human code, e.g. the case number. */
    label: z.string(),
    /** A path in the web app. */
    link: z.string(),
  }),
  customer: z.object({ id: z.string(), name: z.string() }).nullable(),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Effective secrecy: the source's. */
  secrecy: secrecySchema,
  /** What the reader may do now (buttons). */
  can: z.object({ complete: z.boolean(), verify: z.boolean() }),
});
export type CorrectiveAction = z.infer<typeof actionSchema>;

export const sourceActionsSchema = z.object({
  items: z.array(actionSchema),
  /** The reader may raise actions on this source now. */
  canRaise: z.boolean(),
});

export const actionTodoSchema = z.object({
  /** My open actions, and those of them past their due date. */
  open: z.number(),
  overdue: z.number(),
  /** Done actions waiting for verification (for those who verify; never their own). */
  toVerify: z.number(),
});
export type ActionTodo = z.infer<typeof actionTodoSchema>;
