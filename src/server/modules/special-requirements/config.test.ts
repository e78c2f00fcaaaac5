import { beforeAll, describe, expect, it } from 'vitest';
import { companyApp, travel } from '../../test-support/customers.js';
import { createDepartment } from '../org/service.js';

// Configuration of the special requirements through HTTP: categories added, renamed and
// deactivated by quality (never by sales), the departments preselected for reviews, the yearly
// check's interval used for a new list, and the owner department (责任部门) chosen when reviews
// are asked for — each refused with a field error and nothing written when it names nothing.

type Json = Record<string, unknown>;

describe('special requirements configuration (R-S1, R-S2, R-S5)', () => {
  const app = companyApp();
  let eng = '';
  let n = 0;
  beforeAll(async () => {
    await travel(app.t, app.co, new Date('2026-09-28T10:00:00+08:00').toISOString());
    eng = (
      await createDepartment(app.t.system, {
        name: '工程部',
        code: 'engineering',
        parentId: null,
        sortOrder: 0,
      })
    ).id;
  });
  const archive = async () => {
    const res = await app.co.as.sales1.post('/api/customers', {
      name: `配置测试客户${++n}号有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '汽车零部件',
      region: '苏州',
      contacts: [{ name: '王工', mobile: '13800000000', isPrimary: true }],
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string };
  };
  const register = (customerId: string, category: string) =>
    app.co.as.sales1.post('/api/special-requirements', {
      customerId,
      category,
      title: `要求${++n}`,
      text: '随货提供出货检验报告',
      receivedOn: '2026-09-28',
    });

  it('starts with the ten default categories and the default settings, readable by everyone', async () => {
    const res = await app.co.as.sales1.get('/api/special-requirements/config');
    expect(res.statusCode, res.body).toBe(200);
    const config = res.json();
    expect(config.categories.map((c: Json) => c.label)).toEqual([
      '质量体系',
      'PPAP/产品批准',
      '变更管理',
      '包装与标识',
      '交付与物流',
      '追溯',
      '特殊特性',
      '质量目标/PPM',
      '投诉与8D',
      '其他',
    ]);
    expect(config.settings).toEqual({
      reviewDepartmentIds: [],
      checkMonths: 12,
      remindDays: 30,
      listArchiveCategory: 'records',
    });
  });

  it('lets quality add, rename and deactivate a category; sales may not', async () => {
    const { as } = app.co;
    const body = { label: '客户门户要求', active: true };
    expect((await as.sales1.put('/api/special-requirements/categories/portal', body)).statusCode).toBe(403);
    const added = await as.qa1.put('/api/special-requirements/categories/portal', body);
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().at(-1)).toEqual({ code: 'portal', label: '客户门户要求', active: true });
    const a = await archive();
    const r = await register(a.id, 'portal');
    expect(r.statusCode, r.body).toBe(201);
    // Renamed: the list shows the new name.
    await as.qa1.put('/api/special-requirements/categories/portal', {
      label: '门户与系统要求',
      active: true,
    });
    const csv = await as.sales1.get(`/api/special-requirements/export.csv?customerId=${a.id}`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body).toContain('门户与系统要求');
    // Deactivated: no new requirement of it; the old one keeps it.
    await as.qa1.put('/api/special-requirements/categories/portal', {
      label: '门户与系统要求',
      active: false,
    });
    const refused = await register(a.id, 'portal');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ field: 'category' });
    expect((await as.sales1.get(`/api/special-requirements/${r.json().id}`)).json().category).toBe('portal');
    // Two categories of one name could not be told apart.
    const twin = await as.qa1.put('/api/special-requirements/categories/qms2', {
      label: '质量体系',
      active: true,
    });
    expect(twin.statusCode).toBe(422);
    expect(twin.json().errors[0]).toMatchObject({ field: 'label' });
    // A bad code is a 400 naming the code, and nothing is written.
    const bad = await as.qa1.put('/api/special-requirements/categories/Bad-Code', body);
    expect(bad.statusCode).toBe(400);
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'sr_config.category')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('keeps the default review departments, the check interval and the filing category', async () => {
    const { as } = app.co;
    const settings = { reviewDepartmentIds: [eng, app.co.quality], checkMonths: 6, remindDays: 14 };
    expect((await as.sales1.put('/api/special-requirements/settings', settings)).statusCode).toBe(403);
    const bogus = await as.qa1.put('/api/special-requirements/settings', {
      ...settings,
      reviewDepartmentIds: [eng, 'no-such-department'],
    });
    expect(bogus.statusCode).toBe(422);
    expect(bogus.body).toContain('reviewDepartmentIds.1');
    const badCategory = await as.qa1.put('/api/special-requirements/settings', {
      listArchiveCategory: 'nope',
    });
    expect(badCategory.statusCode).toBe(422);
    expect((await as.qa1.get('/api/special-requirements/config')).json().settings.checkMonths).toBe(12);
    const saved = await as.qa1.put('/api/special-requirements/settings', settings);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().settings).toMatchObject(settings);
    // A new customer list's first check is six months away.
    const a = await archive();
    expect((await register(a.id, 'ppap')).statusCode).toBe(201);
    const list = (await as.sales1.get(`/api/customers/${a.id}/special-requirements`)).json();
    expect(list.nextCheckOn).toBe('2027-03-28');
  });

  it('takes the owner department (责任部门) when reviews are asked for', async () => {
    const { as } = app.co;
    const a = await archive();
    const r = (await register(a.id, 'ppap')).json();
    const refused = await as.sales1.post(`/api/special-requirements/${r.id}/reviews`, {
      departmentIds: [eng],
      ownerDepartmentId: 'no-such-department',
    });
    expect(refused.statusCode).toBe(422);
    const untouched = (await as.sales1.get(`/api/special-requirements/${r.id}`)).json();
    expect(untouched).toMatchObject({ status: 'pending_review', ownerDepartment: null, reviews: [] });
    const asked = await as.sales1.post(`/api/special-requirements/${r.id}/reviews`, {
      departmentIds: [eng, app.co.quality],
      ownerDepartmentId: eng,
      note: '工程部负责控制计划',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ status: 'in_review', ownerDepartment: { id: eng, name: '工程部' } });
    expect(asked.json().history.map((h: Json) => h.field)).toContain('ownerDepartment');
  });

  it('withdraws an unanswered review request, never an answered one', async () => {
    const { as } = app.co;
    const a = await archive();
    const r = (await register(a.id, 'ppap')).json();
    await as.sales1.post(`/api/special-requirements/${r.id}/reviews`, {
      departmentIds: [eng, app.co.quality],
    });
    const answered = await as.qa1.put(`/api/special-requirements/${r.id}/reviews/${app.co.quality}`, {
      decision: 'not_applicable',
      note: '体系已覆盖',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    // A colleague who does not keep the archive may not; an answered review stays.
    expect((await as.sales2.delete(`/api/special-requirements/${r.id}/reviews/${eng}`)).statusCode).toBe(403);
    expect(
      (await as.sales1.delete(`/api/special-requirements/${r.id}/reviews/${app.co.quality}`)).statusCode,
    ).toBe(409);
    const withdrawn = await as.sales1.delete(`/api/special-requirements/${r.id}/reviews/${eng}`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().reviews.map((v: Json) => (v.department as Json).name)).toEqual(['品质部']);
    // Every review left is given: the review date is today.
    expect(withdrawn.json().reviewedOn).toBe('2026-09-28');
    expect(withdrawn.json().history).toContainEqual(
      expect.objectContaining({ field: 'reviews', oldValue: '工程部', note: '撤回评审请求' }),
    );
    expect((await as.sales1.delete(`/api/special-requirements/${r.id}/reviews/${eng}`)).statusCode).toBe(404);
  });
});
