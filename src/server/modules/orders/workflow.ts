import {
  CHECKLIST_ANSWER_LABELS,
  ORDER_REVIEW_DECISION_LABELS,
  ORDER_ROUTE_LABELS,
  ORDER_SIGNER_LABELS,
  type OrderApprovalDecision,
  type OrderClass,
  type OrderRoute,
  type OrderSignerRole,
} from '../../../common/orders.js';
import type { Order, OrderReviewInput } from '../../../common/schemas/orders.js';
import type { Db } from '../../db/index.js';
import type { OrderLineTable, OrderTable } from '../../db/types.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, clearedFor, notify } from '../../platform/notify.js';
import type { BlobStore } from '../../platform/storage.js';
import type { Filed } from '../documents/generated.js';
import { type OrderReader, orderReader } from './access.js';
import { parseReasons } from './classify.js';
import { creditAfterAcceptance, creditCheck } from './credit.js';
import { amountProblems, lineAmount, money, plain, sumMoney } from './decimal.js';
import { afterRecord, fileOrderRecord, requireFeasibility } from './record.js';
import * as repo from './repo.js';
import {
  auditChange,
  changing,
  findVisible,
  getOrder,
  lockOrder,
  ownerIdsOf,
  reclassify,
  stateError,
} from './service.js';

// How an order is reviewed (R-K2, R-K3, seed 003 A/B): submitted, the route follows from the
// class in force and the lead time — regular within capacity: the salesperson signs alone;
// regular with the lead time at risk: PMC, purchasing and production review (by configured
// department codes); non-regular: every configured department reviews the checklist, finance
// pricing new products — in parallel (会签), and nothing can be signed while a review is open.
// The signer is the salesperson, the sales department's manager after a non-regular review, or
// the general manager for an annual contract, for any 不接受 overruled and when creditCheck says
// so; creditCheck is asked before acceptance and a suspended customer cannot be accepted.
// Each step writes history and an audit entry; the departments asked and then the signers are
// notified.

/** The route for the class in force and the lead time (R-K2, R-K3). */
export function routeFor(cls: OrderClass, leadTimeAtRisk: boolean): OrderRoute {
  if (cls === 'non_regular') return 'full';
  return leadTimeAtRisk ? 'capacity' : 'sales';
}

/** Who signs an acceptance: the general manager for annual contracts, any 不接受 to overrule and
 * a credit verdict asking for it; the sales manager after a non-regular review; else sales. */
export function signerFor(
  o: Pick<OrderTable, 'kind' | 'route'>,
  opts: { rejected: boolean; creditNeedsGm?: boolean },
): OrderSignerRole {
  if (o.kind === 'annual' || opts.rejected || opts.creditNeedsGm) return 'general_manager';
  return o.route === 'full' ? 'sales_manager' : 'sales';
}

/** The people of a signer role for this order (notifications). */
export async function signers(db: Db, row: repo.OrderRow, role: OrderSignerRole): Promise<string[]> {
  if (role === 'general_manager') return activeUsersWithRoles(db, ['general_manager']);
  const managers = await managersAbove(db, row.customer_department_id);
  if (role === 'sales_manager') return managers;
  return [...(await ownerIdsOf(db, row.customer_id)), row.created_by];
}

/** Department managers of the department and of every department above it. */
export async function managersAbove(db: Db, departmentId: string): Promise<string[]> {
  const chain: string[] = [];
  let at: string | null = departmentId;
  for (let i = 0; at && i < 20; i++) {
    chain.push(at);
    const d: { parent_id: string | null } | undefined = await db
      .selectFrom('departments')
      .select('parent_id')
      .where('id', '=', at)
      .executeTakeFirst();
    at = d?.parent_id ?? null;
  }
  return departmentPeople(db, chain, true);
}

export async function departmentPeople(
  db: Db,
  departmentIds: string[],
  managersOnly: boolean,
): Promise<string[]> {
  if (departmentIds.length === 0) return [];
  let q = db
    .selectFrom('users as u')
    .select('u.id')
    .distinct()
    .where('u.active', '=', 1)
    .where('u.department_id', 'in', departmentIds);
  if (managersOnly)
    q = q.innerJoin('user_roles as ro', 'ro.user_id', 'u.id').where('ro.role', '=', 'department_manager');
  return (await q.execute()).map((x) => x.id);
}

export const link = (id: string) => `/orders/${id}`;

