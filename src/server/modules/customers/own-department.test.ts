import { describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';

// R-P2 (seed 001 篇一 本部门的档案经部门经理批准后可以查阅): the policy setting
// `own_department_requires_approval` (default off) closes one's own department's customer
// archives — and the documents in them — to everyone but their owners and the department's
// managers; a colleague asks through the access-request flow and the department manager approves.

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API
type Json = any;

describe('own-department reading needs the department manager (R-P2)', () => {
  const app = companyApp();
  let archive: Json;
  let document: string;
  let other: Json;

  const sees = async (as: Client, c: Json = archive) => ({
    archive: (await as.get(`/api/customers/${c.id}`)).statusCode,
    list: ((await as.get(`/api/customers?q=${encodeURIComponent(c.name)}`)).json().items as Json[]).length,
    count: (await as.get(`/api/customers/count?q=${encodeURIComponent(c.name)}`)).json().count,
  });

  it('is off by default: a colleague in the department reads the archive freely', async () => {
    const { as } = app.co;
    archive = (
      await as.sales1.post('/api/customers', { category: 'general', kind: 'business', name: '本部门客户甲' })
    ).json();
    other = (
      await as.sales1.post('/api/customers', { category: 'general', kind: 'business', name: '本部门客户乙' })
    ).json();
    const doc = await as.sales1.post('/api/documents', {
      category: 'records',
      title: '甲客户拜访纪要',
      customerId: archive.id,
    });
    expect(doc.statusCode, doc.body).toBe(201);
    document = doc.json().id;
    expect((await as.sales1.get('/api/lending/settings')).json().ownDepartmentRequiresApproval).toBe(false);
    expect(await sees(as.sales2)).toEqual({ archive: 200, list: 1, count: 1 });
    expect((await as.sales2.get(`/api/documents/${document}`)).statusCode).toBe(200);
  });

  it('is the administrator’s to turn on, and the change is audited', async () => {
    const { as } = app.co;
    expect(
      (await as.salesmgr.put('/api/lending/settings', { ownDepartmentRequiresApproval: true })).statusCode,
    ).toBe(403);
    const bad = await as.admin.put('/api/lending/settings', { ownDepartmentRequiresApproval: '是' });
    expect(bad.statusCode).toBe(400);
    const res = await as.admin.put('/api/lending/settings', { ownDepartmentRequiresApproval: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ownDepartmentRequiresApproval: true, maxDays: 14 });
    const audit = (await as.admin.get('/api/audit?action=lending_config.settings')).json().items as Json[];
    expect(audit[0]).toMatchObject({
      details: {
        before: expect.objectContaining({ ownDepartmentRequiresApproval: false }),
        after: expect.objectContaining({ ownDepartmentRequiresApproval: true }),
      },
    });
  });

  it('when on, closes the archive and its documents to a colleague, not to the owner or manager', async () => {
    const { as } = app.co;
    expect(await sees(as.sales2)).toEqual({ archive: 404, list: 0, count: 0 });
    expect((await as.sales2.get(`/api/documents/${document}`)).statusCode).toBe(404);
    // The same answer as for an archive that does not exist.
    expect((await as.sales2.get(`/api/customers/${archive.id}`)).json().code).toBe(
      (await as.sales2.get('/api/customers/nonexistent')).json().code,
    );
    for (const who of [as.sales1, as.salesmgr, as.gm]) {
      expect(await sees(who)).toEqual({ archive: 200, list: 1, count: 1 });
      expect((await who.get(`/api/documents/${document}`)).statusCode).toBe(200);
    }
  });

  it('routes the colleague through the department manager, whose approval opens the archive', async () => {
    const { as } = app.co;
    // The catalogue offers it, not readable yet.
    const found = (
      await as.sales2.get(`/api/lending/catalogue?q=${encodeURIComponent('本部门客户甲')}`)
    ).json() as Json[];
    expect(found.find((x) => x.targetId === archive.id)).toMatchObject({
      targetType: 'customer',
      readable: false,
    });
    const req = await as.sales2.post('/api/access-requests', {
      mode: 'electronic',
      purpose: 'read',
      reason: '准备客户拜访',
      items: [{ targetType: 'customer', targetId: archive.id }],
    });
    expect(req.statusCode, req.body).toBe(201);
    const id = req.json().id as string;
    expect((req.json().steps as Json[]).map((s) => s.role)).toEqual(['department_manager']);
    // Not the general manager, not another department's manager, never the requester.
    for (const who of ['gm', 'qamgr', 'sales2'] as const) {
      const res = await as[who].post(`/api/access-requests/${id}/decisions`, { decision: 'approve' });
      expect([who, res.statusCode]).toEqual([who, who === 'qamgr' ? 404 : 403]);
    }
    expect(await sees(as.sales2)).toEqual({ archive: 404, list: 0, count: 0 });
    const approved = await as.salesmgr.post(`/api/access-requests/${id}/decisions`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    expect(await sees(as.sales2)).toEqual({ archive: 200, list: 1, count: 1 });
    // The other archive of the department stays closed: the approval was for this one.
    expect(await sees(as.sales2, other)).toEqual({ archive: 404, list: 0, count: 0 });
  });

  it('when off again, today’s behaviour returns', async () => {
    const { as } = app.co;
    await as.admin.put('/api/lending/settings', { ownDepartmentRequiresApproval: false });
    expect(await sees(as.sales2, other)).toEqual({ archive: 200, list: 1, count: 1 });
    expect((await as.sales2.get(`/api/documents/${document}`)).statusCode).toBe(200);
  });
});
