import {
  ClockCircleOutlined,
  DownloadOutlined,
  ExceptionOutlined,
  FieldTimeOutlined,
  FileSearchOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Result,
  Row,
  Select,
  Skeleton,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { CheckReport, CustomerListItem } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { customersApi } from '../../api/customers';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';
import {
  ArchiveCode,
  CustomerLink,
  CustomerStatusTag,
  Dash,
  OwnerNames,
  useCustomerConfig,
  useFieldLabel,
  useLookups,
} from './shared';

type Section = 'missingFields' | 'stale' | 'overdueFilings' | 'lateChanges';
type LateChange = CheckReport['lateChanges']['items'][number];
type Missing = CheckReport['missingFields']['items'][number];

const MONTHS = [3, 6, 12, 24];

/** 定期检查 (R-C11, 每半年检查): missing fields, stale archives, overdue filings, late changes. */
export default function CheckPage() {
  const t = useT();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const fieldLabel = useFieldLabel(config);
  const [staleMonths, setStaleMonths] = useState<number | null>(null);
  const [report, setReport] = useState<CheckReport | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Section>('missingFields');

  const load = useCallback(
    async (months: number | null) => {
      setLoading(true);
      try {
        setReport(await customersApi.check(months ?? undefined, 200));
        setError(null);
      } catch (e) {
        setError(errorText(e));
        message.error(errorText(e));
      } finally {
        setLoading(false);
      }
    },
    [message],
  );

  useEffect(() => {
    load(staleMonths);
  }, [load, staleMonths]);

  const months = staleMonths ?? report?.staleMonths ?? config?.settings.staleMonths ?? 6;

  const base: TableColumnsType<CustomerListItem> = [
    {
      title: t('customers.field.archiveCode'),
      dataIndex: 'archiveCode',
      width: 130,
      render: (v: string, c) => (
        <CustomerLink id={c.id}>
          <ArchiveCode code={v} />
        </CustomerLink>
      ),
    },
    {
      title: t('customers.field.name'),
      dataIndex: 'name',
      width: 220,
      ellipsis: true,
      render: (v: string, c) => <CustomerLink id={c.id}>{v}</CustomerLink>,
    },
    {
      title: t('customers.field.category'),
      dataIndex: 'category',
      width: 96,
      render: (v: string) => lookups.label('category', v),
    },
    {
      title: t('customers.field.department'),
      dataIndex: 'departmentName',
      width: 110,
      render: (v: string | null) => v ?? <Dash />,
    },
    {
      title: t('customers.field.owners'),
      dataIndex: 'owners',
      width: 120,
      render: (v: string[]) => <OwnerNames names={v} />,
    },
    {
      title: t('customers.field.status'),
      key: 'status',
      width: 130,
      render: (_, c) => <CustomerStatusTag status={c.status} overdue={c.filingOverdue} />,
    },
  ];

  const missingColumns: TableColumnsType<Missing> = [
    ...(base as TableColumnsType<Missing>),
    {
      title: t('check.missing'),
      dataIndex: 'missing',
      render: (v: string[]) => (
        <Flex gap={4} wrap>
          {v.map((f) => (
            <Tag key={f} color="orange" style={{ marginInlineEnd: 0 }}>
              {fieldLabel(f)}
            </Tag>
          ))}
        </Flex>
      ),
    },
  ];

  const staleColumns: TableColumnsType<CustomerListItem> = [
    ...base,
    {
      title: t('customers.field.updatedAt'),
      dataIndex: 'updatedAt',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
  ];

  const overdueColumns: TableColumnsType<CustomerListItem> = [
    ...base,
    {
      title: t('customers.field.filingDueDate'),
      dataIndex: 'filingDueDate',
      width: 120,
      render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text>,
    },
  ];

  const lateColumns: TableColumnsType<LateChange> = [
    {
      title: t('customers.field.archiveCode'),
      dataIndex: 'archiveCode',
      width: 130,
      render: (v: string, c) => (
        <CustomerLink id={c.customerId}>
          <ArchiveCode code={v} />
        </CustomerLink>
      ),
    },
    { title: t('customers.field.name'), dataIndex: 'name', width: 220, ellipsis: true },
    {
      title: t('check.field'),
      dataIndex: 'field',
      width: 140,
      render: (v: string | null) => (v ? fieldLabel(v) : <Dash />),
    },
    {
      title: t('check.changeDate'),
      dataIndex: 'changeDate',
      width: 120,
      render: (v: string | null) => v ?? <Dash />,
    },
    {
      title: t('check.recordedAt'),
      dataIndex: 'recordedAt',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('check.recordedBy'),
      dataIndex: 'actorName',
      width: 100,
      render: (v: string | null) => v ?? <Dash />,
    },
  ];

  const table = <T extends object>(
    rows: T[] | undefined,
    columns: TableColumnsType<T>,
    rowKey: (r: T) => string,
    count: number,
  ): ReactNode => (
    <Flex vertical gap={8}>
      {rows && rows.length < count && (
        <Typography.Text type="secondary">
          {t('check.firstShown', { shown: rows.length, count })}
        </Typography.Text>
      )}
      <Table<T>
        rowKey={rowKey}
        size="middle"
        columns={columns}
        dataSource={rows ?? []}
        loading={loading}
        pagination={(rows?.length ?? 0) > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('check.sectionEmpty')} />,
        }}
      />
    </Flex>
  );

  const stat = (key: Section, title: string, icon: ReactNode, color: string, help: string) => {
    const count = report?.[key].count;
    return (
      <Col xs={12} xl={6}>
        <Card
          hoverable
          onClick={() => setTab(key)}
          style={{ borderColor: tab === key ? token.colorPrimary : undefined, height: '100%' }}
          data-testid={`check-${key}`}
        >
          <Statistic
            title={
              <Tooltip title={help}>
                <span>{title}</span>
              </Tooltip>
            }
            value={count ?? '-'}
            prefix={<span style={{ color }}>{icon}</span>}
            styles={{ content: { color: count ? color : undefined } }}
            loading={loading && !report}
          />
        </Card>
      </Col>
    );
  };

  if (error && !report) {
    return (
      <PageContainer title={t('check.title')}>
        <Result
          status="error"
          title={error}
          extra={
            <Button type="primary" onClick={() => load(staleMonths)}>
              {t('common.retry')}
            </Button>
          }
        />
      </PageContainer>
    );
  }

  return (
    <PageContainer
      title={t('check.title')}
      subTitle={
        report ? t('check.generatedAt', { time: formatDateTime(report.generatedAt) }) : t('check.subtitle')
      }
      extra={
        <>
          <Flex align="center" gap={8}>
            <Typography.Text>{t('check.staleMonths')}</Typography.Text>
            <Select<number>
              value={months}
              onChange={setStaleMonths}
              style={{ width: 120 }}
              options={[...new Set([...MONTHS, months])]
                .sort((a, b) => a - b)
                .map((m) => ({ value: m, label: t('check.months', { count: m }) }))}
            />
          </Flex>
          <Tooltip title={t('common.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => load(staleMonths)}
              aria-label={t('common.refresh')}
            />
          </Tooltip>
          <Button icon={<DownloadOutlined />} href={customersApi.checkExportUrl(months)}>
            {t('check.export')}
          </Button>
        </>
      }
    >
      <Row gutter={[16, 16]}>
        {stat(
          'missingFields',
          t('check.section.missing'),
          <ExceptionOutlined />,
          '#d46b08',
          t('check.help.missing'),
        )}
        {stat(
          'stale',
          t('check.section.stale', { months }),
          <ClockCircleOutlined />,
          '#d4b106',
          t('check.help.stale', { months }),
        )}
        {stat(
          'overdueFilings',
          t('check.section.overdue'),
          <FileSearchOutlined />,
          '#cf1322',
          t('check.help.overdue'),
        )}
        {stat(
          'lateChanges',
          t('check.section.late'),
          <FieldTimeOutlined />,
          '#c41d7f',
          t('check.help.late', { months }),
        )}
      </Row>
      {!report ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        <Card styles={{ body: { paddingTop: 4 } }}>
          <Tabs
            activeKey={tab}
            onChange={(k) => setTab(k as Section)}
            items={[
              {
                key: 'missingFields',
                label: `${t('check.section.missing')} (${report.missingFields.count})`,
                children: table(
                  report.missingFields.items,
                  missingColumns,
                  (r) => r.id,
                  report.missingFields.count,
                ),
              },
              {
                key: 'stale',
                label: `${t('check.section.stale', { months })} (${report.stale.count})`,
                children: table(report.stale.items, staleColumns, (r) => r.id, report.stale.count),
              },
              {
                key: 'overdueFilings',
                label: `${t('check.section.overdue')} (${report.overdueFilings.count})`,
                children: table(
                  report.overdueFilings.items,
                  overdueColumns,
                  (r) => r.id,
                  report.overdueFilings.count,
                ),
              },
              {
                key: 'lateChanges',
                label: `${t('check.section.late')} (${report.lateChanges.count})`,
                children: table(
                  report.lateChanges.items,
                  lateColumns,
                  (r) => `${r.customerId}:${r.recordedAt}:${r.field}`,
                  report.lateChanges.count,
                ),
              },
            ]}
          />
        </Card>
      )}
    </PageContainer>
  );
}
