import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  catalogueItemSchema,
  catalogueQuery,
  createRequestBody,
  decideBody,
  exportLoansQuery,
  incidentSchema,
  issueBody,
  lendingSettingsSchema,
  listLoansQuery,
  listRequestsQuery,
  loanSchema,
  putLendingSettingsBody,
  registerQuery,
  registerRowSchema,
  renewBody,
  requestSchema,
  requestSummarySchema,
  returnBody,
  todoSchema,
  toIssueSchema,
} from '../../../common/schemas/lending.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import { fileNameParam } from '../../../common/validation.js';
import { CSV_ENCODINGS, type CsvEncoding, sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { rawUpload } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as approvals from './approvals.js';
import { searchCatalogue } from './catalogue.js';
import * as config from './config.js';
import * as forms from './forms.js';
import * as loanExport from './loan-export.js';
import type { LoanState } from './loans.js';
import * as loans from './loans.js';
import * as register from './register.js';
import * as requests from './requests.js';

const tags = ['查阅与借阅 Lending'];
const LETTER_MAX_BYTES = 20 * 1024 * 1024;

export const lendingRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.get(
    '/lending/settings',
    { schema: { tags, summary: '借阅设置 Lending settings', response: { 200: lendingSettingsSchema } } },
    async (req) => config.getLendingSettings(req.ctx),
  );
  app.put(
    '/lending/settings',
    {
      schema: {
        tags,
        summary: '修改借阅期限与审批规则 Change lending settings',
        body: putLendingSettingsBody,
        response: { 200: lendingSettingsSchema },
      },
    },
    async (req) => config.putLendingSettings(req.ctx, req.body),
  );
  app.get(
    '/lending/catalogue',
    {
      schema: {
        tags,
        summary: '可申请的档案与文件（涉密等级以内） Records one may ask for',
        querystring: catalogueQuery,
        response: { 200: z.array(catalogueItemSchema) },
      },
    },
    async (req) => searchCatalogue(req.ctx, req.query),
  );
  app.get(
    '/lending/todo',
    {
      schema: {
        tags,
        summary: '我的待办（审批、归还、待借出） My to-do counts',
        response: { 200: todoSchema },
      },
    },
    async (req) => register.todo(req.ctx),
  );

  app.post(
    '/access-requests/letters',
    {
      schema: {
        tags,
        summary: '上传介绍信（请求体为文件本身，?name=文件名） Upload a letter of introduction',
        querystring: z.object({ name: fileNameParam }),
        response: {
          201: z.object({ sha256: z.string(), size: z.number(), mime: z.string(), name: z.string() }),
        },
      },
    },
    async (req, reply) => {
      const saved = await rawUpload(req, store, LETTER_MAX_BYTES, (blob) =>
        requests.storeLetter(req.ctx, blob),
      );
      return reply.status(201).send({ ...saved, name: req.query.name });
    },
  );
  app.post(
    '/access-requests',
    {
      schema: {
        tags,
        summary: '提交查阅/借阅申请 Submit an access request',
        body: createRequestBody,
        response: { 201: requestSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await requests.createRequest(req.ctx, req.body)),
  );
  app.get(
    '/access-requests',
    {
      schema: {
        tags,
        summary: '我的申请、待我审批或全部申请 Requests',
        querystring: listRequestsQuery,
        response: { 200: page(requestSummarySchema) },
      },
    },
    async (req) => requests.listRequests(req.ctx, req.query),
  );
  app.get(
    '/access-requests/:id',
    { schema: { tags, summary: '申请详情 A request', params: idParam, response: { 200: requestSchema } } },
    async (req) => requests.getRequest(req.ctx, req.params.id),
  );
  app.get(
    '/access-requests/:id/letter',
    { schema: { tags, summary: '介绍信 The letter of introduction', params: idParam } },
    async (req, reply) => {
      const letter = await requests.openLetter(req.ctx, store, req.params.id);
      return reply
        .type(letter.mime)
        .header('content-disposition', attachment(letter.name, letter.name.replace(/[^\x20-\x7e]/g, '_')))
        .send(store.open(letter.sha256));
    },
  );
  app.post(
    '/access-requests/:id/decisions',
    {
      schema: {
        tags,
        summary: '审批：同意、驳回或退回修改 Decide the current step',
        params: idParam,
        body: decideBody,
        response: { 200: requestSchema },
      },
    },
    async (req) => approvals.decide(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/access-requests/:id/withdraw',
    { schema: { tags, summary: '撤回申请 Withdraw', params: idParam, response: { 200: requestSchema } } },
    async (req) => requests.withdrawRequest(req.ctx, req.params.id),
  );
  app.post(
    '/access-requests/:id/resubmit',
    {
      schema: {
        tags,
        summary: '修改后重新提交 Resubmit a returned request',
        params: idParam,
        body: z.strictObject({ reason: z.string().trim().min(1).max(1000) }),
        response: { 200: requestSchema },
      },
    },
    async (req) => requests.resubmitRequest(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/access-requests/:id/renewals',
    {
      schema: {
        tags,
        summary: '续借（重新审批） Renew',
        params: idParam,
        body: renewBody,
        response: { 201: requestSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await requests.renewRequest(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/loans/to-issue',
    {
      schema: {
        tags,
        summary: '待借出（档案管理员） Approved items to issue',
        response: { 200: z.array(toIssueSchema) },
      },
    },
    async (req) => loans.toIssue(req.ctx),
  );
  app.post(
    '/access-requests/:id/loans',
    {
      schema: {
        tags,
        summary: '借出实物档案 Issue physical items',
        params: idParam,
        body: issueBody,
        response: { 201: z.array(loanSchema) },
      },
    },
    async (req, reply) => reply.status(201).send(await loans.issue(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/loans',
    {
      schema: {
        tags,
        summary: '借出清单：在借、即将到期、超期、已归还 Loans',
        querystring: listLoansQuery,
        response: { 200: page(loanSchema) },
      },
    },
    async (req) => loans.listLoans(req.ctx, req.query),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/loans.${format}`,
      {
        schema: {
          tags,
          summary: `导出借出清单（在借、即将到期、超期、已归还；${format === 'csv' ? 'CSV，UTF-8 或 GBK' : 'Excel'}） Export the loans`,
          querystring: exportLoansQuery.extend(
            format === 'csv' ? { encoding: z.enum(CSV_ENCODINGS).default('utf8') } : {},
          ),
        },
      },
      async (req, reply) => {
        const { state, encoding } = req.query as { state: LoanState; encoding?: CsvEncoding };
        const body = await loanExport.exportLoans(req.ctx, state, format, encoding);
        const day = fileDay(req.ctx.now());
        const name = `${loanExport.LOAN_LIST_NAMES[state]}-${day}.${format}`;
        const ascii = `loans-${state}-${day}.${format}`;
        return format === 'csv'
          ? sendCsv(reply, body, name, ascii, encoding)
          : sendXlsx(reply, body, name, ascii);
      },
    );
  app.post(
    '/loans/:id/return',
    {
      schema: {
        tags,
        summary: '归还并检查完整性（完好、缺损、丢失） Receive back',
        params: idParam,
        body: returnBody,
        response: { 200: loanSchema },
      },
    },
    async (req) => loans.receive(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/loans/incidents',
    {
      schema: {
        tags,
        summary: '缺损与丢失报告 Loss and damage reports',
        response: { 200: z.array(incidentSchema) },
      },
    },
    async (req) => loans.listIncidents(req.ctx),
  );
  app.get(
    '/lending/register',
    {
      schema: {
        tags,
        summary: '借阅登记簿（或某个档案/文件的借阅记录） The lending register',
        querystring: registerQuery,
        response: { 200: page(registerRowSchema) },
      },
    },
    async (req) => register.listRegister(req.ctx, req.query),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/lending/register.${format}`,
      {
        schema: {
          tags,
          summary: `导出借阅登记簿（${format === 'csv' ? 'CSV，UTF-8 或 GBK' : 'Excel'}） Export the lending register`,
          querystring: z.object(format === 'csv' ? { encoding: z.enum(CSV_ENCODINGS).default('utf8') } : {}),
        },
      },
      async (req, reply) => {
        const day = fileDay(req.ctx.now());
        const { encoding } = req.query as { encoding?: CsvEncoding };
        const body = await register.exportRegister(req.ctx, format, encoding);
        const name = `借阅登记簿-${day}.${format}`;
        const ascii = `lending-${day}.${format}`;
        return format === 'csv'
          ? sendCsv(reply, body, name, ascii, encoding)
          : sendXlsx(reply, body, name, ascii);
      },
    );
  app.get(
    '/lending/register.pdf',
    { schema: { tags, summary: '借阅登记表 (PDF) The lending register printed' } },
    async (req, reply) =>
      reply
        .type('application/pdf')
        .header('content-disposition', attachment('借阅登记表.pdf', 'lending-register.pdf', 'inline'))
        .send(Buffer.from(await register.registerPdf(req.ctx))),
  );
  app.get(
    '/access-requests/:id/form.pdf',
    {
      schema: {
        tags,
        summary: '借阅申请单 (PDF)',
        params: z.object({ id: z.string().min(1).max(64) }),
      },
    },
    async (req, reply) => {
      const { pdf, name } = await forms.requestFormPdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(name, 'access-request.pdf', 'inline'))
        .send(Buffer.from(pdf));
    },
  );
};
