import { ROLES, type Role, secrecyFromRank } from '../../../common/enums.js';
import type { Department, User } from '../../../common/schemas/platform.js';
import type { Db } from '../../db/index.js';
import type { DepartmentTable, UserTable } from '../../db/types.js';
import { likePattern } from '../../platform/sql.js';

// SQL for departments and users. No rules here: the service decides, this file reads and writes.

export function toDepartment(r: DepartmentTable & { user_count: number | string | null }): Department {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    code: r.code,
    sortOrder: r.sort_order,
    active: r.active === 1,
    userCount: Number(r.user_count ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Departments with their number of active users. */
function departmentQuery(db: Db) {
  return db
    .selectFrom('departments as d')
    .selectAll('d')
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.department_id', '=', 'd.id')
        .where('u.active', '=', 1)
        .as('user_count'),
    );
}

export async function listDepartments(db: Db): Promise<Department[]> {
  const rows = await departmentQuery(db).orderBy('d.sort_order').orderBy('d.name').execute();
  return rows.map(toDepartment);
}

export async function getDepartment(db: Db, id: string): Promise<Department | undefined> {
  const row = await departmentQuery(db).where('d.id', '=', id).executeTakeFirst();
  return row ? toDepartment(row) : undefined;
}

export async function findSiblingByName(db: Db, parentId: string | null, name: string, exceptId?: string) {
  let q = db.selectFrom('departments').select('id').where('name', '=', name);
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
}

export async function findDepartmentByCode(db: Db, code: string, exceptId?: string) {
  let q = db.selectFrom('departments').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
}

/** Ids of the department and all departments below it. */
export async function descendantIds(db: Db, id: string): Promise<string[]> {
  const rows = await db
    .withRecursive('tree(id)', (qb) =>
      qb
        .selectFrom('departments')
        .select('id')
        .where('id', '=', id)
        .unionAll((q) =>
          q.selectFrom('departments as d').innerJoin('tree', 'tree.id', 'd.parent_id').select('d.id'),
        ),
    )
    .selectFrom('tree')
    .select('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function countActiveChildren(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('departments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Users ----------------------------------------------------------------------------------

type UserRow = UserTable & { department_name: string | null };

function userQuery(db: Db) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .selectAll('u')
    .select('d.name as department_name');
}

async function attachRoles(db: Db, rows: UserRow[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const roleRows = await db
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where(
      'user_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const byUser = new Map<string, Role[]>();
  for (const r of roleRows) {
    if (!(ROLES as readonly string[]).includes(r.role)) continue;
    const list = byUser.get(r.user_id) ?? [];
    list.push(r.role as Role);
    byUser.set(r.user_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    email: r.email,
    phone: r.phone,
    departmentId: r.department_id,
    departmentName: r.department_name,
    roles: (byUser.get(r.id) ?? []).sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b)),
    clearance: secrecyFromRank(r.clearance),
    active: r.active === 1,
    mustChangePassword: r.must_change_password === 1,
    lockedUntil: r.locked_until,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const row = await userQuery(db).where('u.id', '=', id).executeTakeFirst();
  return row ? (await attachRoles(db, [row]))[0] : undefined;
}

export interface UserFilter {
  q?: string | undefined;
  departmentIds?: string[] | undefined;
  ids?: string[] | undefined;
  role?: Role | undefined;
  active?: boolean | undefined;
  afterLogin?: string | undefined;
  limit: number;
}

/** Users ordered by login, keyset-paginated on the unique login. */
export async function listUsers(db: Db, f: UserFilter): Promise<User[]> {
  let q = userQuery(db);
  if (f.q) {
    const like = likePattern(f.q.toLowerCase());
    q = q.where((eb) => eb.or([eb('u.login', 'like', like), eb(eb.fn('lower', ['u.name']), 'like', like)]));
  }
  // An unknown department has no descendants: match nothing (an empty IN list is an error on PostgreSQL).
  if (f.departmentIds) q = q.where('u.department_id', 'in', f.departmentIds.length ? f.departmentIds : ['']);
  if (f.ids) q = q.where('u.id', 'in', f.ids.length ? f.ids : ['']);
  if (f.role) {
    const role = f.role;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_roles as r')
          .select('r.user_id')
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.role', '=', role),
      ),
    );
  }
  if (f.active !== undefined) q = q.where('u.active', '=', f.active ? 1 : 0);
  if (f.afterLogin) q = q.where('u.login', '>', f.afterLogin);
  const rows = await q.orderBy('u.login').limit(f.limit).execute();
  return attachRoles(db, rows);
}

export async function countActiveAdmins(db: Db, exceptUserId?: string): Promise<number> {
  let q = db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.role', '=', 'admin')
    .where('u.active', '=', 1);
  if (exceptUserId) q = q.where('u.id', '!=', exceptUserId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setRoles(db: Db, userId: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length) {
    await db
      .insertInto('user_roles')
      .values([...new Set(roles)].map((role) => ({ user_id: userId, role })))
      .execute();
  }
}
