import { SECRECY_LABELS, secrecyFromRank, secrecyRank } from '../../../common/enums.js';
import type { SecrecyChange, SecrecyChangeInput } from '../../../common/schemas/documents.js';
import { secrecyMark } from '../../../common/secrecy-term.js';
import { formatDateTime, todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { DocumentSecrecyChangeTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { nextSequence } from '../../platform/numbering.js';
import { companyName } from '../../platform/organisation.js';
import { type FormField, formPdf } from '../../platform/pdf-form.js';
import { authorize, can } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { afterEncryptionChange, applyEncryptionFor, type EncryptionChange } from './encryption.js';
import { termColumns } from './secrecy-marks.js';
import { assertEditable, findVisible, reader, recordEvent, resourceOf } from './service.js';

// 密级变更/解除 (R-P10; 机关档案管理规定 第五十二条, seeds 001 篇八): a record's level changes only
// by a recorded decision. The archivist (or the owning department's manager) asks for a new
// level and term with a reason; the general manager approves or rejects it, never their own
// request. The approval changes the record's level and term in the same transaction, with an
// entry in its history and in the audit trail; the request prints as the 密级变更审批表.
// Lowering to 普通 is 解除 (declassification). What the record contains (its files) follows its
// effective level at once, as before; its files are encrypted or decrypted to match (encryption.ts).

function changesFrom(db: Db) {
  return db
    .selectFrom('document_secrecy_changes as c')
    .innerJoin('documents as d', 'd.id', 'c.document_id')
    .innerJoin('users as ur', 'ur.id', 'c.requested_by')
    .leftJoin('users as ud', 'ud.id', 'c.decided_by')
    .selectAll('c')
    .select(['d.title as document_title', 'ur.name as requested_by_name', 'ud.name as decided_by_name']);
}

type ChangeRow = DocumentSecrecyChangeTable & {
  document_title: string;
  requested_by_name: string;
  decided_by_name: string | null;
};

function toChange(ctx: Ctx, r: ChangeRow): SecrecyChange {
  const from = secrecyFromRank(Number(r.from_level));
  const to = secrecyFromRank(Number(r.to_level));
  return {
    id: r.id,
    number: r.number,
    documentId: r.document_id,
    documentTitle: r.document_title,
    fromLevel: from,
    fromTerm: r.from_term,
    fromMark: secrecyMark(from, r.from_term),
    toLevel: to,
    toTerm: r.to_term,
    toMark: secrecyMark(to, r.to_term),
    toTermFrom: r.to_term_from,
    declassify: Number(r.to_level) === 0,
    reason: r.reason,
    requestedBy: r.requested_by_name,
    requestedAt: r.requested_at,
    status: r.status as SecrecyChange['status'],
    decidedBy: r.decided_by_name,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    can: {
      decide:
        r.status === 'pending' &&
        can(ctx.actor, 'document.secrecy_approve') &&
        r.requested_by !== ctx.actor?.id &&
        (ctx.actor?.clearance ?? 0) >= Math.max(Number(r.from_level), Number(r.to_level)),
      withdraw: r.status === 'pending' && r.requested_by === ctx.actor?.id,
    },
  };
}

/** The level changes asked for a document, newest first. */
export async function listSecrecyChanges(ctx: Ctx, documentId: string): Promise<SecrecyChange[]> {
  const r = await reader(ctx);
  await findVisible(r, documentId);
  const rows = (await changesFrom(ctx.db)
    .where('c.document_id', '=', documentId)
    .orderBy('c.requested_at', 'desc')
    .execute()) as ChangeRow[];
  return rows.map((row) => toChange(ctx, row));
}

/** One request of a document the reader sees (404 otherwise). */
export async function getSecrecyChange(
  ctx: Ctx,
  documentId: string,
  changeId: string,
): Promise<SecrecyChange> {
  const r = await reader(ctx);
  await findVisible(r, documentId);
  const row = (await changesFrom(ctx.db)
    .where('c.id', '=', changeId)
    .where('c.document_id', '=', documentId)
    .executeTakeFirst()) as ChangeRow | undefined;
  if (!row) throw notFound();
  return toChange(ctx, row);
}

/** Asks for a new level (and term); one open request per document. */
export async function requestSecrecyChange(
  ctx: Ctx,
  documentId: string,
  input: SecrecyChangeInput,
): Promise<SecrecyChange> {
  const r = await reader(ctx);
  const id = await tx(ctx, async (t) => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.secrecy_request', {
      type: 'document',
      id: documentId,
      resource: resourceOf(r, row),
    });
    assertEditable(row);
    const to = secrecyRank(input.toLevel);
    if (to > r.ctx.actor.clearance) throw new DomainError('secrecy_above_own', 422, {}, 'toLevel');
    const from = Number(row.secrecy);
    // A new term in years runs from the day it is asked for, unless it says otherwise.
    const term = termColumns(to === 0 ? null : input.toTerm, todayInShanghai(t.now()));
    if (to === from && term.secrecy_term === row.secrecy_term)
      throw new DomainError('secrecy_change_same', 422, {}, 'toLevel');
    const open = await t.db
      .selectFrom('document_secrecy_changes')
      .select('number')
      .where('document_id', '=', documentId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (open) throw new DomainError('secrecy_change_open', 409, { number: open.number });
    const year = todayInShanghai(t.now()).slice(0, 4);
    const number = `MJBG-${year}-${String(await nextSequence(t, `secrecy_change_${year}`)).padStart(4, '0')}`;
    const changeId = newId();
    await t.db
      .insertInto('document_secrecy_changes')
      .values({
        id: changeId,
        number,
        document_id: documentId,
        from_level: from,
        from_term: row.secrecy_term,
        to_level: to,
        to_term: term.secrecy_term,
        to_term_kind: term.secrecy_term_kind,
        to_term_years: term.secrecy_term_years,
        to_term_from: term.secrecy_term_from,
        to_term_until: term.secrecy_term_until,
        reason: input.reason,
        requested_by: r.ctx.actor.id,
        requested_at: nowIso(t),
        status: 'pending',
        decided_by: null,
        decided_at: null,
        decision_note: null,
      })
      .execute();
    const details = {
      number,
      from: SECRECY_LABELS[secrecyFromRank(from)].zh,
      to: SECRECY_LABELS[secrecyFromRank(to)].zh,
      toTerm: term.secrecy_term,
      reason: input.reason,
    };
    await recordEvent(t, documentId, 'secrecy_request', details);
    await appendAudit(t, {
      action: 'document.secrecy_request',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Math.max(from, to),
      details: { changeId, ...details },
    });
    return changeId;
  });
  return getSecrecyChange(ctx, documentId, id);
}

