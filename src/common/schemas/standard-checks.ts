import { z } from 'zod';
import { dateField, optionalText } from '../validation.js';
import { page, pageQuery } from './platform.js';

// 查新 (standards currency): external standards and laws checked at an interval for being still the
// edition in force; each check confirms the edition (with the date) or, found superseded, the new
// edition is registered as a new version through the usual new-version flow, which records it.

export const STANDARD_CHECK_OUTCOMES = ['current', 'new_edition'] as const;
export type StandardCheckOutcome = (typeof STANDARD_CHECK_OUTCOMES)[number];
export const STANDARD_CHECK_OUTCOME_LABELS: Record<StandardCheckOutcome, { zh: string; en: string }> = {
  current: { zh: '现行有效', en: 'Still current' },
  new_edition: { zh: '已换新版', en: 'New edition registered' },
};

/** A standard or law to be checked: its edition, when last confirmed, when due. */
export const standardDueSchema = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  /** The edition (version label) in force. */
  edition: z.string().nullable(),
  categoryName: z.string(),
  departmentId: z.string(),
  departmentName: z.string().nullable(),
  /** Confirmed current on (last check), null if never checked. */
  confirmedOn: z.string().nullable(),
  dueOn: z.string(),
  overdue: z.boolean(),
});
export type StandardDue = z.infer<typeof standardDueSchema>;

/** The filter of the 查新 list (and its export). */
export const standardDueFilter = z.object({
  departmentId: z.string().max(64).optional(),
  /** all: every standard with its due date; due: only those due by today. */
  view: z.enum(['due', 'all']).default('due'),
});
export type StandardDueFilter = z.output<typeof standardDueFilter>;
/** One keyset page of the 查新 list, earliest due first. */
export const standardDueQuery = standardDueFilter.extend(pageQuery);
export const standardDuePage = page(standardDueSchema);

export const standardCheckSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  edition: z.string().nullable(),
  departmentName: z.string().nullable(),
  outcome: z.enum(STANDARD_CHECK_OUTCOMES),
  checkedOn: z.string(),
  checkedBy: z.string(),
  note: z.string().nullable(),
});
export type StandardCheck = z.infer<typeof standardCheckSchema>;
/** One keyset page of the 查新记录, newest first (of one document, or all). */
export const standardChecksQuery = z.object({ documentId: z.string().max(64).optional(), ...pageQuery });
export const standardCheckPage = page(standardCheckSchema);

export const confirmStandardBody = z.strictObject({
  checkedOn: dateField({ zh: '查新日期', en: 'Checked on' }, 'tomorrow'),
  note: optionalText(500),
});
export type ConfirmStandardInput = z.output<typeof confirmStandardBody>;

export const standardSettingsSchema = z.object({
  /** Months between checks (yearly by default). */
  checkMonths: z.number().int().min(1).max(60),
});
export type StandardSettings = z.infer<typeof standardSettingsSchema>;
export const putStandardSettingsBody = z.strictObject({ checkMonths: z.number().int().min(1).max(60) });
