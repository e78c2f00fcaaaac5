import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Dropdown,
  Empty,
  Flex,
  Form,
  Row,
  Segmented,
  Select,
  Skeleton,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  SURVEY_GROUPS,
  type SurveyCampaign,
  type SurveyResults,
  type SurveyTemplate,
} from '../../../common/schemas/surveys';
import { SURVEY_LEVEL_LABELS, SURVEY_LEVELS } from '../../../common/surveys';
import { errorText } from '../../api/client';
import { type SurveyResultsQuery, surveysApi } from '../../api/surveys';
import { Chart, type ChartOption } from '../../components/Chart';
import { downloadFile } from '../../components/FileLink';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { LEVEL_COLORS } from './shared';

// 满意度统计 /surveys/results (R-V3): the index of the answered forms the reader may see, by
// department, salesperson, customer category, customer or period; how each question was answered;
// the trend across campaigns; the 汇总表 and the appraisal export with the same filters. Every chart
// has its numbers as a table too (图表 / 表格) and a spoken summary.

type Group = (typeof SURVEY_GROUPS)[number];
const GROUP_ORDER: Group[] = ['department', 'owner', 'category', 'customer', 'period'];
const PERIOD = /^\d{4}(-Q[1-4]|-\d{2})?$/;

function fromParams(params: URLSearchParams): SurveyResultsQuery {
  const q: SurveyResultsQuery = {};
  const campaignId = params.get('campaignId');
  const period = params.get('period');
  const templateKey = params.get('templateKey');
  const groupBy = params.get('groupBy') as Group | null;
  if (campaignId) q.campaignId = campaignId;
  if (period && PERIOD.test(period)) q.period = period;
  if (templateKey) q.templateKey = templateKey;
  q.groupBy = groupBy && SURVEY_GROUPS.includes(groupBy) ? groupBy : 'department';
  return q;
}

const clean = (q: SurveyResultsQuery) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1));

export default function ResultsPage() {
  const t = useT();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => fromParams(params), [params]);
  const queryKey = JSON.stringify(query);
  const [results, setResults] = useState<SurveyResults | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [campaigns, setCampaigns] = useState<SurveyCampaign[]>([]);
  const [templates, setTemplates] = useState<SurveyTemplate[]>([]);

  useEffect(() => {
    surveysApi
      .campaigns({}, null, 200)
      .then((p) => setCampaigns(p.items))
      .catch(() => {});
    surveysApi
      .templates()
      .then((x) => setTemplates(x.filter((tpl) => tpl.current)))
      .catch(() => {});
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKey stands for the query
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    surveysApi
      .results(query, ctrl.signal)
      .then((r) => {
        setResults(r);
        setError(null);
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [queryKey]);

  const set = (patch: Partial<SurveyResultsQuery>) =>
    setParams(clean({ ...query, ...patch }), { replace: true });
  const periods = useMemo(() => {
    const labels = new Set<string>();
    for (const c of campaigns) {
      labels.add(c.periodLabel);
      labels.add(c.periodLabel.slice(0, 4));
    }
    return [...labels].sort().reverse();
  }, [campaigns]);

  const download = (which: 'summary' | 'appraisal', format: 'xlsx' | 'csv') =>
    downloadFile(surveysApi.exportUrl(which, format, query)).catch((e) => message.error(errorText(e)));
  const exportMenu = (which: 'summary' | 'appraisal') => ({
    items: [
      { key: 'xlsx', label: t('surveys.results.xlsx') },
      { key: 'csv', label: t('surveys.results.csv') },
    ],
    onClick: ({ key }: { key: string }) => download(which, key as 'xlsx' | 'csv'),
  });

  return (
    <PageContainer
      title={t('surveys.results.title')}
      subTitle={t('surveys.results.intro')}
      extra={
        <>
          <Dropdown menu={exportMenu('summary')} trigger={['click']}>
            <Button icon={<DownloadOutlined />} data-testid="export-summary">
              {t('surveys.results.summary')}
            </Button>
          </Dropdown>
          <Dropdown menu={exportMenu('appraisal')} trigger={['click']}>
            <Button icon={<DownloadOutlined />} data-testid="export-appraisal">
              {t('surveys.results.appraisal')}
            </Button>
          </Dropdown>
        </>
      }
    >
      <Card>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('surveys.results.campaign')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 280 }}
              placeholder={t('surveys.results.allCampaigns')}
              value={query.campaignId}
              onChange={(v) => set({ campaignId: v })}
              options={campaigns.map((c) => ({ value: c.id, label: `${c.number} ${c.name}` }))}
              data-testid="results-campaign"
            />
          </Form.Item>
          <Form.Item label={t('surveys.field.period')}>
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('common.all')}
              value={query.period}
              onChange={(v) => set({ period: v })}
              options={periods.map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
          <Form.Item label={t('surveys.field.template')}>
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t('common.all')}
              value={query.templateKey}
              onChange={(v) => set({ templateKey: v })}
              options={templates.map((x) => ({ value: x.key, label: x.name }))}
            />
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      {!results ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : results.responses === 0 ? (
        <Card>
          <Empty description={t('surveys.results.empty')} style={{ padding: '48px 0' }} />
        </Card>
      ) : (
        <ResultsBody
          results={results}
          group={query.groupBy ?? 'department'}
          onGroup={(g) => set({ groupBy: g })}
          loading={loading}
        />
      )}
    </PageContainer>
  );
}

