import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { balanceBody } from '../../../common/schemas/credit.js';
import { isValidIsoDate } from '../../../common/validation.js';
import { type Ctx, tx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { can } from '../../platform/policy/index.js';
import { sheetTable } from '../../platform/sheet-import.js';
import { sheetDate, sheetRows } from '../../platform/xlsx-read.js';
import { ownersOf } from '../customers/repo.js';
import {
  type CreditCustomer,
  CUSTOMER_COLUMNS,
  creditReader,
  creditResource,
  visibleCustomer,
} from './access.js';
import { writeBalance } from './service.js';

// Balances from the ERP (R-A4, R-W3): a sheet (.xlsx, or CSV in UTF-8 or GBK as Excel saves it in
// China) with a header row naming 档案编号 or 统一社会信用代码, 余额日期, 赊销款, 未结算票据 and optionally
// 逾期天数, 备注. Every row is checked first — the customer is one the reader sees and may enter
// balances for (a hidden archive is told like a missing one), the date is real and not after
// today, the amounts are money; with any row in error nothing is written, and a dry run only
// checks. The rows are written in one transaction, each as an entry by hand would be (audit, the
// warning looked at again).

export const IMPORT_MAX_ROWS = 20_000;
const HEADERS = {
  code: '档案编号',
  creditCode: '统一社会信用代码',
  asOf: '余额日期',
  receivables: '赊销款',
  bills: '未结算票据',
  overdue: '逾期天数',
  note: '备注',
} as const;

export interface BalanceImportResult {
  dryRun: boolean;
  rows: number;
  imported: number;
  errors: { row: number; message: string }[];
}

export async function importBalances(
  ctx: Ctx,
  body: Buffer,
  fileName: string,
  dryRun: boolean,
): Promise<BalanceImportResult> {
  const r = await creditReader(ctx);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-balances-'));
  const file = path.join(dir, `${newId()}${path.extname(fileName).toLowerCase()}`);
  const rows: string[][] = [];
  try {
    fs.writeFileSync(file, body);
    for await (const row of sheetRows(file, fileName)) rows.push(row);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const table = sheetTable(rows, HEADERS, ['asOf', 'receivables', 'bills'], IMPORT_MAX_ROWS, (col) =>
    col.code < 0 && col.creditCode < 0 ? [`${HEADERS.code}或${HEADERS.creditCode}`] : [],
  );
  if (!('data' in table))
    return { dryRun, rows: table.rows, imported: 0, errors: [{ row: 1, message: table.message }] };
  const { data, cell } = table;

  // The customers named, within what the reader sees.
  const codes = [...new Set(data.map((x) => cell(x.cells, 'code')).filter(Boolean))];
  const creditCodes = [
    ...new Set(data.map((x) => cell(x.cells, 'creditCode').toUpperCase()).filter(Boolean)),
  ];
  const found = new Map<string, CreditCustomer & { credit_code: string | null }>();
  const load = async (column: 'c.archive_code' | 'c.credit_code', values: string[]) => {
    for (let i = 0; i < values.length; i += 500) {
      const rowsFound = await r.ctx.db
        .selectFrom('customers as c')
        .select([...CUSTOMER_COLUMNS, 'c.credit_code'])
        .where(column, 'in', values.slice(i, i + 500))
        .where('c.status', 'in', ['draft', 'filed'])
        .where(visibleCustomer(r) as never)
        .execute();
      const owners = await ownersOf(
        r.ctx.db,
        rowsFound.map((x) => x.id),
      );
      for (const x of rowsFound) {
        const c = { ...x, secrecy: Number(x.secrecy), ownerIds: (owners.get(x.id) ?? []).map((o) => o.id) };
        found.set(`code:${x.archive_code}`, c);
        if (x.credit_code) found.set(`uscc:${x.credit_code}`, c);
      }
    }
  };
  await load('c.archive_code', codes);
  await load('c.credit_code', creditCodes);

  const errors: BalanceImportResult['errors'] = [];
  const planned: { c: CreditCustomer; input: ReturnType<typeof balanceBody.parse> }[] = [];
  for (const { n, cells } of data) {
    const problems: string[] = [];
    const code = cell(cells, 'code');
    const uscc = cell(cells, 'creditCode').toUpperCase();
    const c = code ? found.get(`code:${code}`) : uscc ? found.get(`uscc:${uscc}`) : undefined;
    if (!code && !uscc) problems.push(`${HEADERS.code}：必填`);
    else if (!c)
      problems.push(`${code ? HEADERS.code : HEADERS.creditCode}：“${code || uscc}”不存在或无权查看`);
    else if (!can(r.ctx.actor, 'credit.balance', creditResource(r, c)))
      problems.push(`无权登记客户 ${c.name} 的余额`);
    const dateText = cell(cells, 'asOf');
    const asOf = sheetDate(dateText);
    if (!asOf || !isValidIsoDate(asOf)) problems.push(`${HEADERS.asOf}：日期格式应为 YYYY-MM-DD`);
    else if (asOf > r.today) problems.push(`${HEADERS.asOf}：不能晚于今天（${r.today}）`);
    const money = (k: 'receivables' | 'bills') => {
      const text = cell(cells, k).replace(/[,，]/g, '');
      if (!/^\d{1,13}(\.\d{1,2})?$/.test(text))
        problems.push(`${HEADERS[k]}：金额须为不小于 0 的数字，最多两位小数`);
      return text;
    };
    const receivables = money('receivables');
    const bills = money('bills');
    const overdueText = cell(cells, 'overdue');
    if (overdueText && !/^\d{1,4}$/.test(overdueText))
      problems.push(`${HEADERS.overdue}：须为 0–9999 的整数`);
    if (problems.length || !c || !asOf) {
      errors.push({ row: n, message: problems.join('；') });
      continue;
    }
    const parsed = balanceBody.safeParse({
      asOf,
      receivables,
      unsettledBills: bills,
      overdueDays: overdueText ? Number(overdueText) : 0,
      note: cell(cells, 'note') || null,
    });
    if (!parsed.success) {
      errors.push({ row: n, message: `${HEADERS.note}：内容无效` });
      continue;
    }
    planned.push({ c, input: parsed.data });
  }
  if (errors.length || dryRun) return { dryRun, rows: data.length, imported: 0, errors };
  await tx(r.ctx, async (t) => {
    for (const p of planned) await writeBalance(r, t, p.c, p.input, 'import');
  });
  return { dryRun, rows: data.length, imported: planned.length, errors };
}
