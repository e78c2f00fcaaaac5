import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { type Db, sqliteConnection } from '../../db/index.js';
import type { Database } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type TxCtx, tx } from '../../platform/context.js';
import { codeFormatter, counterKey, reserveSequence } from '../../platform/numbering.js';
import { indexTokens, searchTable } from '../../platform/search.js';
import { CONTACT_INSERT, CUSTOMER_INSERT, HISTORY_INSERT, type NewArchive, SLOT } from './import-rows.js';
import { customerIndex, type Reader } from './service.js';

// Writing the archives a batch of import rows creates, in one transaction: archive codes and
// search keys reserved in blocks, the archive rows, owners, contacts, history, search tokens
// and one audit entry listing the codes. The rows come from import-rows.ts ready to insert.
//
// On SQLite the inserts are prepared better-sqlite3 statements of many rows each, run on the
// connection Kysely's transaction holds: building and compiling the same inserts through Kysely
// added a fifth to the time SQLite took to write them (a profile of the import before). PostgreSQL
// gets multi-row inserts through Kysely.

export interface ArchiveBatch {
  pattern: string;
  today: string;
  jobId: string;
  archives: NewArchive[];
}

/** Rows per insert statement: fewer statements, and well under SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 50;

export async function createArchives(r: Reader, batch: ArchiveBatch): Promise<void> {
  const sqlite = sqliteConnection(r.ctx.db);
  await tx(r.ctx, async (t: TxCtx) => {
    const now = t.now().toISOString();
    const { archives } = batch;
    // One block of numbers per counter (type and year), so codes stay gapless per counter.
    const byCounter = new Map<string, { prefix: string; rows: number[] }>();
    archives.forEach((a, i) => {
      const key = counterKey('customer', batch.pattern, { values: { type: a.prefix }, date: batch.today });
      const group = byCounter.get(key) ?? { prefix: a.prefix, rows: [] };
      group.rows.push(i);
      byCounter.set(key, group);
    });
    const codes: string[] = new Array(archives.length);
    for (const [key, group] of byCounter) {
      const first = await reserveSequence(t, key, group.rows.length);
      const format = codeFormatter(batch.pattern, { values: { type: group.prefix }, date: batch.today });
      group.rows.forEach((row, n) => {
        codes[row] = format(first + n);
      });
    }
    const firstKey = await reserveSequence(t, 'customer_search_key', archives.length);
    const customers: unknown[][] = [];
    const owners: unknown[][] = [];
    const contacts: unknown[][] = [];
    const history: unknown[][] = [];
    const search: unknown[][] = [];
    let secrecy = 0;
    archives.forEach((a, i) => {
      const code = codes[i] as string;
      const key = firstKey + i;
      const row = a.customer;
      const id = row[0] as string;
      row[SLOT.searchKey] = key;
      row[SLOT.archiveCode] = code;
      row[SLOT.createdAt] = now;
      row[SLOT.updatedAt] = now;
      customers.push(row);
      secrecy = Math.max(secrecy, row[CUSTOMER_INSERT.indexOf('secrecy')] as number);
      for (const userId of a.ownerIds) owners.push([id, userId, now]);
      for (const c of a.contacts) {
        c[SLOT.contactCreatedAt] = now;
        c[SLOT.contactUpdatedAt] = now;
        contacts.push(c);
      }
      a.history[SLOT.historyAt] = now;
      a.history[SLOT.historyValue] = `{"archiveCode":${JSON.stringify(code)},${a.history[SLOT.historyValue]}`;
      history.push(a.history);
      // The archive code's tokens are put in front; a token both parts have is harmless twice.
      const codeTokens = indexTokens([{ text: code, code: true }]);
      search.push([key, a.tokens ? `${codeTokens} ${a.tokens}` : codeTokens]);
    });
    if (sqlite) {
      insertRows(sqlite, 'customers', CUSTOMER_INSERT, customers);
      insertRows(sqlite, 'customer_owners', OWNER_INSERT, owners);
      insertRows(sqlite, 'contacts', CONTACT_INSERT, contacts);
      insertRows(sqlite, 'customer_history', HISTORY_INSERT, history);
      insertRows(sqlite, searchTable('sqlite', 'customers'), ['rowid', 'tokens'], search);
    } else {
      await insertObjects(t.db, 'customers', CUSTOMER_INSERT, customers);
      await insertObjects(t.db, 'customer_owners', OWNER_INSERT, owners);
      await insertObjects(t.db, 'contacts', CONTACT_INSERT, contacts);
      await insertObjects(t.db, 'customer_history', HISTORY_INSERT, history);
      const index = customerIndex(t.db);
      for (let i = 0; i < search.length; i += PG_ROWS_PER_STATEMENT) {
        const entries = search
          .slice(i, i + PG_ROWS_PER_STATEMENT)
          .map(([key, tokens]) => ({ key: key as number, tokens: tokens as string }));
        await index.insertMany(t.db, entries);
      }
    }
    await appendAudit(t, {
      action: 'customer.import_batch',
      targetType: 'customer',
      secrecy,
      details: { jobId: batch.jobId, created: codes },
    });
  });
}

const OWNER_INSERT = ['customer_id', 'user_id', 'assigned_at'] as const;

const statements = new WeakMap<SqliteDatabase.Database, Map<string, SqliteDatabase.Statement>>();

function prepared(db: SqliteDatabase.Database, text: string): SqliteDatabase.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(text);
  if (!stmt) {
    stmt = db.prepare(text);
    cache.set(text, stmt);
  }
  return stmt;
}

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `insert into ${table} (${columns.join(',')}) values ${Array(rows).fill(one).join(',')}`;
}

/** Full statements of ROWS_PER_STATEMENT rows, then the rest one row at a time, so that only
 * two statements per table are ever prepared. */
function insertRows(
  db: SqliteDatabase.Database,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
): void {
  const width = columns.length;
  const many = prepared(db, insertSql(table, columns, ROWS_PER_STATEMENT));
  const params: unknown[] = new Array(width * ROWS_PER_STATEMENT);
  let i = 0;
  for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
    let k = 0;
    for (let j = i; j < i + ROWS_PER_STATEMENT; j++) for (const v of rows[j] as unknown[]) params[k++] = v;
    many.run(params);
  }
  if (i < rows.length) {
    const one = prepared(db, insertSql(table, columns, 1));
    for (; i < rows.length; i++) one.run(rows[i] as unknown[]);
  }
}

/** PostgreSQL allows 65,535 parameters a statement; the archive row has 34 columns. */
const PG_ROWS_PER_STATEMENT = 1000;

async function insertObjects(
  db: Db | Kysely<Database>,
  table: 'customers' | 'customer_owners' | 'contacts' | 'customer_history',
  columns: readonly string[],
  rows: unknown[][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
    const values = rows
      .slice(i, i + PG_ROWS_PER_STATEMENT)
      .map((row) => Object.fromEntries(columns.map((c, j) => [c, row[j]])));
    await db
      .insertInto(table)
      .values(values as never)
      .execute();
  }
}
