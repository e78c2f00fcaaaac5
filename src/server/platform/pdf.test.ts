import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../test-support/pdf-check.js';
import { columnWidths, embedCjkFont, type PdfReport, reportPdf, wrapText } from './pdf.js';

// The PDF font and layout (R-L4): every character prints with a glyph of its own, or visibly as
// its code point when the font has none; lines break where Chinese print breaks them.

const report = (rows: string[][], title = '档案销毁清册'): PdfReport => ({
  title,
  meta: ['清册编号：XH2027-001    销毁日期：2027-01-05'],
  columns: [
    { header: '序号', width: 4, align: 'right' },
    { header: '档号', width: 20 },
    { header: '题名', width: 24 },
    { header: '已保管年限', width: 4 },
  ],
  rows,
  after: [{ heading: '监销', lines: ['监销人：孙建国  已逐件核对并签字 2027-01-05 11:00'] }],
  footer: '客档 Kedang · XH2027-001',
});

describe('PDF font: what is printed is what the record says (R-L4)', () => {
  it('draws Latin, digits, full-width punctuation and ★ each with its own glyph and width', async (ctx) => {
    const pdf = await reportPdf(
      report([
        ['1', 'Z001-WS·2016-D10-XS-0001', '机密★10年（客户图纸）：附件、说明；完。', '11'],
        ['2', 'D10', 'ABC xyz 0123456789 @#%&+=', '9'],
      ]),
    );
    // The whole font is 10 MB; a register carries only the characters it draws.
    expect(pdf.length).toBeLessThan(150_000);
    const drawn = await expectGlyphsDrawn(pdf);
    for (const text of [
      '档案销毁清册',
      'Z001-WS·2016-D10-XS-0001',
      '机密★10年（客户图纸）：附件、说明；完。',
    ])
      expect(drawn).toContain(text);
    expect(drawn).toContain('第 1 页 共 1 页');
    const [page] = await ocrPdf(ctx, pdf);
    expectRead(page as string, '档案销毁清册', 1);
    expectRead(page as string, 'XH2027-001');
    expectRead(page as string, '2027-01-05');
    expectRead(page as string, 'D10');
    expectRead(page as string, '0123456789');
    expectRead(page as string, '孙建国');
    expectRead(page as string, '第1页共1页');
  });

  it('prints a character the font lacks as its code point and drops invisible format characters', async (ctx) => {
    // 𠮷 (U+20BB7) is outside Noto Sans SC; U+200B and U+FEFF print nothing; a tab is a space.
    const pdf = await reportPdf(report([['1', 'A\u200b1', '𠮷田\ufeff商事\t采购合同', '3']], '𠮷田商事档案'));
    const drawn = await expectGlyphsDrawn(pdf);
    expect(drawn).toContain('[U+20BB7]田商事 采购合同');
    expect(drawn).toContain('A1');
    expect(drawn).not.toMatch(/[\u200b\ufeff\t]/u);
    const [page] = await ocrPdf(ctx, pdf);
    expectRead(page as string, 'U+20BB7');
  });

  it('refuses to draw a character that was not declared when the font was cut', async () => {
    const pdf = await PDFDocument.create();
    const { printable } = await embedCjkFont(pdf, ['受控 2026-03-02']);
    expect(() => printable('受控 · 2026')).toThrow(/U\+00B7 was not declared/);
    expect(printable('受控 2026')).toBe('受控 2026');
    expect(() => printable('作废')).toThrow(/U\+4F5C was not declared/);
  });
});

describe('PDF line breaking', () => {
  const font = async () => {
    const pdf = await PDFDocument.create();
    return (
      await embedCjkFont(pdf, [
        '冻结，未销毁：诉讼：合同纠纷诉讼中定期10年（至 2038-01-01）Z001-WS·2016-D10-XS-0001',
      ])
    ).font;
  };

  it('keeps dates and codes whole and starts no line with a closing mark', async () => {
    const f = await font();
    // Widths of the register's 状态 and the appraisal report's 新保管期限 columns.
    const status = wrapText('冻结，未销毁：诉讼：合同纠纷诉讼中', f, 9, 60);
    expect(status.join('')).toBe('冻结，未销毁：诉讼：合同纠纷诉讼中');
    for (const l of status) expect(l).not.toMatch(/^[，：]/u);
    const term = wrapText('定期10年（至 2038-01-01）', f, 9, 52);
    expect(term.some((l) => l.includes('2038-01-01'))).toBe(true);
    for (const l of term) expect(l).not.toMatch(/（$/u);
    // A code wider than the column breaks after a separator, not inside a number.
    const code = wrapText('Z001-WS·2016-D10-XS-0001', f, 9, 80);
    expect(code.length).toBeGreaterThan(1);
    expect(code.join('')).toBe('Z001-WS·2016-D10-XS-0001');
    for (const l of code.slice(0, -1)) expect(l).toMatch(/[-·]$/u);
  });

  it('gives every column at least the width of its header, from the columns with room', () => {
    // The register's columns on A4 landscape; 已保管年限 needs 51 pt, its share is 47.
    const need = [27, 24, 24, 33, 24, 42, 42, 51, 42, 24];
    const widths = columnWidths([6, 26, 18, 18, 36, 12, 10, 10, 12, 14], need, 770);
    widths.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(need[i] as number);
    });
    expect(widths.reduce((s, w) => s + w, 0)).toBeCloseTo(770);
    expect(widths[4]).toBeGreaterThan(widths[1] as number); // 题名 still the widest
  });

  it('keeps the last short line on the page it fits on, and a heading with its lines', async () => {
    const base = {
      title: '档案鉴定报告',
      meta: [],
      columns: [{ header: '序号', width: 1 }],
      rows: [],
      footer: 'x',
    };
    // Seventeen one-line paragraphs fill an A4 landscape page to 34 pt above the footer.
    const lines = Array.from({ length: 17 }, (_, i) => ({ lines: [`第${i + 1}段`] }));
    const pages = async (r: PdfReport) => (await PDFDocument.load(await reportPdf(r))).getPageCount();
    expect(await pages({ ...base, after: lines })).toBe(1);
    // A heading and its three lines do not fit there: they start the next page together.
    const doc = await PDFDocument.load(
      await reportPdf({
        ...base,
        after: [...lines.slice(0, 16), { heading: '监销', lines: ['甲', '乙', '丙'] }],
      }),
    );
    expect(doc.getPageCount()).toBe(2);
  });
});
