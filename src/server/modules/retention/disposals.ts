import type { Readable } from 'node:stream';
import { secrecyFromRank } from '../../../common/enums.js';
import { errorMessage } from '../../../common/errors.js';
import {
  DISPOSAL_STATUS_LABELS,
  type DisposalStatus,
  disposalCounts,
  disposalCountText,
  type SignerStep,
  yearsKept,
} from '../../../common/retention.js';
import type { DirectoryUser } from '../../../common/schemas/platform.js';
import type {
  CreateDisposalInput,
  Disposal,
  DisposalCandidate,
  DisposalItem,
  DisposalSummary,
} from '../../../common/schemas/retention.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { DisposalTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, systemTriggeredBy, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { nextCode } from '../../platform/numbering.js';
import {
  assertReadable,
  authorize,
  authorizeRecord,
  can,
  disposalSignRefusal,
  disposalWitnessRefusal,
  type RecordTarget,
} from '../../platform/policy/index.js';
import {
  documentSecrecy,
  documentWithinClearance,
  secrecyOfDocuments,
} from '../../platform/policy/records.js';
import type { RetentionResource, WitnessResource } from '../../platform/policy/rules.js';
import { likePattern } from '../../platform/sql.js';
import type { BlobStore } from '../../platform/storage.js';
import { destroyContent, markDestroyed } from '../documents/destruction.js';
import * as files from '../documents/files.js';
import * as documentRepo from '../documents/repo.js';
import { loadRetentionSettings } from './config.js';
import { holdReasons, isHeld } from './hold-query.js';
import { disposalPdf, disposalXlsx, fileReport, storeReport } from './reports.js';

// The destruction register (销毁清册, R-X3/R-X4): records the appraisal group agreed to destroy
// are listed with archive number, document number, responsible party, title, date formed,
// retention, years kept and destruction date. The register is signed in order by the
// configured leaders; only then does the archivist destroy, on the day, with two witnesses
// named (监销人): holds are checked once more, electronic content is removed, and each witness
// checks the items one by one and signs. Physical items count as destroyed once both have
// signed. The register is never deleted; when complete it is stored as a permanent record.

const NUMBER_PATTERN = 'XH{yyyy}-{seq:3}';

