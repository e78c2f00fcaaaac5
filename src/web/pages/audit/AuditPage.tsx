import {
  DownloadOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useState } from 'react';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_DETAIL_LABELS,
  AUDIT_REASON_LABELS,
  AUDIT_TARGET_LABELS,
} from '../../../common/audit-actions';
import {
  AUDIT_OUTCOME_LABELS,
  AUDIT_OUTCOMES,
  type AuditOutcome,
  ROLE_LABELS,
  type Role,
  SECRECY_LABELS,
  type SecrecyLevel,
} from '../../../common/enums';
import type { AuditEntry, VerifyResult } from '../../../common/schemas/platform';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { type AuditQuery, auditApi } from '../../api/platform';
import { useAuth } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { type MessageKey, useLabel, useT } from '../../i18n';

interface Filters {
  actor?: string;
  action?: string;
  targetType?: string;
  target?: string;
  outcome?: AuditOutcome;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const OUTCOME_COLORS: Record<AuditOutcome, string> = { success: 'green', failure: 'red', denied: 'orange' };

function toQuery(f: Filters): AuditQuery {
  const text = (s?: string) => s?.trim() || undefined;
  return {
    actor: text(f.actor),
    action: text(f.action),
    targetType: f.targetType,
    target: text(f.target),
    outcome: f.outcome,
    from: f.range?.[0]?.format('YYYY-MM-DD'),
    to: f.range?.[1]?.format('YYYY-MM-DD'),
  };
}

function isChange(v: unknown): v is { from: unknown; to: unknown } {
  return !!v && typeof v === 'object' && 'from' in v && 'to' in v && Object.keys(v).length === 2;
}

// Field names in details, per target type, shown with the UI's labels.
const FIELD_LABELS: Record<string, Record<string, MessageKey>> = {
  user: {
    login: 'users.login',
    name: 'users.name',
    email: 'users.email',
    phone: 'users.phone',
    departmentId: 'users.department',
    roles: 'users.roles',
    clearance: 'users.clearance',
    active: 'users.status',
  },
  department: {
    name: 'departments.name',
    code: 'departments.code',
    parentId: 'departments.parent',
    sortOrder: 'departments.sortOrder',
    active: 'common.status',
  },
  calendar_day: { working: 'calendar.type', note: 'calendar.note' },
  api_token: { prefix: 'tokens.prefix', expiresAt: 'tokens.expiresAt' },
};

/** What names an object found in details: its name, login, number or title (with the id's kind). */
function nameOf(o: object): string | null {
  const r = o as Record<string, unknown>;
  const text = (k: string) => (typeof r[k] === 'string' && r[k] ? (r[k] as string) : null);
  const main = text('name') ?? text('title') ?? text('number') ?? text('label');
  const login = text('login');
  if (main && login) return `${main}（${login}）`;
  return main ?? login;
}

/** Renders one value of an entry's details: known codes as labels, the rest as text or JSON. */
function useDetailValue() {
  const t = useT();
  const label = useLabel();
  return (key: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '') {
      return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
    }
    if (key === 'roles' && Array.isArray(v)) {
      return v.map((r) => label(ROLE_LABELS[r as Role], String(r))).join('、');
    }
    if (key === 'clearance' && typeof v === 'string') return label(SECRECY_LABELS[v as SecrecyLevel], v);
    if (key === 'reason' && typeof v === 'string' && AUDIT_REASON_LABELS[v])
      return label(AUDIT_REASON_LABELS[v]);
    if (key === 'active' && typeof v === 'boolean') return v ? t('common.active') : t('common.inactive');
    if (key === 'working' && typeof v === 'boolean')
      return v ? t('calendar.working') : t('calendar.notWorking');
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      return v.join('、');
    // A person, record or step named inside the details: by what a reader recognises.
    const named = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? nameOf(x) : null);
    if (named(v)) return named(v);
    if (Array.isArray(v) && v.length > 0 && v.every((x) => named(x))) return v.map(named).join('、');
    return (
      <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
        {JSON.stringify(v, null, 2)}
      </pre>
    );
  };
}

