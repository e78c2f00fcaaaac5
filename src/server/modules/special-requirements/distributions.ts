import type { Ctx } from '../../platform/context.js';

/** Distributions the reader has not acknowledged (我的待办). */
export async function ackTodo(ctx: Ctx): Promise<number> {
  if (!ctx.actor) return 0;
  const row = await ctx.db
    .selectFrom('sr_acknowledgements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', ctx.actor.id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
