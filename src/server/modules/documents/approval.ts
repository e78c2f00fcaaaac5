import {
  APPROVAL_STATE_LABELS,
  APPROVAL_STEP_LABELS,
  type ApprovalState,
  type ApprovalStep,
} from '../../../common/documents.js';
import type {
  Document,
  DocumentEvent,
  PendingApproval,
  Signature,
  VersionApproval,
} from '../../../common/schemas/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { DocumentTable, DocumentVersionTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { can, documentSignRefusal } from '../../platform/policy/index.js';
import type { DocumentSignResource } from '../../platform/policy/rules.js';
import { countersignDepartments } from './config.js';
import { remindUnsigned } from './receipts.js';
import {
  assertEditable,
  documentFor,
  findVisible,
  type Reader,
  reader,
  recordEvent,
  versionName,
  visibleTo,
} from './service.js';
import { editable, makeCurrent, versionOf } from './versions.js';

// Approval of internal documents (编制 → 审核 → 会签 → 批准, issue 18): a version of an internal
// document whose category asks for it is drawn up by its author, who submits it (编制, signed
// with name and date); the owning department's manager reviews it (审核); the managers of the
// departments the category names countersign it, in any order (会签); the general manager or a
// deputy approves it (批准) and sets the day it comes into force (生效日期, today or later). Any
// signer may instead return it to the author with a reason, which starts a new round. Who may
// sign what is `documentSignRefusal` (policy/rules.ts): never the author, and the reviewer does
// not approve. An approved version comes into force on its effective date: at once when that is
// today, else by the daily task (`activateDueVersions`); only then may it be distributed,
// stamped or shown as current (copies.ts, stamp.ts, versions.ts refuse before).

type Version = DocumentVersionTable;
type Row = Awaited<ReturnType<typeof editable>>;
type SignStep = Exclude<ApprovalStep, 'draft'>;

const stateText = (state: string | null, lang: Ctx['lang']) =>
  APPROVAL_STATE_LABELS[state as ApprovalState]?.[lang] ?? String(state);

interface SignatureRow {
  id: string;
  version_id: string;
  round: number | string;
  step: string;
  department_id: string | null;
  department_name: string | null;
  decision: string;
  signer_id: string;
  signer_name: string;
  signed_at: string;
  reason: string | null;
  effective_date: string | null;
}

async function signaturesOf(db: Db, versionIds: string[]): Promise<SignatureRow[]> {
  if (versionIds.length === 0) return [];
  return db
    .selectFrom('document_signatures as s')
    .leftJoin('departments as dep', 'dep.id', 's.department_id')
    .selectAll('s')
    .select('dep.name as department_name')
    .where('s.version_id', 'in', versionIds)
    .orderBy('s.signed_at')
    .orderBy('s.id')
    .execute();
}

/** Who drew each version up besides its 编制 signer: who created it and who uploaded the files
 * it holds (documentSignRefusal: none of them signs a later step). */
async function contributorsOf(db: Db, versionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (versionIds.length === 0) return out;
  const [versions, files] = await Promise.all([
    db.selectFrom('document_versions').select(['id', 'created_by']).where('id', 'in', versionIds).execute(),
    db
      .selectFrom('document_files')
      .select(['version_id', 'created_by'])
      .where('version_id', 'in', versionIds)
      .where('removed_at', 'is', null)
      .execute(),
  ]);
  const add = (versionId: string, person: string | null) => {
    if (!person) return;
    const list = out.get(versionId) ?? [];
    if (!list.includes(person)) list.push(person);
    out.set(versionId, list);
  };
  for (const v of versions) add(v.id, v.created_by);
  for (const f of files) add(f.version_id, f.created_by);
  return out;
}

/** What one round's signatures say: who signed each step (returns end a round, so none count). */
function roundFacts(signatures: SignatureRow[], round: number) {
  const own = signatures.filter((s) => Number(s.round) === round && s.decision === 'signed');
  const first = (step: ApprovalStep) => own.find((s) => s.step === step) ?? null;
  return {
    drafter: first('draft'),
    reviewer: first('review'),
    approver: first('approve'),
    countersigned: new Map(
      own.filter((s) => s.step === 'countersign').map((s) => [s.department_id ?? '', s]),
    ),
  };
}

