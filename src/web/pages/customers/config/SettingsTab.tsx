import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Switch,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import {
  DEFAULT_HANDOVER_TEMPLATE,
  FILING_FIELDS,
  HANDOVER_PLACEHOLDERS,
  unknownHandoverPlaceholders,
} from '../../../../common/customers';
import type { CustomerConfig, CustomerSettings, Lookup } from '../../../../common/schemas/customers';
import { todayInShanghai } from '../../../../common/time';
import { formErrorText } from '../../../api/client';
import { customerConfigApi } from '../../../api/customers';
import { useLang, useT } from '../../../i18n';
import { lookupName, useFieldLabel } from '../shared';

// 编号与期限: the archive code pattern with a live preview (R-C2), the deadlines (R-C5, R-C11)
// and the fields required for filing.

const TOKEN = /\{(\w+)(?::(\d+))?\}/g;

/** The code a pattern gives, as the server's numbering does (GY20260005). */
export function previewCode(pattern: string, prefix: string, seq: number, date = todayInShanghai()): string {
  return pattern.replace(TOKEN, (whole, name: string, width?: string) => {
    switch (name) {
      case 'seq':
        return String(seq).padStart(Number(width ?? 1), '0');
      case 'type':
        return prefix;
      case 'yyyy':
        return date.slice(0, 4);
      case 'yy':
        return date.slice(2, 4);
      case 'mm':
        return date.slice(5, 7);
      default:
        return whole;
    }
  });
}

function patternProblem(p: string): 'pattern' | 'unknown' | null {
  const seqs = (p.match(/\{seq(:\d+)?\}/g) ?? []).length;
  if (seqs !== 1 || !p.includes('{type}')) return 'pattern';
  const unknown = [...p.matchAll(TOKEN)].some(
    (m) => !['seq', 'type', 'yyyy', 'yy', 'mm'].includes(m[1] ?? ''),
  );
  return unknown ? 'unknown' : null;
}

interface SettingsValues {
  archiveCodePattern: string;
  filingDays: number;
  changeDays: number;
  staleMonths: number;
  filingRequiredFields: string[];
  filingApproval: boolean;
  handoverNoticeTemplate: string;
}

