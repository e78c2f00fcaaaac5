import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn, type TestApp } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { multipart, xlsx } from '../../test-support/sheets.js';
import { createDepartment } from '../org/service.js';

// Orders probed as an attacker would: extreme and malformed input, ids of other orders, odd file
// names, and readers without price rights or clearance. Each case once answered wrongly (a 500, a
// leak, an English message).

type Json = Record<string, unknown>;
const CODES = ['pmc', 'purchasing', 'production', 'finance', 'rd', 'qc'] as const;
type Code = (typeof CODES)[number];
const CHECKLIST = Object.fromEntries(
  ['capacity', 'price', 'product', 'delivery', 'packaging', 'transport', 'feasibility', 'legal', 'other'].map(
    (c) => [c, { answer: 'ok' }],
  ),
);

/** A department by each code with one staff member (`pmc1` …), signed in. */
async function seedDepartments(t: TestApp, dept: Record<Code, string>, as: Record<Code, Client>) {
  for (const code of CODES) {
    dept[code] = (
      await createDepartment(t.system, { name: `${code}部`, code, parentId: null, sortOrder: 0 })
    ).id;
    await seedUser(t, `${code}1`, ['staff'], { departmentId: dept[code] });
    as[code] = await signIn(t.app, `${code}1`);
  }
}

/** A filed customer archive registered by `by`. */
async function newArchive(by: Client, name: string, secrecy = 'normal') {
  const res = await by.post('/api/customers', {
    name,
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
}

describe('orders probed with bad input and foreign ids', () => {
  const app = companyApp();
  const dept = {} as Record<Code, string>;
  const as = {} as Record<Code, Client>;
  let customer: { id: string };
  let n = 0;

  beforeAll(async () => {
    await seedDepartments(app.t, dept, as);
    const res = await app.co.as.admin.put('/api/orders/config', { reviewDepartments: [...CODES] });
    expect(res.statusCode, res.body).toBe(200);
    customer = await newArchive(app.co.as.sales1, `探测客户${++n}号有限公司`);
  });

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
  const post = (by: Client, body: Json = {}) =>
    by.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [line('P-100')],
      ...body,
    });
  const expectChinese = (res: { statusCode: number; body: string; json: () => Json }, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(res.json().title as string, res.body).toMatch(/[\u4e00-\u9fff]/);
  };

  it('refuses a quantity times price beyond what an amount holds, with a Chinese message instead of a 500', async () => {
    // 12 digits of quantity times 12 of price: more than numeric(18, 2) holds (PostgreSQL: 500).
    const huge = await post(app.co.as.sales1, {
      lines: [line('P-1', { quantity: '999999999999', unitPrice: '999999999999' })],
    });
    expectChinese(huge, 422);
    expect(huge.json().errors).toEqual([
      expect.objectContaining({ field: 'lines.0.unitPrice', message: expect.stringContaining('金额') }),
    ]);
    // Lines each within bounds whose total is not.
    const many = await post(app.co.as.sales1, {
      lines: Array.from({ length: 20 }, (_, i) =>
        line(`P-${i}`, { quantity: '99999999', unitPrice: '99999' }),
      ),
    });
    expectChinese(many, 422);
    expect(many.json().errors).toEqual([expect.objectContaining({ field: 'lines' })]);
    // The largest that fits is kept to the cent.
    const max = await post(app.co.as.sales1, {
      lines: [line('P-1', { quantity: '99999.5', unitPrice: '99999999.99' })],
    });
    expect(max.statusCode, max.body).toBe(201);
    expect(max.json().lines).toEqual([expect.objectContaining({ amount: '9999949999000.01' })]);
    expect(max.json().totalAmount).toBe('9999949999000.01');
    // A draft changed to the same, and finance pricing an unpriced line of it.
    const draft = (await post(app.co.as.sales1, { lines: [line('P-2', { unitPrice: null })] })).json();
    const patch = await app.co.as.sales1.patch(`/api/orders/${draft.id}`, {
      lines: [line('P-2', { quantity: '999999999999', unitPrice: '999999999999' })],
    });
    expectChinese(patch, 422);
    const bigDraft = await app.co.as.sales1.patch(`/api/orders/${draft.id}`, {
      lines: [line('P-2', { quantity: '999999999999', unitPrice: null })],
    });
    expect(bigDraft.statusCode, bigDraft.body).toBe(200);
    expect((await app.co.as.sales1.post(`/api/orders/${draft.id}/submit`, {})).statusCode).toBe(200);
    const twice = await as.finance.put(`/api/orders/${draft.id}/reviews/${dept.finance}`, {
      decision: 'accept',
      checklist: CHECKLIST,
      pricing: [
        { lineNo: 1, unitPrice: '1' },
        { lineNo: 1, unitPrice: '2' },
      ],
    });
    expectChinese(twice, 422);
    expect(twice.json().errors).toEqual([
      expect.objectContaining({ field: 'pricing.1.lineNo', message: '第 1 行出现了不止一次' }),
    ]);
    const priced = await as.finance.put(`/api/orders/${draft.id}/reviews/${dept.finance}`, {
      decision: 'accept',
      checklist: CHECKLIST,
      pricing: [{ lineNo: 1, unitPrice: '999999999999' }],
    });
    expectChinese(priced, 422);
    expect(priced.json().errors).toEqual([expect.objectContaining({ field: 'pricing.0.unitPrice' })]);
  });

  it('answers dates far in the past or future, and blank lines, with Chinese messages', async () => {
    for (const requestedOn of ['1899-12-31', '2999-12-31', '2026-02-30', ''])
      expectChinese(await post(app.co.as.sales1, { lines: [line('P-1', { requestedOn })] }), 400);
    expectChinese(await post(app.co.as.sales1, { lines: [] }), 400);
    expectChinese(await post(app.co.as.sales1, { lines: [line('P-1', { partNumber: '   ' })] }), 400);
    expectChinese(await post(app.co.as.sales1, { customerId: 'nope' }), 404);
    expectChinese(await post(app.co.as.sales1, { lines: [line('P-1', { quantity: '1.123456' })] }), 400);
    expectChinese(await post(app.co.as.sales1, { remarks: 'x'.repeat(5000) }), 400);
  });

  it('refuses a requested date before the order was received', async () => {
    const early = await post(app.co.as.sales1, {
      lines: [line('P-1', { requestedOn: '2026-03-01', promisedOn: null })],
    });
    expectChinese(early, 422);
    expect(early.json().errors).toEqual([
      expect.objectContaining({
        field: 'lines.0.requestedOn',
        message: '要求交期不能早于接单日期 2026-03-02',
      }),
    ]);
    // The day it was received is a possible (rush) date.
    const same = await post(app.co.as.sales1, {
      lines: [line('P-1', { requestedOn: '2026-03-02', promisedOn: null })],
    });
    expect(same.statusCode, same.body).toBe(201);
  });
});

