import { type Kysely, SqliteAdapter } from 'kysely';
import type { Dialect } from './index.js';

/** Which database a Kysely instance talks to; migrations need it for dialect-specific DDL. */
export function dialectOf(db: Kysely<unknown>): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
