import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Config } from '../config.js';
import type { DatabaseHandle, Db } from '../db/index.js';
import type { Database } from '../db/types.js';
import { appendAnchor, readAnchorFile } from './audit/anchor.js';
import { type Anchor, describeBreak, type VerifyResult, verifyChain } from './audit/chain.js';
import { BlobStore, hashFile } from './storage.js';

// Backup and restore (R-L3): a consistent snapshot of the database (SQLite `VACUUM INTO`,
// which reads one transaction's view while the server keeps running; `pg_dump` for
// PostgreSQL) and a copy of every stored file, with a manifest of their digests. Stored files
// never change, so copying them after the snapshot is consistent: the snapshot can only
// refer to files that already exist. Restore refuses a non-empty target and checks every
// file against its digest.

const run = promisify(execFile);
const FORMAT = 1;

export interface BackupCounts {
  users: number;
  customers: number;
  documents: number;
  files: number;
  auditEntries: number;
}

export interface BackupManifest {
  format: number;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** The database file in the backup directory. */
  database: string;
  blobs: { sha256: string; size: number }[];
  /** Stored files the database knows that could not be backed up: their content no longer
   * matched the digest and no earlier backup had a good copy (`kedang check` names them). */
  missing?: { sha256: string; size: number }[];
  /** Database file and stored files (absent in backups written before it was recorded). */
  bytes?: number;
  /** Records in the snapshot. */
  counts?: BackupCounts;
  /** The snapshot's audit head, when its chain verified: a restore must reach exactly it, and
   * the data directory's anchor file gets it too (absent in older backups). */
  auditHead?: { seq: number; hash: string; at: string };
  /** The backup was read back after writing: every file against its digest and (SQLite) the
   * snapshot's integrity check — a backup failing those is not written at all — and the
   * snapshot's audit chain, whose break is recorded here (the backup keeps what there is). */
  verified?: { at: string; ok: boolean; problems: string[] };
}

export interface BackupOptions {
  /** A complete earlier backup: stored files already there are hard-linked, not copied again
   * (stored files never change, so the content is the same). */
  linkFrom?: string | null;
  onProgress?: (done: number, total: number) => Promise<void> | void;
}

export interface BackupStats {
  copied: number;
  linked: number;
  /** Stored files whose content no longer matched its digest, with no good copy at hand. */
  damaged: BackupManifest['blobs'];
}

async function countRecords(db: Db): Promise<BackupCounts> {
  const n = async (table: 'users' | 'customers' | 'documents' | 'document_files' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await n('users'),
    customers: await n('customers'),
    documents: await n('documents'),
    files: await n('document_files'),
    auditEntries: await n('audit_log'),
  };
}

/** Copies stored files from a backup into the store, each checked against its digest (restore). */
async function copyBlobs(from: BlobStore, to: BlobStore, blobs: BackupManifest['blobs']): Promise<void> {
  for (const b of blobs) {
    const target = to.pathOf(b.sha256);
    if (to.has(b.sha256)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (from.isEncrypted(b.sha256)) await copyEncrypted(from, to, b.sha256);
    else await copyChecked(from.pathOf(b.sha256), target, b.sha256);
  }
}

/**
 * An encrypted stored file is copied as it is — ciphertext and envelope, never decrypted, so a
 * backup holds no plaintext of classified files and needs no master key; the ciphertext is checked
 * against the digest its envelope records. Restoring it needs the master key of the time (or a
 * later one it was rotated to): back the key up separately (README, operations).
 */
async function copyEncrypted(from: BlobStore, to: BlobStore, sha256: string): Promise<void> {
  const envelope = from.envelope(sha256);
  fs.mkdirSync(path.dirname(to.pathOf(sha256)), { recursive: true });
  if (!fs.existsSync(to.markerPath)) fs.copyFileSync(from.markerPath, to.markerPath);
  await copyChecked(from.encPathOf(sha256), to.encPathOf(sha256), envelope.cipherSha256);
  fs.writeFileSync(to.keyPathOf(sha256), JSON.stringify(envelope), { mode: 0o600 });
}

function assertEmptyDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  fs.mkdirSync(dir, { recursive: true });
}

