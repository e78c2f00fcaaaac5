import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** 传达与确认、年度核查、清单修订与导出 Communication, yearly check, list revisions and exports
 * (R-S3, R-S5). */
export const srCommRoutes: FastifyPluginAsyncZod = async (_app) => {};
