import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dashboardSchema } from '../../../common/schemas/dashboard.js';
import * as service from './service.js';

const tags = ['工作台 Dashboard'];

export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dashboard',
    {
      schema: {
        tags,
        summary: '工作台：按角色的统计与图表 The role dashboards',
        response: { 200: dashboardSchema },
      },
    },
    async (req) => service.dashboard(req.ctx),
  );
};
