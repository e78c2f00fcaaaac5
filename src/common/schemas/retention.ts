import { z } from 'zod';
import { CARRIERS, DOCUMENT_STATUSES, RETENTION_CODE } from '../documents.js';
import {
  APPRAISAL_DECISIONS,
  APPRAISAL_STATUSES,
  DISPOSAL_ITEM_STATUSES,
  DISPOSAL_STATUSES,
  HOLD_KINDS,
  HOLD_TARGETS,
} from '../retention.js';
import { nameText, optionalText, trimmedText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';

// Retention, appraisal, destruction and holds API shapes (R-X1 … R-X5).

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const retentionCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((s) => RETENTION_CODE.test(s), { params: { key: 'retention' } });
const customerRef = z.object({ id: z.string(), archiveCode: z.string(), name: z.string() }).nullable();

// Settings -------------------------------------------------------------------------------------

const signerRole = z.enum(['archivist', 'department_manager', 'general_manager', 'quality', 'admin']);
export const retentionSettingsSchema = z.object({
  /** Who signs a destruction register, in order (R-X3). */
  signerSteps: z.array(z.object({ label: z.string(), role: signerRole })),
  /** Calendar years an obsolete original is kept after its withdrawal (R-X1, ≥ 1). */
  obsoleteKeepYears: z.number().int(),
});
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;
export const putRetentionSettingsBody = z.strictObject({
  signerSteps: z
    .array(z.strictObject({ label: trimmedText(40), role: signerRole }))
    .min(1)
    .max(8)
    .optional(),
  obsoleteKeepYears: z.number().int().min(1).max(30).optional(),
});

// Due for appraisal ----------------------------------------------------------------------------

const dueFilter = {
  category: z.string().max(40).optional(),
  departmentId: z.string().max(64).optional(),
  /** The records' year (年度). */
  year: z.coerce.number().int().min(1900).max(2200).optional(),
  customerId: z.string().max(64).optional(),
};
export const dueFilterQuery = z.object(dueFilter);
export type DueFilter = z.infer<typeof dueFilterQuery>;
export const listDueQuery = z.object({ ...dueFilter, ...pageQuery });
export type ListDueQuery = z.infer<typeof listDueQuery>;

export const dueItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  archiveNo: z.string().nullable(),
  categoryName: z.string(),
  departmentName: z.string().nullable(),
  customer: customerRef,
  retention: z.string(),
  retentionDue: z.string().nullable(),
  recordYear: z.number().nullable(),
  secrecy: secrecySchema,
  /** The level it is handled at (R-P9): its own, or its customer archive's when higher. */
  effectiveSecrecy: secrecySchema,
  carrier: z.enum(CARRIERS),
  status: z.enum(DOCUMENT_STATUSES),
  /** Under a hold (冻结): it may be appraised, not destroyed. */
  held: z.boolean(),
});
export type DueItem = z.infer<typeof dueItemSchema>;

// Holds ----------------------------------------------------------------------------------------

/** A hold in force, as a record's page shows it. */
export const activeHoldSchema = z.object({
  id: z.string(),
  targetType: z.enum(HOLD_TARGETS),
  kind: z.enum(HOLD_KINDS),
  reason: z.string(),
  placedAt: z.string(),
});

export const placeHoldBody = z.strictObject({
  targetType: z.enum(HOLD_TARGETS),
  targetId: id,
  kind: z.enum(HOLD_KINDS),
  reason: trimmedText(500),
});
export type PlaceHoldInput = z.infer<typeof placeHoldBody>;
export const liftHoldBody = z.strictObject({ reason: trimmedText(500) });
export const listHoldsQuery = z.object({
  active: z.enum(['true', 'false']).default('true'),
  targetType: z.enum(HOLD_TARGETS).optional(),
  targetId: z.string().max(64).optional(),
});
export const holdSchema = z.object({
  id: z.string(),
  targetType: z.enum(HOLD_TARGETS),
  targetId: z.string(),
  /** The record's title or the archive's code and name. */
  targetLabel: z.string(),
  kind: z.enum(HOLD_KINDS),
  reason: z.string(),
  placedAt: z.string(),
  placedBy: person,
  liftedAt: z.string().nullable(),
  liftedBy: person,
  liftReason: z.string().nullable(),
});
export type Hold = z.infer<typeof holdSchema>;

