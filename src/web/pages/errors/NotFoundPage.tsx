import { Button, Result } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../../i18n';

export function NotFoundPage() {
  const t = useT();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = `${t('error.notFoundTitle')} - ${t('app.fullName')}`;
  }, [t]);
  return (
    <Result
      status="404"
      title={t('error.notFoundTitle')}
      subTitle={t('error.notFoundSub')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}
