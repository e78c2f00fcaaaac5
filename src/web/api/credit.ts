import type { z } from 'zod';
import type {
  admissionBody,
  balanceBody,
  CreditCard,
  CreditRegisterRow,
  CreditSettings,
  creditRequestBody,
  dangerReportBody,
  investigationBody,
} from '../../common/schemas/credit';
import { api, apiLanguage, type Query, queryString, upload } from './client';

// Typed calls of credit management and admission (R-A4).

export type BalanceInput = z.input<typeof balanceBody>;
export type InvestigationInput = z.input<typeof investigationBody>;
export type CreditRequestInput = z.input<typeof creditRequestBody>;
export type AdmissionInput = z.input<typeof admissionBody>;
export type DangerInput = z.input<typeof dangerReportBody>;
export type RegisterFilter = 'all' | 'limited' | 'near' | 'over' | 'at_risk' | 'suspended';
export interface RegisterQuery {
  filter?: RegisterFilter;
  q?: string;
  creditClass?: string;
}
export interface CreditApproval {
  type: 'limit' | 'class' | 'admission';
  id: string;
  customer: { id: string; name: string; archiveCode: string };
  summary: string;
  requestedBy: { id: string; name: string } | null;
  requestedAt: string;
}
export type BalanceImportResult = {
  dryRun: boolean;
  rows: number;
  imported: number;
  errors: { row: number; message: string }[];
};

const enc = encodeURIComponent;
const of = (id: string) => `/customers/${enc(id)}/credit`;
type Decision = { decision: 'approve' | 'reject'; comment?: string | null };

export const creditApi = {
  card: (customerId: string) => api.get<CreditCard>(of(customerId)),
  balance: (customerId: string, body: BalanceInput) =>
    api.post<CreditCard>(`${of(customerId)}/balances`, body),
  investigate: (customerId: string, body: InvestigationInput) =>
    api.post<CreditCard>(`${of(customerId)}/investigations`, body),
  attach: (investigationId: string, file: File) =>
    upload<{ id: string }>(
      `/credit/investigations/${enc(investigationId)}/files${queryString({ name: file.name })}`,
      file,
      undefined,
      true,
    ),
  fileUrl: (investigationId: string, fileId: string) =>
    `/api/credit/investigations/${enc(investigationId)}/files/${enc(fileId)}`,
  reportUrl: (investigationId: string) => `/api/credit/investigations/${enc(investigationId)}/report.pdf`,
  request: (customerId: string, body: CreditRequestInput) =>
    api.post<CreditCard>(`${of(customerId)}/requests`, body),
  decide: (requestId: string, body: Decision) =>
    api.post<CreditCard>(`/credit/requests/${enc(requestId)}/decision`, body),
  suspend: (customerId: string, suspended: boolean, reason: string) =>
    api.put<CreditCard>(`${of(customerId)}/suspension`, { suspended, reason }),
  admit: (customerId: string, body: AdmissionInput) =>
    api.post<CreditCard>(`${of(customerId)}/admissions`, body),
  decideAdmission: (admissionId: string, body: Decision) =>
    api.post<CreditCard>(`/credit/admissions/${enc(admissionId)}/decision`, body),
  cardUrl: (admissionId: string) => `/api/credit/admissions/${enc(admissionId)}/card.pdf`,
  danger: (customerId: string, body: DangerInput) =>
    api.post<CreditCard>(`${of(customerId)}/danger-reports`, body),
  register: (q: RegisterQuery, offset = 0, limit = 50) =>
    api.get<{ total: number; amountsVisible: boolean; items: CreditRegisterRow[] }>('/credit/register', {
      ...(q as Query),
      offset,
      limit,
    }),
  registerUrl: (q: RegisterQuery, format: 'xlsx' | 'csv') =>
    `/api/credit/register.${format}${queryString({ ...(q as Query), lang: apiLanguage() })}`,
  todo: () => api.get<{ limitRequests: number; classRequests: number; admissions: number }>('/credit/todo'),
  approvals: () => api.get<{ items: CreditApproval[] }>('/credit/approvals'),
  config: () => api.get<CreditSettings>('/credit/config'),
  saveConfig: (body: Partial<CreditSettings>) => api.put<CreditSettings>('/credit/config', body),
  importBalances: (file: File, dryRun: boolean) =>
    upload<BalanceImportResult>(`/credit/balances/import${queryString({ dryRun: String(dryRun) })}`, file),
};
