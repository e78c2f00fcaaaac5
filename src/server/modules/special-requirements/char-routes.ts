import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** 特殊特性与特殊特性符号 Special characteristics and their customer symbols (R-S4). */
export const srCharRoutes: FastifyPluginAsyncZod = async (_app) => {};
