import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailSender } from '../../platform/mail.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { displayCompanyName, linkToken, newTokenKey, verifyToken } from './link.js';
import { surveyOutbox } from './mail.js';
import { surveyDaily } from './notices.js';

// The customer's one-time link (R-V3) through HTTP: the page opens for a valid token and sets no
// cookie nor links anywhere; a used, expired, closed, forged, unknown or mixed-up token gets a
// clear page and stores nothing; a thousand made-up tokens find nothing; answers are checked and
// the form comes back with them kept; two submissions at once store one answer; the mail reaches
// a real SMTP peer with a working link, and a reminder goes after remind_after_days to those who
// have not answered only.

const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();
const FULL = {
  q_attitude: 'very_satisfied',
  q_skill: 'satisfied',
  q_timeliness: 'satisfied',
  q_promises: 'very_satisfied',
  q_overall: 'satisfied',
  q_suggestions: '服务很好\n希望交货更快',
  contact: '王工',
};
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('survey link: the one-time page /s/<token> (R-V3)', () => {
  const app = companyApp();
  const db = () => app.t.database.db;
  let n = 0;

  const get = (token: string, headers: Record<string, string> = {}) =>
    app.t.app.inject({ method: 'GET', url: `/s/${token}`, headers });
  const post = (token: string, fields: Record<string, string>) =>
    app.t.app.inject({
      method: 'POST',
      url: `/s/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    });
  const responses = async () =>
    Number(
      (
        await db()
          .selectFrom('survey_responses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** A filed archive of 销售部 with a contact who has an e-mail address. */
  const archive = async (email: string) => {
    const res = await app.co.as.sales1.post('/api/customers', {
      name: `满意度链接测试客户${++n}号有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '机械制造',
      region: '苏州',
      contacts: [{ name: `联系人${n}`, mobile: '13800000000', email, isPrimary: true }],
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    return { ...(res.json() as { id: string; name: string; archiveCode: string }), contact: `联系人${n}` };
  };

  type Campaign = { id: string; invitations: { id: string; token: string; customerId: string }[] };
  const made: Campaign[] = [];
  /**
   * A campaign of the 顾客满意度调查表 over the archives of 销售部, made and sent (unless said
   * otherwise) through the API by the general manager, with each invitation's link token — made
   * from its stored key as the mailer makes it.
   */
  const campaign = async (
    over: {
      name?: string;
      closesOn?: string;
      remindAfterDays?: number;
      send?: boolean;
      close?: boolean;
    } = {},
  ): Promise<Campaign> => {
    const gm = app.co.as.gm;
    const templates = await gm.get('/api/surveys/templates');
    expect(templates.statusCode, templates.body).toBe(200);
    const template = (templates.json().items as { id: string; key: string }[]).find(
      (x) => x.key === 'satisfaction',
    );
    const created = await gm.post('/api/surveys/campaigns', {
      name: over.name ?? `2026 年度顾客满意度调查 ${++n}`,
      templateId: template?.id,
      periodLabel: '2026',
      closesOn: over.closesOn ?? '2026-12-31',
      remindAfterDays: over.remindAfterDays ?? 7,
      lowIndex: 60,
      intro: '感谢您一直以来的支持。\n请根据实际感受填写。',
      filters: { departmentIds: [app.co.sales] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    if (over.send !== false) {
      const sent = await gm.post(`/api/surveys/campaigns/${id}/send`);
      expect(sent.statusCode, sent.body).toBe(200);
    }
    if (over.close) {
      const closed = await gm.post(`/api/surveys/campaigns/${id}/close`);
      expect(closed.statusCode, closed.body).toBe(200);
    }
    const rows = await db()
      .selectFrom('survey_invitations')
      .select(['id', 'customer_id', 'token_key'])
      .where('campaign_id', '=', id)
      .execute();
    const invitations = [];
    for (const r of rows)
      invitations.push({
        id: r.id,
        customerId: r.customer_id,
        token: r.token_key ? await linkToken(db(), r.token_key) : '',
      });
    const k = { id, invitations };
    made.push(k);
    return k;
  };
  /** The invitation of one archive in a campaign. */
  const pick = (k: Campaign, customer: { id: string }) => {
    const found = k.invitations.find((i) => i.customerId === customer.id);
    if (!found) throw new Error(`no invitation for ${customer.id}`);
    return found;
  };

  const invitation = (id: string) =>
    db().selectFrom('survey_invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  let first: Awaited<ReturnType<typeof archive>>;
  let second: Awaited<ReturnType<typeof archive>>;
  beforeAll(async () => {
    await travel(app.t, app.co, shanghai('2026-11-02'));
    first = await archive('buyer1@example.com');
    second = await archive('buyer2@example.com');
  });

  const expectPage = (res: LightMyRequestResponse, status: number, text: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain(text);
    expect(res.body).not.toMatch(/href=|src=|<script/i);
  };

  it('shows the survey for a valid link, with no cookie, no cache, no links and no scripts', async () => {
    const k = await campaign({ name: '2026 年度顾客满意度调查（链接页）' });
    const inv = pick(k, first);
    // Sent by a signed-in person's browser too: still no cookie of ours comes back.
    const res = await get(inv.token, { cookie: app.co.as.sales1.cookie });
    expectPage(res, 200, '2026 年度顾客满意度调查（链接页）');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("form-action 'self'");
    const html = res.body;
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<html lang="zh-CN">');
    // The template's questions, four levels each, the text question and the name.
    for (const label of ['服务态度', '技术水平', '到达及时性', '承诺事项办理', '总体评价', '意见与建议'])
      expect(html).toContain(label);
    expect(html.match(/type="radio"/g)).toHaveLength(5 * 4);
    for (const level of ['非常满意', '满意', '一般', '较差']) expect(html).toContain(`>${level}</label>`);
    expect(html).toContain('<textarea id="q_suggestions" name="q_suggestions"');
    expect(html).toContain('name="contact"');
    expect(html).toContain('感谢您一直以来的支持。');
    // The form posts to the page itself, and the page names no customer.
    expect(html).toMatch(/<form method="post" accept-charset="utf-8">/);
    expect(html).not.toContain(first.name);
    expect(html).not.toContain(first.archiveCode);
    expect(html).not.toContain('联系人');
    expect(html).not.toContain('王工');
    // Only the page's own style may apply.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const { createHash } = await import('node:crypto');
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    // The first opening is kept; a later one does not move it.
    const opened = (await invitation(inv.id)).opened_at;
    expect(opened).toBe(app.t.clock.now().toISOString());
    app.t.clock.advance(60_000);
    expect((await get(inv.token)).statusCode).toBe(200);
    expect((await invitation(inv.id)).opened_at).toBe(opened);
  });

  it('checks the answers and shows the form again with them kept and the problems marked', async () => {
    const k = await campaign();
    const token = pick(k, first).token;
    const before = await responses();
    const res = await post(token, {
      q_attitude: 'very_satisfied',
      q_skill: 'excellent',
      q_overall: '',
      q_suggestions: '交货<b>慢</b>',
      contact: '李四',
    });
    expectPage(res, 400, '请按红色提示补充后再提交');
    const html = res.body;
    // Kept: the level chosen, the text (escaped), the name.
    expect(html).toMatch(/id="q_attitude_very_satisfied" name="q_attitude" value="very_satisfied" checked/);
    expect(html).toContain('交货&lt;b&gt;慢&lt;/b&gt;');
    expect(html).toContain('value="李四"');
    // Marked: the unknown level and every required question left out, not the one answered.
    expect(html).toContain('<p class="err" id="e_skill">请选择满意程度</p>');
    for (const key of ['timeliness', 'promises', 'overall'])
      expect(html).toContain(`<p class="err" id="e_${key}">请选择满意程度</p>`);
    expect(html).not.toContain('id="e_attitude"');
    expect(html).not.toContain('id="e_suggestions"');
    expect(html).toContain('还有 4 处需要填写或修改');
    // An overlong text and name are refused too.
    const long = await post(token, { ...FULL, q_suggestions: '长'.repeat(2001), contact: '名'.repeat(101) });
    expectPage(long, 400, '内容过长，最多 2000 字');
    expect(long.body).toContain('姓名过长，最多 100 字');
    // Not a form at all: a page, nothing stored.
    const json = await app.t.app.inject({
      method: 'POST',
      url: `/s/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ q_attitude: 'poor' }),
    });
    expect(json.statusCode).toBe(400);
    expect(json.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await responses()).toBe(before);
    expect((await invitation(pick(k, first).id)).answered_at).toBeNull();
  });

  it('stores one answer from the link, audited with the campaign and no actor, and then refuses it', async () => {
    const k = await campaign();
    const inv = pick(k, first);
    const res = await app.t.app.inject({
      method: 'POST',
      url: `/s/${inv.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(FULL),
      remoteAddress: '203.0.113.7',
    });
    expectPage(res, 200, '提交成功');
    const stored = await db()
      .selectFrom('survey_responses')
      .selectAll()
      .where('invitation_id', '=', inv.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      campaign_id: k.id,
      customer_id: first.id,
      channel: 'link',
      entered_by: null,
      contact_name: '王工',
      answered_on: '2026-11-02',
      index_score: 90,
      overall: 'satisfied',
    });
    const answers = await db()
      .selectFrom('survey_answers')
      .select(['question_key', 'level', 'text'])
      .where('response_id', '=', stored.id)
      .orderBy('question_key')
      .execute();
    expect(answers.find((a) => a.question_key === 'suggestions')?.text).toBe('服务很好\n希望交货更快');
    expect((await invitation(inv.id)).answered_at).not.toBeNull();
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_login', 'ip', 'details', 'outcome'])
      .where('action', '=', 'survey.respond')
      .where('target_id', '=', stored.id)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_id: null, actor_login: null, ip: '203.0.113.7', outcome: 'success' });
    expect(JSON.parse(audit.details ?? '{}')).toMatchObject({ invitationId: inv.id, channel: 'link' });

    // Used: the page and a second answer are refused, and nothing more is stored.
    const count = await responses();
    expectPage(await get(inv.token), 410, '问卷已提交');
    expectPage(await post(inv.token, { ...FULL, q_overall: 'poor' }), 410, '问卷已提交');
    expect(await responses()).toBe(count);
  });

  it('stores exactly one answer when the same link is submitted twice at once', async () => {
    const k = await campaign();
    const inv = pick(k, second);
    const before = await responses();
    const results = await Promise.all([
      post(inv.token, FULL),
      post(inv.token, { ...FULL, q_overall: 'poor' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410]);
    expect(results.find((r) => r.statusCode === 410)?.body).toContain('问卷已提交');
    expect(await responses()).toBe(before + 1);
    const rows = await db()
      .selectFrom('survey_responses')
      .select('id')
      .where('invitation_id', '=', inv.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses an expired, closed or unsent survey with a clear page and stores nothing', async () => {
    const expiring = await campaign({ closesOn: '2026-11-05' });
    const closed = await campaign({ close: true });
    const draft = await campaign({ send: false });
    // A draft's invitations get their keys when it is sent; one given a key by hand still does not open.
    const key = newTokenKey();
    await db()
      .updateTable('survey_invitations')
      .set({ token_key: key })
      .where('id', '=', pick(draft, first).id)
      .execute();
    pick(draft, first).token = await linkToken(db(), key);
    const t = (k: Campaign) => pick(k, first).token;
    const before = await responses();
    // Open until the end of the closing day, Shanghai time.
    await travel(app.t, app.co, shanghai('2026-11-05', '23:59'));
    expect((await get(t(expiring))).statusCode).toBe(200);
    await travel(app.t, app.co, shanghai('2026-11-06', '00:00'));
    expectPage(await get(t(expiring)), 410, '本次调查已于 2026-11-05 截止');
    expectPage(await post(t(expiring), FULL), 410, '问卷已截止');
    expectPage(await get(t(closed)), 410, '调查已结束');
    expectPage(await post(t(closed), FULL), 410, '调查已结束');
    // A draft's links were never given out.
    expectPage(await get(t(draft)), 404, '链接无效');
    expectPage(await post(t(draft), FULL), 404, '链接无效');
    expect(await responses()).toBe(before);
    await travel(app.t, app.co, shanghai('2026-11-02'));
  });

  it('refuses forged, unknown, cut and mixed-up tokens, and a token opens only its own survey', async () => {
    const a = await campaign({ name: '甲调查' });
    const b = await campaign({ name: '乙调查' });
    const ta = pick(a, first).token;
    const tb = pick(b, second).token;
    const [keyA = '', proofA = ''] = ta.split('.');
    const [keyB = '', proofB = ''] = tb.split('.');
    const before = await responses();
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const unknownKey = newTokenKey();
    const bad = [
      `${keyA}.${flip(proofA)}`, // right key, wrong proof
      `${keyA}.${proofB}`, // the key of one campaign's link with the proof of another's
      `${keyB}.${proofA}`,
      await linkToken(db(), unknownKey), // a well-made link of no invitation
      ta.slice(0, -1), // cut short
      keyA, // the stored half alone
      `${ta}.x`,
      `${ta}x`,
      '.',
      encodeURIComponent('<script>alert(1)</script>'),
    ];
    for (const token of bad) {
      expectPage(await get(token), 404, '链接无效');
      expectPage(await post(token, FULL), 404, '链接无效');
    }
    expect(await responses()).toBe(before);
    expect((await verifyToken(db(), `${keyA}.${flip(proofA)}`, app.t.clock.now())).ok).toBe(false);
    expect(await verifyToken(db(), await linkToken(db(), unknownKey), app.t.clock.now())).toEqual({
      ok: false,
      reason: 'unknown',
    });
    // Each link shows its own survey and nothing of the other.
    const pageA = (await get(ta)).body;
    const pageB = (await get(tb)).body;
    expect(pageA).toContain('甲调查');
    expect(pageA).not.toContain('乙调查');
    expect(pageB).toContain('乙调查');
    expect(pageB).not.toContain('甲调查');
  });

  it('finds nothing with 1,000 made-up tokens', async () => {
    const before = await responses();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const token = `${randomBytes(16).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
      const res = i % 2 === 0 ? await get(token) : await post(token, FULL);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode !== 404) expect.fail(`${token}: ${res.statusCode}`);
      expect(res.body).not.toContain('<form');
    }
    expect([...statuses]).toEqual([[404, 1000]]);
    expect(await responses()).toBe(before);
  });

  describe('by e-mail', () => {
    interface Received {
      to: string[];
      subject: string;
      text: string;
    }
    const received: Received[] = [];
    let port = 0;
    let busy = '';
    let refuse = '';
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(address, _session, cb) {
        if (address.address === refuse) cb(new Error('mailbox unavailable'));
        else if (address.address === busy)
          cb(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
        else cb();
      },
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => {
          data += c.toString('utf8');
        });
        stream.on('end', () => {
          const [head = '', body = ''] = data.split('\r\n\r\n');
          const encoded = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(head)?.[1] ?? '';
          const subject = encoded
            .split(/\r\n[ \t]/)
            .map((w) => {
              const m = /=\?UTF-8\?B\?(.*)\?=/i.exec(w.trim());
              return m ? Buffer.from(m[1] as string, 'base64').toString('utf8') : w.trim();
            })
            .join('');
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject,
            text: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'),
          });
          cb();
        });
      },
    });
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('mails the link, which opens the survey, and reminds only those who have not answered', async () => {
      await travel(app.t, app.co, shanghai('2026-11-02', '09:00'));
      // The campaigns of the tests before are closed: their mail is not sent any more.
      for (const old of made) await app.co.as.gm.post(`/api/surveys/campaigns/${old.id}/close`);
      // The mail and the page carry the company's name as the administrator set it.
      await app.co.as.admin.put('/api/organisation', { name: '苏州恒信精密机械有限公司' });
      const k = await campaign({
        name: '2026 年度顾客满意度调查（邮件）',
        closesOn: '2026-11-20',
        remindAfterDays: 7,
      });
      const sender = new MailSender(
        db(),
        {
          smtpUrl: `smtp://127.0.0.1:${port}`,
          from: '客档 <kedang@example.com>',
          publicUrl: 'https://kedang.example.com/',
        },
        app.t.clock.now,
        [surveyOutbox(db())],
      );
      try {
        received.length = 0;
        expect(await sender.tick()).toEqual({ sent: 2, failed: 0 });
        expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
        expect(received.map((m) => m.to[0]).sort()).toEqual(['buyer1@example.com', 'buyer2@example.com']);
        const mail = received.find((m) => m.to[0] === 'buyer1@example.com') as Received;
        const company = await displayCompanyName(db());
        expect(company).toBe('苏州恒信精密机械有限公司');
        expect(mail.subject).toBe(`【${company}】2026 年度顾客满意度调查（邮件）`);
        expect(mail.text).toContain(`${first.contact}，您好`);
        expect(mail.text).toContain('填写截止日期：2026-11-20');
        const url = /https:\/\/kedang\.example\.com\/s\/(\S+)/.exec(mail.text)?.[1] ?? '';
        const inv1 = pick(k, first);
        const inv2 = pick(k, second);
        expect(url).toBe(inv1.token);
        // The link in the mail works; the stored key alone does not.
        expectPage(await get(url), 200, '2026 年度顾客满意度调查（邮件）');
        expect(mail.text).not.toContain(`${url.split('.')[0]}\n`);
        expect(await invitation(inv1.id)).toMatchObject({ reminders: 0, mail_error: null });
        expect((await invitation(inv1.id)).sent_at).toBe(app.t.clock.now().toISOString());

        // The first customer answers; a week later only the second is reminded, once.
        expectPage(await post(url, FULL), 200, '提交成功');
        await travel(app.t, app.co, shanghai('2026-11-08', '08:00'));
        expect(await surveyDaily(app.t.system)).toEqual({ campaigns: 0, reminders: 0 });
        await travel(app.t, app.co, shanghai('2026-11-09', '08:00'));
        expect(await surveyDaily(app.t.system)).toEqual({ campaigns: 1, reminders: 1 });
        expect(await surveyDaily(app.t.system)).toEqual({ campaigns: 0, reminders: 0 });
        received.length = 0;
        expect(await sender.tick()).toEqual({ sent: 1, failed: 0 });
        expect(received.map((m) => m.to[0])).toEqual(['buyer2@example.com']);
        expect(received[0]?.text).toContain('我们还没有收到您对《2026 年度顾客满意度调查（邮件）》的回复');
        expect(received[0]?.text).toContain(`https://kedang.example.com/s/${inv2.token}`);
        expect(await invitation(inv2.id)).toMatchObject({
          reminders: 1,
          reminded_at: app.t.clock.now().toISOString(),
        });
        expect((await invitation(inv1.id)).reminders).toBe(0);
        const audit = await db()
          .selectFrom('audit_log')
          .select(['actor_login', 'details'])
          .where('action', '=', 'survey.remind')
          .where('target_id', '=', k.id)
          .execute();
        expect(audit).toHaveLength(1);
        expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ mails: 1, automatic: true });

        // After the closing day: no more reminders, and a queued mail stays unsent.
        await travel(app.t, app.co, shanghai('2026-11-21', '08:00'));
        expect(await surveyDaily(app.t.system)).toEqual({ campaigns: 0, reminders: 0 });
        await db()
          .updateTable('survey_invitations')
          .set({ mail_due_at: app.t.clock.now().toISOString(), mailed_at: null })
          .where('id', '=', inv2.id)
          .execute();
        expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
      } finally {
        await sender.stop();
        await travel(app.t, app.co, shanghai('2026-11-02'));
      }
    });

    it('tries a mail refused for now again, records one refused for good, and reminds only the delivered', async () => {
      await travel(app.t, app.co, shanghai('2026-11-02', '10:00'));
      for (const old of made) await app.co.as.gm.post(`/api/surveys/campaigns/${old.id}/close`);
      // The mail and the page carry the company's name as the administrator set it.
      await app.co.as.admin.put('/api/organisation', { name: '苏州恒信精密机械有限公司' });
      const k = await campaign({ name: '退信测试', remindAfterDays: 3 });
      const inv1 = pick(k, first);
      const inv2 = pick(k, second);
      const sender = new MailSender(
        db(),
        { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'kedang@example.com', publicUrl: 'http://x/' },
        app.t.clock.now,
        [surveyOutbox(db())],
      );
      try {
        busy = 'buyer1@example.com';
        refuse = 'buyer2@example.com';
        received.length = 0;
        expect(await sender.tick()).toEqual({ sent: 0, failed: 2 });
        expect(await invitation(inv1.id)).toMatchObject({ mailed_at: null, mail_attempts: 1, sent_at: null });
        expect((await invitation(inv1.id)).mail_error).toContain('try again later');
        expect((await invitation(inv2.id)).mailed_at).not.toBeNull();
        expect((await invitation(inv2.id)).mail_error).toContain('mailbox unavailable');
        // Not before the wait is over; then once, and the refusal for good is not tried again.
        expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
        app.t.clock.advance(60_000);
        busy = '';
        expect(await sender.tick()).toEqual({ sent: 1, failed: 0 });
        expect(received.map((m) => m.to[0])).toEqual(['buyer1@example.com']);
        expect(await invitation(inv1.id)).toMatchObject({
          mail_attempts: 0,
          mail_error: null,
          mail_retry_at: null,
        });
        expect((await invitation(inv1.id)).sent_at).toBe(app.t.clock.now().toISOString());
        expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
        // Three days on, the reminder goes to the delivered address only.
        await travel(app.t, app.co, shanghai('2026-11-05', '09:00'));
        expect(await surveyDaily(app.t.system)).toEqual({ campaigns: 1, reminders: 1 });
        expect(await sender.tick()).toEqual({ sent: 1, failed: 0 });
        expect(received.map((m) => m.to[0])).toEqual(['buyer1@example.com', 'buyer1@example.com']);
        expect((await invitation(inv2.id)).sent_at).toBeNull();
      } finally {
        busy = '';
        refuse = '';
        await sender.stop();
        await travel(app.t, app.co, shanghai('2026-11-02'));
      }
    });
  });
});

describe('survey link: rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The page allows three times the sign-in limit per address and minute.
    t = await createTestApp({ loginRateLimit: 2 });
  });
  afterAll(() => t.close());

  it('answers 429 with a Chinese page once an address asks too often, others still get through', async () => {
    const token = `${newTokenKey()}.${newTokenKey()}`;
    const ask = (ip: string) => t.app.inject({ method: 'GET', url: `/s/${token}`, remoteAddress: ip });
    for (let i = 0; i < 6; i++) expect((await ask('198.51.100.1')).statusCode).toBe(404);
    const limited = await ask('198.51.100.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('请求过于频繁');
    // The form's post counts against the same limit.
    const posted = await t.app.inject({
      method: 'POST',
      url: `/s/${token}`,
      remoteAddress: '198.51.100.1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'contact=x',
    });
    expect(posted.statusCode).toBe(429);
    expect((await ask('198.51.100.2')).statusCode).toBe(404);
  });
});
