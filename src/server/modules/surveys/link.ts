import { randomBytes } from 'node:crypto';

// The one-time survey link (R-V3): `<token_key>.<proof>`. The key is stored on the invitation;
// the proof is derived from it with a secret kept in the database, so no usable link is stored.

/** A new public half of a link: 16 random bytes, base64url. */
export function newTokenKey(): string {
  return randomBytes(16).toString('base64url');
}
