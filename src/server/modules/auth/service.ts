import { secrecyFromRank } from '../../../common/enums.js';
import { type Me, meSchema } from '../../../common/schemas/platform.js';
import { appendAudit } from '../../platform/audit/chain.js';
import {
  hashPassword,
  LOCKOUT_MINUTES,
  loadActor,
  MAX_FAILED_LOGINS,
  randomToken,
  sha256,
  TOKEN_PREFIX,
  verifyPassword,
} from '../../platform/auth.js';
import { type Actor, type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertPasswordAllowed } from '../../platform/passwords.js';
import { authorize, mayEver } from '../../platform/policy/index.js';
import { type Action, RULES } from '../../platform/policy/rules.js';

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  actor: Actor;
}

/**
 * A failed sign-in with a login no account has counts and locks like an account's (5 failures,
 * 15 minutes, `login_failures`): otherwise a lockout answer would tell which logins exist.
 */
async function failUnknown(
  ctx: Ctx,
  login: string,
  now: Date,
  fail: (error: DomainError) => Promise<never>,
): Promise<never> {
  const row = await ctx.db
    .selectFrom('login_failures')
    .selectAll()
    .where('login', '=', login)
    .executeTakeFirst();
  if (row?.locked_until && row.locked_until > now.toISOString())
    return fail(lockedError(row.locked_until, ctx));
  const failures = (row?.locked_until ? 0 : Number(row?.failures ?? 0)) + 1;
  const locks = failures >= MAX_FAILED_LOGINS;
  const lockedUntil = locks ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
  const values = { failures: locks ? 0 : failures, locked_until: lockedUntil, updated_at: now.toISOString() };
  await ctx.db
    .insertInto('login_failures')
    .values({ login, ...values })
    .onConflict((oc) => oc.column('login').doUpdateSet(values))
    .execute();
  return fail(locks ? lockedError(lockedUntil as string, ctx) : new DomainError('invalid_credentials', 401));
}

/**
 * Signs in with login and password. Failures are committed (counter, lockout, audit entry)
 * before the error is thrown, so a rolled-back request cannot erase them.
 */
export async function login(
  ctx: Ctx,
  input: { login: string; password: string; userAgent: string | null },
  sessionHours: number,
): Promise<LoginResult> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'login', 'password_hash', 'active', 'failed_logins', 'locked_until'])
    .where('login', '=', input.login)
    .executeTakeFirst();
  const now = ctx.now();
  const fail = async (reason: string, error: DomainError, extra?: (t: TxCtx) => Promise<void>) => {
    await tx(ctx, async (t) => {
      await extra?.(t);
      await appendAudit(t, {
        action: 'auth.login',
        outcome: 'failure',
        targetType: 'user',
        targetId: user?.id ?? null,
        targetLabel: input.login,
        actor: { id: user?.id ?? null, login: input.login },
        details: { reason },
      });
    });
    throw error;
  };

  // Every attempt costs one password hash, whatever the account's state, so that how long the
  // answer takes tells no more than the answer itself.
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user) return failUnknown(ctx, input.login, now, (error) => fail('unknown_user', error));
  if (user.locked_until && user.locked_until > now.toISOString()) {
    return fail('locked', lockedError(user.locked_until, ctx));
  }
  // A deactivated account answers exactly like a wrong password — the sign-in page must not tell
  // who has left — and its attempts count towards the lockout like any wrong password's.
  if (!ok || user.active !== 1) {
    // A lock that has run out starts a fresh count.
    const previous = user.locked_until ? 0 : user.failed_logins;
    const failures = previous + 1;
    const locks = failures >= MAX_FAILED_LOGINS;
    const lockedUntil = locks ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    return fail(
      user.active !== 1 ? 'inactive' : 'wrong_password',
      locks ? lockedError(lockedUntil as string, ctx) : new DomainError('invalid_credentials', 401),
      async (t) => {
        await t.db
          .updateTable('users')
          .set({ failed_logins: locks ? 0 : failures, locked_until: lockedUntil })
          .where('id', '=', user.id)
          .execute();
        if (locks) {
          await appendAudit(t, {
            action: 'auth.lockout',
            outcome: 'success',
            targetType: 'user',
            targetId: user.id,
            targetLabel: user.login,
            actor: { id: null, login: null },
            details: { failures, lockedUntil },
          });
        }
      },
    );
  }
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  await tx(ctx, async (t) => {
    await t.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() })
      .where('id', '=', user.id)
      .execute();
    await t.db
      .insertInto('sessions')
      .values({
        id: sha256(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + sessionHours * 3_600_000).toISOString(),
        ip: ctx.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await appendAudit(t, {
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      targetLabel: user.login,
      actor: { id: user.id, login: user.login },
    });
  });
  const actor = await loadActor(ctx.db, user.id, 'session');
  // Deactivated in the meantime: still nothing more than a wrong password.
  if (!actor) throw new DomainError('invalid_credentials', 401);
  return { sessionToken, csrfToken, actor };
}