const toSignature = (s: SignatureRow): Signature => ({
  id: s.id,
  round: Number(s.round),
  step: s.step as Signature['step'],
  decision: s.decision as Signature['decision'],
  departmentId: s.department_id,
  departmentName: s.department_name,
  signerName: s.signer_name,
  signedAt: s.signed_at,
  reason: s.reason,
  effectiveDate: s.effective_date,
});

export interface ApprovalView {
  approval: VersionApproval | null;
  can: { submit: boolean; review: boolean; countersign: string[]; approve: boolean; return: boolean };
}

const NO_STEPS: ApprovalView['can'] = {
  submit: false,
  review: false,
  countersign: [],
  approve: false,
  return: false,
};

/**
 * The approval of each version under it, as the document page shows it, with the steps the
 * reader may take (each request is checked again).
 */
export async function approvalViews(
  r: Reader,
  row: Pick<DocumentTable, 'department_id' | 'category' | 'status'>,
  versions: {
    id: string;
    status: string;
    approvalState: string | null;
    approvalRound: number;
    effectiveDate: string | null;
  }[],
  mayUpdate: boolean,
): Promise<Map<string, ApprovalView>> {
  const out = new Map<string, ApprovalView>();
  const under = versions.filter((v) => v.approvalState !== null);
  if (under.length === 0) return out;
  const signatures = await signaturesOf(
    r.ctx.db,
    under.map((v) => v.id),
  );
  const departments = await countersignDepartments(r.ctx.db, row.category);
  const contributors = await contributorsOf(
    r.ctx.db,
    under.map((v) => v.id),
  );
  for (const v of under) {
    const own = signatures.filter((s) => s.version_id === v.id);
    const facts = roundFacts(own, v.approvalRound);
    const state = v.approvalState as ApprovalState;
    const open = v.status === 'draft' && row.status !== 'destroyed' && row.status !== 'obsolete';
    const refusal = (step: SignStep, departmentId?: string) =>
      documentSignRefusal(r.ctx.actor, {
        step,
        authorId: facts.drafter?.signer_id ?? '',
        contributorIds: contributors.get(v.id) ?? [],
        reviewerId: facts.reviewer?.signer_id ?? null,
        inActorDepartments: r.scope.departmentIds.includes(row.department_id),
        headsCountersignDepartment: !!departmentId && r.scope.departmentIds.includes(departmentId),
      });
    const pendingCountersign = departments.filter((d) => !facts.countersigned.has(d.id));
    const countersign =
      open && state === 'countersigning'
        ? pendingCountersign.filter((d) => refusal('countersign', d.id) === null).map((d) => d.id)
        : [];
    const awaited: SignStep | null =
      state === 'reviewing' ? 'review' : state === 'approving' ? 'approve' : null;
    const steps = {
      submit: open && state === 'drafting' && mayUpdate,
      review: open && state === 'reviewing' && refusal('review') === null,
      countersign,
      approve: open && state === 'approving' && refusal('approve') === null,
      return: open && ((awaited !== null && refusal(awaited) === null) || countersign.length > 0),
    };
    out.set(v.id, {
      approval: {
        state,
        round: v.approvalRound,
        effectiveDate: v.effectiveDate,
        drafter: facts.drafter?.signer_name ?? null,
        reviewer: facts.reviewer?.signer_name ?? null,
        approver: facts.approver?.signer_name ?? null,
        countersign: departments.map((d) => {
          const s = facts.countersigned.get(d.id);
          return {
            departmentId: d.id,
            departmentName: d.name,
            signerName: s?.signer_name ?? null,
            signedAt: s?.signed_at ?? null,
          };
        }),
        signatures: own.map(toSignature),
      },
      can: steps,
    });
  }
  return out;
}

