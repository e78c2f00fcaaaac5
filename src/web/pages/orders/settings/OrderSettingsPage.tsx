import { Alert, App, Card, Col, Form, InputNumber, Row, Select, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ROLE_LABELS, ROLES } from '../../../../common/enums';
import type { OrderSettings } from '../../../../common/schemas/orders';
import { errorText } from '../../../api/client';
import { type OrderSettingsInput, ordersApi } from '../../../api/orders';
import { useAuth } from '../../../auth/AuthContext';
import { CodeListEditor } from '../../../components/CodeListEditor';
import { useDepartments } from '../../../components/departments';
import { PageContainer, PageSpin } from '../../../components/PageContainer';
import { SettingsFormCard } from '../../../components/SettingsFormCard';
import { useLabel, useT } from '../../../i18n';
import { AmendmentSettingsSection } from './AmendmentSettingsSection';
import { DeliverySettingsSection } from './DeliverySettingsSection';
import { DepartmentCodeSelect } from './DepartmentCodeSelect';
import { RecordSettingsSection } from './RecordSettingsSection';

/** 订单设置 /orders/settings (GET/PUT /api/orders/config): the standard lead time (R-K1), the
 * departments each review route asks (R-K2, R-K3) and finance, who sees prices, and the review
 * checklist of seed 003. The administrator changes them (order.configure); the menu hides the page
 * from everyone else. Departments are picked by name and stored by code. */
export default function OrderSettingsPage() {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const editable = can('order.configure');
  const [settings, setSettings] = useState<OrderSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ordersApi
      .config()
      .then(setSettings)
      .catch((e) => setError(errorText(e)));
  }, []);
  /** Saves part of the settings (the API keeps the rest) and shows what was stored. */
  const save = useCallback(async (patch: OrderSettingsInput) => {
    const next = await ordersApi.putConfig(patch);
    setSettings(next);
    return next;
  }, []);
  /** The amendment and delivery sections save each change as it is made. */
  const saveSection = (patch: OrderSettingsInput) =>
    save(patch).then(
      () => message.success(t('common.saved')),
      (e) => message.error(errorText(e)),
    );
  return (
    <PageContainer title={t('orders.settings.title')} subTitle={t('orders.settings.intro')}>
      {error ? (
        <Alert type="error" showIcon title={error} />
      ) : !settings ? (
        <PageSpin />
      ) : (
        <>
          <ReviewCard settings={settings} editable={editable} onSave={save} />
          <PricesCard settings={settings} editable={editable} onSave={save} />
          <Card title={t('orders.settings.checklist')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">{t('orders.settings.checklistHelp')}</Typography.Paragraph>
            <CodeListEditor
              title={t('orders.settings.checklistItem')}
              items={settings.checklist}
              editable={editable}
              withStatus={false}
              labelMaxLength={200}
              addText={t('orders.settings.addItem')}
              editText={t('orders.settings.editItem')}
              onSave={async (code, { label }) => {
                const known = settings.checklist.some((c) => c.code === code);
                const checklist = known
                  ? settings.checklist.map((c) => (c.code === code ? { code, label } : c))
                  : [...settings.checklist, { code, label }];
                return (await save({ checklist })).checklist;
              }}
              onSaved={(checklist) => setSettings({ ...settings, checklist })}
            />
          </Card>
          <Card style={{ marginBottom: 16 }}>
            <AmendmentSettingsSection
              value={settings.amendmentDepartments}
              disabled={!editable}
              onChange={(amendmentDepartments) => saveSection({ amendmentDepartments })}
            />
          </Card>
          <Card style={{ marginBottom: 16 }}>
            <DeliverySettingsSection
              value={{
                onTimeBasis: settings.onTimeBasis,
                holidayRule: settings.holidayRule,
                delaySummaryRoles: settings.delaySummaryRoles,
                delaySummaryUsers: settings.delaySummaryUsers,
              }}
              onChange={saveSection}
            />
          </Card>
          <RecordSettingsSection value={settings} editable={editable} onChange={save} />
        </>
      )}
    </PageContainer>
  );
}

type CardProps = {
  settings: OrderSettings;
  editable: boolean;
  onSave: (patch: OrderSettingsInput) => Promise<OrderSettings>;
};
type ReviewValues = Pick<
  OrderSettings,
  'leadTimeDays' | 'capacityDepartments' | 'reviewDepartments' | 'financeDepartment'
>;

/** The lead time and the departments of each route. */
function ReviewCard({ settings, editable, onSave }: CardProps) {
  const t = useT();
  const [form] = Form.useForm<ReviewValues>();
  const departments = useDepartments();
  const picker = { departments: departments.items, loading: departments.loading };
  return (
    <SettingsFormCard<ReviewValues>
      title={t('orders.settings.review')}
      name="orderReviewSettings"
      form={form}
      editable={editable}
      initialValues={settings}
      saveTestId="order-settings-review-save"
      onSave={async (v) => {
        form.setFieldsValue(await onSave(v));
      }}
    >
      <Typography.Paragraph type="secondary">{t('orders.settings.departmentsHelp')}</Typography.Paragraph>
      <Row gutter={24}>
        <Col xs={24} md={8} xl={6}>
          <Form.Item
            name="leadTimeDays"
            label={t('orders.settings.leadTimeDays')}
            extra={t('orders.settings.leadTimeDaysHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={0}
              max={365}
              precision={0}
              suffix={t('orders.settings.workingDays')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={16} xl={18}>
          <Form.Item
            name="financeDepartment"
            label={t('orders.settings.financeDepartment')}
            extra={t('orders.settings.financeDepartmentHelp')}
            rules={[{ required: true }]}
          >
            <DepartmentCodeSelect {...picker} />
          </Form.Item>
        </Col>
        <Col xs={24} xl={12}>
          <Form.Item
            name="capacityDepartments"
            label={t('orders.settings.capacityDepartments')}
            extra={t('orders.settings.capacityDepartmentsHelp')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <DepartmentCodeSelect {...picker} multiple />
          </Form.Item>
        </Col>
        <Col xs={24} xl={12}>
          <Form.Item
            name="reviewDepartments"
            label={t('orders.settings.reviewDepartments')}
            extra={t('orders.settings.reviewDepartmentsHelp')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <DepartmentCodeSelect {...picker} multiple />
          </Form.Item>
        </Col>
      </Row>
    </SettingsFormCard>
  );
}

type PriceValues = Pick<OrderSettings, 'priceRoles' | 'priceDepartments'>;

/** Who sees prices besides the order's registrant and the archive's keepers. */
function PricesCard({ settings, editable, onSave }: CardProps) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<PriceValues>();
  const departments = useDepartments();
  return (
    <SettingsFormCard<PriceValues>
      title={t('orders.settings.prices')}
      name="orderPriceSettings"
      form={form}
      editable={editable}
      initialValues={settings}
      saveTestId="order-settings-prices-save"
      onSave={async (v) => {
        form.setFieldsValue(await onSave(v));
      }}
    >
      <Typography.Paragraph type="secondary">{t('orders.settings.pricesHelp')}</Typography.Paragraph>
      <Row gutter={24}>
        <Col xs={24} xl={12}>
          <Form.Item name="priceRoles" label={t('orders.settings.priceRoles')}>
            <Select
              mode="multiple"
              options={ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} xl={12}>
          <Form.Item name="priceDepartments" label={t('orders.settings.priceDepartments')}>
            <DepartmentCodeSelect departments={departments.items} loading={departments.loading} multiple />
          </Form.Item>
        </Col>
      </Row>
    </SettingsFormCard>
  );
}
