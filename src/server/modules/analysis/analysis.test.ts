import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp, uscc } from '../../test-support/customers.js';
import { gbk, multipart, readXlsx, xlsx } from '../../test-support/sheets.js';

// Customer analysis through HTTP on a fixture computed by hand: a sales ledger imported from
// .xlsx (and a month of it again from a GBK CSV, which replaces that month only), ABC over ten
// customers with a customer straddling 75 % under both straddle rules and per category, applying
// the grades (history, and nothing changes the second time), composition with a drill-down, the
// seasonal index of three years, product contribution with stock levels, who sees what (a
// restricted reader's totals are the sums of what they may see; amounts only to price roles),
// exports, bad rows, rights.
//
// Sales 2026-01 (product P1, 60 %) and 2026-02 (product P2, 40 %), ten archives K1…K10 of
// sales1's department, K10 机密 (owned by the gm) — totals 1000.00:
//   K1 400 (key)  K2 200  K3 160  K4 90 (key)  K5 50  K6 40  K7 30 (key)  K8 15  K9 10  K10 5
//   cumulative %:  40, 60, 76, 85, 90, 94, 97, 98.5, 99.5, 100
//   upper (straddler takes the grade above): A K1–K3 (76 %), B K4–K7, C K8–K10 (+ K11, no sales)
//   lower (graded where it ends):            A K1–K2 (60 %), B K3–K6, C K7–K10 (+ K11)
// Category 重点客户 (key): K1 400, K4 90, K7 30 = 520: cumulative 76.92, 94.23, 100 →
//   upper: A K1, B K4, K7 (starts at 94.23 < 95).
// Products: P1 600 (margin 25 % = 150), P2 400 (margin 50 % = 200); stock P1 300 / 100 → mean 200,
//   P2 80 / 120 → mean 100; turnover 3 and 4; cross ratio 0.75 and 2; share 0.6 and 0.4;
//   contribution 0.45 and 0.8.
// Seasonal (product SEA on K1, 2023–2025): month m sold m×10, m×20, m×30 → sum m×60, mean m×20;
//   all months 4680, monthly mean 130; index m×1200×60/4680: Jan 15.38, Jun 92.31, Dec 184.62;
//   annual target 78000 → month m: m×1000.

type Json = Record<string, unknown>;
const AMOUNTS = [400, 200, 160, 90, 50, 40, 30, 15, 10, 5];
const KEY = new Set([0, 3, 6]);

