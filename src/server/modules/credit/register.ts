import type { Readable } from 'node:stream';
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { CREDIT_LEVEL_LABELS, creditLevel, yuan } from '../../../common/credit.js';
import { CREDIT_CLASS_LABELS, type CreditClass } from '../../../common/customers.js';
import type { CreditRegisterQuery, CreditRegisterRow } from '../../../common/schemas/credit.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { likePattern } from '../../platform/sql.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import { type CreditReader, creditReader, visibleCustomer } from './access.js';
import { exposureSql, sharePercent, toCents } from './exposure.js';

// The credit register (信用台帐, R-A4): every customer the reader sees, with its class, limit,
// exposure and share of the limit, filtered to those near or over their limit; as .xlsx and CSV;
// and `creditWarnings`, what the dashboard shows — customers at or past the warning share.
// Exposure, the filters, the order and the count are SQL over the visibility predicate, so a
// customer the reader may not see is in no row, count or total. Amounts go to readers who see
// all prices, else only on the archives they keep (owners); the share and level go to all.

export type RegisterFilter = Omit<CreditRegisterQuery, 'offset' | 'limit'>;

function base(r: CreditReader, f: RegisterFilter) {
  const me = r.ctx.actor.id;
  let inner = r.ctx.db
    .selectFrom('customers as c')
    .leftJoin('customer_credit as cc', 'cc.customer_id', 'c.id')
    .where('c.status', 'in', ['draft', 'filed'])
    .where(visibleCustomer(r) as never)
    .select((eb) => [
      'c.id',
      'c.name',
      'c.archive_code',
      'c.credit_class',
      'c.secrecy',
      'cc.credit_limit',
      'cc.suspended',
      exposureSql(sql.ref('c.id'), r.settings).as('exposure'),
      sql<string | null>`(select max(b.as_of) from credit_balances b where b.customer_id = c.id)`.as('as_of'),
      eb
        .exists(
          eb
            .selectFrom('customer_owners as o')
            .select(sql`1`.as('one'))
            .whereRef('o.customer_id', '=', 'c.id')
            .where('o.user_id', '=', me),
        )
        .as('owned'),
    ]);
  // Only customers with a limit can be near or over it (and only those with a credit row can be
  // suspended): an IN list lets the databases start from those few rows instead of computing
  // every archive's exposure (an inner join would still scan the archives on SQLite).
  if (['limited', 'near', 'over', 'at_risk', 'suspended'].includes(f.filter))
    inner = inner.where('c.id', 'in', (eb) => {
      const credit = eb.selectFrom('customer_credit as lc').select('lc.customer_id');
      return f.filter === 'suspended'
        ? credit.where('lc.suspended', '=', 1)
        : credit.where('lc.credit_limit', 'is not', null);
    });
  if (f.creditClass) inner = inner.where('c.credit_class', '=', f.creditClass);
  if (f.q)
    inner = inner.where((eb) =>
      eb.or([
        eb('c.name', 'like', likePattern(f.q as string)),
        eb('c.archive_code', 'like', likePattern(f.q as string)),
      ]),
    );
  const pct = r.settings.warnPercent;
  const near = sql<SqlBool>`(x.credit_limit is not null and x.exposure > 0 and x.exposure <= x.credit_limit and x.exposure * 100 >= x.credit_limit * ${pct})`;
  const over = sql<SqlBool>`(x.credit_limit is not null and x.exposure > x.credit_limit)`;
  const where: Record<RegisterFilter['filter'], Expression<SqlBool> | null> = {
    all: null,
    limited: sql<SqlBool>`x.credit_limit is not null`,
    near,
    over,
    at_risk: sql<SqlBool>`(${near} or ${over})`,
    suspended: sql<SqlBool>`x.suspended = 1`,
  };
  let q = r.ctx.db.selectFrom(inner.as('x'));
  const w = where[f.filter];
  if (w) q = q.where(w);
  return q;
}

type Row = {
  id: string;
  name: string;
  archive_code: string;
  credit_class: string | null;
  credit_limit: string | number | null;
  suspended: number | null;
  exposure: string | number;
  as_of: string | null;
  owned: unknown;
};

