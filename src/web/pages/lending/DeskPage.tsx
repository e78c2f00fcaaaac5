import { ExportOutlined, ImportOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CONDITION_LABELS, CONDITIONS } from '../../../common/lending';
import type { Incident, Loan, ToIssue } from '../../../common/schemas/lending';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { type LoanState, lendingApi } from '../../api/lending';
import { useAuth } from '../../auth/AuthContext';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { itemLink } from './shared';

type Tab = 'issue' | LoanState | 'incidents';

/** 借还台 /lending/desk: items to issue, items out (due soon, overdue), returns with their
 * condition, and the loss and damage reports (R-P3 … R-P6). */
export default function DeskPage() {
  const t = useT();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const desk = can('lending.desk');
  const tabs: Tab[] = [
    ...(desk ? (['issue'] as Tab[]) : []),
    'out',
    'due_soon',
    'overdue',
    'returned',
    ...(can('lending.incidents') ? (['incidents'] as Tab[]) : []),
  ];
  const asked = params.get('tab') as Tab | null;
  const tab = asked && tabs.includes(asked) ? asked : (tabs[0] as Tab);
  return (
    <PageContainer
      title={t('lending.desk.title')}
      subTitle={t(desk ? 'lending.desk.intro' : 'lending.desk.introMine')}
    >
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          destroyOnHidden
          items={tabs.map((k) => ({
            key: k,
            label: t(`lending.desk.tab.${k}`),
            children:
              k === 'issue' ? (
                <IssueList />
              ) : k === 'incidents' ? (
                <Incidents />
              ) : (
                <Loans state={k} desk={desk} />
              ),
          }))}
        />
      </Card>
    </PageContainer>
  );
}

function IssueList() {
  const t = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<ToIssue[] | null>(null);
  const [issuing, setIssuing] = useState<ToIssue | null>(null);
  const load = useCallback(() => {
    lendingApi
      .toIssue()
      .then(setRows)
      .catch((e) => message.error(errorText(e)));
  }, [message]);
  useEffect(() => load(), [load]);
  return (
    <>
      <Table<ToIssue>
        rowKey="requestId"
        size="middle"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lending.desk.nothingToIssue')} />
          ),
        }}
        columns={[
          {
            title: t('lending.number'),
            dataIndex: 'number',
            width: 140,
            render: (v: string, r) => <Link to={`/lending/requests/${r.requestId}`}>{v}</Link>,
          },
          {
            title: t('lending.borrower'),
            key: 'who',
            width: 200,
            render: (_, r) => [r.requester, r.external].filter(Boolean).join(' · '),
          },
          {
            title: t('lending.items'),
            key: 'items',
            render: (_, r) => (
              <Flex vertical>
                {r.items.map((i) => (
                  <span key={i.id}>
                    {i.label}
                    {i.code && <Typography.Text type="secondary"> {i.code}</Typography.Text>}
                    {i.outTo && (
                      <Tag color="orange" style={{ marginInlineStart: 6 }}>
                        {t('lending.desk.outTo', { name: i.outTo })}
                      </Tag>
                    )}
                  </span>
                ))}
              </Flex>
            ),
          },
          { title: t('lending.days'), dataIndex: 'days', width: 70 },
          {
            title: '',
            key: 'act',
            width: 100,
            render: (_, r) => (
              <Button size="small" type="primary" icon={<ExportOutlined />} onClick={() => setIssuing(r)}>
                {t('lending.desk.issue')}
              </Button>
            ),
          },
        ]}
      />
      <IssueModal
        request={issuing}
        onClose={() => setIssuing(null)}
        onDone={() => {
          setIssuing(null);
          message.success(t('lending.desk.issued'));
          load();
        }}
      />
    </>
  );
}