/** Submits a draft (R-K2, R-K3): the class is proposed again from today's facts, the route chosen,
 * the departments' reviews opened (their managers told), or the order goes straight to sales. */
export async function submitOrder(ctx: Ctx, id: string, note: string | null): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'order.update');
    if (row.status !== 'draft') throw stateError(row.status);
    const again = await reclassify(r, t, row, note);
    const merged = { ...row, ...again.set };
    const route = routeFor(merged.class as OrderClass, merged.lead_time_at_risk === 1);
    const codes =
      route === 'full'
        ? r.settings.reviewDepartments
        : route === 'capacity'
          ? r.settings.capacityDepartments
          : [];
    const departments = await repo.departmentsByCode(t.db, codes);
    const missing = codes.filter((c) => !departments.some((d) => repo.sameCode(d.code, c)));
    if (missing.length || (route !== 'sales' && departments.length === 0))
      throw new DomainError('order_route_department', 409, { codes: missing.join('、') || '—' });
    const now = nowIso(t);
    const unique = [...new Map(departments.map((d) => [d.id, d])).values()];
    await requireClearedReviewers(t.db, unique, Number(row.customer_secrecy));
    if (unique.length)
      await t.db
        .insertInto('order_reviews')
        .values(
          unique.map((d) => ({
            id: newId(),
            order_id: id,
            department_id: d.id,
            requested_at: now,
            requested_by: r.ctx.actor.id,
            decision: null,
            condition: null,
            comment: null,
            checklist: null,
            pricing: null,
            reviewed_at: null,
            reviewed_by: null,
          })),
        )
        .execute();
    // The credit hook at submission too: a suspended customer's order goes no further, and an
    // order past the limit shows the general manager as its signer from the start.
    const credit = await creditCheck(t, { id: row.customer_id }, money(merged.total_amount));
    if (credit.verdict === 'suspended')
      throw new DomainError('order_credit_suspended_new', 409, { reason: credit.reason ?? '' });
    const signer = signerFor(
      { kind: merged.kind, route },
      { rejected: false, creditNeedsGm: credit.verdict === 'general_manager' },
    );
    await t.db
      .updateTable('orders')
      .set({
        ...again.set,
        credit_verdict: credit.verdict,
        status: 'in_review',
        route,
        submitted_at: now,
        submitted_by: r.ctx.actor.id,
        signer_role: signer,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      ...again.history,
      { field: 'status', oldValue: repo.statusText('draft'), newValue: repo.statusText('in_review'), note },
      {
        field: 'route',
        oldValue: null,
        newValue: `${ORDER_ROUTE_LABELS[route].zh}${unique.length ? `（${unique.map((d) => d.name).join('、')}）` : ''}`,
        note: null,
      },
    ]);
    await auditChange(t, row, 'order.submit', {
      route,
      class: merged.class,
      leadTimeAtRisk: merged.lead_time_at_risk === 1,
      departments: unique.map((d) => d.name),
      signer,
      credit: credit.verdict === 'ok' ? null : credit,
      note,
    });
    const secrecy = Number(row.customer_secrecy);
    if (unique.length) {
      await notify(t, await reviewerPeople(t.db, unique), {
        kind: 'order.review',
        title: `请评审订单 ${row.number}（${row.customer_name}）`,
        body: ORDER_ROUTE_LABELS[route].zh,
        link: link(id),
        secrecy,
      });
    } else {
      await notifySigners(t, { ...row, ...again.set, route, signer_role: signer }, signer);
    }
  });
  return getOrder(ctx, id, { audit: false });
}

/**
 * Every department asked has someone cleared for the archive's secrecy: otherwise nobody there can
 * see the order, its review stays open for ever and nobody is told (notifications respect clearance).
 */
export async function requireClearedReviewers(
  db: Db,
  departments: readonly { id: string; name: string }[],
  secrecy: number,
): Promise<void> {
  if (secrecy === 0) return;
  const blind: string[] = [];
  for (const d of departments)
    if ((await clearedFor(db, await departmentPeople(db, [d.id], false), secrecy)).length === 0)
      blind.push(d.name);
  if (blind.length) throw new DomainError('order_review_clearance', 409, { departments: blind.join('、') });
}

