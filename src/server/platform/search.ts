import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import type { Db, Dialect } from '../db/index.js';

// One full-text search for SQLite (FTS5) and PostgreSQL (tsvector + GIN) that behaves the
// same on both, because the tokens are made here rather than by either database:
//
// - Chinese (and other CJK) runs are indexed as single characters and overlapping bigrams, so
//   any substring of two or more characters matches (合同 in 合同评审记录, 华为 in 深圳市华为技术),
//   which word segmentation cannot promise for company names it does not know.
// - Latin letters and digits form words (lower-cased, full-width folded to half-width). In
//   `code` fields (archive codes, credit codes, phone numbers) every suffix of a word is indexed
//   too, so a prefix query finds any part of a code: 0005 finds GY20260005.
// - A query's words all have to match (AND); Latin/digit words match as prefixes.
//
// An index is a separate table keyed by an integer the owning table carries (`search_key`),
// so modules filter with `where('x.search_key', 'in', matchKeys(...))` and keep their own
// clearance and department predicates in the same SQL.

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

function cjkTokens(run: string, out: Set<string>): void {
  const chars = [...run];
  for (let i = 0; i < chars.length; i++) {
    out.add(chars[i] as string);
    if (i + 1 < chars.length) out.add(`${chars[i]}${chars[i + 1]}`);
  }
}

/** The tokens to index for a record, space-separated. */
export function indexTokens(fields: SearchField[]): string {
  const out = new Set<string>();
  for (const field of fields) {
    if (!field.text) continue;
    for (const run of runs(field.text)) {
      if (CJK.test(run)) {
        cjkTokens(run, out);
        continue;
      }
      out.add(run);
      if (field.code && run.length <= MAX_CODE_LENGTH) {
        for (let i = 1; i <= run.length - MIN_SUFFIX; i++) out.add(run.slice(i));
      }
    }
    // A code written with separators (0755-12345678, Q/ABC 123) is also found when typed
    // without them.
    if (field.code) {
      const joined = runs(field.text)
        .filter((r) => !CJK.test(r))
        .join('');
      if (joined.length > 0 && joined.length <= MAX_CODE_LENGTH) out.add(joined);
    }
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

// Tokens contain only letters and digits (see RUNS), so they need no escaping beyond quotes.
function ftsQuery(terms: QueryTerm[]): string {
  return terms.map((t) => `"${t.token}"${t.prefix ? '*' : ''}`).join(' AND ');
}

function tsQuery(terms: QueryTerm[]): string {
  return terms.map((t) => `'${t.token}'${t.prefix ? ':*' : ''}`).join(' & ');
}

/**
 * Creates the index tables; called from a migration. `prefixIndex` (SQLite) also indexes the
 * first 1–3 characters of every token: a short prefix query (`q*` of Q/ABC 123) then reads one
 * list instead of merging every token it expands to, ~100× faster at a million records for
 * about 50% more indexing time.
 */
export async function createSearchIndex(
  db: Kysely<unknown>,
  dialect: Dialect,
  name: string,
  opts: { prefixIndex?: boolean } = {},
): Promise<void> {
  if (dialect === 'sqlite') {
    const prefix = opts.prefixIndex ? ", prefix='1 2 3'" : '';
    await sql
      .raw(
        `create virtual table ${name}_fts using fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'${prefix})`,
      )
      .execute(db);
  } else {
    await sql
      .raw(`create table ${name}_search (key bigint primary key, tokens tsvector not null)`)
      .execute(db);
    await sql.raw(`create index ${name}_search_gin on ${name}_search using gin (tokens)`).execute(db);
  }
}

export interface SearchIndex {
  /** (Re)indexes one record. */
  put(db: Db, key: number, tokens: string): Promise<void>;
  /** Indexes new records in one statement (bulk imports); the keys must not be indexed yet. */
  insertMany(db: Db, entries: { key: number; tokens: string }[]): Promise<void>;
  remove(db: Db, key: number): Promise<void>;
  /** SQL subquery yielding the keys that match the query; null when the query has no terms. */
  matchKeys(query: string): Expression<number> | null;
}

export function searchIndex(dialect: Dialect, name: string): SearchIndex {
  const table = sql.table(dialect === 'sqlite' ? `${name}_fts` : `${name}_search`);
  if (dialect === 'sqlite') {
    return {
      put: async (db, key, tokens) => {
        await sql`delete from ${table} where rowid = ${key}`.execute(db);
        await sql`insert into ${table} (rowid, tokens) values (${key}, ${tokens})`.execute(db);
      },
      insertMany: async (db, entries) => {
        if (entries.length === 0) return;
        const rows = sql.join(entries.map((e) => sql`(${e.key}, ${e.tokens})`));
        await sql`insert into ${table} (rowid, tokens) values ${rows}`.execute(db);
      },
      remove: async (db, key) => {
        await sql`delete from ${table} where rowid = ${key}`.execute(db);
      },
      matchKeys: (query) => {
        const terms = queryTerms(query);
        if (terms.length === 0) return null;
        return sql<number>`(select rowid from ${table} where ${table} match ${ftsQuery(terms)})` as RawBuilder<number>;
      },
    };
  }
  return {
    put: async (db, key, tokens) => {
      // array_to_tsvector keeps our tokens exactly, without PostgreSQL's own parser.
      await sql`insert into ${table} (key, tokens) values (${key}, array_to_tsvector(string_to_array(${tokens}, ' ')))
        on conflict (key) do update set tokens = excluded.tokens`.execute(db);
    },
    insertMany: async (db, entries) => {
      if (entries.length === 0) return;
      const rows = sql.join(
        entries.map((e) => sql`(${e.key}, array_to_tsvector(string_to_array(${e.tokens}, ' ')))`),
      );
      await sql`insert into ${table} (key, tokens) values ${rows}`.execute(db);
    },
    remove: async (db, key) => {
      await sql`delete from ${table} where key = ${key}`.execute(db);
    },
    matchKeys: (query) => {
      const terms = queryTerms(query);
      if (terms.length === 0) return null;
      // OFFSET 0 keeps the planner from flattening the subquery: it underestimates how many
      // rows a prefix query matches and would otherwise walk the whole table in key order.
      return sql<number>`(select key from ${table} where tokens @@ ${tsQuery(terms)}::tsquery offset 0)` as RawBuilder<number>;
    },
  };
}
