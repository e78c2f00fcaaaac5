import { ACTION_KIND_LABELS, type ActionKind } from '../../../common/actions.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import {
  SR_DOCUMENT_ROLE_LABELS,
  SR_REVIEW_DECISION_LABELS,
  type SrDocumentRole,
  type SrReviewDecision,
} from '../../../common/special-requirements.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { actorScope, documentVisible } from '../../platform/policy/records.js';
import { ownersOf } from '../customers/repo.js';
import { srReader } from './access.js';
import * as repo from './repo.js';
import {
  auditChange,
  changing,
  checkDepartment,
  documentsAbove,
  getRequirement,
  labelOf,
  loadRow,
  managersOf,
  qualityUsers,
  stateError,
  versionName,
  whoSees,
} from './service.js';

// How a requirement moves (R-S2, R-S5): sales asks departments to review (→ 评审中); each
// department records its decision, note and owner (its actions are corrective actions with source
// 'special_requirement', raised through the actions module); the departments link the internal
// documents they change with the version that implements the requirement; quality confirms
// 已落实 only when every review is given, every action is done and every linked version is the
// document's current one — else 409 naming what is open; 不适用 / 已废止 with a reason; 需复核
// set by a new version of the source document and cleared after re-checking; the project team
// informed of a requirement received after mass production. Every change is history and audit.

const WORKING = ['pending_review', 'in_review'];

/** Asks departments to review (R-S2): their reviews are opened and their managers told. */
export async function requestReviews(
  ctx: Ctx,
  id: string,
  input: { departmentIds: string[]; ownerDepartmentId?: string | null | undefined; note: string | null },
) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.requestReview');
    if (!WORKING.includes(row.status)) throw stateError(row.status);
    const wanted = [...new Set(input.departmentIds)];
    const names = new Map<string, string>();
    const problems: { field: string; key: 'sr_department' }[] = [];
    for (const [i, d] of wanted.entries()) {
      try {
        names.set(d, await checkDepartment(t.db, `departmentIds.${i}`, d));
      } catch (err) {
        if (err instanceof FieldErrors) problems.push({ field: `departmentIds.${i}`, key: 'sr_department' });
        else throw err;
      }
    }
    const owner = input.ownerDepartmentId;
    let ownerName: string | null = null;
    if (owner && owner !== row.owner_department_id) {
      try {
        ownerName = await checkDepartment(t.db, 'ownerDepartmentId', owner);
      } catch (err) {
        if (err instanceof FieldErrors) problems.push({ field: 'ownerDepartmentId', key: 'sr_department' });
        else throw err;
      }
    }
    if (problems.length) throw new FieldErrors(problems);
    const existing = new Set(
      (
        await t.db.selectFrom('sr_reviews').select('department_id').where('requirement_id', '=', id).execute()
      ).map((x) => x.department_id),
    );
    const added = wanted.filter((d) => !existing.has(d));
    const now = nowIso(t);
    if (added.length)
      await t.db
        .insertInto('sr_reviews')
        .values(
          added.map((d) => ({
            id: newId(),
            requirement_id: id,
            department_id: d,
            requested_at: now,
            requested_by: r.ctx.actor.id,
            decision: null,
            note: null,
            owner_id: null,
            reviewed_at: null,
            reviewed_by: null,
          })),
        )
        .execute();
    const history: repo.HistoryEntry[] = [];
    if (added.length)
      history.push({
        field: 'reviews',
        oldValue: null,
        newValue: added.map((d) => names.get(d)).join('、'),
        note: input.note,
      });
    if (owner && ownerName !== null) {
      history.push({
        field: 'ownerDepartment',
        oldValue: row.owner_department_name,
        newValue: ownerName,
        note: input.note,
      });
      await t.db
        .updateTable('sr_requirements')
        .set({ owner_department_id: owner })
        .where('id', '=', id)
        .execute();
    }
    if (row.status !== 'in_review') {
      history.push({
        field: 'status',
        oldValue: repo.statusText(row.status),
        newValue: repo.statusText('in_review'),
        note: input.note,
      });
      await t.db
        .updateTable('sr_requirements')
        .set({ status: 'in_review', reviewed_on: null, updated_by: r.ctx.actor.id })
        .where('id', '=', id)
        .execute();
    } else if (added.length) {
      // A department asked later: the review is not complete any more.
      await t.db.updateTable('sr_requirements').set({ reviewed_on: null }).where('id', '=', id).execute();
    }
    if (history.length === 0) return;
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'sr.request_review', {
      departments: added.map((d) => names.get(d)),
      ...(ownerName !== null ? { ownerDepartment: ownerName } : {}),
      note: input.note,
    });
    if (added.length) {
      // Each department's managers; a department without one: its members.
      const recipients: string[] = [];
      for (const d of added) {
        const managers = await managersOf(t.db, [d]);
        if (managers.length) recipients.push(...managers);
        else
          for (const u of await t.db
            .selectFrom('users')
            .select('id')
            .where('department_id', '=', d)
            .where('active', '=', 1)
            .execute())
            recipients.push(u.id);
      }
      await notify(t, await whoSees(t, recipients, id), {
        kind: 'sr.review',
        title: `请评审顾客特殊要求 ${row.number}（${row.customer_name}）`,
        body: row.title,
        link: `/special-requirements/${id}`,
        secrecy: Number(row.effective_secrecy),
      });
    }
  });
  return getRequirement(ctx, id, { audit: false });
}

