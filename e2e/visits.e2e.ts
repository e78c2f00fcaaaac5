import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../src/common/time.js';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  signInBrowser,
  startServer,
} from './support.js';

// Follow-up visits in the browser (R-V1, R-V2, R-W1): a salesperson's archive filed with its first
// purchase gets its visit plan; a visit due today shows on 我的待办 and 我的回访, is recorded from
// there and lands in the archive's 回访 tab and timeline; the administrator sees the plan rules.
// Screenshots: e2e/screenshots/visits-*.png.

const PASSWORD = 'Visits-e2e-2026';

describe('follow-up visits in the browser', () => {
  let server: Server;
  let b: Browser;
  let customerId = '';

  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
  };

  beforeAll(async () => {
    server = await startServer();
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const sales = (
      (await admin('POST', '/api/departments', { name: '销售部', code: 'XS' })) as { id: string }
    ).id;
    await admin('POST', '/api/users', {
      login: 'liu',
      name: '刘业务',
      roles: ['staff'],
      departmentId: sales,
      password: 'Initial-pass-2026',
    });
    const self = await api(server, 'liu', 'Initial-pass-2026');
    await self('POST', '/api/auth/password', { currentPassword: 'Initial-pass-2026', newPassword: PASSWORD });
    const liu = await api(server, 'liu', PASSWORD);
    const customer = (await liu('POST', '/api/customers', {
      name: '苏州恒信汽车零部件有限公司',
      category: 'key',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街 88 号',
      industry: '汽车零部件',
      region: '苏州',
      firstPurchaseDate: todayInShanghai(),
      contacts: [{ name: '陈采购', title: '采购经理', mobile: '13912345678', isPrimary: true }],
      file: true,
    })) as { id: string };
    customerId = customer.id;
    await liu('POST', '/api/visits', {
      customerId,
      dueDate: todayInShanghai(),
      way: 'phone',
      note: '确认首批交付情况',
    });
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('shows the visits due today on 我的待办 and 我的回访', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(`${server.url}/todo`);
    const today = page.getByTestId('visit-todo-mineToday');
    await today.getByText('1', { exact: true }).waitFor();
    await b.shot('visits-01-todo');
    await today.click();
    await page.waitForURL(/\/visits\?view=mine&due=today/);
    await page.getByText('确认首批交付情况').waitFor();
    await b.shot('visits-02-mine-today');
    await page.getByRole('tab', { name: /待回访/ }).click();
    // The buyer's plan: +3, +30 and +60 days, and the visit planned by hand.
    await expect.poll(async () => page.locator('tbody tr.ant-table-row').count()).toBe(4);
    await b.shot('visits-03-mine-open');
  });

  it('records a visit, which shows in the 回访 tab and the timeline', async () => {
    const { page } = b;
    await page.getByRole('tab', { name: /今天到期/ }).click();
    await page.getByTestId('visit-complete').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('联系人').fill('陈采购');
    await drawer.getByLabel('回访内容').fill('电话确认首批 HX-2201 支架已到货，包装完好');
    await drawer.getByLabel('客户意见').fill('希望下批提前两天发货');
    await drawer.getByLabel('下一步', { exact: true }).fill('与计划部确认提前发货');
    await b.shot('visits-04-record');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('回访已记录，并写入客户往来记录').waitFor();
    await page.goto(`${server.url}/customers/${customerId}?tab=visits`);
    await page.getByText('电话确认首批 HX-2201 支架已到货，包装完好').waitFor();
    await page.getByText('购买后回访 · 第 1 次（+3 天）').waitFor();
    await b.shot('visits-05-customer-tab');
    await page.goto(`${server.url}/customers/${customerId}?tab=interactions`);
    await page.getByText(/回访（电话）：电话确认首批 HX-2201 支架已到货/).waitFor();
    expect(b.problems).toEqual([]);
  });

  it('moves a planned visit to an on-site visit from 我的回访', async () => {
    const { page } = b;
    await page.goto(`${server.url}/visits?view=mine&due=upcoming`);
    await page.getByText('购买后回访 · 第 2 次（+30 天）').waitFor();
    const row = page.getByRole('row').filter({ hasText: '第 2 次（+30 天）' });
    await row.getByTestId('visit-edit').click();
    const drawer = page.getByRole('dialog').filter({ hasText: '改派或改期' });
    await drawer.getByText('上门', { exact: true }).click();
    await b.shot('visits-05b-edit');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('回访任务已修改').waitFor();
    await row.getByText('上门', { exact: true }).waitFor();
    expect(b.problems).toEqual([]);
  });

  it('shows the plan rules to the administrator', async () => {
    const { page } = b;
    await as('admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/visits/settings`);
    await page.getByText('购买后回访').waitFor();
    await page.getByText('+3、+30、+60 自然日').waitFor();
    await b.shot('visits-06-settings');
    await page.getByRole('button', { name: /编辑/ }).first().click();
    await page.getByRole('dialog').getByText('回访节点（天）').waitFor();
    await b.shot('visits-07-rule');
  });
});
