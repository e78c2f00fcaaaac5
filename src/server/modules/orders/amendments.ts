import {
  AMENDMENT_CATEGORY_LABELS,
  AMENDMENT_FIELD_CATEGORY,
  AMENDMENT_FIELD_LABELS,
  AMENDMENT_STATUS_LABELS,
  AMENDMENT_TERM_FIELDS,
  type AmendmentLineField,
  type AmendmentStatus,
  amendmentTitle,
} from '../../../common/order-amendments.js';
import {
  ORDER_REVIEW_DECISION_LABELS,
  ORDER_SIGNER_LABELS,
  type OrderSignerRole,
} from '../../../common/orders.js';
import type {
  AmendmentInput,
  AmendmentReviewInput,
  AmendmentSignInput,
} from '../../../common/schemas/order-amendments.js';
import type { Order } from '../../../common/schemas/orders.js';
import type { OrderAmendmentTable, OrderLineTable, OrderTable } from '../../db/types.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { orderReader, seesPrices } from './access.js';
import { amendmentReviewsOf, parseChanges, type StoredChange } from './amendment-view.js';
import { amountProblems, fixed, lineAmount, money, plain, scaled, sumMoney } from './decimal.js';
import * as repo from './repo.js';
import { auditChange, changing, findVisible, getOrder, ownerIdsOf, stateError } from './service.js';
import {
  departmentPeople,
  link,
  notifySigners,
  requireClearedReviewers,
  reviewerPeople,
  signerFor,
} from './workflow.js';

// Amendments of accepted orders (合同更改, R-K4; seed 003: 修订后的合同应再次评审). Only an
// accepted order is amended: a draft is simply changed, and an order in review is not a contract
// yet — its reviewers are still answering what was submitted, so a change there means cancelling
// and registering it again rather than moving the ground under open reviews.
// The proposal is stored as a field-by-field difference; the departments configured per category
// of the fields changed (`amendmentDepartments`) review it in parallel (会签) with the answers of
// the order's review; the signer is the order's (workflow.ts signerFor: the general manager for
// an annual contract and for a 不接受 overruled). Only the signature applies the difference to the
// order and its lines; a rejected amendment leaves the order as it was. Once applied, the
// 合同更改通知单 goes to every department concerned — those asked about the change and those that
// reviewed the order — and a member of each acknowledges it. One amendment at a time per order.

const TERM_COLUMNS = {
  paymentTerms: 'payment_terms',
  deliveryMethod: 'delivery_method',
  deliveryPlace: 'delivery_place',
  packaging: 'packaging',
  currency: 'currency',
} as const satisfies Record<(typeof AMENDMENT_TERM_FIELDS)[number], keyof OrderTable>;

const LINE_COLUMNS = {
  quantity: 'quantity',
  requestedOn: 'requested_on',
  promisedOn: 'promised_on',
  specification: 'specification',
  unitPrice: 'unit_price',
} as const satisfies Record<AmendmentLineField, keyof OrderLineTable>;

/** A line's value as compared and shown: decimals at their shortest (`12.5000` → `12.5`). */
function lineValue(l: OrderLineTable, field: AmendmentLineField): string | null {
  const v = l[LINE_COLUMNS[field]];
  if (field === 'quantity' || field === 'unitPrice') return plain(v as string | number | null);
  return (v as string | null) ?? null;
}

