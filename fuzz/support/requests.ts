import fc from 'fast-check';
import { CONTRACT_PDF } from '../../src/server/test-support/documents.js';
import { fuzzValue, type JsonSchema, type Pool, textValue, validValue } from './schema.js';
import {
  BROKEN_ENCODINGS,
  cursorArb,
  encodeComponent,
  NASTY_STRINGS,
  nastyStringArb,
  wrongTypeArb,
} from './values.js';

// One generated HTTP request per fast-check run: who sends it, to which operation of the
// OpenAPI document, with which path, query, headers and body.

export interface Param {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface Operation {
  method: string;
  /** The OpenAPI path template, e.g. `/api/customers/{id}/history`. */
  path: string;
  key: string;
  pathParams: Param[];
  query: Param[];
  /** The JSON body's schema; null for routes without one (uploads take raw or multipart bodies). */
  body: JsonSchema | null;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
}

export function operationsOf(doc: unknown): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries((doc as OpenApiDoc).paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []).map((p) => ({
        name: p.name,
        schema: p.schema,
        required: p.required === true,
        in: p.in,
      }));
      out.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: op.requestBody?.content['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

/** Who sends a request: nobody, a low-clearance staff member, an archivist, an administrator. */
export type Role = 'anon' | 'low' | 'archivist' | 'admin';

export interface FuzzRequest {
  role: Role;
  /** A signed-in write without its CSRF token. */
  dropCsrf: boolean;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Which kind of body this is, for the failure message. */
  body: string;
}

export function excerpt(payload: string | Buffer | undefined, max = 300): string {
  if (payload === undefined) return '(none)';
  const text = typeof payload === 'string' ? payload : payload.toString('latin1');
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return `${shown} (${typeof payload === 'string' ? text.length : payload.length} ${typeof payload === 'string' ? 'chars' : 'bytes'})`;
}

export function describeRequest(r: FuzzRequest): string {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('; ');
  const url = r.url.length > 300 ? `${r.url.slice(0, 300)}… (${r.url.length} chars)` : r.url;
  return `${r.role}${r.dropCsrf ? ' (no CSRF token)' : ''} ${r.method} ${url}\n  headers: ${headers || '(none)'}\n  body [${r.body}]: ${excerpt(r.payload)}`;
}

const withToString = (r: FuzzRequest): FuzzRequest =>
  Object.defineProperty(r, fc.toStringMethod, { value: () => describeRequest(r), enumerable: false });

// Bodies ------------------------------------------------------------------------------------

interface Body {
  body: string;
  payload?: string | Buffer;
  contentType?: string;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const WRONG_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'multipart/form-data',
  'application/octet-stream',
  'image/png',
  ';;;',
];

function jsonBodies(schema: JsonSchema, pool: Pool, bodyLimit: number): fc.Arbitrary<Body> {
  const json = (v: unknown) => JSON.stringify(v) ?? 'null';
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fuzzValue(schema, 'body', pool), fc.constantFrom(...JSON_TYPES))
        .map(([v, ct]) => ({ body: 'json', payload: json(v), contentType: ct })),
    },
    {
      weight: 5,
      arbitrary: validValue(schema, 'body', pool).map((v) => ({
        body: 'valid json',
        payload: json(v),
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: wrongTypeArb.map((v) => ({
        body: 'wrong top-level type',
        payload: json(v),
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { body: 'missing' },
        { body: 'missing, typed json', contentType: 'application/json' },
        { body: 'empty', payload: '', contentType: 'application/json' },
        { body: 'whitespace', payload: ' \n', contentType: 'application/json' },
        { body: 'null', payload: 'null', contentType: 'application/json' },
        { body: 'proto', payload: '{"__proto__":{"isAdmin":true}}', contentType: 'application/json' },
        {
          body: 'constructor',
          payload: '{"constructor":{"prototype":{"isAdmin":true}}}',
          contentType: 'application/json',
        },
        {
          body: 'deep',
          payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
          contentType: 'application/json',
        },
        { body: 'bom', payload: '\ufeff{}', contentType: 'application/json' },
        { body: 'huge', payload: json({ name: 'x'.repeat(bodyLimit + 1) }), contentType: 'application/json' },
      ),
    },
    {
      weight: 2,
      arbitrary: validValue(schema, 'body', pool)
        .map(json)
        .chain((text) =>
          fc.nat({ max: Math.max(0, text.length - 1) }).map((at) => ({
            body: 'truncated json',
            payload: text.slice(0, at),
            contentType: 'application/json',
          })),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validValue(schema, 'body', pool), fc.constantFrom(...WRONG_TYPES))
        .map(([v, ct]) => ({ body: 'wrong content type', payload: json(v), contentType: ct })),
    },
    {
      weight: 1,
      arbitrary: nastyStringArb.map((s) => ({
        body: 'garbage',
        payload: s,
        contentType: 'application/json',
      })),
    },
    { weight: 1, arbitrary: uploadBodies(bodyLimit) },
  );
}

/** A multipart/form-data body, right or broken in one of the ways clients break it. */
function multipartBody(
  parts: { name: string; filename?: string; type?: string; data: Buffer }[],
  flaw: 'none' | 'no boundary' | 'wrong boundary' | 'no closing' | 'truncated',
  cut: number,
): Body {
  const boundary = '----fuzzBoundary7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  if (flaw !== 'no closing') chunks.push(Buffer.from(`--${boundary}--\r\n`));
  let payload = Buffer.concat(chunks);
  if (flaw === 'truncated') payload = payload.subarray(0, cut % Math.max(1, payload.length));
  const contentType =
    flaw === 'no boundary'
      ? 'multipart/form-data'
      : flaw === 'wrong boundary'
        ? 'multipart/form-data; boundary=other'
        : `multipart/form-data; boundary=${boundary}`;
  return { body: `multipart${flaw === 'none' ? '' : ` (${flaw})`}`, payload, contentType };
}

const CSV = Buffer.from('名称,类别,性质\n深圳华星电子有限公司,general,business\n');

function fileContents(limit: number): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.constantFrom(
      CONTRACT_PDF,
      CSV,
      Buffer.alloc(0),
      Buffer.from('%PDF-1.7\n%broken'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('PK\u0003\u0004 not a zip'),
      Buffer.from('{"file":"x"}'),
    ),
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    fc.constant(limit).map((n) => Buffer.alloc(n + 1, 0x41)),
  );
}

const FILE_NAMES = ['合同.pdf', 'import.csv', '客户.xlsx', 'x.txt', 'a.exe', '', '.', '..', '../../x.pdf'];

function uploadBodies(limit: number): fc.Arbitrary<Body> {
  const fileName = fc.oneof(
    fc.constantFrom(...FILE_NAMES),
    fc.constantFrom(...NASTY_STRINGS).map((s) => `${s}.csv`),
  );
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('file', 'upload', ''),
          fileName,
          fc.constantFrom(undefined, 'application/pdf', 'text/csv', 'application/octet-stream', '\u0000'),
          fileContents(limit),
          fc.boolean(),
          fc.constantFrom(
            'none',
            'none',
            'no boundary',
            'wrong boundary',
            'no closing',
            'truncated',
          ) as fc.Arbitrary<'none' | 'no boundary' | 'wrong boundary' | 'no closing' | 'truncated'>,
          fc.nat(),
        )
        .map(([field, filename, type, data, twice, flaw, cut]) => {
          const part = { name: field, filename, type, data };
          const parts = twice ? [{ name: 'note', data: Buffer.from('附言') }, part, part] : [part];
          return multipartBody(parts, flaw, cut);
        }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        multipartBody([{ name: 'note', data: Buffer.from('无文件') }], 'none', 0),
        multipartBody([], 'none', 0),
        { body: 'multipart (empty)', payload: '', contentType: 'multipart/form-data; boundary=x' },
        { body: 'multipart (garbage)', payload: 'hello', contentType: 'multipart/form-data; boundary=x' },
      ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fileContents(limit),
          fc.constantFrom('application/octet-stream', undefined, 'text/plain', 'application/pdf'),
        )
        .map(([data, ct]) => ({ body: 'raw file', payload: data, contentType: ct })),
    },
  );
}

