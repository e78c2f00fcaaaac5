import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../src/common/time.js';
import {
  ADMIN_PASSWORD,
  api,
  type Browser,
  openBrowser,
  type Server,
  signInBrowser,
  startServer,
} from './support.js';

// The yearly satisfaction survey in the browser (R-V3): quality creates and sends a campaign, a
// real SMTP peer on loopback receives the mail, the customer's contact opens the one-time link
// from that mail on a phone (390 × 844) and answers with one 较差, the salesperson sees the
// answered form in the archive with the corrective action it opened, and quality sees the index.
// Screenshots: e2e/screenshots/surveys-*.png.

const PASSWORD = 'Surveys-e2e-2026';

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

describe('a satisfaction survey from sending to the customer’s answer', () => {
  let server: Server;
  let b: Browser;
  let phone: Browser;
  let campaignUrl = '';
  let link = '';
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => {
        data += c.toString('utf8');
      });
      stream.on('end', () => {
        const [head, body] = splitOnce(data);
        const subject = decodeSubject(/^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '');
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          text: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'),
        });
        cb();
      });
    },
  });

  const as = async (login: string, password = PASSWORD) => {
    await b.context.clearCookies();
    await signInBrowser(b, server, login, password);
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await startServer({ KEDANG_SMTP_URL: `smtp://127.0.0.1:${port}`, KEDANG_MAIL_INTERVAL: '1' });
    const admin = await api(server, 'admin', ADMIN_PASSWORD);
    await admin('PUT', '/api/organisation', { name: '苏州恒信精密机械有限公司' });
    const dept = async (name: string, code: string) =>
      ((await admin('POST', '/api/departments', { name, code })) as { id: string }).id;
    const sales = await dept('销售部', 'XS');
    const quality = await dept('品质部', 'PZ');
    const people = [
      { login: 'liu', name: '刘业务', roles: ['staff'], departmentId: sales },
      { login: 'li', name: '李经理', roles: ['department_manager'], departmentId: sales },
      { login: 'zhou', name: '周品质', roles: ['quality'], departmentId: quality },
    ];
    for (const p of people) {
      await admin('POST', '/api/users', { ...p, password: 'Initial-pass-2026' });
      const self = await api(server, p.login, 'Initial-pass-2026');
      await self('POST', '/api/auth/password', {
        currentPassword: 'Initial-pass-2026',
        newPassword: PASSWORD,
      });
    }
    const liu = await api(server, 'liu', PASSWORD);
    await liu('POST', '/api/customers', {
      name: '无锡东方机电有限公司',
      category: 'key',
      kind: 'business',
      registeredAddress: '无锡市新吴区长江路 18 号',
      industry: '机电设备',
      region: '无锡',
      firstPurchaseDate: todayInShanghai(),
      contacts: [{ name: '陈采购', title: '采购经理', email: 'chen@dongfang.example.com', isPrimary: true }],
      file: true,
    });
    await liu('POST', '/api/customers', {
      name: '常州新锐电子有限公司',
      category: 'general',
      kind: 'business',
      registeredAddress: '常州市武进区常武中路 9 号',
      industry: '电子元件',
      region: '常州',
      contacts: [{ name: '赵工', mobile: '13800001111', isPrimary: true }],
      file: true,
    });
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await phone?.close();
    await server?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('is created by quality, who sees whom it will ask', async () => {
    const { page } = b;
    await as('zhou');
    await page.goto(`${server.url}/surveys`);
    await page.getByTestId('new-campaign').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('campaign-preview').getByText('将邀请 2 家客户，其中 1 家有邮箱').waitFor();
    await b.shot('surveys-01-new');
    await drawer.getByRole('button', { name: '保存为草稿' }).click();
    await page.getByText('调查已创建（草稿）。请检查客户名单，然后发送').waitFor();
    await page.waitForURL(/\/surveys\/[^/]+$/);
    campaignUrl = page.url();
    await page.getByText('无锡东方机电有限公司').waitFor();
    await page.getByText('chen@dongfang.example.com').waitFor();
    await b.shot('surveys-02-draft');
  });

  it('is sent: the customer’s contact receives the one-time link by e-mail', async () => {
    const { page } = b;
    await page.getByTestId('campaign-send').click();
    await page.getByRole('dialog').getByRole('button', { name: '发送' }).click();
    await page.getByText('调查已发送').waitFor();
    // The outbox is looked at every second.
    for (let i = 0; i < 60 && !mails.some((m) => m.to.includes('chen@dongfang.example.com')); i++)
      await new Promise((r) => setTimeout(r, 500));
    const mail = mails.find((m) => m.to.includes('chen@dongfang.example.com'));
    expect(mail, 'the invitation reached the SMTP peer').toBeDefined();
    expect(mail?.subject).toContain('【苏州恒信精密机械有限公司】');
    expect(mail?.text).toContain('陈采购，您好');
    link = /(http:\/\/127\.0\.0\.1:\d+\/s\/\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(link).not.toBe('');
    // Only the customer with an address was mailed.
    expect(mails.flatMap((m) => m.to)).toEqual(['chen@dongfang.example.com']);
    await page.reload();
    await stat(page, '已发送').getByText('1', { exact: true }).waitFor();
    await b.shot('surveys-03-sent');
  });

  it('is answered by the customer on a phone from the link in the mail', async () => {
    phone = await openBrowser({ viewport: { width: 390, height: 844 }, mobile: true });
    const { page } = phone;
    await page.goto(link);
    await page.getByText('苏州恒信精密机械有限公司').first().waitFor();
    // The page shows the survey only: no menu, no other customer, nothing internal to follow.
    expect(await page.locator('a').count()).toBe(0);
    expect(await page.content()).not.toContain('常州新锐电子有限公司');
    expect(await phone.context.cookies()).toEqual([]);
    // Submitting with nothing chosen marks what is missing and keeps the page.
    await page.getByRole('button', { name: '提交问卷' }).click();
    expect(page.url()).toBe(link);
    const question = (label: string) => page.getByRole('group', { name: new RegExp(label) });
    await question('服务态度').getByText('较差', { exact: true }).click();
    await question('技术水平').getByText('满意', { exact: true }).click();
    await question('到达及时性').getByText('满意', { exact: true }).click();
    await question('承诺事项办理').getByText('非常满意', { exact: true }).click();
    await question('总体评价').getByText('一般', { exact: true }).click();
    await page.getByRole('textbox', { name: /意见与建议/ }).fill('送货司机态度生硬，希望改进。');
    await phone.shot('surveys-04-phone-form');
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.getByText('提交成功').waitFor();
    await phone.shot('surveys-05-phone-thanks');
    expect(await phone.context.cookies()).toEqual([]);
    // The link works once.
    await page.goto(link);
    await page.getByText('这份问卷已经通过此链接提交过，每个链接只能提交一次。').waitFor();
    expect(unexpected(phone.problems)).toEqual([]);
  });

  it('shows the salesperson the answered form in the archive, with the corrective action', async () => {
    const { page } = b;
    await as('liu');
    const liu = await api(server, 'liu', PASSWORD);
    const found = (await liu('GET', '/api/customers?q=无锡东方')) as { items: { id: string }[] };
    const customerId = found.items[0]?.id as string;
    await page.goto(`${server.url}/customers/${customerId}?tab=visits`);
    const section = page.getByTestId('customer-surveys');
    // (0 + 80 + 80 + 100) / 4 = 65, below no threshold but with a 较差.
    await section.getByText('65.0').waitFor();
    await b.shot('surveys-06-archive');
    await section.getByTestId('customer-survey-link').first().click();
    await page.getByText('送货司机态度生硬，希望改进。').waitFor();
    await page.getByTestId('response-action').waitFor();
    await page.getByTestId('response-document').waitFor();
    await b.shot('surveys-07-response');
    expect(unexpected(b.problems)).toEqual([]);
  });

  it('shows quality the index of the campaign', async () => {
    const { page } = b;
    await as('zhou');
    await page.goto(campaignUrl);
    await stat(page, '已答复').getByText('1', { exact: true }).waitFor();
    await stat(page, '满意度指数').getByText('65.0').waitFor();
    await b.shot('surveys-08-campaign');
    await page.goto(`${server.url}/surveys/results`);
    await page.getByTestId('results-index').getByText('65').first().waitFor();
    await b.shot('surveys-09-results');
    expect(unexpected(b.problems)).toEqual([]);
  });
});

/** A statistic card of the campaign page by its title. */
const stat = (page: Browser['page'], title: string) =>
  page.locator('.ant-statistic').filter({ hasText: title });

/** Console errors other than the refusals the flow expects (signed out between people: 401; the
 * used link: 410). */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of (401|410)\b/.test(p));

function splitOnce(data: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(data);
  if (!m) return [data, ''];
  return [data.slice(0, m.index), data.slice(m.index + m[0].length)];
}

/** `=?UTF-8?B?…?=` words of a Subject header, decoded and joined. */
function decodeSubject(raw: string): string {
  return raw
    .replace(/\r?\n[ \t]/g, '')
    .replace(/=\?utf-8\?b\?([^?]*)\?=\s*/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'))
    .trim();
}
