import {
  DownloadOutlined,
  DownOutlined,
  ImportOutlined,
  PlusOutlined,
  SearchOutlined,
  UpOutlined,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Switch,
  Table,
  type TableColumnsType,
  type TableProps,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  CREDIT_CLASS_LABELS,
  CREDIT_CLASSES,
  CUSTOMER_GRADES,
  CUSTOMER_STATUS_LABELS,
  CUSTOMER_STATUSES,
} from '../../../common/customers';
import type { CustomerListItem } from '../../../common/schemas/customers';
import { CUSTOMER_SORTS } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { type CustomerFilterQuery, type CustomerQuery, customersApi } from '../../api/customers';
import { useAuth } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { ListCard, useMatchCount } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import {
  ArchiveCode,
  CustomerLink,
  CustomerStatusTag,
  Dash,
  OwnerNames,
  useCustomerConfig,
  useLookups,
} from './shared';

type Sort = (typeof CUSTOMER_SORTS)[number];

interface Filters {
  q?: string;
  category?: string;
  kind?: string;
  grade?: CustomerQuery['grade'];
  creditClass?: CustomerQuery['creditClass'];
  region?: string;
  industry?: string;
  departmentId?: string;
  ownerId?: string;
  status?: CustomerQuery['status'];
  overdue?: boolean;
  filing?: CustomerQuery['filing'];
}

const FILTER_KEYS = [
  'q',
  'category',
  'kind',
  'grade',
  'creditClass',
  'region',
  'industry',
  'departmentId',
  'ownerId',
  'status',
  'filing',
] as const;
const ADVANCED_KEYS = [
  'grade',
  'creditClass',
  'region',
  'industry',
  'departmentId',
  'ownerId',
  'overdue',
  'filing',
];

/** The list's state lives in the address, so that "back" from a customer restores it. */
function fromParams(params: URLSearchParams): CustomerQuery {
  const q: CustomerQuery = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) (q as Record<string, string>)[key] = v;
  }
  if (params.get('overdue') === 'true') q.overdue = 'true';
  const sort = params.get('sort');
  if (sort && (CUSTOMER_SORTS as readonly string[]).includes(sort)) q.sort = sort as Sort;
  if (params.get('order') === 'desc') q.order = 'desc';
  return q;
}

