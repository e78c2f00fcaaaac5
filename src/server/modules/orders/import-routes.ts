import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { receiveSheet } from '../../platform/sheet-import.js';
import { sendXlsx } from '../../platform/xlsx.js';
import * as importer from './import.js';

const tags = ['订单与合同评审 Orders and contract review'];
const jobParam = z.object({ jobId: z.string().max(64) });

export interface OrderImportRouteOptions {
  dataDir: string;
  importMaxBytes: number;
}

/** 导入订单 Importing orders from an ERP export (.xlsx/.csv): template, dry run, import, errors. */
export const orderImportRoutes: FastifyPluginAsyncZod<OrderImportRouteOptions> = async (app, opts) => {
  const uploads = path.join(opts.dataDir, 'tmp', 'order-imports');
  app.get(
    '/orders/import-template.xlsx',
    { schema: { tags, summary: '下载订单导入模板 Order import template' } },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.orderImportTemplate(req.ctx),
        '订单导入模板.xlsx',
        'order-import-template.xlsx',
      ),
  );
  app.post(
    '/orders/imports',
    {
      schema: {
        tags,
        summary: '上传 .xlsx/.csv 导入订单（multipart，字段 file）；dryRun=true 只检查 Upload order lines',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('true') }),
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => {
      importer.assertMayImport(req.ctx);
      const sheet = await receiveSheet(req, uploads, opts.importMaxBytes);
      const dryRun = req.query.dryRun === 'true';
      const job = await importer.queueOrderImport(req.ctx, {
        path: sheet.path,
        fileName: sheet.fileName,
        errorsPath: path.join(sheet.dir, dryRun ? 'check-errors.jsonl' : 'errors.jsonl'),
        dryRun,
      });
      return reply.status(202).send({ job });
    },
  );
  app.post(
    '/orders/imports/:jobId/commit',
    {
      schema: {
        tags,
        summary: '按试导入的文件正式导入订单 Import the checked file',
        params: jobParam,
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) =>
      reply.status(202).send({ job: await importer.commitOrderImport(req.ctx, req.params.jobId) }),
  );
  app.get(
    '/orders/imports/:jobId/errors.xlsx',
    {
      schema: {
        tags,
        summary: '下载订单导入错误清单 Failed rows with an error column',
        params: jobParam,
      },
    },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.orderErrorSheet(req.ctx, req.params.jobId),
        '订单导入错误清单.xlsx',
        'order-import-errors.xlsx',
      ),
  );
};
