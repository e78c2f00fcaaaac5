import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../common/enums.js';
import { todayInShanghai } from '../../common/time.js';
import { createDepartment, createUser } from '../modules/org/service.js';
import { visitDaily } from '../modules/visits/notices.js';
import { newId } from '../platform/ids.js';
import { drainJobs } from '../platform/jobs.js';
import { reportPdf } from '../platform/pdf.js';
import { BlobStore } from '../platform/storage.js';
import { type Client, PASSWORD, signIn, type TestApp } from './app.js';
import { uscc } from './customers.js';
import { uploadFile } from './documents.js';
import { multipart, xlsx } from './sheets.js';

// The world of the leak suite (R-P1, R-P9): two business departments (销售部 with its 华东销售组,
// and 质量部) plus the office of the archivists, general managers and auditors; people at all
// four clearances; and records of every kind, each carrying distinctive marker strings. Every
// marker is registered with the set of people who may legitimately see it, so that the suite can
// read any response as any person and name what must not be there.
//
// To add a record kind: create it below through the API (as the people who would), then
// `secret(name, value, audience)` each distinctive string it carries — titles, names, codes and
// numbers with `identity(level)`, file names, digests, texts and people's details with
// `content(level, readers)` or an audience of its own — and `record(...)` its id with who may open
// it when a GET route takes it as a path parameter (the suite fills path parameters from these).

/** A person of the fixture, as the policy sees them. */
export interface LeakUser {
  login: string;
  roles: Role[];
  /** Department key (see DEPARTMENTS). */
  dept: Dept;
  /** Clearance rank: 0 普通, 1 秘密, 2 机密, 3 绝密. */
  rank: number;
  /** Read by the suite: everyone with something to hide from them. */
  low: boolean;
}

type Dept = 'sales' | 'east' | 'quality' | 'office';
const DEPARTMENTS: { key: Dept; name: string; code: string; parent: Dept | null }[] = [
  { key: 'sales', name: '销售部', code: 'XS', parent: null },
  { key: 'east', name: '华东销售组', code: 'HD', parent: 'sales' },
  { key: 'quality', name: '质量部', code: 'ZL', parent: null },
  { key: 'office', name: '综合办公室', code: 'ZH', parent: null },
];

// The three 绝密 overseers may see every marker (the general manager and the archivist see every
// record, the auditor the whole audit trail); the suite checks that they do and reads as the others.
export const LEAK_USERS: readonly LeakUser[] = [
  { login: 'sales_staff', roles: ['staff'], dept: 'sales', rank: 0, low: true },
  { login: 'east_staff', roles: ['staff'], dept: 'east', rank: 1, low: true },
  { login: 'sales_mgr', roles: ['department_manager'], dept: 'sales', rank: 0, low: true },
  { login: 'sales_conf', roles: ['staff'], dept: 'sales', rank: 2, low: true },
  { login: 'qa_staff', roles: ['staff', 'quality'], dept: 'quality', rank: 2, low: true },
  { login: 'qa_mgr', roles: ['department_manager'], dept: 'quality', rank: 3, low: true },
  { login: 'auditor_low', roles: ['auditor'], dept: 'office', rank: 0, low: true },
  { login: 'archivist_secret', roles: ['archivist'], dept: 'office', rank: 1, low: true },
  { login: 'gm_conf', roles: ['general_manager'], dept: 'office', rank: 2, low: true },
  { login: 'auditor_top', roles: ['auditor'], dept: 'office', rank: 3, low: false },
  { login: 'archivist_top', roles: ['archivist'], dept: 'office', rank: 3, low: false },
  // Signs the destruction register as head of the archive (its drafter may not, issue 12 item 8).
  { login: 'archivist_head', roles: ['archivist'], dept: 'office', rank: 3, low: false },
  { login: 'gm_top', roles: ['general_manager'], dept: 'office', rank: 3, low: false },
];
const ADMIN: LeakUser = { login: 'admin', roles: ['admin'], dept: 'office', rank: 3, low: false };
const CLEARANCE = ['normal', 'secret', 'confidential', 'top_secret'] as const;

// The policy, restated as plain predicates over the fixture's people (platform/policy). The suite
// compares what the application shows with what these allow.
type Audience = (u: LeakUser) => boolean;
const has = (u: LeakUser, ...roles: Role[]) => u.roles.some((r) => roles.includes(r));
/** The department and every department above it: whose people see its records (R-P2). */
function deptAndAbove(d: Dept): Dept[] {
  const out: Dept[] = [];
  for (let cur: Dept | null = d; cur; cur = DEPARTMENTS.find((x) => x.key === cur)?.parent ?? null)
    out.push(cur);
  return out;
}
const inScope = (u: LeakUser, d: Dept) => deptAndAbove(d).includes(u.dept);
const seesAll = (u: LeakUser) => has(u, 'general_manager', 'archivist');
/** Audit log readers see every entry within their clearance (R-L1). */
const readsAudit = (u: LeakUser) => has(u, 'auditor', 'admin');
const cleared =
  (level: number): Audience =>
  (u) =>
    u.rank >= level;
const any =
  (...as: Audience[]): Audience =>
  (u) =>
    as.some((a) => a(u));
const all =
  (...as: Audience[]): Audience =>
  (u) =>
    as.every((a) => a(u));
const logins =
  (...names: string[]): Audience =>
  (u) =>
    names.includes(u.login);
const roles =
  (...rs: Role[]): Audience =>
  (u) =>
    has(u, ...rs);

interface CustomerModel {
  level: number;
  dept: Dept;
  owners: string[];
}
const customerReaders =
  (c: CustomerModel): Audience =>
  (u) =>
    u.rank >= c.level && (seesAll(u) || inScope(u, c.dept) || c.owners.includes(u.login));

interface DocumentModel {
  /** Effective secrecy: the higher of its own and its customer's (R-P9). */
  level: number;
  dept: Dept;
  creator: string;
  shared: boolean;
  customer: CustomerModel | null;
}
const documentReaders =
  (d: DocumentModel): Audience =>
  (u) =>
    u.rank >= d.level &&
    (seesAll(u) ||
      inScope(u, d.dept) ||
      d.creator === u.login ||
      (!d.customer && d.shared) ||
      (!!d.customer && customerReaders(d.customer)(u)));

/** Titles, names, codes and numbers: the catalogue shows them across departments to everyone
 * cleared for the record (R-P2 asks for approval to *open* a record, not to know it exists). */
const identities = new WeakSet<Audience>();
const identity = (level: number): Audience => {
  const a = cleared(level);
  identities.add(a);
  return a;
};
/** Files, digests, texts, people's details: the record's readers, and the audit log's readers,
 * always within the record's effective secrecy. */
const content = (level: number, readers: Audience): Audience => all(cleared(level), any(readers, readsAudit));

export interface Secret {
  /** e.g. `D1.fileName`: the record's key and what the string is. */
  name: string;
  /** Titles, names, codes and numbers, by which the record itself is known. */
  identity: boolean;
  value: string;
  /** Logins that may see it. */
  seenBy: ReadonlySet<string>;
}

export interface FixtureRecord {
  key: string;
  kind:
    | 'customer'
    | 'document'
    | 'appraisal'
    | 'disposal'
    | 'request'
    | 'integrity_report'
    | 'job'
    | 'action'
    | 'case'
    | 'visit'
    | 'survey_template'
    | 'survey_campaign'
    | 'survey_response'
    | 'requirement'
    | 'distribution'
    | 'sr_symbol'
    | 'characteristic'
    | 'sr_list'
    | 'order'
    | 'project'
    | 'credit_investigation'
    | 'secrecy_change'
    | 'copy'
    | 'credit_admission';
  id: string;
  what: string;
  /** Logins that may open it (for everyone else its id must answer like one that does not exist). */
  readers: ReadonlySet<string>;
  /** Documents: their stored files. */
  files?: { id: string; name: string }[];
}

