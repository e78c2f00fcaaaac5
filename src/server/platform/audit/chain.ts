import { sql } from 'kysely';
import type { AuditOutcome } from '../../../common/enums.js';
import { canonicalText } from '../../../common/text.js';
import type { Db } from '../../db/index.js';
import { type Ctx, nowIso, tx } from '../context.js';
import { secrecyOfTarget } from '../policy/records.js';
import { canonicalJson, chainHash, entryHash, type HashedFields, hashedContent } from './hash.js';
import { proveLegacyEntry } from './legacy.js';

export { canonicalJson, chainHash, entryHash, hashedContent };

// The audit trail (R-L1) is a hash chain: each entry's hash covers the previous entry's hash
// and the entry's canonical JSON, so editing, deleting or reordering any row breaks the chain
// from that row on. `audit_head` holds the newest sequence number and hash; appending locks
// that row, so concurrent writers line up and the chain never forks. What is hashed is exactly
// what is stored: every text is put in its stored form (`canonicalText`) before both.

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  targetLabel?: string | null;
  /**
   * Secrecy rank of what the entry is about, at least; readers below it do not see the entry.
   * It is raised to the target's effective secrecy (R-P9) here, so an entry about a document in
   * a 机密 archive is 机密 whatever the caller passed. Entries naming several records pass the
   * highest of them.
   */
  secrecy?: number;
  outcome?: AuditOutcome;
  details?: Record<string, unknown> | null;
  /** Overrides the context actor, e.g. the login name typed into a failed sign-in. */
  actor?: { id: string | null; login: string | null };
}

function canonicalDetails(input: AuditInput, triggeredBy: Ctx['triggeredBy']): string | null {
  const details = triggeredBy && !input.actor ? { ...input.details, triggeredBy } : input.details;
  return details ? canonicalJson(details) : null;
}

/** Appends one entry in the caller's transaction (or a new one), so it commits with the change. */
export async function appendAudit(ctx: Ctx, input: AuditInput): Promise<number> {
  return tx(ctx, async (t) => {
    const text = (v: string | null | undefined) => (v == null ? null : canonicalText(v));
    const targetType = text(input.targetType);
    const targetId = text(input.targetId);
    const secrecy =
      targetType && targetId
        ? Math.max(input.secrecy ?? 0, await secrecyOfTarget(t.db, targetType, targetId))
        : (input.secrecy ?? 0);
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
      actor_id: text(input.actor ? input.actor.id : t.actor?.id),
      actor_login: text(input.actor ? input.actor.login : t.actor?.login),
      action: canonicalText(input.action),
      target_type: targetType,
      target_id: targetId,
      target_label: text(input.targetLabel),
      secrecy,
      ip: text(t.ip),
      outcome: input.outcome ?? 'success',
      request_id: text(t.requestId),
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

/** Filter fields whose value someone typed, and which may therefore be a record's title or id. */
const TYPED_FILTER_KEYS = ['q', 'target', 'actor', 'customerId', 'documentId'];

/**
 * The secrecy of an export's audit entry, which records the export's filter (R-P9): as secret as
 * the rows it exported, and at least the exporter's own clearance when the filter holds typed
 * text — a search for a 机密 archive's name that found nothing is as telling as one that did.
 */
export function exportSecrecy(
  actor: { clearance: number } | null,
  filter: Record<string, unknown>,
  rowsSecrecy: number | string | bigint | null | undefined,
): number {
  const typed = TYPED_FILTER_KEYS.some((k) => typeof filter[k] === 'string' && filter[k] !== '');
  return Math.max(Number(rowsSecrecy ?? 0), typed ? (actor?.clearance ?? 0) : 0);
}

export type BrokenReason = 'missing' | 'edited' | 'relinked' | 'truncated' | 'rewritten';

/** A copy of the head kept outside the table (anchor file, backup manifest): the chain must
 * still hold that entry, with that hash. */
export interface Anchor {
  seq: number;
  hash: string;
  at: string;
  /** Where the copy was found, e.g. `audit-anchors.jsonl` or a backup's name. */
  source: string;
}

/** An entry an `audit.repair` entry names (see repair.ts), as read back from the chain. */
interface Repair {
  seq: number;
  /** The entry's stored hash, which its successor links to. */
  hash: string;
  /** The hash of the entry's stored content, which differs from `hash`. */
  contentHash: string;
  /** The `audit.repair` entry that names it. */
  by: number;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  /** The head's hash when verification started: what an anchor of this result records. */
  headHash: string;
  firstBroken: null | {
    seq: number;
    reason: BrokenReason;
    at: string | null;
    action: string | null;
    /** For `truncated` and `rewritten` found by an anchor: the anchor that tells. */
    anchor?: Anchor;
  };
  /** Entries an earlier version hashed with a lone surrogate, named by a recorded repair and
   * proven again (legacy.ts). */
  repaired: { seq: number; by: number }[];
  /** Anchors compared (those at or below the head were found intact if ok). */
  anchors: number;
}

export interface VerifyOptions {
  onProgress?: (checked: number, total: number) => void;
  anchors?: Anchor[];
}

const BATCH = 2000;
export const REPAIR_ACTION = 'audit.repair';

/** The repairs recorded in the chain itself; verification checks those entries like any other. */
async function recordedRepairs(db: Db, headSeq: number): Promise<Map<number, Repair>> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['seq', 'details'])
    .where('action', '=', REPAIR_ACTION)
    .where('seq', '<=', headSeq)
    .orderBy('seq')
    .execute();
  const repairs = new Map<number, Repair>();
  for (const row of rows) {
    let entries: unknown;
    try {
      entries = (JSON.parse(row.details ?? '{}') as { entries?: unknown }).entries;
    } catch {
      continue;
    }
    if (!Array.isArray(entries)) continue;
    for (const e of entries as Partial<Repair>[]) {
      if (typeof e.seq === 'number' && typeof e.hash === 'string' && typeof e.contentHash === 'string')
        repairs.set(e.seq, { seq: e.seq, hash: e.hash, contentHash: e.contentHash, by: Number(row.seq) });
    }
  }
  return repairs;
}

/**
 * Re-hashes the whole chain in sequence order and names the first entry that was edited
 * (hash differs), deleted (sequence gap), relinked or reordered (previous hash differs), or
 * whether entries after the last one were removed (head disagrees, or an anchor kept outside
 * the table knows of later entries). An entry whose stored hash differs from its content is
 * accepted only when a recorded repair names exactly that hash and that content and the legacy
 * proof passes for it again.
 */
export async function verifyChain(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const headSeq = Number(head.seq);
  const repairs = await recordedRepairs(db, headSeq);
  const anchors = [...(opts.anchors ?? [])].sort((a, b) => a.seq - b.seq);
  const anchorsAt = new Map<number, Anchor[]>();
  for (const a of anchors) anchorsAt.set(a.seq, [...(anchorsAt.get(a.seq) ?? []), a]);
  const repaired: VerifyResult['repaired'] = [];
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  const result = (firstBroken: VerifyResult['firstBroken']): VerifyResult => ({
    ok: firstBroken === null,
    checked,
    headSeq,
    headHash: head.hash,
    firstBroken,
    repaired,
    anchors: anchors.length,
  });
  const broken = (
    seq: number,
    reason: BrokenReason,
    row?: { at: string; action: string },
    anchor?: Anchor,
  ): VerifyResult =>
    result({ seq, reason, at: row?.at ?? null, action: row?.action ?? null, ...(anchor ? { anchor } : {}) });
  while (expected <= headSeq) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .where('seq', '<=', headSeq)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    // Nothing from here to the head: the log was cut off after the last entry read.
    if (rows.length === 0) return broken(expected, 'truncated');
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expected) return broken(expected, 'missing');
      const contentHash = entryHash(row.prev_hash, row);
      if (contentHash !== row.hash) {
        // Accepted only as a recorded repair names it *and* as the proof shows it was written so:
        // a repair entry is in the same table as whatever someone might have edited.
        const repair = repairs.get(seq);
        if (
          !repair ||
          repair.hash !== row.hash ||
          repair.contentHash !== contentHash ||
          proveLegacyEntry(row) === null
        )
          return broken(seq, 'edited', row);
        repaired.push({ seq, by: repair.by });
      }
      if (row.prev_hash !== prevHash) return broken(seq, 'relinked', row);
      for (const anchor of anchorsAt.get(seq) ?? [])
        if (anchor.hash !== row.hash) return broken(seq, 'rewritten', row, anchor);
      prevHash = row.hash;
      expected++;
      checked++;
    }
    opts.onProgress?.(checked, headSeq);
  }
  // The newest entry was rewritten after the head was updated, or removed with the head
  // rolled back by hand: either way entries the head once knew are gone.
  if (prevHash !== head.hash) return broken(headSeq, 'rewritten');
  const beyond = anchors.at(-1);
  if (beyond && beyond.seq > headSeq) return broken(headSeq + 1, 'truncated', undefined, beyond);
  return result(null);
}

