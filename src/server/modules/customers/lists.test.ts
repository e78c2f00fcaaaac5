import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { type Company, companyApp, seedCompany, uscc } from '../../test-support/customers.js';

type Json = Record<string, unknown>;

async function readSheet(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]?.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))),
  );
  return rows;
}

describe('customer lists, search and registers', () => {
  let t: TestApp;
  let co: Company;
  const make = (body: Json) =>
    co.as.sales1.post('/api/customers', { category: 'general', kind: 'business', ...body });

  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    await make({
      name: '深圳市华为技术有限公司',
      creditCode: uscc(11),
      region: '深圳',
      industry: '通信',
      grade: 'A',
      category: 'key',
    });
    await make({
      name: '佛山市三目照明电器有限公司',
      creditCode: uscc(12),
      region: '佛山',
      industry: '照明',
      grade: 'B',
      phone: '0757-83216688',
    });
    await make({
      name: '广州合同评审咨询有限公司',
      region: '广州',
      industry: '咨询',
      grade: 'C',
      contacts: [{ name: '欧阳明', mobile: '13512345678' }],
    });
    await make({
      name: 'Bosch Automotive (Suzhou) Co., Ltd.',
      region: '苏州',
      industry: '汽车零部件',
      kind: 'supplier',
    });
    for (let i = 0; i < 6; i++) await make({ name: `分页客户${i}`, region: '东莞' });
  });
  afterAll(() => t.close());

  const names = async (query: string) =>
    ((await co.as.sales1.get(`/api/customers?${query}`)).json().items as Json[]).map((c) => c.name);

  it.each([
    ['华为', ['深圳市华为技术有限公司']],
    ['合同', ['广州合同评审咨询有限公司']],
    ['照明电器', ['佛山市三目照明电器有限公司']],
    ['KH20260002', ['佛山市三目照明电器有限公司']],
    ['20260003', ['广州合同评审咨询有限公司']],
    [uscc(11).slice(-6), ['深圳市华为技术有限公司']],
    ['欧阳', ['广州合同评审咨询有限公司']],
    ['13512345678', ['广州合同评审咨询有限公司']],
    ['83216688', ['佛山市三目照明电器有限公司']],
    ['bosch suzhou', ['Bosch Automotive (Suzhou) Co., Ltd.']],
    ['小米', []],
    ["' OR 1=1 --", []],
  ])('search %s', async (q, expected) => {
    expect(await names(`q=${encodeURIComponent(q)}`)).toEqual(expected);
  });

  it('shows the newest matches first when searching, unless asked for another order', async () => {
    expect(await names(`q=${encodeURIComponent('有限公司')}`)).toEqual([
      '广州合同评审咨询有限公司',
      '佛山市三目照明电器有限公司',
      '深圳市华为技术有限公司',
    ]);
    expect(await names(`q=${encodeURIComponent('有限公司')}&sort=archiveCode`)).toEqual([
      '深圳市华为技术有限公司',
      '佛山市三目照明电器有限公司',
      '广州合同评审咨询有限公司',
    ]);
    const first = (
      await co.as.sales1.get(`/api/customers?q=${encodeURIComponent('有限公司')}&limit=2`)
    ).json();
    const rest = (
      await co.as.sales1.get(
        `/api/customers?q=${encodeURIComponent('有限公司')}&limit=2&cursor=${first.nextCursor}`,
      )
    ).json();
    expect([...first.items, ...rest.items].map((c: Json) => c.name)).toEqual(
      await names(`q=${encodeURIComponent('有限公司')}`),
    );
  });

  it('filters by category, kind, grade, region, industry, owner and department', async () => {
    expect(await names('category=key')).toEqual(['深圳市华为技术有限公司']);
    expect(await names('kind=supplier')).toEqual(['Bosch Automotive (Suzhou) Co., Ltd.']);
    expect(await names('grade=B')).toEqual(['佛山市三目照明电器有限公司']);
    expect(await names(`region=${encodeURIComponent('东莞')}&limit=3`)).toHaveLength(3);
    expect(await names(`industry=${encodeURIComponent('照明')}`)).toEqual(['佛山市三目照明电器有限公司']);
    expect(await names(`ownerId=${co.ids.sales2}`)).toEqual([]);
    expect((await names(`ownerId=${co.ids.sales1}`)).length).toBe(10);
    expect((await names(`departmentId=${co.sales}`)).length).toBe(10);
    expect(await names(`q=${encodeURIComponent('有限公司')}&grade=A`)).toEqual(['深圳市华为技术有限公司']);
    expect(
      (await co.as.sales1.get(`/api/customers/count?region=${encodeURIComponent('东莞')}`)).json(),
    ).toEqual({ count: 6 });
  });

  it('pages with a keyset in every sort order without gaps or repeats', async () => {
    for (const [sort, order] of [
      ['archiveCode', 'asc'],
      ['name', 'desc'],
      ['updatedAt', 'desc'],
      ['filingDueDate', 'asc'],
    ]) {
      const all = (await co.as.sales1.get(`/api/customers?sort=${sort}&order=${order}&limit=200`))
        .json()
        .items.map((c: Json) => c.id);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res = (
          await co.as.sales1.get(
            `/api/customers?sort=${sort}&order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          )
        ).json() as { items: Json[]; nextCursor: string | null };
        paged.push(...res.items.map((c) => c.id as string));
        cursor = res.nextCursor;
      } while (cursor);
      expect(paged, `${sort} ${order}`).toEqual(all);
      expect(new Set(paged).size).toBe(10);
    }
  });

  it('lists owners and the primary contact without a query per row', async () => {
    const item = (
      (await co.as.sales1.get(`/api/customers?q=${encodeURIComponent('合同')}`)).json().items as Json[]
    )[0];
    expect(item).toMatchObject({
      owners: ['sales1'],
      primaryContact: { name: '欧阳明', phone: '13512345678' },
      departmentName: '销售部',
    });
  });

  it('exports the filtered list as 客户档案一览表 with Chinese headers, and records the export', async () => {
    const res = await co.as.sales1.get(`/api/customers/export.xlsx?region=${encodeURIComponent('佛山')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('客户档案一览表'));
    const rows = await readSheet(res.rawPayload as Buffer);
    expect(rows[0]?.slice(0, 5)).toEqual([
      '档案编号',
      '客户名称',
      '统一社会信用代码',
      '客户类别',
      '客户种类',
    ]);
    expect(rows).toHaveLength(2);
    const header = rows[0] as string[];
    const row = Object.fromEntries(header.map((h, i) => [h, rows[1]?.[i]]));
    expect(row).toMatchObject({
      档案编号: 'KH20260002',
      客户名称: '佛山市三目照明电器有限公司',
      客户类别: '一般客户',
      客户种类: '业务客户',
      电话: '0757-83216688',
      负责人: 'sales1',
      所属部门: '销售部',
      状态: '待备案',
      密级: '普通',
    });
    const audit = (await co.as.admin.get('/api/audit?action=customer.export')).json().items;
    expect(audit[0]).toMatchObject({
      actorLogin: 'sales1',
      details: { rows: 1, filter: { region: '佛山' } },
    });
  });

  it('reports missing fields, stale archives, overdue filings and late changes (R-C11)', async () => {
    expect((await co.as.sales1.get('/api/customers/check')).statusCode).toBe(403);
    const fresh = (await co.as.salesmgr.get('/api/customers/check')).json();
    expect(fresh.overdueFilings.count).toBe(0);
    expect(fresh.stale.count).toBe(0);
    expect(fresh.missingFields.count).toBe(10);
    const huawei = fresh.missingFields.items.find((c: Json) => c.name === '深圳市华为技术有限公司');
    expect(huawei.missing).toEqual(['registeredAddress', 'contacts']);
    const hetong = fresh.missingFields.items.find((c: Json) => c.name === '广州合同评审咨询有限公司');
    expect(hetong.missing).toEqual(['registeredAddress']);

    // Seven months later nothing has moved: every archive is stale and overdue.
    t.clock.set('2026-10-02T01:00:00Z');
    try {
      const { signIn } = await import('../../test-support/app.js');
      const mgr = await signIn(t.app, 'salesmgr');
      const later = (await mgr.get('/api/customers/check')).json();
      expect(later.overdueFilings.count).toBe(10);
      expect(later.stale.count).toBe(10);
      const s1 = await signIn(t.app, 'sales1');
      const id = ((await s1.get('/api/customers?limit=1')).json().items as Json[])[0]?.id;
      await s1.patch(`/api/customers/${id}`, { region: '中山', changeDate: '2026-09-01' });
      const after = (await mgr.get('/api/customers/check?staleMonths=6')).json();
      expect(after.stale.count).toBe(9);
      const xlsx = await mgr.get('/api/customers/check.xlsx?staleMonths=6');
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '逾期未备案',
        '缺少必填信息',
        '长期未更新',
        '逾期登记的变动',
      ]);
      expect(wb.worksheets.map((w) => w.actualRowCount)).toEqual([11, 11, 10, 2]);
      expect(wb.worksheets[1]?.getRow(1).getCell(9).value).toBe('缺少的信息');
      expect(String(wb.worksheets[1]?.getRow(2).getCell(9).value)).toContain('注册地址');
      expect(wb.worksheets[3]?.getRow(2).getCell(3).value).toBe('地区');
      expect((await s1.get('/api/customers/check.xlsx')).statusCode).toBe(403);
      expect(after.lateChanges.items).toEqual([
        expect.objectContaining({ field: 'region', changeDate: '2026-09-01', actorName: 'sales1' }),
      ]);
    } finally {
      t.clock.set('2026-03-02T01:00:00Z');
    }
  });
});

