import { describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { readXlsx } from '../../test-support/sheets.js';

// Archive statistics and the 统计年报 (篇八 第五十、五十一条) through HTTP, on a fixture whose counts
// are worked out by hand. Departments: 销售部 (华东销售组 below it) and 品质部.
//
// Service: a complaint of archive A (销售部) received 2026-02-01, late on its resolve clock by
// 03-02; visits of A due 03-05 (done) and 03-20 (open) in 2026 and one in 2027.
//
// Documents (registered by the general manager unless said; category default retention: records
// D10, agreements D30 unless given, customer_supplied D30, laws D30):
//      registered  category           dept  own secrecy  effective  retention carrier  year
// D1   2025-06-01  records            销售  普通         普通       D10       paper    2025 (issued 2025-05-10)
// D6   2025-06-01  records            销售  普通         普通       D10       electronic 2025, destroyed 2026-02-01
// D2   2026-03-02  records            品质  秘密 (by qa1) 秘密      D10       electronic 2026
// D3   2026-03-02  agreements         销售  普通         普通       Y         both     2026
// D4   2026-03-02  customer_supplied  销售  普通, in archive C (机密) → 机密  D30  electronic 2026
// D5   2026-03-02  laws (shared)      品质  普通         普通       D30       electronic 2026
// D7   2026-03-02  records            销售  绝密         绝密       D10       electronic 2026
//
// Holdings 2026 (as of 2026-03-02), general manager (绝密): D1 D2 D3 D4 D5 D7 = 6; added 5 (D2 D3 D4
// D5 D7), destroyed 1 (D6). Category in configured order: 法律法规 1, 客户提供资料 1, 合同与协议 1,
// 内部文件与记录 3. Year: 2025 1, 2026 5. Retention: 永久 1, 定期30年 2, 定期10年 3. Carrier: 纸质 1,
// 电子 4, 纸质+电子 1. Secrecy: 普通 3, 秘密 1, 机密 1, 绝密 1.
// The archivist (机密) counts all but D7: 5. salesmgr (销售部 manager, 秘密) counts what he sees:
// D1 and D3 (his department) and D5 (a shared category) = 3 — not D2 (品质部), D4 (机密 by its
// archive), D7 (绝密). Holdings 2025 for the general manager: D1 and D6 = 2, added 2.
//
// 查阅 2026: sales1 reads D1 twice, D3 once and archive B (销售部, 普通) once; qa1 reads D2; the
// general manager reads D4 and D7. (sales1 also read D1 in 2025: not counted in 2026.)
//   general manager: 7 — 销售部 6, 品质部 1; 客户档案 1, 客户提供资料 1, 合同与协议 1, 内部文件与记录 4.
//   archivist: 6 (not D7) — 销售部 5, 品质部 1; 内部文件与记录 3.
//   salesmgr: the reads of his departments' people of what he counts: sales1's 4.
// 借阅 2026, granted: R1 sales1 电子查阅/查阅 D1 + archive B; R2 sales1 实物借阅/借阅 D3; R3 qa1
// 电子查阅/复制 D2; R5 sales3 电子查阅/打印 D4 (机密: salesboss and the general manager approve);
// R4 sales1 D1, still pending: not counted.
//   general manager: 4 requests — 销售部 3, 品质部 1; 查阅 1, 借阅 1, 复制/摘抄 1, 打印 1; 电子查阅 3,
//   实物借阅 1; 5 items — 客户档案 1, 客户提供资料 1, 合同与协议 1, 内部文件与记录 2.
//   salesmgr: R1 and R2 (R3 is 品质部's, R5 above his clearance): 2 requests, 3 items.

type Json = Record<string, unknown>;
type Bucket = { key: string | null; name: string; value: number; query: Record<string, string> | null };
type Table = { code: string; buckets: Bucket[]; total: number };

const values = (t: Table | undefined) => Object.fromEntries((t?.buckets ?? []).map((b) => [b.name, b.value]));
const tableOf = (body: Json, code: string) => (body.tables as Table[]).find((t) => t.code === code);

describe('archive statistics (篇八 第五十、五十一条)', () => {
  const app = companyApp();
  const ids: Record<string, string> = {};
  let sales3: Client;
  let salesboss: Client;
  let auditor: Client;

  const ok = async (res: { statusCode: number; body: string; json: () => unknown }, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as Json;
  };
  const doc = async (as: Client, key: string, body: Json) => {
    ids[key] = (
      await ok(await as.post('/api/documents', { title: `文件${key}`, category: 'records', ...body }), 201)
    ).id as string;
  };
  const archive = async (key: string, body: Json) => {
    const res = await app.co.as.gm.post('/api/customers', {
      category: 'general',
      kind: 'business',
      departmentId: app.co.sales,
      ...body,
    });
    ids[key] = (await ok(res, 201)).id as string;
  };
  const read = async (as: Client, key: string, times = 1, type = 'documents') => {
    for (let i = 0; i < times; i++) await ok(await as.get(`/api/${type}/${ids[key]}`));
  };
  const request = async (as: Client, body: Json) =>
    (
      await ok(
        await as.post('/api/access-requests', {
          mode: 'electronic',
          purpose: 'read',
          reason: '审核需要',
          ...body,
        }),
        201,
      )
    ).id as string;
  const item = (key: string, targetType = 'document') => ({ targetType, targetId: ids[key] });
  const approve = async (as: Client, id: string) =>
    ok(await as.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' }));

  it('sets up the fixture', async () => {
    const { t, co } = app;
    await travel(t, co, '2025-06-01T02:00:00.000Z');
    await doc(co.as.gm, 'D1', { departmentId: co.sales, carrier: 'paper', issueDate: '2025-05-10' });
    await doc(co.as.gm, 'D6', { departmentId: co.sales });
    await read(co.as.sales1, 'D1');

    await travel(t, co, '2026-02-01T02:00:00.000Z');
    // Destruction takes an appraisal and a signed register (retention tests); here only its outcome.
    await t.database.db
      .updateTable('documents')
      .set({ status: 'destroyed', destroyed_at: '2026-02-01T02:00:00.000Z' })
      .where('id', '=', ids.D6 as string)
      .execute();

    // A complaint received 02-01: its resolve clock (10 working days) is breached by 03-02.
    await archive('A', { name: '苏州投诉客户有限公司' });
    await ok(
      await co.as.gm.post('/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId: ids.A,
        channel: 'phone',
        content: '支架孔位偏移',
        severity: 'normal',
      }),
      201,
    );

    await travel(t, co, '2026-03-02T02:00:00.000Z');
    // Two follow-up visits due this year, one done; one due next year is not counted.
    for (const dueDate of ['2026-03-05', '2026-03-20', '2027-01-10'])
      await ok(await co.as.gm.post('/api/visits', { customerId: ids.A, dueDate, way: 'phone' }), 201);
    const visits = await t.database.db.selectFrom('visit_tasks').select('id').orderBy('due_date').execute();
    await ok(
      await co.as.gm.post(`/api/visits/${visits[0]?.id}/complete`, {
        visitedOn: '2026-03-02',
        way: 'phone',
        content: '电话回访，问题已解决',
      }),
    );
    sales3 = await seedUser(t, 'sales3', ['staff'], {
      departmentId: co.sales,
      clearance: 'confidential',
    }).then(() => signIn(t.app, 'sales3'));
    salesboss = await seedUser(t, 'salesboss', ['department_manager'], {
      departmentId: co.sales,
      clearance: 'top_secret',
    }).then(() => signIn(t.app, 'salesboss'));
    auditor = await seedUser(t, 'auditor1', ['auditor'], { clearance: 'normal' }).then(() =>
      signIn(t.app, 'auditor1'),
    );
    await archive('B', { name: '杭州普通客户有限公司' });
    await archive('C', { name: '南京机密客户有限公司', secrecy: 'confidential' });
    await doc(co.as.qa1, 'D2', { secrecy: 'secret', issueDate: '2026-01-05' });
    await doc(co.as.gm, 'D3', {
      departmentId: co.sales,
      category: 'agreements',
      retention: 'Y',
      carrier: 'both',
    });
    await doc(co.as.gm, 'D4', {
      departmentId: co.sales,
      category: 'customer_supplied',
      customerId: ids.C,
      issueDate: '2026-02-10',
    });
    await doc(co.as.gm, 'D5', { departmentId: co.quality, category: 'laws' });
    await doc(co.as.gm, 'D7', { departmentId: co.sales, secrecy: 'top_secret' });

    await read(co.as.sales1, 'D1', 2);
    await read(co.as.sales1, 'D3');
    await read(co.as.sales1, 'B', 1, 'customers');
    await read(co.as.qa1, 'D2');
    await read(co.as.gm, 'D4');
    await read(co.as.gm, 'D7');

    const r1 = await request(co.as.sales1, { items: [item('D1'), item('B', 'customer')] });
    await approve(co.as.salesmgr, r1);
    const r2 = await request(co.as.sales1, { mode: 'physical', purpose: 'borrow', items: [item('D3')] });
    await approve(co.as.salesmgr, r2);
    // 合同与协议 are 受控档案: the general manager approves too.
    expect((await approve(co.as.gm, r2)).status).toBe('approved');
    const r3 = await request(co.as.qa1, { purpose: 'copy', items: [item('D2')] });
    await approve(co.as.qamgr, r3);
    await request(co.as.sales1, { items: [item('D1')] });
    const r5 = await request(sales3, { purpose: 'print', items: [item('D4')] });
    await approve(salesboss, r5);
    const last = await approve(co.as.gm, r5);
    expect(last.status).toBe('approved');
  });

  it('counts the holdings at the end of the year by category, year, retention, carrier and effective secrecy', async () => {
    const { as } = app.co;
    const gm = await ok(await as.gm.get('/api/statistics/holdings?year=2026'));
    expect(gm).toMatchObject({ year: 2026, asOf: '2026-03-02', total: 6, added: 5, destroyed: 1 });
    expect(tableOf(gm, 'holdings_category')?.buckets.map((b) => [b.name, b.value])).toEqual([
      ['法律法规、政府发文', 1],
      ['客户提供资料', 1],
      ['合同与协议', 1],
      ['内部文件与记录', 3],
    ]);
    expect(values(tableOf(gm, 'holdings_year'))).toEqual({ 2025: 1, 2026: 5 });
    expect(tableOf(gm, 'holdings_retention')?.buckets.map((b) => [b.name, b.value])).toEqual([
      ['永久', 1],
      ['定期30年', 2],
      ['定期10年', 3],
    ]);
    expect(values(tableOf(gm, 'holdings_carrier'))).toEqual({ 纸质: 1, 电子: 4, '纸质+电子': 1 });
    expect(values(tableOf(gm, 'holdings_secrecy'))).toEqual({ 普通: 3, 秘密: 1, 机密: 1, 绝密: 1 });
    for (const t of gm.tables as Table[]) expect(t.total, t.code).toBe(6);

    // A bar opens the documents list with the same filter, and the list counts what the bar does.
    const records = tableOf(gm, 'holdings_category')?.buckets.find((b) => b.key === 'records');
    expect(records?.query).toEqual({ held: 'true', category: 'records' });
    const listed = await ok(
      await as.gm.get(`/api/documents/count?${new URLSearchParams(records?.query ?? {})}`),
    );
    expect(listed.count).toBe(3);
    const confidential = tableOf(gm, 'holdings_secrecy')?.buckets.find((b) => b.name === '机密');
    expect(
      (await ok(await as.gm.get(`/api/documents/count?${new URLSearchParams(confidential?.query ?? {})}`)))
        .count,
    ).toBe(1);

    // The archivist (机密) does not count the 绝密 record; salesmgr counts what he may see.
    const archivist = await ok(await as.archivist.get('/api/statistics/holdings?year=2026'));
    expect(archivist.total).toBe(5);
    expect(values(tableOf(archivist, 'holdings_secrecy'))).toEqual({ 普通: 3, 秘密: 1, 机密: 1 });
    const salesmgr = await ok(await as.salesmgr.get('/api/statistics/holdings?year=2026'));
    expect(salesmgr).toMatchObject({ total: 3, added: 2, destroyed: 1 });
    expect(values(tableOf(salesmgr, 'holdings_category'))).toEqual({
      '法律法规、政府发文': 1,
      合同与协议: 1,
      内部文件与记录: 1,
    });
    expect(values(tableOf(salesmgr, 'holdings_secrecy'))).toEqual({ 普通: 3 });
    // The sum of what a restricted reader counts is what the documents list shows him.
    expect((await ok(await as.salesmgr.get('/api/documents/count?status=current'))).count).toBe(3);

    for (const [code, bucket] of [
      ['holdings_year', '2025'],
      ['holdings_carrier', '纸质+电子'],
      ['holdings_retention', '永久'],
    ]) {
      const b = tableOf(gm, code as string)?.buckets.find((x) => x.name === bucket);
      const n = await ok(await as.gm.get(`/api/documents/count?${new URLSearchParams(b?.query ?? {})}`));
      expect(n.count, `${code} ${bucket}`).toBe(b?.value);
    }

    // A past year: counted as at its last day; the list (records as they are now) is not offered.
    const y2025 = await ok(await as.gm.get('/api/statistics/holdings?year=2025'));
    expect(y2025).toMatchObject({ asOf: '2025-12-31', total: 2, added: 2, destroyed: 0 });
    expect((y2025.tables as Table[]).every((t) => t.buckets.every((b) => b.query === null))).toBe(true);
  });

  it('counts reads and granted requests of the year by department, purpose, mode and category', async () => {
    const { as } = app.co;
    const gm = await ok(await as.gm.get('/api/statistics/use?year=2026'));
    expect(gm).toMatchObject({ year: 2026, reads: 7, requests: 4, items: 5 });
    expect(values(tableOf(gm, 'reads_department'))).toEqual({ 销售部: 6, 品质部: 1 });
    expect(tableOf(gm, 'reads_category')?.buckets.map((b) => [b.name, b.value])).toEqual([
      ['客户档案', 1],
      ['客户提供资料', 1],
      ['合同与协议', 1],
      ['内部文件与记录', 4],
    ]);
    expect(values(tableOf(gm, 'lending_department'))).toEqual({ 销售部: 3, 品质部: 1 });
    expect(values(tableOf(gm, 'lending_purpose'))).toEqual({ 查阅: 1, 借阅: 1, '复制/摘抄': 1, 打印: 1 });
    expect(values(tableOf(gm, 'lending_mode'))).toEqual({ 电子查阅: 3, 实物借阅: 1 });
    expect(values(tableOf(gm, 'lending_category'))).toEqual({
      客户档案: 1,
      客户提供资料: 1,
      合同与协议: 1,
      内部文件与记录: 2,
    });

    const archivist = await ok(await as.archivist.get('/api/statistics/use?year=2026'));
    expect(archivist).toMatchObject({ reads: 6, requests: 4 });
    expect(values(tableOf(archivist, 'reads_department'))).toEqual({ 销售部: 5, 品质部: 1 });
    expect(values(tableOf(archivist, 'reads_category'))).toMatchObject({ 内部文件与记录: 3 });

    const salesmgr = await ok(await as.salesmgr.get('/api/statistics/use?year=2026'));
    expect(salesmgr).toMatchObject({ reads: 4, requests: 2, items: 3 });
    expect(values(tableOf(salesmgr, 'reads_category'))).toEqual({
      客户档案: 1,
      合同与协议: 1,
      内部文件与记录: 2,
    });
    expect(values(tableOf(salesmgr, 'lending_department'))).toEqual({ 销售部: 2 });

    const y2025 = await ok(await as.gm.get('/api/statistics/use?year=2025'));
    expect(y2025).toMatchObject({ reads: 1, requests: 0, items: 0 });
  });

  it('summarises complaints, visits, satisfaction and delivery from their modules, each as its reader may', async () => {
    const { as } = app.co;
    const gm = await ok(await as.gm.get('/api/statistics/service?year=2026'));
    expect(gm).toEqual({
      year: 2026,
      complaints: { received: 1, late: 1, onTimeRate: 0 },
      visits: { due: 2, done: 1, open: 1 },
      satisfaction: { responses: 0, index: null },
      delivery: { lines: 0, onTime: 0, rate: null },
    });
    // The archivist may not read survey results: that figure is absent, not zero.
    const archivist = await ok(await as.archivist.get('/api/statistics/service?year=2026'));
    expect(archivist.satisfaction).toBeNull();
    // Nor does anyone count what their modules do not let them see: 2025 had nothing.
    const y2025 = await ok(await as.salesmgr.get('/api/statistics/service?year=2025'));
    expect(y2025).toMatchObject({ complaints: { received: 0 }, visits: { due: 0 } });
    // A department manager of another department sees neither the complaint nor the visits.
    const qamgr = await ok(await as.qamgr.get('/api/statistics/service?year=2026'));
    expect(qamgr).toMatchObject({ complaints: { received: 0 }, visits: { due: 0 } });
  });

  it('lets only the overseers and department managers read them, and audits each read', async () => {
    const { as } = app.co;
    for (const who of [as.sales1, as.qa1, as.admin])
      expect((await who.get('/api/statistics/holdings')).statusCode, who.login).toBe(403);
    expect((await auditor.get('/api/statistics/holdings')).statusCode).toBe(200);
    expect((await as.gm.get('/api/statistics/holdings?year=1999')).statusCode).toBe(400);
    const entries = await app.t.database.db
      .selectFrom('audit_log')
      .select(['actor_login', 'details', 'secrecy'])
      .where('action', '=', 'statistics.read')
      .orderBy('seq', 'desc')
      .execute();
    const own = entries.filter((e) => e.actor_login === 'salesmgr');
    expect(own.length).toBeGreaterThan(0);
    // The general manager's entries are as secret as the most secret record counted.
    const gmHoldings = (year: number) =>
      entries.find((e) => e.actor_login === 'gm' && e.details === JSON.stringify({ part: 'holdings', year }));
    expect(gmHoldings(2026)?.secrecy).toBe(3);
    expect(gmHoldings(2025)?.secrecy).toBe(0);
    expect(own.every((e) => e.secrecy <= 1)).toBe(true);
  });

  it('exports the 统计年报 as .xlsx, CSV and PDF with the same numbers', async (ctx) => {
    const { as } = app.co;
    const xlsx = await as.gm.get('/api/statistics/report.xlsx?year=2026');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('archive-statistics-2026.xlsx');
    const overview = await readXlsx(xlsx.rawPayload);
    expect(overview.slice(0, 4)).toEqual([
      ['项目', '数值'],
      ['统计年度', '2026'],
      ['统计截止日', '2026-03-02'],
      ['馆藏文件总数（件）', '6'],
    ]);

    const csv = await as.salesmgr.get('/api/statistics/tables/holdings_secrecy.csv?year=2026');
    expect(csv.statusCode).toBe(200);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      '密级,数量,占比',
      '普通,3,100%',
      '合计,3,100%',
      '',
    ]);
    const reads = await as.gm.get('/api/statistics/tables/reads_department.csv?year=2026');
    expect(reads.body).toContain('销售部,6,85.7%');

    const pdf = await as.gm.get('/api/statistics/report.pdf?year=2026');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    await expectGlyphsDrawn(pdf.rawPayload);
    const pages = await ocrPdf(ctx, pdf.rawPayload);
    const text = pages.join('');
    expectRead(text, '2026年度档案统计年报', 1);
    expectRead(text, '馆藏按门类', 1);
    expectRead(text, '内部文件与记录', 1);
    expectRead(text, '服务指标', 1);
    const exported = await app.t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'statistics.export')
      .execute();
    expect(exported.map((e) => JSON.parse(e.details ?? '{}').format).sort()).toEqual([
      'csv',
      'csv',
      'pdf',
      'xlsx',
    ]);
  });
});
