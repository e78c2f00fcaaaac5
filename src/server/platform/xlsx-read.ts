import fs from 'node:fs';
import { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { DomainError } from './errors.js';

// Reading Excel sheets and CSV files: nothing but ExcelJS and csv-parse, so that worker threads (the customer import) can
// load it without the HTTP layer. ExcelJS is loaded on first use: it is large, and a server that
// never reads a sheet should not carry it.

/** ExcelJS, loaded once when first needed. */
export async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** A cell as text: dates as YYYY-MM-DD, rich text and hyperlinks as their text, formulas as results. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
    if (v.error) return '';
    return '';
  }
  return String(value).trim();
}

/** The rows of a workbook as text, read as a stream: the first sheet, or every sheet. Blank rows
 * are yielded as [] so that row numbers stay as people see them in Excel. */
export async function* xlsxRows(path: string, sheets: 'first' | 'all' = 'first'): AsyncGenerator<string[]> {
  const Excel = await excel();
  const reader = new Excel.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      // Blank rows are not emitted; keep row numbers as people see them in Excel.
      while (expected < row.number) {
        yield [];
        expected++;
      }
      const values = (row.values as unknown[]).slice(1);
      yield values.map(cellText);
      expected++;
    }
    if (sheets === 'first') return;
  }
}

/** UTF-8 (with or without BOM) or, when the bytes are not valid UTF-8, GBK (Excel's default in China). */
function decoder(): Transform {
  let dec: TextDecoder | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!dec) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, 65536), { stream: true });
          dec = new TextDecoder('utf-8');
        } catch {
          dec = new TextDecoder('gbk');
        }
      }
      done(null, dec.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, dec?.decode() ?? '');
    },
  });
}

async function* csvRows(file: string): AsyncGenerator<string[]> {
  const parser = fs
    .createReadStream(file)
    .pipe(decoder())
    // relax_quotes: a quote inside an unquoted cell (=HYPERLINK("…") as Excel writes it) is text.
    .pipe(
      parseCsv({
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        trim: true,
      }),
    );
  for await (const record of parser) yield (record as string[]).map((c) => c.trim());
}

/** A file that is not what its name says (a .xlsx that is no zip, a CSV with an unclosed quote)
 * is the uploader's mistake: a 422 naming where it broke, not a failed job or a 500. */
async function* readable(rows: AsyncGenerator<string[]>, kind: 'xlsx' | 'csv'): AsyncGenerator<string[]> {
  let n = 0;
  try {
    for await (const row of rows) {
      n++;
      yield row;
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const reason =
      kind === 'xlsx'
        ? '不是有效的 .xlsx 文件，请在 Excel 中另存为 .xlsx 后再上传'
        : `第 ${n + 1} 行格式有误（如引号不成对）`;
    throw new DomainError('file_unreadable', 422, { reason }, 'file');
  }
}

/** The rows of an uploaded sheet as text, by the uploaded file's name (.csv or .xlsx). */
export function sheetRows(file: string, fileName: string): AsyncGenerator<string[]> {
  return /\.csv$/i.test(fileName) ? readable(csvRows(file), 'csv') : readable(xlsxRows(file), 'xlsx');
}

const DATE_FORMATS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})(\d{2})(\d{2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];

/** A date as people type it in a sheet (2026-3-2, 2026/3/2, 2026.3.2, 20260302, 2026年3月2日)
 * as YYYY-MM-DD; null when it is none of these. Whether the day exists is checked later. */
export function sheetDate(text: string): string | null {
  for (const re of DATE_FORMATS) {
    const m = text.match(re);
    if (m) return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  }
  return null;
}

/**
 * The first sheet read whole, for registers kept by hand: every cell of a merged range reads as
 * the range's value (a header merged over two columns names both, a 归口部门 merged down a block
 * of rows belongs to each of them). Blank rows are kept as [] so that row numbers stay as in
 * Excel. CSV has no merges and is read as `sheetRows` reads it.
 */
export async function sheetGrid(file: string, fileName: string, maxRows: number): Promise<string[][]> {
  const rows: string[][] = [];
  if (/\.csv$/i.test(fileName)) {
    for await (const row of sheetRows(file, fileName)) {
      rows.push(row);
      if (rows.length > maxRows) break;
    }
    return rows;
  }
  const Excel = await excel();
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch {
    throw new DomainError(
      'file_unreadable',
      422,
      { reason: '不是有效的 .xlsx 文件，请在 Excel 中另存为 .xlsx 后再上传' },
      'file',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return rows;
  const last = Math.min(sheet.rowCount, maxRows + 1);
  for (let n = 1; n <= last; n++) {
    const row = sheet.getRow(n);
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      cells.push(cellText(cell.isMerged ? cell.master.value : cell.value));
    }
    while (cells.length && cells.at(-1) === '') cells.pop();
    rows.push(cells);
  }
  return rows;
}
