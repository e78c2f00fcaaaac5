import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { createDepartment } from '../org/service.js';

// Orders and contract review through HTTP (R-K1 … R-K3, R-P1): numbers per month, the class the
// facts propose and its override, the routing matrix (regular within capacity → sales alone;
// lead time at risk → PMC, purchasing, production; non-regular → every configured department,
// then the sales manager; annual → the general manager; a 不接受 overruled → the general
// manager), nothing signed while a review is open, a department not asked cannot review, who
// sees an order (404 everywhere else) and who sees its prices.

type Json = Record<string, unknown>;
type Review = { department: { id: string; name: string }; decision: string | null; canReview: boolean };
type OrderJson = Json & {
  id: string;
  number: string;
  status: string;
  class: string;
  proposedClass: string;
  route: string | null;
  signerRole: string | null;
  reviews: Review[];
  classReasons: { code: string; partNumbers: string[]; lines: Json[] }[];
  lines: { unitPrice: string | null; amount: string | null; quantity: string }[];
  totalAmount: string | null;
};

const CODES = ['pmc', 'purchasing', 'production', 'finance', 'rd', 'qc'] as const;
type Code = (typeof CODES)[number];
type Login =
  | 'sales1'
  | 'sales2'
  | 'east1'
  | 'salesmgr'
  | 'qa1'
  | 'qamgr'
  | 'gm'
  | 'lowgm'
  | 'archivist'
  | 'admin'
  | 'pmc1'
  | 'pur1'
  | 'prod1'
  | 'fin1'
  | 'rd1'
  | 'qc1'
  | 'fq1'
  | 'outsider';
const REVIEWER: Record<Code, Login> = {
  pmc: 'pmc1',
  purchasing: 'pur1',
  production: 'prod1',
  finance: 'fin1',
  rd: 'rd1',
  qc: 'qc1',
};
const CHECKLIST = Object.fromEntries(
  ['capacity', 'price', 'product', 'delivery', 'packaging', 'transport', 'feasibility', 'legal', 'other'].map(
    (c) => [c, { answer: 'ok' }],
  ),
);

