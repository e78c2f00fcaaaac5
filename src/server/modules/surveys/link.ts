import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { SurveyCampaignTable, SurveyInvitationTable } from '../../db/types.js';
import { companyName } from '../../platform/organisation.js';

// The one-time survey link (R-V3): `<token_key>.<proof>`. The key is stored on the invitation;
// the proof is derived from it with a secret kept in the database (shared by every server on
// it), so no usable link is stored and a link cannot be made from the key alone. A token is
// checked before anything is read about its invitation: a made-up or altered one costs one
// settings read and tells nothing about which invitations exist.

/** A new public half of a link: 16 random bytes, base64url. */
export function newTokenKey(): string {
  return randomBytes(16).toString('base64url');
}

const SECRET_KEY = 'survey.linkSecret';
/** 16 bytes as base64url, without padding: 22 characters. */
const PART = /^[A-Za-z0-9_-]{22}$/;

/**
 * The secret the proofs are made with: 32 random bytes, created by whichever server needs it
 * first (an insert that loses the race to another server's does nothing; both read the winner's).
 */
export async function linkSecret(db: Db): Promise<Buffer> {
  const read = async () =>
    (await db.selectFrom('settings').select('value').where('key', '=', SECRET_KEY).executeTakeFirst())?.value;
  let value = await read();
  if (value === undefined) {
    await db
      .insertInto('settings')
      .values({
        key: SECRET_KEY,
        value: JSON.stringify(randomBytes(32).toString('base64url')),
        updated_at: new Date().toISOString(),
        updated_by: 'system',
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    value = await read();
  }
  if (value === undefined) throw new Error('survey link secret missing');
  return Buffer.from(JSON.parse(value) as string, 'base64url');
}

function proofOf(secret: Buffer, tokenKey: string): string {
  return createHmac('sha256', secret).update(tokenKey).digest().subarray(0, 16).toString('base64url');
}

/** The link token of an invitation's key: `<token_key>.<proof>`. */
export async function linkToken(db: Db, tokenKey: string): Promise<string> {
  return `${tokenKey}.${proofOf(await linkSecret(db), tokenKey)}`;
}

export type TokenRefusal = 'malformed' | 'unknown' | 'forged' | 'used' | 'expired' | 'closed';

export type VerifiedToken =
  | { ok: true; invitation: SurveyInvitationTable; campaign: SurveyCampaignTable }
  | { ok: false; reason: TokenRefusal; invitationId?: string; campaignId?: string; closesOn?: string };

/**
 * What a token opens: its invitation and campaign when it may be answered now, else why not.
 * A campaign not sent yet counts as unknown (its links were never given out); an answered
 * invitation as used, before closed and expired (the end of `closes_on`, Asia/Shanghai).
 */
export async function verifyToken(db: Db, token: string, now: Date): Promise<VerifiedToken> {
  const [key = '', proof = '', ...rest] = token.split('.');
  if (rest.length > 0 || !PART.test(key) || !PART.test(proof)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(proofOf(await linkSecret(db), key));
  if (!timingSafeEqual(expected, Buffer.from(proof))) return { ok: false, reason: 'forged' };
  const invitation = await db
    .selectFrom('survey_invitations')
    .selectAll()
    .where('token_key', '=', key)
    .executeTakeFirst();
  if (!invitation) return { ok: false, reason: 'unknown' };
  const campaign = await db
    .selectFrom('survey_campaigns')
    .selectAll()
    .where('id', '=', invitation.campaign_id)
    .executeTakeFirstOrThrow();
  const ids = { invitationId: invitation.id, campaignId: campaign.id, closesOn: campaign.closes_on };
  if (campaign.status === 'draft') return { ok: false, reason: 'unknown', ...ids };
  if (invitation.answered_at || invitation.response_id) return { ok: false, reason: 'used', ...ids };
  if (campaign.status !== 'running') return { ok: false, reason: 'closed', ...ids };
  if (todayInShanghai(now) > campaign.closes_on) return { ok: false, reason: 'expired', ...ids };
  return { ok: true, invitation, campaign };
}

/** The company's name on the public page and in the mail: the one the filled forms carry. */
export async function displayCompanyName(db: Db): Promise<string> {
  return companyName(db);
}
