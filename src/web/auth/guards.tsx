import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useT } from '../i18n';
import { ForcedPasswordPage } from '../pages/account/ForcedPasswordPage';
import { ForbiddenPage } from '../pages/errors/ForbiddenPage';
import { useAuth } from './AuthContext';

export function FullPageSpin() {
  const t = useT();
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

/** Everything behind it needs a signed-in user who has changed the initial password. */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const { status, me, startError, refresh } = useAuth();
  const location = useLocation();
  const t = useT();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') {
    return (
      <Result
        status="500"
        title={startError?.title ?? t('common.networkError')}
        extra={
          <Button type="primary" onClick={() => refresh().catch(() => {})}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (status === 'anonymous' || !me) {
    return <Navigate to="/login" replace state={{ from: location }} />;
  }
  if (me.mustChangePassword) return <ForcedPasswordPage />;
  return children ?? <Outlet />;
}

/** Shows a 403 page instead of the children when the user lacks the policy action. */
export function RequirePermission({ action, children }: { action: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(action) ? children : <ForbiddenPage />;
}
