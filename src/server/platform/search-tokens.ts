// The tokens of the full-text search (search.ts explains the scheme): what a record is indexed
// under and what a query must match.

/**
 * Goes up whenever what a record is indexed under changes (and when the customers' normalised
 * name changes): `kedang serve` then indexes every record again (search-refresh.ts).
 * 2: CJK bigrams across spaces and punctuation (「上海　宝钢」 found by 上海宝钢).
 */
export const TOKENS_VERSION = 2;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;
const MIN_SUFFIX = 2;
const MAX_CODE_LENGTH = 40;

export interface SearchField {
  text: string | null | undefined;
  /** Codes and numbers: also index every suffix so that partial codes match. */
  code?: boolean;
}

function runs(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(RUNS) ?? [];
}

// Imports index ten thousand records a second, so the indexing path avoids needless work:
// NFKC is skipped for printable ASCII (it changes nothing there), runs are found once per
// field, and characters are walked without building arrays.
const ASCII = /^[ -~]*$/;

function fold(text: string): string {
  return ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
}

/** Characters and bigrams of a CJK run; `previous` is the last character of the CJK run before
 * it in the same field, if only spaces or punctuation stood between them. Returns its own last. */
function cjkTokens(run: string, out: Set<string>, previous: string): string {
  for (const char of run) {
    if (previous) out.add(previous + char);
    out.add(char);
    previous = char;
  }
  return previous;
}

/** The tokens to index for a record, space-separated. */
export function indexTokens(fields: SearchField[]): string {
  const out = new Set<string>();
  for (const field of fields) {
    if (!field.text) continue;
    const found = fold(field.text).match(RUNS);
    if (!found) continue;
    let joined = '';
    // Chinese is written without spaces, so a space (U+3000 or any other), a zero-width
    // character or punctuation inside a name must not hide its words: 「上海　宝钢」 is also
    // indexed under 海宝 and found by 上海宝钢. A query's own spaces still separate its terms.
    let cjkTail = '';
    for (const run of found) {
      if (CJK.test(run)) {
        cjkTail = cjkTokens(run, out, cjkTail);
        continue;
      }
      cjkTail = '';
      out.add(run);
      if (!field.code) continue;
      joined += run;
      if (run.length <= MAX_CODE_LENGTH) {
        for (let i = 1; i <= run.length - MIN_SUFFIX; i++) out.add(run.slice(i));
      }
    }
    // A code written with separators (0755-12345678, Q/ABC 123) is also found when typed
    // without them.
    if (joined.length > 0 && joined.length <= MAX_CODE_LENGTH) out.add(joined);
  }
  return [...out].join(' ');
}

export interface QueryTerm {
  token: string;
  prefix: boolean;
}

/** What a search box query must match: every term (AND). Empty when nothing is searchable. */
export function queryTerms(query: string): QueryTerm[] {
  const terms = new Map<string, QueryTerm>();
  for (const run of runs(query)) {
    if (CJK.test(run)) {
      const chars = [...run];
      if (chars.length === 1) terms.set(run, { token: run, prefix: false });
      for (let i = 0; i + 1 < chars.length; i++) {
        const token = `${chars[i]}${chars[i + 1]}`;
        terms.set(token, { token, prefix: false });
      }
    } else {
      terms.set(run, { token: run, prefix: true });
    }
  }
  return [...terms.values()];
}

/**
 * Whether the fields would be found by the query, exactly as the index finds them (every term a
 * token, Latin and digit terms as prefixes). For checking a candidate against only some of the
 * fields it is indexed under — what a reader may be shown of a record they cannot open.
 */
export function matchesTerms(fields: SearchField[], terms: QueryTerm[]): boolean {
  const tokens = indexTokens(fields).split(' ');
  const exact = new Set(tokens);
  return terms.every((t) => (t.prefix ? tokens.some((x) => x.startsWith(t.token)) : exact.has(t.token)));
}
