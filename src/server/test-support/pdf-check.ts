import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  type PDFNumber,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib';
import { expect, type TestContext } from 'vitest';

// PDFs checked as a person reads them (R-L4). The text layer of a PDF can be right while the
// page prints blanks, so two checks that do not look at it:
// - `ocrPdf` renders every page with poppler (pdftoppm) and reads it back with tesseract;
// - `expectGlyphsDrawn` opens the font program Kedang embeds (Noto Sans SC) and checks that
//   every glyph a page shows with it exists, has an outline (unless it is white space), has
//   its width in the font's W array and is the glyph of the character the text layer claims.
// OCR needs poppler-utils, tesseract-ocr and tesseract-ocr-chi-sim; without them the OCR part
// of a test is skipped with a message, except in CI (CI set), where it fails.

const run = promisify(execFile);
const DPI = 200;

let tools: Promise<string | null> | undefined;
let warned = false;
/** Why OCR cannot run here, or null when it can. */
function ocrUnavailable(): Promise<string | null> {
  tools ??= (async () => {
    try {
      await run('pdftoppm', ['-v']);
    } catch {
      return 'pdftoppm not found (Debian package poppler-utils)';
    }
    try {
      const { stdout } = await run('tesseract', ['--list-langs']);
      if (!/^chi_sim$/m.test(stdout))
        return 'tesseract has no chi_sim (Debian package tesseract-ocr-chi-sim)';
    } catch {
      return 'tesseract not found (Debian packages tesseract-ocr, tesseract-ocr-chi-sim)';
    }
    return null;
  })();
  return tools;
}

/**
 * The text of each page as OCR reads it from the rendered page, squashed (see `squash`). Skips
 * the calling test when poppler or tesseract is missing outside CI.
 */
export async function ocrPdf(ctx: TestContext, pdf: Uint8Array): Promise<string[]> {
  const missing = await ocrUnavailable();
  if (missing) {
    const message = `PDF OCR check not run: ${missing}`;
    if (process.env.CI) throw new Error(message);
    if (!warned) console.warn(message);
    warned = true;
    ctx.skip(message);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-ocr-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', [
      '-r',
      String(DPI),
      '-gray',
      '-png',
      path.join(dir, 'in.pdf'),
      path.join(dir, 'page'),
    ]);
    const pages = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort((a, b) => pageNo(a) - pageNo(b));
    const keep = process.env.KEDANG_PDF_PAGES;
    if (keep) {
      // To look at the pages as printed: KEDANG_PDF_PAGES=/tmp/pages npx vitest run …
      fs.mkdirSync(keep, { recursive: true });
      const name = `${ctx.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}-${++dumped}`;
      fs.copyFileSync(path.join(dir, 'in.pdf'), path.join(keep, `${name}.pdf`));
      for (const png of pages)
        fs.copyFileSync(path.join(dir, png), path.join(keep, `${name}-p${pageNo(png)}.png`));
    }
    const texts: string[] = [];
    for (const png of pages) {
      // chi_sim reads digits and Latin too; adding eng made it read small CJK as Latin. psm 4
      // (one column of lines) keeps a line's words together and reads the centred titles that
      // the automatic layout (psm 3) dropped. One thread: the test machines are small and shared.
      const { stdout } = await run(
        'tesseract',
        [path.join(dir, png), '-', '-l', 'chi_sim', '--psm', '4', '--dpi', String(DPI)],
        { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 * 1024 * 1024 },
      );
      texts.push(squash(stdout));
    }
    return texts;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
let dumped = 0;
const pageNo = (file: string) => Number(/-(\d+)\.png$/.exec(file)?.[1] ?? 0);

/**
 * Text for matching against OCR: compatibility forms folded (full-width ：（） read as :(), which
 * OCR does not tell apart) and white space removed — OCR puts spaces between CJK characters and
 * drops them elsewhere — except one space between two Latin letters or digits: a gap there is
 * a gap on paper ("D1 0" is not "D10").
 */
