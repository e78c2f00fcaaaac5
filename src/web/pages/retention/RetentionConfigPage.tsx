import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select } from 'antd';
import { ROLE_LABELS } from '../../../common/enums';
import type { RetentionSettings } from '../../../common/schemas/retention';
import { retentionApi } from '../../api/retention';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useSettingsForm } from '../../components/useSettingsForm';
import { useLabel, useT } from '../../i18n';

const SIGNER_ROLES = ['archivist', 'department_manager', 'general_manager', 'quality', 'admin'] as const;

/** 销毁签批设置 /admin/retention-config: who signs a destruction register, in order (R-X3), and
 * how long obsolete originals are kept (R-X1). */
export default function RetentionConfigPage() {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<RetentionSettings>();
  const { loaded, saving, error, onFinish } = useSettingsForm(
    form,
    () => retentionApi.settings(),
    (v) => retentionApi.putSettings(v),
    t('retention.config.saved'),
  );
  if (!loaded) return error ? <Alert type="error" title={error} /> : <PageSpin />;
  return (
    <PageContainer title={t('retention.config.title')} subTitle={t('retention.config.intro')}>
      <Card>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form<RetentionSettings>
          form={form}
          layout="vertical"
          initialValues={loaded}
          style={{ maxWidth: 640 }}
          onFinish={onFinish}
        >
          <Form.Item label={t('retention.config.steps')} required>
            <Form.List name="signerSteps">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8}>
                  {fields.map((field, i) => (
                    <Flex key={field.key} gap={8} align="baseline">
                      <span style={{ width: 20 }}>{i + 1}.</span>
                      <Form.Item
                        name={[field.name, 'label']}
                        rules={[{ required: true }]}
                        style={{ flex: 1, margin: 0 }}
                      >
                        <Input placeholder={t('retention.config.stepLabel')} maxLength={40} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'role']}
                        rules={[{ required: true }]}
                        style={{ width: 180, margin: 0 }}
                      >
                        <Select
                          placeholder={t('retention.config.stepRole')}
                          options={SIGNER_ROLES.map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
                        />
                      </Form.Item>
                      <Button
                        icon={<DeleteOutlined />}
                        disabled={fields.length <= 1}
                        onClick={() => remove(field.name)}
                        aria-label={t('common.delete')}
                      />
                    </Flex>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ label: '', role: 'general_manager' })}>
                    {t('retention.config.addStep')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item
            name="obsoleteKeepYears"
            label={t('retention.config.keepYears')}
            extra={t('retention.config.keepYearsHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber min={1} max={30} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
