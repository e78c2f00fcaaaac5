import type { Db } from '../db/index.js';
import { nowIso, type TxCtx } from './context.js';

// Settings are rows of the `settings` table, one JSON value per key, grouped by a prefix per
// module (`customer.filingDays`, `document.fondsCode`). What is not stored has its default.

export async function readSettings<T extends object>(db: Db, prefix: string, defaults: T): Promise<T> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'like', `${prefix}%`)
    .execute();
  const out = { ...defaults } as Record<string, unknown>;
  for (const r of rows) {
    const key = r.key.slice(prefix.length);
    if (key in out) out[key] = JSON.parse(r.value);
  }
  return out as T;
}

/** Stores the given values (undefined ones are left alone), in the caller's transaction. */
export async function writeSettings(
  t: TxCtx,
  prefix: string,
  values: Record<string, unknown>,
): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const row = { value: JSON.stringify(value), updated_at: nowIso(t), updated_by: t.actor?.id ?? 'system' };
    await t.db
      .insertInto('settings')
      .values({ key: `${prefix}${key}`, ...row })
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .execute();
  }
}
