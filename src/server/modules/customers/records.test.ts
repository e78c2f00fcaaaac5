import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test-support/app.js';
import { type Company, seedCompany } from '../../test-support/customers.js';

const base = { category: 'general', kind: 'business' };
type Json = Record<string, unknown>;

describe('changing an archive keeps its history (R-C5, R-C6)', () => {
  let t: TestApp;
  let co: Company;
  let id: string;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    id = (await co.as.sales1.post('/api/customers', { ...base, name: '历史测试公司', region: '广州' })).json()
      .id;
  });
  afterAll(() => t.close());

  it('records every changed field with who, when, old and new value', async () => {
    const res = await co.as.sales1.patch(`/api/customers/${id}`, {
      region: '深圳',
      industry: '电子制造',
      registeredCapital: '500.50',
      ownerIds: [co.ids.sales1, co.ids.sales2],
      note: '客户搬迁',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ region: '深圳', industry: '电子制造', registeredCapital: '500.50' });
    const history = (await co.as.sales1.get(`/api/customers/${id}/history`)).json().items as Json[];
    const changes = history
      .filter((h) => h.kind === 'update')
      .map((h) => [h.field, h.oldValue, h.newValue, h.note, h.actorName]);
    expect(changes).toEqual(
      expect.arrayContaining([
        ['region', '广州', '深圳', '客户搬迁', 'sales1'],
        ['industry', null, '电子制造', '客户搬迁', 'sales1'],
        ['registeredCapital', null, '500.50', '客户搬迁', 'sales1'],
        ['owners', ['sales1'], ['sales1', 'sales2'], '客户搬迁', 'sales1'],
      ]),
    );
    // Saving the same values again is not a change.
    await co.as.sales1.patch(`/api/customers/${id}`, { region: '深圳' });
    expect(((await co.as.sales1.get(`/api/customers/${id}/history`)).json().items as Json[]).length).toBe(
      history.length,
    );
  });

  it('flags a change recorded more than 5 working days after it happened', async () => {
    // Today is Monday 2026-03-02: five working days after 2026-02-13 is 2026-02-27 (春节 in between).
    await co.as.sales1.patch(`/api/customers/${id}`, { phone: '020-12345678', changeDate: '2026-02-24' });
    await co.as.sales1.patch(`/api/customers/${id}`, {
      website: 'https://example.cn',
      changeDate: '2026-02-13',
    });
    const history = (await co.as.sales1.get(`/api/customers/${id}/history`)).json().items as Json[];
    expect(history.find((h) => h.field === 'phone')).toMatchObject({ changeDate: '2026-02-24', late: false });
    expect(history.find((h) => h.field === 'website')).toMatchObject({
      changeDate: '2026-02-13',
      late: true,
    });
    const future = await co.as.sales1.patch(`/api/customers/${id}`, {
      region: '佛山',
      changeDate: '2026-03-03',
    });
    expect(future.json().errors[0]).toMatchObject({ field: 'changeDate', code: 'future_date' });
  });

  it('lets owners, the department manager, the GM and the archivist edit; others only read', async () => {
    expect((await co.as.salesmgr.patch(`/api/customers/${id}`, { grade: 'A' })).statusCode).toBe(200);
    expect((await co.as.gm.patch(`/api/customers/${id}`, { creditClass: 'jia' })).statusCode).toBe(200);
    expect((await co.as.archivist.patch(`/api/customers/${id}`, { source: 'exhibition' })).statusCode).toBe(
      200,
    );
    const east = await co.as.east1.patch(`/api/customers/${id}`, { grade: 'C' });
    expect(east.statusCode).toBe(404); // a sub-group does not see its parent's archives
    await co.as.sales1.patch(`/api/customers/${id}`, { ownerIds: [co.ids.sales1] });
    const sales2 = await co.as.sales2.patch(`/api/customers/${id}`, { grade: 'C' });
    expect(sales2.statusCode).toBe(403);
    expect((await co.as.sales2.get(`/api/customers/${id}`)).json().can.update).toBe(false);
    const denied = (await co.as.admin.get('/api/audit?outcome=denied&actor=sales2')).json().items;
    expect(denied[0]).toMatchObject({ action: 'customer.update', targetId: id });
  });

  it('warns when a key customer has fewer than two responsible employees (R-C8)', async () => {
    const key = await co.as.sales1.patch(`/api/customers/${id}`, { category: 'key' });
    expect(key.json().warnings).toEqual(['key_customer_owners']);
    const two = await co.as.sales1.patch(`/api/customers/${id}`, {
      ownerIds: [co.ids.sales1, co.ids.sales2],
    });
    expect(two.json().warnings).toEqual([]);
  });

  it('deactivates without deleting, refuses edits while inactive, and reactivates', async () => {
    expect(
      (await co.as.sales1.post(`/api/customers/${id}/deactivate`, { note: '不再合作' })).statusCode,
    ).toBe(403);
    const off = await co.as.salesmgr.post(`/api/customers/${id}/deactivate`, { note: '不再合作' });
    expect(off.json()).toMatchObject({ status: 'inactive' });
    const edit = await co.as.sales1.patch(`/api/customers/${id}`, { region: '珠海' });
    expect(edit.json()).toMatchObject({
      status: 409,
      code: 'customer_not_editable',
      title: '档案状态为“已停用”，不能修改',
    });
    expect((await co.as.sales1.get(`/api/customers?status=inactive`)).json().items).toHaveLength(1);
    const on = await co.as.salesmgr.post(`/api/customers/${id}/reactivate`, {});
    expect(on.json().status).toBe('draft');
  });
});