async function findDisposal(db: Db, id: string): Promise<DisposalTable> {
  const row = await db.selectFrom('disposals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

const witnessIdsOf = (row: DisposalTable) => JSON.parse(row.witness_ids) as string[];
const stepsOf = async (db: Db, row: DisposalTable): Promise<SignerStep[]> =>
  row.status === 'draft'
    ? (await loadRetentionSettings(db)).signerSteps
    : (JSON.parse(row.signer_steps) as SignerStep[]);

function statusError(row: DisposalTable, lang: 'zh' | 'en') {
  return new DomainError('disposal_status', 409, {
    status: DISPOSAL_STATUS_LABELS[row.status as DisposalStatus]?.[lang] ?? row.status,
  });
}

/** Reasons of the holds in force on a document (its own or its archive's), or null. */
async function holdReason(db: Db, documentId: string): Promise<string | null> {
  return (await holdReasons(db, [documentId])).get(documentId) ?? null;
}

/** The departments whose managers sign for the business side of a register: those holding
 * records on it and every department above them (R-X3). */
async function headDepartments(db: Db, disposalId: string): Promise<Set<string>> {
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

async function signingState(db: Db, row: Pick<DisposalTable, 'id' | 'signer_steps'>): Promise<SigningState> {
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
interface SignFacts {
  state: Pick<SigningState, 'step' | 'signerIds'>;
  drafterId: string;
  /** The departments whose managers sign for the business side (only for that step). */
  heads: Set<string>;
  /** The register's effective secrecy: every signer is cleared for all of it (R-P1). */
  secrecy: number;
}

async function signFacts(
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
const signResource = (
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
async function eligibleSigners(db: Db, facts: SignFacts): Promise<{ id: string; name: string }[]> {
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

// Reading ----------------------------------------------------------------------------------------

async function itemsOf(db: Db, actor: Actor, row: DisposalTable, today: string): Promise<DisposalItem[]> {
  const rows = await db
    .selectFrom('disposal_items as di')
    .innerJoin('documents as d', 'd.id', 'di.document_id')
    .selectAll('di')
    .where('di.disposal_id', '=', row.id)
    .where(documentWithinClearance(actor))
    .orderBy('di.seq')
    .execute();
  const on = row.destruction_date ?? today;
  // Until destruction checks holds once more, a hold placed since listing shows as it stands now.
  const held = ['draft', 'signing', 'approved'].includes(row.status)
    ? await holdReasons(
        db,
        rows.filter((i) => i.status === 'listed').map((i) => i.document_id),
      )
    : new Map<string, string>();
  return rows.map((i) => ({
    id: i.id,
    seq: Number(i.seq),
    documentId: i.document_id,
    archiveNo: i.archive_no,
    docNumber: i.doc_number,
    responsibleParty: i.responsible_party,
    title: i.title,
    dateFormed: i.date_formed,
    retention: i.retention,
    recordYear: Number(i.record_year),
    yearsKept: yearsKept(Number(i.record_year), on),
    destructionDate: i.status === 'blocked' ? null : row.destruction_date,
    carrier: i.carrier as DisposalItem['carrier'],
    secrecy: secrecyFromRank(Number(i.secrecy)),
    status: i.status as DisposalItem['status'],
    blockedReason: i.blocked_reason,
    heldReason: i.status === 'listed' ? (held.get(i.document_id) ?? null) : null,
    destroyedAt: i.destroyed_at,
  }));
}

async function person(db: Db, id: string | null) {
  if (!id) return null;
  const u = await db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  return { id, name: u?.name ?? id };
}

async function toDisposal(ctx: Ctx & { actor: Actor }, row: DisposalTable): Promise<Disposal> {
  const db = ctx.db;
  const today = todayInShanghai(ctx.now());
  const items = await itemsOf(db, ctx.actor, row, today);
  const signatures = await db
    .selectFrom('disposal_signatures')
    .selectAll()
    .where('disposal_id', '=', row.id)
    .orderBy('kind')
    .orderBy('step')
    .execute();
  const sig = (kind: string, step: number) => {
    const s = signatures.find((x) => x.kind === kind && Number(x.step) === step);
    return s
      ? {
          userId: s.user_id,
          userName: s.user_name,
          decision: s.decision as 'approve' | 'reject',
          opinion: s.opinion,
          signedAt: s.signed_at,
        }
      : null;
  };
  const steps = (await stepsOf(db, row)).map((s, i) => ({
    step: i + 1,
    label: s.label,
    role: s.role,
    signature: sig('leader', i + 1),
  }));
  const witnessIds = witnessIdsOf(row);
  const witnesses = await Promise.all(
    witnessIds.map(async (w, i) => ({
      step: i + 1,
      userId: w,
      name: (await person(db, w))?.name ?? w,
      signature: sig('witness', i + 1),
    })),
  );
  const current = row.status === 'signing' ? steps.find((s) => !s.signature) : undefined;
  // Why the reader may not sign the current step, and who may: the rule signing applies (R-X3).
  let signBlocked: Disposal['signBlocked'] = null;
  let signers: Disposal['signers'] = [];
  if (current) {
    const facts = await signFacts(db, row, await signingState(db, row));
    const code = disposalSignRefusal(ctx.actor, signResource(facts, ctx.actor));
    if (code) signBlocked = { code, message: errorMessage(code, ctx.lang, { label: current.label }) };
    // Colleagues' names are in the directory for everyone; nothing here says why others are not.
    signers = await eligibleSigners(db, facts);
  }
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    status: row.status as Disposal['status'],
    note: row.note,
    createdAt: row.created_at,
    createdBy: await person(db, row.created_by),
    submittedAt: row.submitted_at,
    rejectedReason: row.rejected_reason,
    destructionDate: row.destruction_date,
    executedAt: row.executed_at,
    executedBy: await person(db, row.executed_by),
    completedAt: row.completed_at,
    registerDocumentId: row.register_document_id,
    itemCount: items.length,
    counts: disposalCounts(row.status as DisposalStatus, items),
    signBlocked,
    signers,
    steps,
    witnesses,
    items,
    can: {
      submit: row.status === 'draft' && can(ctx.actor, 'disposal.manage'),
      removeItems: row.status === 'draft' && items.length > 1 && can(ctx.actor, 'disposal.manage'),
      sign: !!current && !signBlocked,
      destroy: row.status === 'approved' && can(ctx.actor, 'disposal.manage'),
      witness:
        row.status === 'destroyed' &&
        can(ctx.actor, 'disposal.witness', { witnessIds }) &&
        !signatures.some((s) => s.kind === 'witness' && s.user_id === ctx.actor.id),
    },
  };
}

async function readable(ctx: Ctx, id: string): Promise<{ row: DisposalTable; ctx: Ctx & { actor: Actor } }> {
  const row = await findDisposal(ctx.db, id);
  assertReadable(ctx, disposalTarget(row));
  return { row, ctx };
}

/** A register as the policy sees it: who may read it, for `authorizeRecord`. */
const disposalTarget = (row: DisposalTable): RecordTarget => ({
  type: 'disposal',
  id: row.id,
  resource: { witnessIds: witnessIdsOf(row) } satisfies RetentionResource,
  read: 'disposal.read',
});

export async function getDisposal(ctx: Ctx, id: string): Promise<Disposal> {
  const { row, ctx: c } = await readable(ctx, id);
  await appendAudit(ctx, {
    action: 'disposal.read',
    targetType: 'disposal',
    targetId: id,
    targetLabel: `${row.number} ${row.title}`,
  });
  return toDisposal(c, row);
}

export async function listDisposals(
  ctx: Ctx,
  query: { cursor?: string | undefined; limit: number },
): Promise<{ items: DisposalSummary[]; nextCursor: string | null }> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const after = decodeCursor(query.cursor, cursorValue.text, cursorValue.text);
  let q = ctx.db
    .selectFrom('disposals as x')
    .leftJoin('users as u', 'u.id', 'x.created_by')
    .selectAll('x')
    .select('u.name as created_by_name')
    // Counted like the items are shown: nothing above the reader's clearance (R-P1).
    .select((eb) =>
      eb
        .selectFrom('disposal_items as di')
        .innerJoin('documents as d', 'd.id', 'di.document_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('di.disposal_id', '=', 'x.id')
        .where(documentWithinClearance(actor))
        .as('item_count'),
    );
  // Witnesses who follow no register otherwise see the ones that name them.
  if (!can(actor, 'disposal.read', { witnessIds: [] }))
    q = q.where('x.witness_ids', 'like', `%"${actor.id}"%`);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) =>
      eb.or([eb('x.created_at', '<', at), eb.and([eb('x.created_at', '=', at), eb('x.id', '<', id)])]),
    );
  }
  const rows = await q
    .orderBy('x.created_at', 'desc')
    .orderBy('x.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((x) => ({
      id: x.id,
      number: x.number,
      title: x.title,
      status: x.status as DisposalSummary['status'],
      createdAt: x.created_at,
      createdBy: { id: x.created_by, name: x.created_by_name ?? x.created_by },
      destructionDate: x.destruction_date,
      itemCount: Number(x.item_count ?? 0),
    })),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/** Items the appraisal groups agreed to destroy that no register lists yet (待销毁). */
function candidatesQuery(db: Db, actor: Actor) {
  return documentRepo
    .documentsFrom(db)
    .innerJoin('appraisal_items as ai', 'ai.document_id', 'd.id')
    .innerJoin('appraisals as a', 'a.id', 'ai.appraisal_id')
    .where('ai.outcome', '=', 'destroy')
    .where('ai.disposal_id', 'is', null)
    .where('d.status', '!=', 'destroyed')
    .where(documentWithinClearance(actor));
}

export async function listCandidates(ctx: Ctx): Promise<DisposalCandidate[]> {
  authorize(ctx, 'disposal.manage', { type: 'disposal' });
  const rows = await candidatesQuery(ctx.db, ctx.actor)
    .select([
      'ai.id as item_id',
      'a.id as appraisal_id',
      'a.number',
      'd.id',
      'd.title',
      'd.doc_number',
      'd.archive_no',
      'd.retention',
      'd.record_year',
      'd.secrecy',
      documentSecrecy('d').as('effective_secrecy'),
      'd.carrier',
    ])
    .select((eb) => isHeld(eb).as('held'))
    .orderBy('a.number')
    .orderBy('ai.seq')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    appraisalItemId: r.item_id,
    appraisalId: r.appraisal_id,
    appraisalNumber: r.number,
    documentId: r.id,
    title: r.title,
    docNumber: r.doc_number,
    archiveNo: r.archive_no,
    retention: r.retention,
    recordYear: r.record_year === null ? null : Number(r.record_year),
    secrecy: secrecyFromRank(Number(r.secrecy)),
    effectiveSecrecy: secrecyFromRank(Number(r.effective_secrecy)),
    carrier: r.carrier as DisposalCandidate['carrier'],
    held: !!Number(r.held),
  }));
}

