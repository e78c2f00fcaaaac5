import {
  BarChartOutlined,
  DownloadOutlined,
  DownOutlined,
  PhoneOutlined,
  SearchOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Dropdown,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  CAUSE_CATEGORIES,
  CAUSE_LABELS,
  type CaseKind,
  type CaseStatus,
  type CauseCategory,
  CLOCK_LABELS,
  CLOCKS,
  type Clock,
  OUTCOME_LABELS,
  OUTCOMES,
  type Outcome,
  SEVERITIES,
  SEVERITY_LABELS,
  type Severity,
} from '../../../common/cases';
import type { CaseSummary } from '../../../common/schemas/cases';
import { type CaseCounts, type CaseQuery, type CaseRegister, casesApi } from '../../api/cases';
import { errorText } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useDepartments } from '../../components/departments';
import { downloadFile } from '../../components/FileLink';
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

const FORM_KEYS = ['status', 'kind', 'type', 'severity', 'from', 'to', 'view', 'q'] as const;
/** Filters the form has no field for: a statistics number's link sets them (the month, the
 * product, the cause …); they show as tags above the list, each removable. */
const EXTRA_KEYS = [
  'month',
  'cause',
  'outcome',
  'departmentId',
  'customerId',
  'product',
  'unset',
  'clock',
  'clockState',
] as const;
type ExtraKey = (typeof EXTRA_KEYS)[number];
const KEYS = [...FORM_KEYS, ...EXTRA_KEYS] as const;
const CLOCK_STATES = ['met', 'late', 'breached', 'open'] as const;
const UNSETS = ['cause', 'department', 'product'] as const;
const oneOf = (list: readonly string[], v: string | undefined) => v === undefined || list.includes(v);

/** The list's state lives in the address, so that the 我的待办 tiles link to a filtered list and
 * "back" from a case restores it. */
function fromParams(params: URLSearchParams): CaseQuery {
  const q: Record<string, string> = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  if (!oneOf(CASE_STATUSES, q.status)) delete q.status;
  if (!oneOf(['all', 'mine', 'breached'], q.view)) delete q.view;
  if (!oneOf(CASE_KINDS, q.kind)) delete q.kind;
  if (!oneOf(SEVERITIES, q.severity)) delete q.severity;
  if (!oneOf(CAUSE_CATEGORIES, q.cause)) delete q.cause;
  if (!oneOf(OUTCOMES, q.outcome)) delete q.outcome;
  if (!oneOf(UNSETS, q.unset)) delete q.unset;
  if (!oneOf(CLOCKS, q.clock)) delete q.clock;
  if (!oneOf(CLOCK_STATES, q.clockState)) delete q.clockState;
  if (q.month && !/^\d{4}-\d{2}$/.test(q.month)) delete q.month;
  for (const k of ['from', 'to'] as const) if (q[k] && !/^\d{4}-\d{2}-\d{2}$/.test(q[k])) delete q[k];
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

const extrasOf = (q: CaseQuery): CaseQuery =>
  Object.fromEntries(EXTRA_KEYS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));