function ResultsBody({
  results,
  group,
  onGroup,
  loading,
}: {
  results: SurveyResults;
  group: Group;
  onGroup: (g: Group) => void;
  loading: boolean;
}) {
  const t = useT();
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card style={{ height: '100%' }} data-testid="results-index">
            <Statistic
              title={t('surveys.results.index')}
              value={fmt(results.index)}
              styles={{ content: { fontSize: 48, fontWeight: 600 } }}
            />
            <Typography.Text type="secondary">
              {t('surveys.results.responses', { n: results.responses })}
              {loading ? ` ${t('common.loading')}` : ''}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <TrendCard results={results} />
        </Col>
      </Row>
      <GroupCard results={results} group={group} onGroup={onGroup} />
      <DistributionCard results={results} />
    </>
  );
}

/** A chart with its numbers as a table at a click (and always a summary for screen readers). */
function ChartCard({
  title,
  extra,
  chart,
  table,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  testId: string;
}) {
  const t = useT();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      extra={
        <Flex gap={8} wrap align="center">
          {extra}
          <Segmented<'chart' | 'table'>
            size="small"
            value={view}
            onChange={setView}
            options={[
              { value: 'chart', label: t('surveys.results.asChart') },
              { value: 'table', label: t('surveys.results.asTable') },
            ]}
          />
        </Flex>
      }
    >
      {view === 'chart' ? chart : table}
    </Card>
  );
}

function GroupCard({
  results,
  group,
  onGroup,
}: {
  results: SurveyResults;
  group: Group;
  onGroup: (g: Group) => void;
}) {
  const t = useT();
  const rows = results.groups.map((g, i) => ({ ...g, rowKey: `${g.key ?? 'none'}-${i}` }));
  const chartRows = group === 'period' ? rows : [...rows].reverse();
  const option: ChartOption = {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
    },
    grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, name: t('surveys.results.axisIndex') },
    yAxis: {
      type: 'category',
      data: chartRows.map((r) => r.label),
      axisLabel: { width: 160, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: t('surveys.results.index'),
        barMaxWidth: 20,
        label: {
          show: true,
          position: 'right',
          formatter: (p) => (p.value === null ? '—' : String(p.value)),
        },
        itemStyle: { color: '#1677ff' },
        data: chartRows.map((r) => r.index),
      },
    ],
  };
  return (
    <ChartCard
      testId="results-groups"
      title={t('surveys.results.byGroup')}
      extra={
        <Segmented<Group>
          size="small"
          value={group}
          onChange={onGroup}
          options={GROUP_ORDER.map((g) => ({ value: g, label: t(`surveys.group.${g}`) }))}
          data-testid="results-group"
        />
      }
      chart={
        rows.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Chart
            option={option}
            height={Math.max(160, rows.length * 30 + 48)}
            testId="chart-groups"
            label={rows
              .map((r) =>
                t('surveys.results.groupAria', { label: r.label, index: fmt(r.index), n: r.responses }),
              )
              .join('；')}
          />
        )
      }
      table={
        <Table
          size="small"
          rowKey="rowKey"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t(`surveys.group.${group}`), dataIndex: 'label' },
            { title: t('surveys.results.responsesCol'), dataIndex: 'responses', align: 'right', width: 110 },
            {
              title: t('surveys.results.index'),
              key: 'index',
              align: 'right',
              width: 110,
              render: (_, r) => fmt(r.index),
            },
          ]}
        />
      }
    />
  );
}

