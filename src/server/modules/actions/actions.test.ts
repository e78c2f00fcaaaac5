import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';

// Corrective and preventive actions (纠正预防措施) through HTTP: raised on a complaint by whoever
// handles it, due in working days on the company calendar (over the National Day holiday), done by
// the owner, verified by quality but never by the action's own owner; visible exactly when the case
// is (list, export, by id, the to-do counts), audited, on the case's timeline, and printed in the
// 8D report read back by OCR.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();
const FAKE_ID = '01900000-0000-7000-8000-000000000000';

async function xlsxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  let out = '';
  for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml')))
    out += ` ${(await zip.file(name)?.async('string')) ?? ''}`;
  return out;
}

describe('corrective and preventive actions (纠正预防措施)', () => {
  const app = companyApp();
  const at = (iso: string) => travel(app.t, app.co, iso);
  let outsider: Client;
  let outsiderId: string;
  let caseId: string;
  let caseNumber: string;
  /** The actions raised, by name. */
  const a = {} as Record<'containment' | 'today' | 'corrective' | 'preventive', Json>;

  const audits = (action: string, targetId?: string) =>
    app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'target_label', 'outcome', 'secrecy'])
      .where('action', '=', action)
      .$if(!!targetId, (q) => q.where('target_id', '=', targetId as string))
      .execute();
  const raise = (as: Client, body: Json, id = caseId) => as.post(`/api/cases/${id}/actions`, body);

  it('is raised by the handler, due in working days over National Day, and notifies its owner', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-09-30'));
    // A staff member of the quality department: sees no case of the sales department's customers.
    outsiderId = (await seedUser(app.t, 'qastaff', ['staff'], { departmentId: app.co.quality })).id;
    outsider = await signIn(app.t.app, 'qastaff');
    const customer = await as.sales1.post('/api/customers', {
      name: '常州恒力汽车部件有限公司',
      category: 'general',
      kind: 'business',
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const created = await as.sales1.post('/api/cases', {
      kind: 'complaint',
      type: 'quality',
      customerId: customer.json().id,
      channel: 'phone',
      product: '油封总成',
      content: '油封渗漏，客户整车厂线上发现',
      demand: '提交8D报告',
    });
    expect(created.statusCode, created.body).toBe(201);
    caseId = created.json().id;
    caseNumber = created.json().number;
    const triaged = await as.qa1.post(`/api/cases/${caseId}/triage`, {
      justified: true,
      departmentId: app.co.sales,
      handlerId: ids.sales2,
    });
    expect(triaged.statusCode, triaged.body).toBe(200);

    // The receiver sees the case but does not handle it: may not raise actions.
    const notHandler = await raise(as.sales1, {
      kind: 'containment',
      description: '隔离库存',
      ownerId: ids.sales1,
      dueDays: 1,
    });
    expect(notHandler.statusCode, notHandler.body).toBe(403);
    expect((await as.sales1.get(`/api/cases/${caseId}/actions`)).json().canRaise).toBe(false);
    expect((await as.sales2.get(`/api/cases/${caseId}/actions`)).json().canRaise).toBe(true);

    // The handler raises them: 1 working day from 09-30 is 10-08 (10-01 … 10-07 the holiday).
    const containment = await raise(as.sales2, {
      kind: 'containment',
      description: '库存油封全检，隔离可疑批次',
      ownerId: ids.sales2,
      dueDays: 1,
    });
    expect(containment.statusCode, containment.body).toBe(201);
    a.containment = containment.json();
    expect(a.containment).toMatchObject({
      kind: 'containment',
      status: 'open',
      dueDays: 1,
      dueDate: '2026-10-08',
      owner: { id: ids.sales2 },
      source: { type: 'case', id: caseId, label: caseNumber },
      can: { complete: true, verify: false },
    });
    const today = await raise(as.sales2, {
      kind: 'containment',
      description: '通知客户暂停使用该批次',
      ownerId: ids.sales2,
      dueDays: 0,
    });
    expect(today.json().dueDate).toBe('2026-09-30');
    a.today = today.json();
    // 10 working days: 10-08, 09, 10 (the working Saturday), 12 … 16, 19, 20.
    const corrective = await raise(as.sales2, {
      kind: 'corrective',
      description: '更换压装工装并修订首件检验规范',
      ownerId: ids.qa1,
      dueDays: 10,
    });
    expect(corrective.statusCode, corrective.body).toBe(201);
    a.corrective = corrective.json();
    expect(a.corrective.dueDate).toBe('2026-10-20');
    const preventive = await raise(as.sales2, {
      kind: 'preventive',
      description: '设计变更分发清单按工序自动带出',
      ownerId: ids.qa1,
      dueDays: 15,
    });
    expect(preventive.statusCode, preventive.body).toBe(201);
    a.preventive = preventive.json();

    // The owner is told, with the case number.
    const notices = await app.t.database.db
      .selectFrom('notifications')
      .select(['title', 'link'])
      .where('user_id', '=', ids.qa1)
      .where('kind', '=', 'action.assigned')
      .execute();
    expect(notices).toHaveLength(2);
    expect(notices[0]?.title).toContain(caseNumber);
    expect(notices[0]?.link).toBe(`/cases/${caseId}`);

    // The case lists its actions and shows them on its timeline.
    const detail = (await as.sales2.get(`/api/cases/${caseId}`)).json();
    expect((detail.actions as Json[]).map((x) => x.id)).toEqual([
      a.containment.id,
      a.today.id,
      a.corrective.id,
      a.preventive.id,
    ]);
    expect((detail.events as Json[]).filter((e) => e.kind === 'action_raised')).toHaveLength(4);
    expect(await audits('action.create', a.corrective.id as string)).toEqual([
      expect.objectContaining({
        target_type: 'corrective_action',
        target_label: `${caseNumber} 纠正措施`,
        outcome: 'success',
      }),
    ]);
  });

  it('refuses an owner who could not see the case, bad input and a closed case', async () => {
    const { as, ids } = app.co;
    const outsiderOwner = await raise(as.sales2, {
      kind: 'corrective',
      description: '培训',
      ownerId: outsiderId,
      dueDays: 3,
    });
    expect(outsiderOwner.statusCode, outsiderOwner.body).toBe(422);
    expect(outsiderOwner.json()).toMatchObject({ code: 'action_owner_invalid' });
    expect(outsiderOwner.json().errors[0].field).toBe('ownerId');
    const bad = await raise(as.sales2, { kind: 'other', description: ' ', ownerId: ids.sales2, dueDays: -1 });
    expect(bad.statusCode).toBe(400);
    // Nobody may raise actions on a case they cannot see: 404, as for no case at all.
    for (const id of [caseId, FAKE_ID]) {
      const res = await raise(
        outsider,
        { kind: 'corrective', description: '培训', ownerId: outsiderId, dueDays: 3 },
        id,
      );
      expect(res.statusCode, res.body).toBe(404);
    }
    // A closed case takes no more actions.
    const closed = await as.sales1.post('/api/cases', {
      kind: 'complaint',
      type: 'price',
      customerId: (await as.sales2.get(`/api/cases/${caseId}`)).json().customer.id,
      channel: 'phone',
      content: '价格偏高',
    });
    const judged = await as.qa1.post(`/api/cases/${closed.json().id}/triage`, {
      justified: false,
      reply: { text: '价格按年度合同执行', way: 'phone' },
    });
    expect(judged.json().status).toBe('closed');
    const late = await raise(
      as.qa1,
      { kind: 'preventive', description: '复核报价', ownerId: ids.qa1, dueDays: 3 },
      closed.json().id,
    );
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().code).toBe('action_source_closed');
  });

  it('is done by its owner or the handler and verified by quality, never by its own owner', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-10-08', '09:00'));
    // Neither owner nor handler.
    const stranger = await as.sales1.post(`/api/actions/${a.containment.id}/complete`, { result: '已全检' });
    expect(stranger.statusCode, stranger.body).toBe(403);
    const done = await as.sales2.post(`/api/actions/${a.containment.id}/complete`, {
      result: '全检 480 件，隔离 6 件',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      doneBy: { id: ids.sales2 },
      can: { complete: false },
    });
    const again = await as.sales2.post(`/api/actions/${a.containment.id}/complete`, { result: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('action_wrong_status');
    // Staff do not verify.
    expect(
      (
        await as.sales1.post(`/api/actions/${a.containment.id}/verify`, {
          effective: true,
          verification: '好',
        })
      ).statusCode,
    ).toBe(403);
    const verified = await as.qa1.post(`/api/actions/${a.containment.id}/verify`, {
      effective: true,
      verification: '复查库存无渗漏',
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'verified', verifiedBy: { id: ids.qa1 } });

    // qa1 owns the corrective action: may complete it, may not verify it; the GM verifies.
    const own = await as.qa1.post(`/api/actions/${a.corrective.id}/complete`, {
      result: '新工装已验收，首件检验规范已修订',
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().can.verify).toBe(false);
    const self = await as.qa1.post(`/api/actions/${a.corrective.id}/verify`, {
      effective: true,
      verification: '自查有效',
    });
    expect(self.statusCode, self.body).toBe(403);
    expect(self.json().code).toBe('action_verify_own');
    expect(await audits('action.verify', a.corrective.id as string)).toEqual([
      expect.objectContaining({ outcome: 'denied', target_type: 'corrective_action' }),
    ]);
    const gm = await as.gm.post(`/api/actions/${a.corrective.id}/verify`, {
      effective: false,
      verification: '连续三批仍有渗漏，措施无效',
    });
    expect(gm.statusCode, gm.body).toBe(200);
    expect(gm.json()).toMatchObject({ status: 'ineffective', verifiedBy: { id: ids.gm } });
    // The handler completes an action someone else owns.
    const byHandler = await as.sales2.post(`/api/actions/${a.today.id}/complete`, {
      result: '已电话通知客户',
    });
    expect(byHandler.statusCode, byHandler.body).toBe(200);

    const detail = (await as.sales2.get(`/api/cases/${caseId}`)).json();
    expect((detail.events as Json[]).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['action_done', 'action_verified', 'action_ineffective']),
    );
    expect((detail.actions as Json[]).map((x) => x.status)).toEqual([
      'verified',
      'done',
      'ineffective',
      'open',
    ]);
    for (const action of ['action.complete', 'action.verify'])
      expect((await audits(action)).filter((e) => e.outcome === 'success').length).toBeGreaterThan(0);
  });

  it('puts overdue actions in the owner’s to-do and lists, and the done ones in quality’s', async () => {
    const { as } = app.co;
    // On its due day an action is not overdue yet.
    await at(shanghai('2026-10-20', '09:00'));
    expect((await as.qa1.get('/api/actions/todo')).json()).toMatchObject({ open: 1, overdue: 0 });
    await at(shanghai('2026-10-30', '09:00'));
    const todo = (await as.qa1.get('/api/actions/todo')).json();
    expect(todo).toMatchObject({ open: 1, overdue: 1 });
    // The done containment action waits for a verifier other than its owner.
    expect(todo.toVerify).toBe(1);
    expect((await as.sales2.get('/api/actions/todo')).json()).toMatchObject({ open: 0, toVerify: 0 });
    const overdue = (await as.qa1.get('/api/actions?overdue=true')).json().items as Json[];
    expect(overdue.map((x) => x.id)).toEqual([a.preventive.id]);
    expect(overdue[0]).toMatchObject({ overdue: true, customer: { name: '常州恒力汽车部件有限公司' } });
    // All, for quality, keyset paged by due date.
    const first = (await as.qa1.get('/api/actions?view=all&limit=3')).json();
    expect(first.items).toHaveLength(3);
    const rest = (await as.qa1.get(`/api/actions?view=all&limit=3&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...rest.items].map((x: Json) => x.id)).toEqual([
      a.today.id,
      a.containment.id,
      a.corrective.id,
      a.preventive.id,
    ]);
    // 15 working days from 09-30: … 10-20 (10), 21, 22, 23, 26, 27.
    expect(a.preventive.dueDate).toBe('2026-10-27');
    expect(rest.nextCursor).toBeNull();
    // Staff have their own list only.
    expect((await as.sales2.get('/api/actions?view=all')).statusCode).toBe(403);
    const mine = (await as.sales2.get('/api/actions')).json().items as Json[];
    expect(mine.map((x) => x.id).sort()).toEqual([a.containment.id, a.today.id].sort());
  });

  it('exports the list as .xlsx and CSV, audited', async () => {
    const { as } = app.co;
    const xlsx = await as.qa1.get('/api/actions/export.xlsx?view=all');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain('纠正预防措施一览表');
    const sheet = await xlsxText(xlsx.rawPayload);
    for (const words of ['措施内容', '更换压装工装并修订首件检验规范', caseNumber, '验证无效'])
      expect(sheet).toContain(words);
    const csv = await as.qa1.get('/api/actions/export.csv?view=all&status=ineffective');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.rawPayload.toString('utf8').split('\r\n');
    expect(lines[0]?.startsWith('\uFEFF序号,来源,来源编号')).toBe(true);
    expect(lines.filter((l) => l)).toHaveLength(2);
    expect(lines[1]).toContain('更换压装工装并修订首件检验规范');
    expect(lines[1]).toContain('连续三批仍有渗漏，措施无效');
    const exported = await audits('action.export');
    expect(exported.map((e) => e.target_type)).toEqual(['corrective_action', 'corrective_action']);
  });

  it('shows nothing of a case’s actions to whoever may not see the case (R-P1)', async () => {
    const { as } = app.co;
    outsider = await signIn(app.t.app, 'qastaff');
    // The outsider: every route answers as if there were no such actions.
    for (const id of [a.corrective.id, FAKE_ID]) {
      const res = await outsider.get(`/api/actions/${id}`);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('not_found');
      const done = await outsider.post(`/api/actions/${id}/complete`, { result: '完成' });
      expect(done.statusCode).toBe(404);
    }
    expect((await outsider.get(`/api/cases/${caseId}/actions`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/cases/${caseId}/8d.pdf`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/cases/${caseId}/record.pdf`)).statusCode).toBe(404);
    expect((await outsider.get('/api/actions')).json().items).toEqual([]);
    const csv = (await outsider.get('/api/actions/export.csv')).rawPayload.toString('utf8');
    expect(csv.split('\r\n').filter((l) => l)).toHaveLength(1);

    // The owner reads their action, audited; then the case becomes 秘密 and the 普通 owner, like a
    // 普通 general manager, no longer finds it anywhere.
    const read = await as.sales2.get(`/api/actions/${a.containment.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(await audits('action.read', a.containment.id as string)).toHaveLength(1);
    expect((await as.lowgm.get('/api/actions?view=all')).json().items).toHaveLength(4);
    const raised = await as.qa1.patch(`/api/cases/${caseId}`, { secrecy: 'secret' });
    expect(raised.statusCode, raised.body).toBe(200);
    for (const who of [as.sales2, as.lowgm])
      expect((await who.get(`/api/actions/${a.containment.id}`)).statusCode).toBe(404);
    expect((await as.lowgm.get('/api/actions?view=all')).json().items).toEqual([]);
    expect((await as.sales2.get('/api/actions')).json().items).toEqual([]);
    expect((await as.sales2.get(`/api/cases/${caseId}/actions`)).statusCode).toBe(404);
    expect((await as.sales2.get('/api/actions/todo')).json()).toMatchObject({ open: 0, overdue: 0 });
    const sheet = await xlsxText((await as.sales2.get('/api/actions/export.xlsx')).rawPayload);
    expect(sheet).not.toContain('库存油封全检');
    // Quality, cleared, still sees them all; the audit entries carry the case's level now.
    expect((await as.qa1.get('/api/actions?view=all')).json().items).toHaveLength(4);
  });

  it('prints the 8D report with the case’s actions, audited, named by the case number', async (ctx) => {
    const { as } = app.co;
    const res = await as.qa1.get(`/api/cases/${caseId}/8d.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toContain(
      `attachment; filename="${caseNumber}-8D.pdf"`,
    );
    expect(await audits('case.print_8d', caseId)).toEqual([
      expect.objectContaining({
        target_type: 'case',
        target_label: caseNumber,
        secrecy: 1,
        outcome: 'success',
      }),
    ]);
    await expectGlyphsDrawn(res.rawPayload);
    const text = (await ocrPdf(ctx, res.rawPayload)).join('');
    for (const words of [
      '8D报告',
      caseNumber,
      'D5永久纠正措施',
      '更换压装工装并修订首件检验规范',
      '设计变更分发清单',
    ])
      expectRead(text, words, words.length > 12 ? 1 : 0);
    // The record sheet before closing.
    const record = await as.qa1.get(`/api/cases/${caseId}/record.pdf`);
    expect(record.statusCode, record.body).toBe(200);
    expect(String(record.headers['content-disposition'])).toContain(`${caseNumber}.pdf`);
    await expectGlyphsDrawn(record.rawPayload);
    expect(await audits('case.print_record', caseId)).toHaveLength(1);
  });
});
