import type { Ctx } from '../../platform/context.js';

/** Lists whose yearly check is due within 30 days or overdue that the reader may check. */
export async function checksTodo(_ctx: Ctx): Promise<number> {
  return 0;
}
