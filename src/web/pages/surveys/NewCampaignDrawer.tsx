import {
  Alert,
  App,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Spin,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { CUSTOMER_GRADES, type CustomerGrade } from '../../../common/customers';
import type { SurveyCampaign, SurveyTemplate } from '../../../common/schemas/surveys';
import { DEFAULT_LOW_INDEX, SURVEY_PERIOD_LABELS } from '../../../common/surveys';
import { todayInShanghai } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { type CampaignFilters, type CampaignPreview, surveysApi } from '../../api/surveys';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';
import { useCustomerConfig, useLookups } from '../customers/shared';
import { defaultCampaignName, defaultPeriodLabel } from './forms';

// 新建调查: the template version, the period, the closing date and reminders, the threshold that
// opens a corrective action, the text above the form, and which customers are asked — with a
// live count of them. Saved as a draft; 发送 on the campaign's page mails the links.

interface Values {
  name: string;
  templateId: string;
  periodLabel: string;
  closesOn: Dayjs;
  remindAfterDays: number;
  lowIndex: number;
  intro?: string;
  categories: string[];
  grades: CustomerGrade[];
  kinds: string[];
  departmentIds: string[];
  boughtLast12Months: boolean;
}

const FILTER_FIELDS = ['categories', 'grades', 'kinds', 'departmentIds', 'boughtLast12Months'] as const;

function filtersOf(v: Partial<Values>): CampaignFilters {
  return {
    categories: v.categories ?? [],
    grades: v.grades ?? [],
    kinds: v.kinds ?? [],
    departmentIds: v.departmentIds ?? [],
    boughtLast12Months: !!v.boughtLast12Months,
  };
}

export function NewCampaignDrawer({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (campaign: SurveyCampaign) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [templates, setTemplates] = useState<SurveyTemplate[] | null>(null);
  const departments = useDepartments();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const generation = useRef(0);

  const categories = Form.useWatch('categories', form);
  const grades = Form.useWatch('grades', form);
  const kinds = Form.useWatch('kinds', form);
  const departmentIds = Form.useWatch('departmentIds', form);
  const bought = Form.useWatch('boughtLast12Months', form);
  const filterKey = JSON.stringify([categories, grades, kinds, departmentIds, bought]);

  useEffect(() => {
    if (!open || templates) return;
    surveysApi
      .templates()
      .then((list) => setTemplates(list.filter((x) => x.current)))
      .catch((e) => setError(errorText(e)));
  }, [open, templates]);

  // Each time the drawer opens (its form is new then): the yearly satisfaction form by default.
  useEffect(() => {
    if (!open || !templates) return;
    const first = templates.find((x) => x.key === 'satisfaction') ?? templates[0];
    if (!first || form.getFieldValue('templateId')) return;
    const periodLabel = form.isFieldTouched('periodLabel')
      ? (form.getFieldValue('periodLabel') as string)
      : defaultPeriodLabel(first.period, todayInShanghai());
    form.setFieldsValue({
      templateId: first.id,
      periodLabel,
      name: form.isFieldTouched('name')
        ? form.getFieldValue('name')
        : defaultCampaignName(first, periodLabel),
    });
  }, [open, templates, form]);

  // The count follows the filters, a moment after the last change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters
  useEffect(() => {
    if (!open) return;
    const gen = ++generation.current;
    setPreviewing(true);
    const timer = window.setTimeout(() => {
      surveysApi
        .preview(filtersOf(form.getFieldsValue(FILTER_FIELDS as unknown as (keyof Values)[])))
        .then((p) => {
          if (gen !== generation.current) return;
          setPreview(p);
          setPreviewError(null);
        })
        .catch((e) => gen === generation.current && setPreviewError(errorText(e)))
        .finally(() => gen === generation.current && setPreviewing(false));
    }, 400);
    return () => window.clearTimeout(timer);
  }, [open, filterKey]);

  const pickTemplate = (id: string) => {
    const tpl = templates?.find((x) => x.id === id);
    if (!tpl) return;
    const periodLabel = form.isFieldTouched('periodLabel')
      ? (form.getFieldValue('periodLabel') as string)
      : defaultPeriodLabel(tpl.period, todayInShanghai());
    form.setFieldsValue({ periodLabel });
    if (!form.isFieldTouched('name')) form.setFieldsValue({ name: defaultCampaignName(tpl, periodLabel) });
  };

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      const created = await surveysApi.create({
        name: v.name.trim(),
        templateId: v.templateId,
        periodLabel: v.periodLabel.trim(),
        closesOn: v.closesOn.format('YYYY-MM-DD'),
        remindAfterDays: v.remindAfterDays,
        lowIndex: v.lowIndex,
        intro: v.intro?.trim() ? v.intro.trim() : null,
        filters: filtersOf(v),
      });
      message.success(t('surveys.new.created'));
      onDone(created);
    } catch (e) {
      // `filters.categories` belongs to the categories field.
      setError(formErrorText(form, remapFilterErrors(e)));
      const wrong = form.getFieldsError().find((f) => f.errors.length > 0);
      if (wrong) form.scrollToField(wrong.name, { block: 'center' });
    } finally {
      setSaving(false);
    }
  };

  const today = dayjs(todayInShanghai());
  const first = templates?.find((x) => x.key === 'satisfaction') ?? templates?.[0];
  const firstPeriod = first
    ? defaultPeriodLabel(first.period, today.format('YYYY-MM-DD'))
    : String(today.year());
  return (
    <FormDrawer
      open={open}
      title={t('surveys.new')}
      size={640}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      saveText={t('surveys.new.save')}
      afterClose={() => {
        form.resetFields();
        setError(null);
        setPreview(null);
      }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          templateId: first?.id,
          name: defaultCampaignName(first, firstPeriod),
          periodLabel: firstPeriod,
          closesOn: today.add(30, 'day'),
          remindAfterDays: 7,
          lowIndex: DEFAULT_LOW_INDEX,
          categories: [],
          grades: [],
          kinds: [],
          departmentIds: [],
          boughtLast12Months: false,
        }}
        data-testid="new-campaign-form"
      >
        <Form.Item
          name="name"
          label={t('surveys.field.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              name="templateId"
              label={t('surveys.field.template')}
              rules={[{ required: true, message: t('common.required') }]}
              extra={t('surveys.new.templateHelp')}
            >
              <Select
                loading={!templates}
                onChange={pickTemplate}
                options={(templates ?? []).map((x) => ({
                  value: x.id,
                  label: `${x.name} v${x.version}（${label(SURVEY_PERIOD_LABELS[x.period])}）`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item
              name="periodLabel"
              label={t('surveys.field.period')}
              extra={t('surveys.new.periodHelp')}
              rules={[
                { required: true, message: t('common.required') },
                { pattern: /^\d{4}(-Q[1-4]|-\d{2})?$/, message: t('surveys.new.periodInvalid') },
              ]}
            >
              <Input maxLength={7} placeholder="2026 / 2026-Q4 / 2026-12" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item name="closesOn" label={t('surveys.field.closesOn')} rules={[{ required: true }]}>
              <DatePicker
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(d) => d.isBefore(today, 'day')}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item
              name="remindAfterDays"
              label={t('surveys.field.remindAfterDays')}
              rules={[{ required: true }]}
              tooltip={t('surveys.new.remindHelp')}
            >
              <InputNumber min={0} max={60} precision={0} suffix={t('surveys.unit.days')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item
              name="lowIndex"
              label={t('surveys.field.lowIndex')}
              rules={[{ required: true }]}
              tooltip={t('surveys.new.lowIndexHelp')}
            >
              <InputNumber min={0} max={100} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="intro" label={t('surveys.field.intro')} extra={t('surveys.new.introHelp')}>
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
        <Typography.Title level={5} style={{ marginTop: 8 }}>
          {t('surveys.new.who')}
        </Typography.Title>
        <div style={{ marginBottom: 16 }}>
          <PreviewLine preview={preview} loading={previewing} error={previewError} />
        </div>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="categories" label={t('surveys.filter.categories')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('common.all')}
                options={lookups.options('category')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="kinds" label={t('surveys.filter.kinds')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('common.all')}
                options={lookups.options('kind')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="grades" label={t('surveys.filter.grades')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('common.all')}
                options={CUSTOMER_GRADES.map((g) => ({ value: g, label: g }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="departmentIds"
              label={t('surveys.filter.departments')}
              extra={t('surveys.new.departmentsHelp')}
            >
              <DepartmentSelect departments={departments.items} multiple placeholder={t('common.all')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="boughtLast12Months"
          label={t('surveys.filter.bought')}
          valuePropName="checked"
          extra={t('surveys.new.boughtHelp')}
        >
          <Switch />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function PreviewLine({
  preview,
  loading,
  error,
}: {
  preview: CampaignPreview | null;
  loading: boolean;
  error: string | null;
}) {
  const t = useT();
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!preview)
    return (
      <Typography.Text type="secondary">
        <Spin size="small" /> {t('surveys.preview.counting')}
      </Typography.Text>
    );
  const withoutEmail = preview.customers - preview.withEmail;
  return (
    <Alert
      type={preview.customers === 0 ? 'warning' : 'info'}
      showIcon
      data-testid="campaign-preview"
      title={
        <span aria-live="polite">
          {preview.customers === 0
            ? t('surveys.preview.none')
            : t('surveys.preview.line', { customers: preview.customers, withEmail: preview.withEmail })}
          {loading ? ` ${t('common.loading')}` : ''}
        </span>
      }
      description={
        preview.customers > 0 && withoutEmail > 0
          ? t('surveys.preview.withoutEmail', { n: withoutEmail })
          : undefined
      }
    />
  );
}

/** Field errors named `filters.x` go under the form's `x`. */
function remapFilterErrors(e: unknown): unknown {
  if (!(e && typeof e === 'object' && 'errors' in e && Array.isArray((e as { errors: unknown }).errors)))
    return e;
  const err = e as { errors: { field: string; message: string }[] };
  for (const fe of err.errors) if (fe.field.startsWith('filters.')) fe.field = fe.field.slice(8);
  return e;
}
