import type { Db } from '../../db/index.js';
import type { AuditLogTable } from '../../db/types.js';
import type { Ctx } from '../context.js';
import {
  appendAudit,
  canonicalJson,
  chainHash,
  entryHash,
  hashedContent,
  REPAIR_ACTION,
  verifyChain,
} from './chain.js';

// Entries written before text was put in its stored form could hold a lone UTF-16 surrogate
// (a sign-in name such as "\ud800"). Their hash covered the surrogate as JSON writes it
// (`\ud800`), the database kept U+FFFD, and the chain reads as edited from that entry on. Such
// an entry is never re-hashed: `kedang audit repair` proves what it held — some U+FFFD in it
// read back as a lone surrogate gives exactly the stored hash — and appends one `audit.repair`
// entry naming each entry, its stored hash and the hash of its content as stored. Verification
// then accepts that entry, and only with that hash and that content, so an edit made later is
// still found. An entry that cannot be proven is left broken unless an administrator accepts
// it with a reason (`--force`), which the repair entry records as unproven.

type Row = AuditLogTable;

const TEXT_FIELDS = [
  'at',
  'actor_id',
  'actor_login',
  'action',
  'target_type',
  'target_id',
  'target_label',
  'ip',
  'outcome',
  'request_id',
] as const;

/** How many replacement characters a proof tries independently (2,049 choices each). */
const MAX_INDEPENDENT = 2;

/** The JSON escape an earlier version hashed for lone surrogate `unit` (0xd800–0xdfff). */
const jsonEscape = (unit: number) => `\\u${unit.toString(16)}`;

/**
 * Finds the lone surrogates an entry held when it was hashed: the U+FFFD characters of its text
 * fields that, written as JSON escapes, reproduce the stored hash. Returns the original values
 * of the changed fields (JSON-escaped, readable), or null when no such reading exists.
 */
export function proveLegacyEntry(row: Row): Record<string, string> | null {
  if (!TEXT_FIELDS.some((f) => row[f]?.includes('\ufffd'))) return null;
  const object = hashedContent(row);
  // Canonical JSON writes the keys sorted and U+FFFD as it is, so the body splits at each of
  // them in this order of fields.
  const order = Object.keys(object)
    .sort()
    .filter((k) => typeof object[k] === 'string' && (object[k] as string).includes('\ufffd'));
  const parts = canonicalJson(object).split('\ufffd');
  const n = parts.length - 1;
  const units: number[] = [];
  for (let u = 0xd800; u <= 0xdfff; u++) units.push(u);
  const build = (choice: (i: number) => string) => {
    let s = parts[0] as string;
    for (let i = 0; i < n; i++) s += choice(i) + parts[i + 1];
    return s;
  };
  const matches = (body: string) => chainHash(row.prev_hash, body) === row.hash;
  /** The fields as they were hashed under these choices, those that differ from the stored. */
  const original = (choice: (i: number) => string): Record<string, string> => {
    const out: Record<string, string> = {};
    let k = 0;
    for (const f of order) {
      const pieces = (object[f] as string).split('\ufffd');
      let read = pieces[0] as string;
      for (let i = 1; i < pieces.length; i++) read += choice(k++) + pieces[i];
      if (read !== object[f]) out[f] = read;
    }
    return out;
  };
  // The same surrogate everywhere (a name typed as "\ud800\ud800…"), then each independently.
  for (const u of units) {
    const choice = () => jsonEscape(u);
    if (matches(build(choice))) return original(choice);
  }
  if (n > MAX_INDEPENDENT) return null;
  const options = ['\ufffd', ...units.map(jsonEscape)];
  const pick = new Array<number>(n).fill(0);
  for (;;) {
    const choice = (i: number) => options[pick[i] as number] as string;
    if (matches(build(choice))) return original(choice);
    let i = 0;
    while (i < n && ++(pick[i] as number) >= options.length) pick[i++] = 0;
    if (i === n) return null;
  }
}

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
  /** A break a repair cannot mend (missing, relinked, truncated, rewritten): repair refuses. */
  otherBreak: { seq: number; reason: string } | null;
  /** The `audit.repair` entry written, when applied. */
  appliedAt: number | null;
}

/**
 * Lists the entries of the chain whose content no longer gives their stored hash, proving each
 * as a legacy encoding of lone surrogates where it can; with `apply`, records the proven ones
 * (and, with `force`, the unproven ones with the reason) in one `audit.repair` entry.
 */
export async function repairChain(
  ctx: Ctx,
  opts: { apply: boolean; force?: { reason: string } } = { apply: false },
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
  const chosen = candidates.filter((c) => c.original !== null || opts.force);
  let appliedAt: number | null = null;
  if (opts.apply && !otherBreak && chosen.length > 0) {
    appliedAt = await appendAudit(ctx, {
      action: REPAIR_ACTION,
      targetType: 'audit_log',
      details: {
        reason: opts.force?.reason ?? 'legacy encoding of lone surrogates',
        entries: chosen.map((c) => ({
          seq: c.seq,
          hash: c.hash,
          contentHash: c.contentHash,
          proven: c.original !== null,
          ...(c.original ? { original: c.original } : {}),
        })),
      },
    });
  }
  return { candidates, otherBreak, appliedAt };
}