/** The difference between the order and the proposal, checked (R-K4). */
function differenceOf(
  row: repo.OrderRow,
  lines: OrderLineTable[],
  input: AmendmentInput,
  prices: boolean,
  /** What each line (by id) has delivered so far, scaled by 10^4. */
  delivered: ReadonlyMap<string, bigint>,
): StoredChange[] {
  const problems: FieldProblem[] = [];
  const changes: StoredChange[] = [];
  const seen = new Set<number>();
  for (const [i, p] of input.lines.entries()) {
    const l = lines.find((x) => Number(x.line_no) === p.lineNo);
    if (!l) {
      problems.push({ field: `lines.${i}.lineNo`, key: 'order_pricing_line', params: { lineNo: p.lineNo } });
      continue;
    }
    if (seen.has(p.lineNo))
      problems.push({
        field: `lines.${i}.lineNo`,
        key: 'order_amendment_line',
        params: { lineNo: p.lineNo },
      });
    seen.add(p.lineNo);
    for (const field of Object.keys(LINE_COLUMNS) as AmendmentLineField[]) {
      const proposed = p[field];
      if (proposed === undefined) continue;
      const after =
        field === 'quantity' || field === 'unitPrice' ? plain(proposed) : (proposed as string | null);
      const before = lineValue(l, field);
      if (after === before) continue;
      // A quantity below what was delivered already cannot be the contract's.
      const shipped = delivered.get(l.id) ?? 0n;
      if (field === 'quantity' && after !== null && scaled(after, 4) < shipped)
        problems.push({
          field: `lines.${i}.quantity`,
          key: 'order_amendment_delivered',
          params: { lineNo: p.lineNo, delivered: plain(fixed(shipped, 4)) },
        });
      if (field === 'unitPrice' && !prices)
        problems.push({ field: `lines.${i}.unitPrice`, key: 'order_amendment_price' });
      if (field === 'promisedOn' && after && after < row.received_on)
        problems.push({
          field: `lines.${i}.promisedOn`,
          key: 'order_line_promised',
          params: { receivedOn: row.received_on },
        });
      changes.push({ field, lineNo: p.lineNo, before, after });
    }
  }
  // The amounts after the change must fit their columns, as at registration.
  problems.push(
    ...amountProblems(
      lines.map((l) => {
        const i = input.lines.findIndex((p) => p.lineNo === Number(l.line_no));
        const p = input.lines[i];
        return {
          quantity: p?.quantity ?? l.quantity,
          unitPrice: p?.unitPrice !== undefined ? p.unitPrice : l.unit_price,
          field: i >= 0 ? `lines.${i}.quantity` : 'lines',
        };
      }),
      'lines',
    ),
  );
  for (const field of AMENDMENT_TERM_FIELDS) {
    const after = input[field];
    if (after === undefined) continue;
    const before = row[TERM_COLUMNS[field]];
    if (after !== before) changes.push({ field, lineNo: null, before, after });
  }
  if (problems.length) throw new FieldErrors(problems);
  if (changes.length === 0) throw new DomainError('order_amendment_noop', 400);
  return changes;
}

const changeText = (c: StoredChange) =>
  `${c.lineNo ? `第${c.lineNo}行` : ''}${AMENDMENT_FIELD_LABELS[c.field].zh}：${c.before ?? '—'} → ${c.after ?? '—'}`;