/** One department's review: applicable or not, the note, who carries it out (R-S2). */
export async function review(
  ctx: Ctx,
  id: string,
  departmentId: string,
  input: { decision: SrReviewDecision; note: string | null; ownerId?: string | null | undefined },
) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const existing = await t.db
      .selectFrom('sr_reviews as v')
      .innerJoin('departments as d', 'd.id', 'v.department_id')
      .selectAll('v')
      .select('d.name as department_name')
      .where('v.requirement_id', '=', id)
      .where('v.department_id', '=', departmentId)
      .executeTakeFirst();
    // Checks visibility first: a department not asked is as absent as the requirement.
    const row = await changing(r, t, id, 'sr.review', {
      reviewDepartmentIds: existing ? [departmentId] : [],
    });
    if (!existing) throw new DomainError('not_found', 404);
    if (row.status !== 'in_review') throw stateError(row.status);
    let ownerId: string | null = null;
    if (input.decision === 'applicable') {
      ownerId = input.ownerId ?? r.ctx.actor.id;
      // The reviewing department and every department below it.
      const scope = await actorScope({ ...t, actor: { ...r.ctx.actor, departmentId } });
      const owner = await t.db
        .selectFrom('users')
        .select(['id', 'name'])
        .where('id', '=', ownerId)
        .where('active', '=', 1)
        .where('clearance', '>=', Number(row.effective_secrecy))
        .where('department_id', 'in', scope.departmentIds)
        .executeTakeFirst();
      if (!owner) throw new FieldErrors([{ field: 'ownerId', key: 'sr_review_owner' }]);
    }
    const now = nowIso(t);
    await t.db
      .updateTable('sr_reviews')
      .set({
        decision: input.decision,
        note: input.note,
        owner_id: ownerId,
        reviewed_at: now,
        reviewed_by: r.ctx.actor.id,
      })
      .where('id', '=', existing.id)
      .execute();
    const names = await repo.namesOf(t.db, [existing.owner_id, ownerId]);
    const decisionText = (d: string | null, o: string | null) =>
      d
        ? `${SR_REVIEW_DECISION_LABELS[d as SrReviewDecision]?.zh ?? d}${o ? `（负责人 ${names.get(o) ?? o}）` : ''}`
        : null;
    const history: repo.HistoryEntry[] = [
      {
        field: `review:${existing.department_name}`,
        oldValue: decisionText(existing.decision, existing.owner_id),
        newValue: decisionText(input.decision, ownerId),
        note: input.note,
      },
    ];
    const set: { owner_department_id?: string; reviewed_on?: string | null } = {};
    // The first department that finds it applicable owns it, unless sales named one.
    if (input.decision === 'applicable' && !row.owner_department_id) {
      set.owner_department_id = departmentId;
      history.push({
        field: 'ownerDepartment',
        oldValue: null,
        newValue: existing.department_name,
        note: null,
      });
    }
    const open = await t.db
      .selectFrom('sr_reviews')
      .select('id')
      .where('requirement_id', '=', id)
      .where('decision', 'is', null)
      .executeTakeFirst();
    const reviewedOn = open ? null : r.today;
    if (reviewedOn !== row.reviewed_on) {
      set.reviewed_on = reviewedOn;
      history.push({ field: 'reviewedOn', oldValue: row.reviewed_on, newValue: reviewedOn, note: null });
    }
    if (Object.keys(set).length)
      await t.db.updateTable('sr_requirements').set(set).where('id', '=', id).execute();
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'sr.review', {
      department: existing.department_name,
      decision: input.decision,
      ownerId,
      note: input.note,
    });
  });
  return getRequirement(ctx, id, { audit: false });
}