/** A search word and the record whose text it was taken from. */
export interface SearchWord {
  word: string;
  record: string;
  /** Taken from content (file text, contact) rather than identity: a reader who may not see that
   * content must not find the record by it, even where the record itself is shown. */
  contentSeenBy: ReadonlySet<string> | null;
}

export interface LeakFixture {
  t: TestApp;
  users: readonly LeakUser[];
  as: Record<string, Client>;
  secrets: Secret[];
  records: FixtureRecord[];
  words: SearchWord[];
  departments: Record<Dept, string>;
  userIds: Record<string, string>;
  /** Customer archives: secrecy and owners, for the counts of a handover. */
  customers: { key: string; level: number; owners: string[] }[];
  /** Filed records (档号): their number and effective secrecy, for the gap counts. */
  filed: { archiveNo: string; level: number }[];
  /** Archive codes the import probe uses: of a hidden archive and of none. */
  importCodes: { hidden: string; hiddenFor: string; absent: string };
  /** Signs everyone in again (after moving the clock). */
  signInAll(): Promise<void>;
}

const FAKE_CODE = 'KH20269999';

async function ok(res: Promise<LightMyRequestResponse> | LightMyRequestResponse, status = 200) {
  const r = await res;
  if (r.statusCode !== status)
    throw new Error(`leak fixture: expected ${status}, got ${r.statusCode}: ${r.body.slice(0, 500)}`);
  return r.json();
}

/** A one-page PDF whose text layer holds the given line. */
async function pdfWith(line: string): Promise<Buffer> {
  const bytes = await reportPdf({
    title: '说明',
    meta: [line],
    columns: [{ header: '项', width: 1 }],
    rows: [['1']],
    after: [],
    footer: 'leak fixture',
  });
  return Buffer.from(bytes);
}

