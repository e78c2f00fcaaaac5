import { type Kysely, sql } from 'kysely';
import { tokensFor } from '../../modules/customers/repo.js';
import { createSearchIndex, searchIndex } from '../../platform/search.js';
import { dialectOf } from '../dialect.js';
import type { Database } from '../types.js';

// Customer import speed (issue 3). On SQLite the customer search index is rebuilt without
// token positions: searches are ANDs of tokens and prefixes and never needed them, and writing
// the index was the largest part of an import (at a million archives 11% less work and 30%
// less space, bench/README.md). The index is filled again from the archives, as reindex()
// would. PostgreSQL's index is unchanged.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table customers_fts`.execute(db);
  await createSearchIndex(db, 'sqlite', 'customers', { withoutPositions: true });
  const d = db as Kysely<Database>;
  const index = searchIndex('sqlite', 'customers');
  for (let after = -1; ; ) {
    const rows = await d
      .selectFrom('customers')
      .select(['id', 'search_key', 'archive_code', 'credit_code', 'name', 'phone', 'custom_fields'])
      .where('search_key', '>', after)
      // Merged archives are pointers to the archive they went into and are not searchable.
      .where('status', '!=', 'merged')
      .orderBy('search_key')
      .limit(1000)
      .execute();
    const last = rows.at(-1);
    if (!last) break;
    const contacts = await d
      .selectFrom('contacts')
      .select(['customer_id', 'name', 'phone', 'mobile', 'email'])
      .where(
        'customer_id',
        'in',
        rows.map((r) => r.id),
      )
      .where('active', '=', 1)
      .execute();
    const byCustomer = new Map<string, typeof contacts>();
    for (const c of contacts) byCustomer.set(c.customer_id, [...(byCustomer.get(c.customer_id) ?? []), c]);
    await index.insertMany(
      d,
      rows.map((r) => ({ key: Number(r.search_key), tokens: tokensFor(r, byCustomer.get(r.id) ?? []) })),
    );
    after = Number(last.search_key);
  }
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
