import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import {
  CUSTOM_FIELD_TYPE_LABELS,
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
} from '../../../../common/customers';
import type { CustomerConfig, CustomField } from '../../../../common/schemas/customers';
import { errorText, formErrorText } from '../../../api/client';
import { customerConfigApi } from '../../../api/customers';
import { FormDrawer } from '../../../components/FormDrawer';
import { useLabel, useLang, useT } from '../../../i18n';
import { lookupName } from '../shared';

// Custom fields (自定义字段, R-C3): per customer kind, rendered by type on the customer form.

interface FieldValues {
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[];
  required?: boolean;
  kinds?: string[];
  sortOrder?: number | null;
  active: boolean;
}

export function CustomFieldsTab({ config, onChanged }: { config: CustomerConfig; onChanged: () => void }) {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [drawer, setDrawer] = useState<{ field: CustomField | null } | null>(null);
  const kindName = (code: string) => {
    const l = config.lookups.find((x) => x.list === 'kind' && x.code === code);
    return l ? lookupName(l, lang) : code;
  };

  const toggle = async (f: CustomField) => {
    try {
      await customerConfigApi.updateField(f.id, { active: !f.active });
      message.success(f.active ? t('config.fieldDisabled') : t('config.fieldEnabled'));
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: TableColumnsType<CustomField> = [
    {
      title: t('config.fieldKey'),
      dataIndex: 'key',
      width: 150,
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: t('config.fieldLabel'), dataIndex: 'label', width: 140 },
    {
      title: t('config.fieldType'),
      dataIndex: 'type',
      width: 90,
      render: (v: CustomFieldType) => label(CUSTOM_FIELD_TYPE_LABELS[v], v),
    },
    {
      title: t('config.fieldOptions'),
      dataIndex: 'options',
      ellipsis: true,
      render: (v: string[]) =>
        v.length ? v.join('、') : <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('config.fieldRequired'),
      dataIndex: 'required',
      width: 70,
      render: (v: boolean) => (v ? <Tag color="orange">{t('common.yes')}</Tag> : t('common.no')),
    },
    {
      title: t('config.fieldKinds'),
      dataIndex: 'kinds',
      width: 180,
      render: (v: string[] | null) =>
        v?.length ? (
          v.map(kindName).join('、')
        ) : (
          <Typography.Text type="secondary">{t('config.allKinds')}</Typography.Text>
        ),
    },
    { title: t('config.sortOrder'), dataIndex: 'sortOrder', width: 70 },
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 80,
      render: (v: boolean) => (
        <Tag color={v ? 'green' : 'default'}>{v ? t('common.active') : t('common.inactive')}</Tag>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      fixed: 'right',
      render: (_, f) => (
        <Flex style={{ marginInline: -8 }}>
          <Button type="link" size="small" onClick={() => setDrawer({ field: f })}>
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" danger={f.active} onClick={() => toggle(f)}>
            {f.active ? t('common.disable') : t('common.enable')}
          </Button>
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary">{t('config.fieldsIntro')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ field: null })}>
          {t('config.addField')}
        </Button>
      </Flex>
      <Table<CustomField>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={config.customFields}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('config.fieldsEmpty')} />,
        }}
      />
      <FieldDrawer
        config={config}
        state={drawer}
        onClose={() => setDrawer(null)}
        onSaved={() => {
          setDrawer(null);
          onChanged();
        }}
      />
    </Flex>
  );
}

function FieldDrawer({
  config,
  state,
  onClose,
  onSaved,
}: {
  config: CustomerConfig;
  state: { field: CustomField | null } | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<FieldValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const last = useRef(state);
  if (state) last.current = state;
  const editing = (state ?? last.current)?.field ?? null;
  const type = Form.useWatch('type', form) ?? editing?.type;
  const hasOptions = type === 'select' || type === 'multiselect';

  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.resetFields();
  }, [state, form]);

  const initialValues: Partial<FieldValues> = editing
    ? {
        key: editing.key,
        label: editing.label,
        type: editing.type,
        options: editing.options,
        required: editing.required,
        kinds: editing.kinds ?? [],
        sortOrder: editing.sortOrder,
        active: editing.active,
      }
    : { type: 'text', options: [], required: false, kinds: [], sortOrder: 0, active: true };

  const onFinish = async (v: FieldValues) => {
    setSaving(true);
    setFormError(null);
    const common = {
      label: v.label,
      options: hasOptions ? (v.options ?? []) : [],
      required: !!v.required,
      kinds: v.kinds?.length ? v.kinds : null,
      sortOrder: v.sortOrder ?? 0,
      active: v.active,
    };
    try {
      if (editing) await customerConfigApi.updateField(editing.id, common);
      else await customerConfigApi.createField({ ...common, key: v.key.trim(), type: v.type });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const kinds = config.lookups
    .filter((l) => l.list === 'kind' && (l.active || editing?.kinds?.includes(l.code)))
    .map((l) => ({ value: l.code, label: lookupName(l, lang) }));

  return (
    <FormDrawer
      open={!!state}
      title={editing ? t('config.editField', { name: editing.label }) : t('config.addField')}
      size={520}
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
    >
      <Form<FieldValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={initialValues}
        preserve={false}
        key={editing?.id ?? 'new'}
        autoComplete="off"
      >
        <Form.Item
          name="key"
          label={t('config.fieldKey')}
          extra={editing ? t('config.fieldKeyFixed') : t('config.fieldKeyHelp')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('config.fieldKeyInvalid') },
          ]}
        >
          <Input disabled={!!editing} maxLength={40} autoFocus={!editing} />
        </Form.Item>
        <Form.Item
          name="label"
          label={t('config.fieldLabel')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={50} placeholder={t('config.fieldLabelPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="type"
          label={t('config.fieldType')}
          extra={editing ? t('config.fieldTypeFixed') : undefined}
        >
          <Select
            disabled={!!editing}
            options={CUSTOM_FIELD_TYPES.map((v) => ({ value: v, label: label(CUSTOM_FIELD_TYPE_LABELS[v]) }))}
          />
        </Form.Item>
        {hasOptions && (
          <Form.Item
            name="options"
            label={t('config.fieldOptions')}
            extra={t('config.fieldOptionsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('config.fieldOptionsRequired') }]}
          >
            <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
          </Form.Item>
        )}
        <Form.Item name="kinds" label={t('config.fieldKinds')} extra={t('config.fieldKindsHelp')}>
          <Select mode="multiple" allowClear options={kinds} placeholder={t('config.allKinds')} />
        </Form.Item>
        <Flex gap={24}>
          <Form.Item
            name="required"
            label={t('config.fieldRequired')}
            valuePropName="checked"
            extra={t('config.fieldRequiredHelp')}
            style={{ flex: 1 }}
          >
            <Switch />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('config.sortOrder')} style={{ width: 140 }}>
            <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="active" label={t('common.status')} valuePropName="checked">
          <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
