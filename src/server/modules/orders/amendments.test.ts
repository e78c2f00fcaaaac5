import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { createDepartment } from '../org/service.js';

// Amendments of accepted orders through HTTP (R-K4): the quantity re-opens exactly the reviews
// configured for it, nothing is applied before the signature, no signature while a review is
// open (nor over a 不接受 without the general manager), a rejected amendment leaves the order as
// it was, the 合同更改通知单 reaches every department concerned and only their members confirm
// it, who sees nothing (404) and who does not see prices in the difference.

type Json = Record<string, unknown>;
type Change = {
  field: string;
  lineNo: number | null;
  before: string | null;
  after: string | null;
  hidden: boolean;
};
type AReview = { department: { id: string }; decision: string | null; canReview: boolean };
type Amendment = {
  id: string;
  seq: number;
  status: string;
  signerRole: string;
  changes: Change[];
  reviews: AReview[];
  notice: null | {
    departments: {
      department: { id: string };
      acknowledgedAt: string | null;
      acknowledgedBy: { id: string } | null;
      canAcknowledge: boolean;
    }[];
  };
  can: { sign: boolean };
};
type OrderJson = Json & {
  id: string;
  status: string;
  reviews: { department: { id: string } }[];
  lines: {
    quantity: string;
    unitPrice: string | null;
    amount: string | null;
    requestedOn: string;
    promisedOn: string | null;
  }[];
  totalAmount: string | null;
  amendments: Amendment[];
  can: { amend: boolean };
  history: { field: string; newValue: string | null }[];
};

