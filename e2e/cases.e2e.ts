import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  fieldSelect,
  openBrowser,
  pickOption,
  SCREENSHOTS,
  type Server,
  signInBrowser,
  startServer,
} from './support.js';

// A complaint in the browser (R-Q1 … R-Q5), four people in their own sessions: a salesperson
// records a customer's phone call from the header's 登记投诉 button, the sales department's
// manager judges it justified and assigns it to a production engineer, who investigates,
// resolves and tells the customer the outcome; quality revisits, which closes the case and files
// its record in the customer archive. Screenshots: e2e/screenshots/cases-*.png.

const PASSWORD = 'Cases-e2e-2026';

describe('a phone complaint from intake to revisit in the browser', () => {
  let server: Server;
  let b: Browser;
  let caseUrl = '';

  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
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
    const customer = (await liu('POST', '/api/customers', {
      name: '苏州恒信汽车零部件有限公司',
      category: 'key',
      kind: 'business',
    })) as { id: string };
    await liu('POST', `/api/customers/${customer.id}/contacts`, {
      name: '陈采购',
      title: '采购经理',
      mobile: '13912345678',
      isPrimary: true,
    });
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('records a phone call from the header in a few fields', async () => {
    const { page } = b;
    await as('liu');
    await page.getByTestId('new-case').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('登记投诉/服务请求').waitFor();
    await drawer.getByLabel('客户', { exact: true }).fill('恒信');
    await page
      .locator('.ant-select-dropdown:visible')
      .getByText(/苏州恒信汽车零部件有限公司/)
      .click();
    await drawer.getByTitle(/^KH\d+ 苏州恒信汽车零部件有限公司$/).waitFor();
    // The primary contact is filled in; the channel is 电话 and the time now.
    await drawer.getByText('陈采购 · 采购经理 · 13912345678').waitFor();
    await drawer.getByText('严重', { exact: true }).click();
    await drawer
      .getByLabel('客户反映的问题')
      .fill('4 月 18 日到货的 HX-2201 支架有 30 件孔位偏移约 0.5 mm，装配线停线 2 小时。');
    await drawer.getByLabel('客户诉求').fill('本周内补发合格品，并提供原因分析报告');
    await b.shot('cases-01-new');
    await drawer.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseUrl = page.url();
    await page.getByRole('heading', { name: /TS\d{6}-0001 苏州恒信汽车零部件有限公司/ }).waitFor();
    await page.getByText('下一步：判定投诉是否成立，成立则指定处理部门和处理人').waitFor();
    await page.getByTestId('clock-investigate').first().waitFor();
    await b.shot('cases-02-recorded');
  });

  it('is judged justified and assigned by the sales manager', async () => {
    const { page } = b;
    await as('li');
    await page.goto(`${server.url}/todo`);
    await page.getByTestId('case-todo-toTriage').getByText('1').waitFor();
    await b.shot('cases-03-todo');
    await page.getByTestId('case-todo-toTriage').click();
    await page.waitForURL(/\/cases\?status=new$/);
    await page.getByRole('link', { name: /TS\d{6}-0001/ }).waitFor();
    await b.shot('cases-04-list');
    await page.getByRole('link', { name: /TS\d{6}-0001/ }).click();
    await page.waitForURL(caseUrl);
    await page.getByRole('button', { name: '判定' }).click();
    const drawer = page.getByRole('dialog');
    await pickOption(page, fieldSelect(drawer, '处理部门'), '生产部');
    await pickOption(page, fieldSelect(drawer, '处理人'), /王工/);
    await drawer.getByLabel('说明').fill('来料检验未发现，属制造问题，请生产部分析');
    await b.shot('cases-05-triage');
    await drawer.getByRole('button', { name: '分派', exact: true }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('下一步：王工 调查处理，记录原因与措施后点「处理完成」').waitFor();
  });

  it('is investigated, resolved and answered by the handler', async () => {
    const { page } = b;
    await as('wang');
    await page.goto(caseUrl);
    await page.getByRole('button', { name: '开始调查' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await page.getByText('已开始调查').first().waitFor();
    // 处理完成 before any findings: the form opens with what is missing marked.
    await page.getByRole('button', { name: '处理完成' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '调查与措施' });
    await drawer.getByText('此项为必填').first().waitFor();
    await b.shot('cases-06-missing');
    await pickOption(page, fieldSelect(drawer, '原因类别'), '制造');
    await drawer.getByLabel('原因分析').fill('钻孔夹具定位销磨损，首件检验未覆盖该孔位。');
    await drawer.getByLabel('临时措施').fill('库存 200 件全检，隔离不合格品 30 件；补发 30 件合格品。');
    await drawer.getByLabel('处理方案与纠正措施').fill('更换定位销，首件检验增加该孔位；夹具每周点检。');
    await drawer.getByLabel('效果验证').fill('连续三批抽检孔位合格。');
    await drawer.getByRole('button', { name: '保存', exact: true }).click();
    await drawer.waitFor({ state: 'hidden' });
    // The page shows what was saved before the next step is taken (a busy machine is slow here).
    await page.getByText('钻孔夹具定位销磨损，首件检验未覆盖该孔位。').first().waitFor();
    await page.getByRole('button', { name: '处理完成' }).click();
    const confirm = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: '确定' }) });
    // Wait for the answer itself, so a refusal fails here with what the server said.
    const resolved = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/resolve'),
    );
    await confirm.getByRole('button', { name: '确定' }).click();
    const answer = await resolved;
    expect(answer.status(), await answer.text()).toBe(200);
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('下一步：王工 把处理结果答复客户').waitFor();
    await page.getByRole('button', { name: '答复客户' }).click();
    const reply = page.getByRole('dialog').filter({ hasText: '告知处理结果' });
    await reply
      .getByLabel('答复内容')
      .fill('已补发 30 件合格品，原因是钻孔夹具定位销磨损，已更换并加严首件检验。');
    await reply.getByRole('button', { name: '记录答复' }).click();
    await reply.waitFor({ state: 'hidden' });
    await page.getByText('下一步：回访客户，记录客户的最终意见；回访后案件关闭并归档').waitFor();
    await b.shot('cases-07-replied');
  });

  it('is revisited by quality, which closes and files it', async () => {
    const { page } = b;
    await as('zhou');
    await page.goto(`${server.url}/todo`);
    await page.getByTestId('case-todo-toRevisit').click();
    await page.getByRole('link', { name: /TS\d{6}-0001/ }).click();
    await page.waitForURL(caseUrl);
    await page.getByRole('button', { name: '回访' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('满意', { exact: true }).click();
    await drawer.getByLabel('客户的话/备注').fill('陈经理表示补货及时，希望后续批次保持。');
    await b.shot('cases-08-revisit');
    await drawer.getByRole('button', { name: '记录回访并关闭' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('已归档至客户档案，档号：').waitFor();
    await page.getByTestId('clock-all-met').or(page.getByText('已按期').first()).first().waitFor();
    await b.shot('cases-09-closed');
    const zhou = await api(server, 'zhou', PASSWORD);
    const id = caseUrl.split('/').pop();
    const c = (await zhou('GET', `/api/cases/${id}`)) as {
      status: string;
      revisit: { opinion: string };
      document: { id: string } | null;
    };
    expect(c.status).toBe('closed');
    expect(c.revisit.opinion).toBe('satisfied');
    expect(c.document).not.toBeNull();
  });

  it('lets quality read and change the settings', async () => {
    const { page } = b;
    await page.goto(`${server.url}/cases/settings`);
    await page.getByText('处理时限（工作日）').waitFor();
    await page.getByRole('cell', { name: '质量', exact: true }).first().waitFor();
    await b.shot('cases-10-settings');
  });

  it('shows the case on the customer’s 投诉与服务 tab', async () => {
    const { page } = b;
    await as('liu');
    await page.goto(caseUrl);
    await page
      .getByRole('link', { name: /苏州恒信汽车零部件有限公司/ })
      .first()
      .click();
    await page.getByRole('tab', { name: '投诉与服务', selected: true }).waitFor();
    await page.getByRole('link', { name: /TS\d{6}-0001/ }).waitFor();
    await b.shot('cases-11-customer-tab');
    await page.goto(`${server.url}/cases`);
    await page.getByRole('link', { name: /TS\d{6}-0001/ }).waitFor();
    await b.shot('cases-12-list-closed');
    // Copies for whoever reviews the pages.
    const scratch = path.resolve('scratch');
    fs.mkdirSync(scratch, { recursive: true });
    for (const f of fs.readdirSync(SCREENSHOTS).filter((x) => x.startsWith('cases-')))
      fs.copyFileSync(path.join(SCREENSHOTS, f), path.join(scratch, f));
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
