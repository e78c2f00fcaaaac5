import type { Readable } from 'node:stream';
import { CONDITION_LABELS } from '../../../common/lending.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { type CsvEncoding, csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import { type LoanState, listLoans, loanTotals } from './loans.js';

// The lending desk's lists (借出清单: 在借, 即将到期, 超期未还, 已归还) as .xlsx and CSV, for the archivist
// to print and chase: the same rows, in the same order, as the list the reader sees (all loans for
// the archivist and overseers, one's own for everyone else, within clearance), walked a keyset
// page at a time; audited before any row goes out, at the secrecy of the most secret item.

const BATCH = 1000;

const COLUMNS: [string, number][] = [
  ['序号', 6],
  ['借阅单号', 16],
  ['档案/文件', 36],
  ['编号', 18],
  ['借阅人', 10],
  ['部门', 14],
  ['外单位', 18],
  ['借出时间', 18],
  ['借出人', 10],
  ['应还日期', 12],
  ['状态', 10],
  ['归还时间', 18],
  ['接收人', 10],
  ['归还状况', 10],
  ['备注', 24],
];

export const LOAN_LIST_NAMES: Record<LoanState, string> = {
  out: '在借清单',
  due_soon: '即将到期清单',
  overdue: '超期未还清单',
  returned: '已归还清单',
};

export async function exportLoans(
  ctx: Ctx,
  state: LoanState,
  format: 'xlsx' | 'csv',
  encoding: CsvEncoding = 'utf8',
): Promise<Readable> {
  const { n, secrecy } = await loanTotals(ctx, state);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'lending.loans_export',
    targetType: 'loan',
    secrecy,
    details: { state, format, rows: n },
  });
  const lang = ctx.lang;
  const status = (l: { returnedAt: string | null; overdue: boolean; dueSoon: boolean }) =>
    l.returnedAt ? '已归还' : l.overdue ? '超期' : l.dueSoon ? '即将到期' : '在借';
  async function* batches(): AsyncGenerator<(string | number)[][]> {
    let cursor: string | undefined;
    let index = 0;
    for (;;) {
      const page = await listLoans(ctx, { state, cursor, limit: BATCH });
      yield page.items.map((l) => [
        ++index,
        l.requestNumber,
        l.label,
        l.code ?? '',
        l.borrower.name,
        l.borrower.departmentName ?? '',
        l.external ?? '',
        formatDateTime(l.issuedAt),
        l.issuedBy,
        l.dueDate,
        status(l),
        formatDateTime(l.returnedAt),
        l.receivedBy ?? '',
        l.conditionIn ? CONDITION_LABELS[l.conditionIn][lang] : '',
        l.noteIn ?? '',
      ]);
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }
  if (format === 'csv')
    return csvStream(
      COLUMNS.map(([h]) => h),
      batches(),
      encoding,
    );
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(LOAN_LIST_NAMES[state]);
    sheet.columns = COLUMNS.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of batches()) for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  });
}
