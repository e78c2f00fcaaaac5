import { type ExpressionBuilder, type ExpressionWrapper, type SqlBool, sql } from 'kysely';
import { HOLD_KIND_LABELS, type HoldKind } from '../../../common/retention.js';
import type { Hold } from '../../../common/schemas/retention.js';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/types.js';

// Which holds (冻结, R-X5) are in force: the SQL other modules use to show them and to keep
// held records out of destruction. A hold on a customer archive holds every document in it.

export type ActiveHold = Pick<Hold, 'id' | 'targetType' | 'kind' | 'reason' | 'placedAt'>;

/** Holds in force on a document (and its customer archive), or on a customer archive alone. */
export async function activeHolds(
  db: Db,
  documentId: string | null,
  customerId: string | null,
): Promise<ActiveHold[]> {
  const rows = await db
    .selectFrom('holds')
    .select(['id', 'target_type', 'kind', 'reason', 'placed_at'])
    .where('lifted_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(documentId
          ? [eb.and([eb('target_type', '=', 'document'), eb('target_id', '=', documentId)])]
          : []),
        ...(customerId
          ? [eb.and([eb('target_type', '=', 'customer'), eb('target_id', '=', customerId)])]
          : []),
        eb.lit(false),
      ]),
    )
    .orderBy('placed_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    targetType: r.target_type as ActiveHold['targetType'],
    kind: r.kind as ActiveHold['kind'],
    reason: r.reason,
    placedAt: r.placed_at,
  }));
}

type DocEb = ExpressionBuilder<Database & { d: Database['documents'] }, 'd'>;

/** SQL: the document aliased `d` is under a hold in force (its own or its customer's). */
export function isHeld<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
): ExpressionWrapper<DB, TB, SqlBool> {
  const e = eb as unknown as DocEb;
  return e.exists(
    e
      .selectFrom('holds as h')
      .select(sql`1`.as('one'))
      .where('h.lifted_at', 'is', null)
      .where((w) =>
        w.or([
          w.and([w('h.target_type', '=', 'document'), w('h.target_id', '=', w.ref('d.id'))]),
          w.and([w('h.target_type', '=', 'customer'), w('h.target_id', '=', w.ref('d.customer_id'))]),
        ]),
      ),
  ) as unknown as ExpressionWrapper<DB, TB, SqlBool>;
}

/**
 * Why each of the documents is held now — the holds in force on it or on its customer archive,
 * as 「争议：理由」 joined with 「；」, oldest first — for those that are; the others are absent.
 * The reasons are about the documents themselves, so they are shown to whoever may see them.
 */
export async function holdReasons(db: Db, documentIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(documentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('documents as d')
      .innerJoin('holds as h', (j) =>
        j.on((eb) =>
          eb.and([
            eb('h.lifted_at', 'is', null),
            eb.or([
              eb.and([eb('h.target_type', '=', 'document'), eb('h.target_id', '=', eb.ref('d.id'))]),
              eb.and([eb('h.target_type', '=', 'customer'), eb('h.target_id', '=', eb.ref('d.customer_id'))]),
            ]),
          ]),
        ),
      )
      .select(['d.id', 'h.kind', 'h.reason'])
      .where('d.id', 'in', ids.slice(i, i + 500))
      .orderBy('h.placed_at')
      .orderBy('h.id')
      .execute();
    for (const r of rows) {
      const text = `${HOLD_KIND_LABELS[r.kind as HoldKind].zh}：${r.reason}`;
      const before = out.get(r.id);
      out.set(r.id, before ? `${before}；${text}` : text);
    }
  }
  return out;
}
