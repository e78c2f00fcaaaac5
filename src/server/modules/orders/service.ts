import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { secrecyFromRank } from '../../../common/enums.js';
import {
  type ChecklistAnswer,
  ORDER_CHANNEL_LABELS,
  ORDER_CLASS_LABELS,
  ORDER_CLASS_REASON_LABELS,
  ORDER_KIND_LABELS,
  ORDER_NUMBER_PATTERN,
  type OrderApprovalDecision,
  type OrderChannel,
  type OrderClass,
  type OrderKind,
  type OrderReviewDecision,
  type OrderRoute,
  type OrderSignerRole,
  type OrderStatus,
} from '../../../common/orders.js';
import type {
  CreateOrderInput,
  Order,
  OrderFilter,
  OrderLineInput,
  OrderSummary,
  OrderTodo,
  UpdateOrderInput,
} from '../../../common/schemas/orders.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { OrderLineTable, OrderTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextCode } from '../../platform/numbering.js';
import { type Action, authorize, can } from '../../platform/policy/index.js';
import { customerVisible, requirementSecrecy } from '../../platform/policy/records.js';
import { likePattern } from '../../platform/sql.js';
import { projectLabel, projectLinkProblem } from '../customers/project-links.js';
import { ownersOf } from '../customers/repo.js';
import { type OrderReader, orderReader, orderResourceWith, seesPrices, visibleOrder } from './access.js';
import { amendmentsOf, amendmentTodo } from './amendment-view.js';
import { type Proposal, parseReasons, proposeClass, type StoredReason } from './classify.js';
import { creditCheck } from './credit.js';
import { amountProblems, lineAmount, money, plain, sumMoney } from './decimal.js';
import * as repo from './repo.js';

// Orders and contracts (订单与合同评审, R-K1): registering one with its lines (a phone order with
// its 电话纪要), changing a draft with field-by-field history, the class the system proposes and
// its override, reading one or a page of them, the to-do counts. An order is seen as
// policy/records.ts `orderVisible` says; its secrecy is its customer archive's. Prices are null
// for readers the settings leave out. Submission, reviews and the signature are in workflow.ts.

export type { OrderReader } from './access.js';
export { orderReader } from './access.js';

