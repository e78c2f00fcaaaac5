import type { SrSymbolShape } from '../../../common/special-requirements.js';
import { cjkFontBytes } from '../../platform/pdf.js';

// The special-characteristic symbols Kedang draws itself when a customer sent no image of its
// own (R-S4; 003 客户特定要求管理程序: 盾牌 S, 钻石 D, 五角星): a shield, diamond, circle or
// triangle with the symbol's code inside, or a five-pointed star. Drawn as vector paths only —
// the letters are the outlines of Noto Sans SC's glyphs, never <text> — so that the SVG looks
// the same in a browser, in resvg (the PNG for the .xlsx) and in a PDF (pdf-lib draws the same
// paths), with no font needed anywhere. Coordinates are a 100 × 100 box, y downwards.

export interface SymbolPart {
  /** SVG path data in the 100 × 100 box. */
  d: string;
  /** Filled (black); else only its outline is drawn. */
  fill: boolean;
  /** Outline width in box units (0: none). */
  stroke: number;
}

const OUTLINE = 7;

/** Five points out, five in, the first at the top. */
function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${round(cx + r * Math.cos(angle))} ${round(cy + r * Math.sin(angle))}`);
  }
  return `M${points.join(' L')} Z`;
}

const round = (n: number) => Math.round(n * 100) / 100;

const SHAPES: Record<
  Exclude<SrSymbolShape, 'none'>,
  { outline: SymbolPart; text: { cx: number; cy: number; height: number; width: number } | null }
> = {
  shield: {
    outline: {
      d: 'M50 5 L88 17 L88 47 C88 71 71 87 50 95 C29 87 12 71 12 47 L12 17 Z',
      fill: false,
      stroke: OUTLINE,
    },
    text: { cx: 50, cy: 50, height: 42, width: 48 },
  },
  diamond: {
    outline: { d: 'M50 4 L96 50 L50 96 L4 50 Z', fill: false, stroke: OUTLINE },
    text: { cx: 50, cy: 50, height: 36, width: 38 },
  },
  circle: {
    outline: { d: 'M50 6 A44 44 0 0 1 50 94 A44 44 0 0 1 50 6 Z', fill: false, stroke: OUTLINE },
    text: { cx: 50, cy: 50, height: 42, width: 56 },
  },
  triangle: {
    outline: { d: 'M50 7 L95 90 L5 90 Z', fill: false, stroke: OUTLINE },
    text: { cx: 50, cy: 64, height: 30, width: 34 },
  },
  star: { outline: { d: starPath(50, 53, 47, 19), fill: true, stroke: 0 }, text: null },
};

interface Glyph {
  commands: { command: string; args: number[] }[];
  advanceWidth: number;
}
interface GlyphFont {
  glyphForCodePoint(cp: number): { path: { commands: Glyph['commands'] }; advanceWidth: number };
}

let font: Promise<GlyphFont> | undefined;
function glyphFont(): Promise<GlyphFont> {
  font ??= import('@pdf-lib/fontkit').then((m) => m.default.create(cjkFontBytes()) as unknown as GlyphFont);
  return font;
}

/** Latin capital height in Noto Sans SC (font units of 1000). */
const CAP_HEIGHT = 733;

/** The code as glyph outlines, centred in the box (cap height scaled to `height`, narrowed to `width`). */
async function textPath(
  code: string,
  box: { cx: number; cy: number; height: number; width: number },
): Promise<string> {
  const f = await glyphFont();
  const glyphs = [...code].map((ch) => {
    const g = f.glyphForCodePoint(ch.codePointAt(0) as number);
    return { commands: g.path.commands, advanceWidth: g.advanceWidth };
  });
  const advance = glyphs.reduce((s, g) => s + g.advanceWidth, 0);
  if (advance === 0) return '';
  const scale = Math.min(box.height / CAP_HEIGHT, box.width / advance);
  let x = box.cx - (advance * scale) / 2;
  const baseline = box.cy + (CAP_HEIGHT * scale) / 2;
  const out: string[] = [];
  for (const g of glyphs) {
    const pt = (px: number, py: number) => `${round(x + px * scale)} ${round(baseline - py * scale)}`;
    for (const { command, args: a } of g.commands) {
      const n = a.map((v) => v);
      if (command === 'moveTo') out.push(`M${pt(n[0] as number, n[1] as number)}`);
      else if (command === 'lineTo') out.push(`L${pt(n[0] as number, n[1] as number)}`);
      else if (command === 'quadraticCurveTo')
        out.push(`Q${pt(n[0] as number, n[1] as number)} ${pt(n[2] as number, n[3] as number)}`);
      else if (command === 'bezierCurveTo')
        out.push(
          `C${pt(n[0] as number, n[1] as number)} ${pt(n[2] as number, n[3] as number)} ${pt(n[4] as number, n[5] as number)}`,
        );
      else if (command === 'closePath') out.push('Z');
    }
    x += g.advanceWidth * scale;
  }
  return out.join(' ');
}

/** Codes longer than this are not written into a shape (they would not be legible). */
const MAX_CODE_IN_SHAPE = 3;

/** The paths of a drawn symbol: the shape's outline (or filled star), then the code's letters. */
export async function symbolParts(shape: SrSymbolShape, code: string): Promise<SymbolPart[]> {
  if (shape === 'none') {
    const d = await textPath(code, { cx: 50, cy: 50, height: 60, width: 92 });
    return d ? [{ d, fill: true, stroke: 0 }] : [];
  }
  const s = SHAPES[shape];
  const parts: SymbolPart[] = [s.outline];
  if (s.text && code.length <= MAX_CODE_IN_SHAPE) {
    const d = await textPath(code, s.text);
    if (d) parts.push({ d, fill: true, stroke: 0 });
  }
  return parts;
}

/** The symbol as a standalone SVG document of `size` pixels (paths only, no text or links). */
export async function drawnSymbolSvg(shape: SrSymbolShape, code: string, size = 64): Promise<string> {
  const paths = (await symbolParts(shape, code)).map((p) =>
    p.fill
      ? `<path d="${p.d}" fill="#000"/>`
      : `<path d="${p.d}" fill="none" stroke="#000" stroke-width="${p.stroke}" stroke-linejoin="round"/>`,
  );
  // The code is [A-Za-z0-9_-] (the contract's pattern): nothing to escape in the label.
  const label = code.replace(/[^A-Za-z0-9_-]/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100" role="img" aria-label="${label}">${paths.join('')}</svg>`;
}
