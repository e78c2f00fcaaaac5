import { type Role, type SecrecyLevel, secrecyRank } from '../../../common/enums.js';
import type { Department, DirectoryUser, Organisation, User } from '../../../common/schemas/platform.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { hashPassword } from '../../platform/auth.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { conflict, type FieldProblem, invalid, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { companyName, ORGANISATION_PREFIX, storedCompanyName } from '../../platform/organisation.js';
import { assertPasswordAllowed, generateAllowedPassword } from '../../platform/passwords.js';
import { authorize } from '../../platform/policy/index.js';
import { writeSettings } from '../../platform/settings.js';
import { loansOut } from '../customers/handover-items.js';
import { countOwnedCustomers } from '../customers/service.js';
import * as repo from './repo.js';

// Departments (部门) and users: the organisation every rule refers to.

/** Field-by-field differences, for the audit entry of an update. */
function diff<T extends object>(
  before: T,
  after: Partial<T>,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    const old = (before as Record<string, unknown>)[k];
    if (JSON.stringify(old) !== JSON.stringify(v)) out[k] = { from: old, to: v };
  }
  return out;
}

// Departments ------------------------------------------------------------------------------

/** The company's own name (公司名称); anyone signed in reads it. */
export async function getOrganisation(ctx: Ctx): Promise<Organisation> {
  return { name: await storedCompanyName(ctx.db), effectiveName: await companyName(ctx.db) };
}

export async function putOrganisation(ctx: Ctx, input: { name: string | null }): Promise<Organisation> {
  authorize(ctx, 'department.manage', { type: 'system' });
  await tx(ctx, async (t) => {
    const before = await storedCompanyName(t.db);
    await writeSettings(t, ORGANISATION_PREFIX, { name: input.name });
    await appendAudit(t, {
      action: 'organisation.update',
      targetType: 'system',
      details: { from: before, to: input.name },
    });
  });
  return getOrganisation(ctx);
}

export async function listDepartments(ctx: Ctx): Promise<Department[]> {
  authorize(ctx, 'department.read');
  return repo.listDepartments(ctx.db);
}

async function checkParent(t: TxCtx, parentId: string | null): Promise<void> {
  if (!parentId) return;
  const parent = await repo.getDepartment(t.db, parentId);
  if (!parent) throw invalid('not_found', {}, 'parentId');
  if (!parent.active) throw invalid('department_inactive', {}, 'parentId');
}

/** A problem for a form's department field unless the department exists and is active. */
export async function departmentProblem(db: Db, field: string, id: string): Promise<FieldProblem | null> {
  const dept = await db.selectFrom('departments').select('active').where('id', '=', id).executeTakeFirst();
  return dept?.active === 1 ? null : { field, key: 'lookup', params: { value: id } };
}