/** The order if the reader may see it; otherwise 404, as if it did not exist (R-P1). */
export async function findVisible(r: OrderReader, id: string, db: Db = r.ctx.db): Promise<repo.OrderRow> {
  const row = await repo
    .withDetails(repo.ordersFrom(db))
    .where('o.id', '=', id)
    .where(visibleOrder(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as unknown as repo.OrderRow;
}

export async function loadRow(db: Db, id: string): Promise<repo.OrderRow> {
  const row = await repo.withDetails(repo.ordersFrom(db)).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row as unknown as repo.OrderRow;
}

export const labelOf = (row: Pick<repo.OrderRow, 'number' | 'customer_name'>) =>
  `${row.number} ${row.customer_name}`;

export function subjectOf(row: repo.OrderRow) {
  return {
    customerId: row.customer_id,
    customerDepartmentId: row.customer_department_id,
    createdBy: row.created_by,
    signerRole: row.signer_role,
    submittedBy: row.submitted_by,
  };
}

export async function ownerIdsOf(db: Db, customerId: string): Promise<string[]> {
  return ((await ownersOf(db, [customerId])).get(customerId) ?? []).map((o) => o.id);
}

function summaryOf(row: repo.OrderRow, prices: boolean): OrderSummary {
  return {
    id: row.id,
    number: row.number,
    customer: { id: row.customer_id, name: row.customer_name, code: row.customer_code },
    customerPo: row.customer_po,
    kind: row.kind as OrderKind,
    receivedVia: row.received_via as OrderChannel,
    receivedOn: row.received_on,
    currency: row.currency,
    totalAmount: prices ? money(row.total_amount) : null,
    proposedClass: row.proposed_class as OrderClass,
    class: row.class as OrderClass,
    overridden: !!row.class_override_reason,
    leadTimeAtRisk: row.lead_time_at_risk === 1,
    status: row.status as OrderStatus,
    route: (row.route as OrderRoute | null) ?? null,
    signerRole: (row.signer_role as OrderSignerRole | null) ?? null,
    reviewsOpen: Number(row.open_reviews),
    lineCount: Number(row.line_count),
    secrecy: secrecyFromRank(Number(row.customer_secrecy)),
    createdAt: row.created_at,
    createdBy: { id: row.created_by, name: row.created_by_name ?? row.created_by },
    updatedAt: row.updated_at,
  };
}

/** History fields whose values are prices: shown only to readers who see prices. */
const PRICE_FIELDS = new Set(['unitPrice', 'totalAmount', 'pricing']);

/** One order with its lines, class reasons, reviews, approval, history and what the reader may do. */
export async function getOrder(ctx: Ctx, id: string, opts: { audit?: boolean } = {}): Promise<Order> {
  const r = await orderReader(ctx);
  const row = await findVisible(r, id);
  const db = r.ctx.db;
  const [lines, reviews, history, owners] = await Promise.all([
    repo.linesOf(db, id),
    repo.reviewsOf(db, id),
    db
      .selectFrom('order_history')
      .selectAll()
      .where('order_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    ownerIdsOf(db, row.customer_id),
  ]);
  const names = await repo.namesOf(db, [
    row.submitted_by,
    row.approved_by,
    row.cancelled_by,
    row.class_overridden_by,
    ...reviews.map((v) => v.reviewed_by),
    ...history.map((h) => h.actor_id),
  ]);
  const person = (pid: string | null, fallback?: string | null) =>
    pid ? { id: pid, name: names.get(pid) ?? fallback ?? pid } : null;
  const subject = subjectOf(row);
  const resource = orderResourceWith(r, subject, owners);
  const may = (action: Action, res: object = resource) => can(r.ctx.actor, action, res);
  const status = row.status as OrderStatus;
  const checklist = r.settings.checklist;
  const classReasons = await reasonsFor(r, parseReasons(row.class_reasons));
  const prices = seesPrices(r, row.created_by, owners);
  const amendments = await amendmentsOf(r, subject, row.id, owners, prices, status);
  const out: Order = {
    ...summaryOf(row, prices),
    phoneMemo:
      row.phone_caller && row.phone_called_at
        ? { caller: row.phone_caller, calledAt: row.phone_called_at, agreed: row.phone_agreed ?? '' }
        : null,
    projectId: row.project_id ?? null,
    confirmationNeeded: row.confirmation_needed === 1,
    confirmationReceivedOn: row.confirmation_received_on,
    paymentTerms: row.payment_terms,
    deliveryMethod: row.delivery_method,
    deliveryPlace: row.delivery_place,
    packaging: row.packaging,
    remarks: row.remarks,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: Number(l.line_no),
      partNumber: l.part_number,
      product: l.product,
      specification: l.specification,
      quantity: plain(l.quantity) ?? '0',
      unit: l.unit,
      unitPrice: prices ? plain(l.unit_price) : null,
      amount: prices ? money(l.amount) : null,
      requestedOn: l.requested_on,
      promisedOn: l.promised_on,
    })),
    classReasons,
    classOverride: row.class_override_reason
      ? {
          reason: row.class_override_reason,
          by: person(row.class_overridden_by),
          at: row.class_overridden_at ?? row.updated_at,
        }
      : null,
    pricesVisible: prices,
    submittedAt: row.submitted_at,
    submittedBy: person(row.submitted_by),
    reviews: reviews.map((v) => {
      const answers = parseJson<Record<string, { answer: ChecklistAnswer; note: string | null }>>(
        v.checklist,
        {},
      );
      const codes = [
        ...checklist.map((c) => c.code),
        ...Object.keys(answers).filter((k) => !checklist.some((c) => c.code === k)),
      ];
      return {
        id: v.id,
        department: { id: v.department_id, name: v.department_name },
        requestedAt: v.requested_at,
        decision: (v.decision as OrderReviewDecision | null) ?? null,
        condition: v.condition,
        comment: v.comment,
        checklist: codes.map((code) => ({
          code,
          label: checklist.find((c) => c.code === code)?.label ?? code,
          answer: answers[code]?.answer ?? null,
          note: answers[code]?.note ?? null,
        })),
        pricing: prices ? parseJson<{ lineNo: number; unitPrice: string }[]>(v.pricing, []) : null,
        reviewedAt: v.reviewed_at,
        reviewedBy: person(v.reviewed_by),
        canReview:
          status === 'in_review' &&
          may(
            'order.review',
            orderResourceWith(r, { ...subject, reviewDepartmentId: v.department_id }, owners),
          ),
      };
    }),
    approval:
      row.approval_decision && row.approved_at
        ? {
            decision: row.approval_decision as OrderApprovalDecision,
            role: (row.approved_role as OrderSignerRole) ?? 'sales',
            by: person(row.approved_by),
            at: row.approved_at,
            comment: row.approval_comment,
            overruleReason: row.overrule_reason,
            creditVerdict: row.credit_verdict,
          }
        : null,
    cancelled:
      row.cancelled_at && row.cancel_reason
        ? { at: row.cancelled_at, by: person(row.cancelled_by), reason: row.cancel_reason }
        : null,
    history: history.map((h) => {
      const hidden = PRICE_FIELDS.has(h.field) && !prices;
      return {
        at: h.at,
        actor: person(h.actor_id, h.actor_name),
        field: h.field,
        oldValue: hidden ? null : h.old_value,
        newValue: hidden ? null : h.new_value,
        note: h.note,
      };
    }),
    can: {
      update: status === 'draft' && may('order.update'),
      overrideClass: status === 'draft' && may('order.update'),
      submit: status === 'draft' && may('order.update'),
      approve: status === 'in_review' && Number(row.open_reviews) === 0 && may('order.approve'),
      cancel: (status === 'draft' || status === 'in_review') && may('order.update'),
      withdraw: status === 'in_review' && reviews.every((v) => v.decision === null) && may('order.withdraw'),
      amend:
        status === 'accepted' && !amendments.some((a) => a.status === 'in_review') && may('order.update'),
    },
    amendments,
  };
  if (opts.audit !== false)
    await appendAudit(r.ctx, {
      action: 'order.read',
      targetType: 'order',
      targetId: row.id,
      targetLabel: labelOf(row),
      secrecy: Number(row.customer_secrecy),
    });
  return out;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The stored reasons with their labels; special requirements only those the reader may see. */
async function reasonsFor(r: OrderReader, reasons: StoredReason[]): Promise<Order['classReasons']> {
  const ids = reasons.flatMap((x) => x.requirementIds ?? []);
  const seen = new Map<string, { id: string; number: string; title: string }>();
  if (ids.length)
    for (const q of await r.ctx.db
      .selectFrom('sr_requirements as r')
      .select(['r.id', 'r.number', 'r.title'])
      .where('r.id', 'in', ids.slice(0, 500))
      .where(sql<SqlBool>`${requirementSecrecy('r')} <= ${r.ctx.actor.clearance}`)
      .execute())
      seen.set(q.id, q);
  return reasons.map((x) => ({
    code: x.code,
    label: ORDER_CLASS_REASON_LABELS[x.code]?.zh ?? x.code,
    partNumbers: x.partNumbers ?? [],
    lines: x.lines ?? [],
    requirements: (x.requirementIds ?? []).flatMap((rid) => {
      const found = seen.get(rid);
      return found ? [found] : [];
    }),
  }));
}

// Lists -----------------------------------------------------------------------------------------

/** The orders a filter selects within what the reader may see (lists, exports, counts). */
export function filtered(r: OrderReader, f: Partial<OrderFilter>) {
  let q = repo.ordersFrom(r.ctx.db).where(visibleOrder(r) as never);
  if (f.customerId) q = q.where('o.customer_id', '=', f.customerId);
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.class) q = q.where('o.class', '=', f.class);
  if (f.kind) q = q.where('o.kind', '=', f.kind);
  const text = f.q?.trim();
  if (text)
    q = q.where(
      sql<SqlBool>`(o.number like ${likePattern(text)} or o.customer_po like ${likePattern(text)})`,
    );
  return q;
}

