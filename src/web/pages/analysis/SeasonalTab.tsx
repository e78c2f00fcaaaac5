import { Card, Col, Flex, Input, InputNumber, Row, Select, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { Seasonal } from '../../../common/schemas/analysis';
import { analysisApi } from '../../api/analysis';
import { Chart, type ChartOption } from '../../components/Chart';
import { useT } from '../../i18n';
import { useCustomerConfig, useLookups } from '../customers/shared';
import { Exports, Failed, money, pct, useResult } from './shared';

// 季节指数 (R-A3): three years of monthly sales ending with the chosen year, each month's index
// (its average ÷ the monthly average × 100 %) as bars against the 100 % line, the table, and an
// annual target spread over the months by the index.

type MonthRow = Seasonal['months'][number];

export function SeasonalTab() {
  const t = useT();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const lastYear = new Date().getFullYear() - 1;
  const [year, setYear] = useState(lastYear);
  const [category, setCategory] = useState<string | undefined>();
  const [product, setProduct] = useState<string>('');
  const [target, setTarget] = useState<number | null>(null);
  const q = useMemo(
    () => ({
      year,
      category,
      product: product || undefined,
      target: target === null ? undefined : target.toFixed(2),
    }),
    [year, category, product, target],
  );
  const { result: s, error } = useResult<Seasonal>(analysisApi.seasonal, q);
  const option: ChartOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    grid: { left: 48, right: 24, top: 24, bottom: 32 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 12 }, (_, i) => t('analysis.seasonal.month', { m: i + 1 })),
    },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: t('analysis.seasonal.index'),
        data: (s?.months ?? []).map((m) => m.index),
        itemStyle: { color: '#5b8ff9' },
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
      {
        type: 'line',
        name: '100%',
        data: (s?.months ?? []).map(() => 100),
        showSymbol: false,
        lineStyle: { type: 'dashed', color: '#999' },
        itemStyle: { color: '#999' },
      },
    ],
  } as ChartOption;
  return (
    <Flex vertical gap={16}>
      <Failed error={error} />
      <Flex gap={12} align="center" wrap>
        <Select
          value={year}
          onChange={setYear}
          style={{ width: 200 }}
          options={Array.from({ length: 8 }, (_, i) => lastYear + 1 - i).map((y) => ({
            value: y,
            label: t('analysis.seasonal.years', { from: y - 2, to: y }),
          }))}
          data-testid="seasonal-year"
        />
        <Select
          allowClear
          placeholder={t('analysis.abc.allCategories')}
          style={{ width: 160 }}
          value={category}
          onChange={setCategory}
          options={lookups.options('category')}
        />
        <Input.Search
          allowClear
          placeholder={t('analysis.seasonal.product')}
          style={{ width: 200 }}
          onSearch={(v) => setProduct(v.trim())}
          data-testid="seasonal-product"
        />
        <InputNumber<number>
          min={0}
          max={9_999_999_999_999}
          precision={2}
          placeholder={t('analysis.seasonal.target')}
          style={{ width: 200 }}
          value={target}
          onChange={(v) => setTarget(v ?? null)}
          data-testid="seasonal-target"
        />
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Exports url={(f) => analysisApi.seasonalUrl(q, f)} />
        </Flex>
      </Flex>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('analysis.seasonal.chart')} loading={!s}>
            <Chart
              option={option}
              height={320}
              testId="seasonal-chart"
              png={{ name: `季节指数-${year}.png`, label: t('analysis.png') }}
              label={t('analysis.seasonal.chart')}
            />
            <Typography.Text type="secondary">
              {t('analysis.seasonal.formula', { average: money(s?.overallAverage) })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('analysis.seasonal.table')}>
            <Table<MonthRow>
              rowKey="month"
              size="small"
              dataSource={s?.months ?? []}
              loading={!s}
              pagination={false}
              columns={[
                {
                  title: t('analysis.seasonal.monthCol'),
                  dataIndex: 'month',
                  render: (m: number) => t('analysis.seasonal.month', { m }),
                },
                ...(s?.years ?? []).map((y, i) => ({
                  title: String(y),
                  key: String(y),
                  align: 'right' as const,
                  render: (_: unknown, r: MonthRow) => money(r.byYear[i]),
                })),
                {
                  title: t('analysis.seasonal.average'),
                  dataIndex: 'average',
                  align: 'right',
                  render: money,
                },
                { title: t('analysis.seasonal.index'), dataIndex: 'index', align: 'right', render: pct },
                ...(target === null
                  ? []
                  : [
                      {
                        title: t('analysis.seasonal.targetCol'),
                        dataIndex: 'target',
                        align: 'right' as const,
                        render: money,
                      },
                    ]),
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
