import { secrecyFromRank } from '../../../common/enums.js';
import type { Document, SecrecyTermInput } from '../../../common/schemas/documents.js';
import { addYears, type SecrecyTermKind, secrecyMark, termText } from '../../../common/secrecy-term.js';
import type { DocumentTable } from '../../db/types.js';

// 保密期限 as stored (R-P1) and the mark that follows from it (R-P10). The columns hold the
// structured term; `secrecy_term` holds the text the mark writes (10年, 长期, 2030年12月31日), or
// the free text of an earlier release that migration 0035 could not read.

export type TermColumns = Pick<
  DocumentTable,
  'secrecy_term' | 'secrecy_term_kind' | 'secrecy_term_years' | 'secrecy_term_from' | 'secrecy_term_until'
>;

/** The columns of a term; a term in years starts on `from`, else on `defaultFrom`. */
export function termColumns(term: SecrecyTermInput | null, defaultFrom: string): TermColumns {
  if (!term)
    return {
      secrecy_term: null,
      secrecy_term_kind: null,
      secrecy_term_years: null,
      secrecy_term_from: null,
      secrecy_term_until: null,
    };
  if (term.kind === 'long')
    return {
      secrecy_term: termText({ kind: 'long', years: null, until: null }),
      secrecy_term_kind: 'long',
      secrecy_term_years: null,
      secrecy_term_from: null,
      secrecy_term_until: null,
    };
  if (term.kind === 'until')
    return {
      secrecy_term: termText({ kind: 'until', years: null, until: term.until }),
      secrecy_term_kind: 'until',
      secrecy_term_years: null,
      secrecy_term_from: null,
      secrecy_term_until: term.until,
    };
  const from = term.from ?? defaultFrom;
  return {
    secrecy_term: termText({ kind: 'years', years: term.years, until: null }),
    secrecy_term_kind: 'years',
    secrecy_term_years: term.years,
    secrecy_term_from: from,
    secrecy_term_until: addYears(from, term.years),
  };
}

type MarkRow = TermColumns & Pick<DocumentTable, 'secrecy'> & { effective_secrecy: number | string };

/** The mark a record carries at the level it is handled at (R-P9): 机密★10年, or null. */
export function markOf(row: Pick<MarkRow, 'secrecy_term' | 'effective_secrecy'>): string | null {
  return secrecyMark(secrecyFromRank(Number(row.effective_secrecy)), row.secrecy_term);
}

/** The document's term fields as the API shows them; `today` in Asia/Shanghai. */
export function termFields(
  row: MarkRow,
  today: string,
): Pick<Document, 'secrecyTerm' | 'secrecyTermDetail' | 'secrecyMark' | 'secrecyTermEnded'> {
  return {
    secrecyTerm: row.secrecy_term,
    secrecyTermDetail: row.secrecy_term_kind
      ? {
          kind: row.secrecy_term_kind as SecrecyTermKind,
          years: row.secrecy_term_years === null ? null : Number(row.secrecy_term_years),
          from: row.secrecy_term_from,
          until: row.secrecy_term_until,
        }
      : null,
    secrecyMark: markOf(row),
    secrecyTermEnded:
      Number(row.secrecy) > 0 && row.secrecy_term_until !== null && row.secrecy_term_until <= today,
  };
}
