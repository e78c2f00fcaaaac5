import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Lang } from '../../common/enums.js';
import {
  type ErrorCode,
  errorMessage,
  type FieldError,
  formatMessage,
  type Problem,
} from '../../common/errors.js';
import { isIllFormedText } from '../../common/text.js';
import { FIELD_MESSAGES, localizeIssue } from '../../common/validation.js';
import type { Db } from '../db/index.js';
import { appendAudit } from './audit/chain.js';
import { CSRF_HEADER, loadActor, SESSION_COOKIE, sha256 } from './auth.js';
import type { Actor, Ctx } from './context.js';
import { DomainError, FieldErrors } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
    /** Hash of the session cookie when the request is authenticated by a session. */
    sessionId: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (login, health). */
    public?: boolean;
    /** Reachable while the user still has to change an initial password. */
    allowPendingPasswordChange?: boolean;
  }
}

export function languageOf(req: FastifyRequest): Lang {
  // Downloads opened as plain links cannot set headers; `?lang=en` stands in for them.
  const param = (req.query as { lang?: unknown } | undefined)?.lang;
  if (param === 'en' || param === 'zh') return param;
  const header = req.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** Request validation failure from a zod schema, carrying the raw issues for localization. */
export class RequestValidationError extends Error {
  statusCode = 400;
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super('request validation failed');
  }
}

export function problem(
  req: FastifyRequest,
  status: number,
  code: ErrorCode,
  params: Record<string, unknown> = {},
  errors?: FieldError[],
): Problem {
  const lang = req.ctx?.lang ?? languageOf(req);
  return {
    type: `urn:kedang:error:${code}`,
    title: errorMessage(code, lang, params),
    status,
    code,
    instance: req.url.split('?')[0],
    requestId: req.id,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json; charset=utf-8').send(p);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_INTERVAL_MS = 60_000;

export interface HttpOptions {
  db: Db;
  now: () => Date;
  sessionHours: number;
  bodyLimitBytes: number;
}

/** Builds the per-request context and resolves who is calling (session cookie or Bearer token). */
export function registerAuthentication(app: FastifyInstance, opts: HttpOptions): void {
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (req) => {
    req.ctx = {
      db: opts.db,
      actor: null,
      now: opts.now,
      requestId: req.id,
      ip: req.ip,
      lang: languageOf(req),
    };
    const route = req.routeOptions.url;
    // The API documentation pages come from a plugin whose routes we do not declare.
    if (!req.url.startsWith('/api/') || route === undefined || route.startsWith('/api/docs')) return;
    const config = req.routeOptions.config;
    const authorization = req.headers.authorization;
    let actor: Actor | null = null;
    let sentCredentials = false;
    if (authorization?.toLowerCase().startsWith('bearer ')) {
      sentCredentials = true;
      actor = await actorFromToken(opts, authorization.slice(7).trim());
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        sentCredentials = true;
        const found = await actorFromSession(opts, cookie);
        if (found) {
          actor = found.actor;
          req.sessionId = found.sessionId;
          req.csrfToken = found.csrfToken;
          // Cookies ride along on cross-site requests; a write must also prove it came from
          // our own page, which alone can read the token.
          if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== found.csrfToken) {
            throw new DomainError('csrf_failed', 403);
          }
        }
      }
    }
    req.ctx.actor = actor;
    if (config.public) return;
    if (!actor)
      throw new DomainError(
        !sentCredentials
          ? 'unauthenticated'
          : req.sessionId === null && authorization
            ? 'token_invalid'
            : 'session_expired',
        401,
      );
    if (actor.mustChangePassword && !config.allowPendingPasswordChange) {
      throw new DomainError('password_change_required', 403);
    }
  });
}

