import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../../common/enums.js';
import { generatePassword } from '../../platform/auth.js';
import { passwordProblem } from '../../platform/passwords.js';
import {
  type Client,
  createTestApp,
  PASSWORD,
  seedUser,
  signIn,
  type TestApp,
  tableCounts,
} from '../../test-support/app.js';

describe('departments', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
  });
  afterAll(() => t.close());

  it('builds a tree and audits each change', async () => {
    const sales = (await admin.post('/api/departments', { name: '  销售部　', code: 'xs' })).json();
    expect(sales).toMatchObject({ name: '销售部', code: 'XS', parentId: null, active: true, userCount: 0 });
    const east = await admin.post('/api/departments', { name: '华东销售组', parentId: sales.id });
    expect(east.statusCode).toBe(201);
    const list = (await admin.get('/api/departments')).json().items;
    expect(list.find((d: { name: string }) => d.name === '华东销售组').parentId).toBe(sales.id);

    const audit = (await admin.get(`/api/audit?target=${sales.id}`)).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['department.create']);
  });

  it('names the company: the only top-level department until the administrator sets a name', async () => {
    // After the first test the tree has one top (销售部): it names the company.
    expect((await admin.get('/api/organisation')).json()).toEqual({ name: null, effectiveName: '销售部' });
    await admin.post('/api/departments', { name: '财务部' });
    expect((await admin.get('/api/organisation')).json().effectiveName).toBe('客档');
    const set = await admin.put('/api/organisation', { name: '  苏州恒信精密机械有限公司 ' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({
      name: '苏州恒信精密机械有限公司',
      effectiveName: '苏州恒信精密机械有限公司',
    });
    const { id } = await seedUser(t, 'clerk', ['staff']);
    expect(id).toBeTruthy();
    const staff = await signIn(t.app, 'clerk');
    expect((await staff.get('/api/organisation')).json().effectiveName).toBe('苏州恒信精密机械有限公司');
    expect((await staff.put('/api/organisation', { name: '别的公司' })).statusCode).toBe(403);
    const bad = await admin.put('/api/organisation', { name: '公司\u202e名' });
    expect(bad.statusCode).toBe(400);
    const audit = (await admin.get('/api/audit?action=organisation.update')).json().items;
    expect(audit).toHaveLength(1);
  });

  it('refuses duplicates, unknown parents and cycles with field errors', async () => {
    const root = (await admin.post('/api/departments', { name: '品质部', code: 'QA' })).json();
    const child = (await admin.post('/api/departments', { name: '检验科', parentId: root.id })).json();

    const dupName = await admin.post('/api/departments', { name: '品质部' });
    expect(dupName.statusCode).toBe(409);
    expect(dupName.json().errors[0]).toMatchObject({ field: 'name', code: 'department_name_taken' });
    // The same name under another parent is fine.
    expect((await admin.post('/api/departments', { name: '检验科' })).statusCode).toBe(201);

    const dupCode = await admin.post('/api/departments', { name: '质量管理部', code: 'qa' });
    expect(dupCode.json()).toMatchObject({ status: 409, code: 'department_code_taken' });

    const noParent = await admin.post('/api/departments', { name: '孤儿部门', parentId: 'missing' });
    expect(noParent.statusCode).toBe(422);
    expect(noParent.json().errors[0].field).toBe('parentId');

    const cycle = await admin.patch(`/api/departments/${root.id}`, { parentId: child.id });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().code).toBe('department_cycle');
    const self = await admin.patch(`/api/departments/${root.id}`, { parentId: root.id });
    expect(self.json().code).toBe('department_cycle');

    // A blank parent is the top level, as the form sends it (it was a broken reference: 500).
    const top = await admin.post('/api/departments', { name: '仓储部', parentId: '' });
    expect(top.json()).toMatchObject({ parentId: null });
    const packing = (await admin.post('/api/departments', { name: '包装科', parentId: root.id })).json();
    const moved = await admin.patch(`/api/departments/${packing.id}`, { parentId: '' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ parentId: null });
  });

  it('refuses to deactivate a department that still has people', async () => {
    const dept = (await admin.post('/api/departments', { name: '工程部' })).json();
    const { id: userId } = await seedUser(t, 'engineer', ['staff'], { departmentId: dept.id });
    const res = await admin.patch(`/api/departments/${dept.id}`, { active: false });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'department_not_empty',
      title: expect.stringContaining('1 名在职用户'),
    });
    await admin.patch(`/api/users/${userId}`, { active: false });
    const ok = await admin.patch(`/api/departments/${dept.id}`, { active: false });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().active).toBe(false);
    // No new users in a deactivated department.
    const hire = await admin.post('/api/users', {
      login: 'late',
      name: '迟到',
      departmentId: dept.id,
      roles: ['staff'],
    });
    expect(hire.json()).toMatchObject({ status: 422, code: 'department_inactive' });
  });
});

