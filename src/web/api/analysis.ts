import type { SalesImportKind } from '../../common/analysis';
import type {
  AbcResult,
  AbcRun,
  AnalysisSettings,
  Composition,
  ProductAnalysis,
  SalesImport,
  Seasonal,
} from '../../common/schemas/analysis';
import type { Job } from '../../common/schemas/jobs';
import { api, apiLanguage, type Query, queryString, upload } from './client';

// Typed calls of the customer analysis (R-A1 … R-A3, R-A5) and its imports.

const enc = encodeURIComponent;
const file = (path: string, q: Query, format: 'xlsx' | 'csv') =>
  `/api/analysis/${path}.${format}${queryString({ ...q, lang: apiLanguage() })}`;

export const analysisApi = {
  abc: (q: Query, signal?: AbortSignal) => api.get<AbcResult>('/analysis/abc', q, signal),
  abcUrl: (q: Query, format: 'xlsx' | 'csv') => file('abc', q, format),
  apply: (body: { from: string; to: string; category?: string | null }) =>
    api.post<AbcRun>('/analysis/abc/runs', body),
  runs: () => api.get<{ items: AbcRun[] }>('/analysis/abc/runs'),
  composition: (q: Query, signal?: AbortSignal) => api.get<Composition>('/analysis/composition', q, signal),
  compositionUrl: (q: Query, format: 'xlsx' | 'csv') => file('composition', q, format),
  seasonal: (q: Query, signal?: AbortSignal) => api.get<Seasonal>('/analysis/seasonal', q, signal),
  seasonalUrl: (q: Query, format: 'xlsx' | 'csv') => file('seasonal', q, format),
  products: (q: Query, signal?: AbortSignal) => api.get<ProductAnalysis>('/analysis/products', q, signal),
  productsUrl: (q: Query, format: 'xlsx' | 'csv') => file('products', q, format),
  settings: () => api.get<AnalysisSettings>('/analysis/settings'),
  saveSettings: (body: Partial<AnalysisSettings>) => api.put<AnalysisSettings>('/analysis/settings', body),
};

export const salesImportApi = {
  templateUrl: (kind: SalesImportKind) =>
    `/api/analysis/import-template.xlsx${queryString({ kind, lang: apiLanguage() })}`,
  start: (kind: SalesImportKind, file: File, dryRun: boolean, onProgress?: (percent: number) => void) =>
    upload<{ job: Job }>(`/analysis/imports${queryString({ kind, dryRun })}`, file, onProgress),
  commit: (jobId: string) => api.post<{ job: Job }>(`/analysis/imports/${enc(jobId)}/commit`),
  errorsUrl: (jobId: string) =>
    `/api/analysis/imports/${enc(jobId)}/errors.xlsx${queryString({ lang: apiLanguage() })}`,
  list: () => api.get<{ items: SalesImport[] }>('/analysis/imports'),
};
