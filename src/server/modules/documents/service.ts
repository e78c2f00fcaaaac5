import {
  APPROVAL_STATE_LABELS,
  type ApprovalState,
  authorizationMissing,
  DOCUMENT_FIELD_LABELS,
  PREVIEW_TYPES,
  stampable,
  VERSION_STATUS_LABELS,
  type VersionStatus,
} from '../../../common/documents.js';
import { type Lang, secrecyFromRank, secrecyRank } from '../../../common/enums.js';
import { recordYear, retentionDue } from '../../../common/retention.js';
import type {
  Document,
  DocumentEvent,
  DocumentFilter,
  DocumentListItem,
  DocumentListQuery,
  RegisterDocumentInput,
  UpdateDocumentInput,
} from '../../../common/schemas/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { DocumentTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextSequence } from '../../platform/numbering.js';
import { type ActiveGrant, activeGrant } from '../../platform/policy/grants.js';
import { authorize, can } from '../../platform/policy/index.js';
import { type CustomerPredicate, documentSecrecy, documentVisible } from '../../platform/policy/records.js';
import type { DocumentResource } from '../../platform/policy/rules.js';
import type { SearchRefresher } from '../../platform/search-refresh.js';
import type { BlobStore } from '../../platform/storage.js';
import { projectLinkProblem } from '../customers/project-links.js';
import { findVisible as findVisibleCustomer, type Reader, reader } from '../customers/service.js';
import { departmentProblem } from '../org/service.js';
import { loadRetentionRules } from '../retention/config.js';
import { activeHolds } from '../retention/hold-query.js';
import { approvalViews, maySeeApprovalDrafts, NO_STEPS } from './approval.js';
import { approvalApplies, loadCategories, loadDocumentSettings, retentionProblem } from './config.js';
import { afterEncryptionChange, applyEncryptionFor, type EncryptionChange } from './encryption.js';
import * as repo from './repo.js';
import { termColumns, termFields } from './secrecy-marks.js';
import * as versions from './versions.js';

// The document register (R-D1 … R-D4): registration, metadata changes with their history,
// versions (a new one makes the previous obsolete), withdrawal, lists and search. Files are in
// files.ts.

export { type Reader, reader };

export function visibleTo(r: Reader): CustomerPredicate {
  return documentVisible(r.ctx.actor, r.scope, r.ctx.now());
}

export function resourceOf(
  r: Reader,
  row: Pick<DocumentTable, 'department_id' | 'created_by'>,
): DocumentResource {
  return { inActorDepartments: r.scope.departmentIds.includes(row.department_id), createdBy: row.created_by };
}

/** The last day of a loan: its grant expires at midnight after it (Asia/Shanghai). */
export const loanUntil = (grant: ActiveGrant) => todayInShanghai(new Date(Date.parse(grant.expiresAt) - 1));

/**
 * Under a loan, what the reader may take away (R-P4, R-P7): a download or a stamped copy only
 * when the request allows copies, and then only as a copy stamped with the loan, so of PDF and
 * images. The inline view of a loan for reading is stamped as well.
 */
export function loanRefusal(
  grant: ActiveGrant,
  file: { mime: string; size: number | string },
  copy: boolean,
): DomainError | null {
  if (copy && !grant.canDownload) return new DomainError('grant_no_download', 403, { number: grant.number });
  if (!stampable(file.mime, Number(file.size))) return new DomainError('grant_unstampable', 403);
  return null;
}

/**
 * The access request through which the reader sees the document, when they would not see it
 * otherwise (R-P7): reads under it are audited with its number, copies are stamped with it.
 */
export async function grantBehind(
  r: Reader,
  row: Pick<DocumentTable, 'id' | 'customer_id'>,
): Promise<ActiveGrant | null> {
  const own = await repo
    .documentsFrom(r.ctx.db)
    .select('d.id')
    .where('d.id', '=', row.id)
    .where(documentVisible(r.ctx.actor, r.scope, r.ctx.now(), { grants: false }))
    .executeTakeFirst();
  return own ? null : activeGrant(r.ctx, { documentId: row.id, customerId: row.customer_id });
}

/** The document if the reader may see it; otherwise 404, as if it did not exist (R-P1). */
export async function findVisible(r: Reader, id: string, db: Db = r.ctx.db): Promise<repo.DocumentRow> {
  const row = await repo
    .withNames(repo.documentsFrom(db))
    .where('d.id', '=', id)
    .where(visibleTo(r))
    .executeTakeFirst();
  if (!row) throw notFound();
  return row as repo.DocumentRow;
}

export async function reindex(db: Db, documentId: string): Promise<void> {
  const row = await db
    .selectFrom('documents')
    .select('search_key')
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  await repo.documentIndex(db).put(db, Number(row.search_key), await repo.documentTokens(db, documentId));
}