export function squash(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/([A-Za-z0-9])\s+(?=[A-Za-z0-9])/g, '$1\u0000')
    .replace(/\s+/gu, '')
    .replaceAll('\u0000', ' ');
}

/**
 * Asserts that `expected` is read in `text` (squashed), with at most `misreads` characters
 * wrong, missing or extra. Dates, numbers and codes must read exactly (misreads 0).
 */
export function expectRead(text: string, expected: string, misreads = 0): void {
  const want = squash(expected);
  const { distance, found } = nearest(text, want);
  expect(
    distance,
    `expected to read 「${want}」 (≤ ${misreads} misread), nearest is 「${found}」 in: ${text}`,
  ).toBeLessThanOrEqual(misreads);
}

/** The substring of `text` nearest to `pattern` by edit distance (Sellers' algorithm). */
function nearest(text: string, pattern: string): { distance: number; found: string } {
  const p = [...pattern];
  const t = [...text];
  // d[i] = distance of p[0..i) to the best substring ending at the current position; start[i]
  // where that substring starts.
  let d = p.map((_, i) => i + 1);
  let start = p.map(() => 0);
  let best = { distance: p.length, end: 0, start: 0 };
  t.forEach((ch, j) => {
    const nd: number[] = [];
    const ns: number[] = [];
    for (let i = 0; i < p.length; i++) {
      const diag = i === 0 ? 0 : (d[i - 1] as number);
      const diagStart = i === 0 ? j : (start[i - 1] as number);
      const up = i === 0 ? 1 : (nd[i - 1] as number) + 1; // pattern character missing in text
      const left = (d[i] as number) + 1; // extra character in text
      const sub = diag + (p[i] === ch ? 0 : 1);
      if (sub <= up && sub <= left) {
        nd.push(sub);
        ns.push(diagStart);
      } else if (up <= left) {
        nd.push(up);
        ns.push(i === 0 ? j + 1 : (ns[i - 1] as number));
      } else {
        nd.push(left);
        ns.push(start[i] as number);
      }
    }
    d = nd;
    start = ns;
    const last = d[p.length - 1] as number;
    if (last < best.distance) best = { distance: last, end: j + 1, start: start[p.length - 1] as number };
  });
  return { distance: best.distance, found: t.slice(best.start, best.end).join('') };
}

/** The font Kedang embeds, by its PostScript name (pdf-lib adds a suffix). */
const OUR_FONT = /NotoSansSC/;

/**
 * Asserts that every glyph shown with Kedang's embedded font on any page is drawable: it exists
 * in the embedded font program, has an outline unless it is white space, has a width entry
 * equal to its advance, and is the glyph of the character the text layer (ToUnicode) gives
 * it. Returns the text shown with the font, as the font program draws it.
 */
export async function expectGlyphsDrawn(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const problems = new Set<string>();
  let drawn = '';
  const fonts = new Map<PDFRef, EmbeddedFont | null>();
  doc.getPages().forEach((page, p) => {
    const resources = page.node.Resources();
    const fontDict = resources?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const ours = new Map<string, EmbeddedFont>();
    for (const [name, value] of fontDict?.entries() ?? []) {
      const key = value as PDFRef;
      if (!fonts.has(key)) fonts.set(key, embeddedFont(doc.context.lookup(value, PDFDict)));
      const f = fonts.get(key);
      if (f) ours.set(name.asString(), f);
    }
    for (const { font: name, bytes: shown } of shownStrings(contentOf(doc, page.node.Contents()))) {
      const f = ours.get(name);
      if (!f) continue;
      for (let i = 0; i + 1 < shown.length; i += 2) {
        const gid = ((shown[i] as number) << 8) | (shown[i + 1] as number);
        const problem = f.problem(gid);
        if (problem && ![...problems].some((x) => x.startsWith(problem)))
          problems.add(`${problem} (page ${p + 1})`);
        drawn += f.text(gid);
      }
    }
  });
  expect([...fonts.values()].filter(Boolean).length, 'no Noto Sans SC font embedded').toBeGreaterThan(0);
  expect(drawn.length, 'nothing drawn with Noto Sans SC').toBeGreaterThan(0);
  expect([...problems].slice(0, 20)).toEqual([]);
  return drawn;
}