export async function toSummaries(r: OrderReader, rows: repo.OrderRow[]): Promise<OrderSummary[]> {
  const owners = r.pricesVisible
    ? new Map<string, { id: string }[]>()
    : await ownersOf(r.ctx.db, [...new Set(rows.map((x) => x.customer_id))]);
  return rows.map((row) =>
    summaryOf(
      row,
      seesPrices(
        r,
        row.created_by,
        (owners.get(row.customer_id) ?? []).map((o) => o.id),
      ),
    ),
  );
}

/** The list, newest first (keyset on the order's created_at, id). */
export async function listOrders(
  ctx: Ctx,
  f: OrderFilter,
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const r = await orderReader(ctx);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  let q = repo.withDetails(filtered(r, f));
  if (after) {
    const [at, id] = after;
    q = q.where((eb) =>
      eb.or([eb('o.created_at', '<', at), eb.and([eb('o.created_at', '=', at), eb('o.id', '<', id)])]),
    );
  }
  const rows = (await q
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(f.limit + 1)
    .execute()) as unknown as repo.OrderRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return {
    items: await toSummaries(r, page),
    nextCursor: last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/** 我的待办 for orders (R-W1): reviews waiting for the reader's departments, and signatures. */
export async function orderTodo(ctx: Ctx): Promise<OrderTodo> {
  const r = await orderReader(ctx);
  const me = r.ctx.actor;
  const manager = me.roles.includes('department_manager');
  const reviewDepts = manager ? r.scope.departmentIds : me.departmentId ? [me.departmentId] : [];
  const toReview = reviewDepts.length
    ? await filtered(r, { status: 'in_review' })
        .innerJoin('order_reviews as tv', 'tv.order_id', 'o.id')
        .where('tv.department_id', 'in', reviewDepts)
        .where('tv.decision', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    : { n: 0 };
  const signable = filtered(r, { status: 'in_review' })
    .where(sql<SqlBool>`${repo.openReviewsSql} = 0`)
    .where((eb) => signableBy(r, eb, 'o.signer_role'));
  const toSign = await signable.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    toReview: Number(toReview.n),
    toSign: Number(toSign.n),
    ...(await amendmentTodo(r, () => filtered(r, {}))),
  };
}

/** SQL: the reader signs where the signer role in `column` names them (the order's, or an
 * amendment's), as rules.ts `order.approve` says; on `o` and `c` of `filtered`. */
export function signableBy(
  r: OrderReader,
  // biome-ignore lint/suspicious/noExplicitAny: used on queries with and without an amendment join.
  eb: ExpressionBuilder<any, any>,
  column: 'o.signer_role' | 'sa.signer_role',
): Expression<SqlBool> {
  const me = r.ctx.actor;
  const role = sql.ref(column);
  if (me.roles.includes('general_manager')) return eb(role, 'is not', null);
  const salesman = eb.or([
    eb('o.created_by', '=', me.id),
    eb.exists(
      eb
        .selectFrom('customer_owners as tco')
        .select(sql`1`.as('one'))
        .whereRef('tco.customer_id', '=', 'o.customer_id')
        .where('tco.user_id', '=', me.id),
    ),
  ]);
  const ors = [eb.and([eb(role, '=', 'sales'), salesman])];
  if (me.roles.includes('department_manager') && r.scope.departmentIds.length)
    ors.push(
      eb.and([
        eb(role, 'in', ['sales', 'sales_manager']),
        eb('c.department_id', 'in', r.scope.departmentIds),
      ]),
    );
  return eb.or(ors);
}

// Registering and changing -------------------------------------------------------------------

interface LineRow extends OrderLineTable {}

export function lineRows(orderId: string, lines: OrderLineInput[]): LineRow[] {
  return lines.map((l, i) => ({
    id: newId(),
    order_id: orderId,
    line_no: i + 1,
    part_number: l.partNumber,
    product: l.product,
    specification: l.specification,
    quantity: plain(l.quantity) ?? '0',
    unit: l.unit,
    unit_price: l.unitPrice ? plain(l.unitPrice) : null,
    amount: l.unitPrice ? lineAmount(l.quantity, l.unitPrice) : null,
    requested_on: l.requestedOn,
    promised_on: l.promisedOn ?? null,
  }));
}

/** Rules zod cannot know: the phone memo belongs to phone orders, promises follow receipt, amounts
 * fit their columns. */
export function checkOrder(
  t: Pick<Ctx, 'now'>,
  o: {
    receivedVia: string;
    receivedOn: string;
    phoneMemo?: { calledAt: string } | null | undefined;
    lines: {
      requestedOn?: string | null | undefined;
      promisedOn?: string | null | undefined;
      quantity: string | number;
      unitPrice?: string | number | null | undefined;
    }[];
  },
): { calledAt: string | null } {
  const problems: FieldProblem[] = [];
  let calledAt: string | null = null;
  if (o.receivedVia === 'phone' && !o.phoneMemo)
    problems.push({ field: 'phoneMemo', key: 'order_phone_memo' });
  if (o.receivedVia !== 'phone' && o.phoneMemo)
    problems.push({ field: 'phoneMemo', key: 'order_phone_memo_only' });
  if (o.phoneMemo) {
    const at = new Date(o.phoneMemo.calledAt);
    if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1900 || at.getTime() > t.now().getTime() + 60_000)
      problems.push({ field: 'phoneMemo.calledAt', key: 'order_called_at' });
    else calledAt = at.toISOString();
  }
  for (const [i, l] of o.lines.entries()) {
    // A customer cannot ask for delivery before ordering: such a date is a typing error.
    if (l.requestedOn && l.requestedOn < o.receivedOn)
      problems.push({
        field: `lines.${i}.requestedOn`,
        key: 'order_line_requested',
        params: { receivedOn: o.receivedOn },
      });
    if (l.promisedOn && l.promisedOn < o.receivedOn)
      problems.push({
        field: `lines.${i}.promisedOn`,
        key: 'order_line_promised',
        params: { receivedOn: o.receivedOn },
      });
  }
  problems.push(
    ...amountProblems(
      o.lines.map((l, i) => ({
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        field: `lines.${i}.unitPrice`,
      })),
      'lines',
    ),
  );
  if (problems.length) throw new FieldErrors(problems);
  return { calledAt };
}

const yesNo = (b: boolean) => (b ? '是' : '否');
const lineText = (
  l: Pick<
    LineRow,
    | 'line_no'
    | 'part_number'
    | 'product'
    | 'specification'
    | 'quantity'
    | 'unit'
    | 'requested_on'
    | 'promised_on'
  >,
) =>
  `${l.line_no}. ${l.part_number} ${l.product}${l.specification ? `（${l.specification}）` : ''} ${plain(l.quantity)}${l.unit} 要求${l.requested_on}${l.promised_on ? ` 承诺${l.promised_on}` : ''}`;
const linesText = (ls: LineRow[] | OrderLineTable[]) => (ls.length ? ls.map(lineText).join('；') : null);
const pricesText = (ls: LineRow[] | OrderLineTable[]) =>
  ls.map((l) => `${l.line_no}. ${plain(l.unit_price) ?? '—'}`).join('；');

/** The row of a new draft (R-K1): the order's fields, the class as proposed, nothing reviewed. */
export function draftRow(o: {
  id: string;
  number: string;
  customerId: string;
  input: Omit<CreateOrderInput, 'customerId' | 'lines'>;
  calledAt: string | null;
  totalAmount: string | null;
  proposal: Proposal;
  now: string;
  actorId: string;
}): OrderTable {
  const { input, proposal } = o;
  return {
    id: o.id,
    number: o.number,
    customer_id: o.customerId,
    customer_po: input.customerPo,
    kind: input.kind,
    received_via: input.receivedVia,
    received_on: input.receivedOn,
    phone_caller: input.phoneMemo?.caller ?? null,
    phone_called_at: o.calledAt,
    phone_agreed: input.phoneMemo?.agreed ?? null,
    confirmation_needed: input.confirmationNeeded ? 1 : 0,
    confirmation_received_on: input.confirmationReceivedOn ?? null,
    currency: input.currency,
    payment_terms: input.paymentTerms,
    delivery_method: input.deliveryMethod,
    delivery_place: input.deliveryPlace,
    packaging: input.packaging,
    remarks: input.remarks,
    total_amount: o.totalAmount,
    proposed_class: proposal.proposedClass,
    class_reasons: JSON.stringify(proposal.reasons),
    lead_time_at_risk: proposal.leadTimeAtRisk ? 1 : 0,
    class: proposal.proposedClass,
    class_override_reason: null,
    class_overridden_by: null,
    class_overridden_at: null,
    status: 'draft',
    route: null,
    submitted_at: null,
    submitted_by: null,
    signer_role: null,
    approval_decision: null,
    approved_role: null,
    approved_by: null,
    approved_at: null,
    approval_comment: null,
    overrule_reason: null,
    credit_verdict: null,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    created_at: o.now,
    created_by: o.actorId,
    updated_at: o.now,
    updated_by: o.actorId,
  };
}

/** Registers an order (R-K1): a draft with its lines, numbered HT{yyyy}{mm}-NNNN, classed. */
export async function createOrder(ctx: Ctx, input: CreateOrderInput): Promise<Order> {
  const r = await orderReader(ctx);
  const id = newId();
  await tx(ctx, async (t) => {
    const archive = await t.db
      .selectFrom('customers as c')
      .select(['c.id', 'c.status', 'c.secrecy', 'c.department_id', 'c.archive_code', 'c.name'])
      .where('c.id', '=', input.customerId)
      .where(customerVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
      .executeTakeFirst();
    if (!archive) throw new DomainError('not_found', 404, {}, 'customerId');
    const owners = await ownerIdsOf(t.db, archive.id);
    authorize(r.ctx, 'order.create', {
      type: 'customer',
      id: archive.id,
      resource: orderResourceWith(
        r,
        { customerId: archive.id, customerDepartmentId: archive.department_id },
        owners,
      ),
    });
    if (archive.status !== 'draft' && archive.status !== 'filed')
      throw new DomainError('order_archive_inactive', 409);
    // 暂停供货 (R-A4) blocks new orders from the start.
    const credit = await creditCheck(t, { id: archive.id }, null);
    if (credit.verdict === 'suspended')
      throw new DomainError('order_credit_suspended_new', 409, { reason: credit.reason ?? '' });
    const { calledAt } = checkOrder(t, input);
    if (input.projectId) {
      const problem = await projectLinkProblem(t.db, input.projectId, archive.id, true);
      if (problem) throw new FieldErrors([problem]);
    }
    const lines = lineRows(id, input.lines);
    const proposal = await proposeClass(r.ctx, t.db, {
      orderId: id,
      customerId: archive.id,
      kind: input.kind,
      receivedOn: input.receivedOn,
      lines: lines.map((l) => ({
        lineNo: l.line_no,
        partNumber: l.part_number,
        requestedOn: l.requested_on,
        promisedOn: l.promised_on,
      })),
      leadTimeDays: r.settings.leadTimeDays,
    });
    const number = await nextCode(t, 'order', ORDER_NUMBER_PATTERN, { date: todayInShanghai(t.now()) });
    const row = draftRow({
      id,
      number,
      customerId: archive.id,
      input,
      calledAt,
      totalAmount: sumMoney(lines.map((l) => (l.amount === null ? null : String(l.amount)))),
      proposal,
      now: nowIso(t),
      actorId: r.ctx.actor.id,
    });
    await t.db
      .insertInto('orders')
      .values({ ...row, project_id: input.projectId ?? null })
      .execute();
    await t.db.insertInto('order_lines').values(lines).execute();
    await repo.writeHistory(t, id, [
      { field: 'status', oldValue: null, newValue: repo.statusText('draft'), note: '登记' },
      {
        field: 'class',
        oldValue: null,
        newValue: ORDER_CLASS_LABELS[proposal.proposedClass].zh,
        note: reasonNote(proposal.reasons),
      },
    ]);
    await appendAudit(t, {
      action: 'order.create',
      targetType: 'order',
      targetId: id,
      targetLabel: `${number} ${archive.name}`,
      secrecy: Number(archive.secrecy),
      details: {
        customerId: archive.id,
        number,
        customerPo: input.customerPo,
        kind: input.kind,
        receivedVia: input.receivedVia,
        lines: input.lines.length,
        totalAmount: row.total_amount,
        proposedClass: proposal.proposedClass,
        reasons: proposal.reasons,
      },
    });
  });
  return getOrder(ctx, id, { audit: false });
}

export function reasonNote(reasons: StoredReason[]): string | null {
  return reasons.length
    ? `系统建议：${reasons.map((x) => ORDER_CLASS_REASON_LABELS[x.code].zh).join('；')}`
    : '系统建议：无非常规因素';
}

/** Loads an order for a change, locked: 404 if unseen, 403 unless the rule allows. */
/** Takes the order row's lock on PostgreSQL (SQLite writes one at a time anyway): whatever is
 * read after it — the reviews, the status — is what the other writers committed. */
export async function lockOrder(t: TxCtx, id: string): Promise<void> {
  await t.db
    .updateTable('orders')
    .set({ updated_at: nowIso(t) })
    .where('id', '=', id)
    .execute();
}

export async function changing(
  r: OrderReader,
  t: TxCtx,
  id: string,
  action: Action,
  subject: { reviewDepartmentId?: string | null; signerRole?: string | null } = {},
): Promise<repo.OrderRow> {
  const row = await findVisible(r, id, t.db);
  await lockOrder(t, id);
  const owners = await ownerIdsOf(t.db, row.customer_id);
  authorize(r.ctx, action, {
    type: 'order',
    id,
    resource: orderResourceWith(r, { ...subjectOf(row), ...subject }, owners),
  });
  return row;
}

export function stateError(status: string): DomainError {
  return new DomainError('order_state', 409, { status: repo.statusText(status) ?? status });
}

export async function auditChange(
  t: TxCtx,
  row: repo.OrderRow,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(t, {
    action,
    targetType: 'order',
    targetId: row.id,
    targetLabel: labelOf(row),
    secrecy: Number(row.customer_secrecy),
    details,
  });
}

/** Proposes the class again from the order's facts now, keeping an override (R-K1). */
export async function reclassify(
  r: OrderReader,
  t: TxCtx,
  row: Pick<
    OrderTable,
    | 'id'
    | 'customer_id'
    | 'kind'
    | 'received_on'
    | 'proposed_class'
    | 'class'
    | 'class_override_reason'
    | 'lead_time_at_risk'
    | 'class_reasons'
  >,
  note: string | null,
): Promise<{ set: Partial<OrderTable>; history: repo.HistoryEntry[] }> {
  const lines = await repo.linesOf(t.db, row.id);
  const proposal = await proposeClass(r.ctx, t.db, {
    orderId: row.id,
    customerId: row.customer_id,
    kind: row.kind as OrderKind,
    receivedOn: row.received_on,
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      partNumber: l.part_number,
      requestedOn: l.requested_on,
      promisedOn: l.promised_on,
    })),
    leadTimeDays: r.settings.leadTimeDays,
  });
  const set: Partial<OrderTable> = {};
  const history: repo.HistoryEntry[] = [];
  const reasons = JSON.stringify(proposal.reasons);
  if (reasons !== row.class_reasons) set.class_reasons = reasons;
  if (proposal.leadTimeAtRisk !== (row.lead_time_at_risk === 1)) {
    set.lead_time_at_risk = proposal.leadTimeAtRisk ? 1 : 0;
    history.push({
      field: 'leadTimeAtRisk',
      oldValue: yesNo(row.lead_time_at_risk === 1),
      newValue: yesNo(proposal.leadTimeAtRisk),
      note,
    });
  }
  if (proposal.proposedClass !== row.proposed_class) {
    set.proposed_class = proposal.proposedClass;
    history.push({
      field: 'proposedClass',
      oldValue: ORDER_CLASS_LABELS[row.proposed_class as OrderClass]?.zh ?? row.proposed_class,
      newValue: ORDER_CLASS_LABELS[proposal.proposedClass].zh,
      note: reasonNote(proposal.reasons),
    });
    if (!row.class_override_reason && row.class !== proposal.proposedClass) {
      set.class = proposal.proposedClass;
      history.push({
        field: 'class',
        oldValue: ORDER_CLASS_LABELS[row.class as OrderClass]?.zh ?? row.class,
        newValue: ORDER_CLASS_LABELS[proposal.proposedClass].zh,
        note: reasonNote(proposal.reasons),
      });
    }
  }
  return { set, history };
}

