import { CUSTOMER_STATUS_LABELS, type CustomerStatus } from '../../../common/customers.js';
import type { CustomerListItem, Grant } from '../../../common/schemas/customers.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize, withinClearance } from '../../platform/policy/index.js';
import { forgetSales } from '../analysis/summary.js';
import { visitsOnMerged } from '../visits/plans.js';
import * as repo from './repo.js';
import { customerIndex, findVisible, reader, reindex, visibleTo } from './service.js';

// Duplicates (R-C10): near-identical names are found by their normalized key; a merge moves
// everything of one archive into the surviving one and leaves the merged archive as a pointer.
// Access grants (R-P2) let another department read an archive until the borrowing flow exists.

/** Groups of visible archives that share a normalized name, biggest first. */
export async function duplicateGroups(
  ctx: Ctx,
  limit = 100,
): Promise<{ key: string; customers: CustomerListItem[] }[]> {
  authorize(ctx, 'customer.merge', { type: 'customer' });
  const r = await reader(ctx);
  const keys = await repo
    .customersFrom(ctx.db)
    .select(['c.name_norm', (eb) => eb.fn.countAll<number>().as('n')])
    .where(visibleTo(r))
    .where('c.status', '!=', 'merged')
    .groupBy('c.name_norm')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy('n', 'desc')
    .limit(limit)
    .execute();
  if (keys.length === 0) return [];
  const rows = (await repo
    .withDepartment(repo.customersFrom(ctx.db))
    .where(visibleTo(r))
    .where('c.status', '!=', 'merged')
    .where(
      'c.name_norm',
      'in',
      keys.map((k) => k.name_norm),
    )
    .orderBy('c.archive_code')
    .execute()) as repo.CustomerRow[];
  const ids = rows.map((x) => x.id);
  const [owners, contacts] = await Promise.all([
    repo.ownersOf(ctx.db, ids),
    repo.primaryContactsOf(ctx.db, ids),
  ]);
  return keys.map((k) => ({
    key: k.name_norm,
    customers: rows
      .filter((x) => x.name_norm === k.name_norm)
      .map((x) => repo.toListItem(x, r.today, owners.get(x.id) ?? [], contacts.get(x.id))),
  }));
}

/**
 * Merges `sourceId` into `targetId`: contacts, interactions, history, owners and grants move
 * over (history entries remember where they came from), the source keeps its code and becomes
 * 已合并 with a pointer to the survivor, and both archives record the merge.
 */
