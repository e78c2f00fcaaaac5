import { todayInShanghai } from '../../../common/time.js';
import {
  VISIT_CANCEL_REASON_LABELS,
  VISIT_TRIGGER_LABELS,
  type VisitCancelReason,
  type VisitRule,
  type VisitTrigger,
} from '../../../common/visits.js';
import type { VisitTaskTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { addDays, loadCalendar } from '../../platform/calendar.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { ownersOf } from '../customers/repo.js';
import { loadVisitSettings } from './config.js';

// Visit plans (R-V1): the events other modules report, in the transaction of the change that
// made them happen, and what they do to visit tasks. The customer archive reports filing, the
// first purchase, deactivation, merge, handover and changed owners; the cases module reports a
// closed complaint or service request; an interaction recorded by hand reports its kind. This
// file imports nothing of the visits' own services, so that the modules that call it do not
// import those (and through them, themselves) back.

const BATCH = 500;

interface Archive {
  id: string;
  status: string;
  secrecy: number;
  archive_code: string;
  name: string;
  first_purchase_date: string | null;
}

async function archiveOf(t: TxCtx, customerId: string): Promise<Archive | undefined> {
  const row = await t.db
    .selectFrom('customers')
    .select(['id', 'status', 'secrecy', 'archive_code', 'name', 'first_purchase_date'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row ? { ...row, secrecy: Number(row.secrecy) } : undefined;
}

/** Who visits for a rule: its named person when active and cleared for the archive, else the
 * archive's first owner (or nobody: the department's manager sees the task). */
async function assigneeFor(t: TxCtx, rule: VisitRule, archive: Archive): Promise<string | null> {
  if (rule.assigneeId) {
    const user = await t.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', rule.assigneeId)
      .where('active', '=', 1)
      .where('clearance', '>=', archive.secrecy)
      .executeTakeFirst();
    if (user) return user.id;
  }
  return (await ownersOf(t.db, [archive.id])).get(archive.id)?.[0]?.id ?? null;
}

interface PlanEvent {
  customerId: string;
  sourceType?: 'case' | 'interaction';
  sourceId?: string;
  caseKind?: string;
  interactionKind?: string;
}

/**
 * Creates the visit tasks of every active rule for the trigger, counted from today (Shanghai) in
 * the rule's days. A plan set off by the archive itself (filed, first purchase) is made once per
 * archive and rule. Returns how many tasks were made.
 */
async function plan(t: TxCtx, trigger: VisitTrigger, ev: PlanEvent): Promise<number> {
  const archive = await archiveOf(t, ev.customerId);
  if (!archive || (archive.status !== 'draft' && archive.status !== 'filed')) return 0;
  const rules = (await loadVisitSettings(t.db)).rules.filter(
    (r) =>
      r.active &&
      r.trigger === trigger &&
      (trigger !== 'case_closed' || !r.caseKind || r.caseKind === ev.caseKind) &&
      (trigger !== 'interaction' || r.interactionKind === ev.interactionKind),
  );
  if (rules.length === 0) return 0;
  const calendar = rules.some((r) => r.dayKind === 'working') ? await loadCalendar(t) : null;
  const base = todayInShanghai(t.now());
  const now = nowIso(t);
  let made = 0;
  for (const rule of rules) {
    const source = ev.sourceType ? `${ev.sourceType}:${ev.sourceId}:` : '';
    const keyOf = (step: number) => `${rule.id}:${source}${step}`;
    const exists = await t.db
      .selectFrom('visit_tasks')
      .select('id')
      .where('customer_id', '=', archive.id)
      .where('plan_key', '=', keyOf(1))
      .executeTakeFirst();
    if (exists) continue;
    const assignee = await assigneeFor(t, rule, archive);
    const rows: VisitTaskTable[] = rule.offsets.map((offset, i) => ({
      id: newId(),
      customer_id: archive.id,
      trigger,
      rule_id: rule.id,
      rule_name: rule.name,
      source_type: ev.sourceType ?? null,
      source_id: ev.sourceId ?? null,
      plan_key: keyOf(i + 1),
      step: i + 1,
      offset_days: offset,
      day_kind: rule.dayKind,
      base_date: base,
      due_date:
        rule.dayKind === 'working' && calendar
          ? calendar.addWorkingDays(base, offset)
          : addDays(base, offset),
      way: rule.way,
      assignee_id: assignee,
      status: 'open',
      note: null,
      visited_on: null,
      visit_way: null,
      contact: null,
      content: null,
      feedback: null,
      next_step: null,
      next_step_due: null,
      interaction_id: null,
      done_by: null,
      done_at: null,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      cancel_note: null,
      reminded_at: null,
      created_at: now,
      created_by: t.actor?.id ?? null,
      updated_at: now,
    }));
    await t.db.insertInto('visit_tasks').values(rows).execute();
    made += rows.length;
    await appendAudit(t, {
      action: 'visit.plan',
      targetType: 'customer',
      targetId: archive.id,
      targetLabel: `${archive.archive_code} ${archive.name}`,
      secrecy: archive.secrecy,
      details: {
        rule: rule.id,
        trigger: VISIT_TRIGGER_LABELS[trigger].zh,
        source: ev.sourceType ? { type: ev.sourceType, id: ev.sourceId } : null,
        assigneeId: assignee,
        dueDates: rows.map((r) => r.due_date),
      },
    });
  }
  return made;
}

/** The archive was filed (备案): a buyer's plan if a purchase is recorded, else a non-buyer's. */
export async function visitsOnFiled(t: TxCtx, customerId: string): Promise<number> {
  const archive = await archiveOf(t, customerId);
  if (!archive) return 0;
  return archive.first_purchase_date
    ? visitsOnFirstPurchase(t, customerId)
    : plan(t, 'filed', { customerId });
}

/** The first purchase was recorded on a filed archive (a draft's plan starts when it is filed):
 * the buyers' plan replaces what is still open of the non-buyers'. */
export async function visitsOnFirstPurchase(t: TxCtx, customerId: string): Promise<number> {
  const archive = await archiveOf(t, customerId);
  if (archive?.status !== 'filed') return 0;
  const made = await plan(t, 'first_purchase', { customerId });
  if (made > 0) await cancelWhere(t, customerId, 'purchased', (q) => q.where('trigger', '=', 'filed'));
  return made;
}

/** A complaint or service request of the archive was closed (R-Q5 → R-V1). */
export async function visitsOnCaseClosed(
  t: TxCtx,
  c: { caseId: string; customerId: string; kind: string },
): Promise<number> {
  return plan(t, 'case_closed', {
    customerId: c.customerId,
    sourceType: 'case',
    sourceId: c.caseId,
    caseKind: c.kind,
  });
}

/** An interaction was recorded by hand (a visit's own interaction sets nothing off). */
export async function visitsOnInteraction(
  t: TxCtx,
  i: { customerId: string; interactionId: string; kind: string },
): Promise<number> {
  return plan(t, 'interaction', {
    customerId: i.customerId,
    sourceType: 'interaction',
    sourceId: i.interactionId,
    interactionKind: i.kind,
  });
}

type TaskQuery = ReturnType<typeof openTasks>;
function openTasks(t: TxCtx, customerId: string) {
  return t.db.updateTable('visit_tasks').where('customer_id', '=', customerId).where('status', '=', 'open');
}

async function cancelWhere(
  t: TxCtx,
  customerId: string,
  reason: VisitCancelReason,
  narrow: (q: TaskQuery) => TaskQuery = (q) => q,
): Promise<number> {
  const now = nowIso(t);
  const result = await narrow(openTasks(t, customerId))
    .set({
      status: 'cancelled',
      cancelled_at: now,
      cancelled_by: t.actor?.id ?? null,
      cancel_reason: reason,
      updated_at: now,
    })
    .executeTakeFirst();
  const n = Number(result.numUpdatedRows);
  if (n > 0) {
    const archive = await archiveOf(t, customerId);
    await appendAudit(t, {
      action: 'visit.cancel',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: archive ? `${archive.archive_code} ${archive.name}` : null,
      secrecy: archive?.secrecy ?? 0,
      details: { tasks: n, reason: VISIT_CANCEL_REASON_LABELS[reason].zh },
    });
  }
  return n;
}

/** The archive was deactivated: its open tasks are cancelled until it is reactivated. */
export async function visitsOnDeactivated(t: TxCtx, customerId: string): Promise<number> {
  return cancelWhere(t, customerId, 'deactivated');
}

/** The archive was reactivated: the tasks its deactivation cancelled are open again, with their
 * due dates (a date already past shows as overdue: the visit was never made). */
export async function visitsOnReactivated(t: TxCtx, customerId: string): Promise<number> {
  const now = nowIso(t);
  const result = await t.db
    .updateTable('visit_tasks')
    .set({
      status: 'open',
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      updated_at: now,
    })
    .where('customer_id', '=', customerId)
    .where('status', '=', 'cancelled')
    .where('cancel_reason', '=', 'deactivated')
    .executeTakeFirst();
  const n = Number(result.numUpdatedRows);
  if (n > 0) {
    const archive = await archiveOf(t, customerId);
    await appendAudit(t, {
      action: 'visit.reopen',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: archive ? `${archive.archive_code} ${archive.name}` : null,
      secrecy: archive?.secrecy ?? 0,
      details: { tasks: n, reason: '档案重新启用' },
    });
  }
  return n;
}

/**
 * `sourceId` was merged into `targetId`: its tasks move to the survivor, except open ones the
 * survivor already has (the same visit of the same plan), which are cancelled as duplicates.
 */
export async function visitsOnMerged(t: TxCtx, sourceId: string, targetId: string): Promise<number> {
  const targetKeys = new Set(
    (
      await t.db
        .selectFrom('visit_tasks')
        .select('plan_key')
        .where('customer_id', '=', targetId)
        .where('status', '!=', 'cancelled')
        .execute()
    ).map((r) => r.plan_key),
  );
  const open = await t.db
    .selectFrom('visit_tasks')
    .select(['id', 'plan_key'])
    .where('customer_id', '=', sourceId)
    .where('status', '=', 'open')
    .execute();
  const duplicates = open.filter((r) => targetKeys.has(r.plan_key)).map((r) => r.id);
  for (let i = 0; i < duplicates.length; i += BATCH) {
    const ids = duplicates.slice(i, i + BATCH);
    await cancelWhere(t, sourceId, 'merged_duplicate', (q) => q.where('id', 'in', ids));
  }
  const moved = Number(
    (
      await t.db
        .updateTable('visit_tasks')
        .set({ customer_id: targetId, updated_at: nowIso(t) })
        .where('customer_id', '=', sourceId)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  if (moved > 0) {
    const target = await archiveOf(t, targetId);
    const source = await archiveOf(t, sourceId);
    await appendAudit(t, {
      action: 'visit.move',
      targetType: 'customer',
      targetId,
      targetLabel: target ? `${target.archive_code} ${target.name}` : null,
      secrecy: Math.max(target?.secrecy ?? 0, source?.secrecy ?? 0),
      details: { from: source?.archive_code ?? sourceId, tasks: moved, duplicates: duplicates.length },
    });
  }
  return moved;
}

/** Archives were handed over: their open tasks assigned to the person leaving go to the successor. */
export async function visitsOnHandover(
  t: TxCtx,
  fromUserId: string,
  pairs: readonly (readonly [customerId: string, toUserId: string])[],
): Promise<number> {
  let moved = 0;
  const bySuccessor = new Map<string, string[]>();
  for (const [customerId, to] of pairs) bySuccessor.set(to, [...(bySuccessor.get(to) ?? []), customerId]);
  for (const [to, customers] of bySuccessor)
    for (let i = 0; i < customers.length; i += BATCH)
      moved += Number(
        (
          await t.db
            .updateTable('visit_tasks')
            .set({ assignee_id: to, updated_at: nowIso(t) })
            .where('customer_id', 'in', customers.slice(i, i + BATCH))
            .where('status', '=', 'open')
            .where('assignee_id', '=', fromUserId)
            .executeTakeFirst()
        ).numUpdatedRows,
      );
  if (moved > 0)
    await appendAudit(t, {
      action: 'visit.move',
      targetType: 'user',
      targetId: fromUserId,
      details: {
        tasks: moved,
        successors: [...bySuccessor.entries()].map(([id, c]) => ({ id, customers: c.length })),
      },
    });
  return moved;
}

/** The archive's owners changed: open tasks of people no longer owners go to its first owner. */
export async function visitsOnOwnersChanged(
  t: TxCtx,
  customerId: string,
  removed: readonly string[],
): Promise<number> {
  if (removed.length === 0) return 0;
  const first = (await ownersOf(t.db, [customerId])).get(customerId)?.[0]?.id;
  if (!first) return 0;
  const n = Number(
    (
      await openTasks(t, customerId)
        .set({ assignee_id: first, updated_at: nowIso(t) })
        .where('assignee_id', 'in', [...removed])
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  if (n > 0) {
    const archive = await archiveOf(t, customerId);
    await appendAudit(t, {
      action: 'visit.move',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: archive ? `${archive.archive_code} ${archive.name}` : null,
      secrecy: archive?.secrecy ?? 0,
      details: { tasks: n, from: removed, to: first },
    });
  }
  return n;
}
