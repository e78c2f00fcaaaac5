import { CheckCircleOutlined, FileAddOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  STANDARD_CHECK_OUTCOME_LABELS,
  type StandardCheck,
  type StandardDue,
} from '../../../common/schemas/standard-checks';
import { todayInShanghai } from '../../../common/time';
import { errorText } from '../../api/client';
import { type StandardDueQuery, standardChecksApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';

// 查新 /documents/standard-checks: the external standards and laws due for a check of their edition
// (per owning department), confirmed current with a date, or superseded — then the new edition is
// registered on the document page (新版本), which records the check; and the 查新记录. Both lists
// page with 加载更多 and export as .xlsx or CSV.

export default function StandardChecksPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'records' ? 'records' : 'due';
  return (
    <PageContainer title={t('standards.title')} subTitle={t('standards.intro')}>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'records' ? { tab: key } : {}, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'due', label: t('standards.tab.due'), children: <DueList /> },
            { key: 'records', label: t('standards.tab.records'), children: <Records /> },
          ]}
        />
      </Card>
      <IntervalSetting />
    </PageContainer>
  );
}

function DueList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const departments = useDepartments();
  const departmentId = params.get('departmentId') ?? undefined;
  const [view, setView] = useState<'due' | 'all'>('due');
  const [confirming, setConfirming] = useState<StandardDue | null>(null);
  const list = useKeysetList<StandardDue, StandardDueQuery>((q, cursor) => standardChecksApi.due(q, cursor), {
    departmentId,
    view,
  });
  const { reload } = list;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from the first page
  useEffect(() => {
    if (list.filters.departmentId !== departmentId || list.filters.view !== view)
      reload({ departmentId, view });
  }, [departmentId, view]);
  return (
    <Flex vertical gap={12}>
      <Flex gap={16} wrap align="center">
        <Radio.Group
          optionType="button"
          value={view}
          onChange={(e) => setView(e.target.value)}
          options={[
            { value: 'due', label: t('standards.view.due') },
            { value: 'all', label: t('standards.view.all') },
          ]}
        />
        <DepartmentSelect
          departments={departments.items}
          allowInactive
          allowClear
          placeholder={t('standards.department')}
          value={departmentId}
          onChange={(v) => setParams(v ? { departmentId: v } : {}, { replace: true })}
          style={{ width: 220 }}
        />
        <div style={{ flex: 1 }} />
        <ExportMenu
          label={t('standards.exportDue')}
          url={(f) => standardChecksApi.dueExportUrl({ departmentId, view }, f)}
        />
      </Flex>
      <Table<StandardDue>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: t('standards.empty') }}
        columns={[
          {
            title: t('documents.field.title'),
            dataIndex: 'title',
            render: (v: string, d) => <Link to={`/documents/${d.id}`}>{v}</Link>,
          },
          { title: t('documents.field.docNumber'), dataIndex: 'docNumber', width: 170 },
          { title: t('standards.edition'), dataIndex: 'edition', width: 120 },
          { title: t('standards.department'), dataIndex: 'departmentName', width: 110 },
          {
            title: t('standards.confirmedOn'),
            dataIndex: 'confirmedOn',
            width: 120,
            render: (v: string | null) =>
              v ?? <Typography.Text type="secondary">{t('standards.never')}</Typography.Text>,
          },
          {
            title: t('standards.dueOn'),
            dataIndex: 'dueOn',
            width: 130,
            render: (v: string, d) => (d.overdue ? <Tag color="red">{v}</Tag> : v),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 230,
            render: (_: unknown, d) => (
              <Flex gap={4}>
                <Button
                  size="small"
                  type="link"
                  icon={<CheckCircleOutlined />}
                  onClick={() => setConfirming(d)}
                  data-testid={`standard-confirm-${d.id}`}
                >
                  {t('standards.confirm')}
                </Button>
                <Link to={`/documents/${d.id}`}>
                  <Button size="small" type="link" icon={<FileAddOutlined />}>
                    {t('standards.newEdition')}
                  </Button>
                </Link>
              </Flex>
            ),
          },
        ]}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
      <ConfirmModal
        item={confirming}
        onClose={() => setConfirming(null)}
        onDone={() => {
          setConfirming(null);
          reload();
        }}
      />
    </Flex>
  );
}