export async function mergeCustomers(
  ctx: Ctx,
  targetId: string,
  sourceId: string,
  note: string | null,
): Promise<void> {
  authorize(ctx, 'customer.merge', { type: 'customer', id: targetId });
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  if (targetId === sourceId) throw new DomainError('merge_same', 422, {}, 'sourceId');
  await tx(ctx, async (t) => {
    const target = await findVisible(r, targetId, t.db);
    const source = await findVisible(r, sourceId, t.db).catch(() => {
      throw new FieldErrors([{ field: 'sourceId', key: 'lookup', params: { value: sourceId } }]);
    });
    for (const c of [target, source]) {
      if (c.status === 'merged') {
        const status = CUSTOMER_STATUS_LABELS[c.status as CustomerStatus][ctx.lang];
        throw new DomainError('merge_not_allowed', 409, { archiveCode: c.archive_code, status });
      }
    }
    const now = nowIso(t);
    const moved = {
      contacts: 0,
      interactions: 0,
      history: 0,
      visits: 0,
      sales: 0,
    };
    moved.contacts = Number(
      (
        await t.db
          .updateTable('contacts')
          .set({ customer_id: targetId, is_primary: 0 })
          .where('customer_id', '=', sourceId)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    moved.interactions = Number(
      (
        await t.db
          .updateTable('interactions')
          .set({ customer_id: targetId })
          .where('customer_id', '=', sourceId)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    await t.db
      .updateTable('customer_history')
      .set({ origin_customer_id: sourceId })
      .where('customer_id', '=', sourceId)
      .where('origin_customer_id', 'is', null)
      .execute();
    moved.history = Number(
      (
        await t.db
          .updateTable('customer_history')
          .set({ customer_id: targetId })
          .where('customer_id', '=', sourceId)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    const owners = await repo.ownersOf(t.db, [targetId, sourceId]);
    const targetOwners = (owners.get(targetId) ?? []).map((o) => o.id);
    const newOwners = (owners.get(sourceId) ?? []).filter((o) => !targetOwners.includes(o.id));
    if (newOwners.length) {
      await t.db
        .insertInto('customer_owners')
        .values(newOwners.map((o) => ({ customer_id: targetId, user_id: o.id, assigned_at: now })))
        .execute();
    }
    await t.db.deleteFrom('customer_owners').where('customer_id', '=', sourceId).execute();
    await t.db
      .updateTable('customer_grants')
      .set({ customer_id: targetId })
      .where('customer_id', '=', sourceId)
      .execute();
    // The survivor takes the credit code when it has none (the column is unique).
    const takeCreditCode = !target.credit_code && !!source.credit_code;
    await t.db
      .updateTable('customers')
      .set({
        status: 'merged',
        merged_into_id: targetId,
        credit_code: takeCreditCode ? null : source.credit_code,
        updated_at: now,
        updated_by: actor.id,
      })
      .where('id', '=', sourceId)
      .execute();
    await t.db
      .updateTable('customers')
      .set({
        ...(takeCreditCode ? { credit_code: source.credit_code } : {}),
        updated_at: now,
        updated_by: actor.id,
      })
      .where('id', '=', targetId)
      .execute();
    const entry = (customerId: string, newValue: unknown) => ({
      id: newId(),
      customerId,
      at: now,
      actorId: actor.id,
      actorName: actor.name,
      kind: 'merge',
      field: 'merge',
      newValue,
      note,
    });
    await repo.insertHistory(t.db, [
      entry(targetId, { from: source.archive_code, name: source.name, ...moved }),
      entry(sourceId, { into: target.archive_code, name: target.name }),
    ]);
    moved.visits = await visitsOnMerged(t, sourceId, targetId);
    // The sales ledger's rows are the customer's trade: the analysis reads the survivor's.
    forgetSales();
    moved.sales = Number(
      (
        await t.db
          .updateTable('sales_records')
          .set({ customer_id: targetId })
          .where('customer_id', '=', sourceId)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    await customerIndex(t.db).remove(t.db, Number(source.search_key));
    await reindex(t.db, targetId);
    await appendAudit(t, {
      action: 'customer.merge',
      targetType: 'customer',
      targetId,
      targetLabel: `${target.archive_code} ${target.name}`,
      secrecy: Math.max(target.secrecy, source.secrecy),
      details: { sourceId, sourceCode: source.archive_code, ...moved, owners: newOwners.length, note },
    });
  });
}

// Access grants -------------------------------------------------------------------------------

/**
 * The archive a grant is about, by id or archive code. Granting is an administrator's task, and
 * administrators need not belong to the archive's department, so only clearance limits it.
 */
async function grantTarget(ctx: Ctx & { actor: Actor }, idOrCode: string): Promise<repo.CustomerRow> {
  const row = await repo
    .withDepartment(repo.customersFrom(ctx.db))
    .where((eb) => eb.or([eb('c.id', '=', idOrCode), eb('c.archive_code', '=', idOrCode)]))
    .where(withinClearance(ctx.actor, 'c.secrecy'))
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as repo.CustomerRow;
}

export async function listGrants(ctx: Ctx, idOrCode: string): Promise<Grant[]> {
  authorize(ctx, 'customer.grant', { type: 'customer', id: idOrCode });
  const customerId = (await grantTarget(ctx, idOrCode)).id;
  const rows = await ctx.db
    .selectFrom('customer_grants as g')
    .leftJoin('users as u', 'u.id', 'g.user_id')
    .leftJoin('departments as d', 'd.id', 'g.department_id')
    .leftJoin('users as b', 'b.id', 'g.granted_by')
    .selectAll('g')
    .select([
      'u.name as user_name',
      'u.login as user_login',
      'd.name as department_name',
      'b.name as granted_by_name',
    ])
    .where('g.customer_id', '=', customerId)
    .orderBy('g.granted_at', 'desc')
    .execute();
  return rows.map((g) => ({
    id: g.id,
    customerId: g.customer_id,
    user: g.user_id ? { id: g.user_id, name: g.user_name ?? '', login: g.user_login ?? '' } : null,
    department: g.department_id ? { id: g.department_id, name: g.department_name ?? '' } : null,
    reason: g.reason,
    grantedBy: g.granted_by_name,
    grantedAt: g.granted_at,
    expiresAt: g.expires_at,
    revokedAt: g.revoked_at,
  }));
}

export async function grantAccess(
  ctx: Ctx,
  idOrCode: string,
  input: {
    userId?: string | null | undefined;
    departmentId?: string | null | undefined;
    expiresOn?: string | null | undefined;
    reason: string | null;
  },
): Promise<Grant> {
  authorize(ctx, 'customer.grant', { type: 'customer', id: idOrCode });
  const r = await reader(ctx);
  const id = newId();
  const customer = await grantTarget(ctx, idOrCode);
  const customerId = customer.id;
  await tx(ctx, async (t) => {
    if (input.userId) {
      const u = await t.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', input.userId)
        .where('active', '=', 1)
        .executeTakeFirst();
      if (!u) throw new FieldErrors([{ field: 'userId', key: 'lookup', params: { value: input.userId } }]);
    }
    if (input.departmentId) {
      const d = await t.db
        .selectFrom('departments')
        .select('id')
        .where('id', '=', input.departmentId)
        .executeTakeFirst();
      if (!d)
        throw new FieldErrors([
          { field: 'departmentId', key: 'lookup', params: { value: input.departmentId } },
        ]);
    }
    if (input.expiresOn && input.expiresOn < r.today)
      throw new FieldErrors([{ field: 'expiresOn', key: 'date_order', params: { date: r.today } }]);
    const now = nowIso(t);
    // A grant runs to the end of its last day in company time.
    const expiresAt = input.expiresOn
      ? new Date(`${input.expiresOn}T23:59:59.999+08:00`).toISOString()
      : null;
    await t.db
      .insertInto('customer_grants')
      .values({
        id,
        customer_id: customerId,
        user_id: input.userId ?? null,
        department_id: input.departmentId ?? null,
        reason: input.reason,
        granted_by: r.ctx.actor.id,
        granted_at: now,
        expires_at: expiresAt,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId,
        at: now,
        actorId: r.ctx.actor.id,
        actorName: r.ctx.actor.name,
        kind: 'grant',
        field: 'grant',
        newValue: { userId: input.userId ?? null, departmentId: input.departmentId ?? null, expiresAt },
        note: input.reason,
      },
    ]);
    await appendAudit(t, {
      action: 'customer.grant',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: `${customer.archive_code} ${customer.name}`,
      secrecy: customer.secrecy,
      details: {
        grantId: id,
        userId: input.userId ?? null,
        departmentId: input.departmentId ?? null,
        expiresAt,
      },
    });
  });
  return (await listGrants(ctx, customerId)).find((g) => g.id === id) as Grant;
}

export async function revokeGrant(ctx: Ctx, idOrCode: string, grantId: string): Promise<void> {
  authorize(ctx, 'customer.grant', { type: 'customer', id: idOrCode });
  const r = await reader(ctx);
  const customer = await grantTarget(ctx, idOrCode);
  const customerId = customer.id;
  await tx(ctx, async (t) => {
    const grant = await t.db
      .selectFrom('customer_grants')
      .select(['id', 'revoked_at'])
      .where('id', '=', grantId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!grant) throw notFound();
    if (grant.revoked_at) return;
    const now = nowIso(t);
    await t.db
      .updateTable('customer_grants')
      .set({ revoked_at: now, revoked_by: r.ctx.actor.id })
      .where('id', '=', grantId)
      .execute();
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId,
        at: now,
        actorId: r.ctx.actor.id,
        actorName: r.ctx.actor.name,
        kind: 'grant',
        field: 'grant_revoked',
        oldValue: { grantId },
      },
    ]);
    await appendAudit(t, {
      action: 'customer.grant_revoke',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: `${customer.archive_code} ${customer.name}`,
      secrecy: customer.secrecy,
      details: { grantId },
    });
  });
}
