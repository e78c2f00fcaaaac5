import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createDepartmentBody,
  createUserBody,
  departmentSchema,
  directoryQuery,
  directoryUserSchema,
  idParam,
  listUsersQuery,
  organisationSchema,
  page,
  putOrganisationBody,
  resetPasswordBody,
  updateDepartmentBody,
  updateUserBody,
  userSchema,
} from '../../../common/schemas/platform.js';
import * as service from './service.js';

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const deptTags = ['部门 Departments'];
  const userTags = ['用户 Users'];

  app.get(
    '/organisation',
    {
      schema: {
        tags: deptTags,
        summary: '公司名称 The company’s name',
        response: { 200: organisationSchema },
      },
    },
    async (req) => service.getOrganisation(req.ctx),
  );

  app.put(
    '/organisation',
    {
      schema: {
        tags: deptTags,
        summary: '修改公司名称 Set the company’s name',
        body: putOrganisationBody,
        response: { 200: organisationSchema },
      },
    },
    async (req) => service.putOrganisation(req.ctx, req.body),
  );

  app.get(
    '/departments',
    {
      schema: {
        tags: deptTags,
        summary: '部门列表 All departments',
        response: { 200: z.object({ items: z.array(departmentSchema) }) },
      },
    },
    async (req) => ({ items: await service.listDepartments(req.ctx) }),
  );

  app.post(
    '/departments',
    {
      schema: {
        tags: deptTags,
        summary: '新建部门 Create a department',
        body: createDepartmentBody,
        response: { 201: departmentSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createDepartment(req.ctx, req.body)),
  );

  app.patch(
    '/departments/:id',
    {
      schema: {
        tags: deptTags,
        summary: '修改或停用部门 Change or deactivate a department',
        params: idParam,
        body: updateDepartmentBody,
        response: { 200: departmentSchema },
      },
    },
    async (req) => service.updateDepartment(req.ctx, req.params.id, req.body),
  );

  app.get(
    '/users',
    {
      schema: {
        tags: userTags,
        summary: '用户列表 List users',
        querystring: listUsersQuery,
        response: { 200: page(userSchema) },
      },
    },
    async (req) => service.listUsers(req.ctx, req.query),
  );

  app.get(
    '/directory/users',
    {
      schema: {
        tags: userTags,
        summary: '通讯录：在职同事（供选择负责人、接任者） Directory of active colleagues',
        querystring: directoryQuery,
        response: { 200: z.object({ items: z.array(directoryUserSchema) }) },
      },
    },
    async (req) => ({ items: await service.directory(req.ctx, req.query) }),
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags: userTags,
        summary: '用户详情 One user',
        params: idParam,
        response: { 200: userSchema },
      },
    },
    async (req) => service.getUser(req.ctx, req.params.id),
  );

  app.post(
    '/users',
    {
      schema: {
        tags: userTags,
        summary: '新建用户（初始密码只返回这一次） Create a user (initial password returned once)',
        body: createUserBody,
        response: { 201: z.object({ user: userSchema, initialPassword: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createUser(req.ctx, req.body)),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: userTags,
        summary: '修改、停用或启用用户 Change, deactivate or reactivate a user',
        params: idParam,
        body: updateUserBody,
        response: { 200: userSchema },
      },
    },
    async (req) => service.updateUser(req.ctx, req.params.id, req.body),
  );

  app.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags: userTags,
        summary: '重置密码 Reset the password',
        params: idParam,
        body: resetPasswordBody,
        response: { 200: z.object({ password: z.string() }) },
      },
    },
    async (req) => service.resetPassword(req.ctx, req.params.id, req.body.password),
  );

  app.post(
    '/users/:id/unlock',
    {
      schema: {
        tags: userTags,
        summary: '解除登录锁定 Unlock',
        params: idParam,
        response: { 200: userSchema },
      },
    },
    async (req) => service.unlockUser(req.ctx, req.params.id),
  );
};