/** Indexes documents again after the token code changed (platform/search-refresh.ts); a few
 * at a time, since a document's tokens include the text of its files. */
export const documentSearchRefresher: SearchRefresher = {
  name: 'documents',
  batch: async (db, after, limit) => {
    let q = db
      .selectFrom('documents')
      .select(['id', 'search_key'])
      .where('search_key', '>', after)
      .orderBy('search_key')
      .limit(Math.min(limit, 20));
    if (dialectOf(db as never) === 'postgres') q = q.forUpdate();
    const rows = await q.execute();
    const last = rows.at(-1);
    if (!last) return null;
    for (const r of rows) await reindex(db, r.id);
    return { last: Number(last.search_key), count: rows.length };
  },
};

export async function recordEvent(
  t: TxCtx,
  documentId: string,
  kind: DocumentEvent['kind'],
  details: Record<string, unknown>,
  versionId: string | null = null,
): Promise<void> {
  await t.db
    .insertInto('document_events')
    .values({
      id: newId(),
      document_id: documentId,
      at: nowIso(t),
      actor_id: t.actor?.id ?? null,
      actor_name: t.actor?.name ?? null,
      kind,
      version_id: versionId,
      details: JSON.stringify(details),
    })
    .execute();
}

export function assertEditable(row: Pick<DocumentTable, 'status'>): void {
  if (row.status === 'obsolete') throw new DomainError('document_obsolete', 409);
  if (row.status === 'destroyed') throw new DomainError('document_destroyed', 409);
}

type RetentionRow = Pick<
  DocumentTable,
  | 'id'
  | 'retention'
  | 'issue_date'
  | 'received_date'
  | 'created_at'
  | 'life_end_date'
  | 'withdrawn_at'
  | 'archive_no'
  | 'extended_due'
>;

/** Recomputes the due-for-appraisal date and the record's year of the given documents (R-X1),
 * after any change to what they depend on. */
export async function refreshRetention(t: TxCtx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rules = await loadRetentionRules(t.db);
  const rows: RetentionRow[] = await t.db
    .selectFrom('documents')
    .select([
      'id',
      'retention',
      'issue_date',
      'received_date',
      'created_at',
      'life_end_date',
      'withdrawn_at',
      'archive_no',
      'extended_due',
    ])
    .where('id', 'in', ids)
    .execute();
  for (const r of rows) {
    const subject = {
      retention: r.retention,
      issueDate: r.issue_date,
      receivedDate: r.received_date,
      createdAt: r.created_at,
      lifeEndDate: r.life_end_date,
      withdrawnAt: r.withdrawn_at,
      filed: r.archive_no !== null,
      extendedDue: r.extended_due,
    };
    await t.db
      .updateTable('documents')
      .set({ retention_due: retentionDue(subject, rules), record_year: recordYear(subject) })
      .where('id', '=', r.id)
      .execute();
  }
}

/** After the keep period of obsolete originals changed: every withdrawn, unfiled document. */
export async function refreshWithdrawn(ctx: Ctx): Promise<void> {
  await tx(ctx, async (t) => {
    let after = -1;
    for (;;) {
      const rows = await t.db
        .selectFrom('documents')
        .select(['id', 'search_key'])
        .where('withdrawn_at', 'is not', null)
        .where('archive_no', 'is', null)
        .where('search_key', '>', after)
        .orderBy('search_key')
        .limit(500)
        .execute();
      await refreshRetention(
        t,
        rows.map((r) => r.id),
      );
      if (rows.length < 500) break;
      after = Number(rows.at(-1)?.search_key);
    }
  });
}

// Reading --------------------------------------------------------------------------------------

/** A version's label as people read it, #n when it has none. */
export const versionName = (v: { label: string | null; seq: number | string }) => v.label ?? `#${v.seq}`;

export function versionStatusText(status: string, lang: Lang): string {
  return VERSION_STATUS_LABELS[status as VersionStatus]?.[lang] ?? status;
}

