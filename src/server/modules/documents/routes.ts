import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PREVIEW_TYPES, REGISTER_LABELS, REGISTERS } from '../../../common/documents.js';
import {
  archiveCheckSchema,
  categoryParams,
  copySchema,
  countDocumentsQuery,
  distributeBody,
  documentCategorySchema,
  documentEventSchema,
  documentFileSchema,
  documentListItemSchema,
  documentSchema,
  documentSettingsSchema,
  listDocumentsQuery,
  newVersionBody,
  obsoleteDocumentBody,
  obsoleteVersionSchema,
  putCategoryBody,
  putDocumentSettingsBody,
  recallBody,
  registerDocumentBody,
  releaseVersionBody,
  updateDocumentBody,
  updateVersionBody,
  withdrawVersionBody,
} from '../../../common/schemas/documents.js';
import { page } from '../../../common/schemas/platform.js';
import { fileNameParam } from '../../../common/validation.js';
import { DomainError } from '../../platform/errors.js';
import { removeBlobIfUnreferenced } from '../../platform/housekeeping.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { multipartFile, rawFile, receiving } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as config from './config.js';
import * as copies from './copies.js';
import * as files from './files.js';
import * as filing from './filing.js';
import * as registers from './registers.js';
import * as service from './service.js';
import * as stamp from './stamp.js';
import * as versions from './versions.js';

const tags = ['文件与档案 Documents'];
const documentParam = z.object({ id: z.string().min(1).max(64) });
const fileParams = z.object({ id: z.string().min(1).max(64), fileId: z.string().min(1).max(64) });
const versionParams = z.object({ id: z.string().min(1).max(64), versionId: z.string().min(1).max(64) });

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
    async (req) => config.putDocumentSettings(req.ctx, req.body),
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
  app.get(
    '/documents/registers/:register.xlsx',
    {
      schema: {
        tags,
        summary: '导出登记簿（外来文件清单、客户提供资料一览表、归档文件目录） Export a register',
        params: z.object({ register: z.enum(REGISTERS) }),
        querystring: countDocumentsQuery
          .omit({ register: true })
          .extend({ obsolete: z.enum(['true', 'false']).default('false') }),
      },
    },
    async (req, reply) => {
      const { register } = req.params;
      const { obsolete, ...filter } = req.query;
      const stream = await registers.exportRegister(req.ctx, register, filter, obsolete === 'true');
      const day = fileDay(req.ctx.now());
      return sendXlsx(
        reply,
        stream,
        `${REGISTER_LABELS[register].zh}-${day}.xlsx`,
        `${register}-${day}.xlsx`,
      );
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
    async (req) => service.updateDocument(req.ctx, req.params.id, req.body),
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
