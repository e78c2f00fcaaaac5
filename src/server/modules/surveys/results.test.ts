import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SurveyLevel } from '../../../common/surveys.js';
import { xlsxRows } from '../../platform/xlsx-read.js';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { expectRead, ocrPdf } from '../../test-support/pdf-check.js';

// Survey results through HTTP (R-V3): answers typed in by the archives' owners, then the index
// by department, salesperson, category and period, each question's distribution, the trend over
// two campaigns, what a reader outside the archives' departments sees (nothing, and no count of
// it), the 顾客满意度调查汇总表 and 满意度考核表 as .xlsx and CSV, and the filled form as PDF.
//
// Scores are the defaults: 非常满意 100, 满意 80, 一般 60, 较差 0. A form's index is the mean of its
// four rating questions (服务态度, 技术水平, 到达及时性, 承诺事项办理); 总体评价 is not counted.
//
// Archives: S1 (销售部, sales1, 重点客户), S2 (销售部, sales2, 一般客户), E1 (华东销售组 under 销售部,
// east1, 一般客户), Q1 (品质部, qamgr, 目标客户).
//
//   campaign A (2026-Q2)         服务态度 技术水平 到达及时性 承诺事项 → index   总体评价
//     S1                          VS 100   S 80     S 80       VS 100  → 360/4 = 90.0  VS
//     S2                          S 80     S 80     A 60       S 80    → 300/4 = 75.0  S
//     E1                          A 60     P 0      A 60       S 80    → 200/4 = 50.0  A
//     Q1                          VS 100   VS 100   VS 100     S 80    → 380/4 = 95.0  VS
//   campaign B (2026-Q4)
//     S1                          S 80     S 80     S 80       S 80    → 320/4 = 80.0  S
//     E1                          VS 100   VS 100   S 80       A 60    → 340/4 = 85.0  S

type Json = Record<string, unknown>;
type Level = SurveyLevel;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();
const QUESTIONS = ['attitude', 'skill', 'timeliness', 'promises'] as const;
const VS: Level = 'very_satisfied';
const S: Level = 'satisfied';
const A: Level = 'average';
const P: Level = 'poor';

