import type { z } from 'zod';
import type { CorrectiveAction, createActionBody, sourceActionsSchema } from '../../common/schemas/actions';
import type {
  acknowledgeBody,
  Characteristic,
  CustomerSrList,
  characteristicBody,
  checkBody,
  createRequirementBody,
  Distribution,
  distributeBody,
  linkDocumentBody,
  listRequirementsQuery,
  noteBody,
  putSrSettingsBody,
  Requirement,
  RequirementSummary,
  reasonBody,
  requestReviewsBody,
  reviewBody,
  reviseListBody,
  SrCategory,
  SrCheck,
  SrConfig,
  SrSymbol,
  SrTodo,
  symbolBody,
  updateCharacteristicBody,
  updateRequirementBody,
  updateSymbolBody,
} from '../../common/schemas/special-requirements';
import { ApiError, api, apiLanguage, csrfToken, type Query, queryString } from './client';
import type { Page } from './platform';

// Typed calls of the customer special requirements API (顾客特殊要求, R-S1 … R-S5, R-D9).

export type SrQuery = Omit<z.input<typeof listRequirementsQuery>, 'cursor' | 'limit'>;
export type CreateRequirementInput = z.input<typeof createRequirementBody>;
export type UpdateRequirementInput = z.input<typeof updateRequirementBody>;
export type RequestReviewsInput = z.input<typeof requestReviewsBody>;
export type ReviewInput = z.input<typeof reviewBody>;
export type LinkDocumentInput = z.input<typeof linkDocumentBody>;
export type ReasonInput = z.input<typeof reasonBody>;
export type NoteInput = z.input<typeof noteBody>;
export type ReviseListInput = z.input<typeof reviseListBody>;
export type DistributeInput = z.input<typeof distributeBody>;
export type AcknowledgeInput = z.input<typeof acknowledgeBody>;
export type SymbolInput = z.input<typeof symbolBody>;
export type UpdateSymbolInput = z.input<typeof updateSymbolBody>;
export type CharacteristicInput = z.input<typeof characteristicBody>;
export type UpdateCharacteristicInput = z.input<typeof updateCharacteristicBody>;
export type CheckInput = z.input<typeof checkBody>;
export type RaiseSrActionInput = z.input<typeof createActionBody>;
export type SrActions = z.output<typeof sourceActionsSchema>;

// Answers the contract added after this branch started (src/common/schemas/special-requirements.ts
// on the backend branch: distributeResultSchema, myAcknowledgementSchema, symbolListSchema,
// characteristicListSchema, characteristicPartsSchema, srChecksSchema, checkResultSchema),
// written out here so that this branch compiles on its own; same shapes.
type PersonRef = { id: string; name: string } | null;
type DocRef = { id: string; title: string; docNumber: string | null };
export type DistributeResult = Distribution & {
  skipped: {
    user: { id: string; name: string };
    department: { id: string; name: string } | null;
    reason: 'clearance' | 'inactive';
  }[];
};
export interface MyAcknowledgement {
  distributionId: string;
  customer: { id: string; name: string; code: string };
  requirement: { id: string; number: string; title: string } | null;
  listRevision: number | null;
  ackKind: Distribution['ackKind'];
  note: string | null;
  distributedAt: string;
  distributedBy: PersonRef;
  remindedAt: string | null;
  workingDaysOpen: number;
}
export interface SymbolList {
  items: SrSymbol[];
  can: { manage: boolean };
}
export interface CharacteristicList {
  items: Characteristic[];
  nextCursor: string | null;
  can: { manage: boolean };
}
export interface SrChecks {
  customerId: string;
  nextCheckOn: string | null;
  lastCheckedOn: string | null;
  checkDue: boolean;
  checkOverdue: boolean;
  sources: { document: DocRef; registeredVersion: string | null; requirements: number }[];
  checks: SrCheck[];
  can: { check: boolean };
}
export type SrCheckResult = SrCheck & {
  nextCheckOn: string;
  needsNewVersion: (DocRef & { publishedVersion: string; registeredVersion: string | null })[];
};