interface EmbeddedFont {
  problem(gid: number): string | null;
  text(gid: number): string;
}

function embeddedFont(font: PDFDict): EmbeddedFont | null {
  const base = font.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.asString() ?? '';
  if (!OUR_FONT.test(base) || font.lookupMaybe(PDFName.of('Subtype'), PDFName)?.asString() !== '/Type0')
    return null;
  const cid = font.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
  const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
  const file = descriptor.lookup(PDFName.of('FontFile2'));
  if (!(file instanceof PDFRawStream)) throw new Error(`${base}: no TrueType font program embedded`);
  const program = fontkit.create(Buffer.from(decodePDFRawStream(file).decode()));
  const scale = 1000 / program.unitsPerEm;
  // Which characters the font program itself maps to each glyph (a subset may have no cmap).
  const chars = new Map<number, number[]>();
  let cmap = true;
  try {
    for (const cp of program.characterSet) {
      const gid = program.glyphForCodePoint(cp).id;
      chars.set(gid, [...(chars.get(gid) ?? []), cp]);
    }
  } catch {
    cmap = false;
  }
  const widths = widthsOf(cid.lookupMaybe(PDFName.of('W'), PDFArray));
  const unicode = toUnicode(font);
  const show = (cps: number[]) => String.fromCodePoint(...cps);
  return {
    text: (gid) => show(unicode.get(gid) ?? [0xfffd]),
    problem(gid) {
      const said = unicode.get(gid);
      const g = `glyph ${gid} (${said ? show(said) : 'no text'})`;
      if (gid === 0) return `${g} is .notdef (a character the font lacks)`;
      if (gid >= program.numGlyphs) return `${g} is not in the font program (${program.numGlyphs} glyphs)`;
      const glyph = program.getGlyph(gid);
      const problems: string[] = [];
      const blank = [...(chars.get(gid) ?? said ?? [])].every((c) => /\s/u.test(String.fromCodePoint(c)));
      let outline = 0;
      try {
        outline = (glyph.path as unknown as { commands: unknown[] }).commands.length;
      } catch (e) {
        problems.push(`has an unreadable outline (${(e as Error).message})`);
      }
      if (!blank && outline === 0 && !problems.length) problems.push('has no outline');
      const w = widths.get(gid);
      if (w === undefined) problems.push('has no width in W (printed 1 em wide)');
      else if (Math.abs(w - glyph.advanceWidth * scale) > 1)
        problems.push(`has width ${w} in W but advances ${glyph.advanceWidth * scale}`);
      if (!said) problems.push('has no ToUnicode entry');
      else if (cmap && !chars.get(gid)?.includes(said[0] as number))
        problems.push(`is not the font's glyph for that text (it is for 「${show(chars.get(gid) ?? [])}」)`);
      return problems.length ? `${g} ${problems.join(', ')}` : null;
    },
  };
}

/** The W array of a CID font: `c [w1 w2 …]` and `cFirst cLast w` runs. */
function widthsOf(w: PDFArray | undefined): Map<number, number> {
  const out = new Map<number, number>();
  const items = w?.asArray() ?? [];
  for (let i = 0; i < items.length; ) {
    const first = (items[i] as PDFNumber).asNumber();
    const next = items[i + 1];
    if (next instanceof PDFArray) {
      for (const [k, v] of next.asArray().entries()) out.set(first + k, (v as PDFNumber).asNumber());
      i += 2;
    } else {
      const last = (next as PDFNumber).asNumber();
      const width = (items[i + 2] as PDFNumber).asNumber();
      for (let c = first; c <= last; c++) out.set(c, width);
      i += 3;
    }
  }
  return out;
}

