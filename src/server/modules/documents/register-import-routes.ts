import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGISTERS } from '../../../common/documents.js';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { receiveSheet } from '../../platform/sheet-import.js';
import { sendXlsx } from '../../platform/xlsx.js';
import * as importer from './register-import.js';

const tags = ['文件与档案 Documents'];
const jobParam = z.object({ jobId: z.string().max(64) });

export interface RegisterImportRouteOptions {
  dataDir: string;
  importMaxBytes: number;
}

/** 导入登记簿: the 外来文件清单, 客户提供资料一览表 or 归档文件目录 a company kept in Excel. */
export const registerImportRoutes: FastifyPluginAsyncZod<RegisterImportRouteOptions> = async (app, opts) => {
  const uploads = path.join(opts.dataDir, 'tmp', 'register-imports');
  app.post(
    '/documents/registers/:register/imports',
    {
      schema: {
        tags,
        summary:
          '上传 .xlsx/.csv 导入登记簿（multipart，字段 file）；dryRun=true 只检查 Import a register kept in Excel',
        params: z.object({ register: z.enum(REGISTERS) }),
        querystring: z.object({
          dryRun: z.enum(['true', 'false']).default('true'),
          category: z.string().min(1).max(50).optional(),
        }),
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => {
      const { register } = req.params;
      await importer.assertMayImportInto(req.ctx, register, req.query.category ?? null);
      const sheet = await receiveSheet(req, uploads, opts.importMaxBytes);
      const dryRun = req.query.dryRun === 'true';
      const job = await importer.queueRegisterImport(req.ctx, {
        path: sheet.path,
        fileName: sheet.fileName,
        errorsPath: path.join(sheet.dir, dryRun ? 'check-errors.jsonl' : 'errors.jsonl'),
        dryRun,
        register,
        category: req.query.category ?? null,
      });
      return reply.status(202).send({ job });
    },
  );
  app.post(
    '/documents/register-imports/:jobId/commit',
    {
      schema: {
        tags,
        summary: '按试导入的文件正式导入登记簿 Import the checked register',
        params: jobParam,
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) =>
      reply.status(202).send({ job: await importer.commitRegisterImport(req.ctx, req.params.jobId) }),
  );
  app.get(
    '/documents/register-imports/:jobId/errors.xlsx',
    {
      schema: {
        tags,
        summary: '下载登记簿导入错误清单 Failed rows with an error column',
        params: jobParam,
      },
    },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.registerImportErrors(req.ctx, req.params.jobId),
        '登记簿导入错误清单.xlsx',
        'register-import-errors.xlsx',
      ),
  );
};
