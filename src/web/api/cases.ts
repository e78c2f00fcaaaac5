import type { z } from 'zod';
import type { CaseKind } from '../../common/cases';
import type { CaseStats, caseStatsQuery } from '../../common/schemas/case-stats';
import type {
  Case,
  CaseSettings,
  CaseSummary,
  CaseTodo,
  caseCountsSchema,
  caseFileSchema,
  caseTypeSchema,
  createCaseBody,
  dispatchBody,
  investigationBody,
  listCasesQuery,
  putCaseSettingsBody,
  putCaseTypeBody,
  replyBody,
  revisitBody,
  triageBody,
  updateCaseBody,
} from '../../common/schemas/cases';
import { api, type Query, queryString, upload } from './client';
import type { Page } from './platform';

// Typed calls of the complaints and service requests API (投诉与服务, R-Q1 … R-Q7).

export type CaseQuery = Omit<z.input<typeof listCasesQuery>, 'cursor' | 'limit'>;
export type CaseCounts = z.output<typeof caseCountsSchema>;
export type CaseType = z.output<typeof caseTypeSchema>;
export type CaseFile = z.output<typeof caseFileSchema>;
export type CreateCaseInput = z.input<typeof createCaseBody>;
export type UpdateCaseInput = z.input<typeof updateCaseBody>;
export type TriageInput = z.input<typeof triageBody>;
export type DispatchInput = z.input<typeof dispatchBody>;
export type InvestigationInput = z.input<typeof investigationBody>;
export type ReplyInput = z.input<typeof replyBody>;
export type RevisitInput = z.input<typeof revisitBody>;
export type CaseSettingsInput = z.input<typeof putCaseSettingsBody>;
export type CaseTypeInput = z.input<typeof putCaseTypeBody>;
export type CaseStatsQuery = z.input<typeof caseStatsQuery>;
/** 服务登记簿 (every case) or 投诉处理追踪表 (open cases with their clocks). */
export type CaseRegister = 'register' | 'tracking';

const enc = encodeURIComponent;
const one = (id: string) => `/cases/${enc(id)}`;

export const casesApi = {
  settings: () => api.get<CaseSettings>('/cases/settings'),
  putSettings: (body: CaseSettingsInput) => api.put<CaseSettings>('/cases/settings', body),
  types: () => api.get<CaseType[]>('/cases/types'),
  putType: (kind: CaseKind, code: string, body: CaseTypeInput) =>
    api.put<CaseType[]>(`/cases/types/${enc(kind)}/${enc(code)}`, body),
  todo: () => api.get<CaseTodo>('/cases/todo'),
  counts: (query: Omit<CaseQuery, 'status'>, signal?: AbortSignal) =>
    api.get<CaseCounts>('/cases/counts', query, signal),
  list: (query: CaseQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<CaseSummary>>('/cases', { ...query, cursor, limit }),
  create: (body: CreateCaseInput) => api.post<Case>('/cases', body),
  get: (id: string) => api.get<Case>(one(id)),
  update: (id: string, body: UpdateCaseInput) => api.patch<Case>(one(id), body),
  triage: (id: string, body: TriageInput) => api.post<Case>(`${one(id)}/triage`, body),
  dispatch: (id: string, body: DispatchInput) => api.post<Case>(`${one(id)}/dispatch`, body),
  start: (id: string) => api.post<Case>(`${one(id)}/start`),
  investigation: (id: string, body: InvestigationInput) => api.put<Case>(`${one(id)}/investigation`, body),
  resolve: (id: string) => api.post<Case>(`${one(id)}/resolve`),
  reply: (id: string, body: ReplyInput) => api.post<Case>(`${one(id)}/reply`, body),
  revisit: (id: string, body: RevisitInput) => api.post<Case>(`${one(id)}/revisit`, body),
  upload: (id: string, file: File, onProgress?: (percent: number) => void) =>
    upload<CaseFile>(`${one(id)}/files${queryString({ name: file.name })}`, file, onProgress, true),
  fileUrl: (id: string, fileId: string) => `/api${one(id)}/files/${enc(fileId)}`,
  /** 投诉统计 (R-Q6): every number with the list filter behind it. */
  stats: (query: CaseStatsQuery, signal?: AbortSignal) =>
    api.get<CaseStats>('/cases/stats', query as Query, signal),
  /** 客户投诉报表 .xlsx with the same filters. */
  statsXlsxUrl: (query: CaseStatsQuery) => `/api/cases/stats.xlsx${queryString(query as Query)}`,
  /** The registers take the list's filters (the tracking list has no status: it is the open cases). */
  registerUrl: (register: CaseRegister, format: 'xlsx' | 'csv', query: CaseQuery) => {
    const { status, ...rest } = query;
    const q = register === 'tracking' ? rest : { ...rest, status };
    return `/api/cases/${register}.${format}${queryString(q as Query)}`;
  },
  /** 8D 报告 and 客户投诉记录表 as PDF. */
  pdfUrl: (id: string, which: '8d' | 'record') => `/api${one(id)}/${which}.pdf`,
};
