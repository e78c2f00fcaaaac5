import {
  DownloadOutlined,
  DownOutlined,
  PlusOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { App, Button, Card, Col, Dropdown, Flex, Form, Input, Row, Select, Tabs } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  ORDER_CLASS_LABELS,
  ORDER_CLASSES,
  ORDER_KIND_LABELS,
  ORDER_KINDS,
  ORDER_STATUS_LABELS,
  ORDER_STATUSES,
  type OrderClass,
  type OrderKind,
  type OrderStatus,
} from '../../../common/orders';
import type { OrderSummary } from '../../../common/schemas/orders';
import { errorText } from '../../api/client';
import { type OrderQuery, ordersApi } from '../../api/orders';
import { useAuth } from '../../auth/AuthContext';
import { downloadFile } from '../../components/FileLink';
import { ListCard } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';
import { NewOrderDrawer, OrderTable } from './shared';

/** Who may register an order: sales on the archives they keep ('order.create' is decided per
 * archive, so it shows here as 'customer.create'); the server decides. */
export const mayCreateOrder = (can: (action: string) => boolean) =>
  can('order.create') || can('customer.create');

const KEYS = ['customerId', 'status', 'class', 'kind', 'q'] as const;

interface Filters {
  q?: string;
  customerId?: string;
  class?: OrderClass;
  kind?: OrderKind;
}

function fromParams(params: URLSearchParams): OrderQuery {
  const q: Record<string, string> = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  if (q.status && !ORDER_STATUSES.includes(q.status as OrderStatus)) delete q.status;
  if (q.class && !ORDER_CLASSES.includes(q.class as OrderClass)) delete q.class;
  if (q.kind && !ORDER_KINDS.includes(q.kind as OrderKind)) delete q.kind;
  return q as OrderQuery;
}

const clean = (q: OrderQuery) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
const keyOf = (q: OrderQuery) => JSON.stringify(Object.entries(clean(q)).sort());

const toFilters = (q: OrderQuery): Filters => ({
  q: q.q,
  customerId: q.customerId,
  class: q.class,
  kind: q.kind,
});

const toQuery = (f: Filters, status: OrderStatus | undefined): OrderQuery => ({
  status,
  q: f.q?.trim() || undefined,
  customerId: f.customerId,
  class: f.class,
  kind: f.kind,
});

/** 订单与合同 /orders: every order, contract and tender the reader may see. */
export default function OrderListPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const initial = useMemo(() => fromParams(params), [params]);
  const list = useKeysetList<OrderSummary, OrderQuery>((q, cursor) => ordersApi.list(q, cursor), initial);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);

  // The address changed from outside (a 我的待办 tile, the menu) while the page stayed.
  const applied = useRef(keyOf(initial));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is the input
  useEffect(() => {
    const q = fromParams(params);
    if (keyOf(q) === applied.current) return;
    applied.current = keyOf(q);
    form.resetFields();
    form.setFieldsValue(toFilters(q));
    list.reload(q);
  }, [params]);

  const apply = (q: OrderQuery) => {
    applied.current = keyOf(q);
    setParams(clean(q), { replace: true });
    list.reload(q);
  };
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    try {
      await downloadFile(ordersApi.exportUrl(clean(list.filters) as OrderQuery, format));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  const status = list.filters.status as OrderStatus | undefined;
  const filtered = Object.keys(clean(list.filters)).length > 0;

  return (
    <PageContainer
      title={t('orders.title')}
      subTitle={t('orders.intro')}
      extra={
        <>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'xlsx', label: t('orders.export.xlsx') },
                { key: 'csv', label: t('orders.export.csv') },
              ],
              onClick: ({ key }) => exportAs(key as 'xlsx' | 'csv'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting} data-testid="orders-export">
              {t('orders.export.button')} <DownOutlined />
            </Button>
          </Dropdown>
          {mayCreateOrder(can) && (
            <Button
              icon={<UploadOutlined />}
              onClick={() => navigate('/orders/import')}
              data-testid="orders-import"
            >
              {t('orders.import.button')}
            </Button>
          )}
          {mayCreateOrder(can) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('orders.new.button')}
            </Button>
          )}
        </>
      }
    >
      <Card>
        <Form<Filters>
          name="ordersFilter"
          form={form}
          onFinish={(v) => apply(toQuery(v, status))}
          initialValues={toFilters(initial)}
          labelCol={{ flex: '80px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="q" label={t('orders.filter.keyword')}>
                <Input placeholder={t('orders.filter.keywordPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="customerId" label={t('orders.field.customer')}>
                <CustomerPicker allowClear placeholder={t('common.all')} />
              </Form.Item>
            </Col>
            <Col xs={12} lg={4}>
              <Form.Item name="class" label={t('orders.filter.class')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={ORDER_CLASSES.map((c) => ({ value: c, label: label(ORDER_CLASS_LABELS[c]) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} lg={4}>
              <Form.Item name="kind" label={t('orders.filter.kind')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={ORDER_KINDS.map((k) => ({ value: k, label: label(ORDER_KIND_LABELS[k]) }))}
                />
              </Form.Item>
            </Col>
            <Col flex="auto">
              <Form.Item style={{ marginBottom: 0 }}>
                <Flex justify="flex-end" gap={8}>
                  <Button
                    onClick={() => {
                      form.resetFields();
                      form.setFieldsValue(toFilters({}));
                      apply({});
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
      <ListCard title={t('orders.list')} total={null} onRefresh={() => list.reload()}>
        <Tabs
          activeKey={status ?? 'all'}
          onChange={(key) =>
            apply({ ...list.filters, status: key === 'all' ? undefined : (key as OrderStatus) })
          }
          style={{ marginTop: -12 }}
          items={[
            { key: 'all', label: t('orders.tab.all') },
            ...ORDER_STATUSES.map((s) => ({ key: s, label: label(ORDER_STATUS_LABELS[s]) })),
          ]}
        />
        <OrderTable
          items={list.items}
          loading={list.loading}
          empty={
            filtered
              ? t('common.noMatch')
              : mayCreateOrder(can)
                ? t('orders.emptyCanCreate')
                : t('orders.empty')
          }
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
      <NewOrderDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(o) => {
          setCreating(false);
          navigate(`/orders/${o.id}`);
        }}
      />
    </PageContainer>
  );
}