async function actorFromSession(
  opts: HttpOptions,
  cookie: string,
): Promise<{ actor: Actor; sessionId: string; csrfToken: string } | null> {
  const id = sha256(cookie);
  const session = await opts.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!session) return null;
  const now = opts.now();
  if (session.expires_at <= now.toISOString()) {
    await opts.db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  const actor = await loadActor(opts.db, session.user_id, 'session');
  if (!actor) return null;
  // Sliding expiry, written at most once a minute to keep reads cheap.
  if (now.getTime() - Date.parse(session.last_seen_at) > TOUCH_INTERVAL_MS) {
    await opts.db
      .updateTable('sessions')
      .set({
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + opts.sessionHours * 3_600_000).toISOString(),
      })
      .where('id', '=', id)
      .execute();
  }
  return { actor, sessionId: id, csrfToken: session.csrf_token };
}

async function actorFromToken(opts: HttpOptions, raw: string): Promise<Actor | null> {
  if (!raw) return null;
  const token = await opts.db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256(raw))
    .executeTakeFirst();
  const now = opts.now();
  if (!token || token.revoked_at || (token.expires_at && token.expires_at <= now.toISOString())) return null;
  const actor = await loadActor(opts.db, token.user_id, 'token');
  if (!actor) return null;
  if (!token.last_used_at || now.getTime() - Date.parse(token.last_used_at) > TOUCH_INTERVAL_MS) {
    await opts.db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', token.id)
      .execute();
  }
  // A token acts for its owner, but never with a pending password change blocking it.
  return { ...actor, mustChangePassword: false };
}

interface FastifyLikeError extends Error {
  code?: string;
  statusCode?: number;
  validation?: unknown;
}

/** Every error becomes problem+json; unexpected ones are logged and never leak details. */
export function registerErrorHandling(app: FastifyInstance, opts: HttpOptions): void {
  app.setErrorHandler(async (error: FastifyLikeError, req, reply) => {
    if (error instanceof FieldErrors) {
      const lang = req.ctx?.lang ?? languageOf(req);
      const errors = error.problems.map((p) => ({
        field: p.field,
        code: p.key,
        message: formatMessage(FIELD_MESSAGES[p.key][lang], p.params),
      }));
      return sendProblem(reply, problem(req, error.status, error.code, error.params, errors));
    }
    if (error instanceof DomainError) {
      if (error.denied && req.ctx?.actor) {
        await appendAudit(req.ctx, {
          action: error.denied.action,
          targetType: error.denied.targetType ?? null,
          targetId: error.denied.targetId ?? null,
          ...(error.denied.secrecy === undefined ? {} : { secrecy: error.denied.secrecy }),
          outcome: 'denied',
          details: { method: req.method, url: req.url.split('?')[0] },
        }).catch((e) => req.log.error(e, 'could not audit a denied request'));
      }
      const lang = req.ctx?.lang ?? languageOf(req);
      const errors = error.field
        ? [{ field: error.field, code: error.code, message: errorMessage(error.code, lang, error.params) }]
        : undefined;
      if (error.status === 429 && typeof error.params.retryAfter === 'number') {
        reply.header('retry-after', String(error.params.retryAfter));
      }
      return sendProblem(reply, problem(req, error.status, error.code, error.params, errors));
    }
    if (error instanceof RequestValidationError) {
      const lang = req.ctx?.lang ?? languageOf(req);
      const part = (error as { validationContext?: string }).validationContext;
      const errors = error.issues.map((i) => {
        const fe = localizeIssue(i, lang);
        // Query-string and path problems name their part, so `limit` is not mistaken for a body field.
        return part && part !== 'body' ? { ...fe, field: fe.field ? `${part}.${fe.field}` : part } : fe;
      });
      return sendProblem(reply, problem(req, 400, 'validation_failed', {}, errors));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(
          reply,
          problem(req, 413, 'body_too_large', { limit: formatBytes(opts.bodyLimitBytes) }),
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, problem(req, 415, 'unsupported_media_type'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, problem(req, 400, 'malformed_json'));
    }
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return sendProblem(reply, problem(req, 400, 'malformed_json'));
    }
    if (error.statusCode === 404) return sendProblem(reply, problem(req, 404, 'not_found'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      req.log.info({ err: error }, 'client error');
      return sendProblem(reply, problem(req, error.statusCode, 'validation_failed'));
    }
    req.log.error({ err: error }, 'unhandled error');
    const unavailable = isConnectionError(error);
    return sendProblem(
      reply,
      problem(req, unavailable ? 503 : 500, unavailable ? 'database_unavailable' : 'internal_error', {
        requestId: req.id,
      }),
    );
  });
}

/**
 * The errors Fastify answers itself, before any hook or route runs — a path that is not valid
 * percent-encoding, a path parameter beyond the router's limit: problem+json like every other
 * error, with the security headers the helmet hook would have set.
 */
export function frameworkErrorHandler(
  setSecurityHeaders: (req: IncomingMessage, res: ServerResponse) => void,
): (error: FastifyLikeError, req: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, req, reply) => {
    setSecurityHeaders(req.raw, reply.raw);
    // No hook runs for these: the API's caching rule is applied here too.
    reply.header('cache-control', 'no-store');
    req.log.info({ err: error }, 'malformed request');
    return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? sendProblem(reply, problem(req, 414, 'url_too_long'))
      : sendProblem(reply, problem(req, 400, 'malformed_url'));
  };
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request — a header with a byte no header
 * may hold, a request line and headers beyond the size limit — answered on the socket as
 * problem+json with the security headers and no-store, not as Node's bare "Client Error".
 */
export function clientErrorHandler(
  setSecurityHeaders: (req: IncomingMessage, res: ServerResponse) => void,
): (error: Error & { code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const code: ErrorCode = status === 431 ? 'headers_too_large' : 'malformed_request';
    const body = JSON.stringify({
      type: `urn:kedang:error:${code}`,
      title: errorMessage(code, 'zh'),
      status,
      code,
    });
    const headers: Record<string, string> = {};
    const res = {
      setHeader: (name: string, value: string) => {
        headers[name.toLowerCase()] = String(value);
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      removeHeader: (name: string) => {
        delete headers[name.toLowerCase()];
      },
    };
    setSecurityHeaders({ headers: {} } as IncomingMessage, res as unknown as ServerResponse);
    const lines = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'content-type: application/problem+json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'cache-control: no-store',
      'connection: close',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  };
}

export function routeNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(
    reply,
    problem(req, 404, 'route_not_found', { method: req.method, url: req.url.split('?')[0] }),
  );
}

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return [
    'ECONNREFUSED',
    'ENOTFOUND',
    'ETIMEDOUT',
    'ECONNRESET',
    '57P01',
    '57P03',
    'SQLITE_CANTOPEN',
  ].includes(code);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}

