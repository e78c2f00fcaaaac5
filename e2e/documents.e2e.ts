import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText } from '../src/server/modules/documents/text.js';
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

// A salesperson's customer documents in the browser: upload a customer's drawing (PDF) into
// the customer's file, find it by a two-character word, download it and a stamped copy,
// register a new version
// and see the old one marked 作废. Screenshots go to e2e/screenshots/documents-*.png.

const PASSWORD = 'Manager-e2e-2026';

function pdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

describe('documents in the browser', () => {
  let server: Server;
  let b: Browser;
  let customerId: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-docs-'));
  const v1 = path.join(tmp, '产品图纸HX-100.pdf');
  const v2 = path.join(tmp, '产品图纸HX-100-B版.pdf');

  beforeAll(async () => {
    fs.writeFileSync(v1, pdf('A'));
    fs.writeFileSync(v2, pdf('B'));
    server = await startServer();
    await seedManager(server, 'manager', PASSWORD);
    const manager = await api(server, 'manager', PASSWORD);
    customerId = (
      (await manager('POST', '/api/customers', {
        name: '深圳华星电子有限公司',
        category: 'general',
        kind: 'business',
      })) as { id: string }
    ).id;
    b = await openBrowser();
    await signInBrowser(b, server, 'manager', PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("uploads a customer's drawing into the customer's file", async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers/${customerId}?tab=files`);
    await page.getByText('该客户档案下还没有文件').waitFor();
    await page.getByRole('button', { name: '上传到客户档案' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('题名').fill('产品图纸 HX-100');
    await drawer.getByLabel('文号/编号').fill('HX-DWG-0012');
    await drawer.getByLabel('版本').fill('A');
    await drawer.getByLabel('引起内部文件变更').fill('PFMEA、控制计划');
    await drawer.locator('input[type=file]').setInputFiles(v1);
    await b.shot('documents-01-register');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await page.getByRole('cell', { name: '产品图纸HX-100.pdf' }).waitFor();
    await page.getByText('application/pdf').waitFor();
    await b.shot('documents-02-detail');
  });

  it('finds the document by a two-character word and downloads the file unchanged', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents`);
    await page.getByPlaceholder(/题名、文号/).fill('图纸');
    await page.getByPlaceholder(/题名、文号/).press('Enter');
    await page.getByText('共 1 份').waitFor();
    await page.getByRole('link', { name: '产品图纸 HX-100' }).waitFor();
    await b.shot('documents-03-search');
    await page.getByPlaceholder(/题名、文号/).fill('投诉');
    await page.getByPlaceholder(/题名、文号/).press('Enter');
    await page.getByText('共 0 份').waitFor();

    await page.getByPlaceholder(/题名、文号/).fill('HX-DWG');
    await page.getByPlaceholder(/题名、文号/).press('Enter');
    await page.getByRole('link', { name: '产品图纸 HX-100' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /下载/ }).first().click();
    const saved = path.join(tmp, 'downloaded.pdf');
    const file = await download;
    expect(file.suggestedFilename()).toBe('产品图纸HX-100.pdf');
    await file.saveAs(saved);
    const digest = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    expect(digest(saved)).toBe(digest(v1));

    // A stamped copy for the reader: 只供参考, their name and the date on the page.
    const stampedDownload = page.waitForEvent('download');
    await page
      .getByRole('link', { name: /盖章副本/ })
      .first()
      .click();
    const stamped = await stampedDownload;
    expect(stamped.suggestedFilename()).toBe('产品图纸HX-100-只供参考.pdf');
    const stampedFile = path.join(tmp, 'stamped.pdf');
    await stamped.saveAs(stampedFile);
    expect(await extractText(stampedFile, 'application/pdf')).toContain('只供参考 · 李经理');
    expect(digest(saved)).toBe(digest(v1));
  });

  it('registers a new version and shows the old one as 作废', async () => {
    const { page } = b;
    await page.getByRole('button', { name: '新版本' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('版本').fill('B');
    await drawer.getByLabel('换版说明').fill('客户更改孔位尺寸');
    await drawer.locator('input[type=file]').setInputFiles(v2);
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('已登记新版本，原版本已作废').waitFor();
    await page.getByRole('cell', { name: '产品图纸HX-100-B版.pdf' }).waitFor();
    const old = page.getByTestId('version-1');
    await old.getByText('作废', { exact: true }).waitFor();
    await old.getByRole('cell', { name: '产品图纸HX-100.pdf' }).waitFor();
    await page.getByTestId('version-2').getByText('现行', { exact: true }).waitFor();
    await b.shot('documents-04-new-version');
    await page.getByRole('tab', { name: '履历' }).click();
    await page.getByText('原版本 A 作废；客户更改孔位尺寸').waitFor();
    await b.shot('documents-05-history');
  });

  it("lists the document in the customer's 文件 tab", async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers/${customerId}?tab=files`);
    await page.getByRole('link', { name: '产品图纸 HX-100' }).waitFor();
    await b.shot('documents-06-customer-tab');
  });

  it('lists the drawing in 客户提供资料一览表 and exports the register to Excel', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents/registers`);
    await page.getByRole('tab', { name: '客户提供资料一览表' }).click();
    await page.getByRole('cell', { name: 'PFMEA、控制计划' }).waitFor();
    await page.getByRole('tabpanel').getByText('含作废版本').click();
    await page.getByRole('cell', { name: /^作废/ }).waitFor();
    await b.shot('documents-07-registers');
    await page.getByRole('tabpanel').getByText('含作废版本').click();
    const download = page.waitForEvent('download');
    await page.getByRole('tabpanel').getByText('导出 Excel').click();
    const saved = path.join(tmp, 'register.xlsx');
    await (await download).saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('客户提供资料一览表');
    expect(sheet?.getRow(2).getCell(3).value).toBe('产品图纸 HX-100');
    expect(sheet?.getRow(2).getCell(5).value).toBe('B');
  });

  it('lets the archivist distribute a controlled copy of the current version', async () => {
    const { page } = b;
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const depts = (await admin('GET', '/api/departments')) as { items: { id: string }[] };
    await admin('POST', '/api/users', {
      login: 'archivist',
      name: '赵档案',
      departmentId: depts.items[0]?.id,
      roles: ['archivist'],
      password: 'Initial-pass-2026',
    });
    const archivist = await api(server, 'archivist', 'Initial-pass-2026');
    await archivist('POST', '/api/auth/password', {
      currentPassword: 'Initial-pass-2026',
      newPassword: PASSWORD,
    });
    const url = page.url();
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await signInBrowser(b, server, 'archivist', PASSWORD);
    const docs = (await archivist('GET', '/api/documents?q=HX-DWG')) as { items: { id: string }[] };
    await page.goto(`${server.url}/documents/${docs.items[0]?.id}`);
    await page.getByRole('tab', { name: '分发与回收' }).click();
    await page.getByRole('button', { name: '分发' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('接收部门').click();
    await page.locator('.ant-select-dropdown:visible').getByText('销售部', { exact: true }).click();
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('已分发 1 份').waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: '01', exact: true }).waitFor();
    await page.getByRole('cell', { name: '销售部', exact: true }).waitFor();
    await b.shot('documents-08-distribution');
    expect(url).toContain('/documents');
  });

  it('lets the administrator configure categories and the 档号 rule', async () => {
    const { page } = b;
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await signInBrowser(b, server, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/admin/document-config`);
    await page.getByRole('cell', { name: /量具校准与产品测试标准/ }).waitFor();
    await page.getByLabel('全宗号').fill('J025');
    await page.getByRole('button', { name: '保存' }).first().click();
    await page.getByText('档号规则已保存').waitFor();
    await b.shot('documents-09-config');
  });

  it('runs the integrity check and finds nothing wrong', async () => {
    const { page } = b;
    await page.goto(`${server.url}/admin/integrity`);
    await page.getByText('还没有做过完整性检查').waitFor();
    await page.getByRole('button', { name: '立即检查' }).click();
    await page.getByText(/的检查全部通过/).waitFor({ timeout: 60_000 });
    await b.shot('documents-10-integrity');
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
