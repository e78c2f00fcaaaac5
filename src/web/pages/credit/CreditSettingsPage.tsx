import { Alert, Form, InputNumber, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { CreditSettings } from '../../../common/schemas/credit';
import { errorText } from '../../api/client';
import { creditApi } from '../../api/credit';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { SettingsFormCard } from '../../components/SettingsFormCard';
import { useT } from '../../i18n';

// 信用管理设置 /credit/settings (GET/PUT /api/credit/config, R-A4): the warning share, the amount
// above which a limit needs the general manager, whether open accepted orders count in the
// exposure, and the class criteria of seed 004 第九条. The administrator changes them.

type Values = Omit<CreditSettings, 'gmAmount' | 'criteria'> & {
  gmAmount: number;
  criteria: Omit<CreditSettings['criteria'], 'bingBalance'> & { bingBalance: number };
};

export default function CreditSettingsPage() {
  const t = useT();
  const { can } = useAuth();
  const editable = can('credit.configure');
  const [settings, setSettings] = useState<CreditSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const [criteria] = Form.useForm<Values>();
  useEffect(() => {
    creditApi
      .config()
      .then(setSettings)
      .catch((e) => setError(errorText(e)));
  }, []);
  const num = (name: string | string[], title: string, max = 1_000_000) => (
    <Form.Item name={name} label={title} rules={[{ required: true, message: t('common.required') }]}>
      <InputNumber min={0} max={max} style={{ width: 220 }} disabled={!editable} />
    </Form.Item>
  );
  const flag = (name: string[], title: string) => (
    <Form.Item name={name} label={title} valuePropName="checked">
      <Switch disabled={!editable} />
    </Form.Item>
  );
  return (
    <PageContainer title={t('credit.settings.title')} subTitle={t('credit.settings.intro')}>
      {error ? (
        <Alert type="error" showIcon title={error} />
      ) : !settings ? (
        <PageSpin />
      ) : (
        <>
          <SettingsFormCard<Values>
            title={t('credit.settings.limits')}
            name="credit-limits"
            form={form}
            editable={editable}
            initialValues={{
              warnPercent: settings.warnPercent,
              includeOpenOrders: settings.includeOpenOrders,
              gmAmount: Number(settings.gmAmount),
            }}
            onSave={async (v) => {
              setSettings(
                await creditApi.saveConfig({
                  warnPercent: v.warnPercent,
                  gmAmount: String(v.gmAmount),
                  includeOpenOrders: v.includeOpenOrders,
                }),
              );
            }}
          >
            {num('warnPercent', t('credit.settings.warnPercent'), 100)}
            {num('gmAmount', t('credit.settings.gmAmount'), 9_999_999_999_999)}
            <Form.Item
              name="includeOpenOrders"
              label={t('credit.settings.includeOpenOrders')}
              valuePropName="checked"
            >
              <Switch disabled={!editable} />
            </Form.Item>
          </SettingsFormCard>
          <SettingsFormCard<Values>
            title={t('credit.settings.criteria')}
            name="credit-criteria"
            form={criteria}
            editable={editable}
            initialValues={
              {
                criteria: { ...settings.criteria, bingBalance: Number(settings.criteria.bingBalance) },
              } as Partial<Values>
            }
            onSave={async (v) => {
              setSettings(
                await creditApi.saveConfig({
                  criteria: { ...v.criteria, bingBalance: String(v.criteria.bingBalance) },
                }),
              );
            }}
          >
            <Typography.Paragraph type="secondary">{t('credit.settings.criteriaHelp')}</Typography.Paragraph>
            {num(['criteria', 'jiaMinStaff'], t('credit.settings.jiaMinStaff'))}
            {num(['criteria', 'jiaMinYears'], t('credit.settings.jiaMinYears'), 100)}
            {num(['criteria', 'jiaMaxOverdueDays'], t('credit.settings.jiaMaxOverdueDays'), 3650)}
            {num(['criteria', 'bingMaxStaff'], t('credit.settings.bingMaxStaff'))}
            {num(['criteria', 'bingNewFirmYears'], t('credit.settings.bingNewFirmYears'), 100)}
            {num(['criteria', 'bingBalance'], t('credit.settings.bingBalance'), 9_999_999_999_999)}
            {num(['criteria', 'bingOverdueDays'], t('credit.settings.bingOverdueDays'), 3650)}
            {flag(['criteria', 'bingWholesaler'], t('credit.settings.bingWholesaler'))}
            {flag(['criteria', 'bingPastDefault'], t('credit.settings.bingPastDefault'))}
          </SettingsFormCard>
        </>
      )}
    </PageContainer>
  );
}