describe('orders probed through their attachments, amendments and notices', () => {
  const app = companyApp();
  const dept = {} as Record<Code, string>;
  const as = {} as Record<Code, Client>;
  let customer: { id: string };
  let order: { id: string; number: string; lines: { id: string }[] };

  beforeAll(async () => {
    await seedDepartments(app.t, dept, as);
    const { sales1 } = app.co.as;
    customer = await newArchive(sales1, '探测附件客户有限公司');
    const o = await sales1.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        {
          partNumber: 'A-1',
          product: '灯具',
          quantity: '100',
          unit: '只',
          unitPrice: '2',
          requestedOn: '2026-05-29',
          promisedOn: '2026-05-29',
        },
      ],
    });
    expect(o.statusCode, o.body).toBe(201);
    const id = o.json().id as string;
    expect(
      (await sales1.put(`/api/orders/${id}/class`, { class: 'regular', reason: '老产品' })).statusCode,
    ).toBe(200);
    expect((await sales1.post(`/api/orders/${id}/submit`, {})).statusCode).toBe(200);
    const signed = await sales1.post(`/api/orders/${id}/approve`, { decision: 'accept' });
    expect(signed.json().status, signed.body).toBe('accepted');
    order = signed.json();
  });

  const upload = (by: Client, name: string, body: Buffer, kind = 'other') =>
    by.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/files?kind=${kind}&name=${encodeURIComponent(name)}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: body,
    });

  it('keeps an odd file name as a name: quotes and slashes cannot break the download header', async () => {
    const { sales1 } = app.co.as;
    const name = '..\\..\\报价"; filename="evil.html';
    const up = await upload(sales1, name, Buffer.from('x'));
    expect(up.statusCode, up.body).toBe(201);
    const down = await sales1.get(`/api/orders/${order.id}/files/${up.json().id}`);
    expect(down.statusCode).toBe(200);
    const cd = String(down.headers['content-disposition']);
    // One quoted ASCII name without quotes or backslashes inside, then the UTF-8 name.
    expect(cd).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[^"; ]+$/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1] as string)).toBe(name);
    // A name too long, a blank one and an empty file are refused in Chinese.
    for (const [bad, body] of [
      ['x'.repeat(300), Buffer.from('x')],
      ['   ', Buffer.from('x')],
      ['empty.pdf', Buffer.alloc(0)],
    ] as const) {
      const res = await upload(sales1, bad, body);
      expect([400, 422], `${bad}: ${res.body}`).toContain(res.statusCode);
      expect(res.json().title).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses an amendment whose new quantity makes an amount too large, and lets no other department act', async () => {
    const { sales1, sales2 } = app.co.as;
    const huge = await sales1.post(`/api/orders/${order.id}/amendments`, {
      reason: '客户追加',
      lines: [{ lineNo: 1, quantity: '999999999999', unitPrice: '999999999' }],
    });
    expect(huge.statusCode, huge.body).toBe(422);
    expect(huge.json().errors).toEqual([expect.objectContaining({ field: 'lines.0.quantity' })]);
    // 30 delivered already: 20 would be less than what went out.
    const delivered = await sales1.post(`/api/orders/${order.id}/deliveries`, {
      lineId: order.lines[0]?.id,
      deliveredOn: '2026-03-02',
      quantity: '30',
    });
    expect(delivered.statusCode, delivered.body).toBe(201);
    const less = await sales1.post(`/api/orders/${order.id}/amendments`, {
      reason: '客户减量',
      lines: [{ lineNo: 1, quantity: '20' }],
    });
    expect(less.statusCode, less.body).toBe(422);
    expect(less.json().errors).toEqual([
      expect.objectContaining({
        field: 'lines.0.quantity',
        message: '第 1 行已交付 30，变更后的数量不能少于已交付数量',
      }),
    ]);
    // A real one: quantity, reviewed by PMC and production.
    const a = await sales1.post(`/api/orders/${order.id}/amendments`, {
      reason: '客户追加',
      lines: [{ lineNo: 1, quantity: '200' }],
    });
    expect(a.statusCode, a.body).toBe(201);
    const amendment = a.json().amendments[0] as { id: string };
    // Finance was not asked; PMC answers only for itself; sales neither reviews nor acknowledges.
    const url = `/api/orders/${order.id}/amendments/${amendment.id}`;
    expect([403, 404]).toContain(
      (await as.finance.put(`${url}/reviews/${dept.finance}`, { decision: 'accept' })).statusCode,
    );
    expect([403, 404]).toContain(
      (await as.pmc.put(`${url}/reviews/${dept.production}`, { decision: 'accept' })).statusCode,
    );
    expect([403, 404]).toContain((await sales2.post(`${url}/acknowledge`)).statusCode);
    expect([403, 404]).toContain((await as.finance.post(`${url}/acknowledge`)).statusCode);
  });

  it('does not sign an amendment overtaken by deliveries made while it was reviewed', async () => {
    const { sales1 } = app.co.as;
    const o = await sales1.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        {
          partNumber: 'A-1',
          product: '灯具',
          quantity: '100',
          unit: '只',
          requestedOn: '2026-05-29',
          promisedOn: '2026-05-29',
        },
      ],
    });
    expect(o.statusCode, o.body).toBe(201);
    const id = o.json().id as string;
    await sales1.put(`/api/orders/${id}/class`, { class: 'regular', reason: '老产品' });
    await sales1.post(`/api/orders/${id}/submit`, {});
    const accepted = await sales1.post(`/api/orders/${id}/approve`, { decision: 'accept' });
    expect(accepted.json().status, accepted.body).toBe('accepted');
    const lineId = accepted.json().lines[0].id as string;
    const deliver = (quantity: string) =>
      sales1.post(`/api/orders/${id}/deliveries`, { lineId, deliveredOn: '2026-03-02', quantity });
    expect((await deliver('30')).statusCode).toBe(201);
    const a = await sales1.post(`/api/orders/${id}/amendments`, {
      reason: '客户减量',
      lines: [{ lineNo: 1, quantity: '50' }],
    });
    expect(a.statusCode, a.body).toBe(201);
    const url = `/api/orders/${id}/amendments/${a.json().amendments[0].id}`;
    for (const code of ['pmc', 'production'] as const)
      expect((await as[code].put(`${url}/reviews/${dept[code]}`, { decision: 'accept' })).statusCode).toBe(
        200,
      );
    // 40 more go out before the signature: 70 delivered, more than the 50 proposed.
    expect((await deliver('40')).statusCode).toBe(201);
    const sign = await sales1.post(`${url}/sign`, { decision: 'accept' });
    expect(sign.statusCode, sign.body).toBe(409);
    expect(sign.json().title).toContain('第 1 行在评审期间已交付 70');
    const after = (await sales1.get(`/api/orders/${id}`)).json();
    expect(after.lines[0].quantity).toBe('100');
  });

  it('answers malformed requests without a stack trace, in Chinese', async () => {
    const { sales1 } = app.co.as;
    const broken = await sales1.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{"customerId": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(broken.json().title).toMatch(/[\u4e00-\u9fff]/);
    for (const url of [
      `/api/orders/${'x'.repeat(65)}`,
      `/api/orders/${order.id}/files/nope`,
      `/api/orders/${order.id}/deliveries`,
      '/api/orders/delivery-stats?from=1899-01-01',
      '/api/orders/delayed?limit=100000',
      '/api/orders?limit=-1',
      '/api/orders?cursor=AAAA',
    ]) {
      const res = await sales1.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
      if (res.statusCode >= 400) expect(res.json().title, url).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses deliveries with odd quantities and dates, and of another order’s line', async () => {
    const { sales1 } = app.co.as;
    const url = `/api/orders/${order.id}/deliveries`;
    const lineId = order.lines[0]?.id as string;
    for (const body of [
      { lineId, deliveredOn: '2026-03-02', quantity: '0' },
      { lineId, deliveredOn: '2026-03-02', quantity: '-1' },
      { lineId, deliveredOn: '2026-03-02', quantity: '1.00001' },
      { lineId, deliveredOn: '1899-12-31', quantity: '1' },
      { lineId, deliveredOn: '2026-03-01', quantity: '1' },
      { lineId: 'nope', deliveredOn: '2026-03-02', quantity: '1' },
    ]) {
      const res = await sales1.post(url, body);
      expect([400, 404, 409, 422], `${JSON.stringify(body)}: ${res.body}`).toContain(res.statusCode);
      expect(res.json().title).toMatch(/[\u4e00-\u9fff]/);
    }
    // Received on 2 March: nothing was delivered against it on 1 March, by form or by sheet.
    const early = await sales1.post(url, { lineId, deliveredOn: '2026-03-01', quantity: '1' });
    expect(early.json().errors[0]).toMatchObject({
      field: 'deliveredOn',
      message: expect.stringContaining('接单日期'),
    });
    const { payload, headers } = multipart(
      '交付.xlsx',
      await xlsx([
        ['订单编号', '行号', '交付日期', '数量', '送货单号', '备注'],
        [order.number, 1, '2026-03-01', '1', '', ''],
        [order.number, 1, '2026-03-02', '1', 'N'.repeat(65), ''],
      ]),
    );
    const sheet = await sales1.inject({
      method: 'POST',
      url: '/api/orders/deliveries/import?dryRun=true',
      payload,
      headers,
    });
    // A delay moves the date later (due 29 May), on a line not yet delivered in full.
    for (const newDate of ['1900-01-01', '2026-05-29']) {
      const delay = await sales1.post(`/api/orders/${order.id}/delays`, { lineId, reason: '缺料', newDate });
      expect(delay.statusCode, delay.body).toBe(400);
      expect(delay.json().errors[0]).toMatchObject({
        field: 'newDate',
        message: expect.stringContaining('原交期'),
      });
    }
    expect(
      (await sales1.post(`/api/orders/${order.id}/delays`, { lineId, reason: '缺料', newDate: '2026-06-05' }))
        .statusCode,
    ).toBe(201);
    const rest = await sales1.post(url, { lineId, deliveredOn: '2026-03-02', quantity: '70' });
    expect(rest.statusCode, rest.body).toBe(201);
    const late = await sales1.post(`/api/orders/${order.id}/delays`, {
      lineId,
      reason: '缺料',
      newDate: '2026-06-09',
    });
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().title).toContain('交付完毕');
    expect(sheet.statusCode, sheet.body).toBe(200);
    expect(sheet.json().errors).toEqual([
      { row: 2, message: expect.stringContaining('接单日期') },
      { row: 3, message: '送货单号无效' },
    ]);
  });
});

