import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { readXlsx } from '../../test-support/sheets.js';
import { nearestRank } from './stats.js';

// Complaint statistics (R-Q6) and the registers (R-W3) through HTTP, on a fixture of ten
// complaints and one service request over October … December 2026, each step taken at a chosen
// time on the injected clock. The expected numbers are worked out by hand below, on the working-day
// calendar (National Day 10-01 … 10-07, 10-10 a working Saturday; clocks are due at 18:00 of
// their day; complaints: investigate 1, reply 2, resolve 10 working days from receipt, revisit 5
// from the final reply). "Now" is 2026-12-15 (Tuesday) 10:00.
//
//      customer product  received        steps                                       outcome  cause    handled by
// K1   A        支架     10-12 Mon 09:00 start 10-12 15:00, reply 10-13 10:00,           成立     制造     销售部
//                                        resolve + final reply 10-16 11:00, revisit 10-20 10:00
// K2   A        支架     10-14 Wed 16:00 start + reply 10-16 09:00                     成立     制造     销售部
// K3   B        铜套     10-20 Tue 10:00 不成立 10-20 11:00 (closes all but revisit)    不成立   —        —
// K4   A        支架     11-02 Mon 09:30 start 11-03 17:00, reply 11-05 10:00,         成立     来料     品质部
//                                        resolve 11-10 09:30, final reply 11-10 10:00
// K5   B        —        11-09 Mon 14:00 start 11-09 16:00                              成立     —        品质部
// K6   A        铜套     11-18 Wed 08:00 不成立 11-18 10:00                              不成立   —        —
// K7   D        支架     11-25 Wed 09:00 start 11-26 09:00, reply 11-27 09:00,         成立     设计     品质部
//                                        resolve 12-10 09:00, final reply 12-10 10:00
// K8   B        支架     12-01 Tue 10:00 (not triaged)                                  —        —        —
// K9   A        支架     12-14 Mon 09:00 (not triaged)                                  —        —        —
// K10  C (机密) 铜套     12-02 Wed 09:00 start 12-02 11:03                              成立     运输     品质部
// S1   B, a service request (报修) received 11-10: not a complaint, so not in the complaint statistics.
//
// Clocks at 12-15 10:00 — met (on time), late (met after due), breached (open, past due), open:
//   investigate (due +1): K1 met 0d 6.0h; K2 late (due 10-15) 2d 41.0h; K3 met 0d 1.0h; K4 met 1d
//     31.5h; K5 met 0d 2.0h; K6 met 0d 2.0h; K7 met 1d 24.0h; K10 met 0d 2.05h → 2.1h;
//     K8 breached (due 12-02); K9 open (due 12-15 18:00).
//     met 7, late 1, breached 1, open 1 → on time 7/9. Days 0,0,0,0,0,1,1,2: median rank ⌈8·0.5⌉=4
//     → 0, p90 rank ⌈7.2⌉=8 → 2. Hours 1, 2, 2, 2.1, 6, 24, 31.5, 41: median 2.1, p90 41.
//   reply (due +2): K1 met 1d 25.0h; K2 met (due 10-16 18:00) 2d 41.0h; K3 met 0d 1.0h; K4 late
//     (due 11-04) 3d 72.5h; K6 met 0d 2.0h; K7 met 2d 48.0h; K5 (due 11-11), K8 (12-03), K10 (12-04)
//     breached; K9 open. met 5, late 1, breached 3, open 1 → 5/9. Days 0,0,1,2,2,3: median rank 3
//     → 1, p90 rank ⌈5.4⌉=6 → 3. Hours 1, 2, 25, 41, 48, 72.5: median 25, p90 72.5.
//   resolve (due +10): K1 met (due 10-26) 4d 98.0h; K3 met 0d 1.0h; K4 met (due 11-16) 6d 192.0h;
//     K6 met 0d 2.0h; K7 late (due 12-09) 11d 360.0h; K2 (due 10-28) and K5 (11-23) breached;
//     K8 (12-15 18:00), K9, K10 (12-16) open. met 4, late 1, breached 2, open 3 → 4/7.
//     Days 0,0,4,6,11: median rank 3 → 4, p90 rank 5 → 11. Hours 1, 2, 98, 192, 360: 98 and 360.
//   revisit (due +5 from the final reply): K1 met (due 10-23) 2d 95.0h; K4 breached (due 11-17);
//     K7 open (due 12-17). → 1/2; days 2 and 2, hours 95 and 95.
// Per month 3 / 4 / 3, 成立 2 / 3 / 1; 成立 6, 不成立 2 → justified rate 6/8. Causes: 制造 2, 来料 1,
// 设计 1, 运输 1, 未确定 5. Departments: 品质部 4 (K4 K5 K7 K10), 销售部 2, 未分派 4. Products: 支架 6,
// 铜套 3, 未填写 1. Customers: A 5, B 3, then C and D 1 each (by name: 南京 before 杭州 in code order).
// Active customer archives (待备案/已备案): A, B, C, D; E is 已停用 → 10 complaints per 4 = 250 per 100.
//
// Who sees what: the general manager (绝密) everything; a general manager cleared only for 普通 all
// but K10 and C; qstaff, a 普通 staff member of 品质部, the cases 品质部 handles or received within
// clearance — K4, K5, K7 — and of the archives only D; east1, staff of 华东销售组 (below 销售部),
// nothing at all.

