import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Alert, Card, Col, DatePicker, Empty, Flex, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { CARRIER_LABELS, type Carrier, retentionLabel } from '../../../common/documents';
import { SECRECY_LABELS, SECRECY_LEVELS } from '../../../common/enums';
import { LENDING_MODE_LABELS, type LendingMode, PURPOSE_LABELS, type Purpose } from '../../../common/lending';
import type {
  Holdings,
  ServiceSummary,
  StatisticsBucket,
  StatisticsTable,
  StatisticsTableCode,
  UseStatistics,
} from '../../../common/schemas/statistics';
import { errorText } from '../../api/client';
import { statisticsApi } from '../../api/statistics';
import { Chart, type ChartOption } from '../../components/Chart';
import { FileLink } from '../../components/FileLink';
import { PageContainer } from '../../components/PageContainer';
import { type MessageKey, useLabel, useLang, useT } from '../../i18n';
import { useCategories } from '../documents/shared';

// 档案统计 /statistics (篇八 第五十、五十一条): the year above; the year's key figures and service
// figures; then a chart and a table per statistic — holdings by category, year, retention, carrier
// and secrecy, use by department, purpose, mode and category. A bar whose bucket names a documents
// list filter opens that list (this year's holdings only: the list shows records as they are now);
// each chart downloads as PNG, each table as CSV, the whole as the 统计年报 in Excel or PDF.

interface Data {
  holdings: Holdings;
  use: UseStatistics;
  service: ServiceSummary;
}

