import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orderFileQuery, orderFileSchema, orderFilesSchema } from '../../../common/schemas/orders.js';
import { idParam } from '../../../common/schemas/platform.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { rawUpload } from '../../platform/uploads.js';
import * as record from './record.js';

// 评审记录表 and attachments of an order (record.ts). A plugin of its own: it parses raw file
// bodies (application/octet-stream) as the cases' attachments do, without touching the others.

const tags = ['订单与合同评审 Orders and contract review'];
const FILE_MAX_BYTES = 50 * 1024 * 1024;
const id = z.string().min(1).max(64);

export const orderRecordRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.get(
    '/orders/:id/review-record.pdf',
    { schema: { tags, summary: '打印订单/合同评审记录表 The review record (PDF)', params: idParam } },
    async (req, reply) => {
      const { number, bytes } = await record.printRecord(req.ctx, req.params.id);
      const name = `${number}-评审记录表.pdf`;
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(name, `${number}-review-record.pdf`))
        .send(Buffer.from(bytes));
    },
  );
  app.get(
    '/orders/:id/files',
    {
      schema: {
        tags,
        summary: '附件与归档的评审记录 Attachments and the filed record',
        params: idParam,
        response: { 200: orderFilesSchema },
      },
    },
    async (req) => record.listOrderFiles(req.ctx, req.params.id),
  );
  app.post(
    '/orders/:id/files',
    {
      schema: {
        tags,
        summary:
          '上传附件（请求体为文件本身；kind=po|confirmation|feasibility|other，name=文件名） Attach a file',
        params: idParam,
        querystring: orderFileQuery,
        response: { 201: orderFileSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await rawUpload(req, store, FILE_MAX_BYTES, (blob) =>
            record.addOrderFile(req.ctx, req.params.id, blob, req.query),
          ),
        ),
  );
  app.get(
    '/orders/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: '下载附件 Download an attachment',
        params: z.object({ id, fileId: id }),
      },
    },
    async (req, reply) => {
      const file = await record.openOrderFile(req.ctx, store, req.params.id, req.params.fileId);
      return reply
        .type(file.mime)
        .header('content-disposition', attachment(file.name, file.name.replace(/[^\x20-\x7e]/g, '_')))
        .send(store.open(file.sha256));
    },
  );
};