/** Proposes an amendment of an accepted order: the difference stored, the reviews opened. */
export async function proposeAmendment(ctx: Ctx, id: string, input: AmendmentInput): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'order.update');
    if (row.status !== 'accepted') throw stateError(row.status);
    const pending = await t.db
      .selectFrom('order_amendments')
      .select('seq')
      .where('order_id', '=', id)
      .where('status', '=', 'in_review')
      .executeTakeFirst();
    if (pending)
      throw new DomainError('order_amendment_open', 409, {
        title: amendmentTitle(Number(pending.seq)),
        seq: pending.seq,
      });
    const owners = await ownerIdsOf(t.db, row.customer_id);
    const lines = await repo.linesOf(t.db, id);
    const delivered = new Map<string, bigint>();
    for (const d of await t.db
      .selectFrom('order_deliveries')
      .select(['line_id', 'quantity'])
      .where('order_id', '=', id)
      .execute())
      delivered.set(d.line_id, (delivered.get(d.line_id) ?? 0n) + scaled(d.quantity, 4));
    const changes = differenceOf(row, lines, input, seesPrices(r, row.created_by, owners), delivered);
    const categories = [...new Set(changes.map((c) => AMENDMENT_FIELD_CATEGORY[c.field]))];
    const codes = [...new Set(categories.flatMap((c) => r.settings.amendmentDepartments[c] ?? []))];
    const departments = await repo.departmentsByCode(t.db, codes);
    // A code no active department carries stops the amendment rather than skipping a reviewer.
    const missing = codes.filter((c) => !departments.some((d) => repo.sameCode(d.code, c)));
    if (missing.length) throw new DomainError('order_route_department', 409, { codes: missing.join('、') });
    const unique = [...new Map(departments.map((d) => [d.id, d])).values()];
    await requireClearedReviewers(t.db, unique, Number(row.customer_secrecy));
    const last = await t.db
      .selectFrom('order_amendments')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('order_id', '=', id)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const now = nowIso(t);
    const amendmentId = newId();
    const signer = signerFor(row, { rejected: false });
    await t.db
      .insertInto('order_amendments')
      .values({
        id: amendmentId,
        order_id: id,
        seq,
        status: 'in_review',
        reason: input.reason,
        changes: JSON.stringify(changes),
        categories: JSON.stringify(categories),
        signer_role: signer,
        decision: null,
        signed_role: null,
        signed_by: null,
        signed_at: null,
        sign_comment: null,
        overrule_reason: null,
        created_at: now,
        created_by: r.ctx.actor.id,
      })
      .execute();
    if (unique.length)
      await t.db
        .insertInto('order_amendment_reviews')
        .values(
          unique.map((d) => ({
            id: newId(),
            amendment_id: amendmentId,
            order_id: id,
            department_id: d.id,
            requested_at: now,
            decision: null,
            condition: null,
            comment: null,
            reviewed_at: null,
            reviewed_by: null,
          })),
        )
        .execute();
    const title = amendmentTitle(seq);
    await repo.writeHistory(t, id, [
      {
        field: 'amendment',
        oldValue: null,
        newValue: `${title}：提出（${categories.map((c) => AMENDMENT_CATEGORY_LABELS[c].zh).join('、')}）${
          unique.length ? `，评审：${unique.map((d) => d.name).join('、')}` : ''
        }`,
        note: input.reason,
      },
    ]);
    await auditChange(t, row, 'order.amend', {
      amendment: title,
      reason: input.reason,
      changes,
      departments: unique.map((d) => d.name),
      signer,
    });
    const secrecy = Number(row.customer_secrecy);
    if (unique.length) {
      await notify(t, await reviewerPeople(t.db, unique), {
        kind: 'order.amendment_review',
        title: `请评审订单 ${row.number}（${row.customer_name}）的${title}`,
        body: input.reason,
        link: link(id),
        secrecy,
      });
    } else await notifySigners(t, row, signer, title);
  });
  return getOrder(ctx, id, { audit: false });
}

/** The amendment of this order, or 404. */
async function amendmentOf(t: TxCtx, orderId: string, amendmentId: string): Promise<OrderAmendmentTable> {
  const a = await t.db
    .selectFrom('order_amendments')
    .selectAll()
    .where('id', '=', amendmentId)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!a) throw notFound();
  return a;
}

const amendmentStateError = (status: string) =>
  new DomainError('order_amendment_state', 409, {
    status: AMENDMENT_STATUS_LABELS[status as AmendmentStatus]?.zh ?? status,
  });

const decisionText = (d: string, c: string | null) =>
  `${ORDER_REVIEW_DECISION_LABELS[d as keyof typeof ORDER_REVIEW_DECISION_LABELS]?.zh ?? d}${c ? `：${c}` : ''}`;

