import { Alert, App, Descriptions, Flex, Form, Input, Modal, Select, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Customer, CustomerListItem } from '../../../common/schemas/customers';
import { formErrorText } from '../../api/client';
import { customersApi } from '../../api/customers';
import { useT } from '../../i18n';
import { ArchiveCode, CustomerStatusTag, OwnerNames, useCustomerConfig, useLookups } from './shared';

/** 合并…: picks another archive and merges it into this one (the survivor), after a warning. */
export function MergeModal({
  open,
  target,
  onClose,
  onMerged,
}: {
  open: boolean;
  target: Customer;
  onClose: () => void;
  onMerged: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [form] = Form.useForm<{ sourceId?: string; note?: string }>();
  const [options, setOptions] = useState<CustomerListItem[]>([]);
  const [searching, setSearching] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sourceId = Form.useWatch('sourceId', form);
  const source = options.find((o) => o.id === sourceId);
  const timer = useRef<number | undefined>(undefined);

  const search = (q: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      setSearching(true);
      try {
        // Same name first: that is what duplicates usually share.
        const res = await customersApi.list({ q: q.trim() || target.name.slice(0, 6) }, null, 20);
        setOptions(res.items.filter((c) => c.id !== target.id && c.status !== 'merged'));
      } catch {
        setOptions([]);
      } finally {
        setSearching(false);
      }
    }, 250);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: when the dialog opens
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setError(null);
    search('');
  }, [open]);

  const submit = async (v: { sourceId?: string; note?: string }) => {
    if (!v.sourceId) return;
    setSaving(true);
    setError(null);
    try {
      await customersApi.merge(target.id, v.sourceId, v.note?.trim() || null);
      message.success(t('merge.done', { code: source?.archiveCode ?? '' }));
      onMerged();
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('merge.title', { code: target.archiveCode })}
      okText={t('merge.submit')}
      okButtonProps={{ danger: true, loading: saving, disabled: !sourceId }}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={620}
      destroyOnHidden
    >
      <Flex vertical gap={12} style={{ marginTop: 8 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('merge.intro', { code: target.archiveCode, name: target.name })}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} />}
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="sourceId"
            label={t('merge.source')}
            rules={[{ required: true, message: t('merge.sourceRequired') }]}
          >
            <Select
              showSearch={{ filterOption: false, onSearch: search }}
              placeholder={t('merge.sourcePlaceholder')}
              notFoundContent={searching ? <Spin size="small" /> : t('merge.noCandidates')}
              options={options.map((o) => ({
                value: o.id,
                label: `${o.archiveCode} ${o.name}`,
              }))}
            />
          </Form.Item>
          {source && (
            <Descriptions
              size="small"
              bordered
              column={2}
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: 'code',
                  label: t('customers.field.archiveCode'),
                  children: <ArchiveCode code={source.archiveCode} />,
                },
                {
                  key: 'status',
                  label: t('customers.field.status'),
                  children: <CustomerStatusTag status={source.status} />,
                },
                { key: 'name', label: t('customers.field.name'), children: source.name, span: 2 },
                {
                  key: 'category',
                  label: t('customers.field.category'),
                  children: lookups.label('category', source.category),
                },
                {
                  key: 'owners',
                  label: t('customers.field.owners'),
                  children: <OwnerNames names={source.owners} />,
                },
              ]}
            />
          )}
          <Alert
            type="warning"
            showIcon
            title={t('merge.whatMoves')}
            description={t('merge.whatMovesDetail')}
          />
          <Form.Item name="note" label={t('merge.note')} style={{ marginTop: 16, marginBottom: 0 }}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}
