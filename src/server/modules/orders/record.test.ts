import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { createDepartment } from '../org/service.js';

// The review record (订单/合同评审记录表) and an order's attachments through HTTP: R&D cannot answer
// a new product's review without its 可行性分析报告; the PDF, rendered and OCR'd, shows the order,
// the customer, the departments and a condition; the signature files it into the customer's
// archive with retention L1, a 档号 and the archive's secrecy, without prices; a reader who may not
// see the order gets 404 for the PDF and the attachments.

type Json = Record<string, unknown>;
const DEPTS = [
  ['pmc', '计划部'],
  ['purchasing', '采购部'],
  ['production', '生产部'],
  ['finance', '财务部'],
  ['rd', '研发部'],
  ['qc', '品质科'],
] as const;
type Code = (typeof DEPTS)[number][0];
const CHECKLIST = Object.fromEntries(
  ['capacity', 'price', 'product', 'delivery', 'packaging', 'transport', 'feasibility', 'legal', 'other'].map(
    (c) => [c, { answer: 'ok' }],
  ),
);

describe('the review record and attachments of an order (R-K3, R-X1, R-D7)', () => {
  const app = companyApp();
  const dept = {} as Record<Code | 'other', string>;
  const as = {} as Record<Code | 'outsider', Client>;
  let customer: { id: string; archiveCode: string; name: string };
  let order: { id: string; number: string; reviews: { department: { id: string } }[] };
  let poFile: string;

  const upload = (by: Client, id: string, query: string, body: string) =>
    by.inject({
      method: 'POST',
      url: `/api/orders/${id}/files?${query}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(body),
    });
  const review = (code: Code, body: Json = {}) =>
    as[code].put(`/api/orders/${order.id}/reviews/${dept[code]}`, {
      decision: 'accept',
      checklist: CHECKLIST,
      ...(code === 'finance' ? { pricing: [{ lineNo: 1, unitPrice: '11.8' }] } : {}),
      ...body,
    });

  beforeAll(async () => {
    const { as: co } = app.co;
    for (const [code, name] of DEPTS) {
      dept[code] = (await createDepartment(app.t.system, { name, code, parentId: null, sortOrder: 0 })).id;
      await seedUser(app.t, `${code}1`, ['staff'], { departmentId: dept[code], clearance: 'secret' });
      as[code] = await signIn(app.t.app, `${code}1`);
    }
    dept.other = (
      await createDepartment(app.t.system, { name: '行政部', code: null, parentId: null, sortOrder: 0 })
    ).id;
    await seedUser(app.t, 'outsider', ['staff'], { departmentId: dept.other, clearance: 'top_secret' });
    as.outsider = await signIn(app.t.app, 'outsider');
    const cfg = await co.admin.put('/api/orders/config', { reviewDepartments: DEPTS.map(([c]) => c) });
    expect(cfg.statusCode, cfg.body).toBe(200);
    expect(cfg.json()).toMatchObject({ rdDepartment: 'rd', recordArchiveCategory: 'records' });
    // The filing category must exist.
    const bad = await co.admin.put('/api/orders/config', { recordArchiveCategory: 'nope' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().title).toContain('评审记录表无法归档');
    // A 档号 needs the archive department's code.
    expect((await co.admin.patch(`/api/departments/${app.co.sales}`, { code: 'XS' })).statusCode).toBe(200);
    // A 秘密 archive: the order and its record are 秘密 for every reader.
    const res = await co.salesmgr.post('/api/customers', {
      name: '佛山三目照明电器有限公司',
      category: 'key',
      kind: 'business',
      registeredAddress: '佛山市禅城区季华路1号',
      industry: '照明',
      region: '佛山',
      contacts: [{ name: '陈工', mobile: '13800000001', isPrimary: true }],
      secrecy: 'secret',
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    customer = res.json();
  });

  it('keeps attachments that readers of the order list and download, and nobody else', async () => {
    const { as: co } = app.co;
    const created = await co.salesmgr.post('/api/orders', {
      customerId: customer.id,
      customerPo: 'SM-PO-2026-031',
      kind: 'order',
      receivedVia: 'email',
      receivedOn: '2026-03-02',
      deliveryMethod: '送货上门',
      deliveryPlace: '佛山市禅城区季华路1号',
      lines: [
        {
          partNumber: 'LED-T8-1200',
          product: 'LED灯管',
          specification: '18W 1200mm 6500K',
          quantity: '5000',
          unit: '支',
          unitPrice: '12.5',
          requestedOn: '2026-05-29',
          promisedOn: '2026-05-29',
        },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    order = created.json();
    const po = await upload(
      co.salesmgr,
      order.id,
      `kind=po&name=${encodeURIComponent('客户订单.pdf')}`,
      'PO',
    );
    expect(po.statusCode, po.body).toBe(201);
    poFile = po.json().id;
    expect(po.json()).toMatchObject({
      kind: 'po',
      name: '客户订单.pdf',
      createdBy: { id: app.co.ids.salesmgr },
    });
    // sales1 (普通 clearance) does not see the order at all; an unknown kind is refused.
    expect((await upload(co.sales1, order.id, 'kind=po&name=x.pdf', 'x')).statusCode).toBe(404);
    expect((await upload(co.salesmgr, order.id, 'kind=memo&name=x.pdf', 'x')).statusCode).toBe(400);

    // The customer's written confirmation: the order records the day it came.
    const confirmation = await upload(co.salesmgr, order.id, 'kind=confirmation&name=confirm.pdf', 'OK');
    expect(confirmation.statusCode, confirmation.body).toBe(201);
    expect((await co.salesmgr.get(`/api/orders/${order.id}`)).json().confirmationReceivedOn).toBe(
      '2026-03-02',
    );
    const list = await co.salesmgr.get(`/api/orders/${order.id}/files`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({
      items: [{ id: poFile, kind: 'po' }, { kind: 'confirmation' }],
      record: null,
      recordFiled: false,
      can: { attach: true, feasibilityDepartments: [] },
    });
    const got = await co.salesmgr.get(`/api/orders/${order.id}/files/${poFile}`);
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe('PO');
    // The outsider (top clearance, another department) and sales1 (the archive's department,
    // clearance 普通 under a 秘密 archive) see nothing: 404 for the list, the file and the PDF.
    for (const who of [as.outsider, co.sales1]) {
      expect((await who.get(`/api/orders/${order.id}/files`)).statusCode).toBe(404);
      expect((await who.get(`/api/orders/${order.id}/files/${poFile}`)).statusCode).toBe(404);
      expect((await who.get(`/api/orders/${order.id}/review-record.pdf`)).statusCode).toBe(404);
    }
    // Downloads are audited at the archive's secrecy (秘密 = 1).
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'secrecy'])
      .where('target_id', '=', order.id)
      .where('action', 'in', ['order.file_upload', 'order.file_download'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'order.file_download',
      'order.file_upload',
      'order.file_upload',
    ]);
    expect(audit.every((a) => Number(a.secrecy) === 1)).toBe(true);
  });

  it('does not let R&D answer a new product without its 可行性分析报告', async () => {
    const { as: co } = app.co;
    const submitted = await co.salesmgr.post(`/api/orders/${order.id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ route: 'full', class: 'non_regular' });
    const refused = await review('rd');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'order_feasibility_missing' });
    expect(refused.json().title).toContain('可行性分析报告');
    // Only R&D attaches its report: PMC may not.
    const byPmc = await upload(as.pmc, order.id, `kind=feasibility&departmentId=${dept.rd}&name=r.pdf`, 'r');
    expect(byPmc.statusCode).toBe(403);
    const listed = (await as.rd.get(`/api/orders/${order.id}/files`)).json();
    expect(listed.can).toMatchObject({ attach: false, feasibilityDepartments: [{ id: dept.rd }] });
    const report = await upload(
      as.rd,
      order.id,
      `kind=feasibility&departmentId=${dept.rd}&name=${encodeURIComponent('可行性分析报告.pdf')}`,
      '可行',
    );
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json()).toMatchObject({ kind: 'feasibility', department: { id: dept.rd, name: '研发部' } });
    expect((await review('rd', { comment: '可行，需新开模具' })).statusCode).toBe(200);
    const cond = await review('pmc', { decision: 'conditional', condition: '分两批交货' });
    expect(cond.statusCode, cond.body).toBe(200);
    for (const code of ['purchasing', 'production', 'finance', 'qc'] as const)
      expect((await review(code)).statusCode).toBe(200);
  });

  it('files the signed record into the archive with retention L1, a 档号 and the archive’s secrecy', async (ctx) => {
    const { as: co } = app.co;
    const signed = await co.salesmgr.post(`/api/orders/${order.id}/approve`, { decision: 'accept' });
    expect(signed.statusCode, signed.body).toBe(200);
    const files = (await co.salesmgr.get(`/api/orders/${order.id}/files`)).json();
    expect(files.recordFiled).toBe(true);
    expect(files.record).toMatchObject({ retention: 'L1', archiveNo: expect.stringMatching(/XS/) });
    const doc = (await co.salesmgr.get(`/api/documents/${files.record.documentId}`)).json();
    expect(doc).toMatchObject({
      customer: { id: customer.id },
      retention: 'L1',
      secrecy: 'secret',
      archiveNo: files.record.archiveNo,
      category: 'records',
      responsibleParty: '销售部',
    });
    // The sales reader of the order who cannot read the archive's records sees that it was filed.
    const rdView = (await as.rd.get(`/api/orders/${order.id}/files`)).json();
    expect(rdView).toMatchObject({ recordFiled: true, record: null });

    // The filed copy, rendered and read: the form, the order, the customer, the departments,
    // the condition — and no prices (they stay on the order for those who may see them).
    const file = (((doc.versions as Json[])[0] as Json).files as Json[])[0] as Json;
    const filed = await co.salesmgr.get(`/api/documents/${doc.id}/files/${file.id}/content`);
    expect(filed.statusCode).toBe(200);
    await expectGlyphsDrawn(filed.rawPayload);
    const filedText = (await ocrPdf(ctx, filed.rawPayload)).join('');
    for (const words of [
      '新产品订单评审记录表',
      order.number,
      '佛山三目照明电器有限公司',
      '分两批交货',
      '研发部',
    ])
      expectRead(filedText, words);
    expect(filedText).not.toContain('11.8');
    expectRead(filedText, '价格按权限查看', 1);

    // The record as printed for a reader who sees prices (the sales manager).
    const pdf = await co.salesmgr.get(`/api/orders/${order.id}/review-record.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    if (process.env.KEDANG_KEEP_PDF)
      fs.writeFileSync(path.join(os.tmpdir(), 'kedang-order-record.pdf'), pdf.rawPayload);
    await expectGlyphsDrawn(pdf.rawPayload);
    const pages = await ocrPdf(ctx, pdf.rawPayload);
    const text = pages.join('');
    expectRead(pages[0] as string, '新产品订单评审记录表', 1);
    for (const words of [
      order.number,
      '佛山三目照明电器有限公司',
      'LED-T8-1200',
      '分两批交货',
      '可行性分析报告',
    ])
      expectRead(text, words, 1);
    for (const name of DEPTS.map(([, n]) => n)) expectRead(text, name);
    expectRead(text, '11.8');
    const printed = await app.t.database.db
      .selectFrom('audit_log')
      .select('secrecy')
      .where('target_id', '=', order.id)
      .where('action', '=', 'order.print')
      .execute();
    expect(printed.map((a) => Number(a.secrecy))).toEqual([1]);
  });
});