/** The ToUnicode CMap of a font: glyph id → code points (bfchar and bfrange). */
function toUnicode(font: PDFDict): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const stream = font.lookup(PDFName.of('ToUnicode'));
  if (!(stream instanceof PDFRawStream)) return out;
  const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
  const utf16 = (h: string) => {
    const units = h.match(/.{4}/g)?.map((u) => Number.parseInt(u, 16)) ?? [];
    return [...String.fromCharCode(...units)].map((c) => c.codePointAt(0) as number);
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, gid, u] of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      out.set(Number.parseInt(gid as string, 16), utf16(u as string));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, u] of (block[1] ?? '').matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g,
    )) {
      const first = utf16(u as string);
      for (let g = Number.parseInt(lo as string, 16); g <= Number.parseInt(hi as string, 16); g++)
        out.set(g, [...first.slice(0, -1), (first.at(-1) as number) + g - Number.parseInt(lo as string, 16)]);
    }
  return out;
}

/** A page's content streams, decoded and joined. */
function contentOf(doc: PDFDocument, contents: unknown): string {
  const streams =
    contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  return streams
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString('latin1'))
    .join('\n');
}

/**
 * The strings a content stream shows (Tj, TJ, ', ") with the font selected at that point
 * (Tf, saved and restored by q/Q). Inline images are skipped.
 */
function* shownStrings(content: string): Generator<{ font: string; bytes: number[] }> {
  let font = '';
  const saved: string[] = [];
  let operands: unknown[] = [];
  let array: (number[] | number)[] | null = null;
  const re =
    /(\/[^\s/<>[\]()%{}]*)|<([0-9a-fA-F\s]*)>|(\()|(\[)|(\])|(<<|>>)|%[^\r\n]*|([-+]?[\d.]+)|([A-Za-z'"*]+)|\s+|([\s\S])/gy;
  let m: RegExpExecArray | null;
  // biome-ignore lint/suspicious/noAssignInExpressions: a tokenizer loop
  while ((m = re.exec(content))) {
    const [, name, hex, paren, open, close, , num, op] = m;
    if (name !== undefined) operands.push(name);
    else if (hex !== undefined) {
      const h = hex.replace(/\s/g, '');
      const b = (h.length % 2 ? `${h}0` : h).match(/../g)?.map((x) => Number.parseInt(x, 16)) ?? [];
      if (array) array.push(b);
      else operands.push(b);
    } else if (paren) {
      const { bytes: b, end } = literal(content, re.lastIndex);
      re.lastIndex = end;
      if (array) array.push(b);
      else operands.push(b);
    } else if (open) array = [];
    else if (close && array) {
      operands.push(array);
      array = null;
    } else if (num !== undefined) {
      if (array) array.push(Number(num));
      else operands.push(Number(num));
    } else if (op !== undefined) {
      const last = operands.at(-1);
      if (op === 'BI') {
        // Inline image: its data runs to EI.
        const end = content.indexOf('EI', content.indexOf('ID', re.lastIndex));
        re.lastIndex = end < 0 ? content.length : end + 2;
      } else if (op === 'q') saved.push(font);
      else if (op === 'Q') font = saved.pop() ?? font;
      else if (op === 'Tf' && typeof operands[0] === 'string') font = operands[0];
      else if ((op === 'Tj' || op === "'" || op === '"') && Array.isArray(last))
        yield { font, bytes: last as number[] };
      else if (op === 'TJ' && Array.isArray(last))
        for (const part of last as (number[] | number)[])
          if (Array.isArray(part)) yield { font, bytes: part };
      operands = [];
    }
  }
}

/** A literal string's bytes, from just after its opening parenthesis. */
function literal(s: string, from: number): { bytes: number[]; end: number } {
  const bytes: number[] = [];
  let depth = 1;
  let i = from;
  const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '\\') {
      const n = s[i + 1] as string;
      if (/[0-7]/.test(n)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))?.[0] as string;
        bytes.push(Number.parseInt(oct, 8) & 0xff);
        i += 1 + oct.length;
        continue;
      }
      if (n === '\r' || n === '\n') {
        i += s[i + 2] === '\n' && n === '\r' ? 3 : 2;
        continue;
      }
      bytes.push(escapes[n] ?? n.charCodeAt(0));
      i += 2;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return { bytes, end: i + 1 };
    bytes.push(c.charCodeAt(0));
    i++;
  }
  return { bytes, end: i };
}