/** The same filters however they were ordered. */
const keyOf = (q: CaseQuery) => JSON.stringify(Object.entries(clean(q)).sort());

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
  const { message } = App.useApp();
  const departments = useDepartments();
  const [exporting, setExporting] = useState(false);

  // The address changed from outside (a statistics link, a 我的待办 tile, the menu) while the
  // page stayed: show and list what it now says.
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
    applied.current = keyOf(q);
    setParams(clean(q), { replace: true });
    list.reload(q);
  };
  const exportAs = async (register: CaseRegister, format: 'xlsx' | 'csv') => {
    setExporting(true);
    try {
      await downloadFile(casesApi.registerUrl(register, format, clean(list.filters) as CaseQuery));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  const extras = extrasOf(list.filters);
  const customerName = list.items.find((c) => c.customer.id === extras.customerId)?.customer.name;
  const extraTags = filterTags(extras, {
    t,
    label,
    department: (id) => departments.items.find((d) => d.id === id)?.name,
    customer: () => customerName,
  });
  const total = counts ? CASE_STATUSES.reduce((n, s) => n + counts[s], 0) : null;
  const col = { xs: 24, md: 12, lg: 8, xl: 6 };

  return (
    <PageContainer
      title={t('cases.title')}
      subTitle={t('cases.intro')}
      extra={
        <>
          <Button icon={<BarChartOutlined />} onClick={() => navigate('/cases/statistics')}>
            {t('nav.caseStatistics')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: (['register', 'tracking'] as const).map((register) => ({
                type: 'group' as const,
                key: register,
                label: t(`cases.export.${register}`),
                children: [
                  { key: `${register}.xlsx`, label: t(`cases.export.${register}Xlsx`) },
                  { key: `${register}.csv`, label: t(`cases.export.${register}Csv`) },
                ],
              })),
              onClick: ({ key }) => {
                const [register, format] = key.split('.') as [CaseRegister, 'xlsx' | 'csv'];
                exportAs(register, format);
              },
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting} data-testid="case-export">
              {t('cases.export.button')} <DownOutlined />
            </Button>
          </Dropdown>
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
          onFinish={(v) => apply({ ...extrasOf(list.filters), ...toQuery(v, status) })}
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
                      // 重置 clears the statistics' filters too.
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
        {extraTags.length > 0 && (
          <Flex gap={8} wrap align="center" style={{ marginTop: 12 }} data-testid="case-filter-tags">
            <Typography.Text type="secondary">{t('cases.filterTags')}</Typography.Text>
            {extraTags.map((tag) => (
              <Tag
                key={tag.keys.join('+')}
                color="blue"
                closable
                closeIcon
                onClose={(e) => {
                  e.preventDefault();
                  const next = { ...list.filters };
                  for (const k of tag.keys) delete next[k];
                  apply(next);
                }}
              >
                {tag.text}
              </Tag>
            ))}
          </Flex>
        )}
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

/** The filters the form does not show, as tag texts: 「受理月份：2026-05」「开始调查：已超期」. */
function filterTags(
  q: CaseQuery,
  {
    t,
    label,
    department,
    customer,
  }: {
    t: ReturnType<typeof useT>;
    label: ReturnType<typeof useLabel>;
    department: (id: string) => string | undefined;
    customer: (id: string) => string | undefined;
  },
): { keys: ExtraKey[]; text: string }[] {
  const c = t('common.colon');
  const tags: { keys: ExtraKey[]; text: string }[] = [];
  if (q.month) tags.push({ keys: ['month'], text: `${t('cases.filter.month')}${c}${q.month}` });
  if (q.outcome)
    tags.push({
      keys: ['outcome'],
      text: `${t('cases.field.outcome')}${c}${label(OUTCOME_LABELS[q.outcome as Outcome])}`,
    });
  if (q.cause)
    tags.push({
      keys: ['cause'],
      text: `${t('cases.field.cause')}${c}${label(CAUSE_LABELS[q.cause as CauseCategory])}`,
    });
  if (q.departmentId)
    tags.push({
      keys: ['departmentId'],
      text: `${t('cases.field.handlingDepartment')}${c}${department(q.departmentId) ?? t('cases.filter.chosen')}`,
    });
  if (q.customerId)
    tags.push({
      keys: ['customerId'],
      text: `${t('cases.field.customer')}${c}${customer(q.customerId) ?? t('cases.filter.chosen')}`,
    });
  if (q.product) tags.push({ keys: ['product'], text: `${t('cases.field.product')}${c}${q.product}` });
  if (q.unset) tags.push({ keys: ['unset'], text: t(`cases.filter.unset.${q.unset}`) });
  if (q.clock) {
    const name = label(CLOCK_LABELS[q.clock as Clock]);
    tags.push({
      keys: ['clock', 'clockState'],
      text: q.clockState ? `${name}${c}${t(`cases.stats.state.${q.clockState}`)}` : name,
    });
  } else if (q.clockState) {
    tags.push({ keys: ['clockState'], text: t(`cases.stats.state.${q.clockState}`) });
  }
  return tags;
}
