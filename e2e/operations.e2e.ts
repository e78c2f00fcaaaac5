import fs from 'node:fs';
import path from 'node:path';
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

// Operations in the browser: a stored file changes on disk; the administrator schedules the
// daily tasks on the 备份 page and sees them run — the check finds the file, the backup takes
// the rest and says it is incomplete; the bell announces both and opens the report; once the
// file is put back, 立即备份 makes a checked backup; past checks stay openable.
// Screenshots go to e2e/screenshots/operations-*.png.

const PASSWORD = 'Manager-e2e-2026';

describe('backups, the schedule and notifications in the browser', () => {
  let server: Server;
  let b: Browser;
  let blobFile: string;

  beforeAll(async () => {
    // Seeded with the scheduler off, then started again with it on: the day's tasks that are
    // already due (after 03:00) run at once, on the data below.
    const seeding = await startServer();
    await seedManager(seeding, 'manager', PASSWORD);
    server = seeding;
    // A stored file whose content then changes on disk, as a failing disk would do.
    const manager = await api(seeding, 'manager', PASSWORD);
    const doc = (await manager('POST', '/api/documents', { title: '检验规程', category: 'records' })) as {
      id: string;
    };
    const up = await fetch(
      `${seeding.url}/api/documents/${doc.id}/files?name=${encodeURIComponent('规程.txt')}`,
      {
        method: 'POST',
        headers: { ...manager.headers, 'content-type': 'application/octet-stream' },
        body: '来料检验规程 第一版',
      },
    );
    const { sha256 } = (await up.json()) as { sha256: string };
    blobFile = path.join(seeding.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    fs.chmodSync(blobFile, 0o644);
    fs.writeFileSync(blobFile, '来料检验规程 被改过');
    await seeding.stop({ keepData: true });
    server = await startServer({ KEDANG_SCHEDULER: 'on' }, seeding.dataDir);
    b = await openBrowser();
    await signInBrowser(b, server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  const setTime = async (label: string, value: string) => {
    const input = b.page.getByLabel(label);
    await input.click();
    await input.fill(value);
    // Leaving the field takes the typed time (Enter would also submit the form).
    await input.press('Tab');
  };

  it('schedules the daily tasks and shows their runs', async () => {
    const { page } = b;
    await page.locator('.ant-layout-sider').getByRole('link', { name: '备份', exact: true }).click();
    await page.getByTestId('schedule-card').waitFor();
    // Due since midnight: the scheduler looks again as soon as this is saved.
    await setTime('检查时间', '00:00');
    await setTime('备份时间', '00:00');
    await page.getByLabel('保留份数').fill('3');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('定时任务已保存').first().waitFor();
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: '刷新' }).click();
          return page.locator('.ant-tag', { hasText: '成功' }).count();
        },
        { timeout: 60_000, interval: 1000 },
      )
      // Check, backup and clean-up; after 08:30 in Shanghai the lending reminders run too.
      .toBeGreaterThanOrEqual(3);
    await page.getByText(/发现 \d+ 个问题/).waitFor();
    // The damaged file is not in the backup, which says so; the rest of the archive is.
    await page.getByTestId('backup-list').getByText('校验未通过').waitFor();
    await b.shot('operations-01-backups-scheduled');
  });

  it('rings the bell for the changed file and opens the report from it', async () => {
    const { page } = b;
    await page.goto(`${server.url}/`);
    const bell = page.getByTestId('notification-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('通知（2 条未读）');
    await bell.click();
    const list = page.getByTestId('notification-list');
    await list.getByText(/^备份 .* 校验未通过$/).waitFor();
    await b.shot('operations-02-bell');
    await list.getByText('完整性检查发现 1 个文件被改变或缺失').click();
    await page.waitForURL('**/admin/integrity?report=*');
    await page.getByRole('cell', { name: '内容被改变' }).waitFor();
    await page.getByRole('cell', { name: '检验规程 规程.txt' }).waitFor();
    await page.getByTestId('integrity-history').getByText('定时检查').waitFor();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('通知（1 条未读）');
    await b.shot('operations-03-report-from-notification');
  });

  it('backs up now, once the file is put back, with a progress bar and a checked result', async () => {
    const { page } = b;
    fs.writeFileSync(blobFile, '来料检验规程 第一版');
    await page.goto(`${server.url}/admin/backups`);
    await page.getByTestId('schedule-card').waitFor();
    await page.getByRole('button', { name: '立即备份' }).click();
    await page.getByText('备份已完成并通过校验').waitFor({ timeout: 60_000 });
    const backups = page.getByTestId('backup-list');
    await backups.getByText('已校验').waitFor();
    expect(await backups.getByText('校验未通过').count()).toBe(1);
    await b.shot('operations-04-backup-now');
  });

  it('keeps past checks: a new check leaves the scheduled one openable', async () => {
    const { page } = b;
    await page.goto(`${server.url}/admin/integrity`);
    await page.getByTestId('integrity-schedule').getByText('每天 00:00 自动检查').waitFor();
    await page.getByRole('button', { name: '立即检查' }).click();
    await page.getByText(/的检查全部通过/).waitFor({ timeout: 60_000 });
    const history = page.getByTestId('integrity-history');
    await history.getByText('系统管理员').waitFor();
    await history.getByRole('button', { name: '查看' }).first().click();
    await page.getByText(/正在查看 .* 的检查报告/).waitFor();
    await page.getByRole('cell', { name: '内容被改变' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await b.shot('operations-05-integrity-history');
  });

  it('lists the notifications on their own page', async () => {
    const { page } = b;
    await page.goto(`${server.url}/notifications`);
    await page.getByText('完整性检查发现 1 个文件被改变或缺失').waitFor();
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await expect
      .poll(() => page.getByTestId('notification-bell').getAttribute('aria-label'))
      .toBe('通知（0 条未读）');
    await b.shot('operations-06-notifications');
  });

  it('showed no errors in the browser console other than refused requests', () => {
    expect(b.problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });
});