/** Who is asked to review for departments: their managers, or their members where none. */
export async function reviewerPeople(db: Db, departments: readonly { id: string }[]): Promise<string[]> {
  const recipients: string[] = [];
  for (const d of departments) {
    const managers = await departmentPeople(db, [d.id], true);
    recipients.push(...(managers.length ? managers : await departmentPeople(db, [d.id], false)));
  }
  return recipients;
}

/** Tells the signers that the reviews are in: of the order, or of `what` (an amendment). */
export async function notifySigners(
  t: TxCtx,
  row: repo.OrderRow,
  role: OrderSignerRole,
  what = '',
): Promise<void> {
  const people = (await signers(t.db, row, role)).filter((p) => p !== t.actor?.id);
  if (people.length === 0) return;
  await notify(t, people, {
    kind: what ? 'order.amendment_sign' : 'order.sign',
    title: `订单 ${row.number}（${row.customer_name}）${what ? `的${what}` : ''}评审完毕，请${ORDER_SIGNER_LABELS[role].zh}签署`,
    link: link(row.id),
    secrecy: Number(row.customer_secrecy),
  });
}

/** One department's review (会签): its decision, condition, comment, checklist answers, prices. */
export async function reviewOrder(
  ctx: Ctx,
  id: string,
  departmentId: string,
  input: OrderReviewInput,
): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const existing = await t.db
      .selectFrom('order_reviews as v')
      .innerJoin('departments as d', 'd.id', 'v.department_id')
      .selectAll('v')
      .select(['d.name as department_name', 'd.code as department_code'])
      .where('v.order_id', '=', id)
      .where('v.department_id', '=', departmentId)
      .executeTakeFirst();
    // Visibility first; then a department not asked has no review to give (404), whoever asks.
    await findVisible(r, id, t.db);
    if (!existing) throw new DomainError('not_found', 404);
    const row = await changing(r, t, id, 'order.review', { reviewDepartmentId: departmentId });
    if (row.status !== 'in_review') throw stateError(row.status);
    await requireFeasibility(r, t, row, existing);
    const problems: FieldProblem[] = [];
    if (input.decision === 'conditional' && !input.condition)
      problems.push({ field: 'condition', key: 'order_condition' });
    const checklist = r.settings.checklist;
    for (const code of Object.keys(input.checklist))
      if (!checklist.some((c) => c.code === code))
        problems.push({ field: `checklist.${code}`, key: 'order_checklist_unknown' });
    if (row.route === 'full')
      for (const item of checklist)
        if (!input.checklist[item.code])
          problems.push({
            field: `checklist.${item.code}`,
            key: 'order_checklist_missing',
            params: { label: item.label },
          });
    const lines = await repo.linesOf(t.db, id);
    for (const [i, p] of input.pricing.entries()) {
      if (!lines.some((l) => Number(l.line_no) === p.lineNo))
        problems.push({
          field: `pricing.${i}.lineNo`,
          key: 'order_pricing_line',
          params: { lineNo: p.lineNo },
        });
      // Two prices for one line: which one finance meant is not ours to guess.
      if (input.pricing.findIndex((x) => x.lineNo === p.lineNo) < i)
        problems.push({
          field: `pricing.${i}.lineNo`,
          key: 'order_amendment_line',
          params: { lineNo: p.lineNo },
        });
    }
    // Finance's prices give amounts that must fit their columns.
    problems.push(
      ...amountProblems(
        lines.map((l) => {
          const i = input.pricing.findIndex((p) => p.lineNo === Number(l.line_no));
          return {
            quantity: l.quantity,
            unitPrice: input.pricing[i]?.unitPrice ?? l.unit_price,
            field: i >= 0 ? `pricing.${i}.unitPrice` : 'pricing',
          };
        }),
        'pricing',
      ),
    );
    // Finance prices every line of a new product (R-K3).
    if (
      repo.sameCode(existing.department_code, r.settings.financeDepartment) &&
      input.decision !== 'reject'
    ) {
      const fresh = new Set(
        parseReasons(row.class_reasons).flatMap((x) => (x.code === 'new_part' ? (x.partNumbers ?? []) : [])),
      );
      for (const l of lines)
        if (fresh.has(l.part_number) && !input.pricing.some((p) => p.lineNo === Number(l.line_no)))
          problems.push({
            field: 'pricing',
            key: 'order_pricing_missing',
            params: { lineNo: Number(l.line_no), partNumber: l.part_number },
          });
    }
    if (problems.length) throw new FieldErrors(problems);
    const now = nowIso(t);
    await t.db
      .updateTable('order_reviews')
      .set({
        decision: input.decision,
        condition: input.decision === 'conditional' ? input.condition : null,
        comment: input.comment,
        checklist: Object.keys(input.checklist).length ? JSON.stringify(input.checklist) : null,
        pricing: input.pricing.length ? JSON.stringify(input.pricing) : null,
        reviewed_at: now,
        reviewed_by: r.ctx.actor.id,
      })
      .where('id', '=', existing.id)
      .execute();
    const priced = repo.sameCode(existing.department_code, r.settings.financeDepartment)
      ? await applyFinancePrices(t, row, lines, existing.pricing, input.pricing)
      : [];
    const reviews = await repo.reviewsOf(t.db, id);
    const open = reviews.filter((v) => v.decision === null).length;
    const rejected = reviews.some((v) => v.decision === 'reject');
    // Finance's prices may have moved the total: the credit hook is asked again with it.
    const total = await t.db
      .selectFrom('orders')
      .select('total_amount')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const credit = await creditCheck(t, { id: row.customer_id }, money(total.total_amount));
    const signer = signerFor(row, { rejected, creditNeedsGm: credit.verdict === 'general_manager' });
    if (signer !== row.signer_role)
      await t.db.updateTable('orders').set({ signer_role: signer }).where('id', '=', id).execute();
    const decisionText = (d: string | null, c: string | null) =>
      d
        ? `${ORDER_REVIEW_DECISION_LABELS[d as keyof typeof ORDER_REVIEW_DECISION_LABELS]?.zh ?? d}${c ? `：${c}` : ''}`
        : null;
    const history: repo.HistoryEntry[] = [
      {
        field: 'review',
        oldValue: existing.decision
          ? `${existing.department_name} ${decisionText(existing.decision, existing.condition)}`
          : null,
        newValue: `${existing.department_name} ${decisionText(input.decision, input.condition)}`,
        note: input.comment,
      },
    ];
    const issues = Object.entries(input.checklist).filter(([, a]) => a.answer === 'issue');
    if (issues.length)
      history.push({
        field: 'checklist',
        oldValue: null,
        newValue: issues
          .map(
            ([code, a]) =>
              `${checklist.find((c) => c.code === code)?.label ?? code}：${CHECKLIST_ANSWER_LABELS[a.answer].zh}${a.note ? `（${a.note}）` : ''}`,
          )
          .join('；'),
        note: existing.department_name,
      });
    if (input.pricing.length)
      history.push({
        field: 'pricing',
        oldValue: null,
        newValue: input.pricing.map((p) => `${p.lineNo}. ${p.unitPrice}`).join('；'),
        note: existing.department_name,
      });
    history.push(...priced);
    if (signer !== row.signer_role)
      history.push({
        field: 'signer',
        oldValue: row.signer_role ? ORDER_SIGNER_LABELS[row.signer_role as OrderSignerRole].zh : null,
        newValue: ORDER_SIGNER_LABELS[signer].zh,
        note: null,
      });
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'order.review', {
      department: existing.department_name,
      decision: input.decision,
      condition: input.condition,
      comment: input.comment,
      checklist: input.checklist,
      pricing: input.pricing,
      linePrices: priced.map((h) => ({ field: h.field, from: h.oldValue, to: h.newValue })),
    });
    if (open === 0 && existing.decision === null)
      await notifySigners(t, { ...row, signer_role: signer }, signer);
  });
  return getOrder(ctx, id, { audit: false });
}