/** One department's review of an amendment (会签). */
export async function reviewAmendment(
  ctx: Ctx,
  id: string,
  amendmentId: string,
  departmentId: string,
  input: AmendmentReviewInput,
): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    // Visibility first; then a department not asked has no review to give (404), whoever asks.
    await findVisible(r, id, t.db);
    const a = await amendmentOf(t, id, amendmentId);
    const existing = (await amendmentReviewsOf(t.db, id)).find(
      (v) => v.amendment_id === a.id && v.department_id === departmentId,
    );
    if (!existing) throw notFound();
    const row = await changing(r, t, id, 'order.review', { reviewDepartmentId: departmentId });
    // Its state under the order's lock (a signature may have come in meanwhile).
    const current = await amendmentOf(t, id, amendmentId);
    if (current.status !== 'in_review') throw amendmentStateError(current.status);
    if (row.status !== 'accepted') throw stateError(row.status);
    if (input.decision === 'conditional' && !input.condition)
      throw new FieldErrors([{ field: 'condition', key: 'order_condition' }]);
    await t.db
      .updateTable('order_amendment_reviews')
      .set({
        decision: input.decision,
        condition: input.decision === 'conditional' ? input.condition : null,
        comment: input.comment,
        reviewed_at: nowIso(t),
        reviewed_by: r.ctx.actor.id,
      })
      .where('id', '=', existing.id)
      .execute();
    const reviews = (await amendmentReviewsOf(t.db, id)).filter((v) => v.amendment_id === a.id);
    const open = reviews.filter((v) => v.decision === null).length;
    const signer = signerFor(row, { rejected: reviews.some((v) => v.decision === 'reject') });
    if (signer !== a.signer_role)
      await t.db
        .updateTable('order_amendments')
        .set({ signer_role: signer })
        .where('id', '=', a.id)
        .execute();
    const title = amendmentTitle(Number(a.seq));
    await repo.writeHistory(t, id, [
      {
        field: 'amendmentReview',
        oldValue: existing.decision
          ? `${title} ${existing.department_name} ${decisionText(existing.decision, existing.condition)}`
          : null,
        newValue: `${title} ${existing.department_name} ${decisionText(input.decision, input.condition)}`,
        note: input.comment,
      },
    ]);
    await auditChange(t, row, 'order.amendment_review', {
      amendment: title,
      department: existing.department_name,
      decision: input.decision,
      condition: input.condition,
      comment: input.comment,
      signer,
    });
    if (open === 0 && existing.decision === null) await notifySigners(t, row, signer, title);
  });
  return getOrder(ctx, id, { audit: false });
}

/** The signature: accepted, the difference is applied and the 合同更改通知单 issued; rejected,
 * the order stays as it was. Nothing is signed while a review is open. */
export async function signAmendment(
  ctx: Ctx,
  id: string,
  amendmentId: string,
  input: AmendmentSignInput,
): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const base = await findVisible(r, id, t.db);
    const accept = input.decision === 'accept';
    const state = async () => {
      const a = await amendmentOf(t, id, amendmentId);
      const reviews = (await amendmentReviewsOf(t.db, id)).filter((v) => v.amendment_id === a.id);
      const rejected = reviews.some((v) => v.decision === 'reject');
      return { a, reviews, rejected, role: signerFor(base, { rejected: accept && rejected }) };
    };
    const before = await state();
    let row = await changing(r, t, id, 'order.approve', { signerRole: before.role });
    // Read again under the order's lock: a review or a signature may have come in meanwhile.
    const { a, reviews, rejected, role } = await state();
    if (role !== before.role) row = await changing(r, t, id, 'order.approve', { signerRole: role });
    if (a.status !== 'in_review') throw amendmentStateError(a.status);
    if (row.status !== 'accepted') throw stateError(row.status);
    const open = reviews.filter((v) => v.decision === null);
    if (open.length)
      throw new DomainError('order_reviews_open', 409, {
        departments: open.map((v) => v.department_name).join('、'),
      });
    if (accept && rejected && !input.overruleReason)
      throw new FieldErrors([{ field: 'overruleReason', key: 'order_overrule_reason' }]);
    const signedAs: OrderSignerRole = r.ctx.actor.roles.includes('general_manager')
      ? 'general_manager'
      : role;
    const now = nowIso(t);
    const title = amendmentTitle(Number(a.seq));
    await t.db
      .updateTable('order_amendments')
      .set({
        status: accept ? 'accepted' : 'rejected',
        decision: input.decision,
        signer_role: role,
        signed_role: signedAs,
        signed_by: r.ctx.actor.id,
        signed_at: now,
        sign_comment: input.comment,
        overrule_reason: accept && rejected ? input.overruleReason : null,
      })
      .where('id', '=', a.id)
      .execute();
    const changes = parseChanges(a.changes);
    const history: repo.HistoryEntry[] = [];
    let notified: string[] = [];
    if (accept) {
      history.push(...(await applyChanges(t, row, changes, `${title}：${a.reason}`)));
      notified = await issueNotice(t, row, a, now);
    }
    history.push({
      field: 'amendment',
      oldValue: `${title}：${AMENDMENT_STATUS_LABELS.in_review.zh}`,
      newValue: `${title}：${AMENDMENT_STATUS_LABELS[accept ? 'accepted' : 'rejected'].zh}（${ORDER_SIGNER_LABELS[signedAs].zh}签署）`,
      note:
        [input.overruleReason ? `否决不接受意见：${input.overruleReason}` : null, input.comment]
          .filter(Boolean)
          .join('；') || null,
    });
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'order.amendment_sign', {
      amendment: title,
      decision: input.decision,
      role: signedAs,
      required: role,
      comment: input.comment,
      overruleReason: input.overruleReason,
      applied: accept ? changes : [],
      reviews: reviews.map((v) => ({ department: v.department_name, decision: v.decision })),
      notice: notified,
    });
    const told = [a.created_by, ...(await ownerIdsOf(t.db, row.customer_id))].filter(
      (p) => p !== r.ctx.actor.id,
    );
    if (told.length)
      await notify(t, told, {
        kind: 'order.amendment_signed',
        title: `订单 ${row.number}（${row.customer_name}）的${title}${accept ? '已生效' : '未通过'}`,
        link: link(id),
        secrecy: Number(row.customer_secrecy),
      });
  });
  return getOrder(ctx, id, { audit: false });
}

