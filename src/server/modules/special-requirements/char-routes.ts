import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BlobStore } from '../../platform/storage.js';

/** 特殊特性与特殊特性符号 Special characteristics and their customer symbols (R-S4).
 * Register as `api.register(srCharRoutes, { store: new BlobStore(config.dataDir) })`. */
export const srCharRoutes: FastifyPluginAsyncZod<{ store: BlobStore }> = async (_app, _opts) => {};
