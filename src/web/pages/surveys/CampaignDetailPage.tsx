import { BellOutlined, ReloadOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Result,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { SurveyCampaignDetail, SurveyInvitation } from '../../../common/schemas/surveys';
import { formatDateTime } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { type InvitationQuery, surveysApi } from '../../api/surveys';
import { Chart, type ChartOption } from '../../components/Chart';
import { useDepartments } from '../../components/departments';
import { LoadMore } from '../../components/LoadMore';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { useCustomerConfig, useLookups } from '../customers/shared';
import { ResponseEntryDrawer } from './ResponseEntryDrawer';
import { CampaignStatusTag, IndexValue, orDash, ratio } from './shared';

type Tab = 'waiting' | 'answered';
type Invitation = SurveyInvitation;

/** 调查详情 /surveys/:id: status and 发送 / 催办 / 结束, progress by department, who was asked. */
export default function CampaignDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const [campaign, setCampaign] = useState<SurveyCampaignDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'send' | 'remind' | 'close' | null>(null);
  const [tab, setTab] = useState<Tab>('waiting');
  const [entering, setEntering] = useState<Invitation | null>(null);
  const list = useKeysetList<Invitation, InvitationQuery>(
    (q, cursor) => surveysApi.invitations(id, q, cursor, 100),
    { state: 'waiting' },
  );

  const load = useCallback(async () => {
    try {
      setCampaign(await surveysApi.campaign(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    setCampaign(null);
    load();
  }, [load]);

  if (isApiError(error) && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('surveys.notFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/surveys')}>
            {t('surveys.backToList')}
          </Button>
        }
      />
    );
  }
  if (error && !campaign) {
    return (
      <Result
        status="error"
        title={errorText(error)}
        extra={
          <Button type="primary" onClick={load}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!campaign) {
    return (
      <PageContainer title={t('surveys.detail')}>
        <PageSpin />
      </PageContainer>
    );
  }

  const c = campaign;
  const waiting = c.progress.sent - c.progress.answered;
  const act = (which: 'send' | 'remind' | 'close', title: string, content: string, ok: string) =>
    modal.confirm({
      title,
      content,
      okButtonProps: which === 'close' ? { danger: true } : undefined,
      okText: t(`surveys.action.${which}`),
      onOk: async () => {
        setBusy(which);
        try {
          const next = await surveysApi[which](c.id);
          setCampaign(next);
          message.success(ok);
          list.reload();
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(null);
        }
      },
    });

  const actions = (
    <>
      <Tooltip title={t('common.refresh')}>
        <Button
          icon={<ReloadOutlined />}
          aria-label={t('common.refresh')}
          onClick={() => {
            load();
            list.reload();
          }}
        />
      </Tooltip>
      {c.can.send && (
        <Button
          type="primary"
          icon={<SendOutlined />}
          loading={busy === 'send'}
          data-testid="campaign-send"
          onClick={() =>
            act(
              'send',
              t('surveys.send.title'),
              t('surveys.send.content', { invited: c.progress.invited }),
              t('surveys.send.done'),
            )
          }
        >
          {t('surveys.action.send')}
        </Button>
      )}
      {c.can.remind && (
        <Button
          icon={<BellOutlined />}
          loading={busy === 'remind'}
          data-testid="campaign-remind"
          onClick={() =>
            act(
              'remind',
              t('surveys.remind.title'),
              t('surveys.remind.content', { n: waiting, days: c.remindAfterDays }),
              t('surveys.remind.done'),
            )
          }
        >
          {t('surveys.action.remind')}
        </Button>
      )}
      {c.can.close && (
        <Button
          danger
          icon={<StopOutlined />}
          loading={busy === 'close'}
          data-testid="campaign-close"
          onClick={() =>
            act(
              'close',
              t('surveys.close.title'),
              t('surveys.close.content', { n: c.progress.invited - c.progress.answered }),
              t('surveys.close.done'),
            )
          }
        >
          {t('surveys.action.close')}
        </Button>
      )}
    </>
  );

  return (
    <PageContainer
      title={c.name}
      subTitle={
        <Space size={8} wrap>
          <CampaignStatusTag status={c.status} />
          <span>{c.number}</span>
          <span>
            {c.template.name} v{c.template.version}
          </span>
          <span>
            {t('surveys.field.period')}
            {t('common.colon')}
            {c.periodLabel}
          </span>
        </Space>
      }
      extra={actions}
    >
      <NextStep campaign={c} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('surveys.progress.invited')} value={c.progress.invited} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('surveys.progress.sent')} value={c.progress.sent} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('surveys.progress.answered')}
              value={c.progress.answered}
              suffix={
                <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                  （{ratio(c.progress.answered, c.progress.invited)}%）
                </Typography.Text>
              }
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('surveys.col.index')}
              value={c.index === null ? '—' : c.index.toFixed(1)}
              styles={
                c.index !== null && c.index < c.lowIndex ? { content: { color: '#cf1322' } } : undefined
              }
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <CampaignInfo campaign={c} />
        </Col>
        <Col xs={24} xl={14}>
          <DepartmentProgress campaign={c} />
        </Col>
      </Row>
      <Card title={t('surveys.invitations.title')}>
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            setTab(k as Tab);
            list.reload({ state: k as Tab });
          }}
          items={[
            { key: 'waiting', label: t('surveys.invitations.waiting') },
            { key: 'answered', label: t('surveys.invitations.answered') },
          ]}
        />
        <InvitationTable
          campaign={c}
          items={list.items}
          loading={list.loading}
          tab={tab}
          onEnter={setEntering}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </Card>
      <ResponseEntryDrawer
        invitation={entering}
        templateId={c.template.id}
        onClose={() => setEntering(null)}
        onDone={(r) => {
          setEntering(null);
          load();
          list.reload();
          if (r.action) message.info(t('surveys.entry.actionOpened', { number: r.action.number }));
        }}
      />
    </PageContainer>
  );
}

