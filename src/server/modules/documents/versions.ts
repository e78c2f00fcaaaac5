import {
  APPROVAL_STATE_LABELS,
  type ApprovalState,
  copyLabel,
  DOCUMENT_FIELD_LABELS,
} from '../../../common/documents.js';
import { HOLD_KIND_LABELS } from '../../../common/retention.js';
import type { Document, NewVersionInput, UpdateVersionInput } from '../../../common/schemas/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { DocumentTable, DocumentVersionTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { activeHolds } from '../retention/hold-query.js';
import {
  requirementsOnNewVersion,
  requirementsOnWithdrawnVersion,
} from '../special-requirements/workflow.js';
import { approvalApplies } from './config.js';
import {
  assertEditable,
  documentFor,
  findVisible,
  obsoleteCurrentVersion,
  type Reader,
  reader,
  recordEvent,
  refreshRetention,
  reindex,
  resourceOf,
  versionName,
  versionStatusText,
} from './service.js';
import { standardOnNewVersion } from './standards.js';

// Versions (R-D4/R-D5). A new version is drawn up as a draft holding its label (or the explicit
// choice of none), dates and files; nothing changes for anyone else until it is made current.
// Making it current is its own step, refused for an electronic record without a file and
// unless the person confirmed exactly the copies to be recalled; it supersedes the current
// version and recalls those copies in one transaction. A draft, or a current version of which
// nobody holds a copy yet (and the record is neither filed nor on hold), can still be
// corrected — label, dates, files — or withdrawn; withdrawing a current version makes the
// previous one current again, with its copies still out back in use. Files taken out keep their
// rows and content (R-D6): they go only with the record's destruction.

type Version = DocumentVersionTable;

/** A version's fields as the API and the history name them. */
const FIELDS = {
  label: 'versionLabel',
  issue_date: 'issueDate',
  received_date: 'receivedDate',
  note: 'note',
};
const FIELD_LABELS = {
  label: DOCUMENT_FIELD_LABELS.versionLabel?.zh ?? '版本',
  issue_date: DOCUMENT_FIELD_LABELS.issueDate?.zh ?? '发文日期',
  received_date: DOCUMENT_FIELD_LABELS.receivedDate?.zh ?? '接收日期',
  note: '换版说明',
};

/** The document, checked for this reader and this change, in the transaction. */
export async function editable(
  r: Reader,
  t: TxCtx,
  id: string,
): Promise<Awaited<ReturnType<typeof findVisible>>> {
  // Changes to one document's versions line up: two releases of one draft, or two drafts made
  // at once, must not both pass their checks (SQLite has one writer; PostgreSQL locks the row).
  if (dialectOf(t.db as never) === 'postgres')
    await t.db.selectFrom('documents').select('id').where('id', '=', id).forUpdate().execute();
  const row = await findVisible(r, id, t.db);
  authorize(t, 'document.update', { type: 'document', id, resource: resourceOf(r, row) });
  assertEditable(row);
  return row;
}

export async function versionOf(db: Db, documentId: string, versionId: string): Promise<Version> {
  const v = await db
    .selectFrom('document_versions')
    .selectAll()
    .where('id', '=', versionId)
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  if (!v) throw notFound();
  return v;
}

const stateError = (v: Pick<Version, 'status'>, ctx: Pick<Ctx, 'lang'>) =>
  new DomainError('version_state', 409, { status: versionStatusText(v.status, ctx.lang) });

async function copiesOf(db: Db, versionId: string) {
  return db
    .selectFrom('document_copies')
    .select(['id', 'recipient', 'mark', 'copy_no', 'recall_status'])
    .where('version_id', '=', versionId)
    .orderBy('copy_no')
    .execute();
}

const labelsOf = (copies: { recipient: string; mark: string; copy_no: number | string }[]) =>
  copies.map((c) => copyLabel(c.recipient, c.mark, Number(c.copy_no)));

/**
 * What may still change in a version — its label, dates and files, a file added as well as one
 * taken out: anything in a draft; in the current version only while no copy of it was handed
 * out and the record is not filed (a filed or distributed version is what people hold — a
 * change to it is a new version).
 */
