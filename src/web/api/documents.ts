import type { z } from 'zod';
import type { ObsoleteVersion, Register } from '../../common/documents';
import type {
  ArchiveCheck,
  Copy,
  Document,
  DocumentCategory,
  DocumentEvent,
  DocumentFile,
  DocumentListItem,
  DocumentSettings,
  DocumentTodo,
  distributeBody,
  listDocumentsQuery,
  newVersionBody,
  PendingApproval,
  putCategoryBody,
  registerDocumentBody,
  SecrecyChange,
  SecrecyReviews,
  secrecyChangeBody,
  updateDocumentBody,
  updateVersionBody,
} from '../../common/schemas/documents';
import type { Job } from '../../common/schemas/jobs';
import type { StandardCheck, StandardDue, StandardSettings } from '../../common/schemas/standard-checks';
import { api, apiLanguage, queryString, upload } from './client';
import type { Page } from './platform';

// Typed calls of the documents API (文件与档案).

export type DocumentQuery = Omit<z.input<typeof listDocumentsQuery>, 'cursor' | 'limit'>;
export type DocumentFilterQuery = Omit<DocumentQuery, 'order'>;
export type RegisterDocumentInput = z.input<typeof registerDocumentBody>;
export type UpdateDocumentInput = z.input<typeof updateDocumentBody>;
export type NewVersionInput = z.input<typeof newVersionBody>;
export type UpdateVersionInput = z.input<typeof updateVersionBody>;
export type CategoryInput = z.input<typeof putCategoryBody>;
export type DistributeInput = z.input<typeof distributeBody>;

const enc = encodeURIComponent;
const one = (id: string) => `/documents/${enc(id)}`;

