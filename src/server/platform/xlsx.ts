import { PassThrough, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { type Lang, SECRECY_LABELS, secrecyFromRank } from '../../common/enums.js';
import { todayInShanghai } from '../../common/time.js';
import { attachment } from './http.js';
import { excel } from './xlsx-read.js';

export { cellText, excel, xlsxRows } from './xlsx-read.js';

// Excel registers (R-W3) are written as streams: rows go out as they are read, so memory
// stays flat however long the register. ExcelJS is loaded on first use: it is large, and a
// server that never exports should not carry it.

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

/**
 * Sheet options for an export holding classified records (R-P1, R-P10): the highest level of what
 * it holds in the centre of every printed page's header, as a paper register would carry it.
 * Nothing for an export of 普通 records only.
 */
export function secrecyPageHeader(level: number, lang: Lang): Partial<ExcelJS.AddWorksheetOptions> {
  if (!(level > 0)) return {};
  const label = SECRECY_LABELS[secrecyFromRank(level)][lang];
  // `&C` centres the text; `&&` is a literal ampersand (none in the labels).
  return { headerFooter: { oddHeader: `&C${label}`, differentFirst: false, differentOddEven: false } };
}

/** Sends a workbook as a download named in Chinese, with an ASCII name for old clients. */
export function sendXlsx(reply: FastifyReply, body: Readable | Buffer, name: string, asciiName: string) {
  return reply.type(XLSX_TYPE).header('content-disposition', attachment(name, asciiName)).send(body);
}

/** `20261123`: the day in a download's name — the company's day (Asia/Shanghai), not UTC's,
 * which is still the day before until 08:00. */
export function fileDay(now: Date): string {
  return todayInShanghai(now).replaceAll('-', '');
}