/** Withdraws a review asked of a department that has not answered (asked by mistake, or the
 * department was dissolved): 已落实 no longer waits for it. With no review left the requirement is
 * 待评审 again; with every other review given, its review date is today. */
export async function withdrawReview(ctx: Ctx, id: string, departmentId: string) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.requestReview');
    if (!WORKING.includes(row.status)) throw stateError(row.status);
    const review = await t.db
      .selectFrom('sr_reviews as v')
      .innerJoin('departments as d', 'd.id', 'v.department_id')
      .select(['v.id', 'v.decision', 'd.name'])
      .where('v.requirement_id', '=', id)
      .where('v.department_id', '=', departmentId)
      .executeTakeFirst();
    if (!review) throw new DomainError('not_found', 404);
    if (review.decision !== null)
      throw new DomainError('sr_review_answered', 409, { department: review.name });
    await t.db.deleteFrom('sr_reviews').where('id', '=', review.id).execute();
    const left = await t.db
      .selectFrom('sr_reviews')
      .select(['decision'])
      .where('requirement_id', '=', id)
      .execute();
    const history: repo.HistoryEntry[] = [
      { field: 'reviews', oldValue: review.name, newValue: null, note: '撤回评审请求' },
    ];
    const set: { status?: string; reviewed_on?: string | null } = {};
    if (left.length === 0) {
      set.status = 'pending_review';
      set.reviewed_on = null;
      history.push({
        field: 'status',
        oldValue: repo.statusText(row.status),
        newValue: repo.statusText('pending_review'),
        note: null,
      });
    } else if (left.every((v) => v.decision !== null) && row.reviewed_on !== r.today) {
      set.reviewed_on = r.today;
      history.push({ field: 'reviewedOn', oldValue: row.reviewed_on, newValue: r.today, note: null });
    }
    if (Object.keys(set).length)
      await t.db
        .updateTable('sr_requirements')
        .set({ ...set, updated_by: r.ctx.actor.id })
        .where('id', '=', id)
        .execute();
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'sr.review_withdrawn', { department: review.name });
  });
  return getRequirement(ctx, id, { audit: false });
}

