import { parentPort, workerData } from 'node:worker_threads';
import { sheetRows } from '../../platform/xlsx-read.js';
import {
  type ImportReference,
  type RowBatch,
  type RowDetails,
  type RowResult,
  rowChecker,
} from './import-rows.js';

// The worker thread of a customer import: reads the sheet and checks its rows (import-rows.ts)
// on the second core while the job's thread writes the previous batch. It sends a batch when
// the job asks for one, so at most a few batches are ever held in memory, whatever the size of
// the file.

export interface ImportWorkerData {
  path: string;
  fileName: string;
  batchSize: number;
  reference: ImportReference;
}

/** From the worker. */
export type ImportWorkerMessage =
  | { type: 'header'; header: string[]; missing: string[] }
  | RowBatch
  | { type: 'details'; batch: number; details: RowDetails[] }
  | { type: 'end' }
  | { type: 'error'; message: string };

/** From the job: one more batch; the details of some rows; done with a batch. */
export type ImportJobMessage =
  | { type: 'more' }
  | { type: 'details'; batch: number; rows: number[] }
  | { type: 'done'; batch: number };

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');
const data = (workerData as { data: ImportWorkerData }).data;
const post = (message: ImportWorkerMessage) => port.postMessage(message);

/** The good rows of the batches the job has not finished, for the details it may ask for. */
const kept = new Map<number, RowResult[]>();
let credits = 0;
let wake: (() => void) | undefined;
port.on('message', (m: ImportJobMessage) => {
  if (m.type === 'more') {
    credits++;
    wake?.();
  } else if (m.type === 'details') {
    const rows = kept.get(m.batch) ?? [];
    post({ type: 'details', batch: m.batch, details: m.rows.map((i) => detailsOf(rows[i] as RowResult)) });
  } else kept.delete(m.batch);
});

async function credit(): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
  credits--;
}

function detailsOf(row: RowResult): RowDetails {
  const { input, given, createProblems } = row.checked as NonNullable<RowResult['checked']>;
  return { cells: row.cells, input, given, createProblems };
}

/**
 * A batch as the job's thread wants it: what it needs for every row, as small arrays and the
 * JSON text of what each row creates (copied across threads in one piece; one text a row keeps
 * them small enough for the young generation of both heaps). Details that only
 * updates and failures need stay here until asked for: most rows of a large import create an
 * archive, and receiving is work on the thread that writes, which limits the import.
 */
class BatchBuilder {
  rows = 0;
  private readonly failed: RowResult[] = [];
  private readonly good: RowResult[] = [];
  private readonly rowNumbers: number[] = [];
  private readonly keys: (string | null)[] = [];
  private readonly creates: (string | null)[] = [];

  constructor(private readonly id: number) {}

  add(row: RowResult): void {
    this.rows++;
    const checked = row.checked;
    if (row.problems.length || !checked) {
      this.failed.push({ ...row, checked: undefined });
      return;
    }
    this.good.push(row);
    this.rowNumbers.push(row.rowNumber);
    this.keys.push(row.creditCode, row.archiveCode);
    this.creates.push(checked.create && JSON.stringify(checked.create));
  }

  message(): RowBatch {
    kept.set(this.id, this.good);
    return {
      type: 'batch',
      id: this.id,
      rows: this.rows,
      failed: JSON.stringify(this.failed),
      rowNumbers: this.rowNumbers,
      keys: this.keys,
      creates: this.creates,
    };
  }
}

async function run(): Promise<void> {
  const iterator = sheetRows(data.path, data.fileName);
  const first = await iterator.next();
  const header = first.done ? [] : first.value;
  const checker = rowChecker(data.reference, header);
  post({ type: 'header', header, missing: checker.missing });
  if (checker.missing.length) return;
  // The same archive twice in one file: the later row is an error, not a silent overwrite.
  const seenCredit = new Map<string, number>();
  const seenArchive = new Map<string, number>();
  let batches = 0;
  let batch = new BatchBuilder(batches++);
  let rowNumber = 1;
  await credit();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    rowNumber++;
    const cells = next.value;
    if (cells.every((c) => c === '')) continue;
    const row = checker.check(rowNumber, cells);
    if (row.creditCode) {
      const earlier = seenCredit.get(row.creditCode);
      if (earlier)
        row.problems.push({
          column: checker.headerOf('creditCode'),
          message: `与第 ${earlier} 行的统一社会信用代码重复`,
        });
      else seenCredit.set(row.creditCode, rowNumber);
    }
    if (row.archiveCode) {
      const earlier = seenArchive.get(row.archiveCode);
      if (earlier)
        row.problems.push({
          column: checker.headerOf('archiveCode'),
          message: `与第 ${earlier} 行的档案编号重复`,
        });
      else seenArchive.set(row.archiveCode, rowNumber);
    }
    batch.add(row);
    if (batch.rows >= data.batchSize) {
      post(batch.message());
      batch = new BatchBuilder(batches++);
      await credit();
    }
  }
  if (batch.rows) post(batch.message());
  post({ type: 'end' });
}

run().catch((err: unknown) => post({ type: 'error', message: (err as Error)?.stack ?? String(err) }));
