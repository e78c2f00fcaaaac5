import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_PDF } from '../src/server/test-support/documents.js';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  seedPeople,
  signInBrowser,
  startServer,
} from './support.js';

// A work instruction in the browser (issue 18): the engineer drafts it and submits it (编制), the
// engineering manager reviews it (审核), the production and quality managers countersign it (会签)
// from their 待我签署 page, the general manager approves it with today as its effective date
// (批准, 生效日期) and it is in force; the archivist distributes it to two people, who each sign
// for their copy (签收) in their own session. Screenshots: e2e/screenshots/approval-*.png.

const PASSWORD = 'Approval-e2e-2026';

describe('document approval and signed receipt in the browser', () => {
  let server: Server;
  let b: Browser;
  let id = '';
  let production = '';

  /** Signs the browser in as `login` (a session of their own: the previous one is signed out). */
  async function as(login: string) {
    // What the previous person's session met: no errors.
    expect(b.problems, b.problems.join('\n')).toEqual([]);
    // Off the app first: its requests would meet the cleared session (401) mid-flight.
    await b.page.goto('about:blank');
    await b.context.clearCookies();
    await signInBrowser(b, server, login, PASSWORD);
    // The login page asks who is signed in (GET /api/auth/me, 401 when nobody is): expected.
    b.problems.length = 0;
  }
  async function openDocument() {
    await b.page.goto(`${server.url}/documents/${id}`);
    await b.page.getByText('注塑作业指导书').first().waitFor();
    await b.page.getByRole('tab', { name: /版本/ }).click();
  }
  const state = () => b.page.getByTestId('approval-1').getByTestId('approval-state');

  beforeAll(async () => {
    server = await startServer({ KEDANG_LOGIN_RATE_LIMIT: '200' });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const dept = async (name: string, code: string) =>
      ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
    const engineering = await dept('技术部', 'JS');
    production = await dept('生产部', 'SC');
    const quality = await dept('品质部', 'PZ');
    await seedPeople(
      server,
      [
        { login: 'eng', name: '王工', departmentId: engineering, roles: ['staff'] },
        { login: 'engmgr', name: '陈经理', departmentId: engineering, roles: ['department_manager'] },
        { login: 'prodmgr', name: '刘经理', departmentId: production, roles: ['department_manager'] },
        { login: 'qamgr', name: '孙经理', departmentId: quality, roles: ['department_manager'] },
        { login: 'gm', name: '周总', departmentId: engineering, roles: ['general_manager'] },
        { login: 'archivist', name: '赵档案', departmentId: quality, roles: ['archivist'] },
        { login: 'worker', name: '钱班长', departmentId: production, roles: ['staff'] },
        { login: 'inspector', name: '吴检验', departmentId: quality, roles: ['staff'] },
      ],
      PASSWORD,
    );
    // Work instructions are countersigned by production and quality.
    const categories = (await admin('GET', '/api/document-config/categories')) as Record<string, unknown>[];
    const {
      code: _c,
      departmentName: _d,
      ...procedures
    } = categories.find((c) => c.code === 'procedures') ?? {};
    await admin('PUT', '/api/document-config/categories/procedures', {
      ...procedures,
      countersign: [production, quality],
    });
    // The engineer registers the work instruction with its file (the upload drawer is covered
    // by documents.e2e.ts).
    const eng = await api(server, 'eng', PASSWORD);
    id = (
      (await eng('POST', '/api/documents', {
        title: '注塑作业指导书',
        docNumber: 'WI-ZS-001',
        category: 'procedures',
        versionLabel: 'A/0',
      })) as { id: string }
    ).id;
    const up = await fetch(
      `${server.url}/api/documents/${id}/files?name=${encodeURIComponent('注塑作业指导书.pdf')}`,
      {
        method: 'POST',
        headers: { ...eng.headers, 'content-type': 'application/octet-stream' },
        body: CONTRACT_PDF,
      },
    );
    expect(up.status).toBe(201);
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('is drawn up and submitted by its author, and reviewed by the department manager', async () => {
    await as('eng');
    await openDocument();
    const { page } = b;
    await expect.poll(() => state().textContent()).toBe('编制中');
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => state().textContent()).toBe('待审核');
    await b.shot('approval-1-submitted');
    await as('engmgr');
    await openDocument();
    await page.getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => state().textContent()).toBe('待会签');
  });

  it('is countersigned by production and quality from their 待我签署 pages', async () => {
    const { page } = b;
    for (const [login, department] of [
      ['prodmgr', '生产部'],
      ['qamgr', '品质部'],
    ] as const) {
      await as(login);
      await page.goto(`${server.url}/documents/copies/unsigned`);
      await page.getByTestId('pending-approvals').getByRole('link', { name: '注塑作业指导书' }).click();
      await page.getByRole('tab', { name: /版本/ }).click();
      await page.getByRole('button', { name: `会签（${department}）` }).click();
      await page.getByText('已会签').first().waitFor();
    }
    await expect.poll(() => state().textContent()).toBe('待批准');
    await b.shot('approval-2-countersigned');
  });

  it('is approved by the general manager with today as its effective date, and is in force', async () => {
    const { page } = b;
    await as('gm');
    await openDocument();
    await page.getByTestId('approval-1').getByRole('button', { name: /批准/ }).click();
    const dialog = page.getByRole('dialog', { name: '批准并确定生效日期' });
    await dialog.waitFor();
    await b.shot('approval-3-approve-dialog');
    await dialog.getByRole('button', { name: /批\s*准/ }).click();
    await expect.poll(() => state().textContent()).toBe('已批准，已生效');
    const panel = page.getByTestId('approval-1');
    await expect.poll(() => panel.textContent()).toContain('王工');
    expect(await panel.textContent()).toContain('陈经理');
    expect(await panel.textContent()).toContain('刘经理');
    expect(await panel.textContent()).toContain('孙经理');
    expect(await panel.textContent()).toContain('周总');
    await page.getByText('现行').first().waitFor();
    await b.shot('approval-4-in-force');
  });

  it('is distributed to two people, who each sign for their copy in their own session', async () => {
    const { page } = b;
    const archivist = await api(server, 'archivist', PASSWORD);
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    const users = (await admin('GET', '/api/users?limit=100')) as { items: { id: string; login: string }[] };
    const userId = (login: string) => users.items.find((u) => u.login === login)?.id;
    await archivist('POST', `/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [
        { userId: userId('worker') },
        { userId: userId('inspector') },
        { departmentId: production },
      ],
    });
    for (const [login, no] of [
      ['worker', 1],
      ['inspector', 2],
    ] as const) {
      await as(login);
      await page.goto(`${server.url}/documents/copies/unsigned`);
      const table = page.getByTestId('unsigned-copies');
      await table.getByText('注塑作业指导书').waitFor();
      if (login === 'worker') await b.shot('approval-5-to-sign');
      // Nobody else's copy is offered: only their own button.
      expect(await table.getByRole('button', { name: '签收' }).count()).toBe(1);
      await page.getByTestId(`acknowledge-${no}`).click();
      await page.getByText('没有待签收的副本').waitFor();
    }
    await as('archivist');
    await openDocument();
    await page.getByRole('tab', { name: /分发/ }).click();
    const copies = page.locator('.ant-table-tbody');
    await copies.getByText('钱班长').first().waitFor();
    expect(await copies.getByText('已签收').count()).toBe(2);
    // The production department's paper copy: its manager signed the paper receipt, scanned.
    const paper = copies.locator('tr', { hasText: '03' });
    await paper.getByRole('button', { name: '登记纸质签收单' }).click();
    const dialog = page.getByRole('dialog', { name: '登记纸质签收单（扫描件）' });
    await dialog.getByLabel('签字人').fill('刘经理');
    const scan = path.join(os.tmpdir(), `签收单-${process.pid}.pdf`);
    fs.writeFileSync(scan, CONTRACT_PDF);
    await dialog.locator('input[type=file]').setInputFiles(scan);
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await paper.getByText('纸质签收单').waitFor();
    fs.rmSync(scan, { force: true });
    await dialog.waitFor({ state: 'hidden' });
    await page.evaluate('window.scrollTo(0, 0)');
    await b.shot('approval-6-signed-copies');
    expect(b.problems, b.problems.join('\n')).toEqual([]);
  });
});
