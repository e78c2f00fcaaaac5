import { describe, expect, it } from 'vitest';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';

// Satisfaction surveys through HTTP (R-V3): versioned forms, campaigns chosen by customer
// filters, their send / remind / close steps, answers typed in by staff (scored, validated,
// answered once even when sent twice at once), a corrective action for an unhappy customer, and
// who sees which invitations and answers (R-P1).

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();

describe('surveys: forms, campaigns and answers (R-V3)', () => {
  const app = companyApp();
  let n = 0;

  /** A filed archive (unless the body says otherwise), owned by its creator. */
  const archive = async (as: Client, body: Json = {}) => {
    const res = await as.post('/api/customers', {
      name: `满意度测试客户${++n}号有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '机械制造',
      region: '苏州',
      contacts: [{ name: '王工', mobile: '13800000000', isPrimary: true }],
      file: true,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string };
  };
  const ok = async (p: Promise<{ statusCode: number; body: string; json: () => unknown }>, status = 200) => {
    const res = await p;
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as Json & { items: Json[] };
  };
  const fields = (res: { json: () => unknown }) =>
    ((res.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field).sort();

  const fx = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'Q', { id: string; archiveCode: string }>;
  let satisfactionV1 = '';
  let campaign: Json = {};
  const invitationOf = new Map<string, Json>();
  let opinion: Json = {};

  const answers = (levels: [string, string, string, string], overall = 'satisfied', text?: string) => [
    { key: 'attitude', level: levels[0] },
    { key: 'skill', level: levels[1] },
    { key: 'timeliness', level: levels[2] },
    { key: 'promises', level: levels[3] },
    { key: 'overall', level: overall },
    ...(text ? [{ key: 'suggestions', text }] : []),
  ];

  it('creates the default forms once on first use, and keeps versions', async () => {
    const { as } = app.co;
    await travel(app.t, app.co, shanghai('2026-10-12'));
    // Two first uses at once: the forms exist once.
    const [one, two] = await Promise.all([
      as.qa1.get('/api/surveys/templates'),
      as.gm.get('/api/surveys/templates'),
    ]);
    expect(one.statusCode, one.body).toBe(200);
    expect(two.statusCode, two.body).toBe(200);
    const rows = await app.t.database.db.selectFrom('survey_templates').select(['key', 'version']).execute();
    expect(rows.map((r) => `${r.key}:${r.version}`).sort()).toEqual(['opinion:1', 'satisfaction:1']);
    const list = one.json().items as Json[];
    expect(list.map((x) => [x.key, x.version, x.current])).toEqual([
      ['opinion', 1, true],
      ['satisfaction', 1, true],
    ]);
    satisfactionV1 = list.find((x) => x.key === 'satisfaction')?.id as string;
    // Department managers follow the forms; staff do not list them, nobody but managers changes them.
    expect((await as.salesmgr.get('/api/surveys/templates')).statusCode).toBe(200);
    expect((await as.sales1.get('/api/surveys/templates')).statusCode).toBe(403);
    const version = {
      name: '顾客满意度调查表',
      description: null,
      period: 'yearly',
      levelScores: { very_satisfied: 100, satisfied: 80, average: 60, poor: 0 },
      questions: [
        { key: 'attitude', label: '服务态度', type: 'rating', required: true },
        { key: 'overall', label: '总体评价', type: 'overall', required: true },
      ],
    };
    expect((await as.salesmgr.post('/api/surveys/templates/satisfaction/versions', version)).statusCode).toBe(
      403,
    );
    expect((await as.qa1.post('/api/surveys/templates/nonesuch/versions', version)).statusCode).toBe(404);
    const noRating = await as.qa1.post('/api/surveys/templates/satisfaction/versions', {
      ...version,
      questions: [{ key: 'overall', label: '总体评价', type: 'overall', required: true }],
    });
    expect(noRating.statusCode).toBe(400);
    expect(fields(noRating)).toEqual(['questions']);
    const twice = await as.qa1.post('/api/surveys/templates/satisfaction/versions', {
      ...version,
      questions: [
        ...version.questions,
        { key: 'attitude', label: '态度', type: 'rating', required: true },
        { key: 'overall2', label: '总体', type: 'overall', required: false },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(fields(twice)).toEqual(['questions.2.key', 'questions.3.type']);
    expect(twice.json().errors[0].message).toMatch(/重复/);
  });

  it('counts the customers the filters choose, within what the creator sees', async () => {
    const { as, sales } = app.co;
    const mail = (name: string, email: string | null, isPrimary = false) => ({
      name,
      mobile: '13900000000',
      ...(email ? { email } : {}),
      isPrimary,
    });
    fx.A = await archive(as.sales1, {
      category: 'key',
      grade: 'A',
      firstPurchaseDate: '2026-03-01',
      contacts: [mail('甲主', 'a@example.com', true), mail('甲二', 'a2@example.com')],
    });
    fx.B = await archive(as.sales1, {
      grade: 'B',
      contacts: [mail('乙主', null, true), mail('乙二', 'b2@example.com')],
    });
    fx.C = await archive(as.east1, {
      category: 'key',
      grade: 'A',
      email: 'c@example.com',
      contacts: [mail('丙主', null, true)],
    });
    fx.D = await archive(as.east1, { contacts: [mail('丁主', null, true)] });
    fx.E = await archive(as.salesmgr, { category: 'key', grade: 'A', secrecy: 'secret' });
    fx.F = await archive(as.sales1, { category: 'key', file: false });
    fx.G = await archive(as.sales1, { category: 'key', firstPurchaseDate: '2025-06-01' });
    fx.Q = await archive(as.qamgr, { category: 'key', contacts: [mail('品主', 'q@example.com', true)] });

    const preview = (as: Client, filters: Json) => ok(as.post('/api/surveys/campaigns/preview', filters));
    // Filed archives only (F is a draft): A B C D E G Q; of them A B C Q have an e-mail.
    expect(await preview(as.gm, {})).toEqual({ customers: 7, withEmail: 4 });
    // A general manager cleared for 普通 only does not count the 秘密 archive E.
    expect(await preview(as.lowgm, {})).toEqual({ customers: 6, withEmail: 4 });
    expect(await preview(as.gm, { categories: ['key'] })).toEqual({ customers: 5, withEmail: 3 });
    expect(await preview(as.gm, { categories: ['key'], grades: ['A'] })).toEqual({
      customers: 3,
      withEmail: 2,
    });
    // 销售部 takes its 华东销售组 with it.
    expect(await preview(as.gm, { departmentIds: [sales] })).toEqual({ customers: 6, withEmail: 3 });
    expect(await preview(as.gm, { departmentIds: [app.co.salesGroup] })).toEqual({
      customers: 2,
      withEmail: 1,
    });
    expect(await preview(as.gm, { boughtLast12Months: true })).toEqual({ customers: 1, withEmail: 1 });
    // Quality runs surveys over every filed archive within its clearance, not its own only.
    expect(await preview(as.qa1, {})).toEqual({ customers: 7, withEmail: 4 });
    expect(await preview(as.qa1, { departmentIds: [app.co.quality] })).toEqual({
      customers: 1,
      withEmail: 1,
    });
    expect((await as.sales1.post('/api/surveys/campaigns/preview', {})).statusCode).toBe(403);
    expect((await as.salesmgr.post('/api/surveys/campaigns/preview', {})).statusCode).toBe(403);
    const bad = await as.gm.post('/api/surveys/campaigns/preview', { grades: ['Z'] });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['grades.0']);
  });

  it('prepares a draft with one invitation per customer, to the right address', async () => {
    const { as, ids, sales, salesGroup } = app.co;
    const body = {
      name: '2026年度顾客满意度调查',
      templateId: satisfactionV1,
      periodLabel: '2026',
      closesOn: '2026-11-30',
      lowIndex: 60,
      intro: null,
      filters: { departmentIds: [sales] },
    };
    expect((await as.salesmgr.post('/api/surveys/campaigns', body)).statusCode).toBe(403);
    const none = await as.gm.post('/api/surveys/campaigns', { ...body, filters: { categories: ['target'] } });
    expect(none.statusCode).toBe(422);
    campaign = await ok(as.gm.post('/api/surveys/campaigns', body), 201);
    expect(campaign).toMatchObject({
      status: 'draft',
      template: { id: satisfactionV1, key: 'satisfaction', version: 1 },
      progress: { invited: 6, sent: 0, answered: 0 },
      index: null,
      can: { send: true, remind: false, close: false },
    });
    expect(campaign.number).toMatch(/^MY2026-\d{2}$/);
    const byDepartment = (campaign.byDepartment as Json[]).map((d) => [(d.department as Json).id, d.invited]);
    expect(byDepartment.sort()).toEqual(
      [
        [sales, 4],
        [salesGroup, 2],
      ].sort(),
    );
    const list = await ok(as.gm.get(`/api/surveys/campaigns/${campaign.id}/invitations?limit=4`));
    const next = await ok(
      as.gm.get(`/api/surveys/campaigns/${campaign.id}/invitations?limit=4&cursor=${list.nextCursor}`),
    );
    const all = [...list.items, ...next.items];
    expect(all).toHaveLength(6);
    for (const inv of all) invitationOf.set((inv.customer as Json).id as string, inv);
    const inv = (k: keyof typeof fx) => invitationOf.get(fx[k].id) as Json;
    expect([inv('A').contactName, inv('A').email]).toEqual(['甲主', 'a@example.com']);
    expect([inv('B').contactName, inv('B').email]).toEqual(['乙二', 'b2@example.com']);
    expect([inv('C').contactName, inv('C').email]).toEqual(['丙主', 'c@example.com']);
    expect([inv('D').contactName, inv('D').email]).toEqual(['丁主', null]);
    expect(inv('A')).toMatchObject({ owner: { id: ids.sales1 }, department: { id: sales }, sentAt: null });
    expect(inv('C')).toMatchObject({ owner: { id: ids.east1 }, department: { id: salesGroup } });
    // Not yet running: nobody may type in an answer.
    expect(inv('A').can).toEqual({ respond: false });
  });

  it('keeps the version a campaign was made with when the form changes', async () => {
    const { as } = app.co;
    const v2 = await ok(
      as.qa1.post('/api/surveys/templates/satisfaction/versions', {
        name: '顾客满意度调查表',
        description: '第二版',
        period: 'yearly',
        levelScores: { very_satisfied: 100, satisfied: 75, average: 50, poor: 0 },
        questions: [
          { key: 'attitude', label: '服务态度', type: 'rating', required: true },
          { key: 'quality', label: '产品质量', type: 'rating', required: true },
          { key: 'overall', label: '总体评价', type: 'overall', required: true },
        ],
      }),
      201,
    );
    expect(v2).toMatchObject({ key: 'satisfaction', version: 2, current: true, campaigns: 0 });
    const current = await ok(as.qa1.get('/api/surveys/templates'));
    expect(current.items.find((x) => x.key === 'satisfaction')).toMatchObject({ id: v2.id, version: 2 });
    expect(await ok(as.qa1.get(`/api/surveys/templates/${satisfactionV1}`))).toMatchObject({
      version: 1,
      current: false,
      campaigns: 1,
    });
    expect(await ok(as.gm.get(`/api/surveys/campaigns/${campaign.id}`))).toMatchObject({
      template: { id: satisfactionV1, version: 1 },
    });
    // New campaigns take the current version only.
    const old = await as.gm.post('/api/surveys/campaigns', {
      name: '旧版',
      templateId: satisfactionV1,
      periodLabel: '2026',
      closesOn: '2026-11-30',
      intro: null,
      filters: {},
    });
    expect(old.statusCode).toBe(409);
    expect(old.json().code).toBe('survey_template_old');
  });

  it('sends, reminds and closes only in order, and only by survey managers', async () => {
    const { as } = app.co;
    const id = campaign.id as string;
    expect((await as.gm.post(`/api/surveys/campaigns/${id}/remind`)).json().code).toBe('survey_wrong_status');
    expect((await as.gm.post(`/api/surveys/campaigns/${id}/close`)).statusCode).toBe(409);
    expect((await as.sales1.post(`/api/surveys/campaigns/${id}/send`)).statusCode).toBe(403);
    const sent = await ok(as.gm.post(`/api/surveys/campaigns/${id}/send`));
    expect(sent).toMatchObject({ status: 'running', can: { send: false, remind: true, close: true } });
    const rows = await app.t.database.db
      .selectFrom('survey_invitations')
      .select(['email', 'token_key', 'mail_due_at'])
      .where('campaign_id', '=', id)
      .execute();
    // A link and a due mail for each of the 3 with an address (A B C; E has none), none for the others.
    const withMail = rows.filter((r) => r.email);
    expect(withMail).toHaveLength(3);
    expect(withMail.every((r) => r.token_key && r.mail_due_at === app.t.clock.now().toISOString())).toBe(
      true,
    );
    expect(new Set(withMail.map((r) => r.token_key)).size).toBe(3);
    expect(rows.filter((r) => !r.email).every((r) => r.token_key === null && r.mail_due_at === null)).toBe(
      true,
    );
    expect((await as.gm.post(`/api/surveys/campaigns/${id}/send`)).statusCode).toBe(409);
    // As if the mailer had sent them, then a reminder is due again for those who have not answered.
    await app.t.database.db
      .updateTable('survey_invitations')
      .set({ mailed_at: app.t.clock.now().toISOString(), sent_at: app.t.clock.now().toISOString() })
      .where('campaign_id', '=', id)
      .where('email', 'is not', null)
      .execute();
    await travel(app.t, app.co, shanghai('2026-10-20'));
    const reminded = await ok(app.co.as.gm.post(`/api/surveys/campaigns/${id}/remind`));
    expect(reminded).toMatchObject({ progress: { invited: 6, sent: 3, answered: 0 } });
    const due = await app.t.database.db
      .selectFrom('survey_invitations')
      .select(['mail_due_at', 'mailed_at'])
      .where('campaign_id', '=', id)
      .where('email', 'is not', null)
      .execute();
    expect(due.every((r) => r.mail_due_at === app.t.clock.now().toISOString() && r.mailed_at === null)).toBe(
      true,
    );
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'survey.campaign_create',
        'survey.send',
        'survey.remind',
        'survey.campaign_read',
      ]),
    );
  });

  it('validates a typed-in answer and scores it as the hand computation says', async () => {
    const { as } = app.co;
    const a = invitationOf.get(fx.A.id) as Json;
    const url = `/api/surveys/invitations/${a.id}/response`;
    const form = (over: Json) => ({
      channel: 'phone',
      contactName: '甲主',
      answeredOn: '2026-10-20',
      ...over,
    });
    const missing = await as.sales1.post(url, form({ answers: [{ key: 'attitude', level: 'satisfied' }] }));
    expect(missing.statusCode).toBe(400);
    expect(fields(missing)).toEqual([
      'answers.overall',
      'answers.promises',
      'answers.skill',
      'answers.timeliness',
    ]);
    expect(missing.json().errors[0].message).toBe('请选择满意程度');
    const unknown = await as.sales1.post(
      url,
      form({
        answers: [
          ...answers(['satisfied', 'satisfied', 'satisfied', 'satisfied']),
          { key: 'colour', level: 'poor' },
        ],
      }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(fields(unknown)).toEqual(['answers.colour']);
    const textOnRating = await as.sales1.post(
      url,
      form({
        answers: [
          ...answers(['satisfied', 'satisfied', 'satisfied', 'satisfied']).slice(1),
          { key: 'attitude', text: '很好' },
        ],
      }),
    );
    expect(fields(textOnRating)).toEqual(['answers.attitude', 'answers.attitude']);
    const badLevel = await as.sales1.post(url, form({ answers: [{ key: 'attitude', level: '很好' }] }));
    expect(badLevel.statusCode).toBe(400);
    const future = await as.sales1.post(
      url,
      form({
        answeredOn: '2026-10-21',
        answers: answers(['satisfied', 'satisfied', 'satisfied', 'satisfied']),
      }),
    );
    expect(future.statusCode).toBe(400);
    expect(fields(future)).toEqual(['answeredOn']);
    // Staff of another department (华东销售组 does not see 销售部's archives): as if the invitation
    // did not exist. Quality runs the survey and sees every invitation within its clearance: it
    // may type in the answer (here refused for the missing answers only).
    expect((await as.east1.post(url, form({ answers: [] }))).statusCode).toBe(404);
    expect((await as.qa1.post(url, form({ answers: [] }))).statusCode).toBe(400);
    // 非常满意, 满意, 一般, 满意 → (100 + 80 + 60 + 80) / 4 = 80; the overall rating (一般, 60) is
    // scored but not counted.
    const response = await ok(
      as.sales1.post(
        url,
        form({
          answers: answers(['very_satisfied', 'satisfied', 'average', 'satisfied'], 'average', '交货再快些'),
        }),
      ),
      201,
    );
    expect(response).toMatchObject({
      channel: 'phone',
      enteredBy: { id: app.co.ids.sales1 },
      contactName: '甲主',
      index: 80,
      overall: 'average',
      anyPoor: false,
      action: null,
      customer: { id: fx.A.id },
      campaign: { id: campaign.id },
      template: { id: satisfactionV1, version: 1 },
    });
    expect((response.answers as Json[]).map((x) => [x.key, x.score])).toEqual([
      ['attitude', 100],
      ['skill', 80],
      ['timeliness', 60],
      ['promises', 80],
      ['overall', 60],
      ['suggestions', null],
    ]);
    expect((response.answers as Json[]).at(-1)?.text).toBe('交货再快些');
    // Answered once: a second entry is refused.
    const again = await as.sales1.post(url, form({ answers: answers(['poor', 'poor', 'poor', 'poor']) }));
    expect(again.statusCode).toBe(409);
    expect(again.json().title).toMatch(/已答复/);
    // Read back and in the archive's tab, audited; in the timeline as a call.
    expect(await ok(as.salesmgr.get(`/api/surveys/responses/${response.id}`))).toMatchObject({ index: 80 });
    const tab = await ok(as.sales1.get(`/api/customers/${fx.A.id}/surveys`));
    expect(tab.items.map((x) => x.id)).toEqual([response.id]);
    const reads = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', response.id as string)
      .execute();
    expect(reads.map((x) => x.action).sort()).toEqual(['survey.respond', 'survey.response_read']);
    const timeline = await app.t.database.db
      .selectFrom('interactions')
      .select(['kind', 'summary'])
      .where('customer_id', '=', fx.A.id)
      .execute();
    expect(timeline.some((i) => i.kind === 'call' && i.summary.includes('满意度指数 80'))).toBe(true);
    expect((await ok(as.gm.get(`/api/surveys/campaigns/${campaign.id}`))).progress).toMatchObject({
      answered: 1,
    });
    expect((await ok(as.gm.get(`/api/surveys/campaigns/${campaign.id}`))).index).toBe(80);
  });

  it('opens a corrective action for a 较差 answer, for the owner’s manager, visible on the archive', async () => {
    const { as, ids } = app.co;
    const c = invitationOf.get(fx.C.id) as Json;
    // The manager of 销售部 types in the answer for 华东销售组's archive.
    const response = await ok(
      as.salesmgr.post(`/api/surveys/invitations/${c.id}/response`, {
        channel: 'paper',
        contactName: null,
        answeredOn: '2026-10-19',
        answers: answers(['very_satisfied', 'very_satisfied', 'poor', 'very_satisfied'], 'satisfied'),
      }),
      201,
    );
    // (100 + 100 + 0 + 100) / 4 = 75: above the threshold, but a 较差 opens an action all the same.
    expect(response).toMatchObject({ index: 75, anyPoor: true, contactName: '丙主' });
    const actionId = (response.action as Json).id as string;
    // 华东销售组 has no manager: the manager over it, of 销售部, follows it up.
    const action = await ok(as.salesmgr.get(`/api/actions/${actionId}`));
    expect(action).toMatchObject({
      source: { type: 'survey_response', id: response.id },
      customer: { id: fx.C.id },
      owner: { id: ids.salesmgr },
      status: 'open',
      kind: 'corrective',
    });
    expect((action.description as string).includes('到达及时性')).toBe(true);
    expect((await ok(as.salesmgr.get('/api/actions/todo'))).open).toBe(1);
    // On the archive's survey tab, with the action, for its owner too.
    const tab = await ok(as.east1.get(`/api/customers/${fx.C.id}/surveys`));
    expect(tab.items[0]).toMatchObject({ id: response.id, action: { id: actionId, status: 'open' } });
    expect((await as.east1.get(`/api/actions/${actionId}`)).statusCode).toBe(200);
    // Not for those who do not see the archive.
    expect((await as.qamgr.get(`/api/actions/${actionId}`)).statusCode).toBe(404);
  });

  it('stores one answer when the same invitation is answered twice at once', async () => {
    const { as } = app.co;
    const b = invitationOf.get(fx.B.id) as Json;
    const post = () =>
      as.sales1.post(`/api/surveys/invitations/${b.id}/response`, {
        channel: 'phone',
        contactName: '乙二',
        answeredOn: '2026-10-20',
        answers: answers(['satisfied', 'satisfied', 'satisfied', 'satisfied']),
      });
    const results = await Promise.all([post(), post()]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const stored = await app.t.database.db
      .selectFrom('survey_responses')
      .select('id')
      .where('invitation_id', '=', b.id as string)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('shows a staff user of another department nothing of archives they do not see', async () => {
    const { as } = app.co;
    const a = invitationOf.get(fx.A.id) as Json;
    const responseA = (
      await app.t.database.db
        .selectFrom('survey_responses')
        .select('id')
        .where('customer_id', '=', fx.A.id)
        .executeTakeFirstOrThrow()
    ).id;
    // east1 (华东销售组) sees C and D of this campaign only.
    expect((await as.east1.get(`/api/surveys/responses/${responseA}`)).statusCode).toBe(404);
    expect((await as.east1.get(`/api/customers/${fx.A.id}/surveys`)).statusCode).toBe(404);
    const mine = await ok(as.east1.get(`/api/surveys/campaigns/${campaign.id}/invitations`));
    expect(mine.items.map((x) => (x.customer as Json).id).sort()).toEqual([fx.C.id, fx.D.id].sort());
    expect(mine.items.find((x) => x.id === a.id)).toBeUndefined();
    const waiting = await ok(as.east1.get(`/api/surveys/campaigns/${campaign.id}/invitations?state=waiting`));
    expect(waiting.items.map((x) => (x.customer as Json).id)).toEqual([fx.D.id]);
    const detail = await ok(as.east1.get(`/api/surveys/campaigns/${campaign.id}`));
    expect(detail).toMatchObject({
      progress: { invited: 2, answered: 1 },
      index: 75,
      can: { send: false, close: false },
    });
    expect((await ok(as.east1.get('/api/surveys/campaigns'))).items.map((x) => x.id)).toEqual([campaign.id]);
    // The quality department's manager follows campaigns but sees none of these archives.
    const qm = await ok(as.qamgr.get(`/api/surveys/campaigns/${campaign.id}`));
    expect(qm).toMatchObject({
      progress: { invited: 0, sent: 0, answered: 0 },
      index: null,
      byDepartment: [],
    });
    expect((await ok(as.qamgr.get(`/api/surveys/campaigns/${campaign.id}/invitations`))).items).toEqual([]);
    expect((await as.qamgr.get(`/api/surveys/responses/${responseA}`)).statusCode).toBe(404);
    // Quality runs the survey: it reads every answered form within its clearance, as it reads
    // every complaint, and counts them in the campaign's progress.
    expect((await as.qa1.get(`/api/surveys/responses/${responseA}`)).statusCode).toBe(200);
    expect((await ok(as.qa1.get(`/api/surveys/campaigns/${campaign.id}`))).progress).toEqual({
      invited: 6,
      sent: 3,
      answered: 3,
    });
    // A staff user reached by no invitation does not see the campaign at all.
    const qaOnly = await ok(
      as.qa1.post('/api/surveys/campaigns', {
        name: '品质部意见征询',
        templateId: (
          (await ok(as.qa1.get('/api/surveys/templates'))).items.find((x) => x.key === 'opinion') as Json
        ).id,
        periodLabel: '2026-Q4',
        closesOn: '2026-11-30',
        lowIndex: 85,
        intro: null,
        filters: { departmentIds: [app.co.quality] },
      }),
      201,
    );
    expect(qaOnly.progress).toMatchObject({ invited: 1 });
    opinion = qaOnly;
    expect((await as.east1.get(`/api/surveys/campaigns/${qaOnly.id}`)).statusCode).toBe(404);
    expect((await as.east1.get(`/api/surveys/campaigns/${qaOnly.id}/invitations`)).statusCode).toBe(404);
    expect((await ok(as.east1.get('/api/surveys/campaigns'))).items.map((x) => x.id)).toEqual([campaign.id]);
    // The 秘密 archive E is absent for the general manager cleared for 普通 only.
    const low = await ok(as.lowgm.get(`/api/surveys/campaigns/${campaign.id}`));
    expect(low.progress).toMatchObject({ invited: 5 });
  });

  it('opens an action for an index below the campaign’s threshold, without any 较差', async () => {
    const { as, ids } = app.co;
    await ok(as.qa1.post(`/api/surveys/campaigns/${opinion.id}/send`));
    const [q] = (await ok(as.qamgr.get(`/api/surveys/campaigns/${opinion.id}/invitations`))).items as Json[];
    expect(q).toMatchObject({ customer: { id: fx.Q.id }, email: 'q@example.com', can: { respond: true } });
    // 满意, 满意, 非常满意 → (80 + 80 + 100) / 3 = 86.7: not below 85, no action.
    const fine = await ok(
      as.qamgr.post(`/api/surveys/invitations/${(q as Json).id}/response`, {
        channel: 'paper',
        contactName: '品主',
        answeredOn: '2026-10-20',
        answers: [
          { key: 'quality', level: 'satisfied' },
          { key: 'delivery', level: 'satisfied' },
          { key: 'service', level: 'very_satisfied' },
          { key: 'overall', level: 'satisfied' },
        ],
      }),
      201,
    );
    expect(fine).toMatchObject({ index: 86.7, anyPoor: false, action: null });
    // Another of 品质部's customers, surveyed by a new campaign: 满意 ×3 = 80 < 85.
    const q2 = await archive(as.qamgr, {
      contacts: [{ name: '品二', mobile: '13700000000', isPrimary: true }],
    });
    const second = await ok(
      as.qa1.post('/api/surveys/campaigns', {
        name: '品质部意见征询（补充）',
        templateId: opinion.template && (opinion.template as Json).id,
        periodLabel: '2026-Q4',
        closesOn: '2026-11-30',
        lowIndex: 85,
        intro: null,
        filters: { departmentIds: [app.co.quality] },
      }),
      201,
    );
    expect(second.progress).toMatchObject({ invited: 2 });
    await ok(as.qa1.post(`/api/surveys/campaigns/${second.id}/send`));
    const waiting = await ok(as.qa1.get(`/api/surveys/campaigns/${second.id}/invitations?state=waiting`));
    const inv = waiting.items.find((x) => (x.customer as Json).id === q2.id) as Json;
    const low = await ok(
      as.qa1.post(`/api/surveys/invitations/${inv.id}/response`, {
        channel: 'phone',
        contactName: null,
        answeredOn: '2026-10-20',
        answers: [
          { key: 'quality', level: 'satisfied' },
          { key: 'delivery', level: 'satisfied' },
          { key: 'service', level: 'satisfied' },
          { key: 'overall', level: 'very_satisfied' },
        ],
      }),
      201,
    );
    expect(low).toMatchObject({ index: 80, anyPoor: false, enteredBy: { id: ids.qa1 } });
    // The owner manages 品质部 themself: the action is theirs.
    const action = await ok(as.qamgr.get(`/api/actions/${(low.action as Json).id}`));
    expect(action).toMatchObject({
      owner: { id: ids.qamgr },
      source: { type: 'survey_response', id: low.id },
    });
  });

  it('takes no answer after the closing day or once closed', async () => {
    const d = invitationOf.get(fx.D.id) as Json;
    const body = {
      channel: 'phone',
      contactName: '丁主',
      answeredOn: '2026-12-01',
      answers: answers(['satisfied', 'satisfied', 'satisfied', 'satisfied']),
    };
    await travel(app.t, app.co, shanghai('2026-12-01'));
    const late = await app.co.as.east1.post(`/api/surveys/invitations/${d.id}/response`, body);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('survey_expired');
    await travel(app.t, app.co, shanghai('2026-11-30'));
    const closed = await ok(app.co.as.gm.post(`/api/surveys/campaigns/${campaign.id}/close`));
    expect(closed).toMatchObject({ status: 'closed', can: { send: false, remind: false, close: false } });
    expect((await app.co.as.gm.post(`/api/surveys/campaigns/${campaign.id}/remind`)).statusCode).toBe(409);
    const refused = await app.co.as.east1.post(`/api/surveys/invitations/${d.id}/response`, {
      ...body,
      answeredOn: '2026-11-30',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('survey_not_running');
  });
});
