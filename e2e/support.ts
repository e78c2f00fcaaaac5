import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { commandEnv, serve, signInOver } from '../src/server/test-support/serve.js';

// The application as a newcomer runs it: `kedang serve` on a fresh data directory (SQLite),
// with the administrator password from KEDANG_ADMIN_PASSWORD; and Debian's Chromium.

export const ADMIN_PASSWORD = 'Admin-e2e-2026';
export const SCREENSHOTS = path.resolve('e2e/screenshots');

export interface Server {
  url: string;
  /** The server process, for measuring its memory. */
  pid: number;
  dataDir: string;
  output: () => string;
  /** Stops the server and removes its data directory, unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

/** Starts `kedang serve` on a fresh data directory, or again on the one given. */
export async function startServer(env: NodeJS.ProcessEnv = {}, reuseDataDir?: string): Promise<Server> {
  const dataDir = reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-'));
  // As `npm start` runs it (the young-generation limit keeps resident memory low).
  const served = await serve(
    commandEnv(dataDir, undefined, {
      KEDANG_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // The daily tasks would run at once on a fresh server after 03:00; the tests that want
      // them switch the scheduler on.
      KEDANG_SCHEDULER: 'off',
      ...env,
    }),
    { nodeArgs: ['--max-semi-space-size=4'] },
  );
  return {
    url: served.url,
    pid: served.child.pid as number,
    dataDir,
    output: served.output,
    stop: async (opts) => {
      await served.stop();
      if (!opts?.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Browser console errors and failed requests seen so far. */
  problems: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Browsers open now: a failed test prints what each one shows (see e2e/setup.ts). */
export const openBrowsers = new Set<Browser>();

/** Debian's Chromium in Chinese, in Shanghai's time zone unless told another. */
export async function openBrowser(
  opts: { timezoneId?: string; viewport?: { width: number; height: number }; mobile?: boolean } = {},
): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    locale: 'zh-CN',
    timezoneId: opts.timezoneId ?? 'Asia/Shanghai',
    viewport: opts.viewport ?? { width: 1366, height: 768 },
    // A phone: touch, the mobile viewport meta honoured, a phone's user agent.
    ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const browser: Browser = {
    context,
    page,
    problems,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      openBrowsers.delete(browser);
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
  openBrowsers.add(browser);
  return browser;
}

/** Signs in through the API; returns a function that calls it as that person (throwing on
 * an error answer), with the session's `headers` for requests it does not make. */
export async function api(server: Server, login: string, password: string) {
  const call = await signInOver(server.url, login, password);
  const checked = async (method: string, url: string, body?: unknown) => {
    const r = await call(method, url, body);
    if (r.status >= 400) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as unknown;
  };
  return Object.assign(checked, { headers: call.headers });
}

/** A 销售部 department manager (李经理) who has already set their own password. */
export async function seedManager(server: Server, login: string, password: string): Promise<void> {
  const admin = await api(server, 'admin', ADMIN_PASSWORD);
  const dept = (await admin('POST', '/api/departments', { name: '销售部', code: 'XS' })) as { id: string };
  await admin('POST', '/api/users', {
    login,
    name: '李经理',
    departmentId: dept.id,
    roles: ['department_manager'],
    password: 'Initial-pass-2026',
  });
  const manager = await api(server, login, 'Initial-pass-2026');
  await manager('POST', '/api/auth/password', {
    currentPassword: 'Initial-pass-2026',
    newPassword: password,
  });
}

export async function signInBrowser(
  b: Browser,
  server: Server,
  login: string,
  password: string,
): Promise<void> {
  const { page } = b;
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill(login);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('user-menu').waitFor();
}