describe('orders and contract review (R-K1 … R-K3)', () => {
  const app = companyApp();
  const dept = {} as Record<Code | 'other', string>;
  const as = {} as Record<Login, Client>;
  let customer: { id: string; archiveCode: string };
  let n = 0;

  beforeAll(async () => {
    for (const code of CODES)
      dept[code] = (
        await createDepartment(app.t.system, { name: `${code}部`, code, parentId: null, sortOrder: 0 })
      ).id;
    dept.other = (
      await createDepartment(app.t.system, { name: '行政部', code: null, parentId: null, sortOrder: 0 })
    ).id;
    for (const code of CODES) await seedUser(app.t, REVIEWER[code], ['staff'], { departmentId: dept[code] });
    await seedUser(app.t, 'fq1', ['quality'], { departmentId: dept.finance });
    await seedUser(app.t, 'outsider', ['staff'], { departmentId: dept.other, clearance: 'top_secret' });
    for (const login of [...Object.values(REVIEWER), 'fq1', 'outsider'] as const)
      as[login] = await signIn(app.t.app, login);
    Object.assign(as, app.co.as);
    const res = await as.admin.put('/api/orders/config', { reviewDepartments: [...CODES] });
    expect(res.statusCode, res.body).toBe(200);
    customer = await archive(as.sales1);
  });

  const archive = async (by: Client, secrecy = 'normal') => {
    const res = await by.post('/api/customers', {
      name: `订单测试客户${++n}号有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '佛山市南海区桂城街道1号',
      industry: '照明',
      region: '佛山',
      contacts: [{ name: '李工', mobile: '13800000000', isPrimary: true }],
      secrecy,
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string };
  };
  const line = (partNumber: string, extra: Json = {}) => ({
    partNumber,
    product: `灯具${partNumber}`,
    quantity: '1000',
    unit: '只',
    unitPrice: '12.5',
    requestedOn: '2026-05-29',
    promisedOn: '2026-05-29',
    ...extra,
  });
  const create = async (by: Client, body: Json = {}, customerId = customer.id) => {
    const res = await by.post('/api/orders', {
      customerId,
      customerPo: `PO-${++n}`,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [line('P-100')],
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as OrderJson;
  };
  const submit = async (id: string, by = as.sales1) => {
    const res = await by.post(`/api/orders/${id}/submit`, {});
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as OrderJson;
  };
  const review = async (id: string, code: Code, body: Json = {}) => {
    // R&D answers a new product with its 可行性分析报告 attached (record.test.ts tests the rule).
    if (code === 'rd')
      await as.rd1.inject({
        method: 'POST',
        url: `/api/orders/${id}/files?kind=feasibility&departmentId=${dept.rd}&name=report.pdf`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from('report'),
      });
    return as[REVIEWER[code]].put(`/api/orders/${id}/reviews/${dept[code]}`, {
      decision: 'accept',
      checklist: CHECKLIST,
      ...(code === 'finance' ? { pricing: [{ lineNo: 1, unitPrice: '11.8' }] } : {}),
      ...body,
    });
  };
  const reviewAll = async (o: OrderJson, except: Code[] = []) => {
    for (const r of o.reviews) {
      const code = CODES.find((c) => dept[c] === r.department.id) as Code;
      if (except.includes(code)) continue;
      const res = await review(o.id, code);
      expect(res.statusCode, res.body).toBe(200);
    }
  };
  const approve = (id: string, by: Client, body: Json = {}) =>
    by.post(`/api/orders/${id}/approve`, { decision: 'accept', ...body });
  const reviewed = (o: OrderJson) => o.reviews.map((r) => r.department.id).sort();
  const depts = (...codes: Code[]) => codes.map((c) => dept[c]).sort();

  it('numbers orders per month and proposes 非常规 for a part never ordered, with the reason', async () => {
    const o = await create(as.sales1, { lines: [line('P-100'), line('P-101', { unitPrice: null })] });
    expect(o.number).toMatch(/^HT202603-\d{4}$/);
    expect(o).toMatchObject({
      status: 'draft',
      proposedClass: 'non_regular',
      class: 'non_regular',
      totalAmount: null,
    });
    expect(o.classReasons).toEqual([
      expect.objectContaining({ code: 'new_part', partNumbers: ['P-100', 'P-101'] }),
    ]);
    expect(o.lines[0]).toMatchObject({ quantity: '1000', unitPrice: '12.5', amount: '12500.00' });
    const next = await create(as.sales1);
    expect(Number(next.number.slice(-4))).toBe(Number(o.number.slice(-4)) + 1);
    // Newest first, a page at a time.
    const first = (await as.sales1.get('/api/orders?limit=1')).json();
    expect(first.items.map((x: { id: string }) => x.id)).toEqual([next.id]);
    const second = (await as.sales1.get(`/api/orders?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((x: { id: string }) => x.id)).toEqual([o.id]);
  });

  it('routes a non-regular order to every configured department, then the sales manager signs', async () => {
    const o = await submit((await create(as.sales1, { lines: [line('P-100')] })).id);
    expect(o).toMatchObject({ status: 'in_review', route: 'full', signerRole: 'sales_manager' });
    expect(reviewed(o)).toEqual(depts(...CODES));
    // Nobody signs while a review is open — not even the general manager.
    for (const who of ['sales1', 'salesmgr', 'gm'] as const) {
      const res = await approve(o.id, as[who]);
      expect([403, 409], `${who}: ${res.body}`).toContain(res.statusCode);
    }
    expect((await approve(o.id, as.gm)).json().code).toBe('order_reviews_open');
    // The checklist is answered item by item; 有条件接受 names its condition; finance prices the new part.
    const partial = await review(o.id, 'pmc', { checklist: { capacity: { answer: 'ok' } } });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().errors[0].message).toMatch(/请回答评审项/);
    const noCondition = await review(o.id, 'pmc', { decision: 'conditional' });
    expect(noCondition.statusCode).toBe(422);
    expect(noCondition.json().errors[0]).toMatchObject({
      field: 'condition',
      message: '有条件接受须写明条件',
    });
    const unpriced = await review(o.id, 'finance', { pricing: [] });
    expect(unpriced.statusCode).toBe(422);
    expect(unpriced.json().errors[0].message).toContain('须由财务核价');
    const conditional = await review(o.id, 'pmc', { decision: 'conditional', condition: '分两批交货' });
    expect(conditional.statusCode, conditional.body).toBe(200);
    await reviewAll(o, ['pmc']);
    // The salesperson may not sign a non-regular order; the sales manager does.
    expect((await approve(o.id, as.sales1)).statusCode).toBe(403);
    const signed = await approve(o.id, as.salesmgr);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      status: 'accepted',
      approval: { decision: 'accept', role: 'sales_manager', by: { id: app.co.ids.salesmgr } },
    });
    expect(signed.json().reviews.find((r: Review) => r.department.id === dept.pmc)).toMatchObject({
      decision: 'conditional',
      condition: '分两批交货',
    });
  });

  it('lets the salesperson sign a regular order within capacity alone, and asks PMC, purchasing and production when the lead time is at risk', async () => {
    // P-100 was accepted above: a repeat product now.
    const plain = await create(as.sales1);
    expect(plain).toMatchObject({ proposedClass: 'regular', class: 'regular', classReasons: [] });
    const s = await submit(plain.id);
    expect(s).toMatchObject({ route: 'sales', signerRole: 'sales', reviews: [] });
    // Another salesperson of the department sees it but does not sign it.
    expect((await as.sales2.get(`/api/orders/${plain.id}`)).statusCode).toBe(200);
    expect((await approve(plain.id, as.sales2)).statusCode).toBe(403);
    const signed = await approve(plain.id, as.sales1);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'accepted', approval: { role: 'sales' } });

    // Promised 3 days after receipt, the lead time is 15 working days.
    const rush = await create(as.sales1, { lines: [line('P-100', { promisedOn: '2026-03-05' })] });
    expect(rush).toMatchObject({ proposedClass: 'regular', leadTimeAtRisk: true });
    expect(rush.classReasons).toEqual([
      expect.objectContaining({
        code: 'lead_time',
        lines: [{ lineNo: 1, promisedOn: '2026-03-05', earliestOn: '2026-03-23' }],
      }),
    ]);
    const r = await submit(rush.id);
    expect(r).toMatchObject({ route: 'capacity', signerRole: 'sales' });
    expect(reviewed(r)).toEqual(depts('pmc', 'purchasing', 'production'));
    // A department not asked cannot review: finance does not even see the order.
    expect((await review(r.id, 'finance')).statusCode).toBe(404);
    expect((await as.fin1.get(`/api/orders/${r.id}`)).statusCode).toBe(404);
    // PMC sees it but reviews only for itself.
    const wrong = await as.pmc1.put(`/api/orders/${r.id}/reviews/${dept.purchasing}`, {
      decision: 'accept',
    });
    expect(wrong.statusCode).toBe(403);
    // Sales sees it, but its department was not asked: there is no such review to give.
    const notAsked = await as.sales2.put(`/api/orders/${r.id}/reviews/${app.co.sales}`, {
      decision: 'accept',
    });
    expect(notAsked.statusCode).toBe(404);
    const none = await app.t.database.db
      .selectFrom('order_reviews')
      .select('id')
      .where('order_id', '=', r.id)
      .execute();
    expect(none).toHaveLength(3);
    // The capacity route needs no checklist.
    for (const code of ['pmc', 'purchasing'] as const)
      expect(
        (await as[REVIEWER[code]].put(`/api/orders/${r.id}/reviews/${dept[code]}`, { decision: 'accept' }))
          .statusCode,
      ).toBe(200);
    expect((await approve(r.id, as.sales1)).json().code).toBe('order_reviews_open');
    expect(
      (await as.prod1.put(`/api/orders/${r.id}/reviews/${dept.production}`, { decision: 'accept' }))
        .statusCode,
    ).toBe(200);
    const todo = (await as.sales1.get('/api/orders/todo')).json();
    expect(todo.toSign).toBeGreaterThanOrEqual(1);
    expect((await approve(r.id, as.sales1)).json()).toMatchObject({
      status: 'accepted',
      approval: { role: 'sales' },
    });
  });

  it('sends annual contracts and any 不接受 overruled to the general manager', async () => {
    const annual = await submit((await create(as.sales1, { kind: 'annual' })).id);
    expect(annual).toMatchObject({ class: 'non_regular', route: 'full', signerRole: 'general_manager' });
    expect(annual.classReasons.map((x) => x.code)).toEqual(['annual']);
    await reviewAll(annual);
    expect((await approve(annual.id, as.salesmgr)).statusCode).toBe(403);
    expect((await approve(annual.id, as.gm)).json()).toMatchObject({
      status: 'accepted',
      approval: { role: 'general_manager' },
    });

    const o = await submit((await create(as.sales1, { lines: [line('P-300')] })).id);
    expect(o.signerRole).toBe('sales_manager');
    expect((await review(o.id, 'production', { decision: 'reject', comment: '模具不具备' })).statusCode).toBe(
      200,
    );
    await reviewAll(o, ['production']);
    const after = (await as.sales1.get(`/api/orders/${o.id}`)).json();
    expect(after.signerRole).toBe('general_manager');
    // The sales manager cannot overrule it; the general manager must give the reason.
    expect((await approve(o.id, as.salesmgr)).statusCode).toBe(403);
    const noReason = await approve(o.id, as.gm);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'overruleReason' });
    const ok = await approve(o.id, as.gm, { overruleReason: '外协开模，总经理批准' });
    expect(ok.json()).toMatchObject({
      status: 'accepted',
      approval: { role: 'general_manager', overruleReason: '外协开模，总经理批准' },
    });
    // Rejecting needs no general manager: the sales manager may agree with the department.
    const o2 = await submit((await create(as.sales1, { lines: [line('P-301')] })).id);
    await review(o2.id, 'rd', { decision: 'reject' });
    await reviewAll(o2, ['rd']);
    const rejected = await as.salesmgr.post(`/api/orders/${o2.id}/approve`, {
      decision: 'reject',
      comment: '不接',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect((await approve(o2.id, as.gm, { overruleReason: 'x' })).json().code).toBe('order_state');
  });

  it('keeps the override of the class with its reason in the history, and refuses one without', async () => {
    const o = await create(as.sales1);
    expect(o.class).toBe('regular');
    const bare = await as.sales1.put(`/api/orders/${o.id}/class`, { class: 'non_regular', reason: '  ' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0]).toMatchObject({ field: 'reason', message: '此项为必填' });
    const res = await as.sales1.put(`/api/orders/${o.id}/class`, {
      class: 'non_regular',
      reason: '客户要求新包装',
    });
    expect(res.json()).toMatchObject({
      proposedClass: 'regular',
      class: 'non_regular',
      overridden: true,
      classOverride: { reason: '客户要求新包装' },
    });
    expect(res.json().history.at(-1)).toMatchObject({ field: 'class', oldValue: '常规', newValue: '非常规' });
    // Changing the lines proposes again but keeps the override.
    const patched = await as.sales1.patch(`/api/orders/${o.id}`, {
      lines: [line('P-100', { quantity: '5' })],
    });
    expect(patched.json()).toMatchObject({ class: 'non_regular', overridden: true });
    expect((await submit(o.id)).route).toBe('full');
    expect((await as.sales1.patch(`/api/orders/${o.id}`, { remarks: 'x' })).json().code).toBe('order_state');
  });

  it('refuses bad input with Chinese messages', async () => {
    const phone = await as.sales1.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'phone',
      receivedOn: '2026-03-02',
      lines: [line('P-100')],
    });
    expect(phone.statusCode).toBe(422);
    expect(phone.json().errors[0]).toMatchObject({ field: 'phoneMemo' });
    expect(phone.json().errors[0].message).toContain('电话纪要');
    const memo = await create(as.sales1, {
      receivedVia: 'phone',
      phoneMemo: { caller: '李工', calledAt: '2026-03-02T08:30:00+08:00', agreed: '下周一送货' },
      confirmationNeeded: true,
    });
    expect(memo.phoneMemo).toMatchObject({ caller: '李工', calledAt: '2026-03-02T00:30:00.000Z' });
    const bad = await as.sales1.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [line('P-100', { quantity: '-3' })],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'lines.0.quantity' });
    expect(bad.json().errors[0].message).toMatch(/数量/);
    expect(bad.json().title).toMatch(/[\u4e00-\u9fff]/);
  });

  it('shows an order only where its archive is seen (and to the departments asked), 404 everywhere else', async () => {
    const secret = await archive(as.salesmgr, 'secret');
    const hidden = await create(as.salesmgr, { lines: [line('P-900')] }, secret.id);
    const mine = await create(as.sales1, { customerPo: 'PO-VIS-1' });
    // east1 (a sub-group), outsider (another department) and lowgm (cleared 普通) do not see the 秘密 one;
    // sales2 (the department, 普通) does not either.
    for (const who of ['east1', 'outsider', 'sales2', 'lowgm'] as const) {
      expect((await as[who].get(`/api/orders/${hidden.id}`)).statusCode, who).toBe(404);
      const list = (await as[who].get(`/api/orders?limit=200`)).json();
      expect(
        list.items.map((x: { id: string }) => x.id),
        who,
      ).not.toContain(hidden.id);
      const csv = (await as[who].get('/api/orders/export.csv')).body;
      expect(csv, who).not.toContain(hidden.number);
      const patch = await as[who].patch(`/api/orders/${hidden.id}`, { remarks: '试' });
      expect(patch.statusCode, who).toBe(404);
      expect((await as[who].post(`/api/orders/${hidden.id}/submit`, {})).statusCode, who).toBe(404);
      expect((await as[who].post(`/api/orders/${hidden.id}/cancel`, { reason: '试' })).statusCode, who).toBe(
        404,
      );
    }
    for (const who of ['east1', 'outsider'] as const) {
      expect((await as[who].get(`/api/orders/${mine.id}`)).statusCode).toBe(404);
      expect((await as[who].get('/api/orders/export.csv')).body).not.toContain('PO-VIS-1');
    }
    expect((await as.gm.get(`/api/orders/${hidden.id}`)).statusCode).toBe(200);
    expect(
      (await as.sales2.get(`/api/orders?q=PO-VIS`)).json().items.map((x: { id: string }) => x.id),
    ).toEqual([mine.id]);
    // A record of the reading.
    const reads = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'secrecy'])
      .where('target_id', '=', hidden.id)
      .execute();
    expect(reads.map((x) => x.action)).toContain('order.read');
    expect(reads.every((x) => Number(x.secrecy) === 1)).toBe(true);
  });

  it('returns prices only to the roles and departments the settings allow', async () => {
    const o = await submit((await create(as.sales1, { lines: [line('P-500')] })).id);
    // The archivist sees every archive but not prices; finance's quality clerk sees them by department.
    const byArchivist = (await as.archivist.get(`/api/orders/${o.id}`)).json();
    expect(byArchivist).toMatchObject({ pricesVisible: false, totalAmount: null });
    expect(byArchivist.lines[0]).toMatchObject({ unitPrice: null, amount: null, quantity: '1000' });
    const csv = (await as.archivist.get('/api/orders/export.csv')).body;
    expect(csv.split('\r\n')[0]).not.toContain('金额');
    expect(csv).not.toContain('12500.00');
    const byFinance = (await as.fq1.get(`/api/orders/${o.id}`)).json();
    expect(byFinance).toMatchObject({ pricesVisible: true, totalAmount: '12500.00' });
    expect((await as.sales1.get('/api/orders/export.csv')).body).toContain('12500.00');
    // A staff member who may see the order (a colleague of the archive's department) but neither
    // registered it nor keeps the archive: no prices.
    const byColleague = await as.sales2.get(`/api/orders/${o.id}`);
    expect(byColleague.statusCode, byColleague.body).toBe(200);
    expect(byColleague.json()).toMatchObject({ pricesVisible: false, totalAmount: null });
    const colleagueCsv = (await as.sales2.get('/api/orders/export.csv')).body;
    expect(colleagueCsv).not.toContain('12500.00');
  });

  it('withdraws a submitted order to draft while no department has answered, by the submitter or an owner', async () => {
    const a = await submit((await create(as.sales1, { lines: [line('P-800')] })).id);
    expect(a.can).toMatchObject({ withdraw: true });
    // Neither a colleague who did not submit it and keeps no archive, nor a reviewer, may withdraw it.
    for (const who of ['sales2', 'pmc1'] as const)
      expect((await as[who].post(`/api/orders/${a.id}/withdraw`, {})).statusCode, who).toBe(403);
    const back = await as.sales1.post(`/api/orders/${a.id}/withdraw`, { note: '客户改图，重新登记数量' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'draft', route: null, signerRole: null, reviews: [] });
    expect(back.json().can).toMatchObject({ update: true, submit: true, withdraw: false });
    expect(back.json().history.at(-1)).toMatchObject({
      field: 'status',
      oldValue: '评审中',
      newValue: '草稿',
      note: expect.stringContaining('撤回评审'),
    });
    // The reviews asked are gone, their departments told; the reviewer no longer sees the order.
    const db = app.t.database.db;
    expect(await db.selectFrom('order_reviews').select('id').where('order_id', '=', a.id).execute()).toEqual(
      [],
    );
    const told = await db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.login')
      .where('n.kind', '=', 'order.withdrawn')
      .where('n.link', '=', `/orders/${a.id}`)
      .execute();
    // Finance has no manager: its members (fin1 and fq1) are told.
    expect(told.map((x) => x.login).sort()).toEqual([...CODES.map((c) => REVIEWER[c]), 'fq1'].sort());
    expect((await as.pmc1.get(`/api/orders/${a.id}`)).statusCode).toBe(404);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_login', 'outcome'])
      .where('target_id', '=', a.id)
      .where('action', '=', 'order.withdraw')
      .orderBy('seq')
      .execute();
    // The two refusals, then the withdrawal.
    expect(audit.map((x) => [x.actor_login, x.outcome])).toEqual([
      ['sales2', 'denied'],
      ['pmc1', 'denied'],
      ['sales1', 'success'],
    ]);
    expect((await as.sales1.post(`/api/orders/${a.id}/withdraw`, {})).json().code).toBe('order_state');
    // Submitted again, it is reviewed afresh; once a department has answered it cannot be withdrawn.
    const again = await submit(a.id);
    expect(reviewed(again)).toEqual(depts(...CODES));
    expect((await review(a.id, 'pmc')).statusCode).toBe(200);
    const late = await as.sales1.post(`/api/orders/${a.id}/withdraw`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'order_withdraw_answered' });
    expect(late.json().title).toContain('pmc部');
    expect(late.json().title).toMatch(/不能撤回/);
    expect((await as.sales1.get(`/api/orders/${a.id}`)).json()).toMatchObject({
      status: 'in_review',
      can: { withdraw: false },
    });

    // Submitted by the sales manager: the archive's owner may withdraw it too, and so may the submitter.
    const b = await submit((await create(as.sales1, { lines: [line('P-801')] })).id, as.salesmgr);
    expect((await as.sales1.post(`/api/orders/${b.id}/withdraw`, {})).statusCode).toBe(200);
    await submit(b.id, as.salesmgr);
    expect((await as.salesmgr.post(`/api/orders/${b.id}/withdraw`, {})).json().status).toBe('draft');
  });

  it("makes finance's price the unit price of a line that had none, with the amount, the total and history", async () => {
    const o = await submit(
      (
        await create(as.sales1, {
          lines: [line('P-700', { unitPrice: null, quantity: '250' }), line('P-701', { quantity: '2' })],
        })
      ).id,
    );
    expect(o.totalAmount).toBeNull();
    // Finance prices both new parts; only the line without a price takes it (sales' 12.5 stays).
    const pricing = [
      { lineNo: 1, unitPrice: '3.456' },
      { lineNo: 2, unitPrice: '11' },
    ];
    const res = await review(o.id, 'finance', { pricing });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await as.sales1.get(`/api/orders/${o.id}`)).json() as OrderJson & {
      history: { field: string; oldValue: string | null; newValue: string | null; note: string | null }[];
    };
    expect(after.lines.map((l) => [l.unitPrice, l.amount])).toEqual([
      ['3.456', '864.00'],
      ['12.5', '25.00'],
    ]);
    expect(after.totalAmount).toBe('889.00');
    expect(after.history.filter((h) => h.field === 'unitPrice' || h.field === 'totalAmount')).toEqual([
      expect.objectContaining({
        field: 'unitPrice',
        oldValue: null,
        newValue: '1. 3.456（864.00）',
        note: '财务核价',
      }),
      expect.objectContaining({ field: 'totalAmount', oldValue: null, newValue: '889.00' }),
    ]);
    // Finance corrects its price: the line it priced follows; sales' price still stays.
    const again = await review(o.id, 'finance', { pricing: [{ lineNo: 1, unitPrice: '3.5' }, pricing[1]] });
    expect(again.statusCode, again.body).toBe(200);
    const corrected = (await as.sales1.get(`/api/orders/${o.id}`)).json() as OrderJson;
    expect(corrected.lines.map((l) => l.amount)).toEqual(['875.00', '25.00']);
    expect(corrected.totalAmount).toBe('900.00');
    // A reviewer who sees no prices sees none of it, in the lines or the history.
    const byPmc = (await as.pmc1.get(`/api/orders/${o.id}`)).json();
    expect(byPmc).toMatchObject({ pricesVisible: false, totalAmount: null });
    expect(JSON.stringify(byPmc.history)).not.toContain('864.00');
  });
});

