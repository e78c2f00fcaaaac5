import { type SqlBool, sql } from 'kysely';
import { HOLD_KIND_LABELS } from '../../../common/retention.js';
import type { Hold, PlaceHoldInput } from '../../../common/schemas/retention.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import * as customers from '../customers/service.js';
import * as documents from '../documents/service.js';

// Holds (冻结, R-X5): a dispute, an audit or litigation freezes a customer archive or a
// document. While a hold is in force nothing it covers can enter a destruction register or be
// destroyed; a hold on an archive covers every document in it. Holds are lifted, never deleted.

interface Target {
  label: string;
  secrecy: number;
}

/** The record a hold is about, if the actor may see it (404 otherwise, R-P1). */
async function findTarget(ctx: Ctx, type: Hold['targetType'], id: string): Promise<Target> {
  if (type === 'document') {
    const row = await documents.findVisible(await documents.reader(ctx), id);
    if (row.status === 'destroyed') throw new DomainError('hold_target_destroyed', 409);
    return { label: row.title, secrecy: Number(row.secrecy) };
  }
  const row = await customers.findVisible(await customers.reader(ctx), id);
  return { label: `${row.archive_code} ${row.name}`, secrecy: Number(row.secrecy) };
}

type HoldRow = Awaited<ReturnType<ReturnType<typeof holdsQuery>['execute']>>[number];

function holdsQuery(ctx: Ctx, clearance: number) {
  // Holds on records above the reader's clearance are absent, like the records themselves.
  return ctx.db
    .selectFrom('holds as h')
    .leftJoin('documents as d', (j) =>
      j.onRef('d.id', '=', 'h.target_id').on('h.target_type', '=', 'document'),
    )
    .leftJoin('customers as c', (j) =>
      j.onRef('c.id', '=', 'h.target_id').on('h.target_type', '=', 'customer'),
    )
    .leftJoin('users as pu', 'pu.id', 'h.placed_by')
    .leftJoin('users as lu', 'lu.id', 'h.lifted_by')
    .selectAll('h')
    .select([
      'd.title as document_title',
      'c.archive_code as customer_code',
      'c.name as customer_name',
      'pu.name as placed_by_name',
      'lu.name as lifted_by_name',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('d.id', 'is not', null), sql<SqlBool>`${documentSecrecy('d')} <= ${clearance}`]),
        eb('c.secrecy', '<=', clearance),
      ]),
    );
}

function toHold(r: HoldRow): Hold {
  return {
    id: r.id,
    targetType: r.target_type as Hold['targetType'],
    targetId: r.target_id,
    targetLabel:
      r.target_type === 'document'
        ? (r.document_title ?? '')
        : `${r.customer_code ?? ''} ${r.customer_name ?? ''}`,
    kind: r.kind as Hold['kind'],
    reason: r.reason,
    placedAt: r.placed_at,
    placedBy: { id: r.placed_by, name: r.placed_by_name ?? r.placed_by },
    liftedAt: r.lifted_at,
    liftedBy: r.lifted_by ? { id: r.lifted_by, name: r.lifted_by_name ?? r.lifted_by } : null,
    liftReason: r.lift_reason,
  };
}

async function recordOnTarget(
  t: Parameters<Parameters<typeof tx>[1]>[0],
  type: Hold['targetType'],
  targetId: string,
  kind: 'hold' | 'hold_lift',
  details: Record<string, unknown>,
): Promise<void> {
  if (type === 'document') await documents.recordEvent(t, targetId, kind, details);
  else
    await customers.recordCustomerEvent(t, targetId, {
      kind: 'hold',
      field: kind === 'hold' ? 'hold_placed' : 'hold_lifted',
      newValue: details,
    });
}

export async function placeHold(ctx: Ctx, input: PlaceHoldInput): Promise<Hold> {
  authorize(ctx, 'hold.manage', { type: input.targetType, id: input.targetId });
  const target = await findTarget(ctx, input.targetType, input.targetId);
  const id = newId();
  await tx(ctx, async (t) => {
    await t.db
      .insertInto('holds')
      .values({
        id,
        target_type: input.targetType,
        target_id: input.targetId,
        kind: input.kind,
        reason: input.reason,
        placed_at: nowIso(t),
        placed_by: ctx.actor?.id ?? 'system',
        lifted_at: null,
        lifted_by: null,
        lift_reason: null,
      })
      .execute();
    await recordOnTarget(t, input.targetType, input.targetId, 'hold', {
      holdId: id,
      kind: HOLD_KIND_LABELS[input.kind].zh,
      reason: input.reason,
    });
    await appendAudit(t, {
      action: 'retention.hold',
      targetType: input.targetType,
      targetId: input.targetId,
      targetLabel: target.label,
      secrecy: target.secrecy,
      details: { holdId: id, kind: input.kind, reason: input.reason },
    });
  });
  return getHold(ctx, id);
}

export async function liftHold(ctx: Ctx, id: string, reason: string): Promise<Hold> {
  authorize(ctx, 'hold.manage', { type: 'hold', id });
  const hold = await ctx.db.selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!hold) throw notFound();
  const target = await findTarget(ctx, hold.target_type as Hold['targetType'], hold.target_id);
  await tx(ctx, async (t) => {
    const res = await t.db
      .updateTable('holds')
      .set({ lifted_at: nowIso(t), lifted_by: ctx.actor?.id ?? 'system', lift_reason: reason })
      .where('id', '=', id)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new DomainError('hold_lifted', 409);
    await recordOnTarget(t, hold.target_type as Hold['targetType'], hold.target_id, 'hold_lift', {
      holdId: id,
      reason,
    });
    await appendAudit(t, {
      action: 'retention.hold_lift',
      targetType: hold.target_type,
      targetId: hold.target_id,
      targetLabel: target.label,
      secrecy: target.secrecy,
      details: { holdId: id, reason },
    });
  });
  return getHold(ctx, id);
}

async function getHold(ctx: Ctx, id: string): Promise<Hold> {
  const row = await holdsQuery(ctx, ctx.actor?.clearance ?? -1)
    .where('h.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound();
  return toHold(row);
}

/** Holds kept on one page: there are few at any time (they mark exceptions). */
const LIST_MAX = 1000;

/** The holds register: in force (or lifted), newest first, within the reader's clearance. */
export async function listHolds(
  ctx: Ctx,
  q: { active: 'true' | 'false'; targetType?: Hold['targetType']; targetId?: string },
): Promise<Hold[]> {
  authorize(ctx, 'hold.read', { type: 'hold' });
  let query = holdsQuery(ctx, ctx.actor.clearance).where(
    'h.lifted_at',
    q.active === 'true' ? 'is' : 'is not',
    null,
  );
  if (q.targetType) query = query.where('h.target_type', '=', q.targetType);
  if (q.targetId) query = query.where('h.target_id', '=', q.targetId);
  const rows = await query.orderBy('h.placed_at', 'desc').orderBy('h.id', 'desc').limit(LIST_MAX).execute();
  return rows.map(toHold);
}