/** One sentence on where and how the chain is broken, for the command line and reports. */
export function describeBreak(result: VerifyResult, lang: 'zh' | 'en'): string {
  const b = result.firstBroken;
  if (!b) return lang === 'zh' ? '审计链完整' : 'the audit chain is intact';
  const a = b.anchor;
  const zh = lang === 'zh';
  switch (b.reason) {
    case 'missing':
      return zh ? `第 #${b.seq} 条记录缺失（被删除）` : `entry #${b.seq} is missing (deleted)`;
    case 'edited':
      return zh ? `第 #${b.seq} 条记录被修改` : `entry #${b.seq} was edited`;
    case 'relinked':
      return zh
        ? `第 #${b.seq} 条记录与前一条不衔接（顺序被改动或前一条被改写）`
        : `entry #${b.seq} does not follow its predecessor (reordered, or a predecessor was rewritten)`;
    case 'truncated': {
      const kept = b.seq - 1;
      const base = zh
        ? `自第 #${b.seq} 条起的记录被删除（只保留到第 #${kept} 条）`
        : `entries from #${b.seq} on were removed (the last kept is #${kept})`;
      if (!a) return base;
      return zh
        ? `${base}；链外副本（${a.source}，${a.at}）记录的最新序号为 #${a.seq}`
        : `${base}; the copy of the head in ${a.source} of ${a.at} knows entry #${a.seq}`;
    }
    case 'rewritten':
      return a
        ? zh
          ? `第 #${b.seq} 条记录与链外副本（${a.source}，${a.at}）不符：日志被改写`
          : `entry #${b.seq} differs from the copy of the head in ${a.source} of ${a.at}: the log was rewritten`
        : zh
          ? `第 #${b.seq} 条记录与链头不符：最新记录被改写`
          : `entry #${b.seq} does not match the chain's head: the newest entry was rewritten`;
  }
}
