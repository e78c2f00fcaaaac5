import type { Transaction } from 'kysely';
import type { Lang, Role } from '../../common/enums.js';
import type { Db } from '../db/index.js';
import type { Database } from '../db/types.js';

/** The authenticated person (or integration token) on whose behalf code runs. */
export interface Actor {
  id: string;
  login: string;
  name: string;
  departmentId: string | null;
  roles: Role[];
  /** Clearance rank 0..3 (普通/秘密/机密/绝密). */
  clearance: number;
  via: 'session' | 'token' | 'system';
  mustChangePassword: boolean;
}

/** Carried by every service call: who, against which database handle, at what time. */
export interface Ctx {
  db: Db;
  actor: Actor | null;
  now: () => Date;
  requestId: string | null;
  ip: string | null;
  lang: Lang;
  /** When the system acts on its own after a person's action (systemTriggeredBy): that person,
   * named in the audit entries the system writes. */
  triggeredBy?: { id: string; login: string } | undefined;
}

export type TxCtx = Ctx & { db: Transaction<Database> };

/** Runs `fn` in a transaction, joining the caller's if there is one. */
export async function tx<T>(ctx: Ctx, fn: (ctx: TxCtx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx as TxCtx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

export function nowIso(ctx: Pick<Ctx, 'now'>): string {
  return ctx.now().toISOString();
}

export const SYSTEM_ACTOR: Actor = {
  id: 'system',
  login: 'system',
  name: '系统',
  departmentId: null,
  roles: ['admin'],
  clearance: 3,
  via: 'system',
  mustChangePassword: false,
};

/**
 * The system doing what a person's action set off, e.g. destroying the paper items and filing
 * the register after the last witness signs: the audit trail names the system as actor, with
 * the person in `details.triggeredBy`, instead of crediting the person with it.
 */
export function systemTriggeredBy<C extends Ctx>(ctx: C, person: Pick<Actor, 'id' | 'login'>): C {
  return { ...ctx, actor: SYSTEM_ACTOR, triggeredBy: { id: person.id, login: person.login } };
}