export const documentsApi = {
  list: (query: DocumentQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<DocumentListItem>>('/documents', { ...query, cursor, limit }),
  count: (query: DocumentFilterQuery, signal?: AbortSignal) =>
    api.get<{ count: number }>('/documents/count', query, signal),
  get: (id: string) => api.get<Document>(one(id)),
  register: (body: RegisterDocumentInput) => api.post<Document>('/documents', body),
  update: (id: string, body: UpdateDocumentInput) => api.patch<Document>(one(id), body),
  /** Draws up a new version as a draft; nothing is superseded until `releaseVersion`. */
  newVersion: (id: string, body: NewVersionInput) => api.post<Document>(`${one(id)}/versions`, body),
  correctVersion: (id: string, versionId: string, body: UpdateVersionInput) =>
    api.patch<Document>(`${one(id)}/versions/${enc(versionId)}`, body),
  /** Makes a draft current; `recallCopyIds` are the copies the person confirmed to recall. */
  releaseVersion: (id: string, versionId: string, recallCopyIds: string[]) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/release`, { recallCopyIds }),
  withdrawVersion: (id: string, versionId: string, reason: string) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/withdraw`, { reason }),
  /** Takes a file out of a draft, or of the current version before it was distributed. */
  removeFile: (id: string, fileId: string) => api.delete<Document>(`${one(id)}/files/${enc(fileId)}`),
  obsolete: (id: string, reason: string) => api.post<Document>(`${one(id)}/obsolete`, { reason }),
  events: (id: string) => api.get<DocumentEvent[]>(`${one(id)}/events`),
  /** Files the record: it gets its 档号. */
  file: (id: string) => api.post<Document>(`${one(id)}/file`),
  archiveCheck: () => api.get<ArchiveCheck>('/documents/archive-check'),
  copies: (id: string) => api.get<Copy[]>(`${one(id)}/copies`),
  distribute: (id: string, body: DistributeInput) => api.post<Copy[]>(`${one(id)}/copies`, body),
  recall: (id: string, copyId: string, note: string) =>
    api.post<Copy>(`${one(id)}/copies/${enc(copyId)}/recall`, { note }),
  recalls: () => api.get<Copy[]>('/documents/recalls'),
  /** 待回收副本 as .xlsx or CSV (UTF-8, or GBK). */
  recallsExportUrl: (format: 'xlsx' | 'csv' | 'csv-gbk') =>
    `/api/documents/recalls.${format === 'xlsx' ? 'xlsx' : 'csv'}${queryString({
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
    })}`,
  /** 文件发放/回收登记表 (PDF) of a document's copies. */
  copiesFormUrl: (id: string) => `/api${one(id)}/copies/register.pdf`,
  /** 档案移交清单 (PDF) of chosen filed records. */
  transferListUrl: (ids: string[]) =>
    `/api/documents/transfer-list.pdf${queryString({ ids: ids.join(',') })}`,
  /** 编制/审核/会签/批准/退回 of a version of an internal document under approval. */
  submitVersion: (id: string, versionId: string) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/submit`),
  reviewVersion: (id: string, versionId: string) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/review`),
  countersignVersion: (id: string, versionId: string, departmentId: string) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/countersign`, { departmentId }),
  approveVersion: (id: string, versionId: string, effectiveDate: string) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/approve`, { effectiveDate }),
  returnVersion: (id: string, versionId: string, reason: string) =>
    api.post<Document>(`${one(id)}/versions/${enc(versionId)}/return`, { reason }),
  pendingApprovals: () => api.get<PendingApproval[]>('/documents/approvals/pending'),
  /** 我的待办 counts: versions to sign, copies to sign for, standards to check (查新). */
  todo: () => api.get<DocumentTodo>('/documents/todo'),
  /** 谁接收谁签字: the recipient signs for a copy, and signs it back when it is recalled. */
  acknowledge: (id: string, copyId: string) => api.post<Copy>(`${one(id)}/copies/${enc(copyId)}/acknowledge`),
  signReturn: (id: string, copyId: string) => api.post<Copy>(`${one(id)}/copies/${enc(copyId)}/return-sign`),
  unsignedCopies: () => api.get<Copy[]>('/documents/copies/unsigned'),
  /** The archivist records a paper copy's scanned signed receipt (or return) with who signed when. */
  recordScan: (
    id: string,
    copyId: string,
    kind: 'receipt' | 'return',
    signedBy: string,
    signedOn: string,
    file: File,
  ) =>
    upload<Copy>(
      `${one(id)}/copies/${enc(copyId)}/scans${queryString({ name: file.name, kind, signedBy, signedOn })}`,
      file,
      undefined,
      true,
    ),
  scanUrl: (id: string, copyId: string, kind: 'receipt' | 'return') =>
    `/api${one(id)}/copies/${enc(copyId)}/scans/${kind}`,
  copyRegisterUrl: (format: 'xlsx' | 'csv', unacknowledged = false) =>
    `/api/documents/copies/register.${format}${unacknowledged ? '?unacknowledged=true' : ''}`,
  /** A stamped PDF: the reader's own 只供参考 copy, or with `copyId` a distributed copy. */
  stampedUrl: (id: string, fileId: string, copyId?: string) =>
    `/api${one(id)}/files/${enc(fileId)}/stamped${queryString({ copyId })}`,
  /** The register as .xlsx or CSV (UTF-8, or GBK), downloaded with the session cookie. */
  registerUrl: (
    register: Register,
    query: DocumentFilterQuery = {},
    withObsolete = false,
    format: 'xlsx' | 'csv' | 'csv-gbk' = 'xlsx',
  ) =>
    `/api/documents/registers/${register}.${format === 'xlsx' ? 'xlsx' : 'csv'}${queryString({
      ...query,
      obsolete: withObsolete ? 'true' : undefined,
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
      lang: apiLanguage(),
    })}`,
  obsoleteVersions: (ids: string[]) =>
    api.get<Record<string, ObsoleteVersion[]>>('/documents/obsolete-versions', { ids: ids.join(',') }),
  /** Into the current version (or the given draft), with upload progress. */
  upload: (id: string, file: File, onProgress?: (percent: number) => void, versionId?: string) =>
    upload<DocumentFile>(
      `${one(id)}/files${queryString({ name: file.name, versionId })}`,
      file,
      onProgress,
      true,
    ),
  /** Attaches the customer's signed authorisation (R-D5): the file with its signatory and date. */
  attachAuthorization: (
    id: string,
    file: File,
    signedBy: string,
    signedOn: string,
    onProgress?: (percent: number) => void,
  ) =>
    upload<Document>(
      `${one(id)}/authorization${queryString({ name: file.name, signedBy, signedOn })}`,
      file,
      onProgress,
      true,
    ),
  authorizationUrl: (id: string) => `/api${one(id)}/authorization/content`,
  /** 密级变更/解除 (R-P10). */
  secrecyChanges: (id: string) => api.get<SecrecyChange[]>(`${one(id)}/secrecy-changes`),
  requestSecrecyChange: (id: string, body: z.input<typeof secrecyChangeBody>) =>
    api.post<SecrecyChange>(`${one(id)}/secrecy-changes`, body),
  decideSecrecyChange: (id: string, changeId: string, approve: boolean, note: string) =>
    api.post<SecrecyChange>(`${one(id)}/secrecy-changes/${enc(changeId)}/decide`, { approve, note }),
  withdrawSecrecyChange: (id: string, changeId: string) =>
    api.post<SecrecyChange>(`${one(id)}/secrecy-changes/${enc(changeId)}/withdraw`),
  secrecyFormUrl: (id: string, changeId: string) =>
    `/api${one(id)}/secrecy-changes/${enc(changeId)}/form.pdf`,
  /** The 解密/降密 review list (R-P10). */
  secrecyReviews: () => api.get<SecrecyReviews>('/documents/secrecy-reviews'),
  secrecyReviewsUrl: (format: 'xlsx' | 'csv') =>
    `/api/documents/secrecy-reviews/export${queryString({ format, lang: apiLanguage() })}`,
  /** The file itself; `inline` previews PDFs and images in the browser. */
  fileUrl: (id: string, fileId: string, inline = false) =>
    `/api${one(id)}/files/${enc(fileId)}/content${queryString({ inline: inline ? 'true' : undefined })}`,
};

