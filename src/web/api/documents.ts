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
  distributeBody,
  listDocumentsQuery,
  newVersionBody,
  putCategoryBody,
  registerDocumentBody,
  updateDocumentBody,
  updateVersionBody,
} from '../../common/schemas/documents';
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
  /** A stamped PDF: the reader's own 只供参考 copy, or with `copyId` a distributed copy. */
  stampedUrl: (id: string, fileId: string, copyId?: string) =>
    `/api${one(id)}/files/${enc(fileId)}/stamped${queryString({ copyId })}`,
  /** The register as .xlsx, downloaded by the browser with the session cookie. */
  registerUrl: (register: Register, query: DocumentFilterQuery = {}, withObsolete = false) =>
    `/api/documents/registers/${register}.xlsx${queryString({
      ...query,
      obsolete: withObsolete ? 'true' : undefined,
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