function IssueModal({
  request,
  onClose,
  onDone,
}: {
  request: ToIssue | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ itemIds: string[]; conditionOut: string; note?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!request) return null;
  return (
    <Modal
      open
      title={t('lending.desk.issueTitle', { number: request.number })}
      okText={t('lending.desk.issue')}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          itemIds: request.items.filter((i) => !i.outTo).map((i) => i.id),
          conditionOut: '完好',
        }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await lendingApi.issue(request.requestId, v.itemIds, v.conditionOut, v.note ?? null);
            onDone();
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="itemIds"
          label={t('lending.items')}
          rules={[{ required: true, type: 'array', min: 1 }]}
        >
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            options={request.items.map((i) => ({ value: i.id, label: i.label, disabled: !!i.outTo }))}
          />
        </Form.Item>
        <Form.Item name="conditionOut" label={t('lending.desk.conditionOut')} rules={[{ required: true }]}>
          <Input maxLength={200} placeholder={t('lending.desk.conditionOutPlaceholder')} />
        </Form.Item>
        <Form.Item name="note" label={t('lending.comment')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Typography.Text type="secondary">
          {t('lending.desk.dueHint', { days: request.days })}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

function Loans({ state, desk }: { state: LoanState; desk: boolean }) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const list = useKeysetList<Loan, LoanState>((s, cursor) => lendingApi.loans(s, cursor), state);
  const [receiving, setReceiving] = useState<Loan | null>(null);
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <ExportMenu label={t('lending.desk.export')} url={(f) => lendingApi.loansExportUrl(state, f)} />
      </Flex>
      <Table<Loan>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lending.desk.noLoans')} />,
        }}
        columns={[
          {
            title: t('lending.item'),
            key: 'item',
            render: (_, l) => (
              <span>
                <Link to={itemLink(l.targetType, l.targetId)}>{l.label}</Link>
                {l.code && <Typography.Text type="secondary"> {l.code}</Typography.Text>}
              </span>
            ),
          },
          {
            title: t('lending.borrower'),
            key: 'who',
            width: 180,
            render: (_, l) =>
              [l.borrower.name, l.borrower.departmentName, l.external].filter(Boolean).join(' · '),
          },
          {
            title: t('lending.number'),
            dataIndex: 'requestNumber',
            width: 140,
            render: (v: string, l) => <Link to={`/lending/requests/${l.requestId}`}>{v}</Link>,
          },
          {
            title: t('lending.out'),
            dataIndex: 'issuedAt',
            width: 160,
            render: (v: string) => formatDateTime(v).slice(0, 16),
          },
          {
            title: t('lending.due'),
            dataIndex: 'dueDate',
            width: 130,
            render: (v: string, l) =>
              l.overdue ? (
                <Tag color="red">{t('lending.overdueTag', { date: v })}</Tag>
              ) : l.dueSoon ? (
                <Tag color="orange">{v}</Tag>
              ) : (
                v
              ),
          },
          ...(state === 'returned'
            ? [
                {
                  title: t('lending.returned'),
                  key: 'returned',
                  width: 240,
                  render: (_: unknown, l: Loan) =>
                    `${formatDateTime(l.returnedAt).slice(0, 16)} · ${l.conditionIn ? label(CONDITION_LABELS[l.conditionIn]) : ''}${l.noteIn ? ` · ${l.noteIn}` : ''}`,
                },
              ]
            : desk
              ? [
                  {
                    title: '',
                    key: 'act',
                    width: 100,
                    render: (_: unknown, l: Loan) => (
                      <Button size="small" icon={<ImportOutlined />} onClick={() => setReceiving(l)}>
                        {t('lending.desk.receive')}
                      </Button>
                    ),
                  },
                ]
              : []),
        ]}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
      <ReceiveModal
        loan={receiving}
        onClose={() => setReceiving(null)}
        onDone={(l) => {
          setReceiving(null);
          message.success(
            l.conditionIn === 'intact' ? t('lending.desk.received') : t('lending.desk.reported'),
          );
          list.reload();
        }}
      />
    </>
  );
}

function ReceiveModal({
  loan,
  onClose,
  onDone,
}: {
  loan: Loan | null;
  onClose: () => void;
  onDone: (l: Loan) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<{ condition: 'intact' | 'damaged' | 'lost'; note?: string }>();
  const condition = Form.useWatch('condition', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!loan) return null;
  return (
    <Modal
      open
      title={t('lending.desk.receiveTitle', { label: loan.label })}
      okText={t('lending.desk.receive')}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">
        {t('lending.desk.conditionWas', { condition: loan.conditionOut })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ condition: 'intact' }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            onDone(await lendingApi.receive(loan.id, v.condition, v.note?.trim() || null));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="condition" label={t('lending.condition')}>
          <Radio.Group
            optionType="button"
            options={CONDITIONS.map((c) => ({ value: c, label: label(CONDITION_LABELS[c]) }))}
          />
        </Form.Item>
        {condition && condition !== 'intact' && (
          <Alert type="warning" showIcon title={t('lending.desk.reportHint')} style={{ marginBottom: 12 }} />
        )}
        <Form.Item
          name="note"
          label={t('lending.desk.checkNote')}
          rules={condition && condition !== 'intact' ? [{ required: true }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Incidents() {
  const t = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Incident[] | null>(null);
  useEffect(() => {
    lendingApi
      .incidents()
      .then(setRows)
      .catch((e) => message.error(errorText(e)));
  }, [message]);
  return (
    <Table<Incident>
      rowKey="id"
      size="middle"
      loading={rows === null}
      dataSource={rows ?? []}
      pagination={false}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lending.desk.noIncidents')} />,
      }}
      columns={[
        {
          title: t('lending.condition'),
          dataIndex: 'kind',
          width: 90,
          render: (k: Incident['kind']) => (
            <Tag color="red">{t(k === 'lost' ? 'lending.lost' : 'lending.damaged')}</Tag>
          ),
        },
        { title: t('lending.item'), dataIndex: 'label' },
        { title: t('lending.desk.description'), dataIndex: 'description' },
        { title: t('lending.borrower'), dataIndex: 'borrower', width: 120 },
        { title: t('lending.number'), dataIndex: 'requestNumber', width: 140 },
        {
          title: t('lending.desk.reportedAt'),
          key: 'at',
          width: 220,
          render: (_, i) => `${i.reportedBy} ${formatDateTime(i.reportedAt).slice(0, 16)}`,
        },
      ]}
    />
  );
}