function bodylessBodies(limit: number): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<Body>({ body: 'none' }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { body: 'json', payload: '{"x":1}', contentType: 'application/json' },
        { body: 'empty json', payload: '', contentType: 'application/json' },
        { body: 'bad json', payload: '{"x":', contentType: 'application/json' },
        { body: 'text', payload: 'hello', contentType: 'text/plain' },
      ),
    },
    { weight: 4, arbitrary: uploadBodies(limit) },
  );
}

// Requests ----------------------------------------------------------------------------------

function pathValue(p: Param, path: string, pool: Pool): fc.Arbitrary<string> {
  // `{id}` is named by the resource before it: `/api/documents/{id}` holds a document's id.
  const resource = p.name === 'id' ? `id@${path.split(`/{${p.name}}`)[0]?.split('/').pop()}` : p.name;
  return fc.oneof(
    { weight: 7, arbitrary: textValue(p.schema, resource, pool, false).map(encodeComponent) },
    { weight: 2, arbitrary: textValue(p.schema, p.name, pool, true).map(encodeComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ENCODINGS) },
  );
}

/**
 * Valid values for some of the parameters, and at most one of them broken (a cursor, when the
 * route has one, is a hand-made one more often than not).
 */
function queryString(params: Param[], pool: Pool): fc.Arbitrary<string> {
  const extras = fc.constantFrom('&unknown=1', '&=', '&%ZZ=1', '&limit=1&limit=2', '&a[b]=c', '&__proto__=1');
  const values = fc.tuple(
    ...params.map((p): fc.Arbitrary<string | undefined> => {
      const value = p.name === 'cursor' ? cursorArb : textValue(p.schema, p.name, pool, false);
      return p.required ? value : fc.option(value, { freq: 2, nil: undefined });
    }),
  );
  const broken =
    params.length === 0
      ? fc.constant(null)
      : fc
          .integer({ min: 0, max: params.length - 1 })
          .chain((i) =>
            textValue((params[i] as Param).schema, (params[i] as Param).name, pool, true).map(
              (v) => [i, v] as const,
            ),
          );
  const fault = fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: broken.map((b) => ({ broken: b, extra: '' })) },
    { weight: 1, arbitrary: extras.map((extra) => ({ broken: null, extra })) },
  );
  return fc.tuple(values, fault).map(([vals, f]) => {
    const pairs = params
      .map((p, i) => {
        const v = f?.broken && f.broken[0] === i ? f.broken[1] : vals[i];
        return v === undefined ? '' : `${p.name}=${encodeComponent(v)}`;
      })
      .filter(Boolean);
    const text = pairs.join('&') + (f?.extra ?? '');
    return text ? `?${text.replace(/^&/, '')}` : '';
  });
}

