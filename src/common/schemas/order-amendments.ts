import { z } from 'zod';
import { AMENDMENT_CATEGORIES, AMENDMENT_FIELDS, AMENDMENT_STATUSES } from '../order-amendments.js';
import { ORDER_APPROVAL_DECISIONS, ORDER_REVIEW_DECISIONS, ORDER_SIGNER_ROLES } from '../orders.js';
import { dateField, optionalText, trimmedText } from '../validation.js';
import { priceText, quantityText } from './order-values.js';

// Amendment API shapes (合同更改, R-K4). Routes:
//   POST /api/orders/:id/amendments                        propose (the difference is computed)
//   PUT  /api/orders/:id/amendments/:aid/reviews/:deptId   a department's review of it
//   POST /api/orders/:id/amendments/:aid/sign              the signer accepts (applies) or rejects
//   POST /api/orders/:id/amendments/:aid/acknowledge       a member confirms the 合同更改通知单
// The amendments come with the order (GET /api/orders/:id, `amendments`).

const person = z.object({ id: z.string(), name: z.string() }).nullable();
const department = z.object({ id: z.string(), name: z.string() });
/** The proposed values; what is left out stays as it is. */
export const amendmentBody = z.strictObject({
  reason: trimmedText(1000),
  lines: z
    .array(
      z.strictObject({
        lineNo: z.number().int().min(1).max(500),
        quantity: quantityText.optional(),
        requestedOn: dateField({ zh: '要求交期', en: 'Requested delivery' }).optional(),
        promisedOn: dateField({ zh: '承诺交期', en: 'Promised delivery' }).nullable().optional(),
        specification: optionalText(500).optional(),
        unitPrice: priceText.nullable().optional(),
      }),
    )
    .max(500)
    .default([]),
  paymentTerms: optionalText(500).optional(),
  deliveryMethod: optionalText(200).optional(),
  deliveryPlace: optionalText(200).optional(),
  packaging: optionalText(500).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});
export type AmendmentInput = z.output<typeof amendmentBody>;

/** The same answers as the order's review, without the checklist (the change is what is asked). */
export const amendmentReviewBody = z.strictObject({
  decision: z.enum(ORDER_REVIEW_DECISIONS),
  condition: optionalText(1000),
  comment: optionalText(2000),
});
export type AmendmentReviewInput = z.output<typeof amendmentReviewBody>;

export const amendmentSignBody = z.strictObject({
  decision: z.enum(ORDER_APPROVAL_DECISIONS),
  comment: optionalText(2000),
  overruleReason: optionalText(1000),
});
export type AmendmentSignInput = z.output<typeof amendmentSignBody>;

export const amendmentSchema = z.object({
  id: z.string(),
  seq: z.number(),
  /** 第 N 次变更 */
  title: z.string(),
  status: z.enum(AMENDMENT_STATUSES),
  reason: z.string(),
  createdAt: z.string(),
  createdBy: person,
  categories: z.array(z.enum(AMENDMENT_CATEGORIES)),
  /** Field by field; a price's values are null (hidden) for readers who may not see prices. */
  changes: z.array(
    z.object({
      field: z.enum(AMENDMENT_FIELDS),
      category: z.enum(AMENDMENT_CATEGORIES),
      lineNo: z.number().nullable(),
      before: z.string().nullable(),
      after: z.string().nullable(),
      hidden: z.boolean(),
    }),
  ),
  reviews: z.array(
    z.object({
      id: z.string(),
      department,
      requestedAt: z.string(),
      decision: z.enum(ORDER_REVIEW_DECISIONS).nullable(),
      condition: z.string().nullable(),
      comment: z.string().nullable(),
      reviewedAt: z.string().nullable(),
      reviewedBy: person,
      canReview: z.boolean(),
    }),
  ),
  signerRole: z.enum(ORDER_SIGNER_ROLES),
  signature: z
    .object({
      decision: z.enum(ORDER_APPROVAL_DECISIONS),
      role: z.enum(ORDER_SIGNER_ROLES),
      by: person,
      at: z.string(),
      comment: z.string().nullable(),
      overruleReason: z.string().nullable(),
    })
    .nullable(),
  /** 合同更改通知单: issued once signed, to every department concerned. */
  notice: z
    .object({
      issuedAt: z.string(),
      departments: z.array(
        z.object({
          department,
          acknowledgedAt: z.string().nullable(),
          acknowledgedBy: person,
          canAcknowledge: z.boolean(),
        }),
      ),
    })
    .nullable(),
  can: z.object({ sign: z.boolean() }),
});
export type Amendment = z.infer<typeof amendmentSchema>;

export const amendmentDepartmentsSchema = z.object(
  Object.fromEntries(AMENDMENT_CATEGORIES.map((c) => [c, z.array(z.string())])) as Record<
    (typeof AMENDMENT_CATEGORIES)[number],
    z.ZodArray<z.ZodString>
  >,
);
export type AmendmentDepartments = z.infer<typeof amendmentDepartmentsSchema>;
