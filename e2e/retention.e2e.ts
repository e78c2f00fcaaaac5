import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  signInBrowser,
  startServer,
} from './support.js';

// Retention in the browser (R-X2/R-X3/R-X4): the archivist opens an appraisal of three records
// whose term ran out, the group (archivist and the sales manager) agrees to destroy them, the
// archivist draws up the destruction register (and may not sign it himself; the page names who
// may), the archive head, the department head and the general manager sign it in their own
// sessions, a hold placed afterwards shows on the register at once, the archivist destroys with
// two witnesses picked from those allowed, each witness checks the items and signs, and the
// register is exported. Along the way: a request to read two of the records, waiting when they
// are destroyed, cannot be approved; the audit log names who set off what the system did; a
// register or appraisal that does not exist has its way back.
// Screenshots: e2e/screenshots/retention-*.png.

const PASSWORD = 'Retention-e2e-2026';

interface Person {
  login: string;
  name: string;
  roles: string[];
  department: string;
}

const PEOPLE: Person[] = [
  { login: 'wang', name: '王档案', roles: ['archivist'], department: 'archive' },
  { login: 'zhou', name: '周主任', roles: ['archivist'], department: 'archive' },
  { login: 'li', name: '李经理', roles: ['department_manager'], department: 'sales' },
  { login: 'zhang', name: '张总', roles: ['general_manager'], department: 'office' },
  { login: 'zhao', name: '赵监销', roles: ['staff'], department: 'sales' },
  { login: 'qian', name: '钱监销', roles: ['quality'], department: 'office' },
];