describe('users', () => {
  let t: TestApp;
  let admin: Client;
  let deptId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
    deptId = (await admin.post('/api/departments', { name: '销售部' })).json().id;
  });
  afterAll(() => t.close());

  it('creates a user with a generated initial password that must be changed at first sign-in', async () => {
    const res = await admin.post('/api/users', {
      login: 'Sales.Wang',
      name: '王小明',
      departmentId: deptId,
      roles: ['staff', 'quality'],
      clearance: 'secret',
      email: 'wang@example.cn',
      phone: '0755-12345678',
    });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json();
    expect(user).toMatchObject({
      login: 'sales.wang',
      name: '王小明',
      departmentName: '销售部',
      roles: ['quality', 'staff'],
      clearance: 'secret',
      phone: '0755-12345678',
      mustChangePassword: true,
      active: true,
    });
    expect(initialPassword).toMatch(/^(?=.*\d)(?=.*[A-Za-z]).{10,}$/);
    expect(await passwordProblem(initialPassword, ['sales.wang', '王小明'])).toBeNull();
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'sales.wang', password: initialPassword },
    });
    expect(session.json().user.mustChangePassword).toBe(true);

    const audit = (await admin.get('/api/audit?action=user.create')).json().items[0];
    expect(audit).toMatchObject({ targetLabel: 'sales.wang', actorLogin: 'admin' });
    expect(JSON.stringify(audit)).not.toContain(initialPassword);
  });

  it('reports every invalid field at once, in Chinese or English', async () => {
    const before = await tableCounts(t);
    const body = {
      login: 'a b',
      name: '<b>x</b>',
      departmentId: deptId,
      roles: ['boss'],
      clearance: 'ultra',
      email: 'nope',
    };
    const zh = await admin.post('/api/users', body);
    expect(zh.statusCode).toBe(400);
    expect(zh.json().code).toBe('validation_failed');
    const fields = zh
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['clearance', 'email', 'login', 'name', 'roles.0']);
    expect(zh.json().errors.find((e: { field: string }) => e.field === 'login').message).toContain('登录名');

    const en = await admin.inject({
      method: 'POST',
      url: '/api/users',
      payload: body,
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json().title).toBe('The submitted data is invalid; check the marked fields');
    expect(en.json().errors.find((e: { field: string }) => e.field === 'login').message).toContain(
      'Login names',
    );
    expect(await tableCounts(t)).toEqual(before);
  });

  it('refuses a taken login with 409 on the login field', async () => {
    await admin.post('/api/users', { login: 'dup', name: '甲', departmentId: deptId, roles: ['staff'] });
    const res = await admin.post('/api/users', {
      login: 'DUP',
      name: '乙',
      departmentId: deptId,
      roles: ['staff'],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([
      { field: 'login', code: 'login_taken', message: '登录名“dup”已被使用' },
    ]);
  });

  it('edits roles, clearance and department, recording old and new values', async () => {
    const { user } = (
      await admin.post('/api/users', {
        login: 'editme',
        name: '编辑',
        departmentId: deptId,
        roles: ['staff'],
      })
    ).json();
    const other = (await admin.post('/api/departments', { name: '财务部' })).json();
    const res = await admin.patch(`/api/users/${user.id}`, {
      roles: ['archivist'],
      clearance: 'confidential',
      departmentId: other.id,
    });
    expect(res.json()).toMatchObject({
      roles: ['archivist'],
      clearance: 'confidential',
      departmentName: '财务部',
    });
    const audit = (await admin.get(`/api/audit?action=user.update&target=${user.id}`)).json().items[0];
    expect(audit.details.changes).toEqual({
      roles: { from: ['staff'], to: ['archivist'] },
      clearance: { from: 'normal', to: 'confidential' },
      departmentId: { from: deptId, to: other.id },
    });
  });

  it('never lets an administrator grant more clearance than they hold', async () => {
    await seedUser(t, 'smalladmin', ['admin'], { clearance: 'secret', departmentId: deptId });
    const small = await signIn(t.app, 'smalladmin');
    const res = await small.post('/api/users', {
      login: 'toohigh',
      name: '越级',
      departmentId: deptId,
      roles: ['staff'],
      clearance: 'top_secret',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'clearance', code: 'clearance_above_own' });
  });

  it('protects the last administrator and oneself', async () => {
    const me = (await admin.get('/api/auth/me')).json().user;
    const self = await admin.patch(`/api/users/${me.id}`, { active: false });
    expect(self.json().code).toBe('cannot_deactivate_self');
    // smalladmin exists (previous test), so admin may drop the role only while smalladmin stays.
    const small = (await admin.get('/api/users?q=smalladmin')).json().items[0];
    expect((await admin.patch(`/api/users/${small.id}`, { active: false })).statusCode).toBe(200);
    const last = await admin.patch(`/api/users/${me.id}`, { roles: ['staff'] });
    expect(last.statusCode).toBe(422);
    expect(last.json().code).toBe('last_admin');
  });

  it('resets a password: a new initial password, signed out everywhere', async () => {
    const { id } = await seedUser(t, 'forgetful', ['staff'], { departmentId: deptId });
    const client = await signIn(t.app, 'forgetful');
    const res = await admin.post(`/api/users/${id}/reset-password`, {});
    expect(res.statusCode).toBe(200);
    const { password } = res.json();
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'forgetful', password: PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'forgetful', password },
    });
    expect(fresh.json().user.mustChangePassword).toBe(true);
    expect(await passwordProblem(password, ['forgetful'])).toBeNull();
  });

  it('refuses guessable passwords an administrator chooses, on the form’s field', async () => {
    const weak = await admin.post('/api/users', {
      login: 'zhou.min',
      name: '周敏',
      departmentId: deptId,
      roles: ['staff'],
      password: 'zhou.min2026',
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({
      code: 'weak_password',
      errors: [{ field: 'password', code: 'password_personal' }],
    });
    const { id } = await seedUser(t, 'chosen', ['staff'], { departmentId: deptId });
    const reset = await admin.post(`/api/users/${id}/reset-password`, { password: 'Password123' });
    expect(reset.statusCode).toBe(422);
    expect(reset.json().errors).toEqual([
      { field: 'password', code: 'password_common', message: expect.stringContaining('常用密码') },
    ]);
    expect((await signIn(t.app, 'chosen')).login).toBe('chosen');
    expect(
      (await admin.post(`/api/users/${id}/reset-password`, { password: 'Birch-Canal-Ledger-38' })).statusCode,
    ).toBe(200);
  });

  it('generates one-time passwords that pass the password policy', async () => {
    for (let i = 0; i < 200; i++) expect(await passwordProblem(generatePassword(), ['admin'])).toBeNull();
  });

  it('lists with filters and keyset pagination, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await seedUser(t, `page${i}`, ['auditor'], { departmentId: deptId });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/users?role=auditor&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = (await admin.get(url)).json();
      seen.push(...res.items.map((u: { login: string }) => u.login));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page0', 'page1', 'page2', 'page3', 'page4', 'page5', 'page6']);

    expect(
      (await admin.get('/api/users?q=PAGE3')).json().items.map((u: { login: string }) => u.login),
    ).toEqual(['page3']);
    const bad = await admin.get('/api/users?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_cursor');
    expect((await admin.get('/api/users?limit=1000')).json().errors[0].field).toBe('querystring.limit');
  });
});