describe('orders probed through their settings', () => {
  const app = companyApp();
  const dept = {} as Record<Code, string>;
  const as = {} as Record<Code, Client>;

  beforeAll(async () => {
    await seedDepartments(app.t, dept, as);
    const res = await app.co.as.admin.put('/api/orders/config', { reviewDepartments: [...CODES] });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('keeps at least one department on each review route in the settings', async () => {
    const { admin, sales1, salesmgr } = app.co.as;
    for (const field of ['reviewDepartments', 'capacityDepartments']) {
      const res = await admin.put('/api/orders/config', { [field]: [] });
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field, message: expect.stringContaining('至少') });
    }
    // With the defaults a new product goes to every department, not straight to the signer.
    const customer = await newArchive(sales1, '探测设置客户有限公司');
    const o = await sales1.post('/api/orders', {
      customerId: customer.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [
        {
          partNumber: 'N-1',
          product: '新灯具',
          quantity: '1',
          unit: '只',
          requestedOn: '2026-05-29',
        },
      ],
    });
    const submitted = await sales1.post(`/api/orders/${o.json().id}/submit`, {});
    expect(submitted.json()).toMatchObject({ route: 'full', reviewsOpen: 6 });
    expect(
      (await salesmgr.post(`/api/orders/${o.json().id}/approve`, { decision: 'accept' })).statusCode,
    ).toBe(409);
  });

  it('refuses to send a secret archive’s order to departments where nobody may see it, instead of leaving it unanswerable', async () => {
    const { salesmgr } = app.co.as;
    const secret = await newArchive(salesmgr, '探测秘密客户有限公司', 'secret');
    // One line of a part, by the sales manager (cleared 秘密).
    const register = (partNumber: string) =>
      salesmgr.post('/api/orders', {
        customerId: secret.id,
        kind: 'order',
        receivedVia: 'email',
        receivedOn: '2026-03-02',
        lines: [{ partNumber, product: '灯具', quantity: '1', unit: '只', requestedOn: '2026-05-29' }],
      });
    const o = await register('S-1');
    expect(o.statusCode, o.body).toBe(201);
    // Every reviewer here is cleared 普通 only: none could open the order or be told of it.
    const refused = await salesmgr.post(`/api/orders/${o.json().id}/submit`, {});
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().title).toContain('pmc部、purchasing部、production部、finance部、rd部、qc部');
    expect((await salesmgr.get(`/api/orders/${o.json().id}`)).json()).toMatchObject({
      status: 'draft',
      reviews: [],
    });
    // Once each department has someone cleared, it goes to review.
    for (const code of CODES)
      await seedUser(app.t, `${code}-cleared`, ['staff'], { departmentId: dept[code], clearance: 'secret' });
    const submitted = await salesmgr.post(`/api/orders/${o.json().id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'in_review', reviewsOpen: 6 });
    // The same for an amendment: the warehouse (cleared 普通 only) cannot review the quantity.
    const wh = await createDepartment(app.t.system, {
      name: '仓库',
      code: 'wh',
      parentId: null,
      sortOrder: 0,
    });
    await seedUser(app.t, 'wh1', ['staff'], { departmentId: wh.id });
    const cfg = await app.co.as.admin.put('/api/orders/config', {
      amendmentDepartments: {
        quantity: ['wh'],
        date: ['pmc'],
        specification: ['rd'],
        price: ['finance'],
        terms: ['finance'],
      },
    });
    expect(cfg.statusCode, cfg.body).toBe(200);
    const regular = await register('S-2');
    const rid = regular.json().id as string;
    await salesmgr.put(`/api/orders/${rid}/class`, { class: 'regular', reason: '老产品' });
    await salesmgr.post(`/api/orders/${rid}/submit`, {});
    expect((await salesmgr.post(`/api/orders/${rid}/approve`, { decision: 'accept' })).json().status).toBe(
      'accepted',
    );
    const amend = await salesmgr.post(`/api/orders/${rid}/amendments`, {
      reason: '客户追加',
      lines: [{ lineNo: 1, quantity: '2' }],
    });
    expect(amend.statusCode, amend.body).toBe(409);
    expect(amend.json().title).toContain('仓库');
  });
});