describe('custom fields (R-C3)', () => {
  let t: TestApp;
  let co: Company;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
  });
  afterAll(() => t.close());

  it('are defined per kind by administrators, validated, stored and searchable', async () => {
    const define = (body: Json) => co.as.admin.post('/api/customer-config/custom-fields', body);
    expect(
      (
        await define({
          key: 'plant',
          label: '生产基地',
          type: 'select',
          options: ['深圳', '苏州'],
          required: true,
          kinds: ['business'],
        })
      ).statusCode,
    ).toBe(201);
    expect((await define({ key: 'audit_date', label: '二方审核日期', type: 'date' })).statusCode).toBe(201);
    expect(
      (await define({ key: 'tags', label: '标签', type: 'multiselect', options: ['汽车', '家电', '照明'] }))
        .statusCode,
    ).toBe(201);
    expect((await define({ key: 'plant', label: '重复', type: 'text' })).json().code).toBe(
      'custom_field_taken',
    );
    expect((await define({ key: 'Bad Key', label: '坏', type: 'text' })).json().errors[0].field).toBe('key');
    expect(
      (await co.as.sales1.post('/api/customer-config/custom-fields', { key: 'x', label: 'x', type: 'text' }))
        .statusCode,
    ).toBe(403);

    const missing = await co.as.sales1.post('/api/customers', { ...base, name: '缺自定义字段' });
    expect(missing.json().errors).toEqual([
      expect.objectContaining({ field: 'customFields.plant', code: 'required' }),
    ]);
    const wrong = await co.as.sales1.post('/api/customers', {
      ...base,
      name: '自定义字段错误',
      customFields: { plant: '北京', audit_date: '2026-13-01', tags: ['汽车', '船舶'], nope: 1 },
    });
    expect(
      wrong
        .json()
        .errors.map((e: Json) => `${e.field}:${e.code}`)
        .sort(),
    ).toEqual([
      'customFields.audit_date:date',
      'customFields.nope:unknown_custom_field',
      'customFields.plant:option',
      'customFields.tags:option',
    ]);
    // Suppliers do not have the business-only field.
    expect(
      (await co.as.sales1.post('/api/customers', { ...base, kind: 'supplier', name: '供应商无基地' }))
        .statusCode,
    ).toBe(201);

    const ok = await co.as.sales1.post('/api/customers', {
      ...base,
      name: '自定义字段公司',
      customFields: { plant: '苏州', audit_date: '2026-02-10', tags: ['汽车', '照明'] },
    });
    expect(ok.json().customFields).toEqual({
      plant: '苏州',
      audit_date: '2026-02-10',
      tags: ['汽车', '照明'],
    });
    const found = (await co.as.sales1.get(`/api/customers?q=${encodeURIComponent('苏州')}`)).json().items;
    expect(found.map((c: Json) => c.name)).toEqual(['自定义字段公司']);

    const edit = await co.as.sales1.patch(`/api/customers/${ok.json().id}`, {
      customFields: { plant: '深圳' },
    });
    expect(edit.json().customFields).toMatchObject({ plant: '深圳', tags: ['汽车', '照明'] });
    const history = (await co.as.sales1.get(`/api/customers/${ok.json().id}/history`)).json().items as Json[];
    expect(history.find((h) => h.field === 'customFields.plant')).toMatchObject({
      oldValue: '苏州',
      newValue: '深圳',
    });
  });
});

