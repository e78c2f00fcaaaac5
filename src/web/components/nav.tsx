import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  DashboardOutlined,
  KeyOutlined,
  LockOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n';

// The navigation tree: the side menu, the breadcrumbs and the home page's quick links all
// come from here. `permission` is a policy action from `me.permissions`.

export interface NavPage {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  permission?: string;
  /** One-line description for the home page's quick links. */
  description?: MessageKey;
}

export interface NavGroup {
  key: string;
  label: MessageKey;
  icon: ReactNode;
  children: NavPage[];
}

export type NavEntry = NavPage | NavGroup;

export const NAV: NavEntry[] = [
  { path: '/', label: 'nav.home', icon: <DashboardOutlined /> },
  {
    key: 'system',
    label: 'nav.system',
    icon: <SettingOutlined />,
    children: [
      {
        path: '/admin/users',
        label: 'nav.users',
        icon: <TeamOutlined />,
        permission: 'user.manage',
        description: 'home.link.users',
      },
      {
        path: '/admin/departments',
        label: 'nav.departments',
        icon: <ApartmentOutlined />,
        permission: 'department.manage',
        description: 'home.link.departments',
      },
      {
        path: '/admin/calendar',
        label: 'nav.calendar',
        icon: <CalendarOutlined />,
        permission: 'calendar.read',
        description: 'home.link.calendar',
      },
    ],
  },
  {
    path: '/audit',
    label: 'nav.audit',
    icon: <AuditOutlined />,
    permission: 'audit.read',
    description: 'home.link.audit',
  },
  {
    key: 'account',
    label: 'nav.account',
    icon: <UserOutlined />,
    children: [
      {
        path: '/account/password',
        label: 'nav.password',
        icon: <LockOutlined />,
        description: 'home.link.password',
      },
      {
        path: '/account/tokens',
        label: 'nav.tokens',
        icon: <KeyOutlined />,
        description: 'home.link.tokens',
      },
    ],
  },
];

export function isGroup(entry: NavEntry): entry is NavGroup {
  return 'children' in entry;
}

/** The menu entries this user may see (groups without a visible page disappear). */
export function visibleNav(can: (action: string) => boolean): NavEntry[] {
  const allowed = (p: NavPage) => !p.permission || can(p.permission);
  const out: NavEntry[] = [];
  for (const entry of NAV) {
    if (isGroup(entry)) {
      const children = entry.children.filter(allowed);
      if (children.length) out.push({ ...entry, children });
    } else if (allowed(entry)) {
      out.push(entry);
    }
  }
  return out;
}

/** Pages with their group, for breadcrumbs: `/admin/users` → [系统管理, 用户管理]. */
export function findNav(pathname: string): { group: NavGroup | null; page: NavPage } | null {
  for (const entry of NAV) {
    if (isGroup(entry)) {
      const page = entry.children.find((c) => c.path === pathname);
      if (page) return { group: entry, page };
    } else if (entry.path === pathname) {
      return { group: null, page: entry };
    }
  }
  return null;
}

export function allPages(entries: NavEntry[]): NavPage[] {
  return entries.flatMap((e) => (isGroup(e) ? e.children : [e]));
}
