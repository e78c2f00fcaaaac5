import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntrySchema, auditQuery, page, verifyResultSchema } from '../../../common/schemas/platform.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as service from './service.js';

const tags = ['审计日志 Audit log'];

export const auditRoutes: FastifyPluginAsyncZod<{ dataDir: string }> = async (app, opts) => {
  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: '查询审计日志（新的在前） Search the audit log, newest first',
        querystring: auditQuery,
        response: { 200: page(auditEntrySchema) },
      },
    },
    async (req) => service.search(req.ctx, req.query),
  );

  app.get(
    '/audit/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出审计日志为 Excel Export the audit log as .xlsx',
        querystring: auditQuery.omit({ cursor: true, limit: true }),
      },
    },
    async (req, reply) => {
      const stream = await service.exportXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, stream, `审计日志-${day}.xlsx`, `audit-${day}.xlsx`);
    },
  );

  app.post(
    '/audit/verify',
    {
      schema: {
        tags,
        summary: '校验整条审计链，指出第一条被篡改的记录 Verify the whole chain',
        response: { 200: verifyResultSchema },
      },
    },
    async (req) => service.verify(req.ctx, opts.dataDir),
  );
};
