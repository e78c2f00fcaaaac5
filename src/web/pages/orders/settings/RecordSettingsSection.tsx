import { Col, Form, Row, Select, Typography } from 'antd';
import type { OrderSettings } from '../../../../common/schemas/orders';
import type { OrderSettingsInput } from '../../../api/orders';
import { useDepartments } from '../../../components/departments';
import { SettingsFormCard } from '../../../components/SettingsFormCard';
import { useT } from '../../../i18n';
import { useCategories } from '../../documents/shared';
import { DepartmentCodeSelect } from './DepartmentCodeSelect';

type Values = Pick<OrderSettings, 'rdDepartment' | 'recordArchiveCategory'>;

/** The review record (评审记录表): R&D's department (its review needs the 可行性分析报告 for a new
 * product) and the category the signed record is filed under (retention L1 whatever its own). */
export function RecordSettingsSection({
  value,
  editable,
  onChange,
}: {
  value: OrderSettings;
  editable: boolean;
  onChange: (patch: OrderSettingsInput) => Promise<OrderSettings>;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const departments = useDepartments();
  const categories = useCategories();
  return (
    <SettingsFormCard<Values>
      title={t('orders.settings.record')}
      name="orderRecordSettings"
      form={form}
      editable={editable}
      initialValues={value}
      saveTestId="order-settings-record-save"
      onSave={async (v) => {
        form.setFieldsValue(await onChange(v));
      }}
    >
      <Typography.Paragraph type="secondary">{t('orders.settings.recordHelp')}</Typography.Paragraph>
      <Row gutter={24}>
        <Col xs={24} md={12}>
          <Form.Item
            name="rdDepartment"
            label={t('orders.settings.rdDepartment')}
            extra={t('orders.settings.rdDepartmentHelp')}
            rules={[{ required: true }]}
          >
            <DepartmentCodeSelect departments={departments.items} loading={departments.loading} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="recordArchiveCategory"
            label={t('orders.settings.recordArchiveCategory')}
            extra={t('orders.settings.recordArchiveCategoryHelp')}
            rules={[{ required: true }]}
          >
            <Select options={categories.options()} />
          </Form.Item>
        </Col>
      </Row>
    </SettingsFormCard>
  );
}
