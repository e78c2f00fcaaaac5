import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGISTER_LABELS } from '../../../common/documents.js';
import { documentListItemSchema, listDocumentsQuery } from '../../../common/schemas/documents.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import {
  createProjectBody,
  projectIndexSchema,
  projectSchema,
  projectStatusBody,
  updateProjectBody,
} from '../../../common/schemas/projects.js';
import { CSV_ENCODINGS, type CsvEncoding, sendCsv } from '../../platform/csv.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as projects from './projects.js';

// 项目档案 (seed 002): the projects of a customer archive, their catalogues and the 关联索引.

const tags = ['项目档案 Projects'];

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/projects',
    {
      schema: {
        tags,
        summary: '客户档案的项目 Projects of a customer archive',
        params: idParam,
        response: { 200: z.object({ items: z.array(projectSchema) }) },
      },
    },
    async (req) => ({ items: await projects.listProjects(req.ctx, req.params.id) }),
  );
  app.post(
    '/customers/:id/projects',
    {
      schema: {
        tags,
        summary: '新建项目 Create a project',
        params: idParam,
        body: createProjectBody,
        response: { 201: projectSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await projects.createProject(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/customers/:id/project-index',
    {
      schema: {
        tags,
        summary: '关联索引：各项目关联的记录数与未关联数 The archive’s project index',
        params: idParam,
        response: { 200: projectIndexSchema },
      },
    },
    async (req) => projects.projectIndex(req.ctx, req.params.id),
  );
  app.get(
    '/projects/:id',
    {
      schema: { tags, summary: '项目 A project', params: idParam, response: { 200: projectSchema } },
    },
    async (req) => projects.getProject(req.ctx, req.params.id),
  );
  app.patch(
    '/projects/:id',
    {
      schema: {
        tags,
        summary: '修改项目 Change a project',
        params: idParam,
        body: updateProjectBody,
        response: { 200: projectSchema },
      },
    },
    async (req) => projects.updateProject(req.ctx, req.params.id, req.body),
  );
  for (const [action, to] of [
    ['close', 'closed'],
    ['reopen', 'active'],
  ] as const)
    app.post(
      `/projects/:id/${action}`,
      {
        schema: {
          tags,
          summary: action === 'close' ? '关闭项目 Close a project' : '重新打开项目 Reopen a project',
          params: idParam,
          body: projectStatusBody.optional(),
          response: { 200: projectSchema },
        },
      },
      async (req) => projects.setProjectStatus(req.ctx, req.params.id, to, req.body?.note ?? null),
    );
  app.get(
    '/projects/:id/catalogue',
    {
      schema: {
        tags,
        summary: '项目卷内目录（本人可见的文件） The project’s documents',
        params: idParam,
        querystring: listDocumentsQuery.omit({ customerId: true, projectId: true }),
        response: { 200: page(documentListItemSchema) },
      },
    },
    async (req) => projects.projectCatalogue(req.ctx, req.params.id, req.query),
  );
  for (const format of ['xlsx', 'csv'] as const)
    app.get(
      `/projects/:id/catalogue.${format}`,
      {
        schema: {
          tags,
          summary: `项目的归档文件目录（${format === 'csv' ? 'CSV，UTF-8 或 GBK' : 'Excel'}） The project’s 归档文件目录`,
          params: idParam,
          ...(format === 'csv'
            ? { querystring: z.object({ encoding: z.enum(CSV_ENCODINGS).default('utf8') }) }
            : {}),
        },
      },
      async (req, reply) => {
        const encoding = ((req.query as { encoding?: CsvEncoding } | undefined)?.encoding ??
          'utf8') as CsvEncoding;
        const { stream, code, archiveCode } = await projects.exportProjectCatalogue(
          req.ctx,
          req.params.id,
          format,
          encoding,
        );
        const day = fileDay(req.ctx.now());
        const name = `${REGISTER_LABELS.filed.zh}-${archiveCode}-${code}-${day}.${format}`;
        const ascii = `filed-${archiveCode}-${code}-${day}.${format}`.replace(/[^\x20-\x7e]/g, '_');
        return format === 'csv'
          ? sendCsv(reply, stream, name, ascii, encoding)
          : sendXlsx(reply, stream, name, ascii);
      },
    );
};
