import { z } from 'zod';
import { RETENTION_CODE } from '../documents.js';
import { dateField, nameText, optionalText } from '../validation.js';

// 项目档案 (seed 002: 同一客户的不同项目档案应分别整理，但需建立关联索引): projects inside a customer
// archive, each with its own catalogue, and the archive's 关联索引 across them.

export const PROJECT_STATUSES = ['active', 'closed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_LABELS = {
  active: { zh: '进行中', en: 'Active' },
  closed: { zh: '已关闭', en: 'Closed' },
} as const;

const projectDate = (zh: string, en: string) =>
  dateField({ zh, en })
    .nullish()
    .transform((v) => v ?? null);

const projectCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((s) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s), { params: { key: 'project_code' } });

const projectFields = {
  name: nameText(200),
  /** Unique within the archive (项目编号). */
  code: projectCode,
  startDate: projectDate('开始日期', 'Start date'),
  endDate: projectDate('结束日期', 'End date'),
  /** The responsible employee (项目负责人). */
  ownerId: z.string().max(64).nullish(),
  /** A retention code of the document settings (保管期限). */
  retention: z
    .string()
    .trim()
    .toUpperCase()
    .refine((s) => RETENTION_CODE.test(s), { params: { key: 'retention' } })
    .nullish(),
  remarks: optionalText(2000),
};

export const createProjectBody = z.strictObject(projectFields);
export type CreateProjectInput = z.output<typeof createProjectBody>;
export const updateProjectBody = z.strictObject(projectFields).partial();
export type UpdateProjectInput = z.output<typeof updateProjectBody>;
export const projectStatusBody = z.strictObject({ note: optionalText(500) });

export const projectSchema = z.object({
  id: z.string(),
  customer: z.object({ id: z.string(), archiveCode: z.string(), name: z.string() }),
  name: z.string(),
  code: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  retention: z.string().nullable(),
  status: z.enum(PROJECT_STATUSES),
  remarks: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the reader may do, for showing buttons; every request is still checked. */
  can: z.object({ update: z.boolean() }),
});
export type Project = z.infer<typeof projectSchema>;

const counts = z.object({
  documents: z.number(),
  orders: z.number(),
  requirements: z.number(),
  cases: z.number(),
});

/** 关联索引: per project what is linked to it (only what the reader may see is counted), and
 * what of the archive is linked to no project. */
export const projectIndexSchema = z.object({
  projects: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      status: z.enum(PROJECT_STATUSES),
      counts,
    }),
  ),
  unlinked: counts,
});
export type ProjectIndex = z.infer<typeof projectIndexSchema>;