export { NO_STEPS };

/** May the reader see a draft under approval and its files: whoever may sign a step of one. */
export function maySeeApprovalDrafts(actor: Actor): boolean {
  return can(actor, 'document.approval_read');
}

// Steps ------------------------------------------------------------------------------------------

interface StepContext {
  r: Reader;
  t: TxCtx;
  row: Row;
  v: Version;
  signatures: SignatureRow[];
  facts: ReturnType<typeof roundFacts>;
  /** Who created the version or uploaded its files. */
  contributors: string[];
}

/** The document and version, locked for this change, checked to be a draft in `states`. */
async function stepContext(
  r: Reader,
  t: TxCtx,
  id: string,
  versionId: string,
  states: ApprovalState[],
  opts: { update: boolean },
): Promise<StepContext> {
  const row = opts.update ? await editable(r, t, id) : await lockedVisible(r, t, id);
  const v = await versionOf(t.db, id, versionId);
  if (v.approval === null) throw new DomainError('approval_not_required', 409);
  if (v.status !== 'draft' || !states.includes(v.approval as ApprovalState))
    throw new DomainError('approval_state', 409, {
      state: v.status === 'draft' ? stateText(v.approval, t.lang) : stateText('approved', t.lang),
    });
  const signatures = await signaturesOf(t.db, [v.id]);
  const contributors = (await contributorsOf(t.db, [v.id])).get(v.id) ?? [];
  return {
    r,
    t,
    row,
    v,
    signatures,
    facts: roundFacts(signatures, Number(v.approval_round)),
    contributors,
  };
}

/** The document for a signer who need not be able to change it (reviewers, approvers). */
async function lockedVisible(r: Reader, t: TxCtx, id: string): Promise<Row> {
  if (dialectOf(t.db as never) === 'postgres')
    await t.db.selectFrom('documents').select('id').where('id', '=', id).forUpdate().execute();
  const row = await findVisible(r, id, t.db);
  assertEditable(row);
  return row;
}

function assertMaySign(c: StepContext, step: SignStep, departmentId?: string): void {
  const resource: DocumentSignResource = {
    step,
    authorId: c.facts.drafter?.signer_id ?? c.v.created_by,
    contributorIds: c.contributors,
    reviewerId: c.facts.reviewer?.signer_id ?? null,
    inActorDepartments: c.r.scope.departmentIds.includes(c.row.department_id),
    headsCountersignDepartment: !!departmentId && c.r.scope.departmentIds.includes(departmentId),
  };
  const refusal = documentSignRefusal(c.r.ctx.actor, resource);
  if (refusal)
    throw new DomainError(refusal, 403, {}, undefined, {
      action: `document.${step}`,
      targetType: 'document',
      targetId: c.row.id,
    });
}

async function sign(
  c: StepContext,
  step: ApprovalStep,
  decision: 'signed' | 'returned',
  extra: { departmentId?: string | null; reason?: string | null; effectiveDate?: string | null } = {},
): Promise<void> {
  const actor = c.r.ctx.actor;
  await c.t.db
    .insertInto('document_signatures')
    .values({
      id: newId(),
      document_id: c.row.id,
      version_id: c.v.id,
      round: Number(c.v.approval_round),
      step,
      department_id: extra.departmentId ?? null,
      decision,
      signer_id: actor.id,
      signer_name: actor.name,
      signed_at: nowIso(c.t),
      reason: extra.reason ?? null,
      effective_date: extra.effectiveDate ?? null,
    })
    .execute();
}

async function setState(c: StepContext, state: ApprovalState, more: Partial<Version> = {}): Promise<void> {
  await c.t.db
    .updateTable('document_versions')
    .set({ approval: state, ...more })
    .where('id', '=', c.v.id)
    .execute();
}

