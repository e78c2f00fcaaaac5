import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../test-support/pdf-check.js';
import { embedCjkFont, type PdfReport, reportPdf } from './pdf.js';

// The PDF font and layout (R-L4): every character prints with a glyph of its own, or visibly as
// its code point when the font has none.

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
