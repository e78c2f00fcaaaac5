import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Actor, Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { type Action, RULES } from './rules.js';

export type { Action } from './rules.js';
export {
  actionVerifyRefusal,
  disposalSignRefusal,
  disposalWitnessRefusal,
  documentSignRefusal,
} from './rules.js';

/** May this actor do this action (on this resource)? Pure; never throws. */
export function can(actor: Actor | null, action: Action, resource?: unknown): boolean {
  if (!actor) return false;
  return RULES[action](actor, resource);
}

/**
 * Throws unless the context's actor may do the action. A denial carries what was attempted,
 * so the error handler records it in the audit trail after the request's transaction is gone.
 */
export function authorize(
  ctx: Ctx,
  action: Action,
  target?: { type: string; id?: string | undefined; resource?: unknown },
): asserts ctx is Ctx & { actor: Actor } {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  if (!can(ctx.actor, action, target?.resource)) {
    throw new DomainError('forbidden', 403, {}, undefined, {
      action,
      targetType: target?.type,
      targetId: target?.id,
    });
  }
}

/** One record an action is about, and who may read it at all. */
export interface RecordTarget {
  type: string;
  id: string;
  resource?: unknown;
  /** The rule that lets the actor read the record (with `resource`), or whether the record
   * passed its SQL visibility predicate. */
  read: Action | boolean;
  /** The record's secrecy rank: readers cleared below it never see it (R-P1). */
  secrecy?: number;
}

/**
 * Throws 404 — the answer for an id that does not exist — unless the actor may read the record,
 * so that whoever may not see a record cannot learn that it exists by trying ids (R-P1). The
 * attempt is still audited as denied (at the record's secrecy, so it is no clue either).
 */
export function assertReadable(
  ctx: Ctx,
  target: RecordTarget,
  action?: Action,
): asserts ctx is Ctx & { actor: Actor } {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const ruleSaysYes =
    typeof target.read === 'boolean' ? target.read : can(ctx.actor, target.read, target.resource);
  if (ruleSaysYes && (target.secrecy === undefined || canSeeSecrecy(ctx.actor, target.secrecy))) return;
  throw new DomainError('not_found', 404, {}, undefined, {
    action: action ?? (typeof target.read === 'string' ? target.read : `${target.type}.read`),
    targetType: target.type,
    targetId: target.id,
    secrecy: target.secrecy,
  });
}

/**
 * `authorize` for an action on one record: 404 for whoever may not read the record (as if it
 * did not exist), 403 for a reader who may see it but not do the action (they know it exists).
 */
export function authorizeRecord(
  ctx: Ctx,
  action: Action,
  target: RecordTarget,
): asserts ctx is Ctx & { actor: Actor } {
  assertReadable(ctx, target, action);
  authorize(ctx, action, target);
}

/**
 * Whether the action is open to the actor for at least some record (their own, in their
 * department): what menus and buttons are shown by. Every request is still checked.
 */
export function mayEver(actor: Actor, action: Action): boolean {
  return can(actor, action, { ownerIds: [actor.id], inActorDepartments: true, createdBy: actor.id });
}

/** Clearance (R-P1): may the actor see a record of this secrecy rank at all? */
export function canSeeSecrecy(actor: Actor | null, secrecyRank: number): boolean {
  return !!actor && secrecyRank <= actor.clearance;
}

/**
 * SQL predicate that keeps only rows at or below the actor's clearance. Lists, searches,
 * counts and exports all use it, so what is above a user's clearance is absent everywhere.
 */
export function withinClearance(actor: Actor, column: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} <= ${actor.clearance}`;
}
