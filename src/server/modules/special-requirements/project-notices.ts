import { todayInShanghai } from '../../../common/time.js';
import { type Ctx, tx } from '../../platform/context.js';
import { notify } from '../../platform/notify.js';
import { ownersOf } from '../customers/repo.js';
import * as repo from './repo.js';
import { loadRow, managersOf, qualityUsers, whoSees } from './service.js';

// The after-mass-production clock run out (R-S5, 003 IATF 办法 4.1.2): once a requirement's
// project due day has passed without the project team having it, the owner department's
// managers, the archive's owners and quality (those of them who see the requirement) are told,
// once — the history entry 'projectOverdue' records that it was, and is what the auditor reads.
// Part of the daily special-requirements task (sr-notices.ts `srDaily`).

const BATCH = 200;

/** Tells about every requirement whose project clock ran out; returns how many. */
export async function projectOverdueDaily(ctx: Ctx): Promise<number> {
  const today = todayInShanghai(ctx.now());
  let told = 0;
  let after = '';
  for (;;) {
    const rows = await ctx.db
      .selectFrom('sr_requirements as r')
      .select(['r.id'])
      .where('r.after_mass_production', '=', 1)
      .where('r.project_informed_at', 'is', null)
      .where('r.project_due_on', '<', today)
      .where('r.status', 'not in', ['obsolete', 'not_applicable'])
      .where('r.id', '>', after)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sr_history as h')
              .select('h.id')
              .whereRef('h.requirement_id', '=', 'r.id')
              .where('h.field', '=', 'projectOverdue'),
          ),
        ),
      )
      .orderBy('r.id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    after = rows.at(-1)?.id ?? after;
    for (const { id } of rows)
      await tx(ctx, async (t) => {
        const row = await loadRow(t.db, id);
        const owners = ((await ownersOf(t.db, [row.customer_id])).get(row.customer_id) ?? []).map(
          (o) => o.id,
        );
        const managers = row.owner_department_id ? await managersOf(t.db, [row.owner_department_id]) : [];
        const recipients = await whoSees(t, [...managers, ...owners, ...(await qualityUsers(t.db))], id);
        await repo.writeHistory(t, id, [
          {
            field: 'projectOverdue',
            oldValue: null,
            newValue: row.project_due_on,
            note: `超过 ${row.project_due_on} 仍未传达项目组`,
          },
        ]);
        await notify(t, recipients, {
          kind: 'sr.project_overdue',
          title: `量产后顾客特殊要求 ${row.number}（${row.customer_name}）超期未传达项目组（应于 ${row.project_due_on} 前）`,
          body: row.title,
          link: `/special-requirements/${id}`,
          secrecy: Number(row.effective_secrecy),
        });
        told++;
      });
    if (rows.length < BATCH) break;
  }
  return told;
}