export function SettingsTab({ config, onChanged }: { config: CustomerConfig; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const fieldLabel = useFieldLabel(config);
  const [form] = Form.useForm<SettingsValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const pattern = Form.useWatch('archiveCodePattern', form) ?? config.settings.archiveCodePattern;
  const kinds = config.lookups.filter((l) => l.list === 'kind' && l.active);
  const problem = patternProblem(pattern ?? '');

  const initialValues = useMemo<SettingsValues>(() => ({ ...config.settings }), [config.settings]);

  const onFinish = async (v: SettingsValues) => {
    setSaving(true);
    setFormError(null);
    const body: Partial<CustomerSettings> = {};
    for (const k of Object.keys(v) as (keyof SettingsValues)[]) {
      if (JSON.stringify(v[k]) !== JSON.stringify(config.settings[k]))
        (body as Record<string, unknown>)[k] = v[k];
    }
    if (Object.keys(body).length === 0) {
      setSaving(false);
      message.info(t('customers.nothingChanged'));
      return;
    }
    try {
      await customerConfigApi.putSettings(body);
      message.success(t('config.settingsSaved'));
      onChanged();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<SettingsValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={onFinish}
      autoComplete="off"
      style={{ maxWidth: 880 }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Typography.Title level={5}>{t('config.codeSection')}</Typography.Title>
      <Row gutter={24}>
        <Col xs={24} md={12}>
          <Form.Item
            name="archiveCodePattern"
            label={t('config.pattern')}
            extra={t('config.patternHelp')}
            rules={[
              { required: true, message: t('common.required') },
              {
                validator: (_, v?: string) => {
                  const p = patternProblem(v ?? '');
                  if (p === 'pattern') return Promise.reject(new Error(t('config.patternInvalid')));
                  if (p === 'unknown') return Promise.reject(new Error(t('config.patternUnknown')));
                  return Promise.resolve();
                },
              },
            ]}
          >
            <Input maxLength={60} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label={t('config.preview')}>
            <Flex vertical gap={4} data-testid="pattern-preview">
              {problem ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                (kinds.length
                  ? kinds
                  : [{ code: '_', label: 'KH', labelEn: 'KH', prefix: 'KH' } as Lookup]
                ).map((k) => (
                  <Flex key={k.code} gap={8} align="center">
                    <Typography.Text
                      strong
                      style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 16 }}
                    >
                      {previewCode(pattern, k.prefix ?? 'KH', 5)}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {t('config.previewFor', { kind: lookupName(k, lang) })}
                    </Typography.Text>
                  </Flex>
                ))
              )}
            </Flex>
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary">{t('config.patternNote')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('config.deadlineSection')}</Typography.Title>
      <Row gutter={24}>
        <Col xs={24} md={8}>
          <Form.Item
            name="filingDays"
            label={t('config.filingDays')}
            extra={t('config.filingDaysHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={60}
              precision={0}
              style={{ width: '100%' }}
              suffix={t('config.workingDays')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="changeDays"
            label={t('config.changeDays')}
            extra={t('config.changeDaysHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={60}
              precision={0}
              style={{ width: '100%' }}
              suffix={t('config.workingDays')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="staleMonths"
            label={t('config.staleMonths')}
            extra={t('config.staleMonthsHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={120}
              precision={0}
              style={{ width: '100%' }}
              suffix={t('config.monthsUnit')}
            />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Title level={5}>{t('config.filingSection')}</Typography.Title>
      <Form.Item name="filingRequiredFields" extra={t('config.filingFieldsHelp')}>
        <Checkbox.Group style={{ width: '100%' }}>
          <Row gutter={[8, 8]}>
            {FILING_FIELDS.map((f) => (
              <Col key={f} xs={12} md={8} xl={6}>
                <Checkbox value={f}>{fieldLabel(f)}</Checkbox>
              </Col>
            ))}
          </Row>
        </Checkbox.Group>
      </Form.Item>
      <Form.Item
        name="filingApproval"
        label={t('config.filingApproval')}
        extra={t('config.filingApprovalHelp')}
        valuePropName="checked"
      >
        <Switch data-testid="filing-approval-switch" />
      </Form.Item>
      <Typography.Title level={5}>{t('config.handoverSection')}</Typography.Title>
      <Form.Item
        name="handoverNoticeTemplate"
        label={
          <Flex gap={8} align="center">
            {t('config.handoverTemplate')}
            <Button
              size="small"
              type="link"
              onClick={() => form.setFieldValue('handoverNoticeTemplate', DEFAULT_HANDOVER_TEMPLATE)}
            >
              {t('config.handoverTemplateDefault')}
            </Button>
          </Flex>
        }
        extra={t('config.handoverTemplateHelp', {
          placeholders: HANDOVER_PLACEHOLDERS.map((p) => `{${p}}`).join(' '),
        })}
        rules={[
          { required: true, whitespace: true, message: t('common.required') },
          {
            validator: (_, v?: string) => {
              const unknown = unknownHandoverPlaceholders(v ?? '');
              return unknown.length
                ? Promise.reject(
                    new Error(
                      t('config.handoverTemplateUnknown', { value: unknown.map((p) => `{${p}}`).join('、') }),
                    ),
                  )
                : Promise.resolve();
            },
          },
        ]}
      >
        <Input.TextArea
          data-testid="handover-template"
          maxLength={4000}
          autoSize={{ minRows: 6, maxRows: 16 }}
        />
      </Form.Item>
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('common.save')}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            setFormError(null);
          }}
        >
          {t('common.reset')}
        </Button>
      </Flex>
    </Form>
  );
}
