import { lazy } from 'react';

// Each page is its own chunk. After sign-in the layout fetches them in the background, so
// that moving between pages does not wait for the network.
const loaders = {
  home: () => import('./home/HomePage'),
  users: () => import('./admin/UsersPage'),
  departments: () => import('./admin/DepartmentsPage'),
  calendar: () => import('./admin/calendar/CalendarPage'),
  audit: () => import('./audit/AuditPage'),
  password: () => import('./account/ChangePasswordPage'),
  tokens: () => import('./account/TokensPage'),
};

export const HomePage = lazy(loaders.home);
export const UsersPage = lazy(loaders.users);
export const DepartmentsPage = lazy(loaders.departments);
export const CalendarPage = lazy(loaders.calendar);
export const AuditPage = lazy(loaders.audit);
export const ChangePasswordPage = lazy(loaders.password);
export const TokensPage = lazy(loaders.tokens);

export function prefetchPages(): void {
  for (const load of Object.values(loaders)) load().catch(() => {});
}
