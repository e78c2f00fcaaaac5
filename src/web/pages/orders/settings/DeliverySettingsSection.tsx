import { Form, Radio, Select, Typography } from 'antd';
import { ROLE_LABELS, ROLES, type Role } from '../../../../common/enums';
import {
  HOLIDAY_RULE_LABELS,
  HOLIDAY_RULES,
  type HolidayRule,
  ON_TIME_BASES,
  ON_TIME_BASIS_LABELS,
  type OnTimeBasis,
} from '../../../../common/order-deliveries';
import { UserSelect } from '../../../components/UserSelect';
import { useLabel, useT } from '../../../i18n';

// The settings of deliveries and delayed orders (R-K5) as a section of the order settings page:
// the basis of 准时交付率, the holiday rule for promised dates on non-working days, and who gets
// the weekly summary of delayed orders. The page owns the value and saves it.

export interface DeliverySettingsValue {
  onTimeBasis: OnTimeBasis;
  holidayRule: HolidayRule;
  delaySummaryRoles: Role[];
  delaySummaryUsers: string[];
}

export function DeliverySettingsSection({
  value,
  onChange,
}: {
  value: DeliverySettingsValue;
  onChange: (next: DeliverySettingsValue) => void;
}) {
  const t = useT();
  const label = useLabel();
  const set = (patch: Partial<DeliverySettingsValue>) => onChange({ ...value, ...patch });
  return (
    <div data-testid="delivery-settings">
      <Typography.Title level={5}>{t('deliverySettings.title')}</Typography.Title>
      <Form layout="vertical" component="div">
        <Form.Item label={t('deliverySettings.onTimeBasis')}>
          <Radio.Group
            value={value.onTimeBasis}
            onChange={(e) => set({ onTimeBasis: e.target.value })}
            options={ON_TIME_BASES.map((b) => ({ value: b, label: label(ON_TIME_BASIS_LABELS[b]) }))}
          />
        </Form.Item>
        <Form.Item label={t('deliverySettings.holidayRule')}>
          <Radio.Group
            value={value.holidayRule}
            onChange={(e) => set({ holidayRule: e.target.value })}
            options={HOLIDAY_RULES.map((r) => ({ value: r, label: label(HOLIDAY_RULE_LABELS[r]) }))}
          />
        </Form.Item>
        <Form.Item label={t('deliverySettings.summaryRoles')} extra={t('deliverySettings.summaryHint')}>
          <Select<Role[]>
            mode="multiple"
            value={value.delaySummaryRoles}
            onChange={(roles) => set({ delaySummaryRoles: roles })}
            options={ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
          />
        </Form.Item>
        <Form.Item label={t('deliverySettings.summaryUsers')}>
          <UserSelect
            multiple
            value={value.delaySummaryUsers}
            onChange={(v) => set({ delaySummaryUsers: Array.isArray(v) ? v : v ? [v] : [] })}
          />
        </Form.Item>
      </Form>
    </div>
  );
}
