import { type SqlBool, sql } from 'kysely';
import {
  AMENDMENT_FIELD_CATEGORY,
  type AmendmentCategory,
  type AmendmentField,
  type AmendmentStatus,
  amendmentTitle,
} from '../../../common/order-amendments.js';
import type { OrderApprovalDecision, OrderReviewDecision, OrderSignerRole } from '../../../common/orders.js';
import type { Amendment } from '../../../common/schemas/order-amendments.js';
import type { Db } from '../../db/index.js';
import { can } from '../../platform/policy/index.js';
import type { OrderResource } from '../../platform/policy/rules.js';
import { type OrderReader, type OrderSubject, orderResourceWith } from './access.js';
import * as repo from './repo.js';
import { signableBy } from './service.js';

// Reading amendments (R-K4): an order's amendments with their reviews and 合同更改通知单 in three
// queries (no query per amendment), prices in the difference hidden from readers who may not see
// the order's prices; and the amendment counts of 我的待办. Changes are in amendments.ts.

/** One change as stored: raw values (a price's too; hidden on reading). */
export interface StoredChange {
  field: AmendmentField;
  lineNo: number | null;
  before: string | null;
  after: string | null;
}

export function parseChanges(text: string): StoredChange[] {
  try {
    return JSON.parse(text) as StoredChange[];
  } catch {
    return [];
  }
}

export async function amendmentReviewsOf(db: Db, orderId: string) {
  return db
    .selectFrom('order_amendment_reviews as v')
    .innerJoin('departments as d', 'd.id', 'v.department_id')
    .selectAll('v')
    .select(['d.name as department_name', 'd.code as department_code'])
    .where('v.order_id', '=', orderId)
    .orderBy('d.sort_order')
    .orderBy('d.name')
    .execute();
}

