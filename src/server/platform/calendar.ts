import { createRequire } from 'node:module';
import type { Ctx } from './context.js';
import { DomainError } from './errors.js';

// The company calendar (工作日): Monday–Friday, minus Chinese statutory holidays, plus the
// adjusted working weekends (调休) — both from the `chinese-days` package — with overrides
// entered by administrators on top (years the package does not know yet, company shutdowns).
// Dates are calendar days in Asia/Shanghai written `YYYY-MM-DD`.

const require = createRequire(import.meta.url);
const data = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const years = Object.keys(data.holidays).map((d) => Number(d.slice(0, 4)));
/** Years for which the package carries the State Council's holiday notice. */
export const STATUTORY_YEARS = { min: Math.min(...years), max: Math.max(...years) };
/** Dates outside this range are refused; they are almost always typing mistakes. It starts where
 * every date input starts (1900): an old customer's first contact in 1985 is a real date, and
 * years without a State Council notice count Monday to Friday. */
export const CALENDAR_RANGE = { min: 1900, max: 2100 };

export type DaySource = 'override' | 'statutory' | 'weekday';

export interface DayInfo {
  date: string;
  working: boolean;
  source: DaySource;
  /** Holiday name, e.g. 春节, for statutory holidays and adjusted working days. */
  holiday: string | null;
  note: string | null;
}

export interface Override {
  working: boolean;
  note: string | null;
}

const MS_DAY = 86_400_000;

function toUtc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return fromUtc(toUtc(date) + n * MS_DAY);
}

/** The first day of the month after `date`'s. */
function nextMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return fromUtc(Date.UTC(y, m, 1));
}

function holidayName(raw: string | undefined): string | null {
  // The package writes "Spring Festival,春节,4": English, Chinese, length.
  return raw?.split(',')[1] ?? null;
}

export class WorkCalendar {
  private readonly sums = new Map<string, string>();

  constructor(private readonly overrides: ReadonlyMap<string, Override> = new Map()) {}

  dayInfo(date: string): DayInfo {
    checkRange(date);
    const override = this.overrides.get(date);
    const holiday = holidayName(data.holidays[date] ?? data.workdays[date]);
    if (override)
      return { date, working: override.working, source: 'override', holiday, note: override.note };
    if (date in data.holidays) return { date, working: false, source: 'statutory', holiday, note: null };
    if (date in data.workdays) return { date, working: true, source: 'statutory', holiday, note: null };
    const dow = new Date(toUtc(date)).getUTCDay();
    return { date, working: dow !== 0 && dow !== 6, source: 'weekday', holiday: null, note: null };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).working;
  }

  /**
   * The n-th working day after `date` (before it when n < 0). `date` itself is not counted,
   * so a rule "within 5 working days of D" has its deadline at `addWorkingDays(D, 5)`.
   */
  addWorkingDays(date: string, n: number): string {
    // Imports ask the same question for thousands of rows.
    const key = `${date}+${n}`;
    const known = this.sums.get(key);
    if (known) return known;
    let d = date;
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; ) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    this.sums.set(key, d);
    return d;
  }

  /** Working days in (a, b]: 0 for the same day, negative when b is before a. */
  workingDaysBetween(a: string, b: string): number {
    if (b < a) return -this.workingDaysBetween(b, a);
    // Day by day to the end of a's month, whole months in between from a cache, then day by day
    // into b's month: an open clock due two years ago costs a few dozen steps, not 700 (lists
    // show the working days left of every clock on the page).
    let count = 0;
    let d = addDays(a, 1);
    for (; d <= b && d.slice(8) !== '01'; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    const lastMonth = b.slice(0, 7);
    while (d <= b && d.slice(0, 7) < lastMonth) {
      count += this.workingDaysInMonth(d.slice(0, 7));
      d = nextMonth(d);
    }
    for (; d <= b; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }

  private readonly months = new Map<string, number>();

  private workingDaysInMonth(month: string): number {
    let n = this.months.get(month);
    if (n === undefined) {
      n = 0;
      for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
      this.months.set(month, n);
    }
    return n;
  }
}

function checkRange(date: string): void {
  const year = Number(date.slice(0, 4));
  if (!(year >= CALENDAR_RANGE.min && year <= CALENDAR_RANGE.max)) {
    throw new DomainError('calendar_year_unsupported', 422, { year, ...CALENDAR_RANGE }, 'date');
  }
}

/** The overrides administrators entered (a small table), as WorkCalendar takes them. */
export async function loadOverrides(ctx: Pick<Ctx, 'db'>): Promise<[string, Override][]> {
  const rows = await ctx.db.selectFrom('calendar_overrides').select(['date', 'working', 'note']).execute();
  return rows.map((r) => [r.date, { working: r.working === 1, note: r.note }]);
}

/** The calendar with the current overrides from the database. */
export async function loadCalendar(ctx: Pick<Ctx, 'db'>): Promise<WorkCalendar> {
  return new WorkCalendar(new Map(await loadOverrides(ctx)));
}
