import type { AuditLogTable } from '../../db/types.js';
import { canonicalJson, chainHash, hashedContent } from './hash.js';

// Entries written before text was put in its stored form could hold a lone UTF-16 surrogate
// (a sign-in name such as "\ud800"). Their hash covered the surrogate as JSON writes it
// (`\ud800`), the database kept U+FFFD, and the chain read as edited from that entry on. Such an
// entry is proven, never re-hashed: some U+FFFD in it read back as a lone surrogate gives
// exactly its stored hash. Nobody can make an edited entry pass this proof without finding a
// SHA-256 preimage, which is why verification (chain.ts) runs it itself rather than trusting the
// `audit.repair` entry that names the entry (repair.ts).

type Row = AuditLogTable;

const TEXT_FIELDS = [
  'at',
  'actor_id',
  'actor_login',
  'action',
  'target_type',
  'target_id',
  'target_label',
  'ip',
  'outcome',
  'request_id',
] as const;

/** How many replacement characters a proof tries independently (2,049 choices each). */
const MAX_INDEPENDENT = 2;

/** The JSON escape an earlier version hashed for lone surrogate `unit` (0xd800–0xdfff). */
const jsonEscape = (unit: number) => `\\u${unit.toString(16)}`;

/**
 * Finds the lone surrogates an entry held when it was hashed: the U+FFFD characters of its text
 * fields that, written as JSON escapes, reproduce the stored hash. Returns the original values
 * of the changed fields (JSON-escaped, readable), or null when no such reading exists.
 */
export function proveLegacyEntry(row: Row): Record<string, string> | null {
  if (!TEXT_FIELDS.some((f) => row[f]?.includes('\ufffd'))) return null;
  const object = hashedContent(row);
  // Canonical JSON writes the keys sorted and U+FFFD as it is, so the body splits at each of
  // them in this order of fields.
  const order = Object.keys(object)
    .sort()
    .filter((k) => typeof object[k] === 'string' && (object[k] as string).includes('\ufffd'));
  const parts = canonicalJson(object).split('\ufffd');
  const n = parts.length - 1;
  const units: number[] = [];
  for (let u = 0xd800; u <= 0xdfff; u++) units.push(u);
  const build = (choice: (i: number) => string) => {
    let s = parts[0] as string;
    for (let i = 0; i < n; i++) s += choice(i) + parts[i + 1];
    return s;
  };
  const matches = (body: string) => chainHash(row.prev_hash, body) === row.hash;
  /** The fields as they were hashed under these choices, those that differ from the stored. */
  const original = (choice: (i: number) => string): Record<string, string> => {
    const out: Record<string, string> = {};
    let k = 0;
    for (const f of order) {
      const pieces = (object[f] as string).split('\ufffd');
      let read = pieces[0] as string;
      for (let i = 1; i < pieces.length; i++) read += choice(k++) + pieces[i];
      if (read !== object[f]) out[f] = read;
    }
    return out;
  };
  // The same surrogate everywhere (a name typed as "\ud800\ud800…"), then each independently.
  for (const u of units) {
    const choice = () => jsonEscape(u);
    if (matches(build(choice))) return original(choice);
  }
  if (n > MAX_INDEPENDENT) return null;
  const options = ['\ufffd', ...units.map(jsonEscape)];
  const pick = new Array<number>(n).fill(0);
  for (;;) {
    const choice = (i: number) => options[pick[i] as number] as string;
    if (matches(build(choice))) return original(choice);
    let i = 0;
    while (i < n && ++(pick[i] as number) >= options.length) pick[i++] = 0;
    if (i === n) return null;
  }
}
