import type { z } from 'zod';
import type { DocumentListItem } from '../../common/schemas/documents';
import type {
  createProjectBody,
  Project,
  ProjectIndex,
  updateProjectBody,
} from '../../common/schemas/projects';
import { api, apiLanguage, queryString } from './client';
import type { Page } from './platform';

// Typed calls of the 项目档案 API (seed 002).

export type CreateProjectInput = z.input<typeof createProjectBody>;
export type UpdateProjectInput = z.input<typeof updateProjectBody>;

const enc = encodeURIComponent;

export const projectsApi = {
  list: (customerId: string) => api.get<{ items: Project[] }>(`/customers/${enc(customerId)}/projects`),
  create: (customerId: string, body: CreateProjectInput) =>
    api.post<Project>(`/customers/${enc(customerId)}/projects`, body),
  index: (customerId: string) => api.get<ProjectIndex>(`/customers/${enc(customerId)}/project-index`),
  get: (id: string) => api.get<Project>(`/projects/${enc(id)}`),
  update: (id: string, body: UpdateProjectInput) => api.patch<Project>(`/projects/${enc(id)}`, body),
  close: (id: string, note?: string) => api.post<Project>(`/projects/${enc(id)}/close`, { note: note ?? '' }),
  reopen: (id: string) => api.post<Project>(`/projects/${enc(id)}/reopen`, {}),
  catalogue: (id: string, cursor?: string | null, limit = 50) =>
    api.get<Page<DocumentListItem>>(`/projects/${enc(id)}/catalogue`, { cursor, limit }),
  /** 归档文件目录 of the project: .xlsx, CSV UTF-8 or CSV GBK. */
  catalogueUrl: (id: string, format: 'xlsx' | 'csv' | 'csv-gbk') =>
    `/api/projects/${enc(id)}/catalogue.${format === 'xlsx' ? 'xlsx' : 'csv'}${queryString({
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
      lang: apiLanguage(),
    })}`,
};
