import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checkReportSchema,
  contactBody,
  contactSchema,
  countCustomersQuery,
  createCustomerBody,
  customerConfigSchema,
  customerListItemSchema,
  customerSchema,
  customerSettingsSchema,
  customFieldBody,
  customFieldSchema,
  duplicateGroupSchema,
  filingTodoSchema,
  grantBody,
  grantSchema,
  handoverBody,
  handoverPreviewQuery,
  handoverPreviewSchema,
  handoverSchema,
  historyEntrySchema,
  interactionBody,
  interactionSchema,
  listCustomersQuery,
  lookupParams,
  lookupSchema,
  mergeBody,
  putCustomerSettingsBody,
  putLookupBody,
  returnFilingBody,
  statusNoteBody,
  timelineItemSchema,
  updateContactBody,
  updateCustomerBody,
  updateCustomFieldBody,
} from '../../../common/schemas/customers.js';
import { jobSchema } from '../../../common/schemas/jobs.js';
import { idParam, page, pageQuery } from '../../../common/schemas/platform.js';
import { receiveSheet } from '../../platform/sheet-import.js';
import { BlobStore } from '../../platform/storage.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as config from './config.js';
import * as contacts from './contacts.js';
import * as filing from './filing.js';
import * as handovers from './handover.js';
import * as importer from './import.js';
import * as merge from './merge.js';
import * as reports from './reports.js';
import * as service from './service.js';

const tags = ['客户档案 Customers'];
const configTags = ['客户档案配置 Customer configuration'];
const customerParam = z.object({ id: z.string().min(1).max(64) });
const noContent = { 204: z.null() };

export interface CustomerRouteOptions {
  dataDir: string;
  importMaxBytes: number;
  /** SMTP configured: handed-over customers are told by e-mail (R-C9). */
  mail?: boolean;
}

