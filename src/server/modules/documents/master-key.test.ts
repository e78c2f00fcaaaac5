import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { keyId } from '../../platform/blob-crypto.js';
import { BlobStore } from '../../platform/storage.js';
import { companyApp } from '../../test-support/customers.js';
import { uploadFile } from '../../test-support/documents.js';
import { freePort, serve } from '../../test-support/serve.js';

// The store knows the master keys its files are encrypted under (blobs/ENCRYPTED lists their
// ids): a server configured with an unrelated key does not start, and no file is ever encrypted
// under one, so that a store never ends up under two keys nobody chose to rotate between.

const run = promisify(execFile);

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('hex');
const KEY_WRONG = randomBytes(32).toString('base64');
const idOf = (k: string) =>
  keyId(/^[0-9a-f]{64}$/.test(k) ? Buffer.from(k, 'hex') : Buffer.from(k, 'base64'));
const [ID_A, ID_B, ID_WRONG] = [idOf(KEY_A), idOf(KEY_B), idOf(KEY_WRONG)];
process.env.KEDANG_MASTER_KEY = KEY_A;
delete process.env.KEDANG_MASTER_KEY_FILE;
delete process.env.KEDANG_OLD_MASTER_KEY;
delete process.env.KEDANG_OLD_MASTER_KEY_FILE;
afterAll(() => {
  delete process.env.KEDANG_MASTER_KEY;
  delete process.env.KEDANG_OLD_MASTER_KEY;
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const FIRST = Buffer.from('秘密级记录：第一份报价单 MK-1001');

/** Every file under the store (relative name → digest of its bytes). */
function snapshot(dataDir: string): Map<string, string> {
  const root = path.join(dataDir, 'blobs');
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out.set(path.relative(root, file), sha256(fs.readFileSync(file)));
    }
  return out;
}

describe('the store records its master keys; a start with another key is refused', () => {
  const app = companyApp();
  const store = () => new BlobStore(app.t.dataDir);
  const marker = () => fs.readFileSync(store().markerPath, 'utf8');
  let docId: string;

  /** `kedang serve` expected to refuse: its exit and what it said. */
  const refusedStart = async (keys: Record<string, string>) => {
    const port = await freePort();
    const res = await run(process.execPath, ['bin/kedang.js', 'serve'], {
      env: { ...app.t.env, KEDANG_SCHEDULER: 'off', HOST: '127.0.0.1', PORT: String(port), ...keys },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: 'started' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(res.code).toBe(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    return res.stderr;
  };
  /** `kedang serve` expected to start: it answers, then stops. */
  const starts = async (keys: Record<string, string>) => {
    const server = await serve({ ...app.t.env, KEDANG_LOG_LEVEL: 'warn', ...keys });
    try {
      expect((await fetch(`${server.url}/api/health`)).ok).toBe(true);
      return server.output();
    } finally {
      await server.stop();
    }
  };
  const keys = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['bin/kedang.js', 'keys', ...args], { env: { ...app.t.env, ...env } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('the first encryption writes the marker with the id of its master key', async () => {
    const { co } = app;
    docId = (
      await co.as.qa1.post('/api/documents', { title: '报价单', category: 'records', secrecy: 'secret' })
    ).json().id;
    expect((await uploadFile(co.as.qa1, docId, '报价.txt', FIRST)).statusCode).toBe(201);
    expect(store().isEncrypted(sha256(FIRST))).toBe(true);
    expect(store().markerKeyIds()).toEqual([ID_A]);
    expect(marker()).toContain(`\nkey ${ID_A}\n`);
  });

  it('a start with another key is refused, naming both keys and what to do; the right key starts', async () => {
    const filesBefore = snapshot(app.t.dataDir);
    const said = await refusedStart({ KEDANG_MASTER_KEY: KEY_WRONG });
    expect(said).toContain(`encrypted under master key ${ID_A}`);
    expect(said).toContain(`the configured master key is ${ID_WRONG} (KEDANG_MASTER_KEY)`);
    expect(said).toContain('KEDANG_OLD_MASTER_KEY');
    expect(said).toContain('kedang keys rotate');
    // `kedang keys apply` refuses alike, before it encrypts anything.
    const apply = await keys(['apply'], { KEDANG_MASTER_KEY: KEY_WRONG });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(`encrypted under master key ${ID_A}`);
    expect(snapshot(app.t.dataDir)).toEqual(filesBefore);
    // The right key starts, and says which it is.
    expect(await starts({ KEDANG_MASTER_KEY: KEY_A })).toContain(`master key ${ID_A}`);
    // A new key beside the right one as the old key is the start of a rotation: allowed.
    await starts({ KEDANG_MASTER_KEY: KEY_B, KEDANG_OLD_MASTER_KEY: KEY_A });
    // No key at all starts as before (encrypted files answer master_key_missing).
    expect(await starts({ KEDANG_MASTER_KEY: '' })).toContain('no master key is set');
  });

  it('no new file is encrypted under a key the store does not list (master_key_wrong, nothing kept)', async () => {
    const { co, t } = app;
    const other = Buffer.from('秘密级记录：换了密钥后的上传 MK-2002');
    const filesBefore = snapshot(t.dataDir);
    try {
      process.env.KEDANG_MASTER_KEY = KEY_WRONG;
      const res = await uploadFile(co.as.qa1, docId, '上传.txt', other);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'master_key_wrong' });
    } finally {
      process.env.KEDANG_MASTER_KEY = KEY_A;
    }
    expect(snapshot(t.dataDir)).toEqual(filesBefore);
    expect(store().has(sha256(other))).toBe(false);
    expect(store().markerKeyIds()).toEqual([ID_A]);
  });

  it('after `kedang keys rotate` the marker lists only the new key: it starts alone, the old one is refused', async () => {
    const rotated = await keys(['rotate'], { KEDANG_MASTER_KEY: KEY_B, KEDANG_OLD_MASTER_KEY: KEY_A });
    expect(rotated.stdout).toContain('Re-wrapped 1 data key(s)');
    expect(store().markerKeyIds()).toEqual([ID_B]);
    expect(await starts({ KEDANG_MASTER_KEY: KEY_B })).toContain(`master key ${ID_B}`);
    const said = await refusedStart({ KEDANG_MASTER_KEY: KEY_A });
    expect(said).toContain(`encrypted under master key ${ID_B}`);
    const status = await keys(['status'], { KEDANG_MASTER_KEY: KEY_B });
    expect(status.stdout).toContain(ID_B);
    expect(status.code).toBe(0);
    // The app of this test follows, and uploads under the new key again.
    process.env.KEDANG_MASTER_KEY = KEY_B;
    const later = Buffer.from('秘密级记录：轮换后的上传 MK-3003');
    expect((await uploadFile(app.co.as.qa1, docId, '轮换后.txt', later)).statusCode).toBe(201);
    expect(store().envelope(sha256(later)).keyId).toBe(ID_B);
    expect(store().markerKeyIds()).toEqual([ID_B]);
  });

  it('a marker of an older version (no key lines) starts with any key; `kedang keys status` fills it in', async () => {
    fs.writeFileSync(
      store().markerPath,
      'Files here are stored encrypted under a master key (KEDANG_MASTER_KEY).\n',
    );
    expect(store().markerKeyIds()).toEqual([]);
    await starts({ KEDANG_MASTER_KEY: KEY_WRONG });
    // `keys status` walks the envelopes anyway and records their keys.
    const status = await keys(['status'], { KEDANG_MASTER_KEY: KEY_B });
    expect(status.code).toBe(0);
    expect(store().markerKeyIds()).toEqual([ID_B]);
    expect(await refusedStart({ KEDANG_MASTER_KEY: KEY_WRONG })).toContain(
      `encrypted under master key ${ID_B}`,
    );
    // Without `keys status`, the first encryption adds its key.
    fs.writeFileSync(
      store().markerPath,
      'Files here are stored encrypted under a master key (KEDANG_MASTER_KEY).\n',
    );
    const more = Buffer.from('秘密级记录：旧标记之后的上传 MK-4004');
    expect((await uploadFile(app.co.as.qa1, docId, '旧标记后.txt', more)).statusCode).toBe(201);
    expect(store().markerKeyIds()).toEqual([ID_B]);
  });
});
