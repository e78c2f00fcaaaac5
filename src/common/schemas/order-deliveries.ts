import { z } from 'zod';
import { DELAY_VIAS, DELIVERY_GROUPS, HOLIDAY_RULES, ON_TIME_BASES } from '../order-deliveries.js';
import { isoDate, optionalText, trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';

// Deliveries, on-time delivery and delayed orders (R-K5). Routes:
//   GET    /api/orders/:id/deliveries              per line: ordered, delivered, open, deliveries, delays
//   POST   /api/orders/:id/deliveries              record a delivery of a line (accepted orders)
//   DELETE /api/orders/:id/deliveries/:deliveryId  remove a wrong entry (audited)
//   POST   /api/orders/:id/delays                  record a delay (掉期) of a line
//   POST   /api/orders/deliveries/import           .xlsx of deliveries (dryRun; all or nothing)
//   GET    /api/orders/delivery-stats[.xlsx|.csv]  准时交付率 by month, customer, product, department
//   GET    /api/orders/delayed[.xlsx|.csv]         掉期订单跟踪表 / 每日订单评审 (oldest first)

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();

/** A delivered quantity: a positive decimal with at most 4 decimals. */
const quantityText = z
  .string()
  .trim()
  .refine((s) => /^\d{1,12}(\.\d{1,4})?$/.test(s) && Number(s) > 0, { params: { key: 'order_quantity' } });

export const deliveryBody = z.strictObject({
  lineId: id,
  deliveredOn: isoDate,
  quantity: quantityText,
  deliveryNoteNo: optionalText(64).optional(),
  remarks: optionalText(500).optional(),
  /** Deliberately deliver more than ordered (超交, agreed with the customer). */
  allowOverDelivery: z.boolean().optional(),
});
export type DeliveryInput = z.output<typeof deliveryBody>;

export const delayBody = z.strictObject({
  lineId: id,
  reason: trimmedText(500),
  newDate: isoDate,
  informedBy: optionalText(100).optional(),
  informedOn: isoDate.nullable().optional(),
  informedVia: z.enum(DELAY_VIAS).nullable().optional(),
});
export type DelayInput = z.output<typeof delayBody>;

export const deliverySchema = z.object({
  id: z.string(),
  lineId: z.string(),
  deliveredOn: z.string(),
  quantity: z.string(),
  deliveryNoteNo: z.string().nullable(),
  remarks: z.string().nullable(),
  createdAt: z.string(),
  createdBy: person,
});

export const delaySchema = z.object({
  id: z.string(),
  lineId: z.string(),
  promisedOn: z.string().nullable(),
  predicted: z.boolean(),
  reason: z.string(),
  newDate: z.string(),
  informedBy: z.string().nullable(),
  informedOn: z.string().nullable(),
  informedVia: z.enum(DELAY_VIAS).nullable(),
  createdAt: z.string(),
  createdBy: person,
});
export type Delay = z.infer<typeof delaySchema>;

export const lineDeliverySchema = z.object({
  lineId: z.string(),
  lineNo: z.number(),
  partNumber: z.string(),
  product: z.string(),
  unit: z.string(),
  quantity: z.string(),
  /** The promised date (the requested one while none is promised) and as the holiday rule counts it. */
  dueOn: z.string(),
  effectiveDueOn: z.string(),
  delivered: z.string(),
  open: z.string(),
  /** The date of the delivery that completed the line, if complete. */
  completedOn: z.string().nullable(),
  onTime: z.boolean().nullable(),
  delayed: z.boolean(),
  deliveries: z.array(deliverySchema),
  delays: z.array(delaySchema),
});
export const orderDeliveriesSchema = z.object({
  orderId: z.string(),
  status: z.string(),
  lines: z.array(lineDeliverySchema),
  can: z.object({ deliver: z.boolean(), delay: z.boolean() }),
});
export type OrderDeliveries = z.infer<typeof orderDeliveriesSchema>;

export const deliveryStatsQuery = z.object({
  from: isoDate,
  to: isoDate,
  groupBy: z.enum(DELIVERY_GROUPS).default('month'),
  customerId: id.optional(),
});
export type DeliveryStatsQuery = z.output<typeof deliveryStatsQuery>;

export const deliveryStatsRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Lines due (complete, or past their date) and of them on time. */
  lines: z.number(),
  linesOnTime: z.number(),
  /** Quantity due and delivered on or before the date (capped at each line's quantity). */
  quantity: z.string(),
  quantityOnTime: z.string(),
  /** Lines due in the period whose date is still ahead and not complete: not counted. */
  pending: z.number(),
  /** The rate (0–1) by the configured basis; null when nothing was due. */
  rate: z.number().nullable(),
});
export type DeliveryStatsRow = z.infer<typeof deliveryStatsRowSchema>;
export const deliveryStatsSchema = z.object({
  basis: z.enum(ON_TIME_BASES),
  holidayRule: z.enum(HOLIDAY_RULES),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(DELIVERY_GROUPS),
  rows: z.array(deliveryStatsRowSchema),
  total: deliveryStatsRowSchema,
});
export type DeliveryStats = z.infer<typeof deliveryStatsSchema>;

export const delayedQuery = z.object({
  customerId: id.optional(),
  ...pageQuery,
});
export type DelayedFilter = z.output<typeof delayedQuery>;
export const exportDelayedQuery = delayedQuery.omit({ cursor: true, limit: true });

export const delayedLineSchema = z.object({
  lineId: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  customerPo: z.string().nullable(),
  customer: z.object({ id: z.string(), name: z.string() }),
  lineNo: z.number(),
  partNumber: z.string(),
  product: z.string(),
  unit: z.string(),
  quantity: z.string(),
  delivered: z.string(),
  open: z.string(),
  dueOn: z.string(),
  /** Working days past the due date (0 while predicted and not yet due). */
  daysLate: z.number(),
  /** The latest delay recorded, if any. */
  delay: delaySchema.nullable(),
  secrecy: secrecySchema,
});
export type DelayedLine = z.infer<typeof delayedLineSchema>;

export const importDeliveriesQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') });
export const importDeliveriesResult = z.object({
  dryRun: z.boolean(),
  rows: z.number(),
  imported: z.number(),
  errors: z.array(z.object({ row: z.number(), message: z.string() })),
});
