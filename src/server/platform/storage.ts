import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { tempUploadName } from './housekeeping.js';
import { newId } from './ids.js';

// Files as immutable blobs addressed by their SHA-256 (R-D6): an upload streams to a temporary
// file while it is hashed, then moves to blobs/ab/cd/<digest>. Identical content is stored
// once; a stored blob is read-only and never rewritten. Memory stays flat for any size.

export interface StoredBlob {
  sha256: string;
  size: number;
  /** Detected from the content, never taken from the file name. */
  mime: string;
  /** This upload put the content into the store (it was not there before). */
  created?: boolean;
}

export class UploadTooLarge extends Error {}
/** The upload had no bytes at all. */
export class UploadEmpty extends Error {}
/** The client's body broke off or was malformed (a multipart part cut short), as opposed to
 * the disk failing while it was written. */
export class UploadBroken extends Error {}

/**
 * Streams an upload through `steps` into `sink`: a failure of the source is the client's
 * (UploadBroken), anything else the server's; returns once the sink is closed, so that a
 * temporary file removed afterwards cannot be created again by a late open.
 */
export async function receiveUpload(source: Readable, sink: Writable, ...steps: Transform[]): Promise<void> {
  let sourceFailed = false;
  const onError = () => {
    sourceFailed = true;
  };
  source.once('error', onError);
  try {
    await pipeline([source, ...steps, sink]);
  } catch (err) {
    if (!sink.closed) await once(sink, 'close').catch(() => undefined);
    if (err instanceof UploadTooLarge) throw err;
    // The source may have failed before it reached here (a form cut short is read ahead).
    throw sourceFailed || source.errored ? new UploadBroken() : err;
  } finally {
    source.off('error', onError);
  }
}

const SNIFF_BYTES = 8192;
const WRITE_CHUNK = 1024 * 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark binary data
const CONTROL = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;

/** Text when the start decodes as UTF-8, or as GBK (Windows Notepad in China), without control
 * characters; otherwise an unknown binary. */
function sniffText(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    // A multi-byte character may be cut at the end of the sample.
    const head = buf.subarray(0, n === SNIFF_BYTES ? n - 4 : n);
    if (n === 0) return 'application/octet-stream';
    for (const encoding of ['utf-8', 'gbk']) {
      try {
        const text = new TextDecoder(encoding, { fatal: true }).decode(head);
        if (!CONTROL.test(text)) return 'text/plain';
      } catch {
        // not this encoding
      }
    }
    return 'application/octet-stream';
  } finally {
    fs.closeSync(fd);
  }
}

/** The SHA-256 of a file on disk, read as a stream. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export async function detectType(file: string): Promise<string> {
  const detected = await fileTypeFromFile(file);
  return detected?.mime ?? sniffText(file);
}

export class BlobStore {
  readonly root: string;
  private readonly tmp: string;

  constructor(readonly dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    this.tmp = path.join(dataDir, 'tmp', 'uploads');
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  open(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256));
  }

  /** Removes a stored file for good (electronic destruction, R-X4); gone already is fine. */
  remove(sha256: string): void {
    const file = this.pathOf(sha256);
    if (!fs.existsSync(file)) return;
    fs.chmodSync(file, 0o644);
    fs.rmSync(file, { force: true });
  }

  /**
   * Streams `source` into the store. Beyond `maxBytes`, or when `truncated` says the source
   * stopped at its own limit (multipart), nothing is kept and UploadTooLarge is thrown; nothing
   * either for an empty upload (UploadEmpty) or one that broke off (UploadBroken).
   */
  async put(
    source: Readable,
    limits: { truncated?: () => boolean; maxBytes?: number } = {},
  ): Promise<StoredBlob> {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    fs.mkdirSync(this.tmp, { recursive: true });
    const temp = path.join(this.tmp, tempUploadName(newId()));
    const hash = createHash('sha256');
    let size = 0;
    try {
      await receiveUpload(
        source,
        // Larger writes than the default 16 KB: fewer trips to the disk thread pool.
        fs.createWriteStream(temp, { highWaterMark: WRITE_CHUNK }),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(size > maxBytes ? new UploadTooLarge() : null, chunk);
          },
        }),
      );
      if (limits.truncated?.()) throw new UploadTooLarge();
      if (size === 0) throw new UploadEmpty();
      const sha256 = hash.digest('hex');
      const mime = await detectType(temp);
      const target = this.pathOf(sha256);
      let created = false;
      if (fs.existsSync(target)) {
        fs.rmSync(temp);
        // Fresh again: the sweep of unknown files leaves it alone while this upload commits.
        try {
          const now = new Date();
          fs.utimesSync(target, now, now);
        } catch {
          // not ours to touch (restored by another user); the sweep's claim still protects it
        }
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.chmodSync(temp, 0o444);
        fs.renameSync(temp, target);
        created = true;
      }
      return { sha256, size, mime, created };
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
}
