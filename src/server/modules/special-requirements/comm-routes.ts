import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../../common/schemas/platform.js';
import {
  acknowledgeBody,
  checkBody,
  checkResultSchema,
  customerListSchema,
  distributeBody,
  distributeResultSchema,
  distributionSchema,
  listRequirementsQuery,
  myAcknowledgementSchema,
  reviseListBody,
  srChecksSchema,
} from '../../../common/schemas/special-requirements.js';
import { sendCsv } from '../../platform/csv.js';
import { attachment } from '../../platform/http.js';
import type { BlobStore } from '../../platform/storage.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as checks from './checks.js';
import * as distributions from './distributions.js';
import { exportList } from './list-export.js';
import { recordPdf, reviseList } from './list-pdf.js';

const tags = ['顾客特殊要求 Customer special requirements'];
const exportQuery = listRequirementsQuery.omit({ cursor: true, limit: true });

/** 传达与确认、年度核查、清单修订与导出 Communication, yearly check, list revisions and exports
 * (R-S3, R-S5). Register as `api.register(srCommRoutes, { store: new BlobStore(config.dataDir) })`. */
export const srCommRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;

  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/special-requirements/export.${format}`,
      {
        schema: {
          tags,
          summary: `导出顾客特殊要求清单（${format === 'csv' ? 'CSV' : 'Excel'}） Export the list`,
          querystring: exportQuery,
        },
      },
      async (req, reply) => {
        const day = fileDay(req.ctx.now());
        const name = `顾客特殊要求清单-${day}.${format}`;
        const ascii = `special-requirements-${day}.${format}`;
        const body = await exportList(req.ctx, req.query, format);
        return format === 'csv' ? sendCsv(reply, body, name, ascii) : sendXlsx(reply, body, name, ascii);
      },
    );

  app.post(
    '/customers/:id/special-requirements/revisions',
    {
      schema: {
        tags,
        summary: '修订清单（版次加一，清单 PDF 归入客户档案） Revise the list and file it',
        params: idParam,
        body: reviseListBody,
        response: { 200: customerListSchema },
      },
    },
    async (req) => reviseList(req.ctx, store, req.params.id, { note: req.body.note }),
  );

  app.post(
    '/special-requirements/distributions',
    {
      schema: {
        tags,
        summary: '传达要求或整份清单 Distribute a requirement or the list',
        body: distributeBody,
        response: { 201: distributeResultSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await distributions.distribute(req.ctx, req.body)),
  );
  app.get(
    '/special-requirements/distributions',
    {
      schema: {
        tags,
        summary: '客户的传达记录 A customer’s distributions, newest first',
        querystring: z.object({ customerId: z.string().min(1).max(64) }),
        response: { 200: z.object({ items: z.array(distributionSchema) }) },
      },
    },
    async (req) => distributions.customerDistributions(req.ctx, req.query.customerId),
  );
  app.get(
    '/special-requirements/acknowledgements/mine',
    {
      schema: {
        tags,
        summary: '我待确认的传达 My open acknowledgements',
        response: { 200: z.array(myAcknowledgementSchema) },
      },
    },
    async (req) => distributions.myAcknowledgements(req.ctx),
  );
  app.get(
    '/special-requirements/distributions/:id',
    {
      schema: {
        tags,
        summary: '传达记录：接收人及未确认人员 A distribution',
        params: idParam,
        response: { 200: distributionSchema },
      },
    },
    async (req) => distributions.getDistribution(req.ctx, req.params.id),
  );
  app.post(
    '/special-requirements/distributions/:id/acknowledge',
    {
      schema: {
        tags,
        summary: '确认（已阅/已培训） Acknowledge',
        params: idParam,
        body: acknowledgeBody,
        response: { 200: distributionSchema },
      },
    },
    async (req) => distributions.acknowledge(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/special-requirements/distributions/:id/remind',
    {
      schema: {
        tags,
        summary: '提醒未确认人员 Remind those who have not acknowledged',
        params: idParam,
        response: { 200: distributionSchema },
      },
    },
    async (req) => distributions.remind(req.ctx, req.params.id),
  );
  app.get(
    '/special-requirements/distributions/:id/record.pdf',
    { schema: { tags, summary: '打印培训记录 The training record (PDF)', params: idParam } },
    async (req, reply) => {
      const input = await distributions.recordData(req.ctx, req.params.id);
      const bytes = await recordPdf(req.ctx, input);
      const subject = input.distribution.requirement?.number ?? input.distribution.customer.code;
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          attachment(
            `培训记录-${subject}.pdf`,
            `training-record-${subject.replace(/[^\x20-\x7e]/g, '_')}.pdf`,
          ),
        )
        .send(Buffer.from(bytes));
    },
  );

  app.get(
    '/customers/:id/sr-checks',
    {
      schema: {
        tags,
        summary: '年度核查记录 The yearly checks',
        params: idParam,
        response: { 200: srChecksSchema },
      },
    },
    async (req) => checks.getChecks(req.ctx, req.params.id),
  );
  app.post(
    '/customers/:id/sr-checks',
    {
      schema: {
        tags,
        summary: '记录年度核查（客户现行版本） Record the yearly check',
        params: idParam,
        body: checkBody,
        response: { 201: checkResultSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await checks.recordCheck(req.ctx, req.params.id, req.body)),
  );
};
