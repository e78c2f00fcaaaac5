import {
  CheckSquareOutlined,
  DownOutlined,
  FileTextOutlined,
  GlobalOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  PhoneOutlined,
} from '@ant-design/icons';
import {
  App,
  Avatar,
  Badge,
  Breadcrumb,
  Button,
  Dropdown,
  Layout,
  Menu,
  type MenuProps,
  Space,
  theme,
} from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { casesApi } from '../api/cases';
import { customersApi } from '../api/customers';
import { lendingApi } from '../api/lending';
import { useAuth, useMe } from '../auth/AuthContext';
import { useLang, useT } from '../i18n';
import { prefetchPages } from '../pages';
import { ErrorBoundary } from './ErrorBoundary';
import { NotificationBell } from './NotificationBell';
import { findNav, isGroup, type NavPage, visibleNav } from './nav';
import { PageSpin } from './PageContainer';

const { Sider, Header, Content, Footer } = Layout;
// The quick entry of a complaint or service request, from every page (a phone call is recorded
// while the customer is on the line).
const NewCaseDrawer = lazy(() =>
  import('../pages/cases/NewCaseDrawer').then((m) => ({ default: m.NewCaseDrawer })),
);
const COLLAPSE_KEY = 'kedang.siderCollapsed';

function Logo({ collapsed }: { collapsed: boolean }) {
  const t = useT();
  return (
    <Link
      to="/"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 10,
        height: 64,
        padding: '0 20px',
        color: '#fff',
        overflow: 'hidden',
        whiteSpace: 'nowrap',
      }}
      aria-label={t('app.fullName')}
    >
      <img src="/favicon.svg" alt="" width={32} height={32} style={{ flex: 'none' }} />
      {!collapsed && (
        <span style={{ fontSize: 18, fontWeight: 600, letterSpacing: 1 }}>
          客档
          <span style={{ fontSize: 13, fontWeight: 400, opacity: 0.75, marginLeft: 6 }}>Kedang</span>
        </span>
      )}
    </Link>
  );
}

