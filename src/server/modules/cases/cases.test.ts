import { describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { caseDaily } from './notices.js';

// Complaints and service requests through HTTP (R-Q1 … R-Q7): clocks on the working-day calendar
// over the 2026 National Day holiday, triage by the right person (never the one complained
// about), dispatch of service requests without triage, breach notices and escalation to the
// deputy general manager, and the revisit that files the case's record in the customer archive.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('cases: intake, clocks, triage, handling, reply and revisit (R-Q1 … R-Q7)', () => {
  const app = companyApp();
  const at = (iso: string) => travel(app.t, app.co, iso);
  let deputy: Client;
  let deputyId: string;
  let customerId: string;

  const complaint = async (as: Client, body: Json = {}) => {
    const res = await as.post('/api/cases', {
      kind: 'complaint',
      type: 'quality',
      customerId,
      channel: 'phone',
      contactName: '王工',
      product: '铝合金支架',
      partNumber: 'ZJ-2040',
      quantity: 120,
      content: '第三批支架孔位偏移，装配困难',
      demand: '退换不良品并提交8D报告',
      severity: 'normal',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Json;
  };
  const clock = (c: Json, name: string) => (c.clocks as Json[]).find((k) => k.clock === name) as Json;
  const notices = async (userId: string, kind: string) =>
    app.t.database.db
      .selectFrom('notifications')
      .select(['title', 'link'])
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .execute();

  it('numbers a complaint received before National Day and runs its clocks on working days', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-09-30', '16:00'));
    deputyId = (await seedUser(app.t, 'deputy', ['deputy_general_manager'], { clearance: 'top_secret' })).id;
    deputy = await signIn(app.t.app, 'deputy');
    const customer = await as.sales1.post('/api/customers', {
      name: '苏州精工机械有限公司',
      category: 'general',
      kind: 'business',
    });
    expect(customer.statusCode, customer.body).toBe(201);
    customerId = customer.json().id;

    const c = await complaint(as.sales1);
    expect(c).toMatchObject({
      number: 'TS202609-0001',
      status: 'new',
      receivedAt: shanghai('2026-09-30', '16:00').replace('.000Z', '.000Z'),
      receiver: { id: ids.sales1 },
      customer: { id: customerId, name: '苏州精工机械有限公司' },
      typeLabel: '质量',
    });
    // 1 working day: 10-01 … 10-07 are the holiday, so 10-08; 2 working days: 10-09.
    expect(clock(c, 'investigate')).toMatchObject({ dueDate: '2026-10-08', state: 'open' });
    expect(clock(c, 'reply')).toMatchObject({ dueDate: '2026-10-09', state: 'open' });
    expect(clock(c, 'investigate').dueAt).toBe(shanghai('2026-10-08', '18:00'));
    // A service request is numbered FW and has no triage.
    const service = await as.sales1.post('/api/cases', {
      kind: 'service',
      type: 'repair',
      customerId,
      channel: 'email',
      content: '设备异响，请派人检修',
    });
    expect(service.statusCode, service.body).toBe(201);
    expect(service.json()).toMatchObject({ number: 'FW202609-0001', can: { triage: false } });
    const refused = await as.qa1.post(`/api/cases/${service.json().id}/triage`, {
      justified: false,
      reply: { text: '不适用', way: 'phone' },
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe('case_not_complaint');
    const dispatched = await as.salesmgr.post(`/api/cases/${service.json().id}/dispatch`, {
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expect(dispatched.json()).toMatchObject({ status: 'in_progress', handler: { id: ids.sales2 } });
    // While it is handled, whoever dispatched it may reassign it (改派).
    expect(dispatched.json().can).toMatchObject({ dispatch: false, reassign: true });
    const asHandler = await as.sales2.get(`/api/cases/${service.json().id}`);
    expect(asHandler.json().can).toMatchObject({ handle: true, reassign: false });
    // A complaint is never dispatched before it is judged.
    const early = await as.salesmgr.post(`/api/cases/${c.id}/dispatch`, {
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    expect(early.json().code).toBe('case_needs_triage');
    // Bad input is refused with the field named, and nothing is stored.
    const bad = await as.sales1.post('/api/cases', {
      kind: 'complaint',
      type: 'nonsense',
      customerId,
      channel: 'phone',
      content: '内容',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'case_type_unknown' });
    const future = await as.sales1.post('/api/cases', {
      kind: 'complaint',
      type: 'quality',
      customerId,
      channel: 'phone',
      content: '内容',
      receivedAt: shanghai('2026-10-30'),
    });
    expect(future.json()).toMatchObject({ code: 'case_received_future' });
  });

  it('lets only the general manager triage a complaint about a department manager', async () => {
    const { as, ids } = app.co;
    const c = await complaint(as.sales1, {
      responsibleUserId: ids.salesmgr,
      content: '销售经理承诺的交期未兑现',
    });
    for (const who of [as.salesmgr, as.qa1]) {
      const res = await who.post(`/api/cases/${c.id}/triage`, {
        justified: true,
        departmentId: app.co.sales,
        handlerId: ids.sales2,
      });
      expect(res.statusCode, res.body).toBe(403);
    }
    const ok = await as.gm.post(`/api/cases/${c.id}/triage`, {
      justified: true,
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'in_progress', outcome: 'justified' });
    // The person complained about is never the handler.
    const c2 = await complaint(as.sales1, { responsibleUserId: ids.sales2 });
    const self = await as.qa1.post(`/api/cases/${c2.id}/triage`, {
      justified: true,
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    expect(self.json()).toMatchObject({ code: 'case_handler_responsible' });
  });

  it('closes an unjustified complaint with the polite reply recorded', async () => {
    const { as } = app.co;
    const c = await complaint(as.sales1, { content: '价格比去年高', type: 'price' });
    const res = await as.qa1.post(`/api/cases/${c.id}/triage`, {
      justified: false,
      note: '价格按年度合同执行',
      reply: { text: '感谢反馈，价格依据2026年度合同第5条执行。', way: 'phone' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const closed = res.json();
    expect(closed).toMatchObject({
      status: 'closed',
      outcome: 'unjustified',
      reply: { text: '感谢反馈，价格依据2026年度合同第5条执行。', way: 'phone', by: { id: app.co.ids.qa1 } },
    });
    expect(clock(closed, 'reply')).toMatchObject({ state: 'met' });
    expect(closed.document).not.toBeNull();
  });

  it('notifies breached clocks, puts them in 我的待办 and escalates a 重大 complaint to the deputy GM', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-09-30', '17:00'));
    const major = await complaint(as.sales1, { severity: 'major', content: '批量断裂，客户停线' });
    const triaged = await as.salesmgr.post(`/api/cases/${major.id}/triage`, {
      justified: true,
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    expect((await notices(ids.sales2, 'case.assigned')).map((n) => n.title)).toContainEqual(
      expect.stringContaining(major.number as string),
    );
    // On the due day: due today, not yet breached.
    await at(shanghai('2026-10-08', '09:00'));
    expect((await as.sales2.get('/api/cases/todo')).json()).toMatchObject({
      dueToday: expect.any(Number),
      breached: 0,
    });
    expect((await as.sales2.get('/api/cases/todo')).json().dueToday).toBeGreaterThan(0);
    await caseDaily(app.t.system);
    expect((await notices(ids.sales2, 'case.due')).map((n) => n.title)).toContainEqual(
      expect.stringContaining('今天到期'),
    );
    // The next morning the investigation clock is breached.
    await at(shanghai('2026-10-09', '09:00'));
    const todo = (await as.sales2.get('/api/cases/todo')).json();
    expect(todo.breached).toBeGreaterThan(0);
    const detail = (await as.sales2.get(`/api/cases/${major.id}`)).json();
    expect(clock(detail, 'investigate')).toMatchObject({ state: 'breached' });
    const breachedList = (await as.sales2.get('/api/cases?view=breached')).json().items as Json[];
    expect(breachedList.map((x) => x.id)).toContain(major.id);
    const run = await caseDaily(app.t.system);
    expect(run.escalated).toBeGreaterThan(0);
    expect((await notices(ids.sales2, 'case.breached')).length).toBeGreaterThan(0);
    expect((await notices(ids.salesmgr, 'case.breached')).length).toBeGreaterThan(0);
    const escalated = await notices(deputyId, 'case.escalated');
    expect(escalated.map((n) => n.title)).toContainEqual(expect.stringContaining(major.number as string));
    // Once only.
    expect((await caseDaily(app.t.system)).breached).toBe(0);
    deputy = await signIn(app.t.app, 'deputy');
    expect((await deputy.get(`/api/cases/${major.id}`)).statusCode).toBe(200);
  });

  it('never lets the person found responsible close the complaint', async () => {
    const { as, ids } = app.co;
    const c = await complaint(as.sales1, { content: '包装破损' });
    await as.qa1.post(`/api/cases/${c.id}/triage`, {
      justified: true,
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    const found = await as.qa1.put(`/api/cases/${c.id}/investigation`, {
      causeCategory: 'transport',
      analysis: '装车时未加护角',
      solution: '增加护角并培训装车人员',
      responsibleUserId: ids.sales2,
    });
    expect(found.statusCode, found.body).toBe(200);
    const own = await as.sales2.post(`/api/cases/${c.id}/resolve`);
    expect(own.statusCode, own.body).toBe(403);
    const other = await as.qa1.post(`/api/cases/${c.id}/resolve`);
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().status).toBe('to_reply');
  });

  it('investigates, replies and revisits; the revisit files a searchable PDF record with a 档号', async (ctx) => {
    const { as, ids } = app.co;
    // Departments need a code for a 档号.
    for (const [id, code] of [
      [app.co.sales, 'XS'],
      [app.co.quality, 'PZ'],
    ] as const)
      expect((await as.admin.patch(`/api/departments/${id}`, { code })).statusCode).toBe(200);
    await at(shanghai('2026-11-02', '09:30'));
    const c = await complaint(as.sales1, {
      content: '支架表面氧化发黑，客户来料检验拒收',
      product: '阳极氧化支架',
    });
    const id = c.id as string;
    const resolveEarly = await as.qa1.post(`/api/cases/${id}/triage`, {
      justified: true,
      departmentId: app.co.quality,
      handlerId: ids.qamgr,
    });
    expect(resolveEarly.statusCode, resolveEarly.body).toBe(200);
    const missing = await as.qamgr.post(`/api/cases/${id}/resolve`);
    expect(missing.statusCode).toBe(422);
    expect((missing.json().errors as Json[]).map((e) => e.field).sort()).toEqual([
      'analysis',
      'causeCategory',
      'solution',
    ]);
    expect((await as.qamgr.post(`/api/cases/${id}/start`)).json()).toMatchObject({});
    const saved = await as.qamgr.put(`/api/cases/${id}/investigation`, {
      causeCategory: 'manufacturing',
      analysis: '氧化槽温度失控导致膜层不均',
      containment: '库存品全检，隔离可疑批次',
      solution: '更换温控器并增加每班点检',
      returnQuantity: 120,
      returnDisposition: 'exchange',
      returnReceivedOn: '2026-11-02',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(clock(saved.json(), 'investigate')).toMatchObject({ state: 'met' });
    await at(shanghai('2026-11-03', '10:00'));
    expect((await as.qamgr.post(`/api/cases/${id}/resolve`)).statusCode).toBe(200);
    const replied = await as.qamgr.post(`/api/cases/${id}/reply`, {
      text: '已更换温控器，换货120件已发出',
      way: 'email',
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json()).toMatchObject({ status: 'to_revisit', revisit: { role: 'quality' } });
    expect(clock(replied.json(), 'reply')).toMatchObject({ state: 'met' });
    expect(clock(replied.json(), 'revisit').dueDate).toBe('2026-11-10');
    // The handler is not the revisit role; quality revisits.
    expect(
      (await as.qamgr.post(`/api/cases/${id}/revisit`, { opinion: 'satisfied', way: 'phone' })).statusCode,
    ).toBe(403);
    const revisited = await as.qa1.post(`/api/cases/${id}/revisit`, {
      opinion: 'satisfied',
      comment: '处理及时，认可',
      way: 'phone',
    });
    expect(revisited.statusCode, revisited.body).toBe(200);
    const closed = revisited.json();
    expect(closed).toMatchObject({
      status: 'closed',
      revisit: { opinion: 'satisfied', by: { id: ids.qa1 } },
    });
    expect(closed.document?.archiveNo).toMatch(/XS/);
    await drainJobs();
    // The record is in the customer's archive and a word of the complaint finds it.
    const found = (await as.sales1.get(`/api/documents?q=${encodeURIComponent('氧化发黑')}`)).json()
      .items as Json[];
    expect(found.map((d) => d.id)).toContain(closed.document.id);
    const doc = (await as.sales1.get(`/api/documents/${closed.document.id}`)).json();
    expect(doc).toMatchObject({ customer: { id: customerId }, archiveNo: closed.document.archiveNo });
    const file = (((doc.versions as Json[])[0] as Json).files as Json[])[0] as Json;
    const pdf = await as.sales1.get(`/api/documents/${closed.document.id}/files/${file.id}/content`);
    expect(pdf.statusCode).toBe(200);
    await expectGlyphsDrawn(pdf.rawPayload);
    const text = (await ocrPdf(ctx, pdf.rawPayload)).join('');
    for (const words of [c.number as string, '客户投诉记录表', '氧化发黑', '苏州精工机械有限公司'])
      expectRead(text, words);
    // The timeline shows every step in order.
    expect((closed.events as Json[]).map((e) => e.kind)).toEqual([
      'received',
      'triaged_justified',
      'investigation_started',
      'investigation_saved',
      'resolved',
      'replied',
      'revisited',
      'archived',
    ]);
  });

  it('hides the cases of another department and of a 机密 archive from a 普通 reader everywhere', async () => {
    const { as } = app.co;
    await at(shanghai('2026-11-20', '10:00'));
    // A 质量部 archive and a 机密 销售部 archive, each with a complaint and an attachment.
    const made = async (who: Client, body: Json) => {
      const res = await who.post('/api/customers', { category: 'general', kind: 'business', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const qaCustomer = await made(as.qamgr, { name: '杭州质检外协有限公司' });
    const secretCustomer = await made(as.gm, {
      name: '机密航空部件有限公司',
      secrecy: 'confidential',
      departmentId: app.co.sales,
    });
    const hidden: Json[] = [];
    for (const [who, customer, words] of [
      [as.qamgr, qaCustomer, '外协螺纹烂牙'],
      [as.gm, secretCustomer, '航空叶片裂纹'],
    ] as const) {
      const res = await who.post('/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId: customer,
        channel: 'phone',
        content: words,
      });
      expect(res.statusCode, res.body).toBe(201);
      const file = await who.inject({
        method: 'POST',
        url: `/api/cases/${res.json().id}/files?name=${encodeURIComponent('照片.txt')}`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from(words),
      });
      expect(file.statusCode, file.body).toBe(201);
      hidden.push({ ...res.json(), fileId: file.json().id, words });
    }
    const reader = as.east1; // 普通 staff of 华东销售组
    const seen = async (url: string) => (await reader.get(url)).body;
    for (const c of hidden) {
      expect((await reader.get(`/api/cases/${c.id}`)).statusCode).toBe(404);
      expect((await reader.get(`/api/cases/${c.id}/files/${c.fileId}`)).statusCode).toBe(404);
      for (const url of [
        '/api/cases?limit=200',
        `/api/cases?q=${encodeURIComponent(c.words as string)}`,
        '/api/cases/register.csv',
        '/api/cases/tracking.csv',
      ])
        expect(await seen(url), url).not.toContain(c.number as string);
      expect(await seen(`/api/cases?q=${encodeURIComponent(c.words as string)}`)).not.toContain(
        c.words as string,
      );
    }
    // Counts and statistics count only what the reader sees: here, nothing at all.
    const counts = (await reader.get('/api/cases/counts')).json() as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    const stats = (await reader.get('/api/cases/stats?from=2026-09&to=2026-12')).json();
    expect(stats.total.value).toBe(0);
    // Whoever may see them does (the control).
    expect((await as.gm.get(`/api/cases/${hidden[1]?.id}`)).statusCode).toBe(200);
    expect((await as.qa1.get(`/api/cases?q=${encodeURIComponent('外协螺纹')}`)).json().items).toHaveLength(1);
  });
});
