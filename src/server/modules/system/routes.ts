import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthSchema } from '../../../common/schemas/platform.js';
import { type Db, type Dialect, ping } from '../../db/index.js';
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
