import { DownloadOutlined } from '@ant-design/icons';
import { Card, Flex, Input, Radio, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CREDIT_LEVEL_LABELS } from '../../../common/credit';
import { CREDIT_CLASS_LABELS } from '../../../common/customers';
import type { CreditRegisterRow } from '../../../common/schemas/credit';
import { errorText } from '../../api/client';
import { creditApi, type RegisterFilter } from '../../api/credit';
import { useAuth } from '../../auth/AuthContext';
import { Chart } from '../../components/Chart';
import { FileLink } from '../../components/FileLink';
import { PageContainer } from '../../components/PageContainer';
import { SheetImportButton } from '../../components/SheetImportButton';
import { useLabel, useT } from '../../i18n';

// 信用台帐 /credit (R-A4): the customers the reader sees with their limit, exposure, share of the
// limit and class, most exposed first; filters near (at or past the warning share) and over the
// limit; a bar per customer of the page (click: the customer's 信用 tab); .xlsx/CSV; the import
// of balances. Amounts only where the reader may see them (the server leaves them out).

const FILTERS: RegisterFilter[] = ['limited', 'at_risk', 'near', 'over', 'suspended', 'all'];
const COLORS = { ok: '#52c41a', warn: '#faad14', over: '#ff4d4f' } as const;
const PAGE = 50;

export default function CreditRegisterPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = (params.get('filter') as RegisterFilter | null) ?? 'limited';
  const q = params.get('q') ?? '';
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; items: CreditRegisterRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads after an import
  useEffect(() => {
    setData(null);
    creditApi
      .register({ filter, q: q || undefined }, (page - 1) * PAGE, PAGE)
      .then(setData)
      .catch((e) => setError(errorText(e)));
  }, [filter, q, page, version]);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPage(1);
  };
  const rows = data?.items ?? [];
  return (
    <PageContainer
      title={t('credit.register.title')}
      subTitle={t('credit.register.intro')}
      extra={
        <>
          {can('credit.export') && (
            <SheetImportButton
              label={t('credit.import')}
              title={t('credit.import.title')}
              hint={t('credit.import.hint')}
              accept=".xlsx,.csv"
              run={(file, dryRun) => creditApi.importBalances(file, dryRun)}
              onDone={() => setVersion((v) => v + 1)}
              testId="credit-import"
            />
          )}
          <FileLink
            icon={<DownloadOutlined />}
            href={creditApi.registerUrl({ filter, q: q || undefined }, 'xlsx')}
          >
            .xlsx
          </FileLink>
          <FileLink href={creditApi.registerUrl({ filter, q: q || undefined }, 'csv')}>CSV</FileLink>
        </>
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={16} wrap>
          <Radio.Group
            value={filter}
            onChange={(e) => set('filter', e.target.value)}
            optionType="button"
            options={FILTERS.map((f) => ({
              value: f,
              label: t(`credit.filter.${f}` as 'credit.filter.all'),
            }))}
          />
          <Input.Search
            allowClear
            defaultValue={q}
            placeholder={t('credit.register.search')}
            style={{ width: 260 }}
            onSearch={(v) => set('q', v.trim())}
          />
        </Flex>
      </Card>
      {rows.some((r) => r.share !== null) && (
        <Card size="small" style={{ marginBottom: 16 }} title={t('credit.register.chart')}>
          <Chart<{ value: number; customerId: string }>
            height={Math.max(160, rows.length * 22)}
            testId="credit-register-chart"
            label={t('credit.register.chart')}
            png={{ name: `${t('credit.register.chart')}.png`, label: t('credit.png') }}
            onClick={(e) => navigate(`/customers/${e.data.customerId}?tab=credit`)}
            option={{
              tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
              toolbox: {
                right: 8,
                feature: {
                  saveAsImage: { name: t('credit.register.chart'), title: t('credit.png'), pixelRatio: 2 },
                },
              },
              grid: { left: 160, right: 40, top: 8, bottom: 24 },
              xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
              yAxis: {
                type: 'category',
                inverse: true,
                data: rows.filter((r) => r.share !== null).map((r) => r.name),
              },
              series: [
                {
                  type: 'bar',
                  name: t('credit.share'),
                  data: rows
                    .filter((r) => r.share !== null)
                    .map((r) => ({
                      value: r.share as number,
                      customerId: r.customerId,
                      itemStyle: { color: COLORS[r.level] },
                    })),
                },
              ],
            }}
          />
        </Card>
      )}
      <Card size="small">
        {error && <Tag color="error">{error}</Tag>}
        <Table<CreditRegisterRow>
          rowKey="customerId"
          size="small"
          loading={!data && !error}
          dataSource={rows}
          data-testid="credit-register"
          pagination={{
            current: page,
            pageSize: PAGE,
            total: data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          locale={{ emptyText: t('credit.empty') }}
          columns={[
            { title: t('credit.archiveCode'), dataIndex: 'archiveCode', width: 120 },
            {
              title: t('credit.customer'),
              render: (_, r) => <Link to={`/customers/${r.customerId}?tab=credit`}>{r.name}</Link>,
            },
            {
              title: t('credit.class'),
              render: (_, r) => (r.creditClass ? label(CREDIT_CLASS_LABELS[r.creditClass]) : '—'),
            },
            { title: t('credit.limit'), align: 'right', render: (_, r) => r.creditLimit ?? '—' },
            { title: t('credit.exposure'), align: 'right', render: (_, r) => r.exposure ?? '—' },
            {
              title: t('credit.share'),
              align: 'right',
              render: (_, r) => (r.share === null ? '—' : `${r.share}%`),
            },
            {
              title: t('credit.level'),
              render: (_, r) => <Tag color={COLORS[r.level]}>{label(CREDIT_LEVEL_LABELS[r.level])}</Tag>,
            },
            { title: t('credit.balance.asOf'), dataIndex: 'balanceAsOf', render: (v) => v ?? '—' },
            {
              title: t('credit.suspend'),
              render: (_, r) => (r.suspended ? <Tag color="red">{t('credit.suspend')}</Tag> : ''),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
