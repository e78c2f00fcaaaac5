import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notificationQuery, notificationSchema } from '../../../common/schemas/operations.js';
import { idParam, page } from '../../../common/schemas/platform.js';
import * as service from './service.js';

const tags = ['通知 Notifications'];

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: '我的通知（新的在前） My notifications, newest first',
        querystring: notificationQuery,
        response: { 200: page(notificationSchema) },
      },
    },
    async (req) => service.listNotifications(req.ctx, req.query),
  );
  app.get(
    '/notifications/unread-count',
    {
      schema: {
        tags,
        summary: '未读通知数 Number of unread notifications',
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => service.unreadCount(req.ctx),
  );
  app.post(
    '/notifications/:id/read',
    {
      schema: {
        tags,
        summary: '标为已读 Mark one read',
        params: idParam,
        response: { 200: notificationSchema },
      },
    },
    async (req) => service.markRead(req.ctx, req.params.id),
  );
  app.post(
    '/notifications/read-all',
    {
      schema: {
        tags,
        summary: '全部标为已读 Mark all read',
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => service.markAllRead(req.ctx),
  );
};
