import { describe, expect, it } from 'vitest';
import { companyApp } from '../../test-support/customers.js';
import { readXlsx } from '../../test-support/sheets.js';

// 项目档案 (seed 002: 同一客户的不同项目档案应分别整理，但需建立关联索引): projects inside a customer
// archive, each with its own catalogue; a document links to one project of its own archive; the
// 关联索引 counts what the reader may see; the 归档文件目录 is produced per project.

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API
type Json = any;

describe('projects (项目档案)', () => {
  const app = companyApp();
  const state = {} as { a: string; b: string; p1: Json; p2: Json; pb: Json; docs: Record<string, string> };

  const customer = async (name: string, as = app.co.as.sales1) => {
    const res = await as.post('/api/customers', { name, category: 'general', kind: 'business' });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const doc = async (title: string, extra: Json, as = app.co.as.sales1) => {
    const res = await as.post('/api/documents', {
      title,
      category: 'records',
      issueDate: '2025-06-01',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Json;
  };
  const catalogue = async (projectId: string, as = app.co.as.sales1) => {
    const res = await as.get(`/api/projects/${projectId}/catalogue`);
    expect(res.statusCode).toBe(200);
    return (res.json().items as Json[]).map((d) => d.title).sort();
  };

  it('creates, lists, edits, closes and reopens projects of an archive, with history and audit', async () => {
    const { as, ids } = app.co;
    state.a = await customer('绿源水务有限公司');
    state.b = await customer('蓝天环保有限公司');
    const create = (customerId: string, body: Json, who = as.sales1) =>
      who.post(`/api/customers/${customerId}/projects`, body);
    const res = await create(state.a, {
      name: '污水处理项目',
      code: 'WS-01',
      startDate: '2026-01-05',
      ownerId: ids.sales1,
      retention: 'd30',
      remarks: '一期',
    });
    expect(res.statusCode, res.body).toBe(201);
    state.p1 = res.json();
    expect(state.p1).toMatchObject({
      code: 'WS-01',
      retention: 'D30',
      status: 'active',
      owner: { id: ids.sales1 },
      customer: { id: state.a },
      can: { update: true },
    });
    state.p2 = (await create(state.a, { name: '废气治理项目', code: 'FQ-01' })).json();
    state.pb = (await create(state.b, { name: '蓝天一期', code: 'WS-01' })).json();
    expect(state.pb.code).toBe('WS-01'); // unique within an archive, not across archives
    // The code is unique within the archive; the retention is one of the settings'; dates in order.
    const taken = await create(state.a, { name: '重复', code: 'WS-01' });
    expect(taken.statusCode).toBe(422);
    expect(taken.json().errors).toEqual([
      expect.objectContaining({ field: 'code', message: expect.stringContaining('WS-01') }),
    ]);
    const bad = await create(state.a, {
      name: '坏项目',
      code: 'X1',
      retention: 'D7',
      startDate: '2026-02-01',
      endDate: '2026-01-01',
    });
    expect(bad.statusCode).toBe(422);
    expect((bad.json().errors as Json[]).map((e) => e.field).sort()).toEqual(['endDate', 'retention']);
    // A colleague who sees the archive but may not change it is refused.
    expect((await as.sales2.get(`/api/customers/${state.a}/projects`)).statusCode).toBe(200);
    expect((await create(state.a, { name: '他人', code: 'QT' }, as.sales2)).statusCode).toBe(403);

    const list = (await as.sales1.get(`/api/customers/${state.a}/projects`)).json().items as Json[];
    expect(list.map((p) => p.code)).toEqual(['FQ-01', 'WS-01']);

    const edited = await as.sales1.patch(`/api/projects/${state.p1.id}`, {
      name: '污水处理一期项目',
      endDate: '2026-12-31',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: '污水处理一期项目', endDate: '2026-12-31' });
    const clash = await as.sales1.patch(`/api/projects/${state.p2.id}`, { code: 'WS-01' });
    expect(clash.statusCode).toBe(422);

    const closed = await as.sales1.post(`/api/projects/${state.p2.id}/close`, { note: '项目结束' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await as.sales1.post(`/api/projects/${state.p2.id}/close`, {})).statusCode).toBe(409);
    const frozen = await as.sales1.patch(`/api/projects/${state.p2.id}`, { name: '改名' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().title).toContain('已关闭');

    const history = (await as.sales1.get(`/api/customers/${state.a}/history`)).json().items as Json[];
    expect(history.filter((h) => h.kind === 'project').map((h) => h.field)).toEqual(
      expect.arrayContaining(['project', 'project_update', 'project_closed']),
    );
    const audit = (await as.admin.get(`/api/audit?action=customer.project_create&target=${state.a}`)).json()
      .items as Json[];
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ targetType: 'customer', targetId: state.a });
  });

  it('shows a document linked to a project in that project’s catalogue only', async () => {
    const { as } = app.co;
    const inP1 = await doc('一期设计图纸', { customerId: state.a, projectId: state.p1.id });
    expect(inP1.project).toMatchObject({ id: state.p1.id, code: 'WS-01' });
    const loose = await doc('年度框架协议', { customerId: state.a });
    expect(loose.project).toBeNull();
    // A closed project takes no new records; reopened, it does.
    const toClosed = await as.sales1.post('/api/documents', {
      title: '废气监测报告',
      category: 'records',
      customerId: state.a,
      projectId: state.p2.id,
    });
    expect(toClosed.statusCode).toBe(422);
    expect(toClosed.json().errors[0]).toMatchObject({
      field: 'projectId',
      message: expect.stringContaining('已关闭'),
    });
    expect((await as.sales1.post(`/api/projects/${state.p2.id}/reopen`, {})).statusCode).toBe(200);
    const inP2 = await doc('废气监测报告', { customerId: state.a, projectId: state.p2.id });
    state.docs = { inP1: inP1.id, loose: loose.id, inP2: inP2.id };

    expect(await catalogue(state.p1.id)).toEqual(['一期设计图纸']);
    expect(await catalogue(state.p2.id)).toEqual(['废气监测报告']);
    // Linked later by an edit: it moves into the catalogue.
    const linked = await as.sales1.patch(`/api/documents/${loose.id}`, { projectId: state.p1.id });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(await catalogue(state.p1.id)).toEqual(['一期设计图纸', '年度框架协议']);
    expect(await catalogue(state.p2.id)).toEqual(['废气监测报告']);
    const events = (await as.sales1.get(`/api/documents/${loose.id}/events`)).json() as Json;
    expect(JSON.stringify(events)).toContain('projectId');
  });

  it('refuses a link to another archive’s project, in Chinese naming projectId', async () => {
    const { as } = app.co;
    const other = await as.sales1.post('/api/documents', {
      title: '错挂的文件',
      category: 'records',
      customerId: state.a,
      projectId: state.pb.id,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().errors).toEqual([
      expect.objectContaining({ field: 'projectId', message: expect.stringContaining('不属于') }),
    ]);
    const patched = await as.sales1.patch(`/api/documents/${state.docs.inP2}`, { projectId: state.pb.id });
    expect(patched.statusCode).toBe(422);
    expect(patched.json().errors[0].field).toBe('projectId');
    // A document of no archive cannot join a project either.
    const none = await as.sales1.post('/api/documents', {
      title: '无客户文件',
      category: 'records',
      projectId: state.p1.id,
    });
    expect(none.statusCode).toBe(422);
    // Moving a linked document to another archive without leaving the project is refused too.
    const moved = await as.sales1.patch(`/api/documents/${state.docs.inP1}`, { customerId: state.b });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().errors[0].field).toBe('projectId');
    expect(await catalogue(state.p1.id)).toEqual(['一期设计图纸', '年度框架协议']);
    expect(await catalogue(state.pb.id)).toEqual([]);
  });

  it('keeps a 机密 document out of a lower-cleared reader’s catalogue and 关联索引', async () => {
    const { as } = app.co;
    await doc(
      '机密工艺方案',
      { customerId: state.a, projectId: state.p1.id, secrecy: 'confidential' },
      as.gm,
    );
    expect(await catalogue(state.p1.id, as.gm)).toEqual(['一期设计图纸', '年度框架协议', '机密工艺方案']);
    expect(await catalogue(state.p1.id, as.sales1)).toEqual(['一期设计图纸', '年度框架协议']);
    const index = async (who: typeof as.sales1) => {
      const res = await who.get(`/api/customers/${state.a}/project-index`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as Json;
      return {
        projects: (body.projects as Json[]).map((p) => [p.code, p.counts.documents]),
        unlinked: body.unlinked.documents,
      };
    };
    expect(await index(as.gm)).toEqual({
      projects: [
        ['FQ-01', 1],
        ['WS-01', 3],
      ],
      unlinked: 0,
    });
    expect(await index(as.sales1)).toEqual({
      projects: [
        ['FQ-01', 1],
        ['WS-01', 2],
      ],
      unlinked: 0,
    });
    await doc('未关联的往来函件', { customerId: state.a });
    expect((await index(as.sales1)).unlinked).toBe(1);
  });

  it('produces the 归档文件目录 of one project with only its filed documents', async () => {
    const { as } = app.co;
    await as.admin.patch(`/api/departments/${app.co.sales}`, { code: 'XS' });
    for (const id of [state.docs.inP1, state.docs.inP2])
      expect((await as.archivist.post(`/api/documents/${id}/file`)).statusCode).toBe(200);
    const res = await as.archivist.get(`/api/projects/${state.p1.id}/catalogue.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('归档文件目录'));
    const rows = await readXlsx(res.rawPayload);
    const titles = rows.slice(1).map((r) => r.join('|'));
    expect(titles).toHaveLength(1);
    expect(titles[0]).toContain('一期设计图纸');
    expect(rows.flat().join('|')).not.toContain('废气监测报告');
    // Unfiled documents of the project are not on it.
    expect(rows.flat().join('|')).not.toContain('年度框架协议');
    const csv = await as.archivist.get(`/api/projects/${state.p2.id}/catalogue.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('废气监测报告');
    expect(csv.body).not.toContain('一期设计图纸');
    const audit = (await as.admin.get('/api/audit?action=document.export')).json().items as Json[];
    expect(audit[0].details).toMatchObject({ register: 'filed', filter: { projectId: state.p2.id } });
  });

  it('answers 404 for the projects of archives the reader does not see', async () => {
    const { as } = app.co;
    const theirs = await customer('品质部客户有限公司', as.qamgr);
    const project = (
      await as.qamgr.post(`/api/customers/${theirs}/projects`, { name: '品质项目', code: 'PZ-1' })
    ).json();
    expect((await as.sales1.get(`/api/customers/${theirs}`)).statusCode).toBe(404);
    for (const res of [
      await as.sales1.get(`/api/customers/${theirs}/projects`),
      await as.sales1.get(`/api/customers/${theirs}/project-index`),
      await as.sales1.get(`/api/projects/${project.id}`),
      await as.sales1.get(`/api/projects/${project.id}/catalogue`),
      await as.sales1.get(`/api/projects/${project.id}/catalogue.xlsx`),
      await as.sales1.patch(`/api/projects/${project.id}`, { name: '改' }),
      await as.sales1.post(`/api/projects/${project.id}/close`, {}),
      await as.sales1.post(`/api/customers/${theirs}/projects`, { name: 'x', code: 'X' }),
    ])
      expect(res.statusCode).toBe(404);
    expect((await as.qamgr.get(`/api/projects/${project.id}`)).statusCode).toBe(200);
  });

  it('links orders, special requirements and complaints to a project of their own archive', async () => {
    const { as } = app.co;
    const line = {
      partNumber: 'P-100',
      product: '滤芯',
      quantity: '10',
      unit: '只',
      unitPrice: '12.5',
      requestedOn: '2026-05-29',
    };
    const order = (projectId: string) =>
      as.sales1.post('/api/orders', {
        customerId: state.a,
        kind: 'order',
        receivedVia: 'email',
        receivedOn: '2026-03-02',
        lines: [line],
        projectId,
      });
    const refused = await order(state.pb.id);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({
      field: 'projectId',
      message: expect.stringContaining('不属于'),
    });
    const o = await order(state.p1.id);
    expect(o.statusCode, o.body).toBe(201);
    expect(o.json().projectId).toBe(state.p1.id);
    const moved = await as.sales1.patch(`/api/orders/${o.json().id}`, { projectId: state.p2.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().projectId).toBe(state.p2.id);
    expect((await as.sales1.patch(`/api/orders/${o.json().id}`, { projectId: state.pb.id })).statusCode).toBe(
      422,
    );

    const sr = await as.sales1.post('/api/special-requirements', {
      customerId: state.a,
      category: 'ppap',
      title: '出货检验报告',
      text: '所有批次须随货提供出货检验报告',
      receivedOn: '2026-03-02',
      projectId: state.p1.id,
    });
    expect(sr.statusCode, sr.body).toBe(201);
    expect(sr.json().projectId).toBe(state.p1.id);
    const srOther = await as.sales1.patch(`/api/special-requirements/${sr.json().id}`, {
      projectId: state.pb.id,
    });
    expect(srOther.statusCode).toBe(422);
    expect(srOther.json().errors[0].field).toBe('projectId');

    const complaint = await as.sales1.post('/api/cases', {
      kind: 'complaint',
      type: 'quality',
      customerId: state.a,
      channel: 'phone',
      content: '滤芯批次渗漏',
      projectId: state.p1.id,
    });
    expect(complaint.statusCode, complaint.body).toBe(201);
    expect(complaint.json().projectId).toBe(state.p1.id);
    const caseOther = await as.sales1.patch(`/api/cases/${complaint.json().id}`, { projectId: state.pb.id });
    expect(caseOther.statusCode).toBe(422);
    expect(caseOther.json().errors[0].field).toBe('projectId');
    const unlinkedCase = await as.sales1.post('/api/cases', {
      kind: 'service',
      type: 'repair',
      customerId: state.a,
      channel: 'email',
      content: '设备异响',
    });
    expect(unlinkedCase.statusCode).toBe(201);

    const index = (await as.sales1.get(`/api/customers/${state.a}/project-index`)).json() as Json;
    const counts = Object.fromEntries((index.projects as Json[]).map((p) => [p.code, p.counts]));
    expect(counts['WS-01']).toMatchObject({ orders: 0, requirements: 1, cases: 1 });
    expect(counts['FQ-01']).toMatchObject({ orders: 1, requirements: 0, cases: 0 });
    expect(index.unlinked).toMatchObject({ orders: 0, requirements: 0, cases: 1 });
  });

  it('names as owner only someone cleared for the archive’s level', async () => {
    const { as, ids } = app.co;
    const secret = await as.gm.post('/api/customers', {
      name: '机密环保客户有限公司',
      category: 'general',
      kind: 'business',
      secrecy: 'confidential',
    });
    expect(secret.statusCode, secret.body).toBe(201);
    const id = secret.json().id as string;
    const low = await as.gm.post(`/api/customers/${id}/projects`, {
      name: '机密项目',
      code: 'JM-1',
      ownerId: ids.sales1,
    });
    expect(low.statusCode).toBe(422);
    expect(low.json().errors[0]).toMatchObject({
      field: 'ownerId',
      message: expect.stringContaining('涉密等级'),
    });
    const ok = await as.gm.post(`/api/customers/${id}/projects`, {
      name: '机密项目',
      code: 'JM-1',
      ownerId: ids.qa1,
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
