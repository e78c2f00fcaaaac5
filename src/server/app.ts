import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayInShanghai } from '../common/time.js';
import { withToday } from '../common/validation.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/index.js';
import { actionRoutes } from './modules/actions/routes.js';
import { analysisRoutes } from './modules/analysis/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { caseRoutes } from './modules/cases/routes.js';
import { creditRoutes } from './modules/credit/routes.js';
import { projectRoutes } from './modules/customers/project-routes.js';
import { customerRoutes } from './modules/customers/routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { registerImportRoutes } from './modules/documents/register-import-routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { documentFormRoutes, standardRoutes } from './modules/documents/standard-routes.js';
import { integrityRoutes } from './modules/integrity/routes.js';
import { lendingRoutes } from './modules/lending/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { operationsRoutes } from './modules/operations/routes.js';
import { orderImportRoutes } from './modules/orders/import-routes.js';
import { orderRecordRoutes } from './modules/orders/record-routes.js';
import { orderRoutes } from './modules/orders/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { retentionRoutes } from './modules/retention/routes.js';
import { srCharRoutes } from './modules/special-requirements/char-routes.js';
import { srCommRoutes } from './modules/special-requirements/comm-routes.js';
import { srRoutes } from './modules/special-requirements/routes.js';
import { statisticsRoutes } from './modules/statistics/routes.js';
import { publicSurveyRoutes } from './modules/surveys/public.js';
import { surveyResultsRoutes } from './modules/surveys/results-routes.js';
import { surveyRoutes } from './modules/surveys/routes.js';
import { jobRoutes, systemRoutes } from './modules/system/routes.js';
import { visitRoutes } from './modules/visits/routes.js';
import { DomainError } from './platform/errors.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  type HttpOptions,
  RequestValidationError,
  registerAuthentication,
  registerErrorHandling,
  routeNotFound,
} from './platform/http.js';
import { registerInputHygiene } from './platform/input.js';
import { drainJobs } from './platform/jobs.js';
import { BlobStore } from './platform/storage.js';
import { VERSION } from './version.js';

// Chinese validation messages by default; the error handler re-localizes for English readers.
z.config(z.locales.zhCN());

const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      // antd writes its CSS-in-JS into <style> elements.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
  // Served over plain HTTP on a LAN as often as behind TLS; HSTS belongs on the TLS proxy.
  strictTransportSecurity: false,
};

/**
 * The same headers for the errors Fastify answers before any hook runs (a malformed URL), where
 * the helmet hook never gets its turn: helmet itself, as @fastify/helmet loads it.
 */