const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`;

function yearOf(params: URLSearchParams): number {
  const y = Number(params.get('year'));
  return Number.isInteger(y) && y >= 2000 && y <= 2099 ? y : dayjs().year();
}

export default function StatisticsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const year = yearOf(params);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    Promise.all([
      statisticsApi.holdings(year, ctrl.signal),
      statisticsApi.use(year, ctrl.signal),
      statisticsApi.service(year, ctrl.signal),
    ])
      .then(([holdings, use, service]) => {
        setData({ holdings, use, service });
        setError(null);
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(errorText(e));
      });
    return () => ctrl.abort();
  }, [year]);

  return (
    <PageContainer
      title={t('statistics.title')}
      subTitle={t('statistics.intro')}
      extra={
        <Flex gap={8} wrap>
          <DatePicker
            picker="year"
            allowClear={false}
            value={dayjs(`${year}-01-01`)}
            disabledDate={(d) => d.year() < 2000 || d.year() > 2099}
            onChange={(d) => d && setParams({ year: String(d.year()) }, { replace: true })}
            data-testid="statistics-year"
          />
          <FileLink icon={<DownloadOutlined />} href={statisticsApi.reportUrl(year, 'xlsx')}>
            {t('statistics.exportXlsx')}
          </FileLink>
          <FileLink icon={<FilePdfOutlined />} href={statisticsApi.reportUrl(year, 'pdf')}>
            {t('statistics.exportPdf')}
          </FileLink>
        </Flex>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!data || data.holdings.year !== year ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="statistics-as-of">
            {t('statistics.asOf', { year: String(year), day: data.holdings.asOf })}
          </Typography.Text>
          <KeyFigures data={data} />
          <ServiceFigures service={data.service} />
          <Row gutter={[16, 16]}>
            {[...data.holdings.tables, ...data.use.tables].map((table) => (
              <Col key={table.code} xs={24} xl={12}>
                <TableCard table={table} year={year} />
              </Col>
            ))}
          </Row>
        </>
      )}
    </PageContainer>
  );
}

function KeyFigures({ data }: { data: Data }) {
  const t = useT();
  const figures: [string, number][] = [
    [t('statistics.total'), data.holdings.total],
    [t('statistics.added'), data.holdings.added],
    [t('statistics.destroyed'), data.holdings.destroyed],
    [t('statistics.reads'), data.use.reads],
    [t('statistics.requests'), data.use.requests],
    [t('statistics.items'), data.use.items],
  ];
  return (
    <Card>
      <Row gutter={[16, 16]}>
        {figures.map(([title, value]) => (
          <Col key={title} xs={12} md={8} xl={4}>
            <Statistic title={title} value={value} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** The service figures as their modules count them; — where the reader may not read them. */
function ServiceFigures({ service: s }: { service: ServiceSummary }) {
  const t = useT();
  const dash = '—';
  const figures: [string, string | number][] = [
    [t('statistics.complaints'), s.complaints?.received ?? dash],
    [t('statistics.complaintsLate'), s.complaints?.late ?? dash],
    [t('statistics.complaintsOnTime'), s.complaints ? percent(s.complaints.onTimeRate) : dash],
    [t('statistics.visitsDue'), s.visits?.due ?? dash],
    [t('statistics.visitsDone'), s.visits?.done ?? dash],
    [t('statistics.satisfaction'), s.satisfaction?.index ?? dash],
    [t('statistics.delivery'), s.delivery ? percent(s.delivery.rate) : dash],
  ];
  return (
    <Card
      title={t('statistics.service')}
      extra={
        <FileLink size="small" type="link" href={statisticsApi.tableCsvUrl(s.year, 'service')}>
          CSV
        </FileLink>
      }
    >
      <Row gutter={[16, 16]}>
        {figures.map(([title, value]) => (
          <Col key={title} xs={12} md={6} xl={3}>
            <Statistic title={title} value={value} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** Titles and bucket names in the reader's language (the API names them in Chinese, as the report
 * prints them): codes through the shared labels, categories through their configured names. */
function useNames() {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const categories = useCategories();
  const name = (table: StatisticsTable, b: StatisticsBucket): string => {
    if (b.key === null)
      return table.code.endsWith('_department') ? t('statistics.noDepartment') : t('statistics.unknown');
    switch (table.code) {
      case 'holdings_category':
      case 'reads_category':
      case 'lending_category':
        return b.key === '__customer' ? t('statistics.customerArchives') : categories.name(b.key);
      case 'holdings_retention':
        return retentionLabel(b.key, lang);
      case 'holdings_carrier':
        return label(CARRIER_LABELS[b.key as Carrier], b.name);
      case 'holdings_secrecy':
        return label(
          SECRECY_LABELS[SECRECY_LEVELS[Number(b.key)] as (typeof SECRECY_LEVELS)[number]],
          b.name,
        );
      case 'lending_purpose':
        return label(PURPOSE_LABELS[b.key as Purpose], b.name);
      case 'lending_mode':
        return label(LENDING_MODE_LABELS[b.key as LendingMode], b.name);
      default:
        return b.name;
    }
  };
  const title = (table: StatisticsTable) => t(`statistics.table.${table.code}` as MessageKey);
  const dimension = (table: StatisticsTable) => t(`statistics.dimension.${table.code}` as MessageKey);
  return { name, title, dimension };
}

function TableCard({ table: raw, year }: { table: StatisticsTable; year: number }) {
  const t = useT();
  const names = useNames();
  const table = {
    ...raw,
    title: names.title(raw),
    dimension: names.dimension(raw),
    buckets: raw.buckets.map((b) => ({ ...b, name: names.name(raw, b) })),
  };
  const navigate = useNavigate();
  const open = (b: StatisticsBucket) => {
    if (table.list === 'documents' && b.query) navigate(`/documents?${new URLSearchParams(b.query)}`);
  };
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: table.buckets.map((b) => b.name),
      axisLabel: { interval: 0, width: 90, overflow: 'truncate' },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: table.title,
        barMaxWidth: 36,
        label: { show: true, position: 'top' },
        data: table.buckets.map((b) => ({
          value: b.value,
          bucket: b,
          itemStyle: { color: table.list && b.query ? '#5b8ff9' : '#91caff' },
        })),
      },
    ],
  };
  const share = (v: number) => (table.total ? percent(v / table.total) : '—');
  return (
    <Card
      title={table.title}
      data-testid={`statistics-${table.code}`}
      extra={
        <FileLink
          size="small"
          type="link"
          href={statisticsApi.tableCsvUrl(year, table.code as StatisticsTableCode)}
        >
          CSV
        </FileLink>
      }
    >
      {table.total === 0 ? (
        <Empty description={t('statistics.empty')} />
      ) : (
        <>
          <Chart<{ bucket: StatisticsBucket }>
            option={option}
            height={260}
            testId={`chart-${table.code}`}
            label={`${table.title}：${table.buckets.map((b) => `${b.name} ${b.value}`).join('，')}`}
            onClick={(e) => open(e.data.bucket)}
            png={{ name: `${raw.title}-${year}.png`, label: t('statistics.png') }}
          />
          <Table<StatisticsBucket>
            size="small"
            pagination={false}
            rowKey={(b) => b.key ?? b.name}
            dataSource={table.buckets}
            columns={[
              { title: table.dimension, dataIndex: 'name' },
              { title: t('statistics.count'), dataIndex: 'value', align: 'right' },
              {
                title: t('statistics.share'),
                key: 'share',
                align: 'right',
                render: (_, b) => share(b.value),
              },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('statistics.sum')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {table.total}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  100%
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </>
      )}
    </Card>
  );
}
