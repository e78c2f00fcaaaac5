import { ORDER_FILE_KIND_LABELS, type OrderFileKind, type OrderStatus } from '../../../common/orders.js';
import type { OrderFile, OrderFiles } from '../../../common/schemas/orders.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { companyName } from '../../platform/organisation.js';
import { authorize, can } from '../../platform/policy/index.js';
import { documentVisible } from '../../platform/policy/records.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { recordBlob } from '../../platform/uploads.js';
import { afterFiling, archivingCtx, type Filed, fileGeneratedRecord } from '../documents/generated.js';
import { type OrderReader, orderReader, orderResourceWith } from './access.js';
import { parseReasons } from './classify.js';
import { orderRecordPdf } from './record-pdf.js';
import * as repo from './repo.js';
import { findVisible, getOrder, labelOf, loadRow, ownerIdsOf, subjectOf } from './service.js';

// The review record (订单/合同评审记录表, seed 003) and an order's attachments.
// - Any reader of the order prints the record as it stands (prices as the reader sees them).
// - At the signature (accepted or rejected) the system files it into the customer's archive: a
//   record of setting `recordArchiveCategory`, retention L1 (the part's production and service
//   life + 1 calendar year, R-X1: the clock starts when someone records the life's end on the
//   document), the archive's secrecy, a 档号 — as a closed complaint files its record
//   (documents/generated.ts). The filed copy carries no prices (record-pdf.ts says why).
// - Attachments (the PO scan, a phone order's written confirmation, R&D's 可行性分析报告, other)
//   are stored by SHA-256 like a case's files; readers of the order list and download them, every
//   upload and download audited at the archive's secrecy. Sales attaches to an order that is not
//   cancelled; the R&D department attaches the feasibility report of its own review while the
//   order is in review, and in the full route cannot answer for a new product without it.

/** Contract review records: the part's life + 1 year (R-X1). */
export const RECORD_RETENTION = 'L1';

/** The attachments of an order, names resolved (one query for the people). */
async function filesOf(db: Db, orderId: string): Promise<OrderFile[]> {
  const rows = await db
    .selectFrom('order_files as f')
    .leftJoin('departments as d', 'd.id', 'f.department_id')
    .leftJoin('users as u', 'u.id', 'f.created_by')
    .select([
      'f.id',
      'f.kind',
      'f.department_id',
      'd.name as department_name',
      'f.name',
      'f.size',
      'f.mime',
      'f.sha256',
      'f.created_at',
      'f.created_by',
      'u.name as created_by_name',
    ])
    .where('f.order_id', '=', orderId)
    .orderBy('f.created_at')
    .orderBy('f.id')
    .limit(500)
    .execute();
  return rows.map((f) => ({
    id: f.id,
    kind: f.kind as OrderFileKind,
    department: f.department_id ? { id: f.department_id, name: f.department_name ?? '' } : null,
    name: f.name,
    size: Number(f.size),
    mime: f.mime,
    sha256: f.sha256,
    createdAt: f.created_at,
    createdBy: { id: f.created_by, name: f.created_by_name ?? f.created_by },
  }));
}

/** The reviews of this order whose department is R&D (setting `rdDepartment`). */
async function rdReviews(r: OrderReader, db: Db, orderId: string) {
  const rows = await db
    .selectFrom('order_reviews as v')
    .innerJoin('departments as d', 'd.id', 'v.department_id')
    .select(['v.department_id', 'd.name as department_name', 'd.code as department_code'])
    .where('v.order_id', '=', orderId)
    .execute();
  return rows.filter((v) => repo.sameCode(v.department_code, r.settings.rdDepartment));
}

/** The attachments, the filed record (when the reader sees it) and what the reader may attach. */
export async function listOrderFiles(ctx: Ctx, id: string): Promise<OrderFiles> {
  const r = await orderReader(ctx);
  const row = await findVisible(r, id);
  const [items, owners, rd] = await Promise.all([
    filesOf(ctx.db, id),
    ownerIdsOf(ctx.db, row.customer_id),
    rdReviews(r, ctx.db, id),
  ]);
  const status = row.status as OrderStatus;
  const subject = subjectOf(row);
  const documentId = (row as { record_document_id?: string | null }).record_document_id ?? null;
  const doc = documentId
    ? await ctx.db
        .selectFrom('documents as d')
        .select(['d.id', 'd.title', 'd.archive_no', 'd.retention'])
        .where('d.id', '=', documentId)
        .where(documentVisible(r.ctx.actor, r.scope, r.ctx.now()) as never)
        .executeTakeFirst()
    : undefined;
  await appendAudit(ctx, {
    action: 'order.files',
    targetType: 'order',
    targetId: id,
    targetLabel: labelOf(row),
    secrecy: Number(row.customer_secrecy),
    details: { files: items.length },
  });
  return {
    items,
    record: doc
      ? { documentId: doc.id, title: doc.title, archiveNo: doc.archive_no, retention: doc.retention }
      : null,
    recordFiled: !!documentId,
    can: {
      attach:
        status !== 'cancelled' && can(r.ctx.actor, 'order.update', orderResourceWith(r, subject, owners)),
      feasibilityDepartments:
        status === 'in_review'
          ? rd
              .filter((v) =>
                can(
                  r.ctx.actor,
                  'order.review',
                  orderResourceWith(r, { ...subject, reviewDepartmentId: v.department_id }, owners),
                ),
              )
              .map((v) => ({ id: v.department_id, name: v.department_name }))
          : [],
    },
  };
}

