import type { SignerStep } from '../../../common/retention.js';
import type { Disposal } from '../../../common/schemas/retention.js';
import type { Db } from '../../db/index.js';
import type { DisposalTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { assertReadable, authorize, disposalSignRefusal } from '../../platform/policy/index.js';
import type { RetentionResource } from '../../platform/policy/rules.js';
import { loadRetentionSettings } from './config.js';
import {
  assertNoneHeld,
  disposalTarget,
  findDisposal,
  getDisposal,
  listedItems,
  registerSecrecy,
  statusError,
} from './disposals.js';

// Signing a destruction register (R-X3): who may sign each step — the step's role, not the
// drafter, nobody twice, the business department's head for the records' departments, cleared
// for every item (one rule, `disposalSignRefusal` in the policy) — who is told, submitting a
// register for signature, and the signatures themselves.

/** The departments whose managers sign for the business side of a register: those holding
 * records on it and every department above them (R-X3). */
export async function headDepartments(db: Db, disposalId: string): Promise<Set<string>> {
  const rows = await db
    .withRecursive('up(id, parent_id)', (qb) =>
      qb
        .selectFrom('disposal_items as di')
        .innerJoin('documents as d', 'd.id', 'di.document_id')
        .innerJoin('departments as dep', 'dep.id', 'd.department_id')
        .select(['dep.id', 'dep.parent_id'])
        .where('di.disposal_id', '=', disposalId)
        .union((q) =>
          q
            .selectFrom('departments as p')
            .innerJoin('up', 'up.parent_id', 'p.id')
            .select(['p.id', 'p.parent_id']),
        ),
    )
    .selectFrom('up')
    .select('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

export interface SigningState {
  /** The step waiting for a signature (while the register is being signed). */
  step: SignerStep | undefined;
  index: number;
  /** Who signed the earlier steps. */
  signerIds: string[];
}

export async function signingState(
  db: Db,
  row: Pick<DisposalTable, 'id' | 'signer_steps'>,
): Promise<SigningState> {
  const steps = JSON.parse(row.signer_steps) as SignerStep[];
  const signed = await db
    .selectFrom('disposal_signatures')
    .select(['step', 'user_id'])
    .where('disposal_id', '=', row.id)
    .where('kind', '=', 'leader')
    .execute();
  const index = steps.findIndex((_, i) => !signed.some((s) => Number(s.step) === i + 1));
  return { step: steps[index], index, signerIds: signed.map((s) => s.user_id) };
}

/** What the policy needs to decide who may sign the register's current step (R-X3). */
export interface SignFacts {
  state: Pick<SigningState, 'step' | 'signerIds'>;
  drafterId: string;
  /** The departments whose managers sign for the business side (only for that step). */
  heads: Set<string>;
  /** The register's effective secrecy: every signer is cleared for all of it (R-P1). */
  secrecy: number;
}

export async function signFacts(
  db: Db,
  row: Pick<DisposalTable, 'id' | 'created_by'>,
  state: Pick<SigningState, 'step' | 'signerIds'>,
  secrecy?: number,
): Promise<SignFacts> {
  return {
    state,
    drafterId: row.created_by,
    heads: state.step?.role === 'department_manager' ? await headDepartments(db, row.id) : new Set(),
    secrecy: secrecy ?? (await registerSecrecy(db, row.id)),
  };
}

/** The policy's view of one person signing, for `disposalSignRefusal`. */
export const signResource = (
  f: SignFacts,
  person: Pick<Actor, 'departmentId' | 'clearance'>,
): RetentionResource => ({
  stepRole: f.state.step?.role,
  drafterId: f.drafterId,
  signerIds: f.state.signerIds,
  headsRecordsDepartment: !!person.departmentId && f.heads.has(person.departmentId),
  clearedForAll: person.clearance >= f.secrecy,
});

/** Why the actor may not sign the register's current step now (a code), or null if they may:
 * the one rule the sign route, the page and the to-do list share. */
export async function signRefusal(
  db: Db,
  row: Pick<DisposalTable, 'id' | 'created_by' | 'signer_steps'>,
  actor: Actor,
): Promise<{ step: SignerStep | undefined; refusal: ReturnType<typeof disposalSignRefusal> }> {
  const state = await signingState(db, row);
  const facts = await signFacts(db, row, state);
  return { step: state.step, refusal: disposalSignRefusal(actor, signResource(facts, actor)) };
}

/** The people who may sign a step, by the same rule as signing: those holding its role who are
 * neither the drafter nor an earlier signer, cleared for every item, and for the business
 * department's step only the managers of the records' departments and those above them. */
export async function eligibleSigners(db: Db, facts: SignFacts): Promise<{ id: string; name: string }[]> {
  const role = facts.state.step?.role;
  if (!role) return [];
  const people = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.name', 'u.department_id', 'u.clearance'])
    .distinct()
    .where('u.active', '=', 1)
    .where('r.role', '=', role)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
  return people
    .filter(
      (p) =>
        // They hold the step's role: the query asked for it.
        disposalSignRefusal(
          { id: p.id, roles: [role as Actor['roles'][number]] },
          signResource(facts, { departmentId: p.department_id, clearance: Number(p.clearance) }),
        ) === null,
    )
    .map((p) => ({ id: p.id, name: p.name }));
}

/** Tells the people who may sign a step that a register waits for them. */
async function notifySigners(
  t: TxCtx,
  row: DisposalTable,
  step: SignerStep | undefined,
  signerIds: string[] = [],
): Promise<void> {
  if (!step) return;
  const facts = await signFacts(t.db, row, { step, signerIds });
  const signers = await eligibleSigners(t.db, facts);
  await notify(
    t,
    signers.map((p) => p.id),
    {
      kind: 'retention.signature',
      title: `待签批销毁清册：${row.number} ${row.title}`,
      body: step.label,
      link: `/retention/disposals/${row.id}`,
      secrecy: facts.secrecy,
    },
  );
}

export async function submitDisposal(ctx: Ctx, id: string): Promise<Disposal> {
  authorize(ctx, 'disposal.manage', { type: 'disposal', id });
  await tx(ctx, async (t) => {
    const row = await findDisposal(t.db, id);
    if (row.status !== 'draft') throw statusError(row, ctx.lang);
    const items = await listedItems(t.db, id);
    await assertNoneHeld(
      t,
      items.map((i) => ({ id: i.document_id, title: i.title })),
    );
    const steps = (await loadRetentionSettings(t.db)).signerSteps;
    // A step nobody cleared for every item could sign would leave the register waiting for good.
    const secrecy = await registerSecrecy(t.db, id);
    for (const step of steps)
      if (
        (await eligibleSigners(t.db, await signFacts(t.db, row, { step, signerIds: [] }, secrecy))).length ===
        0
      )
        throw new DomainError('no_cleared_signer', 422, { step: step.label });
    await t.db
      .updateTable('disposals')
      .set({ status: 'signing', submitted_at: nowIso(t), signer_steps: JSON.stringify(steps) })
      .where('id', '=', id)
      .execute();
    await notifySigners(t, row, steps[0]);
    await appendAudit(t, {
      action: 'disposal.submit',
      targetType: 'disposal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      details: { number: row.number, steps },
    });
  });
  return getDisposal(ctx, id);
}

/** The current step's leader signs: approve, or reject with a reason (the register ends and its
 * items may go on a new one). */
export async function signDisposal(
  ctx: Ctx,
  id: string,
  input: { decision: 'approve' | 'reject'; opinion: string | null },
): Promise<Disposal> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  await tx(ctx, async (t) => {
    const row = await findDisposal(t.db, id);
    // Who may not read the register learns nothing of it, not even its status (R-P1).
    assertReadable(ctx, disposalTarget(row));
    if (row.status !== 'signing') throw statusError(row, ctx.lang);
    const steps = JSON.parse(row.signer_steps) as SignerStep[];
    const state = await signingState(t.db, row);
    const { step, index: stepIndex } = state;
    if (!step) throw statusError(row, ctx.lang);
    // Separation of duties and clearance (R-X3, R-P1): the policy says who may sign this step,
    // and why not.
    const refusal = disposalSignRefusal(actor, signResource(await signFacts(t.db, row, state), actor));
    if (refusal === 'disposal_already_signed') throw new DomainError(refusal, 409);
    if (refusal)
      throw new DomainError(refusal, 403, { label: step.label }, undefined, {
        action: 'disposal.sign',
        targetType: 'disposal',
        targetId: id,
      });
    if (input.decision === 'reject' && !input.opinion)
      throw new FieldErrors([{ field: 'opinion', key: 'required' }]);
    await t.db
      .insertInto('disposal_signatures')
      .values({
        id: newId(),
        disposal_id: id,
        kind: 'leader',
        step: stepIndex + 1,
        label: step.label,
        user_id: actor.id,
        user_name: actor.name,
        decision: input.decision,
        opinion: input.opinion,
        signed_at: nowIso(t),
      })
      .execute();
    const last = stepIndex === steps.length - 1;
    if (input.decision === 'reject') {
      await t.db
        .updateTable('disposals')
        .set({ status: 'rejected', rejected_reason: input.opinion })
        .where('id', '=', id)
        .execute();
      await t.db
        .updateTable('appraisal_items')
        .set({ disposal_id: null })
        .where('disposal_id', '=', id)
        .execute();
      await notify(t, [row.created_by], {
        kind: 'retention.disposal',
        title: `销毁清册被退回：${row.number} ${row.title}`,
        body: input.opinion,
        link: `/retention/disposals/${id}`,
        secrecy: await registerSecrecy(t.db, id),
      });
    } else if (last) {
      await t.db.updateTable('disposals').set({ status: 'approved' }).where('id', '=', id).execute();
      await notify(t, await activeUsersWithRoles(t.db, ['archivist']), {
        kind: 'retention.disposal',
        title: `销毁清册已批准，待执行销毁：${row.number} ${row.title}`,
        link: `/retention/disposals/${id}`,
        secrecy: await registerSecrecy(t.db, id),
        neutral: { title: `销毁清册 ${row.number} 已批准（含密级高于您涉密等级的档案）` },
      });
    } else await notifySigners(t, row, steps[stepIndex + 1], [...state.signerIds, actor.id]);
    await appendAudit(t, {
      action: input.decision === 'reject' ? 'disposal.reject' : 'disposal.sign',
      targetType: 'disposal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      details: { number: row.number, step: stepIndex + 1, label: step.label, opinion: input.opinion },
    });
  });
  return getDisposal(ctx, id);
}
