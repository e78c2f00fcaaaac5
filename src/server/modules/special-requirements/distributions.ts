import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type {
  DistributeResult,
  Distribution,
  MyAcknowledgement,
} from '../../../common/schemas/special-requirements.js';
import { SR_ACK_KIND_LABELS, type SrAckKind } from '../../../common/special-requirements.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { assertReadable, authorizeRecord, can } from '../../platform/policy/index.js';
import { requirementSecrecy } from '../../platform/policy/records.js';
import type { SrResource } from '../../platform/policy/rules.js';
import { type SrReader, srReader, srResource, visibleRequirement, visibleSrCustomer } from './access.js';
import { categories as categoriesOf } from './repo.js';

// Communication of customer special requirements (R-S3): quality distributes one requirement, or
// the customer's whole list at its current revision, to departments (their active members at that
// moment) and people; each recipient acknowledges (已阅 / 已培训, with the date); the distribution
// shows who has not, quality reminds them, and a daily task reminds those still silent after
// three working days (sr-notices.ts). Only people cleared for the distribution's effective
// secrecy — the higher of the requirement's and its archive's, or the archive's for a whole list
// — become recipients; the others are skipped and named in the answer (R-P1, R-P9). Every read
// and change is audited against the requirement (`special_requirement`) or the list (`sr_list`,
// the customer's id), so the entries follow their secrecy.

/** Working days after which the daily task reminds those who have not acknowledged. */
export const ACK_REMIND_AFTER_DAYS = 3;

export interface SrCustomerRow {
  id: string;
  name: string;
  archive_code: string;
  secrecy: number;
  department_id: string;
  status: string;
}

/** The customer's special-requirement records as a whole, when the reader may see them; 404 else
 * (the list, its distributions, checks and revisions share the archive's visibility). */
export async function srCustomer(r: SrReader, customerId: string, db: Db = r.ctx.db): Promise<SrCustomerRow> {
  const row = await db
    .selectFrom('customers as c')
    .select(['c.id', 'c.name', 'c.archive_code', 'c.secrecy', 'c.department_id', 'c.status'])
    .where('c.id', '=', customerId)
    .where(visibleSrCustomer(r))
    .executeTakeFirst();
  assertReadable(r.ctx, { type: 'sr_list', id: customerId, read: !!row });
  return { ...(row as SrCustomerRow), secrecy: Number(row?.secrecy) };
}

/** What the sr.* rules look at for list-level actions on a customer (owner, manager). */
export function listResource(
  r: SrReader,
  c: Pick<SrCustomerRow, 'id' | 'department_id'>,
  db: Db = r.ctx.db,
): Promise<SrResource> {
  return srResource(r, { customerId: c.id, customerDepartmentId: c.department_id }, db);
}

const secrecyText = (rank: number) => SECRECY_LABELS[secrecyFromRank(rank)].zh;

interface DistributionRow {
  id: string;
  customer_id: string;
  requirement_id: string | null;
  list_revision: number | null;
  ack_kind: string;
  note: string | null;
  distributed_at: string;
  distributed_by: string;
  customer_name: string;
  archive_code: string;
  customer_secrecy: number;
  department_id: string;
  number: string | null;
  title: string | null;
  requirement_status: string | null;
  /** The effective secrecy: the requirement's (with its archive) or the archive's. */
  secrecy: number;
}

