import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changePasswordBody,
  createdTokenSchema,
  createTokenBody,
  idParam,
  loginBody,
  sessionResponse,
  tokenSchema,
} from '../../../common/schemas/platform.js';
import { SESSION_COOKIE } from '../../platform/auth.js';
import * as service from './service.js';

export interface AuthRouteOptions {
  sessionHours: number;
  loginRateLimit: number;
}

const tags = ['认证 Auth'];

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, opts) => {
  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags, summary: '登录 Sign in', body: loginBody, response: { 200: sessionResponse } },
    },
    async (req, reply) => {
      const result = await service.login(
        req.ctx,
        { ...req.body, userAgent: req.headers['user-agent'] ?? null },
        opts.sessionHours,
      );
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
      });
      req.ctx.actor = result.actor;
      return { user: await service.me(req.ctx), csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { allowPendingPasswordChange: true },
      schema: { tags, summary: '退出登录 Sign out', response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.logout(req.ctx, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { allowPendingPasswordChange: true },
      schema: { tags, summary: '当前用户 Current user', response: { 200: sessionResponse } },
    },
    async (req) => ({ user: await service.me(req.ctx), csrfToken: req.csrfToken }),
  );

  app.post(
    '/auth/password',
    {
      config: { allowPendingPasswordChange: true },
      schema: {
        tags,
        summary: '修改密码 Change password',
        body: changePasswordBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await service.changePassword(req.ctx, req.body, req.sessionId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/tokens',
    {
      schema: {
        tags,
        summary: '我的 API 令牌 My API tokens',
        response: { 200: z.object({ items: z.array(tokenSchema) }) },
      },
    },
    async (req) => ({ items: await service.listTokens(req.ctx) }),
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        tags,
        summary: '创建 API 令牌（令牌只显示这一次） Create an API token (shown once)',
        body: createTokenBody,
        response: { 201: createdTokenSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createToken(req.ctx, req.body)),
  );

  app.delete(
    '/auth/tokens/:id',
    {
      schema: {
        tags,
        summary: '吊销 API 令牌 Revoke an API token',
        params: idParam,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await service.revokeToken(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
};