const setSecurityHeaders: (req: IncomingMessage, res: ServerResponse) => void = (() => {
  const require = createRequire(import.meta.url);
  const helmetOf = createRequire(require.resolve('@fastify/helmet'))('helmet') as (
    options: object,
  ) => (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  const middleware = helmetOf(SECURITY_HEADERS);
  return (req, res) =>
    middleware(req, res, (err) => {
      if (err) throw err;
    });
})();

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** Injected clock, so deadlines and lockouts are testable. */
  now?: () => Date;
  logger?: boolean;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const now = opts.now ?? (() => new Date());
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => randomBytes(6).toString('hex'),
    frameworkErrors: frameworkErrorHandler(setSecurityHeaders),
    clientErrorHandler: clientErrorHandler(setSecurityHeaders),
  });

  app.setValidatorCompiler(({ schema }) => (data: unknown) => {
    // Date bounds count from the server's clock (injected in tests), not the computer's.
    const result = withToday(todayInShanghai(now()), () =>
      (schema as z.ZodType).safeParse(data, { reportInput: true }),
    );
    return result.success
      ? { value: result.data }
      : { error: new RequestValidationError(result.error.issues) };
  });
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(helmet, SECURITY_HEADERS);
  // Nothing the API answers is for a cache — record data, errors, downloads and exports may land
  // on a shared computer or pass a proxy. The web app's own files keep their caching.
  app.addHook('onSend', async (req, reply) => {
    if (isApiUrl(req.url) && !String(reply.getHeader('cache-control') ?? '').includes('no-store'))
      reply.header('cache-control', 'no-store');
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new DomainError('rate_limited', 429, { seconds, retryAfter: seconds });
    },
  });

  await app.register(multipart, { limits: { fileSize: config.importMaxBytes, files: 1, fields: 10 } });
  app.addHook('onClose', drainJobs);

  const http: HttpOptions = {
    db: database.db,
    now,
    sessionHours: config.sessionHours,
    bodyLimitBytes: config.bodyLimitBytes,
  };
  registerAuthentication(app, http);
  registerErrorHandling(app, http);
  registerInputHygiene(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Kedang 客档 API',
        version: VERSION,
        description:
          '客户档案与文件控制系统接口。浏览器使用会话 Cookie（写操作需带 X-CSRF-Token）；集成使用个人 API 令牌：`Authorization: Bearer kd_…`。\n\n' +
          'Errors are RFC 9457 problem+json with a stable `code`; send `Accept-Language: en` for English messages.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'kedang_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await api.register(systemRoutes, { db: database.db, dialect: database.dialect });
      await api.register(authRoutes, {
        sessionHours: config.sessionHours,
        loginRateLimit: config.loginRateLimit,
      });
      await api.register(orgRoutes);
      await api.register(calendarRoutes);
      await api.register(auditRoutes, { dataDir: config.dataDir });
      await api.register(customerRoutes, {
        dataDir: config.dataDir,
        importMaxBytes: config.importMaxBytes,
        mail: config.mail !== null,
      });
      await api.register(projectRoutes);
      await api.register(documentRoutes, {
        store: new BlobStore(config.dataDir),
        uploadMaxBytes: config.uploadMaxBytes,
      });
      await api.register(standardRoutes);
      await api.register(documentFormRoutes);
      await api.register(registerImportRoutes, {
        dataDir: config.dataDir,
        importMaxBytes: config.importMaxBytes,
      });
      await api.register(integrityRoutes, { dataDir: config.dataDir });
      await api.register(retentionRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(lendingRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(caseRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(visitRoutes);
      await api.register(surveyRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(surveyResultsRoutes);
      await api.register(actionRoutes);
      await api.register(srRoutes);
      await api.register(srCommRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(srCharRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(orderRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(orderRecordRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(creditRoutes, { store: new BlobStore(config.dataDir) });
      await api.register(orderImportRoutes, {
        dataDir: config.dataDir,
        importMaxBytes: config.importMaxBytes,
      });
      await api.register(analysisRoutes, { dataDir: config.dataDir, importMaxBytes: config.importMaxBytes });
      await api.register(statisticsRoutes);
      await api.register(dashboardRoutes);
      await api.register(jobRoutes);
      await api.register(notificationRoutes);
      await api.register(operationsRoutes, { config, database });
    },
    { prefix: '/api' },
  );
  // The customers' one-time survey pages (R-V3), outside /api and the web app; a few times the
  // sign-in limit per address, since one answer takes a page and a post or two.
  await app.register(publicSurveyRoutes, {
    rateLimit: config.loginRateLimit * 3,
    store: new BlobStore(config.dataDir),
  });

  registerWebApp(app, config.webDir);
  return app;
}

const isApiUrl = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

/**
 * Serves the built React app; any other GET outside /api falls back to index.html for client
 * routing. Unknown API routes (and everything when the app is not built) get problem+json.
 */
function registerWebApp(app: FastifyInstance, webDir: string | undefined): void {
  const index = webDir ? path.join(webDir, 'index.html') : undefined;
  if (!webDir || !index || !fs.existsSync(index)) {
    app.setNotFoundHandler(routeNotFound);
    return;
  }
  app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    // Vite puts a content hash in every asset name, so they never change.
    setHeaders: (res, file) => {
      if (file.includes(`${path.sep}assets${path.sep}`)) {
        res.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  const html = fs.readFileSync(index);
  const sendIndex = (reply: FastifyReply) =>
    reply.type('text/html').header('cache-control', 'no-cache').send(html);
  app.get('/', { config: { public: true }, schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api' || req.method !== 'GET')
      return routeNotFound(req, reply);
    return sendIndex(reply);
  });
}
