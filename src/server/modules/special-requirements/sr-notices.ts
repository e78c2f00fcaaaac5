import { sql } from 'kysely';
import { todayInShanghai } from '../../../common/time.js';
import { loadActor } from '../../platform/auth.js';
import { addDays, loadCalendar } from '../../platform/calendar.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { actorScope, customerVisible, requirementSecrecy } from '../../platform/policy/records.js';
import { loadSrSettings } from './config.js';
import { ACK_REMIND_AFTER_DAYS, remindPending } from './distributions.js';
import { projectOverdueDaily } from './project-notices.js';

// The daily `sr_reminders` (R-S3, R-S5, R-W2):
// - a recipient who has not acknowledged a distribution three working days after it was sent is
//   reminded, at most once a day (a reminder quality sent by hand today counts), until they do;
//   distributions of withdrawn requirements are left alone;
// - from 30 days (the setting) before a list's yearly check is due (and once it is overdue), the archive's
//   owners and those of quality who see the archive are told, at most once a week, until the
//   check is recorded.
// Notifications name the archive only to recipients cleared for it (platform/notify).

const BATCH = 500;
/** Days between two reminders of the same yearly check. */
export const CHECK_REMIND_EVERY_DAYS = 7;

/** The Shanghai day of an instant stored as ISO text. */
const dayOf = (iso: string) => todayInShanghai(new Date(iso));

export async function srDaily(
  ctx: Ctx,
): Promise<{ acknowledgements: number; checks: number; projectOverdue: number }> {
  return {
    acknowledgements: await remindAcknowledgements(ctx),
    checks: await remindChecks(ctx),
    // Requirements received after mass production whose 1-working-day clock ran out (R-S5).
    projectOverdue: await projectOverdueDaily(ctx),
  };
}

/** Reminds recipients silent for 3 working days; returns how many people were reminded. */
export async function remindAcknowledgements(ctx: Ctx): Promise<number> {
  const today = todayInShanghai(ctx.now());
  const calendar = await loadCalendar(ctx);
  // Sent today at the earliest 3 working days ago: before the start of today, in UTC terms a day
  // earlier still, so every candidate is read and the calendar decides.
  const before = new Date(`${addDays(today, -ACK_REMIND_AFTER_DAYS + 1)}T00:00:00+08:00`).toISOString();
  let reminded = 0;
  let after = '';
  for (;;) {
    const rows = await ctx.db
      .selectFrom('sr_distributions as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .leftJoin('sr_requirements as r', 'r.id', 'd.requirement_id')
      .select([
        'd.id',
        'd.customer_id',
        'd.requirement_id',
        'd.list_revision',
        'd.distributed_at',
        'c.name as customer_name',
        'c.archive_code',
        'r.number',
        'r.title',
        sql<number>`coalesce(${requirementSecrecy('r')}, c.secrecy)`.as('secrecy'),
      ])
      .where('d.distributed_at', '<', before)
      .where((eb) => eb.or([eb('r.id', 'is', null), eb('r.status', '!=', 'obsolete')]))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('sr_acknowledgements as a')
            .select(sql`1`.as('one'))
            .whereRef('a.distribution_id', '=', 'd.id')
            .where('a.acknowledged_at', 'is', null),
        ),
      )
      .where('d.id', '>', after)
      .orderBy('d.id')
      .limit(BATCH)
      .execute();
    for (const d of rows) {
      if (calendar.workingDaysBetween(dayOf(d.distributed_at), today) < ACK_REMIND_AFTER_DAYS) continue;
      // Once a day at most: whoever was reminded today (by hand or by this task) waits for tomorrow.
      const due = await ctx.db
        .selectFrom('sr_acknowledgements')
        .select(['user_id', 'reminded_at'])
        .where('distribution_id', '=', d.id)
        .where('acknowledged_at', 'is', null)
        .execute();
      const userIds = due.filter((a) => !a.reminded_at || dayOf(a.reminded_at) < today).map((a) => a.user_id);
      if (!userIds.length) continue;
      reminded += await tx(ctx, (t) => remindPending(t, { ...d, secrecy: Number(d.secrecy) }, userIds));
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) break;
    after = last.id;
  }
  return reminded;
}

