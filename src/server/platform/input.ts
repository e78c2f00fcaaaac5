import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasBidiControls, isIllFormedText } from '../../common/text.js';
import type { FieldMessageKey } from '../../common/validation.js';
import { FieldErrors } from './errors.js';

// No ill-formed text enters Kedang (R-L1): a string with a lone surrogate, NUL or another
// control character is refused with 400 naming its field, wherever it comes from — JSON body,
// query string, path, the headers the server keeps (user agent), an uploaded file's name. One
// such string used to reach the audit trail, where the database stored other characters than
// were hashed, and the chain read as tampered from then on.

/** Request headers whose values are stored or shown (the others are only compared). */
const KEPT_HEADERS = ['user-agent'] as const;

function refuse(field: string, key: FieldMessageKey): never {
  throw new FieldErrors([{ field, key }], 'validation_failed', {}, 400);
}

/** The first ill-formed string in a parsed value (keys included), with its dotted path. */
function findIllFormed(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isIllFormedText(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIllFormed(value[i], join(path, String(i)), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  // Only parsed data; a stream (raw upload) or buffer is the route's business.
  if (ArrayBuffer.isView(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  for (const [k, v] of Object.entries(value)) {
    if (isIllFormedText(k)) return join(path, '(key)');
    const found = findIllFormed(v, join(path, k), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Refuses requests carrying ill-formed text before any schema or route sees them. */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    // Body fields are named as the schemas name them (`login`); the other parts get the prefix
    // that validation errors of the query string and path carry.
    const params = findIllFormed(req.params, 'params');
    if (params !== null) refuse(params, 'ill_formed_text');
    const query = findIllFormed(req.query, 'querystring');
    if (query !== null) refuse(query, 'ill_formed_text');
    const body = findIllFormed(req.body, '');
    if (body !== null) refuse(body || 'body', 'ill_formed_text');
    for (const name of KEPT_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string' && isIllFormedText(value)) refuse(`header.${name}`, 'ill_formed_text');
    }
  });
}

/**
 * The name of a file sent as a multipart part: refused like any other text when ill-formed,
 * and like any other name when it holds bidirectional controls. The part's content is drained
 * first, so the refusal is answered at once.
 */
export function uploadedFileName(
  part: { filename: string; file: NodeJS.ReadableStream },
  field = 'file',
): string {
  const key = isIllFormedText(part.filename)
    ? 'ill_formed_text'
    : hasBidiControls(part.filename)
      ? 'bidi_text'
      : null;
  if (key) {
    part.file.resume();
    refuse(field, key);
  }
  return part.filename;
}
