import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  SCREENSHOTS,
  type Server,
  shootPdf,
  signInBrowser,
  startServer,
} from './support.js';

// Corrective actions, the printed reports and the statistics in the browser (R-Q4, R-Q6): the
// production engineer handling a complaint raises a corrective action during the investigation
// and records it done; quality verifies it; the 8D report opens as a PDF; quality reads the
// statistics and clicks a bar to land on exactly those complaints, and exports the register.
// Screenshots: e2e/screenshots/cases-stats-*.png (the 8D report's first page as a PNG too).

const PASSWORD = 'Cases-e2e-2026';
const CUSTOMER = '苏州恒信汽车零部件有限公司';

describe('corrective actions, the 8D report and the statistics in the browser', () => {
  let server: Server;
  let b: Browser;
  let caseUrl = '';
  let caseId = '';

  const as = async (login: string) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, PASSWORD);
  };

  beforeAll(async () => {
    server = await startServer();
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const dept = async (name: string, code: string) =>
      ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
    const sales = await dept('销售部', 'XS');
    const production = await dept('生产部', 'SC');
    const quality = await dept('品质部', 'PZ');
    const people = [
      { login: 'liu', name: '刘业务', roles: ['staff'], departmentId: sales },
      { login: 'li', name: '李经理', roles: ['department_manager'], departmentId: sales },
      { login: 'wang', name: '王工', roles: ['staff'], departmentId: production },
      { login: 'zhou', name: '周品质', roles: ['quality'], departmentId: quality },
    ];
    for (const p of people) {
      await admin('POST', '/api/users', { ...p, password: 'Initial-pass-2026' });
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const liu = await api(server, 'liu', PASSWORD);
    const li = await api(server, 'li', PASSWORD);
    const customer = (await liu('POST', '/api/customers', {
      name: CUSTOMER,
      category: 'key',
      kind: 'business',
    })) as { id: string };
    const other = (await liu('POST', '/api/customers', {
      name: '无锡华晨精密机械有限公司',
      category: 'key',
      kind: 'business',
    })) as { id: string };
    const complaint = async (customerId: string, content: string, product: string) =>
      (await liu('POST', '/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId,
        channel: 'phone',
        content,
        product,
        severity: 'serious',
      })) as { id: string };
    // Two complaints of 恒信 (one judged justified and investigated here), one of 华晨 not justified.
    const first = await complaint(
      customer.id,
      'HX-2201 支架 30 件孔位偏移约 0.5 mm，装配线停线 2 小时。',
      'HX-2201 支架',
    );
    await complaint(customer.id, '包装箱破损，5 件支架表面划伤。', 'HX-2201 支架');
    const third = await complaint(other.id, '发票抬头有误，请重开。', 'HC-880 底座');
    const users = (await admin('GET', '/api/users?limit=50')) as { items: { id: string; login: string }[] };
    const wangId = users.items.find((u) => u.login === 'wang')?.id;
    await li('POST', `/api/cases/${first.id}/triage`, {
      justified: true,
      departmentId: production,
      handlerId: wangId,
      note: '属制造问题，请生产部分析',
    });
    await li('POST', `/api/cases/${third.id}/triage`, {
      justified: false,
      reply: { text: '经核对发票抬头与合同一致，已电话说明。', way: 'phone' },
    });
    caseId = first.id;
    caseUrl = `${server.url}/cases/${first.id}`;
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('lets the handler raise a corrective action during the investigation and record it done', async () => {
    const { page } = b;
    await as('wang');
    await page.goto(caseUrl);
    await page.getByRole('button', { name: '开始调查' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await page.getByText('已开始调查').first().waitFor();
    const section = page.getByTestId('case-actions');
    await section.getByText('尚无纠正预防措施').waitFor();
    await section.getByRole('button', { name: '新增措施' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '新增纠正预防措施' });
    await drawer.getByText('纠正措施', { exact: true }).click();
    await drawer.getByLabel('措施内容').fill('更换钻孔夹具定位销，首件检验增加该孔位；夹具每周点检。');
    await drawer.getByLabel('负责人').click();
    await drawer.getByLabel('负责人').fill('王工');
    await page.locator('.ant-select-dropdown:visible').getByText('王工').first().click();
    await drawer.getByLabel('完成期限').fill('3');
    await b.shot('cases-stats-01-raise');
    await drawer.getByRole('button', { name: '新增', exact: true }).click();
    await drawer.waitFor({ state: 'hidden' });
    await section.getByText('更换钻孔夹具定位销').waitFor();
    await section.getByText('进行中', { exact: true }).waitFor();
    await section
      .getByTestId('action-due')
      .getByText(/^截止 \d{4}-\d{2}-\d{2}/)
      .waitFor();
    await b.shot('cases-stats-02-raised');

    await section.getByRole('button', { name: '完成' }).click();
    const done = page.getByRole('dialog').filter({ hasText: '措施完成' });
    await done.getByLabel('完成情况').fill('已更换定位销并修订首件检验记录表 QR-07 第 3 版。');
    await done.getByRole('button', { name: '记录完成' }).click();
    await done.waitFor({ state: 'hidden' });
    await section.getByText('已完成', { exact: true }).waitFor();
    await section.getByText('按期完成').waitFor();
  });

  it('lets quality verify the action from 我的待办', async () => {
    const { page } = b;
    await as('zhou');
    await page.goto(`${server.url}/todo`);
    await page.getByTestId('action-todo-toVerify').getByText('1').waitFor();
    await b.shot('cases-stats-03-todo');
    await page.getByTestId('action-todo-toVerify').click();
    await page.waitForURL(/\/actions\?view=all&status=done$/);
    await page.getByText('更换钻孔夹具定位销').waitFor();
    await b.shot('cases-stats-04-actions');
    await page.getByRole('button', { name: '验证' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '验证措施效果' });
    await drawer.getByText('有效', { exact: true }).click();
    await drawer.getByLabel('效果验证').fill('抽检后续三批共 600 件，孔位全部合格。');
    await b.shot('cases-stats-05-verify');
    await drawer.getByRole('button', { name: '记录验证' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('没有符合条件的记录').waitFor();
    await page.goto(caseUrl);
    const section = page.getByTestId('case-actions');
    await section.getByText('已验证', { exact: true }).waitFor();
    await section.getByText('抽检后续三批共 600 件').waitFor();
    await b.shot('cases-stats-06-case-actions');
  });

  it('opens the 8D report as a PDF', async () => {
    const { page } = b;
    const link = page.getByRole('link', { name: /8D 报告/ });
    expect(await link.getAttribute('href')).toBe(`/api/cases/${caseId}/8d.pdf`);
    await shootPdf(page, server, link, 'cases-stats-07-8d');
  });

  it('shows the statistics and opens the cases behind a bar', async () => {
    const { page } = b;
    await page.goto(`${server.url}/cases/statistics`);
    await page.getByTestId('kpi-total').getByText('3', { exact: true }).waitFor();
    // 1 justified of 2 triaged.
    await page.getByTestId('kpi-justified').getByText('50%', { exact: true }).waitFor();
    await page.getByTestId('chart-customers').locator('canvas').waitFor();
    await page.waitForTimeout(800); // the charts' entry animation
    await b.shot('cases-stats-08-statistics');
    // No service request yet: every chart says so instead of drawing empty axes.
    await page.getByText('服务', { exact: true }).click();
    await page.waitForURL(/kind=service/);
    await page.getByText('所选期间和条件下没有服务请求').first().waitFor();
    await b.shot('cases-stats-08b-statistics-empty');
    await page.getByText('投诉', { exact: true }).first().click();
    await page.waitForURL(/kind=complaint/);
    await page.getByTestId('chart-customers').locator('canvas').waitFor();
    await page.waitForTimeout(800);
    // The 恒信 bar (2 complaints) is the upper of the two in the per-customer chart.
    const canvas = page.getByTestId('chart-customers').locator('canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no chart');
    const bars = 2;
    const top = 24;
    const rowHeight = (box.height - top - 8) / bars;
    await canvas.click({ position: { x: box.width * 0.4, y: top + rowHeight / 2 } });
    await page.waitForURL(/\/cases\?.*customerId=/);
    const tags = page.getByTestId('case-filter-tags');
    await tags.getByText(`客户：${CUSTOMER}`).waitFor();
    await expect.poll(async () => page.getByRole('link', { name: /^TS\d{6}-000\d$/ }).count()).toBe(2);
    await b.shot('cases-stats-09-list-from-chart');
    // Removing the tag shows every complaint of the period again.
    await tags.locator('.ant-tag-close-icon').click();
    await expect.poll(async () => page.getByRole('link', { name: /^TS\d{6}-000\d$/ }).count()).toBe(3);
  });

  it('exports the register with the list’s filters', async () => {
    const { page } = b;
    await page.getByTestId('case-export').click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: '服务登记簿 .xlsx' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^服务登记簿-\d{8}\.xlsx$/);
    await b.shot('cases-stats-10-list-export');
  });

  it('lets the sales manager reassign the complaint while it is handled', async () => {
    const { page } = b;
    await as('li');
    await page.goto(caseUrl);
    await page.getByRole('button', { name: '改派' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '当前：生产部 · 王工' });
    await drawer.waitFor();
    await b.shot('cases-stats-11-reassign');
    await drawer.getByRole('button', { name: '取消' }).click();
    // Copies for whoever reviews the pages.
    const scratch = path.resolve('scratch');
    fs.mkdirSync(scratch, { recursive: true });
    for (const f of fs.readdirSync(SCREENSHOTS).filter((x) => x.startsWith('cases-stats-')))
      fs.copyFileSync(path.join(SCREENSHOTS, f), path.join(scratch, f));
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
