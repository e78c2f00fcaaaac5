import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// A department manager's day with the customer archive: create a customer with a contact,
// record a visit, change a field and find the change in the history, import 20 customers from
// Excel, export the list, and hand a leaving salesperson's archives over — warned first that a
// successor is not cleared for one of them. Screenshots go to e2e/screenshots/customers-*.png.

const PASSWORD = 'Manager-e2e-2026';

async function importSheet(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('客户档案');
  sheet.addRow(['客户名称*', '客户类别*', '客户种类*', '地区', '电话', '主要联系人', '联系人电话']);
  const cities = ['广州', '佛山', '东莞', '中山', '珠海'];
  for (let i = 1; i <= 20; i++) {
    sheet.addRow([
      `${cities[i % 5]}导入测试${i}号电器有限公司`,
      i % 4 === 0 ? '重点客户' : '一般客户',
      '业务客户',
      cities[i % 5],
      `0757-8${String(i).padStart(6, '0')}`,
      `联系人${i}`,
      `1390000${String(i).padStart(4, '0')}`,
    ]);
  }
  await wb.xlsx.writeFile(file);
}

/** Picks an option of an antd Select identified by its form label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .getByText(option, { exact: true })
    .click();
}

describe('customer archive in the browser', () => {
  let server: Server;
  let b: Browser;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-files-'));

  beforeAll(async () => {
    server = await startServer();
    await seedManager(server, 'manager', PASSWORD);
    b = await openBrowser();
    await signInBrowser(b, server, 'manager', PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates a customer with a Chinese name and a first contact', async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers`);
    await page.getByRole('button', { name: '新建客户' }).first().click();
    // The list's column header is labelled 客户名称 too: wait for the form page.
    await page.waitForURL(/\/customers\/new$/);
    await page.getByRole('textbox', { name: '客户名称' }).fill('深圳市华星光电技术有限公司');
    await choose(page, '客户类别', '重点客户');
    await choose(page, '客户种类', '业务客户');
    await page.getByPlaceholder('姓名').first().fill('王采购');
    await b.shot('customers-01-new');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.getByText('KH20260001').first().waitFor();
    await page.getByText('深圳市华星光电技术有限公司').first().waitFor();
    await b.shot('customers-02-detail');
  });

  it('adds a contact and records a visit', async () => {
    const { page } = b;
    await page.getByRole('tab', { name: /联系人/ }).click();
    await page.getByRole('button', { name: '新增联系人' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('姓名').fill('林工程师');
    await drawer.getByLabel('手机').fill('013812345678');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: '林工程师' }).waitFor();
    await page.getByText('013812345678').waitFor();
    await b.shot('customers-03-contacts');

    await page.getByRole('tab', { name: '往来记录' }).click();
    await page.getByRole('button', { name: '登记往来' }).click();
    const visit = page.getByRole('dialog');
    await visit.getByLabel('内容摘要').fill('上门拜访，了解新产品线的照明需求');
    await visit.getByRole('button', { name: '保存' }).click();
    await page.getByText('上门拜访，了解新产品线的照明需求').first().waitFor();
    await b.shot('customers-04-interactions');
  });

  it('edits a field and shows the change in the history', async () => {
    const { page } = b;
    await page.getByRole('button', { name: '编辑' }).first().click();
    await page.getByLabel(/^地区/).fill('深圳');
    await page.getByLabel('变更说明').fill('补充地区');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}(\?.*)?$/);
    await page.getByRole('tab', { name: '变更历史' }).click();
    const history = page.getByRole('tabpanel');
    await history.getByText('深圳', { exact: true }).first().waitFor();
    await history.getByText('补充地区').first().waitFor();
    expect(await history.getByText('地区').count()).toBeGreaterThan(0);
    await b.shot('customers-05-history');
  });

  it('imports 20 customers from an Excel sheet, checking first', async () => {
    const { page } = b;
    const file = path.join(tmp, '客户导入.xlsx');
    await importSheet(file);
    await page.goto(`${server.url}/customers/import`);
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '开始试导入' }).click();
    await page.getByText('所有行检查通过，可以导入').waitFor({ timeout: 60_000 });
    await b.shot('customers-06-import-checked');
    await page.getByRole('button', { name: /确认导入 20 条/ }).click();
    await page.getByRole('button', { name: '开始导入' }).click();
    // Exactly 导入完成: the dry run's title (试导入完成：…) contains the same words.
    await page.getByText('导入完成', { exact: true }).first().waitFor({ timeout: 60_000 });
    await b.shot('customers-07-import-done');
  });

  it('lists and searches the archives, and exports the list to Excel', async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers`);
    await page.getByText('共 21 条').first().waitFor();
    await b.shot('customers-08-list');
    await page.getByPlaceholder(/档案编号/).fill('华星');
    await page.getByPlaceholder(/档案编号/).press('Enter');
    await page.getByText('共 1 条').first().waitFor();
    await page.getByPlaceholder(/档案编号/).fill('');
    await page.getByPlaceholder(/档案编号/).press('Enter');
    await page.getByText('共 21 条').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByText('导出 Excel').click();
    const saved = path.join(tmp, 'export.xlsx');
    await (await download).saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('客户档案一览表');
    expect(sheet?.getRow(1).getCell(2).value).toBe('客户名称');
    expect(sheet?.actualRowCount).toBe(22);
  });

  it('hands a leaving salesperson’s archives over, warning first of a successor not cleared', async () => {
    const { page } = b;
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const users = (await admin('GET', '/api/users?limit=100')) as {
      items: { id: string; login: string; departmentId: string | null }[];
    };
    const manager = users.items.find((u) => u.login === 'manager');
    // The manager may hand over 机密 archives; 陈 leaves, 吴 (普通) and 周 (机密) could take over.
    await admin('PATCH', `/api/users/${manager?.id}`, { clearance: 'confidential' });
    const person = async (login: string, name: string, clearance: string) => {
      const created = (await admin('POST', '/api/users', {
        login,
        name,
        departmentId: manager?.departmentId,
        roles: ['staff'],
        clearance,
        password: 'Initial-pass-2026',
      })) as { id?: string; user?: { id: string } };
      const self = await api(server, login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
      return (created.user?.id ?? created.id) as string;
    };
    const chen = await person('chen', '陈离职', 'normal');
    await person('wu', '吴接任', 'normal');
    await person('zhou', '周接任', 'confidential');
    const boss = await api(server, 'manager', PASSWORD);
    const archive = async (name: string, secrecy: string) =>
      (await boss('POST', '/api/customers', {
        name,
        category: 'general',
        kind: 'business',
        secrecy,
        ownerIds: [chen],
      })) as { archiveCode: string };
    await archive('惠州普通交接电子有限公司', 'normal');
    const secret = await archive('惠州机密交接电子有限公司', 'confidential');

    await page.goto(`${server.url}/customers/handover`);
    const pick = async (label: string, name: string) => {
      await page.getByLabel(label, { exact: true }).click();
      await page.getByLabel(label, { exact: true }).fill(name);
      await page.locator('.ant-select-dropdown:visible').getByText(name).click();
    };
    await pick('交出人', '陈离职');
    await page.getByRole('cell', { name: '惠州机密交接电子有限公司' }).waitFor();
    await page.getByRole('cell', { name: '机密', exact: true }).waitFor();
    await pick('接任者', '吴接任');
    await page
      .getByTestId('handover-uncleared')
      .getByText(`吴接任 不能接收 ${secret.archiveCode}（机密）`)
      .waitFor();
    await b.shot('customers-09-handover-uncleared');
    await page.getByRole('button', { name: '确认交接' }).click();
    await page
      .locator('.ant-modal-confirm-title')
      .getByText(/接任者的涉密等级不够/)
      .waitFor();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await pick('接任者', '周接任');
    await expect.poll(() => page.getByTestId('handover-uncleared').count()).toBe(0);
    await page.getByRole('button', { name: '确认交接' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认交接' }).click();
    // The handover now also moves the leaver's open items and tells each customer: more to do
    // in one request, so a loaded machine is given longer.
    await page.getByText('已交接 陈离职 负责的 2 份档案').waitFor({ timeout: 30_000 });
    await b.shot('customers-10-handover-done');
    // 周 is told which archives are now theirs.
    const zhou = await api(server, 'zhou', PASSWORD);
    const told = (await zhou('GET', '/api/notifications')) as { items: { title: string }[] };
    expect(told.items.map((n) => n.title)).toContain('您接手了 陈离职 交接的 2 个客户档案');
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