/** Links an internal document the requirement flows into, with the implementing version. */
export async function addLink(
  ctx: Ctx,
  id: string,
  input: {
    documentId: string;
    versionId?: string | null | undefined;
    role: SrDocumentRole;
    note: string | null;
  },
) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.link');
    if (!WORKING.includes(row.status)) throw stateError(row.status);
    const doc = await t.db
      .selectFrom('documents as d')
      .select(['d.id', 'd.title', 'd.doc_number'])
      .where('d.id', '=', input.documentId)
      .where('d.status', '=', 'current')
      .where(documentVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
      .executeTakeFirst();
    if (!doc) throw new FieldErrors([{ field: 'documentId', key: 'sr_link_document' }]);
    const level = Number(row.effective_secrecy);
    if ((await documentsAbove(t.db, [doc.id], level)).length)
      throw new FieldErrors([
        {
          field: 'documentId',
          key: 'sr_document_secrecy',
          params: { level: SECRECY_LABELS[secrecyFromRank(level)].zh },
        },
      ]);
    // The implementing version: the one named (a draft about to be released, or the current
    // one), else the newest.
    let q = t.db
      .selectFrom('document_versions')
      .select(['id', 'label', 'seq', 'status'])
      .where('document_id', '=', doc.id)
      .where('status', 'in', ['draft', 'current']);
    q = input.versionId ? q.where('id', '=', input.versionId) : q.orderBy('seq', 'desc').limit(1);
    const v = await q.executeTakeFirst();
    if (!v) throw new FieldErrors([{ field: 'versionId', key: 'sr_link_version' }]);
    const taken = await t.db
      .selectFrom('sr_document_links')
      .select('id')
      .where('requirement_id', '=', id)
      .where('version_id', '=', v.id)
      .executeTakeFirst();
    if (taken) throw new FieldErrors([{ field: 'versionId', key: 'sr_link_taken' }]);
    const linkId = newId();
    await t.db
      .insertInto('sr_document_links')
      .values({
        id: linkId,
        requirement_id: id,
        department_id: r.ctx.actor.departmentId,
        document_id: doc.id,
        version_id: v.id,
        role: input.role,
        note: input.note,
        linked_at: nowIso(t),
        linked_by: r.ctx.actor.id,
      })
      .execute();
    const text = linkText(input.role, doc, v);
    await repo.writeHistory(t, id, [{ field: 'link', oldValue: null, newValue: text, note: input.note }]);
    await auditChange(t, row, 'sr.link', {
      documentId: doc.id,
      versionId: v.id,
      role: input.role,
      link: text,
    });
  });
  return getRequirement(ctx, id, { audit: false });
}

function linkText(
  role: string,
  doc: { title: string; doc_number: string | null },
  v: { label: string | null; seq: number | string },
): string {
  const roleText = SR_DOCUMENT_ROLE_LABELS[role as SrDocumentRole]?.zh ?? role;
  return `${roleText} ${doc.doc_number ? `${doc.doc_number} ` : ''}${doc.title}（${versionName(v.label, v.seq)}）`;
}

export async function removeLink(ctx: Ctx, id: string, linkId: string) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.link');
    const link = await t.db
      .selectFrom('sr_document_links as l')
      .innerJoin('documents as d', 'd.id', 'l.document_id')
      .innerJoin('document_versions as v', 'v.id', 'l.version_id')
      .select(['l.id', 'l.role', 'd.title', 'd.doc_number', 'v.label', 'v.seq'])
      .where('l.id', '=', linkId)
      .where('l.requirement_id', '=', id)
      .executeTakeFirst();
    if (!link) throw new DomainError('not_found', 404);
    if (!WORKING.includes(row.status)) throw stateError(row.status);
    await t.db.deleteFrom('sr_document_links').where('id', '=', linkId).execute();
    const text = linkText(link.role, link, link);
    await repo.writeHistory(t, id, [{ field: 'link', oldValue: text, newValue: null, note: null }]);
    await auditChange(t, row, 'sr.unlink', { linkId, link: text });
  });
  return getRequirement(ctx, id, { audit: false });
}

