import { todayInShanghai } from '../../../common/time.js';
import { VISIT_WAY_LABELS, type VisitWay } from '../../../common/visits.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { notify } from '../../platform/notify.js';

// The daily `visit_reminders` (R-V2, R-W2): on the day a visit is due its visitor is told once
// (a task due earlier and never told — made late, or the server was down — is told then). A task
// without a visitor goes to the managers of its archive's department. The text names the archive
// only to recipients cleared for it (platform/notify); mail follows through the outbox.

const BATCH = 500;

async function managersOf(ctx: Ctx, departmentId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .where('u.active', '=', 1)
    .where('r.role', '=', 'department_manager')
    .where('u.department_id', '=', departmentId)
    .execute();
  return rows.map((r) => r.id);
}

export async function visitDaily(ctx: Ctx): Promise<{ reminded: number }> {
  const today = todayInShanghai(ctx.now());
  let reminded = 0;
  let after = '';
  for (;;) {
    const rows = await ctx.db
      .selectFrom('visit_tasks as v')
      .innerJoin('customers as c', 'c.id', 'v.customer_id')
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'v.assignee_id').on('u.active', '=', 1))
      .select([
        'v.id',
        'v.customer_id',
        'v.due_date',
        'v.way',
        'u.id as assignee_id',
        'c.name',
        'c.archive_code',
        'c.secrecy',
        'c.department_id',
      ])
      .where('v.status', '=', 'open')
      .where('v.due_date', '<=', today)
      .where('v.reminded_at', 'is', null)
      .where('v.id', '>', after)
      .orderBy('v.id')
      .limit(BATCH)
      .execute();
    for (const v of rows)
      await tx(ctx, async (t) => {
        const to = v.assignee_id ? [v.assignee_id] : await managersOf(t, v.department_id);
        const way = VISIT_WAY_LABELS[v.way as VisitWay]?.zh ?? v.way;
        await notify(t, to, {
          kind: 'visit.due',
          title:
            v.due_date === today
              ? `今天请${way}回访 ${v.archive_code} ${v.name}`
              : `${v.archive_code} ${v.name} 的回访已超期（应于 ${v.due_date}）`,
          link: `/customers/${v.customer_id}?tab=visits`,
          secrecy: Number(v.secrecy),
          neutral: { title: '您有一项回访任务到期', link: '/visits' },
        });
        // Claimed once, even with nobody to tell (no visitor, no manager).
        await t.db
          .updateTable('visit_tasks')
          .set({ reminded_at: nowIso(t) })
          .where('id', '=', v.id)
          .where('reminded_at', 'is', null)
          .execute();
        reminded++;
      });
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) break;
    after = last.id;
  }
  return { reminded };
}
