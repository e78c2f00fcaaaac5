import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  api,
  type Browser,
  openBrowser,
  type Server,
  seedManager,
  signInBrowser,
  startServer,
} from './support.js';

// 查新 in the browser: a product standard received over a year ago is on the due list of its
// department; its check is confirmed with a date and a note, and shows in the 查新记录.
// Screenshots: e2e/screenshots/standard-checks-*.png.

const PASSWORD = 'Manager-e2e-2026';

describe('standards currency in the browser', () => {
  let server: Server;
  let b: Browser;

  beforeAll(async () => {
    server = await startServer();
    await seedManager(server, 'manager', PASSWORD);
    const manager = await api(server, 'manager', PASSWORD);
    for (const [title, docNumber, versionLabel, receivedDate] of [
      ['冷轧钢板和钢带的尺寸、外形、重量及允许偏差', 'GB/T 708-2019', '2019版', '2024-03-01'],
      ['紧固件机械性能 螺栓、螺钉和螺柱', 'GB/T 3098.1-2010', '2010版', '2025-01-15'],
    ])
      await manager('POST', '/api/documents', {
        title,
        docNumber,
        versionLabel,
        receivedDate,
        category: 'product_standards',
        carrier: 'paper',
      });
    b = await openBrowser();
    await signInBrowser(b, server, 'manager', PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('confirms a due standard as current and lists the check', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents/standard-checks`);
    await page.getByRole('link', { name: '冷轧钢板和钢带的尺寸、外形、重量及允许偏差' }).waitFor();
    await b.shot('standard-checks-01-due');
    await page
      .getByRole('row', { name: /GB\/T 708-2019/ })
      .getByRole('button', { name: '确认现行有效' })
      .click();
    await page.getByRole('dialog').getByLabel('备注').fill('经国家标准全文公开系统核对，仍为现行');
    await b.shot('standard-checks-02-confirm');
    await page.getByRole('dialog').getByRole('button', { name: '确认现行有效' }).click();
    await page.getByText('已记录查新结果').waitFor();
    await page
      .getByRole('link', { name: '冷轧钢板和钢带的尺寸、外形、重量及允许偏差' })
      .waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: '查新记录' }).click();
    await page.getByRole('cell', { name: '经国家标准全文公开系统核对，仍为现行' }).waitFor();
    await b.shot('standard-checks-03-records');
  });
});
