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

// An order for a new product in the browser (issue 16, R-K1 … R-K3): sales registers it in the
// archive's 合同 tab (a part the customer never ordered, so the system proposes 非常规) and submits
// it; PMC (有条件接受), finance (pricing the new part) and R&D review in their own sessions, the
// other departments answer over the API; the sales manager signs it. Screenshots:
// e2e/screenshots/orders-*.png.

const PASSWORD = 'Orders-e2e-2026';

describe('a new-product order from registration to signature', () => {
  let server: Server;
  let b: Browser;
  let customerId = '';
  let orderUrl = '';
  let orderId = '';
  const deptIds: Record<string, string> = {};

  const as = async (login: string) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, PASSWORD);
  };

  beforeAll(async () => {
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    await admin('PUT', '/api/organisation', { name: '苏州恒信精密机械有限公司' });
    const dept = async (name: string, code: string) => {
      deptIds[code] = ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
      return deptIds[code] as string;
    };
    const sales = await dept('销售部', 'XS');
    const people = [
      { login: 'liu', name: '刘业务', roles: ['staff'], departmentId: sales },
      { login: 'li', name: '李经理', roles: ['department_manager'], departmentId: sales },
    ];
    for (const [name, code, login, person] of [
      ['计划部', 'pmc', 'pmc1', '潘计划'],
      ['采购部', 'purchasing', 'cg1', '曹采购'],
      ['生产部', 'production', 'sc1', '孙生产'],
      ['财务部', 'finance', 'cw1', '蔡财务'],
      ['研发部', 'rd', 'yf1', '严研发'],
      ['品质部', 'quality', 'pz1', '彭品质'],
    ] as const)
      people.push({ login, name: person, roles: ['staff'], departmentId: await dept(name, code) });
    for (const p of people) {
      await admin('POST', '/api/users', { ...p, password: 'Initial-pass-2026' });
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const liu = await api(server, 'liu', PASSWORD);
    customerId = (
      (await liu('POST', '/api/customers', {
        name: '无锡东方汽车部件有限公司',
        category: 'key',
        kind: 'business',
        registeredAddress: '无锡市新吴区长江路 18 号',
        industry: '汽车零部件',
        region: '无锡',
        firstPurchaseDate: todayInShanghai(),
        contacts: [{ name: '陈工', mobile: '13800001111', isPrimary: true }],
        file: true,
      })) as { id: string }
    ).id;
    b = await openBrowser({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('is registered by sales in the archive’s 合同 tab and proposed 非常规 (new product)', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(`${server.url}/customers/${customerId}?tab=contracts`);
    await page.getByText('该客户暂无订单或合同').waitFor();
    await page.getByTestId('customer-new-order').click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('#newOrder_customerPo').fill('PO-DF-26120');
    // Taken by phone: the 电话纪要 fields appear.
    await select(drawer, '接单方式').click();
    await page.getByTitle('电话').click();
    await drawer.getByLabel('来电人').fill('陈工');
    await drawer.locator('#newOrder_phoneMemo_calledAt').click();
    await drawer.locator('#newOrder_phoneMemo_calledAt').fill(`${todayInShanghai()} 09:30`);
    await page.keyboard.press('Enter');
    await drawer
      .getByLabel('约定内容')
      .fill('新品支架 DF-BR-900 首批 2000 件，三月初交货，书面订单随后传真。');
    await drawer.locator('#newOrder_lines_0_partNumber').fill('DF-BR-900');
    await drawer.locator('#newOrder_lines_0_product').fill('前悬支架');
    await drawer.locator('#newOrder_lines_0_specification').fill('Q235 镀锌 图号 DF-900-A');
    await drawer.locator('#newOrder_lines_0_quantity').fill('2000');
    await drawer.locator('#newOrder_lines_0_requestedOn').click();
    await drawer.locator('#newOrder_lines_0_requestedOn').fill('2027-03-01');
    await page.keyboard.press('Enter');
    await drawer.locator('#newOrder_paymentTerms').fill('月结 60 天');
    await drawer.locator('#newOrder_deliveryMethod').fill('送货上门');
    await drawer.locator('#newOrder_deliveryPlace').fill('无锡东方汽车部件有限公司 2 号仓');
    await drawer.locator('#newOrder_packaging').fill('周转箱，每箱 50 件');
    await b.shot('orders-01-new');
    await drawer.getByRole('button', { name: /登记（草稿）/ }).click();
    await page.getByText(/订单 HT\d{6}-\d{4} 已登记为草稿/).waitFor();
    await page.waitForURL(/\/orders\/[^/]+$/);
    orderUrl = page.url();
    orderId = orderUrl.split('/').pop() as string;
    const reasons = page.getByTestId('order-class-reasons');
    await reasons.getByText(/新产品：该客户从未订过的料号：DF-BR-900/).waitFor();
    await page.getByTestId('order-class').getByText('非常规').waitFor();
    await page.getByText('电话纪要：陈工').waitFor();
    await b.shot('orders-02-draft');
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is submitted for review to every department concerned', async () => {
    const { page } = b;
    await page.getByTestId('order-submit').click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('已提交评审').waitFor();
    await page.getByTestId('order-status').getByText('评审中').waitFor();
    const reviews = page.getByTestId('order-reviews');
    for (const name of ['计划部', '采购部', '生产部', '财务部', '研发部', '品质部'])
      await reviews.getByText(name).waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is reviewed by PMC in its own session: 有条件接受', async () => {
    const { page } = b;
    await as('pmc1');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-review-计划部');
    await card.getByRole('button', { name: '填写评审' }).click();
    const drawer = page.getByRole('dialog');
    await answerChecklist(drawer);
    await drawer.getByTestId('order-checklist-capacity').getByText('有问题', { exact: true }).click();
    await drawer.locator('#orderReview_checklist_capacity_note').fill('三月初产能已满，需分两批');
    await drawer.getByText('有条件接受', { exact: true }).click();
    await drawer.getByLabel('接受条件').fill('分两批交货：3 月 1 日 1000 件，3 月 15 日 1000 件');
    await drawer.getByLabel('评审意见').fill('模具 2 月底到位后排产');
    await b.shot('orders-03-review-pmc');
    await drawer.getByRole('button', { name: '提交评审意见' }).click();
    await page.getByText('评审意见已保存').waitFor();
    await card.getByText('有条件接受').waitFor();
    await card.getByText(/分两批交货/).waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is reviewed by finance, who prices the new product', async () => {
    const { page } = b;
    await as('cw1');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-review-财务部');
    await card.getByRole('button', { name: '填写评审' }).click();
    const drawer = page.getByRole('dialog');
    await answerChecklist(drawer);
    await drawer.locator('#orderReview_pricing_1').fill('12.85');
    await drawer.getByText('可接受', { exact: true }).click();
    await drawer.getByLabel('评审意见').fill('按核价 12.85 元/件，月结 60 天可接受');
    await b.shot('orders-04-review-finance');
    await drawer.getByRole('button', { name: '提交评审意见' }).click();
    await page.getByText('评审意见已保存').waitFor();
    await card.getByText('第 1 行 单价 12.85').waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is reviewed by R&D in its own session', async () => {
    const { page } = b;
    await as('yf1');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-review-研发部');
    await card.getByRole('button', { name: '填写评审' }).click();
    const drawer = page.getByRole('dialog');
    await answerChecklist(drawer);
    await drawer.getByText('可接受', { exact: true }).click();
    await drawer.getByLabel('评审意见').fill('结构可行，沿用 DF-BR-800 工艺');
    await drawer.getByRole('button', { name: '提交评审意见' }).click();
    await page.getByText('评审意见已保存').waitFor();
    await card.getByText('可接受', { exact: true }).waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is signed by the sales manager once the other departments have answered', async () => {
    const { page } = b;
    // Purchasing, production and quality answer over the API.
    const config = (await (
      await api(server, 'pz1', PASSWORD)
    )('GET', '/api/orders/config')) as {
      checklist: { code: string }[];
    };
    const checklist = Object.fromEntries(config.checklist.map((c) => [c.code, { answer: 'ok' }]));
    for (const [login, code] of [
      ['cg1', 'purchasing'],
      ['sc1', 'production'],
      ['pz1', 'quality'],
    ] as const) {
      const call = await api(server, login, PASSWORD);
      await call('PUT', `/api/orders/${orderId}/reviews/${deptIds[code]}`, { decision: 'accept', checklist });
    }
    await as('li');
    await page.goto(orderUrl);
    await page.getByText(/等待 销售部经理 签批/).waitFor();
    await b.shot('orders-05-reviews');
    await page.getByTestId('order-approve').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('签批意见').fill('同意按 PMC 条件分两批交货');
    await drawer.getByRole('button', { name: /^签\s*批$/ }).click();
    await page.getByText('已签批').first().waitFor();
    await page.getByTestId('order-status').getByText('已接受').waitFor();
    await page
      .getByTestId('order-approval')
      .getByText(/接受 · 李经理（销售部经理）/)
      .waitFor();
    await b.shot('orders-06-signed');
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('shows in the list and the archive’s 合同 tab', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(`${server.url}/orders`);
    await page.getByTestId('order-link').first().waitFor();
    await page.getByTestId('order-status').getByText('已接受').first().waitFor();
    await page.getByText('PO PO-DF-26120').waitFor();
    await b.shot('orders-07-list');
    await page.goto(`${server.url}/customers/${customerId}?tab=contracts`);
    await page.getByTestId('order-link').first().waitFor();
    await b.shot('orders-08-customer-tab');
    expect(unexpected(b.problems)).toEqual([]);
  });
});

/** Every checklist item of the review drawer answered 明确并满足. */
async function answerChecklist(drawer: ReturnType<Browser['page']['getByRole']>) {
  const rows = drawer.locator('[data-testid^="order-checklist-"]');
  const n = await rows.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) await rows.nth(i).getByText('明确并满足', { exact: true }).click();
}

/** The select of a form field by its label. */
const select = (scope: Browser['page'] | ReturnType<Browser['page']['getByRole']>, label: string) =>
  scope.locator(`.ant-form-item:has(label[title="${label}"]) .ant-select`).first();

/** Console errors other than the sign-outs between people (401). */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 401\b/.test(p));