function lockedError(until: string, ctx: Ctx): DomainError {
  const local = new Date(until).toLocaleString(ctx.lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
  });
  return new DomainError('account_locked', 423, { until: local });
}

export async function logout(ctx: Ctx, sessionId: string | null): Promise<void> {
  if (!sessionId || !ctx.actor) return;
  await tx(ctx, async (t) => {
    await t.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await appendAudit(t, {
      action: 'auth.logout',
      targetType: 'user',
      targetId: t.actor?.id,
      targetLabel: t.actor?.login,
    });
  });
}

export async function me(ctx: Ctx): Promise<Me> {
  authorize(ctx, 'account.manage_own');
  const actor = ctx.actor;
  const dept = actor.departmentId
    ? await ctx.db
        .selectFrom('departments')
        .select('name')
        .where('id', '=', actor.departmentId)
        .executeTakeFirst()
    : undefined;
  return meSchema.parse({
    id: actor.id,
    login: actor.login,
    name: actor.name,
    departmentId: actor.departmentId,
    departmentName: dept?.name ?? null,
    roles: actor.roles,
    clearance: secrecyFromRank(actor.clearance),
    mustChangePassword: actor.mustChangePassword,
    permissions: (Object.keys(RULES) as Action[]).filter((a) => mayEver(actor, a)),
  });
}

/** Changes one's own password; every other session of the user is signed out. */
export async function changePassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
  keepSessionId: string | null,
): Promise<void> {
  authorize(ctx, 'account.manage_own');
  const actor = ctx.actor;
  const user = await ctx.db
    .selectFrom('users')
    .select(['password_hash', 'email'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await appendAudit(ctx, {
      action: 'auth.password_change',
      outcome: 'failure',
      targetType: 'user',
      targetId: actor.id,
      targetLabel: actor.login,
      details: { reason: 'wrong_password' },
    });
    throw new DomainError('wrong_password', 422, {}, 'currentPassword');
  }
  if (input.currentPassword === input.newPassword) {
    throw new DomainError('password_reused', 422, {}, 'newPassword');
  }
  await assertPasswordAllowed(input.newPassword, [actor.login, actor.name, user.email], 'newPassword');
  const hash = await hashPassword(input.newPassword);
  await tx(ctx, async (t) => {
    const now = nowIso(t);
    await t.db
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now })
      .where('id', '=', actor.id)
      .execute();
    let others = t.db.deleteFrom('sessions').where('user_id', '=', actor.id);
    if (keepSessionId) others = others.where('id', '!=', keepSessionId);
    await others.execute();
    await appendAudit(t, {
      action: 'auth.password_change',
      targetType: 'user',
      targetId: actor.id,
      targetLabel: actor.login,
    });
  });
}

// Personal API tokens ----------------------------------------------------------------------

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

const toToken = (r: TokenRow) => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function listTokens(ctx: Ctx) {
  authorize(ctx, 'account.manage_own');
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', ctx.actor.id)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toToken);
}

/** Creates a token; its value is returned this once and only its hash is kept. */
export async function createToken(
  ctx: Ctx,
  input: { name: string; expiresInDays?: number | null | undefined },
) {
  authorize(ctx, 'account.manage_own');
  const actor = ctx.actor;
  const token = `${TOKEN_PREFIX}${randomToken(30)}`;
  const now = ctx.now();
  const row: TokenRow & { user_id: string; token_hash: string } = {
    id: newId(),
    user_id: actor.id,
    name: input.name,
    token_hash: sha256(token),
    prefix: token.slice(0, 10),
    created_at: now.toISOString(),
    expires_at: input.expiresInDays
      ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString()
      : null,
    last_used_at: null,
    revoked_at: null,
  };
  await tx(ctx, async (t) => {
    await t.db.insertInto('api_tokens').values(row).execute();
    await appendAudit(t, {
      action: 'auth.token_create',
      targetType: 'api_token',
      targetId: row.id,
      targetLabel: row.name,
      details: { prefix: row.prefix, expiresAt: row.expires_at },
    });
  });
  return { ...toToken(row), token };
}

export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'account.manage_own');
  const actor = ctx.actor;
  await tx(ctx, async (t) => {
    const token = await t.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'revoked_at'])
      .where('id', '=', id)
      .where('user_id', '=', actor.id)
      .executeTakeFirst();
    if (!token) throw notFound();
    if (token.revoked_at) return;
    await t.db
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await appendAudit(t, {
      action: 'auth.token_revoke',
      targetType: 'api_token',
      targetId: id,
      targetLabel: token.name,
    });
  });
}