/** What still stands between a requirement and 已落实, in words (empty: nothing). */
export async function openWork(t: Pick<Ctx, 'db'>, id: string): Promise<string[]> {
  const [reviews, actions, links] = await Promise.all([
    t.db
      .selectFrom('sr_reviews as v')
      .innerJoin('departments as d', 'd.id', 'v.department_id')
      .select('d.name')
      .where('v.requirement_id', '=', id)
      .where('v.decision', 'is', null)
      .orderBy('d.name')
      .execute(),
    t.db
      .selectFrom('corrective_actions as a')
      .leftJoin('users as u', 'u.id', 'a.owner_id')
      .select(['a.kind', 'a.description', 'a.due_date', 'u.name'])
      .where('a.source_type', '=', 'special_requirement')
      .where('a.source_id', '=', id)
      // Done is enough; found not effective on verification is not (a further action is due).
      .where('a.status', 'in', ['open', 'ineffective'])
      .orderBy('a.created_at')
      .execute(),
    t.db
      .selectFrom('sr_document_links as l')
      .innerJoin('documents as d', 'd.id', 'l.document_id')
      .innerJoin('document_versions as v', 'v.id', 'l.version_id')
      .select(['l.role', 'd.title', 'd.doc_number', 'v.label', 'v.seq', 'v.status'])
      .where('l.requirement_id', '=', id)
      .where('v.status', '!=', 'current')
      .orderBy('l.linked_at')
      .execute(),
  ]);
  const out: string[] = [];
  if (reviews.length) out.push(`未评审部门：${reviews.map((x) => x.name).join('、')}`);
  if (actions.length)
    out.push(
      `未完成或验证无效的措施 ${actions.length} 项：${actions
        .map(
          (a) =>
            `${ACTION_KIND_LABELS[a.kind as ActionKind]?.zh ?? a.kind}“${a.description.slice(0, 40)}”（${a.name ?? ''}，${a.due_date} 前）`,
        )
        .join('、')}`,
    );
  if (links.length)
    out.push(
      `相关文件的落实版本尚未生效：${links
        .map((l) => `${linkText(l.role, l, l)}${l.status === 'draft' ? '为草稿' : '已作废'}`)
        .join('、')}`,
    );
  return out;
}

/** 已落实: quality confirms, only when nothing is open (R-S2). */
export async function confirmImplemented(ctx: Ctx, id: string) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.confirm');
    if (row.status !== 'in_review') throw stateError(row.status);
    const open = await openWork(t, id);
    if (open.length) throw new DomainError('sr_not_implementable', 409, { items: open.join('；') });
    await t.db
      .updateTable('sr_requirements')
      .set({
        status: 'implemented',
        confirmed_by: r.ctx.actor.id,
        confirmed_at: nowIso(t),
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      {
        field: 'status',
        oldValue: repo.statusText(row.status),
        newValue: repo.statusText('implemented'),
        note: null,
      },
    ]);
    await auditChange(t, row, 'sr.implemented');
  });
  return getRequirement(ctx, id, { audit: false });
}

/** 不适用 (quality, after or instead of the reviews) or 已废止 (withdrawn by the customer). */
export async function closeRequirement(
  ctx: Ctx,
  id: string,
  to: 'not_applicable' | 'obsolete',
  reason: string,
) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, to === 'obsolete' ? 'sr.obsolete' : 'sr.confirm');
    if (to === 'obsolete' ? row.status === 'obsolete' : !WORKING.includes(row.status))
      throw stateError(row.status);
    await t.db
      .updateTable('sr_requirements')
      .set({
        status: to,
        ...(to === 'not_applicable' ? { confirmed_by: r.ctx.actor.id, confirmed_at: nowIso(t) } : {}),
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      { field: 'status', oldValue: repo.statusText(row.status), newValue: repo.statusText(to), note: reason },
    ]);
    await auditChange(t, row, to === 'obsolete' ? 'sr.obsolete' : 'sr.not_applicable', { reason });
  });
  return getRequirement(ctx, id, { audit: false });
}

/** 需复核 cleared: the requirement was checked against the new version of its source, which it
 * now cites. */
export async function markRechecked(ctx: Ctx, id: string, note: string | null) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.recheck');
    if (row.needs_recheck !== 1) throw new DomainError('sr_no_recheck', 409);
    const history: repo.HistoryEntry[] = [
      { field: 'needsRecheck', oldValue: '是', newValue: '否', note: note ?? row.recheck_reason },
    ];
    const set: {
      needs_recheck: number;
      recheck_reason: null;
      recheck_version_id: null;
      source_version_id?: string;
    } = { needs_recheck: 0, recheck_reason: null, recheck_version_id: null };
    if (row.source_document_id) {
      const current = await t.db
        .selectFrom('document_versions')
        .select(['id', 'label', 'seq'])
        .where('document_id', '=', row.source_document_id)
        .where('status', '=', 'current')
        .executeTakeFirst();
      if (current && current.id !== row.source_version_id) {
        set.source_version_id = current.id;
        history.push({
          field: 'sourceVersion',
          oldValue: versionName(row.source_version_label, row.source_version_seq),
          newValue: versionName(current.label, current.seq),
          note: null,
        });
      }
    }
    await t.db
      .updateTable('sr_requirements')
      .set({ ...set, updated_by: r.ctx.actor.id })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, history);
    await auditChange(t, row, 'sr.rechecked', { note, sourceVersionId: set.source_version_id ?? null });
  });
  return getRequirement(ctx, id, { audit: false });
}

