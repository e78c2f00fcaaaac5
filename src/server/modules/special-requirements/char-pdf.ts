import type { PDFImage, PDFPage } from 'pdf-lib';
import type { SrSymbolShape } from '../../../common/special-requirements.js';
import { columnWidths, embedCjkFont, wrapText } from '../../platform/pdf.js';
import { type CharExport, classText, metaOf, TITLE } from './char-export.js';
import { type SymbolPart, symbolParts } from './symbol-svg.js';

// 特殊特性清单 as a printable PDF (R-S4): A4 landscape, the table's header repeated on every
// page, each row's customer symbol drawn in its cell — a shape Kedang draws as vector paths (the
// same paths as its SVG), the customer's PNG as it is, the customer's SVG rasterised — and a
// legend of the symbols (symbol, name, meaning, internal class) after the table.

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const MARGIN = 36;
const SIZE = 9;
const LINE = 13;
const PAD = 4;
const SYMBOL = 16;

type Drawing = { kind: 'paths'; parts: SymbolPart[] } | { kind: 'image'; image: PDFImage };

export async function characteristicsPdf(x: CharExport): Promise<Uint8Array> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const all = !x.partNumber;
  const columns = [
    { header: '序号', width: 4 },
    ...(all ? [{ header: '零件号', width: 11 }] : []),
    { header: '特性', width: 16 },
    { header: '规格/公差', width: 18 },
    { header: '分类', width: 10 },
    { header: '符号', width: 5 },
    { header: '控制计划', width: 11 },
    { header: '检验方法', width: 11 },
    { header: '关联要求', width: 10 },
  ];
  const symbolCol = columns.findIndex((c) => c.header === '符号');
  const cellsOf = (row: CharExport['rows'][number], i: number): string[] => [
    String(i + 1),
    ...(all ? [row.part_number] : []),
    row.name,
    row.specification,
    classText(row.char_class),
    '',
    row.control_plan_ref ?? '',
    row.inspection_method ?? '',
    row.requirement_number ?? '',
  ];
  const legend = [...x.symbols.values()].filter(
    (s) => Number(s.row.active) || x.rows.some((r) => r.symbol_id === s.row.id),
  );
  const legendLine = (s: (typeof legend)[number]) =>
    `${s.row.code} ${s.row.name}${s.row.meaning ? `：${s.row.meaning}` : ''}（对应${classText(s.row.char_class)}）`;
  const meta = metaOf(x);
  const footerOf = (i: number, n: number) =>
    `${x.mark ? `${x.mark}    ` : ''}${x.archive.archive_code} 特殊特性清单    第 ${i} 页 共 ${n} 页`;
  const { font: f, printable } = await embedCjkFont(pdf, [
    TITLE,
    ...meta,
    ...columns.map((c) => c.header),
    ...x.rows.flatMap((r, i) => cellsOf(r, i)),
    '符号说明',
    ...legend.map(legendLine),
    footerOf(0, 0),
    x.mark ?? '',
    '0123456789',
  ]);
  pdf.setTitle(`${TITLE} ${x.archive.archive_code} ${x.partNumber ?? ''}`.trim());
  pdf.setCreator('Kedang 客档');

  // Each symbol once: vector paths for a drawn shape, an embedded image for the customer's own.
  const drawings = new Map<string, Drawing>();
  for (const [id, s] of x.symbols) {
    if (s.row.image_sha256) drawings.set(id, { kind: 'image', image: await pdf.embedPng(s.png) });
    else
      drawings.set(id, { kind: 'paths', parts: await symbolParts(s.row.shape as SrSymbolShape, s.row.code) });
  }

  const [pageWidth, pageHeight] = A4_LANDSCAPE;
  const usable = pageWidth - 2 * MARGIN;
  const widths = columnWidths(
    columns.map((c) => c.width),
    columns.map((c) => f.widthOfTextAtSize(c.header, SIZE) + 2 * PAD + 1),
    usable,
  );
  const grey = rgb(0.45, 0.45, 0.45);
  const black = rgb(0, 0, 0);
  let page: PDFPage = pdf.addPage(A4_LANDSCAPE);
  let y = pageHeight - MARGIN;

  const drawSymbol = (symbolId: string, left: number, top: number, size: number) => {
    const d = drawings.get(symbolId);
    if (!d) return;
    if (d.kind === 'image') {
      const scale = Math.min(size / d.image.width, size / d.image.height);
      const w = d.image.width * scale;
      const h = d.image.height * scale;
      page.drawImage(d.image, {
        x: left + (size - w) / 2,
        y: top - size + (size - h) / 2,
        width: w,
        height: h,
      });
      return;
    }
    const scale = size / 100;
    for (const p of d.parts)
      page.drawSvgPath(p.d, {
        x: left,
        y: top,
        scale,
        ...(p.fill ? { color: black } : {}),
        ...(p.stroke ? { borderColor: black, borderWidth: p.stroke } : {}),
      });
  };

  const drawRow = (cells: string[][], opts: { header?: boolean; symbolId?: string | null } = {}) => {
    const lines = Math.max(1, ...cells.map((c) => c.length));
    const height = Math.max(lines * LINE, opts.symbolId ? SYMBOL : 0) + 2 * PAD;
    let left = MARGIN;
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      page.drawRectangle({
        x: left,
        y: y - height,
        width: w,
        height,
        borderColor: grey,
        borderWidth: 0.5,
        ...(opts.header ? { color: rgb(0.93, 0.93, 0.93) } : {}),
      });
      cell.forEach((line, j) => {
        const lw = f.widthOfTextAtSize(line, SIZE);
        const dx = opts.header ? (w - lw) / 2 : PAD;
        page.drawText(line, {
          x: left + dx,
          y: y - PAD - (j + 1) * LINE + 3,
          size: SIZE,
          font: f,
          color: black,
        });
      });
      if (i === symbolCol && opts.symbolId)
        drawSymbol(opts.symbolId, left + (w - SYMBOL) / 2, y - PAD, SYMBOL);
      left += w;
    });
    y -= height;
  };
  const wrapCells = (cells: string[]) =>
    cells.map((v, i) => wrapText(printable(v), f, SIZE, (widths[i] ?? 0) - 2 * PAD));
  const headerRow = () => drawRow(wrapCells(columns.map((c) => c.header)), { header: true });

  const title = printable(TITLE);
  page.drawText(title, {
    x: MARGIN + (usable - f.widthOfTextAtSize(title, 16)) / 2,
    y: y - 16,
    size: 16,
    font: f,
    color: black,
  });
  y -= 30;
  for (const m of meta) {
    page.drawText(printable(m), { x: MARGIN, y: y - SIZE - 1, size: SIZE + 1, font: f, color: grey });
    y -= LINE + 2;
  }
  y -= 6;
  headerRow();
  x.rows.forEach((row, i) => {
    const cells = wrapCells(cellsOf(row, i));
    const height =
      Math.max(Math.max(1, ...cells.map((c) => c.length)) * LINE, row.symbol_id ? SYMBOL : 0) + 2 * PAD;
    if (y - height < MARGIN + 20) {
      page = pdf.addPage(A4_LANDSCAPE);
      y = pageHeight - MARGIN;
      headerRow();
    }
    drawRow(cells, { symbolId: row.symbol_id });
  });

  if (legend.length) {
    y -= 16;
    if (y - (LINE + 6) * (legend.length + 1) < MARGIN + 20) {
      page = pdf.addPage(A4_LANDSCAPE);
      y = pageHeight - MARGIN;
    }
    page.drawText(printable('符号说明'), {
      x: MARGIN,
      y: y - SIZE - 2,
      size: SIZE + 2,
      font: f,
      color: black,
    });
    y -= LINE + 8;
    for (const s of legend) {
      if (y - SYMBOL - 6 < MARGIN + 20) {
        page = pdf.addPage(A4_LANDSCAPE);
        y = pageHeight - MARGIN;
      }
      drawSymbol(s.row.id, MARGIN, y, SYMBOL);
      page.drawText(printable(legendLine(s)), {
        x: MARGIN + SYMBOL + 8,
        y: y - SYMBOL + 4,
        size: SIZE + 1,
        font: f,
        color: black,
      });
      y -= SYMBOL + 6;
    }
  }

  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    const footer = printable(footerOf(i + 1, pages.length));
    p.drawText(footer, {
      x: pageWidth - MARGIN - f.widthOfTextAtSize(footer, 8),
      y: MARGIN / 2,
      size: 8,
      font: f,
      color: grey,
    });
    if (x.mark)
      p.drawText(printable(x.mark), {
        x: MARGIN,
        y: pageHeight - MARGIN + 8,
        size: 12,
        font: f,
        color: black,
      });
  });
  return pdf.save();
}