function toRow(r: CreditReader, x: Row): CreditRegisterRow & { showAmounts: boolean } {
  const limit = toCents(x.credit_limit);
  const exposure = toCents(x.exposure) ?? 0n;
  const amounts = r.amountsAll || x.owned === true || Number(x.owned) === 1;
  return {
    customerId: x.id,
    name: x.name,
    archiveCode: x.archive_code,
    creditClass: (x.credit_class as CreditClass | null) ?? null,
    creditLimit: amounts && limit !== null ? yuan(limit) : null,
    exposure: amounts ? yuan(exposure) : null,
    share: sharePercent(exposure, limit),
    level: creditLevel(exposure, limit, r.settings.warnPercent),
    suspended: Number(x.suspended ?? 0) === 1,
    balanceAsOf: x.as_of,
    showAmounts: amounts,
  };
}

function ordered(r: CreditReader, f: RegisterFilter) {
  return base(r, f)
    .selectAll('x')
    .orderBy(sql`case when x.credit_limit is null or x.credit_limit = 0 then 1 else 0 end`)
    .orderBy(sql`x.exposure * 1.0 / nullif(x.credit_limit, 0)`, 'desc')
    .orderBy('x.archive_code')
    .orderBy('x.id');
}

export async function listRegister(
  ctx: Ctx,
  query: CreditRegisterQuery,
): Promise<{ total: number; amountsVisible: boolean; items: CreditRegisterRow[] }> {
  const r = await creditReader(ctx);
  const { offset, limit, ...f } = query;
  const [count, rows] = await Promise.all([
    base(r, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    ordered(r, f).offset(offset).limit(limit).execute(),
  ]);
  const items = (rows as unknown as Row[]).map((x) => {
    const { showAmounts: _, ...row } = toRow(r, x);
    return row;
  });
  return { total: Number(count.n), amountsVisible: r.amountsAll, items };
}

/**
 * For the dashboard: the customers the reader sees whose exposure is at or past the warning share
 * of their limit (near or over), most exposed first — how many, and the first `limit` of them.
 */
export async function creditWarnings(
  ctx: Ctx,
  opts: { limit?: number } = {},
): Promise<{ count: number; items: CreditRegisterRow[] }> {
  const page = await listRegister(ctx, { filter: 'at_risk', offset: 0, limit: opts.limit ?? 10 });
  return { count: page.total, items: page.items };
}

const HEADERS = [
  '序号',
  '档案编号',
  '客户',
  '信用等级',
  '信用限度',
  '信用余额',
  '占用比例(%)',
  '状态',
  '余额日期',
  '暂停供货',
];

async function* pages(r: CreditReader, f: RegisterFilter): AsyncIterable<(string | number)[][]> {
  let offset = 0;
  let index = 0;
  for (;;) {
    const rows = (await ordered(r, f).offset(offset).limit(1000).execute()) as unknown as Row[];
    yield rows.map((x) => {
      const row = toRow(r, x);
      return [
        ++index,
        row.archiveCode,
        row.name,
        row.creditClass ? CREDIT_CLASS_LABELS[row.creditClass].zh : '',
        row.creditLimit ?? (row.showAmounts ? '' : '—'),
        row.exposure ?? '—',
        row.share ?? '',
        CREDIT_LEVEL_LABELS[row.level].zh,
        row.balanceAsOf ?? '',
        row.suspended ? '是' : '',
      ];
    });
    if (rows.length < 1000) return;
    offset += 1000;
  }
}

async function begin(ctx: Ctx, f: RegisterFilter, format: 'xlsx' | 'csv'): Promise<CreditReader> {
  const r = await creditReader(ctx);
  authorize(r.ctx, 'credit.export');
  const totals = await base(r, f)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max<number>(sql.ref('x.secrecy')).as('s')])
    .executeTakeFirstOrThrow();
  const n = Number(totals.n);
  if (n > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(r.ctx, {
    action: 'credit.export',
    targetType: 'customer',
    secrecy: exportSecrecy(r.ctx.actor, f, totals.s),
    details: { rows: n, format, filter: f, amounts: r.amountsAll },
  });
  return r;
}

export async function exportXlsx(ctx: Ctx, f: RegisterFilter): Promise<Readable> {
  const r = await begin(ctx, f, 'xlsx');
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('信用台帐');
    sheet.columns = HEADERS.map((header, i) => ({ header, width: i === 2 ? 28 : 14 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of pages(r, f)) for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  });
}

