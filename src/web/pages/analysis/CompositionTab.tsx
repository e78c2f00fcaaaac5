import { CloseOutlined } from '@ant-design/icons';
import { Card, Col, Flex, Radio, Row, Table, Tag, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import {
  COMPOSITION_DIMENSION_LABELS,
  COMPOSITION_DIMENSIONS,
  type CompositionDimension,
} from '../../../common/analysis';
import type { Composition } from '../../../common/schemas/analysis';
import { analysisApi } from '../../api/analysis';
import { Chart, type ChartOption } from '../../components/Chart';
import { useLabel, useT } from '../../i18n';
import { useCustomerConfig, useLookups } from '../customers/shared';
import { Exports, Failed, money, pct, useResult } from './shared';

// 销售构成 (R-A2): the period's sales by category, product, region, salesperson or customer as a
// pie and a table. A slice drills down: a category or region to its products or customers, a
// product or salesperson to its customers, a customer opens the archive. The drill-down filters
// are in the address and shown as tags that take them off again.

type Slice = Composition['rows'][number];
const FILTERS = ['category', 'product', 'region', 'salesperson'] as const;
type Filter = (typeof FILTERS)[number];
/** Where a click on a slice of each dimension leads. */
const NEXT: Record<CompositionDimension, CompositionDimension | null> = {
  category: 'product',
  product: 'customer',
  region: 'customer',
  salesperson: 'customer',
  customer: null,
};

export function CompositionTab({ from, to }: { from: string; to: string }) {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [params, setParams] = useSearchParams();
  const dimension = (COMPOSITION_DIMENSIONS as readonly string[]).includes(params.get('dimension') ?? '')
    ? (params.get('dimension') as CompositionDimension)
    : 'category';
  const filters = Object.fromEntries(
    FILTERS.filter((f) => params.has(f)).map((f) => [f, params.get(f) as string]),
  ) as Partial<Record<Filter, string>>;
  // useResult loads again when the query's JSON changes.
  const q = { from, to, dimension, ...filters };
  const { result: c, error } = useResult<Composition>(analysisApi.composition, q);
  const set = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    setParams(p, { replace: true });
  };
  const drill = (row: Slice) => {
    if (row.key === null) return;
    if (dimension === 'customer') {
      navigate(`/customers/${row.key}`);
      return;
    }
    const next = NEXT[dimension];
    if (next) set({ [dimension]: row.key, [`${dimension}Label`]: row.label, dimension: next });
  };
  // The label the slice had (a salesperson's name, a product's name), else the code.
  const filterText = (f: Filter, v: string) =>
    f === 'category'
      ? lookups.label('category', v)
      : (params.get(`${f}Label`) ?? (f === 'region' && !v ? t('analysis.noRegion') : v));

  const pie: ChartOption = {
    tooltip: { trigger: 'item', formatter: '{b}：{d}%' },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        radius: ['30%', '70%'],
        center: ['40%', '50%'],
        data: (c?.rows ?? []).map((r) => ({ name: r.label, value: r.share, row: r })),
        label: { formatter: '{b}\n{d}%' },
      },
    ],
  } as ChartOption;

  return (
    <Flex vertical gap={16}>
      <Failed error={error} />
      <Flex gap={12} align="center" wrap>
        <Radio.Group
          optionType="button"
          value={dimension}
          onChange={(e) => set({ dimension: e.target.value })}
          options={COMPOSITION_DIMENSIONS.map((d) => ({
            value: d,
            label: label(COMPOSITION_DIMENSION_LABELS[d]),
          }))}
        />
        {FILTERS.filter((f) => filters[f] !== undefined).map((f) => (
          <Tag
            key={f}
            closable
            closeIcon={<CloseOutlined />}
            onClose={() => set({ [f]: null, [`${f}Label`]: null })}
            color="blue"
            data-testid={`composition-filter-${f}`}
          >
            {label(COMPOSITION_DIMENSION_LABELS[f])}：{filterText(f, filters[f] as string)}
          </Tag>
        ))}
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Exports url={(f) => analysisApi.compositionUrl(q, f)} />
        </Flex>
      </Flex>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card size="small" title={t('analysis.composition.chart')} loading={!c}>
            {c && c.rows.length === 0 ? (
              <Typography.Text type="secondary">{t('analysis.noSales')}</Typography.Text>
            ) : (
              <Chart<{ row: Slice }>
                option={pie}
                height={340}
                testId="composition-pie"
                png={{ name: `销售构成-${from}-${to}.png`, label: t('analysis.png') }}
                onClick={(e) => drill(e.data.row)}
                label={t('analysis.composition.chart')}
              />
            )}
            <Typography.Text type="secondary">{t('analysis.composition.hint')}</Typography.Text>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card
            size="small"
            title={t('analysis.composition.total', {
              total: c?.total === null ? t('analysis.noPrices') : money(c?.total),
            })}
          >
            <Table<Slice>
              rowKey={(r) => r.key ?? '*'}
              size="small"
              dataSource={c?.rows ?? []}
              loading={!c}
              pagination={false}
              onRow={(r) => ({
                onClick: () => drill(r),
                style: { cursor: r.key === null ? 'default' : 'pointer' },
              })}
              columns={[
                { title: label(COMPOSITION_DIMENSION_LABELS[dimension]), dataIndex: 'label' },
                { title: t('analysis.amount'), dataIndex: 'amount', align: 'right', render: money },
                { title: t('analysis.share'), dataIndex: 'share', align: 'right', render: pct },
                { title: t('analysis.customers'), dataIndex: 'customers', align: 'right' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