export async function createDepartment(
  ctx: Ctx,
  input: { name: string; code: string | null; parentId: string | null; sortOrder: number },
): Promise<Department> {
  authorize(ctx, 'department.manage', { type: 'department' });
  return tx(ctx, async (t) => {
    await checkParent(t, input.parentId);
    if (await repo.findSiblingByName(t.db, input.parentId, input.name)) {
      throw conflict('department_name_taken', { name: input.name }, 'name');
    }
    if (input.code && (await repo.findDepartmentByCode(t.db, input.code))) {
      throw conflict('department_code_taken', { code: input.code }, 'code');
    }
    const now = nowIso(t);
    const id = newId();
    await t.db
      .insertInto('departments')
      .values({
        id,
        parent_id: input.parentId,
        name: input.name,
        code: input.code,
        sort_order: input.sortOrder,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(t, {
      action: 'department.create',
      targetType: 'department',
      targetId: id,
      targetLabel: input.name,
      details: { ...input },
    });
    return (await repo.getDepartment(t.db, id)) as Department;
  });
}

export async function updateDepartment(
  ctx: Ctx,
  id: string,
  input: {
    name?: string | undefined;
    code?: string | null | undefined;
    parentId?: string | null | undefined;
    sortOrder?: number | undefined;
    active?: boolean | undefined;
  },
): Promise<Department> {
  authorize(ctx, 'department.manage', { type: 'department', id });
  return tx(ctx, async (t) => {
    const before = await repo.getDepartment(t.db, id);
    if (!before) throw notFound();
    const parentId = input.parentId === undefined ? before.parentId : input.parentId;
    const name = input.name ?? before.name;
    if (input.parentId !== undefined && input.parentId !== before.parentId) {
      await checkParent(t, input.parentId);
      if (input.parentId && (await repo.descendantIds(t.db, id)).includes(input.parentId)) {
        throw invalid('department_cycle', {}, 'parentId');
      }
    }
    if (
      (input.name !== undefined || input.parentId !== undefined) &&
      (await repo.findSiblingByName(t.db, parentId, name, id))
    ) {
      throw conflict('department_name_taken', { name }, 'name');
    }
    if (input.code && (await repo.findDepartmentByCode(t.db, input.code, id))) {
      throw conflict('department_code_taken', { code: input.code }, 'code');
    }
    if (input.active === false && before.active) {
      const children = await repo.countActiveChildren(t.db, id);
      if (before.userCount > 0 || children > 0) {
        throw invalid('department_not_empty', { users: before.userCount, children }, 'active');
      }
    }
    const changes = diff(before, {
      name: input.name,
      code: input.code,
      parentId: input.parentId,
      sortOrder: input.sortOrder,
      active: input.active,
    });
    if (Object.keys(changes).length === 0) return before;
    await t.db
      .updateTable('departments')
      .set({
        name,
        code: input.code === undefined ? before.code : input.code,
        parent_id: parentId,
        sort_order: input.sortOrder ?? before.sortOrder,
        active: (input.active ?? before.active) ? 1 : 0,
        updated_at: nowIso(t),
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(t, {
      action: 'department.update',
      targetType: 'department',
      targetId: id,
      targetLabel: name,
      details: { changes },
    });
    return (await repo.getDepartment(t.db, id)) as Department;
  });
}

// Users --------------------------------------------------------------------------------------

export async function listUsers(
  ctx: Ctx,
  q: {
    q?: string | undefined;
    departmentId?: string | undefined;
    role?: Role | undefined;
    active?: 'true' | 'false' | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: User[]; nextCursor: string | null }> {
  authorize(ctx, 'user.manage', { type: 'user' });
  const after = decodeCursor(q.cursor, cursorValue.text);
  // A department filter includes its sub-departments, as people expect from a tree.
  const departmentIds = q.departmentId ? await repo.descendantIds(ctx.db, q.departmentId) : undefined;
  const items = await repo.listUsers(ctx.db, {
    q: q.q || undefined,
    departmentIds,
    role: q.role,
    active: q.active === undefined ? undefined : q.active === 'true',
    afterLogin: after?.[0],
    limit: q.limit + 1,
  });
  const more = items.length > q.limit;
  const pageItems = more ? items.slice(0, q.limit) : items;
  const last = pageItems.at(-1);
  return { items: pageItems, nextCursor: more && last ? encodeCursor([last.login]) : null };
}

/** Active colleagues by name or login (and ids, to show current choices), for pickers. */
export async function directory(
  ctx: Ctx,
  q: { q?: string | undefined; departmentId?: string | undefined; ids?: string | undefined; limit: number },
): Promise<DirectoryUser[]> {
  authorize(ctx, 'directory.read');
  const ids = q.ids ? q.ids.split(',').filter(Boolean).slice(0, 100) : undefined;
  const users = await repo.listUsers(ctx.db, {
    q: q.q || undefined,
    departmentIds: q.departmentId ? await repo.descendantIds(ctx.db, q.departmentId) : undefined,
    ids,
    active: ids ? undefined : true,
    limit: q.limit,
  });
  return users.map((u) => ({
    id: u.id,
    login: u.login,
    name: u.name,
    departmentId: u.departmentId,
    departmentName: u.departmentName,
  }));
}

export async function getUser(ctx: Ctx, id: string): Promise<User> {
  authorize(ctx, 'user.manage', { type: 'user', id });
  const user = await repo.getUser(ctx.db, id);
  if (!user) throw notFound();
  return user;
}

function checkClearance(ctx: Ctx & { actor: { clearance: number } }, clearance: SecrecyLevel): void {
  if (secrecyRank(clearance) > ctx.actor.clearance) throw invalid('clearance_above_own', {}, 'clearance');
}

async function checkDepartment(t: TxCtx, departmentId: string): Promise<void> {
  const dept = await repo.getDepartment(t.db, departmentId);
  if (!dept) throw invalid('not_found', {}, 'departmentId');
  if (!dept.active) throw invalid('department_inactive', {}, 'departmentId');
}

export async function createUser(
  ctx: Ctx,
  input: {
    login: string;
    name: string;
    email: string | null;
    phone: string | null;
    /** Required by the API; only the first administrator, created by the CLI, may have none. */
    departmentId: string | null;
    roles: Role[];
    clearance: SecrecyLevel;
    password?: string | undefined;
    mustChangePassword?: boolean | undefined;
  },
): Promise<{ user: User; initialPassword: string }> {
  authorize(ctx, 'user.manage', { type: 'user' });
  checkClearance(ctx, input.clearance);
  const personal = [input.login, input.name, input.email];
  if (input.password !== undefined) await assertPasswordAllowed(input.password, personal, 'password');
  const initialPassword = input.password ?? (await generateAllowedPassword(personal));
  const passwordHash = await hashPassword(initialPassword);
  const user = await tx(ctx, async (t) => {
    if (input.departmentId) await checkDepartment(t, input.departmentId);
    const taken = await t.db
      .selectFrom('users')
      .select('id')
      .where('login', '=', input.login)
      .executeTakeFirst();
    if (taken) throw conflict('login_taken', { login: input.login }, 'login');
    const now = nowIso(t);
    const id = newId();
    await t.db
      .insertInto('users')
      .values({
        id,
        login: input.login,
        name: input.name,
        email: input.email,
        phone: input.phone,
        department_id: input.departmentId,
        clearance: secrecyRank(input.clearance),
        active: 1,
        password_hash: passwordHash,
        // Whoever set the password knows it; the user replaces it at first sign-in.
        must_change_password: input.mustChangePassword === false ? 0 : 1,
        failed_logins: 0,
        locked_until: null,
        last_login_at: null,
        password_changed_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await repo.setRoles(t.db, id, input.roles);
    const created = (await repo.getUser(t.db, id)) as User;
    await appendAudit(t, {
      action: 'user.create',
      targetType: 'user',
      targetId: id,
      targetLabel: input.login,
      details: {
        login: created.login,
        name: created.name,
        departmentId: created.departmentId,
        roles: created.roles,
        clearance: created.clearance,
      },
    });
    return created;
  });
  return { user, initialPassword };
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  input: {
    name?: string | undefined;
    email?: string | null | undefined;
    phone?: string | null | undefined;
    departmentId?: string | undefined;
    roles?: Role[] | undefined;
    clearance?: SecrecyLevel | undefined;
    active?: boolean | undefined;
  },
): Promise<User> {
  authorize(ctx, 'user.manage', { type: 'user', id });
  const actor = ctx.actor;
  if (input.clearance) checkClearance(ctx, input.clearance);
  return tx(ctx, async (t) => {
    const before = await repo.getUser(t.db, id);
    if (!before) throw notFound();
    if (input.departmentId && input.departmentId !== before.departmentId)
      await checkDepartment(t, input.departmentId);
    if (input.active === false && id === actor.id) throw invalid('cannot_deactivate_self', {}, 'active');
    if (input.active === false && before.active) {
      // Nobody leaves while customers are still theirs (R-C9): hand them over first.
      // Said without a number: some of them may be above the administrator's clearance (R-P1).
      const owned = await countOwnedCustomers(t.db, id);
      if (owned > 0) throw invalid('user_owns_customers', {}, 'active');
      // Nor with borrowed records still out: they are returned (or lent on) first.
      const out = await loansOut(t.db, id);
      if (out > 0) throw invalid('user_has_loans', { count: out }, 'active');
    }
    const losesAdmin =
      before.roles.includes('admin') &&
      before.active &&
      (input.active === false || (input.roles !== undefined && !input.roles.includes('admin')));
    if (losesAdmin && (await repo.countActiveAdmins(t.db, id)) === 0) {
      throw invalid('last_admin', {}, input.active === false ? 'active' : 'roles');
    }
    const roles = input.roles ? [...new Set(input.roles)].sort() : undefined;
    const changes = diff({ ...before, roles: [...before.roles].sort() }, { ...input, roles });
    if (Object.keys(changes).length === 0) return before;
    await t.db
      .updateTable('users')
      .set({
        name: input.name ?? before.name,
        email: input.email === undefined ? before.email : input.email,
        phone: input.phone === undefined ? before.phone : input.phone,
        department_id: input.departmentId ?? before.departmentId,
        clearance: secrecyRank(input.clearance ?? before.clearance),
        active: (input.active ?? before.active) ? 1 : 0,
        updated_at: nowIso(t),
      })
      .where('id', '=', id)
      .execute();
    if (roles) await repo.setRoles(t.db, id, roles as Role[]);
    await appendAudit(t, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      targetLabel: before.login,
      details: { changes },
    });
    // A deactivated user is signed out everywhere at once, and their API tokens are revoked for
    // good: reactivating the account must not bring a forgotten script's token back to life.
    if (input.active === false && before.active) await signOutEverywhere(t, id, before.login);
    return (await repo.getUser(t.db, id)) as User;
  });
}

/** Ends every session of a user and revokes their API tokens, each revocation audited. */
async function signOutEverywhere(t: TxCtx, userId: string, login: string): Promise<void> {
  const sessions = await t.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  const tokens = await t.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  if (tokens.length)
    await t.db
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso(t) })
      .where(
        'id',
        'in',
        tokens.map((k) => k.id),
      )
      .execute();
  for (const token of tokens) {
    await appendAudit(t, {
      action: 'auth.token_revoke',
      targetType: 'api_token',
      targetId: token.id,
      targetLabel: token.name,
      details: { prefix: token.prefix, userId, login, reason: 'user_deactivated' },
    });
  }
  await appendAudit(t, {
    action: 'user.sign_out',
    targetType: 'user',
    targetId: userId,
    targetLabel: login,
    details: { reason: 'user_deactivated', sessions: Number(sessions.numDeletedRows), tokens: tokens.length },
  });
}

/** Sets a new initial password (given or generated), unlocks and signs the user out. */
export async function resetPassword(ctx: Ctx, id: string, password?: string): Promise<{ password: string }> {
  authorize(ctx, 'user.manage', { type: 'user', id });
  const found = await repo.getUser(ctx.db, id);
  if (!found) throw notFound();
  const personal = [found.login, found.name, found.email];
  if (password !== undefined) await assertPasswordAllowed(password, personal, 'password');
  const next = password ?? (await generateAllowedPassword(personal));
  const hash = await hashPassword(next);
  await tx(ctx, async (t) => {
    const user = await repo.getUser(t.db, id);
    if (!user) throw notFound();
    const now = nowIso(t);
    await t.db
      .updateTable('users')
      .set({
        password_hash: hash,
        must_change_password: 1,
        failed_logins: 0,
        locked_until: null,
        password_changed_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await t.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await appendAudit(t, {
      action: 'user.password_reset',
      targetType: 'user',
      targetId: id,
      targetLabel: user.login,
    });
  });
  return { password: next };
}

export async function unlockUser(ctx: Ctx, id: string): Promise<User> {
  authorize(ctx, 'user.manage', { type: 'user', id });
  return tx(ctx, async (t) => {
    const user = await repo.getUser(t.db, id);
    if (!user) throw notFound();
    await t.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', id)
      .execute();
    await appendAudit(t, {
      action: 'user.unlock',
      targetType: 'user',
      targetId: id,
      targetLabel: user.login,
    });
    return (await repo.getUser(t.db, id)) as User;
  });
}
