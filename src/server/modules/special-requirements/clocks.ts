import { SR_PROJECT_DAYS } from '../../../common/special-requirements.js';
import type { WorkCalendar } from '../../platform/calendar.js';

// The clocks of a customer special requirement on the company's working-day calendar
// (Asia/Shanghai dates). A requirement received after mass production must reach the project
// team within 1 working day (R-S5, 003 IATF 办法 4.1.2): received on 2026-09-30, it is due on
// 2026-10-08, the first working day after National Day. The customer's list is checked against
// the customer's current versions every 12 months (R-S5).

/** The day by which the project team must have a requirement received after mass production. */
export function projectDueOn(calendar: WorkCalendar, receivedOn: string): string {
  return calendar.addWorkingDays(receivedOn, SR_PROJECT_DAYS);
}

/** The requirement's project clock ran out: after mass production, not yet with the project
 * team, still live, and its due day is past. */
export function isProjectOverdue(
  row: {
    after_mass_production: number;
    project_informed_at: string | null;
    project_due_on: string | null;
    status: string;
  },
  today: string,
): boolean {
  return (
    row.after_mass_production === 1 &&
    !row.project_informed_at &&
    !!row.project_due_on &&
    row.status !== 'obsolete' &&
    row.status !== 'not_applicable' &&
    row.project_due_on < today
  );
}

/** The same calendar day `months` later (the last day of the month when it has fewer days). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

/** A new list's first yearly check (R-S5): `months` (the setting, 12 by default) from today. */
export function nextCheckOn(today: string, months: number): string {
  return addMonths(today, months);
}
