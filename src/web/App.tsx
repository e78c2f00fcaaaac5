import { App as AntdApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ReactNode, Suspense } from 'react';
import { createBrowserRouter, RouterProvider, useRouteError } from 'react-router';
import { AuthProvider } from './auth/AuthContext';
import { FullPageSpin, RequireAuth, RequirePermission } from './auth/guards';
import { AppLayout } from './components/AppLayout';
import { CrashResult } from './components/ErrorBoundary';
import { useLang } from './i18n';
import {
  ActionsPage,
  AnalysisPage,
  AnalysisSettingsPage,
  AppraisalDetailPage,
  AppraisalsPage,
  AuditPage,
  BackupsPage,
  CalendarPage,
  CaseDetailPage,
  CaseListPage,
  CaseSettingsPage,
  CaseStatisticsPage,
  ChangePasswordPage,
  CreditRegisterPage,
  CreditSettingsPage,
  CustomerCheckPage,
  CustomerConfigPage,
  CustomerDetailPage,
  CustomerDuplicatesPage,
  CustomerFormPage,
  CustomerHandoverPage,
  CustomerImportPage,
  CustomerListPage,
  DepartmentsPage,
  DisposalDetailPage,
  DisposalsPage,
  DocumentConfigPage,
  DocumentDetailPage,
  DocumentListPage,
  DocumentRegisterImportPage,
  DocumentRegistersPage,
  DocumentSigningPage,
  HoldsPage,
  HomePage,
  IntegrityPage,
  LendingConfigPage,
  LendingDeskPage,
  LendingNewPage,
  LendingRegisterPage,
  LendingRequestPage,
  LendingRequestsPage,
  NotificationsPage,
  OrderDelayedPage,
  OrderDetailPage,
  OrderImportPage,
  OrderListPage,
  OrderPerformancePage,
  OrderSettingsPage,
  ProjectPage,
  RetentionConfigPage,
  RetentionDuePage,
  SalesImportPage,
  SecrecyReviewsPage,
  SrAcknowledgementsPage,
  SrCustomerPage,
  SrDetailPage,
  SrListPage,
  SrSettingsPage,
  StandardChecksPage,
  StatisticsPage,
  SurveyCampaignPage,
  SurveyResponsePage,
  SurveyResultsPage,
  SurveysPage,
  SurveyTemplatesPage,
  TodoPage,
  TokensPage,
  UsersPage,
  VisitSettingsPage,
  VisitsPage,
} from './pages';
import { NotFoundPage } from './pages/errors/NotFoundPage';
import { LoginPage } from './pages/login/LoginPage';

function RouteError() {
  const error = useRouteError();
  return <CrashResult error={error instanceof Error ? error : new Error(String(error))} />;
}

