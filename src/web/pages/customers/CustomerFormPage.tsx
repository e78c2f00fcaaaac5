import { InfoCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { CREDIT_CLASS_LABELS, CREDIT_CLASSES, CUSTOMER_GRADES } from '../../../common/customers';
import { SECRECY_LABELS, SECRECY_LEVELS, secrecyRank } from '../../../common/enums';
import type { Customer } from '../../../common/schemas/customers';
import { todayInShanghai } from '../../../common/time';
import { normalizeUscc, usccProblem } from '../../../common/uscc';
import { FIELD_MESSAGES } from '../../../common/validation';
import { errorText, formErrorText, isApiError } from '../../api/client';
import { type CreateCustomerInput, customersApi, type UpdateCustomerInput } from '../../api/customers';
import { useMe } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useLang, useT } from '../../i18n';
import { CustomFieldInput } from './CustomFieldInput';
import { initialValuesOf, masterBody, type CustomerFormValues as Values } from './customerForm';
import { InitialContacts } from './InitialContacts';
import {
  CustomerNotFound,
  fieldsForKind,
  isNotFound,
  useCustomerConfig,
  useFieldLabel,
  useLookups,
} from './shared';

const half = { xs: 24, md: 12, xl: 8 };
const wide = { xs: 24, xl: 16 };
const full = { xs: 24 };

