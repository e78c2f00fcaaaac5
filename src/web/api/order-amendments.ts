import type { z } from 'zod';
import type {
  amendmentBody,
  amendmentReviewBody,
  amendmentSignBody,
} from '../../common/schemas/order-amendments';
import type { Order } from '../../common/schemas/orders';
import { api } from './client';

// Typed calls of order amendments (合同更改, R-K4); each answers with the whole order.

export type AmendmentInput = z.input<typeof amendmentBody>;
export type AmendmentReviewInput = z.input<typeof amendmentReviewBody>;
export type AmendmentSignInput = z.input<typeof amendmentSignBody>;
export type OrderAmendment = Order['amendments'][number];
export type AmendmentReview = OrderAmendment['reviews'][number];

const enc = encodeURIComponent;
const one = (id: string, aid: string) => `/orders/${enc(id)}/amendments/${enc(aid)}`;

export const amendmentsApi = {
  propose: (id: string, body: AmendmentInput) => api.post<Order>(`/orders/${enc(id)}/amendments`, body),
  review: (id: string, aid: string, departmentId: string, body: AmendmentReviewInput) =>
    api.put<Order>(`${one(id, aid)}/reviews/${enc(departmentId)}`, body),
  sign: (id: string, aid: string, body: AmendmentSignInput) => api.post<Order>(`${one(id, aid)}/sign`, body),
  acknowledge: (id: string, aid: string) => api.post<Order>(`${one(id, aid)}/acknowledge`, {}),
};
