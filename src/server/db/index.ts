import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './types.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, for messages: a file path or a URL without the password. */
  location: string;
  close(): Promise<void>;
}

// PostgreSQL returns int8/numeric as strings; our bigints (sequence numbers, counters) fit
// in a double, and counts should be numbers on both databases.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string }): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // A dropped idle connection must not crash the server; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(opts.databaseUrl);
    url.password = '';
    return { db, dialect: 'postgres', location: url.toString(), close: () => db.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, 'kedang.db');
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // A million archives with their indexes outgrow SQLite's default 2 MB page cache.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  // After a large import has let the log grow (bulkWrites), the next checkpoint shrinks it back.
  sqlite.pragma('journal_size_limit = 67108864');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  sqliteHandles.set(db, sqlite);
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

const sqliteHandles = new WeakMap<Db, SqliteDatabase.Database>();

/** Checkpoint less often than SQLite's 1,000 pages: imports write many pages per transaction. */
const CHECKPOINT_PAGES = 10_000;
/** While bulkWrites runs: a write-ahead log of up to ≈ 400 MB. */
const BULK_CHECKPOINT_PAGES = 100_000;
const bulkWriters = new WeakMap<SqliteDatabase.Database, number>();

/**
 * Many transactions in a row that each touch thousands of pages (a large import). On SQLite
 * the write-ahead log is copied into the database ten times less often meanwhile: a page that
 * batch after batch writes again (an index leaf, the search index) is copied once per
 * checkpoint; a million-row import ran ≈ 10% faster (bench/README.md). Returns the
 * function that ends it; imports running side by side are counted. Nothing on PostgreSQL.
 */
export function bulkWrites(db: Db): () => void {
  const sqlite = sqliteHandles.get(db);
  if (!sqlite) return () => {};
  const running = bulkWriters.get(sqlite) ?? 0;
  if (running === 0) sqlite.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  bulkWriters.set(sqlite, running + 1);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    const left = (bulkWriters.get(sqlite) ?? 1) - 1;
    bulkWriters.set(sqlite, left);
    if (left === 0 && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  };
}

/**
 * The better-sqlite3 connection behind a Kysely instance opened here; undefined on PostgreSQL.
 * Only for bulk paths that measured Kysely's query building as their cost (the customer
 * import), and only inside a Kysely transaction on `db`, which holds the one connection.
 */
export function sqliteConnection(db: Db): SqliteDatabase.Database | undefined {
  return sqliteHandles.get(db);
}

const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours, so keep
 * the most recent statements (least recently used go first). A statement still iterating is
 * never handed out twice.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (stmt && !stmt.busy) {
        cache.delete(text);
      } else {
        stmt = sqlite.prepare(text);
      }
      cache.set(text, stmt);
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kedang_migration',
    migrationLockTableName: 'kedang_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
