import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  delayBody,
  delayedLineSchema,
  delayedQuery,
  deliveryBody,
  deliveryStatsQuery,
  deliveryStatsSchema,
  exportDelayedQuery,
  importDeliveriesQuery,
  importDeliveriesResult,
  orderDeliveriesSchema,
} from '../../../common/schemas/order-deliveries.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import { sendCsv } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { multipartFile } from '../../platform/uploads.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as delayed from './delayed.js';
import * as deliveries from './deliveries.js';
import { importDeliveries } from './delivery-import.js';
import * as performance from './performance.js';

const tags = ['订单交付与掉期 Deliveries and delayed orders'];
const id = z.string().min(1).max(64);
const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/** Deliveries, 准时交付率 and 掉期订单 (R-K5). */
export const deliveryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/orders/delivery-stats',
    {
      schema: {
        tags,
        summary: '准时交付率 On-time delivery rate',
        querystring: deliveryStatsQuery,
        response: { 200: deliveryStatsSchema },
      },
    },
    async (req) => performance.deliveryStats(req.ctx, req.query),
  );
  app.get(
    '/orders/delivery-stats.xlsx',
    { schema: { tags, summary: '导出准时交付率 (.xlsx)', querystring: deliveryStatsQuery } },
    async (req, reply) => {
      const body = await performance.statsXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, body, `准时交付率-${day}.xlsx`, `on-time-delivery-${day}.xlsx`);
    },
  );
  app.get(
    '/orders/delivery-stats.csv',
    { schema: { tags, summary: '导出准时交付率 (CSV)', querystring: deliveryStatsQuery } },
    async (req, reply) => {
      const body = await performance.statsCsv(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendCsv(reply, body, `准时交付率-${day}.csv`, `on-time-delivery-${day}.csv`);
    },
  );
  app.get(
    '/orders/delayed',
    {
      schema: {
        tags,
        summary: '掉期订单（每日订单评审） Delayed order lines, oldest first',
        querystring: delayedQuery,
        response: { 200: page(delayedLineSchema) },
      },
    },
    async (req) => delayed.listDelayed(req.ctx, req.query),
  );
  app.get(
    '/orders/delayed.xlsx',
    { schema: { tags, summary: '导出掉期订单跟踪表 (.xlsx)', querystring: exportDelayedQuery } },
    async (req, reply) => {
      const body = await delayed.delayedXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, body, `掉期订单跟踪表-${day}.xlsx`, `delayed-orders-${day}.xlsx`);
    },
  );
  app.get(
    '/orders/delayed.csv',
    { schema: { tags, summary: '导出掉期订单跟踪表 (CSV)', querystring: exportDelayedQuery } },
    async (req, reply) => {
      const body = await delayed.delayedCsv(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendCsv(reply, body, `掉期订单跟踪表-${day}.csv`, `delayed-orders-${day}.csv`);
    },
  );
  app.post(
    '/orders/deliveries/import',
    {
      schema: {
        tags,
        summary: '从 Excel 导入交付记录（multipart，字段 file）；dryRun=true 只检查 Import deliveries',
        querystring: importDeliveriesQuery,
        response: { 200: importDeliveriesResult },
      },
    },
    async (req) => {
      const file = await multipartFile(req, IMPORT_MAX_BYTES);
      if (!/\.xlsx$/i.test(file.filename)) {
        file.file.resume();
        throw new DomainError('file_type', 422, { types: '.xlsx' }, 'file');
      }
      const body = await file.toBuffer().catch(() => {
        throw new DomainError('file_too_large', 413, { limit: '20 MB' }, 'file');
      });
      if (body.length === 0) throw new DomainError('file_empty', 400, {}, 'file');
      return importDeliveries(req.ctx, body, req.query.dryRun === 'true');
    },
  );
  app.get(
    '/orders/:id/deliveries',
    {
      schema: {
        tags,
        summary: '订单交付情况 Deliveries of an order',
        params: idParam,
        response: { 200: orderDeliveriesSchema },
      },
    },
    async (req) => deliveries.getDeliveries(req.ctx, req.params.id),
  );
  app.post(
    '/orders/:id/deliveries',
    {
      schema: {
        tags,
        summary: '登记交付 Record a delivery',
        params: idParam,
        body: deliveryBody,
        response: { 201: orderDeliveriesSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await deliveries.recordDelivery(req.ctx, req.params.id, req.body)),
  );
  app.delete(
    '/orders/:id/deliveries/:deliveryId',
    {
      schema: {
        tags,
        summary: '删除错误的交付记录 Remove a wrong delivery',
        params: z.object({ id, deliveryId: id }),
        response: { 200: orderDeliveriesSchema },
      },
    },
    async (req) => deliveries.deleteDelivery(req.ctx, req.params.id, req.params.deliveryId),
  );
  app.post(
    '/orders/:id/delays',
    {
      schema: {
        tags,
        summary: '登记掉期（原因、新交期、通知客户） Record a delay',
        params: idParam,
        body: delayBody,
        response: { 201: orderDeliveriesSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await deliveries.recordDelay(req.ctx, req.params.id, req.body)),
  );
};
