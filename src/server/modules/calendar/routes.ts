import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dateParam,
  dayInfoSchema,
  daysQuery,
  overrideSchema,
  putOverrideBody,
  workingDaysQuery,
} from '../../../common/schemas/platform.js';
import * as service from './service.js';

const tags = ['工作日历 Calendar'];

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/calendar/working-days',
    {
      schema: {
        tags,
        summary: '工作日计算：from 之后第 add 个工作日，或 (from, to] 之间的工作日数 Working-day arithmetic',
        querystring: workingDaysQuery,
        response: { 200: z.union([z.object({ date: z.string() }), z.object({ count: z.number() })]) },
      },
    },
    async (req) => service.workingDays(req.ctx, req.query),
  );

  app.get(
    '/calendar/days',
    {
      schema: {
        tags,
        summary: '日历（每天是否工作日及来源） Days with their working status',
        querystring: daysQuery,
        response: {
          200: z.object({
            days: z.array(dayInfoSchema),
            statutoryYears: z.object({ min: z.number(), max: z.number() }),
          }),
        },
      },
    },
    async (req) => service.days(req.ctx, req.query.from, req.query.to),
  );

  app.get(
    '/calendar/overrides',
    {
      schema: {
        tags,
        summary: '例外日列表 Overrides',
        response: { 200: z.object({ items: z.array(overrideSchema) }) },
      },
    },
    async (req) => ({ items: await service.listOverrides(req.ctx) }),
  );

  app.put(
    '/calendar/overrides/:date',
    {
      schema: {
        tags,
        summary: '设置例外日（放假或上班） Set an override',
        params: dateParam,
        body: putOverrideBody,
        response: { 200: overrideSchema },
      },
    },
    async (req) => service.setOverride(req.ctx, req.params.date, req.body),
  );

  app.delete(
    '/calendar/overrides/:date',
    {
      schema: {
        tags,
        summary: '删除例外日 Remove an override',
        params: dateParam,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await service.deleteOverride(req.ctx, req.params.date);
      return reply.status(204).send(null);
    },
  );
};
