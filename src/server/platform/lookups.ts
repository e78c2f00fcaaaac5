import { appendAudit } from './audit/chain.js';
import type { TxCtx } from './context.js';
import { FieldErrors } from './errors.js';

// A module's own short list kept in the `lookups` table (case types, special-requirement
// categories): an entry is added at the end or renamed / (de)activated in place, never deleted,
// so that the records carrying its code keep a name. The change is audited under `action`.

export async function putListEntry(
  t: TxCtx,
  list: string,
  code: string,
  input: { label: string; active: boolean },
  audit: { action: string; targetType: string },
): Promise<void> {
  // Two entries of one name could not be told apart in any picker.
  const same = await t.db
    .selectFrom('lookups')
    .select('code')
    .where('list', '=', list)
    .where('label', '=', input.label)
    .where('code', '!=', code)
    .executeTakeFirst();
  if (same) throw new FieldErrors([{ field: 'label', key: 'list_label_taken', params: { code: same.code } }]);
  const next = await t.db
    .selectFrom('lookups')
    .select((eb) => eb.fn.max('sort_order').as('n'))
    .where('list', '=', list)
    .executeTakeFirst();
  const row = { label: input.label, active: input.active ? 1 : 0 };
  await t.db
    .insertInto('lookups')
    .values({ list, code, label_en: null, prefix: null, sort_order: Number(next?.n ?? 0) + 1, ...row })
    .onConflict((oc) => oc.columns(['list', 'code']).doUpdateSet(row))
    .execute();
  await appendAudit(t, {
    ...audit,
    targetId: `${list}:${code}`,
    targetLabel: input.label,
    details: { list, code, ...input },
  });
}
