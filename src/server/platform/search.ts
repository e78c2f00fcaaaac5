import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import type { Db, Dialect } from '../db/index.js';
import { type QueryTerm, queryTerms } from './search-tokens.js';

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
// clearance and department predicates in the same SQL. The tokens are made in search-tokens.ts,
// which needs nothing else, so that worker threads can make them too.

export {
  indexTokens,
  matchesTerms,
  type QueryTerm,
  queryTerms,
  type SearchField,
} from './search-tokens.js';

// Tokens contain only letters and digits (see RUNS in search-tokens.ts), so they need no escaping beyond quotes.
function ftsQuery(terms: QueryTerm[]): string {
  return terms.map((t) => `"${t.token}"${t.prefix ? '*' : ''}`).join(' AND ');
}

function tsQuery(terms: QueryTerm[]): string {
  return terms.map((t) => `'${t.token}'${t.prefix ? ':*' : ''}`).join(' & ');
}

export interface SearchIndexOptions {
  /**
   * SQLite: also index the first 1–3 characters of every token. A short prefix query (`q*` of
   * Q/ABC 123) then reads one list instead of merging every token it expands to, ~100× faster
   * at a million records for about 50% more indexing time.
   */
  prefixIndex?: boolean;
  /**
   * SQLite: keep only which records hold a token, not where (FTS5 `detail=none`). Queries
   * here are ANDs of single tokens and prefixes, which need no positions; the index is a third
   * smaller and cheaper to write.
   */
  withoutPositions?: boolean;
}

/** Creates the index tables; called from a migration. */
export async function createSearchIndex(
  db: Kysely<unknown>,
  dialect: Dialect,
  name: string,
  opts: SearchIndexOptions = {},
): Promise<void> {
  if (dialect === 'sqlite') {
    const prefix = opts.prefixIndex ? ", prefix='1 2 3'" : '';
    const detail = opts.withoutPositions ? ', detail=none' : '';
    await sql
      .raw(
        `create virtual table ${name}_fts using fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'${prefix}${detail})`,
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

/** The table that holds an index (FTS5 on SQLite: `rowid`, `tokens`), for bulk writers. */
export function searchTable(dialect: Dialect, name: string): string {
  return dialect === 'sqlite' ? `${name}_fts` : `${name}_search`;
}

export function searchIndex(dialect: Dialect, name: string): SearchIndex {
  const table = sql.table(searchTable(dialect, name));
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
