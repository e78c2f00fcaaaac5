import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  confirmStandardBody,
  putStandardSettingsBody,
  standardCheckPage,
  standardCheckSchema,
  standardChecksQuery,
  standardDueFilter,
  standardDuePage,
  standardDueQuery,
  standardSettingsSchema,
} from '../../../common/schemas/standard-checks.js';
import { CSV_ENCODINGS, type CsvEncoding, sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as forms from './forms.js';
import * as standards from './standards.js';

const tags = ['文件与档案 Documents'];

/** 查新: the standards and laws due for a check, the checks (查新记录) and their export. */
export const standardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/documents/standard-checks/due',
    {
      schema: {
        tags,
        summary: '查新清单：到期需核查的外来标准、法规 Standards due for a currency check',
        querystring: standardDueQuery,
        response: { 200: standardDuePage },
      },
    },
    async (req) => standards.standardsDue(req.ctx, req.query),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/documents/standard-checks/due.${format}`,
      {
        schema: {
          tags,
          summary: `导出查新清单（${format === 'csv' ? 'CSV，UTF-8 或 GBK' : 'Excel'}） Export the standards due for a check`,
          querystring:
            format === 'csv'
              ? standardDueFilter.extend({ encoding: z.enum(CSV_ENCODINGS).default('utf8') })
              : standardDueFilter,
        },
      },
      async (req, reply) => {
        const { encoding, ...filter } = req.query as z.output<typeof standardDueFilter> & {
          encoding?: CsvEncoding;
        };
        const body = await standards.exportDue(req.ctx, filter, format, encoding);
        const day = fileDay(req.ctx.now());
        const name = `查新清单-${day}.${format}`;
        const ascii = `standards-due-${day}.${format}`;
        return format === 'csv'
          ? sendCsv(reply, body, name, ascii, encoding)
          : sendXlsx(reply, body, name, ascii);
      },
    );
  app.get(
    '/documents/standard-checks',
    {
      schema: {
        tags,
        summary: '查新记录（分页） Currency checks of standards and laws',
        querystring: standardChecksQuery,
        response: { 200: standardCheckPage },
      },
    },
    async (req) => standards.standardChecks(req.ctx, req.query),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/documents/standard-checks.${format}`,
      {
        schema: {
          tags,
          summary: `导出查新记录（${format === 'csv' ? 'CSV，UTF-8 或 GBK' : 'Excel'}） Export the currency checks`,
          querystring: z.object(format === 'csv' ? { encoding: z.enum(CSV_ENCODINGS).default('utf8') } : {}),
        },
      },
      async (req, reply) => {
        const { encoding } = req.query as { encoding?: CsvEncoding };
        const body = await standards.exportChecks(req.ctx, format, encoding);
        const day = fileDay(req.ctx.now());
        const name = `查新记录-${day}.${format}`;
        const ascii = `standard-checks-${day}.${format}`;
        return format === 'csv'
          ? sendCsv(reply, body, name, ascii, encoding)
          : sendXlsx(reply, body, name, ascii);
      },
    );
  app.post(
    '/documents/:id/standard-checks',
    {
      schema: {
        tags,
        summary: '查新：确认现行有效 Confirm a standard is still current',
        params: z.object({ id: z.string().min(1).max(64) }),
        body: confirmStandardBody,
        response: { 201: standardCheckSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await standards.confirmStandard(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/document-config/standard-checks',
    {
      schema: {
        tags,
        summary: '查新周期设置 Currency check settings',
        response: { 200: standardSettingsSchema },
      },
    },
    async (req) => standards.getStandardSettings(req.ctx),
  );
  app.put(
    '/document-config/standard-checks',
    {
      schema: {
        tags,
        summary: '修改查新周期 Change the currency check interval',
        body: putStandardSettingsBody,
        response: { 200: standardSettingsSchema },
      },
    },
    async (req) => standards.putStandardSettings(req.ctx, req.body),
  );
};

/** 文件发放/回收登记表 and 档案移交清单 as PDF. */
export const documentFormRoutes: FastifyPluginAsyncZod = async (app) => {
  const sendPdf = (reply: FastifyReply, { pdf, name }: { pdf: Uint8Array; name: string }, ascii: string) =>
    reply
      .type('application/pdf')
      .header('content-disposition', attachment(name, ascii, 'inline'))
      .send(Buffer.from(pdf));
  app.get(
    '/documents/:id/copies/register.pdf',
    {
      schema: {
        tags,
        summary: '文件发放/回收登记表 (PDF)',
        params: z.object({ id: z.string().min(1).max(64) }),
      },
    },
    async (req, reply) => sendPdf(reply, await forms.copiesFormPdf(req.ctx, req.params.id), 'copies.pdf'),
  );
  app.get(
    '/documents/transfer-list.pdf',
    {
      schema: {
        tags,
        summary: '档案移交清单 (PDF)：所选已归档文件 Transfer list of chosen filed records',
        querystring: z.object({ ids: z.string().min(1).max(60_000) }),
      },
    },
    async (req, reply) =>
      sendPdf(
        reply,
        await forms.transferListPdf(req.ctx, req.query.ids.split(',').filter(Boolean)),
        'transfer-list.pdf',
      ),
  );
};
