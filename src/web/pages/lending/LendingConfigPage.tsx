import { Alert, Button, Card, Col, Form, InputNumber, Row, Select, Switch } from 'antd';
import { SECRECY_LABELS, SECRECY_LEVELS } from '../../../common/enums';
import { APPROVER_LABELS, APPROVER_ROLES } from '../../../common/lending';
import type { LendingSettings } from '../../../common/schemas/lending';
import { lendingApi } from '../../api/lending';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useSettingsForm } from '../../components/useSettingsForm';
import { useLabel, useT } from '../../i18n';

const RULES = [
  'ownDepartment',
  'otherDepartment',
  'controlled',
  'secret',
  'external',
  'beyondMaximum',
] as const;

/** 借阅规则 /admin/lending-config: periods and who approves in which case (R-P2/R-P3). */
export default function LendingConfigPage() {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<LendingSettings>();
  const { loaded, saving, error, onFinish } = useSettingsForm(
    form,
    () => lendingApi.settings(),
    (v) => lendingApi.putSettings(v),
    t('lending.config.saved'),
  );
  if (!loaded) return error ? <Alert type="error" title={error} /> : <PageSpin />;
  const approverOptions = APPROVER_ROLES.map((r) => ({ value: r, label: label(APPROVER_LABELS[r]) }));
  return (
    <PageContainer title={t('lending.config.title')} subTitle={t('lending.config.intro')}>
      <Card>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form<LendingSettings>
          form={form}
          layout="vertical"
          initialValues={loaded}
          style={{ maxWidth: 760 }}
          onFinish={onFinish}
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name="defaultDays"
                label={t('lending.config.defaultDays')}
                rules={[{ required: true }]}
              >
                <InputNumber min={1} max={60} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="maxDays" label={t('lending.config.maxDays')} rules={[{ required: true }]}>
                <InputNumber min={1} max={365} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="dueSoonDays"
                label={t('lending.config.dueSoonDays')}
                rules={[{ required: true }]}
              >
                <InputNumber min={0} max={30} />
              </Form.Item>
            </Col>
          </Row>
          <Card size="small" title={t('lending.config.rules')} style={{ marginBottom: 16 }}>
            {RULES.map((r) => (
              <Form.Item key={r} name={['rules', r]} label={t(`lending.config.rule.${r}`)}>
                <Select mode="multiple" options={approverOptions} />
              </Form.Item>
            ))}
            <Form.Item name={['rules', 'secretFrom']} label={t('lending.config.secretFrom')}>
              <Select
                options={SECRECY_LEVELS.map((s, i) => ({ value: i, label: label(SECRECY_LABELS[s]) }))}
              />
            </Form.Item>
            <Form.Item
              name="ownDepartmentRequiresApproval"
              label={t('lending.config.ownDepartmentRequiresApproval')}
              extra={t('lending.config.ownDepartmentRequiresApprovalHelp')}
              valuePropName="checked"
            >
              <Switch data-testid="own-department-switch" />
            </Form.Item>
          </Card>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
