import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  admissionBody,
  balanceBody,
  balanceImportResult,
  creditApprovalsSchema,
  creditCardSchema,
  creditDecisionBody,
  creditRegisterQuery,
  creditRegisterSchema,
  creditRequestBody,
  creditSettingsBody,
  creditSettingsSchema,
  creditTodoSchema,
  dangerReportBody,
  exportCreditRegisterQuery,
  investigationBody,
  suspensionBody,
} from '../../../common/schemas/credit.js';
import { idParam } from '../../../common/schemas/platform.js';
import { fileNameParam } from '../../../common/validation.js';
import { sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import { receiveSheet } from '../../platform/sheet-import.js';
import type { BlobStore } from '../../platform/storage.js';
import { rawUpload } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as config from './config.js';
import { importBalances } from './import.js';
import { investigationPdf, tradingCardPdf } from './pdf.js';
import * as register from './register.js';
import * as service from './service.js';

const tags = ['信用管理与客户准入 Credit and admission'];
const id = z.string().min(1).max(64);
const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
const FILE_MAX_BYTES = 50 * 1024 * 1024;

/** 信用管理与客户准入 (R-A4): settings, the register, approvals, a customer's credit card. */
export const creditRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  // Investigation attachments come as raw bodies, as the orders' and cases' do.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.get(
    '/credit/config',
    { schema: { tags, summary: '信用管理设置 Settings', response: { 200: creditSettingsSchema } } },
    async (req) => config.getCreditSettings(req.ctx),
  );
  app.put(
    '/credit/config',
    {
      schema: {
        tags,
        summary: '修改信用管理设置',
        body: creditSettingsBody,
        response: { 200: creditSettingsSchema },
      },
    },
    async (req) => config.putCreditSettings(req.ctx, req.body),
  );
  app.get(
    '/credit/register',
    {
      schema: {
        tags,
        summary: '信用台帐 Customers with limit, exposure and share',
        querystring: creditRegisterQuery,
        response: { 200: creditRegisterSchema },
      },
    },
    async (req) => register.listRegister(req.ctx, req.query),
  );
  app.get(
    '/credit/register.xlsx',
    { schema: { tags, summary: '导出信用台帐 (.xlsx)', querystring: exportCreditRegisterQuery } },
    async (req, reply) => {
      const body = await register.exportXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, body, `信用台帐-${day}.xlsx`, `credit-register-${day}.xlsx`);
    },
  );
  app.get(
    '/credit/register.csv',
    { schema: { tags, summary: '导出信用台帐 (CSV)', querystring: exportCreditRegisterQuery } },
    async (req, reply) => {
      const body = await register.exportCsv(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendCsv(reply, body, `信用台帐-${day}.csv`, `credit-register-${day}.csv`);
    },
  );
  app.get(
    '/credit/todo',
    {
      schema: {
        tags,
        summary: '我的待办：信用审批 My credit approvals',
        response: { 200: creditTodoSchema },
      },
    },
    async (req) => register.creditTodo(req.ctx),
  );
  app.get(
    '/credit/approvals',
    {
      schema: {
        tags,
        summary: '待我审批的信用申请 Approvals waiting',
        response: { 200: creditApprovalsSchema },
      },
    },
    async (req) => register.creditApprovals(req.ctx),
  );
  app.post(
    '/credit/balances/import',
    {
      schema: {
        tags,
        summary: '导入赊销款与未结算票据余额（multipart，字段 file，.xlsx/.csv）；dryRun=true 只检查',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('true') }),
        response: { 200: balanceImportResult },
      },
    },
    async (req) => {
      // Received as every sheet import is (streamed to disk with its limits), then read back.
      const sheet = await receiveSheet(
        req,
        path.join(os.tmpdir(), 'kedang-balance-imports'),
        IMPORT_MAX_BYTES,
      );
      try {
        const body = fs.readFileSync(sheet.path);
        return await importBalances(req.ctx, body, sheet.fileName, req.query.dryRun === 'true');
      } finally {
        fs.rmSync(sheet.dir, { recursive: true, force: true });
      }
    },
  );
  app.get(
    '/customers/:id/credit',
    {
      schema: {
        tags,
        summary: '客户信用 A customer’s credit',
        params: idParam,
        response: { 200: creditCardSchema },
      },
    },
    async (req) => service.getCredit(req.ctx, req.params.id),
  );
  app.post(
    '/customers/:id/credit/balances',
    {
      schema: {
        tags,
        summary: '登记余额 A dated balance',
        params: idParam,
        body: balanceBody,
        response: { 201: creditCardSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.addBalance(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/customers/:id/credit/investigations',
    {
      schema: {
        tags,
        summary: '登记信用调查 A credit investigation',
        params: idParam,
        body: investigationBody,
        response: { 201: creditCardSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.addInvestigation(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/credit/investigations/:id/files',
    {
      schema: {
        tags,
        summary: '上传信用调查附件（请求体为文件本身；name=文件名）',
        params: idParam,
        querystring: z.object({ name: fileNameParam }),
        response: { 201: z.object({ id: z.string(), name: z.string(), size: z.number() }) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await rawUpload(req, store, FILE_MAX_BYTES, (blob) =>
            service.addInvestigationFile(req.ctx, req.params.id, blob, req.query.name),
          ),
        ),
  );
  app.get(
    '/credit/investigations/:id/files/:fileId',
    { schema: { tags, summary: '下载信用调查附件', params: z.object({ id, fileId: id }) } },
    async (req, reply) => {
      const file = await service.openInvestigationFile(req.ctx, store, req.params.id, req.params.fileId);
      return reply
        .type(file.mime)
        .header('content-disposition', attachment(file.name, file.name.replace(/[^\x20-\x7e]/g, '_')))
        .send(store.open(file.sha256));
    },
  );
  app.get(
    '/credit/investigations/:id/report.pdf',
    { schema: { tags, summary: '客户信用调查表 (PDF)', params: idParam } },
    async (req, reply) => {
      const { pdf, name } = await investigationPdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(name, 'credit-investigation.pdf', 'inline'))
        .send(Buffer.from(pdf));
    },
  );
  app.post(
    '/customers/:id/credit/requests',
    {
      schema: {
        tags,
        summary: '申请信用限度或信用等级 Request a limit or a class',
        params: idParam,
        body: creditRequestBody,
        response: { 201: creditCardSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.requestCredit(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/credit/requests/:id/decision',
    {
      schema: {
        tags,
        summary: '审批信用申请 Decide a request',
        params: idParam,
        body: creditDecisionBody,
        response: { 200: creditCardSchema },
      },
    },
    async (req) => service.decideRequest(req.ctx, req.params.id, req.body),
  );
  app.put(
    '/customers/:id/credit/suspension',
    {
      schema: {
        tags,
        summary: '暂停或恢复供货 Suspend or resume deliveries',
        params: idParam,
        body: suspensionBody,
        response: { 200: creditCardSchema },
      },
    },
    async (req) => service.setSuspension(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/customers/:id/credit/admissions',
    {
      schema: {
        tags,
        summary: '客户准入申请（客户交易卡） Admission of a new customer',
        params: idParam,
        body: admissionBody,
        response: { 201: creditCardSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.requestAdmission(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/credit/admissions/:id/decision',
    {
      schema: {
        tags,
        summary: '审批客户准入 Decide an admission',
        params: idParam,
        body: creditDecisionBody,
        response: { 200: creditCardSchema },
      },
    },
    async (req) => service.decideAdmission(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/credit/admissions/:id/card.pdf',
    { schema: { tags, summary: '客户交易卡 (PDF)', params: idParam } },
    async (req, reply) => {
      const { pdf, name } = await tradingCardPdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(name, 'trading-card.pdf', 'inline'))
        .send(Buffer.from(pdf));
    },
  );
  app.post(
    '/customers/:id/credit/danger-reports',
    {
      schema: {
        tags,
        summary: '危险客户报告 Report a customer in danger',
        params: idParam,
        body: dangerReportBody,
        response: { 201: creditCardSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.reportDanger(req.ctx, req.params.id, req.body)),
  );
};
