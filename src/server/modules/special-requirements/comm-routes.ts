import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BlobStore } from '../../platform/storage.js';

/** 传达与确认、年度核查、清单修订与导出 Communication, yearly check, list revisions and exports
 * (R-S3, R-S5). Register as `api.register(srCommRoutes, { store: new BlobStore(config.dataDir) })`. */
export const srCommRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (_app, _opts) => {};
