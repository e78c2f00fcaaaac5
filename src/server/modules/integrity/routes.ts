import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { integrityReportSchema } from '../../../common/schemas/integrity.js';
import { jobSchema } from '../../../common/schemas/jobs.js';
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
    '/integrity/checks/latest',
    {
      schema: {
        tags,
        summary: '最近一次完成的完整性检查报告 The latest integrity report',
        response: { 200: integrityReportSchema },
      },
    },
    async (req) => service.latestReport(req.ctx),
  );
};
