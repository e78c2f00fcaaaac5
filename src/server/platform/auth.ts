import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ROLES, type Role } from '../../common/enums.js';
import type { Db } from '../db/index.js';
import type { Actor } from './context.js';

// Credentials: argon2id password hashes; random session and API tokens of which only the
// SHA-256 is stored, so a copy of the database lets nobody sign in.

export const SESSION_COOKIE = 'kedang_session';
export const CSRF_HEADER = 'x-csrf-token';
export const TOKEN_PREFIX = 'kd_';
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against a real hash keeps the timing of "no such user" like "wrong password".
let dummyHash: Promise<string> | undefined;
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hash('kedang-dummy-password-0');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Random initial password that satisfies the password rule (letters and digits). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 14)}${(bytes[0] ?? 0) % 10}${alphabet[(bytes[1] ?? 0) % 24]}`;
}

/** Loads an active user as an actor, with roles; null when missing or deactivated. */
export async function loadActor(db: Db, userId: string, via: Actor['via']): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'login', 'name', 'department_id', 'clearance', 'active', 'must_change_password'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (user?.active !== 1) return null;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return {
    id: user.id,
    login: user.login,
    name: user.name,
    departmentId: user.department_id,
    roles: roles.map((r) => r.role).filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    clearance: user.clearance,
    via,
    mustChangePassword: user.must_change_password === 1,
  };
}