/** The project team has a requirement received after mass production: its clock stops. */
export async function markInformed(ctx: Ctx, id: string, note: string | null) {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const row = await changing(r, t, id, 'sr.inform');
    if (row.after_mass_production !== 1 || row.project_informed_at)
      throw new DomainError('sr_no_project_clock', 409);
    const now = nowIso(t);
    await t.db
      .updateTable('sr_requirements')
      .set({ project_informed_at: now, updated_by: r.ctx.actor.id })
      .where('id', '=', id)
      .execute();
    const onTime = !row.project_due_on || r.today <= row.project_due_on;
    await repo.writeHistory(t, id, [
      {
        field: 'projectInformedAt',
        oldValue: null,
        newValue: now,
        note: note ?? (onTime ? '已按时传达项目组' : `超期传达项目组（应于 ${row.project_due_on} 前）`),
      },
    ]);
    await auditChange(t, row, 'sr.informed', { note, dueOn: row.project_due_on, onTime });
  });
  return getRequirement(ctx, id, { audit: false });
}

/**
 * A new version of a document was registered (documents/versions.ts, in its transaction): every
 * live requirement citing that document as its source is marked 需复核 with the new version
 * named, a history entry, an audit entry, and a notification to the archive's owners, the owner
 * department's managers and quality (R-S5). Withdrawn (已废止) requirements are left alone.
 * Returns how many were marked.
 */
export async function requirementsOnNewVersion(
  t: TxCtx,
  documentId: string,
  versionId: string,
): Promise<number> {
  const rows = await t.db
    .selectFrom('sr_requirements')
    .select('id')
    .where('source_document_id', '=', documentId)
    .where('status', '!=', 'obsolete')
    .execute();
  if (rows.length === 0) return 0;
  const [doc, version] = await Promise.all([
    t.db
      .selectFrom('documents')
      .select(['title', 'doc_number'])
      .where('id', '=', documentId)
      .executeTakeFirstOrThrow(),
    t.db
      .selectFrom('document_versions')
      .select(['label', 'seq'])
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow(),
  ]);
  const newName = versionName(version.label, version.seq);
  const quality = await qualityUsers(t.db);
  for (const { id } of rows) {
    const row = await loadRow(t.db, id);
    const oldName = versionName(row.source_version_label, row.source_version_seq);
    const reason = `来源文件《${doc.title}》已登记新版本 ${newName}${oldName ? `（原引用 ${oldName}）` : ''}，请复核`;
    await t.db
      .updateTable('sr_requirements')
      .set({ needs_recheck: 1, recheck_reason: reason, recheck_version_id: versionId, updated_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      {
        field: 'needsRecheck',
        oldValue: row.needs_recheck === 1 ? '是' : '否',
        newValue: '是',
        note: reason,
      },
    ]);
    await appendAudit(t, {
      action: 'sr.recheck_marked',
      targetType: 'special_requirement',
      targetId: id,
      targetLabel: labelOf(row),
      secrecy: Number(row.effective_secrecy),
      details: { documentId, versionId, version: newName },
    });
    const owners = ((await ownersOf(t.db, [row.customer_id])).get(row.customer_id) ?? []).map((o) => o.id);
    const managers = row.owner_department_id ? await managersOf(t.db, [row.owner_department_id]) : [];
    await notify(t, await whoSees(t, [...owners, ...managers, ...quality], id), {
      kind: 'sr.recheck',
      title: `顾客特殊要求 ${row.number}（${row.customer_name}）需复核：来源文件已换版 ${newName}`,
      body: row.title,
      link: `/special-requirements/${id}`,
      secrecy: Number(row.effective_secrecy),
    });
  }
  return rows.length;
}