/** Copies one stored file while hashing it; refuses content that no longer matches its name. */
async function copyChecked(source: string, target: string, sha256: string): Promise<void> {
  const hash = createHash('sha256');
  const temp = `${target}.part`;
  try {
    await pipeline(
      fs.createReadStream(source),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      fs.createWriteStream(temp),
    );
    if (hash.digest('hex') !== sha256)
      throw new DigestMismatch(`stored file ${sha256} does not match its digest; run \`kedang check\``);
    fs.chmodSync(temp, 0o444);
    fs.renameSync(temp, target);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

class DigestMismatch extends Error {}

async function writeBlobs(
  from: BlobStore,
  to: BlobStore,
  blobs: BackupManifest['blobs'],
  opts: BackupOptions,
): Promise<BackupStats> {
  const previous = opts.linkFrom ? new BlobStore(opts.linkFrom) : null;
  const stats: BackupStats = { copied: 0, linked: 0, damaged: [] };
  let done = 0;
  for (const b of blobs) {
    const target = to.pathOf(b.sha256);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (from.isEncrypted(b.sha256)) {
      try {
        await copyEncrypted(from, to, b.sha256);
        stats.copied++;
      } catch (err) {
        if (!(err instanceof DigestMismatch) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        stats.damaged.push(b);
      }
      await opts.onProgress?.(++done, blobs.length * 2);
      continue;
    }
    const earlier = previous?.pathOf(b.sha256);
    const hasEarlier = !!earlier && fs.statSync(earlier, { throwIfNoEntry: false })?.size === b.size;
    let written = false;
    if (hasEarlier) {
      try {
        fs.linkSync(earlier, target);
        stats.linked++;
        written = true;
      } catch {
        // another file system, or links not allowed: copy
      }
    }
    // The earlier backup's copy was checked when it was written; the store's may since have
    // been damaged. Whichever matches its digest is taken.
    for (const source of written ? [] : [...(hasEarlier ? [earlier] : []), from.pathOf(b.sha256)]) {
      try {
        await copyChecked(source, target, b.sha256);
        stats.copied++;
        written = true;
        break;
      } catch (err) {
        if (!(err instanceof DigestMismatch) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    if (!written) stats.damaged.push(b);
    await opts.onProgress?.(++done, blobs.length * 2);
  }
  return stats;
}

/** Reads the backup back: every file against its digest and size. */
async function verifyBlobs(store: BlobStore, blobs: BackupManifest['blobs'], opts: BackupOptions) {
  let done = blobs.length;
  for (const b of blobs) {
    const file = store.pathOf(b.sha256);
    const good = store.isEncrypted(b.sha256)
      ? store.envelope(b.sha256).size === b.size &&
        (await hashFile(store.encPathOf(b.sha256))) === store.envelope(b.sha256).cipherSha256
      : fs.existsSync(file) && fs.statSync(file).size === b.size && (await hashFile(file)) === b.sha256;
    if (!good) throw new Error(`backup check failed: the copy of ${b.sha256} is missing or differs`);
    await opts.onProgress?.(++done, blobs.length * 2);
  }
}

/** The SQLite snapshot, opened read-only: its own integrity check, counts and audit chain. */
async function checkSqliteSnapshot(
  file: string,
  anchors: Anchor[],
): Promise<{ counts: BackupCounts; chain: VerifyResult }> {
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const check = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    if (check.length !== 1 || check[0]?.integrity_check !== 'ok')
      throw new Error(`backup check failed: the database snapshot is damaged (${JSON.stringify(check[0])})`);
    return { counts: await countRecords(db), chain: await verifyChain(db, { anchors }) };
  } finally {
    await db.destroy();
  }
}

/**
 * Writes a backup into `dir` (which must be empty or absent): the database snapshot, every
 * stored file the database knows, and `manifest.json` — last, so a directory with a manifest
 * is a complete backup. The backup is read back and checked before the manifest is written. A
 * stored file whose content was damaged is taken from the earlier backup when that has it;
 * otherwise it is left out and named in the manifest, which then records the backup as not
 * verified — a damaged file must not stop the rest of the archive from being backed up.
 */
export async function backup(
  database: DatabaseHandle,
  config: Config,
  dir: string,
  now: Date,
  opts: BackupOptions = {},
): Promise<BackupManifest & { stats: BackupStats }> {
  assertEmptyDir(dir);
  // The snapshot's chain is checked against the heads anchored so far, like the live one.
  const anchors = readAnchorFile(config.dataDir);
  let file: string;
  let blobs: BackupManifest['blobs'];
  let counts: BackupCounts;
  let chain: VerifyResult;
  const listBlobs = async (db: Db) =>
    // Destroyed content (R-X4) is not copied: it is gone from the store.
    (
      await db
        .selectFrom('blobs')
        .select(['sha256', 'size'])
        .where('destroyed_at', 'is', null)
        .orderBy('sha256')
        .execute()
    ).map((r) => ({
      sha256: r.sha256,
      size: Number(r.size),
    }));
  if (database.dialect === 'sqlite') {
    file = 'kedang.db';
    await sql`vacuum into ${path.join(dir, file)}`.execute(database.db);
    // Listed after the snapshot: a superset of the files the snapshot refers to.
    blobs = await listBlobs(database.db);
    ({ counts, chain } = await checkSqliteSnapshot(path.join(dir, file), anchors));
  } else {
    file = 'db.dump';
    // pg_dump reads the snapshot this transaction exports, so the counts, the audit chain and
    // the list of files are exactly those of the dump.
    ({ blobs, counts, chain } = await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
        await run('pg_dump', [
          '-Fc',
          '--no-owner',
          `--snapshot=${rows[0]?.id}`,
          '-f',
          path.join(dir, file),
          '--dbname',
          config.databaseUrl as string,
        ]);
        return {
          blobs: await listBlobs(trx),
          counts: await countRecords(trx),
          chain: await verifyChain(trx, { anchors }),
        };
      }));
    // The archive must be readable by pg_restore.
    await run('pg_restore', ['--list', path.join(dir, file)]);
  }
  const to = new BlobStore(dir);
  const stats = await writeBlobs(new BlobStore(config.dataDir), to, blobs, opts);
  const damaged = new Set(stats.damaged.map((d) => d.sha256));
  const kept = blobs.filter((b) => !damaged.has(b.sha256));
  await verifyBlobs(to, kept, opts);
  const problems = [
    ...(stats.damaged.length
      ? [
          `${stats.damaged.length} 个存储文件内容已损坏，未能备份：${stats.damaged.map((d) => d.sha256.slice(0, 12)).join('、')}`,
        ]
      : []),
    ...(chain.ok ? [] : [`审计日志：${describeBreak(chain, 'zh')}`]),
  ];
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: now.toISOString(),
    dialect: database.dialect,
    database: file,
    blobs: kept,
    ...(stats.damaged.length ? { missing: stats.damaged } : {}),
    bytes: fs.statSync(path.join(dir, file)).size + kept.reduce((n, b) => n + b.size, 0),
    counts,
    ...(chain.ok ? { auditHead: { seq: chain.headSeq, hash: chain.headHash, at: now.toISOString() } } : {}),
    verified: { at: new Date().toISOString(), ok: problems.length === 0, problems },
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  if (manifest.auditHead) appendAnchor(config.dataDir, manifest.auditHead, now);
  return { ...manifest, stats };
}

/** The manifest of a complete Kedang backup in `dir`, or null when `dir` is not one. */
export function readManifest(dir: string): BackupManifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    return typeof m.format === 'number' && typeof m.createdAt === 'string' && Array.isArray(m.blobs)
      ? m
      : null;
  } catch {
    return null;
  }
}

/** Restores a backup into the configured (empty) data directory and database. */
export async function restore(config: Config, dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== FORMAT) throw new Error(`unknown backup format ${manifest.format}`);
  const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.dialect !== dialect)
    throw new Error(`the backup is of a ${manifest.dialect} database; this installation uses ${dialect}`);
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (
    fs.existsSync(path.join(config.dataDir, 'kedang.db')) ||
    fs.existsSync(path.join(config.dataDir, 'blobs'))
  )
    throw new Error(`${config.dataDir} already holds data; restore into an empty data directory`);
  if (dialect === 'sqlite') {
    fs.copyFileSync(path.join(dir, manifest.database), path.join(config.dataDir, 'kedang.db'));
  } else {
    const url = config.databaseUrl as string;
    const { stdout } = await run('psql', [
      '-At',
      '-c',
      "select count(*) from information_schema.tables where table_schema = 'public'",
      url,
    ]);
    if (Number(stdout.trim()) > 0)
      throw new Error('the PostgreSQL database is not empty; restore into a new one');
    await run('pg_restore', [
      '--no-owner',
      '--exit-on-error',
      '--dbname',
      url,
      path.join(dir, manifest.database),
    ]);
  }
  await copyBlobs(new BlobStore(dir), new BlobStore(config.dataDir), manifest.blobs);
  return manifest;
}