function DistributionCard({ results }: { results: SurveyResults }) {
  const t = useT();
  const label = useLabel();
  const rows = results.distribution;
  const chartRows = [...rows].reverse();
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, name: t('surveys.results.axisForms') },
    yAxis: {
      type: 'category',
      data: chartRows.map((r) => r.label),
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: SURVEY_LEVELS.map((level) => ({
      type: 'bar' as const,
      stack: 'levels',
      name: label(SURVEY_LEVEL_LABELS[level]),
      barMaxWidth: 24,
      itemStyle: { color: LEVEL_COLORS[level] },
      label: { show: true, formatter: (p: { value: unknown }) => (Number(p.value) ? String(p.value) : '') },
      data: chartRows.map((r) => r.counts[level]),
    })),
  };
  return (
    <ChartCard
      testId="results-distribution"
      title={t('surveys.results.distribution')}
      chart={
        rows.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Chart
            option={option}
            height={Math.max(160, rows.length * 36 + 64)}
            testId="chart-distribution"
            label={rows
              .map(
                (r) =>
                  `${r.label}：${SURVEY_LEVELS.map((l) => `${label(SURVEY_LEVEL_LABELS[l])} ${r.counts[l]}`).join('，')}`,
              )
              .join('；')}
          />
        )
      }
      table={
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('surveys.col.question'), dataIndex: 'label' },
            ...SURVEY_LEVELS.map((l) => ({
              title: label(SURVEY_LEVEL_LABELS[l]),
              key: l,
              align: 'right' as const,
              width: 90,
              render: (_: unknown, r: SurveyResults['distribution'][number]) => r.counts[l],
            })),
            {
              title: t('surveys.results.index'),
              key: 'index',
              align: 'right',
              width: 90,
              render: (_, r) => fmt(r.index),
            },
          ]}
        />
      }
    />
  );
}

function TrendCard({ results }: { results: SurveyResults }) {
  const t = useT();
  const rows = results.trend;
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => r.periodLabel), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', min: 0, max: 100, name: t('surveys.results.axisIndex') },
    series: [
      {
        type: 'line',
        name: t('surveys.results.index'),
        connectNulls: true,
        symbolSize: 8,
        label: { show: true, formatter: (p) => (p.value === null ? '' : String(p.value)) },
        itemStyle: { color: '#1677ff' },
        data: rows.map((r) => r.index),
      },
    ],
  };
  return (
    <ChartCard
      testId="results-trend"
      title={t('surveys.results.trend')}
      chart={
        rows.length < 2 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('surveys.results.trendFew')} />
        ) : (
          <Chart
            option={option}
            height={220}
            testId="chart-trend"
            label={rows.map((r) => `${r.periodLabel} ${r.name}：${fmt(r.index)}`).join('；')}
          />
        )
      }
      table={
        <Table
          size="small"
          rowKey="campaignId"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('surveys.field.period'), dataIndex: 'periodLabel', width: 100 },
            { title: t('surveys.col.campaign'), key: 'name', render: (_, r) => `${r.number} ${r.name}` },
            { title: t('surveys.results.responsesCol'), dataIndex: 'responses', align: 'right', width: 100 },
            {
              title: t('surveys.results.index'),
              key: 'index',
              align: 'right',
              width: 90,
              render: (_, r) => fmt(r.index),
            },
          ]}
        />
      }
    />
  );
}