/**
 * Finance's prices become the prices of the lines that had none (R-K3 财务部核价): unit price,
 * amount and the order's total, as history (shown to price readers only). A line finance priced
 * before takes finance's new price; a price sales entered is left alone (the review shows both).
 */
async function applyFinancePrices(
  t: TxCtx,
  row: repo.OrderRow,
  lines: OrderLineTable[],
  previous: string | null,
  pricing: OrderReviewInput['pricing'],
): Promise<repo.HistoryEntry[]> {
  const before = new Map(
    (previous ? (JSON.parse(previous) as OrderReviewInput['pricing']) : []).map((p) => [
      p.lineNo,
      p.unitPrice,
    ]),
  );
  const changed: { line: OrderLineTable; unitPrice: string; amount: string }[] = [];
  for (const p of pricing) {
    const line = lines.find((l) => Number(l.line_no) === p.lineNo);
    if (!line) continue;
    const current = plain(line.unit_price);
    const ours = before.get(p.lineNo);
    if (current !== null && (ours === undefined || plain(ours) !== current)) continue;
    const unitPrice = plain(p.unitPrice) as string;
    if (unitPrice === current) continue;
    changed.push({ line, unitPrice, amount: lineAmount(String(line.quantity), unitPrice) });
  }
  if (changed.length === 0) return [];
  for (const c of changed)
    await t.db
      .updateTable('order_lines')
      .set({ unit_price: c.unitPrice, amount: c.amount })
      .where('id', '=', c.line.id)
      .execute();
  const after = lines.map((l) => changed.find((c) => c.line.id === l.id)?.amount ?? money(l.amount));
  const total = sumMoney(after);
  await t.db.updateTable('orders').set({ total_amount: total }).where('id', '=', row.id).execute();
  const history: repo.HistoryEntry[] = changed.map((c) => ({
    field: 'unitPrice',
    oldValue: c.line.unit_price === null ? null : `${c.line.line_no}. ${plain(c.line.unit_price)}`,
    newValue: `${c.line.line_no}. ${c.unitPrice}（${c.amount}）`,
    note: '财务核价',
  }));
  if (money(row.total_amount) !== total)
    history.push({
      field: 'totalAmount',
      oldValue: money(row.total_amount),
      newValue: total,
      note: '财务核价',
    });
  return history;
}