describe('filing within 5 working days of first contact (R-C5)', () => {
  let t: TestApp;
  let co: Company;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
  });
  afterAll(() => t.close());

  it('computes the deadline on the working-day calendar and lists overdue archives', async () => {
    // First contact on Friday 2026-02-13: the deadline skips 春节 and counts 02-14 (调休上班).
    const c = (
      await co.as.sales1.post('/api/customers', {
        ...base,
        name: '待备案公司',
        firstContactDate: '2026-02-13',
      })
    ).json();
    expect(c).toMatchObject({ filingDueDate: '2026-02-27', filingOverdue: true, status: 'draft' });
    const fresh = (await co.as.sales1.post('/api/customers', { ...base, name: '新接触公司' })).json();
    expect(fresh.filingOverdue).toBe(false);
    const overdue = (await co.as.sales1.get('/api/customers?overdue=true')).json().items;
    expect(overdue.map((x: Json) => x.name)).toEqual(['待备案公司']);
  });

  it('files only a complete archive, then it is no longer overdue', async () => {
    const c = (await co.as.sales1.get(`/api/customers?q=${encodeURIComponent('待备案')}`)).json().items[0];
    const early = await co.as.sales1.post(`/api/customers/${c.id}/file`);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({
      code: 'filing_incomplete',
      title: '备案前请补全：注册地址、行业、地区、联系人',
    });
    expect(early.json().errors.map((e: Json) => e.field)).toEqual([
      'registeredAddress',
      'industry',
      'region',
      'contacts',
    ]);
    await co.as.sales1.patch(`/api/customers/${c.id}`, {
      registeredAddress: '广州市天河区',
      industry: '照明',
      region: '广州',
    });
    await co.as.sales1.post(`/api/customers/${c.id}/contacts`, { name: '李工', phone: '020-88886666' });
    const filed = await co.as.sales1.post(`/api/customers/${c.id}/file`);
    expect(filed.json()).toMatchObject({
      status: 'filed',
      filingOverdue: false,
      filedAt: expect.any(String),
    });
    expect((await co.as.sales1.get('/api/customers?overdue=true')).json().items).toEqual([]);
    expect((await co.as.sales1.post(`/api/customers/${c.id}/file`)).json().code).toBe('already_filed');
  });

  it('files at creation when everything required is given', async () => {
    const res = await co.as.sales1.post('/api/customers', {
      ...base,
      name: '一次建档公司',
      registeredAddress: '深圳市南山区',
      industry: '电子',
      region: '深圳',
      contacts: [{ name: '赵六', mobile: '13900000000' }],
      file: true,
    });
    expect(res.json()).toMatchObject({ status: 'filed' });
    const incomplete = await co.as.sales1.post('/api/customers', {
      ...base,
      name: '信息不全公司',
      file: true,
    });
    expect(incomplete.json().code).toBe('filing_incomplete');
    expect(
      (await co.as.sales1.get(`/api/customers?q=${encodeURIComponent('信息不全')}`)).json().items,
    ).toEqual([]);
  });
});

