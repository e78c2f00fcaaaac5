import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_KINDS } from '../../../common/cases.js';
import { caseStatsQuery, caseStatsSchema } from '../../../common/schemas/case-stats.js';
import {
  caseCountsSchema,
  caseFileSchema,
  caseSchema,
  caseSettingsSchema,
  caseSummarySchema,
  caseTodoSchema,
  caseTypeSchema,
  createCaseBody,
  dispatchBody,
  investigationBody,
  listCasesQuery,
  putCaseSettingsBody,
  putCaseTypeBody,
  replyBody,
  revisitBody,
  triageBody,
  updateCaseBody,
} from '../../../common/schemas/cases.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import { fileNameParam } from '../../../common/validation.js';
import { sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { rawUpload } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as config from './config.js';
import * as files from './files.js';
import * as print from './print.js';
import * as registers from './registers.js';
import * as service from './service.js';
import * as stats from './stats.js';
import * as workflow from './workflow.js';

const tags = ['投诉与服务 Complaints and service'];
const FILE_MAX_BYTES = 50 * 1024 * 1024;

export const caseRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.get(
    '/cases/settings',
    { schema: { tags, summary: '投诉与服务设置 Settings', response: { 200: caseSettingsSchema } } },
    async (req) => config.getCaseSettings(req.ctx),
  );
  app.put(
    '/cases/settings',
    {
      schema: {
        tags,
        summary: '修改时限、回访与升级设置 Change settings',
        body: putCaseSettingsBody,
        response: { 200: caseSettingsSchema },
      },
    },
    async (req) => config.putCaseSettings(req.ctx, req.body as never),
  );
  app.get(
    '/cases/types',
    { schema: { tags, summary: '投诉与服务类型 Types', response: { 200: z.array(caseTypeSchema) } } },
    async (req) => config.getCaseTypes(req.ctx),
  );
  app.put(
    '/cases/types/:kind/:code',
    {
      schema: {
        tags,
        summary: '新增或修改类型 Add or change a type',
        params: z.object({ kind: z.enum(CASE_KINDS), code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/) }),
        body: putCaseTypeBody,
        response: { 200: z.array(caseTypeSchema) },
      },
    },
    async (req) => config.putCaseType(req.ctx, req.params.kind, req.params.code, req.body),
  );
  app.get(
    '/cases/todo',
    { schema: { tags, summary: '我的待办：投诉与服务 My case to-dos', response: { 200: caseTodoSchema } } },
    async (req) => service.caseTodo(req.ctx),
  );
  app.get(
    '/cases/counts',
    {
      schema: {
        tags,
        summary: '各状态案件数 Cases per status',
        querystring: listCasesQuery.omit({ cursor: true, limit: true, status: true }),
        response: { 200: caseCountsSchema },
      },
    },
    async (req) => service.countCases(req.ctx, req.query),
  );
  app.get(
    '/cases/stats',
    {
      schema: {
        tags,
        summary: '投诉统计（图表数据，每个数字带可复现的案件筛选） Statistics',
        querystring: caseStatsQuery,
        response: { 200: caseStatsSchema },
      },
    },
    async (req) => stats.caseStatistics(req.ctx, req.query),
  );
  app.get(
    '/cases/stats.xlsx',
    { schema: { tags, summary: '导出客户投诉报表 Export the statistics', querystring: caseStatsQuery } },
    async (req, reply) => {
      const day = fileDay(req.ctx.now());
      return sendXlsx(
        reply,
        await registers.exportStats(req.ctx, req.query),
        `客户投诉报表-${day}.xlsx`,
        `case-statistics-${day}.xlsx`,
      );
    },
  );
  for (const register of registers.CASE_REGISTERS)
    for (const format of ['xlsx', 'csv'] as const)
      app.get(
        `/cases/${register}.${format}`,
        {
          schema: {
            tags,
            summary: `导出${registers.CASE_REGISTER_NAMES[register]}（${format === 'csv' ? 'CSV' : 'Excel'}） Export the ${register === 'register' ? 'case register' : 'open cases with their clocks'}`,
            querystring:
              register === 'tracking'
                ? listCasesQuery.omit({ cursor: true, limit: true, status: true })
                : listCasesQuery.omit({ cursor: true, limit: true }),
          },
        },
        async (req, reply) => {
          const day = fileDay(req.ctx.now());
          const name = `${registers.CASE_REGISTER_NAMES[register]}-${day}.${format}`;
          const ascii = `case-${register}-${day}.${format}`;
          const body = await registers.exportRegister(req.ctx, register, format, req.query);
          return format === 'csv' ? sendCsv(reply, body, name, ascii) : sendXlsx(reply, body, name, ascii);
        },
      );
  app.get(
    '/cases',
    {
      schema: {
        tags,
        summary: '投诉与服务案件 Cases',
        querystring: listCasesQuery,
        response: { 200: page(caseSummarySchema) },
      },
    },
    async (req) => service.listCases(req.ctx, req.query),
  );
  app.post(
    '/cases',
    {
      schema: {
        tags,
        summary: '受理登记 Record a case',
        body: createCaseBody,
        response: { 201: caseSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createCase(req.ctx, req.body)),
  );
  app.get(
    '/cases/:id',
    { schema: { tags, summary: '案件详情 A case', params: idParam, response: { 200: caseSchema } } },
    async (req) => service.getCase(req.ctx, req.params.id),
  );
  app.patch(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: '修改登记信息 Change details',
        params: idParam,
        body: updateCaseBody,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.updateCase(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/triage',
    {
      schema: {
        tags,
        summary: '判定投诉是否成立 Triage a complaint',
        params: idParam,
        body: triageBody,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.triage(req.ctx, store, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/dispatch',
    {
      schema: {
        tags,
        summary: '派工或改派 Dispatch or reassign',
        params: idParam,
        body: dispatchBody,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.dispatch(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/start',
    {
      schema: {
        tags,
        summary: '开始调查 Start investigating',
        params: idParam,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.startInvestigation(req.ctx, req.params.id),
  );
  app.put(
    '/cases/:id/investigation',
    {
      schema: {
        tags,
        summary: '记录原因、措施与验证 Record the investigation',
        params: idParam,
        body: investigationBody,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.saveInvestigation(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/resolve',
    { schema: { tags, summary: '处理完成 Resolve', params: idParam, response: { 200: caseSchema } } },
    async (req) => workflow.resolve(req.ctx, req.params.id),
  );
  app.post(
    '/cases/:id/reply',
    {
      schema: {
        tags,
        summary: '答复客户 Reply to the customer',
        params: idParam,
        body: replyBody,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.reply(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/revisit',
    {
      schema: {
        tags,
        summary: '回访并关闭（归档记录表） Revisit and close',
        params: idParam,
        body: revisitBody,
        response: { 200: caseSchema },
      },
    },
    async (req) => workflow.revisit(req.ctx, store, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/files',
    {
      schema: {
        tags,
        summary: '上传附件（请求体为文件本身，?name=文件名） Attach a file',
        params: idParam,
        querystring: z.object({ name: fileNameParam }),
        response: { 201: caseFileSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await rawUpload(req, store, FILE_MAX_BYTES, (blob) =>
            files.addCaseFile(req.ctx, req.params.id, blob, req.query.name),
          ),
        ),
  );
  app.get(
    '/cases/:id/8d.pdf',
    { schema: { tags, summary: '打印 8D 报告 The 8D report (PDF)', params: idParam } },
    async (req, reply) => {
      const { number, bytes } = await print.print8D(req.ctx, req.params.id);
      return sendPdf(reply, bytes, `${number}-8D.pdf`);
    },
  );
  app.get(
    '/cases/:id/record.pdf',
    { schema: { tags, summary: '打印客户投诉记录表 The case record (PDF)', params: idParam } },
    async (req, reply) => {
      const { number, bytes } = await print.printRecord(req.ctx, req.params.id);
      return sendPdf(reply, bytes, `${number}.pdf`);
    },
  );
  app.get(
    '/cases/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: '下载附件 Download an attachment',
        params: z.object({ id: z.string().min(1).max(64), fileId: z.string().min(1).max(64) }),
      },
    },
    async (req, reply) => {
      const file = await files.openCaseFile(req.ctx, store, req.params.id, req.params.fileId);
      return reply
        .type(file.mime)
        .header('content-disposition', attachment(file.name, file.name.replace(/[^\x20-\x7e]/g, '_')))
        .send(store.open(file.sha256));
    },
  );
};

/** A printed case as a download; case numbers are ASCII, so the name needs no fallback. */
function sendPdf(reply: FastifyReply, bytes: Uint8Array, name: string) {
  return reply
    .type('application/pdf')
    .header('content-disposition', attachment(name, name))
    .send(Buffer.from(bytes));
}
