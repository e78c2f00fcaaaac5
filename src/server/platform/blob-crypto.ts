import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { DomainError } from './errors.js';

// Encryption at rest of classified files (R-P1, 对于机密文件应当加密存储): AES-256-GCM from Node's
// crypto, a fresh random data key per stored file, that key wrapped (AES-256-GCM again) by the
// master key. The master key comes from KEDANG_MASTER_KEY (32 bytes, base64 or hex) or from the
// file KEDANG_MASTER_KEY_FILE; during a rotation the previous one from KEDANG_OLD_MASTER_KEY(_FILE).
// Nothing here is home-made: only the standard cipher, random IVs and the GCM tag.

export const CIPHER = 'aes-256-gcm';

export interface MasterKey {
  /** Fingerprint, stored beside each wrapped data key: names the key a file needs. */
  id: string;
  key: Buffer;
}

export interface MasterKeys {
  current: MasterKey | null;
  old: MasterKey | null;
}

/** The envelope of one encrypted file, stored as `<digest>.key` beside `<digest>.enc`. Its
 * rewrap (a key rotation) changes only this small file, never the encrypted content. */
export interface Envelope {
  v: 1;
  alg: 'AES-256-GCM';
  /** Id of the master key that wraps the data key. */
  keyId: string;
  /** The data key under the master key: IV (12) ‖ ciphertext (32) ‖ tag (16), base64. */
  wrapped: string;
  /** IV and tag of the content, base64. */
  iv: string;
  tag: string;
  /** SHA-256 of the encrypted file, so that backups check copies without the key. */
  cipherSha256: string;
  /** Size of the plaintext. */
  size: number;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update('kedang master key\0').update(key).digest('hex').slice(0, 16);
}

/** 32 bytes written as 64 hex digits or as base64; anything else is refused. */
export function parseMasterKey(text: string, source: string): MasterKey {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const b = Buffer.from(t, 'base64');
    if (b.length === 32) key = b;
  }
  if (!key)
    throw new Error(
      `${source} is not a master key: give 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)`,
    );
  return { id: keyId(key), key };
}

function keyFrom(env: NodeJS.ProcessEnv, name: string): MasterKey | null {
  const inline = env[name];
  if (inline) return parseMasterKey(inline, name);
  const file = env[`${name}_FILE`];
  if (!file) return null;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return parseMasterKey(text, `${name}_FILE (${file})`);
}

let cached: { sig: string; keys: MasterKeys } | null = null;

/** The master keys the environment gives, read again whenever the variables change. A malformed
 * key throws a plain Error naming the variable (the server refuses to start with one). */
export function masterKeys(env: NodeJS.ProcessEnv = process.env): MasterKeys {
  const names = [
    'KEDANG_MASTER_KEY',
    'KEDANG_MASTER_KEY_FILE',
    'KEDANG_OLD_MASTER_KEY',
    'KEDANG_OLD_MASTER_KEY_FILE',
  ];
  const sig = names.map((n) => env[n] ?? '').join('\0');
  if (cached?.sig === sig) return cached.keys;
  const keys = { current: keyFrom(env, 'KEDANG_MASTER_KEY'), old: keyFrom(env, 'KEDANG_OLD_MASTER_KEY') };
  cached = { sig, keys };
  return keys;
}

/** The master key for new encryptions; none configured is a clear refusal (nothing changed). */
export function currentKey(keys: MasterKeys): MasterKey {
  if (!keys.current) throw new DomainError('master_key_missing', 503);
  return keys.current;
}

function keyFor(keys: MasterKeys, envelope: Envelope): MasterKey {
  for (const k of [keys.current, keys.old]) if (k && k.id === envelope.keyId) return k;
  if (!keys.current && !keys.old) throw new DomainError('master_key_missing', 503);
  throw new DomainError('master_key_wrong', 503, { keyId: envelope.keyId });
}

export function wrapKey(master: MasterKey, dataKey: Buffer, sha256: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv(CIPHER, master.key, iv);
  c.setAAD(Buffer.from(sha256));
  const body = Buffer.concat([c.update(dataKey), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
}

/** The data key of an envelope; a master key that does not open it is `master_key_wrong`. */
export function unwrapKey(keys: MasterKeys, envelope: Envelope, sha256: string): Buffer {
  const master = keyFor(keys, envelope);
  const raw = Buffer.from(envelope.wrapped, 'base64');
  try {
    const d = createDecipheriv(CIPHER, master.key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(sha256));
    d.setAuthTag(raw.subarray(44, 60));
    return Buffer.concat([d.update(raw.subarray(12, 44)), d.final()]);
  } catch {
    throw new DomainError('master_key_wrong', 503, { keyId: envelope.keyId });
  }
}

/** A decipher for the content of an envelope; its tag is checked when the stream ends. */
export function contentDecipher(keys: MasterKeys, envelope: Envelope, sha256: string) {
  const d = createDecipheriv(CIPHER, unwrapKey(keys, envelope, sha256), Buffer.from(envelope.iv, 'base64'));
  d.setAAD(Buffer.from(sha256));
  d.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  return d;
}

export function newContentCipher(sha256: string) {
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv(CIPHER, dataKey, iv);
  cipher.setAAD(Buffer.from(sha256));
  return { dataKey, iv, cipher };
}

export function readEnvelope(file: string): Envelope {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Envelope;
}
