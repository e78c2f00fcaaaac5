import { App, Col, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import { SEVERITIES, SEVERITY_LABELS, type Severity } from '../../../common/cases';
import { SECRECY_LABELS, SECRECY_LEVELS, type SecrecyLevel, secrecyRank } from '../../../common/enums';
import type { Case } from '../../../common/schemas/cases';
import { casesApi, type UpdateCaseInput } from '../../api/cases';
import { formErrorText } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';
import { useCaseTypes } from './shared';

// 修改登记信息 (PATCH /cases/:id): what was recorded at intake, corrected or completed later — the
// type, the product and order, the contact, severity, secrecy and the person complained about.
// The customer, the channel, the time received and the customer's words stay as recorded.

interface Values {
  type: string;
  subtype?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  product?: string | null;
  partNumber?: string | null;
  orderRef?: string | null;
  quantity?: number | null;
  demand?: string | null;
  severity: Severity;
  secrecy: SecrecyLevel;
  responsibleUserId?: string | null;
}

const text = (s?: string | null) => (s?.trim() ? s.trim() : null);

function valuesOf(c: Case): Values {
  return {
    type: c.type,
    subtype: c.subtype,
    contactName: c.contact.name,
    contactPhone: c.contact.phone,
    product: c.product,
    partNumber: c.partNumber,
    orderRef: c.orderRef,
    quantity: c.quantity,
    demand: c.demand,
    severity: c.severity,
    secrecy: c.ownSecrecy,
    responsibleUserId: c.responsible?.id ?? null,
  };
}

export function EditCaseDrawer({
  open,
  c,
  onClose,
  onDone,
}: {
  open: boolean;
  c: Case;
  onClose: () => void;
  onDone: (c: Case) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const { me } = useAuth();
  const types = useCaseTypes();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const myRank = me ? secrecyRank(me.clearance) : 0;
  const typeOptions = types.of(c.kind).filter((x) => x.active || x.code === c.type);

  const onFinish = async (v: Values) => {
    // Only what changed, so that a field the reader did not touch is never refused.
    const before = valuesOf(c);
    const after: Values = {
      ...v,
      subtype: text(v.subtype),
      contactName: text(v.contactName),
      contactPhone: text(v.contactPhone),
      product: text(v.product),
      partNumber: text(v.partNumber),
      orderRef: text(v.orderRef),
      quantity: v.quantity ?? null,
      demand: text(v.demand),
      responsibleUserId: v.responsibleUserId ?? null,
    };
    const body: Record<string, unknown> = {};
    for (const key of Object.keys(after) as (keyof Values)[])
      if ((after[key] ?? null) !== (before[key] ?? null)) body[key] = after[key];
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await casesApi.update(c.id, body as UpdateCaseInput);
      message.success(t('cases.edit.saved'));
      onDone(saved);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={t('cases.edit.title', { number: c.number })}
      size={640}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => setError(null)}
    >
      <Typography.Paragraph type="secondary">{t('cases.edit.help')}</Typography.Paragraph>
      <Form<Values>
        name="editCase"
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        initialValues={valuesOf(c)}
        onFinish={onFinish}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="type" label={t('cases.field.type')} rules={[{ required: true }]}>
              <Select options={typeOptions.map((x) => ({ value: x.code, label: x.label }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="subtype" label={t('cases.field.subtype')}>
              <Input maxLength={100} />
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
        </Row>
        <Form.Item name="demand" label={t('cases.field.demand')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        {c.kind === 'complaint' && (
          <Form.Item
            name="responsibleUserId"
            label={t('cases.field.responsible')}
            extra={t('cases.new.responsibleHelp')}
          >
            <UserSelect known={c.responsible ? [c.responsible] : []} />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
