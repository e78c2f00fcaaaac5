import { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { DomainError } from './errors.js';
import { uploadedFileName } from './input.js';
import { type BlobStore, type StoredBlob, UploadBroken, UploadEmpty, UploadTooLarge } from './storage.js';

// What a client sends as a file — the request body itself (application/octet-stream) or the one
// file of a multipart form — checked before and while it is stored. No body, the wrong kind of
// body, an empty file or a form that is malformed or cut short are the client's mistakes and
// answered 400/413/415; only a failure of the server's own disk stays a 500.

/** The request body as the file's bytes: only a raw `application/octet-stream` body is one. */
export function rawFile(req: FastifyRequest): Readable {
  if (req.body instanceof Readable) return req.body;
  // JSON, text or a form went through another parser: not the file itself.
  if (req.body !== undefined || req.headers['content-type'] !== undefined)
    throw new DomainError('unsupported_media_type', 415);
  throw new DomainError('file_required', 400, {}, 'file');
}

/** The one file of a multipart form. */
export async function multipartFile(req: FastifyRequest, fileSize: number): Promise<MultipartFile> {
  if (!req.isMultipart()) throw new DomainError('unsupported_media_type', 415);
  let file: MultipartFile | undefined;
  try {
    file = await req.file({ limits: { fileSize, files: 1 } });
  } catch {
    // The parser could not read the form: no boundary, cut short, malformed part headers.
    throw new DomainError('upload_malformed', 400, {}, 'file');
  }
  if (!file) throw new DomainError('file_required', 400, {}, 'file');
  // Its name is text like any other: refused when ill-formed or carrying bidi controls, kept
  // as the name rules leave it (trimmed, invisible characters dropped).
  file.filename = uploadedFileName(file);
  return file;
}

/**
 * Runs `store` (which streams the upload somewhere) and turns the storage layer's refusals into
 * the answers the client gets; `tooLarge` names the route's limit.
 */
export async function receiving<T>(tooLarge: () => DomainError, store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (err) {
    if (err instanceof UploadTooLarge) throw tooLarge();
    if (err instanceof UploadEmpty) throw new DomainError('file_empty', 400, {}, 'file');
    if (err instanceof UploadBroken) throw new DomainError('upload_malformed', 400, {}, 'file');
    throw err;
  }
}

/**
 * A raw-body upload (`application/octet-stream`, at most `maxBytes`) stored, then handed to
 * `use` (which records it in a transaction); when `use` fails, the stored blob is removed again
 * unless another record already holds the same content.
 */
export async function rawUpload<T>(
  req: FastifyRequest & { ctx: { db: Db } },
  store: BlobStore,
  maxBytes: number,
  use: (blob: StoredBlob) => Promise<T>,
): Promise<T> {
  const limit = `${Math.round(maxBytes / 1024 / 1024)} MB`;
  const tooLarge = () => new DomainError('file_too_large', 413, { limit }, 'file');
  const stream = rawFile(req);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const blob = await receiving(tooLarge, () => store.put(stream, { maxBytes }));
  try {
    return await use(blob);
  } catch (err) {
    const known = await req.ctx.db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '=', blob.sha256)
      .executeTakeFirst();
    if (!known) store.remove(blob.sha256);
    throw err;
  }
}

/** Registers a stored blob's row (in the caller's transaction); content addressed, so once. */
export async function recordBlob(db: Db, blob: StoredBlob, now: string): Promise<void> {
  await db
    .insertInto('blobs')
    .values({ sha256: blob.sha256, size: blob.size, mime: blob.mime, created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}
