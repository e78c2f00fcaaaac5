import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  signInBrowser,
  startServer,
} from './support.js';

// Borrowing in the browser (R-P2, R-P7): a salesperson asks to read another department's
// customer archive, the department manager and the general manager approve in their own
// sessions, the salesperson reads it, the clock passes the end date, and the archive is gone
// for them. The server's clock is moved through KEDANG_CLOCK_FILE. Screenshots:
// e2e/screenshots/lending-*.png.

const PASSWORD = 'Lending-e2e-2026';
const DAY = 24 * 60 * 60 * 1000;

describe('access to another department’s archive in the browser', () => {
  let server: Server;
  let b: Browser;
  let customerId: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-lending-'));
  const clock = path.join(tmp, 'clock');

  /** Signs in as someone else: a fresh session (the old one may have ended with the clock). */
  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
  };

  beforeAll(async () => {
    fs.writeFileSync(clock, '0');
    server = await startServer({ KEDANG_CLOCK_FILE: clock });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const dept = async (name: string, code: string) =>
      ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
    const sales = await dept('销售部', 'XS');
    const quality = await dept('品质部', 'ZL');
    const office = await dept('总经办', 'ZJ');
    const people = [
      { login: 'liu', name: '刘业务', roles: ['staff'], departmentId: sales },
      { login: 'li', name: '李经理', roles: ['department_manager'], departmentId: sales },
      { login: 'zhang', name: '张总', roles: ['general_manager'], departmentId: office },
      { login: 'wu', name: '吴经理', roles: ['department_manager'], departmentId: quality },
    ];
    for (const p of people) {
      await admin('POST', '/api/users', { ...p, password: 'Initial-pass-2026' });
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const wu = await api(server, 'wu', PASSWORD);
    customerId = (
      (await wu('POST', '/api/customers', {
        name: '宁波精密模具有限公司',
        category: 'key',
        kind: 'supplier',
      })) as { id: string }
    ).id;
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lets a salesperson ask for another department’s archive', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(`${server.url}/customers/${customerId}`);
    await page
      .getByText('客户档案不存在或您无权查看')
      .or(page.getByText(/不存在/))
      .first()
      .waitFor();
    await page.goto(`${server.url}/lending/new`);
    await page.getByPlaceholder(/档案编号、档号/).fill('精密模具');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByRole('cell', { name: /宁波精密模具有限公司/ }).waitFor();
    await page.getByRole('button', { name: /加\s*入/ }).click();
    await page.getByLabel('事由').fill('供应商年度评审，需要查看该供应商的档案');
    await b.shot('lending-01-new');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/lending\/requests\/[0-9a-f-]{36}$/);
    await page.getByText('等待：部门经理审批').waitFor();
    await b.shot('lending-02-submitted');
  });

  it('is approved by the department manager, then the general manager, in their own sessions', async () => {
    const { page } = b;
    const url = page.url();
    for (const [login, step] of [
      ['li', '部门经理审批'],
      ['zhang', '总经理审批'],
    ] as const) {
      await as(login);
      await page.goto(`${server.url}/lending?view=approvals`);
      await page.getByRole('link', { name: /JY\d{6}-0001/ }).click();
      await page.waitForURL(url);
      await page.getByText(`等待：${step}`).waitFor();
      if (login === 'zhang') await b.shot('lending-03-approval');
      await page
        .getByRole('button', { name: /同\s*意/ })
        .first()
        .click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /同\s*意/ })
        .click();
      await page.getByText('已处理').waitFor();
    }
    await page.getByText('已批准').first().waitFor();
  });

  it('lets the salesperson read the archive until the end date, and not after', async () => {
    const { page } = b;
    const url = page.url();
    await as('liu');
    await page.goto(url);
    await page.getByText(/已批准：可在线查阅至/).waitFor();
    await page.getByRole('link', { name: /宁波精密模具有限公司/ }).click();
    await page.getByRole('heading', { name: /宁波精密模具有限公司/ }).waitFor();
    await b.shot('lending-04-reading');

    // Eight days later the seven-day access has closed by itself.
    fs.writeFileSync(clock, String(8 * DAY));
    await as('liu');
    await page.goto(`${server.url}/customers/${customerId}`);
    await page
      .getByText(/不存在/)
      .first()
      .waitFor();
    await b.shot('lending-05-expired');
    await page.goto(url);
    await page.getByText('已到期').first().waitFor();
    const liu = await api(server, 'liu', PASSWORD);
    await expect(liu('GET', `/api/customers/${customerId}`)).rejects.toThrow(/404/);
  });

  it('shows the way back from a request that does not exist', async () => {
    const { page } = b;
    await page.goto(`${server.url}/lending/requests/01900000-0000-7000-8000-000000000000`);
    await page.getByText('借阅申请不存在，或您无权查看').waitFor();
    await b.shot('lending-05a-not-found');
    await page.getByRole('button', { name: '返回借阅申请' }).click();
    await page.waitForURL(/\/lending$/);
  });

  it('lets the administrator change the lending rules and the destruction signers', async () => {
    const { page } = b;
    await as('admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/admin/lending-config`);
    await page.getByLabel('默认期限（天）').fill('10');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('借阅规则已保存').waitFor();
    await b.shot('lending-06-rules');
    await page.goto(`${server.url}/admin/retention-config`);
    await page.getByText('签批顺序').waitFor();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('设置已保存').waitFor();
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    expect(((await admin('GET', '/api/lending/settings')) as { defaultDays: number }).defaultDays).toBe(10);
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
