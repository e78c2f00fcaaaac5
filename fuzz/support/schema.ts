import fc from 'fast-check';
import {
  ABSURD_DATES,
  cursorArb,
  nastyStringArb,
  ODD_CHARACTERS,
  VALID_DATES,
  wrongTypeArb,
} from './values.js';

// Arbitraries from the JSON schemas that zod emits into the OpenAPI document. The document is
// all the fuzzer knows of a route: a new route or field is fuzzed without touching this file.
// Only the keywords zod produces are read (type, enum, properties, required, items, anyOf,
// nullable, lengths, bounds, pattern); refinements zod cannot express (plain text, dates) are
// guessed from the field name, so that valid requests get past validation often enough.

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
}

/** What the generators know of the seeded data: real ids, so paths and bodies sometimes hit. */
export interface Pool {
  /** The newest ids of each table. */
  ids: Record<string, string[]>;
  logins: string[];
  password: string;
}

/** The table an id field or path parameter points into, from its name (`customerId`, `ownerIds`)
 * or, for a path's `{id}`, the resource before it (`id@documents`). */
const ID_TABLES: [RegExp, string[]][] = [
  [/^id@(documents|obsolete-versions)$|^documentIds?$|DocumentId$/, ['documents']],
  [/^id@customers$|^customerId$|^sourceId$/, ['customers']],
  [
    /^id@users$|^(user|owner|fromUser|toUser|actor|handler|responsibleUser|assignee)Ids?$|^(witness|member)Ids$/,
    ['users'],
  ],
  [/^id@departments$|^(department|parent|responsibleDepartment|dept)Id$/, ['departments']],
  [/^id@orders$/, ['orders']],
  [/^id@(disposals)$/, ['disposals']],
  [/^id@appraisals$|^appraisalId$/, ['appraisals']],
  [/^id@holds$/, ['holds']],
  [/^id@access-requests$|^requestId$/, ['access_requests']],
  [/^id@loans$|^loanId$/, ['loans']],
  [/^id@jobs$|^jobId$/, ['jobs']],
  [/^id@notifications$/, ['notifications']],
  [/^id@checks$/, ['integrity_reports']],
  [/^id@tokens$/, ['api_tokens']],
  [/^id@custom-fields$/, ['custom_fields']],
  [/^fileId$/, ['document_files', 'case_files']],
  [/^id@cases$|^caseId$/, ['cases']],
  [/^id@actions$|^actionId$/, ['corrective_actions']],
  [/^id@visits$/, ['visit_tasks']],
  [/^versionId$/, ['document_versions']],
  [/^contactId$/, ['contacts']],
  [/^copyId$/, ['document_copies']],
  [/^grantId$/, ['customer_grants']],
  [/^itemIds?$|^checkedItemIds$/, ['disposal_items', 'appraisal_items']],
  [/^appraisalItemId$/, ['appraisal_items']],
  [/^targetId$|^target$/, ['documents', 'customers']],
];

function idsFor(pool: Pool, name: string): string[] {
  const all = Object.values(pool.ids).flat();
  const tables = ID_TABLES.find(([re]) => re.test(name))?.[1];
  const own = tables?.flatMap((table) => pool.ids[table] ?? []) ?? [];
  // Mostly an id of the right kind; now and then a real id of another kind.
  return own.length ? [...own, ...own, ...own, ...all.slice(0, own.length)] : all;
}

const isDateName = (name: string) => /(date|Date|On$|^from$|^to$|[Dd]ue$|Until$|^day$)/.test(name);
const isIdName = (name: string) => /(^id$|^id@|Id$|Ids$|^ids$|^target$)/.test(name);

const plainText = fc.constantFrom(
  '销售部',
  '华东客户',
  '合同',
  '质量协议',
  '图纸 A/0',
  '客户审核需要',
  'ABC-01',
  'note',
  '深圳华星电子有限公司',
);