type Json = Record<string, unknown>;
const shanghai = (day: string, time: string) => `${day}T${time}:00+08:00`;

describe('cases: statistics and registers (R-Q6, R-W3)', () => {
  const app = companyApp();
  const at = (day: string, time: string) =>
    travel(app.t, app.co, new Date(shanghai(day, time)).toISOString());
  const k: Record<string, string> = {};
  const number: Record<string, string> = {};
  const customer: Record<string, string> = {};
  let qstaff: Client;
  let east1: Client;

  const ok = async (res: { statusCode: number; body: string; json: () => unknown }, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as Json;
  };
  const received = async (
    as: Client,
    name: string,
    customerKey: string,
    when: [string, string],
    body: Json = {},
  ) => {
    const c = await ok(
      await as.post('/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId: customer[customerKey],
        channel: 'phone',
        content: `${name} 客户来电投诉`,
        receivedAt: shanghai(...when),
        ...body,
      }),
      201,
    );
    k[name] = c.id as string;
    number[name] = c.number as string;
  };
  const justify = async (as: Client, name: string, department: 'sales' | 'quality', handlerId: string) =>
    ok(
      await as.post(`/api/cases/${k[name]}/triage`, {
        justified: true,
        departmentId: app.co[department],
        handlerId,
      }),
    );
  const refuse = async (name: string) =>
    ok(
      await app.co.as.qa1.post(`/api/cases/${k[name]}/triage`, {
        justified: false,
        reply: { text: '经核实不属于质量问题，已向客户说明。', way: 'phone' },
      }),
    );
  const investigate = async (as: Client, name: string, cause: string) =>
    ok(
      await as.put(`/api/cases/${k[name]}/investigation`, {
        causeCategory: cause,
        analysis: '原因分析',
        solution: '处理方案',
      }),
    );
  const step = async (as: Client, name: string, what: 'start' | 'resolve') =>
    ok(await as.post(`/api/cases/${k[name]}/${what}`));
  const reply = async (as: Client, name: string) =>
    ok(await as.post(`/api/cases/${k[name]}/reply`, { text: '已答复客户', way: 'phone' }));

  it('builds the fixture through the API, each step at its time', async () => {
    const { ids } = app.co;
    await at('2026-10-09', '09:00');
    const create = async (as: Client, key: string, name: string, extra: Json = {}) => {
      customer[key] = (
        await ok(
          await as.post('/api/customers', { name, category: 'general', kind: 'business', ...extra }),
          201,
        )
      ).id as string;
    };
    const { as } = app.co;
    await create(as.sales1, 'A', '苏州精工机械有限公司');
    await create(as.sales1, 'B', '无锡恒通电子有限公司');
    await create(as.qamgr, 'C', '南京机密精密仪器有限公司', { secrecy: 'confidential' });
    await create(as.qamgr, 'D', '杭州质检设备有限公司');
    await create(as.sales1, 'E', '常州停用贸易有限公司');
    await ok(await as.salesmgr.post(`/api/customers/${customer.E}/deactivate`, { note: '不再合作' }));
    await seedUser(app.t, 'qstaff', ['staff'], { departmentId: app.co.quality });

    await at('2026-10-12', '15:00');
    await received(app.co.as.sales1, 'K1', 'A', ['2026-10-12', '09:00'], { product: '支架' });
    await justify(app.co.as.salesmgr, 'K1', 'sales', ids.sales2);
    await step(app.co.as.sales2, 'K1', 'start');
    await investigate(app.co.as.sales2, 'K1', 'manufacturing');
    await at('2026-10-13', '10:00');
    await reply(app.co.as.sales2, 'K1');
    await at('2026-10-16', '09:00');
    await received(app.co.as.sales1, 'K2', 'A', ['2026-10-14', '16:00'], { product: '支架' });
    await justify(app.co.as.salesmgr, 'K2', 'sales', ids.sales2);
    await step(app.co.as.sales2, 'K2', 'start');
    await reply(app.co.as.sales2, 'K2');
    await investigate(app.co.as.sales2, 'K2', 'manufacturing');
    await at('2026-10-16', '11:00');
    await step(app.co.as.sales2, 'K1', 'resolve');
    expect(await reply(app.co.as.sales2, 'K1')).toMatchObject({ status: 'to_revisit' });
    await at('2026-10-20', '10:00');
    const revisited = await ok(
      await app.co.as.qa1.post(`/api/cases/${k.K1}/revisit`, { opinion: 'satisfied', way: 'phone' }),
    );
    expect(revisited.status).toBe('closed');
    await at('2026-10-20', '11:00');
    await received(app.co.as.sales1, 'K3', 'B', ['2026-10-20', '10:00'], { product: '铜套' });
    await refuse('K3');

    await at('2026-11-03', '17:00');
    await received(app.co.as.sales1, 'K4', 'A', ['2026-11-02', '09:30'], { product: '支架' });
    await justify(app.co.as.salesmgr, 'K4', 'quality', ids.qamgr);
    await step(app.co.as.qamgr, 'K4', 'start');
    await investigate(app.co.as.qamgr, 'K4', 'incoming');
    await at('2026-11-05', '10:00');
    await reply(app.co.as.qamgr, 'K4');
    await at('2026-11-09', '16:00');
    await received(app.co.as.sales1, 'K5', 'B', ['2026-11-09', '14:00']);
    await justify(app.co.as.salesmgr, 'K5', 'quality', ids.qamgr);
    await step(app.co.as.qamgr, 'K5', 'start');
    await at('2026-11-10', '09:30');
    await step(app.co.as.qamgr, 'K4', 'resolve');
    await at('2026-11-10', '10:00');
    expect(await reply(app.co.as.qamgr, 'K4')).toMatchObject({ status: 'to_revisit' });
    await received(app.co.as.sales1, 'S1', 'B', ['2026-11-10', '10:00'], { kind: 'service', type: 'repair' });
    await at('2026-11-18', '10:00');
    await received(app.co.as.sales1, 'K6', 'A', ['2026-11-18', '08:00'], { product: '铜套' });
    await refuse('K6');
    await at('2026-11-26', '09:00');
    await received(app.co.as.qa1, 'K7', 'D', ['2026-11-25', '09:00'], { product: '支架' });
    await justify(app.co.as.qa1, 'K7', 'quality', ids.qamgr);
    await step(app.co.as.qamgr, 'K7', 'start');
    await investigate(app.co.as.qamgr, 'K7', 'design');
    await at('2026-11-27', '09:00');
    await reply(app.co.as.qamgr, 'K7');

    await at('2026-12-02', '11:03');
    await received(app.co.as.sales1, 'K8', 'B', ['2026-12-01', '10:00'], { product: '支架' });
    await received(app.co.as.qa1, 'K10', 'C', ['2026-12-02', '09:00'], { product: '铜套' });
    await justify(app.co.as.qa1, 'K10', 'quality', ids.qamgr);
    await step(app.co.as.qamgr, 'K10', 'start');
    await investigate(app.co.as.qamgr, 'K10', 'transport');
    await at('2026-12-10', '09:00');
    await step(app.co.as.qamgr, 'K7', 'resolve');
    await at('2026-12-10', '10:00');
    expect(await reply(app.co.as.qamgr, 'K7')).toMatchObject({ status: 'to_revisit' });
    await at('2026-12-15', '10:00');
    // A customer's words that a spreadsheet would run as a formula.
    await received(app.co.as.sales1, 'K9', 'A', ['2026-12-14', '09:00'], {
      product: '支架',
      content: '=HYPERLINK("http://x.example","点此")',
    });
    qstaff = await signIn(app.t.app, 'qstaff');
    east1 = app.co.as.east1;
  });

  const statsOf = async (as: Client, query = 'from=2026-10&to=2026-12') =>
    ok(await as.get(`/api/cases/stats?${query}`));
  const bucket = (list: unknown, name: string) => (list as Json[]).find((b) => b.name === name) as Json;
  const clockOf = (stats: Json, clock: string) =>
    (stats.clocks as Json[]).find((c) => c.clock === clock) as Json;

  it('counts per month, cause, department, product and customer, with the justified and complaint rates', async () => {
    const s = await statsOf(app.co.as.gm);
    expect(s.period).toEqual({ from: '2026-10', to: '2026-12', months: ['2026-10', '2026-11', '2026-12'] });
    expect(s.total).toMatchObject({ value: 10 });
    expect((s.months as Json[]).map((m) => [m.month, m.value, m.justified])).toEqual([
      ['2026-10', 3, 2],
      ['2026-11', 4, 3],
      ['2026-12', 3, 1],
    ]);
    expect((s.causes as Json[]).map((b) => [b.name, b.value])).toEqual([
      ['设计', 1],
      ['制造', 2],
      ['来料', 1],
      ['运输', 1],
      ['使用', 0],
      ['其他', 0],
      ['未确定', 5],
    ]);
    expect((s.departments as Json[]).map((b) => [b.name, b.value])).toEqual([
      ['品质部', 4],
      ['销售部', 2],
      ['未分派', 4],
    ]);
    expect((s.products as Json[]).map((b) => [b.name, b.value])).toEqual([
      ['支架', 6],
      ['铜套', 3],
      ['未填写', 1],
    ]);
    expect((s.customers as Json[]).map((b) => [b.name, b.value])).toEqual([
      ['苏州精工机械有限公司', 5],
      ['无锡恒通电子有限公司', 3],
      ['南京机密精密仪器有限公司', 1],
      ['杭州质检设备有限公司', 1],
    ]);
    expect(s.justified).toMatchObject({ justified: 6, unjustified: 2, triaged: 8, rate: 6 / 8 });
    expect(s.rate).toEqual({ cases: 10, activeCustomers: 4, per100: 250 });
    // Quality sees every complaint without opening the archives: the rate is over every active
    // archive within clearance, not over the few of its own department.
    expect((await statsOf(app.co.as.qa1)).rate).toEqual({ cases: 10, activeCustomers: 4, per100: 250 });
    // The ECharts data item of a bucket: name and value, with the filter behind it.
    expect(bucket(s.causes, '制造')).toEqual({
      key: 'manufacturing',
      name: '制造',
      value: 2,
      query: { kind: 'complaint', from: '2026-10-01', to: '2026-12-31', cause: 'manufacturing' },
    });
    // Service requests are counted on their own.
    const service = await statsOf(app.co.as.gm, 'from=2026-10&to=2026-12&kind=service');
    expect(service.total).toMatchObject({ value: 1 });
    expect(service.justified).toMatchObject({ triaged: 0, rate: null });
    // Filters narrow every number: one product, one handling department.
    const bracket = await statsOf(
      app.co.as.gm,
      `from=2026-10&to=2026-12&product=${encodeURIComponent('支架')}`,
    );
    expect(bracket.total).toMatchObject({ value: 6 });
    expect((bracket.months as Json[]).map((m) => m.value)).toEqual([2, 2, 2]);
    const quality = await statsOf(app.co.as.gm, `from=2026-11&to=2026-11&departmentId=${app.co.quality}`);
    // November, handled by 品质部: K4, K5, K7.
    expect(quality.total).toMatchObject({ value: 3 });
    expect(quality.period).toMatchObject({ months: ['2026-11'] });
  });

  it('gives each clock its on-time rate and nearest-rank median and p90 in working days and hours', async () => {
    const s = await statsOf(app.co.as.gm);
    const summary = (clock: string) => {
      const c = clockOf(s, clock);
      return [c.met, c.late, c.breached, c.open, c.onTimeRate, c.days, c.hours];
    };
    expect(summary('investigate')).toEqual([
      7,
      1,
      1,
      1,
      7 / 9,
      { count: 8, median: 0, p90: 2 },
      // K10's 2.05 h rounds up to 2.1 and is the 4th of 8: the median.
      { count: 8, median: 2.1, p90: 41 },
    ]);
    expect(summary('reply')).toEqual([
      5,
      1,
      3,
      1,
      5 / 9,
      { count: 6, median: 1, p90: 3 },
      { count: 6, median: 25, p90: 72.5 },
    ]);
    expect(summary('resolve')).toEqual([
      4,
      1,
      2,
      3,
      4 / 7,
      { count: 5, median: 4, p90: 11 },
      { count: 5, median: 98, p90: 360 },
    ]);
    expect(summary('revisit')).toEqual([
      1,
      0,
      1,
      1,
      1 / 2,
      { count: 1, median: 2, p90: 2 },
      { count: 1, median: 95, p90: 95 },
    ]);
  });

  it('nearest-rank percentiles: the smallest value that the share of values does not exceed', () => {
    const dist = (values: number[]) => {
      const m = new Map<number, number>();
      for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
      return m;
    };
    expect(nearestRank(dist([]), 50)).toBeNull();
    expect(nearestRank(dist([7]), 90)).toBe(7);
    expect(nearestRank(dist([4, 1, 3, 2]), 50)).toBe(2);
    // 0.9 × 70 is 63.000…01 in floating point: the 63rd value, not the 64th.
    const seventy = Array.from({ length: 70 }, (_, i) => i + 1);
    expect(nearestRank(dist(seventy), 90)).toBe(63);
    expect(nearestRank(dist(seventy), 50)).toBe(35);
  });

  it('lists exactly the cases behind every number', async () => {
    const s = await statsOf(app.co.as.gm);
    const checks: [string, number, Json][] = [
      ['total', (s.total as Json).value as number, (s.total as Json).query as Json],
    ];
    for (const m of s.months as Json[]) {
      checks.push([`month ${m.month}`, m.value as number, m.query as Json]);
      checks.push([`justified ${m.month}`, m.justified as number, m.justifiedQuery as Json]);
    }
    for (const dimension of ['causes', 'departments', 'products', 'customers'])
      for (const b of s[dimension] as Json[])
        if (b.query) checks.push([`${dimension} ${b.name}`, b.value as number, b.query as Json]);
    const j = s.justified as Json;
    checks.push(['justified', j.justified as number, (j.queries as Json).justified as Json]);
    checks.push(['unjustified', j.unjustified as number, (j.queries as Json).unjustified as Json]);
    for (const c of s.clocks as Json[])
      for (const state of ['met', 'late', 'breached', 'open'])
        checks.push([`${c.clock} ${state}`, c[state] as number, (c.queries as Json)[state] as Json]);
    expect(checks.length).toBeGreaterThan(30);
    for (const [what, value, query] of checks) {
      const params = new URLSearchParams({ ...(query as Record<string, string>), limit: '200' });
      const list = await ok(await app.co.as.gm.get(`/api/cases?${params}`));
      expect((list.items as Json[]).length, `${what}: ${params}`).toBe(value);
    }
    // The breached investigation is K8's, the one open K9's.
    const inv = (clockOf(s, 'investigate').queries as Json).breached as Record<string, string>;
    const breached = await ok(await app.co.as.gm.get(`/api/cases?${new URLSearchParams(inv)}`));
    expect((breached.items as Json[]).map((c) => c.number)).toEqual([number.K8]);
  });

  it('counts only what the reader may see: clearance, department, and nothing for an outsider', async () => {
    // A general manager cleared for 普通 only: K10 and its 机密 archive C are absent.
    await seedUser(app.t, 'lowgm2', ['general_manager'], { departmentId: app.co.sales, clearance: 'normal' });
    const low = await statsOf(await signIn(app.t.app, 'lowgm2'));
    expect(low.total).toMatchObject({ value: 9 });
    expect(low.rate).toEqual({ cases: 9, activeCustomers: 3, per100: 300 });
    expect(JSON.stringify(low)).not.toContain('南京机密');
    expect((low.products as Json[]).map((b) => [b.name, b.value])).toEqual([
      ['支架', 6],
      ['铜套', 2],
      ['未填写', 1],
    ]);

    // 品质部 staff (普通): the cases 品质部 handles or received — K4, K5, K7 — not K10 (机密).
    const q = await statsOf(qstaff);
    expect(q.total).toMatchObject({ value: 3 });
    expect((q.months as Json[]).map((m) => m.value)).toEqual([0, 3, 0]);
    expect((q.customers as Json[]).map((b) => b.name).sort()).toEqual(
      ['苏州精工机械有限公司', '无锡恒通电子有限公司', '杭州质检设备有限公司'].sort(),
    );
    expect(q.rate).toEqual({ cases: 3, activeCustomers: 1, per100: 300 });
    expect(clockOf(q, 'investigate')).toMatchObject({ met: 3, late: 0, breached: 0, open: 0 });
    const qBody = JSON.stringify(q);
    expect(qBody).not.toContain('南京机密');
    expect(qBody).not.toContain(k.K10 as string);
    expect((await ok(await qstaff.get('/api/cases/counts'))).in_progress).toBe(1);

    // Staff of 华东销售组 (below 销售部) see none of 销售部's or 品质部's cases anywhere.
    const e = await statsOf(east1);
    expect(e.total).toMatchObject({ value: 0 });
    expect((e.months as Json[]).map((m) => m.value)).toEqual([0, 0, 0]);
    expect(e.customers).toEqual([]);
    expect(e.departments).toEqual([]);
    expect((e.causes as Json[]).every((b) => b.value === 0)).toBe(true);
    expect(e.rate).toEqual({ cases: 0, activeCustomers: 0, per100: null });
    expect(Object.values(await ok(await east1.get('/api/cases/counts')))).toEqual([0, 0, 0, 0, 0]);
    for (const c of e.clocks as Json[]) expect([c.met, c.late, c.breached, c.open]).toEqual([0, 0, 0, 0]);
    const eRegister = await east1.get('/api/cases/register.xlsx');
    expect(eRegister.statusCode).toBe(200);
    expect(await readXlsx(eRegister.rawPayload)).toHaveLength(1);
    const eCsv = await east1.get('/api/cases/tracking.csv');
    expect(
      eCsv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);
    const eReport = await workbook(
      (await east1.get('/api/cases/stats.xlsx?from=2026-10&to=2026-12')).rawPayload,
    );
    expect(eReport.get('按客户')).toEqual([['客户', '投诉数', '占比']]);

    // Exports of the 品质部 staff member: the same three cases.
    const qRegister = await readXlsx((await qstaff.get('/api/cases/register.xlsx')).rawPayload);
    expect(
      qRegister
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual([number.K4, number.K5, number.K7].sort());
    expect(JSON.stringify(qRegister)).not.toContain('南京机密');
  });

  it('audits statistics as a read and exports with their secrecy', async () => {
    const db = app.t.database.db;
    const last = (action: string, actorId: string) =>
      db
        .selectFrom('audit_log')
        .select(['action', 'secrecy', 'details'])
        .where('action', '=', action)
        .where('actor_id', '=', actorId)
        .orderBy('seq', 'desc')
        .executeTakeFirst();
    await statsOf(app.co.as.gm);
    const read = await last('case.statistics', app.co.ids.gm);
    // What the general manager counted includes K10 of the 机密 archive C.
    expect(read).toMatchObject({ action: 'case.statistics', secrecy: 2 });
    expect(JSON.parse(read?.details as string)).toMatchObject({ cases: 10 });
    await app.co.as.gm.get('/api/cases/register.csv');
    const gmExport = await last('case.export', app.co.ids.gm);
    expect(gmExport?.secrecy).toBe(2);
    expect(JSON.parse(gmExport?.details as string)).toMatchObject({
      register: '服务登记簿',
      format: 'csv',
      rows: 11,
    });
    await qstaff.get('/api/cases/tracking.xlsx');
    const qstaffId = (
      await db.selectFrom('users').select('id').where('login', '=', 'qstaff').executeTakeFirstOrThrow()
    ).id;
    const qExport = await last('case.export', qstaffId);
    expect(qExport?.secrecy).toBe(0);
    expect(JSON.parse(qExport?.details as string)).toMatchObject({ register: '投诉处理追踪表', rows: 3 });
  });

  it('exports 服务登记簿 as .xlsx and as CSV with a byte-order mark', async () => {
    const res = await app.co.as.gm.get('/api/cases/register.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('服务登记簿-20261215.xlsx'));
    const rows = await readXlsx(res.rawPayload);
    const header = rows[0] as string[];
    expect(header.slice(0, 22)).toEqual([
      '序号',
      '编号',
      '类别',
      '类型',
      '客户',
      '联系人',
      '渠道',
      '产品',
      '内容',
      '诉求',
      '受理人',
      '受理时间',
      '严重程度',
      '状态',
      '判定',
      '处理部门',
      '处理人',
      '原因类别',
      '答复时间',
      '关闭时间',
      '回访意见',
      '开始调查期限',
    ]);
    expect(rows).toHaveLength(12);
    const col = (name: string) => header.indexOf(name);
    const k1 = rows.find((r) => r[1] === number.K1) as string[];
    expect(k1[col('类别')]).toBe('投诉');
    expect(k1[col('客户')]).toBe('苏州精工机械有限公司');
    expect(k1[col('受理时间')]).toBe('2026-10-12 09:00:00');
    expect(k1[col('判定')]).toBe('成立');
    expect(k1[col('处理部门')]).toBe('销售部');
    expect(k1[col('原因类别')]).toBe('制造');
    expect(k1[col('状态')]).toBe('已关闭');
    expect(k1[col('回访意见')]).toBe('满意');
    expect(k1[col('开始调查期限')]).toBe('2026-10-13 18:00:00');
    expect(k1[col('开始调查完成时间')]).toBe('2026-10-12 15:00:00');
    expect(k1[col('回访完成时间')]).toBe('2026-10-20 10:00:00');
    expect(k1[col('密级')]).toBe('普通');
    expect((rows.find((r) => r[1] === number.K10) as string[])[col('密级')]).toBe('机密');
    // Oldest first.
    expect(rows[1]?.[1]).toBe(number.K1);
    // Filters as in the list.
    const filtered = await readXlsx(
      (await app.co.as.gm.get(`/api/cases/register.xlsx?cause=manufacturing`)).rawPayload,
    );
    expect(filtered.slice(1).map((r) => r[1])).toEqual([number.K1, number.K2]);

    const csv = await app.co.as.gm.get('/api/cases/register.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(13);
    expect(lines[0]?.split(',').slice(0, 3)).toEqual(['序号', '编号', '类别']);
    // The formula-like customer words are text, quoted with their quotes doubled.
    const k9 = lines.find((l) => l.includes(number.K9 as string)) as string;
    expect(k9).toContain('"\'=HYPERLINK(""http://x.example"",""点此"")"');
  });

  it('exports 投诉处理追踪表: the open cases with each clock’s due, state and time left', async () => {
    const rows = await readXlsx((await app.co.as.gm.get('/api/cases/tracking.xlsx')).rawPayload);
    const header = rows[0] as string[];
    const col = (name: string) => header.indexOf(name);
    // Open: K2, K4, K5, K7, K8, K9, K10 and the service request; K1, K3, K6 are closed.
    expect(rows.slice(1).map((r) => r[1])).toEqual(
      ['K2', 'K4', 'K5', 'S1', 'K7', 'K8', 'K10', 'K9'].map((n) => number[n]),
    );
    const row = (name: string) => rows.find((r) => r[1] === number[name]) as string[];
    // K8's investigation was due 12-02: 12-03 … 12-15 are nine working days.
    expect([
      row('K8')[col('开始调查期限')],
      row('K8')[col('开始调查状态')],
      row('K8')[col('开始调查剩余时间')],
    ]).toEqual(['2026-12-02 18:00:00', '已超期', '已超期 9 个工作日']);
    // K9's is due today at 18:00, eight hours from now.
    expect(row('K9')[col('开始调查剩余时间')]).toBe('剩余 8 小时');
    expect(row('K10')[col('处理完成剩余时间')]).toBe('剩余 1 个工作日');
    expect(row('K4')[col('答复客户状态')]).toBe('超期完成');
    expect(row('K7')[col('回访状态')]).toBe('未到期');
    const csv = await app.co.as.gm.get('/api/cases/tracking.csv?kind=complaint');
    expect(
      csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(8);
  });

  const workbook = async (body: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    return new Map(
      wb.worksheets.map((sheet) => {
        const rows: string[][] = [];
        sheet.eachRow((r) =>
          rows.push(Array.from((r.values as unknown[]).slice(1), (v) => (v == null ? '' : String(v)))),
        );
        return [sheet.name, rows];
      }),
    );
  };

  it('exports the 客户投诉报表 with the same numbers, sheet by sheet', async () => {
    const res = await app.co.as.gm.get('/api/cases/stats.xlsx?from=2026-10&to=2026-12');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('客户投诉报表-20261215.xlsx'));
    const sheets = await workbook(res.rawPayload);
    expect([...sheets.keys()]).toEqual(['概况', '按月', '按原因', '按部门', '按产品', '按客户', '时限']);
    expect(sheets.get('概况')).toContainEqual(['成立率（成立/已判定）', '75%']);
    expect(sheets.get('概况')).toContainEqual(['投诉率（每百家客户）', '250']);
    expect(sheets.get('按月')?.slice(1)).toEqual([
      ['2026-10', '3', '2'],
      ['2026-11', '4', '3'],
      ['2026-12', '3', '1'],
    ]);
    expect(sheets.get('按原因')).toContainEqual(['制造', '2', '20%']);
    expect(sheets.get('按部门')?.slice(1)).toEqual([
      ['品质部', '4', '40%'],
      ['销售部', '2', '20%'],
      ['未分派', '4', '40%'],
    ]);
    expect(sheets.get('按产品')?.[1]).toEqual(['支架', '6', '60%']);
    expect(sheets.get('按客户')?.[1]).toEqual(['苏州精工机械有限公司', '5', '50%']);
    expect(sheets.get('时限')?.slice(1)).toEqual([
      ['开始调查', '7', '1', '1', '1', '77.8%', '0', '2', '2.1', '41'],
      ['答复客户', '5', '1', '3', '1', '55.6%', '1', '3', '25', '72.5'],
      ['处理完成', '4', '1', '2', '3', '57.1%', '4', '11', '98', '360'],
      ['回访', '1', '0', '1', '1', '50%', '2', '2', '95', '95'],
    ]);
  });

  it('refuses a period that runs backwards or is too long', async () => {
    const backwards = await app.co.as.gm.get('/api/cases/stats?from=2026-12&to=2026-10');
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().errors?.[0] ?? backwards.json()).toMatchObject({ field: 'to' });
    const long = await app.co.as.gm.get('/api/cases/stats?from=2000-01&to=2026-12');
    expect(long.statusCode).toBe(422);
    expect(long.json().code).toBe('case_stats_period');
    const bad = await app.co.as.gm.get('/api/cases/stats?from=2026-13');
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    // The default period is the twelve months to this one.
    expect((await statsOf(app.co.as.gm, '')).period).toMatchObject({ from: '2026-01', to: '2026-12' });
  });
});
