import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  pickOption,
  type Server,
  seedPeople,
  signInBrowser,
  startServer,
} from './support.js';

// The archivist and the general manager on secrecy and customer authorisation (R-D5, R-P10):
// a customer drawing used for production is refused as a 受控 copy until the signed
// authorisation is attached on its page; a 机密 standard whose term ended is on the 解密/降密
// review list; the archivist asks to lower it, the general manager approves. Screenshots go to
// e2e/screenshots/secrecy-*.png.

const PASSWORD = 'Secrecy-e2e-2026';

describe('secrecy and customer authorisation in the browser', () => {
  let server: Server;
  let b: Browser;
  let drawing = '';
  let standard = '';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-secrecy-'));
  const letter = path.join(tmp, '客户授权书.pdf');

  beforeAll(async () => {
    fs.writeFileSync(
      letter,
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const dept = (await admin('POST', '/api/departments', { name: '品质部', code: 'PZ' })) as { id: string };
    await seedPeople(
      server,
      [
        {
          login: 'archivist',
          name: '赵档案',
          departmentId: dept.id,
          roles: ['archivist'],
          clearance: 'confidential',
        },
        {
          login: 'gm',
          name: '王总',
          departmentId: dept.id,
          roles: ['general_manager'],
          clearance: 'top_secret',
        },
        {
          login: 'qamgr',
          name: '钱经理',
          departmentId: dept.id,
          roles: ['department_manager'],
          clearance: 'secret',
        },
      ],
      PASSWORD,
    );
    const gm = await api(server, 'gm', PASSWORD);
    const customer = (await gm('POST', '/api/customers', {
      name: '深圳华星电子有限公司',
      category: 'general',
      kind: 'business',
    })) as { id: string };
    drawing = (
      (await gm('POST', '/api/documents', {
        title: '产品图纸 HX-100',
        source: 'customer',
        category: 'customer_supplied',
        customerId: customer.id,
        productionUse: true,
        versionLabel: 'A',
      })) as { id: string }
    ).id;
    standard = (
      (await gm('POST', '/api/documents', {
        title: '机密工艺标准',
        category: 'product_standards',
        secrecy: 'confidential',
        secrecyTerm: '10年',
        issueDate: '2016-01-15',
      })) as { id: string }
    ).id;
    b = await openBrowser();
    await signInBrowser(b, server, 'archivist', PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('explains why a controlled copy waits for the customer authorisation, and takes it', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents/${drawing}`);
    await page.getByText('尚缺：客户签字授权文件、授权签字人、授权日期').first().waitFor();
    await page.getByRole('tab', { name: '分发与回收' }).click();
    await page.getByRole('button', { name: '分发' }).click();
    const drawer = page.getByRole('dialog');
    // A customer's document goes out marked 客户文件 by default; 受控 waits for the authorisation.
    await pickOption(
      page,
      drawer.locator('.ant-form-item', { hasText: '标识' }).locator('.ant-select'),
      '受控',
    );
    await drawer.getByTestId('authorization-missing').waitFor();
    await b.shot('secrecy-01-distribute-refused');
    await drawer.getByRole('button', { name: /取\s*消/ }).click();
    await page.getByTestId('attach-authorization').click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('客户授权签字人').fill('华星 质量部 李工');
    await modal.getByLabel('客户授权日期').click();
    await modal.getByLabel('客户授权日期').fill('2026-11-20');
    await page.keyboard.press('Enter');
    await modal.locator('input[type=file]').setInputFiles(letter);
    await b.shot('secrecy-02-attach');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('客户签字授权齐全，可以发放受控副本').waitFor();
    await page.getByRole('link', { name: '客户授权书.pdf' }).waitFor();
    await b.shot('secrecy-03-authorized');
  });

  it('lists the ended term for review; the archivist asks, the general manager approves', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents/secrecy-reviews`);
    await page.getByRole('link', { name: '机密工艺标准' }).waitFor();
    await page.getByText('机密★10年').waitFor();
    await page.getByText('已届满').first().waitFor();
    await b.shot('secrecy-04-review-list');
    await page.getByRole('link', { name: '机密工艺标准' }).click();
    await page.getByTestId('secrecy-ended').waitFor();
    await page.getByRole('tab', { name: '密级变更' }).click();
    await page.getByTestId('ask-secrecy-change').click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('变更后密级').click();
    await page.getByTitle('秘密', { exact: true }).click();
    await modal.getByLabel('保密期限').click();
    await page.getByTitle('保密年限').click();
    await modal.getByLabel('保密年限').fill('5');
    await modal.getByLabel('变更理由').fill('工艺已部分公开，降为秘密');
    await b.shot('secrecy-05-ask');
    await modal.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('MJBG-').first().waitFor();
    await page.getByText('待审批').waitFor();

    expect(b.problems).toEqual([]);
    // Signed out by clearing the session: the sign-in page's 401 for /api/me is expected.
    await b.context.clearCookies();
    await signInBrowser(b, server, 'gm', PASSWORD);
    b.problems.length = 0;
    await page.goto(`${server.url}/documents/${standard}`);
    await page.getByRole('tab', { name: '密级变更' }).click();
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await page.getByPlaceholder('审批意见（选填）').fill('同意');
    await page.getByRole('dialog').getByRole('button', { name: '批准', exact: true }).click();
    await page.getByText('已批准').waitFor();
    await page.getByTestId('secrecy').getByText('秘密★5年').waitFor();
    await b.shot('secrecy-06-approved');
    expect(b.problems).toEqual([]);
  });
});