/** A valid string for the field: from the pool for ids, a date for dates, plain text otherwise. */
function boundedString(s: JsonSchema, name: string, pool: Pool): fc.Arbitrary<string> {
  if (s.pattern === '^[0-9a-f]{64}$') return fc.stringMatching(/^[0-9a-f]{64}$/);
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Number.POSITIVE_INFINITY;
  const sized = (a: fc.Arbitrary<string>) =>
    a.map((v) => (v.length < min ? v.padEnd(min, 'x') : v)).filter((v) => v.length <= max);
  if (isIdName(name)) {
    const ids = idsFor(pool, name);
    if (ids.length) return sized(fc.constantFrom(...ids));
  }
  if (isDateName(name)) return sized(fc.constantFrom(...VALID_DATES));
  if (name === 'login' || name === 'fromUserId')
    return sized(fc.oneof(fc.constantFrom(...pool.logins), fc.stringMatching(/^[a-z]{3,8}[0-9]{0,3}$/)));
  if (/password/i.test(name)) return fc.constantFrom(pool.password, 'Zq8!vLm#2pRt-fuzz', 'wrong-password');
  if (name === 'email') return fc.constant('fuzz@example.com');
  if (/phone|mobile/i.test(name)) return fc.constantFrom('0755-28780808', '13800138000');
  if (/website|url/i.test(name)) return fc.constant('https://example.com');
  if (name === 'creditCode') return fc.constantFrom('91440300000000001X', '91440300MA5EXAMPLE');
  if (/code$/i.test(name) || name === 'key') return sized(fc.stringMatching(/^[a-z][a-z0-9_]{1,7}$/));
  return sized(plainText);
}

function number(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? -1000;
  const max = s.maximum ?? 1_000_000;
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 2 ** 31)) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A value the schema accepts (as far as the document tells). */
export function validValue(s: JsonSchema, name: string, pool: Pool, depth = 0): fc.Arbitrary<unknown> {
  const base = validInner(s, name, pool, depth);
  return s.nullable
    ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) })
    : base;
}

function validInner(s: JsonSchema, name: string, pool: Pool, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches?.length) return fc.oneof(...branches.map((b) => validValue(b, name, pool, depth)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return boundedString(s, name, pool);
    case 'integer':
      return number(s, true);
    case 'number':
      return number(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = s.items ?? {};
      const min = s.minItems ?? 0;
      return fc.array(validValue(items, singular(name), pool, depth + 1), {
        minLength: min,
        maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)),
      });
    }
    case 'object':
      return objectValue(s, depth, (p, n) => validValue(p, n, pool, depth + 1));
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

const singular = (name: string) => (name.endsWith('Ids') ? name.slice(0, -1) : name);

function objectValue(
  s: JsonSchema,
  depth: number,
  field: (schema: JsonSchema, name: string) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  if (props.length === 0) {
    if (typeof s.additionalProperties === 'object' && depth < 3)
      return fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), field(s.additionalProperties, 'value'), {
        maxKeys: 3,
      });
    return fc.constant({});
  }
  const required = new Set(s.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, schema] of props) model[key] = field(schema, key);
  return fc.record(model, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
}

/** A value of the wrong kind for any field: a wrong type, hostile text, an absurd date, far too long. */
export const brokenAny: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: wrongTypeArb },
  { weight: 4, arbitrary: nastyStringArb },
  { weight: 2, arbitrary: fc.constantFrom(...ABSURD_DATES) },
  { weight: 1, arbitrary: cursorArb },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', '档'), fc.constantFrom(41, 65, 101, 201, 256, 1001, 2001, 10_001))
      .map(([c, n]) => c.repeat(n)),
  },
);

type Path = (string | number)[];

