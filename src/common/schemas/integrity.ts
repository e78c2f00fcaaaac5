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
] as const;

export const integrityFindingSchema = z.object({
  aspect: z.enum(INTEGRITY_ASPECTS),
  problem: z.enum(INTEGRITY_PROBLEMS),
  documentId: z.string().nullable(),
  title: z.string().nullable(),
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
  detail: z.string(),
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
