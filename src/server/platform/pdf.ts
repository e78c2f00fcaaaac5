import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFFont, PDFPage } from 'pdf-lib';

// PDFs people print and sign: a titled report with a table that breaks across pages (header
// repeated, page numbers), and blocks of text and signatures after it. Chinese text is set in
// Noto Sans SC (from an npm package), embedded as a subset. pdf-lib is loaded on first use.

let font: Buffer | undefined;
/** Noto Sans SC Regular (OFL), the one CJK font Kedang embeds. */
export function cjkFontBytes(): Buffer {
  if (!font) {
    const dir = path.dirname(
      createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json'),
    );
    font = fs.readFileSync(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf'));
  }
  return font;
}

export interface PdfColumn {
  header: string;
  /** Relative width; the columns share the page's width. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface PdfReport {
  title: string;
  /** Lines under the title: number, dates, who. */
  meta: string[];
  columns: PdfColumn[];
  rows: string[][];
  /** Paragraphs after the table (summary, opinions, signatures). */
  after: { heading?: string; lines: string[] }[];
  /** Footer on every page, left of the page number. */
  footer: string;
}

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const MARGIN = 36;
const SIZE = 9;
const LINE = 13;
const PAD = 3;

/** Breaks text into lines no wider than `width`, character by character (CJK has no spaces). */
function wrap(text: string, f: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const ch of paragraph) {
      if (line && f.widthOfTextAtSize(line + ch, size) > width) {
        out.push(line);
        line = '';
      }
      line += ch;
    }
    out.push(line);
  }
  return out;
}

export async function reportPdf(report: PdfReport): Promise<Uint8Array> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const fontkit = (await import('@pdf-lib/fontkit')).default;
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const f = await pdf.embedFont(cjkFontBytes(), { subset: true });
  pdf.setTitle(report.title);
  pdf.setCreator('Kedang 客档');
  const [pageWidth, pageHeight] = A4_LANDSCAPE;
  const usable = pageWidth - 2 * MARGIN;
  const total = report.columns.reduce((s, c) => s + c.width, 0);
  const widths = report.columns.map((c) => (c.width / total) * usable);
  const grey = rgb(0.45, 0.45, 0.45);
  const black = rgb(0, 0, 0);

  let page: PDFPage = pdf.addPage(A4_LANDSCAPE);
  let y = pageHeight - MARGIN;

  const text = (s: string, x: number, size = SIZE, color = black) =>
    page.drawText(s, { x, y: y - size, size, font: f, color });

  const headerRow = () => {
    const cells = report.columns.map((c, i) => wrap(c.header, f, SIZE, (widths[i] ?? 0) - 2 * PAD));
    drawRow(cells, true);
  };
  const drawRow = (cells: string[][], header = false) => {
    const lines = Math.max(1, ...cells.map((c) => c.length));
    const height = lines * LINE + 2 * PAD;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      page.drawRectangle({
        x,
        y: y - height,
        width: w,
        height,
        borderColor: grey,
        borderWidth: 0.5,
        ...(header ? { color: rgb(0.93, 0.93, 0.93) } : {}),
      });
      cell.forEach((line, j) => {
        const lineWidth = f.widthOfTextAtSize(line, SIZE);
        const align = header ? 'center' : (report.columns[i]?.align ?? 'left');
        const dx = align === 'right' ? w - PAD - lineWidth : align === 'center' ? (w - lineWidth) / 2 : PAD;
        page.drawText(line, {
          x: x + dx,
          y: y - PAD - (j + 1) * LINE + 3,
          size: SIZE,
          font: f,
          color: black,
        });
      });
      x += w;
    });
    y -= height;
  };
  const newPage = (withHeader: boolean) => {
    page = pdf.addPage(A4_LANDSCAPE);
    y = pageHeight - MARGIN;
    if (withHeader) headerRow();
  };

  text(report.title, MARGIN + (usable - f.widthOfTextAtSize(report.title, 16)) / 2, 16);
  y -= 28;
  for (const m of report.meta) {
    text(m, MARGIN, SIZE + 1, grey);
    y -= LINE + 1;
  }
  y -= 6;
  headerRow();
  for (const row of report.rows) {
    const cells = row.map((v, i) => wrap(v, f, SIZE, (widths[i] ?? 0) - 2 * PAD));
    const height = Math.max(1, ...cells.map((c) => c.length)) * LINE + 2 * PAD;
    if (y - height < MARGIN + 20) newPage(true);
    drawRow(cells);
  }
  y -= 16;
  for (const block of report.after) {
    const lines = block.lines.flatMap((l) => wrap(l, f, SIZE + 1, usable));
    if (y - (lines.length + 2) * LINE < MARGIN + 20) newPage(false);
    if (block.heading) {
      text(block.heading, MARGIN, SIZE + 2);
      y -= LINE + 5;
    }
    for (const l of lines) {
      if (y - LINE < MARGIN + 20) newPage(false);
      text(l, MARGIN, SIZE + 1);
      y -= LINE + 2;
    }
    y -= 10;
  }

  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    const footer = `${report.footer}    第 ${i + 1} 页 共 ${pages.length} 页`;
    p.drawText(footer, {
      x: pageWidth - MARGIN - f.widthOfTextAtSize(footer, 8),
      y: MARGIN / 2,
      size: 8,
      font: f,
      color: grey,
    });
  });
  return pdf.save();
}
