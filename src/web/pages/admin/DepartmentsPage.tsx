import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Department, Organisation } from '../../../common/schemas/platform';
import { errorText, formErrorText } from '../../api/client';
import { orgApi } from '../../api/platform';
import { useAuth } from '../../auth/AuthContext';
import {
  buildDepartmentTree,
  type DepartmentNode,
  DepartmentSelect,
  subtreeIds,
  useDepartments,
} from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';

type DrawerState = { mode: 'create'; parentId: string | null } | { mode: 'edit'; dept: Department } | null;

interface Values {
  name: string;
  code?: string;
  parentId?: string | null;
  sortOrder?: number | null;
}

function DepartmentDrawer({
  state,
  departments,
  onClose,
  onSaved,
}: {
  state: DrawerState;
  departments: Department[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const last = useRef(state);
  if (state) last.current = state;
  const view = state ?? last.current;
  const editing = view?.mode === 'edit' ? view.dept : null;
  const exclude = useMemo(
    () => (editing ? subtreeIds(departments, editing.id) : undefined),
    [editing, departments],
  );

  // A fresh form each time the drawer opens (resetFields goes back to initialValues).
  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.resetFields();
  }, [state, form]);

  const initialValues: Values = editing
    ? {
        name: editing.name,
        code: editing.code ?? '',
        parentId: editing.parentId ?? undefined,
        sortOrder: editing.sortOrder,
      }
    : {
        name: '',
        parentId: view?.mode === 'create' ? (view.parentId ?? undefined) : undefined,
        sortOrder: 0,
      };

  const onFinish = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    try {
      const body = {
        name: v.name,
        code: v.code?.trim() ? v.code.trim() : null,
        parentId: v.parentId ?? null,
        sortOrder: v.sortOrder ?? 0,
      };
      if (editing) {
        await orgApi.updateDepartment(editing.id, body);
        message.success(t('departments.updated'));
      } else {
        await orgApi.createDepartment(body);
        message.success(t('departments.created'));
      }
      onSaved();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={!!state}
      title={editing ? `${t('departments.edit')}：${editing.name}` : t('departments.create')}
      size={480}
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
    >
      <Form<Values>
        name="department"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        initialValues={initialValues}
        preserve={false}
        key={editing?.id ?? 'new'}
      >
        <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('departments.code')}
          extra={t('departments.codeHelp')}
          rules={[{ pattern: /^[A-Za-z0-9_-]*$/, message: t('departments.codeHelp') }]}
          normalize={(v: string) => v.toUpperCase()}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="parentId" label={t('departments.parent')}>
          <DepartmentSelect
            departments={departments}
            exclude={exclude}
            placeholder={t('departments.parentPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('departments.sortOrder')} extra={t('departments.sortOrderHelp')}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}

export default function DepartmentsPage() {
  const t = useT();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const departments = useDepartments();
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [expanded, setExpanded] = useState<readonly React.Key[] | null>(null);
  const manage = can('department.manage');

  const tree = useMemo(() => buildDepartmentTree(departments.items), [departments.items]);
  const parentIds = useMemo(
    () =>
      departments.items.filter((d) => departments.items.some((c) => c.parentId === d.id)).map((d) => d.id),
    [departments.items],
  );
  const expandedKeys = expanded ?? parentIds;
  const activeCount = departments.items.filter((d) => d.active).length;

  const setActive = async (dept: Department, active: boolean) => {
    try {
      await orgApi.updateDepartment(dept.id, { active });
      message.success(active ? t('departments.enabled') : t('departments.disabled'));
      departments.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const confirmDisable = (dept: Department) =>
    modal.confirm({
      title: t('departments.disableConfirmTitle', { name: dept.name }),
      content: t('departments.disableConfirmContent'),
      okText: t('common.ok'),
      okButtonProps: { danger: true },
      onOk: () => setActive(dept, false),
    });

  const columns: TableColumnsType<DepartmentNode> = [
    {
      title: t('departments.name'),
      dataIndex: 'name',
      render: (v: string, d) => (
        <Typography.Text type={d.active ? undefined : 'secondary'} delete={false}>
          {v}
        </Typography.Text>
      ),
    },
    { title: t('departments.code'), dataIndex: 'code', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('departments.userCount'), dataIndex: 'userCount', width: 110, align: 'right' },
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 100,
      render: (v: boolean) => (
        <Tag color={v ? 'green' : 'default'}>{v ? t('common.active') : t('common.inactive')}</Tag>
      ),
    },
    { title: t('departments.sortOrder'), dataIndex: 'sortOrder', width: 90, align: 'right' },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 220,
      render: (_, d) => (
        <Flex gap={0} wrap style={{ marginInline: -8 }}>
          <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', dept: d })}>
            {t('common.edit')}
          </Button>
          {d.active && (
            <Button type="link" size="small" onClick={() => setDrawer({ mode: 'create', parentId: d.id })}>
              {t('departments.createChild')}
            </Button>
          )}
          {d.active ? (
            <Button type="link" size="small" danger onClick={() => confirmDisable(d)}>
              {t('common.disable')}
            </Button>
          ) : (
            <Button type="link" size="small" onClick={() => setActive(d, true)}>
              {t('common.enable')}
            </Button>
          )}
        </Flex>
      ),
    });
  }

  return (
    <PageContainer title={t('departments.title')}>
      <CompanyNameCard manage={manage} />
      <Card
        title={
          <Flex gap={12} align="baseline">
            <span>{t('departments.list')}</span>
            {departments.items.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>
                {t('departments.total', { count: departments.items.length, active: activeCount })}
              </Typography.Text>
            )}
          </Flex>
        }
        extra={
          <Flex gap={8}>
            <Button onClick={() => setExpanded(expandedKeys.length ? [] : parentIds)}>
              {expandedKeys.length ? t('departments.collapseAll') : t('departments.expandAll')}
            </Button>
            <Tooltip title={t('common.refresh')}>
              <Button
                icon={<ReloadOutlined />}
                onClick={departments.reload}
                aria-label={t('common.refresh')}
              />
            </Tooltip>
            {manage && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDrawer({ mode: 'create', parentId: null })}
              >
                {t('departments.create')}
              </Button>
            )}
          </Flex>
        }
      >
        {departments.error && (
          <Alert type="error" showIcon title={departments.error} style={{ marginBottom: 16 }} />
        )}
        <Table<DepartmentNode>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tree}
          loading={departments.loading}
          pagination={false}
          expandable={{ expandedRowKeys: expandedKeys, onExpandedRowsChange: (keys) => setExpanded(keys) }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('departments.empty')} />,
          }}
        />
      </Card>
      <DepartmentDrawer
        state={drawer}
        departments={departments.items}
        onClose={() => setDrawer(null)}
        onSaved={() => {
          setDrawer(null);
          departments.reload();
        }}
      />
    </PageContainer>
  );
}

