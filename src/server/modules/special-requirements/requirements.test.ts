import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { createDepartment } from '../org/service.js';
import { projectOverdueDaily } from './project-notices.js';

// The customer special requirements register through HTTP (R-S1, R-S2, R-S5, R-P1): numbers per
// customer list, the source document rules, field-by-field history, 已落实 refused while a
// review, an action or a linked document's new version is open, 需复核 on exactly the
// requirements citing a newly released source version, the after-mass-production clock over
// National Day, and who sees and does what.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('special requirements register (R-S1, R-S2, R-S5)', () => {
  const app = companyApp();
  const at = (iso: string) => travel(app.t, app.co, iso);
  const extra = {} as Record<'eng1' | 'engmgr' | 'prod1' | 'outsider', Client>;
  const ids = {} as Record<'eng1' | 'engmgr' | 'prod1' | 'outsider' | 'eng' | 'prod' | 'other', string>;
  let n = 0;

  const signInExtra = async () => {
    for (const login of ['eng1', 'engmgr', 'prod1', 'outsider'] as const)
      extra[login] = await signIn(app.t.app, login);
  };

  beforeAll(async () => {
    await at(shanghai('2026-09-28'));
    const dept = (name: string, code: string | null) =>
      createDepartment(app.t.system, { name, code, parentId: null, sortOrder: 0 }).then((d) => d.id);
    ids.eng = await dept('工程部', 'engineering');
    ids.prod = await dept('生产部', null);
    ids.other = await dept('采购部', null);
    ids.eng1 = (await seedUser(app.t, 'eng1', ['staff'], { departmentId: ids.eng, clearance: 'secret' })).id;
    ids.engmgr = (await seedUser(app.t, 'engmgr', ['department_manager'], { departmentId: ids.eng })).id;
    ids.prod1 = (await seedUser(app.t, 'prod1', ['staff'], { departmentId: ids.prod })).id;
    ids.outsider = (
      await seedUser(app.t, 'outsider', ['staff'], { departmentId: ids.other, clearance: 'top_secret' })
    ).id;
    await signInExtra();
  });

  /** A filed archive of 销售部 owned by sales1. */
  const archive = async () => {
    const res = await app.co.as.sales1.post('/api/customers', {
      name: `特殊要求测试客户${++n}号有限公司`,
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
  /** A customer-supplied document of the archive (paper: a new version needs no file). */
  const customerDoc = async (customerId: string, title: string, versionLabel = 'A') => {
    const res = await app.co.as.sales1.post('/api/documents', {
      title,
      source: 'customer',
      category: 'customer_supplied',
      customerId,
      versionLabel,
      carrier: 'paper',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; versions: { id: string; label: string; status: string }[] };
  };
  const register = async (as: Client, body: Json) => {
    const res = await as.post('/api/special-requirements', {
      category: 'ppap',
      title: `要求${++n}`,
      text: '所有批次须随货提供出货检验报告',
      receivedOn: '2026-09-28',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Json & { id: string; number: string };
  };
  /** Releases a new version (draft, then current), as the documents' 新版本 drawer does. */
  const newVersion = async (as: Client, documentId: string, versionLabel: string) => {
    const draft = await as.post(`/api/documents/${documentId}/versions`, { versionLabel });
    expect(draft.statusCode, draft.body).toBe(201);
    const v = (draft.json().versions as { id: string; status: string }[]).find((x) => x.status === 'draft');
    if (!v) throw new Error('no draft');
    return v.id;
  };
  const release = async (as: Client, documentId: string, versionId: string) => {
    const res = await as.post(`/api/documents/${documentId}/versions/${versionId}/release`, {
      recallCopyIds: [],
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const get = async (as: Client, id: string) => {
    const res = await as.get(`/api/special-requirements/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('numbers requirements per customer list, creating the list with its yearly check', async () => {
    const { as } = app.co;
    const a = await archive();
    const b = await archive();
    const manual = await customerDoc(a.id, '顾客质量手册');
    const first = await register(as.sales1, {
      customerId: a.id,
      sourceDocumentId: manual.id,
      sourceClause: '4.2',
    });
    expect(first).toMatchObject({
      number: `CSR-${a.archiveCode}-001`,
      status: 'pending_review',
      appliesToAll: true,
      receiver: { id: app.co.ids.sales1 },
      customer: { id: a.id, code: a.archiveCode },
      // The document's current version unless another is named.
      source: { documentId: manual.id, versionId: manual.versions[0]?.id, versionLabel: 'A', clause: '4.2' },
    });
    expect((await register(as.sales1, { customerId: a.id })).number).toBe(`CSR-${a.archiveCode}-002`);
    expect((await register(as.sales1, { customerId: b.id })).number).toBe(`CSR-${b.archiveCode}-001`);
    // Registered at once: every number once, none skipped.
    const many = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        as.sales1.post('/api/special-requirements', {
          customerId: a.id,
          category: 'packaging',
          title: `并发${i}`,
          text: '包装标签须含批次号',
          receivedOn: '2026-09-28',
        }),
      ),
    );
    for (const res of many) expect(res.statusCode, res.body).toBe(201);
    expect(many.map((res) => res.json().number).sort()).toEqual(
      [3, 4, 5, 6, 7].map((i) => `CSR-${a.archiveCode}-00${i}`),
    );
    const list = (await as.sales1.get(`/api/customers/${a.id}/special-requirements`)).json();
    expect(list).toMatchObject({ revision: 0, nextCheckOn: '2027-09-28', checkOverdue: false });
    expect(list.items.map((x: Json) => x.number)).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((i) => `CSR-${a.archiveCode}-00${i}`),
    );
    expect(list.can).toMatchObject({ create: true, distribute: false });
    // The cross-customer list pages by number.
    const pages: string[][] = [];
    let cursor = '';
    do {
      const res = await as.sales1.get(
        `/api/special-requirements?customerId=${a.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      pages.push(res.json().items.map((x: Json) => x.number));
      cursor = res.json().nextCursor ?? '';
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(list.items.map((x: Json) => x.number));
    expect((await as.sales1.get('/api/special-requirements?cursor=bad')).statusCode).toBe(400);
  });

  it('takes its source only from a customer document of the same archive the reader sees', async () => {
    const { as } = app.co;
    const a = await archive();
    const b = await archive();
    const otherCustomers = await customerDoc(b.id, '其他客户的技术协议');
    const internal = (
      await as.sales1.post('/api/documents', { title: '内部记录', category: 'records' })
    ).json();
    for (const sourceDocumentId of [otherCustomers.id, internal.id, 'no-such-document']) {
      const res = await as.sales1.post('/api/special-requirements', {
        customerId: a.id,
        sourceDocumentId,
        category: 'ppap',
        title: '错误来源',
        text: '内容',
        receivedOn: '2026-09-28',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([
        expect.objectContaining({
          field: 'sourceDocumentId',
          message: expect.stringContaining('来源文件须是'),
        }),
      ]);
    }
    const bad = await as.sales1.post('/api/special-requirements', {
      customerId: a.id,
      category: 'nonsense',
      title: '类别错误',
      text: '内容',
      receivedOn: '2026-09-28',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({
      field: 'category',
      message: '类别不存在或已停用：nonsense',
    });
    // Nothing was numbered by the refused attempts.
    expect((await register(as.sales1, { customerId: a.id })).number).toBe(`CSR-${a.archiveCode}-001`);
  });

  it('keeps a field-by-field history of every change, and audits reads and changes', async () => {
    const { as } = app.co;
    const a = await archive();
    const r = await register(as.sales1, { customerId: a.id, title: '标签要求' });
    const res = await as.sales1.patch(`/api/special-requirements/${r.id}`, {
      title: '标签与追溯要求',
      partNumbers: ['HX-100', 'HX-200'],
      note: '客户邮件更正',
    });
    expect(res.statusCode, res.body).toBe(200);
    const got = await get(as.sales1, r.id);
    expect(got).toMatchObject({
      title: '标签与追溯要求',
      appliesToAll: false,
      partNumbers: ['HX-100', 'HX-200'],
    });
    expect(got.history.map((h: Json) => [h.field, h.oldValue, h.newValue, h.note])).toEqual([
      ['status', null, '待评审', '登记'],
      ['title', '标签要求', '标签与追溯要求', '客户邮件更正'],
      ['partNumbers', '全部', 'HX-100、HX-200', '客户邮件更正'],
    ]);
    expect(got.history[1].actor).toMatchObject({ id: app.co.ids.sales1 });
    // Nothing changed: no entry.
    await as.sales1.patch(`/api/special-requirements/${r.id}`, { title: '标签与追溯要求' });
    expect((await get(as.sales1, r.id)).history).toHaveLength(3);
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', r.id)
      .orderBy('seq')
      .execute();
    const actions = audit.map((x) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['sr.create', 'sr.update', 'sr.read']));
  });

  it('refuses 已落实 while a review, an action or a linked document’s new version is open, allows it after', async () => {
    const { as } = app.co;
    const a = await archive();
    const r = await register(as.sales1, { customerId: a.id, partNumbers: ['HX-100'] });
    // Only once it is in review: quality (who keeps every customer's matrix) is refused for the
    // missing reviews, not for not seeing it.
    expect((await as.qa1.post(`/api/special-requirements/${r.id}/implemented`)).statusCode).toBe(409);
    expect((await as.salesmgr.post(`/api/special-requirements/${r.id}/implemented`)).statusCode).toBe(403);
    const asked = await as.sales1.post(`/api/special-requirements/${r.id}/reviews`, {
      departmentIds: [app.co.quality, ids.eng],
      note: '请评审',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().status).toBe('in_review');
    // The engineering manager is told.
    const told = (await extra.engmgr.get('/api/notifications')).json();
    expect(JSON.stringify(told)).toContain(r.number);

    let refused = await as.qa1.post(`/api/special-requirements/${r.id}/implemented`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().title).toContain('未评审部门');
    expect(refused.json().title).toContain('工程部');

    // Each department reviews its own part only.
    expect(
      (
        await extra.prod1.put(`/api/special-requirements/${r.id}/reviews/${ids.eng}`, {
          decision: 'applicable',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await as.qa1.put(`/api/special-requirements/${r.id}/reviews/${ids.eng}`, { decision: 'applicable' }))
        .statusCode,
    ).toBe(403);
    const engReview = await extra.eng1.put(`/api/special-requirements/${r.id}/reviews/${ids.eng}`, {
      decision: 'applicable',
      note: '需修订控制计划',
      ownerId: ids.eng1,
    });
    expect(engReview.statusCode, engReview.body).toBe(200);
    expect(engReview.json().ownerDepartment).toMatchObject({ id: ids.eng, name: '工程部' });
    const qaReview = await as.qa1.put(`/api/special-requirements/${r.id}/reviews/${app.co.quality}`, {
      decision: 'not_applicable',
      note: '品质体系已覆盖',
    });
    expect(qaReview.statusCode, qaReview.body).toBe(200);
    expect(qaReview.json().reviewedOn).toBe('2026-09-28');

    // An action decided in the review, through the actions module, in working days.
    const action = await extra.eng1.post(`/api/special-requirements/${r.id}/actions`, {
      kind: 'corrective',
      description: '修订控制计划，增加出货检验项目',
      ownerId: ids.eng1,
      dueDays: 3,
    });
    expect(action.statusCode, action.body).toBe(201);
    // Monday 09-28 + 3 working days: 09-29, 09-30, then National Day until 10-07, so 10-08.
    expect(action.json()).toMatchObject({
      dueDate: '2026-10-08',
      source: { type: 'special_requirement', label: r.number },
    });
    refused = await as.qa1.post(`/api/special-requirements/${r.id}/implemented`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().title).toContain('未完成或验证无效的措施 1 项');
    expect((await get(as.qa1, r.id)).openActions).toBe(1);

    // Engineering drafts the new control plan version and links it.
    const plan = await extra.eng1.post('/api/documents', {
      title: '控制计划 HX-100',
      category: 'records',
      versionLabel: 'A',
      carrier: 'paper',
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const planId = plan.json().id as string;
    const draftId = await newVersion(extra.eng1, planId, 'B');
    const linked = await extra.eng1.post(`/api/special-requirements/${r.id}/links`, {
      documentId: planId,
      versionId: draftId,
      role: 'control_plan',
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().links).toEqual([
      expect.objectContaining({
        current: false,
        role: 'control_plan',
        version: expect.objectContaining({ label: 'B', status: 'draft' }),
      }),
    ]);
    expect(
      (await as.sales1.post(`/api/actions/${action.json().id}/complete`, { result: 'x' })).statusCode,
    ).not.toBe(200);
    const done = await extra.eng1.post(`/api/actions/${action.json().id}/complete`, {
      result: '控制计划已修订',
    });
    expect(done.statusCode, done.body).toBe(200);
    refused = await as.qa1.post(`/api/special-requirements/${r.id}/implemented`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().title).toBe(
      '尚有未完成事项，不能确认已落实：相关文件的落实版本尚未生效：控制计划 控制计划 HX-100（B）为草稿',
    );
    expect((await get(as.qa1, r.id)).pendingDocuments).toBe(1);

    // The new version is made current: now quality may confirm, and nobody else.
    await release(extra.eng1, planId, draftId);
    expect((await as.sales1.post(`/api/special-requirements/${r.id}/implemented`)).statusCode).toBe(403);
    const ok = await as.qa1.post(`/api/special-requirements/${r.id}/implemented`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'implemented',
      confirmedBy: { id: app.co.ids.qa1 },
      openActions: 0,
      pendingDocuments: 0,
    });
    expect(ok.json().history.at(-1)).toMatchObject({
      field: 'status',
      oldValue: '评审中',
      newValue: '已落实',
    });

    // Contract review sees it for its part number, not for another.
    const applicable = (pn: string) =>
      as.sales1.get(`/api/customers/${a.id}/applicable-requirements?partNumber=${pn}`);
    expect((await applicable('HX-100')).json().items.map((x: Json) => x.number)).toEqual([r.number]);
    expect((await applicable('HX-999')).json().items).toEqual([]);
    // The customer changes the text after it was implemented: it is to be re-checked.
    const changed = await as.sales1.patch(`/api/special-requirements/${r.id}`, {
      text: '所有批次须随货提供出货检验报告及材质证明',
      note: '顾客更改',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ status: 'implemented', needsRecheck: true });
  });

  it('marks exactly the requirements citing a document 需复核 when its new version is registered', async () => {
    const { as } = app.co;
    const a = await archive();
    const manual = await customerDoc(a.id, '供应商质量手册', 'V1');
    const agreement = await customerDoc(a.id, '质量保证协议', '2025');
    const r1 = await register(as.sales1, { customerId: a.id, sourceDocumentId: manual.id });
    const r2 = await register(as.sales1, {
      customerId: a.id,
      sourceDocumentId: manual.id,
      sourceClause: '7.1',
    });
    const r3 = await register(as.sales1, { customerId: a.id, sourceDocumentId: agreement.id });
    const r4 = await register(as.sales1, { customerId: a.id });
    const v2 = await newVersion(as.sales1, manual.id, 'V2');
    // A draft is not a registered version yet.
    expect((await get(as.sales1, r1.id)).needsRecheck).toBe(false);
    await release(as.sales1, manual.id, v2);
    const state = async (id: string) => (await get(as.sales1, id)).needsRecheck;
    expect([await state(r1.id), await state(r2.id), await state(r3.id), await state(r4.id)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const one = await get(as.sales1, r1.id);
    expect(one.recheckReason).toContain('V2');
    expect(one.recheckReason).toContain('V1');
    expect(one.history.at(-1)).toMatchObject({ field: 'needsRecheck', oldValue: '否', newValue: '是' });
    // The archive's owner is told, and quality, who keeps every customer's matrix.
    const ownerNotes = JSON.stringify((await as.sales1.get('/api/notifications')).json());
    expect(ownerNotes).toContain(`${r1.number}（`);
    expect(ownerNotes).toContain(`${r2.number}（`);
    expect(ownerNotes).not.toContain(`${r3.number}（`);
    expect(JSON.stringify((await as.qa1.get('/api/notifications')).json())).toContain(r1.number);
    const filter = (
      await as.sales1.get(`/api/special-requirements?customerId=${a.id}&needsRecheck=true`)
    ).json();
    expect(filter.items.map((x: Json) => x.number)).toEqual([r1.number, r2.number]);
    // Re-checked: the mark goes and the requirement cites the new version.
    const cleared = await as.sales1.post(`/api/special-requirements/${r1.id}/rechecked`, {
      note: '新版第7章无变化',
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({
      needsRecheck: false,
      source: { versionId: v2, versionLabel: 'V2' },
    });
    expect(
      (await as.sales1.post(`/api/special-requirements/${r1.id}/rechecked`, { note: null })).statusCode,
    ).toBe(409);
  });

  it('takes 需复核 back when the released version is withdrawn; a requirement citing it is marked', async () => {
    const { as } = app.co;
    const a = await archive();
    const manual = await customerDoc(a.id, '供应商手册', 'V1');
    const r1 = await register(as.sales1, { customerId: a.id, sourceDocumentId: manual.id });
    const r2 = await register(as.sales1, { customerId: a.id, sourceDocumentId: manual.id });
    const withdraw = async (versionId: string) => {
      const res = await as.sales1.post(`/api/documents/${manual.id}/versions/${versionId}/withdraw`, {
        reason: '误登记',
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const v2 = await newVersion(as.sales1, manual.id, 'V2');
    await release(as.sales1, manual.id, v2);
    expect((await get(as.sales1, r1.id)).needsRecheck).toBe(true);
    // r2 is re-checked against V2 and cites it now.
    await as.sales1.post(`/api/special-requirements/${r2.id}/rechecked`, { note: null });
    expect((await get(as.sales1, r2.id)).source.versionLabel).toBe('V2');
    await withdraw(v2);
    const one = await get(as.sales1, r1.id);
    expect(one.needsRecheck).toBe(false);
    expect(one.history.at(-1)).toMatchObject({ field: 'needsRecheck', oldValue: '是', newValue: '否' });
    expect(one.history.at(-1).note).toContain('V2 已撤回');
    const two = await get(as.sales1, r2.id);
    expect(two.needsRecheck).toBe(true);
    expect(two.recheckReason).toContain('所引用的来源文件版本 V2 已撤回');
    // Another release marks both again, and withdrawing a draft changes nothing.
    const v3 = await newVersion(as.sales1, manual.id, 'V3');
    await release(as.sales1, manual.id, v3);
    expect((await get(as.sales1, r1.id)).needsRecheck).toBe(true);
    const v4 = await newVersion(as.sales1, manual.id, 'V4');
    await withdraw(v4);
    expect((await get(as.sales1, r1.id)).recheckReason).toContain('V3');
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', r1.id)
      .where('action', '=', 'sr.recheck_cleared')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('withdrawing one of two new versions keeps 需复核 against the restored one; an implementing version withdrawn marks 已落实 需复核', async () => {
    const { as } = app.co;
    const a = await archive();
    const manual = await customerDoc(a.id, '供应商手册二', 'V1');
    const r = await register(as.sales1, { customerId: a.id, sourceDocumentId: manual.id });
    const v2 = await newVersion(as.sales1, manual.id, 'V2');
    await release(as.sales1, manual.id, v2);
    const v3 = await newVersion(as.sales1, manual.id, 'V3');
    await release(as.sales1, manual.id, v3);
    const withdrawn = await as.sales1.post(`/api/documents/${manual.id}/versions/${v3}/withdraw`, {
      reason: '误登记',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    // Still citing V1 while V2 is current: the mark stays, now about V2.
    const one = await get(as.sales1, r.id);
    expect(one.needsRecheck).toBe(true);
    expect(one.recheckReason).toContain('V2');
    // Re-checked, it cites V2.
    await as.sales1.post(`/api/special-requirements/${r.id}/rechecked`, { note: null });
    expect((await get(as.sales1, r.id)).source.versionLabel).toBe('V2');

    // An implemented requirement whose control plan version is withdrawn.
    const b = await archive();
    const impl = await register(as.sales1, { customerId: b.id });
    await as.sales1.post(`/api/special-requirements/${impl.id}/reviews`, { departmentIds: [ids.eng] });
    const review = await extra.eng1.put(`/api/special-requirements/${impl.id}/reviews/${ids.eng}`, {
      decision: 'applicable',
      note: '更新控制计划',
      ownerId: ids.eng1,
    });
    expect(review.statusCode, review.body).toBe(200);
    const plan = await extra.eng1.post('/api/documents', {
      title: `控制计划${++n}`,
      category: 'records',
      versionLabel: 'A',
      carrier: 'paper',
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const planB = await newVersion(extra.eng1, plan.json().id, 'B');
    const linked = await extra.eng1.post(`/api/special-requirements/${impl.id}/links`, {
      documentId: plan.json().id,
      versionId: planB,
      role: 'control_plan',
    });
    expect(linked.statusCode, linked.body).toBe(200);
    await release(extra.eng1, plan.json().id, planB);
    const done = await as.qa1.post(`/api/special-requirements/${impl.id}/implemented`, {});
    expect(done.statusCode, done.body).toBe(200);
    const back = await extra.eng1.post(`/api/documents/${plan.json().id}/versions/${planB}/withdraw`, {
      reason: '版本有误',
    });
    expect(back.statusCode, back.body).toBe(200);
    const after = await get(as.sales1, impl.id);
    expect(after).toMatchObject({ status: 'implemented', needsRecheck: true });
    expect(after.recheckReason).toContain('已撤回');
  });

  it('keeps documents more secret than the requirement out of it: their titles would show', async () => {
    const { as } = app.co;
    const a = await archive();
    const doc = await as.salesmgr.post('/api/documents', {
      title: '秘密图纸规范',
      source: 'customer',
      category: 'customer_supplied',
      customerId: a.id,
      versionLabel: 'A',
      carrier: 'paper',
      secrecy: 'secret',
    });
    expect(doc.statusCode, doc.body).toBe(201);
    const body = {
      customerId: a.id,
      category: 'ppap',
      title: `要求${++n}`,
      text: '按秘密图纸规范执行',
      receivedOn: '2026-09-28',
      sourceDocumentId: doc.json().id,
    };
    const refused = await as.salesmgr.post('/api/special-requirements', body);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ field: 'sourceDocumentId' });
    const ok = await as.salesmgr.post('/api/special-requirements', { ...body, secrecy: 'secret' });
    expect(ok.statusCode, ok.body).toBe(201);
    // Lowered below its source: refused, and the 普通 owner still sees nothing of it.
    const lower = await as.salesmgr.patch(`/api/special-requirements/${ok.json().id}`, { secrecy: 'normal' });
    expect(lower.statusCode).toBe(422);
    expect(lower.json().errors[0]).toMatchObject({ field: 'secrecy' });
    expect((await as.sales1.get(`/api/special-requirements/${ok.json().id}`)).statusCode).toBe(404);
    const csv = await as.sales1.get(`/api/special-requirements/export.csv?customerId=${a.id}`);
    expect(csv.body).not.toContain('秘密图纸规范');
    // A 秘密 internal document cannot be linked to a 普通 requirement either.
    const plain = await register(as.sales1, { customerId: a.id });
    await as.sales1.post(`/api/special-requirements/${plain.id}/reviews`, {
      departmentIds: [app.co.quality],
    });
    const internal = await as.qa1.post('/api/documents', {
      title: '秘密控制计划',
      category: 'records',
      versionLabel: 'A',
      carrier: 'paper',
      secrecy: 'secret',
    });
    expect(internal.statusCode, internal.body).toBe(201);
    const link = await as.qa1.post(`/api/special-requirements/${plain.id}/links`, {
      documentId: internal.json().id,
      role: 'control_plan',
    });
    expect(link.statusCode).toBe(422);
    expect(link.json().errors[0]).toMatchObject({ field: 'documentId' });
  });

  it('runs the after-mass-production clock over National Day: received 09-30, due 10-08', async () => {
    const { as } = app.co;
    await at(shanghai('2026-09-30'));
    await signInExtra();
    const a = await archive();
    const r = await register(as.sales1, {
      customerId: a.id,
      receivedOn: '2026-09-30',
      afterMassProduction: true,
      ownerDepartmentId: ids.eng,
    });
    expect(r).toMatchObject({ projectDueOn: '2026-10-08', projectOverdue: false, projectInformedAt: null });
    // The owner department's manager is told at once, and quality.
    const notes = JSON.stringify((await extra.engmgr.get('/api/notifications')).json());
    expect(notes).toContain(`${r.number}`);
    expect(notes).toContain('2026-10-08 前传达项目组');
    expect(JSON.stringify((await as.qa1.get('/api/notifications')).json())).toContain(r.number);
    expect((await extra.engmgr.get('/api/special-requirements/todo')).json()).toMatchObject({
      projectDue: 1,
      projectOverdue: 0,
    });

    await at(shanghai('2026-10-08', '17:00'));
    await signInExtra();
    expect((await get(as.sales1, r.id)).projectOverdue).toBe(false);
    await at(shanghai('2026-10-09'));
    await signInExtra();
    expect((await get(as.sales1, r.id)).projectOverdue).toBe(true);
    expect((await extra.engmgr.get('/api/special-requirements/todo')).json()).toMatchObject({
      projectDue: 1,
      projectOverdue: 1,
    });
    const overdue = (await as.sales1.get(`/api/special-requirements?customerId=${a.id}&overdue=true`)).json();
    expect(overdue.items.map((x: Json) => x.number)).toEqual([r.number]);
    // The daily task tells those who see it, once.
    expect(await projectOverdueDaily(app.t.system)).toBe(1);
    expect(await projectOverdueDaily(app.t.system)).toBe(0);
    expect(JSON.stringify((await extra.engmgr.get('/api/notifications')).json())).toContain(
      '超期未传达项目组',
    );
    expect((await get(as.sales1, r.id)).history.at(-1)).toMatchObject({
      field: 'projectOverdue',
      newValue: '2026-10-08',
    });
    // The project team has it: the clock stops.
    const informed = await extra.engmgr.post(`/api/special-requirements/${r.id}/informed`, {
      note: '已在项目例会传达',
    });
    expect(informed.statusCode, informed.body).toBe(200);
    expect(informed.json()).toMatchObject({ projectOverdue: false, projectInformedAt: expect.any(String) });
    expect((await extra.engmgr.get('/api/special-requirements/todo')).json()).toMatchObject({
      projectDue: 0,
      projectOverdue: 0,
    });
    expect(
      (await extra.engmgr.post(`/api/special-requirements/${r.id}/informed`, { note: null })).statusCode,
    ).toBe(409);
    await at(shanghai('2026-09-28'));
    await signInExtra();
  });

  it('shows a requirement as its archive, and to the departments asked; never above clearance', async () => {
    const { as } = app.co;
    const a = await archive();
    const open = await register(as.sales1, { customerId: a.id });
    const secret = await register(as.salesmgr, { customerId: a.id, secrecy: 'secret', title: '机密的要求' });
    const id = open.id;
    const hidden = (res: { statusCode: number }) => expect(res.statusCode).toBe(404);
    // Another department's staff: as if it did not exist, everywhere.
    hidden(await extra.outsider.get(`/api/special-requirements/${id}`));
    hidden(await extra.outsider.patch(`/api/special-requirements/${id}`, { title: '改' }));
    hidden(
      await extra.outsider.post(`/api/special-requirements/${id}/reviews`, { departmentIds: [ids.other] }),
    );
    hidden(await extra.outsider.post(`/api/special-requirements/${id}/implemented`));
    hidden(await extra.outsider.post(`/api/special-requirements/${id}/obsolete`, { reason: '无' }));
    hidden(await extra.outsider.get(`/api/special-requirements/${id}/actions`));
    hidden(await extra.outsider.get(`/api/customers/${a.id}/special-requirements`));
    hidden(await extra.outsider.get(`/api/customers/${a.id}/applicable-requirements`));
    expect((await extra.outsider.get('/api/special-requirements')).json().items).toEqual([]);
    expect((await extra.outsider.get('/api/special-requirements/todo')).json()).toMatchObject({
      toReview: 0,
      projectDue: 0,
      needsRecheck: 0,
    });
    const made = await extra.outsider.post('/api/special-requirements', {
      customerId: a.id,
      category: 'ppap',
      title: '越权',
      text: '内容',
      receivedOn: '2026-09-28',
    });
    expect(made.statusCode).toBe(404);

    // The same department sees it but is not sales of this archive: 403, not 404.
    expect((await as.sales2.get(`/api/special-requirements/${id}`)).statusCode).toBe(200);
    expect((await as.sales2.patch(`/api/special-requirements/${id}`, { title: '改' })).statusCode).toBe(403);
    // Their manager may.
    expect((await as.salesmgr.patch(`/api/special-requirements/${id}`, { title: '经理改' })).statusCode).toBe(
      200,
    );

    // Production sees it only once asked to review, and only what it was asked.
    hidden(await extra.prod1.get(`/api/special-requirements/${id}`));
    await as.sales1.post(`/api/special-requirements/${id}/reviews`, { departmentIds: [ids.prod] });
    expect((await extra.prod1.get(`/api/special-requirements/${id}`)).json().reviews[0].canReview).toBe(true);
    expect((await extra.prod1.get('/api/special-requirements/todo')).json().toReview).toBe(1);
    // The requirement, not the customer's list.
    hidden(await extra.prod1.get(`/api/customers/${a.id}/special-requirements`));
    expect((await extra.prod1.get('/api/special-requirements')).json().items.map((x: Json) => x.id)).toEqual([
      id,
    ]);

    // Secrecy above clearance: invisible even to the archive's owner and to a general manager.
    hidden(await as.sales1.get(`/api/special-requirements/${secret.id}`));
    hidden(await as.lowgm.get(`/api/special-requirements/${secret.id}`));
    expect((await as.gm.get(`/api/special-requirements/${secret.id}`)).statusCode).toBe(200);
    // Quality keeps every customer's matrix, within its clearance.
    expect((await as.qa1.get(`/api/special-requirements/${id}`)).statusCode).toBe(200);
    expect((await as.qa1.get(`/api/customers/${a.id}/special-requirements`)).statusCode).toBe(200);
    const seen = (await as.sales1.get(`/api/special-requirements?customerId=${a.id}`))
      .json()
      .items.map((x: Json) => x.id);
    expect(seen).toEqual([id]);
    const ownList = (await as.sales1.get(`/api/customers/${a.id}/special-requirements`)).json();
    expect(ownList.items.map((x: Json) => x.id)).toEqual([id]);
    // The department filter: owner department or a department asked.
    const byDept = (
      await as.sales1.get(`/api/special-requirements?customerId=${a.id}&departmentId=${ids.prod}`)
    ).json();
    expect(byDept.items.map((x: Json) => x.id)).toEqual([id]);
    // A requirement is as secret as its archive (R-P9): a 秘密 archive's 普通 requirement is 秘密.
    const secretArchive = await app.co.as.salesmgr.post('/api/customers', {
      name: `秘密特殊要求客户${++n}有限公司`,
      category: 'general',
      kind: 'business',
      secrecy: 'secret',
    });
    expect(secretArchive.statusCode, secretArchive.body).toBe(201);
    const inSecret = await register(as.salesmgr, { customerId: secretArchive.json().id });
    expect(inSecret.secrecy).toBe('secret');
    hidden(await as.sales2.get(`/api/special-requirements/${inSecret.id}`));
    expect((await as.salesmgr.get(`/api/special-requirements/${inSecret.id}`)).statusCode).toBe(200);
    // A sales person cannot mark above their own clearance.
    const tooHigh = await as.sales1.post('/api/special-requirements', {
      customerId: a.id,
      category: 'ppap',
      title: '过高',
      text: '内容',
      receivedOn: '2026-09-28',
      secrecy: 'secret',
    });
    expect(tooHigh.statusCode).toBe(422);
  });

  it('closes a requirement as 不适用 or 已废止 with the reason in its history', async () => {
    const { as } = app.co;
    const a = await archive();
    const r = await register(as.sales1, { customerId: a.id });
    await as.sales1.post(`/api/special-requirements/${r.id}/reviews`, { departmentIds: [app.co.quality] });
    expect(
      (await as.sales1.post(`/api/special-requirements/${r.id}/not-applicable`, { reason: '不涉及' }))
        .statusCode,
    ).toBe(403);
    const na = await as.qa1.post(`/api/special-requirements/${r.id}/not-applicable`, {
      reason: '本公司不生产该类产品',
    });
    expect(na.statusCode, na.body).toBe(200);
    expect(na.json().status).toBe('not_applicable');
    const ob = await as.sales1.post(`/api/special-requirements/${r.id}/obsolete`, { reason: '客户已撤回' });
    expect(ob.statusCode, ob.body).toBe(200);
    expect(ob.json().history.at(-1)).toMatchObject({
      oldValue: '不适用',
      newValue: '已废止',
      note: '客户已撤回',
    });
    const again = await as.sales1.post(`/api/special-requirements/${r.id}/obsolete`, { reason: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().title).toBe('该顾客特殊要求当前为“已废止”，不能进行此操作');
    expect((await as.sales1.patch(`/api/special-requirements/${r.id}`, { title: '改' })).statusCode).toBe(
      409,
    );
  });
});
