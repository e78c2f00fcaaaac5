import { describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp, travel as travelTo } from '../../test-support/customers.js';
import { appraisedToDestroy } from '../../test-support/retention.js';

// Separation of duties in destruction (R-X3): whoever draws up a destruction register, signs
// it and witnesses it are different people; the business department's signature comes from
// the head of a department whose records are on the register (or of a department above it);
// and what the system does after the last witness signs is credited to the system, with the
// witness who set it off.

type Json = Record<string, unknown>;
const shanghai = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
type App = ReturnType<typeof companyApp>;
interface Paper {
  as: Client;
  title: string;
  carrier?: string;
  secrecy?: string;
}

/** Records of 2015 registered and appraised for destruction by the archivist and the quality
 * manager, on 2027-01-05: the appraisal items, ready for a register. */
async function appraised(app: App, docs: Paper[]): Promise<string[]> {
  const made: string[] = [];
  for (const d of docs) {
    const res = await d.as.post('/api/documents', {
      category: 'records',
      source: 'internal',
      title: d.title,
      issueDate: '2015-03-01',
      retention: 'D10',
      carrier: d.carrier ?? 'paper',
      ...(d.secrecy ? { secrecy: d.secrecy } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    made.push(res.json().id as string);
  }
  await travelTo(app.t, app.co, shanghai('2027-01-05'));
  return appraisedToDestroy(app.co, made, '2015年记录鉴定');
}

describe('destruction registers: drafter, signers and witnesses are different people', () => {
  const app = companyApp();
  let archivist2: Client;
  let eastmgr: Client;
  const extra: Record<string, string> = {};

  /** Records of 2015 appraised for destruction by the archivist and the quality manager. */
  async function destroyable(docs: Paper[]): Promise<string[]> {
    const items = await appraised(app, docs);
    archivist2 = await signIn(app.t.app, 'archivist2');
    eastmgr = await signIn(app.t.app, 'eastmgr');
    return items;
  }

  it('refuses the drafter as signer and a manager of another department, saying why', async () => {
    const { as, ids, salesGroup } = app.co;
    extra.archivist2 = (
      await seedUser(app.t, 'archivist2', ['archivist'], {
        departmentId: app.co.quality,
        clearance: 'secret',
      })
    ).id;
    extra.eastmgr = (
      await seedUser(app.t, 'eastmgr', ['department_manager'], { departmentId: salesGroup })
    ).id;
    const items = await destroyable([
      { as: as.qa1, title: '2015年品质纸质记录' },
      { as: as.qa1, title: '2015年品质电子记录', carrier: 'electronic' },
    ]);
    const disposal = (
      await as.archivist.post('/api/disposals', { title: '2015年品质记录销毁', itemIds: items })
    ).json();
    expect((await as.archivist.post(`/api/disposals/${disposal.id}/submit`)).statusCode).toBe(200);
    const sign = (who: Client) =>
      who.post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve', opinion: '同意' });

    // The archivist who drew it up may not sign it as 档案部门负责人.
    const own = await sign(as.archivist);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({
      code: 'disposal_signer_drafter',
      title: '您编制了这份销毁清册，不能再作为签批人签字',
    });
    const seenByDrafter = (await as.archivist.get(`/api/disposals/${disposal.id}`)).json();
    expect(seenByDrafter.can.sign).toBe(false);
    expect(seenByDrafter.signBlocked).toMatchObject({ code: 'disposal_signer_drafter' });
    // The department manager's step is not open yet.
    expect((await as.qamgr.get(`/api/disposals/${disposal.id}`)).json().signBlocked).toMatchObject({
      code: 'disposal_signer_role',
    });
    expect((await archivist2.get(`/api/disposals/${disposal.id}`)).json()).toMatchObject({
      can: { sign: true },
      signBlocked: null,
    });
    expect((await sign(archivist2)).statusCode).toBe(200);

    // 业务部门负责人: the quality manager for quality records; not sales, nor a sub-group of sales.
    const told = await app.t.database.db
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'retention.signature')
      .where('link', '=', `/retention/disposals/${disposal.id}`)
      .where('body', '=', '业务部门负责人')
      .execute();
    expect(told.map((n) => n.user_id)).toEqual([ids.qamgr]);
    const tasks = async (who: Client) =>
      ((await who.get('/api/retention/my-tasks')).json().signatures as Json[]).map((s) => s.id);
    expect(await tasks(as.salesmgr)).not.toContain(disposal.id);
    expect(await tasks(as.qamgr)).toContain(disposal.id);
    const sales = await sign(as.salesmgr);
    expect(sales.statusCode).toBe(403);
    expect(sales.json().code).toBe('disposal_signer_department');
    expect(sales.json().title).toContain('清册所列档案所属部门');
    expect((await as.salesmgr.get(`/api/disposals/${disposal.id}`)).json()).toMatchObject({
      can: { sign: false },
      signBlocked: { code: 'disposal_signer_department' },
    });
    expect((await sign(eastmgr)).json().code).toBe('disposal_signer_department');
    expect((await sign(as.qamgr)).statusCode).toBe(200);
    // Nobody signs two steps (the general manager's step, here by the archivist: wrong role anyway).
    expect((await sign(archivist2)).json().code).toBe('disposal_already_signed');
    expect((await sign(as.gm)).json().status).toBe('approved');

    // Witnesses: neither the drafter nor a signer nor the one who destroys.
    const destroy = (who: Client, witnessIds: string[]) =>
      who.post(`/api/disposals/${disposal.id}/destroy`, { witnessIds });
    const signer = await destroy(as.archivist, [extra.archivist2 as string, ids.qa1]);
    expect(signer.statusCode).toBe(422);
    expect(signer.json()).toMatchObject({
      code: 'witness_conflict',
      title: expect.stringContaining('archivist2'),
    });
    expect((await destroy(as.archivist, [ids.qamgr, ids.qa1])).json().code).toBe('witness_conflict');
    expect((await destroy(as.archivist, [ids.gm, ids.qa1])).json().code).toBe('witness_conflict');
    // Another archivist carrying it out may not name the drafter either.
    expect((await destroy(archivist2, [ids.archivist, ids.qa1])).json().code).toBe('witness_conflict');
    const done = await destroy(as.archivist, [ids.qa1, ids.sales2]);
    expect(done.statusCode, done.body).toBe(200);

    // The last witness signs; the system then destroys the paper item and files the register.
    const toCheck = (done.json().items as Json[]).map((i) => i.id as string);
    expect(
      (await as.qa1.post(`/api/disposals/${disposal.id}/witness`, { checkedItemIds: toCheck })).statusCode,
    ).toBe(200);
    const last = await as.sales2.post(`/api/disposals/${disposal.id}/witness`, { checkedItemIds: toCheck });
    expect(last.json().status).toBe('completed');
    const registerId = last.json().registerDocumentId as string;
    const paper = (done.json().items as Json[]).find((i) => i.title === '2015年品质纸质记录')?.documentId;
    const entries = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'actor_login', 'target_id', 'details'])
      .where('target_id', 'in', [disposal.id, registerId, paper as string])
      .orderBy('seq')
      .execute();
    const by = (action: string, target: string) =>
      entries.findLast((e) => e.action === action && e.target_id === target);
    const sales2 = { id: ids.sales2, login: 'sales2' };
    expect(by('disposal.witness', disposal.id)).toMatchObject({
      actor_id: ids.sales2,
      actor_login: 'sales2',
    });
    for (const [action, target] of [
      ['document.destroyed', paper],
      ['disposal.complete', disposal.id],
      ['document.create', registerId],
      ['document.upload', registerId],
    ] as const) {
      const e = by(action, target as string);
      expect(e, action).toMatchObject({ actor_id: 'system', actor_login: 'system' });
      expect(JSON.parse(e?.details ?? '{}').triggeredBy, action).toEqual(sales2);
    }
    // The register's page names the system as who registered it.
    const registered = (await as.gm.get(`/api/documents/${registerId}`)).json();
    expect(registered.createdBy).toEqual({ id: 'system', name: '系统' });
    expect((await as.admin.post('/api/audit/verify')).json().ok).toBe(true);
  });

  it('lets the head of a department above the records’ department sign, not the head of one below', async () => {
    const { as } = app.co;
    await travelTo(app.t, app.co, '2026-03-02T01:00:00.000Z');
    const items = await destroyable([{ as: as.east1, title: '2015年华东销售组发货单' }]);
    const disposal = (
      await as.archivist.post('/api/disposals', { title: '2015年华东销毁', itemIds: items })
    ).json();
    await as.archivist.post(`/api/disposals/${disposal.id}/submit`);
    const sign = (who: Client) =>
      who.post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve', opinion: '同意' });
    expect((await sign(archivist2)).statusCode).toBe(200);
    expect((await sign(as.qamgr)).json().code).toBe('disposal_signer_department');
    // 销售部 is above 华东销售组.
    expect((await sign(as.salesmgr)).statusCode).toBe(200);

    // And the other way round: the sub-group's head may not sign for 销售部's own records.
    await travelTo(app.t, app.co, '2026-03-02T01:00:00.000Z');
    const parent = await destroyable([{ as: as.sales1, title: '2015年销售部合同台账' }]);
    const second = (
      await as.archivist.post('/api/disposals', { title: '2015年销售销毁', itemIds: parent })
    ).json();
    await as.archivist.post(`/api/disposals/${second.id}/submit`);
    await archivist2.post(`/api/disposals/${second.id}/signatures`, { decision: 'approve' });
    expect(
      (await eastmgr.post(`/api/disposals/${second.id}/signatures`, { decision: 'approve' })).json().code,
    ).toBe('disposal_signer_department');
  });
});

