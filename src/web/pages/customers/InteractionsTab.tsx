import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Select,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { INTERACTION_KIND_LABELS, INTERACTION_KINDS, type InteractionKind } from '../../../common/customers';
import type { Customer, Interaction } from '../../../common/schemas/customers';
import { formatDateTime, todayInShanghai } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { customersApi } from '../../api/customers';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';

export const INTERACTION_COLORS: Record<InteractionKind, string> = {
  call: 'blue',
  letter: 'geekblue',
  fax: 'geekblue',
  email: 'cyan',
  visit: 'green',
  reception: 'gold',
  meeting: 'purple',
  other: 'default',
};

/** 往来记录 (R-C7): letters, faxes, calls, visits and receptions, newest first. */
export function InteractionsTab({ customer, onChanged }: { customer: Customer; onChanged: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [items, setItems] = useState<Interaction[] | null>(null);
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems((await customersApi.interactions(customer.id)).items);
    } catch (e) {
      message.error(errorText(e));
      setItems([]);
    }
  }, [customer.id, message]);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text type="secondary">{t('interactions.intro')}</Typography.Text>
        {customer.can.update && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('interactions.add')}
          </Button>
        )}
      </Flex>
      {items === null ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('interactions.empty')} />
      ) : (
        <List
          itemLayout="vertical"
          dataSource={items}
          renderItem={(i) => <InteractionItem interaction={i} />}
        />
      )}
      <InteractionDrawer
        customer={customer}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          load();
          onChanged();
        }}
      />
    </Flex>
  );
}

export function InteractionItem({ interaction: i }: { interaction: Interaction }) {
  const t = useT();
  const label = useLabel();
  return (
    <List.Item key={i.id} style={{ paddingInline: 0 }}>
      <Flex vertical gap={6}>
        <Flex gap={8} align="center" wrap>
          <Tag color={INTERACTION_COLORS[i.kind]} style={{ marginInlineEnd: 0 }}>
            {label(INTERACTION_KIND_LABELS[i.kind], i.kind)}
          </Tag>
          <Typography.Text strong>{i.occurredOn}</Typography.Text>
          {i.participants && (
            <Typography.Text type="secondary">
              {t('interactions.participants')}
              {t('common.colon')}
              {i.participants}
            </Typography.Text>
          )}
        </Flex>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{i.summary}</Typography.Paragraph>
        {i.nextStep && (
          <Typography.Text>
            <Typography.Text type="secondary">
              {t('interactions.nextStep')}
              {t('common.colon')}
            </Typography.Text>
            {i.nextStep}
            {i.nextStepDue && (
              <Tag
                color={i.nextStepDue < todayInShanghai() ? 'red' : 'default'}
                style={{ marginInlineStart: 8 }}
              >
                {t('interactions.due', { date: i.nextStepDue })}
              </Tag>
            )}
          </Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('interactions.recordedBy', {
            name: i.createdBy ?? t('audit.system'),
            time: formatDateTime(i.createdAt),
          })}
        </Typography.Text>
      </Flex>
    </List.Item>
  );
}

interface Values {
  kind: InteractionKind;
  occurredOn: Dayjs;
  participants?: string;
  summary: string;
  nextStep?: string;
  nextStepDue?: Dayjs | null;
}

function InteractionDrawer({
  customer,
  open,
  onClose,
  onSaved,
}: {
  customer: Customer;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const occurredOn = Form.useWatch('occurredOn', form);
  const today = dayjs(todayInShanghai());

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const onFinish = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    try {
      await customersApi.addInteraction(customer.id, {
        kind: v.kind,
        occurredOn: v.occurredOn.format('YYYY-MM-DD'),
        participants: v.participants ?? '',
        summary: v.summary,
        nextStep: v.nextStep ?? '',
        nextStepDue: v.nextStepDue ? v.nextStepDue.format('YYYY-MM-DD') : null,
      });
      message.success(t('interactions.added'));
      onSaved();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={t('interactions.add')}
      size={520}
      form={form}
      saving={saving}
      error={formError}
      onClose={onClose}
    >
      <Form<Values>
        name="interaction"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        initialValues={{ kind: 'call', occurredOn: today }}
        preserve={false}
      >
        <Flex gap={16}>
          <Form.Item
            name="kind"
            label={t('interactions.kind')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Select
              options={INTERACTION_KINDS.map((k) => ({ value: k, label: label(INTERACTION_KIND_LABELS[k]) }))}
            />
          </Form.Item>
          <Form.Item
            name="occurredOn"
            label={t('interactions.occurredOn')}
            rules={[{ required: true, message: t('common.required') }]}
            style={{ flex: 1 }}
          >
            <DatePicker
              style={{ width: '100%' }}
              allowClear={false}
              disabledDate={(d) => d.isAfter(today, 'day')}
            />
          </Form.Item>
        </Flex>
        <Form.Item name="participants" label={t('interactions.participants')}>
          <Input maxLength={500} placeholder={t('interactions.participantsPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('interactions.summary')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 4, maxRows: 12 }} showCount autoFocus />
        </Form.Item>
        <Form.Item name="nextStep" label={t('interactions.nextStep')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="nextStepDue" label={t('interactions.nextStepDue')}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => !!occurredOn && d.isBefore(occurredOn, 'day')}
          />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
          {t('interactions.noEditHint')}
        </Typography.Paragraph>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
