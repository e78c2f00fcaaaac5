import { AuditOutlined, DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CARRIER_LABELS, retentionLabel } from '../../../common/documents';
import type { DueItem } from '../../../common/schemas/retention';
import { formErrorText } from '../../api/client';
import { type DueQuery, retentionApi } from '../../api/retention';
import { useAuth } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { ListCard, useMatchCount } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useLang, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';
import { useCategories } from '../documents/shared';
import { HeldTag } from './shared';

/** 到期鉴定 /retention/due: records whose term has run out (R-X1), to open an appraisal (R-X2). */
export default function DuePage() {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { can } = useAuth();
  const [form] = Form.useForm<DueQuery>();
  const categories = useCategories();
  const departments = useDepartments();
  const list = useKeysetList<DueItem, DueQuery>((q, cursor) => retentionApi.due(q, cursor), {});
  const count = useMatchCount(list.filters, (f, signal) => retentionApi.dueCount(f, signal));
  const [selected, setSelected] = useState<string[]>([]);
  const [starting, setStarting] = useState<'selected' | 'all' | null>(null);

  const apply = (q: DueQuery) => {
    setSelected([]);
    list.reload(
      Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')),
    );
  };
  const col = { xs: 24, md: 12, xl: 6 };
  const mayAppraise = can('retention.appraise');

  return (
    <PageContainer
      title={t('retention.due.title')}
      subTitle={t('retention.due.intro')}
      extra={
        <>
          <Button icon={<DownloadOutlined />} href={retentionApi.dueExportUrl(list.filters)}>
            {t('retention.due.export')}
          </Button>
          {mayAppraise && (
            <Tooltip title={t('retention.due.selectHint')}>
              <Button
                type="primary"
                icon={<AuditOutlined />}
                disabled={count === 0}
                onClick={() => setStarting(selected.length ? 'selected' : 'all')}
              >
                {selected.length
                  ? t('retention.due.startSelected', { count: selected.length })
                  : t('retention.due.startAll')}
              </Button>
            </Tooltip>
          )}
        </>
      }
    >
      <Card>
        <Form<DueQuery> form={form} onFinish={apply} labelCol={{ flex: '70px' }} autoComplete="off">
          <Row gutter={16}>
            <Col {...col}>
              <Form.Item name="category" label={t('documents.field.category')}>
                <Select allowClear placeholder={t('common.all')} options={categories.options(false)} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="departmentId" label={t('documents.field.department')}>
                <DepartmentSelect
                  departments={departments.items}
                  allowInactive
                  placeholder={t('common.all')}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="year" label={t('retention.due.year')}>
                <InputNumber min={1900} max={2200} style={{ width: '100%' }} placeholder="2016" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="customerId" label={t('documents.field.customer')}>
                <CustomerPicker allowClear placeholder={t('common.all')} />
              </Form.Item>
            </Col>
            <Col flex="auto">
              <Flex justify="flex-end" gap={8}>
                <Button
                  onClick={() => {
                    form.resetFields();
                    apply({});
                  }}
                >
                  {t('common.reset')}
                </Button>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                  {t('common.search')}
                </Button>
              </Flex>
            </Col>
          </Row>
        </Form>
      </Card>
      <ListCard
        title={t('retention.due.list')}
        total={count === null ? null : t('retention.due.total', { count })}
        onRefresh={() => list.reload()}
      >
        <Table<DueItem>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 1200 }}
          rowSelection={
            mayAppraise
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
              : undefined
          }
          locale={{ emptyText: t('retention.due.empty') }}
          columns={[
            {
              title: t('documents.field.title'),
              dataIndex: 'title',
              width: 260,
              render: (v: string, d) => (
                <Flex gap={6} align="center" wrap>
                  <Link to={`/documents/${d.id}`}>{v}</Link>
                  {d.held && <HeldTag />}
                </Flex>
              ),
            },
            {
              title: t('documents.field.archiveNo'),
              dataIndex: 'archiveNo',
              width: 220,
              render: (v) => v ?? '—',
            },
            {
              title: t('documents.field.docNumber'),
              dataIndex: 'docNumber',
              width: 150,
              render: (v) => v ?? '—',
            },
            { title: t('documents.field.category'), dataIndex: 'categoryName', width: 150, ellipsis: true },
            { title: t('documents.field.department'), dataIndex: 'departmentName', width: 110 },
            { title: t('retention.due.year'), dataIndex: 'recordYear', width: 70, align: 'center' },
            {
              title: t('documents.field.retention'),
              dataIndex: 'retention',
              width: 100,
              render: (v: string) => retentionLabel(v, lang),
            },
            {
              title: t('retention.due.dueDate'),
              dataIndex: 'retentionDue',
              width: 110,
              render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text>,
            },
            {
              title: t('documents.field.carrier'),
              dataIndex: 'carrier',
              width: 100,
              render: (v: DueItem['carrier']) => label(CARRIER_LABELS[v]),
            },
            {
              title: t('documents.field.secrecy'),
              dataIndex: 'secrecy',
              width: 80,
              render: (v: DueItem['secrecy']) => <SecrecyTag level={v} />,
            },
          ]}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
      <StartAppraisalDrawer
        mode={starting}
        documentIds={selected}
        filter={list.filters}
        count={starting === 'selected' ? selected.length : (count ?? 0)}
        onClose={() => setStarting(null)}
      />
    </PageContainer>
  );
}

function StartAppraisalDrawer({
  mode,
  documentIds,
  filter,
  count,
  onClose,
}: {
  mode: 'selected' | 'all' | null;
  documentIds: string[];
  filter: DueQuery;
  count: number;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { me: user } = useAuth();
  const [form] = Form.useForm<{ title: string; note?: string; memberIds: string[] }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDrawer
      open={!!mode}
      title={`${t('appraisal.new')}（${count}）`}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => setError(null)}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ memberIds: user ? [user.id] : [] }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            const created = await retentionApi.createAppraisal({
              title: v.title,
              note: v.note ?? null,
              memberIds: v.memberIds,
              ...(mode === 'selected' ? { documentIds } : { filter }),
            });
            message.success(t('appraisal.created', { number: created.number }));
            navigate(`/retention/appraisals/${created.id}`);
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="title" label={t('appraisal.title')} rules={[{ required: true }]}>
          <Input maxLength={200} placeholder={t('appraisal.titlePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="memberIds"
          label={t('appraisal.members')}
          extra={t('appraisal.membersHelp')}
          rules={[
            { required: true, message: t('appraisal.membersRequired') },
            { type: 'array', min: 2, message: t('appraisal.membersRequired') },
          ]}
        >
          <UserSelect multiple known={user ? [{ id: user.id, name: user.name }] : []} />
        </Form.Item>
        <Form.Item name="note" label={t('appraisal.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