export function AppLayout() {
  const t = useT();
  const { lang, setLang } = useLang();
  const { can, logout } = useAuth();
  const me = useMe();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSE_KEY) === '1');

  const nav = useMemo(() => visibleNav(can), [can]);
  const current = findNav(location.pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(() => nav.filter(isGroup).map((g) => g.key));

  useEffect(() => {
    const timer = window.setTimeout(prefetchPages, 1500);
    return () => window.clearTimeout(timer);
  }, []);

  // 我的待办 (R-W1): approvals waiting, items to return and to issue, cases to triage, handle and
  // revisit, counted again on each page.
  const [todo, setTodo] = useState(0);
  const [newCase, setNewCase] = useState<'closed' | 'open' | 'mounted'>('closed');
  const recordsCases = can('case.create');
  // biome-ignore lint/correctness/useExhaustiveDependencies: recounted whenever the page changes
  useEffect(() => {
    let live = true;
    Promise.all([
      lendingApi.todo().then((x) => x.approvals + x.toReturn + x.toIssue),
      recordsCases
        ? casesApi
            .todo()
            .then((x) => x.toTriage + x.toHandle + x.toRevisit)
            .catch(() => 0)
        : 0,
      customersApi
        .filingTodo()
        .then((x) => x.pending)
        .catch(() => 0),
    ])
      .then(([a, b, c]) => live && setTodo(a + b + c))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [location.pathname]);

  // The page's one-line description is the entry's tooltip.
  const menuLink = (page: NavPage) => (
    <Link to={page.path} title={page.description ? t(page.description) : undefined}>
      {t(page.label)}
    </Link>
  );
  // A group with a single page the user may open is shown as that page alone.
  const menuItems: MenuProps['items'] = nav.map((entry) =>
    isGroup(entry) && entry.children.length > 1
      ? {
          key: entry.key,
          icon: entry.icon,
          label: t(entry.label),
          children: entry.children.map((c) => ({
            key: c.path,
            icon: c.icon,
            label: menuLink(c),
          })),
        }
      : (() => {
          const page = isGroup(entry) ? (entry.children[0] as NavPage) : entry;
          return {
            key: page.path,
            icon: page.icon,
            label: menuLink(page),
          };
        })(),
  );

  const toggle = () => {
    setCollapsed((c) => {
      localStorage.setItem(COLLAPSE_KEY, c ? '0' : '1');
      return !c;
    });
  };

  const userMenu: MenuProps = {
    items: [
      {
        key: 'todo',
        icon: <CheckSquareOutlined />,
        label: (
          <Space>
            {t('header.todo')}
            <Badge count={todo} size="small" />
          </Space>
        ),
      },
      { key: 'password', icon: <LockOutlined />, label: t('nav.password') },
      { key: 'tokens', icon: <KeyOutlined />, label: t('nav.tokens') },
      { key: 'lang', icon: <GlobalOutlined />, label: lang === 'zh' ? 'English' : '中文' },
      { key: 'docs', icon: <FileTextOutlined />, label: t('header.apiDocs') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'todo') navigate('/todo');
      else if (key === 'password') navigate('/account/password');
      else if (key === 'tokens') navigate('/account/tokens');
      else if (key === 'lang') setLang(lang === 'zh' ? 'en' : 'zh');
      else if (key === 'docs') window.open('/api/docs', '_blank', 'noopener');
      else if (key === 'logout') {
        logout().then(() => {
          message.success(t('header.loggedOut'));
          navigate('/login', { replace: true });
        });
      }
    },
  };

  const breadcrumbItems = [
    { title: <Link to="/">{t('app.name')}</Link> },
    ...(current?.group ? [{ title: t(current.group.label) }] : []),
    ...(current ? [{ title: t(current.page.label) }] : []),
    ...(!current ? [{ title: t('nav.notFound') }] : []),
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} trigger={null} width={216} collapsedWidth={72}>
        {/* The dark column runs the page's full height; its content stays in view while scrolling. */}
        <div style={{ position: 'sticky', top: 0, maxHeight: '100vh', overflowY: 'auto' }}>
          <Logo collapsed={collapsed} />
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={current ? [current.page.path] : []}
            openKeys={collapsed ? undefined : openKeys}
            onOpenChange={(keys) => setOpenKeys(keys as string[])}
            items={menuItems}
          />
        </div>
      </Sider>
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            padding: '0 16px 0 8px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={toggle}
            aria-label={collapsed ? t('header.expand') : t('header.collapse')}
            style={{ fontSize: 16, width: 48, height: 48 }}
          />
          <Breadcrumb items={breadcrumbItems} style={{ flex: 1, minWidth: 0 }} />
          {recordsCases && (
            <Button icon={<PhoneOutlined />} onClick={() => setNewCase('open')} data-testid="new-case">
              {t('cases.new.button')}
            </Button>
          )}
          <NotificationBell />
          <Dropdown menu={userMenu} placement="bottomRight" trigger={['click']}>
            <Button type="text" style={{ height: 48 }} data-testid="user-menu">
              <Space size={8}>
                <Badge count={todo} size="small" data-testid="todo-count">
                  <Avatar size="small" style={{ background: token.colorPrimary }}>
                    {me.name.slice(0, 1)}
                  </Avatar>
                </Badge>
                <span>{me.name}</span>
                <DownOutlined style={{ fontSize: 10 }} />
              </Space>
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ margin: 16, minWidth: 0 }}>
          <ErrorBoundary key={location.pathname}>
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Content>
        {newCase !== 'closed' && (
          <Suspense fallback={null}>
            <NewCaseDrawer
              open={newCase === 'open'}
              onClose={() => setNewCase('mounted')}
              onSaved={(c) => {
                setNewCase('mounted');
                navigate(`/cases/${c.id}`);
              }}
            />
          </Suspense>
        )}
        <Footer style={{ textAlign: 'center', padding: '8px 16px 16px', color: token.colorTextTertiary }}>
          {t('app.copyright')}
        </Footer>
      </Layout>
    </Layout>
  );
}
