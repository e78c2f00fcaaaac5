import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../test-support/app.js';
import { companyApp } from '../test-support/customers.js';
import { multipart, xlsx } from '../test-support/sheets.js';

// Dates that cannot be real are refused where they enter (400, the field named in the message):
// nothing before 1900, nothing that has happened after tomorrow (received, occurred, first
// contact, issued, authorised, changed), nothing else more than a hundred years ahead — counted
// from the server's clock, not the computer's. The test clock starts on 2026-03-02.

type Json = Record<string, unknown>;

describe('dates before 1900 or absurdly far ahead are refused, naming the field', () => {
  const app = companyApp();
  let document: string;
  let customer: string;

  beforeAll(async () => {
    const { as } = app.co;
    const doc = await as.sales1.post('/api/documents', { title: '测试文件', category: 'records' });
    expect(doc.statusCode, doc.body).toBe(201);
    document = doc.json().id;
    const cust = await as.sales1.post('/api/customers', {
      name: '日期测试有限公司',
      category: 'general',
      kind: 'business',
    });
    expect(cust.statusCode, cust.body).toBe(201);
    customer = cust.json().id;
  });

  const cases: [string, () => Promise<{ statusCode: number; json(): Json }>, string, string][] = [
    [
      'a received date before 1900',
      () =>
        app.co.as.sales1.post('/api/documents', {
          title: 'x',
          category: 'records',
          receivedDate: '1899-12-31',
        }),
      'receivedDate',
      '接收日期不能早于 1900-01-01',
    ],
    [
      'a received date after tomorrow',
      () =>
        app.co.as.sales1.post('/api/documents', {
          title: 'x',
          category: 'records',
          receivedDate: '2026-03-04',
        }),
      'receivedDate',
      '接收日期不能晚于 2026-03-03',
    ],
    [
      'an issue date far ahead',
      () =>
        app.co.as.sales1.post('/api/documents', { title: 'x', category: 'records', issueDate: '2999-01-01' }),
      'issueDate',
      '发文日期不能晚于 2026-03-03',
    ],
    [
      'a product life ending after a hundred years',
      () =>
        app.co.as.sales1.post('/api/documents', {
          title: 'x',
          category: 'records',
          lifeEndDate: '2200-01-01',
        }),
      'lifeEndDate',
      '产品停产及服务终止日期不能晚于 2126-03-02',
    ],
    [
      'a customer authorisation in the year 3000',
      () => app.co.as.sales1.patch(`/api/documents/${document}`, { customerAuthorizedOn: '3000-01-01' }),
      'customerAuthorizedOn',
      '客户授权日期不能晚于 2026-03-03',
    ],
    [
      'a new version received in the year 9999',
      () =>
        app.co.as.sales1.post(`/api/documents/${document}/versions`, {
          versionLabel: 'B',
          receivedDate: '9999-12-31',
        }),
      'receivedDate',
      '接收日期不能晚于 2026-03-03',
    ],
    [
      'a first contact in the year 201',
      () =>
        app.co.as.sales1.post('/api/customers', {
          name: '远古客户有限公司',
          category: 'general',
          kind: 'business',
          firstContactDate: '0201-01-01',
        }),
      'firstContactDate',
      '首次接触日期不能早于 1900-01-01',
    ],
    [
      'a change dated 1800',
      () =>
        app.co.as.sales1.patch(`/api/customers/${customer}`, { region: '上海', changeDate: '1800-01-01' }),
      'changeDate',
      '变动日期不能早于 1900-01-01',
    ],
    [
      'an interaction in 2999',
      () =>
        app.co.as.sales1.post(`/api/customers/${customer}/interactions`, {
          kind: 'call',
          occurredOn: '2999-12-31',
          summary: '电话',
        }),
      'occurredOn',
      '往来日期不能晚于 2026-03-03',
    ],
    [
      'a next step due after a hundred years',
      () =>
        app.co.as.sales1.post(`/api/customers/${customer}/interactions`, {
          kind: 'call',
          occurredOn: '2026-03-01',
          summary: '电话',
          nextStepDue: '2999-12-31',
        }),
      'nextStepDue',
      '下一步期限不能晚于 2126-03-02',
    ],
    [
      'a grant expiring in 9999',
      () =>
        app.co.as.gm.post(`/api/customers/${customer}/grants`, {
          userId: app.co.ids.qa1,
          expiresOn: '9999-12-31',
        }),
      'expiresOn',
      '授权有效期不能晚于 2126-03-02',
    ],
    [
      'a document filter from the year 1000',
      () => app.co.as.sales1.get('/api/documents?issuedFrom=1000-01-01'),
      'querystring.issuedFrom',
      '发文日期（起）不能早于 1900-01-01',
    ],
    [
      'calendar days of 1800',
      () => app.co.as.sales1.get('/api/calendar/days?from=1800-01-01&to=1800-01-31'),
      'querystring.from',
      '起始日期不能早于 1900-01-01',
    ],
    [
      'a working-day count to 3000',
      () => app.co.as.sales1.get('/api/calendar/working-days?from=2026-03-02&to=3000-01-01'),
      'querystring.to',
      '截止日期不能晚于 2126-03-02',
    ],
    [
      'a calendar override in 3000',
      () => app.co.as.admin.put('/api/calendar/overrides/3000-01-01', { working: true }),
      'params.date',
      '日期不能晚于 2126-03-02',
    ],
    [
      'an audit search from the year 1',
      () => app.co.as.admin.get('/api/audit?from=0001-01-01'),
      'querystring.from',
      '起始日期不能早于 1900-01-01',
    ],
  ];

  for (const [name, call, field, message] of cases) {
    it(`refuses ${name}`, async () => {
      const res = await call();
      expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
      expect(res.json().errors, name).toContainEqual(expect.objectContaining({ field, message }));
    });
  }

  it('refuses such a date in a custom date field, by its label (422)', async () => {
    const field = await app.co.as.admin.post('/api/customer-config/custom-fields', {
      key: 'contract_end',
      label: '合同到期日',
      type: 'date',
    });
    expect(field.statusCode, field.body).toBe(201);
    const res = await app.co.as.sales1.patch(`/api/customers/${customer}`, {
      customFields: { contract_end: '2999-01-01' },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'customFields.contract_end', code: 'date_too_late', message: '合同到期日不能晚于 2126-03-02' },
    ]);
    const fine = await app.co.as.sales1.patch(`/api/customers/${customer}`, {
      customFields: { contract_end: '2030-12-31' },
    });
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('says it in English when asked', async () => {
    const res = await app.co.as.sales1.inject({
      method: 'POST',
      url: '/api/documents',
      payload: { title: 'x', category: 'records', receivedDate: '2026-03-04' },
      headers: { 'accept-language': 'en' },
    });
    expect(res.json().errors).toContainEqual(
      expect.objectContaining({ field: 'receivedDate', message: 'Received date cannot be after 2026-03-03' }),
    );
  });

  it('accepts the dates at the bounds, counted from the server’s clock', async () => {
    const { as } = app.co;
    const ok = await as.sales1.post('/api/documents', {
      title: '边界日期',
      category: 'records',
      receivedDate: '1900-01-01',
      issueDate: '2026-03-02',
      lifeEndDate: '2126-03-02',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    // A year on, what was absurd is today (the computer's own clock says otherwise).
    app.t.clock.set('2027-06-01T02:00:00.000Z');
    const sales1 = await signIn(app.t.app, 'sales1');
    const later = await sales1.post('/api/documents', {
      title: '一年以后',
      category: 'records',
      receivedDate: '2027-06-01',
    });
    app.t.clock.set('2026-03-02T01:00:00.000Z');
    expect(later.statusCode, later.body).toBe(201);
  });

  it('keeps an old customer first contacted in 1985, its filing deadline counted on weekdays', async () => {
    const res = await app.co.as.sales1.post('/api/customers', {
      name: '老客户机械厂',
      category: 'general',
      kind: 'business',
      firstContactDate: '1985-06-03',
    });
    expect(res.statusCode, res.body).toBe(201);
    // Five working days after Monday 1985-06-03, no State Council notice for that year.
    expect(res.json()).toMatchObject({ filingDueDate: '1985-06-10', filingOverdue: true });
  });

  it('refuses such a date in an imported row, on its column', async () => {
    const header = ['客户名称*', '客户类别*', '客户种类*', '首次接触日期', '备案日期'];
    const sheet = await xlsx([
      header,
      ['古代客户有限公司', '一般客户', '业务客户', '1850-01-01', '1899-06-01'],
    ]);
    const { payload, headers } = multipart('日期.xlsx', sheet);
    const res = await app.co.as.salesmgr.inject({
      method: 'POST',
      url: '/api/customers/imports?dryRun=true',
      payload,
      headers,
    });
    expect(res.statusCode, res.body).toBe(202);
    let job: Json = {};
    for (let i = 0; i < 400 && !['succeeded', 'failed'].includes(job.status as string); i++) {
      await new Promise((r) => setTimeout(r, 25));
      job = (await app.co.as.salesmgr.get(`/api/jobs/${res.json().job.id}`)).json();
    }
    expect((job.result as Json).problems).toEqual([
      { row: 2, column: '首次接触日期', message: '首次接触日期不能早于 1900-01-01' },
      { row: 2, column: '备案日期', message: '备案日期不能早于 1900-01-01' },
    ]);
  });
});