describe('appraisal and witnessed destruction in the browser', () => {
  let server: Server;
  let b: Browser;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-e2e-retention-'));
  const ids: Record<string, string> = {};

  /** Signs in as someone else: a fresh session, as on another computer (the menu's 退出登录 is
   * slow to settle on a loaded machine, and signing out is not what these steps are about). */
  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
  };

  beforeAll(async () => {
    // Seven people sign in from this one address, some several times a minute.
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const dept = async (name: string, code: string) =>
      ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
    const departments: Record<string, string> = {
      archive: await dept('档案室', 'DA'),
      sales: await dept('销售部', 'XS'),
      office: await dept('总经办', 'ZJ'),
    };
    for (const p of PEOPLE) {
      const user = (await admin('POST', '/api/users', {
        login: p.login,
        name: p.name,
        departmentId: departments[p.department],
        roles: p.roles,
        password: 'Initial-pass-2026',
      })) as { id: string };
      ids[p.login] = user.id;
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    // Two records of 2015 kept for ten years: due since 2026-01-01.
    const wang = await api(server, 'wang', PASSWORD);
    // Records of 销售部, whose manager signs for the business department.
    const register = (body: object) =>
      wang('POST', '/api/documents', {
        category: 'records',
        retention: 'D10',
        departmentId: departments.sales,
        ...body,
      });
    const contract = (await register({
      title: '2015年度销售合同台账',
      docNumber: 'XS-2015-001',
      responsibleParty: '销售部',
      issueDate: '2015-03-10',
    })) as { id: string };
    const complaints = (await register({
      title: '2015年度客户投诉记录',
      docNumber: 'XS-2015-TS',
      responsibleParty: '销售部',
      issueDate: '2015-09-01',
      carrier: 'paper',
      location: 'A柜-06盒',
    })) as { id: string };
    ids.complaints = complaints.id;
    const slip = (await register({
      title: '2015年度发货单（纸质）',
      docNumber: 'XS-2015-FH',
      responsibleParty: '销售部',
      issueDate: '2015-06-01',
      carrier: 'paper',
      location: 'A柜-05盒',
    })) as { id: string };
    // 赵 asks to read two of them; the request is still waiting when they are destroyed.
    const zhao = await api(server, 'zhao', PASSWORD);
    const asked = (await zhao('POST', '/api/access-requests', {
      mode: 'electronic',
      purpose: 'read',
      reason: '核对2015年发货与合同',
      items: [
        { targetType: 'document', targetId: contract.id },
        { targetType: 'document', targetId: slip.id },
      ],
    })) as { id: string };
    ids.request = asked.id;
    // The electronic one has a file, whose content the destruction removes.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'wang', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const up = await fetch(
      `${server.url}/api/documents/${contract.id}/files?name=${encodeURIComponent('台账.txt')}`,
      {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/octet-stream' },
        body: '2015年销售合同台账：华星电子 12 份',
      },
    );
    expect(up.status).toBe(201);
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('opens an appraisal from the due list', async () => {
    const { page } = b;
    await as('wang');
    await page.goto(`${server.url}/retention/due`);
    await page.getByText('共 3 件到期').waitFor();
    await page.getByRole('cell', { name: '2015年度销售合同台账' }).waitFor();
    await b.shot('retention-01-due');
    await page.getByRole('button', { name: '对全部符合条件的档案发起鉴定' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('鉴定名称').fill('2015年度到期档案鉴定');
    // The archivist alone is not a group: the form says what it needs, in plain words.
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('鉴定小组至少 2 人（档案部门和业务部门各至少 1 人）').waitFor();
    await b.shot('retention-02a-group-needed');
    await drawer.getByLabel('鉴定小组').click();
    await drawer.getByLabel('鉴定小组').fill('李经理');
    await page.locator('.ant-select-dropdown:visible').getByText('李经理').click();
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/retention\/appraisals\/[0-9a-f-]{36}$/);
    await page.getByText(/JD\d{4}-001 2015年度到期档案鉴定/).waitFor();
    await page.getByRole('button', { name: '全部拟销毁' }).click();
    await page.getByRole('button', { name: '保存我的意见' }).click();
    await page.getByText('意见已保存').waitFor();
    await b.shot('retention-02-appraisal');
  });

  it('collects the business department’s opinion and concludes with a report', async () => {
    const { page } = b;
    const url = page.url();
    await as('li');
    await page.goto(url);
    await page.getByRole('button', { name: '全部拟销毁' }).click();
    await page.getByRole('button', { name: '保存我的意见' }).click();
    await page.getByText('意见已保存').waitFor();
    await as('wang');
    await page.goto(url);
    await page.getByRole('button', { name: '结束鉴定' }).click();
    await page
      .getByRole('button', { name: '确 定' })
      .or(page.getByRole('button', { name: '确定' }))
      .click();
    await page.getByText('鉴定已结束，鉴定报告已归档').waitFor();
    await page.getByText('继续保存 0 件，销毁 3 件').waitFor();
    await b.shot('retention-03-concluded');
  });

  it('draws up the destruction register and has it signed in order', async () => {
    const { page } = b;
    await page.goto(`${server.url}/retention/disposals?tab=candidates`);
    await page.getByRole('cell', { name: '2015年度发货单（纸质）' }).waitFor();
    await page.locator('thead .ant-checkbox-input').check();
    await page.getByRole('button', { name: '用选中的 3 件编制清册' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('清册名称').fill('2015年度到期档案销毁清册');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/retention\/disposals\/[0-9a-f-]{36}$/);
    const url = page.url();
    // While drawn up, an item can be taken off again (here: looked at, then kept).
    const takeOff = page.getByRole('button', { name: '移出 2015年度发货单（纸质）' });
    await takeOff.waitFor();
    await b.shot('retention-04-draft');
    await takeOff.click();
    await page.getByText(/将“2015年度发货单（纸质）”移出本清册/).waitFor();
    await page
      .getByRole('button', { name: '取 消' })
      .or(page.getByRole('button', { name: '取消' }))
      .click();
    await page.getByRole('button', { name: '提交签批' }).click();
    await page
      .getByRole('button', { name: '确 定' })
      .or(page.getByRole('button', { name: '确定' }))
      .click();
    await page.getByText('已提交签批').waitFor();
    await b.shot('retention-04-register');

    const sign = async (login: string, step: string) => {
      await as(login);
      await page.goto(url);
      await page.getByRole('button', { name: `签批：${step}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: '确认签字' }).click();
      await page.locator('.ant-message').getByText('已签字', { exact: true }).waitFor();
    };
    // The archivist who drew it up may not sign it; the page says why, and who may.
    await page.getByTestId('sign-blocked').getByText('您编制了这份销毁清册，不能再作为签批人签字').waitFor();
    await page.getByTestId('sign-blocked').getByText('可签批：周主任').waitFor();
    expect(await page.getByRole('button', { name: /签批：/ }).count()).toBe(0);
    await b.shot('retention-04-drafter-cannot-sign');
    await sign('zhou', '档案部门负责人');
    await sign('li', '业务部门负责人');
    await sign('zhang', '总经理');
    await page.getByText('已批准，待销毁').first().waitFor();
    await b.shot('retention-05-signed');

    // A hold placed after the signatures shows on the register at once, with its reason.
    const wang = await api(server, 'wang', PASSWORD);
    await wang('POST', '/api/holds', {
      targetType: 'document',
      targetId: ids.complaints,
      kind: 'dispute',
      reason: '客户就投诉处理结果申请复核',
    });
    await as('li');
    await page.goto(url);
    await page.getByText('冻结中：争议：客户就投诉处理结果申请复核（执行销毁时不销毁）').waitFor();
    await page.getByTestId('items-held').waitFor();
    await page.getByTestId('disposal-counts').getByText('共 3 件：冻结中 1 件').waitFor();
    await b.shot('retention-05a-held');
  });

  it('destroys with two witnesses who check each item and sign', async () => {
    const { page } = b;
    const url = page.url();
    await as('wang');
    await page.goto(url);
    await page.getByRole('button', { name: '执行销毁' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '执行销毁' }).click();
    await dialog.getByText('请选择 2 名监销人').waitFor();
    // Only people who may witness are offered: not a signer such as 周主任.
    await dialog.getByLabel('监销人').click();
    await dialog.getByLabel('监销人').fill('周');
    await page.locator('.ant-select-dropdown:visible').getByText('没有符合条件的监销人').waitFor();
    await b.shot('retention-06a-witness-picker');
    for (const name of ['赵监销', '钱监销']) {
      await dialog.getByLabel('监销人').fill(name);
      await page.locator('.ant-select-dropdown:visible').getByText(name).click();
    }
    await dialog.getByRole('button', { name: '执行销毁' }).click();
    await page.getByText('已执行销毁，请监销人逐件核对签字').first().waitFor();
    await page.getByText('纸质，待监销确认').waitFor();
    await b.shot('retention-06-destroyed');

    for (const login of ['zhao', 'qian']) {
      await as(login);
      await page.goto(url);
      const sign = page.getByRole('button', { name: '核对无误，签字' });
      await expect(sign.isDisabled()).resolves.toBe(true);
      for (const box of await page.getByRole('checkbox', { name: /^核对 / }).all()) await box.check();
      await sign.click();
      await page.locator('.ant-message').getByText('已签字').waitFor();
    }
    await page.getByText('销毁完成，清册已作为永久档案保存').waitFor();
    await page.getByTestId('disposal-counts').getByText('共 3 件：已销毁 2 件，冻结未销毁 1 件').waitFor();
    await b.shot('retention-07-completed');
  });

  it('exports the register and shows the destroyed record with its metadata', async () => {
    const { page } = b;
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 Excel' }).click();
    const saved = path.join(tmp, 'register.xlsx');
    await (await download).saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('销毁清册');
    expect(sheet?.getRow(1).getCell(2).value).toBe('档号');
    const rows = [2, 3, 4].map((r) => [
      String(sheet?.getRow(r).getCell(5).value),
      String(sheet?.getRow(r).getCell(10).value),
    ]);
    expect(rows.map(([title]) => title).sort()).toEqual([
      '2015年度发货单（纸质）',
      '2015年度客户投诉记录',
      '2015年度销售合同台账',
    ]);
    expect(rows.find(([title]) => title === '2015年度销售合同台账')?.[1]).toBe('已销毁');
    expect(rows.find(([title]) => title === '2015年度客户投诉记录')?.[1]).toContain('冻结');

    await as('wang');
    await page.goto(`${server.url}/documents?q=${encodeURIComponent('销售合同台账')}`);
    await page.getByRole('link', { name: '2015年度销售合同台账' }).first().click();
    await page.getByText(/本文件已按销毁清册 XH\d{4}-001/).waitFor();
    await page.getByText('内容已销毁').first().waitFor();
    await b.shot('retention-08-document');
  });

  it('does not approve a waiting request for records destroyed meanwhile', async () => {
    const { page } = b;
    await as('li');
    await page.goto(`${server.url}/lending/requests/${ids.request}`);
    await page.getByText(/JY\d{6}-0001 2015年度发货单（纸质） 等 2 件/).waitFor();
    await page.getByTestId('items-destroyed').waitFor();
    await page.getByText('已销毁', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: /同\s*意/ }).isDisabled()).toBe(true);
    await b.shot('retention-09-request-destroyed');
  });

  it('names the witness who set off what the system did, in the audit log', async () => {
    const { page } = b;
    await as('admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/audit`);
    await page.getByLabel('操作', { exact: true }).fill('disposal.complete');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByText('系统（由 钱监销 触发）').first().waitFor();
    await page
      .getByRole('button', { name: /展开行|Expand row/ })
      .first()
      .click();
    await page.getByText('触发人').first().waitFor();
    await page.getByText('钱监销（qian）').first().waitFor();
    await b.shot('retention-10-audit');
  });

  it('shows the way back from a register or appraisal that does not exist', async () => {
    const { page } = b;
    const missing = '01900000-0000-7000-8000-000000000000';
    await as('wang');
    await page.goto(`${server.url}/retention/disposals/${missing}`);
    await page.getByText('销毁清册不存在，或您无权查看').waitFor();
    await b.shot('retention-11-not-found');
    await page.getByRole('button', { name: '返回销毁清册' }).click();
    await page.waitForURL(/\/retention\/disposals$/);
    await page.goto(`${server.url}/retention/appraisals/${missing}`);
    await page.getByRole('button', { name: '返回档案鉴定' }).click();
    await page.waitForURL(/\/retention\/appraisals$/);
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