/** The expanded row: ids and the entry's details, with {from, to} pairs shown as changes. */
function EntryDetails({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const label = useLabel();
  const value = useDetailValue();
  const fields = FIELD_LABELS[entry.targetType ?? ''] ?? {};
  // The target type's own field names first, then the common keys of details; the raw key stays
  // in the tooltip for whoever compares with the export.
  const fieldName = (key: string): ReactNode => {
    const k = fields[key];
    const common = AUDIT_DETAIL_LABELS[key];
    return k || common ? (
      <Tooltip title={key}>
        <span>{k ? t(k) : label(common)}</span>
      </Tooltip>
    ) : (
      key
    );
  };
  const change = (key: string, c: { from: unknown; to: unknown }) => (
    <span>
      <Typography.Text delete type="secondary">
        {value(key, c.from)}
      </Typography.Text>
      <span style={{ margin: '0 8px' }}>→</span>
      <Typography.Text strong>{value(key, c.to)}</Typography.Text>
    </span>
  );
  const items: { key: string; label: ReactNode; children: ReactNode }[] = [
    {
      key: '_action',
      label: t('audit.actionCode'),
      children: <Typography.Text code>{entry.action}</Typography.Text>,
    },
    { key: '_target', label: t('audit.targetId'), children: value('', entry.targetId) },
    { key: '_req', label: t('audit.requestId'), children: value('', entry.requestId) },
    { key: '_secrecy', label: t('audit.secrecy'), children: label(SECRECY_LABELS[entry.secrecy]) },
  ];
  for (const [key, v] of Object.entries(entry.details ?? {})) {
    if (key === 'changes' && v && typeof v === 'object' && !Array.isArray(v)) {
      items.push({
        key,
        label: t('audit.changes'),
        children: (
          <Flex vertical gap={4}>
            {Object.entries(v as Record<string, unknown>).map(([field, c]) => (
              <div key={field}>
                <Typography.Text type="secondary">
                  {fieldName(field)}
                  {t('common.colon')}
                </Typography.Text>
                {isChange(c) ? change(field, c) : value(field, c)}
              </div>
            ))}
          </Flex>
        ),
      });
    } else if (key === 'triggeredBy' && entry.triggeredBy) {
      const by = entry.triggeredBy;
      items.push({ key, label: fieldName(key), children: `${by.name}（${by.login}）` });
    } else {
      items.push({ key, label: fieldName(key), children: isChange(v) ? change(key, v) : value(key, v) });
    }
  }
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, lg: 2 }}
      items={items}
      styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
      style={{ margin: '4px 0' }}
    />
  );
}

function VerifyAlert({ result, onClose }: { result: VerifyResult; onClose: () => void }) {
  const t = useT();
  const label = useLabel();
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        closable={{ onClose }}
        title={t('audit.verifyOk')}
        description={
          <Flex vertical gap={4}>
            <span>{t('audit.verifyOkDetail', { checked: result.checked, head: result.headSeq })}</span>
            {result.anchors > 0 ? (
              <span>{t('audit.verifyAnchors', { count: result.anchors })}</span>
            ) : (
              result.checked > 0 && <span>{t('audit.verifyNoAnchor')}</span>
            )}
            {result.repaired.length > 0 && (
              <span>
                {t('audit.verifyRepaired', {
                  count: result.repaired.length,
                  by: result.repaired.map((r) => r.by).join('、'),
                })}
              </span>
            )}
          </Flex>
        }
        data-testid="verify-result"
      />
    );
  }
  const broken = result.firstBroken;
  return (
    <Alert
      type="error"
      showIcon
      closable={{ onClose }}
      title={t('audit.verifyBroken', { seq: broken?.seq ?? '?' })}
      description={
        <Flex vertical gap={4}>
          <span>
            {t('audit.verifyBrokenDetail', {
              reason: broken ? t(`audit.reason.${broken.reason}`) : '',
              checked: result.checked,
              head: result.headSeq,
            })}
          </span>
          {broken?.anchor && (
            <span>
              {t('audit.verifyAnchor', {
                source: broken.anchor.source,
                at: formatDateTime(broken.anchor.at),
                seq: broken.anchor.seq,
              })}
            </span>
          )}
          {broken?.action && (
            <span>
              {t('audit.verifyBrokenEntry', {
                action: label(AUDIT_ACTION_LABELS[broken.action], broken.action),
                at: formatDateTime(broken.at),
              })}
            </span>
          )}
        </Flex>
      }
      data-testid="verify-result"
    />
  );
}