/** Every place in a JSON value: the root, each key of each object, each element of each array. */
function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) pathsOf(x, [...at, i], out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

/** The object with one more own key (also `__proto__`, which plain assignment would not add). */
function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = { ...obj };
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

interface Mutation {
  kind: 'replace' | 'inject' | 'drop' | 'extra';
  index: number;
  value: unknown;
  key: string;
  char: string;
}

function mutate(v: unknown, m: Mutation): unknown {
  const paths = pathsOf(v);
  const target = paths[m.index % paths.length] as Path;
  const change = (node: unknown, rest: Path): unknown => {
    if (rest.length === 0) {
      // Text that looks right but for one character (a lone surrogate, NUL, a bidi override…).
      if (m.kind === 'inject' && typeof node === 'string') {
        const at = m.index % (node.length + 1);
        return node.slice(0, at) + m.char + node.slice(at);
      }
      if (m.kind === 'extra' && node && typeof node === 'object' && !Array.isArray(node))
        return withKey(node as Record<string, unknown>, m.key, m.value);
      return m.value;
    }
    const [head, ...tail] = rest as [string | number, ...Path];
    if (Array.isArray(node)) {
      const copy = [...node];
      if (tail.length === 0 && m.kind === 'drop') copy.splice(head as number, 1);
      else copy[head as number] = change(copy[head as number], tail);
      return copy;
    }
    const obj = node as Record<string, unknown>;
    if (tail.length === 0 && m.kind === 'drop') {
      const { [head]: _dropped, ...rest2 } = obj;
      return rest2;
    }
    return withKey(obj, String(head), change(obj[head], tail));
  };
  return change(v, target);
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'inject', 'inject', 'drop', 'extra'),
  char: fc.constantFrom(...ODD_CHARACTERS),
  index: fc.nat(),
  value: brokenAny,
  key: fc.constantFrom('isAdmin', '__proto__', 'constructor', 'id', 'createdBy', '$where', 'x'),
});

/**
 * What the schema accepts, or that with one thing broken: a field replaced by a value of the
 * wrong kind, a field dropped, an unknown field added. One fault at a time, so that the fault
 * reaches the code behind the check that would refuse any of several faults.
 */
export function fuzzValue(s: JsonSchema, name: string, pool: Pool): fc.Arbitrary<unknown> {
  return fc
    .tuple(validValue(s, name, pool), fc.option(mutationArb, { freq: 3 }))
    .map(([v, m]) => (m ? mutate(v, m) : v));
}

/** A value the schema (or the field's meaning) refuses. */
export function brokenValue(s: JsonSchema, name: string): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const options: fc.Arbitrary<unknown>[] = [wrongTypeArb, nastyStringArb];
  if (type === 'string' || s.enum) {
    if (s.maxLength !== undefined)
      options.push(fc.constant('档'.repeat(s.maxLength + 1)), fc.constant('x'.repeat(s.maxLength + 1)));
    if (isDateName(name)) options.push(fc.constantFrom(...ABSURD_DATES));
    if (name === 'cursor') options.push(cursorArb);
  }
  if (type === 'integer' || type === 'number')
    options.push(
      fc.constantFrom(-1, 0, 1.5, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER),
      fc.constantFrom('1', '1e3', 'NaN', 'Infinity'),
    );
  return fc.oneof(...options);
}

/** A query-string or path value: text, valid or not (query strings carry no types). */
export function textValue(s: JsonSchema, name: string, pool: Pool, broken: boolean): fc.Arbitrary<string> {
  const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  if (!broken)
    return validValue(s, name, pool).map((v) =>
      Array.isArray(v) ? v.map(asText).join(',') : v === null ? '' : asText(v),
    );
  const injected = fc
    .tuple(validValue(s, name, pool), fc.constantFrom(...ODD_CHARACTERS), fc.nat())
    .map(([v, c, i]) => {
      const text = asText(v);
      return text.slice(0, i % (text.length + 1)) + c + text.slice(i % (text.length + 1));
    });
  return fc.oneof(
    { weight: 2, arbitrary: injected },
    { weight: 3, arbitrary: brokenValue(s, name).map(asText) },
    { weight: 1, arbitrary: brokenAny.map(asText) },
    ...(name === 'cursor' ? [{ weight: 4, arbitrary: cursorArb }] : []),
  );
}
