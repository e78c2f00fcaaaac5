import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';

// PDFs people print and sign: a titled report with a table that breaks across pages (header
// repeated, page numbers), and blocks of text and signatures after it. Chinese text is set in
// Noto Sans SC (from an npm package). pdf-lib, fontkit and harfbuzz are loaded on first use.

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

// Why the font is subset here and not by pdf-lib (R-L4, what is printed is what the record says):
// - fontkit's subsetter loses the outlines of most glyphs of this 30,898-glyph TrueType font —
//   「档案销毁清册」 printed as 「清册」 while the text layer was right;
// - pdf-lib shapes text with the font's GSUB, which swaps the digits of runs without CJK for
//   alternate glyphs that no character maps to, so the widths array lacks them and viewers
//   space each digit one em apart ("2 0 1 6").
// harfbuzz cuts the font to exactly the characters a PDF draws, without layout tables (every
// character is then drawn with its own cmap glyph), and pdf-lib embeds that small font whole.

/** Always in the subset: printable ASCII (digits, codes, page numbers, the [U+…] fallback). */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const SUBSET_CACHE = 32;
const subsets = new Map<string, Promise<{ bytes: Uint8Array; drawable: Set<number> }>>();

/** Noto Sans SC cut to `chars` (sorted, distinct), and the code points the cut font draws. */
function subsetOf(chars: string): Promise<{ bytes: Uint8Array; drawable: Set<number> }> {
  let subset = subsets.get(chars);
  if (subset) {
    subsets.delete(chars); // most recently used last
  } else {
    subset = (async () => {
      const subsetFont = (await import('subset-font')).default;
      const fontkit = (await import('@pdf-lib/fontkit')).default;
      const bytes = await subsetFont(cjkFontBytes(), chars, {
        targetFormat: 'truetype',
        noLayoutClosure: true,
        dropTables: ['GSUB', 'GPOS', 'GDEF', 'BASE'],
      });
      return { bytes, drawable: new Set(fontkit.create(bytes).characterSet) };
    })();
    subset.catch(() => subsets.delete(chars));
  }
  subsets.set(chars, subset);
  if (subsets.size > SUBSET_CACHE) subsets.delete(subsets.keys().next().value as string);
  return subset;
}

export interface CjkFont {
  font: PDFFont;
  /**
   * `text` as the font prints it: a character the font lacks becomes `[U+XXXX]` (a space for
   * white space; invisible format characters are dropped), so nothing prints blank unnoticed.
   * Throws for a character that was not given to `embedCjkFont`.
   */
  printable(text: string): string;
}

/** Embeds Noto Sans SC into `pdf`, cut to the characters of `texts` (and ASCII). */
export async function embedCjkFont(pdf: PDFDocument, texts: Iterable<string>): Promise<CjkFont> {
  const declared = new Set<string>(ASCII);
  for (const t of texts) for (const ch of t) declared.add(ch);
  const chars = [...declared].sort().join('');
  const { bytes, drawable } = await subsetOf(chars);
  pdf.registerFontkit((await import('@pdf-lib/fontkit')).default);
  const embedded = await pdf.embedFont(bytes, { subset: false });
  const printable = (text: string) => {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (!declared.has(ch)) throw new Error(`U+${hex(cp)} was not declared to embedCjkFont`);
      if (ch === '\n' || drawable.has(cp)) out += ch;
      else if (DEFAULT_IGNORABLE.test(ch)) continue;
      else if (/\s/u.test(ch)) out += ' ';
      else out += `[U+${hex(cp)}]`;
    }
    return out;
  };
  return { font: embedded, printable };
}

const hex = (cp: number) => cp.toString(16).toUpperCase().padStart(4, '0');

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

