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
// the customer's file, find it by a two-character word, download it and a stamped copy; the
// 新版本 drawer refuses to save empty, confirms the copy to recall, and the old version shows
// 作废. Screenshots go to e2e/screenshots/documents-*.png.

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
  /** A 普通 document in a 机密 customer archive. */
  let secretDoc = '';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-docs-'));
  const v1 = path.join(tmp, '产品图纸HX-100.pdf');
  const v2 = path.join(tmp, '产品图纸HX-100-B版.pdf');

  beforeAll(async () => {
    fs.writeFileSync(v1, pdf('A'));
    fs.writeFileSync(v2, pdf('B'));
    // Many people sign in here, one after another: more than the default 20 a minute.
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    await seedManager(server, 'manager', PASSWORD);
    const manager = await api(server, 'manager', PASSWORD);
    customerId = (
      (await manager('POST', '/api/customers', {
        name: '深圳华星电子有限公司',
        category: 'general',
        kind: 'business',
      })) as { id: string }
    ).id;
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

  it('refuses an empty 新版本, confirms the copies to recall, then makes the new version current', async () => {
    const { page } = b;
    // Version A is out: one controlled copy with 销售部.
    const archivist = await api(server, 'archivist', PASSWORD);
    const id = page.url().split('/').pop() as string;
    const depts = (await archivist('GET', '/api/departments')) as { items: { id: string; name: string }[] };
    await archivist('POST', `/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ departmentId: depts.items.find((d) => d.name === '销售部')?.id }],
    });
    await page.reload();

    // Version A is out: no file is added to it any more; a change is a new version.
    expect(await page.getByRole('button', { name: '上传文件' }).isDisabled()).toBe(true);
    await page.getByTestId('upload-closed').hover();
    await page.getByText('现行版本已分发副本或已归档，不能再增加文件；如有变更请登记新版本').waitFor();

    // Saving the drawer with nothing filled in sends nothing and says what is missing.
    await page.getByRole('button', { name: '新版本' }).click();
    const drawer = page.getByRole('dialog');
    const saveAndRelease = drawer.getByRole('button', { name: '保存并生效' });
    await drawer.getByText('“保存并生效”：确认后新版本立即生效').waitFor();
    await saveAndRelease.click();
    await drawer.getByText('请填写新版本的版本号，或选择“无版本号”').waitFor();
    await drawer.getByText('电子文件的新版本须上传文件').waitFor();
    await b.shot('documents-04-new-version-empty');
    expect(await page.getByRole('dialog').count()).toBe(1);

    // A label the document already has is refused here, before any confirmation.
    await drawer.getByLabel('版本', { exact: true }).fill('A');
    await drawer.locator('input[type=file]').setInputFiles(v2);
    await saveAndRelease.click();
    await drawer.getByText('本文件已有版本“A”，请填写另一个版本号').waitFor();
    expect(await page.getByTestId('release-confirm').count()).toBe(0);
    await b.shot('documents-04a-new-version-taken');

    await drawer.getByLabel('版本', { exact: true }).fill('B');
    await drawer.getByLabel('换版说明').fill('客户更改孔位尺寸');
    await saveAndRelease.click();
    // The confirmation names the version replaced and the copy to be recalled.
    const confirm = page.getByTestId('release-confirm');
    await confirm.getByText('生效后，现行版本 A 将作废（保留可查）。').waitFor();
    await confirm.getByText('以下 1 份在用的分发副本将转为待回收：').waitFor();
    await confirm.getByText('销售部（受控 01）').waitFor();
    await b.shot('documents-04b-new-version-confirm');
    // Cancelled: nothing was written; A is still current.
    await page
      .getByRole('button', { name: '取 消' })
      .or(page.getByRole('button', { name: '取消' }))
      .last()
      .click();
    await confirm.waitFor({ state: 'hidden' });
    const before = (await archivist('GET', `/api/documents/${id}`)) as { versions: { status: string }[] };
    expect(before.versions.map((v) => v.status)).toEqual(['current']);

    await saveAndRelease.click();
    await page.getByRole('button', { name: '确认生效' }).click();
    await page.getByText('新版本已生效，原版本已作废').waitFor();
    await page.getByRole('cell', { name: '产品图纸HX-100-B版.pdf' }).waitFor();
    const old = page.getByTestId('version-1');
    await old.getByText('作废', { exact: true }).waitFor();
    await old.getByRole('cell', { name: '产品图纸HX-100.pdf' }).waitFor();
    await page.getByTestId('version-2').getByText('现行', { exact: true }).waitFor();
    // Nobody holds a copy of B yet: it can still be corrected or withdrawn.
    await page.getByTestId('version-2').getByRole('button', { name: '更正' }).waitFor();
    await page.getByTestId('version-2').getByRole('button', { name: '撤回此版本' }).waitFor();
    await b.shot('documents-04c-new-version');
    await page.getByRole('tab', { name: '分发与回收' }).click();
    await page.getByText('待回收').first().waitFor();
    await page.getByRole('tab', { name: '履历' }).click();
    await page.getByText('原版本 A 作废；客户更改孔位尺寸；转为待回收：销售部（受控 01）').waitFor();
    await b.shot('documents-05-history');
  });

  it('keeps a new version as a draft on request, and offers 生效 only once it has its file', async () => {
    const { page } = b;
    await page.getByRole('tab', { name: '版本与附件' }).click();
    await page.getByRole('button', { name: '新版本' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('版本', { exact: true }).fill('C');
    // 仅保存草稿 needs no file yet, and asks for no confirmation: nothing comes into force.
    await drawer.getByRole('button', { name: '仅保存草稿' }).click();
    await page.getByText('新版本草稿已保存').waitFor();
    const draft = page.getByTestId('version-3');
    await draft.getByText('草稿，未生效').waitFor();
    await page.getByTestId('version-2').getByText('现行', { exact: true }).waitFor();
    const release = draft.getByRole('button', { name: '生效' });
    expect(await release.isDisabled()).toBe(true);
    await draft.getByTestId('release-needs-file').hover();
    await page.getByText('电子文件的新版本须先上传文件才能生效').waitFor();
    await b.shot('documents-05a-draft');
    // Discarding a draft says so: not 撤回 (that is for a version in force).
    await draft.getByRole('button', { name: '放弃草稿' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('放弃草稿 C').waitFor();
    await dialog.getByLabel('放弃原因').fill('暂不换版');
    await b.shot('documents-05b-discard');
    await dialog.getByRole('button', { name: '放弃草稿' }).click();
    await page.getByText('草稿已放弃').waitFor();
    await draft.waitFor({ state: 'detached' });
  });

  it('shows a refused download as a message, not as raw JSON', async () => {
    const { page } = b;
    // The stored content of B's file goes missing: the server answers 410.
    const digest = createHash('sha256').update(fs.readFileSync(v2)).digest('hex');
    const blob = path.join(server.dataDir, 'blobs', digest.slice(0, 2), digest.slice(2, 4), digest);
    const aside = path.join(tmp, 'aside');
    fs.renameSync(blob, aside);
    const url = page.url();
    await page.getByTestId('version-2').getByRole('link', { name: /下载/ }).click();
    await page.getByText('文件内容在存储中找不到，请联系管理员运行完整性检查').waitFor();
    expect(page.url()).toBe(url);
    await b.shot('documents-05c-refused-download');
    fs.renameSync(aside, blob);
  });

  it("lists the document in the customer's 文件 tab", async () => {
    const { page } = b;
    await page.goto(`${server.url}/customers/${customerId}?tab=files`);
    await page.getByRole('link', { name: '产品图纸 HX-100' }).waitFor();
    await b.shot('documents-06-customer-tab');
  });

  it('lists the drawing in 客户提供资料一览表 and exports the register to Excel and CSV', async () => {
    const { page } = b;
    await page.goto(`${server.url}/documents/registers`);
    await page.getByRole('tab', { name: '客户提供资料一览表' }).click();
    await page.getByRole('cell', { name: 'PFMEA、控制计划' }).waitFor();
    await page.getByRole('tabpanel').getByText('含作废版本').click();
    await page.getByRole('cell', { name: /^作废/ }).waitFor();
    await b.shot('documents-07-registers');
    await page.getByRole('tabpanel').getByText('含作废版本').click();
    const download = page.waitForEvent('download');
    await page.getByRole('tabpanel').getByRole('button', { name: '导出' }).click();
    await page.getByRole('menuitem', { name: 'Excel（.xlsx）' }).click();
    const saved = path.join(tmp, 'register.xlsx');
    await (await download).saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('客户提供资料一览表');
    expect(sheet?.getRow(2).getCell(3).value).toBe('产品图纸 HX-100');
    expect(sheet?.getRow(2).getCell(5).value).toBe('B');
    const csvDownload = page.waitForEvent('download');
    await page.getByRole('tabpanel').getByRole('button', { name: '导出' }).click();
    await page.getByRole('menuitem', { name: 'CSV（GBK，旧版软件）' }).click();
    const csvSaved = path.join(tmp, 'register.csv');
    await (await csvDownload).saveAs(csvSaved);
    const csv = new TextDecoder('gbk').decode(fs.readFileSync(csvSaved));
    expect(csv.split('\r\n')[0]).toMatch(/^序号,客户,文件名称,/);
    expect(csv).toContain('产品图纸 HX-100');
  });

  it('lets the archivist distribute a controlled copy of the current version', async () => {
    const { page } = b;
    const archivist = await api(server, 'archivist', PASSWORD);
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
    // B's copy 01 in use, A's copy 01 still to be recalled.
    await page.getByRole('cell', { name: '01', exact: true }).first().waitFor();
    await page.getByRole('cell', { name: '销售部', exact: true }).first().waitFor();
    await page.getByText('待回收').first().waitFor();
    await b.shot('documents-08-distribution');
    // The 文件发放/回收登记表 opens as a PDF in a new tab.
    const popup = page.waitForEvent('popup');
    await page.getByRole('link', { name: '打印发放/回收登记表' }).click();
    const tab = await popup;
    await tab.waitForURL(/^blob:/);
    await tab.close();
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
    // Encryption at rest: from 秘密 by default (the server needs its master key for it).
    await page.getByText('秘密及以上').waitFor();
    await page.getByRole('button', { name: '保存' }).first().click();
    await page.getByText('档号、保管期限与加密设置已保存').waitFor();
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

  it('offers a reader under a loan for reading only the online view (R-P4)', async () => {
    const { page } = b;
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const quality = (await admin('POST', '/api/departments', { name: '品质部', code: 'PZ' })) as {
      id: string;
    };
    for (const p of [
      { login: 'wang', name: '王品质', roles: ['staff'], departmentId: quality.id },
      { login: 'wu', name: '吴经理', roles: ['department_manager'], departmentId: quality.id },
      {
        login: 'zhang',
        name: '张总',
        roles: ['general_manager'],
        departmentId: quality.id,
        clearance: 'top_secret',
      },
    ]) {
      await admin('POST', '/api/users', { ...p, password: 'Initial-pass-2026' });
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const wang = await api(server, 'wang', PASSWORD);
    const found = (await wang('GET', '/api/lending/catalogue?q=HX-DWG&type=document')) as {
      targetId: string;
    }[];
    const documentId = found[0]?.targetId as string;
    const request = (await wang('POST', '/api/access-requests', {
      mode: 'electronic',
      purpose: 'read',
      reason: '核对图纸尺寸',
      days: 3,
      items: [{ targetType: 'document', targetId: documentId }],
    })) as { id: string; number: string };
    for (const login of ['wu', 'zhang'])
      await (await api(server, login, PASSWORD))('POST', `/api/access-requests/${request.id}/decisions`, {
        decision: 'approve',
      });

    await b.context.clearCookies();
    await signInBrowser(b, server, 'wang', PASSWORD);
    await page.goto(`${server.url}/documents/${documentId}`);
    await page.getByTestId('loan-alert').getByText(`您通过借阅申请 ${request.number} 查阅本文件`).waitFor();
    await page.getByTestId('loan-alert').getByText('本次借阅只批准查阅').waitFor();
    const current = page.getByTestId('version-2');
    await current.getByRole('link', { name: /预览/ }).waitFor();
    expect(await current.getByRole('link', { name: /下载/ }).count()).toBe(0);
    expect(await current.getByRole('link', { name: /盖章副本/ }).count()).toBe(0);
    await b.shot('documents-11-loan-read-only');
  });

  it('shows the level a record in a 机密 customer archive is handled at (R-P9)', async () => {
    const { page } = b;
    const zhang = await api(server, 'zhang', PASSWORD);
    const secret = (await zhang('POST', '/api/customers', {
      name: '苏州恒达精工有限公司',
      category: 'general',
      kind: 'business',
      secrecy: 'confidential',
    })) as { id: string };
    const registered = (await zhang('POST', '/api/documents', {
      title: '恒达质量协议',
      category: 'customer_supplied',
      source: 'customer',
      customerId: secret.id,
    })) as { id: string };
    await b.context.clearCookies();
    await signInBrowser(b, server, 'zhang', PASSWORD);
    secretDoc = registered.id;
    await page.goto(`${server.url}/documents/${secretDoc}`);
    await page.getByTestId('secrecy').getByText('普通（所属客户档案为机密，按机密管理）').waitFor();
    await page.getByTestId('effective-secrecy').getByText('机密').waitFor();
    await b.shot('documents-12-effective-secrecy');
    await page.goto(`${server.url}/documents`);
    const row = page.getByRole('row', { name: /恒达质量协议/ });
    await row.getByTestId('secrecy-cell').getByText('机密').waitFor();
    await row.getByTestId('secrecy-cell').getByText('按档案').waitFor();
    // Records handled as 普通 say so too, rather than leaving the column blank.
    await page
      .getByRole('row', { name: /产品图纸 HX-100/ })
      .getByTestId('secrecy-cell')
      .getByText('普通')
      .waitFor();
    await b.shot('documents-13-list-secrecy');
    await page.goto(`${server.url}/customers/${secret.id}?tab=files`);
    await page
      .getByRole('row', { name: /恒达质量协议/ })
      .getByTestId('secrecy-cell')
      .getByText('机密')
      .waitFor();
    await b.shot('documents-14-customer-tab-secrecy');
  });

  it('refuses a copy for a department whose manager is not cleared, under the field (R-P9)', async () => {
    const { page } = b;
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const users = (await admin('GET', '/api/users?limit=100')) as { items: { id: string; login: string }[] };
    const archivistId = users.items.find((u) => u.login === 'archivist')?.id;
    await admin('PATCH', `/api/users/${archivistId}`, { clearance: 'confidential' });
    await b.context.clearCookies();
    await signInBrowser(b, server, 'archivist', PASSWORD);
    await page.goto(`${server.url}/documents/${secretDoc}`);
    await page.getByRole('tab', { name: '分发与回收' }).click();
    await page.getByRole('button', { name: '分发' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('接收部门').click();
    await page.locator('.ant-select-dropdown:visible').getByText('销售部', { exact: true }).click();
    await page.keyboard.press('Escape');
    // Under the field that chose the department, not as a general error.
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer
      .locator('.ant-form-item-explain-error', {
        hasText: '销售部的部门经理涉密等级低于本文件的密级“机密”，不能代部门接收副本；可分发给具体人员',
      })
      .waitFor();
    await b.shot('documents-16-distribute-uncleared');
    const archivist = await api(server, 'archivist', PASSWORD);
    expect(await archivist('GET', `/api/documents/${secretDoc}/copies`)).toEqual([]);
  });

  it("defaults 接收日期 to the company's day in a browser in another time zone", async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Shanghai',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date()),
    );
    // A zone whose date differs from Shanghai's right now: 19 h behind before 19:00, 6 h ahead after.
    const away = await openBrowser({ timezoneId: hour < 19 ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati' });
    try {
      const { page } = away;
      await signInBrowser(away, server, 'zhang', PASSWORD);
      await page.goto(`${server.url}/documents`);
      expect(await page.evaluate(() => new Date().toLocaleDateString('en-CA'))).not.toBe(today);
      await page.getByRole('button', { name: '登记文件' }).click();
      const drawer = page.getByRole('dialog');
      expect(await drawer.getByLabel('接收日期').inputValue()).toBe(today);
      await drawer.getByRole('button', { name: /取\s*消/ }).click();
      await drawer.waitFor({ state: 'hidden' });
      await page.getByRole('link', { name: '恒达质量协议' }).click();
      await page.getByRole('button', { name: '新版本' }).click();
      expect(await page.getByRole('dialog').getByLabel('接收日期').inputValue()).toBe(today);
      await away.shot('documents-15-received-today');
      expect(away.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
    } finally {
      await away.close();
    }
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