export async function addOrderFile(
  ctx: Ctx,
  id: string,
  blob: StoredBlob,
  input: { kind: OrderFileKind; name: string; departmentId?: string | undefined },
): Promise<OrderFile> {
  const r = await orderReader(ctx);
  return tx(ctx, async (t) => {
    let departmentId: string | null = null;
    const row = await findVisible(r, id, t.db);
    if (input.kind === 'feasibility') {
      // R&D's report belongs to its review: asked, in review, the reviewer's own department.
      const rd = await rdReviews(r, t.db, id);
      const review =
        rd.find((v) => v.department_id === input.departmentId) ?? (rd.length === 1 ? rd[0] : undefined);
      if (!review) throw new DomainError('order_file_department', 422, {}, 'departmentId');
      departmentId = review.department_id;
      const owners = await ownerIdsOf(t.db, row.customer_id);
      authorize(r.ctx, 'order.review', {
        type: 'order',
        id,
        resource: orderResourceWith(r, { ...subjectOf(row), reviewDepartmentId: departmentId }, owners),
      });
      if (row.status !== 'in_review')
        throw new DomainError('order_state', 409, { status: repo.statusText(row.status) });
    } else {
      const owners = await ownerIdsOf(t.db, row.customer_id);
      authorize(r.ctx, 'order.update', {
        type: 'order',
        id,
        resource: orderResourceWith(r, subjectOf(row), owners),
      });
      if (row.status === 'cancelled')
        throw new DomainError('order_state', 409, { status: repo.statusText(row.status) });
    }
    const now = nowIso(t);
    await recordBlob(t.db, blob, now);
    const fileId = newId();
    await t.db
      .insertInto('order_files')
      .values({
        id: fileId,
        order_id: id,
        kind: input.kind,
        department_id: departmentId,
        sha256: blob.sha256,
        name: input.name,
        size: blob.size,
        mime: blob.mime,
        created_by: r.ctx.actor.id,
        created_at: now,
      })
      .execute();
    const history: repo.HistoryEntry[] = [
      { field: 'file', oldValue: null, newValue: input.name, note: ORDER_FILE_KIND_LABELS[input.kind].zh },
    ];
    // The customer's written confirmation (of a phone order) came: the order records its date.
    if (input.kind === 'confirmation' && !row.confirmation_received_on) {
      const today = todayInShanghai(t.now());
      await t.db
        .updateTable('orders')
        .set({ confirmation_received_on: today })
        .where('id', '=', id)
        .execute();
      history.push({ field: 'confirmationReceivedOn', oldValue: null, newValue: today, note: input.name });
    }
    await repo.writeHistory(t, id, history);
    await appendAudit(t, {
      action: 'order.file_upload',
      targetType: 'order',
      targetId: id,
      targetLabel: labelOf(row),
      secrecy: Number(row.customer_secrecy),
      details: { fileId, kind: input.kind, name: input.name, sha256: blob.sha256, size: blob.size },
    });
    const department = departmentId
      ? await t.db
          .selectFrom('departments')
          .select(['id', 'name'])
          .where('id', '=', departmentId)
          .executeTakeFirst()
      : undefined;
    return {
      id: fileId,
      kind: input.kind,
      department: department ?? null,
      name: input.name,
      size: blob.size,
      mime: blob.mime,
      sha256: blob.sha256,
      createdAt: now,
      createdBy: { id: r.ctx.actor.id, name: r.ctx.actor.name },
    };
  });
}

