import fc from 'fast-check';

// Hostile and odd values the fuzzer mixes into every kind of input: what a careless client or an
// attacker sends. Kept as plain lists so a failure names a value one can read.

/** Text that must be refused or stored as typed, never crash anything. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '　',
  '\ud800',
  '\udc00x',
  'a\ud83d',
  '名称\udfff',
  '\u0000',
  '销售部\u0000',
  '\u0001\u0007\u001b[31m\u007f',
  '\r\n\t',
  'line\nbreak',
  '\u0085\u2028\u2029',
  '\u202eexe.pdf',
  'abc\u2066def\u2069',
  '\u200b\u200d\ufeff',
  '\uffff\ufffe',
  'e\u0301\u0301\u0301',
  '𠮷野家😀👨‍👩‍👧',
  'ＡＢＣ１２３',
  'مرحبا',
  "' OR 1=1 --",
  "x'; DROP TABLE users; --",
  '" OR ""="',
  '%',
  '_',
  '\\',
  '\\u0000',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  // Template injection, for engines that would evaluate it.
  '{{7*7}}$' + '{7*7}',
  '../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
];

/** One character that turns plain text into hostile text. */
export const ODD_CHARACTERS: readonly string[] = [
  '\ud800',
  '\udc00',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '\r\n',
  '<',
  "'",
  '\\',
  '%',
];

/** Dates no archive can hold, and forms that are not dates at all. */
export const ABSURD_DATES: readonly string[] = [
  '0001-01-01',
  '0000-00-00',
  '1899-12-31',
  '1900-01-01',
  '9999-12-31',
  '2026-02-30',
  '2026-02-29',
  '2024-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '20260101',
  '+275760-09-13',
  '-000001-01-01',
  '2026-01-01T25:00:00Z',
  '2026-03-01T00:00:00.000Z',
  '2026-03-01 00:00',
  'today',
];

export const VALID_DATES: readonly string[] = ['2026-03-01', '2026-02-20', '2025-12-31', '2020-06-15'];

const SHAPED_CURSOR_VALUES: readonly unknown[][] = [
  [],
  [1],
  ['a'],
  [null],
  [1, 2],
  ['a', 'b'],
  [null, null],
  [{}, []],
  [[], {}],
  [true, false],
  ['x', 1],
  [1, 'x'],
  [1e308, 'x'],
  [-1, -1],
  ['2026-03-02T01:00:00.000Z', '019a0000-0000-7000-8000-000000000000'],
  ['2026-03-02', 5],
  ['\ud800', '\u0000'],
  ["' OR 1=1 --", "'"],
  ['a', 'b', 'c'],
  [{ toString: 'x' }],
  [{ a: 1 }, { b: 2 }],
];

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');

const cursorPart: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '2026-03-02T01:00:00.000Z',
    '019a0000-0000-7000-8000-000000000000',
    'a',
    '',
    '\ud800',
    "'",
    5,
  ),
  fc.jsonValue({ maxDepth: 1 }),
);

/** Cursors of the right encoding with values of the wrong shape or type, and plain garbage. */
export const cursorArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(cursorPart, { minLength: 1, maxLength: 3 }).map((v) => b64(JSON.stringify(v))),
  },
  { weight: 2, arbitrary: fc.constantFrom(...SHAPED_CURSOR_VALUES).map((v) => b64(JSON.stringify(v))) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => b64(JSON.stringify(v) ?? 'null')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      b64('{}'),
      b64('"x"'),
      b64('42'),
      b64('null'),
      b64('not json'),
      b64(Buffer.from([0xff, 0xfe, 0x00, 0xc3])),
      'not-base64!!',
      '%%%',
      '====',
      '',
      'a'.repeat(2000),
      'a'.repeat(2001),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** A nasty string of any of the kinds above, or a random one with odd code units. */
export const nastyStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...ABSURD_DATES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(String.fromCharCode) }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', '档', '\u202e', '\ud800'), fc.integer({ min: 1_000, max: 300_000 }))
      .map(([ch, n]) => ch.repeat(n)),
  },
);

/** A JSON value of the wrong kind for whatever was expected. */
export const wrongTypeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', 'x', [], {}, [null], {
    a: 1,
  }),
  fc.jsonValue({ maxDepth: 2 }),
);

/**
 * Percent-encodes text for a URL the way a client would, except that a lone surrogate becomes
 * its (ill-formed) three UTF-8 bytes — what a broken client really sends.
 */
export function encodeComponent(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += encodeURIComponent(text.slice(i, i + 2));
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
      continue;
    }
    out += encodeURIComponent(text[i] as string);
  }
  return out;
}

/** Path segments that are not percent-encoded UTF-8 at all, or encode what no id holds. */
export const BROKEN_ENCODINGS: readonly string[] = [
  '%E0%A4%A',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%00',
  '..%2f..',
];