describe('administration is for administrators', () => {
  let t: TestApp;
  let admin: Client;
  const clients: Record<string, Client> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, 'admin');
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      await seedUser(t, `r-${role.replace('_', '-')}`, [role], { clearance: 'top_secret' });
      clients[role] = await signIn(t.app, `r-${role.replace('_', '-')}`);
    }
  });
  afterAll(() => t.close());

  const adminRoutes = [
    { method: 'GET', url: '/api/users' },
    {
      method: 'POST',
      url: '/api/users',
      payload: { login: 'x1', name: 'x', departmentId: 'd', roles: ['staff'] },
    },
    { method: 'POST', url: '/api/departments', payload: { name: '越权部门' } },
    { method: 'PUT', url: '/api/calendar/overrides/2026-12-01', payload: { working: false, note: null } },
  ] as const;

  it('answers 403 to every other role on admin routes, changes nothing and audits the attempt', async () => {
    const before = await tableCounts(t);
    for (const [role, client] of Object.entries(clients)) {
      for (const r of adminRoutes) {
        const res = await client.inject({
          method: r.method,
          url: r.url,
          ...('payload' in r ? { payload: r.payload } : {}),
        });
        expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
        expect(res.json().code).toBe('forbidden');
      }
    }
    const after = await tableCounts(t);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    const denied = (await admin.get('/api/audit?outcome=denied&limit=200')).json().items;
    expect(denied).toHaveLength(Object.keys(clients).length * adminRoutes.length);
    expect(denied.find((e: { actorLogin: string }) => e.actorLogin === 'r-staff')).toMatchObject({
      action: expect.stringMatching(/\.manage$/),
      details: { method: expect.any(String), url: expect.stringMatching(/^\/api\//) },
    });
  });

  it('lets auditors read the audit log but not change anything', async () => {
    expect((await clients.auditor?.get('/api/audit'))?.statusCode).toBe(200);
    expect((await clients.staff?.get('/api/audit'))?.statusCode).toBe(403);
    expect((await clients.auditor?.post('/api/departments', { name: '审计部' }))?.statusCode).toBe(403);
  });
});

