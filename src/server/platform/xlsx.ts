import { PassThrough, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { attachment } from './http.js';

// Excel registers (R-W3) are written as streams: rows go out as they are read, so memory
// stays flat however long the register. ExcelJS is loaded on first use: it is large, and a
// server that never exports should not carry it.

/** ExcelJS, loaded once when first needed. */
export async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** Excel's own limit is 1,048,576 rows a sheet. */
export const EXPORT_MAX_ROWS = 1_000_000;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook written by `build`, row by row; a failure part-way ends the stream with the error. */
export function streamWorkbook(
  build: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>,
): Readable {
  const out = new PassThrough();
  excel()
    .then(async (Excel) => {
      const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
      await build(workbook);
      await workbook.commit();
    })
    .catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/** Sends a workbook as a download named in Chinese, with an ASCII name for old clients. */
export function sendXlsx(reply: FastifyReply, body: Readable | Buffer, name: string, asciiName: string) {
  return reply.type(XLSX_TYPE).header('content-disposition', attachment(name, asciiName)).send(body);
}

/** `20261123`: the day in a download's name. */
export function fileDay(now: Date): string {
  return now.toISOString().slice(0, 10).replaceAll('-', '');
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
