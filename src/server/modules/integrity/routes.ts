import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  integrityCheckSummarySchema,
  storedIntegrityReportSchema,
} from '../../../common/schemas/integrity.js';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { idParam, page, pageQuery } from '../../../common/schemas/platform.js';
import * as reports from './reports.js';
import * as service from './service.js';

const tags = ['完整性检查 Integrity'];
export const integrityRoutes: FastifyPluginAsyncZod<{ dataDir: string }> = async (app, opts) => {
  app.post(
    '/integrity/checks',
    {
      schema: {
        tags,
        summary: '开始完整性检查（四性检测，后台任务） Start an integrity check',
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => reply.status(202).send({ job: await service.startCheck(req.ctx, opts.dataDir) }),
  );
  app.get(
    '/integrity/checks',
    {
      schema: {
        tags,
        summary: '历次完整性检查（新的在前） Past integrity checks, newest first',
        querystring: z.object(pageQuery),
        response: { 200: page(integrityCheckSummarySchema) },
      },
    },
    async (req) => reports.listReports(req.ctx, req.query),
  );
  app.get(
    '/integrity/checks/latest',
    {
      schema: {
        tags,
        summary: '最近一次完成的完整性检查报告 The latest integrity report',
        response: { 200: storedIntegrityReportSchema },
      },
    },
    async (req) => reports.latestReport(req.ctx),
  );
  app.get(
    '/integrity/checks/:id',
    {
      schema: {
        tags,
        summary: '一次完整性检查的报告 The report of one check',
        params: idParam,
        response: { 200: storedIntegrityReportSchema },
      },
    },
    async (req) => reports.getReport(req.ctx, req.params.id),
  );
};
