import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/index.js';
import { BlobStore, hashFile } from './storage.js';

// Backup and restore (R-L3): a consistent snapshot of the database (SQLite `VACUUM INTO`,
// which reads one transaction's view while the server keeps running; `pg_dump` for
// PostgreSQL) and a copy of every stored file, with a manifest of their digests. Stored files
// never change, so copying them after the snapshot is consistent: the snapshot can only
// refer to files that already exist. Restore refuses a non-empty target and checks every
// file against its digest.

const run = promisify(execFile);
const FORMAT = 1;

export interface BackupManifest {
  format: number;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** The database file in the backup directory. */
  database: string;
  blobs: { sha256: string; size: number }[];
}

/** Copies stored files from one store to another, each checked against its digest. */
async function copyBlobs(from: BlobStore, to: BlobStore, blobs: BackupManifest['blobs']): Promise<void> {
  for (const b of blobs) {
    const source = from.pathOf(b.sha256);
    const target = to.pathOf(b.sha256);
    if (fs.existsSync(target)) continue;
    if ((await hashFile(source)) !== b.sha256)
      throw new Error(`stored file ${b.sha256} does not match its digest; run \`kedang check\``);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    fs.chmodSync(target, 0o444);
  }
}

function assertEmptyDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  fs.mkdirSync(dir, { recursive: true });
}

export async function backup(
  database: DatabaseHandle,
  config: Config,
  dir: string,
  now: Date,
): Promise<BackupManifest> {
  assertEmptyDir(dir);
  let file: string;
  if (database.dialect === 'sqlite') {
    file = 'kedang.db';
    await sql`vacuum into ${path.join(dir, file)}`.execute(database.db);
  } else {
    file = 'db.dump';
    await run('pg_dump', [
      '-Fc',
      '--no-owner',
      '-f',
      path.join(dir, file),
      '--dbname',
      config.databaseUrl as string,
    ]);
  }
  // Listed after the snapshot: a superset of the files the snapshot refers to.
  // Destroyed content (R-X4) is not copied: it is gone from the store.
  const rows = await database.db
    .selectFrom('blobs')
    .select(['sha256', 'size'])
    .where('destroyed_at', 'is', null)
    .orderBy('sha256')
    .execute();
  const blobs = rows.map((r) => ({ sha256: r.sha256, size: Number(r.size) }));
  await copyBlobs(new BlobStore(config.dataDir), new BlobStore(dir), blobs);
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: now.toISOString(),
    dialect: database.dialect,
    database: file,
    blobs,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
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
