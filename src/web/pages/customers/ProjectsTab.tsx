import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Customer } from '../../../common/schemas/customers';
import type { Project, ProjectIndex } from '../../../common/schemas/projects';
import { errorText, formErrorText } from '../../api/client';
import { type CreateProjectInput, projectsApi } from '../../api/projects';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useT } from '../../i18n';
import { useRetention } from '../documents/shared';
import { Dash } from './shared';

// 项目档案 (seed 002: 同一客户的不同项目档案应分别整理，但需建立关联索引): the 项目 tab of a customer
// archive: its projects with create/edit, and the 关联索引 (what is linked to each project).

type DrawerState = { mode: 'create' } | { mode: 'edit'; project: Project } | null;

interface Values {
  name: string;
  code: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  ownerId?: string | null;
  retention?: string | null;
  remarks?: string;
}

export function ProjectStatusTag({ status }: { status: Project['status'] }) {
  const t = useT();
  return status === 'active' ? (
    <Tag color="green">{t('projects.status.active')}</Tag>
  ) : (
    <Tag>{t('projects.status.closed')}</Tag>
  );
}

export function ProjectsTab({ customer }: { customer: Customer }) {
  const t = useT();
  const { message } = App.useApp();
  const retention = useRetention();
  const [items, setItems] = useState<Project[] | null>(null);
  const [index, setIndex] = useState<ProjectIndex | null>(null);
  const [drawer, setDrawer] = useState<DrawerState>(null);

  const reload = useCallback(async () => {
    try {
      const [list, idx] = await Promise.all([projectsApi.list(customer.id), projectsApi.index(customer.id)]);
      setItems(list.items);
      setIndex(idx);
    } catch (e) {
      message.error(errorText(e));
      setItems([]);
    }
  }, [customer.id, message]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const editable = customer.can.update;
  const counts = new Map((index?.projects ?? []).map((p) => [p.id, p.counts.documents]));

  const columns: TableColumnsType<Project> = [
    {
      title: t('projects.code'),
      dataIndex: 'code',
      width: 120,
      render: (v: string, p) => <Link to={`/customers/projects/${p.id}`}>{v}</Link>,
    },
    { title: t('projects.name'), dataIndex: 'name', width: 220 },
    {
      title: t('projects.period'),
      key: 'period',
      width: 200,
      render: (_: unknown, p) =>
        p.startDate || p.endDate ? `${p.startDate ?? '…'} ~ ${p.endDate ?? '…'}` : <Dash />,
    },
    {
      title: t('projects.owner'),
      key: 'owner',
      width: 100,
      render: (_: unknown, p) => p.owner?.name ?? <Dash />,
    },
    {
      title: t('projects.retention'),
      dataIndex: 'retention',
      width: 100,
      render: (v: string | null) => (v ? retention.label(v) : <Dash />),
    },
    {
      title: t('projects.documents'),
      key: 'documents',
      width: 90,
      align: 'right',
      render: (_: unknown, p) => counts.get(p.id) ?? 0,
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: Project['status']) => <ProjectStatusTag status={v} />,
    },
    { title: t('projects.remarks'), dataIndex: 'remarks', ellipsis: true, render: (v) => v ?? <Dash /> },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, p: Project) =>
              p.status === 'active' && (
                <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', project: p })}>
                  {t('common.edit')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary">{t('projects.intro')}</Typography.Text>
        {editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })}>
            {t('projects.add')}
          </Button>
        )}
      </Flex>
      <Table<Project>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items ?? []}
        loading={items === null}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.empty')} />,
        }}
      />
      {index && index.projects.length > 0 && (
        <Flex vertical gap={8}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('projects.index.title')}
          </Typography.Title>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            style={{ maxWidth: 760 }}
            columns={[
              { title: t('projects.index.project'), dataIndex: 'label' },
              { title: t('projects.index.documents'), dataIndex: 'documents', width: 90, align: 'right' },
              { title: t('projects.index.orders'), dataIndex: 'orders', width: 90, align: 'right' },
              {
                title: t('projects.index.requirements'),
                dataIndex: 'requirements',
                width: 90,
                align: 'right',
              },
              { title: t('projects.index.cases'), dataIndex: 'cases', width: 90, align: 'right' },
            ]}
            dataSource={[
              ...index.projects.map((p) => ({ key: p.id, label: `${p.code} ${p.name}`, ...p.counts })),
              { key: '', label: t('projects.index.unlinked'), ...index.unlinked },
            ]}
          />
          <Typography.Text type="secondary">{t('projects.index.hint')}</Typography.Text>
        </Flex>
      )}
      <ProjectDrawer
        customerId={customer.id}
        state={drawer}
        onClose={() => setDrawer(null)}
        onSaved={async () => {
          setDrawer(null);
          await reload();
        }}
      />
    </Flex>
  );
}

export function ProjectDrawer({
  customerId,
  state,
  onClose,
  onSaved,
}: {
  customerId: string;
  state: DrawerState;
  onClose: () => void;
  onSaved: (p: Project) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const retention = useRetention();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const last = useRef(state);
  if (state) last.current = state;
  const view = state ?? last.current;
  const editing = view?.mode === 'edit' ? view.project : null;

  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.resetFields();
  }, [state, form]);

  const initialValues: Partial<Values> = editing
    ? {
        name: editing.name,
        code: editing.code,
        dates: [
          editing.startDate ? dayjs(editing.startDate) : null,
          editing.endDate ? dayjs(editing.endDate) : null,
        ],
        ownerId: editing.owner?.id ?? null,
        retention: editing.retention,
        remarks: editing.remarks ?? '',
      }
    : {};

  const onFinish = async (v: Values) => {
    const body: CreateProjectInput = {
      name: v.name,
      code: v.code,
      startDate: v.dates?.[0]?.format('YYYY-MM-DD') ?? null,
      endDate: v.dates?.[1]?.format('YYYY-MM-DD') ?? null,
      ownerId: v.ownerId ?? null,
      retention: v.retention ?? null,
      remarks: v.remarks ?? '',
    };
    setSaving(true);
    setFormError(null);
    try {
      const saved = editing
        ? await projectsApi.update(editing.id, body)
        : await projectsApi.create(customerId, body);
      message.success(editing ? t('projects.updated') : t('projects.added'));
      onSaved(saved);
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={!!state}
      title={editing ? `${t('projects.edit')}：${editing.code}` : t('projects.add')}
      size={520}
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
    >
      <Form<Values>
        name="project"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        initialValues={initialValues}
        preserve={false}
        key={editing?.id ?? 'new'}
      >
        <Flex gap={16}>
          <Form.Item
            name="code"
            label={t('projects.code')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('projects.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            style={{ flex: 2 }}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        <Form.Item name="dates" label={t('projects.period')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="ownerId" label={t('projects.owner')} style={{ flex: 1 }}>
            <UserSelect allowClear known={editing?.owner ? [editing.owner] : []} />
          </Form.Item>
          <Form.Item name="retention" label={t('projects.retention')} style={{ flex: 1 }}>
            <Select allowClear options={retention.options} placeholder={t('common.pleaseSelect')} />
          </Form.Item>
        </Flex>
        <Form.Item name="remarks" label={t('projects.remarks')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