export default function AuditPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Filters>();
  const list = useKeysetList<AuditEntry, AuditQuery>((q, cursor) => auditApi.search(q, cursor), {});
  const [verifying, setVerifying] = useState(false);
  const [verifyResult, setVerifyResult] = useState<VerifyResult | null>(null);

  const actionOptions = Object.entries(AUDIT_ACTION_LABELS).map(([code, l]) => ({
    value: code,
    search: `${l.zh} ${l.en} ${code}`.toLowerCase(),
    label: (
      <Flex justify="space-between" gap={12}>
        <span>{label(l)}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {code}
        </Typography.Text>
      </Flex>
    ),
  }));

  const verify = async () => {
    setVerifying(true);
    setVerifyResult(null);
    try {
      setVerifyResult(await auditApi.verify());
      list.reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setVerifying(false);
    }
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 80, render: (v: number) => `#${v}` },
    { title: t('audit.time'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('audit.actor'),
      dataIndex: 'actorLogin',
      width: 170,
      render: (v: string | null, e) =>
        e.triggeredBy ? (
          <Tooltip title={e.triggeredBy.login}>
            <Typography.Text type="secondary">
              {t('audit.systemTriggered', { name: e.triggeredBy.name })}
            </Typography.Text>
          </Tooltip>
        ) : !v || v === 'system' ? (
          <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>
        ) : (
          v
        ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 150,
      render: (v: string) => (
        <Tooltip title={v}>
          <span>{label(AUDIT_ACTION_LABELS[v], v)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('audit.target'),
      key: 'target',
      render: (_, e) =>
        e.targetType || e.targetLabel || e.targetId ? (
          <Flex gap={4} align="center" wrap>
            {e.targetType && (
              <Tag style={{ marginInlineEnd: 0 }}>
                {label(AUDIT_TARGET_LABELS[e.targetType], e.targetType)}
              </Tag>
            )}
            <Tooltip title={e.targetId}>
              <span>{e.targetLabel ?? e.targetId ?? ''}</span>
            </Tooltip>
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      width: 90,
      render: (v: AuditOutcome) => <Tag color={OUTCOME_COLORS[v]}>{label(AUDIT_OUTCOME_LABELS[v], v)}</Tag>,
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
  ];

  const search = (values: Filters) => list.reload(toQuery(values));

  return (
    <PageContainer
      title={t('audit.title')}
      extra={
        <>
          {can('audit.verify') && (
            <Button icon={<SafetyCertificateOutlined />} onClick={verify} loading={verifying}>
              {t('audit.verify')}
            </Button>
          )}
          {can('audit.export') && (
            <Tooltip title={t('audit.exportHint')}>
              <Button type="primary" icon={<DownloadOutlined />} href={auditApi.exportUrl(list.filters)}>
                {t('audit.export')}
              </Button>
            </Tooltip>
          )}
        </>
      }
    >
      {verifying && (
        <Alert
          type="info"
          showIcon
          icon={<Spin size="small" />}
          title={t('audit.verifying')}
          data-testid="verify-running"
        />
      )}
      {verifyResult && <VerifyAlert result={verifyResult} onClose={() => setVerifyResult(null)} />}
      <Card>
        <Form<Filters>
          name="auditFilter"
          form={form}
          onFinish={search}
          labelCol={{ flex: '72px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="actor" label={t('audit.actor')}>
                <Input placeholder={t('audit.actorPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="action" label={t('audit.action')}>
                <AutoComplete
                  options={actionOptions}
                  placeholder={t('audit.actionPlaceholder')}
                  allowClear
                  showSearch={{
                    filterOption: (input, option) => !!option?.search.includes(input.trim().toLowerCase()),
                  }}
                  popupMatchSelectWidth={320}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="targetType" label={t('audit.targetType')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={Object.entries(AUDIT_TARGET_LABELS).map(([code, l]) => ({
                    value: code,
                    label: label(l),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="target" label={t('audit.target')}>
                <Input placeholder={t('audit.targetPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="outcome" label={t('audit.outcome')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={AUDIT_OUTCOMES.map((o) => ({ value: o, label: label(AUDIT_OUTCOME_LABELS[o]) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="range" label={t('audit.dateRange')}>
                <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
              </Form.Item>
            </Col>
          </Row>
          <Flex justify="flex-end" gap={8}>
            <Button
              onClick={() => {
                form.resetFields();
                search({});
              }}
            >
              {t('common.reset')}
            </Button>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('common.search')}
            </Button>
          </Flex>
        </Form>
      </Card>
      <Card
        title={t('audit.list')}
        extra={
          <Tooltip title={t('common.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => list.reload()}
              aria-label={t('common.refresh')}
            />
          </Tooltip>
        }
      >
        <Table<AuditEntry>
          rowKey="seq"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 960 }}
          expandable={{
            columnTitle: t('audit.details'),
            columnWidth: 56,
            expandedRowRender: (e) => <EntryDetails entry={e} />,
          }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} />,
          }}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </Card>
    </PageContainer>
  );
}
