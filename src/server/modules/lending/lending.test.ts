import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainJobs } from '../../platform/jobs.js';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile, uploadLetter } from '../../test-support/documents.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { appraisedToDestroy } from '../../test-support/retention.js';
import { multipart, readXlsx } from '../../test-support/sheets.js';
import { extractText } from '../documents/text.js';
import { chaseOverdue } from './loans.js';
import { lendingDaily, sendReminders } from './notices.js';

// Access requests and borrowing through HTTP (R-P1 … R-P7): approval routing by department,
// secrecy and 受控, time-limited electronic access that opens and closes with the injected
// clock everywhere, physical loans issued once at a time, returns with their condition, and
// reminders counted on the company calendar over the 2026 National Day holiday.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('lending: requests, approvals, grants and loans (R-P2 … R-P7)', () => {
  const app = companyApp();
  const at = (iso: string) => travel(app.t, app.co, iso);
  const doc = async (as: Client, body: Json) => {
    const res = await as.post('/api/documents', { category: 'records', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const request = async (as: Client, body: Json) =>
    as.post('/api/access-requests', { mode: 'electronic', purpose: 'read', reason: '客户审核需要', ...body });
  const item = (targetId: string, targetType = 'document') => ({ targetType, targetId });
  const decide = (as: Client, id: string, decision = 'approve', comment?: string) =>
    as.post(`/api/access-requests/${id}/decisions`, { decision, ...(comment ? { comment } : {}) });

  it('routes each request to exactly the approvers its items need, and no one skips a step', async () => {
    const { as } = app.co;
    const own = await doc(as.qa1, { title: '品质记录-普通' });
    const secret = await doc(as.qa1, { title: '品质记录-秘密', secrecy: 'secret' });
    const confidential = await doc(as.qa1, { title: '品质记录-机密', secrecy: 'confidential' });
    const topSecret = await doc(as.qa1, { title: '品质记录-绝密', secrecy: 'top_secret' });
    const controlled = await doc(as.qa1, { title: '品质受控记录', controlled: true });
    const sales = await doc(as.salesmgr, { title: '销售部记录' });
    const letter = await uploadLetter(as.qa1);
    expect(letter.statusCode, letter.body).toBe(201);
    const cases: [string, Json, string[]][] = [
      ['own 普通', { items: [item(own)] }, ['department_manager']],
      ['own 秘密', { items: [item(secret)] }, ['department_manager']],
      ['own 机密', { items: [item(confidential)] }, ['department_manager', 'general_manager']],
      ['own 绝密', { items: [item(topSecret)] }, ['department_manager', 'general_manager']],
      ['受控', { items: [item(controlled)] }, ['department_manager', 'general_manager']],
      ['another department', { items: [item(sales)] }, ['department_manager', 'general_manager']],
      [
        'outside borrower',
        {
          items: [item(own)],
          external: { organisation: '上海质量认证中心', person: '周审核员' },
          letter: { sha256: letter.json().sha256, name: '介绍信.pdf' },
        },
        ['department_manager', 'general_manager'],
      ],
    ];
    const made: Record<string, Json> = {};
    for (const [name, body, chain] of cases) {
      const res = await request(as.qa1, body);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(201);
      const created = res.json() as Json;
      made[name] = created;
      expect(
        (created.steps as Json[]).map((s) => s.role),
        name,
      ).toEqual(chain);
      expect(made[name]?.number).toMatch(/^JY202603-\d{4}$/);
    }
    // An outsider needs the letter of introduction.
    const noLetter = await request(as.qa1, {
      items: [item(own)],
      external: { organisation: '某公司', person: '某人' },
    });
    expect(noLetter.statusCode).toBe(400);
    // The letter is read by those who may read the request, and each read is audited.
    const outside = made['outside borrower']?.id as string;
    const letterFile = await as.qa1.get(`/api/access-requests/${outside}/letter`);
    expect(letterFile.statusCode).toBe(200);
    expect(letterFile.rawPayload.equals(CONTRACT_PDF)).toBe(true);
    expect((await as.sales1.get(`/api/access-requests/${outside}/letter`)).statusCode).toBe(404);
    const letterAudit = (await as.admin.get('/api/audit?action=lending.letter_download')).json().items[0];
    expect(letterAudit).toMatchObject({ actorLogin: 'qa1', targetId: outside });
    expect((await as.admin.get('/api/audit?action=lending.letter_upload')).json().items).toHaveLength(1);

    const id = made['own 机密']?.id as string;
    // Step 1 is the requester's department manager: not the GM, not another department's manager,
    // never the requester.
    for (const who of [as.gm, as.qa1, as.archivist]) expect((await decide(who, id)).statusCode).toBe(403);
    // Someone cleared below 机密 does not even see the request.
    expect((await decide(as.salesmgr, id)).statusCode).toBe(404);
    const queue = async (as: Client) =>
      ((await as.get('/api/access-requests?view=approvals')).json().items as Json[]).map((r) => r.id);
    expect(await queue(as.qamgr)).toContain(id);
    expect(await queue(as.salesmgr)).not.toContain(id);
    expect(await queue(as.gm)).not.toContain(id);
    // The approvers of the waiting step are told, in the app: not the requester, not others.
    const notes = async (userId: string, kind: string) =>
      (
        await app.t.database.db
          .selectFrom('notifications')
          .select(['title', 'link'])
          .where('user_id', '=', userId)
          .where('kind', '=', kind)
          .execute()
      ).filter((n) => n.link === `/lending/requests/${id}`);
    expect(await notes(app.co.ids.qamgr, 'lending.approval')).toHaveLength(1);
    expect(await notes(app.co.ids.salesmgr, 'lending.approval')).toHaveLength(0);
    expect(await notes(app.co.ids.gm, 'lending.approval')).toHaveLength(0);
    const first = await decide(as.qamgr, id);
    expect(await notes(app.co.ids.gm, 'lending.approval')).toHaveLength(1);
    expect(first.json()).toMatchObject({ status: 'pending', waitingFor: '总经理审批' });
    expect((await decide(as.qamgr, id)).statusCode).toBe(403);
    expect(await queue(as.gm)).toContain(id);
    // A general manager cleared below 机密 may not decide it: for them it is absent.
    expect((await decide(as.lowgm, id)).statusCode).toBe(404);
    expect(await queue(as.lowgm)).not.toContain(id);
    const done = await decide(as.gm, id);
    expect(done.json()).toMatchObject({
      status: 'approved',
      steps: [{ decision: 'approve' }, { decision: 'approve' }],
    });
    expect((await notes(app.co.ids.qa1, 'lending.decision'))[0]?.title).toMatch(/已批准/);
    expect((await decide(as.gm, id)).json().code).toBe('request_status');

    // Rejection ends a request, with a reason.
    const other = made['another department']?.id as string;
    expect((await decide(as.qamgr, other, 'reject')).statusCode).toBe(422);
    expect((await decide(as.qamgr, other, 'reject', '与审核无关')).json().status).toBe('rejected');
    // Returned for changes, resubmitted, through the whole chain again.
    const ctl = made.受控?.id as string;
    await decide(as.qamgr, ctl);
    expect((await decide(as.gm, ctl, 'return', '请写明审核范围')).json().status).toBe('returned');
    const again = await as.qa1.post(`/api/access-requests/${ctl}/resubmit`, {
      reason: '客户二方审核，范围：受控记录',
    });
    expect(again.json()).toMatchObject({ status: 'pending', waitingFor: '部门经理审批' });

    // Nothing above the requester's clearance can be asked for, nor found to pick.
    expect((await request(as.sales1, { items: [item(secret)] })).statusCode).toBe(404);
    const catalogue = (
      await as.sales1.get(`/api/lending/catalogue?q=${encodeURIComponent('品质记录')}`)
    ).json() as Json[];
    expect(catalogue.map((c) => c.label)).toEqual(['品质记录-普通']);
    expect(catalogue[0]).toMatchObject({ readable: false, departmentName: '品质部' });
  });

  it('opens electronic access on approval and closes it at the end date everywhere', async () => {
    const { as } = app.co;
    await at(shanghai('2026-03-10'));
    const target = await doc(as.qa1, { title: '供应商审核报告2026' });
    await uploadFile(as.qa1, target, '审核报告.pdf', CONTRACT_PDF);
    const readOnly = await doc(as.qa1, { title: '品质月报2026' });
    await uploadFile(as.qa1, readOnly, '月报.pdf', CONTRACT_PDF);
    const customer = (
      await as.qamgr.post('/api/customers', {
        name: '宁波精密模具有限公司',
        category: 'general',
        kind: 'supplier',
      })
    ).json().id as string;
    await drainJobs();
    const sees = async () => ({
      detail: (await as.sales1.get(`/api/documents/${target}`)).statusCode,
      list: (
        (await as.sales1.get(`/api/documents?q=${encodeURIComponent('供应商审核报告')}`)).json()
          .items as Json[]
      ).length,
      search: (
        (await as.sales1.get(`/api/documents?q=${encodeURIComponent('付款方式')}`)).json().items as Json[]
      ).map((d) => d.title),
      customer: (await as.sales1.get(`/api/customers/${customer}`)).statusCode,
      customers: (
        (await as.sales1.get(`/api/customers?q=${encodeURIComponent('精密模具')}`)).json().items as Json[]
      ).length,
    });
    expect(await sees()).toEqual({ detail: 404, list: 0, search: [], customer: 404, customers: 0 });

    const res = await request(as.sales1, {
      purpose: 'copy',
      days: 7,
      items: [item(target), item(customer, 'customer')],
    });
    const id = res.json().id as string;
    expect((await decide(as.salesmgr, id)).json().waitingFor).toBe('总经理审批');
    expect(await sees()).toEqual({ detail: 404, list: 0, search: [], customer: 404, customers: 0 });
    const approved = (await decide(as.gm, id)).json();
    expect(approved).toMatchObject({ status: 'approved', startDate: '2026-03-10', endDate: '2026-03-17' });
    expect(await sees()).toEqual({
      detail: 200,
      list: 1,
      search: ['供应商审核报告2026'],
      customer: 200,
      customers: 1,
    });

    // Downloads under the grant are stamped with the borrower and the request number.
    const fileId = (await as.sales1.get(`/api/documents/${target}`)).json().versions[0].files[0].id;
    const download = await as.sales1.get(`/api/documents/${target}/files/${fileId}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const file = path.join(os.tmpdir(), `kedang-loan-${Date.now()}.pdf`);
    fs.writeFileSync(file, download.rawPayload);
    const text = (await extractText(file, 'application/pdf')) ?? '';
    fs.rmSync(file);
    expect(text).toContain(`借阅 ${approved.number}`);
    expect(text).toContain('sales1');
    // Reads under the grant name the request in the audit trail.
    const reads = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', target)
      .where('actor_id', '=', app.co.ids.sales1)
      .execute();
    expect(reads.map((r) => [r.action, JSON.parse(r.details ?? '{}').grant])).toContainEqual([
      'document.read',
      approved.number,
    ]);

    // A read-only grant shows the stamped copy inline but gives no download.
    const ro = (await request(as.sales1, { items: [item(readOnly)] })).json().id as string;
    await decide(as.salesmgr, ro);
    await decide(as.gm, ro);
    const roFile = (await as.sales1.get(`/api/documents/${readOnly}`)).json().versions[0].files[0].id;
    expect((await as.sales1.get(`/api/documents/${readOnly}/files/${roFile}/content`)).json().code).toBe(
      'grant_no_download',
    );
    expect(
      (await as.sales1.get(`/api/documents/${readOnly}/files/${roFile}/content?inline=true`)).statusCode,
    ).toBe(200);

    // The last day still counts; the next morning access is gone everywhere, by itself.
    await at(shanghai('2026-03-17', '23:59'));
    expect((await sees()).detail).toBe(200);
    await at(shanghai('2026-03-18', '00:00'));
    expect(await sees()).toEqual({ detail: 404, list: 0, search: [], customer: 404, customers: 0 });
    expect((await as.sales1.get(`/api/documents/${target}/files/${fileId}/content`)).statusCode).toBe(404);
    const summary = ((await as.sales1.get('/api/access-requests?view=mine')).json().items as Json[]).find(
      (r) => r.id === id,
    );
    expect(summary?.expired).toBe(true);
    // The daily run closes it and writes the end into its history and the audit trail.
    expect((await lendingDaily(app.t.system)).closed).toBeGreaterThan(0);
    const closed = (await as.sales1.get(`/api/access-requests/${id}`)).json();
    expect(closed.status).toBe('closed');
    expect(closed.events.map((e: Json) => e.kind)).toContain('expire');
    const ended = await app.t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'lending.expire')
      .where('target_id', '=', id)
      .execute();
    expect(JSON.parse(ended[0]?.details ?? '{}').number).toBe(approved.number);
  });

  it('issues a physical item to one borrower at a time and reports damage to the general manager', async () => {
    const { as } = app.co;
    await at(shanghai('2026-04-01'));
    const paper = await doc(as.qa1, { title: '纸质检验记录2025', carrier: 'paper', location: 'C柜-01盒' });
    const digital = await doc(as.qa1, { title: '电子检验记录2025' });
    expect((await request(as.sales1, { mode: 'physical', items: [item(digital)] })).json().code).toBe(
      'item_not_physical',
    );
    expect((await request(as.sales1, { mode: 'physical', days: 15, items: [item(paper)] })).json().code).toBe(
      'period_too_long',
    );
    const approve = async (requester: Client) => {
      const r = (
        await request(requester, { mode: 'physical', purpose: 'borrow', items: [item(paper)] })
      ).json();
      await decide(as.salesmgr, r.id);
      await decide(as.gm, r.id);
      return r.id as string;
    };
    const first = await approve(as.sales1);
    const second = await approve(as.sales2);
    const desk = (await as.archivist.get('/api/loans/to-issue')).json() as Json[];
    expect(desk.map((d) => d.requestId)).toEqual(expect.arrayContaining([first, second]));
    const itemsOf = async (id: string) =>
      ((await as.archivist.get(`/api/access-requests/${id}`)).json().items as Json[]).map(
        (i) => i.id as string,
      );
    expect(
      (
        await as.sales1.post(`/api/access-requests/${first}/loans`, {
          itemIds: await itemsOf(first),
          conditionOut: '完好',
        })
      ).statusCode,
    ).toBe(403);
    const issued = await as.archivist.post(`/api/access-requests/${first}/loans`, {
      itemIds: await itemsOf(first),
      conditionOut: '完好，共 12 页',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const loan = issued.json()[0];
    expect(loan).toMatchObject({ dueDate: '2026-04-08', borrower: { name: 'sales1' } });
    // The same item cannot go to someone else while it is out.
    const twice = await as.archivist.post(`/api/access-requests/${second}/loans`, {
      itemIds: await itemsOf(second),
      conditionOut: '完好',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('item_out');
    expect(
      (
        await as.archivist.post(`/api/access-requests/${first}/loans`, {
          itemIds: await itemsOf(first),
          conditionOut: '完好',
        })
      ).json().code,
    ).toBe('item_issued');
    expect((await as.sales1.get('/api/lending/todo')).json()).toMatchObject({ toReturn: 1 });

    const back = await as.archivist.post(`/api/loans/${loan.id}/return`, {
      condition: 'damaged',
      note: '第3页撕裂',
    });
    expect(back.json()).toMatchObject({ conditionIn: 'damaged' });
    expect(
      (await as.archivist.post(`/api/loans/${loan.id}/return`, { condition: 'intact' })).json().code,
    ).toBe('loan_returned');
    const incidents = (await as.gm.get('/api/loans/incidents')).json() as Json[];
    expect(incidents[0]).toMatchObject({
      kind: 'damaged',
      description: '第3页撕裂',
      label: '纸质检验记录2025',
    });
    expect((await as.sales1.get('/api/loans/incidents')).statusCode).toBe(403);
    expect((await as.sales1.get(`/api/access-requests/${first}`)).json().status).toBe('closed');
    // Back on the shelf: now it can go to the second borrower.
    expect(
      (
        await as.archivist.post(`/api/access-requests/${second}/loans`, {
          itemIds: await itemsOf(second),
          conditionOut: '第3页撕裂',
        })
      ).statusCode,
    ).toBe(201);

    // The register lists both loans with approvers and condition; the document's page too.
    const reg = (await as.archivist.get('/api/lending/register?limit=200')).json().items as Json[];
    const row = reg.find((r) => r.id === loan.id);
    expect(row).toMatchObject({ mode: 'physical', approvers: 'salesmgr、gm', label: '纸质检验记录2025' });
    expect(String(row?.condition)).toContain('缺损');
    const history = (await as.qa1.get(`/api/lending/register?targetType=document&targetId=${paper}`)).json()
      .items as Json[];
    expect(history).toHaveLength(2);
    expect((await as.sales1.get('/api/lending/register')).statusCode).toBe(403);
    const sheet = await readXlsx((await as.archivist.get('/api/lending/register.xlsx')).rawPayload);
    expect(sheet[0]?.slice(0, 6)).toEqual(['序号', '借阅单号', '借阅人', '部门', '外单位', '档案/文件']);
    expect(sheet.some((r) => r.includes('纸质检验记录2025') && r.some((c) => c.includes('缺损')))).toBe(true);
    // The same register as CSV (R-W3): UTF-8 with a BOM, or GBK on request; same rows as the sheet.
    const csv = await as.archivist.get('/api/lending/register.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(encodeURIComponent('借阅登记簿-'));
    const text = csv.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFF序号,借阅单号,借阅人,部门,外单位,档案/文件,')).toBe(true);
    expect(text.trimEnd().split('\r\n')).toHaveLength(sheet.length);
    const gbkCsv = await as.archivist.get('/api/lending/register.csv?encoding=gbk');
    expect(gbkCsv.headers['content-type']).toBe('text/csv; charset=gbk');
    expect(new TextDecoder('gbk').decode(gbkCsv.rawPayload)).toBe(text.slice(1));
    expect((await as.sales1.get('/api/lending/register.csv')).statusCode).toBe(403);
  });

  it('prints the 借阅申请单 and the 借阅登记表 from their records (R-P3, R-L4)', async (ctx) => {
    const { as } = app.co;
    const requests = (await as.archivist.get('/api/access-requests?view=all&limit=100')).json()
      .items as Json[];
    const lent = requests.find((r) => r.firstItem === '纸质检验记录2025' && r.status === 'closed') as Json;
    // The requester prints their own request; someone it is not for gets nothing.
    const form = await as.sales1.get(`/api/access-requests/${lent.id}/form.pdf`);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.headers['content-type']).toBe('application/pdf');
    expect((await as.east1.get(`/api/access-requests/${lent.id}/form.pdf`)).statusCode).toBe(404);
    await expectGlyphsDrawn(form.rawPayload);
    const text = (await ocrPdf(ctx, form.rawPayload)).join('');
    expectRead(text, '借阅申请单', 1);
    expectRead(text, String(lent.number), 1);
    expectRead(text, '纸质检验记录2025', 1);
    expectRead(text, '同意', 0);
    expectRead(text, '缺损', 0);
    const reg = await as.archivist.get('/api/lending/register.pdf');
    expect(reg.statusCode).toBe(200);
    expect((await as.sales1.get('/api/lending/register.pdf')).statusCode).toBe(403);
    await expectGlyphsDrawn(reg.rawPayload);
    const regText = (await ocrPdf(ctx, reg.rawPayload)).join('');
    expectRead(regText, '借阅登记表', 1);
    expectRead(regText, String(lent.number), 1);
    expectRead(regText, '第3页撕裂', 1);
  });

  it('chases an overdue loan on the due day and each working day after, over the National Day holiday', async () => {
    const { as } = app.co;
    await at(shanghai('2026-09-28'));
    const paper = await doc(as.qa1, { title: '国庆期间借出的纸质档案', carrier: 'paper' });
    const r = (await request(as.qa1, { mode: 'physical', purpose: 'borrow', items: [item(paper)] })).json();
    await decide(as.qamgr, r.id);
    const itemIds = ((await as.archivist.get(`/api/access-requests/${r.id}`)).json().items as Json[]).map(
      (i) => i.id,
    );
    const loan = (
      await as.archivist.post(`/api/access-requests/${r.id}/loans`, { itemIds, conditionOut: '完好' })
    ).json()[0];
    // 7 calendar days: due on 5 October, in the middle of the holiday.
    expect(loan.dueDate).toBe('2026-10-05');

    const reminded: string[] = [];
    for (
      let d = new Date('2026-09-28T00:00:00Z');
      d <= new Date('2026-10-13T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      const day = d.toISOString().slice(0, 10);
      app.t.clock.set(shanghai(day, '08:00'));
      const sent = await chaseOverdue(app.t.system, async () => {});
      if (sent.some((l) => l.id === loan.id)) reminded.push(day);
      // Once per day, however often the job runs.
      expect((await chaseOverdue(app.t.system, async () => {})).some((l) => l.id === loan.id)).toBe(false);
    }
    // The scheduled run tells the borrower and the archivists.
    app.t.clock.set(shanghai('2026-10-14', '08:30'));
    expect((await sendReminders(app.t.system)).reminded).toBeGreaterThan(0);
    const told = await app.t.database.db
      .selectFrom('notifications')
      .select(['user_id', 'title'])
      .where('kind', '=', 'lending.overdue')
      .execute();
    expect(told.map((n) => n.user_id)).toContain(app.co.ids.qa1);
    expect(told[0]?.title).toContain('已超期');
    // Due day (a holiday), then working days only: 10 October is an adjusted working Saturday,
    // 11 October a Sunday.
    expect(reminded).toEqual([
      '2026-10-05',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
      '2026-10-12',
      '2026-10-13',
    ]);

    await at(shanghai('2026-10-04'));
    const ids = async (state: string) =>
      ((await as.archivist.get(`/api/loans?state=${state}`)).json().items as Json[]).map((l) => l.id);
    expect(await ids('due_soon')).toContain(loan.id);
    expect(await ids('overdue')).not.toContain(loan.id);
    await at(shanghai('2026-10-06'));
    expect(await ids('overdue')).toContain(loan.id);
    expect((await as.archivist.get('/api/lending/todo')).json().overdue).toBeGreaterThan(0);
  });

  it('answers 400/415 problem+json to a letter without a usable body, and keeps nothing of it', async () => {
    const { as } = app.co;
    const url = `/api/access-requests/letters?name=${encodeURIComponent('介绍信.pdf')}`;
    const blobs = () =>
      fs.existsSync(path.join(app.t.dataDir, 'blobs'))
        ? fs.readdirSync(path.join(app.t.dataDir, 'blobs'), { recursive: true }).length
        : 0;
    const before = blobs();
    const form = multipart('介绍信.pdf', CONTRACT_PDF);
    const send = (payload: string | Buffer | undefined, contentType?: string) =>
      as.qa1.inject({
        method: 'POST',
        url,
        ...(payload === undefined ? {} : { payload }),
        headers: contentType ? { 'content-type': contentType } : {},
      });
    const cases: [string, () => ReturnType<typeof send>, number, string][] = [
      ['no body', () => send(undefined), 400, 'file_required'],
      ['an empty file', () => send(Buffer.alloc(0), 'application/octet-stream'), 400, 'file_empty'],
      ['JSON', () => send('{"sha256":"x"}', 'application/json'), 415, 'unsupported_media_type'],
      ['multipart', () => send(form.payload, form.headers['content-type']), 415, 'unsupported_media_type'],
      [
        'multipart without a boundary',
        () => send(form.payload, 'multipart/form-data'),
        415,
        'unsupported_media_type',
      ],
    ];
    const wrong: string[] = [];
    for (const [what, sendIt, status, code] of cases) {
      const res = await sendIt();
      const got = res.json() as Json;
      if (res.statusCode !== status || got.code !== code)
        wrong.push(`${what}: ${res.statusCode} ${got.code}`);
    }
    expect(wrong).toEqual([]);
    expect(blobs()).toBe(before);
    expect(fs.readdirSync(path.join(app.t.dataDir, 'tmp', 'uploads'))).toEqual([]);
  });

  it('renews through the same chain, with the general manager beyond two weeks', async () => {
    const { as } = app.co;
    await at(shanghai('2026-11-02'));
    const own = await doc(as.salesmgr, { title: '销售部客户拜访记录' });
    // sales1 sees its own department's records already; electronic access is still a grant.
    const r = (await request(as.sales1, { days: 7, items: [item(own)] })).json();
    expect(r.steps.map((s: Json) => s.role)).toEqual(['department_manager']);
    await decide(as.salesmgr, r.id);
    const renewal = await as.sales1.post(`/api/access-requests/${r.id}/renewals`, {
      days: 7,
      reason: '审核延期',
    });
    expect(renewal.statusCode, renewal.body).toBe(201);
    expect(renewal.json().steps.map((s: Json) => s.role)).toEqual(['department_manager']);
    expect(renewal.json().renewalOf.number).toBe(r.number);
    await decide(as.salesmgr, renewal.json().id);
    expect((await as.sales1.get(`/api/access-requests/${renewal.json().id}`)).json().endDate).toBe(
      '2026-11-16',
    );
    const beyond = await as.sales1.post(`/api/access-requests/${renewal.json().id}/renewals`, {
      days: 3,
      reason: '再延期',
    });
    expect(beyond.json().steps.map((s: Json) => s.role)).toEqual(['department_manager', 'general_manager']);
    // Another's request is absent for a colleague who may not read it (R-P1).
    expect(
      (await as.sales2.post(`/api/access-requests/${r.id}/renewals`, { days: 3, reason: 'x' })).statusCode,
    ).toBe(404);
  });

  it('prints the borrower’s stamped download legibly (R-L4)', async (ctx) => {
    const { as, sales } = app.co;
    await at(shanghai('2026-12-07'));
    const borrower = await seedUser(app.t, 'borrower', ['staff'], { departmentId: sales });
    // Named as people here are named: the stamp carries the borrower's name.
    expect((await as.admin.patch(`/api/users/${borrower.id}`, { name: '欧阳建国' })).statusCode).toBe(200);
    const me = await signIn(app.t.app, 'borrower');
    const target = await doc(as.qa1, { title: '年度供方评价报告' });
    await uploadFile(as.qa1, target, '供方评价.pdf', CONTRACT_PDF);
    const id = (await request(me, { purpose: 'copy', days: 10, items: [item(target)] })).json().id as string;
    await decide(as.salesmgr, id);
    const approved = (await decide(as.gm, id)).json();
    expect(approved.status).toBe('approved');
    const fileId = (await me.get(`/api/documents/${target}`)).json().versions[0].files[0].id;
    const download = await me.get(`/api/documents/${target}/files/${fileId}/content`);
    expect(download.statusCode).toBe(200);
    await expectGlyphsDrawn(download.rawPayload);
    const [page] = await ocrPdf(ctx, download.rawPayload);
    expectRead(page as string, '借阅');
    expectRead(page as string, approved.number);
    expectRead(page as string, '欧阳建国');
    expectRead(page as string, `至${approved.endDate}`);
    expectRead(page as string, '2026-12-07');
  });
});

describe('lending: records destroyed while a request waits (R-X4, R-P7)', () => {
  const app = companyApp();
  const doc = async (as: Client, body: Json) => {
    const res = await as.post('/api/documents', { category: 'records', retention: 'D10', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const request = async (as: Client, body: Json) =>
    as.post('/api/access-requests', { mode: 'electronic', purpose: 'read', reason: '客户审核需要', ...body });
  const item = (targetId: string) => ({ targetType: 'document', targetId });
  const decide = (as: Client, id: string, decision = 'approve', comment?: string) =>
    as.post(`/api/access-requests/${id}/decisions`, { decision, ...(comment ? { comment } : {}) });
  const titles = async (userId: string, link: string) =>
    (
      await app.t.database.db
        .selectFrom('notifications')
        .select('title')
        .where('user_id', '=', userId)
        .where('link', '=', link)
        .orderBy('created_at')
        .execute()
    ).map((n) => n.title);

  /** Appraises, registers, signs and carries out the destruction of the records, witnessed. */
  async function destroy(documentIds: string[]): Promise<void> {
    const { as, ids } = app.co;
    const archivist2 = await signIn(app.t.app, 'archivist2');
    const itemIds = await appraisedToDestroy(app.co, documentIds);
    const disposal = (await as.archivist.post('/api/disposals', { title: '2015年销毁', itemIds })).json();
    await as.archivist.post(`/api/disposals/${disposal.id}/submit`);
    for (const who of [archivist2, as.qamgr, as.gm])
      expect(
        (await who.post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve' })).statusCode,
      ).toBe(200);
    const done = await as.archivist.post(`/api/disposals/${disposal.id}/destroy`, {
      witnessIds: [ids.sales1, ids.sales2],
    });
    const checkedItemIds = (done.json().items as Json[]).map((i) => i.id as string);
    for (const who of [as.sales1, as.sales2])
      await who.post(`/api/disposals/${disposal.id}/witness`, { checkedItemIds });
    for (const id of documentIds)
      expect((await as.gm.get(`/api/documents/${id}`)).json().status, id).toBe('destroyed');
  }

  it('names all the items in the titles it builds, and grants nothing on a record destroyed meanwhile', async () => {
    const { as, ids } = app.co;
    await seedUser(app.t, 'archivist2', ['archivist'], { departmentId: app.co.quality, clearance: 'secret' });
    const gone = await doc(as.qa1, { title: '2015年品质检验记录', issueDate: '2015-05-01' });
    const kept = await doc(as.qa1, { title: '2024年品质检验记录', issueDate: '2024-05-01' });
    const paper = await doc(as.qa1, {
      title: '2015年品质纸质台账',
      issueDate: '2015-06-01',
      carrier: 'paper',
      location: 'C柜-01盒',
    });
    // Two items: 「… 等 2 件」 wherever the request is named, not 「等 1 件」 (which reads as one in all).
    const pending = (await request(as.qa1, { items: [item(gone), item(kept)] })).json();
    const link = `/lending/requests/${pending.id}`;
    expect(await titles(ids.qamgr, link)).toEqual([`待审批：${pending.number} 2015年品质检验记录 等 2 件`]);
    const borrowed = (
      await request(as.qa1, { mode: 'physical', purpose: 'borrow', items: [item(paper)] })
    ).json();
    expect((await decide(as.qamgr, borrowed.id)).json().status).toBe('approved');

    await destroy([gone, paper]);

    // The request waiting for approval shows which item is gone, and cannot be approved.
    const seen = (await as.qamgr.get(`/api/access-requests/${pending.id}`)).json();
    const byId = (r: Json, id: string) => (r.items as Json[]).find((i) => i.targetId === id) as Json;
    expect(byId(seen, gone)).toMatchObject({ destroyed: true });
    expect(byId(seen, kept)).toMatchObject({ destroyed: false });
    expect(seen.can).toMatchObject({ decide: true, approve: false });
    const refused = await decide(as.qamgr, pending.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'request_item_destroyed',
      title: '「2015年品质检验记录」已销毁，不能批准查阅或借阅；请驳回本申请',
    });
    expect(
      await app.t.database.db
        .selectFrom('document_grants')
        .select('id')
        .where('request_id', '=', pending.id)
        .execute(),
    ).toEqual([]);
    expect((await decide(as.qamgr, pending.id, 'reject', '档案已销毁')).json().status).toBe('rejected');
    expect(await titles(ids.qa1, link)).toEqual([`${pending.number} 已驳回：2015年品质检验记录 等 2 件`]);

    // An approved paper loan cannot be issued once its item is destroyed.
    const toIssue = (await as.archivist.get(`/api/access-requests/${borrowed.id}`)).json();
    const issued = await as.archivist.post(`/api/access-requests/${borrowed.id}/loans`, {
      itemIds: [(toIssue.items as Json[])[0]?.id],
      conditionOut: '完好',
    });
    expect(issued.statusCode).toBe(409);
    expect(issued.json()).toMatchObject({
      code: 'item_destroyed',
      title: '「2015年品质纸质台账」已销毁，不能查阅或借阅',
    });

    // A new request cannot name it, and the catalogue no longer offers it.
    const again = await request(as.qa1, { items: [item(kept), item(gone)] });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({
      code: 'item_destroyed',
      errors: [expect.objectContaining({ field: 'items.1.targetId' })],
    });
    const found = (
      await as.qa1.get(`/api/lending/catalogue?q=${encodeURIComponent('品质检验记录')}`)
    ).json() as Json[];
    expect(found.map((f) => f.targetId)).toContain(kept);
    expect(found.map((f) => f.targetId)).not.toContain(gone);
  });
});