async function toDocument(
  r: Reader,
  row: repo.DocumentRow,
  known?: { grant: ActiveGrant | null },
): Promise<Document> {
  const resource = resourceOf(r, row);
  const mayUpdate =
    (row.status === 'current' || row.status === 'draft') && can(r.ctx.actor, 'document.update', resource);
  const holds = await activeHolds(r.ctx.db, row.id, row.customer_id);
  const held = holds.length > 0;
  const grant = known ? known.grant : await grantBehind(r, row);
  // Drafts under approval are seen by whoever may sign one of their steps as well.
  const signer = maySeeApprovalDrafts(r.ctx.actor);
  const listed = (await repo.versionsOf(r.ctx.db, row.id, { drafts: mayUpdate || signer })).filter(
    (v) => v.status !== 'draft' || mayUpdate || v.approvalState !== null,
  );
  const approvals = await approvalViews(r, row, listed, mayUpdate);
  const destroyed = row.status === 'destroyed';
  // What the buttons of each version and file offer; versions.ts, files.ts and stamp.ts check
  // each request again.
  const versions = listed.map(({ approvalState, approvalRound, effectiveDate, ...v }) => {
    const open = v.status === 'draft' || (v.status === 'current' && v.copies === 0 && !row.archive_no);
    const hasPrevious = listed.some((o) => o.status === 'obsolete' && o.seq < v.seq);
    const approval = approvals.get(v.id);
    const files = v.files.map((f) => ({
      ...f,
      can: {
        preview: !destroyed && PREVIEW_TYPES.includes(f.mime) && !(grant && loanRefusal(grant, f, false)),
        download: !destroyed && !(grant && loanRefusal(grant, f, true)),
        stamp:
          !destroyed &&
          v.status !== 'draft' &&
          stampable(f.mime, f.size) &&
          !(grant && loanRefusal(grant, f, true)),
      },
    }));
    const approved =
      approvalState === null ||
      (approvalState === 'approved' && !!effectiveDate && effectiveDate <= todayInShanghai(r.ctx.now()));
    return {
      ...v,
      files,
      approval: approval?.approval ?? null,
      can: {
        // A version under approval is changed while it is being drawn up (or returned).
        correct: mayUpdate && open && (approvalState === null || approvalState === 'drafting'),
        release: mayUpdate && v.status === 'draft' && approved,
        withdraw:
          mayUpdate && open && !held && (v.status === 'draft' || hasPrevious) && row.status !== 'draft',
        ...(approval?.can ?? NO_STEPS),
      },
    };
  });
  const pending = await r.ctx.db
    .selectFrom('document_copies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('document_id', '=', row.id)
    .where('recall_status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const names = await repo.userNames(r.ctx.db, [row.created_by]);
  const project = row.project_id
    ? await r.ctx.db
        .selectFrom('projects')
        .select(['id', 'code', 'name'])
        .where('id', '=', row.project_id)
        .executeTakeFirst()
    : undefined;
  const disposal = row.disposal_id
    ? await r.ctx.db
        .selectFrom('disposals')
        .select(['id', 'number'])
        .where('id', '=', row.disposal_id)
        .executeTakeFirst()
    : undefined;
  return {
    id: row.id,
    title: row.title,
    docNumber: row.doc_number,
    responsibleParty: row.responsible_party,
    source: row.source as Document['source'],
    category: row.category,
    categoryName: row.category_name,
    carrier: row.carrier as Document['carrier'],
    pages: row.pages === null ? null : Number(row.pages),
    location: row.location,
    secrecy: secrecyFromRank(Number(row.secrecy)),
    effectiveSecrecy: secrecyFromRank(Number(row.effective_secrecy)),
    ...termFields(row, todayInShanghai(r.ctx.now())),
    retention: row.retention as Document['retention'],
    customer:
      row.customer_id && row.customer_code
        ? { id: row.customer_id, archiveCode: row.customer_code, name: row.customer_name ?? '' }
        : null,
    project: project ?? null,
    departmentId: row.department_id,
    departmentName: row.department_name,
    status: row.status as Document['status'],
    archiveNo: row.archive_no,
    filedAt: row.filed_at,
    versionLabel: row.version_label,
    issueDate: row.issue_date,
    receivedDate: row.received_date,
    changesInternal: row.changes_internal,
    customerAuthorizedBy: row.customer_authorized_by,
    customerAuthorizedOn: row.customer_authorized_on,
    productionUse: row.production_use === 1,
    customerAuthorization: row.customer_authorization_sha256
      ? { name: row.customer_authorization_name ?? '', sha256: row.customer_authorization_sha256 }
      : null,
    authorizationMissing: authorizationMissing({
      productionUse: row.production_use === 1,
      file: row.customer_authorization_sha256,
      signatory: row.customer_authorized_by,
      date: row.customer_authorized_on,
    }),
    remarks: row.remarks,
    obsoleteReason: row.obsolete_reason,
    lifeEndDate: row.life_end_date,
    controlled: row.controlled === 1,
    retentionDue: row.retention_due,
    withdrawnAt: row.withdrawn_at,
    destroyedAt: row.destroyed_at,
    disposal: disposal ?? null,
    holds,
    pendingRecalls: Number(pending.n),
    versions,
    loan: grant
      ? {
          requestId: grant.requestId,
          number: grant.number,
          download: grant.canDownload,
          until: loanUntil(grant),
        }
      : null,
    createdAt: row.created_at,
    createdBy: { id: row.created_by, name: names.get(row.created_by) ?? row.created_by },
    updatedAt: row.updated_at,
    can: {
      update: mayUpdate,
      obsolete:
        (row.status === 'current' || row.status === 'draft') &&
        can(r.ctx.actor, 'document.obsolete', resource),
      file: row.status === 'current' && !row.archive_no && can(r.ctx.actor, 'document.file'),
      distribute:
        row.status !== 'destroyed' && row.status !== 'draft' && can(r.ctx.actor, 'document.distribute'),
      hold: row.status !== 'destroyed' && can(r.ctx.actor, 'hold.manage'),
      secrecyRequest: row.status === 'current' && can(r.ctx.actor, 'document.secrecy_request', resource),
    },
  };
}

/** A document's page; reading the metadata is audited (R-L1). */
export async function getDocument(ctx: Ctx, id: string): Promise<Document> {
  const r = await reader(ctx);
  const row = await findVisible(r, id);
  const grant = await grantBehind(r, row);
  await appendAudit(ctx, {
    action: 'document.read',
    targetType: 'document',
    targetId: row.id,
    targetLabel: row.title,
    secrecy: Number(row.secrecy),
    ...(grant ? { details: { grant: grant.number } } : {}),
  });
  return toDocument(r, row, { grant });
}

/** The document as the reader sees it after a change. */
export async function documentFor(r: Reader, id: string): Promise<Document> {
  return toDocument(r, await findVisible(r, id));
}

export async function documentEvents(ctx: Ctx, id: string): Promise<DocumentEvent[]> {
  const r = await reader(ctx);
  await findVisible(r, id);
  const rows = await ctx.db
    .selectFrom('document_events as e')
    .leftJoin('document_versions as v', 'v.id', 'e.version_id')
    .select(['e.id', 'e.at', 'e.actor_name', 'e.kind', 'e.details', 'v.seq', 'v.label'])
    .where('e.document_id', '=', id)
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
  return rows.map((e) => ({
    id: e.id,
    at: e.at,
    actorName: e.actor_name,
    kind: e.kind as DocumentEvent['kind'],
    versionLabel: e.seq === null ? null : (e.label ?? `#${e.seq}`),
    details: JSON.parse(e.details) as Record<string, unknown>,
  }));
}

export function filteredDocuments(r: Reader, f: DocumentFilter): repo.DocumentQuery {
  let q = repo.documentsFrom(r.ctx.db).where(visibleTo(r));
  if (f.q) {
    const keys = repo.documentIndex(r.ctx.db).matchKeys(f.q);
    // A query with nothing searchable in it (only punctuation) matches nothing.
    q = keys ? q.where('d.search_key', 'in', keys as never) : q.where('d.id', '=', '');
  }
  if (f.category) q = q.where('d.category', '=', f.category);
  if (f.customerId) q = q.where('d.customer_id', '=', f.customerId);
  if (f.projectId) q = q.where('d.project_id', '=', f.projectId);
  if (f.departmentId) q = q.where('d.department_id', '=', f.departmentId);
  // By the level it is handled at, as the lists show it (R-P9).
  if (f.secrecy) q = q.where(documentSecrecy('d'), '=', secrecyRank(f.secrecy));
  if (f.retention) q = q.where('d.retention', '=', f.retention);
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.held) q = q.where('d.status', '!=', 'destroyed');
  if (f.recordYear) q = q.where('d.record_year', '=', f.recordYear);
  if (f.carrier) q = q.where('d.carrier', '=', f.carrier);
  if (f.issuedFrom) q = q.where('d.issue_date', '>=', f.issuedFrom);
  if (f.issuedTo) q = q.where('d.issue_date', '<=', f.issuedTo);
  if (f.receivedFrom) q = q.where('d.received_date', '>=', f.receivedFrom);
  if (f.receivedTo) q = q.where('d.received_date', '<=', f.receivedTo);
  if (f.register === 'filed') q = q.where('d.archive_no', 'is not', null);
  else if (f.register) {
    const customerDocuments = f.register === 'customer' ? 1 : 0;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('document_categories as rk')
          .select('rk.code')
          .whereRef('rk.code', '=', 'd.category')
          .where('rk.external', '=', 1)
          .where('rk.customer_documents', '=', customerDocuments),
      ),
    );
  }
  return q;
}

