import { Alert, Button, Result } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { CustomerSrList } from '../../../common/schemas/special-requirements';
import { errorText } from '../../api/client';
import { srApi } from '../../api/special-requirements';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useT } from '../../i18n';
import { CustomerSrTab } from './CustomerSrTab';

/** 顾客特殊要求 of one customer, outside its archive (/special-requirements/customers/:id): quality
 * keeps every customer's list — revisions, yearly check, symbols, characteristics — without
 * seeing the rest of the archive. */
export default function CustomerSrPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [list, setList] = useState<CustomerSrList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    srApi
      .ofCustomer(id)
      .then((l) => {
        setList(l);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [id]);
  if (error && !list)
    return (
      <Result
        status="warning"
        title={error}
        extra={
          <Link to="/special-requirements">
            <Button type="primary">{t('sr.customerPage.back')}</Button>
          </Link>
        }
      />
    );
  if (!list)
    return (
      <PageContainer title={t('sr.customerPage.title')}>
        <PageSpin />
      </PageContainer>
    );
  const c = list.customer;
  return (
    <PageContainer
      title={`${t('sr.customerPage.title')} · ${c.name}`}
      subTitle={
        <span>
          {c.code}
          <Link to={`/customers/${c.id}?tab=special`} style={{ marginLeft: 12 }}>
            {t('sr.openArchive')}
          </Link>
        </span>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('sr.customerPage.intro')} />
      <CustomerSrTab customer={{ id: c.id, name: c.name, archiveCode: c.code }} />
    </PageContainer>
  );
}
