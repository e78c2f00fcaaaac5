import type { CaseListFilter } from '../../../common/schemas/case-stats';

/** The case list filtered as a statistics number says: `/cases?kind=complaint&month=2026-05…`. */
export function caseListPath(query: CaseListFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const s = params.toString();
  return s ? `/cases?${s}` : '/cases';
}