/** Newest first by default; keyset pages on the search key (unique, in registration order). */
export async function listDocuments(
  ctx: Ctx,
  query: DocumentListQuery,
): Promise<{ items: DocumentListItem[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  const byArchiveNo = query.sort === 'archiveNo';
  const after = decodeCursor(query.cursor, byArchiveNo ? cursorValue.text : cursorValue.key);
  const order = query.order ?? (byArchiveNo ? 'asc' : 'desc');
  let q = repo.withNames(filteredDocuments(r, query));
  if (byArchiveNo) q = q.where('d.archive_no', 'is not', null);
  if (after) {
    const op = order === 'asc' ? '>' : '<';
    const [value] = after;
    q = typeof value === 'number' ? q.where('d.search_key', op, value) : q.where('d.archive_no', op, value);
  }
  const rows = (await q
    .orderBy(byArchiveNo ? 'd.archive_no' : 'd.search_key', order)
    .limit(query.limit + 1)
    .execute()) as repo.DocumentRow[];
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  const items = page.map(repo.toListItem);
  const distribution = await repo.distributionOf(
    ctx.db,
    items.map((i) => i.id),
  );
  for (const item of items) item.distribution = distribution.get(item.id) ?? '';
  // The longest word of the query is the likeliest to point at the right place in the text.
  const word = (query.q ?? '').split(/\s+/).sort((a, b) => b.length - a.length)[0] ?? '';
  if (word) {
    const found = await repo.snippets(
      ctx.db,
      items.map((i) => i.id),
      word,
    );
    for (const item of items) item.snippet = found.get(item.id) ?? null;
  }
  const cursorOf = (row: repo.DocumentRow) => (byArchiveNo ? row.archive_no : Number(row.search_key));
  return { items, nextCursor: more && last ? encodeCursor([cursorOf(last)]) : null };
}

export async function countDocuments(ctx: Ctx, f: DocumentFilter): Promise<number> {
  const r = await reader(ctx);
  const row = await filteredDocuments(r, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Registering and changing ------------------------------------------------------------------------

interface Checked {
  category: Awaited<ReturnType<typeof loadCategories>>[number];
  customerDepartmentId: string | null;
}

/** Rules zod cannot know: configured categories, visible customers, departments, clearance. */
async function checkReferences(
  r: Reader,
  t: TxCtx,
  input: Partial<RegisterDocumentInput>,
  current?: Pick<DocumentTable, 'category' | 'customer_id' | 'production_use' | 'project_id'>,
): Promise<Checked> {
  const problems: FieldProblem[] = [];
  const categories = await loadCategories(t.db);
  const code = input.category ?? current?.category;
  const category = categories.find((c) => c.code === code);
  if (!category || (!category.active && input.category !== undefined)) {
    problems.push({ field: 'category', key: 'lookup', params: { value: code } });
  }
  let customerDepartmentId: string | null = null;
  if (input.customerId) {
    try {
      customerDepartmentId = (await findVisibleCustomer(r, input.customerId, t.db)).department_id;
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 404) throw err;
      problems.push({ field: 'customerId', key: 'lookup', params: { value: input.customerId } });
    }
  }
  const customerId = input.customerId !== undefined ? input.customerId : current?.customer_id;
  if (category?.customerDocuments && !customerId) problems.push({ field: 'customerId', key: 'required' });
  // 项目档案: a project of the document's own archive; a move to another archive takes the link
  // along only when the project is of the new archive too.
  const projectId = input.projectId !== undefined ? input.projectId : current?.project_id;
  if (projectId && (input.projectId !== undefined || input.customerId !== undefined)) {
    const problem = await projectLinkProblem(
      t.db,
      projectId,
      customerId,
      input.projectId !== undefined && input.projectId !== current?.project_id,
    );
    if (problem) problems.push(problem);
  }
  const productionUse = input.productionUse ?? (current ? current.production_use === 1 : false);
  if (productionUse && category && !category.customerDocuments)
    throw new DomainError('production_use_customer_only', 422, {}, 'productionUse');
  if (input.departmentId) {
    const problem = await departmentProblem(t.db, 'departmentId', input.departmentId);
    if (problem) problems.push(problem);
  }
  if (input.receivedDate && input.receivedDate > todayInShanghai(t.now()))
    problems.push({ field: 'receivedDate', key: 'future_date' });
  const retention = retentionProblem(await loadDocumentSettings(t.db), input.retention);
  if (retention) problems.push(retention);
  if (problems.length) throw new FieldErrors(problems);
  if (input.secrecy && secrecyRank(input.secrecy) > r.ctx.actor.clearance)
    throw new DomainError('secrecy_above_own', 422, {}, 'secrecy');
  return { category: category as Checked['category'], customerDepartmentId };
}

export async function registerDocument(ctx: Ctx, input: RegisterDocumentInput): Promise<Document> {
  authorize(ctx, 'document.create', { type: 'document' });
  const r = await reader(ctx);
  const id = await tx(ctx, (t) => insertDocument(r, t, input, { approval: true }));
  return toDocument(r, await findVisible(r, id));
}

/**
 * A paper the system files by itself in the caller's transaction (an appraisal report, a
 * completed destruction register), when the caller's own rules allowed the step that produces
 * it; the actor may be the system (`systemTriggeredBy`). Returns the new document's id.
 */
export async function registerPaper(t: TxCtx, input: RegisterDocumentInput): Promise<string> {
  return insertDocument(await reader(t), t, input, { approval: false });
}

/** Registers a document in the caller's transaction after the form's checks; an internal
 * document of a category under approval (编制 → 审核 → 批准) starts not in force, its first version
 * a draft being drawn up (approval.ts). Papers the system files itself and rows imported from a
 * register kept before are records in force, never under approval. `registered` adds to the
 * history entry (an import names its file and row). */
export async function insertDocument(
  r: Reader,
  t: TxCtx,
  input: RegisterDocumentInput,
  opts: { approval: boolean; registered?: Record<string, unknown> },
): Promise<string> {
  const { category, customerDepartmentId } = await checkReferences(r, t, input);
  const approval = opts.approval && input.source === 'internal' && category.approval && !category.external;
  const departmentId =
    input.departmentId ?? customerDepartmentId ?? category.departmentId ?? t.actor?.departmentId;
  if (!departmentId) throw new FieldErrors([{ field: 'departmentId', key: 'required' }]);
  const now = nowIso(t);
  const actorId = r.ctx.actor.id;
  const documentId = newId();
  const versionId = newId();
  await t.db
    .insertInto('documents')
    .values({
      id: documentId,
      search_key: await nextSequence(t, 'document_search_key'),
      title: input.title,
      doc_number: input.docNumber,
      responsible_party: input.responsibleParty,
      source: input.source,
      category: category.code,
      carrier: input.carrier,
      pages: input.pages ?? null,
      location: input.location,
      secrecy: secrecyRank(input.secrecy),
      ...termColumns(input.secrecyTerm, input.issueDate ?? input.receivedDate ?? todayInShanghai(t.now())),
      retention: input.retention ?? category.retention,
      customer_id: input.customerId ?? null,
      project_id: input.projectId ?? null,
      department_id: departmentId,
      status: approval ? 'draft' : 'current',
      obsolete_reason: null,
      archive_no: null,
      version_label: input.versionLabel,
      issue_date: input.issueDate,
      received_date: input.receivedDate,
      version_count: 1,
      file_count: 0,
      changes_internal: input.changesInternal,
      customer_authorized_by: input.customerAuthorizedBy,
      customer_authorized_on: input.customerAuthorizedOn,
      production_use: input.productionUse ? 1 : 0,
      customer_authorization_sha256: null,
      customer_authorization_name: null,
      remarks: input.remarks,
      created_at: now,
      created_by: actorId,
      updated_at: now,
      updated_by: actorId,
      life_end_date: input.lifeEndDate,
      controlled: (input.controlled ?? category.controlled) ? 1 : 0,
    })
    .execute();
  await refreshRetention(t, [documentId]);
  await t.db
    .insertInto('document_versions')
    .values({
      id: versionId,
      document_id: documentId,
      seq: 1,
      label: input.versionLabel,
      issue_date: input.issueDate,
      received_date: input.receivedDate,
      status: approval ? 'draft' : 'current',
      note: null,
      created_at: now,
      created_by: actorId,
      obsoleted_at: null,
      obsoleted_by: null,
      approval: approval ? 'drafting' : null,
      approval_round: approval ? 1 : 0,
      effective_date: null,
    })
    .execute();
  await recordEvent(t, documentId, 'register', { title: input.title, ...opts.registered }, versionId);
  await reindex(t.db, documentId);
  await appendAudit(t, {
    action: 'document.create',
    targetType: 'document',
    targetId: documentId,
    targetLabel: input.title,
    secrecy: secrecyRank(input.secrecy),
    details: { category: category.code, customerId: input.customerId ?? null, versionId },
  });
  return documentId;
}

const COLUMNS = {
  title: 'title',
  docNumber: 'doc_number',
  responsibleParty: 'responsible_party',
  source: 'source',
  category: 'category',
  carrier: 'carrier',
  pages: 'pages',
  location: 'location',
  secrecy: 'secrecy',
  retention: 'retention',
  lifeEndDate: 'life_end_date',
  controlled: 'controlled',
  customerId: 'customer_id',
  projectId: 'project_id',
  departmentId: 'department_id',
  changesInternal: 'changes_internal',
  customerAuthorizedBy: 'customer_authorized_by',
  customerAuthorizedOn: 'customer_authorized_on',
  productionUse: 'production_use',
  remarks: 'remarks',
  versionLabel: 'version_label',
  issueDate: 'issue_date',
  receivedDate: 'received_date',
} as const satisfies Record<string, keyof DocumentTable>;

/** Changes metadata; each changed field goes into the document's history (old → new). The
 * version fields change the current version's record. */
/**
 * What an edit of a record's metadata may not do, because each is a controlled decision of its
 * own (issue 18): change the 保密期限 of a classified record or move it into a less secret
 * customer archive (both are 密级变更, approved by the general manager, R-P10); move an internal
 * document between categories with and without approval (编制 → 审核 → 批准), which would let a
 * version skip it; mark a customer document 用于生产/检验 while 受控 copies are out without the
 * customer's authorisation (R-D5); or rewrite who signed that authorisation and when (they come
 * with the signed file).
 */
async function assertNoControlBypass(
  t: TxCtx,
  row: repo.DocumentRow,
  set: Partial<DocumentTable>,
): Promise<void> {
  // What was submitted is what the signers sign: the register entry too, until it is returned.
  if (Object.keys(set).some((k) => k !== 'remarks')) {
    const signing = await t.db
      .selectFrom('document_versions')
      .select('approval')
      .where('document_id', '=', row.id)
      .where('status', '=', 'draft')
      .where('approval', 'in', ['reviewing', 'countersigning', 'approving'])
      .executeTakeFirst();
    if (signing)
      throw new DomainError('approval_locked', 409, {
        state: APPROVAL_STATE_LABELS[signing.approval as ApprovalState]?.[t.lang] ?? String(signing.approval),
      });
  }
  if ('secrecy_term' in set && Number(row.secrecy) > 0)
    throw new DomainError('secrecy_change_needs_approval', 409, {}, 'secrecyTerm');
  if ('customer_id' in set) {
    const customer = set.customer_id
      ? await t.db
          .selectFrom('customers')
          .select('secrecy')
          .where('id', '=', set.customer_id)
          .executeTakeFirst()
      : undefined;
    if (Math.max(Number(row.secrecy), Number(customer?.secrecy ?? 0)) < Number(row.effective_secrecy))
      throw new DomainError('secrecy_move_needs_approval', 409, {}, 'customerId');
  }
  if (
    'category' in set &&
    (await approvalApplies(t.db, row)) !==
      (await approvalApplies(t.db, { source: row.source, category: String(set.category) }))
  )
    throw new DomainError('category_approval_switch', 409, {}, 'category');
  if (set.production_use === 1 && !row.customer_authorization_sha256) {
    const out = await t.db
      .selectFrom('document_copies')
      .select('id')
      .where('document_id', '=', row.id)
      .where('mark', '=', 'controlled')
      .where('recall_status', '!=', 'recalled')
      .limit(1)
      .executeTakeFirst();
    if (out) throw new DomainError('production_use_copies_out', 409, {}, 'productionUse');
  }
  if (
    row.customer_authorization_sha256 &&
    ('customer_authorized_by' in set || 'customer_authorized_on' in set)
  )
    throw new DomainError('authorization_fields_with_file', 409, {}, 'customerAuthorizedBy');
}

export async function updateDocument(
  ctx: Ctx,
  store: BlobStore,
  id: string,
  input: UpdateDocumentInput,
): Promise<Document> {
  const r = await reader(ctx);
  let encryption: EncryptionChange | undefined;
  await tx(ctx, async (t) => {
    const row = await findVisible(r, id, t.db);
    authorize(ctx, 'document.update', { type: 'document', id, resource: resourceOf(r, row) });
    assertEditable(row);
    await checkReferences(r, t, input, row);
    const changes: { field: string; label: string; from: unknown; to: unknown }[] = [];
    const set: Partial<DocumentTable> = {};
    for (const [field, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, keyof DocumentTable][]) {
      const value = input[field];
      if (value === undefined) continue;
      const next =
        field === 'secrecy'
          ? secrecyRank(value as never)
          : field === 'controlled' || field === 'productionUse'
            ? value
              ? 1
              : 0
            : (value ?? null);
      const before = row[column] ?? null;
      if (
        (field === 'secrecy' || field === 'pages' || field === 'controlled' || field === 'productionUse') &&
        Number(before) === next &&
        before !== null
      )
        continue;
      if (before === next) continue;
      // A change of level is a decision of its own (密级变更, secrecy-changes.ts, R-P10).
      if (field === 'secrecy') throw new DomainError('secrecy_change_needs_approval', 409, {}, 'secrecy');
      (set as Record<string, unknown>)[column] = next;
      changes.push({
        field,
        label: DOCUMENT_FIELD_LABELS[field]?.zh ?? field,
        from: before,
        to: next,
      });
    }
    if (input.secrecyTerm !== undefined) {
      const from =
        (input.issueDate !== undefined ? input.issueDate : row.issue_date) ??
        (input.receivedDate !== undefined ? input.receivedDate : row.received_date) ??
        todayInShanghai(t.now());
      const term = termColumns(input.secrecyTerm, from);
      if (
        term.secrecy_term !== row.secrecy_term ||
        term.secrecy_term_until !== row.secrecy_term_until ||
        term.secrecy_term_kind !== row.secrecy_term_kind
      ) {
        Object.assign(set, term);
        changes.push({
          field: 'secrecyTerm',
          label: DOCUMENT_FIELD_LABELS.secrecyTerm?.zh ?? 'secrecyTerm',
          from: row.secrecy_term,
          to: term.secrecy_term_from
            ? `${term.secrecy_term}（自 ${term.secrecy_term_from}）`
            : term.secrecy_term,
        });
      }
    }
    if (changes.length === 0) return;
    await assertNoControlBypass(t, row, set);
    if ('version_label' in set || 'issue_date' in set || 'received_date' in set) {
      // The register entry's label and dates are the current version's: they change as a version
      // is corrected (PATCH …/versions/:versionId), by the same rules (R-D4).
      const current = await t.db
        .selectFrom('document_versions')
        .select(['id', 'status'])
        .where('document_id', '=', id)
        .where('status', '=', 'current')
        .executeTakeFirstOrThrow();
      await versions.assertOpen(t, row, current);
      if ('version_label' in set) {
        const label = (set.version_label as string | null) ?? null;
        await versions.checkLabel(t, id, label, label === null, current.id);
      }
    }
    const now = nowIso(t);
    await t.db
      .updateTable('documents')
      .set({ ...set, updated_at: now, updated_by: r.ctx.actor.id })
      .where('id', '=', id)
      .execute();
    const versionSet: Record<string, unknown> = {};
    if ('version_label' in set) versionSet.label = set.version_label;
    if ('issue_date' in set) versionSet.issue_date = set.issue_date;
    if ('received_date' in set) versionSet.received_date = set.received_date;
    if (Object.keys(versionSet).length)
      await t.db
        .updateTable('document_versions')
        .set(versionSet)
        .where('document_id', '=', id)
        .where('status', '=', 'current')
        .execute();
    await recordEvent(t, id, 'update', { changes, note: input.note ?? null });
    await refreshRetention(t, [id]);
    await reindex(t.db, id);
    // A new level, or a move into or out of a classified customer archive (R-P9): the files
    // take the form the effective level needs (encryption at rest).
    if ('secrecy' in set || 'customer_id' in set) encryption = await applyEncryptionFor(t, store, [id]);
    await appendAudit(t, {
      action: 'document.update',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Math.max(Number(row.secrecy), Number(set.secrecy ?? 0)),
      details: { changes },
    });
  });
  if (encryption) await afterEncryptionChange(ctx, store, encryption);
  return toDocument(r, await findVisible(r, id));
}

/** The current version becomes obsolete (作废), with who and when; every copy of it that was
 * distributed is now to be recalled (回收, R-D4/R-D5). */
export async function obsoleteCurrentVersion(t: TxCtx, documentId: string, now: string): Promise<void> {
  await t.db
    .updateTable('document_copies')
    .set({ recall_status: 'pending' })
    .where('document_id', '=', documentId)
    .where('recall_status', '=', 'none')
    .where('version_id', 'in', (eb) =>
      eb
        .selectFrom('document_versions')
        .select('id')
        .where('document_id', '=', documentId)
        .where('status', '=', 'current'),
    )
    .execute();
  await t.db
    .updateTable('document_versions')
    .set({ status: 'obsolete', obsoleted_at: now, obsoleted_by: t.actor?.id ?? null })
    .where('document_id', '=', documentId)
    .where('status', '=', 'current')
    .execute();
}

/** Withdraws a document without a successor: it and its current version become obsolete. */
export async function obsoleteDocument(ctx: Ctx, id: string, reason: string): Promise<Document> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const row = await findVisible(r, id, t.db);
    authorize(ctx, 'document.obsolete', { type: 'document', id, resource: resourceOf(r, row) });
    assertEditable(row);
    // A draft waiting to replace the version is decided first (made current or discarded).
    const draft = await t.db
      .selectFrom('document_versions')
      .select('id')
      .where('document_id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    const now = nowIso(t);
    if (draft && row.status === 'draft') {
      // A document never in force: its only version, still a draft, is withdrawn with it.
      await t.db
        .updateTable('document_versions')
        .set({ status: 'withdrawn', obsoleted_at: now, obsoleted_by: r.ctx.actor.id })
        .where('id', '=', draft.id)
        .execute();
    } else if (draft) throw new DomainError('version_draft_exists', 409);
    await obsoleteCurrentVersion(t, id, now);
    await t.db
      .updateTable('documents')
      .set({
        status: 'obsolete',
        obsolete_reason: reason,
        withdrawn_at: now,
        updated_at: now,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await refreshRetention(t, [id]);
    await recordEvent(t, id, 'obsolete', { reason });
    await appendAudit(t, {
      action: 'document.obsolete',
      targetType: 'document',
      targetId: id,
      targetLabel: row.title,
      secrecy: Number(row.secrecy),
      details: { reason },
    });
  });
  return toDocument(r, await findVisible(r, id));
}
