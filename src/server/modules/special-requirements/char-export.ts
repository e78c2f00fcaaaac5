import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import { SR_CHAR_CLASS_LABELS, type SrCharClass } from '../../../common/special-requirements.js';
import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { excel } from '../../platform/xlsx.js';
import { srReader } from './access.js';
import { activeOf, type CharacteristicRow } from './characteristics.js';
import {
  ensureDefaultSymbols,
  type SrArchive,
  type SymbolRow,
  symbolPng,
  symbolsOf,
  visibleArchive,
} from './symbols.js';

// 特殊特性清单 as .xlsx (R-S4): one row per characteristic, the customer's symbol drawn in its
// cell — the uploaded PNG as it is, an uploaded SVG or a drawn shape rasterised (resvg) — and a
// legend of the symbols used under the table. The PDF (char-pdf.ts) prints the same rows.

/** More than this many rows in one list is not a list anyone prints. */
export const CHAR_EXPORT_MAX_ROWS = 10_000;
/** Pixels of a symbol in a cell (rendered at twice that for sharpness). */
const CELL_PX = 22;

export interface CharExport {
  archive: SrArchive;
  partNumber: string | null;
  rows: CharacteristicRow[];
  /** The symbols the rows use (and every active one, for the legend), by id, as PNG. */
  symbols: Map<string, { row: SymbolRow; png: Buffer }>;
  /** The archive's effective secrecy label when above 普通 (printed on the list). */
  mark: string | null;
  printedOn: string;
}

/** The rows and symbols of an export the reader may make; the export is audited before it is sent. */
export async function loadCharExport(
  ctx: Ctx,
  store: BlobStore,
  customerId: string,
  partNumber: string | undefined,
  format: 'xlsx' | 'pdf',
): Promise<CharExport> {
  const r = await srReader(ctx);
  const archive = await visibleArchive(r, customerId);
  authorize(r.ctx, 'sr.export', { type: 'sr_list', id: archive.id });
  await ensureDefaultSymbols(ctx, archive.id);
  const rows = (await activeOf(ctx.db, archive.id, partNumber || undefined)
    .orderBy('k.part_number')
    .orderBy('k.seq')
    .orderBy('k.id')
    .limit(CHAR_EXPORT_MAX_ROWS + 1)
    .execute()) as CharacteristicRow[];
  if (rows.length > CHAR_EXPORT_MAX_ROWS)
    throw new DomainError('export_too_large', 422, { max: CHAR_EXPORT_MAX_ROWS });
  const used = new Set(rows.map((x) => x.symbol_id).filter((x): x is string => !!x));
  const symbols = new Map<string, { row: SymbolRow; png: Buffer }>();
  for (const s of await symbolsOf(ctx.db, archive.id)) {
    if (!used.has(s.id) && !Number(s.active)) continue;
    symbols.set(s.id, { row: s, png: await symbolPng(store, s, CELL_PX * 4) });
  }
  await appendAudit(ctx, {
    action: 'sr.characteristics_export',
    targetType: 'sr_list',
    targetId: archive.id,
    targetLabel: `${archive.archive_code} ${archive.name} ${partNumber ?? ''}`.trim(),
    secrecy: archive.secrecy,
    details: { format, partNumber: partNumber ?? null, rows: rows.length },
  });
  const level = secrecyFromRank(archive.secrecy);
  return {
    archive,
    partNumber: partNumber || null,
    rows,
    symbols,
    mark: level === 'normal' ? null : SECRECY_LABELS[level].zh,
    printedOn: todayInShanghai(ctx.now()),
  };
}

export const classText = (c: string) => SR_CHAR_CLASS_LABELS[c as SrCharClass]?.zh ?? c;
export const symbolText = (s: SymbolRow | undefined) => (s ? `${s.code} ${s.name}` : '');

/** Column headers of the list, in order ('符号' is the drawn symbol). */
export const CHAR_COLUMNS = [
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
] as const;

export const TITLE = '特殊特性清单';

export function metaOf(x: CharExport): string[] {
  return [
    `顾客：${x.archive.name}（${x.archive.archive_code}）`,
    `零件号：${x.partNumber ?? '全部'}`,
    `打印日期：${x.printedOn}${x.mark ? `    密级：${x.mark}` : ''}`,
  ];
}

/** The .xlsx: title and meta lines, the header, one row per characteristic with its symbol drawn. */
export async function characteristicsXlsx(x: CharExport): Promise<Buffer> {
  const Excel = await excel();
  const wb = new Excel.Workbook();
  wb.creator = 'Kedang 客档';
  const ws = wb.addWorksheet('特殊特性清单', {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [6, 16, 24, 28, 14, 7, 14, 16, 16, 16].map((width) => ({ width }));
  ws.addRow([TITLE]).font = { bold: true, size: 14 };
  for (const line of metaOf(x)) ws.addRow([line]);
  const header = ws.addRow([...CHAR_COLUMNS]);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    c.border = { bottom: { style: 'thin' } };
  });
  ws.views = [{ state: 'frozen', ySplit: header.number }];
  const imageIds = new Map<string, number>();
  const imageOf = (symbolId: string) => {
    let id = imageIds.get(symbolId);
    const s = x.symbols.get(symbolId);
    if (id === undefined && s) {
      id = wb.addImage({ buffer: s.png as unknown as ArrayBuffer, extension: 'png' });
      imageIds.set(symbolId, id);
    }
    return id;
  };
  const symbolCol = CHAR_COLUMNS.indexOf('符号');
  x.rows.forEach((row, i) => {
    const symbol = row.symbol_id ? x.symbols.get(row.symbol_id)?.row : undefined;
    const line = ws.addRow([
      i + 1,
      row.part_number,
      row.name,
      row.specification,
      classText(row.char_class),
      '',
      symbolText(symbol),
      row.control_plan_ref ?? '',
      row.inspection_method ?? '',
      row.requirement_number ?? '',
    ]);
    line.height = 22;
    line.alignment = { vertical: 'middle', wrapText: true };
    const image = row.symbol_id ? imageOf(row.symbol_id) : undefined;
    if (image !== undefined)
      ws.addImage(image, {
        // Zero-based column and row; the row's top-left corner, nudged into the cell.
        tl: { col: symbolCol + 0.15, row: line.number - 1 + 0.1 },
        ext: { width: CELL_PX, height: CELL_PX },
        editAs: 'oneCell',
      });
  });
  const legend = [...x.symbols.values()].filter((s) => Number(s.row.active));
  if (legend.length) {
    ws.addRow([]);
    ws.addRow(['符号说明']).font = { bold: true };
    for (const s of legend) {
      const line = ws.addRow([
        '',
        `${s.row.code} ${s.row.name}`,
        s.row.meaning ?? '',
        `对应${classText(s.row.char_class)}`,
      ]);
      line.height = 22;
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
