import { App, Col, Collapse, DatePicker, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  type CaseKind,
  CHANNEL_LABELS,
  CHANNELS,
  type Channel,
  SEVERITIES,
  SEVERITY_LABELS,
  type Severity,
} from '../../../common/cases';
import { SECRECY_LABELS, SECRECY_LEVELS, type SecrecyLevel, secrecyRank } from '../../../common/enums';
import type { Case } from '../../../common/schemas/cases';
import type { Contact } from '../../../common/schemas/customers';
import { casesApi } from '../../api/cases';
import { formErrorText } from '../../api/client';
import { customersApi } from '../../api/customers';
import { useAuth } from '../../auth/AuthContext';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';
import { useCaseTypes } from './shared';

interface Values {
  kind: CaseKind;
  customerId?: string;
  contactId?: string | null;
  contactName?: string;
  contactPhone?: string;
  channel: Channel;
  type?: string;
  subtype?: string;
  severity: Severity;
  content: string;
  demand?: string;
  receivedAt: Dayjs;
  product?: string;
  partNumber?: string;
  orderRef?: string;
  quantity?: number | null;
  secrecy: SecrecyLevel;
  responsibleUserId?: string | null;
}

const text = (s?: string) => (s?.trim() ? s.trim() : null);

/**
 * 登记投诉/服务: the quick entry for a phone call (R-Q1). Customer, contact, type, severity and
 * the customer's words are enough; the channel is 电话 and the time is now unless changed.
 * Product, order and the rest wait under 更多信息.
 */
