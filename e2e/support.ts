import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
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

/** Creates each person (login, name, roles, department …) with an initial password and has them
 * set `password`, as a new user does at first sign-in. */
export async function seedPeople(
  server: Server,
  people: ({ login: string } & Record<string, unknown>)[],
  password: string,
): Promise<void> {
  const admin = await api(server, 'admin', ADMIN_PASSWORD);
  for (const p of people) {
    await admin('POST', '/api/users', { ...p, password: 'Initial-pass-2026' });
    const self = await api(server, p.login, 'Initial-pass-2026');
    await self('POST', '/api/auth/password', { currentPassword: 'Initial-pass-2026', newPassword: password });
  }
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

/**
 * A PDF the page links to: fetched with the browser's session (200, application/pdf, %PDF-),
 * opened in a new tab by a click on the link as a person does, and its first page rendered into
 * the screenshots as `name`.png (skipped without poppler-utils; the PDF was checked anyway).
 */
export async function shootPdf(
  page: Page,
  server: Server,
  link: ReturnType<Page['getByRole']>,
  name: string,
): Promise<Buffer> {
  const href = (await link.getAttribute('href')) as string;
  const res = await page.request.get(`${server.url}${href}`);
  if (res.status() !== 200) throw new Error(`${href}: ${res.status()}`);
  if (!res.headers()['content-type']?.includes('application/pdf')) throw new Error(`${href}: not a PDF`);
  const body = await res.body();
  if (body.subarray(0, 5).toString() !== '%PDF-') throw new Error(`${href}: not a PDF`);
  const popup = page.waitForEvent('popup');
  await link.click();
  await (await popup).close();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-pdf-'));
  fs.writeFileSync(path.join(tmp, 'in.pdf'), body);
  try {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      path.join(tmp, 'in.pdf'),
      path.join(SCREENSHOTS, name),
    ]);
  } catch {
    // Without poppler-utils the page is not rendered; the PDF was checked above.
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return body;
}

/** The antd Select (or TreeSelect) of a form field, by its label. */
export const fieldSelect = (scope: Page | Locator, label: string) =>
  scope.locator(`.ant-form-item:has(label[title="${label}"]) .ant-select`).first();

/** Opens a single-choice antd Select/TreeSelect and picks the option with this text, then checks
 * the field shows it. On a loaded machine a click landing during the dropdown's opening
 * animation can be lost (the dropdown stays open, nothing chosen), so the pick is tried again. */
export async function pickOption(page: Page, select: Locator, text: string | RegExp): Promise<void> {
  const combobox = select.locator('input[role="combobox"]');
  const option = page
    .locator('.ant-select-dropdown:visible')
    .getByText(text, { exact: typeof text === 'string' })
    .first();
  const chosen = select.locator('.ant-select-content', { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    // Another field's dropdown may still be fading out: whether this one is open is the field's own.
    if ((await combobox.getAttribute('aria-expanded')) !== 'true') await select.click();
    await option.click();
    try {
      await chosen.waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}