const enc = encodeURIComponent;

/** PUT of a file as the raw request body (the house upload helper only POSTs). */
async function putFile<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': apiLanguage() === 'en' ? 'en' : 'zh-CN',
    'Content-Type': 'application/octet-stream',
  };
  const token = csrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  const response = await fetch(`/api${path}`, {
    method: 'PUT',
    headers,
    body: file,
    credentials: 'same-origin',
  });
  const data = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok) return data as T;
  throw new ApiError(
    response.status,
    typeof data?.code === 'string' ? data.code : 'http_error',
    typeof data?.title === 'string' ? data.title : `HTTP ${response.status}`,
    Array.isArray(data?.errors) ? (data.errors as []) : [],
  );
}
const one = (id: string) => `/special-requirements/${enc(id)}`;
const customer = (id: string) => `/customers/${enc(id)}`;
const distribution = (id: string) => `/special-requirements/distributions/${enc(id)}`;

export const srApi = {
  config: () => api.get<SrConfig>('/special-requirements/config'),
  putSettings: (body: z.input<typeof putSrSettingsBody>) =>
    api.put<SrConfig>('/special-requirements/settings', body),
  putCategory: (code: string, body: { label: string; active: boolean }) =>
    api.put<SrCategory[]>(`/special-requirements/categories/${enc(code)}`, body),
  todo: () => api.get<SrTodo>('/special-requirements/todo'),
  list: (query: SrQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<RequirementSummary>>('/special-requirements', { ...(query as Query), cursor, limit }),
  /** 顾客特殊要求清单 with the list's filters, the columns of the paper list. */
  exportUrl: (query: SrQuery, format: 'xlsx' | 'csv') =>
    `/api/special-requirements/export.${format}${queryString({ ...(query as Query), lang: apiLanguage() })}`,
  create: (body: CreateRequirementInput) => api.post<Requirement>('/special-requirements', body),
  get: (id: string) => api.get<Requirement>(one(id)),
  update: (id: string, body: UpdateRequirementInput) => api.patch<Requirement>(one(id), body),
  requestReviews: (id: string, body: RequestReviewsInput) =>
    api.post<Requirement>(`${one(id)}/reviews`, body),
  withdrawReview: (id: string, departmentId: string) =>
    api.delete<Requirement>(`${one(id)}/reviews/${enc(departmentId)}`),
  review: (id: string, departmentId: string, body: ReviewInput) =>
    api.put<Requirement>(`${one(id)}/reviews/${enc(departmentId)}`, body),
  link: (id: string, body: LinkDocumentInput) => api.post<Requirement>(`${one(id)}/links`, body),
  unlink: (id: string, linkId: string) => api.delete<Requirement>(`${one(id)}/links/${enc(linkId)}`),
  implemented: (id: string, body: NoteInput = {}) => api.post<Requirement>(`${one(id)}/implemented`, body),
  notApplicable: (id: string, body: ReasonInput) => api.post<Requirement>(`${one(id)}/not-applicable`, body),
  obsolete: (id: string, body: ReasonInput) => api.post<Requirement>(`${one(id)}/obsolete`, body),
  rechecked: (id: string, body: NoteInput) => api.post<Requirement>(`${one(id)}/rechecked`, body),
  informed: (id: string, body: NoteInput = {}) => api.post<Requirement>(`${one(id)}/informed`, body),
  actions: (id: string) => api.get<SrActions>(`${one(id)}/actions`),
  raiseAction: (id: string, body: RaiseSrActionInput) =>
    api.post<CorrectiveAction>(`${one(id)}/actions`, body),

  // The customer's list ------------------------------------------------------------------------
  ofCustomer: (customerId: string) => api.get<CustomerSrList>(`${customer(customerId)}/special-requirements`),
  /** The answer's shape is not in the contract yet: the list after the revision is assumed. */
  revise: (customerId: string, body: ReviseListInput) =>
    api.post<Partial<CustomerSrList> | null>(`${customer(customerId)}/special-requirements/revisions`, body),
  applicable: (customerId: string, partNumber?: string) =>
    api.get<{ items: RequirementSummary[] }>(`${customer(customerId)}/applicable-requirements`, {
      partNumber,
    }),

  // Communication (R-S3) ----------------------------------------------------------------------
  distribute: (body: DistributeInput) =>
    api.post<DistributeResult>('/special-requirements/distributions', body),
  /** Not in the contract's route list yet: the distributions of a customer's list. */
  distributions: (customerId: string) =>
    api.get<{ items: Distribution[] }>('/special-requirements/distributions', { customerId }),
  distribution: (id: string) => api.get<Distribution>(distribution(id)),
  acknowledge: (id: string, body: AcknowledgeInput) =>
    api.post<Distribution>(`${distribution(id)}/acknowledge`, body),
  remind: (id: string) => api.post<Distribution>(`${distribution(id)}/remind`),
  recordUrl: (id: string) => `/api${distribution(id)}/record.pdf${queryString({ lang: apiLanguage() })}`,
  /** The reader's open items (an array, or `{ items }` as the other lists answer). */
  myAcknowledgements: async () => {
    const r = await api.get<MyAcknowledgement[] | { items: MyAcknowledgement[] }>(
      '/special-requirements/acknowledgements/mine',
    );
    return Array.isArray(r) ? r : r.items;
  },

  // Yearly check (R-S5) -----------------------------------------------------------------------
  checks: (customerId: string) => api.get<SrChecks>(`${customer(customerId)}/sr-checks`),
  check: (customerId: string, body: CheckInput) =>
    api.post<SrCheckResult>(`${customer(customerId)}/sr-checks`, body),
};

/** Special characteristics and their symbols (R-S4). */
export const srCharApi = {
  symbols: (customerId: string) => api.get<SymbolList>(`${customer(customerId)}/sr-symbols`),
  createSymbol: (customerId: string, body: SymbolInput) =>
    api.post<SrSymbol>(`${customer(customerId)}/sr-symbols`, body),
  updateSymbol: (id: string, body: UpdateSymbolInput) => api.patch<SrSymbol>(`/sr-symbols/${enc(id)}`, body),
  /** Deactivates the symbol (characteristics keep it). */
  deactivateSymbol: (id: string) => api.delete<SrSymbol>(`/sr-symbols/${enc(id)}`),
  /** Back to the drawn shape. */
  clearImage: (id: string) => api.delete<SrSymbol>(`/sr-symbols/${enc(id)}/image`),
  /** The customer's own image, PNG or SVG, sent as the request body. */
  uploadImage: (id: string, file: File) =>
    putFile<SrSymbol>(`/sr-symbols/${enc(id)}/image${queryString({ name: file.name })}`, file),
  imageUrl: (id: string) => `/api/sr-symbols/${enc(id)}/image`,
  characteristics: (customerId: string, partNumber?: string, cursor?: string | null, limit = 100) =>
    api.get<CharacteristicList>(`${customer(customerId)}/characteristics`, { partNumber, cursor, limit }),
  parts: (customerId: string) =>
    api.get<{ items: { partNumber: string; count: number }[] }>(
      `${customer(customerId)}/characteristics/parts`,
    ),
  createCharacteristic: (customerId: string, body: CharacteristicInput) =>
    api.post<Characteristic>(`${customer(customerId)}/characteristics`, body),
  updateCharacteristic: (id: string, body: UpdateCharacteristicInput) =>
    api.patch<Characteristic>(`/characteristics/${enc(id)}`, body),
  deleteCharacteristic: (id: string) => api.delete<void>(`/characteristics/${enc(id)}`),
  exportUrl: (customerId: string, format: 'xlsx' | 'pdf', partNumber?: string) =>
    `/api${customer(customerId)}/characteristics/export.${format}${queryString({ partNumber, lang: apiLanguage() })}`,
};