function distributions(db: Db) {
  return db
    .selectFrom('sr_distributions as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('sr_requirements as r', 'r.id', 'd.requirement_id')
    .select([
      'd.id',
      'd.customer_id',
      'd.requirement_id',
      'd.list_revision',
      'd.ack_kind',
      'd.note',
      'd.distributed_at',
      'd.distributed_by',
      'c.name as customer_name',
      'c.archive_code',
      'c.secrecy as customer_secrecy',
      'c.department_id',
      'r.number',
      'r.title',
      'r.status as requirement_status',
      sql<number>`coalesce(${requirementSecrecy('r')}, c.secrecy)`.as('secrecy'),
    ]);
}

type DistributionEb = ExpressionBuilder<
  Database & { d: Database['sr_distributions']; c: Database['customers']; r: Database['sr_requirements'] },
  'd' | 'c' | 'r'
>;

/** SQL on `sr_distributions as d`: the reader may see the distribution. */
function distributionSeen(r: SrReader) {
  const actorId = r.ctx.actor.id;
  return (eb: DistributionEb): Expression<SqlBool> =>
    eb.or([
      eb.and([eb('d.requirement_id', 'is not', null), visibleRequirement(r)(eb as never)]),
      eb.and([
        eb('d.requirement_id', 'is', null),
        eb.or([
          visibleSrCustomer(r)(eb as never),
          eb.exists(
            eb
              .selectFrom('sr_acknowledgements as ra')
              .select(sql`1`.as('one'))
              .whereRef('ra.distribution_id', '=', 'd.id')
              .where('ra.user_id', '=', actorId),
          ),
        ]),
      ]),
    ]);
}

/** A distribution the reader may see (its list's visibility, within its effective secrecy). */
async function findDistribution(r: SrReader, id: string, db: Db = r.ctx.db): Promise<DistributionRow> {
  // A requirement's distribution is seen where the requirement is (its archive's readers, the
  // departments given it, the recipients); a whole list's where the archive is, and by its
  // recipients.
  const row = await distributions(db).where('d.id', '=', id).where(distributionSeen(r)).executeTakeFirst();
  const secrecy = row ? Number(row.secrecy) : undefined;
  assertReadable(r.ctx, {
    type: row?.requirement_id ? 'special_requirement' : 'sr_list',
    id: row?.requirement_id ?? row?.customer_id ?? id,
    read: !!row,
    ...(secrecy === undefined ? {} : { secrecy }),
  });
  return { ...(row as DistributionRow), secrecy: secrecy as number };
}

/** The audit target of a distribution: its requirement, or its customer's list. */
const target = (d: Pick<DistributionRow, 'requirement_id' | 'customer_id' | 'number' | 'archive_code'>) =>
  d.requirement_id
    ? { targetType: 'special_requirement', targetId: d.requirement_id, targetLabel: d.number }
    : { targetType: 'sr_list', targetId: d.customer_id, targetLabel: `${d.archive_code} 顾客特殊要求清单` };

interface RecipientRow {
  user_id: string;
  user_name: string;
  department_id: string | null;
  department_name: string | null;
  acknowledged_at: string | null;
  kind: string | null;
  note: string | null;
  reminded_at: string | null;
}

export async function recipientsOf(db: Db, distributionId: string): Promise<RecipientRow[]> {
  return db
    .selectFrom('sr_acknowledgements as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('departments as dep', 'dep.id', 'a.department_id')
    .select([
      'a.user_id',
      'u.name as user_name',
      'a.department_id',
      'dep.name as department_name',
      'a.acknowledged_at',
      'a.kind',
      'a.note',
      'a.reminded_at',
    ])
    .where('a.distribution_id', '=', distributionId)
    .orderBy('dep.name')
    .orderBy('u.name')
    .orderBy('a.user_id')
    .execute();
}

async function userName(db: Db, id: string): Promise<{ id: string; name: string } | null> {
  const u = await db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  return u ?? null;
}

async function toDistribution(
  r: SrReader,
  d: DistributionRow,
  db: Db = r.ctx.db,
  loaded?: { recipients: RecipientRow[]; distributedBy: { id: string; name: string } | null },
): Promise<Distribution> {
  const recipients = loaded?.recipients ?? (await recipientsOf(db, d.id));
  const mine = recipients.find((x) => x.user_id === r.ctx.actor.id);
  const pending = recipients.filter((x) => !x.acknowledged_at).length;
  const resource: SrResource = { owner: false, managesArchive: false, recipient: !!mine };
  return {
    id: d.id,
    customer: { id: d.customer_id, name: d.customer_name, code: d.archive_code },
    requirement:
      d.requirement_id && d.number ? { id: d.requirement_id, number: d.number, title: d.title ?? '' } : null,
    listRevision: d.list_revision === null ? null : Number(d.list_revision),
    ackKind: d.ack_kind as SrAckKind,
    note: d.note,
    distributedAt: d.distributed_at,
    distributedBy: loaded ? loaded.distributedBy : await userName(db, d.distributed_by),
    recipients: recipients.map((x) => ({
      user: { id: x.user_id, name: x.user_name },
      department: x.department_id ? { id: x.department_id, name: x.department_name ?? '' } : null,
      acknowledgedAt: x.acknowledged_at,
      kind: (x.kind as SrAckKind | null) ?? null,
      note: x.note,
      remindedAt: x.reminded_at,
    })),
    pending,
    secrecy: secrecyFromRank(d.secrecy),
    can: {
      acknowledge: !!mine && !mine.acknowledged_at && can(r.ctx.actor, 'sr.acknowledge', resource),
      remind: pending > 0 && can(r.ctx.actor, 'sr.remind', resource),
    },
  };
}

// Distributing ---------------------------------------------------------------------------------

export interface DistributeInput {
  customerId: string;
  requirementId?: string | null | undefined;
  ackKind: SrAckKind;
  departmentIds: string[];
  userIds: string[];
  note: string | null;
}

/** Departments and everything below them (a department's members include its sub-groups'). */
async function subtree(db: Db, roots: string[]): Promise<string[]> {
  if (!roots.length) return [];
  const rows = await db
    .withRecursive('tree(id)', (qb) =>
      qb
        .selectFrom('departments')
        .select('id')
        .where('id', 'in', roots)
        .unionAll((q) =>
          q.selectFrom('departments as d').innerJoin('tree', 'tree.id', 'd.parent_id').select('d.id'),
        ),
    )
    .selectFrom('tree')
    .select('id')
    .distinct()
    .execute();
  return rows.map((x) => x.id);
}

export async function distribute(ctx: Ctx, input: DistributeInput): Promise<DistributeResult> {
  const r = await srReader(ctx);
  const created = await tx(r.ctx, async (t) => {
    let c: SrCustomerRow;
    let secrecy: number;
    let requirement: { id: string; number: string; title: string } | null = null;
    if (input.requirementId) {
      // One requirement: whoever may see it (quality given it to review, too) may be allowed.
      const req = await t.db
        .selectFrom('sr_requirements as r')
        .innerJoin('customers as c', 'c.id', 'r.customer_id')
        .select([
          'r.id',
          'r.number',
          'r.title',
          'r.status',
          requirementSecrecy('r').as('secrecy'),
          'c.name',
          'c.archive_code',
          'c.secrecy as customer_secrecy',
          'c.department_id',
          'c.status as customer_status',
        ])
        .where('r.id', '=', input.requirementId)
        .where('r.customer_id', '=', input.customerId)
        .where(visibleRequirement(r))
        .executeTakeFirst();
      assertReadable(r.ctx, { type: 'special_requirement', id: input.requirementId, read: !!req });
      const found = req as NonNullable<typeof req>;
      // A withdrawn requirement is not passed on.
      if (found.status === 'obsolete')
        throw new FieldErrors([
          { field: 'requirementId', key: 'lookup', params: { value: input.requirementId } },
        ]);
      secrecy = Number(found.secrecy);
      requirement = { id: found.id, number: found.number, title: found.title };
      c = {
        id: input.customerId,
        name: found.name,
        archive_code: found.archive_code,
        secrecy: Number(found.customer_secrecy),
        department_id: found.department_id,
        status: found.customer_status,
      };
    } else {
      c = await srCustomer(r, input.customerId, t.db);
      secrecy = c.secrecy;
    }
    const resource = await listResource(r, c, t.db);
    authorizeRecord(r.ctx, 'sr.distribute', {
      type: requirement ? 'special_requirement' : 'sr_list',
      id: requirement?.id ?? c.id,
      resource,
      read: true,
      secrecy,
    });

    // Who: the departments' active members now, and the people named.
    const problems: FieldProblem[] = [];
    const departments = await t.db
      .selectFrom('departments')
      .select('id')
      .where('id', 'in', input.departmentIds.length ? input.departmentIds : [''])
      .execute();
    input.departmentIds.forEach((id, i) => {
      if (!departments.some((d) => d.id === id))
        problems.push({ field: `departmentIds.${i}`, key: 'lookup', params: { value: id } });
    });
    const people = await t.db
      .selectFrom('users')
      .select(['id', 'name', 'department_id', 'clearance', 'active'])
      .where('id', 'in', input.userIds.length ? input.userIds : [''])
      .where('id', '!=', 'system')
      .execute();
    input.userIds.forEach((id, i) => {
      if (!people.some((p) => p.id === id))
        problems.push({ field: `userIds.${i}`, key: 'lookup', params: { value: id } });
    });
    if (problems.length) throw new FieldErrors(problems);
    const inDepartments = await subtree(t.db, input.departmentIds);
    const members = inDepartments.length
      ? await t.db
          .selectFrom('users')
          .select(['id', 'name', 'department_id', 'clearance', 'active'])
          .where('department_id', 'in', inDepartments)
          .where('active', '=', 1)
          .execute()
      : [];
    const everyone = new Map<string, (typeof people)[number]>();
    for (const p of [...members, ...people]) everyone.set(p.id, p);
    const recipients: (typeof people)[number][] = [];
    const skipped: { user: (typeof people)[number]; reason: 'clearance' | 'inactive' }[] = [];
    for (const p of everyone.values()) {
      if (Number(p.active) !== 1) skipped.push({ user: p, reason: 'inactive' });
      else if (Number(p.clearance) < secrecy) skipped.push({ user: p, reason: 'clearance' });
      else recipients.push(p);
    }

    const list = await t.db
      .selectFrom('sr_lists')
      .select('revision')
      .where('customer_id', '=', c.id)
      .executeTakeFirst();
    if (!requirement) {
      const inForce = await t.db
        .selectFrom('sr_requirements')
        .select('id')
        .where('customer_id', '=', c.id)
        .where('status', '!=', 'obsolete')
        .limit(1)
        .executeTakeFirst();
      if (!inForce) throw new DomainError('sr_list_empty', 409);
    }
    const id = newId();
    const now = nowIso(t);
    await t.db
      .insertInto('sr_distributions')
      .values({
        id,
        customer_id: c.id,
        requirement_id: requirement?.id ?? null,
        list_revision: requirement ? null : Number(list?.revision ?? 0),
        ack_kind: input.ackKind,
        note: input.note,
        distributed_at: now,
        distributed_by: r.ctx.actor.id,
      })
      .execute();
    for (let i = 0; i < recipients.length; i += 500)
      await t.db
        .insertInto('sr_acknowledgements')
        .values(
          recipients.slice(i, i + 500).map((p) => ({
            id: newId(),
            distribution_id: id,
            user_id: p.id,
            department_id: p.department_id,
            acknowledged_at: null,
            kind: null,
            note: null,
            reminded_at: null,
          })),
        )
        .execute();
    const what = requirement
      ? `${requirement.number} ${requirement.title}`
      : `${c.archive_code} ${c.name} 顾客特殊要求清单（第 ${Number(list?.revision ?? 0)} 版）`;
    await notify(
      t,
      recipients.map((p) => p.id),
      {
        kind: 'sr.distribution',
        title: `请确认顾客特殊要求（${SR_ACK_KIND_LABELS[input.ackKind].zh}）：${what}`,
        body: input.note,
        link: `/special-requirements/distributions/${id}`,
        secrecy,
        neutral: { title: '您有一项顾客特殊要求待确认', link: '/special-requirements/acknowledgements' },
      },
    );
    await appendAudit(t, {
      action: 'sr.distribute',
      ...target({
        requirement_id: requirement?.id ?? null,
        customer_id: c.id,
        number: requirement?.number ?? null,
        archive_code: c.archive_code,
      }),
      secrecy,
      details: {
        distributionId: id,
        ackKind: input.ackKind,
        departmentIds: input.departmentIds,
        recipients: recipients.length,
        skipped: skipped.map((s) => ({ userId: s.user.id, reason: s.reason })),
      },
    });
    return { id, skipped };
  });
  const d = await findDistribution(r, created.id);
  const names = await r.ctx.db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', 'in', created.skipped.map((s) => s.user.department_id ?? '').concat(['']))
    .execute();
  return {
    ...(await toDistribution(r, d)),
    skipped: created.skipped.map((s) => {
      const dep = names.find((n) => n.id === s.user.department_id);
      return {
        user: { id: s.user.id, name: s.user.name },
        department: dep ? { id: dep.id, name: dep.name } : null,
        reason: s.reason,
      };
    }),
  };
}

// Reading, acknowledging, reminding -------------------------------------------------------------

export async function getDistribution(ctx: Ctx, id: string): Promise<Distribution> {
  const r = await srReader(ctx);
  const d = await findDistribution(r, id);
  await appendAudit(r.ctx, {
    action: 'sr.distribution_read',
    ...target(d),
    secrecy: d.secrecy,
    details: { distributionId: id },
  });
  return toDistribution(r, d);
}

/** The newest distributions of a customer's requirements and list that the reader may see (at
 * most 100), with their recipients: three queries whatever their number. */
export async function customerDistributions(
  ctx: Ctx,
  customerId: string,
): Promise<{ items: Distribution[] }> {
  const r = await srReader(ctx);
  const customer = await srCustomer(r, customerId);
  const rows = await distributions(r.ctx.db)
    .where('d.customer_id', '=', customerId)
    .where(distributionSeen(r))
    .orderBy('d.distributed_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(100)
    .execute();
  const ids = rows.map((d) => d.id);
  const byDistribution = new Map<string, RecipientRow[]>();
  if (ids.length > 0) {
    const all = await r.ctx.db
      .selectFrom('sr_acknowledgements as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .leftJoin('departments as dep', 'dep.id', 'a.department_id')
      .select([
        'a.distribution_id',
        'a.user_id',
        'u.name as user_name',
        'a.department_id',
        'dep.name as department_name',
        'a.acknowledged_at',
        'a.kind',
        'a.note',
        'a.reminded_at',
      ])
      .where('a.distribution_id', 'in', ids)
      .orderBy('dep.name')
      .orderBy('u.name')
      .orderBy('a.user_id')
      .execute();
    for (const { distribution_id, ...x } of all)
      byDistribution.set(distribution_id, [...(byDistribution.get(distribution_id) ?? []), x]);
  }
  const people = new Map(
    (ids.length
      ? await r.ctx.db
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set(rows.map((d) => d.distributed_by))])
          .execute()
      : []
    ).map((u) => [u.id, u]),
  );
  const items: Distribution[] = [];
  for (const d of rows)
    items.push(
      await toDistribution(r, { ...d, secrecy: Number(d.secrecy) } as DistributionRow, r.ctx.db, {
        recipients: byDistribution.get(d.id) ?? [],
        distributedBy: people.get(d.distributed_by) ?? null,
      }),
    );
  await appendAudit(r.ctx, {
    action: 'sr.distribution_read',
    targetType: 'sr_list',
    targetId: customerId,
    targetLabel: `${customer.archive_code} 顾客特殊要求清单`,
    secrecy: Math.max(Number(customer.secrecy), ...rows.map((d) => Number(d.secrecy))),
    details: { distributions: ids.length },
  });
  return { items };
}

export async function acknowledge(
  ctx: Ctx,
  id: string,
  input: { kind: SrAckKind; note: string | null },
): Promise<Distribution> {
  const r = await srReader(ctx);
  await tx(r.ctx, async (t) => {
    const d = await findDistribution(r, id, t.db);
    const mine = await t.db
      .selectFrom('sr_acknowledgements')
      .select(['id', 'acknowledged_at', 'kind'])
      .where('distribution_id', '=', id)
      .where('user_id', '=', r.ctx.actor.id)
      .executeTakeFirst();
    authorizeRecord(r.ctx, 'sr.acknowledge', {
      ...{ type: target(d).targetType, id: target(d).targetId },
      resource: { owner: false, managesArchive: false, recipient: !!mine } satisfies SrResource,
      read: true,
      secrecy: d.secrecy,
    });
    // Training was asked for: having read it is not enough.
    if (d.ack_kind === 'trained' && input.kind !== 'trained')
      throw new FieldErrors([
        { field: 'kind', key: 'option', params: { value: SR_ACK_KIND_LABELS[input.kind].zh } },
      ]);
    const ack = mine as NonNullable<typeof mine>;
    // Once acknowledged it stays; only 已阅 may later become 已培训.
    if (ack.acknowledged_at && !(ack.kind === 'read' && input.kind === 'trained')) return;
    await t.db
      .updateTable('sr_acknowledgements')
      .set({ acknowledged_at: nowIso(t), kind: input.kind, note: input.note })
      .where('id', '=', ack.id)
      .execute();
    await appendAudit(t, {
      action: 'sr.acknowledge',
      ...target(d),
      secrecy: d.secrecy,
      details: { distributionId: id, kind: input.kind, note: input.note },
    });
  });
  return toDistribution(r, await findDistribution(r, id));
}

/** Tells the recipients who have not acknowledged, again; returns how many were told. */
export async function remindPending(
  t: TxCtx,
  d: Pick<
    DistributionRow,
    'id' | 'requirement_id' | 'customer_id' | 'number' | 'title' | 'archive_code' | 'customer_name'
  > & { list_revision: number | null; secrecy: number },
  userIds?: readonly string[],
): Promise<number> {
  let q = t.db
    .selectFrom('sr_acknowledgements as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.user_id'])
    .where('a.distribution_id', '=', d.id)
    .where('a.acknowledged_at', 'is', null)
    .where('u.active', '=', 1);
  if (userIds) q = q.where('a.user_id', 'in', userIds.length ? [...userIds] : ['']);
  const rows = await q.execute();
  if (!rows.length) return 0;
  const what = d.requirement_id
    ? `${d.number} ${d.title}`
    : `${d.archive_code} ${d.customer_name} 顾客特殊要求清单（第 ${Number(d.list_revision ?? 0)} 版）`;
  await notify(
    t,
    rows.map((x) => x.user_id),
    {
      kind: 'sr.acknowledge_reminder',
      title: `提醒：请确认顾客特殊要求 ${what}`,
      link: `/special-requirements/distributions/${d.id}`,
      secrecy: d.secrecy,
      neutral: { title: '您有一项顾客特殊要求尚未确认', link: '/special-requirements/acknowledgements' },
    },
  );
  await t.db
    .updateTable('sr_acknowledgements')
    .set({ reminded_at: nowIso(t) })
    .where(
      'id',
      'in',
      rows.map((x) => x.id),
    )
    .execute();
  return rows.length;
}

export async function remind(ctx: Ctx, id: string): Promise<Distribution> {
  const r = await srReader(ctx);
  await tx(r.ctx, async (t) => {
    const d = await findDistribution(r, id, t.db);
    authorizeRecord(r.ctx, 'sr.remind', {
      type: target(d).targetType,
      id: target(d).targetId,
      resource: await listResource(r, { id: d.customer_id, department_id: d.department_id }, t.db),
      read: true,
      secrecy: d.secrecy,
    });
    const n = await remindPending(t, d);
    await appendAudit(t, {
      action: 'sr.remind',
      ...target(d),
      secrecy: d.secrecy,
      details: { distributionId: id, reminded: n },
    });
  });
  return toDistribution(r, await findDistribution(r, id));
}

// The reader's open items ----------------------------------------------------------------------

/** The reader's acknowledgements still open: within their clearance, not of a withdrawn requirement. */
function openOfReader(actor: Actor, db: Db) {
  return distributions(db)
    .innerJoin('sr_acknowledgements as a', 'a.distribution_id', 'd.id')
    .where('a.user_id', '=', actor.id)
    .where('a.acknowledged_at', 'is', null)
    .where((eb) => eb.or([eb('r.id', 'is', null), eb('r.status', '!=', 'obsolete')]))
    .where(sql<SqlBool>`coalesce(${requirementSecrecy('r')}, c.secrecy) <= ${actor.clearance}`);
}

/** Distributions the reader has not acknowledged (我的待办). */
export async function ackTodo(ctx: Ctx): Promise<number> {
  if (!ctx.actor) return 0;
  const row = await openOfReader(ctx.actor, ctx.db)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function myAcknowledgements(ctx: Ctx): Promise<MyAcknowledgement[]> {
  const r = await srReader(ctx);
  const rows = await openOfReader(r.ctx.actor, r.ctx.db)
    .select('a.reminded_at')
    .orderBy('d.distributed_at')
    .orderBy('d.id')
    .limit(500)
    .execute();
  const calendar = await loadCalendar(r.ctx);
  const today = todayInShanghai(r.ctx.now());
  const out: MyAcknowledgement[] = [];
  for (const d of rows)
    out.push({
      distributionId: d.id,
      customer: { id: d.customer_id, name: d.customer_name, code: d.archive_code },
      requirement:
        d.requirement_id && d.number
          ? { id: d.requirement_id, number: d.number, title: d.title ?? '' }
          : null,
      listRevision: d.list_revision === null ? null : Number(d.list_revision),
      ackKind: d.ack_kind as SrAckKind,
      note: d.note,
      distributedAt: d.distributed_at,
      distributedBy: await userName(r.ctx.db, d.distributed_by),
      remindedAt: d.reminded_at,
      workingDaysOpen: Math.max(
        0,
        calendar.workingDaysBetween(todayInShanghai(new Date(d.distributed_at)), today),
      ),
    });
  await appendAudit(r.ctx, {
    action: 'sr.acknowledgements_read',
    targetType: 'sr_acknowledgement',
    secrecy: Math.max(0, ...rows.map((d) => Number(d.secrecy))),
    details: { open: rows.length },
  });
  return out;
}

// The training record (培训记录) -----------------------------------------------------------------

export interface RecordInput {
  distribution: Distribution;
  /** The requirements it covered: one, or the list's at the time. */
  requirements: { number: string; category: string; title: string }[];
  secrecyText: string | null;
}

/** What the training record prints, read with the reader's rights; audited as a print. */
export async function recordData(ctx: Ctx, id: string): Promise<RecordInput> {
  const r = await srReader(ctx);
  const d = await findDistribution(r, id);
  const distribution = await toDistribution(r, d);
  let q = r.ctx.db
    .selectFrom('sr_requirements as r')
    .select(['r.number', 'r.category', 'r.title'])
    .where('r.customer_id', '=', d.customer_id)
    .where(sql<SqlBool>`${requirementSecrecy('r')} <= ${r.ctx.actor.clearance}`);
  q = d.requirement_id
    ? q.where('r.id', '=', d.requirement_id)
    : q.where('r.created_at', '<=', d.distributed_at).where('r.status', '!=', 'obsolete');
  const categories = await categoriesOf(r.ctx.db);
  const requirements = (await q.orderBy('r.seq').execute()).map((x) => ({
    ...x,
    category: categories.find((k) => k.code === x.category)?.label ?? x.category,
  }));
  await appendAudit(r.ctx, {
    action: 'sr.record_print',
    ...target(d),
    secrecy: d.secrecy,
    details: { distributionId: id },
  });
  return { distribution, requirements, secrecyText: d.secrecy > 0 ? secrecyText(d.secrecy) : null };
}