// Appraisals -----------------------------------------------------------------------------------

export const createAppraisalBody = z
  .strictObject({
    title: nameText(200),
    note: optionalText(1000),
    /** The appraisal group: archive people and business department people (R-X2). */
    memberIds: z.array(id).min(2).max(20),
    /** The records to appraise; or every due record matching `filter`. */
    documentIds: z.array(id).max(1000).optional(),
    filter: dueFilterQuery.optional(),
  })
  .refine((b) => (b.documentIds?.length ?? 0) > 0 || b.filter, {
    path: ['documentIds'],
    params: { key: 'required' },
  });
export type CreateAppraisalInput = z.infer<typeof createAppraisalBody>;

export const opinionsBody = z.strictObject({
  opinions: z
    .array(
      z.strictObject({
        itemId: id,
        decision: z.enum(APPRAISAL_DECISIONS),
        /** For keep: the new term (R-X2). */
        retention: retentionCode.nullish(),
        reason: optionalText(500),
      }),
    )
    .min(1)
    .max(1000),
});
export type OpinionsInput = z.infer<typeof opinionsBody>;

const opinionSchema = z.object({
  userId: z.string(),
  decision: z.enum(APPRAISAL_DECISIONS),
  retention: z.string().nullable(),
  due: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});

export const appraisalItemSchema = z.object({
  id: z.string(),
  seq: z.number(),
  documentId: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  archiveNo: z.string().nullable(),
  categoryName: z.string(),
  departmentName: z.string().nullable(),
  retention: z.string(),
  due: z.string().nullable(),
  recordYear: z.number().nullable(),
  secrecy: secrecySchema,
  carrier: z.enum(CARRIERS),
  held: z.boolean(),
  outcome: z.enum(APPRAISAL_DECISIONS).nullable(),
  newRetention: z.string().nullable(),
  newDue: z.string().nullable(),
  reason: z.string().nullable(),
  opinions: z.array(opinionSchema),
});
export type AppraisalItem = z.infer<typeof appraisalItemSchema>;

export const appraisalMemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  departmentName: z.string().nullable(),
  side: z.enum(['archive', 'business']),
  /** Items this member has given an opinion on. */
  opinions: z.number(),
});

export const appraisalSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.enum(APPRAISAL_STATUSES),
  createdAt: z.string(),
  createdBy: person,
  concludedAt: z.string().nullable(),
  itemCount: z.number(),
  members: z.array(z.string()),
});
export type AppraisalSummary = z.infer<typeof appraisalSummarySchema>;

export const appraisalSchema = appraisalSummarySchema.extend({
  note: z.string().nullable(),
  concludedBy: person,
  reportDocumentId: z.string().nullable(),
  memberDetails: z.array(appraisalMemberSchema),
  items: z.array(appraisalItemSchema),
  counts: z.object({ keep: z.number(), destroy: z.number() }),
  can: z.object({ opine: z.boolean(), conclude: z.boolean() }),
});
export type Appraisal = z.infer<typeof appraisalSchema>;

// Destruction registers ------------------------------------------------------------------------

export const disposalCandidateSchema = z.object({
  appraisalItemId: z.string(),
  appraisalId: z.string(),
  appraisalNumber: z.string(),
  documentId: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  archiveNo: z.string().nullable(),
  retention: z.string(),
  recordYear: z.number().nullable(),
  secrecy: secrecySchema,
  /** The level it is handled at (R-P9): its own, or its customer archive's when higher. */
  effectiveSecrecy: secrecySchema,
  carrier: z.enum(CARRIERS),
  held: z.boolean(),
});
export type DisposalCandidate = z.infer<typeof disposalCandidateSchema>;

export const createDisposalBody = z.strictObject({
  title: nameText(200),
  note: optionalText(1000),
  /** Appraisal items the group decided to destroy. */
  itemIds: z.array(id).min(1).max(1000),
});
export type CreateDisposalInput = z.infer<typeof createDisposalBody>;

