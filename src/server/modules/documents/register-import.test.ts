import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { BAD_ROWS, REGISTER_ROWS } from '../../test-support/fixtures/make-external-register.js';
import { gbk, multipart, readXlsx } from '../../test-support/sheets.js';
import { archiveNoShape, findLayout, headerKey, splitIssueOrVersion } from './register-sheet.js';

// Importing the registers a company kept in Excel (R-D3, R-W3): the 500-row 外来文件清单
// LibreOffice made (test-support/fixtures/make-external-register.ts: a merged title, a two-row
// header merged over 发布日期／版本, full-width characters, date cells) — a dry run names the bad
// rows, an import with bad rows writes nothing, the good file registers 500 standards; a
// 客户提供资料一览表 in GBK CSV where a hidden archive reads like a missing one; a 归档文件目录 whose
// 档号 are kept, checked for shape and duplicates, and whose counters move past them.

type Json = Record<string, unknown>;
type Result = {
  dryRun: boolean;
  rows: number;
  created: number;
  failed: number;
  problems: { row: number; column: string; message: string }[];
};
const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../test-support/fixtures/${name}`, import.meta.url));

async function finished(client: Client, id: string): Promise<Json & { result: Result; status: string }> {
  for (let i = 0; i < 2400; i++) {
    const job = (await client.get(`/api/jobs/${id}`)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

async function run(client: Client, url: string, fileName: string, content: Buffer) {
  const { payload, headers } = multipart(fileName, content);
  const res = await client.inject({ method: 'POST', url, payload, headers });
  expect(res.statusCode, res.body).toBe(202);
  return finished(client, res.json().job.id);
}

async function commit(client: Client, jobId: string) {
  const res = await client.post(`/api/documents/register-imports/${jobId}/commit`);
  expect(res.statusCode, res.body).toBe(202);
  return finished(client, res.json().job.id);
}

async function documentCount(t: TestApp) {
  const row = await t.database.db
    .selectFrom('documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n');

describe('register import: reading headers as people write them', () => {
  it('folds full-width characters, spaces, marks and notes out of header names', () => {
    expect(headerKey('发布日期／版本')).toBe('发布日期/版本');
    expect(headerKey(' 文件名称（标准名称）')).toBe('文件名称');
    expect(headerKey('档　号*')).toBe('档号');
  });

  it('finds the header below a title and under a header merged over two rows', () => {
    const layout = findLayout([
      ['外来文件清单', '外来文件清单', '外来文件清单', '外来文件清单'],
      ['文件名称', '文件编号', '发布日期／版本', '发布日期／版本'],
      ['文件名称', '文件编号', '发布日期', '版本'],
      ['冷轧钢板', 'GB/T 708', '2019-05-10', '2019版'],
    ]);
    expect(layout?.headerRows).toEqual([3]);
    expect(Object.fromEntries(layout?.index ?? [])).toEqual({
      title: 0,
      docNumber: 1,
      issueDate: 2,
      versionLabel: 3,
    });
    // A sub-header that leaves the other columns empty (merges not filled, as in a CSV).
    const split = findLayout([
      ['文件名称', '发布日期/版本', '', '接收日期'],
      ['', '发布日期', '版本', ''],
      ['冷轧钢板', '2019-05-10', '2019版', '2026-01-08'],
    ]);
    expect(split?.headerRows).toEqual([1, 2]);
    expect(Object.fromEntries(split?.index ?? [])).toEqual({
      title: 0,
      issueDate: 1,
      versionLabel: 2,
      receivedDate: 3,
    });
  });

  it('splits 发布日期/版本 and reads 档号 by the configured pattern', () => {
    expect(splitIssueOrVersion('2019-05-10 / 2019版')).toEqual({ date: '2019-05-10', label: '2019版' });
    expect(splitIssueOrVersion('2019/5/10')).toEqual({ date: '2019-05-10', label: null });
    expect(splitIssueOrVersion('A/0')).toEqual({ date: null, label: 'A/0' });
    expect(splitIssueOrVersion('２０１９－０５－１０／２０１９版')).toEqual({
      date: '2019-05-10',
      label: '2019版',
    });
    const shape = archiveNoShape('{fonds}-{class}·{yyyy}-{retention}-{dept}-{seq:4}', 'Z001');
    expect(shape('Z001-WS·2020-D10-ZL-0007')).toEqual({
      parts: { seq: '0007', yyyy: '2020', class: 'WS', retention: 'D10', dept: 'ZL' },
      seq: 7,
      counter: 'archive_no:Z001-WS·2020-D10-ZL-#',
    });
    expect(shape('Z002-WS·2020-D10-ZL-0007')).toBeNull();
    expect(shape('Z001-WS-2020-D10-ZL-0007')).toBeNull();
    expect(shape('Z001-WS·2020-D10-ZL-07')).toBeNull();
  });
});

describe('register import: a 500-row 外来文件清单 made by LibreOffice', () => {
  const app = companyApp();
  const url = '/api/documents/registers/external/imports?category=product_standards';

  it('reports the bad rows in a dry run and an error sheet, and writes nothing when any row fails', async () => {
    const { as } = app.co;
    const before = await documentCount(app.t);
    const dry = await run(as.qa1, url, '外来文件清单.xlsx', fixture('external-register-bad.xlsx'));
    expect(dry.status, JSON.stringify(dry)).toBe('succeeded');
    expect(dry.result).toMatchObject({ dryRun: true, rows: REGISTER_ROWS, failed: 3, created: 0 });
    expect(dry.result.problems.map((p) => [p.row, p.column])).toEqual([
      [BAD_ROWS[0], '文件名称（标准名称）'],
      [BAD_ROWS[1], '接收日期'],
      [BAD_ROWS[2], '归口部门'],
    ]);
    expect(dry.result.problems[1]?.message).toContain('2026-02-30');
    expect(dry.result.problems[2]?.message).toContain('不存在的部门');
    const sheet = await readXlsx(
      (await as.qa1.get(`/api/documents/register-imports/${dry.id}/errors.xlsx`)).rawPayload,
    );
    expect(sheet[0]).toEqual([
      '序号',
      '文件名称（标准名称）',
      '文件编号',
      '发布日期',
      '版本',
      '接收日期',
      '归口部门',
      '分发范围',
      '错误说明',
    ]);
    expect(sheet.slice(1).map((r) => r[0])).toEqual(['7', '47', '197']);
    expect(sheet[3]?.at(-1)).toContain('归口部门');
    // The real run from the checked file: still three bad rows, so not one standard is written.
    const real = await commit(as.qa1, dry.id as string);
    expect(real.result).toMatchObject({ dryRun: false, rows: REGISTER_ROWS, failed: 3, created: 0 });
    expect(await documentCount(app.t)).toBe(before);
  });

  it('registers all 500 standards from the good file, full-width text and dates as typed', async () => {
    const { as } = app.co;
    const dry = await run(as.qa1, url, '外来文件清单.xlsx', fixture('external-register-500.xlsx'));
    expect(dry.result).toMatchObject({
      dryRun: true,
      rows: REGISTER_ROWS,
      failed: 0,
      created: REGISTER_ROWS,
    });
    expect(await documentCount(app.t)).toBe(0);
    const real = await commit(as.qa1, dry.id as string);
    expect(real.result).toMatchObject({ dryRun: false, failed: 0, created: REGISTER_ROWS });
    expect(await documentCount(app.t)).toBe(REGISTER_ROWS);
    // Committing the same check twice would register everything twice: refused once it ran.
    expect((await as.qa1.post(`/api/documents/register-imports/${dry.id}/commit`)).statusCode).toBe(409);
    const lines = (await as.qa1.get('/api/documents/registers/external.csv')).rawPayload
      .toString('utf8')
      .split('\r\n');
    expect(lines).toHaveLength(REGISTER_ROWS + 2);
    // Standard 3: full-width brackets and letters in its title; its number full-width; dates cells.
    expect(lines).toContain(
      `3,（第3号）紧固件标准 Ｍ3,ＧＢ／Ｔ １００３－２００３,2003-04-04 / 2003版,2025-04-04,品质部,,现行`,
    );
    // Standard 5: received 「２０２５年６月６日」 typed as text; standard 4 belongs to 销售部.
    expect(lines).toContain(
      '5,冷轧钢板标准第5部分,ＧＢ／Ｔ １００５－２００５,2005-06-06 / 2005版,2025-06-06,品质部,,现行',
    );
    expect(lines).toContain(
      '4,冷轧钢板标准第4部分,GB/T 1004-2004,2004-05-05 / 2004版,2025-05-05,销售部,,现行',
    );
    const found = (await as.qa1.get(`/api/documents?q=${encodeURIComponent('冷轧钢板标准第5部分')}`)).json()
      .items as Json[];
    const doc = (await as.qa1.get(`/api/documents/${found[0]?.id}`)).json();
    expect(doc).toMatchObject({
      category: 'product_standards',
      carrier: 'paper',
      source: 'standards_body',
      remarks: '分发范围：品质部、生产部',
    });
    const audit = (await as.admin.get('/api/audit?action=document.import')).json().items as Json[];
    expect(audit.map((a) => (a.details as Json).written)).toEqual([true, false]);
  });

  it('refuses a category of another register and an importer who may not register documents', async () => {
    const { as } = app.co;
    const { payload, headers } = multipart('x.xlsx', fixture('external-register-500.xlsx'));
    const uploads = path.join(app.t.dataDir, 'tmp', 'register-imports');
    const before = fs.readdirSync(uploads).length;
    const wrong = await as.qa1.inject({
      method: 'POST',
      url: '/api/documents/registers/external/imports?category=customer_supplied',
      payload,
      headers,
    });
    expect(wrong.statusCode).toBe(422);
    const filed = await as.qa1.inject({
      method: 'POST',
      url: '/api/documents/registers/filed/imports?category=records',
      payload,
      headers,
    });
    expect(filed.statusCode).toBe(403);
    // Refused before the upload is received: nothing is left behind.
    expect(fs.readdirSync(uploads)).toHaveLength(before);
  });
});

describe('register import: 客户提供资料一览表 and 归档文件目录', () => {
  const app = companyApp();
  let visible: { code: string; name: string };
  beforeAll(async () => {
    const { co } = app;
    await co.as.admin.patch(`/api/departments/${co.quality}`, { code: 'ZL' });
    const a = (
      await co.as.sales1.post('/api/customers', {
        name: '佛山精工五金厂',
        category: 'general',
        kind: 'business',
      })
    ).json();
    visible = { code: a.archiveCode, name: a.name };
    // A 机密 archive sales1 does not see.
    await co.as.gm.post('/api/customers', {
      name: '保密客户有限公司',
      category: 'key',
      kind: 'business',
      secrecy: 'confidential',
    });
  });

  it('reads a GBK CSV; a hidden archive is told like one that does not exist; all or nothing', async () => {
    const { as } = app.co;
    const url = '/api/documents/registers/customer/imports';
    const head = [
      '序号',
      '客户',
      '文件名称',
      '文件编号',
      '发布日期/版本',
      '接收日期',
      '归口部门',
      '分发范围',
      '是否引起内部文件变更（PFMEA、控制计划、BOM、SOP）',
      '状态',
    ];
    const good = [
      '1',
      `${visible.name}（${visible.code}）`,
      '支架图纸',
      'FS-001',
      'B',
      '2026-02-02',
      '销售部',
      '',
      'PFMEA、控制计划',
      '现行',
    ];
    const hidden = ['2', '保密客户有限公司', '保密图纸', 'BM-1', '', '2026-02-02', '', '', '否', '现行'];
    const nobody = ['3', '没有这个客户', '某图纸', 'X-1', '', '2026-02-02', '', '', '', '现行'];
    const before = await documentCount(app.t);
    const dry = await run(as.sales1, url, '客户提供资料.csv', gbk(csv([head, good, hidden, nobody])));
    expect(dry.result).toMatchObject({ rows: 3, failed: 2 });
    expect(dry.result.problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [3, '客户', '客户“保密客户有限公司”不存在或无权查看'],
      [4, '客户', '客户“没有这个客户”不存在或无权查看'],
    ]);
    const real = await commit(as.sales1, dry.id as string);
    expect(real.result).toMatchObject({ failed: 2, created: 0 });
    expect(await documentCount(app.t)).toBe(before);
    // A row the old register marks 作废 is registered as withdrawn.
    const old = [
      '2',
      visible.code,
      '支架图纸（旧版）',
      'FS-000',
      '',
      '2025-02-02',
      '',
      '',
      '',
      '作废 2025-12-01',
    ];
    const ok = await run(as.sales1, url, '客户提供资料.csv', gbk(csv([head, good, old])));
    expect((await commit(as.sales1, ok.id as string)).result).toMatchObject({ created: 2, failed: 0 });
    const lines = new TextDecoder('gbk')
      .decode((await as.sales1.get('/api/documents/registers/customer.csv?encoding=gbk')).rawPayload)
      .split('\r\n');
    expect(lines[2]).toMatch(
      /^2,佛山精工五金厂（KH\d+）,支架图纸（旧版）,FS-000,,2025-02-02,销售部,,否,作废/,
    );
    const row = lines[1];
    expect(row).toBe(
      `1,${visible.name}（${visible.code}）,支架图纸,FS-001,B,2026-02-02,销售部,,PFMEA、控制计划,现行`,
    );
  });

  it('keeps existing 档号, checked for shape and duplicates, and numbers on after them', async () => {
    const { as } = app.co;
    // A record filed in Kedang already: Z001-WS·2020-D10-ZL-0001.
    const existing = (
      await as.qa1.post('/api/documents', {
        title: '2020年管理评审报告',
        category: 'records',
        issueDate: '2020-01-10',
        carrier: 'paper',
      })
    ).json();
    expect((await as.archivist.post(`/api/documents/${existing.id}/file`)).json().archiveNo).toBe(
      'Z001-WS·2020-D10-ZL-0001',
    );
    const url = '/api/documents/registers/filed/imports?category=records';
    const head = ['序号', '档号', '文号', '责任者', '题名', '日期', '密级', '页数', '备注'];
    const rows = [
      [
        '1',
        'Z001-WS·2020-D10-ZL-0007',
        'ZL-2020-07',
        '品质部',
        '2020年内审报告',
        '20200314',
        '普通',
        '12',
        '附整改清单',
      ],
      [
        '2',
        'Z001-WS·2020-D10-ZL-0003',
        'ZL-2020-03',
        '品质部',
        '2020年供应商审核',
        '20200402',
        '机密★10年',
        '8',
        '',
      ],
      [
        '3',
        'Z001-WS-2020-D10-ZL-0009',
        'ZL-2020-09',
        '品质部',
        '格式不对的档号',
        '20200501',
        '普通',
        '1',
        '',
      ],
      ['4', 'Z001-WS·2020-D10-ZL-0007', 'ZL-2020-10', '品质部', '重复的档号', '20200601', '普通', '1', ''],
      [
        '5',
        'Z001-WS·2020-D10-ZL-0001',
        'ZL-2020-11',
        '品质部',
        '已被使用的档号',
        '20200701',
        '普通',
        '1',
        '',
      ],
      ['6', 'Z001-WS·2020-D10-ZL-0012', 'ZL-2020-12', '品质部', '绝密记录', '20200801', '绝密', '1', ''],
    ];
    const file = Buffer.from(`\uFEFF${csv([head, ...rows])}`, 'utf8');
    const dry = await run(as.archivist, url, '归档文件目录.csv', file);
    expect(dry.result.problems.map((p) => [p.row, p.column])).toEqual([
      [4, '档号'],
      [5, '档号'],
      [6, '档号'],
      [7, '密级'],
    ]);
    // A person reads an example of the shape, not the pattern's placeholders.
    expect(dry.result.problems[0]?.message).toBe(
      '“Z001-WS-2020-D10-ZL-0009”不符合本单位的档号格式，应形如 Z001-WS·2024-D10-ZL-0001',
    );
    expect(dry.result.problems[1]?.message).toBe('与第 2 行重复');
    expect(dry.result.problems[2]?.message).toBe('档号 Z001-WS·2020-D10-ZL-0001 已被使用');
    const ok = await run(
      as.archivist,
      url,
      '归档文件目录.csv',
      Buffer.from(csv([head, ...rows.slice(0, 2)]), 'utf8'),
    );
    expect((await commit(as.archivist, ok.id as string)).result).toMatchObject({ created: 2, failed: 0 });
    const catalogue = (await as.archivist.get('/api/documents/registers/filed.csv')).rawPayload
      .toString('utf8')
      .slice(1)
      .split('\r\n');
    expect(catalogue.slice(0, 4)).toEqual([
      '序号,档号,文号,责任者,题名,日期,密级,页数,备注',
      '1,Z001-WS·2020-D10-ZL-0001,,,2020年管理评审报告,20200110,普通,,',
      '2,Z001-WS·2020-D10-ZL-0003,ZL-2020-03,品质部,2020年供应商审核,20200402,机密,8,',
      '3,Z001-WS·2020-D10-ZL-0007,ZL-2020-07,品质部,2020年内审报告,20200314,普通,12,附整改清单',
    ]);
    const secret = (await as.archivist.get(`/api/documents?q=${encodeURIComponent('供应商审核')}`)).json()
      .items as Json[];
    expect(secret[0]).toMatchObject({ secrecy: 'confidential' });
    // The next record filed in that sequence comes after the numbers kept; 2, 4–6 are gaps.
    const next = (
      await as.qa1.post('/api/documents', {
        title: '2020年纠正措施汇总',
        category: 'records',
        issueDate: '2020-12-01',
        carrier: 'paper',
      })
    ).json();
    expect((await as.archivist.post(`/api/documents/${next.id}/file`)).json().archiveNo).toBe(
      'Z001-WS·2020-D10-ZL-0008',
    );
    const check = (await as.archivist.get('/api/documents/archive-check')).json();
    expect(check.sequences).toContainEqual({
      sequence: 'Z001-WS·2020-D10-ZL-',
      issued: 8,
      used: 4,
      missing: [2, 4, 5, 6],
    });
  });
});
