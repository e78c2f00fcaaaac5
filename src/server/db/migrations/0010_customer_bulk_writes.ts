import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Customer import speed at a million archives (issue 3, bench/README.md).
//
// Archives sorted by name walk one index on the normalised name (name_norm, search_key), which
// the duplicate check by normalised name also uses, instead of two indexes on nearly the same
// text; the search key is the archive's smallest unique column.
// Every batch an import writes touches a page of each index whose keys fall in random order;
// at a million archives the index on the name alone was a third of the bytes an import wrote.
//
// SQLite: the customer search index gathers up to 16 MB of new tokens before it writes them
// out (FTS5 hashsize; default 1 MB), so an import batch becomes one index segment, not several;
// and it merges 16 segments of a level at a time, not 4 (automerge), so each token is written
// again fewer times as the index grows. At a million archives searches measured as fast.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('customers_name_idx').execute();
  await db.schema.dropIndex('customers_name_norm_idx').execute();
  await db.schema
    .createIndex('customers_name_norm_idx')
    .on('customers')
    .columns(['name_norm', 'search_key'])
    .execute();
  if (dialectOf(db) === 'sqlite') {
    await sql`insert into customers_fts (customers_fts, rank) values ('hashsize', 16777216)`.execute(db);
    await sql`insert into customers_fts (customers_fts, rank) values ('automerge', 16)`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
