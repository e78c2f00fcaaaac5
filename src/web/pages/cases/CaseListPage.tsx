import { PhoneOutlined, SearchOutlined, SettingOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Col, DatePicker, Flex, Form, Input, Radio, Row, Select, Tabs } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  type CaseKind,
  type CaseStatus,
  SEVERITIES,
  SEVERITY_LABELS,
  type Severity,
} from '../../../common/cases';
import type { CaseSummary } from '../../../common/schemas/cases';
import { type CaseCounts, type CaseQuery, casesApi } from '../../api/cases';
import { useAuth } from '../../auth/AuthContext';
import { ListCard } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { NewCaseDrawer } from './NewCaseDrawer';
import { CaseTable, useCaseTypes } from './shared';

type View = 'all' | 'mine' | 'breached';

interface Filters {
  q?: string;
  kind?: CaseKind;
  type?: string;
  severity?: Severity;
  received?: [Dayjs, Dayjs] | null;
  view?: View;
}

const KEYS = ['status', 'kind', 'type', 'severity', 'from', 'to', 'view', 'q'] as const;

/** The list's state lives in the address, so that the 我的待办 tiles link to a filtered list and
 * "back" from a case restores it. */
function fromParams(params: URLSearchParams): CaseQuery {
  const q: Record<string, string> = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  if (q.status && !CASE_STATUSES.includes(q.status as CaseStatus)) delete q.status;
  if (q.view && !['all', 'mine', 'breached'].includes(q.view)) delete q.view;
  return q as CaseQuery;
}

function toQuery(f: Filters, status: CaseStatus | undefined): CaseQuery {
  const day = (d?: Dayjs) => d?.format('YYYY-MM-DD');
  return {
    status,
    q: f.q?.trim() || undefined,
    kind: f.kind,
    type: f.type,
    severity: f.severity,
    from: day(f.received?.[0]),
    to: day(f.received?.[1]),
    view: f.view && f.view !== 'all' ? f.view : undefined,
  };
}

function toFilters(q: CaseQuery): Filters {
  return {
    q: q.q,
    kind: q.kind,
    type: q.type,
    severity: q.severity,
    received: q.from && q.to ? [dayjs(q.from), dayjs(q.to)] : null,
    view: (q.view as View | undefined) ?? 'all',
  };
}

const clean = (q: CaseQuery) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;

/** 投诉与服务 /cases: filters above, status tabs with their counts, the cases with their clocks. */
export default function CaseListPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const types = useCaseTypes();
  const initial = useMemo(() => fromParams(params), [params]);
  const list = useKeysetList<CaseSummary, CaseQuery>((q, cursor) => casesApi.list(q, cursor), initial);
  const [counts, setCounts] = useState<CaseCounts | null>(null);
  const [creating, setCreating] = useState(false);
  const kind = Form.useWatch('kind', form);

  const { status, ...rest } = list.filters;
  const countKey = JSON.stringify(rest);
  // biome-ignore lint/correctness/useExhaustiveDependencies: countKey stands for the filters
  useEffect(() => {
    const ctrl = new AbortController();
    setCounts(null);
    casesApi
      .counts(rest, ctrl.signal)
      .then(setCounts)
      .catch(() => {});
    return () => ctrl.abort();
  }, [countKey, list.items]);

  const apply = (q: CaseQuery) => {
    setParams(clean(q), { replace: true });
    list.reload(q);
  };
  const total = counts ? CASE_STATUSES.reduce((n, s) => n + counts[s], 0) : null;
  const col = { xs: 24, md: 12, lg: 8, xl: 6 };

  return (
    <PageContainer
      title={t('cases.title')}
      subTitle={t('cases.intro')}
      extra={
        <>
          {can('case.configure') && (
            <Button icon={<SettingOutlined />} onClick={() => navigate('/cases/settings')}>
              {t('nav.caseSettings')}
            </Button>
          )}
          {can('case.create') && (
            <Button type="primary" icon={<PhoneOutlined />} onClick={() => setCreating(true)}>
              {t('cases.new.button')}
            </Button>
          )}
        </>
      }
    >
      <Card>
        <Form<Filters>
          name="caseFilter"
          form={form}
          onFinish={(v) => apply(toQuery(v, status))}
          initialValues={toFilters(initial)}
          labelCol={{ flex: '80px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} lg={16} xl={12}>
              <Form.Item name="q" label={t('cases.keyword')}>
                <Input placeholder={t('cases.keywordPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="kind" label={t('cases.field.kind')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={CASE_KINDS.map((k) => ({ value: k, label: label(CASE_KIND_LABELS[k]) }))}
                  onChange={() => form.setFieldValue('type', undefined)}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="type" label={t('cases.field.type')}>
                <Select allowClear placeholder={t('common.all')} options={types.options(kind, false)} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="severity" label={t('cases.field.severity')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={SEVERITIES.map((s) => ({ value: s, label: label(SEVERITY_LABELS[s]) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="received" label={t('cases.receivedRange')}>
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={10}>
              <Form.Item name="view" label={t('cases.view')}>
                <Radio.Group
                  optionType="button"
                  onChange={() => form.submit()}
                  options={[
                    { value: 'all', label: t('cases.view.all') },
                    { value: 'mine', label: t('cases.view.mine') },
                    { value: 'breached', label: t('cases.view.breached') },
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
      <ListCard
        title={t('cases.list')}
        total={total === null ? null : t('cases.total', { count: status ? (counts?.[status] ?? 0) : total })}
        onRefresh={() => list.reload()}
      >
        <Tabs
          activeKey={status ?? 'all'}
          onChange={(key) =>
            apply({ ...list.filters, status: key === 'all' ? undefined : (key as CaseStatus) })
          }
          style={{ marginTop: -12 }}
          items={[
            { key: 'all', label: tabLabel(t('cases.tab.all'), total) },
            ...CASE_STATUSES.map((s) => ({
              key: s,
              label: tabLabel(label(CASE_STATUS_LABELS[s]), counts?.[s] ?? null, s === 'new'),
            })),
          ]}
        />
        <CaseTable
          items={list.items}
          loading={list.loading}
          empty={Object.keys(clean(list.filters)).length ? t('common.noMatch') : t('cases.empty')}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
      <NewCaseDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          navigate(`/cases/${c.id}`);
        }}
      />
    </PageContainer>
  );
}

function tabLabel(text: string, count: number | null, highlight = false) {
  return (
    <Flex gap={6} align="center">
      <span>{text}</span>
      {count !== null && (
        <Badge
          count={count}
          showZero
          overflowCount={9999}
          color={highlight && count > 0 ? '#faad14' : '#d9d9d9'}
          style={highlight && count > 0 ? undefined : { color: 'rgba(0,0,0,0.65)' }}
        />
      )}
    </Flex>
  );
}