/** 公司名称: printed at the head of forms and shown to customers on the survey page and mail. */
function CompanyNameCard({ manage }: { manage: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const [org, setOrg] = useState<Organisation | null>(null);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    orgApi
      .organisation()
      .then(setOrg)
      .catch(() => {});
  }, []);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const next = await orgApi.putOrganisation(value.trim() ? value : null);
      setOrg(next);
      setEditing(false);
      message.success(t('organisation.saved'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="company-name">
      <Flex gap={12} align="center" wrap>
        <Typography.Text strong>{t('organisation.name')}</Typography.Text>
        {editing ? (
          <>
            <Input
              value={value}
              maxLength={100}
              style={{ maxWidth: 360 }}
              aria-label={t('organisation.name')}
              onChange={(e) => setValue(e.target.value)}
              onPressEnter={save}
            />
            <Button type="primary" loading={saving} onClick={save}>
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
          </>
        ) : (
          <>
            <Typography.Text>{org?.effectiveName ?? ''}</Typography.Text>
            {org && !org.name && <Tag>{t('organisation.notSet')}</Tag>}
            {manage && (
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setValue(org?.name ?? '');
                  setEditing(true);
                }}
              >
                {t('common.edit')}
              </Button>
            )}
          </>
        )}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('organisation.help')}
      </Typography.Text>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}
