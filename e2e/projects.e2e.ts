import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type Browser,
  openBrowser,
  SCREENSHOTS,
  type Server,
  seedManager,
  signInBrowser,
  startServer,
} from './support.js';

// 项目档案 in the browser (seed 002): the manager opens the 项目 tab of an archive, creates a project
// in the drawer, sees the 关联索引, opens the project page with its catalogue and export menu, and
// the document form offers the archive's projects. Screenshots: e2e/screenshots/projects-*.png.

const PASSWORD = 'Projects-e2e-2026';

describe('projects: the 项目 tab, a project page, the document form', () => {
  let server: Server;
  let b: Browser;
  let customerId = '';

  beforeAll(async () => {
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    await seedManager(server, 'li', PASSWORD);
    const li = await api(server, 'li', PASSWORD);
    customerId = (
      (await li('POST', '/api/customers', {
        name: '宜兴清源水务有限公司',
        category: 'general',
        kind: 'business',
      })) as {
        id: string;
      }
    ).id;
    const project = (await li('POST', `/api/customers/${customerId}/projects`, {
      name: '污水处理一期',
      code: 'WS-01',
      startDate: '2026-01-05',
    })) as { id: string };
    await li('POST', '/api/documents', {
      title: '一期工艺设计图纸',
      category: 'records',
      customerId,
      projectId: project.id,
    });
    await li('POST', '/api/documents', { title: '年度框架协议', category: 'records', customerId });
    b = await openBrowser();
    await signInBrowser(b, server, 'li', PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('creates a project in the 项目 tab and shows the 关联索引', async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers/${customerId}?tab=projects`);
    await page.getByText('WS-01').first().waitFor();
    await page.getByRole('button', { name: /新建项目/ }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('项目编号').fill('FQ-01');
    await drawer.getByLabel('项目名称').fill('废气治理工程');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('link', { name: 'FQ-01' }).waitFor();
    await page.getByText('关联索引', { exact: true }).waitFor();
    await page.getByText('未关联项目').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/projects-tab.png`, fullPage: true });
  });

  it('opens the project page with its catalogue and the 归档文件目录 export', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'WS-01' }).click();
    await page.getByText('卷内目录').waitFor();
    await page.getByRole('link', { name: '一期工艺设计图纸' }).waitFor();
    expect(await page.getByText('年度框架协议').count()).toBe(0);
    await page.getByRole('button', { name: /导出归档文件目录/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/projects-page.png`, fullPage: true });
  });

  it('offers the archive’s projects in the document form', async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers/${customerId}?tab=files`);
    await page.getByRole('button', { name: /上传到客户档案/ }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('所属项目').waitFor();
    await drawer.getByLabel('所属项目').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'FQ-01' }).first().waitFor();
    await page.waitForTimeout(400); // the dropdown's opening animation
    await page.screenshot({ path: `${SCREENSHOTS}/projects-document-form.png`, fullPage: true });
  });
});
