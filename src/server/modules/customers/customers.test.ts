import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUser, signIn, type TestApp, tableCounts } from '../../test-support/app.js';
import { type Company, type Person, seedCompany, uscc } from '../../test-support/customers.js';

const base = { category: 'general', kind: 'business' };

describe('creating customer archives', () => {
  let t: TestApp;
  let co: Company;
  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
  });
  afterAll(() => t.close());

  it('gives each archive a code of kind, year and sequence, and records the creation', async () => {
    const res = await co.as.sales1.post('/api/customers', {
      ...base,
      name: '　深圳市华为技术有限公司 ',
      creditCode: uscc(1).toLowerCase(),
      phone: '0755-28780808',
      contacts: [{ name: '王经理', mobile: '013800138000', isPrimary: true }],
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      archiveCode: 'KH20260001',
      name: '深圳市华为技术有限公司',
      creditCode: uscc(1),
      phone: '0755-28780808',
      status: 'draft',
      departmentId: co.sales,
      owners: [expect.objectContaining({ login: 'sales1' })],
      firstContactDate: '2026-03-02',
      // 5 working days after Monday 2026-03-02.
      filingDueDate: '2026-03-09',
      filingOverdue: false,
      can: { update: true, deactivate: false, merge: false, grant: false },
    });
    const contacts = (await co.as.sales1.get(`/api/customers/${c.id}/contacts`)).json().items;
    expect(contacts).toEqual([
      expect.objectContaining({ name: '王经理', mobile: '013800138000', isPrimary: true }),
    ]);
    const history = (await co.as.sales1.get(`/api/customers/${c.id}/history`)).json().items;
    expect(history).toEqual([expect.objectContaining({ kind: 'create', actorName: 'sales1' })]);
    const audit = (await co.as.admin.get(`/api/audit?action=customer.create&target=${c.id}`)).json().items;
    expect(audit).toEqual([
      expect.objectContaining({ actorLogin: 'sales1', targetLabel: 'KH20260001 深圳市华为技术有限公司' }),
    ]);
  });

  it('numbers per kind and keeps counting past the width', async () => {
    const supplier = await co.as.sales1.post('/api/customers', {
      ...base,
      kind: 'supplier',
      name: '东莞五金供应商',
    });
    expect(supplier.json().archiveCode).toBe('GS20260001');
    await co.as.admin.put('/api/customer-config/settings', { archiveCodePattern: '{type}{yyyy}{seq:2}' });
    await co.as.admin.put('/api/customer-config/lookups/kind/industrial', {
      label: '工业客户',
      prefix: 'GY',
      sortOrder: 9,
    });
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push(
        (
          await co.as.sales1.post('/api/customers', { ...base, kind: 'industrial', name: `工业客户${i}号` })
        ).json().archiveCode,
      );
    }
    expect(codes).toEqual(['GY202601', 'GY202602', 'GY202603']);
    await t.database.db
      .updateTable('counters')
      .set({ value: 99 })
      .where('key', '=', 'customer:GY2026#')
      .execute();
    const big = await co.as.sales1.post('/api/customers', {
      ...base,
      kind: 'industrial',
      name: '第一百个工业客户',
    });
    expect(big.json().archiveCode).toBe('GY2026100');
    await co.as.admin.put('/api/customer-config/settings', { archiveCodePattern: '{type}{yyyy}{seq:4}' });
  });

  it('refuses an invalid credit code, naming the field, and changes nothing', async () => {
    const before = await tableCounts(t);
    const wrongCheck = uscc(2).slice(0, 17) + (uscc(2).endsWith('0') ? '1' : '0');
    for (const [code, key] of [
      [wrongCheck, 'uscc_check'],
      ['91440300MA5', 'uscc_length'],
      ['91440300MA5FOOBAR1', 'uscc_characters'],
    ]) {
      const res = await co.as.sales1.post('/api/customers', {
        ...base,
        name: '校验位错误公司',
        creditCode: code,
      });
      expect(res.statusCode).toBe(400);
      const err = res.json().errors[0];
      expect(err).toMatchObject({ field: 'creditCode', code: key });
      expect(err.message).toContain('统一社会信用代码');
    }
    expect(await tableCounts(t)).toEqual(before);
  });

  it('refuses a credit code that already has an archive, naming it when visible', async () => {
    const dup = await co.as.sales2.post('/api/customers', {
      ...base,
      name: '另一个名字',
      creditCode: uscc(1),
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      code: 'credit_code_taken',
      title: expect.stringContaining('KH20260001'),
    });
    // Quality cannot see sales' archive: told only that the code is taken.
    const hidden = await co.as.qamgr.post('/api/customers', {
      ...base,
      name: '另一个名字',
      creditCode: uscc(1),
    });
    expect(hidden.json()).toMatchObject({ status: 409, code: 'credit_code_taken_hidden' });
    expect(hidden.body).not.toContain('KH20260001');
    expect(hidden.body).not.toContain('华为');
  });

  it('flags near-identical names until the user confirms', async () => {
    const similar = await co.as.sales2.post('/api/customers', {
      ...base,
      name: '深圳市华为技术有限责任公司',
    });
    expect(similar.statusCode).toBe(409);
    expect(similar.json()).toMatchObject({
      code: 'possible_duplicate',
      title: expect.stringContaining('KH20260001 深圳市华为技术有限公司'),
    });
    const confirmed = await co.as.sales2.post('/api/customers', {
      ...base,
      name: '深圳市华为技术（有限责任）公司',
      allowSimilarName: true,
    });
    expect(confirmed.statusCode).toBe(201);
    const groups = (await co.as.archivist.get('/api/customers/duplicates')).json().items;
    expect(groups[0].customers.map((c: { name: string }) => c.name).sort()).toEqual(
      ['深圳市华为技术有限公司', '深圳市华为技术（有限责任）公司'].sort(),
    );
  });

  it('checks configured lists, owners, departments and dates', async () => {
    const res = await co.as.sales1.post('/api/customers', {
      name: '错误引用公司',
      category: 'vip',
      kind: 'alien',
      ownerIds: ['nobody'],
      departmentId: 'nowhere',
      // Tomorrow: a date that can be real (a day's slack for the reader's clock), but is not yet.
      firstContactDate: '2026-03-03',
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['category', 'departmentId', 'firstContactDate', 'kind', 'ownerIds'].sort());
  });

  it('never lets a user create what they could not see', async () => {
    const res = await co.as.sales1.post('/api/customers', {
      ...base,
      name: '机密客户甲',
      secrecy: 'confidential',
    });
    expect(res.json()).toMatchObject({ status: 422, code: 'secrecy_above_own' });
    expect((await co.as.qa1.post('/api/customers', { ...base, name: '无权新建' })).statusCode).toBe(403);
  });

  it('gives 200 parallel creations unique, gapless archive codes', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        co.as.sales1.post('/api/customers', { ...base, kind: 'partner', name: `并发合作伙伴${i}` }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const codes = results.map((r) => r.json().archiveCode as string).sort();
    expect(new Set(codes).size).toBe(200);
    expect(codes[0]).toBe('HZ20260001');
    expect(codes[199]).toBe('HZ20260200');
  });
});