/**
 * The signature: accept or reject, once every review is in. Accepting over a 不接受 needs the
 * general manager and the reason; creditCheck is asked first (a suspended customer is refused,
 * an exposure over the limit needs the general manager).
 */
export async function approveOrder(
  ctx: Ctx,
  id: string,
  input: { decision: OrderApprovalDecision; comment: string | null; overruleReason: string | null },
  store: BlobStore,
): Promise<Order> {
  const r = await orderReader(ctx);
  const filed = await tx(ctx, async (t): Promise<Filed> => {
    // The lock first: a review answered meanwhile (a 不接受 makes the general manager the signer)
    // is read, not missed.
    await lockOrder(t, id);
    const row0 = await findForSigning(r, t, id);
    if (row0.status !== 'in_review') throw stateError(row0.status);
    const reviews = await repo.reviewsOf(t.db, id);
    const open = reviews.filter((v) => v.decision === null);
    const rejected = reviews.some((v) => v.decision === 'reject');
    let role: OrderSignerRole;
    let credit: Awaited<ReturnType<typeof creditCheck>> | null = null;
    if (input.decision === 'accept') {
      credit = await creditCheck(t, { id: row0.customer_id }, money(row0.total_amount));
      role = signerFor(row0, { rejected, creditNeedsGm: credit.verdict === 'general_manager' });
    } else role = signerFor(row0, { rejected: false });
    const row = await changing(r, t, id, 'order.approve', { signerRole: role });
    if (open.length)
      throw new DomainError('order_reviews_open', 409, {
        departments: open.map((v) => v.department_name).join('、'),
      });
    if (credit?.verdict === 'suspended')
      throw new DomainError('order_credit_suspended', 409, { reason: credit.reason ?? '' });
    if (input.decision === 'accept' && rejected && !input.overruleReason)
      throw new FieldErrors([{ field: 'overruleReason', key: 'order_overrule_reason' }]);
    const signedAs: OrderSignerRole = r.ctx.actor.roles.includes('general_manager')
      ? 'general_manager'
      : role;
    const status = input.decision === 'accept' ? 'accepted' : 'rejected';
    const now = nowIso(t);
    await t.db
      .updateTable('orders')
      .set({
        status,
        approval_decision: input.decision,
        approved_role: signedAs,
        approved_by: r.ctx.actor.id,
        approved_at: now,
        approval_comment: input.comment,
        overrule_reason: input.decision === 'accept' && rejected ? input.overruleReason : null,
        credit_verdict: credit?.verdict ?? null,
        signer_role: role,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      {
        field: 'status',
        oldValue: repo.statusText(row.status),
        newValue: repo.statusText(status),
        note: [
          `${ORDER_SIGNER_LABELS[signedAs].zh}签署`,
          input.overruleReason ? `否决不接受意见：${input.overruleReason}` : null,
          input.comment,
        ]
          .filter(Boolean)
          .join('；'),
      },
    ]);
    await auditChange(t, row, 'order.approve', {
      decision: input.decision,
      role: signedAs,
      required: role,
      comment: input.comment,
      overruleReason: input.overruleReason,
      credit: credit ? { verdict: credit.verdict, reason: credit.reason } : null,
      reviews: reviews.map((v) => ({ department: v.department_name, decision: v.decision })),
    });
    const told = [...(await ownerIdsOf(t.db, row.customer_id)), row.created_by].filter(
      (p) => p !== r.ctx.actor.id,
    );
    if (told.length)
      await notify(t, told, {
        kind: 'order.signed',
        title: `订单 ${row.number}（${row.customer_name}）${status === 'accepted' ? '已接受' : '不接受'}`,
        link: link(id),
        secrecy: Number(row.customer_secrecy),
      });
    if (status === 'accepted')
      await creditAfterAcceptance(t, {
        id: row.customer_id,
        name: row.customer_name,
        archive_code: row.customer_code,
        department_id: row.customer_department_id,
        secrecy: Number(row.customer_secrecy),
      });
    // The signed 评审记录表 goes into the customer's archive (record.ts), in the same transaction.
    return fileOrderRecord(t, store, id);
  });
  await afterRecord(ctx, store, filed);
  return getOrder(ctx, id, { audit: false });
}

