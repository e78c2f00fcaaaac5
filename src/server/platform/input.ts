import type { FastifyInstance, FastifyRequest } from 'fastify';
import { textFault } from '../../common/text.js';
import { type FieldMessageKey, fileNameParam } from '../../common/validation.js';
import { FieldErrors } from './errors.js';

// No ill-formed text enters Kedang (R-L1): a string with a lone surrogate, NUL or another
// control character is refused with 400 naming its field, wherever it comes from — JSON body,
// query string, path, the headers the server keeps (user agent), an uploaded file's name. One
// such string used to reach the audit trail, where the database stored other characters than
// were hashed, and the chain read as tampered from then on. Bidirectional controls are refused
// the same way: invisible, they make a name, a reason or a remark read as something else to the
// approver (「…协议符字制控」).

/** Request headers whose values are stored or shown (the others are only compared). */
const KEPT_HEADERS = ['user-agent'] as const;

function refuse(field: string, key: FieldMessageKey): never {
  throw new FieldErrors([{ field, key }], 'validation_failed', {}, 400);
}

/** The first string in a parsed value (keys included) that cannot be taken, with its dotted path. */
function findIllFormed(
  value: unknown,
  path: string,
  depth = 0,
): { path: string; key: 'ill_formed_text' | 'bidi_text' } | null {
  if (typeof value === 'string') {
    const key = textFault(value);
    return key ? { path, key } : null;
  }
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
    const key = textFault(k);
    if (key) return { path: join(path, '(key)'), key };
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
    const found =
      findIllFormed(req.params, 'params') ??
      findIllFormed(req.query, 'querystring') ??
      findIllFormed(req.body, '');
    if (found) refuse(found.path || 'body', found.key);
    for (const name of KEPT_HEADERS) {
      const value = req.headers[name];
      const key = typeof value === 'string' ? textFault(value) : null;
      if (key) refuse(`header.${name}`, key);
    }
  });
}

/**
 * The name of a file sent as a multipart part: the same rules as a name sent as `?name=` (text
 * that can be stored, no direction controls, one line, invisible characters dropped). The part's
 * content is drained first when it is refused, so the refusal is answered at once.
 */
export function uploadedFileName(
  part: { filename: string; file: NodeJS.ReadableStream },
  field = 'file',
): string {
  const key = textFault(part.filename);
  const parsed = key ? null : fileNameParam.safeParse(part.filename);
  if (key || !parsed?.success) {
    part.file.resume();
    const issue = parsed && !parsed.success ? parsed.error.issues[0] : undefined;
    const fromSchema = (issue as { params?: { key?: FieldMessageKey } } | undefined)?.params?.key;
    refuse(field, key ?? fromSchema ?? 'required');
  }
  return parsed.data;
}
