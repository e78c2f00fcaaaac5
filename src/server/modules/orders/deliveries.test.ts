import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { multipart, readXlsx, xlsx } from '../../test-support/sheets.js';
import { createDepartment } from '../org/service.js';
import { delaySummaryDaily } from './delayed.js';

// Deliveries, 准时交付率 and 掉期订单 through HTTP (R-K5): the rate by line and by quantity on a
// fixture computed by hand (partial deliveries count when complete), a line due in the 2026
// National Day holiday under each holiday rule, the delayed list (past due or predicted), who
// sees which lines and counts, the exports, over-delivery and future dates refused, the import.

type Json = Record<string, unknown>;
type Line = { lineId: string; lineNo: number; delivered: string; open: string; completedOn: string | null };
type Stats = {
  rows: {
    key: string;
    lines: number;
    linesOnTime: number;
    quantity: string;
    quantityOnTime: string;
    pending: number;
    rate: number | null;
  }[];
  total: {
    lines: number;
    linesOnTime: number;
    quantity: string;
    quantityOnTime: string;
    pending: number;
    rate: number | null;
  };
};

// The fixture (today 2026-11-20; every line of accepted orders):
//   order A, archive X (normal), owned by sales1
//     A1 qty 100 due 2026-04-10: 100 on 04-08                    → on time; 100 on time
//     A2 qty 200 due 2026-04-20: 120 on 04-15, 80 on 04-20       → complete on 04-20, on time; 200
//     A3 qty 300 due 2026-04-24: 150 on 04-20, 150 on 04-28      → complete on 04-28, late; 150
//     A4 qty  50 due 2026-05-15: nothing                          → past due, late; 0
//     A5 qty 400 due 2026-05-20: 400 on 05-19                     → on time; 400
//   order B, archive X: B1 qty 10 due 2026-10-03 (国庆, 10-01…10-07 off): 10 on 10-08
//     as_promised      → late (10-08 > 10-03)
//     next_working_day → due 10-08, on time
//   order C, archive X: C1 qty 60 due 2026-12-15, nothing yet, a delay recorded (predicted)
//   order S, archive Y (secret, kept by the sales manager): S1 qty 100 due 2026-04-15, nothing → late
// By line, April–May, as sales1 sees it: April 3 lines, 2 on time (A1, A2) = 2/3; May 2 lines,
//   1 on time (A5) = 1/2; together 3/5 = 0.6.
// By quantity: April due 100+200+300 = 600, on time 100+200+150 = 450 → 0.75; May due 450,
//   on time 400 → 0.8889; together 850/1050 = 0.8095.
// The sales manager (cleared for secret) also sees S1: April 4 lines, 2 on time; quantity 700, 450.
// Delayed on 2026-11-20, oldest first: S1 (manager only), A4, C1 (predicted).