/** The general manager's decision; an approval changes the record's level and term. */
export async function decideSecrecyChange(
  ctx: Ctx,
  store: BlobStore,
  documentId: string,
  changeId: string,
  decision: { approve: boolean; note: string | null },
): Promise<SecrecyChange> {
  const r = await reader(ctx);
  let encryption: EncryptionChange | undefined;
  await tx(ctx, async (t) => {
    const row = await findVisible(r, documentId, t.db);
    authorize(ctx, 'document.secrecy_approve', { type: 'document', id: documentId });
    const change = await t.db
      .selectFrom('document_secrecy_changes')
      .selectAll()
      .where('id', '=', changeId)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
    if (!change) throw notFound();
    if (change.status !== 'pending') throw new DomainError('secrecy_change_decided', 409);
    if (change.requested_by === r.ctx.actor.id) throw new DomainError('secrecy_change_own', 403);
    const from = Number(row.secrecy);
    const to = Number(change.to_level);
    if (Math.max(from, to) > r.ctx.actor.clearance) throw new DomainError('secrecy_above_own', 422);
    const now = nowIso(t);
    // Taken only while still pending: two decisions at once cannot both pass.
    const taken = await t.db
      .updateTable('document_secrecy_changes')
      .set({
        status: decision.approve ? 'approved' : 'rejected',
        decided_by: r.ctx.actor.id,
        decided_at: now,
        decision_note: decision.note,
      })
      .where('id', '=', changeId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) throw new DomainError('secrecy_change_decided', 409);
    const details = {
      number: change.number,
      from: SECRECY_LABELS[secrecyFromRank(from)].zh,
      fromTerm: row.secrecy_term,
      to: SECRECY_LABELS[secrecyFromRank(to)].zh,
      toTerm: change.to_term,
      reason: change.reason,
      note: decision.note,
    };
    if (decision.approve) {
      assertEditable(row);
      await t.db
        .updateTable('documents')
        .set({
          secrecy: to,
          secrecy_term: change.to_term,
          secrecy_term_kind: change.to_term_kind,
          secrecy_term_years: change.to_term_years,
          secrecy_term_from: change.to_term_from,
          secrecy_term_until: change.to_term_until,
          updated_at: now,
          updated_by: r.ctx.actor.id,
        })
        .where('id', '=', documentId)
        .execute();
      // The record's files follow its new level: encrypted at rest above the threshold (encryption.ts).
      if (to !== from) encryption = await applyEncryptionFor(t, store, [documentId]);
    }
    await recordEvent(t, documentId, decision.approve ? 'secrecy_change' : 'secrecy_reject', details);
    await appendAudit(t, {
      action: decision.approve ? 'document.secrecy_change' : 'document.secrecy_reject',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Math.max(from, to),
      details: { changeId, ...details },
    });
  });
  if (encryption) await afterEncryptionChange(ctx, store, encryption);
  return getSecrecyChange(ctx, documentId, changeId);
}

/**
 * The requester takes back a request nobody decided yet (asked by mistake, or asked by the one
 * general manager, who may not decide his own): it stays listed as 已撤回, and a new request may
 * be made.
 */
