import { Card, Flex, Table, Typography } from 'antd';
import { useMemo } from 'react';
import type { ProductAnalysis } from '../../../common/schemas/analysis';
import { analysisApi } from '../../api/analysis';
import { Chart, type ChartOption } from '../../components/Chart';
import { useT } from '../../i18n';
import { Exports, Failed, money, pct, useResult } from './shared';

// 产品贡献 (R-A5): per product, sales, gross margin, average stock, turnover, cross ratio and
// contribution, the most contributing first, and the contributions as bars.

type ProductRow = ProductAnalysis['rows'][number];
const four = (v: number | null) => (v === null ? '—' : v.toFixed(4).replace(/\.?0+$/, ''));

export function ProductsTab({ from, to }: { from: string; to: string }) {
  const t = useT();
  const q = useMemo(() => ({ from, to }), [from, to]);
  const { result: p, error } = useResult<ProductAnalysis>(analysisApi.products, q);
  const top = (p?.rows ?? []).filter((r) => r.contribution !== null).slice(0, 20);
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 24, top: 24, bottom: 64 },
    xAxis: {
      type: 'category',
      data: top.map((r) => r.productName ?? r.productCode),
      axisLabel: { interval: 0, rotate: top.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'bar',
        name: t('analysis.products.contribution'),
        data: top.map((r) => r.contribution),
        itemStyle: { color: '#5ad8a6' },
      },
    ],
  } as ChartOption;
  return (
    <Flex vertical gap={16}>
      <Failed error={error} />
      <Flex gap={12} align="center">
        <Typography.Text type="secondary">{t('analysis.products.formula')}</Typography.Text>
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Exports url={(f) => analysisApi.productsUrl(q, f)} />
        </Flex>
      </Flex>
      {top.length > 0 && (
        <Card size="small" title={t('analysis.products.chart')}>
          <Chart
            option={option}
            height={280}
            testId="products-chart"
            png={{ name: `产品贡献-${from}-${to}.png`, label: t('analysis.png') }}
            label={t('analysis.products.chart')}
          />
        </Card>
      )}
      <Card size="small" title={t('analysis.products.table')}>
        <Table<ProductRow>
          rowKey="productCode"
          size="small"
          dataSource={p?.rows ?? []}
          loading={!p}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('analysis.products.code'), dataIndex: 'productCode' },
            { title: t('analysis.products.name'), dataIndex: 'productName' },
            { title: t('analysis.products.sales'), dataIndex: 'sales', align: 'right', render: money },
            { title: t('analysis.products.margin'), dataIndex: 'grossMargin', align: 'right', render: money },
            {
              title: t('analysis.products.marginRate'),
              dataIndex: 'marginRate',
              align: 'right',
              render: (v: number | null) => (v === null ? '—' : pct(v * 100)),
            },
            {
              title: t('analysis.products.averageStock'),
              dataIndex: 'averageStock',
              align: 'right',
              render: money,
            },
            { title: t('analysis.products.turnover'), dataIndex: 'turnover', align: 'right', render: four },
            {
              title: t('analysis.products.crossRatio'),
              dataIndex: 'crossRatio',
              align: 'right',
              render: four,
            },
            {
              title: t('analysis.share'),
              dataIndex: 'share',
              align: 'right',
              render: (v: number) => pct(v * 100),
            },
            {
              title: t('analysis.products.contribution'),
              dataIndex: 'contribution',
              align: 'right',
              render: four,
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
