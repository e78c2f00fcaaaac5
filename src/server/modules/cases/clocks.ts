import { CLOCKS, type Clock, type ClockDays } from '../../../common/cases.js';
import type { CaseClock } from '../../../common/schemas/cases.js';
import { todayInShanghai } from '../../../common/time.js';
import type { CaseClockTable } from '../../db/types.js';
import type { WorkCalendar } from '../../platform/calendar.js';
import type { TxCtx } from '../../platform/context.js';

// The clocks of a case (R-Q3) on the company's working-day calendar in Asia/Shanghai. A clock of
// N working days started on day D is due on the N-th working day after D, by the time the
// working day ends (settings: 18:00): a complaint received on 2026-09-30 at 16:00 must be
// investigated by 10-08 18:00 and answered by 10-09 18:00 (National Day 10-01 … 10-07).

const HOUR = 3_600_000;

/** The instant of `HH:MM` on a Shanghai calendar day (UTC+8 all year, no daylight saving). */
export function shanghaiInstant(date: string, time: string): string {
  return new Date(`${date}T${time}:00+08:00`).toISOString();
}

export function dueOf(
  calendar: WorkCalendar,
  start: string,
  days: number,
  dayEnds: string,
): { dueDate: string; dueAt: string } {
  const dueDate = calendar.addWorkingDays(todayInShanghai(new Date(start)), days);
  return { dueDate, dueAt: shanghaiInstant(dueDate, dayEnds) };
}

/** The clocks that start when a case is received. */
export function receiptClocks(
  calendar: WorkCalendar,
  caseId: string,
  receivedAt: string,
  rule: ClockDays,
  dayEnds: string,
): CaseClockTable[] {
  return (['investigate', 'reply', 'resolve'] as const).map((clock) => ({
    case_id: caseId,
    clock,
    ...snake(dueOf(calendar, receivedAt, rule[clock], dayEnds)),
    met_at: null,
    met_days: null,
    met_hours: null,
    on_time: null,
    due_notified_at: null,
    breach_notified_at: null,
    escalated_at: null,
  }));
}

const snake = (d: { dueDate: string; dueAt: string }) => ({ due_date: d.dueDate, due_at: d.dueAt });

/** Stops a clock (once: the first time it is met counts). `from` is when it started. */
export async function meetClock(
  t: TxCtx,
  calendar: WorkCalendar,
  caseId: string,
  clock: Clock,
  from: string,
  at: string,
): Promise<void> {
  const row = await t.db
    .selectFrom('case_clocks')
    .select(['due_at', 'met_at'])
    .where('case_id', '=', caseId)
    .where('clock', '=', clock)
    .executeTakeFirst();
  if (!row || row.met_at) return;
  await t.db
    .updateTable('case_clocks')
    .set({
      met_at: at,
      met_days: calendar.workingDaysBetween(todayInShanghai(new Date(from)), todayInShanghai(new Date(at))),
      met_hours: Math.round(((Date.parse(at) - Date.parse(from)) / HOUR) * 100) / 100,
      on_time: Date.parse(at) <= Date.parse(row.due_at) ? 1 : 0,
    })
    .where('case_id', '=', caseId)
    .where('clock', '=', clock)
    .execute();
}

/** What a person sees of a clock now: met on time or late, open, or breached, and time left. */
export function clockView(calendar: WorkCalendar, row: CaseClockTable, now: Date): CaseClock {
  const due = Date.parse(row.due_at);
  const base = { clock: row.clock as Clock, dueDate: row.due_date, dueAt: row.due_at, metAt: row.met_at };
  if (row.met_at)
    return {
      ...base,
      state: Date.parse(row.met_at) <= due ? 'met' : 'late',
      workingDaysLeft: null,
      hoursLeft: null,
    };
  const today = todayInShanghai(now);
  const breached = now.getTime() > due;
  const workingDaysLeft = calendar.workingDaysBetween(today, row.due_date);
  return {
    ...base,
    state: breached ? 'breached' : 'open',
    // After the due time on the due day this is 0: 已超期, not yet a whole working day.
    workingDaysLeft,
    hoursLeft:
      !breached && row.due_date === today ? Math.round(((due - now.getTime()) / HOUR) * 10) / 10 : null,
  };
}

export const clockOrder = (a: { clock: string }, b: { clock: string }) =>
  CLOCKS.indexOf(a.clock as Clock) - CLOCKS.indexOf(b.clock as Clock);