export function requestArb(op: Operation, pool: Pool, limit: number): fc.Arbitrary<FuzzRequest> {
  const roles = fc.oneof(
    { weight: 1, arbitrary: fc.constant<Role>('anon') },
    { weight: 2, arbitrary: fc.constant<Role>('low') },
    { weight: 2, arbitrary: fc.constant<Role>('archivist') },
    { weight: 2, arbitrary: fc.constant<Role>('admin') },
  );
  const body = op.body ? jsonBodies(op.body, pool, limit) : bodylessBodies(limit);
  return fc
    .record({
      role: roles,
      dropCsrf: fc.oneof(
        { weight: 19, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      path: fc.tuple(...op.pathParams.map((p) => pathValue(p, op.path, pool))),
      query: queryString(op.query, pool),
      body,
      english: fc.boolean(),
    })
    .map(({ role, dropCsrf, path, query, body, english }) => {
      let i = 0;
      const url = op.path.replace(/\{[^}]+\}/g, () => path[i++] ?? '') + query;
      const headers: Record<string, string> = {};
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      if (english) headers['accept-language'] = 'en';
      return withToString({
        role,
        dropCsrf,
        method: op.method,
        url,
        headers,
        body: body.body,
        ...(body.payload === undefined ? {} : { payload: body.payload }),
      });
    });
}
