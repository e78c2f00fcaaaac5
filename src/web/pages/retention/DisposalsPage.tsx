import { FileProtectOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Form, Input, Table, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CARRIER_LABELS, retentionLabel } from '../../../common/documents';
import type { DisposalCandidate, DisposalSummary } from '../../../common/schemas/retention';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { retentionApi } from '../../api/retention';
import { useAuth } from '../../auth/AuthContext';
import { FormDrawer } from '../../components/FormDrawer';
import { LoadMore } from '../../components/LoadMore';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useLang, useT } from '../../i18n';
import { DisposalStatusTag, HeldTag } from './shared';

/** 销毁清册 /retention/disposals: the registers, and what awaits one (R-X3). */
export default function DisposalsPage() {
  const t = useT();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'candidates' && can('disposal.manage') ? 'candidates' : 'registers';
  return (
    <PageContainer title={t('disposal.list.title')} subTitle={t('disposal.list.intro')}>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'registers', label: t('disposal.tab.registers'), children: <Registers /> },
            ...(can('disposal.manage')
              ? [{ key: 'candidates', label: t('disposal.tab.candidates'), children: <Candidates /> }]
              : []),
          ]}
        />
      </Card>
    </PageContainer>
  );
}

function Registers() {
  const t = useT();
  const list = useKeysetList<DisposalSummary, object>((_, cursor) => retentionApi.disposals(cursor), {});
  return (
    <>
      <Table<DisposalSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('disposal.list.empty')} />,
        }}
        columns={[
          {
            title: t('disposal.number'),
            dataIndex: 'number',
            width: 130,
            render: (v: string, d) => <Link to={`/retention/disposals/${d.id}`}>{v}</Link>,
          },
          { title: t('disposal.title'), dataIndex: 'title' },
          {
            title: t('appraisal.status'),
            dataIndex: 'status',
            width: 170,
            render: (s: DisposalSummary['status']) => <DisposalStatusTag status={s} />,
          },
          { title: t('disposal.items'), dataIndex: 'itemCount', width: 80, align: 'right' },
          {
            title: t('disposal.createdAt'),
            key: 'created',
            width: 220,
            render: (_, d) => `${d.createdBy?.name ?? ''} ${formatDateTime(d.createdAt)}`,
          },
          {
            title: t('disposal.destructionDate'),
            dataIndex: 'destructionDate',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
        ]}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
    </>
  );
}

function Candidates() {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [items, setItems] = useState<DisposalCandidate[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ title: string; note?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    retentionApi
      .candidates()
      .then(setItems)
      .catch((e) => message.error(errorText(e)));
  }, [message]);
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={12} wrap>
        <Typography.Text type="secondary">{t('disposal.candidates.hint')}</Typography.Text>
        <Button
          type="primary"
          icon={<FileProtectOutlined />}
          disabled={selected.length === 0}
          onClick={() => setOpen(true)}
        >
          {selected.length ? t('disposal.newSelected', { count: selected.length }) : t('disposal.new')}
        </Button>
      </Flex>
      <Table<DisposalCandidate>
        rowKey="appraisalItemId"
        size="middle"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (c) => ({ disabled: c.held }),
        }}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('disposal.candidates.empty')} />
          ),
        }}
        columns={[
          {
            title: t('documents.field.title'),
            dataIndex: 'title',
            render: (v: string, c) => (
              <Flex gap={6} align="center" wrap>
                <Link to={`/documents/${c.documentId}`}>{v}</Link>
                {c.held && <HeldTag />}
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
          { title: t('retention.due.year'), dataIndex: 'recordYear', width: 70 },
          {
            title: t('documents.field.retention'),
            dataIndex: 'retention',
            width: 100,
            render: (v: string) => retentionLabel(v, lang),
          },
          {
            title: t('documents.field.carrier'),
            dataIndex: 'carrier',
            width: 100,
            render: (v: DisposalCandidate['carrier']) => label(CARRIER_LABELS[v]),
          },
          {
            title: t('documents.field.secrecy'),
            dataIndex: 'secrecy',
            width: 80,
            render: (v: DisposalCandidate['secrecy']) => <SecrecyTag level={v} />,
          },
          {
            title: t('appraisal.number'),
            dataIndex: 'appraisalNumber',
            width: 120,
            render: (v: string, c) => <Link to={`/retention/appraisals/${c.appraisalId}`}>{v}</Link>,
          },
        ]}
      />
      <FormDrawer
        open={open}
        title={t('disposal.new')}
        form={form}
        saving={saving}
        error={error}
        onClose={() => setOpen(false)}
        afterClose={() => setError(null)}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            setSaving(true);
            setError(null);
            try {
              const created = await retentionApi.createDisposal({
                title: v.title,
                note: v.note ?? null,
                itemIds: selected,
              });
              message.success(t('disposal.created', { number: created.number }));
              navigate(`/retention/disposals/${created.id}`);
            } catch (e) {
              setError(formErrorText(form, e));
            } finally {
              setSaving(false);
            }
          }}
        >
          <Form.Item name="title" label={t('disposal.title')} rules={[{ required: true }]}>
            <Input maxLength={200} placeholder={t('disposal.titlePlaceholder')} />
          </Form.Item>
          <Form.Item name="note" label={t('appraisal.note')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </FormDrawer>
    </Flex>
  );
}
