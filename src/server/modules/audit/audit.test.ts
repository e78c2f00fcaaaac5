import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../platform/audit/chain.js';
import { systemTriggeredBy } from '../../platform/context.js';
import { type Client, createTestApp, seedUser, signIn, type TestApp } from '../../test-support/app.js';

async function readXlsx(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v))));
  });
  return rows;
}

describe('audit log search and export', () => {
  let t: TestApp;
  let admin: Client;
  let lowAuditor: Client;
  let highAuditor: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
    await seedUser(t, 'aud-low', ['auditor'], { clearance: 'normal' });
    await seedUser(t, 'aud-high', ['auditor'], { clearance: 'top_secret' });
    lowAuditor = await signIn(t.app, 'aud-low');
    highAuditor = await signIn(t.app, 'aud-high');
    // A read of a 机密 record: only readers cleared for 机密 may even know it happened.
    await appendAudit(t.system, {
      action: 'document.read',
      targetType: 'document',
      targetId: 'doc-1',
      targetLabel: '机密图纸',
      secrecy: 2,
    });
    await admin.post('/api/departments', { name: '审计测试部' });
  });
  afterAll(() => t.close());

  it('filters by actor, action group, target and outcome', async () => {
    const logins = (await highAuditor.get('/api/audit?action=auth.&actor=ADMIN')).json().items;
    expect(logins.length).toBeGreaterThan(0);
    expect(
      logins.every(
        (e: { action: string; actorLogin: string }) =>
          e.action.startsWith('auth.') && e.actorLogin === 'admin',
      ),
    ).toBe(true);
    const dept = (await highAuditor.get(`/api/audit?target=${encodeURIComponent('审计测试部')}`)).json()
      .items;
    expect(dept).toEqual([
      expect.objectContaining({ action: 'department.create', targetType: 'department' }),
    ]);
    expect((await highAuditor.get('/api/audit?outcome=denied')).json().items).toEqual([]);
  });

  it('filters by Shanghai calendar days', async () => {
    // The test clock stands at 2026-03-02T01:00Z = 09:00 in Shanghai on 03-02.
    expect(
      (await highAuditor.get('/api/audit?from=2026-03-02&to=2026-03-02')).json().items.length,
    ).toBeGreaterThan(0);
    expect((await highAuditor.get('/api/audit?from=2026-03-03')).json().items).toEqual([]);
    expect((await highAuditor.get('/api/audit?to=2026-03-01')).json().items).toEqual([]);
  });

  it('hides entries about records above the reader clearance, in search and export', async () => {
    const high = (await highAuditor.get('/api/audit?action=document.read')).json().items;
    expect(high).toEqual([expect.objectContaining({ targetLabel: '机密图纸', secrecy: 'confidential' })]);
    expect((await lowAuditor.get('/api/audit?action=document.read')).json().items).toEqual([]);
    const all = (await lowAuditor.get('/api/audit?limit=200')).json().items;
    expect(JSON.stringify(all)).not.toContain('机密图纸');

    const lowExport = await lowAuditor.get('/api/audit/export.xlsx');
    expect(lowExport.statusCode).toBe(200);
    expect(JSON.stringify(await readXlsx(lowExport.rawPayload))).not.toContain('机密图纸');
    const highExport = await readXlsx((await highAuditor.get('/api/audit/export.xlsx')).rawPayload);
    expect(JSON.stringify(highExport)).toContain('机密图纸');
  });

  it('exports to Excel with Chinese headers and labels, and records the export', async () => {
    const filter = `action=department.create&target=${encodeURIComponent('审计测试部')}`;
    const res = await highAuditor.get(`/api/audit/export.xlsx?${filter}`);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('审计日志'));
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual([
      '序号',
      '时间',
      '操作人',
      '操作',
      '操作代码',
      '对象类型',
      '对象',
      '对象ID',
      '密级',
      '结果',
      'IP',
      '请求号',
      '详情',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(1, 7)).toEqual([
      '2026-03-02 09:00:00',
      'admin',
      '新建部门',
      'department.create',
      '部门',
      '审计测试部',
    ]);
    expect(rows[1]?.[9]).toBe('成功');

    const exports = (await highAuditor.get('/api/audit?action=audit.export&actor=aud-high')).json().items;
    expect(exports[0].details).toEqual({ filter: { action: 'department.create', target: '审计测试部' } });

    const en = await highAuditor.get('/api/audit/export.xlsx?action=department.create', {
      'accept-language': 'en',
    });
    expect((await readXlsx(en.rawPayload))[0]?.slice(0, 4)).toEqual(['Seq', 'Time', 'Actor', 'Action']);
  });

  it('names the person who set off what the system did, by name, in the list and the export', async () => {
    const witness = await seedUser(t, 'witness1', ['staff'], { clearance: 'secret' });
    expect((await admin.patch(`/api/users/${witness.id}`, { name: '孙建国' })).statusCode).toBe(200);
    await appendAudit(systemTriggeredBy(t.system, { id: witness.id, login: 'witness1' }), {
      action: 'disposal.complete',
      targetType: 'disposal',
      targetId: 'disposal-1',
      targetLabel: 'XH2027-001 2015年档案销毁',
      details: { number: 'XH2027-001' },
    });
    const [entry] = (await highAuditor.get('/api/audit?action=disposal.complete')).json().items;
    expect(entry).toMatchObject({
      actorLogin: 'system',
      triggeredBy: { id: witness.id, login: 'witness1', name: '孙建国' },
      details: { number: 'XH2027-001', triggeredBy: { id: witness.id, login: 'witness1' } },
    });
    // Entries a person wrote themselves name nobody else.
    const [own] = (await highAuditor.get('/api/audit?action=department.create')).json().items;
    expect(own.triggeredBy).toBeNull();
    const rows = await readXlsx(
      (await highAuditor.get('/api/audit/export.xlsx?action=disposal.complete')).rawPayload,
    );
    expect(rows[1]?.[2]).toBe('系统（由 孙建国 触发）');
    const en = await readXlsx(
      (await highAuditor.get('/api/audit/export.xlsx?action=disposal.complete', { 'accept-language': 'en' }))
        .rawPayload,
    );
    expect(en[1]?.[2]).toBe('System (set off by 孙建国)');
  });

  it('pages backwards through history without repeats', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: { seq: number }[]; nextCursor: string | null } = (
        await highAuditor.get(`/api/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...res.items.map((e: { seq: number }) => e.seq));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.at(-1)).toBe(1);
  });

  it('is closed to everyone else', async () => {
    await seedUser(t, 'gm', ['general_manager'], { clearance: 'top_secret' });
    const gm = await signIn(t.app, 'gm');
    expect((await gm.get('/api/audit')).statusCode).toBe(403);
    expect((await gm.get('/api/audit/export.xlsx')).statusCode).toBe(403);
    expect((await gm.post('/api/audit/verify')).statusCode).toBe(403);
  });
});
