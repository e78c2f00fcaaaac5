import { z } from 'zod';
import { AUDIT_OUTCOMES, ROLES, SECRECY_LEVELS } from '../enums.js';
import {
  dateField,
  isoDate,
  loginName,
  nameText,
  newPassword,
  optionalText,
  plainName,
} from '../validation.js';

// Request and response shapes of the platform API. The server validates with them, the
// OpenAPI document is generated from them and the web client is typed by them.

export const roleSchema = z.enum(ROLES);
export const secrecySchema = z.enum(SECRECY_LEVELS);
export const idParam = z.object({ id: z.string().min(1).max(64) });

export const pageQuery = {
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// Auth ------------------------------------------------------------------------------------

export const loginBody = z.strictObject({
  login: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const meSchema = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  roles: z.array(roleSchema),
  clearance: secrecySchema,
  mustChangePassword: z.boolean(),
  /** Actions this user may take, for showing menus; the server still checks each request. */
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof meSchema>;

export const sessionResponse = z.object({ user: meSchema, csrfToken: z.string().nullable() });

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword,
});

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;

export const createTokenBody = z.strictObject({
  name: plainName(100),
  expiresInDays: z.number().int().min(1).max(3650).nullish(),
});

export const createdTokenSchema = tokenSchema.extend({ token: z.string() });

// Organisation --------------------------------------------------------------------------

/** The company's own name (公司名称): on forms, the survey page and its e-mails. */
export const organisationSchema = z.object({
  /** As set by the administrator; null: not set. */
  name: z.string().nullable(),
  /** What is printed: the set name, else the only top-level department, else 客档. */
  effectiveName: z.string(),
});
export type Organisation = z.infer<typeof organisationSchema>;
export const putOrganisationBody = z.strictObject({ name: nameText(100).nullable() });

export const departmentSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  code: z.string().nullable(),
  sortOrder: z.number(),
  active: z.boolean(),
  userCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof departmentSchema>;

const departmentCode = z
  .string()
  .trim()
  .max(20)
  .refine((s) => s === '' || /^[A-Za-z0-9_-]+$/.test(s), { params: { key: 'code' } })
  .transform((s) => (s === '' ? null : s.toUpperCase()));

export const createDepartmentBody = z.strictObject({
  name: plainName(100),
  code: departmentCode.nullish().transform((v) => v ?? null),
  // Blank means "top level", as in the form.
  parentId: z
    .string()
    .max(64)
    .nullish()
    .transform((v) => v || null),
  sortOrder: z.number().int().min(0).max(100000).default(0),
});

export const updateDepartmentBody = z.strictObject({
  name: plainName(100).optional(),
  code: departmentCode.nullish(),
  parentId: z
    .string()
    .max(64)
    .nullish()
    .transform((v) => (v === '' ? null : v)),
  sortOrder: z.number().int().min(0).max(100000).optional(),
  active: z.boolean().optional(),
});

export const userSchema = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  roles: z.array(roleSchema),
  clearance: secrecySchema,
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

const email = z
  .string()
  .trim()
  .max(200)
  .refine((s) => s === '' || z.email().safeParse(s).success, { params: { key: 'email' } })
  .transform((s) => (s === '' ? null : s))
  .nullish()
  .transform((v) => v ?? null);

const phone = z
  .string()
  .trim()
  .max(40)
  .refine((s) => /^[0-9+\-() 转]*$/.test(s), { params: { key: 'phone' } })
  .transform((s) => (s === '' ? null : s))
  .nullish()
  .transform((v) => v ?? null);

export const createUserBody = z.strictObject({
  login: loginName,
  name: plainName(50),
  email,
  phone,
  departmentId: z.string().min(1).max(64),
  roles: z.array(roleSchema).min(1).max(ROLES.length),
  clearance: secrecySchema.default('normal'),
  /** Initial password; a random one is generated (and returned once) when absent. */
  password: newPassword.optional(),
});

export const updateUserBody = z.strictObject({
  name: plainName(50).optional(),
  email: email.optional(),
  phone: phone.optional(),
  departmentId: z.string().min(1).max(64).optional(),
  roles: z.array(roleSchema).min(1).max(ROLES.length).optional(),
  clearance: secrecySchema.optional(),
  active: z.boolean().optional(),
});

/** What everyone may know about a colleague: enough to pick an owner, successor or approver. */
export const directoryUserSchema = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const directoryQuery = z.object({
  q: z.string().trim().max(100).optional(),
  departmentId: z.string().max(64).optional(),
  ids: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const resetPasswordBody = z.strictObject({ password: newPassword.optional() });

export const listUsersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  departmentId: z.string().max(64).optional(),
  role: roleSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

// Calendar ------------------------------------------------------------------------------

const fromDate = dateField({ zh: '起始日期', en: 'The start date' });
const toDate = dateField({ zh: '截止日期', en: 'The end date' });

export const workingDaysQuery = z
  .object({
    from: fromDate,
    add: z.coerce.number().int().min(-3660).max(3660).optional(),
    to: toDate.optional(),
  })
  .refine((q) => (q.add === undefined) !== (q.to === undefined), {
    params: { key: 'add_or_to' },
    path: ['add'],
  });

export const dayInfoSchema = z.object({
  date: z.string(),
  working: z.boolean(),
  source: z.enum(['override', 'statutory', 'weekday']),
  holiday: z.string().nullable(),
  note: z.string().nullable(),
});
export type DayInfo = z.infer<typeof dayInfoSchema>;

export const daysQuery = z.object({ from: fromDate, to: toDate });

export const overrideSchema = z.object({
  date: z.string(),
  working: z.boolean(),
  note: z.string().nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type CalendarOverride = z.infer<typeof overrideSchema>;

export const putOverrideBody = z.strictObject({ working: z.boolean(), note: optionalText(200) });
export const dateParam = z.object({ date: isoDate });

// Audit ---------------------------------------------------------------------------------

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorLogin: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable(),
  secrecy: secrecySchema,
  ip: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  /** For what the system did after a person's action (`details.triggeredBy`): that person, with
   * their name now, so that the page can say 「系统（由 张三 触发）」. */
  triggeredBy: z.object({ id: z.string(), login: z.string(), name: z.string() }).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuery = z.object({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(64).optional(),
  /** Matches the target's id or its label (login, name, code) exactly. */
  target: z.string().trim().max(200).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: fromDate.optional(),
  to: toDate.optional(),
  ...pageQuery,
});

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number(),
  headSeq: z.number(),
  headHash: z.string(),
  firstBroken: z
    .object({
      seq: z.number(),
      /** missing: deleted; edited: content changed; relinked: reordered or a predecessor
       * rewritten; truncated: entries from here on removed; rewritten: differs from the copy
       * of the head kept outside the table (anchor). */
      reason: z.enum(['missing', 'edited', 'relinked', 'truncated', 'rewritten']),
      at: z.string().nullable(),
      action: z.string().nullable(),
      anchor: z.object({ seq: z.number(), at: z.string(), source: z.string() }).optional(),
    })
    .nullable(),
  /** Entries an `audit.repair` entry accepted (written with a lone surrogate by an earlier version). */
  repaired: z.array(z.object({ seq: z.number(), by: z.number() })),
  /** Copies of the head kept outside the table that were compared. */
  anchors: z.number(),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;

// System --------------------------------------------------------------------------------

export const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
});
