import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../platform/scheduler.js';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { CONTRACT_PDF, supersede, uploadFile } from '../../test-support/documents.js';
import { readXlsx } from '../../test-support/sheets.js';
import { operationsTasks } from '../operations/schedule.js';

// Signed receipt of distributed copies (谁接收谁签字, issue 18): the recipient — the person, or
// a manager of the receiving department — signs for the copy in the app, or the archivist
// records the scanned signed paper receipt; unsigned copies are listed and reminded; a recalled
// copy is signed back; the distribution register shows who signed when.

type Json = Record<string, unknown>;

describe('signed receipt of distributed copies (谁接收谁签字)', () => {
  const app = companyApp();
  const unsigned = async (as: Client) =>
    ((await as.get('/api/documents/copies/unsigned')).json() as Json[]).map((c) => c.id);
  let id = '';
  let personal: Json;
  let department: Json;
  let paper: Json;

  it('is signed for by the person it was issued to, and by nobody else', async () => {
    const { as, ids, quality } = app.co;
    const res = await as.qa1.post('/api/documents', {
      title: '焊接检验标准',
      category: 'product_standards',
      versionLabel: 'A',
    });
    id = res.json().id;
    expect((await uploadFile(as.qa1, id, '焊接检验标准.pdf', CONTRACT_PDF)).statusCode).toBe(201);
    const sent = await as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: ids.sales1 }, { departmentId: quality }, { userId: ids.salesmgr }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    [personal, department, paper] = sent.json() as [Json, Json, Json];
    expect(personal).toMatchObject({ receivedAt: null, receivedBy: null, can: { acknowledge: false } });
    // The recipients are asked to sign, each in their own list of notifications.
    const notes = (await as.sales1.get('/api/notifications')).json().items as Json[];
    expect(notes[0]).toMatchObject({
      title: '请签收受控文件：焊接检验标准（01）',
      link: '/documents/copies/unsigned',
    });
    expect(((await as.qamgr.get('/api/notifications')).json().items as Json[])[0]?.title).toBe(
      '请签收受控文件：焊接检验标准（02）',
    );
    // Each sees their own copy waiting; the archivist sees all three.
    expect(await unsigned(as.sales1)).toEqual([personal.id]);
    expect(await unsigned(as.sales2)).toEqual([]);
    expect(await unsigned(as.archivist)).toEqual([personal.id, department.id, paper.id]);
    const mine = (await as.sales1.get('/api/documents/copies/unsigned')).json()[0] as Json;
    expect(mine.can).toEqual({ acknowledge: true, signReturn: false });

    for (const other of [as.sales2, as.archivist, as.salesmgr, as.gm]) {
      const refused = await other.post(`/api/documents/${id}/copies/${personal.id}/acknowledge`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({
        code: 'copy_not_recipient',
        title: '只有副本的接收人（或接收部门的经理）本人才能签字（谁接收谁签字）',
      });
    }
    const signed = await as.sales1.post(`/api/documents/${id}/copies/${personal.id}/acknowledge`);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ receivedBy: 'sales1', receivedAt: '2026-03-02T01:00:00.000Z' });
    const twice = await as.sales1.post(`/api/documents/${id}/copies/${personal.id}/acknowledge`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().title).toBe('该副本已由 sales1 签收');
    expect(await unsigned(as.sales1)).toEqual([]);
    const events = (await as.qa1.get(`/api/documents/${id}/events`)).json() as Json[];
    expect(events[0]).toMatchObject({ kind: 'receipt', actorName: 'sales1' });
    const audit = (await as.admin.get('/api/audit?action=document.copy_acknowledge')).json().items as Json[];
    expect(audit).toHaveLength(1);
  });

  it('lets a department’s copy be signed by its manager, not by its staff', async () => {
    const { as } = app.co;
    expect((await as.qa1.post(`/api/documents/${id}/copies/${department.id}/acknowledge`)).statusCode).toBe(
      403,
    );
    const signed = await as.qamgr.post(`/api/documents/${id}/copies/${department.id}/acknowledge`);
    expect(signed.statusCode).toBe(200);
    expect(signed.json().receivedBy).toBe('qamgr');
  });

  it('records a paper copy’s scanned signed receipt (the archivist), and reminds copies nobody signed for', async () => {
    const { t, co } = app;
    const { as } = co;
    const url = (q: string) => `/api/documents/${id}/copies/${paper.id}/scans?${q}`;
    const query = `name=${encodeURIComponent('签收单.pdf')}&kind=receipt&signedBy=${encodeURIComponent('李经理')}&signedOn=2026-03-02`;
    const send = (as2: Client, q: string, body: Buffer) =>
      as2.inject({
        method: 'POST',
        url: url(q),
        headers: { 'content-type': 'application/octet-stream' },
        payload: body,
      });
    expect((await send(as.qa1, query, CONTRACT_PDF)).statusCode).toBe(403);
    const wrong = await send(as.archivist, query, Buffer.from('not a scan'));
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('receipt_type');
    // Nothing is reminded before two days have passed.
    const scheduler = new Scheduler({
      db: t.database.db,
      tasks: operationsTasks(t.config, t.database).filter((x) => x.name === 'document_control'),
      now: t.clock.now,
    });
    await travel(t, co, '2026-03-04T23:00:00.000Z');
    await scheduler.tick();
    const reminders = ((await co.as.salesmgr.get('/api/notifications')).json().items as Json[]).filter((n) =>
      String(n.title).startsWith('受控文件尚未签收'),
    );
    expect(reminders.map((n) => n.title)).toEqual(['受控文件尚未签收：焊接检验标准（03）']);
    // Signed copies are not reminded.
    const others = ((await co.as.sales1.get('/api/notifications')).json().items as Json[]).filter((n) =>
      String(n.title).startsWith('受控文件尚未签收'),
    );
    expect(others).toEqual([]);
    const recorded = await send(co.as.archivist, query, CONTRACT_PDF);
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json()).toMatchObject({
      receivedBy: '李经理',
      receivedAt: '2026-03-02T04:00:00.000Z',
      receiptScan: '签收单.pdf',
    });
    const scan = await co.as.archivist.get(`/api/documents/${id}/copies/${paper.id}/scans/receipt`);
    expect(scan.statusCode).toBe(200);
    expect(scan.rawPayload.equals(CONTRACT_PDF)).toBe(true);
    // Those who read the distribution register read it too (the general manager, auditors).
    expect((await co.as.gm.get(`/api/documents/${id}/copies/${paper.id}/scans/receipt`)).statusCode).toBe(
      200,
    );
    expect((await co.as.sales2.get(`/api/documents/${id}/copies/${paper.id}/scans/receipt`)).statusCode).toBe(
      404,
    );
    expect(await unsigned(co.as.archivist)).toEqual([]);
  });

  it('has a recalled copy signed back by its holder only, then confirmed by the archivist', async () => {
    const { as } = app.co;
    const released = await supersede(
      as.qa1,
      id,
      { versionLabel: 'B' },
      { name: 'B.pdf', content: CONTRACT_PDF },
    );
    expect(released.statusCode, released.body).toBe(200);
    expect(await unsigned(as.sales1)).toEqual([personal.id]);
    expect((await as.sales2.post(`/api/documents/${id}/copies/${personal.id}/return-sign`)).statusCode).toBe(
      403,
    );
    const back = await as.sales1.post(`/api/documents/${id}/copies/${personal.id}/return-sign`);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ returnedBy: 'sales1', recallStatus: 'pending' });
    expect((await as.sales1.post(`/api/documents/${id}/copies/${personal.id}/return-sign`)).statusCode).toBe(
      409,
    );
    const recalled = await as.archivist.post(`/api/documents/${id}/copies/${personal.id}/recall`, {
      note: null,
    });
    expect(recalled.json()).toMatchObject({
      recallStatus: 'recalled',
      returnedBy: 'sales1',
      recalledBy: 'archivist',
    });
  });

  it('shows who signed when in the distribution register, as .xlsx and CSV', async () => {
    const { as } = app.co;
    expect((await as.sales1.get('/api/documents/copies/register.xlsx')).statusCode).toBe(403);
    const xlsx = await as.archivist.get('/api/documents/copies/register.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const rows = await readXlsx(xlsx.rawPayload);
    const header = rows[0] as string[];
    expect(header).toEqual(
      expect.arrayContaining(['签收人', '签收日期', '签收方式', '交回签字人', '交回签字日期']),
    );
    const col = (name: string) => header.indexOf(name);
    const byCopy = new Map(rows.slice(1).map((r) => [r[col('份号')], r]));
    expect(byCopy.get('01')?.[col('签收人')]).toBe('sales1');
    expect(byCopy.get('01')?.[col('签收日期')]).toBe('2026-03-02 09:00:00');
    expect(byCopy.get('01')?.[col('交回签字人')]).toBe('sales1');
    expect(byCopy.get('03')?.[col('签收人')]).toBe('李经理');
    expect(byCopy.get('03')?.[col('签收方式')]).toBe('纸质签收单');
    const csv = await as.archivist.get('/api/documents/copies/register.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('签收人,签收日期,签收方式');
    expect(lines.some((l) => l.includes('sales1,2026-03-02 09:00:00,系统签收'))).toBe(true);
    const audit = (await as.admin.get('/api/audit?action=document.copy_register_export')).json()
      .items as Json[];
    expect(audit).toHaveLength(2);
  });
});
