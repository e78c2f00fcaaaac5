import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { SR_LIST_COLUMNS } from '../../../common/special-requirements.js';
import { BlobStore } from '../../platform/storage.js';
import { xlsxRows } from '../../platform/xlsx-read.js';
import type { Client } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { ocrPdf } from '../../test-support/pdf-check.js';

// 顾客特殊要求清单 through HTTP (R-S3): the .xlsx and CSV exports keep the paper list's columns in
// order, with the list's filters and only what the reader may see; a list revision files the list
// as a PDF record into the customer's archive, and the PDF reads back with its requirement numbers.

type Json = Record<string, unknown>;
const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();
const HEADER = SR_LIST_COLUMNS.map((c) => c.zh);

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function readXlsx(body: Buffer): Promise<string[][]> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-sr-')), 'list.xlsx');
  fs.writeFileSync(file, body);
  const rows: string[][] = [];
  for await (const row of xlsxRows(file)) rows.push(row);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return rows;
}

describe('顾客特殊要求清单: exports and the filed list (R-S3)', () => {
  const app = companyApp();
  let n = 0;

  const archive = async (by: Client, body: Json = {}) => {
    const res = await by.post('/api/customers', {
      name: `清单测试${++n}号精密机械有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '无锡市新吴区长江路18号',
      industry: '汽车零部件',
      region: '无锡',
      contacts: [{ name: '赵工', mobile: '13700000000', isPrimary: true }],
      file: true,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string; name: string };
  };
  /** Quality sees the archive through a grant to its department (R-P2). */
  const grantQuality = async (customerId: string) => {
    const res = await app.co.as.gm.post(`/api/customers/${customerId}/grants`, {
      departmentId: app.co.quality,
      reason: '品质部维护顾客特殊要求清单',
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const requirement = async (by: Client, customerId: string, body: Json) => {
    const res = await by.post('/api/special-requirements', {
      customerId,
      receivedOn: '2026-03-02',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  };

  let own: { id: string; archiveCode: string; name: string };
  let other: { id: string; archiveCode: string; name: string };
  const numbers: string[] = [];
  let hidden = '';

  it('exports the list as .xlsx with the paper list’s columns in order, only what the reader sees', async () => {
    const { as } = app.co;
    await travel(app.t, app.co, shanghai('2026-03-04'));
    own = await archive(as.sales1);
    await grantQuality(own.id);
    const manual = await as.sales1.post('/api/documents', {
      title: '客户质量手册',
      docNumber: 'QM-01',
      source: 'customer',
      category: 'customer_supplied',
      carrier: 'electronic',
      customerId: own.id,
      versionLabel: 'B',
    });
    expect(manual.statusCode, manual.body).toBe(201);
    numbers.push(
      (
        await requirement(as.sales1, own.id, {
          category: 'ppap',
          title: 'PPAP 3 级提交',
          text: '新零件按 PPAP 第 3 级提交。',
          sourceDocumentId: manual.json().id,
          sourceClause: '4.2.1',
          partNumbers: ['HX-100', 'HX-200'],
        })
      ).number,
      (
        await requirement(as.sales1, own.id, {
          category: 'packaging',
          title: '标签含批次号',
          text: '每箱标签须含批次号与生产日期。',
        })
      ).number,
    );
    // An archive of 品质部 that sales1 does not see.
    other = await archive(as.qamgr);
    hidden = (
      await requirement(as.qamgr, other.id, {
        category: 'delivery',
        title: '准时交付',
        text: '交付准时率 98%。',
      })
    ).number;

    const res = await as.sales1.get('/api/special-requirements/export.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain('special-requirements-20260304.xlsx');
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual(HEADER);
    const body = rows.slice(1).filter((r) => r.length);
    expect(body.map((r) => r[1])).toEqual(numbers);
    expect(body[0]).toEqual([
      '1',
      numbers[0],
      'QM-01 客户质量手册，B，4.2.1',
      'PPAP/产品批准',
      'PPAP 3 级提交：新零件按 PPAP 第 3 级提交。',
      'HX-100、HX-200',
      '',
      '',
      '',
      '待评审',
      '',
      '',
    ]);
    expect(body[1]?.[5]).toBe('全部');
    expect(body.flat().join('|')).not.toContain(hidden);
    // Quality sees both customers' requirements.
    const all = await readXlsx((await as.qa1.get('/api/special-requirements/export.xlsx')).rawPayload);
    expect(all.map((r) => r[1])).toEqual(expect.arrayContaining([...numbers, hidden]));
    // The export is audited.
    const audit = await app.t.database.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'sr.export')
      .where('actor_login', '=', 'sales1')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ format: 'xlsx', rows: 2 });
  });

  it('exports CSV with the same columns and the list’s filters', async () => {
    const { as } = app.co;
    const res = await as.sales1.get('/api/special-requirements/export.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.body.slice(1));
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1).map((r) => r[1])).toEqual(numbers);
    expect(rows[1]?.[2]).toBe('QM-01 客户质量手册，B，4.2.1');
    const filtered = parseCsv(
      (await as.sales1.get('/api/special-requirements/export.csv?category=packaging')).body.slice(1),
    );
    expect(filtered.slice(1).map((r) => r[1])).toEqual([numbers[1]]);
    // Filtering on a customer the reader may not see gives nothing, not the customer's rows.
    const peek = parseCsv(
      (await as.sales1.get(`/api/special-requirements/export.csv?customerId=${other.id}`)).body.slice(1),
    );
    expect(peek).toEqual([HEADER]);
    const quality = parseCsv(
      (await as.qa1.get(`/api/special-requirements/export.csv?customerId=${other.id}`)).body.slice(1),
    );
    expect(quality.slice(1).map((r) => r[1])).toEqual([hidden]);
  });

  it('files the list as a PDF in the customer’s archive at each revision', async (ctx) => {
    const { as } = app.co;
    expect(
      (await as.sales1.post(`/api/customers/${own.id}/special-requirements/revisions`, { note: '首版' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await as.sales1.post(`/api/customers/${other.id}/special-requirements/revisions`, {})).statusCode,
    ).toBe(404);
    const res = await as.qa1.post(`/api/customers/${own.id}/special-requirements/revisions`, {
      note: '首版',
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    expect(list.revision).toBe(1);
    expect(list.document).toMatchObject({ id: expect.any(String) });
    const db = app.t.database.db;
    const doc = await db
      .selectFrom('documents')
      .select(['title', 'customer_id', 'category', 'version_label'])
      .where('id', '=', list.document.id)
      .executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ customer_id: own.id, category: 'records', version_label: '第1版' });
    expect(doc.title).toContain('顾客特殊要求清单');
    const stored = await db
      .selectFrom('sr_lists')
      .select(['revision', 'document_id'])
      .where('customer_id', '=', own.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ revision: 1, document_id: list.document.id });
    const file = await db
      .selectFrom('document_files')
      .select('sha256')
      .where('document_id', '=', list.document.id)
      .executeTakeFirstOrThrow();
    const pdf = await buffer(new BlobStore(app.t.dataDir).open(file.sha256));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The owner sees the filed record in the archive.
    expect((await as.sales1.get(`/api/documents/${list.document.id}`)).statusCode).toBe(200);

    // A second revision files a second record.
    const second = await as.qa1.post(`/api/customers/${own.id}/special-requirements/revisions`, {});
    expect(second.json().revision).toBe(2);
    expect(second.json().document.id).not.toBe(list.document.id);

    // A list whose only requirement was withdrawn is neither revised nor distributed whole.
    const empty = await archive(as.sales1);
    await grantQuality(empty.id);
    const gone = await requirement(as.sales1, empty.id, {
      category: 'other',
      title: '旧要求',
      text: '已撤销。',
    });
    const withdrawn = await as.qa1.post(`/api/special-requirements/${gone.id}/obsolete`, {
      reason: '客户撤销',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const none = await as.qa1.post(`/api/customers/${empty.id}/special-requirements/revisions`, {});
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('sr_list_empty');
    const whole = await as.qa1.post('/api/special-requirements/distributions', {
      customerId: empty.id,
      ackKind: 'read',
      userIds: [app.co.ids.sales1],
    });
    expect(whole.json().code).toBe('sr_list_empty');

    const all = (await ocrPdf(ctx, new Uint8Array(pdf))).join('');
    expect(all).toContain('顾客特殊要求清单');
    for (const number of numbers) expect(all).toContain(number);
    expect(all).toContain(own.archiveCode);
  });
});