describe('survey results (R-V3)', () => {
  const app = companyApp();
  const at = (iso: string) => travel(app.t, app.co, iso);
  const archives: Record<'S1' | 'S2' | 'E1' | 'Q1', { id: string; archiveCode: string }> = {} as never;
  const campaigns: Record<'A' | 'B', { id: string; number: string }> = {} as never;
  const responses: Record<string, string> = {};
  let n = 0;

  const archive = async (as: Client, category: string, extra: Json = {}) => {
    const res = await as.post('/api/customers', {
      name: `满意度测试客户${++n}号有限公司`,
      category,
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '机械制造',
      region: '苏州',
      contacts: [{ name: '王工', mobile: '13800000000', isPrimary: true }],
      file: true,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string };
  };

  /** A campaign of the 顾客满意度调查表 over every archive, sent (answers accepted). */
  const campaign = async (name: string, periodLabel: string, closesOn: string) => {
    const { as } = app.co;
    const templates = await as.gm.get('/api/surveys/templates');
    expect(templates.statusCode, templates.body).toBe(200);
    const template = (templates.json().items as Json[]).find((t) => t.key === 'satisfaction') as Json;
    const created = await as.gm.post('/api/surveys/campaigns', {
      name,
      templateId: template.id,
      periodLabel,
      closesOn,
      filters: {},
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const sent = await as.gm.post(`/api/surveys/campaigns/${id}/send`);
    expect(sent.statusCode, sent.body).toBe(200);
    return { id, number: created.json().number as string };
  };

  /** The owner types in the answer taken by phone. */
  const answer = async (
    as: Client,
    campaignId: string,
    customerId: string,
    levels: [Level, Level, Level, Level],
    overall: Level,
    answeredOn: string,
  ) => {
    const list = await app.co.as.gm.get(`/api/surveys/campaigns/${campaignId}/invitations?limit=100`);
    expect(list.statusCode, list.body).toBe(200);
    const inv = (list.json().items as Json[]).find((i) => (i.customer as Json).id === customerId) as Json;
    expect(inv, 'the archive was invited').toBeDefined();
    // A minute apart, so that the register's order (when each answer was recorded) is known.
    app.t.clock.advance(60_000);
    const res = await as.post(`/api/surveys/invitations/${inv.id}/response`, {
      channel: 'phone',
      contactName: '王工',
      answeredOn,
      answers: [
        ...QUESTIONS.map((key, i) => ({ key, level: levels[i] })),
        { key: 'overall', level: overall },
        { key: 'suggestions', text: '希望售后响应再快一些。' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  const results = async (as: Client, query = '') => {
    const res = await as.get(`/api/surveys/results${query ? `?${query}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      responses: number;
      index: number | null;
      groups: { key: string | null; label: string; responses: number; index: number | null }[];
      distribution: { key: string; label: string; counts: Record<Level, number>; index: number | null }[];
      trend: { campaignId: string; periodLabel: string; responses: number; index: number | null }[];
    };
  };
  const customerName = async (id: string) =>
    (await app.t.database.db.selectFrom('customers').select('name').where('id', '=', id).executeTakeFirst())
      ?.name;
  const byLabel = (groups: { label: string; responses: number; index: number | null }[]) =>
    Object.fromEntries(groups.map((g) => [g.label, [g.responses, g.index]]));

  it('enters answers of two campaigns through the staff route', async () => {
    const { as } = app.co;
    await at(shanghai('2026-06-10'));
    archives.S1 = await archive(as.sales1, 'key');
    archives.S2 = await archive(as.sales2, 'general');
    archives.E1 = await archive(as.east1, 'general');
    archives.Q1 = await archive(as.qamgr, 'target');
    campaigns.A = await campaign('2026 年二季度满意度调查', '2026-Q2', '2026-06-30');
    responses.S1A = await answer(as.sales1, campaigns.A.id, archives.S1.id, [VS, S, S, VS], VS, '2026-06-10');
    responses.S2A = await answer(as.sales2, campaigns.A.id, archives.S2.id, [S, S, A, S], S, '2026-06-10');
    responses.E1A = await answer(as.east1, campaigns.A.id, archives.E1.id, [A, P, A, S], A, '2026-06-09');
    responses.Q1A = await answer(as.qamgr, campaigns.A.id, archives.Q1.id, [VS, VS, VS, S], VS, '2026-06-10');

    await at(shanghai('2026-11-10'));
    campaigns.B = await campaign('2026 年度满意度调查', '2026-Q4', '2026-11-30');
    responses.S1B = await answer(as.sales1, campaigns.B.id, archives.S1.id, [S, S, S, S], S, '2026-11-10');
    responses.E1B = await answer(as.east1, campaigns.B.id, archives.E1.id, [VS, VS, S, A], S, '2026-11-10');
    // Each answered form is filed in its archive.
    const filed = await app.t.database.db
      .selectFrom('survey_responses')
      .select(['id', 'document_id'])
      .execute();
    expect(filed).toHaveLength(6);
    for (const r of filed) expect(r.document_id).not.toBeNull();
  });

  it('files each answered form in its archive as a PDF record, seen where the archive is', async (ctx) => {
    const { as } = app.co;
    const row = await app.t.database.db
      .selectFrom('survey_responses')
      .select('document_id')
      .where('id', '=', responses.E1A as string)
      .executeTakeFirstOrThrow();
    const res = await as.east1.get(`/api/documents/${row.document_id}`);
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({
      title: `顾客满意度调查表 ${campaigns.A.number} ${(await customerName(archives.E1.id)) as string}`,
      docNumber: campaigns.A.number,
      category: 'records',
      carrier: 'electronic',
      customer: { id: archives.E1.id },
      departmentName: '华东销售组',
    });
    const file = doc.versions[0].files[0];
    expect(file.name).toBe(`${campaigns.A.number}-${archives.E1.archiveCode}.pdf`);
    const pdf = await as.east1.get(`/api/documents/${doc.id}/files/${file.id}/content`);
    expect(pdf.statusCode).toBe(200);
    const text = (await ocrPdf(ctx, pdf.rawPayload)).join('');
    expectRead(text, (await customerName(archives.E1.id)) as string, 2);
    expectRead(text, '技术水平√较差0', 2);
    // 销售部 sees it (华东销售组 is under it); 品质部's manager sees neither the record nor the answer.
    expect((await as.sales2.get(`/api/documents/${row.document_id}`)).statusCode).toBe(200);
    expect((await as.qamgr.get(`/api/documents/${row.document_id}`)).statusCode).toBe(404);
    expect((await as.qamgr.get(`/api/surveys/responses/${responses.E1A}`)).statusCode).toBe(404);
  });

  it('gives the index by department, salesperson, category and period, to a reader who sees every archive', async () => {
    const { as, ids } = app.co;
    // All six: (90 + 75 + 50 + 95 + 80 + 85) / 6 = 475 / 6 = 79.17 → 79.2.
    const all = await results(as.gm);
    expect(all.responses).toBe(6);
    expect(all.index).toBe(79.2);
    // 销售部: S1 90, 80 and S2 75 → 245 / 3 = 81.67 → 81.7; 华东销售组: E1 50, 85 → 67.5;
    // 品质部: Q1 95. The best first.
    expect(all.groups.map((g) => [g.label, g.responses, g.index])).toEqual([
      ['品质部', 1, 95],
      ['销售部', 3, 81.7],
      ['华东销售组', 2, 67.5],
    ]);
    // sales1: 90, 80 → 85.0; sales2: 75; east1: 50, 85 → 67.5; qamgr: 95.
    const owners = await results(as.gm, 'groupBy=owner');
    expect(owners.groups.map((g) => [g.key, g.responses, g.index])).toEqual([
      [ids.qamgr, 1, 95],
      [ids.sales1, 2, 85],
      [ids.sales2, 1, 75],
      [ids.east1, 2, 67.5],
    ]);
    // 重点客户: S1 90, 80 → 85.0; 一般客户: S2 75, E1 50, 85 → 210 / 3 = 70.0; 目标客户: 95.
    expect(byLabel((await results(as.gm, 'groupBy=category')).groups)).toEqual({
      目标客户: [1, 95],
      重点客户: [2, 85],
      一般客户: [3, 70],
    });
    // 2026-Q2: (90 + 75 + 50 + 95) / 4 = 77.5; 2026-Q4: (80 + 85) / 2 = 82.5; in time order.
    expect((await results(as.gm, 'groupBy=period')).groups).toEqual([
      { key: '2026-Q2', label: '2026-Q2', responses: 4, index: 77.5 },
      { key: '2026-Q4', label: '2026-Q4', responses: 2, index: 82.5 },
    ]);
    const customers = await results(as.gm, 'groupBy=customer');
    expect(customers.groups.find((g) => g.key === archives.E1.id)).toMatchObject({
      responses: 2,
      index: 67.5,
    });
  });

  it('counts each level of each question, with the question index', async () => {
    const all = await results(app.co.as.gm);
    const dist = Object.fromEntries(all.distribution.map((d) => [d.key, d]));
    expect(all.distribution.map((d) => d.key)).toEqual([
      'attitude',
      'skill',
      'timeliness',
      'promises',
      'overall',
    ]);
    // 服务态度: VS S A VS | S VS → VS 3, S 2, A 1; (100+80+60+100+80+100) / 6 = 520 / 6 = 86.67 → 86.7.
    expect(dist.attitude).toEqual({
      key: 'attitude',
      label: '服务态度',
      counts: { very_satisfied: 3, satisfied: 2, average: 1, poor: 0 },
      index: 86.7,
    });
    // 技术水平: S S P VS | S VS → VS 2, S 3, P 1; (80+80+0+100+80+100) / 6 = 440 / 6 = 73.3.
    expect(dist.skill).toMatchObject({
      counts: { very_satisfied: 2, satisfied: 3, average: 0, poor: 1 },
      index: 73.3,
    });
    // 到达及时性: S A A VS | S S → VS 1, S 3, A 2; (80+60+60+100+80+80) / 6 = 460 / 6 = 76.7.
    expect(dist.timeliness).toMatchObject({
      counts: { very_satisfied: 1, satisfied: 3, average: 2, poor: 0 },
      index: 76.7,
    });
    // 承诺事项办理: VS S S S | S A → VS 1, S 4, A 1; (100+80+80+80+80+60) / 6 = 480 / 6 = 80.0.
    expect(dist.promises).toMatchObject({
      counts: { very_satisfied: 1, satisfied: 4, average: 1, poor: 0 },
      index: 80,
    });
    // 总体评价: VS S A VS | S S → VS 2, S 3, A 1; (100+80+60+100+80+80) / 6 = 500 / 6 = 83.3.
    expect(dist.overall).toMatchObject({
      label: '总体评价',
      counts: { very_satisfied: 2, satisfied: 3, average: 1, poor: 0 },
      index: 83.3,
    });
  });

  it('shows the trend over the campaigns, oldest first, and filters by campaign, period and template', async () => {
    const { as } = app.co;
    const all = await results(as.gm);
    expect(all.trend.map((t) => [t.campaignId, t.periodLabel, t.responses, t.index])).toEqual([
      [campaigns.A.id, '2026-Q2', 4, 77.5],
      [campaigns.B.id, '2026-Q4', 2, 82.5],
    ]);
    // One campaign: its four forms; the trend still shows every campaign of its template.
    const a = await results(as.gm, `campaignId=${campaigns.A.id}`);
    expect([a.responses, a.index, a.trend.length]).toEqual([4, 77.5, 2]);
    // 2026 takes both quarters; 2026-Q4 one campaign; 2025 nothing.
    expect((await results(as.gm, 'period=2026')).responses).toBe(6);
    const q4 = await results(as.gm, 'period=2026-Q4');
    expect([q4.responses, q4.index]).toEqual([2, 82.5]);
    const none = await results(as.gm, 'period=2025');
    expect([none.responses, none.index, none.groups, none.distribution]).toEqual([0, null, [], []]);
    expect((await results(as.gm, 'templateKey=opinion')).responses).toBe(0);
    // A bad filter is refused, naming the field; an unknown campaign is 404.
    const bad = await as.gm.get('/api/surveys/results?period=26');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('period');
    expect((await as.gm.get('/api/surveys/results?campaignId=nope')).statusCode).toBe(404);
  });

  it('counts only the forms of archives the reader may see', async () => {
    const { as } = app.co;
    // 销售部's manager sees 销售部 and 华东销售组: S1 90, 80, S2 75, E1 50, 85 → 380 / 5 = 76.0.
    const mine = await results(as.salesmgr);
    expect([mine.responses, mine.index]).toEqual([5, 76]);
    expect(mine.groups.map((g) => g.label)).toEqual(['销售部', '华东销售组']);
    // Trend A: (90 + 75 + 50) / 3 = 71.67 → 71.7; B: 82.5.
    expect(mine.trend.map((t) => [t.responses, t.index])).toEqual([
      [3, 71.7],
      [2, 82.5],
    ]);
    expect(mine.distribution.find((d) => d.key === 'attitude')?.counts).toEqual({
      very_satisfied: 2,
      satisfied: 2,
      average: 1,
      poor: 0,
    });
    // 品质部's manager sees only Q1: no count of the sales archives anywhere.
    const other = await results(as.qamgr);
    expect([other.responses, other.index]).toEqual([1, 95]);
    expect(other.groups.map((g) => g.label)).toEqual(['品质部']);
    expect(other.trend.map((t) => [t.periodLabel, t.responses])).toEqual([['2026-Q2', 1]]);
    expect(other.distribution.find((d) => d.key === 'attitude')?.counts).toEqual({
      very_satisfied: 1,
      satisfied: 0,
      average: 0,
      poor: 0,
    });
    // Staff follow no results; a staff member of another department cannot open the form either.
    expect((await as.sales1.get('/api/surveys/results')).statusCode).toBe(403);
    expect((await as.sales1.get('/api/surveys/results/summary.csv')).statusCode).toBe(403);
    expect((await as.east1.get(`/api/surveys/responses/${responses.S1A}/form.pdf`)).statusCode).toBe(404);
    expect((await as.qamgr.get(`/api/surveys/responses/${responses.S1A}/form.pdf`)).statusCode).toBe(404);
    const csv = (await as.qamgr.get('/api/surveys/results/summary.csv')).rawPayload.toString('utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).not.toContain(archives.S1.archiveCode);
  });

  it('exports the 顾客满意度调查汇总表 with a row per form and a 汇总 sheet', async () => {
    const { as } = app.co;
    const res = await as.gm.get('/api/surveys/results/summary.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-survey-'));
    const file = path.join(dir, 'summary.xlsx');
    fs.writeFileSync(file, res.rawPayload);
    const rows: string[][] = [];
    for await (const row of xlsxRows(file, 'all')) rows.push(row);
    fs.rmSync(dir, { recursive: true, force: true });
    const header = rows[0] as string[];
    expect(header.slice(0, 11)).toEqual([
      '序号',
      '调查活动',
      '调查期间',
      '客户',
      '客户编号',
      '客户类别',
      '所属部门',
      '业务员',
      '联系人',
      '调查方式',
      '调查日期',
    ]);
    expect(header.slice(11)).toEqual([
      '服务态度',
      '技术水平',
      '到达及时性',
      '承诺事项办理',
      '满意度指数',
      '总体评价',
      '意见与建议',
      '纠正措施',
    ]);
    // Six forms, in the order they were recorded.
    const forms = rows.slice(1, 7);
    expect(forms.map((r) => r[4])).toEqual([
      archives.S1.archiveCode,
      archives.S2.archiveCode,
      archives.E1.archiveCode,
      archives.Q1.archiveCode,
      archives.S1.archiveCode,
      archives.E1.archiveCode,
    ]);
    expect(forms.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    const e1 = forms[2] as string[];
    expect(e1.slice(1, 11)).toEqual([
      `${campaigns.A.number} 2026 年二季度满意度调查`,
      '2026-Q2',
      e1[3],
      archives.E1.archiveCode,
      '一般客户',
      '华东销售组',
      'east1',
      '王工',
      '电话调查',
      '2026-06-09',
    ]);
    expect(e1.slice(11, 18)).toEqual([
      '一般',
      '较差',
      '一般',
      '满意',
      '50',
      '一般',
      '希望售后响应再快一些。',
    ]);
    // E1's 较差 opened a corrective action (index 50 is also below the campaign's 60).
    expect(e1[18]).toBe(`${campaigns.A.number}（进行中）`);
    expect(forms.map((r) => r[18] ?? '')).toEqual(['', '', e1[18], '', '', '']);
    // The 汇总 sheet: every form, then each department and each question (as in the results).
    const summary = rows.slice(7).filter((r) => r.length);
    expect(summary[0]).toEqual(['项目', '答卷数', '满意度指数', '非常满意', '满意', '一般', '较差']);
    expect(summary.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['全部', '6', '79.2'],
      ['部门：品质部', '1', '95'],
      ['部门：销售部', '3', '81.7'],
      ['部门：华东销售组', '2', '67.5'],
      ['题目：服务态度', '6', '86.7'],
      ['题目：技术水平', '6', '73.3'],
      ['题目：到达及时性', '6', '76.7'],
      ['题目：承诺事项办理', '6', '80'],
      ['题目：总体评价', '6', '83.3'],
    ]);
    expect(summary[5]?.slice(3)).toEqual(['3', '2', '1', '0']);
  });

  it('exports the forms as CSV with a byte-order mark, and the appraisal per salesperson and department', async () => {
    const { as } = app.co;
    const res = await as.gm.get('/api/surveys/results/summary.csv?period=2026-Q4');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toContain('survey-summary-');
    const text = res.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFF序号,调查活动,调查期间,客户,客户编号')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,电话调查,2026-11-10,满意,满意,满意,满意,80,满意,希望售后响应再快一些。,`);
    expect(lines[2]).toContain(`,非常满意,非常满意,满意,一般,85,满意,`);

    // 2026 for appraisal: sales1 85.0, sales2 75.0, east1 67.5, qamgr 95.0; departments as above.
    const csv = await as.gm.get('/api/surveys/results/appraisal.csv?period=2026');
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = csv.rawPayload
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual(['类别', '名称', '所属部门', '答卷数', '满意度指数', '有较差的答卷']);
    expect(rows.slice(1)).toEqual([
      ['业务员', 'qamgr', '品质部', '1', '95', '0'],
      ['业务员', 'sales1', '销售部', '2', '85', '0'],
      ['业务员', 'sales2', '销售部', '1', '75', '0'],
      ['业务员', 'east1', '华东销售组', '2', '67.5', '1'],
      ['部门', '品质部', '品质部', '1', '95', '0'],
      ['部门', '销售部', '销售部', '3', '81.7', '0'],
      ['部门', '华东销售组', '华东销售组', '2', '67.5', '1'],
    ]);
    const xlsx = await as.gm.get('/api/surveys/results/appraisal.xlsx?period=2026');
    expect(xlsx.statusCode).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-survey-'));
    const file = path.join(dir, 'appraisal.xlsx');
    fs.writeFileSync(file, xlsx.rawPayload);
    const sheets: string[][] = [];
    for await (const row of xlsxRows(file, 'all')) sheets.push(row);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(sheets.filter((r) => r[0] === '业务员').map((r) => r[4])).toEqual(['95', '85', '75', '67.5']);
    expect(sheets.filter((r) => r[0] === '部门').map((r) => r[1])).toEqual([
      '品质部',
      '销售部',
      '华东销售组',
    ]);
    // Every export is audited.
    const audited = await app.t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'survey.export')
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(4);
  });

  it('prints the filled form for whoever sees the archive, audited', async () => {
    const { as } = app.co;
    const res = await as.salesmgr.get(`/api/surveys/responses/${responses.E1A}/form.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'survey.response_print')
      .execute();
    expect(audit).toEqual([{ action: 'survey.response_print', target_id: responses.E1A }]);
  });
  it('leaves a 机密 archive out for a reader without the clearance, and audits the read as secret as what it counts', async () => {
    const { as, ids } = app.co;
    await at(shanghai('2026-11-12'));
    // A 机密 archive of 销售部, owned by the general manager, answered 较差 throughout in a third
    // campaign: index 0.
    const secret = await archive(as.gm, 'key', { secrecy: 'confidential' });
    const c = await campaign('2026 年四季度补充调查', '2026-Q4', '2026-11-30');
    await answer(as.gm, c.id, secret.id, [P, P, P, P], P, '2026-11-12');
    // The general manager (绝密): seven forms, (475 + 0) / 7 = 67.86 → 67.9; three campaigns.
    const all = await results(as.gm);
    expect([all.responses, all.index, all.trend.length]).toEqual([7, 67.9, 3]);
    // A general manager cleared for 普通 only: the six of before, and no trace of the third campaign.
    const low = await results(as.lowgm);
    expect([low.responses, low.index]).toEqual([6, 79.2]);
    expect(low.trend.map((t) => t.campaignId)).toEqual([campaigns.A.id, campaigns.B.id]);
    expect(low.distribution.find((d) => d.key === 'attitude')?.counts.poor).toBe(0);
    const csv = (await as.lowgm.get('/api/surveys/results/summary.csv')).rawPayload.toString('utf8');
    expect(csv).not.toContain(secret.archiveCode);
    expect(csv.trim().split('\r\n')).toHaveLength(7);
    const entries = await app.t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'secrecy'])
      .where('action', '=', 'survey.results')
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    expect(entries.map((e) => [e.actor_id, Number(e.secrecy)])).toEqual([
      [ids.lowgm, 0],
      [ids.gm, 2],
    ]);
  });
});
