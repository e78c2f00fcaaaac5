import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PREVIEW_TYPES, REGISTER_LABELS, REGISTERS } from '../../../common/documents.js';
import {
  approveVersionBody,
  archiveCheckSchema,
  authorizationQuery,
  categoryParams,
  copiesRegisterQuery,
  copySchema,
  countDocumentsQuery,
  countersignBody,
  decideSecrecyChangeBody,
  distributeBody,
  documentCategorySchema,
  documentEventSchema,
  documentFileSchema,
  documentListItemSchema,
  documentSchema,
  documentSettingsSchema,
  documentTodoSchema,
  listDocumentsQuery,
  newVersionBody,
  obsoleteDocumentBody,
  obsoleteVersionSchema,
  pendingApprovalSchema,
  putCategoryBody,
  putDocumentSettingsBody,
  recallBody,
  receiptQuery,
  registerDocumentBody,
  releaseVersionBody,
  returnVersionBody,
  secrecyChangeBody,
  secrecyChangeSchema,
  secrecyReviewsSchema,
  updateDocumentBody,
  updateVersionBody,
  withdrawVersionBody,
} from '../../../common/schemas/documents.js';
import { page } from '../../../common/schemas/platform.js';
import { fileNameParam } from '../../../common/validation.js';
import { CSV_ENCODINGS, type CsvEncoding, sendCsv } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { removeBlobIfUnreferenced } from '../../platform/housekeeping.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { multipartFile, rawFile, rawUpload, receiving } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as approval from './approval.js';
import * as authorization from './authorization.js';
import * as config from './config.js';
import * as copies from './copies.js';
import * as files from './files.js';
import * as filing from './filing.js';
import * as receipts from './receipts.js';
import * as registers from './registers.js';
import * as secrecy from './secrecy.js';
import * as secrecyChanges from './secrecy-changes.js';
import * as service from './service.js';
import * as stamp from './stamp.js';
import * as todo from './todo.js';
import * as versions from './versions.js';

const tags = ['文件与档案 Documents'];
const documentParam = z.object({ id: z.string().min(1).max(64) });
const fileParams = z.object({ id: z.string().min(1).max(64), fileId: z.string().min(1).max(64) });
const changeParams = z.object({ id: z.string().min(1).max(64), changeId: z.string().min(1).max(64) });
const versionParams = z.object({ id: z.string().min(1).max(64), versionId: z.string().min(1).max(64) });
const copyParams = z.object({ id: z.string().min(1).max(64), copyId: z.string().min(1).max(64) });

export interface DocumentRouteOptions {
  store: BlobStore;
  uploadMaxBytes: number;
}

function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The fallback file name for clients without RFC 5987: ASCII only, no quotes. */
const asciiName = (name: string) => name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');

/** A file name as sent by the browser, without any directory part. */
function cleanName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).trim();
  // Cut by characters, not UTF-16 units: half a surrogate pair cannot be stored (R-L1).
  return Array.from(base).slice(0, 255).join('') || 'file';
}