/**
 * A released version of a document was withdrawn (documents/versions.ts, in its transaction; the
 * version it replaced is current again). For requirements citing the document as their source:
 * a 需复核 set by that version's release goes when the requirement cites the restored version and
 * points at the restored version otherwise; a requirement that cites the withdrawn version (it was
 * re-checked against it) is marked 需复核, because what it cites is gone. A requirement 已落实 with
 * the withdrawn version as its implementing version is marked 需复核 too. Each with a history and an
 * audit entry; returns how many changed.
 */
export async function requirementsOnWithdrawnVersion(
  t: TxCtx,
  documentId: string,
  withdrawn: { id: string; label: string | null; seq: number },
  restored: { id: string; label: string | null; seq: number },
): Promise<number> {
  const gone = versionName(withdrawn.label, withdrawn.seq);
  const back = versionName(restored.label, restored.seq);
  const sources = await t.db
    .selectFrom('sr_requirements')
    .select(['id', 'source_version_id'])
    .where('source_document_id', '=', documentId)
    .where('status', '!=', 'obsolete')
    .where((eb) =>
      eb.or([
        eb.and([eb('needs_recheck', '=', 1), eb('recheck_version_id', '=', withdrawn.id)]),
        eb('source_version_id', '=', withdrawn.id),
      ]),
    )
    .execute();
  const implementing = await t.db
    .selectFrom('sr_document_links as l')
    .innerJoin('sr_requirements as r', 'r.id', 'l.requirement_id')
    .innerJoin('documents as d', 'd.id', 'l.document_id')
    .select(['r.id', 'd.title'])
    .where('l.version_id', '=', withdrawn.id)
    .where('r.status', '=', 'implemented')
    .execute();
  const changes = new Map<string, { recheck: boolean; versionId: string | null; reason: string }>();
  for (const x of sources) {
    if (x.source_version_id === withdrawn.id)
      changes.set(x.id, {
        recheck: true,
        versionId: restored.id,
        reason: `所引用的来源文件版本 ${gone} 已撤回，现行版本恢复为 ${back}，请复核`,
      });
    else if (x.source_version_id === restored.id)
      changes.set(x.id, {
        recheck: false,
        versionId: null,
        reason: `来源文件新版本 ${gone} 已撤回，现行版本恢复为所引用的 ${back}，无需复核`,
      });
    else
      changes.set(x.id, {
        recheck: true,
        versionId: restored.id,
        reason: `来源文件新版本 ${gone} 已撤回，现行版本为 ${back}，仍需按现行版本复核`,
      });
  }
  for (const x of implementing)
    if (!changes.get(x.id)?.recheck)
      changes.set(x.id, {
        recheck: true,
        versionId: null,
        reason: `落实文件《${x.title}》的版本 ${gone} 已撤回，请复核落实情况`,
      });
  for (const [id, c] of changes) {
    const row = await loadRow(t.db, id);
    await t.db
      .updateTable('sr_requirements')
      .set({
        needs_recheck: c.recheck ? 1 : 0,
        recheck_reason: c.recheck ? c.reason : null,
        recheck_version_id: c.versionId,
        updated_at: nowIso(t),
      })
      .where('id', '=', id)
      .execute();
    await repo.writeHistory(t, id, [
      {
        field: 'needsRecheck',
        oldValue: row.needs_recheck === 1 ? '是' : '否',
        newValue: c.recheck ? '是' : '否',
        note: c.reason,
      },
    ]);
    await appendAudit(t, {
      action: c.recheck ? 'sr.recheck_marked' : 'sr.recheck_cleared',
      targetType: 'special_requirement',
      targetId: id,
      targetLabel: labelOf(row),
      secrecy: Number(row.effective_secrecy),
      details: { documentId, withdrawnVersionId: withdrawn.id, version: gone, restored: back },
    });
  }
  return changes.size;
}
