import type { Role } from '../../common/enums.js';
import type { Db } from '../db/index.js';
import { nowIso, type TxCtx } from './context.js';
import { newId } from './ids.js';

// In-app notifications (R-W2): any module tells people about something inside the
// transaction that made it happen, so the message exists exactly when the change does. The
// text is stored as written (Chinese, the company's language, like audit labels); the link is
// a path in the web app, opened when the person clicks the entry. A text naming a record carries
// the record's effective secrecy (R-P9): a recipient cleared below it gets a neutral text instead,
// without the record's title, name or code (R-P1).

export interface NotificationInput {
  /** What it is about, e.g. `integrity.fixity`; lets the web app pick an icon. */
  kind: string;
  title: string;
  body?: string | null;
  /** A path inside the web app (`/admin/integrity?report=…`), never an outside address. */
  link?: string | null;
  /**
   * The effective secrecy of the records the text names (the highest), 0 when it names none.
   * Required, so that no caller forgets that a title is a secret too.
   */
  secrecy: number;
  /** What a recipient cleared below `secrecy` is told instead; by default that there is news
   * they cannot read, without a link. */
  neutral?: { title: string; body?: string | null; link?: string | null };
}

const NEUTRAL = { title: '有一条涉及更高密级记录的通知，内容不显示', body: null, link: null };

const CHUNK = 500;

/** Writes one notification per person, in the caller's transaction. Returns how many. */
export async function notify(t: TxCtx, userIds: readonly string[], n: NotificationInput): Promise<number> {
  const neutral = { ...NEUTRAL, ...n.neutral };
  for (const link of [n.link, neutral.link])
    if (link && !/^\/(?!\/)/.test(link)) throw new Error(`notification link must be an app path: ${link}`);
  if (!n.title.trim() || !neutral.title.trim()) throw new Error('notification needs a title');
  const recipients = [...new Set(userIds)].filter((id) => id && id !== 'system');
  const cleared = new Set(n.secrecy > 0 ? await clearedFor(t.db, recipients, n.secrecy) : recipients);
  const at = nowIso(t);
  for (let i = 0; i < recipients.length; i += CHUNK) {
    await t.db
      .insertInto('notifications')
      .values(
        recipients.slice(i, i + CHUNK).map((user_id) => {
          const text = cleared.has(user_id) ? n : neutral;
          return {
            id: newId(),
            user_id,
            kind: n.kind,
            // By code points: a cut through a surrogate pair would store ill-formed text.
            title: Array.from(text.title).slice(0, 200).join(''),
            body: text.body ?? null,
            link: text.link ?? null,
            created_at: at,
            read_at: null,
            mail_attempts: 0,
          };
        }),
      )
      .execute();
  }
  return recipients.length;
}

/** Those of the users cleared for a record of this effective secrecy (R-P1). */
export async function clearedFor(db: Db, userIds: readonly string[], secrecy: number): Promise<string[]> {
  const out = new Set<string>();
  const unique = [...new Set(userIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', unique.slice(i, i + CHUNK))
      .where('clearance', '>=', secrecy)
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return unique.filter((id) => out.has(id));
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
