import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actionSchema, createActionBody, sourceActionsSchema } from '../../../common/schemas/actions.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import {
  applicableQuery,
  applicableSchema,
  createRequirementBody,
  customerListSchema,
  linkDocumentBody,
  listRequirementsQuery,
  noteBody,
  putSrCategoryBody,
  putSrSettingsBody,
  reasonBody,
  requestReviewsBody,
  requirementSchema,
  requirementSummarySchema,
  reviewBody,
  srCategorySchema,
  srConfigSchema,
  srTodoSchema,
  updateRequirementBody,
} from '../../../common/schemas/special-requirements.js';
import * as actions from '../actions/service.js';
import * as config from './config.js';
import * as service from './service.js';
import * as workflow from './workflow.js';

const tags = ['顾客特殊要求 Customer special requirements'];
const id = z.string().min(1).max(64);

/** 顾客特殊要求登记、评审、落实 The requirements register, reviews, links and status (R-S1,
 * R-S2, R-S5). Communication and exports are `srCommRoutes`, characteristics `srCharRoutes`. */
export const srRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/special-requirements/config',
    { schema: { tags, summary: '类别与设置 Categories and settings', response: { 200: srConfigSchema } } },
    async (req) => config.getSrConfig(req.ctx),
  );
  app.put(
    '/special-requirements/settings',
    {
      schema: {
        tags,
        summary: '修改默认评审部门、年度核查周期与归档类别 Change settings',
        body: putSrSettingsBody,
        response: { 200: srConfigSchema },
      },
    },
    async (req) => config.putSrSettings(req.ctx, req.body as never),
  );
  app.put(
    '/special-requirements/categories/:code',
    {
      schema: {
        tags,
        summary: '新增或修改类别 Add or change a category',
        params: z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/) }),
        body: putSrCategoryBody,
        response: { 200: z.array(srCategorySchema) },
      },
    },
    async (req) => config.putSrCategory(req.ctx, req.params.code, req.body),
  );
  app.get(
    '/special-requirements/todo',
    { schema: { tags, summary: '我的待办：顾客特殊要求 My to-dos', response: { 200: srTodoSchema } } },
    async (req) => service.srTodo(req.ctx),
  );
  app.get(
    '/special-requirements',
    {
      schema: {
        tags,
        summary: '顾客特殊要求清单（跨客户） The requirements of every customer',
        querystring: listRequirementsQuery,
        response: { 200: page(requirementSummarySchema) },
      },
    },
    async (req) => service.listRequirements(req.ctx, req.query),
  );
  app.post(
    '/special-requirements',
    {
      schema: {
        tags,
        summary: '登记顾客特殊要求 Register a requirement',
        body: createRequirementBody,
        response: { 201: requirementSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createRequirement(req.ctx, req.body)),
  );
  app.get(
    '/special-requirements/:id',
    {
      schema: {
        tags,
        summary: '一条要求 A requirement',
        params: idParam,
        response: { 200: requirementSchema },
      },
    },
    async (req) => service.getRequirement(req.ctx, req.params.id),
  );
  app.patch(
    '/special-requirements/:id',
    {
      schema: {
        tags,
        summary: '修改（保留修改记录） Change fields',
        params: idParam,
        body: updateRequirementBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => service.updateRequirement(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/special-requirements/:id/reviews',
    {
      schema: {
        tags,
        summary: '提交相关部门评审 Ask departments to review',
        params: idParam,
        body: requestReviewsBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.requestReviews(req.ctx, req.params.id, req.body),
  );
  app.put(
    '/special-requirements/:id/reviews/:deptId',
    {
      schema: {
        tags,
        summary: '部门评审意见 A department’s review',
        params: z.object({ id, deptId: id }),
        body: reviewBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.review(req.ctx, req.params.id, req.params.deptId, req.body),
  );
  app.delete(
    '/special-requirements/:id/reviews/:deptId',
    {
      schema: {
        tags,
        summary: '撤回尚未评审的部门评审请求 Withdraw an unanswered review request',
        params: z.object({ id, deptId: id }),
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.withdrawReview(req.ctx, req.params.id, req.params.deptId),
  );
  app.post(
    '/special-requirements/:id/links',
    {
      schema: {
        tags,
        summary: '关联落实文件及版本 Link a document version',
        params: idParam,
        body: linkDocumentBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.addLink(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/special-requirements/:id/links/:linkId',
    {
      schema: {
        tags,
        summary: '取消关联 Unlink',
        params: z.object({ id, linkId: id }),
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.removeLink(req.ctx, req.params.id, req.params.linkId),
  );
  app.post(
    '/special-requirements/:id/implemented',
    {
      schema: {
        tags,
        summary: '确认已落实 Confirm implemented',
        params: idParam,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.confirmImplemented(req.ctx, req.params.id),
  );
  app.post(
    '/special-requirements/:id/not-applicable',
    {
      schema: {
        tags,
        summary: '不适用 Not applicable',
        params: idParam,
        body: reasonBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.closeRequirement(req.ctx, req.params.id, 'not_applicable', req.body.reason),
  );
  app.post(
    '/special-requirements/:id/obsolete',
    {
      schema: {
        tags,
        summary: '已废止 Withdrawn by the customer',
        params: idParam,
        body: reasonBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.closeRequirement(req.ctx, req.params.id, 'obsolete', req.body.reason),
  );
  app.post(
    '/special-requirements/:id/rechecked',
    {
      schema: {
        tags,
        summary: '已复核（来源文件新版本） Re-checked against the new source version',
        params: idParam,
        body: noteBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.markRechecked(req.ctx, req.params.id, req.body.note),
  );
  app.post(
    '/special-requirements/:id/informed',
    {
      schema: {
        tags,
        summary: '已传达项目组（量产后要求） The project team has it',
        params: idParam,
        body: noteBody,
        response: { 200: requirementSchema },
      },
    },
    async (req) => workflow.markInformed(req.ctx, req.params.id, req.body.note),
  );
  // Actions decided in the reviews: corrective actions with source 'special_requirement'.
  app.get(
    '/special-requirements/:id/actions',
    {
      schema: {
        tags,
        summary: '落实措施 The requirement’s actions',
        params: idParam,
        response: { 200: sourceActionsSchema },
      },
    },
    async (req) => actions.actionsOfSource(req.ctx, 'special_requirement', req.params.id),
  );
  app.post(
    '/special-requirements/:id/actions',
    {
      schema: {
        tags,
        summary: '新增落实措施 Raise an action',
        params: idParam,
        body: createActionBody,
        response: { 201: actionSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await actions.raiseAction(req.ctx, 'special_requirement', req.params.id, req.body)),
  );

  // The customer archive's 特殊要求 tab and contract review.
  app.get(
    '/customers/:id/special-requirements',
    {
      schema: {
        tags,
        summary: '客户的顾客特殊要求清单 A customer’s list',
        params: idParam,
        response: { 200: customerListSchema },
      },
    },
    async (req) => service.customerList(req.ctx, req.params.id),
  );
  app.get(
    '/customers/:id/applicable-requirements',
    {
      schema: {
        tags,
        summary: '适用且已落实的要求（合同评审） Applicable implemented requirements',
        params: idParam,
        querystring: applicableQuery,
        response: { 200: applicableSchema },
      },
    },
    async (req) => service.applicableRequirements(req.ctx, req.params.id, req.query.partNumber),
  );
};