/** 新建客户 (/customers/new) and 编辑客户 (/customers/:id/edit): one long form in grouped cards. */
export default function CustomerFormPage() {
  const { id } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const { config, error: configError, retry } = useCustomerConfig();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    setCustomer(null);
    setLoadError(null);
    customersApi
      .get(id)
      .then((c) => live && setCustomer(c))
      .catch((e) => live && setLoadError(e));
    return () => {
      live = false;
    };
  }, [id]);

  if (id && isNotFound(loadError)) return <CustomerNotFound />;
  const failure = configError ?? loadError;
  if (failure) {
    return (
      <Result
        status="error"
        title={errorText(failure)}
        extra={
          <Button type="primary" onClick={() => (configError ? retry() : window.location.reload())}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!config || (id && !customer)) {
    return (
      <PageContainer title={id ? t('customers.edit') : t('customers.create')}>
        <PageSpin />
      </PageContainer>
    );
  }
  if (customer && !customer.can.update) {
    return (
      <Result
        status="403"
        title={t('customers.notEditableTitle')}
        subTitle={t('customers.notEditableSub')}
        extra={
          <Button type="primary" onClick={() => navigate(`/customers/${customer.id}`)}>
            {t('customers.backToCustomer')}
          </Button>
        }
      />
    );
  }
  return <CustomerForm key={customer?.id ?? 'new'} customer={customer} />;
}

function CustomerForm({ customer }: { customer: Customer | null }) {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const me = useMe();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const { token } = theme.useToken();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const fieldLabel = useFieldLabel(config);
  const departments = useDepartments();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const editing = !!customer;
  const settings = config?.settings;

  const kind = Form.useWatch('kind', form) ?? customer?.kind;
  const customFields = useMemo(() => fieldsForKind(config, kind), [config, kind]);
  const allCustomFields = useMemo(
    // On edit, fields of the customer's kind as loaded (for the initial values).
    () => fieldsForKind(config, customer?.kind),
    [config, customer],
  );

  const initialValues = useMemo<Values>(
    () =>
      customer
        ? initialValuesOf(customer, allCustomFields)
        : {
            name: '',
            secrecy: 'normal',
            departmentId: me.departmentId ?? undefined,
            ownerIds: [me.id],
            firstContactDate: dayjs(todayInShanghai()),
            contacts: [{ isPrimary: true }],
            file: false,
          },
    [customer, allCustomFields, me],
  );

  const myRank = secrecyRank(me.clearance);
  const knownOwners = customer
    ? customer.owners
    : [{ id: me.id, name: me.name, login: me.login, departmentName: me.departmentName }];

  const uscc = (_: unknown, value?: string) => {
    const code = normalizeUscc(value ?? '');
    if (!code) return Promise.resolve();
    const problem = usccProblem(code);
    return problem ? Promise.reject(new Error(FIELD_MESSAGES[`uscc_${problem}`][lang])) : Promise.resolve();
  };

  const fail = (e: unknown) => {
    const text = formErrorText(form, e);
    setFormError(text);
    if (!text) {
      const first = form.getFieldsError().find((f) => f.errors.length);
      if (first) form.scrollToField(first.name, { block: 'center' });
    } else {
      window.scrollTo({ top: 0, behavior: 'smooth' });
    }
  };

  const create = async (v: Values, opts: { allowSimilarName?: boolean; file?: boolean } = {}) => {
    const body: CreateCustomerInput = {
      ...masterBody(v, customFields),
      contacts: (v.contacts ?? [])
        .filter((c) => c.name?.trim())
        .map((c) => ({
          name: c.name?.trim() ?? '',
          title: c.title ?? '',
          role: c.role ?? null,
          phone: c.phone ?? '',
          mobile: c.mobile ?? '',
          email: c.email ?? '',
          isPrimary: !!c.isPrimary,
        })),
      file: opts.file ?? !!v.file,
      allowSimilarName: !!opts.allowSimilarName,
    };
    setSaving(true);
    setFormError(null);
    try {
      const created = await customersApi.create(body);
      message.success(
        created.status === 'filed'
          ? t('customers.createdFiled', { code: created.archiveCode })
          : t('customers.created', { code: created.archiveCode }),
      );
      navigate(`/customers/${created.id}`, { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'possible_duplicate') {
        confirmSimilar(e.title, () => create(v, { ...opts, allowSimilarName: true }));
      } else if (isApiError(e) && e.code === 'filing_incomplete') {
        modal.confirm({
          title: t('customers.cannotFileTitle'),
          content: (
            <Flex vertical gap={8}>
              <span>{e.title}</span>
              <span>{t('customers.saveAsDraftHint')}</span>
            </Flex>
          ),
          okText: t('customers.saveAsDraft'),
          onOk: () => create(v, { ...opts, file: false }),
        });
      } else {
        fail(e);
      }
    } finally {
      setSaving(false);
    }
  };

  const update = async (v: Values, opts: { allowSimilarName?: boolean } = {}) => {
    if (!customer) return;
    const before = masterBody(initialValues, customFields);
    const after = masterBody(v, customFields);
    const body: UpdateCustomerInput = {};
    for (const [k, value] of Object.entries(after) as [keyof typeof after, unknown][]) {
      const old = before[k];
      const same =
        k === 'ownerIds'
          ? JSON.stringify([...(old as string[])].sort()) === JSON.stringify([...(value as string[])].sort())
          : JSON.stringify(old) === JSON.stringify(value);
      if (!same || (k === 'customFields' && v.kind !== customer.kind)) {
        (body as Record<string, unknown>)[k] = value;
      }
    }
    if (Object.keys(body).length === 0) {
      message.info(t('customers.nothingChanged'));
      return;
    }
    body.changeDate = (v.changeDate ?? dayjs()).format('YYYY-MM-DD');
    body.note = v.note ?? '';
    body.allowSimilarName = !!opts.allowSimilarName;
    setSaving(true);
    setFormError(null);
    try {
      await customersApi.update(customer.id, body);
      message.success(t('customers.updated'));
      navigate(`/customers/${customer.id}`, { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'possible_duplicate') {
        confirmSimilar(e.title, () => update(v, { allowSimilarName: true }));
      } else {
        fail(e);
      }
    } finally {
      setSaving(false);
    }
  };

  const confirmSimilar = (text: string, onOk: () => Promise<void>) =>
    modal.confirm({
      title: t('customers.similarTitle'),
      content: text,
      okText: t('customers.saveAnyway'),
      cancelText: t('customers.checkFirst'),
      width: 480,
      onOk,
    });

  const onFinish = (v: Values) => (editing ? update(v) : create(v));

  const cancel = () => {
    const back = () => navigate(customer ? `/customers/${customer.id}` : '/customers');
    if (!form.isFieldsTouched()) return back();
    modal.confirm({
      title: t('customers.discardTitle'),
      content: t('customers.discardContent'),
      okText: t('customers.discard'),
      okButtonProps: { danger: true },
      cancelText: t('customers.keepEditing'),
      onOk: back,
    });
  };

  const requiredFiling = settings?.filingRequiredFields ?? [];
  const filingHint = requiredFiling.length
    ? t('customers.fileNowHelp', { fields: requiredFiling.map((f) => fieldLabel(f)).join('、') })
    : t('customers.fileNowHelpNone');
  const mark = (key: string): ReactNode =>
    requiredFiling.includes(key) ? (
      <Tooltip title={t('customers.requiredForFiling')}>
        <Typography.Text type="warning" style={{ marginInlineStart: 4 }}>
          *
        </Typography.Text>
      </Tooltip>
    ) : null;
  const fieldTitle = (key: string) => (
    <span>
      {fieldLabel(key)}
      {mark(key)}
    </span>
  );

  const title = customer ? `${t('customers.edit')}：${customer.name}` : t('customers.create');

  return (
    <PageContainer
      title={title}
      subTitle={
        customer
          ? `${t('customers.field.archiveCode')} ${customer.archiveCode}`
          : t('customers.createIntro', { days: settings?.filingDays ?? 5 })
      }
    >
      {formError && (
        <Alert type="error" showIcon title={formError} closable={{ onClose: () => setFormError(null) }} />
      )}
      <Form<Values>
        name="customer"
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onFinish}
        onFinishFailed={({ errorFields }) => {
          const first = errorFields[0];
          if (first) form.scrollToField(first.name, { block: 'center' });
        }}
        autoComplete="off"
        scrollToFirstError={false}
      >
        <Flex vertical gap={16}>
          <Card title={t('customers.group.basic')}>
            <Row gutter={24}>
              <Col {...wide}>
                <Form.Item
                  name="name"
                  label={t('customers.field.name')}
                  rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                >
                  <Input maxLength={200} placeholder={t('customers.namePlaceholder')} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="creditCode"
                  label={fieldTitle('creditCode')}
                  rules={[{ validator: uscc }]}
                  normalize={(v: string) => v.toUpperCase()}
                  extra={t('customers.creditCodeHelp')}
                >
                  <Input maxLength={40} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="category"
                  label={t('customers.field.category')}
                  rules={[{ required: true, message: t('common.required') }]}
                >
                  <Select
                    options={lookups.options('category', customer?.category)}
                    placeholder={t('common.pleaseSelect')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="kind"
                  label={t('customers.field.kind')}
                  rules={[{ required: true, message: t('common.required') }]}
                  extra={editing ? t('customers.kindChangeHelp') : t('customers.kindHelp')}
                >
                  <Select
                    options={lookups.options('kind', customer?.kind).map((o) => ({
                      ...o,
                      label: (
                        <Flex justify="space-between" gap={8}>
                          <span>{o.label}</span>
                          <Typography.Text type="secondary">
                            {lookups.find('kind', o.value)?.prefix}
                          </Typography.Text>
                        </Flex>
                      ),
                    }))}
                    placeholder={t('common.pleaseSelect')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="nature" label={fieldTitle('nature')}>
                  <Select
                    allowClear
                    options={lookups.options('nature', customer?.nature)}
                    placeholder={t('common.pleaseSelect')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="grade" label={t('customers.field.grade')} extra={t('customers.gradeHelp')}>
                  <Select
                    allowClear
                    options={CUSTOMER_GRADES.map((g) => ({ value: g, label: g }))}
                    placeholder={t('common.pleaseSelect')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="creditClass"
                  label={t('customers.field.creditClass')}
                  extra={t('customers.creditClassHelp')}
                >
                  <Select
                    allowClear
                    options={CREDIT_CLASSES.map((c) => ({ value: c, label: label(CREDIT_CLASS_LABELS[c]) }))}
                    placeholder={t('common.pleaseSelect')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="secrecy"
                  label={t('customers.field.secrecy')}
                  rules={[{ required: true }]}
                  extra={t('customers.secrecyHelp')}
                >
                  <Select
                    options={SECRECY_LEVELS.map((s) => ({
                      value: s,
                      label: label(SECRECY_LABELS[s]),
                      disabled: secrecyRank(s) > myRank,
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Card title={t('customers.group.registration')}>
            <Row gutter={24}>
              <Col {...half}>
                <Form.Item name="legalRepresentative" label={fieldTitle('legalRepresentative')}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="registeredCapital" label={fieldTitle('registeredCapital')}>
                  <InputNumber<string>
                    stringMode
                    min="0"
                    precision={2}
                    style={{ width: '100%' }}
                    suffix={t('customers.tenThousandYuan')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="staffCount" label={fieldTitle('staffCount')}>
                  <InputNumber
                    min={0}
                    precision={0}
                    style={{ width: '100%' }}
                    suffix={t('customers.people')}
                  />
                </Form.Item>
              </Col>
              <Col {...wide}>
                <Form.Item name="registeredAddress" label={fieldTitle('registeredAddress')}>
                  <Input maxLength={300} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="website" label={fieldTitle('website')}>
                  <Input maxLength={300} placeholder="https://" />
                </Form.Item>
              </Col>
              <Col {...full}>
                <Form.Item name="businessScope" label={fieldTitle('businessScope')}>
                  <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} showCount />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Card title={t('customers.group.contact')}>
            <Row gutter={24}>
              <Col {...half}>
                <Form.Item name="phone" label={fieldTitle('phone')}>
                  <Input maxLength={60} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="email"
                  label={fieldTitle('email')}
                  rules={[{ type: 'email', message: FIELD_MESSAGES.email[lang] }]}
                >
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="source" label={fieldTitle('source')}>
                  <Select
                    allowClear
                    options={lookups.options('source', customer?.source)}
                    placeholder={t('common.pleaseSelect')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="region" label={fieldTitle('region')}>
                  <Input maxLength={100} placeholder={t('customers.regionPlaceholder')} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="industry" label={fieldTitle('industry')}>
                  <Input maxLength={100} placeholder={t('customers.industryPlaceholder')} />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Card title={t('customers.group.ownership')}>
            <Row gutter={24}>
              <Col {...half}>
                <Form.Item
                  name="departmentId"
                  label={t('customers.field.department')}
                  rules={[{ required: true, message: t('common.required') }]}
                >
                  <DepartmentSelect departments={departments.items} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="ownerIds"
                  label={t('customers.field.owners')}
                  rules={[{ required: true, type: 'array', min: 1, message: t('customers.ownersRequired') }]}
                  extra={t('customers.ownersHelp')}
                >
                  <UserSelect multiple known={knownOwners} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="firstContactDate"
                  label={t('customers.field.firstContactDate')}
                  rules={[{ required: true, message: t('common.required') }]}
                  extra={t('customers.firstContactHelp', { days: settings?.filingDays ?? 5 })}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    allowClear={false}
                    disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
                  />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item
                  name="firstPurchaseDate"
                  label={t('customers.field.firstPurchaseDate')}
                  extra={t('customers.firstPurchaseHelp')}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          {customFields.length > 0 && (
            <Card title={t('customers.group.custom')}>
              <Row gutter={24}>
                {customFields.map((f) => (
                  <Col key={f.key} {...half}>
                    <Form.Item
                      name={['customFields', f.key]}
                      label={f.label}
                      rules={f.required ? [{ required: true, message: t('common.required') }] : []}
                    >
                      <CustomFieldInput field={f} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          )}

          {!editing && (
            <Card
              title={
                <span>
                  {t('customers.group.initialContacts')}
                  {mark('contacts')}
                </span>
              }
            >
              <InitialContacts />
            </Card>
          )}

          {editing ? (
            <Card title={t('customers.group.change')}>
              <Alert
                type="info"
                showIcon
                icon={<InfoCircleOutlined />}
                title={t('customers.changeRule', { days: settings?.changeDays ?? 5 })}
                style={{ marginBottom: 16 }}
              />
              <Row gutter={24}>
                <Col {...half}>
                  <Form.Item
                    name="changeDate"
                    label={t('customers.changeDate')}
                    rules={[{ required: true, message: t('common.required') }]}
                    extra={t('customers.changeDateHelp')}
                  >
                    <DatePicker
                      style={{ width: '100%' }}
                      allowClear={false}
                      disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
                    />
                  </Form.Item>
                </Col>
                <Col {...wide}>
                  <Form.Item name="note" label={t('customers.changeNote')}>
                    <Input.TextArea
                      maxLength={500}
                      autoSize={{ minRows: 1, maxRows: 4 }}
                      placeholder={t('customers.changeNotePlaceholder')}
                    />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          ) : (
            <Card>
              <Form.Item name="file" valuePropName="checked" extra={filingHint} style={{ marginBottom: 0 }}>
                <Checkbox>{t('customers.fileNow')}</Checkbox>
              </Form.Item>
            </Card>
          )}
        </Flex>
        {/* Enter in a text field submits the form. */}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
      <div
        style={{
          position: 'sticky',
          bottom: 0,
          zIndex: 5,
          margin: '0 -16px -16px',
          padding: '12px 24px',
          background: token.colorBgContainer,
          borderTop: `1px solid ${token.colorBorderSecondary}`,
          boxShadow: '0 -6px 16px -8px rgba(0,0,0,0.08)',
        }}
      >
        <Flex justify="flex-end" gap={8} align="center">
          <Typography.Text type="secondary" style={{ marginInlineEnd: 'auto' }}>
            {requiredFiling.length > 0 && (
              <>
                <Typography.Text type="warning">*</Typography.Text> {t('customers.requiredForFiling')}
              </>
            )}
          </Typography.Text>
          <Button onClick={cancel}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="save-customer">
            {editing ? t('common.save') : t('customers.createSubmit')}
          </Button>
        </Flex>
      </div>
    </PageContainer>
  );
}
