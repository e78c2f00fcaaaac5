import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { healthSchema, idParam } from '../../../common/schemas/platform.js';
import { type Db, type Dialect, ping } from '../../db/index.js';
import { getJob } from '../../platform/jobs.js';
import { VERSION } from '../../version.js';

export const systemRoutes: FastifyPluginAsyncZod<{ db: Db; dialect: Dialect }> = async (app, opts) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['系统 System'],
        summary: '健康检查 Health check',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_req, reply) => {
      try {
        await ping(opts.db);
        return { status: 'ok' as const, database: opts.dialect, version: VERSION };
      } catch {
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, database: opts.dialect, version: VERSION });
      }
    },
  );
};

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['系统 System'],
        summary: '后台任务进度与结果 Progress and result of a background job',
        params: idParam,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      // The payload (server paths) stays on the server.
      const { payload: _payload, createdBy: _createdBy, ...job } = await getJob(req.ctx, req.params.id);
      return job;
    },
  );
};
