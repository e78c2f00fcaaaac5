import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/index.js';
import type { BlobStore } from './storage.js';

// What a killed process leaves behind in the data directory, and how it is cleared without
// harming another server that shares the directory (R-L2, crash consistency):
// File ages are measured against the real clock (they are file system times), not the
// injected one.
// - temporary upload files (tmp/uploads/<host>_<pid>_<id>): a file whose process is gone
//   (same host, pid not running — or our own pid at start, before we accepted any upload) is
//   removed at once; files of other hosts only when they have not been written for an hour;
// - stored files no `blobs` row knows (the process died between moving an upload into the
//   store and committing its rows, or the commit failed): removed once older than an hour,
//   each under a claim on its `blobs` key so a concurrent upload of the same content either
//   sees the file or fails cleanly, never commits a row for a file that is gone;
// - half-written forms of a stored file (<digest>[.enc|.key].<id>.part beside it: a process
//   died while encrypting, decrypting or re-wrapping it, storage.ts): removed once older than an
//   hour — the stored file itself is whole in one form or the other.

export const GRACE_MS = 60 * 60_000;

const HOST = os.hostname().replace(/[^A-Za-z0-9-]/g, '_') || 'host';
const DIGEST = /^[0-9a-f]{64}$/;

/** The name of a temporary upload file: who wrote it, so that a later start knows it is stale. */
export function tempUploadName(id: string): string {
  return `${HOST}_${process.pid}_${id}`;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes stale temporary upload files; returns how many. */
export function cleanTempUploads(dataDir: string, opts: { atStart: boolean; graceMs?: number }): number {
  const dir = path.join(dataDir, 'tmp', 'uploads');
  if (!fs.existsSync(dir)) return 0;
  const grace = opts.graceMs ?? GRACE_MS;
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const m = /^(.+)_(\d+)_[0-9a-f-]+$/.exec(name);
    let stale = false;
    if (m && m[1] === HOST) {
      const pid = Number(m[2]);
      stale = pid === process.pid ? opts.atStart : processGone(pid);
    }
    if (!stale) {
      try {
        stale = Date.now() - fs.statSync(file).mtimeMs > grace;
      } catch {
        continue; // gone meanwhile: its upload finished
      }
    }
    if (stale) {
      fs.rmSync(file, { force: true, recursive: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Removes a stored file unless a `blobs` row holds it. The claim is an insert of its key,
 * taken and given back in one transaction: a concurrent upload that inserts the same key waits
 * for it and then finds the file gone (and fails), or inserted first and keeps the file.
 */
export async function removeBlobIfUnreferenced(db: Db, store: BlobStore, sha256: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('blobs')
      .values({ sha256, size: 0, mime: 'application/x-kedang-sweep', created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .returning('sha256')
      .executeTakeFirst();
    if (!claimed) return false;
    store.remove(sha256);
    await trx.deleteFrom('blobs').where('sha256', '=', sha256).execute();
    return true;
  });
}

/** Stored files nobody knows and older than the grace period, as digests. */
export async function unknownBlobs(
  db: Db,
  store: BlobStore,
  opts: { graceMs?: number } = {},
): Promise<string[]> {
  if (!fs.existsSync(store.root)) return [];
  const grace = opts.graceMs ?? GRACE_MS;
  const candidates: string[] = [];
  for (const entry of fs.readdirSync(store.root, { recursive: true, withFileTypes: true })) {
    // An encrypted blob is <digest>.enc beside its envelope <digest>.key (storage.ts).
    const name = entry.name.replace(/\.(enc|key)$/, '');
    if (!entry.isFile() || !DIGEST.test(name) || (name !== entry.name && entry.name.endsWith('.key')))
      continue;
    const file = path.join(entry.parentPath, entry.name);
    if (file !== `${store.pathOf(name)}${entry.name.slice(name.length)}`) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > grace) candidates.push(name);
    } catch {
      // removed meanwhile
    }
  }
  const unknown: string[] = [];
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const known = new Set(
      (await db.selectFrom('blobs').select('sha256').where('sha256', 'in', chunk).execute()).map(
        (r) => r.sha256,
      ),
    );
    unknown.push(...chunk.filter((c) => !known.has(c)));
  }
  return unknown;
}

/** Removes stored files nobody knows that are older than the grace period; returns how many. */
export async function sweepOrphanBlobs(
  db: Db,
  store: BlobStore,
  opts: { graceMs?: number } = {},
): Promise<number> {
  let removed = 0;
  for (const sha256 of await unknownBlobs(db, store, opts)) {
    if (await removeBlobIfUnreferenced(db, store, sha256)) removed++;
  }
  return removed;
}

/** A half-written form of a stored file (storage.ts writes it beside the file, then renames it). */
export const PART_FILE = /^[0-9a-f]{64}(\.enc|\.key)?\.[0-9a-f-]+\.part$/;

/** Removes half-written forms of stored files older than the grace period; returns how many. */
export function cleanPartFiles(store: BlobStore, opts: { graceMs?: number } = {}): number {
  if (!fs.existsSync(store.root)) return 0;
  const grace = opts.graceMs ?? GRACE_MS;
  let removed = 0;
  for (const entry of fs.readdirSync(store.root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !PART_FILE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs <= grace) continue;
      fs.rmSync(file, { force: true });
      removed++;
    } catch {
      // finished meanwhile
    }
  }
  return removed;
}

/** The sweeps, as run at start and by the daily housekeeping task. */
export async function housekeeping(
  db: Db,
  store: BlobStore,
  dataDir: string,
  opts: { atStart: boolean; graceMs?: number },
): Promise<{ tempFiles: number; orphanBlobs: number }> {
  // A half-written form counts with the temporary files: both are a killed process's leftovers.
  const tempFiles = cleanTempUploads(dataDir, opts) + cleanPartFiles(store, opts);
  const orphanBlobs = await sweepOrphanBlobs(db, store, opts);
  // Failed sign-ins with logins nobody has, older than a day: their count would have run out.
  await db
    .deleteFrom('login_failures')
    .where('updated_at', '<', new Date(Date.now() - 86_400_000).toISOString())
    .execute();
  return { tempFiles, orphanBlobs };
}
