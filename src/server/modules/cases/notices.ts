import { CLOCK_LABELS, type Clock, ESCALATED_SEVERITIES, type Severity } from '../../../common/cases.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { caseSecrecy } from '../../platform/policy/records.js';
import { loadCaseSettings } from './config.js';
import { recordEvent } from './service.js';

// The daily look at the clocks (R-Q3, R-Q4, R-W2): on the day a clock is due its handler (or,
// before assignment, whoever triages) is told; once it is breached the handler and the managers
// of the handling department are told, and a breached 严重/重大 complaint goes to the deputy
// general manager. Each notice is sent once per clock; notifications are mailed like every other.
// A notice names the case only to recipients cleared for it (platform/notify).

const BATCH = 500;

interface OpenClock {
  case_id: string;
  clock: string;
  due_date: string;
  due_at: string;
  number: string;
  kind: string;
  severity: string;
  status: string;
  handler_id: string | null;
  handling_department_id: string | null;
  department_id: string;
  responsible_user_id: string | null;
  customer_name: string;
  secrecy: number;
}

async function managersOf(ctx: Ctx, departmentId: string | null): Promise<string[]> {
  if (!departmentId) return [];
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

/** Who is told about a clock: the handler, or before assignment the receiving department's
 * managers and quality; never the person the complaint is about. */
async function ownersOf(ctx: Ctx, c: OpenClock): Promise<string[]> {
  const people = c.handler_id
    ? [c.handler_id]
    : [...(await managersOf(ctx, c.department_id)), ...(await activeUsersWithRoles(ctx.db, ['quality']))];
  return people.filter((p) => p !== c.responsible_user_id);
}

function openClocks(ctx: Ctx, which: 'due_today' | 'breached', after: [string, string] | null) {
  const today = todayInShanghai(ctx.now());
  let q = ctx.db
    .selectFrom('case_clocks as kc')
    .innerJoin('cases as k', 'k.id', 'kc.case_id')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .select([
      'kc.case_id',
      'kc.clock',
      'kc.due_date',
      'kc.due_at',
      'k.number',
      'k.kind',
      'k.severity',
      'k.status',
      'k.handler_id',
      'k.handling_department_id',
      'k.department_id',
      'k.responsible_user_id',
      'c.name as customer_name',
      caseSecrecy('k').as('secrecy'),
    ])
    .where('kc.met_at', 'is', null);
  q =
    which === 'due_today'
      ? q.where('kc.due_date', '=', today).where('kc.due_notified_at', 'is', null)
      : q.where('kc.due_at', '<', nowIso(ctx)).where('kc.breach_notified_at', 'is', null);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('kc.case_id', '>', after[0]),
        eb.and([eb('kc.case_id', '=', after[0]), eb('kc.clock', '>', after[1])]),
      ]),
    );
  return q.orderBy('kc.case_id').orderBy('kc.clock').limit(BATCH);
}

export async function caseDaily(
  ctx: Ctx,
): Promise<{ dueToday: number; breached: number; escalated: number }> {
  const settings = await loadCaseSettings(ctx.db);
  const deputies = await activeUsersWithRoles(ctx.db, ['deputy_general_manager']);
  const out = { dueToday: 0, breached: 0, escalated: 0 };
  for (const which of ['due_today', 'breached'] as const) {
    let after: [string, string] | null = null;
    for (;;) {
      const rows = (await openClocks(ctx, which, after).execute()) as OpenClock[];
      for (const c of rows) {
        const label = CLOCK_LABELS[c.clock as Clock]?.zh ?? c.clock;
        const what = `${c.number} ${c.customer_name}`;
        const secrecy = Number(c.secrecy);
        await tx(ctx, async (t) => {
          const link = `/cases/${c.case_id}`;
          if (which === 'due_today') {
            await notify(t, await ownersOf(t, c), {
              kind: 'case.due',
              title: `${what}：「${label}」今天到期`,
              link,
              secrecy,
            });
            await t.db
              .updateTable('case_clocks')
              .set({ due_notified_at: nowIso(t) })
              .where('case_id', '=', c.case_id)
              .where('clock', '=', c.clock)
              .execute();
            out.dueToday++;
            return;
          }
          const managers = await managersOf(t, c.handling_department_id ?? c.department_id);
          await notify(
            t,
            [...(await ownersOf(t, c)), ...managers].filter((p) => p !== c.responsible_user_id),
            {
              kind: 'case.breached',
              title: `${what}：「${label}」已超期（应于 ${c.due_date} 完成）`,
              link,
              secrecy,
            },
          );
          const escalate =
            settings.escalate &&
            c.kind === 'complaint' &&
            ESCALATED_SEVERITIES.includes(c.severity as Severity);
          if (escalate) {
            await notify(t, deputies, {
              kind: 'case.escalated',
              title: `超期上报：${what}（${c.severity === 'major' ? '重大' : '严重'}投诉）「${label}」已超期`,
              link,
              secrecy,
            });
            await recordEvent(t, c.case_id, 'escalated', `${label}超期，已上报副总经理`);
            await appendAudit(t, {
              action: 'case.escalate',
              targetType: 'case',
              targetId: c.case_id,
              targetLabel: c.number,
              secrecy,
              details: { clock: c.clock, dueDate: c.due_date, to: deputies },
            });
            out.escalated++;
          }
          await t.db
            .updateTable('case_clocks')
            .set({ breach_notified_at: nowIso(t), ...(escalate ? { escalated_at: nowIso(t) } : {}) })
            .where('case_id', '=', c.case_id)
            .where('clock', '=', c.clock)
            .execute();
          out.breached++;
        });
      }
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) break;
      after = [last.case_id, last.clock];
    }
  }
  return out;
}
