import { type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { cursorValue, decodeCursor, encodeCursor } from './http.js';

// Small SQL helpers that behave the same on SQLite and PostgreSQL.

/** `%text%` for LIKE, with the wildcards inside the text escaped (backslash escapes on both databases). */
export function likePattern(text: string) {
  return sql<string>`${`%${escapeLike(text)}%`} escape '\\'`;
}

/** LIKE pattern for values starting with `text`. */
export function prefixPattern(text: string) {
  return sql<string>`${`${escapeLike(text)}%`} escape '\\'`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The text value of `key` in a JSON object column, on either database. */
export function jsonText(dialect: 'sqlite' | 'postgres', column: string, key: string) {
  return dialect === 'sqlite'
    ? sql<string | null>`json_extract(${sql.ref(column)}, ${`$."${key.replace(/"/g, '')}"`})`
    : sql<string | null>`(${sql.ref(column)}::jsonb ->> ${key})`;
}

/**
 * One keyset page of a query, newest first by (`column`, id): the rows, and the cursor of the
 * next page (null on the last). The query selects `column` and `id` among its columns.
 */
export async function newestFirst<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string & keyof O,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ rows: O[]; nextCursor: string | null }> {
  const after = decodeCursor(page.cursor, cursorValue.text, cursorValue.text);
  const ref = sql.ref(column);
  const rows = await (after
    ? query.where(
        sql<SqlBool>`(${ref} < ${after[0]} or (${ref} = ${after[0]} and ${sql.ref('id')} < ${after[1]}))`,
      )
    : query
  )
    .orderBy(ref, 'desc')
    .orderBy(sql.ref('id'), 'desc')
    .limit(page.limit + 1)
    .execute();
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return {
    rows: rows.slice(0, page.limit),
    nextCursor: last ? encodeCursor([String(last[column]), last.id]) : null,
  };
}
