import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { attachment } from './http.js';

// Registers as CSV (R-W3), streamed like the .xlsx ones. UTF-8 with a byte-order mark, which is
// what makes Excel on Chinese Windows read the file as UTF-8 rather than GBK; CRLF line ends and
// RFC 4180 quoting. GBK on request (`?encoding=gbk`), for older Excel and for programs that read
// nothing else; it has no byte-order mark.

export const CSV_TYPE = 'text/csv; charset=utf-8';

export const CSV_ENCODINGS = ['utf8', 'gbk'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

let gbkTable: Map<number, number> | undefined;

/**
 * GBK bytes of a text. Node decodes GBK but has no encoder, so the table is built once from the
 * decoder (about 22,000 two-byte codes). A character GBK lacks (an emoji, a rare 汉字 outside
 * GB 2312/GBK) becomes `?`, as Excel does when it saves such a sheet as CSV.
 */
export function gbkBytes(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let hi = 0x81; hi <= 0xfe; hi++)
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([hi, lo]));
        const code = ch.codePointAt(0) as number;
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(code)) gbkTable.set(code, (hi << 8) | lo);
      }
  }
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out[n++] = code;
    else {
      const pair = gbkTable.get(code);
      if (pair === undefined) out[n++] = 0x3f;
      else {
        out[n++] = pair >> 8;
        out[n++] = pair & 0xff;
      }
    }
  }
  return out.subarray(0, n);
}

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
  encoding: CsvEncoding = 'utf8',
): Readable {
  const bytes = (text: string) => (encoding === 'gbk' ? gbkBytes(text) : Buffer.from(text, 'utf8'));
  async function* lines() {
    yield encoding === 'gbk' ? bytes(csvLine(header)) : bytes(`\uFEFF${csvLine(header)}`);
    for await (const rows of batches) if (rows.length) yield bytes(rows.map(csvLine).join(''));
  }
  return Readable.from(lines(), { objectMode: false });
}

/** Sends a CSV download named in Chinese, with an ASCII name for old clients. */
export function sendCsv(
  reply: FastifyReply,
  body: Readable,
  name: string,
  asciiName: string,
  encoding: CsvEncoding = 'utf8',
) {
  return reply
    .type(encoding === 'gbk' ? 'text/csv; charset=gbk' : CSV_TYPE)
    .header('content-disposition', attachment(name, asciiName))
    .send(body);
}
