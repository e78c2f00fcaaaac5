import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, page } from '../../../common/schemas/platform.js';
import {
  campaignFiltersSchema,
  campaignPreviewSchema,
  createCampaignBody,
  listCampaignsQuery,
  listInvitationsQuery,
  newTemplateVersionBody,
  staffResponseBody,
  surveyCampaignDetailSchema,
  surveyCampaignSchema,
  surveyInvitationSchema,
  surveyResponseSchema,
  surveyTemplateSchema,
} from '../../../common/schemas/surveys.js';
import type { BlobStore } from '../../platform/storage.js';
import * as campaigns from './campaigns.js';
import * as service from './service.js';
import * as templates from './templates.js';

const tags = ['满意度调查 Satisfaction surveys'];
const keyParam = z.object({ key: z.string().min(1).max(40) });

export const surveyRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;

  // Forms -------------------------------------------------------------------------------------
  app.get(
    '/surveys/templates',
    {
      schema: {
        tags,
        summary: '调查问卷（当前版本） Survey forms, current versions',
        response: { 200: z.object({ items: z.array(surveyTemplateSchema) }) },
      },
    },
    async (req) => templates.listTemplates(req.ctx),
  );
  app.get(
    '/surveys/templates/:id',
    {
      schema: {
        tags,
        summary: '调查问卷的一个版本 One version of a form',
        params: idParam,
        response: { 200: surveyTemplateSchema },
      },
    },
    async (req) => templates.getTemplate(req.ctx, req.params.id),
  );
  app.get(
    '/surveys/templates/:key/versions',
    {
      schema: {
        tags,
        summary: '问卷的所有版本 Every version of a form',
        params: keyParam,
        response: { 200: z.object({ items: z.array(surveyTemplateSchema) }) },
      },
    },
    async (req) => templates.templateVersions(req.ctx, req.params.key),
  );
  app.post(
    '/surveys/templates/:key/versions',
    {
      schema: {
        tags,
        summary: '修改问卷：新版本成为当前版本 A new version becomes current',
        params: keyParam,
        body: newTemplateVersionBody,
        response: { 201: surveyTemplateSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await templates.newTemplateVersion(req.ctx, req.params.key, req.body)),
  );

  // Campaigns ---------------------------------------------------------------------------------
  app.post(
    '/surveys/campaigns/preview',
    {
      schema: {
        tags,
        summary: '按条件统计调查对象 How many customers the filters choose',
        body: campaignFiltersSchema,
        response: { 200: campaignPreviewSchema },
      },
    },
    async (req) => campaigns.previewCampaign(req.ctx, req.body),
  );
  app.get(
    '/surveys/campaigns',
    {
      schema: {
        tags,
        summary: '满意度调查 Surveys, newest first',
        querystring: listCampaignsQuery,
        response: { 200: page(surveyCampaignSchema) },
      },
    },
    async (req) => campaigns.listCampaigns(req.ctx, req.query),
  );
  app.post(
    '/surveys/campaigns',
    {
      schema: {
        tags,
        summary: '新建满意度调查（草稿） Prepare a survey',
        body: createCampaignBody,
        response: { 201: surveyCampaignDetailSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await campaigns.createCampaign(req.ctx, req.body)),
  );
  app.get(
    '/surveys/campaigns/:id',
    {
      schema: {
        tags,
        summary: '满意度调查详情 A survey with progress by department',
        params: idParam,
        response: { 200: surveyCampaignDetailSchema },
      },
    },
    async (req) => campaigns.getCampaign(req.ctx, req.params.id),
  );
  for (const [step, summary, run] of [
    ['send', '发出调查 Send the links', campaigns.sendCampaign],
    ['remind', '催复 Remind who has not answered', campaigns.remindCampaign],
    ['close', '结束调查 Close', campaigns.closeCampaign],
  ] as const)
    app.post(
      `/surveys/campaigns/:id/${step}`,
      { schema: { tags, summary, params: idParam, response: { 200: surveyCampaignDetailSchema } } },
      async (req) => run(req.ctx, req.params.id),
    );
  app.get(
    '/surveys/campaigns/:id/invitations',
    {
      schema: {
        tags,
        summary: '调查对象 Who was asked, sent, answered',
        params: idParam,
        querystring: listInvitationsQuery,
        response: { 200: page(surveyInvitationSchema) },
      },
    },
    async (req) => campaigns.listInvitations(req.ctx, req.params.id, req.query),
  );

  // Answers -----------------------------------------------------------------------------------
  app.post(
    '/surveys/invitations/:id/response',
    {
      schema: {
        tags,
        summary: '录入电话或纸质调查答复 Type in an answer taken by phone or on paper',
        params: idParam,
        body: staffResponseBody,
        response: { 201: surveyResponseSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.enterResponse(req.ctx, store, req.params.id, req.body)),
  );
  app.get(
    '/surveys/responses/:id',
    {
      schema: {
        tags,
        summary: '调查答复 One answered form',
        params: idParam,
        response: { 200: surveyResponseSchema },
      },
    },
    async (req) => service.getResponse(req.ctx, req.params.id),
  );
  app.get(
    '/customers/:id/surveys',
    {
      schema: {
        tags,
        summary: '客户的满意度调查答复 A customer’s answered forms',
        params: idParam,
        response: { 200: z.object({ items: z.array(surveyResponseSchema) }) },
      },
    },
    async (req) => service.customerSurveys(req.ctx, req.params.id),
  );
};
