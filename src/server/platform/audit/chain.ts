import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditOutcome } from '../../../common/enums.js';
import type { Db } from '../../db/index.js';
import type { AuditLogTable } from '../../db/types.js';
import { type Ctx, nowIso, tx } from '../context.js';

// The audit trail (R-L1) is a hash chain: each entry's hash covers the previous entry's hash
// and the entry's canonical JSON, so editing, deleting or reordering any row breaks the chain
// from that row on. `audit_head` holds the newest sequence number and hash; appending locks
// that row, so concurrent writers line up and the chain never forks.

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  targetLabel?: string | null;
  /** Secrecy rank of the target; readers below it do not see the entry. */
  secrecy?: number;
  outcome?: AuditOutcome;
  details?: Record<string, unknown> | null;
  /** Overrides the context actor, e.g. the login name typed into a failed sign-in. */
  actor?: { id: string | null; login: string | null };
}

type HashedFields = Omit<AuditLogTable, 'hash' | 'prev_hash'>;

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function entryHash(prevHash: string, e: HashedFields): string {
  const body = canonicalJson({
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
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** The entry's details; what the system does after a person's action names that person. */
function canonicalDetails(input: AuditInput, triggeredBy: Ctx['triggeredBy']): string | null {
  const details = triggeredBy && !input.actor ? { ...input.details, triggeredBy } : input.details;
  return details ? canonicalJson(details) : null;
}

/** Appends one entry in the caller's transaction (or a new one), so it commits with the change. */
export async function appendAudit(ctx: Ctx, input: AuditInput): Promise<number> {
  return tx(ctx, async (t) => {
    // Incrementing first takes the row lock (PostgreSQL) or the write lock (SQLite) before
    // the previous hash is read, so no other writer can slip in between.
    const head = await t.db
      .updateTable('audit_head')
      .set({ seq: sql`seq + 1` })
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const fields: HashedFields = {
      seq: Number(head.seq),
      at: nowIso(t),
      actor_id: input.actor ? input.actor.id : (t.actor?.id ?? null),
      actor_login: input.actor ? input.actor.login : (t.actor?.login ?? null),
      action: input.action,
      target_type: input.targetType ?? null,
      target_id: input.targetId ?? null,
      target_label: input.targetLabel ?? null,
      secrecy: input.secrecy ?? 0,
      ip: t.ip,
      outcome: input.outcome ?? 'success',
      request_id: t.requestId,
      details: canonicalDetails(input, t.triggeredBy),
    };
    const hash = entryHash(head.hash, fields);
    await t.db
      .insertInto('audit_log')
      .values({ ...fields, prev_hash: head.hash, hash })
      .execute();
    await t.db.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
    return fields.seq;
  });
}

export type BrokenReason = 'missing' | 'edited' | 'relinked' | 'truncated';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBroken: null | { seq: number; reason: BrokenReason; at: string | null; action: string | null };
}

const BATCH = 2000;

/**
 * Re-hashes the whole chain in sequence order and names the first entry that was edited
 * (hash differs), deleted (sequence gap), relinked or reordered (previous hash differs), or
 * whether entries after the last one were removed (head disagrees).
 */
export async function verifyChain(
  db: Db,
  onProgress?: (checked: number, total: number) => void,
): Promise<VerifyResult> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const headSeq = Number(head.seq);
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  const broken = (seq: number, reason: BrokenReason, row?: { at: string; action: string }): VerifyResult => ({
    ok: false,
    checked,
    headSeq,
    firstBroken: { seq, reason, at: row?.at ?? null, action: row?.action ?? null },
  });
  while (expected <= headSeq) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .where('seq', '<=', headSeq)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return broken(expected, expected === headSeq ? 'truncated' : 'missing');
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expected) return broken(expected, 'missing');
      if (entryHash(row.prev_hash, row) !== row.hash) return broken(seq, 'edited', row);
      if (row.prev_hash !== prevHash) return broken(seq, 'relinked', row);
      prevHash = row.hash;
      expected++;
      checked++;
    }
    onProgress?.(checked, headSeq);
  }
  if (prevHash !== head.hash) return broken(headSeq, 'truncated');
  return { ok: true, checked, headSeq, firstBroken: null };
}
