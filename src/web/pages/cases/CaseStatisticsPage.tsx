import { DownloadOutlined, QuestionCircleOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Skeleton,
  Statistic,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  CAUSE_LABELS,
  type CaseKind,
  type CauseCategory,
  CLOCK_LABELS,
} from '../../../common/cases';
import type { CaseListFilter, CaseStats, StatsBucket } from '../../../common/schemas/case-stats';
import { type CaseStatsQuery, casesApi } from '../../api/cases';
import { errorText } from '../../api/client';
import { Chart, type ChartOption, donutOption } from '../../components/Chart';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FileLink } from '../../components/FileLink';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';
import { caseListPath } from './caseLinks';
import { useCaseTypes } from './shared';

// 投诉统计 /cases/statistics (R-Q6): the period and filters above, the key numbers, then a chart
// per dimension. Every number and every bar or slice opens the case list filtered to exactly the
// cases it counts (the `query` the API sends with each bucket); 其他 (beyond the top 20) cannot.

interface Filters {
  period?: [Dayjs, Dayjs] | null;
  kind?: CaseKind;
  type?: string;
  departmentId?: string;
  customerId?: string;
  product?: string;
}

const KEYS = ['from', 'to', 'kind', 'type', 'departmentId', 'customerId', 'product'] as const;
const MONTH = /^\d{4}-\d{2}$/;

function fromParams(params: URLSearchParams): CaseStatsQuery {
  const q: Record<string, string> = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  if (q.from && !MONTH.test(q.from)) delete q.from;
  if (q.to && !MONTH.test(q.to)) delete q.to;
  if (q.kind && !CASE_KINDS.includes(q.kind as CaseKind)) delete q.kind;
  return q as CaseStatsQuery;
}

function toFilters(q: CaseStatsQuery): Filters {
  const to = q.to ? dayjs(`${q.to}-01`) : dayjs().startOf('month');
  const from = q.from ? dayjs(`${q.from}-01`) : to.subtract(11, 'month');
  return {
    period: [from, to],
    kind: q.kind ?? 'complaint',
    type: q.type,
    departmentId: q.departmentId,
    customerId: q.customerId,
    product: q.product,
  };
}

function toQuery(f: Filters): CaseStatsQuery {
  return {
    from: f.period?.[0]?.format('YYYY-MM'),
    to: f.period?.[1]?.format('YYYY-MM'),
    kind: f.kind ?? 'complaint',
    type: f.type || undefined,
    departmentId: f.departmentId || undefined,
    customerId: f.customerId || undefined,
    product: f.product?.trim() || undefined,
  };
}

const clean = (q: CaseStatsQuery) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const COLORS = { total: '#91caff', justified: '#1677ff', bar: '#5b8ff9' };