/** What the quality manager does next, in words. */
function NextStep({ campaign: c }: { campaign: SurveyCampaignDetail }) {
  const t = useT();
  if (c.status === 'draft') {
    return (
      <Alert
        type="info"
        showIcon
        title={
          c.progress.invited === 0
            ? t('surveys.next.draftEmpty')
            : t('surveys.next.draft', { invited: c.progress.invited })
        }
      />
    );
  }
  if (c.status === 'running') {
    return <Alert type="info" showIcon title={t('surveys.next.running', { closesOn: c.closesOn })} />;
  }
  return <Alert type="success" showIcon title={t('surveys.next.closed')} />;
}

function CampaignInfo({ campaign: c }: { campaign: SurveyCampaignDetail }) {
  const t = useT();
  const departments = useDepartments();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const f = c.filters;
  const deptName = (id: string) => departments.items.find((d) => d.id === id)?.name ?? id;
  const parts = [
    f.categories.length
      ? `${t('surveys.filter.categories')}：${f.categories.map((x) => lookups.label('category', x)).join('、')}`
      : null,
    f.kinds.length
      ? `${t('surveys.filter.kinds')}：${f.kinds.map((x) => lookups.label('kind', x)).join('、')}`
      : null,
    f.grades.length ? `${t('surveys.filter.grades')}：${f.grades.join('、')}` : null,
    f.departmentIds.length
      ? `${t('surveys.filter.departments')}：${f.departmentIds.map(deptName).join('、')}`
      : null,
    f.boughtLast12Months ? t('surveys.filter.bought') : null,
  ].filter(Boolean);
  const when = (who: { name: string } | null, at: string | null) =>
    at ? `${formatDateTime(at)}${who ? ` · ${who.name}` : ''}` : '—';
  return (
    <Card title={t('surveys.section.info')} size="small" style={{ height: '100%' }}>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'template',
            label: t('surveys.field.template'),
            children: `${c.template.name} v${c.template.version}`,
          },
          { key: 'closesOn', label: t('surveys.field.closesOn'), children: c.closesOn },
          {
            key: 'remind',
            label: t('surveys.field.remindAfterDays'),
            children: t('surveys.info.remindAfter', { days: c.remindAfterDays }),
          },
          {
            key: 'low',
            label: t('surveys.field.lowIndex'),
            children: t('surveys.info.lowIndex', { low: c.lowIndex }),
          },
          {
            key: 'filters',
            label: t('surveys.field.filters'),
            children: parts.length ? parts.join('；') : t('surveys.info.allCustomers'),
          },
          { key: 'intro', label: t('surveys.field.intro'), children: orDash(c.intro) },
          { key: 'created', label: t('surveys.field.createdAt'), children: when(c.createdBy, c.createdAt) },
          { key: 'sent', label: t('surveys.field.sentAt'), children: when(null, c.sentAt) },
          { key: 'closed', label: t('surveys.field.closedAt'), children: when(null, c.closedAt) },
        ]}
      />
    </Card>
  );
}

