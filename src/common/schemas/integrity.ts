import { z } from 'zod';

// The integrity check (四性检测, R-L2): authenticity, completeness, usability and security of
// the electronic records, as findings a person can act on.

export const INTEGRITY_ASPECTS = ['fixity', 'completeness', 'usability', 'security'] as const;
export const INTEGRITY_PROBLEMS = [
  'digest_mismatch',
  'blob_missing',
  'blob_orphan',
  'no_files',
  'file_count',
  'archive_gap',
  'unreadable',
  'type_mismatch',
  'audit_chain',
  'destroyed_present',
  'encrypted_unreadable',
  'filing_fields_missing',
] as const;

export const integrityFindingSchema = z.object({
  aspect: z.enum(INTEGRITY_ASPECTS),
  problem: z.enum(INTEGRITY_PROBLEMS),
  documentId: z.string().nullable(),
  /** A finding about a customer archive (completeness of its filing). */
  customerId: z.string().nullable().optional(),
  title: z.string().nullable(),
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
  detail: z.string(),
  /** Effective secrecy rank of the record (R-P9); readers below it see the finding without its
   * id, title, file name, digest or detail. */
  secrecy: z.number().optional(),
});
export type IntegrityFinding = z.infer<typeof integrityFindingSchema>;

export const integrityReportSchema = z.object({
  checkedAt: z.string(),
  ok: z.boolean(),
  counts: z.object({
    documents: z.number(),
    blobs: z.number(),
    bytes: z.number(),
    auditEntries: z.number(),
  }),
  findings: z.array(integrityFindingSchema),
});
export type IntegrityReport = z.infer<typeof integrityReportSchema>;

export const INTEGRITY_TRIGGERS = ['manual', 'scheduled', 'command'] as const;
export type IntegrityTrigger = (typeof INTEGRITY_TRIGGERS)[number];

/** One kept check, as the history lists it. */
export const integrityCheckSummarySchema = z.object({
  id: z.string(),
  checkedAt: z.string(),
  /** Started on the page, by the scheduler, or with `kedang check`. */
  trigger: z.enum(INTEGRITY_TRIGGERS),
  /** Who started it on the page; null for scheduled and command-line checks. */
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  ok: z.boolean(),
  findings: z.number(),
  /** Files whose content changed or went missing (authenticity). */
  fixityFailures: z.number(),
});
export type IntegrityCheckSummary = z.infer<typeof integrityCheckSummarySchema>;

export const storedIntegrityReportSchema = integrityReportSchema.extend(
  integrityCheckSummarySchema.pick({ id: true, trigger: true, actor: true, fixityFailures: true }).shape,
);
export type StoredIntegrityReport = z.infer<typeof storedIntegrityReportSchema>;
