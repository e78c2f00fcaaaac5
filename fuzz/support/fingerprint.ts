import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { entryHash } from '../../src/server/platform/audit/chain.js';
import type { TestApp } from '../../src/server/test-support/app.js';

// A cheap fingerprint of everything a request could write — every table of the database and the
// files under the data directory (blobs/, tmp/, backups/) — to prove that a refused request (4xx)
// wrote nothing.
//
// Per table: the row count and, on SQLite, per column the largest value and the summed length
// of the values as text — inserts and deletes change the count, and an update changes a maximum
// or a length as soon as it changes any value's text (the clock moves on between requests, so a
// write of `updated_at = now` is always seen); on PostgreSQL a digest of all rows. The audit log is append-only and checked by
// `verifyChain` at the end; here only its new entries are looked at, one by one.
//
// What a refused request may legitimately write (the allowlist):
// - audit entries of refusals: outcome `denied` (a permission denial, written by the error
//   handler) or `failure` (a failed sign-in or password check), and `auth.lockout`, written
//   with the failure that locks an account;
// - `users.failed_logins` and `users.locked_until`: the failed sign-in counter and lockout, and
//   `login_failures`, the same for logins no account has;
// - `sessions`: sliding expiry (`last_seen_at`, `expires_at`) and the removal of an expired
//   session when it is presented;
// - `api_tokens.last_used_at`, touched when a token authenticates a request that then fails.

const IGNORED_TABLES = /^(kedang_migration.*|.*_fts(_.*)?|sessions|audit_head|login_failures)$/;
const IGNORED_COLUMNS = new Set(['users.failed_logins', 'users.locked_until', 'api_tokens.last_used_at']);
/** Append-only and large: count and newest sequence number only. */
const APPEND_ONLY: Record<string, string> = { audit_log: 'seq' };
const SEP = '\u241e|';

export interface Fingerprint {
  tables: Record<string, Record<string, string | null>>;
  files: string[];
  auditSeq: number;
}

export interface Fingerprinter {
  take(): Promise<Fingerprint>;
  /** Differences that a refused request must not have made; empty when there are none. */
  unexpected(before: Fingerprint, after: Fingerprint): Promise<string[]>;
  /** Audit entries written since `before` that break the hash chain. */
  brokenAudit(before: Fingerprint): Promise<string[]>;
}

async function columnsOf(t: TestApp): Promise<Map<string, string[]>> {
  const db = t.database.db;
  const rows =
    t.database.dialect === 'sqlite'
      ? (
          await sql<{ t: string; c: string }>`
            select m.name as t, p.name as c from sqlite_master m, pragma_table_info(m.name) p
            where m.type = 'table' order by m.name, p.cid`.execute(db)
        ).rows
      : (
          await sql<{ t: string; c: string }>`
            select table_name as t, column_name as c from information_schema.columns
            where table_schema = current_schema() order by table_name, ordinal_position`.execute(db)
        ).rows;
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (IGNORED_TABLES.test(r.t) || IGNORED_COLUMNS.has(`${r.t}.${r.c}`)) continue;
    out.set(r.t, [...(out.get(r.t) ?? []), r.c]);
  }
  return out;
}

