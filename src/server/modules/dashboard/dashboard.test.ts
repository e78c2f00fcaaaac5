import { describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel, uscc } from '../../test-support/customers.js';

// 工作台 (GET /api/dashboard) on a small company, figures worked out by hand. The clock starts on
// Monday 2026-03-02 (Shanghai); every archive is registered that day, so its filing is due five
// working days later, on 03-09.
//
// archive owner   grade category secrecy  complaint
// C1      sales1  A     key      普通     K1 (received by sales1)
// C2      sales1  A     general  普通     —
// C3      sales1  B     general  普通     —
// C4      sales1  —     general  普通     —
// C5      sales2  A     general  普通     —
// C6      gm      C     general  机密     K6 (received by gm)
// Documents: D1 (issued 2026-02-20, 年度 2026) and D2 (issued 2024-05-06, 年度 2024) on C1;
// D3 (2026) on C6, so 机密 for every reader (R-P9); and each accepted order files its review
// record (评审记录表, 年度 2026) into its archive: R1 in C1, R6 in C6 (机密).
//
// Orders (accepted, received 03-02): O1 on C1 by sales1 — line 1, 10 due 03-05, all delivered
// 03-04 (on time); line 2, 5 due 03-10, nothing delivered (late, delayed). O6 on C6 by gm — one
// line, 8 due 03-06, nothing delivered (late, delayed). By line, March so far: sales1 and lowgm
// see O1 — 1 of 2 on time, 50 %, 1 delayed; gm sees all three lines — 1 of 3, 33.3 %, 2 delayed.
//
// Visits planned by hand: sales1 on C1 due 03-12 and on C2 due 03-16, gm on C6 due 03-12 — on
// 03-16 sales1 has one due today and one overdue; gm sees one today and two overdue, lowgm not C6's.
//
// On 03-16 (Monday) every archive is still a draft past its filing date, and both complaints —
// received 03-02 and never triaged — have a clock past due (investigate: one working day).
//
// sales1 (staff)      sales panel: mine A2 B1 C0 none1; key 1, general 3; 4 filings overdue;
//                     complaints it may see: K1 only (C6 is not its archive).
// gm (绝密)           management: A3 B1 C1 none1; 6 filings overdue; K1, K6 new and late;
//                     holdings 2024: 1 (D2), 2026: 4 (D1, D3, R1, R6).
// lowgm (普通 GM)     management without C6, K6, O6, D3, R6: A3 B1 C0 none1; 5 overdue; 1 complaint;
//                     2026: 2.
// archivist (机密)    archive panel: 6 filings overdue, holdings 2024: 1, 2026: 4.
// qa1 (quality)       quality panel: both complaints (sees every case, 绝密).

type Json = Record<string, unknown>;
type Item = { key: string; label: string; value: number | null; to: string };
type Block = { key: string; kind: string; unit: string; tone: string | null; items: Item[] };
type Panel = { key: string; blocks: Block[] };

