import {
  type ClassProposal,
  CREDIT_REQUEST_KIND_LABELS,
  CREDIT_REQUEST_STATUS_LABELS,
  type CreditApprover,
  type CreditRequestKind,
  type CreditRequestStatus,
  cents,
  type InvestigationKind,
  type InvestigationSource,
  proposeClass,
  yuan,
} from '../../../common/credit.js';
import { CREDIT_CLASS_LABELS, type CreditClass } from '../../../common/customers.js';
import type {
  AdmissionInput,
  BalanceInput,
  CreditCard,
  CreditRequestInput,
  InvestigationInput,
} from '../../../common/schemas/credit.js';
import type { Db } from '../../db/index.js';
import type { CreditAdmissionTable, CreditRequestTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { type Action, authorize, can } from '../../platform/policy/index.js';
import type { CreditResource } from '../../platform/policy/rules.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { recordBlob } from '../../platform/uploads.js';
import { recordCustomerEvent } from '../customers/service.js';
import { namesOf } from '../orders/repo.js';
import { managersAbove } from '../orders/workflow.js';
import {
  type CreditCustomer,
  type CreditReader,
  creditReader,
  creditResource,
  loadCustomer,
  seesAmounts,
} from './access.js';
import { creditState, ensureCredit, reassess, sharePercent, toCents } from './exposure.js';

// Credit management and admission (R-A4, seed 004 第五条–第十一条): the customer's credit card
// (limit, exposure, class and what the criteria propose, 暂停供货), dated balances, 信用调查 with
// attachments, requests for a limit or a class and their approval, admission of a new customer
// with its 客户交易卡, and 危险客户报告. Every read and change is audited on the customer archive
// (its secrecy); a decided class writes the archive's credit_class with a history entry.

const label = (c: Pick<CreditCustomer, 'name' | 'archive_code'>) => `${c.archive_code} ${c.name}`;

async function audit(t: Ctx, c: CreditCustomer, action: string, details: Record<string, unknown>) {
  await appendAudit(t, {
    action,
    targetType: 'customer',
    targetId: c.id,
    targetLabel: label(c),
    secrecy: c.secrecy,
    details,
  });
}

/** Loads the customer (404 if unseen) and checks the action (403). */
async function acting(
  r: CreditReader,
  db: Db,
  id: string,
  action: Action,
  extra: Pick<CreditResource, 'approverRole' | 'requester'> = {},
): Promise<CreditCustomer> {
  const c = await loadCustomer(r, id, db);
  authorize(r.ctx, action, { type: 'customer', id, resource: creditResource(r, c, extra) });
  return c;
}

const years = (from: string | null | undefined, to: string): number | null => {
  if (!from) return null;
  const n = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? n - 1 : n;
};

/** The class the criteria propose for the customer now (第九条). */
export async function proposalFor(r: CreditReader, db: Db, c: CreditCustomer): Promise<ClassProposal> {
  const inv = await db
    .selectFrom('credit_investigations')
    .select(['founded_on', 'staff_count', 'wholesaler', 'past_default'])
    .where('customer_id', '=', c.id)
    .orderBy('investigated_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const first = <K extends 'founded_on' | 'staff_count' | 'wholesaler' | 'past_default'>(k: K) =>
    inv.find((x) => x[k] !== null)?.[k] ?? null;
  const card = await db
    .selectFrom('credit_admissions')
    .select('card')
    .where('customer_id', '=', c.id)
    .where('status', '=', 'approved')
    .orderBy('decided_at', 'desc')
    .executeTakeFirst();
  const openedOn = card ? (JSON.parse(card.card) as { openedOn?: string }).openedOn : undefined;
  const balance = await db
    .selectFrom('credit_balances')
    .select(['receivables', 'unsettled_bills', 'overdue_days'])
    .where('customer_id', '=', c.id)
    .orderBy('as_of', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const danger = await db
    .selectFrom('credit_danger_reports')
    .select('id')
    .where('customer_id', '=', c.id)
    .executeTakeFirst();
  const staff = first('staff_count');
  return proposeClass(
    {
      staffCount: staff !== null ? Number(staff) : c.staff_count,
      yearsTrading: years(c.first_purchase_date, r.today),
      yearsFounded: years((first('founded_on') as string | null) ?? openedOn ?? null, r.today),
      overdueDays: balance ? Number(balance.overdue_days) : 0,
      balanceCents: (toCents(balance?.receivables) ?? 0n) + (toCents(balance?.unsettled_bills) ?? 0n),
      wholesaler: first('wholesaler') === 1,
      pastDefault: first('past_default') === 1 || !!danger,
    },
    r.settings.criteria,
  );
}

/** The customer's credit card (the 信用 tab): amounts only to readers who may see them. */
export async function getCredit(ctx: Ctx, id: string): Promise<CreditCard> {
  const r = await creditReader(ctx);
  const db = r.ctx.db;
  const c = await loadCustomer(r, id);
  const amounts = seesAmounts(r, c);
  const show = (v: bigint | null) => (amounts && v !== null ? yuan(v) : null);
  const state = await creditState(db, id, r.settings);
  const res = creditResource(r, c);
  const me = r.ctx.actor.id;
  const [balances, investigations, files, requests, admissions, dangers, history] = await Promise.all([
    db
      .selectFrom('credit_balances')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('as_of', 'desc')
      .orderBy('created_at', 'desc')
      .limit(24)
      .execute(),
    db
      .selectFrom('credit_investigations')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('investigated_on', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('credit_files as f')
      .innerJoin('credit_investigations as i', 'i.id', 'f.investigation_id')
      .select(['f.id', 'f.investigation_id', 'f.name', 'f.size'])
      .where('i.customer_id', '=', id)
      .orderBy('f.created_at')
      .execute(),
    db
      .selectFrom('credit_requests')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('requested_at', 'desc')
      .execute(),
    db
      .selectFrom('credit_admissions')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('requested_at', 'desc')
      .execute(),
    db
      .selectFrom('credit_danger_reports')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('reported_on', 'desc')
      .execute(),
    db
      .selectFrom('customer_history')
      .select(['at', 'actor_name', 'old_value', 'new_value', 'note'])
      .where('customer_id', '=', id)
      .where('field', '=', 'creditClass')
      .orderBy('at', 'desc')
      .execute(),
  ]);
  const names = await namesOf(db, [
    ...balances.map((b) => b.created_by),
    ...investigations.map((i) => i.created_by),
    ...requests.flatMap((q) => [q.requested_by, q.decided_by]),
    ...admissions.flatMap((a) => [a.requested_by, a.decided_by]),
    ...dangers.map((d) => d.created_by),
    state.credit?.suspended_by,
  ]);
  const who = (uid: string | null | undefined) => (uid ? { id: uid, name: names.get(uid) ?? '' } : null);
  const classText = (v: string | null) => {
    const k = v ? (JSON.parse(v) as CreditClass | null) : null;
    return k ? (CREDIT_CLASS_LABELS[k]?.zh ?? k) : null;
  };
  const mayDecide = (approverRole: string, requestedBy: string) =>
    can(r.ctx.actor, 'credit.decide', { ...res, approverRole, requester: requestedBy === me });
  const card: CreditCard = {
    customer: { id: c.id, name: c.name, archiveCode: c.archive_code },
    amountsVisible: amounts,
    creditLimit: show(state.limit),
    receivables: show(state.receivables),
    unsettledBills: show(state.unsettled),
    openOrders: show(state.open),
    exposure: amounts ? yuan(state.exposure) : null,
    balanceAsOf: state.asOf,
    overdueDays: state.overdueDays,
    share: sharePercent(state.exposure, state.limit),
    level: state.level,
    warnPercent: r.settings.warnPercent,
    creditClass: (c.credit_class as CreditClass | null) ?? null,
    proposal: await proposalFor(r, db, c),
    suspended:
      state.credit?.suspended === 1
        ? {
            at: state.credit.suspended_at,
            by: who(state.credit.suspended_by),
            reason: state.credit.suspend_reason,
          }
        : null,
    balances: balances.map((b) => ({
      id: b.id,
      asOf: b.as_of,
      receivables: show(toCents(b.receivables)),
      unsettledBills: show(toCents(b.unsettled_bills)),
      overdueDays: Number(b.overdue_days),
      source: b.source,
      note: b.note,
      createdBy: who(b.created_by),
      createdAt: b.created_at,
    })),
    investigations: investigations.map((i) => ({
      id: i.id,
      kind: i.kind as InvestigationKind,
      investigatedOn: i.investigated_on,
      sources: JSON.parse(i.sources) as InvestigationSource[],
      management: i.management,
      internal: i.internal,
      funding: i.funding,
      payment: i.payment,
      conclusion: i.conclusion,
      foundedOn: i.founded_on,
      staffCount: i.staff_count === null ? null : Number(i.staff_count),
      wholesaler: i.wholesaler === null ? null : i.wholesaler === 1,
      pastDefault: i.past_default === null ? null : i.past_default === 1,
      files: files
        .filter((f) => f.investigation_id === i.id)
        .map((f) => ({ id: f.id, name: f.name, size: Number(f.size) })),
      createdBy: who(i.created_by),
      createdAt: i.created_at,
    })),
    requests: requests.map((q) => ({
      id: q.id,
      kind: q.kind as CreditRequestKind,
      creditLimit: q.kind === 'limit' ? show(toCents(q.credit_limit)) : null,
      creditClass: (q.credit_class as CreditClass | null) ?? null,
      proposal: q.proposal ? (JSON.parse(q.proposal) as ClassProposal) : null,
      reason: q.reason,
      approverRole: q.approver_role as CreditApprover,
      status: q.status as CreditRequestStatus,
      requestedBy: who(q.requested_by),
      requestedAt: q.requested_at,
      decidedBy: who(q.decided_by),
      decidedAt: q.decided_at,
      comment: q.decision_comment,
      canDecide: q.status === 'pending' && mayDecide(q.approver_role, q.requested_by),
    })),
    admissions: admissions.map((a) => ({
      id: a.id,
      card: JSON.parse(a.card),
      paymentTerms: a.payment_terms,
      conditions: a.conditions,
      requestedLimit: show(toCents(a.requested_limit)),
      status: a.status as CreditRequestStatus,
      requestedBy: who(a.requested_by),
      requestedAt: a.requested_at,
      decidedBy: who(a.decided_by),
      decidedAt: a.decided_at,
      comment: a.decision_comment,
      canDecide: a.status === 'pending' && mayDecide('department_manager', a.requested_by),
    })),
    dangerReports: dangers.map((d) => ({
      id: d.id,
      reportedOn: d.reported_on,
      cause: d.cause,
      details: d.details,
      measures: d.measures,
      createdBy: who(d.created_by),
    })),
    classHistory: history.map((h) => ({
      at: h.at,
      actorName: h.actor_name,
      from: classText(h.old_value),
      to: classText(h.new_value),
      note: h.note,
    })),
    can: {
      balance: can(r.ctx.actor, 'credit.balance', res),
      investigate: can(r.ctx.actor, 'credit.investigate', res),
      request: can(r.ctx.actor, 'credit.request', res),
      suspend: state.credit?.suspended !== 1 && can(r.ctx.actor, 'credit.suspend', res),
      resume: state.credit?.suspended === 1 && can(r.ctx.actor, 'credit.resume', res),
      admit: can(r.ctx.actor, 'credit.admit', res),
      danger: can(r.ctx.actor, 'credit.danger', res),
    },
  };
  await audit(r.ctx, c, 'credit.read', { amounts });
  return card;
}

// Balances ----------------------------------------------------------------------------------------

/** Writes one dated balance (entry or import) in the caller's transaction, audited. */
export async function writeBalance(
  r: CreditReader,
  t: TxCtx,
  c: CreditCustomer,
  input: BalanceInput,
  source: 'entry' | 'import',
): Promise<string> {
  if (input.asOf > r.today) throw new DomainError('credit_balance_future', 422, { today: r.today }, 'asOf');
  const id = newId();
  await t.db
    .insertInto('credit_balances')
    .values({
      id,
      customer_id: c.id,
      as_of: input.asOf,
      receivables: yuan(cents(input.receivables)),
      unsettled_bills: yuan(cents(input.unsettledBills)),
      overdue_days: input.overdueDays,
      source,
      note: input.note,
      created_by: r.ctx.actor.id,
      created_at: nowIso(t),
    })
    .execute();
  await audit(t, c, 'credit.balance', {
    asOf: input.asOf,
    receivables: input.receivables,
    unsettledBills: input.unsettledBills,
    overdueDays: input.overdueDays,
    source,
  });
  await reassess(t, c, r.settings);
  return id;
}

export async function addBalance(ctx: Ctx, id: string, input: BalanceInput): Promise<CreditCard> {
  const r = await creditReader(ctx);
  await tx(r.ctx, async (t) => {
    const c = await acting(r, t.db, id, 'credit.balance');
    await writeBalance(r, t, c, input, 'entry');
  });
  return getCredit(ctx, id);
}

// Investigations (信用调查) ------------------------------------------------------------------------

export async function addInvestigation(ctx: Ctx, id: string, input: InvestigationInput): Promise<CreditCard> {
  const r = await creditReader(ctx);
  await tx(r.ctx, async (t) => {
    const c = await acting(r, t.db, id, 'credit.investigate');
    const invId = newId();
    const flag = (v: boolean | null | undefined) => (v === null || v === undefined ? null : v ? 1 : 0);
    await t.db
      .insertInto('credit_investigations')
      .values({
        id: invId,
        customer_id: id,
        kind: input.kind,
        investigated_on: input.investigatedOn,
        sources: JSON.stringify(input.sources),
        management: input.management,
        internal: input.internal,
        funding: input.funding,
        payment: input.payment,
        conclusion: input.conclusion,
        founded_on: input.foundedOn ?? null,
        staff_count: input.staffCount ?? null,
        wholesaler: flag(input.wholesaler),
        past_default: flag(input.pastDefault),
        created_by: r.ctx.actor.id,
        created_at: nowIso(t),
      })
      .execute();
    await audit(t, c, 'credit.investigate', { investigationId: invId, ...input });
    // 第七条: the findings go to the superior; an urgent report at once.
    const managers = await managersAbove(t.db, c.department_id);
    if (managers.length)
      await notify(
        t,
        managers.filter((m) => m !== r.ctx.actor.id),
        {
          kind: 'credit.investigation',
          title: `${input.kind === 'urgent' ? '【紧急】' : ''}客户 ${c.name} 的信用调查报告`,
          body: input.conclusion,
          link: `/customers/${id}?tab=credit`,
          secrecy: c.secrecy,
        },
      );
  });
  return getCredit(ctx, id);
}

/** The investigation (of a customer the reader sees) and its customer; 404 otherwise. */
export async function loadInvestigation(r: CreditReader, db: Db, investigationId: string) {
  const inv = await db
    .selectFrom('credit_investigations')
    .selectAll()
    .where('id', '=', investigationId)
    .executeTakeFirst();
  if (!inv) throw notFound();
  const c = await loadCustomer(r, inv.customer_id, db);
  return { inv, c };
}

export async function addInvestigationFile(
  ctx: Ctx,
  investigationId: string,
  blob: StoredBlob,
  name: string,
): Promise<{ id: string; name: string; size: number }> {
  const r = await creditReader(ctx);
  return tx(r.ctx, async (t) => {
    const { c } = await loadInvestigation(r, t.db, investigationId);
    authorize(r.ctx, 'credit.investigate', { type: 'customer', id: c.id, resource: creditResource(r, c) });
    const id = newId();
    const now = nowIso(t);
    await recordBlob(t.db, blob, now);
    await t.db
      .insertInto('credit_files')
      .values({
        id,
        investigation_id: investigationId,
        sha256: blob.sha256,
        name,
        size: blob.size,
        mime: blob.mime,
        created_by: r.ctx.actor.id,
        created_at: now,
      })
      .execute();
    await audit(t, c, 'credit.file_upload', { investigationId, fileId: id, name, sha256: blob.sha256 });
    return { id, name, size: blob.size };
  });
}

export async function openInvestigationFile(
  ctx: Ctx,
  store: BlobStore,
  investigationId: string,
  fileId: string,
) {
  const r = await creditReader(ctx);
  const { c } = await loadInvestigation(r, r.ctx.db, investigationId);
  const file = await r.ctx.db
    .selectFrom('credit_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('investigation_id', '=', investigationId)
    .executeTakeFirst();
  if (!file) throw notFound();
  if (!store.has(file.sha256)) throw new DomainError('file_missing', 410);
  await audit(r.ctx, c, 'credit.file_download', { investigationId, fileId, name: file.name });
  return file;
}

// Requests: a limit or a class, approved ------------------------------------------------------------

async function approversOf(t: TxCtx, c: CreditCustomer, role: CreditApprover): Promise<string[]> {
  return role === 'general_manager'
    ? activeUsersWithRoles(t.db, ['general_manager'])
    : managersAbove(t.db, c.department_id);
}

export async function requestCredit(ctx: Ctx, id: string, input: CreditRequestInput): Promise<CreditCard> {
  const r = await creditReader(ctx);
  await tx(r.ctx, async (t) => {
    const c = await acting(r, t.db, id, 'credit.request');
    const open = await t.db
      .selectFrom('credit_requests')
      .select('id')
      .where('customer_id', '=', id)
      .where('kind', '=', input.kind)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (open)
      throw new DomainError('credit_request_open', 409, { kind: CREDIT_REQUEST_KIND_LABELS[input.kind].zh });
    // 第九条 3: above the amount the general manager decides a limit; a class, the sales manager.
    const approver: CreditApprover =
      input.kind === 'limit' && cents(input.creditLimit) > cents(r.settings.gmAmount)
        ? 'general_manager'
        : 'department_manager';
    const proposal = input.kind === 'class' ? await proposalFor(r, t.db, c) : null;
    const reqId = newId();
    await t.db
      .insertInto('credit_requests')
      .values({
        id: reqId,
        customer_id: id,
        kind: input.kind,
        credit_limit: input.kind === 'limit' ? yuan(cents(input.creditLimit)) : null,
        credit_class: input.kind === 'class' ? input.creditClass : null,
        proposal: proposal ? JSON.stringify(proposal) : null,
        reason: input.reason,
        approver_role: approver,
        status: 'pending',
        requested_by: r.ctx.actor.id,
        requested_at: nowIso(t),
        decided_by: null,
        decided_at: null,
        decision_comment: null,
      })
      .execute();
    await audit(t, c, 'credit.request', { requestId: reqId, ...input, approver, proposal });
    await notify(
      t,
      (await approversOf(t, c, approver)).filter((p) => p !== r.ctx.actor.id),
      {
        kind: 'credit.request',
        title: `请审批客户 ${c.name} 的${CREDIT_REQUEST_KIND_LABELS[input.kind].zh}申请`,
        body: input.reason,
        link: `/customers/${id}?tab=credit`,
        secrecy: c.secrecy,
      },
    );
  });
  return getCredit(ctx, id);
}

type Decision = { decision: 'approve' | 'reject'; comment: string | null };
interface Decidable {
  id: string;
  customer_id: string;
  status: string;
  requested_by: string;
}

/**
 * A request or an admission decided: the customer seen (404), the approver's rule (403; nobody but
 * the general manager decides their own), still pending (409, also against a decision made
 * meanwhile), then `apply` for an approval, the audit entry and the requester told.
 */
async function decide<T extends Decidable>(
  ctx: Ctx,
  table: 'credit_requests' | 'credit_admissions',
  id: string,
  input: Decision,
  what: (row: T) => { approverRole: string; title: string; details: Record<string, unknown> },
  apply: (t: TxCtx, c: CreditCustomer, row: T, now: string) => Promise<void>,
): Promise<CreditCard> {
  const r = await creditReader(ctx);
  const customerId = await tx(r.ctx, async (t) => {
    const row = (await t.db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()) as
      | T
      | undefined;
    if (!row) throw notFound();
    const c = await loadCustomer(r, row.customer_id, t.db);
    const { approverRole, title, details } = what(row);
    const resource = creditResource(r, c, { approverRole, requester: row.requested_by === r.ctx.actor.id });
    if (resource.requester && !r.ctx.actor.roles.includes('general_manager'))
      throw new DomainError('credit_own_request', 403);
    authorize(r.ctx, 'credit.decide', { type: 'customer', id: c.id, resource });
    const state = (status: string) =>
      new DomainError('credit_request_state', 409, {
        status: CREDIT_REQUEST_STATUS_LABELS[status as CreditRequestStatus]?.zh ?? status,
      });
    if (row.status !== 'pending') throw state(row.status);
    const now = nowIso(t);
    const status = input.decision === 'approve' ? 'approved' : 'rejected';
    const taken = await t.db
      .updateTable(table)
      .set({ status, decided_by: r.ctx.actor.id, decided_at: now, decision_comment: input.comment })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) throw state('approved');
    if (status === 'approved') await apply(t, c, row, now);
    await audit(t, c, table === 'credit_requests' ? 'credit.decide' : 'credit.admission_decide', {
      id,
      ...details,
      decision: input.decision,
      comment: input.comment,
    });
    await notify(
      t,
      [row.requested_by].filter((p) => p !== r.ctx.actor.id),
      {
        kind: 'credit.decided',
        title: `${title}${status === 'approved' ? '已批准' : '未批准'}`,
        body: input.comment,
        link: `/customers/${c.id}?tab=credit`,
        secrecy: c.secrecy,
      },
    );
    await reassess(t, c, r.settings);
    return c.id;
  });
  return getCredit(ctx, customerId);
}

/** Sets the customer's limit (an approved limit request or admission), noted in its history
 * without the amount (the archive's history is read by all its readers). */
async function setLimit(t: TxCtx, c: CreditCustomer, amount: string | number, now: string, note: string) {
  await ensureCredit(t, c.id);
  await t.db
    .updateTable('customer_credit')
    .set({
      credit_limit: amount,
      limit_approved_at: now,
      limit_approved_by: t.actor?.id ?? null,
      updated_at: now,
    })
    .where('customer_id', '=', c.id)
    .execute();
  await recordCustomerEvent(t, c.id, { kind: 'credit', field: 'creditLimit', newValue: null, note });
}

export function decideRequest(ctx: Ctx, requestId: string, input: Decision): Promise<CreditCard> {
  return decide<CreditRequestTable>(
    ctx,
    'credit_requests',
    requestId,
    input,
    (q) => ({
      approverRole: q.approver_role,
      title: `信用${CREDIT_REQUEST_KIND_LABELS[q.kind as CreditRequestKind].zh}申请`,
      details: {
        kind: q.kind,
        creditLimit: q.credit_limit === null ? null : String(q.credit_limit),
        creditClass: q.credit_class,
      },
    }),
    async (t, c, q, now) => {
      const by = q.approver_role === 'general_manager' ? '总经理' : '销售部经理';
      if (q.kind === 'limit' && q.credit_limit !== null)
        await setLimit(t, c, q.credit_limit, now, `信用限度已批准（${by}）：${q.reason}`);
      if (q.kind === 'class' && q.credit_class !== c.credit_class) {
        await t.db
          .updateTable('customers')
          .set({ credit_class: q.credit_class, updated_at: now, updated_by: t.actor?.id ?? 'system' })
          .where('id', '=', c.id)
          .execute();
        await recordCustomerEvent(t, c.id, {
          kind: 'update',
          field: 'creditClass',
          oldValue: c.credit_class,
          newValue: q.credit_class,
          note: `信用等级已批准（${by}）：${q.reason}`,
        });
      }
    },
  );
}

// 暂停供货 ------------------------------------------------------------------------------------------

export async function setSuspension(
  ctx: Ctx,
  id: string,
  input: { suspended: boolean; reason: string },
): Promise<CreditCard> {
  const r = await creditReader(ctx);
  await tx(r.ctx, async (t) => {
    const c = await acting(r, t.db, id, input.suspended ? 'credit.suspend' : 'credit.resume');
    await suspend(r, t, c, input.suspended, input.reason);
  });
  return getCredit(ctx, id);
}

async function suspend(r: CreditReader, t: TxCtx, c: CreditCustomer, on: boolean, reason: string) {
  await ensureCredit(t, c.id);
  const now = nowIso(t);
  const taken = await t.db
    .updateTable('customer_credit')
    .set({
      suspended: on ? 1 : 0,
      suspended_at: on ? now : null,
      suspended_by: on ? r.ctx.actor.id : null,
      suspend_reason: on ? reason : null,
      updated_at: now,
    })
    .where('customer_id', '=', c.id)
    .where('suspended', '=', on ? 0 : 1)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1)
    throw new DomainError('credit_suspension_same', 409, { state: on ? '暂停供货' : '正常供货' });
  await recordCustomerEvent(t, c.id, {
    kind: 'credit',
    field: 'supplySuspended',
    oldValue: !on,
    newValue: on,
    note: `${on ? '暂停供货' : '恢复供货'}：${reason}`,
  });
  await audit(t, c, on ? 'credit.suspend' : 'credit.resume', { reason });
  const people = [
    ...(
      await t.db.selectFrom('customer_owners').select('user_id').where('customer_id', '=', c.id).execute()
    ).map((o) => o.user_id),
    ...(await managersAbove(t.db, c.department_id)),
  ].filter((p) => p !== r.ctx.actor.id);
  await notify(t, people, {
    kind: 'credit.suspension',
    title: `客户 ${c.name}（${c.archive_code}）${on ? '已暂停供货' : '已恢复供货'}`,
    body: reason,
    link: `/customers/${c.id}?tab=credit`,
    secrecy: c.secrecy,
  });
}

// Admission (客户准入, 客户交易卡) -------------------------------------------------------------------

export async function requestAdmission(ctx: Ctx, id: string, input: AdmissionInput): Promise<CreditCard> {
  const r = await creditReader(ctx);
  await tx(r.ctx, async (t) => {
    const c = await acting(r, t.db, id, 'credit.admit');
    const open = await t.db
      .selectFrom('credit_admissions')
      .select('id')
      .where('customer_id', '=', id)
      .where('status', 'in', ['pending', 'approved'])
      .executeTakeFirst();
    if (open) throw new DomainError('credit_request_open', 409, { kind: '客户准入' });
    const admissionId = newId();
    await t.db
      .insertInto('credit_admissions')
      .values({
        id: admissionId,
        customer_id: id,
        card: JSON.stringify(input.card),
        payment_terms: input.paymentTerms,
        conditions: input.conditions,
        requested_limit: yuan(cents(input.requestedLimit)),
        status: 'pending',
        requested_by: r.ctx.actor.id,
        requested_at: nowIso(t),
        decided_by: null,
        decided_at: null,
        decision_comment: null,
      })
      .execute();
    await audit(t, c, 'credit.admit', { admissionId, ...input });
    await notify(
      t,
      (await managersAbove(t.db, c.department_id)).filter((p) => p !== r.ctx.actor.id),
      {
        kind: 'credit.admission',
        title: `请审批新客户 ${c.name} 的客户准入（客户交易卡）`,
        body: input.paymentTerms,
        link: `/customers/${id}?tab=credit`,
        secrecy: c.secrecy,
      },
    );
  });
  return getCredit(ctx, id);
}

/** The sales director decides an admission; approving sets the requested limit as the customer's
 * limit (第十条 (8): 得到认可后 … 方可进行与新客户的交易). */
export function decideAdmission(ctx: Ctx, admissionId: string, input: Decision): Promise<CreditCard> {
  return decide<CreditAdmissionTable>(
    ctx,
    'credit_admissions',
    admissionId,
    input,
    (a) => ({
      approverRole: 'department_manager',
      title: '客户准入申请',
      details: { requestedLimit: String(a.requested_limit), paymentTerms: a.payment_terms },
    }),
    (t, c, a, now) => setLimit(t, c, a.requested_limit, now, `客户准入已批准，交易条件：${a.payment_terms}`),
  );
}

// 危险客户报告 ----------------------------------------------------------------------------------------

export async function reportDanger(
  ctx: Ctx,
  id: string,
  input: { reportedOn: string; cause: string; details: string; measures: string | null; suspend: boolean },
): Promise<CreditCard> {
  const r = await creditReader(ctx);
  await tx(r.ctx, async (t) => {
    const c = await acting(r, t.db, id, 'credit.danger');
    const reportId = newId();
    await t.db
      .insertInto('credit_danger_reports')
      .values({
        id: reportId,
        customer_id: id,
        reported_on: input.reportedOn,
        cause: input.cause,
        details: input.details,
        measures: input.measures,
        created_by: r.ctx.actor.id,
        created_at: nowIso(t),
      })
      .execute();
    await recordCustomerEvent(t, id, {
      kind: 'credit',
      field: 'dangerReport',
      note: `危险客户报告：${input.cause}`,
    });
    await audit(t, c, 'credit.danger', { reportId, ...input });
    await notify(
      t,
      (await managersAbove(t.db, c.department_id)).filter((p) => p !== r.ctx.actor.id),
      {
        kind: 'credit.danger',
        title: `危险客户报告：${c.name}（${c.archive_code}）`,
        body: `${input.cause}：${input.details}`,
        link: `/customers/${id}?tab=credit`,
        secrecy: c.secrecy,
      },
    );
    const suspended = await t.db
      .selectFrom('customer_credit')
      .select('suspended')
      .where('customer_id', '=', id)
      .executeTakeFirst();
    if (input.suspend && suspended?.suspended !== 1)
      await suspend(r, t, c, true, `危险客户报告：${input.cause}`);
  });
  return getCredit(ctx, id);
}
