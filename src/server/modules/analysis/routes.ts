import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SALES_IMPORT_KINDS } from '../../../common/analysis.js';
import {
  abcApplyBody,
  abcQuery,
  abcResultSchema,
  abcRunSchema,
  analysisSettingsBody,
  analysisSettingsSchema,
  compositionQuery,
  compositionSchema,
  productAnalysisQuery,
  productAnalysisSchema,
  salesImportSchema,
  seasonalQuery,
  seasonalSchema,
} from '../../../common/schemas/analysis.js';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { sendCsv } from '../../platform/csv.js';
import { receiveSheet } from '../../platform/sheet-import.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import { abcAnalysis, abcRuns, applyAbc } from './abc.js';
import { composition } from './composition.js';
import { getAnalysisSettings, putAnalysisSettings } from './config.js';
import { abcTable, compositionTable, productTable, seasonalTable, tableCsv, tableXlsx } from './export.js';
import * as importer from './ledger-import.js';
import { productAnalysis } from './products.js';
import { seasonalIndex } from './seasonal.js';

const tags = ['客户分析 Customer analysis'];
const jobParam = z.object({ jobId: z.string().max(64) });
const kindQuery = z.object({ kind: z.enum(SALES_IMPORT_KINDS).default('sales') });
const formatParam = z.object({ format: z.enum(['xlsx', 'csv']) });

export interface AnalysisRouteOptions {
  dataDir: string;
  importMaxBytes: number;
}

/** 客户分析: ABC (R-A1), composition (R-A2), seasonal index (R-A3), product contribution (R-A5),
 * the sales ledger and stock imports they are computed from, and their settings. */
