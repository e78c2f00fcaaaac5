import { secrecyFromRank } from '../../../common/enums.js';
import type { Handover, HandoverPreview } from '../../../common/schemas/customers.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Actor } from '../../platform/context.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { authorize } from '../../platform/policy/index.js';
import { actorScope, customerVisible } from '../../platform/policy/records.js';
import { visitsOnHandover } from '../visits/plans.js';
import { moveOpenItems, openItemsOf } from './handover-items.js';
import { createNotices, noticeCounts, noticeTargets } from './handover-notice.js';
import * as repo from './repo.js';
import { countOwnedCustomers } from './service.js';

// Handover (交接, R-C9): when an employee leaves or moves, a manager transfers all their
// customer archives to named successors in one action. Each archive records the handover in
// its history; the handover itself is kept as a 交接记录. A manager hands over — and counts —
// only archives within their own clearance (R-P1); what is above it stays with the leaving
// person until someone cleared for it hands it over, and a successor must be cleared for every
// archive they receive.

const BATCH = 500;
/** How many archives a successor's notification names (the rest are counted). */
const NOTICE_NAMES = 10;

/**
 * The person whose archives are handed over, after checking that the actor may hand over their
 * archives (a department manager: only people of their own departments). Undefined if unknown.
 */
async function leavingPerson(ctx: Ctx, userId: string) {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const from = await ctx.db
    .selectFrom('users')
    .select(['id', 'name', 'login', 'department_id'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!from) return undefined;
  const scope = await actorScope({ ...ctx, actor: ctx.actor as Actor });
  authorize(ctx, 'customer.handover', {
    type: 'user',
    id: from.id,
    resource: {
      ownerIds: [],
      inActorDepartments: !!from.department_id && scope.departmentIds.includes(from.department_id),
    },
  });
  return from;
}

export async function handover(
  ctx: Ctx,
  input: {
    fromUserId: string;
    toUserId?: string | undefined;
    assignments?: { customerId: string; toUserId: string }[] | undefined;
    reason: string | null;
  },
  /** Whether SMTP is configured: customers with a contact's address are told by e-mail. */
  opts: { mail: boolean } = { mail: false },
): Promise<Handover> {
  const from = await leavingPerson(ctx, input.fromUserId);
  if (!from)
    throw new FieldErrors([{ field: 'fromUserId', key: 'lookup', params: { value: input.fromUserId } }]);
  const actor = ctx.actor as Actor;
  if (!input.toUserId && !input.assignments?.length) {
    throw new FieldErrors([{ field: 'toUserId', key: 'required' }]);
  }
  const successorIds = [
    ...new Set([input.toUserId, ...(input.assignments ?? []).map((a) => a.toUserId)].filter(Boolean)),
  ] as string[];
  if (successorIds.includes(from.id)) throw new DomainError('handover_same_user', 422, {}, 'toUserId');
  const successors = (
    await ctx.db
      .selectFrom('users')
      .select(['id', 'name', 'login', 'clearance'])
      .where('id', 'in', successorIds)
      .where('active', '=', 1)
      .execute()
  ).map((u) => ({ ...u, clearance: Number(u.clearance) }));
  const missing = successorIds.filter((id) => !successors.some((s) => s.id === id));
  if (missing.length)
    throw new FieldErrors([{ field: 'toUserId', key: 'lookup', params: { value: missing.join(', ') } }]);

  const handoverId = newId();
  await tx(ctx, async (t) => {
    const owned = await handoverArchives(t.db, from.id, actor.clearance);
    // Someone without archives may still hold open work (cases, requirements, copies to sign for).
    if (owned.length === 0) {
      const open = await openItemsOf(t.db, from.id, actor.clearance, async () => new Set());
      if (!open.some((i) => i.moves && i.count > 0)) throw new DomainError('handover_nothing', 422);
    }
    const ownedIds = new Set(owned.map((o) => o.id));
    const target = new Map<string, string>();
    for (const a of input.assignments ?? []) {
      if (!ownedIds.has(a.customerId)) {
        const code = (
          await t.db
            .selectFrom('customers')
            .select('archive_code')
            .where('id', '=', a.customerId)
            .where('secrecy', '<=', actor.clearance)
            .executeTakeFirst()
        )?.archive_code;
        throw new DomainError(
          'handover_not_owned',
          422,
          { archiveCode: code ?? a.customerId },
          'assignments',
        );
      }
      target.set(a.customerId, a.toUserId);
    }
    if (input.toUserId) for (const o of owned) if (!target.has(o.id)) target.set(o.id, input.toUserId);
    const pairs = [...target.entries()];
    for (const [customerId, to] of pairs) {
      const archive = owned.find((o) => o.id === customerId);
      const successor = successors.find((s) => s.id === to);
      if (archive && successor && !successorCleared(successor, archive))
        throw new DomainError(
          'handover_successor_clearance',
          422,
          { archiveCode: archive.archive_code, name: successor.name },
          'toUserId',
        );
    }
    const now = nowIso(t);
    const nameOf = (id: string) => successors.find((s) => s.id === id)?.name ?? id;
    await t.db
      .insertInto('handovers')
      .values({
        id: handoverId,
        from_user_id: from.id,
        by_user_id: actor.id,
        at: now,
        reason: input.reason,
        customer_count: pairs.length,
      })
      .execute();
    for (let i = 0; i < pairs.length; i += BATCH) {
      const chunk = pairs.slice(i, i + BATCH);
      const ids = chunk.map(([c]) => c);
      const currentOwners = await repo.ownersOf(t.db, ids);
      await t.db
        .insertInto('handover_items')
        .values(
          chunk.map(([customer_id, to_user_id]) => ({ handover_id: handoverId, customer_id, to_user_id })),
        )
        .execute();
      await t.db
        .deleteFrom('customer_owners')
        .where('user_id', '=', from.id)
        .where('customer_id', 'in', ids)
        .execute();
      const additions = chunk.filter(([c, to]) => !(currentOwners.get(c) ?? []).some((o) => o.id === to));
      if (additions.length) {
        await t.db
          .insertInto('customer_owners')
          .values(additions.map(([customer_id, user_id]) => ({ customer_id, user_id, assigned_at: now })))
          .execute();
      }
      await repo.insertHistory(
        t.db,
        chunk.map(([customerId, to]) => {
          const before = (currentOwners.get(customerId) ?? []).map((o) => o.name);
          const after = [
            ...before.filter((n) => n !== from.name),
            ...(before.includes(nameOf(to)) ? [] : [nameOf(to)]),
          ];
          return {
            id: newId(),
            customerId,
            at: now,
            actorId: actor.id,
            actorName: actor.name,
            kind: 'handover',
            field: 'owners',
            oldValue: before,
            newValue: after,
            note: `${from.name} → ${nameOf(to)}${input.reason ? `：${input.reason}` : ''}`,
          };
        }),
      );
    }
    // Their open visits go with them (R-V1).
    const visits = await visitsOnHandover(t, from.id, pairs);
    // And whatever else they hold, module by module.
    const moved = await moveOpenItems(t, {
      handoverId,
      from,
      customerTo: target,
      fallback: input.toUserId ?? (successorIds[0] as string),
      successors,
      clearance: actor.clearance,
    });
    // Each customer is told who looks after them now (R-C9): a mail, or a call task.
    const notices = await createNotices(t, { handoverId, fromName: from.name, pairs, mail: opts.mail });
    // Each successor hears which archives are now theirs (they are cleared for all of them).
    for (const to of successorIds) {
      const theirs = pairs.flatMap(([c, s]) => (s === to ? owned.filter((o) => o.id === c) : []));
      if (theirs.length === 0) continue;
      const shown = theirs.slice(0, NOTICE_NAMES);
      await notify(t, [to], {
        kind: 'customer.handover',
        title: `您接手了 ${from.name} 交接的 ${theirs.length} 个客户档案`,
        body: `${shown.map((o) => `${o.archive_code} ${o.name}`).join('、')}${theirs.length > shown.length ? ` 等 ${theirs.length} 个` : ''}`,
        link: `/customers?ownerId=${to}`,
        secrecy: Math.max(0, ...shown.map((o) => Number(o.secrecy))),
      });
    }
    await appendAudit(t, {
      action: 'customer.handover',
      targetType: 'user',
      targetId: from.id,
      targetLabel: from.login,
      details: {
        handoverId,
        customers: pairs.length,
        visits,
        moved,
        notices,
        successors: successorIds.map((id) => ({ id, customers: pairs.filter(([, to]) => to === id).length })),
        reason: input.reason,
      },
    });
  });
  return getHandover(ctx, handoverId);
}

/**
 * How many of a person's archives the manager may hand over: those within the manager's
 * clearance. With successors named, also which of those archives each could not open, so that
 * the page warns before the handover is confirmed (the handover refuses it): only archives the
 * manager may hand over, so nothing above the manager's clearance is named (R-P1).
 */
export async function handoverPreview(
  ctx: Ctx,
  fromUserId: string,
  toUserIds: string[] = [],
  opts: { mail: boolean } = { mail: false },
): Promise<HandoverPreview> {
  const from = await leavingPerson(ctx, fromUserId);
  if (!from) throw notFound();
  const clearance = (ctx.actor as Actor).clearance;
  const customers = await countOwnedCustomers(ctx.db, from.id, clearance);
  const owned = await handoverArchives(ctx.db, from.id, clearance);
  // Names, contacts and addresses only of archives the reader may open (R-P1): an administrator
  // hands over archives they cannot read, and sees them counted, not named.
  const scope = await actorScope({ ...ctx, actor: ctx.actor as Actor });
  const visible = async (ids: string[]) => {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await ctx.db
        .selectFrom('customers as c')
        .select('c.id')
        .where('c.id', 'in', ids.slice(i, i + BATCH))
        .where(customerVisible(ctx.actor as Actor, scope, ctx.now()) as never)
        .execute();
      for (const r of rows) out.add(r.id);
    }
    return out;
  };
  const openItems = await openItemsOf(ctx.db, from.id, clearance, visible);
  const readable = await visible(owned.map((o) => o.id));
  const notices = (
    await noticeTargets(
      ctx.db,
      owned.filter((o) => readable.has(o.id)).map((o) => o.id),
      opts.mail,
    )
  ).map((n) => ({
    customerId: n.customerId,
    archiveCode: n.archiveCode,
    customerName: n.customerName,
    contactName: n.contactName,
    email: n.email,
    channel: n.channel,
  }));
  if (toUserIds.length === 0) return { customers, openItems, notices };
  const people = await ctx.db
    .selectFrom('users')
    .select(['id', 'clearance'])
    .where('id', 'in', toUserIds)
    .where('active', '=', 1)
    .execute();
  return {
    customers,
    openItems,
    notices,
    successors: toUserIds.flatMap((id) => {
      const p = people.find((x) => x.id === id);
      if (!p) return [];
      const successor = { clearance: Number(p.clearance) };
      return [
        {
          userId: id,
          uncleared: owned
            .filter((o) => !successorCleared(successor, o))
            .map((o) => ({
              customerId: o.id,
              archiveCode: o.archive_code,
              secrecy: secrecyFromRank(Number(o.secrecy)),
            })),
        },
      ];
    }),
  };
}

