import type { Readable } from 'node:stream';
import type { Lang } from '../../../common/enums.js';
import {
  CONDITION_LABELS,
  type Condition,
  LENDING_MODE_LABELS,
  type LendingMode,
  PURPOSE_LABELS,
  type Purpose,
} from '../../../common/lending.js';
import type { RegisterRow, Todo } from '../../../common/schemas/lending.js';
import { formatDateTime, todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { type CsvEncoding, csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { companyName } from '../../platform/organisation.js';
import { reportPdf } from '../../platform/pdf.js';
import { authorize, can } from '../../platform/policy/index.js';
import { recordSecrecy } from '../../platform/policy/records.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import * as customers from '../customers/service.js';
import * as documents from '../documents/service.js';
import { itemWithinClearance, requestWithinClearance, waitingFor } from './requests.js';

// 借阅登记簿 (R-P3): every loan and every electronic access — borrower, department, item, 档号 or
// archive code, purpose, out, due, returned, approvers, condition — as a page and as .xlsx; the
// same rows per customer archive and per document on their pages; also as CSV. Only what the
// reader is cleared for is listed.

function rowsQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('loans as l')
    .innerJoin('access_request_items as i', 'i.id', 'l.item_id')
    .innerJoin('access_requests as a', 'a.id', 'l.request_id')
    .innerJoin('users as u', 'u.id', 'l.borrower_id')
    .leftJoin('departments as dep', 'dep.id', 'a.requester_department_id')
    .select([
      'l.id',
      'l.mode',
      'l.request_id',
      'l.target_type',
      'l.target_id',
      'l.issued_at',
      'l.due_date',
      'l.returned_at',
      'l.condition_out',
      'l.condition_in',
      'i.label',
      'i.code',
      'a.number',
      'a.purpose',
      'a.external_org',
      'u.name as borrower',
      'dep.name as department',
    ])
    .where(itemWithinClearance(actor) as never);
}

type Row = Awaited<ReturnType<ReturnType<typeof rowsQuery>['execute']>>[number];

async function approversOf(db: Db, requestIds: string[]): Promise<Map<string, string>> {
  if (requestIds.length === 0) return new Map();
  const events = await db
    .selectFrom('access_request_events')
    .select(['request_id', 'actor_name'])
    .where('request_id', 'in', requestIds)
    .where('kind', '=', 'approve')
    .orderBy('at')
    .execute();
  const out = new Map<string, string[]>();
  for (const e of events) out.set(e.request_id, [...(out.get(e.request_id) ?? []), e.actor_name ?? '']);
  return new Map([...out].map(([k, v]) => [k, v.join('、')]));
}

function toRow(r: Row, approvers: Map<string, string>): RegisterRow {
  const condition =
    r.mode === 'physical'
      ? [r.condition_out, r.condition_in ? `归还：${CONDITION_LABELS[r.condition_in as Condition].zh}` : null]
          .filter(Boolean)
          .join(' / ')
      : null;
  return {
    id: r.id,
    mode: r.mode as LendingMode,
    requestId: r.request_id,
    requestNumber: r.number,
    borrower: r.borrower,
    department: r.department,
    external: r.external_org,
    targetType: r.target_type as RegisterRow['targetType'],
    targetId: r.target_id,
    label: r.label,
    code: r.code,
    purpose: r.purpose as Purpose,
    out: r.issued_at,
    due: r.due_date,
    returned: r.returned_at,
    approvers: approvers.get(r.request_id) ?? '',
    condition: condition || null,
  };
}

/** The target's own page asks: the reader must see the record itself. */
async function assertSeesTarget(ctx: Ctx, type: 'customer' | 'document', id: string): Promise<void> {
  if (type === 'customer') await customers.findVisible(await customers.reader(ctx), id);
  else await documents.findVisible(await documents.reader(ctx), id);
}

export async function listRegister(
  ctx: Ctx,
  q: {
    targetType?: 'customer' | 'document' | undefined;
    targetId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: RegisterRow[]; nextCursor: string | null }> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  let query = rowsQuery(ctx.db, actor);
  if (q.targetType && q.targetId) {
    await assertSeesTarget(ctx, q.targetType, q.targetId);
    query = query.where('l.target_type', '=', q.targetType).where('l.target_id', '=', q.targetId);
  } else authorize(ctx, 'lending.oversee', { type: 'loan' });
  const after = decodeCursor(q.cursor, cursorValue.text, cursorValue.text);
  if (after) {
    const [at, id] = after;
    query = query.where((eb) =>
      eb.or([eb('l.issued_at', '<', at), eb.and([eb('l.issued_at', '=', at), eb('l.id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('l.issued_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const approvers = await approversOf(ctx.db, [...new Set(page.map((r) => r.request_id))]);
  const last = page.at(-1);
  return {
    items: page.map((r) => toRow(r, approvers)),
    nextCursor: more && last ? encodeCursor([last.issued_at, last.id]) : null,
  };
}

const COLUMNS = [
  ['序号', 6],
  ['借阅单号', 16],
  ['借阅人', 12],
  ['部门', 12],
  ['外单位', 20],
  ['档案/文件', 36],
  ['档号/档案编号', 26],
  ['方式', 10],
  ['用途', 10],
  ['借出日期', 18],
  ['应还日期', 12],
  ['归还日期', 18],
  ['批准人', 18],
  ['借出/归还状况', 24],
] as const;

/** How many rows the register holds for the reader, and the secrecy of its most secret item as
 * it is now (R-P9: an item whose archive was raised since counts at the archive's level) — the
 * level the export's audit entry is kept at. */
async function registerSize(
  ctx: Ctx,
  actor: Actor,
  max = EXPORT_MAX_ROWS,
): Promise<{ n: number; secrecy: number }> {
  const row = await rowsQuery(ctx.db, actor)
    .clearSelect()
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('i.secrecy').as('own'),
      eb.fn.max(recordSecrecy(eb.ref('i.target_type'), eb.ref('i.target_id'))).as('now'),
    ])
    .executeTakeFirstOrThrow();
  if (Number(row.n) > max) throw new DomainError('export_too_large', 422, { max });
  return { n: Number(row.n), secrecy: Math.max(Number(row.own ?? 0), Number(row.now ?? 0)) };
}

/** The register's rows as printed (序号 first), oldest first, in pages of 1000. */
async function* registerBatches(ctx: Ctx, actor: Actor, lang: Lang): AsyncGenerator<(string | number)[][]> {
  let index = 0;
  let after: [string, string] | null = null;
  for (;;) {
    let q = rowsQuery(ctx.db, actor);
    if (after) {
      const [at, id] = after;
      q = q.where((eb) =>
        eb.or([eb('l.issued_at', '>', at), eb.and([eb('l.issued_at', '=', at), eb('l.id', '>', id)])]),
      );
    }
    const rows = await q.orderBy('l.issued_at').orderBy('l.id').limit(1000).execute();
    const approvers = await approversOf(ctx.db, [...new Set(rows.map((r) => r.request_id))]);
    yield rows.map((r) => {
      const x = toRow(r, approvers);
      return [
        ++index,
        x.requestNumber,
        x.borrower,
        x.department ?? '',
        x.external ?? '',
        x.label,
        x.code ?? '',
        LENDING_MODE_LABELS[x.mode][lang],
        PURPOSE_LABELS[x.purpose][lang],
        formatDateTime(x.out),
        x.due ?? '',
        formatDateTime(x.returned),
        x.approvers,
        x.condition ?? '',
      ];
    });
    if (rows.length < 1000) break;
    const last = rows.at(-1) as Row;
    after = [last.issued_at, last.id];
  }
}

/** 借阅登记簿 as .xlsx or CSV (R-W3), oldest first, streamed in pages. */
export async function exportRegister(
  ctx: Ctx,
  format: 'xlsx' | 'csv' = 'xlsx',
  encoding: CsvEncoding = 'utf8',
): Promise<Readable> {
  authorize(ctx, 'lending.oversee', { type: 'loan' });
  const actor = ctx.actor;
  const { n, secrecy } = await registerSize(ctx, actor);
  await appendAudit(ctx, {
    action: 'lending.export',
    targetType: 'loan',
    secrecy,
    details: { format, rows: n },
  });
  const batches = () => registerBatches(ctx, actor, ctx.lang);
  if (format === 'csv')
    return csvStream(
      COLUMNS.map(([header]) => header),
      batches(),
      encoding,
    );
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet('借阅登记簿');
    sheet.columns = COLUMNS.map(([header, width]) => ({ header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of batches()) for (const cells of rows) sheet.addRow(cells).commit();
    sheet.commit();
  });
}

/** 我的待办 counts for the user menu (R-W1). */
export async function todo(ctx: Ctx): Promise<Todo> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const today = todayInShanghai(ctx.now());
  const count = async (q: { executeTakeFirstOrThrow: () => Promise<{ n: number | string | bigint }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n);
  const approvals = await count(
    ctx.db
      .selectFrom('access_requests as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(requestWithinClearance(actor) as never)
      .where((await waitingFor(ctx)) as never),
  );
  const myOut = ctx.db
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mode', '=', 'physical')
    .where('returned_at', 'is', null)
    .where('borrower_id', '=', actor.id);
  const toReturn = await count(myOut);
  const desk = can(actor, 'lending.desk');
  const toIssue = desk
    ? await count(
        ctx.db
          .selectFrom('access_request_items as i')
          .innerJoin('access_requests as a', 'a.id', 'i.request_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('a.status', '=', 'approved')
          .where('a.mode', '=', 'physical')
          .where('a.renewal_of', 'is', null)
          // The same requests as the desk's list: none above the reader's clearance (R-P1).
          .where(requestWithinClearance(actor) as never)
          .where((eb) =>
            eb.not(eb.exists(eb.selectFrom('loans as l').select('l.id').whereRef('l.item_id', '=', 'i.id'))),
          ),
      )
    : 0;
  const overdue = await count(
    ctx.db
      .selectFrom('loans as l')
      .innerJoin('access_request_items as i', 'i.id', 'l.item_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('l.mode', '=', 'physical')
      .where('l.returned_at', 'is', null)
      .where('l.due_date', '<', today)
      .where(itemWithinClearance(actor) as never)
      .$if(!desk, (q) => q.where('l.borrower_id', '=', actor.id)),
  );
  return { approvals, toReturn, toIssue, overdue };
}

const PDF_MAX_ROWS = 5000;
const PDF_WIDTHS: Record<string, number> = {
  借阅单号: 22,
  外单位: 12,
  '档案/文件': 26,
  方式: 7,
  用途: 8,
  应还日期: 15,
};

/** 借阅登记表 as the printed register (A4 landscape), oldest first; the print audited. */
export async function registerPdf(ctx: Ctx): Promise<Uint8Array> {
  authorize(ctx, 'lending.oversee', { type: 'loan' });
  const actor = ctx.actor;
  const { n, secrecy } = await registerSize(ctx, actor, PDF_MAX_ROWS);
  const rows: string[][] = [];
  for await (const batch of registerBatches(ctx, actor, 'zh')) rows.push(...batch.map((r) => r.map(String)));
  await appendAudit(ctx, {
    action: 'lending.export',
    targetType: 'loan',
    secrecy,
    details: { format: 'pdf', rows: n },
  });
  return reportPdf({
    title: '借阅登记表',
    meta: [
      `${await companyName(ctx.db)}　共 ${n} 条　打印时间：${formatDateTime(ctx.now().toISOString()).slice(0, 16)}`,
    ],
    // The printed page is narrower than a sheet: the numbers and dates keep their line.
    columns: COLUMNS.map(([header, width]) => ({ header, width: PDF_WIDTHS[header] ?? width })),
    rows,
    after: [],
    footer: '借阅登记表',
  });
}