export async function exportCsv(ctx: Ctx, f: RegisterFilter): Promise<Readable> {
  const r = await begin(ctx, f, 'csv');
  return csvStream(HEADERS, pages(r, f));
}

// 我的待办: requests and admissions waiting for the reader -------------------------------------------

/** SQL: the request (approver role and requester given as columns) waits for the reader — the
 * general manager for a limit above the amount; the manager of the archive's department (`c`),
 * never for their own request, for the others. */
function waitingFor(r: CreditReader, role: RawBuilder<string>, requestedBy: string): RawBuilder<SqlBool> {
  const ors: RawBuilder<SqlBool>[] = [];
  if (r.ctx.actor.roles.includes('general_manager')) ors.push(sql<SqlBool>`${role} = 'general_manager'`);
  if (r.ctx.actor.roles.includes('department_manager') && r.scope.departmentIds.length)
    ors.push(
      sql<SqlBool>`(${role} = 'department_manager' and c.department_id in (${sql.join(r.scope.departmentIds)}) and ${sql.ref(requestedBy)} <> ${r.ctx.actor.id})`,
    );
  return ors.length ? sql<SqlBool>`(${sql.join(ors, sql` or `)})` : sql<SqlBool>`1 = 0`;
}

async function pendingRequests(r: CreditReader) {
  return r.ctx.db
    .selectFrom('credit_requests as q')
    .innerJoin('customers as c', 'c.id', 'q.customer_id')
    .leftJoin('users as u', 'u.id', 'q.requested_by')
    .select([
      'q.id',
      'q.kind',
      'q.credit_class',
      'q.requested_at',
      'q.requested_by',
      'u.name as requester',
      'c.id as cid',
      'c.name',
      'c.archive_code',
    ])
    .where('q.status', '=', 'pending')
    .where(visibleCustomer(r) as never)
    .where(waitingFor(r, sql<string>`q.approver_role`, 'q.requested_by'))
    .orderBy('q.requested_at')
    .limit(500)
    .execute();
}

async function pendingAdmissions(r: CreditReader) {
  return r.ctx.db
    .selectFrom('credit_admissions as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .leftJoin('users as u', 'u.id', 'a.requested_by')
    .select([
      'a.id',
      'a.requested_at',
      'a.requested_by',
      'u.name as requester',
      'c.id as cid',
      'c.name',
      'c.archive_code',
    ])
    .where('a.status', '=', 'pending')
    .where(visibleCustomer(r) as never)
    .where(waitingFor(r, sql<string>`'department_manager'`, 'a.requested_by'))
    .orderBy('a.requested_at')
    .limit(500)
    .execute();
}

export async function creditTodo(ctx: Ctx) {
  const r = await creditReader(ctx);
  const [requests, admissions] = await Promise.all([pendingRequests(r), pendingAdmissions(r)]);
  return {
    limitRequests: requests.filter((q) => q.kind === 'limit').length,
    classRequests: requests.filter((q) => q.kind === 'class').length,
    admissions: admissions.length,
  };
}

export async function creditApprovals(ctx: Ctx) {
  const r = await creditReader(ctx);
  const [requests, admissions] = await Promise.all([pendingRequests(r), pendingAdmissions(r)]);
  return {
    items: [
      ...requests.map((q) => ({
        type: q.kind as 'limit' | 'class',
        id: q.id,
        customer: { id: q.cid, name: q.name, archiveCode: q.archive_code },
        summary:
          q.kind === 'class'
            ? `信用等级调整为${q.credit_class ? CREDIT_CLASS_LABELS[q.credit_class as CreditClass].zh : ''}`
            : '信用限度申请',
        requestedBy: q.requested_by ? { id: q.requested_by, name: q.requester ?? '' } : null,
        requestedAt: q.requested_at,
      })),
      ...admissions.map((a) => ({
        type: 'admission' as const,
        id: a.id,
        customer: { id: a.cid, name: a.name, archiveCode: a.archive_code },
        summary: '新客户准入（客户交易卡）',
        requestedBy: a.requested_by ? { id: a.requested_by, name: a.requester ?? '' } : null,
        requestedAt: a.requested_at,
      })),
    ].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)),
  };
}
