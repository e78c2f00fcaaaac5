import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { integrityReportSchema } from '../../../common/schemas/integrity.js';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { notFound } from '../../platform/errors.js';
import { enqueueJob, registerJobHandler } from '../../platform/jobs.js';
import { authorize } from '../../platform/policy/index.js';
import type { BlobStore } from '../../platform/storage.js';
import { runIntegrityCheck } from './service.js';

const tags = ['完整性检查 Integrity'];
export const INTEGRITY_JOB = 'integrity_check';

export const integrityRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  // The report is the job's result, kept in the jobs table like every job's.
  registerJobHandler(INTEGRITY_JOB, async (job) => {
    const report = await runIntegrityCheck(job.ctx.db, opts.store, job.ctx.now(), (done, total) =>
      job.progress(done, total),
    );
    await appendAudit(job.ctx, {
      action: 'integrity.check',
      targetType: 'system',
      outcome: report.ok ? 'success' : 'failure',
      details: { ok: report.ok, counts: report.counts, findings: report.findings.length },
    });
    return report;
  });

  app.post(
    '/integrity/checks',
    {
      schema: {
        tags,
        summary: '开始完整性检查（四性检测，后台任务） Start an integrity check',
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => {
      authorize(req.ctx, 'integrity.run', { type: 'system' });
      return reply.status(202).send({ job: await enqueueJob(req.ctx, INTEGRITY_JOB, {}) });
    },
  );
  app.get(
    '/integrity/checks/latest',
    {
      schema: {
        tags,
        summary: '最近一次完成的完整性检查报告 The latest integrity report',
        response: { 200: integrityReportSchema },
      },
    },
    async (req) => {
      authorize(req.ctx, 'integrity.run', { type: 'system' });
      const row = await req.ctx.db
        .selectFrom('jobs')
        .select('result')
        .where('kind', '=', INTEGRITY_JOB)
        .where('status', '=', 'succeeded')
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row?.result) throw notFound();
      return JSON.parse(row.result);
    },
  );
};