export function NewCaseDrawer({
  open,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** Recording from this customer's archive: the customer is fixed. */
  customer?: { id: string; archiveCode: string; name: string } | null;
  onClose: () => void;
  onSaved: (c: Case) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const { me } = useAuth();
  const [form] = Form.useForm<Values>();
  const types = useCaseTypes();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const kind = Form.useWatch('kind', form) ?? 'complaint';
  const customerId = Form.useWatch('customerId', form);
  const myRank = me ? secrecyRank(me.clearance) : 0;

  // The customer's contacts, the primary one picked (most calls come from them).
  useEffect(() => {
    setContacts([]);
    if (!customerId || !open) return;
    let live = true;
    customersApi
      .contacts(customerId)
      .then((r) => {
        if (!live) return;
        const active = r.items.filter((c) => c.active);
        setContacts(active);
        const primary = active.find((c) => c.isPrimary) ?? active[0];
        if (!form.getFieldValue('contactId')) form.setFieldValue('contactId', primary?.id ?? null);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [customerId, open, form]);

  // The first active type of the kind, so that the common case needs no click.
  const typeOptions = types.options(kind);
  const firstType = typeOptions[0]?.value;
  const typeCodes = typeOptions.map((o) => o.value).join(',');
  useEffect(() => {
    if (!open) return;
    const current = form.getFieldValue('type');
    if (!current || !typeCodes.split(',').includes(current)) form.setFieldValue('type', firstType);
  }, [open, typeCodes, firstType, form]);

  const onFinish = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      const saved = await casesApi.create({
        kind: v.kind,
        type: v.type ?? '',
        subtype: text(v.subtype),
        customerId: customer?.id ?? v.customerId ?? '',
        contactId: v.contactId ?? null,
        contactName: text(v.contactName),
        contactPhone: text(v.contactPhone),
        channel: v.channel,
        product: text(v.product),
        partNumber: text(v.partNumber),
        orderRef: text(v.orderRef),
        quantity: v.quantity ?? null,
        content: v.content,
        demand: text(v.demand),
        receivedAt: v.receivedAt.format(),
        severity: v.severity,
        secrecy: v.secrecy,
        responsibleUserId: v.responsibleUserId ?? null,
      });
      message.success(t('cases.new.saved', { number: saved.number }));
      onSaved(saved);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={customer ? t('cases.new.titleFor', { name: customer.name }) : t('cases.new.title')}
      size={640}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      saveText={t('cases.new.save')}
      afterClose={() => setError(null)}
    >
      <Form<Values>
        name="newCase"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        preserve={false}
        key={customer?.id ?? 'any'}
        initialValues={{
          kind: 'complaint',
          customerId: customer?.id,
          channel: 'phone',
          severity: 'normal',
          secrecy: 'normal',
          receivedAt: dayjs(),
        }}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="kind" label={t('cases.field.kind')}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={CASE_KINDS.map((k) => ({ value: k, label: label(CASE_KIND_LABELS[k]) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="receivedAt" label={t('cases.field.receivedAt')} rules={[{ required: true }]}>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                allowClear={false}
              />
            </Form.Item>
          </Col>
        </Row>
        {customer ? (
          <Form.Item label={t('cases.field.customer')}>
            <Input value={`${customer.archiveCode} ${customer.name}`} disabled />
          </Form.Item>
        ) : (
          <Form.Item
            name="customerId"
            label={t('cases.field.customer')}
            rules={[{ required: true, message: t('cases.new.pickCustomer') }]}
          >
            <CustomerPicker
              placeholder={t('cases.new.customerPlaceholder')}
              autoFocus
              onChange={(v) => {
                form.setFieldsValue({ customerId: v, contactId: null });
              }}
            />
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="contactId" label={t('cases.field.contact')}>
              <Select
                allowClear
                placeholder={
                  customerId || customer ? t('cases.new.contactOther') : t('cases.new.contactFirst')
                }
                options={contacts.map((c) => ({
                  value: c.id,
                  label: [c.name, c.title, c.mobile ?? c.phone].filter(Boolean).join(' · '),
                }))}
                notFoundContent={t('cases.new.noContacts')}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="channel" label={t('cases.field.channel')}>
              <Select options={CHANNELS.map((c) => ({ value: c, label: label(CHANNEL_LABELS[c]) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item noStyle dependencies={['contactId']}>
          {({ getFieldValue }) =>
            !getFieldValue('contactId') && (
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item name="contactName" label={t('cases.field.contactName')}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="contactPhone" label={t('cases.field.contactPhone')}>
                    <Input maxLength={50} />
                  </Form.Item>
                </Col>
              </Row>
            )
          }
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="type" label={t('cases.field.type')} rules={[{ required: true }]}>
              <Select options={typeOptions} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="severity" label={t('cases.field.severity')}>
              <Radio.Group
                optionType="button"
                options={SEVERITIES.map((s) => ({ value: s, label: label(SEVERITY_LABELS[s]) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="content"
          label={t('cases.field.content')}
          rules={[{ required: true, whitespace: true }]}
          extra={t('cases.new.contentHelp')}
        >
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="demand" label={t('cases.field.demand')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Collapse
          size="small"
          items={[
            {
              key: 'more',
              label: t('cases.new.more'),
              forceRender: true,
              children: (
                <>
                  <Row gutter={16}>
                    <Col span={12}>
                      <Form.Item name="product" label={t('cases.field.product')}>
                        <Input maxLength={200} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="partNumber" label={t('cases.field.partNumber')}>
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="orderRef" label={t('cases.field.orderRef')}>
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="quantity" label={t('cases.field.quantity')}>
                        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="subtype" label={t('cases.field.subtype')}>
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name="secrecy" label={t('cases.field.secrecy')}>
                        <Select
                          options={SECRECY_LEVELS.map((s) => ({
                            value: s,
                            label: label(SECRECY_LABELS[s]),
                            disabled: secrecyRank(s) > myRank,
                          }))}
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item
                    name="responsibleUserId"
                    label={t('cases.field.responsible')}
                    extra={t('cases.new.responsibleHelp')}
                    style={{ marginBottom: 0 }}
                  >
                    <UserSelect />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />
      </Form>
    </FormDrawer>
  );
}