const guarded = (action: string, page: ReactNode) => (
  <RequirePermission action={action}>{page}</RequirePermission>
);

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'admin/users', element: guarded('user.manage', <UsersPage />) },
      { path: 'admin/departments', element: guarded('department.read', <DepartmentsPage />) },
      { path: 'admin/calendar', element: guarded('calendar.read', <CalendarPage />) },
      { path: 'admin/customer-config', element: guarded('customer.configure', <CustomerConfigPage />) },
      { path: 'customers', element: <CustomerListPage /> },
      { path: 'customers/new', element: guarded('customer.create', <CustomerFormPage />) },
      { path: 'customers/import', element: guarded('customer.import', <CustomerImportPage />) },
      { path: 'customers/handover', element: guarded('customer.handover', <CustomerHandoverPage />) },
      { path: 'customers/duplicates', element: guarded('customer.merge', <CustomerDuplicatesPage />) },
      { path: 'customers/check', element: guarded('customer.report', <CustomerCheckPage />) },
      { path: 'customers/:id', element: <CustomerDetailPage /> },
      { path: 'customers/projects/:id', element: <ProjectPage /> },
      { path: 'customers/:id/edit', element: <CustomerFormPage /> },
      { path: 'admin/integrity', element: guarded('integrity.run', <IntegrityPage />) },
      { path: 'admin/backups', element: guarded('system.backup', <BackupsPage />) },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'admin/document-config', element: guarded('document.configure', <DocumentConfigPage />) },
      { path: 'documents', element: <DocumentListPage /> },
      { path: 'documents/registers', element: <DocumentRegistersPage /> },
      { path: 'documents/registers/import', element: <DocumentRegisterImportPage /> },
      { path: 'documents/standard-checks', element: <StandardChecksPage /> },
      { path: 'documents/copies/unsigned', element: <DocumentSigningPage /> },
      { path: 'documents/secrecy-reviews', element: <SecrecyReviewsPage /> },
      { path: 'documents/:id', element: <DocumentDetailPage /> },
      { path: 'retention/due', element: guarded('retention.due', <RetentionDuePage />) },
      { path: 'retention/appraisals', element: <AppraisalsPage /> },
      { path: 'retention/appraisals/:id', element: <AppraisalDetailPage /> },
      { path: 'retention/disposals', element: <DisposalsPage /> },
      { path: 'retention/disposals/:id', element: <DisposalDetailPage /> },
      { path: 'retention/holds', element: guarded('hold.read', <HoldsPage />) },
      { path: 'admin/retention-config', element: guarded('retention.configure', <RetentionConfigPage />) },
      { path: 'lending', element: <LendingRequestsPage /> },
      { path: 'lending/new', element: guarded('lending.request', <LendingNewPage />) },
      { path: 'lending/requests/:id', element: <LendingRequestPage /> },
      { path: 'lending/desk', element: <LendingDeskPage /> },
      { path: 'lending/register', element: guarded('lending.oversee', <LendingRegisterPage />) },
      { path: 'statistics', element: guarded('statistics.read', <StatisticsPage />) },
      { path: 'admin/lending-config', element: guarded('lending.configure', <LendingConfigPage />) },
      { path: 'todo', element: <TodoPage /> },
      { path: 'cases', element: <CaseListPage /> },
      { path: 'cases/settings', element: guarded('case.configure', <CaseSettingsPage />) },
      { path: 'cases/statistics', element: <CaseStatisticsPage /> },
      { path: 'cases/:id', element: <CaseDetailPage /> },
      { path: 'actions', element: <ActionsPage /> },
      { path: 'visits', element: <VisitsPage /> },
      { path: 'visits/settings', element: guarded('visit.configure', <VisitSettingsPage />) },
      { path: 'surveys', element: <SurveysPage /> },
      { path: 'surveys/results', element: guarded('survey.read', <SurveyResultsPage />) },
      { path: 'surveys/templates', element: guarded('survey.manage', <SurveyTemplatesPage />) },
      { path: 'surveys/responses/:id', element: <SurveyResponsePage /> },
      { path: 'surveys/:id', element: <SurveyCampaignPage /> },
      { path: 'special-requirements', element: <SrListPage /> },
      { path: 'special-requirements/acknowledgements', element: <SrAcknowledgementsPage /> },
      { path: 'special-requirements/settings', element: guarded('sr.configure', <SrSettingsPage />) },
      { path: 'special-requirements/customers/:id', element: <SrCustomerPage /> },
      { path: 'special-requirements/:id', element: <SrDetailPage /> },
      { path: 'orders', element: <OrderListPage /> },
      { path: 'orders/settings', element: guarded('order.configure', <OrderSettingsPage />) },
      { path: 'orders/performance', element: <OrderPerformancePage /> },
      { path: 'orders/delayed', element: <OrderDelayedPage /> },
      { path: 'orders/import', element: <OrderImportPage /> },
      { path: 'orders/:id', element: <OrderDetailPage /> },
      { path: 'credit', element: <CreditRegisterPage /> },
      { path: 'credit/settings', element: guarded('credit.configure', <CreditSettingsPage />) },
      { path: 'analysis', element: <AnalysisPage /> },
      { path: 'analysis/import', element: guarded('analysis.import', <SalesImportPage />) },
      { path: 'analysis/settings', element: guarded('analysis.configure', <AnalysisSettingsPage />) },
      { path: 'audit', element: guarded('audit.read', <AuditPage />) },
      { path: 'account/password', element: <ChangePasswordPage /> },
      { path: 'account/tokens', element: <TokensPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

/** Providers (antd locale and theme, messages, session) around the router. */
export function Root() {
  const { lang } = useLang();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1677ff', borderRadius: 6 },
        components: { Layout: { siderBg: '#001529', headerHeight: 56 } },
      }}
      button={{ autoInsertSpace: false }}
    >
      <AntdApp>
        <AuthProvider>
          <Suspense fallback={<FullPageSpin />}>
            <RouterProvider router={router} />
          </Suspense>
        </AuthProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
