import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import {
  BAD_ROWS,
  CUSTOMERS,
  customerName,
  LINES_PER_ORDER,
  ORDERS,
} from '../../test-support/fixtures/make-order-import.js';
import { gbk, multipart, readXlsx, xlsx } from '../../test-support/sheets.js';

// Importing orders from an ERP export: the 10,000-line .xlsx LibreOffice made
// (test-support/fixtures/make-order-import.ts) — the dry run names the bad rows, an import with
// bad rows writes nothing, the corrected file becomes 2,000 draft orders numbered HT…, classed
// and audited; archives the importer may not see read as unknown, archives they may not
// register orders for are refused; the template goes round.

type Json = Record<string, unknown>;
type Result = {
  dryRun: boolean;
  rows: number;
  created: number;
  failed: number;
  lines: number;
  problems: { row: number; column: string; message: string }[];
  orders: {
    row: number;
    customer: string;
    customerPo: string;
    lines: number;
    proposedClass: string;
    number: string | null;
  }[];
};
const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../test-support/fixtures/${name}`, import.meta.url));

async function upload(client: Client, fileName: string, content: Buffer, dryRun = true) {
  const { payload, headers } = multipart(fileName, content);
  return client.inject({ method: 'POST', url: `/api/orders/imports?dryRun=${dryRun}`, payload, headers });
}

async function finished(client: Client, id: string): Promise<Json & { result: Result; status: string }> {
  for (let i = 0; i < 2400; i++) {
    const job = (await client.get(`/api/jobs/${id}`)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

/** Uploads and waits for the job. */
async function run(client: Client, fileName: string, content: Buffer, dryRun = true) {
  const res = await upload(client, fileName, content, dryRun);
  expect(res.statusCode, res.body).toBe(202);
  return finished(client, res.json().job.id);
}

async function counts(t: TestApp) {
  const db = t.database.db;
  const n = async (table: 'orders' | 'order_lines' | 'order_history') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { orders: await n('orders'), lines: await n('order_lines'), history: await n('order_history') };
}

const HEADER = [
  '客户编号或名称*',
  '客户订单号*',
  '接单日期*',
  '料号*',
  '产品名称*',
  '数量*',
  '单位*',
  '单价',
  '要求交期*',
];
const small = (customer: string, po: string) => [
  HEADER,
  [customer, po, '2026-02-27', 'X-1', '支架', '10', '只', '2.5', '2026-04-30'],
];

describe('importing orders from an ERP export (.xlsx, R-K1)', () => {
  const app = companyApp();
  const archives: { id: string; archiveCode: string; name: string }[] = [];
  let secret: { id: string; archiveCode: string; name: string };

  beforeAll(async () => {
    for (let i = 0; i < CUSTOMERS; i++) {
      const res = await app.co.as.sales1.post('/api/customers', {
        name: customerName(i),
        category: 'general',
        kind: 'business',
        region: '佛山',
      });
      expect(res.statusCode, res.body).toBe(201);
      archives.push(res.json());
    }
    const res = await app.co.as.gm.post('/api/customers', {
      name: '订单导入保密客户有限公司',
      category: 'key',
      kind: 'business',
      secrecy: 'secret',
    });
    expect(res.statusCode, res.body).toBe(201);
    secret = res.json();
  });

  it('offers a template in Chinese whose filled-in copy imports', async () => {
    const res = await app.co.as.sales1.get('/api/orders/import-template.xlsx');
    expect(res.statusCode).toBe(200);
    const header = (await readXlsx(res.rawPayload))[0] as string[];
    expect(header).toEqual(
      expect.arrayContaining(['客户编号或名称*', '客户订单号*', '料号*', '要求交期*', '单价']),
    );
    const at = (h: string) => header.indexOf(h);
    const line = (part: string, qty: string) => {
      const row = header.map(() => '');
      row[at('客户编号或名称*')] = archives[0]?.archiveCode as string;
      row[at('客户订单号*')] = 'TPL-001';
      row[at('类型')] = '合同';
      row[at('接收方式')] = '邮件';
      row[at('接单日期*')] = '2026-02-27';
      row[at('料号*')] = part;
      row[at('产品名称*')] = `支架${part}`;
      row[at('数量*')] = qty;
      row[at('单位*')] = '只';
      row[at('单价')] = '3.2';
      row[at('要求交期*')] = '2026-04-30';
      row[at('币种')] = 'USD';
      return row;
    };
    const sheet = await xlsx([header, line('T-1', '100'), line('T-2', '50')]);
    const check = await run(app.co.as.sales1, '模板.xlsx', sheet);
    expect(check.status).toBe('succeeded');
    expect(check.result).toMatchObject({ dryRun: true, rows: 2, created: 1, lines: 2, failed: 0 });
    expect(check.result.orders[0]).toMatchObject({
      customer: customerName(0),
      customerPo: 'TPL-001',
      lines: 2,
      proposedClass: 'non_regular',
      number: null,
    });
    const commit = await app.co.as.sales1.post(`/api/orders/imports/${check.id}/commit`, {});
    expect(commit.statusCode, commit.body).toBe(202);
    const done = await finished(app.co.as.sales1, commit.json().job.id);
    expect(done.result).toMatchObject({ dryRun: false, created: 1, lines: 2, failed: 0 });
    const number = done.result.orders[0]?.number as string;
    expect(number).toMatch(/^HT202603-\d{4}$/);
    const list = (await app.co.as.sales1.get('/api/orders?q=TPL-001')).json().items as Json[];
    expect(list).toHaveLength(1);
    const order = (await app.co.as.sales1.get(`/api/orders/${list[0]?.id}`)).json();
    expect(order).toMatchObject({
      number,
      status: 'draft',
      kind: 'contract',
      receivedVia: 'email',
      currency: 'USD',
      class: 'non_regular',
      totalAmount: '480.00',
    });
    expect(order.classReasons[0]).toMatchObject({ code: 'new_part', partNumbers: ['T-1', 'T-2'] });
    // The same file again: its PO is registered, so nothing is imported twice.
    const again = await run(app.co.as.sales1, '模板.xlsx', sheet);
    expect(again.result.failed).toBe(1);
    expect(again.result.problems[0]).toMatchObject({
      row: 2,
      column: '客户订单号*',
      message: `该客户的订单号 TPL-001 已登记为 ${number}`,
    });
  });

  it('refuses archives the importer may not register orders for, and hides those they may not see', async () => {
    const unknown = await run(app.co.as.sales1, 'a.xlsx', await xlsx(small('没有这个客户有限公司', 'V-1')));
    const hiddenByName = await run(app.co.as.sales1, 'b.xlsx', await xlsx(small(secret.name, 'V-1')));
    const hiddenByCode = await run(app.co.as.sales1, 'c.xlsx', await xlsx(small(secret.archiveCode, 'V-1')));
    expect(unknown.result.problems).toEqual([
      {
        row: 2,
        column: '客户编号或名称*',
        message: '找不到客户档案“没有这个客户有限公司”（请填写档案编号或客户名称）',
      },
    ]);
    // An archive above the importer's clearance reads exactly like one that does not exist.
    expect(hiddenByName.result.problems[0]?.message).toBe(
      `找不到客户档案“${secret.name}”（请填写档案编号或客户名称）`,
    );
    expect(hiddenByCode.result.problems[0]?.message).toBe(
      `找不到客户档案“${secret.archiveCode}”（请填写档案编号或客户名称）`,
    );
    expect(JSON.stringify([hiddenByName.result, hiddenByCode.result])).not.toContain(secret.id);
    // The general manager sees it and may register orders for it.
    const gm = await run(app.co.as.gm, 'd.xlsx', await xlsx(small(secret.archiveCode, 'V-1')));
    expect(gm.result).toMatchObject({ failed: 0, created: 1 });
    const gmCommit = await app.co.as.gm.post(`/api/orders/imports/${gm.id}/commit`, {});
    expect((await finished(app.co.as.gm, gmCommit.json().job.id)).result).toMatchObject({ created: 1 });
    const secretEntry = await app.t.database.db
      .selectFrom('audit_log')
      .select(['secrecy'])
      .where('action', '=', 'order.import_create')
      .where('target_id', '=', secret.id)
      .executeTakeFirstOrThrow();
    expect(Number(secretEntry.secrecy)).toBe(1);
    // sales2 (same department, not an owner) may not register orders for sales1's archive.
    const other = await run(
      app.co.as.sales2,
      'e.xlsx',
      await xlsx(small(archives[1]?.archiveCode as string, 'V-2')),
    );
    expect(other.result.failed).toBe(1);
    expect(other.result.problems[0]?.message).toMatch(
      new RegExp(
        `^(您无权为客户档案 ${archives[1]?.archiveCode} 登记订单|找不到客户档案“${archives[1]?.archiveCode}”.*)$`,
      ),
    );
    // The department manager may.
    const mgr = await run(
      app.co.as.salesmgr,
      'f.xlsx',
      await xlsx(small(archives[1]?.archiveCode as string, 'V-2')),
    );
    expect(mgr.result).toMatchObject({ failed: 0, created: 1 });
    // Someone else's import job is not theirs to commit or read.
    expect((await app.co.as.sales2.post(`/api/orders/imports/${mgr.id}/commit`, {})).statusCode).toBe(404);
  });

  it('reads a CSV saved by Excel in GBK, with a phone order and its 电话纪要', async () => {
    const code = archives[2]?.archiveCode as string;
    const header =
      '客户编号或名称*,客户订单号*,接收方式,接单日期*,料号*,产品名称*,数量*,单位*,要求交期*,来电人,来电时间,电话约定内容';
    const csv = [
      header,
      `${code},TEL-1,电话,2026/2/27,C-1,灯罩,20,只,2026-04-30,王采购,2026-02-27 09:30,先做 20 只样品`,
      `${code},TEL-1,,2026/2/27,C-2,灯座,20,只,2026-04-30,,,`,
      `${code},TEL-2,电话,2026/2/27,C-1,灯罩,20,只,2026-04-30,,,`,
    ].join('\r\n');
    const bad = await run(app.co.as.sales1, '电话订单.csv', gbk(csv));
    expect(bad.result.failed).toBe(1);
    expect(bad.result.problems).toEqual([
      { row: 4, column: '接收方式', message: '电话接单须填写电话纪要（来电人、时间、约定内容）' },
    ]);
    const good = await run(app.co.as.sales1, '电话订单.csv', gbk(csv.split('\r\n').slice(0, 3).join('\r\n')));
    expect(good.result).toMatchObject({ failed: 0, created: 1, lines: 2 });
    const commit = await app.co.as.sales1.post(`/api/orders/imports/${good.id}/commit`, {});
    const done = await finished(app.co.as.sales1, commit.json().job.id);
    const id = (await app.co.as.sales1.get('/api/orders?q=TEL-1')).json().items[0]?.id;
    const order = (await app.co.as.sales1.get(`/api/orders/${id}`)).json();
    expect(done.result.orders[0]?.number).toBe(order.number);
    expect(order).toMatchObject({
      receivedVia: 'phone',
      receivedOn: '2026-02-27',
      phoneMemo: { caller: '王采购', calledAt: '2026-02-27T01:30:00.000Z', agreed: '先做 20 只样品' },
    });
    expect(order.lines).toHaveLength(2);
  });

  it('checks the 10,000 lines LibreOffice saved: the bad rows by number, and writes nothing', async () => {
    const before = await counts(app.t);
    const started = Date.now();
    const check = await run(app.co.as.sales1, 'ERP导出.xlsx', fixture('orders-10k-bad.xlsx'));
    expect(check.status, JSON.stringify(check.error)).toBe('succeeded');
    expect(check.result).toMatchObject({ dryRun: true, rows: ORDERS * LINES_PER_ORDER, created: 0 });
    const bad = Object.keys(BAD_ROWS).map(Number);
    expect([...new Set(check.result.problems.map((p) => p.row))]).toEqual(bad);
    expect(check.result.failed).toBe(bad.length);
    const byRow = Object.fromEntries(check.result.problems.map((p) => [p.row, p]));
    expect(byRow[101]).toMatchObject({ column: '数量*' });
    expect(byRow[2002]).toMatchObject({
      column: '客户编号或名称*',
      message: expect.stringContaining('找不到客户档案'),
    });
    expect(byRow[4003]).toMatchObject({ column: '要求交期*' });
    expect(byRow[6004]).toMatchObject({ column: '料号*', message: '此项为必填' });
    expect(byRow[8002]).toMatchObject({
      column: '类型',
      message: expect.stringContaining('无法识别“框架协议”'),
    });
    expect(byRow[9500]).toMatchObject({ column: '单价' });
    // The error sheet: the original rows plus what is wrong, in Chinese.
    const sheet = await app.co.as.sales1.get(`/api/orders/imports/${check.id}/errors.xlsx`);
    expect(sheet.statusCode).toBe(200);
    const errorRows = await readXlsx(sheet.rawPayload);
    expect(errorRows).toHaveLength(bad.length + 1);
    expect(errorRows[0]?.at(-1)).toBe('错误说明');
    expect(errorRows[1]?.at(-1)).toMatch(/^数量\*：/);
    // Importing it anyway writes nothing at all.
    const commit = await app.co.as.sales1.post(`/api/orders/imports/${check.id}/commit`, {});
    const done = await finished(app.co.as.sales1, commit.json().job.id);
    expect(done.result).toMatchObject({ dryRun: false, created: 0, failed: bad.length });
    expect(await counts(app.t)).toEqual(before);
    console.log(`10k dry run + failed import: ${Date.now() - started} ms`);
  }, 120_000);

  it('imports the corrected 10,000 lines as 2,000 draft orders, numbered, classed and audited', async () => {
    const before = await counts(app.t);
    const db = app.t.database.db;
    const imports = async () =>
      (await db.selectFrom('audit_log').select('seq').where('action', '=', 'order.import').execute()).length;
    const importsBefore = await imports();
    const started = Date.now();
    const check = await run(app.co.as.sales1, 'ERP导出.xlsx', fixture('orders-10k.xlsx'));
    expect(check.result).toMatchObject({ failed: 0, created: ORDERS, lines: ORDERS * LINES_PER_ORDER });
    const checked = Date.now();
    const commit = await app.co.as.sales1.post(`/api/orders/imports/${check.id}/commit`, {});
    expect(commit.statusCode, commit.body).toBe(202);
    const done = await finished(app.co.as.sales1, commit.json().job.id);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({
      dryRun: false,
      failed: 0,
      created: ORDERS,
      lines: ORDERS * LINES_PER_ORDER,
    });
    expect(done.progress).toEqual({ done: ORDERS * LINES_PER_ORDER, total: ORDERS * LINES_PER_ORDER });
    console.log(`10k: dry run ${checked - started} ms, import ${Date.now() - checked} ms`);
    const after = await counts(app.t);
    expect(after.orders - before.orders).toBe(ORDERS);
    expect(after.lines - before.lines).toBe(ORDERS * LINES_PER_ORDER);
    expect(after.history - before.history).toBe(ORDERS * 2);
    const imported = await db
      .selectFrom('orders')
      .select(['number', 'status', 'class', 'customer_id', 'customer_po', 'total_amount'])
      .where('customer_po', 'like', 'PO2026%')
      .orderBy('number')
      .execute();
    expect(imported).toHaveLength(ORDERS);
    expect(new Set(imported.map((o) => o.number)).size).toBe(ORDERS);
    expect(imported.every((o) => o.status === 'draft' && /^HT202603-\d{4}$/.test(o.number))).toBe(true);
    // Every customer's first orders carry parts never ordered: 非常规 by the same rule as the form.
    expect(imported.every((o) => o.class === 'non_regular')).toBe(true);
    // Order 1: 5 lines (PO202600001), amounts summed.
    const first = imported.find((o) => o.customer_po === 'PO202600001');
    const lines = await db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select(['order_lines.line_no', 'order_lines.part_number', 'order_lines.quantity'])
      .where('orders.customer_po', '=', 'PO202600001')
      .orderBy('order_lines.line_no')
      .execute();
    expect(lines.map((l) => [Number(l.line_no), l.part_number, Number(l.quantity)])).toEqual([
      [1, 'P-0001', 100],
      [2, 'P-0014', 200],
      [3, 'P-0027', 300],
      [4, 'P-0040', 400],
      [5, 'P-0053', 500],
    ]);
    expect(Number(first?.total_amount)).toBeCloseTo(
      100 * 8 + 200 * 8.25 + 300 * 8.5 + 400 * 8.75 + 500 * 9,
      2,
    );
    // One entry for the import, one per archive naming its new orders, at the archive's secrecy.
    expect(await imports()).toBe(importsBefore + 1);
    const perArchive = await db
      .selectFrom('audit_log')
      .select(['target_id', 'secrecy', 'details'])
      .where('action', '=', 'order.import_create')
      .where('details', 'like', `%${commit.json().job.id}%`)
      .execute();
    expect(perArchive.map((a) => a.target_id).sort()).toEqual(archives.map((a) => a.id).sort());
    expect(perArchive.every((a) => Number(a.secrecy) === 0)).toBe(true);
    expect(
      perArchive.reduce((n, a) => n + (JSON.parse(a.details as string).orders as string[]).length, 0),
    ).toBe(ORDERS);
  }, 180_000);
});
