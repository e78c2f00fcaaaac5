import { LogoutOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { AuthShell, Brand } from '../login/LoginPage';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown on every route while `me.mustChangePassword`: nothing else but signing out. */
export function ForcedPasswordPage() {
  const t = useT();
  const me = useMe();
  const { refresh, logout } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t('password.forcedTitle')} - ${t('app.fullName')}`;
  }, [t]);

  return (
    <AuthShell>
      <Card style={{ width: 440, maxWidth: '100%' }} styles={{ body: { padding: '32px 32px 24px' } }}>
        <Brand />
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('password.forcedTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('password.forcedIntro', { name: me.name })}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <ChangePasswordForm
          block
          onError={setError}
          onDone={async () => {
            setError(null);
            message.success(t('password.changed'));
            await refresh();
            navigate('/', { replace: true });
          }}
        />
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button
            type="link"
            icon={<LogoutOutlined />}
            onClick={() => logout().then(() => navigate('/login', { replace: true }))}
          >
            {t('header.logout')}
          </Button>
        </div>
      </Card>
    </AuthShell>
  );
}
