import { Alert, Form, InputNumber, Radio } from 'antd';
import {
  ABC_STRADDLE,
  ABC_STRADDLE_LABELS,
  SALES_SOURCE_LABELS,
  SALES_SOURCES,
} from '../../../common/analysis';
import type { AnalysisSettings } from '../../../common/schemas/analysis';
import { analysisApi } from '../../api/analysis';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { SettingsFormCard } from '../../components/SettingsFormCard';
import { useLabel, useT } from '../../i18n';
import { useResult } from './shared';

const NONE = {};

// 客户分析设置 /analysis/settings (administrator): the ABC boundaries and how a customer
// straddling one is graded (R-A1), and where sales come from (ledgers or order deliveries).

export default function AnalysisSettingsPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const [form] = Form.useForm<AnalysisSettings>();
  const { result: loaded, error } = useResult<AnalysisSettings>(() => analysisApi.settings(), NONE);
  return (
    <PageContainer title={t('analysis.settings')} subTitle={t('analysis.settingsIntro')}>
      {error && !loaded && <Alert type="error" showIcon title={error} />}
      {!loaded ? (
        !error && <PageSpin />
      ) : (
        <SettingsFormCard<AnalysisSettings>
          title={t('analysis.settings.abc')}
          name="analysisSettings"
          form={form}
          editable={can('analysis.configure')}
          initialValues={loaded}
          onSave={async (v) => {
            await analysisApi.saveSettings(v);
          }}
          saveTestId="analysis-settings-save"
        >
          <Form.Item name="abcA" label={t('analysis.settings.abcA')} rules={[{ required: true }]}>
            <InputNumber min={1} max={99} precision={2} addonAfter="%" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="abcB" label={t('analysis.settings.abcB')} rules={[{ required: true }]}>
            <InputNumber min={1} max={99.99} precision={2} addonAfter="%" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="abcStraddle" label={t('analysis.settings.straddle')}>
            <Radio.Group
              options={ABC_STRADDLE.map((s) => ({ value: s, label: label(ABC_STRADDLE_LABELS[s]) }))}
              style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            />
          </Form.Item>
          <Form.Item
            name="salesSource"
            label={t('analysis.settings.source')}
            extra={t('analysis.settings.sourceHint')}
          >
            <Radio.Group
              options={SALES_SOURCES.map((s) => ({ value: s, label: label(SALES_SOURCE_LABELS[s]) }))}
            />
          </Form.Item>
        </SettingsFormCard>
      )}
    </PageContainer>
  );
}