function toParams(q: CustomerQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

function toQuery(f: Filters, sort?: Sort, order?: 'asc' | 'desc'): CustomerQuery {
  const text = (s?: string) => s?.trim() || undefined;
  return {
    q: text(f.q),
    category: f.category,
    kind: f.kind,
    grade: f.grade,
    creditClass: f.creditClass,
    region: text(f.region),
    industry: text(f.industry),
    departmentId: f.departmentId,
    ownerId: f.ownerId,
    status: f.status,
    overdue: f.overdue ? 'true' : undefined,
    filing: f.filing,
    // Without a keyword, archive code order is the default; while searching, newest matches first.
    sort: sort && (sort !== 'archiveCode' || text(f.q)) ? sort : undefined,
    order: order === 'desc' ? 'desc' : undefined,
  };
}

function toFilters(q: CustomerQuery): Filters {
  const { sort: _s, order: _o, overdue, ...rest } = q;
  return { ...rest, overdue: overdue === 'true' } as Filters;
}

const sameQuery = (a: CustomerQuery, b: CustomerQuery) => {
  const key = (q: CustomerQuery) => JSON.stringify(Object.entries(toParams(q)).sort());
  return key(a) === key(b);
};

const withoutSort = ({ sort: _s, order: _o, ...rest }: CustomerQuery): CustomerFilterQuery => rest;

export default function CustomerListPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const departments = useDepartments();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const initial = useMemo(() => fromParams(params), [params]);
  const list = useKeysetList<CustomerListItem, CustomerQuery>(
    (q, cursor) => customersApi.list(q, cursor),
    initial,
  );
  const [expanded, setExpanded] = useState(() => ADVANCED_KEYS.some((k) => params.has(k)));

  // The number of matching archives (共 N 条) for the filters the list shows.
  const count = useMatchCount(withoutSort(list.filters), (f, signal) => customersApi.count(f, signal));

  // Browser back/forward changes the address: follow it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the address changes
  useEffect(() => {
    const fromUrl = fromParams(params);
    if (sameQuery(fromUrl, list.filters)) return;
    form.setFieldsValue({ ...emptyFilters(), ...toFilters(fromUrl) });
    list.reload(fromUrl);
  }, [params]);

  const apply = (q: CustomerQuery) => {
    setParams(toParams(q));
    list.reload(q);
  };

  const search = (values: Filters) => apply(toQuery(values, list.filters.sort, list.filters.order));

  const sortOrderOf = (key: Sort) => {
    const current = list.filters.sort ?? (list.filters.q ? 'relevance' : 'archiveCode');
    if (current !== key) return null;
    return list.filters.order === 'desc' ? ('descend' as const) : ('ascend' as const);
  };

  const onTableChange: TableProps<CustomerListItem>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = (s?.order ? s.columnKey : undefined) as Sort | undefined;
    apply(toQuery(form.getFieldsValue(), key, s?.order === 'descend' ? 'desc' : 'asc'));
  };

  const columns: TableColumnsType<CustomerListItem> = [
    {
      title: t('customers.field.archiveCode'),
      dataIndex: 'archiveCode',
      key: 'archiveCode',
      width: 130,
      fixed: 'left',
      sorter: true,
      sortOrder: sortOrderOf('archiveCode'),
      render: (v: string, c) => (
        <CustomerLink id={c.id}>
          <ArchiveCode code={v} />
        </CustomerLink>
      ),
    },
    {
      title: t('customers.field.name'),
      dataIndex: 'name',
      key: 'name',
      width: 240,
      sorter: true,
      sortOrder: sortOrderOf('name'),
      render: (v: string, c) => (
        <Flex vertical>
          <CustomerLink id={c.id}>{v}</CustomerLink>
          {c.creditCode && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.creditCode}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('customers.field.category'),
      dataIndex: 'category',
      width: 96,
      render: (v: string) => lookups.label('category', v),
    },
    {
      title: t('customers.field.kind'),
      dataIndex: 'kind',
      width: 96,
      render: (v: string) => lookups.label('kind', v),
    },
    {
      title: t('customers.field.grade'),
      key: 'grade',
      width: 76,
      render: (_, c) =>
        c.grade || c.creditClass ? (
          <Tooltip
            title={`${t('customers.field.grade')} ${c.grade ?? '—'} · ${t('customers.field.creditClass')} ${
              c.creditClass ? label(CREDIT_CLASS_LABELS[c.creditClass]) : '—'
            }`}
          >
            <span>
              {c.grade ?? '—'}
              {c.creditClass && (
                <Typography.Text type="secondary"> / {CREDIT_CLASS_LABELS[c.creditClass].zh}</Typography.Text>
              )}
            </span>
          </Tooltip>
        ) : (
          <Dash />
        ),
    },
    {
      title: t('customers.field.region'),
      dataIndex: 'region',
      width: 110,
      ellipsis: true,
      render: (v: string | null) => v ?? <Dash />,
    },
    {
      title: t('customers.field.owners'),
      dataIndex: 'owners',
      width: 120,
      render: (v: string[]) => <OwnerNames names={v} />,
    },
    {
      title: t('customers.primaryContact'),
      dataIndex: 'primaryContact',
      width: 150,
      render: (v: CustomerListItem['primaryContact']) =>
        v ? (
          <Flex vertical>
            <span>{v.name}</span>
            {v.phone && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v.phone}
              </Typography.Text>
            )}
          </Flex>
        ) : (
          <Dash />
        ),
    },
    {
      title: t('customers.field.status'),
      key: 'status',
      width: 130,
      render: (_, c) => (
        <Flex gap={4} wrap>
          <CustomerStatusTag status={c.status} overdue={c.filingOverdue} pending={c.filingPending} />
        </Flex>
      ),
    },
    {
      title: t('customers.field.secrecy'),
      dataIndex: 'secrecy',
      width: 80,
      render: (v: CustomerListItem['secrecy']) => (v === 'normal' ? null : <SecrecyTag level={v} />),
    },
    {
      title: t('customers.field.filingDueDate'),
      dataIndex: 'filingDueDate',
      key: 'filingDueDate',
      width: 120,
      sorter: true,
      sortOrder: sortOrderOf('filingDueDate'),
      render: (v: string, c) =>
        c.status === 'draft' ? (
          <Typography.Text type={c.filingOverdue ? 'danger' : undefined}>{v}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{v}</Typography.Text>
        ),
    },
    {
      title: t('customers.field.updatedAt'),
      dataIndex: 'updatedAt',
      key: 'updatedAt',
      width: 170,
      sorter: true,
      sortOrder: sortOrderOf('updatedAt'),
      render: (v: string) => formatDateTime(v),
    },
  ];

  const col = { xs: 24, md: 12, lg: 8, xl: 6 };

  return (
    <PageContainer
      title={t('customers.title')}
      extra={
        <>
          {can('customer.import') && (
            <Button icon={<ImportOutlined />} onClick={() => navigate('/customers/import')}>
              {t('customers.import')}
            </Button>
          )}
          {can('customer.export') && (
            <Tooltip title={t('customers.exportHint')}>
              <Button icon={<DownloadOutlined />} href={customersApi.exportUrl(withoutSort(list.filters))}>
                {t('customers.export')}
              </Button>
            </Tooltip>
          )}
          {can('customer.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/customers/new')}>
              {t('customers.create')}
            </Button>
          )}
        </>
      }
    >
      <Card>
        <Form<Filters>
          name="customerFilter"
          form={form}
          onFinish={search}
          initialValues={toFilters(initial)}
          labelCol={{ flex: '80px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} lg={16} xl={12}>
              <Form.Item name="q" label={t('customers.keyword')}>
                <Input placeholder={t('customers.keywordPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="category" label={t('customers.field.category')}>
                <Select allowClear placeholder={t('common.all')} options={lookups.options('category')} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="kind" label={t('customers.field.kind')}>
                <Select allowClear placeholder={t('common.all')} options={lookups.options('kind')} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="status" label={t('customers.field.status')}>
                <Select
                  allowClear
                  placeholder={t('customers.statusAllButMerged')}
                  options={CUSTOMER_STATUSES.map((s) => ({
                    value: s,
                    label: label(CUSTOMER_STATUS_LABELS[s]),
                  }))}
                />
              </Form.Item>
            </Col>
            {expanded && (
              <>
                <Col {...col}>
                  <Form.Item name="grade" label={t('customers.field.grade')}>
                    <Select
                      allowClear
                      placeholder={t('common.all')}
                      options={[
                        ...CUSTOMER_GRADES.map((g) => ({ value: g, label: g })),
                        { value: 'none', label: t('customers.grade.none') },
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name="creditClass" label={t('customers.field.creditClass')}>
                    <Select
                      allowClear
                      placeholder={t('common.all')}
                      options={CREDIT_CLASSES.map((c) => ({
                        value: c,
                        label: label(CREDIT_CLASS_LABELS[c]),
                      }))}
                    />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name="region" label={t('customers.field.region')}>
                    <Input placeholder={t('customers.exactMatch')} allowClear />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name="industry" label={t('customers.field.industry')}>
                    <Input placeholder={t('customers.exactMatch')} allowClear />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name="departmentId" label={t('customers.field.department')}>
                    <DepartmentSelect
                      departments={departments.items}
                      allowInactive
                      placeholder={t('common.all')}
                    />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name="ownerId" label={t('customers.field.owners')}>
                    <UserSelect placeholder={t('common.all')} />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name="filing" label={t('customers.filingApprovalFilter')}>
                    <Select
                      allowClear
                      placeholder={t('common.all')}
                      data-testid="filing-filter"
                      options={[
                        { value: 'mine', label: t('customers.filingFilter.mine') },
                        { value: 'pending', label: t('customers.filingFilter.pending') },
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item label={t('customers.filingLabel')}>
                    <Flex gap={8} align="center" style={{ height: 32 }}>
                      <Form.Item name="overdue" valuePropName="checked" noStyle>
                        <Switch id="overdue-only" />
                      </Form.Item>
                      <label htmlFor="overdue-only">{t('customers.overdueOnly')}</label>
                    </Flex>
                  </Form.Item>
                </Col>
              </>
            )}
            <Col flex="auto">
              <Form.Item style={{ marginBottom: 0 }}>
                <Flex justify="flex-end" gap={8} align="center">
                  <Button
                    onClick={() => {
                      form.setFieldsValue(emptyFilters());
                      apply({});
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t('common.search')}
                  </Button>
                  <Button type="link" onClick={() => setExpanded((e) => !e)} style={{ paddingInline: 4 }}>
                    {expanded ? t('customers.collapse') : t('customers.expand')}
                    {expanded ? <UpOutlined /> : <DownOutlined />}
                  </Button>
                </Flex>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <ListCard
        title={t('customers.list')}
        total={count === null ? null : t('customers.total', { count })}
        onRefresh={() => list.reload()}
      >
        <Table<CustomerListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 1620 }}
          onChange={onTableChange}
          showSorterTooltip={false}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  Object.keys(withoutSort(list.filters)).some(
                    (k) => (list.filters as Record<string, unknown>)[k] !== undefined,
                  )
                    ? t('common.noMatch')
                    : t('customers.empty')
                }
              >
                {can('customer.create') && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/customers/new')}>
                    {t('customers.create')}
                  </Button>
                )}
              </Empty>
            ),
          }}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
    </PageContainer>
  );
}

function emptyFilters(): Filters {
  return {
    q: undefined,
    category: undefined,
    kind: undefined,
    grade: undefined,
    creditClass: undefined,
    region: undefined,
    industry: undefined,
    departmentId: undefined,
    ownerId: undefined,
    status: undefined,
    overdue: false,
    filing: undefined,
  };
}
