import type { Notification } from '../../../common/schemas/operations.js';
import type { NotificationTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { newestFirst } from '../../platform/sql.js';

// A person's own notifications (R-W2): newest first, the unread count for the bell, and
// marking them read. Nobody reads anyone else's: every query is bound to the actor. Writing
// them is `notify()` in platform/notify.ts, inside the transaction of whatever they report.

function toNotification(r: NotificationTable): Notification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

export async function listNotifications(
  ctx: Ctx,
  q: { unread: 'true' | 'false'; cursor?: string | undefined; limit: number },
): Promise<{ items: Notification[]; nextCursor: string | null }> {
  authorize(ctx, 'notification.read', { type: 'notification' });
  let query = ctx.db.selectFrom('notifications').selectAll().where('user_id', '=', ctx.actor.id);
  if (q.unread === 'true') query = query.where('read_at', 'is', null);
  const { rows, nextCursor } = await newestFirst(query, 'created_at', q);
  return { items: rows.map(toNotification), nextCursor };
}

export async function unreadCount(ctx: Ctx): Promise<{ count: number }> {
  authorize(ctx, 'notification.read', { type: 'notification' });
  const row = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', ctx.actor.id)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n) };
}

/** Marks one of the actor's notifications read (404 for anyone else's). */
export async function markRead(ctx: Ctx, id: string): Promise<Notification> {
  authorize(ctx, 'notification.read', { type: 'notification', id });
  const actor = ctx.actor;
  return tx(ctx, async (t) => {
    const row = await t.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', actor.id)
      .executeTakeFirst();
    if (!row) throw notFound();
    if (row.read_at) return toNotification(row);
    const at = nowIso(t);
    await t.db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).execute();
    await appendAudit(t, {
      action: 'notification.read',
      targetType: 'notification',
      targetId: id,
      // The kind, not the title: a title may name a record more secret than the log's readers
      // are cleared for, and the notification row does not keep that level.
      targetLabel: row.kind,
      details: { count: 1 },
    });
    return toNotification({ ...row, read_at: at });
  });
}

/** Marks every unread notification of the actor read; returns how many. */
export async function markAllRead(ctx: Ctx): Promise<{ count: number }> {
  authorize(ctx, 'notification.read', { type: 'notification' });
  const actor = ctx.actor;
  return tx(ctx, async (t) => {
    const res = await t.db
      .updateTable('notifications')
      .set({ read_at: nowIso(t) })
      .where('user_id', '=', actor.id)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    const count = Number(res.numUpdatedRows);
    if (count)
      await appendAudit(t, { action: 'notification.read', targetType: 'notification', details: { count } });
    return { count };
  });
}
