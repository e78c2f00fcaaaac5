import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { supersede } from '../../test-support/documents.js';
import { readXlsx } from '../../test-support/sheets.js';
import { addMonths, remindStandards } from './standards.js';

// 查新 (standards currency, 外来文件控制程序 “定期对产品的相关标准的版本进行核查”): standards and laws
// come due a configurable number of months after their last check (else their receipt); a check
// confirms the edition on a date, or the new edition registered through the new-version flow is
// recorded as the check's outcome; the owning department is reminded once per due date; the
// 查新记录 exports as .xlsx and CSV; a reader sees only what they are cleared for.

type Json = Record<string, unknown>;

describe('standards currency (查新)', () => {
  const app = companyApp();
  const ids = {} as Record<'steel' | 'law' | 'secret' | 'drawing', string>;
  const register = async (as: Client, body: Json) => {
    const res = await as.post('/api/documents', { carrier: 'paper', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const due = async (as: Client, query = '') =>
    ((await as.get(`/api/documents/standard-checks/due${query}`)).json().items as Json[]).map((d) => [
      d.title,
      d.edition,
      d.confirmedOn,
      d.dueOn,
    ]);

  beforeAll(async () => {
    const { co } = app;
    await travel(app.t, co, '2026-03-02T02:00:00Z');
    ids.steel = await register(co.as.qa1, {
      title: '冷轧钢板和钢带',
      docNumber: 'GB/T 708-2019',
      category: 'product_standards',
      versionLabel: '2019版',
      receivedDate: '2025-01-10',
    });
    ids.law = await register(co.as.qa1, {
      title: '产品质量法',
      category: 'laws',
      versionLabel: '2018修正',
      receivedDate: '2025-09-01',
    });
    ids.secret = await register(co.as.qa1, {
      title: '机密检验规范',
      category: 'test_standards',
      secrecy: 'confidential',
      receivedDate: '2024-05-01',
    });
    const customer = (
      await co.as.qamgr.post('/api/customers', {
        name: '佛山精工五金厂',
        category: 'general',
        kind: 'business',
      })
    ).json().id;
    ids.drawing = await register(co.as.qa1, {
      title: '支架图纸',
      category: 'customer_supplied',
      customerId: customer,
      receivedDate: '2024-01-01',
    });
  });

  it('adds months by the calendar', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-03-02', -12)).toBe('2025-03-02');
  });

  it('lists the standards and laws due a year after receipt, not customer documents, within clearance', async () => {
    const { as } = app.co;
    expect(await due(as.qa1)).toEqual([
      ['机密检验规范', null, null, '2025-05-01'],
      ['冷轧钢板和钢带', '2019版', null, '2026-01-10'],
    ]);
    // sales1 (普通) sees the shared standards but not the 机密 one.
    expect(await due(as.sales1)).toEqual([['冷轧钢板和钢带', '2019版', null, '2026-01-10']]);
    expect(await due(as.qa1, '?view=all')).toHaveLength(3);
    const byDept = (
      await as.qa1.get(`/api/documents/standard-checks/due?departmentId=${app.co.sales}`)
    ).json();
    expect(byDept).toEqual({ items: [], nextCursor: null });
  });

  it('counts the standards due in the document to-do of the owning department managers and quality staff, within clearance', async () => {
    const { as } = app.co;
    const todo = async (who: Client) => {
      const res = await who.get('/api/documents/todo');
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { approvals: number; copies: number; standardChecks: number };
    };
    // Both due standards belong to 品质部 (registered by qa1): its quality staff and manager count them.
    expect(await todo(as.qa1)).toEqual({ approvals: 0, copies: 0, standardChecks: 2 });
    expect((await todo(as.qamgr)).standardChecks).toBe(2);
    // A quality clerk of 品质部 cleared only for 普通 does not count the 机密 one, as the list does not show it.
    await seedUser(app.t, 'qalow', ['quality'], { departmentId: app.co.quality, clearance: 'normal' });
    const qalow = await signIn(app.t.app, 'qalow');
    expect((await todo(qalow)).standardChecks).toBe(1);
    expect(await due(qalow, `?departmentId=${app.co.quality}`)).toEqual([
      ['冷轧钢板和钢带', '2019版', null, '2026-01-10'],
    ]);
    // Other departments, and those the reminder does not tell (the archivist), count none.
    expect((await todo(as.sales1)).standardChecks).toBe(0);
    expect((await todo(as.salesmgr)).standardChecks).toBe(0);
    expect((await todo(as.archivist)).standardChecks).toBe(0);
  });

  it('confirms a standard as current on a date, which moves its next check a year on', async () => {
    const { as } = app.co;
    // Only those who may update the record check it; a customer document is not checked.
    const refused = await as.sales1.post(`/api/documents/${ids.steel}/standard-checks`, {
      checkedOn: '2026-03-01',
    });
    expect(refused.statusCode).toBe(403);
    const drawing = await as.qa1.post(`/api/documents/${ids.drawing}/standard-checks`, {
      checkedOn: '2026-03-01',
    });
    expect(drawing.statusCode).toBe(422);
    expect(drawing.json().title).toBe('只有外来标准、法规等外来文件（客户提供资料除外）需要查新');
    const future = await as.qa1.post(`/api/documents/${ids.steel}/standard-checks`, {
      checkedOn: '2026-03-03',
    });
    expect(future.statusCode).toBe(422);
    const ok = await as.qa1.post(`/api/documents/${ids.steel}/standard-checks`, {
      checkedOn: '2026-03-01',
      note: '国家标准全文公开系统核对',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ outcome: 'current', edition: '2019版', checkedOn: '2026-03-01' });
    expect(await due(as.qa1)).toEqual([['机密检验规范', null, null, '2025-05-01']]);
    const all = (await as.qa1.get('/api/documents/standard-checks/due?view=all')).json().items as Json[];
    expect(all.find((d) => d.id === ids.steel)).toMatchObject({
      confirmedOn: '2026-03-01',
      dueOn: '2027-03-01',
    });
    const audit = (await as.admin.get('/api/audit?action=document.standard_check')).json().items as Json[];
    expect(audit).toHaveLength(1);
  });

  it('records a new edition registered through the new-version flow, the old one 作废', async () => {
    const { as } = app.co;
    const res = await supersede(as.qa1, ids.law, {
      versionLabel: '2018修正（2023年版）',
      issueDate: '2023-12-29',
      receivedDate: '2026-03-02',
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = (await as.qa1.get(`/api/documents/${ids.law}`)).json();
    expect((doc.versions as Json[]).map((v) => [v.label, v.status])).toEqual(
      expect.arrayContaining([
        ['2018修正', 'obsolete'],
        ['2018修正（2023年版）', 'current'],
      ]),
    );
    const checks = (await as.qa1.get(`/api/documents/standard-checks?documentId=${ids.law}`)).json()
      .items as Json[];
    expect(checks.map((c) => [c.outcome, c.edition, c.checkedOn])).toEqual([
      ['new_edition', '2018修正（2023年版）', '2026-03-02'],
    ]);
  });

  it('takes the interval from the settings', async () => {
    const { as } = app.co;
    expect((await as.qa1.put('/api/document-config/standard-checks', { checkMonths: 3 })).statusCode).toBe(
      403,
    );
    const put = await as.admin.put('/api/document-config/standard-checks', { checkMonths: 3 });
    expect(put.json()).toEqual({ checkMonths: 3 });
    await travel(app.t, app.co, '2026-06-03T02:00:00Z');
    expect((await due(as.qa1)).map((d) => d[0])).toEqual(['机密检验规范', '冷轧钢板和钢带', '产品质量法']);
    await as.admin.put('/api/document-config/standard-checks', { checkMonths: 12 });
    await travel(app.t, app.co, '2026-03-02T02:00:00Z');
  });

  it('reminds the owning department once per due date', async () => {
    const { as } = app.co;
    const reminders = async (who: Client) =>
      ((await who.get('/api/notifications?limit=100')).json().items as Json[])
        .filter((n) => n.kind === 'document.standard_check')
        .map((n) => n.title);
    expect(await remindStandards(app.t.system as Parameters<typeof remindStandards>[0])).toEqual({
      documents: 1,
      departments: 1,
    });
    expect(await reminders(as.qamgr)).toEqual(['1 份外来标准、法规到期需查新']);
    expect(await reminders(as.qa1)).toEqual(['1 份外来标准、法规到期需查新']);
    // The one due is 机密: sales people are not told, nor is anyone outside the owning department.
    expect(await reminders(as.sales1)).toEqual([]);
    expect(await reminders(as.salesmgr)).toEqual([]);
    // Already told: nothing new the next day.
    expect(await remindStandards(app.t.system as Parameters<typeof remindStandards>[0])).toEqual({
      documents: 0,
      departments: 0,
    });
    expect(await reminders(as.qa1)).toHaveLength(1);
  });

  it('exports the 查新记录 as .xlsx and CSV, within clearance', async () => {
    const { as } = app.co;
    await as.qa1.post(`/api/documents/${ids.secret}/standard-checks`, { checkedOn: '2026-03-02' });
    const sheet = await readXlsx((await as.qa1.get('/api/documents/standard-checks.xlsx')).rawPayload);
    expect(sheet[0]).toEqual([
      '序号',
      '文件名称',
      '文件编号',
      '版本',
      '归口部门',
      '查新日期',
      '查新结论',
      '查新人',
      '备注',
    ]);
    expect(sheet.slice(1).map((r) => [r[1], r[6]])).toEqual([
      ['机密检验规范', '现行有效'],
      ['产品质量法', '已换新版'],
      ['冷轧钢板和钢带', '现行有效'],
    ]);
    const csv = (await as.sales1.get('/api/documents/standard-checks.csv')).rawPayload.toString('utf8');
    expect(csv.startsWith('\uFEFF序号,文件名称,')).toBe(true);
    expect(csv).toContain('冷轧钢板和钢带,GB/T 708-2019,2019版,品质部,2026-03-01,现行有效');
    expect(csv).not.toContain('机密检验规范');
    const gbk = await as.qa1.get('/api/documents/standard-checks.csv?encoding=gbk');
    expect(new TextDecoder('gbk').decode(gbk.rawPayload)).toContain('已换新版');
  });

  it('pages both lists by keyset, within clearance', async () => {
    const { as } = app.co;
    const walk = async (who: Client, path: string) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const res = await who.get(`${path}${sep}limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { items: Json[]; nextCursor: string | null };
        pages.push(body.items.map((x) => x.title as string));
        cursor = body.nextCursor;
      } while (cursor && pages.length < 10);
      return pages;
    };
    // Due order (earliest first): 机密检验规范 (checked 2026-03-02), 冷轧钢板和钢带 (2026-03-01),
    // 产品质量法 (received 2026-03-02): all, by base date then id.
    const all = (await as.qa1.get('/api/documents/standard-checks/due?view=all')).json().items as Json[];
    expect(all).toHaveLength(3);
    expect(await walk(as.qa1, '/api/documents/standard-checks/due?view=all')).toEqual(
      all.map((d) => [d.title]),
    );
    // sales1 (普通) pages only what they see: the 机密 standard is on no page.
    const salesPages = (await walk(as.sales1, '/api/documents/standard-checks/due?view=all')).flat();
    expect(salesPages).toHaveLength(2);
    expect(salesPages).not.toContain('机密检验规范');
    // 查新记录, newest first.
    expect(await walk(as.qa1, '/api/documents/standard-checks')).toEqual([
      ['机密检验规范'],
      ['产品质量法'],
      ['冷轧钢板和钢带'],
    ]);
    expect((await walk(as.sales1, '/api/documents/standard-checks')).flat()).toEqual([
      '产品质量法',
      '冷轧钢板和钢带',
    ]);
    const bad = await as.qa1.get('/api/documents/standard-checks/due?cursor=bm9wZQ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_cursor');
  });

  it('exports the 查新清单 as .xlsx and CSV with the filter of the list, within clearance, audited', async () => {
    const { as } = app.co;
    await travel(app.t, app.co, '2027-03-05T02:00:00Z');
    const sheet = await readXlsx((await as.qa1.get('/api/documents/standard-checks/due.xlsx')).rawPayload);
    expect(sheet[0]).toEqual([
      '序号',
      '文件名称',
      '文件编号',
      '版本',
      '类别',
      '归口部门',
      '上次查新',
      '应查日期',
      '是否逾期',
    ]);
    // Due by 2027-03-05: the steel standard (checked 2026-03-01) and the 机密 one (2026-03-02);
    // the law's new edition was checked 2026-03-02 as well.
    const rows = sheet.slice(1).map((r) => [r[0], r[1], r[6], r[7], r[8]]);
    expect(rows[0]).toEqual(['1', '冷轧钢板和钢带', '2026-03-01', '2027-03-01', '逾期']);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual(
      expect.arrayContaining([
        ['产品质量法', '2026-03-02', '2027-03-02', '逾期'],
        ['机密检验规范', '2026-03-02', '2027-03-02', '逾期'],
      ]),
    );
    expect(rows).toHaveLength(3);
    const csv = (await as.sales1.get('/api/documents/standard-checks/due.csv')).rawPayload.toString('utf8');
    expect(csv.startsWith('\uFEFF序号,文件名称,')).toBe(true);
    expect(csv).toContain('冷轧钢板和钢带,GB/T 708-2019,2019版');
    expect(csv).not.toContain('机密检验规范');
    const byDept = (
      await as.qa1.get(`/api/documents/standard-checks/due.csv?departmentId=${app.co.sales}`)
    ).rawPayload.toString('utf8');
    expect(byDept.trim().split('\n')).toHaveLength(1);
    const gbk = await as.qa1.get('/api/documents/standard-checks/due.csv?encoding=gbk&view=all');
    expect(new TextDecoder('gbk').decode(gbk.rawPayload)).toContain('冷轧钢板和钢带');
    // Each export is audited at the level of the most secret row it held.
    const audit = (await as.admin.get('/api/audit?action=document.export&limit=100')).json().items as Json[];
    const due = audit.filter((e) => (e.details as Json)?.register === 'standards_due');
    expect(due.map((e) => [(e.details as Json).format, (e.details as Json).rows, e.secrecy])).toEqual(
      expect.arrayContaining([
        ['xlsx', 3, 'confidential'],
        ['csv', 2, 'normal'],
      ]),
    );
    await travel(app.t, app.co, '2026-03-02T02:00:00Z');
  });

  it('refuses a check dated before the edition held was issued', async () => {
    const { as } = app.co;
    const id = await register(as.qa1, {
      title: '钢结构设计标准',
      docNumber: 'GB 50017-2017',
      category: 'product_standards',
      versionLabel: '2017版',
      issueDate: '2017-12-12',
    });
    const early = await as.qa1.post(`/api/documents/${id}/standard-checks`, { checkedOn: '2017-12-01' });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors).toEqual([
      expect.objectContaining({ field: 'checkedOn', message: '日期不能早于 2017-12-12' }),
    ]);
    expect(
      (await as.qa1.post(`/api/documents/${id}/standard-checks`, { checkedOn: '2017-12-12' })).statusCode,
    ).toBe(201);
  });
});
