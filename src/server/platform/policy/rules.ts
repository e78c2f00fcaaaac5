import type { Role } from '../../../common/enums.js';
import type { Actor } from '../context.js';

// Who may do what. Every permission decision in Kedang is a line in this table (or a rule
// function next to it); routes and services ask `authorize`/`can` and never look at roles.
// Modules add their actions here so that the whole policy can be read, and tested, in one place.

export type Rule = (actor: Actor, resource?: unknown) => boolean;

const anyone: Rule = () => true;
const roles =
  (...allowed: Role[]): Rule =>
  (actor) =>
    actor.roles.some((r) => allowed.includes(r));

/** General managers and archivists see every customer archive up to their clearance (R-P2). */
export const SEES_ALL_CUSTOMERS: Role[] = ['general_manager', 'archivist'];

/** What record-level customer rules look at; `inActorDepartments` is the customer's department
 * being the actor's own or one below it. */
export interface CustomerResource {
  ownerIds: readonly string[];
  inActorDepartments: boolean;
}

const customerRule =
  (test: (actor: Actor, c: CustomerResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && test(actor, resource as CustomerResource);

const has = (actor: Actor, role: Role) => actor.roles.includes(role);

/** What record-level document rules look at. */
export interface DocumentResource {
  inActorDepartments: boolean;
  createdBy: string;
}

const documentRule =
  (test: (actor: Actor, d: DocumentResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && test(actor, resource as DocumentResource);
const seesAllDocuments = (a: Actor) => SEES_ALL_CUSTOMERS.some((r) => has(a, r));
/** Who works on documents (auditors and administrators only look). */
const DOCUMENT_WORKERS: Role[] = ['staff', 'quality', 'department_manager', 'general_manager', 'archivist'];
/** Who follows every appraisal and destruction register. */
const RETENTION_OVERSEERS: Role[] = ['archivist', 'general_manager', 'auditor'];

/** What appraisal and destruction rules look at. */
export interface RetentionResource {
  memberIds?: readonly string[];
  witnessIds?: readonly string[];
  /** The role the current signing step asks for. */
  stepRole?: string;
  /** Signing a register: who drew it up, and who signed its earlier steps. */
  drafterId?: string;
  signerIds?: readonly string[];
  /** The actor's department holds records on the register, or is above one that does. */
  headsRecordsDepartment?: boolean;
  /** The actor is cleared for every record on the register (by effective secrecy). */
  clearedForAll?: boolean;
}

/**
 * Why the actor may not sign the current step of a destruction register, or null if they may
 * (R-X3, separation of duties): nobody signs twice, the drafter never signs, the step's role
 * signs, a department manager only for records of their department or one below it, and only
 * someone cleared for every record on it (R-P1). The reasons are error codes, shown to the
 * person as they are; clearance comes last, so that only someone who would otherwise sign
 * learns that the register holds records they cannot see (the message says no more).
 * The sign route, the page's "can sign", the to-do list and the list of who may sign all ask
 * this one function.
 */
export function disposalSignRefusal(
  actor: Pick<Actor, 'id' | 'roles'>,
  r: RetentionResource | undefined,
):
  | 'disposal_already_signed'
  | 'disposal_signer_drafter'
  | 'disposal_signer_role'
  | 'disposal_signer_department'
  | 'signer_clearance'
  | null {
  if (!r?.stepRole) return 'disposal_signer_role';
  if (r.signerIds?.includes(actor.id)) return 'disposal_already_signed';
  if (r.drafterId === actor.id) return 'disposal_signer_drafter';
  if (!actor.roles.includes(r.stepRole as Role)) return 'disposal_signer_role';
  if (r.stepRole === 'department_manager' && !r.headsRecordsDepartment) return 'disposal_signer_department';
  if (!r.clearedForAll) return 'signer_clearance';
  return null;
}

/** What signing for a distributed copy looks at (签收, 交回签字). */
export interface CopyResource {
  /** A copy issued to a person: only they sign for it. */
  recipientUserId: string | null;
  /** A copy issued to a department: its managers, who keep it, sign for it. */
  headsRecipientDepartment: boolean;
}

/** What signing a step of an internal document's approval looks at (编制/审核/会签/批准). */
export interface DocumentSignResource {
  /** The step asked for. */
  step: 'review' | 'countersign' | 'approve';
  /** Who signed 编制 in this round (the author), and who signed 审核. */
  authorId: string;
  /** Who else drew the version up: who created it and who uploaded the files it holds. They are
   * its authors too, whoever pressed 提交 (a manager does not review what they wrote because a
   * colleague submitted it). */
  contributorIds?: readonly string[];
  reviewerId?: string | null;
  /** The document's department is the actor's own or one below it. */
  inActorDepartments: boolean;
  /** 会签: the department signed for is the actor's own or one below it. */
  headsCountersignDepartment?: boolean;
}

/**
 * Why the actor may not sign this step of an internal document's approval, or null if they may
 * (separation of duties): the author signs none of 审核/会签/批准 of their own version; the owning
 * department's manager (or the general manager or a deputy) reviews; the manager of a department
 * the category names countersigns for it; the general manager or a deputy general manager
 * approves, and not the one who reviewed. Returning a version with a reason is open to whoever
 * may sign the step it waits for. The sign routes, the page's buttons and the to-do list all ask
 * this one function.
 */
export function documentSignRefusal(
  actor: Pick<Actor, 'id' | 'roles'>,
  r: DocumentSignResource,
): 'approval_author' | 'approval_signer_role' | 'approval_reviewer_approves' | null {
  const leader = actor.roles.includes('general_manager') || actor.roles.includes('deputy_general_manager');
  const manager = actor.roles.includes('department_manager');
  const allowed =
    r.step === 'review'
      ? leader || (manager && r.inActorDepartments)
      : r.step === 'countersign'
        ? manager && !!r.headsCountersignDepartment
        : leader;
  if (!allowed) return 'approval_signer_role';
  if (actor.id === r.authorId || r.contributorIds?.includes(actor.id)) return 'approval_author';
  if (r.step === 'approve' && r.reviewerId === actor.id) return 'approval_reviewer_approves';
  return null;
}

/** What witnessing a register's destruction looks at (R-X3). */
export interface WitnessResource {
  /** The archivist carrying the destruction out. */
  executorId: string;
  drafterId: string;
  signerIds: readonly string[];
  /** The register's effective secrecy. */
  secrecy: number;
}

/**
 * Why a person may not witness a register's destruction, or null if they may: the two witnesses
 * are neither the archivist who destroys, nor who drew the register up or signed it, and are
 * cleared for every record on it. Destruction refuses such a witness with this code, and the
 * archivist is offered only people this allows.
 */
export function disposalWitnessRefusal(
  person: Pick<Actor, 'id' | 'clearance'>,
  r: WitnessResource,
): 'witnesses_invalid' | 'witness_conflict' | 'witness_clearance' | null {
  if (person.id === r.executorId) return 'witnesses_invalid';
  if (person.id === r.drafterId || r.signerIds.includes(person.id)) return 'witness_conflict';
  if (person.clearance < r.secrecy) return 'witness_clearance';
  return null;
}

/** Who reads the archive statistics of every record within their clearance (篇八 第五十条): the
 * archivist keeps them, the general manager and auditors follow them, as they follow the lending
 * register and the retention registers. Department managers and deputy general managers read them
 * for what they may see (records.ts `statisticsDocumentCounted`). */
export const ARCHIVE_STATS_OVERSEERS: Role[] = ['archivist', 'general_manager', 'auditor'];

/** Who sees every request, loan and the lending register. */
const LENDING_OVERSEERS: Role[] = ['archivist', 'general_manager', 'auditor'];

/** What lending rules look at. */
export interface LendingResource {
  requesterId?: string;
  /** The role the current approval step asks for. */
  stepRole?: string;
  /** The requester's department is the actor's or one below it. */
  inScope?: boolean;
  /** The actor decided a step of the request, or may decide the current one. */
  involved?: boolean;
}

/** Who sees every complaint and service request within their clearance (R-Q6). */
export const SEES_ALL_CASES: Role[] = ['quality', 'general_manager', 'deputy_general_manager'];
/** Who records complaints and service requests and works on them. */
const CASE_WORKERS: Role[] = [
  'staff',
  'quality',
  'department_manager',
  'general_manager',
  'deputy_general_manager',
  'archivist',
];

/** What case rules look at; every flag is about the actor and this case. */
export interface CaseResource {
  /** The actor is the person the complaint names as responsible (R-Q2: never their own judge). */
  responsible: boolean;
  /** The responsible person is a department manager: triage goes to the general manager. */
  responsibleIsManager: boolean;
  /** The actor manages the receiving department (or one above it). */
  managesReceiving: boolean;
  /** The actor is the assigned handler. */
  handler: boolean;
  /** The actor recorded the case (took the call): they may complete what they recorded. */
  receiver: boolean;
  /** The actor manages the handling department (or one above it). */
  managesHandling: boolean;
  /** The role that revisits closed cases (settings; default quality). */
  revisitRole: string;
}

const caseRule =
  (test: (actor: Actor, c: CaseResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && !(resource as CaseResource).responsible && test(actor, resource as CaseResource);

/** Who verifies corrective and preventive actions and follows all of them. */
const ACTION_OVERSEERS: Role[] = ['quality', 'general_manager', 'deputy_general_manager'];

/** What action rules look at. */
export interface ActionResource {
  ownerId: string;
  /** The actor may raise and edit actions on the action's source (e.g. handles the case). */
  editsSource?: boolean;
}

/** Why the actor may not verify an action, or null if they may (separation of duties). */
export function actionVerifyRefusal(
  actor: Pick<Actor, 'id' | 'roles'>,
  r: ActionResource | undefined,
): 'forbidden' | 'action_verify_own' | null {
  if (!actor.roles.some((x) => ACTION_OVERSEERS.includes(x))) return 'forbidden';
  if (r && r.ownerId === actor.id) return 'action_verify_own';
  return null;
}

/** What visit task rules look at; every flag is about the actor and this task. */
export interface VisitResource {
  /** The actor is the task's assignee. */
  assignee: boolean;
  /** The actor is an owner of the task's customer archive. */
  owner: boolean;
  /** The actor manages the archive's department (or one above it). */
  managesArchive: boolean;
}

const visitRule =
  (test: (actor: Actor, v: VisitResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && test(actor, resource as VisitResource);
/** Who plans and reassigns any visit of the archives they see. */
const VISIT_OVERSEERS: Role[] = ['general_manager'];

/** Run satisfaction surveys and see every answered form within their clearance (as they see
 * every complaint): the survey is the quality department's, the index the managers'. */
export const SURVEY_MANAGERS: Role[] = ['quality', 'general_manager', 'deputy_general_manager'];

/** What survey answer rules look at; every flag is about the actor and the invited archive. */
export interface SurveyResource {
  /** The actor is an owner of the customer archive. */
  owner: boolean;
  /** The actor manages the archive's department (or one above it). */
  managesArchive: boolean;
}

/** Keep every customer's special-requirements matrix within their clearance (IATF 16949):
 * quality maintains it, the general managers oversee it. */
export const SR_OVERSEERS: Role[] = ['quality', 'general_manager', 'deputy_general_manager'];

/**
 * What customer special requirement rules look at (R-S1 … R-S5); every flag is about the actor
 * and the requirement (or, for list-level actions, the customer's list). Build it with
 * `srResource` in modules/special-requirements/access.ts. Who may *see* a requirement is the SQL
 * predicate `requirementVisible` in records.ts; these rules decide what a reader may do.
 */
export interface SrResource {
  /** The actor is an owner of the customer archive (sales). */
  owner: boolean;
  /** The actor manages the archive's department (or one above it). */
  managesArchive: boolean;
  /** The actor's own department is the one a review is asked of (sr.review: that department;
   * sr.link / sr.raiseAction: any department asked). */
  inReviewDepartment?: boolean;
  /** The actor manages the department concerned (or one above it). */
  managesReviewDepartment?: boolean;
  /** The actor belongs to the requirement's owner department (or one below it). */
  inOwnerDepartment?: boolean;
  /** The actor belongs to the engineering department (department code 'engineering'). */
  engineering?: boolean;
  /** The actor is a recipient of the distribution concerned. */
  recipient?: boolean;
}

const srRule =
  (test: (actor: Actor, r: SrResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && test(actor, resource as SrResource);
/** Sales keeps a customer's list: the archive's owners and their department manager. */
const srSales = (a: Actor, r: SrResource) => r.owner || (has(a, 'department_manager') && r.managesArchive);
/** Who reviews for a department: its members, and a manager of it (or above it). */
const srReviewer = (a: Actor, r: SrResource) =>
  !!r.inReviewDepartment || (has(a, 'department_manager') && !!r.managesReviewDepartment);

/**
 * What order rules look at (R-K1 … R-K3); every flag is about the actor and the order. Build it
 * with `orderResource` in modules/orders/access.ts. Who may *see* an order is the SQL predicate
 * `orderVisible` in records.ts; these rules decide what a reader may do.
 */
export interface OrderResource {
  /** The actor is an owner of the customer archive (sales). */
  owner: boolean;
  /** The actor manages the archive's department (or one above it). */
  managesArchive: boolean;
  /** The actor registered the order. */
  registrant?: boolean;
  /** review: the actor belongs to the department whose review it is. */
  inReviewDepartment?: boolean;
  /** review: the actor manages that department (or one above it). */
  managesReviewDepartment?: boolean;
  /** approve: who must sign now (orders' signer role: sales | sales_manager | general_manager). */
  signerRole?: string | null;
  /** withdraw: the actor submitted the order for review. */
  submitter?: boolean;
}

const orderRule =
  (test: (actor: Actor, r: OrderResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && test(actor, resource as OrderResource);
/** Sales keeps an order: the archive's owners, the order's registrant, their department manager,
 * and the general manager. */
const orderSales = (a: Actor, r: OrderResource) =>
  r.owner ||
  !!r.registrant ||
  (has(a, 'department_manager') && r.managesArchive) ||
  has(a, 'general_manager');

/**
 * What credit rules look at (R-A4, seed 004); build it with `creditResource` in
 * modules/credit/access.ts. Who may *see* a customer's credit is the archive's visibility
 * (`customerVisible`); amounts follow the orders' price settings (orders/access.ts).
 */
export interface CreditResource {
  /** The actor is an owner of the archive (the responsible salesperson). */
  owner: boolean;
  /** The actor manages the archive's department (or one above it): the sales manager/director. */
  managesArchive: boolean;
  /** The actor sees every amount (orders' price roles and departments: finance). */
  amounts?: boolean;
  /** decide: who must approve, and whether the actor made the request. */
  approverRole?: string;
  requester?: boolean;
}
const creditRule =
  (test: (actor: Actor, r: CreditResource) => boolean): Rule =>
  (actor, resource) =>
    !!resource && test(actor, resource as CreditResource);
/** Sales keeps a customer's credit: its owners, their department's manager, the general manager. */
const creditSales = (a: Actor, r: CreditResource) =>
  r.owner || (has(a, 'department_manager') && r.managesArchive) || has(a, 'general_manager');

const managesIt = (actor: Actor, c: CustomerResource) =>
  has(actor, 'department_manager') && c.inActorDepartments;

/** 备案审批: the archive, and who submitted it for filing. */
export interface FilingResource extends CustomerResource {
  submittedBy: string | null;
}

export const RULES = {
  // Organisation: everyone signed in can see the department tree (pickers, owners);
  // only administrators change users and departments.
  'department.read': anyone,
  'department.manage': roles('admin'),
  'user.manage': roles('admin'),
  // The directory (name, login, department of active colleagues) for pickers.
  'directory.read': anyone,

  // Own account: password, API tokens.
  'account.manage_own': anyone,

  // Background jobs: the person who queued one follows it; administrators see all.
  'job.read': (actor, resource) =>
    actor.roles.includes('admin') || (resource as { createdBy?: string } | undefined)?.createdBy === actor.id,

  // Working-day calendar.
  'calendar.read': anyone,
  'calendar.manage': roles('admin'),

  // Audit trail (R-L1): administrators and auditors read, verify and export it.
  'audit.read': roles('admin', 'auditor'),
  'audit.verify': roles('admin', 'auditor'),
  'audit.export': roles('admin', 'auditor'),

  // Customer archive (R-C*, R-P2). Who may *see* an archive is the SQL predicate in
  // records.ts; these rules decide what a reader may do with one.
  'customer.create': roles('staff', 'department_manager', 'general_manager', 'archivist'),
  'customer.update': customerRule(
    (a, c) => SEES_ALL_CUSTOMERS.some((r) => has(a, r)) || c.ownerIds.includes(a.id) || managesIt(a, c),
  ),
  'customer.deactivate': customerRule((a, c) => SEES_ALL_CUSTOMERS.some((r) => has(a, r)) || managesIt(a, c)),
  // Lowering an archive's level lowers every record in it: the general manager only (R-P10).
  'customer.secrecy_lower': roles('general_manager'),
  // 备案审批 (R-C5, seed 001 篇五 新建档案由销售总监进行审批确认): the sales director — as elsewhere
  // in Kedang, the manager of the archive's department (or one above it) — or the general
  // manager approves or returns a submitted filing; never whoever submitted it nor an owner.
  'customer.file_approve': (actor, resource) => {
    const r = resource as FilingResource | undefined;
    if (!r || r.submittedBy === actor.id || r.ownerIds.includes(actor.id)) return false;
    return has(actor, 'general_manager') || managesIt(actor, r);
  },
  'customer.merge': roles('general_manager', 'archivist'),
  'customer.grant': roles('admin', 'general_manager'),
  // A department manager hands over the customers of people in their department; the
  // resource is { inActorDepartments } of the person leaving.
  'customer.handover': (actor, resource) =>
    has(actor, 'admin') ||
    has(actor, 'general_manager') ||
    (has(actor, 'department_manager') && !!(resource as CustomerResource | undefined)?.inActorDepartments),
  'customer.import': roles('department_manager', 'general_manager', 'archivist'),
  'customer.export': anyone,
  'customer.report': roles('department_manager', 'general_manager', 'archivist', 'auditor'),
  'customer.configure': roles('admin'),
  // The lists, custom fields and settings every customer form needs.
  'customer_config.read': anyone,

  // Documents and records (R-D*). Who may *see* a document is the SQL predicate in
  // records.ts; these rules decide what a reader may do with one. The registrant and the
  // owning department keep a document up to date; the archivist and the general manager may
  // do so for any.
  'document.create': roles(...DOCUMENT_WORKERS),
  'document.update': documentRule(
    (a, d) =>
      seesAllDocuments(a) ||
      (DOCUMENT_WORKERS.some((r) => has(a, r)) && (d.createdBy === a.id || d.inActorDepartments)),
  ),
  'document.obsolete': documentRule(
    (a, d) => seesAllDocuments(a) || (has(a, 'department_manager') && d.inActorDepartments),
  ),
  'document.export': anyone,
  // Filing (档号) and the integrity of the numbering are the archivist's (R-D7).
  'document.file': roles('archivist'),
  // Controlled copies are issued and recalled by the archivist (R-D5).
  'document.distribute': roles('archivist'),
  'document.report': roles('archivist', 'general_manager', 'auditor'),
  // Approval of internal documents (编制/审核/会签/批准): who signs which step is
  // documentSignRefusal; those who may sign a step see drafts under approval and their files.
  'document.approval_read': roles('department_manager', 'general_manager', 'deputy_general_manager'),
  // 谁接收谁签字: a copy is signed for (and signed back when recalled) by its recipient — the
  // person it was issued to, or a manager of the department it was issued to — and nobody else;
  // for paper the archivist records the scanned signed receipt ('document.distribute').
  'document.copy_sign': (actor, resource) => {
    const c = resource as CopyResource | undefined;
    if (!c) return false;
    return c.recipientUserId
      ? c.recipientUserId === actor.id
      : has(actor, 'department_manager') && c.headsRecipientDepartment;
  },
  // Records whose secrecy term ended wait on the 解密/降密 review list (R-P10): the archivist
  // prepares the decision, the general manager takes it; auditors follow the list.
  'document.secrecy_review': roles('archivist', 'general_manager', 'auditor'),
  // 密级变更/解除 (R-P10): the archivist, or the manager of the owning department, asks with a
  // reason; the general manager decides (never on their own request, see secrecy-changes.ts).
  'document.secrecy_request': documentRule(
    (a, d) => seesAllDocuments(a) || (has(a, 'department_manager') && d.inActorDepartments),
  ),
  'document.secrecy_approve': roles('general_manager'),
  'document.configure': roles('admin'),
  // The integrity check (R-L2) reads every record's files and reports findings, not content.
  'integrity.run': roles('admin', 'archivist', 'auditor'),
  'document_config.read': anyone,

  // Retention, appraisal and destruction (R-X*). The archivist works the due list, opens
  // appraisal batches and keeps the destruction registers; the general manager and auditors
  // follow them. Appraisal members give their opinions; the configured leaders sign a register
  // by role; the named witnesses sign after the destruction.
  'retention.due': roles('archivist', 'general_manager', 'auditor'),
  'retention.appraise': roles('archivist'),
  'appraisal.read': (actor, resource) =>
    RETENTION_OVERSEERS.some((r) => has(actor, r)) ||
    !!(resource as RetentionResource | undefined)?.memberIds?.includes(actor.id),
  'appraisal.opine': (actor, resource) =>
    !!(resource as RetentionResource | undefined)?.memberIds?.includes(actor.id),
  'disposal.manage': roles('archivist'),
  'disposal.read': (actor, resource) =>
    RETENTION_OVERSEERS.some((r) => has(actor, r)) ||
    has(actor, 'department_manager') ||
    !!(resource as RetentionResource | undefined)?.witnessIds?.includes(actor.id),
  'disposal.sign': (actor, resource) => disposalSignRefusal(actor, resource as RetentionResource) === null,
  'disposal.witness': (actor, resource) =>
    !!(resource as RetentionResource | undefined)?.witnessIds?.includes(actor.id),
  // Holds (冻结, R-X5) are placed and lifted by the archivist and the general manager.
  'hold.manage': roles('archivist', 'general_manager'),
  'hold.read': roles('archivist', 'general_manager', 'auditor'),
  'retention.configure': roles('admin'),

  // Access requests and borrowing (R-P2 … R-P7). Anyone who works with records may ask; the
  // approver of a step holds its role (a department manager: for the requester's department)
  // and is never the requester; the archivist issues and receives physical items.
  'lending.request': roles(...DOCUMENT_WORKERS),
  'lending.decide': (actor, resource) => {
    const r = resource as LendingResource | undefined;
    if (!r?.stepRole || r.requesterId === actor.id || !has(actor, r.stepRole as Role)) return false;
    return r.stepRole !== 'department_manager' || !!r.inScope;
  },
  'lending.read': (actor, resource) => {
    const r = resource as LendingResource | undefined;
    return LENDING_OVERSEERS.some((x) => has(actor, x)) || r?.requesterId === actor.id || !!r?.involved;
  },
  // Withdrawing, resubmitting and renewing are the requester's own.
  'lending.own': (actor, resource) => (resource as LendingResource | undefined)?.requesterId === actor.id,
  'lending.desk': roles('archivist'),
  'lending.oversee': roles(...LENDING_OVERSEERS),
  'lending.incidents': roles('general_manager', 'archivist', 'auditor'),
  'lending.configure': roles('admin'),
  'lending_config.read': anyone,
  // Complaints and service requests (R-Q*). Who may *see* a case is the SQL predicate in
  // records.ts. Nobody named as responsible for a complaint triages, handles or closes it; a
  // complaint about a department manager is triaged by the general manager.
  'case.create': roles(...CASE_WORKERS),
  'case.triage': caseRule((a, c) =>
    c.responsibleIsManager
      ? has(a, 'general_manager')
      : has(a, 'quality') ||
        has(a, 'general_manager') ||
        (has(a, 'department_manager') && c.managesReceiving),
  ),
  'case.handle': caseRule(
    (a, c) =>
      c.handler ||
      has(a, 'quality') ||
      (has(a, 'department_manager') && (c.managesHandling || c.managesReceiving)),
  ),
  'case.revisit': caseRule((a, c) => has(a, c.revisitRole as Role)),
  'case.update': caseRule(
    (a, c) =>
      has(a, 'quality') || c.handler || c.receiver || (has(a, 'department_manager') && c.managesReceiving),
  ),
  'case.oversee': roles(...SEES_ALL_CASES),
  'case.configure': roles('admin', 'quality'),
  'case.export': anyone,
  'case_config.read': anyone,
  // Corrective and preventive actions: raised by who handles their source, done by the owner
  // (or whoever handles the source), verified by quality — never by the action's own owner.
  'action.verify': (actor, resource) => actionVerifyRefusal(actor, resource as ActionResource) === null,
  'action.complete': (actor, resource) => {
    const r = resource as ActionResource | undefined;
    return !!r && (r.ownerId === actor.id || !!r.editsSource);
  },
  'action.oversee': roles(...ACTION_OVERSEERS),
  // Follow-up visits (R-V1, R-V2). Who may *see* a task is the SQL predicate in records.ts (its
  // archive's visibility, plus its assignee). The assignee, the archive's owners and the
  // department's manager visit; owners and managers plan, cancel and reassign.
  'visit.complete': visitRule(
    (a, v) =>
      v.assignee ||
      v.owner ||
      (has(a, 'department_manager') && v.managesArchive) ||
      VISIT_OVERSEERS.some((r) => has(a, r)),
  ),
  'visit.manage': visitRule(
    (a, v) =>
      v.owner || (has(a, 'department_manager') && v.managesArchive) || VISIT_OVERSEERS.some((r) => has(a, r)),
  ),
  'visit.configure': roles('admin', 'quality'),
  'visit_config.read': anyone,

  // Satisfaction surveys (R-V3). Who may *see* an invitation or an answered form is
  // records.ts `surveyVisible`: its archive's readers, and SURVEY_MANAGERS on every archive within
  // their clearance. Quality and the general managers keep the forms and run campaigns; department managers follow them; the archive's
  // owner, its department's manager and quality type in answers taken by phone or on paper.
  'survey.manage': roles(...SURVEY_MANAGERS),
  'survey.read': roles(...SURVEY_MANAGERS, 'department_manager'),
  'survey.respond': (actor, resource) => {
    const r = resource as SurveyResource | undefined;
    return (
      !!r && (r.owner || (has(actor, 'department_manager') && r.managesArchive) || has(actor, 'quality'))
    );
  },
  // Customer special requirements (顾客特殊要求, R-S1 … R-S5). Who may *see* one is the SQL
  // predicate `requirementVisible` in records.ts: whoever sees its archive, quality and the
  // general managers (SR_OVERSEERS), the departments asked to review it or owning it, and the
  // recipients of its distributions — always within clearance by the higher of its own and its
  // archive's secrecy; a customer's list, checks, symbols and characteristics are seen where the
  // archive is and by SR_OVERSEERS (`srCustomerVisible`). Sales (the
  // archive's owners and their manager) registers, edits and routes requirements; each asked
  // department reviews its own part; the owner and reviewing departments link the documents they
  // change; quality confirms 已落实 / 不适用, distributes, revises the list and checks it yearly
  // with the owners. Special characteristics are kept by quality, engineering (the department
  // coded 'engineering') and the archive's sales.
  'sr.create': srRule((a, r) => srSales(a, r) || has(a, 'quality')),
  'sr.update': srRule((a, r) => srSales(a, r) || has(a, 'quality')),
  'sr.requestReview': srRule((a, r) => srSales(a, r) || has(a, 'quality')),
  'sr.review': srRule((a, r) => srReviewer(a, r)),
  'sr.link': srRule(
    (a, r) => srReviewer(a, r) || !!r.inOwnerDepartment || has(a, 'quality') || srSales(a, r),
  ),
  'sr.raiseAction': srRule((a, r) => srReviewer(a, r) || !!r.inOwnerDepartment || has(a, 'quality')),
  'sr.confirm': srRule((a) => has(a, 'quality')),
  'sr.obsolete': srRule((a, r) => srSales(a, r) || has(a, 'quality')),
  // Clearing 需复核 and stopping the after-mass-production clock (the project team has it).
  'sr.recheck': srRule((a, r) => srSales(a, r) || has(a, 'quality')),
  'sr.inform': srRule((a, r) => srSales(a, r) || has(a, 'quality') || !!r.inOwnerDepartment),
  'sr.distribute': srRule((a) => has(a, 'quality')),
  'sr.remind': srRule((a) => has(a, 'quality')),
  'sr.acknowledge': srRule((_a, r) => !!r.recipient),
  'sr.revise': srRule((a) => has(a, 'quality')),
  'sr.check': srRule((a, r) => has(a, 'quality') || r.owner),
  'sr.characteristics': srRule((a, r) => has(a, 'quality') || !!r.engineering || srSales(a, r)),
  'sr.export': anyone,
  'sr.configure': roles('admin', 'quality'),
  'sr_config.read': anyone,

  // Orders and contract review (订单与合同评审, R-K1 … R-K3). Who may *see* an order is the SQL
  // predicate `orderVisible` in records.ts: where its customer archive is visible, and the
  // departments asked to review it — within clearance by the archive's secrecy. Sales (the
  // archive's owners, the registrant, their manager, the general manager) registers, changes,
  // overrides the class, submits and cancels; each asked department reviews its own part; the
  // signer the route names signs: sales alone for a regular order, the sales department's manager
  // after a non-regular review, the general manager for annual contracts and any 不接受 overruled
  // (the general manager may always sign).
  'order.create': orderRule((a, r) => orderSales(a, r)),
  'order.update': orderRule((a, r) => orderSales(a, r)),
  'order.review': orderRule(
    (a, r) => !!r.inReviewDepartment || (has(a, 'department_manager') && !!r.managesReviewDepartment),
  ),
  'order.approve': orderRule((a, r) => {
    if (has(a, 'general_manager')) return !!r.signerRole;
    if (r.signerRole === 'sales')
      return r.owner || !!r.registrant || (has(a, 'department_manager') && r.managesArchive);
    if (r.signerRole === 'sales_manager') return has(a, 'department_manager') && r.managesArchive;
    return false;
  }),
  // A submission is taken back to draft by whoever submitted it or an owner of the archive
  // (while no department has answered: workflow.ts withdrawOrder).
  'order.withdraw': orderRule((_a, r) => !!r.submitter || r.owner),
  'order.export': anyone,
  'order.configure': roles('admin'),
  'order_config.read': anyone,
  // A 合同更改通知单 (R-K4) is acknowledged by a member of the department it was issued to.
  'order.acknowledge': orderRule((_a, r) => !!r.inReviewDepartment),
  // Deliveries and delays (R-K5): sales keeps them on an accepted order (the archive's owners, the
  // registrant, their manager, the general manager); whoever sees an order sees its deliveries.
  'order.deliver': orderRule((a, r) => orderSales(a, r)),

  // Credit management and admission (R-A4, seed 004 第七条–第十一条). Sales (the archive's owners,
  // their manager, the general manager) investigates, requests a limit or a class, files a
  // 危险客户报告 and may suspend deliveries (营销人员有权暂时停止供货); resuming them is the manager's.
  // Balances come from sales or from whoever sees all amounts (finance). A request is approved by
  // the manager of the archive's department (a limit above the configured amount, by the general
  // manager), never by whoever made it unless the general manager; the sales director (the manager
  // of the archive's department) approves an admission. The general manager may decide all.
  'credit.balance': creditRule((a, r) => creditSales(a, r) || !!r.amounts),
  'credit.investigate': creditRule(creditSales),
  'credit.request': creditRule(creditSales),
  'credit.decide': creditRule((a, r) => {
    if (has(a, 'general_manager')) return true;
    if (r.requester) return false;
    return r.approverRole === 'department_manager' && has(a, 'department_manager') && r.managesArchive;
  }),
  'credit.suspend': creditRule(creditSales),
  'credit.resume': creditRule(
    (a, r) => (has(a, 'department_manager') && r.managesArchive) || has(a, 'general_manager'),
  ),
  'credit.admit': creditRule(creditSales),
  'credit.danger': creditRule(creditSales),
  'credit.export': anyone,
  'credit.configure': roles('admin'),
  'credit_config.read': anyone,

  // Customer analysis (R-A1 … R-A3, R-A5). Everyone reads it over the archives they see (the
  // SQL predicate in analysis/reader.ts); amounts only who sees prices. Sales ledgers and stock
  // are imported, and ABC grades applied, by the managers and the general managers; the grade
  // boundaries and the sales source are the administrator's.
  'analysis.read': anyone,
  'analysis.import': roles('department_manager', 'general_manager', 'deputy_general_manager'),
  // Month-end stock is the company's, not a department's: replacing it is the general managers'.
  'analysis.import_stock': roles('general_manager', 'deputy_general_manager'),
  'analysis.apply': roles('department_manager', 'general_manager', 'deputy_general_manager'),
  'analysis.configure': roles('admin'),

  // Archive statistics and the 统计年报 (篇八 第五十、五十一条): the overseers over every record
  // within their clearance; department managers and the deputy general managers over what they
  // may see and what their departments do.
  'statistics.read': roles(...ARCHIVE_STATS_OVERSEERS, 'department_manager', 'deputy_general_manager'),

  // 工作台 (R-W1): which panels of the home page a person gets. The figures in each are counted
  // with the visibility predicates of the modules they come from, so a panel shows no more than
  // the lists behind it.
  'dashboard.sales': roles('staff', 'department_manager'),
  'dashboard.quality': roles('quality'),
  'dashboard.archive': roles('archivist'),
  'dashboard.management': roles('general_manager', 'deputy_general_manager'),

  // Operations. Everyone reads (and marks read) their own notifications (R-W2); the schedule
  // of daily tasks and the backups (R-L3) are the administrator's.
  'notification.read': anyone,
  'system.schedule': roles('admin'),
  'system.backup': roles('admin'),
} satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;