// Changing ---------------------------------------------------------------------------------------

async function assertNoneHeld(t: TxCtx, documentIds: { id: string; title: string }[]): Promise<void> {
  const held: string[] = [];
  for (const d of documentIds) if (await holdReason(t.db, d.id)) held.push(d.title);
  if (held.length)
    throw new DomainError('disposal_items_held', 409, { titles: held.slice(0, 10).join('、') });
}

export async function createDisposal(ctx: Ctx, input: CreateDisposalInput): Promise<Disposal> {
  authorize(ctx, 'disposal.manage', { type: 'disposal' });
  const actor = ctx.actor;
  const id = await tx(ctx, async (t) => {
    const wanted = [...new Set(input.itemIds)];
    const rows = await candidatesQuery(t.db, actor)
      .selectAll('d')
      .select('ai.id as item_id')
      .where('ai.id', 'in', wanted)
      .execute();
    if (rows.length < wanted.length) {
      const missing = await t.db
        .selectFrom('appraisal_items as ai')
        .innerJoin('documents as d', 'd.id', 'ai.document_id')
        .select('d.title')
        .where('ai.id', 'in', wanted.filter((w) => !rows.some((r) => r.item_id === w)).slice(0, 10))
        .where(documentWithinClearance(actor))
        .execute();
      throw new DomainError('disposal_item_unavailable', 409, {
        titles: missing.map((m) => m.title).join('、') || wanted.length - rows.length,
      });
    }
    await assertNoneHeld(t, rows);
    const today = todayInShanghai(t.now());
    const disposalId = newId();
    const number = await nextCode(t, 'disposal', NUMBER_PATTERN, { date: today });
    await t.db
      .insertInto('disposals')
      .values({
        id: disposalId,
        number,
        title: input.title,
        status: 'draft',
        note: input.note,
        signer_steps: '[]',
        witness_ids: '[]',
        created_at: nowIso(t),
        created_by: actor.id,
        submitted_at: null,
        rejected_reason: null,
        destruction_date: null,
        executed_at: null,
        executed_by: null,
        completed_at: null,
        register_document_id: null,
      })
      .execute();
    await t.db
      .insertInto('disposal_items')
      .values(
        rows.map((d, i) => ({
          id: newId(),
          disposal_id: disposalId,
          document_id: d.id,
          appraisal_item_id: d.item_id,
          seq: i + 1,
          archive_no: d.archive_no,
          doc_number: d.doc_number,
          responsible_party: d.responsible_party,
          title: d.title,
          date_formed: d.issue_date ?? d.received_date,
          record_year: Number(d.record_year ?? today.slice(0, 4)),
          retention: d.retention,
          carrier: d.carrier,
          secrecy: Number(d.secrecy),
          status: 'listed',
          blocked_reason: null,
          destroyed_at: null,
        })),
      )
      .execute();
    await t.db
      .updateTable('appraisal_items')
      .set({ disposal_id: disposalId })
      .where('id', 'in', wanted)
      .execute();
    await appendAudit(t, {
      action: 'disposal.create',
      targetType: 'disposal',
      targetId: disposalId,
      targetLabel: `${number} ${input.title}`,
      secrecy: Math.max(0, ...rows.map((r) => Number(r.secrecy))),
      details: { number, documentIds: rows.map((r) => r.id) },
    });
    return disposalId;
  });
  return getDisposal(ctx, id);
}