// Found by the web pages (issue 16, second part): the departments API stores codes in upper case
// (PMC), the settings name them in lower case (pmc); a submission must still find every reviewer,
// finance must still price new products, and finance's members must still see prices.
describe('department codes as the departments API stores them', () => {
  const app = companyApp();
  const ids = {} as Record<string, string>;
  const reviewers = {} as Record<string, Client>;

  beforeAll(async () => {
    const as = app.co.as as unknown as Record<'admin' | 'sales1', Client>;
    for (const code of ['pmc', 'purchasing', 'production', 'finance', 'rd', 'quality']) {
      const res = await as.admin.post('/api/departments', { name: `${code}部门`, code });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().code).toBe(code.toUpperCase());
      ids[code] = res.json().id;
      // A role the price setting leaves out: finance sees prices by its department only.
      await seedUser(app.t, `${code}-1`, ['quality'], { departmentId: ids[code] });
      reviewers[code] = await signIn(app.t.app, `${code}-1`);
    }
  });

  it('routes a non-regular order to every configured department, finance prices and sees prices', async () => {
    const as = app.co.as as unknown as Record<'admin' | 'sales1', Client>;
    const c = await as.sales1.post('/api/customers', {
      name: '部门代码测试客户有限公司',
      category: 'general',
      kind: 'business',
      registeredAddress: '佛山市南海区桂城街道2号',
      industry: '照明',
      region: '佛山',
      contacts: [{ name: '王工', mobile: '13800000001', isPrimary: true }],
      file: true,
    });
    expect(c.statusCode, c.body).toBe(201);
    const created = await as.sales1.post('/api/orders', {
      customerId: c.json().id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        { partNumber: 'N-1', product: '新灯具', quantity: '10', unit: '只', requestedOn: '2026-06-30' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const submitted = await as.sales1.post(`/api/orders/${id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().route).toBe('full');
    expect(
      submitted
        .json()
        .reviews.map((r: Review) => r.department.id)
        .sort(),
    ).toEqual(Object.values(ids).sort());
    const unpriced = await reviewers.finance?.put(`/api/orders/${id}/reviews/${ids.finance}`, {
      decision: 'accept',
      checklist: CHECKLIST,
    });
    expect(unpriced?.statusCode, unpriced?.body).toBe(422);
    expect(unpriced?.body).toContain('pricing');
    const priced = await reviewers.finance?.put(`/api/orders/${id}/reviews/${ids.finance}`, {
      decision: 'accept',
      checklist: CHECKLIST,
      pricing: [{ lineNo: 1, unitPrice: '8.5' }],
    });
    expect(priced?.statusCode, priced?.body).toBe(200);
    expect(priced?.json().pricesVisible).toBe(true);
    const seenByPmc = await reviewers.pmc?.get(`/api/orders/${id}`);
    expect(seenByPmc?.json().pricesVisible).toBe(false);
  });
});
