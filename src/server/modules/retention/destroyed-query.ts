import { type ExpressionBuilder, type ExpressionWrapper, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/types.js';

// Which records are destroyed (R-X3/R-X4), for the modules that must not hand them out (lending):
// a record is destroyed from the moment its destruction register is carried out — its electronic
// content is removed then and its paper destroyed on the day — not only once the witnesses have
// signed and the record reads 已销毁. An item the hold kept back (blocked) is not destroyed.

type DocEb = ExpressionBuilder<Database & { d: Database['documents'] }, 'd'>;

/** SQL: the document aliased `d` is destroyed, or on a register that has been carried out. */
export function isDestroyed<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
): ExpressionWrapper<DB, TB, SqlBool> {
  const e = eb as unknown as DocEb;
  return e.or([
    e('d.status', '=', 'destroyed'),
    e.exists(
      e
        .selectFrom('disposal_items as di')
        .innerJoin('disposals as x', 'x.id', 'di.disposal_id')
        .select(sql`1`.as('one'))
        .whereRef('di.document_id', '=', 'd.id')
        .where('di.status', '!=', 'blocked')
        .where('x.status', 'in', ['destroyed', 'completed']),
    ),
  ]) as unknown as ExpressionWrapper<DB, TB, SqlBool>;
}

/** Those of the documents that are destroyed (see `isDestroyed`). */
export async function destroyedDocuments(db: Db, documentIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const ids = [...new Set(documentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('documents as d')
      .select('d.id')
      .where('d.id', 'in', ids.slice(i, i + 500))
      .where((eb) => isDestroyed(eb))
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}