async function finished(client: Client, id: string): Promise<Json & { result: Json; status: string }> {
  for (let i = 0; i < 2400; i++) {
    const job = (await client.get(`/api/jobs/${id}`)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

async function importSheet(client: Client, fileName: string, content: Buffer, kind = 'sales') {
  const up = async (dryRun: boolean) => {
    const { payload, headers } = multipart(fileName, content);
    return client.inject({
      method: 'POST',
      url: `/api/analysis/imports?kind=${kind}&dryRun=${dryRun}`,
      payload,
      headers,
    });
  };
  const res = await up(true);
  expect(res.statusCode, res.body).toBe(202);
  const dry = await finished(client, res.json().job.id);
  return {
    dry,
    commit: async () => {
      const c = await client.post(`/api/analysis/imports/${dry.id}/commit`, {});
      expect(c.statusCode, c.body).toBe(202);
      return finished(client, c.json().job.id);
    },
  };
}

describe('customer analysis (R-A1, R-A2, R-A3, R-A5)', () => {
  const app = companyApp();
  const archives: { id: string; archiveCode: string; creditCode: string }[] = [];
  let k11: { id: string };

  const archive = async (by: Client, i: number, category: string, secrecy = 'normal') => {
    const res = await by.post('/api/customers', {
      name: `分析测试客户${i}号有限公司`,
      category,
      kind: 'business',
      creditCode: uscc(7000 + i),
      registeredAddress: '苏州市工业园区星湖街1号',
      industry: '汽车零部件',
      region: i % 2 ? '江苏' : '浙江',
      contacts: [{ name: '王工', mobile: '13800000000', isPrimary: true }],
      secrecy,
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string; creditCode: string };
  };

  beforeAll(async () => {
    const { co } = app;
    for (let i = 0; i < 10; i++)
      archives.push(
        await archive(
          i === 9 ? co.as.gm : co.as.sales1,
          i + 1,
          KEY.has(i) ? 'key' : 'general',
          i === 9 ? 'confidential' : 'normal',
        ),
      );
    k11 = await archive(co.as.sales1, 11, 'general');
    // The ledger: two rows per archive (P1 in January, P2 in February), by archive code except
    // K2, named by its credit code; K1 also sold SEA monthly in 2023–2025 for the season.
    const rows: (string | number)[][] = [
      ['客户编号或信用代码*', '日期或月份*', '产品编码*', '产品名称', '数量', '销售额*', '毛利'],
    ];
    archives.forEach((a, i) => {
      const amount = AMOUNTS[i] as number;
      const who = i === 1 ? a.creditCode : a.archiveCode;
      rows.push([
        who,
        '2026-01-15',
        'P1',
        '制动钳',
        1,
        (amount * 0.6).toFixed(2),
        (amount * 0.6 * 0.25).toFixed(2),
      ]);
      rows.push([
        who,
        '2026年2月',
        'P2',
        '制动盘',
        1,
        (amount * 0.4).toFixed(2),
        (amount * 0.4 * 0.5).toFixed(2),
      ]);
    });
    for (const [y, f] of [
      [2023, 10],
      [2024, 20],
      [2025, 30],
    ] as const)
      for (let m = 1; m <= 12; m++)
        rows.push([
          archives[0]?.archiveCode as string,
          `${y}-${String(m).padStart(2, '0')}`,
          'SEA',
          '季节件',
          '',
          m * f,
          '',
        ]);
    const { dry, commit } = await importSheet(co.as.gm, '销售台账.xlsx', await xlsx(rows));
    expect(dry.status).toBe('succeeded');
    expect(dry.result).toMatchObject({
      dryRun: true,
      rows: 56,
      failed: 0,
      period: { from: '2023-01', to: '2026-02' },
      replaced: 0,
    });
    const done = await commit();
    expect(done.result).toMatchObject({ dryRun: false, rows: 56, created: 56, replaced: 0 });
    const stock = await importSheet(
      co.as.gm,
      '库存.xlsx',
      await xlsx([
        ['产品编码*', '月份*', '产品名称', '库存数量', '库存金额*'],
        ['P1', '2026-01', '制动钳', 30, 300],
        ['P1', '2026-02', '制动钳', 10, 100],
        ['P2', '2026-01', '制动盘', 8, 80],
        ['P2', '2026-02', '制动盘', 12, 120],
      ]),
      'stock',
    );
    expect(stock.dry.result).toMatchObject({ rows: 4, failed: 0 });
    await stock.commit();
  });

  const abc = async (as: Client, query: string, period = 'from=2026-01&to=2026-02') => {
    const res = await as.get(`/api/analysis/abc?${period}${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      customers: number;
      withoutSales: number;
      total: string | null;
      changes: number;
      grades: { grade: string; customers: number; share: number; amount: string | null }[];
      rows: {
        rank: number;
        archiveCode: string;
        grade: string;
        amount: string | null;
        cumulativeShare: number;
      }[];
      rowCount: number;
      pareto: { customers: number; share: number }[];
    };
  };
  const gradesOf = (rows: { archiveCode: string; grade: string }[]) =>
    archives.map((a) => rows.find((r) => r.archiveCode === a.archiveCode)?.grade ?? '-').join('');

  it('grades ten customers: the one straddling 75 % is A under the default rule', async () => {
    const a = await abc(app.co.as.gm, '&limit=50');
    expect(a.customers).toBe(10);
    expect(a.withoutSales).toBeGreaterThanOrEqual(1); // K11 (and any other archive without sales)
    expect(a.total).toBe('1000.00');
    expect(gradesOf(a.rows)).toBe('AAABBBBCCC');
    expect(a.rows.map((r) => r.cumulativeShare)).toEqual([40, 60, 76, 85, 90, 94, 97, 98.5, 99.5, 100]);
    expect(a.grades.map((g) => [g.grade, g.share, g.amount])).toEqual([
      ['A', 76, '760.00'],
      ['B', 21, '210.00'],
      ['C', 3, '30.00'],
    ]);
    expect(a.grades[2]?.customers).toBe(3 + a.withoutSales);
    expect(a.pareto.at(-1)).toEqual({ customers: 100, share: 100 });
    // Paging and the grade filter.
    const b = await abc(app.co.as.gm, '&grade=B&limit=2&offset=1');
    expect(b.rowCount).toBe(4);
    expect(b.rows.map((r) => r.rank)).toEqual([5, 6]);
  });

  it('grades the straddling customer B under the other rule, and within a category', async () => {
    const put = await app.co.as.admin.put('/api/analysis/settings', { abcStraddle: 'lower' });
    expect(put.statusCode, put.body).toBe(200);
    expect(gradesOf((await abc(app.co.as.gm, '')).rows)).toBe('AABBBBCCCC');
    await app.co.as.admin.put('/api/analysis/settings', { abcStraddle: 'upper' });
    const key = await abc(app.co.as.gm, '&category=key');
    expect(key.rows.map((r) => [r.archiveCode, r.grade, r.cumulativeShare])).toEqual([
      [archives[0]?.archiveCode, 'A', 76.92],
      [archives[3]?.archiveCode, 'B', 94.23],
      [archives[6]?.archiveCode, 'B', 100],
    ]);
    // Boundaries out of order are refused, in Chinese.
    const bad = await app.co.as.admin.put('/api/analysis/settings', { abcA: 90, abcB: 80 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('B 类界限须大于 A 类界限');
    expect((await app.co.as.sales1.put('/api/analysis/settings', { abcA: 70 })).statusCode).toBe(403);
  });

  it('totals what a restricted reader may see, and amounts only for price roles', async () => {
    // The sales manager (cleared for 秘密) does not see K10 (机密): 995.00 over nine customers.
    const mgr = await abc(app.co.as.salesmgr, '');
    expect(mgr.total).toBe('995.00');
    expect(mgr.customers).toBe(9);
    expect(mgr.rows.some((r) => r.archiveCode === archives[9]?.archiveCode)).toBe(false);
    const sum = mgr.rows.reduce((s, r) => s + Number(r.amount), 0);
    expect(sum.toFixed(2)).toBe(mgr.total);
    // A salesperson sees the ranking and shares, not amounts.
    const s1 = await abc(app.co.as.sales1, '');
    expect(s1.total).toBeNull();
    expect(s1.rows.every((r) => r.amount === null)).toBe(true);
    expect(s1.customers).toBe(9);
    // The composition by category the manager sees sums to what he sees.
    const c = (
      await app.co.as.salesmgr.get('/api/analysis/composition?from=2026-01&to=2026-02&dimension=category')
    ).json();
    expect(c.total).toBe('995.00');
    expect(c.rows.reduce((s: number, r: { amount: string }) => s + Number(r.amount), 0).toFixed(2)).toBe(
      '995.00',
    );
    // Nor in any other table, export or drill-down: each sums to what he sees.
    const hidden = archives[9]?.archiveCode as string;
    const csv = (await app.co.as.salesmgr.get('/api/analysis/abc.csv?from=2026-01&to=2026-02')).body;
    expect(csv).not.toContain(hidden);
    expect(csv.split('\r\n').filter((l) => /^\d+,/.test(l))).toHaveLength(9);
    const season = (await app.co.as.salesmgr.get('/api/analysis/seasonal?year=2026&years=1')).json();
    const seasonTotal = season.months.reduce(
      (t: number, m: { byYear: string[] }) => t + Number(m.byYear[0]),
      0,
    );
    expect(seasonTotal.toFixed(2)).toBe('995.00');
    const products = (await app.co.as.salesmgr.get('/api/analysis/products?from=2026-01&to=2026-02')).json();
    expect(products.rows.reduce((t: number, r: { sales: string }) => t + Number(r.sales), 0).toFixed(2)).toBe(
      '995.00',
    );
    const drill = (
      await app.co.as.salesmgr.get(
        '/api/analysis/composition?from=2026-01&to=2026-02&dimension=customer&product=P1',
      )
    ).json();
    expect(drill.rows.map((r: { label: string }) => r.label)).not.toContain('分析测试客户10号有限公司');
    expect(drill.total).toBe('597.00');
    // Someone in quality sees none of the sales department's archives.
    const qa = await abc(app.co.as.qa1, '');
    expect([qa.customers, qa.total]).toEqual([0, null]);
  });

  it('applies the grades with a history entry each, and a second run changes nothing', async () => {
    const { co } = app;
    expect(
      (await co.as.sales1.post('/api/analysis/abc/runs', { from: '2026-01', to: '2026-02' })).statusCode,
    ).toBe(403);
    const before = await abc(co.as.gm, '');
    expect(before.changes).toBe(10 + before.withoutSales);
    const run = await co.as.gm.post('/api/analysis/abc/runs', { from: '2026-01', to: '2026-02' });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json()).toMatchObject({
      changed: 10 + before.withoutSales,
      thresholdA: 75,
      thresholdB: 95,
      straddle: 'upper',
    });
    const k1 = (await co.as.gm.get(`/api/customers/${archives[0]?.id}`)).json();
    expect(k1.grade).toBe('A');
    const k8 = (await co.as.gm.get(`/api/customers/${archives[7]?.id}`)).json();
    expect(k8.grade).toBe('C');
    expect((await co.as.gm.get(`/api/customers/${k11.id}`)).json().grade).toBe('C');
    const history = (await co.as.gm.get(`/api/customers/${archives[3]?.id}/history`)).json();
    const entry = (
      history.items as { field: string; oldValue: unknown; newValue: unknown; note: string }[]
    ).find((h) => h.field === 'grade');
    expect(entry).toMatchObject({ oldValue: null, newValue: 'B' });
    expect(entry?.note).toContain('ABC 2026-01～2026-02');
    expect(entry?.note).toContain('A ≤ 75%');
    // The same data again: nothing to change, no new history.
    expect((await abc(co.as.gm, '')).changes).toBe(0);
    const again = await co.as.gm.post('/api/analysis/abc/runs', { from: '2026-01', to: '2026-02' });
    expect(again.json().changed).toBe(0);
    const after = (await co.as.gm.get(`/api/customers/${archives[3]?.id}/history`)).json();
    expect(after.items.filter((h: { field: string }) => h.field === 'grade')).toHaveLength(1);
    const runs = (await co.as.gm.get('/api/analysis/abc/runs')).json();
    expect(runs.items.map((r: { changed: number }) => r.changed)).toEqual([0, 10 + before.withoutSales]);
    // A period without sales grades nobody.
    const empty = await co.as.gm.post('/api/analysis/abc/runs', { from: '2020-01', to: '2020-12' });
    expect(empty.statusCode).toBe(409);
    expect(empty.body).toContain('没有销售数据');
  });

  it('breaks sales down by category, product and salesperson, with a drill-down', async () => {
    const get = async (q: string) => {
      const res = await app.co.as.gm.get(`/api/analysis/composition?from=2026-01&to=2026-02${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        rows: { key: string; label: string; amount: string; share: number; customers: number }[];
      };
    };
    expect(
      (await get('&dimension=category')).rows.map((r) => [r.key, r.label, r.amount, r.share, r.customers]),
    ).toEqual([
      ['key', '重点客户', '520.00', 52, 3],
      ['general', '一般客户', '480.00', 48, 7],
    ]);
    expect((await get('&dimension=product')).rows.map((r) => [r.key, r.amount, r.share])).toEqual([
      ['P1', '600.00', 60],
      ['P2', '400.00', 40],
    ]);
    expect((await get('&dimension=product&category=key')).rows.map((r) => [r.key, r.amount])).toEqual([
      ['P1', '312.00'],
      ['P2', '208.00'],
    ]);
    const people = (await get('&dimension=salesperson')).rows.map((r) => [r.label, r.amount]);
    expect(people).toEqual([
      ['sales1', '995.00'],
      ['gm', '5.00'],
    ]);
  });

  it('computes the seasonal index of three years and spreads a target by it', async () => {
    const res = await app.co.as.gm.get('/api/analysis/seasonal?year=2025&product=SEA&target=78000');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.years).toEqual([2023, 2024, 2025]);
    expect(s.overallAverage).toBe('130.00');
    expect(s.months[0]).toEqual({
      month: 1,
      byYear: ['10.00', '20.00', '30.00'],
      average: '20.00',
      index: 15.38,
      target: '1000.00',
    });
    expect(s.months[5].index).toBe(92.31);
    expect(s.months[11]).toMatchObject({ average: '240.00', index: 184.62, target: '12000.00' });
    expect(s.months.reduce((t: number, m: { index: number }) => t + m.index, 0)).toBeCloseTo(1200, 1);
    const bad = await app.co.as.gm.get('/api/analysis/seasonal?target=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('金额须为不小于 0 的数字');
  });

  it('computes turnover, cross ratio and contribution per product', async () => {
    const res = await app.co.as.gm.get('/api/analysis/products?from=2026-01&to=2026-02');
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as Json[];
    expect(
      rows.map((r) => [
        r.productCode,
        r.sales,
        r.grossMargin,
        r.marginRate,
        r.averageStock,
        r.turnover,
        r.crossRatio,
        r.share,
        r.contribution,
      ]),
    ).toEqual([
      ['P2', '400.00', '200.00', 0.5, '100.00', 4, 2, 0.4, 0.8],
      ['P1', '600.00', '150.00', 0.25, '200.00', 3, 0.75, 0.6, 0.45],
    ]);
  });

  it('replaces a re-imported month, from a GBK CSV, and leaves the other months', async () => {
    const { co } = app;
    const a1 = archives[0]?.archiveCode as string;
    const csv = gbk(
      `客户编号或信用代码,日期或月份,产品编码,产品名称,数量,销售额,毛利\r\n${a1},2026-02,P2,制动盘,1,1000,100\r\n`,
    );
    const { dry, commit } = await importSheet(co.as.gm, '二月台账.csv', csv);
    // February held ten rows (one per archive): all of them are replaced by the one row.
    expect(dry.result).toMatchObject({
      rows: 1,
      failed: 0,
      period: { from: '2026-02', to: '2026-02' },
      replaced: 10,
    });
    await commit();
    const a = await abc(co.as.gm, '');
    // January as before (600.00) + February 1000.00.
    expect(a.total).toBe('1600.00');
    expect(a.rows[0]).toMatchObject({ archiveCode: a1, amount: '1240.00' });
  });

  it('names the bad rows of a ledger and writes nothing; an archive not visible is unknown', async () => {
    const { co } = app;
    const hidden = archives[9]?.archiveCode as string;
    const { dry } = await importSheet(
      co.as.salesmgr,
      '有错的台账.xlsx',
      await xlsx([
        ['客户编号或信用代码', '日期或月份', '产品编码', '销售额'],
        ['KH-NONE', '2026-03', 'P1', '10'],
        [hidden, '2026-03', 'P1', '10'],
        [archives[0]?.archiveCode as string, '2026-13', 'P1', '10'],
        [archives[0]?.archiveCode as string, '2026-03', 'P1', '十元'],
        [archives[0]?.archiveCode as string, '2026-03', '', '-5.5'],
      ]),
    );
    expect(dry.result).toMatchObject({ rows: 5, failed: 5, created: 0 });
    const problems = (dry.result as { problems: { row: number; message: string }[] }).problems;
    expect(problems.map((p) => p.row)).toEqual([2, 3, 4, 5, 6]);
    expect(problems[0]?.message).toContain('不存在或无权查看');
    expect(problems[1]?.message).toContain('不存在或无权查看');
    expect(problems[2]?.message).toContain('无法识别');
    expect(problems[3]?.message).toContain('金额须为数字');
    expect(problems[4]?.message).toContain('必填');
    const errors = await co.as.salesmgr.get(`/api/analysis/imports/${dry.id}/errors.xlsx`);
    expect(errors.statusCode).toBe(200);
    const sheet = await readXlsx(errors.rawPayload);
    expect(sheet[1]?.at(-1)).toContain('不存在或无权查看');
    // Committing a dry run with errors writes nothing.
    const c = await co.as.salesmgr.post(`/api/analysis/imports/${dry.id}/commit`, {});
    const job = await finished(co.as.salesmgr, c.json().job.id);
    expect(job.result).toMatchObject({ failed: 5, created: 0 });
    expect((await abc(co.as.gm, '', 'from=2026-03&to=2026-03')).customers).toBe(0);
    // A salesperson may not import; a missing column is said before any row.
    const { payload, headers } = multipart('x.xlsx', await xlsx([['客户', '月份']]));
    const staff = await co.as.sales1.inject({
      method: 'POST',
      url: '/api/analysis/imports',
      payload,
      headers,
    });
    expect(staff.statusCode).toBe(403);
    const missing = await importSheet(
      co.as.gm,
      'x.xlsx',
      await xlsx([
        ['客户编号', '月份'],
        ['x', '2026-01'],
      ]),
    );
    expect(missing.dry.status).toBe('failed');
    expect(String(missing.dry.error)).toContain('产品编码');
  });

  it('exports each table as .xlsx and CSV with Chinese headers', async () => {
    const x = await app.co.as.gm.get('/api/analysis/abc.xlsx?from=2026-01&to=2026-02');
    expect(x.statusCode).toBe(200);
    const rows = await readXlsx(x.rawPayload);
    expect(rows[0]).toEqual([
      '排名',
      '客户编号',
      '客户名称',
      '客户类别',
      '销售额',
      '占比',
      '累计占比',
      'ABC 等级',
      '档案现等级',
    ]);
    expect(rows).toHaveLength(11);
    const csv = await app.co.as.salesmgr.get(
      '/api/analysis/composition.csv?from=2026-01&to=2026-02&dimension=product',
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('产品,销售额,占比,客户数');
    const seasonal = await app.co.as.gm.get('/api/analysis/seasonal.csv?year=2025&product=SEA');
    expect(seasonal.body).toContain('1 月,10,20,30,20,15.38%');
    const products = await app.co.as.gm.get('/api/analysis/products.xlsx?from=2026-01&to=2026-02');
    expect((await readXlsx(products.rawPayload))[0]).toContain('交叉比率');
  });

  it('counts the sales of a merged archive for the archive it was merged into', async () => {
    const { co } = app;
    const [k8, k9] = [archives[7], archives[8]] as { id: string; archiveCode: string }[];
    const res = await co.as.gm.post(`/api/customers/${k8?.id}/merge`, {
      sourceId: k9?.id,
      note: '同一家公司',
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const a = await abc(co.as.gm, '&limit=50');
    expect(a.rows.some((r) => r.archiveCode === k9?.archiveCode)).toBe(false);
    // January only (February was replaced by the CSV above): K8 9.00 + K9 6.00.
    expect(a.rows.find((r) => r.archiveCode === k8?.archiveCode)?.amount).toBe('15.00');
  });

  it('shows the dashboard the shares of the last twelve months of sales by grade', async () => {
    // Today 2026-03-02: 2025-03…2026-02. A: K1 240 + 1000 + SEA 2,250 (2025-03…12), K2 120, K3 96
    // = 3,706; B: K4 54, K5 30, K6 24, K7 18 = 126; C: K8 9 + K9 6 (merged), K10 3 = 18; of 3,850.
    const res = await app.co.as.gm.get('/api/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const block = res
      .json()
      .panels.flatMap((p: { blocks: Json[] }) => p.blocks)
      .find((b: Json) => b.key === 'salesByGrade') as {
      unit: string;
      items: { key: string; value: number; to: string }[];
    };
    expect(block.unit).toBe('percent');
    expect(block.items.map((i) => [i.key, i.value])).toEqual([
      ['A', 96.26],
      ['B', 3.27],
      ['C', 0.47],
      ['none', 0],
    ]);
    expect(block.items[0]?.to).toBe('/customers?grade=A');
  });

  it('refuses what the probe found: partial grading, stock by a manager, stray months, broken files', async () => {
    const { co } = app;
    // The sales manager does not see K10 (机密): grades ranked among part of the archives are refused.
    const partial = await co.as.salesmgr.post('/api/analysis/abc/runs', { from: '2026-01', to: '2026-02' });
    expect(partial.statusCode).toBe(403);
    expect(partial.body).toContain('无权查看所选范围内的部分客户档案');
    // Runs and imports are listed to those who see every archive; others see their own.
    expect((await co.as.salesmgr.get('/api/analysis/abc/runs')).json().items).toEqual([]);
    expect((await co.as.gm.get('/api/analysis/abc/runs')).json().items.length).toBeGreaterThan(0);
    expect(
      (await co.as.salesmgr.get('/api/analysis/imports'))
        .json()
        .items.every((i: Json) => i.fileName === '有错的台账.xlsx'),
    ).toBe(true);
    // Stock is the company's: a department manager may not replace it.
    const { payload, headers } = multipart(
      '库存.xlsx',
      await xlsx([
        ['产品编码', '月份', '库存金额'],
        ['P1', '2026-01', '1'],
      ]),
    );
    const stock = await co.as.salesmgr.inject({
      method: 'POST',
      url: '/api/analysis/imports?kind=stock',
      payload,
      headers,
    });
    expect(stock.statusCode).toBe(403);
    // A month before 1990 or after this one is a row error, not a period to replace.
    const k1 = archives[0]?.archiveCode as string;
    const stray = await importSheet(
      co.as.gm,
      '年份有误.xlsx',
      await xlsx([
        ['客户编号或信用代码', '日期或月份', '产品编码', '销售额'],
        [k1, '0000-01', 'P1', '1'],
        [k1, '2062-01', 'P1', '1'],
      ]),
    );
    expect(stray.dry.result).toMatchObject({ rows: 2, failed: 2, created: 0 });
    expect((stray.dry.result as { problems: { message: string }[] }).problems[0]?.message).toContain(
      '1990-01',
    );
    // A CSV with a broken quote and a .xlsx that is no workbook: a Chinese reason, not an error page.
    for (const [name, body] of [
      ['坏引号.csv', Buffer.from('客户编号或信用代码,日期或月份,产品编码,销售额\r\nKH1,"2026-01"x,P1,1\r\n')],
      ['假表格.xlsx', Buffer.from('not a zip at all')],
    ] as const) {
      const bad = await importSheet(co.as.gm, name, body);
      expect(bad.dry.status).toBe('failed');
      expect(String(bad.dry.error)).toContain('文件无法读取');
    }
    // A formula written by Excel into an unquoted CSV cell is text, not a broken quote.
    const formula = await importSheet(
      co.as.gm,
      '公式.csv',
      Buffer.from(
        `客户编号或信用代码,日期或月份,产品编码,产品名称,销售额\r\n${k1},2026-01,P1,=HYPERLINK("http://x"),1\r\n`,
      ),
    );
    expect(formula.dry.result).toMatchObject({ rows: 1, failed: 0 });
    // Without prices, the product table gives shares only (ratios would give the amounts back).
    const p = (await co.as.sales1.get('/api/analysis/products?from=2026-01&to=2026-02')).json();
    expect(
      p.rows.every((x: Json) => x.turnover === null && x.marginRate === null && Number(x.share) > 0),
    ).toBe(true);
  });

  it('shows the sales director the figures of his department on the home page', async () => {
    const res = await app.co.as.salesmgr.get('/api/dashboard');
    const blocks = res.json().panels.flatMap((p: { blocks: Json[] }) => p.blocks) as {
      key: string;
      items: { key: string; value: number }[];
    }[];
    const grades = blocks.find((b) => b.key === 'customersByGrade');
    // Nine archives he sees (not K10), graded A 3, B 4, C 2 (K8, and K9 merged away); K11 C too.
    expect(grades?.items.map((i) => [i.key, i.value])).toEqual([
      ['A', 3],
      ['B', 4],
      ['C', 2],
      ['none', 0],
    ]);
    expect(blocks.some((b) => b.key === 'myCustomersByGrade')).toBe(false);
  });
});
