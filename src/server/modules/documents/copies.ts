import { COPY_MARK_LABELS, copyNumber } from '../../../common/documents.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { Copy, DistributeInput } from '../../../common/schemas/documents.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize, can } from '../../platform/policy/index.js';
import { assertAuthorized } from './authorization.js';
import { askToSign } from './receipts.js';
import * as repo from './repo.js';
import { findVisible, type Reader, reader, recordEvent, visibleTo } from './service.js';

// Controlled distribution (R-D5): the archivist records which departments (or people) receive
// a numbered copy (份号) of a version, marked 受控 / 只供参考 / 正本 / 客户文件. When the
// version is superseded or withdrawn, each of its copies is listed for recall (回收) until the
// archivist confirms it came back.

export function copiesFrom(db: Db) {
  return db
    .selectFrom('document_copies as p')
    .innerJoin('document_versions as v', 'v.id', 'p.version_id')
    .innerJoin('documents as d', 'd.id', 'p.document_id')
    .leftJoin('users as ud', 'ud.id', 'p.distributed_by')
    .leftJoin('users as ur', 'ur.id', 'p.recalled_by')
    .selectAll('p')
    .select([
      'd.title as document_title',
      'd.doc_number as document_number',
      'v.seq as version_seq',
      'v.label as version_label',
      'v.status as version_status',
      'ud.name as distributed_by_name',
      'ur.name as recalled_by_name',
    ]);
}

export type CopyRow = Awaited<ReturnType<ReturnType<typeof copiesFrom>['executeTakeFirstOrThrow']>>;

/** Whether the reader is the copy's recipient, who alone signs for it (谁接收谁签字). */
export function isRecipient(r: Reader, row: Pick<CopyRow, 'user_id' | 'department_id'>): boolean {
  return can(r.ctx.actor, 'document.copy_sign', {
    recipientUserId: row.user_id,
    headsRecipientDepartment:
      !row.user_id && !!row.department_id && r.scope.departmentIds.includes(row.department_id),
  });
}

export function toCopy(r: Reader, row: CopyRow): Copy {
  const mine = isRecipient(r, row);
  return {
    id: row.id,
    documentId: row.document_id,
    documentTitle: row.document_title,
    versionId: row.version_id,
    versionLabel: row.version_label ?? `#${row.version_seq}`,
    versionStatus: row.version_status as Copy['versionStatus'],
    copyNo: Number(row.copy_no),
    mark: row.mark as Copy['mark'],
    departmentId: row.department_id,
    userId: row.user_id,
    recipient: row.recipient,
    distributedAt: row.distributed_at,
    distributedBy: row.distributed_by_name,
    note: row.note,
    recallStatus: row.recall_status as Copy['recallStatus'],
    recalledAt: row.recalled_at,
    recalledBy: row.recalled_by_name,
    recallNote: row.recall_note,
    receivedAt: row.received_at,
    receivedBy: row.received_by_name,
    receiptScan: row.receipt_name,
    returnedAt: row.returned_at,
    returnedBy: row.returned_by_name,
    returnScan: row.return_name,
    can: {
      acknowledge: mine && !row.received_at && row.recall_status !== 'recalled',
      signReturn: mine && row.recall_status === 'pending' && !row.returned_at,
    },
  };
}

export async function listCopies(ctx: Ctx, documentId: string): Promise<Copy[]> {
  const r = await reader(ctx);
  await findVisible(r, documentId);
  const rows = await copiesFrom(ctx.db)
    .where('p.document_id', '=', documentId)
    .orderBy('v.seq', 'desc')
    .orderBy('p.copy_no')
    .execute();
  return rows.map((row) => toCopy(r, row));
}

/** Every copy waiting to be recalled, of the documents the reader may see (the archivist's list). */
export async function pendingRecalls(ctx: Ctx): Promise<Copy[]> {
  const r = await reader(ctx);
  authorize(ctx, 'document.distribute', { type: 'document' });
  const rows = await copiesFrom(ctx.db)
    .where('p.recall_status', '=', 'pending')
    .where(visibleTo(r) as never)
    .orderBy('p.distributed_at')
    .orderBy('p.copy_no')
    .limit(1000)
    .execute();
  return rows.map((row) => toCopy(r, row));
}

/**
 * Copies go only to people cleared for the record's effective secrecy (R-P1, R-P9): a person by
 * their own clearance; a department by its managers', who keep its copy — it needs at least one
 * active department manager, and every one of them cleared. A 普通 record goes to anyone.
 */
async function assertRecipientsCleared(
  t: TxCtx,
  level: number,
  input: DistributeInput,
  people: { id: string; name: string; clearance: number | string }[],
  departments: { id: string; name: string }[],
): Promise<void> {
  if (level === 0) return;
  const managers = await t.db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.department_id', 'u.clearance'])
    .where('u.active', '=', 1)
    .where('r.role', '=', 'department_manager')
    .where('u.department_id', 'in', ['', ...departments.map((d) => d.id)])
    .execute();
  const params = { level: SECRECY_LABELS[secrecyFromRank(level)][t.lang] };
  const problems: FieldProblem[] = [];
  input.recipients.forEach((x, i) => {
    const field = `recipients.${i}`;
    if (x.userId) {
      const person = people.find((p) => p.id === x.userId);
      if (person && Number(person.clearance) < level)
        problems.push({ field, key: 'recipient_clearance', params: { ...params, name: person.name } });
      return;
    }
    const dept = departments.find((d) => d.id === x.departmentId);
    if (!dept) return;
    const own = managers.filter((m) => m.department_id === dept.id);
    if (own.length === 0)
      problems.push({ field, key: 'recipient_no_manager', params: { ...params, name: dept.name } });
    else if (own.some((m) => Number(m.clearance) < level))
      problems.push({ field, key: 'recipient_manager_clearance', params: { ...params, name: dept.name } });
  });
  if (problems.length) throw new FieldErrors(problems);
}

