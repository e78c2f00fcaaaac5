import type { PDFPage } from 'pdf-lib';
import { columnWidths, embedCjkFont, type PdfColumn, wrapText } from './pdf.js';

// Record forms people file and audit (客户投诉记录表, 8D 报告): A4 portrait, a title with the
// company above it, then sections — a shaded heading bar over label/value rows drawn as a ruled
// grid, or a table with its header repeated on each page. Long values wrap and, when they do
// not fit the rest of a page, continue on the next one under their label marked （续）.
// The text is set with `embedCjkFont` like every PDF Kedang writes (see pdf.ts).

export interface FormField {
  label: string;
  value: string | null | undefined;
}

export type FormBlock =
  /** Rows of one to three label/value pairs; a row of one pair spans the width. */
  | { fields: FormField[][] }
  /** A table; `empty` is printed in one row when there are no rows. */
  | { table: { columns: PdfColumn[]; rows: string[][]; empty?: string } };

export interface FormSection {
  heading: string;
  blocks: FormBlock[];
}

export interface PdfForm {
  title: string;
  /** Above the title: the company. */
  company?: string;
  /** Under the title, at the left and at the right (编号, 打印时间). */
  meta: { left?: string; right?: string };
  /** Boxed in red at the top left of every page: the secrecy level (机密); none when null. */
  mark?: string | null;
  sections: FormSection[];
  /** At the top of every page after the first. */
  runningHead: string;
  /** Left of the page number at the foot of every page. */
  footer: string;
}

const A4_PORTRAIT: [number, number] = [595.28, 841.89];
const MARGIN = 42;
const TOP = A4_PORTRAIT[1] - 50; // the band above holds the mark and the running head
const BOTTOM = MARGIN + 14; // the footer sits below
const SIZE = 9;
const LINE = 13;
const PAD = 4;
const CONTINUED = '（续）';
const PAGE_WORDS = '第页共';

function formTexts(f: PdfForm): string[] {
  const out = [f.title, f.company ?? '', f.meta.left ?? '', f.meta.right ?? '', f.mark ?? ''];
  out.push(f.runningHead, f.footer, CONTINUED, PAGE_WORDS);
  for (const s of f.sections) {
    out.push(s.heading);
    for (const b of s.blocks) {
      if ('fields' in b) for (const row of b.fields) for (const x of row) out.push(x.label, x.value ?? '');
      else out.push(...b.table.columns.map((c) => c.header), ...b.table.rows.flat(), b.table.empty ?? '');
    }
  }
  return out;
}

interface Cell {
  lines: string[];
  width: number;
  shade?: boolean;
  align?: 'left' | 'right' | 'center';
  /** What the cell shows when the row continues on the next page (a label and （续）). */
  continued?: string[];
}

