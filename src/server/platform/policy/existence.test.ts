import type { LightMyRequestResponse } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser } from '../../test-support/app.js';
import { type Company, companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile, uploadLetter } from '../../test-support/documents.js';
import { drainJobs } from '../jobs.js';

// Existence oracles (R-P1): for someone who may not see a record, every route answers exactly as
// for an id that does not exist — same status, code and body — so that probing ids tells nothing.
// Each case calls a route twice as the same person: once with a real record they may not see,
// once with a fresh UUIDv7. Where a caller may see a record but not act on it, 403 is fine (they
// know it exists); such routes answer 403 for an unknown id too, because they check the role first.

type Json = Record<string, unknown>;

interface Fixture {
  /** A quality-department document with a file: sales staff may not see it. */
  qdoc: string;
  qfile: string;
  qcopy: string;
  /** A sales document sales2 may see (for sub-resources that belong to another record). */
  sdoc: string;
  /** 秘密 document and customer: below-clearance readers may not see them. */
  secretDoc: string;
  secretCustomer: string;
  secretGrant: string;
  secretHold: string;
  /** A quality-department customer with a contact: sales staff may not see it. */
  qcust: string;
  qcontact: string;
  scust: string;
  /** Access requests of qa1: pending, with a letter, approved, returned. */
  pending: string;
  external: string;
  approved: string;
  returned: string;
  /** Appraisal batches and destruction registers; staff follow none of them. */
  openAppraisal: string;
  appraisalItem: string;
  draftDisposal: string;
  draftItem: string;
  signingDisposal: string;
  /** Someone else's background job, notification, API token, integrity report. */
  job: string;
  notification: string;
  token: string;
  report: string;
  /** A complaint on the quality department's archive, its corrective action and a visit task. */
  qcase: string;
  qaction: string;
  qvisit: string;
  /** A special requirement of the quality department's archive, given to 质量部 to review. */
  qreq: string;
  /** Credit (R-A4) of the quality department's archive: an investigation, a limit request, an
   * admission. */
  qinvest: string;
  qcreditreq: string;
  qadmission: string;
  /** The quality department and a person in it (valid ids for bodies). */
  qdepartment: string;
  qhandler: string;
}

interface Case {
  name: string;
  as: (co: Company) => Client;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The real record's id the caller may not see; the fake one replaces it. */
  hidden: (f: Fixture) => string;
  url: (id: string, f: Fixture) => string;
  body?: (id: string, f: Fixture) => Json | undefined;
}

const uploadNames = '?name=a.txt';