/** Writes the difference into the order and its lines; returns the history entries. */
async function applyChanges(
  t: TxCtx,
  row: repo.OrderRow,
  changes: StoredChange[],
  note: string,
): Promise<repo.HistoryEntry[]> {
  const history: repo.HistoryEntry[] = changes.map((c) => ({
    field: c.field,
    oldValue: c.lineNo ? `${c.lineNo}. ${c.before ?? '—'}` : c.before,
    newValue: c.lineNo ? `${c.lineNo}. ${c.after ?? '—'}` : c.after,
    note,
  }));
  const lines = await repo.linesOf(t.db, row.id);
  // Deliveries may have gone out while the amendment was reviewed: a quantity now below what was
  // delivered cannot become the contract's (checked again under the order's lock).
  for (const c of changes) {
    if (c.field !== 'quantity' || c.lineNo === null || c.after === null) continue;
    const line = lines.find((l) => Number(l.line_no) === c.lineNo);
    if (!line) continue;
    const shipped = (
      await t.db.selectFrom('order_deliveries').select('quantity').where('line_id', '=', line.id).execute()
    ).reduce((sum, d) => sum + scaled(d.quantity, 4), 0n);
    if (scaled(c.after, 4) < shipped)
      throw new DomainError('order_amendment_overtaken', 409, {
        lineNo: c.lineNo,
        quantity: c.after,
        delivered: plain(fixed(shipped, 4)) ?? '0',
      });
  }
  const byLine = new Map<number, Partial<OrderLineTable>>();
  const orderSet: Partial<OrderTable> = {};
  for (const c of changes) {
    if (c.lineNo === null) {
      (orderSet as Record<string, unknown>)[TERM_COLUMNS[c.field as keyof typeof TERM_COLUMNS]] = c.after;
      continue;
    }
    const set = byLine.get(c.lineNo) ?? {};
    (set as Record<string, unknown>)[LINE_COLUMNS[c.field as AmendmentLineField]] = c.after;
    byLine.set(c.lineNo, set);
  }
  const amounts: (string | null)[] = [];
  for (const l of lines) {
    const set = byLine.get(Number(l.line_no));
    const merged = { ...l, ...set };
    const qty = plain(merged.quantity) ?? '0';
    const price = plain(merged.unit_price);
    const amount = price === null ? null : lineAmount(qty, price);
    amounts.push(amount);
    if (set)
      await t.db
        .updateTable('order_lines')
        .set({ ...set, amount })
        .where('id', '=', l.id)
        .execute();
  }
  const total = sumMoney(amounts);
  if (total !== money(row.total_amount)) {
    orderSet.total_amount = total;
    history.push({ field: 'totalAmount', oldValue: money(row.total_amount), newValue: total, note });
  }
  await t.db
    .updateTable('orders')
    .set({ ...orderSet, updated_at: nowIso(t), updated_by: t.actor?.id ?? row.updated_by })
    .where('id', '=', row.id)
    .execute();
  return history;
}

