import type { CalendarOverride, DayInfo } from '../../../common/schemas/platform.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { addDays, loadCalendar, STATUTORY_YEARS } from '../../platform/calendar.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';

const MAX_RANGE_DAYS = 400;

export async function workingDays(
  ctx: Ctx,
  q: { from: string; add?: number | undefined; to?: string | undefined },
) {
  authorize(ctx, 'calendar.read');
  const cal = await loadCalendar(ctx);
  if (q.add !== undefined) return { date: cal.addWorkingDays(q.from, q.add) };
  return { count: cal.workingDaysBetween(q.from, q.to as string) };
}

export async function days(
  ctx: Ctx,
  from: string,
  to: string,
): Promise<{ days: DayInfo[]; statutoryYears: typeof STATUTORY_YEARS }> {
  authorize(ctx, 'calendar.read');
  if (to < from || Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000) {
    throw new DomainError('calendar_range_too_large', 422, { max: MAX_RANGE_DAYS }, 'to');
  }
  const cal = await loadCalendar(ctx);
  const out: DayInfo[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(cal.dayInfo(d));
  return { days: out, statutoryYears: STATUTORY_YEARS };
}

export async function listOverrides(ctx: Ctx): Promise<CalendarOverride[]> {
  authorize(ctx, 'calendar.read');
  const rows = await ctx.db
    .selectFrom('calendar_overrides as o')
    .leftJoin('users as u', 'u.id', 'o.updated_by')
    .select(['o.date', 'o.working', 'o.note', 'o.updated_at', 'u.name as updated_by_name'])
    .orderBy('o.date')
    .execute();
  return rows.map((r) => ({
    date: r.date,
    working: r.working === 1,
    note: r.note,
    updatedBy: r.updated_by_name,
    updatedAt: r.updated_at,
  }));
}

export async function setOverride(ctx: Ctx, date: string, input: { working: boolean; note: string | null }) {
  authorize(ctx, 'calendar.manage', { type: 'calendar_day', id: date });
  const actorId = ctx.actor.id;
  await tx(ctx, async (t) => {
    (await loadCalendar(t)).dayInfo(date); // refuses dates outside the supported range
    const row = {
      working: input.working ? 1 : 0,
      note: input.note,
      updated_by: actorId,
      updated_at: nowIso(t),
    };
    await t.db
      .insertInto('calendar_overrides')
      .values({ date, ...row })
      .onConflict((oc) => oc.column('date').doUpdateSet(row))
      .execute();
    await appendAudit(t, {
      action: 'calendar.override_set',
      targetType: 'calendar_day',
      targetId: date,
      targetLabel: date,
      details: { working: input.working, note: input.note },
    });
  });
  return (await listOverrides(ctx)).find((o) => o.date === date) as CalendarOverride;
}

export async function deleteOverride(ctx: Ctx, date: string): Promise<void> {
  authorize(ctx, 'calendar.manage', { type: 'calendar_day', id: date });
  await tx(ctx, async (t) => {
    const res = await t.db.deleteFrom('calendar_overrides').where('date', '=', date).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound();
    await appendAudit(t, {
      action: 'calendar.override_delete',
      targetType: 'calendar_day',
      targetId: date,
      targetLabel: date,
    });
  });
}
