import type { z } from 'zod';
import type {
  cancelVisitBody,
  completeVisitBody,
  createVisitBody,
  listVisitsQuery,
  putVisitSettingsBody,
  updateVisitBody,
  VisitSettings,
  VisitTask,
  VisitTodo,
} from '../../common/schemas/visits';
import { api } from './client';
import type { Page } from './platform';

// Typed calls of the follow-up visits API (回访, R-V1, R-V2).

export type VisitQuery = Omit<z.input<typeof listVisitsQuery>, 'cursor' | 'limit'>;
export type CreateVisitInput = z.input<typeof createVisitBody>;
export type UpdateVisitInput = z.input<typeof updateVisitBody>;
export type CompleteVisitInput = z.input<typeof completeVisitBody>;
export type CancelVisitInput = z.input<typeof cancelVisitBody>;
export type VisitSettingsInput = z.input<typeof putVisitSettingsBody>;

const one = (id: string) => `/visits/${encodeURIComponent(id)}`;

export const visitsApi = {
  settings: () => api.get<VisitSettings>('/visits/settings'),
  putSettings: (body: VisitSettingsInput) => api.put<VisitSettings>('/visits/settings', body),
  todo: () => api.get<VisitTodo>('/visits/todo'),
  list: (query: VisitQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<VisitTask>>('/visits', { ...query, cursor, limit }),
  create: (body: CreateVisitInput) => api.post<VisitTask>('/visits', body),
  get: (id: string) => api.get<VisitTask>(one(id)),
  update: (id: string, body: UpdateVisitInput) => api.patch<VisitTask>(one(id), body),
  complete: (id: string, body: CompleteVisitInput) => api.post<VisitTask>(`${one(id)}/complete`, body),
  cancel: (id: string, body: CancelVisitInput) => api.post<VisitTask>(`${one(id)}/cancel`, body),
};
