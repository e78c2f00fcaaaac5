import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { directoryUserSchema, idParam, page, pageQuery } from '../../../common/schemas/platform.js';
import {
  appraisalSchema,
  appraisalSummarySchema,
  createAppraisalBody,
  createDisposalBody,
  destroyBody,
  disposalCandidateSchema,
  disposalSchema,
  disposalSummarySchema,
  dueFilterQuery,
  dueItemSchema,
  holdSchema,
  liftHoldBody,
  listDueQuery,
  listHoldsQuery,
  opinionsBody,
  placeHoldBody,
  putRetentionSettingsBody,
  retentionSettingsSchema,
  retentionTasksSchema,
  signBody,
  witnessBody,
  witnessCandidatesQuery,
} from '../../../common/schemas/retention.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import { refreshWithdrawn } from '../documents/service.js';
import * as appraisals from './appraisals.js';
import * as config from './config.js';
import * as execution from './disposal-execution.js';
import * as signing from './disposal-signing.js';
import * as disposals from './disposals.js';
import * as due from './due.js';
import * as holds from './holds.js';
import { myTasks } from './tasks.js';

const tags = ['保管期限与销毁 Retention'];
const listQuery = z.object(pageQuery);

export const retentionRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  app.get(
    '/retention/settings',
    {
      schema: {
        tags,
        summary: '销毁签批与作废正本保存设置 Retention settings',
        response: { 200: retentionSettingsSchema },
      },
    },
    async (req) => config.getRetentionSettings(req.ctx),
  );
  app.put(
    '/retention/settings',
    {
      schema: {
        tags,
        summary: '修改保管期限设置 Change retention settings',
        body: putRetentionSettingsBody,
        response: { 200: retentionSettingsSchema },
      },
    },
    async (req) => config.putRetentionSettings(req.ctx, req.body, refreshWithdrawn),
  );

  app.get(
    '/retention/my-tasks',
    {
      schema: {
        tags,
        summary: '我的鉴定、签批与监销待办 My appraisal and destruction tasks',
        response: { 200: retentionTasksSchema },
      },
    },
    async (req) => myTasks(req.ctx),
  );
  app.get(
    '/retention/due',
    {
      schema: {
        tags,
        summary: '到期待鉴定的档案 Records due for appraisal',
        querystring: listDueQuery,
        response: { 200: page(dueItemSchema) },
      },
    },
    async (req) => due.listDue(req.ctx, req.query),
  );
  app.get(
    '/retention/due/count',
    {
      schema: {
        tags,
        summary: '到期待鉴定档案数 Count of records due',
        querystring: dueFilterQuery,
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => ({ count: await due.countDue(req.ctx, req.query) }),
  );
  app.get(
    '/retention/due.xlsx',
    { schema: { tags, summary: '导出到期档案鉴定清单 Export the due list', querystring: dueFilterQuery } },
    async (req, reply) => {
      const day = fileDay(req.ctx.now());
      return sendXlsx(
        reply,
        await due.exportDue(req.ctx, req.query),
        `到期档案鉴定清单-${day}.xlsx`,
        `due-${day}.xlsx`,
      );
    },
  );

  app.get(
    '/holds',
    {
      schema: {
        tags,
        summary: '冻结登记 Holds',
        querystring: listHoldsQuery,
        response: { 200: z.array(holdSchema) },
      },
    },
    async (req) => holds.listHolds(req.ctx, req.query),
  );
  app.post(
    '/holds',
    {
      schema: {
        tags,
        summary: '冻结档案或文件 Place a hold',
        body: placeHoldBody,
        response: { 201: holdSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await holds.placeHold(req.ctx, req.body)),
  );
  app.post(
    '/holds/:id/lift',
    {
      schema: {
        tags,
        summary: '解除冻结 Lift a hold',
        params: idParam,
        body: liftHoldBody,
        response: { 200: holdSchema },
      },
    },
    async (req) => holds.liftHold(req.ctx, req.params.id, req.body.reason),
  );

  app.get(
    '/appraisals',
    {
      schema: {
        tags,
        summary: '鉴定批次 Appraisal batches',
        querystring: listQuery,
        response: { 200: page(appraisalSummarySchema) },
      },
    },
    async (req) => appraisals.listAppraisals(req.ctx, req.query),
  );
  app.post(
    '/appraisals',
    {
      schema: {
        tags,
        summary: '发起鉴定（选定到期档案和鉴定小组） Open an appraisal batch',
        body: createAppraisalBody,
        response: { 201: appraisalSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await appraisals.createAppraisal(req.ctx, req.body)),
  );
  app.get(
    '/appraisals/:id',
    {
      schema: {
        tags,
        summary: '鉴定批次 An appraisal batch',
        params: idParam,
        response: { 200: appraisalSchema },
      },
    },
    async (req) => appraisals.getAppraisal(req.ctx, req.params.id),
  );
  app.put(
    '/appraisals/:id/opinions',
    {
      schema: {
        tags,
        summary: '填写鉴定意见（鉴定小组成员） Record opinions',
        params: idParam,
        body: opinionsBody,
        response: { 200: appraisalSchema },
      },
    },
    async (req) => appraisals.putOpinions(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/appraisals/:id/conclude',
    {
      schema: {
        tags,
        summary: '结束鉴定并形成鉴定报告 Conclude and store the report',
        params: idParam,
        response: { 200: appraisalSchema },
      },
    },
    async (req) => appraisals.concludeAppraisal(req.ctx, store, req.params.id),
  );

  app.get(
    '/disposals/candidates',
    {
      schema: {
        tags,
        summary: '鉴定为销毁、尚未列入清册的档案 Items awaiting a register',
        response: { 200: z.array(disposalCandidateSchema) },
      },
    },
    async (req) => disposals.listCandidates(req.ctx),
  );
  app.get(
    '/disposals',
    {
      schema: {
        tags,
        summary: '销毁清册 Destruction registers',
        querystring: listQuery,
        response: { 200: page(disposalSummarySchema) },
      },
    },
    async (req) => disposals.listDisposals(req.ctx, req.query),
  );
  app.post(
    '/disposals',
    {
      schema: {
        tags,
        summary: '编制销毁清册 Draw up a register',
        body: createDisposalBody,
        response: { 201: disposalSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await disposals.createDisposal(req.ctx, req.body)),
  );
  app.get(
    '/disposals/:id',
    {
      schema: {
        tags,
        summary: '销毁清册 A destruction register',
        params: idParam,
        response: { 200: disposalSchema },
      },
    },
    async (req) => disposals.getDisposal(req.ctx, req.params.id),
  );
  app.get(
    '/disposals/:id/witness-candidates',
    {
      schema: {
        tags,
        summary: '可担任监销人的在职同事 Who may witness the destruction',
        params: idParam,
        querystring: witnessCandidatesQuery,
        response: { 200: z.object({ items: z.array(directoryUserSchema) }) },
      },
    },
    async (req) => ({ items: await execution.witnessCandidates(req.ctx, req.params.id, req.query) }),
  );
  app.delete(
    '/disposals/:id/items/:itemId',
    {
      schema: {
        tags,
        summary: '移出清册条目（编制中） Take an item off a register being drawn up',
        params: idParam.extend({ itemId: z.string().min(1).max(64) }),
        response: { 200: disposalSchema },
      },
    },
    async (req) => disposals.removeDisposalItem(req.ctx, req.params.id, req.params.itemId),
  );
  app.post(
    '/disposals/:id/submit',
    {
      schema: {
        tags,
        summary: '提交签批 Submit for signing',
        params: idParam,
        response: { 200: disposalSchema },
      },
    },
    async (req) => signing.submitDisposal(req.ctx, req.params.id),
  );
  app.post(
    '/disposals/:id/signatures',
    {
      schema: {
        tags,
        summary: '负责人签批（同意或退回） Sign the current step',
        params: idParam,
        body: signBody,
        response: { 200: disposalSchema },
      },
    },
    async (req) => signing.signDisposal(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/disposals/:id/destroy',
    {
      schema: {
        tags,
        summary: '执行销毁（指定两名监销人） Destroy, with two witnesses named',
        params: idParam,
        body: destroyBody,
        response: { 200: disposalSchema },
      },
    },
    async (req) => execution.destroyDisposal(req.ctx, store, req.params.id, req.body.witnessIds),
  );
  app.post(
    '/disposals/:id/witness',
    {
      schema: {
        tags,
        summary: '监销人逐件核对并签字 A witness checks every item and signs',
        params: idParam,
        body: witnessBody,
        response: { 200: disposalSchema },
      },
    },
    async (req) => execution.witnessDisposal(req.ctx, store, req.params.id, req.body.checkedItemIds),
  );
  app.get(
    '/disposals/:id/register.:format',
    {
      schema: {
        tags,
        summary: '导出销毁清册（Excel 或 PDF） Export the register',
        params: z.object({ id: z.string().min(1).max(64), format: z.enum(['xlsx', 'pdf']) }),
      },
    },
    async (req, reply) => {
      const { name, body } = await disposals.exportDisposal(req.ctx, req.params.id, req.params.format);
      const ascii = name.replace(/[^\x20-\x7e]/g, '_');
      if (req.params.format === 'xlsx') return sendXlsx(reply, body as never, name, ascii);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(name, ascii))
        .send(Buffer.from(body as Uint8Array));
    },
  );
};
