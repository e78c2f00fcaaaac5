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
  customers: () => import('./customers/CustomerListPage'),
  customer: () => import('./customers/CustomerDetailPage'),
  customerForm: () => import('./customers/CustomerFormPage'),
  customerImport: () => import('./customers/ImportPage'),
  customerHandover: () => import('./customers/HandoverPage'),
  customerDuplicates: () => import('./customers/DuplicatesPage'),
  customerCheck: () => import('./customers/CheckPage'),
  customerConfig: () => import('./customers/config/CustomerConfigPage'),
  documents: () => import('./documents/DocumentListPage'),
  document: () => import('./documents/DocumentDetailPage'),
  documentConfig: () => import('./documents/CategoryConfigPage'),
  documentRegisters: () => import('./documents/RegistersPage'),
  integrity: () => import('./admin/IntegrityPage'),
  retentionDue: () => import('./retention/DuePage'),
  appraisals: () => import('./retention/AppraisalsPage'),
  appraisal: () => import('./retention/AppraisalDetailPage'),
  disposals: () => import('./retention/DisposalsPage'),
  disposal: () => import('./retention/DisposalDetailPage'),
  holds: () => import('./retention/HoldsPage'),
  retentionConfig: () => import('./retention/RetentionConfigPage'),
  lendingNew: () => import('./lending/NewRequestPage'),
  lendingRequests: () => import('./lending/RequestsPage'),
  lendingRequest: () => import('./lending/RequestDetailPage'),
  lendingDesk: () => import('./lending/DeskPage'),
  lendingRegister: () => import('./lending/RegisterPage'),
  lendingConfig: () => import('./lending/LendingConfigPage'),
  todo: () => import('./lending/TodoPage'),
  cases: () => import('./cases/CaseListPage'),
  case: () => import('./cases/CaseDetailPage'),
  caseSettings: () => import('./cases/CaseSettingsPage'),
  caseStatistics: () => import('./cases/CaseStatisticsPage'),
  actions: () => import('./actions/ActionsPage'),
  visits: () => import('./visits/VisitsPage'),
  visitSettings: () => import('./visits/VisitSettingsPage'),
  backups: () => import('./admin/backups/BackupsPage'),
  notifications: () => import('./notifications/NotificationsPage'),
};

export const HomePage = lazy(loaders.home);
export const UsersPage = lazy(loaders.users);
export const DepartmentsPage = lazy(loaders.departments);
export const CalendarPage = lazy(loaders.calendar);
export const AuditPage = lazy(loaders.audit);
export const ChangePasswordPage = lazy(loaders.password);
export const TokensPage = lazy(loaders.tokens);
export const CustomerListPage = lazy(loaders.customers);
export const CustomerDetailPage = lazy(loaders.customer);
export const CustomerFormPage = lazy(loaders.customerForm);
export const CustomerImportPage = lazy(loaders.customerImport);
export const CustomerHandoverPage = lazy(loaders.customerHandover);
export const CustomerDuplicatesPage = lazy(loaders.customerDuplicates);
export const CustomerCheckPage = lazy(loaders.customerCheck);
export const CustomerConfigPage = lazy(loaders.customerConfig);
export const DocumentListPage = lazy(loaders.documents);
export const DocumentDetailPage = lazy(loaders.document);
export const DocumentConfigPage = lazy(loaders.documentConfig);
export const DocumentRegistersPage = lazy(loaders.documentRegisters);
export const IntegrityPage = lazy(loaders.integrity);
export const RetentionDuePage = lazy(loaders.retentionDue);
export const AppraisalsPage = lazy(loaders.appraisals);
export const AppraisalDetailPage = lazy(loaders.appraisal);
export const DisposalsPage = lazy(loaders.disposals);
export const DisposalDetailPage = lazy(loaders.disposal);
export const HoldsPage = lazy(loaders.holds);
export const RetentionConfigPage = lazy(loaders.retentionConfig);
export const LendingNewPage = lazy(loaders.lendingNew);
export const LendingRequestsPage = lazy(loaders.lendingRequests);
export const LendingRequestPage = lazy(loaders.lendingRequest);
export const LendingDeskPage = lazy(loaders.lendingDesk);
export const LendingRegisterPage = lazy(loaders.lendingRegister);
export const LendingConfigPage = lazy(loaders.lendingConfig);
export const TodoPage = lazy(loaders.todo);
export const CaseListPage = lazy(loaders.cases);
export const CaseDetailPage = lazy(loaders.case);
export const CaseSettingsPage = lazy(loaders.caseSettings);
export const CaseStatisticsPage = lazy(loaders.caseStatistics);
export const ActionsPage = lazy(loaders.actions);
export const BackupsPage = lazy(loaders.backups);
export const NotificationsPage = lazy(loaders.notifications);

export function prefetchPages(): void {
  for (const load of Object.values(loaders)) load().catch(() => {});
}
export const VisitsPage = lazy(loaders.visits);
export const VisitSettingsPage = lazy(loaders.visitSettings);