function filesUnder(root: string, dir: string, out: string[]): void {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return;
  for (const entry of fs.readdirSync(full, { recursive: true, withFileTypes: true })) {
    // Files only: the store's shard directories stay once made, empty or not, and hold nothing.
    if (!entry.isDirectory()) out.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
}

export async function fingerprinter(t: TestApp): Promise<Fingerprinter> {
  const db = t.database.db;
  const tables = await columnsOf(t);
  // One statement, one row per table: its count and its columns' aggregates joined by SEP (one
  // round trip per request). PostgreSQL plans hundreds of aggregates slowly, so there a table's
  // content is one digest of its rows instead (which column changed is then not told).
  const q = (c: string) => `"${c}"`;
  const postgres = t.database.dialect === 'postgres';
  const labels = new Map<string, string[]>();
  const selects = [...tables].map(([table, columns]) => {
    const from = `from ${q(table)}`;
    const count = `select '${table}' as "t", cast(count(*) as text) as "n"`;
    if (APPEND_ONLY[table]) {
      labels.set(table, ['max']);
      return `${count}, cast(max(${q(APPEND_ONLY[table])}) as text) as "v" ${from}`;
    }
    if (postgres) {
      labels.set(table, ['content']);
      const row = `row(${columns.map(q).join(', ')})::text`;
      return `${count}, md5(coalesce(string_agg(${row}, ',' order by ${row}), '')) as "v" ${from}`;
    }
    labels.set(
      table,
      columns.flatMap((c) => [`max(${c})`, `len(${c})`]),
    );
    const parts = columns.flatMap((c) => [
      `max(cast(${q(c)} as text))`,
      `cast(sum(length(cast(${q(c)} as text))) as text)`,
    ]);
    return `${count}, ${parts.map((p) => `coalesce(${p}, '∅')`).join(` || '${SEP}' || `)} as "v" ${from}`;
  });
  const statement = sql.raw<{ t: string; n: string; v: string }>(selects.join(' union all '));

  const take = async (): Promise<Fingerprint> => {
    const result: Fingerprint['tables'] = {};
    for (const row of (await statement.execute(db)).rows) {
      const names = labels.get(row.t) ?? [];
      const values = row.v.split(SEP);
      const named: Record<string, string | null> = { rows: row.n };
      // A value holding the separator itself only blurs which column changed, not whether.
      if (values.length === names.length)
        for (const [i, label] of names.entries()) named[label] = values[i] ?? null;
      else named.values = row.v;
      result[row.t] = named;
    }
    const files: string[] = [];
    for (const dir of ['blobs', 'tmp', 'backups']) filesUnder(t.dataDir, dir, files);
    return { tables: result, files: files.sort(), auditSeq: Number(result.audit_log?.max ?? 0) };
  };

  const unexpected = async (before: Fingerprint, after: Fingerprint): Promise<string[]> => {
    const out: string[] = [];
    for (const [table, values] of Object.entries(after.tables)) {
      if (table === 'audit_log') continue;
      const old = before.tables[table] ?? {};
      for (const [label, value] of Object.entries(values))
        if (old[label] !== value) out.push(`${table}: ${label} ${short(old[label])} → ${short(value)}`);
    }
    const added = after.files.filter((f) => !before.files.includes(f));
    const removed = before.files.filter((f) => !after.files.includes(f));
    if (added.length) out.push(`files added: ${added.join(', ')}`);
    if (removed.length) out.push(`files removed: ${removed.join(', ')}`);
    if (after.auditSeq < before.auditSeq)
      out.push(`audit_log shrank: ${before.auditSeq} → ${after.auditSeq}`);
    for (const e of (await newAuditEntries(before)).filter((e) => Number(e.seq) > before.auditSeq))
      if (!(e.outcome === 'denied' || e.outcome === 'failure' || e.action === 'auth.lockout'))
        out.push(`audit entry #${e.seq} ${e.action} (${e.outcome}) on ${e.target_type ?? '-'}`);
    return out;
  };

  const newAuditEntries = (before: Fingerprint) =>
    db.selectFrom('audit_log').selectAll().where('seq', '>=', before.auditSeq).orderBy('seq').execute();

  /** The entries this request appended re-hash to what is stored and link to the one before. */
  const brokenAudit = async (before: Fingerprint): Promise<string[]> => {
    const rows = await newAuditEntries(before);
    const out: string[] = [];
    let prev = Number(rows[0]?.seq) === before.auditSeq ? rows.shift()?.hash : undefined;
    for (const row of rows) {
      if (entryHash(row.prev_hash, row) !== row.hash)
        out.push(
          `audit entry #${row.seq} ${row.action} does not hash to its stored hash (the chain breaks here)`,
        );
      if (prev !== undefined && row.prev_hash !== prev)
        out.push(`audit entry #${row.seq} is not linked to #${row.seq - 1}`);
      prev = row.hash;
    }
    return out;
  };

  return { take, unexpected, brokenAudit };
}

const short = (v: string | null | undefined) => {
  if (v === undefined || v === null) return String(v);
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…"` : s;
};