export const documentRoutes: FastifyPluginAsyncZod<DocumentRouteOptions> = async (app, opts) => {
  // A raw upload's body is handed to the route as the request stream (only in this plugin).
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.get(
    '/document-config/categories',
    {
      schema: {
        tags,
        summary: '文件类别 Document categories',
        response: { 200: z.array(documentCategorySchema) },
      },
    },
    async (req) => config.listCategories(req.ctx),
  );
  app.put(
    '/document-config/categories/:code',
    {
      schema: {
        tags,
        summary: '新增或修改文件类别 Create or change a category',
        params: categoryParams,
        body: putCategoryBody,
        response: { 200: documentCategorySchema },
      },
    },
    async (req) => config.putCategory(req.ctx, req.params.code, req.body),
  );

  app.get(
    '/document-config/settings',
    {
      schema: {
        tags,
        summary: '档号设置 Archive number settings',
        response: { 200: documentSettingsSchema },
      },
    },
    async (req) => config.getDocumentSettings(req.ctx),
  );
  app.put(
    '/document-config/settings',
    {
      schema: {
        tags,
        summary: '修改档号设置 Change archive number settings',
        body: putDocumentSettingsBody,
        response: { 200: documentSettingsSchema },
      },
    },
    async (req) => config.putDocumentSettings(req.ctx, opts.store, req.body),
  );
  app.get(
    '/documents/archive-check',
    {
      schema: {
        tags,
        summary: '档号连续性检查（漏号） Archive number gaps',
        response: { 200: archiveCheckSchema },
      },
    },
    async (req) => filing.archiveCheck(req.ctx),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/documents/registers/:register.${format}`,
      {
        schema: {
          tags,
          summary: `导出登记簿（外来文件清单、客户提供资料一览表、归档文件目录；${format === 'csv' ? 'CSV，UTF-8 或 GBK' : 'Excel'}） Export a register`,
          params: z.object({ register: z.enum(REGISTERS) }),
          querystring: countDocumentsQuery.omit({ register: true }).extend({
            obsolete: z.enum(['true', 'false']).default('false'),
            ...(format === 'csv' ? { encoding: z.enum(CSV_ENCODINGS).default('utf8') } : {}),
          }),
        },
      },
      async (req, reply) => {
        const { register } = req.params;
        const { obsolete, encoding, ...filter } = req.query as typeof req.query & { encoding?: CsvEncoding };
        const stream = await registers.exportRegister(
          req.ctx,
          register,
          filter,
          obsolete === 'true',
          format,
          encoding,
        );
        const day = fileDay(req.ctx.now());
        const name = `${REGISTER_LABELS[register].zh}-${day}.${format}`;
        const ascii = `${register}-${day}.${format}`;
        return format === 'csv'
          ? sendCsv(reply, stream, name, ascii, encoding)
          : sendXlsx(reply, stream, name, ascii);
      },
    );
  app.get(
    '/documents/obsolete-versions',
    {
      schema: {
        tags,
        summary: '作废版本（登记簿页面按文件列出） Superseded versions of the given documents',
        querystring: z.object({ ids: z.string().max(20_000) }),
        response: { 200: z.record(z.string(), z.array(obsoleteVersionSchema)) },
      },
    },
    async (req) =>
      registers.obsoleteVersions(req.ctx, req.query.ids.split(',').filter(Boolean).slice(0, 200)),
  );
  app.get(
    '/documents/todo',
    {
      schema: {
        tags,
        summary: '我的待办：文件控制（待签署、待签收、待查新） My document to-dos',
        response: { 200: documentTodoSchema },
      },
    },
    async (req) => todo.documentTodo(req.ctx),
  );
  app.get(
    '/documents/approvals/pending',
    {
      schema: {
        tags,
        summary: '待我签署的文件（审核、会签、批准） Versions waiting for my signature',
        response: { 200: z.array(pendingApprovalSchema) },
      },
    },
    async (req) => approval.pendingApprovals(req.ctx),
  );
  app.get(
    '/documents/copies/unsigned',
    {
      schema: {
        tags,
        summary:
          '待签收、待交回签字的副本（接收人看自己的，档案管理员看全部） Copies waiting for their recipient’s signature',
        response: { 200: z.array(copySchema) },
      },
    },
    async (req) => receipts.unsignedCopies(req.ctx),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/documents/copies/register.${format}`,
      {
        schema: {
          tags,
          summary: `导出文件发放/回收登记表（含签收人、签收日期），${format === 'xlsx' ? 'Excel' : 'CSV，UTF-8 或 GBK'} Export the distribution register`,
          querystring:
            format === 'csv'
              ? copiesRegisterQuery.extend({ encoding: z.enum(CSV_ENCODINGS).default('utf8') })
              : copiesRegisterQuery,
        },
      },
      async (req, reply) => {
        const { encoding } = req.query as { encoding?: CsvEncoding };
        const list = req.query.unacknowledged === 'true' ? 'unsigned' : 'all';
        const day = fileDay(req.ctx.now());
        const name = `文件发放回收登记表-${day}.${format}`;
        const ascii = `distribution-register-${day}.${format}`;
        return format === 'xlsx'
          ? sendXlsx(reply, await receipts.registerXlsx(req.ctx, list), name, ascii)
          : sendCsv(reply, await receipts.registerCsv(req.ctx, list, encoding), name, ascii, encoding);
      },
    );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/documents/recalls.${format}`,
      {
        schema: {
          tags,
          summary: `导出待回收副本（档案管理员），${format === 'xlsx' ? 'Excel' : 'CSV，UTF-8 或 GBK'} Export the copies waiting to be recalled`,
          querystring: z.object(format === 'csv' ? { encoding: z.enum(CSV_ENCODINGS).default('utf8') } : {}),
        },
      },
      async (req, reply) => {
        const { encoding } = req.query as { encoding?: CsvEncoding };
        const day = fileDay(req.ctx.now());
        const name = `待回收副本-${day}.${format}`;
        const ascii = `copies-to-recall-${day}.${format}`;
        return format === 'xlsx'
          ? sendXlsx(reply, await receipts.registerXlsx(req.ctx, 'recalls'), name, ascii)
          : sendCsv(reply, await receipts.registerCsv(req.ctx, 'recalls', encoding), name, ascii, encoding);
      },
    );
  app.get(
    '/documents/recalls',
    {
      schema: {
        tags,
        summary: '待回收的副本（档案管理员） Copies waiting to be recalled',
        response: { 200: z.array(copySchema) },
      },
    },
    async (req) => copies.pendingRecalls(req.ctx),
  );
  app.get(
    '/documents/secrecy-reviews',
    {
      schema: {
        tags,
        summary:
          '解密/降密审查清单：保密期限届满（及即将届满）的档案（查看留痕） Records whose secrecy term ended',
        response: { 200: secrecyReviewsSchema },
      },
    },
    async (req) => secrecy.secrecyReviews(req.ctx),
  );
  app.get(
    '/documents/secrecy-reviews/export',
    {
      schema: {
        tags,
        summary: '导出解密/降密审查清单（.xlsx 或 CSV） Export the secrecy review list',
        querystring: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      },
    },
    async (req, reply) => {
      const body = await secrecy.exportSecrecyReviews(req.ctx, req.query.format);
      const day = fileDay(req.ctx.now());
      return req.query.format === 'csv'
        ? sendCsv(reply, body, `解密降密审查清单-${day}.csv`, `secrecy-reviews-${day}.csv`)
        : sendXlsx(reply, body, `解密降密审查清单-${day}.xlsx`, `secrecy-reviews-${day}.xlsx`);
    },
  );
  app.get(
    '/documents/:id/secrecy-changes',
    {
      schema: {
        tags,
        summary: '密级变更/解除申请与审批 Secrecy changes of a document',
        params: documentParam,
        response: { 200: z.array(secrecyChangeSchema) },
      },
    },
    async (req) => secrecyChanges.listSecrecyChanges(req.ctx, req.params.id),
  );
  app.post(
    '/documents/:id/secrecy-changes',
    {
      schema: {
        tags,
        summary: '申请密级变更/解除（须总经理批准） Ask for a change of secrecy level',
        params: documentParam,
        body: secrecyChangeBody,
        response: { 201: secrecyChangeSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await secrecyChanges.requestSecrecyChange(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/documents/:id/secrecy-changes/:changeId/withdraw',
    {
      schema: {
        tags,
        summary: '撤回密级变更/解除申请（申请人本人，审批前） Withdraw a secrecy change request',
        params: changeParams,
        response: { 200: secrecyChangeSchema },
      },
    },
    async (req) => secrecyChanges.withdrawSecrecyChange(req.ctx, req.params.id, req.params.changeId),
  );
  app.post(
    '/documents/:id/secrecy-changes/:changeId/decide',
    {
      schema: {
        tags,
        summary: '审批密级变更/解除（总经理） Decide a secrecy change',
        params: changeParams,
        body: decideSecrecyChangeBody,
        response: { 200: secrecyChangeSchema },
      },
    },
    async (req) =>
      secrecyChanges.decideSecrecyChange(req.ctx, opts.store, req.params.id, req.params.changeId, {
        approve: req.body.approve,
        note: req.body.note,
      }),
  );
  app.get(
    '/documents/:id/secrecy-changes/:changeId/form.pdf',
    {
      schema: {
        tags,
        summary: '密级变更审批表（PDF，留痕） The secrecy change approval form',
        params: changeParams,
      },
    },
    async (req, reply) => {
      const form = await secrecyChanges.secrecyChangeForm(req.ctx, req.params.id, req.params.changeId);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', attachment(form.name, asciiName(form.name)))
        .send(Buffer.from(form.bytes));
    },
  );
  app.get(
    '/documents/:id/copies',
    {
      schema: {
        tags,
        summary: '分发记录 Distributed copies of a document',
        params: documentParam,
        response: { 200: z.array(copySchema) },
      },
    },
    async (req) => copies.listCopies(req.ctx, req.params.id),
  );
  app.post(
    '/documents/:id/copies',
    {
      schema: {
        tags,
        summary: '分发现行版本（每个接收方一份，编份号） Distribute numbered copies of the current version',
        params: documentParam,
        body: distributeBody,
        response: { 201: z.array(copySchema) },
      },
    },
    async (req, reply) => reply.status(201).send(await copies.distribute(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/documents/:id/copies/:copyId/acknowledge',
    {
      schema: {
        tags,
        summary: '签收副本（仅接收人本人或接收部门经理） Sign for a copy (its recipient only)',
        params: copyParams,
        response: { 200: copySchema },
      },
    },
    async (req) => receipts.acknowledge(req.ctx, req.params.id, req.params.copyId),
  );
  app.post(
    '/documents/:id/copies/:copyId/return-sign',
    {
      schema: {
        tags,
        summary: '待回收副本交回签字（仅接收人本人或接收部门经理） Sign a recalled copy back',
        params: copyParams,
        response: { 200: copySchema },
      },
    },
    async (req) => receipts.signReturn(req.ctx, req.params.id, req.params.copyId),
  );
  app.post(
    '/documents/:id/copies/:copyId/scans',
    {
      schema: {
        tags,
        summary:
          '登记纸质签收单或交回单扫描件（请求体为文件本身；档案管理员） Record a scanned signed paper receipt',
        params: copyParams,
        querystring: receiptQuery,
        response: { 201: copySchema },
      },
    },
    async (req, reply) => {
      await receipts.assertMayRecordScan(req.ctx, req.params.id, req.params.copyId, req.query);
      // The name as sent, without any directory part (as every other upload).
      const query = { ...req.query, name: cleanName(req.query.name) };
      const copy = await rawUpload(req, opts.store, receipts.SCAN_MAX_BYTES, (blob) =>
        receipts.recordScan(req.ctx, opts.store, req.params.id, req.params.copyId, blob, query),
      );
      return reply.status(201).send(copy);
    },
  );
  app.get(
    '/documents/:id/copies/:copyId/scans/:kind',
    {
      schema: {
        tags,
        summary: '签收单或交回单扫描件（留痕） A copy’s scanned receipt (audited)',
        params: copyParams.extend({ kind: z.enum(['receipt', 'return']) }),
      },
    },
    async (req, reply) => {
      const scan = await receipts.openScan(
        req.ctx,
        opts.store,
        req.params.id,
        req.params.copyId,
        req.params.kind,
      );
      return reply
        .type(scan.mime)
        .header('content-length', scan.size)
        .header('cache-control', 'private, no-store')
        .header('content-disposition', attachment(scan.name, asciiName(scan.name)))
        .send(scan.stream);
    },
  );
  app.post(
    '/documents/:id/authorization',
    {
      schema: {
        tags,
        summary:
          '附客户签字授权（文件为请求体 application/octet-stream；?name=文件名&signedBy=签字人&signedOn=日期） Attach the customer’s signed authorisation',
        params: documentParam,
        querystring: authorizationQuery,
        response: { 201: documentSchema },
      },
    },
    async (req, reply) => {
      await authorization.assertMayAttach(req.ctx, req.params.id);
      const { name, ...input } = req.query;
      const doc = await rawUpload(req, opts.store, opts.uploadMaxBytes, (blob) =>
        authorization.attachAuthorization(req.ctx, opts.store, req.params.id, blob, {
          ...input,
          name: cleanName(name),
        }),
      );
      return reply.status(201).send(doc);
    },
  );
  app.get(
    '/documents/:id/authorization/content',
    {
      schema: {
        tags,
        summary: '下载客户签字授权（留痕） Download the customer’s signed authorisation (audited)',
        params: documentParam,
      },
    },
    async (req, reply) => {
      const file = await authorization.openAuthorization(req.ctx, opts.store, req.params.id);
      return reply
        .type(file.mime)
        .header('content-length', file.size)
        .header('cache-control', 'private, no-store')
        .header('content-disposition', attachment(file.name, asciiName(file.name)))
        .send(file.stream);
    },
  );
  app.post(
    '/documents/:id/copies/:copyId/recall',
    {
      schema: {
        tags,
        summary: '确认回收 Confirm that a copy came back',
        params: z.object({ id: z.string().min(1).max(64), copyId: z.string().min(1).max(64) }),
        body: recallBody,
        response: { 200: copySchema },
      },
    },
    async (req) => copies.recall(req.ctx, req.params.id, req.params.copyId, req.body.note),
  );
  app.get(
    '/documents/:id/files/:fileId/stamped',
    {
      schema: {
        tags,
        summary: '盖章副本（PDF：受控/只供参考/作废、份号、接收人、日期） Stamped PDF copy',
        params: fileParams,
        querystring: z.object({ copyId: z.string().max(64).optional() }),
      },
    },
    async (req, reply) => {
      const copy = await stamp.stampedCopy(
        req.ctx,
        opts.store,
        req.params.id,
        req.params.fileId,
        req.query.copyId,
      );
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', attachment(copy.name, asciiName(copy.name)))
        .send(Buffer.from(copy.bytes));
    },
  );
  app.post(
    '/documents/:id/file',
    {
      schema: {
        tags,
        summary: '归档并编档号 File a record and give it its archive number',
        params: documentParam,
        response: { 200: documentSchema },
      },
    },
    async (req) => filing.fileDocument(req.ctx, req.params.id),
  );
  app.get(
    '/documents',
    {
      schema: {
        tags,
        summary: '文件列表与检索 List and search documents',
        querystring: listDocumentsQuery,
        response: { 200: page(documentListItemSchema) },
      },
    },
    async (req) => service.listDocuments(req.ctx, req.query),
  );
  app.get(
    '/documents/count',
    {
      schema: {
        tags,
        summary: '符合条件的文件数 Count',
        querystring: countDocumentsQuery,
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => ({ count: await service.countDocuments(req.ctx, req.query) }),
  );
  app.post(
    '/documents',
    {
      schema: {
        tags,
        summary: '登记文件 Register a document',
        body: registerDocumentBody,
        response: { 201: documentSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.registerDocument(req.ctx, req.body)),
  );
  app.get(
    '/documents/:id',
    {
      schema: {
        tags,
        summary: '文件详情（查看留痕） One document (the view is audited)',
        params: documentParam,
        response: { 200: documentSchema },
      },
    },
    async (req) => service.getDocument(req.ctx, req.params.id),
  );
  app.patch(
    '/documents/:id',
    {
      schema: {
        tags,
        summary: '修改著录（逐项留痕） Change metadata',
        params: documentParam,
        body: updateDocumentBody,
        response: { 200: documentSchema },
      },
    },
    async (req) => service.updateDocument(req.ctx, opts.store, req.params.id, req.body),
  );
  app.post(
    '/documents/:id/versions',
    {
      schema: {
        tags,
        summary:
          '起草新版本（草稿：须有版本号或选择无版本号；生效前不影响现行版本） Draw up a new version as a draft',
        params: documentParam,
        body: newVersionBody,
        response: { 201: documentSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await versions.draftVersion(req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/documents/:id/versions/:versionId',
    {
      schema: {
        tags,
        summary: '更正版本（草稿，或尚未分发的现行版本） Correct a draft or an undistributed current version',
        params: versionParams,
        body: updateVersionBody,
        response: { 200: documentSchema },
      },
    },
    async (req) => versions.correctVersion(req.ctx, req.params.id, req.params.versionId, req.body),
  );
  app.post(
    '/documents/:id/versions/:versionId/release',
    {
      schema: {
        tags,
        summary:
          '新版本生效：现行版本作废，确认的副本转为待回收（电子文件须已上传文件） Make a draft current; the current version becomes obsolete and the confirmed copies are to be recalled',
        params: versionParams,
        body: releaseVersionBody,
        response: { 200: documentSchema },
      },
    },
    async (req) =>
      versions.releaseVersion(req.ctx, req.params.id, req.params.versionId, req.body.recallCopyIds),
  );
  app.post(
    '/documents/:id/versions/:versionId/submit',
    {
      schema: {
        tags,
        summary: '编制完成，提交审核（内部文件） Sign as author and submit for review',
        params: versionParams,
        response: { 200: documentSchema },
      },
    },
    async (req) => approval.submitVersion(req.ctx, req.params.id, req.params.versionId),
  );
  app.post(
    '/documents/:id/versions/:versionId/review',
    {
      schema: {
        tags,
        summary: '审核通过（文件所属部门经理或总经理） Sign the review',
        params: versionParams,
        response: { 200: documentSchema },
      },
    },
    async (req) => approval.reviewVersion(req.ctx, req.params.id, req.params.versionId),
  );
  app.post(
    '/documents/:id/versions/:versionId/countersign',
    {
      schema: {
        tags,
        summary: '会签（类别指定部门的经理） Countersign for a department the category names',
        params: versionParams,
        body: countersignBody,
        response: { 200: documentSchema },
      },
    },
    async (req) =>
      approval.countersignVersion(req.ctx, req.params.id, req.params.versionId, req.body.departmentId),
  );
  app.post(
    '/documents/:id/versions/:versionId/approve',
    {
      schema: {
        tags,
        summary: '批准并确定生效日期（总经理或副总经理） Approve and set the effective date',
        params: versionParams,
        body: approveVersionBody,
        response: { 200: documentSchema },
      },
    },
    async (req) =>
      approval.approveVersion(req.ctx, req.params.id, req.params.versionId, req.body.effectiveDate),
  );
  app.post(
    '/documents/:id/versions/:versionId/return',
    {
      schema: {
        tags,
        summary: '退回编制（注明原因） Return to the author with a reason',
        params: versionParams,
        body: returnVersionBody,
        response: { 200: documentSchema },
      },
    },
    async (req) => approval.returnVersion(req.ctx, req.params.id, req.params.versionId, req.body.reason),
  );
  app.post(
    '/documents/:id/versions/:versionId/withdraw',
    {
      schema: {
        tags,
        summary:
          '撤回版本（放弃草稿，或撤回尚未分发的现行版本：上一版本恢复现行，其副本恢复在用） Withdraw a draft or an undistributed current version',
        params: versionParams,
        body: withdrawVersionBody,
        response: { 200: documentSchema },
      },
    },
    async (req) => versions.withdrawVersion(req.ctx, req.params.id, req.params.versionId, req.body.reason),
  );
  app.delete(
    '/documents/:id/files/:fileId',
    {
      schema: {
        tags,
        summary:
          '从版本中移除文件（草稿，或尚未分发的现行版本；内容保留至销毁） Take a file out of a draft or an undistributed current version',
        params: fileParams,
        response: { 200: documentSchema },
      },
    },
    async (req) => versions.removeFile(req.ctx, req.params.id, req.params.fileId),
  );
  app.post(
    '/documents/:id/obsolete',
    {
      schema: {
        tags,
        summary: '作废文件 Withdraw a document',
        params: documentParam,
        body: obsoleteDocumentBody,
        response: { 200: documentSchema },
      },
    },
    async (req) => service.obsoleteDocument(req.ctx, req.params.id, req.body.reason),
  );
  app.get(
    '/documents/:id/events',
    {
      schema: {
        tags,
        summary: '文件履历 History of a document',
        params: documentParam,
        response: { 200: z.array(documentEventSchema) },
      },
    },
    async (req) => service.documentEvents(req.ctx, req.params.id),
  );
  app.post(
    '/documents/:id/files',
    {
      schema: {
        tags,
        summary:
          '上传文件到现行版本（或 ?versionId= 指定的新版本草稿）：multipart（字段 file），或以文件本身为请求体（application/octet-stream，?name=文件名） Upload a file into the current version or a draft',
        params: documentParam,
        querystring: z.object({
          name: fileNameParam.optional(),
          versionId: z.string().min(1).max(64).optional(),
        }),
        response: { 201: documentFileSchema },
      },
    },
    async (req, reply) => {
      await files.assertMayUpload(req.ctx, req.params.id, req.query.versionId);
      const tooLarge = () =>
        new DomainError('file_too_large', 413, { limit: sizeText(opts.uploadMaxBytes) }, 'file');
      let source: { stream: Readable; name: string; truncated?: () => boolean };
      if (req.isMultipart()) {
        const file = await multipartFile(req, opts.uploadMaxBytes);
        source = { stream: file.file, name: file.filename, truncated: () => file.file.truncated };
      } else {
        // The web app sends the file itself as the body: no multipart parsing on the way.
        const stream = rawFile(req);
        if (!req.query.name) throw new DomainError('file_required', 400, {}, 'file');
        if (Number(req.headers['content-length'] ?? 0) > opts.uploadMaxBytes) throw tooLarge();
        source = { stream, name: req.query.name };
      }
      const blob = await receiving(tooLarge, () =>
        opts.store.put(source.stream, { truncated: source.truncated, maxBytes: opts.uploadMaxBytes }),
      );
      try {
        const saved = await files.addFile(
          req.ctx,
          opts.store,
          req.params.id,
          blob,
          cleanName(source.name),
          req.query.versionId,
        );
        return reply.status(201).send(saved);
      } catch (err) {
        // Refused or failed after the content reached the store: it must not stay behind.
        if (blob.created)
          await removeBlobIfUnreferenced(req.ctx.db, opts.store, blob.sha256).catch(() => false);
        throw err;
      }
    },
  );
  app.get(
    '/documents/:id/files/:fileId/content',
    {
      schema: {
        tags,
        summary: '下载或预览文件（留痕） Download or preview a file (audited)',
        params: fileParams,
        querystring: z.object({ inline: z.enum(['true', 'false']).default('false') }),
      },
    },
    async (req, reply) => {
      const preview = req.query.inline === 'true';
      const file = await files.openFile(
        req.ctx,
        opts.store,
        req.params.id,
        req.params.fileId,
        preview ? 'preview' : 'download',
      );
      // Only types a browser renders harmlessly are shown inline; the rest is a download.
      const inline = preview && PREVIEW_TYPES.includes(file.mime);
      return reply
        .type(file.mime)
        .header('content-length', file.size)
        .header('etag', `"${file.sha256}"`)
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          attachment(file.name, asciiName(file.name), inline ? 'inline' : 'attachment'),
        )
        .send(file.stream);
    },
  );
};
