import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime, todayInShanghai } from '../src/common/time.js';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  fieldSelect,
  openBrowser,
  pickOption,
  type Server,
  shootPdf,
  signInBrowser,
  startServer,
} from './support.js';

// An order for a new product in the browser (issue 16, R-K1 … R-K4): sales registers it in the
// archive's 合同 tab as an annual contract (a part the customer never ordered, so the system
// proposes 非常规) and submits it; PMC (有条件接受), finance (pricing the new part), R&D and
// production review in their own sessions, the other departments answer over the API; the general
// manager signs it (annual contracts are his). Then sales amends the quantity: PMC and production
// review the amendment in their sessions, the general manager signs it, and the 合同更改通知单
// reaches them and they acknowledge it. Screenshots: e2e/screenshots/orders-*.png.

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
      { login: 'zhang', name: '张总', roles: ['general_manager'], departmentId: sales },
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
    // An annual contract (整车厂配套的年度购销合同): the general manager signs it (seed 003 A5).
    await pickOption(page, fieldSelect(drawer, '类型'), '年度合同');
    // Taken by phone: the 电话纪要 fields appear.
    await pickOption(page, fieldSelect(drawer, '接单方式'), '电话');
    await drawer.getByLabel('来电人').fill('陈工');
    await drawer.locator('#newOrder_phoneMemo_calledAt').click();
    // Ten minutes ago in Shanghai: a fixed hour of today would be in the future before it (CI runs
    // at any hour), and a call in the future is refused.
    await drawer
      .locator('#newOrder_phoneMemo_calledAt')
      .fill(formatDateTime(new Date(Date.now() - 10 * 60_000)).slice(0, 16));
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
    // A new product: R&D attaches its 可行性分析报告 before it can answer.
    const feasibility = drawer.getByTestId('order-feasibility');
    await feasibility.getByText('须先上传可行性分析报告').waitFor();
    await drawer.getByTestId('order-feasibility-input').setInputFiles({
      name: '可行性分析报告-DF-BR-900.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% 可行性分析报告\n'),
    });
    await feasibility.getByText('可行性分析报告-DF-BR-900.pdf').waitFor();
    await answerChecklist(drawer);
    await drawer.getByText('可接受', { exact: true }).click();
    await drawer.getByLabel('评审意见').fill('结构可行，沿用 DF-BR-800 工艺');
    await drawer.getByRole('button', { name: '提交评审意见' }).click();
    await page.getByText('评审意见已保存').waitFor();
    await card.getByText('可接受', { exact: true }).waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is reviewed by production in its own session', async () => {
    const { page } = b;
    await as('sc1');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-review-生产部');
    await card.getByRole('button', { name: '填写评审' }).click();
    const drawer = page.getByRole('dialog');
    await answerChecklist(drawer);
    await drawer.getByText('可接受', { exact: true }).click();
    await drawer.getByLabel('评审意见').fill('按 PMC 分批计划排产');
    await drawer.getByRole('button', { name: '提交评审意见' }).click();
    await page.getByText('评审意见已保存').waitFor();
    await card.getByText('可接受', { exact: true }).waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('is signed by the general manager once the other departments have answered', async () => {
    const { page } = b;
    // Purchasing and quality answer over the API.
    const config = (await (
      await api(server, 'pz1', PASSWORD)
    )('GET', '/api/orders/config')) as {
      checklist: { code: string }[];
    };
    const checklist = Object.fromEntries(config.checklist.map((c) => [c.code, { answer: 'ok' }]));
    for (const [login, code] of [
      ['cg1', 'purchasing'],
      ['pz1', 'quality'],
    ] as const) {
      const call = await api(server, login, PASSWORD);
      await call('PUT', `/api/orders/${orderId}/reviews/${deptIds[code]}`, { decision: 'accept', checklist });
    }
    await as('zhang');
    await page.goto(orderUrl);
    await page.getByText(/等待 总经理 签批/).waitFor();
    await b.shot('orders-05-reviews');
    await page.getByTestId('order-approve').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('签批意见').fill('同意按 PMC 条件分两批交货');
    await drawer.getByRole('button', { name: /^签\s*批$/ }).click();
    await page.getByText('已签批').first().waitFor();
    await page.getByTestId('order-status').getByText('已接受').waitFor();
    await page
      .getByTestId('order-approval')
      .getByText(/接受 · 张总（总经理）/)
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
    // The PO number under its column's label, not doubled as 「PO PO-…」.
    await page.getByTestId('order-po').getByText('PO-DF-26120', { exact: true }).first().waitFor();
    expect(await page.getByText('PO PO-DF-26120').count()).toBe(0);
    await b.shot('orders-07-list');
    await page.goto(`${server.url}/customers/${customerId}?tab=contracts`);
    await page.getByTestId('order-link').first().waitFor();
    await b.shot('orders-08-customer-tab');
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('records a delivery on the accepted order and shows the on-time delivery rate (R-K5)', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-deliveries');
    await card.waitFor();
    await page.getByTestId('delivery-add').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('delivery-quantity').fill('2000');
    await drawer.getByLabel('送货单号').fill('SH-26-0001');
    await drawer.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('已登记交付').waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await card.getByText('准时完成').waitFor();
    await b.shot('orders-09-deliveries');
    // The line is due 2027-03-01 (requested): a period reaching it counts it, on time.
    const from = `${todayInShanghai().slice(0, 8)}01`;
    await page.goto(`${server.url}/orders/performance?from=${from}&to=2027-03-31&groupBy=customer`);
    const chart = page.getByTestId('performance-chart');
    await chart.locator('canvas').waitFor();
    await page.getByText('100%').first().waitFor();
    await page.waitForTimeout(800); // the chart's entry animation
    await b.shot('orders-10-performance');
    await page.goto(`${server.url}/orders/delayed`);
    await page.getByText('没有掉期订单').waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  // Amendments (R-K4) -------------------------------------------------------------------------

  it('is amended by sales: the quantity, which PMC and production review again', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(orderUrl);
    await page.getByTestId('order-amend').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('amend-line-1-quantity').fill('2500');
    await drawer.getByTestId('amend-reason').fill('客户 3 月追加 500 件（邮件 2026-12-07）');
    await b.shot('orders-11-amend');
    await drawer.getByRole('button', { name: '提交变更评审' }).click();
    await page.getByText('变更已提交，等待相关部门评审').waitFor();
    const card = page.getByTestId('order-amendment-1');
    await card.getByTestId('order-amendment-status').getByText('评审中').waitFor();
    await card.getByTestId('order-amendment-diff').getByText('2500').waitFor();
    expect(await card.locator('[data-testid^="order-amendment-review-"]').count()).toBe(2);
    await card.getByTestId('order-amendment-review-计划部').waitFor();
    await card.getByTestId('order-amendment-review-生产部').waitFor();
    // Nothing changes before the signature.
    await page
      .getByRole('cell', { name: /^2000 / })
      .first()
      .waitFor();
    expect(unexpected(b.problems)).toEqual([]);
  });

  for (const [login, name, comment] of [
    ['pmc1', '计划部', '追加 500 件并入第二批，3 月 15 日交'],
    ['sc1', '生产部', '产能可以安排'],
  ] as const)
    it(`has the amendment reviewed by ${name} in its own session`, async () => {
      const { page } = b;
      await as(login);
      await page.goto(orderUrl);
      const review = page.getByTestId('order-amendments').getByTestId(`order-amendment-review-${name}`);
      await review.getByRole('button', { name: '填写评审' }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByText('可接受', { exact: true }).click();
      await drawer.getByLabel('评审意见').fill(comment);
      if (login === 'pmc1') await b.shot('orders-12-amend-review');
      await drawer.getByRole('button', { name: '提交评审意见' }).click();
      await page.getByText('评审意见已保存').waitFor();
      await review.getByText('可接受', { exact: true }).waitFor();
      expect(unexpected(b.problems)).toEqual([]);
    });

  it('has the amendment signed by the general manager, which applies it and issues the 合同更改通知单', async () => {
    const { page } = b;
    await as('zhang');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-amendment-1');
    await card.getByTestId('order-amendment-sign').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('签批意见').fill('同意追加');
    await drawer.getByRole('button', { name: '签批变更' }).click();
    await page.getByText('已签批').first().waitFor();
    await card.getByTestId('order-amendment-status').getByText('已生效').waitFor();
    await page
      .getByRole('cell', { name: /^2500 / })
      .first()
      .waitFor();
    const notice = card.getByTestId('order-amendment-notice');
    for (const name of ['计划部', '生产部', '采购部', '财务部', '研发部', '品质部'])
      await notice.getByTestId(`order-notice-${name}`).getByText('未确认').waitFor();
    await b.shot('orders-13-amend-signed');
    expect(unexpected(b.problems)).toEqual([]);
  });

  for (const [login, name] of [
    ['pmc1', '计划部'],
    ['sc1', '生产部'],
  ] as const)
    it(`has the 合同更改通知单 acknowledged by ${name}`, async () => {
      const { page } = b;
      await as(login);
      await page.goto(orderUrl);
      const notice = page.getByTestId('order-amendment-notice');
      await notice.getByTestId('order-amendment-acknowledge').click();
      await page.getByText('已确认收到合同更改通知单').waitFor();
      await notice.getByTestId(`order-notice-${name}`).getByText('已确认').waitFor();
      // Only its own department's row has the button.
      expect(await notice.getByTestId('order-amendment-acknowledge').count()).toBe(0);
      if (login === 'sc1') {
        await notice.getByTestId('order-notice-计划部').getByText('已确认').waitFor();
        await b.shot('orders-14-amend-notice');
      }
      expect(unexpected(b.problems)).toEqual([]);
    });
  // Helper E: the settings page, a withdrawal and the 我的待办 tiles.
  it('shows the order settings to the administrator, departments by name, and withdraws a submission', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signInBrowser(b, server, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/orders/settings`);
    const review = page.locator('.ant-form-item').filter({ hasText: '非常规订单的评审部门' });
    // The settings name `pmc`; the departments API stored PMC: the picker shows the department.
    await review.getByText('计划部（PMC）').waitFor();
    await review.getByText('品质部（QUALITY）').waitFor();
    // The amendment reviewers too, by name (they once showed the raw codes pmc, production).
    await page.getByTestId('order-settings-amend-quantity').getByText('计划部（PMC）').waitFor();
    await page.getByText('采购/生产能力的要求是否明确并满足（产能）').waitFor();
    await page.locator('#orderReviewSettings_leadTimeDays').fill('12');
    await page.getByTestId('order-settings-review-save').click();
    await page.getByText('已保存').first().waitFor();
    await b.shot('orders-15-settings');
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    expect(((await admin('GET', '/api/orders/config')) as { leadTimeDays: number }).leadTimeDays).toBe(12);
    // Everyone else: not in the menu, and the address refuses.
    await as('liu');
    await page.goto(`${server.url}/orders/settings`);
    await page
      .getByText(/无权|没有权限|403/)
      .first()
      .waitFor();
    expect(await page.getByRole('menuitem', { name: '订单设置' }).count()).toBe(0);

    // A new order submitted, then withdrawn before anyone answers.
    const liu = await api(server, 'liu', PASSWORD);
    const o = (await liu('POST', '/api/orders', {
      customerId,
      customerPo: 'PO-DF-26121',
      kind: 'order',
      receivedVia: 'email',
      receivedOn: todayInShanghai(),
      lines: [
        {
          partNumber: 'DF-BR-901',
          product: '后悬支架',
          quantity: '500',
          unit: '件',
          requestedOn: '2027-04-01',
        },
      ],
    })) as { id: string };
    await liu('POST', `/api/orders/${o.id}/submit`, {});
    // PMC sees the request among its to-dos.
    await as('pmc1');
    await page.goto(`${server.url}/todo`);
    await page.getByTestId('order-todo-toReview').getByText('1').waitFor();
    await b.shot('orders-16-todo');
    await as('liu');
    await page.goto(`${server.url}/orders/${o.id}`);
    await page.getByTestId('order-withdraw').click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('已撤回，订单回到草稿').waitFor();
    await page.getByTestId('order-submit').waitFor();
    await b.shot('orders-17-withdrawn');
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('imports orders from an ERP export: the dry run names a bad row, the corrected file imports', async () => {
    const { page } = b;
    await as('liu');
    const sheet = async (file: string, quantity: string) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('订单明细');
      ws.addRow([
        '客户编号或名称*',
        '客户订单号*',
        '接单日期*',
        '料号*',
        '产品名称*',
        '数量*',
        '单位*',
        '单价',
        '要求交期*',
      ]);
      const today = todayInShanghai();
      ws.addRow([
        '无锡东方汽车部件有限公司',
        'ERP-001',
        today,
        'DF-B1',
        '制动钳支架',
        '500',
        '件',
        '36.5',
        '2027-03-31',
      ]);
      ws.addRow([
        '无锡东方汽车部件有限公司',
        'ERP-001',
        today,
        'DF-B2',
        '制动钳螺栓',
        quantity,
        '件',
        '1.2',
        '2027-03-31',
      ]);
      ws.addRow([
        '无锡东方汽车部件有限公司',
        'ERP-002',
        today,
        'DF-B1',
        '制动钳支架',
        '800',
        '件',
        '36.5',
        '2027-04-30',
      ]);
      await wb.xlsx.writeFile(file);
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-orders-'));
    const bad = path.join(dir, 'ERP导出-有错.xlsx');
    const good = path.join(dir, 'ERP导出.xlsx');
    await sheet(bad, '-3');
    await sheet(good, '3000');
    await page.goto(`${server.url}/orders`);
    await page.getByTestId('orders-import').click();
    await page.waitForURL(/\/orders\/import/);
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByRole('button', { name: '开始试导入' }).click();
    await page.getByText('有 1 行错误，改正前不能导入').waitFor({ timeout: 60_000 });
    await page.getByRole('cell', { name: '数量*' }).waitFor();
    expect(await page.getByTestId('commit-order-import').isDisabled()).toBe(true);
    await b.shot('orders-18-import-errors');
    await page.getByRole('button', { name: /重新选择文件|重新选择/ }).click();
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByRole('button', { name: '开始试导入' }).click();
    await page.getByText('所有行检查通过，可以导入').waitFor({ timeout: 60_000 });
    await b.shot('orders-19-import-checked');
    await page.getByTestId('commit-order-import').click();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('导入完成', { exact: true }).waitFor({ timeout: 60_000 });
    await page
      .getByText(/^HT\d{6}-\d{4}$/)
      .first()
      .waitFor();
    await b.shot('orders-20-import-done');
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('opens the 评审记录表 and the record filed into the customer archive', async () => {
    const { page } = b;
    // The administrator sees where records are filed and which department is R&D.
    await b.context.clearCookies();
    await signInBrowser(b, server, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/orders/settings`);
    const record = page.locator('.ant-form-item').filter({ hasText: '评审记录表归档类别' });
    await record.getByText('内部文件与记录').waitFor();
    await page.locator('.ant-form-item').filter({ hasText: '研发部门' }).getByText('研发部（RD）').waitFor();
    await as('li');
    await page.goto(orderUrl);
    const card = page.getByTestId('order-record');
    await card.getByText('可行性分析报告-DF-BR-900.pdf').waitFor();
    const filed = page.getByTestId('order-record-filed');
    await filed.getByText(/档号 .*XS.* · 保管期限 L1/).waitFor();
    await card.scrollIntoViewIfNeeded();
    await b.shot('orders-21-record-card');
    const link = page.getByTestId('order-record-pdf');
    expect(await link.getAttribute('href')).toBe(`/api/orders/${orderId}/review-record.pdf`);
    await shootPdf(page, server, link, 'orders-22-review-record');
    // The filed record in the customer archive.
    await filed.getByRole('link').click();
    await page.waitForURL(/\/documents\/[^/]+$/);
    await page.getByTestId('secrecy').waitFor();
    await page
      .getByText(/Z\d+-WS.*-L1-XS-\d+/)
      .first()
      .waitFor();
    await b.shot('orders-23-archive-record');
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

/** Console errors other than the sign-outs between people (401). */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 401\b/.test(p));
