import { type SelectQueryBuilder, sql } from 'kysely';
import { copyLabel, type ObsoleteVersion } from '../../../common/documents.js';
import { secrecyFromRank } from '../../../common/enums.js';
import type { DocumentFile, DocumentListItem, DocumentVersion } from '../../../common/schemas/documents.js';
import { todayInShanghai } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { Database, DocumentTable } from '../../db/types.js';
import { SYSTEM_ACTOR } from '../../platform/context.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import { indexTokens, searchIndex } from '../../platform/search.js';

// The SQL of the documents module; no rules here.

export type DocumentQuery = SelectQueryBuilder<Database & { d: DocumentTable }, 'd', object>;

export function documentsFrom(db: Db): DocumentQuery {
  return db.selectFrom('documents as d') as unknown as DocumentQuery;
}

export type DocumentRow = DocumentTable & {
  category_name: string;
  department_name: string | null;
  customer_code: string | null;
  customer_name: string | null;
  /** Its own level or its archive's, whichever is higher (R-P9). */
  effective_secrecy: number | string;
};

/** The document's columns with the names and the effective secrecy lists and pages show. */
export function withNames(q: DocumentQuery) {
  return q
    .innerJoin('document_categories as k', 'k.code', 'd.category')
    .leftJoin('departments as dep', 'dep.id', 'd.department_id')
    .leftJoin('customers as cu', 'cu.id', 'd.customer_id')
    .selectAll('d')
    .select([
      'k.name as category_name',
      'dep.name as department_name',
      'cu.archive_code as customer_code',
      'cu.name as customer_name',
      documentSecrecy('d').as('effective_secrecy'),
    ]);
}

export function documentIndex(db: Db) {
  return searchIndex(dialectOf(db as never), 'documents');
}

export function toListItem(row: DocumentRow): DocumentListItem {
  return {
    id: row.id,
    title: row.title,
    docNumber: row.doc_number,
    category: row.category,
    categoryName: row.category_name,
    versionLabel: row.version_label,
    versionCount: Number(row.version_count),
    issueDate: row.issue_date,
    receivedDate: row.received_date,
    status: row.status as DocumentListItem['status'],
    secrecy: secrecyFromRank(Number(row.secrecy)),
    effectiveSecrecy: secrecyFromRank(Number(row.effective_secrecy)),
    retention: row.retention as DocumentListItem['retention'],
    customer:
      row.customer_id && row.customer_code
        ? { id: row.customer_id, archiveCode: row.customer_code, name: row.customer_name ?? '' }
        : null,
    departmentName: row.department_name,
    archiveNo: row.archive_no,
    responsibleParty: row.responsible_party,
    pages: row.pages === null ? null : Number(row.pages),
    changesInternal: row.changes_internal,
    remarks: row.remarks,
    fileCount: Number(row.file_count),
    retentionDue: row.retention_due,
    distribution: '',
    createdAt: row.created_at,
    snippet: null,
  };
}

const SNIPPET_BEFORE = 30;
const SNIPPET_LENGTH = 120;

/** For each document, a piece of its files' text around the first occurrence of `word`. */
export async function snippets(db: Db, documentIds: string[], word: string): Promise<Map<string, string>> {
  if (documentIds.length === 0 || !word) return new Map();
  const position =
    dialectOf(db as never) === 'sqlite'
      ? sql<number>`instr(x.content, ${word})`
      : sql<number>`strpos(x.content, ${word})`;
  const rows = await db
    .selectFrom('document_files as f')
    .innerJoin('document_texts as x', 'x.sha256', 'f.sha256')
    .select([
      'f.document_id',
      sql<string>`substr(x.content, ${sql`case when ${position} > ${SNIPPET_BEFORE} then ${position} - ${SNIPPET_BEFORE} else 1 end`}, ${SNIPPET_LENGTH})`.as(
        'snippet',
      ),
    ])
    .innerJoin('documents as d', 'd.id', 'f.document_id')
    .innerJoin('document_versions as v', 'v.id', 'f.version_id')
    .where('f.document_id', 'in', documentIds)
    .where('f.removed_at', 'is', null)
    .where('v.status', 'in', ['current', 'obsolete'])
    .where('d.status', '!=', 'destroyed')
    .where('x.status', '=', 'done')
    .where(position, '>', 0)
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) {
    if (!out.has(r.document_id)) out.set(r.document_id, r.snippet.replace(/\s+/g, ' ').trim());
  }
  return out;
}

/** Names of the given users, for "who did it" columns. */
export async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
  // Papers the system files itself (completed destruction registers) were registered by it.
  return new Map([
    [SYSTEM_ACTOR.id, SYSTEM_ACTOR.name],
    ...rows.map((r): [string, string] => [r.id, r.name]),
  ]);
}

/** The versions of a document with their files (not those taken out), newest first; a draft
 * only when asked for, a withdrawn version never (its history keeps it). */
export async function versionsOf(
  db: Db,
  documentId: string,
  opts: { drafts: boolean },
): Promise<
  (Omit<DocumentVersion, 'can' | 'files' | 'approval'> & {
    files: DocumentFile[];
    approvalState: string | null;
    approvalRound: number;
    effectiveDate: string | null;
  })[]
