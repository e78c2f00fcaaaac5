import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobSchema } from '../../../common/schemas/jobs.js';
import {
  backupListSchema,
  putScheduleBody,
  scheduleRunQuery,
  scheduleRunSchema,
  scheduleSchema,
} from '../../../common/schemas/operations.js';
import { page } from '../../../common/schemas/platform.js';
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/index.js';
import * as backups from './backups.js';
import * as config from './config.js';
import * as schedule from './schedule.js';

const tags = ['运维 Operations'];

export const operationsRoutes: FastifyPluginAsyncZod<{ config: Config; database: DatabaseHandle }> = async (
  app,
  opts,
) => {
  backups.registerBackupJob(opts.config, opts.database);
  app.get(
    '/system/schedule',
    {
      schema: {
        tags,
        summary: '定时任务设置（完整性检查、备份） The schedule of daily tasks',
        response: { 200: scheduleSchema },
      },
    },
    async (req) => config.getSchedule(req.ctx, opts.config),
  );
  app.put(
    '/system/schedule',
    {
      schema: {
        tags,
        summary: '修改定时任务 Change the schedule',
        body: putScheduleBody,
        response: { 200: scheduleSchema },
      },
    },
    async (req) => config.putSchedule(req.ctx, opts.config, req.body),
  );
  app.get(
    '/system/schedule/runs',
    {
      schema: {
        tags,
        summary: '定时任务的运行记录（新的在前） Runs of the scheduled tasks, newest first',
        querystring: scheduleRunQuery,
        response: { 200: page(scheduleRunSchema) },
      },
    },
    async (req) => schedule.listRuns(req.ctx, req.query),
  );
  app.get(
    '/system/backups',
    {
      schema: {
        tags,
        summary: '备份目录中的备份（新的在前） Backups found in the target directory',
        response: { 200: backupListSchema },
      },
    },
    async (req) => backups.listBackups(req.ctx, opts.config),
  );
  app.post(
    '/system/backups',
    {
      schema: {
        tags,
        summary: '立即备份（后台任务） Back up now, in the background',
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => reply.status(202).send({ job: await backups.startBackup(req.ctx) }),
  );
};
