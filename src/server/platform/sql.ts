import { sql } from 'kysely';

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
