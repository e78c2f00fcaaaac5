import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
} from 'antd';
import { useRef, useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../common/enums';
import type { User } from '../../../common/schemas/platform';
import { formatDateTime, isFuture } from '../../../common/time';
import { errorText } from '../../api/client';
import { orgApi, type UserQuery } from '../../api/platform';
import { useMe } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { LoadMore } from '../../components/LoadMore';
import { RoleTags, SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { type Secret, SecretModal } from '../../components/SecretModal';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { UserDrawer, type UserDrawerState } from './UserDrawer';

interface Filters {
  q?: string;
  departmentId?: string;
  role?: Role;
  active?: 'true' | 'false';
}

const toQuery = (f: Filters): UserQuery => ({
  q: f.q?.trim() || undefined,
  departmentId: f.departmentId,
  role: f.role,
  active: f.active,
});

export default function UsersPage() {
  const t = useT();
  const label = useLabel();
  const me = useMe();
  const { message, modal } = App.useApp();
  const departments = useDepartments();
  const [filterForm] = Form.useForm<Filters>();
  const list = useKeysetList<User, Filters>((f, cursor) => orgApi.listUsers(toQuery(f), cursor), {});
  const [drawer, setDrawer] = useState<UserDrawerState>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  // The initial password opens once the drawer has gone, so one dialog shows at a time.
  const pending = useRef<Secret | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (user: User, op: () => Promise<void>) => {
    setBusy(user.id);
    try {
      await op();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const setActive = (user: User, active: boolean) =>
    run(user, async () => {
      const updated = await orgApi.updateUser(user.id, { active });
      list.replace((u) => u.id === user.id, updated);
      message.success(active ? t('users.enabled') : t('users.disabled'));
    });

  const confirmDisable = (user: User) =>
    modal.confirm({
      title: t('users.disableConfirmTitle', { name: user.name }),
      content: t('users.disableConfirmContent'),
      okText: t('common.ok'),
      okButtonProps: { danger: true },
      onOk: () => setActive(user, false),
    });

  const confirmReset = (user: User) => {
    // The new password opens once the confirmation has gone, so one dialog shows at a time.
    let created: Secret | null = null;
    modal.confirm({
      title: t('users.resetConfirmTitle', { name: user.name }),
      content: t('users.resetConfirmContent'),
      okText: t('common.ok'),
      okButtonProps: { danger: true },
      onOk: () =>
        run(user, async () => {
          const res = await orgApi.resetPassword(user.id);
          message.success(t('users.resetDone'));
          created = {
            title: t('users.newPasswordTitle', { name: user.name }),
            value: res.password,
            warning: t('users.passwordOnce'),
            testId: 'reset-password',
          };
          const fresh = await orgApi.getUser(user.id);
          list.replace((u) => u.id === user.id, fresh);
        }),
      afterClose: () => {
        if (created) setSecret(created);
      },
    });
  };

  const unlock = (user: User) =>
    run(user, async () => {
      const updated = await orgApi.unlockUser(user.id);
      list.replace((u) => u.id === user.id, updated);
      message.success(t('users.unlocked'));
    });

  const columns: TableColumnsType<User> = [
    {
      title: t('users.login'),
      dataIndex: 'login',
      width: 130,
      render: (v: string, u) => (
        <Flex gap={4} align="center">
          <span>{v}</span>
          {u.id === me.id && <Tag color="blue">{t('users.you')}</Tag>}
        </Flex>
      ),
    },
    { title: t('users.name'), dataIndex: 'name', width: 100, ellipsis: true },
    {
      title: t('users.department'),
      dataIndex: 'departmentName',
      width: 120,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      minWidth: 150,
      render: (roles: Role[]) => <RoleTags roles={roles} />,
    },
    {
      title: t('users.clearance'),
      dataIndex: 'clearance',
      width: 90,
      render: (v: User['clearance']) => <SecrecyTag level={v} />,
    },
    {
      title: t('users.status'),
      key: 'status',
      width: 130,
      render: (_, u) => (
        <Flex gap={4} wrap>
          <Tag color={u.active ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
            {u.active ? t('users.statusActive') : t('users.statusInactive')}
          </Tag>
          {isFuture(u.lockedUntil) && (
            <Tooltip title={t('users.lockedUntil', { time: formatDateTime(u.lockedUntil) })}>
              <Tag color="red" style={{ marginInlineEnd: 0 }}>
                {t('users.locked')}
              </Tag>
            </Tooltip>
          )}
          {u.active && u.mustChangePassword && (
            <Tag color="orange" style={{ marginInlineEnd: 0 }}>
              {t('users.mustChange')}
            </Tag>
          )}
        </Flex>
      ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      width: 165,
      render: (v: string | null) =>
        v ? formatDateTime(v) : <span style={{ color: '#999' }}>{t('users.never')}</span>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_, u) => (
        <Flex gap={0} wrap style={{ marginInline: -8 }}>
          <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', user: u })}>
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" disabled={busy === u.id} onClick={() => confirmReset(u)}>
            {t('users.resetPassword')}
          </Button>
          {isFuture(u.lockedUntil) && (
            <Button type="link" size="small" disabled={busy === u.id} onClick={() => unlock(u)}>
              {t('users.unlock')}
            </Button>
          )}
          {u.id !== me.id &&
            (u.active ? (
              <Button
                type="link"
                size="small"
                danger
                disabled={busy === u.id}
                onClick={() => confirmDisable(u)}
              >
                {t('users.disable')}
              </Button>
            ) : (
              <Button type="link" size="small" disabled={busy === u.id} onClick={() => setActive(u, true)}>
                {t('users.enable')}
              </Button>
            ))}
        </Flex>
      ),
    },
  ];

  const search = (values: Filters) => list.reload(values);

  return (
    <PageContainer title={t('users.title')}>
      <Card>
        <Form<Filters>
          name="userFilter"
          form={filterForm}
          layout="inline"
          onFinish={search}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="q" label={t('users.keyword')}>
            <Input placeholder={t('users.keywordPlaceholder')} allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="departmentId" label={t('users.department')}>
            <DepartmentSelect departments={departments.items} allowInactive style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 140 }}
              options={ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
            />
          </Form.Item>
          <Form.Item name="active" label={t('users.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 110 }}
              options={[
                { value: 'true', label: t('users.statusActive') },
                { value: 'false', label: t('users.statusInactive') },
              ]}
            />
          </Form.Item>
          <Form.Item style={{ marginInlineEnd: 0 }}>
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  filterForm.resetFields();
                  search(filterForm.getFieldsValue());
                }}
              >
                {t('common.reset')}
              </Button>
            </Flex>
          </Form.Item>
        </Form>
      </Card>
      <Card
        title={t('users.list')}
        extra={
          <Flex gap={8}>
            <Tooltip title={t('common.refresh')}>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => list.reload()}
                aria-label={t('common.refresh')}
              />
            </Tooltip>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })}>
              {t('users.create')}
            </Button>
          </Flex>
        }
      >
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 1040 }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('users.empty')} />,
          }}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </Card>
      <UserDrawer
        state={drawer}
        departments={departments.items}
        onClose={() => setDrawer(null)}
        afterClose={() => {
          if (pending.current) setSecret(pending.current);
          pending.current = null;
        }}
        onSaved={(user, initialPassword) => {
          setDrawer(null);
          if (initialPassword) {
            pending.current = {
              title: t('users.createdTitle', { name: user.name }),
              value: initialPassword,
              warning: t('users.passwordOnce'),
              testId: 'initial-password',
            };
            list.reload();
          } else {
            list.replace((u) => u.id === user.id, user);
          }
        }}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </PageContainer>
  );
}
