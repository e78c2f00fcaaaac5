import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  actionSchema,
  actionTodoSchema,
  completeActionBody,
  createActionBody,
  exportActionsQuery,
  listActionsQuery,
  sourceActionsSchema,
  verifyActionBody,
} from '../../../common/schemas/actions.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import { sendCsv } from '../../platform/csv.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as exports from './export.js';
import * as service from './service.js';

const tags = ['纠正预防措施 Corrective and preventive actions'];

export const actionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/actions/todo',
    {
      schema: {
        tags,
        summary: '我的待办：纠正预防措施 My action to-dos',
        response: { 200: actionTodoSchema },
      },
    },
    async (req) => service.actionTodo(req.ctx),
  );
  app.get(
    '/actions',
    {
      schema: {
        tags,
        summary: '纠正预防措施：我的（默认）或全部 Actions: mine or all',
        querystring: listActionsQuery,
        response: { 200: page(actionSchema) },
      },
    },
    async (req) => service.listActions(req.ctx, req.query),
  );
  app.get(
    '/actions/export.xlsx',
    { schema: { tags, summary: '导出纠正预防措施一览表 (.xlsx)', querystring: exportActionsQuery } },
    async (req, reply) => {
      const body = await exports.exportXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, body, `纠正预防措施一览表-${day}.xlsx`, `corrective-actions-${day}.xlsx`);
    },
  );
  app.get(
    '/actions/export.csv',
    { schema: { tags, summary: '导出纠正预防措施一览表 (CSV)', querystring: exportActionsQuery } },
    async (req, reply) => {
      const body = await exports.exportCsv(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendCsv(reply, body, `纠正预防措施一览表-${day}.csv`, `corrective-actions-${day}.csv`);
    },
  );
  app.get(
    '/actions/:id',
    { schema: { tags, summary: '措施详情 An action', params: idParam, response: { 200: actionSchema } } },
    async (req) => service.getAction(req.ctx, req.params.id),
  );
  app.post(
    '/actions/:id/complete',
    {
      schema: {
        tags,
        summary: '措施完成 Record an action done',
        params: idParam,
        body: completeActionBody,
        response: { 200: actionSchema },
      },
    },
    async (req) => service.completeAction(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/actions/:id/verify',
    {
      schema: {
        tags,
        summary: '验证措施效果 Verify an action',
        params: idParam,
        body: verifyActionBody,
        response: { 200: actionSchema },
      },
    },
    async (req) => service.verifyAction(req.ctx, req.params.id, req.body),
  );

  // Sources: a complaint or service request.
  app.get(
    '/cases/:id/actions',
    {
      schema: {
        tags,
        summary: '案件的纠正预防措施 A case’s actions',
        params: idParam,
        response: { 200: sourceActionsSchema },
      },
    },
    async (req) => service.actionsOfSource(req.ctx, 'case', req.params.id),
  );
  app.post(
    '/cases/:id/actions',
    {
      schema: {
        tags,
        summary: '新增纠正预防措施 Raise an action on a case',
        params: idParam,
        body: createActionBody,
        response: { 201: actionSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.raiseAction(req.ctx, 'case', req.params.id, req.body)),
  );
};
