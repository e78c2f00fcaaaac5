import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, usesPostgres } from './test-support/app.js';

// The command line as an operator uses it, against a fresh database of its own.
const run = promisify(execFile);

describe('kedang command line', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-cli-'));
    const scratch = usesPostgres ? await createPgDatabase() : undefined;
    drop = scratch?.drop;
    env = {
      ...process.env,
      KEDANG_DATA_DIR: dataDir,
      DATABASE_URL: scratch?.url ?? '',
      KEDANG_ADMIN_PASSWORD: '',
      KEDANG_LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
    };
  });
  afterAll(async () => {
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const kedang = (...args: string[]) => run(process.execPath, ['bin/kedang.js', ...args], { env });

  async function freePort(): Promise<number> {
    return new Promise((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
  }

  async function serve(): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
    const port = await freePort();
    let out = '';
    const child: ChildProcess = spawn(process.execPath, ['bin/kedang.js', 'serve'], {
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(out);
      const ok = await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      url,
      output: () => out,
      stop: async () => {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      },
    };
  }

  const signIn = (url: string, login: string, password: string) =>
    fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });

  let adminPassword = '';

  it('creates the administrator on the first start, prints the password once, and keeps data across restarts', async () => {
    const first = await serve();
    const printed = first.output().match(/password: (\S+)/);
    expect(printed, first.output()).not.toBeNull();
    adminPassword = printed?.[1] as string;
    const res = await signIn(first.url, 'admin', adminPassword);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      user: { roles: string[]; mustChangePassword: boolean };
      csrfToken: string;
    };
    expect(body.user).toMatchObject({ roles: ['admin'], mustChangePassword: true });
    const health = (await (await fetch(`${first.url}/api/health`)).json()) as { database: string };
    expect(health.database).toBe(usesPostgres ? 'postgres' : 'sqlite');
    await first.stop();

    const second = await serve();
    expect(second.output()).not.toContain('password:');
    expect((await signIn(second.url, 'admin', adminPassword)).status).toBe(200);
    await second.stop();
  });

  it('migrate is idempotent', async () => {
    const { stdout } = await kedang('migrate');
    expect(stdout).toContain('Database is up to date.');
  });

  it('creates users and resets passwords', async () => {
    const created = await kedang(
      'create-user',
      '--login',
      'Archivist1',
      '--name',
      '档案员',
      '--role',
      'archivist',
      '--clearance',
      'secret',
    );
    expect(created.stdout).toContain('Created user archivist1 (archivist)');
    const initial = created.stdout.match(/Initial password \(shown once\): (\S+)/)?.[1];
    expect(initial).toBeTruthy();

    const duplicate = await kedang('create-user', '--login', 'archivist1', '--name', 'x').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(duplicate).toMatchObject({ code: 1, stderr: expect.stringContaining('login_taken') });
    const badRole = await kedang('create-user', '--login', 'y1', '--name', 'y', '--role', 'boss').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(badRole).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown role(s): boss') });

    const reset = await kedang('reset-password', 'archivist1', '--password', 'Chosen-pass-123');
    expect(reset.stdout).toContain('must be changed at the next sign-in');
    const srv = await serve();
    try {
      expect((await signIn(srv.url, 'archivist1', initial as string)).status).toBe(401);
      const ok = await signIn(srv.url, 'archivist1', 'Chosen-pass-123');
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { user: { clearance: string } }).user.clearance).toBe('secret');
    } finally {
      await srv.stop();
    }
    const unknown = await kedang('reset-password', 'ghost').catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No user with the login "ghost"'),
    });
  });

  it('verifies the audit trail written by all of the above', async () => {
    const { stdout } = await kedang('audit', 'verify');
    expect(stdout).toMatch(/Audit chain intact: \d+ entries verified/);
  });
});
