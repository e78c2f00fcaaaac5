import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
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

// The customer told of a handover in the browser (R-C9): the administrator edits the notice
// template (an unknown placeholder is refused on the page); the manager's handover page shows
// which customer is mailed and which is called, and the leaver's other open items by module; after
// the handover the mail reaches a real SMTP peer with the successor's name. Screenshots:
// e2e/screenshots/handover-notice-*.png.

const PASSWORD = 'Handover-e2e-2026';

describe('handover notice: template, preview, mail', () => {
  let server: Server;
  let b: Browser;
  const received: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => {
        data += c.toString('utf8');
      });
      stream.on('end', () => {
        const body = data.split('\r\n\r\n')[1] ?? '';
        received.push(
          `${session.envelope.rcptTo.map((r) => r.address).join(',')}\n${Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')}`,
        );
        cb();
      });
    },
  });

  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await startServer({
      KEDANG_LOGIN_RATE_LIMIT: '200',
      KEDANG_SMTP_URL: `smtp://127.0.0.1:${port}`,
      KEDANG_MAIL_INTERVAL: '1',
    });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const sales = (
      (await admin('POST', '/api/departments', { name: '销售部', code: 'XS' })) as { id: string }
    ).id;
    const ids: Record<string, string> = {};
    for (const p of [
      { login: 'chen', name: '陈离职', roles: ['staff'] },
      { login: 'wang', name: '王接任', roles: ['staff'], phone: '0512-66668888', email: 'wang@example.com' },
      { login: 'li', name: '李经理', roles: ['department_manager'] },
    ]) {
      const made = (await admin('POST', '/api/users', {
        ...p,
        departmentId: sales,
        password: 'Initial-pass-2026',
      })) as { id?: string; user?: { id: string } };
      ids[p.login] = (made.user?.id ?? made.id) as string;
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const chen = await api(server, 'chen', PASSWORD);
    for (const [name, contact] of [
      ['常州信达灯饰有限公司', { name: '周经理', mobile: '13900000001', email: 'zhou@xinda.example.com' }],
      ['无锡恒通机电有限公司', { name: '孙主管', mobile: '13900000002' }],
    ] as const) {
      const c = (await chen('POST', '/api/customers', {
        name,
        category: 'general',
        kind: 'business',
        contacts: [{ ...contact, isPrimary: true }],
      })) as { id: string };
      if (name.startsWith('无锡'))
        await chen('POST', '/api/visits', {
          customerId: c.id,
          dueDate: '2099-01-10',
          way: 'phone',
          note: null,
        });
    }
    b = await openBrowser();
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await server?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('edits the template in the customer settings, refusing an unknown placeholder', async () => {
    const { page } = b;
    await as('admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/admin/customer-config?tab=settings`);
    const field = page.getByTestId('handover-template');
    await field.waitFor();
    expect(await field.inputValue()).toContain('{新负责人}');
    await field.fill('{联系人}，您好：{新经理}将负责贵司。');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('占位符 {新经理} 无法识别').waitFor();
    await b.shot('handover-notice-1-template-refused');
    await field.fill(
      '{联系人}，您好：\n今后由{新负责人}（电话 {新负责人电话}，邮箱 {新负责人邮箱}）负责{客户名称}的业务。\n{公司名称}',
    );
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('设置已保存').or(page.locator('.ant-message-success')).first().waitFor();
  });

  it('shows each customer’s notice and the open items, hands over, and the mail goes out', async () => {
    const { page } = b;
    await as('li');
    await page.goto(`${server.url}/customers/handover`);
    const pick = async (label: string, name: string) => {
      await page.getByLabel(label, { exact: true }).click();
      await page.getByLabel(label, { exact: true }).fill(name);
      await page.locator('.ant-select-dropdown:visible').getByText(name).click();
    };
    await pick('交出人', '陈离职');
    await page.getByRole('cell', { name: '常州信达灯饰有限公司' }).waitFor();
    await page.getByTestId('notice-mail').waitFor();
    await page.getByTestId('notice-call').waitFor();
    await page
      .getByTestId('handover-notice-summary')
      .getByText('1 位客户将收到邮件，1 位客户由接任者电话告知')
      .waitFor();
    await page.getByTestId('handover-open-items').getByText('回访任务').waitFor();
    await pick('接任者', '王接任');
    await page.keyboard.press('Escape');
    await b.shot('handover-notice-2-preview');
    await page.getByRole('button', { name: '确认交接' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认交接' }).click();
    await page.getByText('已交接 陈离职 负责的 2 份档案').waitFor();
    await page
      .getByText('邮件 1（已发 0）· 电话 1')
      .or(page.getByText('邮件 1（已发 1）· 电话 1'))
      .first()
      .waitFor();
    await b.shot('handover-notice-3-done');
    // The customer's mail (the successor is also told by mail, of the archives now theirs).
    const toCustomer = () => received.find((m) => m.startsWith('zhou@xinda.example.com'));
    await expect.poll(() => !!toCustomer(), { timeout: 20_000 }).toBe(true);
    expect(toCustomer()).toContain('周经理，您好');
    expect(toCustomer()).toContain('王接任');
    expect(toCustomer()).toContain('0512-66668888');
    expect(received.some((m) => m.includes('孙主管'))).toBe(false);
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