export async function formPdf(input: PdfForm): Promise<Uint8Array> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const { font: f, printable: p } = await embedCjkFont(pdf, formTexts(input));
  pdf.setTitle(input.title);
  pdf.setCreator('Kedang 客档');
  const [pageWidth, pageHeight] = A4_PORTRAIT;
  const usable = pageWidth - 2 * MARGIN;
  const black = rgb(0, 0, 0);
  const grey = rgb(0.4, 0.4, 0.4);
  const rule = rgb(0.55, 0.55, 0.55);
  const red = rgb(0.78, 0.06, 0.06);
  const wrap = (s: string, width: number) => wrapText(p(s), f, SIZE, width - 2 * PAD);

  // One label width for the whole form, so that the grid's columns line up from row to row.
  const labels = input.sections.flatMap((s) =>
    s.blocks.flatMap((b) => ('fields' in b ? b.fields.flat().map((x) => x.label) : [])),
  );
  const labelWidth = Math.min(
    96,
    Math.max(52, ...labels.map((l) => f.widthOfTextAtSize(p(l), SIZE) + 2 * PAD + 1)),
  );

  let page: PDFPage = pdf.addPage(A4_PORTRAIT);
  let y = TOP;
  const newPage = () => {
    page = pdf.addPage(A4_PORTRAIT);
    y = TOP;
  };
  const drawText = (s: string, x: number, baseline: number, size = SIZE, color = black) =>
    page.drawText(s, { x, y: baseline, size, font: f, color });
  const centred = (s: string, size: number) => MARGIN + (usable - f.widthOfTextAtSize(s, size)) / 2;

  const HEADING = 19;
  let heading = '';
  const headingBar = (text: string) => {
    page.drawRectangle({
      x: MARGIN,
      y: y - HEADING,
      width: usable,
      height: HEADING,
      color: rgb(0.82, 0.86, 0.91),
      borderColor: rule,
      borderWidth: 0.5,
    });
    drawText(p(text), MARGIN + PAD + 1, y - HEADING + 5.5, 10.5);
    y -= HEADING;
  };

  const drawCells = (cells: Cell[], lines: string[][]) => {
    const height = Math.max(1, ...lines.map((l) => l.length)) * LINE + 2 * PAD;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      page.drawRectangle({
        x,
        y: y - height,
        width: cell.width,
        height,
        borderColor: rule,
        borderWidth: 0.5,
        ...(cell.shade ? { color: rgb(0.93, 0.93, 0.93) } : {}),
      });
      (lines[i] ?? []).forEach((line, j) => {
        const w = f.widthOfTextAtSize(line, SIZE);
        const dx =
          cell.align === 'right'
            ? cell.width - PAD - w
            : cell.align === 'center'
              ? (cell.width - w) / 2
              : PAD;
        drawText(line, x + dx, y - PAD - (j + 1) * LINE + 3.5);
      });
      x += cell.width;
    });
    y -= height;
  };

  /**
   * Draws a row of cells. A row that does not fit goes to the next page whole, unless it is long
   * (more than 6 lines) and at least 3 lines fit here: then it is split, and goes on under its
   * labels marked （续）. A new page starts with the section's heading marked （续）, then
   * `repeat` (a table's header).
   */
  const drawRow = (cells: Cell[], repeat?: () => void) => {
    let rest = cells.map((c) => c.lines);
    for (;;) {
      const n = Math.max(1, ...rest.map((l) => l.length));
      if (y - n * LINE - 2 * PAD >= BOTTOM) {
        drawCells(cells, rest);
        return;
      }
      const fit = Math.floor((y - BOTTOM - 2 * PAD) / LINE);
      if (n > 6 && fit >= 3) {
        drawCells(
          cells,
          rest.map((l) => l.slice(0, fit)),
        );
        rest = rest.map((l, i) => {
          const more = l.slice(fit);
          const label = cells[i]?.continued;
          return label && !more.length ? label : more;
        });
      }
      // A section going on over the page says so, above its table's header if it has one.
      newPage();
      headingBar(`${heading}${CONTINUED}`);
      repeat?.();
    }
  };

  const fieldsRow = (row: FormField[]) => {
    const pair = usable / row.length;
    const cells: Cell[] = [];
    for (const { label, value } of row) {
      cells.push({
        lines: wrap(label, labelWidth),
        width: labelWidth,
        shade: true,
        continued: wrap(`${label}${CONTINUED}`, labelWidth),
      });
      cells.push({ lines: wrap(value ?? '', pair - labelWidth), width: pair - labelWidth });
    }
    drawRow(cells);
  };

  const table = (t: { columns: PdfColumn[]; rows: string[][]; empty?: string }) => {
    const widths = columnWidths(
      t.columns.map((c) => c.width),
      t.columns.map((c) => f.widthOfTextAtSize(p(c.header), SIZE) + 2 * PAD + 1),
      usable,
    );
    const header = () =>
      drawCells(
        t.columns.map((_, i) => ({ lines: [], width: widths[i] ?? 0, shade: true, align: 'center' })),
        t.columns.map((c, i) => wrap(c.header, widths[i] ?? 0)),
      );
    header();
    if (!t.rows.length && t.empty !== undefined) {
      drawRow([{ lines: wrap(t.empty, usable), width: usable, align: 'center' }], header);
    }
    for (const r of t.rows)
      drawRow(
        t.columns.map((c, i) => ({
          lines: wrap(r[i] ?? '', widths[i] ?? 0),
          width: widths[i] ?? 0,
          align: c.align ?? 'left',
        })),
        header,
      );
  };

  // The first page's head: company, title, number and print time.
  if (input.company) {
    drawText(p(input.company), centred(p(input.company), 11), y - 11, 11);
    y -= 20;
  }
  const title = p(input.title);
  drawText(title, centred(title, 17), y - 17, 17);
  y -= 30;
  if (input.meta.left) drawText(p(input.meta.left), MARGIN, y - SIZE, SIZE);
  if (input.meta.right) {
    const right = p(input.meta.right);
    drawText(right, pageWidth - MARGIN - f.widthOfTextAtSize(right, SIZE), y - SIZE, SIZE);
  }
  y -= SIZE + 8;

  for (const section of input.sections) {
    // A heading never ends a page: it keeps its first rows (about three lines) with it.
    if (y - HEADING - 3 * LINE - 2 * PAD < BOTTOM) newPage();
    else if (y !== TOP) y -= 6;
    heading = section.heading;
    headingBar(heading);
    for (const block of section.blocks) {
      if ('fields' in block) for (const row of block.fields) fieldsRow(row);
      else table(block.table);
    }
  }

  const pages = pdf.getPages();
  pages.forEach((pg, i) => {
    if (input.mark) {
      const mark = p(input.mark);
      const w = f.widthOfTextAtSize(mark, 12) + 12;
      pg.drawRectangle({
        x: MARGIN,
        y: pageHeight - 40,
        width: w,
        height: 20,
        borderColor: red,
        borderWidth: 1,
      });
      pg.drawText(mark, { x: MARGIN + 6, y: pageHeight - 35, size: 12, font: f, color: red });
    }
    if (i > 0) {
      const head = p(input.runningHead);
      pg.drawText(head, {
        x: pageWidth - MARGIN - f.widthOfTextAtSize(head, 8),
        y: pageHeight - 34,
        size: 8,
        font: f,
        color: grey,
      });
    }
    const footer = p(`${input.footer}    第 ${i + 1} 页 共 ${pages.length} 页`);
    pg.drawText(footer, {
      x: pageWidth - MARGIN - f.widthOfTextAtSize(footer, 8),
      y: MARGIN / 2 + 6,
      size: 8,
      font: f,
      color: grey,
    });
  });
  return pdf.save();
}
