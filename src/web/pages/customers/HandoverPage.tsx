import {
  MailOutlined,
  PhoneOutlined,
  ReloadOutlined,
  SwapOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  Row,
  Skeleton,
  Space,
  Statistic,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { SECRECY_LABELS, type SecrecyLevel } from '../../../common/enums';
import type { CustomerListItem, Handover, HandoverPreview } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { customersApi } from '../../api/customers';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { type KnownUser, UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';
import { ArchiveCode, CustomerLink, CustomerStatusTag, Dash, useCustomerConfig, useLookups } from './shared';

interface Values {
  fromUserId?: string;
  toUserId?: string;
  reason?: string;
}

/** 交接 (R-C9): all archives of a leaving person go to named successors in one action. */
export default function HandoverPage() {
  const t = useT();
  const label = useLabel();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const fromUserId = Form.useWatch('fromUserId', form);
  const toUserId = Form.useWatch('toUserId', form);
  const [owned, setOwned] = useState<{
    count: number;
    items: CustomerListItem[];
    more: boolean;
    openItems: HandoverPreview['openItems'];
    notices: HandoverPreview['notices'];
  } | null>(null);
  const [loadingOwned, setLoadingOwned] = useState(false);
  const [split, setSplit] = useState(false);
  const [assign, setAssign] = useState<Record<string, string | undefined>>({});
  const [people, setPeople] = useState<Record<string, KnownUser>>({});
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [history, setHistory] = useState<Handover[] | null>(null);
  const [clearance, setClearance] = useState<NonNullable<HandoverPreview['successors']>>([]);

  const loadHistory = useCallback(async () => {
    try {
      setHistory((await customersApi.handovers()).items);
    } catch (e) {
      message.error(errorText(e));
      setHistory([]);
    }
  }, [message]);

  useEffect(() => {
    loadHistory();
  }, [loadHistory]);

  // How many archives the leaving person has (all of them), and those the reader may open.
  useEffect(() => {
    setAssign({});
    setOwned(null);
    if (!fromUserId) return;
    let live = true;
    setLoadingOwned(true);
    Promise.all([
      customersApi.handoverPreview(fromUserId),
      customersApi.list({ ownerId: fromUserId }, null, 200),
    ])
      .then(([c, l]) => {
        if (live)
          setOwned({
            count: c.customers,
            items: l.items,
            more: !!l.nextCursor,
            openItems: c.openItems,
            notices: c.notices,
          });
      })
      .catch((e) => live && message.error(errorText(e)))
      .finally(() => live && setLoadingOwned(false));
    return () => {
      live = false;
    };
  }, [fromUserId, message]);

  const assignments = Object.entries(assign)
    .filter((e): e is [string, string] => !!e[1])
    .map(([customerId, to]) => ({ customerId, toUserId: to }));
  const name = (id?: string) => (id ? (people[id]?.name ?? '') : '');

  // Which archives each chosen successor could not open (the handover refuses those), asked as
  // soon as successors are chosen, so that the page warns before anything is confirmed.
  const successorKey = [...new Set([toUserId, ...(split ? assignments.map((a) => a.toUserId) : [])])]
    .filter((x): x is string => !!x)
    .sort()
    .join(',');
  useEffect(() => {
    setClearance([]);
    if (!fromUserId || !successorKey) return;
    let live = true;
    customersApi
      .handoverPreview(fromUserId, successorKey.split(','))
      .then((p) => live && setClearance(p.successors ?? []))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [fromUserId, successorKey]);
  const successorOf = (customerId: string) => (split ? assign[customerId] : undefined) || toUserId;
  const conflicts = clearance.flatMap((s) =>
    s.uncleared
      .filter((u) => successorOf(u.customerId) === s.userId)
      .map((u) => ({ ...u, userId: s.userId })),
  );
  const conflictText = conflicts
    .map((c) =>
      t('handover.unclearedItem', {
        name: name(c.userId),
        code: c.archiveCode,
        level: label(SECRECY_LABELS[c.secrecy]),
      }),
    )
    .join('；');

  const submit = (v: Values) => {
    if (!v.fromUserId) return;
    if (conflicts.length) {
      modal.warning({
        title: t('handover.unclearedTitle'),
        width: 520,
        content: conflictText,
        okText: t('common.ok'),
      });
      return;
    }
    const rest = (owned?.count ?? 0) - (split ? assignments.length : 0);
    modal.confirm({
      title: t('handover.confirmTitle', { name: name(v.fromUserId) }),
      width: 520,
      content: (
        <Flex vertical gap={8}>
          <span>
            {split && assignments.length > 0
              ? t('handover.confirmSplit', {
                  assigned: assignments.length,
                  rest: Math.max(rest, 0),
                  to: name(v.toUserId) || '—',
                })
              : t('handover.confirmAll', { to: name(v.toUserId) })}
          </span>
          <Typography.Text type="secondary">{t('handover.confirmEffect')}</Typography.Text>
        </Flex>
      ),
      okText: t('handover.submit'),
      onOk: async () => {
        setSaving(true);
        setFormError(null);
        try {
          const h = await customersApi.handover({
            fromUserId: v.fromUserId as string,
            toUserId: v.toUserId || undefined,
            assignments: split && assignments.length ? assignments : undefined,
            reason: v.reason ?? '',
          });
          message.success(t('handover.done', { count: h.customerCount, name: h.fromUser.name }));
          form.resetFields();
          setSplit(false);
          setAssign({});
          loadHistory();
        } catch (e) {
          setFormError(formErrorText(form, e));
        } finally {
          setSaving(false);
        }
      },
    });
  };

  const remember = (picked: KnownUser[]) =>
    setPeople((prev) => ({ ...prev, ...Object.fromEntries(picked.map((k) => [k.id, k])) }));

  const ownedColumns: TableColumnsType<CustomerListItem> = [
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
    { title: t('customers.field.name'), dataIndex: 'name', ellipsis: true },
    {
      title: t('handover.notice'),
      key: 'notice',
      width: 100,
      render: (_, c) => {
        const n = owned?.notices.find((x) => x.customerId === c.id);
        if (!n) return <Dash />;
        return n.channel === 'mail' ? (
          <Tooltip
            title={t('handover.noticeMailTip', { contact: n.contactName ?? '—', email: n.email ?? '' })}
          >
            <Tag icon={<MailOutlined />} color="blue" data-testid="notice-mail">
              {t('handover.noticeMail')}
            </Tag>
          </Tooltip>
        ) : (
          <Tooltip title={t('handover.noticeCallTip', { contact: n.contactName ?? '—' })}>
            <Tag icon={<PhoneOutlined />} color="orange" data-testid="notice-call">
              {t('handover.noticeCall')}
            </Tag>
          </Tooltip>
        );
      },
    },
    {
      title: t('customers.field.category'),
      dataIndex: 'category',
      width: 100,
      render: (v: string) => lookups.label('category', v),
    },
    {
      title: t('customers.field.secrecy'),
      dataIndex: 'secrecy',
      width: 90,
      render: (v: SecrecyLevel, c) => (
        <Space size={4}>
          <SecrecyTag level={v} />
          {conflicts.some((x) => x.customerId === c.id) && (
            <Tooltip title={t('handover.unclearedRow')}>
              <WarningOutlined
                style={{ color: 'var(--ant-color-warning)' }}
                aria-label={t('handover.unclearedRow')}
              />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('customers.field.status'),
      dataIndex: 'status',
      width: 120,
      render: (_, c) => <CustomerStatusTag status={c.status} overdue={c.filingOverdue} />,
    },
    ...(split
      ? [
          {
            title: t('handover.successorFor'),
            key: 'to',
            width: 170,
            render: (_: unknown, c: CustomerListItem) => (
              <UserSelect
                size="small"
                style={{ width: '100%' }}
                placeholder={name(toUserId) || t('handover.sameAsDefault')}
                value={assign[c.id]}
                exclude={fromUserId ? [fromUserId] : []}
                onChange={(v) => setAssign((prev) => ({ ...prev, [c.id]: v as string | undefined }))}
                onPick={remember}
              />
            ),
          },
        ]
      : []),
  ];

  const historyColumns: TableColumnsType<Handover> = [
    { title: t('handover.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('handover.from'),
      key: 'from',
      width: 120,
      render: (_, h) => h.fromUser.name,
    },
    {
      title: t('handover.successors'),
      key: 'to',
      render: (_, h) => (
        <Flex gap={4} wrap>
          {h.successors.map((s) => (
            <Tag key={s.user.id} style={{ marginInlineEnd: 0 }}>
              {t('handover.successorCount', { name: s.user.name, count: s.customers })}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('handover.count'), dataIndex: 'customerCount', width: 90, align: 'right' },
    {
      title: t('handover.notices'),
      key: 'notices',
      width: 190,
      render: (_, h) => t('handover.noticeCounts', h.notices),
    },
    {
      title: t('handover.reason'),
      dataIndex: 'reason',
      ellipsis: true,
      render: (v: string | null) => v ?? <Dash />,
    },
    { title: t('handover.by'), dataIndex: 'byUser', width: 100, render: (v: string | null) => v ?? <Dash /> },
  ];

  const allAssigned = split && !!owned && owned.count > 0 && assignments.length >= owned.count;

  return (
    <PageContainer title={t('handover.title')} subTitle={t('handover.subtitle')}>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Card title={t('handover.formTitle')} style={{ height: '100%' }}>
            {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
            {conflicts.length > 0 && (
              <Alert
                type="warning"
                showIcon
                data-testid="handover-uncleared"
                title={t('handover.unclearedTitle')}
                description={conflictText}
                style={{ marginBottom: 16 }}
              />
            )}
            <Form<Values> form={form} layout="vertical" onFinish={submit} autoComplete="off">
              <Form.Item
                name="fromUserId"
                label={t('handover.from')}
                rules={[{ required: true, message: t('common.required') }]}
                extra={t('handover.fromHelp')}
              >
                <UserSelect exclude={toUserId ? [toUserId] : []} onPick={remember} />
              </Form.Item>
              <Form.Item
                name="toUserId"
                label={t('handover.to')}
                required
                rules={[
                  {
                    validator: (_, value?: string) =>
                      !value && !allAssigned
                        ? Promise.reject(new Error(t('handover.toRequired')))
                        : Promise.resolve(),
                  },
                ]}
                extra={split ? t('handover.toHelpSplit') : t('handover.toHelp')}
              >
                <UserSelect exclude={fromUserId ? [fromUserId] : []} onPick={remember} />
              </Form.Item>
              <Form.Item label={t('handover.split')} extra={t('handover.splitHelp')}>
                <Switch checked={split} onChange={setSplit} disabled={!owned || owned.items.length === 0} />
              </Form.Item>
              <Form.Item name="reason" label={t('handover.reason')}>
                <Input.TextArea
                  maxLength={500}
                  autoSize={{ minRows: 2, maxRows: 4 }}
                  placeholder={t('handover.reasonPlaceholder')}
                />
              </Form.Item>
              <Flex justify="flex-end">
                <Button
                  type="primary"
                  htmlType="submit"
                  icon={<SwapOutlined />}
                  loading={saving}
                  disabled={!fromUserId}
                >
                  {t('handover.submit')}
                </Button>
              </Flex>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('handover.ownedTitle')} style={{ height: '100%' }}>
            {!fromUserId ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('handover.pickFirst')} />
            ) : loadingOwned || !owned ? (
              <Skeleton active paragraph={{ rows: 4 }} />
            ) : (
              <Flex vertical gap={12}>
                <Flex align="center" gap={24} wrap>
                  <Statistic
                    title={t('handover.ownedCount')}
                    value={owned.count}
                    suffix={t('handover.unit')}
                  />
                  <Typography.Text type="secondary" style={{ flex: 1, minWidth: 200 }}>
                    {t('handover.visibleNote')}
                  </Typography.Text>
                </Flex>
                {owned.count === 0 ? (
                  <Alert type="info" showIcon title={t('handover.nothingVisible')} />
                ) : (
                  <Table<CustomerListItem>
                    rowKey="id"
                    size="small"
                    columns={ownedColumns}
                    dataSource={owned.items}
                    pagination={owned.items.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                    scroll={{ x: split ? 900 : 730 }}
                  />
                )}
                {owned.more && (
                  <Typography.Text type="secondary">
                    {t('handover.moreNotShown', { shown: owned.items.length })}
                  </Typography.Text>
                )}
                {owned.notices.length > 0 && (
                  <Typography.Text data-testid="handover-notice-summary">
                    {t('handover.noticeSummary', {
                      mail: owned.notices.filter((x) => x.channel === 'mail').length,
                      call: owned.notices.filter((x) => x.channel === 'call').length,
                    })}
                  </Typography.Text>
                )}
                <OpenItems items={owned.openItems} />
              </Flex>
            )}
          </Card>
        </Col>
      </Row>
      <Card
        title={t('handover.history')}
        extra={
          <Tooltip title={t('common.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={loadHistory} aria-label={t('common.refresh')} />
          </Tooltip>
        }
      >
        <Table<Handover>
          rowKey="id"
          size="middle"
          columns={historyColumns}
          dataSource={history ?? []}
          loading={history === null}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('handover.historyEmpty')} />
            ),
          }}
        />
      </Card>
    </PageContainer>
  );
}

/** What else the person leaving holds, module by module, and whether the handover moves it. */
function OpenItems({ items }: { items: HandoverPreview['openItems'] }) {
  const t = useT();
  const open = items.filter((i) => i.count > 0);
  const loans = items.find((i) => i.module === 'loans')?.count ?? 0;
  return (
    <Flex vertical gap={8} data-testid="handover-open-items">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('handover.openTitle')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('handover.openHelp')}</Typography.Text>
      {loans > 0 && <Alert type="warning" showIcon title={t('handover.loansWarning', { count: loans })} />}
      {open.length === 0 ? (
        <Typography.Text type="secondary">{t('handover.openNone')}</Typography.Text>
      ) : (
        open.map((i) => (
          <Flex key={i.module} vertical gap={2}>
            <Space size={8}>
              <Typography.Text strong>{t(`handover.module.${i.module}`)}</Typography.Text>
              <Tag style={{ marginInlineEnd: 0 }}>{i.count}</Tag>
              <Tag color={i.moves ? 'green' : 'orange'} style={{ marginInlineEnd: 0 }}>
                {i.moves ? t('handover.moves') : t('handover.staysLoans')}
              </Tag>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {i.items.map((x) => x.label).join('；')}
              {i.count > i.items.length ? ' …' : ''}
            </Typography.Text>
          </Flex>
        ))
      )}
    </Flex>
  );
}
