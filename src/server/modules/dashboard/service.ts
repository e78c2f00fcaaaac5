import type { Dashboard } from '../../../common/schemas/dashboard.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { can } from '../../platform/policy/index.js';
import type { DashCtx } from './blocks.js';
import { PANELS } from './panels.js';

// 工作台 (R-W1): the panels the reader's roles call for, each figure counted in SQL by the
// module that owns the records. It shows counts, not records, so like 我的待办 it writes no
// audit entry; the lists it opens audit as they always do.

export async function dashboard(ctx: Ctx): Promise<Dashboard> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const d: DashCtx = { ctx: ctx as Ctx & { actor: Actor }, today: todayInShanghai(ctx.now()) };
  const panels: Dashboard['panels'] = [];
  for (const panel of PANELS) {
    if (!can(actor, panel.action)) continue;
    const blocks: Dashboard['panels'][number]['blocks'] = [];
    // One after the other: a request holds one connection (SQLite has one anyway).
    for (const def of panel.blocks) {
      const items = await def.items(d);
      if (items)
        blocks.push({
          key: def.keyFor?.(d) ?? def.key,
          kind: def.kind,
          unit: def.unit ?? 'count',
          tone: def.tone ?? null,
          items,
        });
    }
    panels.push({ key: panel.key, blocks });
  }
  return { today: d.today, panels };
}
