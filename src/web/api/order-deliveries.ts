import type { z } from 'zod';
import type {
  DelayedLine,
  DeliveryStats,
  delayBody,
  deliveryBody,
  deliveryStatsQuery,
  OrderDeliveries,
} from '../../common/schemas/order-deliveries';
import { api, apiLanguage, type Query, queryString, upload } from './client';
import type { Page } from './platform';

// Typed calls of deliveries, 准时交付率 and 掉期订单 (R-K5).

export type DeliveryInput = z.input<typeof deliveryBody>;
export type DelayInput = z.input<typeof delayBody>;
export type DeliveryStatsQuery = z.input<typeof deliveryStatsQuery>;
export type DeliveryImportResult = {
  dryRun: boolean;
  rows: number;
  imported: number;
  errors: { row: number; message: string }[];
};

const enc = encodeURIComponent;
const one = (id: string) => `/orders/${enc(id)}`;

export const deliveriesApi = {
  get: (orderId: string) => api.get<OrderDeliveries>(`${one(orderId)}/deliveries`),
  record: (orderId: string, body: DeliveryInput) =>
    api.post<OrderDeliveries>(`${one(orderId)}/deliveries`, body),
  remove: (orderId: string, deliveryId: string) =>
    api.delete<OrderDeliveries>(`${one(orderId)}/deliveries/${enc(deliveryId)}`),
  delay: (orderId: string, body: DelayInput) => api.post<OrderDeliveries>(`${one(orderId)}/delays`, body),
  stats: (q: DeliveryStatsQuery, signal?: AbortSignal) =>
    api.get<DeliveryStats>('/orders/delivery-stats', q as Query, signal),
  statsUrl: (q: DeliveryStatsQuery, format: 'xlsx' | 'csv') =>
    `/api/orders/delivery-stats.${format}${queryString({ ...(q as Query), lang: apiLanguage() })}`,
  delayed: (q: { customerId?: string }, cursor?: string | null, limit = 50) =>
    api.get<Page<DelayedLine>>('/orders/delayed', { ...q, cursor, limit }),
  delayedUrl: (q: { customerId?: string }, format: 'xlsx' | 'csv') =>
    `/api/orders/delayed.${format}${queryString({ ...q, lang: apiLanguage() })}`,
  importFile: (file: File, dryRun: boolean) =>
    upload<DeliveryImportResult>(`/orders/deliveries/import?dryRun=${dryRun}`, file),
};