/** The amendments of an order as the reader may see them, oldest first. */
export async function amendmentsOf(
  r: OrderReader,
  subject: OrderSubject,
  orderId: string,
  owners: readonly string[],
  prices: boolean,
  orderStatus: string,
): Promise<Amendment[]> {
  const db = r.ctx.db;
  const rows = await db
    .selectFrom('order_amendments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  if (rows.length === 0) return [];
  const [reviews, notices] = await Promise.all([
    amendmentReviewsOf(db, orderId),
    db
      .selectFrom('order_amendment_notices as n')
      .innerJoin('departments as d', 'd.id', 'n.department_id')
      .selectAll('n')
      .select('d.name as department_name')
      .where('n.order_id', '=', orderId)
      .orderBy('d.sort_order')
      .orderBy('d.name')
      .execute(),
  ]);
  const names = await repo.namesOf(db, [
    ...rows.flatMap((a) => [a.created_by, a.signed_by]),
    ...reviews.map((v) => v.reviewed_by),
    ...notices.map((n) => n.acknowledged_by),
  ]);
  const person = (pid: string | null) => (pid ? { id: pid, name: names.get(pid) ?? pid } : null);
  const may = (
    action: 'order.review' | 'order.approve' | 'order.acknowledge',
    extra: Partial<OrderResource>,
  ) => can(r.ctx.actor, action, { ...orderResourceWith(r, subject, owners), ...extra });
  return rows.map((a) => {
    const open = a.status === 'in_review';
    const mine = reviews.filter((v) => v.amendment_id === a.id);
    const issued = notices.filter((n) => n.amendment_id === a.id);
    return {
      id: a.id,
      seq: Number(a.seq),
      title: amendmentTitle(Number(a.seq)),
      status: a.status as AmendmentStatus,
      reason: a.reason,
      createdAt: a.created_at,
      createdBy: person(a.created_by),
      categories: JSON.parse(a.categories) as AmendmentCategory[],
      changes: parseChanges(a.changes).map((c) => {
        const hidden = c.field === 'unitPrice' && !prices;
        return {
          field: c.field,
          category: AMENDMENT_FIELD_CATEGORY[c.field],
          lineNo: c.lineNo ?? null,
          before: hidden ? null : c.before,
          after: hidden ? null : c.after,
          hidden,
        };
      }),
      reviews: mine.map((v) => ({
        id: v.id,
        department: { id: v.department_id, name: v.department_name },
        requestedAt: v.requested_at,
        decision: (v.decision as OrderReviewDecision | null) ?? null,
        condition: v.condition,
        comment: v.comment,
        reviewedAt: v.reviewed_at,
        reviewedBy: person(v.reviewed_by),
        canReview:
          open &&
          orderStatus === 'accepted' &&
          may('order.review', {
            inReviewDepartment: r.ctx.actor.departmentId === v.department_id,
            managesReviewDepartment: r.scope.departmentIds.includes(v.department_id),
          }),
      })),
      signerRole: a.signer_role as OrderSignerRole,
      signature:
        a.decision && a.signed_at
          ? {
              decision: a.decision as OrderApprovalDecision,
              role: (a.signed_role as OrderSignerRole | null) ?? (a.signer_role as OrderSignerRole),
              by: person(a.signed_by),
              at: a.signed_at,
              comment: a.sign_comment,
              overruleReason: a.overrule_reason,
            }
          : null,
      notice: issued.length
        ? {
            issuedAt: issued[0]?.issued_at ?? a.signed_at ?? a.created_at,
            departments: issued.map((n) => ({
              department: { id: n.department_id, name: n.department_name },
              acknowledgedAt: n.acknowledged_at,
              acknowledgedBy: person(n.acknowledged_by),
              canAcknowledge:
                !n.acknowledged_at &&
                may('order.acknowledge', {
                  inReviewDepartment: r.ctx.actor.departmentId === n.department_id,
                }),
            })),
          }
        : null,
      can: {
        sign:
          open &&
          orderStatus === 'accepted' &&
          mine.every((v) => v.decision !== null) &&
          may('order.approve', { signerRole: a.signer_role }),
      },
    };
  });
}

/** 我的待办 for amendments: reviews of the reader's departments, signatures, notices to confirm.
 * `visible` is the reader's orders (aliased `o`, archive `c`), as service.ts `filtered` gives. */
export async function amendmentTodo(
  r: OrderReader,
  visible: () => repo.OrderQuery,
): Promise<{ amendmentsToReview: number; amendmentsToSign: number; noticesToAcknowledge: number }> {
  const me = r.ctx.actor;
  const manager = me.roles.includes('department_manager');
  const reviewDepts = manager ? r.scope.departmentIds : me.departmentId ? [me.departmentId] : [];
  const toReview = reviewDepts.length
    ? await visible()
        .where('o.status', '=', 'accepted')
        .innerJoin('order_amendment_reviews as tav', 'tav.order_id', 'o.id')
        .innerJoin('order_amendments as ta', 'ta.id', 'tav.amendment_id')
        .where('ta.status', '=', 'in_review')
        .where('tav.department_id', 'in', reviewDepts)
        .where('tav.decision', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    : { n: 0 };
  const toAcknowledge = me.departmentId
    ? await visible()
        .innerJoin('order_amendment_notices as tan', 'tan.order_id', 'o.id')
        .where('tan.department_id', '=', me.departmentId)
        .where('tan.acknowledged_at', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    : { n: 0 };
  // Signatures: the amendment's own signer role decides, as the order's does (service.orderTodo).
  const toSign = await visible()
    .where('o.status', '=', 'accepted')
    .innerJoin('order_amendments as sa', 'sa.order_id', 'o.id')
    .where('sa.status', '=', 'in_review')
    .where(
      sql<SqlBool>`not exists (select 1 from order_amendment_reviews sav where sav.amendment_id = sa.id and sav.decision is null)`,
    )
    .where((eb) => signableBy(r, eb, 'sa.signer_role'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    amendmentsToReview: Number(toReview.n),
    amendmentsToSign: Number(toSign.n),
    noticesToAcknowledge: Number(toAcknowledge.n),
  };
}
