import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { ImportResult, Job } from '../../common/schemas/jobs.js';
import type { Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';
import { enqueueJob } from './jobs.js';
import { receiveUpload, UploadEmpty, UploadTooLarge } from './storage.js';
import { multipartFile, receiving } from './uploads.js';
import { streamWorkbook } from './xlsx.js';

// What every sheet import (customers R-W3, orders) shares: receiving the uploaded .xlsx/.csv
// into its own folder, the error sheet — the failed rows as uploaded plus a column saying what
// is wrong — and removing old uploads. Reading the rows is in xlsx-read.ts (`sheetRows`), which
// worker threads load without the HTTP layer.

/** A problem of one row: the column header as in the sheet (empty for the whole row). */
export interface SheetProblem {
  column: string;
  message: string;
}

// Error sheet -------------------------------------------------------------------------------------

/** One line of the error file (JSON lines): the row's cells and what is wrong with it. */
export function errorLine(cells: string[], problems: SheetProblem[]): string {
  const text = problems.map((p) => (p.column ? `${p.column}：${p.message}` : p.message)).join('；');
  return `${JSON.stringify([...cells, text])}\n`;
}

/** The error file (header line first) as a workbook: the original cells, the last column in red. */
export function errorWorkbook(errorsPath: string, lang: 'zh' | 'en'): Readable {
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(lang === 'en' ? 'Errors' : '错误清单');
    const lines = createInterface({
      input: fs.createReadStream(errorsPath, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let first = true;
    for await (const line of lines) {
      if (!line) continue;
      const row = sheet.addRow(JSON.parse(line) as string[]);
      if (first) {
        row.font = { bold: true };
        first = false;
      } else {
        const last = row.getCell(row.cellCount);
        last.font = { color: { argb: 'FFC00000' } };
      }
      row.commit();
    }
    sheet.commit();
  });
}

// Uploads -----------------------------------------------------------------------------------------

const KEEP_UPLOADS_DAYS = 7;

/** Removes uploaded sheets older than a week: they hold customer data nobody needs any more. */
export function cleanUploads(dir: string, now: Date): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const full = `${dir}/${entry}`;
    if (now.getTime() - fs.statSync(full).mtimeMs > KEEP_UPLOADS_DAYS * 86_400_000)
      fs.rmSync(full, { recursive: true, force: true });
  }
}

const IMPORT_TYPES = /\.(xlsx|csv)$/i;

/** An uploaded sheet, stored in a folder of its own under `uploads`. */
export interface ReceivedSheet {
  dir: string;
  /** The stored file: source.xlsx or source.csv. */
  path: string;
  /** The name the user gave it. */
  fileName: string;
}

/** Receives the one .xlsx/.csv file of a multipart form (refusing others, empty or too large
 * ones), then removes uploads older than a week. */
export async function receiveSheet(
  req: FastifyRequest,
  uploads: string,
  maxBytes: number,
): Promise<ReceivedSheet> {
  const file = await multipartFile(req, maxBytes);
  if (!IMPORT_TYPES.test(file.filename)) {
    file.file.resume();
    throw new DomainError('file_type', 422, { types: '.xlsx、.csv' }, 'file');
  }
  const dir = path.join(uploads, newId());
  fs.mkdirSync(dir, { recursive: true });
  const source = path.join(dir, `source${path.extname(file.filename).toLowerCase()}`);
  const tooLarge = () =>
    new DomainError('file_too_large', 413, { limit: `${Math.round(maxBytes / 1048576)} MB` }, 'file');
  try {
    await receiving(tooLarge, async () => {
      await receiveUpload(file.file, fs.createWriteStream(source));
      if (file.file.truncated) throw new UploadTooLarge();
      if (fs.statSync(source).size === 0) throw new UploadEmpty();
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  cleanUploads(uploads, req.ctx.now());
  return { dir, path: source, fileName: file.filename };
}

// Jobs --------------------------------------------------------------------------------------------

/** What an import job is given: the stored sheet, where its failed rows go, dry run or not. */
export interface SheetImportPayload {
  path: string;
  fileName: string;
  errorsPath: string;
  dryRun: boolean;
  /** Rows the dry run counted, so the real run can show a percentage. */
  expectedRows?: number;
}

type ImportJob = Pick<Job, 'kind' | 'status' | 'result'> & { payload: unknown };

/** Queues the real run of a finished dry run (a job of the caller's, already checked), from the
 * same uploaded file; its failed rows go beside the dry run's. */
export async function commitSheetImport(ctx: Ctx, dry: ImportJob): Promise<Job> {
  const payload = dry.payload as SheetImportPayload;
  const result = dry.result as ImportResult | null;
  if (dry.status !== 'succeeded' || !result?.dryRun || !fs.existsSync(payload.path))
    throw new DomainError('import_not_ready', 409);
  return enqueueJob(ctx, dry.kind, {
    ...payload,
    errorsPath: payload.errorsPath.replace(/check-errors\.jsonl$/, 'errors.jsonl'),
    dryRun: false,
    expectedRows: result.rows,
  } satisfies SheetImportPayload);
}

/** The failed rows of a finished import job as the original sheet plus an error column. */
export function sheetImportErrors(ctx: Ctx, job: ImportJob): Readable {
  const payload = job.payload as SheetImportPayload;
  if (job.status !== 'succeeded' || !fs.existsSync(payload.errorsPath)) throw notFound();
  return errorWorkbook(payload.errorsPath, ctx.lang);
}

// Small sheets read at once (deliveries, balances) ------------------------------------------------

/** A sheet read whole: its columns found by header, the non-empty rows numbered as in the sheet. */
export interface SheetTable<K extends string> {
  col: Record<K, number>;
  data: { n: number; cells: string[] }[];
  /** The cell of column `k` in a row, trimmed ('' when the column is absent). */
  cell: (cells: string[], k: K) => string;
}

/**
 * Finds the columns by their headers (first row) and takes the rows below that hold anything.
 * Returns the problem for row 1 instead when a required header is missing (`missing` names extra
 * ones, e.g. one of two alternatives) or there are more than `maxRows` rows.
 */
export function sheetTable<K extends string>(
  rows: string[][],
  headers: Record<K, string>,
  required: readonly NoInfer<K>[],
  maxRows: number,
  missing: (col: Record<NoInfer<K>, number>) => string[] = () => [],
): SheetTable<K> | { rows: number; message: string } {
  const head = (rows[0] ?? []).map((h) => h.trim());
  const col = Object.fromEntries(
    (Object.entries(headers) as [K, string][]).map(([k, h]) => [k, head.indexOf(h)]),
  ) as Record<K, number>;
  const absent = [...missing(col), ...required.filter((k) => col[k] < 0).map((k) => headers[k])];
  if (absent.length) return { rows: 0, message: `缺少列：${absent.join('、')}` };
  const data = rows
    .map((cells, i) => ({ n: i + 1, cells }))
    .slice(1)
    .filter((x) => x.cells.some((c) => c.trim() !== ''));
  if (data.length > maxRows) return { rows: data.length, message: `每次最多导入 ${maxRows} 行` };
  return { col, data, cell: (cells, k) => (col[k] >= 0 ? (cells[col[k]] ?? '').trim() : '') };
}
