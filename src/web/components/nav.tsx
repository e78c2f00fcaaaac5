import {
  AccountBookOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudServerOutlined,
  ContainerOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FileExclamationOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  FormOutlined,
  HourglassOutlined,
  ImportOutlined,
  InboxOutlined,
  IssuesCloseOutlined,
  KeyOutlined,
  LineChartOutlined,
  LockOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  PhoneOutlined,
  ProfileOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SmileOutlined,
  SolutionOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
  UploadOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n';

// The navigation tree: the side menu and the breadcrumbs come from here (the home page is the
// dashboard; every page is reached through this menu). `permission` is a policy action from `me.permissions`.

export interface NavPage {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  permission?: string;
  /** One line on what the page is for: the menu entry's tooltip. */
  description?: MessageKey;
  /** Pages below this path without their own entry (a customer, its edit form) belong to it. */
  covers?: boolean;
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
    key: 'customers',
    label: 'nav.customers',
    icon: <ContainerOutlined />,
    children: [
      {
        path: '/customers',
        label: 'nav.customerList',
        icon: <ProfileOutlined />,
        description: 'home.link.customers',
        covers: true,
      },
      {
        path: '/visits',
        label: 'nav.visits',
        icon: <PhoneOutlined />,
        description: 'home.link.visits',
      },
      {
        path: '/visits/settings',
        label: 'nav.visitSettings',
        icon: <ScheduleOutlined />,
        permission: 'visit.configure',
        description: 'home.link.visitSettings',
      },
      {
        path: '/surveys',
        label: 'nav.surveys',
        icon: <SmileOutlined />,
        description: 'home.link.surveys',
        covers: true,
      },
      {
        path: '/surveys/results',
        label: 'nav.surveyResults',
        icon: <LineChartOutlined />,
        permission: 'survey.read',
        description: 'home.link.surveyResults',
      },
      {
        path: '/surveys/templates',
        label: 'nav.surveyTemplates',
        icon: <FormOutlined />,
        permission: 'survey.manage',
        description: 'home.link.surveyTemplates',
      },
      {
        path: '/special-requirements',
        label: 'nav.specialRequirements',
        icon: <FileExclamationOutlined />,
        description: 'home.link.specialRequirements',
        covers: true,
      },
      {
        path: '/special-requirements/acknowledgements',
        label: 'nav.srAcknowledgements',
        icon: <IssuesCloseOutlined />,
        description: 'home.link.srAcknowledgements',
      },
      {
        path: '/special-requirements/settings',
        label: 'nav.srSettings',
        icon: <ControlOutlined />,
        permission: 'sr.configure',
        description: 'home.link.srSettings',
      },
      {
        path: '/orders',
        label: 'nav.orders',
        icon: <AccountBookOutlined />,
        description: 'home.link.orders',
        covers: true,
      },
      {
        path: '/orders/performance',
        label: 'nav.orderPerformance',
        icon: <LineChartOutlined />,
        description: 'home.link.orderPerformance',
      },
      {
        path: '/orders/delayed',
        label: 'nav.orderDelayed',
        icon: <FieldTimeOutlined />,
        description: 'home.link.orderDelayed',
      },
      {
        path: '/orders/import',
        label: 'nav.orderImport',
        icon: <UploadOutlined />,
        // Whoever may register orders (mayCreateOrder); each row is checked against its archive.
        permission: 'customer.create',
        description: 'home.link.orderImport',
      },
      {
        path: '/orders/settings',
        label: 'nav.orderSettings',
        icon: <ControlOutlined />,
        permission: 'order.configure',
        description: 'home.link.orderSettings',
      },
      {
        path: '/credit',
        label: 'nav.credit',
        icon: <SafetyCertificateOutlined />,
        description: 'home.link.credit',
        covers: true,
      },
      {
        path: '/credit/settings',
        label: 'nav.creditSettings',
        icon: <ControlOutlined />,
        permission: 'credit.configure',
        description: 'home.link.creditSettings',
      },
      {
        path: '/analysis',
        label: 'nav.analysis',
        icon: <BarChartOutlined />,
        description: 'home.link.analysis',
      },
      {
        path: '/analysis/import',
        label: 'nav.analysisImport',
        icon: <ImportOutlined />,
        permission: 'analysis.import',
        description: 'home.link.analysisImport',
      },
      {
        path: '/analysis/settings',
        label: 'nav.analysisSettings',
        icon: <ControlOutlined />,
        permission: 'analysis.configure',
        description: 'home.link.analysisSettings',
      },
      {
        path: '/customers/import',
        label: 'nav.customerImport',
        icon: <ImportOutlined />,
        permission: 'customer.import',
        description: 'home.link.customerImport',
      },
      {
        path: '/customers/handover',
        label: 'nav.customerHandover',
        icon: <SwapOutlined />,
        permission: 'customer.handover',
        description: 'home.link.customerHandover',
      },
      {
        path: '/customers/duplicates',
        label: 'nav.customerDuplicates',
        icon: <MergeCellsOutlined />,
        permission: 'customer.merge',
        description: 'home.link.customerDuplicates',
      },
      {
        path: '/customers/check',
        label: 'nav.customerCheck',
        icon: <FileSearchOutlined />,
        permission: 'customer.report',
        description: 'home.link.customerCheck',
      },
    ],
  },
  {
    key: 'cases',
    label: 'nav.cases',
    icon: <CustomerServiceOutlined />,
    children: [
      {
        path: '/cases',
        label: 'nav.caseList',
        icon: <MessageOutlined />,
        description: 'home.link.cases',
        covers: true,
      },
      {
        path: '/cases/statistics',
        label: 'nav.caseStatistics',
        icon: <BarChartOutlined />,
        description: 'home.link.caseStatistics',
      },
      {
        path: '/actions',
        label: 'nav.actions',
        icon: <FileDoneOutlined />,
        description: 'home.link.actions',
      },
      {
        path: '/cases/settings',
        label: 'nav.caseSettings',
        icon: <ControlOutlined />,
        permission: 'case.configure',
        description: 'home.link.caseSettings',
      },
    ],
  },
  {
    key: 'documents',
    label: 'nav.documents',
    icon: <FolderOpenOutlined />,
    children: [
      {
        path: '/documents',
        label: 'nav.documentList',
        icon: <FileTextOutlined />,
        description: 'home.link.documents',
        covers: true,
      },
      {
        path: '/documents/registers',
        label: 'nav.documentRegisters',
        icon: <BookOutlined />,
        description: 'home.link.documentRegisters',
      },
      {
        path: '/documents/registers/import',
        label: 'nav.documentRegisterImport',
        icon: <UploadOutlined />,
        permission: 'document.create',
        description: 'home.link.documentRegisterImport',
      },
      {
        path: '/documents/standard-checks',
        label: 'nav.standardChecks',
        icon: <SafetyCertificateOutlined />,
        description: 'home.link.standardChecks',
      },
      {
        path: '/documents/copies/unsigned',
        label: 'nav.documentSigning',
        icon: <BookOutlined />,
        description: 'home.link.documentSigning',
      },
      {
        path: '/documents/secrecy-reviews',
        label: 'nav.secrecyReviews',
        icon: <SafetyOutlined />,
        permission: 'document.secrecy_review',
        description: 'home.link.secrecyReviews',
      },
    ],
  },
  {
    key: 'lending',
    label: 'nav.lending',
    icon: <ReadOutlined />,
    children: [
      {
        path: '/todo',
        label: 'nav.todo',
        icon: <CheckSquareOutlined />,
        description: 'home.link.todo',
      },
      {
        path: '/lending/new',
        label: 'nav.lendingNew',
        icon: <FileSearchOutlined />,
        permission: 'lending.request',
        description: 'home.link.lendingNew',
      },
      {
        path: '/lending',
        label: 'nav.lendingRequests',
        icon: <SolutionOutlined />,
        description: 'home.link.lendingRequests',
        covers: true,
      },
      {
        path: '/lending/desk',
        label: 'nav.lendingDesk',
        icon: <InboxOutlined />,
        description: 'home.link.lendingDesk',
      },
      {
        path: '/lending/register',
        label: 'nav.lendingRegister',
        icon: <BookOutlined />,
        permission: 'lending.oversee',
        description: 'home.link.lendingRegister',
      },
      {
        path: '/statistics',
        label: 'nav.statistics',
        icon: <BarChartOutlined />,
        permission: 'statistics.read',
        description: 'home.link.statistics',
      },
    ],
  },
  {
    key: 'retention',
    label: 'nav.retention',
    icon: <HourglassOutlined />,
    children: [
      {
        path: '/retention/due',
        label: 'nav.retentionDue',
        icon: <FieldTimeOutlined />,
        permission: 'retention.due',
        description: 'home.link.retentionDue',
      },
      {
        path: '/retention/appraisals',
        label: 'nav.appraisals',
        icon: <AuditOutlined />,
        permission: 'appraisal.read',
        description: 'home.link.appraisals',
        covers: true,
      },
      {
        path: '/retention/disposals',
        label: 'nav.disposals',
        icon: <FileProtectOutlined />,
        permission: 'disposal.read',
        description: 'home.link.disposals',
        covers: true,
      },
      {
        path: '/retention/holds',
        label: 'nav.holds',
        icon: <LockOutlined />,
        permission: 'hold.read',
        description: 'home.link.holds',
      },
    ],
  },
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
      {
        path: '/admin/customer-config',
        label: 'nav.customerConfig',
        icon: <ControlOutlined />,
        permission: 'customer.configure',
        description: 'home.link.customerConfig',
      },
      {
        path: '/admin/integrity',
        label: 'nav.integrity',
        icon: <SafetyCertificateOutlined />,
        permission: 'integrity.run',
        description: 'home.link.integrity',
      },
      {
        path: '/admin/lending-config',
        label: 'nav.lendingConfig',
        icon: <SolutionOutlined />,
        permission: 'lending.configure',
        description: 'home.link.lendingConfig',
      },
      {
        path: '/admin/retention-config',
        label: 'nav.retentionConfig',
        icon: <FileProtectOutlined />,
        permission: 'retention.configure',
        description: 'home.link.retentionConfig',
      },
      {
        path: '/admin/backups',
        label: 'nav.backups',
        icon: <CloudServerOutlined />,
        permission: 'system.backup',
        description: 'home.link.backups',
      },
      {
        path: '/admin/document-config',
        label: 'nav.documentConfig',
        icon: <TagsOutlined />,
        permission: 'document.configure',
        description: 'home.link.documentConfig',
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
        path: '/notifications',
        label: 'nav.notifications',
        icon: <BellOutlined />,
        description: 'home.link.notifications',
      },
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
  const exact = (p: NavPage) => p.path === pathname;
  // `/customers/0190…` and `/customers/new` belong to 客户列表.
  const below = (p: NavPage) => !!p.covers && pathname.startsWith(`${p.path}/`);
  for (const match of [exact, below]) {
    for (const entry of NAV) {
      if (isGroup(entry)) {
        const page = entry.children.find(match);
        if (page) return { group: entry, page };
      } else if (match(entry)) {
        return { group: null, page: entry };
      }
    }
  }
  return null;
}
