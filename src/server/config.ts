import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// Every environment variable the server reads is declared here, and documented in README.md.
const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().optional(),
  KEDANG_DATA_DIR: z.string().default('./data'),
  KEDANG_ADMIN_PASSWORD: z.string().optional(),
  KEDANG_SESSION_HOURS: z.coerce.number().positive().default(12),
  KEDANG_TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  KEDANG_BODY_LIMIT_KB: z.coerce.number().int().positive().default(1024),
  KEDANG_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  KEDANG_IMPORT_MAX_MB: z.coerce.number().int().positive().default(100),
  KEDANG_UPLOAD_MAX_MB: z.coerce.number().int().positive().default(512),
  KEDANG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KEDANG_SCHEDULER: z.enum(['on', 'off']).default('on'),
  KEDANG_SMTP_URL: z.string().optional(),
  KEDANG_MAIL_FROM: z.string().default('客档 Kedang <kedang@localhost>'),
  KEDANG_PUBLIC_URL: z.string().optional(),
  /** Seconds between looks at the mail outbox. */
  KEDANG_MAIL_INTERVAL: z.coerce.number().int().min(1).max(3600).default(15),
  // Encryption at rest (platform/blob-crypto.ts reads them, at each use): 32 bytes as base64 or
  // hex, inline or in a file; the old key only while a rotation is done.
  KEDANG_MASTER_KEY: z.string().optional(),
  KEDANG_MASTER_KEY_FILE: z.string().optional(),
  KEDANG_OLD_MASTER_KEY: z.string().optional(),
  KEDANG_OLD_MASTER_KEY_FILE: z.string().optional(),
});

export interface Config {
  host: string;
  port: number;
  /** `postgres://…` for PostgreSQL; absent for the embedded SQLite file in the data directory. */
  databaseUrl: string | undefined;
  dataDir: string;
  adminPassword: string | undefined;
  sessionHours: number;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** Login attempts per IP address per minute. */
  loginRateLimit: number;
  /** Largest spreadsheet accepted for an import. */
  importMaxBytes: number;
  /** Largest document file accepted for an upload. */
  uploadMaxBytes: number;
  logLevel: string;
  /** Whether `kedang serve` runs the daily tasks (integrity check, backup). */
  scheduler: boolean;
  /** Notifications by e-mail too, when an SMTP server is given (R-W2). */
  mail: { smtpUrl: string; from: string; publicUrl: string; intervalMs: number } | null;
  /** Directory holding the built web app (index.html); absent in API-only tests. */
  webDir: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.KEDANG_DATA_DIR),
    adminPassword: e.KEDANG_ADMIN_PASSWORD || undefined,
    sessionHours: e.KEDANG_SESSION_HOURS,
    trustProxy: e.KEDANG_TRUST_PROXY,
    bodyLimitBytes: e.KEDANG_BODY_LIMIT_KB * 1024,
    loginRateLimit: e.KEDANG_LOGIN_RATE_LIMIT,
    importMaxBytes: e.KEDANG_IMPORT_MAX_MB * 1024 * 1024,
    uploadMaxBytes: e.KEDANG_UPLOAD_MAX_MB * 1024 * 1024,
    logLevel: e.KEDANG_LOG_LEVEL,
    scheduler: e.KEDANG_SCHEDULER === 'on',
    mail: e.KEDANG_SMTP_URL
      ? {
          smtpUrl: e.KEDANG_SMTP_URL,
          from: e.KEDANG_MAIL_FROM,
          publicUrl: e.KEDANG_PUBLIC_URL || `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`,
          intervalMs: e.KEDANG_MAIL_INTERVAL * 1000,
        }
      : null,
    // Beside the sources, wherever the command is started from.
    webDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
  };
}
