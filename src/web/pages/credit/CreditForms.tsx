import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { INVESTIGATION_KIND_LABELS, INVESTIGATION_SOURCE_LABELS } from '../../../common/credit';
import { CREDIT_CLASS_LABELS } from '../../../common/customers';
import type { CreditCard } from '../../../common/schemas/credit';
import { formErrorText } from '../../api/client';
import { creditApi } from '../../api/credit';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';

// The forms of the 信用 tab, one drawer each: a dated balance, a 信用调查, a request for a limit
// or a class, an admission with its 客户交易卡, a 危险客户报告. Each posts and hands back the
// customer's credit card as the server now has it.

export type CreditFormKind = 'balance' | 'investigation' | 'limit' | 'class' | 'admission' | 'danger';

const day = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);
const money = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function CreditFormDrawer({
  customerId,
  kind,
  proposed,
  onClose,
  onSaved,
}: {
  customerId: string;
  kind: CreditFormKind | null;
  proposed?: string;
  onClose: () => void;
  onSaved: (card: CreditCard) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = dayjs();
  // biome-ignore lint/suspicious/noExplicitAny: the values of whichever form is open
  const submit = async (v: any) => {
    setSaving(true);
    setError(null);
    try {
      let card: CreditCard;
      if (kind === 'balance')
        card = await creditApi.balance(customerId, {
          asOf: day(v.asOf) as string,
          receivables: money(v.receivables),
          unsettledBills: money(v.unsettledBills),
          overdueDays: v.overdueDays ?? 0,
          note: v.note,
        });
      else if (kind === 'investigation')
        card = await creditApi.investigate(customerId, {
          ...v,
          investigatedOn: day(v.investigatedOn) as string,
          foundedOn: day(v.foundedOn) ?? null,
          sources: v.sources ?? [],
        });
      else if (kind === 'limit')
        card = await creditApi.request(customerId, {
          kind: 'limit',
          creditLimit: money(v.creditLimit),
          reason: v.reason,
        });
      else if (kind === 'class')
        card = await creditApi.request(customerId, {
          kind: 'class',
          creditClass: v.creditClass,
          reason: v.reason,
        });
      else if (kind === 'admission')
        card = await creditApi.admit(customerId, {
          card: { ...v.card, openedOn: day(v.card.openedOn) as string },
          paymentTerms: v.paymentTerms,
          conditions: v.conditions,
          requestedLimit: money(v.requestedLimit),
        });
      else
        card = await creditApi.danger(customerId, {
          ...v,
          reportedOn: day(v.reportedOn) as string,
          suspend: !!v.suspend,
        });
      onSaved(card);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  const required = [{ required: true, message: t('common.required') }];
  const amount = (name: string | string[], title: string) => (
    <Form.Item name={name} label={title} rules={required}>
      <InputNumber min={0} precision={2} style={{ width: '100%' }} />
    </Form.Item>
  );
  const date = (name: string | string[], title: string, req = true) => (
    <Form.Item name={name} label={title} rules={req ? required : undefined}>
      <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(today, 'day')} />
    </Form.Item>
  );
  const text = (name: string | string[], title: string, rows = 0, req = false) => (
    <Form.Item name={name} label={title} rules={req ? required : undefined}>
      {rows ? <Input.TextArea rows={rows} /> : <Input />}
    </Form.Item>
  );
  return (
    <FormDrawer
      open={!!kind}
      title={kind ? t(`credit.form.${kind}` as 'credit.form.balance') : ''}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
    >
      <Form
        form={form}
        layout="vertical"
        name={`credit-${kind}`}
        onFinish={submit}
        initialValues={{
          asOf: today,
          investigatedOn: today,
          reportedOn: today,
          kind: 'daily',
          overdueDays: 0,
          creditClass: proposed,
        }}
      >
        {kind === 'balance' && (
          <>
            {date('asOf', t('credit.balance.asOf'))}
            {amount('receivables', t('credit.receivables'))}
            {amount('unsettledBills', t('credit.unsettledBills'))}
            <Form.Item name="overdueDays" label={t('credit.overdueDays')}>
              <InputNumber min={0} max={3650} style={{ width: '100%' }} />
            </Form.Item>
            {text('note', t('credit.note'))}
          </>
        )}
        {kind === 'investigation' && (
          <>
            <Form.Item name="kind" label={t('credit.investigation.kind')} rules={required}>
              <Select
                options={Object.entries(INVESTIGATION_KIND_LABELS).map(([value, l]) => ({
                  value,
                  label: label(l),
                }))}
              />
            </Form.Item>
            {date('investigatedOn', t('credit.investigation.on'))}
            <Form.Item name="sources" label={t('credit.investigation.sources')}>
              <Checkbox.Group
                options={Object.entries(INVESTIGATION_SOURCE_LABELS).map(([value, l]) => ({
                  value,
                  label: label(l),
                }))}
              />
            </Form.Item>
            {text('management', t('credit.investigation.management'), 2)}
            {text('internal', t('credit.investigation.internal'), 2)}
            {text('funding', t('credit.investigation.funding'), 2)}
            {text('payment', t('credit.investigation.payment'), 2)}
            {text('conclusion', t('credit.investigation.conclusion'), 3, true)}
            {date('foundedOn', t('credit.investigation.foundedOn'), false)}
            <Form.Item name="staffCount" label={t('credit.investigation.staffCount')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="wholesaler" label={t('credit.investigation.wholesaler')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item
              name="pastDefault"
              label={t('credit.investigation.pastDefault')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
          </>
        )}
        {kind === 'limit' && (
          <>
            {amount('creditLimit', t('credit.limit'))}
            {text('reason', t('credit.request.reason'), 3, true)}
          </>
        )}
        {kind === 'class' && (
          <>
            <Form.Item name="creditClass" label={t('credit.class')} rules={required}>
              <Select
                options={Object.entries(CREDIT_CLASS_LABELS).map(([value, l]) => ({
                  value,
                  label: label(l),
                }))}
              />
            </Form.Item>
            {text('reason', t('credit.request.reason'), 3, true)}
          </>
        )}
        {kind === 'admission' && (
          <>
            {text(['card', 'headquarters'], t('credit.card.headquarters'), 0, true)}
            {text(['card', 'tradingSite'], t('credit.card.tradingSite'), 0, true)}
            {text(['card', 'address'], t('credit.card.address'), 0, true)}
            {text(['card', 'website'], t('credit.card.website'))}
            {date(['card', 'openedOn'], t('credit.card.openedOn'))}
            {text(['card', 'capital'], t('credit.card.capital'), 0, true)}
            <Form.Item name={['card', 'staffCount']} label={t('credit.card.staffCount')} rules={required}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name={['card', 'managerCount']} label={t('credit.card.managerCount')} rules={required}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            {text(['card', 'assets'], t('credit.card.assets'), 2, true)}
            {text(['card', 'managerAges'], t('credit.card.managerAges'), 0, true)}
            {text('paymentTerms', t('credit.card.paymentTerms'), 0, true)}
            {text('conditions', t('credit.card.conditions'), 2)}
            {amount('requestedLimit', t('credit.card.requestedLimit'))}
          </>
        )}
        {kind === 'danger' && (
          <>
            {date('reportedOn', t('credit.danger.on'))}
            {text('cause', t('credit.danger.cause'), 0, true)}
            {text('details', t('credit.danger.details'), 3, true)}
            {text('measures', t('credit.danger.measures'), 2)}
            <Form.Item name="suspend" label={t('credit.danger.suspend')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
      </Form>
    </FormDrawer>
  );
}
