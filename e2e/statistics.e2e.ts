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
  seedPeople,
  signInBrowser,
  startServer,
} from './support.js';

// 档案统计 in the browser (篇八 第五十、五十一条): the archivist opens the page from the menu, reads
// the year's holdings and use, clicks the 内部文件与记录 bar to land on exactly those records in the
// documents list, downloads a chart as PNG and the 统计年报 as Excel. A staff member has no menu
// entry. Screenshots: e2e/screenshots/statistics-*.png.

const PASSWORD = 'Stats-e2e-2026';

describe('archive statistics in the browser', () => {
  let server: Server;
  let b: Browser;

  beforeAll(async () => {
    server = await startServer();
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const dept = async (name: string, code: string) =>
      ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
    const office = await dept('档案室', 'DA');
    const sales = await dept('销售部', 'XS');
    await seedPeople(
      server,
      [
        { login: 'chen', name: '陈档案', roles: ['archivist'], departmentId: office, clearance: 'secret' },
        { login: 'liu', name: '刘业务', roles: ['staff'], departmentId: sales },
      ],
      PASSWORD,
    );
    const chen = await api(server, 'chen', PASSWORD);
    const liu = await api(server, 'liu', PASSWORD);
    const doc = async (body: Record<string, unknown>) =>
      ((await chen('POST', '/api/documents', { category: 'records', ...body })) as { id: string }).id;
    const first = await doc({ title: '2026年度质量目标', carrier: 'paper' });
    await doc({ title: '管理评审记录', secrecy: 'secret' });
    await doc({ title: '内审报告', departmentId: sales });
    await doc({ title: '年度采购框架协议', category: 'agreements' });
    await doc({ title: '产品质量法', category: 'laws' });
    // 查阅: 刘业务 reads a shared law twice, the archivist the first record.
    const law = (await liu('GET', '/api/documents?category=laws')) as { items: { id: string }[] };
    for (let i = 0; i < 2; i++) await liu('GET', `/api/documents/${law.items[0]?.id}`);
    await chen('GET', `/api/documents/${first}`);
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('shows the archivist the holdings and use of the year, each chart and table', async () => {
    const { page } = b;
    await signInBrowser(b, server, 'chen', PASSWORD);
    await page.getByRole('menuitem', { name: '档案统计' }).click();
    await page.waitForURL(/\/statistics$/);
    await page.getByTestId('statistics-holdings_category').locator('canvas').waitFor();
    const category = page.getByTestId('statistics-holdings_category');
    await category.getByRole('cell', { name: '内部文件与记录' }).waitFor();
    expect(await category.locator('tbody tr').allInnerTexts()).toEqual([
      '法律法规、政府发文\t1\t20%',
      '合同与协议\t1\t20%',
      '内部文件与记录\t3\t60%',
    ]);
    const reads = page.getByTestId('statistics-reads_department');
    expect(await reads.locator('tbody tr').allInnerTexts()).toEqual(['销售部\t2\t66.7%', '档案室\t1\t33.3%']);
    await page.waitForTimeout(800); // the charts' entry animation
    await b.shot('statistics-01-page');
  });

  it('downloads a chart as PNG and the report as Excel', async () => {
    const { page } = b;
    const card = page.getByTestId('statistics-holdings_secrecy');
    const png = page.waitForEvent('download');
    await card.getByRole('button', { name: '下载图片' }).click();
    expect((await png).suggestedFilename()).toBe(`馆藏·按密级-${new Date().getFullYear()}.png`);
    const xlsx = page.waitForEvent('download');
    await page.getByRole('link', { name: '统计年报（Excel）' }).click();
    expect((await xlsx).suggestedFilename()).toMatch(/^档案统计年报-\d{4}\.xlsx$/);
  });

  it('opens the documents list behind a bar', async () => {
    const { page } = b;
    const canvas = page.getByTestId('chart-holdings_category').locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no chart');
    // Three bars; 内部文件与记录 (3, the tallest) is the last: click inside its lower half.
    await canvas.click({ position: { x: 30 + ((box.width - 40) * 5) / 6, y: box.height - 60 } });
    await page.waitForURL(/\/documents\?held=true&category=records$/);
    for (const title of ['2026年度质量目标', '管理评审记录', '内审报告'])
      await page.getByText(title).waitFor();
    await expect.poll(() => page.getByText('年度采购框架协议').count()).toBe(0);
    await b.shot('statistics-02-list-from-chart');
  });

  it('gives staff no statistics', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signInBrowser(b, server, 'liu', PASSWORD);
    await expect.poll(() => page.getByRole('menuitem', { name: '档案统计' }).count()).toBe(0);
    const scratch = path.resolve('scratch');
    fs.mkdirSync(scratch, { recursive: true });
    for (const f of fs.readdirSync(SCREENSHOTS).filter((x) => x.startsWith('statistics-')))
      fs.copyFileSync(path.join(SCREENSHOTS, f), path.join(scratch, f));
  });

  it('showed no errors in the browser console', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