export const signBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  opinion: optionalText(500),
});
export const destroyBody = z.strictObject({ witnessIds: z.array(id).length(2) });
export const witnessCandidatesQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const witnessBody = z.strictObject({ checkedItemIds: z.array(id).min(1).max(1000) });

export const disposalItemSchema = z.object({
  id: z.string(),
  seq: z.number(),
  documentId: z.string(),
  archiveNo: z.string().nullable(),
  docNumber: z.string().nullable(),
  responsibleParty: z.string().nullable(),
  title: z.string(),
  dateFormed: z.string().nullable(),
  retention: z.string(),
  recordYear: z.number(),
  yearsKept: z.number().nullable(),
  destructionDate: z.string().nullable(),
  carrier: z.enum(CARRIERS),
  secrecy: secrecySchema,
  status: z.enum(DISPOSAL_ITEM_STATUSES),
  blockedReason: z.string().nullable(),
  /** Before destruction: the holds in force on the record now (it will be blocked if they stay). */
  heldReason: z.string().nullable(),
  destroyedAt: z.string().nullable(),
});
export type DisposalItem = z.infer<typeof disposalItemSchema>;

const signatureSchema = z.object({
  userId: z.string(),
  userName: z.string(),
  decision: z.enum(['approve', 'reject']),
  opinion: z.string().nullable(),
  signedAt: z.string(),
});

export const disposalSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.enum(DISPOSAL_STATUSES),
  createdAt: z.string(),
  createdBy: person,
  destructionDate: z.string().nullable(),
  itemCount: z.number(),
});
export type DisposalSummary = z.infer<typeof disposalSummarySchema>;

export const disposalSchema = disposalSummarySchema.extend({
  note: z.string().nullable(),
  submittedAt: z.string().nullable(),
  rejectedReason: z.string().nullable(),
  executedAt: z.string().nullable(),
  executedBy: person,
  completedAt: z.string().nullable(),
  registerDocumentId: z.string().nullable(),
  steps: z.array(
    z.object({
      step: z.number(),
      label: z.string(),
      role: z.string(),
      signature: signatureSchema.nullable(),
    }),
  ),
  witnesses: z.array(
    z.object({
      step: z.number(),
      userId: z.string(),
      name: z.string(),
      signature: signatureSchema.nullable(),
    }),
  ),
  items: z.array(disposalItemSchema),
  /** The items the reader sees, by what became of them: held now (before destruction), destroyed,
   * blocked by a hold at destruction, destroyed electronically but awaiting the witnesses. */
  counts: z.object({
    total: z.number(),
    held: z.number(),
    destroyed: z.number(),
    blocked: z.number(),
    pending: z.number(),
  }),
  /** While the register is being signed: why the reader may not sign the current step (the
   * drafter, a signer of an earlier step, another role, a manager of another department,
   * clearance), as an error code and its message; null when they may. */
  signBlocked: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** While the register is being signed: who may sign the current step, by the rule signing
   * applies (role, duties, department, clearance); colleagues' names, as in the directory. */
  signers: z.array(z.object({ id: z.string(), name: z.string() })),
  can: z.object({
    submit: z.boolean(),
    /** Take items off the register again (while it is drawn up, and more than one is on it). */
    removeItems: z.boolean(),
    sign: z.boolean(),
    destroy: z.boolean(),
    witness: z.boolean(),
  }),
});
export type Disposal = z.infer<typeof disposalSchema>;

// The signed-in person's work in appraisal and destruction ------------------------------------

const taskRef = z.object({ id: z.string(), number: z.string(), title: z.string() });
export const retentionTasksSchema = z.object({
  /** Open appraisals where the person still has items to judge. */
  opinions: z.array(taskRef.extend({ pending: z.number() })),
  /** Registers whose current signing step is the person's. */
  signatures: z.array(taskRef.extend({ step: z.string() })),
  /** Registers destroyed and waiting for the person's witness signature. */
  witness: z.array(taskRef),
  /** Approved registers to carry out (archivists). */
  destroy: z.array(taskRef),
});
export type RetentionTasks = z.infer<typeof retentionTasksSchema>;