> {
  const [versions, files, copies] = await Promise.all([
    db
      .selectFrom('document_versions')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('status', 'in', opts.drafts ? ['draft', 'current', 'obsolete'] : ['current', 'obsolete'])
      .orderBy('seq', 'desc')
      .execute(),
    db
      .selectFrom('document_files as f')
      .innerJoin('blobs as b', 'b.sha256', 'f.sha256')
      .leftJoin('document_texts as x', 'x.sha256', 'f.sha256')
      .select([
        'x.status as text_status',
        'f.id',
        'f.version_id',
        'f.name',
        'f.sha256',
        'f.created_at',
        'f.created_by',
        'b.size',
        'b.mime',
      ])
      .where('f.document_id', '=', documentId)
      .where('f.removed_at', 'is', null)
      .orderBy('f.created_at')
      .orderBy('f.id')
      .execute(),
    db
      .selectFrom('document_copies')
      .select(['version_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('document_id', '=', documentId)
      .groupBy('version_id')
      .execute(),
  ]);
  const names = await userNames(db, [
    ...versions.flatMap((v) => [v.created_by, v.obsoleted_by]),
    ...files.map((f) => f.created_by),
  ]);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
  return versions.map((v) => ({
    id: v.id,
    seq: Number(v.seq),
    label: v.label,
    issueDate: v.issue_date,
    receivedDate: v.received_date,
    status: v.status as DocumentVersion['status'],
    note: v.note,
    createdAt: v.created_at,
    createdBy: person(v.created_by),
    obsoletedAt: v.obsoleted_at,
    obsoletedBy: person(v.obsoleted_by),
    copies: Number(copies.find((c) => c.version_id === v.id)?.n ?? 0),
    approvalState: v.approval,
    approvalRound: Number(v.approval_round),
    effectiveDate: v.effective_date,
    files: files
      .filter((f) => f.version_id === v.id)
      .map(
        (f): DocumentFile => ({
          id: f.id,
          name: f.name,
          size: Number(f.size),
          mime: f.mime,
          sha256: f.sha256,
          createdAt: f.created_at,
          createdBy: person(f.created_by),
          textStatus: (f.text_status as DocumentFile['textStatus']) ?? null,
        }),
      ),
  }));
}

/** The files a search may find a document by: those of its current and superseded versions,
 * not a draft's (not in force yet) nor those taken out. */
function indexedFiles(db: Db, documentId: string) {
  return db
    .selectFrom('document_files as f')
    .innerJoin('document_versions as v', 'v.id', 'f.version_id')
    .where('f.document_id', '=', documentId)
    .where('f.removed_at', 'is', null)
    .where('v.status', 'in', ['current', 'obsolete']);
}

/** The search tokens of a document: its metadata, its customer and its file names. */
export async function documentTokens(db: Db, documentId: string): Promise<string> {
  const row = await withNames(documentsFrom(db)).where('d.id', '=', documentId).executeTakeFirstOrThrow();
  const files = await indexedFiles(db, documentId).select('f.name').execute();
  // The extracted text of every file, old versions included: a search finds the document.
  // A destroyed record keeps its metadata in the index, never its content (R-X4).
  const r = row as DocumentRow;
  const texts =
    r.status === 'destroyed'
      ? []
      : await db
          .selectFrom('document_texts as x')
          .select('x.content')
          .where('x.status', '=', 'done')
          .where('x.sha256', 'in', indexedFiles(db, documentId).select('f.sha256'))
          .execute();
  return indexTokens([
    { text: r.title },
    { text: r.doc_number, code: true },
    { text: r.archive_no, code: true },
    { text: r.responsible_party },
    { text: r.version_label, code: true },
    { text: r.customer_name },
    { text: r.customer_code, code: true },
    { text: r.changes_internal },
    { text: r.remarks },
    { text: r.location },
    ...files.map((f) => ({ text: f.name.replace(/\.[^.]+$/, '') })),
    ...texts.map((x) => ({ text: x.content })),
  ]);
}

/** 分发范围 of each document: who holds copies of its current version that are in use. */
export async function distributionOf(db: Db, documentIds: string[]): Promise<Map<string, string>> {
  if (documentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('document_copies as p')
    .innerJoin('document_versions as v', 'v.id', 'p.version_id')
    .select(['p.document_id', 'p.recipient', 'p.mark', 'p.copy_no'])
    .where('p.document_id', 'in', documentIds)
    .where('v.status', '=', 'current')
    .where('p.recall_status', '=', 'none')
    .orderBy('p.copy_no')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    out.set(r.document_id, [
      ...(out.get(r.document_id) ?? []),
      copyLabel(r.recipient, r.mark, Number(r.copy_no)),
    ]);
  }
  return new Map([...out].map(([id, list]) => [id, list.join('、')]));
}

/** The document's current version. */
export async function currentVersion(db: Db, documentId: string) {
  return db
    .selectFrom('document_versions')
    .select(['id', 'seq', 'label'])
    .where('document_id', '=', documentId)
    .where('status', '=', 'current')
    .executeTakeFirstOrThrow();
}

/** The superseded versions of each document, newest first (registers list them too). */
export async function obsoleteVersionsOf(
  db: Db,
  documentIds: string[],
): Promise<Map<string, ObsoleteVersion[]>> {
  if (documentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.document_id', 'v.seq', 'v.label', 'v.issue_date', 'v.received_date', 'v.obsoleted_at'])
    .where('v.document_id', 'in', documentIds)
    .where('v.status', '=', 'obsolete')
    // A withdrawn (or destroyed) document's last version is the document's own row already:
    // it became obsolete with the document.
    .where((eb) => eb('v.obsoleted_at', '!=', eb.fn.coalesce('d.withdrawn_at', 'd.destroyed_at', eb.val(''))))
    .orderBy('v.seq', 'desc')
    .execute();
  const out = new Map<string, ObsoleteVersion[]>();
  for (const r of rows) {
    out.set(r.document_id, [
      ...(out.get(r.document_id) ?? []),
      {
        label: r.label,
        seq: Number(r.seq),
        issueDate: r.issue_date,
        receivedDate: r.received_date,
        obsoletedOn: r.obsoleted_at ? todayInShanghai(new Date(r.obsoleted_at)) : null,
      },
    ]);
  }
  return out;
}