describe('contacts, interactions and the timeline (R-C7)', () => {
  let t: TestApp;
  let co: Company;
  let id: string;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    id = (await co.as.sales1.post('/api/customers', { ...base, name: '往来测试公司' })).json().id;
  });
  afterAll(() => t.close());

  it('keeps contacts with roles, one primary, and leading zeros in phone numbers', async () => {
    const a = await co.as.sales1.post(`/api/customers/${id}/contacts`, {
      name: '陈采购',
      role: 'purchasing',
      phone: '0769-22223333',
      isPrimary: true,
    });
    expect(a.json()).toMatchObject({
      name: '陈采购',
      role: 'purchasing',
      phone: '0769-22223333',
      isPrimary: true,
    });
    const b = await co.as.sales1.post(`/api/customers/${id}/contacts`, {
      name: '林质量',
      role: 'quality',
      mobile: '013712345678',
      isPrimary: true,
    });
    const list = (await co.as.sales1.get(`/api/customers/${id}/contacts`)).json().items as Json[];
    expect(list.filter((c) => c.isPrimary).map((c) => c.name)).toEqual(['林质量']);
    expect(
      (await co.as.sales1.post(`/api/customers/${id}/contacts`, { name: '坏角色', role: 'boss' })).json()
        .errors[0].field,
    ).toBe('role');
    // Changing one detail keeps the primary flag.
    const titled = await co.as.sales1.patch(`/api/customers/${id}/contacts/${b.json().id}`, {
      title: '质量经理',
    });
    expect(titled.json()).toMatchObject({ title: '质量经理', isPrimary: true });
    const removed = await co.as.sales1.patch(`/api/customers/${id}/contacts/${b.json().id}`, {
      active: false,
    });
    expect(removed.json()).toMatchObject({ active: false });
    const byContact = (await co.as.sales1.get(`/api/customers?q=${encodeURIComponent('陈采购')}`)).json()
      .items;
    expect(byContact.map((c: Json) => c.name)).toEqual(['往来测试公司']);
    const byPhone = (await co.as.sales1.get('/api/customers?q=22223333')).json().items;
    expect(byPhone).toHaveLength(1);
    // A removed contact is no longer found.
    expect((await co.as.sales1.get('/api/customers?q=013712345678')).json().items).toEqual([]);
  });

  it('records calls, visits and receptions, and shows them with the changes in one timeline', async () => {
    const visit = await co.as.sales1.post(`/api/customers/${id}/interactions`, {
      kind: 'visit',
      occurredOn: '2026-02-27',
      participants: 'sales1、陈采购',
      summary: '拜访客户，了解新项目需求',
      nextStep: '下周报价',
      nextStepDue: '2026-03-06',
    });
    expect(visit.statusCode).toBe(201);
    expect(visit.json()).toMatchObject({ kind: 'visit', createdBy: 'sales1' });
    expect(
      (
        await co.as.sales1.post(`/api/customers/${id}/interactions`, {
          kind: 'call',
          occurredOn: '2026-03-09',
          summary: '未来',
        })
      ).json().errors[0].field,
    ).toBe('occurredOn');
    t.clock.advance(60_000);
    await co.as.sales1.patch(`/api/customers/${id}`, { region: '东莞' });
    const timeline = (await co.as.sales1.get(`/api/customers/${id}/timeline`)).json().items as Json[];
    expect(
      timeline.map((x) =>
        x.type === 'history'
          ? ((x.entry as Json).field ?? (x.entry as Json).kind)
          : (x.interaction as Json).kind,
      ),
    ).toEqual(['region', 'visit', 'contact_removed', 'contact', 'contact', 'contact', 'create']);
    const page1 = (await co.as.sales1.get(`/api/customers/${id}/timeline?limit=4`)).json();
    const page2 = (
      await co.as.sales1.get(`/api/customers/${id}/timeline?limit=4&cursor=${page1.nextCursor}`)
    ).json();
    expect([...page1.items, ...page2.items]).toEqual(timeline);
    expect(page2.nextCursor).toBeNull();
  });
});

