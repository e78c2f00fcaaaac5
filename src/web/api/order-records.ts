import type { OrderFileKind } from '../../common/orders';
import type { OrderFile, OrderFiles } from '../../common/schemas/orders';
import { api, queryString, upload } from './client';

// The review record (评审记录表) and the attachments of an order.

const enc = encodeURIComponent;
const one = (id: string) => `/orders/${enc(id)}`;

export const orderRecordsApi = {
  files: (id: string) => api.get<OrderFiles>(`${one(id)}/files`),
  upload: (
    id: string,
    file: File,
    kind: OrderFileKind,
    departmentId?: string | null,
    onProgress?: (percent: number) => void,
  ) =>
    upload<OrderFile>(
      `${one(id)}/files${queryString({ kind, name: file.name, departmentId: departmentId ?? undefined })}`,
      file,
      onProgress,
      true,
    ),
  fileUrl: (id: string, fileId: string) => `/api${one(id)}/files/${enc(fileId)}`,
  recordUrl: (id: string) => `/api${one(id)}/review-record.pdf`,
};
