import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, usesPostgres } from './test-support/app.js';
import { commandEnv, signInOver, serve as startServer } from './test-support/serve.js';

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
    env = commandEnv(dataDir, scratch?.url, { KEDANG_ADMIN_PASSWORD: '' });
  });
  afterAll(async () => {
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const kedang = (...args: string[]) => run(process.execPath, ['bin/kedang.js', ...args], { env });

  const serve = () => startServer(env);

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

    // The password policy holds on the command line too, saying why in both languages.
    const guessable = await kedang('reset-password', 'archivist1', '--password', 'Password123').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(guessable).toMatchObject({ code: 1, stderr: expect.stringContaining('这是常用密码') });
    const personal = await kedang(
      'create-user',
      '--login',
      'liu.yang',
      '--name',
      '刘洋',
      '--password',
      'liu.yang2026',
    ).catch((e: { code: number; stderr: string }) => e);
    expect(personal).toMatchObject({ code: 1, stderr: expect.stringContaining('contains the login') });
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

  it('runs the daily tasks that are due when the scheduler is on, each once', async () => {
    const srv = await startServer({ ...env, KEDANG_SCHEDULER: 'on' });
    const backups = path.join(dataDir, 'scheduled-backups');
    try {
      const admin = await signInOver(srv.url, 'admin', adminPassword);
      const newPassword = 'Admin-cli-2026';
      await admin('POST', '/api/auth/password', { currentPassword: adminPassword, newPassword });
      adminPassword = newPassword;
      const again = await signInOver(srv.url, 'admin', adminPassword);
      // Due since midnight: the scheduler looks again as soon as the schedule is saved.
      const saved = await again('PUT', '/api/system/schedule', {
        integrityTime: '00:00',
        backupTime: '00:00',
        backupDir: backups,
      });
      expect(saved.status).toBe(200);
      let runs: { task: string; status: string; summary: { dir?: string } | null }[] = [];
      // (The lending reminders run too once 08:30 has passed in Shanghai; not the point here.)
      const watched = ['backup', 'housekeeping', 'integrity_check'];
      for (let i = 0; i < 600 && runs.filter((r) => r.status === 'succeeded').length < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        runs = (await again('GET', '/api/system/schedule/runs')).json.items.filter((r: { task: string }) =>
          watched.includes(r.task),
        );
      }
      expect(runs.map((r) => [r.task, r.status]).sort()).toEqual([
        ['backup', 'succeeded'],
        ['housekeeping', 'succeeded'],
        ['integrity_check', 'succeeded'],
      ]);
      // Into the directory set just now, or — when 03:00 had passed before the server started,
      // so the day's backup ran at once — the default one.
      const written = runs.find((r) => r.task === 'backup')?.summary?.dir as string;
      expect([backups, path.join(dataDir, 'backups')]).toContain(path.dirname(written));
      expect(fs.existsSync(path.join(written, 'manifest.json'))).toBe(true);
    } finally {
      await srv.stop();
      fs.rmSync(backups, { recursive: true, force: true });
    }
  });

  it('verifies the audit trail written by all of the above', async () => {
    const { stdout } = await kedang('audit', 'verify');
    expect(stdout).toMatch(/Audit chain intact: \d+ entries verified/);
  });
});