describe('handover (R-C9)', () => {
  let t: TestApp;
  let co: Company;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    for (const name of ['交接客户一', '交接客户二', '交接客户三']) {
      await co.as.sales1.post('/api/customers', { ...base, name });
    }
  });
  afterAll(() => t.close());

  it('tells managers how many archives a person has, and shows them the handover menu', async () => {
    // The administrator may open none of them, but sees what the person is responsible for.
    expect(
      (await co.as.admin.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales1}`)).json(),
    ).toMatchObject({ customers: 3 });
    expect((await co.as.admin.get(`/api/customers/count?ownerId=${co.ids.sales1}`)).json()).toEqual({
      count: 0,
    });
    expect(
      (await co.as.qamgr.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales1}`)).statusCode,
    ).toBe(403);
    const permissions = async (login: 'salesmgr' | 'sales1') =>
      (await co.as[login].get('/api/auth/me')).json().user.permissions;
    expect(await permissions('salesmgr')).toEqual(
      expect.arrayContaining(['customer.handover', 'customer.update', 'customer.deactivate']),
    );
    expect(await permissions('sales1')).toEqual(
      expect.arrayContaining(['customer.update', 'customer.create']),
    );
    expect(await permissions('sales1')).not.toContain('customer.handover');
    expect(await permissions('sales1')).not.toContain('customer.deactivate');
  });

  it('refuses to deactivate someone who still has customers', async () => {
    const res = await co.as.admin.patch(`/api/users/${co.ids.sales1}`, { active: false });
    expect(res.json()).toMatchObject({
      status: 422,
      code: 'user_owns_customers',
      // No number: some archives may be above the administrator's clearance (R-P1).
      title: '该用户仍负责客户档案，请先在“客户交接”中办理交接',
    });
  });

  it('moves every archive to successors in one action, with a record in each archive', async () => {
    const list = (await co.as.sales1.get('/api/customers?sort=name')).json().items as Json[];
    const special = list.find((c) => c.name === '交接客户二')?.id as string;
    expect(
      (
        await co.as.sales2.post('/api/customers/handover', {
          fromUserId: co.ids.sales1,
          toUserId: co.ids.sales2,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await co.as.qamgr.post('/api/customers/handover', {
          fromUserId: co.ids.sales1,
          toUserId: co.ids.sales2,
        })
      ).statusCode,
    ).toBe(403);
    const res = await co.as.salesmgr.post('/api/customers/handover', {
      fromUserId: co.ids.sales1,
      toUserId: co.ids.sales2,
      assignments: [{ customerId: special, toUserId: co.ids.east1 }],
      reason: '离职',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      customerCount: 3,
      fromUser: { login: 'sales1' },
      byUser: 'salesmgr',
      reason: '离职',
    });
    expect(
      (res.json().successors as Json[]).map((s) => [(s.user as Json).login, s.customers]).sort(),
    ).toEqual([
      ['east1', 1],
      ['sales2', 2],
    ]);
    const after = (await co.as.gm.get('/api/customers?sort=name')).json().items as Json[];
    expect(after.map((c) => [c.name, c.owners])).toEqual([
      ['交接客户一', ['sales2']],
      ['交接客户三', ['sales2']],
      ['交接客户二', ['east1']],
    ]);
    const history = (await co.as.gm.get(`/api/customers/${special}/history`)).json().items as Json[];
    expect(history[0]).toMatchObject({
      kind: 'handover',
      oldValue: ['sales1'],
      newValue: ['east1'],
      note: 'sales1 → east1：离职',
    });
    expect((await co.as.salesmgr.get('/api/customers/handovers')).json().items).toHaveLength(1);
    // Each successor is told which archives are now theirs, with a link to them.
    const told = async (userId: string) =>
      t.database.db
        .selectFrom('notifications')
        .select(['title', 'body', 'link'])
        .where('user_id', '=', userId)
        .where('kind', '=', 'customer.handover')
        .execute();
    expect(await told(co.ids.east1)).toEqual([
      {
        title: '您接手了 sales1 交接的 1 个客户档案',
        body: `${list.find((c) => c.id === special)?.archiveCode} 交接客户二`,
        link: `/customers?ownerId=${co.ids.east1}`,
      },
    ]);
    const sales2 = await told(co.ids.sales2);
    expect(sales2).toEqual([expect.objectContaining({ title: '您接手了 sales1 交接的 2 个客户档案' })]);
    expect(sales2[0]?.body).toMatch(/交接客户一.*交接客户三|交接客户三.*交接客户一/);
    expect(await told(co.ids.sales1)).toEqual([]);

    expect((await co.as.admin.patch(`/api/users/${co.ids.sales1}`, { active: false })).statusCode).toBe(200);
    const again = await co.as.salesmgr.post('/api/customers/handover', {
      fromUserId: co.ids.sales1,
      toUserId: co.ids.sales2,
    });
    expect(again.json().code).toBe('handover_nothing');
  });

  it("hands over and counts only archives within the manager's clearance, to successors cleared for them (R-P1)", async () => {
    const secret = await co.as.gm.post('/api/customers', {
      ...base,
      name: '机密交接客户',
      secrecy: 'confidential',
      departmentId: co.sales,
      ownerIds: [co.ids.sales2],
    });
    expect(secret.statusCode, secret.body).toBe(201);
    // A blank successor is a missing one (it was a broken query on PostgreSQL: 500).
    const blank = await co.as.salesmgr.post('/api/customers/handover', {
      fromUserId: co.ids.sales2,
      assignments: [{ customerId: secret.json().id, toUserId: '' }],
    });
    expect(blank.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    const preview = (as: Client) => as.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales2}`);
    // sales2 has two archives from the handover above and the 机密 one; the 秘密 manager sees two.
    expect((await preview(co.as.salesmgr)).json()).toMatchObject({ customers: 2 });
    expect((await preview(co.as.admin)).json()).toMatchObject({ customers: 3 });
    const hidden = await co.as.salesmgr.post('/api/customers/handover', {
      fromUserId: co.ids.sales2,
      toUserId: co.ids.east1,
      assignments: [{ customerId: secret.json().id, toUserId: co.ids.east1 }],
    });
    // Named explicitly, it answers as an archive the person does not have, without its code.
    expect(hidden.json()).toMatchObject({ status: 422, code: 'handover_not_owned' });
    expect(hidden.body).not.toContain(secret.json().archiveCode);
    const res = await co.as.salesmgr.post('/api/customers/handover', {
      fromUserId: co.ids.sales2,
      toUserId: co.ids.east1,
    });
    expect(res.json()).toMatchObject({ customerCount: 2 });
    expect((await co.as.gm.get(`/api/customers/${secret.json().id}`)).json().owners).toEqual([
      expect.objectContaining({ login: 'sales2' }),
    ]);
    // Before confirming, the page learns which archives a successor could not open: the archives
    // the reader may hand over, for the successors named.
    const check = (as: Client, to: string[]) =>
      as.get(`/api/customers/handover/preview?fromUserId=${co.ids.sales2}&toUserIds=${to.join(',')}`);
    expect((await check(co.as.gm, [co.ids.east1, co.ids.qa1])).json()).toMatchObject({
      customers: 1,
      successors: [
        {
          userId: co.ids.east1,
          uncleared: [
            { customerId: secret.json().id, archiveCode: secret.json().archiveCode, secrecy: 'confidential' },
          ],
        },
        { userId: co.ids.qa1, uncleared: [] },
      ],
    });
    // The 秘密 manager learns nothing of the 机密 archive this way either.
    const low = await check(co.as.salesmgr, [co.ids.east1]);
    expect(low.json()).toMatchObject({ customers: 0, successors: [{ userId: co.ids.east1, uncleared: [] }] });
    // The general manager hands it over, but not to someone who could not open it.
    const uncleared = await co.as.gm.post('/api/customers/handover', {
      fromUserId: co.ids.sales2,
      toUserId: co.ids.east1,
    });
    expect(uncleared.json()).toMatchObject({ status: 422, code: 'handover_successor_clearance' });
    const cleared = await co.as.gm.post('/api/customers/handover', {
      fromUserId: co.ids.sales2,
      toUserId: co.ids.qa1,
    });
    expect(cleared.json()).toMatchObject({ customerCount: 1 });
  });
});

describe('merging duplicates (R-C10)', () => {
  let t: TestApp;
  let co: Company;
  it('moves contacts, interactions and every history entry into the surviving archive', async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    const a = (
      await co.as.sales1.post('/api/customers', {
        ...base,
        name: '佛山照明有限公司',
        contacts: [{ name: '甲联系人' }],
      })
    ).json();
    const b = (
      await co.as.sales2.post('/api/customers', {
        ...base,
        name: '佛山照明有限责任公司',
        creditCode: '91350100M000100Y43',
        allowSimilarName: true,
        contacts: [{ name: '乙联系人' }],
      })
    ).json();
    await co.as.sales2.patch(`/api/customers/${b.id}`, { region: '佛山' });
    await co.as.sales2.post(`/api/customers/${b.id}/interactions`, {
      kind: 'call',
      occurredOn: '2026-03-01',
      summary: '电话沟通',
    });
    const countHistory = async (cid: string) =>
      ((await co.as.gm.get(`/api/customers/${cid}/history?limit=200`)).json().items as Json[]).length;
    const before = (await countHistory(a.id)) + (await countHistory(b.id));

    expect((await co.as.sales1.post(`/api/customers/${a.id}/merge`, { sourceId: b.id })).statusCode).toBe(
      403,
    );
    expect((await co.as.archivist.post(`/api/customers/${a.id}/merge`, { sourceId: a.id })).json().code).toBe(
      'merge_same',
    );
    const merged = await co.as.archivist.post(`/api/customers/${a.id}/merge`, {
      sourceId: b.id,
      note: '同一客户重复建档',
    });
    expect(merged.statusCode).toBe(204);

    const survivor = (await co.as.gm.get(`/api/customers/${a.id}`)).json();
    expect(survivor).toMatchObject({ creditCode: '91350100M000100Y43', status: 'draft' });
    expect(survivor.owners.map((o: Json) => o.login).sort()).toEqual(['sales1', 'sales2']);
    const contacts = (await co.as.gm.get(`/api/customers/${a.id}/contacts`)).json().items as Json[];
    expect(contacts.map((c) => c.name).sort()).toEqual(['乙联系人', '甲联系人']);
    expect((await co.as.gm.get(`/api/customers/${a.id}/interactions`)).json().items).toHaveLength(1);
    const history = (await co.as.gm.get(`/api/customers/${a.id}/history?limit=200`)).json().items as Json[];
    // Every entry is kept, plus one merge entry in each archive.
    expect(history.length + (await countHistory(b.id))).toBe(before + 2);
    expect(history.find((h) => h.field === 'region')).toMatchObject({
      newValue: '佛山',
      originArchiveCode: b.archiveCode,
    });
    expect(history[0]).toMatchObject({
      kind: 'merge',
      newValue: { from: b.archiveCode, contacts: 1, interactions: 1 },
    });

    const source = (await co.as.gm.get(`/api/customers/${b.id}`)).json();
    expect(source).toMatchObject({
      status: 'merged',
      mergedInto: { id: a.id, archiveCode: a.archiveCode },
      creditCode: null,
    });
    expect((await co.as.gm.get('/api/customers')).json().items.map((c: Json) => c.name)).toEqual([
      '佛山照明有限公司',
    ]);
    expect(
      (await co.as.gm.get(`/api/customers?q=${encodeURIComponent('乙联系人')}`))
        .json()
        .items.map((c: Json) => c.id),
    ).toEqual([a.id]);
    expect((await co.as.archivist.post(`/api/customers/${a.id}/merge`, { sourceId: b.id })).json().code).toBe(
      'merge_not_allowed',
    );
    expect((await co.as.gm.patch(`/api/customers/${b.id}`, { region: '广州' })).json().code).toBe(
      'customer_not_editable',
    );
    const audit = (await co.as.admin.get('/api/audit?action=customer.merge')).json().items;
    expect(audit[0]).toMatchObject({
      actorLogin: 'archivist',
      targetId: a.id,
      details: expect.objectContaining({ sourceCode: b.archiveCode }),
    });
    await t.close();
  });
});
