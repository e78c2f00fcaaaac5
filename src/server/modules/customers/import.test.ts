import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp, tableCounts } from '../../test-support/app.js';
import { type Company, seedCompany, uscc } from '../../test-support/customers.js';
import { gbk, multipart, readXlsx, xlsx } from '../../test-support/sheets.js';

type Json = Record<string, unknown>;

async function upload(client: Client, fileName: string, content: Buffer, dryRun: boolean) {
  const { payload, headers } = multipart(fileName, content);
  return client.inject({ method: 'POST', url: `/api/customers/imports?dryRun=${dryRun}`, payload, headers });
}

async function finished(client: Client, id: string): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const job = (await client.get(`/api/jobs/${id}`)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

const HEADER = [
  '档案编号',
  '客户名称*',
  '统一社会信用代码',
  '客户类别*',
  '客户种类*',
  '电话',
  '地区',
  '负责人',
  '主要联系人',
  '联系人电话',
  '首次接触日期',
];

describe('importing customer archives from Excel and CSV (R-W3)', () => {
  let t: TestApp;
  let co: Company;
  let mgr: Client;
  let existing: Json;

  beforeAll(async () => {
    t = await createTestApp();
    co = await seedCompany(t);
    mgr = co.as.salesmgr;
    existing = (
      await mgr.post('/api/customers', {
        name: '已有客户有限公司',
        category: 'general',
        kind: 'business',
        region: '广州',
      })
    ).json();
  });
  afterAll(() => t.close());

  it('offers a template with the register columns and instructions', async () => {
    const res = await mgr.get('/api/customers/import-template.xlsx');
    expect(res.statusCode).toBe(200);
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual(
      expect.arrayContaining(['档案编号', '客户名称*', '统一社会信用代码', '客户类别*', '客户种类*']),
    );
    expect((await co.as.sales1.get('/api/customers/import-template.xlsx')).statusCode).toBe(403);
  });

  const rows = () => [
    HEADER,
    [
      '',
      '东莞精密五金有限公司',
      uscc(101),
      '一般客户',
      '业务客户',
      '0769-22334455',
      '东莞',
      'sales1',
      '刘工',
      '013800000001',
      '2026-02-27',
    ],
    ['', '坏信用代码公司', '91440300MA5XXXXXX0', '一般客户', '业务客户', '', '', '', '', '', ''],
    [
      '',
      '中山灯饰有限公司',
      uscc(102),
      '重点客户',
      '业务客户',
      '',
      '中山',
      'sales1、sales2',
      '',
      '',
      '2026/2/10',
    ],
    ['', '类别错误公司', '', '贵宾客户', '业务客户', '', '', '', '', '', ''],
    ['', '珠海电子有限公司', '', '潜在客户', '供应商', '', '珠海', '', '', '', ''],
    ['', '', '', '一般客户', '业务客户', '', '', '', '', '', ''],
    ['', '重复信用代码公司', uscc(101), '一般客户', '业务客户', '', '', '', '', '', ''],
    [existing.archiveCode as string, '', '', '', '', '', '深圳', '', '', '', ''],
    ['', '负责人错误公司', '', '一般客户', '业务客户', '', '', 'nobody', '', '', ''],
    ['KH20269999', '不存在的档案', '', '一般客户', '业务客户', '', '', '', '', '', ''],
  ];

  let checkJob: Json;

  it('checks every row in a dry run, reporting row and column, and changes nothing', async () => {
    const before = await tableCounts(t);
    const res = await upload(mgr, '客户导入.xlsx', await xlsx(rows()), true);
    expect(res.statusCode).toBe(202);
    checkJob = await finished(mgr, res.json().job.id);
    expect(checkJob).toMatchObject({ status: 'succeeded', progress: { done: 10, total: 10 } });
    const result = checkJob.result as Json;
    expect(result).toMatchObject({
      dryRun: true,
      fileName: '客户导入.xlsx',
      rows: 10,
      created: 3,
      updated: 1,
      unchanged: 0,
      failed: 6,
    });
    const problems = (result.problems as Json[]).map((p) => `${p.row}|${p.column}|${p.message}`);
    expect(problems).toEqual([
      `3|统一社会信用代码|统一社会信用代码校验位不正确，请核对后重新输入`,
      `5|客户类别*|“贵宾客户”不是有效的选项`,
      `7|客户名称*|此项为必填`,
      `8|统一社会信用代码|与第 2 行的统一社会信用代码重复`,
      `10|负责人|“nobody”不是有效的选项`,
      `11|档案编号|请求的内容不存在`,
    ]);
    const after = await tableCounts(t);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect((await mgr.get('/api/customers/count')).json().count).toBe(1);
  });

  it('offers the failed rows as the original sheet with an error column', async () => {
    const res = await mgr.get(`/api/customers/imports/${checkJob.id}/errors.xlsx`);
    expect(res.statusCode).toBe(200);
    const sheet = await readXlsx(res.rawPayload);
    expect(sheet[0]).toEqual([...HEADER, '错误说明']);
    expect(sheet).toHaveLength(7);
    expect(sheet[1]?.[1]).toBe('坏信用代码公司');
    expect(sheet[1]?.at(-1)).toBe('统一社会信用代码：统一社会信用代码校验位不正确，请核对后重新输入');
    // Someone else's import does not exist for the caller (R-P1).
    expect((await co.as.gm.get(`/api/customers/imports/${checkJob.id}/errors.xlsx`)).statusCode).toBe(404);
  });

  it('imports only the good rows in the real run, and applies the update with its history', async () => {
    const res = await mgr.post(`/api/customers/imports/${checkJob.id}/commit`);
    expect(res.statusCode).toBe(202);
    const job = await finished(mgr, res.json().job.id);
    expect(job.result).toMatchObject({ dryRun: false, created: 3, updated: 1, failed: 6 });
    const names = (await mgr.get('/api/customers?sort=name&limit=50'))
      .json()
      .items.map((c: Json) => c.name)
      .sort();
    expect(names).toEqual(
      ['东莞精密五金有限公司', '中山灯饰有限公司', '已有客户有限公司', '珠海电子有限公司'].sort(),
    );
    const dg = (await mgr.get(`/api/customers?q=${encodeURIComponent('精密五金')}`)).json().items[0];
    expect(dg).toMatchObject({
      archiveCode: 'KH20260002',
      owners: ['sales1'],
      primaryContact: { name: '刘工', phone: '013800000001' },
      // Five working days after Friday 02-27: Saturday 02-28 is a working day (调休).
      filingDueDate: '2026-03-05',
    });
    const detail = (await mgr.get(`/api/customers/${dg.id}`)).json();
    expect(detail).toMatchObject({
      phone: '0769-22334455',
      creditCode: uscc(101),
      firstContactDate: '2026-02-27',
      departmentId: co.sales,
    });
    // Found at once by any part of its codes too (tokens made by the worker and the writer).
    for (const q of ['20260002', '22334455', '0769-2233', uscc(101).slice(-6)])
      expect((await mgr.get(`/api/customers?q=${q}`)).json().items.map((c: Json) => c.id)).toEqual([dg.id]);
    const zs = (await mgr.get(`/api/customers?q=${encodeURIComponent('灯饰')}`)).json().items[0];
    expect(zs.owners.sort()).toEqual(['sales1', 'sales2']);
    expect((await mgr.get(`/api/customers?kind=supplier`)).json().items[0].archiveCode).toBe('GS20260001');
    const updated = (await mgr.get(`/api/customers/${existing.id}`)).json();
    expect(updated.region).toBe('深圳');
    const history = (await mgr.get(`/api/customers/${existing.id}/history`)).json().items;
    expect(history[0]).toMatchObject({
      field: 'region',
      oldValue: '广州',
      newValue: '深圳',
      note: '导入更新（第 9 行）',
    });
    const audit = (await co.as.admin.get('/api/audit?action=customer.import_batch')).json().items;
    expect(audit[0].details.created).toHaveLength(3);
    // The same dry run cannot be committed twice by someone else.
    expect((await co.as.gm.post(`/api/customers/imports/${checkJob.id}/commit`)).statusCode).toBe(404);
  });

  it('reads CSV saved by Excel in GBK, and in UTF-8 with a BOM', async () => {
    const csv = `${HEADER.join(',')}\r\n,佛山陶瓷有限公司,,一般客户,业务客户,0757-1234567,佛山,,,,\r\n`;
    const gbkJob = await finished(mgr, (await upload(mgr, '客户.csv', gbk(csv), false)).json().job.id);
    expect(gbkJob.result).toMatchObject({ rows: 1, created: 1, failed: 0 });
    const utf8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(csv.replace('佛山陶瓷', '江门五金')),
    ]);
    const utfJob = await finished(mgr, (await upload(mgr, 'customers.csv', utf8, false)).json().job.id);
    expect(utfJob.result).toMatchObject({ rows: 1, created: 1 });
    const found = (await mgr.get(`/api/customers?q=${encodeURIComponent('陶瓷')}`)).json().items[0];
    expect(found).toMatchObject({ name: '佛山陶瓷有限公司', region: '佛山' });
    expect((await mgr.get(`/api/customers/${found.id}`)).json().phone).toBe('0757-1234567');
  });

  it('refuses cells with control characters like a form does, naming the column', async () => {
    // A BEL in the phone and a NUL in the region: refused like in a form, and the row not imported.
    const csv = `${HEADER.join(',')}\r\n,惠州电池有限公司,,一般客户,业务客户,0752-1234567,惠州,,,,\r\n,汕头玩具有限公司,,一般客户,业务客户,0754-12\u0007345,汕头\u0000市,,,,\r\n`;
    const job = await finished(mgr, (await upload(mgr, '客户.csv', Buffer.from(csv), true)).json().job.id);
    expect(job.result).toMatchObject({ rows: 2, created: 1, failed: 1 });
    const problems = ((job.result as Json).problems as Json[]).map(
      (p) => `${p.row}|${p.column}|${p.message}`,
    );
    expect(problems).toEqual([
      `3|${HEADER[5]}|含有无法保存的字符（控制字符或残缺的 Unicode 字符），请删除后重新输入`,
      `3|${HEADER[6]}|含有无法保存的字符（控制字符或残缺的 Unicode 字符），请删除后重新输入`,
    ]);
  });

  it('fails a file without the required columns with a clear message', async () => {
    const job = await finished(
      mgr,
      (
        await upload(
          mgr,
          'wrong.xlsx',
          await xlsx([
            ['名字', '电话'],
            ['某公司', '123'],
          ]),
          true,
        )
      ).json().job.id,
    );
    expect(job).toMatchObject({
      status: 'failed',
      error: '缺少必需的列：客户名称、客户类别、客户种类（请使用导入模板）',
    });
  });

  it('answers 400/415 problem+json to an upload that is not one whole multipart file, and keeps nothing', async () => {
    const before = await tableCounts(t);
    const imports = path.join(t.dataDir, 'tmp', 'imports');
    const kept = () => (fs.existsSync(imports) ? fs.readdirSync(imports, { recursive: true }).length : 0);
    const keptBefore = kept();
    const form = multipart('客户.csv', Buffer.from('客户名称*,客户类别*,客户种类*\n华星,general,business\n'));
    const type = form.headers['content-type'] as string;
    const boundary = type.split('boundary=')[1];
    const empty = multipart('客户.csv', Buffer.alloc(0));
    const send = (payload: string | Buffer | undefined, contentType?: string) =>
      mgr.inject({
        method: 'POST',
        url: '/api/customers/imports?dryRun=true',
        ...(payload === undefined ? {} : { payload }),
        headers: contentType ? { 'content-type': contentType } : {},
      });
    const cases: [string, () => ReturnType<typeof send>, number, string][] = [
      ['no body', () => send(undefined), 415, 'unsupported_media_type'],
      ['JSON', () => send('{"file":"x"}', 'application/json'), 415, 'unsupported_media_type'],
      [
        'the file itself',
        () => send(Buffer.from('a,b\n'), 'application/octet-stream'),
        415,
        'unsupported_media_type',
      ],
      [
        'multipart without a boundary',
        () => send(form.payload, 'multipart/form-data'),
        400,
        'upload_malformed',
      ],
      [
        'truncated multipart',
        () => send(form.payload.subarray(0, form.payload.length - 40), type),
        400,
        'upload_malformed',
      ],
      [
        'multipart without a file',
        () =>
          send(
            `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--${boundary}--\r\n`,
            type,
          ),
        400,
        'file_required',
      ],
      [
        // The parser skips a part with a line break in its file name; 20 KB of it in one chunk
        // used to stall the parser for good (patches/@fastify+busboy: the fuzz suite hung on it).
        'a skipped part larger than a stream buffer, in one chunk',
        () =>
          send(
            Buffer.concat([
              Buffer.from(
                `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="line\nbreak.csv"\r\n\r\n`,
              ),
              Buffer.alloc(20_000, 0x41),
              Buffer.from(`\r\n--${boundary}--\r\n`),
            ]),
            type,
          ),
        400,
        'file_required',
      ],
      ['an empty file', () => send(empty.payload, empty.headers['content-type']), 400, 'file_empty'],
    ];
    const wrong: string[] = [];
    for (const [what, sendIt, status, code] of cases) {
      const res = await sendIt();
      const got = res.json() as Json;
      if (res.statusCode !== status || got.code !== code)
        wrong.push(`${what}: ${res.statusCode} ${got.code}`);
    }
    expect(wrong).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
    expect(kept()).toBe(keptBefore);
  });

  it('refuses other file types, empty uploads and people without the right', async () => {
    const txt = await upload(mgr, 'notes.txt', Buffer.from('hello'), true);
    expect(txt.json()).toMatchObject({ status: 422, code: 'file_type' });
    const none = await mgr.inject({
      method: 'POST',
      url: '/api/customers/imports',
      payload: '',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(none.statusCode).toBeGreaterThanOrEqual(400);
    expect(none.statusCode).toBeLessThan(500);
    expect((await upload(co.as.sales1 as Client, 'a.xlsx', await xlsx([HEADER]), true)).statusCode).toBe(403);
  });

  it('tells no row an archive it may not see from one that does not exist, on the column that matched (R-P1)', async () => {
    const create = async (as: Client, name: string, creditCode: string) => {
      const res = await as.post('/api/customers', {
        name,
        category: 'general',
        kind: 'business',
        creditCode,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; archiveCode: string };
    };
    // The quality department's archive: the sales manager who imports may not see it.
    const hidden = await create(co.as.qamgr, '品质部的客户有限公司', uscc(901));
    const visible = await create(mgr, '销售部的客户有限公司', uscc(902));
    const inactive = await create(mgr, '已停用的客户有限公司', uscc(903));
    expect((await mgr.post(`/api/customers/${inactive.id}/deactivate`, { note: null })).statusCode).toBe(200);
    expect((await mgr.get(`/api/customers/${hidden.id}`)).statusCode).toBe(404);
    // One row per dry run: a sheet may not name an archive twice.
    const probe = async (archiveCode: string, creditCode = '') => {
      const sheet = await xlsx([
        HEADER,
        [archiveCode, '探测公司', creditCode, '一般客户', '业务客户', '', '', '', '', '', ''],
      ]);
      const job = await finished(mgr, (await upload(mgr, '探测.xlsx', sheet, true)).json().job.id);
      return ((job.result as Json).problems as Json[]).map((p) => `${p.column}|${p.message}`);
    };
    const missing = await probe('KH20269998');
    expect(missing).toEqual(['档案编号|请求的内容不存在']);
    // An archive code the importer may not see is an archive code that does not exist, whatever
    // credit code the row carries (its own, a visible archive's, none).
    expect(await probe(hidden.archiveCode)).toEqual(missing);
    expect(await probe(hidden.archiveCode, uscc(901))).toEqual(missing);
    expect(await probe(hidden.archiveCode, uscc(902))).toEqual(missing);
    // A credit code is unique (R-C1): as on the form, the row learns that it is taken, not by what.
    const taken = [
      `统一社会信用代码|统一社会信用代码 ${uscc(901)} 已建档，但您无权查看该档案，请联系档案管理员`,
    ];
    expect(await probe('', uscc(901))).toEqual(taken);
    expect(await probe(visible.archiveCode, uscc(901))).toEqual(taken);
    // Another visible archive's credit code is named as such.
    expect(await probe(visible.archiveCode, uscc(903))).toEqual([
      `统一社会信用代码|该统一社会信用代码属于档案 ${inactive.archiveCode}，与档案编号不一致`,
    ]);
    // Matched by its credit code alone, the problem is that column's.
    expect(await probe('', uscc(903))).toEqual([
      `统一社会信用代码|${inactive.archiveCode}：档案状态为“已停用”，不能修改`,
    ]);
    const problems = [await probe(hidden.archiveCode, uscc(902)), await probe('', uscc(901))].flat();
    expect(problems.join('\n')).not.toContain(hidden.archiveCode);
  });
});