export default function CaseStatisticsPage() {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const types = useCaseTypes();
  const departments = useDepartments();
  const query = useMemo(() => fromParams(params), [params]);
  const queryKey = JSON.stringify(query);
  const [stats, setStats] = useState<CaseStats | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? query.kind ?? 'complaint';

  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKey stands for the query
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    casesApi
      .stats(toQuery(toFilters(query)), ctrl.signal)
      .then((s) => {
        setStats(s);
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

  const apply = (f: Filters) => setParams(clean(toQuery(f)), { replace: true });
  const open = (q: CaseListFilter | null) => {
    if (q) navigate(caseListPath(q));
  };
  const isComplaint = (stats?.filter.kind ?? query.kind ?? 'complaint') === 'complaint';
  const noun = isComplaint ? t('cases.stats.complaints') : t('cases.stats.services');
  const customerName = stats?.customers.find((c) => c.key === query.customerId)?.name;

  return (
    <PageContainer
      title={t('cases.stats.title')}
      subTitle={t('cases.stats.intro')}
      extra={
        <FileLink icon={<DownloadOutlined />} href={casesApi.statsXlsxUrl(toQuery(toFilters(query)))}>
          {t('cases.stats.export')}
        </FileLink>
      }
    >
      <Card>
        <Form<Filters>
          name="caseStatsFilter"
          form={form}
          onFinish={apply}
          initialValues={toFilters(query)}
          labelCol={{ flex: '80px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="period" label={t('cases.stats.period')}>
                <DatePicker.RangePicker picker="month" allowClear={false} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="kind" label={t('cases.field.kind')}>
                <Radio.Group
                  optionType="button"
                  onChange={() => {
                    form.setFieldValue('type', undefined);
                    form.submit();
                  }}
                  options={CASE_KINDS.map((k) => ({ value: k, label: label(CASE_KIND_LABELS[k]) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="type" label={t('cases.field.type')}>
                <Select allowClear placeholder={t('common.all')} options={types.options(kind, false)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="departmentId" label={t('cases.field.handlingDepartment')}>
                <DepartmentSelect
                  departments={departments.items}
                  allowInactive
                  placeholder={t('common.all')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="customerId" label={t('cases.field.customer')}>
                <CustomerPicker
                  key={customerName ? 'named' : 'unnamed'}
                  placeholder={t('cases.new.customerPlaceholder')}
                  initial={
                    query.customerId && customerName
                      ? { id: query.customerId, archiveCode: '', name: customerName }
                      : null
                  }
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="product" label={t('cases.field.product')}>
                <Input allowClear placeholder={t('cases.stats.productPlaceholder')} />
              </Form.Item>
            </Col>
            <Col flex="auto">
              <Form.Item style={{ marginBottom: 0 }}>
                <Flex justify="flex-end" gap={8}>
                  <Button
                    onClick={() => {
                      form.resetFields();
                      form.setFieldsValue(toFilters({}));
                      apply(toFilters({}));
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t('common.search')}
                  </Button>
                </Flex>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      {!stats ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="stats-period">
            {t('cases.stats.periodLine', {
              from: stats.period.from,
              to: stats.period.to,
              noun,
            })}
            {loading ? ` ${t('common.loading')}` : ''}
          </Typography.Text>
          <KeyFigures stats={stats} isComplaint={isComplaint} noun={noun} />
          <ClockFigures stats={stats} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <ChartCard
                title={t('cases.stats.perMonth', { noun })}
                help={isComplaint ? t('cases.stats.perMonthHelp') : undefined}
                empty={stats.total.value === 0}
                noun={noun}
              >
                <MonthsChart stats={stats} isComplaint={isComplaint} onOpen={open} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={8}>
              <ChartCard
                title={t('cases.stats.perCause')}
                help={t('cases.stats.perCauseHelp')}
                empty={stats.causes.every((c) => c.value === 0)}
                noun={noun}
              >
                <CausesChart buckets={stats.causes} onOpen={open} />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard
                title={t('cases.stats.perDepartment')}
                help={t('cases.stats.perDepartmentHelp')}
                empty={stats.departments.length === 0}
                noun={noun}
              >
                <BarsChart buckets={stats.departments} onOpen={open} testId="chart-departments" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard
                title={t('cases.stats.perProduct')}
                help={t('cases.stats.topHelp')}
                empty={stats.products.length === 0}
                noun={noun}
              >
                <BarsChart buckets={stats.products} onOpen={open} testId="chart-products" />
              </ChartCard>
            </Col>
            <Col xs={24}>
              <ChartCard
                title={t('cases.stats.perCustomer')}
                help={t('cases.stats.topHelp')}
                empty={stats.customers.length === 0}
                noun={noun}
              >
                <BarsChart buckets={stats.customers} onOpen={open} testId="chart-customers" />
              </ChartCard>
            </Col>
          </Row>
        </>
      )}
    </PageContainer>
  );
}

/** A number that opens the cases behind it. */
function CaseCount({ value, query }: { value: number; query: CaseListFilter | null }) {
  if (!query || value === 0) return <span>{value}</span>;
  return <Link to={caseListPath(query)}>{value}</Link>;
}

function Help({ text }: { text: string }) {
  return (
    <Tooltip title={text}>
      <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)', marginInlineStart: 4 }} />
    </Tooltip>
  );
}

function KeyFigures({ stats, isComplaint, noun }: { stats: CaseStats; isComplaint: boolean; noun: string }) {
  const t = useT();
  const j = stats.justified;
  const col = { xs: 24, md: isComplaint ? 8 : 12 };
  return (
    <Row gutter={[16, 16]}>
      <Col {...col}>
        <Card data-testid="kpi-total">
          <Statistic
            title={t('cases.stats.total', { noun })}
            value={stats.total.value}
            suffix={t('cases.stats.unit')}
            formatter={() => <CaseCount value={stats.total.value} query={stats.total.query} />}
          />
          <Typography.Text type="secondary">{t('cases.stats.totalNote')}</Typography.Text>
        </Card>
      </Col>
      {isComplaint && (
        <Col {...col}>
          <Card data-testid="kpi-justified">
            <Statistic
              title={
                <span>
                  {t('cases.stats.justifiedRate')}
                  <Help text={t('cases.stats.justifiedRateHelp')} />
                </span>
              }
              value={percent(j.rate)}
            />
            <Typography.Text type="secondary">
              {t('cases.stats.justifiedLine.before')}
              <CaseCount value={j.justified} query={j.queries.justified} />
              {t('cases.stats.justifiedLine.middle')}
              <CaseCount value={j.unjustified} query={j.queries.unjustified} />
              {t('cases.stats.justifiedLine.after', { untriaged: stats.total.value - j.triaged })}
            </Typography.Text>
          </Card>
        </Col>
      )}
      <Col {...col}>
        <Card data-testid="kpi-rate">
          <Statistic
            title={
              <span>
                {t('cases.stats.rate', { noun })}
                <Help text={t('cases.stats.rateHelp')} />
              </span>
            }
            value={stats.rate.per100 === null ? '—' : stats.rate.per100.toFixed(1)}
            suffix={stats.rate.per100 === null ? undefined : t('cases.stats.ratePer100Unit')}
          />
          <Typography.Text type="secondary">
            {stats.rate.activeCustomers === 0
              ? t('cases.stats.rateNoCustomers')
              : t('cases.stats.rateLine', {
                  cases: stats.rate.cases,
                  customers: stats.rate.activeCustomers,
                })}
          </Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}

/** Each clock: on-time rate, how long it took (median, p90), and the counts behind the rate. */
function ClockFigures({ stats }: { stats: CaseStats }) {
  const t = useT();
  const label = useLabel();
  const days = (v: number | null) => (v === null ? '—' : t('cases.stats.days', { n: v }));
  const hours = (v: number | null) => (v === null ? '—' : t('cases.stats.hours', { n: v }));
  return (
    <Card
      size="small"
      title={
        <span>
          {t('cases.stats.clocks')}
          <Help text={t('cases.stats.clocksHelp')} />
        </span>
      }
    >
      <Row gutter={[16, 16]}>
        {stats.clocks.map((c) => (
          <Col xs={24} md={12} xl={6} key={c.clock} data-testid={`kpi-clock-${c.clock}`}>
            <Statistic
              title={t('cases.stats.onTime', { clock: label(CLOCK_LABELS[c.clock]) })}
              value={percent(c.onTimeRate)}
              styles={
                c.onTimeRate !== null && c.onTimeRate < 0.9 ? { content: { color: '#d4380d' } } : undefined
              }
            />
            <Flex vertical gap={2} style={{ fontSize: 13 }}>
              {c.days.count > 0 ? (
                <>
                  <span>
                    {t('cases.stats.median')}
                    {t('common.colon')}
                    {days(c.days.median)}
                    <Typography.Text type="secondary">（{hours(c.hours.median)}）</Typography.Text>
                  </span>
                  <span>
                    {t('cases.stats.p90')}
                    {t('common.colon')}
                    {days(c.days.p90)}
                    <Typography.Text type="secondary">（{hours(c.hours.p90)}）</Typography.Text>
                  </span>
                </>
              ) : (
                <Typography.Text type="secondary">{t('cases.stats.noneMet')}</Typography.Text>
              )}
              <Typography.Text type="secondary">
                {t('cases.stats.state.met')} <CaseCount value={c.met} query={c.queries.met} /> ·{' '}
                {t('cases.stats.state.late')} <CaseCount value={c.late} query={c.queries.late} /> ·{' '}
                {t('cases.stats.state.breached')} <CaseCount value={c.breached} query={c.queries.breached} />{' '}
                · {t('cases.stats.state.open')} <CaseCount value={c.open} query={c.queries.open} />
              </Typography.Text>
            </Flex>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function ChartCard({
  title,
  help,
  empty,
  noun,
  children,
}: {
  title: string;
  help?: string;
  empty: boolean;
  noun: string;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Card
      size="small"
      title={
        <span>
          {title}
          {help && <Help text={help} />}
        </span>
      }
      extra={
        empty ? undefined : <Typography.Text type="secondary">{t('cases.stats.clickHint')}</Typography.Text>
      }
    >
      {empty ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('cases.stats.empty', { noun })}
          style={{ padding: '48px 0' }}
        />
      ) : (
        children
      )}
    </Card>
  );
}

/** The display name of a bucket in the reader's language (the API names them in Chinese). */
function useBucketName() {
  const t = useT();
  const label = useLabel();
  return (b: StatsBucket) => {
    if (b.query === null) return t('cases.stats.others');
    if (b.key === null) {
      const unset = b.query.unset;
      if (unset === 'cause') return t('cases.stats.unset.cause');
      if (unset === 'department') return t('cases.stats.unset.department');
      if (unset === 'product') return t('cases.stats.unset.product');
    }
    if (b.query.cause && b.key) return label(CAUSE_LABELS[b.key as CauseCategory], b.name);
    return b.name;
  };
}

const unitAxis = (t: ReturnType<typeof useT>) => ({
  type: 'value' as const,
  name: t('cases.stats.axisCases'),
  minInterval: 1,
  nameTextStyle: { color: '#8c8c8c' },
});

function MonthsChart({
  stats,
  isComplaint,
  onOpen,
}: {
  stats: CaseStats;
  isComplaint: boolean;
  onOpen: (q: CaseListFilter | null) => void;
}) {
  const t = useT();
  const received = t('cases.stats.series.received');
  const justified = t('cases.stats.series.justified');
  const option: ChartOption = {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => t('cases.stats.valueCases', { n: String(v) }),
    },
    legend: { top: 0, data: isComplaint ? [received, justified] : [received] },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: stats.months.map((m) => m.month),
      axisTick: { alignWithLabel: true },
    },
    yAxis: unitAxis(t),
    series: [
      {
        name: received,
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: COLORS.total },
        label: { show: true, position: 'top', formatter: (p) => (Number(p.value) ? String(p.value) : '') },
        data: stats.months.map((m) => ({ value: m.value, query: m.query })),
      },
      ...(isComplaint
        ? [
            {
              name: justified,
              type: 'bar' as const,
              barMaxWidth: 36,
              // Drawn over the received bar: 成立 is a part of what was received that month.
              barGap: '-100%',
              itemStyle: { color: COLORS.justified },
              data: stats.months.map((m) => ({ value: m.justified, query: m.justifiedQuery })),
            },
          ]
        : []),
    ],
  };
  return (
    <Chart<{ query: CaseListFilter }>
      option={option}
      height={320}
      testId="chart-months"
      onClick={(e) => onOpen(e.data.query)}
    />
  );
}

function CausesChart({
  buckets,
  onOpen,
}: {
  buckets: StatsBucket[];
  onOpen: (q: CaseListFilter | null) => void;
}) {
  const t = useT();
  const name = useBucketName();
  const data = buckets.filter((b) => b.value > 0).map((b) => ({ ...b, name: name(b) }));
  const option = donutOption(data, t('cases.stats.pieTooltip'));
  return (
    <Chart<StatsBucket>
      option={option}
      height={320}
      testId="chart-causes"
      onClick={(e) => onOpen(e.data.query)}
    />
  );
}

/** Horizontal bars, most first from the top; 其他 (no filter names it) greyed and not clickable. */
function BarsChart({
  buckets,
  onOpen,
  testId,
}: {
  buckets: StatsBucket[];
  onOpen: (q: CaseListFilter | null) => void;
  testId: string;
}) {
  const t = useT();
  const name = useBucketName();
  const rows = [...buckets].reverse();
  const option: ChartOption = {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => t('cases.stats.valueCases', { n: String(v) }),
    },
    grid: { left: 8, right: 40, top: 24, bottom: 8, containLabel: true },
    xAxis: unitAxis(t),
    yAxis: {
      type: 'category',
      data: rows.map(name),
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: t('cases.stats.series.received'),
        barMaxWidth: 20,
        label: { show: true, position: 'right' },
        data: rows.map((b) => ({
          value: b.value,
          query: b.query,
          itemStyle: { color: b.query ? COLORS.bar : '#d9d9d9' },
        })),
      },
    ],
  };
  return (
    <Chart<{ query: CaseListFilter | null }>
      option={option}
      height={Math.max(160, rows.length * 28 + 48)}
      testId={testId}
      onClick={(e) => onOpen(e.data.query)}
    />
  );
}
