import { DOWNLOAD_PURPOSES, type Purpose } from '../../../common/lending.js';
import type { Actor, Ctx } from '../context.js';

// The time-limited grant (R-P7) through which a reader sees a record they would not see
// otherwise: what the reader may do under it, and which request it comes from, for the stamp on
// downloads and for the audit trail.

export interface ActiveGrant {
  requestId: string;
  number: string;
  canDownload: boolean;
  expiresAt: string;
}

export async function activeGrant(
  ctx: Ctx & { actor: Actor },
  target: { documentId?: string; customerId: string | null },
): Promise<ActiveGrant | null> {
  const now = ctx.now().toISOString();
  if (target.documentId) {
    const g = await ctx.db
      .selectFrom('document_grants as g')
      .innerJoin('access_requests as a', 'a.id', 'g.request_id')
      .select(['a.id', 'a.number', 'g.can_download', 'g.expires_at'])
      .where('g.document_id', '=', target.documentId)
      .where('g.user_id', '=', ctx.actor.id)
      .where('g.revoked_at', 'is', null)
      .where('g.expires_at', '>', now)
      .orderBy('g.expires_at', 'desc')
      .executeTakeFirst();
    if (g)
      return {
        requestId: g.id,
        number: g.number,
        canDownload: g.can_download === 1,
        expiresAt: g.expires_at,
      };
  }
  if (!target.customerId) return null;
  const c = await ctx.db
    .selectFrom('customer_grants as g')
    .innerJoin('access_requests as a', 'a.id', 'g.request_id')
    .select(['a.id', 'a.number', 'a.purpose', 'g.expires_at'])
    .where('g.customer_id', '=', target.customerId)
    .where('g.user_id', '=', ctx.actor.id)
    .where('g.revoked_at', 'is', null)
    .where('g.expires_at', '>', now)
    .orderBy('g.expires_at', 'desc')
    .executeTakeFirst();
  if (!c?.expires_at) return null;
  return {
    requestId: c.id,
    number: c.number,
    canDownload: DOWNLOAD_PURPOSES.includes(c.purpose as Purpose),
    expiresAt: c.expires_at,
  };
}
