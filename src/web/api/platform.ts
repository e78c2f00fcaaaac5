import type { z } from 'zod';
import type {
  ApiToken,
  AuditEntry,
  auditQuery as auditQuerySchema,
  CalendarOverride,
  changePasswordBody,
  createDepartmentBody,
  createdTokenSchema,
  createTokenBody,
  createUserBody,
  DayInfo,
  Department,
  listUsersQuery,
  Me,
  Organisation,
  User,
  updateDepartmentBody,
  updateUserBody,
  VerifyResult,
} from '../../common/schemas/platform';
import { api, apiLanguage, queryString } from './client';

// Typed calls of the platform API. Request types are the zod schemas' *input* types, so
// the client sends exactly what the server parses; responses are the schemas' output types.

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Session {
  user: Me;
  csrfToken: string | null;
}

export type CreateUserInput = z.input<typeof createUserBody>;
export type UpdateUserInput = z.input<typeof updateUserBody>;
export type CreateDepartmentInput = z.input<typeof createDepartmentBody>;
export type UpdateDepartmentInput = z.input<typeof updateDepartmentBody>;
export type ChangePasswordInput = z.input<typeof changePasswordBody>;
export type CreateTokenInput = z.input<typeof createTokenBody>;
export type CreatedToken = z.output<typeof createdTokenSchema>;
export type UserQuery = Omit<z.input<typeof listUsersQuery>, 'cursor' | 'limit'>;
export type AuditQuery = Omit<z.input<typeof auditQuerySchema>, 'cursor' | 'limit'>;

export interface CalendarDays {
  days: DayInfo[];
  statutoryYears: { min: number; max: number };
}

export const authApi = {
  login: (login: string, password: string) => api.post<Session>('/auth/login', { login, password }),
  logout: () => api.post<void>('/auth/logout'),
  me: () => api.get<Session>('/auth/me'),
  changePassword: (body: ChangePasswordInput) => api.post<void>('/auth/password', body),
  listTokens: () => api.get<{ items: ApiToken[] }>('/auth/tokens'),
  createToken: (body: CreateTokenInput) => api.post<CreatedToken>('/auth/tokens', body),
  revokeToken: (id: string) => api.delete(`/auth/tokens/${encodeURIComponent(id)}`),
};

export const orgApi = {
  organisation: () => api.get<Organisation>('/organisation'),
  putOrganisation: (name: string | null) => api.put<Organisation>('/organisation', { name }),
  listDepartments: () => api.get<{ items: Department[] }>('/departments'),
  createDepartment: (body: CreateDepartmentInput) => api.post<Department>('/departments', body),
  updateDepartment: (id: string, body: UpdateDepartmentInput) =>
    api.patch<Department>(`/departments/${encodeURIComponent(id)}`, body),
  listUsers: (query: UserQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<User>>('/users', { ...query, cursor, limit }),
  getUser: (id: string) => api.get<User>(`/users/${encodeURIComponent(id)}`),
  createUser: (body: CreateUserInput) => api.post<{ user: User; initialPassword: string }>('/users', body),
  updateUser: (id: string, body: UpdateUserInput) =>
    api.patch<User>(`/users/${encodeURIComponent(id)}`, body),
  resetPassword: (id: string) =>
    api.post<{ password: string }>(`/users/${encodeURIComponent(id)}/reset-password`, {}),
  unlockUser: (id: string) => api.post<User>(`/users/${encodeURIComponent(id)}/unlock`),
};

export const calendarApi = {
  days: (from: string, to: string, signal?: AbortSignal) =>
    api.get<CalendarDays>('/calendar/days', { from, to }, signal),
  addWorkingDays: (from: string, add: number) =>
    api.get<{ date: string }>('/calendar/working-days', { from, add }),
  listOverrides: () => api.get<{ items: CalendarOverride[] }>('/calendar/overrides'),
  setOverride: (date: string, body: { working: boolean; note: string | null }) =>
    api.put<CalendarOverride>(`/calendar/overrides/${date}`, body),
  deleteOverride: (date: string) => api.delete(`/calendar/overrides/${date}`),
};

export const auditApi = {
  search: (query: AuditQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<AuditEntry>>('/audit', { ...query, cursor, limit }),
  verify: () => api.post<VerifyResult>('/audit/verify'),
  /** A URL the browser downloads with the session cookie; the server streams the file. */
  exportUrl: (query: AuditQuery) => `/api/audit/export.xlsx${queryString({ ...query, lang: apiLanguage() })}`,
};