const TEXT_FIELDS = [
  ['customerPo', 'customer_po'],
  ['paymentTerms', 'payment_terms'],
  ['deliveryMethod', 'delivery_method'],
  ['deliveryPlace', 'delivery_place'],
  ['packaging', 'packaging'],
  ['remarks', 'remarks'],
  ['currency', 'currency'],
  ['receivedOn', 'received_on'],
  ['confirmationReceivedOn', 'confirmation_received_on'],
] as const;

/** Changes a draft; every changed field is a history entry, and the class is proposed again. */
export async function updateOrder(ctx: Ctx, id: string, input: UpdateOrderInput): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'order.update');
    if (row.status !== 'draft') throw stateError(row.status);
    const note = input.note ?? null;
    const set: Partial<OrderTable> = {};
    const history: repo.HistoryEntry[] = [];
    const change = (field: string, oldValue: string | null, newValue: string | null) => {
      if (oldValue !== newValue) history.push({ field, oldValue, newValue, note });
    };
    for (const [field, column] of TEXT_FIELDS) {
      const v = input[field];
      if (v === undefined || v === row[column]) continue;
      change(field, row[column], v);
      (set as Record<string, unknown>)[column] = v;
    }
    if (input.kind !== undefined && input.kind !== row.kind) {
      change(
        'kind',
        ORDER_KIND_LABELS[row.kind as OrderKind]?.zh ?? row.kind,
        ORDER_KIND_LABELS[input.kind].zh,
      );
      set.kind = input.kind;
    }
    if (input.receivedVia !== undefined && input.receivedVia !== row.received_via) {
      change(
        'receivedVia',
        ORDER_CHANNEL_LABELS[row.received_via as OrderChannel]?.zh ?? row.received_via,
        ORDER_CHANNEL_LABELS[input.receivedVia].zh,
      );
      set.received_via = input.receivedVia;
    }
    // 项目档案: a project of the order's own archive (projects.ts).
    if (input.projectId !== undefined && input.projectId !== (row.project_id ?? null)) {
      if (input.projectId) {
        const problem = await projectLinkProblem(t.db, input.projectId, row.customer_id, true);
        if (problem) throw new FieldErrors([problem]);
      }
      change(
        'projectId',
        await projectLabel(t.db, row.project_id),
        await projectLabel(t.db, input.projectId),
      );
      set.project_id = input.projectId;
    }
    if (
      input.confirmationNeeded !== undefined &&
      input.confirmationNeeded !== (row.confirmation_needed === 1)
    ) {
      change('confirmationNeeded', yesNo(row.confirmation_needed === 1), yesNo(input.confirmationNeeded));
      set.confirmation_needed = input.confirmationNeeded ? 1 : 0;
    }
    const oldLines = await repo.linesOf(t.db, id);
    const newLines = input.lines ? lineRows(id, input.lines) : null;
    const memo =
      input.phoneMemo !== undefined
        ? input.phoneMemo
        : row.phone_caller && row.phone_called_at
          ? { caller: row.phone_caller, calledAt: row.phone_called_at, agreed: row.phone_agreed ?? '' }
          : null;
    const { calledAt } = checkOrder(t, {
      receivedVia: set.received_via ?? row.received_via,
      receivedOn: set.received_on ?? row.received_on,
      phoneMemo: memo,
      lines: (newLines ?? oldLines).map((l) => ({
        promisedOn: l.promised_on,
        quantity: l.quantity,
        unitPrice: l.unit_price,
      })),
    });
    if (input.phoneMemo !== undefined) {
      const before = row.phone_caller
        ? `${row.phone_caller} ${row.phone_called_at}：${row.phone_agreed ?? ''}`
        : null;
      const after = input.phoneMemo
        ? `${input.phoneMemo.caller} ${calledAt}：${input.phoneMemo.agreed}`
        : null;
      if (before !== after) {
        change('phoneMemo', before, after);
        set.phone_caller = input.phoneMemo?.caller ?? null;
        set.phone_called_at = calledAt;
        set.phone_agreed = input.phoneMemo?.agreed ?? null;
      }
    }
    if (newLines) {
      change('lines', linesText(oldLines), linesText(newLines));
      change('unitPrice', pricesText(oldLines), pricesText(newLines));
      const total = sumMoney(newLines.map((l) => (l.amount === null ? null : String(l.amount))));
      change('totalAmount', money(row.total_amount), total);
      set.total_amount = total;
      await t.db.deleteFrom('order_lines').where('order_id', '=', id).execute();
      await t.db.insertInto('order_lines').values(newLines).execute();
    }
    if (history.length === 0) return;
    const merged = { ...row, ...set };
    const again = await reclassify(r, t, merged, note);
    Object.assign(set, again.set);
    history.push(...again.history);
    await t.db
      .updateTable('orders')
      .set({ ...set, updated_at: nowIso(t), updated_by: r.ctx.actor.id })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'order.update', {
      changes: Object.fromEntries(history.map((h) => [h.field, { from: h.oldValue, to: h.newValue }])),
      note,
    });
  });
  return getOrder(ctx, id, { audit: false });
}

/** Overrides the proposed class with a reason (R-K1); the class in force until changed again. */
export async function overrideClass(
  ctx: Ctx,
  id: string,
  input: { class: OrderClass; reason: string },
): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'order.update');
    if (row.status !== 'draft') throw stateError(row.status);
    const back = input.class === row.proposed_class;
    await t.db
      .updateTable('orders')
      .set({
        class: input.class,
        class_override_reason: back ? null : input.reason,
        class_overridden_by: back ? null : r.ctx.actor.id,
        class_overridden_at: back ? null : nowIso(t),
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      {
        field: 'class',
        oldValue: ORDER_CLASS_LABELS[row.class as OrderClass]?.zh ?? row.class,
        newValue: ORDER_CLASS_LABELS[input.class].zh,
        note: back ? `恢复系统建议：${input.reason}` : `人工调整：${input.reason}`,
      },
    ]);
    await auditChange(t, row, 'order.classify', {
      from: row.class,
      to: input.class,
      proposed: row.proposed_class,
      reason: input.reason,
    });
  });
  return getOrder(ctx, id, { audit: false });
}

export { money };