export const analysisRoutes: FastifyPluginAsyncZod<AnalysisRouteOptions> = async (app, opts) => {
  const uploads = path.join(opts.dataDir, 'tmp', 'sales-imports');

  app.get(
    '/analysis/abc',
    {
      schema: {
        tags,
        summary: 'ABC 分析 ABC analysis',
        querystring: abcQuery,
        response: { 200: abcResultSchema },
      },
    },
    async (req) => abcAnalysis(req.ctx, req.query),
  );
  app.post(
    '/analysis/abc/runs',
    {
      schema: {
        tags,
        summary: '按 ABC 分析结果评定客户等级 Apply the grades',
        body: abcApplyBody,
        response: { 201: abcRunSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await applyAbc(req.ctx, req.body)),
  );
  app.get(
    '/analysis/abc/runs',
    {
      schema: {
        tags,
        summary: '评级记录 Applied runs',
        response: { 200: z.object({ items: z.array(abcRunSchema) }) },
      },
    },
    async (req) => ({ items: await abcRuns(req.ctx) }),
  );
  app.get(
    '/analysis/composition',
    {
      schema: {
        tags,
        summary: '销售构成 Sales composition',
        querystring: compositionQuery,
        response: { 200: compositionSchema },
      },
    },
    async (req) => composition(req.ctx, req.query),
  );
  app.get(
    '/analysis/seasonal',
    {
      schema: {
        tags,
        summary: '季节指数 Seasonal index',
        querystring: seasonalQuery,
        response: { 200: seasonalSchema },
      },
    },
    async (req) => seasonalIndex(req.ctx, req.query),
  );
  app.get(
    '/analysis/products',
    {
      schema: {
        tags,
        summary: '产品贡献 Product contribution',
        querystring: productAnalysisQuery,
        response: { 200: productAnalysisSchema },
      },
    },
    async (req) => productAnalysis(req.ctx, req.query),
  );

  // Exports: .xlsx and CSV of each table.
  const day = (req: { ctx: { now(): Date } }) => fileDay(req.ctx.now());
  const send = async (
    reply: Parameters<typeof sendXlsx>[0],
    format: 'xlsx' | 'csv',
    table: Awaited<ReturnType<typeof abcTable>>,
    zh: string,
    en: string,
    stamp: string,
  ) =>
    format === 'xlsx'
      ? sendXlsx(reply, tableXlsx(table), `${zh}-${stamp}.xlsx`, `${en}-${stamp}.xlsx`)
      : sendCsv(reply, tableCsv(table), `${zh}-${stamp}.csv`, `${en}-${stamp}.csv`);
  app.get(
    '/analysis/abc.:format',
    { schema: { tags, summary: '导出 ABC 分析表', params: formatParam, querystring: abcQuery } },
    async (req, reply) =>
      send(reply, req.params.format, await abcTable(req.ctx, req.query), 'ABC分析', 'abc-analysis', day(req)),
  );
  app.get(
    '/analysis/composition.:format',
    { schema: { tags, summary: '导出销售构成', params: formatParam, querystring: compositionQuery } },
    async (req, reply) =>
      send(
        reply,
        req.params.format,
        await compositionTable(req.ctx, req.query),
        '销售构成',
        'sales-composition',
        day(req),
      ),
  );
  app.get(
    '/analysis/seasonal.:format',
    { schema: { tags, summary: '导出季节指数', params: formatParam, querystring: seasonalQuery } },
    async (req, reply) =>
      send(
        reply,
        req.params.format,
        await seasonalTable(req.ctx, req.query),
        '季节指数',
        'seasonal-index',
        day(req),
      ),
  );
  app.get(
    '/analysis/products.:format',
    { schema: { tags, summary: '导出产品贡献', params: formatParam, querystring: productAnalysisQuery } },
    async (req, reply) =>
      send(
        reply,
        req.params.format,
        await productTable(req.ctx, req.query),
        '产品贡献',
        'product-contribution',
        day(req),
      ),
  );

  // Settings.
  app.get(
    '/analysis/settings',
    { schema: { tags, summary: '客户分析设置', response: { 200: analysisSettingsSchema } } },
    async (req) => getAnalysisSettings(req.ctx),
  );
  app.put(
    '/analysis/settings',
    {
      schema: {
        tags,
        summary: '修改客户分析设置',
        body: analysisSettingsBody,
        response: { 200: analysisSettingsSchema },
      },
    },
    async (req) => putAnalysisSettings(req.ctx, req.body),
  );

  // Imports of sales ledgers and stock levels.
  app.get(
    '/analysis/import-template.xlsx',
    { schema: { tags, summary: '下载销售台账/库存导入模板', querystring: kindQuery } },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.salesImportTemplate(req.ctx, req.query.kind),
        req.query.kind === 'stock' ? '库存导入模板.xlsx' : '销售台账导入模板.xlsx',
        `${req.query.kind}-import-template.xlsx`,
      ),
  );
  app.get(
    '/analysis/imports',
    {
      schema: {
        tags,
        summary: '导入记录 Imports made',
        response: { 200: z.object({ items: z.array(salesImportSchema) }) },
      },
    },
    async (req) => ({ items: await importer.salesImports(req.ctx) }),
  );
  app.post(
    '/analysis/imports',
    {
      schema: {
        tags,
        summary: '上传销售台账或库存 .xlsx/.csv（multipart，字段 file）；dryRun=true 只检查',
        querystring: kindQuery.extend({ dryRun: z.enum(['true', 'false']).default('true') }),
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => {
      await importer.assertMayImport(req.ctx);
      const sheet = await receiveSheet(req, uploads, opts.importMaxBytes);
      const dryRun = req.query.dryRun === 'true';
      const job = await importer.queueSalesImport(req.ctx, {
        kind: req.query.kind,
        path: sheet.path,
        fileName: sheet.fileName,
        errorsPath: path.join(sheet.dir, dryRun ? 'check-errors.jsonl' : 'errors.jsonl'),
        dryRun,
      });
      return reply.status(202).send({ job });
    },
  );
  app.post(
    '/analysis/imports/:jobId/commit',
    {
      schema: {
        tags,
        summary: '按试导入的文件正式导入',
        params: jobParam,
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) =>
      reply.status(202).send({ job: await importer.commitSalesImport(req.ctx, req.params.jobId) }),
  );
  app.get(
    '/analysis/imports/:jobId/errors.xlsx',
    { schema: { tags, summary: '下载导入错误清单', params: jobParam } },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.salesErrorSheet(req.ctx, req.params.jobId),
        '销售导入错误清单.xlsx',
        'sales-import-errors.xlsx',
      ),
  );
};