describe('who may sign or witness a register that holds records above some readers (R-P1, R-X3)', () => {
  const app = companyApp();

  it('gives the to-do list, the page and the signature one rule, and names who may sign', async () => {
    const { as, ids, quality } = app.co;
    // 赵经理 manages 品质部 with 秘密 clearance; the register also holds a 机密 record of 品质部.
    await seedUser(app.t, 'zhao', ['department_manager'], { departmentId: quality, clearance: 'secret' });
    await seedUser(app.t, 'archivist3', ['archivist'], { departmentId: quality, clearance: 'confidential' });
    const items = await appraised(app, [
      { as: as.qa1, title: '2015年品质普通记录' },
      { as: as.qa1, title: '2015年品质机密记录', secrecy: 'confidential' },
    ]);
    const zhao = await signIn(app.t.app, 'zhao');
    const archivist3 = await signIn(app.t.app, 'archivist3');
    const disposal = (
      await as.archivist.post('/api/disposals', { title: '2015年品质销毁', itemIds: items })
    ).json();
    expect((await as.archivist.post(`/api/disposals/${disposal.id}/submit`)).statusCode).toBe(200);
    const sign = (who: Client) =>
      who.post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve', opinion: '同意' });
    const tasks = async (who: Client) =>
      ((await who.get('/api/retention/my-tasks')).json().signatures as Json[]).map((s) => s.id);
    // The archive head's step: only the other archivist cleared for 机密 may sign it, and is named.
    expect((await as.archivist.get(`/api/disposals/${disposal.id}`)).json().signers).toEqual([
      { id: expect.any(String), name: 'archivist3' },
    ]);
    expect((await sign(archivist3)).statusCode).toBe(200);

    // 业务部门负责人: 赵经理 heads the records' department but is not cleared for all of them.
    const seen = (await zhao.get(`/api/disposals/${disposal.id}`)).json();
    expect(seen.itemCount).toBe(1);
    expect(seen.can.sign).toBe(false);
    const refusal = '您不能签批此清册的「业务部门负责人」环节，请由具备相应涉密等级的负责人签批';
    expect(seen.signBlocked).toEqual({ code: 'signer_clearance', message: refusal });
    // Whom to ask instead: the quality manager, cleared for everything on it.
    expect(seen.signers).toEqual([{ id: ids.qamgr, name: 'qamgr' }]);
    expect(await tasks(zhao)).not.toContain(disposal.id);
    const refused = await sign(zhao);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'signer_clearance', title: refusal });
    // Nothing about the hidden record: neither that some are above him nor how many.
    expect(refused.body).not.toMatch(/部分文件|机密/);
    expect(JSON.stringify(seen)).not.toMatch(/部分文件|2015年品质机密记录/);
    expect(await tasks(as.qamgr)).toContain(disposal.id);
    expect((await sign(as.qamgr)).statusCode).toBe(200);
    // 总经理: the general manager below 机密 neither has it to do nor may sign it.
    expect(await tasks(as.lowgm)).not.toContain(disposal.id);
    expect((await as.lowgm.get(`/api/disposals/${disposal.id}`)).json()).toMatchObject({
      can: { sign: false },
      signBlocked: { code: 'signer_clearance' },
      signers: [{ id: ids.gm, name: 'gm' }],
    });
    expect(await tasks(as.gm)).toContain(disposal.id);
    expect((await sign(as.gm)).json().status).toBe('approved');
    expect((await as.gm.get(`/api/disposals/${disposal.id}`)).json().signers).toEqual([]);

    // An archivist below its most secret record does not carry it out: he would handle records
    // he may not see.
    await seedUser(app.t, 'archivist4', ['archivist'], { departmentId: quality, clearance: 'secret' });
    const archivist4 = await signIn(app.t.app, 'archivist4');
    const low = await archivist4.post(`/api/disposals/${disposal.id}/destroy`, {
      witnessIds: [ids.qa1, ids.sales1],
    });
    expect(low.json()).toMatchObject({ status: 403, code: 'disposal_executor_clearance' });
    expect(low.body).not.toMatch(/机密/);

    // Witnesses offered to the archivist carrying it out: by the rule destruction applies — not
    // the archivist, the drafter or a signer, and cleared for every record.
    const candidates = async (q = '') =>
      (
        (await as.archivist.get(`/api/disposals/${disposal.id}/witness-candidates?q=${q}`)).json()
          .items as Json[]
      ).map((u) => u.login);
    const offered = await candidates();
    expect(offered).toEqual(expect.arrayContaining(['qa1', 'admin']));
    for (const excluded of ['archivist', 'archivist3', 'qamgr', 'gm', 'zhao', 'sales1', 'lowgm'])
      expect(offered, excluded).not.toContain(excluded);
    expect(await candidates('qa')).toEqual(['qa1']);
    // Only for the archivist, and for a register nobody else may see it does not exist.
    expect((await as.qa1.get(`/api/disposals/${disposal.id}/witness-candidates`)).statusCode).toBe(403);
    expect(
      (await as.archivist.get('/api/disposals/01900000-0000-7000-8000-000000000000/witness-candidates'))
        .statusCode,
    ).toBe(404);
  });
});