/** The order as visibility allows, before the signer role is known (404 when unseen). */
async function findForSigning(r: OrderReader, t: TxCtx, id: string) {
  return findVisible(r, id, t.db);
}

/** Cancels a draft or an order in review, with the reason. */
export async function cancelOrder(ctx: Ctx, id: string, reason: string): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'order.update');
    if (row.status !== 'draft' && row.status !== 'in_review') throw stateError(row.status);
    const now = nowIso(t);
    await t.db
      .updateTable('orders')
      .set({
        status: 'cancelled',
        cancelled_at: now,
        cancelled_by: r.ctx.actor.id,
        cancel_reason: reason,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      {
        field: 'status',
        oldValue: repo.statusText(row.status),
        newValue: repo.statusText('cancelled'),
        note: reason,
      },
    ]);
    await auditChange(t, row, 'order.cancel', { reason });
  });
  return getOrder(ctx, id, { audit: false });
}

/**
 * Takes a submitted order back to draft (撤回), by whoever submitted it or an owner of the
 * archive, while no department has answered (409 otherwise: an answer given is part of the
 * record and is not taken back). The reviews asked are deleted, as they were never given; the
 * departments asked are told; history and audit keep the submission and the withdrawal.
 */
export async function withdrawOrder(ctx: Ctx, id: string, note: string | null): Promise<Order> {
  const r = await orderReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'order.withdraw');
    if (row.status !== 'in_review') throw stateError(row.status);
    const reviews = await repo.reviewsOf(t.db, id);
    const answered = reviews.filter((v) => v.decision !== null);
    if (answered.length)
      throw new DomainError('order_withdraw_answered', 409, {
        departments: answered.map((v) => v.department_name).join('、'),
      });
    await t.db.deleteFrom('order_reviews').where('order_id', '=', id).execute();
    await t.db
      .updateTable('orders')
      .set({
        status: 'draft',
        route: null,
        signer_role: null,
        credit_verdict: null,
        submitted_at: null,
        submitted_by: null,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    const asked = reviews.map((v) => v.department_name).join('、');
    await repo.writeHistory(t, id, [
      {
        field: 'status',
        oldValue: repo.statusText('in_review'),
        newValue: repo.statusText('draft'),
        note: ['撤回评审', asked ? `撤销评审请求：${asked}` : null, note].filter(Boolean).join('；'),
      },
    ]);
    await auditChange(t, row, 'order.withdraw', {
      route: row.route,
      departments: reviews.map((v) => v.department_name),
      note,
    });
    const recipients = await reviewerPeople(
      t.db,
      reviews.map((v) => ({ id: v.department_id })),
    );
    const told = recipients.filter((p) => p !== r.ctx.actor.id);
    if (told.length)
      await notify(t, told, {
        kind: 'order.withdrawn',
        title: `订单 ${row.number}（${row.customer_name}）已撤回评审，无需评审`,
        body: note ?? undefined,
        link: link(id),
        secrecy: Number(row.customer_secrecy),
      });
  });
  return getOrder(ctx, id, { audit: false });
}
