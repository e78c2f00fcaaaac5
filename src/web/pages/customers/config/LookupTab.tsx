import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { LOOKUP_LIST_LABELS, type LookupList } from '../../../../common/customers';
import type { CustomerConfig, Lookup } from '../../../../common/schemas/customers';
import { errorText, formErrorText } from '../../../api/client';
import { customerConfigApi } from '../../../api/customers';
import { FormDrawer } from '../../../components/FormDrawer';
import { useLabel, useT } from '../../../i18n';

// The configurable lists (R-C4): 客户类别, 客户种类 (with the archive code prefix), 企业性质,
// 客户来源 and 联系人角色: add, rename, reorder, deactivate.

interface LookupValues {
  code: string;
  label: string;
  labelEn?: string;
  prefix?: string;
  sortOrder?: number | null;
  active: boolean;
}

export function LookupTab({
  list,
  config,
  onChanged,
}: {
  list: LookupList;
  config: CustomerConfig;
  onChanged: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message, modal } = App.useApp();
  const [drawer, setDrawer] = useState<{ lookup: Lookup | null } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = config.lookups.filter((l) => l.list === list);
  const isKind = list === 'kind';

  const toggle = (l: Lookup) => {
    const run = async () => {
      setBusy(l.code);
      try {
        await customerConfigApi.putLookup(list, l.code, {
          label: l.label,
          labelEn: l.labelEn ?? '',
          prefix: l.prefix,
          sortOrder: l.sortOrder,
          active: !l.active,
        });
        message.success(l.active ? t('config.lookupDisabled') : t('config.lookupEnabled'));
        onChanged();
      } catch (e) {
        message.error(errorText(e));
      } finally {
        setBusy(null);
      }
    };
    if (!l.active) return run();
    modal.confirm({
      title: t('config.disableLookupTitle', { name: l.label }),
      content: t('config.disableLookupContent'),
      okText: t('common.disable'),
      okButtonProps: { danger: true },
      onOk: run,
    });
  };

  const columns: TableColumnsType<Lookup> = [
    {
      title: t('config.code'),
      dataIndex: 'code',
      width: 140,
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: t('config.label'), dataIndex: 'label', width: 160 },
    {
      title: t('config.labelEn'),
      dataIndex: 'labelEn',
      width: 180,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    ...(isKind
      ? [
          {
            title: t('config.prefix'),
            dataIndex: 'prefix',
            width: 110,
            render: (v: string | null) => (v ? <Tag color="blue">{v}</Tag> : '—'),
          },
        ]
      : []),
    { title: t('config.sortOrder'), dataIndex: 'sortOrder', width: 80 },
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 90,
      render: (v: boolean) => (
        <Tag color={v ? 'green' : 'default'}>{v ? t('common.active') : t('common.inactive')}</Tag>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, l) => (
        <Flex style={{ marginInline: -8 }}>
          <Button type="link" size="small" onClick={() => setDrawer({ lookup: l })}>
            {t('common.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            danger={l.active}
            disabled={busy === l.code}
            onClick={() => toggle(l)}
          >
            {l.active ? t('common.disable') : t('common.enable')}
          </Button>
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary">
          {isKind
            ? t('config.kindIntro')
            : t('config.lookupIntro', { name: label(LOOKUP_LIST_LABELS[list]) })}
        </Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ lookup: null })}>
          {t('config.addLookup')}
        </Button>
      </Flex>
      <Table<Lookup>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
      />
      <LookupDrawer
        list={list}
        state={drawer}
        existing={items}
        onClose={() => setDrawer(null)}
        onSaved={() => {
          setDrawer(null);
          onChanged();
        }}
      />
    </Flex>
  );
}

function LookupDrawer({
  list,
  state,
  existing,
  onClose,
  onSaved,
}: {
  list: LookupList;
  state: { lookup: Lookup | null } | null;
  existing: Lookup[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<LookupValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const last = useRef(state);
  if (state) last.current = state;
  const editing = (state ?? last.current)?.lookup ?? null;
  const isKind = list === 'kind';

  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.resetFields();
  }, [state, form]);

  const initialValues: Partial<LookupValues> = editing
    ? {
        code: editing.code,
        label: editing.label,
        labelEn: editing.labelEn ?? '',
        prefix: editing.prefix ?? '',
        sortOrder: editing.sortOrder,
        active: editing.active,
      }
    : { active: true, sortOrder: Math.max(0, ...existing.map((l) => l.sortOrder)) + 1 };

  const onFinish = async (v: LookupValues) => {
    setSaving(true);
    setFormError(null);
    try {
      await customerConfigApi.putLookup(list, (editing?.code ?? v.code).trim(), {
        label: v.label,
        labelEn: v.labelEn ?? '',
        prefix: isKind ? (v.prefix ?? '').trim() || null : null,
        sortOrder: v.sortOrder ?? 0,
        active: v.active,
      });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const listName = label(LOOKUP_LIST_LABELS[list]);
  return (
    <FormDrawer
      open={!!state}
      title={
        editing ? t('config.editLookup', { name: editing.label }) : t('config.newLookup', { list: listName })
      }
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
    >
      <Form<LookupValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={initialValues}
        preserve={false}
        key={editing?.code ?? 'new'}
        autoComplete="off"
      >
        <Form.Item
          name="code"
          label={t('config.code')}
          extra={editing ? t('config.codeFixed') : t('config.codeHelp')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-z0-9_]{1,40}$/, message: t('config.codeInvalid') },
            {
              validator: (_, v?: string) =>
                !editing && existing.some((l) => l.code === v)
                  ? Promise.reject(new Error(t('config.codeTaken')))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input disabled={!!editing} maxLength={40} autoFocus={!editing} />
        </Form.Item>
        <Form.Item
          name="label"
          label={t('config.label')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={50} autoFocus={!!editing} />
        </Form.Item>
        <Form.Item name="labelEn" label={t('config.labelEn')}>
          <Input maxLength={100} />
        </Form.Item>
        {isKind && (
          <Form.Item
            name="prefix"
            label={t('config.prefix')}
            extra={t('config.prefixHelp')}
            normalize={(v: string) => v.toUpperCase()}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^[A-Z]{1,6}$/, message: t('config.prefixInvalid') },
            ]}
          >
            <Input maxLength={6} style={{ width: 160 }} />
          </Form.Item>
        )}
        <Form.Item name="sortOrder" label={t('config.sortOrder')} extra={t('departments.sortOrderHelp')}>
          <InputNumber min={0} max={10000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="active" label={t('common.status')} valuePropName="checked">
          <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