/** Those of the people who see the customer archive now (quality sees only the archives it may
 * open): a reminder naming the archive goes to them only (R-P1, R-P2). Quality users are few. */
export async function whoSeesArchive(
  ctx: Ctx,
  userIds: readonly string[],
  customerId: string,
): Promise<string[]> {
  const out: string[] = [];
  for (const uid of new Set(userIds)) {
    if (!uid || uid === 'system') continue;
    const actor = await loadActor(ctx.db, uid, 'session');
    if (!actor) continue;
    const scope = await actorScope({ ...ctx, actor });
    const seen = await ctx.db
      .selectFrom('customers as c')
      .select('c.id')
      .where('c.id', '=', customerId)
      .where(customerVisible(actor, scope, ctx.now()))
      .executeTakeFirst();
    if (seen) out.push(uid);
  }
  return out;
}

/** Reminds quality and the owners of lists whose check is due within the reminder lead or overdue, once
 * a week at most; returns how many lists were reminded of. */
export async function remindChecks(ctx: Ctx): Promise<number> {
  const today = todayInShanghai(ctx.now());
  const dueBy = addDays(today, (await loadSrSettings(ctx.db)).remindDays);
  // Reminded before the start of this day a week ago: due again.
  const lastBefore = new Date(`${addDays(today, -CHECK_REMIND_EVERY_DAYS + 1)}T00:00:00+08:00`).toISOString();
  const quality = await activeUsersWithRoles(ctx.db, ['quality']);
  let count = 0;
  let after = '';
  for (;;) {
    const rows = await ctx.db
      .selectFrom('sr_lists as l')
      .innerJoin('customers as c', 'c.id', 'l.customer_id')
      .select(['l.customer_id', 'l.next_check_on', 'c.name', 'c.archive_code', 'c.secrecy'])
      .where('l.next_check_on', '<=', dueBy)
      .where('c.status', 'in', ['draft', 'filed'])
      .where((eb) =>
        eb.or([eb('l.check_reminded_at', 'is', null), eb('l.check_reminded_at', '<', lastBefore)]),
      )
      // A list without a requirement in force has nothing to check.
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('sr_requirements as r')
            .select(sql`1`.as('one'))
            .whereRef('r.customer_id', '=', 'l.customer_id')
            .where('r.status', '!=', 'obsolete'),
        ),
      )
      .where('l.customer_id', '>', after)
      .orderBy('l.customer_id')
      .limit(BATCH)
      .execute();
    for (const l of rows)
      await tx(ctx, async (t) => {
        const owners = await t.db
          .selectFrom('customer_owners as o')
          .innerJoin('users as u', 'u.id', 'o.user_id')
          .select('u.id')
          .where('o.customer_id', '=', l.customer_id)
          .where('u.active', '=', 1)
          .execute();
        const overdue = l.next_check_on < today;
        const to = await whoSeesArchive(t, [...quality, ...owners.map((o) => o.id)], l.customer_id);
        await notify(t, to, {
          kind: 'sr.check_due',
          title: overdue
            ? `${l.archive_code} ${l.name} 的顾客特殊要求清单年度核查已超期（应于 ${l.next_check_on}）`
            : `${l.archive_code} ${l.name} 的顾客特殊要求清单应于 ${l.next_check_on} 前完成年度核查`,
          link: `/customers/${l.customer_id}?tab=special-requirements`,
          secrecy: Number(l.secrecy),
          neutral: { title: '有一份顾客特殊要求清单需要年度核查', link: '/special-requirements' },
        });
        await t.db
          .updateTable('sr_lists')
          .set({ check_reminded_at: nowIso(t) })
          .where('customer_id', '=', l.customer_id)
          .execute();
        count++;
      });
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) break;
    after = last.customer_id;
  }
  return count;
}