export async function buildLeakFixture(t: TestApp): Promise<LeakFixture> {
  const departments = {} as Record<Dept, string>;
  for (const d of DEPARTMENTS) {
    const created = await createDepartment(t.system, {
      name: d.name,
      code: d.code,
      parentId: d.parent ? departments[d.parent] : null,
      sortOrder: 0,
    });
    departments[d.key] = created.id;
  }
  const userIds: Record<string, string> = {};
  for (const u of LEAK_USERS) {
    const { user } = await createUser(t.system, {
      login: u.login,
      name: u.login,
      email: null,
      phone: null,
      departmentId: departments[u.dept],
      roles: u.roles,
      clearance: CLEARANCE[u.rank] as (typeof CLEARANCE)[number],
      password: PASSWORD,
      mustChangePassword: false,
    });
    userIds[u.login] = user.id;
  }
  const everyone = [...LEAK_USERS, ADMIN];
  const loginOf = new Map(Object.entries(userIds).map(([login, id]) => [id, login]));
  const as: Record<string, Client> = {};
  const signInAll = async () => {
    for (const u of everyone) as[u.login] = await signIn(t.app, u.login);
  };
  await signInAll();
  const c = (login: string) => as[login] as Client;

  const secrets: Secret[] = [];
  const records: FixtureRecord[] = [];
  const words: SearchWord[] = [];
  const audienceSet = (a: Audience) =>
    new Set(everyone.filter((u) => u.login === 'admin' || a(u)).map((u) => u.login));
  const secret = (name: string, value: string, audience: Audience) => {
    if (secrets.some((s) => s.value === value)) throw new Error(`leak fixture: duplicate marker ${value}`);
    secrets.push({ name, value, identity: identities.has(audience), seenBy: audienceSet(audience) });
  };
  const markers = (key: string, audience: Audience, values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) secret(`${key}.${name}`, value, audience);
  };
  const record = (r: Omit<FixtureRecord, 'readers'>, readers: Audience) =>
    records.push({ ...r, readers: audienceSet(readers) });
  const word = (w: string, rec: string, contentAudience: Audience | null) =>
    words.push({
      word: w,
      record: rec,
      contentSeenBy: contentAudience ? audienceSet(contentAudience) : null,
    });

  // Customer archives ---------------------------------------------------------------------------
  const newCustomer = async (login: string, body: Record<string, unknown>) =>
    (await ok(c(login).post('/api/customers', { category: 'general', kind: 'business', ...body }), 201)) as {
      id: string;
      archiveCode: string;
    };
  // C2: an ordinary archive of 销售部 (control: everyone there sees it).
  const c2 = await newCustomer('sales_staff', { name: '常青公开贸易有限公司' });
  const c2Model: CustomerModel = { level: 0, dept: 'sales', owners: ['sales_staff'] };
  record(
    { key: 'C2', kind: 'customer', id: c2.id, what: '普通客户档案（销售部）' },
    customerReaders(c2Model),
  );

  // C1: a 机密 archive of 销售部 with contacts, an interaction and a change in its history.
  const c1 = await newCustomer('sales_conf', {
    name: '紫檀机密重工有限公司',
    secrecy: 'confidential',
    creditCode: uscc(880_001),
    legalRepresentative: '龙紫檀',
    registeredAddress: '紫檀路八十八号机密园',
    businessScope: '紫檀旧经营范围精密锻造',
    contacts: [{ name: '欧阳紫檀', mobile: '13911110001', notes: '紫檀联系人只在夜间联系' }],
  });
  const c1Model: CustomerModel = { level: 2, dept: 'sales', owners: ['sales_conf'] };
  const c1Content = content(2, customerReaders(c1Model));
  await ok(
    c('sales_conf').post(`/api/customers/${c1.id}/interactions`, {
      kind: 'visit',
      occurredOn: '2026-02-27',
      participants: '紫檀采购总监',
      summary: '紫檀密谈三季度降价百分之七',
    }),
    201,
  );
  await ok(
    c('sales_conf').patch(`/api/customers/${c1.id}`, {
      businessScope: '紫檀新经营范围航空锻件',
      note: '紫檀变更说明扩产',
    }),
  );
  record(
    { key: 'C1', kind: 'customer', id: c1.id, what: '机密客户档案（销售部）' },
    customerReaders(c1Model),
  );
  secret('C1.name', '紫檀机密重工有限公司', identity(2));
  secret('C1.archiveCode', c1.archiveCode, identity(2));
  markers('C1', c1Content, {
    creditCode: uscc(880_001),
    legalRepresentative: '龙紫檀',
    address: '紫檀路八十八号机密园',
    'history.old': '紫檀旧经营范围精密锻造',
    'history.new': '紫檀新经营范围航空锻件',
    'history.note': '紫檀变更说明扩产',
    'contact.name': '欧阳紫檀',
    'contact.mobile': '13911110001',
    'contact.notes': '紫檀联系人只在夜间联系',
    'interaction.summary': '紫檀密谈三季度降价百分之七',
    'interaction.participants': '紫檀采购总监',
  });
  word('紫檀机密', 'C1', null);
  word('阳紫檀', 'C1', c1Content);

  /** An archive with one contact, its markers and its search words. */
  const archive = async (
    key: string,
    what: string,
    model: CustomerModel,
    name: string,
    contact: { name: string; mobile: string },
    search: { name?: string; contact: string },
  ) => {
    const created = await newCustomer(model.owners[0] as string, {
      name,
      secrecy: CLEARANCE[model.level],
      contacts: [contact],
    });
    const seen = content(model.level, customerReaders(model));
    record({ key, kind: 'customer', id: created.id, what }, customerReaders(model));
    // An ordinary archive's name and code are known to all (the catalogue): only higher ones are.
    if (model.level > 0) {
      secret(`${key}.name`, name, identity(model.level));
      secret(`${key}.archiveCode`, created.archiveCode, identity(model.level));
    }
    secret(`${key}.contact.name`, contact.name, seen);
    secret(`${key}.contact.mobile`, contact.mobile, seen);
    if (search.name) word(search.name, key, null);
    word(search.contact, key, seen);
    return created;
  };
  // C3: an ordinary archive of 质量部: its name is no secret, its contact is (other department).
  const c3Model: CustomerModel = { level: 0, dept: 'quality', owners: ['qa_staff'] };
  const c3 = await archive(
    'C3',
    '普通客户档案（质量部）',
    c3Model,
    '松柏质检客户有限公司',
    { name: '司马松柏', mobile: '13922220002' },
    { contact: '马松柏' },
  );
  // C4: a 绝密 archive of 质量部, later put on hold.
  const c4Model: CustomerModel = { level: 3, dept: 'quality', owners: ['qa_mgr'] };
  const c4 = await archive(
    'C4',
    '绝密客户档案（质量部）',
    c4Model,
    '玄武绝密研究院',
    { name: '诸葛玄武', mobile: '13933330003' },
    { name: '玄武绝密', contact: '葛玄武' },
  );

  // Documents -----------------------------------------------------------------------------------
  const newDocument = async (login: string, body: Record<string, unknown>) =>
    (await ok(
      c(login).post('/api/documents', { category: 'records', source: 'internal', ...body }),
      201,
    )) as { id: string };
  const upload = async (login: string, docId: string, name: string, content: Buffer) =>
    (await ok(uploadFile(c(login), docId, name, content), 201)) as { id: string; sha256: string };
  const docModels = new Map<string, DocumentModel>();
  /** A copy's scanned signed paper receipt (or 交回单), recorded by the archivist: a PDF whose text is its name. */
  const scan = async (
    docId: string,
    copyId: string,
    kind: 'receipt' | 'return',
    name: string,
    signedBy: string,
  ) =>
    ok(
      c('archivist_top').inject({
        method: 'POST',
        url: `/api/documents/${docId}/copies/${copyId}/scans?${new URLSearchParams({
          name: `${name}.pdf`,
          kind,
          signedBy,
          signedOn: '2026-03-01',
        })}`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: await pdfWith(name),
      }),
      201,
    );

  // D5: an ordinary record of C2, filed first in the sequence D1 is filed in. D5 and D1 are kept
  // by 质量部, whose 绝密 manager signs their destruction as head of their department.
  const d5 = await newDocument('sales_staff', {
    title: '常青公开发货记录',
    category: 'customer_supplied',
    source: 'customer',
    customerId: c2.id,
    departmentId: departments.quality,
    issueDate: '2010-03-01',
    retention: 'D10',
  });
  await upload('sales_staff', d5.id, '常青发货单.txt', Buffer.from('常青公开内容发货五十件'));

  // D1: an ordinary (普通) record inside the 机密 archive C1 — 机密 for every reader (R-P9).
  const d1 = await newDocument('sales_conf', {
    title: '紫檀总装图纸ZT100',
    docNumber: 'ZT-DWG-7781',
    responsibleParty: '紫檀设计院',
    category: 'customer_supplied',
    source: 'customer',
    customerId: c1.id,
    departmentId: departments.quality,
    carrier: 'both',
    location: '紫檀柜三号盒',
    issueDate: '2010-06-01',
    retention: 'D10',
    remarks: '紫檀备注旧版图纸',
  });
  const d1Model: DocumentModel = {
    level: 2,
    dept: 'quality',
    creator: 'sales_conf',
    shared: false,
    customer: c1Model,
  };
  const d1Content = content(2, documentReaders(d1Model));
  const d1Pdf = await upload(
    'sales_conf',
    d1.id,
    '紫檀工艺说明.pdf',
    await pdfWith('紫檀淬火温度九百一十度'),
  );
  const d1CardBytes = Buffer.from('紫檀工艺卡热处理保温四小时');
  const d1Card = await upload('sales_conf', d1.id, '紫檀工艺卡.txt', d1CardBytes);
  await ok(c('sales_conf').patch(`/api/documents/${d1.id}`, { remarks: '紫檀备注新版图纸' }));
  markers('D1', identity(2), {
    title: '紫檀总装图纸ZT100',
    docNumber: 'ZT-DWG-7781',
    responsibleParty: '紫檀设计院',
  });
  markers('D1', d1Content, {
    location: '紫檀柜三号盒',
    'remarks.old': '紫檀备注旧版图纸',
    'remarks.new': '紫檀备注新版图纸',
    'pdf.fileName': '紫檀工艺说明.pdf',
    'pdf.digest': d1Pdf.sha256,
    'pdf.text': '紫檀淬火温度九百一十度',
    'card.fileName': '紫檀工艺卡.txt',
    'card.digest': d1Card.sha256,
    'card.text': '紫檀工艺卡热处理保温四小时',
  });
  word('总装图纸', 'D1', null);
  word('淬火温度', 'D1', d1Content);
  word('热处理保温', 'D1', d1Content);

  /** A record with one text file, its markers and its search words. */
  const textDocument = async (
    key: string,
    model: DocumentModel,
    fields: { title: string; docNumber?: string } & Record<string, unknown>,
    file: { name: string; text: string },
    search: { title?: string; text: string },
  ) => {
    const doc = await newDocument(model.creator, {
      ...fields,
      secrecy: CLEARANCE[model.level],
      departmentId: departments[model.dept],
    });
    const stored = await upload(model.creator, doc.id, file.name, Buffer.from(file.text));
    const seen = content(model.level, documentReaders(model));
    // An ordinary record's title is known to all (the catalogue): only higher ones are markers.
    if (model.level > 0) secret(`${key}.title`, fields.title, identity(model.level));
    if (fields.docNumber) secret(`${key}.docNumber`, fields.docNumber, identity(model.level));
    secret(`${key}.fileName`, file.name, seen);
    secret(`${key}.digest`, stored.sha256, seen);
    secret(`${key}.text`, file.text, seen);
    if (search.title) word(search.title, key, null);
    word(search.text, key, seen);
    docModels.set(doc.id, model);
    return doc;
  };
  const ownRecord = { shared: false, customer: null };
  // D2: a 秘密 record of 销售部 (no customer), paper and electronic.
  const d2 = await textDocument(
    'D2',
    { ...ownRecord, level: 1, dept: 'sales', creator: 'sales_conf' },
    {
      title: '青松报价策略',
      docNumber: 'QS-BJ-2026',
      carrier: 'both',
      issueDate: '2012-05-01',
      retention: 'D10',
    },
    { name: '青松报价底线.txt', text: '青松底价每吨四千二百元' },
    { title: '报价策略', text: '四千二百' },
  );
  // D3: an ordinary record of 质量部: known by title to all, its content only to 质量部.
  const d3 = await textDocument(
    'D3',
    { ...ownRecord, level: 0, dept: 'quality', creator: 'qa_staff' },
    { title: '松柏内审记录', issueDate: '2014-05-01', retention: 'D10' },
    { name: '松柏内审不符合项.txt', text: '松柏内审焊接工位三处不符合' },
    { text: '焊接工位' },
  );
  // D4: a 绝密 record of 质量部.
  const d4 = await textDocument(
    'D4',
    { ...ownRecord, level: 3, dept: 'quality', creator: 'qa_mgr' },
    { title: '玄武绝密配方' },
    { name: '玄武配方.txt', text: '玄武配方钛百分之三十' },
    { title: '绝密配方', text: '钛百分之' },
  );
  // A 密级变更 request on D4 (R-P10): its reason and its 审批表 are as secret as D4 (the reason
  // is in the audit trail too, for auditors cleared for it).
  const d4Readers = documentReaders(docModels.get(d4.id) as DocumentModel);
  const mc1Reason = '玄武配方降密缘由青鸾';
  markers('MC1', content(3, d4Readers), { reason: mc1Reason });
  const mc1 = await ok(
    c('archivist_top').post(`/api/documents/${d4.id}/secrecy-changes`, {
      toLevel: 'confidential',
      toTerm: '10年',
      reason: mc1Reason,
    }),
    201,
  );
  record({ key: 'MC1', kind: 'secrecy_change', id: mc1.id, what: '密级变更申请（绝密文件 D4）' }, d4Readers);
  await drainJobs();
  docModels.set(d1.id, d1Model);
  docModels.set(d5.id, {
    level: 0,
    dept: 'quality',
    creator: 'sales_staff',
    shared: false,
    customer: c2Model,
  });

  // Filing (档号): D5 then D1 in the same sequence, so D1's number is the last one issued.
  await ok(c('archivist_top').post(`/api/documents/${d5.id}/file`));
  const d1Filed = await ok(c('archivist_top').post(`/api/documents/${d1.id}/file`));
  secret('D1.archiveNo', d1Filed.archiveNo, identity(2));
  const d5Filed = await ok(c('archivist_top').get(`/api/documents/${d5.id}`));
  const filed = [
    { archiveNo: d5Filed.archiveNo as string, level: 0 },
    { archiveNo: d1Filed.archiveNo as string, level: 2 },
  ];

  // D6: a paper record inside C1, distributed and then withdrawn: its copy waits to be recalled.
  const d6 = await newDocument('sales_conf', {
    title: '紫檀旧版检验规范',
    category: 'customer_supplied',
    source: 'customer',
    customerId: c1.id,
    departmentId: departments.sales,
    carrier: 'paper',
    versionLabel: 'A',
    productionUse: true,
  });
  const d6Model: DocumentModel = {
    level: 2,
    dept: 'sales',
    creator: 'sales_conf',
    shared: false,
    customer: c1Model,
  };
  docModels.set(d6.id, d6Model);
  const d6Content = content(2, documentReaders(d6Model));
  // The customer's signed authorisation (R-D5, issue 18): its file (whose text is its name), name,
  // digest and signatory are D6's content.
  const d6Authorization = await pdfWith('紫檀客户授权书扫描件');
  await ok(
    c('archivist_top').inject({
      method: 'POST',
      url: `/api/documents/${d6.id}/authorization?${new URLSearchParams({
        name: '紫檀客户授权书扫描件.pdf',
        signedBy: '紫檀授权人甲',
        signedOn: '2026-02-20',
      })}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: d6Authorization,
    }),
    201,
  );
  secret('D6.authorization.name', '紫檀客户授权书扫描件', d6Content);
  secret('D6.authorization.signedBy', '紫檀授权人甲', d6Content);
  secret('D6.authorization.digest', createHash('sha256').update(d6Authorization).digest('hex'), d6Content);
  const [d6Copy] = (await ok(
    c('archivist_top').post(`/api/documents/${d6.id}/copies`, {
      mark: 'customer',
      recipients: [{ departmentId: departments.quality }],
      note: '紫檀分发给质检备查',
    }),
    201,
  )) as { id: string }[];
  await ok(c('archivist_top').post(`/api/documents/${d6.id}/obsolete`, { reason: '紫檀作废原因客户换版' }));
  secret('D6.title', '紫檀旧版检验规范', identity(2));
  secret('D6.copy.note', '紫檀分发给质检备查', d6Content);
  secret('D6.obsoleteReason', '紫檀作废原因客户换版', d6Content);
  // Its copy, to be recalled, signed back on paper: the scanned 交回单 (text: its name) and who
  // signed it are D6's content; the scan is read by the archivists cleared for D6 and by the
  // managers of the receiving department who see D6 (none of 质量部's: C1 is 销售部's archive).
  await scan(d6.id, (d6Copy as { id: string }).id, 'return', '紫檀交回单扫描件', '紫檀交回人乙');
  secret('D6.returnScan.name', '紫檀交回单扫描件', d6Content);
  secret('D6.returnScan.signedBy', '紫檀交回人乙', d6Content);
  record(
    { key: 'D6.copy', kind: 'copy', id: (d6Copy as { id: string }).id, what: '机密客户文件的副本' },
    documentReaders(d6Model),
  );

  // D7: a 秘密 product standard of 质量部 (a shared category: every reader cleared for 秘密 sees it)
  // whose 保密期限 ended (on the 解密/降密 review list), checked for currency (查新) with a note,
  // and distributed to 华东's staff member, whose signed paper receipt the archivist scanned.
  const d7Model: DocumentModel = {
    level: 1,
    dept: 'quality',
    creator: 'qa_staff',
    shared: true,
    customer: null,
  };
  const d7Content = content(1, documentReaders(d7Model));
  const d7 = await newDocument('qa_staff', {
    title: '银杏紧固件产品标准',
    docNumber: 'YX-GB-2019',
    category: 'product_standards',
    source: 'standards_body',
    departmentId: departments.quality,
    carrier: 'paper',
    versionLabel: '2019版',
    receivedDate: '2024-06-01',
    secrecy: 'secret',
    secrecyTerm: { kind: 'until', until: '2026-01-31' },
  });
  docModels.set(d7.id, d7Model);
  secret('D7.title', '银杏紧固件产品标准', identity(1));
  secret('D7.docNumber', 'YX-GB-2019', identity(1));
  await ok(
    c('qa_staff').post(`/api/documents/${d7.id}/standard-checks`, {
      checkedOn: '2026-03-01',
      note: '银杏查新备注仍为现行版',
    }),
    201,
  );
  secret('D7.standardCheck.note', '银杏查新备注仍为现行版', d7Content);
  const [d7Copy] = (await ok(
    c('archivist_top').post(`/api/documents/${d7.id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: userIds.east_staff }],
    }),
    201,
  )) as { id: string }[];
  await scan(d7.id, (d7Copy as { id: string }).id, 'receipt', '银杏签收单扫描件', '银杏签收人丙');
  secret('D7.receiptScan.name', '银杏签收单扫描件', d7Content);
  secret('D7.receiptScan.signedBy', '银杏签收人丙', d7Content);
  record(
    { key: 'D7.copy', kind: 'copy', id: (d7Copy as { id: string }).id, what: '秘密标准的副本' },
    documentReaders(d7Model),
  );

  // D8: a 机密 work instruction of 质量部 (a shared category) drafted and sent for 审核 (issue 18): on
  // its reviewer's list of versions to sign (the 绝密 manager of 质量部), and on no one else's — not
  // on the 普通 managers' nor the 秘密 archivist's, below its level.
  const d8Model: DocumentModel = {
    level: 2,
    dept: 'quality',
    creator: 'qa_staff',
    shared: true,
    customer: null,
  };
  const d8 = await newDocument('qa_staff', {
    title: '柏木机密作业指导书',
    category: 'procedures',
    departmentId: departments.quality,
    versionLabel: 'A/0',
    secrecy: 'confidential',
  });
  docModels.set(d8.id, d8Model);
  const d8Upload = await upload('qa_staff', d8.id, '柏木作业步骤.txt', Buffer.from('柏木作业步骤第七步保压'));
  const d8Draft = (
    (await ok(c('qa_staff').get(`/api/documents/${d8.id}`))).versions as { id: string; status: string }[]
  ).find((v) => v.status === 'draft') as { id: string };
  await ok(c('qa_staff').post(`/api/documents/${d8.id}/versions/${d8Draft.id}/submit`));
  secret('D8.title', '柏木机密作业指导书', identity(2));
  const d8Seen = content(2, documentReaders(d8Model));
  secret('D8.fileName', '柏木作业步骤', d8Seen);
  secret('D8.digest', d8Upload.sha256, d8Seen);

  // Access requests ------------------------------------------------------------------------------
  const overseers = roles('archivist', 'general_manager', 'auditor');
  // R1: 华东 asks to read the 秘密 D2 of 销售部: the first step is the 普通 manager of 销售部.
  const r1 = await ok(
    c('east_staff').post('/api/access-requests', {
      mode: 'electronic',
      purpose: 'read',
      reason: '青松申请华东核对报价',
      items: [{ targetType: 'document', targetId: d2.id }],
    }),
    201,
  );
  const r1Readers = all(cleared(1), any(logins('east_staff'), overseers));
  record({ key: 'R1', kind: 'request', id: r1.id, what: '借阅申请（秘密文件）' }, r1Readers);
  secret('R1.number', r1.number, r1Readers);
  secret('R1.reason', '青松申请华东核对报价', r1Readers);

  // R2: 质量部 borrows the paper of D1 (机密) and D2 for an outside auditor, with a letter.
  const letterPdf = await pdfWith('紫檀介绍信正文兹介绍');
  const letter = await ok(
    c('qa_staff').inject({
      method: 'POST',
      url: `/api/access-requests/letters?name=${encodeURIComponent('紫檀介绍信.pdf')}`,
      payload: letterPdf,
      headers: { 'content-type': 'application/octet-stream' },
    }),
    201,
  );
  const r2 = await ok(
    c('qa_staff').post('/api/access-requests', {
      mode: 'physical',
      purpose: 'borrow',
      days: 7,
      reason: '紫檀借阅理由外审核查',
      items: [
        { targetType: 'document', targetId: d1.id },
        { targetType: 'document', targetId: d2.id },
      ],
      external: { organisation: '紫檀外审事务所', person: '紫檀外审员' },
      letter: { sha256: letter.sha256, name: '紫檀介绍信.pdf' },
    }),
    201,
  );
  await ok(
    c('qa_mgr').post(`/api/access-requests/${r2.id}/decisions`, {
      decision: 'approve',
      comment: '紫檀部门意见同意外审',
    }),
  );
  await ok(c('gm_top').post(`/api/access-requests/${r2.id}/decisions`, { decision: 'approve' }));
  const r2Detail = await ok(c('archivist_top').get(`/api/access-requests/${r2.id}`));
  const d1Item = (r2Detail.items as { id: string; targetId: string }[]).find((i) => i.targetId === d1.id);
  await ok(
    c('archivist_top').post(`/api/access-requests/${r2.id}/loans`, {
      itemIds: [d1Item?.id],
      conditionOut: '紫檀借出完好十二页',
    }),
    201,
  );
  const r2Readers = all(cleared(2), any(logins('qa_staff', 'qa_mgr', 'gm_top'), overseers));
  // A record's readers see its lending history (借阅记录): number, borrower, condition.
  const d1History = any(r2Readers, all(cleared(2), documentReaders(d1Model)));
  record({ key: 'R2', kind: 'request', id: r2.id, what: '外借申请（机密文件，带介绍信）' }, r2Readers);
  secret('R2.number', r2.number, d1History);
  secret('R2.reason', '紫檀借阅理由外审核查', r2Readers);
  secret('R2.external.organisation', '紫檀外审事务所', d1History);
  secret('R2.external.person', '紫檀外审员', d1History);
  secret('R2.letter.name', '紫檀介绍信.pdf', r2Readers);
  secret('R2.letter.text', '紫檀介绍信正文兹介绍', r2Readers);
  secret('R2.decision.comment', '紫檀部门意见同意外审', r2Readers);
  secret('R2.loan.conditionOut', '紫檀借出完好十二页', d1History);

  // Appraisal and destruction --------------------------------------------------------------------
  const appraisal = await ok(
    c('archivist_top').post('/api/appraisals', {
      title: '2010年到期档案鉴定',
      memberIds: [userIds.archivist_top, userIds.qa_mgr],
      documentIds: [d5.id, d1.id],
    }),
    201,
  );
  const itemIds = (appraisal.items as { id: string }[]).map((i) => i.id);
  for (const login of ['archivist_top', 'qa_mgr'])
    await ok(
      c(login).put(`/api/appraisals/${appraisal.id}/opinions`, {
        opinions: itemIds.map((itemId) => ({ itemId, decision: 'destroy' })),
      }),
    );
  await ok(c('archivist_top').post(`/api/appraisals/${appraisal.id}/conclude`));
  record(
    { key: 'A1', kind: 'appraisal', id: appraisal.id, what: '鉴定（含机密客户的文件）' },
    any(overseers, logins('archivist_top', 'qa_mgr')),
  );

  const disposal = await ok(
    c('archivist_top').post('/api/disposals', { title: '2010年档案销毁清册', itemIds }),
    201,
  );
  await ok(c('archivist_top').post(`/api/disposals/${disposal.id}/submit`));
  for (const login of ['archivist_head', 'qa_mgr', 'gm_top'])
    await ok(
      c(login).post(`/api/disposals/${disposal.id}/signatures`, { decision: 'approve', opinion: '同意' }),
    );
  // A hold placed after the signatures blocks D1 at destruction, with its reason on the register.
  await ok(
    c('archivist_top').post('/api/holds', {
      targetType: 'document',
      targetId: d1.id,
      kind: 'litigation',
      reason: '紫檀专利诉讼冻结',
    }),
    201,
  );
  await ok(
    c('gm_top').post('/api/holds', {
      targetType: 'customer',
      targetId: c4.id,
      kind: 'audit',
      reason: '玄武税务稽查冻结',
    }),
    201,
  );
  const witnesses = ['qa_staff', 'sales_conf'];
  const destroyed = await ok(
    c('archivist_top').post(`/api/disposals/${disposal.id}/destroy`, {
      witnessIds: witnesses.map((w) => userIds[w]),
    }),
  );
  const toCheck = (destroyed.items as { id: string; status: string }[])
    .filter((i) => i.status !== 'blocked')
    .map((i) => i.id);
  for (const login of witnesses)
    await ok(c(login).post(`/api/disposals/${disposal.id}/witness`, { checkedItemIds: toCheck }));
  const disposalReaders = any(overseers, roles('department_manager'), logins(...witnesses));
  record(
    { key: 'X1', kind: 'disposal', id: disposal.id, what: '销毁清册（含机密客户的文件）' },
    disposalReaders,
  );
  // Who may see a hold's reason: the record's readers, those who follow holds, and the readers of
  // a register the hold blocked — all within the record's clearance.
  secret(
    'H1.reason',
    '紫檀专利诉讼冻结',
    content(2, any(documentReaders(d1Model), roles('archivist', 'general_manager'), disposalReaders)),
  );
  secret('H2.reason', '玄武税务稽查冻结', content(3, any(customerReaders(c4Model), overseers)));

  // Integrity: D1's card changes on disk; the check names it.
  const blob = new BlobStore(t.dataDir).pathOf(d1Card.sha256);
  fs.chmodSync(blob, 0o644);
  fs.writeFileSync(blob, '篡改后的内容');
  const check = await ok(c('archivist_top').post('/api/integrity/checks'), 202);
  await drainJobs();
  const report = await ok(c('archivist_top').get('/api/integrity/checks/latest'));
  if (!(report.findings as { documentId: string }[]).some((f) => f.documentId === d1.id))
    throw new Error('leak fixture: the integrity check did not name D1');
  record(
    { key: 'I1', kind: 'integrity_report', id: report.id, what: '完整性检查报告' },
    roles('admin', 'archivist', 'auditor'),
  );
  record({ key: 'J1', kind: 'job', id: check.job.id, what: '完整性检查任务' }, logins('archivist_top'));

  // An import by the 普通 manager of 销售部 (its job and error sheet are routes of their own).
  const sheet = await xlsx([
    ['档案编号', '客户名称*', '统一社会信用代码', '客户类别*', '客户种类*'],
    ['', '常青导入客户有限公司', '', '一般客户', '业务客户'],
    ['', '常青类别错误公司', '', '贵宾客户', '业务客户'],
  ]);
  const { payload, headers } = multipart('常青导入.xlsx', sheet);
  const imported = await ok(
    c('sales_mgr').inject({ method: 'POST', url: '/api/customers/imports?dryRun=true', payload, headers }),
    202,
  );
  await drainJobs();
  record({ key: 'J2', kind: 'job', id: imported.job.id, what: '导入任务' }, logins('sales_mgr'));

  // Every document, including the papers the system filed (appraisal report, register), with its
  // files: the suite downloads each as each person.
  const categories = (await ok(c('admin').get('/api/document-config/categories'))) as {
    code: string;
    shared: boolean;
  }[];
  const deptOf = new Map(Object.entries(departments).map(([k, id]) => [id, k as Dept]));
  const custModels = new Map<string, CustomerModel>([
    [c1.id, c1Model],
    [c2.id, c2Model],
    [c3.id, c3Model],
    [c4.id, c4Model],
  ]);
  const docs = (await ok(c('gm_top').get('/api/documents?limit=200'))).items as {
    id: string;
    title: string;
  }[];
  const names: Record<string, string> = {
    [d1.id]: 'D1',
    [d2.id]: 'D2',
    [d3.id]: 'D3',
    [d4.id]: 'D4',
    [d5.id]: 'D5',
    [d6.id]: 'D6',
    [d7.id]: 'D7',
    [d8.id]: 'D8',
  };
  let extra = 0;
  for (const listed of docs) {
    const d = await ok(c('gm_top').get(`/api/documents/${listed.id}`));
    const model: DocumentModel = docModels.get(d.id) ?? {
      level: Math.max(
        CLEARANCE.indexOf(d.secrecy),
        d.customer ? (custModels.get(d.customer.id)?.level ?? 3) : 0,
      ),
      dept: deptOf.get(d.departmentId) ?? 'office',
      creator: loginOf.get(d.createdBy?.id) ?? '',
      shared: categories.find((k) => k.code === d.category)?.shared ?? false,
      customer: d.customer ? (custModels.get(d.customer.id) ?? null) : null,
    };
    const files = (d.versions as { files: { id: string; name: string }[] }[]).flatMap((v) =>
      v.files.map((f) => ({ id: f.id, name: f.name })),
    );
    const key = names[d.id] ?? `P${++extra}`;
    record(
      { key, kind: 'document', id: d.id, what: `${CLEARANCE[model.level]} 文件 ${d.title}`, files },
      documentReaders(model),
    );
  }
  if (extra < 2) throw new Error('leak fixture: the appraisal report and the register were not filed');

  // Complaints (R-Q*) -------------------------------------------------------------------------
  // A case is seen within the higher of its own and its archive's secrecy by quality, the general
  // managers, whoever sees its archive, its receiver and handler and their departments.
  const caseReaders =
    (m: {
      level: number;
      customer: CustomerModel;
      receiver: string;
      handler: string | null;
      dept: Dept;
    }): Audience =>
    (u) =>
      u.rank >= m.level &&
      (has(u, 'quality', 'general_manager', 'deputy_general_manager') ||
        customerReaders(m.customer)(u) ||
        u.login === m.receiver ||
        u.login === m.handler ||
        inScope(u, m.dept));
  // K1: a complaint in the 机密 archive C1, received by its owner, with an attachment.
  const k1 = (await ok(
    c('sales_conf').post('/api/cases', {
      kind: 'complaint',
      type: 'quality',
      customerId: c1.id,
      channel: 'phone',
      contactName: '紫檀投诉联系人',
      product: '紫檀投诉产品曲轴',
      content: '紫檀投诉曲轴断裂三件',
      demand: '紫檀诉求索赔十万元',
    }),
    201,
  )) as { id: string; number: string };
  const k1File = (await ok(
    c('sales_conf').inject({
      method: 'POST',
      url: `/api/cases/${k1.id}/files?name=${encodeURIComponent('紫檀投诉照片.txt')}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('紫檀投诉照片内容断口'),
    }),
    201,
  )) as { id: string; sha256: string };
  const k1Readers = caseReaders({
    level: 2,
    customer: c1Model,
    receiver: 'sales_conf',
    handler: null,
    dept: 'sales',
  });
  record(
    {
      key: 'K1',
      kind: 'case',
      id: k1.id,
      what: '投诉（机密客户）',
      files: [{ id: k1File.id, name: '紫檀投诉照片.txt' }],
    },
    k1Readers,
  );
  markers('K1', content(2, k1Readers), {
    number: k1.number,
    contact: '紫檀投诉联系人',
    product: '紫檀投诉产品曲轴',
    content: '紫檀投诉曲轴断裂三件',
    demand: '紫檀诉求索赔十万元',
    'file.name': '紫檀投诉照片.txt',
    'file.digest': k1File.sha256,
  });
  word('曲轴断裂', 'K1', content(2, k1Readers));
  // K1's corrective action: seen exactly where K1 is.
  const a1 = (await ok(
    c('qa_staff').post(`/api/cases/${k1.id}/actions`, {
      kind: 'corrective',
      description: '紫檀措施更换锻造模具',
      ownerId: userIds.sales_conf,
      dueDays: 5,
    }),
    201,
  )) as { id: string };
  record({ key: 'A1K', kind: 'action', id: a1.id, what: '纠正措施（机密客户的投诉）' }, k1Readers);
  secret('A1K.description', '紫檀措施更换锻造模具', content(2, k1Readers));
  // K2: an ordinary complaint in 质量部's archive C3, received there: 销售部 sees none of it.
  const k2 = (await ok(
    c('qa_staff').post('/api/cases', {
      kind: 'complaint',
      type: 'delivery',
      customerId: c3.id,
      channel: 'email',
      content: '松柏投诉交期延误两周',
    }),
    201,
  )) as { id: string; number: string };
  const k2Readers = caseReaders({
    level: 0,
    customer: c3Model,
    receiver: 'qa_staff',
    handler: null,
    dept: 'quality',
  });
  record({ key: 'K2', kind: 'case', id: k2.id, what: '投诉（质量部客户）' }, k2Readers);
  markers('K2', content(0, k2Readers), { number: k2.number, content: '松柏投诉交期延误两周' });
  word('交期延误', 'K2', content(0, k2Readers));

  // Follow-up visits (R-V1, R-V2) -------------------------------------------------------------------
  // A visit task is seen where its archive is, and by its assignee within their clearance.
  const today = todayInShanghai(t.clock.now());
  // V1: a visit done in the 机密 archive C1 (its record is also a call in C1's timeline).
  const v1 = (await ok(
    c('sales_conf').post('/api/visits', {
      customerId: c1.id,
      dueDate: today,
      way: 'phone',
      note: '紫檀回访备注带样品',
    }),
    201,
  )) as { id: string };
  await ok(
    c('sales_conf').post(`/api/visits/${v1.id}/complete`, {
      way: 'phone',
      visitedOn: today,
      contact: '紫檀回访对象欧阳',
      content: '紫檀回访内容谈续约',
      feedback: '紫檀客户意见嫌交期慢',
      nextStep: '紫檀回访下一步报价',
    }),
  );
  const v1Readers = customerReaders(c1Model);
  record({ key: 'V1', kind: 'visit', id: v1.id, what: '回访任务（机密客户，已回访）' }, v1Readers);
  markers('V1', content(2, v1Readers), {
    note: '紫檀回访备注带样品',
    contact: '紫檀回访对象欧阳',
    content: '紫檀回访内容谈续约',
    feedback: '紫檀客户意见嫌交期慢',
    nextStep: '紫檀回访下一步报价',
  });
  // V2: an open visit of C1 due today; the daily reminder tells its visitor, naming C1.
  const v2 = (await ok(
    c('sales_conf').post('/api/visits', {
      customerId: c1.id,
      dueDate: today,
      way: 'onsite',
      note: '紫檀上门回访安排',
    }),
    201,
  )) as { id: string };
  record({ key: 'V2', kind: 'visit', id: v2.id, what: '回访任务（机密客户，待回访）' }, v1Readers);
  secret('V2.note', '紫檀上门回访安排', content(2, v1Readers));
  await visitDaily(t.system);
  // V3: a visit of 质量部's C3 given to east_staff (华东销售组), who sees it though not C3 itself.
  const v3 = (await ok(
    c('qa_staff').post('/api/visits', {
      customerId: c3.id,
      dueDate: today,
      way: 'phone',
      assigneeId: userIds.east_staff,
      note: '松柏回访委托华东',
    }),
    201,
  )) as { id: string };
  const v3Readers: Audience = any(customerReaders(c3Model), (u) => u.login === 'east_staff');
  record(
    { key: 'V3', kind: 'visit', id: v3.id, what: '回访任务（质量部客户，指派给华东销售组）' },
    v3Readers,
  );
  secret('V3.note', '松柏回访委托华东', content(0, v3Readers));

  // Satisfaction surveys (R-V3) ---------------------------------------------------------------------
  // A form is no secret; a campaign is followed by the survey readers and seen by whoever sees
  // an archive it invited; an answered form is seen exactly where its archive is. The campaign
  // is written straight into the database (its filters choose filed archives only, and the
  // fixture's archives are drafts), then sent and answered through the API.
  const forms = (await ok(c('gm_top').get('/api/surveys/templates'))).items as { id: string; key: string }[];
  for (const form of forms)
    record({ key: `T-${form.key}`, kind: 'survey_template', id: form.id, what: '调查问卷' }, () => true);
  const s1 = newId();
  const stamp = t.clock.now().toISOString();
  await t.database.db
    .insertInto('survey_campaigns')
    .values({
      id: s1,
      number: 'MY2026-90',
      name: '泄漏测试满意度调查',
      template_id: forms.find((x) => x.key === 'satisfaction')?.id as string,
      status: 'draft',
      filters: JSON.stringify({
        categories: [],
        grades: [],
        kinds: [],
        departmentIds: [],
        boughtLast12Months: false,
      }),
      period_label: today.slice(0, 4),
      closes_on: `${today.slice(0, 4)}-12-31`,
      remind_after_days: 0,
      low_index: 60,
      intro: null,
      created_at: stamp,
      created_by: userIds.gm_top as string,
      sent_at: null,
      sent_by: null,
      closed_at: null,
      closed_by: null,
      updated_at: stamp,
    })
    .execute();
  const invite = (customerId: string, dept: Dept, owner: string) => ({
    id: newId(),
    campaign_id: s1,
    customer_id: customerId,
    contact_id: null,
    contact_name: null,
    email: null,
    token_key: null,
    department_id: departments[dept],
    owner_id: userIds[owner] as string,
    mail_due_at: null,
    mailed_at: null,
    mail_attempts: 0,
    mail_retry_at: null,
    mail_error: null,
    sent_at: null,
    reminders: 0,
    reminded_at: null,
    opened_at: null,
    answered_at: null,
    response_id: null,
    created_at: stamp,
  });
  // Answered forms are seen where their archive is, and by those who run surveys (quality, the
  // general managers) within their clearance.
  const surveyReaders =
    (m: CustomerModel): Audience =>
    (u) =>
      customerReaders(m)(u) ||
      (u.rank >= m.level && has(u, 'quality', 'general_manager', 'deputy_general_manager'));
  const s1c1 = invite(c1.id, 'sales', 'sales_conf');
  const s1c3 = invite(c3.id, 'quality', 'qa_staff');
  await t.database.db.insertInto('survey_invitations').values([s1c1, s1c3]).execute();
  await ok(c('gm_top').post(`/api/surveys/campaigns/${s1}/send`));
  record(
    { key: 'S1', kind: 'survey_campaign', id: s1, what: '满意度调查（邀请机密客户 C1 与质量部 C3）' },
    any(
      roles('quality', 'general_manager', 'deputy_general_manager', 'department_manager'),
      customerReaders(c1Model),
      customerReaders(c3Model),
    ),
  );
  // S1R: C1's answer, typed in by its owner: a 较差 opens a corrective action for the owner (the
  // manager of 销售部 is not cleared for the archive), and the form is filed in the archive.
  const s1r = (await ok(
    c('sales_conf').post(`/api/surveys/invitations/${s1c1.id}/response`, {
      channel: 'phone',
      contactName: null,
      answeredOn: today,
      answers: [
        { key: 'attitude', level: 'poor' },
        { key: 'skill', level: 'satisfied' },
        { key: 'timeliness', level: 'satisfied' },
        { key: 'promises', level: 'satisfied' },
        { key: 'overall', level: 'average' },
        { key: 'suggestions', text: '紫檀满意度意见包装破损' },
      ],
    }),
    201,
  )) as { id: string; action: { id: string } | null; document: { archiveNo: string | null } | null };
  record(
    { key: 'S1R', kind: 'survey_response', id: s1r.id, what: '满意度调查答复（机密客户 C1）' },
    surveyReaders(c1Model),
  );
  secret('S1R.suggestions', '紫檀满意度意见包装破损', content(2, surveyReaders(c1Model)));
  if (!s1r.action) throw new Error('leak fixture: the 较差 answer opened no corrective action');
  record(
    { key: 'AS1', kind: 'action', id: s1r.action.id, what: '满意度纠正措施（机密客户 C1）' },
    surveyReaders(c1Model),
  );
  if (s1r.document?.archiveNo) filed.push({ archiveNo: s1r.document.archiveNo, level: 2 });

  // Customer special requirements (R-S1, R-S2) -----------------------------------------------------
  // A requirement is seen where its archive is, by the departments asked to review it, and by
  // quality and the general managers (who keep every customer's matrix), within the higher of
  // its own and its archive's secrecy.
  const srOverseers =
    (level: number): Audience =>
    (u) =>
      u.rank >= level && has(u, 'quality', 'general_manager', 'deputy_general_manager');
  // S1: a requirement of the 机密 archive C1, given to 质量部 to review.
  const sr1 = (await ok(
    c('sales_conf').post('/api/special-requirements', {
      customerId: c1.id,
      category: 'packaging',
      title: '紫檀特殊要求防锈包装',
      text: '紫檀要求出口件真空防锈包装七十二小时',
      receivedOn: today,
      partNumbers: ['ZT-紫檀-001'],
    }),
    201,
  )) as { id: string; number: string };
  await ok(
    c('sales_conf').post(`/api/special-requirements/${sr1.id}/reviews`, {
      departmentIds: [departments.quality],
      note: '紫檀评审请求说明',
    }),
  );
  const s1Readers: Audience = any(
    customerReaders(c1Model),
    (u) => inScope(u, 'quality') && u.rank >= 2,
    srOverseers(2),
  );
  record(
    { key: 'S1', kind: 'requirement', id: sr1.id, what: '顾客特殊要求（机密客户，质量部评审）' },
    s1Readers,
  );
  markers('S1', content(2, s1Readers), {
    title: '紫檀特殊要求防锈包装',
    text: '紫檀要求出口件真空防锈包装七十二小时',
    number: sr1.number,
    part: 'ZT-紫檀-001',
    reviewNote: '紫檀评审请求说明',
  });

  // S2: an ordinary requirement of 销售部's C2, given to nobody: 华东销售组 does not see it.
  const sr2 = (await ok(
    c('sales_staff').post('/api/special-requirements', {
      customerId: c2.id,
      category: 'delivery',
      title: '常青特殊要求交付窗口',
      text: '常青要求每周二上午九点前到货',
      receivedOn: today,
      afterMassProduction: true,
    }),
    201,
  )) as { id: string; number: string };
  const s2Readers = any(customerReaders(c2Model), srOverseers(0));
  record(
    { key: 'S2', kind: 'requirement', id: sr2.id, what: '顾客特殊要求（普通客户，未交评审）' },
    s2Readers,
  );
  markers('S2', content(0, s2Readers), {
    title: '常青特殊要求交付窗口',
    text: '常青要求每周二上午九点前到货',
    number: sr2.number,
  });
  // SD2: quality tells S2's owner (already a reader): seen where S2 is.
  const sd2 = (await ok(
    c('qa_staff').post('/api/special-requirements/distributions', {
      customerId: c2.id,
      requirementId: sr2.id,
      ackKind: 'read',
      userIds: [userIds.sales_staff],
      note: null,
    }),
    201,
  )) as { id: string };
  record({ key: 'SD2', kind: 'distribution', id: sd2.id, what: '特殊要求传达（普通客户 S2）' }, s2Readers);

  // C1's special-characteristic symbols and one characteristic: seen where the 机密 archive is,
  // and by quality and the general managers within clearance.
  const c1SrReaders = any(customerReaders(c1Model), srOverseers(2));
  const symbols = (await ok(c('sales_conf').get(`/api/customers/${c1.id}/sr-symbols`))) as {
    items: { id: string; code: string }[];
  };
  const shield = symbols.items.find((x) => x.code === 'S');
  if (!shield) throw new Error('leak fixture: C1 has no default symbols');
  record({ key: 'SYM1', kind: 'sr_symbol', id: shield.id, what: '特殊特性符号（机密客户 C1）' }, c1SrReaders);
  const ch1 = (await ok(
    c('sales_conf').post(`/api/customers/${c1.id}/characteristics`, {
      partNumber: 'ZT-紫檀-001',
      name: '紫檀特性防锈膜厚',
      specification: '紫檀膜厚八至十二微米',
      charClass: 'CC',
      symbolId: shield.id,
    }),
    201,
  )) as { id: string };
  record({ key: 'CH1', kind: 'characteristic', id: ch1.id, what: '特殊特性（机密客户 C1）' }, c1SrReaders);
  markers('CH1', content(2, c1SrReaders), { name: '紫檀特性防锈膜厚', spec: '紫檀膜厚八至十二微米' });
  // Every archive's special-requirements list (the routes under /customers/{id}/ that show it).
  for (const [id, m] of custModels)
    record(
      { key: `SRL-${id}`, kind: 'sr_list', id, what: '顾客特殊要求清单' },
      any(customerReaders(m), srOverseers(m.level)),
    );

  // Orders (R-K1): O1, a draft order of the 机密 archive C1, is seen exactly where C1 is; its
  // customer PO number, part and product are C1's content.
  const o1 = (await ok(
    c('sales_conf').post('/api/orders', {
      customerId: c1.id,
      customerPo: 'PO-紫檀订单-0777',
      kind: 'contract',
      receivedVia: 'email',
      receivedOn: today,
      paymentTerms: '紫檀订单月结九十天',
      lines: [
        {
          partNumber: 'ZT-紫檀订单-009',
          product: '紫檀订单灯具样品',
          quantity: '300',
          unit: '只',
          unitPrice: '8.8',
          requestedOn: '2099-06-30',
        },
      ],
    }),
    201,
  )) as { id: string; number: string };
  const o1Readers = customerReaders(c1Model);
  record({ key: 'O1', kind: 'order', id: o1.id, what: '订单（机密客户 C1，草稿）' }, o1Readers);
  markers('O1', content(2, o1Readers), {
    po: 'PO-紫檀订单-0777',
    part: 'ZT-紫檀订单-009',
    product: '紫檀订单灯具样品',
    terms: '紫檀订单月结九十天',
  });

  // 项目档案 (seed 002): P1, a project of the 机密 archive C1, seen exactly where C1 is (its page,
  // catalogue and the archive's 关联索引); its name and remarks are C1's content.
  const p1 = (await ok(
    c('sales_conf').post(`/api/customers/${c1.id}/projects`, {
      name: '紫檀项目一期工程',
      code: 'ZT-PRJ-01',
      remarks: '紫檀项目备注安装',
    }),
    201,
  )) as { id: string };
  record({ key: 'P1', kind: 'project', id: p1.id, what: '项目（机密客户 C1）' }, customerReaders(c1Model));
  markers('P1', content(2, customerReaders(c1Model)), {
    name: '紫檀项目一期工程',
    remarks: '紫檀项目备注安装',
  });

  // Credit (R-A4): a 信用调查 and an admission (客户交易卡) of C1, seen exactly where C1 is; the
  // findings and the card are C1's content.
  const cr1 = (await ok(
    c('sales_conf').post(`/api/customers/${c1.id}/credit/investigations`, {
      kind: 'urgent',
      investigatedOn: today,
      payment: '紫檀信用票据延付',
      conclusion: '紫檀信用调查结论降级',
    }),
    201,
  )) as { investigations: { id: string }[] };
  record(
    {
      key: 'CR1',
      kind: 'credit_investigation',
      id: cr1.investigations[0]?.id as string,
      what: '信用调查（机密客户 C1）',
    },
    o1Readers,
  );
  markers('CR1', content(2, o1Readers), { payment: '紫檀信用票据延付', conclusion: '紫檀信用调查结论降级' });
  const ca1 = (await ok(
    c('sales_conf').post(`/api/customers/${c1.id}/credit/admissions`, {
      card: {
        headquarters: '紫檀交易卡总部',
        tradingSite: '紫檀交易卡工厂',
        address: '紫檀路八十八号',
        openedOn: '2010-01-01',
        capital: '紫檀资本八千万',
        staffCount: 300,
        managerCount: 12,
        assets: '紫檀交易卡锻压设备',
        managerAges: '五十岁',
      },
      paymentTerms: '紫檀交易卡月结六十天',
      requestedLimit: '88000',
    }),
    201,
  )) as { admissions: { id: string }[] };
  record(
    {
      key: 'CA1',
      kind: 'credit_admission',
      id: ca1.admissions[0]?.id as string,
      what: '客户准入（机密客户 C1）',
    },
    o1Readers,
  );
  markers('CA1', content(2, o1Readers), { hq: '紫檀交易卡总部', terms: '紫檀交易卡月结六十天' });

  // The cleared read what they were told, one by one: each read is an audit entry, which must not
  // carry a title more secret than the log's readers.
  for (const u of everyone.filter((p) => p.rank >= 1)) {
    const items = (await c(u.login).get('/api/notifications?unread=true&limit=100')).json().items as {
      id: string;
    }[];
    for (const n of items) await c(u.login).post(`/api/notifications/${n.id}/read`);
  }

  // A search word that held a whole marker would come back as the searcher's own words (in the
  // audit trail of an export, say) and be taken for a leak.
  for (const w of words)
    for (const s of secrets)
      if (w.word.includes(s.value))
        throw new Error(`leak fixture: word ${w.word} holds the marker ${s.name}`);

  return {
    t,
    users: LEAK_USERS,
    as,
    secrets,
    records,
    words,
    departments,
    userIds,
    customers: [...custModels].map(([id, m]) => ({
      key: records.find((r) => r.id === id)?.key ?? id,
      level: m.level,
      owners: m.owners,
    })),
    filed,
    importCodes: { hidden: c1.archiveCode, hiddenFor: 'sales_mgr', absent: FAKE_CODE },
    signInAll,
  };
}