export async function assertOpen(
  ctx: Pick<Ctx, 'db' | 'lang'>,
  row: Pick<DocumentTable, 'archive_no'>,
  v: Pick<Version, 'id' | 'status'> & { approval?: string | null },
): Promise<void> {
  if (v.status === 'draft') {
    // Under approval, what was submitted is what the signers sign: it changes only after a return.
    if (v.approval && v.approval !== 'drafting')
      throw new DomainError('approval_state', 409, {
        state: APPROVAL_STATE_LABELS[v.approval as ApprovalState]?.[ctx.lang] ?? v.approval,
      });
    return;
  }
  if (v.status !== 'current') throw stateError(v, ctx);
  if ((await copiesOf(ctx.db, v.id)).length > 0) throw new DomainError('version_distributed', 409);
  if (row.archive_no) throw new DomainError('version_filed', 409);
}

/** Taking files out of the version in force, or withdrawing it, changes what the record is: not
 * while it is on hold (R-X5). A draft is not part of the record yet. */
async function assertNotHeld(t: TxCtx, row: Pick<DocumentTable, 'id' | 'customer_id'>): Promise<void> {
  const holds = await activeHolds(t.db, row.id, row.customer_id);
  const first = holds[0];
  if (first)
    throw new DomainError('document_held', 409, {
      reason: `${HOLD_KIND_LABELS[first.kind].zh}：${first.reason}`,
    });
}

/** The label a version gets: one, or none said explicitly; never one another version has. */
export async function checkLabel(
  t: TxCtx,
  documentId: string,
  label: string | null,
  unnumbered: boolean,
  exceptVersionId?: string,
): Promise<void> {
  const problems: FieldProblem[] = [];
  if (label && unnumbered) problems.push({ field: 'versionLabel', key: 'version_label_unnumbered' });
  else if (!label && !unnumbered) problems.push({ field: 'versionLabel', key: 'version_label' });
  else if (label) {
    let q = t.db
      .selectFrom('document_versions')
      .select('id')
      .where('document_id', '=', documentId)
      .where('label', '=', label)
      .where('status', '!=', 'withdrawn');
    if (exceptVersionId) q = q.where('id', '!=', exceptVersionId);
    if (await q.executeTakeFirst())
      problems.push({ field: 'versionLabel', key: 'version_label_taken', params: { value: label } });
  }
  if (problems.length) throw new FieldErrors(problems);
}

function checkReceived(t: TxCtx, date: string | null | undefined): void {
  if (date && date > todayInShanghai(t.now()))
    throw new FieldErrors([{ field: 'receivedDate', key: 'future_date' }]);
}

/** Draws up a new version as a draft; the current version and its copies stay as they are. */
export async function draftVersion(ctx: Ctx, id: string, input: NewVersionInput): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await editable(r, t, id);
    checkReceived(t, input.receivedDate);
    await checkLabel(t, id, input.versionLabel, input.unnumbered);
    const versions = await t.db
      .selectFrom('document_versions')
      .select(['seq', 'status'])
      .where('document_id', '=', id)
      .execute();
    if (versions.some((v) => v.status === 'draft')) throw new DomainError('version_draft_exists', 409);
    const seq = Math.max(0, ...versions.map((v) => Number(v.seq))) + 1;
    const versionId = newId();
    const approval = await approvalApplies(t.db, row);
    await t.db
      .insertInto('document_versions')
      .values({
        id: versionId,
        document_id: id,
        seq,
        label: input.versionLabel,
        issue_date: input.issueDate,
        received_date: input.receivedDate,
        status: 'draft',
        note: input.note,
        created_at: nowIso(t),
        created_by: r.ctx.actor.id,
        obsoleted_at: null,
        obsoleted_by: null,
        approval: approval ? 'drafting' : null,
        approval_round: approval ? 1 : 0,
        effective_date: null,
      })
      .execute();
    const label = versionName({ label: input.versionLabel, seq });
    await recordEvent(t, id, 'version_draft', { label, note: input.note }, versionId);
    await appendAudit(t, {
      action: 'document.version_draft',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: { versionId, seq, label: input.versionLabel },
    });
  });
  return documentFor(r, id);
}

