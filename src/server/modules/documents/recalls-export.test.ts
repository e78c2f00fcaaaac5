import { describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { supersede } from '../../test-support/documents.js';
import { readXlsx } from '../../test-support/sheets.js';

// 待回收副本 (copies of superseded versions not back yet) export as .xlsx and CSV (UTF-8 with a BOM,
// or GBK): the archivist's list, with the columns of the 文件发放/回收登记表, only the copies of
// records the reader is cleared for, audited at the secrecy of the most secret row.

type Json = Record<string, unknown>;

describe('待回收副本 export', () => {
  const app = companyApp();
  let senior: Client;

  /** A paper standard distributed to qamgr, then superseded: its copy waits to be recalled. */
  const recalled = async (archivist: Client, title: string, secrecy: string) => {
    const { as, ids } = app.co;
    const res = await as.qa1.post('/api/documents', {
      title,
      category: 'product_standards',
      carrier: 'paper',
      versionLabel: 'A',
      secrecy,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const sent = await archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.qamgr }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const next = await supersede(as.qa1, id, { versionLabel: 'B' });
    expect(next.statusCode, next.body).toBe(200);
    return id;
  };

  it('lists in .xlsx and CSV the copies to recall the reader may see, and nothing above their clearance', async () => {
    const { as } = app.co;
    // A second archivist cleared for 绝密 distributes the 绝密 standard the first (机密) cannot see.
    await seedUser(app.t, 'archivist2', ['archivist'], {
      departmentId: app.co.quality,
      clearance: 'top_secret',
    });
    senior = await signIn(app.t.app, 'archivist2');
    await recalled(as.archivist, '螺栓拧紧力矩标准', 'normal');
    await recalled(as.archivist, '机密焊接工艺标准', 'confidential');
    await recalled(senior, '绝密热处理标准', 'top_secret');

    const listed = ((await as.archivist.get('/api/documents/recalls')).json() as Json[]).map(
      (c) => c.documentTitle,
    );
    expect(listed).toEqual(['螺栓拧紧力矩标准', '机密焊接工艺标准']);

    const xlsx = await as.archivist.get('/api/documents/recalls.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent('待回收副本-'));
    const sheet = await readXlsx(xlsx.rawPayload);
    const header = sheet[0] as string[];
    expect(header.slice(0, 7)).toEqual(['序号', '文件名称', '文件编号', '版本', '份号', '标识', '接收方']);
    const col = (name: string) => header.indexOf(name);
    expect(
      sheet.slice(1).map((r) => [r[col('文件名称')], r[col('版本')], r[col('份号')], r[col('回收状态')]]),
    ).toEqual([
      ['螺栓拧紧力矩标准', 'A', '01', '待回收'],
      ['机密焊接工艺标准', 'A', '01', '待回收'],
    ]);

    const csv = await as.archivist.get('/api/documents/recalls.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = csv.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFF序号,文件名称,')).toBe(true);
    expect(text.trimEnd().split('\r\n')).toHaveLength(3);
    expect(text).not.toContain('绝密热处理标准');
    const gbk = await as.archivist.get('/api/documents/recalls.csv?encoding=gbk');
    expect(gbk.headers['content-type']).toBe('text/csv; charset=gbk');
    expect(new TextDecoder('gbk').decode(gbk.rawPayload)).toBe(text.slice(1));

    // The 绝密 archivist's export holds all three.
    const all = await readXlsx((await senior.get('/api/documents/recalls.xlsx')).rawPayload);
    expect(all.slice(1).map((r) => r[1])).toEqual(['螺栓拧紧力矩标准', '机密焊接工艺标准', '绝密热处理标准']);
  });

  it('is the archivist’s, like the list', async () => {
    const { as } = app.co;
    for (const who of [as.qa1, as.sales1, as.qamgr]) {
      expect((await who.get('/api/documents/recalls.xlsx')).statusCode).toBe(403);
      expect((await who.get('/api/documents/recalls.csv')).statusCode).toBe(403);
    }
  });

  it('is audited before any row goes out, at the level of its most secret row', async () => {
    const { as } = app.co;
    const entries = (await as.admin.get('/api/audit?action=document.copy_register_export&limit=100')).json()
      .items as Json[];
    const recalls = entries.filter((e) => (e.details as Json).list === 'recalls');
    expect(
      recalls.map((e) => [e.actorLogin, (e.details as Json).format, (e.details as Json).rows, e.secrecy]),
    ).toEqual(
      expect.arrayContaining([
        ['archivist', 'xlsx', 2, 'confidential'],
        ['archivist', 'csv', 2, 'confidential'],
        ['archivist2', 'xlsx', 3, 'top_secret'],
      ]),
    );
    expect(recalls).toHaveLength(4);
  });
});