function ConfirmModal({
  item,
  onClose,
  onDone,
}: {
  item: StandardDue | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ checkedOn: Dayjs; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { checkedOn: Dayjs; note?: string }) => {
    if (!item) return;
    setBusy(true);
    try {
      await standardChecksApi.confirm(item.id, {
        checkedOn: v.checkedOn.format('YYYY-MM-DD'),
        note: v.note?.trim() || null,
      });
      message.success(t('standards.confirmed'));
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!item}
      title={t('standards.confirmTitle', { title: item?.title ?? '' })}
      okText={t('standards.confirm')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">
          {t('standards.confirmHint', { edition: item?.edition ?? '—' })}
        </Typography.Text>
        {error && <Alert type="error" showIcon title={error} />}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ checkedOn: dayjs(todayInShanghai()) }}
        >
          <Form.Item name="checkedOn" label={t('standards.checkedOn')} rules={[{ required: true }]}>
            <DatePicker
              style={{ width: '100%' }}
              allowClear={false}
              disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
            />
          </Form.Item>
          <Form.Item name="note" label={t('standards.note')}>
            <Input.TextArea rows={2} maxLength={500} placeholder={t('standards.notePlaceholder')} />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

function Records() {
  const t = useT();
  const label = useLabel();
  const list = useKeysetList<StandardCheck, Record<string, never>>(
    (_, cursor) => standardChecksApi.checks({}, cursor),
    {},
  );
  return (
    <Flex vertical gap={12}>
      <Flex justify="flex-end">
        <ExportMenu label={t('standards.export')} url={(f) => standardChecksApi.exportUrl(f)} />
      </Flex>
      <Table<StandardCheck>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: t('standards.noRecords') }}
        columns={[
          { title: t('standards.checkedOn'), dataIndex: 'checkedOn', width: 120 },
          {
            title: t('documents.field.title'),
            dataIndex: 'title',
            render: (v: string, c) => <Link to={`/documents/${c.documentId}`}>{v}</Link>,
          },
          { title: t('documents.field.docNumber'), dataIndex: 'docNumber', width: 170 },
          { title: t('standards.edition'), dataIndex: 'edition', width: 150 },
          {
            title: t('standards.outcome'),
            dataIndex: 'outcome',
            width: 110,
            render: (o: StandardCheck['outcome']) => (
              <Tag color={o === 'current' ? 'green' : 'blue'}>{label(STANDARD_CHECK_OUTCOME_LABELS[o])}</Tag>
            ),
          },
          { title: t('standards.checkedBy'), dataIndex: 'checkedBy', width: 100 },
          { title: t('standards.note'), dataIndex: 'note' },
        ]}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
    </Flex>
  );
}

/** 查新周期: administrators change it; everyone sees it. */
function IntervalSetting() {
  const t = useT();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [months, setMonths] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    standardChecksApi
      .settings()
      .then((s) => setMonths(s.checkMonths))
      .catch(() => {});
  }, []);
  if (months === null) return null;
  const save = async () => {
    setBusy(true);
    try {
      setMonths((await standardChecksApi.putSettings({ checkMonths: months })).checkMonths);
      message.success(t('standards.intervalSaved'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small">
      <Flex gap={8} align="center">
        <Typography.Text>{t('standards.interval')}</Typography.Text>
        <InputNumber
          min={1}
          max={60}
          value={months}
          disabled={!can('document.configure')}
          onChange={(v) => v && setMonths(v)}
          suffix={t('standards.months')}
          style={{ width: 120 }}
        />
        {can('document.configure') && (
          <Button onClick={save} loading={busy}>
            {t('common.save')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
