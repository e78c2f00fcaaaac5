import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { type Location, Navigate, useLocation, useNavigate } from 'react-router';
import { errorText } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { FullPageSpin } from '../../auth/guards';
import { useLang, useT } from '../../i18n';

interface LoginForm {
  login: string;
  password: string;
}

/** Where to go after signing in: the page the user asked for, never back to /login. */
function destination(location: Location): string {
  const from = (location.state as { from?: Location } | null)?.from;
  if (!from || from.pathname === '/login') return '/';
  return `${from.pathname}${from.search}${from.hash}`;
}

export function AuthShell({ children }: { children: React.ReactNode }) {
  const t = useT();
  const { lang, setLang } = useLang();
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 24,
        background: 'linear-gradient(135deg, #e6f4ff 0%, #f0f5ff 45%, #f5f5f5 100%)',
        position: 'relative',
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        style={{ position: 'absolute', top: 16, right: 16 }}
        onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      >
        {lang === 'zh' ? 'English' : '中文'}
      </Button>
      {children}
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        {t('app.copyright')}
      </Typography.Text>
    </div>
  );
}

export function Brand() {
  const t = useT();
  return (
    <Flex vertical align="center" gap={8} style={{ marginBottom: 24 }}>
      <Flex align="center" gap={12}>
        <img src="/favicon.svg" alt="" width={44} height={44} />
        <Typography.Title level={2} style={{ margin: 0, letterSpacing: 2 }}>
          客档
          <span style={{ fontSize: 18, fontWeight: 400, marginLeft: 8, color: 'rgba(0,0,0,0.45)' }}>
            Kedang
          </span>
        </Typography.Title>
      </Flex>
      <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
    </Flex>
  );
}

export function LoginPage() {
  const t = useT();
  const { message } = App.useApp();
  const { status, login, signedOutReason } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [form] = Form.useForm<LoginForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t('login.title')} - ${t('app.fullName')}`;
  }, [t]);

  if (status === 'loading') return <FullPageSpin />;
  if (status === 'authenticated' && !submitting) return <Navigate to={destination(location)} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const me = await login(values.login, values.password);
      message.success(t('login.welcomeBack', { name: me.name }));
      navigate(destination(location), { replace: true });
    } catch (e) {
      setError(errorText(e));
      form.setFieldValue('password', '');
      form.focusField('password');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthShell>
      <Card style={{ width: 400, maxWidth: '100%' }} styles={{ body: { padding: '36px 32px 28px' } }}>
        <Brand />
        {(error || signedOutReason) && (
          <Alert
            type={error ? 'error' : 'info'}
            showIcon
            title={error ?? signedOutReason}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<LoginForm>
          name="login"
          form={form}
          size="large"
          onFinish={onFinish}
          requiredMark={false}
          autoComplete="on"
        >
          <Form.Item
            name="login"
            rules={[{ required: true, whitespace: true, message: t('login.loginPlaceholder') }]}
          >
            <Input
              prefix={<UserOutlined />}
              placeholder={t('login.login')}
              aria-label={t('login.login')}
              autoComplete="username"
              autoFocus
            />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: t('login.passwordPlaceholder') }]}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t('login.password')}
              aria-label={t('login.password')}
              autoComplete="current-password"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              {t('login.submit')}
            </Button>
          </Form.Item>
        </Form>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('login.hint')}
        </Typography.Text>
      </Card>
    </AuthShell>
  );
}
