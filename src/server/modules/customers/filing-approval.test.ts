import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, tableCounts } from '../../test-support/app.js';
import { type Company, seedCompany, travel } from '../../test-support/customers.js';

// 备案审批 (R-C5, seed 001 篇五 新建档案由销售总监进行审批确认): with the setting on, 备案 submits the
// archive to the sales director (the manager of its department, or the general manager); the
// submission meets the 5-working-day deadline; the approver files it or returns it with a reason.

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API
type Json = any;

const complete = {
  category: 'general',
  kind: 'business',
  registeredAddress: '广州市天河区',
  industry: '照明',
  region: '广州',
  contacts: [{ name: '李工', phone: '020-88886666' }],
};

describe('filing approval (备案审批)', () => {
  let t: TestApp;
  let co: Company;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
  });
  afterAll(() => t.close());

  const create = async (name: string, extra: Record<string, unknown> = {}, as = co.as.sales1) => {
    const res = await as.post('/api/customers', { ...complete, name, ...extra });
    expect(res.statusCode).toBe(201);
    return res.json() as Json;
  };
  const audit = async (action: string, id: string) =>
    ((await co.as.admin.get(`/api/audit?action=${action}&target=${id}`)).json().items as Json[]).filter(
      (e) => e.outcome !== 'denied',
    );

  it('is off by default: 备案 files at once, as before', async () => {
    const config = (await co.as.sales1.get('/api/customer-config')).json();
    expect(config.settings.filingApproval).toBe(false);
    const c = await create('直接备案公司');
    expect(c.can).toMatchObject({ file: true, decideFiling: false });
    const filed = await co.as.sales1.post(`/api/customers/${c.id}/file`);
    expect(filed.statusCode).toBe(200);
    expect(filed.json()).toMatchObject({
      status: 'filed',
      filedAt: expect.any(String),
      filing: { submittedAt: null, returnReason: null },
    });
    expect(await audit('customer.file_submit', c.id)).toEqual([]);
    const atOnce = await create('建档即备案公司', { file: true });
    expect(atOnce.status).toBe('filed');
  });

  it('only the administrator turns it on', async () => {
    expect(
      (await co.as.salesmgr.put('/api/customer-config/settings', { filingApproval: true })).statusCode,
    ).toBe(403);
    const res = await co.as.admin.put('/api/customer-config/settings', { filingApproval: true });
    expect(res.statusCode).toBe(200);
    expect(res.json().filingApproval).toBe(true);
  });

  let pending: Json;

  it('submits instead of filing, and the submission stops the filing clock', async () => {
    // First contact Monday 2026-03-02: due 2026-03-09.
    pending = await create('待审批公司');
    await create('迟迟未提交公司');
    expect(pending.filingDueDate).toBe('2026-03-09');
    await travel(t, co, '2026-03-05T02:00:00.000Z');
    const res = await co.as.sales1.post(`/api/customers/${pending.id}/file`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'draft',
      filedAt: null,
      filing: { submittedAt: '2026-03-05T02:00:00.000Z', submittedBy: 'sales1', returnReason: null },
      can: { file: false, decideFiling: false },
    });
    // Submitting twice is refused.
    const again = await co.as.sales1.post(`/api/customers/${pending.id}/file`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'filing_pending', title: expect.stringContaining('等待') });
    // Past the deadline the submitted archive is not overdue; the one never submitted is.
    await travel(t, co, '2026-03-16T02:00:00.000Z');
    const overdue = (await co.as.sales1.get('/api/customers?overdue=true')).json().items as Json[];
    expect(overdue.map((x) => x.name)).toEqual(['迟迟未提交公司']);
    expect((await co.as.sales1.get(`/api/customers/${pending.id}`)).json()).toMatchObject({
      filingOverdue: false,
      status: 'draft',
    });
    expect((await co.as.sales1.get('/api/customers/count?overdue=true')).json().count).toBe(1);
    const [entry] = await audit('customer.file_submit', pending.id);
    expect(entry).toMatchObject({ actorLogin: 'sales1', details: { late: false } });
    const history = (await co.as.sales1.get(`/api/customers/${pending.id}/history`)).json().items as Json[];
    expect(history.map((h) => h.field)).toContain('filing_submitted');
  });

  it('shows the sales director what waits, in a list and the to-do count, and tells him', async () => {
    expect((await co.as.salesmgr.get('/api/customers/filing/todo')).json()).toEqual({ pending: 1 });
    const mine = (await co.as.salesmgr.get('/api/customers?filing=mine')).json().items as Json[];
    expect(mine.map((x) => [x.name, x.filingPending])).toEqual([['待审批公司', true]]);
    // Nobody else has it to decide: the submitter, a colleague, another department's manager.
    for (const who of ['sales1', 'sales2', 'qamgr'] as const)
      expect((await co.as[who].get('/api/customers/filing/todo')).json()).toEqual({ pending: 0 });
    // The colleague sees it waiting in the department's list.
    const all = (await co.as.sales2.get('/api/customers?filing=pending')).json().items as Json[];
    expect(all.map((x) => x.name)).toEqual(['待审批公司']);
    const notes = (await co.as.salesmgr.get('/api/notifications')).json().items as Json[];
    expect(notes.map((n) => n.title)).toContain(`待审批备案：${pending.archiveCode} 待审批公司`);
    expect((await co.as.salesmgr.get(`/api/customers/${pending.id}`)).json().can.decideFiling).toBe(true);
  });

  it('lets only the approver decide; others are refused and nothing changes', async () => {
    const before = await tableCounts(t);
    // The owner and a colleague see the archive but may not approve it.
    for (const who of ['sales1', 'sales2'] as const) {
      const res = await co.as[who].post(`/api/customers/${pending.id}/filing/approve`);
      expect(res.statusCode).toBe(403);
    }
    // Another department's manager does not even see it.
    const other = await co.as.qamgr.post(`/api/customers/${pending.id}/filing/approve`);
    expect(other.statusCode).toBe(404);
    expect((await co.as.qamgr.post('/api/customers/nonexistent/filing/approve')).json().code).toBe(
      other.json().code,
    );
    // Returning without a reason names the field, in Chinese.
    const blank = await co.as.salesmgr.post(`/api/customers/${pending.id}/filing/return`, { reason: '　 ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0]).toMatchObject({ field: 'reason' });
    expect(blank.json().errors[0].message).toMatch(/[\u4e00-\u9fff]/);
    const junk = await co.as.salesmgr.post(`/api/customers/${pending.id}/filing/return`, { why: 'x' });
    expect(junk.statusCode).toBe(400);
    const { audit_log: _a, login_failures: _l, sessions: _s, ...rest } = before as Record<string, number>;
    const after = (await tableCounts(t)) as Record<string, number>;
    for (const [k, v] of Object.entries(rest)) expect([k, after[k]]).toEqual([k, v]);
  });

  it('returns with a reason: a draft again, the owner told and shown why', async () => {
    const res = await co.as.salesmgr.post(`/api/customers/${pending.id}/filing/return`, {
      reason: '联系人电话不全，请补充',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'draft',
      filing: { submittedAt: null, returnReason: '联系人电话不全，请补充', returnedBy: 'salesmgr' },
    });
    const owner = (await co.as.sales1.get(`/api/customers/${pending.id}`)).json();
    expect(owner).toMatchObject({
      filing: { returnReason: '联系人电话不全，请补充' },
      can: { file: true },
      // Back in draft past its deadline: overdue again until submitted.
      filingOverdue: true,
    });
    const notes = (await co.as.sales1.get('/api/notifications')).json().items as Json[];
    expect(notes.find((n) => n.title === `备案被退回：${pending.archiveCode} 待审批公司`)).toMatchObject({
      body: expect.stringContaining('联系人电话不全'),
    });
    expect(await audit('customer.file_return', pending.id)).toEqual([
      expect.objectContaining({
        actorLogin: 'salesmgr',
        details: expect.objectContaining({ reason: '联系人电话不全，请补充' }),
      }),
    ]);
    const history = (await co.as.sales1.get(`/api/customers/${pending.id}/history`)).json().items as Json[];
    expect(history.find((h) => h.field === 'filing_returned')).toMatchObject({
      actorName: 'salesmgr',
      note: '联系人电话不全，请补充',
    });
    // Nothing waits any more; deciding again is refused.
    expect((await co.as.salesmgr.get('/api/customers/filing/todo')).json()).toEqual({ pending: 0 });
    const twice = await co.as.salesmgr.post(`/api/customers/${pending.id}/filing/approve`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('filing_not_pending');
  });

  it('approves a resubmission: filed as 备案 files, the owner told', async () => {
    await co.as.sales1.post(`/api/customers/${pending.id}/file`);
    const res = await co.as.salesmgr.post(`/api/customers/${pending.id}/filing/approve`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'filed',
      filedAt: '2026-03-16T02:00:00.000Z',
      filing: { submittedAt: null, returnReason: null },
      can: { file: false, decideFiling: false },
    });
    expect(await audit('customer.file_approve', pending.id)).toEqual([
      expect.objectContaining({ actorLogin: 'salesmgr' }),
    ]);
    const notes = (await co.as.sales1.get('/api/notifications')).json().items as Json[];
    expect(notes.map((n) => n.title)).toContain(`备案已批准：${pending.archiveCode} 待审批公司`);
    const history = (await co.as.sales1.get(`/api/customers/${pending.id}/history`)).json().items as Json[];
    expect(history.find((h) => h.field === 'status')).toMatchObject({
      oldValue: 'draft',
      newValue: 'filed',
      actorName: 'salesmgr',
    });
  });

  it('never lets anyone approve their own archive; the general manager decides it', async () => {
    const own = await create('经理自己的客户', { ownerIds: [co.ids.salesmgr] }, co.as.salesmgr);
    const submitted = await co.as.salesmgr.post(`/api/customers/${own.id}/file`);
    expect(submitted.json().filing.submittedBy).toBe('salesmgr');
    expect((await co.as.salesmgr.get('/api/customers/filing/todo')).json()).toEqual({ pending: 0 });
    expect((await co.as.salesmgr.post(`/api/customers/${own.id}/filing/approve`)).statusCode).toBe(403);
    // Nobody manages above him: the general managers are told.
    const notes = (await co.as.gm.get('/api/notifications')).json().items as Json[];
    expect(notes.map((n) => n.title)).toContain(`待审批备案：${own.archiveCode} 经理自己的客户`);
    expect((await co.as.gm.get('/api/customers/filing/todo')).json()).toEqual({ pending: 1 });
    expect((await co.as.gm.post(`/api/customers/${own.id}/filing/approve`)).json().status).toBe('filed');
  });

  it('keeps archives above the approver clearance out of sight', async () => {
    const secret = await create(
      '秘密客户',
      { secrecy: 'secret', ownerIds: [co.ids.salesmgr] },
      co.as.salesmgr,
    );
    await co.as.salesmgr.post(`/api/customers/${secret.id}/file`);
    // lowgm (clearance 普通) does not see it, in the count or by id.
    expect((await co.as.lowgm.get('/api/customers/filing/todo')).json()).toEqual({ pending: 0 });
    expect((await co.as.lowgm.post(`/api/customers/${secret.id}/filing/approve`)).statusCode).toBe(404);
    expect((await co.as.gm.get('/api/customers/filing/todo')).json()).toEqual({ pending: 1 });
  });

  it('is decided once when two approvers decide at the same moment', async () => {
    const c = await create('同时审批公司');
    await co.as.sales1.post(`/api/customers/${c.id}/file`);
    const answers = await Promise.all([
      co.as.salesmgr.post(`/api/customers/${c.id}/filing/approve`),
      co.as.gm.post(`/api/customers/${c.id}/filing/return`, { reason: '重复' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const decided =
      (await audit('customer.file_approve', c.id)).length +
      (await audit('customer.file_return', c.id)).length;
    expect(decided).toBe(1);
  });

  it('drops a waiting submission when the archive is deactivated', async () => {
    const c = await create('停用待审批公司');
    await co.as.sales1.post(`/api/customers/${c.id}/file`);
    const off = await co.as.salesmgr.post(`/api/customers/${c.id}/deactivate`, { note: '客户已停业' });
    expect(off.json()).toMatchObject({ status: 'inactive', filing: { submittedAt: null } });
    const on = await co.as.salesmgr.post(`/api/customers/${c.id}/reactivate`, { note: '恢复合作' });
    expect(on.json()).toMatchObject({ status: 'draft', filing: { submittedAt: null } });
    expect((await co.as.sales1.get(`/api/customers/${c.id}`)).json().can.file).toBe(true);
  });

  it('submits at creation when asked to file at once', async () => {
    const c = await create('建档即提交公司', { file: true });
    expect(c).toMatchObject({ status: 'draft', filing: { submittedBy: 'sales1' } });
    expect(await audit('customer.file_submit', c.id)).toHaveLength(1);
  });
});
