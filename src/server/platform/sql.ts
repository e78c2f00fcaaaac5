import { sql } from 'kysely';

// Small SQL helpers that behave the same on SQLite and PostgreSQL.

/** `%text%` for LIKE, with the wildcards inside the text escaped (backslash escapes on both databases). */
export function likePattern(text: string) {
  return sql<string>`${`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`;
}
