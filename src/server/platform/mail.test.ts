import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyApp } from '../test-support/customers.js';
import { type Ctx, SYSTEM_ACTOR, tx } from './context.js';
import { MailSender } from './mail.js';
import { notify } from './notify.js';

// Notifications by e-mail (R-W2) against a real SMTP peer on loopback: a request for approval
// reaches the approver's mailbox once, with the link to the request; people without an e-mail
// address get the in-app notification only; a message refused for good is recorded, not tried
// again; one refused for now (451, or no server listening) is tried again after a wait.

interface Received {
  to: string[];
  data: string;
}

describe('notifications by e-mail', () => {
  const app = companyApp();
  const received: Received[] = [];
  let refuse = '';
  let busy = '';
  let port = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(address, _session, cb) {
      if (refuse && address.address === refuse) cb(new Error('mailbox unavailable'));
      else if (busy && address.address === busy)
        cb(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
      else cb();
    },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => {
        data += c.toString('utf8');
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('mails a notification once, with its link, to people with an address', async () => {
    const { as, ids } = app.co;
    for (const [id, email] of [
      [ids.salesmgr, 'salesmgr@example.com'],
      [ids.gm, 'gm@example.com'],
    ] as const)
      expect((await as.admin.patch(`/api/users/${id}`, { email })).statusCode).toBe(200);
    const doc = (await as.qa1.post('/api/documents', { category: 'records', title: '品质检验记录' })).json()
      .id;
    const request = (
      await as.sales1.post('/api/access-requests', {
        mode: 'electronic',
        purpose: 'read',
        reason: '客户审核',
        items: [{ targetType: 'document', targetId: doc }],
      })
    ).json();
    const sender = new MailSender(
      app.t.database.db,
      {
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: '客档 <kedang@example.com>',
        publicUrl: 'https://kedang.example.com/',
      },
      app.t.clock.now,
    );
    try {
      expect(await sender.tick()).toEqual({ sent: 1, failed: 0 });
      expect(received).toHaveLength(1);
      expect(received[0]?.to).toEqual(['salesmgr@example.com']);
      const data = received[0]?.data ?? '';
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      expect(text).toContain(`https://kedang.example.com/lending/requests/${request.id}`);
      expect(text).toContain('待审批');
      // The subject in Chinese, encoded as mail headers need it.
      expect(head).toMatch(/Subject: =\?UTF-8\?/);
      expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });

      // The general manager's step: refused by the mail server, recorded, not sent again.
      refuse = 'gm@example.com';
      await as.salesmgr.post(`/api/access-requests/${request.id}/decisions`, { decision: 'approve' });
      expect(await sender.tick()).toEqual({ sent: 0, failed: 1 });
      const row = await app.t.database.db
        .selectFrom('notifications')
        .select(['mailed_at', 'mail_error'])
        .where('user_id', '=', ids.gm)
        .executeTakeFirstOrThrow();
      expect(row.mail_error).toContain('mailbox unavailable');
      expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
      // sales1 has no address: the decision is in the app only.
      await as.gm.post(`/api/access-requests/${request.id}/decisions`, { decision: 'approve' });
      expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
      expect(received).toHaveLength(1);
    } finally {
      await sender.stop();
    }
  });

  it('tries a message refused for now again after a wait, and stops after the last try', async () => {
    const { as, ids } = app.co;
    const db = app.t.database.db;
    const mailTo = (smtpPort: number) =>
      new MailSender(
        db,
        { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'kedang@example.com', publicUrl: 'http://x/' },
        app.t.clock.now,
      );
    expect((await as.admin.patch(`/api/users/${ids.qamgr}`, { email: 'qamgr@example.com' })).statusCode).toBe(
      200,
    );
    const state = () =>
      db
        .selectFrom('notifications')
        .select(['mailed_at', 'mail_error', 'mail_attempts', 'mail_retry_at'])
        .where('user_id', '=', ids.qamgr)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR, now: app.t.clock.now, requestId: null, ip: null, lang: 'zh' };
    const notifyQa = (title: string) =>
      tx(ctx, (t) => notify(t, [ids.qamgr], { kind: 'test', title, secrecy: 0 }));
    const minutes = (n: number) =>
      app.t.clock.set(new Date(app.t.clock.now().getTime() + n * 60_000).toISOString());

    const sender = mailTo(port);
    try {
      busy = 'qamgr@example.com';
      await notifyQa('内审计划已发布');
      expect(await sender.tick()).toEqual({ sent: 0, failed: 1 });
      expect(await state()).toMatchObject({ mailed_at: null, mail_attempts: 1 });
      expect((await state()).mail_error).toContain('try again later');
      // Not before the wait is over.
      expect(await sender.tick()).toEqual({ sent: 0, failed: 0 });
      minutes(1);
      busy = '';
      const before = received.length;
      expect(await sender.tick()).toEqual({ sent: 1, failed: 0 });
      expect(received.length).toBe(before + 1);
      expect(await state()).toMatchObject({ mail_attempts: 2, mail_error: null });
      expect((await state()).mailed_at).not.toBeNull();
    } finally {
      await sender.stop();
    }

    // No mail server at all: tried five times in all, then left as not sent.
    const closed = new SMTPServer({ authOptional: true });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = mailTo(closedPort);
    try {
      await notifyQa('管理评审会议通知');
      for (const wait of [1, 5, 30, 120]) {
        expect(await nowhere.tick()).toEqual({ sent: 0, failed: 1 });
        expect((await state()).mailed_at).toBeNull();
        minutes(wait);
      }
      expect(await nowhere.tick()).toEqual({ sent: 0, failed: 1 });
      const last = await state();
      expect(last.mail_attempts).toBe(5);
      expect(last.mailed_at).not.toBeNull();
      expect(last.mail_error).toBeTruthy();
      minutes(600);
      expect(await nowhere.tick()).toEqual({ sent: 0, failed: 0 });
    } finally {
      await nowhere.stop();
    }
  });

  it('cuts an overlong title by characters, never through a surrogate pair', async () => {
    const { ids } = app.co;
    const db = app.t.database.db;
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR, now: app.t.clock.now, requestId: null, ip: null, lang: 'zh' };
    // 199 characters, then an emoji (two UTF-16 units) across the 200th.
    const title = `${'客'.repeat(199)}😀尾`;
    await tx(ctx, (t) => notify(t, [ids.qamgr], { kind: 'test', title, secrecy: 0 }));
    const stored = await db
      .selectFrom('notifications')
      .select('title')
      .where('user_id', '=', ids.qamgr)
      .where('kind', '=', 'test')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(stored.title).toBe(`${'客'.repeat(199)}😀`);
  });
});
