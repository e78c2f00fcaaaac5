import { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError } from './errors.js';
import { uploadedFileName } from './input.js';
import { UploadBroken, UploadEmpty, UploadTooLarge } from './storage.js';

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
