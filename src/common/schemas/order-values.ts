import { z } from 'zod';

// Values shared by order and amendment shapes (no other imports, so both may use them).

/** A quantity: a positive decimal with at most 4 decimals. */
export const quantityText = z
  .string()
  .trim()
  .refine((s) => /^\d{1,12}(\.\d{1,4})?$/.test(s) && Number(s) > 0, { params: { key: 'order_quantity' } });
/** A price: a decimal with at most 4 decimals. */
export const priceText = z
  .string()
  .trim()
  .refine((s) => /^\d{1,12}(\.\d{1,4})?$/.test(s), { params: { key: 'order_price' } });
