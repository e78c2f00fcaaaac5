import {
  DownloadOutlined,
  DownOutlined,
  PlusOutlined,
  SearchOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Dropdown, Flex, Form, Input, Row, Select, Tabs } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { RequirementSummary } from '../../../common/schemas/special-requirements';
import { SR_STATUS_LABELS, SR_STATUSES, type SrStatus } from '../../../common/special-requirements';
import { errorText } from '../../api/client';
import { type SrQuery, srApi } from '../../api/special-requirements';
import { useAuth } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { downloadFile } from '../../components/FileLink';
import { ListCard } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';
import { NewRequirementDrawer, SrTable, useSrCategories } from './shared';

/** Who may register a requirement: quality anywhere, sales on the archives they keep ('sr.create'
 * is decided per archive, so sales shows here as 'customer.create'); the server decides. */
const mayCreate = (can: (action: string) => boolean) => can('sr.create') || can('customer.create');

const KEYS = [
  'customerId',
  'category',
  'status',
  'departmentId',
  'overdue',
  'needsRecheck',
  'partNumber',
  'q',
] as const;

interface Filters {
  q?: string;
  customerId?: string;
  category?: string;
  departmentId?: string;
  partNumber?: string;
  flags?: ('overdue' | 'needsRecheck')[];
}

function fromParams(params: URLSearchParams): SrQuery {
  const q: Record<string, string> = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  if (q.status && !SR_STATUSES.includes(q.status as SrStatus)) delete q.status;
  for (const k of ['overdue', 'needsRecheck'] as const) if (q[k] && q[k] !== 'true') delete q[k];
  return q as SrQuery;
}

const clean = (q: SrQuery) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
const keyOf = (q: SrQuery) => JSON.stringify(Object.entries(clean(q)).sort());

function toFilters(q: SrQuery): Filters {
  return {
    q: q.q,
    customerId: q.customerId,
    category: q.category,
    departmentId: q.departmentId,
    partNumber: q.partNumber,
    flags: [
      ...(q.overdue === 'true' ? (['overdue'] as const) : []),
      ...(q.needsRecheck === 'true' ? (['needsRecheck'] as const) : []),
    ],
  };
}

function toQuery(f: Filters, status: SrStatus | undefined): SrQuery {
  return {
    status,
    q: f.q?.trim() || undefined,
    customerId: f.customerId,
    category: f.category,
    departmentId: f.departmentId,
    partNumber: f.partNumber?.trim() || undefined,
    overdue: f.flags?.includes('overdue') ? 'true' : undefined,
    needsRecheck: f.flags?.includes('needsRecheck') ? 'true' : undefined,
  };
}

/** 顾客特殊要求清单 /special-requirements: every requirement of every customer the reader may see. */
export default function SrListPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const categories = useSrCategories();
  const departments = useDepartments();
  const initial = useMemo(() => fromParams(params), [params]);
  const list = useKeysetList<RequirementSummary, SrQuery>((q, cursor) => srApi.list(q, cursor), initial);
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

  const apply = (q: SrQuery) => {
    applied.current = keyOf(q);
    setParams(clean(q), { replace: true });
    list.reload(q);
  };
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    try {
      const { status: s, ...rest } = clean(list.filters);
      await downloadFile(srApi.exportUrl({ ...rest, status: s as SrStatus | undefined }, format));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  const status = list.filters.status as SrStatus | undefined;
  const filtered = Object.keys(clean(list.filters)).length > 0;
  const col = { xs: 24, md: 12, xl: 6 };

  return (
    <PageContainer
      title={t('sr.title')}
      subTitle={t('sr.intro')}
      extra={
        <>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'xlsx', label: t('sr.export.xlsx') },
                { key: 'csv', label: t('sr.export.csv') },
              ],
              onClick: ({ key }) => exportAs(key as 'xlsx' | 'csv'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting} data-testid="sr-export">
              {t('sr.export.button')} <DownOutlined />
            </Button>
          </Dropdown>
          {can('sr.configure') && (
            <Button icon={<SettingOutlined />} onClick={() => navigate('/special-requirements/settings')}>
              {t('nav.srSettings')}
            </Button>
          )}
          {mayCreate(can) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('sr.new.button')}
            </Button>
          )}
        </>
      }
    >
      <Card>
        <Form<Filters>
          name="srFilter"
          form={form}
          onFinish={(v) => apply(toQuery(v, status))}
          initialValues={toFilters(initial)}
          labelCol={{ flex: '80px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Form.Item name="q" label={t('sr.filter.keyword')}>
                <Input placeholder={t('sr.filter.keywordPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={6}>
              <Form.Item name="customerId" label={t('sr.field.customer')}>
                <CustomerPicker allowClear placeholder={t('common.all')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={6}>
              <Form.Item name="partNumber" label={t('sr.field.partNumber')}>
                <Input allowClear placeholder={t('sr.filter.partNumberPlaceholder')} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="category" label={t('sr.field.category')}>
                <Select allowClear placeholder={t('common.all')} options={categories.options} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="departmentId"
                label={t('sr.filter.department')}
                tooltip={t('sr.filter.departmentHelp')}
              >
                <DepartmentSelect
                  departments={departments.items}
                  allowInactive
                  placeholder={t('common.all')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="flags" label={t('sr.filter.flags')}>
                <Checkbox.Group
                  options={[
                    { value: 'overdue', label: t('sr.filter.overdue') },
                    { value: 'needsRecheck', label: t('sr.recheck.tag') },
                  ]}
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
      <ListCard title={t('sr.list')} total={null} onRefresh={() => list.reload()}>
        <Tabs
          activeKey={status ?? 'all'}
          onChange={(key) =>
            apply({ ...list.filters, status: key === 'all' ? undefined : (key as SrStatus) })
          }
          style={{ marginTop: -12 }}
          items={[
            { key: 'all', label: t('sr.tab.all') },
            ...SR_STATUSES.map((s) => ({ key: s, label: label(SR_STATUS_LABELS[s]) })),
          ]}
        />
        <SrTable
          items={list.items}
          loading={list.loading}
          empty={filtered ? t('common.noMatch') : mayCreate(can) ? t('sr.emptyCanCreate') : t('sr.empty')}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
      <NewRequirementDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(r) => {
          setCreating(false);
          navigate(`/special-requirements/${r.id}`);
        }}
      />
    </PageContainer>
  );
}
