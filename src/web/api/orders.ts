import type { z } from 'zod';
import type { Job } from '../../common/schemas/jobs';
import type {
  approveBody,
  classOverrideBody,
  createOrderBody,
  listOrdersQuery,
  Order,
  OrderSettings,
  OrderSummary,
  orderReviewBody,
  orderSettingsBody,
  orderTodoSchema,
  updateOrderBody,
} from '../../common/schemas/orders';
import { api, apiLanguage, type Query, queryString, upload } from './client';
import type { Page } from './platform';

// Typed calls of the orders and contract review API (订单与合同评审, R-K1 … R-K3).

export type OrderQuery = Omit<z.input<typeof listOrdersQuery>, 'cursor' | 'limit'>;
export type CreateOrderInput = z.input<typeof createOrderBody>;
export type UpdateOrderInput = z.input<typeof updateOrderBody>;
export type ClassOverrideInput = z.input<typeof classOverrideBody>;
export type OrderReviewInput = z.input<typeof orderReviewBody>;
export type ApproveInput = z.input<typeof approveBody>;
export type OrderSettingsInput = z.input<typeof orderSettingsBody>;
export type OrderTodo = z.output<typeof orderTodoSchema>;
export type OrderReview = Order['reviews'][number];

const enc = encodeURIComponent;
const one = (id: string) => `/orders/${enc(id)}`;

export const ordersApi = {
  config: () => api.get<OrderSettings>('/orders/config'),
  putConfig: (body: OrderSettingsInput) => api.put<OrderSettings>('/orders/config', body),
  todo: () => api.get<OrderTodo>('/orders/todo'),
  list: (query: OrderQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<OrderSummary>>('/orders', { ...(query as Query), cursor, limit }),
  exportUrl: (query: OrderQuery, format: 'xlsx' | 'csv') =>
    `/api/orders/export.${format}${queryString({ ...(query as Query), lang: apiLanguage() })}`,
  create: (body: CreateOrderInput) => api.post<Order>('/orders', body),
  get: (id: string) => api.get<Order>(one(id)),
  update: (id: string, body: UpdateOrderInput) => api.patch<Order>(one(id), body),
  overrideClass: (id: string, body: ClassOverrideInput) => api.put<Order>(`${one(id)}/class`, body),
  submit: (id: string, note?: string | null) => api.post<Order>(`${one(id)}/submit`, { note: note ?? null }),
  review: (id: string, departmentId: string, body: OrderReviewInput) =>
    api.put<Order>(`${one(id)}/reviews/${enc(departmentId)}`, body),
  approve: (id: string, body: ApproveInput) => api.post<Order>(`${one(id)}/approve`, body),
  cancel: (id: string, reason: string) => api.post<Order>(`${one(id)}/cancel`, { reason }),
  withdraw: (id: string, note?: string | null) =>
    api.post<Order>(`${one(id)}/withdraw`, { note: note ?? null }),
};

/** Importing orders from an ERP export (.xlsx/.csv): template, dry run, import, error sheet. */
export const orderImportApi = {
  templateUrl: () => `/api/orders/import-template.xlsx${queryString({ lang: apiLanguage() })}`,
  start: (file: File, dryRun: boolean, onProgress?: (percent: number) => void) =>
    upload<{ job: Job }>(`/orders/imports${queryString({ dryRun })}`, file, onProgress),
  commit: (jobId: string) => api.post<{ job: Job }>(`/orders/imports/${enc(jobId)}/commit`),
  errorsUrl: (jobId: string) =>
    `/api/orders/imports/${enc(jobId)}/errors.xlsx${queryString({ lang: apiLanguage() })}`,
};
