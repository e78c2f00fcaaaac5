import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createDepartment } from '../../modules/org/service.js';
import { type Client, seedUser, signIn } from '../../test-support/app.js';
import { companyApp } from '../../test-support/customers.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { svgProblem } from './svg-check.js';
import { svgToPng } from './symbols.js';

// Special characteristics (R-S4) through HTTP: a customer's symbol set starts with 盾牌 S, 钻石 D
// and 五角星; the customer's own images (PNG, or an SVG without scripts, handlers or external
// references) are stored and served harmlessly; characteristics per part number are kept and
// checked; the list exports as .xlsx with each row's symbol embedded as a PNG and as a PDF that
// prints the symbols; and all of it is seen exactly where the customer's records are.

type Json = Record<string, unknown>;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('special characteristics and symbols (R-S4)', () => {
  const app = companyApp();
  let n = 0;
  let outsider: Client;

  const archive = async (as: Client) => {
    const res = await as.post('/api/customers', {
      name: `特性测试客户${++n}号汽车部件有限公司`,
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街1号',
      industry: '汽车零部件',
      region: '苏州',
      contacts: [{ name: '王工', mobile: '13800000000', isPrimary: true }],
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; archiveCode: string; name: string };
  };
  const symbolsOf = async (as: Client, customerId: string) => {
    const res = await as.get(`/api/customers/${customerId}/sr-symbols`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Json[]; can: { manage: boolean } };
  };
  const upload = (as: Client, symbolId: string, body: Buffer | string, type = 'application/octet-stream') =>
    as.inject({
      method: 'PUT',
      url: `/api/sr-symbols/${symbolId}/image`,
      headers: { 'content-type': type },
      payload: body,
    });
  const outsiderClient = async () => {
    if (outsider) return outsider;
    const production = await createDepartment(app.t.system, {
      name: '生产部',
      code: 'production',
      parentId: null,
      sortOrder: 0,
    });
    await seedUser(app.t, 'prod1', ['staff'], { departmentId: production.id, clearance: 'top_secret' });
    outsider = await signIn(app.t.app, 'prod1');
    return outsider;
  };
  const auditOf = (customerId: string, action: string) =>
    app.t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_type', '=', 'sr_list')
      .where('target_id', '=', customerId)
      .where('action', '=', action)
      .execute();

  it('starts every customer with 盾牌 S, 钻石 D and 五角星, once, however many ask at once', async () => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const lists = await Promise.all([1, 2, 3, 4, 5].map(() => symbolsOf(as.sales1, c.id)));
    for (const list of lists)
      expect(list.items.map((s) => [s.code, s.name, s.shape, s.charClass, s.active, s.hasImage])).toEqual([
        ['S', '盾牌', 'shield', 'CC', true, false],
        ['D', '钻石', 'diamond', 'SC', true, false],
        ['STAR', '五角星', 'star', 'SC', true, false],
      ]);
    const rows = await app.t.database.db
      .selectFrom('sr_symbols')
      .select('code')
      .where('customer_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(3);
    expect(lists[0]?.can.manage).toBe(true);

    // A symbol Kedang draws: SVG of paths only, served so that nothing in it could run.
    const shield = lists[0]?.items[0] as Json;
    const img = await as.sales1.get(shield.imageUrl as string);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(img.headers['content-security-policy']).toContain("default-src 'none'");
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(img.body).not.toMatch(/<text|<script|href/);
    // The letter S is drawn as its glyph's outline: more than the shield's own path.
    expect((img.body.match(/<path/g) ?? []).length).toBe(2);
    expect(svgProblem(img.body)).toBeNull();
    const png = await svgToPng(img.body, 64);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    // A new symbol after the defaults; its code is unique for the customer.
    const add = await as.sales1.post(`/api/customers/${c.id}/sr-symbols`, {
      code: 'F',
      name: '菱形F',
      meaning: '法规特性',
      shape: 'triangle',
      charClass: 'CC',
      sortOrder: 40,
    });
    expect(add.statusCode, add.body).toBe(201);
    const again = await as.sales1.post(`/api/customers/${c.id}/sr-symbols`, {
      code: 's',
      name: '另一个盾牌',
      shape: 'shield',
      charClass: 'CC',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'sr_symbol_code_taken' });
    const off = await as.sales1.delete(`/api/sr-symbols/${add.json().id}`);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false });
    // A rename changes the name only: the symbol stays inactive and in its place.
    const renamed = await as.sales1.patch(`/api/sr-symbols/${add.json().id}`, { name: '法规F' });
    expect(renamed.json()).toMatchObject({ name: '法规F', active: false, sortOrder: 40 });
    expect((await symbolsOf(as.sales1, c.id)).items).toHaveLength(4);
    expect(await auditOf(c.id, 'sr.symbol_create')).toHaveLength(1);
    expect(await auditOf(c.id, 'sr.symbol_update')).toHaveLength(2);
  });

  it("stores the customer's own PNG or clean SVG, and refuses anything else with a reason", async () => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const [s, d] = (await symbolsOf(as.sales1, c.id)).items as { id: string }[];
    const red = await svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>',
      32,
    );
    const ok = await upload(as.sales1, s?.id as string, red);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ hasImage: true });
    const served = await as.sales1.get(ok.json().imageUrl);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.equals(red)).toBe(true);
    const stored = await app.t.database.db
      .selectFrom('blobs')
      .selectAll()
      .where(
        'sha256',
        '=',
        (
          await app.t.database.db
            .selectFrom('sr_symbols')
            .select('image_sha256')
            .where('id', '=', s?.id as string)
            .executeTakeFirstOrThrow()
        ).image_sha256 as string,
      )
      .executeTakeFirst();
    expect(stored).toMatchObject({ mime: 'image/png', size: red.length });
    expect(await auditOf(c.id, 'sr.symbol_image')).toHaveLength(1);

    const refused = async (body: Buffer | string, code: string, reason: RegExp, type?: string) => {
      const res = await upload(as.sales1, d?.id as string, body, type);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code });
      expect(res.json().title).toMatch(reason);
    };
    await refused('%PDF-1.4\n1 0 obj<<>>endobj', 'sr_symbol_image', /只能是 SVG 或 PNG/);
    await refused(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0xff, 0xfe]), 'sr_symbol_image', /SVG 或 PNG/);
    // A PNG signature with nothing sensible behind it.
    await refused(Buffer.concat([PNG_SIGNATURE, Buffer.alloc(40)]), 'sr_symbol_image', /PNG 文件已损坏/);
    const svg = (inner: string, attrs = '') =>
      `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${inner}</svg>`;
    await refused(svg('<script>alert(1)</script>'), 'sr_symbol_svg_unsafe', /script/, 'image/svg+xml');
    await refused(
      svg('<rect width="5" height="5"/>', ' onload="alert(1)"'),
      'sr_symbol_svg_unsafe',
      /onload/,
    );
    await refused(
      svg('<image href="http://example.com/a.png" width="5" height="5"/>'),
      'sr_symbol_svg_unsafe',
      /外部引用/,
    );
    await refused(svg('<use xlink:href="other.svg#x"/>'), 'sr_symbol_svg_unsafe', /外部引用/);
    await refused(svg('<rect width="5" height="5" fill="url(http://x/y)"/>'), 'sr_symbol_svg_unsafe', /url/);
    await refused(
      svg('<a href="javascript:alert(1)"><rect width="5" height="5"/></a>'),
      'sr_symbol_svg_unsafe',
      /<a>/,
    );
    await refused(
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
      'sr_symbol_svg_unsafe',
      /foreignObject/,
    );
    await refused(
      `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('<rect width="5" height="5"/>')}`,
      'sr_symbol_svg_unsafe',
      /DOCTYPE/,
    );
    await refused(
      svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
      'sr_symbol_svg_unsafe',
      /h:script/,
    );
    await refused(svg('<style>@import url(http://x/y.css);</style>'), 'sr_symbol_svg_unsafe', /import/);
    const big = await upload(as.sales1, d?.id as string, Buffer.alloc(600 * 1024, 0x20));
    expect(big.statusCode).toBe(413);
    expect(await auditOf(c.id, 'sr.symbol_image')).toHaveLength(1);

    // A clean drawing is kept as sent, served as SVG under a policy that forbids scripts.
    const clean = svg(
      '<title>客户菱形</title><defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/></linearGradient></defs><path d="M5 0 L10 5 L5 10 L0 5 Z" fill="url(#g)" style="stroke:#000"/>',
    );
    const put = await upload(as.sales1, d?.id as string, clean, 'image/svg+xml');
    expect(put.statusCode, put.body).toBe(200);
    const got = await as.sales1.get(put.json().imageUrl);
    expect(got.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(got.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.body).toBe(clean);
    // Back to the drawn diamond.
    const cleared = await as.sales1.delete(`/api/sr-symbols/${d?.id}/image`);
    expect(cleared.json()).toMatchObject({ hasImage: false });
  });

  it('keeps characteristics per part number, numbered in order, and checks what they point at', async () => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const other = await archive(as.sales1);
    const syms = (await symbolsOf(as.sales1, c.id)).items as { id: string; code: string }[];
    const S = syms.find((s) => s.code === 'S')?.id;
    const D = syms.find((s) => s.code === 'D')?.id;
    const url = `/api/customers/${c.id}/characteristics`;
    const add = (body: Json) => as.sales1.post(url, body);
    const base = { partNumber: 'P-1001', specification: 'Φ12.00±0.02 mm', charClass: 'SC' };
    const a = await add({
      ...base,
      name: '外径尺寸',
      symbolId: D,
      controlPlanRef: 'CP-1001 第3行',
      inspectionMethod: '千分尺',
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({
      seq: 1,
      partNumber: 'P-1001',
      symbol: { id: D, code: 'D', name: '钻石' },
    });
    const b = await add({
      ...base,
      name: '焊接强度',
      specification: '≥ 2.5 kN',
      charClass: 'CC',
      symbolId: S,
    });
    expect(b.json()).toMatchObject({ seq: 2 });
    const x = await add({ ...base, name: '表面粗糙度', specification: 'Ra ≤ 1.6' });
    expect(x.json()).toMatchObject({ seq: 3, symbol: null });
    const other1 = await add({ ...base, partNumber: 'P-2002', name: '长度' });
    expect(other1.json()).toMatchObject({ seq: 1 });

    // Validation names the field.
    const noName = await add({ ...base, name: ' ' });
    expect(noName.statusCode).toBe(400);
    expect(JSON.stringify(noName.json().errors)).toContain('"field":"name"');
    const mismatch = await add({ ...base, name: '硬度', charClass: 'SC', symbolId: S });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ code: 'sr_char_class_mismatch' });
    expect(mismatch.json().title).toContain('CC');
    const otherSymbols = (await symbolsOf(as.sales1, other.id)).items as { id: string }[];
    const foreign = await add({ ...base, name: '硬度', symbolId: otherSymbols[1]?.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0]).toMatchObject({ field: 'symbolId' });
    const noRequirement = await add({ ...base, name: '硬度', requirementId: 'nope' });
    expect(noRequirement.statusCode).toBe(400);
    expect(noRequirement.json().errors[0]).toMatchObject({ field: 'requirementId' });

    // Added at once, they still number 1, 2, 3 … without a gap or a twin.
    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => add({ ...base, partNumber: 'P-3003', name: `并发特性${i}` })),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(burst.map((r) => r.json().seq).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const r of burst)
      expect((await as.sales1.delete(`/api/characteristics/${r.json().id}`)).statusCode).toBe(204);

    // Keyset pages over (part number, seq).
    const p1 = await as.sales1.get(`${url}?limit=2`);
    expect(p1.json().items.map((i: Json) => i.name)).toEqual(['外径尺寸', '焊接强度']);
    const p2 = await as.sales1.get(`${url}?limit=2&cursor=${p1.json().nextCursor}`);
    expect(p2.json().items.map((i: Json) => [i.partNumber, i.seq])).toEqual([
      ['P-1001', 3],
      ['P-2002', 1],
    ]);
    expect(p2.json().nextCursor).toBeNull();
    const parts = await as.sales1.get(`${url}/parts`);
    expect(parts.json().items).toEqual([
      { partNumber: 'P-1001', count: 3 },
      { partNumber: 'P-2002', count: 1 },
    ]);

    // Changes: a new class must agree with the symbol; moving to another part numbers it last there.
    const bad = await as.sales1.patch(`/api/characteristics/${a.json().id}`, { charClass: 'CC' });
    expect(bad.statusCode).toBe(400);
    const moved = await as.sales1.patch(`/api/characteristics/${x.json().id}`, {
      partNumber: 'P-2002',
      name: '表面粗糙度（外圆）',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ partNumber: 'P-2002', seq: 2, name: '表面粗糙度（外圆）' });
    const gone = await as.sales1.delete(`/api/characteristics/${other1.json().id}`);
    expect(gone.statusCode).toBe(204);
    expect((await as.sales1.get(`/api/characteristics/${other1.json().id}`)).statusCode).toBe(404);
    const list = await as.sales1.get(`${url}?partNumber=P-2002`);
    expect(list.json().items.map((i: Json) => i.name)).toEqual(['表面粗糙度（外圆）']);
    expect(list.json().can).toEqual({ manage: true });

    // Audited: each change, and the reads.
    expect(await auditOf(c.id, 'sr.characteristic_create')).toHaveLength(9);
    expect(await auditOf(c.id, 'sr.characteristic_update')).toHaveLength(1);
    expect(await auditOf(c.id, 'sr.characteristic_delete')).toHaveLength(6);
    expect((await auditOf(c.id, 'sr.characteristics_read')).length).toBeGreaterThanOrEqual(3);
  });

  it('exports the list as .xlsx with each row’s symbol embedded as a PNG, and as a PDF that prints it', async (ctx) => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const syms = (await symbolsOf(as.sales1, c.id)).items as { id: string; code: string }[];
    const S = syms.find((s) => s.code === 'S')?.id as string;
    const D = syms.find((s) => s.code === 'D')?.id as string;
    const STAR = syms.find((s) => s.code === 'STAR')?.id as string;
    // D is the customer's own PNG; S and the star are drawn.
    const logo = await svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><path d="M10 0 L20 10 L10 20 L0 10 Z" fill="#06c"/></svg>',
      40,
    );
    expect((await upload(as.sales1, D, logo)).statusCode).toBe(200);
    const url = `/api/customers/${c.id}/characteristics`;
    const rows = [
      { name: '安全气囊支架焊点强度', specification: '≥ 3.0 kN', charClass: 'CC', symbolId: S },
      { name: '轴承孔内径', specification: 'Φ22.000 +0.021/0', charClass: 'SC', symbolId: D },
      { name: '定位销位置度', specification: '≤ 0.05', charClass: 'SC', symbolId: STAR },
      { name: '外观', specification: '无划伤', charClass: 'SC' },
    ];
    for (const row of rows) {
      const res = await as.sales1.post(url, {
        partNumber: 'BR-7781',
        ...row,
        controlPlanRef: 'CP-7781',
        inspectionMethod: '检具',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await as.sales1.post(url, {
      partNumber: 'ZZ-1',
      name: '别的零件',
      specification: '-',
      charClass: 'SC',
      symbolId: S,
    });

    const res = await as.sales1.get(`${url}/export.xlsx?partNumber=BR-7781`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const values: string[][] = [];
    ws.eachRow((r) => values.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = values.findIndex((r) => r[0] === '序号');
    expect(values[header]).toEqual([
      '序号',
      '零件号',
      '特性',
      '规格/公差',
      '分类',
      '符号',
      '顾客符号',
      '控制计划',
      '检验方法',
      '关联要求',
    ]);
    const data = values.slice(header + 1, header + 5);
    expect(data.map((r) => [r[0], r[1], r[2], r[6]])).toEqual([
      ['1', 'BR-7781', '安全气囊支架焊点强度', 'S 盾牌'],
      ['2', 'BR-7781', '轴承孔内径', 'D 钻石'],
      ['3', 'BR-7781', '定位销位置度', 'STAR 五角星'],
      ['4', 'BR-7781', '外观', ''],
    ]);
    expect(values.flat()).not.toContain('别的零件');
    // One picture per row that has a symbol, in that row's 符号 cell, each a PNG.
    const images = ws.getImages();
    expect(images).toHaveLength(3);
    const firstDataRow = header + 1; // zero-based row of the first data row
    expect(images.map((i) => Math.floor(i.range.tl.nativeRow)).sort()).toEqual(
      [firstDataRow, firstDataRow + 1, firstDataRow + 2].sort(),
    );
    expect(new Set(images.map((i) => Math.floor(i.range.tl.nativeCol)))).toEqual(new Set([5]));
    for (const i of images) {
      const media = wb.getImage(Number(i.imageId));
      expect(media.extension).toBe('png');
      expect(
        Buffer.from(media.buffer as unknown as Buffer)
          .subarray(0, 8)
          .equals(PNG_SIGNATURE),
      ).toBe(true);
    }
    // The uploaded PNG goes in as it is.
    const row2 = images.find((i) => Math.floor(i.range.tl.nativeRow) === firstDataRow + 1);
    expect(Buffer.from(wb.getImage(Number(row2?.imageId)).buffer as unknown as Buffer).equals(logo)).toBe(
      true,
    );
    expect(await auditOf(c.id, 'sr.characteristics_export')).toHaveLength(1);

    const pdf = await as.sales1.get(`${url}/export.pdf?partNumber=BR-7781`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = new Uint8Array(pdf.rawPayload);
    const drawn = await expectGlyphsDrawn(bytes);
    expect(drawn).toContain('轴承孔内径');
    expect(drawn).not.toContain('别的零件');
    const pages = await ocrPdf(ctx, bytes);
    const all = pages.join('');
    expectRead(all, '特殊特性清单', 1);
    expectRead(all, 'BR-7781');
    expectRead(all, '安全气囊支架焊点强度', 2);
    expectRead(all, '轴承孔内径', 1);
    expectRead(all, '定位销位置度', 1);
    expectRead(all, '符号说明', 1);
  });

  it('is seen exactly where the customer’s records are: 404 for another department, 403 to change for a reader', async () => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const syms = (await symbolsOf(as.sales1, c.id)).items as { id: string }[];
    const k = await as.sales1.post(`/api/customers/${c.id}/characteristics`, {
      partNumber: 'P-9',
      name: '密封面平面度',
      specification: '≤ 0.01',
      charClass: 'SC',
    });
    expect(k.statusCode, k.body).toBe(201);
    const prod = await outsiderClient();
    const unseen = [
      `/api/customers/${c.id}/sr-symbols`,
      `/api/sr-symbols/${syms[0]?.id}/image`,
      `/api/customers/${c.id}/characteristics`,
      `/api/customers/${c.id}/characteristics/parts`,
      `/api/characteristics/${k.json().id}`,
      `/api/customers/${c.id}/characteristics/export.xlsx`,
      `/api/customers/${c.id}/characteristics/export.pdf`,
    ];
    for (const u of unseen) expect((await prod.get(u)).statusCode, u).toBe(404);
    expect((await prod.patch(`/api/characteristics/${k.json().id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await prod.delete(`/api/characteristics/${k.json().id}`)).statusCode).toBe(404);
    expect((await upload(prod, syms[0]?.id as string, 'x')).statusCode).toBe(404);
    expect(
      (
        await prod.post(`/api/customers/${c.id}/characteristics`, {
          partNumber: 'P-9',
          name: '偷偷加的',
          specification: '-',
          charClass: 'SC',
        })
      ).statusCode,
    ).toBe(404);

    // A colleague of the owner's department sees the list but does not keep it.
    const seen = await as.sales2.get(`/api/customers/${c.id}/characteristics`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().can).toEqual({ manage: false });
    const denied = await as.sales2.patch(`/api/characteristics/${k.json().id}`, { name: '改名' });
    expect(denied.statusCode).toBe(403);
    // Quality keeps every customer's characteristics.
    const qa = await as.qa1.patch(`/api/characteristics/${k.json().id}`, { name: '密封面平面度（A面）' });
    expect(qa.statusCode, qa.body).toBe(200);
  });

  it('takes the image as a multipart form too', async () => {
    const { as } = app.co;
    const c = await archive(as.sales1);
    const [s] = (await symbolsOf(as.sales1, c.id)).items as { id: string }[];
    const png = await svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>',
      16,
    );
    const boundary = '----kedang-sr-test';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await as.sales1.inject({
      method: 'PUT',
      url: `/api/sr-symbols/${s?.id}/image`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    const served = await as.sales1.get(res.json().imageUrl);
    expect(served.rawPayload.equals(png)).toBe(true);
  });

  it('prints the archive’s secrecy on the list and audits at it; readers below it see nothing', async (ctx) => {
    const { as } = app.co;
    const res = await as.salesmgr.post('/api/customers', {
      name: '秘密级特性客户有限公司',
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街2号',
      industry: '汽车零部件',
      region: '苏州',
      contacts: [{ name: '李工', mobile: '13900000000', isPrimary: true }],
      secrecy: 'secret',
      file: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as { id: string };
    const k = await as.salesmgr.post(`/api/customers/${c.id}/characteristics`, {
      partNumber: 'SEC-1',
      name: '密封性',
      specification: '泄漏量 ≤ 2 mL/min',
      charClass: 'CC',
    });
    expect(k.statusCode, k.body).toBe(201);
    // sales1 works in the same department but is cleared for 普通 only.
    expect((await as.sales1.get(`/api/customers/${c.id}/characteristics`)).statusCode).toBe(404);
    expect((await as.sales1.get(`/api/customers/${c.id}/sr-symbols`)).statusCode).toBe(404);
    const pdf = await as.salesmgr.get(`/api/customers/${c.id}/characteristics/export.pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    const entries = await auditOf(c.id, 'sr.characteristics_export');
    expect(entries.map((e) => Number(e.secrecy))).toEqual([1]);
    const pages = await ocrPdf(ctx, new Uint8Array(pdf.rawPayload));
    expectRead(pages[0] as string, '秘密', 0);
    expectRead(pages[0] as string, 'SEC-1');
  });
});

describe('the SVG check', () => {
  const svg = (inner: string, attrs = '') =>
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${inner}</svg>`;
  it('lets a plain drawing through, editor metadata and embedded PNGs included', () => {
    expect(svgProblem(svg('<path d="M0 0 L10 10"/>'))).toBeNull();
    expect(
      svgProblem(
        `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- Illustrator -->\n${svg('<g id="a"><rect width="1" height="1"/></g><use xlink:href="#a"/>')}\n`,
      ),
    ).toBeNull();
    expect(
      svgProblem(
        svg(
          '<sodipodi:namedview inkscape:zoom="2"/><metadata><rdf:RDF><cc:Work rdf:about=""/></rdf:RDF></metadata>',
          ' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"',
        ),
      ),
    ).toBeNull();
    expect(
      svgProblem(svg('<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>')),
    ).toBeNull();
    expect(svgProblem(svg('<text x="1" y="5">客户 &amp; 符号</text>'))).toBeNull();
  });
  it('refuses scripts, handlers and references however they are written', () => {
    const refused = [
      svg('<svg:script xmlns:svg="http://www.w3.org/2000/svg">1</svg:script>'),
      svg('<rect width="1" height="1" ONCLICK="x()"/>'),
      svg('<a xlink:href="&#106;avascript:alert(1)"><rect width="1" height="1"/></a>'),
      svg('<use href="&#x6A;avascript:alert(1)"/>'),
      svg('<use href="https://example.com/s.svg#a"/>'),
      svg('<image href="data:image/svg+xml;base64,PHN2Zz4=" width="1" height="1"/>'),
      svg('<rect width="1" height="1" style="fill:url( \'//example.com/x\' )"/>'),
      svg('<animate attributeName="href" to="javascript:alert(1)"/>'),
      svg('<set attributeName="onclick" to="alert(1)"/>'),
      svg('<rect width="1" height="1" ev:event="click" xmlns:ev="http://www.w3.org/2001/xml-events"/>'),
      svg('<style>rect { fill: url(http://example.com/p) }</style>'),
      svg('<style>rect { fill: \\75 rl(http://example.com/p) }</style>'),
      svg('<rect width="1" height="1" style="fill:\\75 rl(//example.com/p)"/>'),
      svg('<style><![CDATA[ @import "x.css"; ]]></style>'),
      svg('<rect width="1" height="1" fill="&xxe;"/>'),
      svg('<x:rect xmlns:x="urn:other" width="1"/>'),
      svg('<rect width="1" height="1">'),
      `${svg('')}<script>1</script>`,
      `<?xml-stylesheet href="http://example.com/a.css"?>${svg('')}`,
      '<html><svg xmlns="http://www.w3.org/2000/svg"/></html>',
      '<svg><rect/></svg>',
    ];
    for (const text of refused) expect(svgProblem(text), text).not.toBeNull();
  });
});

// The engineering department keeps special characteristics with quality (R-S4). The departments
// API stores codes in upper case (ENGINEERING), the rule names it `engineering`: the comparison
// must not depend on case (common/departments.ts).
describe('the engineering department created through the departments API', () => {
  const app = companyApp();

  it('keeps the characteristics of an archive it sees; another department seeing it does not', async () => {
    const { as } = app.co;
    const people = {} as Record<'engineering' | 'production', Client>;
    const c = await as.sales1.post('/api/customers', {
      name: '工程部门代码测试汽车部件有限公司',
      category: 'general',
      kind: 'business',
      registeredAddress: '苏州工业园区星湖街2号',
      industry: '汽车零部件',
      region: '苏州',
      contacts: [{ name: '赵工', mobile: '13800000002', isPrimary: true }],
      file: true,
    });
    expect(c.statusCode, c.body).toBe(201);
    const customerId = c.json().id as string;
    for (const code of ['engineering', 'production'] as const) {
      const d = await as.admin.post('/api/departments', { name: `${code}部门`, code });
      expect(d.statusCode, d.body).toBe(201);
      expect(d.json().code).toBe(code.toUpperCase());
      await seedUser(app.t, `${code}-k1`, ['staff'], { departmentId: d.json().id });
      people[code] = await signIn(app.t.app, `${code}-k1`);
      // Both departments see the archive (a department grant), so only the rule tells them apart.
      await app.t.database.db
        .insertInto('customer_grants')
        .values({
          id: `grant-${code}`,
          customer_id: customerId,
          user_id: null,
          department_id: d.json().id,
          reason: '特性评审',
          granted_by: app.co.ids.salesmgr,
          granted_at: new Date().toISOString(),
          expires_at: null,
          revoked_at: null,
          revoked_by: null,
          request_id: null,
        })
        .execute();
    }
    const body = { partNumber: 'E-1', name: '孔径', specification: 'Φ8 ±0.02', charClass: 'SC' };
    const eng = await people.engineering.get(`/api/customers/${customerId}/characteristics`);
    expect(eng.statusCode, eng.body).toBe(200);
    expect(eng.json().can).toEqual({ manage: true });
    const added = await people.engineering.post(`/api/customers/${customerId}/characteristics`, body);
    expect(added.statusCode, added.body).toBe(201);
    const prod = await people.production.get(`/api/customers/${customerId}/characteristics`);
    expect(prod.statusCode, prod.body).toBe(200);
    expect(prod.json().can).toEqual({ manage: false });
    expect(
      (await people.production.post(`/api/customers/${customerId}/characteristics`, body)).statusCode,
    ).toBe(403);
  });
});