const CODES = ['pmc', 'purchasing', 'production', 'finance', 'rd', 'qc'] as const;
type Code = (typeof CODES)[number];
const REVIEWER: Record<Code, string> = {
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

describe('amendments of accepted orders and the 合同更改通知单 (R-K4)', () => {
  const app = companyApp();
  const dept = {} as Record<Code | 'other', string>;
  const as = {} as Record<string, Client>;
  let customer: { id: string };
  let n = 0;

  beforeAll(async () => {
    for (const code of CODES)
      dept[code] = (
        await createDepartment(app.t.system, { name: `${code}部`, code, parentId: null, sortOrder: 0 })
      ).id;
    dept.other = (
      await createDepartment(app.t.system, { name: '行政部', code: null, parentId: null, sortOrder: 0 })
    ).id;
    // Cleared for 秘密 so that they review the secret archive's order too; pmc2 is not.
    for (const code of CODES)
      await seedUser(app.t, REVIEWER[code], ['staff'], { departmentId: dept[code], clearance: 'secret' });
    await seedUser(app.t, 'pmc2', ['staff'], { departmentId: dept.pmc });
    await seedUser(app.t, 'outsider', ['staff'], { departmentId: dept.other, clearance: 'top_secret' });
    for (const login of [...Object.values(REVIEWER), 'pmc2', 'outsider'])
      as[login] = await signIn(app.t.app, login);
    Object.assign(as, app.co.as);
    const res = await who('admin').put('/api/orders/config', {
      reviewDepartments: [...CODES],
      amendmentDepartments: {
        quantity: ['pmc', 'production'],
        date: ['PMC', 'production', 'purchasing'],
        specification: ['rd', 'qc', 'production'],
        price: ['finance'],
        terms: ['finance'],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    customer = await archive(as.sales1 as Client);
  });

  const archive = async (by: Client, secrecy = 'normal') => {
    const res = await by.post('/api/customers', {
      name: `变更测试客户${++n}号有限公司`,
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
    return res.json() as { id: string };
  };
  const who = (login: string) => as[login] as Client;
  const reviewer = (code: Code) => who(REVIEWER[code]);
  const codeOf = (id: string) => CODES.find((c) => dept[c] === id) as Code;

  /** A new-product order reviewed by every department and signed by the sales manager. */
  const accepted = async (by = who('sales1'), customerId = customer.id): Promise<OrderJson> => {
    const created = await by.post('/api/orders', {
      customerId,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        {
          partNumber: `N-${++n}`,
          product: '灯具',
          quantity: '1000',
          unit: '只',
          unitPrice: '12.5',
          requestedOn: '2026-05-29',
          promisedOn: '2026-05-29',
        },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const submitted = await by.post(`/api/orders/${id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    for (const r of (submitted.json() as OrderJson).reviews) {
      const code = codeOf(r.department.id);
      // R&D answers a new product with its 可行性分析报告 attached (record.test.ts).
      if (code === 'rd')
        await reviewer(code).inject({
          method: 'POST',
          url: `/api/orders/${id}/files?kind=feasibility&departmentId=${dept.rd}&name=report.pdf`,
          headers: { 'content-type': 'application/octet-stream' },
          payload: Buffer.from('report'),
        });
      const res = await reviewer(code).put(`/api/orders/${id}/reviews/${dept[code]}`, {
        decision: 'accept',
        checklist: CHECKLIST,
        ...(code === 'finance' ? { pricing: [{ lineNo: 1, unitPrice: '12.5' }] } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const signed = await who('salesmgr').post(`/api/orders/${id}/approve`, { decision: 'accept' });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().status).toBe('accepted');
    return signed.json() as OrderJson;
  };
  const get = async (id: string, by = who('sales1')) => {
    const res = await by.get(`/api/orders/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as OrderJson;
  };
  const propose = (id: string, body: Json, by = who('sales1')) =>
    by.post(`/api/orders/${id}/amendments`, { reason: '客户追加数量', ...body });
  const reviewA = (id: string, aid: string, code: Code, body: Json = {}, by = reviewer(code)) =>
    by.put(`/api/orders/${id}/amendments/${aid}/reviews/${dept[code]}`, { decision: 'accept', ...body });
  const sign = (id: string, aid: string, by: Client, body: Json = {}) =>
    by.post(`/api/orders/${id}/amendments/${aid}/sign`, { decision: 'accept', ...body });
  const ack = (id: string, aid: string, by: Client) =>
    by.post(`/api/orders/${id}/amendments/${aid}/acknowledge`, {});
  const reviewedBy = (a: Amendment) => a.reviews.map((v) => v.department.id).sort();
  const depts = (...codes: Code[]) => codes.map((c) => dept[c]).sort();

  it('re-opens exactly the reviews configured for the quantity and applies nothing before the signature', async () => {
    const draft = await who('sales1').post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [{ partNumber: 'D-1', product: '灯', quantity: '1', unit: '只', requestedOn: '2026-05-29' }],
    });
    // Only an accepted order is amended.
    expect((await propose(draft.json().id, { lines: [{ lineNo: 1, quantity: '2' }] })).json().code).toBe(
      'order_state',
    );
    const o = await accepted();
    expect(o.can.amend).toBe(true);
    // Proposing the values it already has changes nothing: 400 in Chinese.
    const noop = await propose(o.id, {
      lines: [{ lineNo: 1, quantity: '1000.00', requestedOn: '2026-05-29' }],
    });
    expect(noop.statusCode).toBe(400);
    expect(noop.json().title).toMatch(/没有需要变更/);
    expect((await propose(o.id, { lines: [{ lineNo: 9, quantity: '2' }] })).statusCode).toBe(422);

    const res = await propose(o.id, { lines: [{ lineNo: 1, quantity: '1500' }] });
    expect(res.statusCode, res.body).toBe(201);
    const a = (res.json() as OrderJson).amendments[0] as Amendment;
    expect(a).toMatchObject({ seq: 1, status: 'in_review', signerRole: 'sales_manager' });
    expect(a.changes).toEqual([
      { field: 'quantity', category: 'quantity', lineNo: 1, before: '1000', after: '1500', hidden: false },
    ]);
    expect(reviewedBy(a)).toEqual(depts('pmc', 'production'));
    expect(res.json().lines[0].quantity).toBe('1000');
    expect(res.json().can.amend).toBe(false);
    // One amendment at a time.
    expect((await propose(o.id, { paymentTerms: '月结60天' })).json().code).toBe('order_amendment_open');
    // 我的待办: production has one amendment to review.
    expect((await reviewer('production').get('/api/orders/todo')).json().amendmentsToReview).toBe(1);

    // Nobody signs while a review is open, not even the general manager.
    for (const by of ['salesmgr', 'gm'])
      expect((await sign(o.id, a.id, who(by))).json().code).toBe('order_reviews_open');
    // A department not asked has no review to give; PMC answers only for itself.
    expect((await reviewA(o.id, a.id, 'finance')).statusCode).toBe(404);
    expect((await reviewA(o.id, a.id, 'production', {}, reviewer('pmc'))).statusCode).toBe(403);
    expect((await reviewA(o.id, a.id, 'pmc', { decision: 'conditional' })).statusCode).toBe(422);
    expect(
      (await reviewA(o.id, a.id, 'pmc', { decision: 'conditional', condition: '分两批交' })).statusCode,
    ).toBe(200);
    expect((await sign(o.id, a.id, who('salesmgr'))).json().code).toBe('order_reviews_open');
    expect((await get(o.id)).lines[0]?.quantity).toBe('1000');
    expect((await reviewA(o.id, a.id, 'production')).statusCode).toBe(200);
    expect((await who('salesmgr').get('/api/orders/todo')).json().amendmentsToSign).toBeGreaterThanOrEqual(1);
    // The signer is the order's: the salesperson may not sign after a non-regular review.
    expect((await sign(o.id, a.id, who('sales1'))).statusCode).toBe(403);
    const signed = await sign(o.id, a.id, who('salesmgr'), { comment: '同意' });
    expect(signed.statusCode, signed.body).toBe(200);
    const after = signed.json() as OrderJson;
    expect(after.lines[0]).toMatchObject({ quantity: '1500', amount: '18750.00' });
    expect(after.totalAmount).toBe('18750.00');
    expect(after.amendments[0]).toMatchObject({ status: 'accepted', signature: { role: 'sales_manager' } });
    expect(after.history.some((h) => h.field === 'quantity' && h.newValue === '1. 1500')).toBe(true);
    expect((await sign(o.id, a.id, who('salesmgr'))).json().code).toBe('order_amendment_state');

    // The notice: the departments asked about the change and those that reviewed the order.
    const notice = (after.amendments[0] as Amendment).notice;
    expect(notice?.departments.map((d) => d.department.id).sort()).toEqual(depts(...CODES));
    expect((await reviewer('qc').get('/api/orders/todo')).json().noticesToAcknowledge).toBe(1);
    const mail = await app.t.database.db
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'order.amendment_notice')
      .execute();
    expect(mail.length).toBeGreaterThanOrEqual(CODES.length);
    // Only a member of a department concerned acknowledges, once.
    expect((await ack(o.id, a.id, who('sales1'))).statusCode).toBe(403);
    expect((await ack(o.id, a.id, who('outsider'))).statusCode).toBe(404);
    const mine = await ack(o.id, a.id, reviewer('qc'));
    expect(mine.statusCode, mine.body).toBe(200);
    const qc = (mine.json() as OrderJson).amendments[0]?.notice?.departments.find(
      (d) => d.department.id === dept.qc,
    );
    expect(qc).toMatchObject({ acknowledgedBy: { id: expect.any(String) }, canAcknowledge: false });
    expect((await ack(o.id, a.id, reviewer('qc'))).json().code).toBe('order_amendment_acknowledged');
    expect((await reviewer('qc').get('/api/orders/todo')).json().noticesToAcknowledge).toBe(0);
    const open = (await get(o.id)).amendments[0]?.notice?.departments.filter((d) => !d.acknowledgedAt);
    expect(open).toHaveLength(CODES.length - 1);
  });

  it('leaves the order unchanged when the amendment is rejected, and a 不接受 needs the general manager to overrule', async () => {
    const o = await accepted();
    const a = (
      (await propose(o.id, { lines: [{ lineNo: 1, requestedOn: '2026-05-15' }] })).json() as OrderJson
    ).amendments[0] as Amendment;
    expect(reviewedBy(a)).toEqual(depts('pmc', 'production', 'purchasing'));
    await reviewA(o.id, a.id, 'pmc');
    await reviewA(o.id, a.id, 'purchasing');
    expect(
      (await reviewA(o.id, a.id, 'production', { decision: 'reject', comment: '排产已满' })).statusCode,
    ).toBe(200);
    const now = await get(o.id);
    expect(now.amendments[0]?.signerRole).toBe('general_manager');
    // The sales manager cannot accept over it; the general manager must give the reason.
    expect((await sign(o.id, a.id, who('salesmgr'))).statusCode).toBe(403);
    expect((await sign(o.id, a.id, who('gm'))).statusCode).toBe(422);
    const rejected = await sign(o.id, a.id, who('salesmgr'), { decision: 'reject', comment: '维持原交期' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const after = rejected.json() as OrderJson;
    expect(after.amendments[0]).toMatchObject({ status: 'rejected', notice: null });
    expect(after.lines[0]?.requestedOn).toBe('2026-05-29');
    expect(after.can.amend).toBe(true);
    // A department code no active department carries stops the amendment (409), as submitting does.
    const cfg = await who('admin').put('/api/orders/config', {
      amendmentDepartments: {
        quantity: ['nowhere'],
        date: [],
        specification: [],
        price: ['finance'],
        terms: [],
      },
    });
    expect(cfg.statusCode).toBe(200);
    const missing = await propose(o.id, { lines: [{ lineNo: 1, quantity: '2' }] });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().code).toBe('order_route_department');
    // A category no department reviews goes straight to the order's signer, and only the signer applies it.
    const direct = await propose(o.id, { lines: [{ lineNo: 1, promisedOn: '2026-06-05' }] });
    expect(direct.statusCode, direct.body).toBe(201);
    const d = (direct.json() as OrderJson).amendments[1] as Amendment;
    expect(d).toMatchObject({ reviews: [], signerRole: 'sales_manager' });
    expect((await sign(o.id, d.id, who('sales1'))).statusCode).toBe(403);
    const applied = await sign(o.id, d.id, who('salesmgr'));
    expect(applied.statusCode, applied.body).toBe(200);
    expect((applied.json() as OrderJson).lines[0]).toMatchObject({ promisedOn: '2026-06-05' });
    expect((applied.json() as OrderJson).amendments[1]?.notice?.departments).toHaveLength(CODES.length);
    await who('admin').put('/api/orders/config', {
      amendmentDepartments: {
        quantity: ['pmc', 'production'],
        date: ['pmc', 'production', 'purchasing'],
        specification: ['rd', 'qc', 'production'],
        price: ['finance'],
        terms: ['finance'],
      },
    });
  });

  it('hides prices in the difference from readers without price rights, and the order from outsiders and low clearance', async () => {
    const o = await accepted();
    const res = await propose(o.id, { lines: [{ lineNo: 1, unitPrice: '11.9' }], paymentTerms: '月结60天' });
    expect(res.statusCode, res.body).toBe(201);
    const a = (res.json() as OrderJson).amendments[0] as Amendment;
    expect(reviewedBy(a)).toEqual(depts('finance'));
    expect(a.changes.find((c) => c.field === 'unitPrice')).toMatchObject({
      before: '12.5',
      after: '11.9',
      hidden: false,
    });
    // Production reviewed the order and sees it, not its prices.
    const seen = (await get(o.id, reviewer('production'))).amendments[0] as Amendment;
    expect(seen.changes.find((c) => c.field === 'unitPrice')).toMatchObject({
      before: null,
      after: null,
      hidden: true,
    });
    expect(seen.changes.find((c) => c.field === 'paymentTerms')).toMatchObject({ after: '月结60天' });
    expect((await who('outsider').get(`/api/orders/${o.id}`)).statusCode).toBe(404);
    expect((await propose(o.id, { paymentTerms: 'x' }, who('outsider'))).statusCode).toBe(404);

    // A 秘密 archive: a PMC member cleared 普通 sees neither the order nor its amendment.
    const secret = await archive(who('salesmgr'), 'secret');
    const s = await accepted(who('salesmgr'), secret.id);
    const sa = (
      (await propose(s.id, { lines: [{ lineNo: 1, quantity: '10' }] }, who('salesmgr'))).json() as OrderJson
    ).amendments[0] as Amendment;
    for (const login of ['pmc2', 'lowgm', 'outsider'])
      expect((await who(login).get(`/api/orders/${s.id}`)).statusCode, login).toBe(404);
    expect((await reviewA(s.id, sa.id, 'pmc', {}, who('pmc2'))).statusCode).toBe(404);
    expect((await reviewer('pmc').get(`/api/orders/${s.id}`)).statusCode).toBe(200);
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'secrecy'])
      .where('target_id', '=', s.id)
      .where('action', '=', 'order.amend')
      .execute();
    expect(audit.map((x) => Number(x.secrecy))).toEqual([1]);
  });
});