describe('deliveries, on-time delivery and delayed orders (R-K5)', () => {
  const app = companyApp();
  let outsider: Client;
  let x: { id: string };
  const orders = {} as Record<'A' | 'B' | 'C' | 'S', { id: string; number: string; lines: Line[] }>;
  let n = 0;

  const archive = async (by: Client, secrecy = 'normal') => {
    const res = await by.post('/api/customers', {
      name: `交付测试客户${++n}号有限公司`,
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
  const line = (partNumber: string, quantity: string, promisedOn: string) => ({
    partNumber,
    product: `灯具${partNumber}`,
    quantity,
    unit: '只',
    unitPrice: '10',
    requestedOn: promisedOn,
    promisedOn,
  });
  /** Registers, classes as regular (sales signs alone), submits and signs an order. */
  const accepted = async (by: Client, customerId: string, lines: Json[]) => {
    const created = await by.post('/api/orders', {
      customerId,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const cls = await by.put(`/api/orders/${id}/class`, { class: 'regular', reason: '老产品' });
    expect(cls.statusCode, cls.body).toBe(200);
    expect((await by.post(`/api/orders/${id}/submit`, {})).statusCode).toBe(200);
    const signed = await by.post(`/api/orders/${id}/approve`, { decision: 'accept' });
    expect(signed.json().status, signed.body).toBe('accepted');
    const d = (await by.get(`/api/orders/${id}/deliveries`)).json();
    return { id, number: created.json().number as string, lines: d.lines as Line[] };
  };
  const deliver = async (
    by: Client,
    o: { id: string; lines: Line[] },
    lineNo: number,
    quantity: string,
    deliveredOn: string,
    extra: Json = {},
  ) =>
    by.post(`/api/orders/${o.id}/deliveries`, {
      lineId: o.lines[lineNo - 1]?.lineId,
      quantity,
      deliveredOn,
      deliveryNoteNo: `SN-${++n}`,
      ...extra,
    });
  const stats = async (by: Client, query: string) => {
    const res = await by.get(`/api/orders/delivery-stats?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Stats;
  };
  const settings = async (body: Json) =>
    expect((await app.co.as.admin.put('/api/orders/config', body)).statusCode).toBe(200);

  beforeAll(async () => {
    await travel(app.t, app.co, '2026-11-20T02:00:00.000Z');
    const other = await createDepartment(app.t.system, {
      name: '行政部',
      code: null,
      parentId: null,
      sortOrder: 0,
    });
    await seedUser(app.t, 'outsider', ['staff'], { departmentId: other.id, clearance: 'top_secret' });
    outsider = await signIn(app.t.app, 'outsider');
    const { sales1, salesmgr } = app.co.as;
    x = await archive(sales1);
    const y = await archive(salesmgr, 'secret');
    orders.A = await accepted(sales1, x.id, [
      line('A-1', '100', '2026-04-10'),
      line('A-2', '200', '2026-04-20'),
      line('A-3', '300', '2026-04-24'),
      line('A-4', '50', '2026-05-15'),
      line('A-5', '400', '2026-05-20'),
    ]);
    orders.B = await accepted(sales1, x.id, [line('B-1', '10', '2026-10-03')]);
    orders.C = await accepted(sales1, x.id, [line('C-1', '60', '2026-12-15')]);
    orders.S = await accepted(salesmgr, y.id, [line('S-1', '100', '2026-04-15')]);
    const A = orders.A;
    for (const [lineNo, q, on] of [
      [1, '100', '2026-04-08'],
      [2, '120', '2026-04-15'],
      [2, '80', '2026-04-20'],
      [3, '150', '2026-04-20'],
      [3, '150', '2026-04-28'],
      [5, '400', '2026-05-19'],
    ] as const) {
      const res = await deliver(sales1, A, lineNo, q, on);
      expect(res.statusCode, res.body).toBe(201);
    }
    expect((await deliver(sales1, orders.B, 1, '10', '2026-10-08')).statusCode).toBe(201);
    const delay = await sales1.post(`/api/orders/${orders.C.id}/delays`, {
      lineId: orders.C.lines[0]?.lineId,
      reason: '模具维修',
      newDate: '2026-12-28',
      informedBy: '张三',
      informedOn: '2026-11-19',
      informedVia: 'phone',
    });
    expect(delay.statusCode, delay.body).toBe(201);
  });

  it('shows per line what was ordered, delivered and is open, and when a line was completed', async () => {
    const res = await app.co.as.sales1.get(`/api/orders/${orders.A.id}/deliveries`);
    expect(res.statusCode).toBe(200);
    const lines = res.json().lines as (Line & { onTime: boolean | null; delayed: boolean })[];
    expect(lines.map((l) => [l.lineNo, l.delivered, l.open, l.completedOn, l.onTime, l.delayed])).toEqual([
      [1, '100', '0', '2026-04-08', true, false],
      [2, '200', '0', '2026-04-20', true, false],
      [3, '300', '0', '2026-04-28', false, false],
      [4, '0', '50', null, false, true],
      [5, '400', '0', '2026-05-19', true, false],
    ]);
    expect(res.json().can).toEqual({ deliver: true, delay: true });
  });

  it('refuses over-delivery (unless allowed), a future date, and orders not accepted; deletes a wrong entry', async () => {
    const { sales1 } = app.co.as;
    const over = await deliver(sales1, orders.A, 1, '1', '2026-11-19');
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: 'order_over_delivery' });
    expect(over.json().title).toContain('交付数量超过订单数量');
    const future = await deliver(sales1, orders.A, 4, '1', '2026-11-21');
    expect(future.statusCode).toBe(400);
    expect(future.json().title).toContain('交付日期不能晚于今天');
    const zero = await deliver(sales1, orders.A, 4, '0', '2026-11-19');
    expect(zero.statusCode).toBe(400);
    // Another salesperson of the department sees the order but does not keep it.
    expect((await deliver(app.co.as.sales2, orders.A, 4, '1', '2026-11-19')).statusCode).toBe(403);
    // A draft is not delivered.
    const draft = await sales1.post('/api/orders', {
      customerId: x.id,
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      lines: [line('D-1', '5', '2026-12-01')],
    });
    const dl = (await sales1.get(`/api/orders/${draft.json().id}/deliveries`)).json();
    expect(dl.can).toEqual({ deliver: false, delay: false });
    const d = await sales1.post(`/api/orders/${draft.json().id}/deliveries`, {
      lineId: dl.lines[0].lineId,
      quantity: '1',
      deliveredOn: '2026-11-19',
    });
    expect(d.statusCode).toBe(409);
    // Over-delivery agreed with the customer, then removed as a wrong entry: the counts stand.
    const agreed = await deliver(sales1, orders.A, 1, '5', '2026-11-19', { allowOverDelivery: true });
    expect(agreed.statusCode, agreed.body).toBe(201);
    const entry = agreed.json().lines[0].deliveries.find((x: { quantity: string }) => x.quantity === '5');
    const removed = await sales1.delete(`/api/orders/${orders.A.id}/deliveries/${entry.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().lines[0].delivered).toBe('100');
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'secrecy'])
      .where('target_id', '=', orders.A.id)
      .where('action', 'in', ['order.delivery', 'order.delivery.delete'])
      .execute();
    expect(audit.filter((a) => a.action === 'order.delivery.delete')).toHaveLength(1);
    const history = (await sales1.get(`/api/orders/${orders.A.id}`)).json().history as { field: string }[];
    expect(history.filter((h) => h.field === 'delivery').length).toBe(8);
  });

  it('computes the on-time rate by line and by quantity as computed by hand', async () => {
    const { sales1 } = app.co.as;
    await settings({ onTimeBasis: 'line', holidayRule: 'as_promised' });
    const byLine = await stats(sales1, 'from=2026-04-01&to=2026-05-31&groupBy=month');
    expect(byLine.rows.map((r) => [r.key, r.lines, r.linesOnTime, r.rate])).toEqual([
      ['2026-04', 3, 2, 0.6667],
      ['2026-05', 2, 1, 0.5],
    ]);
    expect(byLine.total).toMatchObject({ lines: 5, linesOnTime: 3, rate: 0.6, pending: 0 });
    await settings({ onTimeBasis: 'quantity' });
    const byQty = await stats(sales1, 'from=2026-04-01&to=2026-05-31&groupBy=month');
    expect(byQty.rows.map((r) => [r.key, r.quantity, r.quantityOnTime, r.rate])).toEqual([
      ['2026-04', '600', '450', 0.75],
      ['2026-05', '450', '400', 0.8889],
    ]);
    expect(byQty.total).toMatchObject({ quantity: '1050', quantityOnTime: '850', rate: 0.8095 });
    // By product and by customer; a line due later and not complete is pending, not late.
    const byProduct = await stats(sales1, 'from=2026-04-01&to=2026-12-31&groupBy=product');
    expect(byProduct.rows.find((r) => r.key === 'C-1')).toMatchObject({ lines: 0, pending: 1, rate: null });
    const byCustomer = await stats(sales1, 'from=2026-04-01&to=2026-05-31&groupBy=customer');
    expect(byCustomer.rows).toEqual([
      expect.objectContaining({ key: x.id, lines: 5, quantityOnTime: '850' }),
    ]);
    await settings({ onTimeBasis: 'line' });
  });

  it('counts a line due in the National Day holiday by the holiday rule the settings name', async () => {
    const { sales1 } = app.co.as;
    await settings({ holidayRule: 'as_promised' });
    const asPromised = await stats(sales1, 'from=2026-10-01&to=2026-10-31&groupBy=month');
    expect(asPromised.total).toMatchObject({ lines: 1, linesOnTime: 0, rate: 0 });
    let d = (await sales1.get(`/api/orders/${orders.B.id}/deliveries`)).json().lines[0];
    expect(d).toMatchObject({ dueOn: '2026-10-03', effectiveDueOn: '2026-10-03', onTime: false });
    await settings({ holidayRule: 'next_working_day' });
    const next = await stats(sales1, 'from=2026-10-01&to=2026-10-31&groupBy=month');
    expect(next.total).toMatchObject({ lines: 1, linesOnTime: 1, rate: 1 });
    d = (await sales1.get(`/api/orders/${orders.B.id}/deliveries`)).json().lines[0];
    expect(d).toMatchObject({ effectiveDueOn: '2026-10-08', onTime: true });
    await settings({ holidayRule: 'as_promised' });
  });

  it('lists delayed lines oldest first, past due or predicted, with the delay recorded', async () => {
    const { sales1, salesmgr } = app.co.as;
    const res = await sales1.get('/api/orders/delayed');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Json[];
    expect(items.map((i) => [i.orderNumber, i.lineNo, i.open, i.dueOn])).toEqual([
      [orders.A.number, 4, '50', '2026-05-15'],
      [orders.C.number, 1, '60', '2026-12-15'],
    ]);
    expect(items[0]).toMatchObject({ delay: null });
    expect(Number(items[0]?.daysLate)).toBeGreaterThan(100);
    expect(items[1]).toMatchObject({
      daysLate: 0,
      delay: {
        predicted: true,
        reason: '模具维修',
        newDate: '2026-12-28',
        informedBy: '张三',
        informedVia: 'phone',
      },
    });
    // Keyset pages.
    const first = (await salesmgr.get('/api/orders/delayed?limit=2')).json();
    expect(first.items.map((i: Json) => i.orderNumber)).toEqual([orders.S.number, orders.A.number]);
    const second = (await salesmgr.get(`/api/orders/delayed?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: Json) => i.orderNumber)).toEqual([orders.C.number]);
    expect(second.nextCursor).toBeNull();
  });

  it('shows neither the lines nor the counts to another department or a lower clearance', async () => {
    const { sales2, salesmgr } = app.co.as;
    const q = 'from=2026-04-01&to=2026-05-31&groupBy=month';
    expect((await stats(salesmgr, q)).total).toMatchObject({ lines: 6, linesOnTime: 3 });
    // sales2 (normal clearance) sees archive X but not the secret one.
    expect((await stats(sales2, q)).total).toMatchObject({ lines: 5, linesOnTime: 3 });
    expect((await sales2.get(`/api/orders/${orders.S.id}/deliveries`)).statusCode).toBe(404);
    expect(
      ((await sales2.get('/api/orders/delayed')).json().items as Json[]).map((i) => i.orderNumber),
    ).not.toContain(orders.S.number);
    // Another department sees nothing at all.
    expect((await stats(outsider, q)).total).toMatchObject({ lines: 0, rate: null });
    expect((await outsider.get('/api/orders/delayed')).json().items).toEqual([]);
    expect((await outsider.get(`/api/orders/${orders.A.id}/deliveries`)).statusCode).toBe(404);
    expect(
      (
        await outsider.post(`/api/orders/${orders.A.id}/delays`, {
          lineId: orders.A.lines[3]?.lineId,
          reason: 'x',
          newDate: '2026-12-01',
        })
      ).statusCode,
    ).toBe(404);
    const sheet = await readXlsx((await outsider.get('/api/orders/delayed.xlsx')).rawPayload);
    expect(sheet).toHaveLength(1);
  });

  it('exports the rate and the 掉期订单跟踪表 with the rows the reader sees', async () => {
    const { sales1 } = app.co.as;
    const res = await sales1.get(
      '/api/orders/delivery-stats.xlsx?from=2026-04-01&to=2026-05-31&groupBy=month',
    );
    expect(res.statusCode).toBe(200);
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]?.[0]).toBe('月份');
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[6]])).toEqual([
      ['2026-04', '3', '2', '66.67%'],
      ['2026-05', '2', '1', '50.00%'],
      ['合计', '5', '3', '60.00%'],
    ]);
    const csv = await sales1.get(
      '/api/orders/delivery-stats.csv?from=2026-04-01&to=2026-05-31&groupBy=month',
    );
    expect(csv.body).toContain('2026-04,3,2,600,450,0,66.67%');
    const delayed = await readXlsx((await sales1.get('/api/orders/delayed.xlsx')).rawPayload);
    expect(delayed[0]?.slice(0, 3)).toEqual(['序号', '订单编号', '客户']);
    expect(delayed.slice(1).map((r) => [r[1], r[4], r[13]])).toEqual([
      [orders.A.number, '4', ''],
      [orders.C.number, '1', '模具维修'],
    ]);
    const delayedCsv = await sales1.get('/api/orders/delayed.csv');
    expect(delayedCsv.body.split('\r\n').filter(Boolean)).toHaveLength(3);
    const exports = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['order.delivery_stats.export', 'order.delayed.export'])
      .execute();
    expect(exports.length).toBeGreaterThanOrEqual(4);
  });

  it('imports deliveries from Excel: a dry run, row errors, nothing half-imported', async () => {
    const { sales1 } = app.co.as;
    const head = ['订单编号', '行号', '交付日期', '数量', '送货单号', '备注'];
    const upload = async (rows: (string | number)[][], dryRun: boolean) => {
      const { payload, headers } = multipart('交付.xlsx', await xlsx([head, ...rows]));
      return sales1.inject({
        method: 'POST',
        url: `/api/orders/deliveries/import?dryRun=${dryRun}`,
        payload,
        headers,
      });
    };
    const bad = await upload(
      [
        [orders.A.number, 4, '2026-11-10', '20', 'IMP-1', ''],
        [orders.A.number, 9, '2026-11-10', '1', '', ''],
        [orders.A.number, 4, '2026-11-10', '40', 'IMP-2', ''],
        [orders.S.number, 1, '2026-11-10', '1', '', ''],
      ],
      false,
    );
    expect(bad.statusCode, bad.body).toBe(200);
    expect(bad.json()).toMatchObject({ imported: 0, rows: 4 });
    expect(bad.json().errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    expect(bad.json().errors[1].message).toContain('超过订单数量');
    let a4 = (await sales1.get(`/api/orders/${orders.A.id}/deliveries`)).json().lines[3];
    expect(a4.delivered).toBe('0');
    const good = [
      [orders.A.number, 4, '2026-11-10', '20', 'IMP-1', ''],
      [orders.A.number, 4, '2026-11-12', '30', 'IMP-2', '补交'],
    ];
    const dry = await upload(good, true);
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 2, imported: 0, errors: [] });
    const done = await upload(good, false);
    expect(done.json()).toMatchObject({ dryRun: false, rows: 2, imported: 2, errors: [] });
    a4 = (await sales1.get(`/api/orders/${orders.A.id}/deliveries`)).json().lines[3];
    expect(a4).toMatchObject({ delivered: '50', open: '0', completedOn: '2026-11-12', delayed: false });
    // Complete now: off the delayed list.
    const delayed = (await sales1.get('/api/orders/delayed')).json().items as Json[];
    expect(delayed.map((i) => i.orderNumber)).toEqual([orders.C.number]);
  });

  it('sends the weekly summary on Mondays to the people named, counting what each may see', async () => {
    await settings({ delaySummaryRoles: [], delaySummaryUsers: [app.co.ids.salesmgr, app.co.ids.sales2] });
    const at = (iso: string) => ({ ...app.t.system, now: () => new Date(iso) });
    // Friday: nothing.
    expect(await delaySummaryDaily(at('2026-11-20T01:00:00Z'))).toMatchObject({ sent: 0 });
    // Monday 2026-11-23: S1 (secret) and C1 for the manager, C1 alone for sales2; C1's delay was
    // reported within the week.
    expect(await delaySummaryDaily(at('2026-11-23T01:00:00Z'))).toEqual({ sent: 2 });
    const titles = await app.t.database.db
      .selectFrom('notifications')
      .select(['user_id', 'title'])
      .where('kind', '=', 'order.delay_summary')
      .execute();
    const of = (id: string) => titles.filter((t) => t.user_id === id).map((t) => t.title);
    expect(of(app.co.ids.salesmgr)).toEqual([
      '掉期订单周报：本周新增或通报 1 行，当前未完成的掉期订单行共 2 行',
    ]);
    expect(of(app.co.ids.sales2)).toEqual([
      '掉期订单周报：本周新增或通报 1 行，当前未完成的掉期订单行共 1 行',
    ]);
  });
});