// Line breaking as Chinese print does it: between CJK characters, at spaces, never inside a
// run of Latin letters, digits and their punctuation (a date, a code, a name) unless the run
// is wider than the column; no line starts with a closing mark (，。：）…) or ends with an
// opening one (（「“…).
const UNITS = /\s+|[^\s\u2e80-\u{10ffff}]+|[\s\S]/gu;
const NO_LINE_START = /^[，。、；：？！）」』】》〉〕”’…·.,;:!?)\]}%]/u;
const NO_LINE_END = /[（「『【《〈〔“‘([{]$/u;
const PIECES = /[^-·/_]+[-·/_]*|[-·/_]+/gu;

/** Breaks text into lines no wider than `width` (closing marks may hang into the padding). */
export function wrapText(text: string, f: PDFFont, size: number, width: number): string[] {
  const fits = (units: string[]) => f.widthOfTextAtSize(units.join(''), size) <= width;
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line: string[] = [];
    const flush = (next: string[] = []) => {
      out.push(line.join('').trimEnd());
      line = next;
    };
    for (const unit of paragraph.match(UNITS) ?? []) {
      const blank = /^\s/u.test(unit);
      if (fits([...line, unit])) {
        if (!blank || line.length) line.push(unit);
      } else if (blank) {
        flush();
      } else if (NO_LINE_START.test(unit) && line.length) {
        // Take the character before along to the next line, or let the mark hang.
        const prev = line.at(-1) as string;
        if (line.length > 1 && fits([prev, unit])) {
          line.pop();
          flush([prev, unit]);
        } else line.push(unit);
      } else {
        const carry =
          line.length > 1 && NO_LINE_END.test(line.at(-1) as string) ? [line.pop() as string] : [];
        if (line.length) flush(carry);
        else line = carry;
        if (fits([...line, unit])) line.push(unit);
        // Wider than the column (a long code): broken after its separators, else anywhere.
        else
          for (const piece of unit.match(PIECES) ?? [])
            for (const part of fits([piece]) ? [piece] : piece) {
              if (line.length && !fits([...line, part])) flush();
              line.push(part);
            }
      }
    }
    flush();
  }
  return out;
}

/**
 * Column widths in proportion to `weights`, but each at least `need` (its header on one line),
 * taken from the columns with room to spare.
 */
export function columnWidths(weights: number[], need: number[], usable: number): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const widths = weights.map((w, i) => Math.max((w / total) * usable, need[i] ?? 0));
  const over = widths.reduce((s, w) => s + w, 0) - usable;
  const slack = widths.map((w, i) => w - (need[i] ?? 0));
  const room = slack.reduce((s, w) => s + w, 0);
  if (over <= 0 || room < over) return widths.map((w) => (w * usable) / (usable + Math.max(0, over)));
  return widths.map((w, i) => w - (over * (slack[i] ?? 0)) / room);
}

/** Every string a report draws, the page footers' own words included. */
function reportTexts(r: PdfReport): string[] {
  return [
    r.title,
    ...r.meta,
    ...r.columns.map((c) => c.header),
    ...r.rows.flat(),
    ...r.after.flatMap((b) => [b.heading ?? '', ...b.lines]),
    r.footer,
    FOOTER_WORDS,
  ];
}
const FOOTER_WORDS = '第页共';

export async function reportPdf(input: PdfReport): Promise<Uint8Array> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const { font: f, printable } = await embedCjkFont(pdf, reportTexts(input));
  // Fitted before anything is measured, so that widths and wrapping are those of what prints.
  const report: PdfReport = {
    title: printable(input.title),
    meta: input.meta.map(printable),
    columns: input.columns.map((c) => ({ ...c, header: printable(c.header) })),
    rows: input.rows.map((r) => r.map(printable)),
    after: input.after.map((b) => ({
      ...(b.heading === undefined ? {} : { heading: printable(b.heading) }),
      lines: b.lines.map(printable),
    })),
    footer: printable(input.footer),
  };
  pdf.setTitle(input.title);
  pdf.setCreator('Kedang 客档');
  const [pageWidth, pageHeight] = A4_LANDSCAPE;
  const usable = pageWidth - 2 * MARGIN;
  const widths = columnWidths(
    report.columns.map((c) => c.width),
    report.columns.map((c) => f.widthOfTextAtSize(c.header, SIZE) + 2 * PAD + 1),
    usable,
  );
  const grey = rgb(0.45, 0.45, 0.45);
  const black = rgb(0, 0, 0);

  let page: PDFPage = pdf.addPage(A4_LANDSCAPE);
  let y = pageHeight - MARGIN;

  const text = (s: string, x: number, size = SIZE, color = black) =>
    page.drawText(s, { x, y: y - size, size, font: f, color });

  const headerRow = () => {
    const cells = report.columns.map((c, i) => wrapText(c.header, f, SIZE, (widths[i] ?? 0) - 2 * PAD));
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
    const cells = row.map((v, i) => wrapText(v, f, SIZE, (widths[i] ?? 0) - 2 * PAD));
    const height = Math.max(1, ...cells.map((c) => c.length)) * LINE + 2 * PAD;
    if (y - height < MARGIN + 20) newPage(true);
    drawRow(cells);
  }
  y -= 16;
  for (const block of report.after) {
    const lines = block.lines.flatMap((l) => wrapText(l, f, SIZE + 1, usable));
    // A block stays on one page when it fits on one; a heading never ends a page.
    const room = pageHeight - 2 * MARGIN - 20;
    const height = (n: number) => (block.heading ? LINE + 5 : 0) + n * (LINE + 2);
    const keep = height(lines.length) <= room ? lines.length : Math.min(lines.length, 2);
    if (y - height(keep) < MARGIN + 20) newPage(false);
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
    const footer = printable(`${report.footer}    第 ${i + 1} 页 共 ${pages.length} 页`);
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