// Keyset pagination ----------------------------------------------------------------------

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The kinds of value a cursor carries back: text the server put there (ids, instants, dates,
 * codes, names) and integer keys (search keys, sequence numbers). A cursor is made by the client
 * as far as the server knows, so each value is checked before it reaches a query.
 */
export const cursorValue = {
  text: z
    .string()
    .max(500)
    .refine((s) => !isIllFormedText(s)),
  key: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
};

/**
 * The values of a keyset cursor, checked against the route's tuple of kinds; 400
 * `invalid_cursor` for anything else (wrong encoding, arity or type), so that no hand-made value
 * reaches SQL.
 */
export function decodeCursor<T extends [z.ZodType, ...z.ZodType[]]>(
  cursor: string | undefined,
  ...shape: T
): z.output<z.ZodTuple<T, null>> | null {
  if (!cursor) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new DomainError('invalid_cursor', 400, {}, 'cursor');
  }
  const parsed = z.tuple(shape).safeParse(values);
  if (!parsed.success) throw new DomainError('invalid_cursor', 400, {}, 'cursor');
  return parsed.data;
}

/** Content-Disposition for a download: an ASCII fallback name and the real (Chinese) one. Names
 * come from uploads: a quote or backslash would end or escape the quoted fallback (a second
 * `filename=` smuggled in), and `'()*` are not allowed unencoded in `filename*` (RFC 8187). */
export function attachment(name: string, asciiFallback: string, disposition = 'attachment'): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
