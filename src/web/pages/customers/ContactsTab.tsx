import { PlusOutlined, StarFilled } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  Empty,
  Flex,
  Form,
  Input,
  Select,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Contact, Customer } from '../../../common/schemas/customers';
import { FIELD_MESSAGES } from '../../../common/validation';
import { errorText, formErrorText } from '../../api/client';
import { type ContactInput, customersApi } from '../../api/customers';
import { FormDrawer } from '../../components/FormDrawer';
import { useLang, useT } from '../../i18n';
import { Dash, useCustomerConfig, useLookups } from './shared';

type DrawerState = { mode: 'create' } | { mode: 'edit'; contact: Contact } | null;

interface Values {
  name: string;
  title?: string;
  role?: string | null;
  mobile?: string;
  phone?: string;
  email?: string;
  wechat?: string;
  isPrimary?: boolean;
  notes?: string;
}

/** 联系人: the customer's contacts, with add, edit, main contact and remove. */
export function ContactsTab({
  customer,
  contacts,
  onChanged,
}: {
  customer: Customer;
  contacts: Contact[] | null;
  onChanged: (list: Contact[]) => void;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [showRemoved, setShowRemoved] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const editable = customer.can.update;

  const reload = async () => onChanged((await customersApi.contacts(customer.id)).items);

  const patch = async (contact: Contact, body: { active?: boolean; isPrimary?: boolean }, done: string) => {
    setBusy(contact.id);
    try {
      await customersApi.updateContact(customer.id, contact.id, body);
      await reload();
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const confirmRemove = (contact: Contact) =>
    modal.confirm({
      title: t('contacts.removeTitle', { name: contact.name }),
      content: t('contacts.removeContent'),
      okText: t('contacts.remove'),
      okButtonProps: { danger: true },
      onOk: () => patch(contact, { active: false }, t('contacts.removed')),
    });

  const removedCount = contacts?.filter((c) => !c.active).length ?? 0;
  const rows = (contacts ?? []).filter((c) => showRemoved || c.active);

  const columns: TableColumnsType<Contact> = [
    {
      title: t('contacts.name'),
      dataIndex: 'name',
      width: 140,
      render: (v: string, c) => (
        <Flex gap={6} align="center" wrap>
          <Typography.Text delete={!c.active}>{v}</Typography.Text>
          {c.isPrimary && c.active && (
            <Tag color="blue" icon={<StarFilled />} style={{ marginInlineEnd: 0 }}>
              {t('contacts.primary')}
            </Tag>
          )}
          {!c.active && <Tag style={{ marginInlineEnd: 0 }}>{t('contacts.removedTag')}</Tag>}
        </Flex>
      ),
    },
    { title: t('contacts.title'), dataIndex: 'title', width: 110, render: (v) => v ?? <Dash /> },
    {
      title: t('contacts.role'),
      dataIndex: 'role',
      width: 90,
      render: (v: string | null) => (v ? lookups.label('contact_role', v) : <Dash />),
    },
    { title: t('contacts.mobile'), dataIndex: 'mobile', width: 130, render: (v) => v ?? <Dash /> },
    { title: t('contacts.phone'), dataIndex: 'phone', width: 140, render: (v) => v ?? <Dash /> },
    {
      title: t('contacts.email'),
      dataIndex: 'email',
      width: 180,
      ellipsis: true,
      render: (v) => v ?? <Dash />,
    },
    { title: t('contacts.wechat'), dataIndex: 'wechat', width: 110, render: (v) => v ?? <Dash /> },
    {
      title: t('contacts.notes'),
      dataIndex: 'notes',
      ellipsis: true,
      render: (v: string | null) => v ?? <Dash />,
    },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 190,
            fixed: 'right' as const,
            render: (_: unknown, c: Contact) => (
              <Flex wrap style={{ marginInline: -8 }}>
                {c.active ? (
                  <>
                    <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', contact: c })}>
                      {t('common.edit')}
                    </Button>
                    {!c.isPrimary && (
                      <Button
                        type="link"
                        size="small"
                        disabled={busy === c.id}
                        onClick={() => patch(c, { isPrimary: true }, t('contacts.primarySet'))}
                      >
                        {t('contacts.setPrimary')}
                      </Button>
                    )}
                    <Button
                      type="link"
                      size="small"
                      danger
                      disabled={busy === c.id}
                      onClick={() => confirmRemove(c)}
                    >
                      {t('contacts.remove')}
                    </Button>
                  </>
                ) : (
                  <Button
                    type="link"
                    size="small"
                    disabled={busy === c.id}
                    onClick={() => patch(c, { active: true }, t('contacts.restored'))}
                  >
                    {t('contacts.restore')}
                  </Button>
                )}
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Flex align="center" gap={8}>
          {removedCount > 0 && (
            <>
              <Switch size="small" checked={showRemoved} onChange={setShowRemoved} id="show-removed" />
              <label htmlFor="show-removed">
                <Typography.Text type="secondary">
                  {t('contacts.showRemoved', { count: removedCount })}
                </Typography.Text>
              </label>
            </>
          )}
        </Flex>
        {editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })}>
            {t('contacts.add')}
          </Button>
        )}
      </Flex>
      <Table<Contact>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={contacts === null}
        pagination={false}
        scroll={{ x: 1200 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.empty')} />,
        }}
      />
      <ContactDrawer
        customer={customer}
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

function ContactDrawer({
  customer,
  state,
  onClose,
  onSaved,
}: {
  customer: Customer;
  state: DrawerState;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const last = useRef(state);
  if (state) last.current = state;
  const view = state ?? last.current;
  const editing = view?.mode === 'edit' ? view.contact : null;

  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.resetFields();
  }, [state, form]);

  const initialValues: Partial<Values> = editing
    ? {
        name: editing.name,
        title: editing.title ?? '',
        role: editing.role,
        mobile: editing.mobile ?? '',
        phone: editing.phone ?? '',
        email: editing.email ?? '',
        wechat: editing.wechat ?? '',
        isPrimary: editing.isPrimary,
        notes: editing.notes ?? '',
      }
    : { isPrimary: false };

  const onFinish = async (v: Values) => {
    const body: ContactInput = {
      name: v.name,
      title: v.title ?? '',
      role: v.role ?? null,
      mobile: v.mobile ?? '',
      phone: v.phone ?? '',
      email: v.email ?? '',
      wechat: v.wechat ?? '',
      isPrimary: !!v.isPrimary,
      notes: v.notes ?? '',
    };
    setSaving(true);
    setFormError(null);
    try {
      if (editing) await customersApi.updateContact(customer.id, editing.id, body);
      else await customersApi.addContact(customer.id, body);
      message.success(editing ? t('contacts.updated') : t('contacts.added'));
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
      title={editing ? `${t('contacts.edit')}：${editing.name}` : t('contacts.add')}
      size={520}
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
    >
      <Form<Values>
        name="contact"
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
            name="name"
            label={t('contacts.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={50} autoFocus />
          </Form.Item>
          <Form.Item name="title" label={t('contacts.title')} style={{ flex: 1 }}>
            <Input maxLength={50} />
          </Form.Item>
        </Flex>
        <Form.Item name="role" label={t('contacts.role')}>
          <Select
            allowClear
            options={lookups.options('contact_role', editing?.role)}
            placeholder={t('common.pleaseSelect')}
          />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="mobile" label={t('contacts.mobile')} style={{ flex: 1 }}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="phone" label={t('contacts.phone')} style={{ flex: 1 }}>
            <Input maxLength={60} />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item
            name="email"
            label={t('contacts.email')}
            rules={[{ type: 'email', message: FIELD_MESSAGES.email[lang] }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="wechat" label={t('contacts.wechat')} style={{ flex: 1 }}>
            <Input maxLength={50} />
          </Form.Item>
        </Flex>
        <Form.Item name="notes" label={t('contacts.notes')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="isPrimary" valuePropName="checked" extra={t('contacts.primaryHelp')}>
          <Checkbox>{t('contacts.primary')}</Checkbox>
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
