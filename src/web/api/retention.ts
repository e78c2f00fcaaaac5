import type { z } from 'zod';
import type { DirectoryUser } from '../../common/schemas/platform';
import type {
  Appraisal,
  AppraisalSummary,
  createAppraisalBody,
  Disposal,
  DisposalCandidate,
  DisposalSummary,
  DueFilter,
  DueItem,
  Hold,
  OpinionsInput,
  PlaceHoldInput,
  RetentionSettings,
  RetentionTasks,
} from '../../common/schemas/retention';
import { api, apiLanguage, queryString } from './client';
import type { Page } from './platform';

// Typed calls of the retention API (保管期限、鉴定、销毁、冻结).

export type DueQuery = Partial<DueFilter>;
export type CreateAppraisalInput = z.input<typeof createAppraisalBody>;

const enc = encodeURIComponent;

export const retentionApi = {
  tasks: () => api.get<RetentionTasks>('/retention/my-tasks'),
  due: (query: DueQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<DueItem>>('/retention/due', { ...query, cursor, limit }),
  dueCount: (query: DueQuery, signal?: AbortSignal) =>
    api.get<{ count: number }>('/retention/due/count', query, signal),
  dueExportUrl: (query: DueQuery) =>
    `/api/retention/due.xlsx${queryString({ ...query, lang: apiLanguage() })}`,
  settings: () => api.get<RetentionSettings>('/retention/settings'),
  putSettings: (body: Partial<RetentionSettings>) => api.put<RetentionSettings>('/retention/settings', body),

  holds: (query: { active?: 'true' | 'false'; targetType?: Hold['targetType']; targetId?: string } = {}) =>
    api.get<Hold[]>('/holds', query),
  placeHold: (body: PlaceHoldInput) => api.post<Hold>('/holds', body),
  liftHold: (id: string, reason: string) => api.post<Hold>(`/holds/${enc(id)}/lift`, { reason }),

  appraisals: (cursor?: string | null, limit = 50) =>
    api.get<Page<AppraisalSummary>>('/appraisals', { cursor, limit }),
  appraisal: (id: string) => api.get<Appraisal>(`/appraisals/${enc(id)}`),
  createAppraisal: (body: CreateAppraisalInput) => api.post<Appraisal>('/appraisals', body),
  putOpinions: (id: string, body: OpinionsInput) =>
    api.put<Appraisal>(`/appraisals/${enc(id)}/opinions`, body),
  conclude: (id: string) => api.post<Appraisal>(`/appraisals/${enc(id)}/conclude`),

  candidates: () => api.get<DisposalCandidate[]>('/disposals/candidates'),
  disposals: (cursor?: string | null, limit = 50) =>
    api.get<Page<DisposalSummary>>('/disposals', { cursor, limit }),
  disposal: (id: string) => api.get<Disposal>(`/disposals/${enc(id)}`),
  /** Who may witness the register's destruction, by the rule destruction applies. */
  witnessCandidates: (id: string, q: string | undefined, signal?: AbortSignal) =>
    api.get<{ items: DirectoryUser[] }>(`/disposals/${enc(id)}/witness-candidates`, { q, limit: 30 }, signal),
  createDisposal: (body: { title: string; note?: string | null; itemIds: string[] }) =>
    api.post<Disposal>('/disposals', body),
  submit: (id: string) => api.post<Disposal>(`/disposals/${enc(id)}/submit`),
  removeItem: (id: string, itemId: string) =>
    api.delete<Disposal>(`/disposals/${enc(id)}/items/${enc(itemId)}`),
  sign: (id: string, decision: 'approve' | 'reject', opinion: string | null) =>
    api.post<Disposal>(`/disposals/${enc(id)}/signatures`, { decision, opinion }),
  destroy: (id: string, witnessIds: string[]) =>
    api.post<Disposal>(`/disposals/${enc(id)}/destroy`, { witnessIds }),
  witness: (id: string, checkedItemIds: string[]) =>
    api.post<Disposal>(`/disposals/${enc(id)}/witness`, { checkedItemIds }),
  registerUrl: (id: string, format: 'xlsx' | 'pdf') =>
    `/api/disposals/${enc(id)}/register.${format}${queryString({ lang: apiLanguage() })}`,
};