async function record(
  c: StepContext,
  kind: DocumentEvent['kind'],
  details: Record<string, unknown>,
): Promise<void> {
  const label = versionName(c.v);
  await recordEvent(c.t, c.row.id, kind, { ...details, version: label }, c.v.id);
  await appendAudit(c.t, {
    action: `document.${kind}`,
    targetType: 'document',
    targetId: c.row.id,
    targetLabel: c.row.title,
    secrecy: Number(c.row.effective_secrecy),
    details: { versionId: c.v.id, version: label, round: Number(c.v.approval_round), ...details },
  });
}

/** Tells who must sign next (their to-do shows it too), at the record's effective secrecy. */
async function tellSigners(c: StepContext, next: ApprovalState): Promise<void> {
  const people = await signersFor(c.t.db, c.row, next);
  const others = people.filter(
    (id) => id !== c.facts.drafter?.signer_id && id !== c.r.ctx.actor.id && !c.contributors.includes(id),
  );
  if (others.length === 0) return;
  const step = next === 'reviewing' ? '审核' : next === 'countersigning' ? '会签' : '批准';
  await notify(c.t, others, {
    kind: 'document.approval',
    title: `文件待${step}：${c.row.title}（${versionName(c.v)}）`,
    link: `/documents/${c.row.id}`,
    secrecy: Number(c.row.effective_secrecy),
  });
}

/** Who may sign the step a version waits for (department managers of the departments, or the
 * general manager and deputies), for notices. */
async function signersFor(
  db: Db,
  row: Pick<DocumentTable, 'department_id' | 'category'>,
  state: ApprovalState,
): Promise<string[]> {
  const leaders = await activeUsersWithRoles(db, ['general_manager', 'deputy_general_manager']);
  if (state === 'approving') return leaders;
  const departments =
    state === 'reviewing'
      ? [row.department_id]
      : (await countersignDepartments(db, row.category)).map((d) => d.id);
  const managers = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .select('u.id')
    .where('u.active', '=', 1)
    .where('ur.role', '=', 'department_manager')
    .where('u.department_id', 'in', ['', ...departments])
    .execute();
  return [...managers.map((m) => m.id), ...(state === 'reviewing' ? leaders : [])];
}

/** Before a version goes round: every department that countersigns has an active manager cleared
 * for the record, or it would wait for a signature nobody can give. */
async function assertCountersignable(
  db: Db,
  row: Pick<DocumentTable, 'category'> & { effective_secrecy: number | string },
): Promise<void> {
  const departments = await countersignDepartments(db, row.category);
  if (departments.length === 0) return;
  const cleared = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .select('u.department_id')
    .distinct()
    .where('u.active', '=', 1)
    .where('ur.role', '=', 'department_manager')
    .where('u.clearance', '>=', Number(row.effective_secrecy))
    .where(
      'u.department_id',
      'in',
      departments.map((d) => d.id),
    )
    .execute();
  const missing = departments.filter((d) => !cleared.some((u) => u.department_id === d.id));
  if (missing.length)
    throw new DomainError('countersign_no_manager', 409, {
      departments: missing.map((d) => d.name).join('、'),
    });
}

/** 编制: the author signs the draft and submits it for review. */
export async function submitVersion(ctx: Ctx, id: string, versionId: string): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const c = await stepContext(r, t, id, versionId, ['drafting'], { update: true });
    if (c.row.carrier !== 'paper') {
      const file = await t.db
        .selectFrom('document_files')
        .select('id')
        .where('version_id', '=', c.v.id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      if (!file) throw new DomainError('version_file_required', 422, {}, 'file');
    }
    await assertCountersignable(t.db, c.row);
    await sign(c, 'draft', 'signed');
    await setState(c, 'reviewing');
    await record(c, 'approval_submit', {});
    c.facts.drafter = { signer_id: r.ctx.actor.id } as SignatureRow;
    await tellSigners(c, 'reviewing');
  });
  return documentFor(r, id);
}

