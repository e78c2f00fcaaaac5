import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/index.js';
import { type Anchor, type VerifyOptions, type VerifyResult, verifyChain } from './chain.js';

// The head of the audit chain, copied outside the table (R-L1). Someone able to delete the
// newest entries could also set `audit_head` back, and the chain would verify. So the head is
// also written to an append-only file in the data directory — daily, after every backup and
// after every verification that found the chain intact — and into each backup's manifest
// (which `kedang restore` compares with the restored chain). Verification compares the chain
// with the file: an anchored entry must still be there with its hash, and no anchor may know
// of entries beyond the head. The file is on the server's disk, out of reach of whoever can
// only write to the database.

export const ANCHOR_FILE = 'audit-anchors.jsonl';

export async function chainHead(db: Db): Promise<{ seq: number; hash: string }> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

function isAnchor(v: unknown): v is Omit<Anchor, 'source'> {
  const a = v as Partial<Anchor> | null;
  return (
    typeof a?.seq === 'number' &&
    Number.isSafeInteger(a.seq) &&
    typeof a.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(a.hash) &&
    typeof a.at === 'string'
  );
}

/** The anchors of the data directory's file; a line that is not an anchor is skipped. */
export function readAnchorFile(dataDir: string): Anchor[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, ANCHOR_FILE), 'utf8');
  } catch {
    return [];
  }
  const anchors: Anchor[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (isAnchor(v)) anchors.push({ seq: v.seq, hash: v.hash, at: v.at, source: ANCHOR_FILE });
    } catch {
      // A torn last line (power cut while appending) says nothing.
    }
  }
  return anchors;
}

/** Appends a head to the anchor file and fsyncs it, unless the last line already holds it. */
export function appendAnchor(dataDir: string, head: { seq: number; hash: string }, now: Date): void {
  if (head.seq === 0) return;
  const last = readAnchorFile(dataDir).at(-1);
  if (last && last.seq === head.seq && last.hash === head.hash) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const fd = fs.openSync(path.join(dataDir, ANCHOR_FILE), 'a', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify({ at: now.toISOString(), seq: head.seq, hash: head.hash })}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Anchors the current head (the daily task). */
export async function anchorHead(db: Db, dataDir: string, now: Date): Promise<{ seq: number }> {
  const head = await chainHead(db);
  appendAnchor(dataDir, head, now);
  return { seq: head.seq };
}

/**
 * Verifies the chain against the anchors of `dataDir` and, when it is intact, anchors the
 * head it verified. Every verification a person or the schedule starts comes through here.
 */
export async function verifyAnchored(
  db: Db,
  dataDir: string,
  now: Date,
  onProgress?: VerifyOptions['onProgress'],
): Promise<VerifyResult> {
  const result = await verifyChain(db, { anchors: readAnchorFile(dataDir), onProgress });
  if (result.ok) appendAnchor(dataDir, { seq: result.headSeq, hash: result.headHash }, now);
  return result;
}
