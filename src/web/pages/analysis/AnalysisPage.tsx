import { ImportOutlined, SettingOutlined } from '@ant-design/icons';
import { Button, Card, Form, Tabs } from 'antd';
import dayjs from 'dayjs';
import { useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';
import { AbcTab } from './AbcTab';
import { CompositionTab } from './CompositionTab';
import { ProductsTab } from './ProductsTab';
import { SeasonalTab } from './SeasonalTab';
import { MONTH, MonthRange } from './shared';

// 客户分析 /analysis: ABC, composition, seasonal index and product contribution over the sales
// of the archives the reader sees. The tab and the period (whole months, by default the last
// twelve) are in the address, so a link or a reload shows the same.

const TABS = ['abc', 'composition', 'seasonal', 'products'] as const;

export default function AnalysisPage() {
  const t = useT();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as string)
    : 'abc';
  const lastMonth = dayjs().subtract(1, 'month');
  const from = MONTH.test(params.get('from') ?? '')
    ? (params.get('from') as string)
    : lastMonth.subtract(11, 'month').format('YYYY-MM');
  const to = MONTH.test(params.get('to') ?? '') ? (params.get('to') as string) : lastMonth.format('YYYY-MM');
  const set = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) p.set(k, v);
    setParams(p, { replace: true });
  };
  return (
    <PageContainer
      title={t('analysis.title')}
      subTitle={t('analysis.intro')}
      extra={
        <>
          {can('analysis.import') && (
            <Button icon={<ImportOutlined />} onClick={() => navigate('/analysis/import')}>
              {t('analysis.importData')}
            </Button>
          )}
          {can('analysis.configure') && (
            <Button icon={<SettingOutlined />} onClick={() => navigate('/analysis/settings')}>
              {t('analysis.settings')}
            </Button>
          )}
        </>
      }
    >
      <Card size="small">
        {tab !== 'seasonal' && (
          <Form layout="inline">
            <MonthRange from={from} to={to} onChange={(f, tt) => set({ from: f, to: tt })} />
          </Form>
        )}
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            const p = new URLSearchParams({ tab: k, from, to });
            setParams(p, { replace: true });
          }}
          destroyOnHidden
          items={[
            { key: 'abc', label: t('analysis.tab.abc'), children: <AbcTab from={from} to={to} /> },
            {
              key: 'composition',
              label: t('analysis.tab.composition'),
              children: <CompositionTab from={from} to={to} />,
            },
            { key: 'seasonal', label: t('analysis.tab.seasonal'), children: <SeasonalTab /> },
            {
              key: 'products',
              label: t('analysis.tab.products'),
              children: <ProductsTab from={from} to={to} />,
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
