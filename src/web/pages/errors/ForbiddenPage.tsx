import { Button, Result } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../../i18n';

export function ForbiddenPage() {
  const t = useT();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = `${t('error.forbiddenTitle')} - ${t('app.fullName')}`;
  }, [t]);
  return (
    <Result
      status="403"
      title={t('error.forbiddenTitle')}
      subTitle={t('error.forbiddenSub')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}