describe('directory', () => {
  it('lets every signed-in user find active colleagues by name or login, and nothing more', async () => {
    const t = await createTestApp();
    try {
      const admin = await signIn(t.app, 'admin');
      const dept = (await admin.post('/api/departments', { name: '销售部' })).json().id;
      await seedUser(t, 'wang', ['staff'], { departmentId: dept });
      const gone = await seedUser(t, 'gone', ['staff'], { departmentId: dept });
      await admin.patch(`/api/users/${gone.id}`, { active: false });
      const staff = await signIn(t.app, 'wang');
      const res = await staff.get(`/api/directory/users?departmentId=${dept}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        { id: expect.any(String), login: 'wang', name: 'wang', departmentId: dept, departmentName: '销售部' },
      ]);
      expect(JSON.stringify(res.json())).not.toMatch(/roles|clearance|lastLogin/);
      // Asking by id still names a former colleague (for showing past owners).
      expect((await staff.get(`/api/directory/users?ids=${gone.id}`)).json().items[0].login).toBe('gone');
      expect(
        (await staff.get('/api/directory/users?q=WAN')).json().items.map((u: { login: string }) => u.login),
      ).toEqual(['wang']);
      // A department that does not exist has nobody in it (PostgreSQL refused the empty IN list).
      for (const url of [
        '/api/directory/users?departmentId=no-such-department',
        '/api/users?departmentId=nope',
      ]) {
        const none = await (url.startsWith('/api/users') ? admin : staff).get(url);
        expect(none.statusCode, `${url}: ${none.body}`).toBe(200);
        expect(none.json().items).toEqual([]);
      }
    } finally {
      await t.close();
    }
  });
});