describe('customer configuration', () => {
  let t: TestApp;
  let co: Company;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
  });
  afterAll(() => t.close());

  it('has the default lists of R-C4 and is readable by everyone, changeable by administrators', async () => {
    const cfg = (await co.as.sales1.get('/api/customer-config')).json();
    const labels = (list: string) =>
      cfg.lookups.filter((l: Json) => l.list === list).map((l: Json) => l.label);
    expect(labels('category')).toEqual(['目标客户', '一般客户', '重点客户', '潜在客户']);
    expect(labels('kind')).toEqual(['业务客户', '供应商', '合作伙伴']);
    expect(cfg.settings).toMatchObject({ archiveCodePattern: '{type}{yyyy}{seq:4}', filingDays: 5 });

    expect(
      (await co.as.sales1.put('/api/customer-config/lookups/category/vip', { label: '贵宾' })).statusCode,
    ).toBe(403);
    const kind = await co.as.admin.put('/api/customer-config/lookups/kind/hotel', { label: '酒店客人' });
    expect(kind.json().errors[0]).toMatchObject({ field: 'prefix', code: 'required' });
    expect(
      (
        await co.as.admin.put('/api/customer-config/lookups/kind/hotel', { label: '酒店客人', prefix: 'jd' })
      ).json(),
    ).toMatchObject({
      prefix: 'JD',
      active: true,
    });
    expect(
      (await co.as.sales1.post('/api/customers', { name: '住客', category: 'general', kind: 'hotel' })).json()
        .archiveCode,
    ).toBe('JD20260001');
    await co.as.admin.put('/api/customer-config/lookups/kind/hotel', {
      label: '酒店客人',
      prefix: 'JD',
      active: false,
    });
    const inactive = await co.as.sales1.post('/api/customers', {
      name: '住客二',
      category: 'general',
      kind: 'hotel',
    });
    expect(inactive.json().errors[0]).toMatchObject({ field: 'kind', code: 'lookup' });

    const bad = await co.as.admin.put('/api/customer-config/settings', {
      archiveCodePattern: '{yyyy}-{seq:4}',
    });
    expect(bad.json().errors[0]).toMatchObject({ field: 'archiveCodePattern', code: 'pattern' });
    const days = await co.as.admin.put('/api/customer-config/settings', {
      filingDays: 3,
      filingRequiredFields: ['region'],
    });
    expect(days.json()).toMatchObject({ filingDays: 3, filingRequiredFields: ['region'] });
    const c = await co.as.sales1.post('/api/customers', {
      name: '三天备案',
      category: 'general',
      kind: 'business',
    });
    expect(c.json().filingDueDate).toBe('2026-03-05');
    const audit = (await co.as.admin.get('/api/audit?action=customer_config.settings')).json().items;
    expect(audit[0].details.changes.filingDays).toEqual({ from: 5, to: 3 });
  });
});

