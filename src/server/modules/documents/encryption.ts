import { secrecyRank } from '../../../common/enums.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import {
  documentBlobPairs,
  documentsHoldingBlobs,
  highestHolderLevel,
} from '../../platform/blob-references.js';
import { type Ctx, nowIso, type TxCtx } from '../../platform/context.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import type { BlobStore } from '../../platform/storage.js';
import { loadDocumentSettings } from './config.js';
import { reindex } from './service.js';
import { requeueInterruptedExtractions } from './text.js';

// Encryption at rest of classified files (R-P1, 密级制度: 对于机密文件应当加密存储). The files of a
// record (its versions' files, the customer's authorisation, the copies' scanned receipts — every
// place platform/blob-references.ts lists for a document) whose effective secrecy (R-P9) is at or above the threshold (setting
// `document.encryptionThreshold`, 秘密 by default) are stored encrypted (platform/blob-crypto.ts).
// Stored content is shared between records by digest: a blob is encrypted when ANY record
// holding it is at or above the threshold, and decrypted only when none is. Files of other
// modules (cases, orders, …) that share such content read it through the same decrypting store.

export async function encryptionThreshold(db: Db): Promise<number> {
  return secrecyRank((await loadDocumentSettings(db)).encryptionThreshold);
}

export interface EncryptionChange {
  encrypted: string[];
  decrypted: string[];
}

/** For each digest: whether some record holding it (as a version file, an authorisation or a
 * scanned receipt) needs it encrypted; destroyed content is left alone: it is gone. */
async function blobNeeds(db: Db, sha256s: string[], threshold: number): Promise<Map<string, boolean>> {
  const levels = await highestHolderLevel(db, sha256s, documentSecrecy);
  return new Map([...levels].map(([sha256, level]) => [sha256, level >= threshold]));
}

/**
 * Brings the files of the given documents into the form their effective secrecy needs:
 * encrypted at or above the threshold, plaintext below (unless another record holding the same
 * content needs it encrypted). Call it inside the transaction that changed a secrecy level (or a
 * document's customer, or added files), after the change. While encryption at rest is not in use
 * (no master key was ever configured) files are left in plain. Every master key needed is checked
 * before any file is touched, so a missing or wrong key throws `master_key_missing` /
 * `master_key_wrong` with nothing changed. Each document whose files changed form gets an audit
 * entry. The file operations happen before the commit: should the transaction fail after them,
 * the files stay readable in the other form and the next call (or `kedang keys apply`) puts them
 * right.
 */
export async function applyEncryptionFor(
  t: TxCtx,
  store: BlobStore,
  documentIds: readonly string[],
): Promise<EncryptionChange> {
  const change: EncryptionChange = { encrypted: [], decrypted: [] };
  if (documentIds.length === 0) return change;
  const ids = [...new Set(documentIds)];
  const files = await documentBlobPairs(t.db, ids);
  const shas = [...new Set(files.map((f) => f.sha256))];
  const needs = await blobNeeds(t.db, shas, await encryptionThreshold(t.db));
  const plan = shas
    .filter((s) => needs.has(s) && store.has(s))
    .map((sha256) => ({ sha256, encrypt: needs.get(sha256) === true, encrypted: store.isEncrypted(sha256) }))
    .filter((p) => p.encrypt !== p.encrypted)
    // Without a master key, and no file ever encrypted, encryption at rest is not set up: files
    // stay as they are (README, operations). Once it is, a missing key refuses the change.
    .filter((p) => !p.encrypt || store.encryptionEnabled());
  if (plan.length === 0) return change;
  // Every key first: a refusal leaves every file and row as it was.
  for (const p of plan) store.assertKeysFor(p.sha256, p.encrypted);
  for (const p of plan) {
    if (p.encrypt) {
      if (await store.encrypt(p.sha256)) change.encrypted.push(p.sha256);
    } else if (await store.decrypt(p.sha256)) change.decrypted.push(p.sha256);
  }
  await withholdTexts(t, change);
  const touched = new Set([...change.encrypted, ...change.decrypted]);
  const byDocument = new Map<string, string[]>();
  for (const f of files)
    if (touched.has(f.sha256))
      byDocument.set(f.document_id, [...(byDocument.get(f.document_id) ?? []), f.sha256]);
  if (byDocument.size === 0) return change;
  const docs = await t.db
    .selectFrom('documents as d')
    .select(['d.id', 'd.title', documentSecrecy('d').as('effective_secrecy')])
    .where('d.id', 'in', [...byDocument.keys()])
    .execute();
  for (const d of docs) {
    const sha256s = byDocument.get(d.id) ?? [];
    const encrypted = sha256s.filter((s) => change.encrypted.includes(s));
    const decrypted = sha256s.filter((s) => change.decrypted.includes(s));
    for (const [action, list] of [
      ['document.files_encrypted', encrypted],
      ['document.files_decrypted', decrypted],
    ] as const)
      if (list.length)
        await appendAudit(t, {
          action,
          targetType: 'document',
          targetId: d.id,
          targetLabel: d.title,
          secrecy: Number(d.effective_secrecy),
          details: { sha256s: list },
        });
  }
  return change;
}

/**
 * Encrypted content keeps no extracted text (text.ts): the text of newly encrypted content is
 * dropped from `document_texts` and from the search index of the records holding it; newly
 * decrypted content is marked for extraction again, which `afterEncryptionChange` queues once the
 * transaction has committed (or the next start does).
 */
async function withholdTexts(t: TxCtx, change: EncryptionChange): Promise<void> {
  const now = nowIso(t);
  const reindexed = new Set<string>();
  for (const [list, status] of [
    [change.encrypted, 'withheld'],
    [change.decrypted, 'pending'],
  ] as const) {
    for (let i = 0; i < list.length; i += 500) {
      const chunk = list.slice(i, i + 500);
      await t.db
        .updateTable('document_texts')
        .set({
          status,
          content: null,
          chars: 0,
          error: null,
          extracted_at: status === 'withheld' ? now : null,
        })
        .where('sha256', 'in', chunk)
        .where('status', '!=', status)
        .execute();
      if (status !== 'withheld') continue;
      const holders = await t.db
        .selectFrom('document_files')
        .select('document_id')
        .distinct()
        .where('sha256', 'in', chunk)
        .execute();
      for (const h of holders) reindexed.add(h.document_id);
    }
  }
  for (const id of reindexed) await reindex(t.db, id);
}

/** After the commit of a change that decrypted content: its text is extracted again. */
export async function afterEncryptionChange(
  ctx: Ctx,
  store: BlobStore,
  change: EncryptionChange,
): Promise<void> {
  await requeueInterruptedExtractions(ctx.db, store, ctx.now, change.decrypted);
}

/** The documents of customer archives, for a change of the customer's secrecy (R-P9). */
export async function documentsOfCustomers(db: Db, customerIds: readonly string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const rows = await db
    .selectFrom('documents')
    .select('id')
    .where('customer_id', 'in', [...customerIds])
    .execute();
  return rows.map((r) => r.id);
}

/** Every document holding files (or a signed authorisation or scanned receipt): what `kedang keys
 * apply` and a change of the threshold check. */
export async function documentsWithFiles(db: Db): Promise<string[]> {
  return documentsHoldingBlobs(db);
}
