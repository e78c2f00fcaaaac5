import type { Readable } from 'node:stream';
import { secrecyFromRank } from '../../../common/enums.js';
import { errorMessage } from '../../../common/errors.js';
import {
  DISPOSAL_STATUS_LABELS,
  type DisposalStatus,
  disposalCounts,
  type SignerStep,
  yearsKept,
} from '../../../common/retention.js';
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
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextCode } from '../../platform/numbering.js';
import {
  assertReadable,
  authorize,
  can,
  disposalSignRefusal,
  type RecordTarget,
} from '../../platform/policy/index.js';
import {
  documentSecrecy,
  documentWithinClearance,
  secrecyOfDocuments,
} from '../../platform/policy/records.js';
import type { RetentionResource } from '../../platform/policy/rules.js';
import * as documentRepo from '../documents/repo.js';
import { loadRetentionSettings } from './config.js';
import { eligibleSigners, signFacts, signingState, signResource } from './disposal-signing.js';
import { holdReasons, isHeld } from './hold-query.js';
import { disposalPdf, disposalXlsx } from './reports.js';

// The destruction register (销毁清册, R-X3/R-X4): records the appraisal group agreed to destroy
// are listed with archive number, document number, responsible party, title, date formed,
// retention, years kept and destruction date. The register is signed in order by the
// configured leaders; only then does the archivist destroy, on the day, with two witnesses
// named (监销人): holds are checked once more, electronic content is removed, and each witness
// checks the items one by one and signs. Physical items count as destroyed once both have
// signed. The register is never deleted; when complete it is stored as a permanent record.

const NUMBER_PATTERN = 'XH{yyyy}-{seq:3}';

export async function findDisposal(db: Db, id: string): Promise<DisposalTable> {
  const row = await db.selectFrom('disposals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export const witnessIdsOf = (row: DisposalTable) => JSON.parse(row.witness_ids) as string[];
export const stepsOf = async (db: Db, row: DisposalTable): Promise<SignerStep[]> =>
  row.status === 'draft'
    ? (await loadRetentionSettings(db)).signerSteps
    : (JSON.parse(row.signer_steps) as SignerStep[]);

export function statusError(row: DisposalTable, lang: 'zh' | 'en') {
  return new DomainError('disposal_status', 409, {
    status: DISPOSAL_STATUS_LABELS[row.status as DisposalStatus]?.[lang] ?? row.status,
  });
}

/** Reasons of the holds in force on a document (its own or its archive's), or null. */
export async function holdReason(db: Db, documentId: string): Promise<string | null> {
  return (await holdReasons(db, [documentId])).get(documentId) ?? null;
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

export async function toDisposal(ctx: Ctx & { actor: Actor }, row: DisposalTable): Promise<Disposal> {
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
export const disposalTarget = (row: DisposalTable): RecordTarget => ({
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

export async function assertNoneHeld(t: TxCtx, documentIds: { id: string; title: string }[]): Promise<void> {
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

export async function listedItems(db: Db, disposalId: string) {
  return db
    .selectFrom('disposal_items as di')
    .innerJoin('documents as d', 'd.id', 'di.document_id')
    .select(['di.id', 'di.document_id', 'di.status', 'di.carrier', 'd.title'])
    .where('di.disposal_id', '=', disposalId)
    .orderBy('di.seq')
    .execute();
}

/** The highest secrecy on the register: everyone who signs must be cleared for all of it. */
export async function registerSecrecy(db: Db, disposalId: string): Promise<number> {
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
