import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config.js';
import { MailSender } from '../../platform/mail.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';
import { handoverNoticeOutbox } from './handover-notice.js';

// The customer told of a handover (R-C9, seed 001 篇一: 交接应由公司及时通知有关客户), through HTTP:
// with SMTP configured, the handover mails the primary contact from the template with the new
// person's name and phone, and the sent mail is an interaction of the archive; a customer whose
// contact has no address gets a call task for the successor instead; the template refuses
// unknown placeholders; the preview lists what else the person holds, module by module, and what
// each customer will be told, and the handover moves those items with a history entry.

type Json = Record<string, unknown>;

interface Received {
  to: string[];
  subject: string;
  text: string;
}
const received: Received[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onRcptTo(address, _session, cb) {
    if (address.address === 'nobody@gone.example.com') cb(new Error('mailbox unavailable'));
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
const overrides: Partial<Config> = {};
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  overrides.mail = {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: '客档 <kedang@example.com>',
    publicUrl: 'https://kedang.example.com/',
    intervalMs: 60_000,
  } as Config['mail'];
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('handover notice (R-C9)', () => {
  // Registered after the SMTP server's hook: the app starts with SMTP configured.
  const app = companyApp(overrides);
  const db = () => app.t.database.db;
  let n = 0;

  const archive = async (contact: { name: string; email?: string }) => {
    const res = await app.co.as.sales1.post('/api/customers', {
      name: `交接告知测试客户${++n}号有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '机械制造',
      region: '苏州',
      contacts: [{ mobile: '13800000000', isPrimary: true, ...contact }],
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string; archiveCode: string };
  };

  it('refuses a template with an unknown placeholder, naming the field, and keeps a good one', async () => {
    const bad = await app.co.as.admin.put('/api/customer-config/settings', {
      handoverNoticeTemplate: '{联系人}您好，{新经理}将负责贵司。',
    });
    expect(bad.statusCode).toBe(422);
    const problem = bad.json() as { errors: { field: string; message: string }[] };
    expect(problem.errors[0]?.field).toBe('handoverNoticeTemplate');
    expect(problem.errors[0]?.message).toContain('交接告知模板');
    expect(problem.errors[0]?.message).toContain('{新经理}');
    const config = (await app.co.as.sales1.get('/api/customer-config')).json() as {
      settings: { handoverNoticeTemplate: string };
    };
    expect(config.settings.handoverNoticeTemplate).toContain('{新负责人}');
    const good = await app.co.as.admin.put('/api/customer-config/settings', {
      handoverNoticeTemplate:
        '{联系人}，您好：\n{客户名称}的业务今后由{新负责人}负责（电话 {新负责人电话}，邮箱 {新负责人邮箱}），原负责人{原负责人}。\n{公司名称}',
    });
    expect(good.statusCode, good.body).toBe(200);
  });

  it('mails the contact with an address, makes a call task for the one without, and moves open items', async () => {
    const co = app.co;
    await co.as.admin.patch(`/api/users/${co.ids.sales2}`, {
      name: '李新经理',
      phone: '0512-66668888',
      email: 'lixin@example.com',
    });
    const withMail = await archive({ name: '王采购', email: 'wang@buyer.example.com' });
    const withoutMail = await archive({ name: '赵主管' });
    // An open visit task of sales1's, planned by hand.
    const visit = await co.as.sales1.post('/api/visits', {
      customerId: withoutMail.id,
      dueDate: '2026-03-20',
      way: 'phone',
      note: null,
    });
    expect(visit.statusCode, visit.body).toBe(201);
    // A service case sales1 handles.
    const kase = await co.as.sales1.post('/api/cases', {
      kind: 'service',
      type: 'repair',
      customerId: withMail.id,
      channel: 'email',
      content: '设备异响，请派人检修',
    });
    expect(kase.statusCode, kase.body).toBe(201);
    const caseId = kase.json().id as string;
    const dispatched = await co.as.salesmgr.post(`/api/cases/${caseId}/dispatch`, {
      departmentId: co.sales,
      handlerId: co.ids.sales1,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);

    const preview = await co.as.salesmgr.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales1}`);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as {
      customers: number;
      openItems: { module: string; count: number; moves: boolean; items: { label: string }[] }[];
      notices: { customerId: string; channel: string; contactName: string | null }[];
    };
    expect(p.customers).toBe(2);
    expect(p.openItems.map((i) => i.module)).toEqual([
      'visits',
      'cases',
      'sr_reviews',
      'sr_acknowledgements',
      'document_copies',
      'loans',
    ]);
    const visits = p.openItems.find((i) => i.module === 'visits');
    expect(visits?.count).toBeGreaterThanOrEqual(1);
    expect(visits?.items.some((i) => i.label.includes('2026-03-20'))).toBe(true);
    expect(p.openItems.find((i) => i.module === 'loans')).toMatchObject({ count: 0, moves: false });
    const cases = p.openItems.find((i) => i.module === 'cases');
    expect(cases).toMatchObject({ count: 1, moves: true });
    expect(cases?.items[0]?.label).toContain(withMail.name);
    expect(p.notices.find((x) => x.customerId === withMail.id)).toMatchObject({
      channel: 'mail',
      contactName: '王采购',
    });
    expect(p.notices.find((x) => x.customerId === withoutMail.id)).toMatchObject({
      channel: 'call',
      contactName: '赵主管',
    });

    // The administrator hands over archives they may not open: counted, never named (R-P1).
    const blind = (
      await co.as.admin.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales1}`)
    ).json() as typeof p;
    expect(blind.customers).toBe(2);
    expect(blind.notices).toEqual([]);
    expect(blind.openItems.find((i) => i.module === 'cases')?.count).toBe(1);
    expect(JSON.stringify(blind.openItems)).not.toContain(withMail.name);
    expect(JSON.stringify(blind.openItems)).not.toContain(withoutMail.name);

    const res = await co.as.salesmgr.post('/api/customers/handover', {
      fromUserId: co.ids.sales1,
      toUserId: co.ids.sales2,
      reason: '离职',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ customerCount: 2, notices: { mail: 1, sent: 0, call: 1 } });

    // The visit task went with the archive; the call task is the successor's, on the archive.
    const tasks = await db()
      .selectFrom('visit_tasks')
      .select(['id', 'customer_id', 'assignee_id', 'source_type', 'way', 'note', 'status'])
      .where('customer_id', '=', withoutMail.id)
      .where('status', '=', 'open')
      .execute();
    expect(tasks.every((x) => x.assignee_id === co.ids.sales2)).toBe(true);
    const call = tasks.find((x) => x.source_type === 'handover');
    expect(call?.way).toBe('phone');
    expect(call?.note).toContain('赵主管');
    expect(call?.note).toContain('李新经理');
    // The successor sees it in their own list of visits.
    const mine = (await co.as.sales2.get('/api/visits?status=open')).json() as { items: Json[] };
    expect(mine.items.some((x) => x.id === call?.id)).toBe(true);
    // The case is the successor's now, and its history says so.
    const moved = (await co.as.sales2.get(`/api/cases/${caseId}`)).json() as {
      handler: { id: string } | null;
      events: { kind: string; note: string | null }[];
    };
    expect(moved.handler?.id).toBe(co.ids.sales2);
    expect(moved.events.some((e) => e.kind === 'reassigned' && e.note === '交接：sales1 → 李新经理')).toBe(
      true,
    );
    // Nothing left for the person leaving.
    const after = (
      await co.as.salesmgr.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales1}`)
    ).json() as { customers: number; openItems: { module: string; count: number }[] };
    expect(after.customers).toBe(0);
    expect(after.openItems.find((i) => i.module === 'visits')?.count).toBe(0);
    expect(after.openItems.find((i) => i.module === 'cases')?.count).toBe(0);

    // The mail goes out from the outbox to a real SMTP peer, with the new person's details.
    const sender = new MailSender(db(), app.t.config.mail as NonNullable<Config['mail']>, app.t.clock.now, [
      handoverNoticeOutbox(db()),
    ]);
    try {
      received.length = 0;
      const r = await sender.tick();
      expect(r.failed).toBe(0);
      const mail = received.find((m) => m.to.includes('wang@buyer.example.com'));
      expect(mail, JSON.stringify(received.map((m) => m.to))).toBeDefined();
      expect(mail?.subject).toContain('客户服务负责人变更通知');
      expect(mail?.text).toContain('王采购，您好');
      expect(mail?.text).toContain('李新经理');
      expect(mail?.text).toContain('0512-66668888');
      expect(mail?.text).toContain('lixin@example.com');
      expect(mail?.text).toContain(withMail.name);
      expect(mail?.text).toContain('原负责人sales1');
      // Sent once.
      received.length = 0;
      await sender.tick();
      expect(received.filter((m) => m.to.includes('wang@buyer.example.com'))).toHaveLength(0);
    } finally {
      await sender.stop();
    }
    // Recorded as an interaction (往来记录) of the archive, and audited.
    const timeline = (await co.as.sales2.get(`/api/customers/${withMail.id}/interactions`)).json() as {
      items: { kind: string; summary: string; participants: string | null }[];
    };
    const told = timeline.items.find((i) => i.summary.includes('交接告知邮件'));
    expect(told).toMatchObject({ kind: 'email', participants: '王采购' });
    expect(told?.summary).toContain('wang@buyer.example.com');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', 'in', ['customer.handover_notice', 'customer.interaction_add'])
      .where('target_id', '=', withMail.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(
      expect.arrayContaining(['customer.handover_notice', 'customer.interaction_add']),
    );
    const list = (await co.as.salesmgr.get('/api/customers/handovers')).json() as { items: Json[] };
    expect(list.items[0]).toMatchObject({ notices: { mail: 1, sent: 1, call: 1 } });
  });

  it('moves a document copy the leaver has not signed for to the successor, with a history entry', async () => {
    const { as, ids } = app.co;
    const mine = await as.sales2.post('/api/customers', {
      name: '交接副本测试客户有限公司',
      category: 'general',
      kind: 'business',
      contacts: [{ name: '钱经理', mobile: '13900000000', isPrimary: true }],
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const created = await as.sales2.post('/api/documents', {
      title: '客户图纸（交接测试）',
      category: 'customer_supplied',
      source: 'customer',
      customerId: mine.json().id,
      controlled: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const docId = created.json().id as string;
    await uploadFile(as.sales2, docId, '客户图纸.pdf', CONTRACT_PDF);
    const sent = await as.archivist.post(`/api/documents/${docId}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.sales2 }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const copyId = (sent.json() as Json[])[0]?.id as string;

    const p = (await as.salesmgr.get(`/api/customers/handover/preview?fromUserId=${ids.sales2}`)).json() as {
      openItems: { module: string; count: number; moves: boolean; items: { label: string }[] }[];
    };
    const copies = p.openItems.find((i) => i.module === 'document_copies');
    expect(copies).toMatchObject({ count: 1, moves: true });
    expect(copies?.items[0]?.label).toContain('客户图纸（交接测试）');
    const res = await as.salesmgr.post('/api/customers/handover', {
      fromUserId: ids.sales2,
      toUserId: ids.east1,
      reason: '调岗',
    });
    expect(res.statusCode, res.body).toBe(201);
    const copy = await db()
      .selectFrom('document_copies')
      .select(['user_id', 'recipient', 'received_at'])
      .where('id', '=', copyId)
      .executeTakeFirstOrThrow();
    expect(copy).toMatchObject({ user_id: ids.east1, recipient: 'east1', received_at: null });
    const kept = await db()
      .selectFrom('document_events')
      .select(['kind', 'details'])
      .where('document_id', '=', docId)
      .where('kind', '=', 'handover')
      .execute();
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]?.details ?? '{}')).toMatchObject({ from: '李新经理', to: 'east1' });
    // Without an e-mail address the customer is called by the successor.
    const call = await db()
      .selectFrom('visit_tasks')
      .select(['assignee_id', 'way'])
      .where('customer_id', '=', mine.json().id)
      .where('source_type', '=', 'handover')
      .execute();
    expect(call).toEqual([{ assignee_id: ids.east1, way: 'phone' }]);
  });

  it('hands over the applicable requirement a person without archives carries out, with its history', async () => {
    const { as, ids, quality } = app.co;
    const mine = await as.sales2.post('/api/customers', {
      name: '交接特殊要求测试客户有限公司',
      category: 'general',
      kind: 'business',
      contacts: [{ name: '吴工', mobile: '13700000000', isPrimary: true }],
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const r = await as.sales2.post('/api/special-requirements', {
      customerId: mine.json().id,
      category: 'ppap',
      title: '出货检验报告随货（交接测试）',
      text: '所有批次须随货提供出货检验报告',
      receivedOn: '2026-02-28',
    });
    expect(r.statusCode, r.body).toBe(201);
    const rid = r.json().id as string;
    const asked = await as.sales2.post(`/api/special-requirements/${rid}/reviews`, {
      departmentIds: [quality],
      note: '请评审',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const reviewed = await as.qa1.put(`/api/special-requirements/${rid}/reviews/${quality}`, {
      decision: 'applicable',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);

    const p = (await as.qamgr.get(`/api/customers/handover/preview?fromUserId=${ids.qa1}`)).json() as {
      customers: number;
      openItems: { module: string; count: number }[];
    };
    expect(p.customers).toBe(0);
    expect(p.openItems.find((i) => i.module === 'sr_reviews')?.count).toBe(1);
    const res = await as.qamgr.post('/api/customers/handover', {
      fromUserId: ids.qa1,
      toUserId: ids.qamgr,
      reason: '离职',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ customerCount: 0, notices: { mail: 0, sent: 0, call: 0 } });
    const review = await db()
      .selectFrom('sr_reviews')
      .select('owner_id')
      .where('requirement_id', '=', rid)
      .executeTakeFirstOrThrow();
    expect(review.owner_id).toBe(ids.qamgr);
    const history = await db()
      .selectFrom('sr_history')
      .select(['field', 'old_value', 'new_value', 'note'])
      .where('requirement_id', '=', rid)
      .where('note', 'like', '交接%')
      .execute();
    expect(history).toEqual([
      {
        field: 'review:品质部',
        old_value: '适用（负责人 qa1）',
        new_value: '适用（负责人 qamgr）',
        note: '交接：qa1 → qamgr',
      },
    ]);
    // Nothing left: a second handover has nothing to move.
    const again = await as.qamgr.post('/api/customers/handover', {
      fromUserId: ids.qa1,
      toUserId: ids.qamgr,
    });
    expect(again.json()).toMatchObject({ status: 422, code: 'handover_nothing' });
  });

  it("makes a call task when the contact's address refuses the mail for good", async () => {
    const { as, ids } = app.co;
    const gone = await as.east1.post('/api/customers', {
      name: '交接退信测试客户有限公司',
      category: 'general',
      kind: 'business',
      contacts: [
        { name: '郑经理', mobile: '13600000000', email: 'nobody@gone.example.com', isPrimary: true },
      ],
    });
    expect(gone.statusCode, gone.body).toBe(201);
    const res = await as.salesmgr.post('/api/customers/handover', {
      fromUserId: ids.east1,
      assignments: [{ customerId: gone.json().id, toUserId: ids.sales2 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const sender = new MailSender(db(), app.t.config.mail as NonNullable<Config['mail']>, app.t.clock.now, [
      handoverNoticeOutbox(db()),
    ]);
    try {
      expect(await sender.tick()).toMatchObject({ failed: 1 });
    } finally {
      await sender.stop();
    }
    const notice = await db()
      .selectFrom('handover_notices')
      .select(['mail_error', 'sent_at', 'visit_task_id'])
      .where('customer_id', '=', gone.json().id)
      .executeTakeFirstOrThrow();
    expect(notice.sent_at).toBeNull();
    expect(notice.mail_error).toContain('mailbox unavailable');
    const task = await db()
      .selectFrom('visit_tasks')
      .select(['assignee_id', 'way', 'note', 'status'])
      .where('id', '=', notice.visit_task_id as string)
      .executeTakeFirstOrThrow();
    expect(task).toMatchObject({ assignee_id: ids.sales2, way: 'phone', status: 'open' });
    expect(task.note).toContain('交接告知邮件未能送达 nobody@gone.example.com');
    expect(task.note).toContain('郑经理');
  });

  it('lists a loan out in the preview and keeps the borrower from being deactivated until it is returned', async () => {
    const { as, ids } = app.co;
    const paper = await as.qa1.post('/api/documents', {
      category: 'records',
      title: '纸质检验记录（交接测试）',
      carrier: 'paper',
      location: 'C柜-01盒',
    });
    expect(paper.statusCode, paper.body).toBe(201);
    const req = await as.sales1.post('/api/access-requests', {
      mode: 'physical',
      purpose: 'borrow',
      reason: '客户审核需要',
      items: [{ targetType: 'document', targetId: paper.json().id }],
    });
    expect(req.statusCode, req.body).toBe(201);
    const id = req.json().id as string;
    for (const who of [as.salesmgr, as.gm]) {
      const d = await who.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' });
      expect(d.statusCode, d.body).toBeLessThan(300);
    }
    const itemIds = ((await as.archivist.get(`/api/access-requests/${id}`)).json().items as Json[]).map(
      (i) => i.id as string,
    );
    const issued = await as.archivist.post(`/api/access-requests/${id}/loans`, {
      itemIds,
      conditionOut: '完好',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const loanId = issued.json()[0].id as string;

    const p = (await as.salesmgr.get(`/api/customers/handover/preview?fromUserId=${ids.sales1}`)).json() as {
      openItems: { module: string; count: number; moves: boolean }[];
    };
    expect(p.openItems.find((i) => i.module === 'loans')).toMatchObject({ count: 1, moves: false });
    const refused = await as.admin.patch(`/api/users/${ids.sales1}`, { active: false });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'user_has_loans' });
    expect(refused.json().title).toContain('借出的档案未归还');
    const back = await as.archivist.post(`/api/loans/${loanId}/return`, { condition: 'intact' });
    expect(back.statusCode, back.body).toBeLessThan(300);
    const ok = await as.admin.patch(`/api/users/${ids.sales1}`, { active: false });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