const CASES: Case[] = [
  // Access requests and their letters (R-P2 … R-P7).
  ...(['pending', 'approved', 'returned'] as const).flatMap((which): Case[] => [
    {
      name: `GET a ${which} access request`,
      as: (co) => co.as.sales2,
      method: 'GET',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}`,
    },
    {
      name: `decide a ${which} access request`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}/decisions`,
      body: () => ({ decision: 'approve' }),
    },
    {
      name: `decide a ${which} access request as another department's manager`,
      as: (co) => co.as.salesmgr,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}/decisions`,
      body: () => ({ decision: 'approve' }),
    },
    {
      name: `withdraw a ${which} access request`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}/withdraw`,
    },
    {
      name: `resubmit a ${which} access request`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}/resubmit`,
      body: () => ({ reason: '补充说明' }),
    },
    {
      name: `renew a ${which} access request`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}/renewals`,
      body: () => ({ days: 3, reason: '还需要几天' }),
    },
    {
      name: `issue loans on a ${which} access request`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/access-requests/${id}/loans`,
      body: () => ({ itemIds: [uuidv7()], conditionOut: '完好' }),
    },
  ]),
  {
    name: 'GET the letter of introduction of a request',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.external,
    url: (id) => `/api/access-requests/${id}/letter`,
  },
  {
    name: 'GET the letter of a request without one',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.pending,
    url: (id) => `/api/access-requests/${id}/letter`,
  },
  {
    name: 'ask for a 秘密 document above one’s clearance',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.secretDoc,
    url: () => '/api/access-requests',
    body: (id) => ({
      mode: 'electronic',
      purpose: 'read',
      reason: '查阅',
      items: [{ targetType: 'document', targetId: id }],
    }),
  },

  // Appraisals (R-X2).
  {
    name: 'GET an appraisal batch',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.openAppraisal,
    url: (id) => `/api/appraisals/${id}`,
  },
  {
    name: 'give opinions in an appraisal batch',
    as: (co) => co.as.sales2,
    method: 'PUT',
    hidden: (f) => f.openAppraisal,
    url: (id) => `/api/appraisals/${id}/opinions`,
    body: (_id, f) => ({ opinions: [{ itemId: f.appraisalItem, decision: 'destroy' }] }),
  },
  {
    name: 'conclude an appraisal batch',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.openAppraisal,
    url: (id) => `/api/appraisals/${id}/conclude`,
  },

  // Destruction registers (R-X3).
  ...(['draftDisposal', 'signingDisposal'] as const).flatMap((which): Case[] => [
    {
      name: `GET a ${which}`,
      as: (co) => co.as.sales2,
      method: 'GET',
      hidden: (f) => f[which],
      url: (id) => `/api/disposals/${id}`,
    },
    {
      name: `export a ${which}`,
      as: (co) => co.as.sales2,
      method: 'GET',
      hidden: (f) => f[which],
      url: (id) => `/api/disposals/${id}/register.xlsx`,
    },
    {
      name: `sign a ${which}`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/disposals/${id}/signatures`,
      body: () => ({ decision: 'approve' }),
    },
    {
      name: `witness a ${which}`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/disposals/${id}/witness`,
      body: () => ({ checkedItemIds: [uuidv7()] }),
    },
    {
      name: `submit a ${which}`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/disposals/${id}/submit`,
    },
    {
      name: `destroy a ${which}`,
      as: (co) => co.as.sales2,
      method: 'POST',
      hidden: (f) => f[which],
      url: (id) => `/api/disposals/${id}/destroy`,
      body: (_id, f) => ({ witnessIds: [f.draftItem, f.draftItem] }),
    },
    {
      name: `take an item off a ${which}`,
      as: (co) => co.as.sales2,
      method: 'DELETE',
      hidden: (f) => f[which],
      url: (id, f) => `/api/disposals/${id}/items/${f.draftItem}`,
    },
  ]),

  // Someone else's background job (and the import routes built on jobs).
  {
    name: 'GET someone else’s job',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.job,
    url: (id) => `/api/jobs/${id}`,
  },
  {
    name: 'commit someone else’s import',
    as: (co) => co.as.qamgr,
    method: 'POST',
    hidden: (f) => f.job,
    url: (id) => `/api/customers/imports/${id}/commit`,
  },
  {
    name: 'download the errors of someone else’s import',
    as: (co) => co.as.qamgr,
    method: 'GET',
    hidden: (f) => f.job,
    url: (id) => `/api/customers/imports/${id}/errors.xlsx`,
  },

  // Customer archives and their sub-resources (R-P2).
  ...(
    [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/file'],
      ['POST', '/deactivate'],
      ['POST', '/reactivate'],
      ['POST', '/merge'],
      ['GET', '/contacts'],
      ['POST', '/contacts'],
      ['GET', '/interactions'],
      ['POST', '/interactions'],
      ['GET', '/history'],
      ['GET', '/timeline'],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a customer archive${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (f) => f.qcust,
      url: (id) => `/api/customers/${id}${path}`,
      body: () =>
        (<Record<string, Json>>{
          PATCH: { region: '上海' },
          '/deactivate': { note: null },
          '/reactivate': { note: null },
          '/merge': { sourceId: uuidv7() },
          '/contacts': { name: '王五' },
          '/interactions': { kind: 'call', occurredOn: '2026-03-01', summary: '电话沟通' },
        })[method === 'PATCH' ? 'PATCH' : path],
    }),
  ),
  {
    name: 'merge an archive above clearance into a visible one',
    as: (co) => co.as.lowgm,
    method: 'POST',
    hidden: (f) => f.secretCustomer,
    url: (_id, f) => `/api/customers/${f.scust}/merge`,
    body: (id) => ({ sourceId: id }),
  },
  {
    name: 'change a contact of a hidden archive through a visible one',
    as: (co) => co.as.sales2,
    method: 'PATCH',
    hidden: (f) => f.qcontact,
    url: (id, f) => `/api/customers/${f.scust}/contacts/${id}`,
    body: () => ({ title: '经理' }),
  },
  {
    name: 'change a contact of a hidden archive',
    as: (co) => co.as.sales2,
    method: 'PATCH',
    hidden: (f) => f.qcust,
    url: (id, f) => `/api/customers/${id}/contacts/${f.qcontact}`,
    body: () => ({ title: '经理' }),
  },
  {
    name: 'list the grants of an archive above clearance',
    as: (co) => co.as.lowgm,
    method: 'GET',
    hidden: (f) => f.secretCustomer,
    url: (id) => `/api/customers/${id}/grants`,
  },
  {
    name: 'revoke a grant of an archive above clearance',
    as: (co) => co.as.lowgm,
    method: 'DELETE',
    hidden: (f) => f.secretCustomer,
    url: (id, f) => `/api/customers/${id}/grants/${f.secretGrant}`,
  },
  {
    name: 'register a document in a hidden archive',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.qcust,
    url: () => '/api/documents',
    body: (id) => ({ title: '测试文件', category: 'records', customerId: id }),
  },

  // Documents and their sub-resources (R-D*).
  ...(
    [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/versions'],
      ['POST', '/obsolete'],
      ['GET', '/events'],
      ['GET', '/copies'],
      ['POST', '/copies'],
      ['POST', '/file'],
      ['POST', `/files${uploadNames}`],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a document${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (f) => f.qdoc,
      url: (id) => `/api/documents/${id}${path}`,
      body: () =>
        (<Record<string, Json>>{
          PATCH: { remarks: '备注' },
          '/versions': { versionLabel: 'B', note: '新版' },
          '/obsolete': { reason: '作废' },
          '/copies': { mark: 'reference', recipients: [{ departmentId: uuidv7() }] },
        })[method === 'PATCH' ? 'PATCH' : path],
    }),
  ),
  {
    name: 'download a file of a hidden document',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.qdoc,
    url: (id, f) => `/api/documents/${id}/files/${f.qfile}/content`,
  },
  {
    name: 'download a hidden document’s file through a visible document',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.qfile,
    url: (id, f) => `/api/documents/${f.sdoc}/files/${id}/content`,
  },
  {
    name: 'a stamped copy of a hidden document',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.qdoc,
    url: (id, f) => `/api/documents/${id}/files/${f.qfile}/stamped`,
  },
  {
    name: 'recall a copy of a hidden document',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.qdoc,
    url: (id, f) => `/api/documents/${id}/copies/${f.qcopy}/recall`,
    body: () => ({}),
  },

  // Holds (R-X5): on a record above the caller's clearance, by id and in the body.
  {
    name: 'lift a hold on a record above clearance',
    as: (co) => co.as.lowgm,
    method: 'POST',
    hidden: (f) => f.secretHold,
    url: (id) => `/api/holds/${id}/lift`,
    body: () => ({ reason: '解除' }),
  },
  {
    name: 'lift a hold as someone who may not',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.secretHold,
    url: (id) => `/api/holds/${id}/lift`,
    body: () => ({ reason: '解除' }),
  },
  {
    name: 'place a hold on a document above clearance',
    as: (co) => co.as.lowgm,
    method: 'POST',
    hidden: (f) => f.secretDoc,
    url: () => '/api/holds',
    body: (id) => ({ targetType: 'document', targetId: id, kind: 'audit', reason: '审计' }),
  },
  {
    name: 'place a hold on an archive above clearance',
    as: (co) => co.as.lowgm,
    method: 'POST',
    hidden: (f) => f.secretCustomer,
    url: () => '/api/holds',
    body: (id) => ({ targetType: 'customer', targetId: id, kind: 'audit', reason: '审计' }),
  },

  // Platform records.
  {
    name: 'GET an integrity report',
    as: (co) => co.as.sales2,
    method: 'GET',
    hidden: (f) => f.report,
    url: (id) => `/api/integrity/checks/${id}`,
  },
  {
    name: 'mark someone else’s notification read',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.notification,
    url: (id) => `/api/notifications/${id}/read`,
  },
  // Complaints and service requests (R-Q1 … R-Q7) and their corrective actions.
  ...(
    [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/triage'],
      ['POST', '/dispatch'],
      ['POST', '/start'],
      ['PUT', '/investigation'],
      ['POST', '/resolve'],
      ['POST', '/reply'],
      ['POST', '/revisit'],
      ['GET', '/8d.pdf'],
      ['GET', '/record.pdf'],
      ['GET', '/actions'],
      ['POST', '/actions'],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a complaint${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (f) => f.qcase,
      url: (id) => `/api/cases/${id}${path}`,
      body: (_id, f) =>
        (<Record<string, Json>>{
          '': { demand: '换货' },
          '/triage': { justified: true, departmentId: f.qdepartment, handlerId: f.qhandler },
          '/dispatch': { departmentId: f.qdepartment, handlerId: f.qhandler },
          '/investigation': { analysis: '原因分析' },
          '/reply': { text: '已处理', way: 'phone' },
          '/revisit': { opinion: 'satisfied', way: 'phone' },
          '/actions': { kind: 'corrective', description: '整改', ownerId: f.qhandler, dueDays: 3 },
        })[path],
    }),
  ),
  ...(
    [
      ['GET', ''],
      ['POST', '/complete'],
      ['POST', '/verify'],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a corrective action of a hidden complaint${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (f) => f.qaction,
      url: (id) => `/api/actions/${id}${path}`,
      body: () =>
        (<Record<string, Json>>{
          '/complete': { result: '已完成' },
          '/verify': { effective: true, verification: '有效' },
        })[path],
    }),
  ),
  {
    name: 'record a complaint on a hidden archive',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.qcust,
    url: () => '/api/cases',
    body: (id) => ({ kind: 'complaint', type: 'quality', customerId: id, channel: 'phone', content: '投诉' }),
  },

  // Follow-up visits (R-V1, R-V2).
  ...(
    [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/complete'],
      ['POST', '/cancel'],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a visit task of a hidden archive${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (f) => f.qvisit,
      url: (id) => `/api/visits/${id}${path}`,
      body: () =>
        (<Record<string, Json>>{
          '': { way: 'onsite' },
          '/complete': { way: 'phone', visitedOn: '2026-03-01', content: '回访' },
          '/cancel': { note: null },
        })[path],
    }),
  ),
  {
    name: 'plan a visit to a hidden archive',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.qcust,
    url: () => '/api/visits',
    body: (id) => ({ customerId: id, dueDate: '2026-12-31', way: 'phone' }),
  },
  // Customer special requirements (R-S1, R-S2, R-S5).
  ...(
    [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/reviews'],
      ['PUT', '/reviews/DEPT'],
      ['POST', '/links'],
      ['DELETE', '/links/LINK'],
      ['POST', '/implemented'],
      ['POST', '/not-applicable'],
      ['POST', '/obsolete'],
      ['POST', '/rechecked'],
      ['POST', '/informed'],
      ['GET', '/actions'],
      ['POST', '/actions'],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a special requirement of a hidden archive${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (f) => f.qreq,
      url: (id, f) =>
        `/api/special-requirements/${id}${path.replace('DEPT', f.qdepartment).replace('LINK', '01900000-0000-7000-8000-00000000000a')}`,
      body: (_id, f) =>
        (<Record<string, Json>>{
          '': { title: '改' },
          '/reviews': { departmentIds: [f.qdepartment] },
          '/reviews/DEPT': { decision: 'applicable' },
          '/links': { documentId: f.sdoc, role: 'control_plan' },
          '/not-applicable': { reason: '不适用' },
          '/obsolete': { reason: '撤回' },
          '/rechecked': { note: null },
          '/informed': { note: null },
          '/actions': { kind: 'corrective', description: '措施', ownerId: f.qhandler, dueDays: 3 },
        })[path],
    }),
  ),
  ...(['special-requirements', 'applicable-requirements'] as const).map(
    (what): Case => ({
      name: `GET the ${what} of a hidden archive`,
      as: (co) => co.as.sales2,
      method: 'GET',
      hidden: (f) => f.qcust,
      url: (id) => `/api/customers/${id}/${what}`,
    }),
  ),
  {
    name: 'register a special requirement on a hidden archive',
    as: (co) => co.as.sales2,
    method: 'POST',
    hidden: (f) => f.qcust,
    url: () => '/api/special-requirements',
    body: (id) => ({
      customerId: id,
      category: 'ppap',
      title: '要求',
      text: '内容',
      receivedOn: '2026-03-01',
    }),
  },
  // Credit (R-A4): everything under a hidden archive, and its investigations, requests and
  // admissions by their own ids.
  ...(
    [
      ['GET', (id: string) => `/api/customers/${id}/credit`, (f: Fixture) => f.qcust, undefined],
      [
        'POST',
        (id: string) => `/api/customers/${id}/credit/balances`,
        (f: Fixture) => f.qcust,
        { asOf: '2026-03-01', receivables: '1', unsettledBills: '0' },
      ],
      [
        'PUT',
        (id: string) => `/api/customers/${id}/credit/suspension`,
        (f: Fixture) => f.qcust,
        { suspended: true, reason: '拒付' },
      ],
      [
        'POST',
        (id: string) => `/api/customers/${id}/credit/requests`,
        (f: Fixture) => f.qcust,
        { kind: 'limit', creditLimit: '1', reason: '限度' },
      ],
      [
        'GET',
        (id: string) => `/api/credit/investigations/${id}/report.pdf`,
        (f: Fixture) => f.qinvest,
        undefined,
      ],
      [
        'POST',
        (id: string) => `/api/credit/requests/${id}/decision`,
        (f: Fixture) => f.qcreditreq,
        { decision: 'approve' },
      ],
      [
        'POST',
        (id: string) => `/api/credit/admissions/${id}/decision`,
        (f: Fixture) => f.qadmission,
        { decision: 'approve' },
      ],
      [
        'GET',
        (id: string) => `/api/credit/admissions/${id}/card.pdf`,
        (f: Fixture) => f.qadmission,
        undefined,
      ],
    ] as const
  ).map(
    ([method, url, hidden, body]): Case => ({
      name: `${method} ${url('{id}')} of a hidden archive`,
      as: (co) => co.as.sales2,
      method,
      hidden,
      url: (id) => url(id),
      body: body ? () => ({ ...body }) : undefined,
    }),
  ),
  {
    name: 'revoke someone else’s API token',
    as: (co) => co.as.sales2,
    method: 'DELETE',
    hidden: (f) => f.token,
    url: (id) => `/api/auth/tokens/${id}`,
  },
  ...(
    [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/reset-password'],
      ['POST', '/unlock'],
    ] as const
  ).map(
    ([method, path]): Case => ({
      name: `${method} a user${path}`,
      as: (co) => co.as.sales2,
      method,
      hidden: (_f) => '',
      url: (id) => `/api/users/${id}${path}`,
      body: () => (method === 'PATCH' ? { name: '改名' } : ({} as Json)),
    }),
  ),
];

