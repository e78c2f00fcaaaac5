import fs from 'node:fs';
import path from 'node:path';
import { secrecyRank } from '../../../common/enums.js';
import type { Db } from '../../db/index.js';
import { type MasterKeys, unwrapKey } from '../../platform/blob-crypto.js';
import { highestHolderLevel } from '../../platform/blob-references.js';
import { type Ctx, tx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import type { BlobStore } from '../../platform/storage.js';
import { loadDocumentSettings } from './config.js';
import { applyEncryptionFor, documentsWithFiles, type EncryptionChange } from './encryption.js';

// The master key's life on the command line (`kedang keys status|rotate|apply`): which key wraps
// the stored data keys, re-wrapping them under a new master key (rotation: only the small
// `.key` envelopes are rewritten, never the encrypted files), and bringing every record's files
// into the form its level needs.

const ENVELOPE = /^([0-9a-f]{64})\.key$/;

/** The digests of every encrypted stored file. */
export function encryptedDigests(store: BlobStore): string[] {
  if (!fs.existsSync(store.root)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(store.root, { recursive: true, withFileTypes: true })) {
    const m = entry.isFile() ? ENVELOPE.exec(entry.name) : null;
    if (
      m?.[1] &&
      path.join(entry.parentPath, entry.name) === store.keyPathOf(m[1]) &&
      store.isEncrypted(m[1])
    )
      out.push(m[1]);
  }
  return out.sort();
}

export interface KeyStatus {
  currentKeyId: string | null;
  oldKeyId: string | null;
  /** Encrypted files per master key id. */
  byKey: Record<string, number>;
  /** Files of records at or above the threshold still stored in plain. */
  plainButClassified: number;
  /** Encrypted files no record at or above the threshold holds any more. */
  encryptedNotNeeded: number;
  threshold: string;
  /** The master key ids the store's marker lists (filled from the envelopes here), null when
   * nothing was ever encrypted. */
  markerKeyIds: string[] | null;
}

/**
 * The refusal, in words, when the configured master keys are none of those the store's files are
 * encrypted under (its marker lists them): the server does not start and `kedang keys apply`
 * does nothing, so that no file is encrypted under an unrelated key. Null when they fit.
 */
export function keyMismatchMessage(store: BlobStore, keys: MasterKeys = store.masterKeys()): string | null {
  const m = store.keyMismatch(keys);
  if (!m) return null;
  const configured = [
    keys.current ? `${keys.current.id} (KEDANG_MASTER_KEY)` : null,
    keys.old ? `${keys.old.id} (KEDANG_OLD_MASTER_KEY)` : null,
  ].filter(Boolean);
  return (
    `The stored files are encrypted under master key ${m.expected.join(', ')} (as ${store.markerPath} records), ` +
    `but the configured master key is ${configured.join(' and ')}. ` +
    'Set KEDANG_MASTER_KEY (or KEDANG_MASTER_KEY_FILE) to the right key. To change to a new key, set the ' +
    'key in use as KEDANG_OLD_MASTER_KEY and the new one as KEDANG_MASTER_KEY and run `kedang keys rotate` first. ' +
    'Nothing was changed.'
  );
}

/** Fills a marker of an older version (no key lines) from the envelopes, by walking the store;
 * nothing to do when it lists keys already or there is none. */
export function fillOlderMarker(store: BlobStore): void {
  if (store.markerKeyIds()?.length !== 0) return;
  const ids = new Set(encryptedDigests(store).map((sha) => store.envelope(sha).keyId));
  if (ids.size) store.recordKeyIds([...ids]);
}

export async function keyStatus(db: Db, store: BlobStore): Promise<KeyStatus> {
  const keys = store.masterKeys();
  const byKey: Record<string, number> = {};
  const encrypted = new Set(encryptedDigests(store));
  for (const sha of encrypted) {
    const id = store.envelope(sha).keyId;
    byKey[id] = (byKey[id] ?? 0) + 1;
  }
  // The walk is done anyway: the marker learns any key id it misses (an older marker, none).
  if (Object.keys(byKey).length) store.recordKeyIds(Object.keys(byKey));
  const { encryptionThreshold } = await loadDocumentSettings(db);
  // Every content a record holds: files, customer authorisations, scanned receipts.
  const levels = await highestHolderLevel(db, 'all', documentSecrecy);
  let plainButClassified = 0;
  let encryptedNotNeeded = 0;
  for (const [sha256, level] of levels) {
    const needs = level >= secrecyRank(encryptionThreshold);
    if (needs && !encrypted.has(sha256) && store.has(sha256)) plainButClassified++;
    if (!needs && encrypted.has(sha256)) encryptedNotNeeded++;
  }
  return {
    currentKeyId: keys.current?.id ?? null,
    oldKeyId: keys.old?.id ?? null,
    byKey,
    plainButClassified,
    encryptedNotNeeded,
    threshold: encryptionThreshold,
    markerKeyIds: store.markerKeyIds(),
  };
}

export interface Rotation {
  rewrapped: number;
  already: number;
}

/**
 * Re-wraps every data key under the current master key (KEDANG_MASTER_KEY), opening each with
 * the current or the old one (KEDANG_OLD_MASTER_KEY). Every envelope is opened first: when one
 * cannot be, nothing is rewritten. Running it again after an interruption finishes the job. The
 * store's marker then lists only the new key.
 */
export function rotateKeys(store: BlobStore, keys: MasterKeys = store.masterKeys()): Rotation {
  if (!keys.current) throw new DomainError('master_key_missing', 503);
  const next = keys.current;
  const digests = encryptedDigests(store);
  const todo: string[] = [];
  for (const sha of digests) {
    const envelope = store.envelope(sha);
    if (envelope.keyId === next.id) continue;
    unwrapKey(keys, envelope, sha).fill(0);
    todo.push(sha);
  }
  // Listed before any envelope is under it, the only one once every envelope is.
  const marked = store.markerKeyIds() !== null || digests.length > 0;
  if (marked) store.recordKeyIds([next.id]);
  for (const sha of todo) store.rewrap(sha, keys, next);
  if (marked) store.writeMarker([next.id]);
  return { rewrapped: todo.length, already: digests.length - todo.length };
}

/** Every record's files in the form its level needs, in one transaction. */
export async function applyAll(ctx: Ctx, store: BlobStore): Promise<EncryptionChange> {
  return tx(ctx, async (t) => applyEncryptionFor(t, store, await documentsWithFiles(t.db)));
}
