import { describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { readXlsx } from '../../test-support/sheets.js';

// The lending desk's lists (借出清单: 在借, 超期未还, …) as .xlsx and CSV: the rows of the list the
// reader sees — every loan for the archivist, one's own for a borrower, never an item above the
// reader's clearance — audited at the secrecy of the most secret item.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('借出清单 export', () => {
  const app = companyApp();
  let lowArchivist: Client;

  const doc = async (title: string, secrecy: string) => {
    const res = await app.co.as.qa1.post('/api/documents', {
      category: 'records',
      carrier: 'paper',
      location: 'C柜-01盒',
      title,
      secrecy,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  /** Requested, approved by whoever the route asks, and issued by the archivist. */
  const borrow = async (borrower: Client, documentId: string) => {
    const { as } = app.co;
    const req = await borrower.post('/api/access-requests', {
      mode: 'physical',
      purpose: 'borrow',
      reason: '内审抽查',
      items: [{ targetType: 'document', targetId: documentId }],
    });
    expect(req.statusCode, req.body).toBe(201);
    const id = req.json().id as string;
    for (const approver of [as.salesmgr, as.qamgr, as.gm])
      await approver.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' });
    const approved = (await as.archivist.get(`/api/access-requests/${id}`)).json();
    expect(approved.status).toBe('approved');
    const issued = await as.archivist.post(`/api/access-requests/${id}/loans`, {
      itemIds: (approved.items as Json[]).map((i) => i.id),
      conditionOut: '完好',
    });
    expect(issued.statusCode, issued.body).toBe(201);
  };
  const sheetTitles = async (who: Client, query: string) => {
    const res = await who.get(`/api/loans.xlsx${query}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return (await readXlsx(res.rawPayload)).slice(1).map((r) => r[2]);
  };

  it('exports each tab of the desk as .xlsx and CSV with the rows the reader sees', async () => {
    const { as } = app.co;
    await travel(app.t, app.co, shanghai('2026-04-01'));
    await borrow(as.sales1, await doc('纸质检验记录A', 'normal'));
    await borrow(as.qamgr, await doc('机密工艺记录B', 'confidential'));
    await seedUser(app.t, 'archivist3', ['archivist'], { departmentId: app.co.quality, clearance: 'secret' });
    lowArchivist = await signIn(app.t.app, 'archivist3');

    const xlsx = await as.archivist.get('/api/loans.xlsx?state=out');
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent('在借清单-'));
    const sheet = await readXlsx(xlsx.rawPayload);
    expect(sheet[0]?.slice(0, 6)).toEqual(['序号', '借阅单号', '档案/文件', '编号', '借阅人', '部门']);
    expect(sheet.slice(1).map((r) => [r[2], r[4], r[10]])).toEqual([
      ['纸质检验记录A', 'sales1', '在借'],
      ['机密工艺记录B', 'qamgr', '在借'],
    ]);
    // An archivist cleared for 秘密 only does not get the 机密 item; a borrower gets their own loan.
    expect(await sheetTitles(lowArchivist, '?state=out')).toEqual(['纸质检验记录A']);
    expect(await sheetTitles(as.sales1, '?state=out')).toEqual(['纸质检验记录A']);
    expect(await sheetTitles(as.sales2, '?state=out')).toEqual([]);
    // Same rows as the list.
    const list = (await lowArchivist.get('/api/loans?state=out')).json().items as Json[];
    expect(list.map((l) => l.label)).toEqual(['纸质检验记录A']);

    // Past the due date both are overdue, and the 超期未还 list says so.
    await travel(app.t, app.co, shanghai('2026-04-20'));
    lowArchivist = await signIn(app.t.app, 'archivist3');
    const csv = await as.archivist.get('/api/loans.csv?state=overdue');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(encodeURIComponent('超期未还清单-'));
    const text = csv.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFF序号,借阅单号,档案/文件,')).toBe(true);
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(',超期,'))).toBe(true);
    const lowCsv = (await lowArchivist.get('/api/loans.csv?state=overdue')).rawPayload.toString('utf8');
    expect(lowCsv).toContain('纸质检验记录A');
    expect(lowCsv).not.toContain('机密工艺记录B');
    const gbk = await as.archivist.get('/api/loans.csv?state=overdue&encoding=gbk');
    expect(new TextDecoder('gbk').decode(gbk.rawPayload)).toBe(text.slice(1));
    expect(await sheetTitles(as.archivist, '?state=returned')).toEqual([]);
  });

  it('is audited at the secrecy of the most secret item it held', async () => {
    const { as } = app.co;
    const entries = (await as.admin.get('/api/audit?action=lending.loans_export&limit=100')).json()
      .items as Json[];
    const byWho = entries.map((e) => [
      e.actorLogin,
      (e.details as Json).state,
      (e.details as Json).format,
      (e.details as Json).rows,
      e.secrecy,
    ]);
    expect(byWho).toEqual(
      expect.arrayContaining([
        ['archivist', 'out', 'xlsx', 2, 'confidential'],
        ['archivist3', 'out', 'xlsx', 1, 'normal'],
        ['sales1', 'out', 'xlsx', 1, 'normal'],
        ['archivist', 'overdue', 'csv', 2, 'confidential'],
      ]),
    );
  });

  it('keeps the 借阅登记簿 export at the secrecy of the most secret item it holds', async () => {
    const { as } = app.co;
    expect((await as.archivist.get('/api/lending/register.xlsx')).statusCode).toBe(200);
    expect((await as.archivist.get('/api/lending/register.pdf')).statusCode).toBe(200);
    const entries = (await as.admin.get('/api/audit?action=lending.export&limit=10')).json().items as Json[];
    expect(entries.map((e) => [(e.details as Json).format, e.secrecy])).toEqual([
      ['pdf', 'confidential'],
      ['xlsx', 'confidential'],
    ]);
  });
});
