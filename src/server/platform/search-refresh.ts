import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { Db } from '../db/index.js';
import { TOKENS_VERSION } from './search-tokens.js';

// Stored search tokens are made by the code of the day (search-tokens.ts). When that code
// changes what a record is indexed under, TOKENS_VERSION goes up and every record must be
// indexed again. A migration cannot do it (it may not import live code), so `kedang serve`
// does it in the background after it starts: each index's state is a settings row
// (`search.tokens.<index>`: the version its tokens were made with, and how far a refresh got),
// a missing row counts as stale, and each batch is written together with its progress, so a
// restart goes on where it stopped. Two servers refreshing at once only repeat work: writing a
// record's tokens again is harmless.

export interface SearchRefresher {
  /** The index's name, as in `searchIndex(dialect, name)`. */
  name: string;
  /** Indexes again the records with a search key above `after`, at most `limit`, in key order,
   * in the given transaction; returns the last key done and how many, or null when none was left. */
  batch: (db: Db, after: number, limit: number) => Promise<{ last: number; count: number } | null>;
}

interface State {
  version: number;
  /** While a refresh runs: the version it makes and the last key done. */
  target?: number;
  after?: number;
}

const BATCH = 500;
const keyOf = (name: string) => `search.tokens.${name}`;

async function readState(db: Db, name: string): Promise<State> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', keyOf(name))
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as State) : { version: 0 };
}

async function writeState(db: Db, name: string, state: State): Promise<void> {
  const row = { value: JSON.stringify(state), updated_at: new Date().toISOString(), updated_by: 'system' };
  await db
    .insertInto('settings')
    .values({ key: keyOf(name), ...row })
    .onConflict((oc) => oc.column('key').doUpdateSet(row))
    .execute();
}

/** Whether the index's tokens were made by today's code. */
export async function isCurrent(db: Db, name: string): Promise<boolean> {
  return (await readState(db, name)).version === TOKENS_VERSION;
}

/** Brings every stale index up to date; returns how many records were indexed again per index. */
export async function refreshSearchIndexes(
  db: Db,
  refreshers: SearchRefresher[],
  opts: { batch?: number; log?: (message: string) => void } = {},
): Promise<Record<string, number>> {
  const indexed: Record<string, number> = {};
  for (const r of refreshers) {
    const state = await readState(db, r.name);
    if (state.version === TOKENS_VERSION) continue;
    let after = state.target === TOKENS_VERSION ? (state.after ?? -1) : -1;
    let count = 0;
    opts.log?.(
      `search index ${r.name}: made by version ${state.version}, indexing again for ${TOKENS_VERSION}`,
    );
    for (;;) {
      const batch = await db.transaction().execute(async (trx) => {
        const result = await r.batch(trx, after, opts.batch ?? BATCH);
        const next: State = result
          ? { version: state.version, target: TOKENS_VERSION, after: result.last }
          : { version: TOKENS_VERSION };
        await writeState(trx, r.name, next);
        return result;
      });
      if (!batch) break;
      count += batch.count;
      after = batch.last;
      // Requests go on being answered while a large index is refreshed.
      await yieldToEvents();
    }
    indexed[r.name] = count;
    opts.log?.(`search index ${r.name}: up to date`);
  }
  return indexed;
}
