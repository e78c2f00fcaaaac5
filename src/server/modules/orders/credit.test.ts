import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';

// The credit hook of contract review (R-A4 wired to R-K3): an order whose amount with the
// customer's exposure passes the credit limit is signed by the general manager (shown as the signer
// from the submission); within the limit the salesperson signs; 暂停供货 refuses a new order, a
// submission and a signature (409, Chinese); with open orders counted, an accepted order raises the
// exposure and a delivery lowers it again. Exposures are computed by hand.

type Json = Record<string, unknown>;
type OrderJson = Json & {
  id: string;
  status: string;
  signerRole: string | null;
  lines: { id: string }[];
  approval: { creditVerdict: string | null } | null;
};

describe('orders: the credit hook (R-A4)', () => {
  const app = companyApp();
  let customer: { id: string };

  beforeAll(async () => {
    const { sales1, salesmgr } = app.co.as;
    const res = await sales1.post('/api/customers', {
      name: '信用订单测试有限公司',
      category: 'general',
      kind: 'business',
      registeredAddress: '佛山市南海区桂城街道1号',
      industry: '照明',
      region: '佛山',
      contacts: [{ name: '李工', mobile: '13800000000', isPrimary: true }],
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    customer = res.json();
    // Limit 20,000.00; balance 6,000.00 + 4,000.00 = 10,000.00.
    const asked = await sales1.post(`/api/customers/${customer.id}/credit/requests`, {
      kind: 'limit',
      creditLimit: '20000',
      reason: '限度',
    });
    const q = (asked.json() as { requests: { id: string }[] }).requests[0] as { id: string };
    expect(
      (await salesmgr.post(`/api/credit/requests/${q.id}/decision`, { decision: 'approve' })).statusCode,
    ).toBe(200);
    const b = await sales1.post(`/api/customers/${customer.id}/credit/balances`, {
      asOf: '2026-03-01',
      receivables: '6000',
      unsettledBills: '4000',
    });
    expect(b.statusCode, b.body).toBe(201);
  });

  const order = async (by: Client, unitPrice: string) => {
    const res = await by.post('/api/orders', {
      customerId: customer.id,
      customerPo: `PO-${unitPrice}`,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        {
          partNumber: 'P-1',
          product: '灯具',
          quantity: '1000',
          unit: '只',
          unitPrice,
          requestedOn: '2026-05-29',
          promisedOn: '2026-05-29',
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json() as OrderJson;
    // A regular order, signed by sales alone unless credit says otherwise.
    const cls = await by.put(`/api/orders/${o.id}/class`, { class: 'regular', reason: '老产品' });
    expect(cls.statusCode, cls.body).toBe(200);
    return o;
  };
  const submit = async (id: string) => {
    const res = await app.co.as.sales1.post(`/api/orders/${id}/submit`, {});
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as OrderJson;
  };
  const exposure = async () =>
    ((await app.co.as.sales1.get(`/api/customers/${customer.id}/credit`)).json() as { exposure: string })
      .exposure;

  it('asks the general manager for an order over the limit, and lets sales sign one within it', async () => {
    const { sales1, gm } = app.co.as;
    // 10,000.00 + 1000 × 12.5 = 22,500.00 > 20,000.00 → the general manager.
    const over = await submit((await order(sales1, '12.5')).id);
    expect(over.signerRole).toBe('general_manager');
    const refused = await sales1.post(`/api/orders/${over.id}/approve`, { decision: 'accept' });
    expect(refused.statusCode).toBe(403);
    const signed = await gm.post(`/api/orders/${over.id}/approve`, { decision: 'accept' });
    expect(signed.statusCode, signed.body).toBe(200);
    expect((signed.json() as OrderJson).approval?.creditVerdict).toBe('general_manager');
    // 10,000.00 + 1000 × 10 = 20,000.00: at the limit, not over it → sales signs.
    const within = await submit((await order(sales1, '10')).id);
    expect(within.signerRole).toBe('sales');
    const ok = await sales1.post(`/api/orders/${within.id}/approve`, { decision: 'accept' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as OrderJson).approval?.creditVerdict).toBe('ok');
  });

  it('counts accepted orders not yet delivered when the setting says so', async () => {
    const { admin, sales1 } = app.co.as;
    expect(await exposure()).toBe('10000.00');
    expect((await admin.put('/api/credit/config', { includeOpenOrders: true })).statusCode).toBe(200);
    // 10,000.00 + 12,500.00 + 10,000.00 (the two accepted orders) = 32,500.00.
    expect(await exposure()).toBe('32500.00');
    const orders = (await sales1.get(`/api/orders?customerId=${customer.id}&status=accepted`)).json() as {
      items: { id: string }[];
    };
    const first = (await sales1.get(`/api/orders/${orders.items.at(-1)?.id}`)).json() as OrderJson;
    const d = await sales1.post(`/api/orders/${first.id}/deliveries`, {
      lineId: first.lines[0]?.id,
      deliveredOn: '2026-03-02',
      quantity: '400',
    });
    expect(d.statusCode, d.body).toBe(201);
    // 400 delivered of the first (12.5 each): 32,500.00 − 5,000.00 = 27,500.00.
    expect(await exposure()).toBe('27500.00');
    expect((await admin.put('/api/credit/config', { includeOpenOrders: false })).statusCode).toBe(200);
  });

  it('refuses a suspended customer’s new order, submission and signature with a Chinese 409', async () => {
    const { sales1, salesmgr, gm } = app.co.as;
    const draft = await order(sales1, '1');
    const inReview = await submit((await order(sales1, '1')).id);
    const s = await sales1.put(`/api/customers/${customer.id}/credit/suspension`, {
      suspended: true,
      reason: '票据被拒付',
    });
    expect(s.statusCode, s.body).toBe(200);
    const created = await sales1.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        {
          partNumber: 'P-1',
          product: '灯具',
          quantity: '1',
          unit: '只',
          unitPrice: '1',
          requestedOn: '2026-05-29',
        },
      ],
    });
    expect(created.statusCode).toBe(409);
    expect(created.json()).toMatchObject({ code: 'order_credit_suspended_new' });
    expect(created.json().title).toBe('该客户已暂停供货（票据被拒付），不能登记或提交新订单');
    const submitted = await sales1.post(`/api/orders/${draft.id}/submit`, {});
    expect(submitted.statusCode).toBe(409);
    const approved = await gm.post(`/api/orders/${inReview.id}/approve`, { decision: 'accept' });
    expect(approved.statusCode).toBe(409);
    expect(approved.json().title).toContain('暂停供货');
    // Resumed by the manager: orders go through again.
    await salesmgr.put(`/api/customers/${customer.id}/credit/suspension`, {
      suspended: false,
      reason: '已回款',
    });
    expect((await sales1.post(`/api/orders/${draft.id}/submit`, {})).statusCode).toBe(200);
  });
});
