// Kedang shows every instant in company time (Asia/Shanghai), whatever the browser's zone.
export const COMPANY_TIME_ZONE = 'Asia/Shanghai';

const dateTimeFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: COMPANY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(date: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of dateTimeFormat.formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** `2026-11-23 20:04:30` in Asia/Shanghai; empty text for a missing value. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const p = parts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** Today's calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export function todayInShanghai(now: Date = new Date()): string {
  const p = parts(now);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The hour of day in Asia/Shanghai (0–23). */
export function hourInShanghai(now: Date = new Date()): number {
  return Number(parts(now).hour);
}

const WEEKDAYS = {
  zh: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
} as const;

/** Weekday of a calendar date `YYYY-MM-DD` (0 = Sunday). */
export function weekdayOf(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

export function weekdayName(isoDate: string, lang: 'zh' | 'en'): string {
  return WEEKDAYS[lang][weekdayOf(isoDate)] ?? '';
}

/** Whether an instant lies in the future (for lockouts and expiries). */
export function isFuture(value: string | null | undefined, now: Date = new Date()): boolean {
  return !!value && Date.parse(value) > now.getTime();
}