describe('customer order by name', () => {
  const s = companyApp();

  it('sorts as people read the names: full-width letters, case, brackets and 有限责任公司 do not split them', async () => {
    for (const name of [
      '（佛山）丙科技有限公司',
      'Abe贸易有限责任公司',
      'abd贸易有限公司',
      'ＡＢＣ贸易有限公司',
    ]) {
      const res = await s.co.as.sales1.post('/api/customers', {
        category: 'general',
        kind: 'business',
        name,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const names = async (order: string) =>
      ((await s.co.as.sales1.get(`/api/customers?sort=name&order=${order}`)).json().items as Json[]).map(
        (c) => c.name,
      );
    const expected = [
      'ＡＢＣ贸易有限公司',
      'abd贸易有限公司',
      'Abe贸易有限责任公司',
      '（佛山）丙科技有限公司',
    ];
    expect(await names('asc')).toEqual(expected);
    expect(await names('desc')).toEqual([...expected].reverse());
    const page = (await s.co.as.sales1.get('/api/customers?sort=name&limit=2')).json();
    const rest = (
      await s.co.as.sales1.get(`/api/customers?sort=name&limit=2&cursor=${page.nextCursor}`)
    ).json();
    expect([...page.items, ...rest.items].map((c: Json) => c.name)).toEqual(expected);
  });

  it('refuses a cursor made by hand with the wrong kind of key', async () => {
    const forged = Buffer.from(JSON.stringify(['abc', 'not-a-number'])).toString('base64url');
    for (const sort of ['name', 'relevance']) {
      const res = await s.co.as.sales1.get(`/api/customers?sort=${sort}&cursor=${forged}`);
      expect(res.statusCode, sort).toBe(400);
      expect(res.json().code).toBe('invalid_cursor');
    }
  });
});
