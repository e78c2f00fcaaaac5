import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../../db/types.js';

// How an audit entry is hashed (R-L1): SHA-256 over the previous entry's hash and the UTF-8
// bytes of the entry's canonical JSON. Kept apart from the chain's reading and writing so that
// the legacy proof (legacy.ts) and verification share it without importing each other.

export type HashedFields = Omit<AuditLogTable, 'hash' | 'prev_hash'>;

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** What an entry's hash covers, as the object whose canonical JSON is hashed. */
export function hashedContent(e: HashedFields): Record<string, unknown> {
  return {
    seq: Number(e.seq),
    at: e.at,
    actor_id: e.actor_id,
    actor_login: e.actor_login,
    action: e.action,
    target_type: e.target_type,
    target_id: e.target_id,
    target_label: e.target_label,
    secrecy: Number(e.secrecy),
    ip: e.ip,
    outcome: e.outcome,
    request_id: e.request_id,
    details: e.details,
  };
}

/** SHA-256 over the previous hash and the UTF-8 bytes of a canonical JSON body. */
export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(Buffer.from(body, 'utf8')).digest('hex');
}

/** The hash of an entry as read from (or about to be written to) the table. */
export function entryHash(prevHash: string, e: HashedFields): string {
  return chainHash(prevHash, canonicalJson(hashedContent(e)));
}

/** The entry's details; what the system does after a person's action names that person. */