export const customerRoutes: FastifyPluginAsyncZod<CustomerRouteOptions> = async (app, opts) => {
  const uploads = path.join(opts.dataDir, 'tmp', 'imports');
  // Configuration ---------------------------------------------------------------------------
  app.get(
    '/customer-config',
    {
      schema: {
        tags: configTags,
        summary: '客户档案配置（类别、种类、自定义字段、编号规则）',
        response: { 200: customerConfigSchema },
      },
    },
    async (req) => config.getConfig(req.ctx),
  );
  app.put(
    '/customer-config/settings',
    {
      schema: {
        tags: configTags,
        summary: '修改编号规则、期限等设置 Change settings',
        body: putCustomerSettingsBody,
        response: { 200: customerSettingsSchema },
      },
    },
    async (req) => config.putSettings(req.ctx, req.body),
  );
  app.put(
    '/customer-config/lookups/:list/:code',
    {
      schema: {
        tags: configTags,
        summary: '新增或修改选项（客户类别、种类等） Set a list entry',
        params: lookupParams,
        body: putLookupBody,
        response: { 200: lookupSchema },
      },
    },
    async (req) => config.putLookup(req.ctx, req.params.list, req.params.code, req.body),
  );
  app.post(
    '/customer-config/custom-fields',
    {
      schema: {
        tags: configTags,
        summary: '新增自定义字段 Add a custom field',
        body: customFieldBody,
        response: { 201: customFieldSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await config.createCustomField(req.ctx, req.body)),
  );
  app.patch(
    '/customer-config/custom-fields/:id',
    {
      schema: {
        tags: configTags,
        summary: '修改或停用自定义字段 Change a custom field',
        params: idParam,
        body: updateCustomFieldBody,
        response: { 200: customFieldSchema },
      },
    },
    async (req) => config.updateCustomField(req.ctx, req.params.id, req.body),
  );

  // Lists, registers, reports -----------------------------------------------------------------
  app.get(
    '/customers',
    {
      schema: {
        tags,
        summary: '客户档案列表（筛选、搜索、分页） List and search archives',
        querystring: listCustomersQuery,
        response: { 200: page(customerListItemSchema) },
      },
    },
    async (req) => service.listCustomers(req.ctx, req.query),
  );
  app.get(
    '/customers/filing/todo',
    {
      schema: {
        tags,
        summary: '我的待办：待审批备案 Filings waiting for my approval',
        response: { 200: filingTodoSchema },
      },
    },
    async (req) => filing.filingTodo(req.ctx),
  );
  app.get(
    '/customers/count',
    {
      schema: {
        tags,
        summary: '符合条件的档案数 Count',
        querystring: countCustomersQuery,
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => ({ count: await service.countCustomers(req.ctx, req.query) }),
  );
  app.get(
    '/customers/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出客户档案一览表 Export the list as .xlsx',
        querystring: countCustomersQuery,
      },
    },
    async (req, reply) => {
      const stream = await reports.exportCustomers(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, stream, `客户档案一览表-${day}.xlsx`, `customers-${day}.xlsx`);
    },
  );
  app.get(
    '/customers/check',
    {
      schema: {
        tags,
        summary: '定期检查：缺项、久未更新、逾期备案、逾期登记的变动 Periodic check (R-C11)',
        querystring: z.object({
          staleMonths: z.coerce.number().int().min(1).max(120).optional(),
          limit: pageQuery.limit,
        }),
        response: { 200: checkReportSchema },
      },
    },
    async (req) => reports.checkReport(req.ctx, req.query),
  );
  app.get(
    '/customers/check.xlsx',
    {
      schema: {
        tags,
        summary: '导出定期检查报告 Export the periodic check as .xlsx',
        querystring: z.object({ staleMonths: z.coerce.number().int().min(1).max(120).optional() }),
      },
    },
    async (req, reply) => {
      const stream = await reports.checkXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, stream, `客户档案定期检查-${day}.xlsx`, `customer-check-${day}.xlsx`);
    },
  );
  app.get(
    '/customers/duplicates',
    {
      schema: {
        tags,
        summary: '疑似重复档案 Possible duplicates',
        response: { 200: z.object({ items: z.array(duplicateGroupSchema) }) },
      },
    },
    async (req) => ({ items: await merge.duplicateGroups(req.ctx) }),
  );
  app.post(
    '/customers/handover',
    {
      schema: {
        tags,
        summary: '交接：把一名员工的客户转给接任者 Hand over',
        body: handoverBody,
        response: { 201: handoverSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await handovers.handover(req.ctx, req.body, { mail: !!opts.mail })),
  );
  app.get(
    '/customers/handover/preview',
    {
      schema: {
        tags,
        summary: '交出人负责、且在您涉密等级之内的档案数 Archives of a person within your clearance',
        querystring: handoverPreviewQuery,
        response: { 200: handoverPreviewSchema },
      },
    },
    async (req) =>
      handovers.handoverPreview(req.ctx, req.query.fromUserId, req.query.toUserIds, {
        mail: !!opts.mail,
      }),
  );
  app.get(
    '/customers/handovers',
    {
      schema: {
        tags,
        summary: '交接记录 Handovers',
        response: { 200: z.object({ items: z.array(handoverSchema) }) },
      },
    },
    async (req) => ({ items: await handovers.listHandovers(req.ctx) }),
  );

  // Import (R-W3) -------------------------------------------------------------------------------
  app.get(
    '/customers/import-template.xlsx',
    { schema: { tags, summary: '下载导入模板 Import template' } },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.importTemplate(req.ctx),
        '客户档案导入模板.xlsx',
        'customer-import-template.xlsx',
      ),
  );
  app.post(
    '/customers/imports',
    {
      schema: {
        tags,
        summary: '上传 .xlsx/.csv 导入（multipart，字段 file）；dryRun=true 只检查 Upload a sheet to import',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('true') }),
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) => {
      importer.assertMayImport(req.ctx);
      const sheet = await receiveSheet(req, uploads, opts.importMaxBytes);
      const dryRun = req.query.dryRun === 'true';
      const job = await importer.queueImport(req.ctx, {
        path: sheet.path,
        fileName: sheet.fileName,
        errorsPath: path.join(sheet.dir, dryRun ? 'check-errors.jsonl' : 'errors.jsonl'),
        dryRun,
      });
      return reply.status(202).send({ job });
    },
  );
  app.post(
    '/customers/imports/:jobId/commit',
    {
      schema: {
        tags,
        summary: '按试导入的文件正式导入 Run the real import of a checked file',
        params: z.object({ jobId: z.string().max(64) }),
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (req, reply) =>
      reply.status(202).send({ job: await importer.commitImport(req.ctx, req.params.jobId) }),
  );
  app.get(
    '/customers/imports/:jobId/errors.xlsx',
    {
      schema: {
        tags,
        summary: '下载错误清单（原表加错误说明列） Failed rows with an error column',
        params: z.object({ jobId: z.string().max(64) }),
      },
    },
    async (req, reply) =>
      sendXlsx(
        reply,
        await importer.errorSheet(req.ctx, req.params.jobId),
        '导入错误清单.xlsx',
        'import-errors.xlsx',
      ),
  );

  // One archive ---------------------------------------------------------------------------------
  app.post(
    '/customers',
    {
      schema: {
        tags,
        summary: '新建客户档案 Create an archive',
        body: createCustomerBody,
        response: { 201: customerSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createCustomer(req.ctx, req.body)),
  );
  app.get(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: '客户档案 One archive (the view is audited)',
        params: customerParam,
        response: { 200: customerSchema },
      },
    },
    async (req) => service.getCustomer(req.ctx, req.params.id),
  );
  app.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: '修改客户档案（逐项留痕） Change an archive',
        params: customerParam,
        body: updateCustomerBody,
        response: { 200: customerSchema },
      },
    },
    async (req) => service.updateCustomer(req.ctx, req.params.id, req.body, new BlobStore(opts.dataDir)),
  );
  app.post(
    '/customers/:id/file',
    {
      schema: {
        tags,
        summary: '备案（开启备案审批时为提交备案） File, or submit for approval',
        params: customerParam,
        response: { 200: customerSchema },
      },
    },
    async (req) => service.fileCustomer(req.ctx, req.params.id),
  );
  app.post(
    '/customers/:id/filing/approve',
    {
      schema: {
        tags,
        summary: '批准备案 Approve a submitted filing',
        params: customerParam,
        response: { 200: customerSchema },
      },
    },
    async (req) => filing.approveFiling(req.ctx, req.params.id),
  );
  app.post(
    '/customers/:id/filing/return',
    {
      schema: {
        tags,
        summary: '退回备案（须填写原因） Return a submitted filing with a reason',
        params: customerParam,
        body: returnFilingBody,
        response: { 200: customerSchema },
      },
    },
    async (req) => filing.returnFiling(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/customers/:id/deactivate',
    {
      schema: {
        tags,
        summary: '停用 Deactivate',
        params: customerParam,
        body: statusNoteBody,
        response: { 200: customerSchema },
      },
    },
    async (req) => service.deactivateCustomer(req.ctx, req.params.id, req.body.note),
  );
  app.post(
    '/customers/:id/reactivate',
    {
      schema: {
        tags,
        summary: '重新启用 Reactivate',
        params: customerParam,
        body: statusNoteBody,
        response: { 200: customerSchema },
      },
    },
    async (req) => service.reactivateCustomer(req.ctx, req.params.id, req.body.note),
  );
  app.post(
    '/customers/:id/merge',
    {
      schema: {
        tags,
        summary: '把另一份档案合并到本档案 Merge another archive into this one',
        params: customerParam,
        body: mergeBody,
        response: noContent,
      },
    },
    async (req, reply) => {
      await merge.mergeCustomers(req.ctx, req.params.id, req.body.sourceId, req.body.note);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/customers/:id/contacts',
    {
      schema: {
        tags,
        summary: '联系人 Contacts',
        params: customerParam,
        response: { 200: z.object({ items: z.array(contactSchema) }) },
      },
    },
    async (req) => ({ items: await contacts.listContacts(req.ctx, req.params.id) }),
  );
  app.post(
    '/customers/:id/contacts',
    {
      schema: {
        tags,
        summary: '新增联系人 Add a contact',
        params: customerParam,
        body: contactBody,
        response: { 201: contactSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await contacts.addContact(req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/customers/:id/contacts/:contactId',
    {
      schema: {
        tags,
        summary: '修改或停用联系人 Change a contact',
        params: customerParam.extend({ contactId: z.string().max(64) }),
        body: updateContactBody,
        response: { 200: contactSchema },
      },
    },
    async (req) => contacts.updateContact(req.ctx, req.params.id, req.params.contactId, req.body),
  );
  app.get(
    '/customers/:id/interactions',
    {
      schema: {
        tags,
        summary: '往来记录 Interactions',
        params: customerParam,
        response: { 200: z.object({ items: z.array(interactionSchema) }) },
      },
    },
    async (req) => ({ items: await contacts.listInteractions(req.ctx, req.params.id) }),
  );
  app.post(
    '/customers/:id/interactions',
    {
      schema: {
        tags,
        summary: '登记往来记录 Record an interaction',
        params: customerParam,
        body: interactionBody,
        response: { 201: interactionSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await contacts.addInteraction(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/customers/:id/history',
    {
      schema: {
        tags,
        summary: '变更历史 Change history',
        params: customerParam,
        querystring: z.object(pageQuery),
        response: { 200: page(historyEntrySchema) },
      },
    },
    async (req) => contacts.listHistory(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/customers/:id/timeline',
    {
      schema: {
        tags,
        summary: '时间线：变更与往来 Timeline',
        params: customerParam,
        querystring: z.object(pageQuery),
        response: { 200: page(timelineItemSchema) },
      },
    },
    async (req) => contacts.timeline(req.ctx, req.params.id, req.query),
  );

  app.get(
    '/customers/:id/grants',
    {
      schema: {
        tags,
        summary: '访问授权 Access grants (id or archive code)',
        params: customerParam,
        response: { 200: z.object({ items: z.array(grantSchema) }) },
      },
    },
    async (req) => ({ items: await merge.listGrants(req.ctx, req.params.id) }),
  );
  app.post(
    '/customers/:id/grants',
    {
      schema: {
        tags,
        summary: '授予访问权 Grant access',
        params: customerParam,
        body: grantBody,
        response: { 201: grantSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await merge.grantAccess(req.ctx, req.params.id, req.body)),
  );
  app.delete(
    '/customers/:id/grants/:grantId',
    {
      schema: {
        tags,
        summary: '收回访问权 Revoke a grant',
        params: customerParam.extend({ grantId: z.string().max(64) }),
        response: noContent,
      },
    },
    async (req, reply) => {
      await merge.revokeGrant(req.ctx, req.params.id, req.params.grantId);
      return reply.status(204).send(null);
    },
  );
};