export const documentConfigApi = {
  categories: () => api.get<DocumentCategory[]>('/document-config/categories'),
  settings: () => api.get<DocumentSettings>('/document-config/settings'),
  putSettings: (body: Partial<DocumentSettings>) =>
    api.put<DocumentSettings>('/document-config/settings', body),
  putCategory: (code: string, body: CategoryInput) =>
    api.put<DocumentCategory>(`/document-config/categories/${enc(code)}`, body),
};

/** Importing a register kept in Excel (.xlsx/.csv): dry run, import, error sheet. */
export const registerImportApi = {
  start: (
    register: Register,
    category: string | undefined,
    file: File,
    dryRun: boolean,
    onProgress?: (percent: number) => void,
  ) =>
    upload<{ job: Job }>(
      `/documents/registers/${register}/imports${queryString({ dryRun, category })}`,
      file,
      onProgress,
    ),
  commit: (jobId: string) =>
    api.post<{ job: Job }>(`/documents/register-imports/${encodeURIComponent(jobId)}/commit`),
  errorsUrl: (jobId: string) =>
    `/api/documents/register-imports/${encodeURIComponent(jobId)}/errors.xlsx${queryString({ lang: apiLanguage() })}`,
};

/** 查新: standards and laws due for a currency check, the checks and their export. */
export type StandardDueQuery = { departmentId?: string; view?: 'due' | 'all' };
const csvFormat = (format: 'xlsx' | 'csv' | 'csv-gbk') => (format === 'xlsx' ? 'xlsx' : 'csv');
export const standardChecksApi = {
  due: (query: StandardDueQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<StandardDue>>('/documents/standard-checks/due', { ...query, cursor, limit }),
  checks: (query: { documentId?: string }, cursor?: string | null, limit = 50) =>
    api.get<Page<StandardCheck>>('/documents/standard-checks', { ...query, cursor, limit }),
  confirm: (id: string, body: { checkedOn: string; note: string | null }) =>
    api.post<StandardCheck>(`/documents/${encodeURIComponent(id)}/standard-checks`, body),
  /** 查新记录 export. */
  exportUrl: (format: 'xlsx' | 'csv' | 'csv-gbk') =>
    `/api/documents/standard-checks.${csvFormat(format)}${queryString({
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
      lang: apiLanguage(),
    })}`,
  /** 查新清单 export, with the list's filter. */
  dueExportUrl: (query: StandardDueQuery, format: 'xlsx' | 'csv' | 'csv-gbk') =>
    `/api/documents/standard-checks/due.${csvFormat(format)}${queryString({
      ...query,
      encoding: format === 'csv-gbk' ? 'gbk' : undefined,
      lang: apiLanguage(),
    })}`,
  settings: () => api.get<StandardSettings>('/document-config/standard-checks'),
  putSettings: (body: StandardSettings) =>
    api.put<StandardSettings>('/document-config/standard-checks', body),
};
