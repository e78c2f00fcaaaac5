import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { createDepartment } from '../org/service.js';

// What the yearly check and the special characteristics show of records above a reader's
// clearance (R-P1, R-P9): in a 普通 archive, a 秘密 requirement cites a 秘密 customer document. Its
// 普通 salesperson owner and a 普通 quality user see neither the document in the check (its title,
// number, version, nor the requirements citing it counted) nor the requirement a characteristic
// comes from, and cannot name them in a check or a characteristic — refused as what does not
// exist. A reader cleared for them sees everything.

type Json = Record<string, unknown>;

describe('special requirements: the yearly check and characteristics within clearance', () => {
  const app = companyApp();
  let qa3: Client;
  let customerId = '';
  const docs: Record<'secret' | 'normal' | 'citedSecretly', { id: string }> = {} as never;
  const reqs: Record<
    'secret' | 'secretOnNormal' | 'secretOnCited' | 'normal',
    { id: string; number: string }
  > = {} as never;

  const document = async (by: Client, title: string, body: Json = {}) => {
    const res = await by.post('/api/documents', {
      title,
      docNumber: `DOC-${title.length}-${Object.keys(docs).length}`,
      source: 'customer',
      category: 'customer_supplied',
      carrier: 'electronic',
      customerId,
      versionLabel: 'B',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const requirement = async (by: Client, sourceDocumentId: string, body: Json = {}) => {
    const res = await by.post('/api/special-requirements', {
      customerId,
      category: 'ppap',
      title: 'PPAP 提交等级 3 级',
      text: '所有新零件按 PPAP 第 3 级提交。',
      receivedOn: '2026-03-01',
      sourceDocumentId,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  };

  beforeAll(async () => {
    const { as: co } = app.co;
    // sales1 (普通) registers the 普通 archive and owns it; quality reads it under a grant.
    const c = await co.sales1.post('/api/customers', {
      name: '密级核对测试汽车部件有限公司',
      category: 'general',
      kind: 'business',
      registeredAddress: '常州市武进区长虹路9号',
      industry: '汽车零部件',
      region: '常州',
      contacts: [{ name: '李工', mobile: '13900000000', isPrimary: true }],
      file: true,
    });
    expect(c.statusCode, c.body).toBe(201);
    customerId = c.json().id;
    const grant = await co.gm.post(`/api/customers/${customerId}/grants`, {
      departmentId: app.co.quality,
      reason: '品质部年度核对',
    });
    expect(grant.statusCode, grant.body).toBe(201);
    await seedUser(app.t, 'qa3', ['quality'], { departmentId: app.co.quality, clearance: 'normal' });
    qa3 = await signIn(app.t.app, 'qa3');

    // The sales manager (秘密) registers a 秘密 document and 秘密 requirements.
    docs.secret = await document(co.salesmgr, '秘密质量保证协议', { secrecy: 'secret', secrecyTerm: '10年' });
    docs.normal = await document(co.sales1, '客户质量手册');
    docs.citedSecretly = await document(co.sales1, '客户包装规范');
    reqs.secret = await requirement(co.salesmgr, docs.secret.id, {
      secrecy: 'secret',
      title: '秘密的保证要求',
    });
    reqs.secretOnNormal = await requirement(co.salesmgr, docs.normal.id, {
      secrecy: 'secret',
      title: '秘密的手册要求',
    });
    reqs.secretOnCited = await requirement(co.salesmgr, docs.citedSecretly.id, {
      secrecy: 'secret',
      title: '秘密的包装要求',
    });
    reqs.normal = await requirement(co.sales1, docs.normal.id);
  });

  const sourcesOf = async (as: Client) => {
    const res = await as.get(`/api/customers/${customerId}/sr-checks`);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  it('lists only the documents the reader sees, counting only the requirements they see (L3)', async () => {
    const { as: co } = app.co;
    const all = (await sourcesOf(co.salesmgr)).json();
    expect(
      (all.sources as Json[])
        .map((s) => [(s.document as Json).id, s.requirements, s.registeredVersion])
        .sort(),
    ).toEqual(
      [
        [docs.secret.id, 1, 'B'],
        [docs.normal.id, 2, 'B'],
        [docs.citedSecretly.id, 1, 'B'],
      ].sort(),
    );
    for (const reader of [co.sales1, qa3]) {
      const res = await sourcesOf(reader);
      expect(res.json().sources).toEqual([
        {
          document: expect.objectContaining({ id: docs.normal.id }),
          registeredVersion: 'B',
          requirements: 1,
        },
      ]);
      expect(res.body).not.toContain('秘密质量保证协议');
      expect(res.body).not.toContain(docs.secret.id);
      expect(res.body).not.toContain(docs.citedSecretly.id);
    }
    expect((await sourcesOf(co.sales1)).json().can.check).toBe(true);
  });

  it('refuses a check naming a document the reader may not see, or cited by nothing they see (L3)', async () => {
    const { as: co } = app.co;
    for (const [reader, documentId] of [
      [co.sales1, docs.secret.id],
      [co.sales1, docs.citedSecretly.id],
      [qa3, docs.secret.id],
    ] as const) {
      const res = await reader.post(`/api/customers/${customerId}/sr-checks`, {
        checkedOn: '2026-03-02',
        sources: [
          { documentId: docs.normal.id, publishedVersion: 'B', confirmedOn: '2026-03-02' },
          { documentId, publishedVersion: 'C', confirmedOn: '2026-03-02' },
        ],
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'sources.1.documentId' })]);
      expect(res.json().errors[0].message).toMatch(/[\u4e00-\u9fff]/);
      expect(res.body).not.toContain('秘密质量保证协议');
      expect(res.body).not.toContain('客户包装规范');
    }
    expect(
      await app.t.database.db
        .selectFrom('sr_checks')
        .select('id')
        .where('customer_id', '=', customerId)
        .execute(),
    ).toHaveLength(0);

    // Quality cleared for 绝密 checks every document; the 普通 readers then see only theirs in the
    // history.
    const full = await co.qa1.post(`/api/customers/${customerId}/sr-checks`, {
      checkedOn: '2026-03-02',
      sources: [
        { documentId: docs.secret.id, publishedVersion: 'C', confirmedOn: '2026-03-02' },
        { documentId: docs.normal.id, publishedVersion: 'B', confirmedOn: '2026-03-02' },
      ],
    });
    expect(full.statusCode, full.body).toBe(201);
    expect(full.json().needsNewVersion).toEqual([
      expect.objectContaining({ id: docs.secret.id, title: '秘密质量保证协议' }),
    ]);
    for (const reader of [co.sales1, qa3]) {
      const res = await sourcesOf(reader);
      expect(res.json().checks).toHaveLength(1);
      expect(res.json().checks[0].sources.map((s: Json) => (s.document as Json).id)).toEqual([
        docs.normal.id,
      ]);
      expect(res.body).not.toContain('秘密质量保证协议');
    }

    // What they see, they check.
    const own = await co.sales1.post(`/api/customers/${customerId}/sr-checks`, {
      checkedOn: '2026-03-02',
      sources: [{ documentId: docs.normal.id, publishedVersion: 'C', confirmedOn: '2026-03-02' }],
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().needsNewVersion).toEqual([
      expect.objectContaining({ id: docs.normal.id, title: '客户质量手册', registeredVersion: 'B' }),
    ]);
  });

  it('hides the requirement a characteristic comes from when the reader may not see it (L4)', async () => {
    const { as: co } = app.co;
    const base = { partNumber: 'P-7001', specification: '≤ 0.5 mm', charClass: 'CC' };
    const linked = await co.salesmgr.post(`/api/customers/${customerId}/characteristics`, {
      ...base,
      name: '平面度',
      requirementId: reqs.secret.id,
    });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json().requirement).toEqual({ id: reqs.secret.id, number: reqs.secret.number });
    const id = linked.json().id as string;

    for (const reader of [co.sales1, qa3]) {
      const list = await reader.get(`/api/customers/${customerId}/characteristics`);
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json().items.map((k: Json) => [k.id, k.requirement])).toEqual([[id, null]]);
      expect(list.body).not.toContain(reqs.secret.id);
      const one = await reader.get(`/api/characteristics/${id}`);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json().requirement).toBeNull();
    }
    expect((await co.salesmgr.get(`/api/characteristics/${id}`)).json().requirement).toEqual({
      id: reqs.secret.id,
      number: reqs.secret.number,
    });

    // The .xlsx: the requirement's number for the sales manager, an empty cell for the owner.
    const cells = async (as: Client) => {
      const res = await as.get(`/api/customers/${customerId}/characteristics/export.xlsx`);
      expect(res.statusCode, res.body).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const text: string[] = [];
      for (const sheet of book.worksheets)
        sheet.eachRow((row) => row.eachCell((cell) => text.push(String(cell.text))));
      return text.join('\n');
    };
    expect(await cells(co.salesmgr)).toContain(reqs.secret.number);
    expect(await cells(co.sales1)).not.toContain(reqs.secret.number);
    const pdf = await co.sales1.get(`/api/customers/${customerId}/characteristics/export.pdf`);
    expect(pdf.statusCode).toBe(200);
  });

  it('refuses a requirement the writer may not see as one that does not exist, and keeps a hidden link (L4)', async () => {
    const { as: co } = app.co;
    const base = { partNumber: 'P-7002', specification: '≤ 0.5 mm', charClass: 'CC' };
    // The same answer but for the id echoed (and the request's own id and path).
    const strip = ({ requestId: _r, instance: _i, ...body }: Json) =>
      JSON.stringify(body)
        .replaceAll(reqs.secret.id, 'X')
        .replaceAll(reqs.secretOnNormal.id, 'X')
        .replaceAll('nope', 'X');
    const nope = await co.sales1.post(`/api/customers/${customerId}/characteristics`, {
      ...base,
      name: '粗糙度',
      requirementId: 'nope',
    });
    const hidden = await co.sales1.post(`/api/customers/${customerId}/characteristics`, {
      ...base,
      name: '粗糙度',
      requirementId: reqs.secret.id,
    });
    expect(hidden.statusCode).toBe(nope.statusCode);
    expect(hidden.json().errors[0]).toMatchObject({ field: 'requirementId' });
    expect(strip(hidden.json())).toBe(strip(nope.json()));

    const mine = await co.sales1.post(`/api/customers/${customerId}/characteristics`, {
      ...base,
      name: '粗糙度',
      requirementId: reqs.normal.id,
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().requirement).toEqual({ id: reqs.normal.id, number: reqs.normal.number });
    for (const [reader, requirementId] of [
      [co.sales1, reqs.secret.id],
      [co.sales1, 'nope'],
      [qa3, reqs.secretOnNormal.id],
    ] as const) {
      const patched = await reader.patch(`/api/characteristics/${mine.json().id}`, { requirementId });
      expect(patched.statusCode).toBe(nope.statusCode);
      expect(strip(patched.json())).toBe(strip(nope.json()));
    }

    // The characteristic linked to the 秘密 requirement: naming it again is refused as well, and
    // saving the form as shown (no link) changes the rest and keeps the link.
    const linked = (
      await co.salesmgr.get(`/api/customers/${customerId}/characteristics?partNumber=P-7001`)
    ).json().items[0] as { id: string };
    const again = await co.sales1.patch(`/api/characteristics/${linked.id}`, {
      requirementId: reqs.secret.id,
    });
    expect(again.statusCode).toBe(nope.statusCode);
    const saved = await co.sales1.patch(`/api/characteristics/${linked.id}`, {
      name: '平面度（改）',
      requirementId: null,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ name: '平面度（改）', requirement: null });
    expect((await co.salesmgr.get(`/api/characteristics/${linked.id}`)).json()).toMatchObject({
      name: '平面度（改）',
      requirement: { id: reqs.secret.id },
    });
    // A requirement they see replaces it.
    const replaced = await co.sales1.patch(`/api/characteristics/${linked.id}`, {
      requirementId: reqs.normal.id,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect((await co.salesmgr.get(`/api/characteristics/${linked.id}`)).json().requirement.id).toBe(
      reqs.normal.id,
    );
  });

  it('lets quality check a list it oversees without access to the archive, within its clearance', async () => {
    const dept = await createDepartment(app.t.system, {
      name: '体系部',
      code: null,
      parentId: null,
      sortOrder: 0,
    });
    await seedUser(app.t, 'qa4', ['quality'], { departmentId: dept.id, clearance: 'top_secret' });
    const qa4 = await signIn(app.t.app, 'qa4');
    // Not the archive's department, no grant: the archive itself stays closed to qa4.
    expect((await qa4.get(`/api/customers/${customerId}`)).statusCode).toBe(404);
    const res = await sourcesOf(qa4);
    expect(res.statusCode, res.body).toBe(200);
    const titles = res.json().sources.map((x: Json) => (x.document as Json).title);
    expect(titles).toEqual(expect.arrayContaining(['秘密质量保证协议', '客户质量手册']));
  });
});