/** The archives of the person leaving that a manager of this clearance hands over. */
async function handoverArchives(db: Db, fromUserId: string, clearance: number) {
  return db
    .selectFrom('customer_owners as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select(['c.id', 'c.archive_code', 'c.name', 'c.secrecy'])
    .where('o.user_id', '=', fromUserId)
    .where('c.status', '!=', 'merged')
    .where('c.secrecy', '<=', clearance)
    .orderBy('c.archive_code')
    .execute();
}

/** A successor who could not open an archive could not look after it either (R-P1). */
const successorCleared = (successor: { clearance: number }, archive: { secrecy: number | string }) =>
  Number(archive.secrecy) <= successor.clearance;

/** Handovers with their successors, in two queries however many there are. */
async function loadHandovers(ctx: Ctx, ids: string[] | null): Promise<Handover[]> {
  let q = ctx.db
    .selectFrom('handovers as h')
    .innerJoin('users as f', 'f.id', 'h.from_user_id')
    .leftJoin('users as b', 'b.id', 'h.by_user_id')
    .select([
      'h.id',
      'h.at',
      'h.reason',
      'h.customer_count',
      'f.id as from_id',
      'f.name as from_name',
      'f.login as from_login',
      'b.name as by_name',
    ]);
  if (ids) q = q.where('h.id', 'in', ids);
  const rows = await q.orderBy('h.at', 'desc').limit(200).execute();
  if (rows.length === 0) return [];
  const successors = await ctx.db
    .selectFrom('handover_items as i')
    .innerJoin('users as u', 'u.id', 'i.to_user_id')
    .select(['i.handover_id', 'u.id', 'u.name', 'u.login', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'i.handover_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy(['i.handover_id', 'u.id', 'u.name', 'u.login'])
    .execute();
  const counts = await noticeCounts(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((h) => ({
    id: h.id,
    fromUser: { id: h.from_id, name: h.from_name, login: h.from_login },
    byUser: h.by_name,
    at: h.at,
    reason: h.reason,
    customerCount: h.customer_count,
    successors: successors
      .filter((s) => s.handover_id === h.id)
      .map((s) => ({ user: { id: s.id, name: s.name, login: s.login }, customers: Number(s.n) })),
    notices: counts.get(h.id) ?? { mail: 0, sent: 0, call: 0 },
  }));
}

export async function getHandover(ctx: Ctx, id: string): Promise<Handover> {
  const [h] = await loadHandovers(ctx, [id]);
  if (!h) throw notFound();
  return h;
}

/** The latest handovers (交接记录), for the handover page. */
export async function listHandovers(ctx: Ctx): Promise<Handover[]> {
  authorize(ctx, 'customer.handover', {
    type: 'handover',
    resource: { ownerIds: [], inActorDepartments: true },
  });
  return loadHandovers(ctx, null);
}