function DepartmentProgress({ campaign: c }: { campaign: SurveyCampaignDetail }) {
  const t = useT();
  const rows = c.byDepartment.map((d, i) => ({
    ...d,
    key: d.department?.id ?? `none-${i}`,
    name: d.department?.name ?? t('surveys.noDepartment'),
  }));
  const chartRows = [...rows].reverse();
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: chartRows.map((r) => r.name),
      axisLabel: { width: 120, overflow: 'truncate' },
    },
    series: [
      {
        name: t('surveys.progress.invited'),
        type: 'bar',
        barMaxWidth: 14,
        itemStyle: { color: '#d9d9d9' },
        data: chartRows.map((r) => r.invited),
      },
      {
        name: t('surveys.progress.sent'),
        type: 'bar',
        barMaxWidth: 14,
        itemStyle: { color: '#69b1ff' },
        data: chartRows.map((r) => r.sent),
      },
      {
        name: t('surveys.progress.answered'),
        type: 'bar',
        barMaxWidth: 14,
        itemStyle: { color: '#52c41a' },
        data: chartRows.map((r) => r.answered),
      },
    ],
  };
  return (
    <Card title={t('surveys.section.byDepartment')} size="small" style={{ height: '100%' }}>
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('surveys.byDepartment.empty')} />
      ) : (
        <Flex vertical gap={12}>
          <Chart
            option={option}
            height={Math.max(140, rows.length * 40 + 48)}
            testId="chart-by-department"
            label={rows
              .map((r) =>
                t('surveys.progress.aria', {
                  name: r.name,
                  invited: r.invited,
                  sent: r.sent,
                  answered: r.answered,
                }),
              )
              .join('；')}
          />
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: t('surveys.col.department'), dataIndex: 'name' },
              { title: t('surveys.progress.invited'), dataIndex: 'invited', align: 'right', width: 80 },
              { title: t('surveys.progress.sent'), dataIndex: 'sent', align: 'right', width: 80 },
              { title: t('surveys.progress.answered'), dataIndex: 'answered', align: 'right', width: 80 },
              {
                title: t('surveys.col.rate'),
                key: 'rate',
                align: 'right',
                width: 80,
                render: (_, r) => `${ratio(r.answered, r.invited)}%`,
              },
            ]}
          />
        </Flex>
      )}
    </Card>
  );
}

function InvitationTable({
  campaign,
  items,
  loading,
  tab,
  onEnter,
}: {
  campaign: SurveyCampaignDetail;
  items: Invitation[];
  loading: boolean;
  tab: Tab;
  onEnter: (inv: Invitation) => void;
}) {
  const t = useT();
  const canEnter = campaign.status === 'running';
  const empty =
    tab === 'answered'
      ? campaign.status === 'draft'
        ? t('surveys.invitations.emptyDraft')
        : t('surveys.invitations.emptyAnswered')
      : campaign.progress.invited === 0
        ? t('surveys.invitations.emptyNone')
        : t('surveys.invitations.emptyWaiting');
  return (
    <Table<Invitation>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      scroll={{ x: 1100 }}
      locale={{ emptyText: <Empty description={empty} /> }}
      columns={[
        {
          title: t('surveys.col.customer'),
          key: 'customer',
          render: (_, v) => (
            <Space size={4} wrap>
              <Link to={`/customers/${v.customer.id}?tab=visits`}>{v.customer.name}</Link>
              <Typography.Text type="secondary">{v.customer.code}</Typography.Text>
              {v.secrecy !== 'normal' && <SecrecyTag level={v.secrecy} />}
            </Space>
          ),
        },
        {
          title: t('surveys.col.owner'),
          key: 'owner',
          width: 150,
          render: (_, v) => (
            <Flex vertical gap={0}>
              <span>{v.owner?.name ?? '—'}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v.department?.name ?? ''}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: t('surveys.col.contact'),
          key: 'contact',
          width: 200,
          render: (_, v) => (
            <Flex vertical gap={0}>
              <span>{orDash(v.contactName)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v.email ?? t('surveys.invitations.noEmail')}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: t('surveys.col.sent'),
          key: 'sent',
          width: 210,
          render: (_, v) => (
            <Flex vertical gap={0}>
              <span>{v.sentAt ? formatDateTime(v.sentAt) : '—'}</span>
              {v.reminders > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('surveys.invitations.reminders', { n: v.reminders })}
                </Typography.Text>
              )}
              {v.mailError && (
                <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="mail-error">
                  {t('surveys.invitations.mailError')}
                  {t('common.colon')}
                  {v.mailError}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        ...(tab === 'answered'
          ? [
              {
                title: t('surveys.col.answered'),
                key: 'answered',
                width: 170,
                render: (_: unknown, v: Invitation) => (v.answeredAt ? formatDateTime(v.answeredAt) : '—'),
              },
              {
                title: t('surveys.col.index'),
                key: 'index',
                width: 90,
                align: 'right' as const,
                render: (_: unknown, v: Invitation) => <IndexValue value={v.index} low={campaign.lowIndex} />,
              },
            ]
          : []),
        {
          title: t('common.actions'),
          key: 'actions',
          width: 120,
          fixed: 'right',
          render: (_, v) =>
            v.responseId ? (
              <Link to={`/surveys/responses/${v.responseId}`}>{t('surveys.invitations.viewResponse')}</Link>
            ) : canEnter && v.can.respond ? (
              <Button type="link" size="small" onClick={() => onEnter(v)} data-testid="enter-response">
                {t('surveys.entry.title')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