/** An attachment of an order the reader sees; the download is audited. 404 otherwise. */
export async function openOrderFile(ctx: Ctx, store: BlobStore, id: string, fileId: string) {
  const r = await orderReader(ctx);
  const row = await findVisible(r, id);
  const file = await ctx.db
    .selectFrom('order_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('order_id', '=', id)
    .executeTakeFirst();
  if (!file) throw notFound();
  if (!store.has(file.sha256)) throw new DomainError('file_missing', 410);
  await appendAudit(ctx, {
    action: 'order.file_download',
    targetType: 'order',
    targetId: id,
    targetLabel: labelOf(row),
    secrecy: Number(row.customer_secrecy),
    details: { fileId, kind: file.kind, name: file.name, sha256: file.sha256 },
  });
  return file;
}

/**
 * R&D cannot answer the full review of a new product (class reason new_part) without its
 * 可行性分析报告 (seed 003 B g, 4: 研发部门评审可行性). Called inside the review's transaction.
 */
export async function requireFeasibility(
  r: OrderReader,
  t: TxCtx,
  row: repo.OrderRow,
  review: { department_id: string; department_code: string | null; department_name: string },
): Promise<void> {
  if (row.route !== 'full' || !repo.sameCode(review.department_code, r.settings.rdDepartment)) return;
  if (!parseReasons(row.class_reasons).some((x) => x.code === 'new_part')) return;
  const report = await t.db
    .selectFrom('order_files')
    .select('id')
    .where('order_id', '=', row.id)
    .where('kind', '=', 'feasibility')
    .where('department_id', '=', review.department_id)
    .executeTakeFirst();
  if (!report)
    throw new DomainError('order_feasibility_missing', 409, { department: review.department_name }, 'files');
}

/** The record as it stands, for a reader of the order (prices as they see them); audited. */
export async function printRecord(ctx: Ctx, id: string): Promise<{ number: string; bytes: Uint8Array }> {
  const r = await orderReader(ctx);
  const row = await findVisible(r, id);
  const o = await getOrder(atArchiveSecrecy(r.ctx, row), id, { audit: false });
  const [attachments, filed] = await Promise.all([
    filesOf(ctx.db, id),
    recordDocument(ctx.db, (row as { record_document_id?: string | null }).record_document_id ?? null),
  ]);
  const bytes = await orderRecordPdf(o, {
    company: await companyName(ctx.db),
    printedAt: ctx.now(),
    attachments,
    archiveNo: filed?.archive_no ?? null,
  });
  await appendAudit(ctx, {
    action: 'order.print',
    targetType: 'order',
    targetId: id,
    targetLabel: labelOf(row),
    secrecy: Number(row.customer_secrecy),
    details: { form: '订单/合同评审记录表', prices: o.pricesVisible },
  });
  return { number: o.number, bytes };
}

/**
 * The context the form is read in: the reader capped at the archive's secrecy, so that the form,
 * marked with that level, names no special requirement more secret than it (class reasons).
 */
function atArchiveSecrecy<C extends Ctx>(ctx: C, row: repo.OrderRow): C {
  const actor = ctx.actor as NonNullable<Ctx['actor']>;
  return { ...ctx, actor: { ...actor, clearance: Math.min(actor.clearance, Number(row.customer_secrecy)) } };
}

async function recordDocument(db: Db, documentId: string | null) {
  if (!documentId) return undefined;
  return db
    .selectFrom('documents')
    .select(['id', 'archive_no'])
    .where('id', '=', documentId)
    .executeTakeFirst();
}

/**
 * Inside the signature's transaction, after the order is accepted or rejected: the record is
 * rendered as the archiving system reads the order (without prices), filed into the customer's
 * archive and its document kept on the order. After the commit, pass the result to `afterRecord`.
 */
export async function fileOrderRecord(t: TxCtx, store: BlobStore, id: string): Promise<Filed> {
  const sys = archivingCtx(t);
  const r = await orderReader(sys);
  // Prices are dropped explicitly (record-pdf.ts).
  const row = await loadRow(t.db, id);
  const o = await getOrder(atArchiveSecrecy(sys, row), id, { audit: false });
  // 责任者: the department that keeps the archive and signed the order (sales).
  const department = await t.db
    .selectFrom('departments')
    .select('name')
    .where('id', '=', row.customer_department_id)
    .executeTakeFirst();
  const printable = {
    ...o,
    pricesVisible: false,
    reviews: o.reviews.map((v) => ({ ...v, pricing: null })),
    lines: o.lines.map((l) => ({ ...l, unitPrice: null, amount: null })),
    totalAmount: null,
  };
  const attachments = await filesOf(t.db, id);
  const today = todayInShanghai(t.now());
  const bytes = await orderRecordPdf(printable, {
    company: await companyName(t.db),
    printedAt: t.now(),
    attachments,
  });
  const title = `订单/合同评审记录表 ${o.number} ${o.customer.name}`;
  const filed = await fileGeneratedRecord(
    sys,
    store,
    {
      bytes,
      title,
      docNumber: o.number,
      fileName: `${o.number}-评审记录表.pdf`,
      customerId: o.customer.id,
      category: r.settings.recordArchiveCategory,
      secrecy: o.secrecy,
      responsibleParty: department?.name ?? null,
      remarks: `${o.approval?.decision === 'reject' ? '不接受' : '接受'}；客户订单号 ${o.customerPo ?? '无'}；${o.lines
        .map((l) => l.partNumber)
        .join('、')}`,
      issueDate: today,
      retention: RECORD_RETENTION,
    },
    today,
  );
  await t.db
    .updateTable('orders')
    .set({ record_document_id: filed.documentId })
    .where('id', '=', id)
    .execute();
  await repo.writeHistory(t, id, [
    {
      field: 'record',
      oldValue: null,
      newValue: filed.archiveNo ? `档号 ${filed.archiveNo}` : '待档案管理员编档号（部门未设代码）',
      note: title,
    },
  ]);
  return filed;
}

export async function afterRecord(ctx: Ctx, store: BlobStore, filed: Filed | null): Promise<void> {
  await afterFiling(ctx, store, filed);
}
