import type { Role } from '../../common/enums.js';
import type { Db } from '../db/index.js';
import { nowIso, type TxCtx } from './context.js';
import { newId } from './ids.js';

// In-app notifications (R-W2): any module tells people about something inside the
// transaction that made it happen, so the message exists exactly when the change does. The
// text is stored as written (Chinese, the company's language, like audit labels); the link is
// a path in the web app, opened when the person clicks the entry.

export interface NotificationInput {
  /** What it is about, e.g. `integrity.fixity`; lets the web app pick an icon. */
  kind: string;
  title: string;
  body?: string | null;
  /** A path inside the web app (`/admin/integrity?report=…`), never an outside address. */
  link?: string | null;
}

const CHUNK = 500;

/** Writes one notification per person, in the caller's transaction. Returns how many. */
export async function notify(t: TxCtx, userIds: readonly string[], n: NotificationInput): Promise<number> {
  if (n.link && !/^\/(?!\/)/.test(n.link))
    throw new Error(`notification link must be an app path: ${n.link}`);
  if (!n.title.trim()) throw new Error('notification needs a title');
  const recipients = [...new Set(userIds)].filter((id) => id && id !== 'system');
  const at = nowIso(t);
  for (let i = 0; i < recipients.length; i += CHUNK) {
    await t.db
      .insertInto('notifications')
      .values(
        recipients.slice(i, i + CHUNK).map((user_id) => ({
          id: newId(),
          user_id,
          kind: n.kind,
          title: n.title.slice(0, 200),
          body: n.body ?? null,
          link: n.link ?? null,
          created_at: at,
          read_at: null,
          mail_attempts: 0,
        })),
      )
      .execute();
  }
  return recipients.length;
}

/** Active users holding any of the roles: the usual recipients of an operational message. */
export async function activeUsersWithRoles(db: Db, roles: readonly Role[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .distinct()
    .where('u.active', '=', 1)
    .where('r.role', 'in', [...roles])
    .orderBy('u.id')
    .execute();
  return rows.map((r) => r.id);
}