/** The answer without what differs between any two requests: request id, the id asked for. */
function shape(res: LightMyRequestResponse, id: string) {
  const type = String(res.headers['content-type'] ?? '');
  let body = res.body.split(id).join('<id>');
  if (type.includes('json')) {
    const json = JSON.parse(body) as Json;
    delete json.requestId;
    body = JSON.stringify(json);
  }
  return { status: res.statusCode, type, body };
}

describe('existence oracles: a record the caller may not see answers as one that does not exist (R-P1)', () => {
  const app = companyApp();
  const f = {} as Fixture;

  beforeAll(async () => {
    const { as, ids } = app.co;
    const post = async (c: Client, url: string, body: Json = {}, status = 201) => {
      const res = await c.post(url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
      return res.json() as Json & { id: string };
    };
    const doc = (c: Client, body: Json) => post(c, '/api/documents', { category: 'records', ...body });

    // Documents.
    f.qdoc = (await doc(as.qa1, { title: '品质部内部记录', carrier: 'both' })).id;
    const upload = await uploadFile(as.qa1, f.qdoc, '记录.pdf', CONTRACT_PDF);
    expect(upload.statusCode, upload.body).toBe(201);
    f.qfile = upload.json().id;
    f.qcopy = (
      (await post(as.archivist, `/api/documents/${f.qdoc}/copies`, {
        mark: 'controlled',
        recipients: [{ departmentId: app.co.quality }],
      })) as unknown as Json[]
    )[0]?.id as string;
    f.sdoc = (await doc(as.sales2, { title: '销售部记录' })).id;
    f.secretDoc = (await doc(as.qa1, { title: '秘密技术资料', secrecy: 'secret' })).id;

    // Customers.
    f.qcust = (
      await post(as.qamgr, '/api/customers', {
        name: '品质部专属客户有限公司',
        category: 'general',
        kind: 'business',
        contacts: [{ name: '赵六' }],
      })
    ).id;
    f.qcontact = ((await as.qamgr.get(`/api/customers/${f.qcust}/contacts`)).json() as Json[])[0]
      ?.id as string;
    f.qdepartment = app.co.quality;
    f.qhandler = ids.qa1;
    f.qcase = (
      await post(as.qamgr, '/api/cases', {
        kind: 'complaint',
        type: 'quality',
        customerId: f.qcust,
        channel: 'phone',
        content: '来料尺寸超差',
      })
    ).id;
    await post(
      as.qamgr,
      `/api/cases/${f.qcase}/triage`,
      { justified: true, departmentId: app.co.quality, handlerId: ids.qa1 },
      200,
    );
    f.qaction = (
      await post(as.qa1, `/api/cases/${f.qcase}/actions`, {
        kind: 'corrective',
        description: '修订来料检验规范',
        ownerId: ids.qa1,
        dueDays: 5,
      })
    ).id;
    f.qvisit = (
      await post(as.qamgr, '/api/visits', { customerId: f.qcust, dueDate: '2026-12-31', way: 'phone' })
    ).id;
    f.qreq = (
      await post(as.qamgr, '/api/special-requirements', {
        customerId: f.qcust,
        category: 'ppap',
        title: '质量部客户的特殊要求',
        text: '出货须附检验报告',
        receivedOn: '2026-03-01',
        afterMassProduction: true,
      })
    ).id;
    await post(
      as.qamgr,
      `/api/special-requirements/${f.qreq}/reviews`,
      { departmentIds: [app.co.quality] },
      200,
    );
    const credit = `/api/customers/${f.qcust}/credit`;
    f.qinvest = (
      (await post(as.qamgr, `${credit}/investigations`, {
        kind: 'daily',
        investigatedOn: '2026-03-01',
        conclusion: '信用良好',
      })) as unknown as { investigations: Json[] }
    ).investigations[0]?.id as string;
    f.qcreditreq = (
      (await post(as.qamgr, `${credit}/requests`, {
        kind: 'limit',
        creditLimit: '1000',
        reason: '限度',
      })) as unknown as {
        requests: Json[];
      }
    ).requests[0]?.id as string;
    f.qadmission = (
      (await post(as.qamgr, `${credit}/admissions`, {
        card: {
          headquarters: '佛山',
          tradingSite: '佛山',
          address: '佛山',
          openedOn: '2010-01-01',
          capital: '100万',
          staffCount: 10,
          managerCount: 2,
          assets: '厂房',
          managerAges: '四十岁',
        },
        paymentTerms: '月结',
        requestedLimit: '1000',
      })) as unknown as { admissions: Json[] }
    ).admissions[0]?.id as string;
    f.scust = (
      await post(as.sales2, '/api/customers', {
        name: '销售部客户有限公司',
        category: 'general',
        kind: 'business',
      })
    ).id;
    f.secretCustomer = (
      await post(as.gm, '/api/customers', {
        name: '秘密客户有限公司',
        category: 'general',
        kind: 'business',
        secrecy: 'secret',
      })
    ).id;
    f.secretGrant = (
      await post(as.gm, `/api/customers/${f.secretCustomer}/grants`, { userId: ids.sales1 })
    ).id;
    f.secretHold = (
      await post(as.archivist, '/api/holds', {
        targetType: 'document',
        targetId: f.secretDoc,
        kind: 'audit',
        reason: '审计冻结',
      })
    ).id;

    // Access requests of qa1 in several states.
    const request = (body: Json = {}) =>
      post(as.qa1, '/api/access-requests', {
        mode: 'electronic',
        purpose: 'read',
        reason: '客户审核需要',
        items: [{ targetType: 'document', targetId: f.qdoc }],
        ...body,
      });
    f.pending = (await request()).id;
    const letter = await uploadLetter(as.qa1);
    expect(letter.statusCode, letter.body).toBe(201);
    f.external = (
      await request({
        external: { organisation: '上海质量认证中心', person: '周审核员' },
        letter: { sha256: letter.json().sha256, name: '介绍信.pdf' },
      })
    ).id;
    f.approved = (await request()).id;
    await post(as.qamgr, `/api/access-requests/${f.approved}/decisions`, { decision: 'approve' }, 200);
    f.returned = (await request()).id;
    await post(
      as.qamgr,
      `/api/access-requests/${f.returned}/decisions`,
      { decision: 'return', comment: '请补充' },
      200,
    );

    // Appraisal batches and destruction registers of old records. A second archivist heads the
    // archive department: the drafter may not sign the register too (R-X3).
    await seedUser(app.t, 'archivist2', ['archivist'], { departmentId: app.co.quality, clearance: 'secret' });
    const old = async (title: string) =>
      (await doc(as.archivist, { title, issueDate: '2010-03-01', retention: 'D10' })).id;
    const members = [ids.archivist, ids.qamgr];
    const concluded = await post(as.archivist, '/api/appraisals', {
      title: '2010年记录鉴定',
      memberIds: members,
      documentIds: [await old('2010年旧记录一'), await old('2010年旧记录二')],
    });
    const items = (concluded.items as Json[]).map((i) => i.id as string);
    for (const who of [as.archivist, as.qamgr]) {
      const put = await who.put(`/api/appraisals/${concluded.id}/opinions`, {
        opinions: items.map((itemId) => ({ itemId, decision: 'destroy' })),
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    await post(as.archivist, `/api/appraisals/${concluded.id}/conclude`, {}, 200);
    const draft = await post(as.archivist, '/api/disposals', { title: '销毁清册一', itemIds: [items[0]] });
    f.draftDisposal = draft.id;
    f.draftItem = (draft.items as Json[])[0]?.id as string;
    f.signingDisposal = (
      await post(as.archivist, '/api/disposals', { title: '销毁清册二', itemIds: [items[1]] })
    ).id;
    await post(as.archivist, `/api/disposals/${f.signingDisposal}/submit`, {}, 200);
    const open = await post(as.archivist, '/api/appraisals', {
      title: '未结束的鉴定',
      memberIds: members,
      documentIds: [await old('2010年旧记录三')],
    });
    f.openAppraisal = open.id;
    f.appraisalItem = (open.items as Json[])[0]?.id as string;

    // Platform records of other people.
    const check = await as.admin.post('/api/integrity/checks', {});
    expect(check.statusCode, check.body).toBe(202);
    f.job = check.json().job.id;
    await drainJobs();
    f.report = (await as.admin.get('/api/integrity/checks/latest')).json().id;
    const note = await app.t.database.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', ids.qamgr)
      .executeTakeFirstOrThrow();
    f.notification = note.id;
    f.token = (await post(as.admin, '/api/auth/tokens', { name: '管理员脚本' })).id;
  });

  it('the fixture’s records exist and are hidden from the callers of the cases', async () => {
    const { as } = app.co;
    expect((await as.qa1.get(`/api/documents/${f.qdoc}`)).statusCode).toBe(200);
    expect((await as.sales2.get(`/api/documents/${f.qdoc}`)).statusCode).toBe(404);
    expect((await as.gm.get(`/api/access-requests/${f.pending}`)).json().status).toBe('pending');
    expect((await as.gm.get(`/api/access-requests/${f.approved}`)).json().status).toBe('approved');
    expect((await as.gm.get(`/api/access-requests/${f.returned}`)).json().status).toBe('returned');
    expect((await as.gm.get(`/api/disposals/${f.signingDisposal}`)).json().status).toBe('signing');
    expect((await as.admin.get(`/api/jobs/${f.job}`)).statusCode).toBe(200);
  });

  for (const c of CASES) {
    it(`${c.name}: same answer for a hidden record and a made-up id`, async () => {
      const as = c.as(app.co);
      const call = (id: string) => {
        const url = c.url(id, f);
        if (url.includes('/files?name='))
          return as.inject({
            method: c.method,
            url,
            headers: { 'content-type': 'application/octet-stream' },
            payload: Buffer.from('x'),
          });
        if (c.method === 'GET' || c.method === 'DELETE') return as.inject({ method: c.method, url });
        return as.inject({ method: c.method, url, payload: c.body?.(id, f) ?? {} });
      };
      const hiddenId = c.hidden(f) || app.co.ids.qa1;
      const fakeId = uuidv7();
      const hidden = await call(hiddenId);
      const fake = await call(fakeId);
      expect([403, 404, 422], `${c.name}: ${hidden.statusCode} ${hidden.body}`).toContain(fake.statusCode);
      expect(shape(hidden, hiddenId), c.name).toEqual(shape(fake, fakeId));
    });
  }

  it('still audits a try at a hidden record as denied (R-L1)', async () => {
    const denied = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('outcome', '=', 'denied')
      .where('target_id', '=', f.pending)
      .execute();
    expect(denied).toContainEqual({ action: 'lending.own', actor_id: app.co.ids.sales2 });
  });
});