describe('who sees which archive (R-P1, R-P2)', () => {
  let t: TestApp;
  let co: Company;
  let open: string;
  let secret: string;
  let eastId: string;

  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    open = (await co.as.sales1.post('/api/customers', { ...base, name: '普通客户乙' })).json().id;
    secret = (
      await co.as.gm.post('/api/customers', {
        ...base,
        name: '机密客户丙',
        secrecy: 'confidential',
        departmentId: co.sales,
        ownerIds: [co.ids.sales1],
      })
    ).json().id;
    eastId = (await co.as.east1.post('/api/customers', { ...base, name: '华东客户丁' })).json().id;
  });
  afterAll(() => t.close());

  const names = async (login: Person, query = '') =>
    ((await co.as[login].get(`/api/customers${query}`)).json().items ?? [])
      .map((c: { name: string }) => c.name)
      .sort();
  const count = async (login: Person, query = '') =>
    (await co.as[login].get(`/api/customers/count${query}`)).json().count;

  it('shows a department its archives and those of its sub-departments', async () => {
    expect(await names('sales2')).toEqual(['华东客户丁', '普通客户乙']);
    expect(await names('east1')).toEqual(['华东客户丁']);
    expect(await names('salesmgr')).toEqual(['华东客户丁', '普通客户乙']);
    expect(await names('qa1')).toEqual([]);
    expect((await co.as.qa1.get(`/api/customers/${open}`)).statusCode).toBe(404);
    expect((await co.as.east1.get(`/api/customers/${open}`)).statusCode).toBe(404);
  });

  it('lets general managers and archivists see all archives within their clearance', async () => {
    expect(await names('gm')).toEqual(['华东客户丁', '普通客户乙', '机密客户丙']);
    expect(await names('archivist')).toEqual(['华东客户丁', '普通客户乙', '机密客户丙']);
    expect(await names('lowgm')).toEqual(['华东客户丁', '普通客户乙']);
  });

  it('hides a 机密 archive from 普通 users everywhere: by id, list, search, count and export', async () => {
    // sales1 is even its owner, but holds only 普通 clearance.
    for (const login of ['sales1', 'sales2', 'lowgm'] as const) {
      expect((await co.as[login].get(`/api/customers/${secret}`)).statusCode).toBe(404);
      expect(await names(login)).not.toContain('机密客户丙');
      expect(await names(login, `?q=${encodeURIComponent('机密')}`)).toEqual([]);
      expect(await count(login)).toBe(2);
      expect(await count(login, `?q=${encodeURIComponent('机密')}`)).toBe(0);
      const xlsx = await co.as[login].get('/api/customers/export.xlsx');
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.rawPayload.includes(Buffer.from('机密客户丙'))).toBe(false);
      expect((await co.as[login].get(`/api/customers/${secret}/contacts`)).statusCode).toBe(404);
      expect((await co.as[login].get(`/api/customers/${secret}/timeline`)).statusCode).toBe(404);
    }
    expect(await count('gm')).toBe(3);
    expect((await co.as.gm.get(`/api/customers/${secret}`)).statusCode).toBe(200);
  });

  it('opens an archive to another department by grant, until revoked or expired', async () => {
    const grant = await co.as.admin.post(`/api/customers/${open}/grants`, {
      departmentId: co.quality,
      reason: '质量投诉调查',
    });
    expect(grant.statusCode).toBe(201);
    expect(await names('qa1')).toEqual(['普通客户乙']);
    expect((await co.as.qa1.get(`/api/customers/${open}`)).json()).toMatchObject({
      name: '普通客户乙',
      can: { update: false },
    });
    expect((await co.as.qa1.patch(`/api/customers/${open}`, { region: '深圳' })).statusCode).toBe(403);
    expect((await co.as.admin.delete(`/api/customers/${open}/grants/${grant.json().id}`)).statusCode).toBe(
      204,
    );
    expect(await names('qa1')).toEqual([]);

    // A personal grant by archive code, ending on a day in company time.
    const code = (await co.as.gm.get(`/api/customers/${eastId}`)).json().archiveCode;
    expect(
      (
        await co.as.admin.post(`/api/customers/${code}/grants`, {
          userId: co.ids.qa1,
          expiresOn: '2026-03-05',
        })
      ).statusCode,
    ).toBe(201);
    expect(await names('qa1')).toEqual(['华东客户丁']);
    const later = async (iso: string) => {
      t.clock.set(iso);
      const qa = await signIn(t.app, 'qa1'); // days later: a new session
      return (await qa.get('/api/customers')).json().items.map((c: { name: string }) => c.name);
    };
    try {
      expect(await later('2026-03-05T15:59:00Z')).toEqual(['华东客户丁']); // 23:59 in Shanghai
      expect(await later('2026-03-05T16:01:00Z')).toEqual([]);
    } finally {
      t.clock.set('2026-03-02T01:00:00Z');
    }

    expect(
      (await co.as.sales1.post(`/api/customers/${open}/grants`, { userId: co.ids.qa1 })).statusCode,
    ).toBe(403);
    // An administrator cannot grant what is above their own clearance.
    await t.database.db.updateTable('users').set({ clearance: 0 }).where('login', '=', 'admin').execute();
    expect(
      (await co.as.admin.post(`/api/customers/${secret}/grants`, { userId: co.ids.qa1 })).statusCode,
    ).toBe(404);
    await t.database.db.updateTable('users').set({ clearance: 3 }).where('login', '=', 'admin').execute();
  });

  it('audits every view of an archive', async () => {
    await co.as.sales2.get(`/api/customers/${open}`);
    const views = (await co.as.admin.get(`/api/audit?action=customer.read&actor=sales2`)).json().items;
    expect(views[0]).toMatchObject({ targetId: open, targetType: 'customer' });
  });

  it('keeps audit entries about a 机密 archive from 普通 auditors', async () => {
    await co.as.gm.get(`/api/customers/${secret}`);
    await seedUser(t, 'aud0', ['auditor'], { clearance: 'normal' });
    const auditor = await signIn(t.app, 'aud0');
    const entries = (await auditor.get(`/api/audit?target=${secret}`)).json().items;
    expect(entries).toEqual([]);
    const admin = (await co.as.admin.get(`/api/audit?target=${secret}`)).json().items;
    expect(admin.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['customer.create', 'customer.read']),
    );
  });
});
