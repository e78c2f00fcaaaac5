import { Alert, Form, Typography } from 'antd';
import { departmentWithCode } from '../../../../common/departments';
import { AMENDMENT_CATEGORIES, AMENDMENT_CATEGORY_LABELS } from '../../../../common/order-amendments';
import type { OrderSettings } from '../../../../common/schemas/orders';
import { useDepartments } from '../../../components/departments';
import { useLabel, useT } from '../../../i18n';
import { DepartmentCodeSelect } from './DepartmentCodeSelect';

// Settings section: which departments (by code) review an amendment, per category of the fields
// it changes (R-K4, `orders.amendmentDepartments`). Controlled: the settings page owns the value
// and saves it with the rest. Codes compare without case, as the server does.

export function AmendmentSettingsSection({
  value,
  onChange,
  disabled,
}: {
  value: OrderSettings['amendmentDepartments'];
  onChange: (next: OrderSettings['amendmentDepartments']) => void;
  disabled?: boolean;
}) {
  const t = useT();
  const label = useLabel();
  const departments = useDepartments();
  const known = (code: string) =>
    !!departmentWithCode(
      departments.items.filter((d) => d.active),
      code,
    );
  const missing = AMENDMENT_CATEGORIES.flatMap((c) => value[c].filter((code) => !known(code)));
  return (
    <div data-testid="order-settings-amendments">
      <Typography.Title level={5}>{t('orders.amend.settings.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('orders.amend.settings.help')}</Typography.Paragraph>
      {!departments.loading && missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('orders.amend.settings.missing', { codes: [...new Set(missing)].join('、') })}
        />
      )}
      <Form layout="horizontal" labelCol={{ flex: '120px' }} component="div">
        {AMENDMENT_CATEGORIES.map((c) => (
          <Form.Item key={c} label={label(AMENDMENT_CATEGORY_LABELS[c])}>
            {/* Names shown, codes stored: the codes (pmc) match the departments' (PMC) without case. */}
            <DepartmentCodeSelect
              multiple
              departments={departments.items}
              disabled={disabled}
              loading={departments.loading}
              value={value[c]}
              data-testid={`order-settings-amend-${c}`}
              onChange={(codes) => onChange({ ...value, [c]: [...new Set(codes)] })}
            />
          </Form.Item>
        ))}
      </Form>
    </div>
  );
}
