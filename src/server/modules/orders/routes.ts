import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  amendmentBody,
  amendmentReviewBody,
  amendmentSignBody,
} from '../../../common/schemas/order-amendments.js';
import {
  approveBody,
  classOverrideBody,
  createOrderBody,
  exportOrdersQuery,
  listOrdersQuery,
  orderNoteBody,
  orderReasonBody,
  orderReviewBody,
  orderSchema,
  orderSettingsBody,
  orderSettingsSchema,
  orderSummarySchema,
  orderTodoSchema,
  updateOrderBody,
} from '../../../common/schemas/orders.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import { sendCsv } from '../../platform/csv.js';
import type { BlobStore } from '../../platform/storage.js';
import { fileDay, sendXlsx } from '../../platform/xlsx.js';
import * as amendments from './amendments.js';
import * as config from './config.js';
import { deliveryRoutes } from './delivery-routes.js';
import * as exports from './export.js';
import * as service from './service.js';
import * as workflow from './workflow.js';

const tags = ['订单与合同评审 Orders and contract review'];
const id = z.string().min(1).max(64);

/** 订单与合同评审 Orders, their classification, the departments' reviews and the signature
 * (R-K1 … R-K3). */
export const orderRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (app, opts) => {
  const { store } = opts;
  app.get(
    '/orders/config',
    { schema: { tags, summary: '订单设置 Settings', response: { 200: orderSettingsSchema } } },
    async (req) => config.getOrderSettings(req.ctx),
  );
  app.put(
    '/orders/config',
    {
      schema: {
        tags,
        summary: '修改订单设置 Change the settings',
        body: orderSettingsBody,
        response: { 200: orderSettingsSchema },
      },
    },
    async (req) => config.putOrderSettings(req.ctx, req.body),
  );
  app.get(
    '/orders/todo',
    { schema: { tags, summary: '我的待办：订单评审 My to-dos', response: { 200: orderTodoSchema } } },
    async (req) => service.orderTodo(req.ctx),
  );
  app.get(
    '/orders',
    {
      schema: {
        tags,
        summary: '订单/合同列表 Orders',
        querystring: listOrdersQuery,
        response: { 200: page(orderSummarySchema) },
      },
    },
    async (req) => service.listOrders(req.ctx, req.query),
  );
  app.get(
    '/orders/export.xlsx',
    { schema: { tags, summary: '导出订单/合同台帐 (.xlsx)', querystring: exportOrdersQuery } },
    async (req, reply) => {
      const body = await exports.exportXlsx(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendXlsx(reply, body, `订单合同台帐-${day}.xlsx`, `orders-${day}.xlsx`);
    },
  );
  app.get(
    '/orders/export.csv',
    { schema: { tags, summary: '导出订单/合同台帐 (CSV)', querystring: exportOrdersQuery } },
    async (req, reply) => {
      const body = await exports.exportCsv(req.ctx, req.query);
      const day = fileDay(req.ctx.now());
      return sendCsv(reply, body, `订单合同台帐-${day}.csv`, `orders-${day}.csv`);
    },
  );
  app.post(
    '/orders',
    {
      schema: {
        tags,
        summary: '登记订单/合同 Register',
        body: createOrderBody,
        response: { 201: orderSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createOrder(req.ctx, req.body)),
  );
  app.get(
    '/orders/:id',
    { schema: { tags, summary: '订单详情 An order', params: idParam, response: { 200: orderSchema } } },
    async (req) => service.getOrder(req.ctx, req.params.id),
  );
  app.patch(
    '/orders/:id',
    {
      schema: {
        tags,
        summary: '修改草稿（保留修改记录） Change a draft',
        params: idParam,
        body: updateOrderBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => service.updateOrder(req.ctx, req.params.id, req.body),
  );
  app.put(
    '/orders/:id/class',
    {
      schema: {
        tags,
        summary: '调整常规/非常规分类（须说明理由） Override the class',
        params: idParam,
        body: classOverrideBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => service.overrideClass(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/orders/:id/submit',
    {
      schema: {
        tags,
        summary: '提交评审 Submit for review',
        params: idParam,
        body: orderNoteBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => workflow.submitOrder(req.ctx, req.params.id, req.body.note),
  );
  app.put(
    '/orders/:id/reviews/:deptId',
    {
      schema: {
        tags,
        summary: '部门评审意见（会签） A department’s review',
        params: z.object({ id, deptId: id }),
        body: orderReviewBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => workflow.reviewOrder(req.ctx, req.params.id, req.params.deptId, req.body),
  );
  app.post(
    '/orders/:id/approve',
    {
      schema: {
        tags,
        summary: '签署：接受或不接受 Sign: accept or reject',
        params: idParam,
        body: approveBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => workflow.approveOrder(req.ctx, req.params.id, req.body, store),
  );
  app.post(
    '/orders/:id/withdraw',
    {
      schema: {
        tags,
        summary: '撤回评审（回到草稿） Withdraw to draft',
        params: idParam,
        body: orderNoteBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => workflow.withdrawOrder(req.ctx, req.params.id, req.body.note),
  );
  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        tags,
        summary: '取消 Cancel',
        params: idParam,
        body: orderReasonBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => workflow.cancelOrder(req.ctx, req.params.id, req.body.reason),
  );
  // Amendments of an accepted order (合同更改, R-K4).
  app.post(
    '/orders/:id/amendments',
    {
      schema: {
        tags,
        summary: '提出合同变更（再次评审） Propose an amendment',
        params: idParam,
        body: amendmentBody,
        response: { 201: orderSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await amendments.proposeAmendment(req.ctx, req.params.id, req.body)),
  );
  app.put(
    '/orders/:id/amendments/:aid/reviews/:deptId',
    {
      schema: {
        tags,
        summary: '部门评审合同变更 A department’s review of an amendment',
        params: z.object({ id, aid: id, deptId: id }),
        body: amendmentReviewBody,
        response: { 200: orderSchema },
      },
    },
    async (req) =>
      amendments.reviewAmendment(req.ctx, req.params.id, req.params.aid, req.params.deptId, req.body),
  );
  app.post(
    '/orders/:id/amendments/:aid/sign',
    {
      schema: {
        tags,
        summary: '签署合同变更：生效或不通过 Sign an amendment',
        params: z.object({ id, aid: id }),
        body: amendmentSignBody,
        response: { 200: orderSchema },
      },
    },
    async (req) => amendments.signAmendment(req.ctx, req.params.id, req.params.aid, req.body),
  );
  app.post(
    '/orders/:id/amendments/:aid/acknowledge',
    {
      schema: {
        tags,
        summary: '确认收到合同更改通知单 Acknowledge the change notice',
        params: z.object({ id, aid: id }),
        response: { 200: orderSchema },
      },
    },
    async (req) => amendments.acknowledgeAmendment(req.ctx, req.params.id, req.params.aid),
  );
  // Deliveries, 准时交付率 and 掉期订单 (R-K5).
  await app.register(deliveryRoutes);
};