describe('dashboard (工作台)', () => {
  const app = companyApp();
  const customer: Record<string, string> = {};

  const board = async (who: Client) => {
    const res = await who.get('/api/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().panels as Panel[];
  };
  const block = (panels: Panel[], panel: string, key: string) => {
    const b = panels.find((p) => p.key === panel)?.blocks.find((x) => x.key === key);
    if (!b) throw new Error(`no block ${panel}.${key}`);
    return b;
  };
  const values = (b: Block) => Object.fromEntries(b.items.map((i) => [i.key, i.value]));

  it('sets up the company', async () => {
    const { as } = app.co;
    const make = async (who: Client, key: string, body: Json) => {
      const res = await who.post('/api/customers', {
        kind: 'business',
        category: 'general',
        name: `${key} 测试客户有限公司`,
        creditCode: uscc(Object.keys(customer).length + 1),
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      customer[key] = res.json().id;
    };
    await make(as.sales1, 'C1', { grade: 'A', category: 'key' });
    await make(as.sales1, 'C2', { grade: 'A' });
    await make(as.sales1, 'C3', { grade: 'B' });
    await make(as.sales1, 'C4', {});
    await make(as.sales2, 'C5', { grade: 'A' });
    await make(as.gm, 'C6', { grade: 'C', secrecy: 'confidential' });
    const complaint = async (who: Client, key: string) => {
      const res = await who.post('/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId: customer[key],
        channel: 'phone',
        content: `${key} 客户来电投诉`,
        receivedAt: '2026-03-02T09:00:00+08:00',
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await complaint(as.sales1, 'C1');
    await complaint(as.gm, 'C6');
    const document = async (who: Client, key: string, issueDate: string) => {
      const res = await who.post('/api/documents', {
        title: `${key} 图纸`,
        category: 'customer_supplied',
        customerId: customer[key],
        secrecy: 'normal',
        issueDate,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await document(as.sales1, 'C1', '2026-02-20');
    await document(as.sales1, 'C1', '2024-05-06');
    await document(as.gm, 'C6', '2026-02-21');
    const order = async (who: Client, key: string, lines: [string, string][]) => {
      const created = await who.post('/api/orders', {
        customerId: customer[key],
        kind: 'order',
        receivedVia: 'email',
        receivedOn: '2026-03-02',
        lines: lines.map(([quantity, promisedOn], i) => ({
          partNumber: `${key}-${i + 1}`,
          product: '支架',
          quantity,
          unit: '只',
          unitPrice: '10',
          requestedOn: promisedOn,
          promisedOn,
        })),
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect(
        (await who.put(`/api/orders/${id}/class`, { class: 'regular', reason: '老产品' })).statusCode,
      ).toBe(200);
      const submitted = await who.post(`/api/orders/${id}/submit`, {});
      expect(submitted.statusCode, submitted.body).toBe(200);
      const signed = await who.post(`/api/orders/${id}/approve`, { decision: 'accept' });
      expect(signed.json().status, signed.body).toBe('accepted');
      return id;
    };
    const visit = async (who: Client, key: string, dueDate: string) => {
      const res = await who.post('/api/visits', { customerId: customer[key], dueDate, way: 'phone' });
      expect(res.statusCode, res.body).toBe(201);
    };
    await visit(as.sales1, 'C1', '2026-03-12');
    await visit(as.sales1, 'C2', '2026-03-16');
    await visit(as.gm, 'C6', '2026-03-12');
    // Lines due within the standard lead time would send the order to PMC for review.
    expect((await as.admin.put('/api/orders/config', { leadTimeDays: 1 })).statusCode).toBe(200);
    const o1 = await order(as.sales1, 'C1', [
      ['10', '2026-03-05'],
      ['5', '2026-03-10'],
    ]);
    await order(as.gm, 'C6', [['8', '2026-03-06']]);
    await travel(app.t, app.co, '2026-03-16T02:00:00.000Z');
    const lines = (await app.co.as.sales1.get(`/api/orders/${o1}/deliveries`)).json().lines as {
      lineId: string;
    }[];
    const delivered = await app.co.as.sales1.post(`/api/orders/${o1}/deliveries`, {
      lineId: lines[0]?.lineId,
      quantity: '10',
      deliveredOn: '2026-03-04',
      deliveryNoteNo: 'SN-1',
    });
    expect(delivered.statusCode, delivered.body).toBe(201);
  });

  it('gives each role its panels, and nobody else any', async () => {
    const { as } = app.co;
    const keys = async (who: Client) => (await board(who)).map((p) => p.key);
    expect(await keys(as.sales1)).toEqual(['sales']);
    expect(await keys(as.salesmgr)).toEqual(['sales']);
    expect(await keys(as.qa1)).toEqual(['quality']);
    expect(await keys(as.archivist)).toEqual(['archive']);
    expect(await keys(as.gm)).toEqual(['management']);
    expect(await keys(as.admin)).toEqual([]);
  });

  it("counts a salesperson's own archives by grade and category, and their overdue filings", async () => {
    const p = await board(app.co.as.sales1);
    const grade = block(p, 'sales', 'myCustomersByGrade');
    expect(values(grade)).toEqual({ A: 2, B: 1, C: 0, none: 1 });
    expect(grade.items.map((i) => i.label)).toEqual(['A 类', 'B 类', 'C 类', '未分级']);
    expect(grade.items[3]?.to).toBe(`/customers?ownerId=${app.co.ids.sales1}&grade=none`);
    expect(values(block(p, 'sales', 'myCustomersByCategory'))).toEqual({ general: 3, key: 1 });
    expect(values(block(p, 'sales', 'myFilings'))).toEqual({ filingOverdue: 4 });
    expect(values(block(p, 'sales', 'complaintsByStatus'))).toEqual({
      new: 1,
      in_progress: 0,
      to_reply: 0,
      to_revisit: 0,
    });
    expect(values(block(p, 'sales', 'complaintsLate'))).toEqual({ late: 1 });
    expect(values(block(p, 'sales', 'myVisits'))).toEqual({ dueToday: 1, overdue: 1 });
    const orders = block(p, 'sales', 'orders');
    expect(values(orders)).toEqual({ delayed: 1, onTimeRate: 50 });
    expect(orders.items[1]?.to).toBe('/orders/performance?from=2026-03-01&to=2026-03-16');
    // sales2 owns only C5.
    expect(values(block(await board(app.co.as.sales2), 'sales', 'myCustomersByGrade'))).toEqual({
      A: 1,
      B: 0,
      C: 0,
      none: 0,
    });
  });

  it('leaves out what a reader below the records cannot see, at company level', async () => {
    const gm = await board(app.co.as.gm);
    const low = await board(app.co.as.lowgm);
    expect(values(block(gm, 'management', 'customersByGrade'))).toEqual({ A: 3, B: 1, C: 1, none: 1 });
    expect(values(block(low, 'management', 'customersByGrade'))).toEqual({ A: 3, B: 1, C: 0, none: 1 });
    expect(values(block(gm, 'management', 'orders'))).toEqual({ delayed: 2, onTimeRate: 33.3 });
    expect(values(block(low, 'management', 'orders'))).toEqual({ delayed: 1, onTimeRate: 50 });
    expect(values(block(gm, 'management', 'visits'))).toEqual({ dueToday: 1, overdue: 2 });
    expect(values(block(low, 'management', 'visits'))).toEqual({ dueToday: 1, overdue: 1 });
    expect(values(block(gm, 'management', 'filings'))).toEqual({ filingOverdue: 6 });
    expect(values(block(low, 'management', 'filings'))).toEqual({ filingOverdue: 5 });
    expect(values(block(gm, 'management', 'complaintsByStatus')).new).toBe(2);
    expect(values(block(low, 'management', 'complaintsByStatus')).new).toBe(1);
    expect(values(block(gm, 'management', 'complaintsLate'))).toEqual({ late: 2 });
    expect(values(block(low, 'management', 'complaintsLate'))).toEqual({ late: 1 });
    const years = (b: Block) => b.items.map((i) => [i.key, i.value]);
    expect(years(block(gm, 'management', 'holdings'))).toEqual([
      ['2022', 0],
      ['2023', 0],
      ['2024', 1],
      ['2025', 0],
      ['2026', 4],
    ]);
    expect(values(block(low, 'management', 'holdings'))['2026']).toBe(2);
  });

  it('shows the archivist loans, filings, appraisals due and holdings', async () => {
    const p = await board(app.co.as.archivist);
    expect(values(block(p, 'archive', 'lending'))).toEqual({ out: 0, overdue: 0 });
    expect(values(block(p, 'archive', 'filings'))).toEqual({ filingOverdue: 6 });
    expect(values(block(p, 'archive', 'appraisalDue'))).toEqual({ appraisalDue: 0 });
    expect(values(block(p, 'archive', 'holdings'))).toMatchObject({ 2024: 1, 2026: 4 });
  });

  it('shows quality the complaints, actions, acknowledgements and satisfaction', async () => {
    const p = await board(app.co.as.qa1);
    expect(values(block(p, 'quality', 'complaintsByStatus')).new).toBe(2);
    expect(values(block(p, 'quality', 'complaintsLate'))).toEqual({ late: 2 });
    expect(values(block(p, 'quality', 'actions'))).toEqual({ open: 0, overdue: 0 });
    expect(values(block(p, 'quality', 'srAcknowledgements'))).toEqual({ pending: 0 });
    const index = block(p, 'quality', 'satisfaction');
    expect(index).toMatchObject({
      unit: 'index',
      items: [{ value: null, to: '/surveys/results?period=2026' }],
    });
  });

  // Every figure opens a list; the list's own count for that address must be the figure.
  it.each(['sales1', 'lowgm', 'gm', 'archivist', 'qa1'] as const)(
    "each figure of %s's dashboard is what the list it opens counts",
    async (who) => {
      const as = app.co.as[who];
      const countOf = async (to: string): Promise<number | null> => {
        const [path, query = ''] = to.split('?');
        const get = async (url: string) => {
          const res = await as.get(url);
          expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
          return res.json();
        };
        if (path === '/customers') return (await get(`/api/customers/count?${query}`)).count;
        if (path === '/documents') return (await get(`/api/documents/count?${query}`)).count;
        if (path === '/retention/due') return (await get('/api/retention/due/count')).count;
        if (path === '/cases') {
          const counts = await get(`/api/cases/counts?${query}`);
          const status = new URLSearchParams(query).get('status');
          return status
            ? counts[status]
            : Object.values(counts as Record<string, number>).reduce((s, n) => s + n, 0);
        }
        if (path === '/visits') return (await get(`/api/visits?${query}&limit=100`)).items.length;
        if (path === '/actions') return (await get(`/api/actions?${query}&limit=100`)).items.length;
        if (path === '/orders/delayed') return (await get('/api/orders/delayed?limit=100')).items.length;
        if (path === '/lending/desk') {
          const state = new URLSearchParams(query).get('tab');
          return (await get(`/api/loans?state=${state}&limit=100`)).items.length;
        }
        return null; // percentages and indexes open a statistics page, not a list
      };
      let checked = 0;
      for (const panel of await board(as))
        for (const b of panel.blocks)
          for (const i of b.items) {
            const n = await countOf(i.to);
            if (n === null) continue;
            expect(n, `${b.key}.${i.key} → ${i.to}`).toBe(i.value);
            checked++;
          }
      expect(checked).toBeGreaterThan(3);
    },
  );
});
