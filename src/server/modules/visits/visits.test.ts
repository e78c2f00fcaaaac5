import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { visitDaily } from './notices.js';

// Follow-up visits through HTTP (R-V1, R-V2, R-W1, R-W2): plans from filing, the first purchase,
// a closed complaint and an interaction, in calendar and working days over the 2026 National Day
// holiday; tasks that follow the archive through handover, merge and deactivation; a visit that
// lands in the archive's timeline; who sees which tasks; and the daily reminder.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('visits: plans, tasks and visits (R-V1, R-V2)', () => {
  const app = companyApp();
  const at = (iso: string) => travel(app.t, app.co, iso);
  let n = 0;

  /** A filed archive of 销售部 owned by its creator (unless the body says otherwise). */
  const archive = async (as: Client, body: Json = {}) => {
    const res = await as.post('/api/customers', {
      name: `回访测试客户${++n}号有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '机械制造',
      region: '苏州',
      contacts: [{ name: '王工', mobile: '13800000000', isPrimary: true }],
      file: true,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string };
  };
  const tasks = async (as: Client, query: string) => {
    const res = await as.get(`/api/visits?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Json[];
  };
  const due = (items: Json[]) => items.map((x) => x.dueDate);
  const setRules = async (rules: Json[]) => {
    const res = await app.co.as.admin.put('/api/visits/settings', { rules });
    expect(res.statusCode, res.body).toBe(200);
  };
  const rule = (over: Json): Json => ({
    caseKind: null,
    interactionKind: null,
    dayKind: 'calendar',
    way: 'phone',
    assigneeId: null,
    active: true,
    ...over,
  });
  const BUYER = rule({ id: 'buyer', name: '购买后回访', trigger: 'first_purchase', offsets: [3, 30, 60] });
  const NON_BUYER = rule({ id: 'non_buyer', name: '未购买客户回访', trigger: 'filed', offsets: [3, 15] });

  it('plans a buyer filed on 2026-09-28 at +3, +30 and +60 calendar days, for the owner', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-09-28'));
    const c = await archive(as.sales1, { firstPurchaseDate: '2026-09-25' });
    const items = await tasks(as.sales1, `customerId=${c.id}`);
    expect(due(items)).toEqual(['2026-10-01', '2026-10-28', '2026-11-27']);
    expect(items[0]).toMatchObject({
      trigger: 'first_purchase',
      ruleId: 'buyer',
      step: 1,
      offsetDays: 3,
      dayKind: 'calendar',
      baseDate: '2026-09-28',
      way: 'phone',
      status: 'open',
      dueState: 'upcoming',
      assignee: { id: ids.sales1 },
      customer: { id: c.id, code: c.archiveCode },
      can: { complete: true, cancel: true, reassign: true },
    });
    // The plan is audited with the archive, in the transaction that filed it.
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'visit.plan')
      .where('target_id', '=', c.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('counts working days on the company calendar, and a rule change applies to new triggers only', async () => {
    const { as } = app.co;
    const before = await archive(as.sales1, { firstPurchaseDate: '2026-09-26' });
    // Settings are read by everyone, changed by administrators and quality.
    expect((await as.sales1.get('/api/visits/settings')).json().rules).toHaveLength(2);
    expect((await as.sales1.put('/api/visits/settings', { rules: [] })).statusCode).toBe(403);
    await setRules([{ ...BUYER, dayKind: 'working' }, NON_BUYER]);
    const after = await archive(as.sales1, { firstPurchaseDate: '2026-09-26' });
    // +3 working days from Monday 09-28: 09-29, 09-30, then National Day until 10-07, so 10-08.
    expect(due(await tasks(as.sales1, `customerId=${after.id}`))[0]).toBe('2026-10-08');
    expect(due(await tasks(as.sales1, `customerId=${before.id}`))[0]).toBe('2026-10-01');
    await setRules([BUYER, NON_BUYER]);
    // A rule needs the field of its trigger, and only that.
    const bad = await as.admin.put('/api/visits/settings', {
      rules: [rule({ id: 'x', name: '往来', trigger: 'interaction', offsets: [1] })],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('rules.0.interactionKind');
  });

  it('plans a non-buyer at +3 and +15, and the first purchase replaces what is open of it', async () => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const items = await tasks(as.sales1, `customerId=${c.id}`);
    expect(due(items)).toEqual(['2026-10-01', '2026-10-13']);
    expect(items[0]).toMatchObject({ trigger: 'filed', ruleId: 'non_buyer' });
    // A draft has no plan until it is filed.
    const draft = await archive(as.sales1, { file: false });
    expect(await tasks(as.sales1, `customerId=${draft.id}`)).toEqual([]);
    expect((await as.sales1.post(`/api/customers/${draft.id}/file`)).statusCode).toBe(200);
    expect(due(await tasks(as.sales1, `customerId=${draft.id}`))).toEqual(['2026-10-01', '2026-10-13']);

    await at(shanghai('2026-10-09'));
    const bought = await as.sales1.patch(`/api/customers/${c.id}`, { firstPurchaseDate: '2026-10-09' });
    expect(bought.statusCode, bought.body).toBe(200);
    expect(bought.json().firstPurchaseDate).toBe('2026-10-09');
    const open = await tasks(as.sales1, `customerId=${c.id}&status=open`);
    expect(open.map((x) => [x.trigger, x.dueDate])).toEqual([
      ['first_purchase', '2026-10-12'],
      ['first_purchase', '2026-11-08'],
      ['first_purchase', '2026-12-08'],
    ]);
    const cancelled = await tasks(as.sales1, `customerId=${c.id}&status=cancelled`);
    expect(cancelled.map((x) => [x.trigger, x.cancelReason])).toEqual([
      ['filed', 'purchased'],
      ['filed', 'purchased'],
    ]);
    // Changing the date again starts nothing more.
    await as.sales1.patch(`/api/customers/${c.id}`, { firstPurchaseDate: '2026-10-08' });
    expect(await tasks(as.sales1, `customerId=${c.id}&status=open`)).toHaveLength(3);
  });

  it('records a visit in the task and as a call in the archive timeline', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-10-09'));
    const c = await archive(as.sales1);
    const [first] = await tasks(as.sales1, `customerId=${c.id}`);
    const done = await as.sales1.post(`/api/visits/${first?.id}/complete`, {
      way: 'phone',
      visitedOn: '2026-10-09',
      contact: '王工',
      content: '电话回访，了解样品试用情况',
      feedback: '样品尺寸合格，希望缩短交期',
      nextStep: '寄送报价单',
      nextStepDue: '2026-10-16',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      dueState: null,
      visit: {
        visitedOn: '2026-10-09',
        way: 'phone',
        contact: '王工',
        feedback: '样品尺寸合格，希望缩短交期',
        nextStep: '寄送报价单',
        nextStepDue: '2026-10-16',
        by: { id: ids.sales1 },
      },
      can: { complete: false },
    });
    const interactions = (await as.sales1.get(`/api/customers/${c.id}/interactions`)).json().items as Json[];
    expect(interactions).toHaveLength(1);
    expect(interactions[0]).toMatchObject({
      id: done.json().visit.interactionId,
      kind: 'call',
      occurredOn: '2026-10-09',
      participants: '王工',
      nextStep: '寄送报价单',
      nextStepDue: '2026-10-16',
    });
    expect(interactions[0]?.summary).toContain('电话回访，了解样品试用情况');
    expect(interactions[0]?.summary).toContain('客户意见：样品尺寸合格，希望缩短交期');
    const timeline = (await as.sales1.get(`/api/customers/${c.id}/timeline`)).json().items as Json[];
    expect(timeline.some((x) => x.type === 'interaction')).toBe(true);
    // Once done it cannot be done again; a visit in the future is refused.
    const again = await as.sales1.post(`/api/visits/${first?.id}/complete`, {
      way: 'onsite',
      visitedOn: '2026-10-09',
      content: '再次',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('visit_not_open');
    const [second] = await tasks(as.sales1, `customerId=${c.id}&status=open`);
    const future = await as.sales1.post(`/api/visits/${second?.id}/complete`, {
      way: 'onsite',
      visitedOn: '2026-10-10',
      content: '上门',
    });
    expect(future.statusCode).toBe(422);
    // Someone who may not visit for the archive is refused; the colleague who owns nothing may see it.
    const refused = await as.sales2.post(`/api/visits/${second?.id}/complete`, {
      way: 'onsite',
      visitedOn: '2026-10-09',
      content: '代为回访',
    });
    expect(refused.statusCode).toBe(403);
  });

  it('plans from a closed complaint and from an interaction of a chosen kind, never from a visit', async () => {
    const { as } = app.co;
    await setRules([
      BUYER,
      NON_BUYER,
      rule({
        id: 'complaint',
        name: '投诉关闭回访',
        trigger: 'case_closed',
        caseKind: 'complaint',
        offsets: [7],
      }),
      rule({
        id: 'meeting',
        name: '会后回访',
        trigger: 'interaction',
        interactionKind: 'meeting',
        offsets: [2],
        way: 'onsite',
      }),
      rule({
        id: 'calls',
        name: '电话后回访',
        trigger: 'interaction',
        interactionKind: 'call',
        offsets: [5],
      }),
    ]);
    const c = await archive(as.sales1);
    const complaint = await as.sales1.post('/api/cases', {
      kind: 'complaint',
      type: 'quality',
      customerId: c.id,
      channel: 'phone',
      content: '包装破损',
      severity: 'normal',
    });
    expect(complaint.statusCode, complaint.body).toBe(201);
    const closed = await as.qa1.post(`/api/cases/${complaint.json().id}/triage`, {
      justified: false,
      reply: { text: '经核实为运输方责任，已告知客户', way: 'phone' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const fromCase = (await tasks(as.sales1, `customerId=${c.id}`)).filter(
      (x) => x.trigger === 'case_closed',
    );
    expect(fromCase).toMatchObject([
      { ruleId: 'complaint', sourceType: 'case', sourceId: complaint.json().id, dueDate: '2026-10-16' },
    ]);
    const meeting = await as.sales1.post(`/api/customers/${c.id}/interactions`, {
      kind: 'meeting',
      occurredOn: '2026-10-09',
      summary: '年度商务会谈',
    });
    expect(meeting.statusCode, meeting.body).toBe(201);
    const fromMeeting = (await tasks(as.sales1, `customerId=${c.id}`)).filter(
      (x) => x.trigger === 'interaction',
    );
    expect(fromMeeting).toMatchObject([{ ruleId: 'meeting', way: 'onsite', dueDate: '2026-10-11' }]);
    // The call a phone visit records sets off no "after a call" plan.
    await as.sales1.post(`/api/visits/${fromMeeting[0]?.id}/complete`, {
      way: 'phone',
      visitedOn: '2026-10-09',
      content: '会后电话确认',
    });
    expect((await tasks(as.sales1, `customerId=${c.id}`)).filter((x) => x.ruleId === 'calls')).toEqual([]);
    await setRules([BUYER, NON_BUYER]);
  });

  it('moves open tasks to the successor of a handover, and leaves done ones', async () => {
    const { as, ids } = app.co;
    const c = await archive(as.sales1);
    const [first] = await tasks(as.sales1, `customerId=${c.id}`);
    await as.sales1.post(`/api/visits/${first?.id}/complete`, {
      way: 'onsite',
      visitedOn: '2026-10-09',
      content: '上门拜访',
    });
    const res = await as.salesmgr.post('/api/customers/handover', {
      fromUserId: ids.sales1,
      assignments: [{ customerId: c.id, toUserId: ids.sales2 }],
      reason: '岗位调整',
    });
    expect(res.statusCode, res.body).toBe(201);
    const all = await tasks(as.sales2, `customerId=${c.id}`);
    // Without SMTP the successor also gets a task to call the customer (R-C9).
    expect(
      all.filter((x) => x.sourceType === 'handover').map((x) => [x.way, (x.assignee as Json).id]),
    ).toEqual([['phone', ids.sales2]]);
    const items = all.filter((x) => x.sourceType !== 'handover');
    expect(items.map((x) => [x.status, (x.assignee as Json).id])).toEqual([
      ['done', ids.sales1],
      ['open', ids.sales2],
    ]);
    expect((await tasks(as.sales2, 'view=mine&status=open')).map((x) => (x.customer as Json).id)).toContain(
      c.id,
    );
  });

  it('moves tasks on a merge without duplicates, cancels them on deactivation and reopens them on reactivation', async () => {
    const { as } = app.co;
    const target = await archive(as.sales1);
    const source = await archive(as.sales1, { firstPurchaseDate: '2026-10-01' });
    const manual = await as.sales1.post('/api/visits', {
      customerId: source.id,
      dueDate: '2026-10-20',
      way: 'onsite',
      note: '年度拜访',
    });
    expect(manual.statusCode, manual.body).toBe(201);
    // Both have the non-buyer visits? The source is a buyer: its plan is not the target's.
    const merged = await as.archivist.post(`/api/customers/${target.id}/merge`, { sourceId: source.id });
    expect(merged.statusCode, merged.body).toBe(204);
    const open = await tasks(as.sales1, `customerId=${target.id}&status=open`);
    expect(open.map((x) => [x.ruleId ?? 'manual', x.dueDate])).toEqual([
      ['non_buyer', '2026-10-12'],
      ['buyer', '2026-10-12'],
      ['manual', '2026-10-20'],
      ['non_buyer', '2026-10-24'],
      ['buyer', '2026-11-08'],
      ['buyer', '2026-12-08'],
    ]);
    expect(await tasks(as.sales1, `customerId=${source.id}`)).toEqual([]);

    // Two non-buyers filed the same day: the survivor keeps one visit per step of the plan.
    const a = await archive(as.sales1);
    const b = await archive(as.sales1);
    await as.archivist.post(`/api/customers/${a.id}/merge`, { sourceId: b.id });
    const openA = await tasks(as.sales1, `customerId=${a.id}&status=open`);
    expect(openA.map((x) => x.dueDate)).toEqual(['2026-10-12', '2026-10-24']);
    const dup = await tasks(as.sales1, `customerId=${a.id}&status=cancelled`);
    expect(dup.map((x) => x.cancelReason)).toEqual(['merged_duplicate', 'merged_duplicate']);

    const off = await as.salesmgr.post(`/api/customers/${a.id}/deactivate`, { note: '客户注销' });
    expect(off.statusCode, off.body).toBe(200);
    expect(await tasks(as.sales1, `customerId=${a.id}&status=open`)).toEqual([]);
    expect(
      (await tasks(as.sales1, `customerId=${a.id}&status=cancelled`)).filter(
        (x) => x.cancelReason === 'deactivated',
      ),
    ).toHaveLength(2);
    // An inactive archive takes no new visits.
    const late = await as.salesmgr.post('/api/visits', {
      customerId: a.id,
      dueDate: '2026-10-20',
      way: 'phone',
    });
    expect(late.statusCode).toBe(409);

    // Reactivated, the archive gets back the visits its deactivation cancelled (and only those).
    const on = await as.salesmgr.post(`/api/customers/${a.id}/reactivate`, { note: '客户恢复合作' });
    expect(on.statusCode, on.body).toBe(200);
    const back = await tasks(as.sales1, `customerId=${a.id}&status=open`);
    expect(back.map((x) => x.dueDate)).toEqual(['2026-10-12', '2026-10-24']);
    expect(back.every((x) => x.cancelReason === null && x.cancelledAt === null)).toBe(true);
    expect(
      (await tasks(as.sales1, `customerId=${a.id}&status=cancelled`)).map((x) => x.cancelReason),
    ).toEqual(['merged_duplicate', 'merged_duplicate']);
  });

  it('shows tasks exactly where their archive is seen, and to their assignee', async () => {
    const { as, ids } = app.co;
    const normal = await archive(as.sales1);
    // A 机密 archive of 销售部, owned by the general manager: its manager (秘密) is not cleared.
    const secret = await archive(as.gm, { name: '保密回访重工有限公司', secrecy: 'confidential' });
    const [secretTask] = await tasks(as.gm, `customerId=${secret.id}`);
    expect(secretTask).toBeDefined();
    // east1 (华东销售组, below 销售部) does not see 销售部's archives, nor their visits.
    expect(await tasks(as.east1, 'view=all')).toEqual([]);
    expect((await as.east1.get(`/api/visits/${secretTask?.id}`)).statusCode).toBe(404);
    const [normalTask] = await tasks(as.sales1, `customerId=${normal.id}`);
    expect((await as.east1.get(`/api/visits/${normalTask?.id}`)).statusCode).toBe(404);
    expect((await as.east1.get('/api/visits/todo')).json()).toMatchObject({ mine: { open: 0 } });
    // Every change of a task one may not see answers like one of a task that does not exist.
    for (const [method, path, body] of [
      ['post', 'complete', { way: 'phone', visitedOn: '2026-10-09', content: '探查' }],
      ['post', 'cancel', {}],
      ['patch', '', { dueDate: '2026-12-01' }],
    ] as const) {
      const call = (id: string) =>
        (
          as.east1 as unknown as Record<
            string,
            (u: string, b: unknown) => Promise<{ statusCode: number; body: string }>
          >
        )[method]?.(`/api/visits/${id}${path ? `/${path}` : ''}`, body);
      const hidden = await call(normalTask?.id as string);
      const none = await call(uuidv7());
      const shape = (r: typeof none) => [r?.statusCode, JSON.parse(r?.body ?? '{}').code];
      expect(shape(hidden)).toEqual([404, 'not_found']);
      expect(shape(hidden)).toEqual(shape(none));
    }
    // The manager sees the department's visits, not the 机密 one — in the list, the counts and by id.
    const dept = await tasks(as.salesmgr, 'view=department&status=open&limit=200');
    expect(dept.some((x) => (x.customer as Json).id === normal.id)).toBe(true);
    expect(dept.some((x) => (x.customer as Json).id === secret.id)).toBe(false);
    const missing = await as.salesmgr.get(`/api/visits/${secretTask?.id}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not_found');
    const todo = (await as.salesmgr.get('/api/visits/todo')).json();
    expect(todo.department.open).toBe(dept.length);
    const gmTodo = (await as.gm.get('/api/visits/todo')).json();
    expect(gmTodo.mine.open).toBe(2);
    expect((await as.lowgm.get(`/api/visits/${secretTask?.id}`)).statusCode).toBe(404);
    // A task assigned to someone outside the department shows to them (cleared for it).
    const assigned = await as.sales1.post('/api/visits', {
      customerId: normal.id,
      dueDate: '2026-10-09',
      way: 'onsite',
      assigneeId: ids.east1,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const mine = await tasks(as.east1, 'view=mine');
    expect(mine.map((x) => x.id)).toEqual([assigned.json().id]);
    expect(mine[0]).toMatchObject({ dueState: 'today', can: { complete: true, cancel: false } });
    expect((await as.east1.get('/api/visits/todo')).json().mine).toEqual({
      open: 1,
      dueToday: 1,
      overdue: 0,
    });
    // Nobody is given a visit for an archive they are not cleared for.
    const uncleared = await as.gm.patch(`/api/visits/${secretTask?.id}`, { assigneeId: ids.sales1 });
    expect(uncleared.statusCode).toBe(422);
    expect(uncleared.json().errors[0].field).toBe('assigneeId');
  });

  it('reminds the visitor once on the due day, and names a 机密 archive only to the cleared', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-10-12', '08:15'));
    const notices = async (userId: string) =>
      app.t.database.db
        .selectFrom('notifications')
        .select(['title', 'link'])
        .where('user_id', '=', userId)
        .where('kind', '=', 'visit.due')
        .execute();
    const run = await visitDaily(app.t.system);
    expect(run.reminded).toBeGreaterThan(0);
    const sales1 = await notices(ids.sales1);
    expect(sales1.length).toBeGreaterThan(0);
    expect(sales1.some((x) => /^今天请电话回访 KH\d+ 回访测试客户/.test(x.title))).toBe(true);
    expect((await visitDaily(app.t.system)).reminded).toBe(0);
    expect(await notices(ids.sales1)).toHaveLength(sales1.length);
    // The gm's 机密 archive's visit: the gm is cleared and told its name.
    const gm = await notices(ids.gm);
    expect(gm.some((x) => x.title.includes('保密回访重工有限公司'))).toBe(true);
    // Tasks due today and earlier count as such on 我的待办.
    const todo = (await as.sales1.get('/api/visits/todo')).json();
    expect(todo.mine.dueToday).toBeGreaterThan(0);
    expect(todo.mine.overdue).toBeGreaterThan(0);
    expect((await tasks(as.sales1, 'view=mine&due=overdue&limit=200')).length).toBe(todo.mine.overdue);
    expect((await tasks(as.sales1, 'view=mine&due=today&limit=200')).length).toBe(todo.mine.dueToday);
  });
});
