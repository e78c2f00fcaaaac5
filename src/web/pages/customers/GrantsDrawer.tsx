import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Radio,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { Customer, Grant } from '../../../common/schemas/customers';
import { formatDateTime, todayInShanghai } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { customersApi } from '../../api/customers';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { UserSelect } from '../../components/UserSelect';
import { useT } from '../../i18n';
import { Dash } from './shared';

interface Values {
  target: 'user' | 'department';
  userId?: string;
  departmentId?: string;
  expiresOn?: Dayjs | null;
  reason?: string;
}

function grantState(g: Grant): 'active' | 'expired' | 'revoked' {
  if (g.revokedAt) return 'revoked';
  if (g.expiresAt && Date.parse(g.expiresAt) < Date.now()) return 'expired';
  return 'active';
}

/** 访问授权 (R-P2): who else may read this archive, until when; grant and revoke. */
export function GrantsDrawer({
  open,
  customer,
  onClose,
  onChanged,
}: {
  open: boolean;
  customer: Customer;
  onClose: () => void;
  onChanged: () => void;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const departments = useDepartments();
  const [form] = Form.useForm<Values>();
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const target = Form.useWatch('target', form) ?? 'user';

  const load = useCallback(async () => {
    try {
      setGrants((await customersApi.grants(customer.id)).items);
    } catch (e) {
      message.error(errorText(e));
      setGrants([]);
    }
  }, [customer.id, message]);

  useEffect(() => {
    if (open) {
      setGrants(null);
      setFormError(null);
      form.resetFields();
      load();
    }
  }, [open, load, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    try {
      await customersApi.grant(customer.id, {
        userId: v.target === 'user' ? (v.userId ?? null) : null,
        departmentId: v.target === 'department' ? (v.departmentId ?? null) : null,
        expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : null,
        reason: v.reason ?? '',
      });
      message.success(t('grants.granted'));
      form.resetFields();
      await load();
      onChanged();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const revoke = (g: Grant) =>
    modal.confirm({
      title: t('grants.revokeTitle', { who: g.user?.name ?? g.department?.name ?? '' }),
      content: t('grants.revokeContent'),
      okText: t('grants.revoke'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await customersApi.revokeGrant(customer.id, g.id);
          message.success(t('grants.revoked'));
          await load();
          onChanged();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const columns: TableColumnsType<Grant> = [
    {
      title: t('grants.who'),
      key: 'who',
      render: (_, g) =>
        g.user ? (
          <span>
            {g.user.name} <Typography.Text type="secondary">{g.user.login}</Typography.Text>
          </span>
        ) : (
          <span>
            <Tag style={{ marginInlineEnd: 4 }}>{t('grants.department')}</Tag>
            {g.department?.name}
          </span>
        ),
    },
    {
      title: t('grants.until'),
      dataIndex: 'expiresAt',
      width: 110,
      render: (v: string | null) => (v ? formatDateTime(v).slice(0, 10) : t('grants.noExpiry')),
    },
    {
      title: t('grants.reason'),
      dataIndex: 'reason',
      ellipsis: true,
      render: (v: string | null) => v ?? <Dash />,
    },
    {
      title: t('grants.grantedBy'),
      key: 'by',
      width: 150,
      render: (_, g) => (
        <Flex vertical>
          <span>{g.grantedBy ?? '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(g.grantedAt)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('common.status'),
      key: 'state',
      width: 80,
      render: (_, g) => {
        const s = grantState(g);
        return (
          <Tag color={s === 'active' ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
            {t(`grants.state.${s}`)}
          </Tag>
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 70,
      render: (_, g) =>
        grantState(g) === 'active' ? (
          <Button type="link" size="small" danger onClick={() => revoke(g)} style={{ paddingInline: 0 }}>
            {t('grants.revoke')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Drawer
      open={open}
      title={t('grants.title', { code: customer.archiveCode })}
      size={760}
      onClose={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={16}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('grants.intro')}
        </Typography.Paragraph>
        <Card size="small" title={t('grants.add')}>
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{ target: 'user' }}
            autoComplete="off"
          >
            {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
            <Form.Item name="target" style={{ marginBottom: 12 }}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'user', label: t('grants.toUser') },
                  { value: 'department', label: t('grants.toDepartment') },
                ]}
              />
            </Form.Item>
            <Flex gap={16} wrap>
              {target === 'user' ? (
                <Form.Item
                  name="userId"
                  label={t('grants.user')}
                  rules={[{ required: true, message: t('common.required') }]}
                  style={{ flex: 1, minWidth: 220 }}
                >
                  <UserSelect />
                </Form.Item>
              ) : (
                <Form.Item
                  name="departmentId"
                  label={t('grants.department')}
                  rules={[{ required: true, message: t('common.required') }]}
                  style={{ flex: 1, minWidth: 220 }}
                >
                  <DepartmentSelect departments={departments.items} />
                </Form.Item>
              )}
              <Form.Item
                name="expiresOn"
                label={t('grants.until')}
                extra={t('grants.untilHelp')}
                style={{ width: 200 }}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.isBefore(dayjs(todayInShanghai()), 'day')}
                />
              </Form.Item>
            </Flex>
            <Form.Item name="reason" label={t('grants.reason')}>
              <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
            </Form.Item>
            <Flex justify="flex-end">
              <Button type="primary" htmlType="submit" loading={saving}>
                {t('grants.submit')}
              </Button>
            </Flex>
          </Form>
        </Card>
        <Table<Grant>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={grants ?? []}
          loading={grants === null}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grants.empty')} />,
          }}
        />
      </Flex>
    </Drawer>
  );
}
