import { App, Button, Card, Col, Flex, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ABC_STRADDLE_LABELS, SALES_SOURCE_LABELS } from '../../../common/analysis';
import type { AbcResult, AbcRow, AbcRun } from '../../../common/schemas/analysis';
import { formatDateTime } from '../../../common/time';
import { analysisApi } from '../../api/analysis';
import { errorText } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Chart, type ChartOption } from '../../components/Chart';
import { useLabel, useT } from '../../i18n';
import { useCustomerConfig, useLookups } from '../customers/shared';
import { Exports, Failed, GRADE_COLORS, money, pct, useResult } from './shared';

// ABC 分析 (R-A1): the grades of the period as cards and a pie, the Pareto curve with the two
// boundaries, the ranking (paged; a grade's card or slice filters it), and applying the grades
// to the archives — each change written to the archive's history — with the runs so far.

const PAGE = 20;

export function AbcTab({ from, to }: { from: string; to: string }) {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [category, setCategory] = useState<string | undefined>();
  const [grade, setGrade] = useState<'A' | 'B' | 'C' | undefined>();
  const [page, setPage] = useState(1);
  const q = useMemo(
    () => ({ from, to, category, grade, offset: (page - 1) * PAGE, limit: PAGE }),
    [from, to, category, grade, page],
  );
  const { result: a, error, reload } = useResult<AbcResult>(analysisApi.abc, q);
  const runs = useResult<{ items: AbcRun[] }>(
    () => analysisApi.runs(),
    useMemo(() => ({}), []),
  );

  const apply = () =>
    modal.confirm({
      title: t('analysis.abc.applyTitle'),
      content: t('analysis.abc.applyConfirm', { changes: a?.changes ?? 0, from, to }),
      okText: t('analysis.abc.apply'),
      onOk: async () => {
        try {
          const run = await analysisApi.apply({ from, to, category: category ?? null });
          message.success(t('analysis.abc.applied', { changed: run.changed }));
          reload();
          runs.reload();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const pareto: ChartOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    legend: { bottom: 0 },
    grid: { left: 48, right: 24, top: 24, bottom: 56 },
    xAxis: {
      type: 'category',
      name: t('analysis.abc.customersShare'),
      nameLocation: 'middle',
      nameGap: 24,
      data: (a?.pareto ?? []).map((p) => `${p.customers}%`),
      axisLabel: { interval: Math.max(0, Math.floor((a?.pareto.length ?? 0) / 10) - 1) },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'line',
        name: t('analysis.abc.cumulative'),
        data: (a?.pareto ?? []).map((p) => p.share),
        showSymbol: false,
        areaStyle: { opacity: 0.15 },
      },
      ...(a
        ? [a.thresholds.a, a.thresholds.b].map((v, i) => ({
            type: 'line' as const,
            name: i === 0 ? t('analysis.abc.boundaryA', { v }) : t('analysis.abc.boundaryB', { v }),
            data: a.pareto.map(() => v),
            showSymbol: false,
            lineStyle: { type: 'dashed' as const, color: i === 0 ? GRADE_COLORS.A : GRADE_COLORS.B },
            itemStyle: { color: i === 0 ? GRADE_COLORS.A : GRADE_COLORS.B },
          }))
        : []),
    ],
  } as ChartOption;
  const pie: ChartOption = {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 位客户（{d}%）' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        data: (a?.grades ?? []).map((g) => ({
          name: g.grade,
          value: g.customers,
          itemStyle: { color: GRADE_COLORS[g.grade] },
        })),
        label: { position: 'inside', formatter: '{b}\n{c}', color: '#fff', fontWeight: 'bold' },
      },
    ],
  } as ChartOption;

  const columns = [
    { title: t('analysis.abc.rank'), dataIndex: 'rank', width: 64 },
    {
      title: t('analysis.customer'),
      key: 'customer',
      render: (_: unknown, r: AbcRow) => (
        <Link to={`/customers/${r.customerId}`}>
          {r.archiveCode} {r.name}
        </Link>
      ),
    },
    {
      title: t('analysis.category'),
      dataIndex: 'category',
      width: 100,
      render: (v: string) => lookups.label('category', v),
    },
    {
      title: t('analysis.amount'),
      dataIndex: 'amount',
      align: 'right' as const,
      width: 140,
      render: money,
    },
    { title: t('analysis.share'), dataIndex: 'share', align: 'right' as const, width: 90, render: pct },
    {
      title: t('analysis.abc.cumulative'),
      dataIndex: 'cumulativeShare',
      align: 'right' as const,
      width: 100,
      render: pct,
    },
    {
      title: t('analysis.abc.grade'),
      dataIndex: 'grade',
      width: 90,
      render: (v: string) => <Tag color={GRADE_COLORS[v]}>{v}</Tag>,
    },
    {
      title: t('analysis.abc.current'),
      dataIndex: 'currentGrade',
      width: 110,
      render: (v: string | null, r: AbcRow) =>
        v === r.grade ? v : <Typography.Text type="warning">{v ?? t('analysis.abc.none')}</Typography.Text>,
    },
  ];

  const chooseGrade = (g: 'A' | 'B' | 'C' | undefined) => {
    setGrade((cur) => (cur === g ? undefined : g));
    setPage(1);
  };

  return (
    <Flex vertical gap={16}>
      <Failed error={error} />
      <Flex gap={12} align="center" wrap>
        <Select
          allowClear
          placeholder={t('analysis.abc.allCategories')}
          style={{ width: 180 }}
          value={category}
          onChange={(v) => {
            setCategory(v);
            setPage(1);
          }}
          options={lookups.options('category')}
          data-testid="abc-category"
        />
        {a && (
          <Typography.Text type="secondary">
            {t('analysis.abc.rule', {
              a: a.thresholds.a,
              b: a.thresholds.b,
              straddle: label(ABC_STRADDLE_LABELS[a.thresholds.straddle]),
              source: label(SALES_SOURCE_LABELS[a.source]),
            })}
          </Typography.Text>
        )}
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Exports url={(f) => analysisApi.abcUrl({ from, to, category }, f)} />
          {can('analysis.apply') && (
            <Button
              type="primary"
              disabled={!a || a.customers === 0 || a.changes === 0}
              onClick={apply}
              data-testid="abc-apply"
            >
              {a && a.changes > 0 ? t('analysis.abc.applyN', { n: a.changes }) : t('analysis.abc.upToDate')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        {(a?.grades ?? []).map((g) => (
          <Col xs={24} md={6} key={g.grade}>
            <Card
              size="small"
              hoverable
              onClick={() => chooseGrade(g.grade)}
              style={grade === g.grade ? { borderColor: GRADE_COLORS[g.grade] } : undefined}
              data-testid={`abc-grade-${g.grade}`}
            >
              <Statistic
                title={t('analysis.abc.gradeCard', { grade: g.grade })}
                value={g.customers}
                suffix={t('analysis.abc.customersUnit')}
                styles={{ content: { color: GRADE_COLORS[g.grade] } }}
              />
              <Typography.Text type="secondary">
                {t('analysis.abc.gradeShare', { share: pct(g.share) })}
                {g.amount !== null && ` · ${money(g.amount)}`}
              </Typography.Text>
            </Card>
          </Col>
        ))}
        {a && (
          <Col xs={24} md={6}>
            <Card size="small">
              <Statistic
                title={t('analysis.total')}
                value={a.total === null ? t('analysis.noPrices') : money(a.total)}
              />
              <Typography.Text type="secondary">
                {t('analysis.abc.customersWithSales', { n: a.customers, none: a.withoutSales })}
              </Typography.Text>
            </Card>
          </Col>
        )}
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={16}>
          <Card size="small" title={t('analysis.abc.pareto')} loading={!a}>
            <Chart
              option={pareto}
              height={300}
              testId="abc-pareto"
              png={{ name: `ABC-${from}-${to}.png`, label: t('analysis.png') }}
              label={t('analysis.abc.pareto')}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={t('analysis.abc.byGrade')} loading={!a}>
            <Chart<{ name: 'A' | 'B' | 'C' }>
              option={pie}
              height={300}
              testId="abc-pie"
              onClick={(e) => chooseGrade(e.data.name)}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={grade ? t('analysis.abc.rankingOf', { grade }) : t('analysis.abc.ranking')}
        extra={
          grade && (
            <Button size="small" onClick={() => chooseGrade(undefined)}>
              {t('analysis.abc.showAll')}
            </Button>
          )
        }
      >
        <Table<AbcRow>
          rowKey="customerId"
          size="small"
          dataSource={a?.rows ?? []}
          columns={columns}
          loading={!a}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: a?.rowCount ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            hideOnSinglePage: true,
          }}
        />
      </Card>
      <Card size="small" title={t('analysis.abc.runs')}>
        <Table<AbcRun>
          rowKey="id"
          size="small"
          dataSource={runs.result?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('analysis.abc.noRuns') }}
          columns={[
            {
              title: t('analysis.abc.runAt'),
              dataIndex: 'createdAt',
              render: (v: string) => formatDateTime(v),
            },
            { title: t('analysis.abc.runBy'), dataIndex: 'createdByName' },
            {
              title: t('analysis.period'),
              key: 'p',
              render: (_: unknown, r: AbcRun) => `${r.from} ～ ${r.to}`,
            },
            {
              title: t('analysis.category'),
              dataIndex: 'category',
              render: (v: string | null) =>
                v ? lookups.label('category', v) : t('analysis.abc.allCategories'),
            },
            {
              title: t('analysis.abc.boundaries'),
              key: 'b',
              render: (_: unknown, r: AbcRun) => `A ≤ ${r.thresholdA}%，B ≤ ${r.thresholdB}%`,
            },
            { title: t('analysis.abc.customersCol'), dataIndex: 'customers', align: 'right' as const },
            { title: t('analysis.abc.changed'), dataIndex: 'changed', align: 'right' as const },
          ]}
        />
      </Card>
    </Flex>
  );
}