/** 审核: the reviewer signs; the version goes to 会签 when the category names departments. */
export async function reviewVersion(ctx: Ctx, id: string, versionId: string): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const c = await stepContext(r, t, id, versionId, ['reviewing'], { update: false });
    assertMaySign(c, 'review');
    await sign(c, 'review', 'signed');
    const departments = await countersignDepartments(t.db, c.row.category);
    const next: ApprovalState = departments.length > 0 ? 'countersigning' : 'approving';
    await setState(c, next);
    await record(c, 'approval_review', {});
    await tellSigners(c, next);
  });
  return documentFor(r, id);
}

/** 会签: the manager of a department the category names signs for it; the last one sends the
 * version on to 批准. */
export async function countersignVersion(
  ctx: Ctx,
  id: string,
  versionId: string,
  departmentId: string | null | undefined,
): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const c = await stepContext(r, t, id, versionId, ['countersigning'], { update: false });
    const departments = await countersignDepartments(t.db, c.row.category);
    const pending = departments.filter((d) => !c.facts.countersigned.has(d.id));
    const mine = pending.filter((d) => r.scope.departmentIds.includes(d.id));
    const chosen = departmentId
      ? pending.find((d) => d.id === departmentId)
      : mine.length === 1
        ? mine[0]
        : undefined;
    if (!chosen) {
      // Someone who heads no department at all is told who countersigns.
      if (!departmentId && !departments.some((d) => r.scope.departmentIds.includes(d.id)))
        assertMaySign(c, 'countersign');
      throw new DomainError('countersign_not_pending', 409, {}, 'departmentId');
    }
    assertMaySign(c, 'countersign', chosen.id);
    await sign(c, 'countersign', 'signed', { departmentId: chosen.id });
    const done = pending.length === 1;
    if (done) await setState(c, 'approving');
    await record(c, 'approval_countersign', { department: chosen.name });
    if (done) await tellSigners(c, 'approving');
  });
  return documentFor(r, id);
}

/** 批准 with the effective date (today or later): in force at once when that is today. */
export async function approveVersion(
  ctx: Ctx,
  id: string,
  versionId: string,
  effectiveDate: string,
): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const c = await stepContext(r, t, id, versionId, ['approving'], { update: false });
    assertMaySign(c, 'approve');
    const today = todayInShanghai(t.now());
    if (effectiveDate < today) throw new FieldErrors([{ field: 'effectiveDate', key: 'past_date' }]);
    await sign(c, 'approve', 'signed', { effectiveDate });
    await setState(c, 'approved', { effective_date: effectiveDate });
    await record(c, 'approval_approve', { effectiveDate });
    const author = c.facts.drafter?.signer_id;
    if (author)
      await notify(t, [author], {
        kind: 'document.approval',
        title: `文件已批准：${c.row.title}（${versionName(c.v)}），生效日期 ${effectiveDate}`,
        link: `/documents/${c.row.id}`,
        secrecy: Number(c.row.effective_secrecy),
      });
    if (effectiveDate <= today) {
      const v = await versionOf(t.db, id, versionId);
      await makeCurrent(t, c.row, v, 'all');
    }
  });
  return documentFor(r, id);
}

/** 退回: whoever may sign the step the version waits for sends it back to the author with a
 * reason; the signatures of the round stay in its history, and a new round starts. */
export async function returnVersion(
  ctx: Ctx,
  id: string,
  versionId: string,
  reason: string,
): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const c = await stepContext(r, t, id, versionId, ['reviewing', 'countersigning', 'approving'], {
      update: false,
    });
    const state = c.v.approval as ApprovalState;
    let step: SignStep = state === 'reviewing' ? 'review' : state === 'approving' ? 'approve' : 'countersign';
    let departmentId: string | null = null;
    if (step === 'countersign') {
      const pending = (await countersignDepartments(t.db, c.row.category)).filter(
        (d) => !c.facts.countersigned.has(d.id) && r.scope.departmentIds.includes(d.id),
      );
      departmentId = pending[0]?.id ?? null;
      step = 'countersign';
    }
    assertMaySign(c, step, departmentId ?? undefined);
    await sign(c, step, 'returned', { reason, departmentId });
    await setState(c, 'drafting', { approval_round: Number(c.v.approval_round) + 1 });
    await record(c, 'approval_return', { step: APPROVAL_STEP_LABELS[step].zh, reason });
    const author = c.facts.drafter?.signer_id;
    if (author)
      await notify(t, [author], {
        kind: 'document.approval',
        title: `文件被退回：${c.row.title}（${versionName(c.v)}）`,
        body: reason,
        link: `/documents/${c.row.id}`,
        secrecy: Number(c.row.effective_secrecy),
      });
  });
  return documentFor(r, id);
}

