import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Radio,
  Row,
  Statistic,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  DELIVERY_GROUP_LABELS,
  type DeliveryGroup,
  HOLIDAY_RULE_LABELS,
  ON_TIME_BASIS_LABELS,
} from '../../../common/order-deliveries';
import type { DeliveryStats, DeliveryStatsRow } from '../../../common/schemas/order-deliveries';
import { errorText } from '../../api/client';
import { deliveriesApi } from '../../api/order-deliveries';
import { Chart, type ChartOption } from '../../components/Chart';
import { FileLink } from '../../components/FileLink';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';

// 准时交付率 /orders/performance (R-K5): a period, the monthly rate as a line, the rate by
// customer, product or department as bars, the numbers in a table, and the same as .xlsx/CSV.
// The basis (by line or by quantity) and the holiday rule are the settings'; the page names them.

const GROUPS: Exclude<DeliveryGroup, 'month'>[] = ['customer', 'product', 'department'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

function useStats(q: { from: string; to: string; groupBy: DeliveryGroup; customerId?: string }) {
  const [stats, setStats] = useState<DeliveryStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(q);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the query
  useEffect(() => {
    const ctrl = new AbortController();
    deliveriesApi
      .stats(q, ctrl.signal)
      .then((s) => {
        setStats(s);
        setError(null);
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(errorText(e));
      });
    return () => ctrl.abort();
  }, [key]);
  return { stats, error };
}

/** The rate of one customer over the last 12 months (the archive's 合同 tab). */
export function CustomerOnTimeRate({ customerId }: { customerId: string }) {
  const t = useT();
  const q = useMemo(
    () => ({
      from: dayjs().subtract(12, 'month').format('YYYY-MM-DD'),
      to: dayjs().format('YYYY-MM-DD'),
      groupBy: 'month' as const,
      customerId,
    }),
    [customerId],
  );
  const { stats } = useStats(q);
  if (!stats) return null;
  return (
    <Statistic
      title={t('performance.customerRate')}
      value={percent(stats.total.rate)}
      suffix={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {stats.total.linesOnTime}/{stats.total.lines}
        </Typography.Text>
      }
      data-testid="customer-on-time-rate"
    />
  );
}

export default function PerformancePage() {
  const t = useT();
  const label = useLabel();
  const [params, setParams] = useSearchParams();
  const today = dayjs();
  const from = DATE.test(params.get('from') ?? '')
    ? (params.get('from') as string)
    : today.subtract(11, 'month').startOf('month').format('YYYY-MM-DD');
  const to = DATE.test(params.get('to') ?? '') ? (params.get('to') as string) : today.format('YYYY-MM-DD');
  const group = (GROUPS as string[]).includes(params.get('groupBy') ?? '')
    ? (params.get('groupBy') as Exclude<DeliveryGroup, 'month'>)
    : 'customer';
  const monthly = useStats(useMemo(() => ({ from, to, groupBy: 'month' as const }), [from, to]));
  const grouped = useStats(useMemo(() => ({ from, to, groupBy: group }), [from, to, group]));
  const set = (next: Record<string, string>) =>
    setParams({ from, to, groupBy: group, ...next }, { replace: true });

  const s = monthly.stats;
  const lineOption: ChartOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    grid: { left: 48, right: 24, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: s?.rows.map((r) => r.key) ?? [] },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'line',
        name: t('performance.rate'),
        data: s?.rows.map((r) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10)) ?? [],
        label: { show: true, formatter: '{c}%' },
      },
    ],
  } as ChartOption;
  const bars = (grouped.stats?.rows ?? []).filter((r) => r.rate !== null).slice(0, 20);
  const barOption: ChartOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    grid: { left: 48, right: 24, top: 24, bottom: 64 },
    xAxis: {
      type: 'category',
      data: bars.map((r) => r.label),
      axisLabel: { interval: 0, rotate: bars.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: t('performance.rate'),
        data: bars.map((r) => Math.round((r.rate ?? 0) * 1000) / 10),
        itemStyle: { color: '#5b8ff9' },
      },
    ],
  } as ChartOption;

  const columns = (first: string) => [
    { title: first, dataIndex: 'label', key: 'label' },
    { title: t('performance.lines'), dataIndex: 'lines', key: 'lines', align: 'right' as const },
    { title: t('performance.linesOnTime'), dataIndex: 'linesOnTime', key: 'on', align: 'right' as const },
    { title: t('performance.quantity'), dataIndex: 'quantity', key: 'q', align: 'right' as const },
    {
      title: t('performance.quantityOnTime'),
      dataIndex: 'quantityOnTime',
      key: 'qo',
      align: 'right' as const,
    },
    { title: t('performance.pending'), dataIndex: 'pending', key: 'p', align: 'right' as const },
    {
      title: t('performance.rate'),
      key: 'rate',
      align: 'right' as const,
      render: (_: unknown, r: DeliveryStatsRow) => percent(r.rate),
    },
  ];

  return (
    <PageContainer
      title={t('performance.title')}
      subTitle={t('performance.intro')}
      extra={
        <>
          <FileLink
            icon={<DownloadOutlined />}
            href={deliveriesApi.statsUrl({ from, to, groupBy: group }, 'xlsx')}
          >
            {t('performance.export.xlsx')}
          </FileLink>
          <FileLink href={deliveriesApi.statsUrl({ from, to, groupBy: group }, 'csv')}>
            {t('performance.export.csv')}
          </FileLink>
        </>
      }
    >
      <Card size="small">
        <Form layout="inline">
          <Form.Item label={t('performance.period')}>
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(from), dayjs(to)]}
              onChange={(v) => {
                const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
                if (a && b) set({ from: a.format('YYYY-MM-DD'), to: b.format('YYYY-MM-DD') });
              }}
            />
          </Form.Item>
          <Form.Item label={t('performance.groupBy')}>
            <Radio.Group
              optionType="button"
              value={group}
              onChange={(e) => set({ groupBy: e.target.value })}
              options={GROUPS.map((g) => ({ value: g, label: label(DELIVERY_GROUP_LABELS[g]) }))}
            />
          </Form.Item>
        </Form>
        {s && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            {t('performance.basis', {
              basis: label(ON_TIME_BASIS_LABELS[s.basis]),
              rule: label(HOLIDAY_RULE_LABELS[s.holidayRule]),
            })}
          </Typography.Text>
        )}
      </Card>
      {(monthly.error || grouped.error) && (
        <Alert type="error" showIcon title={monthly.error ?? grouped.error} />
      )}
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small" loading={!s}>
            <Flex vertical gap={12}>
              <Statistic title={t('performance.rate')} value={percent(s?.total.rate ?? null)} />
              <Statistic title={t('performance.lines')} value={s?.total.lines ?? 0} />
              <Statistic title={t('performance.pending')} value={s?.total.pending ?? 0} />
            </Flex>
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Card size="small" title={t('performance.monthly')} loading={!s}>
            {s && s.total.lines === 0 ? (
              <Empty description={t('performance.noData')} />
            ) : (
              <Chart
                option={lineOption}
                height={280}
                testId="performance-chart"
                label={t('performance.monthly')}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('performance.byGroup', { group: label(DELIVERY_GROUP_LABELS[group]) })}
        loading={!grouped.stats}
      >
        {bars.length > 0 && <Chart option={barOption} height={280} testId="performance-bars" />}
        <Table<DeliveryStatsRow>
          rowKey="key"
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={grouped.stats?.rows ?? []}
          columns={columns(label(DELIVERY_GROUP_LABELS[group]))}
          summary={() =>
            grouped.stats ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('performance.total')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {grouped.stats.total.lines}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  {grouped.stats.total.linesOnTime}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {grouped.stats.total.quantity}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {grouped.stats.total.quantityOnTime}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  {grouped.stats.total.pending}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">
                  {percent(grouped.stats.total.rate)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </Card>
      <Card size="small" title={t('performance.monthly')}>
        <Table<DeliveryStatsRow>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={s?.rows ?? []}
          columns={columns(label(DELIVERY_GROUP_LABELS.month))}
        />
      </Card>
    </PageContainer>
  );
}
