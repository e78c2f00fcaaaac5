import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../common/schemas/platform.js';
import { resultsQuery, surveyResultsSchema } from '../../../common/schemas/surveys.js';
import { sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as exports from './export.js';
import { printFilledForm } from './pdf.js';
import { surveyResults } from './results.js';

const tags = ['满意度调查 Satisfaction surveys'];
const exportQuery = resultsQuery.omit({ groupBy: true });

export const surveyResultsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/surveys/results',
    {
      schema: {
        tags,
        summary: '满意度统计：分组指数、各题分布、各次调查趋势 Survey results',
        querystring: resultsQuery,
        response: { 200: surveyResultsSchema },
      },
    },
    async (req) => surveyResults(req.ctx, req.query),
  );
  for (const register of exports.SURVEY_REGISTERS)
    for (const format of ['xlsx', 'csv'] as const)
      app.get(
        `/surveys/results/${register}.${format}`,
        {
          schema: {
            tags,
            summary: `导出${exports.SURVEY_REGISTER_NAMES[register]}（${format === 'csv' ? 'CSV' : 'Excel'}） Export the ${register === 'summary' ? 'answered forms' : 'index per salesperson and department'}`,
            querystring: exportQuery,
          },
        },
        async (req, reply) => {
          const day = fileDay(req.ctx.now());
          const name = `${exports.SURVEY_REGISTER_NAMES[register]}-${day}.${format}`;
          const ascii = `survey-${register}-${day}.${format}`;
          const body =
            register === 'summary'
              ? await exports.exportSummary(req.ctx, format, req.query)
              : await exports.exportAppraisal(req.ctx, format, req.query);
          return format === 'csv' ? sendCsv(reply, body, name, ascii) : sendXlsx(reply, body, name, ascii);
        },
      );
  app.get(
    '/surveys/responses/:id/form.pdf',
    { schema: { tags, summary: '打印顾客满意度调查表 The filled form (PDF)', params: idParam } },
    async (req, reply) => {
      const { name, bytes } = await printFilledForm(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(name, name.replace(/[^\x20-\x7e]/g, '_')))
        .send(Buffer.from(bytes));
    },
  );
};