/**
 * Versions approved with an effective date that has come: each comes into force in its own
 * transaction, as the system (a daily task; the copies of the version it replaces are all to be
 * recalled). Returns how many.
 */
export async function activateDueVersions(ctx: Ctx): Promise<{ activated: number; failed: number }> {
  const today = todayInShanghai(ctx.now());
  const due = await ctx.db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.id', 'v.document_id'])
    .where('v.approval', '=', 'approved')
    .where('v.status', '=', 'draft')
    .where('v.effective_date', '<=', today)
    .where('d.status', 'in', ['current', 'draft'])
    .orderBy('v.effective_date')
    .limit(5000)
    .execute();
  let activated = 0;
  let failed = 0;
  for (const d of due) {
    try {
      await tx(ctx, async (t) => {
        const row = await t.db
          .selectFrom('documents')
          .select(['id', 'title', 'secrecy', 'carrier', 'status'])
          .where('id', '=', d.document_id)
          .executeTakeFirstOrThrow();
        const v = await versionOf(t.db, d.document_id, d.id);
        if (v.status !== 'draft' || v.approval !== 'approved') return;
        await makeCurrent(t, row, v, 'all');
        activated++;
      });
    } catch {
      // A version that cannot come into force (a file taken out meanwhile) stays approved and
      // waits; its page still shows it as approved, not in force.
      failed++;
    }
  }
  return { activated, failed };
}

/**
 * To-do: the versions waiting for a signature the reader may give (审核, 会签, 批准), oldest
 * first; the reader sees each document (R-P1) or it is not listed.
 */
export async function pendingApprovals(ctx: Ctx): Promise<PendingApproval[]> {
  const r = await reader(ctx);
  if (!maySeeApprovalDrafts(r.ctx.actor)) return [];
  const rows = await ctx.db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select([
      'v.id',
      'v.seq',
      'v.label',
      'v.status',
      'v.approval',
      'v.approval_round',
      'v.effective_date',
      'v.created_at',
      'd.id as document_id',
      'd.title',
      'd.doc_number',
      'd.department_id',
      'd.category',
      'd.status as document_status',
    ])
    .where('v.status', '=', 'draft')
    .where('v.approval', 'in', ['reviewing', 'countersigning', 'approving'])
    .where(visibleTo(r) as never)
    .orderBy('v.created_at')
    .limit(500)
    .execute();
  const out: PendingApproval[] = [];
  for (const v of rows) {
    const views = await approvalViews(
      r,
      { department_id: v.department_id, category: v.category, status: v.document_status },
      [
        {
          id: v.id,
          status: v.status,
          approvalState: v.approval,
          approvalRound: Number(v.approval_round),
          effectiveDate: v.effective_date,
        },
      ],
      false,
    );
    const can = views.get(v.id)?.can;
    const step: SignStep | null = can?.review
      ? 'review'
      : can?.approve
        ? 'approve'
        : can && can.countersign.length > 0
          ? 'countersign'
          : null;
    if (!step) continue;
    out.push({
      documentId: v.document_id,
      title: v.title,
      docNumber: v.doc_number,
      versionId: v.id,
      versionLabel: versionName(v),
      state: v.approval as ApprovalState,
      step,
      drafter: views.get(v.id)?.approval?.drafter ?? null,
    });
  }
  return out;
}

/** The daily `document_control` task. */
export async function documentControlDaily(ctx: Ctx): Promise<Record<string, unknown>> {
  return { ...(await activateDueVersions(ctx)), ...(await remindUnsigned(ctx)) };
}
