import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam, page } from '../../../common/schemas/platform.js';
import {
  cancelVisitBody,
  completeVisitBody,
  createVisitBody,
  listVisitsQuery,
  putVisitSettingsBody,
  updateVisitBody,
  visitSettingsSchema,
  visitTaskSchema,
  visitTodoSchema,
} from '../../../common/schemas/visits.js';
import * as config from './config.js';
import * as service from './service.js';

const tags = ['回访 Follow-up visits'];

export const visitRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/visits/settings',
    { schema: { tags, summary: '回访计划规则 Visit plan rules', response: { 200: visitSettingsSchema } } },
    async (req) => config.getVisitSettings(req.ctx),
  );
  app.put(
    '/visits/settings',
    {
      schema: {
        tags,
        summary: '修改回访计划规则（只影响以后的触发） Change the rules',
        body: putVisitSettingsBody,
        response: { 200: visitSettingsSchema },
      },
    },
    async (req) => config.putVisitSettings(req.ctx, req.body),
  );
  app.get(
    '/visits/todo',
    { schema: { tags, summary: '我的待办：回访 My visit to-dos', response: { 200: visitTodoSchema } } },
    async (req) => service.visitTodo(req.ctx),
  );
  app.get(
    '/visits',
    {
      schema: {
        tags,
        summary: '回访任务 Visit tasks',
        querystring: listVisitsQuery,
        response: { 200: page(visitTaskSchema) },
      },
    },
    async (req) => service.listVisits(req.ctx, req.query),
  );
  app.post(
    '/visits',
    {
      schema: {
        tags,
        summary: '安排回访 Plan a visit',
        body: createVisitBody,
        response: { 201: visitTaskSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createVisit(req.ctx, req.body)),
  );
  app.get(
    '/visits/:id',
    {
      schema: { tags, summary: '回访任务 A visit task', params: idParam, response: { 200: visitTaskSchema } },
    },
    async (req) => service.getVisit(req.ctx, req.params.id),
  );
  app.patch(
    '/visits/:id',
    {
      schema: {
        tags,
        summary: '改派、改期或改方式 Reassign or reschedule',
        params: idParam,
        body: updateVisitBody,
        response: { 200: visitTaskSchema },
      },
    },
    async (req) => service.updateVisit(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/visits/:id/complete',
    {
      schema: {
        tags,
        summary: '记录回访 Record the visit',
        params: idParam,
        body: completeVisitBody,
        response: { 200: visitTaskSchema },
      },
    },
    async (req) => service.completeVisit(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/visits/:id/cancel',
    {
      schema: {
        tags,
        summary: '取消回访任务 Cancel',
        params: idParam,
        body: cancelVisitBody,
        response: { 200: visitTaskSchema },
      },
    },
    async (req) => service.cancelVisit(req.ctx, req.params.id, req.body.note),
  );
};