/** Corrects a draft, or the current version before anyone holds a copy of it. */
export async function correctVersion(
  ctx: Ctx,
  id: string,
  versionId: string,
  input: UpdateVersionInput,
): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await editable(r, t, id);
    const v = await versionOf(t.db, id, versionId);
    await assertOpen(t, row, v);
    checkReceived(t, input.receivedDate);
    const label = input.versionLabel !== undefined ? input.versionLabel : input.unnumbered ? null : v.label;
    const unnumbered = input.unnumbered ?? (input.versionLabel === undefined && v.label === null);
    await checkLabel(t, id, label, unnumbered, v.id);
    const next = {
      label,
      issue_date: input.issueDate === undefined ? v.issue_date : input.issueDate,
      received_date: input.receivedDate === undefined ? v.received_date : input.receivedDate,
      note: input.note === undefined ? v.note : input.note,
    };
    const changes = (Object.keys(next) as (keyof typeof next)[])
      .filter((k) => next[k] !== v[k])
      .map((k) => ({ field: FIELDS[k], label: FIELD_LABELS[k], from: v[k], to: next[k] }));
    if (changes.length === 0) return;
    await t.db.updateTable('document_versions').set(next).where('id', '=', v.id).execute();
    if (v.status === 'current') {
      // The register shows the current version's label and dates.
      await t.db
        .updateTable('documents')
        .set({
          version_label: next.label,
          issue_date: next.issue_date,
          received_date: next.received_date,
          updated_at: nowIso(t),
          updated_by: r.ctx.actor.id,
        })
        .where('id', '=', id)
        .execute();
      await refreshRetention(t, [id]);
      await reindex(t.db, id);
    }
    await recordEvent(t, id, 'version_edit', { changes }, v.id);
    await appendAudit(t, {
      action: 'document.version_edit',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: { versionId: v.id, status: v.status, changes },
    });
  });
  return documentFor(r, id);
}

/**
 * The draft becomes current; the current version becomes obsolete (作废) with who and when,
 * and every copy of it still out is to be recalled (R-D4/R-D5) — all in one transaction, and
 * only if the person confirmed exactly those copies.
 */
export async function releaseVersion(
  ctx: Ctx,
  id: string,
  versionId: string,
  recallCopyIds: string[],
): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await editable(r, t, id);
    const v = await versionOf(t.db, id, versionId);
    if (v.status !== 'draft') throw stateError(v, t);
    assertApproved(t, v);
    await makeCurrent(t, row, v, recallCopyIds);
  });
  return documentFor(r, id);
}

/**
 * A version under approval comes into force only approved and on or after its effective date
 * (生效日期); a version not under approval (external, customer, records) as before.
 */
export function assertApproved(t: Pick<Ctx, 'lang' | 'now'>, v: Version): void {
  if (v.approval === null) return;
  if (v.approval !== 'approved')
    throw new DomainError('version_not_approved', 409, {
      state: APPROVAL_STATE_LABELS[v.approval as ApprovalState]?.[t.lang] ?? v.approval,
    });
  if (!v.effective_date || v.effective_date > todayInShanghai(t.now()))
    throw new DomainError('version_not_effective', 409, { date: v.effective_date ?? '' });
}

/**
 * The draft becomes current: the version in force (if any) becomes obsolete and its copies still
 * out are to be recalled — only if they are exactly `recallCopyIds` (what the person confirmed),
 * or all of them when the version comes into force by its effective date (`'all'`). A document
 * whose first version was under approval is current from now on.
 */
