import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Result, Tabs, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LOOKUP_LIST_LABELS, LOOKUP_LISTS, type LookupList } from '../../../../common/customers';
import type { CustomerConfig } from '../../../../common/schemas/customers';
import { errorText } from '../../../api/client';
import { customerConfigApi } from '../../../api/customers';
import { PageContainer, PageSpin } from '../../../components/PageContainer';
import { useLabel, useT } from '../../../i18n';
import { publishCustomerConfig } from '../shared';
import { CustomFieldsTab } from './CustomFieldsTab';
import { LookupTab } from './LookupTab';
import { SettingsTab } from './SettingsTab';

// 客户档案配置 (/admin/customer-config): the lists (R-C4), custom fields (R-C3), the archive code
// pattern (R-C2) and the deadlines (R-C5, R-C11).

type TabKey = LookupList | 'fields' | 'settings';

export default function CustomerConfigPage() {
  const t = useT();
  const label = useLabel();
  const [params, setParams] = useSearchParams();
  const [config, setConfig] = useState<CustomerConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tab = (params.get('tab') as TabKey | null) ?? 'category';

  const load = async () => {
    try {
      const c = await customerConfigApi.get();
      setConfig(c);
      publishCustomerConfig(c);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: once
  useEffect(() => {
    load();
  }, []);

  if (error && !config) {
    return (
      <Result
        status="error"
        title={error}
        extra={
          <Button type="primary" onClick={load}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }

  return (
    <PageContainer
      title={t('config.title')}
      subTitle={t('config.subtitle')}
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={load} aria-label={t('common.refresh')} />
        </Tooltip>
      }
    >
      <Card styles={{ body: { paddingTop: 4 } }}>
        {!config ? (
          <PageSpin />
        ) : (
          <Tabs
            activeKey={tab}
            onChange={(k) => setParams(k === 'category' ? {} : { tab: k }, { replace: true })}
            items={[
              ...LOOKUP_LISTS.map((list) => ({
                key: list,
                label: label(LOOKUP_LIST_LABELS[list]),
                children: <LookupTab list={list} config={config} onChanged={load} />,
              })),
              {
                key: 'fields',
                label: t('config.tab.fields'),
                children: <CustomFieldsTab config={config} onChanged={load} />,
              },
              {
                key: 'settings',
                label: t('config.tab.settings'),
                children: <SettingsTab config={config} onChanged={load} />,
              },
            ]}
          />
        )}
      </Card>
    </PageContainer>
  );
}