export async function withdrawSecrecyChange(
  ctx: Ctx,
  documentId: string,
  changeId: string,
): Promise<SecrecyChange> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await findVisible(r, documentId, t.db);
    const change = await t.db
      .selectFrom('document_secrecy_changes')
      .selectAll()
      .where('id', '=', changeId)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
    if (!change) throw notFound();
    if (change.requested_by !== r.ctx.actor.id) throw new DomainError('secrecy_change_not_own', 403);
    const now = nowIso(t);
    const taken = await t.db
      .updateTable('document_secrecy_changes')
      .set({ status: 'withdrawn', decided_by: r.ctx.actor.id, decided_at: now, decision_note: null })
      .where('id', '=', changeId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) throw new DomainError('secrecy_change_decided', 409);
    const details = { number: change.number, reason: change.reason };
    await recordEvent(t, documentId, 'secrecy_withdraw', details);
    await appendAudit(t, {
      action: 'document.secrecy_withdraw',
      targetType: 'document',
      targetId: documentId,
      targetLabel: row.title,
      secrecy: Math.max(Number(row.secrecy), Number(change.to_level)),
      details: { changeId, ...details },
    });
  });
  return getSecrecyChange(ctx, documentId, changeId);
}

const STATUS_TEXT: Record<SecrecyChange['status'], string> = {
  pending: '待审批',
  approved: '批准',
  rejected: '不批准',
  withdrawn: '已撤回',
};

/** `2026-03-02 14:05` in Asia/Shanghai. */
const at = (v: string | null) => (v ? formatDateTime(v).slice(0, 16) : '');

/**
 * The 密级变更审批表 of a request, laid out like the paper form: the record, the change (原密级
 * and 保密期限 → 变更后), the reason, the request and the decision with their signatures. Marked
 * at the higher of the two levels, as the form is as secret as what it describes. Audited.
 */
export async function secrecyChangeForm(
  ctx: Ctx,
  documentId: string,
  changeId: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  const r = await reader(ctx);
  const doc = await findVisible(r, documentId);
  const c = await getSecrecyChange(ctx, documentId, changeId);
  const level = Math.max(secrecyRank(c.fromLevel), secrecyRank(c.toLevel), Number(doc.effective_secrecy));
  const row = (...fields: [string, string | null | undefined][]): FormField[] =>
    fields.map(([label, value]) => ({ label, value: value ?? '' }));
  const levelText = (l: SecrecyChange['fromLevel']) => SECRECY_LABELS[l].zh;
  const title = '密级变更审批表';
  const company = await companyName(ctx.db);
  const bytes = await formPdf({
    title,
    company,
    meta: { left: `编号：${c.number}`, right: `打印时间：${at(nowIso(ctx))}` },
    // As secret as what it describes, with the term of the higher level (R-P10).
    mark:
      (secrecyRank(c.fromLevel) >= secrecyRank(c.toLevel) ? c.fromMark : c.toMark) ??
      SECRECY_LABELS[secrecyFromRank(level)].zh,
    sections: [
      {
        heading: '一、档案信息',
        blocks: [
          {
            fields: [
              row(['题名', doc.title]),
              row(['文号/编号', doc.doc_number], ['档号', doc.archive_no]),
              row(['类别', doc.category_name], ['责任部门', doc.department_name]),
            ],
          },
        ],
      },
      {
        heading: '二、变更内容',
        blocks: [
          {
            fields: [
              row(['变更类型', c.declassify ? '密级解除' : '密级变更']),
              row(['原密级', levelText(c.fromLevel)], ['原保密期限', c.fromTerm ?? '未标注']),
              row(['原标志', c.fromMark ?? '—']),
              row(
                ['变更后密级', levelText(c.toLevel)],
                [
                  '变更后保密期限',
                  c.declassify
                    ? '—'
                    : `${c.toTerm ?? '未标注'}${c.toTermFrom ? `（自 ${c.toTermFrom} 起）` : ''}`,
                ],
              ),
              row(['变更后标志', c.toMark ?? '解密']),
              row(['变更理由', c.reason]),
            ],
          },
        ],
      },
      {
        heading: '三、申请',
        blocks: [{ fields: [row(['申请人', c.requestedBy], ['申请日期', at(c.requestedAt)])] }],
      },
      {
        heading: '四、审批（总经理）',
        blocks: [
          {
            fields: [
              row(['审批结论', STATUS_TEXT[c.status]]),
              row(['审批意见', c.decisionNote ?? '']),
              row(['审批人', c.decidedBy ?? ''], ['审批日期', at(c.decidedAt)]),
            ],
          },
        ],
      },
    ],
    runningHead: `${title} ${c.number}`,
    footer: `${company} · ${c.number}`,
  });
  await appendAudit(ctx, {
    action: 'document.secrecy_form',
    targetType: 'document',
    targetId: documentId,
    targetLabel: doc.title,
    secrecy: level,
    details: { changeId, number: c.number },
  });
  return { name: `${title}-${c.number}.pdf`, bytes };
}
