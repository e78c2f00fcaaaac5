import type { z } from 'zod';
import type {
  AccessRequest,
  CatalogueItem,
  createRequestBody,
  Incident,
  LendingSettings,
  Loan,
  RegisterRow,
  RequestSummary,
  Todo,
  ToIssue,
} from '../../common/schemas/lending';
import { api, apiLanguage, queryString, upload } from './client';
import type { Page } from './platform';

// Typed calls of the lending API (查阅、借阅).

export type CreateRequestInput = z.input<typeof createRequestBody>;
export type LoanState = 'out' | 'due_soon' | 'overdue' | 'returned';

const enc = encodeURIComponent;
const one = (id: string) => `/access-requests/${enc(id)}`;

export const lendingApi = {
  settings: () => api.get<LendingSettings>('/lending/settings'),
  putSettings: (body: Partial<LendingSettings>) => api.put<LendingSettings>('/lending/settings', body),
  catalogue: (q: string, type?: 'customer' | 'document') =>
    api.get<CatalogueItem[]>('/lending/catalogue', { q, type, limit: 20 }),
  todo: () => api.get<Todo>('/lending/todo'),
  uploadLetter: (file: File) =>
    upload<{ sha256: string; name: string }>(
      `/access-requests/letters${queryString({ name: file.name })}`,
      file,
      undefined,
      true,
    ),
  create: (body: CreateRequestInput) => api.post<AccessRequest>('/access-requests', body),
  list: (view: 'mine' | 'approvals' | 'all', cursor?: string | null, limit = 50) =>
    api.get<Page<RequestSummary>>('/access-requests', { view, cursor, limit }),
  get: (id: string) => api.get<AccessRequest>(one(id)),
  letterUrl: (id: string) => `/api${one(id)}/letter`,
  decide: (id: string, decision: 'approve' | 'reject' | 'return', comment: string | null) =>
    api.post<AccessRequest>(`${one(id)}/decisions`, { decision, comment }),
  withdraw: (id: string) => api.post<AccessRequest>(`${one(id)}/withdraw`),
  resubmit: (id: string, reason: string) => api.post<AccessRequest>(`${one(id)}/resubmit`, { reason }),
  renew: (id: string, days: number, reason: string) =>
    api.post<AccessRequest>(`${one(id)}/renewals`, { days, reason }),
  toIssue: () => api.get<ToIssue[]>('/loans/to-issue'),
  issue: (requestId: string, itemIds: string[], conditionOut: string, note: string | null) =>
    api.post<Loan[]>(`${one(requestId)}/loans`, { itemIds, conditionOut, note }),
  loans: (state: LoanState, cursor?: string | null, limit = 50) =>
    api.get<Page<Loan>>('/loans', { state, cursor, limit }),
  /** A tab of the desk (借出清单) as .xlsx or CSV (UTF-8, or GBK). */
  loansExportUrl: (state: LoanState, format: 'xlsx' | 'csv' | 'csv-gbk') =>
    `/api/loans.${format === 'xlsx' ? 'xlsx' : 'csv'}${queryString({
      state,
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
    })}`,
  receive: (loanId: string, condition: 'intact' | 'damaged' | 'lost', note: string | null) =>
    api.post<Loan>(`/loans/${enc(loanId)}/return`, { condition, note }),
  incidents: () => api.get<Incident[]>('/loans/incidents'),
  register: (
    query: { targetType?: 'customer' | 'document'; targetId?: string },
    cursor?: string | null,
    limit = 50,
  ) => api.get<Page<RegisterRow>>('/lending/register', { ...query, cursor, limit }),
  /** 借阅申请单 and 借阅登记表 as PDF. */
  requestFormUrl: (id: string) => `/api/access-requests/${encodeURIComponent(id)}/form.pdf`,
  registerPdfUrl: () => '/api/lending/register.pdf',
  registerExportUrl: (format: 'xlsx' | 'csv' | 'csv-gbk' = 'xlsx') =>
    `/api/lending/register.${format === 'xlsx' ? 'xlsx' : 'csv'}${queryString({
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
      lang: apiLanguage(),
    })}`,
};
