import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiToken } from '../../../common/schemas/platform';
import { formatDateTime, isFuture } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { authApi } from '../../api/platform';
import { PageContainer } from '../../components/PageContainer';
import { type Secret, SecretModal } from '../../components/SecretModal';
import { useT } from '../../i18n';

type TokenStatus = 'active' | 'expired' | 'revoked';

function statusOf(token: ApiToken): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && !isFuture(token.expiresAt)) return 'expired';
  return 'active';
}

interface CreateValues {
  name: string;
  expiresInDays?: number | null;
}

export default function TokensPage() {
  const t = useT();
  const { message, modal } = App.useApp();
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  // Shown once the create dialog has closed, so one dialog shows at a time.
  const pending = useRef<Secret | null>(null);
  const [form] = Form.useForm<CreateValues>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setTokens((await authApi.listTokens()).items);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [message]);

  useEffect(() => {
    load();
  }, [load]);

  const openCreate = () => {
    form.resetFields();
    setFormError(null);
    setCreating(true);
  };

  const create = async (v: CreateValues) => {
    setSaving(true);
    setFormError(null);
    try {
      const created = await authApi.createToken({ name: v.name, expiresInDays: v.expiresInDays ?? null });
      setCreating(false);
      pending.current = {
        title: t('tokens.createdTitle', { name: created.name }),
        value: created.token,
        warning: t('tokens.once'),
        testId: 'api-token',
        extra: (
          <div>
            <Typography.Text type="secondary">{t('tokens.usage')}</Typography.Text>
            <pre
              style={{
                margin: '4px 0 0',
                padding: '8px 12px',
                background: '#fafafa',
                border: '1px solid #f0f0f0',
                borderRadius: 6,
                fontSize: 12,
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
              }}
            >
              {`curl -H "Authorization: Bearer ${created.token}" ${window.location.origin}/api/auth/me`}
            </pre>
          </div>
        ),
      };
      load();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const confirmRevoke = (token: ApiToken) =>
    modal.confirm({
      title: t('tokens.revokeConfirmTitle', { name: token.name }),
      content: t('tokens.revokeConfirmContent'),
      okText: t('common.ok'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await authApi.revokeToken(token.id);
          message.success(t('tokens.revoked'));
          load();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const STATUS: Record<TokenStatus, { color: string; text: string }> = {
    active: { color: 'green', text: t('tokens.statusActive') },
    expired: { color: 'default', text: t('tokens.statusExpired') },
    revoked: { color: 'red', text: t('tokens.statusRevoked') },
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      width: 160,
      render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
    },
    {
      title: t('tokens.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('tokens.lastUsed'),
      dataIndex: 'lastUsedAt',
      width: 170,
      render: (v: string | null) =>
        v ? formatDateTime(v) : <Typography.Text type="secondary">{t('common.never')}</Typography.Text>,
    },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      width: 170,
      render: (v: string | null) =>
        v ? (
          formatDateTime(v)
        ) : (
          <Typography.Text type="secondary">{t('tokens.neverExpires')}</Typography.Text>
        ),
    },
    {
      title: t('common.status'),
      key: 'status',
      width: 90,
      render: (_, token) => {
        const s = STATUS[statusOf(token)];
        return <Tag color={s.color}>{s.text}</Tag>;
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, token) =>
        statusOf(token) === 'revoked' ? null : (
          <Button
            type="link"
            size="small"
            danger
            style={{ marginInline: -8 }}
            onClick={() => confirmRevoke(token)}
          >
            {t('tokens.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <PageContainer title={t('tokens.title')}>
      <Alert type="info" showIcon title={t('tokens.intro')} />
      <Card
        title={t('tokens.list')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openCreate}>
            {t('tokens.create')}
          </Button>
        }
      >
        <Table<ApiToken>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tokens}
          loading={loading}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tokens.empty')} />,
          }}
        />
      </Card>
      <Modal
        open={creating}
        title={t('tokens.create')}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        afterClose={() => {
          if (pending.current) setSecret(pending.current);
          pending.current = null;
        }}
        forceRender
      >
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
        <Form<CreateValues> name="token" form={form} layout="vertical" onFinish={create} autoComplete="off">
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={100} placeholder={t('tokens.namePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="expiresInDays"
            label={t('tokens.expiresInDays')}
            extra={t('tokens.expiresInDaysHelp')}
          >
            <InputNumber min={1} max={3650} precision={0} suffix={t('tokens.days')} style={{ width: 200 }} />
          </Form.Item>
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </Modal>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </PageContainer>
  );
}
