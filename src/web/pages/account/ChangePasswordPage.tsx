import { App, Card, Typography } from 'antd';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';
import { ChangePasswordForm } from './ChangePasswordForm';

export default function ChangePasswordPage() {
  const t = useT();
  const { message } = App.useApp();
  return (
    <PageContainer title={t('password.title')}>
      <Card>
        <div style={{ maxWidth: 420 }}>
          <Typography.Paragraph type="secondary">{t('password.intro')}</Typography.Paragraph>
          <ChangePasswordForm
            onDone={() => {
              message.success(t('password.changed'));
            }}
            onError={(e) => e && message.error(e)}
          />
        </div>
      </Card>
    </PageContainer>
  );
}