/** Issues one numbered copy of the current version to each recipient. */
export async function distribute(ctx: Ctx, documentId: string, input: DistributeInput): Promise<Copy[]> {
  const r = await reader(ctx);
  const ids = await tx(ctx, async (t) => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.distribute', { type: 'document', id: documentId });
    // An internal document under approval is distributed once a version of it is in force.
    if (row.status === 'draft') throw new DomainError('document_not_effective', 409);
    if (row.status !== 'current') throw new DomainError('version_not_current', 409);
    assertAuthorized(t, row, input.mark);
    const version = await repo.currentVersion(t.db, documentId);
    const people = await t.db
      .selectFrom('users as u')
      .leftJoin('departments as dep', 'dep.id', 'u.department_id')
      .select(['u.id', 'u.name', 'u.clearance', 'u.department_id', 'dep.name as department_name'])
      .where('u.active', '=', 1)
      .where('u.id', 'in', ['', ...input.recipients.map((x) => x.userId ?? '')])
      .execute();
    const departments = await t.db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('active', '=', 1)
      .where('id', 'in', ['', ...input.recipients.map((x) => x.departmentId ?? '')])
      .execute();
    await assertRecipientsCleared(t, Number(row.effective_secrecy), input, people, departments);
    const last = await t.db
      .selectFrom('document_copies')
      .select((eb) => eb.fn.max('copy_no').as('n'))
      .where('version_id', '=', version.id)
      .executeTakeFirst();
    let next = Number(last?.n ?? 0);
    const now = nowIso(t);
    // A person's copy is held in their own department: another one would put the copy (and who
    // keeps it) in the register under a department that never received it.
    const elsewhere: FieldProblem[] = [];
    input.recipients.forEach((x, i) => {
      const person = x.userId ? people.find((p) => p.id === x.userId) : undefined;
      if (person && x.departmentId && x.departmentId !== person.department_id)
        elsewhere.push({
          field: `recipients.${i}.departmentId`,
          key: 'recipient_department',
          params: { name: person.name },
        });
    });
    if (elsewhere.length) throw new FieldErrors(elsewhere);
    const rows = input.recipients.map((x, i) => {
      const person = x.userId ? people.find((p) => p.id === x.userId) : undefined;
      const dept = departments.find((d) => d.id === (x.departmentId ?? person?.department_id));
      if ((x.userId && !person) || (!x.userId && !dept))
        throw new FieldErrors([
          { field: `recipients.${i}`, key: 'lookup', params: { value: x.userId ?? x.departmentId ?? '' } },
        ]);
      return {
        id: newId(),
        document_id: documentId,
        version_id: version.id,
        copy_no: ++next,
        mark: input.mark,
        department_id: dept?.id ?? null,
        user_id: person?.id ?? null,
        recipient: person ? `${person.department_name ?? ''} ${person.name}`.trim() : (dept?.name ?? ''),
        distributed_at: now,
        distributed_by: r.ctx.actor.id,
        note: input.note,
        recall_status: 'none',
        recalled_at: null,
        recalled_by: null,
        recall_note: null,
      };
    });
    await t.db.insertInto('document_copies').values(rows).execute();
    // 谁接收谁签字: each recipient is asked to sign for their copy.
    await askToSign(t, row, rows);
    const summary = rows.map(
      (c) => `${c.recipient}（${COPY_MARK_LABELS[input.mark].zh} ${copyNumber(c.copy_no)}）`,
    );
    await recordEvent(t, documentId, 'distribute', { copies: summary, note: input.note }, version.id);
    await appendAudit(t, {
      action: 'document.distribute',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: { versionId: version.id, mark: input.mark, copies: summary },
    });
    return rows.map((c) => c.id);
  });
  const rows = await copiesFrom(ctx.db).where('p.id', 'in', ids).orderBy('p.copy_no').execute();
  return rows.map((row) => toCopy(r, row));
}

/** The archivist confirms that a copy of a superseded version came back. */
export async function recall(
  ctx: Ctx,
  documentId: string,
  copyId: string,
  note: string | null,
): Promise<Copy> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.distribute', { type: 'document', id: documentId });
    const copy = await t.db
      .selectFrom('document_copies')
      .selectAll()
      .where('id', '=', copyId)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
    if (!copy) throw notFound();
    if (copy.recall_status !== 'pending') throw new DomainError('copy_not_pending', 409);
    const now = nowIso(t);
    await t.db
      .updateTable('document_copies')
      .set({ recall_status: 'recalled', recalled_at: now, recalled_by: r.ctx.actor.id, recall_note: note })
      .where('id', '=', copyId)
      .execute();
    const label = `${copy.recipient}（${copyNumber(Number(copy.copy_no))}）`;
    await recordEvent(t, documentId, 'recall', { copy: label, note }, copy.version_id);
    await appendAudit(t, {
      action: 'document.recall',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: { copyId, copy: label, note },
    });
  });
  return toCopy(r, await copiesFrom(ctx.db).where('p.id', '=', copyId).executeTakeFirstOrThrow());
}
