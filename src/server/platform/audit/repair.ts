import type { Db } from '../../db/index.js';
import type { Ctx } from '../context.js';
import { appendAudit, entryHash, REPAIR_ACTION, verifyChain } from './chain.js';
import { proveLegacyEntry } from './legacy.js';

// `kedang audit repair`: the documented, audited way to deal with entries an earlier version
// hashed with a lone surrogate (legacy.ts). It lists every entry whose content no longer gives
// its stored hash, proves those it can, and with --apply appends one `audit.repair` entry naming
// each proven entry with its stored hash and the hash of its content as stored. Verification
// accepts such an entry only when a repair names it with exactly those hashes *and* it passes
// the proof again — so a repair entry written by someone else proves nothing, and an edit made
// later is still found. An entry that cannot be proven is not accepted at all: the chain stays
// reported as broken there. Nothing is ever re-hashed.

export interface RepairCandidate {
  seq: number;
  at: string;
  action: string;
  hash: string;
  contentHash: string;
  /** The original values of the fields that held lone surrogates, when proven. */
  original: Record<string, string> | null;
}

export interface RepairReport {
  /** Entries whose stored hash differs from their content and that no repair accepts yet. */
  candidates: RepairCandidate[];
  /** A break a repair cannot mend (a missing or relinked entry): repair refuses. */
  otherBreak: { seq: number; reason: string } | null;
  /** The `audit.repair` entry written, when applied. */
  appliedAt: number | null;
}

/**
 * Lists the entries of the chain whose content no longer gives their stored hash, proving each
 * as a legacy encoding of lone surrogates where it can; with `apply`, records the proven ones in
 * one `audit.repair` entry.
 */
export async function repairChain(
  ctx: Ctx,
  opts: { apply: boolean } = { apply: false },
): Promise<RepairReport> {
  const db: Db = ctx.db;
  const candidates: RepairCandidate[] = [];
  // Walk the chain as verification does, but go on past edited entries: their successors
  // link to the stored hash, which is what a repair keeps.
  const accepted = new Set((await verifyChain(db)).repaired.map((r) => r.seq));
  let prevHash: string | null = null;
  let expected = 1;
  let otherBreak: RepairReport['otherBreak'] = null;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .orderBy('seq')
      .limit(2000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expected) otherBreak ??= { seq: expected, reason: 'missing' };
      if (prevHash !== null && row.prev_hash !== prevHash) otherBreak ??= { seq, reason: 'relinked' };
      const contentHash = entryHash(row.prev_hash, row);
      if (contentHash !== row.hash && !accepted.has(seq))
        candidates.push({
          seq,
          at: row.at,
          action: row.action,
          hash: row.hash,
          contentHash,
          original: proveLegacyEntry(row),
        });
      prevHash = row.hash;
      expected = seq + 1;
    }
  }
  const chosen = candidates.filter((c) => c.original !== null);
  let appliedAt: number | null = null;
  if (opts.apply && !otherBreak && chosen.length > 0) {
    appliedAt = await appendAudit(ctx, {
      action: REPAIR_ACTION,
      targetType: 'audit_log',
      details: {
        reason: 'legacy encoding of lone surrogates',
        entries: chosen.map((c) => ({
          seq: c.seq,
          hash: c.hash,
          contentHash: c.contentHash,
          original: c.original,
        })),
      },
    });
  }
  return { candidates, otherBreak, appliedAt };
}
