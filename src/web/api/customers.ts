import type { z } from 'zod';
import type {
  CheckReport,
  Contact,
  Customer,
  CustomerConfig,
  CustomerListItem,
  CustomerSettings,
  CustomField,
  contactBody,
  createCustomerBody,
  customFieldBody,
  duplicateGroupSchema,
  Grant,
  grantBody,
  Handover,
  HandoverPreview,
  HistoryEntry,
  handoverBody,
  Interaction,
  interactionBody,
  Lookup,
  listCustomersQuery,
  putCustomerSettingsBody,
  putLookupBody,
  TimelineItem,
  updateContactBody,
  updateCustomerBody,
  updateCustomFieldBody,
} from '../../common/schemas/customers';
import type { Job } from '../../common/schemas/jobs';
import type { DirectoryUser } from '../../common/schemas/platform';
import { api, apiLanguage, queryString, upload } from './client';
import type { Page } from './platform';

// Typed calls of the customer archive API (客户档案). Request types are the zod schemas'
// input types, as in platform.ts.

export type CustomerQuery = Omit<z.input<typeof listCustomersQuery>, 'cursor' | 'limit'>;
export type CustomerFilterQuery = Omit<CustomerQuery, 'sort' | 'order'>;
export type CreateCustomerInput = z.input<typeof createCustomerBody>;
export type UpdateCustomerInput = z.input<typeof updateCustomerBody>;
export type ContactInput = z.input<typeof contactBody>;
export type UpdateContactInput = z.input<typeof updateContactBody>;
export type InteractionInput = z.input<typeof interactionBody>;
export type GrantInput = z.input<typeof grantBody>;
export type HandoverInput = z.input<typeof handoverBody>;
export type DuplicateGroup = z.output<typeof duplicateGroupSchema>;
export type LookupInput = z.input<typeof putLookupBody>;
export type CustomFieldInput = z.input<typeof customFieldBody>;
export type UpdateCustomFieldInput = z.input<typeof updateCustomFieldBody>;
export type SettingsInput = z.input<typeof putCustomerSettingsBody>;

const enc = encodeURIComponent;
const one = (id: string) => `/customers/${enc(id)}`;

export const customersApi = {
  list: (query: CustomerQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<CustomerListItem>>('/customers', { ...query, cursor, limit }),
  count: (query: CustomerFilterQuery, signal?: AbortSignal) =>
    api.get<{ count: number }>('/customers/count', query, signal),
  /** A URL the browser downloads with the session cookie (客户档案一览表.xlsx). */
  exportUrl: (query: CustomerFilterQuery) =>
    `/api/customers/export.xlsx${queryString({ ...query, lang: apiLanguage() })}`,
  /** The periodic check, every row, one sheet per section. */
  checkExportUrl: (staleMonths: number) =>
    `/api/customers/check.xlsx${queryString({ staleMonths, lang: apiLanguage() })}`,
  get: (id: string) => api.get<Customer>(one(id)),
  create: (body: CreateCustomerInput) => api.post<Customer>('/customers', body),
  update: (id: string, body: UpdateCustomerInput) => api.patch<Customer>(one(id), body),
  file: (id: string) => api.post<Customer>(`${one(id)}/file`),
  approveFiling: (id: string) => api.post<Customer>(`${one(id)}/filing/approve`),
  returnFiling: (id: string, reason: string) => api.post<Customer>(`${one(id)}/filing/return`, { reason }),
  filingTodo: () => api.get<{ pending: number }>('/customers/filing/todo'),
  deactivate: (id: string, note: string | null) => api.post<Customer>(`${one(id)}/deactivate`, { note }),
  reactivate: (id: string, note: string | null) => api.post<Customer>(`${one(id)}/reactivate`, { note }),
  /** Merges `sourceId` into `targetId` (the survivor). */
  merge: (targetId: string, sourceId: string, note: string | null) =>
    api.post<void>(`${one(targetId)}/merge`, { sourceId, note }),

  contacts: (id: string) => api.get<{ items: Contact[] }>(`${one(id)}/contacts`),
  addContact: (id: string, body: ContactInput) => api.post<Contact>(`${one(id)}/contacts`, body),
  updateContact: (id: string, contactId: string, body: UpdateContactInput) =>
    api.patch<Contact>(`${one(id)}/contacts/${enc(contactId)}`, body),
  interactions: (id: string) => api.get<{ items: Interaction[] }>(`${one(id)}/interactions`),
  addInteraction: (id: string, body: InteractionInput) =>
    api.post<Interaction>(`${one(id)}/interactions`, body),
  history: (id: string, cursor?: string | null, limit = 50) =>
    api.get<Page<HistoryEntry>>(`${one(id)}/history`, { cursor, limit }),
  timeline: (id: string, cursor?: string | null, limit = 30) =>
    api.get<Page<TimelineItem>>(`${one(id)}/timeline`, { cursor, limit }),

  grants: (id: string) => api.get<{ items: Grant[] }>(`${one(id)}/grants`),
  grant: (id: string, body: GrantInput) => api.post<Grant>(`${one(id)}/grants`, body),
  revokeGrant: (id: string, grantId: string) => api.delete(`${one(id)}/grants/${enc(grantId)}`),

  duplicates: () => api.get<{ items: DuplicateGroup[] }>('/customers/duplicates'),
  handover: (body: HandoverInput) => api.post<Handover>('/customers/handover', body),
  handovers: () => api.get<{ items: Handover[] }>('/customers/handovers'),
  /** Everything the person is responsible for, including archives the reader may not open. */
  handoverPreview: (fromUserId: string, toUserIds: string[] = []) =>
    api.get<HandoverPreview>('/customers/handover/preview', {
      fromUserId,
      toUserIds: toUserIds.length ? toUserIds.join(',') : undefined,
    }),
  check: (staleMonths?: number, limit = 100) =>
    api.get<CheckReport>('/customers/check', { staleMonths, limit }),
};

export const customerConfigApi = {
  get: () => api.get<CustomerConfig>('/customer-config'),
  putSettings: (body: SettingsInput) => api.put<CustomerSettings>('/customer-config/settings', body),
  putLookup: (list: string, code: string, body: LookupInput) =>
    api.put<Lookup>(`/customer-config/lookups/${enc(list)}/${enc(code)}`, body),
  createField: (body: CustomFieldInput) => api.post<CustomField>('/customer-config/custom-fields', body),
  updateField: (id: string, body: UpdateCustomFieldInput) =>
    api.patch<CustomField>(`/customer-config/custom-fields/${enc(id)}`, body),
};

/** Active colleagues for pickers (GET /directory/users, open to every signed-in user). */
export const directoryApi = {
  users: (query: { q?: string; departmentId?: string; ids?: string; limit?: number }, signal?: AbortSignal) =>
    api.get<{ items: DirectoryUser[] }>('/directory/users', query, signal),
};

// Import (导入) ------------------------------------------------------------------------------------

export const importApi = {
  templateUrl: () => `/api/customers/import-template.xlsx${queryString({ lang: apiLanguage() })}`,
  start: (file: File, dryRun: boolean, onProgress?: (percent: number) => void) =>
    upload<{ job: Job }>(`/customers/imports${queryString({ dryRun })}`, file, onProgress),
  commit: (jobId: string) => api.post<{ job: Job }>(`/customers/imports/${enc(jobId)}/commit`),
  errorsUrl: (jobId: string) =>
    `/api/customers/imports/${enc(jobId)}/errors.xlsx${queryString({ lang: apiLanguage() })}`,
};

export const jobsApi = {
  get: (id: string) => api.get<Job>(`/jobs/${enc(id)}`),
};
