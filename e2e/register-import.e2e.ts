import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  seedManager,
  signInBrowser,
  startServer,
} from './support.js';

// Importing a 外来文件清单 kept in Excel (made by LibreOffice, with a merged two-row header and
// full-width characters): the bad file's dry run lists its three bad rows and cannot be
// imported; the good one registers 500 standards, which the register then lists.
// Screenshots: e2e/screenshots/register-import-*.png.

const PASSWORD = 'Manager-e2e-2026';
const FIXTURES = path.join(import.meta.dirname, '../src/server/test-support/fixtures');

describe('register import in the browser', () => {
  let server: Server;
  let b: Browser;

  beforeAll(async () => {
    server = await startServer();
    await seedManager(server, 'manager', PASSWORD);
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    await admin('POST', '/api/departments', { name: '品质部', code: 'ZL' });
    b = await openBrowser();
    await signInBrowser(b, server, 'manager', PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('reports the bad rows of a register and imports the corrected one', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents/registers`);
    await page.getByRole('tabpanel').getByRole('button', { name: '导入' }).click();
    await page.waitForURL(/\/documents\/registers\/import\?register=external/);
    await page.getByTestId('register-import-category').click();
    await page.getByTitle('产品标准').click();
    await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'external-register-bad.xlsx'));
    await page.getByRole('button', { name: '开始试导入' }).click();
    await page.getByText('3 行有问题，改正前不能导入').waitFor({ timeout: 60_000 });
    await page.getByRole('cell', { name: '归口部门' }).waitFor();
    await b.shot('register-import-01-bad-rows');
    await page.getByRole('button', { name: '重新选择文件' }).click();
    await page.getByTestId('register-import-category').click();
    await page.getByTitle('产品标准').click();
    await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'external-register-500.xlsx'));
    await page.getByRole('button', { name: '开始试导入' }).click();
    await page.getByText('所有行检查通过，可以导入').waitFor({ timeout: 60_000 });
    await b.shot('register-import-02-checked');
    await page.getByTestId('commit-register-import').click();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('已登记 500 份文件').waitFor({ timeout: 60_000 });
    await b.shot('register-import-03-done');
    await page.getByRole('button', { name: '查看登记簿' }).click();
    await page.getByRole('link', { name: '冷轧钢板标准第500部分' }).waitFor();
    await b.shot('register-import-04-register');
  });
});
