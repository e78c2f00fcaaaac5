import type { SurveyPeriod } from '../../../common/surveys';

// Small rules of the survey forms, kept apart from the components so that they can be tested.

/** The default period label of a form's rhythm on a day (YYYY-MM-DD): 2026, 2026-Q4 or 2026-12. */
export function defaultPeriodLabel(period: SurveyPeriod, today: string): string {
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  if (period === 'quarterly') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  if (period === 'once') return today.slice(0, 7);
  return year;
}

/** The default name of a campaign: 2026 年度顾客满意度调查, 2026 年第 4 季度顾客意见征询. */
export function defaultCampaignName(
  template: { key: string; name: string } | undefined,
  periodLabel: string,
): string {
  const year = periodLabel.slice(0, 4);
  if (!template || template.key === 'satisfaction') return `${year} 年度顾客满意度调查`;
  const quarter = /-Q([1-4])$/.exec(periodLabel)?.[1];
  const base = template.name.replace(/表$/, '');
  return quarter ? `${year} 年第 ${quarter} 季度${base}` : `${periodLabel} ${base}`;
}

/**
 * The question a server field error is about: `answers.<key>` (as the API names them),
 * `answers.<n>.level` (the n-th answer sent) or a bare key; null for any other field.
 */
export function questionOf(
  field: string,
  sent: readonly { key: string }[],
  keys: ReadonlySet<string>,
): string | null {
  const parts = field.split('.');
  const [head, second] = parts;
  if (head === 'answers' && second !== undefined) {
    if (keys.has(second)) return second;
    const n = Number(second);
    const answer = Number.isInteger(n) ? sent[n] : undefined;
    if (answer && keys.has(answer.key)) return answer.key;
    return null;
  }
  if (head !== undefined && parts.length === 1 && keys.has(head)) return head;
  return null;
}