/** Takes an item off a register still being drawn up: it goes back to the items awaiting a
 * register, and the rest are numbered again from 1 (序号 has no gaps). A register keeps at
 * least one item: it is never deleted, and an empty one could not be signed. */
export async function removeDisposalItem(ctx: Ctx, id: string, itemId: string): Promise<Disposal> {
  authorize(ctx, 'disposal.manage', { type: 'disposal', id });
  await tx(ctx, async (t) => {
    const row = await findDisposal(t.db, id);
    if (row.status !== 'draft') throw statusError(row, ctx.lang);
    const item = await t.db
      .selectFrom('disposal_items')
      .select(['id', 'seq', 'document_id', 'appraisal_item_id', 'title', 'secrecy'])
      .where('disposal_id', '=', id)
      .where('id', '=', itemId)
      .executeTakeFirst();
    if (!item) throw notFound();
    const { n } = await t.db
      .selectFrom('disposal_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('disposal_id', '=', id)
      .executeTakeFirstOrThrow();
    if (Number(n) === 1) throw new DomainError('disposal_last_item', 409);
    await t.db.deleteFrom('disposal_items').where('id', '=', itemId).execute();
    await t.db
      .updateTable('appraisal_items')
      .set({ disposal_id: null })
      .where('id', '=', item.appraisal_item_id)
      .execute();
    await t.db
      .updateTable('disposal_items')
      .set((eb) => ({ seq: eb('seq', '-', 1) }))
      .where('disposal_id', '=', id)
      .where('seq', '>', item.seq)
      .execute();
    await appendAudit(t, {
      action: 'disposal.remove_item',
      targetType: 'disposal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      secrecy: Number(item.secrecy),
      details: { number: row.number, documentId: item.document_id, title: item.title },
    });
  });
  return getDisposal(ctx, id);
}

async function listedItems(db: Db, disposalId: string) {
  return db
    .selectFrom('disposal_items as di')
    .innerJoin('documents as d', 'd.id', 'di.document_id')
    .select(['di.id', 'di.document_id', 'di.status', 'di.carrier', 'd.title'])
    .where('di.disposal_id', '=', disposalId)
    .orderBy('di.seq')
    .execute();
}

/** The highest secrecy on the register: everyone who signs must be cleared for all of it. */
async function registerSecrecy(db: Db, disposalId: string): Promise<number> {
  const items = await listedItems(db, disposalId);
  return Math.max(
    0,
    ...(
      await secrecyOfDocuments(
        db,
        items.map((i) => i.document_id),
      )
    ).values(),
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

/** Who may not witness this register's destruction by the archivist carrying it out. */
async function witnessFacts(
  db: Db,
  row: Pick<DisposalTable, 'id' | 'created_by' | 'signer_steps'>,
  executor: Actor,
): Promise<WitnessResource> {
  return {
    executorId: executor.id,
    drafterId: row.created_by,
    signerIds: (await signingState(db, row)).signerIds,
    secrecy: await registerSecrecy(db, row.id),
  };
}

/** People the archivist may name as witnesses of this register (searched by name or login):
 * active colleagues the witness rule allows, as the directory shows them. */
export async function witnessCandidates(
  ctx: Ctx,
  id: string,
  query: { q?: string | undefined; limit: number },
): Promise<DirectoryUser[]> {
  authorize(ctx, 'disposal.manage', { type: 'disposal', id });
  const row = await findDisposal(ctx.db, id);
  const facts = await witnessFacts(ctx.db, row, ctx.actor);
  let q = ctx.db
    .selectFrom('users as u')
    .leftJoin('departments as dep', 'dep.id', 'u.department_id')
    .select(['u.id', 'u.login', 'u.name', 'u.clearance', 'u.department_id', 'dep.name as department_name'])
    .where('u.active', '=', 1)
    // Narrows the search; the rule itself is the policy's, applied below.
    .where('u.clearance', '>=', facts.secrecy);
  if (query.q) {
    const like = likePattern(query.q.toLowerCase());
    q = q.where((eb) => eb.or([eb('u.login', 'like', like), eb(eb.fn('lower', ['u.name']), 'like', like)]));
  }
  const excluded = 2 + facts.signerIds.length;
  const rows = await q
    .orderBy('u.login')
    .limit(query.limit + excluded)
    .execute();
  return rows
    .filter((u) => disposalWitnessRefusal({ id: u.id, clearance: Number(u.clearance) }, facts) === null)
    .slice(0, query.limit)
    .map((u) => ({
      id: u.id,
      login: u.login,
      name: u.name,
      departmentId: u.department_id,
      departmentName: u.department_name,
    }));
}

/**
 * Destruction on the day (R-X3/R-X4), by the archivist with the two witnesses named: every item
 * under a hold now is blocked and stays; the electronic content of the others is removed (the
 * stored files after the commit). Electronic-only items are destroyed at once; physical ones
 * once the witnesses confirm.
 */
export async function destroyDisposal(
  ctx: Ctx,
  store: BlobStore,
  id: string,
  witnessIds: string[],
): Promise<Disposal> {
  authorize(ctx, 'disposal.manage', { type: 'disposal', id });
  const actor = ctx.actor;
  const purged = await tx(ctx, async (t) => {
    const row = await findDisposal(t.db, id);
    if (row.status === 'draft' || row.status === 'signing')
      throw new DomainError('disposal_not_approved', 409);
    if (row.status !== 'approved') throw statusError(row, ctx.lang);
    const unique = [...new Set(witnessIds)];
    const witnesses = await t.db
      .selectFrom('users')
      .select(['id', 'name', 'clearance'])
      .where('id', 'in', unique)
      .where('active', '=', 1)
      .execute();
    if (unique.length !== 2 || witnesses.length !== 2)
      throw new DomainError('witnesses_invalid', 422, {}, 'witnessIds');
    // Who destroys, drew the register up or signed it does not also witness it (R-X3), and
    // witnesses are cleared for all of it: the policy's rule, the one the picker offers by.
    const facts = await witnessFacts(t.db, row, actor);
    const secrecy = facts.secrecy;
    // Whoever carries destruction out handles every item: cleared for all of them (R-P1).
    if (secrecy > actor.clearance)
      throw new DomainError('disposal_executor_clearance', 403, {}, undefined, {
        action: 'disposal.destroy',
        targetType: 'disposal',
        targetId: id,
      });
    const refusals = witnesses.map((w) => ({
      name: w.name,
      code: disposalWitnessRefusal({ id: w.id, clearance: Number(w.clearance) }, facts),
    }));
    for (const code of ['witnesses_invalid', 'witness_conflict', 'witness_clearance'] as const) {
      const refused = refusals.find((r) => r.code === code);
      if (refused) throw new DomainError(code, 422, { name: refused.name }, 'witnessIds');
    }
    const ref = { id, number: row.number };
    const items = (await listedItems(t.db, id)).filter((i) => i.status === 'listed');
    const now = nowIso(t);
    const blocked: string[] = [];
    // Holds first, so that content shared with a blocked item is kept.
    for (const item of items) {
      const reason = await holdReason(t.db, item.document_id);
      if (!reason) continue;
      blocked.push(item.document_id);
      await t.db
        .updateTable('disposal_items')
        .set({ status: 'blocked', blocked_reason: reason })
        .where('id', '=', item.id)
        .execute();
    }
    const removed: string[] = [];
    const destroyed: string[] = [];
    for (const item of items) {
      if (blocked.includes(item.document_id)) continue;
      if (item.carrier !== 'paper') removed.push(...(await destroyContent(t, item.document_id, ref)).purged);
      if (item.carrier === 'electronic') {
        await markDestroyed(t, item.document_id, ref);
        await t.db
          .updateTable('disposal_items')
          .set({ status: 'destroyed', destroyed_at: now })
          .where('id', '=', item.id)
          .execute();
        destroyed.push(item.document_id);
      }
    }
    await t.db
      .updateTable('disposals')
      .set({
        status: 'destroyed',
        destruction_date: todayInShanghai(t.now()),
        executed_at: now,
        executed_by: actor.id,
        witness_ids: JSON.stringify(unique),
      })
      .where('id', '=', id)
      .execute();
    await notify(t, unique, {
      kind: 'retention.witness',
      title: `请监销签字：${row.number} ${row.title}`,
      body: '请逐件核对已销毁的档案后签字',
      link: `/retention/disposals/${id}`,
      // Both witnesses are cleared for every item (checked above).
      secrecy,
    });
    await appendAudit(t, {
      action: 'disposal.destroy',
      targetType: 'disposal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      secrecy,
      details: { number: row.number, witnesses: unique, destroyed, blocked, purged: removed },
    });
    return removed;
  });
  for (const sha256 of purged) store.remove(sha256);
  return getDisposal(ctx, id);
}

/** A witness confirms, item by item, and signs; with the second signature the physical items are
 * destroyed and the register is complete, stored as a permanent record. */
export async function witnessDisposal(
  ctx: Ctx,
  store: BlobStore,
  id: string,
  checkedItemIds: string[],
): Promise<Disposal> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const completed = await tx(ctx, async (t) => {
    const row = await findDisposal(t.db, id);
    const witnessIds = witnessIdsOf(row);
    authorizeRecord(ctx, 'disposal.witness', disposalTarget(row));
    if (row.status !== 'destroyed') throw statusError(row, ctx.lang);
    const signatures = await t.db
      .selectFrom('disposal_signatures')
      .select(['user_id'])
      .where('disposal_id', '=', id)
      .where('kind', '=', 'witness')
      .execute();
    if (signatures.some((s) => s.user_id === actor.id)) throw new DomainError('witness_already_signed', 409);
    const items = (await listedItems(t.db, id)).filter((i) => i.status !== 'blocked');
    const unchecked = items.filter((i) => !checkedItemIds.includes(i.id)).length;
    if (unchecked > 0)
      throw new DomainError('witness_unchecked', 422, { count: unchecked }, 'checkedItemIds');
    await t.db
      .insertInto('disposal_signatures')
      .values({
        id: newId(),
        disposal_id: id,
        kind: 'witness',
        step: witnessIds.indexOf(actor.id) + 1,
        label: '监销人',
        user_id: actor.id,
        user_name: actor.name,
        decision: 'approve',
        opinion: null,
        signed_at: nowIso(t),
      })
      .execute();
    await appendAudit(t, {
      action: 'disposal.witness',
      targetType: 'disposal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      details: { number: row.number, checked: items.map((i) => i.id) },
    });
    if (signatures.length + 1 < witnessIds.length) return false;
    // What follows the last signature is the system's doing, set off by this witness.
    const system = systemTriggeredBy(t, actor);
    const ref = { id, number: row.number };
    const now = nowIso(t);
    for (const item of items.filter((i) => i.status === 'listed')) {
      await markDestroyed(system, item.document_id, ref);
      await t.db
        .updateTable('disposal_items')
        .set({ status: 'destroyed', destroyed_at: now })
        .where('id', '=', item.id)
        .execute();
    }
    await t.db
      .updateTable('disposals')
      .set({ status: 'completed', completed_at: now })
      .where('id', '=', id)
      .execute();
    await appendAudit(system, {
      action: 'disposal.complete',
      targetType: 'disposal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      details: { number: row.number },
    });
    return true;
  });
  if (completed) await storeRegister(ctx, store, id, actor);
  return getDisposal(ctx, id);
}

/** The completed register as a permanent record (category 档案鉴定与销毁记录, 永久), filed by
 * the system after the witness's signature. */
async function storeRegister(ctx: Ctx, store: BlobStore, id: string, witness: Actor): Promise<void> {
  const row = await findDisposal(ctx.db, id);
  if (row.register_document_id) return;
  const system = systemTriggeredBy(ctx, witness);
  // The whole register (the system is cleared for all of it).
  const full = await toDisposal(system as Ctx & { actor: Actor }, row);
  const blob = await storeReport(store, await disposalPdf(full));
  const file = await tx(system, async (t) => {
    const secrecy = await registerSecrecy(t.db, id);
    // Filed under the department of the archivist who carried out the destruction.
    const executor = await t.db
      .selectFrom('users')
      .select('department_id')
      .where('id', '=', row.executed_by ?? row.created_by)
      .executeTakeFirst();
    const { documentId, file: f } = await fileReport(t, store, {
      title: `档案销毁清册 ${row.number} ${row.title}`,
      number: row.number,
      responsibleParty: '档案室',
      secrecy,
      remarks: disposalCountText(full.counts, 'zh'),
      issueDate: row.destruction_date,
      departmentId: executor?.department_id ?? undefined,
      blob,
      fileName: `档案销毁清册-${row.number}.pdf`,
    });
    await t.db
      .updateTable('disposals')
      .set({ register_document_id: documentId })
      .where('id', '=', id)
      .execute();
    return f;
  });
  await files.afterAttach(ctx, store, blob, file);
}

// Exports ----------------------------------------------------------------------------------------

export async function exportDisposal(
  ctx: Ctx,
  id: string,
  format: 'xlsx' | 'pdf',
): Promise<{ name: string; body: Readable | Uint8Array }> {
  const { row, ctx: c } = await readable(ctx, id);
  const d = await toDisposal(c, row);
  await appendAudit(ctx, {
    action: 'disposal.export',
    targetType: 'disposal',
    targetId: id,
    targetLabel: `${row.number} ${row.title}`,
    details: { number: row.number, format, items: d.items.length },
  });
  const name = `档案销毁清册-${row.number}.${format}`;
  return { name, body: format === 'pdf' ? await disposalPdf(d) : disposalXlsx(d, ctx.lang) };
}
