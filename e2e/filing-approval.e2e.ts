import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  signInBrowser,
  startServer,
} from './support.js';

// 备案审批 in the browser (R-C5, seed 001 篇五): the administrator turns the setting on; the
// salesperson submits a new archive (提交备案) and sees it 待审批; the sales manager finds it in
// 我的待办 and the 待我审批备案 list, returns it with a reason; the salesperson sees the reason,
// submits again; the manager approves and it is filed. Screenshots: e2e/screenshots/filing-*.png.

const PASSWORD = 'Filing-e2e-2026';

describe('filing approval: submit, return with a reason, approve', () => {
  let server: Server;
  let b: Browser;
  let customerId = '';

  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
  };
  const confirm = () =>
    b.page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /确\s*定|OK|提交备案|批准备案/ })
      .last()
      .click();

  beforeAll(async () => {
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const sales = (
      (await admin('POST', '/api/departments', { name: '销售部', code: 'XS' })) as { id: string }
    ).id;
    for (const p of [
      { login: 'liu', name: '刘业务', roles: ['staff'] },
      { login: 'li', name: '李经理', roles: ['department_manager'] },
    ]) {
      await admin('POST', '/api/users', { ...p, departmentId: sales, password: 'Initial-pass-2026' });
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const liu = await api(server, 'liu', PASSWORD);
    customerId = (
      (await liu('POST', '/api/customers', {
        name: '常州信达灯饰有限公司',
        category: 'general',
        kind: 'business',
        registeredAddress: '常州市武进区湖塘镇 8 号',
        industry: '照明',
        region: '常州',
        contacts: [{ name: '周经理', mobile: '13900000001', isPrimary: true }],
      })) as { id: string }
    ).id;
    b = await openBrowser();
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('is turned on by the administrator in the customer settings', async () => {
    const { page } = b;
    await as('admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/admin/customer-config?tab=settings`);
    const toggle = page.getByTestId('filing-approval-switch');
    await toggle.waitFor();
    await toggle.click();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('设置已保存').or(page.locator('.ant-message-success')).first().waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await b.shot('filing-settings');
  });

  it('is submitted by the salesperson and shown waiting', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(`${server.url}/customers/${customerId}`);
    await page.getByTestId('file-button').click();
    await page.locator('.ant-modal-confirm').getByText('备案需经销售总监').waitFor();
    await confirm();
    await page.getByTestId('filing-pending-tag').waitFor();
    await page.getByTestId('filing-pending-alert').getByText('等待销售总监审批').waitFor();
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await b.shot('filing-submitted');
  });

  it('is returned by the manager with a reason, which the salesperson reads', async () => {
    const { page } = b;
    await as('li');
    await page.goto(`${server.url}/todo`);
    await page.getByTestId('filing-todo-pending').getByText('1').waitFor();
    await b.shot('filing-todo');
    await page.getByTestId('filing-todo-pending').click();
    await page.waitForURL(/\/customers\?filing=mine/);
    await page
      .getByRole('link', { name: /常州信达灯饰有限公司/ })
      .first()
      .click();
    await page.getByTestId('return-filing').click();
    // Without a reason the dialog refuses, in Chinese.
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /退\s*回/ })
      .click();
    await page.getByText('请填写退回原因').waitFor();
    await page.getByTestId('return-reason').fill('主要联系人职务未填写，请补充后再提交');
    await page.getByText('请填写退回原因').waitFor({ state: 'detached' });
    await b.shot('filing-return-dialog');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /退\s*回/ })
      .click();
    await page.getByTestId('filing-returned-alert').getByText('主要联系人职务未填写').waitFor();

    await as('liu');
    await page.goto(`${server.url}/customers/${customerId}`);
    await page.getByTestId('filing-returned-alert').getByText('主要联系人职务未填写').waitFor();
    await b.shot('filing-returned');
    await page.getByTestId('file-button').click();
    await confirm();
    await page.getByTestId('filing-pending-tag').waitFor();
  });

  it('is approved by the manager and filed', async () => {
    const { page } = b;
    await as('li');
    await page.goto(`${server.url}/customers/${customerId}`);
    await page.getByTestId('approve-filing').click();
    await confirm();
    await page.getByText('已备案').first().waitFor();
    await page.getByTestId('filing-pending-tag').waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: '变更历史' }).click();
    await page.getByText('退回备案').first().waitFor();
    await page.getByText('备案审批', { exact: true }).first().waitFor();
    await b.shot('filing-approved');
  });
});