/** 合同更改通知单: to the departments asked about the change and those that reviewed the order;
 * every active member of each is told, since any of them may acknowledge it. */
async function issueNotice(
  t: TxCtx,
  row: repo.OrderRow,
  a: OrderAmendmentTable,
  now: string,
): Promise<string[]> {
  const [asked, reviewed] = await Promise.all([
    t.db
      .selectFrom('order_amendment_reviews')
      .select('department_id')
      .where('amendment_id', '=', a.id)
      .execute(),
    repo.reviewsOf(t.db, row.id),
  ]);
  const ids = [...new Set([...asked.map((x) => x.department_id), ...reviewed.map((x) => x.department_id)])];
  if (ids.length === 0) return [];
  await t.db
    .insertInto('order_amendment_notices')
    .values(
      ids.map((department_id) => ({
        id: newId(),
        amendment_id: a.id,
        order_id: row.id,
        department_id,
        issued_at: now,
        acknowledged_at: null,
        acknowledged_by: null,
      })),
    )
    .execute();
  const title = amendmentTitle(Number(a.seq));
  await notify(t, await departmentPeople(t.db, ids, false), {
    kind: 'order.amendment_notice',
    title: `合同更改通知单：订单 ${row.number}（${row.customer_name}）${title}，请确认收到`,
    body: parseChanges(a.changes)
      .map((c) =>
        c.field === 'unitPrice' ? `${c.lineNo ? `第${c.lineNo}行` : ''}单价已变更` : changeText(c),
      )
      .join('；'),
    link: link(row.id),
    secrecy: Number(row.customer_secrecy),
  });
  const names = await t.db.selectFrom('departments').select('name').where('id', 'in', ids).execute();
  return names.map((d) => d.name);
}

/** A member of a department the notice went to confirms it was received (确认收到). */
export async function acknowledgeAmendment(ctx: Ctx, id: string, amendmentId: string): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    await findVisible(r, id, t.db);
    const a = await amendmentOf(t, id, amendmentId);
    const me = r.ctx.actor;
    const notice = me.departmentId
      ? await t.db
          .selectFrom('order_amendment_notices as n')
          .innerJoin('departments as d', 'd.id', 'n.department_id')
          .selectAll('n')
          .select('d.name as department_name')
          .where('n.amendment_id', '=', a.id)
          .where('n.department_id', '=', me.departmentId)
          .executeTakeFirst()
      : undefined;
    // Without a notice for the actor's department the rule sees no department: 403.
    const row = await changing(r, t, id, 'order.acknowledge', {
      reviewDepartmentId: notice?.department_id ?? null,
    });
    if (!notice) throw notFound();
    if (notice.acknowledged_at)
      throw new DomainError('order_amendment_acknowledged', 409, { at: notice.acknowledged_at });
    const done = await t.db
      .updateTable('order_amendment_notices')
      .set({ acknowledged_at: nowIso(t), acknowledged_by: me.id })
      .where('id', '=', notice.id)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    // Another member of the department confirmed it meanwhile.
    if (Number(done.numUpdatedRows) === 0)
      throw new DomainError('order_amendment_acknowledged', 409, { at: nowIso(t) });
    const title = amendmentTitle(Number(a.seq));
    await repo.writeHistory(t, id, [
      {
        field: 'amendmentNotice',
        oldValue: null,
        newValue: `${title} ${notice.department_name} 确认收到`,
        note: null,
      },
    ]);
    await auditChange(t, row, 'order.amendment_acknowledge', {
      amendment: title,
      department: notice.department_name,
    });
  });
  return getOrder(ctx, id, { audit: false });
}
