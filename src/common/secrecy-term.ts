import { SECRECY_LABELS, type SecrecyLevel } from './enums.js';

// 保密期限 and the secrecy mark (R-P1, R-P10). A term is a number of years from a start date,
// an end date (解密时间), or 长期. The mark is written as the standard has it — 密级★保密期限
// (机密★10年), 密级★解密时间 (机密★2030年12月31日), 密级★长期 — and a classified record without a
// term reads 机密★ (the basic term of its level applies). Digits are Arabic (GB/T 9704).

export const SECRECY_TERM_KINDS = ['years', 'until', 'long'] as const;
export type SecrecyTermKind = (typeof SECRECY_TERM_KINDS)[number];

export interface SecrecyTerm {
  kind: SecrecyTermKind;
  /** years: how many. */
  years: number | null;
  /** years: the day the term starts. */
  from: string | null;
  /** The day the term ends (years: from + years; until: as given); null for 长期. */
  until: string | null;
}

function validDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `date` plus `n` calendar years; 29 February becomes 28 February in a common year. */
export function addYears(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return validDate(y + n, m, d) ?? validDate(y + n, m, d - 1) ?? date;
}

const CN_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

function yearsOf(text: string): number | null {
  if (/^\d{1,3}$/.test(text)) return Number(text);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return null;
  if (!m[2]) return m[1] && !m[3] ? (CN_DIGITS[m[1]] ?? null) : null;
  return (m[1] ? (CN_DIGITS[m[1]] ?? 0) : 1) * 10 + (m[3] ? (CN_DIGITS[m[3]] ?? 0) : 0);
}

export type ParsedTerm =
  | { kind: 'long' }
  | { kind: 'years'; years: number }
  | { kind: 'until'; until: string };

/** A term as people write it: 10年, 十年, 长期, 2030-12-31, 2030年12月31日 (a mark's 机密★ is
 * skipped); null when it is none of these. */
export function parseSecrecyTerm(raw: string): ParsedTerm | null {
  const text = raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^(?:保密期限|期限)[:：]?/, '')
    .replace(/^[^★]*★/, '');
  if (/^(?:长期|永久)$/.test(text)) return { kind: 'long' };
  const y = /^(.+?)年$/.exec(text);
  if (y?.[1]) {
    const n = yearsOf(y[1]);
    if (n !== null && n >= 1 && n <= 99) return { kind: 'years', years: n };
  }
  const d = /^(\d{4})(?:[-./]|年)(\d{1,2})(?:[-./]|月)(\d{1,2})日?$/.exec(text);
  if (d) {
    const until = validDate(Number(d[1]), Number(d[2]), Number(d[3]));
    if (until) return { kind: 'until', until };
  }
  return null;
}

/** The term as the mark writes it: 10年, 长期, 2030年12月31日. */
export function termText(term: Pick<SecrecyTerm, 'kind' | 'years' | 'until'>): string {
  if (term.kind === 'long') return '长期';
  if (term.kind === 'years') return `${term.years}年`;
  const [y, m, d] = (term.until ?? '').split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The term in English, for English pages. */
export function termTextEn(term: Pick<SecrecyTerm, 'kind' | 'years' | 'until'>): string {
  if (term.kind === 'long') return 'indefinite';
  if (term.kind === 'years') return `${term.years} year${term.years === 1 ? '' : 's'}`;
  return `until ${term.until}`;
}

/**
 * The secrecy mark of a record (R-P10): 机密★10年; 机密★ when no term is recorded; the text as
 * written when an earlier release's free text could not be read; null for 普通.
 */
export function secrecyMark(level: SecrecyLevel, term: string | null): string | null {
  if (level === 'normal') return null;
  return `${SECRECY_LABELS[level].zh}★${term ?? ''}`;
}
