import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { attachment } from './http.js';

// Registers as CSV (R-W3), streamed like the .xlsx ones. UTF-8 with a byte-order mark, which is
// what makes Excel on Chinese Windows read the file as UTF-8 rather than GBK; CRLF line ends and
// RFC 4180 quoting.

export const CSV_TYPE = 'text/csv; charset=utf-8';

/**
 * One cell. Text that Excel would take for a formula (=, +, -, @, tab, CR at the start) gets a
 * leading apostrophe, so that a customer's words never run as a formula on the reader's machine.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly (string | number | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

/** A CSV file of a header and rows given in batches; a failure part-way ends the stream with it. */
export function csvStream(
  header: readonly string[],
  batches: AsyncIterable<(string | number | null)[][]>,
): Readable {
  async function* lines() {
    yield Buffer.from(`\uFEFF${csvLine(header)}`, 'utf8');
    for await (const rows of batches) if (rows.length) yield Buffer.from(rows.map(csvLine).join(''), 'utf8');
  }
  return Readable.from(lines(), { objectMode: false });
}

/** Sends a CSV download named in Chinese, with an ASCII name for old clients. */
export function sendCsv(reply: FastifyReply, body: Readable, name: string, asciiName: string) {
  return reply.type(CSV_TYPE).header('content-disposition', attachment(name, asciiName)).send(body);
}
