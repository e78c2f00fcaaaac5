import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { attachment } from './http.js';

// CSV registers: UTF-8 with a byte-order mark (Excel on Chinese Windows otherwise reads GBK and
// shows mojibake), CRLF line ends, RFC 4180 quoting. A cell that starts like a formula is
// prefixed with an apostrophe, so that a customer's text never runs as a formula when opened.

export const CSV_TYPE = 'text/csv; charset=utf-8';

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A CSV document as a stream: the header, then the rows `pages` yields, page by page. */
export function streamCsv(header: readonly string[], pages: () => AsyncIterable<unknown[][]>): Readable {
  async function* lines() {
    yield `\uFEFF${csvLine(header)}`;
    for await (const rows of pages()) {
      let chunk = '';
      for (const row of rows) chunk += csvLine(row);
      if (chunk) yield chunk;
    }
  }
  return Readable.from(lines());
}

/** Sends a CSV document as a download named in Chinese, with an ASCII name for old clients. */
export function sendCsv(reply: FastifyReply, body: Readable | string, name: string, asciiName: string) {
  return reply.type(CSV_TYPE).header('content-disposition', attachment(name, asciiName)).send(body);
}
