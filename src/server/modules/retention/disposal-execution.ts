import { disposalCountText } from '../../../common/retention.js';
import type { DirectoryUser } from '../../../common/schemas/platform.js';
import type { Disposal } from '../../../common/schemas/retention.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { DisposalTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, systemTriggeredBy, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { authorize, authorizeRecord, disposalWitnessRefusal } from '../../platform/policy/index.js';
import type { WitnessResource } from '../../platform/policy/rules.js';
import { likePattern } from '../../platform/sql.js';
import type { BlobStore } from '../../platform/storage.js';
import { destroyContent, markDestroyed } from '../documents/destruction.js';
import * as files from '../documents/files.js';
import { signingState } from './disposal-signing.js';
import {
  disposalTarget,
  findDisposal,
  getDisposal,
  holdReason,
  listedItems,
  registerSecrecy,
  statusError,
  toDisposal,
  witnessIdsOf,
} from './disposals.js';
import { disposalPdf, fileReport, storeReport } from './reports.js';

// Carrying a destruction register out (R-X3, R-X4): the archivist names two witnesses (监销人) by
// the one witness rule, holds are checked once more, electronic content is removed; each witness
// checks the items one by one and signs, and with the second signature the paper items count as
// destroyed and the register is filed as a permanent record — done by the system, naming the
// witness who set it off.

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
