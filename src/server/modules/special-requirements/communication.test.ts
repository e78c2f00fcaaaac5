import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { ocrPdf } from '../../test-support/pdf-check.js';
import { srDaily } from './sr-notices.js';

// Communication of customer special requirements through HTTP (R-S3, R-S5): quality distributes a
// requirement or the whole list to departments and people, within clearance; recipients
// acknowledge; who has not is shown, reminded by hand and by the daily task after 3 working days
// (once a day at most, on an injected clock); the acknowledgement record prints as a training
// record; the yearly check records the customer's versions, flags a mismatch and sets the next
// date, and reminds from 30 days before it, once a week.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('special requirements: distribution, acknowledgement, yearly check (R-S3, R-S5)', () => {
  const app = companyApp();
  const extra: Record<string, Client> = {};
  const ids: Record<string, string> = {};
  let production = '';
  let n = 0;

  const at = async (iso: string) => {
    await travel(app.t, app.co, iso);
    for (const login of Object.keys(extra)) extra[login] = await signIn(app.t.app, login);
  };
  const as = (login: string): Client =>
    (extra[login] ?? (app.co.as as Record<string, Client>)[login]) as Client;

  beforeAll(async () => {
    await at(shanghai('2026-03-05', '09:00'));
    const t = app.t;
    const dept = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      cookies: { kedang_session: app.co.as.admin.cookie },
      headers: { 'x-csrf-token': app.co.as.admin.csrf },
      payload: { name: '生产部', code: 'production', parentId: null, sortOrder: 0 },
    });
    expect(dept.statusCode, dept.body).toBe(201);
    production = dept.json().id;
    for (const [login, clearance] of [
      ['prod1', 'confidential'],
      ['prod2', 'normal'],
    ] as const) {
      ids[login] = (await seedUser(t, login, ['staff'], { departmentId: production, clearance })).id;
      extra[login] = await signIn(t.app, login);
    }
  });

  const archive = async (by: Client, body: Json = {}) => {
    const res = await by.post('/api/customers', {
      name: `特殊要求传达测试${++n}号汽车部件有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '常州市武进区长虹路8号',
      industry: '汽车零部件',
      region: '常州',
      contacts: [{ name: '李工', mobile: '13900000000', isPrimary: true }],
      file: true,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string };
  };
  /** Quality sees the archive through a grant to its department (R-P2). */
  const grantQuality = async (customerId: string) => {
    const res = await app.co.as.gm.post(`/api/customers/${customerId}/grants`, {
      departmentId: app.co.quality,
      reason: '品质部传达顾客特殊要求',
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const requirement = async (by: Client, customerId: string, body: Json = {}) => {
    const res = await by.post('/api/special-requirements', {
      customerId,
      category: 'ppap',
      title: 'PPAP 提交等级 3 级',
      text: '所有新零件按 PPAP 第 3 级提交，包括全尺寸报告与材料证明。',
      receivedOn: '2026-03-02',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  };
  const distribute = async (by: Client, body: Json) =>
    by.post('/api/special-requirements/distributions', { ackKind: 'read', ...body });
  const notices = async (userId: string, kind: string) =>
    app.t.database.db
      .selectFrom('notifications')
      .select(['title', 'created_at'])
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .execute();

  let customer: { id: string; archiveCode: string };
  let req: { id: string; number: string };
  let distributionId = '';

  it('distributes a requirement to a department and a person; who has not acknowledged is shown', async () => {
    const { as: co, ids: people } = app.co;
    customer = await archive(co.sales1);
    req = await requirement(co.sales1, customer.id);
    // Quality keeps every customer's matrix: it distributes this 销售部 requirement without a grant.
    expect((await co.qa1.get(`/api/special-requirements/${req.id}`)).statusCode).toBe(200);
    // Only quality distributes.
    const refused = await distribute(co.sales1, {
      customerId: customer.id,
      requirementId: req.id,
      departmentIds: [production],
    });
    expect(refused.statusCode).toBe(403);
    const nobody = await distribute(co.qa1, { customerId: customer.id, requirementId: req.id });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().errors[0].field).toBe('userIds');
    const unknown = await distribute(co.qa1, {
      customerId: customer.id,
      requirementId: req.id,
      userIds: ['no-such-user'],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('userIds.0');

    const res = await distribute(co.qa1, {
      customerId: customer.id,
      requirementId: req.id,
      departmentIds: [production],
      userIds: [people.sales2, ids.prod1 as string],
      note: '请各部门组织学习',
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    distributionId = d.id;
    expect(d.skipped).toEqual([]);
    expect(d.requirement).toMatchObject({ id: req.id, number: req.number });
    expect(d.recipients.map((x: Json) => (x.user as Json).name).sort()).toEqual(['prod1', 'prod2', 'sales2']);
    expect(d.pending).toBe(3);
    // Each recipient is told.
    for (const id of [ids.prod1, ids.prod2, people.sales2] as string[])
      expect(await notices(id, 'sr.distribution')).toHaveLength(1);
    expect(await notices(people.sales1, 'sr.distribution')).toHaveLength(0);

    // prod1 reads it; 已培训 cannot be claimed twice over, and someone not on it cannot acknowledge.
    const mine = await as('prod1').get('/api/special-requirements/acknowledgements/mine');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toEqual([
      expect.objectContaining({
        distributionId,
        requirement: expect.objectContaining({ number: req.number }),
      }),
    ]);
    const ack = await as('prod1').post(
      `/api/special-requirements/distributions/${distributionId}/acknowledge`,
      {
        kind: 'read',
        note: '已学习',
      },
    );
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().pending).toBe(2);
    expect(ack.json().can.acknowledge).toBe(false);
    expect((await as('prod1').get('/api/special-requirements/acknowledgements/mine')).json()).toEqual([]);
    const owner = await co.sales1.post(
      `/api/special-requirements/distributions/${distributionId}/acknowledge`,
      {
        kind: 'read',
      },
    );
    expect(owner.statusCode).toBe(403);
    const stranger = await co.east1.get(`/api/special-requirements/distributions/${distributionId}`);
    // 华东销售组 is below 销售部: east1 does not see its archive, and is not told it exists.
    expect(stranger.statusCode).toBe(404);
    const view = await co.qa1.get(`/api/special-requirements/distributions/${distributionId}`);
    const pending = (view.json().recipients as Json[]).filter((x) => !x.acknowledgedAt);
    expect(pending.map((x) => (x.user as Json).name).sort()).toEqual(['prod2', 'sales2']);
    const done = (view.json().recipients as Json[]).find((x) => (x.user as Json).name === 'prod1') as Json;
    expect(done).toMatchObject({ kind: 'read', note: '已学习', department: { id: production } });
    expect(view.json().can).toEqual({ acknowledge: false, remind: true });
    // The archive's 传达与确认: its distributions with who has not acknowledged; 404 for a stranger.
    const listed = await co.qa1.get(`/api/special-requirements/distributions?customerId=${customer.id}`);
    expect(listed.statusCode, listed.body).toBe(200);
    const entry = (listed.json().items as Json[]).find((x) => x.id === distributionId) as Json;
    expect(entry).toMatchObject({ pending: 2, requirement: { number: req.number } });
    expect((entry.recipients as Json[]).filter((x) => !x.acknowledgedAt)).toHaveLength(2);
    expect(
      (await co.east1.get(`/api/special-requirements/distributions?customerId=${customer.id}`)).statusCode,
    ).toBe(404);
    // The reader's to-do counts it until they acknowledge.
    const todo = await as('prod2').get('/api/special-requirements/todo');
    expect(todo.statusCode, todo.body).toBe(200);
    expect(todo.json().toAcknowledge).toBe(1);
    expect((await as('prod1').get('/api/special-requirements/todo')).json().toAcknowledge).toBe(0);
    // Every read and change is audited against the requirement.
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', req.id)
      .where('action', 'in', ['sr.distribute', 'sr.acknowledge', 'sr.distribution_read'])
      .execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set(['sr.distribute', 'sr.acknowledge', 'sr.distribution_read']),
    );
  });

  it('asks for 已培训 when training was asked, and lets 已阅 become 已培训', async () => {
    const { as: co } = app.co;
    const res = await distribute(co.qa1, {
      customerId: customer.id,
      requirementId: req.id,
      ackKind: 'trained',
      userIds: [ids.prod2],
    });
    expect(res.statusCode, res.body).toBe(201);
    const url = `/api/special-requirements/distributions/${res.json().id}/acknowledge`;
    const read = await as('prod2').post(url, { kind: 'read' });
    expect(read.statusCode).toBe(422);
    expect(read.json().errors[0].field).toBe('kind');
    const trained = await as('prod2').post(url, { kind: 'trained' });
    expect(trained.statusCode, trained.body).toBe(200);
    expect(trained.json().recipients[0]).toMatchObject({ kind: 'trained' });
  });

  it('reminds only those who have not acknowledged, after 3 working days, once a day', async () => {
    const { as: co, ids: people } = app.co;
    const count = async () => ({
      prod1: (await notices(ids.prod1 as string, 'sr.acknowledge_reminder')).length,
      prod2: (await notices(ids.prod2 as string, 'sr.acknowledge_reminder')).length,
      sales2: (await notices(people.sales2, 'sr.acknowledge_reminder')).length,
    });
    // Distributed Thursday 03-05: Friday, Monday are 2 working days; Tuesday 03-10 is the third.
    await at(shanghai('2026-03-09', '08:30'));
    await srDaily(app.t.system);
    expect(await count()).toEqual({ prod1: 0, prod2: 0, sales2: 0 });
    await at(shanghai('2026-03-10', '08:30'));
    expect((await srDaily(app.t.system)).acknowledgements).toBe(2);
    expect(await count()).toEqual({ prod1: 0, prod2: 1, sales2: 1 });
    // The same day again: nobody twice.
    await at(shanghai('2026-03-10', '17:00'));
    expect((await srDaily(app.t.system)).acknowledgements).toBe(0);
    expect(await count()).toEqual({ prod1: 0, prod2: 1, sales2: 1 });
    // sales2 acknowledges; the next day only prod2 is reminded.
    const ack = await co.sales2.post(
      `/api/special-requirements/distributions/${distributionId}/acknowledge`,
      {
        kind: 'read',
      },
    );
    expect(ack.statusCode, ack.body).toBe(200);
    await at(shanghai('2026-03-11', '08:30'));
    await srDaily(app.t.system);
    expect(await count()).toEqual({ prod1: 0, prod2: 2, sales2: 1 });
    // Quality reminds by hand on the 12th; the daily task then leaves prod2 alone that day.
    await at(shanghai('2026-03-12', '08:00'));
    expect(
      (await co.sales1.post(`/api/special-requirements/distributions/${distributionId}/remind`)).statusCode,
    ).toBe(403);
    const remind = await co.qa1.post(`/api/special-requirements/distributions/${distributionId}/remind`);
    expect(remind.statusCode, remind.body).toBe(200);
    const prod2 = (remind.json().recipients as Json[]).find((x) => (x.user as Json).name === 'prod2') as Json;
    expect(prod2.remindedAt).toBe(shanghai('2026-03-12', '08:00'));
    await at(shanghai('2026-03-12', '09:00'));
    await srDaily(app.t.system);
    expect(await count()).toEqual({ prod1: 0, prod2: 3, sales2: 1 });
  });

  it('skips a recipient not cleared for a 机密 archive, and tells them nothing', async () => {
    const { as: co } = app.co;
    const secret = await archive(co.gm, { secrecy: 'confidential' });
    await grantQuality(secret.id);
    const r = await requirement(co.qa1, secret.id, { title: '包装标签要求', category: 'packaging' });
    const res = await distribute(co.qa1, {
      customerId: secret.id,
      requirementId: r.id,
      departmentIds: [production],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().recipients.map((x: Json) => (x.user as Json).name)).toEqual(['prod1']);
    expect(res.json().skipped).toEqual([
      {
        user: { id: ids.prod2, name: 'prod2' },
        department: { id: production, name: '生产部' },
        reason: 'clearance',
      },
    ]);
    const told = await notices(ids.prod2 as string, 'sr.distribution');
    expect(told.some((x) => x.title.includes(r.number))).toBe(false);
    expect(told).toHaveLength(2); // the two distributions of the first archive only
    // prod2 cannot open it either.
    expect(
      (await as('prod2').get(`/api/special-requirements/distributions/${res.json().id}`)).statusCode,
    ).toBe(404);
    expect(
      (await as('prod1').get(`/api/special-requirements/distributions/${res.json().id}`)).statusCode,
    ).toBe(200);
  });

  it('prints the acknowledgement record as a training record', async (ctx) => {
    const { as: co } = app.co;
    const res = await co.qa1.get(`/api/special-requirements/distributions/${distributionId}/record.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const all = (await ocrPdf(ctx, res.rawPayload)).join('');
    expect(all).toContain('培训记录');
    expect(all).toContain(req.number);
    for (const name of ['prod1', 'prod2', 'sales2']) expect(all).toContain(name);
    expect(all).toContain('生产部');
    expect(all).toContain('签名');
  });

  it('distributes the whole list at its revision', async () => {
    const { as: co } = app.co;
    await requirement(co.sales1, customer.id, { title: '变更须提前通知', category: 'change' });
    const res = await distribute(co.qa1, { customerId: customer.id, userIds: [ids.prod1] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ requirement: null, listRevision: 0 });
    // The recipient sees the distribution (and the list's requirements), not the archive.
    expect(
      (await as('prod1').get(`/api/special-requirements/distributions/${res.json().id}`)).statusCode,
    ).toBe(200);
    expect((await as('prod1').get(`/api/customers/${customer.id}`)).statusCode).toBe(404);
    expect((await as('prod1').get(`/api/special-requirements/${req.id}`)).statusCode).toBe(200);
    const record = await co.qa1.get(`/api/special-requirements/distributions/${res.json().id}/record.pdf`);
    expect(record.statusCode).toBe(200);
  });

  it('records the yearly check: next date in 12 months, a mismatch named, reminders from 30 days before', async () => {
    const { as: co, ids: people } = app.co;
    await at(shanghai('2026-03-16', '09:00'));
    const c = await archive(co.sales2);
    await grantQuality(c.id);
    // Quality of another department, without a grant: never told about this list.
    const outsiderQa = await seedUser(app.t, 'qa2', ['quality'], { clearance: 'top_secret' });
    const docs: { id: string }[] = [];
    for (const [title, versionLabel] of [
      ['客户质量手册', 'C'],
      ['质量保证协议', '2025版'],
    ]) {
      const d = await co.sales2.post('/api/documents', {
        title,
        source: 'customer',
        category: 'customer_supplied',
        carrier: 'electronic',
        customerId: c.id,
        versionLabel,
      });
      expect(d.statusCode, d.body).toBe(201);
      docs.push(d.json());
    }
    const [manual, agreement] = docs as [{ id: string }, { id: string }];
    await requirement(co.sales2, c.id, { sourceDocumentId: manual.id, sourceClause: '4.2' });
    await requirement(co.sales2, c.id, { sourceDocumentId: agreement.id, title: '年度 PPM 目标 50' });
    const before = await co.sales2.get(`/api/customers/${c.id}/sr-checks`);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().sources.map((s: Json) => [(s.document as Json).id, s.registeredVersion])).toEqual(
      expect.arrayContaining([
        [manual.id, 'C'],
        [agreement.id, '2025版'],
      ]),
    );
    expect(before.json().can.check).toBe(true);
    expect(
      (await co.sales1.post(`/api/customers/${c.id}/sr-checks`, { checkedOn: '2026-03-16', sources: [] }))
        .statusCode,
    ).toBe(403);
    const outsider = await co.qa1.post(`/api/customers/${c.id}/sr-checks`, {
      checkedOn: '2026-03-16',
      sources: [{ documentId: 'not-cited', publishedVersion: 'A', confirmedOn: '2026-03-16' }],
    });
    expect(outsider.statusCode).toBe(422);
    expect(outsider.json().errors[0].field).toBe('sources.0.documentId');

    const res = await co.qa1.post(`/api/customers/${c.id}/sr-checks`, {
      checkedOn: '2026-03-16',
      note: '客户门户核对',
      sources: [
        { documentId: manual.id, publishedVersion: 'c', confirmedOn: '2026-03-13' },
        { documentId: agreement.id, publishedVersion: '2026版', confirmedOn: '2026-03-16' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const check = res.json();
    expect(check.nextCheckOn).toBe('2027-03-16');
    expect(check.needsNewVersion).toEqual([
      expect.objectContaining({ id: agreement.id, publishedVersion: '2026版', registeredVersion: '2025版' }),
    ]);
    const byDoc = new Map((check.sources as Json[]).map((s) => [(s.document as Json).id, s]));
    expect(byDoc.get(manual.id)).toMatchObject({
      matches: true,
      registeredVersion: 'C',
      confirmedOn: '2026-03-13',
    });
    expect(byDoc.get(agreement.id)).toMatchObject({ matches: false });
    const list = (await co.sales2.get(`/api/customers/${c.id}/special-requirements`)).json();
    expect(list).toMatchObject({
      lastCheckedOn: '2026-03-16',
      nextCheckOn: '2027-03-16',
      checkOverdue: false,
    });
    const after = (await co.sales2.get(`/api/customers/${c.id}/sr-checks`)).json();
    expect(after.checks).toHaveLength(1);
    expect(after.checkDue).toBe(false);

    // Reminders: not 31 days before, then from 30 days before, once a week, to quality and the owner.
    const told = async () =>
      (await notices(people.sales2, 'sr.check_due')).filter((x) => x.title.includes(c.archiveCode));
    const qaTold = async () =>
      (await notices(people.qa1, 'sr.check_due')).filter((x) => x.title.includes(c.archiveCode));
    await at(shanghai('2027-02-13', '08:00'));
    await srDaily(app.t.system);
    expect(await told()).toHaveLength(0);
    expect((await co.sales2.get('/api/special-requirements/todo')).json().checksDue).toBe(0);
    await at(shanghai('2027-02-14', '08:00'));
    await srDaily(app.t.system);
    expect(await told()).toHaveLength(1);
    expect(await qaTold()).toHaveLength(1);
    expect(await notices(outsiderQa.id, 'sr.check_due')).toHaveLength(0);
    expect((await co.sales2.get('/api/special-requirements/todo')).json().checksDue).toBeGreaterThanOrEqual(
      1,
    );
    expect((await co.qa1.get('/api/special-requirements/todo')).json().checksDue).toBeGreaterThanOrEqual(1);
    // The department's manager sees the list but does not check it: nothing on their list.
    expect((await co.salesmgr.get('/api/special-requirements/todo')).json().checksDue).toBe(0);
    await at(shanghai('2027-02-20', '08:00'));
    await srDaily(app.t.system);
    expect(await told()).toHaveLength(1);
    await at(shanghai('2027-02-21', '08:00'));
    await srDaily(app.t.system);
    expect(await told()).toHaveLength(2);
    // Overdue once the date passes; a new check moves it a year on and the reminders stop.
    await at(shanghai('2027-03-17', '08:00'));
    expect((await co.sales2.get(`/api/customers/${c.id}/sr-checks`)).json()).toMatchObject({
      checkOverdue: true,
    });
    const again = await co.sales2.post(`/api/customers/${c.id}/sr-checks`, {
      checkedOn: '2027-03-17',
      sources: [{ documentId: manual.id, publishedVersion: 'C', confirmedOn: '2027-03-17' }],
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ nextCheckOn: '2028-03-17', needsNewVersion: [] });
    await at(shanghai('2027-03-28', '08:00'));
    await srDaily(app.t.system);
    expect((await co.sales2.get('/api/special-requirements/todo')).json().checksDue).toBe(0);
  });
});
