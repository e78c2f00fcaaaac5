import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  holdingsSchema,
  STATISTICS_TABLES,
  serviceSummarySchema,
  statisticsQuery,
  useSchema,
} from '../../../common/schemas/statistics.js';
import { sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import { sendXlsx } from '../../platform/xlsx.js';
import * as report from './report.js';
import * as service from './service.js';

const tags = ['档案统计 Archive statistics'];

export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/statistics/holdings',
    {
      schema: {
        tags,
        summary: '馆藏统计（门类、年度、保管期限、载体、密级） Holdings',
        querystring: statisticsQuery,
        response: { 200: holdingsSchema },
      },
    },
    async (req) => service.holdings(req.ctx, req.query),
  );
  app.get(
    '/statistics/use',
    {
      schema: {
        tags,
        summary: '利用统计（查阅、借阅：部门、用途、方式、门类） Use',
        querystring: statisticsQuery,
        response: { 200: useSchema },
      },
    },
    async (req) => service.use(req.ctx, req.query),
  );
  app.get(
    '/statistics/service',
    {
      schema: {
        tags,
        summary: '服务指标（投诉、回访、满意度、准时交付） Service summary',
        querystring: statisticsQuery,
        response: { 200: serviceSummarySchema },
      },
    },
    async (req) => service.service(req.ctx, req.query),
  );
  app.get(
    '/statistics/report.xlsx',
    { schema: { tags, summary: '导出统计年报（Excel） Yearly report', querystring: statisticsQuery } },
    async (req, reply) => {
      const { year, body } = await report.reportXlsx(req.ctx, req.query);
      return sendXlsx(reply, body, `档案统计年报-${year}.xlsx`, `archive-statistics-${year}.xlsx`);
    },
  );
  app.get(
    '/statistics/report.pdf',
    { schema: { tags, summary: '导出统计年报（PDF） Yearly report', querystring: statisticsQuery } },
    async (req, reply) => {
      const { year, bytes } = await report.reportPdfOf(req.ctx, req.query);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          attachment(`档案统计年报-${year}.pdf`, `archive-statistics-${year}.pdf`),
        )
        .send(Buffer.from(bytes));
    },
  );
  app.get(
    '/statistics/tables/:table.csv',
    {
      schema: {
        tags,
        summary: '导出一张统计表（CSV） One table as CSV',
        params: z.object({ table: z.enum(STATISTICS_TABLES) }),
        querystring: statisticsQuery,
      },
    },
    async (req, reply) => {
      const { year, title, body } = await report.tableCsv(req.ctx, req.query, req.params.table);
      return sendCsv(reply, body, `${title}-${year}.csv`, `${req.params.table}-${year}.csv`);
    },
  );
};
