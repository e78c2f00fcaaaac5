import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { Database } from '../db/types.js';

// Every place that holds a stored file (a `blobs` row) by its digest. The blob store is content
// addressed: the same bytes uploaded twice — a customer's one authorisation letter for several
// drawings, a scan filed both as a record and as a borrower's letter — are one stored file, so
// whatever removes a stored file (electronic destruction, R-X4) first asks here whether anything
// else still holds it. A new table or column that keeps a digest of a stored file belongs in this
// list (a test compares it with the database's columns).

export interface BlobReference {
  table: keyof Database & string;
  column: string;
  /** The column naming the document record the reference belongs to (`id` on `documents`
   * itself); absent for places outside document control, which always keep their content. */
  document?: string;
  /** The column holding the file's name, where the place keeps one. */
  name?: string;
}

export const BLOB_REFERENCES: readonly BlobReference[] = [
  // A version's files (also those taken out of a version: the record keeps them until it goes).
  { table: 'document_files', column: 'sha256', document: 'document_id', name: 'name' },
  // A customer document's signed authorisation (R-D5).
  {
    table: 'documents',
    column: 'customer_authorization_sha256',
    document: 'id',
    name: 'customer_authorization_name',
  },
  // The scanned signed receipt of a distributed copy, and of its return (谁接收谁签字).
  { table: 'document_copies', column: 'receipt_sha256', document: 'document_id', name: 'receipt_name' },
  { table: 'document_copies', column: 'return_sha256', document: 'document_id', name: 'return_name' },
  // A borrower's letter of introduction.
  { table: 'access_requests', column: 'letter_sha256' },
  // Files of complaint cases, orders and credit files.
  { table: 'case_files', column: 'sha256' },
  { table: 'order_files', column: 'sha256' },
  { table: 'credit_files', column: 'sha256' },
  // A customer's own special-characteristic symbol image.
  { table: 'sr_symbols', column: 'image_sha256' },
];

/** Columns that carry a digest of a stored file without holding it: the blob itself, and the
 * text extracted from it (removed with the content). */
export const BLOB_DERIVED: readonly { table: string; column: string }[] = [
  { table: 'blobs', column: 'sha256' },
  { table: 'document_texts', column: 'sha256' },
];

type One = { one: number };

/**
 * The first place that still holds the stored file `sha256`, or null when nothing does. A
 * reference belonging to a document record counts only where `documentCounts` holds for that
 * record (SQL over the `documents` row aliased as given; every record counts without it).
 */
export async function blobHolder(
  db: Db,
  sha256: string,
  documentCounts?: (alias: string) => RawBuilder<SqlBool>,
): Promise<BlobReference | null> {
  for (const place of BLOB_REFERENCES) {
    const held = sql.ref(`br.${place.column}`);
    const table = sql.table(place.table);
    const query =
      place.document && documentCounts
        ? sql<One>`select 1 as one from ${table} br
            inner join documents br_d on br_d.id = ${sql.ref(`br.${place.document}`)}
            where ${held} = ${sha256} and ${documentCounts('br_d')} limit 1`
        : sql<One>`select 1 as one from ${table} br where ${held} = ${sha256} limit 1`;
    if ((await query.execute(db)).rows.length > 0) return place;
  }
  return null;
}

const DOCUMENT_PLACES = BLOB_REFERENCES.filter(
  (p): p is BlobReference & { document: string } => p.document !== undefined,
);

/** (document, digest) for every stored file the given document records hold, in every place. */
export async function documentBlobPairs(
  db: Db,
  documentIds: readonly string[],
): Promise<{ document_id: string; sha256: string }[]> {
  const out: { document_id: string; sha256: string }[] = [];
  for (let i = 0; i < documentIds.length; i += 500) {
    const chunk = documentIds.slice(i, i + 500);
    for (const place of DOCUMENT_PLACES) {
      const held = sql.ref(`br.${place.column}`);
      const doc = sql.ref(`br.${place.document}`);
      const { rows } = await sql<{
        document_id: string;
        sha256: string;
      }>`select distinct ${doc} as document_id,
        ${held} as sha256 from ${sql.table(place.table)} br
        where ${doc} in (${sql.join(chunk)}) and ${held} is not null`.execute(db);
      out.push(...rows);
    }
  }
  return out;
}

/** For each digest (every one held, with 'all'), the highest value of `level` (SQL over the
 * `documents` row aliased as given) among the document records holding it in any place; content
 * already destroyed is left out. */
export async function highestHolderLevel(
  db: Db,
  sha256s: readonly string[] | 'all',
  level: (alias: string) => RawBuilder<number>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const chunks: (readonly string[] | null)[] = sha256s === 'all' ? [null] : [];
  for (let i = 0; sha256s !== 'all' && i < sha256s.length; i += 500) chunks.push(sha256s.slice(i, i + 500));
  for (const chunk of chunks) {
    for (const place of DOCUMENT_PLACES) {
      const held = sql.ref(`br.${place.column}`);
      const { rows } = await sql<{ sha256: string; level: number | string }>`select ${held} as sha256,
        max(${level('br_d')}) as level from ${sql.table(place.table)} br
        inner join documents br_d on br_d.id = ${sql.ref(`br.${place.document}`)}
        inner join blobs br_b on br_b.sha256 = ${held}
        where ${chunk ? sql`${held} in (${sql.join(chunk)})` : sql`${held} is not null`}
        and br_b.destroyed_at is null
        group by ${held}`.execute(db);
      for (const r of rows) out.set(r.sha256, Math.max(out.get(r.sha256) ?? -1, Number(r.level)));
    }
  }
  return out;
}

/** Every document record holding a stored file in any place. */
export async function documentsHoldingBlobs(db: Db): Promise<string[]> {
  const found = new Set<string>();
  for (const place of DOCUMENT_PLACES) {
    const { rows } = await sql<{ id: string }>`select distinct ${sql.ref(`br.${place.document}`)} as id
      from ${sql.table(place.table)} br where ${sql.ref(`br.${place.column}`)} is not null`.execute(db);
    for (const r of rows) found.add(r.id);
  }
  return [...found];
}

/** The document records holding the stored file `sha256` in any place, with the file's name
 * there and `level` (SQL over the `documents` row aliased as given); destroyed records only when
 * asked for. */
export async function documentHolders(
  db: Db,
  sha256: string,
  level: (alias: string) => RawBuilder<number>,
  withDestroyed: boolean,
): Promise<{ id: string; title: string; secrecy: number; name: string | null }[]> {
  const out: { id: string; title: string; secrecy: number; name: string | null }[] = [];
  for (const place of DOCUMENT_PLACES) {
    const { rows } = await sql<{ id: string; title: string; secrecy: number | string; name: string | null }>`
      select br_d.id, br_d.title, ${level('br_d')} as secrecy,
        ${place.name ? sql.ref(`br.${place.name}`) : sql`null`} as name
      from ${sql.table(place.table)} br
      inner join documents br_d on br_d.id = ${sql.ref(`br.${place.document}`)}
      where ${sql.ref(`br.${place.column}`)} = ${sha256}
      ${withDestroyed ? sql`` : sql`and br_d.status != 'destroyed'`}`.execute(db);
    out.push(...rows.map((r) => ({ ...r, secrecy: Number(r.secrecy) })));
  }
  return out;
}

/** The digests of every stored file the document record holds, in every place above. */
export async function documentBlobs(db: Db, documentId: string): Promise<string[]> {
  return [...new Set((await documentBlobPairs(db, [documentId])).map((p) => p.sha256))];
}
