import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Modal, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formErrorText } from '../api/client';
import { useT } from '../i18n';

// A module's own short list (case types, special-requirement categories, the orders' review
// checklist): a table of name, code and status, with a dialog to add an entry or rename /
// (de)activate one. Entries are never deleted: records that carry a code keep its name. A list
// without a status (`withStatus={false}`: every entry is in force) shows and asks none.

export interface CodeListEntry {
  code: string;
  label: string;
  active?: boolean;
}

export function CodeListEditor<E extends CodeListEntry>({
  title,
  items,
  editable,
  addText,
  editText,
  onSave,
  onSaved,
  withStatus = true,
  labelMaxLength = 50,
}: {
  title: string;
  items: E[];
  editable: boolean;
  addText: string;
  editText: string;
  /** Saves one entry and answers the whole list. */
  onSave: (code: string, body: { label: string; active: boolean }) => Promise<E[]>;
  onSaved: (items: E[]) => void;
  withStatus?: boolean;
  /** The longest name the API takes. */
  labelMaxLength?: number;
}) {
  const t = useT();
  const [editing, setEditing] = useState<{ entry: E | null } | null>(null);
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{title}</Typography.Text>
        {editable && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ entry: null })}>
            {addText}
          </Button>
        )}
      </Flex>
      <Table<E>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={items}
        columns={[
          { title: t('codeList.label'), dataIndex: 'label' },
          { title: t('codeList.code'), dataIndex: 'code', width: 130 },
          ...(withStatus
            ? [
                {
                  title: t('common.status'),
                  dataIndex: 'active',
                  width: 80,
                  render: (v: boolean) =>
                    v ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
                },
              ]
            : []),
          ...(editable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, r: E) => (
                    <Button
                      size="small"
                      type="link"
                      icon={<EditOutlined />}
                      onClick={() => setEditing({ entry: r })}
                    >
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <EntryModal
        editing={editing}
        title={editing?.entry ? editText : addText}
        withStatus={withStatus}
        labelMaxLength={labelMaxLength}
        onSave={onSave}
        onClose={() => setEditing(null)}
        onSaved={(list) => {
          onSaved(list);
          setEditing(null);
        }}
      />
    </>
  );
}

function EntryModal<E extends CodeListEntry>({
  editing,
  title,
  onSave,
  onClose,
  onSaved,
  withStatus,
  labelMaxLength,
}: {
  editing: { entry: E | null } | null;
  title: string;
  withStatus: boolean;
  labelMaxLength: number;
  onSave: (code: string, body: { label: string; active: boolean }) => Promise<E[]>;
  onClose: () => void;
  onSaved: (list: E[]) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string; label: string; active: boolean }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (editing) setError(null);
  }, [editing]);
  return (
    <Modal
      open={!!editing}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {editing && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={editing.entry ?? { active: true }}
          onFinish={async (v) => {
            setSaving(true);
            setError(null);
            try {
              const list = await onSave(v.code, { label: v.label, active: v.active !== false });
              message.success(t('codeList.saved'));
              onSaved(list);
            } catch (e) {
              setError(formErrorText(form, e));
            } finally {
              setSaving(false);
            }
          }}
        >
          <Form.Item
            name="code"
            label={t('codeList.code')}
            extra={editing.entry ? undefined : t('codeList.codeHelp')}
            rules={[
              { required: true },
              { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('codeList.codeHelp') },
            ]}
          >
            <Input disabled={!!editing.entry} maxLength={40} />
          </Form.Item>
          <Form.Item name="label" label={t('codeList.label')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={labelMaxLength} autoFocus />
          </Form.Item>
          {withStatus && (
            <Form.Item
              name="active"
              label={t('common.status')}
              valuePropName="checked"
              extra={t('codeList.activeHelp')}
            >
              <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