export async function makeCurrent(
  t: TxCtx,
  row: Pick<DocumentTable, 'id' | 'title' | 'secrecy' | 'carrier' | 'status'>,
  v: Version,
  recallCopyIds: string[] | 'all',
): Promise<void> {
  const id = row.id;
  if (row.carrier !== 'paper') {
    const file = await t.db
      .selectFrom('document_files')
      .select('id')
      .where('version_id', '=', v.id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!file) throw new DomainError('version_file_required', 422, {}, 'file');
  }
  const previous = await t.db
    .selectFrom('document_versions')
    .selectAll()
    .where('document_id', '=', id)
    .where('status', '=', 'current')
    .executeTakeFirst();
  const out = previous ? (await copiesOf(t.db, previous.id)).filter((c) => c.recall_status === 'none') : [];
  if (recallCopyIds !== 'all') {
    const confirmed = new Set(recallCopyIds);
    if (out.length !== confirmed.size || out.some((c) => !confirmed.has(c.id)))
      throw new DomainError('recall_list_changed', 409, { count: out.length });
  }
  const now = nowIso(t);
  if (previous) await obsoleteCurrentVersion(t, id, now);
  await t.db.updateTable('document_versions').set({ status: 'current' }).where('id', '=', v.id).execute();
  // The draft's files are the record's from now on: they count (files.ts counted none of them).
  const { n: draftFiles } = await t.db
    .selectFrom('document_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('version_id', '=', v.id)
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow();
  await t.db
    .updateTable('documents')
    .set((eb) => ({
      status: 'current',
      version_label: v.label,
      issue_date: v.issue_date,
      received_date: v.received_date,
      file_count: eb('file_count', '+', Number(draftFiles)),
      // A first version was counted when the document was registered.
      version_count: eb('version_count', '+', previous ? 1 : 0),
      updated_at: now,
      updated_by: t.actor?.id ?? 'system',
    }))
    .where('id', '=', id)
    .execute();
  const recalled = labelsOf(out);
  // Customer special requirements citing this document need re-checking (R-S5).
  if (previous) await requirementsOnNewVersion(t, id, v.id);
  // A standard's or law's new edition is the outcome of its 查新 (standards.ts).
  if (previous) await standardOnNewVersion(t, id, v.id, todayInShanghai(t.now()));
  await recordEvent(
    t,
    id,
    'version',
    {
      previous: previous ? versionName(previous) : null,
      note: v.note,
      recalled,
      effectiveDate: v.effective_date,
    },
    v.id,
  );
  await refreshRetention(t, [id]);
  await reindex(t.db, id);
  await appendAudit(t, {
    action: 'document.version',
    targetType: 'document',
    targetId: id,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    details: {
      versionId: v.id,
      seq: Number(v.seq),
      label: v.label,
      obsoleted: previous?.id ?? null,
      recalled,
      effectiveDate: v.effective_date,
    },
  });
}

/** Takes files out of their version: their rows stay, marked, and their content stays stored. */
async function takeOut(t: TxCtx, documentId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return;
  const now = nowIso(t);
  // Only files of versions in the record were counted; a draft's were not.
  const { n } = await t.db
    .selectFrom('document_files as f')
    .innerJoin('document_versions as v', 'v.id', 'f.version_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('f.id', 'in', fileIds)
    .where('f.removed_at', 'is', null)
    .where('v.status', '!=', 'draft')
    .executeTakeFirstOrThrow();
  await t.db
    .updateTable('document_files')
    .set({ removed_at: now, removed_by: t.actor?.id ?? null })
    .where('id', 'in', fileIds)
    .where('removed_at', 'is', null)
    .execute();
  await t.db
    .updateTable('documents')
    .set((eb) => ({ file_count: eb('file_count', '-', Number(n)), updated_at: now }))
    .where('id', '=', documentId)
    .execute();
}

/**
 * Withdraws a draft (discarded), or a current version nobody holds a copy of yet: it goes, and
 * the version it replaced is current again with its copies still out back in use. Copies the
 * archivist already took back stay recalled (the paper came back; they are issued again if
 * needed). The first version is never withdrawn: that is withdrawing the document.
 */
export async function withdrawVersion(
  ctx: Ctx,
  id: string,
  versionId: string,
  reason: string,
): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await editable(r, t, id);
    const v = await versionOf(t.db, id, versionId);
    // A document never in force keeps its only version: withdrawing it is withdrawing the document.
    if (row.status === 'draft') throw new DomainError('version_first', 409);
    await assertOpen(t, row, v);
    if (v.status === 'current') await assertNotHeld(t, row);
    const now = nowIso(t);
    const files = await t.db
      .selectFrom('document_files')
      .select(['id', 'name', 'sha256'])
      .where('version_id', '=', v.id)
      .where('removed_at', 'is', null)
      .execute();
    const details: Record<string, unknown> = {
      versionId: v.id,
      label: versionName(v),
      status: v.status,
      reason,
      files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
    };
    if (v.status === 'current') {
      const previous = await t.db
        .selectFrom('document_versions')
        .selectAll()
        .where('document_id', '=', id)
        .where('status', '=', 'obsolete')
        .where('seq', '<', v.seq)
        .orderBy('seq', 'desc')
        .executeTakeFirst();
      if (!previous) throw new DomainError('version_first', 409);
      const copies = await copiesOf(t.db, previous.id);
      await t.db
        .updateTable('document_versions')
        .set({ status: 'current', obsoleted_at: null, obsoleted_by: null })
        .where('id', '=', previous.id)
        .execute();
      await t.db
        .updateTable('document_copies')
        .set({ recall_status: 'none' })
        .where('version_id', '=', previous.id)
        .where('recall_status', '=', 'pending')
        .execute();
      await t.db
        .updateTable('documents')
        .set((eb) => ({
          version_label: previous.label,
          issue_date: previous.issue_date,
          received_date: previous.received_date,
          version_count: eb('version_count', '-', 1),
          updated_at: now,
          updated_by: r.ctx.actor.id,
        }))
        .where('id', '=', id)
        .execute();
      details.restored = versionName(previous);
      // Customer special requirements marked 需复核 by this version's release (R-S5).
      await requirementsOnWithdrawnVersion(t, id, v, previous);
      details.backInUse = labelsOf(copies.filter((c) => c.recall_status === 'pending'));
      details.stillRecalled = labelsOf(copies.filter((c) => c.recall_status === 'recalled'));
    }
    await t.db
      .updateTable('document_versions')
      .set({ status: 'withdrawn', obsoleted_at: now, obsoleted_by: r.ctx.actor.id })
      .where('id', '=', v.id)
      .execute();
    await takeOut(
      t,
      id,
      files.map((f) => f.id),
    );
    if (v.status === 'current') await refreshRetention(t, [id]);
    await reindex(t.db, id);
    await recordEvent(t, id, 'version_withdraw', details, v.id);
    await appendAudit(t, {
      action: 'document.version_withdraw',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details,
    });
  });
  return documentFor(r, id);
}

/** Takes a file out of a draft, or out of the current version before anyone holds a copy; an
 * electronic record's current version keeps at least one file (upload the replacement first). */
export async function removeFile(ctx: Ctx, id: string, fileId: string): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await editable(r, t, id);
    const file = await t.db
      .selectFrom('document_files')
      .select(['id', 'name', 'sha256', 'version_id'])
      .where('id', '=', fileId)
      .where('document_id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!file) throw notFound();
    const v = await versionOf(t.db, id, file.version_id);
    await assertOpen(t, row, v);
    if (v.status === 'current') await assertNotHeld(t, row);
    if (v.status === 'current' && row.carrier !== 'paper') {
      const { n } = await t.db
        .selectFrom('document_files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('version_id', '=', v.id)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(n) <= 1) throw new DomainError('file_remove_last', 409);
    }
    await takeOut(t, id, [file.id]);
    await reindex(t.db, id);
    await recordEvent(t, id, 'file_remove', { name: file.name, sha256: file.sha256 }, v.id);
    await appendAudit(t, {
      action: 'document.file_remove',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: { versionId: v.id, fileId: file.id, name: file.name, sha256: file.sha256 },
    });
  });
  return documentFor(r, id);
}
